//! The large store the engine benches share: 10,000 vendors, 50,000 entities, 100,000 ownership
//! edges, 100,000 testimony notes and a 5,000,000-row sales ledger (and, for model v1.3, ranges,
//! control ties and links), generated once, deterministically, and imported into a SQLite store.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const VENDORS: usize = 10_000;
const ENTITIES: usize = 50_000;
const EDGES: usize = 100_000;
const NOTES: usize = 100_000;
const LEDGER_ROWS: usize = 5_000_000;
const COUNTRIES: [&str; 20] =
    ["US", "DE", "GB", "FR", "CN", "RU", "JP", "KR", "IN", "BR", "CA", "AU", "IT", "ES", "NL", "SE", "IL", "HK", "IR", "NO"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The store under `under` (relative to the crate), generated and imported when missing.
pub fn store(under: &str, v13: bool) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(under);
    let db = folder.join("store.db");
    if !db.exists() {
        let data = generate(&folder.join("dataset"), v13);
        let start = Instant::now();
        let partial = folder.join("store.db.partial");
        let _ = std::fs::remove_file(&partial);
        let (mut store, _) = vetta::store::Store::open(&partial).unwrap();
        vetta::api::import(&mut store, &[data]).expect("the generated dataset imports");
        drop(store);
        std::fs::rename(&partial, &db).unwrap();
        let _ = std::fs::remove_file(folder.join("store.db.partial-wal"));
        let _ = std::fs::remove_file(folder.join("store.db.partial-shm"));
        println!("built the store in {:.1} s", start.elapsed().as_secs_f64());
    }
    db
}

fn writer(path: &Path, header: &str) -> std::io::BufWriter<std::fs::File> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    writeln!(out, "{header}").unwrap();
    out
}

fn date(rng: &mut Rng) -> String {
    format!("{}-{:02}-{:02}", 2010 + rng.below(16), 1 + rng.below(12), 1 + rng.below(28))
}

fn generate(folder: &PathBuf, v13: bool) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut out = writer(&folder.join("vendors.csv"), "vendor_id,name,hq_country,privilege,mitigation,source");
    for v in 0..VENDORS {
        let mitigation = if v % 10 == 0 { "0.1" } else { "" };
        writeln!(out, "v{v:05},Vendor {v},{},{},{mitigation},bench", COUNTRIES[v % 20], ["none", "user", "admin", "kernel"][v % 4])
            .unwrap();
    }
    out.flush().unwrap();
    let mut out = writer(&folder.join("entities.csv"), "entity_id,name,kind,country,source");
    for e in 0..ENTITIES {
        writeln!(out, "e{e:05},Entity {e},{},{},bench", ["company", "company", "person", "state_body"][e % 4], COUNTRIES[rng.below(20)])
            .unwrap();
    }
    out.flush().unwrap();
    // Equity stakes of at most 0.3, at most three per target, so shares never sum above 1.
    let header = if v13 {
        "from_id,to_id,relation,share,tie_kind,strength,confidence,source,share_min,share_max"
    } else {
        "from_id,to_id,relation,share,tie_kind,strength,confidence,source"
    };
    let mut out = writer(&folder.join("ownership.csv"), header);
    let mut stakes = vec![0u8; ENTITIES + VENDORS];
    let mut pairs = HashSet::new();
    let mut written = 0;
    while written < EDGES {
        let from = rng.below(ENTITIES);
        let to = rng.below(ENTITIES + VENDORS);
        let equity = rng.below(4) != 0;
        if (to < ENTITIES && to == from) || !pairs.insert((from, to, equity)) || (equity && stakes[to] == 3) {
            continue;
        }
        let to_id = if to < ENTITIES { format!("e{to:05}") } else { format!("v{:05}", to - ENTITIES) };
        // v1.3: one equity row in five as a range of width 0.1 above its share, one edge in twenty a control tie.
        let (ranged, control) = if v13 { (rng.below(5) == 0, rng.below(20) == 0) } else { (false, false) };
        if equity {
            stakes[to] += 1;
            let share = 0.05 + 0.25 * (rng.below(100) as f64 / 100.0);
            if ranged {
                writeln!(out, "e{from:05},{to_id},equity,,,,,bench,{share:.2},{:.2}", share + 0.1).unwrap();
            } else if v13 {
                writeln!(out, "e{from:05},{to_id},equity,{share:.2},,,,bench,,").unwrap();
            } else {
                writeln!(out, "e{from:05},{to_id},equity,{share:.2},,,,bench").unwrap();
            }
        } else if control {
            writeln!(out, "e{from:05},{to_id},tie,,control,1,0.{},bench,,", 5 + rng.below(5)).unwrap();
        } else {
            writeln!(
                out,
                "e{from:05},{to_id},tie,,{},0.{},0.{},bench{}",
                ["board", "contract", "cooperation", "personnel", "alleged"][rng.below(5)],
                1 + rng.below(9),
                1 + rng.below(9),
                if v13 { ",," } else { "" }
            )
            .unwrap();
        }
        written += 1;
    }
    out.flush().unwrap();
    if v13 {
        // 1,000 `same` links between entities (never a vendor's, so no group holds two vendors).
        let mut out = writer(&folder.join("links.csv"), "entity_id,other_id,decision,decided_by,decided_on");
        let mut linked = HashSet::new();
        while linked.len() < 1_000 {
            let (a, b) = (rng.below(ENTITIES), rng.below(ENTITIES));
            if a != b && linked.insert((a.min(b), a.max(b))) {
                writeln!(out, "e{a:05},e{b:05},same,bench,2026-01-01").unwrap();
            }
        }
        out.flush().unwrap();
    }
    let mut out =
        writer(&folder.join("testimony.csv"), "note_id,subject_id,date,speaker,stance,severity,reliability,credibility,summary,source");
    for n in 0..NOTES {
        let subject = if rng.below(2) == 0 { format!("v{:05}", rng.below(VENDORS)) } else { format!("e{:05}", rng.below(ENTITIES)) };
        let stance = ["concern", "concern", "neutral", "exculpatory"][rng.below(4)];
        let grade = ["A", "B", "C", "D", "E", "F"][rng.below(6)];
        writeln!(
            out,
            "n{n:06},{subject},{},Speaker {},{stance},{},{grade},{},Summary of statement {n},bench",
            date(&mut rng),
            rng.below(500),
            rng.below(4),
            1 + rng.below(6)
        )
        .unwrap();
    }
    out.flush().unwrap();
    let mut out = writer(&folder.join("designations.csv"), "subject_id,list,effective,source");
    let mut listed = HashSet::new();
    while listed.len() < 2_000 {
        let e = rng.below(ENTITIES);
        if listed.insert(e) {
            writeln!(out, "e{e:05},{},{},bench", ["US-OFAC-SDN", "US-BIS-ENTITY", "US-FCC-COVERED"][rng.below(3)], date(&mut rng)).unwrap();
        }
    }
    out.flush().unwrap();
    let mut out = writer(&folder.join("install_base.csv"), "vendor_id,year,country,users");
    for v in 0..VENDORS {
        for year in 2021..2026 {
            writeln!(out, "v{v:05},{year},WORLD,{}", rng.below(50_000_000)).unwrap();
        }
    }
    out.flush().unwrap();
    // A transaction ledger: each vendor sells in a handful of countries and segments.
    let mut out = writer(&folder.join("sales.csv"), "vendor_id,year,country,segment,revenue_usd");
    for _ in 0..LEDGER_ROWS {
        let v = rng.below(VENDORS);
        let country = COUNTRIES[(v * 7 + rng.below(5)) % 20];
        writeln!(
            out,
            "v{v:05},{},{country},{},{}.{:02}",
            2020 + rng.below(6),
            ["consumer", "enterprise"][rng.below(2)],
            rng.below(100_000),
            rng.below(100)
        )
        .unwrap();
    }
    out.flush().unwrap();
    folder.clone()
}
