//! The radar: up to five vendors' eight factors on spokes from 0 (centre) to 1 (rim).

use std::f64::consts::PI;

use super::data::{Factor, Profile};
use super::draw::{FONT, Font, LegendItem, Marker, SMALL, Swatch, legend_column_height, legend_column_width, no_data, render};
use super::palette::vendor_colour;
use super::scale::finite_or;
use super::text::{NAME_CHARS, truncate};
use super::theme::Theme;

/// Most vendors drawn on one radar; more would be unreadable. The rest are named in a note.
pub const RADAR_MAX_VENDORS: usize = 5;

/// Dash `(on, off)` per vendor: with the marker shape, the non-colour cue for which polygon is whose.
const DASHES: [Option<(f64, f64)>; 5] = [None, Some((9.0, 4.0)), Some((2.0, 3.0)), Some((14.0, 4.0)), Some((5.0, 3.0))];
const MARKERS: [Marker; 5] = [Marker::Circle, Marker::Square, Marker::TriangleUp, Marker::Diamond, Marker::TriangleDown];

/// One polygon per vendor over eight spokes (factor order, clockwise from the top), rings at 0.25 steps,
/// each vendor with its own colour, dash and marker, and a legend. Values are clamped to [0, 1].
pub fn radar(profiles: &[Profile], theme: &Theme) -> String {
    if profiles.is_empty() {
        return no_data(theme, "No vendor profiles to compare.");
    }
    let shown = &profiles[..profiles.len().min(RADAR_MAX_VENDORS)];
    let hidden = profiles.len() - shown.len();
    let legend: Vec<LegendItem> = shown
        .iter()
        .enumerate()
        .map(|(i, p)| LegendItem {
            swatch: Swatch::Line { colour: vendor_colour(i, theme.dark), dash: DASHES[i], marker: Some(MARKERS[i]), width: 2 },
            label: truncate(&p.name, NAME_CHARS),
        })
        .collect();
    let note = (hidden > 0).then(|| format!("first {} of {} vendors shown", shown.len(), profiles.len()));
    let m = theme.metrics();
    let legend_w = legend_column_width(&legend, m).max(note.as_deref().map_or(0.0, |n| m.width(n, SMALL)));

    render(theme, None, |c| {
        let ink = c.ink;
        // Room for spoke labels: ~92 units each side for "Designations", ~30 above and below. The radar and
        // its legend are centred together.
        let room = 92.0;
        let r = ((c.w - legend_w - 28.0 - 2.0 * room - 16.0) / 2.0).min(c.h / 2.0 - 30.0).max(40.0);
        let left = ((c.w - (2.0 * (r + room) + 28.0 + legend_w)) / 2.0).max(8.0);
        let (cx, cy) = (left + room + r, c.h / 2.0 + 2.0);
        let spoke = |k: usize, v: f64| {
            let a = -PI / 2.0 + 2.0 * PI * k as f64 / 8.0;
            (cx + r * v * a.cos(), cy + r * v * a.sin())
        };

        for ring in [0.25, 0.5, 0.75, 1.0] {
            let mut pts: Vec<(f64, f64)> = (0..8).map(|k| spoke(k, ring)).collect();
            pts.push(pts[0]);
            c.polyline(&pts, if ring == 1.0 { ink.axis } else { ink.grid }, 1);
        }
        for (k, label) in Factor::ALL.map(Factor::label).iter().enumerate() {
            c.line((cx, cy), spoke(k, 1.0), ink.grid, 1);
            let a = -PI / 2.0 + 2.0 * PI * k as f64 / 8.0;
            let (lx, ly) = (cx + (r + 8.0) * a.cos(), cy + (r + 8.0) * a.sin());
            let mut f = Font::new(FONT, ink.text);
            f = match a.cos() {
                x if x > 0.3 => f,
                x if x < -0.3 => f.right(),
                _ => f.centre(),
            };
            f = match a.sin() {
                y if y < -0.3 => f.bottom(),
                y if y > 0.3 => f.top(),
                _ => f,
            };
            c.text(label, lx, ly, f);
        }

        // Fills first (faint), then outlines and markers, so no vendor's fill hides another's line.
        let polys: Vec<Vec<(f64, f64)>> = shown
            .iter()
            .map(|p| {
                // Non-finite values are drawn at 0 (the centre), never passed on.
                (0..8).map(|k| spoke(k, finite_or(p.factors[k], 0.0).clamp(0.0, 1.0))).collect()
            })
            .collect();
        for (i, pts) in polys.iter().enumerate() {
            c.polygon(pts, vendor_colour(i, theme.dark), 0.08);
        }
        for (i, pts) in polys.iter().enumerate() {
            let colour = vendor_colour(i, theme.dark);
            let mut closed = pts.clone();
            closed.push(pts[0]);
            match DASHES[i] {
                Some(d) => c.dashed(&closed, colour, 2, d),
                None => c.polyline(&closed, colour, 2),
            }
            for &(x, y) in pts {
                c.marker(MARKERS[i], x, y, 3.5, colour, Some(ink.background));
            }
        }

        // Ring values last, on a faint halo, so polygons crossing them do not strike them through.
        for ring in [0.25, 0.5, 0.75, 1.0] {
            let (x, y) = spoke(0, ring);
            let label = format!("{ring}");
            let w = c.m.width(&label, SMALL);
            c.fill_rect(x - 6.0 - w, y - 6.0, x - 3.0, y + 6.0, ink.background, 0.75);
            c.text(&label, x - 5.0, y, Font::new(SMALL, ink.muted).right());
        }
        let lx = cx + r + room + 28.0;
        let ly = (c.h - legend_column_height(&legend)) / 2.0;
        let used = c.legend_column(&legend, lx, ly);
        if let Some(note) = &note {
            c.text(note, lx, ly + used + 10.0, Font::new(SMALL, ink.muted));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::data::{Factor, Profile};
    use super::super::tests::{assert_svg, count, texts};
    use super::super::theme::Theme;
    use super::radar;

    fn profiles(n: usize) -> Vec<Profile> {
        (0..n).map(|i| Profile { name: format!("Vendor {i}"), factors: [0.1 * i as f64; 8] }).collect()
    }

    #[test]
    fn one_faint_polygon_per_vendor_and_every_spoke_labelled() {
        for n in [1, 3, 5] {
            let svg = radar(&profiles(n), &Theme::print());
            assert_svg(&svg, "radar");
            assert_eq!(count(&svg, "opacity=\"0.08\""), n, "{n} vendors, {n} filled polygons");
            let labels = texts(&svg);
            assert!(Factor::ALL.iter().all(|f| labels.iter().any(|t| t == f.label())), "every factor labelled");
            assert_eq!(labels.iter().filter(|t| t.starts_with("Vendor")).count(), n, "legend names every vendor");
        }
    }

    #[test]
    fn more_than_five_vendors_draws_five_and_says_so() {
        let svg = radar(&profiles(8), &Theme::print());
        assert_eq!(count(&svg, "opacity=\"0.08\""), 5, "first five drawn");
        assert!(texts(&svg).iter().any(|t| t == "first 5 of 8 vendors shown"), "note about the rest");
    }

    #[test]
    fn values_outside_zero_to_one_are_clamped_to_the_rim_and_centre() {
        let wild = Profile { name: "Wild".into(), factors: [5.0, -3.0, f64::NAN, 1.0, 0.0, f64::INFINITY, 0.5, -0.0] };
        let tame = Profile { name: "Wild".into(), factors: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.0] };
        assert_eq!(radar(&[wild], &Theme::print()), radar(&[tame], &Theme::print()), "clamped exactly as 0..1; non-finite drawn at 0");
    }
}
