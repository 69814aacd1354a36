import type { Theme } from "./Theme";

export type Settings = { theme: Theme, concernCountries: Array<string>, storePath: string, };
