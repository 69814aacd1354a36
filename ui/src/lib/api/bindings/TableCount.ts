export type TableCount = { table: string, rows: number, };
