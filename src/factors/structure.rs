//! A vendor's ownership structure, walked on the graph the factors are computed on: the same
//! numbering of entities (a vendor id in an edge is its entity), the same edges in force on `as_of`,
//! parallel rows summed in the same order, the same control search. The ownership diagram and the
//! brief's controllers both come from here, so neither can disagree with the scores.

use super::facts::Facts;
use super::graph::{Controls, Graph};
use super::params::{ConcernSet, Params, ShareBasis};

/// The low and high points of a holding given (in part) as a range.
pub type Band = (f64, f64);

/// What the diagram and the brief show of one vendor's ownership.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// The vendor's entity first, then its owners breadth-first up the equity edges in force and the
    /// control steps (an entity's owners in the order their first row was given, then its controllers
    /// by control ties; the walk stops taking entities once `max_nodes` are found), then the other
    /// ends of the ties below.
    pub entities: Vec<String>,
    /// Equity edges into walked entities as `(owner, owned, share, band)`, parallel rows summed; the
    /// band `(low, high)` sums the rows' low and high points when one of them is a range (v1.3).
    /// Sorted by owner, then owned.
    pub equity: Vec<(String, String, f64, Option<Band>)>,
    /// Ties in force with the vendor's entity or a controller at one end, as `(other end, that end,
    /// row of Facts::edges, whether the row points at that end)`, in row order. The direction matters
    /// for `control` ties (v1.3): the row's `from_id` controls its `to_id`.
    pub ties: Vec<(String, String, usize, bool)>,
    /// Controllers (risk-model.md: control paths at `control_threshold`) with a shortest control path
    /// from the controller to the vendor's entity, breadth-first.
    pub controllers: Vec<(String, Vec<String>)>,
}

/// The structure of the vendor `vendor_id` on `params.as_of`, or `None` for an unknown vendor. The
/// graph is built afresh (a few milliseconds at 50,000 entities), so the evaluation need not keep it.
pub fn structure(facts: &Facts, params: &Params, vendor_id: &str, max_nodes: usize) -> Option<Structure> {
    let vendor = facts.vendors.iter().position(|v| v.id == vendor_id)?;
    let concern = ConcernSet::new(params);
    let g = Graph::build(facts, params, &concern);
    let root = g.vendor_node[vendor];
    let eq = &g.equity;

    let mut seen = vec![false; g.len()];
    let mut nodes = vec![root];
    seen[root as usize] = true;
    let mut equity = Vec::new();
    let mut k = 0;
    while k < nodes.len() && nodes.len() < max_nodes {
        let mut incoming: Vec<usize> = eq.incoming(nodes[k]).collect();
        incoming.sort_by_key(|&e| eq.rows_of(e)[0]);
        for e in incoming {
            let owner = eq.from[e];
            let rows = eq.rows_of(e).iter().map(|&r| &facts.edges[r as usize]);
            let band = rows.clone().any(super::Edge::is_range).then(|| {
                rows.fold((0.0, 0.0), |(low, high), edge| match edge.share {
                    Some(share) => (low + share, high + share),
                    None => (low + edge.share_min.unwrap_or(0.0), high + edge.share_max.unwrap_or(1.0)),
                })
            });
            equity.push((g.name(owner).to_owned(), g.name(eq.to[e]).to_owned(), eq.share[e], band));
            if !std::mem::replace(&mut seen[owner as usize], true) {
                nodes.push(owner);
            }
        }
        // v1.3: a controller by a control step is above the entity it controls too.
        for &controller in g.control.controllers_of(nodes[k]) {
            if !std::mem::replace(&mut seen[controller as usize], true) {
                nodes.push(controller);
            }
        }
        k += 1;
    }
    equity.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));

    // Controllers are a legal finding: on the low points of ranges, as the factors find them.
    let low_graph = facts.edges.iter().any(super::Edge::is_range).then(|| Graph::build_on(facts, params, &concern, ShareBasis::Low));
    let mut controls = Controls::new(g.len());
    let legal = low_graph.as_ref().unwrap_or(&g);
    controls.search(&legal.equity, &legal.control, params.control_threshold, root);
    let controllers = controls
        .controllers()
        .iter()
        .map(|&c| (g.name(c).to_owned(), controls.path(c).into_iter().map(|n| g.name(n).to_owned()).collect()))
        .collect();

    // Each tie once, in row order, from the end that is a member (its first end when both are).
    let mut rows: Vec<(u32, [u32; 2])> = controls.members().iter().flat_map(|&m| g.ties.of(m).map(|t| (t.row, t.ends))).collect();
    rows.sort_unstable_by_key(|r| r.0);
    rows.dedup_by_key(|r| r.0);
    let ties: Vec<(String, String, usize, bool)> = rows
        .into_iter()
        .map(|(row, [from, to])| {
            let (other, member) = if controls.contains(from) { (to, from) } else { (from, to) };
            (g.name(other).to_owned(), g.name(member).to_owned(), row as usize, to == member)
        })
        .collect();
    for (other, _, _, _) in &ties {
        let node = g.node(other).expect("a tie end is a node");
        if !std::mem::replace(&mut seen[node as usize], true) {
            nodes.push(node);
        }
    }
    Some(Structure { entities: nodes.into_iter().map(|n| g.name(n).to_owned()).collect(), equity, ties, controllers })
}
