//! FollowTheMoney / OpenSanctions entity files (JSON lines; nested target files flattened) → native
//! rows, as open-formats.md says.
//!
//! Lines are read in one pass into things (parties) and links (ownership, ties, sanctions), because
//! a link may name a party that comes later in the file; rows are written once everything is read.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::text::Bound;
use super::{FileBytes, Staging};
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
    let name = file.file.name.clone();
    let mut things: Vec<Thing> = Vec::new();
    let mut lines = 0u64;
    let mut start = 0usize;
    let bytes = &file.bytes;
    let mut line = 0u64;
    while start < bytes.len() {
        line += 1;
        let end = memchr_newline(&bytes[start..]).map_or(bytes.len(), |i| start + i);
        let text = &bytes[start..end];
        start = end + 1;
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(object)) => flatten(object, line, &mut things, staging),
            Ok(_) => staging.note(&line.to_string(), "not-an-entity", "the line is JSON but not an object; left out"),
            Err(error) => staging.note(&line.to_string(), "bad-json", format!("not JSON ({error}); the line is left out")),
        }
    }
    staging.describe_file("ftm", lines);
    // The file's date: the newest `last_change` it states.
    if let Some(newest) = things.iter().filter_map(|t| t.last_change.as_deref()).max().map(|d| d.get(..10).unwrap_or(d).to_string())
        && super::text::date(&newest, Bound::Start).is_some()
    {
        staging.set_date(&newest);
    }
    let kinds: HashMap<&str, &'static str> =
        things.iter().filter_map(|t| party_kind(&t.schema).map(|kind| (t.id.as_str(), kind))).collect();
    let mut skipped: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut ownerships: Vec<&Thing> = Vec::new();
    for thing in &things {
        if party_kind(&thing.schema).is_some() {
            party(thing, &name, staging);
        } else if thing.schema == "Ownership" {
            ownerships.push(thing);
        } else if let Some(tie) = tie_schema(&thing.schema) {
            tie_row(thing, tie, &name, &kinds, staging);
        } else if thing.schema == "Sanction" {
            sanction(thing, &name, &kinds, staging);
        } else if thing.schema == "Family" {
            staging.note(&thing.line.to_string(), "family-skipped", format!("Family {} is not imported", thing.id));
        } else {
            let entry = skipped.entry(thing.schema.clone()).or_insert((thing.line, 0));
            entry.1 += 1;
        }
    }
    ownership_rows(&ownerships, &name, &kinds, staging);
    for (schema, (first_line, count)) in skipped {
        let message = format!("{count} {schema} entit{} not imported (first at line {first_line})", if count == 1 { "y" } else { "ies" });
        staging.note(&first_line.to_string(), "schema-not-imported", message);
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{KnownFacts, Report};
    use crate::published::{Format, stage_bytes};

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/published/ftm/entities.ftm.json");

    fn rows(staged: &crate::published::Staged, table: &str) -> Vec<BTreeMap<String, String>> {
        let Some(input) = staged.inputs.iter().find(|i| i.table.name == table) else { return Vec::new() };
        let crate::ingest::Source::Text(bytes) = &input.source else { panic!("staged text") };
        let mut reader = crate::ingest::csv::CsvReader::new(&bytes[..]);
        let header: Vec<String> = {
            let record = reader.next_record().unwrap().unwrap();
            (0..record.len()).map(|i| record.get(i).to_string()).collect()
        };
        let mut out = Vec::new();
        while let Some(Ok(record)) = reader.next_record() {
            out.push(header.iter().enumerate().map(|(i, h)| (h.clone(), record.get(i).to_string())).collect());
        }
        out
    }

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
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = crate::store::Store::open(&dir.path().join("v.db")).unwrap();
        let known = store.known_facts().unwrap();
        let staged = stage_bytes(Format::Ftm, "entities.ftm.json", FIXTURE, &known);
        let mut report = Report::default();
        let dataset = crate::ingest::read(&staged.inputs, &known, &mut report);
        assert!(report.is_ok(), "{:?}", report.errors);
        let batch = store.apply(&dataset.unwrap(), "ftm").unwrap();
        assert!(batch.counts.iter().any(|(t, n)| t == "designations" && *n >= 3), "{:?}", batch.counts);
    }
}
