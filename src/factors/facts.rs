//! The facts the factors are computed from: plain rows as the store loads them (data-formats.md v1.2),
//! already validated and with their defaults filled in (`entity_id`, `strength`, `confidence`,
//! `state_affiliated`, summed sales and install-base keys). Ids are the dataset's strings; a
//! `vendor_id` used where an entity id is expected is accepted for that vendor's entity, as the import
//! format allows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything the factor computation reads, for every vendor at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub entities: Vec<Entity>,
    pub vendors: Vec<Vendor>,
    pub edges: Vec<Edge>,
    pub notes: Vec<Note>,
    pub sales: Vec<SalesRow>,
    pub installs: Vec<InstallRow>,
    pub listings: Vec<Listing>,
    /// `same` links (v1.3): pairs of entity ids an analyst confirmed to name one legal person.
    pub links: Vec<(String, String)>,
}

/// An explicit entity (`entities.csv`). Vendors without one get an implicit entity (see [`Vendor`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    /// `company`, `person` or `state_body`.
    pub kind: String,
    pub country: String,
    /// Already defaulted by the loader (true for `state_body`, else false).
    pub state_affiliated: bool,
}

/// A vendor (`vendors.csv`). Its entity is `entity_id`; when no explicit [`Entity`] has that id, it is
/// an implicit company in `hq_country`, not state-affiliated, named after the vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub entity_id: String,
    pub hq_country: String,
    /// `none`, `user`, `admin` or `kernel`.
    pub privilege: String,
    /// Recorded mitigation in [0, 0.3]; passed through to the scorer, which applies it.
    pub mitigation: f64,
}

/// Kind of an ownership-file row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Directed: `from` holds `share` of `to`.
    Equity,
    /// Undirected non-equity tie (board seat, contract, …).
    Tie,
}

/// One row of `ownership.csv`; `from` and `to` are entity ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub relation: Relation,
    /// Equity share in [0, 1]; an equity row has it or a range (a row with neither counts as 0).
    pub share: Option<f64>,
    /// The range `[share_min, share_max]` of an equity row given as one (v1.3).
    pub share_min: Option<f64>,
    pub share_max: Option<f64>,
    pub tie_kind: Option<String>,
    /// Tie strength in [0, 1] (loader default 1).
    pub strength: f64,
    /// Tie confidence in [0, 1] (loader default 1).
    pub confidence: f64,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub source: String,
}

impl Edge {
    /// The equity share on `basis`: `share`, or the basis point of the range.
    pub fn point(&self, basis: super::ShareBasis) -> f64 {
        match (self.share, self.share_min, self.share_max) {
            (Some(share), _, _) => share,
            (None, None, None) => 0.0,
            (None, min, max) => basis.point(min.unwrap_or(0.0), max.unwrap_or(1.0)),
        }
    }

    /// Whether the row is equity given as a range.
    pub fn is_range(&self) -> bool {
        self.relation == Relation::Equity && self.share.is_none() && (self.share_min.is_some() || self.share_max.is_some())
    }

    /// Whether the edge counts on `as_of`: `since` empty or ≤ `as_of`, `until` empty or ≥ `as_of`
    /// (both ends inclusive, so an edge ending on the evaluation date still counts that day).
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.since.is_none_or(|since| since <= as_of) && self.until.is_none_or(|until| until >= as_of)
    }
}

/// One graded statement (`testimony.csv`); `subject` is an entity id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    pub subject: String,
    pub date: NaiveDate,
    pub speaker: String,
    /// `concern`, `neutral` or `exculpatory`.
    pub stance: String,
    /// 0..=3.
    pub severity: i64,
    /// Admiralty reliability grade `A`..`F`.
    pub reliability: String,
    /// Admiralty credibility grade 1..=6.
    pub credibility: i64,
    pub summary: String,
    pub source: String,
}

/// Revenue of one (vendor, year, country, segment) key, already summed by the importer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesRow {
    pub vendor_id: String,
    pub year: i32,
    pub country: String,
    pub segment: String,
    pub revenue_usd: f64,
}

/// Install base of one (vendor, year, country, segment) key, already summed by the importer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallRow {
    pub vendor_id: String,
    pub year: i32,
    pub country: String,
    pub segment: String,
    pub users: i64,
    pub organizations: Option<i64>,
}

/// One designation (`designations.csv`); `subject` is an entity id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub subject: String,
    pub list: String,
    pub effective: NaiveDate,
    /// Last day in force (inclusive); `None` = open-ended.
    pub ends: Option<NaiveDate>,
    pub source: String,
}

impl Listing {
    /// Whether the listing is in force on `as_of`: `effective ≤ as_of` and `ends` empty or ≥ `as_of`.
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.effective <= as_of && self.ends.is_none_or(|ends| ends >= as_of)
    }
}
