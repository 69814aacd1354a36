//! Earlier states of the store, for "what changed" (cli.md v1.3 `changes`): the store as it stood
//! after a batch, rebuilt in memory from the current rows and the undo journal.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;

use super::{BATCH_COLUMNS, Result, Store, StoreError, TableSql, finish_write, from_sql};
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
        // Every table's rows by key (the key's cells as JSON), with the batch that wrote each.
        let mut rows: HashMap<&'static str, HashMap<String, (Vec<Value>, i64)>> = HashMap::new();
        for table in tables::ALL {
            let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            let key_at: Vec<usize> =
                table.key.iter().map(|k| columns.iter().position(|c| c == k).expect("key columns are columns")).collect();
            let mut stmt = self.conn.prepare(&format!("SELECT {}, batch_id FROM {}", columns.join(", "), table.name))?;
            let mut found = stmt.query([])?;
            let by_key = rows.entry(table.name).or_default();
            while let Some(r) = found.next()? {
                let row: Vec<Value> = (0..columns.len()).map(|i| r.get::<_, SqlValue>(i).map(from_sql)).collect::<rusqlite::Result<_>>()?;
                let written_by: i64 = r.get(columns.len())?;
                by_key.insert(key_of(&row, &key_at), (row, written_by));
            }
        }
        let later: Vec<i64> = {
            let mut stmt =
                self.conn.prepare("SELECT batch_id FROM batches WHERE batch_id > ?1 AND undone_at IS NULL ORDER BY batch_id DESC")?;
            stmt.query_map([batch], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut journal = self.conn.prepare("SELECT tbl, prior_batch, prior FROM journal WHERE batch_id = ?1 ORDER BY seq")?;
        for undone in later {
            for by_key in rows.values_mut() {
                by_key.retain(|_, (_, written_by)| *written_by != undone);
            }
            let mut entries = journal.query([undone])?;
            while let Some(entry) = entries.next()? {
                let table = tables::by_name(&entry.get::<_, String>(0)?).expect("the journal names known tables");
                let prior: Vec<Value> = serde_json::from_str(&entry.get::<_, String>(2)?).expect("journal rows are JSON");
                let key_at: Vec<usize> =
                    table.key.iter().map(|k| table.columns.iter().position(|c| c.name == *k).expect("key columns are columns")).collect();
                rows.entry(table.name).or_default().insert(key_of(&prior, &key_at), (prior, entry.get(1)?));
            }
        }

        let mut copy = Store::open_in_memory()?;
        let tx = copy.conn.transaction()?;
        {
            let mut batches = self.conn.prepare(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id <= ?1"))?;
            let mut insert =
                tx.prepare(&format!("INSERT OR REPLACE INTO batches ({BATCH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))?;
            let mut found = batches.query([batch])?;
            while let Some(r) = found.next()? {
                let cells: Vec<SqlValue> = (0..8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                insert.execute(rusqlite::params_from_iter(cells))?;
            }
        }
        for table in tables::ALL {
            let mut insert = tx.prepare(&TableSql::new(table).insert)?;
            for (row, written_by) in rows[table.name].values() {
                insert.execute(rusqlite::params_from_iter(row.iter().chain([&Value::Int(*written_by)])))?;
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
