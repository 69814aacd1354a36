import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// Tauri expects a fixed port and must see Rust errors on the terminal.
	clearScreen: false,
	server: { host: '127.0.0.1', port: 5173, strictPort: true },
	preview: { host: '127.0.0.1', port: 4173, strictPort: true },
	build: { target: 'es2022' },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
