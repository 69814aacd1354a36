//! Tornado: how one vendor's score moves when each factor's weight is lowered or raised.

use super::data::{TornadoBar, factor_named};
use super::draw::{FONT, Font, LegendItem, Rect, SMALL, Swatch, legend_height, no_data, render};
use super::palette::Rgb;
use super::scale::{Linear, nice_ticks};
use super::text::{NAME_CHARS, score, truncate};
use super::theme::Theme;

const ROW: f64 = 24.0;
const BAR_HALF: f64 = 7.0;
const MAX_ROWS: usize = 24;

/// Bars around the base score, one per factor, widest swing on top. From the base line, the solid part
/// runs to the score with the factor's weight raised and the hollow part to the score with it lowered,
/// each end labelled with its score. Scores are clamped to [0, 100] for drawing.
pub fn tornado(base: f64, bars: &[TornadoBar], theme: &Theme) -> String {
    if bars.is_empty() || !base.is_finite() {
        return no_data(theme, if bars.is_empty() { "No sensitivity results." } else { "The base score is not a number." });
    }
    // A non-finite end is drawn at the base (no bar) and labelled n/a.
    let fix = |v: f64| {
        if v.is_finite() { v.clamp(0.0, 100.0) } else { base.clamp(0.0, 100.0) }
    };
    let base_c = base.clamp(0.0, 100.0);
    let mut rows: Vec<(usize, &TornadoBar)> = bars.iter().enumerate().collect();
    rows.sort_by(|a, b| swing(b.1, &fix).total_cmp(&swing(a.1, &fix)).then(a.0.cmp(&b.0)));
    let hidden = rows.len().saturating_sub(MAX_ROWS);
    rows.truncate(MAX_ROWS);

    let labels: Vec<(String, Rgb)> = rows
        .iter()
        .map(|(_, b)| match factor_named(&b.factor) {
            Some(factor) => (factor.label().to_owned(), theme.factor_colour(factor)),
            None => (truncate(&b.factor, NAME_CHARS), theme.ink().axis),
        })
        .collect();
    let label_w = labels.iter().map(|(l, _)| theme.metrics().width(l, FONT)).fold(0.0, f64::max);
    let (mut lo, mut hi) = rows.iter().fold((base_c, base_c), |(lo, hi), (_, b)| {
        (lo.min(fix(b.low_score).min(fix(b.high_score))), hi.max(fix(b.low_score).max(fix(b.high_score))))
    });
    let pad = ((hi - lo) * 0.12).max(2.0);
    lo = (lo - pad).max(0.0);
    hi = (hi + pad).min(100.0);
    let (nlo, nhi, step, ticks) = nice_ticks(lo, hi, 6);
    let (lo, hi) = (nlo.max(0.0), nhi.min(100.0));
    let legend = vec![
        LegendItem { swatch: Swatch::Fill { colour: theme.ink().muted, hatch: false }, label: "weight raised".to_owned() },
        LegendItem { swatch: Swatch::Hollow(theme.ink().muted), label: "weight lowered".to_owned() },
    ];
    let w = f64::from(theme.safe_width());
    let legend_h = legend_height(&legend, w - 16.0, theme.metrics());
    let note_h = if hidden > 0 { 16.0 } else { 0.0 };
    let top = 30.0;
    let height = top + ROW * rows.len() as f64 + 40.0 + note_h + legend_h + 6.0;

    render(theme, Some(height), |c| {
        let ink = c.ink;
        let x0 = 8.0 + label_w + 12.0;
        let plot = Rect { x0, y0: top, x1: c.w - 50.0, y1: top + ROW * rows.len() as f64 };
        let x = Linear::new(lo, hi, plot.x0 + 36.0, plot.x1);
        for t in ticks.iter().copied().filter(|t| *t >= lo && *t <= hi) {
            let px = x.map(t);
            c.line((px, plot.y0), (px, plot.y1), ink.grid, 1);
            c.line((px, plot.y1), (px, plot.y1 + 4.0), ink.axis, 1);
            c.text(&super::text::tick(t, step), px, plot.y1 + 6.0, Font::new(SMALL, ink.muted).centre().top());
        }
        c.line((plot.x0, plot.y1), (plot.x1, plot.y1), ink.axis, 1);
        c.text("Score", (plot.x0 + plot.x1) / 2.0, plot.y1 + 22.0, Font::new(SMALL, ink.muted).centre().top());

        let bx = x.map(base_c);
        for (i, ((_, bar), (label, colour))) in rows.iter().zip(&labels).enumerate() {
            let cy = plot.y0 + ROW * (i as f64 + 0.5);
            c.text(label, x0 - 12.0, cy, Font::new(FONT, ink.text).right());
            let (l, h) = (fix(bar.low_score), fix(bar.high_score));
            let (lx, hx) = (x.map(l), x.map(h));
            // Lowered: light fill with an outline (hollow). Raised: solid. Two cues beyond colour.
            if (lx - bx).abs() >= 0.5 {
                c.fill_rect(bx.min(lx), cy - BAR_HALF, bx.max(lx), cy + BAR_HALF, *colour, 0.25);
                c.stroke_rect(bx.min(lx), cy - BAR_HALF, bx.max(lx), cy + BAR_HALF, *colour, 1);
            }
            if (hx - bx).abs() >= 0.5 {
                c.fill_rect(bx.min(hx), cy - BAR_HALF + 2.0, bx.max(hx), cy + BAR_HALF - 2.0, *colour, 1.0);
            }
            end_labels(c, bar, bx, lx, hx, cy);
        }
        // The base line goes over the bars so it stays visible.
        c.line((bx, plot.y0 - 6.0), (bx, plot.y1), ink.text, 1);
        c.text(&format!("base {}", score(base)), bx, plot.y0 - 8.0, Font::new(SMALL, ink.text).centre().bottom());
        let mut y = plot.y1 + 40.0;
        if hidden > 0 {
            c.text(&format!("… and {hidden} more factors"), 8.0, y + 6.0, Font::new(SMALL, ink.muted));
            y += note_h;
        }
        c.legend(&legend, plot.x0, y, c.w - plot.x0 - 8.0);
    })
}

fn swing(b: &TornadoBar, fix: &impl Fn(f64) -> f64) -> f64 {
    (fix(b.high_score) - fix(b.low_score)).abs()
}

/// Score labels at the outer ends; when both ends fall on the same side of the base, one label "lo / hi".
fn end_labels(c: &super::draw::Canvas, bar: &TornadoBar, bx: f64, lx: f64, hx: f64, cy: f64) {
    let f = Font::new(SMALL, c.ink.text);
    let put = |text: &str, at: f64| {
        if at >= bx {
            c.text(text, at + 4.0, cy, f);
        } else {
            c.text(text, at - 4.0, cy, f.right());
        }
    };
    let (ls, hs) = (score(bar.low_score), score(bar.high_score));
    let (l_at_base, h_at_base) = ((lx - bx).abs() < 0.5, (hx - bx).abs() < 0.5);
    if l_at_base && h_at_base {
        put(&format!("{ls} (no change)"), bx);
    } else if l_at_base || h_at_base {
        // One end did not move: its label goes on the other side of the base from the moving end's.
        let (still, moved, moved_x) = if l_at_base { (&ls, &hs, hx) } else { (&hs, &ls, lx) };
        put(moved, moved_x);
        put(still, if moved_x >= bx { bx - 0.5 } else { bx + 0.5 });
    } else if (lx >= bx) == (hx >= bx) {
        let far = if (lx - bx).abs() > (hx - bx).abs() { lx } else { hx };
        put(&format!("{ls} / {hs}"), far);
    } else {
        put(&ls, lx);
        put(&hs, hx);
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::TornadoBar;
    use super::super::tests::{assert_svg, texts};
    use super::super::theme::Theme;
    use super::tornado;

    fn row(factor: &str, low: f64, high: f64) -> TornadoBar {
        TornadoBar { factor: factor.to_owned(), low_score: low, high_score: high }
    }

    #[test]
    fn bars_are_sorted_by_swing_with_human_factor_labels() {
        let svg =
            tornado(50.0, &[row("market", 49.0, 51.0), row("install_base", 40.0, 60.0), row("Custom factor", 45.0, 56.0)], &Theme::print());
        assert_svg(&svg, "tornado");
        let labels: Vec<String> =
            texts(&svg).into_iter().filter(|t| ["Market", "Install base", "Custom factor"].contains(&t.as_str())).collect();
        assert_eq!(labels, ["Install base", "Custom factor", "Market"], "widest swing first");
        assert!(texts(&svg).iter().any(|t| t == "base 50.0"), "base score labelled");
    }

    #[test]
    fn no_change_and_one_sided_swings_get_a_single_label() {
        let svg = tornado(50.0, &[row("ties", 50.0, 50.0), row("market", 52.0, 55.0)], &Theme::print());
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "50.0 (no change)"), "no change: {labels:?}");
        assert!(labels.iter().any(|t| t == "52.0 / 55.0"), "both ends on one side: one label");
    }

    #[test]
    fn a_non_finite_base_is_an_empty_state_and_non_finite_ends_say_n_a() {
        assert!(texts(&tornado(f64::NAN, &[row("ties", 1.0, 2.0)], &Theme::print())).iter().any(|t| t == "No data"));
        let svg = tornado(50.0, &[row("ties", f64::NAN, 60.0)], &Theme::print());
        assert!(texts(&svg).iter().any(|t| t == "n/a"), "NaN end labelled n/a");
    }

    #[test]
    fn scores_at_the_limits_stay_inside_zero_to_one_hundred() {
        let svg = tornado(100.0, &[row("ownership", 0.0, 100.0), row("ties", -50.0, 500.0)], &Theme::print());
        assert_svg(&svg, "limits");
        assert!(texts(&svg).iter().any(|t| t == "100"), "axis reaches 100");
        assert!(!texts(&svg).iter().any(|t| t == "120" || t == "-20"), "axis never leaves 0..100");
    }
}
