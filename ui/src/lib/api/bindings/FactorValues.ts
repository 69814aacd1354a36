/** One number per factor (values, weights or contributions), in the spec's factor order. */
export type FactorValues = { ownership: number, ties: number, jurisdiction: number, market: number, testimony: number, designations: number, install_base: number, privilege: number, };
