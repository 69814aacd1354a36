//! A generated factor matrix of any size, reproducible from a seed: for the latency test and the
//! preview's `?vendors=N`.
import type { MatrixRow } from '$lib/api/fixture-engine';
import { FACTORS } from '$lib/domain/factors';
import type { FactorValues } from '$lib/domain/factors';

export function generatedMatrix(n: number, seed = 1): MatrixRow[] {
	let state = seed >>> 0;
	const next = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 4294967296;
	};
	return Array.from({ length: n }, (_, i) => {
		const factors = {} as FactorValues;
		for (const f of FACTORS) factors[f] = Math.round(next() * 1000) / 1000;
		const designated = factors.designations > 0.9;
		factors.designations = designated ? 1 : 0;
		return {
			vendor_id: `v${String(i).padStart(5, '0')}`,
			name: `Vendor ${i}`,
			factors,
			missing: next() < 0.05 ? ['market'] : [],
			mitigation: next() < 0.1 ? 0.1 : 0,
			prohibited: designated,
			designations: designated ? ['TEST-LIST'] : []
		};
	});
}
