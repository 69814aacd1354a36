//! Scenario parameters (risk-model.md §Parameters): defaults, domains, and the textual form used by
//! `--param name=value`, scenarios and the JSON `params` object.
//!
//! A value outside its domain is an error, never clamped: a scenario that silently ran with a different
//! number than the one the analyst typed would print a score nobody asked for.

use chrono::NaiveDate;
use serde::Serialize;

/// Every parameter name of the spec table, in table order (also the order of [`Params::to_pairs`]).
pub const PARAM_NAMES: [&str; 11] = [
    "as_of",
    "concern_countries",
    "private_concern",
    "control_threshold",
    "half_life_years",
    "testimony_scale",
    "market_window_years",
    "users_ref",
    "missing",
    "share_basis",
    "control_confidence",
];

/// Default countries of concern: the US foreign-adversary list (15 CFR 791.4).
pub const DEFAULT_CONCERN_COUNTRIES: [&str; 7] = ["CN", "HK", "CU", "IR", "KP", "RU", "VE"];

/// The point of an equity row given as a range (v1.3): its low end, its middle or its high end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ShareBasis {
    Low,
    Mid,
    High,
}

impl ShareBasis {
    pub const WORDS: [&'static str; 3] = ["low", "mid", "high"];

    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "low" => Self::Low,
            "mid" => Self::Mid,
            "high" => Self::High,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::WORDS[self as usize]
    }

    /// The point of the range `[min, max]` on this basis.
    pub fn point(self, min: f64, max: f64) -> f64 {
        match self {
            Self::Low => min,
            Self::Mid => (min + max) / 2.0,
            Self::High => max,
        }
    }
}

/// Value given to `market` / `install_base` for a vendor without rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    Zero,
    Neutral,
    Worst,
}

impl MissingPolicy {
    pub const WORDS: [&'static str; 3] = ["zero", "neutral", "worst"];

    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "zero" => Self::Zero,
            "neutral" => Self::Neutral,
            "worst" => Self::Worst,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::WORDS[self as usize]
    }

    /// The factor value the policy stands for: `zero` 0, `neutral` 0.5, `worst` 1.
    pub fn value(self) -> f64 {
        match self {
            Self::Zero => 0.0,
            Self::Neutral => 0.5,
            Self::Worst => 1.0,
        }
    }
}

/// The parameters of one scenario. Serializes to the JSON `params` object with the spec's names
/// (`as_of` as `YYYY-MM-DD`, `missing` as its word).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(rename = "ScoreParams")]
pub struct Params {
    pub as_of: NaiveDate,
    pub concern_countries: Vec<String>,
    pub private_concern: f64,
    pub control_threshold: f64,
    pub half_life_years: f64,
    pub testimony_scale: f64,
    pub market_window_years: u32,
    pub users_ref: f64,
    pub missing: MissingPolicy,
    /// The point used for an equity row given as a range (v1.3).
    pub share_basis: ShareBasis,
    /// Confidence at which a `control` tie is a step of a control path (v1.3).
    pub control_confidence: f64,
}

/// Why a parameter was refused. The two kinds map to different exit codes (cli.md): a name the program
/// does not know is a usage error, a known name with a bad value is bad input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown parameter `{0}` (known: {known})", known = PARAM_NAMES.join(", "))]
    UnknownName(String),
    #[error("parameter `{name}`: {value:?} {reason}")]
    BadValue { name: &'static str, value: String, reason: String },
}

impl ParamError {
    /// Exit status per cli.md: 2 for an unknown name (usage), 1 for a bad value.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::UnknownName(_) => 2,
            Self::BadValue { .. } => 1,
        }
    }
}

impl Params {
    /// The spec defaults, evaluated on `today` (the caller's UTC date: this module reads no clock).
    pub fn defaults(today: NaiveDate) -> Self {
        Self {
            as_of: today,
            concern_countries: DEFAULT_CONCERN_COUNTRIES.iter().map(|c| (*c).to_owned()).collect(),
            private_concern: 0.5,
            control_threshold: 0.5,
            half_life_years: 3.0,
            testimony_scale: 3.0,
            market_window_years: 3,
            users_ref: 1e9,
            missing: MissingPolicy::Neutral,
            share_basis: ShareBasis::Mid,
            control_confidence: 0.75,
        }
    }

    /// Checks every parameter against its domain. [`Params::set`] already refuses bad values; this is
    /// for parameters built or loaded some other way (a stored scenario, a struct literal).
    pub fn validate(&self) -> Result<(), ParamError> {
        for code in &self.concern_countries {
            check_country(code).map_err(|reason| bad("concern_countries", code, reason))?;
        }
        check_unit(self.private_concern).map_err(|r| bad("private_concern", &self.private_concern.to_string(), r))?;
        check_threshold(self.control_threshold).map_err(|r| bad("control_threshold", &self.control_threshold.to_string(), r))?;
        check_positive(self.half_life_years).map_err(|r| bad("half_life_years", &self.half_life_years.to_string(), r))?;
        check_positive(self.testimony_scale).map_err(|r| bad("testimony_scale", &self.testimony_scale.to_string(), r))?;
        check_window(self.market_window_years).map_err(|r| bad("market_window_years", &self.market_window_years.to_string(), r))?;
        check_positive(self.users_ref).map_err(|r| bad("users_ref", &self.users_ref.to_string(), r))?;
        check_threshold(self.control_confidence).map_err(|r| bad("control_confidence", &self.control_confidence.to_string(), r))?;
        Ok(())
    }

    /// Sets one parameter from its textual form (`--param name=value`). All or nothing: on error the
    /// parameters are unchanged. Surrounding white space of the value is ignored.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ParamError> {
        let text = value.trim();
        match name {
            "as_of" => self.as_of = parse_date(text).map_err(|r| bad("as_of", value, r))?,
            "concern_countries" => {
                self.concern_countries = parse_countries(text).map_err(|r| bad("concern_countries", value, r))?;
            }
            "private_concern" => {
                self.private_concern =
                    parse_decimal(text).and_then(|x| check_unit(x).map(|()| x)).map_err(|r| bad("private_concern", value, r))?;
            }
            "control_threshold" => {
                self.control_threshold =
                    parse_decimal(text).and_then(|x| check_threshold(x).map(|()| x)).map_err(|r| bad("control_threshold", value, r))?;
            }
            "half_life_years" => {
                self.half_life_years =
                    parse_decimal(text).and_then(|x| check_positive(x).map(|()| x)).map_err(|r| bad("half_life_years", value, r))?;
            }
            "testimony_scale" => {
                self.testimony_scale =
                    parse_decimal(text).and_then(|x| check_positive(x).map(|()| x)).map_err(|r| bad("testimony_scale", value, r))?;
            }
            "market_window_years" => {
                self.market_window_years = parse_window(text).map_err(|r| bad("market_window_years", value, r))?;
            }
            "users_ref" => {
                self.users_ref = parse_decimal(text).and_then(|x| check_positive(x).map(|()| x)).map_err(|r| bad("users_ref", value, r))?;
            }
            "missing" => {
                self.missing = MissingPolicy::parse(text).ok_or_else(|| bad("missing", value, "is not zero, neutral or worst"))?;
            }
            "share_basis" => {
                self.share_basis = ShareBasis::parse(text).ok_or_else(|| bad("share_basis", value, "is not low, mid or high"))?;
            }
            "control_confidence" => {
                self.control_confidence =
                    parse_decimal(text).and_then(|x| check_threshold(x).map(|()| x)).map_err(|r| bad("control_confidence", value, r))?;
            }
            _ => return Err(ParamError::UnknownName(name.to_owned())),
        }
        Ok(())
    }

    /// `(name, value)` in table order, each value in the form [`Params::set`] accepts back (numbers in
    /// shortest round-trip form, countries comma-separated).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("as_of", self.as_of.format("%Y-%m-%d").to_string()),
            ("concern_countries", self.concern_countries.join(",")),
            ("private_concern", self.private_concern.to_string()),
            ("control_threshold", self.control_threshold.to_string()),
            ("half_life_years", self.half_life_years.to_string()),
            ("testimony_scale", self.testimony_scale.to_string()),
            ("market_window_years", self.market_window_years.to_string()),
            ("users_ref", self.users_ref.to_string()),
            ("missing", self.missing.as_str().to_owned()),
            ("share_basis", self.share_basis.as_str().to_owned()),
            ("control_confidence", self.control_confidence.to_string()),
        ]
    }

    /// Whether `country` is a country of concern. The list is a handful of codes, so a scan beats
    /// hashing.
    pub fn is_concern(&self, country: &str) -> bool {
        self.concern_countries.iter().any(|c| c == country)
    }
}

/// The concern list as a 26 × 26 table of two-letter codes: a lookup per sales row instead of a scan
/// of string comparisons. Anything not two upper-case letters (region codes, `WORLD`) is not of concern.
#[derive(Debug, Clone)]
pub(super) struct ConcernSet {
    table: Vec<bool>,
}

impl ConcernSet {
    pub(super) fn new(params: &Params) -> Self {
        let mut table = vec![false; 26 * 26];
        for code in &params.concern_countries {
            if let Some(slot) = Self::slot(code) {
                table[slot] = true;
            }
        }
        ConcernSet { table }
    }

    pub(super) fn contains(&self, country: &str) -> bool {
        Self::slot(country).is_some_and(|slot| self.table[slot])
    }

    fn slot(code: &str) -> Option<usize> {
        match code.as_bytes() {
            &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => Some(usize::from(a - b'A') * 26 + usize::from(b - b'A')),
            _ => None,
        }
    }
}

fn bad(name: &'static str, value: &str, reason: impl Into<String>) -> ParamError {
    ParamError::BadValue { name, value: value.to_owned(), reason: reason.into() }
}

fn check_unit(x: f64) -> Result<(), &'static str> {
    if (0.0..=1.0).contains(&x) { Ok(()) } else { Err("is outside [0, 1]") }
}

fn check_threshold(x: f64) -> Result<(), &'static str> {
    if x > 0.0 && x <= 1.0 { Ok(()) } else { Err("is outside (0, 1]") }
}

fn check_positive(x: f64) -> Result<(), &'static str> {
    // `is_finite` also refuses NaN, for which every comparison is false.
    if x.is_finite() && x > 0.0 { Ok(()) } else { Err("is not a finite number > 0") }
}

fn check_window(years: u32) -> Result<(), &'static str> {
    if years >= 1 { Ok(()) } else { Err("is not an integer >= 1") }
}

fn check_country(code: &str) -> Result<(), &'static str> {
    if crate::model::is_iso_country(code) { Ok(()) } else { Err("is not an officially assigned ISO 3166-1 alpha-2 code") }
}

/// `YYYY-MM-DD`, a real calendar date, year 1–9999 (chrono's own parser would also take `2025-1-5`).
fn parse_date(text: &str) -> Result<NaiveDate, &'static str> {
    const SHAPE: &str = "is not a date YYYY-MM-DD";
    let b = text.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(SHAPE);
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().map_err(|_| SHAPE);
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if year == 0 {
        return Err("has year 0");
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or("is not a real calendar date")
}

/// Comma-separated codes; an empty value is the empty list. Duplicates are dropped (first kept).
fn parse_countries(text: &str) -> Result<Vec<String>, &'static str> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut codes: Vec<String> = Vec::new();
    for code in text.split(',').map(str::trim) {
        check_country(code).map_err(|_| "has an entry that is not an upper-case ISO 3166-1 alpha-2 code")?;
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    Ok(codes)
}

/// A decimal as data-formats.md defines it: `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`, finite. Rust's
/// own `f64` parser would also take `inf`, `NaN` and `infinity`.
fn parse_decimal(text: &str) -> Result<f64, &'static str> {
    const SHAPE: &str = "is not a decimal number";
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut mantissa = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return Err(SHAPE);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return Err(SHAPE);
        }
    }
    if i != b.len() {
        return Err(SHAPE);
    }
    let x: f64 = text.parse().map_err(|_| SHAPE)?;
    if x.is_finite() { Ok(x) } else { Err("is not finite") }
}

/// Integers are digits only (data-formats.md), so `3.0` or `+3` is refused rather than guessed at.
fn parse_window(text: &str) -> Result<u32, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not an integer >= 1");
    }
    let years: u32 = text.parse().map_err(|_| "is too large")?;
    check_window(years)?;
    Ok(years)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Params {
        Params::defaults(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())
    }

    fn rejects(name: &str, value: &str) {
        let mut p = defaults();
        let before = p.clone();
        match p.set(name, value) {
            Err(e @ ParamError::BadValue { .. }) => assert_eq!(e.exit_code(), 1, "a bad value is bad input (exit 1)"),
            other => panic!("{name}={value:?} is outside the domain and must be refused, got {other:?}"),
        }
        assert_eq!(p, before, "a refused value must leave the parameters unchanged");
    }

    fn accepts(name: &str, value: &str) -> Params {
        let mut p = defaults();
        p.set(name, value).unwrap_or_else(|e| panic!("{name}={value:?} is inside the domain: {e}"));
        p.validate().expect("a value accepted by set must pass validate");
        p
    }

    #[test]
    fn defaults_are_the_spec_table() {
        let p = defaults();
        assert_eq!(p.concern_countries, ["CN", "HK", "CU", "IR", "KP", "RU", "VE"], "15 CFR 791.4 list");
        assert_eq!(
            (p.private_concern, p.control_threshold, p.half_life_years, p.testimony_scale),
            (0.5, 0.5, 3.0, 3.0),
            "numeric defaults of the spec table"
        );
        assert_eq!((p.market_window_years, p.users_ref, p.missing), (3, 1e9, MissingPolicy::Neutral), "spec table");
        p.validate().expect("the defaults must be inside their own domains");
    }

    #[test]
    fn values_outside_their_domains_are_refused_not_clamped() {
        for (name, value) in [
            ("private_concern", "-0.1"),
            ("private_concern", "1.0000001"),
            ("control_threshold", "0"),
            ("control_threshold", "1.5"),
            ("half_life_years", "0"),
            ("half_life_years", "-3"),
            ("testimony_scale", "0"),
            ("users_ref", "0"),
            ("users_ref", "1e400"),
            ("users_ref", "inf"),
            ("private_concern", "NaN"),
            ("market_window_years", "0"),
            ("market_window_years", "3.0"),
            ("market_window_years", "-1"),
            ("market_window_years", "99999999999"),
            ("as_of", "2025-02-30"),
            ("as_of", "2025-1-5"),
            ("as_of", "0000-01-01"),
            ("concern_countries", "cn,RU"),
            ("concern_countries", "CHN"),
            ("concern_countries", "CN,,RU"),
            ("missing", "Neutral"),
            ("half_life_years", "1,5"),
            ("half_life_years", "."),
            ("half_life_years", "1e"),
        ] {
            rejects(name, value);
        }
    }

    #[test]
    fn validate_catches_what_a_struct_literal_let_through() {
        type Spoil = fn(&mut Params);
        let cases: [(&str, Spoil); 6] = [
            ("private_concern", |p| p.private_concern = f64::NAN),
            ("control_threshold", |p| p.control_threshold = 0.0),
            ("half_life_years", |p| p.half_life_years = f64::INFINITY),
            ("testimony_scale", |p| p.testimony_scale = -1.0),
            ("market_window_years", |p| p.market_window_years = 0),
            ("concern_countries", |p| p.concern_countries.push("ru".into())),
        ];
        for (name, spoil) in cases {
            let mut p = defaults();
            spoil(&mut p);
            match p.validate() {
                Err(ParamError::BadValue { name: got, .. }) => assert_eq!(got, name, "the error names the bad parameter"),
                other => panic!("{name} outside its domain must fail validation, got {other:?}"),
            }
        }
    }

    #[test]
    fn unknown_names_are_usage_errors() {
        let mut p = defaults();
        let err = p.set("halflife", "3").expect_err("an unknown name must be refused");
        assert_eq!(err, ParamError::UnknownName("halflife".into()), "the error names what was typed");
        assert_eq!(err.exit_code(), 2, "an unknown parameter name is a usage error (exit 2)");
        assert!(err.to_string().contains("half_life_years"), "the message lists the known names: {err}");
    }

    #[test]
    fn every_table_parameter_is_settable_including_as_of_concern_and_missing() {
        assert_eq!(accepts("as_of", "2024-02-29").as_of, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), "leap day");
        assert_eq!(accepts("concern_countries", " RU , CN,RU").concern_countries, ["RU", "CN"], "trimmed, deduplicated");
        assert!(accepts("concern_countries", "").concern_countries.is_empty(), "an empty list means no concern");
        assert_eq!(accepts("private_concern", "1").private_concern, 1.0, "closed upper end");
        assert_eq!(accepts("private_concern", "0").private_concern, 0.0, "closed lower end");
        assert_eq!(accepts("control_threshold", "1").control_threshold, 1.0, "(0, 1] includes 1");
        assert_eq!(accepts("half_life_years", ".5").half_life_years, 0.5, "decimal grammar allows .5");
        assert_eq!(accepts("testimony_scale", "2E0").testimony_scale, 2.0, "decimal grammar allows exponents");
        assert_eq!(accepts("market_window_years", "1").market_window_years, 1, "integer >= 1");
        assert_eq!(accepts("users_ref", "1e6").users_ref, 1e6, "> 0");
        assert_eq!(accepts("missing", "worst").missing, MissingPolicy::Worst, "policy word");
        let names: Vec<&str> = defaults().to_pairs().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, PARAM_NAMES, "to_pairs lists every parameter in table order");
    }

    #[test]
    fn to_pairs_round_trips_through_set() {
        let mut p = defaults();
        p.set("users_ref", "123456.789").unwrap();
        p.set("half_life_years", "0.1").unwrap();
        p.set("missing", "zero").unwrap();
        let mut q = Params::defaults(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        q.concern_countries.clear();
        for (name, value) in p.to_pairs() {
            q.set(name, &value).unwrap_or_else(|e| panic!("printed value {value:?} must be accepted back: {e}"));
        }
        assert_eq!(q, p, "printing then setting every pair must reproduce the parameters exactly");
    }
}
