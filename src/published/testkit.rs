//! What the formats' tests share: staged rows read back by column name, notes by code, and a fresh
//! store to import staged rows into.

use std::collections::BTreeMap;

use super::Staged;
use crate::ingest::{Report, Source, csv::CsvReader};
use crate::store::{Batch, Store};

/// A staged row, column → cell (`""` = not given).
pub type Row = BTreeMap<String, String>;

/// The staged rows of a table, read back with the project's CSV reader.
pub fn rows(staged: &Staged, table: &str) -> Vec<Row> {
    let Some(input) = staged.inputs.iter().find(|i| i.table.name == table) else { return Vec::new() };
    let Source::Text(bytes) = &input.source else { panic!("staged inputs are text") };
    let mut reader = CsvReader::new(&bytes[..]);
    let header: Vec<String> = {
        let record = reader.next_record().expect("a header").expect("a valid header");
        (0..record.len()).map(|i| record.get(i).to_string()).collect()
    };
    let mut out = Vec::new();
    while let Some(record) = reader.next_record() {
        let record = record.expect("staged CSV is valid");
        out.push(header.iter().enumerate().map(|(i, h)| (h.clone(), record.get(i).to_string())).collect());
    }
    out
}

/// Whether a note of `code` is at `location`.
pub fn has_note(staged: &Staged, location: &str, code: &str) -> bool {
    staged.notes.iter().any(|n| n.location == location && n.code == code)
}

/// A new, empty store in a temporary folder (kept alive by the returned folder).
pub fn fresh_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open(&dir.path().join("vetta.db")).unwrap();
    (dir, store)
}

/// Reads staged rows against the store and applies them, as `vetta import` does.
pub fn apply(store: &mut Store, staged: &Staged, label: &str) -> Result<Batch, Report> {
    let known = store.known_facts().unwrap();
    let mut report = Report::default();
    match crate::ingest::read(&staged.inputs, &known, &mut report) {
        Some(dataset) => Ok(store.apply(&dataset, label).unwrap()),
        None => Err(report),
    }
}
