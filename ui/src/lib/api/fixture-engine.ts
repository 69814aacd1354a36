//! The scoring maths of risk-model.md over a fixed factor matrix, for the fixture backend only (the
//! browser preview and the tests). The desktop app never runs this: there the Rust engine computes the
//! factors from the store and does all of this itself. What cannot be recomputed from a fixed matrix
//! (a different as-of date, other countries of concern) is not simulated here.
import type { AhpPair } from './bindings/AhpPair';
import type { AhpResult } from './bindings/AhpResult';
import type { Factor } from './bindings/Factor';
import type { FactorValues } from '$lib/domain/factors';
import type { Method } from './bindings/Method';
import type { MissingPolicy } from './bindings/MissingPolicy';
import type { SensitivityReport } from './bindings/SensitivityReport';
import type { SmaaModeName } from './commands';
import type { ErrorCode } from './errors';
import type { SmaaResult } from './bindings/SmaaResult';
import type { SmaaVendor } from './bindings/SmaaVendor';
import type { VendorScore } from './bindings/VendorScore';
import { bandOf, FACTORS, normalise, round9 } from '$lib/domain/factors';

/** One vendor's row of the factor matrix plus what scoring needs besides the factors. */
export type MatrixRow = {
	vendor_id: string;
	name: string;
	/** Factor values as computed; the entries listed in `missing` are replaced per the missing policy. */
	factors: FactorValues;
	missing: Factor[];
	mitigation: number;
	prohibited: boolean;
	designations: string[];
};

export class EngineError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string
	) {
		super(message);
	}
}

const MISSING_VALUE: Record<MissingPolicy, number> = { zero: 0, neutral: 0.5, worst: 1 };

/** The matrix the methods see: missing factors take the policy's value. */
export function effectiveValues(rows: readonly MatrixRow[], missing: MissingPolicy): Float64Array {
	const n = rows.length;
	const x = new Float64Array(n * 8);
	for (let i = 0; i < n; i++) {
		const row = rows[i]!;
		for (let j = 0; j < 8; j++) {
			const factor = FACTORS[j]!;
			x[i * 8 + j] = row.missing.includes(factor) ? MISSING_VALUE[missing] : row.factors[factor];
		}
	}
	return x;
}

/** Final (mitigated) scores of every row, in row order. `w` is normalised. */
export function methodScores(
	x: Float64Array,
	rows: readonly MatrixRow[],
	w: readonly number[],
	method: Method
): Float64Array {
	const n = rows.length;
	const out = new Float64Array(n);
	if (method === 'weighted_sum') {
		for (let i = 0; i < n; i++) {
			let s = 0;
			for (let j = 0; j < 8; j++) s += w[j]! * x[i * 8 + j]!;
			out[i] = 100 * s * (1 - rows[i]!.mitigation);
		}
	} else if (method === 'weighted_product') {
		for (let i = 0; i < n; i++) {
			let p = 1;
			for (let j = 0; j < 8; j++) p *= Math.pow(0.01 + 0.99 * x[i * 8 + j]!, w[j]!);
			out[i] = 100 * p * (1 - rows[i]!.mitigation);
		}
	} else {
		const norms = new Float64Array(8);
		for (let i = 0; i < n; i++) for (let j = 0; j < 8; j++) norms[j]! += x[i * 8 + j]! ** 2;
		for (let j = 0; j < 8; j++) norms[j] = Math.sqrt(norms[j]!);
		const v = new Float64Array(n * 8);
		const best = new Float64Array(8).fill(-Infinity);
		const worst = new Float64Array(8).fill(Infinity);
		for (let i = 0; i < n; i++)
			for (let j = 0; j < 8; j++) {
				const r = norms[j]! === 0 ? 0 : x[i * 8 + j]! / norms[j]!;
				const vij = w[j]! * r;
				v[i * 8 + j] = vij;
				if (vij > best[j]!) best[j] = vij;
				if (vij < worst[j]!) worst[j] = vij;
			}
		for (let i = 0; i < n; i++) {
			let dPlus = 0;
			let dMinus = 0;
			for (let j = 0; j < 8; j++) {
				dPlus += (v[i * 8 + j]! - best[j]!) ** 2;
				dMinus += (v[i * 8 + j]! - worst[j]!) ** 2;
			}
			dPlus = Math.sqrt(dPlus);
			dMinus = Math.sqrt(dMinus);
			const s = dPlus + dMinus === 0 ? 50 : (100 * dMinus) / (dPlus + dMinus);
			out[i] = s * (1 - rows[i]!.mitigation);
		}
	}
	return out;
}

/** Row indices by rank: score rounded to 9 decimals, descending; ties by vendor_id. */
export function rankOrder(rows: readonly MatrixRow[], scores: Float64Array): number[] {
	const rounded = Array.from(scores, round9);
	const order = rows.map((_, i) => i);
	order.sort((a, b) => {
		const d = rounded[b]! - rounded[a]!;
		if (d !== 0) return d;
		const ia = rows[a]!.vendor_id;
		const ib = rows[b]!.vendor_id;
		return ia < ib ? -1 : ia > ib ? 1 : 0;
	});
	return order;
}

function ranksOf(rows: readonly MatrixRow[], scores: Float64Array): Int32Array {
	const ranks = new Int32Array(rows.length);
	rankOrder(rows, scores).forEach((row, position) => (ranks[row] = position + 1));
	return ranks;
}

function normalisedArray(raw: FactorValues): number[] {
	const w = normalise(raw);
	if (!w) throw new EngineError('invalid', 'all weights are zero');
	return FACTORS.map((f) => w[f]);
}

/** Scores and ranks every vendor: the fixture backend's `score`. */
export function scoreMatrix(
	rows: readonly MatrixRow[],
	rawWeights: FactorValues,
	method: Method,
	missing: MissingPolicy
): VendorScore[] {
	const w = normalisedArray(rawWeights);
	const x = effectiveValues(rows, missing);
	const scores = methodScores(x, rows, w, method);
	return rankOrder(rows, scores).map((i, position) => {
		const row = rows[i]!;
		const score = scores[i]!;
		const factors = {} as FactorValues;
		FACTORS.forEach((f, j) => (factors[f] = x[i * 8 + j]!));
		let contributions: FactorValues | null = null;
		if (method === 'weighted_sum') {
			contributions = {} as FactorValues;
			FACTORS.forEach((f, j) => (contributions![f] = 100 * w[j]! * x[i * 8 + j]! * (1 - row.mitigation)));
		}
		return {
			vendor_id: row.vendor_id,
			name: row.name,
			rank: position + 1,
			score,
			band: bandOf(score),
			prohibited: row.prohibited,
			designations: row.designations,
			mitigation: row.mitigation,
			factors,
			contributions,
			missing: row.missing
		};
	});
}

/** Tornado (scenario's method) and stability intervals (always weighted_sum), per risk-model.md. */
export function sensitivity(
	rows: readonly MatrixRow[],
	vendorId: string,
	rawWeights: FactorValues,
	method: Method,
	missing: MissingPolicy,
	delta: number
): SensitivityReport {
	if (!(delta > 0 && delta <= 1)) throw new EngineError('invalid', 'delta must be in (0, 1]');
	const v = rows.findIndex((r) => r.vendor_id === vendorId);
	if (v < 0) throw new EngineError('invalid', `unknown vendor ${vendorId}`);
	const w = normalisedArray(rawWeights);
	const x = effectiveValues(rows, missing);
	const tornado = FACTORS.map((factor, j) => {
		const at = (scale: number) => {
			const moved = w.map((wk, k) => (k === j ? wk * scale : wk));
			const total = moved.reduce((a, b) => a + b, 0);
			if (!(total > 0)) throw new EngineError('invalid', 'all weights are zero');
			const scores = methodScores(x, rows, moved.map((m) => m / total), method);
			return { score: scores[v]!, rank: ranksOf(rows, scores)[v]! };
		};
		const low = at(1 - delta);
		const high = at(1 + delta);
		return { factor, low_score: low.score, high_score: high.score, low_rank: low.rank, high_rank: high.rank };
	});

	const current = methodScores(x, rows, w, 'weighted_sum');
	const stability = FACTORS.map((factor, j) => {
		const wj = w[j]!;
		// s_i(t) = (1 - m_i) (t x_ij + (1 - t) c_i): linear in t.
		const line = (i: number) => {
			let rest = 0;
			for (let k = 0; k < 8; k++) if (k !== j) rest += w[k]! * x[i * 8 + k]!;
			const c = wj >= 1 ? 0 : rest / (1 - wj);
			const keep = 1 - rows[i]!.mitigation;
			return { a: keep * c * 100, b: keep * (x[i * 8 + j]! - c) * 100 };
		};
		const lv = line(v);
		let lo = 0;
		let hi = 1;
		for (let o = 0; o < rows.length; o++) {
			if (o === v) continue;
			const lOther = line(o);
			const a = lv.a - lOther.a;
			const b = lv.b - lOther.b;
			if (b === 0) continue;
			const t = -a / b;
			const tied = round9(current[v]!) === round9(current[o]!);
			if (tied) {
				lo = Math.max(lo, Math.min(wj, t));
				hi = Math.min(hi, Math.max(wj, t));
			} else if (t <= wj) lo = Math.max(lo, t);
			else hi = Math.min(hi, t);
		}
		return { factor, weight: wj, lo: Math.max(0, lo), hi: Math.min(1, hi) };
	});
	return { vendor_id: vendorId, tornado, stability };
}

/** A small seeded generator (mulberry32): enough for a preview, not the engine's ChaCha8. */
function rng(seed: number): () => number {
	let a = seed >>> 0 || 0x9e3779b9;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function gaussian(next: () => number): number {
	const u = Math.max(next(), 1e-300);
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** Gamma(alpha, 1) by Marsaglia–Tsang, boosted for alpha < 1. */
function gamma(alpha: number, next: () => number): number {
	if (alpha < 1) return gamma(alpha + 1, next) * Math.pow(Math.max(next(), 1e-300), 1 / alpha);
	const d = alpha - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let z: number;
		let v: number;
		do {
			z = gaussian(next);
			v = 1 + c * z;
		} while (v <= 0);
		v = v * v * v;
		const u = next();
		if (Math.log(Math.max(u, 1e-300)) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
	}
}

export type SmaaOptions = {
	samples: number;
	seed: number;
	mode: SmaaModeName;
	kappa: number;
	ranks: number | null;
	method: Method;
	missing: MissingPolicy;
};

/**
 * SMAA-2 rank acceptability, in chunks so a caller can report progress and stop between them.
 * `onChunk` returns false to cancel (the run then rejects with code `cancelled`).
 */
export async function smaa(
	rows: readonly MatrixRow[],
	rawWeights: FactorValues,
	options: SmaaOptions,
	onChunk: (done: number, total: number) => Promise<boolean>
): Promise<SmaaResult> {
	if (options.method === 'topsis') throw new EngineError('invalid', 'SMAA needs weighted_sum or weighted_product');
	if (!(options.samples >= 1)) throw new EngineError('invalid', 'samples must be at least 1');
	if (options.ranks === 0) throw new EngineError('invalid', 'ranks must be at least 1');
	const n = rows.length;
	const w = normalisedArray(rawWeights);
	const x = effectiveValues(rows, options.missing);
	const next = rng(options.seed);
	const counts = new Float64Array(n * n);
	const central = new Float64Array(n * 8);
	const chunk = 500;
	const sample = new Array<number>(8);
	for (let done = 0; done < options.samples; ) {
		const end = Math.min(options.samples, done + chunk);
		for (; done < end; done++) {
			let total = 0;
			for (let j = 0; j < 8; j++) {
				const alpha = options.mode === 'uniform' ? 1 : options.kappa * w[j]! + 1e-9;
				sample[j] = gamma(alpha, next);
				total += sample[j]!;
			}
			for (let j = 0; j < 8; j++) sample[j] = sample[j]! / total;
			const order = rankOrder(rows, methodScores(x, rows, sample, options.method));
			order.forEach((i, r) => (counts[i * n + r]! += 1));
			const first = order[0]!;
			for (let j = 0; j < 8; j++) central[first * 8 + j]! += sample[j]!;
		}
		if (!(await onChunk(done, options.samples))) throw new EngineError('cancelled', 'SMAA run cancelled');
	}
	const k = Math.min(options.ranks ?? (n <= 100 ? n : 10), n);
	const vendors: SmaaVendor[] = rows.map((row, i) => {
		const b = Array.from({ length: n }, (_, r) => counts[i * n + r]! / options.samples);
		const firsts = counts[i * n]!;
		let centralWeights: FactorValues | null = null;
		if (firsts > 0) {
			centralWeights = {} as FactorValues;
			FACTORS.forEach((f, j) => (centralWeights![f] = central[i * 8 + j]! / firsts));
		}
		const holistic = n === 1 ? 1 : b.reduce((sum, br, r) => sum + (br * (n - (r + 1))) / (n - 1), 0);
		return { vendor_id: row.vendor_id, acceptability: b.slice(0, k), central_weights: centralWeights, holistic };
	});
	vendors.sort((a, b) => (a.vendor_id < b.vendor_id ? -1 : a.vendor_id > b.vendor_id ? 1 : 0));
	const mode = options.mode === 'around' ? { mode: 'around' as const, kappa: options.kappa } : { mode: 'uniform' as const };
	return { samples: options.samples, seed: options.seed, ...mode, method: options.method, ranks: k, vendors };
}

/** Saaty's random index for n = 1..10. */
const RANDOM_INDEX = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/** AHP weights from pairwise comparisons: principal eigenvector by power iteration, CI and CR. */
export function ahp(pairs: readonly AhpPair[]): AhpResult {
	const used = FACTORS.filter((f) => pairs.some((p) => p.a === f || p.b === f));
	const n = used.length;
	if (n === 0) throw new EngineError('invalid', 'no comparisons given');
	const index = new Map(used.map((f, i) => [f, i]));
	const a: number[][] = used.map(() => used.map(() => 0));
	used.forEach((_, i) => (a[i]![i] = 1));
	for (const { a: fa, b: fb, value } of pairs) {
		if (fa === fb) throw new EngineError('invalid', `self pair ${fa}`);
		if (!(value >= 1 / 9 - 1e-12 && value <= 9 + 1e-12))
			throw new EngineError('invalid', `${fa} over ${fb}: ${value} is outside [1/9, 9]`);
		const i = index.get(fa)!;
		const j = index.get(fb)!;
		if (a[i]![j] !== 0) throw new EngineError('invalid', `repeated pair ${fa}, ${fb}`);
		a[i]![j] = value;
		a[j]![i] = 1 / value;
	}
	for (let i = 0; i < n; i++)
		for (let j = 0; j < n; j++)
			if (a[i]![j] === 0) throw new EngineError('invalid', `missing pair ${used[i]}, ${used[j]}`);
	let vec = new Array<number>(n).fill(1 / n);
	let lambda = n;
	for (let iter = 0; iter < 10000; iter++) {
		const next = a.map((row) => row.reduce((s, aij, j) => s + aij * vec[j]!, 0));
		lambda = next.reduce((s, v) => s + v, 0);
		const normalised = next.map((v) => v / lambda);
		const change = Math.max(...normalised.map((v, i) => Math.abs(v - vec[i]!)));
		vec = normalised;
		if (change < 1e-12) break;
	}
	const ci = n > 1 ? (lambda - n) / (n - 1) : 0;
	const cr = n <= 2 ? 0 : ci / RANDOM_INDEX[n - 1]!;
	const weights = {} as FactorValues;
	for (const f of FACTORS) weights[f] = index.has(f) ? vec[index.get(f)!]! : 0;
	return { weights, lambda_max: lambda, ci, cr, consistent: cr <= 0.1 };
}
