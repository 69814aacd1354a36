export type BatchFile = { name: string, table: string, sha256: string, rows: number, };
