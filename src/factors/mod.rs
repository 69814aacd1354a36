//! Factor computation of the risk engine: from the facts in the store and a scenario's parameters to the
//! eight factor values of every vendor (risk-model.md v1.2), each with the evidence behind it.
//!
//! Pure: no IO, no SQL, no clock. The store loads [`Facts`], the caller supplies [`Params`] (with
//! `as_of`), and [`compute`] returns a [`FactorResult`]; weighting, aggregation, ranks and what-if
//! analyses live elsewhere and only read that result. Every fact dated after `as_of` is ignored.
//!
//! - `facts` — the input rows.
//! - `params` — parameters, their domains, defaults and textual form.
//! - `graph` — entity graph on `as_of`: concern weights, exposure fixpoint, ownership, controllers, ties.
//! - `designations` — the designated set under the OFAC 50 Percent Rule and the lists reported.
//! - `market` — sales windows (market) and latest install-base year (install_base).
//! - `testimony` — graded, decaying notes.
//! - `evidence` — what explains each number.
//!
//! Cost is linear in the facts: a store of 10,000 vendors, 50,000 entities, 100,000 edges, 100,000
//! notes and a million sales rows takes about 0.2 s on a 2-core machine (`benches/factors.rs`), about
//! a third of it spent copying evidence strings (mostly one `NoteTerm` per counted note).

mod designations;
mod evidence;
mod facts;
mod graph;
mod market;
mod params;
mod structure;
mod testimony;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use self::evidence::Evidence;
pub use self::facts::{Edge, Entity, Facts, InstallRow, Listing, Note, Relation, SalesRow, Vendor};
pub use self::params::{DEFAULT_CONCERN_COUNTRIES, MissingPolicy, PARAM_NAMES, ParamError, Params, ShareBasis};
pub use self::structure::{Structure, structure};

use self::designations::Designations;
use self::graph::{Controls, Graph};
use self::market::VendorIndex;
use self::params::ConcernSet;
use self::testimony::NoteIndex;

/// The factors in the spec's order: the column order of [`FactorResult::values`] and of every map.
pub use crate::model::{Factor, FactorMap};

/// The factor values of every vendor, with what explains them. Vendor `i` is `vendor_ids[i]`; its
/// factors are `values[8 i .. 8 i + 8]` in [`Factor`] order (one contiguous block, so scoring and
/// sampling loops run over a flat slice).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorResult {
    /// Sorted by vendor id in byte order.
    pub vendor_ids: Vec<String>,
    /// `n × 8`, row-major, every value in [0, 1].
    pub values: Vec<f64>,
    /// Per vendor, in factor order: market and/or install_base when the missing policy set them.
    pub missing: Vec<Vec<Factor>>,
    /// Per vendor, passed through for the scorer.
    pub mitigation: Vec<f64>,
    /// Per vendor: its entity is designated on `as_of` (the product then marks it prohibited).
    pub designated: Vec<bool>,
    /// Per vendor: designation lists reported, sorted by name, distinct.
    pub lists: Vec<Vec<String>>,
    /// Per vendor: not designated on the low points of ranges, but designated on their high points
    /// (risk-model.md v1.3, "possibly prohibited").
    pub possibly_designated: Vec<bool>,
    /// Per vendor: the lists it would carry on the high points (empty unless possibly designated).
    pub possible_lists: Vec<Vec<String>>,
    /// Per vendor and factor: the evidence behind the value.
    pub evidence: Vec<FactorMap<Vec<Evidence>>>,
}

impl FactorResult {
    pub fn len(&self) -> usize {
        self.vendor_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vendor_ids.is_empty()
    }

    /// The eight factor values of vendor position `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * Factor::COUNT..(i + 1) * Factor::COUNT]
    }

    /// The eight factor values of vendor position `i`, as a map.
    pub fn values_of(&self, i: usize) -> FactorMap<f64> {
        FactorMap::from_array(self.row(i).try_into().expect("a row holds one value per factor"))
    }

    /// The position of a vendor id (binary search: ids are sorted).
    pub fn position(&self, vendor_id: &str) -> Option<usize> {
        self.vendor_ids.binary_search_by(|id| id.as_str().cmp(vendor_id)).ok()
    }
}

/// Computes the eight factors of every vendor on `params.as_of`. `params` must be valid
/// ([`Params::validate`]). Facts are taken as the importer guarantees them; anything it would have
/// refused (an unknown reference, grade or word) gets the reading documented where it is used, never a
/// panic.
pub fn compute(facts: &Facts, params: &Params) -> FactorResult {
    debug_assert!(params.validate().is_ok(), "compute needs valid parameters: {:?}", params.validate());
    let mut order: Vec<usize> = (0..facts.vendors.len()).collect();
    order.sort_by(|&a, &b| facts.vendors[a].id.as_bytes().cmp(facts.vendors[b].id.as_bytes()));
    let n = order.len();

    let concern = ConcernSet::new(params);
    let g = Graph::build(facts, params, &concern);
    let exposure = graph::exposure(&g.equity, &g.control, &g.concern);
    // Legal findings (controllers, the 50 % rule and the lists) stand on what the sources establish:
    // the low points of ranges. Without range rows every basis gives the same graph.
    let ranged = facts.edges.iter().any(Edge::is_range);
    let low_graph = ranged.then(|| Graph::build_on(facts, params, &concern, ShareBasis::Low));
    let low = low_graph.as_ref().unwrap_or(&g);
    let designations = Designations::compute(low, facts, params);
    let possible = ranged.then(|| Designations::compute(&Graph::build_on(facts, params, &concern, ShareBasis::High), facts, params));
    let notes = NoteIndex::build(&g, facts, params);
    let mut index = VendorIndex::new(order.iter().map(|&i| facts.vendors[i].id.as_str()));
    let markets = market::market_shares(facts, params, &concern, &mut index, n);
    let installs = market::latest_installs(facts, params, &mut index, n);

    let mut out = FactorResult {
        vendor_ids: Vec::with_capacity(n),
        values: Vec::with_capacity(n * Factor::COUNT),
        missing: Vec::with_capacity(n),
        mitigation: Vec::with_capacity(n),
        designated: Vec::with_capacity(n),
        lists: Vec::with_capacity(n),
        possibly_designated: Vec::with_capacity(n),
        possible_lists: Vec::with_capacity(n),
        evidence: Vec::with_capacity(n),
    };
    let mut controls = Controls::new(g.len());
    let ctx = Context { facts, params, g: &g, exposure: &exposure, notes: &notes };
    for (pos, &vi) in order.iter().enumerate() {
        let vendor = &facts.vendors[vi];
        let node = g.vendor_node[vi];
        controls.search(&low.equity, &low.control, params.control_threshold, node);
        let mut ev: FactorMap<Vec<Evidence>> = FactorMap::default();
        let mut missing = Vec::new();

        let market = match markets[pos].as_ref() {
            Some(share) => {
                ev[Factor::Market].push(Evidence::MarketYears {
                    years: share.years.clone(),
                    concern_revenue: share.concern_revenue,
                    total_revenue: share.total_revenue,
                });
                share.value()
            }
            None => None,
        };
        let market = market.unwrap_or_else(|| ctx.missing(&mut ev[Factor::Market], &mut missing, Factor::Market));
        let install_base = match installs[pos] {
            Some((year, users)) => {
                ev[Factor::InstallBase].push(Evidence::InstallYear { year, users });
                market::install_base(users, params.users_ref)
            }
            None => ctx.missing(&mut ev[Factor::InstallBase], &mut missing, Factor::InstallBase),
        };
        let designated = designations.is_designated(node);
        if designated {
            designations.explain(node, low, facts, &mut ev[Factor::Designations]);
        }
        let possibly = !designated && possible.as_ref().is_some_and(|p| p.is_designated(node));
        let of_concern = concern.contains(&vendor.hq_country);
        ev[Factor::Jurisdiction].push(Evidence::Jurisdiction { hq_country: vendor.hq_country.clone(), of_concern });
        ev[Factor::Privilege].push(Evidence::Privilege { level: vendor.privilege.clone() });

        out.values.extend_from_slice(&[
            ctx.ownership(node, &mut ev[Factor::Ownership]),
            ctx.ties(&controls, &mut ev[Factor::Ties]),
            if of_concern { 1.0 } else { 0.0 },
            market,
            ctx.testimony(&controls, &mut ev[Factor::Testimony]),
            if designated { 1.0 } else { 0.0 },
            install_base,
            privilege_factor(&vendor.privilege),
        ]);
        out.vendor_ids.push(vendor.id.clone());
        out.missing.push(missing);
        out.mitigation.push(vendor.mitigation);
        out.designated.push(designated);
        out.lists.push(if designated { designations.lists_of(node) } else { Vec::new() });
        out.possibly_designated.push(possibly);
        out.possible_lists.push(match (&possible, possibly) {
            (Some(p), true) => p.lists_of(node),
            _ => Vec::new(),
        });
        out.evidence.push(ev);
    }
    out
}

/// `none` 0, `user` 0.25, `admin` 0.6, `kernel` 1. A word the importer would have refused reads as
/// `kernel`: for a privilege nobody can vouch for, the cautious reading is the most powerful one.
fn privilege_factor(level: &str) -> f64 {
    crate::model::Privilege::parse(level).unwrap_or(crate::model::Privilege::Kernel).factor()
}

/// What every vendor's factors are computed from, shared across the vendor loop.
struct Context<'c, 'a> {
    facts: &'a Facts,
    params: &'c Params,
    g: &'c Graph<'a>,
    exposure: &'c [f64],
    notes: &'c NoteIndex,
}

impl Context<'_, '_> {
    /// The missing-policy value, recorded in `missing` and in the evidence.
    fn missing(&self, ev: &mut Vec<Evidence>, missing: &mut Vec<Factor>, factor: Factor) -> f64 {
        let value = self.params.missing.value();
        ev.push(Evidence::Missing { policy: self.params.missing, value });
        missing.push(factor);
        value
    }

    /// Ownership, with one stake per equity row into the vendor's entity.
    fn ownership(&self, node: u32, ev: &mut Vec<Evidence>) -> f64 {
        let eq = &self.g.equity;
        for k in eq.incoming(node) {
            let owner = eq.from[k];
            let exposure_of_owner = self.exposure[owner as usize];
            for &row in eq.rows_of(k) {
                let edge = &self.facts.edges[row as usize];
                let share = edge.point(self.params.share_basis);
                let range = edge.is_range().then(|| [edge.share_min.unwrap_or(0.0), edge.share_max.unwrap_or(1.0)]);
                ev.push(Evidence::Stake {
                    from: self.g.name(owner).to_owned(),
                    to: self.g.name(node).to_owned(),
                    share,
                    range,
                    exposure_of_owner,
                    contribution: share * exposure_of_owner,
                    source: edge.source.clone(),
                });
            }
        }
        // v1.3: a control step into the vendor's entity carries its controller's exposure in full.
        for tie in self.g.ties.of(node) {
            let edge = &self.facts.edges[tie.row as usize];
            let [controller, controlled] = tie.ends;
            if controlled == node
                && controller != node
                && edge.tie_kind.as_deref() == Some("control")
                && self.g.control.controllers_of(node).contains(&controller)
            {
                ev.push(Evidence::ControlStep {
                    controller: self.g.name(controller).to_owned(),
                    to: self.g.name(node).to_owned(),
                    confidence: edge.confidence,
                    exposure_of_controller: self.exposure[controller as usize],
                    source: edge.source.clone(),
                });
            }
        }
        graph::ownership(eq, &self.g.control, self.exposure, node)
    }

    /// Noisy-OR over the ties from `{v} ∪ controllers(v)` to concern entities outside that set. A tie
    /// with both ends inside is internal to the controlled group and says nothing about foreign ties.
    fn ties(&self, controls: &Controls, ev: &mut Vec<Evidence>) -> f64 {
        self.explain_controllers(controls, ev);
        let mut keep = 1.0;
        for &member in controls.members() {
            for tie in self.g.ties.of(member) {
                let other = tie.other(member);
                let concern_weight = self.g.concern[other as usize];
                if controls.contains(other) || concern_weight <= 0.0 {
                    continue;
                }
                let edge = &self.facts.edges[tie.row as usize];
                let p = concern_weight * edge.strength * edge.confidence;
                keep *= 1.0 - p;
                ev.push(Evidence::Tie {
                    member: self.g.name(member).to_owned(),
                    other: self.g.name(other).to_owned(),
                    tie_kind: edge.tie_kind.clone(),
                    strength: edge.strength,
                    confidence: edge.confidence,
                    concern_weight,
                    p,
                    source: edge.source.clone(),
                });
            }
        }
        1.0 - keep
    }

    /// Saturated sum of the note terms about `{v} ∪ controllers(v)`.
    fn testimony(&self, controls: &Controls, ev: &mut Vec<Evidence>) -> f64 {
        self.explain_controllers(controls, ev);
        let mut x = 0.0;
        for &member in controls.members() {
            for scored in self.notes.about(member) {
                x += scored.term;
                let note = &self.facts.notes[scored.note as usize];
                ev.push(Evidence::NoteTerm {
                    note_id: note.id.clone(),
                    subject: self.g.name(member).to_owned(),
                    date: note.date,
                    stance: testimony::stance_word(&note.stance),
                    severity: note.severity,
                    reliability: testimony::reliability_word(&note.reliability),
                    credibility: note.credibility,
                    age_years: scored.age_years,
                    term: scored.term,
                    source: note.source.clone(),
                });
            }
        }
        testimony::saturate(x, self.params.testimony_scale)
    }

    /// Controllers widen what ties and testimony look at, so both factors show them.
    fn explain_controllers(&self, controls: &Controls, ev: &mut Vec<Evidence>) {
        for &c in controls.controllers() {
            ev.push(Evidence::Controller {
                entity: self.g.name(c).to_owned(),
                path: controls.path(c).into_iter().map(|n| self.g.name(n).to_owned()).collect(),
            });
        }
    }
}
