//! Moving a whole workspace between engines (`vetta workspace push` / `pull`): every fact, batch,
//! journal entry, scenario and setting, in one transaction on the target, which must be empty; the
//! copy is verified — `dataset_sha256`, each table's rows, the batches and the journal — before it
//! commits, so a failed or wrong copy leaves the target as it was.

use super::db::{RowSink, Sql};
use super::{BATCH_COLUMNS, JOURNAL_COLUMNS, Result, Store, StoreError, TableSql, finish_write};
use crate::ingest::tables;

/// What a copy moved, as verified on the target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Copied {
    pub dataset_sha256: String,
    /// Rows per fact table.
    pub counts: Vec<(&'static str, u64)>,
    pub batches: u64,
    pub journal: u64,
}

impl Store {
    /// Copies this store into `target`, an empty store (no batch, no fact) of either engine.
    pub fn copy_into(&self, target: &mut Store) -> Result<Copied> {
        let source = self;
        let (batches, journal, scenarios, settings) = source.db.read(|db| {
            let batches = db.all(&format!("SELECT {BATCH_COLUMNS} FROM batches ORDER BY batch_id"), &[], |r| r.values(8))?;
            let journal = db.all(&format!("SELECT {JOURNAL_COLUMNS} FROM journal ORDER BY batch_id, seq"), &[], |r| r.values(5))?;
            let scenarios = db.all("SELECT name, spec, created_at, updated_at FROM scenarios ORDER BY name", &[], |r| r.values(4))?;
            let settings = db.all("SELECT key, value FROM meta WHERE key LIKE 'setting.%' ORDER BY key", &[], |r| r.values(2))?;
            Ok((batches, journal, scenarios, settings))
        })?;
        let expected = Copied {
            dataset_sha256: source.fresh_dataset_sha256()?,
            counts: source.counts()?,
            batches: batches.len() as u64,
            journal: journal.len() as u64,
        };

        let tx = target.db.write()?;
        let held = tx.optional("SELECT count(*) FROM batches", &[], |r| r.int(0))?.unwrap_or(0);
        let facts: i64 = tables::ALL
            .iter()
            .map(|t| tx.optional(&format!("SELECT count(*) FROM {}", t.name), &[], |r| r.int(0)).map(|n| n.unwrap_or(0)))
            .sum::<Result<i64>>()?;
        if held > 0 || facts > 0 {
            return Err(StoreError::Conflict(vec![format!(
                "the target workspace is not empty ({held} batches, {facts} facts): a workspace is copied only into an empty one"
            )]));
        }
        let insert_batch = format!("INSERT INTO batches ({BATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for batch in &batches {
            tx.execute(&insert_batch, batch)?;
        }
        // Into PostgreSQL the journal and the facts go by binary COPY (a statement a row would cost a
        // round trip each); into SQLite, row by row.
        if let Some(pg) = tx.db().pg() {
            pg.copy_in("journal", JOURNAL_COLUMNS, "journal", journal.iter().map(Vec::as_slice), None)?;
        } else {
            let insert_journal = format!("INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)");
            for entry in &journal {
                tx.execute(&insert_journal, entry)?;
            }
        }
        for table in tables::ALL {
            let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            let select = format!("SELECT {}, batch_id FROM {}", columns.join(", "), table.name);
            let rows = |write: &mut RowSink<'_>| {
                source.db.each(&select, &[], &mut |r| {
                    let mut row = r.values(columns.len() + 1)?;
                    let batch = row.pop().expect("the batch column");
                    write(&row, Some(&batch))
                })
            };
            if let Some(pg) = tx.db().pg() {
                pg.copy_in_with(table.name, &format!("{}, batch_id", columns.join(", ")), table.name, rows)?;
            } else {
                let mut insert = tx.db().prepare(&TableSql::new(table).insert)?;
                rows(&mut |row, batch| insert.execute(row, batch).map(drop))?;
            }
        }
        for scenario in &scenarios {
            tx.execute("INSERT INTO scenarios (name, spec, created_at, updated_at) VALUES (?1, ?2, ?3, ?4)", scenario)?;
        }
        for setting in &settings {
            tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", setting)?;
        }
        if target.db.dialect() == super::Dialect::Postgres {
            // New batches continue after the copied ids.
            tx.execute(
                "SELECT setval(pg_get_serial_sequence('batches', 'batch_id'), (SELECT coalesce(max(batch_id), 0) + 1 FROM batches), false)",
                &[],
            )?;
        }

        // Verified inside the transaction: a copy that differs is rolled back.
        let found_batches = tx.all(&format!("SELECT {BATCH_COLUMNS} FROM batches ORDER BY batch_id"), &[], |r| r.values(8))?;
        let found_journal = tx.all(&format!("SELECT {JOURNAL_COLUMNS} FROM journal ORDER BY batch_id, seq"), &[], |r| r.values(5))?;
        let mut differences = Vec::new();
        if found_batches != batches {
            differences.push("the batches differ".to_string());
        }
        if found_journal != journal {
            differences.push("the undo journal differs".to_string());
        }
        let found = Copied {
            dataset_sha256: target.fresh_dataset_sha256()?,
            counts: target.counts()?,
            batches: found_batches.len() as u64,
            journal: found_journal.len() as u64,
        };
        if found.counts != expected.counts {
            differences.push(format!("row counts differ: {:?} copied, {:?} in the source", found.counts, expected.counts));
        }
        if found.dataset_sha256 != expected.dataset_sha256 {
            differences.push(format!("dataset {} copied, {} in the source", found.dataset_sha256, expected.dataset_sha256));
        }
        if !differences.is_empty() {
            return Err(StoreError::Conflict(
                differences.into_iter().map(|d| format!("the copy does not check, nothing was written: {d}")).collect(),
            ));
        }
        finish_write(tx)?;
        if target.db.dialect() == super::Dialect::Postgres {
            // As after a restore: the tables were filled at once, so give the planner their
            // statistics and set the rows' visibility now, rather than leave both to the first
            // readers and to autovacuum, which would otherwise start under the team's first reads.
            // The copy is committed whatever this answers (a login that does not own the tables
            // is only warned).
            let names: Vec<&str> = tables::ALL.iter().map(|t| t.name).chain(["batches", "journal"]).collect();
            let _ = target.db.batch(&format!("VACUUM (ANALYZE) {}", names.join(", ")));
        }
        Ok(found)
    }
}
