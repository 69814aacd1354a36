//! Published data → native rows: the open formats of open-formats.md (FollowTheMoney, BODS, GLEIF,
//! OFAC SDN, the Consolidated Screening List, the FCC Covered List).
//!
//! A published file is recognised by its content ([`detect`]) or named by `--format`. Its format
//! module reads it into [`Staging`]: native rows with the location of their record, and a note for
//! every record left out or changed. [`Staging::finish`] applies the rules all formats share and
//! writes the rows as CSV text, which the ordinary importer then reads like any table: all or
//! nothing, the same rules, one batch. Nothing here writes anywhere.

mod bods;
mod csl;
mod fcc;
mod ftm;
mod gleif;
mod ofac;
pub mod select;
pub mod staging;
pub mod text;

use std::path::{Path, PathBuf};

use crate::ingest::csv::CsvReader;
use crate::ingest::{Cancelled, KnownFacts, OnProgress, sha256_hex};
pub use select::Selection;
pub use staging::{Staged, Staging};

/// The published formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Ftm,
    Bods,
    Gleif,
    OfacSdn,
    Csl,
    Fcc,
}

impl Format {
    pub const ALL: [Format; 6] = [Format::Ftm, Format::Bods, Format::Gleif, Format::OfacSdn, Format::Csl, Format::Fcc];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ftm => "ftm",
            Format::Bods => "bods",
            Format::Gleif => "gleif",
            Format::OfacSdn => "ofac-sdn",
            Format::Csl => "csl",
            Format::Fcc => "fcc",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A published file of an import.
#[derive(Debug, Clone)]
pub struct PublishedFile {
    pub path: PathBuf,
    /// The name notes and the batch use (the file name).
    pub name: String,
    pub format: Format,
}

/// The OFAC legacy files that come beside `sdn.csv` (no header, so recognised by name).
pub const OFAC_COMPANIONS: [&str; 3] = ["add.csv", "alt.csv", "sdn_comments.csv"];

/// How many bytes of a file [`detect`] looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The format of a file from its name and first bytes, or `None` when it is none of them.
pub fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let text = String::from_utf8_lossy(head);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let first_line = body.lines().next().unwrap_or_default();
    if lower == "sdn.csv" || OFAC_COMPANIONS.contains(&lower.as_str()) {
        return Some(Format::OfacSdn);
    }
    match body.as_bytes().first() {
        Some(b'{' | b'[') => {
            if body.contains("\"statementId\"") || body.contains("\"statementID\"") {
                Some(Format::Bods)
            } else if body.contains("\"lei-records\"")
                || body.contains("\"relationship-records\"")
                || body.contains("\"reporting-exceptions\"")
            {
                Some(Format::Gleif)
            } else if body.contains("\"schema\"") && body.contains("\"properties\"") {
                Some(Format::Ftm)
            } else {
                None
            }
        }
        Some(b'<') => {
            let gleif = ["LEIData", "RelationshipData", "ReportingExceptionData"].iter().any(|root| body.contains(root));
            gleif.then_some(Format::Gleif)
        }
        Some(_) => {
            let header = first_line.replace('"', "");
            if header.starts_with("_id,source,entity_number") {
                Some(Format::Csl)
            } else if header.starts_with("covered_equipment_or_services") {
                Some(Format::Fcc)
            } else if header.starts_with("LEI,Entity.LegalName")
                || header.starts_with("Relationship.StartNode.NodeID")
                || header.starts_with("LEI,ExceptionCategory")
                || header.starts_with("LEI,Exception.Category")
            {
                Some(Format::Gleif)
            } else if looks_like_sdn(first_line) {
                Some(Format::OfacSdn)
            } else {
                None
            }
        }
        None => None,
    }
}

/// A header-less SDN row: an integer `ent_num`, then eleven more fields.
fn looks_like_sdn(line: &str) -> bool {
    let first = line.split(',').next().unwrap_or_default();
    !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) && line.matches("\",").count() + line.matches(",-0-").count() >= 5
}

/// Reads a file's first bytes and detects its format (or takes `forced`). `None`: not published data.
pub fn recognise(path: &Path, forced: Option<Format>) -> Option<PublishedFile> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let format = match forced {
        Some(format) => format,
        None => {
            use std::io::Read;
            let mut head = Vec::with_capacity(SNIFF_BYTES);
            std::fs::File::open(path).ok()?.take(SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
            detect(&name, &head)?
        }
    };
    Some(PublishedFile { path: path.to_path_buf(), name, format })
}

/// A published CSV file's header, from the start of `reader`; one that cannot be read, or an empty
/// file, is noted (`bad-header`) and `None`: nothing of the file is imported.
fn csv_header<R: std::io::BufRead>(reader: &mut CsvReader<R>, staging: &mut Staging) -> Option<Vec<String>> {
    match reader.next_record() {
        Some(Ok(record)) => Some((0..record.len()).map(|i| record.get(i).to_string()).collect()),
        Some(Err((line, problem))) => {
            staging.note(&line.to_string(), "bad-header", format!("the header cannot be read: {problem}; nothing is imported"));
            None
        }
        None => {
            staging.note("1", "bad-header", "the file is empty");
            None
        }
    }
}

/// The records after a published CSV file's header: one that cannot be read, or whose number of
/// fields is not the header's, is noted (`bad-record`) and left out; a blank one is skipped. `each`
/// gets every other record with its location (its first line). Returns how many records there
/// were, left-out ones included and blank ones not.
fn csv_records<R: std::io::BufRead>(
    reader: &mut CsvReader<R>,
    fields: usize,
    staging: &mut Staging,
    mut each: impl FnMut(&crate::ingest::csv::Record<'_>, String, &mut Staging),
) -> u64 {
    let mut records = 0u64;
    while let Some(next) = reader.next_record() {
        let record = match next {
            Ok(record) => record,
            Err((line, problem)) => {
                staging.note(&line.to_string(), "bad-record", format!("{problem}; the record is left out"));
                records += 1;
                continue;
            }
        };
        if record.is_blank() {
            continue;
        }
        records += 1;
        let location = record.line.to_string();
        if record.len() != fields {
            let message = format!("a record of {} fields where the header has {fields}; left out", record.len());
            staging.note(&location, "bad-record", message);
            continue;
        }
        each(&record, location, staging);
    }
    records
}

/// A published file's bytes, with its hash and its own date (the fallback `source_date`).
pub struct FileBytes<'a> {
    pub file: &'a PublishedFile,
    pub bytes: Vec<u8>,
}

/// Stages every published file of an import (files of one format together, in name order), then
/// applies the shared rules. A file that cannot be read is an error of the import; a record that
/// cannot be mapped is a note. `on_progress` is asked after each file.
pub fn stage(
    files: &[PublishedFile],
    known: &KnownFacts,
    selection: Option<&Selection>,
    on_progress: OnProgress,
) -> Result<Result<Staged, (String, String)>, Cancelled> {
    let mut staging = Staging::default();
    let total: u64 = files.iter().map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len())).sum();
    let mut done = 0u64;
    for format in Format::ALL {
        let mut group: Vec<FileBytes> = Vec::new();
        let mut of_format: Vec<&PublishedFile> = files.iter().filter(|f| f.format == format).collect();
        of_format.sort_by(|a, b| a.name.cmp(&b.name));
        // With a selection, a format's bulk reader may take the files it can narrow (golden copies,
        // entity exports) and read them itself, by path; the rest are read whole.
        if let Some(selection) = selection
            && !of_format.is_empty()
        {
            let before = of_format.len();
            of_format = match stage_selected(format, &of_format, selection, &mut staging) {
                Ok(rest) => rest,
                Err((file, message)) => return Ok(Err((file, message))),
            };
            if of_format.len() != before && !on_progress(done.min(total), total) {
                return Err(Cancelled);
            }
        }
        for file in of_format {
            match std::fs::read(&file.path) {
                Ok(bytes) => group.push(FileBytes { file, bytes }),
                Err(error) => return Ok(Err((file.name.clone(), format!("cannot read: {error}")))),
            }
        }
        if group.is_empty() {
            continue;
        }
        group.sort_by(|a, b| a.file.name.cmp(&b.file.name));
        for file in &group {
            done += file.bytes.len() as u64;
        }
        stage_group(format, &group, &mut staging);
        if !on_progress(done.min(total), total) {
            return Err(Cancelled);
        }
    }
    Ok(Ok(staging.finish_selected(known, selection)))
}

/// A format's bulk path under a selection: stages the files it can narrow before reading them
/// whole and returns the others. Its result must keep at least what [`select`] keeps of the whole
/// file: the shared selection then runs on what it staged.
fn stage_selected<'f>(
    format: Format,
    files: &[&'f PublishedFile],
    selection: &Selection,
    staging: &mut Staging,
) -> Result<Vec<&'f PublishedFile>, (String, String)> {
    match format {
        Format::Ftm => ftm::stage_selected(files, selection, staging),
        Format::Gleif => gleif::stage_selected(files, selection, staging),
        _ => Ok(files.to_vec()),
    }
}

/// Stages the files of one format.
pub fn stage_group(format: Format, files: &[FileBytes], staging: &mut Staging) {
    match format {
        Format::Ftm => files.iter().for_each(|f| ftm::stage(f, staging)),
        Format::Bods => files.iter().for_each(|f| bods::stage(f, staging)),
        Format::Gleif => files.iter().for_each(|f| gleif::stage(f, staging)),
        Format::OfacSdn => ofac::stage(files, staging),
        Format::Csl => files.iter().for_each(|f| csl::stage(f, staging)),
        Format::Fcc => files.iter().for_each(|f| fcc::stage(f, staging)),
    }
}

impl FileBytes<'_> {
    /// Starts this file in the staging: its hash, and its modification date as the fallback date.
    pub fn begin(&self, staging: &mut Staging) {
        let modified = std::fs::metadata(&self.file.path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).format("%Y-%m-%d").to_string());
        staging.begin_file(&self.file.name, sha256_hex(&self.bytes), modified);
    }
}

/// Stages bytes held in memory as one file of `format` (tests and fuzzing): the same path as a file
/// on disk, without a file date.
pub fn stage_bytes(format: Format, name: &str, bytes: &[u8], known: &KnownFacts) -> Staged {
    let file = PublishedFile { path: PathBuf::from(name), name: name.to_string(), format };
    let group = [FileBytes { file: &file, bytes: bytes.to_vec() }];
    let mut staging = Staging::default();
    stage_group(format, &group, &mut staging);
    staging.finish(known)
}

/// Stages several files held in memory as one group of `format` (OFAC's `sdn.csv` with its
/// companions, in tests and fuzzing).
pub fn stage_files(format: Format, files: &[(&str, &[u8])], known: &KnownFacts) -> Staged {
    let files: Vec<(Format, &str, &[u8])> = files.iter().map(|&(name, bytes)| (format, name, bytes)).collect();
    stage_embedded(&files, known)
}

/// Stages files held in memory, each of its format (the demo's lists, tests, fuzzing), as an import
/// of files on disk would: format by format, the files of one format together in name order, without
/// file dates.
pub fn stage_embedded(files: &[(Format, &str, &[u8])], known: &KnownFacts) -> Staged {
    let mut staging = Staging::default();
    for format in Format::ALL {
        let mut published: Vec<(PublishedFile, &[u8])> = files
            .iter()
            .filter(|f| f.0 == format)
            .map(|&(_, name, bytes)| (PublishedFile { path: PathBuf::from(name), name: name.to_string(), format }, bytes))
            .collect();
        if published.is_empty() {
            continue;
        }
        published.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let group: Vec<FileBytes> = published.iter().map(|(file, bytes)| FileBytes { file, bytes: bytes.to_vec() }).collect();
        stage_group(format, &group, &mut staging);
    }
    staging.finish(known)
}

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
