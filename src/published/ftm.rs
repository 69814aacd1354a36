//! FollowTheMoney / OpenSanctions entity files (JSON lines; nested target files flattened) → native
//! rows, as open-formats.md says.
//!
//! Lines are read in one pass into things (parties) and links (ownership, ties, sanctions), because
//! a link may name a party that comes later in the file; rows are written once everything is read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::select::Neighbourhood;
use super::text::Bound;
use super::{FileBytes, PublishedFile, Selection, Staging};
use crate::ingest::tables;

/// Schemata of parties and the entity kind each becomes.
fn party_kind(schema: &str) -> Option<&'static str> {
    Some(match schema {
        "Company" | "Organization" | "LegalEntity" => "company",
        "PublicBody" => "state_body",
        "Person" => "person",
        _ => return None,
    })
}

/// Edge schemata that become ties: (source property, target property, tie kind).
fn tie_schema(schema: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match schema {
        "Control" => ("controller", "controlled", "control"),
        "Directorship" => ("director", "organization", "board"),
        "Employment" => ("employee", "employer", "personnel"),
        "Membership" => ("member", "organization", "personnel"),
        "Associate" => ("person", "associate", "cooperation"),
        "UnknownLink" => ("subject", "object", "cooperation"),
        "Representation" => ("agent", "client", "cooperation"),
        _ => return None,
    })
}

/// Properties that are identifiers, and their schemes.
const IDENTIFIER_PROPERTIES: &[(&str, &str)] = &[
    ("leiCode", "LEI"),
    ("innCode", "RU-INN"),
    ("ogrnCode", "RU-OGRN"),
    ("registrationNumber", "REGISTRATION"),
    ("uniqueEntityId", "US-SAM-UEI"),
    ("dunsCode", "DUNS"),
    ("wikidataId", "WIKIDATA"),
    ("permId", "PERMID"),
];

/// One entity of the file (after flattening), with the line it was on.
struct Thing {
    line: u64,
    id: String,
    schema: String,
    properties: Map<String, Value>,
    datasets: Vec<String>,
    referents: Vec<String>,
    topics: Vec<String>,
    first_seen: Option<String>,
    last_change: Option<String>,
}

impl Thing {
    fn values(&self, property: &str) -> Vec<&str> {
        match self.properties.get(property) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(text)) => vec![text.as_str()],
            _ => Vec::new(),
        }
    }

    fn first(&self, property: &str) -> Option<&str> {
        self.values(property).into_iter().find(|v| !v.trim().is_empty())
    }
}

pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    let mut things: Vec<Thing> = Vec::new();
    let mut records = 0u64;
    for (line, text) in lines(&file.bytes) {
        records += 1;
        read_line(line, text, &mut things, staging);
    }
    staging.describe_file("ftm", records);
    let newest = things.iter().filter_map(|t| t.last_change.as_deref()).max().map(str::to_string);
    write_rows(&file.file.name, &things, newest.as_deref(), staging);
}

/// The lines of a file that are not blank, numbered from 1 (physical lines), without their `\r`.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut start = 0usize;
    let mut line = 0u64;
    std::iter::from_fn(move || {
        while start < bytes.len() {
            line += 1;
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let text = &bytes[start..end];
            start = end + 1;
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if !blank(text) {
                return Some((line, text));
            }
        }
        None
    })
}

fn blank(text: &[u8]) -> bool {
    text.iter().all(u8::is_ascii_whitespace)
}

/// One line (not blank) into things, or a note.
fn read_line(line: u64, text: &[u8], things: &mut Vec<Thing>, staging: &mut Staging) {
    match serde_json::from_slice::<Value>(text) {
        Ok(Value::Object(object)) => flatten(object, line, things, staging),
        Ok(_) => staging.note(&line.to_string(), "not-an-entity", "the line is JSON but not an object; left out"),
        Err(error) => staging.note(&line.to_string(), "bad-json", format!("not JSON ({error}); the line is left out")),
    }
}

/// The rows of a file's things. `newest` is the newest `last_change` of the whole file (the bulk
/// path reads only some of its things), which dates the file.
fn write_rows(name: &str, things: &[Thing], newest: Option<&str>, staging: &mut Staging) {
    if let Some(newest) = newest.map(|d| d.get(..10).unwrap_or(d))
        && super::text::date(newest, Bound::Start).is_some()
    {
        staging.set_date(newest);
    }
    let kinds: HashMap<&str, &'static str> =
        things.iter().filter_map(|t| party_kind(&t.schema).map(|kind| (t.id.as_str(), kind))).collect();
    let mut skipped: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut ownerships: Vec<&Thing> = Vec::new();
    for thing in things {
        if party_kind(&thing.schema).is_some() {
            party(thing, name, staging);
        } else if thing.schema == "Ownership" {
            ownerships.push(thing);
        } else if let Some(tie) = tie_schema(&thing.schema) {
            tie_row(thing, tie, name, &kinds, staging);
        } else if thing.schema == "Sanction" {
            sanction(thing, name, &kinds, staging);
        } else if thing.schema == "Family" {
            staging.note(&thing.line.to_string(), "family-skipped", format!("Family {} is not imported", thing.id));
        } else {
            let entry = skipped.entry(thing.schema.clone()).or_insert((thing.line, 0));
            entry.1 += 1;
        }
    }
    ownership_rows(&ownerships, name, &kinds, staging);
    for (schema, (first_line, count)) in skipped {
        let message = format!("{count} {schema} entit{} not imported (first at line {first_line})", if count == 1 { "y" } else { "ies" });
        staging.note(&first_line.to_string(), "schema-not-imported", message);
    }
}

/// An entity line, and every nested entity inside its properties (a value that is an object with
/// `id` and `schema`), which becomes a reference by id.
fn flatten(mut object: Map<String, Value>, line: u64, things: &mut Vec<Thing>, staging: &mut Staging) {
    let strings = |value: Option<&Value>| -> Vec<String> {
        match value {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            Some(Value::String(text)) => vec![text.clone()],
            _ => Vec::new(),
        }
    };
    let (Some(id), Some(schema)) =
        (object.get("id").and_then(Value::as_str).map(str::to_string), object.get("schema").and_then(Value::as_str).map(str::to_string))
    else {
        staging.note(&line.to_string(), "not-an-entity", "an object without `id` and `schema`; left out");
        return;
    };
    let mut properties = match object.remove("properties") {
        Some(Value::Object(properties)) => properties,
        _ => Map::new(),
    };
    for values in properties.values_mut() {
        let Value::Array(items) = values else { continue };
        for item in items.iter_mut() {
            if let Value::Object(nested) = item
                && nested.get("id").and_then(Value::as_str).is_some()
                && nested.get("schema").is_some()
            {
                let nested = std::mem::take(nested);
                let nested_id = nested.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                flatten(nested, line, things, staging);
                *item = Value::String(nested_id);
            }
        }
    }
    let date = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    things.push(Thing {
        line,
        datasets: strings(object.get("datasets")),
        referents: strings(object.get("referents")),
        topics: {
            let mut topics = strings(object.get("topics"));
            topics.extend(strings(properties.get("topics")));
            topics
        },
        first_seen: date("first_seen"),
        last_change: date("last_change"),
        id,
        schema,
        properties,
    });
}

fn os_id(staging: &mut Staging, location: &str, raw: &str) -> String {
    staging.id(location, "os", raw)
}

/// The day a line says it last changed, as `source_date`.
fn changed_on(thing: &Thing) -> Option<String> {
    let raw = thing.last_change.as_deref()?;
    super::text::date(raw, Bound::Start).map(|(date, _)| date)
}

fn party(thing: &Thing, file: &str, staging: &mut Staging) {
    let location = thing.line.to_string();
    let kind = party_kind(&thing.schema).unwrap_or("company");
    let id = os_id(staging, &location, &thing.id);
    let names = thing.values("name");
    let Some(name) = names.iter().copied().find(|n| !n.trim().is_empty()) else {
        staging.note(&location, "no-name", format!("{} {} has no name; left out", thing.schema, thing.id));
        return;
    };
    let country_properties: &[&str] =
        if kind == "person" { &["nationality", "country", "citizenship"] } else { &["jurisdiction", "mainCountry", "country"] };
    let raw_country = country_properties.iter().find_map(|p| thing.first(p)).unwrap_or_default();
    let country = staging.country(&location, raw_country);
    let state = thing.topics.iter().any(|t| t == "gov.soe" || t.starts_with("gov."));
    let source = format!("{file} id {}", thing.id);
    let source_date = changed_on(thing);
    staging
        .row(&tables::ENTITIES, &location)
        .set("entity_id", id.clone())
        .set("name", name)
        .set("kind", kind)
        .set("country", country)
        .set("state_affiliated", if state || kind == "state_body" { "true" } else { "false" })
        .set("source", source.clone())
        .set_opt("source_date", source_date.clone())
        .push();
    let mut aliases: Vec<(&str, &str)> = names.iter().filter(|n| **n != name).map(|n| (*n, "aka")).collect();
    aliases.extend(thing.values("alias").into_iter().map(|n| (n, "aka")));
    aliases.extend(thing.values("previousName").into_iter().map(|n| (n, "fka")));
    for (alias, alias_kind) in aliases {
        if alias.trim().is_empty() || alias == name {
            continue;
        }
        staging
            .row(&tables::ALIASES, &location)
            .set("entity_id", id.clone())
            .set("name", alias)
            .set("kind", alias_kind)
            .set("source", source.clone())
            .set_opt("source_date", source_date.clone())
            .push();
    }
    let mut identifiers: Vec<(&str, &str)> = vec![("OPENSANCTIONS", thing.id.as_str())];
    for (property, scheme) in IDENTIFIER_PROPERTIES {
        identifiers.extend(thing.values(property).into_iter().map(|v| (*scheme, v)));
    }
    identifiers.extend(thing.referents.iter().map(|r| ("OPENSANCTIONS", r.as_str())));
    for (scheme, value) in identifiers {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        staging
            .row(&tables::IDENTIFIERS, &location)
            .set("entity_id", id.clone())
            .set("scheme", scheme)
            .set("value", value)
            .set("source", source.clone())
            .set_opt("source_date", source_date.clone())
            .push();
    }
}

/// The party at one end of a link, as an entity id (with its kind hinted for a stub).
fn end(thing: &Thing, property: &str, kinds: &HashMap<&str, &'static str>, staging: &mut Staging) -> Option<String> {
    let location = thing.line.to_string();
    let ends = thing.values(property);
    let raw = ends.first()?;
    if ends.len() > 1 {
        staging.note(
            &location,
            "several-ends",
            format!("{} {} names {} {property}s; the first, {raw}, is used", thing.schema, thing.id, ends.len()),
        );
    }
    let id = os_id(staging, &location, raw);
    if let Some(kind) = kinds.get(raw) {
        staging.kind_hint(&id, kind);
    }
    Some(id)
}

fn period(thing: &Thing, staging: &mut Staging) -> (Option<String>, Option<String>) {
    let location = thing.line.to_string();
    let since = thing.first("startDate").and_then(|d| staging.date(&location, "startDate", d, Bound::Start));
    let until = thing.first("endDate").and_then(|d| staging.date(&location, "endDate", d, Bound::End));
    (since, until)
}

fn tie_row(
    thing: &Thing,
    (from, to, tie_kind): (&str, &str, &str),
    file: &str,
    kinds: &HashMap<&str, &'static str>,
    staging: &mut Staging,
) {
    let location = thing.line.to_string();
    let (Some(from_id), Some(to_id)) = (end(thing, from, kinds, staging), end(thing, to, kinds, staging)) else {
        staging.note(&location, "missing-end", format!("{} {} lacks its {from} or {to}; left out", thing.schema, thing.id));
        return;
    };
    let (since, until) = period(thing, staging);
    staging
        .row(&tables::OWNERSHIP, &location)
        .set("from_id", from_id)
        .set("to_id", to_id)
        .set("relation", "tie")
        .set("tie_kind", tie_kind)
        .set_opt("since", since)
        .set_opt("until", until)
        .set("source", format!("{file} id {} ({})", thing.id, thing.schema))
        .set_opt("source_date", changed_on(thing))
        .push();
}

/// A share from `percentage`: a number with an optional `%` in 0–100, or a band `25-50`.
/// `Ok(None)` when none is given; `Err` when the text is not a share.
fn share(text: &str) -> Result<(f64, f64), String> {
    let number = |s: &str| -> Option<f64> {
        let s = s.trim().trim_end_matches('%').trim();
        let value: f64 = s.replace(',', ".").parse().ok()?;
        (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(value / 100.0)
    };
    let trimmed = text.trim();
    if let Some(value) = number(trimmed) {
        return Ok((value, value));
    }
    let band = trimmed.split_once('-').or_else(|| trimmed.split_once('–'));
    if let Some((low, high)) = band
        && let (Some(low), Some(high)) = (number(low), number(high))
        && low <= high
    {
        return Ok((low, high));
    }
    Err(format!("{} is not a percentage", crate::ingest::cells::quoted(text)))
}

/// Ownership rows: several for one (owner, asset, startDate) are versions, ordered by `endDate`
/// (open last), each starting the day after its predecessor ends.
fn ownership_rows(ownerships: &[&Thing], file: &str, kinds: &HashMap<&str, &'static str>, staging: &mut Staging) {
    struct Version<'t> {
        thing: &'t Thing,
        from: String,
        to: String,
        since: Option<String>,
        until: Option<String>,
        share: Option<(f64, f64)>,
    }
    let mut groups: BTreeMap<(String, String, Option<String>), Vec<Version>> = BTreeMap::new();
    let mut order = Vec::new();
    for thing in ownerships {
        let location = thing.line.to_string();
        let (Some(from), Some(to)) = (end(thing, "owner", kinds, staging), end(thing, "asset", kinds, staging)) else {
            staging.note(&location, "missing-end", format!("Ownership {} lacks its owner or asset; left out", thing.id));
            continue;
        };
        let share = match thing.first("percentage") {
            None => {
                staging.note(
                    &location,
                    "share-not-given",
                    format!("Ownership {} gives no percentage: the range [0, 1] (owned, size not given)", thing.id),
                );
                None
            }
            Some(text) => match share(text) {
                Ok(share) => Some(share),
                Err(problem) => {
                    staging.note(&location, "bad-share", format!("Ownership {}: {problem}; left out", thing.id));
                    continue;
                }
            },
        };
        let (since, until) = period(thing, staging);
        let key = (from.clone(), to.clone(), since.clone());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(Version { thing, from, to, since, until, share });
    }
    for key in order {
        let mut versions = groups.remove(&key).unwrap_or_default();
        // Ended versions by end date, the open one last; a stable sort keeps file order otherwise.
        versions.sort_by(|a, b| match (&a.until, &b.until) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let mut previous_end: Option<String> = None;
        for (index, version) in versions.iter().enumerate() {
            let location = version.thing.line.to_string();
            let mut since = version.since.clone();
            if index > 0 {
                let Some(next) = previous_end
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .and_then(|d| d.succ_opt())
                    .map(|d| d.format("%Y-%m-%d").to_string())
                else {
                    let message = format!(
                        "Ownership {} restates an open holding of {} in {}; the first is kept",
                        version.thing.id, version.from, version.to
                    );
                    staging.note(&location, "duplicate-key", message);
                    continue;
                };
                let message =
                    format!("Ownership {} is a later version of {} in {}: it starts {next}", version.thing.id, version.from, version.to);
                staging.note(&location, "version-dated", message);
                since = Some(next);
            }
            previous_end = version.until.clone();
            let (share, share_min, share_max) = match version.share {
                Some((low, high)) if low == high => (Some(low.to_string()), None, None),
                Some((low, high)) => (None, Some(low.to_string()), Some(high.to_string())),
                None => (None, Some("0".to_string()), Some("1".to_string())),
            };
            staging
                .row(&tables::OWNERSHIP, &location)
                .set("from_id", version.from.clone())
                .set("to_id", version.to.clone())
                .set("relation", "equity")
                .set_opt("share", share)
                .set_opt("share_min", share_min)
                .set_opt("share_max", share_max)
                .set_opt("since", since)
                .set_opt("until", version.until.clone())
                .set("source", format!("{file} id {} (Ownership)", version.thing.id))
                .set_opt("source_date", changed_on(version.thing))
                .push();
        }
    }
}

/// The list code of a sanction from its dataset and program id.
fn list_code(dataset: &str, program_ids: &[&str]) -> String {
    match dataset {
        "us_ofac_sdn" => "US-OFAC-SDN".into(),
        "us_trade_csl" if program_ids.iter().any(|p| p.starts_with("US-BIS-EL")) => "US-BIS-ENTITY".into(),
        "us_fcc_covered_list" => "US-FCC-COVERED".into(),
        "us_sam_exclusions" => "US-SAM-EXCL".into(),
        other => format!("XX-{}", other.to_ascii_uppercase().replace('_', "-")),
    }
}

fn sanction(thing: &Thing, file: &str, kinds: &HashMap<&str, &'static str>, staging: &mut Staging) {
    let location = thing.line.to_string();
    let Some(subject) = end(thing, "entity", kinds, staging) else {
        staging.note(&location, "no-subject", format!("Sanction {} names no entity; left out", thing.id));
        return;
    };
    let (effective, precision) = if let Some(start) = thing.first("startDate") {
        (staging.date(&location, "startDate", start, Bound::Start), None)
    } else if let Some(listed) = thing.first("listingDate") {
        (staging.date(&location, "listingDate", listed, Bound::Start), None)
    } else if let Some(seen) = thing.first_seen.as_deref() {
        let date = staging.date(&location, "first_seen", seen, Bound::Start);
        if date.is_some() {
            staging.note(
                &location,
                "first-seen-date",
                format!("Sanction {} gives no date; effective on or before it was first seen", thing.id),
            );
        }
        (date, Some("on_or_before"))
    } else {
        (None, None)
    };
    let Some(effective) = effective else {
        staging.note(&location, "no-date", format!("Sanction {} has no start, listing or first-seen date; left out", thing.id));
        return;
    };
    let ends = thing.first("endDate").and_then(|d| staging.date(&location, "endDate", d, Bound::End));
    let program_ids = thing.values("programId");
    let mut programs: Vec<&str> = thing.values("program");
    programs.extend(program_ids.iter().copied().filter(|p| !programs.contains(p)).collect::<Vec<_>>());
    let datasets: Vec<&str> = if thing.datasets.is_empty() { vec!["unknown"] } else { thing.datasets.iter().map(String::as_str).collect() };
    for dataset in datasets {
        staging
            .row(&tables::DESIGNATIONS, &location)
            .set("subject_id", subject.clone())
            .set("list", list_code(dataset, &program_ids))
            .set("effective", effective.clone())
            .set_opt("ends", ends.clone())
            .set("source", format!("{file} id {} (Sanction, {dataset})", thing.id))
            .set_opt("source_date", changed_on(thing))
            .set_opt("program", (!programs.is_empty()).then(|| programs.join("; ")))
            .set_opt("effective_precision", precision)
            .push();
    }
}

// ---------------------------------------------------------------------------------------------
// The bulk path under a selection.
//
// A first pass reads each file in blocks (hashing it on the way) and parses every line, in
// parallel, into only what the selection needs: the ids of its parties, the ends of its links,
// the seeds they hit, and the ownership and control edges. The neighbourhood is then expanded over
// every file's edges, and a second pass reads back only the lines that concern it and maps them
// like a whole file, under their own line numbers. What it stages is a superset of what
// `Staging::select` keeps of the whole file, and `select` then narrows it: the rows are the same as
// staging the whole file and selecting. Notes on lines that were not read are not given (one
// `outside-selection` note per file counts those lines), and `schema-not-imported` counts only the
// lines that were read.
// ---------------------------------------------------------------------------------------------

/// Bytes read at a time (then cut after the last line end).
const BLOCK: usize = 32 << 20;
/// Bytes of a block parsed by one task.
const PIECE: usize = 1 << 20;
/// Lines this close together are read back with one read.
const GAP: u64 = 64 << 10;

/// The properties the selection reads, by index: names, identifiers, then the ends of links.
const SCANNED: [&str; 27] = [
    "name",
    "alias",
    "previousName",
    "leiCode",
    "innCode",
    "ogrnCode",
    "registrationNumber",
    "uniqueEntityId",
    "dunsCode",
    "wikidataId",
    "permId",
    "owner",
    "asset",
    "controller",
    "controlled",
    "director",
    "organization",
    "employee",
    "employer",
    "member",
    "person",
    "associate",
    "subject",
    "object",
    "agent",
    "client",
    "entity",
];
/// `SCANNED[..NAMES]` are names, `SCANNED[NAMES..ENDS]` identifiers (as `IDENTIFIER_PROPERTIES`).
const NAMES: u8 = 3;
const ENDS: u8 = NAMES + IDENTIFIER_PROPERTIES.len() as u8;

fn scanned(property: &str) -> Option<u8> {
    SCANNED.iter().position(|p| *p == property).map(|i| i as u8)
}

/// An FtM id as the selection compares it: its staged entity id without `os:` (the raw id, or the
/// hashed form when it is not a valid id, as [`super::text::namespaced_id`] makes it).
fn key(raw: &str) -> Cow<'_, str> {
    let valid =
        !raw.is_empty() && raw.len() <= 125 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if valid {
        Cow::Borrowed(raw)
    } else {
        let (id, _) = super::text::namespaced_id("os", raw);
        Cow::Owned(id["os:".len()..].to_string())
    }
}

/// [`fold_name`] into a buffer.
fn fold_into(name: &str, folded: &mut String) {
    folded.clear();
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// The seeds of a selection, as FtM lines are compared with them.
struct Seeds<'s> {
    /// Entity ids of the `os:` namespace, as keys.
    ids: HashSet<&'s str>,
    identifiers: HashSet<(&'s str, &'s str)>,
    names: &'s HashSet<String>,
    /// The [`SCANNED`] properties these seeds need (names and identifiers only when seeds name some).
    wanted: u32,
}

impl<'s> Seeds<'s> {
    fn new(selection: &'s Selection) -> Seeds<'s> {
        let range = |from: u8, to: u8| (from..to).fold(0u32, |mask, index| mask | 1 << index);
        let mut wanted = range(ENDS, SCANNED.len() as u8);
        if !selection.names.is_empty() {
            wanted |= range(0, NAMES);
        }
        if !selection.identifiers.is_empty() {
            wanted |= range(NAMES, ENDS);
        }
        Seeds {
            ids: selection.ids.iter().filter_map(|id| id.strip_prefix("os:")).collect(),
            identifiers: selection.identifiers.iter().map(|(scheme, value)| (scheme.as_str(), value.as_str())).collect(),
            names: &selection.names,
            wanted,
        }
    }

    /// Whether a party's names or identifiers hit a seed (its id is looked up by the caller). A
    /// name or identifier is compared as staged (trimmed, C1 characters repaired) and as written.
    fn party(&self, entity: &Entity, folded: &mut String) -> bool {
        let repaired = |text: &str| super::text::repair_mojibake(text);
        if !self.names.is_empty() {
            for (index, value) in &entity.values {
                if *index >= NAMES {
                    continue;
                }
                for name in std::iter::once(Cow::Borrowed(value.as_ref())).chain(repaired(value).map(Cow::Owned)) {
                    fold_into(&name, folded);
                    if self.names.contains(folded.as_str()) {
                        return true;
                    }
                }
            }
        }
        if !self.identifiers.is_empty() {
            let own = entity.id.iter().chain(&entity.referents).map(|v| ("OPENSANCTIONS", v.as_ref()));
            let properties = entity
                .values
                .iter()
                .filter(|(index, _)| (NAMES..ENDS).contains(index))
                .map(|(index, v)| (IDENTIFIER_PROPERTIES[(index - NAMES) as usize].1, v.as_ref()));
            for (scheme, value) in own.chain(properties) {
                let value = value.trim();
                if self.identifiers.contains(&(scheme, value)) {
                    return true;
                }
                if let Some(repaired) = repaired(value)
                    && self.identifiers.contains(&(scheme, repaired.trim()))
                {
                    return true;
                }
            }
        }
        false
    }
}

/// What the selection reads of one entity object, borrowed from the line where it can be.
#[derive(Default)]
struct Entity<'a> {
    id: Option<Cow<'a, str>>,
    /// Whether the object has a `schema` at all (a nested object needs one to be an entity).
    has_schema: bool,
    schema: Option<Cow<'a, str>>,
    referents: Vec<Cow<'a, str>>,
    last_change: Option<Cow<'a, str>>,
    /// Values of the properties in [`SCANNED`] (by index, in order); a nested entity by its id.
    values: Vec<(u8, Cow<'a, str>)>,
    /// The nested entities in any property (objects with a string `id` and a `schema`).
    nested: Vec<Entity<'a>>,
}

impl<'a> Entity<'a> {
    fn values(&self, property: u8) -> impl Iterator<Item = &str> {
        self.values.iter().filter(move |(index, _)| *index == property).map(|(_, v)| v.as_ref())
    }
}

/// A JSON value as the scan reads it. Values it does not need are still parsed in full (strings
/// checked, numbers read), so that the scan reads a line exactly when `serde_json::Value` does. A
/// key that matters given twice is an error: the line is then read as a `Value` (the last wins).
enum Item<'a> {
    Text(Cow<'a, str>),
    /// Boxed: every value of a line is an `Item` returned by value, so it is kept small.
    Entity(Box<Entity<'a>>),
    Other,
}

/// The visitor methods of values a visitor passes over: `$value` for each.
macro_rules! pass_over_scalars {
    ($lifetime:lifetime, $value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i128<E>(self, _: i128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u128<E>(self, _: u128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_some<D: Deserializer<$lifetime>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    };
}

/// Reads an [`Item`]; `twice` refuses keys that matter given twice. `quick` passes over values the
/// scan does not need without checking them (for lines without nested objects: see
/// [`Piece::line`]); `wanted` are the [`SCANNED`] properties the seeds need.
#[derive(Clone, Copy)]
struct ItemSeed {
    twice: bool,
    quick: bool,
    wanted: u32,
}

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Item<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Item<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Item<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    pass_over_scalars!('de, Item::Other);
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Item<'de>, E> {
        Ok(Item::Text(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Item<'de>, E> {
        Ok(Item::Text(Cow::Owned(text.to_string())))
    }
    fn visit_string<E>(self, text: String) -> Result<Item<'de>, E> {
        Ok(Item::Text(Cow::Owned(text)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'de>, A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(Item::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
        let mut entity = Entity::default();
        let mut seen = 0u8;
        while let Some(key) = map.next_key_seed(self)? {
            let Item::Text(key) = key else { return Err(de::Error::custom("a key that is not text")) };
            let bit = match key.as_ref() {
                "id" => 1,
                "schema" => 2,
                "last_change" => 4,
                "referents" => 8,
                "properties" => 16,
                _ => 0,
            };
            if self.twice && seen & bit != 0 {
                return Err(de::Error::custom("a key given twice"));
            }
            seen |= bit;
            let text = |item: Item<'de>| match item {
                Item::Text(text) => Some(text),
                _ => None,
            };
            match bit {
                1 => entity.id = text(map.next_value_seed(self)?),
                2 => {
                    entity.has_schema = true;
                    entity.schema = text(map.next_value_seed(self)?);
                }
                4 => entity.last_change = text(map.next_value_seed(self)?),
                8 => entity.referents = map.next_value_seed(Strings(self))?,
                16 => {
                    // A later `properties` replaces an earlier one (only when read from a `Value`,
                    // where there is none).
                    entity.values.clear();
                    entity.nested.clear();
                    map.next_value_seed(Properties { seed: self, entity: &mut entity })?;
                }
                _ if self.quick => {
                    map.next_value::<de::IgnoredAny>()?;
                }
                _ => {
                    map.next_value_seed(self)?;
                }
            }
        }
        Ok(Item::Entity(Box::new(entity)))
    }
}

/// `referents`: a string, or the strings of an array (as `flatten` reads them).
struct Strings(ItemSeed);

impl<'de> DeserializeSeed<'de> for Strings {
    type Value = Vec<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strings {
    type Value = Vec<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("strings")
    }
    pass_over_scalars!('de, Vec::new());
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(vec![Cow::Borrowed(text)])
    }
    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(vec![Cow::Owned(text.to_string())])
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut strings = Vec::new();
        while let Some(item) = seq.next_element_seed(self.0)? {
            if let Item::Text(text) = item {
                strings.push(text);
            }
        }
        Ok(strings)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(|_| Vec::new())
    }
}

/// An entity's `properties`: the values of the scanned properties, and the nested entities of all.
struct Properties<'e, 'a> {
    seed: ItemSeed,
    entity: &'e mut Entity<'a>,
}

impl<'de> DeserializeSeed<'de> for Properties<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Properties<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("properties")
    }
    pass_over_scalars!('de, ());
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self.seed)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // A property given twice matters when it is scanned or holds nested entities (a `Value`
        // keeps the last): those are remembered.
        let mut scanned_seen = 0u32;
        let mut with_nested: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key_seed(self.seed)? {
            let Item::Text(key) = key else { return Err(de::Error::custom("a key that is not text")) };
            let property = scanned(&key).filter(|index| self.seed.wanted & 1 << index != 0);
            if property.is_none() && self.seed.quick {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            if self.seed.twice {
                let twice = match property {
                    Some(index) => {
                        let before = scanned_seen;
                        scanned_seen |= 1 << index;
                        before & 1 << index != 0
                    }
                    None => with_nested.contains(&key),
                };
                if twice {
                    return Err(de::Error::custom("a property given twice"));
                }
            }
            let nested = self.entity.nested.len();
            map.next_value_seed(Values { seed: self.seed, entity: &mut *self.entity, property })?;
            if property.is_none() && self.entity.nested.len() > nested {
                with_nested.push(key);
            }
        }
        Ok(())
    }
}

/// The value of one property: a string, or an array of strings and nested entities (`flatten`
/// reads nothing else). A nested entity counts as its id among the values.
struct Values<'e, 'a> {
    seed: ItemSeed,
    entity: &'e mut Entity<'a>,
    property: Option<u8>,
}

impl<'de> DeserializeSeed<'de> for Values<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Values<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property's values")
    }
    pass_over_scalars!('de, ());
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<(), E> {
        if let Some(property) = self.property {
            self.entity.values.push((property, Cow::Borrowed(text)));
        }
        Ok(())
    }
    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        if let Some(property) = self.property {
            self.entity.values.push((property, Cow::Owned(text.to_string())));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element_seed(self.seed)? {
            match item {
                Item::Text(text) => {
                    if let Some(property) = self.property {
                        self.entity.values.push((property, text));
                    }
                }
                Item::Entity(nested) if nested.id.is_some() && nested.has_schema => {
                    if let (Some(property), Some(id)) = (self.property, &nested.id) {
                        self.entity.values.push((property, id.clone()));
                    }
                    self.entity.nested.push(*nested);
                }
                _ => {}
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.seed.visit_map(map).map(|_| ())
    }
}

/// A span of a piece's text.
type Span = (u32, u32);

/// A line that is not blank, as the scan saw it.
struct Mark {
    /// Where it starts in the file, and its length (without `\r\n`).
    offset: u64,
    len: usize,
    /// Its line number (within its piece until the file is scanned).
    number: u64,
    /// The ids it holds (parties) or names (links, sanctions): `refs[start..end]` of its piece.
    refs: (u32, u32),
    /// Staged whatever the selection: a line that only gives a note (not JSON, not an entity).
    always: bool,
}

/// What the scan found in one piece of a file.
#[derive(Default)]
struct Piece {
    /// The ids the spans point into.
    text: String,
    lines: Vec<Mark>,
    refs: Vec<Span>,
    /// Ids that hit a seed.
    hits: Vec<Span>,
    /// Ownership and control edges.
    edges: Vec<(Span, Span)>,
    /// The newest `last_change` of its entities.
    newest: Option<String>,
    /// Physical lines.
    physical: u64,
    /// Lines that are not blank.
    records: u64,
}

impl Piece {
    fn get(&self, (start, end): Span) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn put(&mut self, text: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        (start, self.text.len() as u32)
    }

    /// Scans the lines of `bytes`, which starts at `offset` of its file and ends at a line end (or
    /// at the end of the file).
    fn scan(bytes: &[u8], offset: u64, seeds: &Seeds) -> Piece {
        let mut piece = Piece::default();
        let mut folded = String::new();
        let mut start = 0usize;
        while start < bytes.len() {
            piece.physical += 1;
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            let (text, at) = (&bytes[start..end], offset + start as u64);
            start = end + 1;
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if blank(text) {
                continue;
            }
            piece.records += 1;
            let first = piece.refs.len() as u32;
            let always = piece.line(text, seeds, &mut folded);
            let refs = (first, piece.refs.len() as u32);
            piece.lines.push(Mark { offset: at, len: text.len(), number: piece.physical, refs, always });
        }
        piece
    }

    /// One line; `true` when it must be staged whatever the selection.
    ///
    /// A line with at most two `{` (the entity and its properties) has no nested entity: the values
    /// the scan does not need are passed over unchecked. Such a line may then be taken for an
    /// entity that `serde_json::Value` refuses (bad UTF-8 or a lone surrogate in a value passed
    /// over): its ids only widen the neighbourhood, which the selection then narrows, and when it
    /// would date the file it is checked in full first.
    fn line(&mut self, text: &[u8], seeds: &Seeds, folded: &mut String) -> bool {
        let quick = memchr::memchr_iter(b'{', text).nth(2).is_none();
        let seed = ItemSeed { twice: true, quick, wanted: seeds.wanted };
        let mut reader = serde_json::Deserializer::from_slice(text);
        let fast = seed.deserialize(&mut reader).and_then(|item| reader.end().map(|()| item));
        match fast {
            Ok(Item::Entity(entity)) => {
                let mut newest = None;
                let always = self.entity(&entity, seeds, folded, &mut newest);
                if let Some(change) = newest
                    && self.newest.as_deref().is_none_or(|n| change > n)
                {
                    if quick && serde_json::from_slice::<Value>(text).is_err() {
                        return true;
                    }
                    self.newest = Some(change.to_string());
                }
                always
            }
            Ok(_) => true,
            // Not JSON (a note), or a key given twice: read as `flatten` reads it.
            Err(_) => match serde_json::from_slice::<Value>(text) {
                Ok(value) => match (ItemSeed { twice: false, quick: false, wanted: seeds.wanted }).deserialize(&value) {
                    Ok(Item::Entity(entity)) => {
                        let mut newest = None;
                        let always = self.entity(&entity, seeds, folded, &mut newest);
                        if let Some(change) = newest
                            && self.newest.as_deref().is_none_or(|n| change > n)
                        {
                            self.newest = Some(change.to_string());
                        }
                        always
                    }
                    _ => true,
                },
                Err(_) => true,
            },
        }
    }

    /// An entity and its nested entities (as `flatten` makes things of them), `newest` the newest
    /// `last_change` among them; `true` when one of them is not an entity after all (a note).
    fn entity<'e>(&mut self, entity: &'e Entity, seeds: &Seeds, folded: &mut String, newest: &mut Option<&'e str>) -> bool {
        let (Some(id), Some(schema)) = (&entity.id, &entity.schema) else { return true };
        let mut always = false;
        for nested in &entity.nested {
            always |= self.entity(nested, seeds, folded, newest);
        }
        if let Some(change) = &entity.last_change
            && newest.is_none_or(|n| change.as_ref() > n)
        {
            *newest = Some(change.as_ref());
        }
        let index = |property: &str| scanned(property).unwrap_or(u8::MAX);
        if party_kind(schema).is_some() {
            let key = key(id);
            let span = self.put(&key);
            self.refs.push(span);
            if seeds.ids.contains(key.as_ref()) || seeds.party(entity, folded) {
                self.hits.push(span);
            }
        } else if let Some((from, to)) = match schema.as_ref() {
            "Ownership" => Some(("owner", "asset")),
            other => tie_schema(other).map(|(from, to, _)| (from, to)),
        } {
            let (from, to) = (index(from), index(to));
            // The row's ends are the first values; the line is kept for any of them.
            let mut ends = [None, None];
            for (side, property) in [from, to].into_iter().enumerate() {
                for (n, value) in entity.values(property).enumerate() {
                    let key = key(value);
                    let span = self.put(&key);
                    self.refs.push(span);
                    if n == 0 {
                        ends[side] = Some(span);
                        if seeds.ids.contains(key.as_ref()) {
                            self.hits.push(span);
                        }
                    }
                }
            }
            if let ([Some(a), Some(b)], "Ownership" | "Control") = (ends, schema.as_ref()) {
                self.edges.push((a, b));
            }
        } else if schema.as_ref() == "Sanction" {
            for value in entity.values(index("entity")) {
                let span = self.put(&key(value));
                self.refs.push(span);
            }
        }
        always
    }
}

/// One published file as the scan read it.
struct Scanned {
    pieces: Vec<Piece>,
    sha256: String,
    /// The file's own date (the fallback `source_date`), and what says it has not changed since.
    date: Option<String>,
    stamp: (u64, Option<std::time::SystemTime>),
    records: u64,
    newest: Option<String>,
}

/// The first pass over a file: read in blocks cut at line ends by a reader thread that hashes them,
/// each block parsed in pieces in parallel.
fn scan_file(file: &PublishedFile, seeds: &Seeds) -> Result<Scanned, String> {
    let cannot = |error: std::io::Error| format!("cannot read: {error}");
    let mut handle = File::open(&file.path).map_err(cannot)?;
    let metadata = handle.metadata().map_err(cannot)?;
    let stamp = (metadata.len(), metadata.modified().ok());
    let date = stamp.1.map(|t| chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%d").to_string());
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(u64, Vec<u8>)>(2);
    // Blocks go back to the reader once parsed (fresh memory is slower to fill).
    let (recycle, spare) = std::sync::mpsc::channel::<Vec<u8>>();
    let (pieces, sha256) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> std::io::Result<String> {
            let mut hasher = Sha256::new();
            let mut carry: Vec<u8> = Vec::new();
            let mut offset = 0u64;
            loop {
                let mut block = spare.try_recv().unwrap_or_default();
                block.clear();
                block.extend_from_slice(&carry);
                let kept = block.len();
                block.reserve_exact(BLOCK);
                let read = (&mut handle).take(BLOCK as u64).read_to_end(&mut block)?;
                hasher.update(&block[kept..]);
                let end = read < BLOCK;
                let cut = if end { block.len() } else { block.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) };
                if cut == 0 {
                    // No line end yet: read on.
                    carry = block;
                    if end {
                        break;
                    }
                    continue;
                }
                carry.clear();
                carry.extend_from_slice(&block[cut..]);
                block.truncate(cut);
                let len = block.len() as u64;
                if sender.send((offset, block)).is_err() || end {
                    break;
                }
                offset += len;
            }
            Ok(crate::ingest::hex(&hasher.finalize()))
        });
        let mut pieces: Vec<Piece> = Vec::new();
        for (offset, block) in receiver {
            let mut bounds = vec![0];
            while let Some(&last) = bounds.last()
                && last < block.len()
            {
                let at = (last + PIECE).min(block.len());
                bounds.push(memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i + 1));
            }
            let scanned: Vec<Piece> = bounds.par_windows(2).map(|w| Piece::scan(&block[w[0]..w[1]], offset + w[0] as u64, seeds)).collect();
            pieces.extend(scanned);
            let _ = recycle.send(block);
        }
        (pieces, reader.join().unwrap_or_else(|_| Err(std::io::Error::other("the reader failed"))))
    });
    let sha256 = sha256.map_err(cannot)?;
    let mut pieces = pieces;
    let mut base = 0u64;
    for piece in &mut pieces {
        for line in &mut piece.lines {
            line.number += base;
        }
        base += piece.physical;
    }
    let records = pieces.iter().map(|p| p.records).sum();
    let newest = pieces.iter().filter_map(|p| p.newest.as_deref()).max().map(str::to_string);
    Ok(Scanned { pieces, sha256, date, stamp, records, newest })
}

/// The bulk path under a selection (see `super::stage_selected`): takes every FollowTheMoney file,
/// finds the neighbourhood of the seeds over all of them, and stages only the lines that concern
/// it (see the comment above).
pub(super) fn stage_selected<'f>(
    files: &[&'f PublishedFile],
    selection: &Selection,
    staging: &mut Staging,
) -> Result<Vec<&'f PublishedFile>, (String, String)> {
    let seeds = Seeds::new(selection);
    let mut scans = Vec::with_capacity(files.len());
    for file in files {
        scans.push(scan_file(file, &seeds).map_err(|message| (file.name.clone(), message))?);
    }
    let kept: HashSet<&str> = {
        let mut graph = Neighbourhood::default();
        for piece in scans.iter().flat_map(|s| &s.pieces) {
            for &span in &piece.hits {
                graph.hit(piece.get(span));
            }
            for &(a, b) in &piece.edges {
                graph.edge(piece.get(a), piece.get(b));
            }
        }
        graph.within(selection.hops)
    };
    for (file, scan) in files.iter().zip(&scans) {
        let wanted: Vec<&Mark> = scan
            .pieces
            .par_iter()
            .flat_map_iter(|piece| {
                let kept = &kept;
                piece.lines.iter().filter(move |line| {
                    line.always || piece.refs[line.refs.0 as usize..line.refs.1 as usize].iter().any(|&span| kept.contains(piece.get(span)))
                })
            })
            .collect();
        staging.begin_file(&file.name, scan.sha256.clone(), scan.date.clone());
        let things = read_back(file, scan, &wanted, staging).map_err(|message| (file.name.clone(), message))?;
        staging.describe_file("ftm", scan.records);
        write_rows(&file.name, &things, scan.newest.as_deref(), staging);
        let left = scan.records - wanted.len() as u64;
        if left > 0 {
            let message =
                format!("outside the {}-hop neighbourhood of the seeds: {left} of {} lines not staged", selection.hops, scan.records);
            staging.note("1", "outside-selection", message);
        }
    }
    Ok(Vec::new())
}

/// The second pass: reads the wanted lines back (nearby ones together) into things.
fn read_back(file: &PublishedFile, scan: &Scanned, wanted: &[&Mark], staging: &mut Staging) -> Result<Vec<Thing>, String> {
    let cannot = |error: std::io::Error| format!("cannot read: {error}");
    let mut handle = File::open(&file.path).map_err(cannot)?;
    let mut things = Vec::new();
    let mut buffer = Vec::new();
    let mut rest = wanted;
    while let Some(first) = rest.first() {
        let start = first.offset;
        let mut count = 1;
        let mut end = start + first.len as u64;
        while let Some(next) = rest.get(count)
            && next.offset <= end + GAP
            && next.offset + (next.len as u64) - start <= BLOCK as u64
        {
            end = next.offset + next.len as u64;
            count += 1;
        }
        buffer.resize((end - start) as usize, 0);
        handle.seek(SeekFrom::Start(start)).map_err(cannot)?;
        handle.read_exact(&mut buffer).map_err(cannot)?;
        for line in &rest[..count] {
            let at = (line.offset - start) as usize;
            read_line(line.number, &buffer[at..at + line.len], &mut things, staging);
        }
        rest = &rest[count..];
    }
    let metadata = handle.metadata().map_err(cannot)?;
    if (metadata.len(), metadata.modified().ok()) != scan.stamp {
        return Err("the file changed while it was read; import it again".into());
    }
    Ok(things)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::KnownFacts;
    use crate::published::testkit::rows;
    use crate::published::{Format, stage_bytes};

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/published/ftm/entities.ftm.json");

    fn codes(staged: &crate::published::Staged) -> Vec<String> {
        staged.notes.iter().map(|n| n.code.clone()).collect()
    }

    #[test]
    fn parties_names_identifiers_and_state_topics() {
        let staged = stage_bytes(Format::Ftm, "entities.ftm.json", FIXTURE, &KnownFacts::default());
        let entities = rows(&staged, "entities");
        let northwind = entities.iter().find(|e| e["entity_id"] == "os:NK-demo-northwind-ao").expect("the company");
        assert_eq!(northwind["name"], "AO Northwind Lab");
        assert_eq!(northwind["kind"], "company");
        assert_eq!(northwind["country"], "RU", "from `jurisdiction` in lower case");
        assert_eq!(northwind["source_date"], "2024-06-25", "last_change");
        let ministry = entities.iter().find(|e| e["entity_id"] == "os:NK-demo-ministry").unwrap();
        assert_eq!((ministry["kind"].as_str(), ministry["state_affiliated"].as_str()), ("state_body", "true"));
        let soe = entities.iter().find(|e| e["entity_id"] == "os:NK-demo-soe").unwrap();
        assert_eq!(soe["state_affiliated"], "true", "topic gov.soe");
        let person = entities.iter().find(|e| e["entity_id"] == "os:NK-demo-person").unwrap();
        assert_eq!((person["kind"].as_str(), person["country"].as_str()), ("person", "RU"), "nationality first");
        let aliases = rows(&staged, "aliases");
        assert!(aliases.iter().any(|a| a["entity_id"] == "os:NK-demo-northwind-ao" && a["name"] == "АО Лаборатория Нордвинд"));
        assert!(aliases.iter().any(|a| a["name"] == "Northwind Lab ZAO" && a["kind"] == "fka"));
        let identifiers = rows(&staged, "identifiers");
        let of = |scheme: &str| identifiers.iter().filter(|i| i["entity_id"] == "os:NK-demo-northwind-ao" && i["scheme"] == scheme).count();
        assert_eq!((of("RU-INN"), of("RU-OGRN"), of("OPENSANCTIONS")), (1, 1, 2), "own id and a referent");
    }

    #[test]
    fn ownership_versions_shares_and_bands() {
        let staged = stage_bytes(Format::Ftm, "entities.ftm.json", FIXTURE, &KnownFacts::default());
        let ownership = rows(&staged, "ownership");
        let equity: Vec<_> = ownership.iter().filter(|r| r["relation"] == "equity" && r["to_id"] == "os:NK-demo-northwind-ao").collect();
        // Two versions of one holding from 2015-01-01: the ended one first, the open one from the
        // day after it ends.
        let first = equity.iter().find(|r| r["until"] == "2019-12-31").expect("the ended version");
        assert_eq!((first["since"].as_str(), first["share"].as_str()), ("2015-01-01", "0.8"));
        let later = equity.iter().find(|r| r["since"] == "2020-01-01").expect("the open version starts the next day");
        assert_eq!((later["share"].as_str(), later["until"].as_str()), ("0.6", ""));
        let band = ownership.iter().find(|r| r["from_id"] == "os:NK-demo-ministry" && r["relation"] == "equity").expect("the band");
        assert_eq!((band["share_min"].as_str(), band["share_max"].as_str()), ("0.25", "0.5"));
        let unknown = ownership
            .iter()
            .find(|r| r["to_id"] == "os:NK-demo-soe" && r["from_id"] == "os:NK-demo-person" && r["relation"] == "equity")
            .expect("no percentage");
        assert_eq!((unknown["share_min"].as_str(), unknown["share_max"].as_str()), ("0", "1"));
        let codes = codes(&staged);
        assert!(codes.contains(&"version-dated".to_string()) && codes.contains(&"share-not-given".to_string()), "{codes:?}");
        assert!(codes.contains(&"bad-share".to_string()), "120 % is left out: {codes:?}");
    }

    #[test]
    fn ties_sanctions_and_what_is_left_out() {
        let staged = stage_bytes(Format::Ftm, "entities.ftm.json", FIXTURE, &KnownFacts::default());
        let ties: Vec<_> = rows(&staged, "ownership").into_iter().filter(|r| r["relation"] == "tie").collect();
        let kind = |from: &str, to: &str| ties.iter().find(|r| r["from_id"] == from && r["to_id"] == to).map(|r| r["tie_kind"].clone());
        assert_eq!(kind("os:NK-demo-person", "os:NK-demo-northwind-ao").as_deref(), Some("board"));
        assert_eq!(kind("os:NK-demo-ministry", "os:NK-demo-soe").as_deref(), Some("control"));
        assert_eq!(kind("os:NK-demo-person", "os:NK-demo-soe").as_deref(), Some("personnel"));
        let designations = rows(&staged, "designations");
        let sdn = designations.iter().find(|d| d["list"] == "US-OFAC-SDN").expect("an SDN sanction");
        assert_eq!(
            (sdn["subject_id"].as_str(), sdn["effective"].as_str(), sdn["effective_precision"].as_str()),
            ("os:NK-demo-person", "2024-06-21", "")
        );
        assert_eq!(sdn["program"], "CYBER2");
        let bis = designations.iter().find(|d| d["list"] == "US-BIS-ENTITY").expect("an Entity List sanction");
        assert_eq!(bis["effective"], "2024-06-24", "listingDate when there is no startDate");
        let seen = designations.iter().find(|d| d["list"] == "XX-GB-FCDO-SANCTIONS").expect("another list");
        assert_eq!((seen["effective"].as_str(), seen["effective_precision"].as_str()), ("2023-03-01", "on_or_before"));
        let codes = codes(&staged);
        for code in ["no-date", "family-skipped", "schema-not-imported", "bad-json", "stub-entity"] {
            assert!(codes.contains(&code.to_string()), "{code} in {codes:?}");
        }
        assert!(!designations.iter().any(|d| d["list"].contains("LINKED")), "topics are never designations");
    }

    #[test]
    fn nested_targets_are_flattened_and_hostile_text_stays_data() {
        let line = r#"{"id": "t1", "schema": "Sanction", "datasets": ["us_ofac_sdn"], "properties": {"startDate": ["2020-01-02"], "entity": [{"id": "p1", "schema": "Person", "properties": {"name": ["<b>=HYPERLINK(\"x\")</b> \u202egnp.exe\u0007"], "nationality": ["xk"]}}]}}"#;
        let staged = stage_bytes(Format::Ftm, "targets.nested.json", line.as_bytes(), &KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entities.len(), 1, "the nested person is an entity of its own, not a stub");
        assert_eq!(entities[0]["name"], "<b>=HYPERLINK(\"x\")</b> \u{202e}gnp.exe\u{7}");
        assert_eq!(entities[0]["country"], "XRW", "xk is not an assigned code");
        assert_eq!(rows(&staged, "designations")[0]["subject_id"], "os:p1");
    }

    #[test]
    fn the_staged_rows_import_into_a_store() {
        let (_dir, mut store) = crate::published::testkit::fresh_store();
        let staged = stage_bytes(Format::Ftm, "entities.ftm.json", FIXTURE, &store.known_facts().unwrap());
        let batch = crate::published::testkit::apply(&mut store, &staged, "ftm").unwrap_or_else(|r| panic!("{:?}", r.errors));
        assert!(batch.counts.iter().any(|(t, n)| t == "designations" && *n >= 3), "{:?}", batch.counts);
    }

    // ---- The bulk path under a selection ----

    use crate::ingest::Note;
    use crate::published::select::fold_name;
    use crate::published::{FileBytes, PublishedFile, Selection, Staged, stage_group};

    /// A small deterministic generator (ChaCha8, seeded).
    struct Dice(rand_chacha::ChaCha8Rng);

    impl Dice {
        fn new(seed: u64) -> Dice {
            use rand::SeedableRng;
            Dice(rand_chacha::ChaCha8Rng::seed_from_u64(seed))
        }
        fn below(&mut self, n: u64) -> u64 {
            use rand::RngExt;
            self.0.random_range(0..n)
        }
    }

    /// The id of party `n`: a few are not valid ids (they are hashed when staged).
    fn party_id(n: u64) -> String {
        if n % 97 == 13 { format!("p {n}/x") } else { format!("p{n}") }
    }

    /// `lines` lines of FollowTheMoney: parties, a sparse random graph of ownership and control
    /// among them (ends may name parties given later or never), other ties, sanctions (some with
    /// the party nested), and the odd lines a real export has: versions, bad shares, escapes,
    /// mojibake, keys given twice, blank lines, `\r\n`, lines that are not JSON or not entities.
    fn generated(lines: usize, seed: u64) -> String {
        let mut dice = Dice::new(seed);
        let parties = (lines / 2) as u64;
        let mut next_party = 0u64;
        let mut out = String::new();
        let date = |dice: &mut Dice| format!("20{:02}-{:02}-{:02}", 10 + dice.below(15), 1 + dice.below(12), 1 + dice.below(28));
        for i in 0..lines {
            let roll = dice.below(100);
            let change = date(&mut dice);
            let line = match roll {
                0..=44 => {
                    let n = next_party % parties;
                    next_party += 1;
                    let id = party_id(n);
                    let inn = 7_700_000_000 + n;
                    let person = roll >= 35;
                    let mut names = if person {
                        format!(r#"["Person {n}", "Персона {n}"]"#)
                    } else {
                        format!(r#"["Company {n} \"Ltd\"", "Компания {n}"]"#)
                    };
                    if n % 31 == 7 {
                        names = format!(r#"["Caf\u009a {n}"]"#);
                    }
                    if n % 71 == 3 {
                        names = r#"[" "]"#.to_string();
                    }
                    let twice = if n % 53 == 5 { format!(r#""name": ["Old {n}"], "#) } else { String::new() };
                    format!(
                        r#"{{"id": "{id}", "schema": "{}", "referents": ["ru-inn-{inn}"], "properties": {{{twice}"name": {names}, "alias": ["Alias {n}"], "innCode": ["{inn}"], "country": ["{}"], "topics": ["{}"]}}, "datasets": ["demo"], "last_change": "{change}T00:00:00"}}"#,
                        if person {
                            "Person"
                        } else if n.is_multiple_of(17) {
                            "PublicBody"
                        } else {
                            "Company"
                        },
                        ["ru", "cn", "us", "xx"][dice.below(4) as usize],
                        ["gov.soe", "sanction.linked", "role.pep"][dice.below(3) as usize],
                    )
                }
                45..=69 => {
                    let (a, b) = (party_id(dice.below(parties)), party_id(dice.below(parties)));
                    let share = ["\"60%\"", "\"25-50\"", "\"120\"", "\"40\""][dice.below(4) as usize];
                    let share = if dice.below(5) == 0 { String::new() } else { format!(r#", "percentage": [{share}]"#) };
                    let start = if dice.below(3) == 0 { r#", "startDate": ["2015-01-01"]"# } else { "" };
                    let end = if dice.below(4) == 0 { format!(r#", "endDate": ["{}"]"#, date(&mut dice)) } else { String::new() };
                    format!(
                        r#"{{"id": "own-{i}", "schema": "Ownership", "properties": {{"owner": ["{a}"], "asset": ["{b}"]{share}{start}{end}}}, "last_change": "{change}"}}"#
                    )
                }
                70..=79 => {
                    let (a, b) = (party_id(dice.below(parties)), party_id(dice.below(parties)));
                    format!(r#"{{"id": "ctl-{i}", "schema": "Control", "properties": {{"controller": ["{a}"], "controlled": ["{b}"]}}}}"#)
                }
                80..=83 => {
                    let (a, b) = (party_id(dice.below(parties)), party_id(dice.below(parties)));
                    let schema = ["Directorship", "Employment", "Associate"][dice.below(3) as usize];
                    let (from, to) = tie_schema(schema).map(|(f, t, _)| (f, t)).unwrap();
                    format!(r#"{{"id": "tie-{i}", "schema": "{schema}", "properties": {{"{from}": ["{a}"], "{to}": ["{b}"]}}}}"#)
                }
                84..=91 => {
                    let subject = party_id(dice.below(parties));
                    let dataset = ["us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions"][dice.below(3) as usize];
                    let start = if dice.below(4) == 0 { String::new() } else { format!(r#", "startDate": ["{}"]"#, date(&mut dice)) };
                    let entity = if dice.below(6) == 0 {
                        format!(
                            r#"[{{"id": "{subject}", "schema": "Person", "properties": {{"name": ["Nested {i}"]}}, "last_change": "{}"}}]"#,
                            if i % 2 == 0 { "2050-01-01" } else { "2031-01-01" }
                        )
                    } else {
                        format!(r#"["{subject}"]"#)
                    };
                    format!(
                        r#"{{"id": "san-{i}", "schema": "Sanction", "datasets": ["{dataset}"], "properties": {{"entity": {entity}{start}}}, "first_seen": "2023-03-01T12:00:00"}}"#
                    )
                }
                92..=93 => {
                    format!(r#"{{"id": "fam-{i}", "schema": "Family", "properties": {{"person": ["{}"]}}}}"#, party_id(dice.below(parties)))
                }
                94..=95 => format!(
                    r#"{{"id": "addr-{i}", "schema": "Address", "properties": {{"full": ["{i} Demo Street"]}}, "last_change": "2040-01-01"}}"#
                ),
                96 => format!(r#"{{"id": "broken-{i}", "schema": "Company", "properties": {{"name": ["half"#),
                97 => String::new(),
                98 => [
                    "[1, 2]",
                    r#"{"id": "no-schema"}"#,
                    r#"{"id": "x", "schema": "Company", "n": 1e999}"#,
                    r#"{"id": "p3", "schema": "Company", "properties": {"name": ["Lone"], "notes": ["\udc00"]}, "last_change": "2070-01-01"}"#,
                ][dice.below(4) as usize]
                    .to_string(),
                _ => format!(
                    r#"{{"id": "odd-{i}", "schema": "Sanction", "properties": {{"entity": [{{"id": "odd-nested-{i}", "schema": 5}}], "note": [{{"id": "gone-{i}", "schema": "Company", "properties": {{"name": ["Gone"]}}, "last_change": "2060-01-01"}}], "note": [{{"id": "{}", "schema": "Company", "properties": {{"name": ["Inside {i}"]}}}}]}}}}"#,
                    party_id(dice.below(parties))
                ),
            };
            out.push_str(&line);
            out.push_str(if i % 10 == 3 { "\r\n" } else { "\n" });
        }
        out
    }

    fn published(dir: &std::path::Path, name: &str, text: &[u8]) -> PublishedFile {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        PublishedFile { path, name: name.to_string(), format: Format::Ftm }
    }

    /// Every file staged whole, then the selection: the definition.
    fn whole_then_select(files: &[PublishedFile], selection: &Selection) -> Staged {
        let bytes: Vec<FileBytes> = files.iter().map(|file| FileBytes { file, bytes: std::fs::read(&file.path).unwrap() }).collect();
        let mut staging = Staging::default();
        stage_group(Format::Ftm, &bytes, &mut staging);
        staging.finish_selected(&KnownFacts::default(), Some(selection))
    }

    /// The same through the bulk path (what an import with a selection does).
    fn bulk(files: &[PublishedFile], selection: &Selection) -> Staged {
        crate::published::stage(files, &KnownFacts::default(), Some(selection), &|_, _| true).unwrap().unwrap()
    }

    /// The bulk path stages the same rows, records the same files, and gives the same notes on every
    /// line that has a row in the import; its other notes are notes the whole file gives too, in the
    /// same order. (`outside-selection` and `schema-not-imported` count different things: the bulk
    /// path counts the lines it did not stage, and the schemata of the lines it did.) Returns the
    /// number of lines the bulk path left unstaged and the number of entities staged.
    fn assert_same(files: &[PublishedFile], selection: &Selection) -> (u64, usize) {
        let (whole, fast) = (whole_then_select(files, selection), bulk(files, selection));
        let texts = |staged: &Staged| -> Vec<(String, String)> {
            staged
                .inputs
                .iter()
                .map(|input| {
                    let crate::ingest::Source::Text(bytes) = &input.source else { panic!("staged text") };
                    (input.name.clone(), String::from_utf8(bytes.to_vec()).unwrap())
                })
                .collect()
        };
        let shown = format!("{selection:?}");
        assert_eq!(texts(&fast), texts(&whole), "{shown}");
        assert_eq!(fast.files, whole.files, "{shown}");
        let counted = |n: &&Note| n.code == "outside-selection" || n.code == "schema-not-imported";
        let whole_notes: Vec<&Note> = whole.notes.iter().filter(|n| !counted(n)).collect();
        let fast_notes: Vec<&Note> = fast.notes.iter().filter(|n| !counted(n)).collect();
        let mut rest = whole_notes.iter();
        for note in &fast_notes {
            // A key given on several lines: the bulk path names the first line it read, which may
            // be a later one than the whole file's first when the first is outside the selection.
            let same = |w: &&&Note| {
                *w == note
                    || (note.code == "duplicate-key"
                        && (&w.file, &w.location, &w.code) == (&note.file, &note.location, &note.code)
                        && w.message.split(" is also given at ").next() == note.message.split(" is also given at ").next())
            };
            assert!(rest.any(|w| same(&w)), "{shown}: {note:?} is not a note of the whole file (or out of order)");
        }
        let mut with_rows: HashSet<(String, String)> = HashSet::new();
        for (name, text) in texts(&whole) {
            let lines = text.bytes().filter(|&b| b == b'\n').count() as u64;
            for line in 2..=lines {
                with_rows.extend(whole.origin(&name, line).cloned());
            }
        }
        for note in whole_notes.iter().filter(|n| with_rows.contains(&(n.file.clone(), n.location.clone()))) {
            assert!(fast_notes.contains(note), "{shown}: the bulk path lost {note:?}");
        }
        let left = fast
            .notes
            .iter()
            .filter(|n| n.code == "outside-selection" && n.message.contains("lines not staged"))
            .map(|n| n.message.split(": ").nth(1).and_then(|m| m.split(' ').next()).and_then(|c| c.parse::<u64>().ok()).unwrap())
            .sum();
        (left, rows(&fast, "entities").len())
    }

    fn selection(ids: &[&str], identifiers: &[(&str, &str)], names: &[&str], hops: u32) -> Selection {
        Selection {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            identifiers: identifiers.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect(),
            names: names.iter().map(|n| fold_name(n)).collect(),
            hops,
        }
    }

    #[test]
    fn the_bulk_path_stages_what_the_whole_fixture_selects() {
        let dir = tempfile::tempdir().unwrap();
        let files = [published(dir.path(), "entities.ftm.json", FIXTURE)];
        for hops in 0..=3 {
            assert_same(&files, &selection(&["os:NK-demo-soe"], &[], &[], hops));
            assert_same(&files, &selection(&[], &[("RU-INN", "7700000001")], &[], hops));
            assert_same(&files, &selection(&[], &[("OPENSANCTIONS", "ru-inn-7700000001")], &["Ivan Demonov"], hops));
            assert_same(&files, &selection(&["os:NK-demo-unknown-party"], &[], &["Nobody at all"], hops));
        }
        let (left, entities) = assert_same(&files, &selection(&["os:NK-demo-person"], &[], &[], 0));
        assert!(left > 0 && entities == 1, "the bulk path read only part of the file");
    }

    #[test]
    fn the_bulk_path_stages_what_a_generated_file_selects() {
        let dir = tempfile::tempdir().unwrap();
        let text = generated(4_000, 7);
        let one = [published(dir.path(), "big.ftm.json", text.as_bytes())];
        // The same lines in two files: edges in one reach parties in the other.
        let cut = text[..text.len() / 2].rfind('\n').unwrap() + 1;
        let two =
            [published(dir.path(), "a.ftm.json", &text.as_bytes()[..cut]), published(dir.path(), "b.ftm.json", &text.as_bytes()[cut..])];
        let hashed = crate::published::text::namespaced_id("os", &party_id(13)).0;
        // Names of nested entities (in sanctions and in a property of no interest).
        let nested: Vec<&str> = ["\"Nested ", "\"Inside "]
            .iter()
            .flat_map(|start| {
                text.match_indices(start).step_by(7).take(4).map(|(at, _)| &text[at + 1..at + 1 + text[at + 1..].find('"').unwrap()])
            })
            .collect();
        assert_eq!(nested.len(), 8, "{nested:?}");
        let many: Vec<String> = (0..200).step_by(5).map(|n| format!("os:{}", party_id(n))).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let selections = |hops| {
            vec![
                selection(&["os:p5", "os:p800", "os:p1999", &hashed], &[], &[], hops),
                selection(&many, &[], &[], hops),
                selection(&[], &[], &nested, hops),
                selection(&[], &[("RU-INN", "7700000042"), ("OPENSANCTIONS", "ru-inn-7700000333"), ("OPENSANCTIONS", "p1234")], &[], hops),
                selection(&[], &[], &["Company 77 Ltd", "alias 901", "Персона 44", "Cafš 7"], hops),
                selection(&["os:nobody"], &[("LEI", "5299000J2N45DDNE4Y28")], &["no such name"], hops),
            ]
        };
        for hops in 0..=3 {
            for (n, selection) in selections(hops).iter().enumerate() {
                let (left, entities) = assert_same(&one, selection);
                assert_eq!(assert_same(&two, selection).1, entities);
                match (n, hops) {
                    (1, 3) => assert!(entities >= 150 && left > 0, "{entities} entities, {left} lines left"),
                    (2, _) => assert!(entities >= 6, "{entities} entities from nested names"),
                    (5, _) => assert_eq!(entities, 0),
                    _ => assert!(left > 0),
                }
            }
        }
    }

    #[test]
    fn keys_folds_and_line_ends_are_the_ones_staging_uses() {
        for raw in ["NK-1", "a b", "", "x".repeat(125).as_str(), "x".repeat(126).as_str(), "ünï", "a:b.c_d-e", "-lead"] {
            let (id, _) = crate::published::text::namespaced_id("os", raw);
            assert_eq!(format!("os:{}", key(raw)), id, "{raw:?}");
        }
        let mut folded = String::new();
        for name in ["  AO \"Kaspersky Lab\", ", "ÄBC-Holding", "İstanbul ΣΊΣΥΦΟΣ", "", "--"] {
            fold_into(name, &mut folded);
            assert_eq!(folded, fold_name(name), "{name:?}");
        }
    }
}
