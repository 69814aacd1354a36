//! What-if per vendor: the tornado (how far one vendor's score and rank move when one weight moves
//! by ±delta) and stability intervals (how far one weight can move before the vendor's order against
//! any other vendor changes). Both use final, mitigated scores.

use serde::Serialize;

use super::methods::{Method, scores};
use super::rank::{precedes, rank_of, score_key};
use super::{FACTOR_COUNT, Factor, Matrix, ScoringError, Weights};

/// One bar of the tornado: the vendor's score and rank with factor `factor`'s weight lowered
/// (`low_*`, `w·(1 − delta)`) and raised (`high_*`, `w·(1 + delta)`), the weights renormalised.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TornadoRow {
    pub factor: Factor,
    pub low_score: f64,
    pub high_score: f64,
    pub low_rank: usize,
    pub high_rank: usize,
}

/// The weight interval `[lo, hi]` over which factor `factor` can move (the others following
/// proportionally) without changing the vendor's order against any other vendor.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct StabilityRow {
    pub factor: Factor,
    /// The current normalised weight, always inside `[lo, hi]`.
    pub weight: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Tornado rows for vendor index `vendor`, one per factor in factor order. Every vendor is rescored
/// for every bar, because the rank (and under topsis the score itself) depends on the others.
///
/// A factor whose weight is 0 gets a bar of zero width: scaling zero changes nothing.
///
/// # Errors
/// [`ScoringError::BadDelta`] unless `0 < delta ≤ 1`; [`ScoringError::TornadoWeightsZero`] when the
/// lowered weights are all zero (a single-factor weighting with `delta = 1`).
///
/// # Panics
/// If `vendor` is not a vendor index of `m`.
pub fn tornado(m: &Matrix, w: &Weights, method: Method, vendor: usize, delta: f64) -> Result<Vec<TornadoRow>, ScoringError> {
    m.assert_shape();
    assert!(vendor < m.len(), "tornado: vendor index {vendor} out of range");
    if !(delta > 0.0 && delta <= 1.0) {
        return Err(ScoringError::BadDelta(delta));
    }
    let score_and_rank = |j: usize, factor: f64| -> Result<(f64, usize), ScoringError> {
        let mut raw = *w.as_array();
        raw[j] *= factor;
        let moved = Weights::normalised(raw).map_err(|error| match error {
            ScoringError::AllWeightsZero => ScoringError::TornadoWeightsZero { factor: Factor::ALL[j] },
            other => other,
        })?;
        let all = scores(m, &moved, method);
        Ok((all[vendor], rank_of(m.ids, &all, vendor)))
    };
    (0..FACTOR_COUNT)
        .map(|j| {
            let (low_score, low_rank) = score_and_rank(j, 1.0 - delta)?;
            let (high_score, high_rank) = score_and_rank(j, 1.0 + delta)?;
            Ok(TornadoRow { factor: Factor::ALL[j], low_score, high_score, low_rank, high_rank })
        })
        .collect()
}

/// Stability intervals for vendor index `vendor`, one per factor in factor order, always under
/// weighted_sum and on final (mitigated) scores. Computed analytically: no search.
///
/// For factor j the weights move as `w_j = t`, `w_k = w_k·(1 − t)/(1 − w_j)` for k ≠ j, so every
/// vendor's score is a line `S_i(t) = 100·(1 − m_i)·(t·x_ij + (1 − t)·B_i)` with
/// `B_i = Σ_{k≠j} w_k x_ik / (1 − w_j)`. When `w_j = 1` the others stay 0 and
/// `S_i(t) = 100·(1 − m_i)·t·x_ij`: all lines pass through 0, so the order can only change at t = 0
/// and the interval is [0, 1].
///
/// How this reads the spec, pair by pair (vendor v against each other vendor u):
/// - The current order is the rank order now: rounded scores, ties by `vendor_id`. Let σ = +1 when v
///   is ahead of u, −1 when behind. The pair keeps its order where `σ·(S_v − S_u) ≥ 0` on the
///   unrounded lines; the crossing `t* = w_j − D/D'` (D the difference now, D' its slope) is where it
///   would flip, and it bounds the interval on the side where σ·D is falling.
/// - Identical lines (same slope, D' = 0) never cross, and neither do parallel lines: no bound.
///   So two vendors with identical rows stay tied, ordered by id, whatever the weights.
/// - A current tie (equal rounded scores) with different slopes is a pair sitting at, or within
///   rounding of, its crossing: moving one way confirms the id order, moving the other way flips it.
///   The bound is on the flipping side, at t* — or at the current weight itself when rounding has put
///   t* on the other side of it (the unrounded lines say u is ahead, the rounded scores say v is). A
///   bound never excludes the current weight, so `lo ≤ weight ≤ hi` always holds, and a one-sided
///   interval like `[w_j, hi]` says "the vendor is on a knife edge: lowering this weight reorders it".
///
/// `[lo, hi]` is the intersection of the pairs' half-lines with [0, 1]; as the spec asks it is the
/// closure, so it includes a crossing point even where the id order at that point differs.
///
/// # Panics
/// If `vendor` is not a vendor index of `m`.
pub fn stability(m: &Matrix, w: &Weights, vendor: usize) -> Vec<StabilityRow> {
    m.assert_shape();
    assert!(vendor < m.len(), "stability: vendor index {vendor} out of range");
    let current = scores(m, w, Method::WeightedSum);
    let keys: Vec<u64> = current.iter().map(|&score| score_key(score)).collect();
    let ahead: Vec<bool> = (0..m.len()).map(|u| precedes(m.ids, &keys, vendor, u)).collect();
    (0..FACTOR_COUNT)
        .map(|j| {
            let weight = w.get(j);
            let lines: Vec<(f64, f64)> = (0..m.len()).map(|i| score_line(m, w, i, j)).collect();
            let (intercept_v, slope_v) = lines[vendor];
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            for (u, &(intercept_u, slope_u)) in lines.iter().enumerate() {
                let slope = slope_v - slope_u;
                if u == vendor || slope == 0.0 {
                    continue;
                }
                let crossing = (intercept_u - intercept_v) / slope;
                let sigma = if ahead[u] { 1.0 } else { -1.0 };
                if sigma * slope > 0.0 {
                    // σ·D grows with t: lowering the weight is what can flip this pair.
                    lo = lo.max(crossing.min(weight));
                } else {
                    hi = hi.min(crossing.max(weight));
                }
            }
            StabilityRow { factor: Factor::ALL[j], weight, lo: lo.clamp(0.0, 1.0), hi: hi.clamp(0.0, 1.0) }
        })
        .collect()
}

/// Vendor `i`'s final weighted_sum score as `intercept + slope·t` when factor `j`'s weight is `t`.
fn score_line(m: &Matrix, w: &Weights, i: usize, j: usize) -> (f64, f64) {
    let row = m.row(i);
    let keep = 100.0 * (1.0 - m.mitigation[i]);
    let weight = w.get(j);
    if weight >= 1.0 {
        return (0.0, keep * row[j]);
    }
    let others = (0..FACTOR_COUNT).filter(|&k| k != j).map(|k| w.get(k) * row[k]).sum::<f64>() / (1.0 - weight);
    (keep * others, keep * (row[j] - others))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9
    }

    /// Only ownership and ties are weighted (0.5 each), so every interval can be drawn on paper.
    /// a = (1, 0), b = (0, 0.8), c = (0.6, 0.6) with mitigation 0.1; now a = 50, b = 40, c = 54.
    fn three_vendors() -> (Vec<String>, Vec<f64>, Vec<f64>) {
        let ids = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let mut x = vec![0.0; 24];
        x[0] = 1.0;
        x[9] = 0.8;
        x[16] = 0.6;
        x[17] = 0.6;
        (ids, x, vec![0.0, 0.0, 0.1])
    }

    fn two_factor_weights(ownership: f64, ties: f64) -> Weights {
        Weights::normalised([ownership, ties, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).unwrap()
    }

    fn row<'a>(rows: &'a [StabilityRow], factor: &str) -> &'a StabilityRow {
        rows.iter().find(|row| row.factor.key() == factor).unwrap()
    }

    #[test]
    fn stability_matches_the_paper_derivation_for_three_vendors() {
        // Moving ownership: w_own = t, w_ties = 1 − t. Lines: a = 100t, b = 80(1 − t), c = 54.
        // Now (t = 0.5): c 54 > a 50 > b 40.
        //   a vs c (a behind): 100t ≤ 54 ⇔ t ≤ 0.54          → hi 0.54
        //   a vs b (a ahead):  100t ≥ 80 − 80t ⇔ t ≥ 4/9      → lo 4/9
        //   b vs c (b behind): 80 − 80t ≤ 54 ⇔ t ≥ 0.325      → lo 0.325, and b vs a gives 4/9
        //   c vs b (c ahead): t ≥ 0.325; c vs a (c ahead): t ≤ 0.54
        // Moving ties: w_ties = t, w_own = 1 − t. Lines: a = 100(1 − t), b = 80t, c = 54.
        //   a vs c: 100 − 100t ≤ 54 ⇔ t ≥ 0.46; a vs b: 100 − 100t ≥ 80t ⇔ t ≤ 5/9
        // Moving an unweighted factor (w = 0): every vendor's x there is 0, so all lines are
        // S_i(0)·(1 − t) and meet only at t = 1: nothing flips inside, [0, 1].
        let (ids, x, mitigation) = three_vendors();
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = two_factor_weights(1.0, 1.0);
        let expect = [
            (0, "ownership", 4.0 / 9.0, 0.54),
            (1, "ownership", 4.0 / 9.0, 1.0),
            (2, "ownership", 0.325, 0.54),
            (0, "ties", 0.46, 5.0 / 9.0),
            (0, "market", 0.0, 1.0),
        ];
        for (vendor, factor, lo, hi) in expect {
            let rows = stability(&m, &w, vendor);
            let got = row(&rows, factor);
            assert!(
                close(got.lo, lo) && close(got.hi, hi),
                "vendor {} moving {factor}: expected [{lo}, {hi}] from the derivation, got [{}, {}]",
                ids[vendor],
                got.lo,
                got.hi
            );
            assert!(got.lo <= got.weight && got.weight <= got.hi, "the interval contains the current weight");
        }
        assert_eq!(stability(&m, &w, 0).len(), 8, "one row per factor");
    }

    #[test]
    fn stability_with_a_weight_of_one_keeps_the_others_at_zero() {
        // Ownership alone: a = 100, b = 0, c = 54. Moving ownership scales every score by t, so no
        // order changes inside (0, 1]: [0, 1].
        // Moving ties from 0: w_ties = t, w_own = 1 − t; a = 100(1 − t), b = 80t, c = 54.
        //   a vs c (a ahead): 100 − 100t ≥ 54 ⇔ t ≤ 0.46; a vs b: t ≤ 5/9 → [0, 0.46]
        let (ids, x, mitigation) = three_vendors();
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = two_factor_weights(1.0, 0.0);
        let rows = stability(&m, &w, 0);
        let own = row(&rows, "ownership");
        assert_eq!((own.weight, own.lo, own.hi), (1.0, 0.0, 1.0), "w_j = 1 scales all scores alike: [0, 1]");
        let ties = row(&rows, "ties");
        assert!(close(ties.lo, 0.0) && close(ties.hi, 0.46), "expected [0, 0.46], got [{}, {}]", ties.lo, ties.hi);
    }

    #[test]
    fn stability_with_a_current_tie_is_one_sided_and_identical_vendors_never_flip() {
        // a = (1, 0), d = (0, 1), e = (1, 0): all 50 now, ordered a, d, e by id.
        // Moving ownership: a = e = 100t, d = 100(1 − t), all crossing at t = 0.5 = w_own.
        //   a ahead of d holds where 100t ≥ 100 − 100t ⇔ t ≥ 0.5 → [0.5, 1]; a and e are identical: no bound.
        //   d ahead of e holds where t ≤ 0.5 → e gets [0, 0.5]; d is behind a (t ≥ 0.5) and ahead of e
        //   (t ≤ 0.5), so d is stuck at [0.5, 0.5].
        let ids = vec!["a".to_string(), "d".to_string(), "e".to_string()];
        let mut x = vec![0.0; 24];
        x[0] = 1.0;
        x[9] = 1.0;
        x[16] = 1.0;
        let m = Matrix::new(&ids, &x, &[0.0; 3]).unwrap();
        let w = two_factor_weights(1.0, 1.0);
        let own = |vendor| {
            let rows = stability(&m, &w, vendor);
            let own = row(&rows, "ownership");
            (own.lo, own.hi)
        };
        assert_eq!(own(0), (0.5, 1.0), "a keeps its id-won lead over d only while ownership does not fall");
        assert_eq!(own(1), (0.5, 0.5), "d is tied with both neighbours and any move reorders it");
        assert_eq!(own(2), (0.0, 0.5), "e keeps trailing d only while ownership does not rise");
    }

    #[test]
    fn stability_never_excludes_the_current_weight_when_rounding_hides_the_unrounded_order() {
        // b = (1, 0) scores 50; z = (2e-12, 1) scores 50.0000000001: equal after rounding, so b is
        // ahead by id, though the unrounded lines put z ahead and cross just above t = 0.5. Moving
        // ownership up puts b ahead for real; moving it down puts z ahead once rounding separates
        // them — immediately, as far as 9 decimals go. So b's interval starts exactly at 0.5.
        let ids = vec!["b".to_string(), "z".to_string()];
        let mut x = vec![0.0; 16];
        x[0] = 1.0;
        x[8] = 2e-12;
        x[9] = 1.0;
        let m = Matrix::new(&ids, &x, &[0.0; 2]).unwrap();
        let w = two_factor_weights(1.0, 1.0);
        let rows = stability(&m, &w, 0);
        let own = row(&rows, "ownership");
        assert_eq!(super::super::ranks(&ids, &scores(&m, &w, Method::WeightedSum)), vec![1, 2], "a tie now");
        assert_eq!((own.lo, own.hi), (0.5, 1.0), "the bound sits at the current weight, not past it");
    }

    #[test]
    fn stability_of_a_lone_vendor_is_the_whole_range() {
        let ids = vec!["solo".to_string()];
        let m = Matrix::new(&ids, &[0.3; 8], &[0.0]).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        for row in stability(&m, &w, 0) {
            assert_eq!((row.lo, row.hi), (0.0, 1.0), "with no other vendor there is no order to flip");
        }
    }

    #[test]
    fn tornado_matches_a_hand_computation() {
        // Ownership 0.5 → 0.25 (delta 0.5), ties stays 0.5: normalised 1/3 and 2/3.
        //   a = 100/3 ≈ 33.33, b = 80·2/3 ≈ 53.33, c = 54 → a is 3rd.
        // Ownership 0.5 → 0.75: normalised 0.6 and 0.4. a = 60, b = 32, c = 54 → a is 1st.
        let (ids, x, mitigation) = three_vendors();
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = two_factor_weights(1.0, 1.0);
        let rows = tornado(&m, &w, Method::WeightedSum, 0, 0.5).unwrap();
        let own = &rows[0];
        assert_eq!(own.factor, Factor::Ownership, "rows come in factor order");
        assert!(close(own.low_score, 100.0 / 3.0), "low ownership weight: 100/3, got {}", own.low_score);
        assert!(close(own.high_score, 60.0), "high ownership weight: 60, got {}", own.high_score);
        assert_eq!((own.low_rank, own.high_rank), (3, 1), "a drops behind b and c, then leads");
        let market = &rows[3];
        assert!(
            close(market.low_score, 50.0) && close(market.high_score, 50.0) && market.low_rank == 2,
            "a zero weight scaled is still zero: the bar has no width"
        );
    }

    #[test]
    fn tornado_rejects_bad_deltas_and_all_zero_weights() {
        let (ids, x, mitigation) = three_vendors();
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = two_factor_weights(1.0, 1.0);
        for delta in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(
                matches!(tornado(&m, &w, Method::WeightedSum, 0, delta), Err(ScoringError::BadDelta(_))),
                "delta {delta} is outside (0, 1]"
            );
        }
        assert!(tornado(&m, &w, Method::Topsis, 0, 1.0).is_ok(), "delta 1 is allowed when another weight remains");
        let only_ownership = two_factor_weights(1.0, 0.0);
        assert_eq!(
            tornado(&m, &only_ownership, Method::WeightedSum, 0, 1.0),
            Err(ScoringError::TornadoWeightsZero { factor: Factor::Ownership }),
            "removing the only weighted factor leaves nothing to normalise"
        );
    }
}
