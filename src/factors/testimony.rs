//! Graded statements (risk-model.md §5): each note's signed, decayed term, computed once per note and
//! indexed by subject entity, so a vendor's testimony is a walk over the notes of `{v} ∪ controllers`.

use chrono::NaiveDate;

use super::facts::{Facts, Note};
use super::graph::Graph;
use super::params::Params;

/// `testimony = max(0, 1 − exp(−x / scale))`: saturating, and net exculpatory testimony floors at 0
/// rather than lowering risk below "nothing said".
pub(super) fn saturate(x: f64, scale: f64) -> f64 {
    (1.0 - (-x / scale).exp()).max(0.0)
}

/// The stance as a shared word (`"?"` for one the importer would have refused).
pub(super) fn stance_word(stance: &str) -> &'static str {
    ["concern", "neutral", "exculpatory"].into_iter().find(|w| *w == stance).unwrap_or("?")
}

/// The reliability grade as a shared word (`"?"` for one the importer would have refused).
pub(super) fn reliability_word(grade: &str) -> &'static str {
    ["A", "B", "C", "D", "E", "F"].into_iter().find(|w| *w == grade).unwrap_or("?")
}

/// A note dated on or before `as_of`, with its age and term.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScoredNote {
    /// Index into `Facts::notes`.
    pub(super) note: u32,
    pub(super) age_years: f64,
    pub(super) term: f64,
}

/// The notes counted on `as_of`, grouped by subject node.
#[derive(Debug)]
pub(super) struct NoteIndex {
    start: Vec<u32>,
    scored: Vec<ScoredNote>,
}

impl NoteIndex {
    /// Scores every note dated ≤ `as_of` whose subject resolves to an entity; notes about ids the graph
    /// does not know cannot concern any vendor and are skipped.
    pub(super) fn build(g: &Graph, facts: &Facts, params: &Params) -> Self {
        let mut keyed: Vec<(u32, ScoredNote)> = Vec::with_capacity(facts.notes.len());
        for (i, note) in facts.notes.iter().enumerate() {
            if note.date > params.as_of {
                continue;
            }
            let Some(node) = g.node(&note.subject) else { continue };
            let age_years = age_years(params.as_of, note.date);
            let term = term(note, age_years, params.half_life_years);
            keyed.push((node, ScoredNote { note: i as u32, age_years, term }));
        }
        // Counting sort by subject: linear, and stable, so a subject's notes keep input order and the
        // sum is deterministic.
        let mut start = vec![0u32; g.len() + 1];
        for (node, _) in &keyed {
            start[*node as usize + 1] += 1;
        }
        for v in 0..g.len() {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut scored = vec![ScoredNote { note: 0, age_years: 0.0, term: 0.0 }; keyed.len()];
        for (node, note) in keyed {
            scored[fill[node as usize] as usize] = note;
            fill[node as usize] += 1;
        }
        NoteIndex { start, scored }
    }

    /// The counted notes whose subject is `node`.
    pub(super) fn about(&self, node: u32) -> &[ScoredNote] {
        &self.scored[self.start[node as usize] as usize..self.start[node as usize + 1] as usize]
    }
}

/// `(as_of − date)` in days / 365.25.
fn age_years(as_of: NaiveDate, date: NaiveDate) -> f64 {
    (as_of - date).num_days() as f64 / 365.25
}

/// `sign · severity · R · C · 0.5^(age / half_life)`.
fn term(note: &Note, age_years: f64, half_life_years: f64) -> f64 {
    stance_sign(&note.stance)
        * note.severity as f64
        * reliability_weight(&note.reliability)
        * credibility_weight(note.credibility)
        * 0.5f64.powf(age_years / half_life_years)
}

fn stance_sign(stance: &str) -> f64 {
    match stance {
        "concern" => 1.0,
        "exculpatory" => -1.0,
        _ => 0.0,
    }
}

/// Admiralty reliability A–F. A grade the importer would have refused is read as F, "cannot be
/// judged".
fn reliability_weight(grade: &str) -> f64 {
    match grade {
        "A" => 1.0,
        "B" => 0.8,
        "C" => 0.6,
        "D" => 0.4,
        "E" => 0.2,
        _ => 0.5,
    }
}

/// Admiralty credibility 1–6. A grade the importer would have refused is read as 6, "cannot be
/// judged".
fn credibility_weight(grade: i64) -> f64 {
    match grade {
        1 => 1.0,
        2 => 0.8,
        3 => 0.6,
        4 => 0.4,
        5 => 0.2,
        _ => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_admiralty_tables() {
        let r: Vec<f64> = ["A", "B", "C", "D", "E", "F"].iter().map(|g| reliability_weight(g)).collect();
        assert_eq!(r, [1.0, 0.8, 0.6, 0.4, 0.2, 0.5], "F (cannot be judged) weighs more than E (unreliable)");
        let c: Vec<f64> = (1..=6).map(credibility_weight).collect();
        assert_eq!(c, [1.0, 0.8, 0.6, 0.4, 0.2, 0.5], "6 (cannot be judged) weighs more than 5 (improbable)");
    }

    #[test]
    fn net_exculpatory_testimony_floors_at_zero() {
        assert_eq!(saturate(-2.0, 3.0), 0.0, "exculpatory notes cannot push risk below none");
        assert_eq!(saturate(0.0, 3.0), 0.0, "no testimony is zero");
        assert!((saturate(3.0, 3.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-15, "x = scale gives 1 − 1/e");
    }

    #[test]
    fn age_counts_days_over_julian_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(age_years(d(2025, 6, 30), d(2025, 6, 30)), 0.0, "a note of the day has age 0");
        assert!((age_years(d(2024, 1, 1), d(2023, 1, 1)) - 365.0 / 365.25).abs() < 1e-15, "days / 365.25");
    }
}
