export type RowError = { file: string, line: number, column: number, message: string, };
