//! The risk engine on a large store: 10,000 vendors, 50,000 entities, 100,000 ownership edges,
//! 100,000 testimony notes and a 5,000,000-row sales ledger. Targets (risk-engine issue): all
//! factors ≤ 1 s from an open store; `vetta score --format json` ≤ 2 s end to end (time the binary on
//! the store this bench leaves under `target/bench-data/engine/`).
//!
//! The same store again with what model v1.3 adds: 20 % of the equity rows as ranges, 5 % of the edges
//! as control ties, 1,000 `same` links (target: load + all factors + score ≤ 1 s).
//!
//! `cargo bench --bench engine_store`. The datasets and their stores are generated once, deterministically.

#[path = "engine_data.rs"]
mod engine_data;
use engine_data::VENDORS;
use std::time::Instant;

use vetta::engine::Evaluation;
use vetta::scenario::ScenarioInput;

fn main() {
    run("v1.2 facts", "target/bench-data/engine", false);
    run("with v1.3 ranges, control ties and links", "target/bench-data/engine-v13", true);
}

fn run(label: &str, under: &str, v13: bool) {
    println!("== {label}");
    let db = engine_data::store(under, v13);
    let (store, _) = vetta::store::Store::open(&db).unwrap();
    println!("store: {}", store.counts().unwrap().iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>().join(", "));
    store.dataset_sha256().unwrap();

    let mut load = Vec::new();
    let mut factors = Vec::new();
    let mut score = Vec::new();
    for _ in 0..7 {
        let scenario = vetta::engine::resolve(&store, &ScenarioInput::default()).unwrap();
        let start = Instant::now();
        let facts = store.load_facts().unwrap();
        load.push(start.elapsed().as_secs_f64());
        let result = vetta::factors::compute(&facts, &scenario.params);
        factors.push(start.elapsed().as_secs_f64());
        std::hint::black_box(result);
        let start = Instant::now();
        let report = Evaluation::new(&store, scenario).unwrap().score();
        score.push(start.elapsed().as_secs_f64());
        assert_eq!(report.vendors.len(), VENDORS);
    }
    report("load facts from the store", &mut load);
    report("load + all factors", &mut factors);
    report("load + factors + score + rank (Evaluation)", &mut score);
    println!("end to end: time `target/release/vetta --db {} score --format json`", db.display());
}

fn report(what: &str, seconds: &mut [f64]) {
    seconds.sort_by(f64::total_cmp);
    println!("{what}: median {:.3} s (min {:.3}, max {:.3})", seconds[seconds.len() / 2], seconds[0], seconds[seconds.len() - 1]);
}
