import type { FactorValues } from "./FactorValues";
import type { Method } from "./Method";
import type { ScoreParams } from "./ScoreParams";
import type { VendorScore } from "./VendorScore";

export type ScoreReport = { as_of: string, method: Method, scenario: string, 
/** Normalised to sum 1. */
weights: FactorValues, params: ScoreParams, dataset_sha256: string, 
/** By rank. */
vendors: Array<VendorScore>, };
