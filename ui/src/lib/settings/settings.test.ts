import { describe, expect, it } from 'vitest';
import { FixtureBackend } from '$lib/api/fixtures';
import { SettingsState } from './settings.svelte';

describe('settings', () => {
	it('accepts only new two-letter upper-case country codes', async () => {
		const state = new SettingsState(new FixtureBackend());
		await state.load();
		for (const bad of ['r', 'ru', 'RUS', 'R1']) {
			state.countryDraft = bad;
			expect(state.countryError, bad).not.toBeNull();
			expect(await state.addCountry()).toBe(false);
		}
		state.countryDraft = 'RU';
		expect(state.countryError).toMatch(/already/);
		state.countryDraft = 'BY';
		expect(state.countryError).toBeNull();
		expect(await state.addCountry()).toBe(true);
		expect(state.settings!.concernCountries).toContain('BY');
		expect(state.countryDraft).toBe('');
		await state.removeCountry('BY');
		expect(state.settings!.concernCountries).not.toContain('BY');
	});

	it('resolves the system theme from the OS preference, and a chosen theme wins over a URL override', async () => {
		const state = new SettingsState(new FixtureBackend());
		await state.load();
		expect(state.theme).toBe('system');
		state.systemDark = true;
		expect(state.dark).toBe(true);
		state.override = 'light';
		expect(state.dark).toBe(false);
		await state.setTheme('dark');
		expect(state.override).toBeNull();
		expect(state.settings!.theme).toBe('dark');
		expect(state.dark).toBe(true);
	});
});
