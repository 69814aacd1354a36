//! The AHP pairwise editor: the upper triangle of an 8 × 8 comparison matrix on Saaty's scale. Each
//! cell says how much more the row factor matters than the column factor (1/9 … 9); the engine turns
//! the pairs into weights and a consistency ratio.
import type { AhpPair } from '$lib/api/bindings/AhpPair';
import type { AhpResult } from '$lib/api/bindings/AhpResult';
import type { Factor } from '$lib/api/bindings/Factor';
import { FACTORS } from '$lib/domain/factors';

export const SAATY_VALUES: readonly number[] = [9, 8, 7, 6, 5, 4, 3, 2, 1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9];
export const CR_LIMIT = 0.1;

export function saatyLabel(value: number): string {
	if (value >= 1) return String(Math.round(value));
	return `1/${Math.round(1 / value)}`;
}

const WORDS: Record<number, string> = { 1: 'equally', 3: 'moderately more', 5: 'strongly more', 7: 'very strongly more', 9: 'extremely more' };

/** "Ownership strongly more important than Ties", for the select's options and tooltips. */
export function saatyMeaning(value: number): string {
	const v = value >= 1 ? Math.round(value) : Math.round(1 / value);
	const words = WORDS[v] ?? (v === 1 ? 'equally' : `${v} (between)`);
	if (value === 1) return 'equally important';
	return value > 1 ? `row ${words} important` : `column ${words} important`;
}

export function pairKey(a: Factor, b: Factor): string {
	return `${a}|${b}`;
}

/** Every unordered pair once, row factor before column factor in the spec's order. */
export function upperPairs(): [Factor, Factor][] {
	const pairs: [Factor, Factor][] = [];
	FACTORS.forEach((a, i) => FACTORS.slice(i + 1).forEach((b) => pairs.push([a, b])));
	return pairs;
}

export type AhpApi = { ahp(pairs: AhpPair[]): Promise<AhpResult> };

export class AhpEditor {
	values = $state<Record<string, number>>(Object.fromEntries(upperPairs().map(([a, b]) => [pairKey(a, b), 1])));
	result = $state.raw<AhpResult | null>(null);
	error = $state<string | null>(null);

	pairs = $derived<AhpPair[]>(upperPairs().map(([a, b]) => ({ a, b, value: this.values[pairKey(a, b)] ?? 1 })));
	inconsistent = $derived(this.result !== null && this.result.cr > CR_LIMIT);

	private seq = 0;

	constructor(private readonly api: AhpApi) {}

	/** The matrix entry for any ordered pair: the reciprocal below the diagonal. */
	value(row: Factor, column: Factor): number {
		if (row === column) return 1;
		const direct = this.values[pairKey(row, column)];
		if (direct !== undefined) return direct;
		return 1 / (this.values[pairKey(column, row)] ?? 1);
	}

	set(a: Factor, b: Factor, value: number): Promise<void> {
		this.values[pairKey(a, b)] = value;
		return this.compute();
	}

	reset(): Promise<void> {
		for (const key of Object.keys(this.values)) this.values[key] = 1;
		return this.compute();
	}

	async compute(): Promise<void> {
		const seq = ++this.seq;
		try {
			const result = await this.api.ahp(this.pairs);
			if (seq !== this.seq) return;
			this.result = result;
			this.error = null;
		} catch (e) {
			if (seq === this.seq) this.error = e instanceof Error ? e.message : String(e);
		}
	}
}
