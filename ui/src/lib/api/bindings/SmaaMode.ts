export type SmaaMode = "uniform" | "around";
