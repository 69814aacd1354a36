//! Realistic demo inputs for the charts, shared by `examples/render_all.rs` and `benches/charts.rs`.
//! Deterministic (a fixed xorshift), fictional names.
#![allow(dead_code)]

use vetta::charts::{
    Factor, InstallPoint, OwnerEdge, OwnerNode, OwnershipGraph, Profile, RankingBar, SalesPoint, SmaaRow, TestimonyPoint, TornadoBar,
};

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    /// Uniform in [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub const NAMES: [&str; 24] = [
    "Harbourline Telecom Equipment (fictional)",
    "Vostok Antivirus Laboratories",
    "Northwind Networks",
    "Kestrel Security Systems",
    "Orion Cloud Services",
    "Baltic Data Solutions",
    "Zenith Endpoint Protection",
    "Sable Analytics",
    "Polar Route Software",
    "Meridian Identity",
    "Crescent Hardware Group",
    "Atlas Logistics IT",
    "Quill & Quire Documents",
    "Lumen Payroll",
    "Harbor Mail Gateway",
    "Tessera Storage",
    "Granite Firewall Appliances",
    "Bluefin Remote Access",
    "Cobalt Print Management",
    "Juniper Ridge Backup",
    "Aurora Video Conferencing",
    "Pinnacle ERP Suite",
    "Ironbark Camera Systems",
    "Willow HR Cloud",
];

/// Default weights of the risk model, normalised.
pub const WEIGHTS: [f64; 8] = [0.20, 0.15, 0.10, 0.05, 0.15, 0.15, 0.10, 0.10];

pub fn factors(rng: &mut Rng, risky: f64) -> [f64; 8] {
    let mut x = [0.0; 8];
    for (j, v) in x.iter_mut().enumerate() {
        *v = match Factor::ALL[j] {
            Factor::Jurisdiction | Factor::Designations => f64::from(u8::from(rng.next() < risky * 0.6)),
            Factor::Privilege => [0.0, 0.25, 0.6, 1.0][(rng.next() * 4.0) as usize],
            _ => (rng.next() * risky * 1.3).min(1.0),
        };
    }
    x
}

pub fn ranking(n: usize) -> Vec<RankingBar> {
    let mut rng = Rng::new(42);
    let mut bars: Vec<RankingBar> = (0..n)
        .map(|i| {
            let risky = 1.0 - i as f64 / n.max(1) as f64 * 0.9;
            let x = factors(&mut rng, risky);
            let contributions: [f64; 8] = std::array::from_fn(|j| 100.0 * WEIGHTS[j] * x[j]);
            let score: f64 = contributions.iter().sum();
            let name = if i < NAMES.len() { NAMES[i].to_owned() } else { format!("Vendor {:03}", i + 1) };
            RankingBar {
                vendor_id: format!("v{i:03}"),
                name,
                score,
                band: String::new(),
                prohibited: x[5] == 1.0,
                contributions: Some(contributions),
            }
        })
        .collect();
    bars.sort_by(|a, b| b.score.total_cmp(&a.score));
    for b in &mut bars {
        b.band = match b.score {
            s if s >= 75.0 => "severe",
            s if s >= 50.0 => "high",
            s if s >= 25.0 => "moderate",
            _ => "low",
        }
        .to_owned();
    }
    bars
}

pub fn profiles(n: usize) -> Vec<Profile> {
    let mut rng = Rng::new(7);
    (0..n).map(|i| Profile { name: NAMES[i % NAMES.len()].to_owned(), factors: factors(&mut rng, 0.9 - 0.12 * i as f64) }).collect()
}

pub fn sales(years: i32, countries: usize) -> Vec<SalesPoint> {
    const COUNTRIES: [(&str, bool); 12] = [
        ("US", false),
        ("CN", true),
        ("DE", false),
        ("RU", true),
        ("GB", false),
        ("JP", false),
        ("FR", false),
        ("HK", true),
        ("IN", false),
        ("BR", false),
        ("IR", true),
        ("KR", false),
    ];
    let mut rng = Rng::new(11);
    let mut out = Vec::new();
    for y in 0..years {
        for (k, (c, concern)) in COUNTRIES.iter().take(countries).enumerate() {
            let base = 2.4e9 / (1.0 + k as f64).powf(1.1);
            let growth = 1.0 + 0.08 * f64::from(y);
            let drift = if *c == "RU" { (1.0 - 0.12 * f64::from(y)).max(0.05) } else { 1.0 };
            out.push(SalesPoint {
                year: 2017 + y,
                country: (*c).to_owned(),
                revenue_usd: base * growth * drift * (0.85 + 0.3 * rng.next()),
                concern: *concern,
            });
        }
    }
    out
}

pub fn installs() -> Vec<InstallPoint> {
    [
        (2015, 2.1e6),
        (2016, 8.5e6),
        (2017, 3.2e7),
        (2018, 9.0e7),
        (2019, 1.8e8),
        (2020, 3.9e8),
        (2021, 6.1e8),
        (2022, 8.4e8),
        (2023, 1.02e9),
        (2024, 1.21e9),
    ]
    .into_iter()
    .map(|(year, users)| InstallPoint { year, users })
    .collect()
}

pub fn testimony() -> Vec<TestimonyPoint> {
    let rows = [
        ("2016-03-14", 2, "concern", "B2", "Senate Intel."),
        ("2017-09-01", 3, "concern", "A1", "DHS"),
        ("2017-11-20", 1, "neutral", "C3", "Vendor CEO"),
        ("2018-06-05", 2, "exculpatory", "C2", "Auditor (KPMG)"),
        ("2019-02-11", 3, "concern", "B1", "FBI Director"),
        ("2019-02-28", 2, "concern", "B2", "NCSC"),
        ("2020-07-19", 1, "exculpatory", "D3", "Vendor counsel"),
        ("2021-01-08", 0, "neutral", "F6", "Anonymous"),
        ("2021-10-30", 2, "concern", "A2", "BSI"),
        ("2022-05-17", 3, "concern", "B2", "House Energy"),
        ("2023-03-02", 1, "exculpatory", "B3", "Indep. review"),
        ("2024-01-22", 2, "concern", "C2", "Journalist"),
    ];
    rows.into_iter()
        .map(|(d, severity, stance, grade, label)| TestimonyPoint {
            date: d.parse().expect("demo dates are valid"),
            severity,
            stance: stance.to_owned(),
            grade: grade.to_owned(),
            label: label.to_owned(),
        })
        .collect()
}

pub fn tornado() -> (f64, Vec<TornadoBar>) {
    let base = 61.4;
    let deltas = [(9.5, -8.1), (3.2, -2.9), (5.0, -4.6), (-1.1, 1.0), (6.8, -6.0), (-4.2, 3.9), (2.2, -2.0), (0.0, 0.0)];
    let bars = Factor::ALL
        .iter()
        .zip(deltas)
        .map(|(f, (up, down))| TornadoBar { factor: f.key().to_owned(), low_score: base + down, high_score: base + up })
        .collect();
    (base, bars)
}

pub fn smaa(rows: usize, ranks: usize) -> Vec<SmaaRow> {
    let mut rng = Rng::new(3);
    (0..rows)
        .map(|i| {
            // A bump around the vendor's expected rank, normalised to 1.
            let centre = i as f64 * ranks as f64 / rows.max(1) as f64;
            let spread = 0.6 + 1.8 * rng.next();
            let raw: Vec<f64> = (0..ranks).map(|r| (-((r as f64 - centre) / spread).powi(2)).exp()).collect();
            let total: f64 = raw.iter().sum();
            SmaaRow {
                vendor_id: format!("v{i:03}"),
                name: NAMES[i % NAMES.len()].to_owned(),
                acceptability: raw.iter().map(|v| v / total).collect(),
            }
        })
        .collect()
}

fn node(id: &str, name: &str, kind: &str, concern: bool, controller: bool) -> OwnerNode {
    OwnerNode { id: id.to_owned(), name: name.to_owned(), kind: kind.to_owned(), concern, controller }
}

fn equity(from: &str, to: &str, share: f64) -> OwnerEdge {
    OwnerEdge { from: from.to_owned(), to: to.to_owned(), share: Some(share), tie: false, alleged: false, range: None, control: false }
}

fn tie(from: &str, to: &str, alleged: bool) -> OwnerEdge {
    OwnerEdge { from: from.to_owned(), to: to.to_owned(), share: None, tie: true, alleged, range: None, control: false }
}

/// A realistic vendor: a holding chain up to a state body, an employee trust, a cross-holding cycle and ties.
pub fn ownership_demo() -> OwnershipGraph {
    OwnershipGraph {
        root: "v".to_owned(),
        nodes: vec![
            node("v", "Harbourline Telecom Equipment", "vendor", true, false),
            node("h", "Harbourline Holdings Ltd", "company", true, true),
            node("t", "Employee Shareholding Trust", "company", false, false),
            node("p", "Ren Zhi (founder)", "person", true, true),
            node("s", "State Assets Commission", "state_body", true, false),
            node("i", "Investco Capital", "company", false, false),
            node("f", "Free float (public)", "company", false, false),
            node("x", "Shenzhen Cross Holdings", "company", true, false),
            node("m", "Ministry of State Security", "state_body", true, false),
            node("u", "University Research Lab", "company", false, false),
        ],
        edges: vec![
            equity("h", "v", 0.72),
            equity("f", "v", 0.28),
            equity("t", "h", 0.35),
            equity("p", "h", 0.51),
            equity("x", "h", 0.14),
            equity("s", "x", 0.60),
            equity("h", "x", 0.125),
            equity("i", "t", 0.4),
            tie("p", "m", true),
            tie("v", "u", false),
            tie("s", "m", false),
        ],
    }
}

/// A generated graph of `n` entities for benchmarks, shaped like a real holding structure: layers of
/// holdings above the vendor (each entity owns part of one entity in the layer below), a few cross-holdings
/// and a cycle, and some ties.
pub fn ownership_generated(n: usize) -> OwnershipGraph {
    let mut rng = Rng::new(5);
    let kinds = ["company", "company", "person", "state_body"];
    let mut nodes = vec![node("n0", "Vendor Under Review", "vendor", false, false)];
    let mut edges = Vec::new();
    let mut layers: Vec<Vec<usize>> = vec![vec![0]];
    let widths = [3, 5, 7, 8, 6, 4, 3, 2];
    let mut next = 1;
    'outer: for w in widths.iter().cycle() {
        let below = layers[layers.len() - 1].clone();
        let mut layer = Vec::new();
        for k in 0..*w {
            if next >= n {
                layers.push(layer);
                break 'outer;
            }
            let i = next;
            next += 1;
            let kind = kinds[(rng.next() * 4.0) as usize];
            nodes.push(node(&format!("n{i}"), &format!("{} {i}", NAMES[i % NAMES.len()]), kind, rng.next() < 0.2, rng.next() < 0.2));
            // Owns part of the entity below at about the same relative position.
            let owned = below[(k * below.len() / *w).min(below.len() - 1)];
            edges.push(equity(&format!("n{i}"), &format!("n{owned}"), (rng.next() * 0.6 + 0.05).min(1.0)));
            if rng.next() < 0.12 {
                let other = below[(rng.next() * below.len() as f64) as usize];
                if other != owned {
                    edges.push(equity(&format!("n{i}"), &format!("n{other}"), 0.1));
                }
            }
            if rng.next() < 0.08 {
                let other = (rng.next() * i as f64) as usize;
                edges.push(tie(&format!("n{i}"), &format!("n{other}"), rng.next() < 0.5));
            }
            layer.push(i);
        }
        layers.push(layer);
    }
    if n > 4 {
        edges.push(equity("n1", "n4", 0.2)); // a cross-holding that closes a cycle
    }
    OwnershipGraph { nodes, edges, root: "n0".to_owned() }
}
