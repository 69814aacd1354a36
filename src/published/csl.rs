//! The Consolidated Screening List CSV of the US International Trade Administration
//! (open-formats.md, "US lists"): one row per listing, columns named by its header (`_id`, `source`,
//! `entity_number`, `type`, `programs`, `name`, `addresses`, `federal_register_notice`,
//! `start_date`, `end_date`, `alt_names`, `nationalities`, `citizenships`, `ids`, …). Read with the
//! project's strict RFC 4180 reader: the CSL is well-formed CSV.
//!
//! Decisions where the contract leaves room (each also a report code):
//! - **No `start_date`** (most Treasury and State rows have none): `effective` is the file's date
//!   with `effective_precision = on_or_before` — the listing stood on the day of the snapshot —
//!   reported as `effective-from-file`; with no file date either the designation is left out
//!   (`no-date`) and the entity stays, as for OFAC's files.
//! - **Ids.** SDN rows are `ofac:<entity_number>` (the entity OFAC's own files import); every other
//!   row is `csl:<_id>`. `_id` always goes to `identifiers` with scheme `US-CSL`; an
//!   `entity_number` of a Treasury list is OFAC's `ent_num` and goes there with scheme `OFAC` (so a
//!   match by shared identifier finds the SDN entry of the same party).
//! - **`source`** of a designation: the `federal_register_notice` followed by the file and record
//!   (`83 FR 37423; 87 FR 77505 (consolidated.csv _id 99ed…)`), or the file and record alone.
//! - **Names with a scope clause** (`Sinobright …; and any successor, sub-unit, or subsidiary
//!   thereof`): the name is the part before `; and any`, the clause goes to `notes`
//!   (`scope-moved`). The list grammar of `alt_names` (`…; HSRI; and CETC Research Institute 13`)
//!   loses its leading `and ` (`alias-trimmed`).
//! - **Country**: a person's first nationality, else citizenship, else the first address's country
//!   (the last part of an address, a code or a name); a company's first address country.
//!   Addresses in several countries are reported (`several-countries`).
//! - **`ids`** (`Tax ID No., 7707083893, RU`): the document types of [`text::us_list_scheme`];
//!   passports and the like are not imported.

use std::collections::HashMap;

use super::text::{self, Bound};
use super::{FileBytes, Staging, csv_header, csv_records};
use crate::ingest::cells::quoted;
use crate::ingest::csv::CsvReader;
use crate::ingest::tables;

/// The columns a row cannot do without.
const REQUIRED: [&str; 3] = ["_id", "source", "name"];

pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    let mut reader = CsvReader::new(&file.bytes[..]);
    let Some(header) = csv_header(&mut reader, staging) else { return };
    let columns: HashMap<&str, usize> = header.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !columns.contains_key(c)).collect();
    if !missing.is_empty() {
        staging.note("1", "bad-header", format!("no column {}; nothing is imported", missing.join(", ")));
        return;
    }
    let file_name = staging.file_name().to_string();
    let file_date = staging.file_date().map(str::to_string);
    let records = csv_records(&mut reader, header.len(), staging, |record, location, staging| {
        let cell = |name: &str| columns.get(name).map_or("", |&i| record.get(i));
        let row = Row {
            id: cell("_id"),
            source: cell("source"),
            entity_number: cell("entity_number"),
            kind: cell("type"),
            programs: cell("programs"),
            name: cell("name"),
            title: cell("title"),
            addresses: cell("addresses"),
            notice: cell("federal_register_notice"),
            start: cell("start_date"),
            end: cell("end_date"),
            license_requirement: cell("license_requirement"),
            license_policy: cell("license_policy"),
            remarks: cell("remarks"),
            alt_names: cell("alt_names"),
            citizenships: cell("citizenships"),
            nationalities: cell("nationalities"),
            ids: cell("ids"),
        };
        stage_row(&row, &location, &file_name, file_date.as_deref(), staging);
    });
    staging.describe_file("csl", records);
}

/// One CSL row's cells (trimmed; `""` = not given).
struct Row<'a> {
    id: &'a str,
    source: &'a str,
    entity_number: &'a str,
    kind: &'a str,
    programs: &'a str,
    name: &'a str,
    title: &'a str,
    addresses: &'a str,
    notice: &'a str,
    start: &'a str,
    end: &'a str,
    license_requirement: &'a str,
    license_policy: &'a str,
    remarks: &'a str,
    alt_names: &'a str,
    citizenships: &'a str,
    nationalities: &'a str,
    ids: &'a str,
}

/// The list code of a `source` cell: the first parenthesised upper-case code
/// (`Entity List (EL) - Bureau of Industry and Security` → `EL`).
fn source_code(source: &str) -> Option<&str> {
    let mut rest = source;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let close = after.find(')')?;
        let code = &after[..close];
        if !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
            return Some(code);
        }
        rest = &after[close + 1..];
    }
    None
}

/// The designation list of a CSL code.
fn list_of(code: &str) -> String {
    match code {
        "EL" => "US-BIS-ENTITY".into(),
        "MEU" => "US-BIS-MEU".into(),
        "DPL" => "US-BIS-DPL".into(),
        "UVL" => "US-BIS-UVL".into(),
        "ISN" => "US-STATE-ISN".into(),
        "DTC" => "US-STATE-DTC".into(),
        "SDN" => "US-OFAC-SDN".into(),
        other => format!("US-CSL-{other}"),
    }
}

fn stage_row(row: &Row, location: &str, file: &str, file_date: Option<&str>, staging: &mut Staging) {
    if row.id.is_empty() {
        staging.note(location, "no-id", "the row has no _id; left out");
        return;
    }
    let record = format!("{file} _id {}", row.id);
    let Some(code) = source_code(row.source) else {
        let message = format!("source {} names no list this importer knows (no code in parentheses); left out", quoted(row.source));
        staging.note(location, "unknown-list", message);
        return;
    };
    let list = list_of(code);
    let kind = match row.kind.to_ascii_lowercase().as_str() {
        "individual" => "person",
        "" | "entity" => "company",
        other @ ("vessel" | "aircraft") => {
            let code = if other == "vessel" { "vessel-skipped" } else { "aircraft-skipped" };
            staging.note(location, code, format!("{other} {} is not an entity of the tables; left out", quoted(row.name)));
            return;
        }
        _ => {
            staging.note(
                location,
                "unknown-type",
                format!("type {} of {} is none this importer knows; left out", quoted(row.kind), quoted(row.name)),
            );
            return;
        }
    };

    // The name, without a scope clause.
    let (name, scope) = match row.name.find("; and any ") {
        Some(at) => {
            let (name, clause) = (row.name[..at].trim(), row.name[at + 2..].trim());
            let message =
                format!("name {}: the scope clause {} goes to notes; the name is {}", quoted(row.name), quoted(clause), quoted(name));
            staging.note(location, "scope-moved", message);
            (name, Some(clause))
        }
        None => (row.name, None),
    };
    if name.is_empty() {
        staging.note(location, "no-name", "the row has no name; left out");
        return;
    }

    let treasury = row.source.contains("Treasury");
    let entity = if code == "SDN" && !row.entity_number.is_empty() {
        staging.id(location, "ofac", row.entity_number)
    } else {
        if code == "SDN" {
            staging.note(location, "no-entity-number", format!("an SDN row without entity_number; the entity is csl:{}", row.id));
        }
        staging.id(location, "csl", row.id)
    };
    staging.kind_hint(&entity, kind);

    let country = country(row, kind, location, staging);
    let mut notes = Vec::new();
    for (label, value) in [
        ("Scope", scope.unwrap_or("")),
        ("Title", row.title),
        ("Remarks", row.remarks),
        ("License requirement", row.license_requirement),
        ("License policy", row.license_policy),
    ] {
        if !value.is_empty() {
            notes.push(format!("{label}: {value}"));
        }
    }
    staging
        .row(&tables::ENTITIES, location)
        .set("entity_id", entity.clone())
        .set("name", name)
        .set("kind", kind)
        .set("country", country)
        .set_opt("notes", (!notes.is_empty()).then(|| notes.join("\n")))
        .set("source", record.clone())
        .push();

    // Source ids.
    let identifier = |staging: &mut Staging, scheme: &str, value: &str| {
        staging
            .row(&tables::IDENTIFIERS, location)
            .set("entity_id", entity.clone())
            .set("scheme", scheme)
            .set("value", value)
            .set("source", record.clone())
            .push();
    };
    identifier(staging, "US-CSL", row.id);
    if !row.entity_number.is_empty() {
        identifier(staging, if treasury { "OFAC" } else { "US-CSL-ENTITY-NUMBER" }, row.entity_number);
    }
    for item in row.ids.split("; ") {
        let parts: Vec<&str> = item.split(", ").map(str::trim).collect();
        let [label, value, rest @ ..] = parts.as_slice() else { continue };
        let issuer = rest.last().and_then(|c| text::known_country(c));
        if let Some(scheme) = text::us_list_scheme(label, issuer.as_deref(), value)
            && !value.is_empty()
        {
            identifier(staging, &scheme, value);
        }
    }

    // Aliases.
    let parts: Vec<&str> = row.alt_names.split("; ").map(str::trim).filter(|a| !a.is_empty()).collect();
    let mut seen: Vec<&str> = vec![name];
    for part in &parts {
        let alias = match part.strip_prefix("and ") {
            Some(trimmed) if parts.len() > 1 => {
                staging.note(location, "alias-trimmed", format!("alt_names item {} read as {}", quoted(part), quoted(trimmed)));
                trimmed.trim()
            }
            _ => part,
        };
        if alias.is_empty() || seen.contains(&alias) {
            continue;
        }
        seen.push(alias);
        staging
            .row(&tables::ALIASES, location)
            .set("entity_id", entity.clone())
            .set("name", alias)
            .set("kind", "aka")
            .set("source", record.clone())
            .push();
    }

    // The designation.
    let started = if row.start.is_empty() { None } else { staging.date(location, "start_date", row.start, Bound::Start) };
    let (effective, precision) = match (started, file_date) {
        (Some(date), _) => (date, None),
        (None, Some(date)) => {
            let message = format!("no start_date; effective is the file's date {date}, on or before");
            staging.note(location, "effective-from-file", message);
            (date.to_string(), Some("on_or_before"))
        }
        (None, None) => {
            staging.note(location, "no-date", "no start_date and the file has no date; the designation is left out");
            return;
        }
    };
    let ends = if row.end.is_empty() { None } else { staging.date(location, "end_date", row.end, Bound::End) };
    let source = if row.notice.is_empty() { record.clone() } else { format!("{} ({record})", row.notice) };
    staging
        .row(&tables::DESIGNATIONS, location)
        .set("subject_id", entity.clone())
        .set("list", list)
        .set("effective", effective)
        .set_opt("ends", ends)
        .set("source", source)
        .set_opt("program", (!row.programs.is_empty()).then_some(row.programs))
        .set_opt("effective_precision", precision)
        .push();
}

/// The entity's country (see the module's notes), with its report lines.
fn country(row: &Row, kind: &str, location: &str, staging: &mut Staging) -> String {
    let list = |cell: &str| -> Vec<String> { cell.split([';', ',']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect() };
    let mut candidates: Vec<String> = Vec::new();
    if kind == "person" {
        candidates.extend(list(row.nationalities));
        candidates.extend(list(row.citizenships));
    }
    // Each address ends with its country: `605 TRAIL LAKE DRIVE, RICHARDSON, TX, 75081, US`.
    let addressed: Vec<String> = row
        .addresses
        .split("; ")
        .filter_map(|address| address.rsplit(',').next().map(|c| c.trim().to_string()))
        .filter(|c| !c.is_empty())
        .collect();
    candidates.extend(addressed.iter().cloned());
    let mut distinct: Vec<String> = Vec::new();
    for code in addressed.iter().filter_map(|raw| text::known_country(raw)) {
        if !distinct.contains(&code) {
            distinct.push(code);
        }
    }
    match candidates.iter().find_map(|raw| text::known_country(raw)) {
        Some(code) => {
            if distinct.len() > 1 {
                let message = format!("the addresses are in {}; the country is {code}", distinct.join(", "));
                staging.note(location, "several-countries", message);
            }
            code
        }
        None => staging.country(location, candidates.first().map_or("", String::as_str)),
    }
}

#[cfg(test)]
mod tests {
    use crate::published::testkit::{has_note, rows};
    use std::collections::BTreeMap;

    use crate::ingest::{KnownFacts, Report};
    use crate::published::{Format, Staged, stage_bytes};

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/published/csl/consolidated.csv");

    fn find<'a>(rows: &'a [BTreeMap<String, String>], column: &str, value: &str) -> &'a BTreeMap<String, String> {
        rows.iter().find(|r| r[column] == value).unwrap_or_else(|| panic!("{column} = {value} in {rows:?}"))
    }

    fn pairs(staged: &Staged, table: &str, id: &str, a: &str, b: &str) -> Vec<(String, String)> {
        rows(staged, table).into_iter().filter(|r| r["entity_id"] == id).map(|r| (r[a].clone(), r[b].clone())).collect()
    }

    #[test]
    fn lists_ids_dates_and_notices() {
        let staged = stage_bytes(Format::Csl, "consolidated.csv", FIXTURE, &KnownFacts::default());
        let designations = rows(&staged, "designations");
        let lists: Vec<(&str, &str)> = designations.iter().map(|d| (d["subject_id"].as_str(), d["list"].as_str())).collect();
        for expected in [
            ("csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b", "US-STATE-ISN"),
            ("csl:66f6ab3f26234b75a9093fce79ef0ce0", "US-BIS-MEU"),
            ("csl:b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e", "US-BIS-DPL"),
            ("csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be", "US-BIS-ENTITY"),
        ] {
            assert!(lists.contains(&expected), "{expected:?} in {lists:?}");
        }
        let dpl = find(&designations, "list", "US-BIS-DPL");
        assert_eq!(
            (dpl["effective"].as_str(), dpl["ends"].as_str(), dpl["effective_precision"].as_str()),
            ("2002-03-04", "2056-06-29", "")
        );
        let el = find(&designations, "list", "US-BIS-ENTITY");
        assert_eq!(el["effective"], "2018-08-01");
        assert!(el["source"].starts_with("83 FR 37423; 87 FR 77505 (consolidated.csv _id 99ed1b05"), "{}", el["source"]);
        let isn = find(&designations, "list", "US-STATE-ISN");
        assert_eq!((isn["effective"].as_str(), isn["program"].as_str()), ("2023-07-19", "INKSNA"));

        // Rows without start_date and a file without a date: no designation is invented.
        for line in ["3", "5", "6", "7", "9", "10", "11", "12", "14"] {
            assert!(has_note(&staged, line, "no-date"), "line {line}: {:?}", staged.notes);
        }
        assert_eq!(designations.len(), 4);

        // Ids: SDN rows are OFAC's entities; the other Treasury lists keep csl:<_id> with the ent_num.
        let entities = rows(&staged, "entities");
        assert_eq!(entities.len(), 13);
        let rim = find(&entities, "entity_id", "ofac:52291");
        assert_eq!((rim["name"].as_str(), rim["kind"].as_str(), rim["country"].as_str()), ("RIM, Ryong Nam", "person", "KP"));
        assert!(has_note(&staged, "6", "several-countries"), "Shenyang, CN; Pyongyang, KP");
        let tnk = pairs(&staged, "identifiers", "csl:28603", "scheme", "value");
        for id in [("OFAC", "28603"), ("US-CSL", "28603"), ("CH-VAT", "CHE-267.936.404"), ("CH-REG", "CH-660.0.559.011-2")] {
            assert!(tnk.contains(&(id.0.into(), id.1.into())), "{id:?} in {tnk:?}");
        }
        let sme = pairs(&staged, "identifiers", "csl:18283", "scheme", "value");
        assert!(sme.contains(&("BIC".into(), "RUDVRUMM".into())) && sme.contains(&("REG".into(), "1027739108649".into())), "{sme:?}");
        assert!(!pairs(&staged, "identifiers", "csl:26182", "scheme", "value").iter().any(|(_, v)| v == "U00242309"), "no passports");
    }

    #[test]
    fn names_aliases_and_countries() {
        let staged = stage_bytes(Format::Csl, "consolidated.csv", FIXTURE, &KnownFacts::default());
        let entities = rows(&staged, "entities");
        let sino = find(&entities, "entity_id", "csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b");
        assert_eq!(sino["name"], "Sinobright Import and Export Company");
        assert!(sino["notes"].contains("and any successor, sub-unit, or subsidiary thereof"));
        assert!(has_note(&staged, "2", "scope-moved"));
        assert_eq!(sino["country"], "XRW");
        let cetc = pairs(&staged, "aliases", "csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be", "name", "kind");
        assert_eq!(cetc.len(), 6, "{cetc:?}");
        assert!(cetc.contains(&("HSRI".into(), "aka".into())) && cetc.contains(&("CETC Research Institute 13".into(), "aka".into())));
        assert!(has_note(&staged, "13", "alias-trimmed"));
        assert_eq!(find(&entities, "entity_id", "csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be")["country"], "CN");
        assert_eq!(pairs(&staged, "aliases", "csl:18300", "name", "kind"), [("TNK TRADE LIMITED".to_string(), "aka".to_string())]);
        for (id, country) in [
            ("csl:1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42", "AM"),
            ("csl:66f6ab3f26234b75a9093fce79ef0ce0", "CN"),
            ("csl:26182", "TR"),
            ("csl:9651", "PS"),
            ("csl:18300", "CY"),
            ("csl:b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e", "US"),
        ] {
            assert_eq!(find(&entities, "entity_id", id)["country"], country, "{id}");
        }
        let plc = find(&entities, "entity_id", "csl:9651");
        assert_eq!((plc["name"].as_str(), plc["kind"].as_str()), ("Fathi Mohammed QAR'AWI", "person"));
        assert_eq!(find(&entities, "entity_id", "csl:18283")["kind"], "company");
    }

    #[test]
    fn hostile_rows_and_the_file_date() {
        let csv = "_id,source,entity_number,type,programs,name,addresses,start_date,end_date,alt_names\n\
                   a1,\"Entity List (EL) - Bureau of Industry and Security\",,,,\"\"\"Quoted\"\" <b>=SUM(A1)</b> \u{202e}Co\u{7}\",\"Moscow, Russia\",2021-03,2030,\"One; and Two\"\n\
                   a2,\"Specially Designated Nationals (SDN) - Treasury Department\",777,Vessel,,SHIP,,,,\n\
                   a3,Some Unknown List,,,,Nobody,,,,\n\
                   a4,\"Military End User (MEU) List - Bureau of Industry and Security\",,,,\"Multi\nLine Ltd\",CN,2020-12-23,2019-01-01,\n\
                   a5,\"Capta List (CAP) - Treasury Department\",55,Entity,,\"Unclosed,CN,,,\n";
        let staged = stage_bytes(Format::Csl, "consolidated.csv", csv.as_bytes(), &KnownFacts::default());
        let entities = rows(&staged, "entities");
        let a1 = find(&entities, "entity_id", "csl:a1");
        assert_eq!(a1["name"], "\"Quoted\" <b>=SUM(A1)</b> \u{202e}Co\u{7}");
        assert_eq!(a1["country"], "RU");
        let designations = rows(&staged, "designations");
        let d = find(&designations, "subject_id", "csl:a1");
        assert_eq!((d["effective"].as_str(), d["ends"].as_str()), ("2021-03-01", "2030-12-31"));
        assert!(has_note(&staged, "2", "partial-date"));
        assert_eq!(pairs(&staged, "aliases", "csl:a1", "name", "kind").len(), 2);
        assert!(has_note(&staged, "3", "vessel-skipped"));
        assert!(has_note(&staged, "4", "unknown-list"));
        assert_eq!(find(&entities, "entity_id", "csl:a4")["name"], "Multi\nLine Ltd");
        assert!(has_note(&staged, "5", "invalid-value"), "ends before effective: {:?}", staged.notes);
        assert!(has_note(&staged, "7", "bad-record"), "the open quote runs to the end: {:?}", staged.notes);
    }

    #[test]
    fn the_staged_rows_import_into_a_store_with_the_file_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("consolidated.csv");
        std::fs::write(&path, FIXTURE).unwrap();
        let modified = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_715_299_200 + 12 * 3600);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
        let file = crate::published::PublishedFile { path, name: "consolidated.csv".into(), format: Format::Csl };
        let (mut store, _) = crate::store::Store::open(&dir.path().join("v.db")).unwrap();
        let known = store.known_facts().unwrap();
        let staged = crate::published::stage(&[file], &known, None, &|_, _| true).unwrap().unwrap();

        let designations = rows(&staged, "designations");
        assert_eq!(designations.len(), 13, "every row is dated now");
        let sdn = find(&designations, "subject_id", "ofac:52291");
        assert_eq!(
            (sdn["list"].as_str(), sdn["effective"].as_str(), sdn["effective_precision"].as_str()),
            ("US-OFAC-SDN", "2024-05-10", "on_or_before")
        );
        assert_eq!(find(&designations, "subject_id", "csl:18300")["list"], "US-CSL-SSI");
        assert!(has_note(&staged, "6", "effective-from-file"));
        assert_eq!(find(&rows(&staged, "entities"), "entity_id", "csl:9673")["source_date"], "2024-05-10");

        let mut report = Report::default();
        let dataset = crate::ingest::read(&staged.inputs, &known, &mut report);
        assert!(report.is_ok(), "{:?}", report.errors);
        let batch = store.apply(&dataset.unwrap(), "csl").unwrap();
        assert_eq!(batch.counts.get("designations"), Some(&13), "{:?}", batch.counts);
    }
}
