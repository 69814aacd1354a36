export type Band = "low" | "moderate" | "high" | "severe";
