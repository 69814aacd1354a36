//! The one door to the backend: a typed async function per Tauri command, plus the native dialogs.
//! This folder is the only place that imports `@tauri-apps/*`. Commands are snake_case on the Rust
//! side and take their arguments in camelCase. Every failure rejects with a BackendError.
//!
//! Outside Tauri (a plain browser: `npm run dev`, `preview`, screenshots) the same functions call the
//! fixture backend, which serves the engine's recorded outputs and recomputes what is cheap.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AhpPair } from './bindings/AhpPair';
import type { AhpResult } from './bindings/AhpResult';
import type { BasisSpread } from './bindings/BasisSpread';
import type { Batch } from './bindings/Batch';
import type { BundleCheck } from './bindings/BundleCheck';
import type { ChangesReport } from './bindings/ChangesReport';
import type { ChartKind } from './bindings/ChartKind';
import type { Dumped } from './bindings/Dumped';
import type { EntryResult } from './bindings/EntryResult';
import type { Explanation } from './bindings/Explanation';
import type { ImportReport } from './bindings/ImportReport';
import type { ImportResult } from './bindings/ImportResult';
import type { LinkDecision } from './bindings/LinkDecision';
import type { LinksReport } from './bindings/LinksReport';
import type { LiveTable } from './bindings/LiveTable';
import type { Manifest } from './bindings/Manifest';
import type { OpenKind } from './bindings/OpenKind';
import type { ReadProgress } from './bindings/ReadProgress';
import type { ScenarioDiff } from './bindings/ScenarioDiff';
import type { ScenarioInput } from './bindings/ScenarioInput';
import type { ScenarioList } from './bindings/ScenarioList';
import type { ScoreReport } from './bindings/ScoreReport';
import type { SaveKind } from './bindings/SaveKind';
import type { ScreenReview } from './bindings/ScreenReview';
import type { SensitivityReport } from './bindings/SensitivityReport';
import type { Settings } from './bindings/Settings';
import type { SmaaOptions } from './bindings/SmaaOptions';
import type { SmaaProgress } from './bindings/SmaaProgress';
import type { SmaaResult } from './bindings/SmaaResult';
import type { TableCount } from './bindings/TableCount';
import type { TableSchema } from './bindings/TableSchema';
import type { TrustedKey } from './bindings/TrustedKey';
import type { VendorListing } from './bindings/VendorListing';
import type { VendorPage } from './bindings/VendorPage';
import type { Workspace } from './bindings/Workspace';
import { BackendError } from './errors';
import { parseLiveScores, type LiveScores } from './live';
import type { FixtureBackend } from './fixtures';

export { BackendError };
export type { SaveKind };

export function isTauri(): boolean {
	return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

let fixtureBackend: Promise<FixtureBackend> | null = null;

/** Loaded on first use only, so the desktop build never runs (or eagerly loads) the fixtures. */
function fixtures(): Promise<FixtureBackend> {
	fixtureBackend ??= import('./fixtures').then((m) => m.FixtureBackend.forPreview(window.location.search));
	return fixtureBackend;
}

/** The commands that change the store: after each succeeds, `onWrite`'s listeners hear of it. */
const WRITES = new Set([
	'import_files',
	'undo',
	'enter_rows',
	'save_scenario',
	'delete_scenario',
	'decide_links',
	'save_settings',
	'trust_key',
	'trust_key_file',
	'untrust_key'
]);
const writeListeners = new Set<() => void>();

/** Calls `listener` after each write this app makes (so the workspace's change counter is not read as someone else's). */
export function onWrite(listener: () => void): () => void {
	writeListeners.add(listener);
	return () => writeListeners.delete(listener);
}

async function call<T>(command: string, args: Record<string, unknown>, fallback: (f: FixtureBackend) => Promise<T>): Promise<T> {
	let answer: T;
	try {
		answer = isTauri() ? await invoke<T>(command, args) : await fallback(await fixtures());
	} catch (reason) {
		throw BackendError.from(reason);
	}
	if (WRITES.has(command)) for (const listener of writeListeners) listener();
	return answer;
}

export function score(scenario: ScenarioInput): Promise<ScoreReport> {
	return call('score', { scenario }, (f) => f.score(scenario));
}

/** A weight move's answer for the live list: scores, bands and order from the cached factor matrix, as bytes. */
export async function rescore(scenario: ScenarioInput): Promise<LiveScores> {
	const answer = await call<ArrayBuffer | LiveScores>('rescore', { scenario }, (f) => f.rescore(scenario));
	return answer instanceof ArrayBuffer ? parseLiveScores(answer) : answer;
}

/** The vendors the live list's positions name; fetch again when `rescore` reports another generation. */
export function liveTable(scenario: ScenarioInput): Promise<LiveTable> {
	return call('live_table', { scenario }, (f) => f.liveTable(scenario));
}

export function explain(vendorId: string, scenario: ScenarioInput): Promise<Explanation> {
	return call('explain', { vendorId, scenario }, (f) => f.explain(vendorId, scenario));
}

/** The vendors whose band differs between the low and the high ends of ownership ranges (v1.3). */
export function basisSpread(scenario: ScenarioInput): Promise<BasisSpread> {
	return call('basis_spread', { scenario }, (f) => f.basisSpread(scenario));
}

/** Everything a vendor's page shows in one answer: its explanation, how many vendors it ranks among,
 * the missing-data policy and its listing (never the whole ranking). */
export function vendorPage(vendorId: string, scenario: ScenarioInput): Promise<VendorPage> {
	return call('vendor_page', { vendorId, scenario }, (f) => f.vendorPage(vendorId, scenario));
}

export function sensitivity(vendorId: string, delta: number, scenario: ScenarioInput): Promise<SensitivityReport> {
	return call('sensitivity', { vendorId, delta, scenario }, (f) => f.sensitivity(vendorId, delta, scenario));
}

/** How SMAA draws weights, as the form picks it (κ applies to `around` only). */
export type SmaaModeName = SmaaOptions['mode'];

export type SmaaRequest = {
	scenario: ScenarioInput;
	samples: number;
	seed: number;
	mode: SmaaModeName;
	kappa: number;
	/** `null`: the engine's default (all ranks up to 100 vendors, else 10). */
	ranks: number | null;
};

/** The engine's SMAA options for a request. */
export function smaaOptions(request: SmaaRequest): SmaaOptions {
	const base = { samples: request.samples, seed: request.seed, ranks: request.ranks };
	return request.mode === 'around' ? { ...base, mode: 'around', kappa: request.kappa } : { ...base, mode: 'uniform' };
}

/** Runs SMAA; `onProgress` hears `{done, total}` as samples complete. Rejects with code `cancelled` after cancelSmaa(). */
export function smaa(request: SmaaRequest, onProgress: (progress: SmaaProgress) => void): Promise<SmaaResult> {
	return call(
		'smaa',
		isTauri() ? { scenario: request.scenario, options: smaaOptions(request), onProgress: progressChannel(onProgress) } : {},
		(f) => f.smaa(request.scenario, request, onProgress)
	);
}

function progressChannel<T>(onProgress: (progress: T) => void): Channel<T> {
	const channel = new Channel<T>();
	channel.onmessage = onProgress;
	return channel;
}

export function cancelSmaa(): Promise<void> {
	return call('cancel_smaa', {}, (f) => f.cancelSmaa());
}

export function ahp(pairs: AhpPair[]): Promise<AhpResult> {
	return call('ahp', { pairs }, (f) => f.ahp(pairs));
}

export function scenarios(): Promise<ScenarioList> {
	return call('scenarios', {}, (f) => f.scenarios());
}

export function saveScenario(name: string, scenario: ScenarioInput): Promise<void> {
	return call('save_scenario', { name, scenario }, (f) => f.saveScenario(name, scenario));
}

export function deleteScenario(name: string): Promise<void> {
	return call('delete_scenario', { name }, (f) => f.deleteScenario(name));
}

export function diffScenarios(a: string, b: string): Promise<ScenarioDiff> {
	return call('diff_scenarios', { a, b }, (f) => f.diffScenarios(a, b));
}

export function vendors(): Promise<VendorListing[]> {
	return call('vendors', {}, (f) => f.vendors());
}

export function counts(): Promise<TableCount[]> {
	return call('counts', {}, (f) => f.counts());
}

/** Full-text search over testimony notes; resolves to the matching note ids. */
export function searchTestimony(query: string): Promise<string[]> {
	return call('search_testimony', { query }, (f) => f.searchTestimony(query));
}

/**
 * Validates files (nothing is written); `onProgress` hears the bytes read. Rejects with code `cancelled` after cancelImport(). A
 * bundle must be signed by a trusted key: an unsigned one rejects with code `unsigned` unless `allowUnsigned` (the user accepted
 * it knowingly), one signed by another key or changed since with code `invalid`.
 */
export function checkImport(
	paths: string[],
	onProgress: (progress: ReadProgress) => void = () => {},
	allowUnsigned = false
): Promise<ImportReport> {
	return call('check_import', isTauri() ? { paths, allowUnsigned, onProgress: progressChannel(onProgress) } : {}, (f) =>
		f.checkImport(paths, onProgress, allowUnsigned)
	);
}

/** Imports as one batch; `onProgress` hears the bytes read. A cancelled import writes nothing. Bundles as for checkImport. */
export function importFiles(
	paths: string[],
	onProgress: (progress: ReadProgress) => void = () => {},
	allowUnsigned = false
): Promise<ImportResult> {
	return call('import_files', isTauri() ? { paths, allowUnsigned, onProgress: progressChannel(onProgress) } : {}, (f) =>
		f.importFiles(paths, onProgress, allowUnsigned)
	);
}

export function cancelImport(): Promise<void> {
	return call('cancel_import', {}, (f) => f.cancelImport());
}

export function batches(): Promise<Batch[]> {
	return call('batches', {}, (f) => f.batches());
}

export function undo(batchId: number): Promise<Batch> {
	return call('undo', { batchId }, (f) => f.undo(batchId));
}

/** Every table's columns, key and vendor column: what the facts form shows. */
export function tableSchemas(): Promise<TableSchema[]> {
	return call('table_schemas', {}, (f) => f.tableSchemas());
}

/** A vendor's rows of one table, as text cells keyed by column name (an empty cell is not given). */
export function vendorRows(vendorId: string, table: string): Promise<Record<string, string>[]> {
	return call('vendor_rows', { vendorId, table }, (f) => f.vendorRows(vendorId, table));
}

/**
 * Enters rows of one table through the importer's rules as one batch (a row with a stored row's key
 * replaces it). Resolves to the batch, or to the rejection with its `<table>.csv:line:column` errors.
 */
export function enterRows(table: string, rows: Record<string, string>[]): Promise<EntryResult> {
	return call('enter_rows', { table, rows }, (f) => f.enterRows(table, rows));
}

/** An SVG document. Show it only as an <img> data URL (see svgDataUrl), never as markup. */
export function chart(kind: ChartKind, vendorIds: string[], scenario: ScenarioInput, dark: boolean): Promise<string> {
	return call('chart', { kind, vendorIds, scenario, dark }, (f) => f.chart(kind, vendorIds, scenario, dark));
}

/**
 * Writes a PDF brief of 1 vendor (a vendor brief) or 2–10 (a comparison). `changesSince` (a batch number
 * or a date YYYY-MM-DD, as typed; null for none) adds a "What changed" section from then to now; a value
 * that is neither is refused with code `invalid`.
 */
export function writeBrief(vendorIds: string[], scenario: ScenarioInput, path: string, changesSince: string | null = null): Promise<void> {
	return call('write_brief', { vendorIds, scenario, path, changesSince }, (f) => f.writeBrief(vendorIds, scenario, path, changesSince));
}

export function writeExport(path: string, scenario: ScenarioInput): Promise<void> {
	return call('write_export', { path, scenario }, (f) => f.writeExport(path, scenario));
}

/**
 * Writes the whole store as a dataset folder (one CSV per table with rows) into a folder `chooseFolder`
 * returned. Imported into any Vetta store it gives the same facts (the same dataset SHA-256). A folder
 * that is not empty is refused with code `invalid`.
 */
export function writeDump(path: string): Promise<Dumped> {
	return call('write_dump', { path }, (f) => f.writeDump(path));
}

/**
 * Writes the whole store as one bundle file (a `.vetta-bundle`: the dataset, a manifest and, when `signWith` is given, a
 * minisign signature) to a path `pickSavePath('bundle', …)` returned. `signWith` is a secret key `pickSecretKeyFile` returned;
 * `password` opens an encrypted one (a wrong or missing one is refused with code `invalid`). Resolves to the manifest written.
 */
export function writeBundle(path: string, signWith: string | null = null, password: string | null = null): Promise<Manifest> {
	return call('write_bundle', { path, signWith, password }, (f) => f.writeBundle(path, signWith, password));
}

/** Checks a bundle as an import would (signed by a trusted key, unchanged, its files give its dataset) without importing it. */
export function verifyBundle(path: string, allowUnsigned = false): Promise<BundleCheck> {
	return call('verify_bundle', { path, allowUnsigned }, (f) => f.verifyBundle(path, allowUnsigned));
}

/** The public keys this workspace trusts to sign the bundles it imports. */
export function trustedKeys(): Promise<TrustedKey[]> {
	return call('trusted_keys', {}, (f) => f.trustedKeys());
}

/**
 * Trusts a public key: `publicKey` is a `.pub` file's text or its bare base64 key line, `label` says whose it is (required).
 * Text that is not a minisign public key is refused with code `invalid`. Trusting a key again updates its label.
 */
export function trustKey(publicKey: string, label: string): Promise<TrustedKey> {
	return call('trust_key', { publicKey, label }, (f) => f.trustKey(publicKey, label));
}

/** Trusts the public key in a `.pub` file `pickPublicKeyFile` returned, as trustKey. */
export function trustKeyFile(path: string, label: string): Promise<TrustedKey> {
	return call('trust_key_file', { path, label }, (f) => f.trustKeyFile(path, label));
}

/** Stops trusting a key; resolves to the key removed, so that trustKey(key.public_key, key.label) can undo it. */
export function untrustKey(keyId: string): Promise<TrustedKey> {
	return call('untrust_key', { keyId }, (f) => f.untrustKey(keyId));
}

/** Candidates between the vendors' book and published entities scoring `minScore` (0–1) or more, best first, with a card per party they name. */
export function screen(minScore: number): Promise<ScreenReview> {
	return call('screen', { minScore }, (f) => f.screen(minScore));
}

/** Records link decisions as one undoable batch (`link` for one, `links` for several); a refused one rejects, naming the rule, and nothing is written. */
export function decideLinks(decisions: LinkDecision[]): Promise<ImportResult> {
	return call('decide_links', { decisions }, (f) => f.decideLinks(decisions));
}

/** Every recorded link (`same` and `different`), with who decided it, when and why. */
export function links(): Promise<LinksReport> {
	return call('links', {}, (f) => f.links());
}

/**
 * What changed per vendor (numbers and facts) between two ends, each a batch number or a date
 * `YYYY-MM-DD` as typed; `from` null is before the last applied batch, `to` null is now.
 */
export function changes(from: string | null, to: string | null, scenario: ScenarioInput): Promise<ChangesReport> {
	return call('changes', { from, to, scenario }, (f) => f.changes(from, to, scenario));
}

let userNameAnswer: Promise<string> | null = null;

/** The OS user's name (may be empty): who a link entered in the app was decided by. Asked once per session. */
export function userName(): Promise<string> {
	userNameAnswer ??= call<string>('user_name', {}, (f) => f.userName()).catch((reason: unknown) => {
		userNameAnswer = null;
		throw reason;
	});
	return userNameAnswer;
}

/** The open workspace (the local file or a team store), what this login may do there, and its change counter. */
export function workspace(): Promise<Workspace> {
	return call('workspace', {}, (f) => f.workspace());
}

/**
 * Works on the team store at `url` (postgresql://user@host/database?sslmode=verify-full) from now on, and at the next
 * launch. `password` serves this connection only and is kept nowhere; without it the server's other ways apply
 * (PGPASSWORD, the password file). A failure leaves the open workspace as it was.
 */
export function connectWorkspace(url: string, password: string | null): Promise<Workspace> {
	return call('connect_workspace', { url, password }, (f) => f.connectWorkspace(url, password));
}

/** Goes back to the local store file. */
export function useLocalWorkspace(): Promise<Workspace> {
	return call('use_local_workspace', {}, (f) => f.useLocalWorkspace());
}

export function settings(): Promise<Settings> {
	return call('settings', {}, (f) => f.settings());
}

export function saveSettings(settings: Settings): Promise<void> {
	return call('save_settings', { settings }, (f) => f.saveSettings(settings));
}

// ── Native dialogs (null = the user cancelled) ─────────────────────────────────────────────────────
// The shell opens them and remembers what they returned: file commands accept only those paths, so
// the page never names a file on its own. (Automation answers them through the shell too; see
// src-tauri/src/commands/files.rs.)

/** A dataset folder to import. */
export function pickImportFolder(): Promise<string[] | null> {
	return call('choose_import', { kind: 'folder' satisfies OpenKind }, () => Promise.resolve(['/home/analyst/vetta-data/q4-2026']));
}

/** CSV files or an .xlsx workbook to import. */
export function pickImportFiles(): Promise<string[] | null> {
	return call('choose_import', { kind: 'files' satisfies OpenKind }, () => Promise.resolve(['/home/analyst/Downloads/vendors-broken.xlsx']));
}

/** A public key file (`.pub`) to trust. */
export async function pickPublicKeyFile(): Promise<string | null> {
	const kind: OpenKind = 'publickey';
	return (await call<string[] | null>('choose_import', { kind }, (f) => f.chooseKey(kind)))?.[0] ?? null;
}

/** A secret key file to sign a bundle with. */
export async function pickSecretKeyFile(): Promise<string | null> {
	const kind: OpenKind = 'secretkey';
	return (await call<string[] | null>('choose_import', { kind }, (f) => f.chooseKey(kind)))?.[0] ?? null;
}

/** Where to save a file of a kind (`defaultName` is the name the dialog proposes). */
export function pickSavePath(kind: Exclude<SaveKind, 'folder'>, defaultName: string): Promise<string | null> {
	return call('choose_save', { kind, defaultName }, (f) => f.chooseSave(kind, defaultName));
}

/** A new or empty folder to write a dataset into (`writeDump`); the dialog picks a folder, so it proposes no name. */
export function chooseFolder(): Promise<string | null> {
	const kind: SaveKind = 'folder';
	return call('choose_save', { kind, defaultName: '' }, (f) => f.chooseSave(kind, ''));
}

/** An SVG document as a data URL for <img src>, so its markup is never inserted into the page. */
export function svgDataUrl(svg: string): string {
	const bytes = new TextEncoder().encode(svg);
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return `data:image/svg+xml;base64,${btoa(binary)}`;
}
