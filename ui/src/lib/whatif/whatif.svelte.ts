//! The What-if view's state: raw weights (0–50, the presets' scale), method, as-of date, missing policy
//! and countries of concern, re-scored live as a slider moves, with each vendor's rank change against a
//! baseline the risk officer sets.
//!
//! Live re-scoring is latest-wins rather than a timed debounce: a change is sent at once when no
//! request is in flight, otherwise it waits for the one in flight and only the newest weights are sent
//! next. The list never lags more than one backend round trip and never shows an older state last.
import type { FactorValues } from '$lib/domain/factors';
import type { Method } from '$lib/api/bindings/Method';
import type { MissingPolicy } from '$lib/api/bindings/MissingPolicy';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { ScenarioSpec } from '$lib/api/bindings/ScenarioSpec';
import type { ScoreReport } from '$lib/api/bindings/ScoreReport';
import type { VendorScore } from '$lib/api/bindings/VendorScore';
import { FACTORS, isCountryCode, isPreset, PRESET_NAMES, PRESET_WEIGHTS, sumOf, type PresetName } from '$lib/domain/factors';

export const WEIGHT_MAX = 50;

export type Baseline = { label: string; vendors: Record<string, { rank: number; score: number }> };
export type WhatIfRow = VendorScore & {
	/** Baseline rank − current rank: positive = moved up (riskier). Null without a baseline. */
	rankChange: number | null;
	scoreChange: number | null;
};

export function withBaseline(vendors: readonly VendorScore[], baseline: Baseline | null): WhatIfRow[] {
	return vendors.map((v) => {
		const before = baseline?.vendors[v.vendor_id];
		return { ...v, rankChange: before ? before.rank - v.rank : null, scoreChange: before ? v.score - before.score : null };
	});
}

export function baselineOf(report: ScoreReport, label: string): Baseline {
	const vendors: Baseline['vendors'] = {};
	for (const v of report.vendors) vendors[v.vendor_id] = { rank: v.rank, score: v.score };
	return { label, vendors };
}

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

export type WhatIfApi = { score(scenario: ScenarioInput): Promise<ScoreReport> };

export class WhatIfState {
	raw = $state<FactorValues>({ ...PRESET_WEIGHTS.default });
	method = $state<Method>('weighted_sum');
	/** YYYY-MM-DD, or '' for the engine's default (today). */
	asOf = $state('');
	missing = $state<MissingPolicy>('neutral');
	/** Free text; '' keeps the countries of concern from Settings. */
	concernText = $state('');
	report = $state.raw<ScoreReport | null>(null);
	baseline = $state.raw<Baseline | null>(null);
	error = $state<string | null>(null);
	/** Name of the saved scenario last loaded into the editor, for the save field. */
	loadedName = $state('');

	total = $derived(sumOf(this.raw));
	allZero = $derived(this.total === 0);
	preset = $derived(matchingPreset(this.raw));
	concern = $derived(parseCountries(this.concernText));
	rows = $derived(this.report ? withBaseline(this.report.vendors, this.baseline) : []);
	/** Vendors whose rank differs from the baseline. */
	movers = $derived(this.rows.filter((r) => r.rankChange !== null && r.rankChange !== 0).length);

	private pending = false;
	private running: Promise<void> | null = null;

	constructor(private readonly api: WhatIfApi) {}

	/** The scenario as the backend takes it: every weight given, the rest only when set. */
	scenario(): ScenarioInput {
		const input: ScenarioInput = { weights: { ...this.raw }, method: this.method, missing: this.missing };
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
		const missing = spec.params['missing'];
		this.missing = missing === 'zero' || missing === 'worst' || missing === 'neutral' ? missing : 'neutral';
		this.concernText = spec.params['concern_countries']?.split(',').join(', ') ?? '';
		return this.useWeights(spec.weights);
	}

	setBaseline(label = 'current weights'): void {
		if (this.report) this.baseline = baselineOf(this.report, label);
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
				const report = await this.api.score(this.scenario());
				this.report = report;
				this.error = null;
			} catch (e) {
				this.error = e instanceof Error ? e.message : String(e);
			}
		}
	}
}
