//! The team store on PostgreSQL (issue 13): what only a server has — several analysts at once, roles,
//! the server's logins as authors. Needs the test server (`VETTA_TEST_POSTGRES`, which `cargo xtask
//! test` starts); without one each test says so and passes, and the rest of the suites run on
//! SQLite. The suites that run on both engines are the others (`VETTA_TEST_ENGINE=postgres`).

use vetta::api;
use vetta::store::{Dialect, Store, StoreError};

use crate::support::*;

/// The test server, or a note that these tests were skipped.
fn server() -> Option<String> {
    if std::env::var("VETTA_TEST_ENGINE").as_deref() == Ok("postgres") {
        // The second pass of the suites on PostgreSQL: these ran in the first.
        return None;
    }
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

#[test]
fn a_wrong_password_is_refused_at_once_with_the_servers_words() {
    let Some(_) = server() else { return };
    let url = fresh_database();
    Store::init_postgres(&url).unwrap();
    let start = std::time::Instant::now();
    let error = Store::connect(&as_login(&url, "owner", "not-the-password")).err().expect("refused");
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    assert!(error.to_string().contains("password authentication failed"), "{error}");
    // A server that does not answer: refused within the connect timeout, not hung.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let start = std::time::Instant::now();
    assert!(Store::connect(&format!("postgresql://owner:x@127.0.0.1:{closed}/vetta")).is_err());
    assert!(start.elapsed() < std::time::Duration::from_secs(6));
}

#[test]
fn push_then_pull_keeps_the_hash_batch_ids_authors_journal_and_hostile_text() {
    let Some(_) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.db");
    {
        let mut local = api::init_store(&file, false).unwrap();
        local.set_user(Some("ana".into()));
        let hostile = "nul\u{0}inside, \u{1}, =HYPERLINK(\"x\"), \u{202e}rtl";
        let entities = format!("entity_id,name,kind,country,notes\nstate,State,state_body,RU,\"{}\"\n", hostile.replace('"', "\"\""));
        import(&mut local, &[("entities.csv", &entities)]).unwrap();
        let second = import(&mut local, &[("entities.csv", "entity_id,name,kind,country\nstate,State Body,state_body,RU\n")]).unwrap();
        local.set_user(Some("ben".into()));
        local.undo(second.batch.batch_id).unwrap();
        vetta::engine::save_scenario(&mut local, "mine", &Default::default()).unwrap();
    }
    let (local, _) = Store::open(&file).unwrap();
    let url = fresh_database();
    let pushed = api::workspace_push(&file, &url).unwrap();
    let team = Store::connect(&url).unwrap();
    assert_eq!(pushed.dataset_sha256, local.dataset_sha256().unwrap());
    assert_eq!(team.dataset_sha256().unwrap(), local.dataset_sha256().unwrap());
    assert_eq!(team.batches().unwrap(), local.batches().unwrap(), "ids, labels, files, counts, authors, undo marks");
    assert_eq!(team.scenario("mine").unwrap(), local.scenario("mine").unwrap());
    assert_eq!(team.rows(&vetta::ingest::tables::ENTITIES).unwrap(), local.rows(&vetta::ingest::tables::ENTITIES).unwrap());
    assert!(pushed.journal > 0);
    // Pushing again into the same, no longer empty, workspace is refused and changes nothing.
    assert!(api::workspace_push(&file, &url).is_err());
    assert_eq!(team.batches().unwrap().len(), local.batches().unwrap().len());

    let back = dir.path().join("back.db");
    let pulled = api::workspace_pull(&back, &url).unwrap();
    assert_eq!(pulled, pushed, "the same hash, counts, batches and journal");
    let (back, _) = Store::open(&back).unwrap();
    assert_eq!(back.batches().unwrap(), local.batches().unwrap());
    assert_eq!(back.rows(&vetta::ingest::tables::ENTITIES).unwrap(), local.rows(&vetta::ingest::tables::ENTITIES).unwrap());
    // A new batch on the team store continues after the copied ids, and undo works across the move.
    let mut team = team;
    let next = import(&mut team, &[("entities.csv", "entity_id,name,kind,country\nnew1,New,company,GB\n")]).unwrap();
    assert_eq!(next.batch.batch_id, local.batches().unwrap().last().unwrap().batch_id + 1);
    team.undo(next.batch.batch_id).unwrap();
    assert_eq!(team.dataset_sha256().unwrap(), local.dataset_sha256().unwrap());
}

#[test]
fn four_analysts_with_25_overlapping_batches_each_serialise_to_a_serial_replay() {
    let Some(_) = server() else { return };
    const ANALYSTS: usize = 4;
    const BATCHES: usize = 25;
    let base: Vec<(&str, String)> = vec![(
        "entities.csv",
        format!(
            "entity_id,name,kind,country\n{}{}",
            (0..10).map(|i| format!("e{i},E{i},company,RU\n")).collect::<String>(),
            (0..5).map(|k| format!("t{k},T{k},company,RU\n")).collect::<String>()
        ),
    )];
    let base_files: Vec<(&str, &str)> = base.iter().map(|(n, t)| (*n, t.as_str())).collect();
    // Batch i of analyst a renames two entities others rename too, and holds 0.3 of a target that
    // every analyst invests in: the fourth stake in one target would pass 1 and is refused whole.
    let batch_files = |a: usize, i: usize| -> Vec<(&'static str, String)> {
        vec![
            (
                "entities.csv",
                format!(
                    "entity_id,name,kind,country\ne{},by {a} #{i},company,RU\ne{},by {a} #{i},company,RU\n",
                    (a + i) % 10,
                    (a * 3 + i + 5) % 10
                ),
            ),
            ("ownership.csv", format!("from_id,to_id,relation,share,source\ne{a},t{},equity,0.3,analyst {a}\n", i % 5)),
        ]
    };
    let url = fresh_database();
    let mut team = Store::init_postgres(&url).unwrap();
    import(&mut team, &base_files).unwrap();
    let start_hash = team.dataset_sha256().unwrap();

    let barrier = std::sync::Arc::new(std::sync::Barrier::new(ANALYSTS));
    let threads: Vec<_> = (0..ANALYSTS)
        .map(|a| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut store = Store::connect(&url).unwrap();
                barrier.wait();
                (0..BATCHES)
                    .map(|i| {
                        let files = batch_files(a, i);
                        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
                        (a, i, import(&mut store, &files).ok().map(|o| o.batch.batch_id))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut outcomes: Vec<(usize, usize, Option<i64>)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let committed = outcomes.iter().filter(|o| o.2.is_some()).count();
    assert!(committed > 0 && committed < ANALYSTS * BATCHES, "some commit and some are refused: {committed}");

    // The serial replay on SQLite of the committed batches, in the order the server committed them.
    outcomes.retain(|o| o.2.is_some());
    outcomes.sort_by_key(|o| o.2);
    let mut replay = Store::open_in_memory().unwrap();
    import(&mut replay, &base_files).unwrap();
    for (a, i, _) in &outcomes {
        let files = batch_files(*a, *i);
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        import(&mut replay, &files).expect("a batch the server committed commits in the same order on SQLite");
    }
    assert_eq!(team.dataset_sha256().unwrap(), replay.dataset_sha256().unwrap());
    let batches = team.batches().unwrap();
    assert_eq!(batches.len(), 1 + committed, "a refused batch leaves no batch row");

    // Undoing every committed batch, newest first, restores the start.
    for (_, _, id) in outcomes.iter().rev() {
        team.undo(id.unwrap()).unwrap();
    }
    assert_eq!(team.dataset_sha256().unwrap(), start_hash);
}

/// A cluster of the test's own (for what would disturb the shared one: killing the server,
/// reconfiguring TLS), from the binaries `cargo xtask test` names in `VETTA_TEST_PGBIN`.
struct Cluster {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    options: String,
    root: bool,
}

impl Cluster {
    fn start(extra: &str) -> Option<Cluster> {
        let bin = std::path::PathBuf::from(std::env::var_os("VETTA_TEST_PGBIN")?);
        let dir = tempfile::tempdir().unwrap();
        let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
        if root {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        std::fs::write(dir.path().join("pw"), "secret").unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off {extra}", dir.path().display());
        let cluster = Cluster { bin, dir, port, options, root };
        let data = cluster.data();
        let pw = cluster.dir.path().join("pw");
        assert!(
            cluster
                .tool("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-U", "owner", "-A", "scram-sha-256", "--no-sync", "--pwfile"])
                .arg(&pw)
                .output()
                .unwrap()
                .status
                .success()
        );
        cluster.pg_ctl_start();
        Some(cluster)
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    fn tool(&self, name: &str) -> std::process::Command {
        let path = self.bin.join(name);
        if self.root {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            std::process::Command::new(path)
        }
    }

    /// Starts the server; after a crash, again until the old server's processes are gone.
    fn pg_ctl_start(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let out = self
                .tool("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-w", "-s", "-l"])
                .arg(self.dir.path().join("log"))
                .arg("-o")
                .arg(&self.options)
                .arg("start")
                .output()
                .unwrap();
            if out.status.success() {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "pg_ctl start: {}", String::from_utf8_lossy(&out.stderr));
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }

    /// `kill -9` of the postmaster, as a crash or a pulled plug would.
    fn kill(&self) {
        let pid = std::fs::read_to_string(self.data().join("postmaster.pid")).unwrap().lines().next().unwrap().trim().to_string();
        assert!(std::process::Command::new("kill").args(["-9", &pid]).status().unwrap().success());
        std::thread::sleep(std::time::Duration::from_millis(500));
    }

    fn url(&self, database: &str) -> String {
        format!("postgresql://owner:secret@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.tool("pg_ctl").arg("-D").arg(self.data()).args(["-s", "-m", "immediate", "stop"]).output();
    }
}

#[test]
fn a_server_killed_mid_import_keeps_no_row_of_the_batch_and_the_import_then_succeeds() {
    let Some(_) = server() else { return };
    let Some(cluster) = Cluster::start("") else {
        eprintln!("skipped: no VETTA_TEST_PGBIN");
        return;
    };
    let url = cluster.url("postgres");
    let mut store = Store::init_postgres(&url).unwrap();
    import(&mut store, &[("vendors.csv", VENDORS), ("entities.csv", ENTITIES)]).unwrap();
    let before = (store.batches().unwrap().len(), store.dataset_sha256().unwrap());
    drop(store);
    let mut ledger = String::from("entity_id,name,kind,country\n");
    for i in 0..100_000 {
        ledger.push_str(&format!("x{i},Entity {i},company,RU\n"));
    }
    let ledger = std::sync::Arc::new(ledger);
    let importing = {
        let (url, ledger) = (url.clone(), ledger.clone());
        std::thread::spawn(move || {
            let mut store = Store::connect(&url).unwrap();
            import(&mut store, &[("entities.csv", ledger.as_str())]).map(|_| ())
        })
    };
    // Killed while the import's transaction is writing its rows.
    let mut watcher = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while watcher
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE (query LIKE 'COPY %entities%' OR query LIKE 'INSERT INTO entities%') AND xact_start IS NOT NULL",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0)
        == 0
    {
        assert!(std::time::Instant::now() < deadline, "the import never started writing");
        assert!(!importing.is_finished(), "the import ended before the server was killed: {:?}", importing.join().unwrap());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(watcher);
    cluster.kill();
    assert!(importing.join().unwrap().is_err(), "the import cannot have committed");
    cluster.pg_ctl_start();
    let mut store = Store::connect(&url).unwrap();
    assert_eq!((store.batches().unwrap().len(), store.dataset_sha256().unwrap()), before, "no row and no batch of the killed import");
    assert_eq!(store.counts().unwrap().iter().find(|(t, _)| *t == "entities").unwrap().1, 2, "the base's two entities only");
    import(&mut store, &[("entities.csv", ledger.as_str())]).expect("the same import then succeeds");
    assert_eq!(store.counts().unwrap().iter().find(|(t, _)| *t == "entities").unwrap().1, 100_002);
}

#[test]
fn a_certificate_for_another_host_is_refused_at_once_and_one_the_workspace_trusts_connects() {
    let Some(_) = server() else { return };
    // The server's certificate and key, made by the user the server runs as (it reads only its own
    // key), before the cluster starts with TLS on.
    if std::env::var_os("VETTA_TEST_PGBIN").is_none() {
        eprintln!("skipped: no VETTA_TEST_PGBIN");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let (crt, key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
    let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    let mut openssl = if root {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "postgres", "--", "openssl"]);
        c
    } else {
        std::process::Command::new("openssl")
    };
    let made = openssl
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=otherhost.example"])
        .args(["-addext", "subjectAltName=DNS:otherhost.example", "-addext", "basicConstraints=critical,CA:TRUE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let cluster = Cluster::start(&format!("-c ssl=on -c ssl_cert_file={} -c ssl_key_file={}", crt.display(), key.display())).unwrap();
    let url = cluster.url("postgres");
    let with = |query: &str| format!("{url}?{query}&sslrootcert={}", crt.display());

    // Trusted authority, but the certificate names another host: refused, at once, saying so.
    let start = std::time::Instant::now();
    let error = Store::init_postgres(&with("sslmode=verify-full")).err().expect("a certificate for another host");
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    let message = error.to_string().to_lowercase();
    assert!(message.contains("certificate") || message.contains("hostname") || message.contains("tls"), "{message}");
    // `require` verifies too (Vetta never connects to a server it cannot verify): without the
    // authority the self-signed certificate is refused.
    assert!(Store::init_postgres(&format!("{url}?sslmode=require")).is_err());
    // verify-ca checks the chain only: the workspace's own authority connects, over TLS.
    let store = Store::init_postgres(&with("sslmode=verify-ca")).expect("the trusted certificate connects");
    assert!(store.can_write().unwrap());
}
