//! The fixture backend: what `commands.ts` calls when the UI runs outside Tauri (`npm run dev`,
//! `preview`, screenshots). It serves the engine's real JSON outputs on the demo data (./fixtures) and
//! does the cheap work for real: scoring with any weights, method and missing policy, tornado and
//! stability, SMAA, AHP, scenarios, a simulated import history. It keeps its state in memory only.
import type { AhpPair } from './bindings/AhpPair';
import type { AhpResult } from './bindings/AhpResult';
import type { Batch } from './bindings/Batch';
import type { ChartKind } from './bindings/ChartKind';
import type { ColumnSchema } from './bindings/ColumnSchema';
import type { EntryResult } from './bindings/EntryResult';
import type { Evidence } from './bindings/Evidence';
import type { Explanation } from './bindings/Explanation';
import type { FactorValues } from '$lib/domain/factors';
import type { LiveTable } from './bindings/LiveTable';
import { liveScoresOf, liveTableOf, type LiveScores } from './live';
import type { ImportReport } from './bindings/ImportReport';
import type { ImportResult } from './bindings/ImportResult';
import type { ReadProgress } from './bindings/ReadProgress';
import type { Method } from './bindings/Method';
import type { MissingPolicy } from './bindings/MissingPolicy';
import type { RowError } from './bindings/RowError';
import type { SavedScenario } from './bindings/SavedScenario';
import type { ScenarioDiff } from './bindings/ScenarioDiff';
import type { ScenarioInput } from './bindings/ScenarioInput';
import type { ScenarioList } from './bindings/ScenarioList';
import type { ScoreReport } from './bindings/ScoreReport';
import type { SensitivityReport } from './bindings/SensitivityReport';
import type { Settings } from './bindings/Settings';
import type { SmaaModeName } from './commands';
import type { SmaaProgress } from './bindings/SmaaProgress';
import type { SmaaResult } from './bindings/SmaaResult';
import type { TableCount } from './bindings/TableCount';
import type { TableSchema } from './bindings/TableSchema';
import type { VendorListing } from './bindings/VendorListing';
import { BackendError } from './errors';
import { ahp as ahpWeights, EngineError, scoreMatrix, sensitivity as sensitivityOf, smaa as smaaRun, type MatrixRow } from './fixture-engine';
import { generatedMatrix } from './generated-matrix';
import { FACTOR_COLOURS, FACTORS, isPreset, normalise, PRESET_WEIGHTS, PRESET_NAMES } from '$lib/domain/factors';
import ahpJson from './fixtures/ahp.json';
import batchesJson from './fixtures/batches.json';
import explainKaspersky from './fixtures/explain-kaspersky.json';
import explainLotusgate from './fixtures/explain-lotusgate.json';
import rowsKaspersky from './fixtures/rows-kaspersky.json';
import scenariosJson from './fixtures/scenarios.json';
import scoreJson from './fixtures/score.json';
import tableSchemasJson from './fixtures/table-schemas.json';
import vendorsJson from './fixtures/vendors.json';

/** The engine's outputs, typed (the fixture test checks they have exactly these shapes). */
export const fixtureData = {
	score: scoreJson as unknown as ScoreReport,
	explanations: [explainKaspersky, explainLotusgate] as unknown as Explanation[],
	batches: batchesJson as unknown as Batch[],
	vendors: vendorsJson as unknown as VendorListing[],
	scenarios: scenariosJson as unknown as ScenarioList,
	ahp: ahpJson as unknown as AhpResult,
	tableSchemas: tableSchemasJson as unknown as TableSchema[],
	/** Kaspersky Lab's rows of every table, as `vendor_rows` gives them. */
	kasperskyRows: rowsKaspersky as unknown as Record<string, Cells[]>
};

/** A row as text cells keyed by column name (an empty cell is not given). */
type Cells = Record<string, string>;
/** A stored row of the preview and the vendor whose rows it is listed with. */
type FactRow = { vendor: string; cells: Cells };

export function matrixFromReport(report: ScoreReport): MatrixRow[] {
	return report.vendors.map((v) => ({
		vendor_id: v.vendor_id,
		name: v.name,
		factors: v.factors,
		missing: v.missing,
		mitigation: v.mitigation,
		prohibited: v.prohibited,
		designations: v.designations
	}));
}

type Resolved = { name: string; raw: FactorValues; method: Method; missing: MissingPolicy; asOf: string; concern: string[] };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FixtureBackend {
	private matrix: MatrixRow[];
	private saved: SavedScenario[];
	private batchList: Batch[];
	private currentSettings: Settings;
	private smaaCancelled = false;
	private vendorListing: VendorListing[];
	private facts = new Map<string, FactRow[]>();

	/**
	 * The browser preview's backend. `?vendors=N` swaps the demo vendors for N generated ones (N = 0 shows
	 * the empty store; N = 1000 shows the what-if view at the size the latency target is set for).
	 */
	static forPreview(search: string): FixtureBackend {
		const param = new URLSearchParams(search).get('vendors');
		const n = param === null ? NaN : Number(param);
		return Number.isInteger(n) && n >= 0 && n <= 100_000 ? new FixtureBackend(generatedMatrix(n)) : new FixtureBackend();
	}

	constructor(matrix?: MatrixRow[]) {
		this.matrix = matrix ?? matrixFromReport(fixtureData.score);
		this.saved = structuredClone(fixtureData.scenarios.scenarios);
		this.batchList = this.matrix.length === 0 ? [] : structuredClone(fixtureData.batches);
		this.vendorListing = structuredClone(fixtureData.vendors);
		for (const [table, rows] of Object.entries(fixtureData.kasperskyRows))
			this.facts.set(table, rows.map((cells) => ({ vendor: 'kaspersky', cells: { ...cells } })));
		this.currentSettings = {
			theme: 'system',
			concernCountries: [...fixtureData.score.params.concern_countries],
			storePath: '~/.local/share/vetta/vetta.db (browser preview: fixture data, nothing is stored)'
		};
	}

	private resolve(input: ScenarioInput): Resolved {
		const name = input.scenario ?? 'default';
		const params = fixtureData.score.params;
		let raw: FactorValues;
		let method: Method = 'weighted_sum';
		let missing: MissingPolicy = params.missing;
		let asOf = fixtureData.score.as_of;
		if (isPreset(name)) raw = { ...PRESET_WEIGHTS[name] };
		else {
			const saved = this.saved.find((s) => s.name === name);
			if (!saved) throw new BackendError('invalid', `no scenario or preset named "${name}"`);
			raw = { ...saved.spec.weights };
			method = saved.spec.method;
			missing = (saved.spec.params['missing'] as MissingPolicy | undefined) ?? missing;
			asOf = saved.spec.params['as_of'] ?? asOf;
		}
		for (const factor of FACTORS) {
			const value = input.weights?.[factor];
			if (value === undefined) continue;
			if (!(value >= 0) || !Number.isFinite(value))
				throw new BackendError('invalid', `weight of ${factor} must be a non-negative number, got ${value}`);
			raw[factor] = value;
		}
		if (!normalise(raw)) throw new BackendError('invalid', 'all weights are zero');
		if (input.asOf !== undefined) {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(input.asOf)) throw new BackendError('invalid', `as-of date "${input.asOf}" is not YYYY-MM-DD`);
			asOf = input.asOf;
		}
		return {
			name,
			raw,
			method: input.method ?? method,
			missing: input.missing ?? missing,
			asOf,
			concern: input.concern ?? this.currentSettings.concernCountries
		};
	}

	private run<T>(work: () => T): Promise<T> {
		try {
			return Promise.resolve(work());
		} catch (e) {
			return Promise.reject(e instanceof EngineError ? new BackendError(e.code, e.message) : e);
		}
	}

	score(scenario: ScenarioInput): Promise<ScoreReport> {
		return this.run(() => {
			const r = this.resolve(scenario);
			const base = fixtureData.score;
			return {
				as_of: r.asOf,
				method: r.method,
				scenario: r.name,
				weights: normalise(r.raw)!,
				params: { ...base.params, as_of: r.asOf, concern_countries: r.concern, missing: r.missing },
				dataset_sha256: base.dataset_sha256,
				vendors: scoreMatrix(this.matrix, r.raw, r.method, r.missing)
			};
		});
	}

	/** The live list's answer to a weight move (the shell sends it as bytes; here it is built from the report). */
	async rescore(scenario: ScenarioInput): Promise<LiveScores> {
		const report = await this.score(scenario);
		return liveScoresOf(report, this.generationOf(report));
	}

	async liveTable(scenario: ScenarioInput): Promise<LiveTable> {
		const report = await this.score(scenario);
		return liveTableOf(report, this.generationOf(report));
	}

	/** Like the shell's evaluation cache: a new generation whenever the parameters change. */
	private generationOf(report: ScoreReport): number {
		const key = JSON.stringify(report.params);
		if (this.lastParams !== key) {
			this.lastParams = key;
			this.generation += 1;
		}
		return this.generation;
	}

	private lastParams = '';
	private generation = 0;

	explain(vendorId: string, scenario: ScenarioInput): Promise<Explanation> {
		return this.score(scenario).then((report) => {
			const vendor = report.vendors.find((v) => v.vendor_id === vendorId);
			if (!vendor) throw new BackendError('invalid', `unknown vendor "${vendorId}"`);
			const recorded = fixtureData.explanations.find((e) => e.vendor.vendor_id === vendorId);
			return {
				vendor,
				factors: FACTORS.map((factor) => {
					const known = recorded?.factors.find((f) => f.factor === factor);
					return {
						factor,
						value: vendor.factors[factor],
						weight: report.weights[factor],
						contribution: vendor.contributions ? vendor.contributions[factor] : null,
						missing: vendor.missing.includes(factor),
						evidence: known?.evidence ?? [],
						sentences: known?.sentences ?? []
					};
				})
			};
		});
	}

	sensitivity(vendorId: string, delta: number, scenario: ScenarioInput): Promise<SensitivityReport> {
		return this.run(() => {
			const r = this.resolve(scenario);
			return sensitivityOf(this.matrix, vendorId, r.raw, r.method, r.missing, delta);
		});
	}

	async smaa(
		scenario: ScenarioInput,
		options: { samples: number; seed: number; mode: SmaaModeName; kappa: number; ranks: number | null },
		onProgress: (progress: SmaaProgress) => void
	): Promise<SmaaResult> {
		const r = this.resolve(scenario);
		this.smaaCancelled = false;
		try {
			return await smaaRun(this.matrix, r.raw, { ...options, method: r.method, missing: r.missing }, async (done, total) => {
				onProgress({ done, total });
				// Slow enough to see the progress bar and press Cancel in the preview.
				await sleep(25);
				return !this.smaaCancelled;
			});
		} catch (e) {
			throw e instanceof EngineError ? new BackendError(e.code, e.message) : e;
		}
	}

	cancelSmaa(): Promise<void> {
		this.smaaCancelled = true;
		return Promise.resolve();
	}

	ahp(pairs: AhpPair[]): Promise<AhpResult> {
		return this.run(() => ahpWeights(pairs));
	}

	scenarios(): Promise<ScenarioList> {
		return Promise.resolve({ scenarios: structuredClone(this.saved), presets: [...PRESET_NAMES] });
	}

	saveScenario(name: string, scenario: ScenarioInput): Promise<void> {
		return this.run(() => {
			if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
				throw new BackendError('invalid', 'a scenario name is 1–64 letters, digits, "-", "_" or "."');
			if (isPreset(name)) throw new BackendError('invalid', `"${name}" is a preset name`);
			const r = this.resolve(scenario);
			const params: Record<string, string> = { ...(scenario.params ?? {}) } as Record<string, string>;
			if (scenario.asOf) params['as_of'] = scenario.asOf;
			if (scenario.missing) params['missing'] = scenario.missing;
			if (scenario.concern) params['concern_countries'] = scenario.concern.join(',');
			const entry: SavedScenario = {
				name,
				spec: { weights: r.raw, method: r.method, params },
				updated_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
			};
			this.saved = [...this.saved.filter((s) => s.name !== name), entry].sort((a, b) => (a.name < b.name ? -1 : 1));
		});
	}

	deleteScenario(name: string): Promise<void> {
		return this.run(() => {
			if (!this.saved.some((s) => s.name === name)) throw new BackendError('invalid', `no saved scenario named "${name}"`);
			this.saved = this.saved.filter((s) => s.name !== name);
		});
	}

	async diffScenarios(a: string, b: string): Promise<ScenarioDiff> {
		const [ra, rb] = [this.resolve({ scenario: a }), this.resolve({ scenario: b })];
		const [sa, sb] = await Promise.all([this.score({ scenario: a }), this.score({ scenario: b })]);
		const wa = normalise(ra.raw)!;
		const wb = normalise(rb.raw)!;
		const weights: ScenarioDiff['weights'] = {};
		for (const f of [...FACTORS].sort()) weights[f] = [wa[f], wb[f]];
		const params: ScenarioDiff['params'] = {};
		if (ra.asOf !== rb.asOf) params['as_of'] = [ra.asOf, rb.asOf];
		if (ra.missing !== rb.missing) params['missing'] = [ra.missing, rb.missing];
		const byIdB = new Map(sb.vendors.map((v) => [v.vendor_id, v]));
		return {
			a,
			b,
			weights,
			method: ra.method === rb.method ? null : [ra.method, rb.method],
			params,
			vendors: sa.vendors
				.map((va) => {
					const vb = byIdB.get(va.vendor_id)!;
					return {
						vendor_id: va.vendor_id,
						rank_a: va.rank,
						rank_b: vb.rank,
						score_a: va.score,
						score_b: vb.score,
						rank_change: va.rank - vb.rank,
						score_change: vb.score - va.score
					};
				})
				.sort((x, y) => x.rank_b - y.rank_b)
		};
	}

	vendors(): Promise<VendorListing[]> {
		return Promise.resolve(structuredClone(this.vendorListing));
	}

	counts(): Promise<TableCount[]> {
		const totals = new Map<string, number>();
		for (const batch of this.batchList) {
			if (batch.undone_at) continue;
			for (const [table, rows] of Object.entries(batch.counts)) totals.set(table, (totals.get(table) ?? 0) + (rows ?? 0));
		}
		const tables = ['vendors', 'entities', 'ownership', 'testimony', 'designations', 'sales', 'install_base'];
		return Promise.resolve(tables.map((table) => ({ table, rows: totals.get(table) ?? 0 })));
	}

	searchTestimony(query: string): Promise<string[]> {
		const words = query.toLowerCase().split(/\s+/).filter(Boolean);
		const ids = new Set<string>();
		for (const explanation of fixtureData.explanations) {
			const testimony = explanation.factors.find((f) => f.factor === 'testimony');
			testimony?.evidence.forEach((evidence: Evidence, i) => {
				if (evidence.kind !== 'note_term') return;
				const text = `${testimony.sentences[i] ?? ''} ${evidence.source} ${evidence.note_id}`.toLowerCase();
				if (words.every((w) => text.includes(w))) ids.add(evidence.note_id);
			});
		}
		return Promise.resolve([...ids]);
	}

	private importCancelled = false;

	/** Reads "the files" in two halves, reporting progress between them (where a cancel is heard). */
	private async readWithProgress(onProgress: (progress: ReadProgress) => void): Promise<void> {
		this.importCancelled = false;
		onProgress({ read: 1, total: 2 });
		await new Promise((resolve) => setTimeout(resolve, 0));
		if (this.importCancelled) throw new BackendError('cancelled', 'cancelled; nothing was written');
		onProgress({ read: 2, total: 2 });
	}

	cancelImport(): Promise<void> {
		this.importCancelled = true;
		return Promise.resolve();
	}

	/** Preview rule: a path containing "broken" fails validation, anything else passes with a warning. */
	async checkImport(paths: string[], onProgress: (progress: ReadProgress) => void = () => {}): Promise<ImportReport> {
		if (paths.length === 0) throw new BackendError('invalid', 'no files chosen');
		await this.readWithProgress(onProgress);
		if (paths.some((p) => p.includes('broken')))
			return Promise.resolve({
				errors: [
					{ file: 'vendors.csv', line: 4, column: 'hq_country', message: 'hq_country "Russia" is not an ISO 3166-1 alpha-2 code' },
					{ file: 'ownership.csv', line: 12, column: 'share', message: 'share "55%" is not a decimal in [0, 1]' },
					{ file: 'ownership.csv', line: 17, column: 'share', message: 'incoming shares of "lotusgate" sum to 1.15 on 2024-01-01 (more than 1)' },
					{ file: 'testimony.csv', line: 9, column: 'reliability', message: 'reliability "G" is not one of A–F' }
				],
				error_count: 4,
				warnings: ['sales.csv: 3 rows dated after today are kept but ignored until then']
			});
		return Promise.resolve({ errors: [], error_count: 0, warnings: ['install_base.csv: no rows for vendor "harborbyte"'] });
	}

	async importFiles(paths: string[], onProgress: (progress: ReadProgress) => void = () => {}): Promise<ImportResult> {
		const report = await this.checkImport(paths, onProgress);
		if (report.error_count > 0) throw new BackendError('invalid', `${report.error_count} errors; nothing was imported`);
		const batch: Batch = {
			batch_id: Math.max(0, ...this.batchList.map((b) => b.batch_id)) + 1,
			created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
			label: paths.map((p) => p.split('/').pop()).join(', '),
			files: [{ name: paths[0] ?? '', table: 'testimony', sha256: '0'.repeat(64), rows: 2 }],
			counts: { testimony: 2 },
			undone_at: null
		};
		this.batchList = [...this.batchList, batch];
		return { batch, warnings: report.warnings };
	}

	batches(): Promise<Batch[]> {
		return Promise.resolve(structuredClone(this.batchList));
	}

	undo(batchId: number): Promise<Batch> {
		return this.run(() => {
			const batch = this.batchList.find((b) => b.batch_id === batchId);
			if (!batch) throw new BackendError('invalid', `no batch ${batchId}`);
			if (batch.undone_at) throw new BackendError('invalid', `batch ${batchId} is already undone`);
			batch.undone_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
			return structuredClone(batch);
		});
	}

	tableSchemas(): Promise<TableSchema[]> {
		return Promise.resolve(structuredClone(fixtureData.tableSchemas));
	}

	vendorRows(vendorId: string, table: string): Promise<Cells[]> {
		return this.run(() => {
			const schema = schemaOf(table);
			if (!this.vendorListing.some((v) => v.vendor_id === vendorId)) throw new BackendError('invalid', `unknown vendor "${vendorId}"`);
			const key = (cells: Cells) => schema.key.map((k) => cells[k] ?? '').join('\u0000');
			return (this.facts.get(table) ?? [])
				.filter((row) => row.vendor === vendorId)
				.map((row) => structuredClone(row.cells))
				.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
		});
	}

	/**
	 * The importer's cell rules, simplified (no references, no cross-row rules): one batch labelled as
	 * the engine labels it, rows replaced by key, or a rejection with every error at `<table>.csv:line:column`.
	 */
	enterRows(table: string, rows: Cells[]): Promise<EntryResult> {
		return this.run(() => {
			const schema = schemaOf(table);
			if (rows.length === 0) throw new BackendError('invalid', 'no rows to enter');
			const file = `${table}.csv`;
			const errors: RowError[] = [];
			rows.forEach((row, i) => {
				const unknown = Object.keys(row).find((name) => !schema.columns.some((c) => c.name === name));
				if (unknown !== undefined) throw new BackendError('invalid', `${table} has no column "${unknown}"`);
				for (const column of schema.columns) {
					const message = cellProblem(column, (row[column.name] ?? '').trim());
					if (message) errors.push({ file, line: i + 2, column: column.name, message });
				}
			});
			if (errors.length > 0) return { status: 'rejected', errors, error_count: errors.length, warnings: [] };
			const stored = this.facts.get(table) ?? [];
			const key = (cells: Cells) => schema.key.map((k) => (cells[k] ?? '').trim()).join('\u0000');
			for (const row of rows) {
				const cells = Object.fromEntries(schema.columns.map((c) => [c.name, (row[c.name] ?? '').trim()]));
				const old = stored.findIndex((r) => key(r.cells) === key(cells));
				if (old >= 0) stored[old] = { vendor: stored[old]!.vendor, cells };
				else stored.push({ vendor: cells[schema.vendor_column] ?? '', cells });
			}
			this.facts.set(table, stored);
			const batch: Batch = {
				batch_id: Math.max(0, ...this.batchList.map((b) => b.batch_id)) + 1,
				created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
				label: 'entered by hand',
				files: [{ name: file, table, sha256: '0'.repeat(64), rows: rows.length }],
				counts: { [table]: rows.length },
				undone_at: null
			};
			this.batchList = [...this.batchList, batch];
			return { status: 'entered', batch: structuredClone(batch), warnings: [] };
		});
	}

	async chart(kind: ChartKind, vendorIds: string[], scenario: ScenarioInput, dark: boolean): Promise<string> {
		const report = await this.score(scenario);
		return placeholderChart(kind, vendorIds, report, dark);
	}

	writeBrief(vendorIds: string[], _scenario: ScenarioInput, _path: string): Promise<void> {
		if (vendorIds.length < 1 || vendorIds.length > 10)
			return Promise.reject(new BackendError('invalid', 'a brief covers 1 to 10 vendors'));
		return sleep(400);
	}

	writeExport(_path: string, _scenario: ScenarioInput): Promise<void> {
		return sleep(200);
	}

	settings(): Promise<Settings> {
		return Promise.resolve(structuredClone(this.currentSettings));
	}

	saveSettings(settings: Settings): Promise<void> {
		return this.run(() => {
			const bad = settings.concernCountries.find((c) => !/^[A-Z]{2}$/.test(c));
			if (bad !== undefined) throw new BackendError('invalid', `"${bad}" is not a two-letter country code`);
			this.currentSettings = { ...structuredClone(settings), storePath: this.currentSettings.storePath };
		});
	}
}

function schemaOf(table: string): TableSchema {
	const schema = fixtureData.tableSchemas.find((s) => s.table === table);
	if (!schema) throw new BackendError('invalid', `there is no table "${table}"`);
	return schema;
}

/** The message of a cell that breaks its column's rule (as the engine words it), or null. */
function cellProblem(column: ColumnSchema, cell: string): string | null {
	const shown = JSON.stringify(cell);
	if (cell === '') return column.required ? 'a value is required' : null;
	if (column.choices.length > 0) return column.choices.includes(cell) ? null : `${shown} is not one of ${column.choices.join(', ')}`;
	if (column.kind.startsWith('date')) {
		const date = new Date(`${cell}T00:00:00Z`);
		const real = /^\d{4}-\d{2}-\d{2}$/.test(cell) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(cell);
		return real ? null : `${shown} is not a calendar date YYYY-MM-DD`;
	}
	if (column.kind.endsWith('id')) return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(cell) ? null : `${shown} is not a valid id`;
	const range = /^(integer|decimal) (-?[\d.]+)\.\.(-?[\d.]+)$/.exec(column.kind);
	if (column.kind.startsWith('integer') || column.kind === 'year') {
		if (!/^\d+$/.test(cell)) return `${shown} is not an integer (digits only)`;
	} else if (column.kind.startsWith('decimal')) {
		if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cell)) return `${shown} is not a decimal number`;
		if (Number(cell) < 0) return `${cell} is below 0`;
	} else return null;
	if (range && Number(cell) < Number(range[2])) return `${cell} is below ${range[2]}`;
	if (range && Number(cell) > Number(range[3])) return `${cell} is above ${range[3]}`;
	return null;
}

function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * A stand-in for the engine's charts: the ranking as bars, everything else as a labelled frame. Text is
 * XML-escaped because vendor names are user data.
 */
export function placeholderChart(kind: ChartKind, vendorIds: string[], report: ScoreReport, dark: boolean): string {
	const fg = dark ? '#e6e9ee' : '#1b1f24';
	const muted = dark ? '#8b95a3' : '#5b6470';
	const line = dark ? '#3a414b' : '#d8dce2';
	const width = 640;
	if (kind === 'ranking') {
		const rows = report.vendors.slice(0, 20);
		const height = 40 + rows.length * 26;
		const bars = rows
			.map((v, i) => {
				const y = 30 + i * 26;
				let x = 220;
				const segments = FACTORS.map((f) => {
					const c = v.contributions ? v.contributions[f] : 0;
					const w = (c / 100) * 380;
					const colour = f === 'privilege' && dark ? '#999999' : FACTOR_COLOURS[f];
					const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${colour}"/>`;
					x += w;
					return rect;
				}).join('');
				const plain = v.contributions ? '' : `<rect x="220" y="${y}" width="${((v.score / 100) * 380).toFixed(1)}" height="16" fill="${muted}"/>`;
				return `<text x="210" y="${y + 12}" text-anchor="end" font-size="12" fill="${fg}">${escapeXml(v.name)}</text>${segments}${plain}<text x="${(226 + (v.score / 100) * 380).toFixed(1)}" y="${y + 12}" font-size="11" fill="${muted}">${v.score.toFixed(1)}</text>`;
			})
			.join('');
		return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><text x="10" y="18" font-size="13" font-weight="600" fill="${fg}">Ranking (${escapeXml(report.scenario)}, preview)</text><line x1="220" y1="26" x2="220" y2="${height - 8}" stroke="${line}"/>${bars}</svg>`;
	}
	const names = vendorIds.map((id) => report.vendors.find((v) => v.vendor_id === id)?.name ?? id);
	const height = 200;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif"><rect x="1" y="1" width="${width - 2}" height="${height - 2}" rx="8" fill="none" stroke="${line}" stroke-dasharray="6 4"/><text x="${width / 2}" y="86" text-anchor="middle" font-size="15" font-weight="600" fill="${fg}">${escapeXml(CHART_TITLES[kind])}</text><text x="${width / 2}" y="112" text-anchor="middle" font-size="12" fill="${muted}">${escapeXml(names.join(', ').slice(0, 90))}</text><text x="${width / 2}" y="136" text-anchor="middle" font-size="11" fill="${muted}">Drawn by the engine in the desktop app; this is the browser preview.</text></svg>`;
}

const CHART_TITLES: Record<ChartKind, string> = {
	ranking: 'Ranking',
	radar: 'Risk profile (radar)',
	sales: 'Sales by country and year',
	install_base: 'Install base by year',
	testimony: 'Testimony timeline',
	tornado: 'Tornado',
	smaa: 'Rank acceptability heatmap',
	ownership: 'Ownership graph'
};

