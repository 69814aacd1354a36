import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { LiveScores } from '$lib/api/live';
import { FixtureBackend } from '$lib/api/fixtures';
import { PRESET_WEIGHTS } from '$lib/domain/factors';
import { generatedMatrix } from '$lib/api/generated-matrix';
import { matchingPreset, parseCountries, WhatIfState } from './whatif.svelte';

const order = (state: WhatIfState) => state.rows().map((r) => r.vendor_id);

describe('what-if re-scoring', () => {
	it('re-sorts the ranking when a weight moves', async () => {
		const state = new WhatIfState(new FixtureBackend());
		await state.refresh();
		expect(order(state).slice(0, 3)).toEqual(['lotusgate', 'kaspersky', 'jadeport']);
		// Ties alone: jadeport's 0.818 beats lotusgate's 0.63 and kaspersky's 0.65.
		for (const f of ['ownership', 'jurisdiction', 'market', 'testimony', 'designations', 'install_base', 'privilege'] as const) await state.setWeight(f, 0);
		await state.setWeight('ties', 10);
		expect(order(state)[0]).toBe('jadeport');
	});

	it('shows rank-change arrows against the baseline, positive = moved up', async () => {
		const state = new WhatIfState(new FixtureBackend());
		await state.refresh();
		state.setBaseline();
		expect(state.rows().every((r) => r.rankChange === 0)).toBe(true);
		await state.applyPreset('bod-17-01');
		const row = (id: string) => state.rows().find((r) => r.vendor_id === id)!;
		// Under BOD 17-01's grounds (privilege, ties, jurisdiction) kaspersky (rank 2 by default) becomes rank 1.
		expect(row('kaspersky').rank).toBe(1);
		expect(row('kaspersky').rankChange).toBe(1);
		expect(row('lotusgate').rankChange).toBe(-1);
		expect(state.movers).toBeGreaterThan(0);
		state.clearBaseline();
		expect(state.rows().every((r) => r.rankChange === null)).toBe(true);
	});

	it('sends only the newest weights after a slow request (latest wins, no stale result last)', async () => {
		const backend = new FixtureBackend();
		const sent: ScenarioInput[] = [];
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		const state = new WhatIfState({
			async rescore(scenario): Promise<LiveScores> {
				sent.push(scenario);
				if (sent.length === 1) await gate;
				return backend.rescore(scenario);
			},
			liveTable: (scenario) => backend.liveTable(scenario)
		});
		const first = state.setWeight('ownership', 1);
		state.setWeight('ownership', 2);
		state.setWeight('ownership', 3);
		const last = state.setWeight('ownership', 4);
		release();
		await Promise.all([first, last]);
		expect(sent.map((s) => s.weights?.ownership)).toEqual([1, 4]);
		expect(state.live!.weights.ownership).toBeCloseTo(4 / (4 + 80), 12);
	});

	it('refuses all-zero weights with a message instead of calling the backend', async () => {
		let calls = 0;
		const backend = new FixtureBackend();
		const state = new WhatIfState({ rescore: async () => (calls++, backend.rescore({})), liveTable: async () => (calls++, backend.liveTable({})) });
		state.raw = { ownership: 0, ties: 0, jurisdiction: 0, market: 0, testimony: 0, designations: 0, install_base: 0, privilege: 0 };
		await state.refresh();
		expect(calls).toBe(0);
		expect(state.error).toMatch(/All weights are zero/);
	});

	it('recognises presets and sends only what is set', () => {
		const state = new WhatIfState(new FixtureBackend());
		expect(state.preset).toBe('default');
		state.raw.ownership = 21;
		expect(state.preset).toBeNull();
		expect(matchingPreset(PRESET_WEIGHTS['bod-17-01'])).toBe('bod-17-01');
		const input = state.scenario();
		expect(input.asOf).toBeUndefined();
		expect(input.concern).toBeUndefined();
		state.concernText = 'cn, RU';
		expect(state.scenario().concern).toBeUndefined();
		state.concernText = 'CN, RU';
		expect(state.scenario().concern).toEqual(['CN', 'RU']);
	});

	it('rescales weights from AHP to the sliders, keeping their proportions', async () => {
		const state = new WhatIfState(new FixtureBackend());
		await state.useWeights({ ownership: 0.65, ties: 0.23, jurisdiction: 0, market: 0, testimony: 0, designations: 0, install_base: 0, privilege: 0.12 });
		expect(state.raw.ownership).toBe(50);
		expect(state.raw.ties / state.raw.ownership).toBeCloseTo(0.23 / 0.65, 3);
		await state.useWeights({ ownership: 0.2, ties: 0.15, jurisdiction: 0.1, market: 0.05, testimony: 0.15, designations: 0.15, install_base: 0.1, privilege: 0.1 });
		expect(state.preset).toBe('default');
	});

	it('parses countries of concern and names the invalid entries', () => {
		expect(parseCountries('CN, RU;IR  CN')).toEqual({ codes: ['CN', 'RU', 'IR'], invalid: [] });
		expect(parseCountries('CN, Russia, ru').invalid).toEqual(['Russia', 'ru']);
	});
});

describe('what-if with 1,000 vendors', () => {
	// Correctness on every input; the latency is printed, not asserted (speed is measured by the
	// end-to-end run in the real app, not by a timed unit test).
	it('re-ranks every vendor on each slider input', async () => {
		const backend = new FixtureBackend(generatedMatrix(1000, 7));
		const state = new WhatIfState(backend);
		await state.refresh();
		state.setBaseline();
		const times: number[] = [];
		for (let i = 0; i < 200; i++) {
			const t0 = performance.now();
			await state.setWeight('ownership', (i * 7) % 51);
			// The rows in view (as the virtualised list builds them) and the movers count over all.
			const rows = state.rowsIn(0, 20);
			if (state.count !== 1000 || rows[0]!.rank !== 1 || state.movers < 0) throw new Error('not re-sorted');
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		const median = times[Math.floor(times.length / 2)]!;
		const p95 = times[Math.floor(times.length * 0.95)]!;
		const max = times[times.length - 1]!;
		console.log(`slider → re-sorted list, 1,000 vendors: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${max.toFixed(2)} ms`);
		// The list really is ranked: scores never increase down the list.
		const scores = state.rows().map((r) => r.score);
		expect(scores.every((s, i) => i === 0 || Math.round(s * 1e9) <= Math.round(scores[i - 1]! * 1e9))).toBe(true);
	});
});
