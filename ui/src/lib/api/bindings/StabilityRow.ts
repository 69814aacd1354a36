import type { Factor } from "./Factor";

export type StabilityRow = { factor: Factor, weight: number, lo: number, hi: number, };
