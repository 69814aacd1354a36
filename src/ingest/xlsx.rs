//! `.xlsx` workbooks: one sheet per table, named after the files. Cells become the text a CSV would
//! have held (data-formats.md, "Workbooks"), so the same rules apply to both.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use super::csv::{CsvProblem, Record};
use super::{Input, Records, Report, Source, tables};

/// The sheets of a workbook that name tables; other sheets are warned about.
pub fn sheet_inputs(path: &Path, file_name: &str, report: &mut Report) -> Result<Vec<Input>, String> {
    let workbook: Xlsx<_> = open_workbook(path).map_err(|error| format!("cannot open the workbook: {error}"))?;
    let mut inputs = Vec::new();
    for sheet in workbook.sheet_names() {
        match tables::by_name(&sheet) {
            Some(table) => inputs.push(Input {
                name: format!("{file_name}[{sheet}]"),
                table,
                source: Source::Sheet { workbook: path.to_path_buf(), sheet: sheet.clone() },
            }),
            None => report.warnings.push(format!("{file_name}[{sheet}]: not a Vetta table, skipped")),
        }
    }
    Ok(inputs)
}

/// The rows of one sheet as records; the line of a record is the sheet's row number.
pub struct SheetRecords {
    rows: Vec<(u64, Vec<String>)>,
    next: usize,
    text: String,
    bounds: Vec<(usize, usize)>,
}

impl SheetRecords {
    /// Opens the sheet; also returns the SHA-256 of the workbook file.
    pub fn open(path: &Path, sheet: &str) -> Result<(Self, String), String> {
        let bytes = std::fs::read(path).map_err(|error| format!("cannot read the workbook: {error}"))?;
        let sha256 = super::sha256_hex(&bytes);
        let mut workbook: Xlsx<_> = open_workbook(path).map_err(|error| format!("cannot open the workbook: {error}"))?;
        let range = workbook.worksheet_range(sheet).map_err(|error| format!("cannot read sheet {sheet}: {error}"))?;
        let first_row = range.start().map_or(0, |(row, _)| row as u64);
        let rows = range.rows().enumerate().map(|(i, cells)| (first_row + i as u64 + 1, cells.iter().map(cell_text).collect())).collect();
        Ok((SheetRecords { rows, next: 0, text: String::new(), bounds: Vec::new() }, sha256))
    }
}

impl Records for SheetRecords {
    fn next_record(&mut self) -> Option<Result<Record<'_>, (u64, CsvProblem)>> {
        let (line, cells) = self.rows.get(self.next)?;
        self.next += 1;
        self.text.clear();
        self.bounds.clear();
        for cell in cells {
            let start = self.text.len();
            self.text.push_str(cell);
            self.bounds.push((start, self.text.len()));
        }
        Some(Ok(Record::new(*line, &self.text, &self.bounds)))
    }
}

/// A cell as CSV text: booleans as `true`/`false`, numbers in their shortest decimal form, dates as
/// `YYYY-MM-DD`, empty cells empty.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Bool(flag) => flag.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => x.to_string(),
        Data::DateTime(date_time) => match date_time.as_datetime() {
            Some(moment) if moment.time() == chrono::NaiveTime::MIN => moment.date().format("%Y-%m-%d").to_string(),
            Some(moment) => moment.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => date_time.as_f64().to_string(),
        },
        Data::DateTimeIso(text) => text.strip_suffix("T00:00:00").unwrap_or(text).to_string(),
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}
