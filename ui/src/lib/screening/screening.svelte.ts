//! The Screening view's state: the queue of candidates at a threshold (best first, as the engine
//! orders them), the one under review, the decision form (who decides, on what basis) and the links
//! decided so far. Every decision is one batch the Data view — or the toast's Undo — can undo; after
//! one the queue is screened again, and the selection stays where it was (on the next candidate).
import type { Batch } from '$lib/api/bindings/Batch';
import type { Candidate } from '$lib/api/bindings/Candidate';
import type { ImportResult } from '$lib/api/bindings/ImportResult';
import type { LinkDecision } from '$lib/api/bindings/LinkDecision';
import type { LinkView } from '$lib/api/bindings/LinkView';
import type { LinksReport } from '$lib/api/bindings/LinksReport';
import type { PartyCard } from '$lib/api/bindings/PartyCard';
import type { ScreenReview } from '$lib/api/bindings/ScreenReview';
import { bulkBasis, candidateKey, decisionsFor, DEFAULT_MIN_SCORE, identifierMatches, moveIndex, sharedIdentifiers, type Decision } from './queue';

export type ScreeningApi = {
	screen(minScore: number): Promise<ScreenReview>;
	decideLinks(decisions: LinkDecision[]): Promise<ImportResult>;
	links(): Promise<LinksReport>;
	undo(batchId: number): Promise<Batch>;
	/** The OS user's name (may be empty): who decides, unless typed otherwise. */
	userName(): Promise<string>;
};

/** What a recorded decision was: its batch, how many links, and which way. */
export type Decided = { batch: Batch; count: number; decision: Decision };

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class ScreeningState {
	minScore = $state(DEFAULT_MIN_SCORE);
	review = $state.raw<ScreenReview | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	/** The candidate under review, by `candidateKey`. */
	selectedKey = $state<string | null>(null);
	/** Why the candidate under review is decided as it is (optional; blank is sent as null). */
	basis = $state('');
	/** Who decides: the OS user's name until typed otherwise. */
	decidedBy = $state('');
	/** A decision asked for with an empty basis: the form prompts for one, and Enter (or asking again) records it. */
	prompted = $state<Decision | null>(null);
	deciding = $state(false);
	/** Why the last decision was refused (the links rule it broke), or null. */
	refusal = $state<string | null>(null);
	links = $state.raw<LinkView[]>([]);
	linksError = $state<string | null>(null);

	candidates = $derived<Candidate[]>(this.review?.report.candidates ?? []);
	index = $derived(this.candidates.findIndex((c) => candidateKey(c) === this.selectedKey));
	selected = $derived<Candidate | null>(this.candidates[this.index] ?? null);
	/** The candidates "Confirm identifier matches" would record. */
	matches = $derived(identifierMatches(this.candidates));
	/** Identifiers both sides of the selected candidate hold (highlighted on both cards). */
	shared = $derived(this.selected ? sharedIdentifiers(this.party(this.selected.entity_id), this.party(this.selected.other_id)) : new Set<string>());
	/** A decision needs a candidate and who decides it. */
	canDecide = $derived(this.selected !== null && this.decidedBy.trim() !== '' && !this.deciding);

	private seq = 0;
	private userNameAsked = false;

	constructor(private readonly api: ScreeningApi) {}

	/** The first load: who decides (asked once), the queue and the decided links. */
	async init(): Promise<void> {
		if (!this.userNameAsked) {
			this.userNameAsked = true;
			this.api
				.userName()
				.then((name) => {
					if (this.decidedBy.trim() === '') this.decidedBy = name.trim();
				})
				.catch(() => {});
		}
		await Promise.all([this.load(), this.loadLinks()]);
	}

	/** Screens at the threshold; the selection stays on its candidate, else on the one now at its place. */
	async load(): Promise<void> {
		const seq = ++this.seq;
		const at = this.index;
		this.loading = true;
		try {
			const review = await this.api.screen(this.minScore);
			if (seq !== this.seq) return;
			this.review = review;
			this.error = null;
			const candidates = review.report.candidates;
			if (!candidates.some((c) => candidateKey(c) === this.selectedKey)) {
				const next = candidates[Math.min(Math.max(at, 0), candidates.length - 1)];
				this.choose(next ? candidateKey(next) : null);
			}
		} catch (e) {
			if (seq === this.seq) this.error = messageOf(e);
		} finally {
			if (seq === this.seq) this.loading = false;
		}
	}

	async loadLinks(): Promise<void> {
		try {
			this.links = (await this.api.links()).links;
			this.linksError = null;
		} catch (e) {
			this.linksError = messageOf(e);
		}
	}

	async setMinScore(minScore: number): Promise<void> {
		this.minScore = minScore;
		await this.load();
	}

	/** The card of a party the answer names, or null. */
	party(id: string): PartyCard | null {
		return this.review?.parties[id] ?? null;
	}

	select(key: string): void {
		if (key !== this.selectedKey) this.choose(key);
	}

	/** Moves the selection through the queue (j/k, ↓/↑). */
	move(delta: number): void {
		const next = this.candidates[moveIndex(this.index, delta, this.candidates.length)];
		if (next) this.select(candidateKey(next));
	}

	/** A new candidate under review: its own basis, no prompt, no refusal. */
	private choose(key: string | null): void {
		this.selectedKey = key;
		this.basis = '';
		this.prompted = null;
		this.refusal = null;
	}

	/**
	 * Asks for a decision on the selected candidate. With an empty basis the first ask only prompts for
	 * one (answers `'prompted'`); asking again, or Enter in the basis field, records it without.
	 */
	async ask(decision: Decision): Promise<Decided | 'prompted' | null> {
		if (!this.canDecide) return null;
		if (this.basis.trim() === '' && this.prompted !== decision) {
			this.prompted = decision;
			return 'prompted';
		}
		return this.decide(decision);
	}

	/** Enter in the basis field: records the decision asked for, if any. */
	async submit(): Promise<Decided | null> {
		return this.prompted ? this.decide(this.prompted) : null;
	}

	/** Records the selected candidate's decision as one batch, then screens again. */
	async decide(decision: Decision): Promise<Decided | null> {
		const candidate = this.selected;
		if (!candidate || !this.canDecide) return null;
		return this.record(decisionsFor([candidate], decision, this.decidedBy, this.basis), decision);
	}

	/** Confirms every identifier match in the queue as one batch (the typed basis, else each one's shared identifier). */
	async confirmMatches(): Promise<Decided | null> {
		const matches = this.matches;
		if (matches.length === 0 || this.decidedBy.trim() === '' || this.deciding) return null;
		return this.record(decisionsFor(matches, 'same', this.decidedBy, bulkBasis(this.basis)), 'same');
	}

	private async record(decisions: LinkDecision[], decision: Decision): Promise<Decided | null> {
		this.deciding = true;
		this.refusal = null;
		try {
			const result = await this.api.decideLinks(decisions);
			this.basis = '';
			this.prompted = null;
			await Promise.all([this.load(), this.loadLinks()]);
			return { batch: result.batch, count: decisions.length, decision };
		} catch (e) {
			this.refusal = messageOf(e);
			return null;
		} finally {
			this.deciding = false;
		}
	}

	/** Undoes a decision's batch and screens again (its candidates come back). */
	async undo(batchId: number): Promise<void> {
		await this.api.undo(batchId);
		await Promise.all([this.load(), this.loadLinks()]);
	}
}
