//! Loads the facts the risk engine reads, as plain data (`factors::Facts`).

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use crate::factors::{Edge, Entity, Facts, InstallRow, Listing, Note, Relation, SalesRow, Vendor};

pub(super) fn load(conn: &Connection) -> Result<Facts> {
    let date = |text: Option<String>| text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok());
    let mut facts = Facts::default();
    let mut stmt = conn.prepare("SELECT entity_id, name, kind, country, state_affiliated FROM entities")?;
    facts.entities = stmt
        .query_map([], |r| Ok(Entity { id: r.get(0)?, name: r.get(1)?, kind: r.get(2)?, country: r.get(3)?, state_affiliated: r.get(4)? }))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT vendor_id, name, entity_id, hq_country, privilege, mitigation FROM vendors")?;
    facts.vendors = stmt
        .query_map([], |r| {
            Ok(Vendor {
                id: r.get(0)?,
                name: r.get(1)?,
                entity_id: r.get(2)?,
                hq_country: r.get(3)?,
                privilege: r.get(4)?,
                mitigation: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT from_id, to_id, relation, share, tie_kind, strength, confidence, since, until, source, share_min, share_max FROM ownership",
    )?;
    facts.edges = stmt
        .query_map([], |r| {
            Ok(Edge {
                from: r.get(0)?,
                to: r.get(1)?,
                relation: if r.get::<_, String>(2)? == "equity" { Relation::Equity } else { Relation::Tie },
                share: r.get(3)?,
                share_min: r.get(10)?,
                share_max: r.get(11)?,
                tie_kind: r.get(4)?,
                strength: r.get::<_, Option<f64>>(5)?.unwrap_or(1.0),
                confidence: r.get::<_, Option<f64>>(6)?.unwrap_or(1.0),
                since: date(r.get(7)?),
                until: date(r.get(8)?),
                source: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn
        .prepare("SELECT note_id, subject_id, date, speaker, stance, severity, reliability, credibility, summary, source FROM testimony")?;
    facts.notes = stmt
        .query_map([], |r| {
            Ok(Note {
                id: r.get(0)?,
                subject: r.get(1)?,
                date: date(r.get(2)?).unwrap_or_default(),
                speaker: r.get(3)?,
                stance: r.get(4)?,
                severity: r.get(5)?,
                reliability: r.get(6)?,
                credibility: r.get(7)?,
                summary: r.get(8)?,
                source: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    // The market factor needs revenue by vendor, year and country only: summing segments in SQL
    // keeps a large ledger's load small.
    let mut stmt = conn.prepare("SELECT vendor_id, year, country, sum(revenue_usd) FROM sales GROUP BY vendor_id, year, country")?;
    facts.sales = stmt
        .query_map([], |r| {
            Ok(SalesRow { vendor_id: r.get(0)?, year: r.get(1)?, country: r.get(2)?, segment: String::new(), revenue_usd: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT vendor_id, year, country, segment, users, organizations FROM install_base")?;
    facts.installs = stmt
        .query_map([], |r| {
            Ok(InstallRow {
                vendor_id: r.get(0)?,
                year: r.get(1)?,
                country: r.get(2)?,
                segment: r.get(3)?,
                users: r.get(4)?,
                organizations: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT subject_id, list, effective, ends, source FROM designations")?;
    facts.listings = stmt
        .query_map([], |r| {
            Ok(Listing {
                subject: r.get(0)?,
                list: r.get(1)?,
                effective: date(r.get(2)?).unwrap_or_default(),
                ends: date(r.get(3)?),
                source: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT entity_id, other_id FROM links WHERE decision = 'same'")?;
    facts.links = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(facts)
}
