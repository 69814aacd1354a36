use vetta::api::{self, LinkDecision};
use vetta::store::Store;

use crate::support::*;

/// Two vendors, an owner of one, and entities from other sources: a designated look-alike of each.
fn screening_store() -> Store {
    let mut store = empty_store();
    import(
        &mut store,
        &[
            ("vendors.csv", "vendor_id,name,hq_country,privilege\nkasp,Kaspersky Lab,RU,kernel\nacme,Acme Widgets Inc.,US,admin\n"),
            (
                "entities.csv",
                "entity_id,name,kind,country\nholdco,Kaspersky Holding Management Ltd,company,GB\n\
                 csl:1,AO Kaspersky Lab,company,RU\ncsl:2,OOO Kaspersky Group,company,RU\n\
                 csl:3,Kaspersky Holding Management Limited,company,XRW\nofac:9,Acme Widgets LLC,company,IR\n\
                 ofac:10,Nothing Alike Trading,company,IR\n",
            ),
            ("ownership.csv", "from_id,to_id,relation,share,tie_kind,source\nholdco,kasp,equity,1,,test\n"),
            ("identifiers.csv", "entity_id,scheme,value,source\nacme,US-SAM-UEI,ABC123DEF456,test\nofac:10,US-SAM-UEI,ABC123DEF456,test\n"),
            ("aliases.csv", "entity_id,name,kind,source\ncsl:1,Лаборатория Касперского,translit,test\n"),
        ],
    )
    .expect("the screening dataset imports");
    store
}

fn pairs(report: &api::ScreenReport) -> Vec<(String, String, Option<String>)> {
    report.candidates.iter().map(|c| (c.entity_id.clone(), c.other_id.clone(), c.vendor_id.clone())).collect()
}

fn decide(store: &mut Store, a: &str, b: &str, decision: &str) -> Result<api::ImportOutcome, vetta::Error> {
    let decision = LinkDecision {
        entity_id: a.into(),
        other_id: b.into(),
        decision: decision.into(),
        decided_by: "ana".into(),
        basis: Some("BIS Entity List, 89 FR 52362".into()),
    };
    api::link(store, &[decision], chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap())
}

#[test]
fn the_book_holds_vendors_and_their_owners_and_meets_every_other_entity() {
    let store = screening_store();
    let report = api::screen(&store, &[], 0.7).unwrap();
    assert_eq!((report.book, report.others), (3, 5), "kasp, acme and holdco; the five published entities");
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        pairs(&report),
        [
            ("acme".into(), "ofac:10".into(), some("acme")),
            ("holdco".into(), "csl:3".into(), None),
            ("kasp".into(), "csl:1".into(), some("kasp")),
            ("acme".into(), "ofac:9".into(), some("acme")),
        ]
    );
    assert_eq!(report.candidates[0].score, 1.0);
    assert_eq!(report.candidates[0].reasons[0], "same identifier US-SAM-UEI ABC123DEF456");
    // Acme Widgets LLC in Iran: the name agrees, the country and the legal form do not.
    let acme = &report.candidates[3];
    assert_eq!(acme.score, 0.7);
    assert_eq!(
        acme.reasons,
        [
            "names \"Acme Widgets Inc.\" and \"Acme Widgets LLC\" agree at 1.00 (legal form set aside: inc, llc)",
            "countries differ: US and IR (−0.20)",
            "legal forms differ: corporation and limited liability company (−0.10)",
        ]
    );
    assert!(api::screen(&store, &[], 0.71).unwrap().candidates.iter().all(|c| c.other_id != "ofac:9"));
    // One vendor's book only.
    let only = api::screen(&store, &["acme".to_string()], 0.7).unwrap();
    assert_eq!(pairs(&only), [("acme".into(), "ofac:10".into(), some("acme")), ("acme".into(), "ofac:9".into(), some("acme"))]);
}

#[test]
fn a_same_link_joins_the_groups_and_a_different_one_silences_the_pair_both_undoable() {
    let mut store = screening_store();
    let linked = decide(&mut store, "kasp", "csl:1", "same").unwrap();
    assert_eq!(linked.batch.label, "link");
    let report = api::screen(&store, &[], 0.7).unwrap();
    assert!(!report.candidates.iter().any(|c| c.other_id == "csl:1"), "linked: no longer a candidate");
    assert_eq!(report.others, 4);
    // The group carries csl:1's alias now: the Cyrillic name is the vendor's too.
    let rejected = decide(&mut store, "holdco", "csl:3", "different").unwrap();
    let report = api::screen(&store, &[], 0.0).unwrap();
    assert!(!report.candidates.iter().any(|c| c.entity_id == "holdco" && c.other_id == "csl:3"));
    let links = api::links(&store).unwrap().links;
    assert_eq!(links.len(), 2);
    assert_eq!((links[0].entity_id.as_str(), links[0].other_id.as_str(), links[0].decided_on.as_str()), ("csl:1", "kasp", "2026-12-06"));
    assert_eq!(links[1].decision, "different");
    store.undo(rejected.batch.batch_id).unwrap();
    store.undo(linked.batch.batch_id).unwrap();
    let report = api::screen(&store, &[], 0.7).unwrap();
    assert_eq!(report.candidates.len(), 4, "both pairs proposed again");
    assert!(api::links(&store).unwrap().links.is_empty());
}

#[test]
fn a_link_that_breaks_the_rules_is_refused_whole() {
    let mut store = screening_store();
    let Err(vetta::Error::Rejected(report)) = decide(&mut store, "kasp", "acme", "same") else { panic!("two vendors joined") };
    assert!(report.errors[0].to_string().starts_with("links.csv:2:other_id"), "{}", report.errors[0]);
    assert!(decide(&mut store, "kasp", "nobody", "same").is_err());
    assert!(api::links(&store).unwrap().links.is_empty());
}

#[test]
fn bad_screen_arguments_are_errors() {
    let store = screening_store();
    assert!(api::screen(&store, &["nobody".to_string()], 0.7).unwrap_err().to_string().contains("unknown vendor"));
    assert!(api::screen(&store, &[], 1.5).unwrap_err().to_string().contains("between 0 and 1"));
}

/// The published fixtures (US lists, GLEIF, BODS, FtM) imported into an empty store: the universe
/// the labelled set's queries are matched against.
pub fn fixture_universe() -> Vec<vetta::screening::Party> {
    let mut store = empty_store();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/published");
    for part in vetta::screening::evaluate::UNIVERSE_FIXTURES {
        import_paths(&mut store, &[root.join(part)]).unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    store.screening_input(&[]).unwrap().others
}

#[test]
fn the_labelled_set_is_matched_with_high_precision_and_recall() {
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screening/labelled.csv")).unwrap();
    let queries = vetta::screening::evaluate::read_labelled(&text).unwrap();
    let others = fixture_universe();
    assert!(others.len() > 50, "{}", others.len());
    // Every expected id is in the universe (a typo in the set would count as a miss forever).
    for query in &queries {
        for id in &query.expected {
            assert!(others.iter().any(|o| &o.id == id), "{id} is not in the universe");
        }
    }
    let e = vetta::screening::evaluate::evaluate(&queries, &others, vetta::screening::DEFAULT_MIN_SCORE);
    assert!(e.positives >= 60 && e.negatives >= 30, "{} positives, {} negatives", e.positives, e.negatives);
    eprintln!(
        "labelled set: {} positives, {} negatives; found {}, wrong {}, missed {}",
        e.positives, e.negatives, e.found, e.wrong, e.missed
    );
    for failure in &e.failures {
        eprintln!("  {failure}");
    }
    assert!(e.precision() >= 0.99, "precision {:.3}: {:#?}", e.precision(), e.failures);
    assert!(e.recall() >= 0.95, "recall {:.3}: {:#?}", e.recall(), e.failures);
}

/// The demo's Kaspersky case as a new store holds it: the US lists imported in their own formats,
/// the vendor linked to the Entity List's and the FCC's AO Kaspersky Lab, the executives designated
/// by OFAC and the company not, and one related company still to review.
#[test]
fn the_demo_case_is_told_from_the_public_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = api::open_store(&dir.path().join("vetta.db")).unwrap();
    let designations = vetta::ingest::tables::by_name("designations").unwrap();
    let col = |name: &str| designations.index(name);
    let rows = store.rows(designations).unwrap();
    let text = |row: &Vec<vetta::model::Value>, name: &str| row[col(name)].as_str().unwrap_or_default().to_string();
    let ofac: Vec<_> = rows.iter().filter(|r| text(r, "list") == "US-OFAC-SDN").collect();
    assert_eq!(ofac.len(), 12, "twelve executives");
    for row in &ofac {
        assert_eq!((text(row, "effective"), text(row, "program")), ("2024-06-21".to_string(), "RUSSIA-EO14024".to_string()));
        assert!(text(row, "source").contains("press release of 2024-06-21"), "{}", text(row, "source"));
    }
    let identity = store.identity("kaspersky").unwrap().unwrap();
    assert!(ofac.iter().all(|r| !identity.group.contains(&text(r, "subject_id"))), "the company itself was not designated by OFAC");
    let entity_list: Vec<String> = rows.iter().filter(|r| text(r, "list") == "US-BIS-ENTITY").map(|r| text(r, "effective")).collect();
    assert_eq!(entity_list, ["2024-06-24"; 3], "89 FR 52362: three entities");
    assert!(rows.iter().all(|r| !text(r, "source").is_empty()), "every listing cites its document");
    assert!(
        rows.iter().all(|r| !text(r, "list").starts_with("US-") || !text(r, "source").starts_with("Fictional")),
        "fictional listings are on DEMO- lists"
    );

    let screen = api::screen(&store, &[], 0.7).unwrap();
    let found: Vec<(&str, &str, f64)> = screen.candidates.iter().map(|c| (c.entity_id.as_str(), c.other_id.as_str(), c.score)).collect();
    assert_eq!(found, [("kaspersky", "fcc:kaspersky-lab-inc", 0.9)], "the US company, whose legal form differs from AO's");

    let changes = vetta::changes::changes(&store, None, None, &Default::default()).unwrap();
    let [kaspersky] = changes.vendors.as_slice() else { panic!("only Kaspersky changed: {:?}", changes.vendors) };
    let (before, after) = (kaspersky.before.as_ref().unwrap(), kaspersky.after.as_ref().unwrap());
    assert!(!before.designations.contains(&"US-BIS-ENTITY".to_string()) && !before.designations.contains(&"US-FCC-COVERED".to_string()));
    assert!(after.designations.contains(&"US-BIS-ENTITY".to_string()) && after.designations.contains(&"US-FCC-COVERED".to_string()));
    assert_eq!(before.score, after.score, "the designations factor was already 1");
    let facts: Vec<(&str, &str)> = kaspersky.facts.iter().map(|f| (f.table.as_str(), f.change.as_str())).collect();
    assert_eq!(facts.iter().filter(|f| **f == ("links", "added")).count(), 2, "two links added: {facts:?}");
    assert_eq!(facts.iter().filter(|f| **f == ("designations", "added")).count(), 2, "and the two listings they bring: {facts:?}");
}
