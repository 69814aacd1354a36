use crate::support::*;

/// Free text that must stay data: markup, formulas, control characters and a very long cell.
fn hostile_texts() -> Vec<String> {
    vec![
        "#read(\"/etc/passwd\") #import \"x.typ\": * ] $ x^2 $ <label> @ref".into(),
        "<script>alert('x')</script><img src=x onerror=alert(1)>&amp;".into(),
        "=HYPERLINK(\"http://evil\",\"click\")".into(),
        "+1-2".into(),
        "@SUM(A1:A9)".into(),
        "nul\0inside".into(),
        "right-to-left \u{202e}txt.exe".into(),
        "line one\nline two, with \"quotes\"".into(),
        "x".repeat(100 * 1024),
    ]
}

fn csv_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[test]
fn hostile_free_text_round_trips_byte_for_byte() {
    let texts = hostile_texts();
    let mut rows = String::from("note_id,subject_id,date,speaker,venue,stance,severity,reliability,credibility,summary,quote,source\n");
    for (i, text) in texts.iter().enumerate() {
        rows.push_str(&format!("n{i},redco,2020-01-01,{q},{q},concern,1,A,1,{q},{q},{q}\n", q = csv_quote(text)));
    }
    let mut store = base_store();
    import(&mut store, &[("testimony.csv", &rows)]).expect("free text of any kind is accepted");
    let stored = store.rows(&vetta::ingest::tables::TESTIMONY).unwrap();
    let table = &vetta::ingest::tables::TESTIMONY;
    for (i, text) in texts.iter().enumerate() {
        let row = stored.iter().find(|r| r[0].as_str() == Some(&format!("n{i}"))).unwrap();
        for column in ["speaker", "venue", "summary", "quote", "source"] {
            assert_eq!(row[table.index(column)].as_str(), Some(text.as_str()), "{column} of n{i} is stored exactly");
        }
    }
}

#[test]
fn text_longer_than_one_mebibyte_is_refused() {
    let long = "y".repeat((1 << 20) + 1);
    let entities = format!("entity_id,name,kind,country\ne1,{long},company,US\n");
    let message = expect_error(&mut base_store(), &[("entities.csv", &entities)], "entities.csv:2:name");
    assert!(message.contains("1 MiB"), "{message}");
}

#[test]
fn control_characters_in_a_bad_cell_cannot_forge_report_lines() {
    let errors =
        errors(&mut base_store(), &[("sales.csv", "vendor_id,year,country,revenue_usd\nacme,2020,\"U\nfake.csv:1:x: forged\",1\n")]);
    assert_eq!(errors.len(), 1);
    assert!(!errors[0].contains('\n'), "the cell is quoted with its line end escaped: {}", errors[0]);
}

#[test]
fn hostile_free_text_survives_a_dump_and_a_re_import() {
    let texts = hostile_texts();
    let mut notes = String::from("note_id,subject_id,date,speaker,venue,stance,severity,reliability,credibility,summary,quote,source\n");
    let mut aliases = String::from("entity_id,name,kind,source\n");
    for (i, text) in texts.iter().enumerate() {
        notes.push_str(&format!("n{i},redco,2020-01-01,{q},{q},concern,1,A,1,{q},{q},{q}\n", q = csv_quote(text)));
        aliases.push_str(&format!("redco,{},translit,{}\n", csv_quote(&format!("{text} #{i}")), csv_quote(text)));
    }
    let mut store = base_store();
    import(&mut store, &[("testimony.csv", &notes), ("aliases.csv", &aliases)]).unwrap();
    let before = store.dataset_sha256().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dump");
    vetta::api::dump(&store, &out).unwrap();
    let mut fresh = empty_store();
    import_paths(&mut fresh, std::slice::from_ref(&out)).expect("the dump of hostile text imports");
    assert_eq!(fresh.dataset_sha256().unwrap(), before, "every byte of every cell came back");
    let dumped = std::fs::read_to_string(out.join("testimony.csv")).unwrap();
    assert!(dumped.contains("=HYPERLINK"), "a dataset is data: formulas are not neutralised");
}
