export type MissingPolicy = "zero" | "neutral" | "worst";
