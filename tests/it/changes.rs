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

/// A Consolidated Screening List snapshot with these rows: (`_id`, list source, name, start, end).
fn csl(rows: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut text = String::from(
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,\
         license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,\
         remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n",
    );
    for (id, source, name, start, end) in rows {
        text.push_str(&format!("\"{id}\",\"{source}\",,,,\"{name}\",,\"RU\",\"test notice\",\"{start}\",\"{end}\",,,,,,,,,,,,,,,,,,\n"));
    }
    text
}

#[test]
fn the_next_snapshot_of_a_list_shows_ended_listings_and_keeps_those_not_seen_again() {
    const EL: &str = "Entity List (EL) - Bureau of Industry and Security";
    const DPL: &str = "Denied Persons List (DPL) - Bureau of Industry and Security";
    let mut store = base_store();
    let first = csl(&[("a", EL, "Red Co Ltd", "2024-01-01", ""), ("b", DPL, "Acme Corp", "2023-01-01", "")]);
    import(&mut store, &[("consolidated.csv", &first)]).unwrap();
    let links = "entity_id,other_id,decision,decided_by,decided_on\nredco,csl:a,same,ana,2026-01-02\nacme,csl:b,same,ana,2026-01-02\n";
    import(&mut store, &[("links.csv", links)]).unwrap();
    // The next snapshot ends Red Co's listing, no longer holds Acme's, and lists someone new.
    let next = csl(&[("a", EL, "Red Co Ltd", "2024-01-01", "2025-06-30"), ("c", EL, "Someone New Ltd", "2026-03-01", "")]);
    let outcome = import(&mut store, &[("consolidated.csv", &next)]).unwrap();
    assert!(outcome.notes.iter().any(|n| n.code == "not-seen" && n.message.contains("csl:b")), "{:?}", outcome.notes);

    let report = changes(&store, None, None, &as_of("2026-12-06")).unwrap();
    let vendor = |id: &str| report.vendors.iter().find(|v| v.vendor_id == id);
    // Acme's listing, not seen again, stands: its facts and lists are unchanged (its rank may move
    // as Red Co's falls).
    if let Some(acme) = vendor("acme") {
        assert!(acme.facts.is_empty(), "{:?}", acme.facts);
        assert_eq!(acme.before.as_ref().unwrap().designations, acme.after.as_ref().unwrap().designations);
        assert!(acme.after.as_ref().unwrap().prohibited);
    }
    let red = vendor("redco").expect("Red Co changed");
    assert!(red.before.as_ref().unwrap().prohibited && !red.after.as_ref().unwrap().prohibited, "the listing ended");
    assert_eq!(red.facts.len(), 1);
    assert_eq!((red.facts[0].table.as_str(), red.facts[0].change.as_str()), ("designations", "replaced"));
    assert_eq!(red.facts[0].key["subject_id"], "csl:a");
    assert!(red.lines().iter().any(|l| l == "No longer prohibited."), "{:?}", red.lines());
    // The new listing is the store's, not yet any vendor's: screening is where it meets them.
    assert!(store.rows(&vetta::ingest::tables::DESIGNATIONS).unwrap().iter().any(|r| r[0].as_str() == Some("csl:c")));
}
