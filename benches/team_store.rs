//! The team store against the local file, on the same data (team-store issue). Targets:
//! - a 5,000,000-row sales ledger imported into PostgreSQL on loopback ≤ 3× the SQLite time;
//! - scoring a 10,000-vendor team store (the `engine_store` bench's store, pushed to PostgreSQL)
//!   ≤ 1.5× the SQLite time.
//!
//! `VETTA_BENCH_POSTGRES=postgresql://owner:…@127.0.0.1:PORT/postgres cargo bench --bench team_store
//! [-- ROWS] [import|scoring]`: a login that may create databases (`import` or `scoring` runs that
//! part only). Each run gets a new database, dropped afterwards. Without the variable the bench says
//! so and stops.

#[path = "engine_data.rs"]
mod engine_data;
#[path = "ledger.rs"]
mod ledger;

use std::time::Instant;

use vetta::engine::Evaluation;
use vetta::scenario::ScenarioInput;
use vetta::store::Store;

fn main() {
    let Some(server) = std::env::var("VETTA_BENCH_POSTGRES").ok().filter(|u| !u.is_empty()) else {
        println!("team_store: skipped (set VETTA_BENCH_POSTGRES to a PostgreSQL URL whose login may create databases)");
        return;
    };
    let rows: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(5_000_000);
    let only = std::env::args().skip(1).find(|a| a == "import" || a == "scoring");
    let mut databases = Databases { server, made: Vec::new() };
    if only.as_deref() != Some("scoring") {
        ledger_import(&mut databases, rows);
    }
    if only.as_deref() != Some("import") {
        scoring(&mut databases);
    }
}

/// The ledger into a new SQLite file and into a new PostgreSQL database, three times each.
fn ledger_import(databases: &mut Databases, rows: usize) {
    let folder = ledger::generate(rows);
    println!("== a {rows}-row sales ledger ({} vendors), imported", ledger::VENDORS);
    let mut sqlite = Vec::new();
    let mut postgres = Vec::new();
    let mut hashes = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open(&dir.path().join("bench.db")).unwrap();
        let start = Instant::now();
        vetta::api::import(&mut store, std::slice::from_ref(&folder)).expect("the ledger imports");
        sqlite.push(start.elapsed().as_secs_f64());
        hashes.push(store.dataset_sha256().unwrap());

        let mut store = Store::init_postgres(&databases.fresh()).expect("the bench database takes a workspace");
        let start = Instant::now();
        vetta::api::import(&mut store, std::slice::from_ref(&folder)).expect("the ledger imports");
        postgres.push(start.elapsed().as_secs_f64());
        hashes.push(store.dataset_sha256().unwrap());
        drop(store);
        databases.drop_all();
    }
    assert!(hashes.windows(2).all(|w| w[0] == w[1]), "both engines hold the same facts");
    let (s, p) = (report("SQLite file", &mut sqlite), report("PostgreSQL (loopback)", &mut postgres));
    println!("PostgreSQL / SQLite: {:.2}× (target ≤ 3×); the same dataset_sha256 on both", p / s);

    // Importing the same ledger again replaces every row (the journal keeps them all).
    let mut store = Store::init_postgres(&databases.fresh()).unwrap();
    vetta::api::import(&mut store, std::slice::from_ref(&folder)).unwrap();
    let start = Instant::now();
    vetta::api::import(&mut store, std::slice::from_ref(&folder)).unwrap();
    println!("PostgreSQL, the same ledger again (every row replaced and journaled): {:.2} s", start.elapsed().as_secs_f64());
    drop(store);
    databases.drop_all();
}

/// The engine bench's 10,000-vendor store scored from its file and from PostgreSQL, seven times each.
fn scoring(databases: &mut Databases) {
    let file = engine_data::store("target/bench-data/engine", false);
    let url = databases.fresh();
    let start = Instant::now();
    vetta::api::workspace_push(&file, &url).expect("the engine store pushes");
    println!("== scoring a {}-vendor store (pushed to PostgreSQL in {:.1} s)", engine_data::VENDORS, start.elapsed().as_secs_f64());
    let (local, _) = Store::open(&file).unwrap();
    let team = Store::connect(&url).unwrap();
    // One untimed round first: the first read of a store prepares its statements, opens the
    // PostgreSQL store's second connection and computes the dataset hash the store then caches.
    for store in [&local, &team] {
        let scenario = vetta::engine::resolve(store, &ScenarioInput::default()).unwrap();
        Evaluation::new(store, scenario).unwrap();
    }
    let mut times = [Vec::new(), Vec::new()];
    let mut scores = Vec::new();
    for _ in 0..7 {
        for (i, store) in [&local, &team].into_iter().enumerate() {
            let scenario = vetta::engine::resolve(store, &ScenarioInput::default()).unwrap();
            let start = Instant::now();
            let report = Evaluation::new(store, scenario).unwrap().score();
            times[i].push(start.elapsed().as_secs_f64());
            assert_eq!(report.vendors.len(), engine_data::VENDORS);
            scores.push(report.vendors.iter().map(|v| v.score).sum::<f64>());
        }
    }
    // Revenue is summed by each engine (PostgreSQL may sum in parallel, in another order): equal to
    // the last bits only up to rounding.
    assert!(scores.windows(2).all(|w| (w[0] - w[1]).abs() <= 1e-9 * w[0].abs().max(1.0)), "both engines score alike: {scores:?}");
    let [sqlite, postgres] = &mut times;
    let (s, p) = (report("SQLite file: load + factors + score + rank", sqlite), report("PostgreSQL: the same", postgres));
    println!("PostgreSQL / SQLite: {:.2}× (target ≤ 1.5×)", p / s);
    drop(team);
    databases.drop_all();
}

fn report(what: &str, seconds: &mut [f64]) -> f64 {
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!("{what}: median {median:.3} s (min {:.3}, max {:.3}, {} runs)", seconds[0], seconds[seconds.len() - 1], seconds.len());
    median
}

/// The bench's databases on the server, dropped when done with.
struct Databases {
    server: String,
    made: Vec<String>,
}

impl Databases {
    /// A new, empty database; its URL.
    fn fresh(&mut self) -> String {
        let name = format!("vetta_bench_{}_{}", std::process::id(), self.made.len());
        let mut admin = postgres::Client::connect(&self.server, postgres::NoTls).expect("the bench server answers");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        self.made.push(name.clone());
        with_database(&self.server, &name)
    }

    fn drop_all(&mut self) {
        let mut admin = postgres::Client::connect(&self.server, postgres::NoTls).expect("the bench server answers");
        for name in self.made.drain(..) {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        }
    }
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
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
