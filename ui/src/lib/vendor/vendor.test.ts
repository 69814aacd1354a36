import { describe, expect, it } from 'vitest';
import { FixtureBackend, recorded } from '$lib/api/fixtures';
import { VendorState } from './vendor.svelte';

describe('vendor page', () => {
	it('loads from one answer: explanation, vendor count, missing policy and listing', async () => {
		const calls: string[] = [];
		const backend = new FixtureBackend();
		const state = new VendorState({
			vendorPage: (id, scenario) => (calls.push(id), backend.vendorPage(id, scenario)),
			searchTestimony: (query) => backend.searchTestimony(query)
		});
		await state.load('kaspersky');
		expect(calls).toEqual(['kaspersky']);
		expect(state.error).toBeNull();
		expect(state.explanation).toEqual(recorded.explanations['kaspersky']);
		expect(state.vendorCount).toBe(recorded.vendors.length);
		expect(state.missingPolicy).toBe('neutral');
		expect(state.listing?.vendor_id).toBe('kaspersky');
		expect(state.notes.length).toBeGreaterThan(0);
	});

	it('shows the refusal for an unknown vendor', async () => {
		const state = new VendorState(new FixtureBackend());
		await state.load('nobody');
		expect(state.explanation).toBeNull();
		expect(state.error).toBe('unknown vendor "nobody"');
	});

	it('shows the identity the store records: the demo’s two list entries, then what is entered', async () => {
		const backend = new FixtureBackend();
		const state = new VendorState(backend);
		await state.load('kaspersky');
		const demo = state.identity!;
		expect(demo.group).toEqual(['kaspersky', 'csl:vetta-transcribed-el-1', 'fcc:ao-kaspersky-lab']);
		expect(demo.links.map((l) => l.decision)).toEqual(['same', 'same']);
		expect(state.identityView).toMatchObject({ own: 'kaspersky', empty: false });

		const decided = { decided_by: 'analyst', decided_on: '2026-12-06' };
		for (const [table, rows] of [
			['links', [{ entity_id: 'kaspersky', other_id: 'kl-uk', decision: 'same', ...decided, basis: 'Same LEI' }]],
			['links', [{ entity_id: 'kl-uk', other_id: 'acme', decision: 'different', ...decided, source: 'Companies House' }]],
			['aliases', [{ entity_id: 'kl-uk', name: 'Kaspersky Lab UK Ltd', source: 'Companies House' }]],
			['identifiers', [{ entity_id: 'kaspersky', scheme: 'RU-INN', value: '7713140469', source: 'EGRUL' }]]
		] as const) {
			const result = await backend.enterRows(table, rows.map((r) => ({ ...r })));
			expect(result.status, table).toBe('entered');
		}
		await state.load('kaspersky');
		expect(state.identity!.group).toEqual([...demo.group, 'kl-uk']);
		// Pairs are stored in byte order, as the importer stores them.
		const links = state.identity!.links.map((l) => [l.entity_id, l.other_id, l.decision, l.basis, l.source]);
		expect(links).toHaveLength(demo.links.length + 2);
		expect(links).toEqual(
			expect.arrayContaining([
				['acme', 'kl-uk', 'different', null, 'Companies House'],
				['kaspersky', 'kl-uk', 'same', 'Same LEI', null]
			])
		);
		expect(state.identity!.aliases).toEqual([...demo.aliases, { entity_id: 'kl-uk', name: 'Kaspersky Lab UK Ltd', kind: 'aka', source: 'Companies House' }]);
		expect(state.identity!.identifiers.map((i) => i.value)).toContain('7713140469');
		expect(state.identityView).toMatchObject({ own: 'kaspersky', others: [...demo.group.slice(1), 'kl-uk'], empty: false, showsIds: true });
		expect(state.identityView!.links.map((l) => [l.near, l.far])).toEqual(
			expect.arrayContaining([
				['kl-uk', 'acme'],
				['kaspersky', 'kl-uk']
			])
		);
	});
});
