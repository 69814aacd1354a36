import type { SavedScenario } from "./SavedScenario";

export type ScenarioList = { scenarios: Array<SavedScenario>, presets: Array<string>, };
