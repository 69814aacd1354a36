use std::collections::BTreeMap;

use crate::support::*;
use vetta::store::Store;
use vetta::{Error, api};

/// A store holding the demo dataset.
fn demo_store() -> Store {
    let mut store = empty_store();
    api::seed_demo(&mut store).unwrap();
    store
}

fn row(cells: &[(&str, &str)]) -> BTreeMap<String, String> {
    cells.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A valid testimony note about Kaspersky Lab.
fn note(note_id: &str) -> BTreeMap<String, String> {
    row(&[
        ("note_id", note_id),
        ("subject_id", "kaspersky"),
        ("date", "2024-06-20"),
        ("speaker", "US Department of Commerce"),
        ("stance", "concern"),
        ("severity", "3"),
        ("reliability", "A"),
        ("credibility", "1"),
        ("summary", "Final determination under the ICTS rule."),
        ("source", "Federal Register"),
    ])
}

fn count(store: &Store, table: &str) -> u64 {
    store.counts().unwrap().into_iter().find(|(t, _)| *t == table).unwrap().1
}

fn rejection(result: Result<api::ImportOutcome, Error>) -> Vec<String> {
    match result {
        Err(Error::Rejected(report)) => report.errors.iter().map(|e| e.to_string()).collect(),
        Err(other) => panic!("expected a rejection, got {other}"),
        Ok(_) => panic!("expected a rejection, but the rows were entered"),
    }
}

fn kaspersky_note(store: &Store, note_id: &str) -> BTreeMap<String, String> {
    let rows = api::vendor_rows(store, "testimony", "kaspersky").unwrap();
    rows.into_iter().find(|r| r["note_id"] == note_id).unwrap_or_else(|| panic!("note {note_id} is among Kaspersky's rows"))
}

#[test]
fn entering_a_note_records_one_batch_holding_it() {
    let mut store = demo_store();
    let (batches, notes) = (store.batches().unwrap().len(), count(&store, "testimony"));
    let outcome = api::enter_rows(&mut store, "testimony", &[note("kl-2024-icts")]).unwrap();
    assert_eq!(outcome.batch.label, api::ENTERED);
    assert_eq!(outcome.batch.files.len(), 1);
    assert_eq!((outcome.batch.files[0].name.as_str(), outcome.batch.files[0].rows), ("testimony.csv", 1));
    assert_eq!(outcome.batch.counts, BTreeMap::from([("testimony".to_string(), 1)]));
    assert_eq!(store.batches().unwrap().len(), batches + 1);
    assert_eq!(count(&store, "testimony"), notes + 1);
    let stored = kaspersky_note(&store, "kl-2024-icts");
    assert_eq!(stored["summary"], "Final determination under the ICTS rule.");
    assert_eq!(stored["severity"], "3");
    assert_eq!(stored["venue"], "", "a cell not given is empty");
}

#[test]
fn a_bad_cell_is_rejected_at_its_row_and_column_and_changes_nothing() {
    let mut store = demo_store();
    let before = fingerprint(&store);
    let batches = store.batches().unwrap().len();
    let mut bad = note("kl-bad");
    bad.insert("date".into(), "2017-13-40".into());
    assert_eq!(
        rejection(api::enter_rows(&mut store, "testimony", &[bad.clone()])),
        vec!["testimony.csv:2:date: \"2017-13-40\" is not a calendar date YYYY-MM-DD"]
    );
    // A first row whose cells hold line breaks does not move the second row's line.
    let mut multiline = note("kl-multi");
    multiline.insert("summary".into(), "one\ntwo\nthree".into());
    bad.insert("reliability".into(), "G".into());
    assert_eq!(
        rejection(api::enter_rows(&mut store, "testimony", &[multiline, bad])),
        vec![
            "testimony.csv:3:date: \"2017-13-40\" is not a calendar date YYYY-MM-DD",
            "testimony.csv:3:reliability: \"G\" is not one of A, B, C, D, E, F",
        ]
    );
    assert_eq!(fingerprint(&store), before, "row counts and the dataset hash are unchanged");
    assert_eq!(store.batches().unwrap().len(), batches, "no batch was recorded");
}

#[test]
fn an_edit_replaces_the_row_and_undoing_it_restores_the_old_row_exactly() {
    let mut store = demo_store();
    let before = fingerprint(&store);
    let original = kaspersky_note(&store, "kl-2017-ssci-rogers");
    assert_eq!(original["severity"], "2");
    let mut edited = original.clone();
    edited.insert("severity".into(), "3".into());
    edited.insert("summary".into(), "Edited by hand.".into());
    let outcome = api::enter_rows(&mut store, "testimony", &[edited.clone()]).unwrap();
    assert_eq!(count(&store, "testimony"), before.0.iter().find(|(t, _)| *t == "testimony").unwrap().1, "replaced, not added");
    assert_eq!(kaspersky_note(&store, "kl-2017-ssci-rogers"), edited);
    store.undo(outcome.batch.batch_id).unwrap();
    assert_eq!(kaspersky_note(&store, "kl-2017-ssci-rogers"), original);
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn hostile_text_round_trips_byte_for_byte() {
    let mut store = demo_store();
    let summary = "a, b; \"quoted\", 'single'\nsecond line\r\nthird\tline ünïcödé \u{1F600} <script>alert(1)</script>";
    let quote = "\"starts with a quote\" and ends with one\"";
    let speaker = "=cmd|' /C calc'!A0";
    let mut hostile = note("kl-hostile");
    hostile.extend([("summary".to_string(), summary.to_string()), ("quote".into(), quote.into()), ("speaker".into(), speaker.into())]);
    api::enter_rows(&mut store, "testimony", &[hostile]).unwrap();
    let stored = kaspersky_note(&store, "kl-hostile");
    assert_eq!(stored["summary"].as_bytes(), summary.as_bytes());
    assert_eq!(stored["quote"], quote);
    assert_eq!(stored["speaker"], speaker);
}

fn invalid<T>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Invalid(message)) => message,
        Err(other) => panic!("expected an invalid-input error, got {other}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn unknown_columns_tables_and_vendors_and_empty_rows_are_errors() {
    let mut store = demo_store();
    let before = fingerprint(&store);
    let mut coloured = note("kl-colour");
    coloured.insert("colour".into(), "red".into());
    assert!(invalid(api::enter_rows(&mut store, "testimony", &[coloured])).contains("\"colour\""));
    assert!(invalid(api::enter_rows(&mut store, "notes", &[note("kl-x")])).contains("\"notes\""));
    assert!(invalid(api::enter_rows(&mut store, "testimony", &[])).contains("no rows"));
    assert!(invalid(api::enter_rows(&mut store, "testimony", &[row(&[("note_id", " ")])])).contains("row 1"));
    assert!(invalid(api::vendor_rows(&store, "testimony", "nobody")).contains("nobody"));
    assert!(invalid(api::vendor_rows(&store, "notes", "kaspersky")).contains("\"notes\""));
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn a_vendors_rows_entered_again_leave_every_fact_as_it_was() {
    let mut store = demo_store();
    let before = store.dataset_sha256().unwrap();
    let mut seen = Vec::new();
    for schema in api::table_schemas() {
        let rows = api::vendor_rows(&store, &schema.table, "kaspersky").unwrap();
        if rows.is_empty() {
            continue;
        }
        let mut columns: Vec<&String> = schema.columns.iter().map(|c| &c.name).collect();
        columns.sort();
        assert!(rows.iter().all(|r| r.keys().eq(columns.iter().copied())), "every column of {}", schema.table);
        seen.push(schema.table.clone());
        api::enter_rows(&mut store, &schema.table, &rows).unwrap();
    }
    assert_eq!(seen, ["entities", "vendors", "ownership", "testimony", "designations", "sales", "install_base", "links"]);
    assert_eq!(store.dataset_sha256().unwrap(), before, "booleans, decimals, dates and NULLs read back to the same values");
}

#[test]
fn table_schemas_describe_every_column_of_the_import_files() {
    let schemas = api::table_schemas();
    let names: Vec<&str> = schemas.iter().map(|s| s.table.as_str()).collect();
    assert_eq!(
        names,
        ["entities", "vendors", "ownership", "testimony", "designations", "sales", "install_base", "identifiers", "aliases", "links"]
    );
    let testimony = schemas.iter().find(|s| s.table == "testimony").unwrap();
    assert_eq!(testimony.key, ["note_id"]);
    assert_eq!(testimony.vendor_column, "subject_id");
    let column = |name: &str| testimony.columns.iter().find(|c| c.name == name).unwrap();
    assert_eq!((column("date").kind.as_str(), column("date").required), ("date YYYY-MM-DD", true));
    assert_eq!((column("venue").kind.as_str(), column("venue").required), ("text", false));
    assert_eq!(column("severity").kind, "integer 0..3");
    assert_eq!(column("stance").choices, ["concern", "neutral", "exculpatory"]);
    assert_eq!(column("stance").kind, "one of: concern, neutral, exculpatory");
    let ownership = schemas.iter().find(|s| s.table == "ownership").unwrap();
    assert_eq!(ownership.key, ["from_id", "to_id", "relation", "tie_kind", "since"]);
    assert_eq!(ownership.columns.iter().find(|c| c.name == "share").unwrap().kind, "decimal 0..1");
    let entities = schemas.iter().find(|s| s.table == "entities").unwrap();
    assert_eq!(entities.columns.iter().find(|c| c.name == "state_affiliated").unwrap().choices, ["true", "false"]);
    let sales = schemas.iter().find(|s| s.table == "sales").unwrap();
    assert_eq!(sales.columns.iter().find(|c| c.name == "revenue_usd").unwrap().kind, "decimal ≥ 0");
}
