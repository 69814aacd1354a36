//! Screening: which entities from other sources may be the vendors' own entities or their owners
//! and controllers (open-formats.md, "Matching"). No IO: the store hands over both sides as
//! [`Party`]s — one per `same` group — and the `different` decisions; this module proposes
//! candidate pairs, each scored in [0, 1] with its reasons. Nothing is linked here.
//!
//! **Score.** A shared identifier (same scheme, same value after trimming) is decisive: 1. Otherwise
//! the best [`names::name_similarity`] over both parties' names and aliases, less [`COUNTRY`] when
//! both countries are known and differ, less [`KIND`] when a person meets an organisation, less
//! [`IDENTIFIER`] when both hold identifiers of one scheme and none agrees, less [`LEGAL_FORM`]
//! when the best-agreeing names' legal forms say different kinds of legal person (`AO …` and
//! `… Inc.`: often a parent and its foreign subsidiary); never below 0, rounded to four decimals.
//!
//! **Blocking.** Only pairs that share a key are compared: an identifier, a word, the first or last
//! four letters of a word of six or more (a typo leaves one of them intact), or the first or last
//! six letters of the name run together. A key held by many on both sides (`technology`) is skipped
//! when the pairs it alone would bring exceed [`KEY_BUDGET`]; a party whose every key is that common
//! (and held by the book) keeps its rarest one. The book (thousands) is indexed; the other side (millions) streams past it
//! on every core.

pub mod names;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use names::Name;

/// The score below which candidates are not shown, unless asked (`--min-score`).
pub const DEFAULT_MIN_SCORE: f64 = 0.7;
/// Subtracted when both countries are known and differ.
pub const COUNTRY: f64 = 0.2;
/// Subtracted when a person is compared with a company or state body.
pub const KIND: f64 = 0.3;
/// Subtracted when both hold identifiers of one scheme and none of them agrees.
pub const IDENTIFIER: f64 = 0.3;
/// Subtracted when the best-agreeing names' legal forms say different kinds of legal person.
pub const LEGAL_FORM: f64 = 0.1;
/// The most pairs a single common key may bring (book holders × other holders).
pub const KEY_BUDGET: u64 = 200_000;
/// A party whose every key is common keeps its rarest one unless even that brings more pairs.
const RAREST_BUDGET: u64 = 20_000_000;

/// One side of a candidate pair: an entity (or a `same` group, under its representative's id) with
/// every name and identifier its members carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Party {
    pub id: String,
    /// The vendor whose entity this is (book side), if any.
    pub vendor_id: Option<String>,
    /// `company`, `person` or `state_body`.
    pub kind: String,
    /// ISO 3166 alpha-2, or a region code (`XRW`, `XEU`…, `WORLD`), which counts as unknown.
    pub country: String,
    /// The name first, then aliases.
    pub names: Vec<String>,
    /// (scheme, value) pairs.
    pub identifiers: Vec<(String, String)>,
}

/// A proposed match: `entity_id` is the book's side, `other_id` the other source's.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Candidate {
    pub entity_id: String,
    pub other_id: String,
    /// The vendor whose entity `entity_id` is, or null for an owner or controller.
    pub vendor_id: Option<String>,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// Candidates between `book` and `others` scoring at least `min_score`, best first (then by ids).
/// `suppressed` holds (book id, other id) pairs decided `different`.
pub fn screen(book: &[Party], others: &[Party], suppressed: &HashSet<(String, String)>, min_score: f64) -> Vec<Candidate> {
    let book_prepared: Vec<Prepared> = book.par_iter().map(Prepared::new).collect();
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (at, prepared) in book_prepared.iter().enumerate() {
        for key in prepared.keys() {
            let postings = index.entry(key.hash).or_default();
            if postings.last() != Some(&(at as u32)) {
                postings.push(at as u32);
            }
        }
    }

    // Pass 1: each other party's keys that the book holds, and whether the book holds them all.
    let hits: Vec<(Vec<Key>, bool)> = others
        .par_iter()
        .map(|party| {
            let keys = Prepared::new(party).keys();
            let all = keys.len();
            let mut keys: Vec<Key> = keys.into_iter().filter(|k| index.contains_key(&k.hash)).collect();
            keys.shrink_to_fit();
            let every = keys.len() == all;
            (keys, every)
        })
        .collect();
    let mut other_df: FxHashMap<u64, u64> = FxHashMap::default();
    for key in hits.iter().flat_map(|(keys, _)| keys) {
        *other_df.entry(key.hash).or_default() += 1;
    }
    let pairs_of = |key: &Key| index[&key.hash].len() as u64 * other_df[&key.hash];

    // Pass 2: compare each other party with the book parties its usable keys reach.
    let mut candidates: Vec<Candidate> = hits
        .par_iter()
        .enumerate()
        .filter(|(_, (keys, _))| !keys.is_empty())
        .flat_map_iter(|(at, (keys, every))| {
            let mut usable: Vec<&Key> = keys.iter().filter(|k| k.identifier || pairs_of(k) <= KEY_BUDGET).collect();
            // A party with a key of its own that the book lacks is not "all common words".
            if usable.is_empty()
                && *every
                && let Some(rarest) = keys.iter().min_by_key(|k| pairs_of(k)).filter(|k| pairs_of(k) <= RAREST_BUDGET)
            {
                usable.push(rarest);
            }
            let mut reached: Vec<u32> = usable.iter().flat_map(|k| index[&k.hash].iter().copied()).collect();
            reached.sort_unstable();
            reached.dedup();
            let other = &others[at];
            let prepared = if reached.is_empty() { None } else { Some(Prepared::new(other)) };
            reached
                .into_iter()
                .filter_map(|b| {
                    let prepared = prepared.as_ref().expect("prepared when reached");
                    let party = &book[b as usize];
                    let comparison = compare(&book_prepared[b as usize], prepared);
                    (comparison.score >= min_score && !suppressed.contains(&(party.id.clone(), other.id.clone()))).then(|| Candidate {
                        entity_id: party.id.clone(),
                        other_id: other.id.clone(),
                        vendor_id: party.vendor_id.clone(),
                        score: comparison.score,
                        reasons: comparison.reasons(party, other, &book_prepared[b as usize], prepared),
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    candidates
        .sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entity_id.cmp(&b.entity_id)).then_with(|| a.other_id.cmp(&b.other_id)));
    candidates
}

/// A party's names folded, its identifiers trimmed, its country if known.
struct Prepared<'a> {
    names: Vec<Name>,
    texts: Vec<&'a str>,
    identifiers: Vec<(&'a str, &'a str)>,
    country: Option<&'a str>,
    person: bool,
}

#[derive(Debug, Clone, Copy)]
struct Key {
    hash: u64,
    identifier: bool,
}

impl<'a> Prepared<'a> {
    fn new(party: &'a Party) -> Prepared<'a> {
        let mut names = Vec::with_capacity(party.names.len());
        let mut texts = Vec::with_capacity(party.names.len());
        for text in &party.names {
            let name = Name::new(text);
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
                texts.push(text.as_str());
            }
        }
        let mut identifiers: Vec<(&str, &str)> = party.identifiers.iter().map(|(s, v)| (s.as_str(), v.trim())).collect();
        identifiers.sort_unstable();
        identifiers.dedup();
        Prepared { names, texts, identifiers, country: known_country(&party.country), person: party.kind == "person" }
    }

    fn keys(&self) -> Vec<Key> {
        let mut keys = Vec::new();
        let key = |tag: u8, text: &str, identifier: bool| {
            let mut hasher = FxHasher::default();
            tag.hash(&mut hasher);
            text.hash(&mut hasher);
            Key { hash: hasher.finish(), identifier }
        };
        for (scheme, value) in &self.identifiers {
            let mut hasher = FxHasher::default();
            (0u8, scheme, value).hash(&mut hasher);
            keys.push(Key { hash: hasher.finish(), identifier: true });
        }
        for name in &self.names {
            for word in &name.tokens {
                keys.push(key(1, word, false));
                if word.len() >= 6 {
                    keys.push(key(2, &word[..4], false));
                    keys.push(key(3, &word[word.len() - 4..], false));
                }
            }
            let joined = &name.joined;
            if joined.len() >= 8 && name.tokens.len() > 1 {
                keys.push(key(4, &joined[..6], false));
                keys.push(key(5, &joined[joined.len() - 6..], false));
            }
        }
        keys.sort_unstable_by_key(|k| (k.hash, !k.identifier));
        keys.dedup_by_key(|k| k.hash);
        keys
    }
}

/// A country code that says where, or `None` for a region or the unknown (`XRW`, `WORLD`, empty).
fn known_country(code: &str) -> Option<&str> {
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())).then_some(code)
}

/// The parts of a pair's score.
struct Comparison {
    score: f64,
    names: f64,
    /// Which names agreed best (indexes into each side's names), and whether word by word.
    best: (usize, usize, bool),
    shared: Option<(usize, usize)>,
    conflicting_scheme: Option<String>,
    kinds_differ: bool,
    forms_differ: bool,
}

fn compare(book: &Prepared, other: &Prepared) -> Comparison {
    let mut best = (0, 0, true);
    let mut names = 0.0;
    for (i, a) in book.names.iter().enumerate() {
        for (j, b) in other.names.iter().enumerate() {
            let (s, by_words) = names::name_similarity(a, b);
            if s > names {
                names = s;
                best = (i, j, by_words);
            }
        }
    }
    let shared = book.identifiers.iter().enumerate().find_map(|(i, id)| other.identifiers.iter().position(|o| o == id).map(|j| (i, j)));
    let conflicting_scheme = if shared.is_some() {
        None
    } else {
        book.identifiers.iter().find(|(scheme, _)| other.identifiers.iter().any(|(s, _)| s == scheme)).map(|(s, _)| s.to_string())
    };
    let countries_differ = matches!((book.country, other.country), (Some(a), Some(b)) if a != b);
    let kinds_differ = book.person != other.person;
    let forms_differ = !book.names.is_empty() && !other.names.is_empty() && names::forms_differ(&book.names[best.0], &other.names[best.1]);
    let score = if shared.is_some() {
        1.0
    } else {
        let mut score = names;
        if countries_differ {
            score -= COUNTRY;
        }
        if kinds_differ {
            score -= KIND;
        }
        if conflicting_scheme.is_some() {
            score -= IDENTIFIER;
        }
        if forms_differ {
            score -= LEGAL_FORM;
        }
        // Four decimals: the penalties are tenths, and 1 − 0.2 − 0.1 must be 0.7, not 0.69999….
        (score.max(0.0) * 1e4).round() / 1e4
    };
    Comparison { score, names, best, shared, conflicting_scheme, kinds_differ, forms_differ }
}

impl Comparison {
    fn reasons(&self, book_party: &Party, other_party: &Party, book: &Prepared, other: &Prepared) -> Vec<String> {
        let mut reasons = Vec::new();
        if let Some((i, _)) = self.shared {
            let (scheme, value) = book.identifiers[i];
            reasons.push(format!("same identifier {scheme} {value}"));
        }
        let (i, j, by_words) = self.best;
        if let (Some(a), Some(b)) = (book.texts.get(i), other.texts.get(j)) {
            let how = if by_words { "" } else { " run together" };
            let mut reason = format!("names {a:?} and {b:?} agree{how} at {:.2}", self.names);
            let aside: Vec<&str> = book.names[i].set_aside.iter().chain(&other.names[j].set_aside).map(String::as_str).collect();
            if !aside.is_empty() {
                reason.push_str(&format!(" (legal form set aside: {})", aside.join(", ")));
            }
            reasons.push(reason);
        }
        match (book.country, other.country) {
            (Some(a), Some(b)) if a == b => reasons.push(format!("both in {a}")),
            (Some(a), Some(b)) => reasons.push(format!("countries differ: {a} and {b} (−{COUNTRY:.2})")),
            _ => {}
        }
        if self.kinds_differ {
            reasons.push(format!("kinds differ: {} and {} (−{KIND:.2})", book_party.kind, other_party.kind));
        }
        if self.forms_differ {
            let says = |name: &Name| name.forms.iter().map(|f| f.label()).collect::<Vec<_>>().join(" or ");
            let (a, b) = (&book.names[i], &other.names[j]);
            reasons.push(format!("legal forms differ: {} and {} (−{LEGAL_FORM:.2})", says(a), says(b)));
        }
        if let Some(scheme) = &self.conflicting_scheme {
            reasons.push(format!("both have a {scheme} and none agrees (−{IDENTIFIER:.2})"));
        }
        reasons
    }
}

#[cfg(test)]
mod tests;
