import { describe, expect, it } from 'vitest';
import { BackendError } from '$lib/api/errors';
import type { Workspace } from '$lib/api/bindings/Workspace';
import { FixtureBackend } from '$lib/api/fixtures';
import { WorkspaceState, type WorkspaceApi } from './workspace.svelte';

/** A team store whose change counter the test moves, and what the connect form sent. */
class FakeServer implements WorkspaceApi {
	generation = 7;
	readOnly: string | null = null;
	sent: { url: string; password: string | null }[] = [];
	refuse: string | null = null;

	private answer(team = true): Workspace {
		return {
			info: { label: team ? 'postgresql://ana@db.example/procurement' : '/home/ana/vetta.db', team, user: 'ana', readOnly: this.readOnly, generation: this.generation },
			notice: null
		};
	}
	workspace = () => Promise.resolve(this.answer());
	connectWorkspace = (url: string, password: string | null) => {
		this.sent.push({ url, password });
		return this.refuse ? Promise.reject(new BackendError('internal', this.refuse)) : Promise.resolve(this.answer());
	};
	useLocalWorkspace = () => Promise.resolve(this.answer(false));
}

describe('the workspace', () => {
	it('marks the views stale when someone else writes, but not after its own writes', async () => {
		const server = new FakeServer();
		const workspace = new WorkspaceState(server);
		await workspace.load();
		expect(workspace.team).toBe(true);
		await workspace.poll();
		expect(workspace.changed).toBe(false);

		server.generation = 8; // this app imported
		await workspace.ownWrite();
		await workspace.poll();
		expect(workspace.changed).toBe(false);

		server.generation = 9; // a colleague imported
		await workspace.poll();
		expect(workspace.changed).toBe(true);
		await workspace.ownWrite();
		expect(workspace.changed).toBe(true); // still stale until reloaded
	});

	it('keeps the last answer when the server is away for a moment', async () => {
		const server = new FakeServer();
		const workspace = new WorkspaceState(server);
		await workspace.load();
		server.workspace = () => Promise.reject(new BackendError('internal', 'connection refused'));
		await workspace.poll();
		expect(workspace.info?.generation).toBe(7);
		expect(workspace.changed).toBe(false);
	});

	it('connects with the password once and never keeps it, even when refused', async () => {
		const server = new FakeServer();
		const workspace = new WorkspaceState(server);
		await workspace.load();
		workspace.url = 'postgresql://ana@db.example/procurement';
		workspace.password = 'hunter2';
		server.refuse = 'password authentication failed for user "ana"';
		expect(await workspace.connect()).toBe(false);
		expect(workspace.connectError).toContain('password authentication failed');
		expect(workspace.password).toBe('');
		expect(workspace.url).toBe('postgresql://ana@db.example/procurement'); // kept to correct

		server.refuse = null;
		workspace.password = 'correct';
		expect(await workspace.connect()).toBe(true);
		expect(workspace.password).toBe('');
		expect(workspace.url).toBe('');
		expect(server.sent).toEqual([
			{ url: 'postgresql://ana@db.example/procurement', password: 'hunter2' },
			{ url: 'postgresql://ana@db.example/procurement', password: 'correct' }
		]);
	});

	it('refuses what is not a team store address before asking the server', async () => {
		const server = new FakeServer();
		const workspace = new WorkspaceState(server);
		workspace.url = '/home/ana/other.db';
		expect(workspace.urlError).toMatch(/postgresql:\/\//);
		expect(await workspace.connect()).toBe(false);
		expect(server.sent).toEqual([]);
		workspace.url = '';
		expect(await workspace.connect()).toBe(false);
		expect(workspace.connectError).toBe('Enter the team store’s address');
	});

	it('says why a viewer may not write', async () => {
		const server = new FakeServer();
		server.readOnly = 'ana may read this workspace but not change it (the vetta_viewer role)';
		const workspace = new WorkspaceState(server);
		await workspace.load();
		expect(workspace.readOnly).toContain('vetta_viewer');
		await workspace.useLocal();
		expect(workspace.team).toBe(false);
	});
});

describe('the preview’s viewer', () => {
	it('is refused every write with the read-only code, and may still read', async () => {
		const backend = FixtureBackend.forPreview('?workspace=viewer');
		const described = await backend.workspace();
		expect(described.info.team).toBe(true);
		expect(described.info.readOnly).toContain('vetta_viewer');
		await expect(backend.saveScenario('mine', { weights: { ownership: 10 } })).rejects.toMatchObject({ code: 'read-only' });
		await expect(backend.undo(1)).rejects.toMatchObject({ code: 'read-only' });
		await expect(backend.batches()).resolves.not.toHaveLength(0);
		expect((await FixtureBackend.forPreview('').workspace()).info.readOnly).toBeNull();
	});
});
