use vetta::ingest::tables;
use vetta::store::Store;

#[test]
fn migrations_run_from_an_empty_file_and_again_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/vetta.db");
    let (store, created) = Store::open(&path).unwrap();
    assert!(created, "an empty file is a new store");
    let version = store.schema_version().unwrap();
    assert!(version >= 1);
    drop(store);
    let (store, created) = Store::open(&path).unwrap();
    assert!(!created, "a migrated store is not new");
    assert_eq!(store.schema_version().unwrap(), version);
}

#[test]
fn every_fact_table_has_the_import_columns_in_order() {
    let store = Store::open_in_memory().unwrap();
    for table in tables::ALL {
        let expected: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let mut expected = expected;
        expected.push("batch_id");
        assert_eq!(
            store.column_names(table.name).unwrap(),
            expected,
            "the {} table has its file's columns and the batch that wrote the row",
            table.name
        );
    }
}

#[test]
fn a_new_store_is_seeded_with_the_demo_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let store = vetta::api::open_store(&dir.path().join("vetta.db")).unwrap();
    let vendors = store.vendors().unwrap();
    assert!(vendors.len() >= 8, "Kaspersky Lab and at least seven fictional peers");
    assert!(vendors.iter().any(|v| v.vendor_id == "kaspersky" && v.name == "Kaspersky Lab"));
    let batches = store.batches().unwrap();
    let labels: Vec<&str> = batches.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["demo", "demo: US lists", "demo: links"], "the tables, the US lists in their own formats, the links");
    assert_eq!(batches[1].files.len(), 2, "the batch records the two published files");
}

#[test]
fn every_demo_row_has_a_source_and_fictional_vendors_say_so() {
    let store = vetta::api::open_store(&tempfile::tempdir().unwrap().path().join("vetta.db")).unwrap();
    for table in tables::ALL {
        let source = table.index("source");
        for row in store.rows(table).unwrap() {
            assert!(row[source].as_str().is_some_and(|s| !s.is_empty()), "a {} row without a source: {row:?}", table.name);
        }
    }
    let notes = tables::VENDORS.index("notes");
    for row in store.rows(&tables::VENDORS).unwrap() {
        if row[0].as_str() != Some("kaspersky") {
            let note = row[notes].as_str().unwrap_or_default();
            assert!(note.starts_with("Fictional company"), "{:?} must be marked fictional", row[0]);
        }
    }
}

#[test]
fn testimony_is_searchable_with_fts5() {
    let store = vetta::api::open_store(&tempfile::tempdir().unwrap().path().join("vetta.db")).unwrap();
    let hits = store.search_testimony("Rubio").unwrap();
    assert!(!hits.is_empty(), "the 2017 hearing note mentioning Sen. Rubio is found");
    assert!(store.search_testimony("zzzzqqq").unwrap().is_empty());
}
