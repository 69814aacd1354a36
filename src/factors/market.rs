//! Sales and install-base rows (risk-model.md §4 market, §7 install_base): one pass over each table,
//! per vendor and year, ignoring years after `as_of`'s year (which counts in full).
//!
//! The sales table is the big one (a million aggregated rows is normal), so rows are matched to
//! vendors through a hash index with a one-entry cache: rows usually come grouped by vendor.

use std::collections::HashMap;

use chrono::Datelike;

use super::facts::Facts;
use super::params::{ConcernSet, Params};

/// Maps `vendor_id` to the vendor's output position.
#[derive(Debug)]
pub(super) struct VendorIndex<'a> {
    positions: HashMap<&'a str, u32>,
    last: Option<(&'a str, Option<u32>)>,
}

impl<'a> VendorIndex<'a> {
    /// `ids` in output order; a repeated id keeps its first position.
    pub(super) fn new(ids: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut positions = HashMap::with_capacity(ids.len());
        for (pos, id) in ids.enumerate() {
            positions.entry(id).or_insert(pos as u32);
        }
        VendorIndex { positions, last: None }
    }

    pub(super) fn position(&mut self, id: &'a str) -> Option<usize> {
        if let Some((last, pos)) = self.last
            && last == id
        {
            return pos.map(|p| p as usize);
        }
        let pos = self.positions.get(id).copied();
        self.last = Some((id, pos));
        pos.map(|p| p as usize)
    }
}

/// The sales years of one vendor that count, and the revenue sums over them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MarketShare {
    /// Ascending.
    pub(super) years: Vec<i32>,
    pub(super) concern_revenue: f64,
    pub(super) total_revenue: f64,
}

impl MarketShare {
    /// `Σ concern / Σ all`, or `None` for a zero total (the missing policy then applies).
    pub(super) fn value(&self) -> Option<f64> {
        (self.total_revenue > 0.0).then(|| self.concern_revenue / self.total_revenue)
    }
}

/// Per vendor position: its market share over the latest `market_window_years` years with rows
/// (gaps skipped), or `None` when it has no rows up to `as_of`'s year.
pub(super) fn market_shares<'a>(
    facts: &'a Facts,
    params: &Params,
    concern: &ConcernSet,
    index: &mut VendorIndex<'a>,
    vendors: usize,
) -> Vec<Option<MarketShare>> {
    let last_year = params.as_of.year();
    // (year, concern revenue, total revenue); a vendor has a handful of years.
    let mut by_year: Vec<Vec<(i32, f64, f64)>> = vec![Vec::new(); vendors];
    for row in &facts.sales {
        if row.year > last_year {
            continue;
        }
        let Some(pos) = index.position(&row.vendor_id) else { continue };
        let concern = concern.contains(&row.country);
        let years = &mut by_year[pos];
        let slot = match years.iter().rposition(|y| y.0 == row.year) {
            Some(slot) => slot,
            None => {
                years.push((row.year, 0.0, 0.0));
                years.len() - 1
            }
        };
        let entry = &mut years[slot];
        if concern {
            entry.1 += row.revenue_usd;
        }
        entry.2 += row.revenue_usd;
    }
    let window = params.market_window_years as usize;
    by_year
        .into_iter()
        .map(|mut years| {
            if years.is_empty() {
                return None;
            }
            years.sort_unstable_by_key(|y| std::cmp::Reverse(y.0));
            years.truncate(window);
            years.reverse();
            Some(MarketShare {
                years: years.iter().map(|y| y.0).collect(),
                concern_revenue: years.iter().map(|y| y.1).sum(),
                total_revenue: years.iter().map(|y| y.2).sum(),
            })
        })
        .collect()
}

/// Per vendor position: its latest install-base year ≤ `as_of`'s year and the users summed over that
/// year's rows (saturating: an absurd sum must not wrap to a negative reach).
pub(super) fn latest_installs<'a>(
    facts: &'a Facts,
    params: &Params,
    index: &mut VendorIndex<'a>,
    vendors: usize,
) -> Vec<Option<(i32, i64)>> {
    let last_year = params.as_of.year();
    let mut latest: Vec<Option<(i32, i64)>> = vec![None; vendors];
    for row in &facts.installs {
        if row.year > last_year {
            continue;
        }
        let Some(pos) = index.position(&row.vendor_id) else { continue };
        latest[pos] = match latest[pos] {
            Some((year, users)) if year == row.year => Some((year, users.saturating_add(row.users))),
            Some((year, users)) if year > row.year => Some((year, users)),
            _ => Some((row.year, row.users)),
        };
    }
    latest
}

/// `min(1, log10(1 + users) / log10(1 + users_ref))`; a negative count (refused by the importer) reads
/// as none.
pub(super) fn install_base(users: i64, users_ref: f64) -> f64 {
    ((1.0 + users.max(0) as f64).log10() / (1.0 + users_ref).log10()).min(1.0)
}
