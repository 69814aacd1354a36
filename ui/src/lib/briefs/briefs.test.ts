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
});
