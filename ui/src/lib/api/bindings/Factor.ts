export type Factor = "ownership" | "ties" | "jurisdiction" | "market" | "testimony" | "designations" | "install_base" | "privilege";
