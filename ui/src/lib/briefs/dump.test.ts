import { describe, expect, it } from 'vitest';
import type { Dumped } from '$lib/api/bindings/Dumped';
import { DEFAULT_REPORT, FixtureBackend, recorded } from '$lib/api/fixtures';
import { dumpFilesText, dumpMessage, DumpState, type DumpApi } from './dump.svelte';

/** The preview's folder dialog and dump, as commands.ts calls them. */
function preview(backend = new FixtureBackend()): DumpApi {
	return { chooseFolder: () => backend.chooseSave('folder', ''), writeDump: (path) => backend.writeDump(path) };
}

describe('saving the store as a dataset folder', () => {
	it('writes a file per table with rows, in the store’s table order, with the recorded dataset SHA-256', async () => {
		const backend = new FixtureBackend();
		const dump = new DumpState(preview(backend));
		const done = await dump.run();
		const order = recorded.tableSchemas.map((s) => `${s.table}.csv`);
		expect(done!.path).toMatch(/^\/home\/analyst\/Documents\/vetta-dataset-/);
		expect(done!.dumped.dataset_sha256).toBe(DEFAULT_REPORT.dataset_sha256);
		const names = done!.dumped.files.map(([name]) => name);
		expect(names).toEqual(order.filter((name) => names.includes(name)));
		const counts = Object.fromEntries((await backend.counts()).map((c) => [`${c.table}.csv`, c.rows]));
		expect(done!.dumped.files).toEqual(names.map((name) => [name, counts[name]]));
		expect(done!.dumped.files.every(([, rows]) => rows > 0)).toBe(true);
		expect(names).toContain('vendors.csv');
		expect(dump.last).toEqual(done);
		expect(dump.phase).toBe('idle');
	});

	it('a link entered by hand adds links.csv', async () => {
		const backend = new FixtureBackend();
		await backend.enterRows('links', [{ entity_id: 'kaspersky', other_id: 'kl-uk', decision: 'same', decided_by: 'analyst', decided_on: '2026-12-06' }]);
		const done = await new DumpState(preview(backend)).run();
		expect(done!.dumped.files.at(-1)).toEqual(['links.csv', 3]); // the demo's two links and this one
	});

	it('says it is writing, and where, until the dump answers', async () => {
		let finish: (d: Dumped) => void = () => {};
		const dump = new DumpState({
			chooseFolder: () => Promise.resolve('/data/out'),
			writeDump: () => new Promise<Dumped>((resolve) => (finish = resolve))
		});
		const running = dump.run();
		await Promise.resolve();
		await Promise.resolve();
		expect(dump.phase).toBe('writing');
		expect(dump.path).toBe('/data/out');
		expect(dump.busy).toBe(true);
		expect(await dump.run()).toBeNull();
		finish({ files: [['vendors.csv', 1]], dataset_sha256: 'ab'.repeat(32) });
		expect((await running)!.path).toBe('/data/out');
		expect(dump.phase).toBe('idle');
		expect(dump.path).toBeNull();
	});

	it('writes nothing when the dialog is cancelled', async () => {
		const written: string[] = [];
		const dump = new DumpState({ chooseFolder: () => Promise.resolve(null), writeDump: async (path) => (written.push(path), { files: [], dataset_sha256: '' }) });
		expect(await dump.run()).toBeNull();
		expect(written).toEqual([]);
		expect(dump.last).toBeNull();
		expect(dump.phase).toBe('idle');
	});

	it('refuses a folder that is no longer empty, and a path no dialog returned, with the shell’s codes', async () => {
		const backend = new FixtureBackend();
		const dump = new DumpState(preview(backend));
		const first = await dump.run();
		await expect(dump.run()).rejects.toMatchObject({ code: 'invalid', message: `${first!.path} is not empty: dump into a new or empty folder` });
		expect(dump.phase).toBe('idle');
		expect(dump.last).toEqual(first);
		await expect(backend.writeDump('/tmp/elsewhere')).rejects.toMatchObject({ code: 'denied' });
		const empty = FixtureBackend.forPreview('?vendors=0');
		await expect(new DumpState(preview(empty)).run()).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
	});

	it('tells each file with its rows and the hash, shortened', () => {
		const dumped: Dumped = { files: [['vendors.csv', 9], ['links.csv', 1], ['sales.csv', 1235]], dataset_sha256: '0123456789abcdef'.repeat(4) };
		expect(dumpFilesText(dumped.files)).toBe('vendors.csv (9 rows), links.csv (1 row), sales.csv (1,235 rows)');
		expect(dumpMessage({ path: '/d', dumped })).toBe(
			'Dataset saved to /d: vendors.csv (9 rows), links.csv (1 row), sales.csv (1,235 rows). Dataset SHA-256 0123456789ab…'
		);
		expect(dumpMessage({ path: '/d', dumped: { files: [], dataset_sha256: 'abc' } })).toBe('Dataset saved to /d: no files (the store is empty). Dataset SHA-256 abc');
	});
});
