//! The shell's commands through Tauri's mock runtime: the same IPC path the webview uses, without a
//! display.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;

/// The file automation's dialog answers are read from (see `answer_dialogs`).
fn answers_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("dialog-answers.json")
}

fn app(dir: &tempfile::TempDir) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let state = vetta_desktop::AppState::open(&dir.path().join("vetta.db"))
        .expect("a new store is seeded with the demo")
        .with_dialog_answers(answers_file(dir));
    let app = vetta_desktop::with_commands(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a mock window");
    (app, webview)
}

/// A request as the webview sends it.
fn request(cmd: &str, body: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // Custom commands answer only requests from the app's own origin.
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn invoke(webview: &tauri::WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(webview, request(cmd, body)).map(|response| response.deserialize::<Value>().unwrap())
}

/// Answers the next dialogs as a user would have, then asks for them the way the UI does: the paths
/// come back granted.
fn choose(
    webview: &tauri::WebviewWindow<MockRuntime>,
    dir: &tempfile::TempDir,
    open: Option<&std::path::Path>,
    save: Option<&std::path::Path>,
) {
    std::fs::write(answers_file(dir), json!({"open": open.map(|p| vec![p]), "save": save}).to_string()).unwrap();
    if let Some(open) = open {
        assert_eq!(invoke(webview, "choose_import", json!({"kind": "folder"})).unwrap(), json!([open]), "the answer is returned");
    }
    if let Some(save) = save {
        assert_eq!(invoke(webview, "choose_save", json!({"kind": "pdf", "defaultName": "brief.pdf"})).unwrap(), json!(save));
    }
}

#[test]
fn score_ranks_the_demo_with_kaspersky_prohibited() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let report = invoke(&webview, "score", json!({"scenario": {}})).expect("score answers");
    let kaspersky = report["vendors"].as_array().unwrap().iter().find(|v| v["vendor_id"] == "kaspersky").expect("Kaspersky Lab is ranked");
    assert_eq!(kaspersky["band"], "high");
    assert_eq!(kaspersky["prohibited"], true);
}

#[test]
fn moving_a_weight_changes_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let order = |weights: Value| -> Vec<String> {
        let report = invoke(&webview, "score", json!({"scenario": {"weights": weights}})).unwrap();
        report["vendors"].as_array().unwrap().iter().map(|v| v["vendor_id"].as_str().unwrap().to_string()).collect()
    };
    assert_ne!(order(json!({})), order(json!({"ownership": 0, "designations": 0, "privilege": 50})), "weights reorder the ranking");
}

#[test]
fn a_bad_import_is_reported_with_its_location_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("vendors.csv"), "vendor_id,name,hq_country,privilege\nx,X,UK,user\n").unwrap();
    choose(&webview, &dir, Some(data.path()), None);
    let before = invoke(&webview, "counts", json!({})).unwrap();
    let report = invoke(&webview, "check_import", json!({"paths": [data.path()], "onProgress": "__CHANNEL__:1"})).unwrap();
    assert_eq!(report["error_count"], 1);
    assert_eq!(report["errors"][0]["file"], "vendors.csv");
    assert_eq!(report["errors"][0]["line"], 2);
    assert_eq!(report["errors"][0]["column"], "hq_country");
    let error = invoke(&webview, "import_files", json!({"paths": [data.path()], "onProgress": "__CHANNEL__:1"}))
        .expect_err("the import is refused");
    assert_eq!(error["code"], "invalid");
    assert_eq!(invoke(&webview, "counts", json!({})).unwrap(), before, "row counts are unchanged");
}

#[test]
fn errors_cross_as_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let error = invoke(&webview, "explain", json!({"vendorId": "nobody", "scenario": {}})).expect_err("an unknown vendor");
    assert_eq!(error["code"], "invalid");
    assert!(error["message"].as_str().unwrap().contains("nobody"));
    let error = invoke(&webview, "score", json!({"scenario": {"weights": {"colour": 1}}})).expect_err("an unknown factor");
    assert_eq!(error["code"], "usage");
}

#[test]
fn charts_arrive_as_svg_documents() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    for kind in ["ranking", "radar", "ownership", "sales", "install_base", "testimony", "tornado", "smaa"] {
        let svg = invoke(&webview, "chart", json!({"kind": kind, "vendorIds": ["kaspersky"], "scenario": {}, "dark": true})).unwrap();
        let svg = svg.as_str().unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{kind} is an SVG document");
    }
}

#[test]
fn an_unknown_chart_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let error = invoke(&webview, "chart", json!({"kind": "pie", "vendorIds": ["kaspersky"], "scenario": {}, "dark": false}))
        .expect_err("no pie charts");
    // Refused while the arguments are read (the kind is a closed set), naming the bad value.
    assert!(error.to_string().contains("pie"), "{error}");
}

#[test]
fn briefs_are_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let path = dir.path().join("kaspersky.pdf");
    choose(&webview, &dir, None, Some(&path));
    invoke(&webview, "write_brief", json!({"vendorIds": ["kaspersky"], "scenario": {}, "path": path})).expect("the brief is written");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));

    let missing = dir.path().join("nobody.pdf");
    choose(&webview, &dir, None, Some(&missing));
    let error =
        invoke(&webview, "write_brief", json!({"vendorIds": ["nobody"], "scenario": {}, "path": missing})).expect_err("an unknown vendor");
    assert!(error["message"].as_str().unwrap().contains("nobody"), "{error}");
    assert!(!missing.exists(), "nothing is written for a failed brief");
}

#[test]
fn a_note_entered_by_hand_is_a_batch_and_a_bad_one_is_answered_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let schemas = invoke(&webview, "table_schemas", json!({})).unwrap();
    let testimony = schemas.as_array().unwrap().iter().find(|s| s["table"] == "testimony").expect("testimony is described");
    assert_eq!(testimony["vendor_column"], "subject_id");
    let note = json!({
        "note_id": "kl-2024-icts", "subject_id": "kaspersky", "date": "2024-06-20", "speaker": "US Department of Commerce",
        "stance": "concern", "severity": "3", "reliability": "A", "credibility": "1", "summary": "Final determination.", "source": "BIS"
    });
    let entered = invoke(&webview, "enter_rows", json!({"table": "testimony", "rows": [note]})).expect("enter_rows answers");
    assert_eq!(entered["status"], "entered");
    assert_eq!(entered["batch"]["label"], "entered by hand");
    let rows = invoke(&webview, "vendor_rows", json!({"vendorId": "kaspersky", "table": "testimony"})).unwrap();
    let stored = rows.as_array().unwrap().iter().find(|r| r["note_id"] == "kl-2024-icts").expect("the note is among Kaspersky's rows");
    assert_eq!(stored["summary"], "Final determination.");

    let before = invoke(&webview, "counts", json!({})).unwrap();
    let mut bad = note.clone();
    bad["date"] = json!("2017-13-40");
    let rejected = invoke(&webview, "enter_rows", json!({"table": "testimony", "rows": [bad]})).expect("a rejection is an answer");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["errors"][0],
        json!({"file": "testimony.csv", "line": 2, "column": "date", "message": "\"2017-13-40\" is not a calendar date YYYY-MM-DD"})
    );
    assert_eq!(invoke(&webview, "counts", json!({})).unwrap(), before, "row counts are unchanged");

    let error = invoke(&webview, "enter_rows", json!({"table": "testimony", "rows": [{"colour": "red"}]})).expect_err("an unknown column");
    assert_eq!(error["code"], "invalid");
    assert!(error["message"].as_str().unwrap().contains("colour"), "{error}");
}

#[test]
fn the_settings_countries_of_concern_are_the_default_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let jurisdiction = |report: &Value| {
        report["vendors"].as_array().unwrap().iter().find(|v| v["vendor_id"] == "kaspersky").unwrap()["factors"]["jurisdiction"].clone()
    };
    let before = invoke(&webview, "score", json!({"scenario": {}})).unwrap();
    assert_eq!(jurisdiction(&before), 1.0, "RU is a country of concern by default");

    invoke(&webview, "save_settings", json!({"settings": {"theme": "dark", "concernCountries": ["CN"]}})).expect("settings are saved");
    let after = invoke(&webview, "score", json!({"scenario": {}})).unwrap();
    assert_eq!(after["params"]["concern_countries"], json!(["CN"]));
    assert_eq!(jurisdiction(&after), 0.0, "with only CN of concern, Kaspersky's RU headquarters no longer counts");

    let explicit = invoke(&webview, "score", json!({"scenario": {"concern": ["RU"]}})).unwrap();
    assert_eq!(jurisdiction(&explicit), 1.0, "a scenario's own countries win over the Settings");
    assert_eq!(invoke(&webview, "settings", json!({})).unwrap()["theme"], "dark");
}

#[test]
fn file_commands_accept_only_paths_a_dialog_returned_in_this_session() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("vendors.csv"), "vendor_id,name,hq_country,privilege\nx,X,US,user\n").unwrap();
    let brief = dir.path().join("brief.pdf");
    let export = dir.path().join("scores.csv");
    let refused = |cmd: &str, body: Value| {
        let error = invoke(&webview, cmd, body).expect_err("a path no dialog returned");
        assert_eq!(error["code"], "denied", "{cmd}: {error}");
        assert!(error["message"].as_str().unwrap().contains("was not chosen in a file dialog"), "{cmd}: {error}");
    };
    refused("check_import", json!({"paths": [data.path()], "onProgress": "__CHANNEL__:1"}));
    refused("import_files", json!({"paths": [data.path()], "onProgress": "__CHANNEL__:1"}));
    refused("write_brief", json!({"vendorIds": ["kaspersky"], "scenario": {}, "path": brief}));
    refused("write_export", json!({"path": export, "scenario": {}}));
    assert!(!brief.exists() && !export.exists(), "nothing is written");

    // A cancelled dialog grants nothing; a chosen path grants exactly that path, for its direction.
    std::fs::write(answers_file(&dir), json!({"open": null, "save": null}).to_string()).unwrap();
    assert_eq!(invoke(&webview, "choose_import", json!({"kind": "files"})).unwrap(), Value::Null);
    assert_eq!(invoke(&webview, "choose_save", json!({"kind": "csv", "defaultName": "scores.csv"})).unwrap(), Value::Null);
    refused("write_export", json!({"path": export, "scenario": {}}));
    choose(&webview, &dir, Some(data.path()), Some(&export));
    invoke(&webview, "write_export", json!({"path": export, "scenario": {}})).expect("the chosen path is written");
    assert!(export.exists());
    refused("write_export", json!({"path": data.path().join("../scores.csv"), "scenario": {}}));
    refused("write_brief", json!({"vendorIds": ["kaspersky"], "scenario": {}, "path": data.path()}));
    invoke(&webview, "check_import", json!({"paths": [data.path()], "onProgress": "__CHANNEL__:1"})).expect("the chosen folder is read");
}

#[test]
fn a_weight_move_answers_with_the_live_list_in_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let scenario = json!({"weights": {"privilege": 50}});
    let table = invoke(&webview, "live_table", json!({"scenario": scenario})).unwrap();
    let vendors = table["vendors"].as_array().unwrap();
    let report = invoke(&webview, "score", json!({"scenario": scenario})).unwrap();
    let bytes = match get_ipc_response(&webview, request("rescore", json!({"scenario": scenario}))).expect("rescore answers") {
        InvokeResponseBody::Raw(bytes) => bytes,
        other => panic!("rescore answers in bytes, not {other:?}"),
    };
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let f64_at = |at: usize| f64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let n = u32_at(4) as usize;
    assert_eq!((u32_at(0), n), (1, vendors.len()), "format 1, one entry per vendor of the table");
    assert_eq!(u64::from_le_bytes(bytes[8..16].try_into().unwrap()), table["generation"].as_u64().unwrap(), "the table's generation");
    assert_eq!(bytes.len(), 80 + 13 * n);
    let (scores, order, bands) = (80, 80 + 8 * n, 80 + 12 * n);
    // The bytes say what the full report says: the same order, scores and bands.
    for (rank, expected) in report["vendors"].as_array().unwrap().iter().enumerate() {
        let position = u32_at(order + 4 * rank) as usize;
        assert_eq!(vendors[position]["vendor_id"], expected["vendor_id"], "rank {}", rank + 1);
        assert_eq!(f64_at(scores + 8 * position), expected["score"].as_f64().unwrap());
        let band = ["low", "moderate", "high", "severe"][bytes[bands + position] as usize];
        assert_eq!(band, expected["band"]);
    }
}

#[test]
fn a_vendor_page_is_one_answer_agreeing_with_explain_and_score() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let scenario = json!({"weights": {"privilege": 40}, "missing": "worst"});
    let page = invoke(&webview, "vendor_page", json!({"vendorId": "kaspersky", "scenario": scenario})).unwrap();
    let explanation = invoke(&webview, "explain", json!({"vendorId": "kaspersky", "scenario": scenario})).unwrap();
    let report = invoke(&webview, "score", json!({"scenario": scenario})).unwrap();
    assert_eq!(page["explanation"], explanation, "the page's explanation is explain's");
    let line = report["vendors"].as_array().unwrap().iter().find(|v| v["vendor_id"] == "kaspersky").unwrap();
    assert_eq!(&page["explanation"]["vendor"], line, "its vendor line is the report's, rank included");
    assert_eq!(page["vendors"], report["vendors"].as_array().unwrap().len());
    assert_eq!(page["missing"], "worst");
    assert_eq!(page["listing"]["vendor_id"], "kaspersky");
    assert_eq!(page["listing"]["name"], "Kaspersky Lab");
    let error = invoke(&webview, "vendor_page", json!({"vendorId": "nobody", "scenario": {}})).expect_err("an unknown vendor");
    assert_eq!(error["code"], "invalid");
}

#[test]
fn a_dump_goes_only_to_a_folder_a_dialog_returned_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let target = dir.path().join("dump");
    let error = invoke(&webview, "write_dump", json!({"path": target})).expect_err("no dialog returned it");
    assert_eq!(error["code"], "denied");
    assert!(!target.exists(), "nothing is written");
    std::fs::write(answers_file(&dir), json!({"save": target}).to_string()).unwrap();
    assert_eq!(invoke(&webview, "choose_save", json!({"kind": "folder", "defaultName": ""})).unwrap(), json!(target));
    let dumped = invoke(&webview, "write_dump", json!({"path": target})).expect("the chosen folder is written");
    let score = invoke(&webview, "score", json!({"scenario": {}})).unwrap();
    assert_eq!(dumped["dataset_sha256"], score["dataset_sha256"], "the dump is the store's dataset");
    assert!(target.join("vendors.csv").exists());
    let again = invoke(&webview, "write_dump", json!({"path": target})).expect_err("a folder that is not empty");
    assert_eq!(again["code"], "invalid");
    assert!(!invoke(&webview, "user_name", json!({})).unwrap().as_str().unwrap_or_default().contains('\n'));
}

#[test]
fn the_basis_spread_comes_from_the_cached_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let spread = invoke(&webview, "basis_spread", json!({"scenario": {}})).unwrap();
    assert_eq!(spread, json!({"ranged": false, "vendors": []}), "the demo gives no ownership as a range");
}

#[test]
fn a_screening_decision_is_one_undoable_batch_and_changes_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let review = invoke(&webview, "screen", json!({"minScore": 0.7})).expect("screen answers");
    let candidate = &review["report"]["candidates"][0];
    assert_eq!((candidate["entity_id"].as_str(), candidate["other_id"].as_str()), (Some("kaspersky"), Some("fcc:kaspersky-lab-inc")));
    let card = &review["parties"]["fcc:kaspersky-lab-inc"];
    assert_eq!(card["listings"][0]["list"], "US-FCC-COVERED", "the card carries the other side's listings");
    assert!(review["parties"]["kaspersky"]["linked"].as_array().unwrap().contains(&json!("csl:vetta-transcribed-el-1")));

    let decision = json!({"entity_id": "kaspersky", "other_id": "fcc:kaspersky-lab-inc", "decision": "different",
        "decided_by": "Ana Analyst", "basis": "the US subsidiary, a separate legal person"});
    let outcome = invoke(&webview, "decide_links", json!({"decisions": [decision]})).expect("the decision is recorded");
    let batch = outcome["batch"]["batch_id"].as_i64().unwrap();
    assert_eq!(outcome["batch"]["label"], "link");
    let review = invoke(&webview, "screen", json!({"minScore": 0.7})).unwrap();
    assert_eq!(review["report"]["candidates"], json!([]), "a different decision suppresses the pair");
    let links = invoke(&webview, "links", json!({})).unwrap();
    assert!(links["links"].as_array().unwrap().iter().any(|l| l["decided_by"] == "Ana Analyst" && l["decision"] == "different"));
    let changes = invoke(&webview, "changes", json!({"from": null, "to": null, "scenario": {}})).unwrap();
    assert_eq!(changes["vendors"][0]["facts"][0]["table"], "links", "what the decision changed: one link");

    invoke(&webview, "undo", json!({"batchId": batch})).expect("the decision can be undone");
    let review = invoke(&webview, "screen", json!({"minScore": 0.7})).unwrap();
    assert_eq!(review["report"]["candidates"].as_array().unwrap().len(), 1, "undone: proposed again");
    let bad = invoke(&webview, "changes", json!({"from": "last week", "to": null, "scenario": {}})).unwrap_err();
    assert!(bad.to_string().contains("neither a batch number nor a date"), "{bad}");
}

#[test]
fn a_bundle_signed_in_the_app_imports_only_once_its_key_is_trusted_and_unsigned_needs_consent() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let key = dir.path().join("me.key");
    vetta::bundle::new_key(&key, None).unwrap();
    let bundle = dir.path().join("out.vetta-bundle");
    // Neither the key nor the output came from a dialog: refused.
    let error = invoke(&webview, "write_bundle", json!({"path": bundle, "signWith": key})).expect_err("no dialog returned them");
    assert_eq!(error["code"], "denied");
    std::fs::write(answers_file(&dir), json!({"open": [key], "save": bundle}).to_string()).unwrap();
    invoke(&webview, "choose_import", json!({"kind": "secretkey"})).unwrap();
    invoke(&webview, "choose_save", json!({"kind": "bundle", "defaultName": "out.vetta-bundle"})).unwrap();
    let manifest = invoke(&webview, "write_bundle", json!({"path": bundle, "signWith": key})).expect("written");
    let score = invoke(&webview, "score", json!({"scenario": {}})).unwrap();
    assert_eq!(manifest["dataset_sha256"], score["dataset_sha256"]);

    // Importing it: the signing key is not trusted yet.
    choose(&webview, &dir, Some(&bundle), None);
    let refused = invoke(&webview, "import_files", json!({"paths": [bundle], "onProgress": "__CHANNEL__:1"})).expect_err("unknown key");
    assert_eq!(refused["code"], "invalid");
    assert!(refused["message"].as_str().unwrap().contains("not among this workspace's trusted keys"), "{refused}");
    let public = std::fs::read_to_string(vetta::bundle::public_path(&key)).unwrap();
    let trusted = invoke(&webview, "trust_key", json!({"publicKey": public, "label": "Me"})).unwrap();
    assert_eq!(invoke(&webview, "trusted_keys", json!({})).unwrap()[0]["key_id"], trusted["key_id"]);
    let checked = invoke(&webview, "verify_bundle", json!({"path": bundle})).unwrap();
    assert_eq!(checked["signed_by"]["label"], "Me");
    let imported = invoke(&webview, "import_files", json!({"paths": [bundle], "onProgress": "__CHANNEL__:1"})).expect("trusted now");
    assert_eq!(imported["batch"]["batch_id"], 4);

    // Unsigned: the `unsigned` code lets the view ask, and the retry with consent imports.
    let unsigned = dir.path().join("unsigned.vetta-bundle");
    std::fs::write(answers_file(&dir), json!({"save": unsigned}).to_string()).unwrap();
    invoke(&webview, "choose_save", json!({"kind": "bundle", "defaultName": "unsigned.vetta-bundle"})).unwrap();
    invoke(&webview, "write_bundle", json!({"path": unsigned})).unwrap();
    choose(&webview, &dir, Some(&unsigned), None);
    let refused = invoke(&webview, "import_files", json!({"paths": [unsigned], "onProgress": "__CHANNEL__:1"})).expect_err("unsigned");
    assert_eq!(refused["code"], "unsigned");
    invoke(&webview, "import_files", json!({"paths": [unsigned], "allowUnsigned": true, "onProgress": "__CHANNEL__:1"}))
        .expect("accepted knowingly");

    let removed = invoke(&webview, "untrust_key", json!({"keyId": trusted["key_id"]})).unwrap();
    assert_eq!(removed["label"], "Me");
    assert_eq!(invoke(&webview, "trusted_keys", json!({})).unwrap(), json!([]));
}

#[test]
fn the_workspace_is_described_and_a_bad_team_url_leaves_it_open() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let local = invoke(&webview, "workspace", json!({})).expect("described");
    assert_eq!(local["info"]["team"], false);
    assert_eq!(local["info"]["readOnly"], Value::Null);
    assert!(local["info"]["generation"].as_i64().unwrap() >= 1, "{local}");
    assert!(local["info"]["label"].as_str().unwrap().ends_with("vetta.db"), "{local}");
    let refused = invoke(&webview, "connect_workspace", json!({"url": "/etc/passwd"})).expect_err("not a URL");
    assert_eq!(refused["code"], "invalid");
    let closed = invoke(&webview, "connect_workspace", json!({"url": "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2"}));
    assert!(closed.is_err(), "nothing listens on port 9");
    assert_eq!(invoke(&webview, "workspace", json!({})).unwrap(), local, "still on the local store");
}

/// A team workspace in the app: a viewer's app is told why it may not write, and its writes are
/// refused with the `read-only` code; going back to the local store works. Needs the test server
/// `cargo xtask test` starts (`VETTA_TEST_POSTGRES`); skipped without one.
#[test]
fn a_viewer_on_a_team_workspace_is_read_only_and_told_why() {
    let Some(server) = std::env::var("VETTA_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: no VETTA_TEST_POSTGRES");
        return;
    };
    let name = format!("vetta_shell_{}", std::process::id());
    let viewer = format!("vetta_shell_viewer_{}", std::process::id());
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the test server answers");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = server.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    vetta::api::init_store(std::path::Path::new(&url), false).expect("a team workspace with the demo");
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {viewer}; CREATE ROLE {viewer} LOGIN PASSWORD 'look' IN ROLE vetta_viewer")).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (_app, webview) = app(&dir);
    let team = invoke(&webview, "connect_workspace", json!({"url": url})).expect("the owner connects");
    assert_eq!(team["info"]["team"], true);
    assert_eq!(team["info"]["readOnly"], Value::Null);
    if let Some((_, password)) =
        base.split_once("://").and_then(|(_, rest)| rest.split_once('@')).and_then(|(login, _)| login.split_once(':'))
    {
        assert!(!team["info"]["label"].as_str().unwrap().contains(password), "the label hides the password: {team}");
    }
    let score = invoke(&webview, "score", json!({"scenario": {}})).expect("scores the team store");
    assert!(score["vendors"].as_array().unwrap().iter().any(|v| v["vendor_id"] == "kaspersky"));

    let host = base.split_once('@').map(|(_, host)| host).unwrap();
    let as_viewer = format!("postgresql://{viewer}@{host}/{name}");
    let wrong = invoke(&webview, "connect_workspace", json!({"url": as_viewer, "password": "wrong"})).expect_err("wrong password");
    assert!(wrong["message"].as_str().unwrap().contains("password"), "{wrong}");
    let seen = invoke(&webview, "connect_workspace", json!({"url": as_viewer, "password": "look"})).expect("the viewer connects");
    assert_eq!(seen["info"]["user"], viewer.as_str());
    assert!(seen["info"]["readOnly"].as_str().unwrap().contains("vetta_viewer"), "{seen}");
    invoke(&webview, "score", json!({"scenario": {}})).expect("a viewer scores");
    let refused =
        invoke(&webview, "save_scenario", json!({"name": "mine", "scenario": {"weights": {"ownership": 10}}})).expect_err("read-only");
    assert_eq!(refused["code"], "read-only", "{refused}");

    let back = invoke(&webview, "use_local_workspace", json!({})).expect("back to the file");
    assert_eq!(back["info"]["team"], false);
    drop(webview);
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {viewer}")).unwrap();
}
