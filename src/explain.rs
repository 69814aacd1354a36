//! Evidence in words: one plain sentence per item of [`Evidence`], for briefs and the desktop app.
//!
//! Wording is a legal matter here. "Controlled by" is written only for a controller the engine
//! computed; a tie recorded as `alleged` is called alleged; testimony is attributed to its speaker
//! with its grade and source, never stated as fact.

use std::collections::HashMap;

use crate::factors::{Evidence, Facts};

/// Names for entity and vendor ids, and the notes by id, taken from the facts.
pub struct Names<'a> {
    names: HashMap<&'a str, &'a str>,
    notes: HashMap<&'a str, &'a crate::factors::Note>,
}

impl<'a> Names<'a> {
    pub fn new(facts: &'a Facts) -> Self {
        let mut names: HashMap<&str, &str> = facts.entities.iter().map(|e| (e.id.as_str(), e.name.as_str())).collect();
        for vendor in &facts.vendors {
            names.entry(vendor.entity_id.as_str()).or_insert(vendor.name.as_str());
            names.entry(vendor.id.as_str()).or_insert(vendor.name.as_str());
        }
        let notes = facts.notes.iter().map(|n| (n.id.as_str(), n)).collect();
        Names { names, notes }
    }

    /// The display name of an id (the id itself when it has none).
    pub fn of<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.names.get(id).copied().unwrap_or(id)
    }
}

/// One sentence for one item of evidence.
pub fn sentence(evidence: &Evidence, names: &Names<'_>) -> String {
    match evidence {
        Evidence::Stake { from, to, share, range: None, exposure_of_owner, contribution, source } => format!(
            "{} holds {} of {} (concern exposure of the holder {:.2}; contributes {:.3}).{}",
            names.of(from),
            percent(*share),
            names.of(to),
            exposure_of_owner,
            contribution,
            cite(source)
        ),
        Evidence::Stake { from, to, share, range: Some([low, high]), exposure_of_owner, contribution, source } => format!(
            "{} holds between {} and {} of {}, counted as {} (concern exposure of the holder {:.2}; contributes {:.3}).{}",
            names.of(from),
            percent(*low),
            percent(*high),
            names.of(to),
            percent(*share),
            exposure_of_owner,
            contribution,
            cite(source)
        ),
        Evidence::ControlStep { controller, to, confidence, exposure_of_controller, source } => format!(
            "{} is controlled by {} ({}), so it carries its controller's concern exposure {:.2} in full.{}",
            names.of(to),
            names.of(controller),
            if *confidence >= 1.0 {
                "control tie, fully corroborated".to_string()
            } else {
                format!("control tie, confidence {confidence}")
            },
            exposure_of_controller,
            cite(source)
        ),
        Evidence::Controller { entity, path } => {
            let chain: Vec<&str> = path.iter().map(|id| names.of(id)).collect();
            format!("Controlled by {} (control path: {}).", names.of(entity), chain.join(" → "))
        }
        Evidence::Tie { member, other, tie_kind, strength, confidence, concern_weight, p, source } => {
            let kind = tie_kind.as_deref().unwrap_or("unspecified");
            let (article, label) = if kind == "alleged" { ("An", "alleged tie".to_string()) } else { ("A", format!("{kind} tie")) };
            format!(
                "{article} {label} between {} and {} (strength {strength}, confidence {confidence}, concern weight {concern_weight}; p = {p:.3}).{}",
                names.of(member),
                names.of(other),
                cite(source)
            )
        }
        Evidence::Jurisdiction { hq_country, of_concern } => {
            if *of_concern {
                format!("Headquartered in {hq_country}, a country of concern.")
            } else {
                format!("Headquartered in {hq_country}, not a country of concern.")
            }
        }
        Evidence::MarketYears { years, concern_revenue, total_revenue } => {
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            let share = if *total_revenue > 0.0 { concern_revenue / total_revenue } else { 0.0 };
            format!(
                "Sales years {}: {} of {} ({}) from countries of concern.",
                years.join(", "),
                usd(*concern_revenue),
                usd(*total_revenue),
                percent(share)
            )
        }
        Evidence::NoteTerm { note_id, subject, date, stance, severity, reliability, credibility, age_years, term, source } => {
            let speaker = names.notes.get(note_id.as_str()).map_or(note_id.as_str(), |n| n.speaker.as_str());
            format!(
                "{date}: {speaker} on {} — {stance}, severity {severity}, graded {reliability}{credibility}; {:.1} years old, adds {term:+.3}.{}",
                names.of(subject),
                age_years,
                cite(source)
            )
        }
        Evidence::Listing { entity, list, effective, ends, source, via } => {
            let until = ends.map(|d| format!(" until {d}")).unwrap_or_default();
            match via {
                None => format!("Designated on {list} from {effective}{until}.{}", cite(source)),
                Some(holder) => format!(
                    "{list} applies through the 50 Percent Rule: held through {}, whose chain starts at {}'s listing from {effective}{until}.{}",
                    names.of(holder),
                    names.of(entity),
                    cite(source)
                ),
            }
        }
        Evidence::DesignatedHolder { holder, share } => format!("{} (designated) holds {}.", names.of(holder), percent(*share)),
        Evidence::InstallYear { year, users } => format!("{} users in {year}.", count(*users as f64)),
        Evidence::Privilege { level } => format!("Runs with {level} privilege."),
        Evidence::Missing { policy, value } => {
            format!("No data: the \u{201c}{}\u{201d} missing-data value {value} is used.", policy.as_str())
        }
    }
}

/// " Source: …" ending in one full stop (sources often end in one already).
fn cite(source: &str) -> String {
    let source = source.trim();
    if source.is_empty() {
        String::new()
    } else if source.ends_with(['.', '!', '?']) {
        format!(" Source: {source}")
    } else {
        format!(" Source: {source}.")
    }
}

/// `0.374` → `37.4 %`.
pub fn percent(x: f64) -> String {
    let p = 100.0 * x;
    if (p - p.round()).abs() < 1e-9 { format!("{:.0} %", p) } else { format!("{:.1} %", p) }
}

/// `633000000` → `USD 633 M`.
pub fn usd(x: f64) -> String {
    format!("USD {}", count(x))
}

/// Human-readable magnitudes: 950, 12.5 k, 633 M, 1.2 bn.
pub fn count(x: f64) -> String {
    let (value, unit) = match x.abs() {
        a if a >= 1e9 => (x / 1e9, " bn"),
        a if a >= 1e6 => (x / 1e6, " M"),
        a if a >= 1e3 => (x / 1e3, " k"),
        _ => (x, ""),
    };
    let text = if (value - value.round()).abs() < 0.05 { format!("{:.0}", value) } else { format!("{:.1}", value) };
    format!("{text}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::default()
    }

    #[test]
    fn alleged_ties_are_called_alleged_and_others_are_not() {
        let facts = facts();
        let names = Names::new(&facts);
        let tie = |kind: &str| Evidence::Tie {
            member: "kaspersky".into(),
            other: "fsb".into(),
            tie_kind: Some(kind.into()),
            strength: 0.6,
            confidence: 0.5,
            concern_weight: 1.0,
            p: 0.3,
            source: "Bloomberg".into(),
        };
        assert!(sentence(&tie("alleged"), &names).starts_with("An alleged tie between kaspersky and fsb"));
        let board = sentence(&tie("board"), &names);
        assert!(board.starts_with("A board tie") && !board.contains("alleged"), "{board}");
    }

    #[test]
    fn control_is_stated_only_for_computed_controllers() {
        let facts = facts();
        let names = Names::new(&facts);
        let stake = Evidence::Stake {
            from: "h".into(),
            to: "v".into(),
            share: 0.55,
            range: None,
            exposure_of_owner: 0.6,
            contribution: 0.33,
            source: "registry".into(),
        };
        assert!(!sentence(&stake, &names).contains("ontrol"), "a stake alone is not control");
        let controller = Evidence::Controller { entity: "h".into(), path: vec!["h".into(), "v".into()] };
        assert_eq!(sentence(&controller, &names), "Controlled by h (control path: h → v).");
    }

    #[test]
    fn magnitudes_read_naturally() {
        assert_eq!(usd(633e6), "USD 633 M");
        assert_eq!(count(400e6), "400 M");
        assert_eq!(count(1.25e9), "1.2 bn");
        assert_eq!(count(950.0), "950");
        assert_eq!(percent(0.5), "50 %");
        assert_eq!(percent(0.374), "37.4 %");
    }
}
