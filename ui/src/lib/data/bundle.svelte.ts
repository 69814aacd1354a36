//! Exporting the store as a bundle: one `.vetta-bundle` file (the dataset, a manifest and, when a key
//! is chosen, a minisign signature) for a colleague's workspace, which imports it only when it trusts
//! the signing key (or, unsigned, when its user accepts it knowingly). The key's password is held only
//! until the export is written, and is forgotten when the dialog closes.
import type { Manifest } from '$lib/api/bindings/Manifest';
import { fmtCount } from '$lib/domain/format';

export type BundleApi = {
	/** The open dialog for a secret key (null: cancelled). */
	pickSecretKeyFile(): Promise<string | null>;
	pickSavePath(kind: 'bundle', defaultName: string): Promise<string | null>;
	writeBundle(path: string, signWith: string | null, password: string | null): Promise<Manifest>;
};

export type BundlePhase = 'idle' | 'choosing' | 'writing';

/** A bundle written: where, what its manifest lists, and the name of the key file that signed it (null: not signed). */
export type BundleDone = { path: string; manifest: Manifest; keyName: string | null };

export const UNSIGNED_WARNING = 'Unsigned bundles are refused by other workspaces unless accepted knowingly.';

/** The name the save dialog proposes: `vetta-YYYY-MM-DD.vetta-bundle`. */
export function defaultBundleName(today: string): string {
	return `vetta-${today}.vetta-bundle`;
}

/** The last part of a path (either separator). */
export function fileName(path: string): string {
	return path.split(/[\\/]/).pop() || path;
}

/** "Bundle written: 7 files, 350 rows, signed with key vetta.key. Saved as …", or "… NOT signed. …". */
export function bundleMessage({ path, manifest, keyName }: BundleDone): string {
	const files = manifest.files.length;
	const rows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
	const counted = `${fmtCount(files)} file${files === 1 ? '' : 's'}, ${fmtCount(rows)} row${rows === 1 ? '' : 's'}`;
	const signed = keyName === null ? 'NOT signed' : `signed with key ${keyName}`;
	return `Bundle written: ${counted}, ${signed}. Saved as ${path}`;
}

export class BundleExport {
	/** The secret key to sign with (null: the bundle is not signed). */
	keyPath = $state<string | null>(null);
	/** The key's password: only an encrypted key needs one. */
	password = $state('');
	phase = $state<BundlePhase>('idle');
	/** Why the last export failed (a wrong password, say), or null. */
	error = $state<string | null>(null);
	last = $state.raw<BundleDone | null>(null);

	keyName = $derived(this.keyPath === null ? null : fileName(this.keyPath));
	busy = $derived(this.phase !== 'idle');

	constructor(private readonly api: BundleApi) {}

	/** Asks for the secret key to sign with; a cancelled dialog keeps the key chosen before. */
	async chooseKey(): Promise<void> {
		if (this.busy) return;
		this.error = null;
		try {
			const path = await this.api.pickSecretKeyFile();
			if (path) this.keyPath = path;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}

	/** Exports unsigned from now on (and forgets the password). */
	clearKey(): void {
		this.keyPath = null;
		this.password = '';
	}

	/** The dialog closed: the password is not kept. */
	closed(): void {
		this.password = '';
		this.error = null;
	}

	/**
	 * Asks where to save and writes the bundle. Resolves to what was written, or null when the save dialog was cancelled, an
	 * export is under way or it failed (`error` then says why, e.g. a wrong password; the choices stay to try again).
	 */
	async run(today: string): Promise<BundleDone | null> {
		if (this.busy) return null;
		this.error = null;
		this.phase = 'choosing';
		try {
			const path = await this.api.pickSavePath('bundle', defaultBundleName(today));
			if (!path) return null;
			this.phase = 'writing';
			const keyPath = this.keyPath;
			const manifest = await this.api.writeBundle(path, keyPath, keyPath !== null && this.password !== '' ? this.password : null);
			this.password = '';
			this.last = { path, manifest, keyName: keyPath === null ? null : fileName(keyPath) };
			return this.last;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
			return null;
		} finally {
			this.phase = 'idle';
		}
	}
}
