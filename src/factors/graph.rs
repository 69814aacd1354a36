//! The entity graph on the evaluation date and what is computed on it: concern weights `a(e)`, the
//! concern-exposure fixpoint `E`, ownership, each vendor's controllers, and the tie adjacency.
//!
//! Entities are numbered densely (`u32` nodes) so every per-entity quantity is a flat vector and the
//! graph is two CSR arrays (in- and out-edges of the *added* equity edges): at 50,000 entities and
//! 100,000 edges the whole graph phase has to stay within a few milliseconds.

use std::collections::HashMap;
use std::ops::Range;

use super::facts::{Facts, Relation};
use super::params::{ConcernSet, Params, ShareBasis};

/// Tolerance of every threshold comparison (risk-model.md, "Numbers and comparisons").
pub(super) const TOLERANCE: f64 = 1e-9;

/// `x ≥ t` in the spec's sense: `x ≥ t − 1e-9`, so a share typed as 0.5 that became 0.4999999999 on
/// the way (sums of parallel rows, decimal conversion) still counts as 0.5.
pub(super) fn at_least(x: f64, threshold: f64) -> bool {
    x >= threshold - TOLERANCE
}

/// Concern weight `a(e)` of an entity domiciled in `country`.
pub(super) fn concern_weight(params: &Params, concern: &ConcernSet, country: &str, state_affiliated: bool) -> f64 {
    match (concern.contains(country), state_affiliated) {
        (false, _) => 0.0,
        (true, true) => 1.0,
        (true, false) => params.private_concern,
    }
}

/// The graph of the entities and of the edges in force on `as_of`.
#[derive(Debug)]
pub(super) struct Graph<'a> {
    /// Entity id of each node.
    pub(super) names: Vec<&'a str>,
    /// `a(e)` of each node.
    pub(super) concern: Vec<f64>,
    /// Node of each vendor, by index into `Facts::vendors`.
    pub(super) vendor_node: Vec<u32>,
    pub(super) equity: Equity,
    /// Control steps `c ⇒ e` (v1.3); none until control ties are read.
    pub(super) control: ControlSteps,
    pub(super) ties: Ties,
    ids: HashMap<&'a str, u32>,
    vendor_ids: HashMap<&'a str, u32>,
}

impl<'a> Graph<'a> {
    /// Numbers the explicit entities (first occurrence of an id wins), then the vendors' implicit
    /// entities, then any id that only an edge mentions (concern weight 0: nothing is known about it,
    /// but it still carries shares through a chain).
    pub(super) fn build(facts: &'a Facts, params: &Params, concern: &ConcernSet) -> Self {
        Self::build_on(facts, params, concern, params.share_basis)
    }

    /// [`Graph::build`] with equity given as a range taken at `basis` (the legal findings use the low
    /// points, "possibly prohibited" the high ones, whatever the scenario's basis).
    pub(super) fn build_on(facts: &'a Facts, params: &Params, concern: &ConcernSet, basis: ShareBasis) -> Self {
        let capacity = facts.entities.len() + facts.vendors.len();
        let mut g = Graph {
            names: Vec::with_capacity(capacity),
            concern: Vec::with_capacity(capacity),
            vendor_node: Vec::with_capacity(facts.vendors.len()),
            equity: Equity::default(),
            control: ControlSteps::default(),
            ties: Ties::default(),
            ids: HashMap::with_capacity(capacity),
            vendor_ids: HashMap::with_capacity(facts.vendors.len()),
        };
        // v1.3: ids joined by `same` links are one node, named by the group's representative.
        let groups = SameGroups::of(facts);
        for entity in &facts.entities {
            let id = entity.id.as_str();
            if !g.ids.contains_key(id) {
                let node = g.group_node(&groups, id);
                if node.is_none() {
                    g.add(id, concern_weight(params, concern, &entity.country, entity.state_affiliated));
                }
            }
        }
        for vendor in &facts.vendors {
            let id = vendor.entity_id.as_str();
            let node = match g.ids.get(id).copied().or_else(|| g.group_node(&groups, id)) {
                Some(node) => node,
                None => g.add(id, concern_weight(params, concern, &vendor.hq_country, false)),
            };
            g.vendor_node.push(node);
            g.vendor_ids.entry(vendor.id.as_str()).or_insert(node);
        }
        if !groups.rep.is_empty() {
            g.group_concern(facts, params, concern, &groups);
        }
        let mut equity = Vec::new();
        let mut ties = Vec::new();
        let mut steps = Vec::new();
        for (row, edge) in facts.edges.iter().enumerate() {
            if !edge.in_force(params.as_of) {
                continue;
            }
            let from = g.group_node(&groups, &edge.from).unwrap_or_else(|| g.node_or_add(&edge.from));
            let to = g.group_node(&groups, &edge.to).unwrap_or_else(|| g.node_or_add(&edge.to));
            if from == to {
                // An edge inside a group (its members are one entity) says nothing.
                continue;
            }
            let row = row as u32;
            match edge.relation {
                Relation::Equity => equity.push(EquityRow { to, from, share: edge.point(basis), row }),
                Relation::Tie => {
                    ties.push(TieEnds { row, ends: [from, to] });
                    if edge.tie_kind.as_deref() == Some("control") && at_least(edge.confidence, params.control_confidence) {
                        steps.push((from, to));
                    }
                }
            }
        }
        if !groups.rep.is_empty() {
            largest_member_pair(&mut equity, facts);
        }
        g.equity = Equity::new(g.names.len(), equity);
        g.control = ControlSteps::new(g.names.len(), steps);
        g.ties = Ties::new(g.names.len(), ties);
        g
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    /// The node of an entity id, or of the entity of a vendor named by its `vendor_id`.
    pub(super) fn node(&self, id: &str) -> Option<u32> {
        self.ids.get(id).or_else(|| self.vendor_ids.get(id)).copied()
    }

    pub(super) fn name(&self, node: u32) -> &'a str {
        self.names[node as usize]
    }

    /// The node of a grouped id: its group's, made on first use (named by the representative).
    fn group_node(&mut self, groups: &SameGroups<'a>, id: &'a str) -> Option<u32> {
        let rep = *groups.rep.get(id)?;
        let node = match self.ids.get(rep) {
            Some(&node) => node,
            None => self.add(rep, 0.0),
        };
        self.ids.insert(id, node);
        Some(node)
    }

    /// A group's concern weight: its representative's country (an explicit entity's, else a
    /// vendor's headquarters), state-affiliated if any member is.
    fn group_concern(&mut self, facts: &'a Facts, params: &Params, concern: &ConcernSet, groups: &SameGroups<'a>) {
        let mut country: HashMap<&str, &str> = HashMap::new();
        let mut state: HashMap<&str, bool> = HashMap::new();
        for vendor in &facts.vendors {
            country.entry(vendor.entity_id.as_str()).or_insert(vendor.hq_country.as_str());
        }
        for entity in &facts.entities {
            country.insert(entity.id.as_str(), entity.country.as_str());
            if let Some(rep) = groups.rep.get(entity.id.as_str()) {
                *state.entry(rep).or_default() |= entity.state_affiliated;
            }
        }
        let reps: std::collections::BTreeSet<&str> = groups.rep.values().copied().collect();
        for rep in reps {
            let node = match self.ids.get(rep) {
                Some(&node) => node as usize,
                None => self.add(rep, 0.0) as usize,
            };
            let home = country.get(rep).copied().unwrap_or("");
            self.concern[node] = concern_weight(params, concern, home, state.get(rep).copied().unwrap_or(false));
        }
    }

    fn node_or_add(&mut self, id: &'a str) -> u32 {
        match self.node(id) {
            Some(node) => node,
            None => self.add(id, 0.0),
        }
    }

    fn add(&mut self, id: &'a str, concern: f64) -> u32 {
        let node = self.names.len() as u32;
        self.names.push(id);
        self.concern.push(concern);
        self.ids.insert(id, node);
        node
    }
}

/// The `same` groups of v1.3: every id in a group of two or more, mapped to the group's
/// representative — the member that is a vendor's entity (the first in byte order, should the store
/// ever hold two: the importer refuses that), else the member first in byte order.
struct SameGroups<'a> {
    rep: HashMap<&'a str, &'a str>,
}

impl<'a> SameGroups<'a> {
    fn of(facts: &'a Facts) -> Self {
        if facts.links.is_empty() {
            return SameGroups { rep: HashMap::new() };
        }
        let mut parent: HashMap<&'a str, &'a str> = HashMap::new();
        fn root<'b>(parent: &HashMap<&'b str, &'b str>, id: &'b str) -> &'b str {
            let mut at = id;
            while let Some(&next) = parent.get(at) {
                at = next;
            }
            at
        }
        for (a, b) in &facts.links {
            let (ra, rb) = (root(&parent, a), root(&parent, b));
            if ra != rb {
                parent.insert(ra.max(rb), ra.min(rb));
            }
        }
        let vendor_entities: std::collections::HashSet<&str> = facts.vendors.iter().map(|v| v.entity_id.as_str()).collect();
        let mut members: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for (a, b) in &facts.links {
            for id in [a.as_str(), b.as_str()] {
                members.entry(root(&parent, id)).or_default().push(id);
            }
        }
        let mut rep = HashMap::new();
        for (_, mut group) in members {
            group.sort_unstable();
            group.dedup();
            let chosen = group.iter().copied().find(|id| vendor_entities.contains(id)).unwrap_or(group[0]);
            for id in group {
                rep.insert(id, chosen);
            }
        }
        SameGroups { rep }
    }
}

/// Rows reaching the same two groups from different member pairs are not added (risk-model.md v1.3):
/// two sources reporting one holding under two ids must not count it twice. Per pair of nodes, only
/// the rows of the member pair with the largest sum stay (the first such pair in row order on a tie).
fn largest_member_pair(equity: &mut Vec<EquityRow>, facts: &Facts) {
    /// A member pair (holder id, held id) and the sum of its rows.
    type PairSum<'f> = ((&'f str, &'f str), f64);
    let mut sums: HashMap<(u32, u32), Vec<PairSum<'_>>> = HashMap::new();
    for r in equity.iter() {
        let edge = &facts.edges[r.row as usize];
        let pairs = sums.entry((r.from, r.to)).or_default();
        let member = (edge.from.as_str(), edge.to.as_str());
        match pairs.iter_mut().find(|(m, _)| *m == member) {
            Some((_, sum)) => *sum += r.share,
            None => pairs.push((member, r.share)),
        }
    }
    let kept: HashMap<(u32, u32), (&str, &str)> = sums
        .into_iter()
        .map(|(nodes, pairs)| {
            let best = pairs.iter().fold(pairs[0], |best, &p| if p.1 > best.1 { p } else { best });
            (nodes, best.0)
        })
        .collect();
    equity.retain(|r| {
        let edge = &facts.edges[r.row as usize];
        kept[&(r.from, r.to)] == (edge.from.as_str(), edge.to.as_str())
    });
}

/// One equity row in force, by nodes; `row` indexes `Facts::edges`.
#[derive(Debug, Clone, Copy)]
pub(super) struct EquityRow {
    pub(super) to: u32,
    pub(super) from: u32,
    pub(super) share: f64,
    pub(super) row: u32,
}

/// The added equity edges: rows between the same two entities are summed into one edge `k`
/// (`from[k] → to[k]`, `share[k]`), kept with the rows they came from for the evidence.
#[derive(Debug, Default)]
pub(super) struct Equity {
    pub(super) from: Vec<u32>,
    pub(super) to: Vec<u32>,
    pub(super) share: Vec<f64>,
    /// Rows of edge k: `rows[row_start[k]..row_start[k + 1]]`, in input order.
    row_start: Vec<u32>,
    rows: Vec<u32>,
    /// Edges are stored sorted by (to, from): the in-edges of node v are `in_start[v]..in_start[v+1]`.
    in_start: Vec<u32>,
    /// Out-edges of node v: `out_edge[out_start[v]..out_start[v + 1]]` (edge numbers).
    out_start: Vec<u32>,
    out_edge: Vec<u32>,
}

impl Equity {
    pub(super) fn new(nodes: usize, mut rows: Vec<EquityRow>) -> Self {
        // Sorting by row within a pair adds parallel rows in input order: a deterministic sum.
        rows.sort_unstable_by_key(|r| (r.to, r.from, r.row));
        let mut eq = Equity {
            in_start: vec![0; nodes + 1],
            out_start: vec![0; nodes + 1],
            rows: rows.iter().map(|r| r.row).collect(),
            ..Equity::default()
        };
        for (i, r) in rows.iter().enumerate() {
            let parallel = i > 0 && rows[i - 1].to == r.to && rows[i - 1].from == r.from;
            if parallel {
                *eq.share.last_mut().expect("a parallel row follows an edge") += r.share;
            } else {
                eq.from.push(r.from);
                eq.to.push(r.to);
                eq.share.push(r.share);
                eq.row_start.push(i as u32);
                eq.in_start[r.to as usize + 1] += 1;
                eq.out_start[r.from as usize + 1] += 1;
            }
        }
        eq.row_start.push(rows.len() as u32);
        for v in 0..nodes {
            eq.in_start[v + 1] += eq.in_start[v];
            eq.out_start[v + 1] += eq.out_start[v];
        }
        let mut fill = eq.out_start.clone();
        eq.out_edge = vec![0; eq.from.len()];
        for (k, &from) in eq.from.iter().enumerate() {
            let slot = &mut fill[from as usize];
            eq.out_edge[*slot as usize] = k as u32;
            *slot += 1;
        }
        eq
    }

    /// Edge numbers of the in-edges of `v`.
    pub(super) fn incoming(&self, v: u32) -> Range<usize> {
        self.in_start[v as usize] as usize..self.in_start[v as usize + 1] as usize
    }

    /// Edge numbers of the out-edges of `v`.
    pub(super) fn outgoing(&self, v: u32) -> &[u32] {
        &self.out_edge[self.out_start[v as usize] as usize..self.out_start[v as usize + 1] as usize]
    }

    /// `Facts::edges` rows summed into edge `k`.
    pub(super) fn rows_of(&self, k: usize) -> &[u32] {
        &self.rows[self.row_start[k] as usize..self.row_start[k + 1] as usize]
    }

    fn nodes(&self) -> usize {
        self.in_start.len() - 1
    }

    /// `Σ_{o→v} share · E(o)`, uncapped.
    fn inflow(&self, exposure: &[f64], v: u32) -> f64 {
        let mut sum = 0.0;
        for k in self.incoming(v) {
            sum += self.share[k] * exposure[self.from[k] as usize];
        }
        sum
    }
}

/// Directed control steps `c ⇒ e` (risk-model.md v1.3, "Control ties"): `e` carries `c`'s exposure in
/// full. Two CSR arrays like [`Equity`]'s: the steps into a node feed its exposure, the steps out of it
/// are edges of the graph whose strongly connected components the fixpoint is solved on.
/// `ControlSteps::default()` means no step at all, whatever the number of nodes.
#[derive(Debug, Default)]
pub(super) struct ControlSteps {
    /// Controllers of node v: `controller[in_start[v]..in_start[v + 1]]`, ascending.
    in_start: Vec<u32>,
    controller: Vec<u32>,
    /// Nodes controlled by v: `controlled[out_start[v]..out_start[v + 1]]`, ascending.
    out_start: Vec<u32>,
    controlled: Vec<u32>,
}

impl ControlSteps {
    /// Steps as `(controller, controlled)` node pairs, every node below `nodes`. A repeated step counts
    /// once, and a self-step is dropped: `E(e) ≥ E(e)` says nothing.
    pub(super) fn new(nodes: usize, mut steps: Vec<(u32, u32)>) -> Self {
        steps.retain(|&(c, e)| c != e);
        steps.sort_unstable_by_key(|&(c, e)| (e, c));
        steps.dedup();
        let mut in_start = vec![0u32; nodes + 1];
        let mut out_start = vec![0u32; nodes + 1];
        for &(c, e) in &steps {
            in_start[e as usize + 1] += 1;
            out_start[c as usize + 1] += 1;
        }
        for v in 0..nodes {
            in_start[v + 1] += in_start[v];
            out_start[v + 1] += out_start[v];
        }
        let controller = steps.iter().map(|&(c, _)| c).collect();
        let mut fill = out_start.clone();
        let mut controlled = vec![0; steps.len()];
        for &(c, e) in &steps {
            let slot = &mut fill[c as usize];
            controlled[*slot as usize] = e;
            *slot += 1;
        }
        ControlSteps { in_start, controller, out_start, controlled }
    }

    /// The controllers `c` of the steps `c ⇒ v`.
    pub(super) fn controllers_of(&self, v: u32) -> &[u32] {
        if self.controller.is_empty() {
            return &[];
        }
        &self.controller[self.in_start[v as usize] as usize..self.in_start[v as usize + 1] as usize]
    }

    /// The nodes `e` of the steps `v ⇒ e`.
    pub(super) fn controlled_by(&self, v: u32) -> &[u32] {
        if self.controlled.is_empty() {
            return &[];
        }
        &self.controlled[self.out_start[v as usize] as usize..self.out_start[v as usize + 1] as usize]
    }
}

/// The exact least fixpoint of `E(e) = min(1, max(a(e), Σ_{o→e} share·E(o), max_{c⇒e} E(c)))`
/// (risk-model.md v1.3; the control term is 0 without steps into `e`), on every graph: cycles of share
/// product below 1, exactly 1 (100 % ↔ 100 % cross-holdings, control cycles) or above it (the 1e-6
/// share-sum tolerance, ranges on the high basis).
///
/// Why this shape: `E(e)` depends only on `e`'s owners and controllers, so the strongly connected
/// components of equity edges ∪ control steps, taken owners-first, can each be finished before the next
/// one starts. A component without a cycle (the vast majority) is one evaluation; a cyclic one is
/// settled by [`Cycles::settle`]: Gauss–Seidel sweeps from below (which alone settle a component that
/// contracts, as every v1.2 cycle does, to v1.2's bits), then, where they cannot be trusted, an exact
/// strategy solve that certifies or corrects where they stopped. Everything only ever moves up from below the least fixpoint, so the result is
/// the *least* fixpoint, not merely some fixpoint (with cross-holdings of 100 % any value in [a, 1]
/// is one).
pub(super) fn exposure(eq: &Equity, control: &ControlSteps, concern: &[f64]) -> Vec<f64> {
    let mut exposure = concern.to_vec();
    let components = Components::of(eq, control);
    let mut cycles: Option<Cycles> = None;
    for members in components.owners_first() {
        match members {
            &[v] if !eq.incoming(v).any(|k| eq.from[k] == v) => {
                exposure[v as usize] = operator(eq, control, concern, &exposure, v);
            }
            _ => cycles.get_or_insert_with(|| Cycles::new(exposure.len())).settle(eq, control, concern, &mut exposure, members),
        }
    }
    exposure
}

/// `ownership(v) = min(1, max(Σ_{o→v} share·E(o), max_{c⇒v} E(c)))`: the vendor's own `a` does not
/// count here (that is jurisdiction), though it can come back to it through a cycle.
pub(super) fn ownership(eq: &Equity, control: &ControlSteps, exposure: &[f64], v: u32) -> f64 {
    let mut value = eq.inflow(exposure, v);
    for &c in control.controllers_of(v) {
        value = value.max(exposure[c as usize]);
    }
    value.min(1.0)
}

/// The right-hand side of the fixpoint equation at node `v`, on the current values. Without control
/// steps into `v` this is v1.2's `min(1, max(Σ share·E(o), a(v)))`, operation for operation.
fn operator(eq: &Equity, control: &ControlSteps, concern: &[f64], exposure: &[f64], v: u32) -> f64 {
    let mut value = eq.inflow(exposure, v).max(concern[v as usize]);
    for &c in control.controllers_of(v) {
        value = value.max(exposure[c as usize]);
    }
    value.min(1.0)
}

/// Backward search from a vendor's entity over control edges (added share ≥ `control_threshold`),
/// reused across vendors: a generation stamp replaces clearing a 50,000-entry visited set 10,000
/// times.
#[derive(Debug)]
pub(super) struct Controls {
    stamp: Vec<u32>,
    /// The next node on a shortest control path toward the searched entity.
    toward: Vec<u32>,
    generation: u32,
    /// The searched entity first, then its controllers in breadth-first order.
    members: Vec<u32>,
}

impl Controls {
    pub(super) fn new(nodes: usize) -> Self {
        Controls { stamp: vec![0; nodes], toward: vec![0; nodes], generation: 0, members: Vec::new() }
    }

    /// Finds every `c ≠ v` with a path of control edges `c → … → v` (cycles through `v` included:
    /// `v` is never its own controller).
    pub(super) fn search(&mut self, eq: &Equity, control: &ControlSteps, threshold: f64, v: u32) {
        if self.generation == u32::MAX {
            self.stamp.fill(0);
            self.generation = 0;
        }
        self.generation += 1;
        self.members.clear();
        self.members.push(v);
        self.stamp[v as usize] = self.generation;
        self.toward[v as usize] = v;
        let mut next = 0;
        while next < self.members.len() {
            let u = self.members[next];
            next += 1;
            for k in eq.incoming(u) {
                let owner = eq.from[k];
                if at_least(eq.share[k], threshold) && self.stamp[owner as usize] != self.generation {
                    self.stamp[owner as usize] = self.generation;
                    self.toward[owner as usize] = u;
                    self.members.push(owner);
                }
            }
            // v1.3: a control step is a step of a control path whatever the shares.
            for &c in control.controllers_of(u) {
                if self.stamp[c as usize] != self.generation {
                    self.stamp[c as usize] = self.generation;
                    self.toward[c as usize] = u;
                    self.members.push(c);
                }
            }
        }
    }

    /// `{v} ∪ controllers(v)` of the last search, `v` first.
    pub(super) fn members(&self) -> &[u32] {
        &self.members
    }

    /// The controllers of the last search.
    pub(super) fn controllers(&self) -> &[u32] {
        &self.members[1..]
    }

    pub(super) fn contains(&self, node: u32) -> bool {
        self.stamp[node as usize] == self.generation
    }

    /// A shortest control path from controller `c` to the searched entity, both included.
    pub(super) fn path(&self, c: u32) -> Vec<u32> {
        let mut path = vec![c];
        let mut at = c;
        while self.toward[at as usize] != at {
            at = self.toward[at as usize];
            path.push(at);
        }
        path
    }
}

/// One tie row in force, by nodes; `row` indexes `Facts::edges`.
#[derive(Debug, Clone, Copy)]
pub(super) struct TieEnds {
    pub(super) row: u32,
    pub(super) ends: [u32; 2],
}

impl TieEnds {
    /// The end that is not `node` (`node` itself for a self-tie).
    pub(super) fn other(&self, node: u32) -> u32 {
        if self.ends[0] == node { self.ends[1] } else { self.ends[0] }
    }
}

/// Undirected tie adjacency: each tie is listed once under each of its (distinct) ends.
#[derive(Debug, Default)]
pub(super) struct Ties {
    edges: Vec<TieEnds>,
    start: Vec<u32>,
    incident: Vec<u32>,
}

impl Ties {
    pub(super) fn new(nodes: usize, edges: Vec<TieEnds>) -> Self {
        let mut start = vec![0u32; nodes + 1];
        let ends = |t: &TieEnds| {
            let [a, b] = t.ends;
            if a == b { [Some(a), None] } else { [Some(a), Some(b)] }
        };
        for t in &edges {
            for end in ends(t).into_iter().flatten() {
                start[end as usize + 1] += 1;
            }
        }
        for v in 0..nodes {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut incident = vec![0u32; start[nodes] as usize];
        for (i, t) in edges.iter().enumerate() {
            for end in ends(t).into_iter().flatten() {
                incident[fill[end as usize] as usize] = i as u32;
                fill[end as usize] += 1;
            }
        }
        Ties { edges, start, incident }
    }

    /// The ties with `node` as one end.
    pub(super) fn of(&self, node: u32) -> impl Iterator<Item = &TieEnds> {
        let range = self.start[node as usize] as usize..self.start[node as usize + 1] as usize;
        self.incident[range].iter().map(|&i| &self.edges[i as usize])
    }
}

/// Sweeps a cyclic component may take in the fallback (see [`Cycles::settle`]); the exact solve makes
/// it a backstop that certified components never reach.
const SWEEP_LIMIT: usize = 200_000;
/// Sweeps before the exact solve takes over from a component that has not settled. A cycle of product
/// ≤ 0.99 settles in a few thousand; anything that stalls earlier is handed over at once.
const GS_LIMIT: usize = 50_000;
/// Stall detection: after `2 · STALL_WINDOW` sweeps, a sweep whose change is not below `STALL_RATIO`
/// times the change `STALL_WINDOW` sweeps earlier is not converging geometrically (a cycle of product
/// ≥ 1 grows, or one very close to 1 crawls). Over 64 sweeps a product of 0.99 shrinks the change by
/// far more than 0.1 %, so v1.2's cycles never stall.
const STALL_WINDOW: usize = 64;
const STALL_RATIO: f64 = 0.999;
/// A sweep moving no value by more than about one unit in the last place has reached the floating-point
/// fixpoint; the error to the exact one is then ≤ ulp/(1 − contraction), ~1e-14 at a product of 0.99.
const ULP_DELTA: f64 = 2.5e-16;
/// Below this, a sweep that fails to improve on the smallest change seen is rounding noise.
const NOISE_ZONE: f64 = 1e-14;
const NOISE_SWEEPS: u32 = 8;
/// A component whose nodes each hold at most this much of themselves from inside needs no exact solve
/// once its sweeps settle (see [`Cycles::contracts`]).
const CONTRACTION: f64 = 0.99;
/// Strategy rounds of the exact solve (each one strictly improves; a handful is the norm).
const MAX_ROUNDS: usize = 64;
/// A node keeps its current term (or, choosing afresh, takes its constant) when that term is within
/// this of the best one: rounding in a 100 % ↔ 100 % cycle must not pick the share sum over an equal
/// constant.
const TIE: f64 = 1e-15;
/// The certificate: a point is a fixpoint when no node's right-hand side differs from it by more.
const FIX_TOL: f64 = 1e-13;
/// A strategy block of spectral radius ≥ 1 (a cycle of product 1 or more) grows when one application
/// of its equations raises some value by more than this; otherwise it is held where it is.
const GROWTH: f64 = 1e-13;
/// Sweeps that settled (the v1.2 rules) and that the exact solve confirms to within this keep their
/// own bits: no v1.2 number moves.
const KEEP: f64 = 1e-12;
/// No node / no local index.
const NONE: u32 = u32::MAX;
/// Not yet visited by [`Tarjan`].
const UNSEEN: u32 = u32::MAX;
/// A failed pivot below this shows a spectral radius clearly above 1, not a rounded 1.
const CLEARLY_ABOVE_ONE: f64 = -1e-9;

/// Gauss–Seidel sweeps over one cyclic component, its owners outside already final: each node takes its
/// right-hand side on the current values. The members are in DFS discovery order, which follows
/// ownership, so one sweep carries a value round a simple cycle. Starting below the least fixpoint, every
/// sweep stays below it (the operator is monotone) and never lowers a value.
///
/// Returns whether the sweeps settled by v1.2's rules, rather than stalling (`stall`) or running out of
/// `limit`.
fn sweep(eq: &Equity, control: &ControlSteps, concern: &[f64], exposure: &mut [f64], members: &[u32], limit: usize, stall: bool) -> bool {
    let mut smallest = f64::INFINITY;
    let mut noisy = 0;
    let mut window = [0.0f64; STALL_WINDOW];
    for n in 0..limit {
        let mut delta = 0.0f64;
        for &v in members {
            let value = operator(eq, control, concern, exposure, v);
            delta = delta.max((value - exposure[v as usize]).abs());
            exposure[v as usize] = value;
        }
        if delta <= ULP_DELTA {
            return true;
        }
        if delta < smallest {
            smallest = delta;
            noisy = 0;
        } else if delta <= NOISE_ZONE {
            noisy += 1;
            if noisy >= NOISE_SWEEPS {
                return true;
            }
        }
        if stall {
            let earlier = &mut window[n % STALL_WINDOW];
            if n >= 2 * STALL_WINDOW && delta >= STALL_RATIO * *earlier {
                return false;
            }
            *earlier = delta;
        }
    }
    false
}

/// The exact solve of cyclic components. Scratch reused across them: the local index of each node of
/// the component being set up.
struct Cycles {
    slot: Vec<u32>,
}

impl Cycles {
    fn new(nodes: usize) -> Self {
        Cycles { slot: vec![NONE; nodes] }
    }

    /// Settles one cyclic component `S`, everything outside it already final.
    ///
    /// 1. Gauss–Seidel sweeps from `E = a` (v1.2's loop; they stop when settled or stalled). If they
    ///    settled on a component that contracts ([`Cycles::contracts`], every v1.2 cycle), that is all.
    /// 2. [`Local::solve`]: strategy iteration from that point, each round solving one linear choice of
    ///    terms exactly and moving up to its solution, until a point is certified a fixpoint.
    /// 3. When the sweeps had settled and the certified point is within [`KEEP`] of theirs, their bits
    ///    stay (v1.2's numbers are unchanged); otherwise the certified point is the answer.
    ///
    /// Every point visited lies below the least fixpoint `x*` (see [`Local`] for the argument), so a
    /// certified fixpoint is `x*` itself: a fixpoint below the least one is the least one. Should the
    /// certificate ever fail (it needs a numerically singular system that is neither growing nor
    /// holding, or more than [`MAX_ROUNDS`] rounds), the sweeps go on from the point reached, which is
    /// still a valid lower bound, up to [`SWEEP_LIMIT`].
    fn settle(&mut self, eq: &Equity, control: &ControlSteps, concern: &[f64], exposure: &mut [f64], members: &[u32]) {
        let settled = sweep(eq, control, concern, exposure, members, GS_LIMIT, true);
        if settled && self.contracts(eq, control, members) {
            return;
        }
        let swept: Vec<f64> = members.iter().map(|&v| exposure[v as usize]).collect();
        let local = Local::new(eq, control, concern, exposure, members, &mut self.slot);
        let mut x = swept.clone();
        let certified = local.solve(&mut x);
        let keep = settled && certified && x.iter().zip(&swept).all(|(a, b)| (a - b).abs() <= KEEP);
        if !keep {
            for (&v, &value) in members.iter().zip(&x) {
                exposure[v as usize] = value;
            }
        }
        if !certified {
            sweep(eq, control, concern, exposure, members, SWEEP_LIMIT, false);
        }
    }
}

impl Cycles {
    /// Whether the component's equations contract by at least [`CONTRACTION`] in the max-norm: no
    /// control step inside, and each node's shares held from inside sum to at most that (v1.2's cycles).
    /// Then the fixpoint is unique and sweeps that settled (last change ≤ 1e-14) are within
    /// `q/(1 − q) · 1e-14 ≤ 1e-12` of it: nothing to certify.
    fn contracts(&mut self, eq: &Equity, control: &ControlSteps, members: &[u32]) -> bool {
        for &v in members {
            self.slot[v as usize] = 0;
        }
        let inside = |slot: &[u32], v: u32| slot[v as usize] != NONE;
        let contracts = members.iter().all(|&v| {
            let held: f64 = eq.incoming(v).filter(|&k| inside(&self.slot, eq.from[k])).map(|k| eq.share[k].abs()).sum();
            held <= CONTRACTION && !control.controllers_of(v).iter().any(|&c| inside(&self.slot, c))
        });
        for &v in members {
            self.slot[v as usize] = NONE;
        }
        contracts
    }
}

/// Which term of its equation a node follows in a strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Term {
    /// Already at the cap: 1 is its value (the node has reached 1 from below, so the least fixpoint is 1).
    Cap,
    /// `c(e) = max(a(e), E(c) of controllers outside S)`.
    Constant,
    /// The share sum: `Σ_{o outside} share·E(o) + Σ_{o in S} share·x(o)`.
    Sum,
    /// `x(p)` of one controller `p` inside `S` (local index).
    Control(u32),
}

/// One cyclic component `S` with its outside final, in local indices `0..|S|`:
/// `x(e) = min(1, max(c(e), d(e) + Σ_{o∈S} s(o,e)·x(o), max_{p∈S, p⇒e} x(p)))` with `c(e) = max(a(e),
/// E of controllers outside)` and `d(e) = Σ share·E(o)` over owners outside. Call this operator `F`
/// and its least fixpoint `x*`.
///
/// **The method** (strategy iteration from below). A *strategy* `σ` picks one term per node: the
/// constant, the share sum, one inside controller, or — for a node already at 1 — the cap. Its operator
/// `G_σ(y) = min(1, L_σ(y))` (each node its chosen term, `L_σ` affine with nonnegative coefficients)
/// satisfies `G_σ(x*) ≤ F(x*) = x*`: every term is at most the maximum, and a capped node has
/// `x*(e) = 1` because it got there from below. From a point `x ≤ x*` with `x ≤ F(x)` (the sweeps give
/// one), a round takes `σ` attaining the maximum at `x` (so `G_σ(x) = F(x) ≥ x`) and moves to the limit
/// of `G_σ`'s iteration from `x`, computed exactly block by block over the strongly connected components
/// of `σ`'s dependencies (dependencies first), each block `K` a system `y = min(1, B y + r)` with
/// `B ≥ 0` irreducible, `r ≥ 0` (see [`block_fixpoint`]):
/// - `ρ(B) < 1` (elimination of `I − B`, a Z-matrix, meets only positive pivots: a nonsingular
///   M-matrix): `min(1, B y + r)` is a contraction in a weighted max-norm, its fixpoint is unique, and
///   iterating it from `x*` (a post-fixpoint, since the block's inputs are ≤ x*) stays below `x*`. So
///   the unique fixpoint is ≤ `x*`. It is the linear solution when that is ≤ 1, else the greatest
///   fixpoint found by capping from above ([`greatest`]).
/// - `ρ(B) ≥ 1` and one application changes nothing (beyond [`GROWTH`]): a 100 % ↔ 100 % or control
///   cycle with nothing flowing in. The iteration from `x` stays at `x`; it is kept.
/// - `ρ(B) ≥ 1` and growing: the limit `y` of the iteration from `x` has a node at 1 (without one,
///   `y = B y + r` with the left Perron vector `u > 0` gives `(1 − ρ) uᵀy = uᵀr ≥ 0`, forcing `y = 0`
///   for `ρ > 1`, and `r = 0` and `x` a fixpoint for `ρ = 1`). Every other node is reached from the
///   capped ones, so the rest of the block gets a positive input and each of its sub-blocks has spectral
///   radius < 1; then any fixpoint `y' ≥ y` has `y' − y ≤ B_UU (y' − y)`, so `y' = y`: the limit is the
///   *greatest* fixpoint, and [`greatest`] computes it (each system it solves has spectral radius < 1).
///   It is ≤ `x*` because it is the least fixpoint of the block above `x` and `x*` is a post-fixpoint
///   above `x`.
///
/// So each round ends at a point `y` with `x ≤ y ≤ x*` and `y = G_σ(y) ≤ F(y)`. If `F(y) = y` (within
/// [`FIX_TOL`]), `y` is a fixpoint below the least one: `y = x*`. Otherwise the next round switches the
/// nodes whose term is beaten (strategy improvement: the new round starts at least one Jacobi step
/// above `y`); a round that would change no term ends the attempt, and [`MAX_ROUNDS`] bounds the rest
/// (one or two rounds are the norm). No step ever guesses a cap: a node is capped only when it already
/// stands at 1 or when a block's greatest fixpoint puts it there, which is where the iteration from
/// below goes. Tolerances ([`TIE`], [`GROWTH`], [`FIX_TOL`]) only decide between cases at the level of
/// rounding; a value below 1e-13 feeding a cycle of product exactly 1, or a product within about 1e-16
/// of 1, is where floating point cannot tell growing from holding.
struct Local {
    constant: Vec<f64>,
    outside: Vec<f64>,
    /// Inside owners of e with a nonzero share: `owner[owner_start[e]..owner_start[e + 1]]`, shares alike.
    owner_start: Vec<u32>,
    owner: Vec<u32>,
    share: Vec<f64>,
    /// Inside controllers of e: `controller[controller_start[e]..controller_start[e + 1]]`.
    controller_start: Vec<u32>,
    controller: Vec<u32>,
}

impl Local {
    /// `slot` must be `NONE` everywhere; it is left so.
    fn new(eq: &Equity, control: &ControlSteps, concern: &[f64], exposure: &[f64], members: &[u32], slot: &mut [u32]) -> Self {
        for (i, &v) in members.iter().enumerate() {
            slot[v as usize] = i as u32;
        }
        let k = members.len();
        let mut local = Local {
            constant: Vec::with_capacity(k),
            outside: Vec::with_capacity(k),
            owner_start: Vec::with_capacity(k + 1),
            owner: Vec::new(),
            share: Vec::new(),
            controller_start: Vec::with_capacity(k + 1),
            controller: Vec::new(),
        };
        local.owner_start.push(0);
        local.controller_start.push(0);
        for &v in members {
            let mut outside = 0.0;
            for k in eq.incoming(v) {
                let (o, share) = (eq.from[k], eq.share[k]);
                match slot[o as usize] {
                    NONE => outside += share * exposure[o as usize],
                    _ if share == 0.0 => {}
                    i => {
                        local.owner.push(i);
                        local.share.push(share);
                    }
                }
            }
            let mut constant = concern[v as usize];
            for &c in control.controllers_of(v) {
                match slot[c as usize] {
                    NONE => constant = constant.max(exposure[c as usize]),
                    i => local.controller.push(i),
                }
            }
            local.constant.push(constant);
            local.outside.push(outside);
            local.owner_start.push(local.owner.len() as u32);
            local.controller_start.push(local.controller.len() as u32);
        }
        for &v in members {
            slot[v as usize] = NONE;
        }
        local
    }

    fn len(&self) -> usize {
        self.constant.len()
    }

    fn owners(&self, e: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let range = self.owner_start[e] as usize..self.owner_start[e + 1] as usize;
        self.owner[range.clone()].iter().copied().zip(self.share[range].iter().copied())
    }

    fn controllers(&self, e: usize) -> &[u32] {
        &self.controller[self.controller_start[e] as usize..self.controller_start[e + 1] as usize]
    }

    fn sum(&self, x: &[f64], e: usize) -> f64 {
        let mut sum = self.outside[e];
        for (o, share) in self.owners(e) {
            sum += share * x[o as usize];
        }
        sum
    }

    /// The inside controller with the largest value (the first of equals).
    fn strongest(&self, x: &[f64], e: usize) -> Option<(u32, f64)> {
        let mut best: Option<(u32, f64)> = None;
        for &p in self.controllers(e) {
            if best.is_none_or(|(_, value)| x[p as usize] > value) {
                best = Some((p, x[p as usize]));
            }
        }
        best
    }

    /// `F(x)(e)`.
    fn operator(&self, x: &[f64], e: usize) -> f64 {
        let control = self.strongest(x, e).map_or(0.0, |(_, value)| value);
        self.constant[e].max(self.sum(x, e)).max(control).min(1.0)
    }

    fn term(&self, x: &[f64], e: usize, term: Term) -> f64 {
        match term {
            Term::Cap => 1.0,
            Term::Constant => self.constant[e],
            Term::Sum => self.sum(x, e),
            Term::Control(p) => x[p as usize],
        }
    }

    /// The term node `e` follows at `x`: the cap once at 1; else `previous` while it is still (within
    /// [`TIE`]) the best; else the best, ties going to the constant (within `TIE`), then the sum, then a
    /// controller.
    fn choose(&self, x: &[f64], e: usize, previous: Option<Term>) -> Term {
        if x[e] >= 1.0 {
            return Term::Cap;
        }
        let constant = self.constant[e];
        let sum = self.sum(x, e);
        let control = self.strongest(x, e);
        let best = constant.max(sum).max(control.map_or(f64::NEG_INFINITY, |(_, value)| value));
        if let Some(term) = previous
            && self.term(x, e, term) >= best - TIE
        {
            return term;
        }
        match control {
            _ if constant >= best - TIE => Term::Constant,
            Some((p, value)) if value > sum => Term::Control(p),
            _ => Term::Sum,
        }
    }

    /// The rows of `L_σ` over the whole component (a capped or constant node has none).
    fn rows(&self, choice: &[Term]) -> Vec<Vec<(u32, f64)>> {
        let rows = choice.iter().enumerate().map(|(e, term)| match *term {
            Term::Sum => self.owners(e).collect(),
            Term::Control(p) => vec![(p, 1.0)],
            Term::Cap | Term::Constant => Vec::new(),
        });
        rows.collect()
    }

    /// The constant parts of `L_σ` over the whole component.
    fn rhs(&self, choice: &[Term]) -> Vec<f64> {
        let rhs = choice.iter().enumerate().map(|(e, term)| match term {
            Term::Cap => 1.0,
            Term::Constant => self.constant[e],
            Term::Sum => self.outside[e],
            Term::Control(_) => 0.0,
        });
        rhs.collect()
    }

    /// Strategy iteration from `x` (a point of the sweeps: `x ≤ x*`, `x ≤ F(x)`), leaving in `x` the
    /// point reached. Returns whether it is certified a fixpoint (then it is `x*`).
    fn solve(&self, x: &mut [f64]) -> bool {
        let k = self.len();
        let mut choice: Vec<Term> = (0..k).map(|e| self.choose(x, e, None)).collect();
        for _ in 0..MAX_ROUNDS {
            let Some(y) = self.evaluate(&choice, x) else {
                return false;
            };
            // y ≥ x in exact arithmetic; the max only absorbs rounding (both are below x*).
            for (xe, ye) in x.iter_mut().zip(y) {
                *xe = xe.max(ye);
            }
            let mut fixed = true;
            for (e, &xe) in x.iter().enumerate() {
                let f = self.operator(x, e);
                if f < xe - FIX_TOL {
                    return false; // above its own image: only numerical trouble gets here
                }
                fixed &= f <= xe + FIX_TOL;
            }
            if fixed {
                return true;
            }
            let mut changed = false;
            for (e, term) in choice.iter_mut().enumerate() {
                let next = self.choose(x, e, Some(*term));
                changed |= next != *term;
                *term = next;
            }
            if !changed {
                return false;
            }
        }
        false
    }

    /// The limit of `G_σ`'s iteration from `x`, block by block (see [`Local`]). `None` when a block's
    /// system cannot be solved (numerically singular where it should not be).
    fn evaluate(&self, choice: &[Term], x: &[f64]) -> Option<Vec<f64>> {
        // The common case in one elimination: when the whole strategy system has radius < 1, so has
        // every block, each block's fixpoint is unique, and a solution ≤ 1 of the whole system is the
        // fixpoint of `G_σ` that the blocks would give one by one.
        if let Ok(z) = solve_linear(self.rows(choice), self.rhs(choice))
            && z.iter().all(|&v| v <= 1.0)
        {
            return Some(z.into_iter().map(|v| v.max(0.0)).collect());
        }
        let k = self.len();
        let graph = Dependencies { local: self, choice };
        let blocks = Components::of_graph(&graph, k);
        let mut y = vec![0.0; k];
        let mut at = vec![NONE; k];
        for block in blocks.dependencies_first() {
            if let &[e] = block
                && !graph.depends_on_itself(e)
            {
                let e = e as usize;
                y[e] = match choice[e] {
                    Term::Cap => 1.0,
                    Term::Constant => self.constant[e],
                    Term::Sum => self.sum(&y, e).min(1.0),
                    Term::Control(p) => y[p as usize],
                };
                continue;
            }
            for (i, &e) in block.iter().enumerate() {
                at[e as usize] = i as u32;
            }
            let mut rows = Vec::with_capacity(block.len());
            let mut rhs = Vec::with_capacity(block.len());
            for &e in block {
                let e = e as usize;
                let mut row = Vec::new();
                let mut b = 0.0;
                match choice[e] {
                    Term::Sum => {
                        b = self.outside[e];
                        for (o, share) in self.owners(e) {
                            match at[o as usize] {
                                NONE => b += share * y[o as usize],
                                i => row.push((i, share)),
                            }
                        }
                    }
                    Term::Control(p) => match at[p as usize] {
                        NONE => b = y[p as usize],
                        i => row.push((i, 1.0)),
                    },
                    // Neither has a dependency, so neither is ever in a block of two or more.
                    Term::Cap => b = 1.0,
                    Term::Constant => b = self.constant[e],
                }
                rows.push(row);
                rhs.push(b);
            }
            let start: Vec<f64> = block.iter().map(|&e| x[e as usize]).collect();
            let values = block_fixpoint(&rows, &rhs, &start)?;
            for (&e, value) in block.iter().zip(values) {
                y[e as usize] = value;
                at[e as usize] = NONE;
            }
        }
        Some(y)
    }
}

/// The dependencies of a strategy: a node following the sum depends on its inside owners, one
/// following a controller on that controller.
struct Dependencies<'l> {
    local: &'l Local,
    choice: &'l [Term],
}

impl Dependencies<'_> {
    fn depends_on_itself(&self, e: u32) -> bool {
        (0..).map_while(|i| self.successor(e, i)).any(|d| d == e)
    }
}

impl Successors for Dependencies<'_> {
    fn successor(&self, e: u32, i: u32) -> Option<u32> {
        match self.choice[e as usize] {
            Term::Sum => {
                let start = self.local.owner_start[e as usize] + i;
                (start < self.local.owner_start[e as usize + 1]).then(|| self.local.owner[start as usize])
            }
            Term::Control(p) => (i == 0).then_some(p),
            Term::Cap | Term::Constant => None,
        }
    }
}

/// `r + Σ_j w_j·y_j` of one row.
fn affine(row: &[(u32, f64)], r: f64, y: &[f64]) -> f64 {
    let mut value = r;
    for &(j, w) in row {
        value += w * y[j as usize];
    }
    value
}

/// The limit, from `start` (a pre-fixpoint), of iterating `y = min(1, B y + r)` on one irreducible
/// block (`rows` are B's rows, `B ≥ 0`, `r ≥ 0`); the three cases and why each is exact are in
/// [`Local`]'s documentation. `None` when a system that must be regular is numerically singular.
fn block_fixpoint(rows: &[Vec<(u32, f64)>], rhs: &[f64], start: &[f64]) -> Option<Vec<f64>> {
    match solve_linear(rows.to_vec(), rhs.to_vec()) {
        // ρ(B) < 1 and nothing above the cap: the unique fixpoint.
        Ok(z) if z.iter().all(|&v| v <= 1.0) => Some(z.into_iter().map(|v| v.max(0.0)).collect()),
        // ρ(B) < 1, some value above the cap: still the unique fixpoint, found from above.
        Ok(_) => greatest(rows, rhs),
        // ρ(B) ≥ 1: held where it is, or growing into the cap. Clearly above 1, only 0 fed by nothing
        // holds (a fixpoint below the cap would need `(1 − ρ) uᵀy = uᵀr ≥ 0`); about 1, holding is
        // one application changing nothing.
        Err(pivot) => {
            let holds = if pivot < CLEARLY_ABOVE_ONE {
                start.iter().chain(rhs).all(|&v| v == 0.0)
            } else {
                let growth = rows.iter().zip(rhs).zip(start).map(|((row, &r), &s)| affine(row, r, start).min(1.0) - s).fold(0.0, f64::max);
                growth <= GROWTH
            };
            if holds { Some(start.to_vec()) } else { greatest(rows, rhs) }
        }
    }
}

/// The greatest fixpoint of `y = min(1, B y + r)` on one block, by policy iteration from above: start
/// at 1 with every node capped; release each capped node whose affine value is below 1; solve the
/// released nodes' linear system with the capped ones at 1; repeat until nothing more is released. The
/// values only decrease and never pass the greatest fixpoint (each linear operator is ≥ the capped
/// one), so once a node is released it stays released: at most `|K| + 1` solves. Each system solved has
/// spectral radius < 1 where this is called (see [`Local`]); `None` if one turns out numerically
/// singular.
fn greatest(rows: &[Vec<(u32, f64)>], rhs: &[f64]) -> Option<Vec<f64>> {
    let m = rows.len();
    let mut y = vec![1.0; m];
    let mut capped = vec![true; m];
    let mut sub = vec![NONE; m];
    for _ in 0..=m {
        let mut released = false;
        for ((capped, row), &r) in capped.iter_mut().zip(rows).zip(rhs) {
            if *capped && affine(row, r, &y) < 1.0 {
                *capped = false;
                released = true;
            }
        }
        if !released {
            return Some(y);
        }
        let free: Vec<usize> = (0..m).filter(|&i| !capped[i]).collect();
        for (j, &i) in free.iter().enumerate() {
            sub[i] = j as u32;
        }
        let mut sub_rows = Vec::with_capacity(free.len());
        let mut sub_rhs = Vec::with_capacity(free.len());
        for &i in &free {
            let mut b = rhs[i];
            let mut row = Vec::with_capacity(rows[i].len());
            for &(j, w) in &rows[i] {
                match sub[j as usize] {
                    NONE => b += w,
                    s => row.push((s, w)),
                }
            }
            sub_rows.push(row);
            sub_rhs.push(b);
        }
        let z = solve_linear(sub_rows, sub_rhs).ok()?;
        for (&i, value) in free.iter().zip(z) {
            y[i] = value.clamp(0.0, 1.0);
            sub[i] = NONE;
        }
    }
    None
}

/// Solves `z = W z + b` (`W ≥ 0`, one sparse row of `(column, weight)` per unknown, no repeated column)
/// by Gaussian elimination in index order, without pivoting. `I − W` is a Z-matrix: it is a nonsingular
/// M-matrix — equivalently `ρ(W) < 1` — exactly when every pivot `1 − w_pp` met is positive, and then
/// every pivot row stays nonnegative, the elimination is stable in any order, and `z ≥ 0`. Fails with
/// the first pivot ≤ 0 met: some leading principal block, hence `W`, has radius ≥ 1 (> 1 when the pivot
/// is clearly negative). Eliminating unknown p substitutes it into the rows still to come that use it,
/// so a ring of 50,000 costs a ring's worth of work, not a dense matrix's.
fn solve_linear(mut rows: Vec<Vec<(u32, f64)>>, mut b: Vec<f64>) -> Result<Vec<f64>, f64> {
    let m = rows.len();
    let mut users: Vec<Vec<u32>> = vec![Vec::new(); m];
    for (i, row) in rows.iter().enumerate() {
        for &(j, _) in row {
            users[j as usize].push(i as u32);
        }
    }
    let mut pos = vec![NONE; m];
    for p in 0..m {
        let mut pivot_row = std::mem::take(&mut rows[p]);
        let mut diagonal = 0.0;
        pivot_row.retain(|&(j, w)| {
            let on_diagonal = j as usize == p;
            if on_diagonal {
                diagonal += w;
            }
            !on_diagonal
        });
        let pivot = 1.0 - diagonal;
        if pivot <= 0.0 || pivot.is_nan() {
            return Err(pivot);
        }
        for entry in &mut pivot_row {
            entry.1 /= pivot;
        }
        b[p] /= pivot;
        let bp = b[p];
        for i in std::mem::take(&mut users[p]) {
            let i = i as usize;
            if i <= p {
                continue;
            }
            let row = &mut rows[i];
            let Some(at) = row.iter().position(|&(j, _)| j as usize == p) else {
                continue;
            };
            let weight = row.swap_remove(at).1;
            for (at, &(j, _)) in row.iter().enumerate() {
                pos[j as usize] = at as u32;
            }
            for &(j, w) in &pivot_row {
                match pos[j as usize] {
                    NONE => {
                        row.push((j, weight * w));
                        users[j as usize].push(i as u32);
                    }
                    at => row[at as usize].1 += weight * w,
                }
            }
            for &(j, _) in row.iter() {
                pos[j as usize] = NONE;
            }
            b[i] += weight * bp;
        }
        rows[p] = pivot_row;
    }
    let mut z = vec![0.0; m];
    for p in (0..m).rev() {
        z[p] = affine(&rows[p], b[p], &z);
    }
    Ok(z)
}

/// A directed graph for [`Tarjan`]: the `i`-th successor of a node, `None` past the last.
trait Successors {
    fn successor(&self, v: u32, i: u32) -> Option<u32>;
}

/// Equity edges (owner → owned) followed by control steps (controller → controlled).
struct Combined<'g> {
    eq: &'g Equity,
    control: &'g ControlSteps,
}

impl Successors for Combined<'_> {
    fn successor(&self, v: u32, i: u32) -> Option<u32> {
        let out = self.eq.outgoing(v);
        match out.get(i as usize) {
            Some(&k) => Some(self.eq.to[k as usize]),
            None => self.control.controlled_by(v).get(i as usize - out.len()).copied(),
        }
    }
}

/// Strongly connected components (Tarjan, iterative: ownership chains can be tens of thousands deep,
/// deeper than the call stack allows).
struct Components {
    /// Members of component i: `nodes[bounds[i]..bounds[i + 1]]`, each in DFS discovery order.
    nodes: Vec<u32>,
    bounds: Vec<u32>,
}

impl Components {
    /// Of the graph of equity edges and control steps.
    fn of(eq: &Equity, control: &ControlSteps) -> Self {
        Self::of_graph(&Combined { eq, control }, eq.nodes())
    }

    fn of_graph<S: Successors>(graph: &S, n: usize) -> Self {
        let mut t = Tarjan {
            graph,
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            frames: Vec::new(),
            counter: 0,
        };
        let mut out = Components { nodes: Vec::with_capacity(n), bounds: vec![0] };
        for root in 0..n as u32 {
            if t.index[root as usize] == UNSEEN {
                t.visit(root);
                t.run(&mut out);
            }
        }
        out
    }

    /// Tarjan emits a component after every component it reaches: for edges owner → owned, reversed,
    /// owners come first.
    fn owners_first(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.windows(2).rev().map(|w| &self.nodes[w[0] as usize..w[1] as usize])
    }

    /// In emission order: for edges node → dependency, dependencies come first.
    fn dependencies_first(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.windows(2).map(|w| &self.nodes[w[0] as usize..w[1] as usize])
    }
}

/// State of one iterative Tarjan run.
struct Tarjan<'g, S> {
    graph: &'g S,
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// Explicit call stack: (node, index of its next successor to look at).
    frames: Vec<(u32, u32)>,
    counter: u32,
}

impl<S: Successors> Tarjan<'_, S> {
    fn visit(&mut self, v: u32) {
        self.index[v as usize] = self.counter;
        self.low[v as usize] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.frames.push((v, 0));
    }

    /// Runs the search from the frame pushed by `visit` until the call stack is empty.
    fn run(&mut self, out: &mut Components) {
        while let Some(&(v, next)) = self.frames.last() {
            let vi = v as usize;
            if let Some(w) = self.graph.successor(v, next) {
                self.frames.last_mut().expect("a frame is open").1 += 1;
                if self.index[w as usize] == UNSEEN {
                    self.visit(w);
                } else if self.on_stack[w as usize] {
                    self.low[vi] = self.low[vi].min(self.index[w as usize]);
                }
                continue;
            }
            self.frames.pop();
            if let Some(&(parent, _)) = self.frames.last() {
                self.low[parent as usize] = self.low[parent as usize].min(self.low[vi]);
            }
            if self.low[vi] == self.index[vi] {
                let start = out.nodes.len();
                loop {
                    let w = self.stack.pop().expect("v is on the stack");
                    self.on_stack[w as usize] = false;
                    out.nodes.push(w);
                    if w == v {
                        break;
                    }
                }
                out.nodes[start..].reverse();
                out.bounds.push(out.nodes.len() as u32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn graph(nodes: usize, edges: &[(u32, u32, f64)]) -> Equity {
        let rows = edges.iter().enumerate().map(|(i, &(from, to, share))| EquityRow { to, from, share, row: i as u32 }).collect();
        Equity::new(nodes, rows)
    }

    fn none() -> ControlSteps {
        ControlSteps::default()
    }

    /// Plain Jacobi from `a`, run far past convergence: the reference the fast solver must match.
    fn reference(eq: &Equity, a: &[f64]) -> Vec<f64> {
        let mut e = a.to_vec();
        for _ in 0..20_000 {
            let next: Vec<f64> = (0..a.len() as u32).map(|v| eq.inflow(&e, v).max(a[v as usize]).min(1.0)).collect();
            e = next;
        }
        e
    }

    /// v1.2's solver, as it was: components owners-first, Gauss–Seidel sweeps on the cyclic ones up to
    /// 200,000 sweeps. Where it settled, the exact solver must return the same bits.
    fn v12(eq: &Equity, a: &[f64]) -> Vec<f64> {
        let mut e = a.to_vec();
        for members in Components::of(eq, &none()).owners_first() {
            if let &[v] = members
                && !eq.incoming(v).any(|k| eq.from[k] == v)
            {
                e[v as usize] = eq.inflow(&e, v).max(a[v as usize]).min(1.0);
                continue;
            }
            let (mut smallest, mut noisy) = (f64::INFINITY, 0);
            for _ in 0..200_000 {
                let mut delta = 0.0f64;
                for &v in members {
                    let value = eq.inflow(&e, v).max(a[v as usize]).min(1.0);
                    delta = delta.max((value - e[v as usize]).abs());
                    e[v as usize] = value;
                }
                if delta <= 2.5e-16 {
                    break;
                }
                if delta < smallest {
                    (smallest, noisy) = (delta, 0);
                } else if delta <= 1e-14 {
                    noisy += 1;
                    if noisy >= 8 {
                        break;
                    }
                }
            }
        }
        e
    }

    /// Jacobi sweeps from `a` with control steps, at most `sweeps` of them: the iterate, and whether it
    /// stopped moving (then it is the least fixpoint as far as floating point can tell). Every iterate
    /// lies below the least fixpoint.
    fn jacobi(eq: &Equity, control: &ControlSteps, a: &[f64], sweeps: usize) -> (Vec<f64>, bool) {
        let mut e = a.to_vec();
        let mut next = e.clone();
        for _ in 0..sweeps {
            for (v, slot) in next.iter_mut().enumerate() {
                *slot = operator(eq, control, a, &e, v as u32);
            }
            if next == e {
                return (e, true);
            }
            std::mem::swap(&mut e, &mut next);
        }
        (e, false)
    }

    fn assert_close(actual: &[f64], expected: &[f64], what: &str) {
        assert_eq!(actual.len(), expected.len());
        for (v, (x, y)) in actual.iter().zip(expected).enumerate() {
            assert!((x - y).abs() <= 1e-12, "{what}: E({v}) = {x}, expected {y} (all: {actual:?})");
        }
    }

    #[test]
    fn components_come_owners_first() {
        // 0 → 1 ⇄ 2 → 3
        let eq = graph(4, &[(0, 1, 0.5), (1, 2, 0.5), (2, 1, 0.5), (2, 3, 0.5)]);
        let order: Vec<Vec<u32>> = Components::of(&eq, &none()).owners_first().map(<[u32]>::to_vec).collect();
        assert_eq!(order.len(), 3, "{{0}}, {{1, 2}}, {{3}}: {order:?}");
        assert_eq!(order[0], [0], "the root owner is finished first");
        let mut cycle = order[1].clone();
        cycle.sort_unstable();
        assert_eq!(cycle, [1, 2], "the cross-holding is one component");
        assert_eq!(order[2], [3], "the leaf comes last");
    }

    #[test]
    fn control_steps_join_components_and_order_them() {
        // 0 ⇒ 1 → 2, and 2 ⇒ 1 closes a cycle of a step and an edge; 3 ⇒ 0 comes first.
        let eq = graph(4, &[(1, 2, 0.3)]);
        let control = ControlSteps::new(4, vec![(0, 1), (2, 1), (3, 0), (3, 0), (2, 2)]);
        assert_eq!(control.controllers_of(1), [0, 2], "ascending, each once");
        assert!(control.controllers_of(2).is_empty(), "a self-step is dropped");
        assert_eq!(control.controlled_by(3), [0], "a repeated step counts once");
        let order: Vec<Vec<u32>> = Components::of(&eq, &control).owners_first().map(<[u32]>::to_vec).collect();
        assert_eq!(order.len(), 3, "{{3}}, {{0}}, {{1, 2}}: {order:?}");
        assert_eq!(order[0], [3]);
        assert_eq!(order[1], [0]);
        let mut cycle = order[2].clone();
        cycle.sort_unstable();
        assert_eq!(cycle, [1, 2], "an equity edge and a control step close one cycle");
    }

    #[test]
    fn a_hundred_percent_cross_holding_takes_the_least_fixpoint() {
        // Any value in [0.3, 1] solves E0 = max(0.3, E1), E1 = E0; the least one is 0.3.
        let eq = graph(2, &[(0, 1, 1.0), (1, 0, 1.0)]);
        let e = exposure(&eq, &none(), &[0.3, 0.0]);
        assert_eq!(e, [0.3, 0.3], "a cycle must not inflate exposure beyond what flows into it");
    }

    #[test]
    fn a_fifty_thousand_deep_chain_needs_no_deep_recursion() {
        let n = 50_000u32;
        let edges: Vec<(u32, u32, f64)> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        let mut a = vec![0.0; n as usize];
        a[0] = 1.0;
        let e = exposure(&graph(n as usize, &edges), &none(), &a);
        assert_eq!(e[n as usize - 1], 1.0, "a 100% chain carries full exposure to its end");
    }

    #[test]
    fn a_growth_cycle_reaches_the_cap() {
        // A vendor (0) held 50.00005 % by each of two holders (1, 2) that it owns 100 % each: shares
        // into it sum to 1 + 1e-6 (the import's tolerance), a cycle of product 1.000001. Below the cap
        // E0 = 0.5000005 · (max(0.5, E0) + E0) has no solution, so the least fixpoint is 1 throughout;
        // sweeps capped at 200,000 stopped at 0.6107.
        let eq = graph(3, &[(1, 0, 0.5000005), (2, 0, 0.5000005), (0, 1, 1.0), (0, 2, 1.0)]);
        let e = exposure(&eq, &none(), &[0.0, 0.5, 0.0]);
        assert_eq!(e, [1.0, 1.0, 1.0]);
        assert_eq!(ownership(&eq, &none(), &e, 0), 1.0, "ownership of the vendor");
    }

    #[test]
    fn a_cycle_of_product_just_above_one_reaches_the_cap() {
        // E0 = max(0.5, 1.000001·E1), E1 = E0: from 0.5, Jacobi needs ~700,000 sweeps to reach 1.
        let eq = graph(2, &[(0, 1, 1.0), (1, 0, 0.5), (1, 0, 0.500001)]);
        let e = exposure(&eq, &none(), &[0.5, 0.0]);
        assert_eq!(e, [1.0, 1.0]);
    }

    #[test]
    fn a_fifty_thousand_ring_above_one_is_solved_without_a_dense_matrix() {
        // A ring of 100 % holdings closed by 100.0001 %: growth all round, to the cap.
        let n = 50_000u32;
        let mut edges: Vec<(u32, u32, f64)> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        edges.push((n - 1, 0, 1.000001));
        let mut a = vec![0.0; n as usize];
        a[0] = 0.5;
        let e = exposure(&graph(n as usize, &edges), &none(), &a);
        assert!(e.iter().all(|&x| x == 1.0), "the whole ring reaches the cap: {:?}", &e[..4]);
    }

    #[test]
    fn a_slow_sub_unit_cycle_is_solved_exactly() {
        // E0 = 1e-8 + 0.999999·E1, E1 = E0: the fixpoint is 1e-8 / 1e-6 = 0.01, which 200,000 sweeps
        // only bring to 0.0018.
        let eq = graph(3, &[(2, 0, 1e-8), (1, 0, 0.999999), (0, 1, 1.0)]);
        let e = exposure(&eq, &none(), &[0.0, 0.0, 1.0]);
        assert!((e[0] - 0.01).abs() <= 1e-11 && (e[1] - 0.01).abs() <= 1e-11, "{e:?}");
    }

    #[test]
    fn only_the_node_that_must_saturate_does() {
        // x0 = min(1, 0.5·x1 + 0.75), x1 = min(1, 0.5·x0 + 0.45): the uncapped solution (1.3, 1.1) is
        // above 1 in both, but only x0 saturates: x1 = 0.5 + 0.45 = 0.95. Holders 2 and 3 (a = 1) feed
        // the constants.
        let eq = graph(4, &[(1, 0, 0.5), (0, 1, 0.5), (2, 0, 0.75), (3, 1, 0.45)]);
        let e = exposure(&eq, &none(), &[0.0, 0.0, 1.0, 1.0]);
        assert_close(&e, &[1.0, 0.95, 1.0, 1.0], "exposure");
        // The same block, straight to the exact solver (the sweeps above get there too).
        let rows = vec![vec![(1, 0.5)], vec![(0, 0.5)]];
        let rhs = [0.75, 0.45];
        let uncapped = solve_linear(rows.clone(), rhs.to_vec()).expect("ρ = 0.5");
        assert_close(&uncapped, &[1.3, 1.1], "the linear solution");
        assert_close(&block_fixpoint(&rows, &rhs, &[0.0, 0.0]).expect("regular"), &[1.0, 0.95], "the capped block");
    }

    #[test]
    fn a_block_growing_past_one_keeps_its_unsaturated_node() {
        // y0 = min(1, 2·y1), y1 = min(1, 0.6·y0 + 0.01): radius √1.2 > 1, growing from 0; the limit
        // caps y0 only: (1, 0.61).
        let rows = vec![vec![(1, 2.0)], vec![(0, 0.6)]];
        let rhs = [0.0, 0.01];
        assert!(solve_linear(rows.clone(), rhs.to_vec()).is_err(), "no regular solution above radius 1");
        assert_close(&block_fixpoint(&rows, &rhs, &[0.0, 0.0]).expect("growing"), &[1.0, 0.61], "the block");
        // With nothing in it and nothing flowing in, the block stays at 0.
        assert_eq!(block_fixpoint(&rows, &[0.0, 0.0], &[0.0, 0.0]), Some(vec![0.0, 0.0]));
    }

    #[test]
    fn a_block_of_radius_one_holds_or_grows() {
        // y0 = min(1, y1 + r0), y1 = min(1, y0): singular. Nothing flowing in, any equal pair is a
        // fixpoint and the iteration from (0.3, 0.3) stays there; 0.1 flowing in, it grows to the cap.
        let rows = vec![vec![(1, 1.0)], vec![(0, 1.0)]];
        assert_eq!(solve_linear(rows.clone(), vec![0.0, 0.0]), Err(0.0), "exactly singular");
        assert_eq!(block_fixpoint(&rows, &[0.0, 0.0], &[0.3, 0.3]), Some(vec![0.3, 0.3]), "holding");
        assert_eq!(block_fixpoint(&rows, &[0.1, 0.0], &[0.3, 0.3]), Some(vec![1.0, 1.0]), "growing");
    }

    #[test]
    fn a_cycle_of_product_a_hair_above_one_still_grows() {
        // Product 1 + 1e-10: the elimination meets a pivot of about −1e-10, too small to call the
        // radius clearly above 1, but the cycle visibly grows, so the least fixpoint is the cap.
        let eq = graph(2, &[(0, 1, 1.0), (1, 0, 0.5), (1, 0, 0.5000000001)]);
        let e = exposure(&eq, &none(), &[0.5, 0.0]);
        assert_eq!(e, [1.0, 1.0]);
    }

    #[test]
    fn a_constant_overtaken_by_a_growing_cycle_takes_a_second_round() {
        // A (0) ⇄ B (1) grows at 1.000001 a round; C (2) has a = 0.95, holds 1e-9 of B and is held
        // 100 % by A. Where the sweeps stall C is still on its constant; the first round caps A and B,
        // the second lets C follow A to the cap.
        let eq = graph(3, &[(1, 0, 0.5), (1, 0, 0.500001), (0, 1, 1.0), (2, 1, 1e-9), (0, 2, 1.0)]);
        let e = exposure(&eq, &none(), &[0.0, 0.5, 0.95]);
        assert_eq!(e, [1.0, 1.0, 1.0]);
    }

    #[test]
    fn a_control_chain_carries_the_controllers_exposure() {
        // c (0) ⇒ d (1) ⇒ v (2); v also 20 % held by a concern entity (3).
        let eq = graph(4, &[(3, 2, 0.2)]);
        let control = ControlSteps::new(4, vec![(0, 1), (1, 2)]);
        let e = exposure(&eq, &control, &[0.7, 0.1, 0.0, 1.0]);
        assert_eq!(e, [0.7, 0.7, 0.7, 1.0]);
        assert_eq!(ownership(&eq, &control, &e, 2), 0.7, "a controlled company carries its controller's exposure in full");
        assert_eq!(ownership(&eq, &none(), &e, 2), 0.2, "equity alone");
    }

    #[test]
    fn a_control_cycle_takes_the_largest_inflow() {
        // c (0) ⇒ d (1) ⇒ c; c 60 % held by a concern entity (2); d's own weight 0.25; d ⇒ e (3).
        let eq = graph(4, &[(2, 0, 0.6)]);
        let control = ControlSteps::new(4, vec![(0, 1), (1, 0), (1, 3)]);
        let e = exposure(&eq, &control, &[0.0, 0.25, 1.0, 0.0]);
        assert_close(&e, &[0.6, 0.6, 1.0, 0.6], "exposure");
        // Nothing flowing in: each takes the larger constant, no more.
        let e = exposure(&graph(2, &[]), &ControlSteps::new(2, vec![(0, 1), (1, 0)]), &[0.2, 0.5]);
        assert_eq!(e, [0.5, 0.5]);
    }

    #[test]
    fn mixed_equity_and_control_cycles() {
        // c (0) ⇒ d (1), d holds 50 % of c, a concern entity (2) 40 % of c: c = 0.4 + 0.5·c = 0.8.
        let control = ControlSteps::new(3, vec![(0, 1)]);
        let e = exposure(&graph(3, &[(1, 0, 0.5), (2, 0, 0.4)]), &control, &[0.0, 0.0, 1.0]);
        assert_close(&e, &[0.8, 0.8, 1.0], "sub-unit");
        // d holds 100 % of c: product 1. With only a(c) = 0.3 in it, it stays at 0.3 ...
        let eq = graph(3, &[(1, 0, 1.0)]);
        let e = exposure(&eq, &control, &[0.3, 0.0, 0.0]);
        assert_eq!(e, [0.3, 0.3, 0.0], "neutral");
        // ... and with 10 % flowing in from outside it grows to the cap.
        let eq = graph(3, &[(1, 0, 1.0), (2, 0, 0.1)]);
        let e = exposure(&eq, &control, &[0.3, 0.0, 1.0]);
        assert_eq!(e, [1.0, 1.0, 1.0], "growing");
        // A control step into a growth cycle whose holders sum to 1.000001: the cap again.
        let eq = graph(3, &[(1, 0, 0.5000005), (2, 0, 0.5000005), (0, 1, 1.0)]);
        let control = ControlSteps::new(3, vec![(0, 2)]);
        let e = exposure(&eq, &control, &[0.0, 0.0, 0.4]);
        assert_eq!(e, [1.0, 1.0, 1.0], "growing through a step");
    }

    fn random_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>, Vec<f64>)> {
        (2usize..8).prop_flat_map(|n| {
            let edge = (0..n as u32, 0..n as u32, 0.0f64..=1.0);
            let weight = prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..=1.0];
            (Just(n), prop::collection::vec(edge, 0..16), prop::collection::vec(weight, n))
        })
    }

    /// Graphs with control steps and unnormalised shares: cycles of product below, at and above 1.
    #[allow(clippy::type_complexity)]
    fn random_controlled_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>, Vec<(u32, u32)>, Vec<f64>)> {
        (2usize..8).prop_flat_map(|n| {
            let share = prop_oneof![Just(1.0), Just(0.5), Just(0.5000005), 0.0f64..=1.0];
            let edge = (0..n as u32, 0..n as u32, share);
            let step = (0..n as u32, 0..n as u32);
            let weight = prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..=1.0];
            (Just(n), prop::collection::vec(edge, 0..16), prop::collection::vec(step, 0..6), prop::collection::vec(weight, n))
        })
    }

    /// Scales incoming shares so each entity's sum is at most 0.99 (as valid data guarantees, ≤ 1,
    /// and as the spec's precision note assumes for cycles).
    fn normalise(n: usize, edges: &mut [(u32, u32, f64)]) {
        let mut inflow = vec![0.0; n];
        for &(_, to, share) in edges.iter() {
            inflow[to as usize] += share;
        }
        for (_, to, share) in edges.iter_mut() {
            if inflow[*to as usize] > 0.99 {
                *share *= 0.99 / inflow[*to as usize];
            }
        }
    }

    proptest! {
        #[test]
        fn exposure_is_the_least_fixpoint_and_stays_in_unit_interval((n, mut edges, a) in random_graph()) {
            normalise(n, &mut edges);
            let eq = graph(n, &edges);
            let e = exposure(&eq, &none(), &a);
            let r = reference(&eq, &a);
            for v in 0..n {
                prop_assert!((0.0..=1.0).contains(&e[v]), "E({v}) = {} must lie in [0, 1]", e[v]);
                prop_assert!(e[v] >= a[v], "E({v}) = {} is at least its own concern weight {}", e[v], a[v]);
                prop_assert!((e[v] - r[v]).abs() <= 1e-11, "E({v}) = {} but the Jacobi reference is {}", e[v], r[v]);
            }
        }

        #[test]
        fn without_control_steps_v12_numbers_keep_their_bits((n, mut edges, a) in random_graph()) {
            normalise(n, &mut edges);
            let eq = graph(n, &edges);
            let e = exposure(&eq, &none(), &a);
            let old = v12(&eq, &a);
            for v in 0..n {
                prop_assert_eq!(e[v].to_bits(), old[v].to_bits(), "E({}) = {} moved from v1.2's {}", v, e[v], old[v]);
            }
        }

        #[test]
        fn exposure_is_monotone_in_shares((n, mut edges, a) in random_graph(), pick in any::<prop::sample::Index>(), more in 0.0f64..=1.0) {
            prop_assume!(!edges.is_empty());
            normalise(n, &mut edges);
            let before = exposure(&graph(n, &edges), &none(), &a);
            let k = pick.index(edges.len());
            edges[k].2 += more * (1.0 - edges[k].2);
            let after = exposure(&graph(n, &edges), &none(), &a);
            for v in 0..n {
                prop_assert!(after[v] >= before[v] - 1e-12, "raising a share lowered E({v}): {} → {}", before[v], after[v]);
            }
        }

        #[test]
        fn with_control_steps_exposure_is_the_least_fixpoint((n, edges, steps, a) in random_controlled_graph()) {
            let eq = graph(n, &edges);
            let control = ControlSteps::new(n, steps);
            let e = exposure(&eq, &control, &a);
            let (reached, converged) = jacobi(&eq, &control, &a, 200_000);
            for v in 0..n {
                prop_assert!((0.0..=1.0).contains(&e[v]), "E({v}) = {} must lie in [0, 1]", e[v]);
                prop_assert!(e[v] >= a[v], "E({v}) = {} is at least its own concern weight {}", e[v], a[v]);
                let f = operator(&eq, &control, &a, &e, v as u32);
                prop_assert!((f - e[v]).abs() <= 1e-11, "E({v}) = {} is no fixpoint: the equation gives {f}", e[v]);
                prop_assert!(e[v] >= reached[v] - 1e-11, "E({v}) = {} is below a Jacobi iterate {}", e[v], reached[v]);
                if converged {
                    prop_assert!(e[v] <= reached[v] + 1e-11, "E({v}) = {} is above the least fixpoint {}", e[v], reached[v]);
                }
            }
        }

        #[test]
        fn with_control_steps_exposure_is_monotone(
            (n, mut edges, mut steps, a) in random_controlled_graph(),
            pick in any::<prop::sample::Index>(),
            more in 0.0f64..=1.0,
            step in any::<(prop::sample::Index, prop::sample::Index)>(),
        ) {
            let before = exposure(&graph(n, &edges), &ControlSteps::new(n, steps.clone()), &a);
            if !edges.is_empty() {
                let k = pick.index(edges.len());
                edges[k].2 += more * (1.0 - edges[k].2).max(0.0);
            }
            steps.push((step.0.index(n) as u32, step.1.index(n) as u32));
            let after = exposure(&graph(n, &edges), &ControlSteps::new(n, steps), &a);
            for v in 0..n {
                prop_assert!(after[v] >= before[v] - 1e-11, "a larger share and one more step lowered E({v}): {} → {}", before[v], after[v]);
            }
        }
    }
}
