import { describe, expect, it } from 'vitest';
import { BackendError } from '$lib/api/errors';
import { FixtureBackend, PREVIEW_PUBLIC_KEY_FILE, PREVIEW_TRUSTED_KEY } from '$lib/api/fixtures';
import { isSecretKeyText, KEY_REQUIRED, LABEL_REQUIRED, SECRET_KEY_PASTED, TrustedKeysState, type KeysApi } from './keys.svelte';

/** The preview's keys and its .pub dialog, as commands.ts calls them. */
function preview(backend = new FixtureBackend()): KeysApi {
	return {
		trustedKeys: () => backend.trustedKeys(),
		trustKey: (text, label) => backend.trustKey(text, label),
		trustKeyFile: (path, label) => backend.trustKeyFile(path, label),
		untrustKey: (keyId) => backend.untrustKey(keyId),
		pickPublicKeyFile: async () => (await backend.chooseKey('publickey'))?.[0] ?? null
	};
}

const COLLEAGUE_KEY_LINE = PREVIEW_PUBLIC_KEY_FILE.text.split('\n')[1]!;

describe('trusted keys', () => {
	it('lists the trusted keys', async () => {
		const keys = new TrustedKeysState(preview());
		expect(keys.loaded).toBe(false);
		await keys.load();
		expect(keys.loaded).toBe(true);
		expect(keys.keys).toEqual([PREVIEW_TRUSTED_KEY]);
	});

	it('says why it cannot load them', async () => {
		const keys = new TrustedKeysState({ ...preview(), trustedKeys: () => Promise.reject(new BackendError('internal', 'store locked')) });
		await keys.load();
		expect(keys.loaded).toBe(true);
		expect(keys.loadError).toBe('store locked');
	});

	it('adds a pasted key only under a label, and clears the form', async () => {
		const keys = new TrustedKeysState(preview());
		await keys.load();
		expect(keys.labelError).toBeNull(); // not while the form is untouched
		keys.keyText = PREVIEW_PUBLIC_KEY_FILE.text;
		expect(await keys.addPasted()).toBeNull();
		expect(keys.labelError).toBe(LABEL_REQUIRED);
		expect(keys.keys).toHaveLength(1);
		keys.label = '  Dana Reyes, supplier risk ';
		expect(keys.labelError).toBeNull();
		const added = await keys.addPasted();
		expect(added).toEqual({ key: expect.objectContaining({ key_id: PREVIEW_PUBLIC_KEY_FILE.keyId, label: 'Dana Reyes, supplier risk' }), updated: false });
		expect(keys.keys.map((k) => k.key_id)).toEqual([PREVIEW_TRUSTED_KEY.key_id, PREVIEW_PUBLIC_KEY_FILE.keyId]);
		expect([keys.label, keys.keyText, keys.tried, keys.error]).toEqual(['', '', null, null]);
		// The same key again (its bare line) updates its label.
		keys.label = 'Dana Reyes';
		keys.keyText = COLLEAGUE_KEY_LINE;
		expect(await keys.addPasted()).toMatchObject({ key: { label: 'Dana Reyes' }, updated: true });
		expect(keys.keys).toHaveLength(2);
	});

	it('asks for the key text, and shows the backend’s refusal of text that is no public key', async () => {
		const keys = new TrustedKeysState(preview());
		await keys.load();
		keys.label = 'Dana';
		expect(await keys.addPasted()).toBeNull();
		expect(keys.keyTextError).toBe(KEY_REQUIRED);
		keys.keyText = 'RWnot-a-key';
		expect(await keys.addPasted()).toBeNull();
		expect(keys.error).toMatch(/not a minisign public key/);
		expect(keys.keyText).toBe('RWnot-a-key'); // kept, to be corrected
		expect(keys.keys).toHaveLength(1);
	});

	it('refuses a pasted secret key and clears it from the form', async () => {
		const calls: string[] = [];
		const keys = new TrustedKeysState({ ...preview(), trustKey: async (text) => (calls.push(text), PREVIEW_TRUSTED_KEY) });
		keys.label = 'Me';
		keys.keyText = 'untrusted comment: minisign encrypted secret key\nRWRTY0Iy...';
		expect(isSecretKeyText(keys.keyText)).toBe(true);
		expect(isSecretKeyText(PREVIEW_PUBLIC_KEY_FILE.text)).toBe(false);
		expect(await keys.addPasted()).toBeNull();
		expect(keys.error).toBe(SECRET_KEY_PASTED);
		expect(keys.keyText).toBe('');
		expect(calls).toEqual([]);
	});

	it('adds a key from a chosen .pub file, under a label, and does nothing when the dialog is cancelled', async () => {
		let picked = 0;
		const api = preview();
		const keys = new TrustedKeysState({ ...api, pickPublicKeyFile: () => (picked++, api.pickPublicKeyFile()) });
		await keys.load();
		expect(await keys.addFromFile()).toBeNull();
		expect(keys.labelError).toBe(LABEL_REQUIRED);
		expect(keys.keyTextError).toBeNull(); // no text is needed for a file
		expect(picked).toBe(0);
		keys.label = 'Dana';
		expect(await keys.addFromFile()).toMatchObject({ key: { key_id: PREVIEW_PUBLIC_KEY_FILE.keyId, label: 'Dana' }, updated: false });
		expect(picked).toBe(1);
		const cancelled = new TrustedKeysState({ ...api, pickPublicKeyFile: () => Promise.resolve(null) });
		cancelled.label = 'Dana';
		expect(await cancelled.addFromFile()).toBeNull();
		expect(cancelled.error).toBeNull();
		expect(cancelled.label).toBe('Dana');
	});

	it('removes a key and trusts it again on Undo, under its label', async () => {
		const keys = new TrustedKeysState(preview());
		await keys.load();
		const removed = await keys.remove(PREVIEW_TRUSTED_KEY.key_id);
		expect(removed).toEqual(PREVIEW_TRUSTED_KEY);
		expect(keys.keys).toEqual([]);
		expect(await keys.restore(removed!)).toMatchObject({ key_id: PREVIEW_TRUSTED_KEY.key_id, label: PREVIEW_TRUSTED_KEY.label });
		expect(keys.keys).toEqual([expect.objectContaining({ key_id: PREVIEW_TRUSTED_KEY.key_id, public_key: PREVIEW_TRUSTED_KEY.public_key, label: PREVIEW_TRUSTED_KEY.label })]);
		await expect(keys.remove('0000000000000000')).rejects.toMatchObject({ code: 'invalid', message: 'no trusted key "0000000000000000"' });
		expect(keys.busy).toBe(false);
		expect(keys.error).toBeNull(); // the form's error is the form's own
	});
});
