//! Ownership diagram: the vendor at the bottom, its owners layered above it up to the ultimate owners.
//!
//! Layer = longest equity path from the vendor (cycles broken in DFS order), nodes ordered within a layer by
//! two barycentre sweeps to reduce crossings, equity edges solid with the share, ties dashed. Drawn with
//! plotters primitives on f64 pixel coordinates through [`Canvas`].

use std::collections::BTreeMap;

use super::data::{OwnerNode, OwnershipGraph};
use super::draw::{Canvas, FONT, Font, LegendItem, Rect, SMALL, Swatch, legend_height, no_data, render};
use super::palette::Rgb;
use super::text::{Metrics, NAME_CHARS, truncate};
use super::theme::Theme;

/// Most entities drawn: those nearest the vendor are kept, the rest counted in a note.
pub const OWNERSHIP_MAX_NODES: usize = 60;

const BOX_H: f64 = 36.0;
const MIN_BOX_W: f64 = 72.0;
const MAX_BOX_W: f64 = 230.0;
const H_GAP: f64 = 14.0;
const SUBROW_GAP: f64 = 20.0;
const BRACKET: f64 = 14.0;
const TIE_DASH: (f64, f64) = (7.0, 4.0);
const ALLEGED_DASH: (f64, f64) = (2.0, 3.0);
const CONTROL_DASH: (f64, f64) = (10.0, 3.0);

/// An equity edge (`a` owns `b`) or a tie (`a`–`b`), by node index.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: usize,
    b: usize,
    share: Option<f64>,
    tie: bool,
    alleged: bool,
    /// Equity given as a range (low and high sums of the pair's rows).
    range: Option<(f64, f64)>,
    /// A control tie: `a` controls `b`.
    control: bool,
}

impl Edge {
    /// Equity and control edges point from holder to held and set the layers; other ties do not.
    fn directed(&self) -> bool {
        !self.tie || self.control
    }
}

/// Layered diagram from the vendor (`root`, bottom) up to its ultimate owners (top). Boxes show the name
/// and a tag line (kind, "concern", "controller"); kind is also the shape (company: rectangle, person:
/// rounded, state body: cut corners, vendor: double frame). Concern entities have a thick red-family border
/// AND the word "concern". Equity edges are solid arrows to the owned entity with the share as a percentage
/// (`?` when unknown; thicker between controllers: the control path); ties are dashed, alleged ties dotted and labelled.
/// Edges naming unknown nodes are skipped; a root that is not among the nodes falls back to the first
/// `vendor` node, else the first node.
pub fn ownership(graph: &OwnershipGraph, theme: &Theme) -> String {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut all: Vec<&OwnerNode> = Vec::new();
    for n in &graph.nodes {
        if !index.contains_key(n.id.as_str()) {
            index.insert(n.id.as_str(), all.len());
            all.push(n);
        }
    }
    if all.is_empty() {
        return no_data(theme, "No ownership information for this vendor.");
    }
    let root = index.get(graph.root.as_str()).copied().or_else(|| all.iter().position(|n| n.kind == "vendor")).unwrap_or(0);
    let edges = collect_edges(graph, &index);
    let layer = assign_layers(all.len(), root, &edges);

    // Keep the entities nearest the vendor (the root first) when there are too many.
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| (layer[i], i != root, i));
    let hidden = order.len().saturating_sub(OWNERSHIP_MAX_NODES);
    order.truncate(OWNERSHIP_MAX_NODES);
    let mut keep = vec![false; all.len()];
    for &i in &order {
        keep[i] = true;
    }
    let edges: Vec<Edge> = edges.into_iter().filter(|e| keep[e.a] && keep[e.b]).collect();

    // Layers, compacted to 0..L, then ordered by barycentre sweeps.
    let mut levels: Vec<usize> = order.iter().map(|&i| layer[i]).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); levels.len()];
    let mut level_of = vec![0usize; all.len()];
    for &i in &order {
        let l = levels.binary_search(&layer[i]).unwrap_or(0);
        level_of[i] = l;
        layers[l].push(i);
    }
    for l in &mut layers {
        l.sort_unstable();
    }
    barycentre(&mut layers, &level_of, &edges, all.len());

    let layout = Layout::new(&all, &layers, root, f64::from(theme.safe_width()), theme.metrics());
    let legend = legend_items(theme, edges.iter().any(|e| e.control));
    let legend_h = legend_height(&legend, f64::from(theme.safe_width()) - 16.0, theme.metrics());
    let note_h = if hidden > 0 { 16.0 } else { 0.0 };
    let height = layout.bottom + BRACKET + 14.0 + note_h + legend_h + 22.0;

    render(theme, Some(height), |c| {
        let ink = c.ink;
        let ports = Ports::new(&layout, &edges);
        let mut labels: Vec<(Rect, String, Rgb)> = Vec::new();
        for (k, e) in edges.iter().enumerate() {
            let path = ports.path(&layout, k);
            draw_edge(c, &all, root, e, &path, theme);
            let text = match (e.tie, e.alleged, e.share) {
                _ if e.control => Some("controls".to_owned()),
                (false, _, _) if e.range.is_some() => e.range.map(|(low, high)| range_label(low, high)),
                (true, true, _) => Some("alleged".to_owned()),
                (true, false, _) => None,
                (false, _, Some(s)) => Some(share_label(s)),
                (false, _, None) => Some("?".to_owned()),
            };
            if let Some(text) = text {
                let r = place_edge_label(&layout, &labels, &path, &text, c.m);
                labels.push((r, text, if e.tie { ink.muted } else { ink.text }));
            }
        }
        for (i, b) in layout.boxes.iter().enumerate() {
            if let Some(b) = b {
                draw_node(c, all[i], i == root, b);
            }
        }
        for (r, text, colour) in &labels {
            c.fill_rect(r.x0, r.y0, r.x1, r.y1, ink.background, 0.92);
            c.text(text, (r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0, Font::new(SMALL, *colour).centre());
        }
        let mut y = layout.bottom + BRACKET + 14.0;
        if hidden > 0 {
            c.text(&format!("… and {hidden} more entities not shown"), 8.0, y + 4.0, Font::new(SMALL, ink.muted));
            y += note_h;
        }
        let used = c.legend(&legend, 8.0, y, c.w - 16.0);
        let shapes = "Shape: rectangle = company, rounded = person, cut corners = state body, double frame = vendor";
        c.text(shapes, 8.0, y + used + 8.0, Font::new(SMALL, ink.muted));
    })
}

/// Equity edges (duplicates between the same pair added, as the model does) then ties (one per pair;
/// confirmed if any row is), skipping self-loops and unknown ends. Shares outside [0, 1] or non-finite
/// are clamped or dropped for display only.
fn collect_edges(graph: &OwnershipGraph, index: &BTreeMap<&str, usize>) -> Vec<Edge> {
    let mut equity: BTreeMap<(usize, usize), Option<f64>> = BTreeMap::new();
    let mut ranges: BTreeMap<(usize, usize), (f64, f64, bool)> = BTreeMap::new();
    let mut ties: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    let mut controls: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    for e in &graph.edges {
        let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        if a == b {
            continue;
        }
        if e.tie && e.control {
            controls.insert((a, b));
        } else if e.tie {
            let alleged = ties.entry((a.min(b), a.max(b))).or_insert(true);
            *alleged &= e.alleged;
        } else {
            let (low, high) = e.range.unwrap_or_else(|| {
                let s = e.share.unwrap_or(0.0);
                (s, s)
            });
            let band = ranges.entry((a, b)).or_insert((0.0, 0.0, false));
            *band = ((band.0 + low).min(1.0), (band.1 + high).min(1.0), band.2 || e.range.is_some());
            let share = e.share.filter(|s| s.is_finite()).map(|s| s.clamp(0.0, 1.0));
            let slot = equity.entry((a, b)).or_insert(None);
            *slot = match (*slot, share) {
                (Some(x), Some(y)) => Some((x + y).min(1.0)),
                (x, None) => x,
                (None, y) => y,
            };
        }
    }
    let mut out: Vec<Edge> = equity
        .into_iter()
        .map(|((a, b), share)| {
            // A pair with a range row is labelled with its band (the low and high sums).
            let range = ranges.get(&(a, b)).filter(|band| band.2).map(|band| (band.0, band.1));
            Edge { a, b, share, tie: false, alleged: false, range, control: false }
        })
        .collect();
    out.extend(ties.into_iter().map(|((a, b), alleged)| Edge { a, b, share: None, tie: true, alleged, range: None, control: false }));
    out.extend(controls.into_iter().map(|(a, b)| Edge { a, b, share: None, tie: true, alleged: false, range: None, control: true }));
    out
}

/// Layer of every node: longest path of equity and control edges from the root to it (owners and
/// controllers above what they hold), with cycles
/// broken at the DFS back edges. Nodes not reached through equity are attached next to a placed neighbour
/// (above what they own, below their owner, beside a tie); unconnected nodes go on a top layer of their own.
fn assign_layers(n: usize, root: usize, edges: &[Edge]) -> Vec<usize> {
    let mut owners_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| e.directed()) {
        owners_of[e.b].push(e.a);
    }
    // Iterative DFS from the root along "is owned by", recording tree/forward/cross edges; back edges
    // (to a node still on the stack) close a cycle and are dropped.
    let mut state = vec![0u8; n];
    let mut post: Vec<usize> = Vec::new();
    let mut dag_owners: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
    state[root] = 1;
    while let Some(top) = stack.len().checked_sub(1) {
        let (u, k) = stack[top];
        if let Some(&v) = owners_of[u].get(k) {
            stack[top].1 += 1;
            match state[v] {
                0 => {
                    dag_owners[u].push(v);
                    state[v] = 1;
                    stack.push((v, 0));
                }
                1 => {} // back edge: the cycle is broken here
                _ => dag_owners[u].push(v),
            }
        } else {
            state[u] = 2;
            post.push(u);
            stack.pop();
        }
    }
    let mut layer: Vec<Option<usize>> = vec![None; n];
    layer[root] = Some(0);
    // Reverse post-order is a topological order of the DAG, so each node's longest distance is final
    // before it is pushed to its owners.
    for &u in post.iter().rev() {
        let lu = layer[u].unwrap_or(0);
        for &v in &dag_owners[u] {
            layer[v] = Some(layer[v].map_or(lu + 1, |lv| lv.max(lu + 1)));
        }
    }
    // Attach the rest next to placed neighbours, repeatedly, in a fixed order.
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..n {
            if layer[i].is_some() {
                continue;
            }
            let above = edges.iter().filter(|e| e.directed() && e.a == i).filter_map(|e| layer[e.b]).max().map(|l| l + 1);
            let below = || edges.iter().filter(|e| e.directed() && e.b == i).filter_map(|e| layer[e.a]).min().map(|l| l.saturating_sub(1));
            let beside = || {
                edges
                    .iter()
                    .filter(|e| !e.directed() && (e.a == i || e.b == i))
                    .filter_map(|e| layer[if e.a == i { e.b } else { e.a }])
                    .min()
            };
            if let Some(l) = above.or_else(below).or_else(beside) {
                layer[i] = Some(l);
                changed = true;
            }
        }
    }
    let top = layer.iter().flatten().max().copied().unwrap_or(0) + 1;
    layer.into_iter().map(|l| l.unwrap_or(top)).collect()
}

/// Two down-and-up sweeps ordering each layer by the mean slot of its neighbours in the adjacent layer.
fn barycentre(layers: &mut [Vec<usize>], level_of: &[usize], edges: &[Edge], n: usize) {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        adj[e.a].push(e.b);
        adj[e.b].push(e.a);
    }
    let slot = |layer: &[usize], i: usize| i as f64 - (layer.len() as f64 - 1.0) / 2.0;
    let reorder = |layers: &mut [Vec<usize>], l: usize, r: usize| {
        let mut pos = vec![f64::NAN; n];
        for (i, &v) in layers[r].iter().enumerate() {
            pos[v] = slot(&layers[r], i);
        }
        let current = &layers[l];
        let mut keyed: Vec<(f64, usize, usize)> = current
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let near: Vec<f64> = adj[v].iter().filter(|&&u| level_of[u] == r).map(|&u| pos[u]).filter(|p| p.is_finite()).collect();
                let key = if near.is_empty() { slot(current, i) } else { near.iter().sum::<f64>() / near.len() as f64 };
                (key, i, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        layers[l] = keyed.into_iter().map(|k| k.2).collect();
    };
    let count = layers.len();
    for _ in 0..2 {
        for l in 1..count {
            reorder(layers, l, l - 1);
        }
        for l in (0..count.saturating_sub(1)).rev() {
            reorder(layers, l, l + 1);
        }
    }
}

/// A node's box, name and tag line as drawn.
struct NodeBox {
    r: Rect,
    name: String,
    tag: String,
}

/// One drawn row of boxes: its vertical extent and the horizontal extent of each box.
struct Row {
    y0: f64,
    y1: f64,
    spans: Vec<(f64, f64)>,
}

/// Boxes positioned layer by layer, top layer first. A layer too wide for one row is split into balanced
/// sub-rows, every other one shifted by half a slot so edges from the row above pass between its boxes.
struct Layout {
    boxes: Vec<Option<NodeBox>>,
    rows: Vec<Row>,
    bottom: f64,
}

/// Narrowest box before a layer is split into sub-rows (about 12 characters of name).
const ROW_SPLIT_W: f64 = 100.0;
/// Bold text runs about this much wider than the per-character estimate.
const BOLD: f64 = 1.1;

impl Layout {
    fn new(all: &[&OwnerNode], layers: &[Vec<usize>], root: usize, width: f64, m: Metrics) -> Layout {
        let avail = width - 16.0;
        let layer_gap = if layers.len() > 10 { 40.0 } else { 56.0 };
        let name_px = |i: usize| if i == root { FONT * BOLD } else { FONT };
        let tag_px = |i: usize| if all[i].concern { SMALL * BOLD } else { SMALL };
        let mut boxes: Vec<Option<NodeBox>> = (0..all.len()).map(|_| None).collect();
        let mut rows = Vec::new();
        let mut y = 10.0 + BRACKET;
        for layer in layers.iter().rev() {
            let n = layer.len();
            let fits = |m: usize| (avail - H_GAP * (m as f64 - 1.0)) / m as f64 >= ROW_SPLIT_W;
            let natural_total: f64 =
                layer.iter().map(|&i| natural_width(all[i], name_px(i), tag_px(i), m)).sum::<f64>() + H_GAP * (n as f64 - 1.0);
            let k = if natural_total <= avail { 1 } else { (1..=n).find(|&k| fits(n.div_ceil(k))).unwrap_or(n) };
            let mut start = 0;
            for sub in 0..k {
                // Balanced sub-rows: the first `n % k` get one more box.
                let len = n / k + usize::from(sub < n % k);
                let row = &layer[start..start + len];
                start += len;
                let natural: Vec<f64> = row.iter().map(|&i| natural_width(all[i], name_px(i), tag_px(i), m)).collect();
                let gaps = H_GAP * (len as f64 - 1.0);
                let scale = ((avail - gaps) / natural.iter().sum::<f64>()).min(1.0);
                let widths: Vec<f64> = natural.iter().map(|w| w * scale).collect();
                let row_w: f64 = widths.iter().sum::<f64>() + gaps;
                let shift = if sub % 2 == 1 { ((row_w / len as f64) / 2.0).min((avail - row_w) / 2.0).max(0.0) } else { 0.0 };
                let mut x = (width - row_w) / 2.0 + shift;
                let mut spans = Vec::with_capacity(len);
                for (&i, w) in row.iter().zip(widths) {
                    let r = Rect { x0: x, y0: y, x1: x + w, y1: y + BOX_H };
                    let inner = w - 10.0;
                    let name = m.fit(&truncate(&all[i].name, NAME_CHARS), inner, name_px(i));
                    let variants = tags(all[i]);
                    let tag = variants
                        .iter()
                        .find(|t| m.width(t, tag_px(i)) <= inner)
                        .cloned()
                        .unwrap_or_else(|| m.fit(&variants[3], inner, tag_px(i)));
                    boxes[i] = Some(NodeBox { r, name, tag });
                    spans.push((r.x0, r.x1));
                    x += w + H_GAP;
                }
                rows.push(Row { y0: y, y1: y + BOX_H, spans });
                y += BOX_H + SUBROW_GAP;
            }
            y += layer_gap - SUBROW_GAP;
        }
        // `y` is past the last layer's gap; its boxes end one gap higher.
        Layout { boxes, rows, bottom: y - layer_gap }
    }

    fn rect(&self, i: usize) -> Rect {
        self.boxes[i].as_ref().map_or(Rect { x0: 0.0, y0: 0.0, x1: 0.0, y1: 0.0 }, |b| b.r)
    }

    /// Waypoints that take a straight edge from `top` down to `bottom` around the boxes of the rows it
    /// crosses: through the nearest gap between boxes, vertically across the row.
    fn route(&self, top: (f64, f64), bottom: (f64, f64)) -> Vec<(f64, f64)> {
        let mut path = vec![top];
        for row in self.rows.iter().filter(|r| r.y0 > top.1 + 1.0 && r.y1 < bottom.1 - 1.0) {
            let cur = path[path.len() - 1];
            let mid = (row.y0 + row.y1) / 2.0;
            let x = cur.0 + (bottom.0 - cur.0) * (mid - cur.1) / (bottom.1 - cur.1).max(1e-9);
            let Some(&(x0, x1)) = row.spans.iter().find(|(x0, x1)| x > x0 - 6.0 && x < x1 + 6.0) else {
                continue;
            };
            let (left, right) = (x0 - H_GAP / 2.0, x1 + H_GAP / 2.0);
            let gx = if (x - left).abs() <= (right - x).abs() { left } else { right };
            path.push((gx, row.y0 - 4.0));
            path.push((gx, row.y1 + 4.0));
        }
        path.push(bottom);
        path
    }
}

/// Box width a node would like: its name or tag line, whichever is wider, plus padding.
fn natural_width(n: &OwnerNode, name_px: f64, tag_px: f64, m: Metrics) -> f64 {
    let name_w = m.width(&truncate(&n.name, NAME_CHARS), name_px);
    (name_w.max(m.width(&tags(n)[0], tag_px)) + 18.0).clamp(MIN_BOX_W, MAX_BOX_W)
}

/// Tag lines from most to least verbose; the first that fits the box is used. Concern is never dropped.
fn tags(n: &OwnerNode) -> [String; 4] {
    let kind = match n.kind.as_str() {
        "state_body" => "state body",
        "company" | "person" | "vendor" => n.kind.as_str(),
        _ => "entity",
    };
    let mut flags: Vec<&str> = Vec::new();
    if n.concern {
        flags.push("concern");
    }
    if n.controller {
        flags.push("controller");
    }
    let short: Vec<&str> = flags.iter().map(|f| if *f == "controller" { "ctrl" } else { f }).collect();
    let join = |parts: &[&str]| parts.join(" · ");
    let full = join(&[&[kind][..], &flags[..]].concat());
    let no_kind = if flags.is_empty() { kind.to_owned() } else { join(&flags) };
    let shortest = if n.concern { "concern".to_owned() } else { no_kind.clone() };
    [full, no_kind, if flags.is_empty() { kind.to_owned() } else { join(&short) }, shortest]
}

/// Where each edge leaves and enters its boxes: ports spread along a box side, ordered by the other end's x.
struct Ports {
    start: Vec<(f64, f64)>,
    end: Vec<(f64, f64)>,
    bracket: Vec<Option<f64>>,
}

/// One edge end attached to a side of a box; ends are ordered along the side by where the other end is.
struct Attachment {
    other_x: f64,
    edge: usize,
    is_start: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
}

impl Ports {
    fn new(layout: &Layout, edges: &[Edge]) -> Ports {
        let mut slots: BTreeMap<(usize, Side), Vec<Attachment>> = BTreeMap::new();
        let mut bracket = vec![None; edges.len()];
        for (k, e) in edges.iter().enumerate() {
            let (ra, rb) = (layout.rect(e.a), layout.rect(e.b));
            let (sa, sb) = if ra.y1 <= rb.y0 {
                (Side::Bottom, Side::Top)
            } else if rb.y1 <= ra.y0 {
                (Side::Top, Side::Bottom)
            } else if e.tie {
                bracket[k] = Some(ra.y1.max(rb.y1) + BRACKET);
                (Side::Bottom, Side::Bottom)
            } else {
                bracket[k] = Some(ra.y0.min(rb.y0) - BRACKET);
                (Side::Top, Side::Top)
            };
            let (ca, cb) = ((ra.x0 + ra.x1) / 2.0, (rb.x0 + rb.x1) / 2.0);
            slots.entry((e.a, sa)).or_default().push(Attachment { other_x: cb, edge: k, is_start: true });
            slots.entry((e.b, sb)).or_default().push(Attachment { other_x: ca, edge: k, is_start: false });
        }
        let mut start = vec![(0.0, 0.0); edges.len()];
        let mut end = vec![(0.0, 0.0); edges.len()];
        for ((node, side), mut list) in slots {
            list.sort_by(|a, b| a.other_x.total_cmp(&b.other_x).then(a.edge.cmp(&b.edge)));
            let r = layout.rect(node);
            let m = list.len() as f64;
            for (j, Attachment { edge: k, is_start, .. }) in list.into_iter().enumerate() {
                let x = r.x0 + (r.x1 - r.x0) * (j as f64 + 1.0) / (m + 1.0);
                let y = if side == Side::Top { r.y0 } else { r.y1 };
                if is_start {
                    start[k] = (x, y);
                } else {
                    end[k] = (x, y);
                }
            }
        }
        Ports { start, end, bracket }
    }

    /// The drawn path of edge `k`, from its start (owner) to its end (owned): a bracket between boxes
    /// of one row, else a line routed around the rows in between.
    fn path(&self, layout: &Layout, k: usize) -> Vec<(f64, f64)> {
        let (a, b) = (self.start[k], self.end[k]);
        match self.bracket[k] {
            Some(y) => vec![a, (a.0, y), (b.0, y), b],
            None if a.1 <= b.1 => layout.route(a, b),
            None => {
                let mut p = layout.route(b, a);
                p.reverse();
                p
            }
        }
    }
}

fn draw_edge(c: &Canvas, all: &[&OwnerNode], root: usize, e: &Edge, path: &[(f64, f64)], theme: &Theme) {
    let ink = c.ink;
    if e.control {
        // A control tie: directed like equity, in long dashes, labelled "controls".
        let colour = arrow_colour(theme);
        c.dashed(path, colour, 2, CONTROL_DASH);
        let (tip, direction) = last_segment(path);
        arrow_head(c, tip, direction, colour);
        return;
    }
    if e.tie {
        let dash = if e.alleged { ALLEGED_DASH } else { TIE_DASH };
        c.dashed(path, ink.muted, 2, dash);
        return;
    }
    // Thicker between controllers (and into the vendor from a controller): the control path.
    let control = all[e.a].controller && (all[e.b].controller || e.b == root);
    let colour = arrow_colour(theme);
    let (q, (ux, uy)) = last_segment(path);
    // Stop the line short of the arrowhead's tip so the head stays sharp.
    let mut line = path.to_vec();
    *line.last_mut().expect("a path has two points or more") = (q.0 - ux * 6.0, q.1 - uy * 6.0);
    c.polyline(&line, colour, if control { 2 } else { 1 });
    arrow_head(c, q, (ux, uy), colour);
}

/// The ink of directed edges (equity and control ties).
fn arrow_colour(theme: &Theme) -> Rgb {
    if theme.dark { Rgb(0xC8, 0xCC, 0xD2) } else { Rgb(0x44, 0x44, 0x44) }
}

/// The end of `path` and the unit direction of its last segment.
fn last_segment(path: &[(f64, f64)]) -> ((f64, f64), (f64, f64)) {
    let n = path.len();
    let (p, q) = (path[n - 2], path[n - 1]);
    let len = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt().max(1e-9);
    (q, ((q.0 - p.0) / len, (q.1 - p.1) / len))
}

/// An arrowhead with its tip at `q`, pointing along `(ux, uy)`.
fn arrow_head(c: &Canvas, q: (f64, f64), (ux, uy): (f64, f64), colour: Rgb) {
    let (hl, hw) = (8.0, 4.0);
    let head = [q, (q.0 - ux * hl - uy * hw, q.1 - uy * hl + ux * hw), (q.0 - ux * hl + uy * hw, q.1 - uy * hl - ux * hw)];
    c.polygon(&head, colour, 1.0);
}

fn draw_node(c: &Canvas, n: &OwnerNode, is_root: bool, b: &NodeBox) {
    let ink = c.ink;
    let r = b.r;
    let outline = shape(&n.kind, r);
    let fill = if is_root { ink.background } else { ink.panel };
    c.polygon(&outline, fill, 1.0);
    let (border, width) = if n.concern {
        (ink.concern, 3)
    } else if is_root {
        (ink.text, 2)
    } else {
        (ink.axis, 1)
    };
    let mut closed = outline.clone();
    closed.push(outline[0]);
    c.polyline(&closed, border, width);
    if n.kind == "vendor" {
        c.stroke_rect(r.x0 + 3.0, r.y0 + 3.0, r.x1 - 3.0, r.y1 - 3.0, border, 1);
    }
    let cx = (r.x0 + r.x1) / 2.0;
    let mut name_font = Font::new(FONT, ink.text).centre();
    if is_root {
        name_font = name_font.bold();
    }
    c.text(&b.name, cx, r.y0 + 12.0, name_font);
    let tag_font = if n.concern { Font::new(SMALL, ink.concern).centre().bold() } else { Font::new(SMALL, ink.muted).centre() };
    c.text(&b.tag, cx, r.y0 + 26.0, tag_font);
}

/// Outline of a box by kind: the shape is a second cue for the kind named in the tag line.
fn shape(kind: &str, r: Rect) -> Vec<(f64, f64)> {
    match kind {
        "person" => {
            let rad = 10.0f64.min((r.y1 - r.y0) / 2.0);
            let mut pts = Vec::new();
            let corners = [
                (r.x1 - rad, r.y0 + rad, -90.0),
                (r.x1 - rad, r.y1 - rad, 0.0),
                (r.x0 + rad, r.y1 - rad, 90.0),
                (r.x0 + rad, r.y0 + rad, 180.0),
            ];
            for (cx, cy, start) in corners {
                for s in 0..=4 {
                    let a = (start + 22.5 * f64::from(s)).to_radians();
                    pts.push((cx + rad * a.cos(), cy + rad * a.sin()));
                }
            }
            pts
        }
        "state_body" => {
            let k = 8.0;
            vec![
                (r.x0 + k, r.y0),
                (r.x1 - k, r.y0),
                (r.x1, r.y0 + k),
                (r.x1, r.y1 - k),
                (r.x1 - k, r.y1),
                (r.x0 + k, r.y1),
                (r.x0, r.y1 - k),
                (r.x0, r.y0 + k),
            ]
        }
        _ => vec![(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1)],
    }
}

/// A band: `25–50%`.
fn range_label(low: f64, high: f64) -> String {
    format!("{}–{}", share_label(low).trim_end_matches('%'), share_label(high))
}

/// `51%`, `12.5%`, `<0.1%`.
fn share_label(s: f64) -> String {
    let p = s * 100.0;
    if p > 0.0 && p < 0.05 {
        "<0.1%".to_owned()
    } else if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A label box on the edge, tried first on its longest segment, then on the segment entering the owned
/// entity, then on the others, slid along each until it overlaps no box and no other label.
fn place_edge_label(layout: &Layout, placed: &[(Rect, String, Rgb)], path: &[(f64, f64)], text: &str, m: Metrics) -> Rect {
    let (w, h) = (m.width(text, SMALL) + 6.0, SMALL + 3.0);
    let n = path.len() - 1;
    let at = |seg: usize, t: f64| {
        let (p, q) = (path[seg], path[seg + 1]);
        let (x, y) = (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t);
        Rect { x0: x - w / 2.0, y0: y - h / 2.0, x1: x + w / 2.0, y1: y + h / 2.0 }
    };
    let o = |a: &Rect, b: &Rect, pad: f64| a.x0 < b.x1 + pad && b.x0 - pad < a.x1 && a.y0 < b.y1 + pad && b.y0 - pad < a.y1;
    let hits = |r: &Rect| layout.boxes.iter().flatten().any(|b| o(r, &b.r, 3.0)) || placed.iter().any(|(l, _, _)| o(r, l, 1.0));
    let len = |k: usize| (path[k + 1].0 - path[k].0).hypot(path[k + 1].1 - path[k].1);
    let longest = (0..n).max_by(|&i, &j| len(i).total_cmp(&len(j)).then(j.cmp(&i))).unwrap_or(n - 1);
    let segments = [longest, n - 1].into_iter().chain((0..n).filter(move |&k| k != longest && k != n - 1));
    segments
        .flat_map(|seg| [0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85].into_iter().map(move |t| (seg, t)))
        .map(|(seg, t)| at(seg, t))
        .find(|r| !hits(r))
        .unwrap_or_else(|| at(n - 1, 0.5))
}

/// The legend; the control-tie item only when the diagram has one.
fn legend_items(theme: &Theme, control: bool) -> Vec<LegendItem> {
    let ink = theme.ink();
    let line = arrow_colour(theme);
    vec![
        LegendItem { swatch: Swatch::Line { colour: line, dash: None, marker: None, width: 1 }, label: "owns (share)".to_owned() },
        LegendItem { swatch: Swatch::Line { colour: line, dash: None, marker: None, width: 2 }, label: "control path".to_owned() },
        LegendItem { swatch: Swatch::Line { colour: ink.muted, dash: Some(TIE_DASH), marker: None, width: 2 }, label: "tie".to_owned() },
        LegendItem {
            swatch: Swatch::Line { colour: ink.muted, dash: Some(ALLEGED_DASH), marker: None, width: 2 },
            label: "alleged tie".to_owned(),
        },
        LegendItem {
            swatch: Swatch::Line { colour: line, dash: Some(CONTROL_DASH), marker: None, width: 2 },
            label: "controls (control tie)".to_owned(),
        },
        LegendItem { swatch: Swatch::Outline { colour: ink.concern, width: 3 }, label: "concern".to_owned() },
    ]
    .into_iter()
    .filter(|item| control || item.label != "controls (control tie)")
    .collect()
}

#[cfg(test)]
mod tests {
    use super::super::data::{OwnerEdge, OwnershipGraph};
    use super::super::tests::{assert_svg, node, owns, text_y, texts};
    use super::super::theme::Theme;
    use super::{Edge, OWNERSHIP_MAX_NODES, assign_layers, barycentre, ownership};

    fn tie(a: &str, b: &str, alleged: bool) -> OwnerEdge {
        OwnerEdge { from: a.to_owned(), to: b.to_owned(), share: None, tie: true, alleged, range: None, control: false }
    }

    fn graph(nodes: &[(&str, &str, bool)], edges: Vec<OwnerEdge>) -> OwnershipGraph {
        OwnershipGraph { nodes: nodes.iter().map(|(id, kind, concern)| node(id, kind, *concern)).collect(), edges, root: "v".to_owned() }
    }

    #[test]
    fn the_vendor_is_at_the_bottom_and_ultimate_owners_at_the_top() {
        let g = graph(
            &[("v", "vendor", false), ("h", "company", false), ("s", "state_body", true)],
            vec![owns("h", "v", 0.51), owns("s", "h", 1.0)],
        );
        let svg = ownership(&g, &Theme::print());
        assert_svg(&svg, "chain");
        let y = |id: &str| text_y(&svg, &format!("Entity {id}")).expect("every entity drawn");
        assert!(y("s") < y("h") && y("h") < y("v"), "owners above what they own: s={} h={} v={}", y("s"), y("h"), y("v"));
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "51%") && labels.iter().any(|t| t == "100%"), "shares as percentages");
        assert!(labels.iter().any(|t| t.contains("concern")), "concern entity tagged in words");
    }

    #[test]
    fn layers_follow_the_longest_equity_path_and_cycles_are_broken() {
        // v ← a ← b, and also v ← b: b sits above a (longest path), and b → a → b ... closes a cycle via a → b.
        let e = |a, b| Edge { a, b, share: Some(0.3), tie: false, alleged: false, range: None, control: false };
        let edges = [e(1, 0), e(2, 1), e(2, 0), e(1, 2)];
        let layer = assign_layers(3, 0, &edges);
        assert_eq!(layer[0], 0, "vendor at layer 0");
        assert!(layer[1] >= 1 && layer[2] >= 1 && layer[1] != layer[2], "cycle members on distinct layers: {layer:?}");
        let chain = [e(1, 0), e(2, 1), e(2, 0)];
        assert_eq!(assign_layers(3, 0, &chain), vec![0, 1, 2], "longest path wins over the direct edge");
    }

    #[test]
    fn unreached_entities_are_placed_beside_their_neighbours() {
        let t = Edge { a: 0, b: 1, share: None, tie: true, alleged: false, range: None, control: false };
        let sibling = Edge { a: 2, b: 3, share: Some(0.5), tie: false, alleged: false, range: None, control: false };
        let owner = Edge { a: 2, b: 0, share: Some(0.5), tie: false, alleged: false, range: None, control: false };
        let layer = assign_layers(5, 0, &[t, sibling, owner]);
        assert_eq!(layer[1], 0, "tied entity beside the vendor");
        assert_eq!(layer[3], 0, "a sibling owned by the vendor's owner one layer below it");
        assert_eq!(layer[4], 2, "an unconnected entity on a top layer of its own");
    }

    #[test]
    fn barycentre_sweeps_uncross_two_layers() {
        // Layer 1: [a=1, b=2]; layer 2: [x=3, y=4] with x owning b and y owning a: drawn as given they cross.
        let e = |a, b| Edge { a, b, share: Some(0.5), tie: false, alleged: false, range: None, control: false };
        let edges = [e(1, 0), e(2, 0), e(3, 2), e(4, 1)];
        let level_of = [0, 1, 1, 2, 2];
        let mut layers = vec![vec![0], vec![1, 2], vec![3, 4]];
        barycentre(&mut layers, &level_of, &edges, 5);
        let pos = |layer: &[usize], v| layer.iter().position(|&u| u == v).unwrap();
        let crossing = (pos(&layers[1], 1) < pos(&layers[1], 2)) != (pos(&layers[2], 4) < pos(&layers[2], 3));
        assert!(!crossing, "no crossing after the sweeps: {layers:?}");
    }

    #[test]
    fn ties_are_dashed_and_alleged_ties_labelled() {
        let g = graph(
            &[("v", "vendor", false), ("a", "person", true), ("b", "company", false)],
            vec![tie("v", "a", true), tie("v", "b", false)],
        );
        let svg = ownership(&g, &Theme::print());
        assert_svg(&svg, "ties");
        assert_eq!(texts(&svg).iter().filter(|t| *t == "alleged").count(), 1, "one alleged label");
        assert!(svg.matches("<polyline").count() > 20, "dashes are drawn as many short segments");
    }

    #[test]
    fn a_controller_by_a_control_tie_sits_above_what_it_controls() {
        let control = Edge { a: 1, b: 0, share: None, tie: true, alleged: false, range: None, control: true };
        let tie = Edge { a: 2, b: 0, share: None, tie: true, alleged: false, range: None, control: false };
        let layer = assign_layers(3, 0, &[control, tie]);
        assert_eq!(layer, [0, 1, 0], "the controller above the vendor, a plain tie beside it");
    }

    #[test]
    fn a_range_is_labelled_as_its_band_and_a_control_tie_as_control() {
        let mut band = OwnerEdge {
            from: "h".into(),
            to: "v".into(),
            share: Some(0.375),
            tie: false,
            alleged: false,
            range: Some((0.25, 0.5)),
            control: false,
        };
        let exact = OwnerEdge { from: "k".into(), to: "h".into(), share: Some(0.6), range: None, ..band.clone() };
        let control = OwnerEdge { from: "c".into(), to: "v".into(), share: None, tie: true, alleged: false, range: None, control: true };
        let g = graph(
            &[("v", "vendor", false), ("h", "company", false), ("k", "company", true), ("c", "company", false)],
            vec![band.clone(), exact, control],
        );
        let svg = ownership(&g, &Theme::print());
        assert_svg(&svg, "range and control");
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "25–50%"), "the band, not the point counted: {labels:?}");
        assert!(labels.iter().any(|t| t == "60%"), "an exact share as before");
        assert!(labels.iter().any(|t| t == "controls"), "a control tie says so");
        assert!(labels.iter().any(|t| t == "controls (control tie)"), "and the legend explains it");
        band.range = None;
        let plain = ownership(&graph(&[("v", "vendor", false), ("h", "company", false)], vec![band]), &Theme::print());
        assert!(texts(&plain).iter().any(|t| t == "37.5%"), "without a range the share is the label");
    }

    #[test]
    fn duplicate_edges_add_up_and_bad_edges_are_skipped() {
        let g = graph(
            &[("v", "vendor", false), ("o", "company", false)],
            vec![owns("o", "v", 0.3), owns("o", "v", 0.2), owns("v", "v", 1.0), owns("ghost", "v", 0.4), owns("o", "nobody", 0.1)],
        );
        let svg = ownership(&g, &Theme::print());
        assert_svg(&svg, "duplicates");
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "50%"), "0.3 + 0.2 drawn as one 50% edge: {labels:?}");
        assert!(!labels.iter().any(|t| t == "40%" || t == "10%"), "edges to unknown entities skipped");
    }

    #[test]
    fn a_missing_root_falls_back_to_the_vendor_node() {
        let mut g = graph(&[("o", "company", false), ("v", "vendor", false)], vec![owns("o", "v", 0.6)]);
        g.root = "nope".to_owned();
        let svg = ownership(&g, &Theme::print());
        let y = |id: &str| text_y(&svg, &format!("Entity {id}")).expect("drawn");
        assert!(y("o") < y("v"), "the vendor node is the root");
    }

    #[test]
    fn a_huge_graph_keeps_the_entities_nearest_the_vendor_and_says_how_many_are_hidden() {
        let n = 200;
        let mut nodes: Vec<(String, &str, bool)> = vec![("v".to_owned(), "vendor", false)];
        let mut edges = Vec::new();
        for i in 1..n {
            nodes.push((format!("n{i}"), "company", i % 7 == 0));
            edges.push(owns(&format!("n{i}"), if i < 20 { "v" } else { "n1" }, 0.005));
            edges.push(owns(&format!("n{i}"), &format!("n{}", (i * 7) % n), 0.01));
        }
        let g = OwnershipGraph { nodes: nodes.iter().map(|(id, kind, c)| node(id, kind, *c)).collect(), edges, root: "v".to_owned() };
        let svg = ownership(&g, &Theme::print());
        assert_svg(&svg, "200 entities");
        let hidden = n - OWNERSHIP_MAX_NODES;
        assert!(texts(&svg).iter().any(|t| *t == format!("… and {hidden} more entities not shown")), "note about hidden entities");
    }
}
