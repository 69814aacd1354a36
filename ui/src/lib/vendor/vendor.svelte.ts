//! The Vendor view's state: one vendor's explanation (score, band, rank, every factor with its
//! evidence), its listing, its identity across sources and its testimony notes with full-text search.
import type { Evidence } from '$lib/api/bindings/Evidence';
import type { Explanation } from '$lib/api/bindings/Explanation';
import type { Identity } from '$lib/api/bindings/Identity';
import type { ScenarioInput } from '$lib/api/bindings/ScenarioInput';
import type { VendorListing } from '$lib/api/bindings/VendorListing';
import type { VendorPage } from '$lib/api/bindings/VendorPage';
import { identityView as viewOfIdentity } from './identity';

export type NoteEvidence = Extract<Evidence, { kind: 'note_term' }>;
export type TestimonyNote = NoteEvidence & { sentence: string };

/** Testimony notes from the testimony factor's evidence; sentences are index-aligned with evidence. */
export function testimonyNotes(explanation: Explanation): TestimonyNote[] {
	const testimony = explanation.factors.find((f) => f.factor === 'testimony');
	if (!testimony) return [];
	const notes: TestimonyNote[] = [];
	testimony.evidence.forEach((evidence, i) => {
		if (evidence.kind === 'note_term') notes.push({ ...evidence, sentence: testimony.sentences[i] ?? '' });
	});
	return notes.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

export type VendorApi = {
	vendorPage(vendorId: string, scenario: ScenarioInput): Promise<VendorPage>;
	searchTestimony(query: string): Promise<string[]>;
};

export class VendorState {
	explanation = $state.raw<Explanation | null>(null);
	listing = $state.raw<VendorListing | null>(null);
	/** Who the vendor is across sources: its `same` group, the links about it, its aliases and identifiers. */
	identity = $state.raw<Identity | null>(null);
	vendorId = $state('');
	vendorCount = $state(0);
	/** The scenario's missing-data policy, to explain a factor with no rows. */
	missingPolicy = $state('neutral');
	error = $state<string | null>(null);
	noteQuery = $state('');
	/** Note ids matching the query; null while there is no query. */
	matchedIds = $state<string[] | null>(null);
	searching = $state(false);

	notes = $derived(this.explanation ? testimonyNotes(this.explanation) : []);
	identityView = $derived(this.identity ? viewOfIdentity(this.identity, this.vendorId) : null);
	shownNotes = $derived(this.matchedIds === null ? this.notes : this.notes.filter((n) => this.matchedIds!.includes(n.note_id)));

	private searchSeq = 0;

	constructor(private readonly api: VendorApi) {}

	async load(vendorId: string, scenario: ScenarioInput = {}): Promise<void> {
		this.error = null;
		this.explanation = null;
		this.identity = null;
		this.vendorId = vendorId;
		this.noteQuery = '';
		this.matchedIds = null;
		try {
			const page = await this.api.vendorPage(vendorId, scenario);
			this.explanation = page.explanation;
			this.vendorCount = page.vendors;
			this.missingPolicy = page.missing;
			this.listing = page.listing;
			this.identity = page.identity;
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}

	/** Runs the full-text search; a newer query wins over a slower older one. */
	async search(query: string): Promise<void> {
		this.noteQuery = query;
		const seq = ++this.searchSeq;
		if (query.trim() === '') {
			this.matchedIds = null;
			return;
		}
		this.searching = true;
		try {
			const ids = await this.api.searchTestimony(query.trim());
			if (seq === this.searchSeq) this.matchedIds = ids;
		} finally {
			if (seq === this.searchSeq) this.searching = false;
		}
	}
}
