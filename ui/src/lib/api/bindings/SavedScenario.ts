import type { ScenarioSpec } from "./ScenarioSpec";

export type SavedScenario = { name: string, spec: ScenarioSpec, updated_at: string, };
