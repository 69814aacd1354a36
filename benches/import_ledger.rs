//! Import and check of a sales ledger (5,000,000 rows, about 230 MB of CSV, by default), as CSV and
//! as Parquet, side by side with Python polars scanning and summing the same file (when `python3`
//! has polars). Targets: 5,000,000 rows imported ≤ 3 s; 1,000,000 rows within 2× of Python polars;
//! Parquet no slower than CSV, into identical facts; peak memory ≤ 1 GB on a 2-core machine.
//!
//! `cargo bench --bench import_ledger [-- ROWS]`. The ledger is generated once, deterministically,
//! under `target/bench-data/`.

#[path = "common.rs"]
mod common;
use common::peak_rss_kb;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const COUNTRIES: [&str; 25] = [
    "US", "DE", "GB", "FR", "CN", "RU", "JP", "KR", "IN", "BR", "CA", "AU", "IT", "ES", "NL", "SE", "PL", "TR", "HK", "IR", "XWE", "XAP",
    "XME", "XLA", "XRW",
];
const SEGMENTS: [&str; 4] = ["consumer", "enterprise", "government", "other"];
const VENDORS: usize = 1_000;

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

/// Writes `vendors.csv` and a `sales.csv` ledger of `rows` transactions (with an invoice column
/// the importer warns about and ignores, as real ledgers have), unless they exist.
fn generate(rows: usize) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/ledger-{rows}"));
    if folder.join("sales.csv").exists() {
        return folder;
    }
    std::fs::create_dir_all(&folder).unwrap();
    let mut vendors = std::io::BufWriter::new(std::fs::File::create(folder.join("vendors.csv")).unwrap());
    writeln!(vendors, "vendor_id,name,hq_country,privilege,source").unwrap();
    for v in 0..VENDORS {
        writeln!(vendors, "v{v:04},Vendor {v},{},{},bench", COUNTRIES[v % 20], ["none", "user", "admin", "kernel"][v % 4]).unwrap();
    }
    vendors.flush().unwrap();
    let partial = folder.join("sales.csv.partial");
    let mut sales = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial).unwrap());
    writeln!(sales, "vendor_id,year,country,segment,revenue_usd,invoice").unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..rows {
        let r = next();
        let vendor = r % VENDORS as u64;
        let year = 2019 + (r >> 12) % 6;
        let country = COUNTRIES[((r >> 20) % 25) as usize];
        let segment = SEGMENTS[((r >> 28) % 4) as usize];
        let cents = (r >> 32) % 10_000_000;
        writeln!(sales, "v{vendor:04},{year},{country},{segment},{}.{:02},INV-{i:09}", cents / 100, cents % 100).unwrap();
    }
    sales.flush().unwrap();
    drop(sales);
    std::fs::rename(partial, folder.join("sales.csv")).unwrap();
    folder
}
