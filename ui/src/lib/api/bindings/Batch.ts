import type { BatchFile } from "./BatchFile";

export type Batch = { batch_id: number, created_at: string, label: string, files: Array<BatchFile>, counts: { [key in string]?: number }, undone_at: string | null, };
