import { describe, expect, it } from 'vitest';
import type { FactChange } from '$lib/api/bindings/FactChange';
import type { Standing } from '$lib/api/bindings/Standing';
import type { VendorChange } from '$lib/api/bindings/VendorChange';
import { FixtureBackend, recorded } from '$lib/api/fixtures';
import {
	describeMove,
	designationChanges,
	endError,
	endValue,
	factKeyParts,
	factSummary,
	factsByTable,
	fmtFactKey,
	hasMoved,
	movement,
	splitChanges
} from './changes';
import { ChangesState } from './changes.svelte';

const standing = (s: Partial<Standing> = {}): Standing => ({
	score: 40,
	band: 'moderate',
	rank: 4,
	prohibited: false,
	possibly_prohibited: false,
	designations: [],
	factors: {},
	...s
});

const fact = (table: string, change: string, key: Record<string, string>): FactChange => ({ table, change, key });

const change = (vendor_id: string, before: Standing | null, after: Standing | null, facts: FactChange[] = []): VendorChange => ({
	vendor_id,
	name: vendor_id[0]!.toUpperCase() + vendor_id.slice(1),
	before,
	after,
	facts
});

const REPORT: VendorChange[] = [
	change('scored', standing(), standing({ score: 43.5 }), [fact('sales', 'added', { vendor_id: 'scored', year: '2025', country: 'CN', segment: 'gov' })]),
	change('ranked', standing({ rank: 5 }), standing({ rank: 3, score: 41 })),
	change('banded', standing({ band: 'high', rank: 2, score: 60 }), standing({ band: 'severe', rank: 2, score: 76 })),
	change('listed', standing({ rank: 6 }), standing({ rank: 6, prohibited: true, designations: ['US-BIS-ENTITY'] })),
	change('fresh', null, standing({ rank: 9, band: 'low', score: 5 })),
	change('factsonly', standing(), standing(), [fact('links', 'added', { entity_id: 'csl:1', other_id: 'factsonly' }), fact('aliases', 'removed', { entity_id: 'factsonly', name: 'Old' })]),
	change('possibly', standing(), standing({ possibly_prohibited: true }))
];

describe('what moved', () => {
	it('puts the vendors whose band, rank or prohibition moved first, the weightiest first', () => {
		const { moved, other } = splitChanges(REPORT);
		expect(moved.map((v) => v.vendor_id)).toEqual(['listed', 'possibly', 'fresh', 'banded', 'ranked']);
		expect(other.map((v) => v.vendor_id)).toEqual(['scored', 'factsonly']);
	});

	it('measures a move in bands and places, riskier positive', () => {
		expect(movement(REPORT[1]!)).toMatchObject({ bands: 0, places: 2, prohibited: false, score: 1 });
		expect(movement(REPORT[2]!)).toMatchObject({ bands: 1, places: 0, score: 16 });
		expect(movement(change('down', standing({ band: 'severe', rank: 1 }), standing({ band: 'moderate', rank: 4 })))).toMatchObject({ bands: -2, places: -3 });
		expect(hasMoved(REPORT[0]!)).toBe(false);
		expect(hasMoved(change('gone', standing(), null))).toBe(true);
	});

	it('describes a move in words', () => {
		expect(describeMove(REPORT[3]!)).toEqual(['not prohibited → prohibited', 'designated on US-BIS-ENTITY']);
		expect(describeMove(REPORT[2]!)).toEqual(['band High → Severe', 'score 60.0 → 76.0 (+16.0)']);
		expect(describeMove(REPORT[1]!)).toEqual(['rank 5 → 3', 'score 40.0 → 41.0 (+1.0)']);
		expect(describeMove(REPORT[6]!)).toEqual(['not prohibited → possibly prohibited']);
		expect(describeMove(REPORT[4]!)).toEqual(['new: rank 9, Low, score 5.0']);
		expect(describeMove(change('gone', standing({ rank: 2, band: 'high' }), null))).toEqual(['no longer in the store (was rank 2, High)']);
		expect(describeMove(REPORT[5]!)).toEqual([]);
		expect(describeMove(change('tiny', standing(), standing({ score: 40.01 })))).toEqual(['score changed by less than 0.1']);
	});

	it('tells the designations gained and lost', () => {
		expect(designationChanges(standing({ designations: ['A', 'B'] }), standing({ designations: ['B', 'C'] }))).toEqual({ added: ['C'], removed: ['A'] });
		expect(designationChanges(null, standing({ designations: ['A'] }))).toEqual({ added: ['A'], removed: [] });
	});
});

describe('the facts behind a move', () => {
	const facts = [
		fact('designations', 'added', { effective: '2024-06-24', list: 'US-BIS-ENTITY', subject_id: 'csl:vetta-transcribed-el-1' }),
		fact('links', 'replaced', { entity_id: 'csl:1', other_id: 'kaspersky' }),
		fact('designations', 'removed', { effective: '2020-01-01', ends: '', list: 'X', subject_id: 'kaspersky' }),
		fact('links', 'added', { entity_id: 'fcc:1', other_id: 'kaspersky' })
	];

	it('are summed up by change, added first', () => {
		expect(factSummary(facts)).toBe('2 added, 1 removed, 1 replaced');
		expect(factSummary([facts[1]!])).toBe('1 replaced');
		expect(factSummary([])).toBe('');
	});

	it('are grouped by table in the report’s order', () => {
		expect(factsByTable(facts).map((g) => [g.table, g.facts.length])).toEqual([
			['designations', 2],
			['links', 2]
		]);
	});

	it('show their key columns, leaving out empty ones', () => {
		expect(fmtFactKey(facts[0]!)).toBe('effective 2024-06-24 · list US-BIS-ENTITY · subject_id csl:vetta-transcribed-el-1');
		expect(factKeyParts(facts[2]!).map((p) => p.column)).toEqual(['effective', 'list', 'subject_id']);
	});
});

describe('the ends of a comparison', () => {
	it('are a batch number, a calendar date or empty', () => {
		expect(endError('')).toBeNull();
		expect(endError('  ')).toBeNull();
		expect(endError('3')).toBeNull();
		expect(endError(' 12 ')).toBeNull();
		expect(endError('2024-06-24')).toBeNull();
		expect(endError('2024-02-30')).toBe('2024-02-30 is not a calendar date');
		expect(endError('2024-6-24')).toMatch(/batch number .* or a date YYYY-MM-DD/);
		expect(endError('batch 3')).toMatch(/batch number/);
		expect(endError('-1')).toMatch(/batch number/);
		expect(endError('3.5')).toMatch(/batch number/);
	});

	it('are sent trimmed, or null for the default', () => {
		expect(endValue(' 4 ')).toBe('4');
		expect(endValue('')).toBeNull();
	});

	it('are checked before anything is asked', async () => {
		const asked: [string | null, string | null][] = [];
		const state = new ChangesState({
			changes: async (from, to) => {
				asked.push([from, to]);
				return { from: 'a', to: 'b', vendors: [] };
			}
		});
		state.fromText = 'yesterday';
		expect(await state.compare()).toBe(false);
		expect(asked).toEqual([]);
		state.fromText = ' 2 ';
		state.toText = '2026-11-27';
		expect(await state.compare()).toBe(true);
		expect(asked).toEqual([['2', '2026-11-27']]);
		expect(state.report).toEqual({ from: 'a', to: 'b', vendors: [] });
	});
});

describe('what changed on the preview backend', () => {
	it('answers the recorded report for the last batch, and refuses other ends', async () => {
		const state = new ChangesState(new FixtureBackend());
		await state.load(null, null, {});
		expect(state.report).toEqual(recorded.changes);
		expect(state.error).toBeNull();
		await state.load('1', null, {});
		expect(state.report).toBeNull();
		expect(state.error).toMatch(/replays answers recorded/);
		await state.load('soon', null, {});
		expect(state.error).toBe('from: "soon" is neither a batch number nor a date (YYYY-MM-DD)');
	});
});
