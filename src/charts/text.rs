//! Text without fonts: width estimates, truncation and number formats.
//!
//! The SVG backend never measures text (the renderer picks the real font later), so layout uses a
//! per-character estimate tuned to be slightly wider than DejaVu Sans, the widest font these SVGs are
//! likely to meet (a webview's `sans-serif` on Linux); Libertinus Serif in print is narrower, so an
//! estimate that fits there fits everywhere.

/// How wide a theme's font runs relative to [`text_width`], which is tuned to DejaVu Sans (wide). Serif
/// faces such as Libertinus Serif run narrower, so print layouts cut fewer names.
#[derive(Debug, Clone, Copy)]
pub(super) struct Metrics(f64);

impl Metrics {
    /// A scale by family name: about 0.85 for serif faces (with a margin), 1 for everything else.
    pub fn for_family(family: &str) -> Metrics {
        let f = family.to_ascii_lowercase();
        let serif = ["serif", "libertinus", "libertine", "computer modern", "times", "georgia", "garamond"];
        let narrow = serif.iter().any(|s| f.contains(s)) && !f.contains("sans") && !f.contains("mono");
        Metrics(if narrow { 0.85 } else { 1.0 })
    }

    /// Estimated width of `s` at `px` in this font.
    pub fn width(self, s: &str, px: f64) -> f64 {
        text_width(s, px) * self.0
    }

    /// `s` cut with an ellipsis until it fits `max_width` at `px` in this font.
    pub fn fit(self, s: &str, max_width: f64, px: f64) -> String {
        fit(s, max_width / self.0, px)
    }
}

/// Longest vendor or entity name drawn before it is cut with an ellipsis.
pub(super) const NAME_CHARS: usize = 24;

/// Estimated advance width of `s` at font size `px` (SVG user units).
pub(super) fn text_width(s: &str, px: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'j' | 'l' | 'I' => 0.32,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' | '%' | '…' | '—' => 0.95,
            'A'..='Z' => 0.72,
            '0'..='9' => 0.64,
            'a'..='z' => 0.6,
            c if u32::from(c) >= 0x2E80 => 1.0, // CJK and wider scripts
            _ => 0.72,
        })
        .sum();
    em * px
}

/// `s` cut to at most `max_chars` characters, the last one an ellipsis when anything was cut.
/// Control characters (and the non-characters U+FFFE/U+FFFF) become spaces: XML forbids them, and plotters
/// escapes markup but does not filter them. Then leading and trailing whitespace is dropped.
pub(super) fn truncate(s: &str, max_chars: usize) -> String {
    let clean: String = xml_safe(s).trim().to_owned();
    if clean.chars().count() <= max_chars {
        return clean;
    }
    let keep: String = clean.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", keep.trim_end())
}

/// `s` with every character XML 1.0 cannot carry replaced by a space.
pub(super) fn xml_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' { ' ' } else { c }).collect()
}

/// `s` cut (with an ellipsis) until its estimated width at `px` is at most `max_width`.
pub(super) fn fit(s: &str, max_width: f64, px: f64) -> String {
    let mut n = s.chars().count();
    let mut out = truncate(s, n);
    while n > 1 && text_width(&out, px) > max_width {
        n -= 1;
        out = truncate(s, n);
    }
    out
}

/// Human units for counts and money: `0`, `950`, `12k`, `2.5M`, `1.2bn`, `3tn`.
pub(super) fn human(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    let a = v.abs();
    let (scaled, unit) = match a {
        a if a >= 1e12 => (v / 1e12, "tn"),
        a if a >= 1e9 => (v / 1e9, "bn"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let digits = match scaled.abs() {
        s if s >= 100.0 || (unit.is_empty() && s >= 10.0) => 0,
        s if s >= 10.0 => 1,
        _ => 2,
    };
    let mut text = format!("{scaled:.digits$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if text == "-0" {
        text = "0".to_owned();
    }
    format!("{text}{unit}")
}

/// A score with one decimal (`72.4`), `n/a` when it is not a number.
pub(super) fn score(v: f64) -> String {
    if v.is_finite() { format!("{v:.1}") } else { "n/a".to_owned() }
}

/// A number with no more decimals than needed for a tick step (`0.25`, `50`).
pub(super) fn tick(v: f64, step: f64) -> String {
    let decimals = if step.is_finite() && step > 0.0 && step < 1.0 { (-step.log10().floor()) as usize + 1 } else { 0 };
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if s == "-0" { "0".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_short_names_and_cuts_long_ones_with_an_ellipsis() {
        assert_eq!(truncate("Acme", 24), "Acme");
        let long = truncate("Very Long Vendor Name Holdings International", 24);
        assert_eq!(long.chars().count(), 24, "cut to 24 characters: {long}");
        assert!(long.ends_with('…'), "ends with an ellipsis: {long}");
        assert_eq!(truncate("  padded\n", 24), "padded", "whitespace and control characters trimmed");
        assert_eq!(truncate("日本語の長い会社名です", 5), "日本語の…", "cuts on characters, not bytes");
        assert_eq!(truncate("a\u{0}b\u{7}c\u{FFFF}", 24), "a b c", "characters XML cannot carry become spaces");
    }

    #[test]
    fn fit_shrinks_text_until_it_fits_the_width() {
        let s = fit("Extremely long entity name that cannot fit", 80.0, 12.0);
        assert!(text_width(&s, 12.0) <= 80.0, "fits: {s}");
        assert!(s.ends_with('…'));
    }

    #[test]
    fn serif_print_fonts_are_measured_narrower_than_sans_screen_fonts() {
        let s = "Employee Shareholding Trust";
        let (print, screen) = (Metrics::for_family("Libertinus Serif"), Metrics::for_family("sans-serif"));
        assert!(print.width(s, 12.0) < screen.width(s, 12.0), "serif narrower");
        assert_eq!(Metrics::for_family("DejaVu Sans Mono").width(s, 12.0), text_width(s, 12.0), "mono uses the plain estimate");
        assert!(print.fit(s, 150.0, 12.0).chars().count() >= screen.fit(s, 150.0, 12.0).chars().count(), "print cuts less");
    }

    #[test]
    fn human_units_cover_zero_to_trillions() {
        let cases = [
            (0.0, "0"),
            (950.0, "950"),
            (1500.0, "1.5k"),
            (12_000.0, "12k"),
            (2_500_000.0, "2.5M"),
            (1.2e9, "1.2bn"),
            (1e12, "1tn"),
            (-3e6, "-3M"),
            (0.5, "0.5"),
        ];
        for (v, want) in cases {
            assert_eq!(human(v), want, "human({v})");
        }
        assert_eq!(human(f64::NAN), "n/a");
    }

    #[test]
    fn tick_formats_use_no_more_decimals_than_the_step() {
        assert_eq!(tick(0.25, 0.25), "0.25");
        assert_eq!(tick(50.0, 25.0), "50");
        assert_eq!(tick(-0.0, 0.5), "0");
    }
}
