import { describe, expect, it } from 'vitest';
import { briefKind, BriefState, defaultBriefName, MAX_BRIEF_VENDORS } from './briefs.svelte';

describe('briefs', () => {
	it('is a vendor brief for 1, a comparison for 2–10, nothing otherwise', () => {
		expect(briefKind(0)).toBeNull();
		expect(briefKind(1)).toBe('vendor');
		expect(briefKind(2)).toBe('comparison');
		expect(briefKind(10)).toBe('comparison');
		expect(briefKind(11)).toBeNull();
		expect(defaultBriefName(['kaspersky'], '2026-11-27')).toBe('vetta-kaspersky-2026-11-27.pdf');
	});

	it('stops adding vendors at the maximum and writes nothing when the dialog is cancelled', async () => {
		const written: string[] = [];
		const state = new BriefState({ writeBrief: async (_ids, _s, path) => void written.push(path), writeExport: async () => {} });
		for (let i = 0; i < 12; i++) state.toggle(`v${i}`);
		expect(state.selected).toHaveLength(MAX_BRIEF_VENDORS);
		expect(await state.writeBrief(null)).toBe(false);
		expect(await state.writeBrief('/tmp/b.pdf')).toBe(true);
		expect(written).toEqual(['/tmp/b.pdf']);
	});

	it('passes "Changes since" through: null when empty, the text trimmed otherwise', async () => {
		const calls: (string | null)[] = [];
		const state = new BriefState({ writeBrief: async (_ids, _s, _path, since) => void calls.push(since), writeExport: async () => {} });
		state.toggle('kaspersky');
		expect(await state.writeBrief('/tmp/a.pdf')).toBe(true);
		state.changesSince = '   ';
		expect(await state.writeBrief('/tmp/b.pdf')).toBe(true);
		state.changesSince = ' 3 ';
		expect(await state.writeBrief('/tmp/c.pdf')).toBe(true);
		state.changesSince = '2024-06-24';
		expect(await state.writeBrief('/tmp/d.pdf')).toBe(true);
		expect(calls).toEqual([null, null, '3', '2024-06-24']);
	});

	it('blocks writing while "Changes since" is neither a batch number nor a date', async () => {
		const written: string[] = [];
		const state = new BriefState({ writeBrief: async (_ids, _s, path) => void written.push(path), writeExport: async () => {} });
		state.toggle('kaspersky');
		expect(state.canWrite).toBe(true);
		for (const bad of ['batch 3', '2024-02-30', '2024-6-24', '3.5']) {
			state.changesSince = bad;
			expect(state.changesSinceError).not.toBeNull();
			expect(state.canWrite).toBe(false);
			expect(await state.writeBrief('/tmp/bad.pdf')).toBe(false);
		}
		expect(written).toEqual([]);
		state.changesSince = '2024-02-29';
		expect(state.changesSinceError).toBeNull();
		expect(state.canWrite).toBe(true);
		expect(await state.writeBrief('/tmp/ok.pdf')).toBe(true);
		expect(written).toEqual(['/tmp/ok.pdf']);
	});
});
