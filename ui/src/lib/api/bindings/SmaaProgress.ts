export type SmaaProgress = { done: number, total: number, };
