//! Saving the whole store as a dataset folder: a folder dialog (new or empty folder), then the dump,
//! one CSV per table with rows. Imported into any Vetta store, the folder gives the same facts, which
//! the dataset SHA-256 the dump answers with attests.
import type { Dumped } from '$lib/api/bindings/Dumped';
import { fmtCount, shortHash } from '$lib/domain/format';

export type DumpApi = {
	chooseFolder(): Promise<string | null>;
	writeDump(path: string): Promise<Dumped>;
};

export type DumpPhase = 'idle' | 'choosing' | 'writing';

/** A finished dump: where, and what it wrote. */
export type DumpDone = { path: string; dumped: Dumped };

/** "vendors.csv (9 rows), links.csv (1 row)". */
export function dumpFilesText(files: Dumped['files']): string {
	return files.map(([name, rows]) => `${name} (${fmtCount(rows)} row${rows === 1 ? '' : 's'})`).join(', ');
}

/** The success message: where, each file with its rows, and the dataset's SHA-256 (shortened). */
export function dumpMessage({ path, dumped }: DumpDone): string {
	const files = dumped.files.length === 0 ? 'no files (the store is empty)' : dumpFilesText(dumped.files);
	return `Dataset saved to ${path}: ${files}. Dataset SHA-256 ${shortHash(dumped.dataset_sha256)}`;
}

export class DumpState {
	phase = $state<DumpPhase>('idle');
	/** The folder being written. */
	path = $state<string | null>(null);
	last = $state.raw<DumpDone | null>(null);

	busy = $derived(this.phase !== 'idle');

	constructor(private readonly api: DumpApi) {}

	/** Asks for a folder and writes the dataset there. Resolves to null when the dialog was cancelled (or a dump is under way); rejects with the backend's error. */
	async run(): Promise<DumpDone | null> {
		if (this.busy) return null;
		this.phase = 'choosing';
		try {
			const path = await this.api.chooseFolder();
			if (!path) return null;
			this.path = path;
			this.phase = 'writing';
			const dumped = await this.api.writeDump(path);
			this.last = { path, dumped };
			return this.last;
		} finally {
			this.phase = 'idle';
			this.path = null;
		}
	}
}
