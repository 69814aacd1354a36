export type Method = "weighted_sum" | "weighted_product" | "topsis";
