import type { FactorValues } from "./FactorValues";
import type { Method } from "./Method";

/** A saved scenario: raw weights (any scale), method and parameter overrides by name. */
export type ScenarioSpec = { weights: FactorValues, method: Method, params: { [key in string]?: string }, };
