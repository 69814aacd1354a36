//! How an import's rows reach a PostgreSQL team store: binary `COPY` rather than a statement a row,
//! which over a network (even loopback) costs a round trip each.
//!
//! The outcome is the one [`Store::apply`](super::Store::apply) gives row by row on SQLite — every
//! row replaces the stored row with its key, and the journal keeps what was replaced, in key order,
//! numbered on from the batch's earlier tables — reached in set operations:
//! - A table with no rows yet takes the rows straight from `COPY` (a dataset never repeats a key).
//! - Otherwise the rows are copied into a temporary table; the stored rows they replace are read
//!   through a cursor, a chunk at a time, and their journal entries copied in (written here, in Rust,
//!   so that they are byte for byte what the row-by-row path writes); then one `DELETE … USING`
//!   and one `INSERT … SELECT`.
//!
//! Ownership keeps the row-by-row path: its key may hold a NULL `since`, which neither a key
//! constraint nor a join on `=` sees, and its tables are small.

use super::db::{Pg, Sql, Tx};
use super::{JOURNAL_COLUMNS, Result, in_key_order, json_of};
use crate::ingest::tables::Table;
use crate::model::Value;

/// Rows of replaced stored rows read at a time.
const CHUNK: usize = 10_000;

/// Writes `rows` (a dataset's rows of `table`, whose key is enforced by the store) as part of
/// `batch`, journaling the rows they replace with sequence numbers after `seq`.
pub(super) fn apply_table(tx: &Tx<'_>, pg: &Pg, table: &Table, rows: &[Vec<Value>], batch: &Value, seq: &mut i64) -> Result<()> {
    let name = table.name;
    let columns = table.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ");
    let with_batch = format!("{columns}, batch_id");
    let rows = in_key_order(table, rows);
    let empty = tx.optional(&format!("SELECT NOT EXISTS (SELECT 1 FROM {name})"), &[], |r| r.flag(0))?.unwrap_or(false);
    if empty {
        pg.copy_in(name, &with_batch, name, rows.iter().map(|r| r.as_slice()), Some(batch))?;
        return Ok(());
    }

    let stage = format!("vetta_stage_{name}");
    tx.db().batch(&format!("CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {with_batch} FROM {name} WITH NO DATA"))?;
    pg.copy_in(&stage, &with_batch, name, rows.iter().map(|r| r.as_slice()), Some(batch))?;
    // Statistics for the joins below (a new table has none; the planner would guess).
    tx.db().batch(&format!("ANALYZE {stage}"))?;

    let matched = table
        .key
        .iter()
        .map(|k| {
            let required = table.columns.iter().any(|c| c.name == *k && c.required);
            if required { format!("t.{k} = s.{k}") } else { format!("t.{k} IS NOT DISTINCT FROM s.{k}") }
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let prior = table.columns.iter().map(|c| format!("t.{}", c.name)).collect::<Vec<_>>().join(", ");
    let key_order = table.key.iter().map(|k| format!("t.{k} NULLS FIRST")).collect::<Vec<_>>().join(", ");
    let n = table.columns.len();
    let replaced = format!("SELECT {prior}, t.batch_id FROM {name} t JOIN {stage} s ON {matched} ORDER BY {key_order}");
    let tbl = Value::Text(name.into());
    pg.chunks(&format!("vetta_replaced_{name}"), &replaced, CHUNK, |chunk| {
        let mut entries = Vec::with_capacity(chunk.len());
        for row in chunk {
            *seq += 1;
            let values = row.values(n)?;
            entries.push([batch.clone(), Value::Int(*seq), tbl.clone(), Value::Int(row.int(n)?), Value::Text(json_of(values.iter()))]);
        }
        pg.copy_in("journal", JOURNAL_COLUMNS, "journal", entries.iter().map(|e| e.as_slice()), None)?;
        Ok(())
    })?;
    tx.db().batch(&format!("DELETE FROM {name} t USING {stage} s WHERE {matched}"))?;
    tx.db().batch(&format!("INSERT INTO {name} ({with_batch}) SELECT {with_batch} FROM {stage}"))?;
    Ok(())
}
