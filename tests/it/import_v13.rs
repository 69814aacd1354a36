use crate::support::*;
use vetta::api;
use vetta::engine;
use vetta::scenario::ScenarioInput;

fn check(store: &mut vetta::store::Store, files: &[(&str, &str)], location: &str, needle: &str) {
    let message = expect_error(store, files, location);
    assert!(message.contains(needle), "the error at {location} should mention {needle:?}, got {message:?}");
}

const OWNERSHIP: &str = "from_id,to_id,relation,share,share_min,share_max,tie_kind,confidence,since,source\n";

#[test]
fn equity_is_a_share_or_a_range_and_ranges_default_their_missing_bound() {
    let mut store = base_store();
    for (row, location, needle) in [
        ("holding,acme,equity,0.3,0.2,,,,,s", "ownership.csv:2:share_min", "not both"),
        ("holding,acme,equity,0.3,,0.4,,,,s", "ownership.csv:2:share_max", "not both"),
        ("holding,acme,equity,,,,,,,s", "ownership.csv:2:share", "a share or a range"),
        ("holding,acme,equity,,0.5,0.25,,,,s", "ownership.csv:2:share_max", "below share_min"),
        ("holding,acme,equity,,1.5,,,,,s", "ownership.csv:2:share_min", "above 1"),
        ("holding,acme,tie,,,,,,,s", "ownership.csv:2:tie_kind", "needs a tie_kind"),
        ("holding,acme,tie,,,,owner,,,s", "ownership.csv:2:tie_kind", "not one of"),
    ] {
        check(&mut store, &[("ownership.csv", &format!("{OWNERSHIP}{row}\n"))], location, needle);
    }
    let text = format!("{OWNERSHIP}holding,acme,equity,,0.25,,,,,s\nstate,holding,equity,,,0.5,,,,s\nstate,acme,tie,,,,control,0.9,,s\n");
    import(&mut store, &[("ownership.csv", &text)]).expect("ranges with one bound and a control tie import");
    let rows = store.rows(&vetta::ingest::tables::OWNERSHIP).unwrap();
    let at = |name: &str| vetta::ingest::tables::OWNERSHIP.index(name);
    let ranges: Vec<(Option<f64>, Option<f64>)> = rows
        .iter()
        .filter(|r| r[at("relation")].as_str() == Some("equity"))
        .map(|r| (r[at("share_min")].as_f64(), r[at("share_max")].as_f64()))
        .collect();
    assert_eq!(ranges, [(Some(0.25), Some(1.0)), (Some(0.0), Some(0.5))], "a missing max is 1, a missing min 0");
}

#[test]
fn the_share_sum_rule_counts_the_low_points() {
    let mut store = base_store();
    // 0.6 + the range's low 0.3 = 0.9 is fine even though the high point would be 1.4.
    let ok = format!("{OWNERSHIP}holding,acme,equity,0.6,,,,,,s\nstate,acme,equity,,0.3,0.8,,,,s\n");
    import(&mut store, &[("ownership.csv", &ok)]).expect("low points sum to 0.9");
    let over = format!("{OWNERSHIP}redco,acme,equity,,0.2,0.3,,,,s\n");
    check(&mut store, &[("ownership.csv", &over)], "ownership.csv:2:share_min", "above 1");
}

#[test]
fn a_control_tie_and_a_board_tie_between_one_pair_are_two_rows() {
    let mut store = base_store();
    let text = format!("{OWNERSHIP}state,acme,tie,,,,control,1,,s\nstate,acme,tie,,,,board,1,,s\n");
    let outcome = import(&mut store, &[("ownership.csv", &text)]).expect("two tie kinds, two keys");
    assert_eq!(outcome.batch.counts["ownership"], 2);
    let repeat = format!("{OWNERSHIP}state,acme,tie,,,,control,1,,s\nstate,acme,tie,,,,control,0.5,,s\n");
    check(&mut store, &[("ownership.csv", &repeat)], "ownership.csv:3:from_id", "repeats line 2");
}

#[test]
fn designations_take_a_program_and_a_precision() {
    let mut store = base_store();
    let head = "subject_id,list,effective,effective_precision,program,source\n";
    check(
        &mut store,
        &[("designations.csv", &format!("{head}redco,US-OFAC-SDN,2024-01-01,approximately,,s\n"))],
        "designations.csv:2:effective_precision",
        "not one of",
    );
    let text =
        format!("{head}redco,US-OFAC-SDN,2024-01-01,on_or_before,CYBER2; ELECTION-EO13848,s\nstate,US-BIS-ENTITY,2024-06-24,exact,,s\n");
    import(&mut store, &[("designations.csv", &text)]).expect("both precisions import");
    let rows = store.rows(&vetta::ingest::tables::DESIGNATIONS).unwrap();
    let at = |name: &str| vetta::ingest::tables::DESIGNATIONS.index(name);
    let precisions: Vec<Option<&str>> = rows.iter().map(|r| r[at("effective_precision")].as_str()).collect();
    assert_eq!(precisions, [Some("on_or_before"), None], "exact is the default and is stored as such (empty)");
}

#[test]
fn identifiers_check_schemes_lengths_and_lei_digits() {
    let mut store = base_store();
    let head = "entity_id,scheme,value,source\n";
    for (row, location, needle) in [
        ("acme,lei,529900T8BM49AURSDO55,s", "identifiers.csv:2:scheme", "not an identifier scheme"),
        ("acme,L,X,s", "identifiers.csv:2:scheme", "not an identifier scheme"),
        ("acme,LEI,529900T8BM49AURSDO56,s", "identifiers.csv:2:value", "check digits"),
        ("acme,LEI,529900t8bm49aursdo55,s", "identifiers.csv:2:value", "upper case"),
        ("acme,LEI,529900T8BM49AURSDO5,s", "identifiers.csv:2:value", "not an LEI"),
        ("nobody,LEI,529900T8BM49AURSDO55,s", "identifiers.csv:2:entity_id", "not an entity or vendor"),
    ] {
        check(&mut store, &[("identifiers.csv", &format!("{head}{row}\n"))], location, needle);
    }
    let long = "x".repeat(257);
    check(&mut store, &[("identifiers.csv", &format!("{head}acme,DUNS,{long},s\n"))], "identifiers.csv:2:value", "at most 256 bytes");
    let repeat = format!("{head}acme,RU-INN,7713140469,s\nacme,RU-INN,7713140469,t\n");
    check(&mut store, &[("identifiers.csv", &repeat)], "identifiers.csv:3:value", "repeats line 2");
    // A valid LEI (ISO 17442 check digits) and an id given by vendor id resolve to the entity.
    import(&mut store, &[("identifiers.csv", &format!("{head}acme,LEI,529900T8BM49AURSDO55,s\nredco,RU-INN,7713140469,s\n"))])
        .expect("valid identifiers");
}

#[test]
fn aliases_default_to_aka_and_repeat_at_their_name() {
    let mut store = base_store();
    let head = "entity_id,name,kind,source\n";
    check(&mut store, &[("aliases.csv", &format!("{head}redco,Ред Ко,alias,s\n"))], "aliases.csv:2:kind", "not one of");
    check(
        &mut store,
        &[("aliases.csv", &format!("{head}redco,Red Company,,s\nredco,Red Company,fka,s\n"))],
        "aliases.csv:3:name",
        "repeats line 2",
    );
    import(&mut store, &[("aliases.csv", &format!("{head}redco,Ред Ко,translit,s\nredco,Red Company,,s\n"))]).expect("aliases import");
    let rows = store.rows(&vetta::ingest::tables::ALIASES).unwrap();
    assert!(rows.iter().any(|r| r[1].as_str() == Some("Red Company") && r[2].as_str() == Some("aka")), "{rows:?}");
}

const LINKS: &str = "entity_id,other_id,decision,decided_by,decided_on,basis\n";

#[test]
fn links_are_unordered_pairs_that_never_join_two_vendors() {
    let mut store = base_store();
    let entities = "entity_id,name,kind,country\nk1,Kay One,company,RU\nk2,Kay Two,company,RU\n";
    import(&mut store, &[("entities.csv", entities)]).unwrap();
    for (rows, location, needle) in [
        ("acme,acme,same,ana,2026-01-01,", "links.csv:2:other_id", "itself"),
        ("k1,nobody,same,ana,2026-01-01,", "links.csv:2:other_id", "not an entity or vendor"),
        ("k1,k2,maybe,ana,2026-01-01,", "links.csv:2:decision", "not one of"),
        ("k1,k2,same,,2026-01-01,", "links.csv:2:decided_by", "required"),
        ("k1,k2,same,ana,2026-01-01,\nk2,k1,different,bo,2026-01-02,", "links.csv:3:other_id", "repeats line 2"),
        ("acme,k1,same,ana,2026-01-01,\nk1,k2,same,ana,2026-01-01,\nk2,redco,same,ana,2026-01-01,", "links.csv:4:other_id", "vendors"),
    ] {
        check(&mut store, &[("links.csv", &format!("{LINKS}{rows}\n"))], location, needle);
    }
    // A vendor and its own entity are one id: a link between them is a link to itself.
    let own = "vendor_id,name,hq_country,privilege,entity_id,source\nblue,Blue Ltd,GB,user,blue-ltd,s\n";
    let own_entity = "entity_id,name,kind,country\nblue-ltd,Blue Ltd,company,GB\n";
    check(
        &mut store,
        &[("vendors.csv", own), ("entities.csv", own_entity), ("links.csv", &format!("{LINKS}blue,blue-ltd,same,ana,2026-01-01,\n"))],
        "links.csv:2:other_id",
        "itself",
    );

    let ok = format!("{LINKS}k2,acme,same,ana,2026-01-01,same LEI\nk1,redco,same,ana,2026-01-01,\nk1,k2,different,bo,2026-01-02,\n");
    import(&mut store, &[("links.csv", &ok)]).expect("two groups, one per vendor, and a different link");
    let rows = store.rows(&vetta::ingest::tables::LINKS).unwrap();
    let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str().unwrap(), r[1].as_str().unwrap())).collect();
    assert_eq!(pairs, [("acme", "k2"), ("k1", "k2"), ("k1", "redco")], "stored as pairs in byte order");
    // Now joining the two groups, through a new link or by turning the different link into a same one,
    // is refused, naming both vendors.
    let join = format!("{LINKS}k1,k2,same,cy,2026-02-01,\n");
    let message = expect_error(&mut store, &[("links.csv", &join)], "links.csv:2:other_id");
    assert!(message.contains("\"acme\"") && message.contains("\"redco\""), "{message}");
}

#[test]
fn a_different_link_inside_a_same_group_is_a_warning() {
    let mut store = base_store();
    let entities = "entity_id,name,kind,country\nk1,Kay One,company,RU\nk2,Kay Two,company,RU\n";
    let links = format!("{LINKS}k1,k2,same,ana,2026-01-01,\nk2,holding,same,ana,2026-01-01,\nk1,holding,different,bo,2026-01-01,\n");
    let outcome = import(&mut store, &[("entities.csv", entities), ("links.csv", &links)]).expect("a warning, not an error");
    assert!(outcome.warnings.iter().any(|w| w.starts_with("links.csv:4:other_id")), "{:?}", outcome.warnings);
}

#[test]
fn a_vendor_row_that_moves_an_entity_into_another_vendors_group_is_the_stores_conflict() {
    let mut store = base_store();
    let entities = "entity_id,name,kind,country\nk1,Kay One,company,US\n";
    import(&mut store, &[("entities.csv", entities), ("links.csv", &format!("{LINKS}acme,k1,same,ana,2026-01-01,\n"))]).unwrap();
    // A new vendor whose entity is k1 would put two vendors (acme, newco) in one group.
    let vendors = "vendor_id,name,hq_country,privilege,entity_id,source\nnewco,New Co,US,user,k1,s\n";
    check(&mut store, &[("vendors.csv", vendors)], "(store):1:", "\"acme\" and \"newco\"");
}

#[test]
fn undo_is_refused_when_it_would_leave_a_link_or_identifier_dangling() {
    let mut store = empty_store();
    let first = import(&mut store, &[("vendors.csv", VENDORS), ("entities.csv", ENTITIES)]).unwrap().batch.batch_id;
    let entities = "entity_id,name,kind,country\nk1,Kay One,company,RU\n";
    let second = import(&mut store, &[("entities.csv", entities)]).unwrap().batch.batch_id;
    import(
        &mut store,
        &[
            ("links.csv", &format!("{LINKS}k1,redco,same,ana,2026-01-01,\n")),
            ("identifiers.csv", "entity_id,scheme,value,source\nk1,RU-INN,7713140469,s\n"),
        ],
    )
    .unwrap();
    let refused = store.undo(second).expect_err("k1 is linked and identified");
    let text = refused.to_string();
    assert!(text.contains("k1"), "{text}");
    let _ = first;
}

#[test]
fn a_v12_store_keeps_its_hash_and_scores_through_the_v13_migration() {
    // The demo dataset has no v1.3 column: its hash and numbers are v1.2's.
    let store = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let store = api::init_store(&path, false).unwrap();
        std::mem::forget(dir);
        store
    };
    assert_eq!(store.schema_version().unwrap(), 3, "every migration applied");
    let report = engine::score(&store, &ScenarioInput { as_of: Some("2026-11-27".into()), ..ScenarioInput::default() }).unwrap();
    assert!(report.vendors.iter().all(|v| !v.possibly_prohibited && v.possible_designations.is_empty()));
}

#[test]
fn dump_imports_back_to_the_same_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let store = api::init_store(&dir.path().join("demo.db"), false).unwrap();
    let mut extra = store;
    // v1.3 rows on top of the demo, with hostile text.
    let entities =
        "entity_id,name,kind,country,notes\nk1,\"=HYPERLINK(\"\"http://x\"\")\",company,RU,\"line one\nline two, with a comma\"\n";
    let ownership =
        format!("{OWNERSHIP}k1,kaspersky,equity,,0.01,0.02,,,2020-01-01,\"\"\"quoted\"\" source\"\nk1,kaspersky,tie,,,,control,0.8,,s\n");
    import(
        &mut extra,
        &[
            ("entities.csv", entities),
            ("ownership.csv", &ownership),
            ("aliases.csv", "entity_id,name,kind,source\nk1,Кей Уан,translit,s\n"),
            ("links.csv", &format!("{LINKS}k1,lotusgate,different,ana,2026-01-01,@SUM(1)\n")),
        ],
    )
    .unwrap();
    let before = extra.dataset_sha256().unwrap();
    let out = dir.path().join("dump");
    let dumped = api::dump(&extra, &out).unwrap();
    assert_eq!(dumped.dataset_sha256, before);
    assert!(dumped.files.iter().any(|(f, _)| f == "links.csv"));
    let mut fresh = empty_store();
    import_paths(&mut fresh, std::slice::from_ref(&out)).expect("the dump imports into an empty store");
    assert_eq!(fresh.dataset_sha256().unwrap(), before, "the same facts, the same hash");
    assert!(api::dump(&extra, &out).is_err(), "a folder that is not empty is refused");
}

#[test]
fn the_basis_spread_names_the_vendors_whose_band_depends_on_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = api::init_store(&dir.path().join("demo.db"), false).unwrap();
    let none = engine::basis_spread(&store, &ScenarioInput::default()).unwrap();
    assert!(!none.ranged && none.vendors.is_empty(), "the demo has no range");
    // A state body of concern holding 0–100 % of Harbor Byte: its ownership factor spans 0 to 1.
    let entities = "entity_id,name,kind,country\nstate-x,State X,state_body,RU\n";
    let ownership = format!("{OWNERSHIP}state-x,harborbyte,equity,,0,1,,,,s\n");
    import(&mut store, &[("entities.csv", entities), ("ownership.csv", &ownership)]).unwrap();
    let spread = engine::basis_spread(&store, &ScenarioInput::default()).unwrap();
    assert!(spread.ranged);
    let harbor = spread.vendors.iter().find(|v| v.vendor_id == "harborbyte").expect("Harbor Byte changes band");
    assert_ne!(harbor.low, harbor.high);
    assert!(spread.vendors.iter().all(|v| v.vendor_id == "harborbyte"), "only the vendor with the range moves");
}

#[test]
fn the_new_tables_come_as_workbook_sheets_too() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("identifiers").unwrap();
    for (col, name) in ["entity_id", "scheme", "value", "source"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    for (col, cell) in ["redco", "RU-INN", "7713140469", "register"].iter().enumerate() {
        sheet.write_string(1, col as u16, *cell).unwrap();
    }
    let sheet = book.add_worksheet().set_name("links").unwrap();
    for (col, name) in ["entity_id", "other_id", "decision", "decided_by", "decided_on"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    for (col, cell) in ["redco", "holding", "different", "Ana"].iter().enumerate() {
        sheet.write_string(1, col as u16, *cell).unwrap();
    }
    sheet
        .write_datetime_with_format(1, 4, ExcelDateTime::from_ymd(2026, 11, 30).unwrap(), &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    book.save(&path).unwrap();
    let mut store = base_store();
    import_paths(&mut store, std::slice::from_ref(&path)).expect("the workbook's v1.3 sheets import");
    let links = store.rows(&vetta::ingest::tables::LINKS).unwrap();
    assert_eq!(links[0][4].as_str(), Some("2026-11-30"), "an Excel date cell reads as YYYY-MM-DD");
    assert_eq!(store.rows(&vetta::ingest::tables::IDENTIFIERS).unwrap().len(), 1);
}

#[test]
fn a_dump_appears_whole_in_a_new_or_an_empty_folder_and_leaves_nothing_beside_it() {
    let store = base_store();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    api::dump(&store, &empty).expect("an empty folder is filled");
    api::dump(&store, &dir.path().join("new/deeper")).expect("a new folder is made");
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "no staging folder is left: {names:?}");
    let mut files: Vec<String> =
        std::fs::read_dir(&empty).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["entities.csv", "vendors.csv"]);
}
