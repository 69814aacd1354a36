//! Domain vocabulary shared by the importer, the store and the risk engine: the closed sets of words
//! the data formats allow (privilege levels, entity kinds, stances, …) and the country codes.
//!
//! Plain data only: nothing here does IO.

mod factor;
pub mod groups;
pub mod shares;

use std::fmt;

pub use self::factor::{Factor, FactorMap};

/// What a vendor's product can do on a machine (`vendors.csv:privilege`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    None,
    User,
    Admin,
    Kernel,
}

impl Privilege {
    pub const WORDS: &'static [&'static str] = &["none", "user", "admin", "kernel"];

    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "none" => Self::None,
            "user" => Self::User,
            "admin" => Self::Admin,
            "kernel" => Self::Kernel,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::WORDS[self as usize]
    }

    /// The privilege factor value of risk-model.md §8.
    pub fn factor(self) -> f64 {
        match self {
            Self::None => 0.0,
            Self::User => 0.25,
            Self::Admin => 0.6,
            Self::Kernel => 1.0,
        }
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const ENTITY_KINDS: &[&str] = &["company", "person", "state_body"];
pub const RELATIONS: &[&str] = &["equity", "tie"];
/// `control` (v1.3) is directed: `from_id` controls `to_id`.
pub const TIE_KINDS: &[&str] = &["board", "contract", "cooperation", "personnel", "alleged", "control"];
/// How a designation's `effective` date is known (v1.3): exactly, or only as "on or before" (a list
/// snapshot that gives no designation date).
pub const PRECISIONS: &[&str] = &["exact", "on_or_before"];
/// What an alias is (v1.3): also known as, formerly, now, a transliteration.
pub const ALIAS_KINDS: &[&str] = &["aka", "fka", "nka", "translit"];
/// An analyst's decision on two entity ids (v1.3).
pub const LINK_DECISIONS: &[&str] = &["same", "different"];
pub const SEGMENTS: &[&str] = &["consumer", "enterprise", "government", "other"];
pub const STANCES: &[&str] = &["concern", "neutral", "exculpatory"];
pub const BOOLEANS: &[&str] = &["true", "false"];

/// Region codes that data-formats.md accepts besides ISO 3166-1 alpha-2.
pub const REGION_CODES: &[&str] = &["XWE", "XEE", "XNA", "XLA", "XAP", "XME", "XRW", "WORLD"];

/// The officially assigned ISO 3166-1 alpha-2 codes (249), concatenated.
const ISO_ALPHA2: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGP\
GQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMA\
MCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQA\
RERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVC\
VEVGVIVNVUWFWSYEYTZAZMZW";

/// The codes as a bit table: bit `second` of `ISO_TABLE[first]` (letters as 0–25). Importing a
/// ledger checks a country on every row, so this is a lookup, not a search.
const ISO_TABLE: [u32; 26] = {
    let codes = ISO_ALPHA2.as_bytes();
    let mut table = [0u32; 26];
    let mut i = 0;
    while i < codes.len() {
        table[(codes[i] - b'A') as usize] |= 1 << (codes[i + 1] - b'A');
        i += 2;
    }
    table
};

/// True for an officially assigned ISO 3166-1 alpha-2 code.
pub fn is_iso_country(code: &str) -> bool {
    match code.as_bytes() {
        &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => ISO_TABLE[(a - b'A') as usize] & (1 << (b - b'A')) != 0,
        _ => false,
    }
}

/// True for any code a `country` cell may hold: ISO alpha-2 or one of the region codes.
pub fn is_country_or_region(code: &str) -> bool {
    is_iso_country(code) || REGION_CODES.contains(&code)
}

/// Reliability grade weight R of risk-model.md §5 (Admiralty scale A–F).
pub fn reliability_weight(grade: &str) -> Option<f64> {
    Some(match grade {
        "A" => 1.0,
        "B" => 0.8,
        "C" => 0.6,
        "D" => 0.4,
        "E" => 0.2,
        "F" => 0.5,
        _ => return None,
    })
}

/// Credibility weight C of risk-model.md §5 (Admiralty scale 1–6).
pub fn credibility_weight(grade: i64) -> Option<f64> {
    Some(match grade {
        1 => 1.0,
        2 => 0.8,
        3 => 0.6,
        4 => 0.4,
        5 => 0.2,
        6 => 0.5,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_list_has_every_assigned_code_once() {
        assert_eq!(ISO_ALPHA2.len(), 249 * 2);
        let mut codes: Vec<&[u8]> = ISO_ALPHA2.as_bytes().chunks(2).collect();
        let sorted = codes.clone();
        codes.sort();
        codes.dedup();
        assert_eq!(codes, sorted, "the list is sorted and has no duplicates");
        assert!(is_iso_country("RU") && is_iso_country("US") && is_iso_country("AX"));
        assert!(!is_iso_country("UK") && !is_iso_country("ru") && !is_iso_country("XX"));
        let accepted = (b'A'..=b'Z')
            .flat_map(|a| (b'A'..=b'Z').map(move |b| [a, b]))
            .filter(|c| is_iso_country(std::str::from_utf8(c).unwrap()))
            .count();
        assert_eq!(accepted, 249, "the lookup table accepts exactly the listed codes");
    }
}

/// One cell of a stored fact: what the importer produces and the store keeps.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Real(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}
