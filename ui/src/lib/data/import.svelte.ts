//! The import flow: choose files → check (nothing written) → show the report → import only when the
//! check found no error. Choosing new files or a failed import always goes back through the check.
//! A bundle must be signed by a trusted key: an unsigned one stops the check (or the import) until the
//! user accepts it knowingly ("Import anyway": the step is run again accepting unsigned bundles, for
//! these files only) or cancels.
import type { Batch } from '$lib/api/bindings/Batch';
import type { ImportReport } from '$lib/api/bindings/ImportReport';
import type { ImportResult } from '$lib/api/bindings/ImportResult';
import type { ReadProgress } from '$lib/api/bindings/ReadProgress';
import { BackendError } from '$lib/api/errors';
import type { TableCount } from '$lib/api/bindings/TableCount';

/** `unsigned`: a bundle without a signature stopped the check or the import; the user is asked whether to accept it. */
export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'imported' | 'failed' | 'unsigned';

export type ImportApi = {
	checkImport(paths: string[], onProgress: (progress: ReadProgress) => void, allowUnsigned?: boolean): Promise<ImportReport>;
	importFiles(paths: string[], onProgress: (progress: ReadProgress) => void, allowUnsigned?: boolean): Promise<ImportResult>;
	cancelImport(): Promise<void>;
};

const isCancel = (e: unknown) => e instanceof BackendError && e.code === 'cancelled';
const isUnsigned = (e: unknown) => e instanceof BackendError && e.code === 'unsigned';

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
	/** The user accepted unsigned bundles among these files knowingly: the check and the import say so to the backend. */
	allowUnsigned = $state(false);
	/** Which step an unsigned bundle stopped (while the phase is `unsigned`). */
	private refusedAt: 'check' | 'import' = 'check';

	/** The Import button: only after a check of exactly these paths that found no error. */
	canImport = $derived(this.phase === 'checked' && this.report !== null && this.report.error_count === 0);
	busy = $derived(this.phase === 'checking' || this.phase === 'importing');

	constructor(private readonly api: ImportApi) {}

	/** Takes the dialog's answer (null = cancelled) and validates it. */
	async choose(paths: string[] | null): Promise<void> {
		if (!paths || paths.length === 0) return;
		this.paths = paths;
		this.allowUnsigned = false;
		await this.check();
	}

	private async check(): Promise<void> {
		this.report = null;
		this.result = null;
		this.error = null;
		this.cancelled = false;
		this.progress = null;
		this.phase = 'checking';
		try {
			this.report = await this.api.checkImport(this.paths, (p) => (this.progress = p), this.allowUnsigned);
			this.phase = 'checked';
		} catch (e) {
			if (isCancel(e)) return this.stopped('idle');
			if (isUnsigned(e)) return this.askUnsigned('check');
			this.error = e instanceof Error ? e.message : String(e);
			this.phase = 'failed';
		}
	}

	private askUnsigned(step: 'check' | 'import'): void {
		this.refusedAt = step;
		this.progress = null;
		this.phase = 'unsigned';
	}

	/**
	 * "Import anyway": runs the step an unsigned bundle stopped again, accepting unsigned bundles (a signed one is still checked).
	 * After a stopped check the check runs (Import still waits for the user); after a stopped import, the import. Resolves to the
	 * batch an import made, else null.
	 */
	async acceptUnsigned(): Promise<Batch | null> {
		if (this.phase !== 'unsigned') return null;
		this.allowUnsigned = true;
		if (this.refusedAt === 'import' && this.report !== null) {
			this.phase = 'checked';
			return this.import();
		}
		await this.check();
		return null;
	}

	/** "Cancel": nothing is imported, and the files are no longer chosen. */
	declineUnsigned(): void {
		if (this.phase !== 'unsigned') return;
		this.allowUnsigned = false;
		this.report = null;
		this.stopped('idle');
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
			this.result = await this.api.importFiles(this.paths, (p) => (this.progress = p), this.allowUnsigned);
			this.phase = 'imported';
			return this.result.batch;
		} catch (e) {
			if (isCancel(e)) {
				this.stopped('checked');
				return null;
			}
			if (isUnsigned(e)) {
				this.askUnsigned('import');
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
		this.allowUnsigned = false;
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

/** What each stable code means, in a phrase (codes not listed show as they are). Every code the
 * importers emit is here: `note-codes.test.ts` reads the Rust sources and checks both ways. */
export const NOTE_CODES: Record<string, string> = {
	'stub-entity': 'Stub entity for a record named but not in the import',
	'duplicate-key': 'Restated record: the first is kept',
	'range-from-oversum': 'Shares summing above 100 % read as ranges',
	'invalid-value': 'Value that breaks a table rule: left out',
	'outside-selection': 'Outside the chosen neighbourhood (--around / --ids)',
	'no-seed-found': 'No record matches a seed',
	'not-seen': 'Listed before, not in this snapshot: kept',
	'no-date': 'No date: left out',
	'bad-date': 'Date that cannot be read: left out',
	'date-shifted': 'Local midnight written in UTC: next day',
	'partial-date': 'Partial date read as a first or last day',
	'unknown-country': 'Country not recognised: XRW',
	'no-country': 'No country given: XRW',
	'several-countries': 'Addresses in several countries: one chosen',
	'country-from-jurisdiction': 'Country taken from the legal jurisdiction',
	'mojibake-repaired': 'Garbled characters repaired (cp1252)',
	'id-hashed': 'Id not usable as an id: hashed',
	'no-id': 'Record without an id: left out',
	'no-name': 'Record without a name: left out',
	'bad-identifier': 'Identifier without a value: left out',
	'bad-scheme': 'Identifier scheme not usable: left out',
	'no-scheme': 'Identifier without a scheme: left out',
	'scheme-normalised': 'Identifier scheme written the standard way',
	'bad-header': 'Header that cannot be read: file not imported',
	'bad-record': 'Record that cannot be read: left out',
	'bad-csv': 'CSV that cannot be read: left out',
	'bad-json': 'Line that is not JSON: left out',
	'bad-xml': 'XML error: the rest of the file is not read',
	'empty-file': 'File with nothing to import',
	'no-records': 'File with no records',
	'orphan-reference': 'Row naming an entry not in the file',
	'companion-without-sdn': 'Companion file without its sdn.csv: not read',
	'not-an-entity': 'JSON that is not an entity: left out',
	'schema-not-imported': 'Kinds of record not imported (counted)',
	'family-skipped': 'Family tie: not imported',
	'no-subject': 'Entry naming no company: left out',
	'version-dated': 'Later version of an ownership: dated',
	'share-not-given': 'Ownership without a percentage: range 0–100 %',
	'first-seen-date': 'Sanction without a date: on or before first seen',
	'several-ends': 'Several owners or assets named: the first is used',
	'bad-share': 'Share that cannot be read: left out',
	'not-a-statement': 'Not a BODS statement: left out',
	'unknown-statement': 'Statement of no known type: left out',
	'unknown-record-type': 'Record type not read',
	'unknown-status': 'Unknown record status: read as new',
	'no-statement-id': 'Statement without an id: left out',
	'no-record-id': 'Statement without a record id: left out',
	'record-closed': 'Record closed without a date: rows stay open',
	'replaces-absent': 'Replaces a statement not in the file',
	'version-ended': 'Earlier version not restated: it ends',
	'version-replaced': 'Earlier version replaced',
	'no-interests': 'Relationship without interests: no row',
	'unknown-interest': 'Interest without a type: no row',
	'unmapped-interest': 'Interest with no Vetta equivalent: no row',
	'unpublished-interest': 'Interest not published: no row',
	'unknown-directness': 'Interest maybe direct or indirect: read as an edge',
	'indirect-aggregate': 'Indirect interest already counted: skipped',
	'voting-with-shareholding': 'Voting rights beside a shareholding: no row',
	'no-share': 'Interest without a share: range 0–100 %',
	'unspecified-party': 'No interested party: no edge',
	'not-gleif': 'Not a GLEIF file: not read',
	'no-lei': 'Record without an LEI: left out',
	'annulled-skipped': 'Annulled LEI registration: left out',
	'duplicate-skipped': 'Duplicate LEI registration: left out',
	'node-not-lei': 'Relationship node that is not an LEI: left out',
	'fund-relationship': 'Fund relationship (not control): left out',
	'unknown-relationship': 'Relationship type not read: left out',
	'branch-candidate': 'Branch: a possible same-company link, not a tie',
	'inactive-no-end': 'Inactive relationship without an end date: left out',
	'missing-end': 'Period without its start or end: left out',
	'no-period': 'Relationship without a period: undated',
	'several-periods': 'Several relationship periods: the first is used',
	'quantifier-not-share': 'Accounting measure, not a share: not read',
	'ultimate-covered': 'Ultimate parent already reached through direct parents',
	'reporting-exception': 'Parent not reported (reporting exception)',
	'unknown-validation': 'Unknown validation sources: low confidence',
	'vessel-skipped': 'Vessel: not imported',
	'aircraft-skipped': 'Aircraft: not imported',
	'remark-not-imported': 'Remark on an alternate name: not imported',
	'unknown-alias-kind': 'Alternate name of unknown kind: plain alias',
	'alias-trimmed': 'Alternate name trimmed',
	'linked-to-itself': 'Linked To: its own name: no tie',
	'linked-to-ambiguous': 'Linked To: a name several entries share: no tie',
	'linked-to-unresolved': 'Linked To: a name no entry has: no tie',
	'linked-to-skipped': 'Linked To: an entry left out: no tie',
	'no-entity-number': 'SDN row without an entity number: hashed id',
	'unknown-list': 'Source naming no known list: left out',
	'unknown-type': 'Entry of an unknown type: left out',
	'effective-from-file': "No start date: the file's date, on or before",
	'scope-moved': 'Scope clause moved from the name to notes',
	'several-dates': 'Several dates: the first is the date of inclusion'
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
