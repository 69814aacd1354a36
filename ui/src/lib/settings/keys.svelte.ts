//! Settings → Trusted keys: the public keys of colleagues this workspace trusts to sign the bundles it
//! imports. A key is added under a label saying whose it is (required), pasted (a `.pub` file's text or
//! its key line) or chosen as a `.pub` file; a removed key can be trusted again (the toast's Undo).
import type { TrustedKey } from '$lib/api/bindings/TrustedKey';

export type KeysApi = {
	trustedKeys(): Promise<TrustedKey[]>;
	trustKey(publicKey: string, label: string): Promise<TrustedKey>;
	trustKeyFile(path: string, label: string): Promise<TrustedKey>;
	untrustKey(keyId: string): Promise<TrustedKey>;
	/** The open dialog for a `.pub` file (null: cancelled). */
	pickPublicKeyFile(): Promise<string | null>;
};

/** A key trusted by the form: the key, and whether it was trusted already (its label is then updated). */
export type Trusted = { key: TrustedKey; updated: boolean };

export const LABEL_REQUIRED = 'Say whose key it is (a name and team, say) before adding it';
export const KEY_REQUIRED = 'Paste the text of a .pub file (or its key line), or choose the file';
export const SECRET_KEY_PASTED = 'This is a secret key, which must stay with its owner: ask for the public key (the .pub file) instead';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Whether pasted text is a minisign secret key (its comment line says so), which must not be pasted anywhere. */
export function isSecretKeyText(text: string): boolean {
	return /^untrusted comment:.*secret key/im.test(text.trim());
}

export class TrustedKeysState {
	keys = $state.raw<TrustedKey[]>([]);
	loaded = $state(false);
	loadError = $state<string | null>(null);
	/** Whose key the form adds. */
	label = $state('');
	/** The pasted public key. */
	keyText = $state('');
	/** Which way the form asked to add a key last (the label is checked then, not while typing). */
	tried = $state<'paste' | 'file' | null>(null);
	busy = $state(false);
	/** Why the form's last add failed (the backend's words), or null. */
	error = $state<string | null>(null);

	labelError = $derived(this.tried !== null && this.label.trim() === '' ? LABEL_REQUIRED : null);
	keyTextError = $derived(this.tried === 'paste' && this.keyText.trim() === '' ? KEY_REQUIRED : null);

	constructor(private readonly api: KeysApi) {}

	async load(): Promise<void> {
		try {
			this.keys = await this.api.trustedKeys();
			this.loadError = null;
		} catch (e) {
			this.loadError = messageOf(e);
		} finally {
			this.loaded = true;
		}
	}

	/** Trusts the pasted key under the label; null (with the reason shown) when it was not. */
	async addPasted(): Promise<Trusted | null> {
		this.tried = 'paste';
		this.error = null;
		if (isSecretKeyText(this.keyText)) {
			this.keyText = '';
			this.error = SECRET_KEY_PASTED;
			return null;
		}
		if (this.labelError || this.keyTextError || this.busy) return null;
		return this.trust(() => this.api.trustKey(this.keyText.trim(), this.label.trim()));
	}

	/** Asks for a `.pub` file and trusts its key under the label; null when cancelled or refused. */
	async addFromFile(): Promise<Trusted | null> {
		this.tried = 'file';
		this.error = null;
		if (this.labelError || this.busy) return null;
		let path: string | null;
		try {
			path = await this.api.pickPublicKeyFile();
		} catch (e) {
			this.error = messageOf(e);
			return null;
		}
		if (!path) return null;
		return this.trust(() => this.api.trustKeyFile(path, this.label.trim()));
	}

	private async trust(work: () => Promise<TrustedKey>): Promise<Trusted | null> {
		this.busy = true;
		try {
			const key = await work();
			const updated = this.keys.some((k) => k.key_id === key.key_id);
			this.label = '';
			this.keyText = '';
			this.tried = null;
			await this.load();
			return { key, updated };
		} catch (e) {
			this.error = messageOf(e);
			return null;
		} finally {
			this.busy = false;
		}
	}

	/** Stops trusting a key; resolves to the key removed (for Undo), or null while another change runs. Rejects with the backend's error. */
	async remove(keyId: string): Promise<TrustedKey | null> {
		if (this.busy) return null;
		this.busy = true;
		try {
			const removed = await this.api.untrustKey(keyId);
			await this.load();
			return removed;
		} finally {
			this.busy = false;
		}
	}

	/** Undo of a removal: trusts the key again under its label. Rejects with the backend's error. */
	async restore(key: TrustedKey): Promise<TrustedKey> {
		this.busy = true;
		try {
			const trusted = await this.api.trustKey(key.public_key, key.label);
			await this.load();
			return trusted;
		} finally {
			this.busy = false;
		}
	}
}
