//! How the Screening view words and picks candidates, pure so it is tested on its own: the queue's
//! counts line, which candidates are identifier matches (what the bulk confirmation takes), which
//! identifiers both parties hold, and the lines of a party card (shares, listing dates, periods).
//! Every name, id and reason is data and is shown as text.
import type { Candidate } from '$lib/api/bindings/Candidate';
import type { IdentifierPair } from '$lib/api/bindings/IdentifierPair';
import type { LinkDecision } from '$lib/api/bindings/LinkDecision';
import type { ListingLine } from '$lib/api/bindings/ListingLine';
import type { OwnerLine } from '$lib/api/bindings/OwnerLine';
import type { PartyCard } from '$lib/api/bindings/PartyCard';
import type { ScreenReport } from '$lib/api/bindings/ScreenReport';

/** The engine's default threshold (`screening::DEFAULT_MIN_SCORE`). */
export const DEFAULT_MIN_SCORE = 0.7;

/** The thresholds the view offers, 0.50 to 0.95 by 0.05. */
export const MIN_SCORES: readonly number[] = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100);

export type Decision = 'same' | 'different';

/** A candidate's pair, as a key (the book's side first, as the engine gives it). */
export function candidateKey(c: Pick<Candidate, 'entity_id' | 'other_id'>): string {
	return `${c.entity_id}\u0000${c.other_id}`;
}

/** A match score in [0, 1], as the engine's reasons write theirs: two decimals. */
export function fmtMatch(score: number): string {
	return score.toFixed(2);
}

function plural(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

/** "3 candidates between 17 book parties and 31 published parties at ≥ 0.70". */
export function countsLine(report: ScreenReport): string {
	return `${plural(report.candidates.length, 'candidate', 'candidates')} between ${plural(report.book, 'book party', 'book parties')} and ${plural(report.others, 'published party', 'published parties')} at ≥ ${fmtMatch(report.min_score)}`;
}

/** How the engine words a shared identifier (`same identifier <scheme> <value>`, src/screening/mod.rs). */
export const IDENTIFIER_REASON = 'same identifier ';

/** The reason saying both parties hold one identifier, or null. */
export function identifierReason(c: Candidate): string | null {
	return c.reasons.find((r) => r.startsWith(IDENTIFIER_REASON)) ?? null;
}

/** A shared identifier is decisive: the engine scores it 1 and says so first among the reasons. */
export function isIdentifierMatch(c: Candidate): boolean {
	return c.score >= 1 && identifierReason(c) !== null;
}

/** The queue's identifier matches, in queue order: what "Confirm identifier matches" records. */
export function identifierMatches(candidates: readonly Candidate[]): Candidate[] {
	return candidates.filter(isIdentifierMatch);
}

/** An identifier as the engine compares it: the scheme as written, the value trimmed. */
export function identifierKey(pair: IdentifierPair): string {
	return `${pair.scheme}\u0000${pair.value.trim()}`;
}

/** The identifiers (as `identifierKey`s) both parties hold; empty when either card is missing. */
export function sharedIdentifiers(a: PartyCard | null | undefined, b: PartyCard | null | undefined): Set<string> {
	if (!a || !b) return new Set();
	const other = new Set(b.identifiers.map(identifierKey));
	return new Set(a.identifiers.map(identifierKey).filter((key) => other.has(key)));
}

/** A party's name (its first), or its id when the answer carries no card for it. */
export function partyName(card: PartyCard | null | undefined, id: string): string {
	return card?.names[0] ?? id;
}

/** A party's other names. */
export function aliasesOf(card: PartyCard): string[] {
	return card.names.slice(1);
}

/** The lists a party is on, each once, in the card's order. */
export function listsOf(card: PartyCard | null | undefined): string[] {
	return [...new Set((card?.listings ?? []).map((l) => l.list))];
}

/** A share in [0, 1] as a percentage with at most one decimal: 0.5 → "50", 0.125 → "12.5". */
function pct(share: number): string {
	return String(Math.round(share * 1000) / 10);
}

/**
 * An ownership share: exact ("51 %"), a range ("25–50 %", `share` being its low end), only a bound
 * ("up to 50 %", "at least 25 %"), or "" when none is given (a controller without equity).
 */
export function fmtShare(share: number | null, shareMax: number | null): string {
	if (share === null && shareMax === null) return '';
	if (share === null) return `up to ${pct(shareMax!)} %`;
	if (shareMax === null || pct(shareMax) === pct(share)) return `${pct(share)} %`;
	return `${pct(share)}–${pct(shareMax)} %`;
}

/** An owner line's relation in words. */
export function relationLabel(relation: string): string {
	if (relation === 'equity') return 'Owner (equity)';
	if (relation === 'control') return 'Controller';
	return relation;
}

/** Who an owner line names: the owner's name, or its id when the store has none. */
export function ownerName(line: OwnerLine): string {
	return line.owner_name?.trim() || line.owner_id;
}

/** When a listing took effect: the date, or "on or before" it when the list gives no designation date. */
export function fmtEffective(listing: Pick<ListingLine, 'effective' | 'effective_precision'>): string {
	return listing.effective_precision === 'on_or_before' ? `on or before ${listing.effective}` : listing.effective;
}

/** A period: "2019-01-01 – 2021-12-31", "since 2019-01-01", "until 2021-12-31", or "" when undated. */
export function fmtPeriod(since: string | null, until: string | null): string {
	if (since && until) return `${since} – ${until}`;
	if (since) return `since ${since}`;
	if (until) return `until ${until}`;
	return '';
}

/** A country code as a card shows it: a region or unknown code (`XRW`, `WORLD`) says so. */
export function fmtCountry(code: string): string {
	if (code === '') return 'not given';
	return /^[A-Z]{2}$/.test(code) ? code : `${code} (region or unknown)`;
}

/**
 * The decisions to send for candidates: `basis` is the typed text (null when blank), or a function
 * giving one per candidate (the bulk confirmation's identifier reason).
 */
export function decisionsFor(
	candidates: readonly Candidate[],
	decision: Decision,
	decidedBy: string,
	basis: string | ((c: Candidate) => string | null)
): LinkDecision[] {
	return candidates.map((c) => {
		const text = typeof basis === 'function' ? basis(c) : basis;
		return {
			entity_id: c.entity_id,
			other_id: c.other_id,
			decision,
			decided_by: decidedBy.trim(),
			basis: text === null || text.trim() === '' ? null : text.trim()
		};
	});
}

/** The basis the bulk confirmation records for a candidate: what the analyst typed, else the identifier the two share. */
export function bulkBasis(typed: string): (c: Candidate) => string | null {
	return (c) => (typed.trim() !== '' ? typed.trim() : identifierReason(c));
}

/** The index after moving `delta` rows through a queue of `length`, kept inside it (-1 for an empty queue). */
export function moveIndex(index: number, delta: number, length: number): number {
	if (length === 0) return -1;
	if (index < 0) return delta >= 0 ? 0 : length - 1;
	return Math.min(length - 1, Math.max(0, index + delta));
}

export type ScreeningKeyAction = 'next' | 'previous' | 'same' | 'different' | 'basis';

/** The Screening page's own keys (the layout hands over the keys no app shortcut takes). */
export const SCREENING_SHORTCUTS: readonly { keys: string; label: string; action: ScreeningKeyAction }[] = [
	{ keys: 'j / ↓', label: 'Next candidate', action: 'next' },
	{ keys: 'k / ↑', label: 'Previous candidate', action: 'previous' },
	{ keys: 's', label: 'Confirm same legal person', action: 'same' },
	{ keys: 'd', label: 'Reject: different legal persons', action: 'different' },
	{ keys: 'b', label: 'Write the basis of the decision (Enter records it)', action: 'basis' }
];

export function screeningKey(key: string): ScreeningKeyAction | null {
	switch (key) {
		case 'j':
		case 'ArrowDown':
			return 'next';
		case 'k':
		case 'ArrowUp':
			return 'previous';
		case 's':
			return 'same';
		case 'd':
			return 'different';
		case 'b':
			return 'basis';
		default:
			return null;
	}
}
