//! How well screening finds the right entity: a labelled set of queries, each with the ids it
//! should match (none for a look-alike), scored at the top candidate. Used by the labelled-set test
//! and the peer bench (`benches/screening.rs`), so both count the same way.

/// The published fixtures (under `tests/fixtures/published/`) whose import makes the labelled
/// set's universe: the test and the peer bench import the same ones.
pub const UNIVERSE_FIXTURES: [&str; 6] = ["csl", "fcc", "ofac-sdn", "gleif/single_lei_record_INR2EJN1ERAN0W5ZP974.json", "bods", "ftm"];

use std::collections::HashSet;

use super::{Party, screen};
use crate::ingest::csv::CsvReader;

/// One labelled query: a book party and the other ids that name the same legal person (empty for a
/// negative, a look-alike that must not be matched).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Query {
    pub party: Party,
    pub expected: Vec<String>,
    /// What was changed from the published name (`typo`, `transliteration`, `look-alike: …`).
    pub variation: String,
}

/// Reads a labelled set: CSV with the columns `query,kind,country,expected,variation`; `expected`
/// holds space-separated ids, or nothing.
pub fn read_labelled(text: &str) -> Result<Vec<Query>, String> {
    let mut reader = CsvReader::new(text.as_bytes());
    let mut queries = Vec::new();
    let mut header = true;
    while let Some(record) = reader.next_record() {
        let record = record.map_err(|(line, problem)| format!("line {line}: {problem:?}"))?;
        if header {
            header = false;
            continue;
        }
        if record.len() != 5 {
            return Err(format!("line {}: {} fields, not 5", record.line, record.len()));
        }
        queries.push(Query {
            party: Party {
                id: format!("q{}", record.line),
                vendor_id: None,
                kind: record.get(1).to_string(),
                country: record.get(2).to_string(),
                names: vec![record.get(0).to_string()],
                identifiers: Vec::new(),
            },
            expected: record.get(3).split_whitespace().map(str::to_string).collect(),
            variation: record.get(4).to_string(),
        });
    }
    Ok(queries)
}

/// Precision and recall at the top candidate.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Positives whose top candidate is an expected id.
    pub found: usize,
    /// Queries whose top candidate is not an expected id (or that have none expected).
    pub wrong: usize,
    /// Positives with no candidate at all.
    pub missed: usize,
    pub positives: usize,
    pub negatives: usize,
    /// One line a query that went wrong or was missed: the query, its top candidate, the score.
    pub failures: Vec<String>,
}

impl Evaluation {
    pub fn precision(&self) -> f64 {
        if self.found + self.wrong == 0 { 1.0 } else { self.found as f64 / (self.found + self.wrong) as f64 }
    }

    pub fn recall(&self) -> f64 {
        if self.positives == 0 { 1.0 } else { self.found as f64 / self.positives as f64 }
    }
}

/// Screens every query against `others` and counts its top candidate at `min_score`.
pub fn evaluate(queries: &[Query], others: &[Party], min_score: f64) -> Evaluation {
    let book: Vec<Party> = queries.iter().map(|q| q.party.clone()).collect();
    let candidates = screen(&book, others, &HashSet::new(), min_score);
    let mut evaluation = Evaluation::default();
    for query in queries {
        if query.expected.is_empty() {
            evaluation.negatives += 1;
        } else {
            evaluation.positives += 1;
        }
        // Candidates come best first: the first of this query's is its top.
        let top = candidates.iter().find(|c| c.entity_id == query.party.id);
        match top {
            Some(top) if query.expected.contains(&top.other_id) => evaluation.found += 1,
            Some(top) => {
                evaluation.wrong += 1;
                evaluation.failures.push(format!(
                    "{:?} ({}) → {} at {:.2}: {}",
                    query.party.names[0],
                    query.variation,
                    top.other_id,
                    top.score,
                    top.reasons.join("; ")
                ));
            }
            None if !query.expected.is_empty() => {
                evaluation.missed += 1;
                evaluation.failures.push(format!("{:?} ({}) → nothing at {min_score}", query.party.names[0], query.variation));
            }
            None => {}
        }
    }
    evaluation
}
