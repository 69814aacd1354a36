//! The team store on PostgreSQL (issue 13): what only a server has — several analysts at once, roles,
//! the server's logins as authors. Needs the test server (`VETTA_TEST_POSTGRES`, which `cargo xtask
//! test` starts); without one each test says so and passes, and the rest of the suites run on
//! SQLite. The suites that run on both engines are the others (`VETTA_TEST_ENGINE=postgres`).

use vetta::api;
use vetta::store::{Dialect, Store, StoreError};

use crate::support::*;

/// The test server, or a note that these tests were skipped.
fn server() -> Option<String> {
    let server = test_server();
    if server.is_none() {
        eprintln!("team store tests skipped: no VETTA_TEST_POSTGRES (cargo xtask test starts a server)");
    }
    server
}

/// Runs SQL as the server's owner (roles, logins).
fn admin(sql: &str) {
    let mut client = postgres::Client::connect(&test_server().unwrap(), postgres::NoTls).unwrap();
    client.batch_execute(sql).unwrap();
}

/// `url` logging in as `user` with `password`.
fn as_login(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}:{password}@{host}")
}

#[test]
fn the_demo_scores_and_hashes_the_same_on_both_engines() {
    let Some(_) = server() else { return };
    let url = fresh_database();
    let team = api::init_store(std::path::Path::new(&url), false).unwrap();
    assert_eq!(team.dialect(), Dialect::Postgres);
    let dir = tempfile::tempdir().unwrap();
    let local = api::init_store(&dir.path().join("v.db"), false).unwrap();
    assert_eq!(team.dataset_sha256().unwrap(), local.dataset_sha256().unwrap());
    let scenario = vetta::scenario::ScenarioInput { as_of: Some("2026-11-27".into()), ..Default::default() };
    let (a, b) = (vetta::engine::score(&team, &scenario).unwrap(), vetta::engine::score(&local, &scenario).unwrap());
    assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap(), "every number, band and rank");
    assert_eq!(team.search_testimony("Rubio").unwrap(), local.search_testimony("Rubio").unwrap());
    // The batches' author is the server's login.
    assert!(team.batches().unwrap().iter().all(|b| b.created_by.as_deref() == Some("owner") || b.created_by.is_some()));
}

#[test]
fn text_with_nul_and_every_control_character_round_trips_and_hashes_as_on_sqlite() {
    let Some(_) = server() else { return };
    let mut team = Store::init_postgres(&fresh_database()).unwrap();
    let mut local = Store::open_in_memory().unwrap();
    let odd: String = (0u32..32).filter_map(char::from_u32).chain("\u{1}\u{1}\u{2}é".chars()).collect();
    let entities = format!("entity_id,name,kind,country,notes\ne1,x,company,RU,\"{odd}\"\n");
    // Alias names are part of their table's key: their order (the hash's) must be SQLite's byte order.
    let mut aliases = String::from("entity_id,name,kind,source\n");
    for name in ["a\u{0}b", "a\u{1}", "a", "a\u{2}", "a\u{0}", "\u{1}\u{1}"] {
        aliases.push_str(&format!("e1,\"{name}\",aka,s\n"));
    }
    let files = [("entities.csv", entities.as_str()), ("aliases.csv", aliases.as_str())];
    for store in [&mut team, &mut local] {
        import(store, &files).unwrap();
    }
    assert_eq!(team.rows(&vetta::ingest::tables::ENTITIES).unwrap(), local.rows(&vetta::ingest::tables::ENTITIES).unwrap());
    assert_eq!(team.rows(&vetta::ingest::tables::ALIASES).unwrap(), local.rows(&vetta::ingest::tables::ALIASES).unwrap());
    assert_eq!(team.dataset_sha256().unwrap(), local.dataset_sha256().unwrap());
}

#[test]
fn a_viewer_reads_scores_and_searches_but_every_write_is_refused_as_read_only() {
    let Some(server) = server() else { return };
    let url = fresh_database();
    let mut owner = api::init_store(std::path::Path::new(&url), false).unwrap();
    let login = format!("viewer_{}", std::process::id());
    admin(&format!("DROP ROLE IF EXISTS {login}; CREATE ROLE {login} LOGIN PASSWORD 'pw' IN ROLE vetta_viewer"));
    let viewer_url = as_login(&url, &login, "pw");
    let mut viewer = Store::connect(&viewer_url).unwrap();
    assert!(!viewer.can_write().unwrap());
    assert!(owner.can_write().unwrap());
    let before = owner.dataset_sha256().unwrap();
    assert_eq!(viewer.dataset_sha256().unwrap(), before);
    assert!(vetta::engine::score(&viewer, &Default::default()).is_ok());
    assert!(!viewer.search_testimony("Rubio").unwrap().is_empty());

    let read_only = |result: Result<(), vetta::Error>, what: &str| match result {
        Err(vetta::Error::Store(StoreError::ReadOnly(_))) => {}
        other => panic!("{what}: expected a read-only refusal, got {other:?}"),
    };
    read_only(import(&mut viewer, &[("vendors.csv", VENDORS)]).map(|_| ()), "import");
    read_only(viewer.undo(3).map(|_| ()).map_err(Into::into), "undo");
    read_only(vetta::engine::save_scenario(&mut viewer, "mine", &Default::default()).map(|_| ()), "scenario save");
    let decision = api::LinkDecision {
        entity_id: "kaspersky".into(),
        other_id: "fcc:kaspersky-lab-inc".into(),
        decision: "different".into(),
        decided_by: "v".into(),
        basis: None,
    };
    read_only(api::link(&mut viewer, &[decision], vetta::engine::today()).map(|_| ()), "link");
    let message = StoreError::ReadOnly("permission denied".into()).to_string();
    assert!(message.contains("read-only"), "{message}");
    assert_eq!(owner.dataset_sha256().unwrap(), before, "nothing was written");
    assert_eq!(owner.batches().unwrap().len(), 3);
    let _ = server;
    owner.set_user(None);
}

#[test]
fn two_concurrent_imports_of_0_4_onto_a_target_held_at_0_5_commit_exactly_one() {
    let Some(_) = server() else { return };
    let url = fresh_database();
    let mut store = Store::init_postgres(&url).unwrap();
    import(
        &mut store,
        &[
            ("entities.csv", "entity_id,name,kind,country\nt,Target,company,RU\na,A,company,RU\nb,B,company,RU\nc,C,company,RU\n"),
            ("ownership.csv", "from_id,to_id,relation,share,source\na,t,equity,0.5,s\n"),
        ],
    )
    .unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let outcomes: Vec<bool> = ["b", "c"]
        .map(|from| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut store = Store::connect(&url).unwrap();
                barrier.wait();
                import(&mut store, &[("ownership.csv", &format!("from_id,to_id,relation,share,source\n{from},t,equity,0.4,s\n"))]).is_ok()
            })
        })
        .map(|t| t.join().unwrap())
        .to_vec();
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "exactly one commits: {outcomes:?}");
    let stakes: f64 = store.load_facts().unwrap().edges.iter().filter(|e| e.to == "t").filter_map(|e| e.share).sum();
    assert!((stakes - 0.9).abs() < 1e-9, "{stakes}");
}
