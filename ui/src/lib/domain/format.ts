//! Number and date formatting shared by every view, so a score reads the same everywhere.

export function fmtScore(score: number): string {
	return score.toFixed(1);
}

export function fmtValue(value: number): string {
	return value.toFixed(2);
}

export function fmtWeight(weight: number): string {
	return `${(weight * 100).toFixed(1)} %`;
}

export function fmtPercent(share: number, digits = 1): string {
	return `${(share * 100).toFixed(digits)} %`;
}

export function fmtSigned(x: number, digits = 1): string {
	const s = x.toFixed(digits);
	return x > 0 ? `+${s}` : s;
}

/** `↑2` for a vendor that moved up two places (riskier), `↓1` for one that moved down, `` for none. */
export function rankArrow(change: number): string {
	if (change > 0) return `↑${change}`;
	if (change < 0) return `↓${-change}`;
	return '';
}

export function fmtDateTime(iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function fmtCount(n: number): string {
	return n.toLocaleString('en-US');
}

/** A date as YYYY-MM-DD in the local time zone (what "today" is where the user sits, not in UTC). */
export function localDate(date: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${String(date.getFullYear()).padStart(4, '0')}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first characters of a hash, for reading; show the whole one in a title. */
export function shortHash(hash: string, length = 12): string {
	return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}
