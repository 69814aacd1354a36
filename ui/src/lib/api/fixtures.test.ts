import { describe, expect, it } from 'vitest';
import type { AhpPair } from './bindings/AhpPair';
import type { Method } from './bindings/Method';
import type { MissingPolicy } from './bindings/MissingPolicy';
import type { SmaaProgress } from './bindings/SmaaProgress';
import { FACTORS, PRESET_NAMES, PRESET_WEIGHTS, type FactorValues } from '$lib/domain/factors';
import {
	DEFAULT_REPORT,
	FixtureBackend,
	handKept,
	parsePublicKey,
	placeholderChart,
	PREVIEW_PUBLIC_KEY_FILE,
	PREVIEW_SECRET_KEY,
	PREVIEW_TRUSTED_KEY,
	RECORDED_AS_OF,
	RECORDED_DELTA,
	recorded,
	recordingKey
} from './fixtures';

/** Keys a binding declares, per type: the recordings must have exactly these (the bindings are hand-written). */
const KEYS = {
	ScoreReport: ['as_of', 'method', 'scenario', 'weights', 'params', 'dataset_sha256', 'vendors'],
	ScoreParams: [
		'as_of',
		'concern_countries',
		'private_concern',
		'control_threshold',
		'half_life_years',
		'testimony_scale',
		'market_window_years',
		'users_ref',
		'missing',
		'share_basis',
		'control_confidence'
	],
	VendorScore: [
		'vendor_id',
		'name',
		'rank',
		'score',
		'band',
		'prohibited',
		'designations',
		'possibly_prohibited',
		'possible_designations',
		'mitigation',
		'factors',
		'contributions',
		'missing'
	],
	FactorExplanation: ['factor', 'value', 'weight', 'contribution', 'missing', 'evidence', 'sentences'],
	SensitivityReport: ['vendor_id', 'tornado', 'stability'],
	TornadoRow: ['factor', 'low_score', 'high_score', 'low_rank', 'high_rank'],
	StabilityRow: ['factor', 'weight', 'lo', 'hi'],
	SmaaResult: ['samples', 'seed', 'mode', 'method', 'ranks', 'vendors'],
	SmaaVendor: ['vendor_id', 'acceptability', 'central_weights', 'holistic'],
	Batch: ['batch_id', 'created_at', 'label', 'files', 'counts', 'undone_at', 'created_by', 'undone_by'],
	BatchFile: ['name', 'table', 'sha256', 'rows'],
	VendorListing: ['vendor_id', 'name', 'hq_country', 'privilege', 'category', 'mitigation'],
	ScenarioList: ['scenarios', 'presets'],
	SavedScenario: ['name', 'spec', 'updated_at'],
	ScenarioSpec: ['weights', 'method', 'params'],
	ScenarioDiff: ['a', 'b', 'weights', 'method', 'params', 'vendors'],
	ScenarioDiffVendor: ['vendor_id', 'rank_a', 'rank_b', 'score_a', 'score_b', 'rank_change', 'score_change'],
	AhpResult: ['weights', 'lambda_max', 'ci', 'cr', 'consistent'],
	AhpPair: ['a', 'b', 'value']
};

const EVIDENCE_KEYS: Record<string, string[]> = {
	stake: ['kind', 'from', 'to', 'share', 'exposure_of_owner', 'contribution', 'source'],
	controller: ['kind', 'entity', 'path'],
	tie: ['kind', 'member', 'other', 'tie_kind', 'strength', 'confidence', 'concern_weight', 'p', 'source'],
	jurisdiction: ['kind', 'hq_country', 'of_concern'],
	market_years: ['kind', 'years', 'concern_revenue', 'total_revenue'],
	note_term: ['kind', 'note_id', 'subject', 'date', 'stance', 'severity', 'reliability', 'credibility', 'age_years', 'term', 'source'],
	listing: ['kind', 'entity', 'list', 'effective', 'ends', 'source', 'via'],
	designated_holder: ['kind', 'holder', 'share'],
	install_year: ['kind', 'year', 'users'],
	privilege: ['kind', 'level'],
	missing: ['kind', 'policy', 'value']
};

function keysOf(value: unknown): string[] {
	return Object.keys(value as object).sort();
}
const sorted = (keys: string[]) => [...keys].sort();


const METHODS: readonly Method[] = ['weighted_sum', 'weighted_product', 'topsis'];
const POLICIES: readonly MissingPolicy[] = ['zero', 'neutral', 'worst'];
const SCENARIOS = [...PRESET_NAMES, 'bod'];

const report = (scenario: string, method: Method = 'weighted_sum', missing: MissingPolicy = 'neutral') => {
	const found = recorded.scores[recordingKey(scenario, method, missing)];
	if (!found) throw new Error(`no recording ${recordingKey(scenario, method, missing)}`);
	return found;
};
const ids = (list: { vendor_id: string }[]) => list.map((v) => v.vendor_id);
const scaled = (weights: FactorValues, k: number) => Object.fromEntries(FACTORS.map((f) => [f, weights[f] * k])) as FactorValues;
const REPLAY_REFUSAL = /browser preview replays answers recorded from the engine and has none for .*The desktop app \(cargo xtask run\) scores any weighting/;

describe('the recordings have exactly the shapes the bindings declare', () => {
	it('a report for every scenario, method and missing policy, each as its key says', () => {
		const expected = SCENARIOS.flatMap((s) => METHODS.flatMap((m) => POLICIES.map((p) => recordingKey(s, m, p))));
		expect(Object.keys(recorded.scores).sort()).toEqual(expected.sort());
		for (const [key, r] of Object.entries(recorded.scores)) {
			expect(keysOf(r), key).toEqual(sorted(KEYS.ScoreReport));
			expect(keysOf(r.params), key).toEqual(sorted(KEYS.ScoreParams));
			expect(Object.keys(r.weights), key).toEqual([...FACTORS]);
			expect(recordingKey(r.scenario, r.method, r.params.missing)).toBe(key);
			expect(r.params.as_of).toBe(r.as_of);
			expect(r.params.concern_countries).toEqual(DEFAULT_REPORT.params.concern_countries);
			expect(ids(r.vendors).sort(), key).toEqual(ids(recorded.vendors).sort());
			for (const v of r.vendors) {
				expect(keysOf(v)).toEqual(sorted(KEYS.VendorScore));
				expect(Object.keys(v.factors)).toEqual([...FACTORS]);
			}
		}
	});

	it('reports as of the recording date, except the saved scenario bod, which keeps its own', () => {
		for (const [key, r] of Object.entries(recorded.scores)) expect(r.as_of, key).toBe(r.scenario === 'bod' ? '2018-01-01' : RECORDED_AS_OF);
		expect(RECORDED_AS_OF).toBe('2026-11-27');
	});

	it("explanations, one per vendor, with every evidence kind the engine emits", () => {
		expect(Object.keys(recorded.explanations).sort()).toEqual(ids(recorded.vendors).sort());
		const kinds = new Set<string>();
		for (const [id, e] of Object.entries(recorded.explanations)) {
			expect(keysOf(e)).toEqual(['factors', 'vendor']);
			expect(keysOf(e.vendor)).toEqual(sorted(KEYS.VendorScore));
			expect(e.vendor.vendor_id).toBe(id);
			expect(e.factors.map((f) => f.factor)).toEqual([...FACTORS]);
			for (const f of e.factors) {
				expect(keysOf(f)).toEqual(sorted(KEYS.FactorExplanation));
				for (const ev of f.evidence) {
					kinds.add(ev.kind);
					expect(keysOf(ev), `evidence kind ${ev.kind}`).toEqual(sorted(EVIDENCE_KEYS[ev.kind] ?? []));
				}
			}
		}
		expect([...kinds].sort()).toEqual(Object.keys(EVIDENCE_KEYS).sort());
	});

	it('sensitivity, SMAA, batches, vendors, scenarios, diff and AHP', () => {
		expect(Object.keys(recorded.sensitivity).sort()).toEqual(ids(recorded.vendors).sort());
		for (const [id, s] of Object.entries(recorded.sensitivity)) {
			expect(keysOf(s)).toEqual(sorted(KEYS.SensitivityReport));
			expect(s.vendor_id).toBe(id);
			s.tornado.forEach((t) => expect(keysOf(t)).toEqual(sorted(KEYS.TornadoRow)));
			s.stability.forEach((row) => expect(keysOf(row)).toEqual(sorted(KEYS.StabilityRow)));
		}
		expect(keysOf(recorded.smaa)).toEqual(sorted(KEYS.SmaaResult));
		recorded.smaa.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.SmaaVendor)));
		handKept.batches.forEach((b) => {
			expect(keysOf(b)).toEqual(sorted(KEYS.Batch));
			b.files.forEach((f) => expect(keysOf(f)).toEqual(sorted(KEYS.BatchFile)));
		});
		recorded.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.VendorListing)));
		expect(keysOf(handKept.scenarios)).toEqual(sorted(KEYS.ScenarioList));
		handKept.scenarios.scenarios.forEach((s) => {
			expect(keysOf(s)).toEqual(sorted(KEYS.SavedScenario));
			expect(keysOf(s.spec)).toEqual(sorted(KEYS.ScenarioSpec));
		});
		expect(keysOf(recorded.scenarioDiff)).toEqual(sorted(KEYS.ScenarioDiff));
		recorded.scenarioDiff.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.ScenarioDiffVendor)));
		expect(recorded.ahp.length).toBeGreaterThanOrEqual(5);
		for (const { pairs, result } of recorded.ahp) {
			pairs.forEach((p) => expect(keysOf(p)).toEqual(sorted(KEYS.AhpPair)));
			expect(keysOf(result)).toEqual(sorted(KEYS.AhpResult));
		}
	});

	it('the saved scenario bod is what its recordings were made with', () => {
		const bod = handKept.scenarios.scenarios.find((s) => s.name === 'bod')!;
		expect(bod.spec.params['as_of']).toBe(report('bod').as_of);
		expect(report('bod').weights).toEqual(report('bod-17-01').weights);
	});
});

describe('the fixture backend replays the engine', () => {
	it('answers a preset request with exactly the recorded report', async () => {
		const backend = new FixtureBackend();
		expect(await backend.score({})).toEqual(report('default'));
		expect(await backend.score({ scenario: 'bod-17-01' })).toEqual(report('bod-17-01'));
	});

	it('selects the report by scenario, method and missing policy', async () => {
		const backend = new FixtureBackend();
		for (const scenario of SCENARIOS)
			for (const method of METHODS)
				for (const missing of POLICIES) expect(await backend.score({ scenario, method, missing })).toEqual(report(scenario, method, missing));
		// They differ: a replay of the wrong key would fail above.
		expect(report('default', 'topsis').vendors[0]!.score).not.toBe(report('default').vendors[0]!.score);
		const harbor = (missing: MissingPolicy) => report('default', 'weighted_sum', missing).vendors.find((v) => v.vendor_id === 'harborbyte')!;
		expect([harbor('zero').factors.install_base, harbor('neutral').factors.install_base, harbor('worst').factors.install_base]).toEqual([0, 0.5, 1]);
	});

	it("hits a recording with weights proportional to a preset's, and names the requested scenario", async () => {
		const backend = new FixtureBackend();
		const answer = await backend.score({ weights: scaled(PRESET_WEIGHTS['bod-17-01'], 7), method: 'topsis' });
		expect(answer).toEqual({ ...report('bod-17-01', 'topsis'), scenario: 'default' });
		const equal = await backend.score({ scenario: 'ownership-first', weights: scaled(PRESET_WEIGHTS.equal, 0.3) });
		expect(equal).toEqual({ ...report('equal'), scenario: 'ownership-first' });
	});

	it("replays the saved scenario at its own date, and at today's with its weights", async () => {
		const backend = new FixtureBackend();
		expect(await backend.score({ scenario: 'bod', missing: 'worst' })).toEqual(report('bod', 'weighted_sum', 'worst'));
		expect(await backend.score({ scenario: 'bod', asOf: RECORDED_AS_OF })).toEqual({ ...report('bod-17-01'), scenario: 'bod' });
		expect(await backend.score({ asOf: '2018-01-01', weights: { ownership: 0, ties: 2, jurisdiction: 2, market: 0, testimony: 0, designations: 0, install_base: 0, privilege: 2 } })).toEqual({
			...report('bod'),
			scenario: 'default'
		});
	});

	it('refuses unrecorded weights, dates, countries and parameters, saying so', async () => {
		const backend = new FixtureBackend();
		const refused = { code: 'invalid', message: expect.stringMatching(REPLAY_REFUSAL) };
		await expect(backend.score({ weights: { ownership: 21 } })).rejects.toMatchObject(refused);
		await expect(backend.score({ weights: { ownership: 21 } })).rejects.toThrow(/these weights/);
		await expect(backend.score({ asOf: '2025-01-01' })).rejects.toMatchObject(refused);
		await expect(backend.score({ asOf: '2018-01-01' })).rejects.toMatchObject(refused);
		await expect(backend.score({ concern: ['CN', 'RU'] })).rejects.toMatchObject(refused);
		await expect(backend.score({ params: { half_life_years: '5' } })).rejects.toMatchObject(refused);
		// The same countries in another order, or a parameter at its recorded value, are the same request.
		expect(await backend.score({ concern: [...DEFAULT_REPORT.params.concern_countries].reverse() })).toEqual(report('default'));
		expect(await backend.score({ params: { half_life_years: '3' } })).toEqual(report('default'));
	});

	it("checks inputs as the shell does, with the shell's codes", async () => {
		const backend = new FixtureBackend();
		const zero = Object.fromEntries(FACTORS.map((f) => [f, 0]));
		await expect(backend.score({ weights: zero })).rejects.toMatchObject({ code: 'invalid', message: 'all weights are zero' });
		await expect(backend.score({ weights: { ties: -1 } })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/ties/) });
		await expect(backend.score({ weights: { ties: NaN } })).rejects.toMatchObject({ code: 'invalid' });
		await expect(backend.score({ asOf: '27/11/2026' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/YYYY-MM-DD/) });
		await expect(backend.score({ scenario: 'nope' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/no scenario or preset named "nope"/) });
	});

	it('converts the replayed report for the live list', async () => {
		const backend = new FixtureBackend();
		const live = await backend.rescore({ scenario: 'bod-17-01' });
		const table = await backend.liveTable({ scenario: 'bod-17-01' });
		expect(Array.from(live.order, (p) => table.vendors[p]!.vendor_id)).toEqual(ids(report('bod-17-01').vendors));
		await expect(backend.rescore({ weights: { ownership: 21 } })).rejects.toMatchObject({ code: 'invalid' });
	});

	it('replays explanations and tornados for the default request only', async () => {
		const backend = new FixtureBackend();
		expect(await backend.explain('kaspersky', {})).toEqual(recorded.explanations['kaspersky']);
		expect(await backend.explain('lotusgate', { weights: scaled(PRESET_WEIGHTS.default, 2) })).toEqual(recorded.explanations['lotusgate']);
		await expect(backend.explain('kaspersky', { scenario: 'bod-17-01' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		await expect(backend.explain('nobody', {})).rejects.toMatchObject({ code: 'invalid', message: 'unknown vendor "nobody"' });

		expect(await backend.sensitivity('kaspersky', RECORDED_DELTA, {})).toEqual(recorded.sensitivity['kaspersky']);
		await expect(backend.sensitivity('kaspersky', RECORDED_DELTA + 0.05, {})).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		await expect(backend.sensitivity('kaspersky', RECORDED_DELTA, { method: 'topsis' })).rejects.toMatchObject({ code: 'invalid' });
		await expect(backend.sensitivity('nobody', RECORDED_DELTA, {})).rejects.toMatchObject({ code: 'invalid', message: 'unknown vendor "nobody"' });
	});

	it('replays SMAA with progress, and cancels', async () => {
		const backend = new FixtureBackend();
		const options = { samples: recorded.smaa.samples, seed: recorded.smaa.seed, mode: recorded.smaa.mode, kappa: 50, ranks: null };
		const progress: SmaaProgress[] = [];
		expect(await backend.smaa({}, options, (p) => progress.push(p))).toEqual(recorded.smaa);
		expect(progress.at(-1)).toEqual({ done: recorded.smaa.samples, total: recorded.smaa.samples });
		expect(progress.length).toBeGreaterThan(1);
		await expect(backend.smaa({}, { ...options, seed: 1 }, () => {})).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		await expect(backend.smaa({ scenario: 'equal' }, options, () => {})).rejects.toMatchObject({ code: 'invalid' });
		const run = backend.smaa({}, options, () => void backend.cancelSmaa());
		await expect(run).rejects.toMatchObject({ code: 'cancelled' });
	});

	it('replays AHP by its pairs, in any order and either orientation', async () => {
		const backend = new FixtureBackend();
		for (const { pairs, result } of recorded.ahp) {
			expect(await backend.ahp(pairs)).toEqual(result);
			const flipped: AhpPair[] = [...pairs].reverse().map(({ a, b, value }) => ({ a: b, b: a, value: 1 / value }));
			expect(await backend.ahp(flipped)).toEqual(result);
		}
		const first = recorded.ahp[0]!.pairs;
		const other = first.map((p, i) => (i === 0 ? { ...p, value: 3 } : p));
		await expect(backend.ahp(other)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		await expect(backend.ahp([...first, first[0]!])).rejects.toMatchObject({ code: 'invalid' });
	});

	it('replays the recorded diff for scenarios that resolve to its sides', async () => {
		const backend = new FixtureBackend();
		const diff = recorded.scenarioDiff;
		expect(await backend.diffScenarios(diff.a, diff.b)).toEqual(diff);
		await backend.saveScenario('board', { scenario: 'bod-17-01', asOf: '2018-01-01' });
		expect(await backend.diffScenarios('default', 'board')).toEqual({ ...diff, b: 'board' });
		await expect(backend.diffScenarios('default', 'equal')).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		// Deleting bod does not change what the recording was made with.
		await backend.deleteScenario('bod');
		expect(await backend.diffScenarios('default', 'board')).toEqual({ ...diff, b: 'board' });
	});

	it('previews the empty store with ?vendors=0', async () => {
		const empty = FixtureBackend.forPreview('?vendors=0');
		expect(await empty.vendors()).toEqual([]);
		expect(await empty.batches()).toEqual([]);
		expect((await empty.score({})).vendors).toEqual([]);
		await expect(empty.explain('kaspersky', {})).rejects.toMatchObject({ code: 'invalid', message: 'unknown vendor "kaspersky"' });
		expect(await FixtureBackend.forPreview('').vendors()).toEqual(recorded.vendors);
		expect(await FixtureBackend.forPreview('?vendors=1000').vendors()).toEqual(recorded.vendors);
	});
});

describe('the fixture backend', () => {
	it('saves, lists and deletes a scenario', async () => {
		const backend = new FixtureBackend();
		await backend.saveScenario('board', { weights: { ownership: 40 }, asOf: '2025-01-01' });
		const names = (await backend.scenarios()).scenarios.map((s) => s.name);
		expect(names).toContain('board');
		const board = (await backend.scenarios()).scenarios.find((s) => s.name === 'board')!;
		expect(board.spec.weights.ownership).toBe(40);
		expect(board.spec.params['as_of']).toBe('2025-01-01');
		await backend.deleteScenario('board');
		expect((await backend.scenarios()).scenarios.map((s) => s.name)).not.toContain('board');
	});

	it('escapes vendor names in its placeholder charts', () => {
		const r = structuredClone(DEFAULT_REPORT);
		r.vendors[0]!.name = '<script>alert(1)</script> & "Co"';
		const svg = placeholderChart('ranking', [], r, false);
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
	});

	it('counts every table, in the store’s order', async () => {
		const counts = await new FixtureBackend().counts();
		expect(counts.map((c) => c.table)).toEqual(recorded.tableSchemas.map((s) => s.table));
		expect(counts.map((c) => c.table)).toEqual(expect.arrayContaining(['identifiers', 'aliases', 'links']));
		expect(counts.find((c) => c.table === 'vendors')!.rows).toBe(9);
	});

	it('keeps a link’s pair in byte order and refuses a link of an id to itself', async () => {
		const backend = new FixtureBackend();
		const link = { other_id: 'acme', decision: 'same', decided_by: 'analyst', decided_on: '2026-12-06' };
		expect((await backend.enterRows('links', [{ entity_id: 'kaspersky', ...link }])).status).toBe('entered');
		const pairs = (await backend.vendorRows('kaspersky', 'links')).map((r) => [r['entity_id'], r['other_id']]);
		expect(pairs).toContainEqual(['acme', 'kaspersky']);
		expect(pairs).not.toContainEqual(['kaspersky', 'acme']);
		const self = await backend.enterRows('links', [{ entity_id: 'kaspersky', ...link, other_id: 'kaspersky' }]);
		expect(self).toMatchObject({ status: 'rejected', errors: [{ file: 'links.csv', line: 2, column: 'other_id' }] });
	});

	it('writes a brief with "changes since" blank, a batch number or a date, and refuses anything else as the shell does', async () => {
		const backend = new FixtureBackend();
		const write = (since: string | null) => backend.writeBrief(['kaspersky'], { scenario: 'default' }, '/tmp/b.pdf', since);
		await Promise.all([null, '', '  ', '3', ' 12 ', '2024-06-24', '2024-02-29'].map((since) => expect(write(since)).resolves.toBeUndefined()));
		for (const bad of ['batch 3', '2024-02-30', '2024-6-24', '3.5'])
			await expect(write(bad)).rejects.toMatchObject({ name: 'BackendError', code: 'invalid', message: expect.stringContaining('neither a batch number nor a date') });
		await expect(backend.changes('yesterday', null, { scenario: 'default' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/^from: "yesterday" is neither/) });
	});

	it('answers the OS user name and the save dialogs as the preview’s analyst', async () => {
		const backend = new FixtureBackend();
		expect(await backend.userName()).toBe('analyst');
		expect(await backend.chooseSave('pdf', 'vetta-kaspersky.pdf')).toBe('/home/analyst/Documents/vetta-kaspersky.pdf');
		expect(await backend.chooseSave('folder', '')).toBe(`/home/analyst/Documents/vetta-dataset-${RECORDED_AS_OF}`);
	});
});

describe('the fixture backend screens and decides links', () => {
	const SCREEN_KEYS = {
		ScreenReview: ['report', 'parties'],
		ScreenReport: ['min_score', 'book', 'others', 'candidates'],
		Candidate: ['entity_id', 'other_id', 'vendor_id', 'score', 'reasons'],
		PartyCard: ['id', 'vendor_id', 'kind', 'country', 'names', 'identifiers', 'linked', 'listings', 'owners'],
		ListingLine: ['subject_id', 'list', 'program', 'effective', 'effective_precision', 'ends', 'source'],
		ChangesReport: ['from', 'to', 'vendors'],
		VendorChange: ['vendor_id', 'name', 'before', 'after', 'facts'],
		Standing: ['score', 'band', 'rank', 'prohibited', 'possibly_prohibited', 'designations', 'factors'],
		FactChange: ['table', 'change', 'key']
	};
	const pair = (c: { entity_id: string; other_id: string }) => `${c.entity_id}|${c.other_id}`;

	it('has recordings of exactly the shapes the bindings declare, each candidate’s parties carded', () => {
		const { report, parties } = recorded.screen;
		expect(keysOf(recorded.screen)).toEqual(sorted(SCREEN_KEYS.ScreenReview));
		expect(keysOf(report)).toEqual(sorted(SCREEN_KEYS.ScreenReport));
		for (const c of report.candidates) {
			expect(keysOf(c)).toEqual(sorted(SCREEN_KEYS.Candidate));
			expect(c.score).toBeGreaterThanOrEqual(report.min_score);
			expect(parties[c.entity_id], c.entity_id).toBeDefined();
			expect(parties[c.other_id], c.other_id).toBeDefined();
		}
		const scores = report.candidates.map((c) => c.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		for (const [id, card] of Object.entries(parties)) {
			expect(keysOf(card)).toEqual(sorted(SCREEN_KEYS.PartyCard));
			expect(card.id).toBe(id);
			card.listings.forEach((l) => expect(keysOf(l)).toEqual(sorted(SCREEN_KEYS.ListingLine)));
		}
		expect(keysOf(recorded.changes)).toEqual(sorted(SCREEN_KEYS.ChangesReport));
		for (const v of recorded.changes.vendors) {
			expect(keysOf(v)).toEqual(sorted(SCREEN_KEYS.VendorChange));
			for (const s of [v.before, v.after]) if (s) expect(keysOf(s)).toEqual(sorted(SCREEN_KEYS.Standing));
			v.facts.forEach((f) => expect(keysOf(f)).toEqual(sorted(SCREEN_KEYS.FactChange)));
		}
	});

	it('answers the recorded threshold and any higher one, and refuses a lower one', async () => {
		const backend = new FixtureBackend();
		const at = recorded.screen.report.min_score;
		expect(await backend.screen(at)).toEqual(recorded.screen);
		const higher = await backend.screen(0.95);
		expect(higher.report.min_score).toBe(0.95);
		expect(higher.report.candidates).toEqual(recorded.screen.report.candidates.filter((c) => c.score >= 0.95));
		const named = new Set(higher.report.candidates.flatMap((c) => [c.entity_id, c.other_id]));
		expect(Object.keys(higher.parties).sort()).toEqual([...named].sort());
		await expect(backend.screen(at - 0.1)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/replays answers recorded/) });
		await expect(backend.screen(1.5)).rejects.toMatchObject({ code: 'invalid', message: 'min score 1.5 is not between 0 and 1' });
		const empty = await FixtureBackend.forPreview('?vendors=0').screen(at);
		expect(empty.report).toEqual({ min_score: at, book: 0, others: 0, candidates: [] });
	});

	it('records decisions as one batch, takes them out of the queue and puts them back on undo', async () => {
		const backend = new FixtureBackend();
		const queue = recorded.screen.report.candidates;
		expect(queue.length).toBeGreaterThan(0);
		// The recorded queue's first candidate, and a pair the queue does not hold (the demo's OOO
		// Kaspersky Group entry) decided with it in one batch.
		const a = queue[0]!;
		const b = { ...a, entity_id: 'kaspersky', other_id: 'csl:vetta-transcribed-el-2' };
		const linksBefore = (await backend.links()).links;
		const decisions = [
			{ entity_id: a.entity_id, other_id: a.other_id, decision: 'different', decided_by: 'analyst', basis: '  ' },
			{ entity_id: b.entity_id, other_id: b.other_id, decision: 'same', decided_by: 'analyst', basis: 'the register says so' }
		];
		const result = await backend.decideLinks(decisions);
		expect(result.batch).toMatchObject({ label: 'links', counts: { links: 2 }, undone_at: null });
		expect((await backend.screen(0.7)).report.candidates.map(pair)).toEqual(queue.slice(1).map(pair));
		const links = (await backend.links()).links;
		const stored = (c: typeof a) => links.find((l) => [l.entity_id, l.other_id].sort().join() === [c.entity_id, c.other_id].sort().join());
		expect(stored(a)).toMatchObject({ decision: 'different', basis: null, decided_on: RECORDED_AS_OF });
		expect(stored(b)).toMatchObject({ decision: 'same', basis: 'the register says so', decided_by: 'analyst' });
		expect((await backend.batches()).at(-1)!.batch_id).toBe(result.batch.batch_id);
		await backend.undo(result.batch.batch_id);
		expect((await backend.screen(0.7)).report.candidates).toEqual(queue);
		expect((await backend.links()).links).toEqual(linksBefore);
		const one = await backend.decideLinks([decisions[0]!]);
		expect(one.batch.label).toBe('link');
	});

	it('refuses what the links rules refuse, naming the rule, and writes nothing', async () => {
		const backend = new FixtureBackend();
		const before = await backend.batches();
		const decision = { entity_id: 'kaspersky', other_id: 'nordlicht', decision: 'same', decided_by: 'analyst', basis: null };
		await expect(backend.decideLinks([decision])).rejects.toMatchObject({
			code: 'invalid',
			message: 'links.csv:2:other_id: this link would make vendors "kaspersky" and "nordlicht" one entity (through "kaspersky" and "nordlicht")\nrejected: 1 error found; nothing was imported'
		});
		await expect(backend.decideLinks([{ ...decision, other_id: 'kaspersky' }])).rejects.toThrow(/a link of an entity to itself is not allowed/);
		await expect(backend.decideLinks([{ ...decision, decision: 'maybe' }])).rejects.toThrow(/links.csv:2:decision: "maybe" is not one of same, different/);
		await expect(backend.decideLinks([{ ...decision, decided_by: ' ' }])).rejects.toThrow(/links.csv:2:decided_by: a value is required/);
		await expect(backend.decideLinks([])).rejects.toMatchObject({ code: 'invalid', message: 'no rows to enter' });
		// Two vendors joined through a third id, within one batch.
		const through = [
			{ ...decision, other_id: 'csl:x' },
			{ ...decision, entity_id: 'nordlicht', other_id: 'csl:x' }
		];
		await expect(backend.decideLinks(through)).rejects.toThrow(/links.csv:3:other_id: this link would make vendors "nordlicht" and "kaspersky" one entity/);
		expect(await backend.batches()).toEqual(before);
		// `different` between two vendors is no conflict.
		expect((await backend.decideLinks([{ ...decision, decision: 'different' }])).batch.label).toBe('link');
	});
});

describe('trusted keys and bundles in the preview', () => {
	it('reads a public key as minisign writes it, its key id from its key number', () => {
		expect(parsePublicKey(PREVIEW_TRUSTED_KEY.public_key)).toEqual({ key_id: PREVIEW_TRUSTED_KEY.key_id, public_key: PREVIEW_TRUSTED_KEY.public_key });
		expect(parsePublicKey(PREVIEW_PUBLIC_KEY_FILE.text).key_id).toBe(PREVIEW_PUBLIC_KEY_FILE.keyId);
		expect(PREVIEW_TRUSTED_KEY.public_key).toMatch(/^RW[A-Za-z0-9+/]{54}$/);
		for (const bad of ['', 'hello', PREVIEW_TRUSTED_KEY.public_key.slice(4), `x\n${PREVIEW_TRUSTED_KEY.public_key}`])
			expect(() => parsePublicKey(bad), bad).toThrow(/not a minisign public key/);
	});

	it('trusts one fictional key, adds pasted and chosen ones under a label, and removes them', async () => {
		const backend = new FixtureBackend();
		expect(await backend.trustedKeys()).toEqual([PREVIEW_TRUSTED_KEY]);
		await expect(backend.trustKey(PREVIEW_PUBLIC_KEY_FILE.text, ' ')).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/say whose key it is/) });
		await expect(backend.trustKeyFile(PREVIEW_PUBLIC_KEY_FILE.path, 'Colleague')).rejects.toMatchObject({ code: 'denied' });
		const [path] = (await backend.chooseKey('publickey'))!;
		const added = await backend.trustKeyFile(path!, ' Colleague, risk team ');
		expect(added).toMatchObject({ key_id: PREVIEW_PUBLIC_KEY_FILE.keyId, label: 'Colleague, risk team' });
		// Trusting a key again updates its label.
		await backend.trustKey(PREVIEW_PUBLIC_KEY_FILE.text.split('\n')[1]!, 'Colleague');
		expect((await backend.trustedKeys()).map((k) => [k.key_id, k.label])).toEqual([
			[PREVIEW_TRUSTED_KEY.key_id, PREVIEW_TRUSTED_KEY.label],
			[PREVIEW_PUBLIC_KEY_FILE.keyId, 'Colleague']
		]);
		expect(await backend.untrustKey(PREVIEW_TRUSTED_KEY.key_id.toLowerCase())).toEqual(PREVIEW_TRUSTED_KEY);
		await expect(backend.untrustKey(PREVIEW_TRUSTED_KEY.key_id)).rejects.toMatchObject({ code: 'invalid', message: `no trusted key "${PREVIEW_TRUSTED_KEY.key_id}"` });
	});

	it('writes the store as a bundle to a saved path, signed only with a chosen key and its password', async () => {
		const backend = new FixtureBackend();
		const path = (await backend.chooseSave('bundle', 'vetta-2026-11-27.vetta-bundle'))!;
		await expect(backend.writeBundle('/tmp/elsewhere.vetta-bundle')).rejects.toMatchObject({ code: 'denied' });
		await expect(backend.writeBundle(path, PREVIEW_SECRET_KEY.path, 'pw')).rejects.toMatchObject({ code: 'denied' });
		await backend.chooseKey('secretkey');
		await expect(backend.writeBundle(path, PREVIEW_SECRET_KEY.path, null)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/wrong password for this key$/) });
		const manifest = await backend.writeBundle(path, PREVIEW_SECRET_KEY.path, 'pw');
		const counts = (await backend.counts()).filter((c) => c.rows > 0);
		expect(manifest).toMatchObject({ format: 'vetta-bundle', version: 1, created_by: 'analyst', dataset_sha256: DEFAULT_REPORT.dataset_sha256 });
		expect(manifest.files.map((f) => [f.name, f.rows])).toEqual(counts.map((c) => [`dataset/${c.table}.csv`, c.rows]));
		// Signed with the analyst's own key, which this workspace does not trust.
		await expect(backend.verifyBundle(path)).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/signed with key 645FF5700481E53D, which is not among/) });
		const unsigned = (await backend.chooseSave('bundle', 'plain.vetta-bundle'))!;
		await backend.writeBundle(unsigned);
		await expect(backend.verifyBundle(unsigned)).rejects.toMatchObject({ code: 'unsigned' });
		expect(await backend.verifyBundle(unsigned, true)).toEqual({ manifest: expect.objectContaining({ files: manifest.files }), signed_by: null });
	});

	it('imports a bundle signed by a trusted key, an unsigned one only when accepted, and never a changed one', async () => {
		const backend = new FixtureBackend();
		const signed = '/data/from-colleague.vetta-bundle';
		await expect(backend.checkImport([signed])).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/D53AB05711B01881, which is not among this workspace's trusted keys/) });
		const colleague = await backend.trustKey(PREVIEW_PUBLIC_KEY_FILE.text, 'Colleague');
		expect((await backend.verifyBundle(signed)).signed_by).toEqual(colleague);
		expect((await backend.importFiles([signed])).batch).toMatchObject({ created_by: 'analyst', undone_by: null });
		await expect(backend.importFiles(['/data/tampered.vetta-bundle'])).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/was changed after it was signed/) });
		await expect(backend.importFiles(['/data/unsigned.vetta-bundle'])).rejects.toMatchObject({ code: 'unsigned', message: expect.stringMatching(/not signed/) });
		const batch = (await backend.importFiles(['/data/unsigned.vetta-bundle'], () => {}, true)).batch;
		expect((await backend.undo(batch.batch_id)).undone_by).toBe('analyst');
	});
});
