//! The demo dataset (`data/demo/`), compiled into the binary so that a new store starts with it.

use crate::ingest::{Input, Source, tables};
use crate::published::Format;

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

/// The public record of the Kaspersky case in the lists' own formats, imported through the
/// published-format importers as the demo's second batch (`data/demo/README.md` says where each
/// comes from).
pub const PUBLISHED: [(Format, &str, &[u8]); 2] = [
    (
        Format::Csl,
        "demo/published/us-lists-kaspersky-transcribed.csv",
        include_bytes!("../data/demo/published/us-lists-kaspersky-transcribed.csv"),
    ),
    (Format::Fcc, "demo/published/fcc-covered-list.csv", include_bytes!("../data/demo/published/fcc-covered-list.csv")),
];

/// The analyst's confirmed links between the vendors and those list entries, with their basis: the
/// demo's third batch.
pub fn links() -> Vec<Input> {
    vec![Input { name: "demo/links.csv".into(), table: &tables::LINKS, source: Source::Embedded(include_bytes!("../data/demo/links.csv")) }]
}
