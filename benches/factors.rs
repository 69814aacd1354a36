//! Times `compute` on a store of the size the product must handle: 10,000 vendors, 50,000 entities,
//! 100,000 edges (mostly acyclic, with cross-holding cycles), 100,000 notes, ~1,000,000 aggregated sales
//! rows, install rows and listings. Data is generated from a fixed seed, so runs are comparable.
//!
//! `cargo bench` (harness = false): prints the input sizes, then min / median / max of several runs,
//! once with sales rows grouped by vendor (as a `GROUP BY` returns them) and once in random order.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::{RngExt as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vetta::factors::{Edge, Entity, Evidence, Facts, InstallRow, Listing, Note, Params, Relation, SalesRow, Vendor, compute};

const VENDORS: usize = 10_000;
const ENTITIES: usize = 50_000;
const ACYCLIC_EQUITY: usize = 70_000;
const CYCLES: usize = 600;
const TIES: usize = 28_000;
const NOTES: usize = 100_000;
const LISTINGS: usize = 2_000;
const RUNS: usize = 11;

const COUNTRIES: [&str; 15] = ["US", "DE", "FR", "GB", "JP", "KR", "TW", "IN", "IL", "NL", "SE", "CN", "HK", "RU", "IR"];
const LISTS: [&str; 5] = ["US-BIS-ENTITY", "US-FCC-COVERED", "US-NDAA-889", "US-OFAC-SDN", "US-BOD-17-01"];

fn main() {
    let mut facts = generate(&mut Rng::new(0x5eed_1234_abcd_ef01));
    let params = Params::defaults(NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"));
    println!(
        "input: {} vendors, {} entities, {} edges ({} equity, {} ties), {} notes, {} sales rows, {} install rows, {} listings",
        facts.vendors.len(),
        facts.entities.len(),
        facts.edges.len(),
        facts.edges.iter().filter(|e| e.relation == Relation::Equity).count(),
        facts.edges.iter().filter(|e| e.relation == Relation::Tie).count(),
        facts.notes.len(),
        facts.sales.len(),
        facts.installs.len(),
        facts.listings.len(),
    );

    let result = compute(&facts, &params);
    let evidence: usize = result.evidence.iter().map(|e| e.values().map(Vec::len).sum::<usize>()).sum();
    let designated = result.designated.iter().filter(|d| **d).count();
    let mean = |j: usize| result.values.chunks(8).map(|r| r[j]).sum::<f64>() / result.len() as f64;
    println!(
        "output: {designated} designated vendors, {evidence} evidence items; mean ownership {:.4}, ties {:.4}, market {:.4}, testimony {:.4}",
        mean(0),
        mean(1),
        mean(3),
        mean(4)
    );

    let mut kinds = std::collections::BTreeMap::new();
    for e in result.evidence.iter().flat_map(|e| e.values().flatten()) {
        *kinds.entry(kind(e)).or_insert(0usize) += 1;
    }
    println!("evidence by kind: {kinds:?}");
    report("compute, sales grouped by vendor", &facts, &params);
    // Rows in random key order, as a loader without ORDER BY might return them. Each row is copied
    // after shuffling, so its strings sit in memory in load order, as a loader would allocate them.
    let mut rng = Rng::new(42);
    for i in (1..facts.sales.len()).rev() {
        facts.sales.swap(i, rng.below(i + 1));
    }
    facts.sales = facts.sales.to_vec();
    report("compute, sales rows in random order", &facts, &params);
}

fn report(label: &str, facts: &Facts, params: &Params) {
    black_box(compute(facts, params)); // warm-up
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(compute(black_box(facts), black_box(params)));
            start.elapsed()
        })
        .collect();
    times.sort();
    println!("{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms ({RUNS} runs)", ms(times[0]), ms(times[RUNS / 2]), ms(times[RUNS - 1]));
}

fn kind(e: &Evidence) -> &'static str {
    match e {
        Evidence::Stake { .. } => "stake",
        Evidence::ControlStep { .. } => "control_step",
        Evidence::Controller { .. } => "controller",
        Evidence::Tie { .. } => "tie",
        Evidence::Jurisdiction { .. } => "jurisdiction",
        Evidence::MarketYears { .. } => "market_years",
        Evidence::NoteTerm { .. } => "note_term",
        Evidence::Listing { .. } => "listing",
        Evidence::DesignatedHolder { .. } => "designated_holder",
        Evidence::InstallYear { .. } => "install_year",
        Evidence::Privilege { .. } => "privilege",
        Evidence::Missing { .. } => "missing",
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Seedable test data: ChaCha8 behind the few draws the generator makes.
struct Rng(ChaCha8Rng);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }
    fn unit(&mut self) -> f64 {
        self.0.random()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn date(&mut self, from_year: i32, to_year: i32) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(from_year, 1, 1).expect("date");
        let days = (NaiveDate::from_ymd_opt(to_year, 12, 31).expect("date") - start).num_days();
        start + chrono::Duration::days(self.below(days as usize + 1) as i64)
    }
}

fn entity_id(i: usize) -> String {
    format!("e{i:05}")
}

fn generate(rng: &mut Rng) -> Facts {
    let mut facts = Facts::default();
    // Entities: 80% companies, 15% persons, 5% state bodies; ~20% in countries of concern.
    let mut country = Vec::with_capacity(ENTITIES);
    for i in 0..ENTITIES {
        let c = if rng.chance(0.2) { COUNTRIES[11 + rng.below(4)] } else { COUNTRIES[rng.below(11)] };
        let roll = rng.unit();
        let kind = if roll < 0.8 {
            "company"
        } else if roll < 0.95 {
            "person"
        } else {
            "state_body"
        };
        country.push(c);
        facts.entities.push(Entity {
            id: entity_id(i),
            name: format!("Entity {i}"),
            kind: kind.into(),
            country: c.into(),
            state_affiliated: kind == "state_body",
        });
    }
    // Vendors: entity e{j} for most, an implicit entity for every fifth.
    for (j, home) in country.iter().enumerate().take(VENDORS) {
        let explicit = j % 5 != 0;
        facts.vendors.push(Vendor {
            id: format!("v{j:05}"),
            name: format!("Vendor {j}"),
            entity_id: if explicit { entity_id(j) } else { format!("v{j:05}") },
            hq_country: if explicit { (*home).into() } else { COUNTRIES[rng.below(COUNTRIES.len())].into() },
            privilege: ["none", "user", "admin", "kernel"][rng.below(4)].into(),
            mitigation: if rng.chance(0.1) { 0.1 } else { 0.0 },
        });
    }
    let mut capacity = vec![1.0f64; ENTITIES];
    let mut equity = |facts: &mut Facts, rng: &mut Rng, from: usize, to: usize, wanted: f64| {
        let share = wanted.min(capacity[to]);
        if share < 0.005 {
            return;
        }
        capacity[to] -= share;
        let (since, until) = match rng.below(20) {
            0 => (Some(rng.date(2010, 2024)), None),
            1 => (None, Some(rng.date(2020, 2030))),
            2 => (Some(rng.date(2024, 2027)), None),
            _ => (None, None),
        };
        let parts = if rng.chance(0.1) { 2 } else { 1 };
        for _ in 0..parts {
            facts.edges.push(Edge {
                from: entity_id(from),
                to: entity_id(to),
                relation: Relation::Equity,
                share: Some(share / parts as f64),
                share_min: None,
                share_max: None,
                tie_kind: None,
                strength: 1.0,
                confidence: 1.0,
                since,
                until,
                source: format!("filing {}", facts.edges.len()),
            });
        }
    };
    // Acyclic holdings: owners have higher numbers than what they own, so vendors sit at the bottom.
    for _ in 0..ACYCLIC_EQUITY {
        let to = rng.below(ENTITIES - 1);
        let from = (to + 1 + rng.below(3_000)).min(ENTITIES - 1);
        let share = if rng.chance(0.25) { 0.5 + 0.5 * rng.unit() } else { 0.01 + 0.3 * rng.unit() };
        equity(&mut facts, rng, from, to, share);
    }
    // Cross-holdings: cycles of 2–4 entities, each step 10–60%.
    for _ in 0..CYCLES {
        let len = 2 + rng.below(3);
        let members: Vec<usize> = (0..len).map(|_| rng.below(ENTITIES)).collect();
        for k in 0..len {
            let (from, to) = (members[k], members[(k + 1) % len]);
            if from != to {
                let share = 0.1 + 0.5 * rng.unit();
                equity(&mut facts, rng, from, to, share);
            }
        }
    }
    for i in 0..TIES {
        let (a, b) = (rng.below(ENTITIES), rng.below(ENTITIES));
        if a == b {
            continue;
        }
        facts.edges.push(Edge {
            from: entity_id(a),
            to: entity_id(b),
            relation: Relation::Tie,
            share: None,
            share_min: None,
            share_max: None,
            tie_kind: Some(["board", "contract", "cooperation", "personnel", "alleged"][rng.below(5)].into()),
            strength: rng.unit(),
            confidence: if rng.chance(0.5) { 1.0 } else { rng.unit() },
            since: if rng.chance(0.1) { Some(rng.date(2015, 2027)) } else { None },
            until: None,
            source: format!("tie {i}"),
        });
    }
    for i in 0..NOTES {
        let subject = if rng.chance(0.7) { facts.vendors[rng.below(VENDORS)].entity_id.clone() } else { entity_id(rng.below(ENTITIES)) };
        facts.notes.push(Note {
            id: format!("n{i:06}"),
            subject,
            date: rng.date(2012, 2026),
            speaker: "witness".into(),
            stance: ["concern", "concern", "neutral", "exculpatory"][rng.below(4)].into(),
            severity: rng.below(4) as i64,
            reliability: ["A", "B", "C", "D", "E", "F"][rng.below(6)].into(),
            credibility: 1 + rng.below(6) as i64,
            summary: format!("statement {i}"),
            source: format!("hearing {}", i % 997),
        });
    }
    // Sales: 95% of vendors, 8 of the years 2014–2026, 13 of the 15 countries: ~990,000 rows.
    for vendor in &facts.vendors {
        if rng.chance(0.05) {
            continue;
        }
        let mut years: Vec<i32> = (2014..=2026).collect();
        while years.len() > 8 {
            years.remove(rng.below(years.len()));
        }
        for year in years {
            let (skip1, skip2) = (rng.below(15), rng.below(15));
            for (c, country) in COUNTRIES.iter().enumerate() {
                if c == skip1 || c == skip2 {
                    continue;
                }
                facts.sales.push(SalesRow {
                    vendor_id: vendor.id.clone(),
                    year,
                    country: (*country).into(),
                    segment: "enterprise".into(),
                    revenue_usd: (rng.unit() * 1e7).round(),
                });
            }
        }
    }
    for vendor in &facts.vendors {
        if rng.chance(0.1) {
            continue;
        }
        for year in 2021..=2026 {
            for country in &COUNTRIES[..4] {
                facts.installs.push(InstallRow {
                    vendor_id: vendor.id.clone(),
                    year,
                    country: (*country).into(),
                    segment: "consumer".into(),
                    users: rng.below(10_000_000) as i64,
                    organizations: None,
                });
            }
        }
    }
    for _ in 0..LISTINGS {
        let effective = rng.date(2015, 2026);
        facts.listings.push(Listing {
            subject: entity_id(rng.below(ENTITIES)),
            list: LISTS[rng.below(LISTS.len())].into(),
            effective,
            ends: if rng.chance(0.1) { Some(effective + chrono::Duration::days(rng.below(2000) as i64)) } else { None },
            source: "register".into(),
        });
    }
    facts
}
