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
});
