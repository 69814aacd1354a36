//! Designations (risk-model.md §6): the designated set D under the OFAC 50 Percent Rule, applied
//! transitively, and the lists reported for each designated entity.
//!
//! Both are least fixpoints computed with worklists: D grows from the listed entities as designated
//! holdings accumulate; the reported lists then flow along holdings into entities the rule applies to,
//! around cycles too, until nothing changes. Each entity and edge is handled a bounded number of
//! times, so this stays linear in practice.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::evidence::Evidence;
use super::facts::Facts;
use super::graph::{Graph, at_least};
use super::params::Params;

/// The designated set and the lists reported for its members.
#[derive(Debug)]
pub(super) struct Designations<'a> {
    designated: Vec<bool>,
    /// Designated holdings of the entity sum to ≥ `control_threshold`: the rule applies to it.
    by_rule: Vec<bool>,
    /// Reported lists of each entity, by list number (numbers follow name order), with where each
    /// came from.
    reported: Vec<BTreeMap<u32, Origin>>,
    /// List names, sorted and distinct.
    lists: Vec<&'a str>,
    /// Listings in force of each entity: `own[own_start[v]..own_start[v + 1]]` (`Facts::listings`).
    own_start: Vec<u32>,
    own: Vec<u32>,
}

impl<'a> Designations<'a> {
    pub(super) fn compute(g: &Graph<'a>, facts: &'a Facts, params: &Params) -> Self {
        let n = g.len();
        let mut keyed: Vec<(u32, u32)> = Vec::new();
        for (i, listing) in facts.listings.iter().enumerate() {
            if listing.in_force(params.as_of)
                && let Some(node) = g.node(&listing.subject)
            {
                keyed.push((node, i as u32));
            }
        }
        keyed.sort_unstable();
        let mut own_start = vec![0u32; n + 1];
        for (node, _) in &keyed {
            own_start[*node as usize + 1] += 1;
        }
        for v in 0..n {
            own_start[v + 1] += own_start[v];
        }
        let own: Vec<u32> = keyed.iter().map(|(_, i)| *i).collect();
        let mut lists: Vec<&'a str> = own.iter().map(|&i| facts.listings[i as usize].list.as_str()).collect();
        lists.sort_unstable();
        lists.dedup();

        let mut d = Designations {
            designated: vec![false; n],
            by_rule: vec![false; n],
            reported: (0..n).map(|_| BTreeMap::new()).collect(),
            lists,
            own_start,
            own,
        };
        d.designate(g, params.control_threshold);
        d.report(g, facts);
        d
    }

    pub(super) fn is_designated(&self, node: u32) -> bool {
        self.designated[node as usize]
    }

    /// Lists reported for `node`: sorted by name, distinct (empty unless designated).
    pub(super) fn lists_of(&self, node: u32) -> Vec<String> {
        self.reported[node as usize].keys().map(|&l| self.lists[l as usize].to_owned()).collect()
    }

    /// The evidence for `node`'s designation: its own listings in force, one origin per inherited list,
    /// and its designated direct holders when the rule applies to it.
    pub(super) fn explain(&self, node: u32, g: &Graph<'_>, facts: &Facts, out: &mut Vec<Evidence>) {
        let listing = |i: u32, via: Option<String>| {
            let l = &facts.listings[i as usize];
            let entity = g.node(&l.subject).map_or(l.subject.as_str(), |n| g.name(n));
            Evidence::Listing {
                entity: entity.to_owned(),
                list: l.list.clone(),
                effective: l.effective,
                ends: l.ends,
                source: l.source.clone(),
                via,
            }
        };
        for &i in self.own_of(node) {
            out.push(listing(i, None));
        }
        for origin in self.reported[node as usize].values() {
            if let Some(holder) = origin.via {
                out.push(listing(origin.listing, Some(g.name(holder).to_owned())));
            }
        }
        if self.by_rule[node as usize] {
            for k in g.equity.incoming(node) {
                let holder = g.equity.from[k];
                if self.designated[holder as usize] && g.equity.share[k] > 0.0 {
                    out.push(Evidence::DesignatedHolder { holder: g.name(holder).to_owned(), share: g.equity.share[k] });
                }
            }
        }
    }

    fn own_of(&self, node: u32) -> &[u32] {
        &self.own[self.own_start[node as usize] as usize..self.own_start[node as usize + 1] as usize]
    }

    /// D: the listed entities, then every entity whose holdings by members of D reach the threshold.
    /// Each member's out-edges are added exactly once, so `held` ends as the full designated holding.
    fn designate(&mut self, g: &Graph<'_>, threshold: f64) {
        let n = g.len();
        let mut held = vec![0.0f64; n];
        let mut work: Vec<u32> = (0..n as u32).filter(|&v| !self.own_of(v).is_empty()).collect();
        for &v in &work {
            self.designated[v as usize] = true;
        }
        while let Some(holder) = work.pop() {
            for &k in g.equity.outgoing(holder) {
                let (k, held_entity) = (k as usize, g.equity.to[k as usize]);
                if g.equity.share[k] <= 0.0 {
                    continue;
                }
                let e = held_entity as usize;
                held[e] += g.equity.share[k];
                if !self.designated[e] && at_least(held[e], threshold) {
                    self.designated[e] = true;
                    work.push(held_entity);
                }
            }
        }
        self.by_rule = self.designated.iter().zip(&held).map(|(&d, &h)| d && at_least(h, threshold)).collect();
    }

    /// Reported lists: own lists in force, plus, where the rule applies, those of designated direct
    /// holders with share > 0 — propagated until stable (lists travel round cycles).
    fn report(&mut self, g: &Graph<'_>, facts: &Facts) {
        let n = g.len();
        let mut queued = vec![false; n];
        let mut work: Vec<u32> = Vec::new();
        for v in 0..n as u32 {
            let (start, end) = (self.own_start[v as usize] as usize, self.own_start[v as usize + 1] as usize);
            for &i in &self.own[start..end] {
                let name = facts.listings[i as usize].list.as_str();
                let list = self.lists.binary_search(&name).expect("every list in force is numbered") as u32;
                self.reported[v as usize].entry(list).or_insert(Origin { listing: i, via: None });
            }
            if start < end {
                queued[v as usize] = true;
                work.push(v);
            }
        }
        let mut carried: Vec<(u32, u32)> = Vec::new();
        while let Some(holder) = work.pop() {
            queued[holder as usize] = false;
            carried.clear();
            carried.extend(self.reported[holder as usize].iter().map(|(&l, o)| (l, o.listing)));
            for &k in g.equity.outgoing(holder) {
                let e = g.equity.to[k as usize];
                if g.equity.share[k as usize] <= 0.0 || !self.by_rule[e as usize] {
                    continue;
                }
                let mut grew = false;
                for &(list, listing) in &carried {
                    if let Entry::Vacant(slot) = self.reported[e as usize].entry(list) {
                        slot.insert(Origin { listing, via: Some(holder) });
                        grew = true;
                    }
                }
                if grew && !queued[e as usize] {
                    queued[e as usize] = true;
                    work.push(e);
                }
            }
        }
    }
}

/// Where a reported list came from: the listing that started the chain, and the designated direct
/// holder it came through (`None` for the entity's own listing).
#[derive(Debug, Clone, Copy)]
struct Origin {
    listing: u32,
    via: Option<u32>,
}
