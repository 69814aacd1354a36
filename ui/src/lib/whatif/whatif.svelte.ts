//! The What-if view's state: raw weights (0–50, the presets' scale), method, as-of date, missing policy
//! and countries of concern, re-scored live as a slider moves, with each vendor's rank change against a
//! baseline the risk officer sets.
//!
//! Live re-scoring is latest-wins rather than a timed debounce: a change is sent at once when no
//! request is in flight, otherwise it waits for the one in flight and only the newest weights are sent
//! next. The list never lags more than one backend round trip and never shows an older state last.
//!
//! Built for 10,000 vendors: a move is answered with typed arrays (scores, bands, order by vendor
//! position; see `$lib/api/live`), the vendors themselves arrive once per evaluation, and rows are
//! built only for what the (virtualised) list shows.
import type { Band } from '$lib/api/bindings/Band';
import type { BasisSpread } from '$lib/api/bindings/BasisSpread';
import type { LiveTable } from '$lib/api/bindings/LiveTable';
import type { LiveVendor } from '$lib/api/bindings/LiveVendor';
import type { Method } from '$lib/api/bindings/Method';
import type { MissingPolicy } from '$lib/api/bindings/MissingPolicy';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { ScenarioSpec } from '$lib/api/bindings/ScenarioSpec';
import type { ShareBasis } from '$lib/api/bindings/ShareBasis';
import { BAND_CODES, type LiveScores } from '$lib/api/live';
import { FACTORS, isCountryCode, isPreset, PRESET_NAMES, PRESET_WEIGHTS, sumOf, type FactorValues, type PresetName } from '$lib/domain/factors';

export const WEIGHT_MAX = 50;

/** A baseline: each vendor's rank and score when it was set, by vendor id (so it survives new data). */
export type Baseline = { label: string; vendors: Map<string, { rank: number; score: number }> };

/** One row of the live list. */
export type WhatIfRow = {
	rank: number;
	vendor_id: string;
	name: string;
	score: number;
	band: Band;
	prohibited: boolean;
	/** Weighted-sum contributions per factor (null for the other methods). */
	contributions: FactorValues | null;
	/** Baseline rank − current rank: positive = moved up (riskier). Null without a baseline. */
	rankChange: number | null;
	scoreChange: number | null;
};

/** A vendor with its current rank and score, for pickers. */
export type RankedVendor = { vendor_id: string; name: string; rank: number; score: number };

/** The preset whose raw weights are exactly these, if any. */
export function matchingPreset(raw: FactorValues): PresetName | null {
	return PRESET_NAMES.find((name) => FACTORS.every((f) => PRESET_WEIGHTS[name][f] === raw[f])) ?? null;
}

/** Parses "CN, RU hk" into codes; returns the invalid entries too so the field can say what is wrong. */
export function parseCountries(text: string): { codes: string[]; invalid: string[] } {
	const parts = text.split(/[\s,;]+/).filter(Boolean);
	const codes = [...new Set(parts.filter(isCountryCode))];
	return { codes, invalid: parts.filter((p) => !isCountryCode(p)) };
}

export type WhatIfApi = {
	rescore(scenario: ScenarioInput): Promise<LiveScores>;
	liveTable(scenario: ScenarioInput): Promise<LiveTable>;
};

export class WhatIfState {
	raw = $state<FactorValues>({ ...PRESET_WEIGHTS.default });
	method = $state<Method>('weighted_sum');
	/** YYYY-MM-DD, or '' for the engine's default (today). */
	asOf = $state('');
	missing = $state<MissingPolicy>('neutral');
	/** The point of an equity row given as a range (risk-model.md v1.3). */
	shareBasis = $state<ShareBasis>('mid');
	/** Confidence at which a control tie is a step of a control path (v1.3). */
	controlConfidence = $state(0.75);
	/** Free text; '' keeps the countries of concern from Settings. */
	concernText = $state('');
	/** The vendors of the current evaluation, by position. */
	table = $state.raw<LiveTable | null>(null);
	/** The latest answer: scores, bands and order by position. */
	live = $state.raw<LiveScores | null>(null);
	baseline = $state.raw<Baseline | null>(null);
	error = $state<string | null>(null);
	/** Name of the saved scenario last loaded into the editor, for the save field. */
	loadedName = $state('');
	/** Vendors whose band depends on where in their ranges ownership is counted (v1.3); refreshed by the
	 * view once the sliders rest. */
	spread = $state.raw<BasisSpread | null>(null);
	/** Counts the answers shown, so a view (or a timing) can tell a new one arrived. */
	version = $state(0);

	total = $derived(sumOf(this.raw));
	allZero = $derived(this.total === 0);
	preset = $derived(matchingPreset(this.raw));
	concern = $derived(parseCountries(this.concernText));
	/** How many vendors the list holds. */
	count = $derived(this.live?.order.length ?? 0);
	/** Current rank by position (1 = riskiest). */
	private ranks = $derived(ranksOf(this.live));
	/** The baseline by position: rank (0 = not in the baseline) and score. */
	private base = $derived(baselineByPosition(this.baseline, this.table));
	/** Vendors whose rank differs from the baseline. */
	movers = $derived(countMovers(this.ranks, this.base));
	names = $derived(Object.fromEntries((this.table?.vendors ?? []).map((v) => [v.vendor_id, v.name])));
	/** The vendors by name, for pickers: changes with the evaluation, not with each weight move. */
	pickable = $derived(
		(this.table?.vendors ?? []).map((v) => ({ vendor_id: v.vendor_id, name: v.name })).sort((a, b) => a.name.localeCompare(b.name) || (a.vendor_id < b.vendor_id ? -1 : 1))
	);
	/** Vendor position by id. */
	private positions = $derived(new Map((this.table?.vendors ?? []).map((v, p) => [v.vendor_id, p])));

	/** The row at 0-based list index `index` (rank − 1). */
	rowAt(index: number): WhatIfRow {
		const live = this.live!;
		const vendors = this.table!.vendors;
		const p = live.order[index]!;
		const vendor: LiveVendor = vendors[p]!;
		const score = live.scores[p]!;
		const rank = index + 1;
		const baseRank = this.base?.ranks[p] ?? 0;
		return {
			rank,
			vendor_id: vendor.vendor_id,
			name: vendor.name,
			score,
			band: BAND_CODES[live.bands[p]!]!,
			prohibited: vendor.prohibited,
			contributions: this.method === 'weighted_sum' ? contributionsOf(vendor, live.weights) : null,
			rankChange: baseRank > 0 ? baseRank - rank : null,
			scoreChange: baseRank > 0 ? score - this.base!.scores[p]! : null
		};
	}

	/** Rows `start` (inclusive) to `end` (exclusive) of the list: what a virtualised view shows. */
	rowsIn(start: number, end: number): WhatIfRow[] {
		const out: WhatIfRow[] = [];
		if (!this.live || !this.table || this.live.generation !== this.table.generation) return out;
		for (let i = Math.max(0, start); i < Math.min(end, this.count); i++) out.push(this.rowAt(i));
		return out;
	}

	/** Every row, riskiest first. */
	rows(): WhatIfRow[] {
		return this.rowsIn(0, this.count);
	}

	/** One vendor's current rank and score, without building the others'. */
	rankOf(vendorId: string): RankedVendor | undefined {
		const p = this.positions.get(vendorId);
		if (p === undefined || !this.live || this.live.generation !== this.table?.generation) return undefined;
		return { vendor_id: vendorId, name: this.table.vendors[p]!.name, rank: this.ranks[p]!, score: this.live.scores[p]! };
	}

	/** Every vendor with its rank, riskiest first. */
	ranked(): RankedVendor[] {
		if (!this.live || !this.table) return [];
		const { order, scores } = this.live;
		const vendors = this.table.vendors;
		return Array.from(order, (p, i) => ({ vendor_id: vendors[p]!.vendor_id, name: vendors[p]!.name, rank: i + 1, score: scores[p]! }));
	}

	private pending = false;
	private running: Promise<void> | null = null;

	constructor(private readonly api: WhatIfApi) {}

	/** The scenario as the backend takes it: every weight given, the rest only when set. */
	scenario(): ScenarioInput {
		const input: ScenarioInput = { weights: { ...this.raw }, method: this.method, missing: this.missing };
		// The v1.3 parameters travel only when changed, so a scenario from before them reads the same.
		const params: Record<string, string> = {};
		if (this.shareBasis !== 'mid') params['share_basis'] = this.shareBasis;
		if (this.controlConfidence !== 0.75 && this.controlConfidence > 0 && this.controlConfidence <= 1) params['control_confidence'] = String(this.controlConfidence);
		if (Object.keys(params).length > 0) input.params = params;
		if (this.asOf) input.asOf = this.asOf;
		if (this.concernText.trim() && this.concern.invalid.length === 0) input.concern = [...this.concern.codes];
		return input;
	}

	setWeight(factor: keyof FactorValues, value: number): Promise<void> {
		this.raw[factor] = Math.min(WEIGHT_MAX, Math.max(0, value));
		return this.refresh();
	}

	applyPreset(name: string): Promise<void> {
		if (isPreset(name)) this.raw = { ...PRESET_WEIGHTS[name] };
		return this.refresh();
	}

	/** Weights from elsewhere (AHP, a saved scenario), rescaled to fit the sliders if needed. */
	useWeights(weights: FactorValues): Promise<void> {
		const max = Math.max(...FACTORS.map((f) => weights[f]));
		const total = sumOf(weights);
		if (!(total > 0)) return this.refresh();
		// Sum to 100 like the default preset unless one weight would leave the slider's range.
		const scale = (max / total) * 100 > WEIGHT_MAX ? WEIGHT_MAX / max : 100 / total;
		const next = {} as FactorValues;
		for (const f of FACTORS) next[f] = Math.round(weights[f] * scale * 100) / 100;
		this.raw = next;
		return this.refresh();
	}

	loadSpec(name: string, spec: ScenarioSpec): Promise<void> {
		this.loadedName = name;
		this.method = spec.method;
		this.asOf = spec.params['as_of'] ?? '';
		const basis = spec.params['share_basis'];
		this.shareBasis = basis === 'low' || basis === 'high' ? basis : 'mid';
		const confidence = Number(spec.params['control_confidence']);
		this.controlConfidence = confidence > 0 && confidence <= 1 ? confidence : 0.75;
		const missing = spec.params['missing'];
		this.missing = missing === 'zero' || missing === 'worst' || missing === 'neutral' ? missing : 'neutral';
		this.concernText = spec.params['concern_countries']?.split(',').join(', ') ?? '';
		return this.useWeights(spec.weights);
	}

	setBaseline(label = 'current weights'): void {
		if (!this.live || !this.table) return;
		const vendors = new Map<string, { rank: number; score: number }>();
		const { order, scores } = this.live;
		order.forEach((p, i) => vendors.set(this.table!.vendors[p]!.vendor_id, { rank: i + 1, score: scores[p]! }));
		this.baseline = { label, vendors };
	}

	clearBaseline(): void {
		this.baseline = null;
	}

	/** Re-scores with the current inputs; resolves once the newest inputs are shown. */
	refresh(): Promise<void> {
		this.pending = true;
		this.running ??= this.pump().finally(() => (this.running = null));
		return this.running;
	}

	private async pump(): Promise<void> {
		while (this.pending) {
			this.pending = false;
			if (this.allZero) {
				this.error = 'All weights are zero: raise at least one weight above 0.';
				continue;
			}
			try {
				const scenario = this.scenario();
				let live = await this.api.rescore(scenario);
				if (this.table?.generation !== live.generation) {
					// New facts or parameters: the positions name other vendors now.
					const table = await this.api.liveTable(scenario);
					if (table.generation !== live.generation) live = await this.api.rescore(scenario);
					this.table = table;
				}
				this.live = live;
				this.version += 1;
				this.error = null;
			} catch (e) {
				this.error = e instanceof Error ? e.message : String(e);
			}
		}
	}
}

function ranksOf(live: LiveScores | null): Int32Array {
	const ranks = new Int32Array(live?.order.length ?? 0);
	live?.order.forEach((p, i) => (ranks[p] = i + 1));
	return ranks;
}

function baselineByPosition(baseline: Baseline | null, table: LiveTable | null): { ranks: Int32Array; scores: Float64Array } | null {
	if (!baseline || !table) return null;
	const ranks = new Int32Array(table.vendors.length);
	const scores = new Float64Array(table.vendors.length);
	table.vendors.forEach((v, p) => {
		const before = baseline.vendors.get(v.vendor_id);
		if (before) {
			ranks[p] = before.rank;
			scores[p] = before.score;
		}
	});
	return { ranks, scores };
}

function countMovers(ranks: Int32Array, base: { ranks: Int32Array } | null): number {
	if (!base || base.ranks.length !== ranks.length) return 0;
	let movers = 0;
	for (let p = 0; p < ranks.length; p++) if (base.ranks[p]! > 0 && base.ranks[p] !== ranks[p]) movers++;
	return movers;
}

/** Weighted-sum contributions, `100·w_j·x_j·(1 − mitigation)` as the engine computes them. */
function contributionsOf(vendor: LiveVendor, weights: FactorValues): FactorValues {
	const keep = 1 - vendor.mitigation;
	const out = {} as FactorValues;
	for (const f of FACTORS) out[f] = 100 * weights[f] * vendor.factors[f] * keep;
	return out;
}
