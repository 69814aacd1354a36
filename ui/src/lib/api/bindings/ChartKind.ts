export type ChartKind = "ranking" | "radar" | "sales" | "install_base" | "testimony" | "tornado" | "smaa" | "ownership";
