//! The evidence behind each factor value: the rows and intermediate numbers a UI needs to answer
//! "why is this number what it is?" without recomputing anything.
//!
//! Evidence is owned data (it outlives the [`Facts`](super::Facts) it came from) and serializes with a
//! `kind` tag, e.g. `{"kind": "stake", "from": "…", …}`. It names entities by id; the entity ids in
//! it are the resolved ones (a `vendor_id` used as a reference appears as that vendor's entity id).

use chrono::NaiveDate;
use serde::Serialize;

use super::params::MissingPolicy;

/// One item of evidence for one factor of one vendor.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// ownership: one equity row `from → to` (the vendor's entity) in force on `as_of`.
    /// `contribution = share · exposure_of_owner`; parallel rows appear one by one and their
    /// contributions add up to the edge's (ownership is their sum, capped at 1).
    /// A row given as a range carries it in `range` (`[share_min, share_max]`), and `share` is its
    /// point on the scenario's `share_basis` (v1.3).
    Stake {
        from: String,
        to: String,
        share: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        range: Option<[f64; 2]>,
        exposure_of_owner: f64,
        contribution: f64,
        source: String,
    },
    /// ownership (v1.3): a control tie `controller ⇒ to` (the vendor's entity) at least as confident as
    /// `control_confidence`: the vendor carries the controller's exposure in full.
    ControlStep { controller: String, to: String, confidence: f64, exposure_of_controller: f64, source: String },
    /// ties, testimony: an entity controlling the vendor, with one shortest control path
    /// `entity → … → vendor entity` (every step's added share ≥ `control_threshold`).
    Controller { entity: String, path: Vec<String> },
    /// ties: one tie row between `member` (the vendor's entity or a controller) and a concern entity
    /// `other` outside that set; `p = concern_weight · strength · confidence`.
    Tie {
        member: String,
        other: String,
        tie_kind: Option<String>,
        strength: f64,
        confidence: f64,
        concern_weight: f64,
        p: f64,
        source: String,
    },
    /// jurisdiction: the vendor's headquarters country and whether it is of concern.
    Jurisdiction { hq_country: String, of_concern: bool },
    /// market: the sales years in the window (ascending) and the two revenue sums.
    MarketYears { years: Vec<i32>, concern_revenue: f64, total_revenue: f64 },
    /// testimony: one note counted, with its age and its signed, decayed term. (`stance` and
    /// `reliability` are the grammar's words, shared rather than copied per note.)
    NoteTerm {
        note_id: String,
        subject: String,
        date: NaiveDate,
        stance: &'static str,
        severity: i64,
        reliability: &'static str,
        credibility: i64,
        age_years: f64,
        term: f64,
        source: String,
    },
    /// designations: a listing in force. `via` is `None` for the vendor entity's own listing; for a
    /// list inherited under the 50 Percent Rule it names the designated direct holder it came through,
    /// and `entity` is the entity whose own listing started the chain (one chain per list is shown).
    Listing { entity: String, list: String, effective: NaiveDate, ends: Option<NaiveDate>, source: String, via: Option<String> },
    /// designations: a designated direct holder of the vendor's entity, when the 50 Percent Rule
    /// applies to it (these shares sum to ≥ `control_threshold`).
    DesignatedHolder { holder: String, share: f64 },
    /// install_base: the latest year counted and its summed users.
    InstallYear { year: i32, users: i64 },
    /// privilege: the vendor's privilege level.
    Privilege { level: String },
    /// market, install_base: the vendor had no usable rows, so the missing policy set the value.
    Missing { policy: MissingPolicy, value: f64 },
}
