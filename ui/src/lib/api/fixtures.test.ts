import { describe, expect, it } from 'vitest';
import { FACTORS, fromArray, PRESET_WEIGHTS } from '$lib/domain/factors';
import { ahp, scoreMatrix, sensitivity } from './fixture-engine';
import { FixtureBackend, fixtureData, matrixFromReport, placeholderChart } from './fixtures';
import scenarioDiff from './fixtures/scenario-diff.json';
import sensitivityKaspersky from './fixtures/sensitivity-kaspersky.json';
import smaaJson from './fixtures/smaa.json';

/** Keys a binding declares, per type: the fixtures must have exactly these (the bindings are hand-written). */
const KEYS = {
	ScoreReport: ['as_of', 'method', 'scenario', 'weights', 'params', 'dataset_sha256', 'vendors'],
	ScoreParams: ['as_of', 'concern_countries', 'private_concern', 'control_threshold', 'half_life_years', 'testimony_scale', 'market_window_years', 'users_ref', 'missing'],
	VendorScore: ['vendor_id', 'name', 'rank', 'score', 'band', 'prohibited', 'designations', 'mitigation', 'factors', 'contributions', 'missing'],
	FactorExplanation: ['factor', 'value', 'weight', 'contribution', 'missing', 'evidence', 'sentences'],
	SensitivityReport: ['vendor_id', 'tornado', 'stability'],
	TornadoRow: ['factor', 'low_score', 'high_score', 'low_rank', 'high_rank'],
	StabilityRow: ['factor', 'weight', 'lo', 'hi'],
	SmaaResult: ['samples', 'seed', 'mode', 'method', 'ranks', 'vendors'],
	SmaaVendor: ['vendor_id', 'acceptability', 'central_weights', 'holistic'],
	Batch: ['batch_id', 'created_at', 'label', 'files', 'counts', 'undone_at'],
	BatchFile: ['name', 'table', 'sha256', 'rows'],
	VendorListing: ['vendor_id', 'name', 'hq_country', 'privilege', 'category', 'mitigation'],
	ScenarioList: ['scenarios', 'presets'],
	SavedScenario: ['name', 'spec', 'updated_at'],
	ScenarioSpec: ['weights', 'method', 'params'],
	ScenarioDiff: ['a', 'b', 'weights', 'method', 'params', 'vendors'],
	ScenarioDiffVendor: ['vendor_id', 'rank_a', 'rank_b', 'score_a', 'score_b', 'rank_change', 'score_change'],
	AhpResult: ['weights', 'lambda_max', 'ci', 'cr', 'consistent']
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
	privilege: ['kind', 'level']
};

function keysOf(value: unknown): string[] {
	return Object.keys(value as object).sort();
}
const sorted = (keys: string[]) => [...keys].sort();

describe('the engine fixtures have exactly the shapes the bindings declare', () => {
	it('score report, its params and every vendor', () => {
		const report = fixtureData.score;
		expect(keysOf(report)).toEqual(sorted(KEYS.ScoreReport));
		expect(keysOf(report.params)).toEqual(sorted(KEYS.ScoreParams));
		expect(keysOf(report.weights)).toEqual(sorted([...FACTORS]));
		for (const v of report.vendors) {
			expect(keysOf(v)).toEqual(sorted(KEYS.VendorScore));
			expect(Object.keys(v.factors)).toEqual([...FACTORS]);
		}
	});

	it('explanations, with every evidence kind the engine emits', () => {
		const kinds = new Set<string>();
		for (const e of fixtureData.explanations) {
			expect(keysOf(e)).toEqual(['factors', 'vendor']);
			expect(keysOf(e.vendor)).toEqual(sorted(KEYS.VendorScore));
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
		expect(keysOf(sensitivityKaspersky)).toEqual(sorted(KEYS.SensitivityReport));
		sensitivityKaspersky.tornado.forEach((t) => expect(keysOf(t)).toEqual(sorted(KEYS.TornadoRow)));
		sensitivityKaspersky.stability.forEach((s) => expect(keysOf(s)).toEqual(sorted(KEYS.StabilityRow)));
		expect(keysOf(smaaJson)).toEqual(sorted(KEYS.SmaaResult));
		smaaJson.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.SmaaVendor)));
		fixtureData.batches.forEach((b) => {
			expect(keysOf(b)).toEqual(sorted(KEYS.Batch));
			b.files.forEach((f) => expect(keysOf(f)).toEqual(sorted(KEYS.BatchFile)));
		});
		fixtureData.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.VendorListing)));
		expect(keysOf(fixtureData.scenarios)).toEqual(sorted(KEYS.ScenarioList));
		fixtureData.scenarios.scenarios.forEach((s) => {
			expect(keysOf(s)).toEqual(sorted(KEYS.SavedScenario));
			expect(keysOf(s.spec)).toEqual(sorted(KEYS.ScenarioSpec));
		});
		expect(keysOf(scenarioDiff)).toEqual(sorted(KEYS.ScenarioDiff));
		scenarioDiff.vendors.forEach((v) => expect(keysOf(v)).toEqual(sorted(KEYS.ScenarioDiffVendor)));
		expect(keysOf(fixtureData.ahp)).toEqual(sorted(KEYS.AhpResult));
	});
});

describe('the fixture scorer agrees with the engine', () => {
	const matrix = matrixFromReport(fixtureData.score);

	it('reproduces score.json (scores, ranks, bands, contributions) to 1e-9 with the default weights', () => {
		const scored = scoreMatrix(matrix, PRESET_WEIGHTS.default, 'weighted_sum', 'neutral');
		const expected = fixtureData.score.vendors;
		expect(scored.map((v) => v.vendor_id)).toEqual(expected.map((v) => v.vendor_id));
		scored.forEach((v, i) => {
			const e = expected[i]!;
			expect(v.rank).toBe(e.rank);
			expect(v.band).toBe(e.band);
			expect(Math.abs(v.score - e.score)).toBeLessThan(1e-9);
			for (const f of FACTORS) expect(Math.abs(v.contributions![f] - e.contributions![f])).toBeLessThan(1e-9);
		});
	});

	it('reproduces the engine tornado and stability intervals for kaspersky to 1e-9', () => {
		const report = sensitivity(matrix, 'kaspersky', PRESET_WEIGHTS.default, 'weighted_sum', 'neutral', 0.5);
		report.tornado.forEach((t, i) => {
			const e = sensitivityKaspersky.tornado[i]!;
			expect(t.factor).toBe(e.factor);
			expect(Math.abs(t.low_score - e.low_score)).toBeLessThan(1e-9);
			expect(Math.abs(t.high_score - e.high_score)).toBeLessThan(1e-9);
			expect([t.low_rank, t.high_rank]).toEqual([e.low_rank, e.high_rank]);
		});
		report.stability.forEach((s, i) => {
			const e = sensitivityKaspersky.stability[i]!;
			expect(Math.abs(s.lo - e.lo), `${s.factor} lo`).toBeLessThan(1e-9);
			expect(Math.abs(s.hi - e.hi), `${s.factor} hi`).toBeLessThan(1e-9);
		});
	});

	it('re-ranks when the weights change, ties broken by vendor_id', () => {
		const onlyPrivilege = fromArray([0, 0, 0, 0, 0, 0, 0, 1]);
		const scored = scoreMatrix(matrix, onlyPrivilege, 'weighted_sum', 'neutral');
		// kaspersky and lotusgate both score 100 on privilege: the tie goes to the smaller id.
		expect(scored.slice(0, 2).map((v) => v.vendor_id)).toEqual(['kaspersky', 'lotusgate']);
		expect(scored[0]!.contributions!.privilege).toBe(100);
	});

	it('applies the missing-data policy only to factors the vendor has no rows for', () => {
		const worst = scoreMatrix(matrix, PRESET_WEIGHTS.default, 'weighted_sum', 'worst');
		const harbor = worst.find((v) => v.vendor_id === 'harborbyte')!;
		expect(harbor.factors.install_base).toBe(1);
		expect(harbor.factors.market).toBe(0);
	});

	it('leaves contributions null for other methods', () => {
		for (const method of ['weighted_product', 'topsis'] as const) {
			const scored = scoreMatrix(matrix, PRESET_WEIGHTS.default, method, 'neutral');
			expect(scored.every((v) => v.contributions === null)).toBe(true);
			expect(scored.every((v) => v.score >= 0 && v.score <= 100)).toBe(true);
		}
	});
});

describe('AHP in the fixture backend', () => {
	it('recovers the weights of a perfectly consistent matrix with CR 0', () => {
		const w = [4, 2, 1];
		const factors = ['ownership', 'ties', 'privilege'] as const;
		const pairs = [
			{ a: factors[0], b: factors[1], value: w[0]! / w[1]! },
			{ a: factors[0], b: factors[2], value: w[0]! / w[2]! },
			{ a: factors[1], b: factors[2], value: w[1]! / w[2]! }
		];
		const result = ahp(pairs);
		expect(result.weights.ownership).toBeCloseTo(4 / 7, 10);
		expect(result.weights.ties).toBeCloseTo(2 / 7, 10);
		expect(result.weights.market).toBe(0);
		expect(result.cr).toBeLessThan(1e-9);
		expect(result.consistent).toBe(true);
	});

	it('rejects a missing pair among the compared factors', () => {
		expect(() => ahp([{ a: 'ownership', b: 'ties', value: 3 }, { a: 'ownership', b: 'market', value: 3 }])).toThrow(/missing pair/);
	});
});

describe('the fixture backend', () => {
	it('rejects all-zero weights with the engine error shape', async () => {
		const backend = new FixtureBackend();
		const zero = Object.fromEntries(FACTORS.map((f) => [f, 0]));
		await expect(backend.score({ weights: zero })).rejects.toMatchObject({ code: 'invalid', message: 'all weights are zero' });
	});

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
		const report = structuredClone(fixtureData.score);
		report.vendors[0]!.name = '<script>alert(1)</script> & "Co"';
		const svg = placeholderChart('ranking', [], report, false);
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
	});
});
