import type { Batch } from "./Batch";

export type ImportResult = { batch: Batch, warnings: Array<string>, };
