import type { Evidence } from "./Evidence";
import type { Factor } from "./Factor";

export type FactorExplanation = { factor: Factor, value: number, weight: number, contribution: number | null, missing: boolean, evidence: Array<Evidence>, sentences: Array<string>, };
