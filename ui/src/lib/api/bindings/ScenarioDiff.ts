import type { ScenarioDiffVendor } from "./ScenarioDiffVendor";

export type ScenarioDiff = { a: string, b: string, 
/** Normalised weights, `[in a, in b]`. */
weights: { [key in string]?: [number, number] }, 
/** `null` when both use the same method. */
method: [string, string] | null, 
/** Parameters that differ, `[in a, in b]` (`null` = not set). */
params: { [key in string]?: [string | null, string | null] }, vendors: Array<ScenarioDiffVendor>, };
