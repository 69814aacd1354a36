//! Scoring: turns a factor matrix and a set of weights into scores, ranks and bands, and answers the
//! what-if questions about them — tornado, stability intervals, SMAA-2 rank acceptability — plus AHP
//! weight elicitation. Every number here is the one `risk-model.md` v1.2 defines, to 1e-9.
//!
//! This module does no IO and keeps no state: it never reads the store, the clock or the
//! environment, and its only randomness is SMAA's, seeded by the caller. Computing the eight factors
//! from the store's facts lives elsewhere (`factors`); so do formatting, CSV parsing and printing.
//!
//! Inside, paths are `self::`/`super::` only, so this folder can move as a unit.

mod ahp;
mod error;
mod methods;
mod rank;
mod sensitivity;
mod smaa;
mod weights;

pub use self::ahp::{AhpResult, ahp};
pub use self::error::ScoringError;
pub use self::methods::{Method, contributions, scores};
pub use self::rank::{Band, ranks, risk_order, round9};
pub use self::sensitivity::{StabilityRow, TornadoRow, stability, tornado};
pub use self::smaa::{SmaaMode, SmaaResult, SmaaVendor, smaa, smaa_with_progress};
pub use self::weights::{Weights, preset, preset_names, presets};

pub use crate::model::{Factor, FactorMap};

/// How many factors a vendor row has: the stride of [`Matrix::x`]; every `[f64; 8]` in this module
/// is in [`Factor`] order.
pub const FACTOR_COUNT: usize = Factor::COUNT;

/// One number per factor: values, weights or contributions.
pub type FactorValues = FactorMap<f64>;

/// The vendors to score, borrowed from whoever computed the factors.
///
/// `x` is row-major: vendor `i`, factor `j` is `x[i * 8 + j]`. Functions taking a `Matrix` assume
/// the shape and ranges [`Matrix::new`] checks; build one with it when the data comes from outside.
#[derive(Debug, Clone, Copy)]
pub struct Matrix<'a> {
    pub ids: &'a [String],
    pub x: &'a [f64],
    pub mitigation: &'a [f64],
}

impl<'a> Matrix<'a> {
    /// Checks the shape (`x` has 8 values per vendor, one mitigation per vendor) and the domains:
    /// factors in [0, 1], mitigation in [0, 0.3]. Out-of-domain values are errors, never clamped.
    pub fn new(ids: &'a [String], x: &'a [f64], mitigation: &'a [f64]) -> Result<Self, ScoringError> {
        let vendors = ids.len();
        if x.len() != vendors * FACTOR_COUNT || mitigation.len() != vendors {
            return Err(ScoringError::MatrixShape { vendors, values: x.len(), mitigations: mitigation.len() });
        }
        for (i, row) in x.chunks_exact(FACTOR_COUNT).enumerate() {
            if let Some(j) = row.iter().position(|v| !(0.0..=1.0).contains(v)) {
                return Err(ScoringError::FactorOutOfRange { vendor: ids[i].clone(), factor: Factor::ALL[j], value: row[j] });
            }
        }
        if let Some(i) = mitigation.iter().position(|m| !(0.0..=0.3).contains(m)) {
            return Err(ScoringError::MitigationOutOfRange { vendor: ids[i].clone(), value: mitigation[i] });
        }
        Ok(Matrix { ids, x, mitigation })
    }

    /// Number of vendors.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Vendor `i`'s eight factors.
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.x[i * FACTOR_COUNT..(i + 1) * FACTOR_COUNT]
    }

    /// Panics with a programmer-facing message when the shape is wrong: every public entry point
    /// calls this so a bad slice fails loudly instead of scoring the wrong vendor.
    fn assert_shape(&self) {
        assert_eq!(self.x.len(), self.ids.len() * FACTOR_COUNT, "Matrix::x must hold 8 factors per vendor");
        assert_eq!(self.mitigation.len(), self.ids.len(), "Matrix::mitigation must hold one value per vendor");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i}")).collect()
    }

    #[test]
    fn matrix_new_accepts_the_domain_boundaries() {
        let ids = ids(1);
        let x = [0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0];
        assert!(Matrix::new(&ids, &x, &[0.3]).is_ok(), "0, 1 and mitigation 0.3 are inside the spec's closed domains");
    }

    #[test]
    fn matrix_new_rejects_out_of_domain_values_instead_of_clamping() {
        let ids = ids(1);
        let mut x = [0.0; 8];
        x[3] = 1.5;
        match Matrix::new(&ids, &x, &[0.0]) {
            Err(ScoringError::FactorOutOfRange { factor, .. }) => {
                assert_eq!(factor, Factor::Market, "the error must name the offending factor")
            }
            other => panic!("a factor above 1 must be rejected, got {other:?}"),
        }
        assert!(
            matches!(Matrix::new(&ids, &[0.0; 8], &[0.31]), Err(ScoringError::MitigationOutOfRange { .. })),
            "mitigation above 0.3 is outside its domain"
        );
        assert!(
            matches!(Matrix::new(&ids, &[f64::NAN; 8], &[0.0]), Err(ScoringError::FactorOutOfRange { .. })),
            "NaN is not a number in [0, 1]"
        );
        assert!(
            matches!(Matrix::new(&ids, &[0.0; 7], &[0.0]), Err(ScoringError::MatrixShape { .. })),
            "seven values cannot be one vendor's eight factors"
        );
    }
}
