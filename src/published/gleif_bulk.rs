//! The bulk path for GLEIF golden-copy CSV files under a selection (`--around`, `--ids`,
//! `--hops`): polars scans narrow the files to the neighbourhood of the seeds before the mapper
//! sees a record.
//!
//! A golden copy holds millions of LEI records in hundreds of columns, of which the mapper reads
//! about twenty. So, for the golden-copy CSV files of an import (LEI-CDF, RR-CDF, reporting
//! exceptions, recognised by their header):
//! 1. **Seeds** (LEIs): `lei:<LEI>` ids and `LEI` identifiers as they are; names, `GLEIF-RA` and
//!    `GLEIF-REPEX` identifiers and hashed `lei:h…` ids by a lazy scan of the columns they need,
//!    filtered in the scan (predicate pushdown).
//! 2. **Hops**: the (start, end) node pairs of every `IS_DIRECTLY_CONSOLIDATED_BY` and
//!    `IS_ULTIMATELY_CONSOLIDATED_BY` relationship of the relationship files; the frontier grows by
//!    two joins a hop (either direction), less what was already reached, `hops` times.
//! 3. **Records**: the LEI records and reporting exceptions of a reached LEI, and the relationships
//!    with an end reached; they go to the ordinary [`Mapper`] in file order, each with its physical
//!    line as its location. An LEI or exceptions file whose first column is the LEI is narrowed in
//!    the pass over its bytes that hashes it: the header and every line whose first field is a
//!    reached LEI (or cannot be read plainly) are kept, and polars parses only those, with the
//!    same filter after. Polars' CSV parser must otherwise tokenise every one of the golden copy's
//!    338 quoted columns to find the LEI; this way a 1.4 GB file costs one memchr pass. Any other
//!    file, or one where a record spans lines, is a lazy scan projecting the mapper's columns and a
//!    row index, filtered on the reached set.
//!
//! What this stages is a superset of what the shared selection (`Staging::select`) keeps of the
//! whole files: every seed the definition can hit is a seed here (names are folded with the same
//! [`fold_name`]); every edge it can follow is an edge here (all consolidation pairs, before the
//! mapper's own tests); every row about a reached entity is read. The shared selection then runs
//! on it and gives the same rows. Notes are the mapper's, for the records read; records outside the
//! neighbourhood are not read, so their notes are absent, and the `outside-selection` counts are
//! of what was staged, not of the whole files.
//!
//! Locations are physical lines, as the whole-file reader gives them. A pass over each file's bytes
//! (which also computes the SHA-256 the batch records) counts lines, quotes and blank lines: when
//! every record is one line, the row index gives the line; otherwise (a quoted line break, a blank
//! line) the project's CSV reader counts the lines of each record.
//!
//! When polars cannot read a file as the whole-file reader would (a parse error, a row count that
//! does not match), every file goes back to the whole-file path: a partial bulk path could miss
//! edges.
//!
//! Limitations: only golden-copy CSV files are narrowed here; XML and JSON files of the same import
//! are read whole afterwards, so hops that pass through an XML or JSON relationship file, or
//! through another format's records, are not followed here (the shared selection still applies).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::{CsvKind, LeiColumns, Mapper, RelColumns, csv_kind, date_from_name, direct_tie};
use crate::ingest::csv::CsvReader;
use crate::ingest::hash_chunks;
use crate::published::select::{Selection, fold_name};
use crate::published::text::namespaced_id;
use crate::published::{PublishedFile, Staging};

/// Set to a file path, the bulk path writes there how long each phase took (`phase NAME SECONDS`)
/// and the LEIs it reached (`reached LEI`): what the `gleif_select` bench compares with Python.
const TRACE: &str = "VETTA_GLEIF_TRACE";

/// Phase timings and the reached LEIs, kept when [`TRACE`] is set.
#[derive(Default)]
struct Trace {
    path: Option<std::path::PathBuf>,
    lines: Vec<String>,
    at: Option<std::time::Instant>,
}

impl Trace {
    fn new() -> Trace {
        let path = std::env::var_os(TRACE).map(std::path::PathBuf::from);
        Trace { at: path.as_ref().map(|_| std::time::Instant::now()), path, lines: Vec::new() }
    }

    /// Ends a phase.
    fn phase(&mut self, name: &str) {
        if let Some(at) = self.at.replace(std::time::Instant::now()) {
            self.lines.push(format!("phase {name} {:.3}", at.elapsed().as_secs_f64()));
        }
    }

    fn reached(&mut self, leis: &[String]) {
        if self.path.is_some() {
            self.lines.extend(leis.iter().map(|l| format!("reached {l}")));
        }
    }

    fn write(&self) {
        if let Some(path) = &self.path {
            // A diagnostic: a file that cannot be written changes nothing of the import.
            let _ = std::fs::write(path, self.lines.join("\n") + "\n");
        }
    }
}

/// The row index column the scans add.
const ROW: &str = "__vetta_row";
/// The relationship types whose node pairs are hops.
const CONSOLIDATION: [&str; 2] = ["IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"];

/// A golden-copy CSV file the bulk path takes.
struct Claimed<'f> {
    file: &'f PublishedFile,
    path: String,
    header: Vec<String>,
    kind: CsvKind,
}

/// What one file gives the mapper: its kept rows (in file order) and how to locate them.
struct Selected {
    rows: DataFrame,
    lines: Lines,
    sha256: String,
    /// Records of the whole file (blank records not counted), for the batch.
    records: u64,
}

/// Where a row of the scan starts.
enum Lines {
    /// Every record is one physical line: row `i` is on line `i + 2`.
    OnePerLine,
    /// Counted by the CSV reader: the start line of each row, `None` for a blank record (skipped,
    /// as the whole-file reader skips it).
    Counted(Vec<Option<u64>>),
}

impl Lines {
    fn line(&self, row: usize) -> Option<u64> {
        match self {
            Lines::OnePerLine => Some(row as u64 + 2),
            Lines::Counted(lines) => lines.get(row).copied().flatten(),
        }
    }
}

/// Stages the golden-copy CSV files of `files` that the bulk path can narrow and returns the
/// others (XML, JSON, anything it cannot read as the whole-file reader would).
pub(super) fn stage_selected<'f>(files: &[&'f PublishedFile], selection: &Selection, staging: &mut Staging) -> Vec<&'f PublishedFile> {
    let mut claimed = Vec::new();
    let mut rest = Vec::new();
    for &file in files {
        match claim(file) {
            Some(c) => claimed.push(c),
            None => rest.push(file),
        }
    }
    if claimed.is_empty() {
        return rest;
    }
    let mut trace = Trace::new();
    let selected = match select(&claimed, selection, &mut trace) {
        Ok(Some(selected)) => selected,
        // Polars could not read a file as the whole-file reader does: every file is read whole.
        Ok(None) | Err(_) => return files.to_vec(),
    };
    let parents = Arc::new(direct_ties(&claimed, &selected.1));
    for (c, one) in claimed.iter().zip(selected.0) {
        stage_file(c, one, Some(parents.clone()), staging);
    }
    trace.phase("mapping");
    trace.write();
    rest
}

/// A golden-copy CSV file, by its first bytes and header; `None` for XML, JSON and anything else.
fn claim(file: &PublishedFile) -> Option<Claimed<'_>> {
    let path = file.path.to_str()?.to_string();
    let mut head = Vec::new();
    std::fs::File::open(&file.path).ok()?.take(crate::published::SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if matches!(body.iter().find(|b| !b.is_ascii_whitespace()), None | Some(b'<' | b'{' | b'[')) {
        return None;
    }
    let mut reader = CsvReader::new(body);
    let header: Vec<String> = match reader.next_record()? {
        Ok(record) => (0..record.len()).map(|i| record.get(i).to_string()).collect(),
        Err(_) => return None,
    };
    // Polars names columns by the header as written: a padded or repeated name would not be found.
    let distinct: HashSet<&String> = header.iter().collect();
    if distinct.len() != header.len() || header.iter().any(|h| h.is_empty()) {
        return None;
    }
    let kind = csv_kind(&header)?;
    Some(Claimed { file, path, header, kind })
}

/// A lazy scan of a golden-copy CSV: every column text (no inference), optionally a row index.
fn scan(path: &str, row_index: bool) -> PolarsResult<LazyFrame> {
    let mut reader = LazyCsvReader::new(PlRefPath::from(path))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_glob(false)
        .with_cache(false);
    if row_index {
        reader = reader.with_row_index(Some(RowIndex { name: ROW.into(), offset: 0 }));
    }
    reader.finish()
}

/// A column's text, trimmed as the whole-file reader trims it; `""` when absent.
fn key(name: &str) -> Expr {
    col(name).str().strip_chars(lit(NULL)).fill_null(lit(""))
}

/// `expr` is one of `values`.
fn one_of(expr: Expr, values: &[String]) -> Expr {
    let series = Series::new("values".into(), values);
    expr.is_in(lit(series).implode(false), false)
}

/// A boolean column from a text column and a test on each value.
fn test_each(name: &str, test: impl Fn(&str) -> bool + Send + Sync + 'static) -> Expr {
    col(name).map(
        move |column: Column| {
            let values = column.str()?;
            let mask: BooleanChunked = values.iter().map(|v| v.is_some_and(&test)).collect();
            Ok(mask.with_name(column.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Boolean)),
    )
}

fn name(header: &[String], col: Option<usize>) -> Option<&str> {
    col.and_then(|i| header.get(i)).map(String::as_str)
}

/// The columns the mapper reads from a file of this kind, in header order.
fn projection(c: &Claimed) -> Vec<String> {
    let mut cols: Vec<usize> = match &c.kind {
        CsvKind::Lei(l) => {
            let mut v = vec![
                l.lei,
                l.legal_name,
                l.legal_country,
                l.ra_id,
                l.ra_other,
                l.ra_entity_id,
                l.jurisdiction,
                l.category,
                l.sub_category,
                l.legal_form,
                l.entity_status,
                l.registration_status,
            ];
            for &(name, name_type, _) in &l.other_names {
                v.push(Some(name));
                v.push(name_type);
            }
            v.into_iter().flatten().collect()
        }
        CsvKind::Rel(r) => {
            let mut v = vec![r.start, r.start_type, r.end, r.end_type, r.kind, r.status, r.registration_status, r.validation];
            for &(start, end, kind) in &r.periods {
                v.extend([start, end, kind]);
            }
            for &(amount, units) in &r.quantifiers {
                v.extend([Some(amount), units]);
            }
            v.into_iter().flatten().collect()
        }
        CsvKind::Exc(e) => {
            let mut v: Vec<usize> = [e.lei, e.category, e.reference].into_iter().flatten().collect();
            v.extend(&e.reasons);
            v
        }
    };
    cols.sort_unstable();
    cols.dedup();
    cols.into_iter().map(|i| c.header[i].clone()).collect()
}

/// The LEI column an LEI or exceptions file's rows are kept by (relationships: see [`select`]).
fn lei_column<'a>(c: &'a Claimed) -> Option<&'a str> {
    match &c.kind {
        CsvKind::Lei(l) => name(&c.header, l.lei),
        CsvKind::Rel(_) => None,
        CsvKind::Exc(e) => name(&c.header, e.lei),
    }
}

/// The seeds the selection names directly: LEIs from `lei:` ids and `LEI` identifiers.
fn direct_seeds(selection: &Selection) -> HashSet<String> {
    let mut seeds = HashSet::new();
    for id in &selection.ids {
        if let Some(lei) = id.strip_prefix("lei:") {
            seeds.insert(lei.to_string());
        }
    }
    for (scheme, value) in &selection.identifiers {
        if scheme == "LEI" {
            seeds.insert(value.trim().to_string());
        }
    }
    seeds.remove("");
    seeds
}

/// Ids of the form `lei:h<16 hex>`: an LEI that is not a valid id stands for itself hashed.
fn hashed_ids(selection: &Selection) -> Arc<HashSet<String>> {
    let hashed = selection
        .ids
        .iter()
        .filter(|id| id.strip_prefix("lei:h").is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())))
        .cloned()
        .collect();
    Arc::new(hashed)
}

/// A raw LEI whose hashed id is one of `wanted`.
fn hashed_hit(wanted: Arc<HashSet<String>>) -> impl Fn(&str) -> bool + Send + Sync + 'static {
    move |raw: &str| {
        let (id, hashed) = namespaced_id("lei", raw.trim());
        hashed && wanted.contains(&id)
    }
}

/// Seeds found by scanning an LEI file: folded names, `GLEIF-RA` identifiers, hashed ids.
fn lei_file_seeds(c: &Claimed, l: &LeiColumns, selection: &Selection, hashed: &Arc<HashSet<String>>) -> PolarsResult<Vec<String>> {
    let Some(lei) = name(&c.header, l.lei) else { return Ok(Vec::new()) };
    let mut tests: Vec<Expr> = Vec::new();
    if !selection.names.is_empty() {
        let names = Arc::new(selection.names.clone());
        let columns = std::iter::once(l.legal_name).chain(l.other_names.iter().map(|&(n, _, _)| Some(n)));
        for column in columns.filter_map(|n| name(&c.header, n)) {
            let names = names.clone();
            tests.push(test_each(column, move |v| names.contains(&fold_name(v))));
        }
    }
    if let (Some(ra), Some(entity)) = (name(&c.header, l.ra_id), name(&c.header, l.ra_entity_id)) {
        for (scheme, value) in &selection.identifiers {
            if scheme != "GLEIF-RA" {
                continue;
            }
            // The staged value is `<RA code>:<entity id>`; every colon is a candidate split.
            let value = value.trim();
            for (at, _) in value.match_indices(':') {
                let (code, id) = (&value[..at], &value[at + 1..]);
                tests.push(key(ra).eq(lit(code)).and(key(entity).eq(lit(id))));
            }
        }
    }
    if !hashed.is_empty() {
        tests.push(test_each(lei, hashed_hit(hashed.clone())));
    }
    if tests.is_empty() {
        return Ok(Vec::new());
    }
    let found = scan(&c.path, false)?.filter(any_horizontal(tests)?).select([key(lei).alias("lei")]).collect()?;
    strings(&found, "lei")
}

/// Seeds found by scanning a reporting-exceptions file: `GLEIF-REPEX` identifiers (the reason).
fn exception_file_seeds(c: &Claimed, reasons: &[usize], lei: Option<usize>, selection: &Selection) -> PolarsResult<Vec<String>> {
    let wanted: Vec<String> =
        selection.identifiers.iter().filter(|(scheme, _)| scheme == "GLEIF-REPEX").map(|(_, v)| v.trim().to_string()).collect();
    let (Some(lei), false) = (name(&c.header, lei), wanted.is_empty() || reasons.is_empty()) else { return Ok(Vec::new()) };
    let tests: Vec<Expr> = reasons.iter().map(|&i| one_of(key(&c.header[i]), &wanted)).collect();
    let found = scan(&c.path, false)?.filter(any_horizontal(tests)?).select([key(lei).alias("lei")]).collect()?;
    strings(&found, "lei")
}

/// A text column as owned strings (nulls left out).
fn strings(df: &DataFrame, column: &str) -> PolarsResult<Vec<String>> {
    Ok(df.column(column)?.str()?.iter().flatten().map(str::to_string).collect())
}

/// Everything the bulk path reads: per claimed file its kept rows, and the relationship frames
/// (whole, projected) for the direct ties. `Ok(None)`: a file polars does not read as the
/// whole-file reader does.
#[allow(clippy::type_complexity)]
fn select(claimed: &[Claimed], selection: &Selection, trace: &mut Trace) -> PolarsResult<Option<(Vec<Selected>, Vec<Option<DataFrame>>)>> {
    let hashed = hashed_ids(selection);
    let mut seeds = direct_seeds(selection);
    // The relationship files, whole (a few hundred thousand rows, the mapper's columns).
    let mut relationships: Vec<Option<DataFrame>> = Vec::new();
    let mut edges: Vec<LazyFrame> = Vec::new();
    for c in claimed {
        match &c.kind {
            CsvKind::Lei(l) => seeds.extend(lei_file_seeds(c, l, selection, &hashed)?),
            CsvKind::Exc(e) => seeds.extend(exception_file_seeds(c, &e.reasons, e.lei, selection)?),
            CsvKind::Rel(_) => {}
        }
        let CsvKind::Rel(r) = &c.kind else {
            relationships.push(None);
            continue;
        };
        let (Some(start), Some(end)) = (name(&c.header, r.start), name(&c.header, r.end)) else {
            relationships.push(None);
            continue;
        };
        let columns: Vec<Expr> = std::iter::once(col(ROW)).chain(projection(c).iter().map(|n| col(n.as_str()))).collect();
        let frame = scan(&c.path, true)?.select(columns).collect()?;
        if !hashed.is_empty() {
            let hit = hashed_hit(hashed.clone());
            for end in [start, end] {
                seeds.extend(frame.column(end)?.str()?.iter().flatten().filter(|v| hit(v)).map(|v| v.trim().to_string()));
            }
        }
        if let Some(kind) = name(&c.header, r.kind) {
            let pairs = frame
                .clone()
                .lazy()
                .filter(one_of(key(kind), &CONSOLIDATION.map(String::from)))
                .select([key(start).alias("a"), key(end).alias("b")])
                .filter(col("a").neq(lit("")).and(col("b").neq(lit(""))));
            edges.push(pairs);
        }
        relationships.push(Some(frame));
    }
    seeds.remove("");
    trace.phase("seeds-and-relationships");
    let reached = reach(seeds, edges, selection.hops)?;
    trace.phase("hops");
    trace.reached(&reached);
    let reached_list = Series::new("reached".into(), reached.as_slice());
    let in_reached = |expr: Expr| expr.is_in(lit(reached_list.clone()).implode(false), false);
    let reached_set: HashSet<&str> = reached.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (c, relationship) in claimed.iter().zip(&relationships) {
        let columns: Vec<Expr> = std::iter::once(col(ROW)).chain(projection(c).iter().map(|n| col(n.as_str()))).collect();
        let rows = match (&c.kind, relationship) {
            // Relationships with either end reached: every edge the definition follows from a
            // reached entity, and every note about one.
            (CsvKind::Rel(r), Some(frame)) => {
                let (start, end) = (name(&c.header, r.start).unwrap_or_default(), name(&c.header, r.end).unwrap_or_default());
                frame.clone().lazy().filter(in_reached(key(start)).or(in_reached(key(end)))).collect()?
            }
            _ => match lei_column(c) {
                Some(lei) if !reached.is_empty() => {
                    let (kept, bytes) = prefiltered(c, lei, &reached_set)?.map_or((None, None), |(kept, bytes)| (kept, Some(bytes)));
                    let rows = match kept {
                        // The byte pass kept the lines whose first field is reached: polars parses those.
                        Some(kept) => kept.lazy().filter(in_reached(key(lei))).select(columns).collect()?,
                        None => {
                            scan(&c.path, true)?.filter(in_reached(key(lei))).select(columns).sort([ROW], Default::default()).collect()?
                        }
                    };
                    // The byte pass, when made, also located the rows: `locate` does not read the file again.
                    out.push((rows, bytes));
                    continue;
                }
                _ => scan(&c.path, true)?.select(columns).limit(0).collect()?,
            },
        };
        out.push((rows, None));
    }
    trace.phase("kept-records");
    let mut selected = Vec::new();
    for (c, (rows, bytes)) in claimed.iter().zip(out) {
        let Some((scan, lines, records)) = locate(c, bytes)? else { return Ok(None) };
        selected.push(Selected { rows, lines, sha256: scan.sha256, records });
    }
    trace.phase("hashing-and-lines");
    Ok(Some((selected, relationships)))
}

/// Every LEI within `hops` consolidation pairs of a seed, in either direction (seeds included):
/// each hop joins the frontier to the pairs' starts and to their ends and drops what was reached.
fn reach(seeds: HashSet<String>, edges: Vec<LazyFrame>, hops: u32) -> PolarsResult<Vec<String>> {
    let mut seeds: Vec<String> = seeds.into_iter().collect();
    seeds.sort();
    let mut reached = DataFrame::new_infer_height(vec![Column::new("lei".into(), seeds.as_slice())])?;
    if edges.is_empty() || reached.height() == 0 {
        return strings(&reached, "lei");
    }
    let edges = concat(edges, UnionArgs::default())?.unique(None, UniqueKeepStrategy::Any).collect()?;
    let mut frontier = reached.clone();
    for _ in 0..hops {
        if frontier.height() == 0 {
            break;
        }
        let seen = reached.column("lei")?.as_materialized_series().clone();
        let forward = edges.clone().lazy().inner_join(frontier.clone().lazy(), col("a"), col("lei")).select([col("b").alias("lei")]);
        let backward = edges.clone().lazy().inner_join(frontier.lazy(), col("b"), col("lei")).select([col("a").alias("lei")]);
        frontier = concat([forward, backward], UnionArgs::default())?
            .unique(None, UniqueKeepStrategy::Any)
            .filter(col("lei").is_in(lit(seen).implode(false), false).not())
            .collect()?;
        reached = reached.vstack(&frontier)?;
    }
    strings(&reached, "lei")
}

/// What one pass over a file's bytes tells.
struct ByteScan {
    sha256: String,
    /// Physical lines (a last line without a line end counts).
    lines: u64,
    /// Every line end outside quotes, no blank line, quotes balanced: every record is one line.
    one_record_a_line: bool,
}

/// Hashes a file and counts its lines, quotes and blank lines in one pass (the hash on a second
/// thread, chunk by chunk). With `keep`, the pass also keeps the header line and every line whose
/// first field (unquoted, trimmed) is in the set, or cannot be read plainly: the kept text and the
/// data row of each kept line, meaningful when every record is one line.
fn scan_bytes(path: &Path, keep: Option<&HashSet<&str>>) -> std::io::Result<(ByteScan, Kept)> {
    let mut file = std::fs::File::open(path)?;
    let mut kept = Kept::default();
    let mut splitter = LineScan { count: LineCount::default(), keep, partial: Vec::new() };
    let sha256 = hash_chunks(&mut file, 8 << 20, |chunk| {
        splitter.feed(chunk, &mut kept);
        true
    })?
    .expect("the pass reads to the end");
    splitter.finish(&mut kept);
    let lines = splitter.count;
    let total = lines.newlines + u64::from(lines.last != b'\n');
    let one_record_a_line = lines.quoted_newlines == 0 && lines.blank == 0 && !lines.in_quotes;
    Ok((ByteScan { sha256, lines: total, one_record_a_line }, kept))
}

/// What a filtered byte pass kept: the header line and the kept lines (each ending in a line
/// feed), and the data row (0 = the line after the header) of each kept line.
#[derive(Default)]
struct Kept {
    text: Vec<u8>,
    rows: Vec<IdxSize>,
}

/// Splits a file into physical lines (found with `memchr`), counts them into a [`LineCount`] and,
/// with `keep`, keeps those [`first_field`] says may be wanted.
struct LineScan<'k> {
    count: LineCount,
    keep: Option<&'k HashSet<&'k str>>,
    /// The start of a line the last chunk did not end.
    partial: Vec<u8>,
}

impl LineScan<'_> {
    fn feed(&mut self, chunk: &[u8], kept: &mut Kept) {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            if self.partial.is_empty() {
                self.line(&chunk[start..end], true, kept);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&chunk[start..end]);
                self.line(&line, true, kept);
            }
            start = end + 1;
        }
        self.partial.extend_from_slice(&chunk[start..]);
        if let Some(&last) = chunk.last() {
            self.count.last = last;
        }
    }

    fn finish(&mut self, kept: &mut Kept) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.line(&line, false, kept);
        }
    }

    /// A physical line without its line feed (`newline`: it had one).
    fn line(&mut self, line: &[u8], newline: bool, kept: &mut Kept) {
        // This line's number (the header is line 1): the line ends counted before it, plus one.
        let number = self.count.newlines + 1;
        self.count.line(line, newline);
        let Some(keep) = self.keep else { return };
        let wanted = number == 1 || first_field(line).is_none_or(|field| keep.contains(field));
        if wanted {
            kept.text.extend_from_slice(line);
            kept.text.push(b'\n');
            if number > 1 {
                kept.rows.push((number - 2) as IdxSize);
            }
        }
    }
}

/// A line's first CSV field, unquoted and trimmed as [`key`] trims it; `None` when it cannot be
/// read plainly (an escaped quote, no closing quote, not UTF-8), so the line is kept and polars
/// decides.
fn first_field(line: &[u8]) -> Option<&str> {
    let field = match line.strip_prefix(b"\"") {
        Some(rest) => {
            let close = memchr::memchr(b'"', rest)?;
            match rest.get(close + 1) {
                None | Some(b',' | b'\r') => &rest[..close],
                Some(_) => return None,
            }
        }
        None => &line[..memchr::memchr(b',', line).unwrap_or(line.len())],
    };
    Some(std::str::from_utf8(field).ok()?.trim())
}

/// The rows of an LEI or exceptions file whose LEI (its first column) may be reached, by one pass
/// over its bytes (which also hashes it and counts its lines): polars parses only the kept lines,
/// each with its row index. `None` when the LEI is not the first column (no pass is made); the
/// rows are `None` when a record spans lines (the file is then scanned by polars), the pass is
/// returned either way.
fn prefiltered(c: &Claimed, lei: &str, reached: &HashSet<&str>) -> PolarsResult<Option<(Option<DataFrame>, ByteScan)>> {
    if c.header.first().map(String::as_str) != Some(lei) {
        return Ok(None);
    }
    let (bytes, kept) = scan_bytes(&c.file.path, Some(reached)).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    if !bytes.one_record_a_line {
        return Ok(Some((None, bytes)));
    }
    let rows = kept.rows;
    let mut frame = polars::prelude::CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(kept.text))
        .finish()?;
    if frame.height() != rows.len() {
        return Ok(Some((None, bytes)));
    }
    frame.with_column(Column::new(ROW.into(), rows))?;
    Ok(Some((Some(frame), bytes)))
}

/// Line ends, those inside quotes, and blank lines (nothing but quotes, commas and blanks).
#[derive(Debug, PartialEq)]
struct LineCount {
    newlines: u64,
    quoted_newlines: u64,
    blank: u64,
    in_quotes: bool,
    content: bool,
    last: u8,
}

impl Default for LineCount {
    fn default() -> Self {
        LineCount { newlines: 0, quoted_newlines: 0, blank: 0, in_quotes: false, content: false, last: b'\n' }
    }
}

impl LineCount {
    /// One physical line (without its line feed; `newline`: it had one). Only the parity of its
    /// quotes and whether it holds anything but quotes, commas and blanks matter, so it is counted
    /// a line at a time rather than a byte at a time.
    fn line(&mut self, line: &[u8], newline: bool) {
        let quotes = line.iter().filter(|&&b| b == b'"').count();
        self.content |= line.iter().any(|&b| !matches!(b, b'"' | b',' | b' ' | b'\t' | b'\r'));
        self.in_quotes ^= quotes % 2 == 1;
        if newline {
            self.newlines += 1;
            if self.in_quotes {
                self.quoted_newlines += 1;
            } else {
                self.blank += u64::from(!self.content);
                self.content = false;
            }
        }
    }
}

/// The file's hash, how its rows are located and its record count; `None` when the CSV reader and
/// polars do not see the same rows.
fn locate(c: &Claimed, bytes: Option<ByteScan>) -> PolarsResult<Option<(ByteScan, Lines, u64)>> {
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => scan_bytes(&c.file.path, None).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?.0,
    };
    if bytes.one_record_a_line {
        let records = bytes.lines.saturating_sub(1);
        return Ok(Some((bytes, Lines::OnePerLine, records)));
    }
    // A quoted line break or a blank line: the CSV reader gives each record's first line.
    let file = std::fs::File::open(&c.file.path).map_err(|e| PolarsError::ComputeError(e.to_string().into()))?;
    let mut reader = CsvReader::new(std::io::BufReader::new(file));
    let mut lines = Vec::new();
    let mut first = true;
    while let Some(next) = reader.next_record() {
        let Ok(record) = next else { return Ok(None) };
        if std::mem::take(&mut first) {
            continue;
        }
        lines.push((!record.is_blank()).then_some(record.line));
    }
    let height = scan(&c.path, false)?.select([len().alias("n")]).collect()?;
    let rows = height.column("n")?.as_materialized_series().cast(&DataType::UInt64)?.u64()?.get(0).unwrap_or(0);
    if rows != lines.len() as u64 {
        return Ok(None);
    }
    let records = lines.iter().flatten().count() as u64;
    Ok(Some((bytes, Lines::Counted(lines), records)))
}

/// The direct ties of every relationship file (whole), for the ultimate-covered rule.
fn direct_ties(claimed: &[Claimed], relationships: &[Option<DataFrame>]) -> HashMap<String, Vec<String>> {
    let mut parents: HashMap<String, Vec<String>> = HashMap::new();
    for (c, frame) in claimed.iter().zip(relationships) {
        let (CsvKind::Rel(r), Some(frame)) = (&c.kind, frame) else { continue };
        let Some(kind) = name(&c.header, r.kind) else { continue };
        let Ok(direct) = frame.clone().lazy().filter(key(kind).eq(lit("IS_DIRECTLY_CONSOLIDATED_BY"))).collect() else { continue };
        let cells = Cells::new(&direct, &c.header);
        for row in 0..direct.height() {
            if let Some((parent, child)) = direct_tie(&r.record("", |col| cells.get(col, row))) {
                parents.entry(child).or_default().push(parent);
            }
        }
    }
    parents
}

/// The text columns of a frame by header index.
struct Cells<'d> {
    columns: Vec<Option<&'d StringChunked>>,
}

impl<'d> Cells<'d> {
    fn new(df: &'d DataFrame, header: &[String]) -> Cells<'d> {
        let columns = header.iter().map(|h| df.column(h).ok().and_then(|c| c.str().ok())).collect();
        Cells { columns }
    }

    /// A cell, trimmed; `""` when absent.
    fn get(&self, col: Option<usize>, row: usize) -> &'d str {
        col.and_then(|i| self.columns.get(i).copied().flatten()).and_then(|c| c.get(row)).map_or("", str::trim)
    }
}

/// Maps the kept rows of one file, as the whole-file reader would map them.
fn stage_file(c: &Claimed, selected: Selected, parents: Option<Arc<HashMap<String, Vec<String>>>>, staging: &mut Staging) {
    let modified = std::fs::metadata(&c.file.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%d").to_string());
    staging.begin_file(&c.file.name, selected.sha256, modified);
    if let Some(date) = date_from_name(&c.file.name) {
        staging.set_date(&date);
    }
    let mut mapper = Mapper::new(staging.file_name());
    mapper.all_parents = parents;
    let rows = &selected.rows;
    let cells = Cells::new(rows, &c.header);
    let index: Vec<Option<u64>> = match rows.column(ROW).and_then(|c| c.as_materialized_series().cast(&DataType::UInt64)) {
        Ok(series) => series.u64().map(|ca| ca.iter().collect()).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    for (i, row) in index.into_iter().enumerate() {
        let Some(line) = row.and_then(|r| selected.lines.line(r as usize)) else { continue };
        let at = line.to_string();
        let cell = |col| cells.get(col, i);
        match &c.kind {
            CsvKind::Lei(l) => mapper.lei_record(&l.record(&at, cell), staging),
            CsvKind::Rel(r) => mapper.relationship(&RelColumns::record(r, &at, cell), staging),
            CsvKind::Exc(e) => mapper.exception(&e.record(&at, cell), staging),
        }
    }
    mapper.records = selected.records;
    mapper.finish(staging);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fields_are_read_plainly_or_left_to_polars() {
        assert_eq!(first_field(b"\"5493001KJTIIGC8Y1R12\",\"x\"\r"), Some("5493001KJTIIGC8Y1R12"));
        assert_eq!(first_field(b"\" 5493001KJTIIGC8Y1R12 \",x"), Some("5493001KJTIIGC8Y1R12"), "trimmed as `key` trims");
        assert_eq!(first_field(b"5493001KJTIIGC8Y1R12,x"), Some("5493001KJTIIGC8Y1R12"));
        assert_eq!(first_field(b"\"5493001KJTIIGC8Y1R12\"\r"), Some("5493001KJTIIGC8Y1R12"), "a one-column line");
        assert_eq!(first_field(b"ONLY"), Some("ONLY"));
        assert_eq!(first_field(b""), Some(""));
        assert_eq!(first_field(b"\"a\"\"b\",x"), None, "an escaped quote");
        assert_eq!(first_field(b"\"open,x"), None, "no closing quote");
        assert_eq!(first_field(b"\"a\"b,x"), None, "text after the closing quote");
        assert_eq!(first_field(b"\xFF\xFE,x"), None, "not UTF-8");
    }

    #[test]
    fn the_line_filter_keeps_the_header_and_wanted_lines_across_chunks() {
        let text = b"\"LEI\",\"Name\"\r\n\"A\",\"one\"\r\n\"B\",\"two\"\r\n\"a\"\"b\",\"odd\"\r\nA,three";
        let keep: HashSet<&str> = ["A"].into_iter().collect();
        for size in 1..text.len() {
            let mut filter = LineScan { count: LineCount::default(), keep: Some(&keep), partial: Vec::new() };
            let mut kept = Kept::default();
            for chunk in text.chunks(size) {
                filter.feed(chunk, &mut kept);
            }
            filter.finish(&mut kept);
            assert_eq!(
                String::from_utf8_lossy(&kept.text),
                "\"LEI\",\"Name\"\r\n\"A\",\"one\"\r\n\"a\"\"b\",\"odd\"\r\nA,three\n",
                "chunks of {size}"
            );
            assert_eq!(kept.rows, [0, 2, 3], "chunks of {size}");
        }
    }

    /// What [`LineCount`] counts, a byte at a time: the definition the line-at-a-time count keeps.
    fn counted_bytewise(text: &[u8]) -> LineCount {
        let mut count = LineCount::default();
        for &b in text {
            match b {
                b'"' => count.in_quotes = !count.in_quotes,
                b'\n' => {
                    count.newlines += 1;
                    if count.in_quotes {
                        count.quoted_newlines += 1;
                    } else {
                        count.blank += u64::from(!count.content);
                        count.content = false;
                    }
                }
                b',' | b' ' | b'\t' | b'\r' => {}
                _ => count.content = true,
            }
        }
        if let Some(&last) = text.last() {
            count.last = last;
        }
        count
    }

    #[test]
    fn lines_are_counted_as_a_byte_at_a_time_in_any_chunks() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let alphabet = b"\"\n\r, \tAx";
        for _ in 0..300 {
            let len = rng.random_range(0..80);
            let text: Vec<u8> = (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())]).collect();
            let size = rng.random_range(1..=text.len().max(1));
            let mut scan = LineScan { count: LineCount::default(), keep: None, partial: Vec::new() };
            let mut kept = Kept::default();
            for chunk in text.chunks(size) {
                scan.feed(chunk, &mut kept);
            }
            scan.finish(&mut kept);
            assert_eq!(scan.count, counted_bytewise(&text), "{:?} in chunks of {size}", String::from_utf8_lossy(&text));
        }
    }
}
