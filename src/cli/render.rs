//! Every report the command line prints, in each of its formats, from one place: JSON from the
//! report's serde form (the shape cli.md fixes, from the same structs the app receives), CSV and
//! tab-separated text from one `export::Sheet` per report — so there is one CSV writer and one
//! quoting policy — and the aligned tables people read.

use serde::Serialize;
use vetta::api::{BundleCheck, LinksReport, ScreenReport};
use vetta::bundle::TrustedKey;
use vetta::changes::{ChangesReport, Standing};
use vetta::engine::{Explanation, ScenarioDiff, ScenarioList, ScenarioView, ScoreReport, SensitivityReport};
use vetta::export::{self, Cell, Sheet};
use vetta::scoring::{AhpResult, SmaaResult};
use vetta::store::{Batch, VendorListing};

#[derive(Clone, Copy, PartialEq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// A report in the command line's formats. Reports with no tabular form print their table text for
/// `--format csv` too.
pub trait Render: Serialize {
    fn table(&self) -> String;

    fn csv(&self) -> String {
        self.table()
    }
}

pub fn render(report: &impl Render, format: Format) -> String {
    match format {
        Format::Json => json(report),
        Format::Csv => report.csv(),
        Format::Table => report.table(),
    }
}

pub fn json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialise") + "\n"
}

impl Render for ScoreReport {
    fn table(&self) -> String {
        let mut text = format!(
            "as of {} · {} · scenario {} · dataset {}\n\n{:>4}  {:<14} {:<34} {:>6}  {:<8}  {}\n",
            self.as_of,
            self.method,
            self.scenario,
            &self.dataset_sha256[..12],
            "rank",
            "vendor",
            "name",
            "score",
            "band",
            "prohibited"
        );
        for v in &self.vendors {
            let prohibited = if v.prohibited {
                format!("yes ({})", v.designations.join(", "))
            } else if v.possibly_prohibited {
                format!("possibly ({})", v.possible_designations.join(", "))
            } else {
                String::new()
            };
            let name: String = v.name.chars().take(34).collect();
            text.push_str(&format!(
                "{:>4}  {:<14} {:<34} {:>6.2}  {:<8}  {}\n",
                v.rank,
                v.vendor_id,
                name,
                v.score,
                v.band.as_str(),
                prohibited
            ));
        }
        text
    }

    fn csv(&self) -> String {
        export::report_csv(self)
    }
}

/// `vetta vendors`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Vendors(pub Vec<VendorListing>);

impl Render for Vendors {
    fn table(&self) -> String {
        let mut text = format!("{:<16} {:<32} {:<3} {:<9} {}\n", "vendor_id", "name", "hq", "privilege", "mitigation");
        for v in &self.0 {
            text.push_str(&format!("{:<16} {:<32} {:<3} {:<9} {}\n", v.vendor_id, v.name, v.hq_country, v.privilege, v.mitigation));
        }
        text
    }

    fn csv(&self) -> String {
        let header = ["vendor_id", "name", "hq_country", "privilege", "category", "mitigation"].map(String::from).to_vec();
        let rows = self
            .0
            .iter()
            .map(|v| {
                vec![
                    Cell::Text(v.vendor_id.clone()),
                    Cell::Text(v.name.clone()),
                    Cell::Text(v.hq_country.clone()),
                    Cell::Text(v.privilege.clone()),
                    Cell::Text(v.category.clone().unwrap_or_default()),
                    Cell::Number(v.mitigation),
                ]
            })
            .collect();
        Sheet { header, rows }.csv()
    }
}

impl Render for Explanation {
    fn table(&self) -> String {
        let v = &self.vendor;
        let mut text = format!("{} ({}) — score {:.2}, {}, rank {}\n", v.name, v.vendor_id, v.score, v.band.as_str(), v.rank);
        if v.prohibited {
            text.push_str(&format!("prohibited: {}\n", v.designations.join(", ")));
        } else if v.possibly_prohibited {
            text.push_str(&format!(
                "possibly prohibited: the upper bounds of its ownership ranges would put it on {} (the lower bounds do not)\n",
                v.possible_designations.join(", ")
            ));
        }
        for factor in &self.factors {
            let contribution = factor.contribution.map(|c| format!(", contributes {c:.2}")).unwrap_or_default();
            let missing = if factor.missing { " (missing data)" } else { "" };
            text.push_str(&format!("\n{} = {:.4} (weight {:.3}{contribution}){missing}\n", factor.factor, factor.value, factor.weight));
            for sentence in &factor.sentences {
                text.push_str(&format!("  · {sentence}\n"));
            }
        }
        text
    }
}

/// `vetta sensitivity`: the report, and the delta its tornado used (for the heading).
pub struct Sensitivity {
    pub report: SensitivityReport,
    pub delta: f64,
}

impl Serialize for Sensitivity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.report.serialize(serializer)
    }
}

impl Sensitivity {
    fn sheets(&self) -> (Sheet, Sheet) {
        let header = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        let tornado = self
            .report
            .tornado
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.factor.to_string()),
                    Cell::Number(r.low_score),
                    Cell::Number(r.high_score),
                    Cell::Number(r.low_rank as f64),
                    Cell::Number(r.high_rank as f64),
                ]
            })
            .collect();
        let stability = self
            .report
            .stability
            .iter()
            .map(|r| vec![Cell::Text(r.factor.to_string()), Cell::Number(r.weight), Cell::Number(r.lo), Cell::Number(r.hi)])
            .collect();
        (
            Sheet { header: header(&["factor", "low_score", "high_score", "low_rank", "high_rank"]), rows: tornado },
            Sheet { header: header(&["factor", "weight", "lo", "hi"]), rows: stability },
        )
    }

    fn write(&self, tornado: String, stability: String) -> String {
        format!("tornado (delta {})\n{tornado}\nstability (weighted_sum)\n{stability}", self.delta)
    }
}

impl Render for Sensitivity {
    fn table(&self) -> String {
        let (tornado, stability) = self.sheets();
        self.write(tornado.delimited("\t"), stability.delimited("\t"))
    }

    fn csv(&self) -> String {
        let (tornado, stability) = self.sheets();
        self.write(tornado.csv(), stability.csv())
    }
}

fn smaa_sheet(result: &SmaaResult) -> Sheet {
    let mut header = vec!["vendor_id".to_string()];
    header.extend((1..=result.ranks).map(|r| format!("b{r}")));
    header.push("holistic".into());
    let rows = result
        .vendors
        .iter()
        .map(|v| {
            let mut row = vec![Cell::Text(v.vendor_id.clone())];
            row.extend(v.acceptability.iter().map(|&b| Cell::Fixed(b, 4)));
            row.push(Cell::Fixed(v.holistic, 4));
            row
        })
        .collect();
    Sheet { header, rows }
}

impl Render for SmaaResult {
    fn table(&self) -> String {
        smaa_sheet(self).delimited("\t")
    }

    fn csv(&self) -> String {
        smaa_sheet(self).csv()
    }
}

impl Render for AhpResult {
    fn table(&self) -> String {
        let mut text = String::new();
        for (factor, weight) in self.weights.iter() {
            text.push_str(&format!("{factor}\t{weight}\n"));
        }
        text.push_str(&format!("lambda_max\t{}\nci\t{}\ncr\t{}\nconsistent\t{}\n", self.lambda_max, self.ci, self.cr, self.consistent));
        text
    }
}

/// `vetta batches`.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Batches(pub Vec<Batch>);

impl Render for Batches {
    fn table(&self) -> String {
        let line = |batch: &dyn std::fmt::Display,
                    created: &str,
                    by: &str,
                    label: &str,
                    state: &str,
                    files: &dyn std::fmt::Display,
                    rows: &dyn std::fmt::Display| {
            format!("{batch:>5}  {created:<20}  {by:<12}  {label:<16}  {state:<28}  {files:>5}  {rows:>9}\n")
        };
        let mut text = line(&"batch", "created", "by", "label", "state", &"files", &"rows");
        for b in &self.0 {
            let rows: u64 = b.counts.values().sum();
            let state = match (&b.undone_at, &b.undone_by) {
                (None, _) => "applied".to_string(),
                (Some(at), None) => format!("undone {at}"),
                (Some(at), Some(by)) => format!("undone {at} by {by}"),
            };
            let by = b.created_by.as_deref().unwrap_or("-");
            text.push_str(&line(&b.batch_id, &b.created_at, by, &b.label, &state, &b.files.len(), &rows));
        }
        text
    }
}

impl Render for ScenarioList {
    fn table(&self) -> String {
        let mut text = String::from("saved:\n");
        for saved in &self.scenarios {
            text.push_str(&format!("  {}\t(updated {})\n", saved.name, saved.updated_at));
        }
        text.push_str(&format!("presets: {}\n", self.presets.join(", ")));
        text
    }
}

impl Render for ScenarioView {
    fn table(&self) -> String {
        let mut text = format!("scenario {}\nmethod\t{}\n", self.name, self.method);
        for (factor, w) in self.weights.iter() {
            text.push_str(&format!("weight {factor}\t{w}\n"));
        }
        for (param, value) in self.params.to_pairs() {
            let set = if self.spec.params.contains_key(param) { "" } else { " (default)" };
            text.push_str(&format!("{param}\t{value}{set}\n"));
        }
        text
    }
}

impl Render for ScenarioDiff {
    fn table(&self) -> String {
        let mut text = format!("{} → {}\n", self.a, self.b);
        for (factor, (wa, wb)) in &self.weights {
            text.push_str(&format!("weight {factor}\t{wa:.4} → {wb:.4}\n"));
        }
        if let Some((ma, mb)) = self.method {
            text.push_str(&format!("method\t{ma} → {mb}\n"));
        }
        for (param, (va, vb)) in &self.params {
            text.push_str(&format!("{param}\t{va} → {vb}\n"));
        }
        text.push_str("\nrank  change  vendor            score\n");
        for v in &self.vendors {
            let arrow = match v.rank_change {
                0 => "   =".to_string(),
                c if c > 0 => format!("↑{c:>3}"),
                c => format!("↓{:>3}", -c),
            };
            text.push_str(&format!("{:>4}  {arrow}    {:<16}  {:.2} → {:.2}\n", v.rank_b, v.vendor_id, v.score_a, v.score_b));
        }
        text
    }
}

impl Render for ScreenReport {
    fn table(&self) -> String {
        let mut text = format!(
            "{} candidate{} scoring at least {} ({} book part{}, {} other{})\n",
            self.candidates.len(),
            if self.candidates.len() == 1 { "" } else { "s" },
            self.min_score,
            self.book,
            if self.book == 1 { "y" } else { "ies" },
            self.others,
            if self.others == 1 { "" } else { "s" },
        );
        for c in &self.candidates {
            let vendor = c.vendor_id.as_deref().map_or_else(|| "owner".to_string(), |v| format!("vendor {v}"));
            text.push_str(&format!("\n{:.2}  {} ({vendor})  ~  {}\n", c.score, c.entity_id, c.other_id));
            for reason in &c.reasons {
                text.push_str(&format!("      {reason}\n"));
            }
        }
        text
    }

    fn csv(&self) -> String {
        let header = ["score", "entity_id", "vendor_id", "other_id", "reasons"].map(String::from).to_vec();
        let rows = self
            .candidates
            .iter()
            .map(|c| {
                vec![
                    Cell::Fixed(c.score, 4),
                    Cell::Text(c.entity_id.clone()),
                    Cell::Text(c.vendor_id.clone().unwrap_or_default()),
                    Cell::Text(c.other_id.clone()),
                    Cell::Text(c.reasons.join("; ")),
                ]
            })
            .collect();
        Sheet { header, rows }.csv()
    }
}

impl Render for LinksReport {
    fn table(&self) -> String {
        let mut text =
            format!("{:<24} {:<10} {:<24} {:<16} {:<10} {}\n", "entity_id", "decision", "other_id", "decided_by", "decided_on", "basis");
        for l in &self.links {
            text.push_str(&format!(
                "{:<24} {:<10} {:<24} {:<16} {:<10} {}\n",
                l.entity_id,
                l.decision,
                l.other_id,
                l.decided_by,
                l.decided_on,
                l.basis.as_deref().unwrap_or("")
            ));
        }
        text
    }

    fn csv(&self) -> String {
        let header = ["entity_id", "other_id", "decision", "decided_by", "decided_on", "basis", "source"].map(String::from).to_vec();
        let rows = self
            .links
            .iter()
            .map(|l| {
                [&l.entity_id, &l.other_id, &l.decision, &l.decided_by, &l.decided_on]
                    .into_iter()
                    .cloned()
                    .chain([l.basis.clone().unwrap_or_default(), l.source.clone().unwrap_or_default()])
                    .map(Cell::Text)
                    .collect()
            })
            .collect();
        Sheet { header, rows }.csv()
    }
}

impl Render for ChangesReport {
    fn table(&self) -> String {
        let n = self.vendors.len();
        let mut text = format!("from {} to {}: {n} vendor{} changed\n", self.from, self.to, if n == 1 { "" } else { "s" });
        let prohibited = |s: &Standing| {
            if s.prohibited {
                format!("prohibited ({})", s.designations.join(", "))
            } else if s.possibly_prohibited {
                "possibly prohibited".to_string()
            } else {
                "not prohibited".to_string()
            }
        };
        let describe = |s: &Option<Standing>| {
            s.as_ref().map_or_else(
                || "(absent)".to_string(),
                |s| {
                    let band = format!("{:?}", s.band).to_lowercase();
                    format!("{:.1} {band} #{} {}", s.score, s.rank, prohibited(s))
                },
            )
        };
        for v in &self.vendors {
            text.push_str(&format!("\n{}  {}\n  {}  →  {}\n", v.vendor_id, v.name, describe(&v.before), describe(&v.after)));
            if let (Some(a), Some(b)) = (&v.before, &v.after) {
                for (factor, x) in &a.factors {
                    let y = b.factors.get(factor).copied().unwrap_or_default();
                    if x != &y {
                        text.push_str(&format!("  {factor}: {x} → {y}\n"));
                    }
                }
            }
            for fact in &v.facts {
                let key: Vec<String> = fact.key.iter().map(|(column, value)| format!("{column}={value}")).collect();
                text.push_str(&format!("  {} {}: {}\n", fact.table, fact.change, key.join(", ")));
            }
        }
        text
    }
}

/// `vetta key list`: the trusted public keys.
#[derive(Serialize)]
pub struct TrustedKeys {
    pub keys: Vec<TrustedKey>,
}

impl Render for TrustedKeys {
    fn table(&self) -> String {
        if self.keys.is_empty() {
            return "no trusted keys: add one with vetta key trust FILE.pub --label NAME\n".into();
        }
        let mut text = format!("{:<16}  {:<20}  {:<24}  {}\n", "key_id", "added", "label", "public_key");
        for k in &self.keys {
            text.push_str(&format!("{:<16}  {:<20}  {:<24}  {}\n", k.key_id, k.added_at, k.label, k.public_key));
        }
        text
    }
}

impl Render for BundleCheck {
    fn table(&self) -> String {
        let m = &self.manifest;
        let mut text = match &self.signed_by {
            Some(key) => format!("ok: signed by key {} ({}), unchanged\n", key.key_id, key.label),
            None => "ok: unchanged, but NOT signed (accepted with --allow-unsigned)\n".to_string(),
        };
        text.push_str(&format!(
            "made by {} on {} with Vetta {}\ndataset {} (its files import to it)\n",
            m.created_by.as_deref().unwrap_or("unknown"),
            m.created_at,
            m.vetta_version,
            m.dataset_sha256
        ));
        for f in &m.files {
            text.push_str(&format!("  {:<28} {:>9} rows  {:>11} bytes  sha256 {}\n", f.name, f.rows, f.bytes, f.sha256));
        }
        text
    }
}
