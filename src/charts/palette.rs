//! Colours: one colour per factor everywhere (Okabe–Ito, colour-blind safe), plus the few series palettes the charts share.
//!
//! Factor colours are the only public ones: the UI may reuse them next to a chart so a factor looks the same
//! on every screen and in every brief. Every other cue that matters (concern, stance, vendor) is also carried
//! by a shape, a dash, a hatch or a text label, so colour is never the only way to read a chart.

use super::data::Factor;

/// An sRGB colour, independent of the drawing library so the UI can use it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#RRGGBB`, upper-case, as the SVG backend writes it (so tests can look for it in the output).
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG), used to pick black or white text on a filled cell.
    pub(super) fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Linear blend towards `other` by `t` in [0, 1].
    pub(super) fn mix(self, other: Rgb, t: f64) -> Rgb {
        let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// Colour of a factor on a light background, as in print: the Okabe–Ito palette of [`Factor::rgb`].
pub fn factor_colour(factor: Factor) -> Rgb {
    let (r, g, b) = factor.rgb();
    Rgb(r, g, b)
}

/// Colour of a factor on a light or dark background (privilege's black turns grey on dark).
pub fn factor_colour_on(factor: Factor, dark: bool) -> Rgb {
    let (r, g, b) = if dark { factor.rgb_on_dark() } else { factor.rgb() };
    Rgb(r, g, b)
}

/// Vendor series (radar): Paul Tol's muted/bright colours, chosen so they do not look like a factor colour.
/// Always paired with a dash pattern and a marker shape.
pub(super) fn vendor_colour(i: usize, dark: bool) -> Rgb {
    const LIGHT: [Rgb; 5] =
        [Rgb(0x33, 0x22, 0x88), Rgb(0x88, 0x22, 0x55), Rgb(0x11, 0x77, 0x33), Rgb(0x99, 0x99, 0x33), Rgb(0x44, 0xAA, 0x99)];
    const DARK: [Rgb; 5] =
        [Rgb(0x88, 0xCC, 0xEE), Rgb(0xCC, 0x66, 0x77), Rgb(0x44, 0xAA, 0x99), Rgb(0xDD, 0xCC, 0x77), Rgb(0xAA, 0x44, 0x99)];
    if dark { DARK[i % 5] } else { LIGHT[i % 5] }
}

/// Concern: a red family for countries and entities of concern (always with a hatch, border or "concern" label).
pub(super) fn concern_shades(dark: bool) -> [Rgb; 4] {
    if dark {
        [Rgb(0xF4, 0x6D, 0x43), Rgb(0xD7, 0x30, 0x27), Rgb(0xFD, 0xAE, 0x61), Rgb(0xA5, 0x00, 0x26)]
    } else {
        [Rgb(0xB2, 0x18, 0x2B), Rgb(0xD6, 0x60, 0x4D), Rgb(0x67, 0x00, 0x1F), Rgb(0xF4, 0xA5, 0x82)]
    }
}

/// Countries not of concern: blues and greys, so they read as "not red" without relying on hue alone.
pub(super) fn neutral_shades(dark: bool) -> [Rgb; 6] {
    if dark {
        [
            Rgb(0x43, 0x93, 0xC3),
            Rgb(0x92, 0xC5, 0xDE),
            Rgb(0x21, 0x66, 0xAC),
            Rgb(0xBA, 0xBA, 0xBA),
            Rgb(0x87, 0x87, 0x87),
            Rgb(0xD1, 0xE5, 0xF0),
        ]
    } else {
        [
            Rgb(0x21, 0x66, 0xAC),
            Rgb(0x43, 0x93, 0xC3),
            Rgb(0x92, 0xC5, 0xDE),
            Rgb(0x4D, 0x4D, 0x4D),
            Rgb(0x87, 0x87, 0x87),
            Rgb(0xBA, 0xBA, 0xBA),
        ]
    }
}

/// Sequential single-hue ramp (ColorBrewer Blues) for the SMAA heatmap: colour-blind safe and prints in grey.
/// On dark backgrounds it runs from the background towards light blue so empty cells do not glare.
pub(super) fn heat(t: f64, dark: bool) -> Rgb {
    const LIGHT: [Rgb; 9] = [
        Rgb(0xF7, 0xFB, 0xFF),
        Rgb(0xDE, 0xEB, 0xF7),
        Rgb(0xC6, 0xDB, 0xEF),
        Rgb(0x9E, 0xCA, 0xE1),
        Rgb(0x6B, 0xAE, 0xD6),
        Rgb(0x42, 0x92, 0xC6),
        Rgb(0x21, 0x71, 0xB5),
        Rgb(0x08, 0x51, 0x9C),
        Rgb(0x08, 0x30, 0x6B),
    ];
    const DARK: [Rgb; 6] = [
        Rgb(0x1F, 0x25, 0x2E),
        Rgb(0x1B, 0x3A, 0x5C),
        Rgb(0x21, 0x5A, 0x8F),
        Rgb(0x42, 0x92, 0xC6),
        Rgb(0x9E, 0xCA, 0xE1),
        Rgb(0xF7, 0xFB, 0xFF),
    ];
    let ramp: &[Rgb] = if dark { &DARK } else { &LIGHT };
    // Non-finite shares are treated as 0 (empty cell) before they can reach the drawing code.
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let pos = t * (ramp.len() - 1) as f64;
    let i = (pos.floor() as usize).min(ramp.len() - 2);
    ramp[i].mix(ramp[i + 1], pos - i as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_colours_are_the_okabe_ito_palette_in_factor_order() {
        assert_eq!(factor_colour(Factor::Ownership).hex(), "#E69F00", "ownership is orange");
        assert_eq!(factor_colour(Factor::Privilege).hex(), "#000000", "privilege is black in print");
        assert_eq!(factor_colour_on(Factor::Privilege, true).hex(), "#999999", "privilege turns grey on dark backgrounds");
        assert_eq!(
            factor_colour_on(Factor::Market, true),
            factor_colour(Factor::Market),
            "other factors keep their colour on dark backgrounds"
        );
        let distinct: std::collections::BTreeSet<String> = Factor::ALL.map(|f| factor_colour(f).hex()).into_iter().collect();
        assert_eq!(distinct.len(), 8, "eight factors, eight colours");
    }

    #[test]
    fn heat_ramp_is_monotone_in_lightness_and_safe_for_nan() {
        let l: Vec<f64> = (0..=10).map(|i| heat(f64::from(i) / 10.0, false).luminance()).collect();
        assert!(l.windows(2).all(|w| w[0] >= w[1]), "light ramp darkens as the share grows: {l:?}");
        let d: Vec<f64> = (0..=10).map(|i| heat(f64::from(i) / 10.0, true).luminance()).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "dark ramp brightens as the share grows: {d:?}");
        assert_eq!(heat(f64::NAN, false), heat(0.0, false), "NaN is drawn as an empty cell");
    }
}
