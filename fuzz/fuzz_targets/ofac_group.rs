//! OFAC's four legacy files together: the input is split on 0xFF bytes into sdn.csv, add.csv,
//! alt.csv and sdn_comments.csv, so remarks continued across files and orphan rows are explored.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetta::ingest::{KnownFacts, Report, read};
use vetta::published::{Format, stage_files};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == 0xFF);
    let names = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"];
    let files: Vec<(&str, &[u8])> = names.iter().map(|name| (*name, parts.next().unwrap_or_default())).collect();
    let known = KnownFacts::default();
    let staged = stage_files(Format::OfacSdn, &files, &known);
    let mut report = Report::default();
    assert!(read(&staged.inputs, &known, &mut report).is_some(), "staged rows the importer refuses: {:?}", report.errors);
});
