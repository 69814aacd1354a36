//! Test builder: a case in a few chained calls, evaluated on 2025-06-30 unless `on(day)` says otherwise.
//!
//! `vendor("v", "US")` makes a vendor whose entity is implicit (`entity_id = vendor id`); `company`,
//! `private` and `state` make explicit entities, which a vendor of the same id then uses.

use chrono::NaiveDate;

use super::{Edge, Entity, Evidence, FactorResult, Facts, InstallRow, Listing, Note, Params, Relation, SalesRow, Vendor, compute};

pub(super) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad test date {text}: {e}"))
}

#[derive(Debug, Clone)]
pub(super) struct Case {
    pub(super) facts: Facts,
    pub(super) params: Params,
}

impl Case {
    pub(super) fn new() -> Self {
        Case { facts: Facts::default(), params: Params::defaults(date("2025-06-30")) }
    }

    pub(super) fn on(self, day: &str) -> Self {
        self.param("as_of", day)
    }

    pub(super) fn param(mut self, name: &str, value: &str) -> Self {
        self.params.set(name, value).unwrap_or_else(|e| panic!("test parameter {name}={value}: {e}"));
        self
    }

    fn entity(mut self, id: &str, kind: &str, country: &str, state_affiliated: bool) -> Self {
        self.facts.entities.push(Entity {
            id: id.into(),
            name: format!("{id} name"),
            kind: kind.into(),
            country: country.into(),
            state_affiliated,
        });
        self
    }

    /// A private company (state_affiliated false).
    pub(super) fn company(self, id: &str, country: &str) -> Self {
        self.entity(id, "company", country, false)
    }

    /// A state body (state_affiliated true).
    pub(super) fn state(self, id: &str, country: &str) -> Self {
        self.entity(id, "state_body", country, true)
    }

    pub(super) fn vendor(self, id: &str, hq: &str) -> Self {
        self.vendor_with(id, hq, "none")
    }

    pub(super) fn vendor_with(mut self, id: &str, hq: &str, privilege: &str) -> Self {
        self.facts.vendors.push(Vendor {
            id: id.into(),
            name: format!("{id} Inc."),
            entity_id: id.into(),
            hq_country: hq.into(),
            privilege: privilege.into(),
            mitigation: 0.0,
        });
        self
    }

    pub(super) fn equity(self, from: &str, to: &str, share: f64) -> Self {
        self.equity_dated(from, to, share, None, None)
    }

    pub(super) fn equity_dated(mut self, from: &str, to: &str, share: f64, since: Option<&str>, until: Option<&str>) -> Self {
        let source = format!("equity {from}->{to} #{}", self.facts.edges.len());
        self.facts.edges.push(Edge {
            from: from.into(),
            to: to.into(),
            relation: Relation::Equity,
            share: Some(share),
            share_min: None,
            share_max: None,
            tie_kind: None,
            strength: 1.0,
            confidence: 1.0,
            since: since.map(date),
            until: until.map(date),
            source,
        });
        self
    }

    /// An equity row given as a range `[min, max]` (v1.3).
    pub(super) fn equity_range(mut self, from: &str, to: &str, min: f64, max: f64) -> Self {
        self = self.equity(from, to, 0.0);
        let edge = self.facts.edges.last_mut().expect("just pushed");
        (edge.share, edge.share_min, edge.share_max) = (None, Some(min), Some(max));
        self
    }

    pub(super) fn tie(self, a: &str, b: &str, strength: f64, confidence: f64) -> Self {
        self.tie_dated(a, b, strength, confidence, None, None)
    }

    pub(super) fn tie_dated(mut self, a: &str, b: &str, strength: f64, confidence: f64, since: Option<&str>, until: Option<&str>) -> Self {
        self.facts.edges.push(Edge {
            from: a.into(),
            to: b.into(),
            relation: Relation::Tie,
            share: None,
            share_min: None,
            share_max: None,
            tie_kind: Some("board".into()),
            strength,
            confidence,
            since: since.map(date),
            until: until.map(date),
            source: format!("tie {a}-{b}"),
        });
        self
    }

    /// A `control` tie (v1.3): `controller` controls `controlled`, with this confidence.
    pub(super) fn control(mut self, controller: &str, controlled: &str, confidence: f64) -> Self {
        self = self.tie(controller, controlled, 1.0, confidence);
        self.facts.edges.last_mut().expect("just pushed").tie_kind = Some("control".into());
        self
    }

    /// A `same` link (v1.3): the two ids name one entity.
    pub(super) fn same(mut self, a: &str, b: &str) -> Self {
        self.facts.links.push((a.into(), b.into()));
        self
    }

    /// A note; `grade` is reliability and credibility together, e.g. `"B2"`.
    pub(super) fn note(mut self, subject: &str, day: &str, stance: &str, severity: i64, grade: &str) -> Self {
        let id = format!("n{}", self.facts.notes.len());
        self.facts.notes.push(Note {
            id,
            subject: subject.into(),
            date: date(day),
            speaker: "analyst".into(),
            stance: stance.into(),
            severity,
            reliability: grade[..1].into(),
            credibility: grade[1..].parse().expect("credibility digit"),
            summary: String::new(),
            source: "hearing".into(),
        });
        self
    }

    pub(super) fn sale(mut self, vendor: &str, year: i32, country: &str, revenue_usd: f64) -> Self {
        self.facts.sales.push(SalesRow { vendor_id: vendor.into(), year, country: country.into(), segment: "other".into(), revenue_usd });
        self
    }

    pub(super) fn install(mut self, vendor: &str, year: i32, country: &str, users: i64) -> Self {
        self.facts.installs.push(InstallRow {
            vendor_id: vendor.into(),
            year,
            country: country.into(),
            segment: "other".into(),
            users,
            organizations: None,
        });
        self
    }

    pub(super) fn listing(mut self, subject: &str, list: &str, effective: &str, ends: Option<&str>) -> Self {
        self.facts.listings.push(Listing {
            subject: subject.into(),
            list: list.into(),
            effective: date(effective),
            ends: ends.map(date),
            source: format!("{list} register"),
        });
        self
    }

    pub(super) fn run(&self) -> Outcome {
        Outcome(compute(&self.facts, &self.params))
    }
}

/// A computed case, read by vendor id and factor name.
#[derive(Debug)]
pub(super) struct Outcome(pub(super) FactorResult);

impl Outcome {
    fn pos(&self, vendor: &str) -> usize {
        self.0.position(vendor).unwrap_or_else(|| panic!("no vendor {vendor} in {:?}", self.0.vendor_ids))
    }

    fn factor(name: &str) -> super::Factor {
        super::Factor::parse(name).unwrap_or_else(|| panic!("no factor {name}"))
    }

    pub(super) fn get(&self, vendor: &str, factor: &str) -> f64 {
        self.0.row(self.pos(vendor))[Self::factor(factor).index()]
    }

    pub(super) fn designated(&self, vendor: &str) -> bool {
        self.0.designated[self.pos(vendor)]
    }

    pub(super) fn lists(&self, vendor: &str) -> &[String] {
        &self.0.lists[self.pos(vendor)]
    }

    pub(super) fn possibly(&self, vendor: &str) -> (bool, &[String]) {
        let i = self.pos(vendor);
        (self.0.possibly_designated[i], &self.0.possible_lists[i])
    }

    pub(super) fn missing(&self, vendor: &str) -> Vec<&'static str> {
        self.0.missing[self.pos(vendor)].iter().map(|f| f.key()).collect()
    }

    pub(super) fn evidence(&self, vendor: &str, factor: &str) -> &[Evidence] {
        &self.0.evidence[self.pos(vendor)][Self::factor(factor)]
    }
}
