//! Demo-like brief data for the tests, the example and the bench.
//!
//! Kaspersky Lab's entries restate only the facts of the project's demo case (the 2017 Daily Caller
//! News Foundation report and the dated government acts after it); where a fact gives only a year,
//! the day is a placeholder and says so in a comment. Its factor values follow risk model v1.2 with
//! the default weights, except `testimony`, whose value is a plausible stand-in for the engine's.
//! Every peer is a fictional company with a fictional name and made-up numbers, marked fictional in
//! its category and evidence, so that no invented number is attached to a real firm. The charts
//! are simple placeholder SVGs drawn here, not the product's plotters charts.

use super::data::*;
use crate::model::Factor;

/// The default raw weights of the risk model, `(factor, weight)` in factor order.
fn defaults() -> impl Iterator<Item = (Factor, f64)> {
    let raw = crate::scoring::preset("default").expect("the default preset");
    Factor::ALL.into_iter().map(move |factor| (factor, raw[factor]))
}

const DCNF: &str = "Daily Caller News Foundation report, 2017 (Russ Read)";
const FICTIONAL: &str = "Fictional peer company for the demo; every number about it is made up.";

/// The normalised default weights, `(label, weight)`.
pub fn default_weights() -> Vec<(String, f64)> {
    let total: f64 = defaults().map(|f| f.1).sum();
    defaults().map(|(factor, w)| (factor.label().to_string(), w / total)).collect()
}

/// Factor lines from values (factor order), with weighted-sum contributions after mitigation, and
/// the score they add up to.
fn factor_lines(values: [f64; 8], missing: &[&str], mitigation: f64, evidence: [Vec<&str>; 8]) -> (Vec<FactorLine>, f64) {
    let total: f64 = defaults().map(|f| f.1).sum();
    let mut score = 0.0;
    let lines = defaults()
        .zip(values)
        .zip(evidence)
        .map(|(((factor, raw), value), evidence)| {
            let weight = raw / total;
            let contribution = 100.0 * weight * value * (1.0 - mitigation);
            score += contribution;
            FactorLine {
                factor: factor.key().to_string(),
                label: factor.label().to_string(),
                value,
                weight,
                contribution: Some(contribution),
                missing: missing.contains(&factor.key()),
                evidence: evidence.into_iter().map(String::from).collect(),
            }
        })
        .collect();
    (lines, score)
}

fn band(score: f64) -> &'static str {
    match score {
        s if s < 25.0 => "low",
        s if s < 50.0 => "moderate",
        s if s < 75.0 => "high",
        _ => "severe",
    }
}

/// Document facts of the demo: default scenario, as of 2026-11-27, A4.
pub fn meta() -> Meta {
    Meta {
        title: "Procurement risk brief".into(),
        scenario: "default".into(),
        method: "weighted_sum".into(),
        as_of: "2026-11-27".into(),
        document_date: "2026-11-28".into(),
        vetta_version: "0.1.0".into(),
        dataset_sha256: "9f2c4e1a7b3d5f60182a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d".into(),
        smaa_seed: Some(0),
        paper: Paper::A4,
    }
}

/// One vendor: head and factor lines. `rank` is filled in by the caller.
struct Demo {
    head: VendorHead,
    factors: Vec<FactorLine>,
}

/// `who` is `[vendor_id, name, hq_country, privilege, category]`; a vendor with lists is prohibited.
fn vendor(who: [&str; 5], lists: &[&str], mitigation: f64, factors: (Vec<FactorLine>, f64)) -> Demo {
    let [id, name, hq, privilege, category] = who;
    let (factors, score) = factors;
    Demo {
        head: VendorHead {
            vendor_id: id.into(),
            name: name.into(),
            hq_country: hq.into(),
            privilege: privilege.into(),
            category: Some(category.into()),
            score,
            band: band(score).into(),
            rank: 0,
            of: 9,
            prohibited: !lists.is_empty(),
            lists: lists.iter().map(|s| s.to_string()).collect(),
            possibly_prohibited: false,
            possible_lists: vec![],
            range_holdings: vec![],
            mitigation,
        },
        factors,
    }
}

fn kaspersky() -> Demo {
    // install_base: log10(1 + 4e8) / log10(1 + 1e9) with the default users_ref.
    let install = (1.0f64 + 4.0e8).log10() / (1.0f64 + 1.0e9).log10();
    vendor(
        ["kaspersky-lab", "Kaspersky Lab", "RU", "kernel", "Endpoint security (anti-virus) software"],
        &["US-BIS-ICTS-2024", "US-BOD-17-01", "US-FCC-COVERED", "US-NDAA-FY2018-1634"],
        0.0,
        factor_lines(
            [0.0, 0.3, 1.0, 0.0, 0.436, 1.0, install, 1.0],
            &[],
            0.0,
            [
                vec!["No equity holder of Kaspersky Lab is recorded in the dataset."],
                vec![
                    "An alleged tie to the FSB (Russia's Federal Security Service): Bloomberg Businessweek reported technology developed on the FSB's behalf, joint projects and joint raids; the company disputes it (strength 0.6, confidence 0.5).",
                    "p = 1.0 (state body of RU) × 0.6 × 0.5 = 0.30.",
                ],
                vec!["Headquarters: Moscow, Russia (RU), a country of concern."],
                vec![
                    "Sales 2016: USD 633 million in total, USD 374 million of it from Western Europe and the US together.",
                    "The remaining USD 259 million is not split by country in the source, so no revenue is attributed to a country of concern.",
                ],
                vec![
                    "Four statements of concern from 2017 (Senate Select Committee on Intelligence hearing, Senate Armed Services Committee), each graded B2 and decayed with a 3-year half-life.",
                ],
                vec![
                    "DHS Binding Operational Directive 17-01 (2017-09-13) orders federal agencies to remove Kaspersky products.",
                    "NDAA for FY2018, section 1634 (2017-12-12, effective 2018-10-01), bars federal use of Kaspersky products.",
                    "FCC Covered List: added 2022-03-25.",
                    "Department of Commerce (BIS, ICTS) final determination of 2024-06-20 prohibits Kaspersky software sales in the US.",
                ],
                vec!["The company claims more than 400 million users and more than 270,000 organisations protected by its technologies."],
                vec!["Endpoint security software runs with kernel-level privilege and auto-updates from the vendor's cloud."],
            ],
        ),
    )
}

fn aurelian() -> Demo {
    vendor(
        ["aurelian-cyberworks", "Aurelian Cyberworks (fictional)", "CN", "admin", "Remote management agent — fictional"],
        &[],
        0.0,
        factor_lines(
            [0.95, 0.62, 1.0, 0.61, 0.22, 0.0, 0.71, 0.6],
            &[],
            0.0,
            [
                vec![
                    FICTIONAL,
                    "Hengda State Holdings (fictional, CN, state-affiliated) holds 95% through Aurelian Group Ltd (fictional).",
                ],
                vec!["A recorded supply contract with a fictional state research institute (strength 0.8, confidence 0.7)."],
                vec!["Headquarters: CN, a country of concern."],
                vec!["61% of 2023–2025 revenue from countries of concern."],
                vec!["One graded statement of concern (fictional), 2024."],
                vec!["No listing in force."],
                vec!["About 2.4 million users in 2025."],
                vec!["The agent runs as an administrator service."],
            ],
        ),
    )
}

fn norvale() -> Demo {
    vendor(
        ["norvale-systems", "Norvale Systems (fictional)", "US", "kernel", "Endpoint detection and response — fictional"],
        &[],
        0.0,
        factor_lines(
            [0.0, 0.0, 0.0, 0.04, 0.0, 0.0, 0.86, 1.0],
            &[],
            0.0,
            [
                vec![FICTIONAL, "Publicly listed; no holder of 5% or more."],
                vec![],
                vec!["Headquarters: US."],
                vec!["4% of 2023–2025 revenue from countries of concern."],
                vec![],
                vec![],
                vec!["About 40 million users in 2025."],
                vec!["Kernel driver with vendor-pushed updates."],
            ],
        ),
    )
}

fn quillon() -> Demo {
    vendor(
        ["quillon-secure", "Quillon Secure GmbH (fictional)", "DE", "admin", "Backup and recovery — fictional"],
        &[],
        0.1,
        factor_lines(
            [0.12, 0.15, 0.0, 0.18, 0.1, 0.0, 0.64, 0.6],
            &[],
            0.1,
            [
                vec![FICTIONAL, "A 24% stake held through a fictional private HK investment fund (concern weight 0.5)."],
                vec!["An alleged reseller agreement with a fictional HK distributor (strength 0.5, confidence 0.3)."],
                vec![],
                vec!["18% of 2023–2025 revenue from countries of concern."],
                vec![],
                vec![],
                vec!["About 6 million users in 2025."],
                vec!["An independent code review (fictional) is recorded as a 10% mitigation."],
            ],
        ),
    )
}

fn tessaly() -> Demo {
    vendor(
        ["tessaly-endpoint", "Tessaly Endpoint Oy (fictional)", "FI", "kernel", "Device control — fictional"],
        &[],
        0.0,
        factor_lines(
            [0.05, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 1.0],
            &["market", "install_base"],
            0.0,
            [
                vec![FICTIONAL, "A 10% stake held by a fictional private fund domiciled in a country of concern (concern weight 0.5)."],
                vec![],
                vec![],
                vec!["No sales rows in the dataset."],
                vec![],
                vec![],
                vec!["No install-base rows in the dataset."],
                vec!["Kernel driver for device control."],
            ],
        ),
    )
}

/// The five demo vendors, ranked riskiest first among the nine of the (imagined) store.
fn roster() -> Vec<Demo> {
    let mut all = vec![kaspersky(), aurelian(), norvale(), quillon(), tessaly()];
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by(|a, b| all[*b].head.score.total_cmp(&all[*a].head.score));
    for (rank, i) in order.into_iter().enumerate() {
        // Ranks 1, 2, 4, 6, 8 of 9: the other four vendors of the store are not in the demo.
        all[i].head.rank = [1, 2, 4, 6, 8][rank];
    }
    all
}

fn sources() -> Vec<String> {
    vec![
        DCNF.to_string(),
        "Bloomberg Businessweek, as cited in the Daily Caller News Foundation report, 2017 (Russ Read)".into(),
        "US Department of Homeland Security, Binding Operational Directive 17-01, 2017-09-13".into(),
        "National Defense Authorization Act for Fiscal Year 2018, section 1634, enacted 2017-12-12".into(),
        "Federal Communications Commission, Covered List, addition of 2022-03-25".into(),
        "US Department of Commerce, BIS Office of ICTS, final determination, 2024-06-20".into(),
        "Fictional peer data for the demo (every number about the fictional peers is made up)".into(),
    ]
}

fn batches() -> Vec<Batch> {
    vec![
        Batch {
            batch_id: 1,
            created_at: "2026-11-20T09:14:03Z".into(),
            label: "Demo seed: Kaspersky Lab facts (2017 report and dated government acts)".into(),
            files: vec![
                ("vendors.csv".into(), "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b".into()),
                ("designations.csv".into(), "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c".into()),
                ("notes.csv".into(), "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730".into()),
            ],
        },
        Batch {
            batch_id: 2,
            created_at: "2026-11-21T16:40:55Z".into(),
            label: "Demo seed: fictional peers".into(),
            files: vec![
                ("peers.csv".into(), "e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8".into()),
                ("equity.csv".into(), "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae".into()),
            ],
        },
    ]
}

/// Escapes text for an SVG text node.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A placeholder horizontal bar chart (values in [0, max]), 800 × (60 + 34·n) px.
pub fn bar_chart_svg(title: &str, bars: &[(String, f64)], max: f64) -> String {
    let h = 60 + 34 * bars.len();
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{h}" viewBox="0 0 800 {h}"><rect width="800" height="{h}" fill="#ffffff"/><text x="10" y="26" font-family="Libertinus Serif" font-size="18" fill="#1d2733">{}</text>"##,
        xml(title)
    );
    for (i, (label, v)) in bars.iter().enumerate() {
        let y = 44 + 34 * i;
        let w = (v / max).clamp(0.0, 1.0) * 480.0;
        s.push_str(&format!(
            r##"<text x="250" y="{}" text-anchor="end" font-family="Libertinus Serif" font-size="14" fill="#1d2733">{}</text><rect x="260" y="{y}" width="{w:.1}" height="22" fill="#4a6a8a"/><text x="{:.1}" y="{}" font-family="Libertinus Serif" font-size="13" fill="#1d2733">{v:.1}</text>"##,
            y + 16,
            xml(label),
            266.0 + w,
            y + 16
        ));
    }
    s.push_str(r##"<line x1="260" y1="40" x2="260" y2=""##);
    s.push_str(&format!(r##"{}" stroke="#1d2733" stroke-width="1"/></svg>"##, h - 10));
    s
}

/// A placeholder tornado chart: for each factor, the score range from weight × 0.5 to weight × 1.5,
/// centred on the current score.
fn tornado_svg(base: f64, rows: &[(&str, f64, f64)]) -> String {
    let h = 80 + 30 * rows.len();
    let spread = rows.iter().map(|r| (r.1 - base).abs().max((r.2 - base).abs())).fold(1.0, f64::max);
    let x = |score: f64| 500.0 + (score - base) / spread * 260.0;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{h}" viewBox="0 0 800 {h}"><rect width="800" height="{h}" fill="#ffffff"/><text x="10" y="26" font-family="Libertinus Serif" font-size="18" fill="#1d2733">Score when one weight moves by ±50%</text>"##
    );
    for (i, (label, lo, hi)) in rows.iter().enumerate() {
        let y = 46 + 30 * i;
        let (a, b) = (x(lo.min(*hi)), x(lo.max(*hi)));
        s.push_str(&format!(
            r##"<text x="200" y="{}" text-anchor="end" font-family="Libertinus Serif" font-size="14" fill="#1d2733">{}</text><rect x="{a:.1}" y="{y}" width="{:.1}" height="20" fill="#8a9bb0"/><text x="{:.1}" y="{}" text-anchor="end" font-family="Libertinus Serif" font-size="11" fill="#5a6572">{:.1}</text><text x="{:.1}" y="{}" font-family="Libertinus Serif" font-size="11" fill="#5a6572">{:.1}</text>"##,
            y + 15,
            xml(label),
            (b - a).max(1.0),
            a - 4.0,
            y + 14,
            lo.min(*hi),
            b + 4.0,
            y + 14,
            lo.max(*hi)
        ));
    }
    s.push_str(&format!(
        r##"<line x1="{0:.1}" y1="40" x2="{0:.1}" y2="{1}" stroke="#7a1f1f" stroke-width="1.5"/><text x="{0:.1}" y="{2}" text-anchor="middle" font-family="Libertinus Serif" font-size="12" fill="#7a1f1f">current score {3:.1}</text></svg>"##,
        x(base),
        h - 26,
        h - 10,
        base
    ));
    s
}

/// A placeholder factor-profile chart: one row of dots per factor, one colour per vendor.
fn profiles_svg(vendors: &[(String, Vec<f64>)]) -> String {
    let colors = ["#1f4e79", "#a4501b", "#2f6b4f", "#6b3f7a", "#8a7a1a", "#3f6f8a", "#7a1f1f", "#555555", "#4a8a3f", "#8a3f5f"];
    let h = 70 + 30 * Factor::COUNT + 18 * vendors.len().div_ceil(3);
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{h}" viewBox="0 0 800 {h}"><rect width="800" height="{h}" fill="#ffffff"/><text x="10" y="26" font-family="Libertinus Serif" font-size="18" fill="#1d2733">Factor profiles (0 = no risk, 1 = highest)</text>"##
    );
    for (i, label) in Factor::ALL.map(Factor::label).into_iter().enumerate() {
        let y = 56 + 30 * i;
        s.push_str(&format!(
            r##"<text x="180" y="{}" text-anchor="end" font-family="Libertinus Serif" font-size="14" fill="#1d2733">{label}</text><line x1="200" y1="{}" x2="760" y2="{}" stroke="#d0d6dc"/>"##,
            y + 5,
            y,
            y
        ));
        for (k, (_, values)) in vendors.iter().enumerate() {
            let cx = 200.0 + values[i] * 560.0;
            s.push_str(&format!(r##"<circle cx="{cx:.1}" cy="{y}" r="6" fill="{}" fill-opacity="0.85"/>"##, colors[k % colors.len()]));
        }
    }
    let rows = vendors.len().div_ceil(3);
    for (k, (name, _)) in vendors.iter().enumerate() {
        let lx = 20 + (k % 3) * 260;
        let ly = h - 10 - 18 * (rows - 1 - k / 3);
        s.push_str(&format!(
            r##"<circle cx="{lx}" cy="{}" r="5" fill="{}"/><text x="{}" y="{ly}" font-family="Libertinus Serif" font-size="12" fill="#1d2733">{}</text>"##,
            ly - 4,
            colors[k % colors.len()],
            lx + 10,
            xml(name)
        ));
    }
    s.push_str("</svg>");
    s
}

/// The single-vendor demo brief: Kaspersky Lab.
pub fn vendor_brief() -> VendorBrief {
    let roster = roster();
    let k = &roster[0];
    let ranking: Vec<(String, f64)> = {
        let mut r: Vec<_> = roster.iter().map(|d| (d.head.name.clone(), d.head.score)).collect();
        r.sort_by(|a, b| b.1.total_cmp(&a.1));
        r
    };
    let contributions: Vec<(String, f64)> = k.factors.iter().map(|f| (f.label.clone(), f.contribution.unwrap_or(0.0))).collect();
    let score = k.head.score;
    let weights = default_weights();
    let tornado_rows: Vec<(&str, f64, f64)> = k
        .factors
        .iter()
        .map(|f| {
            // Score with w_j scaled by 0.5 and 1.5, weights renormalised.
            let rescored = |scale: f64| {
                let total: f64 = 1.0 - f.weight + f.weight * scale;
                k.factors
                    .iter()
                    .map(|g| if g.factor == f.factor { g.weight * scale } else { g.weight } * g.value * 100.0 / total)
                    .sum::<f64>()
            };
            (f.label.as_str(), rescored(0.5), rescored(1.5))
        })
        .collect();
    let ex = |date: &str, speaker: &str, venue: Option<&str>, stance: &str, summary: &str, quote: Option<&str>| Excerpt {
        date: date.into(),
        speaker: speaker.into(),
        venue: venue.map(Into::into),
        stance: stance.into(),
        grade: "B2".into(),
        summary: summary.into(),
        quote: quote.map(Into::into),
        source: DCNF.into(),
    };
    let hearing = Some("Senate Select Committee on Intelligence hearing");
    VendorBrief {
        meta: meta(),
        vendor: k.head.clone(),
        factors: k.factors.clone(),
        controllers: vec![],
        ties: vec![TieLine {
            other: "FSB (Federal Security Service of the Russian Federation)".into(),
            kind: "technology development, joint projects and raids (reported)".into(),
            alleged: true,
            strength: 0.6,
            confidence: 0.5,
            source:
                "Bloomberg Businessweek, as cited in the Daily Caller News Foundation report, 2017 (Russ Read); disputed by the company"
                    .into(),
        }],
        testimony: vec![
            // The seed facts date the hearing to May 2017; the day is a placeholder.
            ex(
                "2017-05-11",
                "Adm. Mike Rogers, NSA Director",
                hearing,
                "concern",
                "The NSA Director said he was personally involved in monitoring Kaspersky Lab.",
                Some("personally involved"),
            ),
            ex(
                "2017-05-11",
                "Lt. Gen. Vincent Stewart, DIA Director",
                hearing,
                "concern",
                "The DIA Director said his agency was tracking Kaspersky and its software.",
                None,
            ),
            ex(
                "2017-05-11",
                "Six intelligence-agency heads",
                hearing,
                "concern",
                "Asked by Sen. Marco Rubio whether they would use Kaspersky software on their computers, all six answered no.",
                None,
            ),
            // The seed facts give only the year 2017 for these two; the days are placeholders.
            ex(
                "2017-06-28",
                "Sen. Jeanne Shaheen",
                Some("Senate Armed Services Committee"),
                "concern",
                "Introduced an amendment to the defence spending bill to bar the military from using Kaspersky products.",
                None,
            ),
            ex(
                "2017-07-01",
                "Kaspersky Lab (company statement)",
                None,
                "exculpatory",
                "The company says it has no inappropriate ties with any government, works with governments and law enforcement only to fight cybercrime, and confirmed the 2009 emails as authentic but misinterpreted.",
                Some("caught in the middle of a geopolitical fight"),
            ),
        ],
        ownership_chain: vec![
            "Kaspersky Lab (RU): no equity holder is recorded in the dataset.".into(),
            "Eugene Kaspersky is chairman and CEO (an office, not a recorded equity stake).".into(),
        ],
        stability: k
            .factors
            .iter()
            .map(|f| StabilityLine {
                factor_label: f.label.clone(),
                weight: f.weight,
                lo: (f.weight * 0.35).max(0.0),
                hi: (f.weight * 2.1 + 0.05).min(1.0),
            })
            .collect(),
        smaa: {
            let acceptability = vec![0.214, 0.641, 0.117, 0.028, 0.0, 0.0, 0.0, 0.0, 0.0];
            let n = acceptability.len() as f64;
            let holistic = acceptability.iter().enumerate().map(|(r, b)| b * (n - 1.0 - r as f64) / (n - 1.0)).sum();
            Some(SmaaLine { acceptability, holistic })
        },
        tornado_note: Some(format!(
            "Moving any single weight by ±50% keeps the score between {:.1} and {:.1}.",
            tornado_rows.iter().map(|r| r.1.min(r.2)).fold(f64::INFINITY, f64::min),
            tornado_rows.iter().map(|r| r.1.max(r.2)).fold(f64::NEG_INFINITY, f64::max)
        )),
        weights: weights.clone(),
        params: params(),
        sources: sources(),
        identity: Vec::new(),
        batches: batches(),
        changes: Some(ChangesSection {
            from: "2024-01-01 (current store)".into(),
            to: "now (as of 2026-11-27)".into(),
            vendors: vec![(
                "Kaspersky Lab".into(),
                vec!["Lists now in force: US-BIS-ENTITY, US-ICTS-FD-2024.".into(), "Score 55.9 → 55.6.".into()],
            )],
        }),
        charts: vec![
            Chart {
                file: "contributions.svg".into(),
                caption: "Contribution of each factor to the score of Kaspersky Lab (points of 100).".into(),
                svg: bar_chart_svg("Contributions to the score (points)", &contributions, 20.0),
            },
            Chart {
                file: "ranking.svg".into(),
                caption: "Scores of the demo vendors under the default scenario (fictional peers marked).".into(),
                svg: bar_chart_svg("Scores, default scenario", &ranking, 100.0),
            },
            Chart {
                file: "tornado.svg".into(),
                caption: "Tornado: Kaspersky Lab's score with each weight moved down and up by 50%.".into(),
                svg: tornado_svg(score, &tornado_rows),
            },
        ],
    }
}

fn params() -> Vec<(String, String)> {
    [
        ("as_of", "2026-11-27"),
        ("concern_countries", "CN, HK, CU, IR, KP, RU, VE"),
        ("private_concern", "0.5"),
        ("control_threshold", "0.5"),
        ("half_life_years", "3.0"),
        ("testimony_scale", "3.0"),
        ("market_window_years", "3"),
        ("users_ref", "1e9"),
        ("missing", "neutral"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The comparison demo brief: Kaspersky Lab and four fictional peers.
pub fn comparison_brief() -> ComparisonBrief {
    let roster = roster();
    let vendors: Vec<(VendorHead, Vec<FactorLine>)> = roster.iter().map(|d| (d.head.clone(), d.factors.clone())).collect();
    let differences = differences(&vendors);
    let mut ranking: Vec<(String, f64)> = vendors.iter().map(|(h, _)| (h.name.clone(), h.score)).collect();
    ranking.sort_by(|a, b| b.1.total_cmp(&a.1));
    let profiles: Vec<(String, Vec<f64>)> = vendors.iter().map(|(h, fs)| (h.name.clone(), fs.iter().map(|f| f.value).collect())).collect();
    ComparisonBrief {
        meta: Meta { title: "Procurement risk comparison".into(), ..meta() },
        vendors,
        differences,
        weights: default_weights(),
        params: params(),
        sources: sources(),
        batches: batches(),
        changes: None,
        charts: vec![
            Chart { file: "profiles.svg".into(), caption: "Factor profiles of the compared vendors.".into(), svg: profiles_svg(&profiles) },
            Chart {
                file: "ranking.svg".into(),
                caption: "Scores of the compared vendors, riskiest first.".into(),
                svg: bar_chart_svg("Scores, default scenario", &ranking, 100.0),
            },
        ],
    }
}

/// Per factor: highest minus lowest value, with the vendors holding them (first in order on ties).
pub fn differences(vendors: &[(VendorHead, Vec<FactorLine>)]) -> Vec<Difference> {
    let Some((_, first)) = vendors.first() else { return vec![] };
    first
        .iter()
        .enumerate()
        .map(|(j, f)| {
            let values: Vec<(&str, f64)> = vendors.iter().map(|(h, fs)| (h.name.as_str(), fs[j].value)).collect();
            let hi = values.iter().fold(values[0], |a, b| if b.1 > a.1 { *b } else { a });
            let lo = values.iter().fold(values[0], |a, b| if b.1 < a.1 { *b } else { a });
            Difference { factor_label: f.label.clone(), spread: hi.1 - lo.1, highest: hi.0.to_string(), lowest: lo.0.to_string() }
        })
        .collect()
}
