//! The open workspace: the local store file or a team store on PostgreSQL, what this login may do
//! there, and whether someone else changed it since the views loaded. The layout loads it and, on a
//! team store, polls its change counter; views read `readOnly` to turn their writes off.
import type { Workspace } from '$lib/api/bindings/Workspace';
import type { WorkspaceInfo } from '$lib/api/bindings/WorkspaceInfo';

export type WorkspaceApi = {
	workspace(): Promise<Workspace>;
	connectWorkspace(url: string, password: string | null): Promise<Workspace>;
	useLocalWorkspace(): Promise<Workspace>;
};

/** How often a team store's change counter is read (and when the window regains focus). */
export const POLL_MS = 15_000;

export class WorkspaceState {
	info = $state<WorkspaceInfo | null>(null);
	/** Why the app opened another workspace than the one it was asked for (shown until dismissed). */
	notice = $state<string | null>(null);
	/** Someone else wrote to the workspace since the views loaded it. */
	changed = $state(false);
	loadError = $state<string | null>(null);

	/** The connect form. */
	url = $state('');
	password = $state('');
	connecting = $state(false);
	connectError = $state<string | null>(null);

	/** Why writes are off (a viewer of a team store), or null. */
	readOnly = $derived(this.info?.readOnly ?? null);
	team = $derived(this.info?.team ?? false);

	/** Why the URL cannot be connected to, or null. */
	urlError = $derived.by(() => {
		const url = this.url.trim();
		if (url === '') return null;
		if (!/^postgres(ql)?:\/\//.test(url)) return 'A team store’s address starts with postgresql:// (postgresql://user@host/database)';
		return null;
	});

	/** The generation the views were loaded at. */
	private seen: number | null = null;

	constructor(private readonly api: WorkspaceApi) {}

	async load(): Promise<void> {
		try {
			this.apply(await this.api.workspace());
			this.loadError = null;
		} catch (e) {
			this.loadError = e instanceof Error ? e.message : String(e);
		}
	}

	/** Reads the change counter; a value the app did not write itself marks the views stale. */
	async poll(): Promise<void> {
		if (!this.info) return;
		let answer: Workspace;
		try {
			answer = await this.api.workspace();
		} catch {
			return; // A server away for a moment: the next poll tells.
		}
		this.info = answer.info;
		if (this.seen !== null && answer.info.generation !== this.seen) this.changed = true;
	}

	/** After one of this app's own writes: its new counter is not someone else's change. */
	async ownWrite(): Promise<void> {
		if (this.changed) return;
		try {
			const answer = await this.api.workspace();
			this.info = answer.info;
			this.seen = answer.info.generation;
		} catch {
			// Left to the next poll.
		}
	}

	/** Connects to the URL in the form; answers whether it did (the form keeps the error otherwise). */
	async connect(): Promise<boolean> {
		const url = this.url.trim();
		if (url === '' || this.urlError) {
			this.connectError = this.urlError ?? 'Enter the team store’s address';
			return false;
		}
		this.connecting = true;
		this.connectError = null;
		try {
			this.apply(await this.api.connectWorkspace(url, this.password === '' ? null : this.password));
			this.url = '';
			return true;
		} catch (e) {
			this.connectError = e instanceof Error ? e.message : String(e);
			return false;
		} finally {
			// The password is never kept, whatever happened.
			this.password = '';
			this.connecting = false;
		}
	}

	async useLocal(): Promise<void> {
		this.apply(await this.api.useLocalWorkspace());
	}

	private apply(answer: Workspace): void {
		this.info = answer.info;
		this.notice = answer.notice;
		this.seen = answer.info.generation;
		this.changed = false;
	}
}
