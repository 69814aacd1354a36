//! Files → validated rows, or every error as `file:line:column: message`.
//!
//! An import reads a folder, single CSV files (`.csv` or `.csv.gz`) or an `.xlsx` workbook, streams
//! each table once, checks every cell and row rule of data-formats.md v1.2 and resolves references
//! against the dataset and what the store already holds ([`KnownFacts`]). Sales and install-base
//! ledgers are summed by key while they stream, so a file of millions of rows never becomes millions
//! of structs. Nothing here writes anywhere: the store applies a [`Dataset`] in one transaction, or
//! not at all.

pub mod cells;
mod columnar;
pub mod csv;
pub mod tables;
mod xlsx;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::groups::Groups;
use crate::model::{self, Value, shares};
use csv::{CsvProblem, CsvReader, Record};
use tables::{Kind, Table};

/// At most this many errors are kept; the rest are counted.
pub const MAX_ERRORS: usize = 100;

/// One error, located as data-formats.md requires. `column` is a header name, or empty.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Where a table's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A `.csv` or `.csv.gz` file on disk.
    File(PathBuf),
    /// A sheet of an `.xlsx` workbook.
    Sheet { workbook: PathBuf, sheet: String },
    /// CSV text compiled into the binary (the demo dataset).
    Embedded(&'static [u8]),
    /// CSV text made in memory (rows entered by hand); read and hashed like `Embedded`.
    Text(std::sync::Arc<[u8]>),
}

/// One table of an import: the name errors use, the table, and where its text comes from.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub table: &'static Table,
    pub source: Source,
}

/// A file of a batch, as the batch records it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(rename = "BatchFile")]
pub struct FileInfo {
    pub name: String,
    pub table: String,
    pub sha256: String,
    /// Data rows read (before summing repeated keys).
    pub rows: u64,
}

/// The validated rows of one table, each in the table's column order. Rows of summed tables are
/// already summed by key.
#[derive(Debug, Clone)]
pub struct TableRows {
    pub table: &'static Table,
    pub rows: Vec<Vec<Value>>,
}

/// A dataset that passed every rule and can be applied as one batch.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub files: Vec<FileInfo>,
    pub tables: Vec<TableRows>,
}

impl Dataset {
    pub fn rows(&self, table: &Table) -> &[Vec<Value>] {
        self.tables.iter().find(|t| t.table.name == table.name).map(|t| &t.rows[..]).unwrap_or(&[])
    }
}

/// A record of a published file that an import left out or changed (open-formats.md), shown as
/// `file:LOCATION: code: message`. LOCATION is the physical line (CSV, JSON lines), the JSON pointer
/// (JSON documents) or the element path (XML); `code` is a stable word (`no-date`, `stub-entity`, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(rename = "ImportNote")]
pub struct Note {
    pub file: String,
    pub location: String,
    pub code: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.location, self.code, self.message)
    }
}

/// Warnings and errors of one read.
#[derive(Debug, Clone, Default, serde::Serialize, ts_rs::TS)]
#[ts(rename = "ImportReport")]
pub struct Report {
    pub errors: Vec<RowError>,
    /// All errors found, including those past [`MAX_ERRORS`].
    pub error_count: usize,
    pub warnings: Vec<String>,
    /// What staging published files left out or changed, in file order (every one: nothing here is
    /// an error).
    pub notes: Vec<Note>,
}

impl Report {
    pub(crate) fn error(&mut self, file: &str, line: u64, column: &str, message: impl Into<String>) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError { file: file.to_string(), line, column: column.to_string(), message: message.into() });
        }
    }

    pub fn is_ok(&self) -> bool {
        self.error_count == 0
    }
}

/// An explicit entity the store already holds.
#[derive(Debug, Clone)]
pub struct KnownEntity {
    pub entity_id: String,
    pub country: String,
}

/// A vendor the store already holds.
#[derive(Debug, Clone)]
pub struct KnownVendor {
    pub vendor_id: String,
    pub entity_id: String,
    pub hq_country: String,
}

/// A stored equity edge (ids are entity ids).
#[derive(Debug, Clone)]
pub struct KnownStake {
    pub from_id: String,
    pub to_id: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub share: f64,
}

/// What the store holds that an import's rules look at: references resolve against it and share
/// sums include it.
#[derive(Debug, Clone, Default)]
pub struct KnownFacts {
    pub entities: Vec<KnownEntity>,
    pub vendors: Vec<KnownVendor>,
    pub stakes: Vec<KnownStake>,
    /// The stored links (entity ids, the pair as stored) with their decision.
    pub links: Vec<KnownLink>,
    /// The stored designations still in force (no `ends`), for the rows a new snapshot of a
    /// published list no longer holds.
    pub listings: Vec<KnownListing>,
    /// The files of the batches in force: (batch, file name, table or published format).
    pub batch_files: Vec<(i64, String, String)>,
}

/// A stored designation without an end.
#[derive(Debug, Clone)]
pub struct KnownListing {
    pub subject_id: String,
    pub list: String,
    pub effective: String,
    pub batch_id: i64,
}

/// A stored link: the pair as stored (`entity_id` ≤ `other_id`) and whether it says `same`.
#[derive(Debug, Clone)]
pub struct KnownLink {
    pub entity_id: String,
    pub other_id: String,
    pub same: bool,
}

/// Turns command-line paths into the tables of one import. Folders are scanned (one level);
/// files are recognised by name. Unknown files are warned about and skipped; a table given twice
/// (as `.csv` and `.csv.gz`, or from two places) is an error.
pub fn collect_inputs(paths: &[PathBuf], report: &mut Report) -> Vec<Input> {
    collect_inputs_claiming(paths, report, &mut |_| false)
}

/// [`collect_inputs`], offering each file that is not a Vetta table to `claim` first (published
/// files are recognised by content); a file it answers `true` for is not warned about.
pub fn collect_inputs_claiming(paths: &[PathBuf], report: &mut Report, claim: &mut dyn FnMut(&Path) -> bool) -> Vec<Input> {
    let mut inputs: Vec<Input> = Vec::new();
    let mut add_file = |path: &Path, inputs: &mut Vec<Input>, report: &mut Report| {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file_name.ends_with(".xlsx") {
            match xlsx::sheet_inputs(path, &file_name, report) {
                Ok(sheets) => inputs.extend(sheets),
                Err(message) => report.error(&file_name, 1, "", message),
            }
            return;
        }
        // Ledgers may also come as Parquet (read by `columnar`).
        if let Some(stem) = file_name.strip_suffix(".parquet")
            && let Some(table) = tables::by_name(stem).filter(|t| !t.summed.is_empty())
        {
            inputs.push(Input { name: file_name, table, source: Source::File(path.to_path_buf()) });
            return;
        }
        let stem = file_name.strip_suffix(".csv.gz").or_else(|| file_name.strip_suffix(".csv"));
        match stem.and_then(tables::by_name) {
            Some(table) => inputs.push(Input { name: file_name, table, source: Source::File(path.to_path_buf()) }),
            None if claim(path) => {}
            None => {
                report.warnings.push(format!("{}: not a Vetta table (expected one of {}), skipped", path.display(), table_file_names()))
            }
        }
    };
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect(),
                Err(error) => {
                    report.error(&path.display().to_string(), 1, "", format!("cannot read folder: {error}"));
                    continue;
                }
            };
            entries.sort();
            for entry in entries {
                add_file(&entry, &mut inputs, report);
            }
        } else if path.is_file() {
            add_file(path, &mut inputs, report);
        } else {
            report.error(&path.display().to_string(), 1, "", "no such file or folder");
        }
    }
    // One source per table: report the later one at line 1 (both forms of one file are reported at
    // `<name>.csv.gz:1::`, since `.csv` sorts first).
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut unique = Vec::new();
    for input in inputs {
        if let Some(first) = seen.get(input.table.name) {
            report.error(&input.name, 1, "", format!("{} is given twice (also as {first}); give one", input.table.name));
        } else {
            seen.insert(input.table.name, input.name.clone());
            unique.push(input);
        }
    }
    unique
}

fn table_file_names() -> String {
    tables::ALL.iter().map(|t| format!("{}.csv", t.name)).collect::<Vec<_>>().join(", ")
}

/// Reads and validates every input. Returns the dataset when the report has no errors.
pub fn read(inputs: &[Input], known: &KnownFacts, report: &mut Report) -> Option<Dataset> {
    read_watched(inputs, known, report, &|_, _| true).unwrap_or_else(|Cancelled| unreachable!("this read never cancels"))
}

/// A read stopped because its progress callback answered `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// How far a read has come: `(bytes read, bytes in all)` of the CSV files (compressed bytes for
/// `.csv.gz`; a workbook counts once its sheet is read). Answering `false` cancels the read.
pub type OnProgress<'a> = &'a (dyn Fn(u64, u64) -> bool + Sync);

/// Every this many data rows, a read reports its progress (and may be cancelled).
const PROGRESS_EVERY: u64 = 1 << 15;

/// Counts the bytes read so far and asks the caller whether to go on.
struct Watch<'a> {
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    total: u64,
    on_progress: OnProgress<'a>,
}

impl Watch<'_> {
    fn add(&self, bytes: u64) {
        self.read.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    fn go_on(&self) -> bool {
        (self.on_progress)(self.read.load(std::sync::atomic::Ordering::Relaxed).min(self.total), self.total)
    }
}

/// [`read`] with progress and cancelling: `on_progress` is called every few tens of thousands of rows
/// and after each table.
pub fn read_watched(
    inputs: &[Input],
    known: &KnownFacts,
    report: &mut Report,
    on_progress: OnProgress,
) -> Result<Option<Dataset>, Cancelled> {
    let mut inputs: Vec<&Input> = inputs.iter().collect();
    // A stable sort: a table's inputs stay in the given order.
    inputs.sort_by_key(|input| tables::ALL.iter().position(|t| t.name == input.table.name));
    // Each input's share of the bytes to read; a workbook's size is shared among its sheets.
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|input| match &input.source {
            Source::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            Source::Sheet { workbook, .. } => std::fs::metadata(workbook).map_or(0, |m| m.len()) / sheets_of(&inputs, workbook),
            Source::Embedded(bytes) => bytes.len() as u64,
            Source::Text(bytes) => bytes.len() as u64,
        })
        .collect();
    let watch = Watch { read: Default::default(), total: sizes.iter().sum(), on_progress };
    let mut context = Context::new(known);
    let mut dataset = Dataset::default();
    let items: Vec<(&Input, u64)> = inputs.iter().copied().zip(sizes).collect();
    let mut start = 0;
    while start < items.len() {
        // The inputs of one table (sorted together) are read by one reader.
        let table = items[start].0.table;
        let end = start + items[start..].iter().take_while(|(input, _)| input.table.name == table.name).count();
        // A ledger file on its own goes through polars when it can (see `columnar`).
        if end == start + 1
            && !table.summed.is_empty()
            && let Source::File(path) = &items[start].0.source
        {
            match columnar::read_ledger(table, &items[start].0.name, path, items[start].1, &context, report, &watch)? {
                columnar::Outcome::Read(rows, info) => {
                    if !watch.go_on() {
                        return Err(Cancelled);
                    }
                    dataset.files.push(info);
                    dataset.tables.push(rows);
                    start = end;
                    continue;
                }
                columnar::Outcome::Rejected(info) => {
                    dataset.files.push(info);
                    start = end;
                    continue;
                }
                columnar::Outcome::Stream => {}
            }
        }
        let mut rows = TableReader::new(items[start].0, &mut context, report, &watch);
        let mut files = Vec::new();
        for (k, &(input, size)) in items[start..end].iter().enumerate() {
            if k > 0 {
                rows.next_input(input);
            }
            let info = match &input.source {
                Source::File(path) => open_file(path, watch.read.clone()).map(|(reader, hash)| {
                    rows.read_all(csv::Prefetch::spawn(CsvReader::new(reader)));
                    FileInfo { name: input.name.clone(), table: input.table.name.into(), sha256: hash.finish(), rows: rows.data_rows }
                }),
                Source::Embedded(bytes) => Ok(rows.read_text(bytes)),
                Source::Text(bytes) => Ok(rows.read_text(bytes)),
                Source::Sheet { workbook, sheet } => xlsx::SheetRecords::open(workbook, sheet).map(|(records, sha256)| {
                    rows.read_all(records);
                    watch.add(size);
                    FileInfo { name: input.name.clone(), table: input.table.name.into(), sha256, rows: rows.data_rows }
                }),
            };
            match info {
                Ok(info) => files.push(info),
                Err(message) => rows.error(1, "", message),
            }
            if rows.cancelled {
                break;
            }
        }
        let cancelled = rows.cancelled;
        let table_rows = rows.finish();
        if cancelled || !watch.go_on() {
            return Err(Cancelled);
        }
        dataset.files.extend(files);
        dataset.tables.push(table_rows);
        start = end;
    }
    if report.is_ok() {
        check_vendor_groups(&context, &dataset, report);
    }
    Ok(report.is_ok().then_some(dataset))
}

/// How many of the inputs are sheets of `workbook` (at least 1), to share its size among them.
fn sheets_of(inputs: &[&Input], workbook: &Path) -> u64 {
    (inputs.iter().filter(|i| matches!(&i.source, Source::Sheet { workbook: w, .. } if w == workbook)).count() as u64).max(1)
}

/// Reads `input` in chunks of `size` bytes (the last may be shorter) and gives each to `each` while
/// a second thread hashes it: one pass that both looks at a file and computes its SHA-256 (hex).
/// `None` when `each` answered `false` (the pass stops there).
pub(crate) fn hash_chunks(input: &mut impl Read, size: usize, mut each: impl FnMut(&[u8]) -> bool) -> std::io::Result<Option<String>> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; size];
    loop {
        let mut filled = 0;
        while filled < size {
            match input.read(&mut buffer[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            return Ok(Some(hex(&hasher.finalize())));
        }
        let chunk = &buffer[..filled];
        let go_on = std::thread::scope(|scope| {
            scope.spawn(|| hasher.update(chunk));
            each(chunk)
        });
        if !go_on {
            return Ok(None);
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A reader that hashes the raw bytes of a file as they are read.
/// It also counts them, for progress.
struct HashingReader<R> {
    inner: R,
    hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.lock().expect("hasher lock").update(&buf[..n]);
        self.read.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

struct FileHash(std::sync::Arc<std::sync::Mutex<Sha256>>);

impl FileHash {
    fn finish(self) -> String {
        hex(&self.0.lock().expect("hasher lock").clone().finalize())
    }
}

fn open_file(path: &Path, read: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Result<(Box<dyn BufRead + Send>, FileHash), String> {
    let file = File::open(path).map_err(|error| format!("cannot open: {error}"))?;
    let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    let raw = HashingReader { inner: file, hasher: hasher.clone(), read };
    let gz = path.to_string_lossy().ends_with(".gz");
    let reader: Box<dyn BufRead + Send> = if gz {
        Box::new(BufReader::with_capacity(1 << 20, flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, raw))))
    } else {
        Box::new(BufReader::with_capacity(1 << 20, raw))
    };
    Ok((reader, FileHash(hasher)))
}

/// A source of records: CSV text or a workbook sheet.
pub trait Records {
    fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>>;
}

impl<R: BufRead> Records for CsvReader<R> {
    fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>> {
        CsvReader::next_record(self)
    }
}

impl Records for csv::Prefetch {
    fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>> {
        csv::Prefetch::next_record(self)
    }
}

/// What the reading of earlier tables tells the later ones: which ids exist and which were rejected.
struct Context {
    /// Explicit entities: id → country (the store's, overridden by the dataset's).
    entities: HashMap<String, String>,
    /// Vendors: id → (entity id, hq country).
    vendors: HashMap<String, (String, String)>,
    /// Entity id of a vendor → vendor id.
    vendor_entities: HashMap<String, String>,
    /// Ids of rejected rows: references to them are not reported again.
    rejected: HashSet<String>,
    /// Store stakes by target entity, with their keys so replaced rows can be left out.
    stored_stakes: HashMap<String, Vec<StoredStake>>,
    /// The store's links.
    stored_links: Vec<KnownLink>,
}

impl Context {
    fn new(known: &KnownFacts) -> Self {
        let mut context = Context {
            entities: known.entities.iter().map(|e| (e.entity_id.clone(), e.country.clone())).collect(),
            vendors: HashMap::new(),
            vendor_entities: HashMap::new(),
            rejected: HashSet::new(),
            stored_stakes: HashMap::new(),
            stored_links: known.links.clone(),
        };
        for vendor in &known.vendors {
            context.vendors.insert(vendor.vendor_id.clone(), (vendor.entity_id.clone(), vendor.hq_country.clone()));
            context.vendor_entities.insert(vendor.entity_id.clone(), vendor.vendor_id.clone());
        }
        for stake in &known.stakes {
            context.stored_stakes.entry(stake.to_id.clone()).or_default().push((
                stake.from_id.clone(),
                stake.since.clone(),
                stake.until.clone(),
                stake.share,
            ));
        }
        context
    }

    /// The store's `same` links, less the pairs this import decides again.
    fn stored_same_links<'s>(&'s self, redecided: &'s HashSet<(&str, &str)>) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
        self.stored_links
            .iter()
            .filter(|l| l.same)
            .map(|l| (l.entity_id.as_str(), l.other_id.as_str()))
            .filter(|pair| !redecided.contains(pair))
    }

    /// The entity an id names: an entity id, or a vendor id standing for its vendor's entity.
    fn resolve_entity(&self, id: &str) -> Option<String> {
        if self.entities.contains_key(id) || self.vendor_entities.contains_key(id) {
            Some(id.to_string())
        } else {
            self.vendors.get(id).map(|(entity, _)| entity.clone())
        }
    }
}

/// A stored equity stake in a target: (holder, since, until, share or low point of its range).
type StoredStake = (String, Option<String>, Option<String>, f64);

/// After every table is read: a group of `same` links (the store's, less the pairs this import
/// re-decides, and the import's) that would hold two vendors' entities, which no link row of the
/// import caused (a vendor row moved an entity into a group, say), is reported at `(store):1::`.
fn check_vendor_groups(context: &Context, dataset: &Dataset, report: &mut Report) {
    let imported = dataset.rows(&tables::LINKS);
    fn pair(r: &[Value]) -> (&str, &str) {
        (r[0].as_str().unwrap_or_default(), r[1].as_str().unwrap_or_default())
    }
    let pairs: HashSet<(&str, &str)> = imported.iter().map(|r| pair(r)).collect();
    let mut groups = Groups::new(&context.vendor_entities);
    let new = imported.iter().filter(|r| r[2].as_str() == Some("same")).map(|r| pair(r));
    let mut seen = HashSet::new();
    for (a, b) in context.stored_same_links(&pairs).chain(new) {
        if let Err((va, vb)) = groups.join(a, b) {
            let (va, vb) = if va < vb { (va, vb) } else { (vb, va) };
            if seen.insert((va.clone(), vb.clone())) {
                report.error(
                    "(store)",
                    1,
                    "",
                    format!("stored links would make vendors {va:?} and {vb:?} one entity (through {a:?} and {b:?})"),
                );
            }
        }
    }
}

/// The rows of one table being read, with the per-table state of the rules.
struct TableReader<'a> {
    input: &'a Input,
    watch: &'a Watch<'a>,
    /// Set when the progress callback asked to stop.
    cancelled: bool,
    table: &'static Table,
    context: &'a mut Context,
    report: &'a mut Report,
    rows: Vec<Vec<Value>>,
    data_rows: u64,
    /// The names of the inputs read into this table so far (the current one last): a table may
    /// come from a Vetta file and from rows staged from published files in one import.
    names: Vec<String>,
    /// Key → (row index, where), for duplicates and for summing.
    keys: HashMap<Vec<KeyPart>, (usize, At)>,
    /// Dataset equity rows by target: (row index, where).
    stakes_by_target: HashMap<String, Vec<(usize, At)>>,
    /// Link rows in file order: (row index, where).
    links: Vec<(usize, At)>,
    /// Interned keys of a summed table.
    ledger: Ledger,
    ledger_columns: LedgerColumns,
}

/// Where a row is: the number of its input among the table's inputs, and its line.
type At = (usize, u64);

/// Column indices the ledger path needs on every row, looked up once.
struct LedgerColumns {
    /// The summed columns (`usize::MAX` where a table sums only one).
    summed: [usize; 2],
    source: usize,
    source_date: usize,
}

/// No table has more columns than this.
const MAX_COLUMNS: usize = 16;

/// Running sums of a summed table. Keys are interned and packed into one number and the sums kept
/// in the map's own entries: a ledger row whose key was seen before allocates nothing and costs
/// one hash-table probe, which matters when millions of rows hit hundreds of thousands of keys.
#[derive(Default)]
struct Ledger {
    vendors: Interner,
    countries: Interner,
    entries: HashMap<u64, LedgerEntry, FastHash>,
}

struct LedgerEntry {
    /// Index of the key's row in the table's rows.
    slot: usize,
    /// Whether the row has its source yet.
    sourced: bool,
    sums: [Sum; 2],
}

#[derive(Default)]
struct Interner(HashMap<String, u32, FastHash>);

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.0.get(name) {
            return id;
        }
        let id = self.0.len() as u32;
        self.0.insert(name.to_string(), id);
        id
    }
}

impl Ledger {
    /// (vendor, year, country, segment) in 64 bits: 32 for the vendor, 14 for the year (≤ 9999),
    /// 16 for the country and 2 for the segment.
    fn key(vendor: u32, year: i64, country: u32, segment: &str) -> u64 {
        let segment = model::SEGMENTS.iter().position(|s| *s == segment).unwrap_or(3) as u64;
        (vendor as u64) << 32 | (year as u64) << 18 | (country as u64 & 0xFFFF) << 2 | segment
    }

    /// Writes the sums into the rows.
    fn finish(&self, table: &Table, rows: &mut [Vec<Value>]) {
        for entry in self.entries.values() {
            for (column, sum) in table.summed.iter().zip(&entry.sums) {
                rows[entry.slot][table.index(column)] = match *sum {
                    Sum::Absent => Value::Null,
                    Sum::Real(x, _) => Value::Real(x),
                    Sum::Int(n) => Value::Int(n),
                };
            }
        }
    }
}

/// A running sum by key. Decimal sums are compensated (Kahan, the running error kept beside the
/// sum), as polars sums a group on the columnar path: a ledger gives the same facts on both.
#[derive(Debug, Clone, Copy)]
enum Sum {
    Absent,
    Real(f64, f64),
    Int(i64),
}

/// `sum + x` with Kahan compensation, exactly as polars' `KahanSum` adds (the error is kept only
/// while finite).
fn kahan_add((sum, err): (f64, f64), x: f64) -> (f64, f64) {
    let y = x - err;
    let next = sum + y;
    let next_err = (next - sum) - y;
    (next, if next_err.is_finite() { next_err } else { err })
}

/// FxHash (as in rustc) with a finaliser: the ledger's maps hash small keys millions of times, and SipHash's
/// protection against hash flooding buys nothing for a local file.
#[derive(Default, Clone, Copy)]
struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap()));
        }
        for &byte in chunks.remainder() {
            self.add(byte as u64);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    /// Ends with murmur3's 64-bit finaliser: FxHash alone leaves the low bits, which pick the
    /// bucket, depending only on the low bits of the key.
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    Null,
    Int(i64),
    Text(String),
}

impl<'a> TableReader<'a> {
    fn new(input: &'a Input, context: &'a mut Context, report: &'a mut Report, watch: &'a Watch<'a>) -> Self {
        TableReader {
            input,
            watch,
            cancelled: false,
            table: input.table,
            context,
            report,
            rows: Vec::new(),
            data_rows: 0,
            names: vec![input.name.clone()],
            keys: HashMap::new(),
            stakes_by_target: HashMap::new(),
            links: Vec::new(),
            ledger: Ledger::default(),
            ledger_columns: LedgerColumns {
                summed: [0, 1].map(|k| input.table.summed.get(k).map_or(usize::MAX, |c| input.table.index(c))),
                source: input.table.index("source"),
                source_date: input.table.index("source_date"),
            },
        }
    }

    fn error(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.report.error(&self.input.name, line, column, message);
    }

    /// An error at a row of any input of the table.
    fn error_at(&mut self, (input, line): At, column: &str, message: impl Into<String>) {
        self.report.error(&self.names[input], line, column, message);
    }

    /// Where a line of the current input is.
    fn at(&self, line: u64) -> At {
        (self.names.len() - 1, line)
    }

    /// Goes on with another input of the same table: keys, share sums and links span them all.
    fn next_input(&mut self, input: &'a Input) {
        debug_assert_eq!(input.table.name, self.table.name);
        self.input = input;
        self.names.push(input.name.clone());
        self.data_rows = 0;
    }

    /// Reads CSV text held in memory; the file's hash is the text's.
    fn read_text(&mut self, bytes: &[u8]) -> FileInfo {
        self.read_all(CsvReader::new(bytes));
        self.watch.add(bytes.len() as u64);
        FileInfo { name: self.input.name.clone(), table: self.table.name.into(), sha256: sha256_hex(bytes), rows: self.data_rows }
    }

    fn read_all(&mut self, mut records: impl Records) {
        let table = self.table;
        // The header: the first record that is not blank.
        let header: Vec<String>;
        let header_line;
        loop {
            match records.next_record() {
                None => {
                    self.error(1, "", "the file is empty (a header row is required)");
                    return;
                }
                Some(Err((line, problem))) => {
                    self.error(line, "", format!("header: {problem}"));
                    return;
                }
                Some(Ok(record)) if record.is_blank() => continue,
                Some(Ok(record)) => {
                    header_line = record.line;
                    header = (0..record.len()).map(|i| record.get(i).to_string()).collect();
                    break;
                }
            }
        }
        let mut header_ok = true;
        let mut positions: Vec<Option<usize>> = vec![None; table.columns.len()];
        for (field, name) in header.iter().enumerate() {
            if name.is_empty() {
                self.error(header_line, "", format!("header cell {} is empty", field + 1));
                header_ok = false;
            } else if header[..field].contains(name) {
                self.error(header_line, name, "column named twice");
                header_ok = false;
            } else if let Some(index) = table.columns.iter().position(|c| c.name == name) {
                positions[index] = Some(field);
            } else {
                self.report.warnings.push(format!("{}:{header_line}:{name}: unknown column, ignored", self.input.name));
            }
        }
        for (column, position) in table.columns.iter().zip(&positions) {
            if column.required && position.is_none() {
                self.error(header_line, column.name, "required column is missing");
                header_ok = false;
            }
        }
        if !header_ok {
            return;
        }
        while let Some(next) = records.next_record() {
            match next {
                Err((line, problem)) => {
                    let column = match problem {
                        CsvProblem::AfterClosingQuote { field }
                        | CsvProblem::UnclosedQuote { field }
                        | CsvProblem::InvalidUtf8 { field } => header.get(field).cloned().unwrap_or_default(),
                        CsvProblem::Io(_) => String::new(),
                    };
                    self.data_rows += 1;
                    self.error(line, &column, problem.to_string());
                }
                Ok(record) => {
                    if record.is_blank() {
                        continue;
                    }
                    self.data_rows += 1;
                    if self.data_rows.is_multiple_of(PROGRESS_EVERY) && !self.watch.go_on() {
                        self.cancelled = true;
                        return;
                    }
                    if record.len() != header.len() {
                        let message = format!("row has {} fields, header has {}", record.len(), header.len());
                        self.report.error(&self.input.name, record.line, "", message);
                        continue;
                    }
                    let line = record.line;
                    let mut cells = [""; MAX_COLUMNS];
                    for (cell, position) in cells.iter_mut().zip(&positions) {
                        *cell = position.map_or("", |i| record.get(i));
                    }
                    self.row(line, &cells[..positions.len()]);
                }
            }
        }
    }

    /// Checks one data row; keeps it if it passes.
    fn row(&mut self, line: u64, cells: &[&str]) {
        let table = self.table;
        let errors_before = self.report.error_count;
        let mut parsed = [Parsed::Absent; MAX_COLUMNS];
        for ((column, cell), slot) in table.columns.iter().zip(cells).zip(&mut parsed) {
            *slot = if cell.is_empty() {
                if column.required {
                    self.error(line, column.name, "a value is required");
                }
                Parsed::Absent
            } else {
                match parse_cell(column.kind, cell) {
                    Ok(value) => value,
                    Err(message) => {
                        self.error(line, column.name, message);
                        Parsed::Absent
                    }
                }
            };
        }
        let parsed = &mut parsed[..cells.len()];
        if !table.summed.is_empty() {
            self.ledger_row(line, parsed, errors_before);
            return;
        }
        let mut values: Vec<Value> = parsed.iter().map(|p| p.to_value()).collect();
        if self.report.error_count == errors_before {
            self.row_rules(line, &mut values);
        }
        self.references(line, &mut values);
        if self.report.error_count == errors_before {
            self.own_rules(line, &mut values);
        }
        if self.report.error_count != errors_before {
            if let Some(id_column) = table.columns.iter().position(|c| c.kind == Kind::Id) {
                self.context.rejected.insert(cells[id_column].to_string());
            }
            return;
        }
        self.keep(line, values);
    }

    /// A row of a summed table (sales, install base): the hot path of multi-million-row ledgers.
    /// The key is interned, so a row whose key was seen before allocates nothing.
    fn ledger_row(&mut self, line: u64, parsed: &mut [Parsed<'_>], errors_before: usize) {
        let table = self.table;
        let (vendor, year, country, segment) = (0, 1, 2, 3);
        if let Parsed::Text(id) = parsed[vendor]
            && !self.context.vendors.contains_key(id)
            && !self.context.rejected.contains(id)
        {
            self.error(line, table.columns[vendor].name, format!("{} is not a vendor in the dataset or the store", cells::quoted(id)));
        }
        if self.report.error_count != errors_before {
            return;
        }
        if matches!(parsed[segment], Parsed::Absent) {
            parsed[segment] = Parsed::Text("other");
        }
        let Parsed::Int(year_value) = parsed[year] else { return };
        let ledger = &mut self.ledger;
        let key = Ledger::key(
            ledger.vendors.intern(parsed[vendor].text()),
            year_value,
            ledger.countries.intern(parsed[country].text()),
            parsed[segment].text(),
        );
        let rows = &mut self.rows;
        let entry = ledger.entries.entry(key).or_insert_with(|| {
            rows.push(parsed.iter().map(|p| p.to_value()).collect());
            LedgerEntry { slot: rows.len() - 1, sourced: false, sums: [Sum::Absent; 2] }
        });
        for (k, &column) in self.ledger_columns.summed.iter().enumerate().filter(|&(_, &c)| c != usize::MAX) {
            let sum = &mut entry.sums[k];
            *sum = match (*sum, parsed[column]) {
                (Sum::Absent, Parsed::Real(x)) => Sum::Real(x, 0.0),
                (Sum::Absent, Parsed::Int(n)) => Sum::Int(n),
                (Sum::Real(a, err), Parsed::Real(b)) => {
                    let (sum, err) = kahan_add((a, err), b);
                    Sum::Real(sum, err)
                }
                (Sum::Int(a), Parsed::Int(b)) => match a.checked_add(b) {
                    Some(total) => Sum::Int(total),
                    None => {
                        self.report.error(&self.input.name, line, table.columns[column].name, "the sum over this key is above 2^63 − 1");
                        return;
                    }
                },
                (other, _) => other,
            };
        }
        // A key's source is the first one given among its rows.
        if !entry.sourced {
            let (source, source_date) = (self.ledger_columns.source, self.ledger_columns.source_date);
            if let Parsed::Text(_) = parsed[source] {
                let row = &mut rows[entry.slot];
                row[source] = parsed[source].to_value();
                row[source_date] = parsed[source_date].to_value();
                entry.sourced = true;
            }
        }
    }

    /// Defaults and rules that look at more than one cell.
    fn row_rules(&mut self, line: u64, values: &mut [Value]) {
        let table = self.table;
        let at = |name: &str| table.index(name);
        match table.name {
            "entities" if values[at("state_affiliated")].is_null() => {
                let state_body = values[at("kind")].as_str() == Some("state_body");
                values[at("state_affiliated")] = Value::Int(state_body as i64);
            }
            "vendors" => {
                if values[at("entity_id")].is_null() {
                    values[at("entity_id")] = values[at("vendor_id")].clone();
                }
                if values[at("mitigation")].is_null() {
                    values[at("mitigation")] = Value::Real(0.0);
                }
            }
            "ownership" => {
                if values[at("from_id")] == values[at("to_id")] {
                    self.error(line, "to_id", "an edge from an entity to itself is not allowed");
                }
                if values[at("relation")].as_str() == Some("equity") {
                    self.share_or_range(line, values);
                    values[at("tie_kind")] = Value::Null;
                    values[at("strength")] = Value::Null;
                    values[at("confidence")] = Value::Null;
                } else {
                    if values[at("tie_kind")].is_null() {
                        self.error(line, "tie_kind", "a tie row needs a tie_kind");
                    }
                    values[at("share")] = Value::Null;
                    values[at("share_min")] = Value::Null;
                    values[at("share_max")] = Value::Null;
                    for column in ["strength", "confidence"] {
                        if values[at(column)].is_null() {
                            values[at(column)] = Value::Real(1.0);
                        }
                    }
                }
                self.date_order(line, values, "since", "until");
            }
            "designations" => {
                self.date_order(line, values, "effective", "ends");
                if values[at("effective_precision")].as_str() == Some("exact") {
                    values[at("effective_precision")] = Value::Null;
                }
            }
            "identifiers" => {
                let value = values[at("value")].as_str().unwrap_or_default();
                if value.len() > 256 {
                    self.error(line, "value", format!("an identifier is at most 256 bytes, this one is {}", value.len()));
                } else if values[at("scheme")].as_str() == Some("LEI")
                    && let Err(message) = cells::lei(value)
                {
                    self.error(line, "value", message);
                }
            }
            "aliases" if values[at("kind")].is_null() => values[at("kind")] = Value::Text("aka".into()),
            _ => {}
        }
    }

    /// An equity row's `share`, or its range: `share` with a range column is an error, a range with
    /// one bound takes 0 or 1 for the other, and `share_min > share_max` is an error.
    fn share_or_range(&mut self, line: u64, values: &mut [Value]) {
        let at = |name: &str| self.table.index(name);
        let (share, min, max) = (at("share"), at("share_min"), at("share_max"));
        let ranged = !values[min].is_null() || !values[max].is_null();
        if !values[share].is_null() {
            if ranged {
                let column = if values[min].is_null() { "share_max" } else { "share_min" };
                self.error(line, column, "give either share or a range (share_min, share_max), not both");
            }
            return;
        }
        if !ranged {
            self.error(line, "share", "an equity row needs a share or a range (share_min, share_max)");
            return;
        }
        if values[min].is_null() {
            values[min] = Value::Real(0.0);
        }
        if values[max].is_null() {
            values[max] = Value::Real(1.0);
        }
        let (low, high) = (values[min].as_f64().unwrap_or(0.0), values[max].as_f64().unwrap_or(1.0));
        if low > high {
            self.error(line, "share_max", format!("share_max {high} is below share_min {low}"));
        }
    }

    fn date_order(&mut self, line: u64, values: &[Value], first: &str, last: &str) {
        let (Some(a), Some(b)) = (values[self.table.index(first)].as_str(), values[self.table.index(last)].as_str()) else {
            return;
        };
        if b < a {
            self.error(line, last, format!("{last} {b} is before {first} {a}"));
        }
    }

    /// Resolves references, rewriting vendor ids to the ids of their entities.
    fn references(&mut self, line: u64, values: &mut [Value]) {
        let table = self.table;
        for (index, column) in table.columns.iter().enumerate() {
            let Some(id) = values[index].as_str() else { continue };
            match column.kind {
                Kind::EntityRef => match self.context.resolve_entity(id) {
                    Some(entity) => values[index] = Value::Text(entity),
                    None if self.context.rejected.contains(id) => {}
                    None => {
                        let message = format!("{} is not an entity or vendor in the dataset or the store", cells::quoted(id));
                        self.error(line, column.name, message);
                    }
                },
                Kind::VendorRef if !self.context.vendors.contains_key(id) && !self.context.rejected.contains(id) => {
                    let message = format!("{} is not a vendor in the dataset or the store", cells::quoted(id));
                    self.error(line, column.name, message);
                }
                _ => {}
            }
        }
    }

    /// Rules of a row that passed every other check and that earlier ids depend on.
    fn own_rules(&mut self, line: u64, values: &mut [Value]) {
        match self.table.name {
            "links" => {
                // Ids are compared after a vendor id is resolved to its entity; the pair is stored in
                // byte order (the key is the unordered pair).
                if values[0] == values[1] {
                    self.error(
                        line,
                        "other_id",
                        "a link of an entity to itself is not allowed (a vendor and its own entity are one entity)",
                    );
                } else if values[0].as_str().unwrap_or_default().as_bytes() > values[1].as_str().unwrap_or_default().as_bytes() {
                    values.swap(0, 1);
                }
            }
            "entities" => {
                let id = values[0].as_str().unwrap_or_default().to_string();
                let country = values[self.table.index("country")].as_str().unwrap_or_default().to_string();
                self.context.entities.insert(id, country);
            }
            "vendors" => self.vendor_rules(line, values),
            _ => {}
        }
    }

    fn vendor_rules(&mut self, line: u64, values: &[Value]) {
        let table = self.table;
        let text = |name: &str| values[table.index(name)].as_str().unwrap_or_default().to_string();
        let (vendor_id, entity_id, hq_country) = (text("vendor_id"), text("entity_id"), text("hq_country"));
        let errors_before = self.report.error_count;
        if entity_id != vendor_id
            && (self.context.entities.contains_key(&vendor_id)
                || self.context.vendor_entities.get(&vendor_id).is_some_and(|owner| *owner != vendor_id))
        {
            self.error(line, "vendor_id", format!("{vendor_id:?} is the id of another entity, but this vendor's entity is {entity_id:?}"));
        }
        if let Some(owner) = self.context.vendor_entities.get(&entity_id).filter(|owner| **owner != vendor_id) {
            let message = format!("entity {entity_id:?} is already the entity of vendor {owner:?}");
            self.error(line, "entity_id", message);
        }
        if let Some(country) = self.context.entities.get(&entity_id).filter(|country| **country != hq_country) {
            let message = format!("hq_country {hq_country} differs from the country {country} of entity {entity_id:?}");
            self.error(line, "hq_country", message);
        }
        if self.report.error_count != errors_before {
            self.context.rejected.insert(vendor_id);
            return;
        }
        if let Some((old_entity, _)) = self.context.vendors.get(&vendor_id) {
            self.context.vendor_entities.remove(&old_entity.clone());
        }
        self.context.vendor_entities.insert(entity_id.clone(), vendor_id.clone());
        self.context.vendors.insert(vendor_id, (entity_id, hq_country));
    }

    /// Keeps a valid row of a table whose keys must be unique: a repeated key is an error.
    fn keep(&mut self, line: u64, values: Vec<Value>) {
        let table = self.table;
        let key: Vec<KeyPart> = table
            .key_indices()
            .into_iter()
            .map(|i| match &values[i] {
                Value::Null => KeyPart::Null,
                Value::Int(n) => KeyPart::Int(*n),
                Value::Text(t) => KeyPart::Text(t.clone()),
                Value::Real(x) => KeyPart::Text(x.to_string()),
            })
            .collect();
        let at = self.at(line);
        if let Some(&(_, (first_input, first_line))) = self.keys.get(&key) {
            let first =
                if first_input == at.0 { format!("line {first_line}") } else { format!("{}:{first_line}", self.names[first_input]) };
            let message = format!("the key ({}) repeats {first}", table.key.join(", "));
            self.error(line, table.repeat_at, message);
            return;
        }
        if table.name == "links" {
            self.links.push((self.rows.len(), at));
        }
        if table.name == "ownership" && values[table.index("relation")].as_str() == Some("equity") {
            let target = values[table.index("to_id")].as_str().unwrap_or_default().to_string();
            self.stakes_by_target.entry(target).or_default().push((self.rows.len(), at));
        }
        self.keys.insert(key, (self.rows.len(), at));
        self.rows.push(values);
    }

    /// The share-sum rule, checked once the whole ownership file is read: stored stakes (less those
    /// this import replaces) plus this file's rows in order; the error goes to the row where the
    /// running sum first exceeds 1 + 1e-6.
    fn check_share_sums(&mut self) {
        let table = self.table;
        let (from, since, until) = (table.index("from_id"), table.index("since"), table.index("until"));
        // The rule holds for the low points: `share`, or `share_min` of a range.
        let (share, share_min) = (table.index("share"), table.index("share_min"));
        let mut targets: Vec<(&String, &Vec<(usize, At)>)> = self.stakes_by_target.iter().collect();
        targets.sort();
        let mut errors = Vec::new();
        for (target, rows) in targets {
            let replaced: HashSet<(&str, Option<&str>)> =
                rows.iter().map(|&(i, _)| (self.rows[i][from].as_str().unwrap_or_default(), self.rows[i][since].as_str())).collect();
            let mut stakes: Vec<shares::Stake> = self
                .context
                .stored_stakes
                .get(target)
                .into_iter()
                .flatten()
                .filter(|(from_id, since, _, _)| !replaced.contains(&(from_id.as_str(), since.as_deref())))
                .map(|(_, since, until, share)| shares::Stake { since: since.as_deref(), until: until.as_deref(), share: *share })
                .collect();
            for &(i, line) in rows {
                let row = &self.rows[i];
                let low = row[share].as_f64().or(row[share_min].as_f64()).unwrap_or(0.0);
                let stake = shares::Stake { since: row[since].as_str(), until: row[until].as_str(), share: low };
                stakes.push(stake);
                let (total, date) = shares::peak_within(&stakes, &stake);
                if shares::exceeds(total) {
                    let on = date.map_or("from the start".to_string(), |d| format!("on {d}"));
                    let column = if row[share].is_null() { "share_min" } else { "share" };
                    errors.push((line, format!("equity shares held in {target:?} sum to {total} {on}, above 1"), column));
                    break;
                }
            }
        }
        errors.sort();
        for (at, message, column) in errors {
            self.error_at(at, column, message);
        }
    }

    /// The `same` groups, once the whole links file is read: the store's links (less those this
    /// import replaces) and then this file's in order; the first row that joins two vendors' groups
    /// is an error at `other_id`. A `different` link inside one group is a warning.
    fn check_links(&mut self) {
        let links = std::mem::take(&mut self.links);
        let pair = |row: &Vec<Value>| (row[0].as_str().unwrap_or_default().to_string(), row[1].as_str().unwrap_or_default().to_string());
        let pairs: HashSet<(&str, &str)> = links
            .iter()
            .map(|&(i, _)| (self.rows[i][0].as_str().unwrap_or_default(), self.rows[i][1].as_str().unwrap_or_default()))
            .collect();
        let mut groups = Groups::new(&self.context.vendor_entities);
        for (a, b) in self.context.stored_same_links(&pairs) {
            // A conflict among stored links alone is the store's, reported after all files are read.
            let _ = groups.join(a, b);
        }
        let mut errors = Vec::new();
        for &(i, line) in &links {
            let (a, b) = pair(&self.rows[i]);
            if self.rows[i][2].as_str() == Some("same")
                && let Err((va, vb)) = groups.join(&a, &b)
            {
                errors.push((line, format!("this link would make vendors {va:?} and {vb:?} one entity (through {a:?} and {b:?})")));
            }
        }
        for &(i, line) in &links {
            let (a, b) = pair(&self.rows[i]);
            if self.rows[i][2].as_str() == Some("different") && groups.find(&a) == groups.find(&b) {
                self.report
                    .warnings
                    .push(format!("{}:{}:other_id: {a:?} and {b:?} are one entity by other `same` links", self.names[line.0], line.1));
            }
        }
        self.links = links;
        for (at, message) in errors {
            self.error_at(at, "other_id", message);
        }
    }

    fn finish(mut self) -> TableRows {
        if self.table.name == "ownership" {
            self.check_share_sums();
        }
        if self.table.name == "links" {
            self.check_links();
        }
        if !self.table.summed.is_empty() {
            self.ledger.finish(self.table, &mut self.rows);
        }
        TableRows { table: self.table, rows: std::mem::take(&mut self.rows) }
    }
}

/// A checked cell, still borrowing the record's text.
#[derive(Debug, Clone, Copy)]
enum Parsed<'a> {
    Absent,
    Text(&'a str),
    Int(i64),
    Real(f64),
}

impl<'a> Parsed<'a> {
    fn text(self) -> &'a str {
        if let Parsed::Text(text) = self { text } else { "" }
    }

    fn to_value(self) -> Value {
        match self {
            Parsed::Absent => Value::Null,
            Parsed::Text(text) => Value::Text(text.to_string()),
            Parsed::Int(n) => Value::Int(n),
            Parsed::Real(x) => Value::Real(x),
        }
    }
}

/// Whether a cell passes its column's cell rule (data-formats.md), for rows staged from published
/// files before they are read as CSV.
pub fn check_cell(kind: Kind, cell: &str) -> cells::CellResult<()> {
    parse_cell(kind, cell).map(|_| ())
}

fn parse_cell(kind: Kind, cell: &str) -> cells::CellResult<Parsed<'_>> {
    Ok(match kind {
        Kind::Id | Kind::EntityRef | Kind::VendorRef => Parsed::Text(cells::id(cell)?),
        Kind::Text => Parsed::Text(cells::text(cell)?),
        Kind::Country => Parsed::Text(cells::country(cell)?),
        Kind::Date => Parsed::Text(cells::date(cell)?),
        Kind::Year => Parsed::Int(cells::year(cell)?),
        Kind::Count => Parsed::Int(cells::integer(cell)?),
        Kind::IntRange(min, max) => Parsed::Int(cells::integer_in(cell, min, max)?),
        Kind::Decimal(min, max) => Parsed::Real(cells::decimal_in(cell, min, max)?),
        Kind::Word(words) => Parsed::Text(cells::word(cell, words)?),
        Kind::Bool => Parsed::Int((cells::word(cell, model::BOOLEANS)? == "true") as i64),
        Kind::Grade => Parsed::Text(cells::word(cell, &["A", "B", "C", "D", "E", "F"])?),
        Kind::Scheme => Parsed::Text(cells::scheme(cell)?),
    })
}
