//! The native importer's streaming CSV reader and table rules on arbitrary bytes, as each table:
//! errors are fine, panics and hangs are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetta::ingest::{Input, KnownFacts, Report, Source, read, tables};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let table = tables::ALL[pick as usize % tables::ALL.len()];
    let input = Input { name: format!("{}.csv", table.name), table, source: Source::Text(bytes.to_vec().into()) };
    let mut report = Report::default();
    let _ = read(&[input], &KnownFacts::default(), &mut report);
});
