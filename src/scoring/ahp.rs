//! AHP: weights from pairwise comparisons on Saaty's 1–9 scale, with the consistency ratio that
//! tells the user whether their comparisons hang together. Parsing the CSV is the caller's job; this
//! takes the rows already split into `(a, b, value)`.

use serde::Serialize;

use super::{FACTOR_COUNT, Factor, FactorValues, ScoringError};

/// AHP weights and consistency. Serialises as `cli.md`'s `weights ahp --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct AhpResult {
    /// All eight factors in factor order; factors the comparisons do not name get 0.
    pub weights: FactorValues,
    pub lambda_max: f64,
    /// `(λmax − n)/(n − 1)`.
    pub ci: f64,
    /// `CI / RI(n)`; 0 when n ≤ 2, where every reciprocal matrix is consistent.
    pub cr: f64,
    /// `cr ≤ 0.1`. Inconsistency is a warning for the user, never an error.
    pub consistent: bool,
}

/// Weights from the comparisons `(a, b, value)`, each meaning "a is `value` times as important as b".
///
/// n is the number of distinct factors the comparisons name: a user may weigh only some factors
/// (say the three BOD 17-01 grounds) and leave the rest at weight 0, but among the factors they do
/// name every pair must be compared exactly once, in either order.
///
/// The weights are the principal eigenvector of the reciprocal matrix by power iteration from the
/// uniform vector until no weight moves by more than 1e-12; `λmax = Σ (A·w)_i` with Σ w = 1.
///
/// # Errors
/// No comparisons; an unknown factor; a self pair; a pair given twice (either order); a value outside
/// [1/9, 9] (with the spec's 1e-9 tolerance, so `0.111111111` passes for 1/9 but `0.111` does not);
/// a missing pair among the named factors.
pub fn ahp(pairs: &[(String, String, f64)]) -> Result<AhpResult, ScoringError> {
    if pairs.is_empty() {
        return Err(ScoringError::AhpEmpty);
    }
    let mut full = [[None::<f64>; FACTOR_COUNT]; FACTOR_COUNT];
    for (a, b, value) in pairs {
        let (i, j) = (factor_index(a)?, factor_index(b)?);
        if i == j {
            return Err(ScoringError::AhpSelfPair(Factor::ALL[i]));
        }
        if !(value.is_finite() && (1.0 / 9.0 - TOLERANCE..=9.0 + TOLERANCE).contains(value)) {
            return Err(ScoringError::AhpValueOutOfScale { a: Factor::ALL[i], b: Factor::ALL[j], value: *value });
        }
        if full[i][j].is_some() {
            let (first, second) = (i.min(j), i.max(j));
            return Err(ScoringError::AhpRepeatedPair(Factor::ALL[first], Factor::ALL[second]));
        }
        full[i][j] = Some(*value);
        full[j][i] = Some(1.0 / value);
    }
    let named: Vec<usize> = (0..FACTOR_COUNT).filter(|&i| full[i].iter().any(Option::is_some)).collect();
    let n = named.len();
    let mut matrix = vec![1.0; n * n];
    for (row, &i) in named.iter().enumerate() {
        for (col, &j) in named.iter().enumerate() {
            if i != j {
                matrix[row * n + col] = full[i][j].ok_or(ScoringError::AhpMissingPair(Factor::ALL[i], Factor::ALL[j]))?;
            }
        }
    }
    let (priorities, lambda_max) = principal_eigenvector(&matrix, n)?;
    let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
    let cr = if n <= 2 { 0.0 } else { ci / RANDOM_INDEX[n - 1] };
    let mut weights = FactorValues::default();
    for (&i, priority) in named.iter().zip(priorities) {
        weights[Factor::ALL[i]] = priority;
    }
    Ok(AhpResult { weights, lambda_max, ci, cr, consistent: cr <= 0.1 })
}

/// The spec's tolerance for comparisons with a bound.
const TOLERANCE: f64 = 1e-9;

/// Saaty's random index for n = 1..=10, as the spec lists it.
const RANDOM_INDEX: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// Power iteration stops when no component moves by more than this.
const CONVERGED: f64 = 1e-12;

/// A positive matrix's Perron root strictly dominates, so power iteration converges; even the most
/// contradictory 1/9–9 matrices need a few hundred steps. The cap only guards against a bug.
const MAX_ITERATIONS: usize = 100_000;

fn factor_index(name: &str) -> Result<usize, ScoringError> {
    Factor::parse(name).map(Factor::index).ok_or_else(|| ScoringError::AhpUnknownFactor(name.to_string()))
}

/// Principal eigenvector (normalised to sum 1) and eigenvalue of the positive `n × n` row-major matrix.
fn principal_eigenvector(matrix: &[f64], n: usize) -> Result<(Vec<f64>, f64), ScoringError> {
    let multiply = |x: &[f64]| -> Vec<f64> { matrix.chunks_exact(n).map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum()).collect() };
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..MAX_ITERATIONS {
        let y = multiply(&x);
        let sum: f64 = y.iter().sum();
        let next: Vec<f64> = y.iter().map(|v| v / sum).collect();
        let moved = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        x = next;
        if moved <= CONVERGED {
            let lambda_max = multiply(&x).iter().sum();
            return Ok((x, lambda_max));
        }
    }
    Err(ScoringError::AhpNotConverged)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Comparisons = Vec<(String, String, f64)>;

    fn pairs(rows: &[(&str, &str, f64)]) -> Comparisons {
        rows.iter().map(|(a, b, v)| (a.to_string(), b.to_string(), *v)).collect()
    }

    fn weight(result: &AhpResult, factor: &str) -> f64 {
        result.weights[Factor::parse(factor).unwrap()]
    }

    #[test]
    fn saatys_drinks_example_gives_his_weights_and_cr_0_022() {
        // Saaty, T. L. (2008), "Decision making with the analytic hierarchy process", Int. J. Services
        // Sciences 1(1), 83–98, Table 2 "Which drink is consumed more in the U.S.?": derived scale
        // coffee .177, wine .019, tea .042, beer .116, sodas .190, milk .129, water .327, CR .022.
        // The seven drinks stand in for the first seven factors; privilege is not named.
        // Full-precision references from numpy 2.4 (`np.linalg.eig`, the principal eigenpair):
        //   λmax = 7.17662903933035, CI = 0.029438173221724966, CR = CI / 1.32 = 0.02230164638009467
        //   (Saaty's 2008 paper used RI(7) = 1.35, giving 0.0218: both round to his 0.022).
        let [coffee, wine, tea, beer, soda, milk, water] =
            ["ownership", "ties", "jurisdiction", "market", "testimony", "designations", "install_base"];
        let comparisons = pairs(&[
            (coffee, wine, 9.0),
            (coffee, tea, 5.0),
            (coffee, beer, 2.0),
            (coffee, soda, 1.0),
            (coffee, milk, 1.0),
            (water, coffee, 2.0),
            (tea, wine, 3.0),
            (beer, wine, 9.0),
            (soda, wine, 9.0),
            (milk, wine, 9.0),
            (water, wine, 9.0),
            (beer, tea, 3.0),
            (soda, tea, 4.0),
            (milk, tea, 3.0),
            (water, tea, 9.0),
            (soda, beer, 2.0),
            (beer, milk, 1.0),
            (water, beer, 3.0),
            (soda, milk, 2.0),
            (water, soda, 2.0),
            (water, milk, 3.0),
        ]);
        let result = ahp(&comparisons).unwrap();
        let numpy = [
            (coffee, 0.17745674744571696, 0.177),
            (wine, 0.019149476024353598, 0.019),
            (tea, 0.041831181662097865, 0.042),
            (beer, 0.11641703173485865, 0.116),
            (soda, 0.18957237532617624, 0.190),
            (milk, 0.12878054853872248, 0.129),
            (water, 0.3267926392680742, 0.327),
        ];
        for (factor, reference, published) in numpy {
            let got = weight(&result, factor);
            assert!((got - reference).abs() < 1e-9, "{factor}: the principal eigenvector says {reference}, got {got}");
            assert!((got - published).abs() < 0.0005, "{factor}: Saaty published {published}");
        }
        assert_eq!(weight(&result, "privilege"), 0.0, "a factor the file does not name gets weight 0");
        assert!((result.lambda_max - 7.17662903933035).abs() < 1e-9, "λmax {}", result.lambda_max);
        assert!((result.ci - 0.029438173221724966).abs() < 1e-9, "CI {}", result.ci);
        assert!((result.cr - 0.02230164638009467).abs() < 1e-9, "CR uses the spec's RI(7) = 1.32; got {}", result.cr);
        assert_eq!((result.cr * 1000.0).round() / 1000.0, 0.022, "Saaty's published CR");
        assert!(result.consistent, "CR 0.022 ≤ 0.1");
        let total: f64 = result.weights.values().sum();
        assert!((total - 1.0).abs() < 1e-12, "weights sum to 1");
    }

    #[test]
    fn a_consistent_matrix_has_exact_ratios_and_cr_zero() {
        // ownership = 2 × ties = 6 × privilege: weights 0.6, 0.3, 0.1 and λmax = n = 3.
        let result = ahp(&pairs(&[("ownership", "ties", 2.0), ("ties", "privilege", 3.0), ("ownership", "privilege", 6.0)])).unwrap();
        for (factor, want) in [("ownership", 0.6), ("ties", 0.3), ("privilege", 0.1)] {
            assert!((weight(&result, factor) - want).abs() < 1e-12, "{factor} should be {want}");
        }
        assert!((result.lambda_max - 3.0).abs() < 1e-12 && result.cr.abs() < 1e-12, "consistent: λmax = n, CR = 0");
    }

    #[test]
    fn two_factors_have_cr_zero_by_definition() {
        let result = ahp(&pairs(&[("privilege", "market", 4.0)])).unwrap();
        assert!((weight(&result, "privilege") - 0.8).abs() < 1e-12, "4:1 is 0.8 and 0.2");
        assert_eq!(result.cr, 0.0, "the spec sets CR = 0 for n ≤ 2");
    }

    #[test]
    fn an_inconsistent_cycle_is_reported_not_rejected() {
        // a > b > c > a, each at 9: as contradictory as comparisons get.
        let result = ahp(&pairs(&[("ownership", "ties", 9.0), ("ties", "market", 9.0), ("market", "ownership", 9.0)])).unwrap();
        assert!(!result.consistent && result.cr > 0.1, "a cycle of 9s is inconsistent (CR {})", result.cr);
        for factor in ["ownership", "ties", "market"] {
            assert!((weight(&result, factor) - 1.0 / 3.0).abs() < 1e-9, "the cycle is symmetric: equal weights");
        }
    }

    #[test]
    fn bad_files_are_errors_that_name_the_problem() {
        let cases: Vec<(Comparisons, ScoringError, &str)> = vec![
            (pairs(&[]), ScoringError::AhpEmpty, "nothing to compare"),
            (pairs(&[("ownership", "vibes", 2.0)]), ScoringError::AhpUnknownFactor("vibes".into()), "unknown factor"),
            (pairs(&[("ties", "ties", 1.0)]), ScoringError::AhpSelfPair(Factor::Ties), "self pair"),
            (
                pairs(&[("ties", "market", 2.0), ("market", "ties", 0.5)]),
                ScoringError::AhpRepeatedPair(Factor::Ties, Factor::Market),
                "a pair repeated in the other order",
            ),
            (
                pairs(&[("ties", "market", 2.0), ("ties", "privilege", 3.0)]),
                ScoringError::AhpMissingPair(Factor::Market, Factor::Privilege),
                "market–privilege is never compared",
            ),
            (
                pairs(&[("ties", "market", 10.0)]),
                ScoringError::AhpValueOutOfScale { a: Factor::Ties, b: Factor::Market, value: 10.0 },
                "above 9",
            ),
            (
                pairs(&[("ties", "market", 0.111)]),
                ScoringError::AhpValueOutOfScale { a: Factor::Ties, b: Factor::Market, value: 0.111 },
                "0.111 is below 1/9",
            ),
        ];
        for (input, error, why) in cases {
            assert_eq!(ahp(&input), Err(error), "{why}");
        }
        assert!(ahp(&pairs(&[("ties", "market", 0.111111111)])).is_ok(), "1/9 written to 9 decimals is on the scale");
        assert!(ahp(&pairs(&[("ties", "market", f64::NAN)])).is_err(), "NaN is not on the scale");
    }
}
