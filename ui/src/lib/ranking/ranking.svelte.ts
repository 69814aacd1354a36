//! The Ranking view's state: the scored vendors joined with their listing (country, category), and the
//! filters and sort the procurement lead applies. Filtering and sorting are pure functions so they are
//! tested on their own.
import type { Band } from '$lib/api/bindings/Band';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { ScoreReport } from '$lib/api/bindings/ScoreReport';
import type { VendorListing } from '$lib/api/bindings/VendorListing';
import type { VendorScore } from '$lib/api/bindings/VendorScore';
import { BANDS } from '$lib/domain/factors';

export type RankingRow = VendorScore & { country: string; category: string };
export type RankingFilters = { query: string; band: Band | 'all'; country: string; prohibitedOnly: boolean };
export type RankingSortKey = 'rank' | 'name' | 'country' | 'score' | 'band' | 'status';
export type RankingSort = { key: RankingSortKey; dir: 'asc' | 'desc' };

export const ALL_COUNTRIES = 'all';

export function joinListing(report: ScoreReport, listing: readonly VendorListing[]): RankingRow[] {
	const byId = new Map(listing.map((v) => [v.vendor_id, v]));
	return report.vendors.map((v) => ({
		...v,
		country: byId.get(v.vendor_id)?.hq_country ?? '',
		category: byId.get(v.vendor_id)?.category ?? ''
	}));
}

export function matches(row: RankingRow, filters: RankingFilters): boolean {
	const query = filters.query.trim().toLowerCase();
	if (query && !row.name.toLowerCase().includes(query) && !row.vendor_id.toLowerCase().includes(query)) return false;
	if (filters.band !== 'all' && row.band !== filters.band) return false;
	if (filters.country !== ALL_COUNTRIES && row.country !== filters.country) return false;
	if (filters.prohibitedOnly && !row.prohibited) return false;
	return true;
}

const BAND_ORDER: Record<Band, number> = { low: 0, moderate: 1, high: 2, severe: 3 };

/** The natural direction of each column when first clicked: riskiest / alphabetical first. */
export const DEFAULT_DIR: Record<RankingSortKey, 'asc' | 'desc'> = {
	rank: 'asc',
	name: 'asc',
	country: 'asc',
	score: 'desc',
	band: 'desc',
	status: 'desc'
};

export function compareRows(a: RankingRow, b: RankingRow, key: RankingSortKey): number {
	switch (key) {
		case 'rank':
			return a.rank - b.rank;
		case 'score':
			return a.score - b.score || b.rank - a.rank;
		case 'name':
			return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
		case 'country':
			return a.country.localeCompare(b.country) || a.rank - b.rank;
		case 'band':
			return BAND_ORDER[a.band] - BAND_ORDER[b.band] || b.rank - a.rank;
		case 'status':
			return Number(a.prohibited) - Number(b.prohibited) || b.rank - a.rank;
	}
}

/** Filtered and sorted; ties keep rank order so the list is stable. */
export function filterAndSort(rows: readonly RankingRow[], filters: RankingFilters, sort: RankingSort): RankingRow[] {
	const sign = sort.dir === 'asc' ? 1 : -1;
	return rows.filter((r) => matches(r, filters)).sort((a, b) => sign * compareRows(a, b, sort.key) || a.rank - b.rank);
}

export function bandCounts(rows: readonly { band: Band }[]): Record<Band, number> {
	const counts: Record<Band, number> = { low: 0, moderate: 0, high: 0, severe: 0 };
	for (const r of rows) counts[r.band]++;
	return counts;
}

export type RankingApi = {
	score(scenario: ScenarioInput): Promise<ScoreReport>;
	vendors(): Promise<VendorListing[]>;
};

export class RankingState {
	report = $state.raw<ScoreReport | null>(null);
	listing = $state.raw<VendorListing[]>([]);
	loading = $state(false);
	error = $state<string | null>(null);
	scenarioName = $state('default');
	filters = $state<RankingFilters>({ query: '', band: 'all', country: ALL_COUNTRIES, prohibitedOnly: false });
	sort = $state<RankingSort>({ key: 'rank', dir: 'asc' });

	all = $derived(this.report ? joinListing(this.report, this.listing) : []);
	rows = $derived(filterAndSort(this.all, this.filters, this.sort));
	counts = $derived(bandCounts(this.all));
	countries = $derived([...new Set(this.all.map((r) => r.country).filter(Boolean))].sort());
	filtered = $derived(
		this.filters.query.trim() !== '' || this.filters.band !== 'all' || this.filters.country !== ALL_COUNTRIES || this.filters.prohibitedOnly
	);

	constructor(private readonly api: RankingApi) {}

	async load(): Promise<void> {
		this.loading = true;
		this.error = null;
		try {
			// User Timing marks: the end-to-end timing splits the first paint at them.
			performance.mark('vetta:ranking-asked');
			const [report, listing] = await Promise.all([this.api.score({ scenario: this.scenarioName }), this.api.vendors()]);
			performance.mark('vetta:ranking-answered');
			this.report = report;
			this.listing = listing;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		} finally {
			this.loading = false;
		}
	}

	/** Clicking the sorted column flips it; another column starts in its natural direction. */
	sortBy(key: RankingSortKey): void {
		this.sort = this.sort.key === key ? { key, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: DEFAULT_DIR[key] };
	}

	toggleBand(band: Band): void {
		this.filters.band = this.filters.band === band ? 'all' : band;
	}

	clearFilters(): void {
		this.filters = { query: '', band: 'all', country: ALL_COUNTRIES, prohibitedOnly: false };
	}
}

export { BANDS };
