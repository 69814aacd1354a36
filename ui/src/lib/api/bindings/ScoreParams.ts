import type { MissingPolicy } from "./MissingPolicy";

export type ScoreParams = { as_of: string, concern_countries: Array<string>, private_concern: number, control_threshold: number, half_life_years: number, testimony_scale: number, market_window_years: number, users_ref: number, missing: MissingPolicy, };
