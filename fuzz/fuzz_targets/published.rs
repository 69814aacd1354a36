//! Every published format's reader on arbitrary bytes: the first byte picks the format, the rest is
//! the file. Staging must never panic, hang or grow without bound, and what it stages must pass
//! the native importer's cell rules (a staged row that fails them is a bug of the mapping).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetta::ingest::{KnownFacts, Report, read};
use vetta::published::{Format, stage_bytes};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let format = Format::ALL[pick as usize % Format::ALL.len()];
    let name = match format {
        Format::Ftm => "entities.ftm.json",
        Format::Bods => "statements.json",
        Format::Gleif => if bytes.first() == Some(&b'<') { "golden.xml" } else if bytes.first() == Some(&b'{') { "api.json" } else { "golden.csv" },
        Format::OfacSdn => "sdn.csv",
        Format::Csl => "consolidated.csv",
        Format::Fcc => "table.csv",
    };
    let known = KnownFacts::default();
    let staged = stage_bytes(format, name, bytes, &known);
    let mut report = Report::default();
    let dataset = read(&staged.inputs, &known, &mut report);
    assert!(dataset.is_some(), "{format:?}: staged rows the importer refuses: {:?}", report.errors);
});
