use vetta::changes::{End, changes};
use vetta::scenario::ScenarioInput;

use crate::support::*;

fn as_of(date: &str) -> ScenarioInput {
    ScenarioInput { as_of: Some(date.into()), ..ScenarioInput::default() }
}

const LISTING: &str = "subject_id,list,effective,source\nredco,US-BIS-ENTITY,2024-06-24,\"BIS, 89 FR 52362, 2024-06-24\"\n";

#[test]
fn a_past_state_is_rebuilt_exactly() {
    let mut store = base_store();
    let first = store.dataset_sha256().unwrap();
    let batch_one = store.batches().unwrap()[0].batch_id;
    import(&mut store, &[("designations.csv", LISTING)]).unwrap();
    // A second import replaces the vendor row: the journal must put the first one back.
    import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege,source\nacme,Acme Corporation,US,user,test 2\n")]).unwrap();
    assert_ne!(store.dataset_sha256().unwrap(), first);
    assert_eq!(store.state_after(batch_one).unwrap().dataset_sha256().unwrap(), first);
    assert_eq!(store.state_after(0).unwrap().counts().unwrap().iter().map(|(_, n)| n).sum::<u64>(), 0);
    assert!(store.state_after(99).is_err(), "an unknown batch");
}

#[test]
fn the_last_import_shows_what_it_changed() {
    let mut store = base_store();
    import(&mut store, &[("designations.csv", LISTING)]).unwrap();
    let report = changes(&store, None, None, &as_of("2026-12-06")).unwrap();
    assert!(report.from.starts_with("batch 1 "), "{}", report.from);
    assert_eq!(report.vendors.len(), 1, "{:#?}", report.vendors);
    let red = &report.vendors[0];
    assert_eq!(red.vendor_id, "redco");
    let (before, after) = (red.before.as_ref().unwrap(), red.after.as_ref().unwrap());
    assert!(!before.prohibited && after.prohibited);
    assert_eq!(after.designations, ["US-BIS-ENTITY"]);
    assert!(after.score > before.score);
    assert_eq!(red.facts.len(), 1);
    assert_eq!((red.facts[0].table.as_str(), red.facts[0].change.as_str()), ("designations", "added"));
    assert_eq!(red.facts[0].key["list"], "US-BIS-ENTITY");
}

#[test]
fn two_dates_compare_numbers_on_one_store() {
    let mut store = base_store();
    import(&mut store, &[("designations.csv", LISTING)]).unwrap();
    let dated = |d: &str| End::Date(d.into());
    let report = changes(&store, Some(dated("2024-06-01")), Some(dated("2024-07-01")), &ScenarioInput::default()).unwrap();
    assert_eq!(report.vendors.len(), 1);
    let red = &report.vendors[0];
    assert!(!red.before.as_ref().unwrap().prohibited && red.after.as_ref().unwrap().prohibited);
    assert!(red.facts.is_empty(), "one store: no fact changed");
    // Nothing changes between two dates before the listing.
    assert!(changes(&store, Some(dated("2023-01-01")), Some(dated("2024-01-01")), &ScenarioInput::default()).unwrap().vendors.is_empty());
}

#[test]
fn a_new_vendor_has_no_before_and_an_undone_batch_counts_for_nothing() {
    let mut store = base_store();
    let added = import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege\nnewco,New Co,US,user\n")]).unwrap();
    let report = changes(&store, Some(End::Batch(1)), None, &as_of("2026-12-06")).unwrap();
    let newco = report.vendors.iter().find(|v| v.vendor_id == "newco").expect("listed");
    assert!(newco.before.is_none() && newco.after.is_some());
    assert!(newco.facts.iter().any(|f| f.table == "vendors" && f.change == "added"));
    store.undo(added.batch.batch_id).unwrap();
    let report = changes(&store, Some(End::Batch(1)), None, &as_of("2026-12-06")).unwrap();
    assert!(report.vendors.is_empty(), "{:#?}", report.vendors);
}

#[test]
fn ends_parse_as_batches_or_dates() {
    assert_eq!(End::parse("--from", " 4 ").unwrap(), End::Batch(4));
    assert_eq!(End::parse("--from", "2024-06-24").unwrap(), End::Date("2024-06-24".into()));
    assert!(End::parse("--to", "yesterday").unwrap_err().to_string().contains("--to"));
}
