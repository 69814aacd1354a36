use std::process::Command;

use serde_json::Value;

use crate::support::*;
use vetta::engine;
use vetta::scenario::{CliScenario, ScenarioInput};

fn demo_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    vetta::api::open_store(&db).unwrap();
    (dir, db)
}

fn vetta_json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = Command::new(vetta_bin()).arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn kaspersky(report: &Value) -> &Value {
    report["vendors"].as_array().unwrap().iter().find(|v| v["vendor_id"] == "kaspersky").unwrap()
}

#[test]
fn kaspersky_is_prohibited_today_and_not_before_gsa_removed_it_in_2017() {
    let (_dir, db) = demo_store();
    let today = vetta_json(&db, &["score", "--format", "json"]);
    assert_eq!(kaspersky(&today)["prohibited"], true, "BOD 17-01 and later acts are in force today");
    let lists: Vec<&str> = kaspersky(&today)["designations"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(
        lists,
        ["US-BIS-ENTITY", "US-BOD-17-01", "US-FCC-COVERED", "US-GSA-SCHEDULES", "US-ICTS-FD-2024", "US-NDAA-1634"],
        "sorted by name; the Entity List and the Covered List through the demo's confirmed links"
    );
    let before = vetta_json(&db, &["score", "--format", "json", "--as-of", "2017-07-10"]);
    assert_eq!(kaspersky(&before)["prohibited"], false, "the day before GSA removed it from its schedules");
    let on = vetta_json(&db, &["score", "--format", "json", "--as-of", "2017-07-11"]);
    assert_eq!(kaspersky(&on)["designations"], serde_json::json!(["US-GSA-SCHEDULES"]));
    let on = vetta_json(&db, &["score", "--format", "json", "--as-of", "2017-09-13"]);
    assert_eq!(kaspersky(&on)["designations"], serde_json::json!(["US-BOD-17-01", "US-GSA-SCHEDULES"]), "BOD 17-01 from 2017-09-13");
}

#[test]
fn score_json_has_the_shape_cli_md_fixes() {
    let (_dir, db) = demo_store();
    let report = vetta_json(&db, &["score", "--format", "json"]);
    for key in ["as_of", "method", "weights", "params", "dataset_sha256", "vendors"] {
        assert!(report.get(key).is_some(), "{key} is present");
    }
    let factor_order: Vec<&str> = report["weights"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(factor_order, vetta::model::Factor::ALL.map(|f| f.key()), "factor maps list factors in the spec's order");
    let total: f64 = report["weights"].as_object().unwrap().values().map(|w| w.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-12, "weights are normalised");
    let vendors = report["vendors"].as_array().unwrap();
    for (i, vendor) in vendors.iter().enumerate() {
        assert_eq!(vendor["rank"], i + 1, "vendors are listed by rank");
        let contributions: f64 = vendor["contributions"].as_object().unwrap().values().map(|c| c.as_f64().unwrap()).sum();
        assert!((contributions - vendor["score"].as_f64().unwrap()).abs() < 1e-9, "contributions add up to the score");
        let keys: Vec<&str> = vendor["factors"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, vetta::model::Factor::ALL.map(|f| f.key()));
    }
    assert_eq!(report["params"]["concern_countries"], serde_json::json!(["CN", "HK", "CU", "IR", "KP", "RU", "VE"]));
    assert_eq!(report["params"]["control_threshold"], 0.5);
    let bluefjord = vendors.iter().find(|v| v["vendor_id"] == "bluefjord").unwrap();
    assert_eq!(bluefjord["missing"], serde_json::json!(["market"]), "the demo vendor without sales rows");
    assert_eq!(bluefjord["factors"]["market"], 0.5, "neutral by default");
}

#[test]
fn the_demo_covers_every_band() {
    let (_dir, db) = demo_store();
    let report = vetta_json(&db, &["score", "--format", "json"]);
    let bands: std::collections::BTreeSet<&str> =
        report["vendors"].as_array().unwrap().iter().map(|v| v["band"].as_str().unwrap()).collect();
    assert_eq!(bands.into_iter().collect::<Vec<_>>(), ["high", "low", "moderate", "severe"]);
}

#[test]
fn named_weights_replace_the_scenario_weight_and_the_rest_keep_theirs() {
    let (_dir, db) = demo_store();
    let report = vetta_json(&db, &["score", "--format", "json", "--weights", "ownership=40"]);
    let w = &report["weights"];
    let total = 40.0 + 15.0 + 10.0 + 5.0 + 15.0 + 15.0 + 10.0 + 10.0;
    assert!((w["ownership"].as_f64().unwrap() - 40.0 / total).abs() < 1e-15);
    assert!((w["ties"].as_f64().unwrap() - 15.0 / total).abs() < 1e-15);
}

#[test]
fn the_dataset_hash_in_a_score_is_the_stores() {
    let (_dir, db) = demo_store();
    let report = vetta_json(&db, &["score", "--format", "json"]);
    let (store, _) = vetta::store::Store::open(&db).unwrap();
    assert_eq!(report["dataset_sha256"], store.dataset_sha256().unwrap());
}

#[test]
fn scenarios_save_list_show_diff_and_delete() {
    let (_dir, db) = demo_store();
    let saved = Command::new(vetta_bin())
        .arg("--db")
        .arg(&db)
        .args(["scenario", "save", "grounds", "--scenario", "bod-17-01", "--as-of", "2018-01-01"])
        .output()
        .unwrap();
    assert!(saved.status.success(), "{}", String::from_utf8_lossy(&saved.stderr));
    let list = vetta_json(&db, &["scenario", "list", "--format", "json"]);
    assert_eq!(list["scenarios"][0]["name"], "grounds");
    let shown = vetta_json(&db, &["scenario", "show", "grounds", "--format", "json"]);
    assert_eq!(shown["params"]["as_of"], "2018-01-01", "the saved as_of is kept");
    let diff = vetta_json(&db, &["scenario", "diff", "default", "grounds", "--format", "json"]);
    assert!(diff["weights"]["ownership"].is_array(), "ownership's weight changed");
    assert_eq!(diff["params"]["as_of"][1], "2018-01-01");
    assert_eq!(diff["vendors"].as_array().unwrap().len(), 9, "every vendor's rank and score change");
    let scored = vetta_json(&db, &["score", "--scenario", "grounds", "--format", "json"]);
    assert_eq!(scored["as_of"], "2018-01-01");
    let deleted = Command::new(vetta_bin()).arg("--db").arg(&db).args(["scenario", "delete", "grounds"]).output().unwrap();
    assert!(deleted.status.success());
    let again = Command::new(vetta_bin()).arg("--db").arg(&db).args(["scenario", "delete", "grounds"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "deleting a missing scenario is an error");
}

#[test]
fn sensitivity_and_smaa_json() {
    let (_dir, db) = demo_store();
    let sensitivity = vetta_json(&db, &["sensitivity", "kaspersky", "--format", "json"]);
    assert_eq!(sensitivity["vendor_id"], "kaspersky");
    assert_eq!(sensitivity["tornado"].as_array().unwrap().len(), 8);
    for row in sensitivity["stability"].as_array().unwrap() {
        let (lo, w, hi) = (row["lo"].as_f64().unwrap(), row["weight"].as_f64().unwrap(), row["hi"].as_f64().unwrap());
        assert!(lo <= w && w <= hi && (0.0..=1.0).contains(&lo) && hi <= 1.0, "the interval holds the current weight: {row}");
    }
    let a = vetta_json(&db, &["smaa", "--samples", "3000", "--seed", "7", "--format", "json"]);
    let b = vetta_json(&db, &["smaa", "--samples", "3000", "--seed", "7", "--format", "json"]);
    assert_eq!(a, b, "a seed makes a run reproducible");
    let ids: Vec<&str> = a["vendors"].as_array().unwrap().iter().map(|v| v["vendor_id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "SMAA lists vendors by id");
    for vendor in a["vendors"].as_array().unwrap() {
        let total: f64 = vendor["acceptability"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "with n ≤ 100 every rank is reported, so b sums to 1");
    }
}

#[test]
fn ahp_reads_a_comparison_file() {
    let dir = folder(&[("pairs.csv", "a,b,value\nownership,ties,3\nownership,privilege,5\nties,privilege,2\n")]);
    let out =
        Command::new(vetta_bin()).args(["weights", "ahp"]).arg(dir.path().join("pairs.csv")).args(["--format", "json"]).output().unwrap();
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["consistent"], true);
    assert_eq!(result["weights"]["market"], 0.0, "factors not compared get no weight");
    let missing = folder(&[("pairs.csv", "a,b,value\nownership,ties,3\nownership,privilege,5\n")]);
    let out = Command::new(vetta_bin()).args(["weights", "ahp"]).arg(missing.path().join("pairs.csv")).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a missing pair is bad input");
}

#[test]
fn exports_neutralise_formulas_and_write_nothing_on_error() {
    let mut store = empty_store();
    import(
        &mut store,
        &[("vendors.csv", "vendor_id,name,hq_country,privilege\nevil,\"=HYPERLINK(\"\"http://x\"\")\",US,user\nplain,+Plus,DE,none\n")],
    )
    .unwrap();
    let report = engine::score(&store, &ScenarioInput::default()).unwrap();
    let csv = vetta::export::report_csv(&report);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains(",'+Plus,"), "{csv}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scores.xlsx");
    vetta::export::write_report(&report, &path).unwrap();
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("vendors").unwrap();
    let names: Vec<String> = sheet.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://x\")".to_string()), "{names:?}");
    assert!(book.worksheet_range("scenario").is_ok(), "weights and parameters have their own sheet");

    let (_dir, db) = demo_store();
    let out_file = dir.path().join("never.xlsx");
    let out =
        Command::new(vetta_bin()).arg("--db").arg(&db).args(["export", "-o"]).arg(&out_file).args(["--scenario", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!out_file.exists(), "on error nothing is written to the output file");
}

#[test]
fn methods_give_scores_in_range_and_topsis_is_relative() {
    let (_dir, db) = demo_store();
    for method in ["weighted_sum", "weighted_product", "topsis"] {
        let report = vetta_json(&db, &["score", "--format", "json", "--method", method]);
        assert_eq!(report["method"], method);
        for v in report["vendors"].as_array().unwrap() {
            let score = v["score"].as_f64().unwrap();
            assert!((0.0..=100.0).contains(&score), "{method}: {score}");
            assert_eq!(v["contributions"].is_null(), method != "weighted_sum", "contributions exist for weighted_sum only");
        }
    }
}

/// The desktop's fast path gives exactly what a fresh evaluation gives, and notices new data.
#[test]
fn the_evaluation_cache_scores_like_a_fresh_evaluation() {
    let (_dir, db) = demo_store();
    let mut store = vetta::api::open_store(&db).unwrap();
    let mut cache = engine::EvaluationCache::default();
    let json = |report: &engine::ScoreReport| serde_json::to_string(report).unwrap();
    for (weights, method) in [(None, None), (Some("ownership=0,privilege=40"), None), (Some("testimony=90"), Some("topsis")), (None, None)]
    {
        let options = ScenarioInput::from_cli(&CliScenario { weights, method, ..Default::default() }).unwrap();
        assert_eq!(
            json(&cache.score(&store, &options).unwrap()),
            json(&engine::score(&store, &options).unwrap()),
            "{weights:?} {method:?}"
        );
    }
    let before = cache.score(&store, &ScenarioInput::default()).unwrap();
    import(&mut store, &[("vendors.csv", "vendor_id,name,hq_country,privilege,source\nzz-new,Zed New,CN,kernel,test\n")]).unwrap();
    let after = cache.score(&store, &ScenarioInput::default()).unwrap();
    assert_eq!(after.vendors.len(), before.vendors.len() + 1, "an import invalidates the cached facts");
    assert_ne!(after.dataset_sha256, before.dataset_sha256);
}
