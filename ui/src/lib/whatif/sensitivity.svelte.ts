//! Tornado and stability intervals for one vendor under the what-if scenario.
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { SensitivityReport } from '$lib/api/bindings/SensitivityReport';

export type SensitivityApi = { sensitivity(vendorId: string, delta: number, scenario: ScenarioInput): Promise<SensitivityReport> };

/** A weight is fragile when a change of less than this (absolute) would flip a comparison. */
export const FRAGILE_MARGIN = 0.02;

export function margin(row: { weight: number; lo: number; hi: number }): number {
	return Math.min(row.weight - row.lo, row.hi - row.weight);
}

export class SensitivityState {
	vendorId = $state('');
	delta = $state(0.5);
	report = $state.raw<SensitivityReport | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	private seq = 0;

	constructor(private readonly api: SensitivityApi) {}

	async load(scenario: ScenarioInput): Promise<void> {
		if (!this.vendorId) return;
		const seq = ++this.seq;
		this.loading = true;
		try {
			const report = await this.api.sensitivity(this.vendorId, this.delta, scenario);
			if (seq !== this.seq) return;
			this.report = report;
			this.error = null;
		} catch (e) {
			if (seq === this.seq) this.error = e instanceof Error ? e.message : String(e);
		} finally {
			if (seq === this.seq) this.loading = false;
		}
	}
}
