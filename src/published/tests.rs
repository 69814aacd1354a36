//! Tests of detection and of the rules every format shares.

use super::*;
use crate::ingest::tables;

#[test]
fn formats_are_recognised_by_content() {
    assert_eq!(detect("x.json", br#"[{"statementId": "1", "recordType": "entity"}]"#), Some(Format::Bods));
    assert_eq!(detect("x.jsonl", br#"{"id": "Q1", "schema": "Company", "properties": {"name": ["A"]}}"#), Some(Format::Ftm));
    assert_eq!(detect("x.json", br#"{"data": [{"type": "lei-records"}]}"#), Some(Format::Gleif));
    assert_eq!(detect("x.xml", b"<?xml version=\"1.0\"?><lei:LEIData xmlns:lei=\"x\">"), Some(Format::Gleif));
    assert_eq!(detect("x.xml", b"<?xml version=\"1.0\"?><rr:RelationshipData xmlns:rr=\"x\">"), Some(Format::Gleif));
    assert_eq!(detect("x.xml", b"<repex:ReportingExceptionData xmlns:repex=\"x\">"), Some(Format::Gleif));
    assert_eq!(detect("x.json", br#"{"meta": {}, "data": {"type": "reporting-exceptions"}}"#), Some(Format::Gleif));
    assert_eq!(detect("lei2.csv", b"\"LEI\",\"Entity.LegalName\",\"Entity.LegalName.xmllang\"\r\n"), Some(Format::Gleif));
    assert_eq!(detect("rr.csv", b"\"Relationship.StartNode.NodeID\",\"Relationship.StartNode.NodeIDType\"\n"), Some(Format::Gleif));
    assert_eq!(detect("repex.csv", b"\"LEI\",\"Exception.Category\",\"Exception.Reason.1\"\n"), Some(Format::Gleif));
    assert_eq!(detect("repex.csv", b"LEI,ExceptionCategory,ExceptionReason.1\n"), Some(Format::Gleif));
    assert_eq!(detect("c.csv", b"_id,source,entity_number,type\n"), Some(Format::Csl));
    assert_eq!(detect("t.csv", b"covered_equipment_or_services,date_of_inclusion_on_covered_list\n"), Some(Format::Fcc));
    assert_eq!(
        detect("list.csv", b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"),
        Some(Format::OfacSdn)
    );
    assert_eq!(detect("alt.csv", b"36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"), Some(Format::OfacSdn));
    assert_eq!(detect("notes.csv", b"a,b,c\n1,2,3\n"), None);
    assert_eq!(detect("x.json", b"{\"hello\": 1}"), None);
}

fn staged_rows(staged: &Staged, table: &str) -> Vec<Vec<String>> {
    let Some(input) = staged.inputs.iter().find(|i| i.table.name == table) else { return Vec::new() };
    let crate::ingest::Source::Text(bytes) = &input.source else { panic!("staged text") };
    let mut reader = crate::ingest::csv::CsvReader::new(&bytes[..]);
    reader.next_record();
    let mut out = Vec::new();
    while let Some(Ok(record)) = reader.next_record() {
        out.push((0..record.len()).map(|i| record.get(i).to_string()).collect());
    }
    out
}

fn entity(staging: &mut Staging, id: &str) {
    staging
        .row(&tables::ENTITIES, "1")
        .set("entity_id", id)
        .set("name", id)
        .set("kind", "company")
        .set("country", "RU")
        .set("source", "t")
        .push();
}

fn stake(staging: &mut Staging, location: &str, from: &str, to: &str, share: &str, since: Option<&str>) {
    staging
        .row(&tables::OWNERSHIP, location)
        .set("from_id", from)
        .set("to_id", to)
        .set("relation", "equity")
        .set("share", share)
        .set_opt("since", since)
        .set("source", "t")
        .push();
}

fn codes(staged: &Staged) -> Vec<&str> {
    staged.notes.iter().map(|n| n.code.as_str()).collect()
}

#[test]
fn shares_over_one_become_ranges_scaled_by_the_largest_sum() {
    let mut staging = Staging::default();
    staging.begin_file("register.json", "00".into(), Some("2024-01-01".into()));
    for id in ["a", "b", "c", "t"] {
        entity(&mut staging, id);
    }
    // 50 + 49 + 2 = 101 % from 2020; before that only a and b (99 %).
    stake(&mut staging, "/0", "a", "t", "0.5", Some("2019-01-01"));
    stake(&mut staging, "/1", "b", "t", "0.49", Some("2019-01-01"));
    stake(&mut staging, "/2", "c", "t", "0.02", Some("2020-01-01"));
    let staged = staging.finish(&KnownFacts::default());
    let rows = staged_rows(&staged, "ownership");
    let at = |name: &str| tables::OWNERSHIP.index(name);
    let low: f64 = rows.iter().map(|r| r[at("share_min")].parse::<f64>().unwrap()).sum();
    assert!((low - 1.0).abs() < 1e-12, "the low points sum to 1 on the worst date: {low}");
    for row in &rows {
        assert_eq!(row[at("share")], "", "a range, not a share");
        let (min, max): (f64, f64) = (row[at("share_min")].parse().unwrap(), row[at("share_max")].parse().unwrap());
        assert!((min * 1.01 - max).abs() < 1e-12, "[share / 1.01, share]: {min} {max}");
    }
    assert_eq!(codes(&staged).iter().filter(|c| **c == "range-from-oversum").count(), 3);
    assert!(staged.notes.iter().any(|n| n.location == "/2" && n.message.contains("1.01")), "{:?}", staged.notes);
}

#[test]
fn the_stores_stakes_leave_less_room() {
    let known = KnownFacts {
        stakes: vec![crate::ingest::KnownStake { from_id: "x".into(), to_id: "t".into(), since: None, until: None, share: 0.5 }],
        entities: ["x", "t", "a"].iter().map(|id| crate::ingest::KnownEntity { entity_id: id.to_string(), country: "RU".into() }).collect(),
        ..Default::default()
    };
    let mut staging = Staging::default();
    staging.begin_file("f.json", "00".into(), None);
    stake(&mut staging, "/0", "a", "t", "0.75", None);
    let staged = staging.finish(&known);
    let rows = staged_rows(&staged, "ownership");
    let at = |name: &str| tables::OWNERSHIP.index(name);
    assert_eq!((rows[0][at("share_min")].as_str(), rows[0][at("share_max")].as_str()), ("0.5", "0.75"));
    let mut report = crate::ingest::Report::default();
    assert!(crate::ingest::read(&staged.inputs, &known, &mut report).is_some(), "the native rule accepts it: {:?}", report.errors);
}

#[test]
fn duplicates_merge_stubs_stand_in_and_bad_cells_are_left_out() {
    let mut staging = Staging::default();
    staging.begin_file("list.csv", "00".into(), Some("2024-05-01".into()));
    entity(&mut staging, "ofac:1");
    entity(&mut staging, "ofac:1");
    staging.row(&tables::ENTITIES, "3").set("entity_id", "ofac:1").set("name", "Other").set("kind", "company").set("country", "RU").push();
    staging.kind_hint("ofac:9", "person");
    staging
        .row(&tables::DESIGNATIONS, "4")
        .set("subject_id", "ofac:9")
        .set("list", "US-OFAC-SDN")
        .set("effective", "2024-01-01")
        .set("source", "s")
        .push();
    staging
        .row(&tables::DESIGNATIONS, "5")
        .set("subject_id", "ofac:1")
        .set("list", "US-OFAC-SDN")
        .set("effective", "2024-02-30")
        .set("source", "s")
        .push();
    staging
        .row(&tables::IDENTIFIERS, "6")
        .set("entity_id", "ofac:1")
        .set("scheme", "LEI")
        .set("value", "529900T8BM49AURSDO56")
        .set("source", "s")
        .push();
    let staged = staging.finish(&KnownFacts::default());
    let entities = staged_rows(&staged, "entities");
    assert_eq!(entities.len(), 2, "one ofac:1 and one stub");
    let stub = entities.iter().find(|e| e[0] == "ofac:9").expect("a stub");
    assert_eq!((stub[1].as_str(), stub[2].as_str(), stub[3].as_str()), ("ofac:9", "person", "XRW"));
    assert_eq!(stub[tables::ENTITIES.index("source_date")], "2024-05-01", "the file's date");
    assert_eq!(staged_rows(&staged, "designations").len(), 1, "the impossible date is left out");
    assert!(staged_rows(&staged, "identifiers").is_empty(), "an LEI with wrong check digits is left out");
    let codes = codes(&staged);
    assert_eq!(codes.iter().filter(|c| **c == "duplicate-key").count(), 1, "identical rows merge silently: {codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "invalid-value").count(), 2, "{codes:?}");
    assert!(codes.contains(&"stub-entity"));
    assert!(staged.notes.iter().all(|n| n.file == "list.csv"));
    let shown = staged.notes.iter().find(|n| n.code == "duplicate-key").unwrap().to_string();
    assert!(shown.starts_with("list.csv:3: duplicate-key: "), "{shown}");
}
