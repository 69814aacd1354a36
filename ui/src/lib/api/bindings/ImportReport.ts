import type { RowError } from "./RowError";

export type ImportReport = { errors: Array<RowError>, error_count: number, warnings: Array<string>, };
