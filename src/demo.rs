//! The demo dataset (`data/demo/`), compiled into the binary so that a new store starts with it.

use crate::ingest::{Input, Source, tables};

const FILES: [(&str, &[u8]); 7] = [
    ("entities.csv", include_bytes!("../data/demo/entities.csv")),
    ("vendors.csv", include_bytes!("../data/demo/vendors.csv")),
    ("ownership.csv", include_bytes!("../data/demo/ownership.csv")),
    ("testimony.csv", include_bytes!("../data/demo/testimony.csv")),
    ("designations.csv", include_bytes!("../data/demo/designations.csv")),
    ("sales.csv", include_bytes!("../data/demo/sales.csv")),
    ("install_base.csv", include_bytes!("../data/demo/install_base.csv")),
];

/// The demo dataset as import inputs.
pub fn inputs() -> Vec<Input> {
    FILES
        .iter()
        .map(|(name, bytes)| Input {
            name: format!("demo/{name}"),
            table: tables::by_name(name.trim_end_matches(".csv")).expect("demo files are named after tables"),
            source: Source::Embedded(bytes),
        })
        .collect()
}
