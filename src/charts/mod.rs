//! Charts: every chart Vetta shows or prints, drawn once in Rust with plotters' SVG backend.
//!
//! Each public function takes plain data (the input types of `data.rs`, re-exported here) and a
//! [`Theme`], and returns a complete SVG document as a `String`. The same string is shown in the app and
//! embedded in the typst PDF briefs (A4, figures about 170 mm wide), so a chart looks the same on screen
//! and on paper.
//!
//! What lives here: the input types, the factor palette (one Okabe–Ito colour per factor, the same in every
//! chart), the themes, and the eight charts — ranking, radar, sales by region, install base, testimony
//! timeline, tornado, SMAA rank-acceptability heatmap and ownership diagram.
//!
//! This module does no IO and depends on no system fonts: the SVG backend only writes `<text>` elements
//! naming [`Theme::font_family`]; the renderer (typst with its embedded fonts, or the webview) supplies the
//! glyphs. Text widths for layout are estimated per character (a little narrower for serif print faces),
//! never measured, and erring wide so labels do not collide in any likely font.
//!
//! Every chart handles empty input (a framed "No data"), one item and many (long lists are cut with a
//! "… and N more" note), and never lets NaN, infinities or huge values reach plotters.

mod axes;
mod data;
mod draw;
mod heatmap;
mod install;
mod ownership;
mod palette;
mod radar;
mod ranking;
mod sales;
mod scale;
mod testimony;
mod text;
mod theme;
mod tornado;

pub use self::data::{
    Factor, InstallPoint, OwnerEdge, OwnerNode, OwnershipGraph, Profile, RankingBar, SalesPoint, SmaaRow, TestimonyPoint, TornadoBar,
    factor_named,
};
pub use self::heatmap::{HEATMAP_MAX_COLUMNS, HEATMAP_MAX_ROWS, smaa_heatmap};
pub use self::install::install_base;
pub use self::ownership::{OWNERSHIP_MAX_NODES, ownership};
pub use self::palette::{Rgb, factor_colour, factor_colour_on};
pub use self::radar::{RADAR_MAX_VENDORS, radar};
pub use self::ranking::{RANKING_MAX_ROWS, ranking};
pub use self::sales::{SALES_TOP_COUNTRIES, sales_by_region};
pub use self::testimony::testimony_timeline;
pub use self::theme::Theme;
pub use self::tornado::tornado;

#[cfg(test)]
mod tests;
