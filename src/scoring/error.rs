//! The one error type of scoring. Each message is a sentence a user can act on, because the CLI and
//! the app show it as is; variants carry the values the UI may want to point at.

use thiserror::Error;

use super::Factor;

/// Serialises as `{"kind": "negative_weight", "values": {"factor": "ties"}}`, so the app can point at
/// the factor or value at fault; the message is the `Display` text.
#[derive(Debug, Clone, PartialEq, Error, serde::Serialize, ts_rs::TS)]
#[serde(tag = "kind", content = "values", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScoringError {
    #[error("All weights are zero; give at least one factor a positive weight.")]
    AllWeightsZero,

    #[error("The weight of {factor} is negative; weights must be zero or more.")]
    NegativeWeight { factor: Factor },

    #[error("The weight of {factor} is not a finite number.")]
    NonFiniteWeight { factor: Factor },

    #[error(
        "The factor matrix has the wrong shape: {vendors} vendors need {} factor values and {vendors} mitigations, \
         got {values} and {mitigations}.",
        vendors * super::FACTOR_COUNT
    )]
    MatrixShape { vendors: usize, values: usize, mitigations: usize },

    #[error("Vendor {vendor} has {factor} = {value}, outside [0, 1].")]
    FactorOutOfRange { vendor: String, factor: Factor, value: f64 },

    #[error("Vendor {vendor} has mitigation {value}, outside [0, 0.3].")]
    MitigationOutOfRange { vendor: String, value: f64 },

    #[error("The tornado delta must be above 0 and at most 1; got {0}.")]
    BadDelta(f64),

    #[error(
        "Lowering the weight of {factor} by the full delta leaves every weight at zero; \
         use a delta below 1 or give another factor a weight."
    )]
    TornadoWeightsZero { factor: Factor },

    #[error("SMAA's kappa must be a number above 0; got {0}.")]
    BadKappa(f64),

    #[error("The number of ranks to report must be at least 1.")]
    ZeroRanks,

    #[error("SMAA needs at least one sample.")]
    ZeroSamples,

    #[error("SMAA works with weighted_sum or weighted_product, not topsis: a TOPSIS score depends on the other vendors.")]
    TopsisSmaa,

    #[error("The SMAA run was cancelled.")]
    Cancelled,

    #[error("The AHP file has no comparisons.")]
    AhpEmpty,

    #[error("The AHP file names an unknown factor '{0}'.")]
    AhpUnknownFactor(String),

    #[error("The AHP file compares {0} with itself; compare each factor only with the others.")]
    AhpSelfPair(Factor),

    #[error("The AHP file compares {0} and {1} more than once (in either order); keep one comparison per pair.")]
    AhpRepeatedPair(Factor, Factor),

    #[error("The AHP file has no comparison of {0} and {1}; every pair of the factors it names needs one.")]
    AhpMissingPair(Factor, Factor),

    #[error(
        "The AHP comparison of {a} over {b} is {value}, outside Saaty's scale [1/9, 9]; \
         for a value below 1/9 write the pair the other way round."
    )]
    AhpValueOutOfScale { a: Factor, b: Factor, value: f64 },

    #[error("The AHP weights did not converge; check the comparisons for extreme contradictions.")]
    AhpNotConverged,
}
