import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORT, FixtureBackend, recorded } from '$lib/api/fixtures';
import { presentDiff, ScenarioLibrary } from './scenarios.svelte';

const diff = recorded.scenarioDiff;
const names = Object.fromEntries(DEFAULT_REPORT.vendors.map((v) => [v.vendor_id, v.name]));

describe('scenario diff presentation', () => {
	const shown = presentDiff(diff, names);

	it('lists weights in factor order (the engine sends them alphabetically) and marks the changed ones', () => {
		expect(shown.weights.map((w) => w.factor)).toEqual(['ownership', 'ties', 'jurisdiction', 'market', 'testimony', 'designations', 'install_base', 'privilege']);
		expect(shown.weights.find((w) => w.factor === 'ties')).toMatchObject({ a: 0.15, b: 1 / 3, changed: true });
		expect(shown.weights.every((w) => w.changed)).toBe(true);
	});

	it('orders vendors by their rank in b and spells out each move', () => {
		expect(shown.vendors.map((v) => v.rank_b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
		const kaspersky = shown.vendors[0]!;
		expect(kaspersky).toMatchObject({ name: 'Kaspersky Lab', rank_a: 2, rank_b: 1, arrow: '↑1', direction: 'up', scoreChange: '+32.7' });
		expect(shown.vendors.find((v) => v.vendor_id === 'kestrelwick')).toMatchObject({ arrow: '↑2', direction: 'up' });
		expect(shown.vendors.find((v) => v.vendor_id === 'lotusgate')).toMatchObject({ arrow: '↓1', direction: 'down' });
		expect(shown.vendors.find((v) => v.vendor_id === 'jadeport')).toMatchObject({ arrow: '', direction: 'same' });
	});

	it('summarises the movement, parameters and method', () => {
		expect(shown.title).toBe('default → bod');
		expect(shown.summary).toBe('7 of 9 vendors change rank.');
		expect(shown.params).toEqual([{ name: 'as_of', a: '2026-11-27', b: '2018-01-01' }]);
		expect(shown.method).toBeNull();
	});

	it('falls back to the vendor id for a name it does not know', () => {
		expect(presentDiff(diff).vendors[0]!.name).toBe('kaspersky');
	});
});

describe('scenario library', () => {
	it('saves, diffs and deletes through the backend, clearing a diff that named the deleted scenario', async () => {
		const library = new ScenarioLibrary(new FixtureBackend());
		await library.load();
		expect(library.names).toEqual(['default', 'equal', 'bod-17-01', 'ownership-first', 'exposure-first', 'bod']);
		// The preview replays the recorded diff (default → bod), so board is bod under another name.
		await library.save(' board ', { scenario: 'bod-17-01', asOf: '2018-01-01' });
		expect(library.saved.map((s) => s.name)).toEqual(['board', 'bod']);
		library.diffA = 'default';
		library.diffB = 'board';
		await library.runDiff();
		expect(library.diff!.b).toBe('board');
		expect(library.diff!.weights['ties']![1]).toBeGreaterThan(library.diff!.weights['ties']![0]);
		expect(library.diff!.params['as_of']).toEqual(['2026-11-27', '2018-01-01']);
		await library.remove('board');
		expect(library.diff).toBeNull();
		expect(library.saved.map((s) => s.name)).toEqual(['bod']);
	});
});
