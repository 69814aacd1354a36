import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORT, recorded } from '$lib/api/fixtures';
import { ALL_COUNTRIES, bandCounts, filterAndSort, joinListing, RankingState, type RankingFilters } from './ranking.svelte';

const rows = joinListing(DEFAULT_REPORT, recorded.vendors);
const none: RankingFilters = { query: '', band: 'all', country: ALL_COUNTRIES, prohibitedOnly: false };
const byRank = { key: 'rank', dir: 'asc' } as const;
const ids = (list: { vendor_id: string }[]) => list.map((r) => r.vendor_id);

describe('ranking filters', () => {
	it('shows every vendor by rank when nothing is filtered', () => {
		expect(ids(filterAndSort(rows, none, byRank))).toEqual(ids(DEFAULT_REPORT.vendors));
	});

	it('matches the name search case-insensitively, on name or id', () => {
		expect(ids(filterAndSort(rows, { ...none, query: 'LAB' }, byRank))).toEqual(['kaspersky']);
		expect(ids(filterAndSort(rows, { ...none, query: 'harborb' }, byRank))).toEqual(['harborbyte']);
		expect(filterAndSort(rows, { ...none, query: '  ' }, byRank)).toHaveLength(rows.length);
	});

	it('filters by band, HQ country and prohibited status, all at once', () => {
		expect(ids(filterAndSort(rows, { ...none, band: 'high' }, byRank))).toEqual(['kaspersky', 'jadeport']);
		expect(ids(filterAndSort(rows, { ...none, country: 'CN' }, byRank))).toEqual(['lotusgate', 'silkfern']);
		expect(ids(filterAndSort(rows, { ...none, prohibitedOnly: true }, byRank))).toEqual(['lotusgate', 'kaspersky']);
		expect(ids(filterAndSort(rows, { ...none, country: 'CN', prohibitedOnly: true }, byRank))).toEqual(['lotusgate']);
	});
});

describe('ranking sort', () => {
	it('sorts names alphabetically and scores from riskiest', () => {
		const byName = filterAndSort(rows, none, { key: 'name', dir: 'asc' });
		expect(byName[0]!.vendor_id).toBe('bluefjord');
		const byScore = filterAndSort(rows, none, { key: 'score', dir: 'desc' });
		expect(ids(byScore)).toEqual(ids(DEFAULT_REPORT.vendors));
	});

	it('keeps rank order within equal keys (band, country)', () => {
		const byBand = filterAndSort(rows, none, { key: 'band', dir: 'desc' });
		expect(ids(byBand).slice(0, 3)).toEqual(['lotusgate', 'kaspersky', 'jadeport']);
		const lows = byBand.filter((r) => r.band === 'low').map((r) => r.rank);
		expect(lows).toEqual([...lows].sort((a, b) => a - b));
	});

	it('flips the direction when the sorted column is clicked again, and starts new columns in their natural direction', () => {
		const state = new RankingState({ score: async () => DEFAULT_REPORT, vendors: async () => recorded.vendors });
		state.sortBy('score');
		expect(state.sort).toEqual({ key: 'score', dir: 'desc' });
		state.sortBy('score');
		expect(state.sort).toEqual({ key: 'score', dir: 'asc' });
		state.sortBy('name');
		expect(state.sort).toEqual({ key: 'name', dir: 'asc' });
	});
});

describe('ranking state', () => {
	it('loads, counts bands and lists countries; band chips toggle the band filter', async () => {
		const state = new RankingState({ score: async () => DEFAULT_REPORT, vendors: async () => recorded.vendors });
		await state.load();
		expect(state.counts).toEqual({ severe: 1, high: 2, moderate: 2, low: 4 });
		expect(state.countries).toEqual(['CN', 'DE', 'GB', 'HK', 'IL', 'NO', 'RU', 'US']);
		state.toggleBand('moderate');
		expect(ids(state.rows)).toEqual(['silkfern', 'cedarquill']);
		expect(state.filtered).toBe(true);
		state.toggleBand('moderate');
		expect(state.rows).toHaveLength(9);
	});

	it('reports a backend failure as an error, not an empty ranking', async () => {
		const state = new RankingState({ score: async () => Promise.reject(new Error('store is locked')), vendors: async () => [] });
		await state.load();
		expect(state.error).toBe('store is locked');
		expect(state.report).toBeNull();
	});

	it('counts bands of any list', () => {
		expect(bandCounts([])).toEqual({ low: 0, moderate: 0, high: 0, severe: 0 });
	});
});
