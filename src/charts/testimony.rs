//! Testimony timeline: graded statements over time, severity 0–3, stance by colour AND marker shape.

use super::data::TestimonyPoint;
use super::draw::{Canvas, Font, LegendItem, Marker, Rect, SMALL, Swatch, legend_height, no_data, render};
use super::palette::Rgb;
use super::scale::{Linear, date_ticks, day_number};
use super::text::truncate;
use super::theme::Theme;

const MARKER_R: f64 = 5.0;
/// Labels carry the speaker too while there are this few points; beyond, the grade alone.
const SPEAKER_LABELS_UP_TO: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stance {
    Concern,
    Neutral,
    Exculpatory,
}

impl Stance {
    /// Unknown stances are drawn as neutral: they add nothing to the testimony factor.
    fn parse(s: &str) -> Stance {
        match s.trim().to_ascii_lowercase().as_str() {
            "concern" => Stance::Concern,
            "exculpatory" => Stance::Exculpatory,
            _ => Stance::Neutral,
        }
    }
    fn marker(self) -> Marker {
        match self {
            Stance::Concern => Marker::TriangleUp,
            Stance::Neutral => Marker::Circle,
            Stance::Exculpatory => Marker::Square,
        }
    }
    fn colour(self, theme: &Theme) -> Rgb {
        match (self, theme.dark) {
            (Stance::Concern, _) => theme.ink().concern,
            (Stance::Neutral, false) => Rgb(0x73, 0x73, 0x73),
            (Stance::Neutral, true) => Rgb(0xB0, 0xB0, 0xB0),
            (Stance::Exculpatory, false) => Rgb(0x21, 0x66, 0xAC),
            (Stance::Exculpatory, true) => Rgb(0x67, 0xA9, 0xCF),
        }
    }
}

/// Statements on a time axis (x = date, y = severity 0–3, clamped), marker colour and shape by stance
/// (concern ▲, neutral ●, exculpatory ■), each labelled with its Admiralty grade (and the speaker when
/// there are few). Coincident points are nudged apart; labels are placed to avoid each other.
pub fn testimony_timeline(points: &[TestimonyPoint], theme: &Theme) -> String {
    if points.is_empty() {
        return no_data(theme, "No testimony about this vendor or its controllers.");
    }
    let legend: Vec<LegendItem> = [(Stance::Concern, "concern"), (Stance::Neutral, "neutral"), (Stance::Exculpatory, "exculpatory")]
        .into_iter()
        .map(|(s, l)| LegendItem { swatch: Swatch::Point { shape: s.marker(), colour: s.colour(theme) }, label: l.to_owned() })
        .collect();
    let days: Vec<f64> = points.iter().map(|p| day_number(p.date)).collect();
    let (lo, hi) = days.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), d| (a.min(*d), b.max(*d)));
    let pad = ((hi - lo) * 0.06).max(45.0);
    let (lo, hi) = (lo - pad, hi + pad);
    let with_speaker = points.len() <= SPEAKER_LABELS_UP_TO;

    render(theme, None, |c| {
        let ink = c.ink;
        let legend_h = legend_height(&legend, c.w - 16.0, c.m);
        let plot = Rect { x0: 58.0, y0: 12.0 + legend_h + 8.0, x1: c.w - 16.0, y1: c.h - 30.0 };
        c.legend(&legend, plot.x0, 10.0, c.w - plot.x0 - 8.0);
        let x = Linear::new(lo, hi, plot.x0, plot.x1);
        let y = Linear::new(-0.5, 3.5, plot.y1, plot.y0);
        for s in 0..=3 {
            let py = y.map(f64::from(s));
            c.line((plot.x0, py), (plot.x1, py), ink.grid, 1);
            c.text(&s.to_string(), plot.x0 - 8.0, py, Font::new(SMALL, ink.muted).right());
        }
        c.text("Severity", 18.0, (plot.y0 + plot.y1) / 2.0, Font::new(SMALL, ink.muted).centre().vertical());
        c.stroke_rect(plot.x0, plot.y0, plot.x1, plot.y1, ink.axis, 1);
        let target = ((plot.x1 - plot.x0) / 90.0).floor().max(2.0) as usize;
        for (d, label) in date_ticks(lo, hi, target) {
            let px = x.map(d);
            c.line((px, plot.y1), (px, plot.y1 + 4.0), ink.axis, 1);
            c.text(&label, px, plot.y1 + 6.0, Font::new(SMALL, ink.muted).centre().top());
        }

        let placed = place_markers(points, &days, &x, &y, plot);
        // Markers first, so every label can avoid every marker.
        for &(i, mx, my) in &placed {
            let stance = Stance::parse(&points[i].stance);
            c.marker(stance.marker(), mx, my, MARKER_R, stance.colour(theme), Some(ink.background));
        }
        let mut taken: Vec<Rect> = placed.iter().map(|&(_, mx, my)| square(mx, my, MARKER_R + 1.0)).collect();
        for &(i, mx, my) in &placed {
            let p = &points[i];
            let grade = truncate(&p.grade, 4);
            let full =
                if with_speaker && !p.label.trim().is_empty() { format!("{grade} {}", truncate(&p.label, 14)) } else { grade.clone() };
            place_label(c, &mut taken, plot, &full, &grade, mx, my);
        }
    })
}

/// Marker positions `(index, x, y)`: points that would overlap on the same severity line are nudged right.
fn place_markers(points: &[TestimonyPoint], days: &[f64], x: &Linear, y: &Linear, plot: Rect) -> Vec<(usize, f64, f64)> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].severity.cmp(&points[b].severity).then(days[a].total_cmp(&days[b])).then(a.cmp(&b)));
    let mut out = Vec::with_capacity(points.len());
    let mut last: Option<(i64, f64)> = None;
    for i in order {
        let sev = points[i].severity.clamp(0, 3);
        let mut mx = x.map(days[i]);
        if let Some((s, lx)) = last
            && s == sev
            && mx < lx + 2.0 * MARKER_R + 2.0
        {
            mx = lx + 2.0 * MARKER_R + 2.0;
        }
        last = Some((sev, mx));
        out.push((i, mx.min(plot.x1 - MARKER_R), y.map(sev as f64)));
    }
    out
}

fn square(x: f64, y: f64, r: f64) -> Rect {
    Rect { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

/// Tries right, left, above and below the marker with the full label, then with the grade alone;
/// falls back to the grade on the right. Placed boxes are remembered in `taken`.
fn place_label(c: &Canvas, taken: &mut Vec<Rect>, plot: Rect, full: &str, grade: &str, mx: f64, my: f64) {
    let h = SMALL + 2.0;
    for text in [full, grade] {
        let w = c.m.width(text, SMALL);
        let gap = MARKER_R + 3.0;
        let candidates = [
            (Rect { x0: mx + gap, y0: my - h / 2.0, x1: mx + gap + w, y1: my + h / 2.0 }, mx + gap, my, 'l'),
            (Rect { x0: mx - gap - w, y0: my - h / 2.0, x1: mx - gap, y1: my + h / 2.0 }, mx - gap, my, 'r'),
            (Rect { x0: mx - w / 2.0, y0: my - gap - h, x1: mx + w / 2.0, y1: my - gap }, mx, my - gap - h / 2.0, 'c'),
            (Rect { x0: mx - w / 2.0, y0: my + gap, x1: mx + w / 2.0, y1: my + gap + h }, mx, my + gap + h / 2.0, 'c'),
        ];
        for (r, tx, ty, anchor) in candidates {
            let inside = r.x0 >= plot.x0 + 2.0 && r.x1 <= plot.x1 - 2.0 && r.y0 >= plot.y0 + 1.0 && r.y1 <= plot.y1 - 1.0;
            if inside && !taken.iter().any(|t| overlaps(t, &r)) {
                draw_label(c, text, tx, ty, anchor);
                taken.push(r);
                return;
            }
        }
    }
    let anchor = if mx + MARKER_R + 3.0 + c.m.width(grade, SMALL) <= plot.x1 { 'l' } else { 'r' };
    let tx = if anchor == 'l' { mx + MARKER_R + 3.0 } else { mx - MARKER_R - 3.0 };
    draw_label(c, grade, tx, my, anchor);
}

fn draw_label(c: &Canvas, text: &str, x: f64, y: f64, anchor: char) {
    let f = Font::new(SMALL, c.ink.text);
    let f = match anchor {
        'r' => f.right(),
        'c' => f.centre(),
        _ => f,
    };
    c.text(text, x, y, f);
}

#[cfg(test)]
mod tests {
    use super::super::data::TestimonyPoint;
    use super::super::tests::{assert_svg, count, note, texts};
    use super::super::theme::Theme;
    use super::{Stance, testimony_timeline};

    #[test]
    fn stance_is_shown_by_shape_as_well_as_colour() {
        let m = [Stance::Concern.marker(), Stance::Neutral.marker(), Stance::Exculpatory.marker()];
        assert!(m[0] != m[1] && m[1] != m[2] && m[0] != m[2], "three stances, three shapes");
        let t = Theme::print();
        let c = [Stance::Concern.colour(&t), Stance::Neutral.colour(&t), Stance::Exculpatory.colour(&t)];
        assert!(c[0] != c[1] && c[1] != c[2] && c[0] != c[2], "and three colours");
    }

    #[test]
    fn every_point_is_labelled_with_its_grade() {
        let points = [
            note("2019-02-11", 3, "concern", "B1", "FBI"),
            note("2020-07-19", 1, "exculpatory", "D3", "Counsel"),
            note("2021-01-08", 0, "neutral", "F6", "Anon"),
        ];
        let svg = testimony_timeline(&points, &Theme::print());
        assert_svg(&svg, "testimony");
        let labels = texts(&svg);
        for grade in ["B1", "D3", "F6"] {
            assert!(labels.iter().any(|t| t.starts_with(grade)), "grade {grade} labelled: {labels:?}");
        }
        assert!(count(&svg, "<circle") >= 2, "neutral marker (plus its legend swatch) is a circle");
    }

    #[test]
    fn one_point_and_out_of_range_severities_draw_without_panic() {
        assert_svg(&testimony_timeline(&[note("2024-05-01", 2, "concern", "A1", "DHS")], &Theme::print()), "one point");
        let odd = [note("2024-05-01", -5, "??", "Z9", ""), note("2024-05-01", 99, "CONCERN", "A1", "")];
        assert_svg(&testimony_timeline(&odd, &Theme::print()), "clamped severities, unknown stance");
    }

    #[test]
    fn many_coincident_points_are_spread_and_still_labelled() {
        let points: Vec<TestimonyPoint> = (0..200).map(|i| note("2023-06-01", i % 4, "concern", "C3", "Same day")).collect();
        let svg = testimony_timeline(&points, &Theme::print());
        assert_svg(&svg, "200 points");
        assert!(texts(&svg).iter().filter(|t| t.starts_with("C3")).count() >= 200, "every point labelled");
    }
}
