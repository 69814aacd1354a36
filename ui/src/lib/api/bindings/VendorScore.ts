import type { Band } from "./Band";
import type { Factor } from "./Factor";
import type { FactorValues } from "./FactorValues";

export type VendorScore = { vendor_id: string, name: string, rank: number, score: number, band: Band, prohibited: boolean, designations: Array<string>, mitigation: number, factors: FactorValues, 
/** `null` unless the method is `weighted_sum`. */
contributions: FactorValues | null, missing: Array<Factor>, };
