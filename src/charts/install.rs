//! Install base: users per year as bars, with human units (k, M, bn).

use std::collections::BTreeMap;

use super::axes::{ValueAxis, category_labels};
use super::data::{Factor, InstallPoint};
use super::draw::{Font, Rect, SMALL, no_data, render};
use super::scale::finite_or;
use super::text::human;
use super::theme::Theme;

const MAX_YEARS: usize = 30;

/// Users per year (rows of the same year added, as the model does), one bar per year in the
/// install_base factor colour, each labelled in human units when there is room.
pub fn install_base(rows: &[InstallPoint], theme: &Theme) -> String {
    let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
    for r in rows {
        // Non-finite or negative user counts are drawn as 0.
        *by_year.entry(r.year).or_insert(0.0) += finite_or(r.users, 0.0).max(0.0);
    }
    if by_year.is_empty() {
        return no_data(theme, "No install-base rows for this vendor.");
    }
    let hidden = by_year.len().saturating_sub(MAX_YEARS);
    let points: Vec<(i32, f64)> = by_year.into_iter().skip(hidden).collect();
    let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let axis = ValueAxis::new(0.0, if max > 0.0 { max } else { 1.0 }, 5, theme.metrics(), |t, _| human(t));
    let labels: Vec<String> = points.iter().map(|p| p.0.to_string()).collect();

    render(theme, None, |c| {
        let ink = c.ink;
        let note_h = if hidden > 0 { 16.0 } else { 0.0 };
        let plot = Rect { x0: axis.margin(), y0: 22.0, x1: c.w - 16.0, y1: c.h - 28.0 - note_h };
        let y = axis.draw_left(c, plot, "Users");
        let band = (plot.x1 - plot.x0) / points.len() as f64;
        let half = (band * 0.32).min(30.0);
        let colour = theme.factor_colour(Factor::InstallBase);
        for (i, (_, users)) in points.iter().enumerate() {
            let cx = plot.x0 + band * (i as f64 + 0.5);
            let top = y.map_clamped(*users);
            if plot.y1 - top >= 0.5 {
                c.fill_rect(cx - half, top, cx + half, plot.y1, colour, 1.0);
            }
            let label = human(*users);
            if c.m.width(&label, SMALL) + 4.0 <= band {
                c.text(&label, cx, top - 3.0, Font::new(SMALL, ink.text).centre().bottom());
            }
        }
        category_labels(c, plot, &labels);
        if hidden > 0 {
            let note = format!("Latest {} years shown; {hidden} earlier not shown.", points.len());
            c.text(&note, plot.x0, c.h - 10.0, Font::new(SMALL, ink.muted));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::data::{Factor, InstallPoint};
    use super::super::palette::factor_colour;
    use super::super::tests::{assert_svg, texts};
    use super::super::theme::Theme;
    use super::install_base;

    #[test]
    fn rows_of_one_year_are_added_and_labelled_in_human_units() {
        let rows =
            [InstallPoint { year: 2016, users: 1e6 }, InstallPoint { year: 2016, users: 1e6 }, InstallPoint { year: 2024, users: 1.2e9 }];
        let svg = install_base(&rows, &Theme::print());
        assert_svg(&svg, "install base");
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "2M"), "2016 rows added: {labels:?}");
        assert!(labels.iter().any(|t| t == "1.2bn"), "billions as bn");
        assert!(svg.contains(&factor_colour(Factor::InstallBase).hex()), "bars in the install_base factor colour");
    }

    #[test]
    fn a_single_year_of_zero_users_still_draws_an_axis() {
        let svg = install_base(&[InstallPoint { year: 2024, users: 0.0 }], &Theme::print());
        assert_svg(&svg, "zero users");
        assert!(texts(&svg).iter().any(|t| t == "2024"));
    }
}
