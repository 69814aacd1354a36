import type { Method } from "./Method";
import type { SmaaMode } from "./SmaaMode";
import type { SmaaVendor } from "./SmaaVendor";

export type SmaaResult = { samples: number, seed: number, mode: SmaaMode, method: Method, ranks: number, 
/** By vendor_id. */
vendors: Array<SmaaVendor>, };
