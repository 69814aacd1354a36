//! The look of a chart: font family, light or dark, and the SVG's size in user units.

use serde::{Deserialize, Serialize};

use super::data::Factor;
use super::palette::{Rgb, factor_colour_on};
use super::text::Metrics;

/// How a chart is drawn. `width` is exact. `height` is the height of the fixed-layout charts (radar, sales,
/// install base, testimony, empty states); charts with one row per item (ranking, heatmap, tornado,
/// ownership) size themselves to their content instead, so rows stay legible and no space is left blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Written into every `<text>`; nothing is loaded, so it must name a font the renderer has:
    /// typst's embedded fonts for briefs, the webview's generic families on screen.
    pub font_family: String,
    pub dark: bool,
    pub width: u32,
    pub height: u32,
}

impl Theme {
    /// For PDF briefs: light, Libertinus Serif (embedded in typst), 680 × 360 units, a figure ~170 mm wide on A4,
    /// where 11–12 unit text prints at about 8 pt.
    pub fn print() -> Theme {
        Theme { font_family: "Libertinus Serif".to_owned(), dark: false, width: 680, height: 360 }
    }

    /// For the app: the webview's `sans-serif`, light or dark, same geometry as print so one layout serves both.
    pub fn screen(dark: bool) -> Theme {
        Theme { font_family: "sans-serif".to_owned(), dark, width: 680, height: 360 }
    }

    /// Colour of factor `j` for this theme (privilege turns grey on dark).
    pub fn factor_colour(&self, factor: Factor) -> Rgb {
        factor_colour_on(factor, self.dark)
    }

    /// Width clamped to something drawable: a zero or absurd size must not make the layout arithmetic misbehave.
    pub(super) fn safe_width(&self) -> u32 {
        self.width.clamp(320, 4000)
    }

    pub(super) fn safe_height(&self) -> u32 {
        self.height.clamp(160, 4000)
    }

    /// Text measurement for this theme's font family.
    pub(super) fn metrics(&self) -> Metrics {
        Metrics::for_family(&self.font_family)
    }

    pub(super) fn ink(&self) -> Ink {
        if self.dark {
            Ink {
                background: Rgb(0x1B, 0x1E, 0x23),
                text: Rgb(0xE8, 0xE8, 0xE8),
                muted: Rgb(0xA8, 0xAE, 0xB6),
                grid: Rgb(0x3A, 0x40, 0x48),
                axis: Rgb(0x80, 0x86, 0x8E),
                panel: Rgb(0x26, 0x2A, 0x31),
                concern: Rgb(0xF4, 0x6D, 0x43),
                prohibited: Rgb(0xD7, 0x30, 0x27),
            }
        } else {
            Ink {
                background: Rgb(0xFF, 0xFF, 0xFF),
                text: Rgb(0x22, 0x22, 0x22),
                muted: Rgb(0x5F, 0x5F, 0x5F),
                grid: Rgb(0xDD, 0xDD, 0xDD),
                axis: Rgb(0x75, 0x75, 0x75),
                panel: Rgb(0xF6, 0xF6, 0xF6),
                concern: Rgb(0xB2, 0x18, 0x2B),
                prohibited: Rgb(0xB2, 0x18, 0x2B),
            }
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::print()
    }
}

/// The non-data colours a theme derives.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ink {
    pub background: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub grid: Rgb,
    pub axis: Rgb,
    pub panel: Rgb,
    pub concern: Rgb,
    pub prohibited: Rgb,
}
