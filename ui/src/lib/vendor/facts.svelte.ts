//! The vendor view's fact editor: choose a table, fill a form (one field per column, the vendor
//! prefilled) or pick one of the vendor's rows to edit, and save. Saving enters the row through the
//! importer's rules as one batch that the Data view can undo; a rejection's errors keep their
//! `file:line:column` and point at the fields they name.
//!
//! A new link is prefilled as decided by the OS user (asked once) — or by the name the user last typed
//! there instead — and decided today (local date); both stay editable.
import type { Batch } from '$lib/api/bindings/Batch';
import type { EntryResult } from '$lib/api/bindings/EntryResult';
import type { RowError } from '$lib/api/bindings/RowError';
import type { TableSchema } from '$lib/api/bindings/TableSchema';
import { localDate } from '$lib/domain/format';

/** A row as text cells keyed by column name; an empty cell is not given. */
export type Cells = Record<string, string>;

export type FactsApi = {
	tableSchemas(): Promise<TableSchema[]>;
	vendorRows(vendorId: string, table: string): Promise<Cells[]>;
	enterRows(table: string, rows: Cells[]): Promise<EntryResult>;
	/** The OS user's name (may be empty), for who decided a link. */
	userName(): Promise<string>;
};

export type FactsPhase = 'idle' | 'loading' | 'ready' | 'saving' | 'failed';

export const TABLE_LABELS: Record<string, string> = {
	vendors: 'Vendor record',
	entities: 'Entities',
	ownership: 'Ownership & ties',
	testimony: 'Testimony notes',
	designations: 'Designations',
	sales: 'Sales',
	install_base: 'Install base',
	identifiers: 'Identifiers (LEI, registry numbers)',
	aliases: 'Aliases (other names)',
	links: 'Links (same or different legal person)'
};

/**
 * An empty form for a table with the vendor in its vendor column: the vendor id where the column names
 * a vendor, else its entity (the importer resolves a vendor id there too). `defaults` fills other
 * columns of the table; names that are not columns are ignored.
 */
export function prefill(schema: TableSchema, vendorId: string, entityId: string, defaults: Cells = {}): Cells {
	const cells: Cells = Object.fromEntries(schema.columns.map((c) => [c.name, defaults[c.name] ?? '']));
	cells[schema.vendor_column] = schema.vendor_column === 'vendor_id' ? vendorId : entityId;
	return cells;
}

/** What a new row of a table starts with besides the vendor: a link is decided by `decidedBy`, on `today`. */
export function rowDefaults(table: string, decidedBy: string, today: string): Cells {
	return table === 'links' ? { decided_by: decidedBy, decided_on: today } : {};
}

/** Messages by the column they name; errors naming no column of the form are not in the map. */
export function errorsByField(errors: RowError[], schema: TableSchema | null): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	for (const error of errors) {
		if (!schema?.columns.some((c) => c.name === error.column)) continue;
		fields.set(error.column, [...(fields.get(error.column) ?? []), error.message]);
	}
	return fields;
}

/** `file:line:column: message`, as the importer reports it. */
export function errorLine(error: RowError): string {
	return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}

/** A short name for a stored row: its key cells that are given. */
export function rowLabel(schema: TableSchema, row: Cells): string {
	return schema.key
		.map((k) => row[k] ?? '')
		.filter((cell) => cell !== '')
		.join(' · ');
}

/** A glimpse of a stored row beyond its key: its first two other given cells, shortened. */
export function rowDetail(schema: TableSchema, row: Cells, max = 100): string {
	const text = schema.columns
		.filter((c) => !schema.key.includes(c.name) && c.name !== schema.vendor_column)
		.map((c) => row[c.name] ?? '')
		.filter((cell) => cell !== '')
		.slice(0, 2)
		.join(' · ');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class FactsEditor {
	schemas = $state.raw<TableSchema[]>([]);
	table = $state('testimony');
	/** The form's cells, one per column of the table. */
	values = $state<Cells>({});
	/** The vendor's stored rows of the table. */
	rows = $state.raw<Cells[]>([]);
	/** The stored row the form was filled from, or null for a new row. */
	editing = $state.raw<Cells | null>(null);
	/** Row errors of the last rejected save. */
	errors = $state.raw<RowError[]>([]);
	errorCount = $state(0);
	/** A failure that is not a row error: loading failed, an unknown column, a conflict in the store. */
	failure = $state<string | null>(null);
	phase = $state<FactsPhase>('idle');
	vendorId = $state('');
	/** The vendor's entity (its id unless the vendor row names another). */
	entityId = $state('');
	/** The OS user's name ('' until known, or when the OS gives none). */
	osUserName = $state('');
	/** The name the user typed as who decided a link they saved, when it is not the OS user's; null for the OS user's. */
	decidedBy = $state<string | null>(null);

	schema = $derived(this.schemas.find((s) => s.table === this.table) ?? null);
	fieldErrors = $derived(errorsByField(this.errors, this.schema));
	/** The first column with an error, in form order (to move focus to). */
	firstInvalid = $derived(this.schema?.columns.find((c) => this.fieldErrors.has(c.name))?.name ?? null);
	/** Editing a row but with another key: saving adds a row and leaves the edited one as it is. */
	keyChanged = $derived(this.editing !== null && this.schema !== null && this.schema.key.some((k) => (this.values[k] ?? '').trim() !== (this.editing![k] ?? '')));
	busy = $derived(this.phase === 'loading' || this.phase === 'saving');

	private rowsSeq = 0;
	/** The OS user's name, asked once (a failure reads as no name: the field is then left empty). */
	private userNameAnswer: Promise<string> | null = null;

	/** `today` gives the date a new link is decided on (YYYY-MM-DD, local). */
	constructor(
		private readonly api: FactsApi,
		private readonly today: () => string = () => localDate()
	) {}

	/** Opens the editor on a vendor: loads the tables once and the vendor's entity, then a table's rows. */
	async open(vendorId: string, table: string = this.table): Promise<void> {
		this.vendorId = vendorId;
		this.phase = 'loading';
		this.failure = null;
		try {
			this.userNameAnswer ??= this.api.userName().catch(() => '');
			const [schemas, own, userName] = await Promise.all([
				this.schemas.length > 0 ? Promise.resolve(this.schemas) : this.api.tableSchemas(),
				this.api.vendorRows(vendorId, 'vendors'),
				this.userNameAnswer
			]);
			this.schemas = schemas;
			this.entityId = own[0]?.['entity_id'] || vendorId;
			this.osUserName = userName.trim();
		} catch (e) {
			this.fail(e);
			return;
		}
		await this.select(table);
	}

	/** Switches to a table: an empty form with the vendor prefilled, and the vendor's rows of it. */
	async select(table: string): Promise<void> {
		this.table = table;
		this.newRow();
		const seq = ++this.rowsSeq;
		this.rows = [];
		this.phase = 'loading';
		try {
			const rows = await this.api.vendorRows(this.vendorId, table);
			if (seq !== this.rowsSeq) return;
			this.rows = rows;
			this.phase = 'ready';
		} catch (e) {
			if (seq === this.rowsSeq) this.fail(e);
		}
	}

	/** An empty form (the vendor prefilled, and for a link who decided it and today); clears the errors. */
	newRow(): void {
		const defaults = rowDefaults(this.table, this.decidedBy ?? this.osUserName, this.today());
		this.values = this.schema ? prefill(this.schema, this.vendorId, this.entityId, defaults) : {};
		this.editing = null;
		this.clearErrors();
	}

	/** Fills the form with a stored row; saving it with the same key replaces that row. */
	edit(row: Cells): void {
		this.values = Object.fromEntries((this.schema?.columns ?? []).map((c) => [c.name, row[c.name] ?? '']));
		this.editing = row;
		this.clearErrors();
	}

	/** Enters the form as one row. Resolves to the batch it was recorded as, or null when it was rejected or failed. */
	async save(): Promise<Batch | null> {
		const schema = this.schema;
		if (!schema || this.busy) return null;
		this.phase = 'saving';
		this.clearErrors();
		const row: Cells = Object.fromEntries(schema.columns.map((c) => [c.name, this.values[c.name] ?? '']));
		try {
			const result = await this.api.enterRows(schema.table, [row]);
			this.phase = 'ready';
			if (result.status === 'rejected') {
				this.errors = result.errors;
				this.errorCount = result.error_count;
				return null;
			}
			if (schema.table === 'links') this.rememberDecidedBy(row['decided_by'] ?? '');
			this.newRow();
			return result.batch;
		} catch (e) {
			this.fail(e);
			return null;
		}
	}

	/** After a link is saved: a name typed in place of the OS user's prefills the next link (not one kept from an edited row). */
	private rememberDecidedBy(cell: string): void {
		const name = cell.trim();
		if (name === '' || (this.editing !== null && name === (this.editing['decided_by'] ?? '').trim())) return;
		this.decidedBy = name === this.osUserName ? null : name;
	}

	private clearErrors(): void {
		this.errors = [];
		this.errorCount = 0;
		this.failure = null;
	}

	private fail(e: unknown): void {
		this.failure = e instanceof Error ? e.message : String(e);
		this.phase = 'failed';
	}
}
