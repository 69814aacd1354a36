//! An SMAA run: options, progress fed by the backend's channel, cancel, and the result.
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { SmaaProgress } from '$lib/api/bindings/SmaaProgress';
import type { SmaaResult } from '$lib/api/bindings/SmaaResult';
import type { SmaaModeName, SmaaRequest } from '$lib/api/commands';

export type SmaaApi = {
	smaa(request: SmaaRequest, onProgress: (progress: SmaaProgress) => void): Promise<SmaaResult>;
	cancelSmaa(): Promise<void>;
};

export class SmaaRun {
	samples = $state(10000);
	seed = $state(0);
	mode = $state<SmaaModeName>('uniform');
	kappa = $state(50);
	running = $state(false);
	progress = $state<SmaaProgress>({ done: 0, total: 0 });
	result = $state.raw<SmaaResult | null>(null);
	error = $state<string | null>(null);
	cancelled = $state(false);

	valid = $derived(Number.isInteger(this.samples) && this.samples >= 100 && this.samples <= 1_000_000 && this.kappa > 0);

	constructor(private readonly api: SmaaApi) {}

	async run(scenario: ScenarioInput): Promise<void> {
		if (this.running || !this.valid) return;
		this.running = true;
		this.cancelled = false;
		this.error = null;
		this.progress = { done: 0, total: this.samples };
		try {
			this.result = await this.api.smaa(
				{ scenario, samples: this.samples, seed: this.seed, mode: this.mode, kappa: this.kappa, ranks: null },
				(p) => (this.progress = p)
			);
		} catch (e) {
			if ((e as { code?: string }).code === 'cancelled') this.cancelled = true;
			else this.error = e instanceof Error ? e.message : String(e);
		} finally {
			this.running = false;
		}
	}

	async cancel(): Promise<void> {
		if (this.running) await this.api.cancelSmaa();
	}
}
