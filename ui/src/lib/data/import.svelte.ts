//! The import flow: choose files → check (nothing written) → show the report → import only when the
//! check found no error. Choosing new files or a failed import always goes back through the check.
import type { Batch } from '$lib/api/bindings/Batch';
import type { ImportReport } from '$lib/api/bindings/ImportReport';
import type { ImportResult } from '$lib/api/bindings/ImportResult';
import type { ReadProgress } from '$lib/api/bindings/ReadProgress';
import { BackendError } from '$lib/api/errors';
import type { TableCount } from '$lib/api/bindings/TableCount';

export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'imported' | 'failed';

export type ImportApi = {
	checkImport(paths: string[], onProgress: (progress: ReadProgress) => void): Promise<ImportReport>;
	importFiles(paths: string[], onProgress: (progress: ReadProgress) => void): Promise<ImportResult>;
	cancelImport(): Promise<void>;
};

const isCancel = (e: unknown) => e instanceof BackendError && e.code === 'cancelled';

export class ImportFlow {
	paths = $state<string[]>([]);
	phase = $state<ImportPhase>('idle');
	report = $state.raw<ImportReport | null>(null);
	result = $state<ImportResult | null>(null);
	error = $state<string | null>(null);
	/** Bytes read by the running check or import (null before the first report). */
	progress = $state<ReadProgress | null>(null);
	/** Set when the user stopped the last check or import (nothing was written). */
	cancelled = $state(false);

	/** The Import button: only after a check of exactly these paths that found no error. */
	canImport = $derived(this.phase === 'checked' && this.report !== null && this.report.error_count === 0);
	busy = $derived(this.phase === 'checking' || this.phase === 'importing');

	constructor(private readonly api: ImportApi) {}

	/** Takes the dialog's answer (null = cancelled) and validates it. */
	async choose(paths: string[] | null): Promise<void> {
		if (!paths || paths.length === 0) return;
		this.paths = paths;
		this.report = null;
		this.result = null;
		this.error = null;
		this.cancelled = false;
		this.progress = null;
		this.phase = 'checking';
		try {
			this.report = await this.api.checkImport(paths, (p) => (this.progress = p));
			this.phase = 'checked';
		} catch (e) {
			if (isCancel(e)) return this.stopped('idle');
			this.error = e instanceof Error ? e.message : String(e);
			this.phase = 'failed';
		}
	}

	/** Stops the running check or import; it ends with nothing written. */
	cancel(): Promise<void> {
		return this.busy ? this.api.cancelImport() : Promise.resolve();
	}

	private stopped(phase: ImportPhase): void {
		this.cancelled = true;
		this.progress = null;
		this.phase = phase;
		if (phase === 'idle') this.paths = [];
	}

	async import(): Promise<Batch | null> {
		if (!this.canImport) return null;
		this.phase = 'importing';
		this.cancelled = false;
		this.progress = null;
		try {
			this.result = await this.api.importFiles(this.paths, (p) => (this.progress = p));
			this.phase = 'imported';
			return this.result.batch;
		} catch (e) {
			if (isCancel(e)) {
				this.stopped('checked');
				return null;
			}
			this.error = e instanceof Error ? e.message : String(e);
			this.phase = 'failed';
			return null;
		}
	}

	reset(): void {
		this.paths = [];
		this.progress = null;
		this.cancelled = false;
		this.report = null;
		this.result = null;
		this.error = null;
		this.phase = 'idle';
	}
}

export type HistoryApi = {
	batches(): Promise<Batch[]>;
	counts(): Promise<TableCount[]>;
	undo(batchId: number): Promise<Batch>;
};

/** Batch history and the row counts per table family. */
export class DataHistory {
	batches = $state.raw<Batch[]>([]);
	counts = $state.raw<TableCount[]>([]);
	error = $state<string | null>(null);

	/** Newest first, as a history reads. */
	ordered = $derived([...this.batches].sort((a, b) => b.batch_id - a.batch_id));
	totalRows = $derived(this.counts.reduce((sum, c) => sum + c.rows, 0));

	constructor(private readonly api: HistoryApi) {}

	async load(): Promise<void> {
		try {
			const [batches, counts] = await Promise.all([this.api.batches(), this.api.counts()]);
			this.batches = batches;
			this.counts = counts;
			this.error = null;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}

	async undo(batchId: number): Promise<void> {
		await this.api.undo(batchId);
		await this.load();
	}
}

/** A line of the import report: a record of a published file left out or changed. */
export type ReportNote = { file: string; location: string; code: string; message: string };

/** The notes of one code, for the report grouped by code. */
export type NoteGroup = { code: string; count: number; notes: ReportNote[] };

/** What each stable code means, in a phrase (codes not listed show as they are). */
export const NOTE_CODES: Record<string, string> = {
	'stub-entity': 'Stub entity for a record named but not in the import',
	'duplicate-key': 'Restated record: the first is kept',
	'range-from-oversum': 'Shares summing above 100 % read as ranges',
	'invalid-value': 'Value that breaks a table rule: left out',
	'no-date': 'No date: left out',
	'date-shifted': 'Local midnight written in UTC: next day',
	'partial-date': 'Partial date read as a first or last day',
	'unknown-country': 'Country not recognised: XRW',
	'no-country': 'No country given: XRW',
	'mojibake-repaired': 'Garbled characters repaired (cp1252)',
	'id-hashed': 'Id not usable as an id: hashed',
	'bad-json': 'Line that is not JSON: left out',
	'vessel-skipped': 'Vessel: not imported',
	'orphan-reference': 'Row naming an entry not in the file',
	'no-subject': 'Entry naming no company: left out',
	'schema-not-imported': 'Kinds of record not imported (counted)',
	'outside-selection': 'Outside the chosen neighbourhood (--around / --ids)',
	'no-seed-found': 'No record matches a seed',
	'not-seen': 'Listed before, not in this snapshot: kept'
};

/** Groups notes by code, the largest groups first (then by code), keeping file order inside each. */
export function groupNotes(notes: readonly ReportNote[]): NoteGroup[] {
	const groups = new Map<string, ReportNote[]>();
	for (const note of notes) {
		const group = groups.get(note.code);
		if (group) group.push(note);
		else groups.set(note.code, [note]);
	}
	return [...groups.entries()]
		.map(([code, list]) => ({ code, count: list.length, notes: list }))
		.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
