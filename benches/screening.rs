//! Screening: quality on the labelled set beside OpenSanctions' matcher, and speed on a large book.
//!
//! 1. **Quality.** The labelled set (`tests/fixtures/screening/labelled.csv`) against the published
//!    fixtures as imported: precision and recall at the top candidate, for Vetta at 0.70 and for
//!    nomenklatura's `logic-v2` at 0.70 (`benches/screening_peer.py`, run with the Python named by
//!    `VETTA_PEER_PYTHON`, else `python3`, when it can `import nomenklatura`).
//! 2. **Speed.** A book of 50,000 parties against 1,000,000 published ones, generated
//!    deterministically (ChaCha8): company names of one to three distinctive made-up words (from
//!    200,000) and up to two generic ones (from 300, by a Zipf law, as "trading" and "china" are
//!    common), legal forms, people, aliases, identifiers; 5 % of the book are altered copies of
//!    published parties (a typo, words reversed, or a legal form added).
//!    Target: at most 10 s on this 2-core machine.
//!
//! `cargo bench --bench screening [-- OTHERS BOOK]`.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "common.rs"]
mod common;
use common::peak_rss_kb;

use rand::{RngExt as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vetta::screening::evaluate::{Evaluation, evaluate, read_labelled};
use vetta::screening::{DEFAULT_MIN_SCORE, Party, screen};

fn main() {
    let numbers: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let others_n = numbers.first().copied().unwrap_or(1_000_000);
    let book_n = numbers.get(1).copied().unwrap_or(50_000);
    quality();
    speed(book_n, others_n);
}

fn quality() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let queries = read_labelled(&std::fs::read_to_string(root.join("tests/fixtures/screening/labelled.csv")).unwrap()).unwrap();
    let mut store = vetta::store::Store::open_in_memory().unwrap();
    let published = root.join("tests/fixtures/published");
    for part in vetta::screening::evaluate::UNIVERSE_FIXTURES {
        vetta::api::import(&mut store, &[published.join(part)]).unwrap();
    }
    let universe = store.screening_input(&[]).unwrap().others;
    let start = Instant::now();
    let ours = evaluate(&queries, &universe, DEFAULT_MIN_SCORE);
    let seconds = start.elapsed().as_secs_f64();
    println!("labelled set: {} positives, {} negatives, universe of {} published entities", ours.positives, ours.negatives, universe.len());
    report("vetta (0.70)", &ours, seconds / queries.len() as f64);

    let python = std::env::var("VETTA_PEER_PYTHON").unwrap_or_else(|_| "python3".into());
    if !Command::new(&python).args(["-c", "import nomenklatura"]).output().is_ok_and(|o| o.status.success()) {
        println!(
            "nomenklatura logic-v2: skipped ({python} cannot import nomenklatura; `pip install nomenklatura`, or set VETTA_PEER_PYTHON)"
        );
        return;
    }
    let set = std::env::temp_dir().join(format!("vetta-screening-set-{}.json", std::process::id()));
    std::fs::write(&set, serde_json::to_vec(&serde_json::json!({"universe": universe, "queries": queries})).unwrap()).unwrap();
    let out = Command::new(&python).arg(root.join("benches/screening_peer.py")).arg(&set).output().expect("the peer runs");
    let _ = std::fs::remove_file(&set);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let peer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let count = |key: &str| peer[key].as_u64().unwrap() as usize;
    let theirs = Evaluation {
        found: count("found"),
        wrong: count("wrong"),
        missed: count("missed"),
        positives: count("positives"),
        negatives: count("negatives"),
        failures: peer["failures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect(),
    };
    report("nomenklatura logic-v2 (0.70)", &theirs, peer["seconds_per_query"].as_f64().unwrap());
}

fn report(who: &str, e: &Evaluation, per_query: f64) {
    println!(
        "{who}: precision {:.3}, recall {:.3} (found {}, wrong {}, missed {}); {:.3} ms a query",
        e.precision(),
        e.recall(),
        e.found,
        e.wrong,
        e.missed,
        per_query * 1e3
    );
    for failure in &e.failures {
        println!("    {failure}");
    }
}

fn speed(book_n: usize, others_n: usize) {
    let start = Instant::now();
    let mut dice = Dice(ChaCha8Rng::seed_from_u64(12));
    let words: Vec<String> = (0..200_000).map(|_| dice.word()).collect();
    let given: Vec<String> = (0..5_000).map(|_| dice.word()).collect();
    let others: Vec<Party> = (0..others_n).map(|i| dice.party(format!("pub:{i}"), &words, &given)).collect();
    let mut book: Vec<Party> = Vec::with_capacity(book_n);
    for i in 0..book_n {
        let party = if i % 20 == 0 {
            let mut copy = others[dice.below(others_n)].clone();
            copy.id = format!("book:{i}");
            copy.identifiers.clear();
            copy.names.truncate(1);
            copy.names[0] = dice.alter(&copy.names[0]);
            copy
        } else {
            dice.party(format!("book:{i}"), &words, &given)
        };
        book.push(party);
    }
    println!(
        "\nspeed: book of {book_n} against {others_n} published parties ({} names in all), generated in {:.1} s",
        others.iter().chain(&book).map(|p| p.names.len()).sum::<usize>(),
        start.elapsed().as_secs_f64()
    );
    let mut seconds = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        let start = Instant::now();
        found = screen(&book, &others, &HashSet::new(), DEFAULT_MIN_SCORE).len();
        seconds.push(start.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[1];
    println!(
        "screen: median {median:.2} s (min {:.2}, max {:.2}, 3 runs), {found} candidates at ≥ {DEFAULT_MIN_SCORE}; peak resident memory {:.0} MB",
        seconds[0],
        seconds[2],
        peak_rss_kb() as f64 / 1024.0
    );
    assert!(found >= book_n / 20 * 8 / 10, "most altered copies are found: {found}");
    assert!(median <= 10.0, "the target is at most 10 s");
}

/// A small deterministic generator.
struct Dice(ChaCha8Rng);

const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwxz";
const VOWELS: &[u8] = b"aeiou";
const FORMS: &[&str] = &["LLC", "Ltd", "Inc.", "Co., Ltd.", "GmbH", "AO", "OOO", "JSC", "SA", "Corporation", "Limited", "PJSC"];
const COUNTRIES: &[&str] = &["RU", "CN", "US", "GB", "DE", "IR", "AE", "TR", "HK", "CY", "KP", "BY", "FR", "IN", "XRW"];

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    /// Three or four syllables of a consonant and a vowel, sometimes a closing consonant: about
    /// 100 million words, so 200,000 drawn are nearly all distinct.
    fn word(&mut self) -> String {
        let mut word = String::new();
        for _ in 0..3 + self.below(2) {
            word.push(CONSONANTS[self.below(CONSONANTS.len())] as char);
            word.push(VOWELS[self.below(VOWELS.len())] as char);
        }
        if self.below(2) == 0 {
            word.push(CONSONANTS[self.below(CONSONANTS.len())] as char);
        }
        word
    }

    /// One of the first 300 words, by a Zipf law: the generic words of names ("trading", "china").
    fn generic<'a>(&mut self, words: &'a [String]) -> &'a str {
        let x: f64 = self.0.random::<f64>() * 300f64.ln();
        &words[(x.exp() as usize).min(299)]
    }

    fn distinctive<'a>(&mut self, words: &'a [String]) -> &'a str {
        &words[300 + self.below(words.len() - 300)]
    }

    fn capitalised(word: &str) -> String {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    }

    fn name(&mut self, person: bool, words: &[String], given: &[String]) -> String {
        if person {
            let first = Self::capitalised(&given[self.below(given.len())]);
            let last = Self::capitalised(self.distinctive(words));
            return format!("{first} {last}");
        }
        // One to three distinctive words and up to two generic ones, in any order.
        let mut name: Vec<String> = (0..1 + self.below(3)).map(|_| Self::capitalised(self.distinctive(words))).collect();
        for _ in 0..self.below(3) {
            let at = self.below(name.len() + 1);
            let generic = Self::capitalised(self.generic(words));
            name.insert(at, generic);
        }
        if self.below(10) < 6 {
            name.push(FORMS[self.below(FORMS.len())].to_string());
        }
        name.join(" ")
    }

    fn party(&mut self, id: String, words: &[String], given: &[String]) -> Party {
        let person = self.below(10) < 3;
        let mut names = vec![self.name(person, words, given)];
        if self.below(10) < 2 {
            for _ in 0..1 + self.below(3) {
                names.push(self.name(person, words, given));
            }
        }
        let identifiers = if self.below(10) < 2 {
            vec![("LEI".to_string(), (0..20).map(|_| (b'A' + self.below(26) as u8) as char).collect())]
        } else {
            Vec::new()
        };
        Party {
            id,
            vendor_id: None,
            kind: if person { "person" } else { "company" }.into(),
            country: COUNTRIES[self.below(COUNTRIES.len())].into(),
            names,
            identifiers,
        }
    }

    /// The name as a procurement record might hold it: a typo, words swapped, or a legal form added.
    fn alter(&mut self, name: &str) -> String {
        match self.below(3) {
            0 => {
                let mut chars: Vec<char> = name.chars().collect();
                let at = 1 + self.below(chars.len().saturating_sub(2).max(1));
                if at + 1 < chars.len() {
                    chars.swap(at, at + 1);
                }
                chars.into_iter().collect()
            }
            1 => {
                let mut words: Vec<&str> = name.split(' ').collect();
                words.reverse();
                words.join(" ")
            }
            _ => format!("{name} {}", FORMS[self.below(FORMS.len())]),
        }
    }
}
