import type { FactorValues } from "./FactorValues";

export type SmaaVendor = { vendor_id: string, 
/** `acceptability[r - 1]` = share of samples with rank r, for r = 1..ranks. */
acceptability: Array<number>, central_weights: FactorValues | null, holistic: number, };
