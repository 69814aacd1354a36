//! Helpers: write a dataset folder from `(file, text)` pairs, import it, and read what the store holds.

use std::path::{Path, PathBuf};

use vetta::ingest::Report;
use vetta::store::Store;
use vetta::{Error, api};

pub const VENDORS: &str = "vendor_id,name,hq_country,privilege,source\nacme,Acme Corp,US,admin,test\nredco,Red Co,RU,kernel,test\n";
pub const ENTITIES: &str = "entity_id,name,kind,country\nstate,State Body,state_body,RU\nholding,Holding,company,RU\n";

/// A temporary folder holding the given files.
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// An empty store: in memory, or with `VETTA_TEST_ENGINE=postgres` a new team store on the test
/// server (`VETTA_TEST_POSTGRES`), so that the same suites run on both engines (`cargo xtask test`
/// runs them twice).
pub fn empty_store() -> Store {
    match std::env::var("VETTA_TEST_ENGINE").as_deref() {
        Ok("postgres") => Store::init_postgres(&fresh_database()).expect("a new team store"),
        _ => Store::open_in_memory().unwrap(),
    }
}

/// The test server's URL (`VETTA_TEST_POSTGRES`, set by `cargo xtask test`, which starts a
/// throwaway cluster), or None when no server was given: the team-store tests then say so and pass.
pub fn test_server() -> Option<String> {
    std::env::var("VETTA_TEST_POSTGRES").ok().filter(|u| !u.is_empty())
}

/// A new, empty database on the test server; its URL (the server's, with the database's name).
pub fn fresh_database() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = test_server().expect("VETTA_TEST_POSTGRES names the test server (cargo xtask test starts one)");
    let name = format!("vetta_t{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the test server answers");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    with_database(&server, &name)
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// A store holding the two base vendors and two entities.
pub fn base_store() -> Store {
    let mut store = empty_store();
    import(&mut store, &[("vendors.csv", VENDORS), ("entities.csv", ENTITIES)]).expect("the base dataset imports");
    store
}

pub fn import(store: &mut Store, files: &[(&str, &str)]) -> Result<api::ImportOutcome, Error> {
    let dir = folder(files);
    api::import(store, &[dir.path().to_path_buf()])
}

pub fn import_paths(store: &mut Store, paths: &[PathBuf]) -> Result<api::ImportOutcome, Error> {
    api::import(store, paths)
}

/// The rejection report of an import that must fail.
pub fn rejected(store: &mut Store, files: &[(&str, &str)]) -> Report {
    match import(store, files) {
        Err(Error::Rejected(report)) => report,
        Err(other) => panic!("expected a rejection, got {other}"),
        Ok(_) => panic!("expected a rejection, but the import succeeded"),
    }
}

/// The errors of a rejected import as `file:line:column: message` lines.
pub fn errors(store: &mut Store, files: &[(&str, &str)]) -> Vec<String> {
    rejected(store, files).errors.iter().map(|e| e.to_string()).collect()
}

/// Asserts that one error starts with `location` (`file:line:column`) and returns its message.
pub fn expect_error(store: &mut Store, files: &[(&str, &str)], location: &str) -> String {
    let errors = errors(store, files);
    errors
        .iter()
        .find_map(|e| e.strip_prefix(&format!("{location}: ")).map(str::to_string))
        .unwrap_or_else(|| panic!("expected an error at {location}, got {errors:#?}"))
}

/// Row counts and the dataset hash: what must not change when an import is refused.
pub fn fingerprint(store: &Store) -> (Vec<(&'static str, u64)>, String) {
    (store.counts().unwrap(), store.dataset_sha256().unwrap())
}

pub fn vetta_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_vetta"))
}
