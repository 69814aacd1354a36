import type { Factor } from "./Factor";

/** `value` in [1/9, 9]: how much more `a` matters than `b`. */
export type AhpPair = { a: Factor, b: Factor, value: number, };
