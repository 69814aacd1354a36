import { describe, expect, it } from 'vitest';
import type { ImportReport } from '$lib/api/bindings/ImportReport';
import { BackendError } from '$lib/api/errors';
import { FixtureBackend, PREVIEW_PUBLIC_KEY_FILE } from '$lib/api/fixtures';
import { DataHistory, ImportFlow } from './import.svelte';

describe('import flow', () => {
	it('enables Import only after a check that found no error', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		expect(flow.canImport).toBe(false);
		await flow.choose(['/data/q4']);
		expect(flow.phase).toBe('checked');
		expect(flow.report!.error_count).toBe(0);
		expect(flow.canImport).toBe(true);
	});

	it('keeps Import disabled and shows file:line:column errors when the check fails', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		await flow.choose(['/data/broken.xlsx']);
		expect(flow.canImport).toBe(false);
		expect(flow.report!.errors[0]).toEqual({ file: 'vendors.csv', line: 4, column: 'hq_country', message: expect.any(String) });
		expect(await flow.import()).toBeNull();
		expect(flow.phase).toBe('checked');
	});

	it('writes nothing while checking: import_files is called only by Import', async () => {
		const calls: string[] = [];
		const backend = new FixtureBackend();
		const flow = new ImportFlow({
			checkImport: (p, on) => (calls.push('check'), backend.checkImport(p, on)),
			importFiles: (p, on) => (calls.push('import'), backend.importFiles(p, on)),
			cancelImport: () => backend.cancelImport()
		});
		await flow.choose(['/data/q4']);
		expect(calls).toEqual(['check']);
		const batch = await flow.import();
		expect(calls).toEqual(['check', 'import']);
		expect(batch!.batch_id).toBe(4); // after the demo's three batches
		expect(flow.phase).toBe('imported');
		expect(flow.canImport).toBe(false);
	});

	it('does nothing when the dialog is cancelled', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		await flow.choose(null);
		expect(flow.phase).toBe('idle');
	});

	it('choosing other files discards the previous report', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		await flow.choose(['/data/q4']);
		let resolveCheck: (r: ImportReport) => void = () => {};
		const slow = new ImportFlow({ checkImport: () => new Promise((r) => (resolveCheck = r)), importFiles: () => Promise.reject(new Error('no')), cancelImport: () => Promise.resolve() });
		const pending = slow.choose(['/a']);
		expect(slow.phase).toBe('checking');
		expect(slow.canImport).toBe(false);
		resolveCheck({ errors: [], error_count: 0, warnings: [], notes: [] });
		await pending;
		expect(slow.canImport).toBe(true);
		await flow.choose(['/data/broken.xlsx']);
		expect(flow.canImport).toBe(false);
	});

	it('shows the backend message when the check itself fails', async () => {
		const flow = new ImportFlow({
			checkImport: () => Promise.reject(new BackendError('internal', 'cannot read /data/q4: permission denied')),
			importFiles: () => Promise.reject(new Error('unreachable')),
			cancelImport: () => Promise.resolve()
		});
		await flow.choose(['/data/q4']);
		expect(flow.phase).toBe('failed');
		expect(flow.error).toBe('cannot read /data/q4: permission denied');
		expect(flow.canImport).toBe(false);
	});
});

describe('bundles', () => {
	const UNSIGNED = '/data/unsigned.vetta-bundle';

	it('asks before importing an unsigned bundle, and Import anyway checks it again accepting it, then imports it', async () => {
		const calls: [string, boolean | undefined][] = [];
		const backend = new FixtureBackend();
		const flow = new ImportFlow({
			checkImport: (p, on, allow) => (calls.push(['check', allow]), backend.checkImport(p, on, allow)),
			importFiles: (p, on, allow) => (calls.push(['import', allow]), backend.importFiles(p, on, allow)),
			cancelImport: () => backend.cancelImport()
		});
		await flow.choose([UNSIGNED]);
		expect(flow.phase).toBe('unsigned');
		expect(flow.error).toBeNull();
		expect(flow.canImport).toBe(false);
		expect(flow.busy).toBe(false);
		expect(await flow.acceptUnsigned()).toBeNull();
		expect(flow.phase).toBe('checked');
		expect(flow.allowUnsigned).toBe(true);
		expect(flow.canImport).toBe(true);
		const batch = await flow.import();
		expect(batch).toMatchObject({ created_by: 'analyst' });
		expect(calls).toEqual([
			['check', false],
			['check', true],
			['import', true]
		]);
	});

	it('Cancel imports nothing and forgets the files; other files are not accepted unsigned', async () => {
		const backend = new FixtureBackend();
		const before = (await backend.batches()).length;
		const flow = new ImportFlow(backend);
		await flow.choose([UNSIGNED]);
		flow.declineUnsigned();
		expect(flow.phase).toBe('idle');
		expect(flow.paths).toEqual([]);
		expect(flow.cancelled).toBe(true);
		expect(flow.allowUnsigned).toBe(false);
		expect(await flow.acceptUnsigned()).toBeNull(); // nothing is waiting for an answer
		expect(flow.phase).toBe('idle');
		await flow.choose([UNSIGNED]);
		await flow.acceptUnsigned();
		await flow.choose(['/data/other-unsigned.vetta-bundle']);
		expect(flow.phase).toBe('unsigned');
		expect(flow.allowUnsigned).toBe(false);
		expect((await backend.batches()).length).toBe(before);
	});

	it('asks when the import (not the check) is refused as unsigned, and Import anyway imports', async () => {
		const backend = new FixtureBackend();
		const unsigned = new BackendError('unsigned', `${UNSIGNED}: the bundle is not signed`);
		const flow = new ImportFlow({
			checkImport: (p, on) => backend.checkImport(['/data/q4'], on),
			importFiles: (p, on, allow) => (allow ? backend.importFiles(['/data/q4'], on) : Promise.reject(unsigned)),
			cancelImport: () => backend.cancelImport()
		});
		await flow.choose([UNSIGNED]);
		expect(flow.phase).toBe('checked');
		expect(await flow.import()).toBeNull();
		expect(flow.phase).toBe('unsigned');
		const batch = await flow.acceptUnsigned();
		expect(batch!.batch_id).toBe(4);
		expect(flow.phase).toBe('imported');
	});

	it('shows the refusal of a bundle signed by a key this workspace does not trust, and imports it once the key is trusted', async () => {
		const backend = new FixtureBackend();
		const flow = new ImportFlow(backend);
		await flow.choose(['/data/from-dana.vetta-bundle']);
		expect(flow.phase).toBe('failed');
		expect(flow.error).toMatch(/signed with key D53AB05711B01881, which is not among this workspace's trusted keys/);
		await backend.trustKey(PREVIEW_PUBLIC_KEY_FILE.text, 'Dana');
		await flow.choose(['/data/from-dana.vetta-bundle']);
		expect(flow.canImport).toBe(true);
		expect(await flow.import()).not.toBeNull();
	});
});

describe('batch history', () => {
	it('says who made each batch and who undid it', async () => {
		const backend = new FixtureBackend();
		const history = new DataHistory(backend);
		await history.load();
		expect(history.ordered.map((b) => [b.created_by, b.undone_by])).toEqual([
			['analyst', null],
			['analyst', null],
			['analyst', null]
		]);
		await history.undo(3);
		expect(history.ordered[0]).toMatchObject({ created_by: 'analyst', undone_by: 'analyst', undone_at: expect.any(String) });
	});

	it('lists batches newest first and undoes one, updating the counts', async () => {
		const backend = new FixtureBackend();
		const history = new DataHistory(backend);
		await backend.importFiles(['/data/q4']);
		await history.load();
		expect(history.ordered.map((b) => b.batch_id)).toEqual([4, 3, 2, 1]);
		const before = history.counts.find((c) => c.table === 'testimony')!.rows;
		await history.undo(4);
		expect(history.ordered[0]!.undone_at).not.toBeNull();
		expect(history.counts.find((c) => c.table === 'testimony')!.rows).toBe(before - 2);
	});
});

describe('import progress and cancel', () => {
	it('shows the bytes read while checking', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		const checking = flow.choose(['/data/q4']);
		expect(flow.progress).toEqual({ read: 1, total: 2 });
		await checking;
		expect(flow.progress).toEqual({ read: 2, total: 2 });
		expect(flow.phase).toBe('checked');
	});

	it('a cancelled check goes back to choosing, with nothing written and no error', async () => {
		const backend = new FixtureBackend();
		const flow = new ImportFlow(backend);
		const before = (await backend.batches()).length;
		const checking = flow.choose(['/data/q4']);
		await flow.cancel();
		await checking;
		expect(flow.phase).toBe('idle');
		expect(flow.cancelled).toBe(true);
		expect(flow.error).toBeNull();
		expect((await backend.batches()).length).toBe(before);
	});

	it('a cancelled import keeps the passed check, so Import can be pressed again', async () => {
		const backend = new FixtureBackend();
		const flow = new ImportFlow(backend);
		await flow.choose(['/data/q4']);
		const importing = flow.import();
		await flow.cancel();
		expect(await importing).toBeNull();
		expect(flow.phase).toBe('checked');
		expect(flow.canImport).toBe(true);
		expect(flow.cancelled).toBe(true);
	});
});

describe('import report of published files', () => {
	it('groups notes by code, the largest group first, keeping file order inside a group', async () => {
		const { groupNotes } = await import('./import.svelte');
		const note = (code: string, location: string) => ({ file: 'sdn.csv', location, code, message: `${code} at ${location}` });
		const groups = groupNotes([note('stub-entity', '9'), note('vessel-skipped', '3'), note('stub-entity', '2'), note('date-shifted', '1')]);
		expect(groups.map((g) => [g.code, g.count])).toEqual([
			['stub-entity', 2],
			['date-shifted', 1],
			['vessel-skipped', 1]
		]);
		expect(groups[0]!.notes.map((n) => n.location)).toEqual(['9', '2']);
	});

	it('shows the report of a check before anything is written, and keeps it with the result', async () => {
		const flow = new ImportFlow(new FixtureBackend());
		await flow.choose(['/data/q4']);
		expect(flow.report!.notes.length).toBeGreaterThan(0);
		expect(flow.result).toBeNull();
		await flow.import();
		expect(flow.result!.notes).toEqual(flow.report!.notes);
	});
});
