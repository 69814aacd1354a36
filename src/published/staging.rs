//! Staged rows: what a published file becomes before the normal import runs on it.
//!
//! A format reads its file and pushes native rows (cells as text, in the tables' columns), each
//! with the location of the record it came from, and report notes. [`Staging::finish`] then applies
//! the rules every format shares (open-formats.md): cells are checked with the native cell rules
//! (a row that fails one is left out, never the file), rows that stage to one key are merged,
//! references to records in neither the import nor the store get stub entities, and equity that
//! sums above 1 becomes ranges. What it returns is CSV text per table, which the ordinary importer
//! reads with its all-or-nothing promise.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::ingest::tables::{self, Kind, Table};
use crate::ingest::{self, FileInfo, Input, KnownFacts, Note, Source, cells};
use crate::model::shares;

use super::select::{Neighbourhood, Selection, fold_name};
use super::text::{self, Bound};

/// One staged row: the table, its cells in the table's column order (`""` = not given), and where
/// it came from.
#[derive(Debug, Clone)]
struct Row {
    table: &'static Table,
    cells: Vec<String>,
    file: usize,
    location: String,
}

#[derive(Debug, Clone)]
struct FileState {
    name: String,
    /// The publication date the file states, else its own date.
    date: Option<String>,
    info: FileInfo,
}

/// The rows and notes of the published files of one import.
#[derive(Debug, Default)]
pub struct Staging {
    files: Vec<FileState>,
    rows: Vec<Row>,
    notes: Vec<Note>,
    /// The entity kind a reference implies (`person` for an individual's side), for stub entities.
    kinds: HashMap<String, &'static str>,
}

/// A row being filled; [`RowBuilder::push`] stages it.
pub struct RowBuilder<'s> {
    staging: &'s mut Staging,
    row: Row,
}

impl RowBuilder<'_> {
    /// Sets a cell. Panics on a column the table does not have (a bug in the format, not in data).
    pub fn set(mut self, column: &str, value: impl Into<String>) -> Self {
        let index = self.row.table.index(column);
        self.row.cells[index] = value.into();
        self
    }

    /// Sets a cell when there is a value.
    pub fn set_opt(self, column: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.set(column, value),
            None => self,
        }
    }

    /// Stages the row. Text cells are repaired for cp1252 mojibake (reported); nothing else is
    /// changed until [`Staging::finish`].
    pub fn push(mut self) {
        for (index, column) in self.row.table.columns.iter().enumerate() {
            if column.kind == Kind::Text
                && let Some(repaired) = text::repair_mojibake(&self.row.cells[index])
            {
                let message = format!("{}: C1 characters read as cp1252 ({})", column.name, cells::quoted(&repaired));
                self.staging.note(&self.row.location.clone(), "mojibake-repaired", message);
                self.row.cells[index] = repaired;
            }
        }
        self.staging.rows.push(self.row);
    }
}

/// What staging gives the importer.
#[derive(Debug, Default)]
pub struct Staged {
    /// One input per table with rows, named `<table>.csv (staged)`.
    pub inputs: Vec<Input>,
    /// Every record left out or changed.
    pub notes: Vec<Note>,
    /// The published files as the batch records them (their own hashes and record counts).
    pub files: Vec<FileInfo>,
    /// For each staged input: the origin (file, location) of each row, by its line in the text.
    origins: HashMap<String, BTreeMap<u64, (String, String)>>,
}

impl Staged {
    /// The published file and location a line of a staged input came from.
    pub fn origin(&self, input: &str, line: u64) -> Option<&(String, String)> {
        self.origins.get(input)?.range(..=line).next_back().map(|(_, origin)| origin)
    }
}

/// The name of the staged input of a table.
pub fn staged_name(table: &Table) -> String {
    format!("{}.csv (staged)", table.name)
}

impl Staging {
    /// Starts a published file; rows and notes pushed after this belong to it. `sha256` and the
    /// record count are the batch's record of the file.
    pub fn begin_file(&mut self, name: &str, sha256: String, fallback_date: Option<String>) {
        let info = FileInfo { name: name.to_string(), table: String::new(), sha256, rows: 0 };
        self.files.push(FileState { name: name.to_string(), date: fallback_date, info });
    }

    /// The current file's format and record count, for the batch.
    pub fn describe_file(&mut self, format: &str, records: u64) {
        if let Some(file) = self.files.last_mut() {
            file.info.table = format.to_string();
            file.info.rows = records;
        }
    }

    /// The publication date the current file states (`source_date` of its rows).
    pub fn set_date(&mut self, date: &str) {
        if let Some(file) = self.files.last_mut() {
            file.date = Some(date.to_string());
        }
    }

    fn current(&self) -> usize {
        self.files.len().saturating_sub(1)
    }

    /// The current file's date: the publication date it states, else its own date (`None` when
    /// neither is known, e.g. bytes staged from memory). Formats whose file states no designation
    /// date (OFAC SDN) take it as the snapshot's date.
    pub fn file_date(&self) -> Option<&str> {
        self.files.last().and_then(|f| f.date.as_deref())
    }

    /// The current file's name.
    pub fn file_name(&self) -> &str {
        self.files.last().map_or("", |f| &f.name)
    }

    /// A report line at a location of the current file.
    pub fn note(&mut self, location: &str, code: &'static str, message: impl Into<String>) {
        let file = self.file_name().to_string();
        self.notes.push(Note { file, location: location.to_string(), code: code.into(), message: message.into() });
    }

    /// A new row of `table` from the record at `location`.
    pub fn row(&mut self, table: &'static Table, location: &str) -> RowBuilder<'_> {
        let row = Row { table, cells: vec![String::new(); table.columns.len()], file: self.current(), location: location.to_string() };
        RowBuilder { staging: self, row }
    }

    /// A namespaced id (see [`text::namespaced_id`]); a hashed one is reported.
    pub fn id(&mut self, location: &str, prefix: &str, raw: &str) -> String {
        let (id, hashed) = text::namespaced_id(prefix, raw);
        if hashed {
            self.note(location, "id-hashed", format!("{} is not a valid id; the entity is {id}", cells::quoted(raw)));
        }
        id
    }

    /// A country code (see [`text::country`]), with its report line.
    pub fn country(&mut self, location: &str, raw: &str) -> String {
        let (code, remark) = text::country(raw);
        if let Some((code, message)) = remark {
            self.note(location, code, message);
        }
        code
    }

    /// A date (see [`text::date`]), with its report line; `None` (reported as `bad-date` naming
    /// `what`) when the text is not a date.
    pub fn date(&mut self, location: &str, what: &str, raw: &str, bound: Bound) -> Option<String> {
        match text::date(raw, bound) {
            Some((date, remark)) => {
                if let Some((code, message)) = remark {
                    self.note(location, code, format!("{what}: {message}"));
                }
                Some(date)
            }
            None => {
                self.note(location, "bad-date", format!("{what}: {} is not a date; left out", cells::quoted(raw)));
                None
            }
        }
    }

    /// Says which kind of entity an id stands for, should it need a stub.
    pub fn kind_hint(&mut self, id: &str, kind: &'static str) {
        self.kinds.entry(id.to_string()).or_insert(kind);
    }

    /// Applies the shared rules and writes the staged tables as CSV text.
    pub fn finish(self, known: &KnownFacts) -> Staged {
        self.finish_selected(known, None)
    }

    /// [`Staging::finish`], keeping only the neighbourhood of a selection's seeds when one is given.
    pub fn finish_selected(mut self, known: &KnownFacts, selection: Option<&Selection>) -> Staged {
        self.fill_dates();
        self.check_cells();
        self.merge_keys();
        if let Some(selection) = selection {
            self.select(selection);
        }
        self.stub_entities(known);
        self.oversums(known);
        self.not_seen(known, selection.is_some());
        self.write()
    }

    /// Rows without a `source_date` take their file's date.
    fn fill_dates(&mut self) {
        for row in &mut self.rows {
            let Some(date) = &self.files[row.file].date else { continue };
            if row.table.columns.iter().any(|c| c.name == "source_date") {
                let index = row.table.index("source_date");
                if row.cells[index].is_empty() {
                    row.cells[index] = date.clone();
                }
            }
        }
    }

    fn note_at(&mut self, row: &Row, code: &'static str, message: String) {
        let file = self.files[row.file].name.clone();
        self.notes.push(Note { file, location: row.location.clone(), code: code.into(), message });
    }

    /// The native cell rules: an optional cell that breaks its rule is emptied, a row whose
    /// required cell does is left out; both reported as `invalid-value`. Also the row rules a
    /// format cannot break on purpose but a file can: an edge to itself, dates out of order, an
    /// identifier too long or an LEI with wrong check digits.
    fn check_cells(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        for mut row in rows {
            let mut keep = true;
            for (index, column) in row.table.columns.iter().enumerate() {
                let cell = &row.cells[index];
                if cell.is_empty() {
                    if column.required {
                        let message = format!("{}.{}: no value; the row is left out", row.table.name, column.name);
                        self.note_at(&row, "invalid-value", message);
                        keep = false;
                    }
                    continue;
                }
                if let Err(problem) = ingest::check_cell(column.kind, cell) {
                    if column.required {
                        self.note_at(&row, "invalid-value", format!("{}.{}: {problem}; the row is left out", row.table.name, column.name));
                        keep = false;
                    } else {
                        self.note_at(&row, "invalid-value", format!("{}.{}: {problem}; left empty", row.table.name, column.name));
                        row.cells[index].clear();
                    }
                }
            }
            if keep && let Some(problem) = row_problem(&row) {
                self.note_at(&row, "invalid-value", format!("{}: {problem}; the row is left out", row.table.name));
                keep = false;
            }
            if keep {
                self.rows.push(row);
            }
        }
    }

    /// Rows that stage to one key: identical ones merge silently; otherwise the first in file
    /// order stays and the others are reported as `duplicate-key`.
    fn merge_keys(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        let mut seen: HashMap<(&'static str, Vec<String>), usize> = HashMap::new();
        for row in rows {
            let key: Vec<String> = row.table.key.iter().map(|k| row.cells[row.table.index(k)].clone()).collect();
            match seen.get(&(row.table.name, key.clone())) {
                Some(&first) => {
                    if self.rows[first].cells != row.cells {
                        let kept = &self.rows[first];
                        let message = format!(
                            "{} row with key {} is also given at {}:{}; the first is kept",
                            row.table.name,
                            key.join(", "),
                            self.files[kept.file].name,
                            kept.location
                        );
                        self.note_at(&row, "duplicate-key", message);
                    }
                }
                None => {
                    seen.insert((row.table.name, key), self.rows.len());
                    self.rows.push(row);
                }
            }
        }
    }

    /// Keeps the entities within the selection's hops of its seeds (through equity rows and control
    /// ties, either way), their names, identifiers and listings, and the edges among them; each file
    /// gets one `outside-selection` note counting what it lost.
    fn select(&mut self, selection: &Selection) {
        let kept: HashSet<String> = {
            let mut graph = Neighbourhood::default();
            for row in &self.rows {
                let cell = |name: &str| row.cells[row.table.index(name)].as_str();
                match row.table.name {
                    "entities" if selection.ids.contains(cell("entity_id")) || selection.names.contains(&fold_name(cell("name"))) => {
                        graph.hit(cell("entity_id"))
                    }
                    "aliases" if selection.names.contains(&fold_name(cell("name"))) => graph.hit(cell("entity_id")),
                    "identifiers" if selection.identifiers.contains(&(cell("scheme").to_string(), cell("value").trim().to_string())) => {
                        graph.hit(cell("entity_id"))
                    }
                    "ownership" => {
                        if cell("relation") == "equity" || cell("tie_kind") == "control" {
                            graph.edge(cell("from_id"), cell("to_id"));
                        }
                        for end in [cell("from_id"), cell("to_id")] {
                            if selection.ids.contains(end) {
                                graph.hit(end);
                            }
                        }
                    }
                    _ => {}
                }
            }
            graph.within(selection.hops).into_iter().map(str::to_string).collect()
        };
        let mut lost: BTreeMap<(usize, &'static str), u64> = BTreeMap::new();
        let rows = std::mem::take(&mut self.rows);
        for row in rows {
            let cell = |name: &str| row.cells[row.table.index(name)].as_str();
            let keep = match row.table.name {
                "entities" => kept.contains(cell("entity_id")),
                "identifiers" | "aliases" => kept.contains(cell("entity_id")),
                "designations" => kept.contains(cell("subject_id")),
                "ownership" => kept.contains(cell("from_id")) && kept.contains(cell("to_id")),
                _ => true,
            };
            if keep {
                self.rows.push(row);
            } else {
                *lost.entry((row.file, row.table.name)).or_default() += 1;
            }
        }
        let mut by_file: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for ((file, table), count) in lost {
            by_file.entry(file).or_default().push(format!("{count} {table}"));
        }
        for (file, counts) in by_file {
            let message = format!("outside the {}-hop neighbourhood of the seeds: {} left out", selection.hops, counts.join(", "));
            let name = self.files[file].name.clone();
            self.notes.push(Note { file: name, location: "1".into(), code: "outside-selection".into(), message });
        }
        if kept.is_empty() {
            let file = self.files.first().map(|f| f.name.clone()).unwrap_or_default();
            let message = "no record of the published files matches a seed (entity id, identifier or name)";
            self.notes.push(Note { file, location: "1".into(), code: "no-seed-found".into(), message: message.into() });
        }
    }

    /// Listings a newer snapshot no longer holds: a stored designation in force, written by a
    /// batch that imported a file of the same name and format as a file of this import (an earlier
    /// snapshot of the same source), which no staged row re-states. It stays (absence is never a
    /// delisting by itself); the report names it as `not-seen`. Under a selection, absence says
    /// nothing (the rest of the file was not read).
    fn not_seen(&mut self, known: &KnownFacts, selected: bool) {
        if selected {
            return;
        }
        let table = &tables::DESIGNATIONS;
        let (subject, list, effective) = (table.index("subject_id"), table.index("list"), table.index("effective"));
        let staged: HashSet<(&str, &str, &str)> = self
            .rows
            .iter()
            .filter(|r| r.table.name == "designations")
            .map(|r| (r.cells[subject].as_str(), r.cells[list].as_str(), r.cells[effective].as_str()))
            .collect();
        // Earlier batches that imported a file like one of these: batch → this import's file.
        let mut earlier: HashMap<i64, usize> = HashMap::new();
        for (batch, name, format) in &known.batch_files {
            if let Some(file) = self.files.iter().position(|f| &f.info.name == name && &f.info.table == format) {
                earlier.entry(*batch).or_insert(file);
            }
        }
        let mut notes = Vec::new();
        for listing in &known.listings {
            let Some(&file) = earlier.get(&listing.batch_id) else { continue };
            if staged.contains(&(listing.subject_id.as_str(), listing.list.as_str(), listing.effective.as_str())) {
                continue;
            }
            let message = format!(
                "{} on {} since {} (batch {}) is not in this snapshot; it stays listed until a newer row ends it or its batch is undone",
                listing.subject_id, listing.list, listing.effective, listing.batch_id
            );
            notes.push(Note { file: self.files[file].name.clone(), location: "(store)".into(), code: "not-seen".into(), message });
        }
        self.notes.extend(notes);
    }

    /// Entities referred to but found neither among the staged entities nor in the store.
    fn stub_entities(&mut self, known: &KnownFacts) {
        let mut present: HashSet<String> = known.entities.iter().map(|e| e.entity_id.clone()).collect();
        for vendor in &known.vendors {
            present.insert(vendor.vendor_id.clone());
            present.insert(vendor.entity_id.clone());
        }
        for row in &self.rows {
            match row.table.name {
                "entities" => {
                    present.insert(row.cells[0].clone());
                }
                "vendors" => {
                    present.insert(row.cells[0].clone());
                    present.insert(row.cells[row.table.index("entity_id")].clone());
                }
                _ => {}
            }
        }
        let mut stubs = Vec::new();
        for row in &self.rows {
            for (index, column) in row.table.columns.iter().enumerate() {
                let id = &row.cells[index];
                if column.kind == Kind::EntityRef && !id.is_empty() && present.insert(id.clone()) {
                    let kind = self.kinds.get(id).copied().unwrap_or("company");
                    let stub = Row {
                        table: &tables::ENTITIES,
                        cells: tables::ENTITIES
                            .columns
                            .iter()
                            .map(|c| match c.name {
                                "entity_id" | "name" => id.clone(),
                                "kind" => kind.to_string(),
                                "country" => "XRW".to_string(),
                                "source" => format!("stub for a reference in {}", self.files[row.file].name),
                                "source_date" => row.cells.get(row.table.index("source_date")).cloned().unwrap_or_default(),
                                _ => String::new(),
                            })
                            .collect(),
                        file: row.file,
                        location: row.location.clone(),
                    };
                    stubs.push((
                        stub,
                        format!(
                            "{} {} names {id}, which is in neither the import nor the store; a stub entity stands for it",
                            row.table.name, column.name
                        ),
                    ));
                }
            }
        }
        for (stub, message) in stubs {
            self.note_at(&stub, "stub-entity", message);
            self.rows.push(stub);
        }
    }

    /// Equity into one entity that sums above 1 + 1e-6 on some date becomes ranges
    /// `[low / s, high]`, `s` the largest such sum over each row's active dates.
    ///
    /// open-formats.md sums "incoming equity from one import". The store's stakes that the import
    /// does not replace count too (a reading the contract leaves open): otherwise the import would
    /// be refused by the native share-sum rule, which the contract says must not happen. Where the
    /// store already holds `t` on a date, the import's rows there may sum to `1 − t`, so
    /// `s = sum / (1 − t)`; at `t ≥ 1` their low points become 0.
    fn oversums(&mut self, known: &KnownFacts) {
        let table = &tables::OWNERSHIP;
        let at = |name: &str| table.index(name);
        let (from, to, relation, since, until) = (at("from_id"), at("to_id"), at("relation"), at("since"), at("until"));
        let (share, share_min, share_max) = (at("share"), at("share_min"), at("share_max"));
        let mut by_target: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, row) in self.rows.iter().enumerate() {
            if row.table.name == "ownership" && row.cells[relation] == "equity" {
                by_target.entry(row.cells[to].clone()).or_default().push(i);
            }
        }
        let low = |row: &Row| -> f64 {
            let cell = if row.cells[share].is_empty() { &row.cells[share_min] } else { &row.cells[share] };
            cell.parse().unwrap_or(0.0)
        };
        let mut changes: Vec<(usize, f64, String)> = Vec::new();
        for (target, indices) in &by_target {
            let replaced: HashSet<(&str, Option<&str>)> =
                indices.iter().map(|&i| (self.rows[i].cells[from].as_str(), date(&self.rows[i].cells[since]))).collect();
            let stored: Vec<shares::Stake> = known
                .stakes
                .iter()
                .filter(|s| &s.to_id == target && !replaced.contains(&(s.from_id.as_str(), s.since.as_deref())))
                .map(|s| shares::Stake { since: s.since.as_deref(), until: s.until.as_deref(), share: s.share })
                .collect();
            let incoming: Vec<shares::Stake> = indices
                .iter()
                .map(|&i| {
                    let row = &self.rows[i];
                    shares::Stake { since: date(&row.cells[since]), until: date(&row.cells[until]), share: low(row) }
                })
                .collect();
            for (k, stake) in incoming.iter().enumerate() {
                // The sums change only where a stake starts: those dates are the candidates.
                let candidates = std::iter::once(stake.since)
                    .chain(incoming.iter().chain(&stored).filter_map(|s| s.since).map(Some))
                    .filter(|d| stake.active_on(*d));
                let mut worst: Option<(f64, f64)> = None; // (scale, import sum)
                for day in candidates {
                    let sum: f64 = incoming.iter().filter(|s| s.active_on(day)).map(|s| s.share).sum();
                    let held: f64 = stored.iter().filter(|s| s.active_on(day)).map(|s| s.share).sum();
                    if !shares::exceeds(sum + held) {
                        continue;
                    }
                    let room = 1.0 - held;
                    let scale = if room <= 0.0 { f64::INFINITY } else { sum / room };
                    if worst.is_none_or(|(s, _)| scale > s) {
                        worst = Some((scale, sum + held));
                    }
                }
                if let Some((scale, total)) = worst {
                    changes.push((indices[k], scale, format!("{total}")));
                }
            }
        }
        for (i, scale, total) in changes {
            let row = &self.rows[i];
            let (low_point, high) = if row.cells[share].is_empty() {
                (low(row), row.cells[share_max].parse().unwrap_or(1.0))
            } else {
                let value: f64 = row.cells[share].parse().unwrap_or(0.0);
                (value, value)
            };
            let new_low = if scale.is_finite() { low_point / scale } else { 0.0 };
            let message = format!(
                "equity held in {} sums to {total} (s = {}); {} → {} read as the range [{new_low}, {high}]",
                row.cells[to],
                if scale.is_finite() { scale.to_string() } else { "∞: the store holds all of it".into() },
                row.cells[from],
                row.cells[to],
            );
            self.note_at(&row.clone(), "range-from-oversum", message);
            let row = &mut self.rows[i];
            row.cells[share].clear();
            row.cells[share_min] = new_low.to_string();
            row.cells[share_max] = high.to_string();
        }
    }

    /// CSV text per table, in the order rows were staged.
    fn write(self) -> Staged {
        let mut staged = Staged { notes: self.notes, files: self.files.into_iter().map(|f| f.info).collect(), ..Default::default() };
        for table in tables::ALL {
            let rows: Vec<&Row> = self.rows.iter().filter(|r| r.table.name == table.name).collect();
            if rows.is_empty() {
                continue;
            }
            let name = staged_name(table);
            let mut text = String::new();
            let header: Vec<String> = table.columns.iter().map(|c| c.name.to_string()).collect();
            text.push_str(&header.join(","));
            text.push('\n');
            let mut line = 2u64;
            let mut origins = BTreeMap::new();
            for row in rows {
                origins.insert(line, (staged.files[row.file].name.clone(), row.location.clone()));
                let cells: Vec<String> = row.cells.iter().map(|c| quote(c)).collect();
                let record = cells.join(",");
                line += 1 + record.bytes().filter(|&b| b == b'\n').count() as u64;
                text.push_str(&record);
                text.push('\n');
            }
            staged.origins.insert(name.clone(), origins);
            staged.inputs.push(Input { name, table, source: Source::Text(text.into_bytes().into()) });
        }
        staged
    }
}

/// An optional date cell.
fn date(cell: &str) -> Option<&str> {
    (!cell.is_empty()).then_some(cell)
}

/// A cell as CSV: empty stays empty (not given); anything else is quoted.
fn quote(cell: &str) -> String {
    if cell.is_empty() { String::new() } else { format!("\"{}\"", cell.replace('"', "\"\"")) }
}

/// The row rules a published record can break.
fn row_problem(row: &Row) -> Option<String> {
    let cell = |name: &str| row.cells[row.table.index(name)].as_str();
    match row.table.name {
        "ownership" => {
            if cell("from_id") == cell("to_id") {
                return Some(format!("an edge from {} to itself", cell("from_id")));
            }
            let (since, until) = (cell("since"), cell("until"));
            if !since.is_empty() && !until.is_empty() && until < since {
                return Some(format!("until {until} is before since {since}"));
            }
            if cell("relation") == "equity" {
                if cell("share").is_empty() && cell("share_min").is_empty() && cell("share_max").is_empty() {
                    return Some("an equity row without a share or a range".into());
                }
                let (min, max) = (cell("share_min").parse::<f64>().unwrap_or(0.0), cell("share_max").parse::<f64>().unwrap_or(1.0));
                if !cell("share").is_empty() && (!cell("share_min").is_empty() || !cell("share_max").is_empty()) {
                    return Some("a share and a range".into());
                }
                if min > max {
                    return Some(format!("share_min {min} is above share_max {max}"));
                }
            } else if cell("tie_kind").is_empty() {
                return Some("a tie without a tie_kind".into());
            }
            None
        }
        "designations" => {
            let (effective, ends) = (cell("effective"), cell("ends"));
            (!ends.is_empty() && ends < effective).then(|| format!("ends {ends} is before effective {effective}"))
        }
        "identifiers" => {
            let value = cell("value");
            if value.len() > 256 {
                Some(format!("an identifier of {} bytes (at most 256)", value.len()))
            } else if cell("scheme") == "LEI" {
                cells::lei(value).err()
            } else {
                None
            }
        }
        _ => None,
    }
}
