//! The ranking: one horizontal bar per vendor in rank order, stacked by factor contribution.

use super::data::{Factor, RankingBar};
use super::draw::{Canvas, FONT, Font, LegendItem, SMALL, Swatch, legend_height, no_data, render};
use super::palette::Rgb;
use super::scale::{Linear, finite_or};
use super::text::{NAME_CHARS, score, truncate};
use super::theme::Theme;

/// Most vendors drawn in a ranking; the rest are counted in a note ("… and 260 more").
pub const RANKING_MAX_ROWS: usize = 40;

const ROW: f64 = 17.0;
const BAR_HALF: f64 = 5.5;
const BANDS: [(f64, f64, &str); 4] = [(0.0, 25.0, "low"), (25.0, 50.0, "moderate"), (50.0, 75.0, "high"), (75.0, 100.0, "severe")];

/// Horizontal bars in the order given (rank order), stacked by factor contribution when the method has
/// contributions (weighted_sum), else one neutral bar. Band thresholds 25/50/75 are light vertical lines;
/// prohibited vendors get a "P" badge (explained in the legend) whatever their score.
pub fn ranking(bars: &[RankingBar], theme: &Theme) -> String {
    if bars.is_empty() {
        return no_data(theme, "No vendors to rank.");
    }
    let shown = &bars[..bars.len().min(RANKING_MAX_ROWS)];
    let hidden = bars.len() - shown.len();
    let any_contrib = shown.iter().any(|b| b.contributions.is_some());
    let any_prohibited = shown.iter().any(|b| b.prohibited);

    let mut legend: Vec<LegendItem> = Vec::new();
    if any_contrib {
        legend.extend(
            Factor::ALL.iter().map(|&f| LegendItem {
                swatch: Swatch::Fill { colour: theme.factor_colour(f), hatch: false },
                label: f.label().to_owned(),
            }),
        );
    }
    if any_prohibited {
        legend.push(LegendItem {
            swatch: Swatch::Badge { letter: "P", colour: theme.ink().prohibited },
            label: "prohibited (designated)".to_owned(),
        });
    }

    let names: Vec<String> = shown.iter().map(|b| truncate(&b.name, NAME_CHARS)).collect();
    let m = theme.metrics();
    let name_w = names.iter().map(|n| m.width(n, FONT)).fold(0.0, f64::max).min(200.0);
    let rank_w = m.width(&shown.len().to_string(), SMALL) + 6.0;
    let badge_w = if any_prohibited { 18.0 } else { 0.0 };

    let w = f64::from(theme.safe_width());
    let legend_h = if legend.is_empty() { 0.0 } else { legend_height(&legend, w - 16.0, m) + 10.0 };
    let note_h = if hidden > 0 { 18.0 } else { 0.0 };
    let top = 26.0;
    let plot_h = ROW * shown.len() as f64;
    let height = top + plot_h + 40.0 + note_h + legend_h + 6.0;

    render(theme, Some(height), |c| {
        let ink = c.ink;
        let x0 = 8.0 + rank_w + name_w + 8.0 + badge_w + 4.0;
        let x1 = c.w - 46.0;
        let (y0, y1) = (top, top + plot_h);
        let x = Linear::new(0.0, 100.0, x0, x1);

        // Bands: light lines at the thresholds, names centred over each band.
        for (lo, hi, name) in BANDS {
            if lo > 0.0 {
                c.line((x.map(lo), y0 - 4.0), (x.map(lo), y1), ink.grid, 1);
            }
            c.text(name, (x.map(lo) + x.map(hi)) / 2.0, y0 - 12.0, Font::new(SMALL, ink.muted).centre());
        }

        for (i, (bar, name)) in shown.iter().zip(&names).enumerate() {
            let cy = y0 + ROW * (i as f64 + 0.5);
            c.text(&(i + 1).to_string(), 8.0 + rank_w - 6.0, cy, Font::new(SMALL, ink.muted).right());
            c.text(name, 8.0 + rank_w + name_w, cy, Font::new(FONT, ink.text).right());
            if bar.prohibited {
                c.badge("P", x0 - 4.0 - badge_w / 2.0, cy, ink.prohibited);
            }
            draw_bar(c, theme, bar, &x, cy);
        }

        // Axis: baseline, ticks at the band thresholds, title.
        c.line((x0, y0 - 4.0), (x0, y1), ink.axis, 1);
        c.line((x0, y1), (x1, y1), ink.axis, 1);
        for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
            c.line((x.map(t), y1), (x.map(t), y1 + 4.0), ink.axis, 1);
            c.text(&format!("{t:.0}"), x.map(t), y1 + 6.0, Font::new(SMALL, ink.muted).centre().top());
        }
        c.text("Risk score (0–100, higher = riskier)", (x0 + x1) / 2.0, y1 + 22.0, Font::new(SMALL, ink.muted).centre().top());
        let mut y = y1 + 40.0;
        if hidden > 0 {
            c.text(&format!("… and {hidden} more"), 8.0 + rank_w, y + 6.0, Font::new(FONT, ink.muted));
            y += note_h;
        }
        if !legend.is_empty() {
            c.legend(&legend, 8.0, y + 4.0, c.w - 16.0);
        }
    })
}

/// One vendor's bar: stacked contributions, or a single bar; then the score label.
fn draw_bar(c: &Canvas, theme: &Theme, bar: &RankingBar, x: &Linear, cy: f64) {
    let ink = c.ink;
    // A non-finite score is drawn as no bar and labelled n/a; it never reaches plotters.
    let total = if bar.score.is_finite() { bar.score.clamp(0.0, 100.0) } else { 0.0 };
    let mut end = x.map(0.0);
    match bar.contributions {
        Some(parts) if bar.score.is_finite() => {
            let mut acc = 0.0;
            for (j, part) in parts.iter().enumerate() {
                // Contributions are non-negative by construction; NaN or negatives are drawn as nothing.
                let v = finite_or(*part, 0.0).max(0.0);
                let (a, b) = (x.map_clamped(acc), x.map_clamped(acc + v));
                acc += v;
                if b - a >= 0.5 {
                    c.fill_rect(a, cy - BAR_HALF, b, cy + BAR_HALF, theme.factor_colour(Factor::ALL[j]), 1.0);
                }
                end = end.max(b);
            }
        }
        _ if bar.score.is_finite() => {
            let b = x.map_clamped(total);
            let neutral = if theme.dark { Rgb(0x8F, 0xA3, 0xB8) } else { Rgb(0x5B, 0x6B, 0x7C) };
            if b - x.map(0.0) >= 0.5 {
                c.fill_rect(x.map(0.0), cy - BAR_HALF, b, cy + BAR_HALF, neutral, 1.0);
            }
            end = b;
        }
        _ => {}
    }
    c.text(&score(bar.score), end + 4.0, cy, Font::new(SMALL, ink.text));
}

#[cfg(test)]
mod tests {
    use super::super::data::{Factor, RankingBar};
    use super::super::palette::factor_colour;
    use super::super::tests::{assert_svg, bar, count, svg_height, texts};
    use super::super::theme::Theme;
    use super::{RANKING_MAX_ROWS, ranking};

    fn many(n: usize) -> Vec<RankingBar> {
        (0..n).map(|i| bar(&format!("Vendor {i:03}"), 100.0 - i as f64 * 100.0 / n as f64, Some([5.0; 8]))).collect()
    }

    #[test]
    fn every_factor_colour_appears_when_contributions_are_given() {
        let svg = ranking(&[bar("Acme", 80.0, Some([10.0; 8]))], &Theme::print());
        assert_svg(&svg, "ranking");
        for factor in Factor::ALL {
            assert!(svg.contains(&format!("fill=\"{}\"", factor_colour(factor).hex())), "factor {factor} has its colour");
        }
        let labels = texts(&svg);
        assert!(Factor::ALL.iter().all(|f| labels.iter().any(|t| t == f.label())), "legend names every factor");
        assert!(labels.iter().any(|t| t == "80.0"), "score printed at the bar's end");
    }

    #[test]
    fn a_single_neutral_bar_and_no_factor_legend_without_contributions() {
        let svg = ranking(&[bar("Acme", 55.0, None)], &Theme::print());
        assert_svg(&svg, "ranking without contributions");
        for factor in &Factor::ALL[..7] {
            assert!(!svg.contains(&factor_colour(*factor).hex()), "no factor colour {factor} without contributions");
        }
        assert!(!texts(&svg).iter().any(|t| t == "Ownership"), "no factor legend");
    }

    #[test]
    fn many_vendors_keep_the_top_forty_and_count_the_rest() {
        let svg = ranking(&many(300), &Theme::print());
        assert_svg(&svg, "ranking of 300");
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "… and 260 more"), "note counts the hidden vendors");
        assert!(
            labels.iter().any(|t| t == "Vendor 039") && !labels.iter().any(|t| t == "Vendor 040"),
            "exactly the top {RANKING_MAX_ROWS} drawn"
        );
        assert!(svg_height(&ranking(&many(40), &Theme::print())) > svg_height(&ranking(&many(3), &Theme::print())), "rows make it taller");
    }

    #[test]
    fn prohibited_vendors_get_a_badge_explained_in_the_legend() {
        let mut b = bar("Designated Co", 12.0, None);
        b.prohibited = true;
        let svg = ranking(&[b, bar("Clean Co", 60.0, None)], &Theme::print());
        let labels = texts(&svg);
        assert_eq!(labels.iter().filter(|t| *t == "P").count(), 2, "one badge on the row and one in the legend");
        assert!(labels.iter().any(|t| t == "prohibited (designated)"), "legend explains the badge");
    }

    #[test]
    fn scores_of_exactly_zero_and_one_hundred_and_all_equal_draw_cleanly() {
        let svg = ranking(&[bar("Top", 100.0, Some([12.5; 8])), bar("Bottom", 0.0, Some([0.0; 8]))], &Theme::print());
        assert_svg(&svg, "extremes");
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "100.0") && labels.iter().any(|t| t == "0.0"), "both scores labelled");
        let equal: Vec<RankingBar> = (0..5).map(|i| bar(&format!("V{i}"), 50.0, None)).collect();
        assert_svg(&ranking(&equal, &Theme::print()), "all equal");
        let over = ranking(&[bar("Over", 250.0, Some([50.0; 8]))], &Theme::print());
        assert!(texts(&over).iter().any(|t| t == "250.0"), "an out-of-range score is labelled as given and drawn clamped");
    }

    #[test]
    fn long_vendor_names_are_cut_to_24_characters_with_an_ellipsis() {
        let svg = ranking(&[bar("Extraordinarily Long Vendor Name International Holdings", 40.0, None)], &Theme::print());
        let name = texts(&svg).into_iter().find(|t| t.starts_with("Extraordinarily")).expect("name drawn");
        assert_eq!(name.chars().count(), 24, "cut to 24: {name}");
        assert!(name.ends_with('…'));
        assert!(count(&svg, "<rect") >= 2);
    }
}
