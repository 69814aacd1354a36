//! Weights: raw user numbers become normalised weights (sum 1) exactly once, here, so every method
//! downstream can trust the invariant. Also the named presets the product ships.

use serde::Serialize;

use super::{FACTOR_COUNT, Factor, FactorValues, ScoringError};

/// Normalised factor weights: non-negative, finite, summing to 1 (up to rounding), in factor order.
///
/// The field is private so that the only way to get one is [`Weights::normalised`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights([f64; FACTOR_COUNT]);

impl Weights {
    /// `raw / Σ raw`. Raw weights are any non-negative finite numbers on any scale (the defaults are
    /// on a 0–100 scale); all zero is an error because there is nothing to normalise by.
    pub fn normalised(raw: [f64; FACTOR_COUNT]) -> Result<Weights, ScoringError> {
        for (factor, value) in Factor::ALL.into_iter().zip(raw) {
            if !value.is_finite() {
                return Err(ScoringError::NonFiniteWeight { factor });
            }
            if value < 0.0 {
                return Err(ScoringError::NegativeWeight { factor });
            }
        }
        let sum: f64 = raw.iter().sum();
        if sum <= 0.0 {
            return Err(ScoringError::AllWeightsZero);
        }
        if !sum.is_finite() {
            // Finite values near f64::MAX can overflow the sum; rescale first rather than refuse.
            let max = raw.iter().copied().fold(0.0, f64::max);
            return Weights::normalised(raw.map(|value| value / max));
        }
        Ok(Weights(raw.map(|value| value / sum)))
    }

    pub fn as_array(&self) -> &[f64; FACTOR_COUNT] {
        &self.0
    }

    /// The weight of factor `j` (its [`Factor::index`]).
    pub fn get(&self, j: usize) -> f64 {
        self.0[j]
    }

    /// The weight of a factor.
    pub fn of(&self, factor: Factor) -> f64 {
        self.0[factor.index()]
    }

    /// The weights as a map.
    pub fn to_map(&self) -> FactorValues {
        FactorValues::from_array(self.0)
    }
}

impl Serialize for Weights {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

/// Raw weights of a named preset, on the defaults' 0–100 scale where that reads naturally.
///
/// - `default`: the spec's defaults — ownership 20, ties 15, jurisdiction 10, market 5, testimony 15,
///   designations 15, install_base 10, privilege 10.
/// - `equal`: every factor 1, for a reviewer who wants no built-in judgement.
/// - `bod-17-01`: the three grounds of DHS Binding Operational Directive 17-01 (privilege, ties,
///   jurisdiction) 1 each and the rest 0, to reproduce that directive's reasoning.
/// - `ownership-first`: ownership and designations doubled against the defaults, because reviews of
///   foreign ownership, control or influence (CFIUS-, FOCI- or FCC-Covered-List-style) turn on who
///   controls the vendor and whether it is already listed, not on what the product can do.
/// - `exposure-first`: privilege and install base tripled against the defaults, because an
///   incident-response triage asks first how much harm a compromised product could do and how widely.
pub fn preset(name: &str) -> Option<FactorValues> {
    PRESETS.iter().find(|(preset, _)| *preset == name).map(|(_, raw)| FactorValues::from_array(*raw))
}

/// Every preset with its raw weights, `default` first (for the UI's preset buttons).
pub fn presets() -> impl Iterator<Item = (&'static str, FactorValues)> {
    PRESETS.iter().map(|(name, raw)| (*name, FactorValues::from_array(*raw)))
}

/// Names accepted by [`preset`], `default` first.
pub fn preset_names() -> &'static [&'static str] {
    &PRESET_NAMES
}

const PRESETS: [(&str, [f64; FACTOR_COUNT]); 5] = [
    ("default", [20.0, 15.0, 10.0, 5.0, 15.0, 15.0, 10.0, 10.0]),
    ("equal", [1.0; FACTOR_COUNT]),
    ("bod-17-01", [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
    ("ownership-first", [40.0, 15.0, 10.0, 5.0, 15.0, 30.0, 10.0, 10.0]),
    ("exposure-first", [20.0, 15.0, 10.0, 5.0, 15.0, 15.0, 30.0, 30.0]),
];

const PRESET_NAMES: [&str; PRESETS.len()] = {
    let mut names = [""; PRESETS.len()];
    let mut i = 0;
    while i < PRESETS.len() {
        names[i] = PRESETS[i].0;
        i += 1;
    }
    names
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_divides_by_the_sum() {
        let weights = Weights::normalised(preset("default").unwrap().to_array()).unwrap();
        let expected = [0.2, 0.15, 0.1, 0.05, 0.15, 0.15, 0.1, 0.1];
        for (got, want) in weights.as_array().iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "default weights are the raw defaults over 100");
        }
    }

    #[test]
    fn normalised_rejects_all_zero_negative_and_non_finite() {
        assert_eq!(
            Weights::normalised([0.0; 8]),
            Err(ScoringError::AllWeightsZero),
            "all-zero weights cannot be normalised and the spec makes them an error"
        );
        let mut raw = [1.0; 8];
        raw[2] = -0.5;
        assert_eq!(
            Weights::normalised(raw),
            Err(ScoringError::NegativeWeight { factor: Factor::Jurisdiction }),
            "a negative weight would reward risk; the error names the factor"
        );
        raw[2] = f64::INFINITY;
        assert_eq!(
            Weights::normalised(raw),
            Err(ScoringError::NonFiniteWeight { factor: Factor::Jurisdiction }),
            "an infinite weight has no normalised value"
        );
    }

    #[test]
    fn normalised_survives_a_sum_that_overflows() {
        let weights = Weights::normalised([f64::MAX, f64::MAX, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]).unwrap();
        assert_eq!(weights.get(0), 0.5, "two equal huge weights still split evenly");
    }

    #[test]
    fn presets_are_listed_and_valid() {
        assert_eq!(preset_names()[0], "default", "default comes first so a UI can preselect it");
        for name in ["default", "equal", "bod-17-01"] {
            assert!(preset_names().contains(&name), "the spec requires the {name} preset");
        }
        for name in preset_names() {
            let raw = preset(name).unwrap();
            assert!(Weights::normalised(raw.to_array()).is_ok(), "preset {name} must normalise");
        }
        assert_eq!(preset("bod-17-01").unwrap().to_array(), [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(preset("equal").unwrap().to_array(), [1.0; 8]);
        assert_eq!(preset("nope"), None, "unknown names are the caller's usage error");
    }
}
