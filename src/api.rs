//! The use cases that the `vetta` command line and the desktop shell both call. Each takes plain
//! arguments and returns view data or an [`Error`]; none prints or exits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::tables::{self, Kind, Table};
use crate::ingest::{self, Input, OnProgress, Report, Source, cells};
use crate::model::{self, Value};
use crate::store::{Batch, Store};
use crate::{bundle, published};

/// Where the store lives when no `--db` is given: `VETTA_DB`, else the platform data directory's
/// `vetta/vetta.db`.
pub fn default_store_path() -> PathBuf {
    if let Some(path) = std::env::var_os("VETTA_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    local_store_path()
}

/// The local store in the platform's data directory: `vetta/vetta.db`.
pub fn local_store_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("vetta").join("vetta.db")
}

/// Opens the store, creating it (seeded with the demo dataset) when the file does not exist.
///
/// A `postgres://` URL in place of the path connects to a team store instead (see
/// [`Store::connect`]); one is never created implicitly: `init` creates it.
pub fn open_store(path: &Path) -> Result<Store> {
    if let Some(url) = team_url(path) {
        return Ok(Store::connect(url)?);
    }
    let existed = path.exists();
    let (mut store, created) = Store::open(path)?;
    if !existed || created {
        seed_demo(&mut store)?;
    }
    Ok(store)
}

/// Creates a new store; refuses to touch an existing one.
///
/// For a `postgres://` URL: the schema and group roles in an empty database (run by its owner).
pub fn init_store(path: &Path, empty: bool) -> Result<Store> {
    if let Some(url) = team_url(path) {
        let mut store = Store::init_postgres(url)?;
        if !empty {
            seed_demo(&mut store)?;
        }
        return Ok(store);
    }
    if path.exists() {
        return Err(Error::Invalid(format!("a store already exists at {}", path.display())));
    }
    let (mut store, _) = Store::open(path)?;
    if !empty {
        seed_demo(&mut store)?;
    }
    Ok(store)
}

/// What push and pull both need: a team store's URL, and a file (not another URL) for `--db`.
fn check_move(file: &Path, url: &str, what: &str) -> Result<()> {
    if !crate::store::is_postgres_url(url) {
        return Err(Error::Invalid(format!("{url:?} is not a postgres:// URL")));
    }
    if team_url(file).is_some() {
        return Err(Error::Invalid(format!("{what}: give its path with --db")));
    }
    Ok(())
}

/// `vetta --db FILE workspace push URL`: the local store, whole, into the team database at `url`
/// (its workspace is created first when the database has none; one that holds anything is refused).
pub fn workspace_push(file: &Path, url: &str) -> Result<crate::store::Copied> {
    check_move(file, url, "push copies a local store file")?;
    if !file.exists() {
        return Err(Error::Invalid(format!("there is no store at {}", file.display())));
    }
    let (source, _) = Store::open(file)?;
    let mut target = match Store::connect(url) {
        Err(crate::store::StoreError::NoWorkspace) => Store::init_postgres(url)?,
        other => other?,
    };
    Ok(source.copy_into(&mut target)?)
}

/// `vetta --db FILE workspace pull URL`: the team store at `url`, whole, into a new local store
/// file (refused if the file holds anything; removed again if the copy fails).
pub fn workspace_pull(file: &Path, url: &str) -> Result<crate::store::Copied> {
    check_move(file, url, "pull copies into a local store file")?;
    let source = Store::connect(url)?;
    let existed = file.exists();
    let (mut target, _) = Store::open(file)?;
    let copied = source.copy_into(&mut target);
    if copied.is_err() && !existed {
        drop(target);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
    Ok(copied?)
}

/// Where the store is, to show: the path, or the team store's URL without its password.
pub fn store_label(path: &Path) -> String {
    let Some(url) = team_url(path) else { return path.display().to_string() };
    match login_with_password(url) {
        Some((scheme, user, host)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A URL whose login carries a password, split around it: (scheme, user, what follows the `@`).
fn login_with_password(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let (login, host) = rest.split_once('@')?;
    let (user, _) = login.split_once(':')?;
    Some((scheme, user, host))
}

/// `url` without the password its login part may carry (`postgres://ana:pw@host/db` →
/// `postgres://ana@host/db`): what may be remembered of a team store's address.
pub fn url_without_password(url: &str) -> String {
    match login_with_password(url) {
        Some((scheme, user, host)) => format!("{scheme}://{user}@{host}"),
        None => url.to_string(),
    }
}

/// Connects to the team store at `url` (a `postgres://` URL; see [`Store::connect`]), with the
/// login's password given for this connection only, when the caller asked for it.
pub fn open_team_workspace(url: &str, password: Option<&str>) -> Result<Store> {
    if !crate::store::is_postgres_url(url) {
        return Err(Error::Invalid(format!("{url:?} is not a postgres:// URL (postgresql://user@host/database?sslmode=verify-full)")));
    }
    Ok(Store::connect_with_password(url, password)?)
}

/// What the app shows of the open workspace.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceInfo {
    /// Where it is: the file's path, or the team store's URL without its password.
    pub label: String,
    /// A team store on PostgreSQL (else the local file).
    pub team: bool,
    /// Who writes: the database login, or the OS user for the local file.
    pub user: Option<String>,
    /// Why this login may not write, when it may not (a `vetta_viewer`).
    pub read_only: Option<String>,
    /// The store's change counter: another value means someone wrote since.
    #[ts(type = "number")]
    pub generation: i64,
}

/// [`WorkspaceInfo`] of the open store, opened from `location`.
pub fn workspace_info(store: &Store, location: &Path) -> Result<WorkspaceInfo> {
    let team = store.dialect() == crate::store::Dialect::Postgres;
    let read_only = (!store.can_write()?).then(|| {
        format!(
            "{} may read this workspace but not change it (the vetta_viewer role): importing, undoing, linking, saving scenarios and \
             settings are turned off. The workspace's administrator can grant vetta_analyst.",
            store.user().unwrap_or("this login")
        )
    });
    Ok(WorkspaceInfo {
        label: store_label(location),
        team,
        user: store.user().map(str::to_string),
        read_only,
        generation: store.generation()?,
    })
}

/// The team store's URL, when `--db` gives one instead of a file.
fn team_url(path: &Path) -> Option<&str> {
    path.to_str().filter(|text| crate::store::is_postgres_url(text))
}

/// Imports the embedded demo dataset in three batches, as an analyst would have built it: the
/// demo's own tables (`demo`), the US lists of the Kaspersky case through the published-format
/// importers (`demo: US lists`), and the confirmed links to them (`demo: links`). Answers the last.
pub fn seed_demo(store: &mut Store) -> Result<Batch> {
    let all = &|_, _| true;
    apply_inputs(store, &crate::demo::inputs(), None, Report::default(), "demo", all)?;
    let staged = published::stage_embedded(&crate::demo::PUBLISHED, &store.known_facts()?);
    apply_inputs(store, &staged.inputs, Some(staged.files), Report::default(), "demo: US lists", all)?;
    Ok(apply_inputs(store, &crate::demo::links(), None, Report::default(), "demo: links", all)?.batch)
}

/// How an import reads its paths.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read every file that is not a Vetta table as this published format, instead of recognising
    /// it by content.
    pub format: Option<published::Format>,
    /// `--around VENDOR…`: seed the selection from these vendors' ids, identifiers and names
    /// (`Some(empty)`: every vendor's).
    pub around: Option<Vec<String>>,
    /// `--ids FILE`: seeds, one `SCHEME:VALUE` or entity id a line.
    pub ids: Option<PathBuf>,
    /// `--hops N` (default 2): how far from a seed published entities are kept.
    pub hops: Option<u32>,
    /// `--allow-unsigned`: accept a bundle without a signature, knowingly (a signed one is still
    /// checked against the trusted keys).
    pub allow_unsigned: bool,
}

impl ImportOptions {
    /// The selection these options ask for, with its seeds read from the store and the ids file;
    /// `None` when the whole of every file is to be imported.
    pub fn selection(&self, store: &Store) -> Result<Option<published::Selection>> {
        if self.around.is_none() && self.ids.is_none() {
            if self.hops.is_some() {
                return Err(Error::Invalid("--hops: give --around or --ids to say where to count hops from".into()));
            }
            return Ok(None);
        }
        let mut selection = published::Selection { hops: self.hops.unwrap_or(published::select::DEFAULT_HOPS), ..Default::default() };
        if let Some(vendors) = &self.around {
            let vendors: Vec<String> =
                if vendors.is_empty() { store.vendors()?.into_iter().map(|v| v.vendor_id).collect() } else { vendors.clone() };
            let listings = store.vendors()?;
            for vendor in &vendors {
                let identity = store.identity(vendor)?.ok_or_else(|| Error::Invalid(format!("--around: no vendor {vendor:?}")))?;
                if let Some(listing) = listings.iter().find(|l| &l.vendor_id == vendor) {
                    selection.names.insert(published::select::fold_name(&listing.name));
                }
                selection.ids.extend(identity.group);
                selection.names.extend(identity.aliases.iter().map(|a| published::select::fold_name(&a.name)));
                selection.identifiers.extend(identity.identifiers.into_iter().map(|i| (i.scheme, i.value.trim().to_string())));
            }
            selection.names.remove("");
        }
        if let Some(path) = &self.ids {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            selection.add_ids_text(&path.display().to_string(), &text).map_err(Error::Invalid)?;
        }
        Ok(Some(selection))
    }
}

/// Validates files against the store without writing anything.
pub fn check(store: &Store, paths: &[PathBuf]) -> Result<Report> {
    check_watched(store, paths, &ImportOptions::default(), &|_, _| true)
}

/// [`check`] with progress; `on_progress` answering `false` cancels it ([`Error::Cancelled`]). The
/// report holds the notes on published files (what staging left out or changed).
pub fn check_watched(store: &Store, paths: &[PathBuf], options: &ImportOptions, on_progress: OnProgress) -> Result<Report> {
    let (_, report) = read_paths(store, paths, options, on_progress)?;
    if report.is_ok() { Ok(report) } else { Err(Error::Rejected(report)) }
}

/// What an import did.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(rename = "ImportResult")]
pub struct ImportOutcome {
    pub batch: Batch,
    pub warnings: Vec<String>,
    /// What staging published files left out or changed (empty for Vetta tables).
    pub notes: Vec<ingest::Note>,
}

/// Imports files as one batch: all or nothing.
pub fn import(store: &mut Store, paths: &[PathBuf]) -> Result<ImportOutcome> {
    import_watched(store, paths, &ImportOptions::default(), &|_, _| true)
}

/// [`import`] with progress while the files are read; `on_progress` answering `false` cancels it
/// ([`Error::Cancelled`]) with nothing written.
pub fn import_watched(store: &mut Store, paths: &[PathBuf], options: &ImportOptions, on_progress: OnProgress) -> Result<ImportOutcome> {
    let (dataset, report) = read_paths(store, paths, options, on_progress)?;
    let Some(dataset) = dataset else { return Err(Error::Rejected(report)) };
    let batch = store.apply(&dataset, "import")?;
    Ok(ImportOutcome { batch, warnings: report.warnings, notes: report.notes })
}

/// Collects the paths' tables and published files, stages the published ones and reads everything
/// against what the store holds. The dataset is `None` when the report has errors.
fn read_paths(
    store: &Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    on_progress: OnProgress,
) -> Result<(Option<ingest::Dataset>, Report)> {
    let selection = options.selection(store)?;
    let known = &store.known_facts()?;
    let mut report = Report::default();
    let mut files = Vec::new();
    // A bundle is checked whole (signature, trusted key, every file's hash) before any of it is read.
    let (bundles, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths.iter().cloned().partition(|p| p.is_file() && bundle::is_bundle(p));
    let mut from_bundles = Vec::new();
    for path in &bundles {
        from_bundles.extend(bundle_inputs(store, path, options.allow_unsigned)?.1);
    }
    let mut inputs = ingest::collect_inputs_claiming(&paths, &mut report, &mut |path| match published::recognise(path, options.format) {
        Some(file) => {
            files.push(file);
            true
        }
        None => false,
    });
    inputs.extend(from_bundles);
    if inputs.is_empty() && files.is_empty() && report.is_ok() {
        return Err(Error::Invalid("no Vetta table or published file among the given paths".into()));
    }
    let mut staged = None;
    if !files.is_empty() {
        match published::stage(&files, known, selection.as_ref(), on_progress).map_err(|_| Error::Cancelled)? {
            Ok(done) => staged = Some(done),
            Err((file, message)) => report.error(&file, 1, "", message),
        }
    }
    if let Some(staged) = &staged {
        report.notes = staged.notes.clone();
        inputs.extend(staged.inputs.iter().cloned());
    }
    if !report.is_ok() {
        return Ok((None, report));
    }
    let dataset = ingest::read_watched(&inputs, known, &mut report, on_progress).map_err(|_| Error::Cancelled)?;
    if let Some(staged) = &staged {
        // An error in a staged row names the published record it came from.
        for error in &mut report.errors {
            if let Some((file, location)) = staged.origin(&error.file, error.line) {
                error.message = format!("{} (record at {location}, staged as {})", error.message, error.file);
                error.file = file.clone();
                error.line = 0;
            }
        }
    }
    let dataset = dataset.map(|mut dataset| {
        if let Some(staged) = &staged {
            // The batch records the published files, not the staged text.
            dataset.files.retain(|f| !f.name.ends_with(" (staged)"));
            dataset.files.extend(staged.files.iter().cloned());
        }
        dataset
    });
    Ok((dataset, report))
}

/// Reads inputs against what the store holds and applies them as one batch: all or nothing. With
/// `published`, the inputs were staged from those published files, which the batch records instead
/// of the staged text.
fn apply_inputs(
    store: &mut Store,
    inputs: &[Input],
    published: Option<Vec<ingest::FileInfo>>,
    mut report: Report,
    label: &str,
    on_progress: OnProgress,
) -> Result<ImportOutcome> {
    let known = store.known_facts()?;
    let Some(mut dataset) = ingest::read_watched(inputs, &known, &mut report, on_progress).map_err(|_| Error::Cancelled)? else {
        return Err(Error::Rejected(report));
    };
    if let Some(files) = published {
        dataset.files = files;
    }
    let batch = store.apply(&dataset, label)?;
    Ok(ImportOutcome { batch, warnings: report.warnings, notes: report.notes })
}

/// The label of a batch of rows entered in the vendor view.
pub const ENTERED: &str = "entered by hand";

/// Enters rows of one table as an import of a file `<table>.csv` holding them: the same rules, errors
/// as `<table>.csv:line:column: message` (line 2 is the first row, line n + 1 the n-th) and one batch
/// that can be undone. A row replaces the stored row with the same key, so an edit is the row entered
/// again with its key unchanged. Rows are keyed by column name; an empty cell is not given.
pub fn enter_rows(store: &mut Store, table: &str, rows: &[BTreeMap<String, String>]) -> Result<ImportOutcome> {
    enter_rows_as(store, table, rows, ENTERED)
}

/// [`enter_rows`] under a batch label of the caller's.
fn enter_rows_as(store: &mut Store, table: &str, rows: &[BTreeMap<String, String>], label: &str) -> Result<ImportOutcome> {
    let table = table_named(table)?;
    let (text, starts) = csv_text(table, rows)?;
    let input = Input { name: format!("{}.csv", table.name), table, source: Source::Text(text.into_bytes().into()) };
    apply_inputs(store, &[input], None, Report::default(), label, &|_, _| true).map_err(|error| match error {
        // A cell holding line breaks moves the physical lines of later rows: name rows by position.
        Error::Rejected(mut report) => {
            for error in &mut report.errors {
                if let Some(row) = starts.iter().position(|&start| start == error.line) {
                    error.line = row as u64 + 2;
                }
            }
            Error::Rejected(report)
        }
        other => other,
    })
}

/// What entering rows did, for a form that shows a rejection's errors beside its fields: a rejection
/// is an answer here, not a failure (as for a check).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EntryResult {
    Entered(ImportOutcome),
    Rejected(Report),
}

impl EntryResult {
    /// The answer of [`enter_rows`]: its rejection as a value, any other error as an error.
    pub fn of(result: Result<ImportOutcome>) -> Result<EntryResult> {
        match result {
            Ok(outcome) => Ok(EntryResult::Entered(outcome)),
            Err(Error::Rejected(report)) => Ok(EntryResult::Rejected(report)),
            Err(other) => Err(other),
        }
    }
}

fn table_named(name: &str) -> Result<&'static Table> {
    tables::by_name(name).ok_or_else(|| {
        let names: Vec<&str> = tables::ALL.iter().map(|t| t.name).collect();
        Error::Invalid(format!("there is no table {} (tables: {})", cells::quoted(name), names.join(", ")))
    })
}

/// `rows` as the CSV text of a file: a header naming every column of the table in order, then one
/// record per row with every given cell quoted. Also returns the physical line each record starts on.
fn csv_text(table: &Table, rows: &[BTreeMap<String, String>]) -> Result<(String, Vec<u64>)> {
    if rows.is_empty() {
        return Err(Error::Invalid("no rows to enter".into()));
    }
    let mut text = table.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
    text.push('\n');
    let mut starts = Vec::with_capacity(rows.len());
    let mut line = 2;
    for (index, row) in rows.iter().enumerate() {
        if let Some(unknown) = row.keys().find(|name| !table.columns.iter().any(|c| c.name == name.as_str())) {
            return Err(Error::Invalid(format!("{} has no column {}", table.name, cells::quoted(unknown))));
        }
        if row.values().all(|cell| cell.trim().is_empty()) {
            return Err(Error::Invalid(format!("row {} has no value", index + 1)));
        }
        let record: Vec<String> = table.columns.iter().map(|c| row.get(c.name).map_or_else(String::new, |cell| csv_cell(cell))).collect();
        let record = record.join(",");
        starts.push(line);
        line += 1 + record.bytes().filter(|&b| b == b'\n').count() as u64;
        text.push_str(&record);
        text.push('\n');
    }
    Ok((text, starts))
}

/// A cell in RFC 4180 quotes (doubling quotes inside), so commas, quotes and line breaks stay text;
/// an empty cell stays empty (not given).
fn csv_cell(cell: &str) -> String {
    if cell.is_empty() { String::new() } else { format!("\"{}\"", cell.replace('"', "\"\"")) }
}

/// A vendor's rows of one table (see [`Store::vendor_rows`] for which rows), each with every column
/// as the cell text an import reads back to the same value: booleans as `true`/`false`, numbers in
/// their shortest exact form, NULL as an empty cell.
pub fn vendor_rows(store: &Store, table: &str, vendor_id: &str) -> Result<Vec<BTreeMap<String, String>>> {
    let table = table_named(table)?;
    if store.vendor_rows(&tables::VENDORS, vendor_id)?.is_empty() {
        return Err(Error::Invalid(format!("unknown vendor {vendor_id:?}")));
    }
    let rows = store.vendor_rows(table, vendor_id)?;
    Ok(rows
        .iter()
        .map(|row| table.columns.iter().zip(row).map(|(column, value)| (column.name.to_string(), cell_text(column.kind, value))).collect())
        .collect())
}

fn cell_text(kind: Kind, value: &Value) -> String {
    match (kind, value) {
        (_, Value::Null) => String::new(),
        (Kind::Bool, Value::Int(n)) => (if *n != 0 { "true" } else { "false" }).to_string(),
        (_, Value::Int(n)) => n.to_string(),
        // Rust prints a double in the fewest digits that parse back to it, never as NaN or with an exponent.
        (_, Value::Real(x)) => x.to_string(),
        (_, Value::Text(text)) => text.clone(),
    }
}

/// A table as the vendor view's form shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct TableSchema {
    /// The table's name (its file's stem).
    pub table: String,
    /// Every column, in the file's order.
    pub columns: Vec<ColumnSchema>,
    /// Columns of the key: a row entered with a stored row's key replaces that row.
    pub key: Vec<String>,
    /// The column naming the vendor, or its entity, in a row about the vendor.
    pub vendor_column: String,
}

/// A column of a [`TableSchema`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ColumnSchema {
    pub name: String,
    pub required: bool,
    /// What the cell holds, in a few words: `date YYYY-MM-DD`, `decimal 0..1`, `one of: a, b`.
    pub kind: String,
    /// The words an enumerated cell allows, in order; empty for other cells.
    pub choices: Vec<String>,
}

/// Every table's columns, key and vendor column, in import order: what a form needs to enter rows.
pub fn table_schemas() -> Vec<TableSchema> {
    tables::ALL
        .iter()
        .map(|table| TableSchema {
            table: table.name.to_string(),
            columns: table
                .columns
                .iter()
                .map(|c| ColumnSchema {
                    name: c.name.to_string(),
                    required: c.required,
                    kind: describe(c.kind),
                    choices: choices(c.kind).iter().map(|w| w.to_string()).collect(),
                })
                .collect(),
            key: table.key.iter().map(|k| k.to_string()).collect(),
            vendor_column: match table.name {
                "entities" => "entity_id",
                "ownership" => "to_id",
                "testimony" | "designations" => "subject_id",
                "identifiers" | "aliases" | "links" => "entity_id",
                _ => "vendor_id",
            }
            .to_string(),
        })
        .collect()
}

const GRADES: &[&str] = &["A", "B", "C", "D", "E", "F"];

fn choices(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Word(words) => words,
        Kind::Bool => model::BOOLEANS,
        Kind::Grade => GRADES,
        _ => &[],
    }
}

fn describe(kind: Kind) -> String {
    match kind {
        Kind::Id => "id".into(),
        Kind::EntityRef => "entity or vendor id".into(),
        Kind::VendorRef => "vendor id".into(),
        Kind::Text => "text".into(),
        Kind::Country => "country code (ISO alpha-2 or region)".into(),
        Kind::Date => "date YYYY-MM-DD".into(),
        Kind::Year => "year".into(),
        Kind::Count => "integer ≥ 0".into(),
        Kind::IntRange(min, max) => format!("integer {min}..{max}"),
        Kind::Decimal(min, max) if max == f64::MAX => format!("decimal ≥ {min}"),
        Kind::Decimal(min, max) => format!("decimal {min}..{max}"),
        Kind::Word(_) | Kind::Bool | Kind::Grade => format!("one of: {}", choices(kind).join(", ")),
        Kind::Scheme => "scheme code (LEI, RU-INN, …)".into(),
    }
}

/// What [`dump`] wrote: each file with its rows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Dumped {
    /// Each file written with its rows.
    pub files: Vec<(String, usize)>,
    pub dataset_sha256: String,
}

/// Writes the whole store as a dataset folder (data-formats.md v1.3): one CSV per non-empty table,
/// every column with a header, rows in key order, cells as the importer reads them back (booleans as
/// words, numbers in their shortest exact form, text verbatim — never neutralised, so a formula-like
/// note stays the same fact). Imported into an empty store it gives the same `dataset_sha256`. The
/// folder must be new or empty; it appears whole or not at all.
pub fn dump(store: &Store, dir: &Path) -> Result<Dumped> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| Error::Io { path, source }
    };
    let existed = match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Invalid(format!("{} is not empty: dump into a new or empty folder", dir.display())));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(dir)(e)),
    };
    // All or nothing: the files are written into a hidden folder beside the target, which then takes
    // its place in one rename; on any failure the hidden folder is removed and the target is as it was.
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "dump".into());
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir(&staging).map_err(io(&staging))?;
    let written = write_tables(store, &staging).and_then(|files| {
        if existed {
            std::fs::remove_dir(dir).map_err(io(dir))?;
        }
        std::fs::rename(&staging, dir).map_err(io(dir))?;
        Ok(files)
    });
    match written {
        Ok(files) => Ok(Dumped { files, dataset_sha256: store.dataset_sha256()? }),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

/// Every non-empty table as `<table>.csv` in `dir`, with its rows.
fn write_tables(store: &Store, dir: &Path) -> Result<Vec<(String, usize)>> {
    let mut files = Vec::new();
    for file in dataset_files(store)? {
        let name = format!("{}.csv", file.table.name);
        crate::export::write_whole(&dir.join(&name), &file.bytes)?;
        files.push((name, file.rows as usize));
    }
    Ok(files)
}

/// The store's facts as the CSV files of a dataset folder: every non-empty table, every column with
/// a header, rows in key order, cells as the importer reads them back (see [`dump`]).
fn dataset_files(store: &Store) -> Result<Vec<bundle::DataFile>> {
    let mut files = Vec::new();
    for table in tables::ALL {
        let rows = store.rows(table)?;
        if rows.is_empty() {
            continue;
        }
        let sheet = crate::export::Sheet {
            header: table.columns.iter().map(|c| c.name.to_string()).collect(),
            rows: rows
                .iter()
                .map(|row| {
                    table
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(column, value)| match value {
                            Value::Null => crate::export::Cell::Empty,
                            value => crate::export::Cell::Data(cell_text(column.kind, value)),
                        })
                        .collect()
                })
                .collect(),
        };
        files.push(bundle::DataFile { table, bytes: sheet.csv().into_bytes(), rows: rows.len() as u64 });
    }
    Ok(files)
}

/// The settings key of the trusted public keys (a JSON list of [`bundle::TrustedKey`]).
const TRUSTED_KEYS: &str = "trusted_keys";

/// The public keys this workspace trusts to sign bundles, in the order they were added.
pub fn trusted_keys(store: &Store) -> Result<Vec<bundle::TrustedKey>> {
    Ok(store.setting(TRUSTED_KEYS)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// Trusts a public key (a `.pub` file's text or the bare key) under `label`; trusting a key again
/// updates its label.
pub fn trust_key(store: &mut Store, public_key: &str, label: &str) -> Result<bundle::TrustedKey> {
    let mut key = bundle::parse_public_key(public_key).map_err(|e| Error::Invalid(e.to_string()))?;
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::Invalid("say whose key it is (a label such as a name and team)".into()));
    }
    key.label = label.to_string();
    key.added_at = crate::store::now();
    let mut keys = trusted_keys(store)?;
    keys.retain(|k| k.key_id != key.key_id);
    keys.push(key.clone());
    store.set_setting(TRUSTED_KEYS, &serde_json::to_string(&keys).expect("keys serialise"))?;
    Ok(key)
}

/// Stops trusting a key; answers the key removed, so that it can be trusted again (undo).
pub fn untrust_key(store: &mut Store, key_id: &str) -> Result<bundle::TrustedKey> {
    let mut keys = trusted_keys(store)?;
    let at = keys
        .iter()
        .position(|k| k.key_id.eq_ignore_ascii_case(key_id.trim()))
        .ok_or_else(|| Error::Invalid(format!("no trusted key {key_id:?}")))?;
    let removed = keys.remove(at);
    store.set_setting(TRUSTED_KEYS, &serde_json::to_string(&keys).expect("keys serialise"))?;
    Ok(removed)
}

/// Writes the whole store as a bundle (`bundle` module), signed when a signer is given.
pub fn create_bundle(store: &Store, out: &Path, signer: Option<&bundle::Signer>) -> Result<bundle::Manifest> {
    let files = dataset_files(store)?;
    let now = crate::store::now();
    bundle::write(out, &files, &store.dataset_sha256()?, store.user(), &now, signer)
        .map_err(|error| Error::Bundle { path: out.to_path_buf(), error })
}

/// What `vetta bundle verify` found.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct BundleCheck {
    pub manifest: bundle::Manifest,
    /// The trusted key that signed it; None for an unsigned bundle accepted knowingly.
    pub signed_by: Option<bundle::TrustedKey>,
}

/// Checks a bundle as an import would (signature, trusted key, each file's hash) and then that its
/// files, imported into an empty store, give the manifest's `dataset_sha256`. Writes nothing.
pub fn verify_bundle(store: &Store, path: &Path, allow_unsigned: bool) -> Result<BundleCheck> {
    let (opened, inputs) = bundle_inputs(store, path, allow_unsigned)?;
    let mut scratch = Store::open_in_memory()?;
    let mut report = Report::default();
    let known = scratch.known_facts()?;
    let Some(dataset) = ingest::read_watched(&inputs, &known, &mut report, &|_, _| true).map_err(|_| Error::Cancelled)? else {
        return Err(Error::Rejected(report));
    };
    scratch.apply(&dataset, "verify")?;
    let found = scratch.dataset_sha256()?;
    if found != opened.manifest.dataset_sha256 {
        return Err(Error::Bundle {
            path: path.to_path_buf(),
            error: bundle::BundleError::Tampered {
                entry: bundle::MANIFEST.into(),
                reason: format!(
                    "the files import to dataset {found}, not the manifest's {}: the bundle does not hold the store it says",
                    opened.manifest.dataset_sha256
                ),
            },
        });
    }
    Ok(BundleCheck { manifest: opened.manifest, signed_by: opened.signed_by })
}

/// Opens a bundle against the store's trusted keys; its files as import inputs named
/// `<bundle>/dataset/<table>.csv`, so that an error names the bundle, the file and the place.
fn bundle_inputs(store: &Store, path: &Path, allow_unsigned: bool) -> Result<(bundle::Opened, Vec<Input>)> {
    let keys = trusted_keys(store)?;
    let opened = bundle::open(path, &bundle::Trust { keys: &keys, allow_unsigned })
        .map_err(|error| Error::Bundle { path: path.to_path_buf(), error })?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let inputs = opened
        .files
        .iter()
        .map(|(name, table, bytes)| Input { name: format!("{file_name}/{name}"), table, source: Source::Text(bytes.clone()) })
        .collect();
    Ok((opened, inputs))
}

/// Candidate matches between the vendors' book and every other entity (cli.md v1.3 `screen`).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ScreenReport {
    pub min_score: f64,
    /// How many parties (`same` groups) each side held.
    pub book: usize,
    pub others: usize,
    pub candidates: Vec<crate::screening::Candidate>,
}

/// Screens the given vendors' book (every vendor's when `vendors` is empty) against every other
/// entity: candidates scoring at least `min_score`, best first.
pub fn screen(store: &Store, vendors: &[String], min_score: f64) -> Result<ScreenReport> {
    Ok(screened(store, vendors, min_score, "--min-score: ")?.1)
}

/// [`screen`] with the parties it compared; `option` names the threshold in the error (`--min-score:
/// ` on the command line).
fn screened(store: &Store, vendors: &[String], min_score: f64, option: &str) -> Result<(crate::store::ScreeningInput, ScreenReport)> {
    if !(0.0..=1.0).contains(&min_score) {
        return Err(Error::Invalid(format!("{option}{min_score} is not between 0 and 1")));
    }
    for vendor in vendors {
        if store.vendor(vendor)?.is_none() {
            return Err(Error::Invalid(format!("unknown vendor {vendor:?}")));
        }
    }
    let input = store.screening_input(vendors)?;
    let candidates = crate::screening::screen(&input.book, &input.others, &input.suppressed, min_score);
    let report = ScreenReport { min_score, book: input.book.len(), others: input.others.len(), candidates };
    Ok((input, report))
}

/// What the Screening view reviews: the candidates, best first, and a card for every party they
/// name, so both sides show side by side without another round trip.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ScreenReview {
    pub report: ScreenReport,
    pub parties: BTreeMap<String, crate::store::PartyCard>,
}

/// [`screen`] over every vendor, with the cards of the parties the candidates name.
pub fn screen_review(store: &Store, min_score: f64) -> Result<ScreenReview> {
    let (input, report) = screened(store, &[], min_score, "min score ")?;
    let named: std::collections::HashSet<&str> =
        report.candidates.iter().flat_map(|c| [c.entity_id.as_str(), c.other_id.as_str()]).collect();
    let parties = input.book.iter().chain(&input.others).filter(|p| named.contains(p.id.as_str()));
    let parties = store.party_cards(parties, &input.members)?;
    Ok(ScreenReview { report, parties })
}

/// A decision about two entity ids (cli.md v1.3 `link`).
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct LinkDecision {
    pub entity_id: String,
    pub other_id: String,
    /// `same` or `different`.
    pub decision: String,
    pub decided_by: String,
    pub basis: Option<String>,
}

/// Records decisions as one batch of `links.csv` rows dated `on` (so undoable, and checked by the
/// links rules: no link to itself, to an unknown id, or joining two vendors' groups). The batch is
/// labelled `link` for one decision, `links` for several.
pub fn link(store: &mut Store, decisions: &[LinkDecision], on: chrono::NaiveDate) -> Result<ImportOutcome> {
    let rows: Vec<BTreeMap<String, String>> = decisions
        .iter()
        .map(|d| {
            let mut row = BTreeMap::from([
                ("entity_id".to_string(), d.entity_id.clone()),
                ("other_id".to_string(), d.other_id.clone()),
                ("decision".to_string(), d.decision.clone()),
                ("decided_by".to_string(), d.decided_by.clone()),
                ("decided_on".to_string(), on.to_string()),
            ]);
            if let Some(basis) = d.basis.as_ref().filter(|b| !b.trim().is_empty()) {
                row.insert("basis".to_string(), basis.clone());
            }
            row
        })
        .collect();
    enter_rows_as(store, "links", &rows, if decisions.len() == 1 { "link" } else { "links" })
}

/// Every recorded link (cli.md v1.3 `links`).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct LinksReport {
    pub links: Vec<crate::store::LinkView>,
}

pub fn links(store: &Store) -> Result<LinksReport> {
    Ok(LinksReport { links: store.links()? })
}
