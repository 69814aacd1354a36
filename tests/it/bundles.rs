//! Signed bundles through the `vetta` command line: a key made, trusted by another workspace, a
//! bundle created, verified and imported to the same `dataset_sha256`; a changed byte, an unknown
//! key and a missing signature refused with a clear error, writing nothing.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::*;

fn vetta(db: &Path, args: &[&str]) -> Output {
    Command::new(vetta_bin()).arg("--db").arg(db).args(args).env_remove("VETTA_DB").env_remove("VETTA_KEY_PASSWORD").output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Exits 1 with `needle` on stderr; answers stderr.
fn refused(out: Output, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "expected a refusal mentioning {needle:?}; stdout {}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

fn dataset(db: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(vetta(db, &["dump", "-o", dir.path().join("d").to_str().unwrap()]));
    out.lines().last().unwrap().strip_prefix("dataset ").unwrap().to_string()
}

fn batch_count(db: &Path) -> usize {
    let batches: serde_json::Value = serde_json::from_str(&ok(vetta(db, &["batches", "--format", "json"]))).unwrap();
    batches.as_array().unwrap().len()
}

#[test]
fn a_signed_bundle_travels_to_a_workspace_that_trusts_its_key_and_nothing_else_gets_in() {
    let dir = tempfile::tempdir().unwrap();
    let (alice_db, bob_db) = (dir.path().join("alice.db"), dir.path().join("bob.db"));
    let key = dir.path().join("keys").join("alice.key");
    let key = key.to_str().unwrap();
    ok(vetta(&alice_db, &["init"]));
    // Hostile text travels byte for byte.
    let hostile = "=HYPERLINK(\"http://x\")\u{202e}\"quoted\", <b>bold</b>\n\tline two";
    let data = folder(&[(
        "vendors.csv",
        &format!("vendor_id,name,hq_country,privilege,notes\nodd,Odd Co,US,user,\"{}\"\n", hostile.replace('"', "\"\"")),
    )]);
    ok(vetta(&alice_db, &["import", data.path().to_str().unwrap()]));

    let made = ok(vetta(&alice_db, &["key", "new", "-o", key, "--no-password"]));
    let key_id = made.split_whitespace().nth(2).unwrap().trim_end_matches(':').to_string();
    assert_eq!(key_id.len(), 16, "{made}");
    let bundle = dir.path().join("alice.vetta-bundle");
    let bundle = bundle.to_str().unwrap();
    ok(vetta(&alice_db, &["bundle", "create", "-o", bundle, "--sign", key]));

    ok(vetta(&bob_db, &["init", "--empty"]));
    let empty = dataset(&bob_db);
    // Not trusted yet: refused, naming the key.
    refused(
        vetta(&bob_db, &["bundle", "verify", bundle]),
        &format!("signed with key {key_id}, which is not among this workspace's trusted keys"),
    );
    refused(vetta(&bob_db, &["import", bundle]), "not among this workspace's trusted keys");
    assert_eq!((dataset(&bob_db), batch_count(&bob_db)), (empty.clone(), 0), "a refused bundle writes nothing");

    ok(vetta(&bob_db, &["key", "trust", &format!("{key}.pub"), "--label", "Alice, procurement"]));
    let keys: serde_json::Value = serde_json::from_str(&ok(vetta(&bob_db, &["key", "list", "--format", "json"]))).unwrap();
    assert_eq!(keys["keys"][0]["key_id"], key_id.as_str());
    assert_eq!(keys["keys"][0]["label"], "Alice, procurement");

    let verified: serde_json::Value = serde_json::from_str(&ok(vetta(&bob_db, &["bundle", "verify", bundle, "--format", "json"]))).unwrap();
    assert_eq!(verified["signed_by"]["key_id"], key_id.as_str());
    assert_eq!(verified["manifest"]["dataset_sha256"], dataset(&alice_db).as_str());
    assert!(verified["manifest"]["files"].as_array().unwrap().iter().all(|f| f["sha256"].as_str().unwrap().len() == 64));

    // A changed byte in a copy: refused by verify and import.
    let good = std::fs::read(bundle).unwrap();
    let tampered = dir.path().join("tampered.vetta-bundle");
    for at in [good.len() / 3, good.len() / 2, good.len() - 40] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x20;
        std::fs::write(&tampered, &bytes).unwrap();
        let tampered = tampered.to_str().unwrap();
        let stderr = refused(vetta(&bob_db, &["import", tampered]), "tampered.vetta-bundle: ");
        assert!(stderr.contains("changed") || stderr.contains("signature") || stderr.contains("not a"), "byte {at}: {stderr}");
        refused(vetta(&bob_db, &["bundle", "verify", tampered]), "tampered.vetta-bundle: ");
    }
    assert_eq!((dataset(&bob_db), batch_count(&bob_db)), (empty, 0));

    // The good one imports to the same facts, hostile text included, as one undoable batch.
    let imported = ok(vetta(&bob_db, &["import", bundle]));
    assert!(imported.contains("imported batch 1"), "{imported}");
    assert_eq!(dataset(&bob_db), dataset(&alice_db));
    let vendors: serde_json::Value = serde_json::from_str(&ok(vetta(&bob_db, &["explain", "odd", "--format", "json"]))).unwrap();
    assert!(vendors.to_string().contains("Odd Co"));

    // An unsigned bundle: refused unless accepted knowingly.
    let unsigned = dir.path().join("unsigned.vetta-bundle");
    let unsigned = unsigned.to_str().unwrap();
    assert!(ok(vetta(&alice_db, &["bundle", "create", "-o", unsigned])).contains("NOT signed"));
    refused(vetta(&bob_db, &["import", unsigned]), "the bundle is not signed");
    refused(vetta(&bob_db, &["bundle", "verify", unsigned]), "--allow-unsigned");
    assert!(ok(vetta(&bob_db, &["bundle", "verify", unsigned, "--allow-unsigned"])).contains("NOT signed"));
    ok(vetta(&bob_db, &["import", unsigned, "--allow-unsigned"]));

    // Untrusting the key closes the door again.
    ok(vetta(&bob_db, &["key", "untrust", &key_id]));
    refused(vetta(&bob_db, &["import", bundle]), "not among this workspace's trusted keys");
}

#[test]
fn a_password_protected_key_needs_its_password_and_a_key_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    ok(vetta(&db, &["init", "--empty"]));
    let key = dir.path().join("k.key");
    let key = key.to_str().unwrap();
    // No terminal and no VETTA_KEY_PASSWORD: a clear refusal, no file written.
    refused(vetta(&db, &["key", "new", "-o", key]), "the key needs a password: set VETTA_KEY_PASSWORD");
    assert!(!Path::new(key).exists());
    let with_password = |args: &[&str], password: &str| {
        Command::new(vetta_bin()).arg("--db").arg(&db).args(args).env("VETTA_KEY_PASSWORD", password).output().unwrap()
    };
    ok(with_password(&["key", "new", "-o", key], "correct horse"));
    assert!(std::fs::read_to_string(key).unwrap().starts_with("untrusted comment: "), "the minisign secret key format");
    refused(vetta(&db, &["key", "new", "-o", key, "--no-password"]), "already exists");
    let bundle = dir.path().join("b.vetta-bundle");
    let bundle = bundle.to_str().unwrap();
    refused(with_password(&["bundle", "create", "-o", bundle, "--sign", key], "wrong"), "wrong password for this key");
    assert!(!Path::new(bundle).exists(), "nothing is written when signing fails");
    assert!(ok(with_password(&["bundle", "create", "-o", bundle, "--sign", key], "correct horse")).contains("signed with key"));
}
