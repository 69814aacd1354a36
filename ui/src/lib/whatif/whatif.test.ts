import { describe, expect, it } from 'vitest';
import type { LiveTable } from '$lib/api/bindings/LiveTable';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import { liveScoresOf, liveTableOf, type LiveScores } from '$lib/api/live';
import { DEFAULT_REPORT, FixtureBackend, recorded, recordingKey } from '$lib/api/fixtures';
import { FACTORS, PRESET_WEIGHTS, type FactorValues } from '$lib/domain/factors';
import { matchingPreset, parseCountries, WhatIfState, type WhatIfApi } from './whatif.svelte';

const order = (state: WhatIfState) => state.rows().map((r) => r.vendor_id);
const recordedOrder = (scenario: string) => recorded.scores[recordingKey(scenario, 'weighted_sum', 'neutral')]!.vendors.map((v) => v.vendor_id);

/** A backend that answers every request with the default report's scores, its weights echoed raw. */
function echoBackend(onRescore: (scenario: ScenarioInput) => Promise<void> | void = () => {}): WhatIfApi & { calls: number } {
	const api = {
		calls: 0,
		async rescore(scenario: ScenarioInput): Promise<LiveScores> {
			api.calls++;
			await onRescore(scenario);
			return { ...liveScoresOf(DEFAULT_REPORT, 1), weights: { ...PRESET_WEIGHTS.default, ...scenario.weights } };
		},
		async liveTable(): Promise<LiveTable> {
			api.calls++;
			return liveTableOf(DEFAULT_REPORT, 1);
		}
	};
	return api;
}

describe('what-if re-scoring', () => {
	it('re-sorts the ranking as the recorded engine ranks each preset, whatever the sliders\' scale', async () => {
		const state = new WhatIfState(new FixtureBackend());
		await state.refresh();
		expect(order(state)).toEqual(recordedOrder('default'));
		expect(order(state).slice(0, 3)).toEqual(['lotusgate', 'kaspersky', 'jadeport']);
		await state.applyPreset('bod-17-01');
		expect(order(state)).toEqual(recordedOrder('bod-17-01'));
		expect(order(state)[0]).toBe('kaspersky');
		// The same proportions on the sliders, one move at a time: the steps between are not recorded
		// (the preview says so), the end is.
		await state.applyPreset('default');
		for (const f of ['ownership', 'market', 'testimony', 'designations', 'install_base'] as const) await state.setWeight(f, 0);
		expect(state.error).toMatch(/browser preview replays answers recorded from the engine/);
		for (const f of ['ties', 'jurisdiction', 'privilege'] as const) await state.setWeight(f, 10);
		expect(state.error).toBeNull();
		expect(order(state)).toEqual(recordedOrder('bod-17-01'));
		expect(state.rows()[0]!.score).toBe(recorded.scores[recordingKey('bod-17-01', 'weighted_sum', 'neutral')]!.vendors[0]!.score);
	});

	it('keeps the list of the last answer when a request is refused', async () => {
		const state = new WhatIfState(new FixtureBackend());
		await state.refresh();
		await state.setWeight('ownership', 21);
		expect(state.error).toMatch(/cargo xtask run/);
		expect(order(state)).toEqual(recordedOrder('default'));
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
		const sent: ScenarioInput[] = [];
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		const state = new WhatIfState(
			echoBackend(async (scenario) => {
				sent.push(scenario);
				if (sent.length === 1) await gate;
			})
		);
		const first = state.setWeight('ownership', 1);
		state.setWeight('ownership', 2);
		state.setWeight('ownership', 3);
		const last = state.setWeight('ownership', 4);
		release();
		await Promise.all([first, last]);
		expect(sent.map((s) => s.weights?.ownership)).toEqual([1, 4]);
		expect(state.live!.weights.ownership).toBe(4);
	});

	it('refuses all-zero weights with a message instead of calling the backend', async () => {
		const backend = echoBackend();
		const state = new WhatIfState(backend);
		state.raw = { ownership: 0, ties: 0, jurisdiction: 0, market: 0, testimony: 0, designations: 0, install_base: 0, privilege: 0 };
		await state.refresh();
		expect(backend.calls).toBe(0);
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

/** A deterministic permutation of 0..n-1 (Fisher–Yates over a small LCG): given data, not a ranking. */
function permutation(n: number, seed: number): Uint32Array {
	const out = Uint32Array.from({ length: n }, (_, i) => i);
	let state = seed >>> 0;
	for (let i = n - 1; i > 0; i--) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		const j = state % (i + 1);
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

describe('what-if with 1,000 vendors', () => {
	// The UI state, not scoring: a stub answers each input with a given order (a permutation per
	// ownership weight) and scores falling down it; the state must show exactly that order.
	// The latency is printed, not asserted (the end-to-end run in the real app measures speed).
	const n = 1000;
	const table: LiveTable = {
		generation: 1,
		vendors: Array.from({ length: n }, (_, i) => ({
			vendor_id: `v${String(i).padStart(5, '0')}`,
			name: `Vendor ${i}`,
			prohibited: false,
			designations: [],
			possibly_prohibited: false,
			possible_designations: [],
			mitigation: 0,
			factors: Object.fromEntries(FACTORS.map((f) => [f, 0.5])) as FactorValues
		}))
	};
	const orders = Array.from({ length: 51 }, (_, k) => permutation(n, k + 1));
	const answer = (k: number): LiveScores => {
		const order = orders[k]!;
		const scores = new Float64Array(n);
		const bands = new Uint8Array(n);
		order.forEach((p, i) => {
			scores[p] = 100 - (i * 100) / n;
			bands[p] = Math.min(3, Math.floor(scores[p]! / 25));
		});
		return { generation: 1, weights: { ...PRESET_WEIGHTS.default, ownership: k }, scores, order, bands };
	};
	const answers = orders.map((_, k) => answer(k));
	const api: WhatIfApi = {
		rescore: async (scenario) => answers[scenario.weights?.ownership ?? 0]!,
		liveTable: async () => table
	};

	it('re-ranks every vendor on each slider input', async () => {
		const state = new WhatIfState(api);
		await state.setWeight('ownership', 0);
		state.setBaseline();
		const baseRank = new Map(Array.from(orders[0]!, (p, i) => [table.vendors[p]!.vendor_id, i + 1]));
		const times: number[] = [];
		for (let i = 0; i < 200; i++) {
			const k = (i * 7) % 51;
			const t0 = performance.now();
			await state.setWeight('ownership', k);
			// The rows in view (as the virtualised list builds them) and the movers count over all.
			const rows = state.rowsIn(0, 20);
			const movers = state.movers;
			times.push(performance.now() - t0);
			const expected = Array.from(orders[k]!.subarray(0, 20), (p) => table.vendors[p]!.vendor_id);
			if (state.count !== n || rows.map((r) => r.vendor_id).join() !== expected.join()) throw new Error(`input ${k}: not the given order`);
			if (rows.some((r, j) => r.rank !== j + 1 || r.rankChange !== baseRank.get(r.vendor_id)! - (j + 1))) throw new Error(`input ${k}: wrong ranks`);
			const moved = Array.from(orders[k]!).filter((p, j) => orders[0]![j] !== p).length;
			if (movers !== moved) throw new Error(`input ${k}: ${movers} movers, expected ${moved}`);
		}
		times.sort((a, b) => a - b);
		const median = times[Math.floor(times.length / 2)]!;
		const p95 = times[Math.floor(times.length * 0.95)]!;
		const max = times[times.length - 1]!;
		console.log(`slider → re-sorted list, 1,000 vendors: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${max.toFixed(2)} ms`);
		// The whole list is the last input's order, with its scores and bands.
		const last = (199 * 7) % 51;
		expect(order(state)).toEqual(Array.from(orders[last]!, (p) => table.vendors[p]!.vendor_id));
		expect(state.rows().map((r) => r.score)).toEqual(Array.from({ length: n }, (_, i) => 100 - (i * 100) / n));
		expect(state.rows()[0]!.band).toBe('severe');
		expect(state.rows()[n - 1]!.band).toBe('low');
	});
});
