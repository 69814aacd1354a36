//! Screening: which entities from other sources may be the vendors' own entities or their owners
//! and controllers (open-formats.md, "Matching"). No IO: the store hands over both sides as
//! [`Party`]s — one per `same` group — and the `different` decisions; this module proposes
//! candidate pairs, each scored in [0, 1] with its reasons. Nothing is linked here.
//!
//! **Score.** A shared identifier (same scheme, same value after trimming) is decisive: 1. Otherwise
//! the best [`names::name_similarity`] over both parties' names and aliases, less [`COUNTRY`] when
//! both countries are known and differ, less [`KIND`] when a person meets an organisation, less
//! [`IDENTIFIER`] when both hold identifiers of one scheme and none agrees, less [`LEGAL_FORM`]
//! when the two parties' legal forms (those any of their names give: a legal person has one form,
//! whichever name carries it) say different kinds of legal person (`AO …` and `… Inc.`: often a
//! parent and its foreign subsidiary); never below 0, rounded to four decimals.
//!
//! **Blocking.** Only pairs that share a key are compared: an identifier, the name run together, a
//! word, or a word with one letter deleted (so words one typo apart meet). A key held
//! by many (`technology`) is skipped when it reaches more than [`BOOK_KEY_MAX`] book parties or the
//! pairs it alone would bring exceed [`KEY_BUDGET`]; a party whose every key is that common
//! (and held by the book) keeps its rarest one; and one party meets at most [`MAX_REACH`] others,
//! those whose keys it holds the greatest share of. The book (thousands) is indexed; the other side (millions)
//! streams past it on every core.

pub mod evaluate;
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
/// Subtracted when the parties' legal forms say different kinds of legal person.
pub const LEGAL_FORM: f64 = 0.1;
/// The most pairs a single key may bring (book holders × other holders).
pub const KEY_BUDGET: u64 = 20_000;
/// The most book parties a key may reach: a word many book parties share (`systems`, `china`)
/// chooses no candidates, it only ranks them.
pub const BOOK_KEY_MAX: usize = 12;
/// The most book parties one other party is compared with: those whose keys it meets most fully.
pub const MAX_REACH: usize = 256;
/// A party whose every key is common keeps its rarest one unless even that brings more pairs.
const RAREST_BUDGET: u64 = 20_000_000;

/// One side of a candidate pair: an entity (or a `same` group, under its representative's id) with
/// every name and identifier its members carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    // Every key the book holds gets a slot: its book parties, whether it is an identifier.
    let mut slots: FxHashMap<u64, u32> = FxHashMap::default();
    let mut postings: Vec<Vec<u32>> = Vec::new();
    let mut identifier: Vec<bool> = Vec::new();
    let mut book_keys: Vec<u32> = Vec::with_capacity(book.len());
    let all_keys: Vec<Vec<Key>> = book_prepared.par_iter().map(Prepared::keys).collect();
    for (at, keys) in all_keys.into_iter().enumerate() {
        book_keys.push(keys.len() as u32);
        for key in keys {
            let slot = *slots.entry(key.hash).or_insert_with(|| {
                postings.push(Vec::new());
                identifier.push(key.identifier);
                postings.len() as u32 - 1
            }) as usize;
            if postings[slot].last() != Some(&(at as u32)) {
                postings[slot].push(at as u32);
            }
        }
    }

    // Pass 1: the slots of each other party's keys, and whether the book holds every key it has.
    let hits: Vec<(Vec<u32>, bool)> = others
        .par_iter()
        .map(|party| {
            let keys = Prepared::new(party).keys();
            let found: Vec<u32> = keys.iter().filter_map(|k| slots.get(&k.hash).copied()).collect();
            let every = found.len() == keys.len();
            (found, every)
        })
        .collect();
    let mut other_df: Vec<u64> = vec![0; postings.len()];
    for &slot in hits.iter().flat_map(|(found, _)| found) {
        other_df[slot as usize] += 1;
    }
    let pairs_of = |slot: u32| postings[slot as usize].len() as u64 * other_df[slot as usize];

    // Pass 2: compare each other party with the book parties its usable keys reach.
    let mut candidates: Vec<Candidate> = hits
        .par_iter()
        .enumerate()
        .filter(|(_, (found, _))| !found.is_empty())
        .flat_map_iter(|(at, (found, every))| {
            let mut usable: Vec<u32> = found
                .iter()
                .copied()
                .filter(|&k| identifier[k as usize] || (postings[k as usize].len() <= BOOK_KEY_MAX && pairs_of(k) <= KEY_BUDGET))
                .collect();
            let mut within: Option<&[u32]> = None;
            // A party with a key of its own that the book lacks is not "all common words".
            if usable.is_empty()
                && *every
                && let Some(rarest) = found.iter().copied().min_by_key(|&k| pairs_of(k)).filter(|&k| pairs_of(k) <= RAREST_BUDGET)
            {
                // The rarest key chooses whom to meet (its postings are sorted); every key ranks them.
                within = Some(&postings[rarest as usize]);
                usable = found.clone();
            }
            let mut hits: Vec<u32> = usable
                .iter()
                .flat_map(|&k| postings[k as usize].iter().copied())
                .filter(|b| within.is_none_or(|within| within.binary_search(b).is_ok()))
                .collect();
            hits.sort_unstable();
            // (share of the book party's keys met, in millionths; book party): when there are too
            // many, those whose keys this party meets most fully come first.
            let mut reached: Vec<(u32, u32)> = hits
                .chunk_by(|a, b| a == b)
                .map(|run| ((run.len() as u64 * 1_000_000 / book_keys[run[0] as usize].max(1) as u64) as u32, run[0]))
                .collect();
            if reached.len() > MAX_REACH {
                let order = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
                reached.select_nth_unstable_by(MAX_REACH, order);
                reached.truncate(MAX_REACH);
            }
            let other = &others[at];
            let prepared = if reached.is_empty() { None } else { Some(Prepared::new(other)) };
            reached
                .into_iter()
                .filter_map(|(_, b)| {
                    let prepared = prepared.as_ref().expect("prepared when reached");
                    let party = &book[b as usize];
                    let comparison = compare(&book_prepared[b as usize], prepared, min_score)?;
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
    /// The kinds of legal person any of the names gives, sorted, without duplicates.
    forms: Vec<names::Form>,
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
        let mut forms: Vec<names::Form> = names.iter().flat_map(|n| n.forms.iter().copied()).collect();
        forms.sort();
        forms.dedup();
        Prepared { names, texts, identifiers, country: known_country(&party.country), person: party.kind == "person", forms }
    }

    fn keys(&self) -> Vec<Key> {
        let mut keys = Vec::new();
        for (scheme, value) in &self.identifiers {
            let mut hasher = FxHasher::default();
            (0u8, scheme, value).hash(&mut hasher);
            keys.push(Key { hash: hasher.finish(), identifier: true });
        }
        for name in &self.names {
            for word in name.tokens.iter().filter(|w| w.len() > 1) {
                word_keys(word, &mut keys);
            }
            // The name run together meets `Hikvision` from `Hik Vision` (typos there are met
            // through the other words).
            if name.tokens.len() > 1 {
                let mut hasher = FxHasher::default();
                hasher.write(name.joined.as_bytes());
                keys.push(Key { hash: hasher.finish(), identifier: false });
            }
        }
        keys.sort_unstable_by_key(|k| (k.hash, !k.identifier));
        keys.dedup_by_key(|k| k.hash);
        keys
    }
}

/// The keys of a word: the word, and (for words of 4 to 48 letters) the word with each letter
/// deleted in turn. Two words one edit apart share a key: a substitution or a transposition leaves
/// one deletion in common, an insertion makes one word a deletion of the other.
fn word_keys(word: &str, keys: &mut Vec<Key>) {
    let hash = |bytes: &[u8]| {
        let mut hasher = FxHasher::default();
        hasher.write(bytes);
        Key { hash: hasher.finish(), identifier: false }
    };
    let bytes = word.as_bytes();
    keys.push(hash(bytes));
    if (4..=48).contains(&bytes.len()) {
        let mut buffer = [0u8; 48];
        for skip in 0..bytes.len() {
            buffer[..skip].copy_from_slice(&bytes[..skip]);
            buffer[skip..bytes.len() - 1].copy_from_slice(&bytes[skip + 1..]);
            keys.push(hash(&buffer[..bytes.len() - 1]));
        }
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

/// The pair's score and its parts, or `None` when it cannot reach `floor` whatever the names say:
/// the penalties are known first, and the names (the costly part) compared only when they can
/// still matter.
fn compare(book: &Prepared, other: &Prepared, floor: f64) -> Option<Comparison> {
    let shared = book.identifiers.iter().enumerate().find_map(|(i, id)| other.identifiers.iter().position(|o| o == id).map(|j| (i, j)));
    let conflicting_scheme = if shared.is_some() {
        None
    } else {
        book.identifiers.iter().find(|(scheme, _)| other.identifiers.iter().any(|(s, _)| s == scheme)).map(|(s, _)| s.to_string())
    };
    let countries_differ = matches!((book.country, other.country), (Some(a), Some(b)) if a != b);
    let kinds_differ = book.person != other.person;
    let forms_differ = names::forms_differ(&book.forms, &other.forms);
    let penalties =
        [(countries_differ, COUNTRY), (kinds_differ, KIND), (conflicting_scheme.is_some(), IDENTIFIER), (forms_differ, LEGAL_FORM)];
    let less_penalties =
        |names: f64| rounded(penalties.iter().filter(|(applies, _)| *applies).fold(names, |score, (_, penalty)| score - penalty));
    // The score for names that agree fully (1) is the most the names can bring.
    if shared.is_none() && less_penalties(1.0) < floor {
        return None;
    }
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
    let score = if shared.is_some() { 1.0 } else { less_penalties(names) };
    Some(Comparison { score, names, best, shared, conflicting_scheme, kinds_differ, forms_differ })
}

/// Four decimals, never below 0: the penalties are tenths, and 1 − 0.2 − 0.1 must be 0.7, not
/// 0.69999….
fn rounded(score: f64) -> f64 {
    (score.max(0.0) * 1e4).round() / 1e4
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
            let says = |forms: &[names::Form]| forms.iter().map(|f| f.label()).collect::<Vec<_>>().join(" or ");
            reasons.push(format!("legal forms differ: {} and {} (−{LEGAL_FORM:.2})", says(&book.forms), says(&other.forms)));
        }
        if let Some(scheme) = &self.conflicting_scheme {
            reasons.push(format!("both have a {scheme} and none agrees (−{IDENTIFIER:.2})"));
        }
        reasons
    }
}

#[cfg(test)]
mod tests;
