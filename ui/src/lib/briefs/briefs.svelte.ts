//! Briefs and exports: 1 vendor → a vendor brief, 2–10 → a comparison brief; the whole ranking as a
//! spreadsheet. Paths come from the native save dialog.
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import { endError, endValue } from '$lib/changes/changes';

export const MAX_BRIEF_VENDORS = 10;

export type BriefKind = 'vendor' | 'comparison';

export function briefKind(count: number): BriefKind | null {
	if (count === 1) return 'vendor';
	if (count >= 2 && count <= MAX_BRIEF_VENDORS) return 'comparison';
	return null;
}

export function defaultBriefName(vendorIds: readonly string[], date: string): string {
	const kind = briefKind(vendorIds.length);
	return kind === 'vendor' ? `vetta-${vendorIds[0]}-${date}.pdf` : `vetta-comparison-${vendorIds.length}-vendors-${date}.pdf`;
}

export type BriefApi = {
	writeBrief(vendorIds: string[], scenario: ScenarioInput, path: string, changesSince: string | null): Promise<void>;
	writeExport(path: string, scenario: ScenarioInput): Promise<void>;
};

export class BriefState {
	selected = $state<string[]>([]);
	scenario = $state('default');
	busy = $state<'brief' | 'export' | null>(null);
	lastSaved = $state<string | null>(null);
	/** "Changes since" as typed: empty (no "What changed" section), a batch number or a date YYYY-MM-DD. */
	changesSince = $state('');

	kind = $derived(briefKind(this.selected.length));
	full = $derived(this.selected.length >= MAX_BRIEF_VENDORS);
	changesSinceError = $derived(endError(this.changesSince));
	/** Whether a brief can be written: 1 to 10 vendors and "Changes since" empty or valid. */
	canWrite = $derived(this.kind !== null && this.changesSinceError === null);

	constructor(private readonly api: BriefApi) {}

	toggle(vendorId: string): void {
		if (this.selected.includes(vendorId)) this.selected = this.selected.filter((id) => id !== vendorId);
		else if (!this.full) this.selected = [...this.selected, vendorId];
	}

	async writeBrief(path: string | null): Promise<boolean> {
		if (!path || !this.canWrite) return false;
		this.busy = 'brief';
		try {
			await this.api.writeBrief([...this.selected], { scenario: this.scenario }, path, endValue(this.changesSince));
			this.lastSaved = path;
			return true;
		} finally {
			this.busy = null;
		}
	}

	async writeExport(path: string | null): Promise<boolean> {
		if (!path) return false;
		this.busy = 'export';
		try {
			await this.api.writeExport(path, { scenario: this.scenario });
			this.lastSaved = path;
			return true;
		} finally {
			this.busy = null;
		}
	}
}
