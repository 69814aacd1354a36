//! Input types of the charts: plain data, already computed by the scoring and factor code.
//!
//! They depend on no other Vetta module (but the shared factor list) so that the charts can be drawn from a saved scenario or a test
//! fixture alone, and they derive serde so the UI can hand them over as JSON unchanged.

use serde::{Deserialize, Serialize};

/// The eight risk factors in model order (risk model v1.3). Every per-factor array below is in this order.
pub use crate::model::Factor;

/// The factor with this key (`"install_base"`) or label (`"Install base"`), if it is one of the eight.
pub fn factor_named(key_or_label: &str) -> Option<Factor> {
    Factor::parse(key_or_label).or_else(|| Factor::ALL.into_iter().find(|f| f.label().eq_ignore_ascii_case(key_or_label)))
}

/// One vendor's bar in the ranking, given in rank order (rank 1 = riskiest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingBar {
    pub vendor_id: String,
    pub name: String,
    /// Final (mitigated) score in [0, 100].
    pub score: f64,
    /// `low` | `moderate` | `high` | `severe`, as computed by the scoring code.
    pub band: String,
    /// A designated vendor is prohibited whatever its score.
    pub prohibited: bool,
    /// Per-factor contributions that add up to the score (weighted_sum only; `None` for other methods).
    pub contributions: Option<[f64; 8]>,
}

/// One vendor's factor profile for the radar chart: each factor in [0, 1], higher = riskier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub factors: [f64; 8],
}

/// One sales row: a vendor's revenue in one country and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesPoint {
    pub year: i32,
    pub country: String,
    pub revenue_usd: f64,
    /// Whether `country` is a country of concern under the scenario's parameters.
    pub concern: bool,
}

/// One install-base row: users of the vendor's products in one year (rows of the same year are added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallPoint {
    pub year: i32,
    pub users: f64,
}

/// One graded statement about the vendor or one of its controllers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestimonyPoint {
    pub date: chrono::NaiveDate,
    /// 0..=3; values outside are clamped when drawn.
    pub severity: i64,
    /// `concern` | `neutral` | `exculpatory`.
    pub stance: String,
    /// Admiralty grade, `A1` .. `F6`.
    pub grade: String,
    /// Short speaker label.
    pub label: String,
}

/// One factor's row in a tornado: the vendor's score with that factor's weight lowered and raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    /// Factor key (`"install_base"`) or any label; known factors get their colour and human label.
    pub factor: String,
    /// Score with the weight lowered (`w_j·(1−delta)`).
    pub low_score: f64,
    /// Score with the weight raised (`w_j·(1+delta)`).
    pub high_score: f64,
}

/// One vendor's SMAA-2 rank acceptabilities: `acceptability[r]` = share of samples with rank r+1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmaaRow {
    pub vendor_id: String,
    pub name: String,
    pub acceptability: Vec<f64>,
}

/// An entity in a vendor's ownership graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerNode {
    pub id: String,
    pub name: String,
    /// `company` | `person` | `state_body` | `vendor`.
    pub kind: String,
    /// Concern weight `a(e) > 0`.
    pub concern: bool,
    /// A controller of the vendor (a control path of shares ≥ the control threshold).
    pub controller: bool,
}

/// An edge of the ownership graph: equity `from` owns a share of `to`, or an undirected non-equity tie.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerEdge {
    pub from: String,
    pub to: String,
    /// Equity share in [0, 1]; `None` when unknown (or for ties).
    pub share: Option<f64>,
    /// A non-equity tie (no direction) rather than equity.
    pub tie: bool,
    /// An alleged, unconfirmed tie.
    pub alleged: bool,
    /// An equity share given as a range `[low, high]` (v1.3), labelled as the band.
    #[serde(default)]
    pub range: Option<(f64, f64)>,
    /// A control tie (v1.3): `from` controls `to`; drawn directed, in its own style.
    #[serde(default)]
    pub control: bool,
}

/// A vendor's ownership graph: `root` is the vendor's entity id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnershipGraph {
    pub nodes: Vec<OwnerNode>,
    pub edges: Vec<OwnerEdge>,
    pub root: String,
}
