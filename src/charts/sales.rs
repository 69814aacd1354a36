//! Sales by region: revenue per year, stacked by country, countries of concern hatched and labelled.

use std::collections::BTreeMap;

use super::axes::{ValueAxis, category_labels};
use super::data::SalesPoint;
use super::draw::{Font, LegendItem, Rect, SMALL, Swatch, legend_column_width, no_data, render};
use super::palette::{Rgb, concern_shades, neutral_shades};
use super::scale::finite_or;
use super::text::{human, truncate};
use super::theme::Theme;

/// Countries drawn by name (the largest by total revenue); the rest are grouped as "Other", with
/// countries of concern grouped separately so that concern revenue is never hidden in a neutral bucket.
pub const SALES_TOP_COUNTRIES: usize = 6;
/// Latest years drawn; earlier ones are counted in a note.
const MAX_YEARS: usize = 30;

/// One stacked series: a named country or an "Other" group.
struct Series {
    label: String,
    concern: bool,
    colour: Rgb,
    by_year: BTreeMap<i32, f64>,
}

/// Stacked bars per year by country: the top [`SALES_TOP_COUNTRIES`] by total revenue, then "Other"
/// and "Other (concern)". Countries of concern are drawn in a red family AND hatched AND labelled
/// "(concern)" in the legend, so colour is never the only cue. Negative or non-finite revenue counts as 0.
pub fn sales_by_region(rows: &[SalesPoint], theme: &Theme) -> String {
    // Non-finite or negative revenue is treated as 0 here, before any arithmetic or drawing.
    let clean = |v: f64| finite_or(v, 0.0).max(0.0);
    let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return no_data(theme, "No sales rows for this vendor.");
    }
    let hidden_years = years.len().saturating_sub(MAX_YEARS);
    let years = years.split_off(hidden_years);
    let series = build_series(rows, &years, theme.dark, clean);

    let totals: Vec<f64> = years.iter().map(|y| series.iter().map(|s| s.by_year.get(y).copied().unwrap_or(0.0)).sum()).collect();
    let max_total = totals.iter().copied().fold(0.0, f64::max);
    let axis = ValueAxis::new(0.0, if max_total > 0.0 { max_total } else { 1.0 }, 5, theme.metrics(), |t, _| human(t));
    let legend: Vec<LegendItem> = series
        .iter()
        .rev()
        .map(|s| LegendItem {
            swatch: Swatch::Fill { colour: s.colour, hatch: s.concern },
            label: if s.concern { format!("{} (concern)", s.label) } else { s.label.clone() },
        })
        .collect();
    let legend_w = legend_column_width(&legend, theme.metrics()).max(60.0);
    let year_labels: Vec<String> = years.iter().map(i32::to_string).collect();

    render(theme, None, |c| {
        let ink = c.ink;
        let note_h = if hidden_years > 0 || max_total == 0.0 { 16.0 } else { 0.0 };
        let plot = Rect { x0: axis.margin(), y0: 22.0, x1: c.w - legend_w - 28.0, y1: c.h - 28.0 - note_h };
        let y = axis.draw_left(c, plot, "Revenue (USD)");
        let band = (plot.x1 - plot.x0) / years.len() as f64;
        let half = (band * 0.32).min(28.0);
        for (i, year) in years.iter().enumerate() {
            let cx = plot.x0 + band * (i as f64 + 0.5);
            let mut acc = 0.0;
            for s in &series {
                let v = s.by_year.get(year).copied().unwrap_or(0.0);
                if v <= 0.0 {
                    continue;
                }
                let (top, bottom) = (y.map_clamped(acc + v), y.map_clamped(acc));
                acc += v;
                if bottom - top < 0.5 {
                    continue;
                }
                let r = Rect { x0: cx - half, y0: top, x1: cx + half, y1: bottom };
                c.fill_rect(r.x0, r.y0, r.x1, r.y1, s.colour, 1.0);
                if s.concern {
                    c.hatch(r, ink.background, 5.0, 1);
                }
                // A hairline between segments keeps similar shades apart.
                c.line((r.x0, top), (r.x1, top), ink.background, 1);
            }
            let label = human(totals[i]);
            if c.m.width(&label, SMALL) + 4.0 <= band {
                c.text(&label, cx, y.map_clamped(acc) - 3.0, Font::new(SMALL, ink.text).centre().bottom());
            }
        }
        category_labels(c, plot, &year_labels);
        let lx = plot.x1 + 20.0;
        c.legend_column(&legend, lx, plot.y0);
        let mut notes = Vec::new();
        if max_total == 0.0 {
            notes.push("All revenue is zero.".to_owned());
        }
        if hidden_years > 0 {
            notes.push(format!("Latest {} years shown; {hidden_years} earlier not shown.", years.len()));
        }
        c.text(&notes.join(" "), plot.x0, c.h - 10.0, Font::new(SMALL, ink.muted));
    })
}

/// Groups rows into the top countries plus "Other" groups, coloured: concern in reds, others in blues/greys.
fn build_series(rows: &[SalesPoint], years: &[i32], dark: bool, clean: impl Fn(f64) -> f64) -> Vec<Series> {
    let first_year = years.first().copied().unwrap_or(i32::MIN);
    // Country → (total, concern). A country flagged as concern on any row is treated as concern.
    let mut countries: BTreeMap<String, (f64, bool)> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.year >= first_year) {
        let name = truncate(&r.country, 16);
        let name = if name.is_empty() { "Unknown".to_owned() } else { name };
        let e = countries.entry(name).or_insert((0.0, false));
        e.0 += clean(r.revenue_usd);
        e.1 |= r.concern;
    }
    let mut ranked: Vec<(String, f64, bool)> = countries.into_iter().map(|(k, (t, c))| (k, t, c)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top: Vec<(String, bool)> = ranked.iter().take(SALES_TOP_COUNTRIES).map(|(k, _, c)| (k.clone(), *c)).collect();
    let rest: BTreeMap<String, bool> = ranked.iter().skip(SALES_TOP_COUNTRIES).map(|(k, _, c)| (k.clone(), *c)).collect();

    let (reds, greys) = (concern_shades(dark), neutral_shades(dark));
    let (mut nr, mut ng) = (0, 0);
    let mut series: Vec<Series> = top
        .iter()
        .map(|(name, concern)| {
            let colour = if *concern {
                nr += 1;
                reds[(nr - 1) % reds.len()]
            } else {
                ng += 1;
                greys[(ng - 1) % greys.len()]
            };
            Series { label: name.clone(), concern: *concern, colour, by_year: BTreeMap::new() }
        })
        .collect();
    let other_colour = if dark { Rgb(0x5A, 0x5F, 0x66) } else { Rgb(0xD9, 0xD9, 0xD9) };
    if rest.values().any(|c| !c) {
        series.push(Series { label: "Other".to_owned(), concern: false, colour: other_colour, by_year: BTreeMap::new() });
    }
    if rest.values().any(|c| *c) {
        series.push(Series { label: "Other".to_owned(), concern: true, colour: reds[nr % reds.len()], by_year: BTreeMap::new() });
    }
    for r in rows.iter().filter(|r| r.year >= first_year) {
        let name = truncate(&r.country, 16);
        let name = if name.is_empty() { "Unknown".to_owned() } else { name };
        let idx = match rest.get(&name) {
            None => series.iter().position(|s| s.label == name),
            Some(concern) => series.iter().rposition(|s| s.label == "Other" && s.concern == *concern),
        };
        if let Some(s) = idx.and_then(|i| series.get_mut(i)) {
            *s.by_year.entry(r.year).or_insert(0.0) += clean(r.revenue_usd);
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::super::data::SalesPoint;
    use super::super::tests::{assert_svg, count, texts};
    use super::super::theme::Theme;
    use super::sales_by_region;

    fn row(year: i32, country: &str, revenue_usd: f64, concern: bool) -> SalesPoint {
        SalesPoint { year, country: country.to_owned(), revenue_usd, concern }
    }

    #[test]
    fn top_six_countries_then_other_and_other_concern_in_the_legend() {
        let countries = [
            ("US", false),
            ("CN", true),
            ("DE", false),
            ("GB", false),
            ("JP", false),
            ("FR", false),
            ("IN", false),
            ("RU", true),
            ("BR", false),
            ("IR", true),
        ];
        let rows: Vec<SalesPoint> = (2017..2025)
            .flat_map(|y| countries.iter().enumerate().map(move |(k, (c, concern))| row(y, c, 1e9 / (k + 1) as f64, *concern)))
            .collect();
        let svg = sales_by_region(&rows, &Theme::print());
        assert_svg(&svg, "sales");
        let labels = texts(&svg);
        for want in ["US", "CN (concern)", "FR", "Other", "Other (concern)"] {
            assert!(labels.iter().any(|t| t == want), "legend has {want}: {labels:?}");
        }
        assert!(!labels.iter().any(|t| t == "IN" || t == "RU (concern)"), "the seventh country onwards is grouped");
        assert!(labels.iter().any(|t| t == "2017") && labels.iter().any(|t| t == "2024"), "years labelled");
    }

    #[test]
    fn concern_is_marked_by_hatching_and_text_not_only_colour() {
        let plain = sales_by_region(&[row(2024, "US", 1e9, false)], &Theme::print());
        let concern = sales_by_region(&[row(2024, "CN", 1e9, true)], &Theme::print());
        assert!(count(&concern, "<polyline") > count(&plain, "<polyline") + 10, "concern bars are hatched");
        assert!(texts(&concern).iter().any(|t| t == "CN (concern)"), "and labelled");
    }

    #[test]
    fn zero_and_huge_revenue_use_human_units() {
        let zero = sales_by_region(&[row(2024, "US", 0.0, false)], &Theme::print());
        assert!(texts(&zero).iter().any(|t| t == "All revenue is zero."), "zero revenue says so");
        let huge = sales_by_region(&[row(2023, "US", 1e12, false), row(2024, "US", 2e12, false)], &Theme::print());
        assert!(texts(&huge).iter().any(|t| t == "2tn"), "trillions in human units");
    }

    #[test]
    fn many_years_keep_the_latest_thirty() {
        let rows: Vec<SalesPoint> = (1950..2025).map(|y| row(y, "US", 1e6, false)).collect();
        let svg = sales_by_region(&rows, &Theme::print());
        assert!(texts(&svg).iter().any(|t| t == "Latest 30 years shown; 45 earlier not shown."), "note about earlier years");
    }
}
