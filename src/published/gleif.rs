//! GLEIF (open-formats.md, "GLEIF"): LEI-CDF Level 1 records, RR-CDF Level 2 relationships and
//! reporting exceptions, as GLEIF API JSON (`{"data": [...]}` / `{"data": {...}}`), golden-copy XML
//! (`LEIData`, `RelationshipData`, `ReportingExceptionData`) and golden-copy CSV.
//!
//! Reading and mapping are apart: each reader (XML, JSON, CSV) turns its shape into the same
//! format-neutral records ([`LeiRecord`], [`Relationship`], [`Exception`]), each value with its
//! location, and a [`Mapper`] turns those records into rows and notes. The XML and CSV readers
//! stream (one pass, one record in memory at a time); a bulk path can fill the same records.
//!
//! What a record becomes:
//! - LEI record → entity `lei:<LEI>` (name = legal name, country = legal address country), an
//!   `LEI` identifier, a `GLEIF-RA` identifier `<RA code>:<entity id at that register>`, aliases for
//!   other names (`fka` for previous legal names, `aka` otherwise) and transliterated names
//!   (`translit`). `ANNULLED` and `DUPLICATE` registrations are left out.
//! - `IS_DIRECTLY_CONSOLIDATED_BY` (start node = child, end node = parent) → `control` tie parent →
//!   child, confidence from the validation sources; `IS_ULTIMATELY_CONSOLIDATED_BY` → the same
//!   unless direct relationships of the file already chain the parent to the child.
//!   `IS_INTERNATIONAL_BRANCH_OF` → reported as a `same` link candidate; fund relationships → left
//!   out, reported. `since`/`until` from the period whose type is `RELATIONSHIP_PERIOD`.
//! - Reporting exception → no edge; `NON_PUBLIC` and the pre-2022 reasons folded into it →
//!   identifier `GLEIF-REPEX` (value: the reason as published), the others reported.
//!
//! Under a selection (`--around`, `--ids`), golden-copy CSV files go through the bulk path of
//! [`bulk`] (polars scans that narrow the files before the mapper sees them); the rest are read
//! whole.
//!
//! Ambiguities the contract leaves open are resolved where they arise, each in a comment: the
//! chain that covers an ultimate tie is sought in the same file only (in every golden-copy CSV
//! relationship file of the import on the bulk path); an INACTIVE relationship
//! without an end date is left out; unknown validation sources give confidence 0.4; a missing
//! legal address country falls back to the legal jurisdiction; `RESIDENT_GOVERNMENT_ENTITY` is a
//! `state_body`; `GLEIF-REPEX` keeps the reason as published (a pre-2022 reason is not rewritten to
//! `NON_PUBLIC`: the scheme itself is the opacity signal); publication dates are taken as written.
//!
//! Report codes: `annulled-skipped`, `duplicate-skipped`, `no-lei`, `no-name`, `fund-relationship`,
//! `branch-candidate`, `unknown-relationship`, `node-not-lei`, `ultimate-covered`, `no-period`,
//! `several-periods`, `inactive-no-end`, `unknown-validation`, `quantifier-not-share`,
//! `reporting-exception`, `country-from-jurisdiction`, `unknown-record-type`, `not-gleif`, `no-records`, `bad-xml`, `bad-json`,
//! `bad-csv`; and the shared ones the staging helpers give (`date-shifted`, `bad-date`,
//! `unknown-country`, `no-country`, `id-hashed`, …).

use std::collections::{HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use super::text::{self, Bound};
use super::{FileBytes, Staging};
use crate::ingest::csv::CsvReader;
use crate::ingest::{cells, tables};

// ---------------------------------------------------------------------------------------------
// Format-neutral records
// ---------------------------------------------------------------------------------------------

/// A value and where it was read (XML element path, JSON pointer, or CSV line). An empty value is
/// "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Field {
    pub value: String,
    pub at: String,
}

impl Field {
    fn new(value: &str, at: impl Into<String>) -> Field {
        Field { value: value.trim().to_string(), at: at.into() }
    }

    fn given(&self) -> bool {
        !self.value.is_empty()
    }
}

/// Another name of an entity: `name_type` as published (`PREVIOUS_LEGAL_NAME`, …).
#[derive(Debug, Clone, Default)]
pub(crate) struct OtherName {
    pub name: Field,
    pub name_type: String,
    pub transliterated: bool,
}

/// An LEI-CDF record (Level 1), the parts this importer reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct LeiRecord {
    /// The record's own location.
    pub at: String,
    pub lei: Field,
    pub legal_name: Field,
    pub other_names: Vec<OtherName>,
    pub legal_country: Field,
    pub ra_id: String,
    pub ra_other: String,
    pub ra_entity_id: String,
    pub jurisdiction: String,
    pub category: String,
    pub sub_category: String,
    pub legal_form: String,
    pub entity_status: String,
    pub registration_status: String,
    /// Cross-walk ids the API adds (`BIC`, `OPENCORPORATES`): (scheme, value).
    pub extra_ids: Vec<(&'static str, Field)>,
}

/// A period of a relationship; `kind` is its `PeriodType`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Period {
    pub at: String,
    pub start: String,
    pub end: String,
    pub kind: String,
}

/// An RR-CDF relationship record (Level 2).
#[derive(Debug, Clone, Default)]
pub(crate) struct Relationship {
    pub at: String,
    pub start: Field,
    pub start_type: String,
    pub end: Field,
    pub end_type: String,
    pub kind: String,
    pub status: String,
    pub periods: Vec<Period>,
    /// `QuantifierAmount` values (with their units), never read as shares.
    pub quantifiers: Vec<Field>,
    pub registration_status: String,
    /// `ValidationSources` (golden copy) or `corroborationLevel` (API).
    pub validation: String,
}

/// A reporting exception: why an entity reports no parent of a category.
#[derive(Debug, Clone, Default)]
pub(crate) struct Exception {
    pub at: String,
    pub lei: Field,
    pub category: String,
    pub reasons: Vec<Field>,
    pub reference: String,
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/// Stages one GLEIF file: XML, JSON or CSV by its first byte.
pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    // Golden-copy files are named `YYYYMMDD-HHMM-gleif-goldencopy-…`: that is the publication date
    // when the content states none (CSV). A `ContentDate` / `publishDate` read later overrides it.
    if let Some(date) = date_from_name(&file.file.name) {
        staging.set_date(&date);
    }
    let mut mapper = Mapper::new(staging.file_name());
    let body = file.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&file.bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => read_xml(body, staging, &mut mapper),
        Some(b'{' | b'[') => read_json(body, staging, &mut mapper),
        Some(_) => read_csv(body, staging, &mut mapper),
        None => staging.note("1", "no-records", "the file is empty"),
    }
    mapper.finish(staging);
}

/// `YYYYMMDD-…` at the start of a golden-copy file name, as a date.
fn date_from_name(name: &str) -> Option<String> {
    let head = name.get(..9)?;
    if !head.ends_with('-') || !head[..8].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = chrono::NaiveDate::parse_from_str(&head[..8], "%Y%m%d").ok()?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// A publication date-time (`ContentDate`, `publishDate`) as the date it names. Ambiguity resolved:
/// this is a real instant of publication, not a local midnight written in UTC, so the date part
/// is taken as written (no `date-shifted` move).
fn publication_date(raw: &str) -> Option<String> {
    let day = raw.trim().get(..10)?;
    super::text::date(day, Bound::Start).map(|(date, _)| date)
}

// ---------------------------------------------------------------------------------------------
// Mapping: records → rows
// ---------------------------------------------------------------------------------------------

/// Reporting-exception reasons kept as the opacity fact `GLEIF-REPEX`: `NON_PUBLIC` and the
/// pre-2022 reasons GLEIF folded into it. The identifier's value is the reason as published, so
/// nothing is rewritten; every `GLEIF-REPEX` row means "does not disclose its parent".
const NON_PUBLIC_REASONS: &[&str] = &[
    "NON_PUBLIC",
    "BINDING_LEGAL_COMMITMENTS",
    "LEGAL_OBSTACLES",
    "DISCLOSURE_DETRIMENTAL",
    "DETRIMENT_NOT_EXCLUDED",
    "CONSENT_NOT_OBTAINED",
];

const FUND_RELATIONSHIPS: &[&str] = &["IS_FUND-MANAGED_BY", "IS_SUBFUND_OF", "IS_FEEDER_TO"];

/// Confidence of a consolidation tie from its validation sources (open-formats.md).
fn confidence(validation: &str) -> Option<&'static str> {
    match validation {
        "FULLY_CORROBORATED" => Some("1"),
        "PARTIALLY_CORROBORATED" => Some("0.8"),
        "ENTITY_SUPPLIED_ONLY" => Some("0.6"),
        "PENDING" => Some("0.4"),
        _ => None,
    }
}

/// An ultimate-parent tie waiting for the end of the file, when every direct relationship of the
/// file is known.
#[derive(Debug)]
struct PendingTie {
    at: String,
    from: String,
    to: String,
    confidence: &'static str,
    since: Option<String>,
    until: Option<String>,
    source: String,
}

/// Turns the records of one file into rows and notes.
pub(crate) struct Mapper {
    file: String,
    records: u64,
    /// Direct consolidation ties staged from this file: child id → parent ids.
    parents: HashMap<String, Vec<String>>,
    ultimate: Vec<PendingTie>,
    /// (entity id, reason) already kept as `GLEIF-REPEX` (a direct and an ultimate exception with
    /// one reason are one fact).
    repex: HashSet<(String, String)>,
    /// The direct ties of every relationship file of the import, when the bulk path knows them
    /// (it maps only part of a file): the chains that cover ultimate ties are sought there.
    all_parents: Option<std::sync::Arc<HashMap<String, Vec<String>>>>,
}

impl Mapper {
    pub(crate) fn new(file: &str) -> Mapper {
        Mapper {
            file: file.to_string(),
            records: 0,
            parents: HashMap::new(),
            ultimate: Vec::new(),
            repex: HashSet::new(),
            all_parents: None,
        }
    }

    /// An LEI record → entity, identifiers, aliases.
    pub(crate) fn lei_record(&mut self, record: &LeiRecord, staging: &mut Staging) {
        self.records += 1;
        let at = record.at.as_str();
        let lei = record.lei.value.as_str();
        if lei.is_empty() {
            staging.note(at, "no-lei", "an LEI record without an LEI; left out");
            return;
        }
        match record.registration_status.as_str() {
            "ANNULLED" => {
                staging.note(at, "annulled-skipped", format!("LEI {lei}: the registration is ANNULLED (issued in error); left out"));
                return;
            }
            "DUPLICATE" => {
                staging.note(at, "duplicate-skipped", format!("LEI {lei}: the registration is a DUPLICATE of another LEI; left out"));
                return;
            }
            _ => {}
        }
        if !record.legal_name.given() {
            staging.note(at, "no-name", format!("LEI {lei}: no legal name; left out"));
            return;
        }
        let id = staging.id(&record.lei.at, "lei", lei);
        let source = format!("{} LEI {lei}", self.file);
        let country_at = if record.legal_country.at.is_empty() { at } else { &record.legal_country.at };
        // Ambiguity resolved: a record without a legal address country falls back to its legal
        // jurisdiction (`US-WA` → US), a country the publisher states, never one guessed from a
        // name; reported. Neither given: `XRW`, reported by the shared rule.
        let country = if !record.legal_country.given() && !record.jurisdiction.is_empty() {
            let message = format!("LEI {lei}: no legal address country; the legal jurisdiction {} gives it", record.jurisdiction);
            staging.note(country_at, "country-from-jurisdiction", message);
            staging.country(country_at, &record.jurisdiction)
        } else {
            staging.country(country_at, &record.legal_country.value)
        };
        // Ambiguity resolved: LEI-CDF's `RESIDENT_GOVERNMENT_ENTITY` is a government body by the
        // publisher's own category, so it is a `state_body` (as BODS `stateBody` is); every other
        // category (GENERAL, FUND, BRANCH, SOLE_PROPRIETOR, INTERNATIONAL_ORGANIZATION) is a
        // `company`, its category kept in the notes.
        let kind = if record.category == "RESIDENT_GOVERNMENT_ENTITY" { "state_body" } else { "company" };
        staging
            .row(&tables::ENTITIES, at)
            .set("entity_id", id.as_str())
            .set("name", record.legal_name.value.as_str())
            .set("kind", kind)
            .set("country", country)
            .set("notes", entity_notes(record))
            .set("source", source.as_str())
            .push();
        staging
            .row(&tables::IDENTIFIERS, &record.lei.at)
            .set("entity_id", id.as_str())
            .set("scheme", "LEI")
            .set("value", lei)
            .set("source", source.as_str())
            .push();
        // `RA999999` says the entity is in no register; `RA888888` names a register GLEIF has no
        // code for (its name in `OtherRegistrationAuthorityID`). Either way the entity's id at the
        // register is kept only when given, as `<RA code>:<id>` (`RA888888:<id>` for the other
        // register: the register's free-text name is not part of an identifier).
        if record.ra_id != "RA999999" && !record.ra_id.is_empty() && !record.ra_entity_id.is_empty() {
            staging
                .row(&tables::IDENTIFIERS, at)
                .set("entity_id", id.as_str())
                .set("scheme", "GLEIF-RA")
                .set("value", format!("{}:{}", record.ra_id, record.ra_entity_id))
                .set("source", source.as_str())
                .push();
        }
        for (scheme, value) in &record.extra_ids {
            if value.given() {
                staging
                    .row(&tables::IDENTIFIERS, &value.at)
                    .set("entity_id", id.as_str())
                    .set("scheme", *scheme)
                    .set("value", value.value.as_str())
                    .set("source", source.as_str())
                    .push();
            }
        }
        let mut seen: HashSet<&str> = HashSet::from([record.legal_name.value.as_str()]);
        for other in &record.other_names {
            if !other.name.given() || !seen.insert(other.name.value.as_str()) {
                continue; // the legal name again, or a name already given: one alias row per name
            }
            let kind = if other.transliterated {
                "translit"
            } else if other.name_type == "PREVIOUS_LEGAL_NAME" {
                "fka"
            } else {
                "aka"
            };
            staging
                .row(&tables::ALIASES, &other.name.at)
                .set("entity_id", id.as_str())
                .set("name", other.name.value.as_str())
                .set("kind", kind)
                .set("source", source.as_str())
                .push();
        }
    }

    /// A relationship record → a control tie, a deferred ultimate tie, or a note.
    pub(crate) fn relationship(&mut self, record: &Relationship, staging: &mut Staging) {
        self.records += 1;
        let at = record.at.as_str();
        let (child, parent, kind) = (record.start.value.as_str(), record.end.value.as_str(), record.kind.as_str());
        let what = format!("{child} {kind} {parent}");
        match record.registration_status.as_str() {
            "ANNULLED" => {
                staging.note(at, "annulled-skipped", format!("relationship {what}: the registration is ANNULLED; left out"));
                return;
            }
            "DUPLICATE" => {
                staging.note(at, "duplicate-skipped", format!("relationship {what}: the registration is a DUPLICATE; left out"));
                return;
            }
            _ => {}
        }
        let direct = match kind {
            "IS_DIRECTLY_CONSOLIDATED_BY" => true,
            "IS_ULTIMATELY_CONSOLIDATED_BY" => false,
            "IS_INTERNATIONAL_BRANCH_OF" => {
                let message = format!(
                    "{child} is an international branch of {parent}: a candidate for a `same` link between lei:{child} and lei:{parent}, not a link"
                );
                staging.note(at, "branch-candidate", message);
                return;
            }
            _ if FUND_RELATIONSHIPS.contains(&kind) => {
                staging.note(at, "fund-relationship", format!("relationship {what}: a fund relationship is not control; left out"));
                return;
            }
            _ => {
                staging.note(
                    at,
                    "unknown-relationship",
                    format!("relationship {what}: not a relationship type this importer reads; left out"),
                );
                return;
            }
        };
        if child.is_empty() || parent.is_empty() {
            staging.note(at, "no-lei", format!("relationship {what}: a node without an id; left out"));
            return;
        }
        for (node, node_type) in [(child, &record.start_type), (parent, &record.end_type)] {
            if !node_type.is_empty() && node_type != "LEI" {
                staging.note(at, "node-not-lei", format!("relationship {what}: node {node} is of type {node_type}, not an LEI; left out"));
                return;
            }
        }
        // The dates come from the period of type RELATIONSHIP_PERIOD wherever it stands; accounting
        // and filing periods say nothing of when control began.
        let mut periods = record.periods.iter().filter(|p| p.kind == "RELATIONSHIP_PERIOD");
        let period = periods.next();
        if periods.next().is_some() {
            staging.note(at, "several-periods", format!("relationship {what}: more than one RELATIONSHIP_PERIOD; the first is used"));
        }
        let (mut since, mut until) = (None, None);
        match period {
            Some(p) => {
                if !p.start.is_empty() {
                    since = staging.date(&p.at, "RELATIONSHIP_PERIOD start", &p.start, Bound::Start);
                }
                if !p.end.is_empty() {
                    until = staging.date(&p.at, "RELATIONSHIP_PERIOD end", &p.end, Bound::End);
                }
            }
            None => staging.note(at, "no-period", format!("relationship {what}: no RELATIONSHIP_PERIOD; the tie has no dates")),
        }
        // Ambiguity resolved: an INACTIVE relationship with no end date ended on a day the file
        // does not say; kept open it would read as control today, so it is left out.
        if record.status == "INACTIVE" && until.is_none() {
            staging.note(at, "inactive-no-end", format!("relationship {what}: INACTIVE without an end date; left out"));
            return;
        }
        // Ambiguity resolved: validation sources missing or outside the four the contract names
        // get the lowest confidence it names (PENDING's 0.4), never the default 1.
        let confidence = confidence(&record.validation).unwrap_or_else(|| {
            let given = if record.validation.is_empty() { "none given".to_string() } else { cells::quoted(&record.validation) };
            staging.note(at, "unknown-validation", format!("relationship {what}: validation sources {given}; confidence 0.4"));
            "0.4"
        });
        if !record.quantifiers.is_empty() {
            let amounts: Vec<&str> = record.quantifiers.iter().map(|q| q.value.as_str()).collect();
            let message =
                format!("relationship {what}: QuantifierAmount {} is an accounting measure, not a share; not read", amounts.join(", "));
            staging.note(&record.quantifiers[0].at, "quantifier-not-share", message);
        }
        let from = staging.id(&record.end.at, "lei", parent);
        let to = staging.id(&record.start.at, "lei", child);
        let source = format!("{} relationship {what}", self.file);
        let tie = PendingTie { at: at.to_string(), from, to, confidence, since, until, source };
        if direct {
            self.parents.entry(tie.to.clone()).or_default().push(tie.from.clone());
            push_tie(&tie, staging);
        } else {
            self.ultimate.push(tie);
        }
    }

    /// A reporting exception → `GLEIF-REPEX` for the non-public reasons; a note always.
    pub(crate) fn exception(&mut self, record: &Exception, staging: &mut Staging) {
        self.records += 1;
        let at = record.at.as_str();
        let lei = record.lei.value.as_str();
        if lei.is_empty() {
            staging.note(at, "no-lei", "a reporting exception without an LEI; left out");
            return;
        }
        let category = if record.category.is_empty() { "(no category)" } else { record.category.as_str() };
        if record.reasons.iter().all(|r| !r.given()) {
            staging.note(at, "reporting-exception", format!("LEI {lei} reports no {category} and gives no reason; no edge"));
            return;
        }
        let id = staging.id(&record.lei.at, "lei", lei);
        let reference =
            if record.reference.is_empty() { String::new() } else { format!(" (reference: {})", cells::quoted(&record.reference)) };
        for reason in record.reasons.iter().filter(|r| r.given()) {
            let reason_text = reason.value.as_str();
            if NON_PUBLIC_REASONS.contains(&reason_text) {
                let message = format!(
                    "LEI {lei} does not disclose its {category} ({reason_text}); kept as identifier GLEIF-REPEX {reason_text}, an opacity signal; no edge{reference}"
                );
                staging.note(&reason.at, "reporting-exception", message);
                if self.repex.insert((id.clone(), reason_text.to_string())) {
                    staging
                        .row(&tables::IDENTIFIERS, &reason.at)
                        .set("entity_id", id.as_str())
                        .set("scheme", "GLEIF-REPEX")
                        .set("value", reason_text)
                        .set("source", format!("{} LEI {lei} {category}", self.file))
                        .push();
                }
            } else {
                let message = format!("LEI {lei} reports no {category} ({reason_text}); no edge{reference}");
                staging.note(&reason.at, "reporting-exception", message);
            }
        }
    }

    /// Ultimate ties not already joined by a chain of this file's direct ties; the record count.
    pub(crate) fn finish(self, staging: &mut Staging) {
        let parents = self.all_parents.as_deref().unwrap_or(&self.parents);
        for tie in &self.ultimate {
            if let Some(chain) = direct_chain(parents, &tie.from, &tie.to) {
                let message = format!(
                    "ultimate parent {} of {} is already reached through direct relationships ({}); no second tie",
                    tie.from,
                    tie.to,
                    chain.join(" → ")
                );
                staging.note(&tie.at, "ultimate-covered", message);
            } else {
                push_tie(tie, staging);
            }
        }
        if self.records == 0 {
            staging.note("1", "no-records", "no LEI record, relationship record or reporting exception found in the file");
        }
        staging.describe_file("gleif", self.records);
    }
}

/// Ambiguity resolved: the chain that covers an ultimate tie is looked for among the direct ties of
/// the same file (the golden copy gives both kinds in one file; the staging of other files is not
/// visible here), whatever their dates. The bulk path, which reads every golden-copy CSV
/// relationship file of the import before mapping any, looks among the direct ties of all of them.
fn direct_chain(parents: &HashMap<String, Vec<String>>, ancestor: &str, child: &str) -> Option<Vec<String>> {
    // Breadth-first up from the child; `came_from` rebuilds the chain.
    let mut came_from: HashMap<&str, &str> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([child]);
    while let Some(node) = queue.pop_front() {
        for parent in parents.get(node).into_iter().flatten() {
            if parent == child || came_from.contains_key(parent.as_str()) {
                continue;
            }
            came_from.insert(parent, node);
            if parent == ancestor {
                let mut chain = vec![ancestor.to_string()];
                let mut at = ancestor;
                while let Some(&next) = came_from.get(at) {
                    chain.push(next.to_string());
                    at = next;
                }
                return Some(chain);
            }
            queue.push_back(parent);
        }
    }
    None
}

/// The (parent id, child id) of a relationship the mapper stages as a direct consolidation tie, or
/// `None`: the tests of [`Mapper::relationship`] on that path, without their notes. The bulk path
/// collects the direct ties of whole files with it, for the ultimate-covered rule.
fn direct_tie(record: &Relationship) -> Option<(String, String)> {
    if matches!(record.registration_status.as_str(), "ANNULLED" | "DUPLICATE") || record.kind != "IS_DIRECTLY_CONSOLIDATED_BY" {
        return None;
    }
    let (child, parent) = (record.start.value.as_str(), record.end.value.as_str());
    if child.is_empty() || parent.is_empty() {
        return None;
    }
    if [&record.start_type, &record.end_type].iter().any(|t| !t.is_empty() && t.as_str() != "LEI") {
        return None;
    }
    let period = record.periods.iter().find(|p| p.kind == "RELATIONSHIP_PERIOD");
    let until = period.filter(|p| !p.end.is_empty()).and_then(|p| text::date(&p.end, Bound::End));
    if record.status == "INACTIVE" && until.is_none() {
        return None;
    }
    Some((text::namespaced_id("lei", parent).0, text::namespaced_id("lei", child).0))
}

fn push_tie(tie: &PendingTie, staging: &mut Staging) {
    staging
        .row(&tables::OWNERSHIP, &tie.at)
        .set("from_id", tie.from.as_str())
        .set("to_id", tie.to.as_str())
        .set("relation", "tie")
        .set("tie_kind", "control")
        .set("confidence", tie.confidence)
        .set_opt("since", tie.since.as_deref())
        .set_opt("until", tie.until.as_deref())
        .set("source", tie.source.as_str())
        .push();
}

/// What the record says beyond the columns: registration and entity status, category, legal form,
/// jurisdiction.
fn entity_notes(record: &LeiRecord) -> String {
    let parts = [
        ("registration", &record.registration_status),
        ("entity status", &record.entity_status),
        ("category", &record.category),
        ("subcategory", &record.sub_category),
        ("legal form", &record.legal_form),
        ("jurisdiction", &record.jurisdiction),
        ("registration authority", &record.ra_other),
    ];
    let given: Vec<String> = parts.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k} {v}")).collect();
    if given.is_empty() { String::new() } else { format!("GLEIF LEI record: {}", given.join("; ")) }
}

// ---------------------------------------------------------------------------------------------
// XML (golden copy): one pass, one record in memory
// ---------------------------------------------------------------------------------------------

/// Elements that repeat under their parent: their location carries a 1-based index.
const REPEATED: &[&str] = &[
    "LEIRecord",
    "RelationshipRecord",
    "Exception",
    "OtherEntityName",
    "TransliteratedOtherEntityName",
    "RelationshipPeriod",
    "RelationshipQualifier",
    "RelationshipQuantifier",
    "ExceptionReason",
    "ExceptionReference",
    "OtherAddress",
    "TransliteratedOtherAddress",
    "AdditionalAddressLine",
];

struct Frame {
    /// Length of the path before this element's segment.
    start: usize,
    /// 1-based index among siblings of the same name (counted for [`REPEATED`] names only).
    index: usize,
    counts: Vec<(&'static str, usize)>,
}

enum XmlRecord {
    Lei(LeiRecord),
    Rel(Relationship),
    Exc(Exception),
}

/// The element path with local names (`/LEIData/LEIRecords/LEIRecord/Entity/LegalName`) and the
/// frames that index it.
struct XmlPath {
    path: String,
    frames: Vec<Frame>,
}

impl XmlPath {
    fn push(&mut self, name: &str) {
        let start = self.path.len();
        let repeated = REPEATED.iter().find(|r| **r == name).copied();
        let index = match (repeated, self.frames.last_mut()) {
            (Some(key), Some(parent)) => match parent.counts.iter_mut().find(|(n, _)| *n == key) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    parent.counts.push((key, 1));
                    1
                }
            },
            _ => 1,
        };
        self.path.push('/');
        self.path.push_str(name);
        self.frames.push(Frame { start, index, counts: Vec::new() });
    }

    fn pop(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.path.truncate(frame.start);
        }
    }

    /// The location: the path with the index of each repeated element (`…/LEIRecord[3]/…`).
    fn location(&self) -> String {
        let mut out = String::with_capacity(self.path.len() + 8);
        for (segment, frame) in self.path.split('/').skip(1).zip(&self.frames) {
            out.push('/');
            out.push_str(segment);
            if REPEATED.contains(&segment) {
                out.push_str(&format!("[{}]", frame.index));
            }
        }
        if out.is_empty() { "/".into() } else { out }
    }
}

fn local_name(element: &BytesStart) -> String {
    String::from_utf8_lossy(element.local_name().as_ref()).into_owned()
}

/// The `type` attribute of an element (other names carry their kind there).
fn type_attribute(element: &BytesStart) -> String {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"type")
        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()))
        .unwrap_or_default()
}

fn read_xml(bytes: &[u8], staging: &mut Staging, mapper: &mut Mapper) {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut path = XmlPath { path: String::new(), frames: Vec::new() };
    let mut text = String::new();
    let mut record: Option<XmlRecord> = None;
    // Path length right after the record element's segment.
    let mut record_end = 0usize;
    let mut root_checked = false;
    loop {
        let event = reader.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(element)) => {
                let name = local_name(&element);
                if !root_checked {
                    root_checked = true;
                    if !["LEIData", "RelationshipData", "ReportingExceptionData"].contains(&name.as_str()) {
                        let message =
                            format!("the root element is {name}, not LEIData, RelationshipData or ReportingExceptionData; nothing is read");
                        staging.note(&format!("/{name}"), "not-gleif", message);
                        return;
                    }
                }
                path.push(&name);
                text.clear();
                match &mut record {
                    None => {
                        let at = path.location();
                        record = match name.as_str() {
                            "LEIRecord" => Some(XmlRecord::Lei(LeiRecord { at, ..Default::default() })),
                            "RelationshipRecord" => Some(XmlRecord::Rel(Relationship { at, ..Default::default() })),
                            "Exception" => Some(XmlRecord::Exc(Exception { at, ..Default::default() })),
                            _ => None,
                        };
                        record_end = path.path.len();
                    }
                    Some(open) => {
                        let rel = &path.path[record_end.min(path.path.len())..];
                        xml_start(open, rel.trim_start_matches('/'), &element, &path);
                    }
                }
            }
            Ok(Event::End(_)) => {
                let value = text.trim();
                match &mut record {
                    Some(open) if path.path.len() > record_end => {
                        let rel = path.path[record_end..].trim_start_matches('/');
                        xml_value(open, rel, value, &path);
                    }
                    Some(_) => {
                        // The record element itself closes: map it.
                        match record.take() {
                            Some(XmlRecord::Lei(r)) => mapper.lei_record(&r, staging),
                            Some(XmlRecord::Rel(r)) => mapper.relationship(&r, staging),
                            Some(XmlRecord::Exc(r)) => mapper.exception(&r, staging),
                            None => {}
                        }
                    }
                    None => {
                        if path.path.ends_with("/ContentDate")
                            && let Some(date) = publication_date(value)
                        {
                            staging.set_date(&date);
                        }
                    }
                }
                text.clear();
                path.pop();
            }
            Ok(Event::Text(t)) => match t.xml10_content() {
                Ok(content) => text.push_str(&content),
                Err(error) => {
                    staging.note(&path.location(), "bad-xml", format!("{error}; the rest of the file is not read"));
                    break;
                }
            },
            Ok(Event::CData(t)) => text.push_str(&String::from_utf8_lossy(&t)),
            Ok(Event::GeneralRef(r)) => {
                if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => {
                            let raw = String::from_utf8_lossy(&r).into_owned();
                            staging.note(&path.location(), "bad-xml", format!("&{raw}; is not a character; kept as written"));
                            text.push_str(&format!("&{raw};"));
                        }
                    }
                } else {
                    let raw = String::from_utf8_lossy(&r).into_owned();
                    match quick_xml::escape::resolve_predefined_entity(&raw) {
                        Some(resolved) => text.push_str(resolved),
                        None => text.push_str(&format!("&{raw};")),
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => {
                let message = format!("not well-formed XML at byte {}: {error}; the rest of the file is not read", reader.error_position());
                staging.note(&path.location(), "bad-xml", message);
                break;
            }
        }
        buf.clear();
    }
}

/// An element opens inside a record: lists grow here.
fn xml_start(record: &mut XmlRecord, rel: &str, element: &BytesStart, path: &XmlPath) {
    match record {
        XmlRecord::Lei(r) => match rel {
            "Entity/OtherEntityNames/OtherEntityName" | "Entity/TransliteratedOtherEntityNames/TransliteratedOtherEntityName" => {
                r.other_names.push(OtherName {
                    name: Field { value: String::new(), at: path.location() },
                    name_type: type_attribute(element),
                    transliterated: rel.starts_with("Entity/Transliterated"),
                });
            }
            _ => {}
        },
        XmlRecord::Rel(r) => match rel {
            "Relationship/RelationshipPeriods/RelationshipPeriod" => r.periods.push(Period { at: path.location(), ..Default::default() }),
            "Relationship/RelationshipQuantifiers/RelationshipQuantifier" => {
                r.quantifiers.push(Field { value: String::new(), at: path.location() })
            }
            _ => {}
        },
        XmlRecord::Exc(_) => {}
    }
}

/// An element closes inside a record with its text.
fn xml_value(record: &mut XmlRecord, rel: &str, value: &str, path: &XmlPath) {
    match record {
        XmlRecord::Lei(r) => match rel {
            "LEI" => r.lei = Field::new(value, path.location()),
            "Entity/LegalName" => r.legal_name = Field::new(value, path.location()),
            "Entity/OtherEntityNames/OtherEntityName" | "Entity/TransliteratedOtherEntityNames/TransliteratedOtherEntityName" => {
                if let Some(last) = r.other_names.last_mut() {
                    last.name.value = value.to_string();
                }
            }
            "Entity/LegalAddress/Country" => r.legal_country = Field::new(value, path.location()),
            "Entity/RegistrationAuthority/RegistrationAuthorityID" => r.ra_id = value.to_string(),
            "Entity/RegistrationAuthority/OtherRegistrationAuthorityID" => r.ra_other = value.to_string(),
            "Entity/RegistrationAuthority/RegistrationAuthorityEntityID" => r.ra_entity_id = value.to_string(),
            "Entity/LegalJurisdiction" => r.jurisdiction = value.to_string(),
            "Entity/EntityCategory" => r.category = value.to_string(),
            "Entity/EntitySubCategory" => r.sub_category = value.to_string(),
            "Entity/LegalForm/EntityLegalFormCode" => r.legal_form = value.to_string(),
            "Entity/EntityStatus" => r.entity_status = value.to_string(),
            "Registration/RegistrationStatus" => r.registration_status = value.to_string(),
            _ => {}
        },
        XmlRecord::Rel(r) => match rel {
            "Relationship/StartNode/NodeID" => r.start = Field::new(value, path.location()),
            "Relationship/StartNode/NodeIDType" => r.start_type = value.to_string(),
            "Relationship/EndNode/NodeID" => r.end = Field::new(value, path.location()),
            "Relationship/EndNode/NodeIDType" => r.end_type = value.to_string(),
            "Relationship/RelationshipType" => r.kind = value.to_string(),
            "Relationship/RelationshipStatus" => r.status = value.to_string(),
            "Relationship/RelationshipPeriods/RelationshipPeriod/StartDate" => {
                if let Some(p) = r.periods.last_mut() {
                    p.start = value.to_string();
                }
            }
            "Relationship/RelationshipPeriods/RelationshipPeriod/EndDate" => {
                if let Some(p) = r.periods.last_mut() {
                    p.end = value.to_string();
                }
            }
            "Relationship/RelationshipPeriods/RelationshipPeriod/PeriodType" => {
                if let Some(p) = r.periods.last_mut() {
                    p.kind = value.to_string();
                }
            }
            "Relationship/RelationshipQuantifiers/RelationshipQuantifier/QuantifierAmount" => {
                if let Some(q) = r.quantifiers.last_mut() {
                    q.value = format!("{value}{}", q.value);
                }
            }
            "Relationship/RelationshipQuantifiers/RelationshipQuantifier/QuantifierUnits" => {
                if let Some(q) = r.quantifiers.last_mut() {
                    q.value.push_str(&format!(" {value}"));
                }
            }
            "Registration/RegistrationStatus" => r.registration_status = value.to_string(),
            "Registration/ValidationSources" => r.validation = value.to_string(),
            _ => {}
        },
        XmlRecord::Exc(r) => match rel {
            "LEI" => r.lei = Field::new(value, path.location()),
            "ExceptionCategory" => r.category = value.to_string(),
            "ExceptionReason" => r.reasons.push(Field::new(value, path.location())),
            "ExceptionReference" if r.reference.is_empty() => r.reference = value.to_string(),
            _ => {}
        },
    }
}

// ---------------------------------------------------------------------------------------------
// JSON (GLEIF API)
// ---------------------------------------------------------------------------------------------

/// The string at a path of keys, trimmed; `""` when absent, null or not text.
fn text_at<'v>(value: &'v Value, keys: &[&str]) -> &'v str {
    let mut at = value;
    for key in keys {
        match at.get(key) {
            Some(next) => at = next,
            None => return "",
        }
    }
    at.as_str().map(str::trim).unwrap_or("")
}

fn read_json(bytes: &[u8], staging: &mut Staging, mapper: &mut Mapper) {
    let document: Value = match serde_json::from_slice(bytes) {
        Ok(document) => document,
        Err(error) => {
            // No pointer reaches into a document that does not parse: the line says where.
            staging.note(&error.line().to_string(), "bad-json", format!("not JSON: {error}; nothing is read"));
            return;
        }
    };
    if let Some(date) = publication_date(text_at(&document, &["meta", "goldenCopy", "publishDate"])) {
        staging.set_date(&date);
    }
    match document.get("data") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                json_item(item, &format!("/data/{i}"), staging, mapper);
            }
        }
        Some(item @ Value::Object(_)) => json_item(item, "/data", staging, mapper),
        _ => staging.note("", "not-gleif", "no `data` array or object: not a GLEIF API document; nothing is read"),
    }
}

fn json_item(item: &Value, at: &str, staging: &mut Staging, mapper: &mut Mapper) {
    let attributes = item.get("attributes").unwrap_or(&Value::Null);
    let base = format!("{at}/attributes");
    match text_at(item, &["type"]) {
        "lei-records" => mapper.lei_record(&json_lei(attributes, at, &base), staging),
        "relationship-records" => mapper.relationship(&json_relationship(attributes, at, &base), staging),
        "reporting-exceptions" => mapper.exception(&json_exception(attributes, at, &base), staging),
        other => staging.note(at, "unknown-record-type", format!("record type {}: not read", cells::quoted(other))),
    }
}

fn json_lei(a: &Value, at: &str, base: &str) -> LeiRecord {
    let entity = a.get("entity").unwrap_or(&Value::Null);
    let mut other_names = Vec::new();
    for (key, transliterated) in [("otherNames", false), ("transliteratedOtherNames", true)] {
        for (i, name) in entity.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            other_names.push(OtherName {
                name: Field::new(text_at(name, &["name"]), format!("{base}/entity/{key}/{i}")),
                name_type: text_at(name, &["type"]).to_string(),
                transliterated,
            });
        }
    }
    let mut extra_ids = Vec::new();
    // The API's cross-walk ids: BIC codes (a list, or one string) and the OpenCorporates id.
    match a.get("bic") {
        Some(Value::Array(bics)) => {
            for (i, bic) in bics.iter().enumerate() {
                extra_ids.push(("BIC", Field::new(bic.as_str().unwrap_or(""), format!("{base}/bic/{i}"))));
            }
        }
        Some(Value::String(bic)) => extra_ids.push(("BIC", Field::new(bic, format!("{base}/bic")))),
        _ => {}
    }
    extra_ids.push(("OPENCORPORATES", Field::new(text_at(a, &["ocid"]), format!("{base}/ocid"))));
    LeiRecord {
        at: at.to_string(),
        lei: Field::new(text_at(a, &["lei"]), format!("{base}/lei")),
        legal_name: Field::new(text_at(entity, &["legalName", "name"]), format!("{base}/entity/legalName")),
        other_names,
        legal_country: Field::new(text_at(entity, &["legalAddress", "country"]), format!("{base}/entity/legalAddress/country")),
        ra_id: text_at(entity, &["registeredAt", "id"]).to_string(),
        ra_other: text_at(entity, &["registeredAt", "other"]).to_string(),
        ra_entity_id: text_at(entity, &["registeredAs"]).to_string(),
        jurisdiction: text_at(entity, &["jurisdiction"]).to_string(),
        category: text_at(entity, &["category"]).to_string(),
        sub_category: text_at(entity, &["subCategory"]).to_string(),
        legal_form: text_at(entity, &["legalForm", "id"]).to_string(),
        entity_status: text_at(entity, &["status"]).to_string(),
        registration_status: text_at(a, &["registration", "status"]).to_string(),
        extra_ids,
    }
}

fn json_relationship(a: &Value, at: &str, base: &str) -> Relationship {
    let rel = a.get("relationship").unwrap_or(&Value::Null);
    let periods = rel
        .get("periods")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| Period {
            at: format!("{base}/relationship/periods/{i}"),
            start: text_at(p, &["startDate"]).to_string(),
            end: text_at(p, &["endDate"]).to_string(),
            kind: text_at(p, &["type"]).to_string(),
        })
        .collect();
    let quantifiers = rel
        .get("quantifiers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, q)| {
            let amount = match q.get("quantifierAmount") {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) => s.trim().to_string(),
                _ => return None,
            };
            let units = text_at(q, &["quantifierUnits"]);
            let value = if units.is_empty() { amount } else { format!("{amount} {units}") };
            Some(Field { value, at: format!("{base}/relationship/quantifiers/{i}") })
        })
        .collect();
    let registration = a.get("registration").unwrap_or(&Value::Null);
    let mut validation = text_at(registration, &["corroborationLevel"]);
    if validation.is_empty() {
        validation = text_at(registration, &["validationSources"]);
    }
    Relationship {
        at: at.to_string(),
        start: Field::new(text_at(rel, &["startNode", "id"]), format!("{base}/relationship/startNode/id")),
        start_type: text_at(rel, &["startNode", "type"]).to_string(),
        end: Field::new(text_at(rel, &["endNode", "id"]), format!("{base}/relationship/endNode/id")),
        end_type: text_at(rel, &["endNode", "type"]).to_string(),
        kind: text_at(rel, &["type"]).to_string(),
        status: text_at(rel, &["status"]).to_string(),
        periods,
        quantifiers,
        registration_status: text_at(registration, &["status"]).to_string(),
        validation: validation.to_string(),
    }
}

fn json_exception(a: &Value, at: &str, base: &str) -> Exception {
    let reasons = match a.get("reason") {
        Some(Value::Array(list)) => {
            list.iter().enumerate().map(|(i, r)| Field::new(r.as_str().unwrap_or(""), format!("{base}/reason/{i}"))).collect()
        }
        Some(Value::String(reason)) => vec![Field::new(reason, format!("{base}/reason"))],
        _ => Vec::new(),
    };
    let reference = match a.get("reference") {
        Some(Value::Array(list)) => list.first().and_then(Value::as_str).unwrap_or("").to_string(),
        Some(Value::String(reference)) => reference.clone(),
        _ => String::new(),
    };
    Exception {
        at: at.to_string(),
        lei: Field::new(text_at(a, &["lei"]), format!("{base}/lei")),
        category: text_at(a, &["category"]).to_string(),
        reasons,
        reference,
    }
}

// ---------------------------------------------------------------------------------------------
// CSV (golden copy): one pass, columns found by header name
// ---------------------------------------------------------------------------------------------

/// The golden-copy CSV kinds, by their header.
enum CsvKind {
    Lei(LeiColumns),
    Rel(RelColumns),
    Exc(ExcColumns),
}

type Col = Option<usize>;

struct LeiColumns {
    lei: Col,
    legal_name: Col,
    /// (name, type, transliterated) columns of `OtherEntityName.n` and `TransliteratedOtherEntityName.n`.
    other_names: Vec<(usize, Col, bool)>,
    legal_country: Col,
    ra_id: Col,
    ra_other: Col,
    ra_entity_id: Col,
    jurisdiction: Col,
    category: Col,
    sub_category: Col,
    legal_form: Col,
    entity_status: Col,
    registration_status: Col,
}

struct RelColumns {
    start: Col,
    start_type: Col,
    end: Col,
    end_type: Col,
    kind: Col,
    status: Col,
    /// (start, end, type) of `Relationship.Period.n`.
    periods: Vec<(Col, Col, Col)>,
    /// (amount, units) of `Relationship.Quantifiers.n`.
    quantifiers: Vec<(usize, Col)>,
    registration_status: Col,
    validation: Col,
}

struct ExcColumns {
    lei: Col,
    category: Col,
    reasons: Vec<usize>,
    reference: Col,
}

/// Numbered columns `prefix.n.suffix` (or `prefix.n` when `suffix` is empty), n = 1, 2, … in order.
fn numbered(find: &dyn Fn(&str) -> Col, prefix: &str, suffix: &str) -> Vec<(usize, usize)> {
    (1..=50)
        .filter_map(|n| {
            let name = if suffix.is_empty() { format!("{prefix}.{n}") } else { format!("{prefix}.{n}.{suffix}") };
            find(&name).map(|i| (n, i))
        })
        .collect()
}

fn csv_kind(header: &[String]) -> Option<CsvKind> {
    let find = |name: &str| header.iter().position(|h| h == name);
    let first = |names: &[&str]| names.iter().find_map(|n| find(n));
    if find("Relationship.StartNode.NodeID").is_some() {
        let periods = (1..=50)
            .filter_map(|n| {
                let col = |field: &str| find(&format!("Relationship.Period.{n}.{field}"));
                let (start, end, kind) = (col("startDate"), col("endDate"), col("periodType"));
                (start.is_some() || kind.is_some()).then_some((start, end, kind))
            })
            .collect();
        let quantifiers = numbered(&find, "Relationship.Quantifiers", "QuantifierAmount")
            .into_iter()
            .map(|(n, i)| (i, find(&format!("Relationship.Quantifiers.{n}.QuantifierUnits"))))
            .collect();
        return Some(CsvKind::Rel(RelColumns {
            start: find("Relationship.StartNode.NodeID"),
            start_type: find("Relationship.StartNode.NodeIDType"),
            end: find("Relationship.EndNode.NodeID"),
            end_type: find("Relationship.EndNode.NodeIDType"),
            kind: find("Relationship.RelationshipType"),
            status: find("Relationship.RelationshipStatus"),
            periods,
            quantifiers,
            registration_status: find("Registration.RegistrationStatus"),
            validation: find("Registration.ValidationSources"),
        }));
    }
    // The golden copy writes `Exception.Category`, `Exception.Reason.1`, …; the spelling without
    // the dot (`ExceptionCategory`, as in the XML) is read too.
    if let Some(category) = first(&["Exception.Category", "ExceptionCategory"]) {
        let mut reasons: Vec<usize> = numbered(&find, "Exception.Reason", "").into_iter().map(|(_, i)| i).collect();
        reasons.extend(numbered(&find, "ExceptionReason", "").into_iter().map(|(_, i)| i));
        reasons.extend(first(&["Exception.Reason", "ExceptionReason"]));
        return Some(CsvKind::Exc(ExcColumns {
            lei: find("LEI"),
            category: Some(category),
            reasons,
            reference: first(&["Exception.Reference.1", "ExceptionReference.1", "Exception.Reference", "ExceptionReference"]),
        }));
    }
    if find("Entity.LegalName").is_some() {
        let mut other_names = Vec::new();
        for (prefix, transliterated) in [
            ("Entity.OtherEntityNames.OtherEntityName", false),
            ("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName", true),
        ] {
            for (n, i) in numbered(&find, prefix, "") {
                other_names.push((i, find(&format!("{prefix}.{n}.type")), transliterated));
            }
        }
        return Some(CsvKind::Lei(LeiColumns {
            lei: find("LEI"),
            legal_name: find("Entity.LegalName"),
            other_names,
            legal_country: find("Entity.LegalAddress.Country"),
            ra_id: find("Entity.RegistrationAuthority.RegistrationAuthorityID"),
            ra_other: find("Entity.RegistrationAuthority.OtherRegistrationAuthorityID"),
            ra_entity_id: find("Entity.RegistrationAuthority.RegistrationAuthorityEntityID"),
            jurisdiction: find("Entity.LegalJurisdiction"),
            category: find("Entity.EntityCategory"),
            sub_category: find("Entity.EntitySubCategory"),
            legal_form: find("Entity.LegalForm.EntityLegalFormCode"),
            entity_status: find("Entity.EntityStatus"),
            registration_status: find("Registration.RegistrationStatus"),
        }));
    }
    None
}

fn read_csv(bytes: &[u8], staging: &mut Staging, mapper: &mut Mapper) {
    let mut reader = CsvReader::new(bytes);
    let header: Vec<String> = match reader.next_record() {
        Some(Ok(record)) => (0..record.len()).map(|i| record.get(i).to_string()).collect(),
        Some(Err((line, problem))) => {
            staging.note(&line.to_string(), "bad-csv", format!("the header cannot be read: {problem}; nothing is read"));
            return;
        }
        None => return,
    };
    let Some(kind) = csv_kind(&header) else {
        let message = "the header names no GLEIF golden-copy columns (Entity.LegalName, Relationship.StartNode.NodeID, Exception.Category); nothing is read";
        staging.note("1", "not-gleif", message);
        return;
    };
    while let Some(next) = reader.next_record() {
        let record = match next {
            Ok(record) => record,
            Err((line, problem)) => {
                staging.note(&line.to_string(), "bad-csv", format!("{problem}; the record is left out"));
                continue;
            }
        };
        if record.is_blank() {
            continue;
        }
        let at = record.line.to_string();
        let cell = |col: Col| col.filter(|&i| i < record.len()).map_or("", |i| record.get(i));
        match &kind {
            CsvKind::Lei(c) => mapper.lei_record(&c.record(&at, cell), staging),
            CsvKind::Rel(c) => mapper.relationship(&c.record(&at, cell), staging),
            CsvKind::Exc(c) => mapper.exception(&c.record(&at, cell), staging),
        }
    }
}

impl LeiColumns {
    /// The LEI record at `at` from its cells (`cell` gives a column's trimmed text, `""` when absent).
    fn record<'a>(&self, at: &str, cell: impl Fn(Col) -> &'a str) -> LeiRecord {
        let field = |col: Col| Field::new(cell(col), at);
        let other_names = self
            .other_names
            .iter()
            .map(|&(name, name_type, transliterated)| OtherName {
                name: field(Some(name)),
                name_type: cell(name_type).to_string(),
                transliterated,
            })
            .collect();
        LeiRecord {
            at: at.to_string(),
            lei: field(self.lei),
            legal_name: field(self.legal_name),
            other_names,
            legal_country: field(self.legal_country),
            ra_id: cell(self.ra_id).to_string(),
            ra_other: cell(self.ra_other).to_string(),
            ra_entity_id: cell(self.ra_entity_id).to_string(),
            jurisdiction: cell(self.jurisdiction).to_string(),
            category: cell(self.category).to_string(),
            sub_category: cell(self.sub_category).to_string(),
            legal_form: cell(self.legal_form).to_string(),
            entity_status: cell(self.entity_status).to_string(),
            registration_status: cell(self.registration_status).to_string(),
            extra_ids: Vec::new(),
        }
    }
}

impl RelColumns {
    /// The relationship record at `at` from its cells.
    fn record<'a>(&self, at: &str, cell: impl Fn(Col) -> &'a str) -> Relationship {
        let periods = self
            .periods
            .iter()
            .map(|&(start, end, kind)| Period {
                at: at.to_string(),
                start: cell(start).to_string(),
                end: cell(end).to_string(),
                kind: cell(kind).to_string(),
            })
            .filter(|p| !(p.start.is_empty() && p.end.is_empty() && p.kind.is_empty()))
            .collect();
        let quantifiers = self
            .quantifiers
            .iter()
            .filter(|&&(amount, _)| !cell(Some(amount)).is_empty())
            .map(|&(amount, units)| {
                let units = cell(units);
                let amount = cell(Some(amount));
                Field { value: if units.is_empty() { amount.to_string() } else { format!("{amount} {units}") }, at: at.to_string() }
            })
            .collect();
        Relationship {
            at: at.to_string(),
            start: Field::new(cell(self.start), at),
            start_type: cell(self.start_type).to_string(),
            end: Field::new(cell(self.end), at),
            end_type: cell(self.end_type).to_string(),
            kind: cell(self.kind).to_string(),
            status: cell(self.status).to_string(),
            periods,
            quantifiers,
            registration_status: cell(self.registration_status).to_string(),
            validation: cell(self.validation).to_string(),
        }
    }
}

impl ExcColumns {
    /// The reporting exception at `at` from its cells.
    fn record<'a>(&self, at: &str, cell: impl Fn(Col) -> &'a str) -> Exception {
        Exception {
            at: at.to_string(),
            lei: Field::new(cell(self.lei), at),
            category: cell(self.category).to_string(),
            reasons: self.reasons.iter().map(|&i| Field::new(cell(Some(i)), at)).filter(Field::given).collect(),
            reference: cell(self.reference).to_string(),
        }
    }
}

#[path = "gleif_bulk.rs"]
mod bulk;

/// The bulk path under a selection (see `super::stage_selected`): golden-copy CSV files are
/// narrowed with polars before mapping ([`bulk`]); XML and JSON files are returned, to be read whole.
pub(super) fn stage_selected<'f>(
    files: &[&'f super::PublishedFile],
    selection: &super::Selection,
    staging: &mut Staging,
) -> Result<Vec<&'f super::PublishedFile>, (String, String)> {
    Ok(bulk::stage_selected(files, selection, staging))
}

#[cfg(test)]
mod tests {
    use crate::published::testkit::rows;
    use std::collections::HashMap;

    use super::*;
    use crate::ingest::{KnownFacts, Note, Source};
    use crate::published::{Format, PublishedFile, Staged, detect, stage_bytes, stage_group};

    macro_rules! fixture {
        ($name:literal) => {
            ($name, include_bytes!(concat!("../../tests/fixtures/published/gleif/", $name)).as_slice())
        };
    }

    const MS_RECORD: (&str, &[u8]) = fixture!("single_lei_record_INR2EJN1ERAN0W5ZP974.json");
    const MS_CHILDREN: (&str, &[u8]) = fixture!("direct-child-relationships_INR2EJN1ERAN0W5ZP974.json");
    const MS_EXCEPTION: (&str, &[u8]) = fixture!("direct-parent-reporting-exception_INR2EJN1ERAN0W5ZP974.json");
    const LEI_XML: (&str, &[u8]) = fixture!("lei-data.xml");
    const RR_XML: (&str, &[u8]) = fixture!("rr-data.xml");
    const REPEX_XML: (&str, &[u8]) = fixture!("repex-data.xml");
    const LEI_CSV: (&str, &[u8]) = fixture!("20240301-0800-gleif-goldencopy-lei2-golden-copy.csv");
    const RR_CSV: (&str, &[u8]) = fixture!("20240301-0800-gleif-goldencopy-rr-golden-copy.csv");
    const REPEX_CSV: (&str, &[u8]) = fixture!("20240301-0800-gleif-goldencopy-repex-golden-copy.csv");

    const MSFT: &str = "INR2EJN1ERAN0W5ZP974";
    // The invented LEIs of the fixtures written for the project (check digits by `with_check_digits`).
    const P: &str = "9845001VETTAHOLD0119";
    const A: &str = "9845001VETTASUB0A151";
    const B: &str = "9845001VETTASUB0B121";
    const C: &str = "9845001VETTAOTHER186";
    const X: &str = "9845001VETTAANNUL102";
    const G: &str = "9845001VETTAGOVT0142";
    const H: &str = "9845001VETTAHSTLE170";
    const FORMER: &str = "9845001VETTAFORMR182";
    const NOT_IN: &str = "9845001VETTANOTIN179";
    const PRIV: &str = "9845001VETTAPRIV0179";
    const C1: &str = "9845001VETTACSVAA183";
    const C2: &str = "9845001VETTACSVBB160";
    const DUP: &str = "9845001VETTADUPL0134";
    const H2: &str = "9845001VETTAHSTLE267";

    /// ISO 17442 check digits for an 18-character base (ISO 7064 MOD 97-10).
    fn with_check_digits(base: &str) -> String {
        let digits: String = format!("{base}00").chars().map(|c| c.to_digit(36).unwrap().to_string()).collect();
        let remainder = digits.bytes().fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
        format!("{base}{:02}", 98 - remainder)
    }

    fn find<'r>(rows: &'r [crate::published::testkit::Row], pairs: &[(&str, &str)]) -> Vec<&'r crate::published::testkit::Row> {
        rows.iter().filter(|r| pairs.iter().all(|(k, v)| r[*k] == *v)).collect()
    }

    fn one<'r>(rows: &'r [crate::published::testkit::Row], pairs: &[(&str, &str)]) -> &'r crate::published::testkit::Row {
        let found = find(rows, pairs);
        assert_eq!(found.len(), 1, "exactly one row with {pairs:?}; rows: {rows:#?}");
        found[0]
    }

    fn notes<'n>(staged: &'n Staged, code: &str) -> Vec<&'n Note> {
        staged.notes.iter().filter(|n| n.code == code).collect()
    }

    fn stage_files(files: &[(&str, &[u8])]) -> Staged {
        let published: Vec<PublishedFile> = files
            .iter()
            .map(|(name, _)| PublishedFile { path: (*name).into(), name: (*name).to_string(), format: Format::Gleif })
            .collect();
        let group: Vec<FileBytes> =
            published.iter().zip(files).map(|(file, (_, bytes))| FileBytes { file, bytes: bytes.to_vec() }).collect();
        let mut staging = Staging::default();
        stage_group(Format::Gleif, &group, &mut staging);
        staging.finish(&KnownFacts::default())
    }

    fn id(lei: &str) -> String {
        format!("lei:{lei}")
    }

    #[test]
    fn fixture_leis_have_valid_check_digits() {
        for lei in [MSFT, P, A, B, C, X, G, H, FORMER, NOT_IN, PRIV, C1, C2, DUP, H2] {
            assert_eq!(with_check_digits(&lei[..18]), lei);
            assert!(cells::lei(lei).is_ok(), "{lei}");
        }
        assert!(cells::lei("9845001VETTAHOLD0118").is_err(), "the helper's check can fail");
    }

    #[test]
    fn fixtures_are_recognised_as_gleif() {
        for (name, bytes) in [MS_RECORD, MS_CHILDREN, MS_EXCEPTION, LEI_XML, RR_XML, REPEX_XML, LEI_CSV, RR_CSV, REPEX_CSV] {
            assert_eq!(detect(name, bytes), Some(Format::Gleif), "{name}");
        }
    }

    #[test]
    fn microsofts_lei_record_from_the_api() {
        let staged = stage_bytes(Format::Gleif, MS_RECORD.0, MS_RECORD.1, &KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entities.len(), 1);
        let ms = one(&entities, &[("entity_id", &id(MSFT))]);
        assert_eq!(ms["name"], "MICROSOFT CORPORATION");
        assert_eq!(ms["kind"], "company");
        assert_eq!(ms["country"], "US");
        assert_eq!(ms["source"], format!("{} LEI {MSFT}", MS_RECORD.0));
        assert_eq!(ms["source_date"], "2025-05-15", "the golden copy's publishDate");
        assert!(ms["notes"].contains("jurisdiction US-WA") && ms["notes"].contains("registration ISSUED"), "{}", ms["notes"]);
        let ids = rows(&staged, "identifiers");
        one(&ids, &[("entity_id", &id(MSFT)), ("scheme", "LEI"), ("value", MSFT)]);
        one(&ids, &[("scheme", "GLEIF-RA"), ("value", "RA000641:600 413 485")]);
        one(&ids, &[("scheme", "BIC"), ("value", "MSFTUS66XXX")]);
        one(&ids, &[("scheme", "OPENCORPORATES"), ("value", "us_wa/600413485")]);
        assert!(rows(&staged, "aliases").is_empty(), "no other names");
        assert!(staged.notes.is_empty(), "{:#?}", staged.notes);
        assert_eq!(staged.files[0].rows, 1);
        assert_eq!(staged.files[0].table, "gleif");

        // Without a legal address country, the jurisdiction US-WA gives US (reported).
        let text = String::from_utf8(MS_RECORD.1.to_vec()).unwrap().replacen(r#""country":"US""#, r#""country":null"#, 1);
        let staged = stage_bytes(Format::Gleif, "ms.json", text.as_bytes(), &KnownFacts::default());
        assert_eq!(rows(&staged, "entities")[0]["country"], "US");
        let note = notes(&staged, "country-from-jurisdiction");
        assert_eq!(note.len(), 1);
        assert_eq!(note[0].location, "/data/attributes/entity/legalAddress/country");
    }

    #[test]
    fn microsofts_direct_children_are_control_ties() {
        let staged = stage_bytes(Format::Gleif, MS_CHILDREN.0, MS_CHILDREN.1, &KnownFacts::default());
        let ties = rows(&staged, "ownership");
        assert_eq!(ties.len(), 12);
        for tie in &ties {
            assert_eq!(tie["from_id"], id(MSFT), "the parent (end node) controls");
            assert_eq!((tie["relation"].as_str(), tie["tie_kind"].as_str()), ("tie", "control"));
            assert!(tie["share"].is_empty() && tie["share_min"].is_empty());
            assert!(tie["until"].is_empty());
        }
        // Confidence from the corroboration level.
        assert_eq!(one(&ties, &[("to_id", &id("6354003LMZZAKOPXLX69"))])["confidence"], "0.6");
        assert_eq!(find(&ties, &[("confidence", "1")]).len(), 11);
        // Dates from the RELATIONSHIP_PERIOD, wherever it stands; local midnight in UTC moves on.
        let child = one(&ties, &[("to_id", &id("335800VNJ36KHM1KMT58"))]);
        assert_eq!(child["since"], "2008-12-16", "2008-12-15T18:30:00Z; not the accounting period's 2022-06-30T18:30:00Z");
        assert_eq!(one(&ties, &[("to_id", &id("8945006UNIT4VSLO5077"))])["since"], "2022-06-30");
        assert_eq!(one(&ties, &[("to_id", &id("213800JCN6PSGDRLT915"))])["since"], "2022-04-12");
        assert_eq!(one(&ties, &[("to_id", &id("6354003LMZZAKOPXLX69"))])["since"], "2025-03-06");
        assert_eq!(one(&ties, &[("to_id", &id("635400ILTUMVUHABUM41"))])["since"], "2022-07-01");
        let shifted = notes(&staged, "date-shifted");
        assert!(
            shifted.iter().any(|n| n.location == "/data/3/attributes/relationship/periods/0" && n.message.contains("2008-12-15T18:30:00Z")),
            "{shifted:#?}"
        );
        assert!(shifted.iter().all(|n| n.message.starts_with("RELATIONSHIP_PERIOD start")), "only relationship periods are read");
        assert_eq!(ties[0]["source"], format!("{} relationship 213800JCN6PSGDRLT915 IS_DIRECTLY_CONSOLIDATED_BY {MSFT}", MS_CHILDREN.0));
        assert_eq!(ties[0]["source_date"], "2025-05-15");
        // Neither Microsoft nor its children are in the file: stubs, reported.
        assert_eq!(notes(&staged, "stub-entity").len(), 13);
    }

    #[test]
    fn a_local_midnight_start_in_utc_is_the_next_day() {
        let json = format!(
            r#"{{"data": [{{"type": "relationship-records", "attributes": {{"relationship": {{
                "startNode": {{"id": "{A}", "type": "LEI"}}, "endNode": {{"id": "{P}", "type": "LEI"}},
                "type": "IS_DIRECTLY_CONSOLIDATED_BY", "status": "ACTIVE",
                "periods": [{{"startDate": "2021-06-30T18:30:00Z", "endDate": "2022-06-29T18:30:00Z", "type": "ACCOUNTING_PERIOD"}},
                            {{"startDate": "2022-06-30T18:30:00Z", "type": "RELATIONSHIP_PERIOD"}}]}},
                "registration": {{"status": "PUBLISHED", "corroborationLevel": "PENDING"}}}}}}]}}"#
        );
        let staged = stage_bytes(Format::Gleif, "one.json", json.as_bytes(), &KnownFacts::default());
        let ties = rows(&staged, "ownership");
        assert_eq!(ties.len(), 1);
        assert_eq!(ties[0]["since"], "2022-07-01");
        assert_eq!(ties[0]["confidence"], "0.4");
        let shifted = notes(&staged, "date-shifted");
        assert_eq!(shifted.len(), 1);
        assert_eq!(shifted[0].location, "/data/0/attributes/relationship/periods/1");
    }

    #[test]
    fn microsofts_non_consolidating_exception_is_reported_without_an_edge() {
        let staged = stage_bytes(Format::Gleif, MS_EXCEPTION.0, MS_EXCEPTION.1, &KnownFacts::default());
        assert!(staged.inputs.is_empty(), "no row: {:?}", staged.inputs.iter().map(|i| &i.name).collect::<Vec<_>>());
        let reported = notes(&staged, "reporting-exception");
        assert_eq!(reported.len(), 1);
        assert_eq!(reported[0].location, "/data/attributes/reason");
        assert!(
            reported[0].message.contains("NON_CONSOLIDATING") && reported[0].message.contains("DIRECT_ACCOUNTING_CONSOLIDATION_PARENT")
        );
    }

    #[test]
    fn golden_copy_xml() {
        let staged = stage_files(&[LEI_XML, REPEX_XML, RR_XML]);
        let entities = rows(&staged, "entities");
        // Level 1: the annulled record is left out; the others are entities of the file's date.
        assert!(find(&entities, &[("entity_id", &id(X))]).is_empty());
        let annulled = notes(&staged, "annulled-skipped");
        assert_eq!(annulled.len(), 2, "{annulled:#?}");
        assert_eq!(annulled[0].location, "/LEIData/LEIRecords/LEIRecord[4]");
        assert_eq!(annulled[1].location, "/RelationshipData/RelationshipRecords/RelationshipRecord[9]");
        let holding = one(&entities, &[("entity_id", &id(P))]);
        assert_eq!(holding["name"], "Vetta Test Holdings, Inc.");
        assert_eq!(holding["country"], "US", "the legal address, not the Canadian headquarters");
        assert!(holding["notes"].contains("jurisdiction US-DE"), "{}", holding["notes"]);
        assert_eq!(holding["source"], format!("lei-data.xml LEI {P}"));
        assert_eq!(holding["source_date"], "2024-03-01", "ContentDate");
        let sub = one(&entities, &[("entity_id", &id(A))]);
        assert_eq!(sub["name"], "ООО «Ветта Тест»");
        assert_eq!(sub["country"], "RU", "other and transliterated addresses are not the legal address");
        assert_eq!(one(&entities, &[("entity_id", &id(G))])["kind"], "state_body");
        let hostile = one(&entities, &[("entity_id", &id(H))]);
        assert_eq!(hostile["name"], "<script>alert(1)</script> =HYPERLINK(\"http://x\") \u{202E}Ltd");
        assert_eq!(hostile["country"], "XRW");
        assert!(
            notes(&staged, "unknown-country").iter().any(|n| n.location == "/LEIData/LEIRecords/LEIRecord[6]/Entity/LegalAddress/Country")
        );

        let aliases = rows(&staged, "aliases");
        assert_eq!(one(&aliases, &[("name", "Vetta Test Group Corp.")])["kind"], "fka");
        assert_eq!(one(&aliases, &[("name", "Vetta & Partners")])["kind"], "aka");
        assert_eq!(one(&aliases, &[("name", "OOO Vetta Test")])["kind"], "translit");
        assert_eq!(one(&aliases, &[("name", "Vetta Deutschland")])["entity_id"], id(B));
        assert!(find(&aliases, &[("name", "Vetta Test GmbH")]).is_empty(), "the legal name is not an alias of itself");

        let ids = rows(&staged, "identifiers");
        one(&ids, &[("entity_id", &id(P)), ("scheme", "GLEIF-RA"), ("value", "RA000602:7654321")]);
        assert!(find(&ids, &[("entity_id", &id(B)), ("scheme", "GLEIF-RA")]).is_empty(), "RA999999: in no register");
        assert_eq!(find(&ids, &[("scheme", "LEI")]).len(), 5);

        // Level 2.
        let ties = rows(&staged, "ownership");
        let direct = one(&ties, &[("from_id", &id(P)), ("to_id", &id(A))]);
        assert_eq!((direct["tie_kind"].as_str(), direct["confidence"].as_str()), ("control", "1"));
        assert_eq!(direct["since"], "2015-04-01", "the third period is the RELATIONSHIP_PERIOD; 22:00Z is local midnight");
        assert!(direct["share"].is_empty(), "QuantifierAmount 100.00 is not a share");
        assert_eq!(direct["source"], format!("rr-data.xml relationship {A} IS_DIRECTLY_CONSOLIDATED_BY {P}"));
        assert!(notes(&staged, "date-shifted").iter().any(|n| n.location
            == "/RelationshipData/RelationshipRecords/RelationshipRecord[2]/Relationship/RelationshipPeriods/RelationshipPeriod[3]"));
        let quantifier = notes(&staged, "quantifier-not-share");
        assert_eq!(quantifier.len(), 1);
        assert!(quantifier[0].message.contains("100.00 PERCENTAGE"), "{}", quantifier[0].message);
        let second = one(&ties, &[("from_id", &id(A)), ("to_id", &id(B))]);
        assert_eq!((second["confidence"].as_str(), second["since"].as_str()), ("0.8", "2016-07-01"));
        // The ultimate P → B is the chain P → A → B: no second tie. P → C has no chain: kept.
        assert!(find(&ties, &[("from_id", &id(P)), ("to_id", &id(B))]).is_empty());
        let covered = notes(&staged, "ultimate-covered");
        assert_eq!(covered.len(), 1);
        assert_eq!(covered[0].location, "/RelationshipData/RelationshipRecords/RelationshipRecord[1]");
        assert!(covered[0].message.contains(&format!("lei:{P} → lei:{A} → lei:{B}")), "{}", covered[0].message);
        let ultimate = one(&ties, &[("from_id", &id(P)), ("to_id", &id(C))]);
        assert_eq!((ultimate["confidence"].as_str(), ultimate["since"].as_str()), ("0.6", "2019-06-01"));
        // Inactive with an end date: until; PENDING: 0.4.
        let former = one(&ties, &[("from_id", &id(P)), ("to_id", &id(FORMER))]);
        assert_eq!(
            (former["since"].as_str(), former["until"].as_str(), former["confidence"].as_str()),
            ("2010-01-01", "2019-12-31", "0.4")
        );
        // No relationship period: a tie without dates, reported.
        let undated = one(&ties, &[("from_id", &id(G)), ("to_id", &id(NOT_IN))]);
        assert!(undated["since"].is_empty() && undated["until"].is_empty());
        assert_eq!(notes(&staged, "no-period").len(), 1);
        assert_eq!(ties.len(), 5, "{ties:#?}");
        assert_eq!(notes(&staged, "fund-relationship").len(), 2);
        let branch = notes(&staged, "branch-candidate");
        assert_eq!(branch.len(), 1);
        assert_eq!(branch[0].location, "/RelationshipData/RelationshipRecords/RelationshipRecord[7]");

        // Reporting exceptions: NON_PUBLIC (once for two categories) and a folded pre-2022 reason.
        let repex = find(&ids, &[("scheme", "GLEIF-REPEX")]);
        assert_eq!(repex.len(), 2, "{repex:#?}");
        one(&ids, &[("entity_id", &id(PRIV)), ("scheme", "GLEIF-REPEX"), ("value", "NON_PUBLIC")]);
        one(&ids, &[("entity_id", &id(A)), ("scheme", "GLEIF-REPEX"), ("value", "LEGAL_OBSTACLES")]);
        let reported = notes(&staged, "reporting-exception");
        assert_eq!(reported.len(), 5);
        assert!(reported.iter().any(|n| n.message.contains("NATURAL_PERSONS") && n.message.contains("no edge")));
        assert_eq!(reported[0].location, "/ReportingExceptionData/ReportingExceptions/Exception[1]/ExceptionReason[1]");

        // Stubs stand for the LEIs named but not in the import.
        let stubs: Vec<&str> = notes(&staged, "stub-entity").iter().map(|n| n.message.as_str()).collect();
        assert_eq!(stubs.len(), 4, "{stubs:#?}");
        for lei in [C, FORMER, NOT_IN, PRIV] {
            let stub = one(&entities, &[("entity_id", &id(lei))]);
            assert_eq!((stub["name"].as_str(), stub["country"].as_str()), (id(lei).as_str(), "XRW"));
        }
        assert!(notes(&staged, "duplicate-key").is_empty() && notes(&staged, "invalid-value").is_empty(), "{:#?}", staged.notes);
        assert_eq!(staged.files.iter().map(|f| f.rows).collect::<Vec<_>>(), [6, 5, 10]);
    }

    #[test]
    fn golden_copy_csv() {
        let staged = stage_files(&[LEI_CSV, REPEX_CSV, RR_CSV]);
        let entities = rows(&staged, "entities");
        let japanese = one(&entities, &[("entity_id", &id(C1))]);
        assert_eq!(japanese["name"], "ヴェッタ・テスト株式会社");
        assert_eq!(japanese["country"], "JP");
        assert_eq!(japanese["source"], format!("{} LEI {C1}", LEI_CSV.0));
        assert_eq!(japanese["source_date"], "2024-03-01", "from the golden copy's file name");
        let aliases = rows(&staged, "aliases");
        assert_eq!(one(&aliases, &[("name", "Vetta Test K.K.")])["kind"], "aka");
        assert_eq!(one(&aliases, &[("name", "VETTA TESUTO KABUSHIKI KAISHA")])["kind"], "translit");
        assert_eq!(one(&aliases, &[("name", "Vetta Old Sub LLC")])["kind"], "fka");
        let ids = rows(&staged, "identifiers");
        one(&ids, &[("entity_id", &id(C1)), ("scheme", "GLEIF-RA"), ("value", "RA000412:0100-01-000000")]);
        one(&ids, &[("entity_id", &id(C2)), ("scheme", "GLEIF-RA"), ("value", "RA888888:A-17")]);
        let sub = one(&entities, &[("entity_id", &id(C2))]);
        assert_eq!(sub["country"], "XRW");
        assert!(sub["notes"].contains("registration authority Some Registry"));
        assert_eq!(notes(&staged, "no-country")[0].location, "3");
        // The duplicate registration is left out.
        assert!(find(&entities, &[("entity_id", &id(DUP))]).is_empty());
        let duplicates = notes(&staged, "duplicate-skipped");
        assert_eq!(duplicates.iter().map(|n| n.location.as_str()).collect::<Vec<_>>(), ["4", "6"]);
        // Hostile text is data: formula, markup, RTL override, a control character and a line break.
        let hostile = one(&entities, &[("entity_id", &id(H2))]);
        assert_eq!(hostile["name"], "=cmd|' /C calc'!A0 <b onmouseover=\"x()\">bold</b> \u{202e}evil\u{7}bell\nsecond line");
        assert_eq!(hostile["country"], "US", "`us` is upper-cased");

        let ties = rows(&staged, "ownership");
        let direct = one(&ties, &[("from_id", &id(C1)), ("to_id", &id(C2))]);
        assert_eq!((direct["confidence"].as_str(), direct["since"].as_str()), ("0.6", "2020-04-01"));
        assert!(notes(&staged, "date-shifted").iter().any(|n| n.location == "3"));
        assert_eq!(notes(&staged, "ultimate-covered")[0].location, "2");
        let ultimate = one(&ties, &[("from_id", &id(P)), ("to_id", &id(C1))]);
        assert_eq!((ultimate["confidence"].as_str(), ultimate["since"].as_str()), ("0.8", "2021-01-01"));
        assert_eq!(ties.len(), 2, "{ties:#?}");
        assert_eq!(notes(&staged, "fund-relationship")[0].location, "5");
        assert_eq!(notes(&staged, "inactive-no-end")[0].location, "7");
        assert!(notes(&staged, "quantifier-not-share")[0].message.contains("51.00 PERCENTAGE"));

        one(&ids, &[("entity_id", &id(C2)), ("scheme", "GLEIF-REPEX"), ("value", "BINDING_LEGAL_COMMITMENTS")]);
        assert_eq!(find(&ids, &[("scheme", "GLEIF-REPEX")]).len(), 1);
        let reported = notes(&staged, "reporting-exception");
        assert_eq!(reported.iter().map(|n| n.location.as_str()).collect::<Vec<_>>(), ["2", "3", "4"]);
        assert!(reported[0].message.contains("NO_LEI"));
        assert!(reported[1].message.ends_with("(reference: \"Contract 2019-17\")"), "{}", reported[1].message);
        assert!(notes(&staged, "invalid-value").is_empty() && notes(&staged, "bad-csv").is_empty(), "{:#?}", staged.notes);
    }

    #[test]
    fn hostile_legal_name_from_json_is_kept_verbatim() {
        let name = "<img src=x onerror=alert(1)> =1+2 \u{202e}gnp.exe\u{7}\u{1b}[31m";
        let record = serde_json::json!({"data": {"type": "lei-records", "attributes": {
            "lei": H, "entity": {"legalName": {"name": name}, "legalAddress": {"country": "GB"}},
            "registration": {"status": "ISSUED"}}}});
        let staged = stage_bytes(Format::Gleif, "h.json", record.to_string().as_bytes(), &KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entities[0]["name"], name);
        assert!(staged.notes.is_empty(), "{:#?}", staged.notes);
    }

    #[test]
    fn broken_and_foreign_files_are_reported() {
        let truncated = &LEI_XML.1[..LEI_XML.1.len() / 2];
        let staged = stage_bytes(Format::Gleif, "cut.xml", truncated, &KnownFacts::default());
        assert!(!rows(&staged, "entities").is_empty(), "the records before the break are read");
        let cut = String::from_utf8_lossy(truncated).into_owned() + "<lei:Broken></lei:Other>";
        let staged = stage_bytes(Format::Gleif, "cut.xml", cut.as_bytes(), &KnownFacts::default());
        assert_eq!(notes(&staged, "bad-xml").len(), 1, "{:#?}", staged.notes);
        let staged = stage_bytes(Format::Gleif, "x.xml", b"<root><LEI>1</LEI></root>", &KnownFacts::default());
        assert_eq!(notes(&staged, "not-gleif").len(), 1);
        let staged = stage_bytes(Format::Gleif, "x.json", b"{\"data\": [{\"type\": \"lei-issuers\"}]", &KnownFacts::default());
        assert_eq!(notes(&staged, "bad-json").len(), 1);
        let staged = stage_bytes(Format::Gleif, "x.json", b"{\"data\": [{\"type\": \"lei-issuers\"}]}", &KnownFacts::default());
        assert_eq!(notes(&staged, "unknown-record-type")[0].location, "/data/0");
        let staged = stage_bytes(Format::Gleif, "x.csv", b"a,b\n1,2\n", &KnownFacts::default());
        assert_eq!(notes(&staged, "not-gleif")[0].location, "1");
    }

    #[test]
    fn a_chain_of_direct_ties_is_found_through_cycles() {
        let mut parents: HashMap<String, Vec<String>> = HashMap::new();
        for (child, parent) in [("c", "b"), ("b", "a"), ("a", "c"), ("b", "z")] {
            parents.entry(child.into()).or_default().push(parent.into());
        }
        assert_eq!(direct_chain(&parents, "a", "c"), Some(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(direct_chain(&parents, "z", "c"), Some(vec!["z".into(), "b".into(), "c".into()]));
        assert_eq!(direct_chain(&parents, "q", "c"), None);
        assert_eq!(date_from_name("20240301-0800-gleif-goldencopy-lei2-golden-copy.csv").as_deref(), Some("2024-03-01"));
        assert_eq!(date_from_name("20241301-x.csv"), None);
        assert_eq!(date_from_name("lei-data.xml"), None);
    }

    #[test]
    fn every_fixture_imports_into_a_fresh_store() {
        let staged = stage_files(&[MS_CHILDREN, MS_EXCEPTION, LEI_XML, REPEX_XML, RR_XML, LEI_CSV, REPEX_CSV, RR_CSV, MS_RECORD]);
        assert_eq!(staged.files.len(), 9);
        let folder = tempfile::tempdir().unwrap();
        let (mut store, _) = crate::store::Store::open(&folder.path().join("vetta.db")).unwrap();
        let known = store.known_facts().unwrap();
        let mut report = crate::ingest::Report::default();
        let dataset = crate::ingest::read(&staged.inputs, &known, &mut report);
        assert!(report.is_ok(), "{:#?}", report.errors);
        let dataset = dataset.expect("a dataset");
        store.apply(&dataset, "gleif fixtures").unwrap();
        // The same files again change nothing and are still accepted.
        let known = store.known_facts().unwrap();
        let staged = stage_files(&[LEI_XML, RR_XML]);
        let mut report = crate::ingest::Report::default();
        let dataset = crate::ingest::read(&staged.inputs, &known, &mut report);
        assert!(report.is_ok() && dataset.is_some(), "{:#?}", report.errors);
        assert!(known.entities.iter().any(|e| e.entity_id == id(MSFT)));
    }

    // -----------------------------------------------------------------------------------------
    // The bulk path (golden-copy CSV under a selection) against staging the whole files
    // -----------------------------------------------------------------------------------------

    use crate::published::Selection;

    /// Files written to a folder, as an import finds them (in name order).
    fn on_disk(folder: &std::path::Path, files: &[(String, Vec<u8>)]) -> Vec<PublishedFile> {
        let mut published: Vec<PublishedFile> = files
            .iter()
            .map(|(name, bytes)| {
                let path = folder.join(name);
                std::fs::write(&path, bytes).unwrap();
                PublishedFile { path, name: name.clone(), format: Format::Gleif }
            })
            .collect();
        published.sort_by(|a, b| a.name.cmp(&b.name));
        published
    }

    /// The whole files staged, then the shared selection.
    fn whole_then_select(published: &[PublishedFile], selection: &Selection) -> Staged {
        let group: Vec<FileBytes> = published.iter().map(|file| FileBytes { file, bytes: std::fs::read(&file.path).unwrap() }).collect();
        let mut staging = Staging::default();
        stage_group(Format::Gleif, &group, &mut staging);
        staging.finish_selected(&KnownFacts::default(), Some(selection))
    }

    /// The bulk path, then the shared selection; the files it left to the whole-file path.
    fn bulk_then_select(published: &[PublishedFile], selection: &Selection) -> (Staged, Vec<String>) {
        let refs: Vec<&PublishedFile> = published.iter().collect();
        let mut staging = Staging::default();
        let rest = stage_selected(&refs, selection, &mut staging).unwrap();
        let group: Vec<FileBytes> = rest.iter().map(|&file| FileBytes { file, bytes: std::fs::read(&file.path).unwrap() }).collect();
        stage_group(Format::Gleif, &group, &mut staging);
        (staging.finish_selected(&KnownFacts::default(), Some(selection)), rest.iter().map(|f| f.name.clone()).collect())
    }

    fn text_of(input: &crate::ingest::Input) -> &[u8] {
        let Source::Text(text) = &input.source else { panic!("staged inputs are text") };
        text
    }

    /// The bulk path stages the same rows (with the same origins and files) as the whole files,
    /// and the same notes about what the selection keeps: every note of the bulk path is a note of
    /// the whole path, and every note of the whole path about a kept LEI is one of the bulk path. `outside-selection` counts differ (the bulk path does not read what is far away).
    fn assert_equivalent(published: &[PublishedFile], selection: &Selection) -> Staged {
        let whole = whole_then_select(published, selection);
        let (bulk, rest) = bulk_then_select(published, selection);
        assert!(rest.is_empty(), "the bulk path took every golden-copy CSV: {rest:?}");
        let what = format!("{selection:?}");
        let names = |s: &Staged| s.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&bulk), names(&whole), "{what}");
        for (b, w) in bulk.inputs.iter().zip(&whole.inputs) {
            assert_eq!(String::from_utf8_lossy(text_of(b)), String::from_utf8_lossy(text_of(w)), "{} for {what}", b.name);
            let lines = text_of(w).iter().filter(|&&c| c == b'\n').count() as u64;
            for line in 2..=lines {
                assert_eq!(bulk.origin(&b.name, line), whole.origin(&w.name, line), "{} line {line} for {what}", b.name);
            }
        }
        assert_eq!(bulk.files, whole.files, "{what}");
        let counted = |n: &&Note| n.code != "outside-selection";
        let mut pool: Vec<&Note> = whole.notes.iter().filter(counted).collect();
        for note in bulk.notes.iter().filter(counted) {
            let Some(at) = pool.iter().position(|n| *n == note) else {
                panic!("bulk note {note:?} is not a note of the whole files ({what})")
            };
            pool.remove(at);
        }
        let kept: Vec<String> = rows(&whole, "entities").iter().map(|e| e["entity_id"].trim_start_matches("lei:").to_string()).collect();
        // What a note is about comes before any parenthesis (an ultimate-covered note lists the
        // whole chain there, through LEIs the record itself does not name).
        let about = |n: &Note| n.message.split('(').next().unwrap_or_default().to_string();
        let missing: Vec<&&Note> = pool.iter().filter(|n| kept.iter().any(|lei| about(n).contains(lei.as_str()))).collect();
        assert!(missing.is_empty(), "notes about kept entities the bulk path lacks ({what}): {missing:#?}");
        let outside = |s: &Staged| s.notes.iter().filter(|n| n.code == "outside-selection").count();
        assert!(outside(&bulk) <= outside(&whole));
        bulk
    }

    fn selection(hops: u32, ids: &[&str], identifiers: &[(&str, &str)], names: &[&str]) -> Selection {
        Selection {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            identifiers: identifiers.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
            names: names.iter().map(|n| crate::published::select::fold_name(n)).collect(),
            hops,
        }
    }

    fn fixture_files() -> Vec<(String, Vec<u8>)> {
        [LEI_CSV, RR_CSV, REPEX_CSV].iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect()
    }

    #[test]
    fn bulk_path_matches_whole_files_on_the_csv_fixtures() {
        let folder = tempfile::tempdir().unwrap();
        let published = on_disk(folder.path(), &fixture_files());
        for hops in 0..=3 {
            let by_id = assert_equivalent(&published, &selection(hops, &[&id(C2)], &[], &[]));
            assert!(!rows(&by_id, "entities").is_empty());
            assert_equivalent(&published, &selection(hops, &[], &[("LEI", C1)], &[]));
            assert_equivalent(&published, &selection(hops, &[], &[("LEI", P)], &[]));
            assert_equivalent(&published, &selection(hops, &[], &[], &["VETTA TESUTO KABUSHIKI-KAISHA"]));
            assert_equivalent(&published, &selection(hops, &[], &[], &["ヴェッタ・テスト株式会社", "nobody"]));
            assert_equivalent(&published, &selection(hops, &[], &[("GLEIF-RA", "RA888888:A-17")], &[]));
            assert_equivalent(&published, &selection(hops, &[], &[("GLEIF-REPEX", "BINDING_LEGAL_COMMITMENTS")], &[]));
            // The hostile record spans two physical lines: located by counting.
            let hostile = assert_equivalent(&published, &selection(hops, &[&id(H2)], &[], &[]));
            assert_eq!(hostile.origin("entities.csv (staged)", 2).map(|o| o.1.as_str()), Some("5"));
            let none = assert_equivalent(&published, &selection(hops, &["lei:9845001VETTANOBODY00"], &[], &[]));
            assert!(none.inputs.is_empty() && none.notes.iter().any(|n| n.code == "no-seed-found"));
        }
        // One hop from C1 reaches C2 (direct) and P (ultimate): both kept, with the ties.
        let around = assert_equivalent(&published, &selection(1, &[&id(C1)], &[], &[]));
        assert_eq!(rows(&around, "ownership").len(), 2);
    }

    #[test]
    fn bulk_path_leaves_xml_and_json_to_the_whole_file_path() {
        let folder = tempfile::tempdir().unwrap();
        let mut files = fixture_files();
        files.push((LEI_XML.0.to_string(), LEI_XML.1.to_vec()));
        files.push((MS_RECORD.0.to_string(), MS_RECORD.1.to_vec()));
        let published = on_disk(folder.path(), &files);
        let (staged, rest) = bulk_then_select(&published, &selection(2, &[&id(P)], &[], &[]));
        assert_eq!(rest, [LEI_XML.0, MS_RECORD.0]);
        assert!(rows(&staged, "entities").iter().any(|e| e["entity_id"] == id(P)), "P from the XML file");
        assert!(rows(&staged, "entities").iter().any(|e| e["entity_id"] == id(C1)), "C1 from the CSV files, one hop from P");
    }

    #[test]
    fn direct_ties_are_the_ones_the_mapper_stages() {
        for (name, bytes) in [RR_CSV, RR_XML] {
            let published = PublishedFile { path: name.into(), name: name.to_string(), format: Format::Gleif };
            let file = FileBytes { file: &published, bytes: bytes.to_vec() };
            let mut staging = Staging::default();
            let mut mapper = Mapper::new(name);
            let mut records = Vec::new();
            if name.ends_with(".csv") {
                read_csv(&file.bytes, &mut staging, &mut mapper);
                let mut reader = CsvReader::new(bytes);
                let header: Vec<String> = {
                    let r = reader.next_record().unwrap().unwrap();
                    (0..r.len()).map(|i| r.get(i).to_string()).collect()
                };
                let Some(CsvKind::Rel(c)) = csv_kind(&header) else { panic!() };
                while let Some(Ok(r)) = reader.next_record() {
                    records.push(c.record("", |col: Col| col.filter(|&i| i < r.len()).map_or("", |i| r.get(i))));
                }
            } else {
                read_xml(&file.bytes, &mut staging, &mut mapper);
            }
            let mut expected: Vec<(String, String)> =
                mapper.parents.iter().flat_map(|(child, parents)| parents.iter().map(|p| (p.clone(), child.clone()))).collect();
            expected.sort();
            if !records.is_empty() {
                let mut found: Vec<(String, String)> = records.iter().filter_map(direct_tie).collect();
                found.sort();
                assert_eq!(found, expected, "{name}");
            }
            assert!(!expected.is_empty(), "{name}");
        }
    }

    /// A GLEIF-shaped golden copy of `n` LEI records: chains of direct parents, ultimate parents
    /// (most covered by a chain, some not), cycles, fund and branch relationships, annulled and
    /// inactive records, reporting exceptions. `odd`: a quoted line break and a blank line too.
    fn generated_golden_copy(n: usize, odd: bool) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
        let leis: Vec<String> = (0..n).map(|i| with_check_digits(&format!("9845001GEN{i:08}"))).collect();
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x2545_f491_4f6c_dd1d);
        let mut next = move |m: usize| rand::RngExt::random_range(&mut rng, 0..m);
        let q = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
        let mut lei = String::from(
            "\"LEI\",\"Entity.LegalName\",\"Entity.OtherEntityNames.OtherEntityName.1\",\"Entity.OtherEntityNames.OtherEntityName.1.type\",\"Entity.LegalAddress.FirstAddressLine\",\"Entity.LegalAddress.Country\",\"Entity.RegistrationAuthority.RegistrationAuthorityID\",\"Entity.RegistrationAuthority.RegistrationAuthorityEntityID\",\"Entity.LegalJurisdiction\",\"Entity.EntityCategory\",\"Entity.EntityStatus\",\"Registration.RegistrationStatus\"\r\n",
        );
        let mut parent = vec![None; n];
        for i in 0..n {
            let status = match next(40) {
                0 => "ANNULLED",
                1 => "LAPSED",
                _ => "ISSUED",
            };
            let other = if i % 7 == 0 { format!("Gen Trading {i}") } else { String::new() };
            let mut address = format!("{} Main Street", i * 3);
            if odd && i == n / 2 {
                address.push_str("\nSuite 5");
            }
            let fields = [
                leis[i].clone(),
                format!("Gen Company {i} Ltd."),
                other.clone(),
                if other.is_empty() { String::new() } else { "TRADING_OR_OPERATING_NAME".into() },
                address,
                ["US", "DE", "JP", "GB", "xx"][next(5)].to_string(),
                "RA000602".into(),
                format!("{}", 100_000 + i),
                "US-DE".into(),
                "GENERAL".into(),
                "ACTIVE".into(),
                status.into(),
            ];
            lei.push_str(&fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(","));
            lei.push_str("\r\n");
            if odd && i == n / 3 {
                lei.push_str("\r\n");
            }
            if i > 0 && next(10) < 8 {
                parent[i] = Some(i.saturating_sub(1 + next(20)));
            }
        }
        let mut rr = String::from(
            "\"Relationship.StartNode.NodeID\",\"Relationship.StartNode.NodeIDType\",\"Relationship.EndNode.NodeID\",\"Relationship.EndNode.NodeIDType\",\"Relationship.RelationshipType\",\"Relationship.RelationshipStatus\",\"Relationship.Period.1.startDate\",\"Relationship.Period.1.endDate\",\"Relationship.Period.1.periodType\",\"Relationship.Quantifiers.1.QuantifierAmount\",\"Relationship.Quantifiers.1.QuantifierUnits\",\"Registration.RegistrationStatus\",\"Registration.ValidationSources\"\r\n",
        );
        let validation = ["FULLY_CORROBORATED", "PARTIALLY_CORROBORATED", "ENTITY_SUPPLIED_ONLY", "PENDING", ""];
        let relationship = |rr: &mut String, child: usize, parent: usize, kind: &str, next: &mut dyn FnMut(usize) -> usize| {
            let (status, end) = match next(30) {
                0 => ("INACTIVE", "2019-12-31T00:00:00Z"),
                1 => ("INACTIVE", ""),
                _ => ("ACTIVE", ""),
            };
            let fields = [
                leis[child].as_str(),
                "LEI",
                leis[parent].as_str(),
                "LEI",
                kind,
                status,
                "2015-06-30T22:00:00Z",
                end,
                "RELATIONSHIP_PERIOD",
                if next(5) == 0 { "100.00" } else { "" },
                "PERCENTAGE",
                if next(50) == 0 { "ANNULLED" } else { "PUBLISHED" },
                validation[next(5)],
            ];
            rr.push_str(&fields.iter().map(|f| q(f)).collect::<Vec<_>>().join(","));
            rr.push_str("\r\n");
        };
        for i in 0..n {
            let Some(p) = parent[i] else { continue };
            relationship(&mut rr, i, p, "IS_DIRECTLY_CONSOLIDATED_BY", &mut next);
            // The ultimate parent: the top of the chain (covered), or sometimes an unrelated one.
            let mut top = p;
            while let Some(up) = parent[top] {
                top = up;
            }
            if top != p || next(4) == 0 {
                let ultimate = if next(6) == 0 { next(n) } else { top };
                if ultimate != i {
                    relationship(&mut rr, i, ultimate, "IS_ULTIMATELY_CONSOLIDATED_BY", &mut next);
                }
            }
            match next(60) {
                0 => relationship(&mut rr, p, i, "IS_DIRECTLY_CONSOLIDATED_BY", &mut next), // a cycle
                1 => relationship(&mut rr, i, p, "IS_FUND-MANAGED_BY", &mut next),
                2 => relationship(&mut rr, i, next(n), "IS_INTERNATIONAL_BRANCH_OF", &mut next),
                _ => {}
            }
        }
        // A relationship naming an LEI no record has.
        rr.push_str(&format!("\"{}\",\"LEI\",\"9845001VETTANOTIN179\",\"LEI\",\"IS_DIRECTLY_CONSOLIDATED_BY\",\"ACTIVE\",\"\",\"\",\"\",\"\",\"\",\"PUBLISHED\",\"PENDING\"\r\n", leis[3]));
        let mut repex = String::from("\"LEI\",\"Exception.Category\",\"Exception.Reason.1\",\"Exception.Reference.1\"\r\n");
        for i in (0..n).filter(|i| i % 11 == 5) {
            let reason = ["NON_PUBLIC", "NO_KNOWN_PERSON", "NATURAL_PERSONS", "LEGAL_OBSTACLES"][next(4)];
            let category = ["DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT"][next(2)];
            repex.push_str(&format!("{},{},{},\"\"\r\n", q(&leis[i]), q(category), q(reason)));
        }
        let files = vec![
            ("20250101-0000-gleif-goldencopy-lei2-golden-copy.csv".to_string(), lei.into_bytes()),
            ("20250101-0000-gleif-goldencopy-rr-golden-copy.csv".to_string(), rr.into_bytes()),
            ("20250101-0000-gleif-goldencopy-repex-golden-copy.csv".to_string(), repex.into_bytes()),
        ];
        (files, leis)
    }

    #[test]
    fn bulk_path_matches_whole_files_on_a_generated_golden_copy() {
        for odd in [false, true] {
            let (files, leis) = generated_golden_copy(3_000, odd);
            let folder = tempfile::tempdir().unwrap();
            let published = on_disk(folder.path(), &files);
            for hops in 0..=3 {
                let seeds: Vec<String> = [5usize, 777, 1500, 2999].iter().map(|&i| id(&leis[i])).collect();
                let seeds: Vec<&str> = seeds.iter().map(String::as_str).collect();
                let staged = assert_equivalent(&published, &selection(hops, &seeds, &[], &[]));
                if hops == 3 {
                    assert!(rows(&staged, "entities").len() > 10, "odd {odd}: {} entities", rows(&staged, "entities").len());
                    assert!(!rows(&staged, "ownership").is_empty());
                }
                assert_equivalent(&published, &selection(hops, &[], &[("LEI", &leis[1234]), ("LEI", &leis[42])], &[]));
                assert_equivalent(&published, &selection(hops, &[], &[], &["GEN COMPANY 1501 LTD", "gen trading 700"]));
                assert_equivalent(&published, &selection(hops, &[], &[("GLEIF-RA", "RA000602:100321")], &[]));
                assert_equivalent(&published, &selection(hops, &[], &[("GLEIF-REPEX", "NON_PUBLIC")], &[]));
            }
        }
    }
}
