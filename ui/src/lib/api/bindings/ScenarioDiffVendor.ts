export type ScenarioDiffVendor = { vendor_id: string, rank_a: number, rank_b: number, score_a: number, score_b: number, 
/** `rank_a - rank_b`: positive when the vendor moves up (riskier) in b. */
rank_change: number, score_change: number, };
