import type { Factor } from "./Factor";
import type { Method } from "./Method";
import type { MissingPolicy } from "./MissingPolicy";

/** The scenario options of every scoring command; each one left out keeps the base scenario's. */
export type ScenarioInput = { 
/** A saved scenario or a preset name (default: `default`). */
scenario?: string, 
/** Raw weights on the presets' scale; named factors replace the base's. */
weights?: { [key in Factor]?: number }, method?: Method, asOf?: string, concern?: Array<string>, missing?: MissingPolicy, params?: { [key in string]?: string }, };
