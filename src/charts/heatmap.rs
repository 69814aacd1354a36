//! SMAA-2 rank acceptability: vendors × ranks, each cell shaded by the share of samples with that rank.

use super::data::SmaaRow;
use super::draw::{FONT, Font, SMALL, no_data, render};
use super::palette::{Rgb, heat};
use super::scale::finite_or;
use super::text::{NAME_CHARS, truncate};
use super::theme::Theme;

/// Most vendors (rows) drawn; the rest are counted in a note.
pub const HEATMAP_MAX_ROWS: usize = 40;
/// Most rank columns drawn; when there are more ranks, the last column adds up all ranks from there on.
pub const HEATMAP_MAX_COLUMNS: usize = 15;
/// Shares below this are shaded but not printed, so the grid stays readable.
const PRINT_FROM: f64 = 0.05;
const ROW: f64 = 18.0;

/// Rows in the order given, columns ranks 1..K, cells shaded on a colour-blind-safe sequential ramp
/// (ColorBrewer Blues) with the share printed as a whole percentage when ≥ 5%. Shares are clamped to [0, 1].
pub fn smaa_heatmap(rows: &[SmaaRow], theme: &Theme) -> String {
    let k = rows.iter().map(|r| r.acceptability.len()).max().unwrap_or(0);
    if rows.is_empty() || k == 0 {
        return no_data(theme, "No rank acceptability results.");
    }
    let shown = &rows[..rows.len().min(HEATMAP_MAX_ROWS)];
    let hidden = rows.len() - shown.len();
    let cols = k.min(HEATMAP_MAX_COLUMNS);
    let folded = k > HEATMAP_MAX_COLUMNS;
    let headers: Vec<String> = (1..=cols).map(|r| if folded && r == cols { format!("{r}+") } else { r.to_string() }).collect();
    // Non-finite shares are treated as 0; a folded last column sums the remaining ranks.
    let cells: Vec<Vec<f64>> = shown
        .iter()
        .map(|row| {
            let v = |r: usize| finite_or(row.acceptability.get(r).copied().unwrap_or(0.0), 0.0).clamp(0.0, 1.0);
            (0..cols).map(|c| if folded && c == cols - 1 { (c..k).map(v).sum::<f64>().min(1.0) } else { v(c) }).collect()
        })
        .collect();
    let names: Vec<String> = shown.iter().map(|r| truncate(&r.name, NAME_CHARS)).collect();
    let name_w = names.iter().map(|n| theme.metrics().width(n, FONT)).fold(0.0, f64::max).min(200.0);
    let top = 44.0;
    let note_h = if hidden > 0 { 18.0 } else { 0.0 };
    let height = top + ROW * shown.len() as f64 + 12.0 + note_h + 56.0;

    render(theme, Some(height), |c| {
        let ink = c.ink;
        let x0 = 8.0 + name_w + 10.0;
        let cell_w = ((c.w - x0 - 12.0) / cols as f64).min(48.0);
        let x1 = x0 + cell_w * cols as f64;
        c.text("Rank (1 = riskiest)", (x0 + x1) / 2.0, 10.0, Font::new(SMALL, ink.muted).centre().top());
        for (j, h) in headers.iter().enumerate() {
            c.text(h, x0 + cell_w * (j as f64 + 0.5), top - 6.0, Font::new(SMALL, ink.text).centre().bottom());
        }
        for (i, (name, row)) in names.iter().zip(&cells).enumerate() {
            let y = top + ROW * i as f64;
            c.text(name, x0 - 8.0, y + ROW / 2.0, Font::new(FONT, ink.text).right());
            for (j, &v) in row.iter().enumerate() {
                let x = x0 + cell_w * j as f64;
                let fill = heat(v, theme.dark);
                // One-unit gaps between cells draw the grid.
                c.fill_rect(x + 0.5, y + 0.5, x + cell_w - 0.5, y + ROW - 0.5, fill, 1.0);
                // Whole percentages without the sign (the caption says so): "100" fits a narrow cell.
                let value = format!("{:.0}", v * 100.0);
                if v >= PRINT_FROM && c.m.width(&value, SMALL) <= cell_w - 2.0 {
                    let fg = if fill.luminance() < 0.33 { Rgb(0xFF, 0xFF, 0xFF) } else { Rgb(0x1A, 0x1A, 0x1A) };
                    c.text(&value, x + cell_w / 2.0, y + ROW / 2.0, Font::new(SMALL, fg).centre());
                }
            }
        }
        let mut y = top + ROW * shown.len() as f64 + 12.0;
        if hidden > 0 {
            c.text(&format!("… and {hidden} more vendors"), 8.0, y + 4.0, Font::new(FONT, ink.muted));
            y += note_h;
        }
        // Colour scale: eleven steps from 0% to 100%, then what the numbers mean.
        let sx = x0;
        for s in 0..=10 {
            let t = f64::from(s) / 10.0;
            c.fill_rect(sx + 16.0 * f64::from(s), y + 4.0, sx + 16.0 * f64::from(s + 1), y + 14.0, heat(t, theme.dark), 1.0);
        }
        c.stroke_rect(sx, y + 4.0, sx + 176.0, y + 14.0, ink.grid, 1);
        c.text("0%", sx, y + 17.0, Font::new(SMALL, ink.muted).centre().top());
        c.text("50%", sx + 88.0, y + 17.0, Font::new(SMALL, ink.muted).centre().top());
        c.text("100%", sx + 176.0, y + 17.0, Font::new(SMALL, ink.muted).centre().top());
        let what = "Cells: % of samples in which the vendor has that rank (SMAA-2 rank acceptability); under 5% not printed.";
        c.text(&c.m.fit(what, c.w - 16.0, SMALL), 8.0, y + 40.0, Font::new(SMALL, ink.muted));
    })
}

#[cfg(test)]
mod tests {
    use super::super::data::SmaaRow;
    use super::super::tests::{assert_svg, count, texts};
    use super::super::theme::Theme;
    use super::smaa_heatmap;

    fn row(name: &str, acceptability: Vec<f64>) -> SmaaRow {
        SmaaRow { vendor_id: name.to_lowercase(), name: name.to_owned(), acceptability }
    }

    #[test]
    fn shares_from_five_percent_are_printed_and_smaller_ones_only_shaded() {
        let svg = smaa_heatmap(&[row("A", vec![0.04, 0.96]), row("B", vec![0.96, 0.04])], &Theme::print());
        assert_svg(&svg, "heatmap");
        let labels = texts(&svg);
        assert_eq!(labels.iter().filter(|t| *t == "96").count(), 2, "96% printed twice");
        assert!(!labels.iter().any(|t| t == "4"), "4% not printed");
        assert!(count(&svg, "<rect") >= 4 + 11, "four cells and the colour scale");
    }

    #[test]
    fn more_than_fifteen_ranks_fold_into_a_last_column() {
        let mut acc = vec![0.0; 40];
        acc[0] = 0.5;
        acc[20] = 0.3;
        acc[39] = 0.2;
        let svg = smaa_heatmap(&[row("A", acc)], &Theme::print());
        let labels = texts(&svg);
        assert!(labels.iter().any(|t| t == "15+"), "folded column header");
        assert!(labels.iter().any(|t| t == "50"), "rank 1 share");
        assert!(labels.iter().any(|t| t == "50") && labels.iter().filter(|t| *t == "50").count() == 2, "ranks 15..40 add to 50%");
    }

    #[test]
    fn more_than_forty_vendors_are_counted_in_a_note_and_ragged_rows_are_padded() {
        let rows: Vec<SmaaRow> = (0..45).map(|i| row(&format!("V{i}"), vec![1.0 / (i % 5 + 1) as f64; i % 5 + 1])).collect();
        let svg = smaa_heatmap(&rows, &Theme::print());
        assert_svg(&svg, "45 rows");
        assert!(texts(&svg).iter().any(|t| t == "… and 5 more vendors"));
    }
}
