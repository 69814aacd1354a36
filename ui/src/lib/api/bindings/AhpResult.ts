import type { FactorValues } from "./FactorValues";

export type AhpResult = { weights: FactorValues, lambda_max: number, ci: number, cr: number, consistent: boolean, };
