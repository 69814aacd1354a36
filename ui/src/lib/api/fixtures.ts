//! The browser preview's backend: what `commands.ts` calls when the UI runs outside Tauri (`npm run dev`,
//! `preview`, screenshots), and what the vitest tests run against. It computes nothing: it REPLAYS the
//! answers `cargo xtask codegen` recorded from the real Rust engine into `./recorded/` (the demo store
//! as of 2026-11-27 with the default countries of concern; `cargo xtask codegen --check` fails when
//! they drift from the engine). A request is answered only when a recording answers exactly it:
//!
//! - `score`, `rescore`, `liveTable`, `chart`: the recorded report (scores.json, keyed
//!   `<scenario>|<method>|<missing>`) whose method, missing policy, as-of date, countries of concern
//!   and normalised weights (each factor within 1e-12) are the request's, whatever the request's
//!   scenario is called: sliders in the proportions of a preset or of the saved `bod` hit its
//!   recording. The report carries the requested scenario name.
//! - `explain`, `sensitivity` (delta `RECORDED_DELTA`), `smaa` (the engine's default options): the
//!   default request only. SMAA still reports progress and can be cancelled.
//! - `ahp`: the recorded comparison sets (pairs in any order, either orientation, values within 1e-12).
//! - `diffScenarios`: the recorded diff, for two scenarios that resolve to its two sides.
//! - `screen`: the recorded queue (screen.json, at its threshold) for that threshold or any higher one
//!   (the candidates at or above it, with their parties' cards); a lower one is refused.
//!   `decideLinks` takes decided candidates out of the queue and records their links as one batch
//!   (`link` or `links`), which `undo` puts back; the links rules it checks are the shell's: no
//!   link of an id to itself, no `same` link that makes two vendors one entity.
//! - `changes`: the recorded report (changes.json: what the demo's last batch changed) for
//!   `from` and `to` both null under the default scenario; the preview's own imports and decisions
//!   change no numbers, so it answers with that report after them too.
//!
//! Anything else is refused with code `invalid` and a message saying the preview has no recorded
//! answer for it and that the desktop app (`cargo xtask run`) scores any weighting. The input checks
//! the shell makes (scenario names, weights, dates) keep the shell's codes. State that is not engine
//! output is hand-kept in `./fixtures/` (import batches, the saved scenario `bod`); scenarios,
//! settings, imports, batches and facts then change in memory only.
//!
//! `?vendors=0` in the page URL previews the empty store: no vendors, facts or batches, and the
//! recorded reports with no vendors in them.
//!
//! A vendor page's identity (its `same` group, links, aliases, identifiers) is gathered from the facts
//! it holds, as the store gathers it: the demo store records none, so it shows what is entered by hand.
//! `writeDump` lists a file per table with rows (the batches' counts) and the recorded dataset SHA-256.
//!
//! Signed bundles: the preview trusts one fictional key (`PREVIEW_TRUSTED_KEY`); keys pasted or chosen
//! (`PREVIEW_PUBLIC_KEY_FILE`) are read as the shell reads them (a minisign public key, its key id from
//! its key number) and trusted in memory. Its signing key (`PREVIEW_SECRET_KEY`) is encrypted: any
//! password opens it, and no password is refused as the shell refuses a wrong one. `writeBundle` answers the
//! manifest of the store (a file per table with rows, hashes not computed: zeros). A bundle is read
//! (`checkImport`, `importFiles`, `verifyBundle`) as written in this session, else by its name: one
//! whose name holds "unsigned" is not signed, "tampered" was changed since it was signed, any other is
//! signed by the colleague's key of `PREVIEW_PUBLIC_KEY_FILE` (refused until that key is trusted).
import type { AhpPair } from './bindings/AhpPair';
import type { AhpResult } from './bindings/AhpResult';
import type { BasisSpread } from './bindings/BasisSpread';
import type { Batch } from './bindings/Batch';
import type { BundleCheck } from './bindings/BundleCheck';
import type { Candidate } from './bindings/Candidate';
import type { ChangesReport } from './bindings/ChangesReport';
import type { ChartKind } from './bindings/ChartKind';
import type { ColumnSchema } from './bindings/ColumnSchema';
import type { Dumped } from './bindings/Dumped';
import type { EntryResult } from './bindings/EntryResult';
import type { Evidence } from './bindings/Evidence';
import type { Explanation } from './bindings/Explanation';
import type { FactorValues } from '$lib/domain/factors';
import type { Identity } from './bindings/Identity';
import type { LinkDecision } from './bindings/LinkDecision';
import type { LinkView } from './bindings/LinkView';
import type { LinksReport } from './bindings/LinksReport';
import type { LiveTable } from './bindings/LiveTable';
import type { Manifest } from './bindings/Manifest';
import { liveScoresOf, liveTableOf, type LiveScores } from './live';
import type { ImportReport } from './bindings/ImportReport';
import type { ImportResult } from './bindings/ImportResult';
import type { ReadProgress } from './bindings/ReadProgress';
import type { Method } from './bindings/Method';
import type { OpenKind } from './bindings/OpenKind';
import type { MissingPolicy } from './bindings/MissingPolicy';
import type { RowError } from './bindings/RowError';
import type { ImportNote } from './bindings/ImportNote';
import type { SavedScenario } from './bindings/SavedScenario';
import type { SaveKind } from './bindings/SaveKind';
import type { ScenarioDiff } from './bindings/ScenarioDiff';
import type { ScenarioInput } from './bindings/ScenarioInput';
import type { ScenarioList } from './bindings/ScenarioList';
import type { ScoreReport } from './bindings/ScoreReport';
import type { ScreenReview } from './bindings/ScreenReview';
import type { SensitivityReport } from './bindings/SensitivityReport';
import type { Settings } from './bindings/Settings';
import type { SmaaModeName } from './commands';
import type { SmaaProgress } from './bindings/SmaaProgress';
import type { SmaaResult } from './bindings/SmaaResult';
import type { TableCount } from './bindings/TableCount';
import type { TableSchema } from './bindings/TableSchema';
import type { TrustedKey } from './bindings/TrustedKey';
import type { VendorListing } from './bindings/VendorListing';
import type { VendorPage } from './bindings/VendorPage';
import type { Workspace } from './bindings/Workspace';
import { BackendError } from './errors';
import { FACTOR_COLOURS, FACTORS, isPreset, normalise, PRESET_WEIGHTS, PRESET_NAMES } from '$lib/domain/factors';
import ahpJson from './recorded/ahp.json';
import conditions from './recorded/conditions.json';
import explanationsJson from './recorded/explanations.json';
import rowsKaspersky from './recorded/rows-kaspersky.json';
import scenarioDiffJson from './recorded/scenario-diff.json';
import changesJson from './recorded/changes.json';
import scoresJson from './recorded/scores.json';
import screenJson from './recorded/screen.json';
import sensitivityJson from './recorded/sensitivity.json';
import smaaJson from './recorded/smaa.json';
import tableSchemasJson from './recorded/table-schemas.json';
import vendorsJson from './recorded/vendors.json';
import batchesJson from './fixtures/batches.json';
import scenariosJson from './fixtures/scenarios.json';

/** A row as text cells keyed by column name (an empty cell is not given). */
type Cells = Record<string, string>;
/** A stored row of the preview and the vendor whose rows it is listed with. */
type FactRow = { vendor: string; cells: Cells };
/** One recorded AHP request and the engine's answer. */
export type AhpRecording = { pairs: AhpPair[]; result: AhpResult };

/** The engine's answers on the demo store, typed (the fixture test checks they have exactly these shapes). */
export const recorded = {
	/** Keyed `<scenario>|<method>|<missing>` (see `recordingKey`). */
	scores: scoresJson as unknown as Record<string, ScoreReport>,
	/** Every vendor's, under the default request. */
	explanations: explanationsJson as unknown as Record<string, Explanation>,
	/** Every vendor's, under the default request with delta `RECORDED_DELTA`. */
	sensitivity: sensitivityJson as unknown as Record<string, SensitivityReport>,
	/** The default request with the engine's default options. */
	smaa: smaaJson as unknown as SmaaResult,
	ahp: ahpJson as unknown as AhpRecording[],
	scenarioDiff: scenarioDiffJson as unknown as ScenarioDiff,
	vendors: vendorsJson as unknown as VendorListing[],
	tableSchemas: tableSchemasJson as unknown as TableSchema[],
	/** Kaspersky Lab's rows of every table, as `vendor_rows` gives them. */
	kasperskyRows: rowsKaspersky as unknown as Record<string, Cells[]>,
	/** The Screening queue at the app's default threshold (`report.min_score`). */
	screen: screenJson as unknown as ScreenReview,
	/** What the demo's last batch changed: `changes(null, null)` under the default scenario. */
	changes: changesJson as unknown as ChangesReport
};

/** State that is not engine output: the demo store's import history and its saved scenario. */
export const handKept = {
	batches: batchesJson as unknown as Batch[],
	scenarios: scenariosJson as unknown as ScenarioList
};

export function recordingKey(scenario: string, method: Method, missing: MissingPolicy): string {
	return `${scenario}|${method}|${missing}`;
}

/** The engine's missing-data policy when a scenario names none, as recorded. */
const DEFAULT_MISSING = conditions.missing as MissingPolicy;

/** The preview's import report: what staging published files of the chosen folder noted (illustrative lines, invented records). */
const PREVIEW_NOTES: ImportNote[] = [
	{ file: 'sdn.csv', location: '14', code: 'vessel-skipped', message: 'ent_num 51234 is a vessel; not imported' },
	{ file: 'sdn.csv', location: '15', code: 'vessel-skipped', message: 'ent_num 51235 is a vessel; not imported' },
	{ file: 'alt.csv', location: '3', code: 'orphan-reference', message: 'alt_num 9012 names ent_num 40001, which is not in sdn.csv' },
	{ file: 'register.json', location: '/7/recordDetails/interests/0/share', code: 'range-from-oversum', message: 'equity held in bods:c-12 sums to 1.01 (s = 1.01); read as the range [0.4950495, 0.5]' },
	{ file: 'register.json', location: '/9', code: 'stub-entity', message: 'ownership from_id names bods:p-44, which is in neither the import nor the store; a stub entity stands for it' },
	{ file: 'relationships.xml', location: '/RelationshipData/RelationshipRecords/RelationshipRecord[2]/Relationship/RelationshipPeriods/RelationshipPeriod[1]/StartDate', code: 'date-shifted', message: 'StartDate: 2022-06-30T18:30:00Z is local midnight written in UTC; read as 2022-07-01' }
];

/** The key the preview trusts from the start (fictional). */
export const PREVIEW_TRUSTED_KEY: TrustedKey = {
	key_id: '19C78441411B4D69',
	public_key: 'RWRpTRtBQYTHGVo8Mypzklz4/CgePNfQoT3y5vPxDgeUYxuGW8932jT2',
	label: 'Demo analyst (fictional)',
	added_at: '2026-11-20T09:12:00Z'
};

/** What the preview's "Choose .pub file…" returns: a colleague's public key (fictional), which signs the preview's bundles. */
export const PREVIEW_PUBLIC_KEY_FILE = {
	path: '/home/analyst/Downloads/colleague.pub',
	keyId: 'D53AB05711B01881',
	text: 'untrusted comment: minisign public key D53AB05711B01881\nRWSBGLARV7A61egDaShqQ8xvZw6vVb9bXbGzy1t6LY6AgnkL2JtE80IF\n'
};

/** What the preview's "Sign with key…" returns: the analyst's own secret key (encrypted), and its key id. */
export const PREVIEW_SECRET_KEY = { path: '/home/analyst/.minisign/vetta.key', keyId: '645FF5700481E53D' };

/** The user every batch and bundle of the preview is made by. */
const PREVIEW_USER = 'analyst';

/**
 * A public key as the shell reads it: a `.pub` file's text (its comment line, then the key) or the bare base64 key line, which
 * must hold minisign's Ed25519 key (`Ed`, an 8-byte key number, 32 bytes of key). The key id is the key number, little-endian,
 * as 16 upper-case hex digits.
 */
export function parsePublicKey(text: string): Pick<TrustedKey, 'key_id' | 'public_key'> {
	const lines = text.trim().split(/\r?\n/);
	const line = (lines[0]?.startsWith('untrusted comment:') ? lines[1] : lines.length === 1 ? lines[0] : undefined)?.trim() ?? '';
	let bytes: number[] = [];
	try {
		bytes = [...atob(line)].map((c) => c.charCodeAt(0));
	} catch {
		bytes = [];
	}
	if (bytes.length !== 42 || bytes[0] !== 0x45 || bytes[1] !== 0x64)
		throw new BackendError(
			'invalid',
			'public key: not a minisign public key (paste the text of a .pub file or its key line, which starts with RW)'
		);
	const keyId = bytes.slice(2, 10).reverse().map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
	return { key_id: keyId, public_key: line };
}

/** The delta of the recorded tornados. */
export const RECORDED_DELTA: number = conditions.delta;

/** The default request's report: what explanations, sensitivity and SMAA were recorded under. */
export const DEFAULT_REPORT: ScoreReport = (() => {
	const report = recorded.scores[recordingKey('default', 'weighted_sum', DEFAULT_MISSING)];
	if (!report) throw new Error('recorded/scores.json has no report of the default scenario');
	return report;
})();

/** "Today" in the preview: the date the recordings were made as of. */
export const RECORDED_AS_OF = DEFAULT_REPORT.as_of;

/** Weights, or AHP values, the same up to rounding. */
const TOLERANCE = 1e-12;

/** A request once its scenario is resolved: what a recording must match to answer it. */
type Request = {
	name: string;
	/** Raw weights, as a saved scenario keeps them. */
	raw: FactorValues;
	/** Normalised weights. */
	weights: FactorValues;
	method: Method;
	missing: MissingPolicy;
	asOf: string;
	concern: string[];
	/** Any other parameter of the risk model, in its text form. */
	params: Record<string, string>;
};

/** The parameters a request names outright rather than through `params`. */
const NAMED_PARAMS = ['as_of', 'missing', 'concern_countries'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sameWeights(a: FactorValues, b: FactorValues): boolean {
	return FACTORS.every((f) => Math.abs(a[f] - b[f]) <= TOLERANCE);
}

function sameCountries(a: readonly string[], b: readonly string[]): boolean {
	const set = (list: readonly string[]) => [...new Set(list)].sort().join(',');
	return set(a) === set(b);
}

/** The extra parameters say what the report was computed with (numbers by value, the rest by text). */
function paramsAnswered(params: Record<string, string>, report: ScoreReport): boolean {
	const recordedParams = report.params as unknown as Record<string, unknown>;
	return Object.entries(params).every(([name, text]) => {
		const value = recordedParams[name];
		if (typeof value === 'number') return text.trim() !== '' && Number(text) === value;
		return value !== undefined && String(value) === text;
	});
}

function answers(report: ScoreReport, r: Request): boolean {
	return (
		report.method === r.method &&
		report.params.missing === r.missing &&
		report.as_of === r.asOf &&
		sameCountries(report.params.concern_countries, r.concern) &&
		paramsAnswered(r.params, report) &&
		sameWeights(report.weights, r.weights)
	);
}

function sameRequest(a: Request, b: Request): boolean {
	return (
		a.method === b.method &&
		a.missing === b.missing &&
		a.asOf === b.asOf &&
		sameCountries(a.concern, b.concern) &&
		JSON.stringify(Object.entries(a.params).sort()) === JSON.stringify(Object.entries(b.params).sort()) &&
		sameWeights(a.weights, b.weights)
	);
}

/** The refusal of a request no recording answers. */
function notRecorded(what: string): BackendError {
	return new BackendError(
		'invalid',
		`The browser preview replays answers recorded from the engine and has none for ${what}. The desktop app (cargo xtask run) scores any weighting.`
	);
}

/** What a score request asks that nothing recorded answers, for the refusal. */
function unrecordedPart(r: Request): string {
	const reports = Object.values(recorded.scores);
	if (!reports.some((report) => report.as_of === r.asOf))
		return `scores as of ${r.asOf} (it has ${[...new Set(reports.map((report) => report.as_of))].join(' and ')})`;
	if (!reports.some((report) => sameCountries(report.params.concern_countries, r.concern)))
		return `the countries of concern ${r.concern.join(', ')} (it has ${DEFAULT_REPORT.params.concern_countries.join(', ')})`;
	if (!reports.some((report) => paramsAnswered(r.params, report)))
		return `the parameters ${Object.entries(r.params).map(([name, value]) => `${name}=${value}`).join(', ')}`;
	const scenarios = [...new Set(Object.keys(recorded.scores).map((key) => key.split('|')[0]!))];
	return `these weights as of ${r.asOf} (it has the weights of ${scenarios.join(', ')} at their own dates, or weights in the same proportions)`;
}

/** Pairs as "a|b" in factor order → value, or null when a pair is given twice. */
function canonicalPairs(pairs: readonly AhpPair[]): Map<string, number> | null {
	const out = new Map<string, number>();
	for (const { a, b, value } of pairs) {
		const flipped = FACTORS.indexOf(a) > FACTORS.indexOf(b);
		const key = flipped ? `${b}|${a}` : `${a}|${b}`;
		if (out.has(key)) return null;
		out.set(key, flipped ? 1 / value : value);
	}
	return out;
}

function samePairs(a: readonly AhpPair[], b: readonly AhpPair[]): boolean {
	const [ca, cb] = [canonicalPairs(a), canonicalPairs(b)];
	if (!ca || !cb || ca.size !== cb.size) return false;
	return [...ca].every(([key, value]) => {
		const other = cb.get(key);
		return other !== undefined && Math.abs(other - value) <= TOLERANCE;
	});
}

/** SMAA samples between progress reports, and the pause after each (slow enough to press Cancel). */
const SMAA_STEP = 500;
const SMAA_PAUSE_MS = 25;

export class FixtureBackend {
	private readonly empty: boolean;
	private workspaceKind: 'local' | 'team' | 'viewer';
	private saved: SavedScenario[];
	private batchList: Batch[];
	private currentSettings: Settings;
	private smaaCancelled = false;
	private vendorListing: VendorListing[];
	private facts = new Map<string, FactRow[]>();
	/** Paths a save dialog returned: the only ones a dump may be written to (as in the shell). */
	private writable = new Set<string>();
	/** Folders a dump was written into: no longer empty. */
	private dumpedInto = new Set<string>();
	/** The Screening queue: the recorded candidates less those decided here. */
	private queue: Candidate[];
	/** What each batch of link decisions took out of the queue and added to the links, for `undo`. */
	private decided = new Map<number, { candidates: Candidate[]; links: FactRow[] }>();
	/** The public keys trusted to sign bundles. */
	private keys: TrustedKey[] = [structuredClone(PREVIEW_TRUSTED_KEY)];
	/** Key files an open dialog returned: the only ones that may be read (as in the shell). */
	private readable = new Set<string>();
	/** Bundles written in this session, by path: their manifest and the key id that signed them (null: none). */
	private bundles = new Map<string, { manifest: Manifest; signer: string | null }>();

	/** The browser preview's backend: the demo store, or the empty store for `?vendors=0`. */
	static forPreview(search: string): FixtureBackend {
		const query = new URLSearchParams(search);
		const workspace = query.get('workspace');
		return new FixtureBackend({ empty: query.get('vendors') === '0', workspace: workspace === 'viewer' || workspace === 'team' ? workspace : 'local' });
	}

	constructor(options: { empty?: boolean; workspace?: 'local' | 'team' | 'viewer' } = {}) {
		this.empty = options.empty ?? false;
		this.workspaceKind = options.workspace ?? 'local';
		this.saved = structuredClone(handKept.scenarios.scenarios);
		this.batchList = this.empty ? [] : structuredClone(handKept.batches);
		this.vendorListing = this.empty ? [] : structuredClone(recorded.vendors);
		this.queue = this.empty ? [] : structuredClone(recorded.screen.report.candidates);
		if (!this.empty)
			for (const [table, rows] of Object.entries(recorded.kasperskyRows))
				this.facts.set(table, rows.map((cells) => ({ vendor: 'kaspersky', cells: { ...cells } })));
		this.currentSettings = {
			theme: 'system',
			concernCountries: [...DEFAULT_REPORT.params.concern_countries],
			storePath: '~/.local/share/vetta/vetta.db (browser preview: recorded answers, nothing is stored)'
		};
	}

	/**
	 * A request as the engine resolves it: the named scenario (a preset or one of `saved`), with what
	 * the input overrides, checked as the shell checks it; countries of concern default to `concernDefault`.
	 */
	private resolve(input: ScenarioInput, saved: readonly SavedScenario[] = this.saved, concernDefault: readonly string[] = this.currentSettings.concernCountries): Request {
		const name = input.scenario ?? 'default';
		let raw: FactorValues;
		let method: Method = 'weighted_sum';
		let missing: MissingPolicy = DEFAULT_MISSING;
		let asOf = RECORDED_AS_OF;
		let concern: string[] | undefined;
		const params: Record<string, string> = {};
		if (isPreset(name)) raw = { ...PRESET_WEIGHTS[name] };
		else {
			const scenario = saved.find((s) => s.name === name);
			if (!scenario) throw new BackendError('invalid', `no scenario or preset named "${name}"`);
			raw = { ...scenario.spec.weights };
			method = scenario.spec.method;
			const specParams: Record<string, string | undefined> = scenario.spec.params;
			missing = (specParams['missing'] as MissingPolicy | undefined) ?? missing;
			asOf = specParams['as_of'] ?? asOf;
			concern = specParams['concern_countries']?.split(',').map((c) => c.trim());
			for (const [key, value] of Object.entries(specParams)) if (value !== undefined && !NAMED_PARAMS.includes(key)) params[key] = value;
		}
		for (const factor of FACTORS) {
			const value = input.weights?.[factor];
			if (value === undefined) continue;
			if (!(value >= 0) || !Number.isFinite(value))
				throw new BackendError('invalid', `weight of ${factor} must be a non-negative number, got ${value}`);
			raw[factor] = value;
		}
		const weights = normalise(raw);
		if (!weights) throw new BackendError('invalid', 'all weights are zero');
		if (input.asOf !== undefined) {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(input.asOf)) throw new BackendError('invalid', `as-of date "${input.asOf}" is not YYYY-MM-DD`);
			asOf = input.asOf;
		}
		Object.assign(params, input.params ?? {});
		return {
			name,
			raw,
			weights,
			method: input.method ?? method,
			missing: input.missing ?? missing,
			asOf,
			concern: [...(input.concern ?? concern ?? concernDefault)],
			params
		};
	}

	/** The recorded report answering a request; refuses the request when there is none. */
	private replay(input: ScenarioInput): { request: Request; report: ScoreReport } {
		const request = this.resolve(input);
		const hits = Object.values(recorded.scores).filter((report) => answers(report, request));
		const report = hits.find((r) => r.scenario === request.name) ?? hits[0];
		if (!report) throw notRecorded(unrecordedPart(request));
		return { request, report };
	}

	/** Whether the request is the default one, which explanations, sensitivity and SMAA were recorded under. */
	private isDefault(request: Request): boolean {
		return answers(DEFAULT_REPORT, request);
	}

	private knownVendor(vendorId: string): void {
		if (!this.vendorListing.some((v) => v.vendor_id === vendorId)) throw new BackendError('invalid', `unknown vendor "${vendorId}"`);
	}

	/** A write: refused to the preview's viewer (`?workspace=viewer`) as the team store refuses it. */
	private write<T>(work: () => T): Promise<T> {
		if (this.workspaceKind === 'viewer')
			return Promise.reject(new BackendError('read-only', 'the workspace is read-only for this login (permission denied for table batches)'));
		return this.run(work);
	}

	private run<T>(work: () => T): Promise<T> {
		try {
			return Promise.resolve(work());
		} catch (e) {
			return Promise.reject(e);
		}
	}

	score(scenario: ScenarioInput): Promise<ScoreReport> {
		return this.run(() => {
			const { request, report } = this.replay(scenario);
			const answer = structuredClone(report);
			answer.scenario = request.name;
			if (this.empty) answer.vendors = [];
			return answer;
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

	/** The demo store gives no ownership as a range, so no band can depend on one. */
	async basisSpread(scenario: ScenarioInput): Promise<BasisSpread> {
		this.replay(scenario);
		return { ranged: false, vendors: [] };
	}

	/** A vendor's page: the recorded explanation with the count, policy and listing of the default request. */
	async vendorPage(vendorId: string, scenario: ScenarioInput): Promise<VendorPage> {
		const explanation = await this.explain(vendorId, scenario);
		const { report } = this.replay(scenario);
		return {
			explanation,
			vendors: report.vendors.length,
			missing: report.params.missing,
			listing: structuredClone(this.vendorListing.find((v) => v.vendor_id === vendorId) ?? null),
			identity: this.identity(vendorId)
		};
	}

	/** A vendor's entity: the one its vendor row names, else its own id. */
	private entityOf(vendorId: string): string {
		return (this.facts.get('vendors') ?? []).find((row) => row.cells['vendor_id'] === vendorId)?.cells['entity_id'] || vendorId;
	}

	/**
	 * A vendor's identity as the store gathers it from the facts held: its entity and every id `same`
	 * links join to it (its own first, the rest in byte order), every link with one of them at an end (by
	 * pair), and their aliases (by name) and identifiers (by scheme and value), id by id.
	 */
	private identity(vendorId: string): Identity {
		const cellsOf = (table: string) => (this.facts.get(table) ?? []).map((row) => row.cells);
		const own = this.entityOf(vendorId);
		const links = cellsOf('links');
		const group = [own];
		for (let next = 0; next < group.length; next++) {
			const id = group[next]!;
			for (const link of links) {
				if (link['decision'] !== 'same') continue;
				const other = link['entity_id'] === id ? link['other_id'] : link['other_id'] === id ? link['entity_id'] : undefined;
				if (other && !group.includes(other)) group.push(other);
			}
		}
		group.splice(1, group.length - 1, ...group.slice(1).sort(byText));
		return {
			group,
			links: links
				.filter((link) => group.includes(link['entity_id'] ?? '') || group.includes(link['other_id'] ?? ''))
				.sort((a, b) => byText(a['entity_id'] ?? '', b['entity_id'] ?? '') || byText(a['other_id'] ?? '', b['other_id'] ?? ''))
				.map(linkView),
			aliases: group.flatMap((id) =>
				cellsOf('aliases')
					.filter((cells) => cells['entity_id'] === id)
					.sort((a, b) => byText(a['name'] ?? '', b['name'] ?? ''))
					.map((cells) => ({ entity_id: id, name: cells['name'] ?? '', kind: cells['kind'] || 'aka', source: cells['source'] ?? '' }))
			),
			identifiers: group.flatMap((id) =>
				cellsOf('identifiers')
					.filter((cells) => cells['entity_id'] === id)
					.sort((a, b) => byText(a['scheme'] ?? '', b['scheme'] ?? '') || byText(a['value'] ?? '', b['value'] ?? ''))
					.map((cells) => ({ entity_id: id, scheme: cells['scheme'] ?? '', value: cells['value'] ?? '', source: cells['source'] ?? '' }))
			)
		};
	}

	explain(vendorId: string, scenario: ScenarioInput): Promise<Explanation> {
		return this.run(() => {
			const request = this.resolve(scenario);
			this.knownVendor(vendorId);
			const explanation = recorded.explanations[vendorId];
			if (!explanation || !this.isDefault(request))
				throw notRecorded(`an explanation under this scenario (it has every vendor's under the default scenario as of ${RECORDED_AS_OF})`);
			return structuredClone(explanation);
		});
	}

	sensitivity(vendorId: string, delta: number, scenario: ScenarioInput): Promise<SensitivityReport> {
		return this.run(() => {
			const request = this.resolve(scenario);
			this.knownVendor(vendorId);
			const report = recorded.sensitivity[vendorId];
			if (!report || !this.isDefault(request) || Math.abs(delta - RECORDED_DELTA) > TOLERANCE)
				throw notRecorded(
					`a tornado of ±${Math.round(delta * 100)} % under this scenario (it has every vendor's of ±${Math.round(RECORDED_DELTA * 100)} % under the default scenario as of ${RECORDED_AS_OF})`
				);
			return structuredClone(report);
		});
	}

	async smaa(
		scenario: ScenarioInput,
		options: { samples: number; seed: number; mode: SmaaModeName; kappa: number; ranks: number | null },
		onProgress: (progress: SmaaProgress) => void
	): Promise<SmaaResult> {
		const request = this.resolve(scenario);
		const result = recorded.smaa;
		const sameOptions =
			options.samples === result.samples &&
			options.seed === result.seed &&
			options.mode === result.mode &&
			(result.mode !== 'around' || options.kappa === result.kappa) &&
			(options.ranks === null || options.ranks === result.ranks);
		if (this.empty || !this.isDefault(request) || request.method !== result.method || !sameOptions)
			throw notRecorded(
				`this SMAA run (it has ${result.samples} ${result.mode} samples with seed ${result.seed} under the default scenario as of ${RECORDED_AS_OF})`
			);
		this.smaaCancelled = false;
		for (let done = 0; done < result.samples; ) {
			done = Math.min(result.samples, done + SMAA_STEP);
			onProgress({ done, total: result.samples });
			await sleep(SMAA_PAUSE_MS);
			if (this.smaaCancelled) throw new BackendError('cancelled', 'SMAA run cancelled');
		}
		return structuredClone(result);
	}

	cancelSmaa(): Promise<void> {
		this.smaaCancelled = true;
		return Promise.resolve();
	}

	ahp(pairs: AhpPair[]): Promise<AhpResult> {
		return this.run(() => {
			const recording = recorded.ahp.find((r) => samePairs(r.pairs, pairs));
			if (!recording) throw notRecorded(`these comparisons (it has ${recorded.ahp.length} sets of them, the editor's tests)`);
			return structuredClone(recording.result);
		});
	}

	scenarios(): Promise<ScenarioList> {
		return Promise.resolve({ scenarios: structuredClone(this.saved), presets: [...PRESET_NAMES] });
	}

	saveScenario(name: string, scenario: ScenarioInput): Promise<void> {
		return this.write(() => {
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
		return this.write(() => {
			if (!this.saved.some((s) => s.name === name)) throw new BackendError('invalid', `no saved scenario named "${name}"`);
			this.saved = this.saved.filter((s) => s.name !== name);
		});
	}

	/** The recorded diff, when `a` and `b` resolve to what its two sides resolved to when it was recorded. */
	diffScenarios(a: string, b: string): Promise<ScenarioDiff> {
		return this.run(() => {
			const [ra, rb] = [this.resolve({ scenario: a }), this.resolve({ scenario: b })];
			const diff = recorded.scenarioDiff;
			// The sides as they were when recorded: the hand-kept scenarios, the recorded countries of concern.
			const recordedSide = (name: string) => this.resolve({ scenario: name }, handKept.scenarios.scenarios, DEFAULT_REPORT.params.concern_countries);
			if (!sameRequest(ra, recordedSide(diff.a)) || !sameRequest(rb, recordedSide(diff.b)))
				throw notRecorded(`a diff of "${a}" and "${b}" (it has ${diff.a} → ${diff.b}, or scenarios the same as those)`);
			const answer = { ...structuredClone(diff), a, b };
			if (this.empty) answer.vendors = [];
			return answer;
		});
	}

	vendors(): Promise<VendorListing[]> {
		return Promise.resolve(structuredClone(this.vendorListing));
	}

	/** Rows per table, in the store's table order, from the batches that are not undone. */
	counts(): Promise<TableCount[]> {
		const totals = new Map<string, number>();
		for (const batch of this.batchList) {
			if (batch.undone_at) continue;
			for (const [table, rows] of Object.entries(batch.counts)) totals.set(table, (totals.get(table) ?? 0) + (rows ?? 0));
		}
		return Promise.resolve(recorded.tableSchemas.map(({ table }) => ({ table, rows: totals.get(table) ?? 0 })));
	}

	searchTestimony(query: string): Promise<string[]> {
		const words = query.toLowerCase().split(/\s+/).filter(Boolean);
		const ids = new Set<string>();
		for (const explanation of this.empty ? [] : Object.values(recorded.explanations)) {
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

	/** Preview rule: a path containing "broken" fails validation, anything else passes with a warning. A bundle is opened first (see `openBundle`). */
	async checkImport(
		paths: string[],
		onProgress: (progress: ReadProgress) => void = () => {},
		allowUnsigned = false
	): Promise<ImportReport> {
		if (paths.length === 0) throw new BackendError('invalid', 'no files chosen');
		for (const path of paths) if (path.endsWith('.vetta-bundle')) this.openBundle(path, allowUnsigned);
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
				warnings: ['sales.csv: 3 rows dated after today are kept but ignored until then'],
				notes: []
			});
		return Promise.resolve({ errors: [], error_count: 0, warnings: ['install_base.csv: no rows for vendor "harborbyte"'], notes: PREVIEW_NOTES });
	}

	async importFiles(
		paths: string[],
		onProgress: (progress: ReadProgress) => void = () => {},
		allowUnsigned = false
	): Promise<ImportResult> {
		const report = await this.checkImport(paths, onProgress, allowUnsigned);
		if (report.error_count > 0) throw new BackendError('invalid', `${report.error_count} errors; nothing was imported`);
		await this.write(() => undefined);
		const batch: Batch = {
			batch_id: Math.max(0, ...this.batchList.map((b) => b.batch_id)) + 1,
			created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
			label: paths.map((p) => p.split('/').pop()).join(', '),
			files: [{ name: paths[0] ?? '', table: 'testimony', sha256: '0'.repeat(64), rows: 2 }],
			counts: { testimony: 2 },
			undone_at: null,
			created_by: PREVIEW_USER,
			undone_by: null
		};
		this.batchList = [...this.batchList, batch];
		return { batch, warnings: report.warnings, notes: report.notes };
	}

	batches(): Promise<Batch[]> {
		return Promise.resolve(structuredClone(this.batchList));
	}

	undo(batchId: number): Promise<Batch> {
		return this.write(() => {
			const batch = this.batchList.find((b) => b.batch_id === batchId);
			if (!batch) throw new BackendError('invalid', `no batch ${batchId}`);
			if (batch.undone_at) throw new BackendError('invalid', `batch ${batchId} is already undone`);
			batch.undone_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
			batch.undone_by = PREVIEW_USER;
			const decided = this.decided.get(batchId);
			if (decided) {
				this.facts.set('links', (this.facts.get('links') ?? []).filter((row) => !decided.links.includes(row)));
				this.queue = [...this.queue, ...decided.candidates].sort(byScreeningOrder);
				this.decided.delete(batchId);
			}
			return structuredClone(batch);
		});
	}

	tableSchemas(): Promise<TableSchema[]> {
		return Promise.resolve(structuredClone(recorded.tableSchemas));
	}

	vendorRows(vendorId: string, table: string): Promise<Cells[]> {
		return this.run(() => {
			const schema = schemaOf(table);
			if (!this.vendorListing.some((v) => v.vendor_id === vendorId)) throw new BackendError('invalid', `unknown vendor "${vendorId}"`);
			const key = (cells: Cells) => schema.key.map((k) => cells[k] ?? '').join('\u0000');
			// A link is the vendor's with its entity at either end (the pair is stored in byte order).
			const entity = this.entityOf(vendorId);
			const about = (row: FactRow) => row.vendor === vendorId || (table === 'links' && (row.cells['entity_id'] === entity || row.cells['other_id'] === entity));
			return (this.facts.get(table) ?? [])
				.filter(about)
				.map((row) => structuredClone(row.cells))
				.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
		});
	}

	/**
	 * The importer's cell rules, simplified (no references, no cross-row rules): one batch labelled as
	 * the engine labels it, rows replaced by key, or a rejection with every error at `<table>.csv:line:column`.
	 */
	enterRows(table: string, rows: Cells[]): Promise<EntryResult> {
		return this.write(() => {
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
				if (table === 'links' && (row['entity_id'] ?? '').trim() !== '' && (row['entity_id'] ?? '').trim() === (row['other_id'] ?? '').trim())
					errors.push({
						file,
						line: i + 2,
						column: 'other_id',
						message: 'a link of an entity to itself is not allowed (a vendor and its own entity are one entity)'
					});
			});
			if (errors.length > 0) return { status: 'rejected', errors, error_count: errors.length, warnings: [], notes: [] };
			const stored = this.facts.get(table) ?? [];
			const key = (cells: Cells) => schema.key.map((k) => (cells[k] ?? '').trim()).join('\u0000');
			for (const row of rows) {
				const cells = Object.fromEntries(schema.columns.map((c) => [c.name, (row[c.name] ?? '').trim()]));
				const vendor = cells[schema.vendor_column] ?? '';
				storedForm(table, cells);
				const old = stored.findIndex((r) => key(r.cells) === key(cells));
				if (old >= 0) stored[old] = { vendor: stored[old]!.vendor, cells };
				else stored.push({ vendor, cells });
			}
			this.facts.set(table, stored);
			const batch: Batch = {
				batch_id: Math.max(0, ...this.batchList.map((b) => b.batch_id)) + 1,
				created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
				label: 'entered by hand',
				files: [{ name: file, table, sha256: '0'.repeat(64), rows: rows.length }],
				counts: { [table]: rows.length },
				undone_at: null,
				created_by: PREVIEW_USER,
				undone_by: null
			};
			this.batchList = [...this.batchList, batch];
			return { status: 'entered', batch: structuredClone(batch), warnings: [], notes: [] };
		});
	}

	async chart(kind: ChartKind, vendorIds: string[], scenario: ScenarioInput, dark: boolean): Promise<string> {
		const report = await this.score(scenario);
		return placeholderChart(kind, vendorIds, report, dark);
	}

	/** As the shell: `changesSince` blank is no "What changed" section; one that is neither a batch number nor a date is refused. */
	writeBrief(vendorIds: string[], _scenario: ScenarioInput, _path: string, changesSince: string | null = null): Promise<void> {
		try {
			checkEnd('changes since', changesSince?.trim() ? changesSince : null);
		} catch (e) {
			return Promise.reject(e);
		}
		if (vendorIds.length < 1 || vendorIds.length > 10)
			return Promise.reject(new BackendError('invalid', 'a brief covers 1 to 10 vendors'));
		return sleep(400);
	}

	writeExport(_path: string, _scenario: ScenarioInput): Promise<void> {
		return sleep(200);
	}

	/** The save dialog's answer in the preview: a file in ~/Documents, or for a folder a dataset folder there. */
	chooseSave(kind: SaveKind, defaultName: string): Promise<string | null> {
		const path = `/home/analyst/Documents/${kind === 'folder' ? `vetta-dataset-${RECORDED_AS_OF}` : defaultName}`;
		this.writable.add(path);
		return Promise.resolve(path);
	}

	/**
	 * The store as a dataset folder: a file per table with rows (the counts of the batches that are not
	 * undone), and the recorded dataset SHA-256 (the preview computes no hash). As in the shell, only a
	 * folder a save dialog returned, and only while it is empty.
	 */
	async writeDump(path: string): Promise<Dumped> {
		if (!this.writable.has(path))
			throw new BackendError('denied', `${path} was not chosen in a file dialog of this session; choose it with Import or Save first`);
		if (this.dumpedInto.has(path)) throw new BackendError('invalid', `${path} is not empty: dump into a new or empty folder`);
		if (this.empty) throw notRecorded('the dataset SHA-256 of the empty store (it has the demo store’s)');
		const files = (await this.counts()).filter((c) => c.rows > 0).map((c): [string, number] => [`${c.table}.csv`, c.rows]);
		await sleep(300);
		this.dumpedInto.add(path);
		return { files, dataset_sha256: DEFAULT_REPORT.dataset_sha256 };
	}

	/** The open dialog's answer for a key file in the preview: the colleague's `.pub`, or the analyst's own secret key. */
	chooseKey(kind: Extract<OpenKind, 'publickey' | 'secretkey'>): Promise<string[] | null> {
		const path = kind === 'publickey' ? PREVIEW_PUBLIC_KEY_FILE.path : PREVIEW_SECRET_KEY.path;
		this.readable.add(path);
		return Promise.resolve([path]);
	}

	/** As the shell: only a path an open dialog returned may be read. */
	private requireReadable(path: string): void {
		if (!this.readable.has(path))
			throw new BackendError('denied', `${path} was not chosen in a file dialog of this session; choose it with Import or Save first`);
	}

	trustedKeys(): Promise<TrustedKey[]> {
		return Promise.resolve(structuredClone(this.keys));
	}

	/** Trusts a pasted public key under a label (required); trusting a key again updates its label. */
	trustKey(publicKey: string, label: string): Promise<TrustedKey> {
		return this.write(() => {
			const parsed = parsePublicKey(publicKey);
			if (label.trim() === '') throw new BackendError('invalid', 'say whose key it is (a label such as a name and team)');
			const key: TrustedKey = { ...parsed, label: label.trim(), added_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
			this.keys = [...this.keys.filter((k) => k.key_id !== key.key_id), key];
			return structuredClone(key);
		});
	}

	/** Trusts the public key of a `.pub` file the open dialog returned (the preview reads only the colleague's). */
	trustKeyFile(path: string, label: string): Promise<TrustedKey> {
		try {
			this.requireReadable(path);
		} catch (e) {
			return Promise.reject(e);
		}
		return this.trustKey(path === PREVIEW_PUBLIC_KEY_FILE.path ? PREVIEW_PUBLIC_KEY_FILE.text : '', label);
	}

	untrustKey(keyId: string): Promise<TrustedKey> {
		return this.write(() => {
			const key = this.keys.find((k) => k.key_id.toUpperCase() === keyId.trim().toUpperCase());
			if (!key) throw new BackendError('invalid', `no trusted key ${JSON.stringify(keyId)}`);
			this.keys = this.keys.filter((k) => k !== key);
			return structuredClone(key);
		});
	}

	/** The store's manifest as a bundle made now would carry it: a file per table with rows (hashes not computed). */
	private async manifestOf(createdBy: string | null): Promise<Manifest> {
		if (this.empty) throw notRecorded('the dataset SHA-256 of the empty store (it has the demo store’s)');
		const files = (await this.counts())
			.filter((c) => c.rows > 0)
			.map((c) => ({ name: `dataset/${c.table}.csv`, sha256: '0'.repeat(64), bytes: 64 * (c.rows + 1), rows: c.rows }));
		return {
			format: 'vetta-bundle',
			version: 1,
			vetta_version: '0.1.0',
			created_by: createdBy,
			created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
			dataset_sha256: DEFAULT_REPORT.dataset_sha256,
			files
		};
	}

	/**
	 * The store as a bundle, to a path a save dialog returned, signed with the key an open dialog returned: the preview's key is
	 * encrypted, so a missing password is refused as the shell refuses it.
	 */
	async writeBundle(path: string, signWith: string | null = null, password: string | null = null): Promise<Manifest> {
		if (!this.writable.has(path))
			throw new BackendError('denied', `${path} was not chosen in a file dialog of this session; choose it with Import or Save first`);
		if (signWith !== null) {
			this.requireReadable(signWith);
			if (!password) throw new BackendError('invalid', `${signWith}: wrong password for this key`);
		}
		const manifest = await this.manifestOf(PREVIEW_USER);
		await sleep(300);
		this.bundles.set(path, { manifest: structuredClone(manifest), signer: signWith === null ? null : PREVIEW_SECRET_KEY.keyId });
		return manifest;
	}

	/**
	 * A bundle as an import opens it (see the header for the preview's rules): its manifest and the trusted key that signed it.
	 * Unsigned without `allowUnsigned` rejects with code `unsigned`; an untrusted key or a change since signing with `invalid`.
	 */
	private openBundle(path: string, allowUnsigned: boolean): { manifest: Manifest; signedBy: TrustedKey | null } {
		const name = path.split('/').pop() ?? path;
		const written = this.bundles.get(path);
		const signer = written ? written.signer : name.includes('unsigned') ? null : PREVIEW_PUBLIC_KEY_FILE.keyId;
		const refuse = (message: string) => new BackendError('invalid', `${path}: ${message}`);
		if (signer === null) {
			if (!allowUnsigned)
				throw new BackendError(
					'unsigned',
					`${path}: the bundle is not signed, so nothing shows who made it or that it is unchanged; import it with --allow-unsigned (in the app: "Accept unsigned") only if you know where it came from`
				);
		}
		const key = signer === null ? null : this.keys.find((k) => k.key_id === signer);
		if (signer !== null && !key)
			throw refuse(
				`the bundle is signed with key ${signer}, which is not among this workspace's trusted keys; if you know whose key it is, add its public key (vetta key trust FILE.pub, or Settings → Trusted keys)`
			);
		if (key && !written && name.includes('tampered'))
			throw refuse(
				`the signature by key ${key.key_id} (${key.label}) does not match: the bundle was changed after it was signed (signature verification failed)`
			);
		const manifest = written
			? structuredClone(written.manifest)
			: {
					format: 'vetta-bundle',
					version: 1,
					vetta_version: '0.1.0',
					created_by: 'colleague',
					created_at: `${RECORDED_AS_OF}T09:00:00Z`,
					dataset_sha256: DEFAULT_REPORT.dataset_sha256,
					files: [{ name: 'dataset/testimony.csv', sha256: '0'.repeat(64), bytes: 192, rows: 2 }]
				};
		return { manifest, signedBy: key ? structuredClone(key) : null };
	}

	/** Checks a bundle as an import would, writing nothing. */
	verifyBundle(path: string, allowUnsigned = false): Promise<BundleCheck> {
		return this.run(() => {
			const { manifest, signedBy } = this.openBundle(path, allowUnsigned);
			return { manifest, signed_by: signedBy };
		});
	}

	/**
	 * The Screening queue at `minScore` or above, with the cards of the parties it names: the recorded
	 * queue less what was decided here. Below the recorded threshold the engine may find candidates the
	 * recording does not hold, so a lower one is refused.
	 */
	screen(minScore: number): Promise<ScreenReview> {
		return this.run(() => {
			if (!(minScore >= 0 && minScore <= 1)) throw new BackendError('invalid', `min score ${minScore} is not between 0 and 1`);
			const { min_score: recordedAt, book, others } = recorded.screen.report;
			if (minScore < recordedAt - TOLERANCE)
				throw notRecorded(`candidates below ${recordedAt.toFixed(2)} (it has the queue at ${recordedAt.toFixed(2)} and at any higher threshold)`);
			const candidates = this.queue.filter((c) => c.score >= minScore);
			const named = new Set(candidates.flatMap((c) => [c.entity_id, c.other_id]));
			const parties = Object.fromEntries(Object.entries(recorded.screen.parties).filter(([id]) => named.has(id)));
			return structuredClone({
				report: { min_score: minScore, book: this.empty ? 0 : book, others: this.empty ? 0 : others, candidates },
				parties
			});
		});
	}

	/**
	 * Records decisions as one batch of links (`link` for one, `links` for several) dated the preview's
	 * today, under the shell's links rules; a broken rule rejects them all with the importer's
	 * `links.csv:line:column` lines. Decided candidates leave the queue until the batch is undone.
	 */
	decideLinks(decisions: LinkDecision[]): Promise<ImportResult> {
		return this.write(() => {
			if (decisions.length === 0) throw new BackendError('invalid', 'no rows to enter');
			const schema = schemaOf('links');
			const rows: Cells[] = decisions.map((d) => {
				const cells: Cells = { entity_id: d.entity_id, other_id: d.other_id, decision: d.decision, decided_by: d.decided_by, decided_on: RECORDED_AS_OF };
				if (d.basis !== null && d.basis.trim() !== '') cells['basis'] = d.basis;
				return cells;
			});
			const errors: RowError[] = [];
			const links = (this.facts.get('links') ?? []).map((row) => row.cells);
			rows.forEach((row, i) => {
				const at = (column: string, message: string) => errors.push({ file: 'links.csv', line: i + 2, column, message });
				for (const column of schema.columns) {
					const message = cellProblem(column, (row[column.name] ?? '').trim());
					if (message) at(column.name, message);
				}
				const [a, b] = [(row['entity_id'] ?? '').trim(), (row['other_id'] ?? '').trim()];
				if (a !== '' && a === b) at('other_id', 'a link of an entity to itself is not allowed (a vendor and its own entity are one entity)');
				else if (row['decision'] === 'same') {
					const [va, vb] = [this.vendorOfId(a, links), this.vendorOfId(b, links)];
					if (va && vb && va !== vb) at('other_id', `this link would make vendors "${va}" and "${vb}" one entity (through "${a}" and "${b}")`);
				}
				links.push(row);
			});
			if (errors.length > 0) {
				const lines = errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);
				throw new BackendError('invalid', `${lines.join('\n')}\nrejected: ${errors.length} error${errors.length === 1 ? '' : 's'} found; nothing was imported`);
			}
			const added: FactRow[] = rows.map((cells) => {
				storedForm('links', cells);
				const vendor = this.vendorOfId(cells['entity_id'] ?? '', []) ?? this.vendorOfId(cells['other_id'] ?? '', []) ?? '';
				return { vendor, cells };
			});
			const pair = (cells: Cells) => `${cells['entity_id']}\u0000${cells['other_id']}`;
			const keys = new Set(added.map((row) => pair(row.cells)));
			this.facts.set('links', [...(this.facts.get('links') ?? []).filter((row) => !keys.has(pair(row.cells))), ...added]);
			const isDecided = (c: Candidate) => decisions.some((d) => (d.entity_id === c.entity_id && d.other_id === c.other_id) || (d.entity_id === c.other_id && d.other_id === c.entity_id));
			const batch: Batch = {
				batch_id: Math.max(0, ...this.batchList.map((b) => b.batch_id)) + 1,
				created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
				label: decisions.length === 1 ? 'link' : 'links',
				files: [{ name: 'links.csv', table: 'links', sha256: '0'.repeat(64), rows: rows.length }],
				counts: { links: rows.length },
				undone_at: null,
				created_by: PREVIEW_USER,
				undone_by: null
			};
			this.batchList = [...this.batchList, batch];
			this.decided.set(batch.batch_id, { candidates: this.queue.filter(isDecided), links: added });
			this.queue = this.queue.filter((c) => !isDecided(c));
			return { batch: structuredClone(batch), warnings: [], notes: [] };
		});
	}

	/** The vendor whose `same` group holds an id, through the links given (and the vendors' own entities), or null. */
	private vendorOfId(id: string, links: readonly Cells[]): string | null {
		const group = new Set([id]);
		for (let grew = true; grew; ) {
			grew = false;
			for (const link of links) {
				if (link['decision'] !== 'same') continue;
				const [a, b] = [link['entity_id'] ?? '', link['other_id'] ?? ''];
				if (group.has(a) !== group.has(b)) {
					group.add(a).add(b);
					grew = true;
				}
			}
		}
		return this.vendorListing.find((v) => group.has(v.vendor_id) || group.has(this.entityOf(v.vendor_id)))?.vendor_id ?? null;
	}

	/** Every link stored, by pair. */
	links(): Promise<LinksReport> {
		const links = (this.facts.get('links') ?? [])
			.map((row) => row.cells)
			.sort((a, b) => byText(a['entity_id'] ?? '', b['entity_id'] ?? '') || byText(a['other_id'] ?? '', b['other_id'] ?? ''))
			.map(linkView);
		return Promise.resolve({ links });
	}

	/** The recorded report of what the demo's last batch changed, for `from` and `to` both null under the default scenario. */
	changes(from: string | null, to: string | null, scenario: ScenarioInput): Promise<ChangesReport> {
		return this.run(() => {
			checkEnd('from', from);
			checkEnd('to', to);
			const request = this.resolve(scenario);
			const { from: start, to: end } = recorded.changes;
			if (from !== null || to !== null || !this.isDefault(request))
				throw notRecorded(`this comparison (it has ${start} → ${end} under the default scenario: what the demo's last batch changed)`);
			const answer = structuredClone(recorded.changes);
			if (this.empty) return { ...answer, from: `the empty store (as of ${RECORDED_AS_OF})`, vendors: [] };
			return answer;
		});
	}

	/** The preview's workspace: the local file, or (`?workspace=team` / `?workspace=viewer`) a team store. */
	workspace(): Promise<Workspace> {
		const team = this.workspaceKind !== 'local';
		const user = this.workspaceKind === 'viewer' ? 'viewer' : 'analyst';
		return Promise.resolve({
			info: {
				label: team ? 'postgresql://' + user + '@vetta.example.org/procurement?sslmode=verify-full' : this.currentSettings.storePath,
				team,
				user,
				readOnly:
					this.workspaceKind === 'viewer'
						? 'viewer may read this workspace but not change it (the vetta_viewer role): importing, undoing, linking, saving scenarios and settings are turned off. The workspace’s administrator can grant vetta_analyst.'
						: null,
				generation: 1
			},
			notice: null
		});
	}

	connectWorkspace(url: string, password: string | null): Promise<Workspace> {
		void url;
		void password;
		return Promise.reject(new BackendError('internal', 'The browser preview cannot reach a team store; the desktop app can.'));
	}

	useLocalWorkspace(): Promise<Workspace> {
		this.workspaceKind = 'local';
		return this.workspace();
	}

	/** The OS user's name, as the preview's "analyst". */
	userName(): Promise<string> {
		return Promise.resolve('analyst');
	}

	settings(): Promise<Settings> {
		return Promise.resolve(structuredClone(this.currentSettings));
	}

	saveSettings(settings: Settings): Promise<void> {
		return this.write(() => {
			const bad = settings.concernCountries.find((c) => !/^[A-Z]{2}$/.test(c));
			if (bad !== undefined) throw new BackendError('invalid', `"${bad}" is not a two-letter country code`);
			this.currentSettings = { ...structuredClone(settings), storePath: this.currentSettings.storePath };
		});
	}
}

/** Byte order for ASCII ids and text, as the store sorts. */
function byText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The Screening queue's order: best score first, then by ids. */
function byScreeningOrder(a: Candidate, b: Candidate): number {
	return b.score - a.score || byText(a.entity_id, b.entity_id) || byText(a.other_id, b.other_id);
}

/** A stored link row as the store lists it. */
function linkView(cells: Cells): LinkView {
	const given = (cell: string | undefined) => (cell ? cell : null);
	return {
		entity_id: cells['entity_id'] ?? '',
		other_id: cells['other_id'] ?? '',
		decision: cells['decision'] ?? '',
		decided_by: cells['decided_by'] ?? '',
		decided_on: cells['decided_on'] ?? '',
		basis: given(cells['basis']),
		source: given(cells['source'])
	};
}

/** An end of a comparison as the shell reads it: a whole number (a batch) or a calendar date YYYY-MM-DD. */
function isEnd(text: string): boolean {
	const t = text.trim();
	if (/^[+-]?\d+$/.test(t)) return true;
	const date = new Date(`${t}T00:00:00Z`);
	return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(t);
}

/** Refuses a typed end (null: none) that is not one, with the shell's message naming the option. */
function checkEnd(option: string, text: string | null): void {
	if (text !== null && !isEnd(text)) throw new BackendError('invalid', `${option}: ${JSON.stringify(text.trim())} is neither a batch number nor a date (YYYY-MM-DD)`);
}

/** A row as the importer stores it: a link's pair in byte order, an alias's kind `aka` when not given. */
function storedForm(table: string, cells: Cells): void {
	if (table === 'links' && byText(cells['entity_id'] ?? '', cells['other_id'] ?? '') > 0)
		[cells['entity_id'], cells['other_id']] = [cells['other_id'] ?? '', cells['entity_id'] ?? ''];
	if (table === 'aliases' && !cells['kind']) cells['kind'] = 'aka';
}

function schemaOf(table: string): TableSchema {
	const schema = recorded.tableSchemas.find((s) => s.table === table);
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

