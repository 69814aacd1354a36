//! Loads the facts the risk engine reads, as plain data (`factors::Facts`).

use chrono::NaiveDate;

use super::Result;
use super::db::{Db, Sql};
use crate::factors::{Edge, Entity, Facts, InstallRow, Listing, Note, Relation, SalesRow, Vendor};
use crate::ingest::tables;

/// Rows come in key order (`ORDER BY`, on both engines), never in the order they happen to be
/// stored: sums over them are then the same to the last bit on SQLite and PostgreSQL, and after
/// any history of imports and undos.
pub(super) fn load(db: &Db) -> Result<Facts> {
    // The ledger is the largest read: on PostgreSQL it runs on a second connection, on the same
    // snapshot, while this one reads the rest.
    let (mut facts, sales) = db.beside(load_all_but_sales, load_sales)?;
    facts.sales = sales;
    Ok(facts)
}

/// Everything but the sales ledger.
fn load_all_but_sales(db: &Db) -> Result<Facts> {
    let date = |text: Option<String>| text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok());
    let entities = db.all("SELECT entity_id, name, kind, country, state_affiliated FROM entities ORDER BY entity_id", &[], |r| {
        Ok(Entity { id: r.text(0)?, name: r.text(1)?, kind: r.text(2)?, country: r.text(3)?, state_affiliated: r.flag(4)? })
    })?;
    let mut facts = Facts { entities, ..Facts::default() };
    facts.vendors =
        db.all("SELECT vendor_id, name, entity_id, hq_country, privilege, mitigation FROM vendors ORDER BY vendor_id", &[], |r| {
            Ok(Vendor {
                id: r.text(0)?,
                name: r.text(1)?,
                entity_id: r.text(2)?,
                hq_country: r.text(3)?,
                privilege: r.text(4)?,
                mitigation: r.real(5)?,
            })
        })?;
    facts.edges = db.all(
        &format!(
            "SELECT from_id, to_id, relation, share, tie_kind, strength, confidence, since, until, source, share_min, share_max FROM ownership ORDER BY {}",
            super::order_by(tables::OWNERSHIP.order)
        ),
        &[],
        |r| {
            Ok(Edge {
                from: r.text(0)?,
                to: r.text(1)?,
                relation: if r.text(2)? == "equity" { Relation::Equity } else { Relation::Tie },
                share: r.opt_real(3)?,
                share_min: r.opt_real(10)?,
                share_max: r.opt_real(11)?,
                tie_kind: r.opt_text(4)?,
                strength: r.opt_real(5)?.unwrap_or(1.0),
                confidence: r.opt_real(6)?.unwrap_or(1.0),
                since: date(r.opt_text(7)?),
                until: date(r.opt_text(8)?),
                source: r.text(9)?,
            })
        },
    )?;
    facts.notes = db.all(
        "SELECT note_id, subject_id, date, speaker, stance, severity, reliability, credibility, summary, source FROM testimony ORDER BY note_id",
        &[],
        |r| {
            Ok(Note {
                id: r.text(0)?,
                subject: r.text(1)?,
                date: date(r.opt_text(2)?).unwrap_or_default(),
                speaker: r.text(3)?,
                stance: r.text(4)?,
                severity: r.int(5)?,
                reliability: r.text(6)?,
                credibility: r.int(7)?,
                summary: r.text(8)?,
                source: r.text(9)?,
            })
        },
    )?;
    facts.installs = db.all(
        "SELECT vendor_id, year, country, segment, users, organizations FROM install_base ORDER BY vendor_id, year, country, segment",
        &[],
        |r| {
            Ok(InstallRow {
                vendor_id: r.text(0)?,
                year: r.int(1)? as i32,
                country: r.text(2)?,
                segment: r.text(3)?,
                users: r.int(4)?,
                organizations: r.opt_int(5)?,
            })
        },
    )?;
    facts.listings =
        db.all("SELECT subject_id, list, effective, ends, source FROM designations ORDER BY subject_id, list, effective", &[], |r| {
            Ok(Listing {
                subject: r.text(0)?,
                list: r.text(1)?,
                effective: date(r.opt_text(2)?).unwrap_or_default(),
                ends: date(r.opt_text(3)?),
                source: r.text(4)?,
            })
        })?;
    facts.links = db.all("SELECT entity_id, other_id FROM links WHERE decision = 'same' ORDER BY entity_id, other_id", &[], |r| {
        Ok((r.text(0)?, r.text(1)?))
    })?;
    Ok(facts)
}

/// The sales ledger's revenue by vendor, year and country.
fn load_sales(db: &Db) -> Result<Vec<SalesRow>> {
    if db.dialect() == super::Dialect::Postgres {
        // Grouped along the key's index, in order, rather than hashed — with PostgreSQL's default
        // 4 MB `work_mem` a large ledger's hash table spills to disk and is sorted again (0.83 s
        // against 0.24 s for 600,000 rows). For this snapshot's transaction only.
        db.batch("SET LOCAL enable_hashagg = off")?;
    }
    // The market factor needs revenue by vendor, year and country only: summing segments in SQL
    // keeps a large ledger's load small.
    db.all(
        "SELECT vendor_id, year, country, sum(revenue_usd) FROM sales GROUP BY vendor_id, year, country ORDER BY vendor_id, year, country",
        &[],
        |r| {
            Ok(SalesRow {
                vendor_id: r.text(0)?,
                year: r.int(1)? as i32,
                country: r.text(2)?,
                segment: String::new(),
                revenue_usd: r.real(3)?,
            })
        },
    )
}
