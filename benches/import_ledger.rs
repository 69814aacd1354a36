//! Import and check of a 5,000,000-row sales ledger (about 200 MB of CSV), the speed target of the
//! foundation: import ≤ 10 s, check ≤ 5 s, peak memory ≤ 1 GB on a 2-core machine.
//!
//! `cargo bench --bench import_ledger [-- ROWS]`. The ledger is generated once, deterministically,
//! under `target/bench-data/`.

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
    report("check", &mut checks);

    let mut imports = Vec::new();
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = vetta::store::Store::open(&dir.path().join("bench.db")).unwrap();
        let start = Instant::now();
        let outcome = vetta::api::import(&mut store, std::slice::from_ref(&folder)).expect("the ledger imports");
        imports.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.batch.files.len(), 2);
    }
    report("import", &mut imports);
    println!("peak resident memory: {:.0} MB", peak_rss_kb() as f64 / 1024.0);
}

fn report(what: &str, seconds: &mut [f64]) {
    seconds.sort_by(f64::total_cmp);
    println!(
        "{what}: median {:.2} s (min {:.2}, max {:.2}, {} runs)",
        seconds[seconds.len() / 2],
        seconds[0],
        seconds[seconds.len() - 1],
        seconds.len()
    );
}

/// VmHWM of this process, in kB.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0)
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
