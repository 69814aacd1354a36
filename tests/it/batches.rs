use crate::support::*;
use vetta::Error;
use vetta::store::StoreError;

const BAD_SALES: &str = "vendor_id,year,country,revenue_usd\nacme,2020,US,1\nacme,2020,US,oops\n";

#[test]
fn a_dataset_with_any_invalid_row_changes_nothing() {
    let mut store = base_store();
    let before = fingerprint(&store);
    let good_vendors = "vendor_id,name,hq_country,privilege\nnewco,New Co,US,user\n";
    let errors = errors(&mut store, &[("vendors.csv", good_vendors), ("sales.csv", BAD_SALES)]);
    assert_eq!(errors, vec!["sales.csv:3:revenue_usd: \"oops\" is not a decimal number"]);
    assert_eq!(fingerprint(&store), before, "row counts and the dataset hash are unchanged");
    assert_eq!(store.batches().unwrap().len(), 1, "no batch was recorded");
}

#[test]
fn importing_the_same_dataset_twice_leaves_the_store_as_it_was() {
    let mut store = empty_store();
    let files = [
        ("vendors.csv", VENDORS),
        ("entities.csv", ENTITIES),
        ("sales.csv", "vendor_id,year,country,revenue_usd\nacme,2020,US,1\nacme,2020,US,2\n"),
    ];
    import(&mut store, &files).unwrap();
    let once = fingerprint(&store);
    import(&mut store, &files).unwrap();
    assert_eq!(fingerprint(&store), once, "upserts replace rows by key, so the facts are identical");
    assert_eq!(store.rows(&vetta::ingest::tables::SALES).unwrap()[0][4].as_f64(), Some(3.0), "summed once per import, not accumulated");
}

#[test]
fn an_imported_row_replaces_the_stored_row_entirely() {
    let mut store = empty_store();
    import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege,category,mitigation\nv,V,US,user,antivirus,0.2\n")]).unwrap();
    import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege\nv,V2,US,admin\n")]).unwrap();
    let row = &store.rows(&vetta::ingest::tables::VENDORS).unwrap()[0];
    assert_eq!(row[1].as_str(), Some("V2"));
    assert!(row[5].is_null(), "category is not given any more, so it is gone");
    assert_eq!(row[6].as_f64(), Some(0.0), "mitigation takes its default again");
}

#[test]
fn undo_restores_exactly_what_the_store_held() {
    let mut store = base_store();
    let before = fingerprint(&store);
    let outcome = import(
        &mut store,
        &[
            ("vendors.csv", "vendor_id,name,hq_country,privilege,notes\nacme,Acme Renamed,US,kernel,changed\nnewco,New,DE,none,\n"),
            ("sales.csv", "vendor_id,year,country,revenue_usd\nnewco,2020,CN,5\n"),
            ("testimony.csv", "note_id,subject_id,date,speaker,stance,severity,reliability,credibility,summary,source\nn1,acme,2020-01-01,S,concern,2,B,2,x,s\n"),
        ],
    )
    .unwrap();
    assert_ne!(fingerprint(&store), before);
    store.undo(outcome.batch.batch_id).unwrap();
    assert_eq!(fingerprint(&store), before, "the replaced vendor comes back and the added rows are gone");
    assert!(store.search_testimony("x").unwrap().is_empty(), "the full-text index follows the undo");
    assert!(matches!(store.undo(outcome.batch.batch_id), Err(StoreError::AlreadyUndone(_))));
}

#[test]
fn a_batch_can_be_undone_only_after_a_later_batch_that_replaced_its_rows() {
    let mut store = empty_store();
    store.set_user(Some("ana".into()));
    let first = import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege\nv,One,US,user\n")]).unwrap().batch.batch_id;
    let after_first = fingerprint(&store);
    store.set_user(Some("ben".into()));
    let second = import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege\nv,Two,US,user\n")]).unwrap().batch.batch_id;
    store.set_user(Some("ana".into()));
    match store.undo(first) {
        Err(error @ StoreError::ReplacedLater { batch, later, .. }) => {
            assert_eq!((batch, later), (first, second));
            assert!(error.to_string().contains(&format!("batch {second} (made by ben)")), "the refusal names the author: {error}");
        }
        other => panic!("undoing the first batch must wait for the second: {other:?}"),
    }
    store.undo(second).unwrap();
    let batches = store.batches().unwrap();
    assert_eq!(batches[0].created_by.as_deref(), Some("ana"));
    assert_eq!(
        (batches[1].created_by.as_deref(), batches[1].undone_by.as_deref()),
        (Some("ben"), Some("ana")),
        "who made it and who undid it"
    );
    assert_eq!(fingerprint(&store), after_first, "undoing the second batch brings back the first one's row");
    store.undo(first).unwrap();
    assert_eq!(store.counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 0);
}

#[test]
fn an_undo_that_would_leave_a_reference_unresolved_is_refused() {
    let mut store = empty_store();
    let vendors = import(&mut store, &[("vendors.csv", VENDORS)]).unwrap().batch.batch_id;
    import(&mut store, &[("sales.csv", "vendor_id,year,country,revenue_usd\nacme,2020,US,1\n")]).unwrap();
    let before = fingerprint(&store);
    match store.undo(vendors) {
        Err(StoreError::Conflict(conflicts)) => assert!(conflicts.iter().any(|c| c.contains("acme")), "{conflicts:?}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(fingerprint(&store), before, "a refused undo changes nothing");
    assert!(store.batch(vendors).unwrap().undone_at.is_none());
}

#[test]
fn an_import_that_would_orphan_stored_references_is_refused() {
    let mut store = base_store();
    import(&mut store, &[("ownership.csv", "from_id,to_id,relation,share,source\nstate,redco,equity,0.5,s\n")]).unwrap();
    let before = fingerprint(&store);
    // Moving the vendor to a new entity leaves the stored edge pointing at the old one.
    let result = import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege,entity_id\nredco,Red Co,RU,kernel,redco-2\n")]);
    match result {
        Err(Error::Store(StoreError::Conflict(conflicts))) => assert!(conflicts.iter().any(|c| c.contains("redco")), "{conflicts:?}"),
        other => panic!("expected a conflict, got {:?}", other.map(|o| o.batch)),
    }
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn batches_record_files_hashes_and_counts() {
    let mut store = empty_store();
    let outcome = import(&mut store, &[("vendors.csv", VENDORS)]).unwrap();
    let batch = &store.batches().unwrap()[0];
    assert_eq!(batch, &outcome.batch);
    assert_eq!(batch.files[0].name, "vendors.csv");
    assert_eq!(batch.files[0].sha256, vetta::ingest::sha256_hex(VENDORS.as_bytes()), "the SHA-256 of the file's bytes");
    assert_eq!(batch.files[0].rows, 2);
    assert_eq!(batch.counts["vendors"], 2);
}

#[test]
fn the_dataset_hash_changes_with_any_fact_and_only_then() {
    let mut a = empty_store();
    let mut b = empty_store();
    import(&mut a, &[("vendors.csv", VENDORS)]).unwrap();
    import(&mut b, &[("vendors.csv", VENDORS)]).unwrap();
    assert_eq!(a.dataset_sha256().unwrap(), b.dataset_sha256().unwrap(), "equal stores have equal hashes");
    let source_changed = VENDORS.replace("admin,test", "admin,test2");
    import(&mut b, &[("vendors.csv", &source_changed)]).unwrap();
    assert_ne!(a.dataset_sha256().unwrap(), b.dataset_sha256().unwrap(), "the hash covers sources");
}

/// A sales ledger long enough to report progress several times while it is read.
fn long_ledger() -> String {
    let mut text = String::from("vendor_id,year,country,segment,revenue_usd,source\n");
    for i in 0..100_000 {
        text.push_str(&format!("acme,{},US,other,{},ledger\n", 2000 + i % 25, i % 1000));
    }
    text
}

#[test]
fn an_import_reports_its_progress_up_to_every_byte() {
    let mut store = base_store();
    let dir = folder(&[("sales.csv", &long_ledger())]);
    let calls = std::sync::Mutex::new(Vec::new());
    let on_progress = |read: u64, total: u64| {
        calls.lock().unwrap().push((read, total));
        true
    };
    vetta::api::import_watched(&mut store, &[dir.path().to_path_buf()], &Default::default(), &on_progress).expect("the ledger imports");
    let calls = calls.into_inner().unwrap();
    let size = std::fs::metadata(dir.path().join("sales.csv")).unwrap().len();
    assert!(calls.len() >= 3, "progress every 32,768 rows and at the end: {calls:?}");
    assert!(calls.iter().all(|&(_, total)| total == size), "the total is the file's size");
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "bytes read never go back: {calls:?}");
    assert_eq!(calls.last().unwrap().0, size, "the last report has read every byte");
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let mut store = base_store();
    let before = fingerprint(&store);
    let dir = folder(&[("sales.csv", &long_ledger())]);
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let cancel_at_second = |_: u64, _: u64| asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 1;
    let result = vetta::api::import_watched(&mut store, &[dir.path().to_path_buf()], &Default::default(), &cancel_at_second);
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert_eq!(asked.into_inner(), 2, "the read stops at the first answer of no");
    assert_eq!(fingerprint(&store), before, "nothing was written");
    assert!(matches!(
        vetta::api::check_watched(&store, &[dir.path().to_path_buf()], &Default::default(), &|_, _| false),
        Err(Error::Cancelled)
    ));
}
