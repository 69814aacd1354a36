//! The eight risk factors as a type, and a map with one value per factor.
//!
//! Everything that speaks of a factor — the engine's matrix columns, evidence, weights, presets,
//! contributions, tornado rows, chart colours, the UI's labels — names it with [`Factor`] and keeps
//! per-factor data in a [`FactorMap`], so there is one list of factors, in one order, in one place.

use std::fmt;
use std::ops::{Index, IndexMut};

use serde::{Deserialize, Serialize};

/// A risk factor of risk-model.md, in the spec's order (the order of every matrix row, map and table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Ownership,
    Ties,
    Jurisdiction,
    Market,
    Testimony,
    Designations,
    InstallBase,
    Privilege,
}

impl Factor {
    /// How many factors there are: the stride of a vendor's row in the factor matrix.
    pub const COUNT: usize = 8;

    /// Every factor, in the spec's order.
    pub const ALL: [Factor; Factor::COUNT] = [
        Factor::Ownership,
        Factor::Ties,
        Factor::Jurisdiction,
        Factor::Market,
        Factor::Testimony,
        Factor::Designations,
        Factor::InstallBase,
        Factor::Privilege,
    ];

    /// The spec's key: `ownership`, …, `install_base`, `privilege` (JSON keys, CSV headers, CLI names).
    pub const fn key(self) -> &'static str {
        match self {
            Factor::Ownership => "ownership",
            Factor::Ties => "ties",
            Factor::Jurisdiction => "jurisdiction",
            Factor::Market => "market",
            Factor::Testimony => "testimony",
            Factor::Designations => "designations",
            Factor::InstallBase => "install_base",
            Factor::Privilege => "privilege",
        }
    }

    /// The label people read: legends, spokes, cards, briefs.
    pub const fn label(self) -> &'static str {
        match self {
            Factor::Ownership => "Ownership",
            Factor::Ties => "Ties",
            Factor::Jurisdiction => "Jurisdiction",
            Factor::Market => "Market",
            Factor::Testimony => "Testimony",
            Factor::Designations => "Designations",
            Factor::InstallBase => "Install base",
            Factor::Privilege => "Privilege",
        }
    }

    /// One line on what the factor measures (the UI's tooltips).
    pub const fn hint(self) -> &'static str {
        match self {
            Factor::Ownership => "Foreign-adversary ownership, through chains of holdings",
            Factor::Ties => "Non-equity ties of the vendor or its controllers to entities of concern",
            Factor::Jurisdiction => "Headquartered in a country of concern",
            Factor::Market => "Share of revenue from countries of concern",
            Factor::Testimony => "Graded official statements, decaying with age",
            Factor::Designations => "Listed on a designation list (or 50 %-owned by listed entities)",
            Factor::InstallBase => "Exposure by number of users",
            Factor::Privilege => "What the product can do on a machine",
        }
    }

    /// The factor's colour on a light background as sRGB: the Okabe–Ito palette (colour-blind safe),
    /// the same on screen, in charts and in print.
    pub const fn rgb(self) -> (u8, u8, u8) {
        match self {
            Factor::Ownership => (0xE6, 0x9F, 0x00),    // orange
            Factor::Ties => (0x56, 0xB4, 0xE9),         // sky blue
            Factor::Jurisdiction => (0x00, 0x9E, 0x73), // bluish green
            Factor::Market => (0xF0, 0xE4, 0x42),       // yellow
            Factor::Testimony => (0x00, 0x72, 0xB2),    // blue
            Factor::Designations => (0xD5, 0x5E, 0x00), // vermillion
            Factor::InstallBase => (0xCC, 0x79, 0xA7),  // reddish purple
            Factor::Privilege => (0x00, 0x00, 0x00),    // black
        }
    }

    /// The colour on a dark background: privilege's black would vanish there, so it is grey.
    pub const fn rgb_on_dark(self) -> (u8, u8, u8) {
        match self {
            Factor::Privilege => (0x99, 0x99, 0x99),
            other => other.rgb(),
        }
    }

    /// The column of this factor in a vendor's row of the factor matrix.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The factor with this key, if any.
    pub fn parse(key: &str) -> Option<Factor> {
        Factor::ALL.into_iter().find(|factor| factor.key() == key)
    }

    /// Every key, comma-separated, for error messages.
    pub fn keys() -> String {
        Factor::ALL.map(Factor::key).join(", ")
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key())
    }
}

/// One value per factor. Serialises as an object keyed by factor in the spec's order
/// (`{"ownership": …, "ties": …, …}`), the shape `cli.md` prints for weights, factors and
/// contributions; TypeScript sees the same object.
///
/// Indexed by [`Factor`]; iterate with [`FactorMap::iter`]. Hot loops that want a slice use the
/// factor matrix itself, not maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct FactorMap<T> {
    pub ownership: T,
    pub ties: T,
    pub jurisdiction: T,
    pub market: T,
    pub testimony: T,
    pub designations: T,
    pub install_base: T,
    pub privilege: T,
}

impl<T> FactorMap<T> {
    /// A map with `value(factor)` for every factor.
    pub fn from_fn(mut value: impl FnMut(Factor) -> T) -> FactorMap<T> {
        FactorMap {
            ownership: value(Factor::Ownership),
            ties: value(Factor::Ties),
            jurisdiction: value(Factor::Jurisdiction),
            market: value(Factor::Market),
            testimony: value(Factor::Testimony),
            designations: value(Factor::Designations),
            install_base: value(Factor::InstallBase),
            privilege: value(Factor::Privilege),
        }
    }

    /// The values in factor order.
    pub fn from_array(values: [T; Factor::COUNT]) -> FactorMap<T> {
        let [ownership, ties, jurisdiction, market, testimony, designations, install_base, privilege] = values;
        FactorMap { ownership, ties, jurisdiction, market, testimony, designations, install_base, privilege }
    }

    /// The values in factor order.
    pub fn into_array(self) -> [T; Factor::COUNT] {
        let FactorMap { ownership, ties, jurisdiction, market, testimony, designations, install_base, privilege } = self;
        [ownership, ties, jurisdiction, market, testimony, designations, install_base, privilege]
    }

    /// `(factor, value)` in factor order.
    pub fn iter(&self) -> impl Iterator<Item = (Factor, &T)> {
        Factor::ALL.into_iter().map(move |factor| (factor, &self[factor]))
    }

    /// The values in factor order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        Factor::ALL.into_iter().map(move |factor| &self[factor])
    }

    /// A map of `f(value)`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> FactorMap<U> {
        FactorMap::from_array(self.into_array().map(f))
    }
}

impl<T: Copy> FactorMap<T> {
    /// The values in factor order, copied.
    pub fn to_array(&self) -> [T; Factor::COUNT] {
        Factor::ALL.map(|factor| self[factor])
    }
}

impl<T> From<[T; Factor::COUNT]> for FactorMap<T> {
    fn from(values: [T; Factor::COUNT]) -> Self {
        FactorMap::from_array(values)
    }
}

impl<T> Index<Factor> for FactorMap<T> {
    type Output = T;

    fn index(&self, factor: Factor) -> &T {
        match factor {
            Factor::Ownership => &self.ownership,
            Factor::Ties => &self.ties,
            Factor::Jurisdiction => &self.jurisdiction,
            Factor::Market => &self.market,
            Factor::Testimony => &self.testimony,
            Factor::Designations => &self.designations,
            Factor::InstallBase => &self.install_base,
            Factor::Privilege => &self.privilege,
        }
    }
}

impl<T> IndexMut<Factor> for FactorMap<T> {
    fn index_mut(&mut self, factor: Factor) -> &mut T {
        match factor {
            Factor::Ownership => &mut self.ownership,
            Factor::Ties => &mut self.ties,
            Factor::Jurisdiction => &mut self.jurisdiction,
            Factor::Market => &mut self.market,
            Factor::Testimony => &mut self.testimony,
            Factor::Designations => &mut self.designations,
            Factor::InstallBase => &mut self.install_base,
            Factor::Privilege => &mut self.privilege,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_indices_and_serde_agree_with_the_spec_order() {
        let keys = ["ownership", "ties", "jurisdiction", "market", "testimony", "designations", "install_base", "privilege"];
        for (i, (factor, key)) in Factor::ALL.into_iter().zip(keys).enumerate() {
            assert_eq!(factor.index(), i, "{key} is column {i}");
            assert_eq!(factor.key(), key);
            assert_eq!(Factor::parse(key), Some(factor));
            assert_eq!(serde_json::to_string(&factor).unwrap(), format!("\"{key}\""), "serde uses the key");
        }
        assert_eq!(Factor::parse("Install base"), None, "labels are not keys");
    }

    #[test]
    fn a_map_serialises_as_an_object_in_factor_order_and_reads_back() {
        let map = FactorMap::from_array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        let json = serde_json::to_string(&map).unwrap();
        assert_eq!(
            json,
            r#"{"ownership":1.0,"ties":2.0,"jurisdiction":3.0,"market":4.0,"testimony":5.0,"designations":6.0,"install_base":7.0,"privilege":8.0}"#
        );
        assert_eq!(serde_json::from_str::<FactorMap<f64>>(&json).unwrap(), map);
        assert_eq!(map[Factor::InstallBase], 7.0);
        assert_eq!(map.to_array(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        let doubled = map.map(|v| v * 2.0);
        assert!(doubled.iter().all(|(f, v)| *v == 2.0 * (f.index() + 1) as f64), "map keeps each factor's place");
    }
}
