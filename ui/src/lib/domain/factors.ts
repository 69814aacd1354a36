//! The eight factors as the UI names, orders and colours them. Colours are Okabe–Ito (colour-blind
//! safe) and the same everywhere: tables, bars, cards and legends read them from CSS variables
//! `--f-<factor>` so the dark theme can swap privilege's black for grey.
import type { Factor } from '$lib/api/bindings/Factor';
import type { FactorValues } from '$lib/api/bindings/FactorValues';
import type { Band } from '$lib/api/bindings/Band';

/** The spec's factor order (risk-model.md); every map and table follows it. */
export const FACTORS: readonly Factor[] = [
	'ownership',
	'ties',
	'jurisdiction',
	'market',
	'testimony',
	'designations',
	'install_base',
	'privilege'
];

export const FACTOR_LABELS: Record<Factor, string> = {
	ownership: 'Ownership',
	ties: 'Ties',
	jurisdiction: 'Jurisdiction',
	market: 'Market',
	testimony: 'Testimony',
	designations: 'Designations',
	install_base: 'Install base',
	privilege: 'Privilege'
};

export const FACTOR_HINTS: Record<Factor, string> = {
	ownership: 'Foreign-adversary ownership, through chains of holdings',
	ties: 'Non-equity ties of the vendor or its controllers to entities of concern',
	jurisdiction: 'Headquartered in a country of concern',
	market: 'Share of revenue from countries of concern',
	testimony: 'Graded official statements, decaying with age',
	designations: 'Listed on a designation list (or 50 %-owned by listed entities)',
	install_base: 'Exposure by number of users',
	privilege: 'What the product can do on a machine'
};

/** Light-theme hex values (the dark theme only changes privilege, see app.css). */
export const FACTOR_COLOURS: Record<Factor, string> = {
	ownership: '#E69F00',
	ties: '#56B4E9',
	jurisdiction: '#009E73',
	market: '#F0E442',
	testimony: '#0072B2',
	designations: '#D55E00',
	install_base: '#CC79A7',
	privilege: '#000000'
};

export function factorColourVar(factor: Factor): string {
	return `var(--f-${factor})`;
}

export const PRESET_NAMES = ['default', 'equal', 'bod-17-01', 'ownership-first', 'exposure-first'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Raw preset weights, as the engine ships them (src/scoring/weights.rs). */
export const PRESET_WEIGHTS: Record<PresetName, FactorValues> = {
	default: fromArray([20, 15, 10, 5, 15, 15, 10, 10]),
	equal: fromArray([1, 1, 1, 1, 1, 1, 1, 1]),
	'bod-17-01': fromArray([0, 1, 1, 0, 0, 0, 0, 1]),
	'ownership-first': fromArray([40, 15, 10, 5, 15, 30, 10, 10]),
	'exposure-first': fromArray([20, 15, 10, 5, 15, 15, 30, 30])
};

export function isPreset(name: string): name is PresetName {
	return (PRESET_NAMES as readonly string[]).includes(name);
}

export function fromArray(values: readonly number[]): FactorValues {
	const out = {} as FactorValues;
	FACTORS.forEach((factor, i) => (out[factor] = values[i] ?? 0));
	return out;
}

export function toArray(values: FactorValues): number[] {
	return FACTORS.map((factor) => values[factor]);
}

export function sumOf(values: FactorValues): number {
	return FACTORS.reduce((sum, factor) => sum + values[factor], 0);
}

/** Weights normalised to sum 1; `null` when they are all zero (the engine's error case). */
export function normalise(raw: FactorValues): FactorValues | null {
	const total = sumOf(raw);
	if (!(total > 0)) return null;
	const out = {} as FactorValues;
	for (const factor of FACTORS) out[factor] = raw[factor] / total;
	return out;
}

export const BANDS: readonly Band[] = ['severe', 'high', 'moderate', 'low'];

export const BAND_LABELS: Record<Band, string> = {
	low: 'Low',
	moderate: 'Moderate',
	high: 'High',
	severe: 'Severe'
};

/** risk-model.md: low < 25 ≤ moderate < 50 ≤ high < 75 ≤ severe, on the score rounded to 9 decimals. */
export function bandOf(score: number): Band {
	const s = round9(score);
	if (s >= 75) return 'severe';
	if (s >= 50) return 'high';
	if (s >= 25) return 'moderate';
	return 'low';
}

export function round9(x: number): number {
	return Math.round(x * 1e9) / 1e9;
}

/** ISO alpha-2, as the engine accepts it. */
export function isCountryCode(code: string): boolean {
	return /^[A-Z]{2}$/.test(code);
}
