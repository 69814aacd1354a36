use std::process::Command;

use crate::support::*;

fn vetta(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(vetta_bin()).arg("--db").arg(db).args(args).env_remove("VETTA_DB").output().unwrap()
}

#[test]
fn init_import_vendors_batches_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    let out = vetta(&db, &["init"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = vetta(&db, &["vendors", "--format", "json"]);
    let vendors: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(vendors.as_array().unwrap().iter().any(|v| v["vendor_id"] == "kaspersky"));

    let data = folder(&[("vendors.csv", "vendor_id,name,hq_country,privilege\nnewco,New Co,US,user\n")]);
    let out = vetta(&db, &["import", data.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported batch 4"));
    let out = vetta(&db, &["undo", "4"]);
    assert!(out.status.success());
    let out = vetta(&db, &["batches", "--format", "json"]);
    let batches: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(batches[3]["undone_at"].is_string(), "the undone batch stays listed as undone");
}

#[test]
fn bad_input_exits_1_with_located_errors_on_stderr_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    assert!(vetta(&db, &["init", "--empty"]).status.success());
    let data = folder(&[("vendors.csv", "vendor_id,name,hq_country,privilege\nnewco,New Co,US,root\n")]);
    for command in ["check", "import"] {
        let out = vetta(&db, &[command, data.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{command} of bad data exits 1");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("vendors.csv:2:privilege: \"root\" is not one of"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = vetta(&db, &["batches", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([]));
}

#[test]
fn usage_errors_exit_2_and_bad_option_values_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    for usage in [&["frobnicate"][..], &["score", "--frobnicate"], &["score", "--weights", "colour=3"], &["score", "--param", "speed=3"]] {
        assert_eq!(
            vetta(&db, usage).status.code(),
            Some(2),
            "{usage:?} is a usage error (unknown command, option, factor or parameter name)"
        );
    }
    for bad in [
        &["vendors", "--format", "yaml"][..],
        &["score", "--method", "median"],
        &["score", "--as-of", "2017-02-30"],
        &["score", "--param", "control_threshold=0"],
        &["score", "--param", "market_window_years=0"],
        &["score", "--missing", "sometimes"],
        &["smaa", "--samples", "many"],
        &["smaa", "--ranks", "0"],
        &["smaa", "--method", "topsis"],
        &["sensitivity", "kaspersky", "--delta", "1.5"],
        &["sensitivity", "nobody"],
    ] {
        let out = vetta(&db, bad);
        assert_eq!(out.status.code(), Some(1), "{bad:?} is a bad value: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "nothing goes to stdout on an error");
    }
}

#[test]
fn a_usage_error_touches_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    assert_eq!(vetta(&db, &["frobnicate"]).status.code(), Some(2));
    assert!(!db.exists());
}

#[test]
fn the_store_location_follows_vetta_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-env.db");
    let out = Command::new(vetta_bin()).args(["vendors"]).env("VETTA_DB", &db).output().unwrap();
    assert!(out.status.success());
    assert!(db.exists(), "a new store is created (and seeded) at $VETTA_DB");
}

#[test]
fn an_unknown_batch_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = vetta(&dir.path().join("vetta.db"), &["undo", "99"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no batch 99"));
}
