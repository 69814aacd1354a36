import { describe, expect, it } from 'vitest';
import type { Manifest } from '$lib/api/bindings/Manifest';
import { DEFAULT_REPORT, FixtureBackend, PREVIEW_SECRET_KEY } from '$lib/api/fixtures';
import { bundleMessage, BundleExport, defaultBundleName, fileName, type BundleApi } from './bundle.svelte';

/** The preview's dialogs and bundle writer, as commands.ts calls them. */
function preview(backend = new FixtureBackend()): BundleApi {
	return {
		pickSecretKeyFile: async () => (await backend.chooseKey('secretkey'))?.[0] ?? null,
		pickSavePath: (kind, name) => backend.chooseSave(kind, name),
		writeBundle: (path, signWith, password) => backend.writeBundle(path, signWith, password)
	};
}

const manifest = (rows: number[]): Manifest => ({
	format: 'vetta-bundle',
	version: 1,
	vetta_version: '0.1.0',
	created_by: 'analyst',
	created_at: '2026-11-27T10:00:00Z',
	dataset_sha256: 'ab'.repeat(32),
	files: rows.map((n, i) => ({ name: `dataset/t${i}.csv`, sha256: '0'.repeat(64), bytes: 10 * n, rows: n }))
});

describe('exporting a bundle', () => {
	it('writes an unsigned bundle under the proposed name, and says it is not signed', async () => {
		const backend = new FixtureBackend();
		const bundle = new BundleExport(preview(backend));
		expect(bundle.keyName).toBeNull();
		const done = await bundle.run('2026-11-27');
		expect(done!.path).toBe('/home/analyst/Documents/vetta-2026-11-27.vetta-bundle');
		expect(done!.keyName).toBeNull();
		expect(done!.manifest.dataset_sha256).toBe(DEFAULT_REPORT.dataset_sha256);
		expect(bundleMessage(done!)).toMatch(/^Bundle written: \d+ files, [\d,]+ rows, NOT signed\. Saved as \/home\/analyst\/Documents\/vetta-2026-11-27\.vetta-bundle$/);
		expect(bundle.last).toEqual(done);
		expect(bundle.phase).toBe('idle');
		await expect(backend.verifyBundle(done!.path)).rejects.toMatchObject({ code: 'unsigned' });
	});

	it('signs with the chosen key and its password, then forgets the password', async () => {
		const calls: [string, string | null, string | null][] = [];
		const api = preview();
		const bundle = new BundleExport({ ...api, writeBundle: (p, k, pw) => (calls.push([p, k, pw]), api.writeBundle(p, k, pw)) });
		await bundle.chooseKey();
		expect(bundle.keyPath).toBe(PREVIEW_SECRET_KEY.path);
		expect(bundle.keyName).toBe('vetta.key');
		bundle.password = 'correct horse';
		const done = await bundle.run('2026-11-27');
		expect(calls).toEqual([[done!.path, PREVIEW_SECRET_KEY.path, 'correct horse']]);
		expect(bundleMessage(done!)).toMatch(/, signed with key vetta\.key\. Saved as /);
		expect(bundle.password).toBe('');
		expect(bundle.keyPath).toBe(PREVIEW_SECRET_KEY.path); // kept for the next export
	});

	it('keeps the dialog’s choices and says why when the password is wrong', async () => {
		const bundle = new BundleExport(preview());
		await bundle.chooseKey();
		expect(await bundle.run('2026-11-27')).toBeNull();
		expect(bundle.error).toBe(`${PREVIEW_SECRET_KEY.path}: wrong password for this key`);
		expect(bundle.keyPath).toBe(PREVIEW_SECRET_KEY.path);
		expect(bundle.last).toBeNull();
		bundle.password = 'pw';
		expect(await bundle.run('2026-11-27')).not.toBeNull();
		expect(bundle.error).toBeNull();
	});

	it('sends no password without a key, writes nothing when the save dialog is cancelled, and forgets the password on close', async () => {
		const calls: (string | null)[][] = [];
		const api: BundleApi = {
			pickSecretKeyFile: () => Promise.resolve(null),
			pickSavePath: () => Promise.resolve(null),
			writeBundle: async (p, k, pw) => (calls.push([p, k, pw]), manifest([1]))
		};
		const bundle = new BundleExport(api);
		await bundle.chooseKey();
		expect(bundle.keyPath).toBeNull();
		expect(await bundle.run('2026-11-27')).toBeNull();
		expect(calls).toEqual([]);
		expect(bundle.error).toBeNull();
		const saving = new BundleExport({ ...api, pickSavePath: () => Promise.resolve('/out.vetta-bundle') });
		saving.password = 'typed before choosing no key';
		await saving.run('2026-11-27');
		expect(calls).toEqual([['/out.vetta-bundle', null, null]]);
		saving.keyPath = '/k/vetta.key';
		saving.password = 'secret';
		saving.closed();
		expect(saving.password).toBe('');
		saving.password = 'secret';
		saving.clearKey();
		expect([saving.keyPath, saving.password]).toEqual([null, '']);
	});

	it('says it is writing until the bundle is written, and runs one export at a time', async () => {
		let finish: (m: Manifest) => void = () => {};
		const bundle = new BundleExport({
			pickSecretKeyFile: () => Promise.resolve(null),
			pickSavePath: () => Promise.resolve('/out.vetta-bundle'),
			writeBundle: () => new Promise<Manifest>((resolve) => (finish = resolve))
		});
		const running = bundle.run('2026-11-27');
		await Promise.resolve();
		await Promise.resolve();
		expect(bundle.phase).toBe('writing');
		expect(bundle.busy).toBe(true);
		expect(await bundle.run('2026-11-27')).toBeNull();
		finish(manifest([1]));
		expect(bundleMessage((await running)!)).toBe('Bundle written: 1 file, 1 row, NOT signed. Saved as /out.vetta-bundle');
		expect(bundle.busy).toBe(false);
	});

	it('names the file and counts rows', () => {
		expect(defaultBundleName('2026-12-06')).toBe('vetta-2026-12-06.vetta-bundle');
		expect(fileName('C:\\Users\\dana\\keys\\vetta.key')).toBe('vetta.key');
		expect(fileName('/home/dana/.minisign/minisign.key')).toBe('minisign.key');
		expect(bundleMessage({ path: '/b', manifest: manifest([1200, 34]), keyName: 'k.key' })).toBe('Bundle written: 2 files, 1,234 rows, signed with key k.key. Saved as /b');
	});
});
