import type { Factor } from "./Factor";

export type TornadoRow = { factor: Factor, low_score: number, high_score: number, low_rank: number, high_rank: number, };
