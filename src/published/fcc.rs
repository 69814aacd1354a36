//! The FCC Covered List (open-formats.md, "US lists"): the table of covered equipment and
//! services, `covered_equipment_or_services,date_of_inclusion_on_covered_list`, one entry a row in
//! prose ("Telecommunications equipment produced by Huawei Technologies Company, including …",
//! "March 12, 2021"). Read with the project's strict RFC 4180 reader.
//!
//! Each company an entry names becomes an entity `fcc:<slug>` (the name in lower case, every run of
//! other characters than ASCII letters and digits one `-`) with a designation `US-FCC-COVERED`
//! effective the entry's first date. Decisions where the contract leaves room:
//! - **Which company.** The name follows `produced by`, `provided by`, `produced or provided by`,
//!   `supplied by` or `supplied, directly or indirectly, by`, and ends at the first scope or
//!   qualifying clause (`, including`, `, to the extent`, ` or any of its`, ` subject to`,
//!   ` and its`, …). An entry naming a subsidiary (`Pacific Networks Corp and its wholly-owned
//!   subsidiary ComNet (USA) LLC`) names two companies: both are designated, and "wholly-owned"
//!   is an equity row of share 1 from the parent. A `by` elsewhere (`Conditional Approval by DoW`)
//!   names no company: category entries are reported as `no-subject`.
//! - **Scope.** The entry's whole text goes to the entity's `notes` (a company named by several
//!   entries gets each of them, one a line); the designation's `source` names the issuer, the
//!   entry's date and where it was read (`FCC Covered List, entry of 2022-03-25 (table.csv line 9)`).
//! - **Dates.** The first date of the cell is taken (`December 22, 2025Updated:January 7, 2026…`:
//!   reported as `several-dates`); a cell with no date leaves the entry out (`no-date`): an entity
//!   on the Covered List without its date of inclusion would be a designation invented.
//! - The slug is not a source id (the list has none), so nothing goes to `identifiers`.

use std::collections::BTreeMap;

use super::text;
use super::{FileBytes, Staging, csv_header, csv_records};
use crate::ingest::cells::quoted;
use crate::ingest::csv::CsvReader;
use crate::ingest::tables;

const LIST: &str = "US-FCC-COVERED";

/// The words before a company's name.
const MARKERS: [&str; 5] =
    ["supplied, directly or indirectly, by ", "produced or provided by ", "produced by ", "provided by ", "supplied by "];

/// Where a company's name ends.
const ENDINGS: [&str; 12] = [
    ", including",
    " including ",
    ", to the extent",
    " to the extent",
    ", or any of its",
    " or any of its",
    " and any of its",
    ", subject to",
    " subject to",
    ", and its",
    " and its",
    " (collectively",
];

/// What an entry's company part says: the companies and whether the second is wholly owned by the
/// first.
#[derive(Debug, PartialEq)]
struct Subjects {
    names: Vec<String>,
    wholly_owned: bool,
}

/// A company of the file: its name, the entries naming it and where it was first named.
struct Company {
    name: String,
    location: String,
    entries: Vec<String>,
}

pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    let mut reader = CsvReader::new(&file.bytes[..]);
    let Some(header) = csv_header(&mut reader, staging) else { return };
    let at = |name: &str| header.iter().position(|h| h == name);
    let (Some(what), Some(when)) = (at("covered_equipment_or_services"), at("date_of_inclusion_on_covered_list")) else {
        staging.note(
            "1",
            "bad-header",
            "no column covered_equipment_or_services or date_of_inclusion_on_covered_list; nothing is imported",
        );
        return;
    };
    let file_name = staging.file_name().to_string();
    let mut companies: BTreeMap<String, Company> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut designations: Vec<(String, String, String, String)> = Vec::new(); // (location, id, effective, source)
    let mut equity: Vec<(String, String, String, String)> = Vec::new(); // (location, parent, child, source)
    let records = csv_records(&mut reader, header.len(), staging, |record, location, staging| {
        let entry = record.get(what);
        let Some(subjects) = subjects(entry) else {
            staging.note(
                &location,
                "no-subject",
                format!("the entry names no company (a category of equipment or services): {}", quoted(entry)),
            );
            return;
        };
        let Some((date, rest)) = first_date(record.get(when)) else {
            let message = format!("the entry's date {} is not a date; the entry is left out", quoted(record.get(when)));
            staging.note(&location, "no-date", message);
            return;
        };
        if !rest.trim().is_empty() {
            let message = format!("{} holds more than one date; the first, {date}, is the date of inclusion", quoted(record.get(when)));
            staging.note(&location, "several-dates", message);
        }
        let source = format!("FCC Covered List, entry of {date} ({file_name} line {location})");
        let mut ids = Vec::new();
        for name in &subjects.names {
            let id = entity_id(name, &location, staging);
            let company = companies.entry(id.clone()).or_insert_with(|| {
                order.push(id.clone());
                Company { name: name.clone(), location: location.clone(), entries: Vec::new() }
            });
            if !company.entries.iter().any(|e| e == entry) {
                company.entries.push(entry.to_string());
            }
            designations.push((location.clone(), id.clone(), date.clone(), source.clone()));
            ids.push(id);
        }
        if subjects.wholly_owned
            && let [parent, child] = ids.as_slice()
        {
            equity.push((location.clone(), parent.clone(), child.clone(), format!("{source}: wholly-owned subsidiary")));
        }
    });
    staging.describe_file("fcc", records);

    for id in &order {
        let company = &companies[id];
        // The list names companies, not their countries: never guessed from a name (`no-country`).
        let country = staging.country(&company.location, "");
        staging
            .row(&tables::ENTITIES, &company.location)
            .set("entity_id", id.clone())
            .set("name", company.name.clone())
            .set("kind", "company")
            .set("country", country)
            .set("notes", company.entries.iter().map(|e| format!("FCC Covered List: {e}")).collect::<Vec<_>>().join("\n"))
            .set("source", format!("{file_name} line {}", company.location))
            .push();
    }
    for (location, id, effective, source) in designations {
        staging
            .row(&tables::DESIGNATIONS, &location)
            .set("subject_id", id)
            .set("list", LIST)
            .set("effective", effective)
            .set("source", source)
            .push();
    }
    for (location, parent, child, source) in equity {
        staging
            .row(&tables::OWNERSHIP, &location)
            .set("from_id", parent)
            .set("to_id", child)
            .set("relation", "equity")
            .set("share", "1")
            .set("source", source)
            .push();
    }
}

/// `fcc:<slug>`; a name with no ASCII letter or digit gets a hashed id (reported).
fn entity_id(name: &str, location: &str, staging: &mut Staging) -> String {
    let slug = slug(name);
    if slug.is_empty() {
        return staging.id(location, "fcc", name);
    }
    text::namespaced_id("fcc", &slug).0
}

/// Lower case ASCII letters and digits, every other run one `-`, at most 120 characters.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.chars().take(120).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The companies an entry names, or `None` for a category entry.
fn subjects(entry: &str) -> Option<Subjects> {
    let (at, marker) = MARKERS.iter().filter_map(|m| entry.find(m).map(|at| (at, *m))).min_by_key(|(at, m)| (*at, usize::MAX - m.len()))?;
    let rest = &entry[at + marker.len()..];
    let first = company_name(rest)?;
    let mut names = vec![first.to_string()];
    let mut wholly_owned = false;
    let after = rest[first.len()..].trim_start_matches(',').trim_start();
    for (lead, owned) in
        [("and its wholly-owned subsidiary ", true), ("and its wholly owned subsidiary ", true), ("and its subsidiary ", false)]
    {
        if let Some(tail) = after.strip_prefix(lead)
            && let Some(second) = company_name(tail)
        {
            names.push(second.to_string());
            wholly_owned = owned;
            break;
        }
    }
    Some(Subjects { names, wholly_owned })
}

/// A company's name at the start of `text`: up to the first ending, without a final comma or
/// full stop that ends the sentence.
fn company_name(text: &str) -> Option<&str> {
    let end = ENDINGS.iter().filter_map(|e| text.find(e)).min().unwrap_or(text.len());
    let mut name = text[..end].trim().trim_end_matches(',').trim_end();
    if end == text.len() {
        // The sentence's own full stop, unless it ends an abbreviation of the name.
        let abbreviation = ["Inc.", "Corp.", "Ltd.", "Co.", "L.L.C.", "S.A.", "Ltd", "B.V."].iter().any(|a| name.ends_with(a));
        if !abbreviation {
            name = name.trim_end_matches('.').trim_end();
        }
    }
    // "provided by such entity", "produced by foreign manufacturers": prose, not a name.
    let starts_like_a_name = name.chars().next().is_some_and(|c| !c.is_lowercase());
    (!name.is_empty() && starts_like_a_name).then_some(name)
}

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// The first date of a cell (`March 12, 2021`, `Sept. 20, 2022`, or ISO `2021-03-12`) and the text
/// after it.
fn first_date(cell: &str) -> Option<(String, &str)> {
    let cell = cell.trim();
    if let Some(iso) = cell.get(..10)
        && let Some((date, None)) = text::date(iso, text::Bound::Start)
    {
        return Some((date, &cell[10..]));
    }
    let word_end = cell.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(cell.len());
    let word = cell[..word_end].to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let month = MONTHS.iter().position(|m| m.starts_with(&word))? as u32 + 1;
    let rest = cell[word_end..].trim_start_matches('.').trim_start();
    let day_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let day: u32 = rest[..day_end].parse().ok()?;
    let rest = rest[day_end..].trim_start_matches(',').trim_start();
    let year_text = rest.get(..4)?;
    if !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(year_text.parse().ok()?, month, day)?;
    Some((date.format("%Y-%m-%d").to_string(), &rest[4..]))
}

#[cfg(test)]
mod tests {
    use crate::published::testkit::{has_note, rows};

    use super::*;
    use crate::ingest::KnownFacts;
    use crate::published::{Format, stage_bytes};

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/published/fcc/table.csv");

    #[test]
    fn named_companies_are_designated_on_their_first_date() {
        let staged = stage_bytes(Format::Fcc, "table.csv", FIXTURE, &KnownFacts::default());
        let entities = rows(&staged, "entities");
        let names: Vec<(&str, &str)> = entities.iter().map(|e| (e["entity_id"].as_str(), e["name"].as_str())).collect();
        assert_eq!(
            names,
            [
                ("fcc:huawei-technologies-company", "Huawei Technologies Company"),
                ("fcc:zte-corporation", "ZTE Corporation"),
                ("fcc:hytera-communications-corporation", "Hytera Communications Corporation"),
                ("fcc:hangzhou-hikvision-digital-technology-company", "Hangzhou Hikvision Digital Technology Company"),
                ("fcc:dahua-technology-company", "Dahua Technology Company"),
                ("fcc:ao-kaspersky-lab", "AO Kaspersky Lab"),
                ("fcc:china-mobile-international-usa-inc", "China Mobile International USA Inc."),
                ("fcc:china-telecom-americas-corp", "China Telecom (Americas) Corp."),
                ("fcc:pacific-networks-corp", "Pacific Networks Corp"),
                ("fcc:comnet-usa-llc", "ComNet (USA) LLC"),
                ("fcc:china-unicom-americas-operations-limited", "China Unicom (Americas) Operations Limited"),
                ("fcc:kaspersky-lab-inc", "Kaspersky Lab, Inc."),
                ("fcc:digitalsystem-technology-inc", "Digitalsystem Technology Inc."),
            ]
        );
        let kaspersky = entities.iter().find(|e| e["entity_id"] == "fcc:ao-kaspersky-lab").unwrap();
        assert!(
            kaspersky["notes"].contains("or any of its predecessors, successors, parents, subsidiaries, or affiliates"),
            "the scope clause"
        );
        assert_eq!((kaspersky["kind"].as_str(), kaspersky["country"].as_str()), ("company", "XRW"));

        let designations = rows(&staged, "designations");
        assert_eq!(designations.len(), 13);
        let on = |id: &str| {
            designations.iter().find(|d| d["subject_id"] == id).map(|d| (d["list"].clone(), d["effective"].clone(), d["source"].clone()))
        };
        assert_eq!(
            on("fcc:huawei-technologies-company"),
            Some(("US-FCC-COVERED".into(), "2021-03-12".into(), "FCC Covered List, entry of 2021-03-12 (table.csv line 2)".into()))
        );
        assert_eq!(on("fcc:ao-kaspersky-lab").unwrap().1, "2022-03-25");
        assert_eq!(on("fcc:comnet-usa-llc").unwrap().1, "2022-09-20");
        assert_eq!(on("fcc:kaspersky-lab-inc").unwrap().1, "2024-07-23");
        assert_eq!(on("fcc:digitalsystem-technology-inc").unwrap().1, "2026-07-07");

        let equity = rows(&staged, "ownership");
        assert_eq!(equity.len(), 1);
        assert_eq!(
            (equity[0]["from_id"].as_str(), equity[0]["to_id"].as_str(), equity[0]["share"].as_str()),
            ("fcc:pacific-networks-corp", "fcc:comnet-usa-llc", "1")
        );
    }

    #[test]
    fn category_entries_and_several_dates_are_reported() {
        let staged = stage_bytes(Format::Fcc, "table.csv", FIXTURE, &KnownFacts::default());
        // UAS (with "Conditional Approval by DoW"), routers, power inverters, robotic devices.
        for line in ["13", "14", "16", "17"] {
            assert!(has_note(&staged, line, "no-subject"), "line {line}: {:?}", staged.notes);
        }
        assert!(!rows(&staged, "entities").iter().any(|e| e["name"].contains("DoW")), "an approving agency is no subject");
        assert_eq!(staged.notes.iter().filter(|n| n.code == "no-subject").count(), 4);
    }

    #[test]
    fn dates_names_and_hostile_entries() {
        assert_eq!(first_date("December 22, 2025Updated:January 7, 2026"), Some(("2025-12-22".into(), "Updated:January 7, 2026")));
        assert_eq!(first_date("Sept. 20, 2022").map(|d| d.0).as_deref(), Some("2022-09-20"));
        assert_eq!(first_date("2021-03-12").map(|d| d.0).as_deref(), Some("2021-03-12"));
        assert_eq!(first_date("February 30, 2021"), None);
        assert_eq!(first_date("soon"), None);
        assert_eq!(slug("Dahua Technology Company"), "dahua-technology-company");

        let csv = "covered_equipment_or_services,date_of_inclusion_on_covered_list\n\
                   \"Gear produced by \"\"Acme\"\" <b>=CMD()</b> \u{202e}Corp\u{7}, including services.\",\"March 1, 2023Updated:April 2, 2024\"\n\
                   \"Services provided by Beta Ltd.\",someday\n\
                   \"Radios produced by such entities abroad.\",\"May 5, 2020\"\n\
                   \"Modems produced by \u{416}\u{416}\u{416}, including all.\",\"May 5, 2020\"\n\
                   \"Open quote,\"May 5, 2020\"\n";
        let staged = stage_bytes(Format::Fcc, "table.csv", csv.as_bytes(), &KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entities.len(), 2, "{entities:?} {:?}", staged.notes);
        assert_eq!(entities[0]["name"], "\"Acme\" <b>=CMD()</b> \u{202e}Corp\u{7}", "kept verbatim");
        assert_eq!(entities[0]["entity_id"], "fcc:acme-b-cmd-b-corp");
        assert!(has_note(&staged, "2", "several-dates"));
        assert_eq!(rows(&staged, "designations")[0]["effective"], "2023-03-01");
        assert!(has_note(&staged, "3", "no-date"), "Beta Ltd. has no date: {:?}", staged.notes);
        assert!(!entities.iter().any(|e| e["name"].starts_with("Beta")));
        assert!(has_note(&staged, "4", "no-subject"), "\"such entities\" is no company");
        assert!(entities[1]["entity_id"].starts_with("fcc:h") && has_note(&staged, "5", "id-hashed"), "{entities:?}");
        assert!(has_note(&staged, "6", "bad-record"));
    }

    #[test]
    fn the_staged_rows_import_into_a_store() {
        let (_dir, mut store) = crate::published::testkit::fresh_store();
        let staged = stage_bytes(Format::Fcc, "table.csv", FIXTURE, &store.known_facts().unwrap());
        let batch = crate::published::testkit::apply(&mut store, &staged, "fcc").unwrap_or_else(|r| panic!("{:?}", r.errors));
        assert_eq!(batch.counts.get("designations"), Some(&13), "{:?}", batch.counts);
        assert_eq!(batch.counts.get("ownership"), Some(&1), "{:?}", batch.counts);
    }
}
