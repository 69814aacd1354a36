//! How "What changed" reads a changes report, pure so it is tested on its own: which vendors moved
//! (band, rank, prohibited or possibly prohibited) and by how much, a move in words, the facts behind
//! it grouped by table, and the two ends a user types (a batch number or a date).
import type { Band } from '$lib/api/bindings/Band';
import type { FactChange } from '$lib/api/bindings/FactChange';
import type { Standing } from '$lib/api/bindings/Standing';
import type { VendorChange } from '$lib/api/bindings/VendorChange';
import { BAND_LABELS } from '$lib/domain/factors';
import { fmtScore, fmtSigned } from '$lib/domain/format';

const BAND_STEP: Record<Band, number> = { low: 0, moderate: 1, high: 2, severe: 3 };

/** A vendor that is new at the end, or gone by it. */
export function isNew(v: VendorChange): boolean {
	return v.before === null && v.after !== null;
}

export function isGone(v: VendorChange): boolean {
	return v.before !== null && v.after === null;
}

/** What moved between the two standings (none for a vendor at one end only). */
export type Movement = {
	/** Bands up (riskier, positive) or down. */
	bands: number;
	/** Places up (riskier: rank 3 → 1 is +2) or down. */
	places: number;
	prohibited: boolean;
	possibly: boolean;
	/** Score change in points. */
	score: number;
};

export function movement(v: VendorChange): Movement {
	const [a, b] = [v.before, v.after];
	if (!a || !b) return { bands: 0, places: 0, prohibited: false, possibly: false, score: 0 };
	return {
		bands: BAND_STEP[b.band] - BAND_STEP[a.band],
		places: a.rank - b.rank,
		prohibited: a.prohibited !== b.prohibited,
		possibly: a.possibly_prohibited !== b.possibly_prohibited,
		score: b.score - a.score
	};
}

/** Whether a vendor moved where it counts: band, rank, prohibited or possibly prohibited (or it is new or gone). */
export function hasMoved(v: VendorChange): boolean {
	if (isNew(v) || isGone(v)) return true;
	const m = movement(v);
	return m.bands !== 0 || m.places !== 0 || m.prohibited || m.possibly;
}

/**
 * How much a vendor moved, for the order: a change of prohibited status outweighs one of possibly
 * prohibited, which outweighs a band, which outweighs a rank, which outweighs the score.
 */
function weight(v: VendorChange): number[] {
	const m = movement(v);
	const appears = isNew(v) || isGone(v) ? 1 : 0;
	return [Number(m.prohibited), Number(m.possibly), appears, Math.abs(m.bands), Math.abs(m.places), Math.abs(m.score), v.facts.length];
}

function byWeight(a: VendorChange, b: VendorChange): number {
	const [wa, wb] = [weight(a), weight(b)];
	for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return wb[i]! - wa[i]!;
	return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.vendor_id < b.vendor_id ? -1 : 1);
}

/** The vendors that moved (most first), then those whose score or facts only changed (most first). */
export function splitChanges(vendors: readonly VendorChange[]): { moved: VendorChange[]; other: VendorChange[] } {
	return {
		moved: vendors.filter(hasMoved).sort(byWeight),
		other: vendors.filter((v) => !hasMoved(v)).sort(byWeight)
	};
}

/** The designations a standing gains and loses. */
export function designationChanges(before: Standing | null, after: Standing | null): { added: string[]; removed: string[] } {
	const [a, b] = [new Set(before?.designations ?? []), new Set(after?.designations ?? [])];
	return { added: [...b].filter((d) => !a.has(d)), removed: [...a].filter((d) => !b.has(d)) };
}

function status(s: Standing): string {
	return s.prohibited ? 'prohibited' : s.possibly_prohibited ? 'possibly prohibited' : 'not prohibited';
}

/** A vendor's move in short phrases, the weightiest first: "now prohibited", "band High → Severe", "rank 3 → 1", … */
export function describeMove(v: VendorChange): string[] {
	const [a, b] = [v.before, v.after];
	if (!a && b) return [`new: rank ${b.rank}, ${BAND_LABELS[b.band]}, score ${fmtScore(b.score)}`];
	if (a && !b) return [`no longer in the store (was rank ${a.rank}, ${BAND_LABELS[a.band]})`];
	if (!a || !b) return [];
	const m = movement(v);
	const out: string[] = [];
	if (m.prohibited || m.possibly) out.push(`${status(a)} → ${status(b)}`);
	if (m.bands !== 0) out.push(`band ${BAND_LABELS[a.band]} → ${BAND_LABELS[b.band]}`);
	if (m.places !== 0) out.push(`rank ${a.rank} → ${b.rank}`);
	if (Math.abs(m.score) >= 0.05) out.push(`score ${fmtScore(a.score)} → ${fmtScore(b.score)} (${fmtSigned(m.score)})`);
	else if (m.score !== 0) out.push('score changed by less than 0.1');
	const { added, removed } = designationChanges(a, b);
	if (added.length > 0) out.push(`designated on ${added.join(', ')}`);
	if (removed.length > 0) out.push(`no longer designated on ${removed.join(', ')}`);
	return out;
}

/** A fact's key as the row's key cells, in the order the report gives them (columns with a value). */
export function factKeyParts(fact: FactChange): { column: string; value: string }[] {
	return Object.entries(fact.key)
		.filter(([, value]) => value !== '')
		.map(([column, value]) => ({ column, value }));
}

/** A fact's key in one line: "subject_id csl:x · list US-BIS-ENTITY · effective 2024-06-24". */
export function fmtFactKey(fact: FactChange): string {
	return factKeyParts(fact)
		.map(({ column, value }) => `${column} ${value}`)
		.join(' · ');
}

/** Counts of facts by change: "2 added, 1 replaced". */
export function factSummary(facts: readonly FactChange[]): string {
	const order = ['added', 'removed', 'replaced'];
	const counts = new Map<string, number>();
	for (const f of facts) counts.set(f.change, (counts.get(f.change) ?? 0) + 1);
	return [...counts.entries()]
		.sort((a, b) => (order.indexOf(a[0]) + 1 || 99) - (order.indexOf(b[0]) + 1 || 99))
		.map(([change, n]) => `${n} ${change}`)
		.join(', ');
}

/** Facts grouped by table, in the report's order. */
export function factsByTable(facts: readonly FactChange[]): { table: string; facts: FactChange[] }[] {
	const groups = new Map<string, FactChange[]>();
	for (const f of facts) groups.set(f.table, [...(groups.get(f.table) ?? []), f]);
	return [...groups.entries()].map(([table, list]) => ({ table, facts: list }));
}

/** Why a typed end is not one (a batch number or a real date YYYY-MM-DD), or null; empty is fine (the default end). */
export function endError(text: string): string | null {
	const t = text.trim();
	if (t === '' || /^\d+$/.test(t)) return null;
	if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
		const date = new Date(`${t}T00:00:00Z`);
		return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(t) ? null : `${t} is not a calendar date`;
	}
	return 'Type a batch number (e.g. 3) or a date YYYY-MM-DD';
}

/** A typed end as the command takes it: null when empty (the default end), else the text trimmed. */
export function endValue(text: string): string | null {
	const t = text.trim();
	return t === '' ? null : t;
}
