//! A streaming reader for the CSV dialect of data-formats.md: RFC 4180 quoting where a field is quoted
//! only when its first character is a quote, `\n` or `\r\n` line ends, an optional UTF-8 BOM.
//!
//! It yields one record at a time with the physical line it starts on, so errors can name
//! `file:line:column`, and reuses its buffers so a multi-million-row ledger streams without allocating
//! per row. It knows nothing of the tables; cell rules live in `cells`.

use std::io::BufRead;

/// Why a record could not be read. The field index, where known, lets the caller name the column.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvProblem {
    /// A character other than a delimiter or a line end follows a closing quote.
    AfterClosingQuote { field: usize },
    /// End of file inside a quoted field.
    UnclosedQuote { field: usize },
    /// The record is not valid UTF-8.
    InvalidUtf8 { field: usize },
    /// The underlying reader failed (a bad gzip stream, for example).
    Io(String),
}

impl std::fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AfterClosingQuote { .. } => f.write_str("unexpected character after a closing quote"),
            Self::UnclosedQuote { .. } => f.write_str("quote left open at end of file"),
            Self::InvalidUtf8 { .. } => f.write_str("text is not valid UTF-8"),
            Self::Io(message) => write!(f, "cannot read: {message}"),
        }
    }
}

/// One record: its fields, already unquoted (not yet trimmed), and the line it starts on.
pub struct Record<'a> {
    pub line: u64,
    text: &'a str,
    bounds: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    /// A record of already-separated fields: `bounds` are byte ranges of `text`.
    pub fn new(line: u64, text: &'a str, bounds: &'a [(usize, usize)]) -> Self {
        Record { line, text, bounds }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Field `index`, unquoted and trimmed of Unicode White_Space.
    pub fn get(&self, index: usize) -> &'a str {
        let (start, end) = self.bounds[index];
        self.text[start..end].trim()
    }

    /// True when every field is empty after trimming (such rows are skipped).
    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| self.get(i).is_empty())
    }
}

pub struct CsvReader<R> {
    input: R,
    /// Physical line the next record starts on (1-based).
    next_line: u64,
    raw: Vec<u8>,
    unquoted: Vec<u8>,
    bounds: Vec<(usize, usize)>,
    at_start: bool,
    done: bool,
}

impl<R: BufRead> CsvReader<R> {
    pub fn new(input: R) -> Self {
        CsvReader {
            input,
            next_line: 1,
            raw: Vec::with_capacity(4096),
            unquoted: Vec::with_capacity(4096),
            bounds: Vec::with_capacity(32),
            at_start: true,
            done: false,
        }
    }

    /// Reads the next record. `Ok(None)` at end of input; an error carries the record's start line.
    /// After an error the reader goes on with the next physical line.
    pub fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>> {
        if self.done {
            return None;
        }
        let line = self.next_line;
        self.raw.clear();
        // Read physical lines until the quotes balance: a quoted field may hold line ends.
        let mut open_quote = false;
        loop {
            let before = self.raw.len();
            match self.input.read_until(b'\n', &mut self.raw) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => {
                    self.done = true;
                    return Some(Err((line, CsvProblem::Io(error.to_string()))));
                }
            }
            if self.at_start {
                self.at_start = false;
                if self.raw.starts_with(b"\xEF\xBB\xBF") {
                    self.raw.drain(..3);
                }
            }
            self.next_line += 1;
            open_quote = quote_state_after(&self.raw, before, open_quote);
            if !open_quote {
                break;
            }
        }
        if self.raw.is_empty() {
            self.done = true;
            return None;
        }
        Some(self.split(line, open_quote).map_err(|problem| (line, problem)))
    }

    fn split(&mut self, line: u64, open_at_eof: bool) -> Result<Record<'_>, CsvProblem> {
        let mut raw: &[u8] = &self.raw;
        if raw.ends_with(b"\n") && !open_at_eof {
            raw = &raw[..raw.len() - 1];
            if raw.ends_with(b"\r") {
                raw = &raw[..raw.len() - 1];
            }
        }
        self.bounds.clear();
        // Most ledger records hold no quote at all: their fields are slices of the line itself.
        if !raw.contains(&b'"') {
            let mut start = 0;
            for (i, &b) in raw.iter().enumerate() {
                if b == b',' {
                    self.bounds.push((start, i));
                    start = i + 1;
                }
            }
            self.bounds.push((start, raw.len()));
            let text = std::str::from_utf8(raw).map_err(|error| {
                let bad = error.valid_up_to();
                CsvProblem::InvalidUtf8 { field: self.bounds.iter().position(|&(_, end)| bad < end).unwrap_or(0) }
            })?;
            return Ok(Record { line, text, bounds: &self.bounds });
        }
        self.unquoted.clear();
        let mut pos = 0;
        loop {
            let field = self.bounds.len();
            let start = self.unquoted.len();
            if raw.get(pos) == Some(&b'"') {
                pos += 1;
                loop {
                    match raw[pos..].iter().position(|&b| b == b'"') {
                        None => return Err(CsvProblem::UnclosedQuote { field }),
                        Some(offset) => {
                            self.unquoted.extend_from_slice(&raw[pos..pos + offset]);
                            pos += offset + 1;
                            if raw.get(pos) == Some(&b'"') {
                                self.unquoted.push(b'"');
                                pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
                match raw.get(pos) {
                    None => {
                        self.bounds.push((start, self.unquoted.len()));
                        break;
                    }
                    Some(b',') => {
                        self.bounds.push((start, self.unquoted.len()));
                        pos += 1;
                    }
                    Some(_) => return Err(CsvProblem::AfterClosingQuote { field }),
                }
            } else {
                match raw[pos..].iter().position(|&b| b == b',') {
                    None => {
                        self.unquoted.extend_from_slice(&raw[pos..]);
                        self.bounds.push((start, self.unquoted.len()));
                        break;
                    }
                    Some(offset) => {
                        self.unquoted.extend_from_slice(&raw[pos..pos + offset]);
                        self.bounds.push((start, self.unquoted.len()));
                        pos += offset + 1;
                    }
                }
            }
        }
        let text = match std::str::from_utf8(&self.unquoted) {
            Ok(text) => text,
            Err(error) => {
                let bad = error.valid_up_to();
                let field = self.bounds.iter().position(|&(_, end)| bad < end).unwrap_or(0);
                return Err(CsvProblem::InvalidUtf8 { field });
            }
        };
        // Each field must be UTF-8 on its own: a field ending inside a character the next field
        // completes (`"…\xDA","\xBA…"`) makes valid text together but not apart.
        if let Some(field) = self.bounds.iter().position(|&(_, end)| !text.is_char_boundary(end)) {
            return Err(CsvProblem::InvalidUtf8 { field });
        }
        Ok(Record { line, text, bounds: &self.bounds })
    }
}

/// Reads records on a second thread, so that reading, hashing and splitting a file overlap with
/// validating it: a ledger of millions of rows then uses both cores. Records arrive in batches, in
/// file order, exactly as [`CsvReader`] yields them.
pub struct Prefetch {
    batches: std::sync::mpsc::Receiver<Batch>,
    current: Batch,
    next: usize,
    done: bool,
}

/// Records packed into three buffers, so a batch of thousands of records costs three allocations.
#[derive(Default)]
struct Batch {
    text: String,
    bounds: Vec<(usize, usize)>,
    /// Per record: its line, then its fields `bounds[first..first + count]`, or the problem.
    records: Vec<(u64, Result<FieldRange, CsvProblem>)>,
}

/// The fields of one record in a batch: (first, count) in `bounds`.
type FieldRange = (usize, usize);

const RECORDS_PER_BATCH: usize = 8192;

impl Prefetch {
    pub fn spawn<R: BufRead + Send + 'static>(mut reader: CsvReader<R>) -> Prefetch {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Batch>(4);
        std::thread::spawn(move || {
            let mut batch = Batch::default();
            while let Some(next) = reader.next_record() {
                match next {
                    Ok(record) => {
                        let first = batch.bounds.len();
                        let offset = batch.text.len();
                        batch.text.push_str(record.text);
                        batch.bounds.extend(record.bounds.iter().map(|&(a, b)| (a + offset, b + offset)));
                        batch.records.push((record.line, Ok((first, record.bounds.len()))));
                    }
                    Err((line, problem)) => batch.records.push((line, Err(problem))),
                }
                if batch.records.len() == RECORDS_PER_BATCH && sender.send(std::mem::take(&mut batch)).is_err() {
                    return;
                }
            }
            let _ = sender.send(batch);
        });
        Prefetch { batches, current: Batch::default(), next: 0, done: false }
    }

    pub fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>> {
        while self.next == self.current.records.len() {
            if self.done {
                return None;
            }
            match self.batches.recv() {
                Ok(batch) => {
                    self.current = batch;
                    self.next = 0;
                }
                Err(_) => {
                    self.done = true;
                    return None;
                }
            }
        }
        let (line, record) = &self.current.records[self.next];
        self.next += 1;
        Some(match record {
            Ok((first, count)) => Ok(Record { line: *line, text: &self.current.text, bounds: &self.current.bounds[*first..first + count] }),
            Err(problem) => Err((*line, problem.clone())),
        })
    }
}

/// Whether a quoted field is still open after scanning `raw[from..]`, starting in state `open`.
/// A quote opens a field only at a field's first character; elsewhere it is ordinary text.
fn quote_state_after(raw: &[u8], from: usize, mut open: bool) -> bool {
    let mut at_field_start = from == 0 || (!open && raw[from - 1] == b',');
    let mut i = from;
    while i < raw.len() {
        let b = raw[i];
        if open {
            if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = false;
                }
            }
            at_field_start = false;
        } else if b == b'"' && at_field_start {
            open = true;
            at_field_start = false;
        } else {
            at_field_start = b == b',';
        }
        i += 1;
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = Result<(u64, Vec<String>), (u64, CsvProblem)>;

    fn records(text: &str) -> Vec<Read> {
        let mut reader = CsvReader::new(text.as_bytes());
        let mut out = Vec::new();
        while let Some(next) = reader.next_record() {
            out.push(next.map(|r| (r.line, (0..r.len()).map(|i| r.get(i).to_string()).collect())));
        }
        out
    }

    fn ok(line: u64, fields: &[&str]) -> Read {
        Ok((line, fields.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn quoted_fields_may_span_lines_and_escape_quotes() {
        let got = records("a,b\r\n\"x\ny\",\"he said \"\"hi\"\"\"\nlast,1");
        assert_eq!(got, vec![ok(1, &["a", "b"]), ok(2, &["x\ny", "he said \"hi\""]), ok(4, &["last", "1"])]);
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_ordinary_text() {
        assert_eq!(records("5\" disk, \"b\"\n"), vec![ok(1, &["5\" disk", "\"b\""])]);
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let got = records("a,b\n\"x\"y,2\nok,3\n");
        assert_eq!(got[1], Err((2, CsvProblem::AfterClosingQuote { field: 0 })));
        assert_eq!(got[2], ok(3, &["ok", "3"]), "reading resumes on the next line");
    }

    #[test]
    fn an_open_quote_at_end_of_file_is_an_error() {
        let got = records("a,b\n1,\"never closed\n\n");
        assert_eq!(got[1], Err((2, CsvProblem::UnclosedQuote { field: 1 })));
    }

    #[test]
    fn a_character_split_between_two_quoted_fields_is_invalid_utf8() {
        // Found by the `published` fuzz target: "\xDA" ends one field, "\xBA" starts the next;
        // together they are "ں", which once made a field slice end inside a character.
        let mut reader = CsvReader::new(&b"a,b\n\"x\xDA\",\"\xBAy\"\nok,1\n"[..]);
        assert!(reader.next_record().unwrap().is_ok());
        assert_eq!(reader.next_record().unwrap().err(), Some((2, CsvProblem::InvalidUtf8 { field: 0 })));
        assert_eq!(reader.next_record().unwrap().map(|r| r.get(0).to_string()).ok(), Some("ok".to_string()));
    }

    #[test]
    fn the_bom_is_dropped_and_cells_are_trimmed_of_unicode_space() {
        assert_eq!(records("\u{feff}id\u{a0}, x \u{2003}\n"), vec![ok(1, &["id", "x"])]);
    }
}
