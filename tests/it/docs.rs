use crate::support::*;

/// The worked examples of docs/import.md: every fenced block tagged `csv <file>`.
fn examples() -> Vec<(String, String)> {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import.md")).expect("docs/import.md");
    let mut blocks = Vec::new();
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        if let Some(file) = line.strip_prefix("```csv ") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
            blocks.push((file.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

#[test]
fn the_import_guide_examples_import_into_an_empty_store() {
    let blocks = examples();
    let mut names: Vec<&str> = blocks.iter().map(|(f, _)| f.as_str()).collect();
    names.sort_unstable();
    let tables: Vec<String> = vetta::ingest::tables::ALL.iter().map(|t| format!("{}.csv", t.name)).collect();
    let mut expected: Vec<&str> = tables.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "one worked example per table");
    let files: Vec<(&str, &str)> = blocks.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
    let mut store = empty_store();
    let outcome = import(&mut store, &files).unwrap_or_else(|e| panic!("the guide's examples must import: {e}"));
    for table in vetta::ingest::tables::ALL {
        assert!(outcome.batch.counts.get(table.name).copied().unwrap_or(0) > 0, "{} has rows", table.name);
    }
    let report = vetta::engine::score(&store, &vetta::scenario::ScenarioInput::default()).expect("and score");
    assert!(!report.vendors.is_empty());
}
