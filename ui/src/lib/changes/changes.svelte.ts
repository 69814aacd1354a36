//! "What changed": asks the engine what moved between two ends — after an import or a link decision,
//! `changes(null, null)` (before the last applied batch, and now); in the comparison form, the two
//! ends the user types, each checked before it is sent.
import type { ChangesReport } from '$lib/api/bindings/ChangesReport';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import { endError, endValue } from './changes';

export type ChangesApi = {
	changes(from: string | null, to: string | null, scenario: ScenarioInput): Promise<ChangesReport>;
};

export class ChangesState {
	report = $state.raw<ChangesReport | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	/** The comparison form's ends, as typed (empty: before the last import, and now). */
	fromText = $state('');
	toText = $state('');
	scenario = $state('default');

	fromError = $derived(endError(this.fromText));
	toError = $derived(endError(this.toText));
	valid = $derived(this.fromError === null && this.toError === null);

	private seq = 0;

	constructor(private readonly api: ChangesApi) {}

	/** What changed between two ends (null: the defaults) under a scenario; a later ask wins over an earlier one. */
	async load(from: string | null, to: string | null, scenario: ScenarioInput = {}): Promise<void> {
		const seq = ++this.seq;
		this.loading = true;
		this.error = null;
		try {
			const report = await this.api.changes(from, to, scenario);
			if (seq === this.seq) this.report = report;
		} catch (e) {
			if (seq === this.seq) {
				this.report = null;
				this.error = e instanceof Error ? e.message : String(e);
			}
		} finally {
			if (seq === this.seq) this.loading = false;
		}
	}

	/** The form's comparison; nothing is asked while an end is invalid (returns false). */
	async compare(): Promise<boolean> {
		if (!this.valid) return false;
		await this.load(endValue(this.fromText), endValue(this.toText), { scenario: this.scenario });
		return true;
	}

	clear(): void {
		this.seq++;
		this.report = null;
		this.error = null;
		this.loading = false;
	}
}
