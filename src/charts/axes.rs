//! Axes shared by the cartesian charts: a value axis with gridlines and a category (year) axis.

use super::draw::{Canvas, Font, Rect, SMALL};
use super::scale::{Linear, nice_ticks};
use super::text::Metrics;

/// Ticks of a value axis from 0 (or `lo`) to `hi`, formatted, with the width their labels need.
pub(super) struct ValueAxis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
    pub label_width: f64,
}

impl ValueAxis {
    pub fn new(lo: f64, hi: f64, target: usize, m: Metrics, fmt: impl Fn(f64, f64) -> String) -> ValueAxis {
        let (lo, hi, step, ticks) = nice_ticks(lo, hi, target);
        let ticks: Vec<(f64, String)> = ticks.into_iter().map(|t| (t, fmt(t, step))).collect();
        let label_width = ticks.iter().map(|(_, l)| m.width(l, SMALL)).fold(0.0, f64::max);
        ValueAxis { lo, hi, ticks, label_width }
    }

    /// Draws horizontal gridlines and left tick labels over `plot`; returns the vertical map.
    pub fn draw_left(&self, c: &Canvas, plot: Rect, title: &str) -> Linear {
        let ink = c.ink;
        let y = Linear::new(self.lo, self.hi, plot.y1, plot.y0);
        for (t, label) in &self.ticks {
            let py = y.map(*t);
            c.line((plot.x0, py), (plot.x1, py), ink.grid, 1);
            c.text(label, plot.x0 - 6.0, py, Font::new(SMALL, ink.muted).right());
        }
        c.line((plot.x0, plot.y1), (plot.x1, plot.y1), ink.axis, 1);
        let tx = plot.x0 - 6.0 - self.label_width - 8.0;
        c.text(title, tx, (plot.y0 + plot.y1) / 2.0, Font::new(SMALL, ink.muted).centre().vertical());
        y
    }

    /// Left margin needed: title, labels and gaps.
    pub fn margin(&self) -> f64 {
        8.0 + 14.0 + self.label_width + 6.0
    }
}

/// Labels for equally wide category bands (years) under a plot, thinning them when they would collide.
pub(super) fn category_labels(c: &Canvas, plot: Rect, labels: &[String]) {
    if labels.is_empty() {
        return;
    }
    let band = (plot.x1 - plot.x0) / labels.len() as f64;
    let widest = labels.iter().map(|l| c.m.width(l, SMALL)).fold(0.0, f64::max) + 6.0;
    let every = ((widest / band).ceil() as usize).max(1);
    let ink = c.ink;
    for (i, label) in labels.iter().enumerate() {
        // Thin from the end so the latest category is always labelled.
        if (labels.len() - 1 - i).is_multiple_of(every) {
            let cx = plot.x0 + band * (i as f64 + 0.5);
            c.line((cx, plot.y1), (cx, plot.y1 + 3.0), ink.axis, 1);
            c.text(label, cx, plot.y1 + 5.0, Font::new(SMALL, ink.muted).centre().top());
        }
    }
}
