//! A thin drawing layer over plotters' SVG backend: f64 pixel coordinates in, plotters elements out.
//!
//! Every chart draws through [`Canvas`], which is where coordinates are made safe (non-finite values
//! replaced, magnitudes clamped) before they become plotters' i32 backend coordinates, so no NaN and no
//! overflow ever reaches plotters. Text goes through plotters too, which escapes `< > & " '` itself
//! (checked by a test), so labels are passed raw.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::{Circle, DrawingArea, IntoDrawingArea, PathElement, Polygon, Rectangle, SVGBackend, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};

use super::palette::Rgb;
use super::text::{Metrics, xml_safe};
use super::theme::{Ink, Theme};

/// Body text: axis labels, names. 12 units at 680 wide ≈ 8.5 pt on a 170 mm figure.
pub(super) const FONT: f64 = 12.0;
/// Ticks, legends, notes: the smallest size used anywhere.
pub(super) const SMALL: f64 = 11.0;
/// Tallest SVG a chart may ask for, so a huge input cannot produce an absurd canvas.
const MAX_HEIGHT: f64 = 4000.0;
/// Shortest SVG a self-sizing chart may produce.
const MIN_HEIGHT: f64 = 120.0;
/// plotters' SVG backend writes `font-size = size / 1.24`; sizes here are the sizes that end up in the SVG.
const SVG_FONT_SCALE: f64 = 1.24;

/// Marker shapes: with colour, they tell series apart (vendors, stances) for readers who cannot see hue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Circle,
    Square,
    TriangleUp,
    TriangleDown,
    Diamond,
}

/// A text style: size in SVG units, colour, anchor, weight and rotation.
#[derive(Clone, Copy)]
pub(super) struct Font {
    pub size: f64,
    pub colour: Rgb,
    pub h: HPos,
    pub v: VPos,
    pub bold: bool,
    pub rotate: bool,
}

impl Font {
    /// Left-aligned, vertically centred on `y`.
    pub fn new(size: f64, colour: Rgb) -> Font {
        Font { size, colour, h: HPos::Left, v: VPos::Center, bold: false, rotate: false }
    }
    pub fn right(self) -> Font {
        Font { h: HPos::Right, ..self }
    }
    pub fn centre(self) -> Font {
        Font { h: HPos::Center, ..self }
    }
    pub fn top(self) -> Font {
        Font { v: VPos::Top, ..self }
    }
    pub fn bottom(self) -> Font {
        Font { v: VPos::Bottom, ..self }
    }
    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
    /// Rotated 270° (reads bottom to top), for y-axis titles.
    pub fn vertical(self) -> Font {
        Font { rotate: true, ..self }
    }
}

/// What a legend entry shows before its label.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    /// A filled square, optionally hatched (concern).
    Fill { colour: Rgb, hatch: bool },
    /// A line sample with an optional dash `(on, off)` and marker.
    Line { colour: Rgb, dash: Option<(f64, f64)>, marker: Option<Marker>, width: u32 },
    /// A marker alone.
    Point { shape: Marker, colour: Rgb },
    /// A small box outline of the given width (node borders in the ownership diagram).
    Outline { colour: Rgb, width: u32 },
    /// A filled square with an outline of the same colour and a light fill (tornado: weight lowered).
    Hollow(Rgb),
    /// A letter badge (the ranking's prohibited "P").
    Badge { letter: &'static str, colour: Rgb },
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(super) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

/// Axis-aligned rectangle in pixel coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// The drawing surface of one chart.
pub(super) struct Canvas<'b> {
    area: DrawingArea<SVGBackend<'b>, Shift>,
    family: String,
    pub ink: Ink,
    /// Text measurement for the theme's font.
    pub m: Metrics,
    pub w: f64,
    pub h: f64,
}

/// Draws one chart into an SVG string of the theme's width and height, or of `content_height` for charts
/// that size themselves to their rows. The string backend cannot fail, so drawing results are not propagated.
pub(super) fn render(theme: &Theme, content_height: Option<f64>, draw: impl FnOnce(&mut Canvas)) -> String {
    let w = theme.safe_width();
    let h = match content_height {
        Some(h) => finite_or_zero(h).clamp(MIN_HEIGHT, MAX_HEIGHT).round() as u32,
        None => theme.safe_height(),
    };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        let family = xml_safe(&theme.font_family);
        let mut canvas = Canvas { area, family, ink: theme.ink(), m: theme.metrics(), w: f64::from(w), h: f64::from(h) };
        canvas.fill_rect(0.0, 0.0, canvas.w, canvas.h, canvas.ink.background, 1.0);
        draw(&mut canvas);
        let _ = canvas.area.present();
    }
    out
}

/// The empty state: a framed "No data" with one line saying what is missing. Never a panic, never a blank.
pub(super) fn no_data(theme: &Theme, detail: &str) -> String {
    render(theme, None, |c| {
        let ink = c.ink;
        c.stroke_rect(8.0, 8.0, c.w - 8.0, c.h - 8.0, ink.grid, 1);
        c.text("No data", c.w / 2.0, c.h / 2.0 - 10.0, Font::new(14.0, ink.muted).centre().bold());
        c.text(detail, c.w / 2.0, c.h / 2.0 + 12.0, Font::new(FONT, ink.muted).centre());
    })
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// f64 pixel → backend i32: non-finite becomes 0 and magnitudes are bounded well inside i32, so plotters'
/// own arithmetic on coordinates (widths, dash steps) cannot overflow.
fn px(v: f64) -> i32 {
    finite_or_zero(v).clamp(-20_000.0, 20_000.0).round() as i32
}

fn pt((x, y): (f64, f64)) -> (i32, i32) {
    (px(x), px(y))
}

fn colour(c: Rgb, alpha: f64) -> RGBAColor {
    RGBAColor(c.0, c.1, c.2, finite_or_zero(alpha).clamp(0.0, 1.0))
}

fn style(c: Rgb, alpha: f64, filled: bool, width: u32) -> ShapeStyle {
    ShapeStyle { color: colour(c, alpha), filled, stroke_width: width }
}

impl Canvas<'_> {
    pub fn fill_rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: Rgb, alpha: f64) {
        let _ = self.area.draw(&Rectangle::new([pt((x0, y0)), pt((x1, y1))], style(c, alpha, true, 0)));
    }

    /// An outline; widths above 1 are drawn as a closed polyline because the SVG backend ignores the
    /// stroke width of unfilled rectangles.
    pub fn stroke_rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: Rgb, width: u32) {
        if width <= 1 {
            let _ = self.area.draw(&Rectangle::new([pt((x0, y0)), pt((x1, y1))], style(c, 1.0, false, 1)));
        } else {
            self.polyline(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], c, width);
        }
    }

    pub fn polyline(&self, points: &[(f64, f64)], c: Rgb, width: u32) {
        let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
        let _ = self.area.draw(&PathElement::new(pts, style(c, 1.0, false, width)));
    }

    pub fn line(&self, a: (f64, f64), b: (f64, f64), c: Rgb, width: u32) {
        self.polyline(&[a, b], c, width);
    }

    /// A dashed polyline, `dash = (on, off)` in pixels.
    pub fn dashed(&self, points: &[(f64, f64)], c: Rgb, width: u32, dash: (f64, f64)) {
        let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
        let (on, off) = (finite_or_zero(dash.0).clamp(1.0, 100.0), finite_or_zero(dash.1).clamp(1.0, 100.0));
        let _ = self.area.draw(&DashedPathElement::new(pts, on, off, style(c, 1.0, false, width)));
    }

    pub fn polygon(&self, points: &[(f64, f64)], c: Rgb, alpha: f64) {
        let pts: Vec<(i32, i32)> = points.iter().copied().map(pt).collect();
        let _ = self.area.draw(&Polygon::new(pts, style(c, alpha, true, 0)));
    }

    pub fn circle(&self, x: f64, y: f64, r: f64, c: Rgb, filled: bool, width: u32) {
        let r = finite_or_zero(r).clamp(0.0, 1000.0).round() as i32;
        let _ = self.area.draw(&Circle::new(pt((x, y)), r, style(c, 1.0, filled, width)));
    }

    /// A marker of radius `r` filled with `fill`, outlined with `outline` (for separation from what is behind).
    pub fn marker(&self, shape: Marker, x: f64, y: f64, r: f64, fill: Rgb, outline: Option<Rgb>) {
        let pts: Vec<(f64, f64)> = match shape {
            Marker::Circle => {
                self.circle(x, y, r, fill, true, 0);
                if let Some(o) = outline {
                    self.circle(x, y, r, o, false, 1);
                }
                return;
            }
            Marker::Square => {
                let s = r * 0.85;
                vec![(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
            }
            Marker::TriangleUp => vec![(x, y - r * 1.15), (x + r * 1.05, y + r * 0.75), (x - r * 1.05, y + r * 0.75)],
            Marker::TriangleDown => vec![(x, y + r * 1.15), (x + r * 1.05, y - r * 0.75), (x - r * 1.05, y - r * 0.75)],
            Marker::Diamond => vec![(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)],
        };
        self.polygon(&pts, fill, 1.0);
        if let Some(o) = outline {
            let mut closed = pts.clone();
            closed.push(pts[0]);
            self.polyline(&closed, o, 1);
        }
    }

    /// Diagonal hatching (bottom-left to top-right) clipped to a rectangle: the non-colour cue for concern.
    pub fn hatch(&self, r: Rect, c: Rgb, spacing: f64, width: u32) {
        let spacing = finite_or_zero(spacing).max(2.0);
        let (x0, y0, x1, y1) = (r.x0.min(r.x1), r.y0.min(r.y1), r.x0.max(r.x1), r.y0.max(r.y1));
        if x1 - x0 < 2.0 || y1 - y0 < 2.0 {
            return;
        }
        // Lines x + y = k for k spaced along the rectangle's diagonal extent.
        let mut k = x0 + y0 + spacing / 2.0;
        let mut n = 0;
        while k < x1 + y1 && n < 2000 {
            let xa = x0.max(k - y1);
            let xb = x1.min(k - y0);
            if xb - xa > 0.5 {
                self.line((xa, k - xa), (xb, k - xb), c, width);
            }
            k += spacing;
            n += 1;
        }
    }

    pub fn text(&self, s: &str, x: f64, y: f64, f: Font) {
        if s.is_empty() {
            return;
        }
        let weight = if f.bold { FontStyle::Bold } else { FontStyle::Normal };
        let mut desc = FontDesc::new(FontFamily::Name(&self.family), finite_or_zero(f.size).clamp(4.0, 72.0) * SVG_FONT_SCALE, weight);
        if f.rotate {
            desc = desc.transform(FontTransform::Rotate270);
        }
        let text_style = desc.color(&colour(f.colour, 1.0)).pos(Pos::new(f.h, f.v));
        let _ = self.area.draw(&Text::new(s, pt((x, y)), text_style));
    }

    /// A legend laid out in rows that wrap at `max_w`, starting at (`x`, `y`) = top-left. Returns its height.
    pub fn legend(&self, items: &[LegendItem], x: f64, y: f64, max_w: f64) -> f64 {
        let rows = legend_rows(items, max_w, self.m);
        for (r, row) in rows.iter().enumerate() {
            let cy = y + LEGEND_ROW * r as f64 + LEGEND_ROW / 2.0;
            let mut cx = x;
            for &i in row {
                cx += self.legend_item(&items[i], cx, cy) + LEGEND_GAP;
            }
        }
        LEGEND_ROW * rows.len() as f64
    }

    /// A legend with one entry per row (for a side column). Returns its height.
    pub fn legend_column(&self, items: &[LegendItem], x: f64, y: f64) -> f64 {
        for (r, item) in items.iter().enumerate() {
            self.legend_item(item, x, y + LEGEND_ROW * r as f64 + LEGEND_ROW / 2.0);
        }
        LEGEND_ROW * items.len() as f64
    }

    /// Draws one entry with its swatch left edge at `x`, centred on `cy`; returns its width.
    fn legend_item(&self, item: &LegendItem, x: f64, cy: f64) -> f64 {
        let ink = self.ink;
        let sw = swatch_width(&item.swatch);
        match item.swatch {
            Swatch::Fill { colour, hatch } => {
                let r = Rect { x0: x, y0: cy - 6.0, x1: x + 12.0, y1: cy + 6.0 };
                self.fill_rect(r.x0, r.y0, r.x1, r.y1, colour, 1.0);
                if hatch {
                    self.hatch(r, ink.background, 4.0, 1);
                }
            }
            Swatch::Hollow(colour) => {
                self.fill_rect(x, cy - 6.0, x + 12.0, cy + 6.0, colour, 0.25);
                self.stroke_rect(x, cy - 6.0, x + 12.0, cy + 6.0, colour, 1);
            }
            Swatch::Line { colour, dash, marker, width } => {
                match dash {
                    Some(d) => self.dashed(&[(x, cy), (x + sw, cy)], colour, width, d),
                    None => self.line((x, cy), (x + sw, cy), colour, width),
                }
                if let Some(m) = marker {
                    self.marker(m, x + sw / 2.0, cy, 3.5, colour, None);
                }
            }
            Swatch::Point { shape, colour } => self.marker(shape, x + sw / 2.0, cy, 4.5, colour, None),
            Swatch::Outline { colour, width } => {
                self.fill_rect(x, cy - 6.0, x + sw, cy + 6.0, ink.panel, 1.0);
                self.stroke_rect(x, cy - 6.0, x + sw, cy + 6.0, colour, width);
            }
            Swatch::Badge { letter, colour } => self.badge(letter, x + sw / 2.0, cy, colour),
        }
        self.text(&item.label, x + sw + 5.0, cy, Font::new(SMALL, ink.text));
        sw + 5.0 + self.m.width(&item.label, SMALL)
    }

    /// A small filled box with a white bold letter, centred on (`x`, `y`).
    pub fn badge(&self, letter: &str, x: f64, y: f64, c: Rgb) {
        self.fill_rect(x - 6.0, y - 6.5, x + 6.0, y + 6.5, c, 1.0);
        self.text(letter, x, y + 0.5, Font::new(SMALL, Rgb(0xFF, 0xFF, 0xFF)).centre().bold());
    }
}

const LEGEND_ROW: f64 = 18.0;
const LEGEND_GAP: f64 = 16.0;

fn swatch_width(s: &Swatch) -> f64 {
    match s {
        Swatch::Line { .. } => 26.0,
        Swatch::Outline { .. } => 18.0,
        _ => 12.0,
    }
}

/// Which items go on which legend row, wrapping at `max_w`.
fn legend_rows(items: &[LegendItem], max_w: f64, m: Metrics) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = f64::INFINITY;
    for (i, item) in items.iter().enumerate() {
        let w = swatch_width(&item.swatch) + 5.0 + m.width(&item.label, SMALL);
        if used + LEGEND_GAP + w > max_w || rows.is_empty() {
            rows.push(vec![i]);
            used = w;
        } else if let Some(row) = rows.last_mut() {
            row.push(i);
            used += LEGEND_GAP + w;
        }
    }
    rows
}

/// Height a wrapped legend will take, to reserve room before drawing.
pub(super) fn legend_height(items: &[LegendItem], max_w: f64, m: Metrics) -> f64 {
    LEGEND_ROW * legend_rows(items, max_w, m).len() as f64
}

/// Width of a legend column (widest entry).
pub(super) fn legend_column_width(items: &[LegendItem], m: Metrics) -> f64 {
    items.iter().map(|i| swatch_width(&i.swatch) + 5.0 + m.width(&i.label, SMALL)).fold(0.0, f64::max)
}

/// Height of a legend column.
pub(super) fn legend_column_height(items: &[LegendItem]) -> f64 {
    LEGEND_ROW * items.len() as f64
}
