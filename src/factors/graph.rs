//! The entity graph on the evaluation date and what is computed on it: concern weights `a(e)`, the
//! concern-exposure fixpoint `E`, ownership, each vendor's controllers, and the tie adjacency.
//!
//! Entities are numbered densely (`u32` nodes) so every per-entity quantity is a flat vector and the
//! graph is two CSR arrays (in- and out-edges of the *added* equity edges): at 50,000 entities and
//! 100,000 edges the whole graph phase has to stay within a few milliseconds.

use std::collections::HashMap;
use std::ops::Range;

use super::facts::{Facts, Relation};
use super::params::{ConcernSet, Params};

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
    pub(super) ties: Ties,
    ids: HashMap<&'a str, u32>,
    vendor_ids: HashMap<&'a str, u32>,
}

impl<'a> Graph<'a> {
    /// Numbers the explicit entities (first occurrence of an id wins), then the vendors' implicit
    /// entities, then any id that only an edge mentions (concern weight 0: nothing is known about it,
    /// but it still carries shares through a chain).
    pub(super) fn build(facts: &'a Facts, params: &Params, concern: &ConcernSet) -> Self {
        let capacity = facts.entities.len() + facts.vendors.len();
        let mut g = Graph {
            names: Vec::with_capacity(capacity),
            concern: Vec::with_capacity(capacity),
            vendor_node: Vec::with_capacity(facts.vendors.len()),
            equity: Equity::default(),
            ties: Ties::default(),
            ids: HashMap::with_capacity(capacity),
            vendor_ids: HashMap::with_capacity(facts.vendors.len()),
        };
        for entity in &facts.entities {
            let id = entity.id.as_str();
            if !g.ids.contains_key(id) {
                g.add(id, concern_weight(params, concern, &entity.country, entity.state_affiliated));
            }
        }
        for vendor in &facts.vendors {
            let id = vendor.entity_id.as_str();
            let node = match g.ids.get(id) {
                Some(&node) => node,
                None => g.add(id, concern_weight(params, concern, &vendor.hq_country, false)),
            };
            g.vendor_node.push(node);
            g.vendor_ids.entry(vendor.id.as_str()).or_insert(node);
        }
        let mut equity = Vec::new();
        let mut ties = Vec::new();
        for (row, edge) in facts.edges.iter().enumerate() {
            if !edge.in_force(params.as_of) {
                continue;
            }
            let (from, to) = (g.node_or_add(&edge.from), g.node_or_add(&edge.to));
            let row = row as u32;
            match edge.relation {
                Relation::Equity => equity.push(EquityRow { to, from, share: edge.share.unwrap_or(0.0), row }),
                Relation::Tie => ties.push(TieEnds { row, ends: [from, to] }),
            }
        }
        g.equity = Equity::new(g.names.len(), equity);
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

/// The least fixpoint of `E(e) = min(1, max(a(e), Σ_{o→e} share·E(o)))`: exact on acyclic parts, and
/// within about 1e-13 on cycles whose share product is ≤ 0.99 (the spec's data promise; the contract is
/// 1e-11).
///
/// Why this shape: `E(e)` depends only on `e`'s owners, so the strongly connected components of the
/// equity graph, taken owners-first, can each be finished before the next one starts. A component
/// without a cycle (the vast majority) is one evaluation; only cyclic components iterate. Iterating
/// from `E = a` (below the fixpoint) with Gauss–Seidel sweeps keeps every iterate below the least
/// fixpoint and increasing, so the limit is the *least* fixpoint, not merely some fixpoint (with
/// cross-holdings of 100% any value in [a, 1] would be a fixpoint).
pub(super) fn exposure(eq: &Equity, concern: &[f64]) -> Vec<f64> {
    let mut exposure = concern.to_vec();
    let components = Components::of(eq);
    for members in components.owners_first() {
        match members {
            &[v] if !eq.incoming(v).any(|k| eq.from[k] == v) => {
                exposure[v as usize] = eq.inflow(&exposure, v).max(concern[v as usize]).min(1.0);
            }
            _ => settle_cycle(eq, concern, &mut exposure, members),
        }
    }
    exposure
}

/// `ownership(v) = min(1, Σ_{o→v} share·E(o))`: the vendor's own `a` does not count here (that is
/// jurisdiction), though it can come back to it through a cycle.
pub(super) fn ownership(eq: &Equity, exposure: &[f64], v: u32) -> f64 {
    eq.inflow(exposure, v).min(1.0)
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
    pub(super) fn search(&mut self, eq: &Equity, threshold: f64, v: u32) {
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

/// Sweeps that a cyclic component may take at most. With every cycle's share product ≤ 0.99 the
/// sweeps needed are a few thousand; the cap only bounds pathological inputs (a 100% cycle fed by a
/// sliver allowed by the 1e-6 share-sum tolerance), where the spec itself makes no promise.
const SWEEP_LIMIT: usize = 200_000;
/// A sweep moving no value by more than about one unit in the last place has reached the floating-point
/// fixpoint; the error to the exact one is then ≤ ulp/(1 − contraction), ~1e-14 at a product of 0.99.
const ULP_DELTA: f64 = 2.5e-16;
/// Below this, a sweep that fails to improve on the smallest change seen is rounding noise.
const NOISE_ZONE: f64 = 1e-14;
const NOISE_SWEEPS: u32 = 8;

/// Gauss–Seidel sweeps over one cyclic component, its owners outside already final. The members are in
/// DFS discovery order, which follows ownership edges, so one sweep carries a value round a simple
/// cycle: the per-sweep contraction is about the cycle's share product, not its root.
fn settle_cycle(eq: &Equity, concern: &[f64], exposure: &mut [f64], members: &[u32]) {
    let mut smallest = f64::INFINITY;
    let mut noisy = 0;
    for _ in 0..SWEEP_LIMIT {
        let mut delta = 0.0f64;
        for &v in members {
            let value = eq.inflow(exposure, v).max(concern[v as usize]).min(1.0);
            delta = delta.max((value - exposure[v as usize]).abs());
            exposure[v as usize] = value;
        }
        if delta <= ULP_DELTA {
            return;
        }
        if delta < smallest {
            smallest = delta;
            noisy = 0;
        } else if delta <= NOISE_ZONE {
            noisy += 1;
            if noisy >= NOISE_SWEEPS {
                return;
            }
        }
    }
}

/// Strongly connected components of the equity graph (Tarjan, iterative: ownership chains can be
/// tens of thousands deep, deeper than the call stack allows).
struct Components {
    /// Members of component i: `nodes[bounds[i]..bounds[i + 1]]`, each in DFS discovery order.
    nodes: Vec<u32>,
    bounds: Vec<u32>,
}

impl Components {
    fn of(eq: &Equity) -> Self {
        let n = eq.nodes();
        let mut t = Tarjan {
            eq,
            index: vec![Tarjan::UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            frames: Vec::new(),
            counter: 0,
        };
        let mut out = Components { nodes: Vec::with_capacity(n), bounds: vec![0] };
        for root in 0..n as u32 {
            if t.index[root as usize] == Tarjan::UNSEEN {
                t.visit(root);
                t.run(&mut out);
            }
        }
        out
    }

    /// Tarjan emits a component after every component it owns into; reversed, owners come first.
    fn owners_first(&self) -> impl Iterator<Item = &[u32]> {
        self.bounds.windows(2).rev().map(|w| &self.nodes[w[0] as usize..w[1] as usize])
    }
}

/// State of one iterative Tarjan run.
struct Tarjan<'e> {
    eq: &'e Equity,
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    /// Explicit call stack: (node, position of its next out-edge to look at).
    frames: Vec<(u32, u32)>,
    counter: u32,
}

impl Tarjan<'_> {
    const UNSEEN: u32 = u32::MAX;

    fn visit(&mut self, v: u32) {
        self.index[v as usize] = self.counter;
        self.low[v as usize] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.frames.push((v, self.eq.out_start[v as usize]));
    }

    /// Runs the search from the frame pushed by `visit` until the call stack is empty.
    fn run(&mut self, out: &mut Components) {
        while let Some(&(v, next)) = self.frames.last() {
            let vi = v as usize;
            if next < self.eq.out_start[vi + 1] {
                self.frames.last_mut().expect("a frame is open").1 += 1;
                let w = self.eq.to[self.eq.out_edge[next as usize] as usize];
                if self.index[w as usize] == Self::UNSEEN {
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

    /// Plain Jacobi from `a`, run far past convergence: the reference the fast solver must match.
    fn reference(eq: &Equity, a: &[f64]) -> Vec<f64> {
        let mut e = a.to_vec();
        for _ in 0..20_000 {
            let next: Vec<f64> = (0..a.len() as u32).map(|v| eq.inflow(&e, v).max(a[v as usize]).min(1.0)).collect();
            e = next;
        }
        e
    }

    #[test]
    fn components_come_owners_first() {
        // 0 → 1 ⇄ 2 → 3
        let eq = graph(4, &[(0, 1, 0.5), (1, 2, 0.5), (2, 1, 0.5), (2, 3, 0.5)]);
        let order: Vec<Vec<u32>> = Components::of(&eq).owners_first().map(<[u32]>::to_vec).collect();
        assert_eq!(order.len(), 3, "{{0}}, {{1, 2}}, {{3}}: {order:?}");
        assert_eq!(order[0], [0], "the root owner is finished first");
        let mut cycle = order[1].clone();
        cycle.sort_unstable();
        assert_eq!(cycle, [1, 2], "the cross-holding is one component");
        assert_eq!(order[2], [3], "the leaf comes last");
    }

    #[test]
    fn a_hundred_percent_cross_holding_takes_the_least_fixpoint() {
        // Any value in [0.3, 1] solves E0 = max(0.3, E1), E1 = E0; the least one is 0.3.
        let eq = graph(2, &[(0, 1, 1.0), (1, 0, 1.0)]);
        let e = exposure(&eq, &[0.3, 0.0]);
        assert_eq!(e, [0.3, 0.3], "a cycle must not inflate exposure beyond what flows into it");
    }

    #[test]
    fn a_fifty_thousand_deep_chain_needs_no_deep_recursion() {
        let n = 50_000u32;
        let edges: Vec<(u32, u32, f64)> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        let mut a = vec![0.0; n as usize];
        a[0] = 1.0;
        let e = exposure(&graph(n as usize, &edges), &a);
        assert_eq!(e[n as usize - 1], 1.0, "a 100% chain carries full exposure to its end");
    }

    fn random_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>, Vec<f64>)> {
        (2usize..8).prop_flat_map(|n| {
            let edge = (0..n as u32, 0..n as u32, 0.0f64..=1.0);
            let weight = prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..=1.0];
            (Just(n), prop::collection::vec(edge, 0..16), prop::collection::vec(weight, n))
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
            let e = exposure(&eq, &a);
            let r = reference(&eq, &a);
            for v in 0..n {
                prop_assert!((0.0..=1.0).contains(&e[v]), "E({v}) = {} must lie in [0, 1]", e[v]);
                prop_assert!(e[v] >= a[v], "E({v}) = {} is at least its own concern weight {}", e[v], a[v]);
                prop_assert!((e[v] - r[v]).abs() <= 1e-11, "E({v}) = {} but the Jacobi reference is {}", e[v], r[v]);
            }
        }

        #[test]
        fn exposure_is_monotone_in_shares((n, mut edges, a) in random_graph(), pick in any::<prop::sample::Index>(), more in 0.0f64..=1.0) {
            prop_assume!(!edges.is_empty());
            normalise(n, &mut edges);
            let before = exposure(&graph(n, &edges), &a);
            let k = pick.index(edges.len());
            edges[k].2 += more * (1.0 - edges[k].2);
            let after = exposure(&graph(n, &edges), &a);
            for v in 0..n {
                prop_assert!(after[v] >= before[v] - 1e-12, "raising a share lowered E({v}): {} → {}", before[v], after[v]);
            }
        }
    }
}
