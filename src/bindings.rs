//! The TypeScript side of the IPC contract. Types that cross to the UI derive [`ts_rs::TS`]; where
//! a type serialises through a hand-written `Serialize` (factor-keyed objects, SMAA's result), its
//! TypeScript shape is declared here once and the type points at it with `#[ts(as = …)]`.
//!
//! `cargo xtask codegen` writes the files into `ui/src/lib/api/bindings/`; `--check` (run by
//! `cargo xtask test`) fails when the committed files drift from these types.

use serde::Serialize;
use ts_rs::TS;

use crate::scoring::{Method, SmaaVendor};

/// A factor's key, in the spec's factor order.
#[derive(Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "Factor")]
pub enum FactorName {
    Ownership,
    Ties,
    Jurisdiction,
    Market,
    Testimony,
    Designations,
    InstallBase,
    Privilege,
}

/// One number per factor (values, weights or contributions), in the spec's factor order.
#[derive(Serialize, TS)]
#[ts(rename = "FactorValues")]
pub struct FactorValuesShape {
    pub ownership: f64,
    pub ties: f64,
    pub jurisdiction: f64,
    pub market: f64,
    pub testimony: f64,
    pub designations: f64,
    pub install_base: f64,
    pub privilege: f64,
}

/// How SMAA drew its weights.
#[derive(Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "SmaaMode")]
pub enum SmaaModeName {
    Uniform,
    Around,
}

/// The JSON of [`crate::scoring::SmaaResult`].
#[derive(Serialize, TS)]
#[ts(rename = "SmaaResult")]
pub struct SmaaResultShape {
    pub samples: usize,
    pub seed: u64,
    pub mode: SmaaModeName,
    /// Only for `around`.
    #[ts(optional)]
    pub kappa: Option<f64>,
    pub method: Method,
    /// How many ranks the acceptabilities cover (K).
    pub ranks: usize,
    /// By vendor_id.
    pub vendors: Vec<SmaaVendor>,
}

/// How the bindings are generated: integers as `number` (JSON numbers; no id or count here comes
/// near 2^53), into `TS_RS_EXPORT_DIR`.
pub fn config() -> ts_rs::Config {
    ts_rs::Config::from_env().with_large_int("number")
}

#[cfg(test)]
mod tests {
    use ts_rs::TS;

    /// Run by `cargo xtask codegen` (ignored otherwise, so plain test runs write no files).
    #[test]
    #[ignore = "writes files; run by `cargo xtask codegen`"]
    fn export_typescript_bindings() {
        let cfg = super::config();
        crate::engine::ScoreReport::export_all(&cfg).unwrap();
        crate::engine::Explanation::export_all(&cfg).unwrap();
        crate::engine::SensitivityReport::export_all(&cfg).unwrap();
        crate::engine::ScenarioDiff::export_all(&cfg).unwrap();
        crate::scoring::SmaaResult::export_all(&cfg).unwrap();
        crate::scoring::AhpResult::export_all(&cfg).unwrap();
        crate::scenario::ScenarioInput::export_all(&cfg).unwrap();
        crate::scenario::ScenarioSpec::export_all(&cfg).unwrap();
        crate::ingest::Report::export_all(&cfg).unwrap();
        crate::api::ImportOutcome::export_all(&cfg).unwrap();
        crate::store::VendorListing::export_all(&cfg).unwrap();
        crate::api::EntryResult::export_all(&cfg).unwrap();
        crate::api::TableSchema::export_all(&cfg).unwrap();
        super::FactorName::export_all(&cfg).unwrap();
    }
}
