//! The sales ledger the import benches share: `rows` transactions over 1,000 vendors, generated
//! once, deterministically, under `target/bench-data/`.

use std::io::Write;
use std::path::{Path, PathBuf};

const COUNTRIES: [&str; 25] = [
    "US", "DE", "GB", "FR", "CN", "RU", "JP", "KR", "IN", "BR", "CA", "AU", "IT", "ES", "NL", "SE", "PL", "TR", "HK", "IR", "XWE", "XAP",
    "XME", "XLA", "XRW",
];
const SEGMENTS: [&str; 4] = ["consumer", "enterprise", "government", "other"];
pub const VENDORS: usize = 1_000;

/// Writes `vendors.csv` and a `sales.csv` ledger of `rows` transactions (with an invoice column
/// the importer warns about and ignores, as real ledgers have), unless they exist.
pub fn generate(rows: usize) -> PathBuf {
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
