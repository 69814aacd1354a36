//! The live list's wire format: a weight move is answered with bytes (src/engine.rs,
//! `LiveScores::to_bytes`) — scores, bands and the rank order by vendor position — read here as typed
//! arrays over the response without copying. The vendors those positions name come separately, once
//! per evaluation (`LiveTable`).
import type { Band } from './bindings/Band';
import type { LiveTable } from './bindings/LiveTable';
import type { ScoreReport } from './bindings/ScoreReport';
import { FACTORS, type FactorValues } from '$lib/domain/factors';

export type LiveScores = {
	/** The evaluation the positions refer to: the `LiveTable` of the same generation. */
	generation: number;
	/** Normalised weights scored with. */
	weights: FactorValues;
	/** Final scores by vendor position. */
	scores: Float64Array;
	/** Vendor positions, riskiest first. */
	order: Uint32Array;
	/** Bands by vendor position (see BAND_CODES). */
	bands: Uint8Array;
};

export const BAND_CODES: readonly Band[] = ['low', 'moderate', 'high', 'severe'];

/** Reads format 1: u32 version, u32 n, u64 generation, 8 f64 weights, n f64 scores, n u32 order, n u8 bands. */
export function parseLiveScores(buffer: ArrayBuffer): LiveScores {
	const view = new DataView(buffer);
	const version = view.getUint32(0, true);
	if (version !== 1) throw new Error(`unknown live ranking format ${version}`);
	const n = view.getUint32(4, true);
	if (buffer.byteLength !== 80 + 13 * n) throw new Error(`live ranking of ${n} vendors has ${buffer.byteLength} bytes`);
	const weights = {} as FactorValues;
	FACTORS.forEach((factor, j) => (weights[factor] = view.getFloat64(16 + 8 * j, true)));
	return {
		generation: Number(view.getBigUint64(8, true)),
		weights,
		scores: new Float64Array(buffer, 80, n),
		order: new Uint32Array(buffer, 80 + 8 * n, n),
		bands: new Uint8Array(buffer, 80 + 12 * n, n)
	};
}

/** The live table of a full report (vendors by id, as the engine numbers them): for the preview backend and tests. */
export function liveTableOf(report: ScoreReport, generation: number): LiveTable {
	const vendors = [...report.vendors]
		.sort((a, b) => (a.vendor_id < b.vendor_id ? -1 : a.vendor_id > b.vendor_id ? 1 : 0))
		.map((v) => ({
			vendor_id: v.vendor_id,
			name: v.name,
			prohibited: v.prohibited,
			designations: v.designations,
			possibly_prohibited: v.possibly_prohibited,
			possible_designations: v.possible_designations,
			mitigation: v.mitigation,
			factors: v.factors
		}));
	return { generation, vendors };
}

/** The live scores a full report stands for, with `liveTableOf`'s positions. */
export function liveScoresOf(report: ScoreReport, generation: number): LiveScores {
	const table = liveTableOf(report, generation);
	const position = new Map(table.vendors.map((v, p) => [v.vendor_id, p]));
	const n = table.vendors.length;
	const scores = new Float64Array(n);
	const bands = new Uint8Array(n);
	const order = new Uint32Array(n);
	report.vendors.forEach((v, rank) => {
		const p = position.get(v.vendor_id)!;
		scores[p] = v.score;
		bands[p] = BAND_CODES.indexOf(v.band);
		order[rank] = p;
	});
	return { generation, weights: report.weights, scores, order, bands };
}
