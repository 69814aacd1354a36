//! What changed (cli.md v1.3 `changes`): per vendor, between two states of the store (after two
//! batches) or two evaluation dates, the numbers — score, band, rank, prohibited, possibly
//! prohibited, designations, each factor — and the facts added, removed or replaced behind them.
//!
//! Each end of the comparison is a store state and a date: a batch end is the store as it stood
//! after that batch ([`Store::state_after`]) scored as of the scenario's date; a date end is the
//! current store scored as of that date. Without `--from` the comparison starts before the last
//! applied batch (so "what did the last import change?"); without `--to` it ends now.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::engine::{self, ScoreReport, VendorScore};
use crate::error::{Error, Result};
use crate::ingest::tables;
use crate::model::Value;
use crate::scenario::ScenarioInput;
use crate::scoring::Band;
use crate::store::Store;

/// One end of a comparison, as typed: a batch id or a date.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    Batch(i64),
    Date(String),
}

impl End {
    /// `BATCH` (a whole number) or `YYYY-MM-DD`.
    pub fn parse(option: &str, text: &str) -> Result<End> {
        let text = text.trim();
        if let Ok(batch) = text.parse::<i64>() {
            return Ok(End::Batch(batch));
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|d| End::Date(d.format("%Y-%m-%d").to_string()))
            .map_err(|_| Error::Invalid(format!("{option}: {text:?} is neither a batch number nor a date (YYYY-MM-DD)")))
    }
}

/// `changes --format json`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ChangesReport {
    /// What each end was: `batch 4 (as of 2026-12-06)`, `2024-06-24 (current store)`.
    pub from: String,
    pub to: String,
    /// Vendors whose numbers or facts changed, by vendor id.
    pub vendors: Vec<VendorChange>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VendorChange {
    pub vendor_id: String,
    pub name: String,
    /// Null for a vendor that did not exist at the start.
    pub before: Option<Standing>,
    /// Null for a vendor that no longer exists.
    pub after: Option<Standing>,
    pub facts: Vec<FactChange>,
}

/// A vendor's numbers at one end.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Standing {
    pub score: f64,
    pub band: Band,
    pub rank: usize,
    pub prohibited: bool,
    pub possibly_prohibited: bool,
    pub designations: Vec<String>,
    pub factors: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FactChange {
    pub table: String,
    /// `added`, `removed` or `replaced`.
    pub change: String,
    /// The row's key, column by column.
    pub key: BTreeMap<String, String>,
}

/// Compares two ends (see the module's documentation) under one scenario.
pub fn changes(store: &Store, from: Option<End>, to: Option<End>, options: &ScenarioInput) -> Result<ChangesReport> {
    let from = match from {
        Some(end) => end,
        None => {
            let applied: Vec<i64> = store.batches()?.iter().filter(|b| b.undone_at.is_none()).map(|b| b.batch_id).collect();
            End::Batch(applied.len().checked_sub(2).map_or(0, |i| applied[i]))
        }
    };
    let (before_store, before, from_label) = side(store, &from, options)?;
    let (after_store, after, to_label) = match &to {
        Some(end) => side(store, end, options)?,
        None => {
            let report = engine::score(store, options)?;
            let label = format!("now (as of {})", report.as_of);
            (None, report, label)
        }
    };
    let before_store = before_store.as_ref().unwrap_or(store);
    let after_store = after_store.as_ref().unwrap_or(store);

    let ids: BTreeSet<&str> = before.vendors.iter().chain(&after.vendors).map(|v| v.vendor_id.as_str()).collect();
    let mut vendors = Vec::new();
    for id in ids {
        let find = |report: &ScoreReport| report.vendors.iter().find(|v| v.vendor_id == id).cloned();
        let (was, is) = (find(&before), find(&after));
        let facts = fact_changes(before_store, after_store, id)?;
        let (was, is) = (was.as_ref().map(standing), is.as_ref().map(standing));
        if was != is || !facts.is_empty() {
            let name = find(&after).or_else(|| find(&before)).map(|v| v.name).unwrap_or_default();
            vendors.push(VendorChange { vendor_id: id.to_string(), name, before: was, after: is, facts });
        }
    }
    Ok(ChangesReport { from: from_label, to: to_label, vendors })
}

/// "What changed since": from `text` (a batch number or a date, parsed as `option` says in an
/// error) to now, under the scenario. The command line's `brief --changes-since` and the app's brief.
pub fn since(store: &Store, option: &str, text: &str, options: &ScenarioInput) -> Result<ChangesReport> {
    changes(store, Some(End::parse(option, text)?), None, options)
}

/// The store of one end (`None`: the current one), its scores, and how the end is named.
fn side(store: &Store, end: &End, options: &ScenarioInput) -> Result<(Option<Store>, ScoreReport, String)> {
    Ok(match end {
        End::Batch(batch) => {
            let state = store.state_after(*batch)?;
            let report = engine::score(&state, options)?;
            let label = if *batch == 0 {
                format!("the empty store (as of {})", report.as_of)
            } else {
                format!("batch {batch} (as of {})", report.as_of)
            };
            (Some(state), report, label)
        }
        End::Date(date) => {
            let dated = ScenarioInput { as_of: Some(date.clone()), ..options.clone() };
            let report = engine::score(store, &dated)?;
            (None, report, format!("{date} (current store)"))
        }
    })
}

fn standing(v: &VendorScore) -> Standing {
    Standing {
        // Nine decimals, as ranks are compared: a change below that is no change.
        score: (v.score * 1e9).round() / 1e9,
        band: v.band,
        rank: v.rank,
        prohibited: v.prohibited,
        possibly_prohibited: v.possibly_prohibited,
        designations: v.designations.clone(),
        factors: v.factors.iter().map(|(factor, value)| (factor.key().to_string(), (value * 1e9).round() / 1e9)).collect(),
    }
}

/// The facts about the vendor and its `same` group (as [`Store::vendor_group_rows`] gathers them)
/// that one store holds and the other does not, or holds with other values.
fn fact_changes(before: &Store, after: &Store, vendor_id: &str) -> Result<Vec<FactChange>> {
    let mut changes = Vec::new();
    for table in tables::ALL {
        let key_at: Vec<usize> =
            table.key.iter().map(|k| table.columns.iter().position(|c| c.name == *k).expect("key columns are columns")).collect();
        let keyed = |rows: Vec<Vec<Value>>| -> BTreeMap<Vec<String>, Vec<Value>> {
            rows.into_iter().map(|row| (key_at.iter().map(|&i| text(&row[i])).collect(), row)).collect()
        };
        let was = keyed(before.vendor_group_rows(table, vendor_id)?);
        let is = keyed(after.vendor_group_rows(table, vendor_id)?);
        let keys: BTreeSet<&Vec<String>> = was.keys().chain(is.keys()).collect();
        for key in keys {
            let change = match (was.get(key), is.get(key)) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                (Some(a), Some(b)) if a != b => "replaced",
                _ => continue,
            };
            let key = table.key.iter().zip(key).map(|(column, value)| (column.to_string(), value.clone())).collect();
            changes.push(FactChange { table: table.name.to_string(), change: change.to_string(), key });
        }
    }
    Ok(changes)
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => t.clone(),
    }
}

impl VendorChange {
    /// The change in sentences a brief prints: what moved (band, rank, score, prohibition, lists),
    /// then each fact added, removed or replaced, with its key.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match (&self.before, &self.after) {
            (None, Some(_)) => lines.push("Not in the store at the start: every fact is new.".to_string()),
            (Some(_), None) => lines.push("No longer in the store.".to_string()),
            (Some(a), Some(b)) => {
                let score = |s: &Standing| format!("{:.1}", s.score * 100.0);
                if a.band != b.band {
                    lines.push(format!("Band {} → {}.", a.band.as_str(), b.band.as_str()));
                }
                if a.rank != b.rank {
                    lines.push(format!("Rank {} → {}.", a.rank, b.rank));
                }
                if score(a) != score(b) {
                    lines.push(format!("Score {} → {}.", score(a), score(b)));
                }
                if a.prohibited != b.prohibited {
                    lines.push(if b.prohibited { "Now prohibited.".to_string() } else { "No longer prohibited.".to_string() });
                }
                if a.possibly_prohibited != b.possibly_prohibited {
                    lines.push(if b.possibly_prohibited {
                        "Now possibly prohibited.".into()
                    } else {
                        "No longer possibly prohibited.".into()
                    });
                }
                let added: Vec<&str> = b.designations.iter().filter(|l| !a.designations.contains(l)).map(String::as_str).collect();
                let ended: Vec<&str> = a.designations.iter().filter(|l| !b.designations.contains(l)).map(String::as_str).collect();
                if !added.is_empty() {
                    lines.push(format!("Lists now in force: {}.", added.join(", ")));
                }
                if !ended.is_empty() {
                    lines.push(format!("Lists no longer in force: {}.", ended.join(", ")));
                }
            }
            (None, None) => {}
        }
        for fact in &self.facts {
            let key: Vec<String> = fact.key.iter().map(|(column, value)| format!("{column} {value}")).collect();
            lines.push(format!("{} row {}: {}.", fact.table, fact.change, key.join(", ")));
        }
        lines
    }
}
