//! The three aggregation methods and per-factor contributions. Each returns final scores in
//! [0, 100]: the method's score × (1 − mitigation).
//!
//! The kernels below take the factor values as a row-major slice with a stride `d` instead of
//! `[f64; 8]` rows, so SMAA (and its tests with two criteria) run exactly the code `scores` runs.

use serde::Serialize;

use super::{FACTOR_COUNT, FactorValues, Matrix, Weights};

/// How factor values and weights become one score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// `100 · Σ w_j x_j`, summed in factor order. The default: transparent and decomposable into
    /// contributions.
    #[default]
    WeightedSum,
    /// `100 · Π (0.01 + 0.99·x_j)^{w_j}`: a vendor low on a heavy factor cannot buy it back with
    /// others. The 0.01 floor keeps a zero factor from zeroing the whole score.
    WeightedProduct,
    /// Closeness to the riskiest profile among the vendors scored together (vector normalisation).
    Topsis,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::WeightedSum, Method::WeightedProduct, Method::Topsis];

    /// The method with this spec name (`weighted_sum`, `weighted_product`, `topsis`).
    pub fn parse(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|method| method.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::WeightedSum => "weighted_sum",
            Method::WeightedProduct => "weighted_product",
            Method::Topsis => "topsis",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Final (mitigated) score of every vendor, in input order.
///
/// `weighted_product` is evaluated as `100 · exp(Σ w_j · ln(0.01 + 0.99·x_j))`, the same value as
/// the product up to ~1e-13, because SMAA precomputes the logarithms and must score exactly as this
/// function does for its ranks to agree with [`ranks`](super::ranks) on ties.
pub fn scores(m: &Matrix, w: &Weights, method: Method) -> Vec<f64> {
    m.assert_shape();
    score_rows(m.x, FACTOR_COUNT, m.mitigation, w.as_array(), method)
}

/// Vendor `i`'s contribution per factor under weighted_sum: `100 · w_j · x_ij · (1 − mitigation_i)`.
/// They add up to the weighted_sum score (up to rounding); other methods have no such split.
///
/// # Panics
/// If `i` is not a vendor index of `m`.
pub fn contributions(m: &Matrix, w: &Weights, i: usize) -> FactorValues {
    m.assert_shape();
    let row = m.row(i);
    let keep = 1.0 - m.mitigation[i];
    FactorValues::from_fn(|factor| 100.0 * w.of(factor) * row[factor.index()] * keep)
}

/// Scores of `x` (row-major, `w.len()` criteria per vendor) by `method`.
pub(super) fn score_rows(x: &[f64], d: usize, mitigation: &[f64], w: &[f64], method: Method) -> Vec<f64> {
    debug_assert_eq!(w.len(), d);
    let mut out = vec![0.0; mitigation.len()];
    match method {
        Method::WeightedSum => weighted_sum_into(x, d, mitigation, w, &mut out),
        Method::WeightedProduct => weighted_product_into(&product_logs(x), d, mitigation, w, &mut out),
        Method::Topsis => topsis_into(x, d, mitigation, w, &mut out),
    }
    out
}

pub(super) fn weighted_sum_into(x: &[f64], d: usize, mitigation: &[f64], w: &[f64], out: &mut [f64]) {
    for ((score, row), m) in out.iter_mut().zip(x.chunks_exact(d)).zip(mitigation) {
        let sum = row.iter().zip(w).fold(0.0, |acc, (value, weight)| acc + weight * value);
        *score = 100.0 * sum * (1.0 - m);
    }
}

/// `ln(0.01 + 0.99·x)` per value: the part of weighted_product that does not depend on weights.
pub(super) fn product_logs(x: &[f64]) -> Vec<f64> {
    x.iter().map(|value| (0.01 + 0.99 * value).ln()).collect()
}

pub(super) fn weighted_product_into(logs: &[f64], d: usize, mitigation: &[f64], w: &[f64], out: &mut [f64]) {
    for ((score, row), m) in out.iter_mut().zip(logs.chunks_exact(d)).zip(mitigation) {
        let sum = row.iter().zip(w).fold(0.0, |acc, (log, weight)| acc + weight * log);
        *score = 100.0 * sum.exp() * (1.0 - m);
    }
}

/// TOPSIS with all criteria "the more, the riskier": distance to the least risky profile over the
/// sum of distances to both ideal profiles. Relative to the vendors passed in, by design.
fn topsis_into(x: &[f64], d: usize, mitigation: &[f64], w: &[f64], out: &mut [f64]) {
    let norms: Vec<f64> = (0..d).map(|j| x.chunks_exact(d).map(|row| row[j] * row[j]).sum::<f64>().sqrt()).collect();
    let weighted = |row: &[f64], j: usize| {
        if norms[j] == 0.0 { 0.0 } else { w[j] * (row[j] / norms[j]) }
    };
    let mut best = vec![f64::NEG_INFINITY; d];
    let mut worst = vec![f64::INFINITY; d];
    for row in x.chunks_exact(d) {
        for j in 0..d {
            let v = weighted(row, j);
            best[j] = best[j].max(v);
            worst[j] = worst[j].min(v);
        }
    }
    for ((score, row), m) in out.iter_mut().zip(x.chunks_exact(d)).zip(mitigation) {
        let (mut to_best, mut to_worst) = (0.0, 0.0);
        for j in 0..d {
            let v = weighted(row, j);
            to_best += (v - best[j]) * (v - best[j]);
            to_worst += (v - worst[j]) * (v - worst[j]);
        }
        let (to_best, to_worst) = (to_best.sqrt(), to_worst.sqrt());
        let closeness = if to_best + to_worst == 0.0 { 0.5 } else { to_worst / (to_best + to_worst) };
        *score = 100.0 * closeness * (1.0 - m);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{preset, ranks};
    use super::*;
    use proptest::prelude::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i}")).collect()
    }

    /// The spec's contract: numbers agree to 1e-9.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9
    }

    fn default_weights() -> Weights {
        Weights::normalised(preset("default").unwrap().to_array()).unwrap()
    }

    #[test]
    fn method_names_round_trip() {
        for method in Method::ALL {
            assert_eq!(Method::parse(method.as_str()), Some(method), "as_str and parse are inverses");
        }
        assert_eq!(Method::parse("Topsis"), None, "names are the spec's lower-case ones only");
        assert_eq!(Method::default(), Method::WeightedSum, "the spec's default method");
    }

    #[test]
    fn weighted_sum_matches_a_hand_computation_with_mitigation() {
        let ids = ids(2);
        let x = [
            1.0, 0.5, 0.0, 0.2, 0.4, 0.0, 1.0, 0.25, //
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        ];
        let m = Matrix::new(&ids, &x, &[0.1, 0.0]).unwrap();
        let got = scores(&m, &default_weights(), Method::WeightedSum);
        // 0.2·1 + 0.15·0.5 + 0.1·0 + 0.05·0.2 + 0.15·0.4 + 0.15·0 + 0.1·1 + 0.1·0.25
        //   = 0.2 + 0.075 + 0.01 + 0.06 + 0.1 + 0.025 = 0.47 → 47, × (1 − 0.1) = 42.3
        assert!(close(got[0], 42.3), "100·Σw·x × (1 − mitigation) = 42.3, got {}", got[0]);
        assert_eq!(got[1], 0.0, "a vendor with no risk on any factor scores 0");
    }

    #[test]
    fn weighted_product_matches_a_hand_computation() {
        let ids = ids(3);
        let mut x = vec![0.0; 24];
        x[..8].copy_from_slice(&[1.0; 8]);
        x[8..16].copy_from_slice(&[0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let m = Matrix::new(&ids, &x, &[0.0, 0.0, 0.2]).unwrap();
        let got = scores(&m, &default_weights(), Method::WeightedProduct);
        assert!(close(got[0], 100.0), "every factor at 1 gives 100·Π1^w = 100, got {}", got[0]);
        // Only ownership is 0.5: 100 · (0.01 + 0.495)^0.2 = 100 · 0.505^0.2
        let expected = 100.0 * 0.505f64.powf(0.2);
        assert!(close(got[1], expected), "100·0.505^0.2 = {expected}, got {}", got[1]);
        // All zero: 100 · 0.01^(Σw = 1) = 1, then × 0.8.
        assert!(close(got[2], 0.8), "the 0.01 floor gives 1 before mitigation, 0.8 after; got {}", got[2]);
    }

    #[test]
    fn topsis_matches_pymcdm_with_vector_normalisation() {
        // Reference values from pymcdm 1.4.0 (Python 3.11):
        //   import numpy as np
        //   from pymcdm.methods import TOPSIS
        //   from pymcdm.normalizations import vector_normalization
        //   x = np.array([[0.9, 0.2, 1.0, 0.5, 0.3, 0.0, 0.8, 1.0],
        //                 [0.1, 0.7, 0.0, 0.2, 0.9, 1.0, 0.4, 0.25],
        //                 [0.5, 0.5, 1.0, 0.9, 0.1, 0.0, 0.6, 0.6],
        //                 [0.3, 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 0.0]])
        //   raw = np.array([20, 15, 10, 5, 15, 15, 10, 10], dtype=float); w = raw / raw.sum()
        //   p = TOPSIS(normalization_function=vector_normalization)(x, w, np.ones(8))
        //   print(100 * p)
        // pymcdm's TOPSIS is exactly the spec's: r = x/‖column‖, v = w·r, D± Euclidean, D−/(D+ + D−);
        // its default normalisation is min-max, hence the explicit vector_normalization, and types = 1
        // (profit) makes "more" the ideal, i.e. "riskier" here.
        let ids = ids(4);
        let x = [
            0.9, 0.2, 1.0, 0.5, 0.3, 0.0, 0.8, 1.0, //
            0.1, 0.7, 0.0, 0.2, 0.9, 1.0, 0.4, 0.25, //
            0.5, 0.5, 1.0, 0.9, 0.1, 0.0, 0.6, 0.6, //
            0.3, 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 0.0,
        ];
        let m = Matrix::new(&ids, &x, &[0.0; 4]).unwrap();
        let got = scores(&m, &default_weights(), Method::Topsis);
        let pymcdm = [54.67652705044653, 51.23634272736677, 45.34061841717406, 40.47569101823765];
        for (i, (got, want)) in got.iter().zip(pymcdm).enumerate() {
            assert!(close(*got, want), "vendor {i}: pymcdm says {want}, we say {got}");
        }
        let mitigated = Matrix::new(&ids, &x, &[0.3, 0.0, 0.0, 0.0]).unwrap();
        let got = scores(&mitigated, &default_weights(), Method::Topsis);
        assert!(close(got[0], 54.67652705044653 * 0.7), "mitigation scales the final TOPSIS score and does not enter the ideal profiles");
        assert!(close(got[1], pymcdm[1]), "another vendor's mitigation does not move this vendor's TOPSIS score");
    }

    #[test]
    fn topsis_treats_an_all_zero_column_as_zero_and_identical_vendors_as_50() {
        let ids = ids(2);
        let mut x = [0.0; 16];
        x[0] = 1.0; // ownership: vendor 0 only; every other column is all zero.
        let m = Matrix::new(&ids, &x, &[0.0; 2]).unwrap();
        let got = scores(&m, &default_weights(), Method::Topsis);
        assert_eq!(got, vec![100.0, 0.0], "all-zero columns add nothing; the only difference is ownership");

        let identical = Matrix::new(&ids, &[0.5; 16], &[0.0, 0.1]).unwrap();
        let got = scores(&identical, &default_weights(), Method::Topsis);
        assert!(close(got[0], 50.0) && close(got[1], 45.0), "when D+ and D− are both 0 the score is 50 (then mitigated); got {got:?}");
    }

    #[test]
    fn contributions_add_up_to_the_weighted_sum_score() {
        let ids = ids(1);
        let x = [0.9, 0.2, 1.0, 0.5, 0.3, 0.0, 0.8, 1.0];
        let m = Matrix::new(&ids, &x, &[0.25]).unwrap();
        let w = default_weights();
        let parts = contributions(&m, &w, 0);
        assert!(close(parts.ownership, 100.0 * 0.2 * 0.9 * 0.75), "ownership: 100·w·x·(1 − mitigation)");
        assert_eq!(parts.designations, 0.0, "a zero factor contributes nothing");
        let total: f64 = parts.values().sum();
        assert!(close(total, scores(&m, &w, Method::WeightedSum)[0]), "contributions add up to the score");
    }

    fn matrix_strategy() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        (1usize..8).prop_flat_map(|n| {
            (
                prop::collection::vec(prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0..=1.0], n * 8),
                prop::collection::vec(prop_oneof![Just(0.0), 0.0..=0.3], n),
            )
        })
    }

    fn raw_weights() -> impl Strategy<Value = [f64; 8]> {
        prop::array::uniform8(prop_oneof![Just(0.0), 0.0..100.0]).prop_filter("not all zero", |raw| raw.iter().any(|&w| w > 0.0))
    }

    proptest! {
        #[test]
        fn contributions_always_add_up_to_the_score((x, mitigation) in matrix_strategy(), raw in raw_weights()) {
            let ids = ids(mitigation.len());
            let m = Matrix::new(&ids, &x, &mitigation).unwrap();
            let w = Weights::normalised(raw).unwrap();
            let got = scores(&m, &w, Method::WeightedSum);
            for (i, score) in got.iter().enumerate() {
                let total: f64 = contributions(&m, &w, i).values().sum();
                prop_assert!(close(total, *score), "vendor {i}: contributions {total} vs score {score}");
            }
        }

        #[test]
        fn raising_a_factor_never_lowers_a_weighted_sum_score(
            (x, mitigation) in matrix_strategy(), raw in raw_weights(), pick in 0usize..64, raise in 0.0..=1.0f64,
        ) {
            let ids = ids(mitigation.len());
            let w = Weights::normalised(raw).unwrap();
            let k = pick % x.len();
            let mut raised = x.clone();
            raised[k] = (x[k] + raise * (1.0 - x[k])).min(1.0);
            let before = scores(&Matrix::new(&ids, &x, &mitigation).unwrap(), &w, Method::WeightedSum);
            let after = scores(&Matrix::new(&ids, &raised, &mitigation).unwrap(), &w, Method::WeightedSum);
            prop_assert!(after[k / 8] >= before[k / 8], "more risk on a factor cannot mean a lower score");
        }

        #[test]
        fn scaling_all_weights_changes_neither_scores_nor_ranks(
            (x, mitigation) in matrix_strategy(), raw in raw_weights(), scale in 1e-3..1e3f64,
        ) {
            let ids = ids(mitigation.len());
            let m = Matrix::new(&ids, &x, &mitigation).unwrap();
            let w = Weights::normalised(raw).unwrap();
            let scaled = Weights::normalised(raw.map(|v| v * scale)).unwrap();
            for method in Method::ALL {
                let a = scores(&m, &w, method);
                let b = scores(&m, &scaled, method);
                for (a, b) in a.iter().zip(&b) {
                    prop_assert!(close(*a, *b), "{}: weights are normalised, so scale cannot matter", method.as_str());
                }
                prop_assert_eq!(ranks(&ids, &a), ranks(&ids, &b), "same scores, same ranks");
            }
        }
    }
}
