import { describe, expect, it } from 'vitest';
import { FixtureBackend } from '$lib/api/fixtures';
import { AhpEditor, saatyLabel, SAATY_VALUES, upperPairs } from './ahp.svelte';

describe('AHP editor', () => {
	it('starts with all 28 pairs equal and gives equal weights, consistent', async () => {
		const editor = new AhpEditor(new FixtureBackend());
		expect(upperPairs()).toHaveLength(28);
		expect(editor.pairs).toHaveLength(28);
		expect(editor.pairs.every((p) => p.value === 1)).toBe(true);
		await editor.compute();
		expect(editor.result!.weights.ownership).toBeCloseTo(1 / 8, 9);
		expect(editor.inconsistent).toBe(false);
	});

	it('turns a cell into the pair "row over column" and mirrors it below the diagonal', async () => {
		const editor = new AhpEditor(new FixtureBackend());
		await editor.set('ownership', 'ties', 5);
		expect(editor.pairs.find((p) => p.a === 'ownership' && p.b === 'ties')!.value).toBe(5);
		expect(editor.value('ties', 'ownership')).toBeCloseTo(1 / 5, 12);
		expect(editor.value('market', 'market')).toBe(1);
		expect(editor.pairs.every((p) => p.a !== p.b)).toBe(true);
		expect(new Set(editor.pairs.map((p) => [p.a, p.b].sort().join())).size).toBe(28);
		expect(editor.result!.weights.ownership).toBeGreaterThan(editor.result!.weights.ties);
	});

	it('flags contradicting comparisons as inconsistent (CR > 0.1)', async () => {
		const editor = new AhpEditor(new FixtureBackend());
		await editor.set('ownership', 'ties', 9);
		await editor.set('ties', 'market', 9);
		await editor.set('ownership', 'market', 1 / 9);
		expect(editor.result!.cr).toBeGreaterThan(0.1);
		expect(editor.inconsistent).toBe(true);
		await editor.reset();
		expect(editor.inconsistent).toBe(false);
	});

	it('shows the refusal of comparisons the preview has no recording for, keeping the last weights', async () => {
		const editor = new AhpEditor(new FixtureBackend());
		await editor.compute();
		const equal = editor.result;
		await editor.set('market', 'privilege', 3);
		expect(editor.error).toMatch(/browser preview replays answers recorded from the engine/);
		expect(editor.result).toBe(equal);
		await editor.set('market', 'privilege', 1);
		expect(editor.error).toBeNull();
	});

	it('labels the Saaty scale as fractions below 1', () => {
		expect(SAATY_VALUES.map(saatyLabel)).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '1/2', '1/3', '1/4', '1/5', '1/6', '1/7', '1/8', '1/9']);
	});
});
