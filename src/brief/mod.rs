//! PDF briefs: a single-vendor brief and a comparison brief of 2–10 vendors, typeset with typst
//! used as a library.
//!
//! What lives here:
//! - [`data`]: the plain, serialisable data a brief is made from (filled by the engine glue);
//! - [`summary`]: the executive-summary sentences, whose wording is a legal matter;
//! - [`Typesetter`]: loads the embedded fonts once and renders briefs to PDF bytes;
//! - the typst templates `common.typ`, `vendor.typ` and `comparison.typ`, next to this file.
//!
//! What does not: scoring, evidence sentences, charts (SVG text comes in as data), file IO (the
//! caller writes the bytes), system fonts, the network and the clock.
//!
//! Safety model. User and import text never becomes typst markup: the data is serialised to JSON
//! and served as the virtual file `/data.json`, which the template reads with `json(…)` and prints
//! as string values. The [`World`] serves only that file, the templates, the chart SVGs and the
//! embedded fonts; any other path is `FileError::NotFound`, so no file of the machine can reach a
//! PDF, even through a linked image inside a chart SVG.
//!
//! Reproducibility. The PDF's creation date is `meta.document_date` (set in the template with
//! `set document(date: …)` and as the export timestamp), the world's `today()` is that date, and the
//! PDF identifier is derived from the data, so the same data gives byte-identical PDFs.

pub mod data;
#[doc(hidden)]
pub mod demo;
pub mod summary;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use self::data::{Chart, ComparisonBrief, FactorLine, Meta, VendorBrief, VendorHead};

const COMMON_TYP: &str = include_str!("common.typ");
const VENDOR_TYP: &str = include_str!("vendor.typ");
const COMPARISON_TYP: &str = include_str!("comparison.typ");

/// Most vendors a comparison brief holds: beyond ten the side-by-side table stops being readable.
pub const MAX_COMPARED: usize = 10;

/// Why a brief could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    /// The data breaks a rule the brief depends on (a date, a number, a chart name, a count).
    #[error("invalid brief data: {0}")]
    InvalidData(String),
    /// typst rejected the document; each line is one diagnostic with its location.
    #[error("typesetting failed:\n{}", .0.join("\n"))]
    Typeset(Vec<String>),
    /// The PDF export failed.
    #[error("PDF export failed:\n{}", .0.join("\n"))]
    Export(Vec<String>),
    /// The data could not be turned into JSON (not expected with the types of [`data`]).
    #[error("could not serialise the brief data: {0}")]
    Serialise(#[from] serde_json::Error),
}

/// Renders briefs. Holds the embedded fonts, their font book and the typst standard library, built
/// once and borrowed by the world of every render: typst's memoised font and layout work is keyed
/// on them, so an app that keeps one `Typesetter` keeps those caches warm across briefs. `Sync`, so
/// one instance may serve several threads.
pub struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// Loads the fonts embedded in `typst-assets` (Libertinus Serif, New Computer Modern, DejaVu Sans
    /// Mono). No system font is ever looked up, so a brief looks the same on every machine.
    pub fn new() -> Self {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        let book = FontBook::from_fonts(&fonts);
        Self { library: LazyHash::new(Library::default()), book: LazyHash::new(book), fonts }
    }

    /// Typesets a single-vendor brief to PDF bytes.
    pub fn render_vendor(&self, brief: &VendorBrief) -> Result<Vec<u8>, BriefError> {
        validate_meta(&brief.meta)?;
        validate_head(&brief.vendor)?;
        validate_factors(&brief.vendor.name, &brief.factors)?;
        for s in &brief.stability {
            finite(&format!("stability of {}", s.factor_label), &[s.weight, s.lo, s.hi])?;
        }
        if let Some(smaa) = &brief.smaa {
            finite("SMAA acceptability", &smaa.acceptability)?;
            finite("SMAA holistic", &[smaa.holistic])?;
        }
        for t in &brief.ties {
            finite(&format!("tie to {}", t.other), &[t.strength, t.confidence])?;
        }
        validate_weights(&brief.weights)?;
        let payload = Payload::new("vendor", brief, summary::vendor_summary(brief))?;
        let ident = format!("vetta-brief/vendor/{}/{}/{}", brief.vendor.vendor_id, brief.meta.as_of, brief.meta.dataset_sha256);
        self.render(VENDOR_TYP, &payload, &brief.meta, &brief.charts, &ident)
    }

    /// Typesets a comparison brief of 2–10 vendors to PDF bytes.
    pub fn render_comparison(&self, brief: &ComparisonBrief) -> Result<Vec<u8>, BriefError> {
        validate_meta(&brief.meta)?;
        let n = brief.vendors.len();
        if !(2..=MAX_COMPARED).contains(&n) {
            return Err(BriefError::InvalidData(format!("a comparison holds 2 to {MAX_COMPARED} vendors, not {n}")));
        }
        for (head, factors) in &brief.vendors {
            validate_head(head)?;
            validate_factors(&head.name, factors)?;
        }
        for d in &brief.differences {
            finite(&format!("difference on {}", d.factor_label), &[d.spread])?;
        }
        validate_weights(&brief.weights)?;
        let payload = Payload::new("comparison", brief, summary::comparison_summary(brief))?;
        let ids: Vec<&str> = brief.vendors.iter().map(|(v, _)| v.vendor_id.as_str()).collect();
        let ident = format!("vetta-brief/comparison/{}/{}/{}", ids.join("+"), brief.meta.as_of, brief.meta.dataset_sha256);
        self.render(COMPARISON_TYP, &payload, &brief.meta, &brief.charts, &ident)
    }

    fn render(&self, template: &str, payload: &Payload, meta: &Meta, charts: &[Chart], ident: &str) -> Result<Vec<u8>, BriefError> {
        let date = parse_date("document_date", &meta.document_date)?;
        let json = serde_json::to_string(payload)?;
        let world = BriefWorld::new(self, template, json, charts, date)?;

        let warned = typst::compile::<PagedDocument>(&world);
        let document = warned.output.map_err(|diags| BriefError::Typeset(describe(&world, &diags)))?;

        let datetime = typst_date(date);
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some(format!("Vetta {}", meta.vetta_version))),
            timestamp: Some(Timestamp::new_utc(datetime)),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|diags| BriefError::Export(describe(&world, &diags)))?;
        // typst memoises layout results process-wide; drop entries unused for a few renders so that
        // a long-running app does not keep every brief it ever rendered in memory.
        typst::comemo::evict(10);
        Ok(pdf)
    }
}

/// What `/data.json` holds: the brief as given (its strings bidi-isolated), which template it is
/// for, and the summary sentences (isolated piece by piece when they were written).
#[derive(Serialize)]
struct Payload {
    kind: &'static str,
    brief: Value,
    summary: Vec<String>,
}

impl Payload {
    fn new<T: Serialize>(kind: &'static str, brief: &T, summary: Vec<String>) -> Result<Self, BriefError> {
        let mut brief = serde_json::to_value(brief)?;
        isolate_strings(&mut brief);
        Ok(Self { kind, brief, summary })
    }
}

/// Applies [`summary::isolate`] to every string of the data, so that a bidi override in one cell or
/// line cannot reorder its neighbours.
fn isolate_strings(value: &mut Value) {
    match value {
        Value::String(s) if summary::has_bidi_controls(s) => *s = summary::isolate(s),
        Value::Array(items) => items.iter_mut().for_each(isolate_strings),
        Value::Object(map) => map.values_mut().for_each(isolate_strings),
        _ => {}
    }
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate, BriefError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == s)
        .ok_or_else(|| BriefError::InvalidData(format!("{field} must be a date written YYYY-MM-DD, not {s:?}")))
}

fn typst_date(d: NaiveDate) -> Datetime {
    // The month and day of a NaiveDate are always in range, so this cannot fail.
    Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8).expect("a valid calendar date")
}

fn finite(what: &str, xs: &[f64]) -> Result<(), BriefError> {
    match xs.iter().find(|x| !x.is_finite()) {
        Some(x) => Err(BriefError::InvalidData(format!("{what}: {x} is not a finite number"))),
        None => Ok(()),
    }
}

fn validate_meta(meta: &Meta) -> Result<(), BriefError> {
    parse_date("as_of", &meta.as_of)?;
    let doc = parse_date("document_date", &meta.document_date)?;
    // PDF dates hold years 0–9999 only.
    if !(1..=9999).contains(&doc.year()) {
        return Err(BriefError::InvalidData(format!("document_date {} is outside the years 1–9999", meta.document_date)));
    }
    Ok(())
}

fn validate_head(v: &VendorHead) -> Result<(), BriefError> {
    finite(&format!("score of {}", v.name), &[v.score, v.mitigation])
}

fn validate_factors(vendor: &str, factors: &[FactorLine]) -> Result<(), BriefError> {
    for f in factors {
        finite(&format!("factor {} of {vendor}", f.factor), &[f.value, f.weight, f.contribution.unwrap_or(0.0)])?;
    }
    Ok(())
}

fn validate_weights(weights: &[(String, f64)]) -> Result<(), BriefError> {
    for (name, w) in weights {
        finite(&format!("weight {name}"), &[*w])?;
    }
    Ok(())
}

/// A chart file name must be a plain name so that it can only ever land under `/charts/`.
fn valid_chart_name(name: &str) -> bool {
    name.len() <= 100
        && name.ends_with(".svg")
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn file_id(path: &str) -> FileId {
    // Only called with the fixed paths below and validated chart names, which always normalise.
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

/// The typst world of one render: the shared fonts and library, the template, `/data.json` and the
/// chart SVGs — and nothing else.
struct BriefWorld<'a> {
    shared: &'a Typesetter,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl<'a> BriefWorld<'a> {
    fn new(shared: &'a Typesetter, template: &str, json: String, charts: &[Chart], date: NaiveDate) -> Result<Self, BriefError> {
        let main = file_id("/main.typ");
        let common = file_id("/common.typ");
        let sources =
            HashMap::from([(main, Source::new(main, template.to_string())), (common, Source::new(common, COMMON_TYP.to_string()))]);
        let mut files = HashMap::from([(file_id("/data.json"), Bytes::from_string(json))]);
        for chart in charts {
            if !valid_chart_name(&chart.file) {
                return Err(BriefError::InvalidData(format!(
                    "chart file name {:?} must be letters, digits, '-', '_' or '.' and end in .svg",
                    chart.file
                )));
            }
            if files.insert(file_id(&format!("/charts/{}", chart.file)), Bytes::from_string(chart.svg.clone())).is_some() {
                return Err(BriefError::InvalidData(format!("chart file name {:?} is used twice", chart.file)));
            }
        }
        Ok(Self { shared, main, sources, files, today: typst_date(date) })
    }
}

impl World for BriefWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_string())),
            None => Err(not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// The document date, never the clock: a brief dated by data is reproducible.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}

/// Turns typst diagnostics into readable one-line messages with file, line and column.
fn describe(world: &BriefWorld, diags: &[SourceDiagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let mut line = String::new();
            line.push_str(if d.severity == Severity::Error { "error" } else { "warning" });
            if let Some(id) = d.span.id() {
                let path = id.vpath().get_with_slash().to_string();
                match (world.source(id).ok(), world.range(d.span)) {
                    (Some(src), Some(range)) => match src.lines().byte_to_line_column(range.start) {
                        Some((l, c)) => {
                            let _ = write!(line, " at {path}:{}:{}", l + 1, c + 1);
                        }
                        None => {
                            let _ = write!(line, " in {path}");
                        }
                    },
                    _ => {
                        let _ = write!(line, " in {path}");
                    }
                }
            }
            let _ = write!(line, ": {}", d.message);
            for hint in &d.hints {
                let _ = write!(line, " (hint: {})", hint.v);
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests;
