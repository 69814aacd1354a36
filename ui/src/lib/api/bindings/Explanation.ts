import type { FactorExplanation } from "./FactorExplanation";
import type { VendorScore } from "./VendorScore";

export type Explanation = { vendor: VendorScore, factors: Array<FactorExplanation>, };
