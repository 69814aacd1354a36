//! Ledgers (sales, install base) through polars: the whole file as text columns, the cell rules as
//! vectorised expressions, the sum by key as a polars group-by.
//!
//! The streaming reader stays the authority on what a valid file is and where an error is. A CSV
//! ledger takes this path only when a first pass (which also hashes the file) finds it plain: no
//! quote character, no byte-order mark, lone carriage return or blank line, every line with the
//! header's number of fields. Any row this path cannot accept, any unknown vendor or key value,
//! sends the file back to the streaming reader, which reports each error at `file:line:column`
//! (physical lines) exactly as before. A Parquet ledger has no lines: its errors are reported here,
//! at `file:row:column` (row 1 is the first data row), with the streaming reader's messages.
//!
//! Sums of decimal columns are compensated (Kahan) in file order on both paths, so a ledger gives
//! the same facts as CSV, as Parquet and through either reader.

use std::path::Path;

use polars::prelude::*;

use super::tables::{Kind, Table};
use super::{Cancelled, Context, FileInfo, Report, TableRows, Watch, cells, hash_chunks, parse_cell};
use crate::model::Value;

/// What the columnar path did with a ledger.
pub(super) enum Outcome {
    /// The file's rows, summed by key.
    Read(TableRows, FileInfo),
    /// The file is for the streaming reader (not plain, or not valid).
    Stream,
    /// A Parquet ledger with errors, reported.
    Rejected(FileInfo),
}

/// `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?` — the decimal grammar of data-formats.md.
const DECIMAL: &str = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$";
const DIGITS: &str = r"^[0-9]+$";
const ID: &str = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";
const DATE_SHAPE: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// Reads a ledger through polars: a `.csv` when it is plain, a `.parquet` always. Progress: the
/// first pass counts for half the file's bytes, the rest comes when the sums are done; a CSV sent
/// to the streaming reader gives its first-pass bytes back (that reader counts them again).
pub(super) fn read_ledger(
    table: &'static Table,
    name: &str,
    path: &Path,
    size: u64,
    context: &Context,
    report: &mut Report,
    watch: &Watch,
) -> Result<Outcome, Cancelled> {
    let added = std::cell::Cell::new(0u64);
    let mut on_chunk = |bytes: u64| {
        let half = bytes / 2;
        watch.add(half);
        added.set(added.get() + half);
        watch.go_on()
    };
    let outcome = read(table, name, path, context, report, &mut on_chunk);
    match outcome {
        Err(Cancelled) => Err(Cancelled),
        Ok(Outcome::Stream) => {
            watch.read.fetch_sub(added.get(), std::sync::atomic::Ordering::Relaxed);
            Ok(Outcome::Stream)
        }
        Ok(done) => {
            watch.add(size.saturating_sub(added.get()));
            Ok(done)
        }
    }
}

fn read(
    table: &'static Table,
    name: &str,
    path: &Path,
    context: &Context,
    report: &mut Report,
    on_chunk: &mut dyn FnMut(u64) -> bool,
) -> Result<Outcome, Cancelled> {
    let parquet = name.ends_with(".parquet");
    let info = |sha256: String, rows: u64| FileInfo { name: name.to_string(), table: table.name.into(), sha256, rows };
    let (header, sha256) = if parquet {
        match std::fs::read(path) {
            Ok(bytes) => (None, super::sha256_hex(&bytes)),
            Err(error) => {
                report.error(name, 1, "", format!("cannot open: {error}"));
                return Ok(Outcome::Rejected(info(String::new(), 0)));
            }
        }
    } else {
        match plain_csv(path, on_chunk)? {
            Some((header, sha256)) => (Some(header), sha256),
            None => return Ok(Outcome::Stream),
        }
    };
    let Some(path_text) = path.to_str() else {
        if parquet {
            report.error(name, 1, "", "a Parquet ledger's path must be valid UTF-8");
            return Ok(Outcome::Rejected(info(sha256, 0)));
        }
        return Ok(Outcome::Stream);
    };
    let frame = if parquet {
        LazyFrame::scan_parquet(PlRefPath::new(path_text), ScanArgsParquet::default())
    } else {
        LazyCsvReader::new(PlRefPath::new(path_text)).with_has_header(true).with_infer_schema_length(Some(0)).finish()
    };
    let Ok(mut frame) = frame else {
        if parquet {
            report.error(name, 1, "", "not a Parquet file polars can read");
            return Ok(Outcome::Rejected(info(sha256, 0)));
        }
        return Ok(Outcome::Stream);
    };
    let names: Vec<String> = match (&header, frame.collect_schema()) {
        (Some(header), _) => header.clone(),
        (None, Ok(schema)) => schema.iter_names().map(|n| n.to_string()).collect(),
        (None, Err(_)) => {
            report.error(name, 1, "", "not a Parquet file polars can read");
            return Ok(Outcome::Rejected(info(sha256, 0)));
        }
    };
    // The header's rules: the streaming reader reports them (a Parquet file here).
    let mut header_ok = true;
    for (i, column) in names.iter().enumerate() {
        if column.is_empty() || names[..i].contains(column) {
            header_ok = false;
        } else if !table.columns.iter().any(|c| c.name == column) {
            report.warnings.push(format!("{name}:1:{column}: unknown column, ignored"));
        }
    }
    for column in table.columns.iter().filter(|c| c.required) {
        if !names.iter().any(|n| n == column.name) {
            if parquet {
                report.error(name, 1, column.name, "a required column is missing");
            }
            header_ok = false;
        }
    }
    if !header_ok {
        return Ok(if parquet { Outcome::Rejected(info(sha256, 0)) } else { Outcome::Stream });
    }
    let given = |column: &str| names.iter().any(|n| n == column);
    // Every column the table has, as text (a missing optional column is all null).
    let text_columns: Vec<Expr> = table
        .columns
        .iter()
        .map(|c| if given(c.name) { col(c.name).cast(DataType::String) } else { lit(NULL).cast(DataType::String).alias(c.name) })
        .collect();
    frame = frame.select(text_columns);
    Ok(match summed(table, frame, parquet) {
        Ok(Summed::Rows(rows, count)) => match key_values_valid(table, &rows, context) {
            true => Outcome::Read(TableRows { table, rows }, info(sha256, count)),
            false if parquet => {
                report_parquet_keys(table, name, path_text, context, report);
                Outcome::Rejected(info(sha256, count))
            }
            false => Outcome::Stream,
        },
        Ok(Summed::Invalid) if parquet => {
            report_parquet_cells(table, name, path_text, report);
            Outcome::Rejected(info(sha256, 0))
        }
        Ok(Summed::Invalid) | Err(_) if !parquet => Outcome::Stream,
        Ok(Summed::Invalid) | Err(_) => {
            report.error(name, 1, "", "polars could not read this Parquet file");
            Outcome::Rejected(info(sha256, 0))
        }
    })
}

/// One pass over a CSV file: its SHA-256, and its header when the file is plain (see the module
/// comment); `None` otherwise.
fn plain_csv(path: &Path, on_chunk: &mut dyn FnMut(u64) -> bool) -> Result<Option<(Vec<String>, String)>, Cancelled> {
    Ok(plain_csv_inner(path, on_chunk)?.ok())
}

/// [`plain_csv`], with `Err(())` for "not plain" so `?` reads well. The hash runs beside the scan
/// ([`hash_chunks`]).
fn plain_csv_inner(path: &Path, on_chunk: &mut dyn FnMut(u64) -> bool) -> Result<Result<(Vec<String>, String), ()>, Cancelled> {
    let Ok(mut file) = std::fs::File::open(path) else { return Ok(Err(())) };
    let mut scan = PlainScan::default();
    let mut cancelled = false;
    // 1 MB chunks: progress stays fine-grained (a few reports for a few megabytes).
    let hashed = hash_chunks(&mut file, 1 << 20, |chunk| {
        let plain = scan.chunk(chunk);
        cancelled = !on_chunk(chunk.len() as u64);
        plain && !cancelled
    });
    if cancelled {
        return Err(Cancelled);
    }
    let Ok(Some(sha256)) = hashed else { return Ok(Err(())) };
    let Some(header) = scan.finish() else { return Ok(Err(())) };
    Ok(Ok((header, sha256)))
}

/// The state of [`plain_csv`]'s scan between chunks.
struct PlainScan {
    header: Vec<u8>,
    in_header: bool,
    expected_commas: usize,
    commas: usize,
    line_len: usize,
    previous: u8,
    first: bool,
}

impl Default for PlainScan {
    fn default() -> Self {
        PlainScan { header: Vec::new(), in_header: true, expected_commas: 0, commas: 0, line_len: 0, previous: b'\n', first: true }
    }
}

impl PlainScan {
    /// Scans a chunk; `false` as soon as the file is not plain.
    fn chunk(&mut self, chunk: &[u8]) -> bool {
        if std::mem::take(&mut self.first) && chunk.starts_with(b"\xEF\xBB\xBF") {
            return false;
        }
        if memchr::memchr(b'"', chunk).is_some() {
            return false;
        }
        // A carriage return that ended the last chunk must be followed by the line feed.
        if self.previous == b'\r' && chunk[0] != b'\n' {
            return false;
        }
        let mut start = 0;
        for at in memchr::memchr2_iter(b',', b'\n', chunk) {
            if chunk[at] == b',' {
                self.commas += 1;
                continue;
            }
            let line = &chunk[start..at];
            self.line_len += line.len();
            if self.in_header {
                self.header.extend_from_slice(line);
            }
            // A lone carriage return, or one not right before the line feed, is not plain.
            let cr_inside = memchr::memchr(b'\r', line).is_some_and(|i| i + 1 != line.len());
            let ends_cr = line.last() == Some(&b'\r') || (line.is_empty() && self.previous == b'\r');
            let content = self.line_len - usize::from(ends_cr);
            if cr_inside || content == 0 {
                return false;
            }
            if self.in_header {
                self.in_header = false;
                self.expected_commas = self.commas;
            } else if self.commas != self.expected_commas {
                return false;
            }
            self.commas = 0;
            self.line_len = 0;
            start = at + 1;
        }
        let rest = &chunk[start..];
        if memchr::memchr(b'\r', rest).is_some_and(|i| i + 1 != rest.len()) {
            return false;
        }
        self.line_len += rest.len();
        if self.in_header {
            self.header.extend_from_slice(rest);
        }
        self.previous = chunk[chunk.len() - 1];
        true
    }

    /// The header, when the whole file was plain.
    fn finish(mut self) -> Option<Vec<String>> {
        // The last line, when the file does not end with a line feed.
        if self.line_len > 0 {
            if self.in_header {
                self.in_header = false;
                self.expected_commas = self.commas;
            }
            let ends_cr = self.previous == b'\r';
            if self.line_len - usize::from(ends_cr) == 0 || self.commas != self.expected_commas {
                return None;
            }
        }
        if self.in_header {
            return None;
        }
        let header = String::from_utf8(self.header).ok()?;
        Some(header.trim_end_matches('\r').split(',').map(str::to_string).collect())
    }
}

enum Summed {
    Rows(Vec<Vec<Value>>, u64),
    /// Some cell breaks its rule.
    Invalid,
}

/// Whether each row's cells pass their rules, as one boolean expression per column (true where the
/// cell is fine). Key columns' values other than their shape (a vendor that exists, a country code)
/// are checked once per key after the sum. `per_row`: every rule on every row, to name the cells
/// that break them; otherwise a vendor's id is only checked once per key, where it must name a
/// vendor (whose id passed the id rule when it was read).
fn cell_ok(table: &Table, per_row: bool) -> Vec<(usize, Expr)> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let c = || col(column.name);
            let present = match column.kind {
                Kind::VendorRef if !per_row && table.key.contains(&column.name) => c().str().len_bytes().gt(lit(0u32)),
                Kind::VendorRef | Kind::Id | Kind::EntityRef => c().str().contains(lit(ID), true),
                Kind::Year => {
                    c().str().contains(lit(DIGITS), true).and(c().cast(DataType::Int64).is_between(lit(1), lit(9999), ClosedInterval::Both))
                }
                Kind::Count => c().str().contains(lit(DIGITS), true).and(c().cast(DataType::Int64).is_not_null()),
                Kind::Decimal(min, max) => {
                    let value = c().cast(DataType::Float64);
                    c().str()
                        .contains(lit(DECIMAL), true)
                        .and(value.clone().is_finite())
                        .and(value.clone().gt_eq(lit(min)))
                        .and(value.lt_eq(lit(max)))
                }
                Kind::Date => date_ok(c()),
                Kind::Text => c().str().len_bytes().lt_eq(lit(1u32 << 20)),
                // Countries and words are checked per key, where the streaming reader's own rule runs.
                Kind::Country | Kind::Word(_) => c().str().len_bytes().gt(lit(0u32)),
                _ => lit(false),
            };
            // A rule that cannot be evaluated (null inside) is a broken rule, never a pass.
            let present = present.fill_null(lit(false));
            let ok = if column.required { c().is_not_null().and(present) } else { c().is_null().or(present) };
            (i, ok)
        })
        .collect()
}

/// `YYYY-MM-DD`, a real calendar date, year not 0000: the shape by pattern, the calendar by
/// arithmetic on its parts.
fn date_ok(c: Expr) -> Expr {
    let part = |offset: i64, length: u64| c.clone().str().slice(lit(offset), lit(length)).cast(DataType::Int32);
    let (year, month, day) = (part(0, 4), part(5, 2), part(8, 2));
    let leap = (year.clone() % lit(4)).eq(lit(0)).and((year.clone() % lit(100)).neq(lit(0)).or((year.clone() % lit(400)).eq(lit(0))));
    let thirty = month.clone().eq(lit(4)).or(month.clone().eq(lit(6))).or(month.clone().eq(lit(9))).or(month.clone().eq(lit(11)));
    let days =
        when(month.clone().eq(lit(2))).then(when(leap).then(lit(29)).otherwise(lit(28))).when(thirty).then(lit(30)).otherwise(lit(31));
    c.clone()
        .str()
        .contains(lit(DATE_SHAPE), true)
        .and(year.gt_eq(lit(1)))
        .and(month.clone().is_between(lit(1), lit(12), ClosedInterval::Both))
        .and(day.clone().gt_eq(lit(1)))
        .and(day.lt_eq(days))
}

/// The group-by: every key with its sums, its source and the number of rows; `Invalid` when a
/// cell breaks its rule.
fn summed(table: &Table, frame: LazyFrame, parquet: bool) -> PolarsResult<Summed> {
    let oks = cell_ok(table, false);
    let all_ok = oks.iter().map(|(_, e)| e.clone()).reduce(|a, b| a.and(b)).unwrap_or(lit(true));
    let key_names: Vec<&str> = table.key.to_vec();
    let segment_default = table.columns.iter().any(|c| c.name == "segment");
    let mut frame = frame.with_column(all_ok.alias("__ok"));
    if segment_default {
        frame = frame.with_column(col("segment").fill_null(lit("other")));
    }
    let keys: Vec<Expr> = key_names
        .iter()
        .map(|k| match table.columns[table.index(k)].kind {
            Kind::Year => col(*k).cast(DataType::Int64),
            _ => col(*k),
        })
        .collect();
    let mut aggs: Vec<Expr> = vec![col("__ok").not().cast(DataType::UInt32).sum().alias("__bad"), len().alias("__rows")];
    for summed in table.summed {
        let kind = table.columns[table.index(summed)].kind;
        match kind {
            Kind::Count => {
                aggs.push(col(*summed).cast(DataType::Int64).sum().alias(*summed));
                // Counts are digits only: a total beyond 2^63 − 1 shows in the float sum.
                aggs.push(col(*summed).cast(DataType::Float64).sum().alias(format!("__{summed}_f")));
                aggs.push(col(*summed).is_not_null().any(true).alias(format!("__{summed}_given")));
            }
            _ => {
                aggs.push(col(*summed).cast(DataType::Float64).sum().alias(*summed));
                aggs.push(col(*summed).is_not_null().any(true).alias(format!("__{summed}_given")));
            }
        }
    }
    let sourced = col("source").is_not_null();
    aggs.push(col("source").drop_nulls().first().alias("source"));
    aggs.push(
        when(sourced.clone().any(true))
            .then(col("source_date").filter(sourced).first())
            .otherwise(col("source_date").first())
            .alias("source_date"),
    );
    let _ = parquet;
    // Sorted by key, the order the store writes in (text by bytes, years as numbers), so its sort
    // finds one run.
    let grouped = frame.group_by(keys).agg(aggs).sort(key_names.clone(), SortMultipleOptions::default()).collect()?;
    let bad: u64 = grouped.column("__bad")?.as_materialized_series().sum::<u64>().unwrap_or(0);
    if bad > 0 {
        return Ok(Summed::Invalid);
    }
    let count: u64 = grouped.column("__rows")?.as_materialized_series().sum::<u64>().unwrap_or(0);
    let height = grouped.height();
    let mut rows: Vec<Vec<Value>> = vec![Vec::with_capacity(table.columns.len()); height];
    for column in table.columns {
        let series = grouped.column(column.name)?.as_materialized_series().clone();
        let given = if table.summed.contains(&column.name) {
            Some(grouped.column(&format!("__{}_given", column.name))?.bool()?.clone())
        } else {
            None
        };
        match column.kind {
            Kind::Year | Kind::Count => {
                if column.kind == Kind::Count {
                    let floats = grouped.column(&format!("__{}_f", column.name))?.f64()?.clone();
                    if floats.iter().flatten().any(|x| x > i64::MAX as f64 / 2.0) {
                        return Ok(Summed::Invalid);
                    }
                }
                let values = series.i64()?;
                for (row, (value, given)) in rows.iter_mut().zip(values.iter().zip(given_iter(&given, height))) {
                    row.push(match (value, given) {
                        (Some(v), true) => Value::Int(v),
                        _ => Value::Null,
                    });
                }
            }
            Kind::Decimal(..) if table.summed.contains(&column.name) => {
                let values = series.f64()?;
                for (row, (value, given)) in rows.iter_mut().zip(values.iter().zip(given_iter(&given, height))) {
                    row.push(match (value, given) {
                        (Some(v), true) => Value::Real(v),
                        _ => Value::Null,
                    });
                }
            }
            _ => {
                let values = series.str()?;
                // Key columns repeat a few values many times: each is parsed once.
                let mut parsed: std::collections::HashMap<&str, Value> = std::collections::HashMap::new();
                for (row, value) in rows.iter_mut().zip(values.iter()) {
                    let Some(text) = value else {
                        row.push(Value::Null);
                        continue;
                    };
                    if let Some(value) = parsed.get(text) {
                        row.push(value.clone());
                        continue;
                    }
                    let value = match parse_cell(column.kind, text) {
                        Ok(parsed) => parsed.to_value(),
                        // A country or word that breaks its rule is kept as text here and
                        // found by `key_values_valid`, which names the key.
                        Err(_) if matches!(column.kind, Kind::Country | Kind::Word(_)) => Value::Text(text.to_string()),
                        Err(_) => return Ok(Summed::Invalid),
                    };
                    if parsed.len() < 4096 {
                        parsed.insert(text, value.clone());
                    }
                    row.push(value);
                }
            }
        }
    }
    Ok(Summed::Rows(rows, count))
}

fn given_iter<'a>(given: &'a Option<BooleanChunked>, height: usize) -> Box<dyn Iterator<Item = bool> + 'a> {
    match given {
        Some(given) => Box::new(given.iter().map(|g| g.unwrap_or(false))),
        None => Box::new(std::iter::repeat_n(true, height)),
    }
}

/// The key values the streaming reader checks with the store's context: vendors that exist (and
/// were not rejected), countries and words by their own rules. Checked once per key.
fn key_values_valid(table: &Table, rows: &[Vec<Value>], context: &Context) -> bool {
    rows.iter().all(|row| {
        table.columns.iter().zip(row).all(|(column, value)| match (column.kind, value) {
            (Kind::VendorRef, Value::Text(id)) => context.vendors.contains_key(id) && !context.rejected.contains(id),
            (Kind::Country, Value::Text(code)) => cells::country(code).is_ok(),
            (Kind::Word(words), Value::Text(word)) => words.contains(&word.as_str()),
            _ => true,
        })
    })
}

/// A rejected Parquet ledger: the first rows whose cells break a rule, at `file:row:column` with
/// the streaming reader's messages.
fn report_parquet_cells(table: &Table, name: &str, path: &str, report: &mut Report) {
    let before = report.error_count;
    report_parquet_cells_found(table, name, path, report);
    if report.error_count == before {
        report.error(name, 1, "", "polars could not read this Parquet file");
    }
}

/// Every column of the table as text (a column the file lacks is all null).
fn parquet_text(table: &Table, path: &str) -> PolarsResult<LazyFrame> {
    let mut frame = LazyFrame::scan_parquet(PlRefPath::new(path), ScanArgsParquet::default())?;
    let schema = frame.collect_schema()?;
    let texts: Vec<Expr> = table
        .columns
        .iter()
        .map(|c| if schema.contains(c.name) { col(c.name).cast(DataType::String) } else { lit(NULL).cast(DataType::String).alias(c.name) })
        .collect();
    Ok(frame.select(texts))
}

fn report_parquet_cells_found(table: &Table, name: &str, path: &str, report: &mut Report) {
    let Ok(frame) = parquet_text(table, path) else { return };
    let mut checks: Vec<Expr> = Vec::new();
    for (i, ok) in cell_ok(table, true) {
        checks.push(ok.alias(format!("__ok{i}")));
    }
    let all_ok = (0..table.columns.len()).map(|i| col(format!("__ok{i}"))).reduce(|a, b| a.and(b)).unwrap_or(lit(true));
    let Ok(bad) = frame
        .with_row_index("__row", Some(1))
        .with_column(col("__row").cast(DataType::UInt64))
        .with_columns(checks)
        .filter(all_ok.not())
        .limit(super::MAX_ERRORS as IdxSize)
        .collect()
    else {
        report.error(name, 1, "", "polars could not read this Parquet file");
        return;
    };
    let Ok(rows) = bad.column("__row").and_then(|c| c.u64().cloned()) else { return };
    for (index, row) in rows.iter().enumerate() {
        let row = row.unwrap_or(0);
        for (i, column) in table.columns.iter().enumerate() {
            let ok = bad.column(&format!("__ok{i}")).ok().and_then(|c| c.bool().ok().and_then(|b| b.get(index))).unwrap_or(true);
            if ok {
                continue;
            }
            let cell = bad.column(column.name).ok().and_then(|c| c.str().ok().and_then(|s| s.get(index).map(str::to_string)));
            let message = match cell {
                None => "a value is required".to_string(),
                Some(cell) => parse_cell(column.kind, &cell).err().unwrap_or_else(|| format!("{} breaks its rule", cells::quoted(&cell))),
            };
            report.error(name, row, column.name, message);
        }
    }
}

/// A rejected Parquet ledger whose cells pass but whose keys do not: the first row of each bad
/// vendor, country or word, with the streaming reader's messages.
fn report_parquet_keys(table: &Table, name: &str, path: &str, context: &Context, report: &mut Report) {
    let before = report.error_count;
    report_parquet_keys_found(table, name, path, context, report);
    if report.error_count == before {
        report.error(name, 1, "", "polars could not read this Parquet file");
    }
}

fn report_parquet_keys_found(table: &Table, name: &str, path: &str, context: &Context, report: &mut Report) {
    let Ok(frame) = parquet_text(table, path) else { return };
    let Ok(frame) = frame.with_row_index("__row", Some(1)).with_column(col("__row").cast(DataType::UInt64)).collect() else { return };
    let Ok(rows) = frame.column("__row").and_then(|c| c.u64().cloned()) else { return };
    for (i, column) in table.columns.iter().enumerate() {
        if !matches!(column.kind, Kind::VendorRef | Kind::Country | Kind::Word(_)) {
            continue;
        }
        let Ok(values) = frame.column(column.name).and_then(|c| c.str().cloned()) else { continue };
        let mut seen = std::collections::HashSet::new();
        for (value, row) in values.iter().zip(rows.iter()) {
            let Some(value) = value else { continue };
            if !seen.insert(value.to_string()) {
                continue;
            }
            let message = match column.kind {
                Kind::VendorRef if !context.vendors.contains_key(value) => {
                    Some(format!("{} is not a vendor in the dataset or the store", cells::quoted(value)))
                }
                Kind::Country => cells::country(value).err(),
                Kind::Word(words) => cells::word(value, words).err(),
                _ => None,
            };
            if let Some(message) = message {
                report.error(name, row.unwrap_or(0), table.columns[i].name, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{KnownFacts, KnownVendor, tables};

    fn context() -> Context {
        let vendor = |id: &str| KnownVendor { vendor_id: id.into(), entity_id: id.into(), hq_country: "US".into() };
        Context::new(&KnownFacts { vendors: vec![vendor("acme"), vendor("redco")], ..Default::default() })
    }

    fn outcome(name: &str, text: &str) -> Outcome {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read(&tables::SALES, name, &path, &context(), &mut Report::default(), &mut |_| true).unwrap()
    }

    #[test]
    fn plain_ledgers_take_the_columnar_path_and_sum_like_the_streaming_reader() {
        let text = "vendor_id,year,country,segment,revenue_usd,source\r\nacme,2020,US,,0.1,\r\nacme,02020,US,other,0.2,ERP\r\nacme,2020,US,other,0.3,later\r\nredco,2021,XWE,consumer,1E2,\r\nredco,2021,XWE,consumer,.5,\r\nredco,2021,XWE,consumer,2.,\r\n";
        let Outcome::Read(rows, info) = outcome("sales.csv", text) else { panic!("a plain ledger is read by polars") };
        assert_eq!(info.rows, 6);
        assert_eq!(info.sha256, crate::ingest::sha256_hex(text.as_bytes()));
        let mut rows = rows.rows;
        rows.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
        assert_eq!(rows.len(), 2, "02020 is the year 2020 and a missing segment is `other`: {rows:?}");
        let acme = &rows[0];
        let expected = [0.1f64, 0.2, 0.3].into_iter().fold((0.0, 0.0), crate::ingest::kahan_add).0;
        assert_eq!(acme[4], Value::Real(expected), "compensated, in file order");
        assert_eq!((acme[5].as_str(), acme[1].clone()), (Some("ERP"), Value::Int(2020)), "the first source given");
        assert_eq!(rows[1][4], Value::Real(102.5));
    }

    #[test]
    fn summed_rows_come_in_the_stores_key_order() {
        let text = "vendor_id,year,country,segment,revenue_usd\nredco,2021,US,other,1\nacme,2021,US,other,1\nacme,10,US,other,1\nacme,9,US,other,1\nacme,2021,DE,other,1\nacme,2021,DE,consumer,1\n";
        let Outcome::Read(rows, _) = outcome("sales.csv", text) else { panic!("a plain ledger is read by polars") };
        let keys: Vec<String> = rows
            .rows
            .iter()
            .map(|r| format!("{}/{}/{}/{}", r[0].as_str().unwrap(), r[1].as_f64().unwrap(), r[2].as_str().unwrap(), r[3].as_str().unwrap()))
            .collect();
        assert_eq!(
            keys,
            [
                "acme/9/US/other",
                "acme/10/US/other",
                "acme/2021/DE/consumer",
                "acme/2021/DE/other",
                "acme/2021/US/other",
                "redco/2021/US/other"
            ],
            "text by bytes, years as numbers"
        );
    }

    #[test]
    fn anything_not_plain_or_not_valid_goes_to_the_streaming_reader() {
        let header = "vendor_id,year,country,segment,revenue_usd\n";
        for body in [
            "acme,2020,US,,\"1\"\n",
            "acme,2020,US,,1\n\nacme,2020,US,,1\n",
            "acme,2020,US,,1,extra\n",
            "acme,2020,US\n",
            "acme,2020,US,,1\rX\n",
            "acme,2020,US,,NaN\n",
            "acme,2020,US,,inf\n",
            "acme,2020,US,,1e\n",
            "acme,2020,US,,-1\n",
            "acme,2020,Russia,,1\n",
            "nobody,2020,US,,1\n",
            "acme,0,US,,1\n",
            "acme,2020,US,retail,1\n",
            "acme,2020,US,,1,\n",
        ] {
            assert!(matches!(outcome("sales.csv", &format!("{header}{body}")), Outcome::Stream), "{body:?}");
        }
        let dated = "vendor_id,year,country,revenue_usd,source_date\nacme,2020,US,1,2023-02-29\n";
        assert!(matches!(outcome("sales.csv", dated), Outcome::Stream), "not a calendar date");
        let leap = "vendor_id,year,country,revenue_usd,source_date\nacme,2020,US,1,2024-02-29\n";
        assert!(matches!(outcome("sales.csv", leap), Outcome::Read(..)), "a leap day");
    }

    #[test]
    fn a_parquet_ledger_with_a_bad_cell_is_rejected_at_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sales.parquet");
        let mut frame = DataFrame::new_infer_height(vec![
            Column::new("vendor_id".into(), ["acme", "acme", "redco"]),
            Column::new("year".into(), [2020i64, 2020, 2021]),
            Column::new("country".into(), ["US", "US", "RU"]),
            Column::new("revenue_usd".into(), [1.5f64, 2.0, 3.0]),
            Column::new("source_date".into(), [Some("2024-01-01"), None, Some("2024-13-01")]),
        ])
        .unwrap();
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut frame).unwrap();
        let mut report = Report::default();
        let outcome = read(&tables::SALES, "sales.parquet", &path, &context(), &mut report, &mut |_| true).unwrap();
        assert!(matches!(outcome, Outcome::Rejected(_)));
        let shown: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown, ["sales.parquet:3:source_date: \"2024-13-01\" is not a calendar date YYYY-MM-DD"]);
    }
}
