//! Axis arithmetic in f64 only: linear maps, "nice" ticks and date ticks.
//!
//! Axes are computed here rather than with plotters' mesh so that plotters' integer key-point code (which
//! overflows in debug builds on wide i32 ranges) is never reached, and so degenerate ranges (empty, all
//! equal, non-finite) are widened before anything is drawn.

use chrono::{Datelike, NaiveDate};

/// Largest magnitude drawn. Values beyond are clamped for drawing only; labels print the real value.
pub(super) const MAX_MAGNITUDE: f64 = 1e15;

/// `v` if finite, else `fallback`: the one place where NaN and infinities are stopped before drawing.
pub(super) fn finite_or(v: f64, fallback: f64) -> f64 {
    if v.is_finite() { v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE) } else { fallback }
}

/// A linear map from a data interval onto a pixel interval (either may be reversed).
#[derive(Debug, Clone, Copy)]
pub(super) struct Linear {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Linear {
    /// A map of `[d0, d1]` onto `[r0, r1]`; an empty or non-finite domain is widened by [`widen`].
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Linear {
        let (d0, d1) = widen(d0, d1);
        Linear { d0, d1, r0, r1 }
    }

    pub fn map(&self, v: f64) -> f64 {
        let v = finite_or(v, self.d0);
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }

    /// Like [`Linear::map`] but held inside the pixel interval.
    pub fn map_clamped(&self, v: f64) -> f64 {
        let (lo, hi) = if self.r0 <= self.r1 { (self.r0, self.r1) } else { (self.r1, self.r0) };
        self.map(v).clamp(lo, hi)
    }
}

/// A non-empty finite interval: swaps reversed bounds, replaces non-finite ones and widens a single point.
pub(super) fn widen(lo: f64, hi: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (finite_or(lo, 0.0), finite_or(hi, 1.0));
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.5 };
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// Ticks at 1, 2, 2.5 or 5 × 10^k covering `[lo, hi]` with at most about `target` intervals.
/// Returns `(nice_lo, nice_hi, step, ticks)`; the nice bounds contain the data.
pub(super) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (f64, f64, f64, Vec<f64>) {
    let (lo, hi) = widen(lo, hi);
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let mult = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|m| norm <= *m + 1e-9).unwrap_or(10.0);
    let step = mult * mag;
    let nlo = (lo / step + 1e-9).floor() * step;
    let nhi = (hi / step - 1e-9).ceil() * step;
    let n = (((nhi - nlo) / step).round() as usize).min(200);
    let ticks = (0..=n)
        .map(|i| {
            let t = nlo + i as f64 * step;
            if t.abs() < step * 1e-9 { 0.0 } else { t }
        })
        .collect();
    (nlo, nhi, step, ticks)
}

/// Days since 1970-01-01 as f64: the date axis coordinate.
pub(super) fn day_number(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as f64
}

/// Date ticks between two day numbers: whole years, or months (1, 2, 3 or 6 apart), or days,
/// whichever gives at most about `target` labels. Returns `(day_number, label)` pairs.
pub(super) fn date_ticks(lo: f64, hi: f64, target: usize) -> Vec<(f64, String)> {
    let (lo, hi) = widen(lo, hi);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    // Clamped to about ±9,800 years, well inside chrono's range, so the addition cannot fail.
    let to_date = |v: f64| epoch.checked_add_signed(chrono::TimeDelta::days(v.clamp(-3.6e6, 3.6e6) as i64)).unwrap_or(epoch);
    let (a, b) = (to_date(lo.floor()), to_date(hi.ceil()));
    let target = target.max(2) as i32;
    let years = b.year() - a.year();
    let mut out = Vec::new();
    if years >= 3 {
        let step = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000].into_iter().find(|s| years / s <= target).unwrap_or(1000);
        let mut y = a.year().div_euclid(step) * step;
        while y <= b.year() && out.len() < 200 {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                let v = day_number(d);
                if v >= lo && v <= hi {
                    out.push((v, y.to_string()));
                }
            }
            y += step;
        }
    } else {
        let months = years * 12 + b.month() as i32 - a.month() as i32;
        if months >= 2 {
            let step = [1, 2, 3, 6, 12].into_iter().find(|s| months / s <= target).unwrap_or(12);
            let (mut y, mut m) = (a.year(), a.month0() as i32);
            m -= m % step;
            while (y, m) <= (b.year(), b.month0() as i32) && out.len() < 200 {
                if let Some(d) = NaiveDate::from_ymd_opt(y, m as u32 + 1, 1) {
                    let v = day_number(d);
                    if v >= lo && v <= hi {
                        out.push((v, d.format("%b %Y").to_string()));
                    }
                }
                m += step;
                if m >= 12 {
                    m -= 12;
                    y += 1;
                }
            }
        } else {
            let days = (hi - lo).max(1.0);
            let step = [1.0, 2.0, 7.0, 14.0].into_iter().find(|s| days / s <= f64::from(target)).unwrap_or(14.0);
            let mut v = lo.ceil();
            while v <= hi && out.len() < 200 {
                out.push((v, to_date(v).format("%d %b %Y").to_string()));
                v += step;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_data_with_round_steps() {
        let (lo, hi, step, ticks) = nice_ticks(0.0, 97.0, 5);
        assert_eq!((lo, hi, step), (0.0, 100.0, 20.0));
        assert_eq!(ticks.len(), 6);
        let (_, hi, _, _) = nice_ticks(0.0, 1e12, 5);
        assert!(hi >= 1e12, "huge ranges are covered: {hi}");
    }

    #[test]
    fn degenerate_ranges_are_widened_not_divided_by_zero() {
        for (lo, hi) in [(0.0, 0.0), (5.0, 5.0), (f64::NAN, f64::NAN), (f64::INFINITY, 1.0), (3.0, 1.0), (-1e300, 1e300)] {
            let (nlo, nhi, step, ticks) = nice_ticks(lo, hi, 5);
            assert!(nlo.is_finite() && nhi.is_finite() && nhi > nlo, "range ({lo}, {hi}) → ({nlo}, {nhi})");
            assert!(step > 0.0 && !ticks.is_empty() && ticks.len() <= 201, "ticks for ({lo}, {hi}): {}", ticks.len());
            let m = Linear::new(lo, hi, 0.0, 100.0);
            assert!(m.map(lo).is_finite() && m.map(f64::NAN).is_finite(), "map of ({lo}, {hi}) stays finite");
        }
    }

    #[test]
    fn date_ticks_choose_years_months_or_days_by_span() {
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        let years = date_ticks(d(2015, 3, 1), d(2024, 6, 1), 6);
        assert!(years.iter().all(|(_, l)| l.len() == 4), "year labels: {years:?}");
        assert!(years.len() <= 7 && years.len() >= 3, "few year ticks: {years:?}");
        let months = date_ticks(d(2023, 1, 15), d(2023, 12, 20), 6);
        assert!(months.iter().all(|(_, l)| l.contains("2023")), "month labels: {months:?}");
        assert!(!date_ticks(d(2023, 1, 1), d(2023, 1, 10), 6).is_empty(), "a few days still get ticks");
        assert!(date_ticks(-1e9, 1e9, 6).len() <= 201, "absurd spans stay bounded");
    }
}
