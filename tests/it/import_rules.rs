use crate::support::*;

/// Imports `files` on top of the base store and expects an error at `location`; the message must
/// contain `needle`.
fn check(files: &[(&str, &str)], location: &str, needle: &str) {
    let mut store = base_store();
    let message = expect_error(&mut store, files, location);
    assert!(message.contains(needle), "the error at {location} should mention {needle:?}, got {message:?}");
}

fn sales(rows: &str) -> String {
    format!("vendor_id,year,country,segment,revenue_usd\n{rows}")
}

fn ownership(rows: &str) -> String {
    format!("from_id,to_id,relation,share,tie_kind,strength,confidence,since,until,source\n{rows}")
}

fn testimony(rows: &str) -> String {
    format!("note_id,subject_id,date,speaker,stance,severity,reliability,credibility,summary,source\n{rows}")
}

#[test]
fn the_spec_example_share_above_one_is_located_exactly() {
    let rows = (2..14).map(|_| String::new()).collect::<Vec<_>>().join("\n");
    let text = format!("from_id,to_id,relation,share,source\n{rows}\nstate,holding,equity,1.4,s\n");
    check(&[("ownership.csv", &text)], "ownership.csv:14:share", "1.4 is above 1");
}

#[test]
fn cell_rules() {
    let bad_cells: &[(&str, &str, &str, &str)] = &[
        ("sales.csv", "acme,2020,UK,other,1", "sales.csv:2:country", "ISO 3166-1"),
        ("sales.csv", "acme,2020,us,other,1", "sales.csv:2:country", "ISO 3166-1"),
        ("sales.csv", "acme,0,US,other,1", "sales.csv:2:year", "year"),
        ("sales.csv", "acme,10000,US,other,1", "sales.csv:2:year", "year"),
        ("sales.csv", "acme,2020,US,retail,1", "sales.csv:2:segment", "not one of"),
        ("sales.csv", "acme,2020,US,Other,1", "sales.csv:2:segment", "not one of"),
        ("sales.csv", "acme,2020,US,other,\"1,000\"", "sales.csv:2:revenue_usd", "not a decimal"),
        ("sales.csv", "acme,2020,US,other,5%", "sales.csv:2:revenue_usd", "not a decimal"),
        ("sales.csv", "acme,2020,US,other,NaN", "sales.csv:2:revenue_usd", "not a decimal"),
        ("sales.csv", "acme,2020,US,other,inf", "sales.csv:2:revenue_usd", "not a decimal"),
        ("sales.csv", "acme,2020,US,other,1e400", "sales.csv:2:revenue_usd", "not finite"),
        ("sales.csv", "acme,2020,US,other,-1", "sales.csv:2:revenue_usd", "below 0"),
        ("sales.csv", "acme,2020,US,other,", "sales.csv:2:revenue_usd", "required"),
        ("sales.csv", "Acme,2020,US,other,1", "sales.csv:2:vendor_id", "not a vendor"),
        ("sales.csv", "acme co,2020,US,other,1", "sales.csv:2:vendor_id", "not a valid id"),
    ];
    for (file, row, location, needle) in bad_cells {
        let text = match *file {
            "sales.csv" => sales(row),
            _ => unreachable!(),
        };
        check(&[(file, &text)], location, needle);
    }
}

#[test]
fn dates_and_date_order() {
    check(&[("ownership.csv", &ownership("state,holding,equity,0.5,,,,2023-02-29,,s"))], "ownership.csv:2:since", "calendar date");
    check(&[("ownership.csv", &ownership("state,holding,equity,0.5,,,,2023-02-01,2023-01-31,s"))], "ownership.csv:2:until", "before since");
    let designations = "subject_id,list,effective,ends,source\nredco,US-X,2020-01-02,2020-01-01,s\n";
    check(&[("designations.csv", designations)], "designations.csv:2:ends", "before effective");
}

#[test]
fn integers_grades_and_enumerations() {
    let cases = [
        ("n1,redco,2020-01-01,Sp,concern,4,A,1,x,s", "testimony.csv:2:severity", "above 3"),
        ("n1,redco,2020-01-01,Sp,concern,1.0,A,1,x,s", "testimony.csv:2:severity", "not an integer"),
        ("n1,redco,2020-01-01,Sp,concern,1,a,1,x,s", "testimony.csv:2:reliability", "not one of"),
        ("n1,redco,2020-01-01,Sp,concern,1,G,1,x,s", "testimony.csv:2:reliability", "not one of"),
        ("n1,redco,2020-01-01,Sp,concern,1,A,0,x,s", "testimony.csv:2:credibility", "below 1"),
        ("n1,redco,2020-01-01,Sp,Concern,1,A,1,x,s", "testimony.csv:2:stance", "not one of"),
        ("n1,redco,2020-01-01,Sp,concern,1,A,1,,s", "testimony.csv:2:summary", "required"),
        ("n1,nobody,2020-01-01,Sp,concern,1,A,1,x,s", "testimony.csv:2:subject_id", "not an entity or vendor"),
    ];
    for (row, location, needle) in cases {
        check(&[("testimony.csv", &testimony(row))], location, needle);
    }
    let install = "vendor_id,year,country,users\nacme,2020,US,9223372036854775808\n";
    check(&[("install_base.csv", install)], "install_base.csv:2:users", "largest integer");
    let entities = "entity_id,name,kind,country,state_affiliated\ne1,E,company,RU,yes\n";
    check(&[("entities.csv", entities)], "entities.csv:2:state_affiliated", "not one of");
}

#[test]
fn ownership_row_rules() {
    check(&[("ownership.csv", &ownership("state,state,tie,,board,,,,,s"))], "ownership.csv:2:to_id", "itself");
    check(&[("ownership.csv", &ownership("state,holding,equity,,,,,,,s"))], "ownership.csv:2:share", "needs a share");
    check(&[("ownership.csv", &ownership("state,holding,tie,,,,,,,s"))], "ownership.csv:2:tie_kind", "needs a tie_kind");
    check(&[("ownership.csv", &ownership("state,holding,equity,0.5,,,,,,"))], "ownership.csv:2:source", "required");
    // Columns that do not apply to the relation are still validated when given.
    check(&[("ownership.csv", &ownership("state,holding,tie,abc,board,,,,,s"))], "ownership.csv:2:share", "not a decimal");
    check(&[("ownership.csv", &ownership("state,holding,equity,0.5,friend,,,,,s"))], "ownership.csv:2:tie_kind", "not one of");
    check(&[("ownership.csv", &ownership("state,holding,tie,,board,1.5,,,,s"))], "ownership.csv:2:strength", "above 1");
}

#[test]
fn share_sums_are_reported_where_the_running_sum_first_exceeds_one() {
    let rows = "state,redco,equity,0.5,,,,,,s\nholding,redco,equity,0.4,,,,,,s\nacme,redco,equity,0.2,,,,,,s\n";
    check(&[("ownership.csv", &ownership(rows))], "ownership.csv:4:share", "sum to");
    // A handover: the old stake ends the day before the new one starts, so they never add up.
    let mut store = base_store();
    let handover = "state,redco,equity,0.8,,,,,2021-12-31,s\nholding,redco,equity,0.8,,,,2022-01-01,,s\n";
    import(&mut store, &[("ownership.csv", &ownership(handover))]).expect("stakes that never overlap are accepted");
    // The stored stakes count too: a further 0.3 on a date both are in force is refused.
    let later = "acme,redco,equity,0.3,,,,2023-01-01,,s\n";
    let message = expect_error(&mut store, &[("ownership.csv", &ownership(later))], "ownership.csv:2:share");
    assert!(message.contains("2023-01-01"), "the message names the date: {message}");
}

#[test]
fn replacing_a_stake_does_not_count_it_twice() {
    let mut store = base_store();
    import(&mut store, &[("ownership.csv", &ownership("state,redco,equity,0.9,,,,,,s"))]).unwrap();
    import(&mut store, &[("ownership.csv", &ownership("state,redco,equity,0.95,,,,,,s"))])
        .expect("the new row replaces the stored one with the same key, so the sum is 0.95");
}

#[test]
fn vendor_rows() {
    let vendors = "vendor_id,name,hq_country,privilege,entity_id\nv2,V2,US,user,acme\n";
    check(&[("vendors.csv", vendors)], "vendors.csv:2:entity_id", "already the entity of vendor");
    let vendors = "vendor_id,name,hq_country,privilege,entity_id\nstate,V,RU,user,state-co\n";
    check(&[("vendors.csv", vendors)], "vendors.csv:2:vendor_id", "another entity");
    let vendors = "vendor_id,name,hq_country,privilege,entity_id\nv3,V3,US,user,holding\n";
    check(&[("vendors.csv", vendors)], "vendors.csv:2:hq_country", "differs from the country RU");
    let vendors = "vendor_id,name,hq_country,privilege\nv4,V4,US,Kernel\n";
    check(&[("vendors.csv", vendors)], "vendors.csv:2:privilege", "not one of");
    let vendors = "vendor_id,name,hq_country,privilege,mitigation\nv5,V5,US,user,0.31\n";
    check(&[("vendors.csv", vendors)], "vendors.csv:2:mitigation", "above 0.3");
}

#[test]
fn a_vendor_id_stands_for_its_entity_in_references() {
    let mut store = base_store();
    let vendors = "vendor_id,name,hq_country,privilege,entity_id\nv6,V6,RU,user,v6-entity\n";
    let edges = ownership("holding,v6,equity,0.7,,,,,,s");
    import(&mut store, &[("vendors.csv", vendors), ("ownership.csv", &edges)]).expect("the vendor id resolves to its entity");
    let rows = store.rows(&vetta::ingest::tables::OWNERSHIP).unwrap();
    assert_eq!(rows[0][1].as_str(), Some("v6-entity"), "references are stored as entity ids");
}

#[test]
fn ids_are_case_sensitive() {
    check(&[("ownership.csv", &ownership("STATE,holding,tie,,board,,,,,s"))], "ownership.csv:2:from_id", "not an entity");
}

#[test]
fn duplicates_are_reported_at_their_second_occurrence() {
    let rows =
        "n1,redco,2020-01-01,Sp,concern,1,A,1,x,s\nn2,redco,2020-01-01,Sp,concern,1,A,1,x,s\nn1,redco,2021-01-01,Sp,concern,1,A,1,y,s\n";
    let message = expect_error(&mut base_store(), &[("testimony.csv", &testimony(rows))], "testimony.csv:4:note_id");
    assert!(message.contains("line 2"), "the message names the first occurrence: {message}");
    // v1.3 keys ties by their kind too: the same pair and kind twice is the repeat.
    let edges = ownership("state,holding,tie,,board,,,,,s\nstate,holding,tie,,board,0.5,,,,t");
    check(&[("ownership.csv", &edges)], "ownership.csv:3:from_id", "repeats line 2");
}

#[test]
fn a_rejected_row_causes_no_follow_on_reference_errors() {
    let vendors = "vendor_id,name,hq_country,privilege\nnewco,New Co,Narnia,user\n";
    let sales = sales("newco,2020,US,other,5");
    let errors = errors(&mut base_store(), &[("vendors.csv", vendors), ("sales.csv", &sales)]);
    assert_eq!(errors.len(), 1, "only the bad country is reported, not the sales row naming newco: {errors:#?}");
    assert!(errors[0].starts_with("vendors.csv:2:hq_country: "));
}

#[test]
fn structure_errors_have_an_empty_column() {
    check(
        &[("sales.csv", "vendor_id,year,country,segment,revenue_usd,source\nacme,2020,US,other,1,s\nacme,2020,US,other,1,s,extra\n")],
        "sales.csv:3:",
        "row has 7 fields, header has 6",
    );
    check(&[("sales.csv", "")], "sales.csv:1:", "empty");
    check(&[("sales.csv", "\n\n")], "sales.csv:1:", "empty");
    check(&[("sales.csv", "vendor_id,year,,country,revenue_usd\n")], "sales.csv:1:", "header cell 3 is empty");
    check(&[("sales.csv", "vendor_id,year,year,country,revenue_usd\n")], "sales.csv:1:year", "named twice");
    check(&[("sales.csv", "vendor_id,year,country\nacme,2020,US\n")], "sales.csv:1:revenue_usd", "required column is missing");
}

#[test]
fn quoting_rules() {
    check(&[("entities.csv", "entity_id,name,kind,country\ne1,\"Bad\"x,company,US\n")], "entities.csv:2:name", "after a closing quote");
    check(&[("entities.csv", "entity_id,name,kind,country\ne1,\"never closed,company,US\n")], "entities.csv:2:name", "open at end of file");
    let mut store = base_store();
    let text =
        "\u{feff}entity_id,name,kind,country\r\n\r\ne1,\"Multi\r\nline, \"\"quoted\"\"\",company,US\r\n,,,\r\ne2,5\" floppy,company,US\r\n";
    import(&mut store, &[("entities.csv", text)])
        .expect("BOM, CRLF, blank and all-empty rows, embedded line ends and inner quotes are fine");
    let names: Vec<String> =
        store.rows(&vetta::ingest::tables::ENTITIES).unwrap().iter().map(|r| r[1].as_str().unwrap().to_string()).collect();
    assert!(names.contains(&"Multi\r\nline, \"quoted\"".to_string()), "{names:?}");
    assert!(names.contains(&"5\" floppy".to_string()), "a quote inside an unquoted field is ordinary text: {names:?}");
    // Line numbers are physical: the record after a two-line field starts two lines further on.
    let text = "entity_id,name,kind,country\ne1,\"a\nb\",company,US\ne2,x,company,Narnia\n";
    check(&[("entities.csv", text)], "entities.csv:4:country", "ISO");
}

#[test]
fn files_both_as_csv_and_gz_are_an_error() {
    let dir = folder(&[("sales.csv", &sales("acme,2020,US,other,1"))]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, sales("acme,2020,US,other,1").as_bytes()).unwrap();
    std::fs::write(dir.path().join("sales.csv.gz"), gz.finish().unwrap()).unwrap();
    let mut store = base_store();
    match import_paths(&mut store, &[dir.path().to_path_buf()]) {
        Err(vetta::Error::Rejected(report)) => assert_eq!(report.errors[0].to_string().split(": ").next(), Some("sales.csv.gz:1:")),
        other => panic!("expected a rejection, got {:?}", other.map(|o| o.batch)),
    }
}

#[test]
fn gzip_files_import_and_bad_gzip_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, sales("acme,2020,US,other,1\nacme,2020,US,other,2.5").as_bytes()).unwrap();
    std::fs::write(dir.path().join("sales.csv.gz"), gz.finish().unwrap()).unwrap();
    let mut store = base_store();
    let outcome = import_paths(&mut store, &[dir.path().join("sales.csv.gz")]).expect("a gzip ledger imports");
    assert_eq!(outcome.batch.counts["sales"], 1, "the two rows share a key and are summed");
    let rows = store.rows(&vetta::ingest::tables::SALES).unwrap();
    assert_eq!(rows[0][4].as_f64(), Some(3.5));

    std::fs::write(dir.path().join("sales.csv.gz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    match import_paths(&mut store, &[dir.path().join("sales.csv.gz")]) {
        Err(vetta::Error::Rejected(report)) => {
            assert!(report.errors[0].to_string().starts_with("sales.csv.gz:1::"), "{}", report.errors[0])
        }
        other => panic!("expected a rejection, got {:?}", other.map(|o| o.batch)),
    }
}

#[test]
fn unknown_columns_and_files_are_warnings() {
    let mut store = base_store();
    let outcome =
        import(&mut store, &[("sales.csv", "vendor_id,year,country,revenue_usd,colour\nacme,2020,US,1,red\n"), ("notes.txt", "hello")])
            .expect("unknown columns and files do not fail an import");
    assert!(outcome.warnings.iter().any(|w| w.starts_with("sales.csv:1:colour: unknown column")), "{:?}", outcome.warnings);
    assert!(outcome.warnings.iter().any(|w| w.contains("notes.txt") && w.contains("skipped")), "{:?}", outcome.warnings);
}

#[test]
fn at_most_one_hundred_errors_are_listed_and_all_are_counted() {
    let rows: String = (0..150).map(|_| "acme,2020,ZZ,other,1\n").collect();
    let report = rejected(&mut base_store(), &[("sales.csv", &sales(&rows))]);
    assert_eq!(report.errors.len(), 100);
    assert_eq!(report.error_count, 150);
    assert_eq!(report.errors[99].line, 101, "errors come in file order");
}

#[test]
fn defaults_are_applied() {
    let mut store = empty_store();
    import(
        &mut store,
        &[
            ("entities.csv", "entity_id,name,kind,country\ns,S,state_body,CN\np,P,person,CN\n"),
            ("vendors.csv", "vendor_id,name,hq_country,privilege\nv,V,US,none\n"),
        ],
    )
    .unwrap();
    let entities = store.rows(&vetta::ingest::tables::ENTITIES).unwrap();
    assert_eq!(
        entities.iter().map(|r| r[4].as_i64()).collect::<Vec<_>>(),
        vec![Some(0), Some(1)],
        "state bodies default to state-affiliated (rows by id: p, s)"
    );
    let vendor = &store.rows(&vetta::ingest::tables::VENDORS).unwrap()[0];
    assert_eq!(vendor[4].as_str(), Some("v"), "entity_id defaults to vendor_id");
    assert_eq!(vendor[6].as_f64(), Some(0.0), "mitigation defaults to 0");
}

#[test]
fn sales_and_installs_with_the_same_key_are_summed() {
    let mut store = base_store();
    let install = "vendor_id,year,country,segment,users,organizations\nacme,2020,US,,10,\nacme,2020,US,other,5,2\nacme,2020,DE,,1,\n";
    let outcome = import(&mut store, &[("install_base.csv", install)]).unwrap();
    assert_eq!(outcome.batch.counts["install_base"], 2, "an empty segment is `other`, so two rows share a key");
    let rows = store.rows(&vetta::ingest::tables::INSTALL_BASE).unwrap();
    let us = rows.iter().find(|r| r[2].as_str() == Some("US")).unwrap();
    assert_eq!((us[4].as_i64(), us[5].as_i64()), (Some(15), Some(2)));
}

#[test]
fn workbooks_import_like_csv_with_excel_dates() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("designations").unwrap();
    for (col, name) in ["subject_id", "list", "effective", "ends", "source"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(1, 0, "redco").unwrap();
    sheet.write_string(1, 1, "US-BOD-17-01").unwrap();
    sheet.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2017, 9, 13).unwrap(), &date).unwrap();
    sheet.write_string(1, 3, "2030-01-01").unwrap();
    sheet.write_string(1, 4, "DHS").unwrap();
    let sheet = book.add_worksheet().set_name("sales").unwrap();
    for (col, name) in ["vendor_id", "year", "country", "revenue_usd"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "acme").unwrap();
    sheet.write_number(1, 1, 2016.0).unwrap();
    sheet.write_string(1, 2, "ZZ").unwrap();
    sheet.write_number(1, 3, 1.5).unwrap();
    book.save(&path).unwrap();

    let mut store = base_store();
    match import_paths(&mut store, std::slice::from_ref(&path)) {
        Err(vetta::Error::Rejected(report)) => {
            assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
            assert!(report.errors[0].to_string().starts_with("book.xlsx[sales]:2:country: "), "{}", report.errors[0]);
        }
        other => panic!("expected the bad country to be rejected, got {:?}", other.map(|o| o.batch)),
    }
}

#[test]
fn workbook_cells_become_the_text_a_csv_would_hold() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("entities").unwrap();
    for (col, name) in ["entity_id", "name", "kind", "country", "state_affiliated", "source_date"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "e1").unwrap();
    sheet.write_number(1, 1, 0.1).unwrap();
    sheet.write_string(1, 2, "company").unwrap();
    sheet.write_string(1, 3, "CN").unwrap();
    sheet.write_boolean(1, 4, true).unwrap();
    sheet
        .write_datetime_with_format(1, 5, ExcelDateTime::from_ymd(2024, 2, 29).unwrap(), &Format::new().set_num_format("d mmm yyyy"))
        .unwrap();
    book.save(&path).unwrap();
    let mut store = empty_store();
    import_paths(&mut store, &[path]).expect("the workbook imports");
    let row = &store.rows(&vetta::ingest::tables::ENTITIES).unwrap()[0];
    assert_eq!(row[1].as_str(), Some("0.1"), "numbers in their shortest decimal form");
    assert_eq!(row[4].as_i64(), Some(1), "boolean cells read as true/false");
    assert_eq!(row[7].as_str(), Some("2024-02-29"), "date cells as YYYY-MM-DD whatever their display format");
}
