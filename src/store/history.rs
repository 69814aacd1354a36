//! Earlier states of the store, for "what changed" (cli.md v1.3 `changes`): the store as it stood
//! after a batch, rebuilt in memory from the current rows and the undo journal.

use std::collections::HashMap;

use super::db::Sql;
use super::{BATCH_COLUMNS, Result, Store, StoreError, TableSql, finish_write};
use crate::ingest::tables;
use crate::model::Value;

impl Store {
    /// The store with only the applied batches up to `batch` (0: none), in memory: every applied
    /// batch after it undone, newest first, exactly as `undo` would (its rows removed, the rows it
    /// replaced put back). Batches undone before now stay undone. The copy holds the facts and the
    /// batches up to `batch`; it is never written back.
    pub fn state_after(&self, batch: i64) -> Result<Store> {
        if batch != 0 {
            self.batch(batch)?;
        }
        // Every table's rows by key (the key's cells as JSON), with the batch that wrote each, and
        // the batches to take back, newest first, with their journals: all from one snapshot.
        type Journal = Vec<(String, i64, String)>;
        let (mut rows, later, batches) = self.db.read(|db| {
            let mut rows: HashMap<&'static str, HashMap<String, (Vec<Value>, i64)>> = HashMap::new();
            for table in tables::ALL {
                let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
                let key_at: Vec<usize> =
                    table.key.iter().map(|k| columns.iter().position(|c| c == k).expect("key columns are columns")).collect();
                let by_key = rows.entry(table.name).or_default();
                db.each(&format!("SELECT {}, batch_id FROM {}", columns.join(", "), table.name), &[], &mut |r| {
                    let row = r.values(columns.len())?;
                    let written_by = r.int(columns.len())?;
                    by_key.insert(key_of(&row, &key_at), (row, written_by));
                    Ok(())
                })?;
            }
            let later = db.all(
                "SELECT batch_id FROM batches WHERE batch_id > ?1 AND undone_at IS NULL ORDER BY batch_id DESC",
                &[Value::Int(batch)],
                |r| r.int(0),
            )?;
            let mut journals: Vec<(i64, Journal)> = Vec::new();
            for &undone in &later {
                let entries =
                    db.all("SELECT tbl, prior_batch, prior FROM journal WHERE batch_id = ?1 ORDER BY seq", &[Value::Int(undone)], |r| {
                        Ok((r.text(0)?, r.int(1)?, r.text(2)?))
                    })?;
                journals.push((undone, entries));
            }
            let batches =
                db.all(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id <= ?1"), &[Value::Int(batch)], |r| r.values(8))?;
            Ok((rows, journals, batches))
        })?;
        for (undone, entries) in later {
            for by_key in rows.values_mut() {
                by_key.retain(|_, (_, written_by)| *written_by != undone);
            }
            for (table, prior_batch, prior) in entries {
                let table = tables::by_name(&table).expect("the journal names known tables");
                let prior: Vec<Value> = serde_json::from_str(&prior).expect("journal rows are JSON");
                let key_at: Vec<usize> =
                    table.key.iter().map(|k| table.columns.iter().position(|c| c.name == *k).expect("key columns are columns")).collect();
                rows.entry(table.name).or_default().insert(key_of(&prior, &key_at), (prior, prior_batch));
            }
        }

        let mut copy = Store::open_in_memory()?;
        copy.user = self.user.clone();
        let tx = copy.db.write()?;
        let insert_batch = format!("INSERT INTO batches ({BATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for cells in &batches {
            tx.execute(&insert_batch, cells)?;
        }
        for table in tables::ALL {
            let insert = TableSql::new(table).insert;
            for (row, written_by) in rows[table.name].values() {
                tx.execute_row(&insert, row, &Value::Int(*written_by))?;
            }
        }
        finish_write(tx).map_err(|error| match error {
            // The state was consistent when it was current; a conflict now is a bug, said plainly.
            StoreError::Conflict(conflicts) => StoreError::Conflict(
                conflicts.into_iter().map(|c| format!("the store as it stood after batch {batch} does not check: {c}")).collect(),
            ),
            other => other,
        })?;
        Ok(copy)
    }
}

fn key_of(row: &[Value], key_at: &[usize]) -> String {
    serde_json::to_string(&key_at.iter().map(|&i| &row[i]).collect::<Vec<_>>()).expect("cells serialise")
}
