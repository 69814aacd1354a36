//! Published files through `vetta check` / `vetta import`: recognised by content, staged, reported
//! as `file:LOCATION: code: message`, imported as one batch, mixed with Vetta tables.

use std::process::Command;

use crate::support::*;

const FTM: &str = include_str!("../fixtures/published/ftm/entities.ftm.json");

fn vetta(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(vetta_bin()).arg("--db").arg(db).args(args).env_remove("VETTA_DB").output().unwrap()
}

#[test]
fn check_prints_the_report_and_writes_nothing_then_import_keeps_it_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    assert!(vetta(&db, &["init", "--empty"]).status.success());
    // Recognised by content: the name says nothing.
    let data = folder(&[("export-2024.jsonl", FTM)]);
    let path = data.path().join("export-2024.jsonl");
    let out = vetta(&db, &["check", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("export-2024.jsonl:17: no-date: Sanction san-4"), "{stdout}");
    assert!(stdout.contains("export-2024.jsonl:21: bad-json: "), "{stdout}");
    assert!(stdout.contains("report: ") && stdout.ends_with("ok: no errors\n"), "{stdout}");
    let out = vetta(&db, &["batches", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().len(), 0, "check writes nothing");

    let report = dir.path().join("report.csv");
    let out = vetta(&db, &["import", path.to_str().unwrap(), "--report", report.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(outcome["batch"]["files"][0]["name"], "export-2024.jsonl", "the batch records the published file");
    assert_eq!(outcome["batch"]["files"][0]["table"], "ftm");
    assert!(outcome["notes"].as_array().unwrap().iter().any(|n| n["code"] == "stub-entity"));
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(csv.starts_with("file,location,code,message\r\n"), "{csv}");
    assert!(csv.contains("export-2024.jsonl,17,no-date,"), "{csv}");
    assert_eq!(csv.lines().count() - 1, outcome["notes"].as_array().unwrap().len());
}

#[test]
fn files_are_recognised_by_content_or_a_named_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    assert!(vetta(&db, &["init", "--empty"]).status.success());
    let data = folder(&[("data.txt", FTM), ("notes.csv", "a,b\n1,2\n")]);
    let path = data.path().join("data.txt");
    let out = vetta(&db, &["check", data.path().join("notes.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a file of no known shape alone is not an import");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Vetta table or published file"));
    let out = vetta(&db, &["check", path.to_str().unwrap()]);
    assert!(out.status.success(), "the content, not the name: {}", String::from_utf8_lossy(&out.stderr));
    let out = vetta(&db, &["check", "--format", "ftm", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = vetta(&db, &["check", "--format", "gml", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ofac-sdn"));
}

#[test]
fn published_files_mix_with_vetta_tables_and_undo_whole() {
    let mut store = empty_store();
    let before = fingerprint(&store);
    let vendors = "vendor_id,name,hq_country,privilege,entity_id\nnorthwind,Northwind Lab,RU,kernel,os:NK-demo-northwind-ao\n";
    let data = folder(&[("vendors.csv", vendors), ("feed.json", FTM)]);
    let outcome = import_paths(&mut store, &[data.path().to_path_buf()]).expect("the mix imports");
    assert!(!outcome.notes.is_empty());
    let names: Vec<&str> = outcome.batch.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["vendors.csv", "feed.json"]);
    let score = vetta::engine::score(&store, &Default::default()).unwrap();
    let northwind = score.vendors.iter().find(|v| v.vendor_id == "northwind").unwrap();
    assert!(
        northwind.designations.iter().any(|d| d == "US-BIS-ENTITY"),
        "the staged designation reaches the vendor: {:?}",
        northwind.designations
    );
    store.undo(outcome.batch.batch_id).unwrap();
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn a_vetta_table_and_published_rows_of_one_table_are_read_as_one() {
    let mut store = empty_store();
    // The folder's entities.csv and the feed both give entities: one reader, so a key given by both
    // is one error naming both places, and a good mix imports.
    let clash = "entity_id,name,kind,country\nos:NK-demo-ministry,Ministry,state_body,RU\n";
    let data = folder(&[("entities.csv", clash), ("feed.json", FTM)]);
    let report = match import_paths(&mut store, &[data.path().to_path_buf()]) {
        Err(vetta::Error::Rejected(report)) => report,
        other => panic!("expected a rejection, got {other:?}"),
    };
    let shown = report.errors[0].to_string();
    assert!(shown.starts_with("feed.json:0:entity_id: the key (entity_id) repeats entities.csv:2"), "{shown}");
    let fine = "entity_id,name,kind,country\nx,X,company,RU\n";
    let data = folder(&[("entities.csv", fine), ("feed.json", FTM)]);
    let outcome = import_paths(&mut store, &[data.path().to_path_buf()]).expect("the mix imports");
    assert!(outcome.batch.counts.iter().any(|(t, n)| t == "entities" && *n >= 5), "{:?}", outcome.batch.counts);
}

#[test]
fn around_a_vendor_keeps_the_published_entities_within_its_hops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    assert!(vetta(&db, &["init", "--empty"]).status.success());
    let book = folder(&[
        ("vendors.csv", "vendor_id,name,hq_country,privilege\nnorthwind,Northwind,RU,kernel\nother,Other,US,user\n"),
        ("identifiers.csv", "entity_id,scheme,value,source\nnorthwind,RU-INN,7700000001,contract\n"),
    ]);
    assert!(vetta(&db, &["import", book.path().to_str().unwrap()]).status.success());
    let feed = folder(&[("feed.json", FTM)]);
    let path = feed.path().join("feed.json");
    let counts = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["import", path.to_str().unwrap(), "--format", "json"];
        all.extend_from_slice(args);
        let out = vetta(&db, &all);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let batch = outcome["batch"]["batch_id"].as_i64().unwrap().to_string();
        assert!(vetta(&db, &["undo", &batch]).status.success());
        outcome
    };
    // One hop from the vendor's INN: the company and its shareholder, with their listings.
    let one = counts(&["--around", "northwind", "--hops", "1"]);
    assert_eq!(one["batch"]["counts"]["entities"], 2, "{}", one["batch"]["counts"]);
    assert_eq!(one["batch"]["counts"]["designations"], 2);
    assert!(one["notes"].as_array().unwrap().iter().any(|n| n["code"] == "outside-selection"));
    // Two hops reach the shareholder's owners; the board member joins through equity, not the board seat.
    let two = counts(&["--around", "northwind"]);
    assert_eq!(two["batch"]["counts"]["entities"], 4, "{}", two["batch"]["counts"]);
    // Seeds from a file, and a vendor whose seeds match nothing.
    let ids = dir.path().join("seeds.txt");
    std::fs::write(&ids, "# the shareholder\nos:NK-demo-soe\n").unwrap();
    let from_file = counts(&["--ids", ids.to_str().unwrap(), "--hops", "0"]);
    assert_eq!(from_file["batch"]["counts"]["entities"], 1);
    let out = vetta(&db, &["check", path.to_str().unwrap(), "--around", "other"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("no-seed-found"), "{}", String::from_utf8_lossy(&out.stdout));
    let out = vetta(&db, &["check", path.to_str().unwrap(), "--hops", "2"]);
    assert_eq!(out.status.code(), Some(1), "--hops alone says what is missing");
    let out = vetta(&db, &["check", path.to_str().unwrap(), "--around", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_newer_snapshot_without_a_listing_reports_it_and_keeps_it() {
    let mut store = empty_store();
    let first = folder(&[("entities.ftm.json", FTM)]);
    import_paths(&mut store, &[first.path().to_path_buf()]).expect("the first snapshot imports");
    // The next snapshot no longer holds the SDN sanction of line 14.
    let next: String = FTM.lines().filter(|l| !l.contains("\"san-1\"")).map(|l| format!("{l}\n")).collect();
    let second = folder(&[("entities.ftm.json", &next)]);
    let outcome = import_paths(&mut store, &[second.path().to_path_buf()]).expect("the next snapshot imports");
    let not_seen: Vec<String> = outcome.notes.iter().filter(|n| n.code == "not-seen").map(|n| n.to_string()).collect();
    assert_eq!(not_seen.len(), 1, "{not_seen:?}");
    assert!(
        not_seen[0].starts_with("entities.ftm.json:(store): not-seen: os:NK-demo-person on US-OFAC-SDN since 2024-06-21 (batch 1)"),
        "{not_seen:?}"
    );
    let listed = store.rows(&vetta::ingest::tables::DESIGNATIONS).unwrap();
    assert!(
        listed.iter().any(|r| r[0].as_str() == Some("os:NK-demo-person") && r[1].as_str() == Some("US-OFAC-SDN")),
        "absence is not a delisting"
    );
}
