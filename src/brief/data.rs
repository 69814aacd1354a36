//! The plain data a brief is typeset from, and the only thing the typst templates ever see.
//!
//! Every struct here is serialised to JSON and served to typst as the virtual file `/data.json`; the
//! templates read it with `json("/data.json")` and print its strings as text values. Nothing in here
//! is ever parsed as typst markup or code, which is why a note may hold `#read("/etc/passwd")` or
//! `*bold*` and still print verbatim.
//!
//! The structs are filled by the engine glue (scores, factors, evidence sentences, charts); this
//! module does no scoring and no IO. Field meanings follow the risk model v1.2.

use serde::{Serialize, Serializer};

/// Paper size of the PDF. Serialised with typst's paper names so the template can pass it straight
/// to `page(paper: …)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Paper {
    /// ISO A4 (210 × 297 mm), the default outside North America.
    #[default]
    #[serde(rename = "a4")]
    A4,
    /// US Letter (8.5 × 11 in).
    #[serde(rename = "us-letter")]
    UsLetter,
}

/// Document-level facts printed on the cover, in the running header and in the provenance appendix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Title shown on the cover and written to the PDF's metadata.
    pub title: String,
    /// Name of the scenario the scores were computed under, e.g. `default`.
    pub scenario: String,
    /// Aggregation method, e.g. `weighted_sum`.
    pub method: String,
    /// Evaluation date of the scores, `YYYY-MM-DD`.
    pub as_of: String,
    /// Date printed on the brief and written as the PDF's creation date, `YYYY-MM-DD`. It is data,
    /// never the clock, so that the same data gives a byte-identical PDF.
    pub document_date: String,
    pub vetta_version: String,
    /// SHA-256 of the dataset the scores were computed from (hex).
    pub dataset_sha256: String,
    /// Seed of the SMAA run, if one was made. Serialised as a string: typst reads JSON integers as
    /// i64 (or as a float above that), so a seed ≥ 2^63 would otherwise print wrongly.
    #[serde(serialize_with = "opt_u64_as_string")]
    pub smaa_seed: Option<u64>,
    pub paper: Paper,
}

fn opt_u64_as_string<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.serialize_str(&n.to_string()),
        None => s.serialize_none(),
    }
}

/// A vendor's headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorHead {
    pub vendor_id: String,
    pub name: String,
    /// ISO 3166 alpha-2 country of the headquarters.
    pub hq_country: String,
    /// `none`, `user`, `admin` or `kernel`.
    pub privilege: String,
    pub category: Option<String>,
    /// Final (mitigated) score in [0, 100].
    pub score: f64,
    /// `low`, `moderate`, `high` or `severe`.
    pub band: String,
    /// Rank among all `of` vendors in the store (1 = riskiest).
    pub rank: usize,
    pub of: usize,
    /// Designated on the evaluation date (prohibited whatever the score).
    pub prohibited: bool,
    /// The designation lists reported for the vendor, sorted by name.
    pub lists: Vec<String>,
    /// Not designated on what the sources establish, but it would be if its ownership ranges were at
    /// their upper bounds (v1.3): never "prohibited".
    #[serde(default)]
    pub possibly_prohibited: bool,
    /// The lists it would then carry, and the holdings given as ranges (printable).
    #[serde(default)]
    pub possible_lists: Vec<String>,
    #[serde(default)]
    pub range_holdings: Vec<String>,
    /// Recorded mitigation in [0, 0.3]; the score already includes it.
    pub mitigation: f64,
}

/// One factor of one vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorLine {
    /// Factor id, e.g. `install_base`.
    pub factor: String,
    /// Human label, e.g. `Install base`.
    pub label: String,
    /// Factor value in [0, 1].
    pub value: f64,
    /// Normalised weight in [0, 1].
    pub weight: f64,
    /// Points contributed to the score (weighted_sum only; `None` for the other methods).
    pub contribution: Option<f64>,
    /// The factor had no data and carries the scenario's missing-data value.
    pub missing: bool,
    /// Plain sentences already written by the engine glue.
    pub evidence: Vec<String>,
}

/// An entity that controls the vendor through equity. "Controlled by" is written only for these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Controller {
    pub name: String,
    /// The control path, controller first, vendor last.
    pub path: Vec<String>,
}

/// A non-equity tie of the vendor (or a controller) to a concern entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieLine {
    /// Name of the other end of the tie.
    pub other: String,
    /// Kind of tie, e.g. `contract`, `joint project`.
    pub kind: String,
    /// The source alleges the tie; it must never be stated as fact.
    pub alleged: bool,
    pub strength: f64,
    pub confidence: f64,
    pub source: String,
}

/// One graded testimony excerpt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub speaker: String,
    pub venue: Option<String>,
    /// `concern`, `neutral` or `exculpatory`.
    pub stance: String,
    /// Admiralty grade, reliability letter then credibility digit, e.g. `B2`.
    pub grade: String,
    /// Paraphrase of the statement, written by an analyst.
    pub summary: String,
    /// Verbatim words, when the source gives them.
    pub quote: Option<String>,
    pub source: String,
}

/// Stability interval of one factor's weight: within [lo, hi] the vendor's order stays as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StabilityLine {
    pub factor_label: String,
    pub weight: f64,
    pub lo: f64,
    pub hi: f64,
}

/// SMAA-2 result for the vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmaaLine {
    /// `acceptability[r]` = share of samples in which the vendor has rank r + 1.
    pub acceptability: Vec<f64>,
    pub holistic: f64,
}

/// One import batch of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Batch {
    pub batch_id: i64,
    pub created_at: String,
    pub label: String,
    /// `(file name, sha256)` of every file imported in the batch.
    pub files: Vec<(String, String)>,
}

/// A chart drawn elsewhere (plotters, SVG backend), served to typst as `/charts/{file}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// File name, e.g. `ranking.svg`: letters, digits, `-`, `_`, `.`, ending in `.svg`.
    pub file: String,
    pub caption: String,
    /// The SVG text. Not serialised into `/data.json`: typst reads it as its own virtual file.
    #[serde(skip)]
    pub svg: String,
}

/// Everything a single-vendor brief shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorBrief {
    pub meta: Meta,
    pub vendor: VendorHead,
    pub factors: Vec<FactorLine>,
    pub controllers: Vec<Controller>,
    pub ties: Vec<TieLine>,
    pub testimony: Vec<Excerpt>,
    /// The ownership chain as printable lines.
    pub ownership_chain: Vec<String>,
    pub stability: Vec<StabilityLine>,
    pub smaa: Option<SmaaLine>,
    pub tornado_note: Option<String>,
    /// `(factor label, normalised weight)`.
    pub weights: Vec<(String, f64)>,
    /// `(parameter name, value as written)`.
    pub params: Vec<(String, String)>,
    /// Every source cited, as printable citations.
    pub sources: Vec<String>,
    /// Who the vendor is across sources: other ids, the links that say so, aliases, identifiers
    /// (printable lines; empty when the store holds none).
    pub identity: Vec<String>,
    pub batches: Vec<Batch>,
    pub charts: Vec<Chart>,
    /// "Changes since …", when asked for.
    pub changes: Option<ChangesSection>,
}

/// What changed for the briefed vendors between an earlier end and now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangesSection {
    /// The earlier end, as `changes` names it (`2024-01-01 (current store)`, `batch 4 (as of …)`).
    pub from: String,
    pub to: String,
    /// `(vendor name, sentences)` for each briefed vendor that changed.
    pub vendors: Vec<(String, Vec<String>)>,
}

/// Where two or more compared vendors differ most on one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub factor_label: String,
    /// Highest minus lowest factor value among the compared vendors.
    pub spread: f64,
    /// Name of the vendor with the highest value.
    pub highest: String,
    /// Name of the vendor with the lowest value.
    pub lowest: String,
}

/// Everything a comparison brief (2–10 vendors) shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonBrief {
    pub meta: Meta,
    /// Vendors in the order the caller wants them shown, each with its factor lines (same factor
    /// order for every vendor).
    pub vendors: Vec<(VendorHead, Vec<FactorLine>)>,
    pub differences: Vec<Difference>,
    pub weights: Vec<(String, f64)>,
    pub params: Vec<(String, String)>,
    pub sources: Vec<String>,
    pub batches: Vec<Batch>,
    pub charts: Vec<Chart>,
    /// "Changes since …", when asked for.
    pub changes: Option<ChangesSection>,
}
