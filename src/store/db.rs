//! The dialect layer: one small interface over SQLite (`rusqlite`, the local file) and PostgreSQL
//! (`postgres`, the team store), so that the store's import, undo, integrity and read logic is
//! written once.
//!
//! The store's SQL is written once, in the subset both engines read the same way: `?N`
//! placeholders (rewritten to `$N` for PostgreSQL), `INSERT … ON CONFLICT`, `RETURNING`, `NULLS
//! FIRST`, recursive `WITH`. What differs lives here and in `schema`: the DDL and schema version,
//! full-text search, the write lock, and how values cross:
//! - PostgreSQL binds by the statement's parameter types, so a value is converted to the type the
//!   server asks for (an integer given for a `double precision` column is sent as a float).
//! - PostgreSQL `text` cannot hold U+0000, which imported text may. Text crossing to PostgreSQL is
//!   escaped with U+0001 — NUL as U+0001 U+0001, U+0001 as U+0001 U+0002 — and unescaped on the way
//!   back. The code is prefix-free and keeps byte order, so `ORDER BY … COLLATE "C"` sorts escaped
//!   text exactly as SQLite sorts the original, and `dataset_sha256` is the same on both engines.
//!
//! Transactions are explicit statements (`BEGIN`, `COMMIT`), so that a [`Tx`] is a plain borrow of
//! the [`Db`] and offers the same [`Sql`] interface. Every write transaction takes the write lock
//! first: `BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on PostgreSQL, so that
//! concurrent writers are serialised and the rules that span tables (share sums, references) are
//! checked against everything committed before.
//!
//! Reads on PostgreSQL may run in parallel ([`Db::beside`]): a second connection of the same login
//! joins the read's snapshot (`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`), so both see exactly
//! the same rows. Over a network the client's decoding and the server's work then overlap; on
//! SQLite, and whenever the second connection cannot be had, the two parts run one after the other
//! on the one connection.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use postgres::types::{ToSql, Type};
use rusqlite::types::Value as SqlValue;

use super::{Result, StoreError};
use crate::model::Value;

/// The advisory lock every PostgreSQL write transaction takes (an arbitrary constant: "VETTA" in
/// ASCII).
pub(crate) const WRITE_LOCK: i64 = 0x0056_4554_5441;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to one of the two engines.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

pub(crate) struct Pg {
    client: RefCell<postgres::Client>,
    /// Statements prepared on this connection, by the SQL as the store wrote it.
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// The open transaction, if any (nested reads join it).
    open: Cell<Open>,
    /// Opens another connection to the same database as the same login, for [`Db::beside`].
    reconnect: Option<Reconnect>,
    /// That connection, once opened (kept for the next read; dropped when it fails).
    sibling: RefCell<Option<Db>>,
}

/// What transaction is open on a PostgreSQL connection. Another connection may join a read's
/// snapshot ([`Db::beside`]), never a write's (its own changes are not in an exported snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Read,
    Write,
}

/// How to open another connection like the first.
pub(crate) type Reconnect = Box<dyn Fn() -> std::result::Result<postgres::Client, postgres::Error> + Send>;

/// One row of a result, read by position.
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

/// What runs SQL: a connection outside a transaction, or a transaction.
pub(crate) trait Sql {
    fn db(&self) -> &Db;

    /// Runs a statement; answers the rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        self.db().run(sql, params, None)
    }

    /// Runs a statement whose parameters are a row's values and then `last` (a fact row and the batch
    /// that writes it), without copying the row.
    fn execute_row(&self, sql: &str, row: &[Value], last: &Value) -> Result<u64> {
        self.db().run(sql, row, Some(last))
    }

    /// Calls `f` on each row, in the order the query gives.
    fn each(&self, sql: &str, params: &[Value], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        self.db().scan(sql, params, f)
    }

    /// Every row, mapped.
    fn all<T>(&self, sql: &str, params: &[Value], mut f: impl FnMut(&Row<'_>) -> Result<T>) -> Result<Vec<T>>
    where
        Self: Sized,
    {
        let mut out = Vec::new();
        self.each(sql, params, &mut |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, mapped, if there is one.
    fn optional<T>(&self, sql: &str, params: &[Value], mut f: impl FnMut(&Row<'_>) -> Result<T>) -> Result<Option<T>>
    where
        Self: Sized,
    {
        let mut out = None;
        self.each(sql, params, &mut |row| {
            if out.is_none() {
                out = Some(f(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl Sql for Db {
    fn db(&self) -> &Db {
        self
    }
}

/// Text parameters for queries that take only text.
pub(crate) fn texts<const N: usize>(values: [&str; N]) -> [Value; N] {
    values.map(|v| Value::Text(v.to_string()))
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// A PostgreSQL connection; `reconnect`, when given, opens another one for parallel reads.
    pub fn postgres(client: postgres::Client, reconnect: Option<Reconnect>) -> Db {
        Db::Postgres(Box::new(Pg {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            open: Cell::new(Open::Nothing),
            reconnect,
            sibling: RefCell::new(None),
        }))
    }

    /// The SQLite connection, for what only SQLite has (pragmas, migrations of the file).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    /// Runs statements without parameters or results (DDL), in one round trip.
    pub fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => Ok(pg.client.borrow_mut().batch_execute(sql)?),
        }
    }

    fn run(&self, sql: &str, params: &[Value], last: Option<&Value>) -> Result<u64> {
        match self {
            Db::Sqlite(conn) => Ok(conn.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params.iter().chain(last)))? as u64),
            Db::Postgres(pg) => {
                let statement = pg.prepare(sql)?;
                let bound = bind(params.iter().chain(last), statement.params());
                Ok(pg.client.borrow_mut().execute(&statement, &refs(&bound))?)
            }
        }
    }

    /// Prepares a statement to run many times (a table's rows in an import), so that the hot loop
    /// does not look the SQL up for every row.
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(conn) => Ok(Stmt::Sqlite(conn.prepare_cached(sql)?)),
            Db::Postgres(pg) => Ok(Stmt::Postgres(pg, pg.prepare(sql)?)),
        }
    }

    /// The PostgreSQL connection, for what only PostgreSQL has (`COPY`, cursors).
    pub fn pg(&self) -> Option<&Pg> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => Some(pg),
        }
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        match self {
            Db::Sqlite(conn) => !conn.is_autocommit(),
            Db::Postgres(pg) => pg.open.get() != Open::Nothing,
        }
    }

    fn scan(&self, sql: &str, params: &[Value], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                while let Some(row) = rows.next()? {
                    f(&Row::Sqlite(row))?;
                }
                Ok(())
            }
            Db::Postgres(pg) => {
                use postgres::fallible_iterator::FallibleIterator;
                let statement = pg.prepare(sql)?;
                let bound = bind(params.iter(), statement.params());
                let mut client = pg.client.borrow_mut();
                let mut rows = client.query_raw(&statement, refs(&bound))?;
                while let Some(row) = rows.next()? {
                    f(&Row::Postgres(&row))?;
                }
                Ok(())
            }
        }
    }

    /// Begins a write transaction, holding the write lock until it ends.
    pub fn write(&self) -> Result<Tx<'_>> {
        match self {
            Db::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            Db::Postgres(pg) => {
                pg.begin(&format!("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({WRITE_LOCK})"), Open::Write)?
            }
        }
        Ok(Tx { db: self, open: true })
    }

    /// Runs `f` on one consistent snapshot of the store (a read transaction, unless one is open).
    pub fn read<T>(&self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let begin = match self {
            Db::Sqlite(conn) => conn.is_autocommit().then_some("BEGIN DEFERRED"),
            Db::Postgres(pg) => (pg.open.get() == Open::Nothing).then_some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        };
        let Some(begin) = begin else { return f(self) };
        match self {
            Db::Sqlite(conn) => conn.execute_batch(begin)?,
            Db::Postgres(pg) => pg.begin(begin, Open::Read)?,
        }
        let result = f(self);
        let end = self.end(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let value = result?;
        end?;
        Ok(value)
    }

    /// Runs `here` on this connection and `there` on a second one that sees the same snapshot, at
    /// the same time: inside a [`Db::read`] on PostgreSQL, when the second connection can be had.
    /// Otherwise (SQLite, a write, a server that refuses another connection) `here` and then
    /// `there`, on this connection. `there` must only read.
    pub fn beside<A, B: Send>(&self, here: impl FnOnce(&Db) -> Result<A>, there: impl FnOnce(&Db) -> Result<B> + Send) -> Result<(A, B)> {
        let Some(sibling) = self.pg().and_then(Pg::sibling_on_snapshot) else {
            return Ok((here(self)?, there(self)?));
        };
        let (sibling, a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(move || {
                let b = there(&sibling);
                (sibling, b)
            });
            let a = here(self);
            let (sibling, b) = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (sibling, a, b)
        });
        if sibling.end(if b.is_ok() { "COMMIT" } else { "ROLLBACK" }).is_ok() {
            *self.pg().expect("a sibling is PostgreSQL's").sibling.borrow_mut() = Some(sibling);
        }
        Ok((a?, b?))
    }

    /// Ends the open transaction with `sql` (`COMMIT` or `ROLLBACK`); on PostgreSQL it counts as
    /// ended whatever the server answers (a failed statement has already aborted it).
    fn end(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => {
                let ended = pg.client.borrow_mut().batch_execute(sql);
                pg.open.set(Open::Nothing);
                Ok(ended?)
            }
        }
    }
}

impl Pg {
    /// The second connection (opened now if need be) in a read-only transaction on this read's
    /// snapshot; `None` outside a read, or when the server refuses (too many connections, a
    /// standby that cannot export snapshots).
    fn sibling_on_snapshot(&self) -> Option<Db> {
        if self.open.get() != Open::Read {
            return None;
        }
        let reconnect = self.reconnect.as_ref()?;
        let snapshot: String = self.client.borrow_mut().query_one("SELECT pg_export_snapshot()", &[]).ok()?.get(0);
        // The server's identifier (hexadecimal words and dashes): checked anyway, since it is
        // written into the statement.
        if !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return None;
        }
        let kept = self.sibling.borrow_mut().take();
        let sibling = match kept {
            Some(sibling) => sibling,
            None => Db::postgres(reconnect().ok()?, None),
        };
        let Db::Postgres(pg) = &sibling else { return None };
        pg.begin(&format!("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshot}'"), Open::Read).ok()?;
        Some(sibling)
    }

    /// Opens a transaction of `kind` with `sql` (its `BEGIN` and what must come first in it).
    fn begin(&self, sql: &str, kind: Open) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql)?;
        self.open.set(kind);
        Ok(())
    }

    fn prepare(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.borrow_mut().prepare(&placeholders(sql))?;
        self.statements.borrow_mut().insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl Pg {
    /// Writes rows into `into` (`columns`, a comma-separated list) with binary `COPY … FROM STDIN`:
    /// each row's values, then `last` if given (the batch that writes them). The values are bound as
    /// the types of the same columns of `shaped_like` (a table with those columns: `into` itself,
    /// or the table a staging copy was made from), text escaped as every statement escapes it.
    /// Answers the rows written.
    pub fn copy_in<'r>(
        &self,
        into: &str,
        columns: &str,
        shaped_like: &str,
        rows: impl IntoIterator<Item = &'r [Value]>,
        last: Option<&Value>,
    ) -> Result<u64> {
        self.copy_in_with(into, columns, shaped_like, |write| rows.into_iter().try_for_each(|row| write(row, last)))
    }

    /// [`Pg::copy_in`] with the rows pushed by `fill` through the function it is given (a row's
    /// values, then an optional last value), for rows that come from a callback (another store's
    /// query). The `COPY` is aborted, and nothing written, when `fill` fails.
    pub fn copy_in_with(
        &self,
        into: &str,
        columns: &str,
        shaped_like: &str,
        fill: impl FnOnce(&mut RowSink<'_>) -> Result<()>,
    ) -> Result<u64> {
        let shape = self.prepare(&format!("SELECT {columns} FROM {shaped_like} LIMIT 0"))?;
        let types: Vec<Type> = shape.columns().iter().map(|c| c.type_().clone()).collect();
        let mut client = self.client.borrow_mut();
        let sink = client.copy_in(&format!("COPY {into} ({columns}) FROM STDIN (FORMAT binary)"))?;
        let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
        fill(&mut |row, last| {
            let bound = bind(row.iter().chain(last), &types);
            Ok(writer.write(&refs(&bound))?)
        })?;
        Ok(writer.finish()?)
    }

    /// Runs `query` (no parameters) through a cursor named `cursor`, handing its rows to `f` in
    /// chunks of at most `chunk`, so that what one table returns never sits in memory whole and `f`
    /// may run other statements (a `COPY`) between chunks. Inside a transaction only.
    pub fn chunks(&self, cursor: &str, query: &str, chunk: usize, mut f: impl FnMut(&[Row<'_>]) -> Result<()>) -> Result<()> {
        debug_assert!(self.open.get() != Open::Nothing, "a cursor lives in a transaction");
        self.client.borrow_mut().batch_execute(&format!("DECLARE {cursor} NO SCROLL CURSOR FOR {query}"))?;
        let fetch = format!("FETCH FORWARD {chunk} FROM {cursor}");
        loop {
            // Not through the statement cache: what a FETCH returns is the cursor's, which is new.
            let rows = self.client.borrow_mut().query(fetch.as_str(), &[])?;
            if rows.is_empty() {
                break;
            }
            let view: Vec<Row<'_>> = rows.iter().map(Row::Postgres).collect();
            f(&view)?;
            if rows.len() < chunk {
                break;
            }
        }
        Ok(self.client.borrow_mut().batch_execute(&format!("CLOSE {cursor}"))?)
    }
}

/// Where rows go, one at a time: a row's values, then an optional last value (the batch).
pub(crate) type RowSink<'a> = dyn FnMut(&[Value], Option<&Value>) -> Result<()> + 'a;

/// A prepared statement (see [`Db::prepare`]).
pub(crate) enum Stmt<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    Postgres(&'a Pg, postgres::Statement),
}

impl Stmt<'_> {
    /// Runs it with a row's values and then `last`, if given; answers the rows changed.
    pub fn execute(&mut self, row: &[Value], last: Option<&Value>) -> Result<u64> {
        match self {
            Stmt::Sqlite(statement) => Ok(statement.execute(rusqlite::params_from_iter(row.iter().chain(last)))? as u64),
            Stmt::Postgres(pg, statement) => {
                let bound = bind(row.iter().chain(last), statement.params());
                Ok(pg.client.borrow_mut().execute(&*statement, &refs(&bound))?)
            }
        }
    }

    /// The first row, mapped, if there is one.
    pub fn optional<T>(&mut self, params: &[Value], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<Option<T>> {
        match self {
            Stmt::Sqlite(statement) => {
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(row) => Ok(Some(f(&Row::Sqlite(row))?)),
                    None => Ok(None),
                }
            }
            Stmt::Postgres(pg, statement) => {
                let bound = bind(params.iter(), statement.params());
                let row = pg.client.borrow_mut().query_opt(&*statement, &refs(&bound))?;
                row.map(|row| f(&Row::Postgres(&row))).transpose()
            }
        }
    }
}

/// A transaction: commit it, or it rolls back when dropped.
pub(crate) struct Tx<'a> {
    db: &'a Db,
    open: bool,
}

impl Sql for Tx<'_> {
    fn db(&self) -> &Db {
        self.db
    }
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.db.end("COMMIT")
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // A failed statement already aborted the transaction on PostgreSQL; the rollback ends it.
            let _ = self.db.end("ROLLBACK");
        }
    }
}

/// `?N` → `$N`, outside quoted literals and identifiers.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '?') => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A value bound as the type the server asks for.
#[derive(Debug)]
enum Bound {
    Null,
    Int8(i64),
    Int4(i32),
    Float8(f64),
    Bool(bool),
    Text(String),
}

fn bind<'v>(params: impl Iterator<Item = &'v Value>, types: &[Type]) -> Vec<Bound> {
    params
        .zip(types)
        .map(|(value, ty)| match value {
            Value::Null => Bound::Null,
            Value::Int(i) if *ty == Type::FLOAT8 || *ty == Type::FLOAT4 => Bound::Float8(*i as f64),
            Value::Int(i) if *ty == Type::INT4 => Bound::Int4(*i as i32),
            Value::Int(i) if *ty == Type::BOOL => Bound::Bool(*i != 0),
            Value::Int(i) if *ty == Type::TEXT || *ty == Type::VARCHAR => Bound::Text(i.to_string()),
            Value::Int(i) => Bound::Int8(*i),
            Value::Real(x) if *ty == Type::INT8 && x.fract() == 0.0 => Bound::Int8(*x as i64),
            Value::Real(x) if *ty == Type::TEXT || *ty == Type::VARCHAR => Bound::Text(x.to_string()),
            Value::Real(x) => Bound::Float8(*x),
            Value::Text(text) => Bound::Text(escape(text)),
        })
        .collect()
}

/// NULL for a parameter of any type (`None::<T>` would be refused for every type but `T`'s).
#[derive(Debug)]
struct AnyNull;

impl ToSql for AnyNull {
    fn to_sql(
        &self,
        _: &Type,
        _: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(postgres::types::IsNull::Yes)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn refs(bound: &[Bound]) -> Vec<&(dyn ToSql + Sync)> {
    bound
        .iter()
        .map(|b| -> &(dyn ToSql + Sync) {
            match b {
                Bound::Null => &AnyNull,
                Bound::Int8(i) => i,
                Bound::Int4(i) => i,
                Bound::Float8(x) => x,
                Bound::Bool(b) => b,
                Bound::Text(t) => t,
            }
        })
        .collect()
}

/// Text as PostgreSQL stores it (see the module's documentation).
pub(crate) fn escape(text: &str) -> String {
    if !text.contains(['\u{0}', '\u{1}']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\u{0}' => out.push_str("\u{1}\u{1}"),
            '\u{1}' => out.push_str("\u{1}\u{2}"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`].
pub(crate) fn unescape(text: &str) -> String {
    if !text.contains('\u{1}') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1}' {
            match chars.next() {
                Some('\u{1}') => out.push('\u{0}'),
                Some('\u{2}') => out.push('\u{1}'),
                // Not written by `escape`: kept as it is.
                Some(other) => {
                    out.push('\u{1}');
                    out.push(other);
                }
                None => out.push('\u{1}'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a PostgreSQL column holds text (read as `&str`).
fn is_text(ty: &Type) -> bool {
    matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME)
}

impl Row<'_> {
    /// The cell as a [`Value`]: booleans as 0 and 1, text unescaped.
    pub fn value(&self, i: usize) -> Result<Value> {
        match self {
            Row::Sqlite(row) => Ok(match row.get::<_, SqlValue>(i)? {
                SqlValue::Null => Value::Null,
                SqlValue::Integer(i) => Value::Int(i),
                SqlValue::Real(x) => Value::Real(x),
                SqlValue::Text(t) => Value::Text(t),
                SqlValue::Blob(b) => Value::Text(String::from_utf8_lossy(&b).into_owned()),
            }),
            Row::Postgres(row) => {
                let ty = row.columns()[i].type_();
                let value = match *ty {
                    Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                    Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|v| Value::Int(v.into())),
                    Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|v| Value::Int(v.into())),
                    Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
                    Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map(|v| Value::Real(v.into())),
                    Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(|v| Value::Int(v.into())),
                    _ => row.try_get::<_, Option<&str>>(i)?.map(|t| Value::Text(unescape(t))),
                };
                Ok(value.unwrap_or(Value::Null))
            }
        }
    }

    // The typed accessors read a PostgreSQL cell of the expected type straight from the row (the
    // engine's load reads millions of cells); any other cell goes through [`Self::value`].

    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        if let Row::Postgres(row) = self
            && is_text(row.columns()[i].type_())
        {
            return Ok(row.try_get::<_, Option<&str>>(i)?.map(unescape));
        }
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t)),
            Value::Int(v) => Ok(Some(v.to_string())),
            Value::Real(v) => Ok(Some(v.to_string())),
        }
    }

    pub fn text(&self, i: usize) -> Result<String> {
        self.opt_text(i)?.ok_or_else(|| null(i))
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        if let Row::Postgres(row) = self
            && *row.columns()[i].type_() == Type::INT8
        {
            return Ok(row.try_get::<_, Option<i64>>(i)?);
        }
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v)),
            Value::Real(v) => Ok(Some(v as i64)),
            Value::Text(t) => t.parse().map(Some).map_err(|_| StoreError::Type { column: i, found: t }),
        }
    }

    pub fn int(&self, i: usize) -> Result<i64> {
        self.opt_int(i)?.ok_or_else(|| null(i))
    }

    pub fn opt_real(&self, i: usize) -> Result<Option<f64>> {
        if let Row::Postgres(row) = self
            && *row.columns()[i].type_() == Type::FLOAT8
        {
            return Ok(row.try_get::<_, Option<f64>>(i)?);
        }
        match self.value(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(v as f64)),
            Value::Real(v) => Ok(Some(v)),
            Value::Text(t) => t.parse().map(Some).map_err(|_| StoreError::Type { column: i, found: t }),
        }
    }

    pub fn real(&self, i: usize) -> Result<f64> {
        self.opt_real(i)?.ok_or_else(|| null(i))
    }

    /// A boolean: SQLite's 0 or 1, PostgreSQL's `boolean`.
    pub fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.int(i)? != 0)
    }

    /// The first `n` cells as values.
    pub fn values(&self, n: usize) -> Result<Vec<Value>> {
        (0..n).map(|i| self.value(i)).collect()
    }
}

fn null(column: usize) -> StoreError {
    StoreError::Type { column, found: "NULL".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_literals() {
        assert_eq!(
            placeholders("SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn the_nul_escape_round_trips_and_keeps_byte_order() {
        let samples = ["", "a", "a\u{0}", "a\u{1}", "a\u{2}", "a\u{0}\u{0}", "a\u{1}b", "\u{0}", "\u{1}\u{1}", "ab", "a\u{7f}", "é\u{0}z"];
        for s in samples {
            assert_eq!(unescape(&escape(s)), s);
            assert!(!escape(s).contains('\u{0}'));
        }
        for a in samples {
            for b in samples {
                assert_eq!(a.as_bytes().cmp(b.as_bytes()), escape(a).as_bytes().cmp(escape(b).as_bytes()), "{a:?} vs {b:?}");
            }
        }
    }

    /// A read's second connection joins its snapshot: a colleague's commit in between is seen by
    /// neither part. Outside a read, and in a write, both parts run on the one connection. Needs
    /// the test server (`VETTA_TEST_POSTGRES`, which `cargo xtask test` starts); skipped without.
    #[test]
    fn a_parallel_read_sees_one_snapshot() {
        let Some(server) = std::env::var("VETTA_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) else {
            eprintln!("skipped: no VETTA_TEST_POSTGRES");
            return;
        };
        let table = format!("vetta_unit_snapshot_{}", std::process::id());
        let db = super::super::team::connect(&server, None).unwrap();
        db.batch(&format!("DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (x bigint); INSERT INTO {table} VALUES (1)")).unwrap();
        let mut colleague = postgres::Client::connect(&server, postgres::NoTls).unwrap();
        let sql = format!("SELECT count(*), pg_backend_pid() FROM {table}");
        let count = |db: &Db| Ok(db.optional(&sql, &[], |r| Ok((r.int(0)?, r.int(1)?)))?.expect("one row"));

        let (here, there) = db
            .read(|db| {
                let (before, _) = count(db)?;
                colleague.batch_execute(&format!("INSERT INTO {table} VALUES (2)")).unwrap();
                assert_eq!(before, 1);
                db.beside(count, count)
            })
            .unwrap();
        assert_eq!((here.0, there.0), (1, 1), "both parts read the snapshot, without the colleague's row");
        assert_ne!(here.1, there.1, "the second part ran on another connection");
        let (_, again) = db.read(|db| db.beside(count, count)).unwrap();
        assert_eq!((again.0, again.1), (2, there.1), "the next read sees the commit, on the same second connection");

        let (here, there) = db.beside(count, count).unwrap();
        assert_eq!(here.1, there.1, "outside a read: one connection");
        let tx = db.write().unwrap();
        tx.execute(&format!("INSERT INTO {table} VALUES (3)"), &[]).unwrap();
        let (here, there) = tx.db().beside(count, count).unwrap();
        assert_eq!((here, there.0), ((3, here.1), 3), "in a write: its own rows, on its own connection");
        drop(tx);
        db.batch(&format!("DROP TABLE {table}")).unwrap();
    }
}
