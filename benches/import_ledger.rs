//! Import and check of a sales ledger (5,000,000 rows, about 230 MB of CSV, by default), as CSV and
//! as Parquet, side by side with Python polars scanning and summing the same file (when `python3`
//! has polars). Targets: 5,000,000 rows imported ≤ 3 s; 1,000,000 rows within 2× of Python polars;
//! Parquet no slower than CSV, into identical facts; peak memory ≤ 1 GB on a 2-core machine.
//!
//! `cargo bench --bench import_ledger [-- ROWS]`. The ledger is generated once, deterministically,
//! under `target/bench-data/`.

#[path = "common.rs"]
mod common;
#[path = "ledger.rs"]
mod ledger;
use common::peak_rss_kb;
use ledger::{VENDORS, generate};
use std::path::Path;
use std::time::Instant;

fn main() {
    let rows: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(5_000_000);
    let folder = generate(rows);
    let size: u64 = std::fs::metadata(folder.join("sales.csv")).unwrap().len();
    println!("ledger: {rows} rows, {:.0} MB of CSV, {VENDORS} vendors", size as f64 / 1e6);

    let mut checks = Vec::new();
    for _ in 0..3 {
        let store = vetta::store::Store::open_in_memory().unwrap();
        let start = Instant::now();
        vetta::api::check(&store, std::slice::from_ref(&folder)).expect("the ledger is valid");
        checks.push(start.elapsed().as_secs_f64());
    }
    let _ = report("check", &mut checks);

    let mut imports = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = vetta::store::Store::open(&dir.path().join("bench.db")).unwrap();
        let start = Instant::now();
        let outcome = vetta::api::import(&mut store, std::slice::from_ref(&folder)).expect("the ledger imports");
        imports.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.batch.files.len(), 2);
    }
    let csv_median = report("import", &mut imports);
    let csv_facts = facts(&folder);

    // The same ledger as Parquet, beside the same vendors.
    let parquet_folder = folder.with_extension("parquet-copy");
    if !parquet_folder.join("sales.parquet").exists() {
        std::fs::create_dir_all(&parquet_folder).unwrap();
        std::fs::copy(folder.join("vendors.csv"), parquet_folder.join("vendors.csv")).unwrap();
        write_parquet(&folder.join("sales.csv"), &parquet_folder.join("sales.parquet"));
    }
    let mut parquet_imports = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = vetta::store::Store::open(&dir.path().join("bench.db")).unwrap();
        let start = Instant::now();
        vetta::api::import(&mut store, std::slice::from_ref(&parquet_folder)).expect("the Parquet ledger imports");
        parquet_imports.push(start.elapsed().as_secs_f64());
    }
    let parquet_median = report("import (Parquet)", &mut parquet_imports);
    let parquet_facts = facts(&parquet_folder);
    println!(
        "Parquet / CSV: {:.2}× the time; facts {}",
        parquet_median / csv_median,
        if parquet_facts == csv_facts { "identical" } else { "DIFFER" }
    );
    assert_eq!(parquet_facts, csv_facts, "the same ledger as Parquet gives the same facts");

    // The peer: Python polars' lazy scan and group-by of the same file.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/import_ledger.py");
    match std::process::Command::new("python3").arg(&script).arg(folder.join("sales.csv")).arg("3").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let seconds: f64 = text.split_whitespace().next().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
            println!("python polars scan + group-by: median {seconds:.2} s; Vetta's import is {:.2}× that", csv_median / seconds);
        }
        _ => println!("python polars: skipped (python3 with polars not found)"),
    }
    println!("peak resident memory: {:.0} MB", peak_rss_kb() as f64 / 1024.0);
}

/// The dataset hash of a store holding the folder's import.
fn facts(folder: &Path) -> String {
    let mut store = vetta::store::Store::open_in_memory().unwrap();
    vetta::api::import(&mut store, &[folder.to_path_buf()]).unwrap();
    store.dataset_sha256().unwrap()
}

/// The ledger as Parquet: year as an integer, revenue as a double, the rest as text.
fn write_parquet(csv: &Path, parquet: &Path) {
    use polars::prelude::*;
    let mut frame = LazyCsvReader::new(PlRefPath::new(csv.to_str().unwrap()))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .finish()
        .unwrap()
        .select([
            col("vendor_id"),
            col("year").cast(DataType::Int64),
            col("country"),
            col("segment"),
            col("revenue_usd").cast(DataType::Float64),
            col("invoice"),
        ])
        .collect()
        .unwrap();
    let file = std::fs::File::create(parquet).unwrap();
    ParquetWriter::new(file).finish(&mut frame).unwrap();
}

fn report(what: &str, seconds: &mut [f64]) -> f64 {
    seconds.sort_by(f64::total_cmp);
    println!(
        "{what}: median {:.2} s (min {:.2}, max {:.2}, {} runs)",
        seconds[seconds.len() / 2],
        seconds[0],
        seconds[seconds.len() - 1],
        seconds.len()
    );
    seconds[seconds.len() / 2]
}
