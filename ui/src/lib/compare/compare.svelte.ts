//! The Compare view's state: 2–5 chosen vendors side by side, factor by factor, with the factors that
//! separate them most marked so the procurement lead sees at once where two vendors differ.
import type { Factor } from '$lib/api/bindings/Factor';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { ScoreReport } from '$lib/api/bindings/ScoreReport';
import type { VendorScore } from '$lib/api/bindings/VendorScore';
import { FACTORS } from '$lib/domain/factors';

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 5;
/** How many factors are highlighted as the largest differences. */
export const HIGHLIGHTED = 3;

export type FactorComparison = {
	factor: Factor;
	values: number[];
	contributions: (number | null)[];
	/** max − min of the values across the compared vendors. */
	spread: number;
	/** Index (into the compared vendors) of the highest value. */
	highest: number;
	highlighted: boolean;
};

export function compareFactors(vendors: readonly VendorScore[]): FactorComparison[] {
	const rows = FACTORS.map((factor) => {
		const values = vendors.map((v) => v.factors[factor]);
		const max = Math.max(...values);
		return {
			factor,
			values,
			contributions: vendors.map((v) => (v.contributions ? v.contributions[factor] : null)),
			spread: values.length ? max - Math.min(...values) : 0,
			highest: values.indexOf(max),
			highlighted: false
		};
	});
	if (vendors.length >= 2) {
		const top = [...rows]
			.filter((r) => r.spread > 1e-9)
			.sort((a, b) => b.spread - a.spread)
			.slice(0, HIGHLIGHTED);
		for (const r of top) r.highlighted = true;
	}
	return rows;
}

export type CompareApi = { score(scenario: ScenarioInput): Promise<ScoreReport> };

export class CompareState {
	report = $state.raw<ScoreReport | null>(null);
	selected = $state<string[]>([]);
	error = $state<string | null>(null);

	vendors = $derived(
		this.report ? this.selected.map((id) => this.report!.vendors.find((v) => v.vendor_id === id)).filter((v): v is VendorScore => !!v) : []
	);
	comparison = $derived(compareFactors(this.vendors));
	ready = $derived(this.vendors.length >= MIN_COMPARED);
	full = $derived(this.selected.length >= MAX_COMPARED);

	constructor(private readonly api: CompareApi) {}

	async load(initial: string[] = []): Promise<void> {
		try {
			this.report = await this.api.score({});
			const known = new Set(this.report.vendors.map((v) => v.vendor_id));
			const wanted = initial.filter((id) => known.has(id));
			// With nothing chosen yet, start from the two riskiest so the view is never blank.
			this.selected = (wanted.length ? wanted : this.report.vendors.slice(0, 2).map((v) => v.vendor_id)).slice(0, MAX_COMPARED);
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}

	toggle(vendorId: string): void {
		if (this.selected.includes(vendorId)) this.selected = this.selected.filter((id) => id !== vendorId);
		else if (!this.full) this.selected = [...this.selected, vendorId];
	}
}
