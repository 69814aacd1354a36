//! The local SQLite store: the only module that speaks SQL.
//!
//! It holds the facts (one table per import file, same columns), the import batches with the
//! journal that undoes them exactly, scenarios and settings. Writes happen in transactions that
//! either apply a whole [`Dataset`] or nothing; after every write the store checks the rules that
//! span tables (references, share sums) and refuses a change that would break them.

mod facts;
mod history;
mod parties;
mod schema;

pub use parties::{IdentifierPair, ListingLine, OwnerLine, PartyCard, ScreeningInput};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::ingest::tables::{self, Table};
use crate::ingest::{Dataset, FileInfo, KnownEntity, KnownFacts, KnownLink, KnownListing, KnownStake, KnownVendor};
use crate::model::{Value, shares};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot create the store's folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("the store was written by a newer Vetta (schema {found}, this build knows {known})")]
    TooNew { found: i64, known: i64 },
    /// The change would leave the store inconsistent; nothing was written.
    #[error("refused, nothing was changed:\n  {}", .0.join("\n  "))]
    Conflict(Vec<String>),
    #[error("there is no batch {0}")]
    UnknownBatch(i64),
    #[error("batch {0} is already undone")]
    AlreadyUndone(i64),
    #[error(
        "batch {batch} cannot be undone before batch {later}{}, which replaced some of its rows: undo {later} first",
        by.as_deref().map(|by| format!(" (made by {by})")).unwrap_or_default()
    )]
    ReplacedLater { batch: i64, later: i64, by: Option<String> },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An import batch as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Batch {
    pub batch_id: i64,
    pub created_at: String,
    pub label: String,
    pub files: Vec<FileInfo>,
    /// Rows written per table.
    pub counts: std::collections::BTreeMap<String, u64>,
    pub undone_at: Option<String>,
    /// Who made the batch: the OS user locally (None for batches from before this was recorded).
    pub created_by: Option<String>,
    pub undone_by: Option<String>,
}

/// The columns [`batch_from_row`] reads, in its order.
const BATCH_COLUMNS: &str = "batch_id, created_at, label, files, counts, undone_at, created_by, undone_by";

/// A vendor as listed by `vetta vendors`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct VendorListing {
    pub vendor_id: String,
    pub name: String,
    pub hq_country: String,
    pub privilege: String,
    pub category: Option<String>,
    pub mitigation: f64,
}

/// A note's venue and quote.
pub type NoteExtras = (Option<String>, Option<String>);

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Who writes: recorded as each batch's `created_by` and `undone_by`.
    user: Option<String>,
}

/// The operating system's name for the user running Vetta (the account database's, not `$USER`,
/// which services and containers often leave unset); None when the system cannot say.
pub fn os_user() -> Option<String> {
    whoami::fallible::username().ok().filter(|name| !name.trim().is_empty())
}

impl Store {
    /// Opens the store at `path`, creating the file and its folder when missing, and brings the
    /// schema up to date. Returns whether the file was new.
    pub fn open(path: &Path) -> Result<(Store, bool)> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder { path: folder.to_path_buf(), source })?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "cache_size", -65536)?;
        let mut store = Store { conn, path: Some(path.to_path_buf()), user: os_user() };
        let created = store.migrate()?;
        Ok((store, created))
    }

    /// A store in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None, user: os_user() };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Who the store records as making and undoing batches from now on (the OS user by default).
    pub fn set_user(&mut self, user: Option<String>) {
        self.user = user;
    }

    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Applies pending migrations; true when the store was empty before.
    fn migrate(&mut self) -> Result<bool> {
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        let tx = self.conn.transaction()?;
        for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(version == 0)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// What an import's rules need to know of the store.
    pub fn known_facts(&self) -> Result<KnownFacts> {
        let mut known = KnownFacts::default();
        let mut stmt = self.conn.prepare("SELECT entity_id, country FROM entities")?;
        known.entities = stmt.query_map([], |r| Ok(KnownEntity { entity_id: r.get(0)?, country: r.get(1)? }))?.collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare("SELECT vendor_id, entity_id, hq_country FROM vendors")?;
        known.vendors = stmt
            .query_map([], |r| Ok(KnownVendor { vendor_id: r.get(0)?, entity_id: r.get(1)?, hq_country: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        // The share-sum rule holds for the low points: `share`, or `share_min` of a range.
        let mut stmt = self
            .conn
            .prepare("SELECT from_id, to_id, since, until, coalesce(share, share_min) FROM ownership WHERE relation = 'equity'")?;
        known.stakes = stmt
            .query_map([], |r| {
                Ok(KnownStake { from_id: r.get(0)?, to_id: r.get(1)?, since: r.get(2)?, until: r.get(3)?, share: r.get(4)? })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare("SELECT subject_id, list, effective, batch_id FROM designations WHERE ends IS NULL")?;
        known.listings = stmt
            .query_map([], |r| Ok(KnownListing { subject_id: r.get(0)?, list: r.get(1)?, effective: r.get(2)?, batch_id: r.get(3)? }))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare("SELECT batch_id, files FROM batches WHERE undone_at IS NULL")?;
        let batches: Vec<(i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (batch_id, files) in batches {
            let files: Vec<FileInfo> = serde_json::from_str(&files).unwrap_or_default();
            known.batch_files.extend(files.into_iter().map(|f| (batch_id, f.name, f.table)));
        }
        let mut stmt = self.conn.prepare("SELECT entity_id, other_id, decision = 'same' FROM links")?;
        known.links = stmt
            .query_map([], |r| Ok(KnownLink { entity_id: r.get(0)?, other_id: r.get(1)?, same: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        Ok(known)
    }

    /// Writes a validated dataset as one batch: every row replaces the row with the same key, and
    /// the journal keeps what it replaced. All or nothing.
    pub fn apply(&mut self, dataset: &Dataset, label: &str) -> Result<Batch> {
        let tx = self.conn.transaction()?;
        let files = serde_json::to_string(&dataset.files).expect("file infos serialise");
        tx.execute(
            "INSERT INTO batches (created_at, label, files, created_by) VALUES (?1, ?2, ?3, ?4)",
            params![now(), label, files, self.user],
        )?;
        let batch_id = tx.last_insert_rowid();
        let batch_value = Value::Int(batch_id);
        let mut counts = std::collections::BTreeMap::new();
        let mut seq = 0i64;
        for table in tables::ALL {
            let rows = dataset.rows(table);
            if rows.is_empty() {
                continue;
            }
            let sql = TableSql::new(table);
            // Ownership's key may hold a NULL `since`, which a UNIQUE constraint cannot see, so its
            // rows always look for a stored row first; the other tables let the key constraint tell.
            let unique_key = table.name != "ownership";
            let mut insert_new = tx.prepare_cached(&sql.insert_or_ignore)?;
            let mut insert = tx.prepare_cached(&sql.insert)?;
            let mut select = tx.prepare_cached(&sql.select)?;
            let mut delete = tx.prepare_cached(&sql.delete)?;
            let mut journal =
                tx.prepare_cached("INSERT INTO journal (batch_id, seq, tbl, prior_batch, prior) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            let key_indices = table.key_indices();
            // Rows in key order turn the B-tree inserts of a large ledger into appends.
            let mut order: Vec<&Vec<Value>> = rows.iter().collect();
            order.sort_by(|a, b| {
                key_indices.iter().map(|&i| compare_values(&a[i], &b[i])).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
            });
            for row in order {
                let with_batch = || row.iter().chain(std::iter::once(&batch_value));
                if unique_key && insert_new.execute(rusqlite::params_from_iter(with_batch()))? == 1 {
                    continue;
                }
                let key = || key_indices.iter().map(|&i| &row[i]);
                let prior: Option<(Vec<Value>, i64)> = select
                    .query_row(rusqlite::params_from_iter(key()), |r| {
                        let values =
                            (0..table.columns.len()).map(|i| r.get::<_, SqlValue>(i).map(from_sql)).collect::<rusqlite::Result<_>>()?;
                        Ok((values, r.get(table.columns.len())?))
                    })
                    .optional()?;
                match prior {
                    Some((prior, prior_batch)) => {
                        delete.execute(rusqlite::params_from_iter(key()))?;
                        seq += 1;
                        journal.execute(params![batch_id, seq, table.name, prior_batch, json_of(prior.iter())])?;
                    }
                    None if unique_key => {
                        return Err(StoreError::Conflict(vec![format!("a {} row breaks a constraint of the store: {row:?}", table.name)]));
                    }
                    None => {}
                }
                insert.execute(rusqlite::params_from_iter(with_batch()))?;
            }
            counts.insert(table.name.to_string(), rows.len() as u64);
        }
        tx.execute("UPDATE batches SET counts = ?1 WHERE batch_id = ?2", params![serde_json::to_string(&counts).unwrap(), batch_id])?;
        finish_write(tx)?;
        self.batch(batch_id)
    }

    /// Undoes a batch: removes every row it wrote and puts back every row it replaced. Refused when
    /// a later batch (not undone) replaced some of its rows, or when the result would be
    /// inconsistent.
    pub fn undo(&mut self, batch_id: i64) -> Result<Batch> {
        let batch = self.batch(batch_id)?;
        if batch.undone_at.is_some() {
            return Err(StoreError::AlreadyUndone(batch_id));
        }
        let tx = self.conn.transaction()?;
        let later: Option<(i64, Option<String>)> = tx
            .query_row(
                "SELECT b.batch_id, b.created_by FROM journal j JOIN batches b ON b.batch_id = j.batch_id AND b.undone_at IS NULL
                 WHERE j.prior_batch = ?1 ORDER BY b.batch_id LIMIT 1",
                [batch_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((later, by)) = later {
            return Err(StoreError::ReplacedLater { batch: batch_id, later, by });
        }
        for table in tables::ALL {
            tx.execute(&format!("DELETE FROM {} WHERE batch_id = ?1", table.name), [batch_id])?;
        }
        {
            let mut entries = tx.prepare("SELECT tbl, prior_batch, prior FROM journal WHERE batch_id = ?1 ORDER BY seq")?;
            let mut rows = entries.query([batch_id])?;
            while let Some(row) = rows.next()? {
                let table = tables::by_name(&row.get::<_, String>(0)?).expect("the journal names known tables");
                let prior_batch = Value::Int(row.get(1)?);
                let prior: Vec<Value> = serde_json::from_str(&row.get::<_, String>(2)?).expect("journal rows are JSON");
                tx.prepare_cached(&TableSql::new(table).insert)?.execute(rusqlite::params_from_iter(prior.iter().chain([&prior_batch])))?;
            }
        }
        tx.execute("UPDATE batches SET undone_at = ?1, undone_by = ?2 WHERE batch_id = ?3", params![now(), self.user, batch_id])?;
        finish_write(tx)?;
        self.batch(batch_id)
    }

    pub fn batch(&self, batch_id: i64) -> Result<Batch> {
        self.conn
            .query_row(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id = ?1"), [batch_id], batch_from_row)
            .optional()?
            .ok_or(StoreError::UnknownBatch(batch_id))
    }

    pub fn batches(&self) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare(&format!("SELECT {BATCH_COLUMNS} FROM batches ORDER BY batch_id"))?;
        let batches = stmt.query_map([], batch_from_row)?.collect::<Result<_, _>>()?;
        Ok(batches)
    }

    pub fn vendors(&self) -> Result<Vec<VendorListing>> {
        let mut stmt = self.conn.prepare(&format!("SELECT {LISTING} FROM vendors ORDER BY vendor_id"))?;
        let vendors = stmt.query_map([], listing_from_row)?.collect::<Result<_, _>>()?;
        Ok(vendors)
    }

    /// One vendor's listing, if the store has the vendor.
    pub fn vendor(&self, vendor_id: &str) -> Result<Option<VendorListing>> {
        Ok(self.conn.query_row(&format!("SELECT {LISTING} FROM vendors WHERE vendor_id = ?1"), [vendor_id], listing_from_row).optional()?)
    }

    /// Rows per fact table, in the import order.
    pub fn counts(&self) -> Result<Vec<(&'static str, u64)>> {
        tables::ALL
            .iter()
            .map(|table| {
                Ok((table.name, self.conn.query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| r.get::<_, i64>(0))? as u64))
            })
            .collect()
    }

    /// Every row of a fact table, ordered by key, as the importer would produce it.
    pub fn rows(&self, table: &Table) -> Result<Vec<Vec<Value>>> {
        let sql = TableSql::new(table);
        let mut stmt = self.conn.prepare(&sql.all)?;
        let rows = stmt
            .query_map([], |r| (0..table.columns.len()).map(|i| r.get::<_, SqlValue>(i).map(from_sql)).collect())?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A vendor's rows of one fact table, by key: its vendor row, sales and install base; the notes,
    /// designations and ownership edges (either end) of its entity; the explicit entities among its
    /// entity and the other ends of those edges.
    pub fn vendor_rows(&self, table: &Table, vendor_id: &str) -> Result<Vec<Vec<Value>>> {
        self.rows_about(table, vendor_id, "WITH v(e) AS (SELECT entity_id FROM vendors WHERE vendor_id = ?1)")
    }

    /// [`Self::vendor_rows`] for the vendor's whole `same` group: the rows of every entity linked to
    /// its own (what "what changed" reads, since a linked entity's listing is the vendor's).
    pub fn vendor_group_rows(&self, table: &Table, vendor_id: &str) -> Result<Vec<Vec<Value>>> {
        self.rows_about(
            table,
            vendor_id,
            "WITH RECURSIVE v(e) AS (SELECT entity_id FROM vendors WHERE vendor_id = ?1 \
             UNION SELECT CASE WHEN l.entity_id = v.e THEN l.other_id ELSE l.entity_id END \
             FROM links l JOIN v ON l.entity_id = v.e OR l.other_id = v.e WHERE l.decision = 'same')",
        )
    }

    /// The rows of one table about the entities `ids` (a `WITH` clause defining `v(e)` from the
    /// vendor id `?1`), by key.
    fn rows_about(&self, table: &Table, vendor_id: &str, ids: &str) -> Result<Vec<Vec<Value>>> {
        let filter = match table.name {
            "entities" => {
                "entity_id IN (SELECT e FROM v) OR entity_id IN (SELECT from_id FROM ownership WHERE to_id IN (SELECT e FROM v))
                 OR entity_id IN (SELECT to_id FROM ownership WHERE from_id IN (SELECT e FROM v))"
            }
            "ownership" => "from_id IN (SELECT e FROM v) OR to_id IN (SELECT e FROM v)",
            "testimony" | "designations" => "subject_id IN (SELECT e FROM v)",
            "identifiers" | "aliases" => "entity_id IN (SELECT e FROM v)",
            "links" => "entity_id IN (SELECT e FROM v) OR other_id IN (SELECT e FROM v)",
            _ => "vendor_id = ?1",
        };
        let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let sql = format!("{ids} SELECT {} FROM {} WHERE {filter} ORDER BY {}", columns.join(", "), table.name, table.key.join(", "));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([vendor_id], |r| (0..table.columns.len()).map(|i| r.get::<_, SqlValue>(i).map(from_sql)).collect())?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// SHA-256 over every fact (sources included), in a canonical order: equal for equal stores,
    /// different whenever any fact differs. Cached until the next write.
    pub fn dataset_sha256(&self) -> Result<String> {
        if let Some(hash) = self.conn.query_row("SELECT value FROM meta WHERE key = 'dataset_sha256'", [], |r| r.get(0)).optional()? {
            return Ok(hash);
        }
        let mut hasher = Sha256::new();
        for table in tables::ALL {
            let sql = TableSql::new(table);
            let mut stmt = self.conn.prepare(&sql.all)?;
            let mut rows = stmt.query([])?;
            let mut line = String::new();
            // Columns v1.3 added to a v1.2 table are hashed only when the row gives one of them, so
            // a v1.2 dataset keeps its hash.
            let added = table.columns.iter().position(|c| c.added).unwrap_or(table.columns.len());
            while let Some(row) = rows.next()? {
                line.clear();
                line.push_str(table.name);
                let values: Vec<Value> =
                    (0..table.columns.len()).map(|i| row.get::<_, SqlValue>(i).map(from_sql)).collect::<Result<_, _>>()?;
                let hashed = if values[added..].iter().all(Value::is_null) { added } else { values.len() };
                for value in &values[..hashed] {
                    line.push('\t');
                    line.push_str(&serde_json::to_string(value).expect("values serialise"));
                }
                line.push('\n');
                hasher.update(line.as_bytes());
            }
        }
        let hash = crate::ingest::hex(&hasher.finalize());
        // A read-only store still answers; the cache is only an optimisation.
        let _ = self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('dataset_sha256', ?1)", [&hash]);
        Ok(hash)
    }

    /// Full-text search over testimony (speaker, venue, summary, quote, source): note ids, best first.
    pub fn search_testimony(&self, query: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT t.note_id FROM testimony_fts f JOIN testimony t ON t.rowid = f.rowid WHERE testimony_fts MATCH ?1 ORDER BY f.rank",
        )?;
        let ids = stmt.query_map([query], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The facts the risk engine reads.
    pub fn load_facts(&self) -> Result<crate::factors::Facts> {
        facts::load(&self.conn)
    }

    /// Venue and quote of testimony notes (the engine's facts carry neither), by note id.
    pub fn testimony_extras(&self, note_ids: &[String]) -> Result<HashMap<String, NoteExtras>> {
        let mut stmt = self.conn.prepare_cached("SELECT venue, quote FROM testimony WHERE note_id = ?1")?;
        let mut extras = HashMap::new();
        for id in note_ids {
            if let Some(row) = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()? {
                extras.insert(id.clone(), row);
            }
        }
        Ok(extras)
    }

    /// The sources cited by a vendor's own rows: the vendor, its sales and install-base rows.
    pub fn vendor_sources(&self, vendor_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source FROM vendors WHERE vendor_id = ?1 AND source IS NOT NULL
             UNION SELECT source FROM sales WHERE vendor_id = ?1 AND source IS NOT NULL
             UNION SELECT source FROM install_base WHERE vendor_id = ?1 AND source IS NOT NULL",
        )?;
        let sources = stmt.query_map([vendor_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(sources)
    }

    /// A user setting (theme, countries of concern, …), kept in the store so it travels with it.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [format!("setting.{key}")], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![format!("setting.{key}"), value])?;
        Ok(())
    }

    /// Saves (or replaces) a named scenario's JSON spec.
    pub fn save_scenario(&mut self, name: &str, spec: &str) -> Result<()> {
        let now = now();
        self.conn.execute(
            "INSERT INTO scenarios (name, spec, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at",
            params![name, spec, now],
        )?;
        Ok(())
    }

    /// A scenario's JSON spec, if one of that name is saved.
    pub fn scenario(&self, name: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT spec FROM scenarios WHERE name = ?1", [name], |r| r.get(0)).optional()?)
    }

    /// Saved scenarios as (name, spec, updated_at), by name.
    pub fn scenarios(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare("SELECT name, spec, updated_at FROM scenarios ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Deletes a scenario; false when there was none of that name.
    pub fn delete_scenario(&mut self, name: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM scenarios WHERE name = ?1", [name])? == 1)
    }

    /// Names of the columns of a fact table as SQLite has them (for the schema test).
    pub fn column_names(&self, table: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("PRAGMA table_info({table})"))?;
        let names = stmt.query_map([], |r| r.get(1))?.collect::<Result<_, _>>()?;
        Ok(names)
    }
}

/// Checks the rules that span tables, clears the cached hash and commits; rolls back on a conflict.
fn finish_write(tx: Transaction<'_>) -> Result<()> {
    let conflicts = integrity_conflicts(&tx)?;
    if !conflicts.is_empty() {
        return Err(StoreError::Conflict(conflicts));
    }
    tx.execute("DELETE FROM meta WHERE key = 'dataset_sha256'", [])?;
    tx.commit()?;
    Ok(())
}

/// Every way the facts could contradict each other after a write, as messages naming the conflict.
fn integrity_conflicts(conn: &Connection) -> Result<Vec<String>> {
    const LIMIT: usize = 100;
    let mut conflicts = Vec::new();
    let checks: &[(&str, &str)] = &[
        (
            "SELECT 'ownership edge ' || from_id || ' -> ' || to_id || ' (' || relation || ') names ' || id || ', which is not an entity or vendor'
             FROM (SELECT from_id, to_id, relation, from_id AS id FROM ownership UNION ALL SELECT from_id, to_id, relation, to_id FROM ownership)
             WHERE id NOT IN (SELECT entity_id FROM entities) AND id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'testimony note ' || note_id || ' is about ' || subject_id || ', which is not an entity or vendor' FROM testimony
             WHERE subject_id NOT IN (SELECT entity_id FROM entities) AND subject_id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'designation ' || list || ' of ' || subject_id || ' names no entity or vendor' FROM designations
             WHERE subject_id NOT IN (SELECT entity_id FROM entities) AND subject_id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT DISTINCT 'sales rows name vendor ' || vendor_id || ', which is not in the store' FROM sales WHERE vendor_id NOT IN (SELECT vendor_id FROM vendors)",
            "",
        ),
        (
            "SELECT DISTINCT 'install-base rows name vendor ' || vendor_id || ', which is not in the store' FROM install_base WHERE vendor_id NOT IN (SELECT vendor_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'identifier ' || scheme || ' ' || value || ' names ' || entity_id || ', which is not an entity or vendor' FROM identifiers
             WHERE entity_id NOT IN (SELECT entity_id FROM entities) AND entity_id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'alias ' || name || ' names ' || entity_id || ', which is not an entity or vendor' FROM aliases
             WHERE entity_id NOT IN (SELECT entity_id FROM entities) AND entity_id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'the link of ' || entity_id || ' and ' || other_id || ' names ' || id || ', which is not an entity or vendor'
             FROM (SELECT entity_id, other_id, entity_id AS id FROM links UNION ALL SELECT entity_id, other_id, other_id FROM links)
             WHERE id NOT IN (SELECT entity_id FROM entities) AND id NOT IN (SELECT entity_id FROM vendors)",
            "",
        ),
        (
            "SELECT 'vendor ' || v.vendor_id || ' is in ' || v.hq_country || ' but its entity ' || e.entity_id || ' is in ' || e.country
             FROM vendors v JOIN entities e ON e.entity_id = v.entity_id WHERE e.country <> v.hq_country",
            "",
        ),
        (
            "SELECT 'vendor id ' || v.vendor_id || ' is also the id of another entity, but its entity is ' || v.entity_id FROM vendors v
             WHERE v.entity_id <> v.vendor_id AND (v.vendor_id IN (SELECT entity_id FROM entities) OR v.vendor_id IN (SELECT entity_id FROM vendors))",
            "",
        ),
    ];
    for (sql, _) in checks {
        let mut stmt = conn.prepare(sql)?;
        let found: Vec<String> = stmt.query_map([], |r| r.get(0))?.take(LIMIT).collect::<Result<_, _>>()?;
        conflicts.extend(found);
    }
    conflicts.extend(vendors_joined_by_links(conn)?);
    let mut stmt =
        conn.prepare("SELECT to_id, since, until, coalesce(share, share_min) FROM ownership WHERE relation = 'equity' ORDER BY to_id")?;
    let mut stakes_by_target: Vec<(String, Option<String>, Option<String>, f64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
    stakes_by_target.sort_by(|a, b| a.0.cmp(&b.0));
    for group in stakes_by_target.chunk_by(|a, b| a.0 == b.0) {
        let stakes: Vec<shares::Stake> = group
            .iter()
            .map(|(_, since, until, share)| shares::Stake { since: since.as_deref(), until: until.as_deref(), share: *share })
            .collect();
        let (total, date) = shares::peak(&stakes);
        if shares::exceeds(total) {
            let on = date.map_or("from the start".to_string(), |d| format!("on {d}"));
            conflicts.push(format!("equity shares held in {} would sum to {total} {on}, above 1", group[0].0));
        }
    }
    conflicts.truncate(LIMIT);
    Ok(conflicts)
}

/// `same` links that make two vendors' entities one entity (risk-model.md v1.3), as messages.
fn vendors_joined_by_links(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT entity_id, other_id FROM links WHERE decision = 'same' ORDER BY entity_id, other_id")?;
    let links: Vec<(String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT entity_id, vendor_id FROM vendors")?;
    let vendors: HashMap<String, String> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut groups = crate::model::groups::Groups::new(&vendors);
    let mut conflicts = Vec::new();
    for (a, b) in links {
        if let Err((va, vb)) = groups.join(&a, &b) {
            conflicts.push(format!("links would make vendors {va} and {vb} one entity (through {a} and {b})"));
        }
    }
    Ok(conflicts)
}

/// The SQL of one fact table, generated from its column list. Rows are written with the batch
/// that wrote them as a last parameter.
struct TableSql {
    select: String,
    delete: String,
    insert: String,
    insert_or_ignore: String,
    all: String,
}

impl TableSql {
    fn new(table: &Table) -> Self {
        let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let key_match: Vec<String> = table.key.iter().enumerate().map(|(i, k)| format!("{k} IS ?{}", i + 1)).collect();
        let placeholders: Vec<String> = (1..=columns.len() + 1).map(|i| format!("?{i}")).collect();
        let (name, columns, key_match) = (table.name, columns.join(", "), key_match.join(" AND "));
        let values = placeholders.join(", ");
        TableSql {
            select: format!("SELECT {columns}, batch_id FROM {name} WHERE {key_match}"),
            delete: format!("DELETE FROM {name} WHERE {key_match}"),
            insert: format!("INSERT INTO {name} ({columns}, batch_id) VALUES ({values})"),
            insert_or_ignore: format!("INSERT OR IGNORE INTO {name} ({columns}, batch_id) VALUES ({values})"),
            all: format!("SELECT {columns} FROM {name} ORDER BY {}", table.order.join(", ")),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput;
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(SqlValue::Null),
            Value::Int(i) => ToSqlOutput::from(*i),
            Value::Real(x) => ToSqlOutput::from(*x),
            Value::Text(text) => ToSqlOutput::from(text.as_str()),
        })
    }
}

fn from_sql(value: SqlValue) -> Value {
    match value {
        SqlValue::Null => Value::Null,
        SqlValue::Integer(i) => Value::Int(i),
        SqlValue::Real(x) => Value::Real(x),
        SqlValue::Text(t) => Value::Text(t),
        SqlValue::Blob(b) => Value::Text(String::from_utf8_lossy(&b).into_owned()),
    }
}

/// SQLite's order of values: NULL, numbers, text (by bytes).
fn compare_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Text(_), _) => Ordering::Greater,
        (_, Value::Text(_)) => Ordering::Less,
        (x, y) => x.as_f64().unwrap_or(0.0).total_cmp(&y.as_f64().unwrap_or(0.0)),
    }
}

fn json_of<'a>(values: impl Iterator<Item = &'a Value>) -> String {
    serde_json::to_string(&values.collect::<Vec<_>>()).expect("values serialise")
}

fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        batch_id: r.get(0)?,
        created_at: r.get(1)?,
        label: r.get(2)?,
        files: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
        counts: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        undone_at: r.get(5)?,
        created_by: r.get(6)?,
        undone_by: r.get(7)?,
    })
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Who a vendor is, across sources (data-formats.md v1.3): the ids of its `same` group, every link
/// decided about them, and their aliases and identifiers.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Identity {
    /// The entity ids of the vendor's group, its own entity first, then in byte order.
    pub group: Vec<String>,
    /// Every link with an id of the group at one end (`same` and `different`), by pair.
    pub links: Vec<LinkView>,
    pub aliases: Vec<AliasView>,
    pub identifiers: Vec<IdentifierView>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct LinkView {
    pub entity_id: String,
    pub other_id: String,
    pub decision: String,
    pub decided_by: String,
    pub decided_on: String,
    pub basis: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct AliasView {
    pub entity_id: String,
    pub name: String,
    pub kind: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct IdentifierView {
    pub entity_id: String,
    pub scheme: String,
    pub value: String,
    pub source: String,
}

impl Store {
    /// Every link, by pair.
    pub fn links(&self) -> Result<Vec<LinkView>> {
        let mut stmt = self.conn.prepare(
            "SELECT entity_id, other_id, decision, decided_by, decided_on, basis, source FROM links ORDER BY entity_id, other_id",
        )?;
        let links = stmt.query_map([], link_from_row)?;
        Ok(links.collect::<Result<_, _>>()?)
    }

    /// The identity of a vendor (its group, links, aliases, identifiers); `None` for an unknown vendor.
    pub fn identity(&self, vendor_id: &str) -> Result<Option<Identity>> {
        let Some(entity) =
            self.conn.query_row("SELECT entity_id FROM vendors WHERE vendor_id = ?1", [vendor_id], |r| r.get::<_, String>(0)).optional()?
        else {
            return Ok(None);
        };
        let mut same = self.conn.prepare_cached(
            "SELECT other_id FROM links WHERE decision = 'same' AND entity_id = ?1 UNION SELECT entity_id FROM links WHERE decision = 'same' AND other_id = ?1",
        )?;
        let mut group = vec![entity.clone()];
        let mut seen: std::collections::HashSet<String> = group.iter().cloned().collect();
        let mut next = 0;
        while next < group.len() {
            let found: Vec<String> = same.query_map([&group[next]], |r| r.get(0))?.collect::<Result<_, _>>()?;
            next += 1;
            for id in found {
                if seen.insert(id.clone()) {
                    group.push(id);
                }
            }
        }
        group[1..].sort();
        let mut identity = Identity::default();
        let mut links = self.conn.prepare_cached(
            "SELECT entity_id, other_id, decision, decided_by, decided_on, basis, source FROM links WHERE entity_id = ?1 OR other_id = ?1",
        )?;
        let mut aliases =
            self.conn.prepare_cached("SELECT entity_id, name, kind, source FROM aliases WHERE entity_id = ?1 ORDER BY name")?;
        let mut identifiers = self
            .conn
            .prepare_cached("SELECT entity_id, scheme, value, source FROM identifiers WHERE entity_id = ?1 ORDER BY scheme, value")?;
        for id in &group {
            for link in links.query_map([id], link_from_row)? {
                let link = link?;
                if !identity.links.contains(&link) {
                    identity.links.push(link);
                }
            }
            for alias in
                aliases.query_map([id], |r| Ok(AliasView { entity_id: r.get(0)?, name: r.get(1)?, kind: r.get(2)?, source: r.get(3)? }))?
            {
                identity.aliases.push(alias?);
            }
            for identifier in identifiers
                .query_map([id], |r| Ok(IdentifierView { entity_id: r.get(0)?, scheme: r.get(1)?, value: r.get(2)?, source: r.get(3)? }))?
            {
                identity.identifiers.push(identifier?);
            }
        }
        identity.links.sort_by(|a, b| (&a.entity_id, &a.other_id).cmp(&(&b.entity_id, &b.other_id)));
        identity.group = group;
        Ok(Some(identity))
    }
}

/// A link from `entity_id, other_id, decision, decided_by, decided_on, basis, source`.
fn link_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LinkView> {
    Ok(LinkView {
        entity_id: r.get(0)?,
        other_id: r.get(1)?,
        decision: r.get(2)?,
        decided_by: r.get(3)?,
        decided_on: r.get(4)?,
        basis: r.get(5)?,
        source: r.get(6)?,
    })
}

/// The columns of a [`VendorListing`], in [`listing_from_row`]'s order.
const LISTING: &str = "vendor_id, name, hq_country, privilege, category, mitigation";

fn listing_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VendorListing> {
    Ok(VendorListing {
        vendor_id: r.get(0)?,
        name: r.get(1)?,
        hq_country: r.get(2)?,
        privilege: r.get(3)?,
        category: r.get(4)?,
        mitigation: r.get(5)?,
    })
}
