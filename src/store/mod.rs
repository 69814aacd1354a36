//! The store: the only module that speaks SQL — a local SQLite file, or a team's PostgreSQL
//! database (`db` is the dialect layer between them).
//!
//! It holds the facts (one table per import file, same columns), the import batches with the
//! journal that undoes them exactly, scenarios and settings. Writes happen in transactions that
//! either apply a whole [`Dataset`] or nothing; after every write the store checks the rules that
//! span tables (references, share sums) and refuses a change that would break them.

mod bulk;
mod copy;
mod db;
mod facts;
mod history;
mod parties;
mod schema;
mod team;

pub use copy::Copied;
pub use db::Dialect;
pub use parties::{IdentifierPair, ListingLine, OwnerLine, PartyCard, ScreeningInput};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use db::{Db, Row, Sql, Tx, texts};

use crate::ingest::tables::{self, Table};
use crate::ingest::{Dataset, FileInfo, KnownEntity, KnownFacts, KnownLink, KnownListing, KnownStake, KnownVendor};
use crate::model::{Value, shares};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("team store: {}", postgres_message(.0))]
    Postgres(postgres::Error),
    /// A cell of a type the store did not write there.
    #[error("store: column {column} holds {found:?}, not the type expected")]
    Type { column: usize, found: String },
    #[error("cannot create the store's folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("the store was written by a newer Vetta (schema {found}, this build knows {known})")]
    TooNew { found: i64, known: i64 },
    /// The change would leave the store inconsistent; nothing was written.
    #[error("refused, nothing was changed:\n  {}", .0.join("\n  "))]
    Conflict(Vec<String>),
    /// A PostgreSQL database without a Vetta workspace.
    #[error("this database holds no Vetta workspace: its owner creates one with `vetta --db URL init`")]
    NoWorkspace,
    #[error("this database already holds a Vetta workspace; init creates one only in an empty database")]
    WorkspaceExists,
    /// The login may only read (a `vetta_viewer`).
    #[error("the workspace is read-only for this login ({0}): ask the workspace's administrator to grant it vetta_analyst")]
    ReadOnly(String),
    /// A team store's URL, or what it needs to connect, is wrong.
    #[error("team store: {0}")]
    Url(String),
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
    db: Db,
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
        let mut store = Store { db: Db::Sqlite(conn), path: Some(path.to_path_buf()), user: os_user() };
        let created = store.migrate()?;
        Ok((store, created))
    }

    /// A store in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { db: Db::Sqlite(conn), path: None, user: os_user() };
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
        let conn = self.db.sqlite().expect("a file store");
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        if version < known {
            let tx = self.db.write()?;
            for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.db().batch(migration)?;
                tx.db().batch(&format!("PRAGMA user_version = {}", index + 1))?;
            }
            tx.commit()?;
        }
        Ok(version == 0)
    }

    pub fn schema_version(&self) -> Result<i64> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?),
            Db::Postgres(_) => Ok(self.db.optional("SELECT value FROM meta WHERE key = 'schema_version'", &[], |r| r.int(0))?.unwrap_or(0)),
        }
    }

    /// Which engine holds the store.
    pub fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    /// What an import's rules need to know of the store.
    pub fn known_facts(&self) -> Result<KnownFacts> {
        self.db.read(|db| {
            let entities =
                db.all("SELECT entity_id, country FROM entities", &[], |r| Ok(KnownEntity { entity_id: r.text(0)?, country: r.text(1)? }))?;
            let mut known = KnownFacts { entities, ..KnownFacts::default() };
            known.vendors = db.all("SELECT vendor_id, entity_id, hq_country FROM vendors", &[], |r| {
                Ok(KnownVendor { vendor_id: r.text(0)?, entity_id: r.text(1)?, hq_country: r.text(2)? })
            })?;
            // The share-sum rule holds for the low points: `share`, or `share_min` of a range.
            known.stakes = db.all(
                "SELECT from_id, to_id, since, until, coalesce(share, share_min) FROM ownership WHERE relation = 'equity'",
                &[],
                |r| {
                    Ok(KnownStake {
                        from_id: r.text(0)?,
                        to_id: r.text(1)?,
                        since: r.opt_text(2)?,
                        until: r.opt_text(3)?,
                        share: r.real(4)?,
                    })
                },
            )?;
            known.listings = db.all("SELECT subject_id, list, effective, batch_id FROM designations WHERE ends IS NULL", &[], |r| {
                Ok(KnownListing { subject_id: r.text(0)?, list: r.text(1)?, effective: r.text(2)?, batch_id: r.int(3)? })
            })?;
            let batches = db.all("SELECT batch_id, files FROM batches WHERE undone_at IS NULL", &[], |r| Ok((r.int(0)?, r.text(1)?)))?;
            for (batch_id, files) in batches {
                let files: Vec<FileInfo> = serde_json::from_str(&files).unwrap_or_default();
                known.batch_files.extend(files.into_iter().map(|f| (batch_id, f.name, f.table)));
            }
            known.links = db.all("SELECT entity_id, other_id, decision FROM links", &[], |r| {
                Ok(KnownLink { entity_id: r.text(0)?, other_id: r.text(1)?, same: r.text(2)? == "same" })
            })?;
            Ok(known)
        })
    }

    /// Writes a validated dataset as one batch: every row replaces the row with the same key, and
    /// the journal keeps what it replaced. All or nothing.
    pub fn apply(&mut self, dataset: &Dataset, label: &str) -> Result<Batch> {
        let tx = self.db.write()?;
        let files = serde_json::to_string(&dataset.files).expect("file infos serialise");
        let batch_id = tx
            .optional(
                "INSERT INTO batches (created_at, label, files, created_by) VALUES (?1, ?2, ?3, ?4) RETURNING batch_id",
                &[Value::Text(now()), Value::Text(label.into()), Value::Text(files), self.user_value()],
                |r| r.int(0),
            )?
            .expect("an insert returns its row");
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
            if unique_key && let Some(pg) = tx.db().pg() {
                bulk::apply_table(&tx, pg, table, rows, &batch_value, &mut seq)?;
                counts.insert(table.name.to_string(), rows.len() as u64);
                continue;
            }
            let key_indices = table.key_indices();
            // Rows in key order turn the B-tree inserts of a large ledger into appends.
            let order = in_key_order(table, rows);
            let mut insert_new = tx.db().prepare(&sql.insert_or_ignore)?;
            let mut insert = tx.db().prepare(&sql.insert)?;
            let mut select = tx.db().prepare(&sql.select)?;
            let mut delete = tx.db().prepare(&sql.delete)?;
            let mut journal = tx.db().prepare(&format!("INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"))?;
            for row in order {
                if unique_key && insert_new.execute(row, Some(&batch_value))? == 1 {
                    continue;
                }
                let key: Vec<Value> = key_indices.iter().map(|&i| row[i].clone()).collect();
                let prior: Option<(Vec<Value>, i64)> =
                    select.optional(&key, |r| Ok((r.values(table.columns.len())?, r.int(table.columns.len())?)))?;
                match prior {
                    Some((prior, prior_batch)) => {
                        delete.execute(&key, None)?;
                        seq += 1;
                        let entry = [
                            batch_value.clone(),
                            Value::Int(seq),
                            Value::Text(table.name.into()),
                            Value::Int(prior_batch),
                            Value::Text(json_of(prior.iter())),
                        ];
                        journal.execute(&entry, None)?;
                    }
                    None if unique_key => {
                        return Err(StoreError::Conflict(vec![format!("a {} row breaks a constraint of the store: {row:?}", table.name)]));
                    }
                    None => {}
                }
                insert.execute(row, Some(&batch_value))?;
            }
            counts.insert(table.name.to_string(), rows.len() as u64);
        }
        tx.execute(
            "UPDATE batches SET counts = ?1 WHERE batch_id = ?2",
            &[Value::Text(serde_json::to_string(&counts).unwrap()), batch_value.clone()],
        )?;
        finish_write(tx)?;
        self.batch(batch_id)
    }

    /// Who is writing, as a parameter (NULL when unknown).
    fn user_value(&self) -> Value {
        self.user.clone().map_or(Value::Null, Value::Text)
    }

    /// Undoes a batch: removes every row it wrote and puts back every row it replaced. Refused when
    /// a later batch (not undone) replaced some of its rows, or when the result would be
    /// inconsistent.
    pub fn undo(&mut self, batch_id: i64) -> Result<Batch> {
        let batch = self.batch(batch_id)?;
        if batch.undone_at.is_some() {
            return Err(StoreError::AlreadyUndone(batch_id));
        }
        let tx = self.db.write()?;
        let id = [Value::Int(batch_id)];
        // Checked again under the write lock: another analyst may have undone it since.
        if tx.optional("SELECT undone_at FROM batches WHERE batch_id = ?1", &id, |r| r.opt_text(0))?.flatten().is_some() {
            return Err(StoreError::AlreadyUndone(batch_id));
        }
        let later: Option<(i64, Option<String>)> = tx.optional(
            "SELECT b.batch_id, b.created_by FROM journal j JOIN batches b ON b.batch_id = j.batch_id AND b.undone_at IS NULL
             WHERE j.prior_batch = ?1 ORDER BY b.batch_id LIMIT 1",
            &id,
            |r| Ok((r.int(0)?, r.opt_text(1)?)),
        )?;
        if let Some((later, by)) = later {
            return Err(StoreError::ReplacedLater { batch: batch_id, later, by });
        }
        for table in tables::ALL {
            tx.execute(&format!("DELETE FROM {} WHERE batch_id = ?1", table.name), &id)?;
        }
        let entries = tx.all("SELECT tbl, prior_batch, prior FROM journal WHERE batch_id = ?1 ORDER BY seq", &id, |r| {
            Ok((r.text(0)?, r.int(1)?, r.text(2)?))
        })?;
        for (table, prior_batch, prior) in entries {
            let table = tables::by_name(&table).expect("the journal names known tables");
            let prior: Vec<Value> = serde_json::from_str(&prior).expect("journal rows are JSON");
            tx.execute_row(&TableSql::new(table).insert, &prior, &Value::Int(prior_batch))?;
        }
        tx.execute(
            "UPDATE batches SET undone_at = ?1, undone_by = ?2 WHERE batch_id = ?3",
            &[Value::Text(now()), self.user_value(), Value::Int(batch_id)],
        )?;
        finish_write(tx)?;
        self.batch(batch_id)
    }

    pub fn batch(&self, batch_id: i64) -> Result<Batch> {
        self.db
            .optional(&format!("SELECT {BATCH_COLUMNS} FROM batches WHERE batch_id = ?1"), &[Value::Int(batch_id)], batch_from_row)?
            .ok_or(StoreError::UnknownBatch(batch_id))
    }

    pub fn batches(&self) -> Result<Vec<Batch>> {
        self.db.all(&format!("SELECT {BATCH_COLUMNS} FROM batches ORDER BY batch_id"), &[], batch_from_row)
    }

    pub fn vendors(&self) -> Result<Vec<VendorListing>> {
        self.db.all(&format!("SELECT {LISTING} FROM vendors ORDER BY vendor_id"), &[], listing_from_row)
    }

    /// One vendor's listing, if the store has the vendor.
    pub fn vendor(&self, vendor_id: &str) -> Result<Option<VendorListing>> {
        self.db.optional(&format!("SELECT {LISTING} FROM vendors WHERE vendor_id = ?1"), &texts([vendor_id]), listing_from_row)
    }

    /// Rows per fact table, in the import order.
    pub fn counts(&self) -> Result<Vec<(&'static str, u64)>> {
        self.db.read(|db| {
            tables::ALL
                .iter()
                .map(|table| {
                    let count = db.optional(&format!("SELECT count(*) FROM {}", table.name), &[], |r| r.int(0))?;
                    Ok((table.name, count.unwrap_or(0) as u64))
                })
                .collect()
        })
    }

    /// Every row of a fact table, ordered by key, as the importer would produce it.
    pub fn rows(&self, table: &Table) -> Result<Vec<Vec<Value>>> {
        self.db.all(&TableSql::new(table).all, &[], |r| r.values(table.columns.len()))
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
        let sql = format!("{ids} SELECT {} FROM {} WHERE {filter} ORDER BY {}", columns.join(", "), table.name, order_by(table.key));
        self.db.all(&sql, &texts([vendor_id]), |r| r.values(table.columns.len()))
    }

    /// SHA-256 over every fact (sources included), in a canonical order: equal for equal stores,
    /// different whenever any fact differs, and the same on both engines. Cached with the change
    /// counter it was computed at, so a cache another writer made stale is never read.
    pub fn dataset_sha256(&self) -> Result<String> {
        let (generation, hash) = self.db.read(|db| {
            let generation = generation(db)?;
            let cached = db.optional("SELECT value FROM meta WHERE key = 'dataset_sha256'", &[], |r| r.text(0))?;
            if let Some(hash) = cached.and_then(|c| c.strip_prefix(&format!("{generation}:")).map(str::to_string)) {
                return Ok((None, hash));
            }
            Ok((Some(generation), hash_facts(db)?))
        })?;
        // A read-only store (or login) still answers; the cache is only an optimisation.
        if let Some(generation) = generation
            && !self.db.in_transaction()
        {
            let _ = self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('dataset_sha256', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[Value::Text(format!("{generation}:{hash}"))],
            );
        }
        Ok(hash)
    }

    /// [`Self::dataset_sha256`] computed from the rows, never from the cache (inside a write, whose
    /// change the counter does not show yet).
    fn fresh_dataset_sha256(&self) -> Result<String> {
        self.db.read(hash_facts)
    }

    /// The change counter: how many writes of facts the store has committed. The app's caches
    /// compare it to know when another analyst (or process) changed the store.
    pub fn generation(&self) -> Result<i64> {
        generation(&self.db)
    }

    /// Full-text search over testimony (speaker, venue, summary, quote, source): note ids, best
    /// first. SQLite reads the query as FTS5 does; PostgreSQL as `websearch_to_tsquery` does (words,
    /// quoted phrases, `or`, `-word`).
    pub fn search_testimony(&self, query: &str) -> Result<Vec<String>> {
        let sql = match self.db.dialect() {
            Dialect::Sqlite => {
                "SELECT t.note_id FROM testimony_fts f JOIN testimony t ON t.rowid = f.rowid WHERE testimony_fts MATCH ?1 ORDER BY f.rank"
            }
            Dialect::Postgres => {
                "SELECT note_id FROM testimony, websearch_to_tsquery('simple', ?1) q WHERE search @@ q ORDER BY ts_rank(search, q) DESC, note_id"
            }
        };
        self.db.all(sql, &texts([query]), |r| r.text(0))
    }

    /// The facts the risk engine reads, from one snapshot.
    pub fn load_facts(&self) -> Result<crate::factors::Facts> {
        self.db.read(facts::load)
    }

    /// Venue and quote of testimony notes (the engine's facts carry neither), by note id.
    pub fn testimony_extras(&self, note_ids: &[String]) -> Result<HashMap<String, NoteExtras>> {
        let mut extras = HashMap::new();
        for id in note_ids {
            let found = self.db.optional("SELECT venue, quote FROM testimony WHERE note_id = ?1", &texts([id]), |r| {
                Ok((r.opt_text(0)?, r.opt_text(1)?))
            })?;
            if let Some(row) = found {
                extras.insert(id.clone(), row);
            }
        }
        Ok(extras)
    }

    /// The sources cited by a vendor's own rows: the vendor, its sales and install-base rows.
    pub fn vendor_sources(&self, vendor_id: &str) -> Result<Vec<String>> {
        self.db.all(
            "SELECT source FROM vendors WHERE vendor_id = ?1 AND source IS NOT NULL
             UNION SELECT source FROM sales WHERE vendor_id = ?1 AND source IS NOT NULL
             UNION SELECT source FROM install_base WHERE vendor_id = ?1 AND source IS NOT NULL",
            &texts([vendor_id]),
            |r| r.text(0),
        )
    }

    /// A user setting (theme, countries of concern, …), kept in the store so it travels with it.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.db.optional("SELECT value FROM meta WHERE key = ?1", &[Value::Text(format!("setting.{key}"))], |r| r.text(0))
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[Value::Text(format!("setting.{key}")), Value::Text(value.into())],
        )?;
        Ok(())
    }

    /// Saves (or replaces) a named scenario's JSON spec.
    pub fn save_scenario(&mut self, name: &str, spec: &str) -> Result<()> {
        self.db.execute(
            "INSERT INTO scenarios (name, spec, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at",
            &texts([name, spec, &now()]),
        )?;
        Ok(())
    }

    /// A scenario's JSON spec, if one of that name is saved.
    pub fn scenario(&self, name: &str) -> Result<Option<String>> {
        self.db.optional("SELECT spec FROM scenarios WHERE name = ?1", &texts([name]), |r| r.text(0))
    }

    /// Saved scenarios as (name, spec, updated_at), by name.
    pub fn scenarios(&self) -> Result<Vec<(String, String, String)>> {
        self.db.all("SELECT name, spec, updated_at FROM scenarios ORDER BY name", &[], |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
    }

    /// Deletes a scenario; false when there was none of that name.
    pub fn delete_scenario(&mut self, name: &str) -> Result<bool> {
        Ok(self.db.execute("DELETE FROM scenarios WHERE name = ?1", &texts([name]))? == 1)
    }

    /// Names of the columns of a table as the engine has them (for the schema test).
    pub fn column_names(&self, table: &str) -> Result<Vec<String>> {
        match self.db.dialect() {
            Dialect::Sqlite => self.db.all("SELECT name FROM pragma_table_info(?1) ORDER BY cid", &texts([table]), |r| r.text(0)),
            Dialect::Postgres => self.db.all(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?1 \
                 ORDER BY ordinal_position",
                &texts([table]),
                |r| r.text(0),
            ),
        }
    }
}

/// SHA-256 over every fact in the canonical order (see [`Store::dataset_sha256`]).
fn hash_facts(db: &Db) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut line = String::new();
    for table in tables::ALL {
        // Columns v1.3 added to a v1.2 table are hashed only when the row gives one of them, so a
        // v1.2 dataset keeps its hash.
        let added = table.columns.iter().position(|c| c.added).unwrap_or(table.columns.len());
        db.each(&TableSql::new(table).all, &[], &mut |row| {
            line.clear();
            line.push_str(table.name);
            let values = row.values(table.columns.len())?;
            let hashed = if values[added..].iter().all(Value::is_null) { added } else { values.len() };
            for value in &values[..hashed] {
                line.push('\t');
                line.push_str(&serde_json::to_string(value).expect("values serialise"));
            }
            line.push('\n');
            hasher.update(line.as_bytes());
            Ok(())
        })?;
    }
    Ok(crate::ingest::hex(&hasher.finalize()))
}

/// The change counter (see [`Store::generation`]).
fn generation(db: &impl Sql) -> Result<i64> {
    Ok(db.optional("SELECT value FROM meta WHERE key = 'generation'", &[], |r| r.text(0))?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Checks the rules that span tables, counts the change (which retires the cached hash) and commits;
/// rolls back on a conflict.
fn finish_write(tx: Tx<'_>) -> Result<()> {
    let conflicts = integrity_conflicts(&tx)?;
    if !conflicts.is_empty() {
        return Err(StoreError::Conflict(conflicts));
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('generation', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
        &[],
    )?;
    tx.commit()
}

/// Every way the facts could contradict each other after a write, as messages naming the conflict.
fn integrity_conflicts(conn: &impl Sql) -> Result<Vec<String>> {
    const LIMIT: usize = 100;
    let mut conflicts = Vec::new();
    let checks: &[(&str, &str)] = &[
        (
            "SELECT 'ownership edge ' || from_id || ' -> ' || to_id || ' (' || relation || ') names ' || id || ', which is not an entity or vendor'
             FROM (SELECT from_id, to_id, relation, from_id AS id FROM ownership UNION ALL SELECT from_id, to_id, relation, to_id FROM ownership) AS ends
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
             FROM (SELECT entity_id, other_id, entity_id AS id FROM links UNION ALL SELECT entity_id, other_id, other_id FROM links) AS ends
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
        conflicts.extend(conn.all(&format!("{sql} LIMIT {LIMIT}"), &[], |r| r.text(0))?);
    }
    conflicts.extend(vendors_joined_by_links(conn)?);
    let mut stakes_by_target: Vec<(String, Option<String>, Option<String>, f64)> = conn.all(
        "SELECT to_id, since, until, coalesce(share, share_min) FROM ownership WHERE relation = 'equity' ORDER BY to_id",
        &[],
        |r| Ok((r.text(0)?, r.opt_text(1)?, r.opt_text(2)?, r.real(3)?)),
    )?;
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
fn vendors_joined_by_links(conn: &impl Sql) -> Result<Vec<String>> {
    let links = conn.all("SELECT entity_id, other_id FROM links WHERE decision = 'same' ORDER BY entity_id, other_id", &[], |r| {
        Ok((r.text(0)?, r.text(1)?))
    })?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let vendors: HashMap<String, String> =
        conn.all("SELECT entity_id, vendor_id FROM vendors", &[], |r| Ok((r.text(0)?, r.text(1)?)))?.into_iter().collect();
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
        // A key column that may be empty matches NULL to NULL (ownership's `since`); the others use
        // `=`, which both engines answer from the key's index.
        let key_match: Vec<String> = table
            .key
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let required = table.columns.iter().any(|c| c.name == *k && c.required);
                if required { format!("{k} = ?{}", i + 1) } else { format!("({k} = ?{n} OR ({k} IS NULL AND ?{n} IS NULL))", n = i + 1) }
            })
            .collect();
        let placeholders: Vec<String> = (1..=columns.len() + 1).map(|i| format!("?{i}")).collect();
        let (name, columns, key_match) = (table.name, columns.join(", "), key_match.join(" AND "));
        let values = placeholders.join(", ");
        TableSql {
            select: format!("SELECT {columns}, batch_id FROM {name} WHERE {key_match}"),
            delete: format!("DELETE FROM {name} WHERE {key_match}"),
            insert: format!("INSERT INTO {name} ({columns}, batch_id) VALUES ({values})"),
            insert_or_ignore: format!("INSERT INTO {name} ({columns}, batch_id) VALUES ({values}) ON CONFLICT DO NOTHING"),
            all: format!("SELECT {columns} FROM {name} ORDER BY {}", order_by(table.order)),
        }
    }
}

/// An `ORDER BY` list in SQLite's order on both engines: NULLs first, text by bytes (PostgreSQL's
/// text columns are `COLLATE "C"`).
fn order_by(columns: &[&str]) -> String {
    columns.iter().map(|c| format!("{c} NULLS FIRST")).collect::<Vec<_>>().join(", ")
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as SqlValue};
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(SqlValue::Null),
            Value::Int(i) => ToSqlOutput::from(*i),
            Value::Real(x) => ToSqlOutput::from(*x),
            Value::Text(text) => ToSqlOutput::from(text.as_str()),
        })
    }
}

/// The journal's columns, as every write and copy of it lists them.
const JOURNAL_COLUMNS: &str = "batch_id, seq, tbl, prior_batch, prior";

/// A table's rows in key order (SQLite's order of values), as both write paths write them: the
/// key's index grows by appends.
fn in_key_order<'r>(table: &Table, rows: &'r [Vec<Value>]) -> Vec<&'r Vec<Value>> {
    let key_indices = table.key_indices();
    let mut order: Vec<&Vec<Value>> = rows.iter().collect();
    order
        .sort_by(|a, b| key_indices.iter().map(|&i| compare_values(&a[i], &b[i])).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal));
    order
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

fn batch_from_row(r: &Row<'_>) -> Result<Batch> {
    Ok(Batch {
        batch_id: r.int(0)?,
        created_at: r.text(1)?,
        label: r.text(2)?,
        files: serde_json::from_str(&r.text(3)?).unwrap_or_default(),
        counts: serde_json::from_str(&r.text(4)?).unwrap_or_default(),
        undone_at: r.opt_text(5)?,
        created_by: r.opt_text(6)?,
        undone_by: r.opt_text(7)?,
    })
}

impl From<postgres::Error> for StoreError {
    /// A write the login's role does not allow is the read-only workspace it is, said plainly.
    fn from(error: postgres::Error) -> StoreError {
        match error.as_db_error() {
            Some(db) if db.code() == &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => StoreError::ReadOnly(db.message().to_string()),
            _ => StoreError::Postgres(error),
        }
    }
}

/// A PostgreSQL error as people read it: the server's message, with its detail and SQLSTATE.
fn postgres_message(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let detail = db.detail().map(|d| format!(" ({d})")).unwrap_or_default();
            format!("{}{detail} [SQLSTATE {}]", db.message(), db.code().code())
        }
        None => error.to_string(),
    }
}

/// The time now as the store records it (UTC, to the second: `2026-12-07T03:20:00Z`).
pub fn now() -> String {
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
        self.db.all(
            "SELECT entity_id, other_id, decision, decided_by, decided_on, basis, source FROM links ORDER BY entity_id, other_id",
            &[],
            link_from_row,
        )
    }

    /// The identity of a vendor (its group, links, aliases, identifiers); `None` for an unknown vendor.
    pub fn identity(&self, vendor_id: &str) -> Result<Option<Identity>> {
        self.db.read(|db| {
            let Some(entity) = db.optional("SELECT entity_id FROM vendors WHERE vendor_id = ?1", &texts([vendor_id]), |r| r.text(0))? else {
                return Ok(None);
            };
            let mut group = vec![entity.clone()];
            let mut seen: std::collections::HashSet<String> = group.iter().cloned().collect();
            let mut next = 0;
            while next < group.len() {
                let found = db.all(
                    "SELECT other_id FROM links WHERE decision = 'same' AND entity_id = ?1 \
                     UNION SELECT entity_id FROM links WHERE decision = 'same' AND other_id = ?1",
                    &texts([&group[next]]),
                    |r| r.text(0),
                )?;
                next += 1;
                for id in found {
                    if seen.insert(id.clone()) {
                        group.push(id);
                    }
                }
            }
            group[1..].sort();
            let mut identity = Identity::default();
            for id in &group {
                let id = texts([id]);
                let links = db.all(
                    "SELECT entity_id, other_id, decision, decided_by, decided_on, basis, source FROM links WHERE entity_id = ?1 OR other_id = ?1",
                    &id,
                    link_from_row,
                )?;
                for link in links {
                    if !identity.links.contains(&link) {
                        identity.links.push(link);
                    }
                }
                identity.aliases.extend(db.all("SELECT entity_id, name, kind, source FROM aliases WHERE entity_id = ?1 ORDER BY name", &id, |r| {
                    Ok(AliasView { entity_id: r.text(0)?, name: r.text(1)?, kind: r.text(2)?, source: r.text(3)? })
                })?);
                identity.identifiers.extend(db.all(
                    "SELECT entity_id, scheme, value, source FROM identifiers WHERE entity_id = ?1 ORDER BY scheme, value",
                    &id,
                    |r| Ok(IdentifierView { entity_id: r.text(0)?, scheme: r.text(1)?, value: r.text(2)?, source: r.text(3)? }),
                )?);
            }
            identity.links.sort_by(|a, b| (&a.entity_id, &a.other_id).cmp(&(&b.entity_id, &b.other_id)));
            identity.group = group;
            Ok(Some(identity))
        })
    }
}

/// A link from `entity_id, other_id, decision, decided_by, decided_on, basis, source`.
fn link_from_row(r: &Row<'_>) -> Result<LinkView> {
    Ok(LinkView {
        entity_id: r.text(0)?,
        other_id: r.text(1)?,
        decision: r.text(2)?,
        decided_by: r.text(3)?,
        decided_on: r.text(4)?,
        basis: r.opt_text(5)?,
        source: r.opt_text(6)?,
    })
}

/// The columns of a [`VendorListing`], in [`listing_from_row`]'s order.
const LISTING: &str = "vendor_id, name, hq_country, privilege, category, mitigation";

fn listing_from_row(r: &Row<'_>) -> Result<VendorListing> {
    Ok(VendorListing {
        vendor_id: r.text(0)?,
        name: r.text(1)?,
        hq_country: r.text(2)?,
        privilege: r.text(3)?,
        category: r.opt_text(4)?,
        mitigation: r.real(5)?,
    })
}

/// Whether `--db` names a team store on PostgreSQL (`postgres://…` or `postgresql://…`) rather than
/// a file.
pub fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl Store {
    /// Connects to a team store that `vetta --db URL init` created, as the login the URL (or
    /// libpq's `PGUSER`, `PGPASSWORD` and password file) names.
    pub fn connect(url: &str) -> Result<Store> {
        Store::connect_with_password(url, None)
    }

    /// [`Store::connect`] with the login's password given for this connection only.
    pub fn connect_with_password(url: &str, password: Option<&str>) -> Result<Store> {
        let db = team::connect(url, password)?;
        let version = match db.optional("SELECT value FROM meta WHERE key = 'schema_version'", &[], |r| r.int(0)) {
            Ok(version) => version,
            Err(StoreError::Postgres(error)) if error.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) => None,
            Err(error) => return Err(error),
        };
        let Some(version) = version else { return Err(StoreError::NoWorkspace) };
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { found: version, known });
        }
        let user = db.optional("SELECT session_user::text", &[], |r| r.text(0))?;
        Ok(Store { db, path: None, user })
    }

    /// Creates a team store in an empty PostgreSQL database: the schema, and the group roles
    /// `vetta_analyst` and `vetta_viewer` with their grants (cli.md v1.3). Run by the database's
    /// owner; refused where a workspace exists already.
    pub fn init_postgres(url: &str) -> Result<Store> {
        let db = team::connect(url, None)?;
        {
            let tx = db.write()?;
            let exists = tx.optional(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('batches', 'meta')",
                &[],
                |r| r.int(0),
            )?;
            if exists.is_some() {
                return Err(StoreError::WorkspaceExists);
            }
            tx.db().batch(schema::POSTGRES)?;
            tx.db().batch(schema::POSTGRES_ROLES).map_err(team::roles_error)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                &[Value::Text(schema::MIGRATIONS.len().to_string())],
            )?;
            tx.commit()?;
        }
        let user = db.optional("SELECT session_user::text", &[], |r| r.text(0))?;
        Ok(Store { db, path: None, user })
    }

    /// Whether this login may write (a `vetta_viewer` may not); a file store always may.
    pub fn can_write(&self) -> Result<bool> {
        match self.db.dialect() {
            Dialect::Sqlite => Ok(true),
            Dialect::Postgres => {
                Ok(self.db.optional("SELECT has_table_privilege('batches', 'INSERT')", &[], |r| r.flag(0))?.unwrap_or(false))
            }
        }
    }
}
