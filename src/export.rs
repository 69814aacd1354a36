//! Spreadsheet-safe text for exports. A cell that a spreadsheet would read as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with an apostrophe, so text from
//! imports stays text. Reports export as `.csv` (the vendors table) or `.xlsx` (a vendors sheet and a
//! scenario sheet).

use std::path::Path;

use crate::engine::ScoreReport;
use crate::error::{Error, Result};
use crate::model::Factor;

/// The cell text neutralised against formula injection.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// One CSV field: neutralised, then quoted when it holds a delimiter, quote or line end.
pub fn csv_field(cell: &str) -> String {
    let cell = neutralise(cell);
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

/// One CSV field of a dataset: quoted when it holds a delimiter or line end or starts with a quote
/// (data-formats.md: only a field whose first character is a quote is read as quoted).
pub fn data_field(cell: &str) -> String {
    if cell.starts_with('"') || cell.contains([',', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_string() }
}

/// The columns of the vendors sheet: identity, result, the eight factors, the eight contributions.
fn vendor_header() -> Vec<String> {
    let mut header: Vec<String> = ["vendor_id", "name", "rank", "score", "band", "prohibited", "designation_lists", "mitigation"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(Factor::ALL.iter().map(|f| f.to_string()));
    header.extend(Factor::ALL.iter().map(|f| format!("contribution_{f}")));
    header.push("missing".into());
    header
}

/// One exported cell: text (neutralised on output) or a number.
pub enum Cell {
    Text(String),
    /// Written in Rust's shortest round-trip form (`0.2`, `1`).
    Number(f64),
    /// Written with this many decimals.
    Fixed(f64, usize),
    /// Text of a dataset (`vetta dump`): written as it is, quoted as the importer reads quotes, never
    /// neutralised, so the file imports back to the same facts.
    Data(String),
    Empty,
}

impl Cell {
    /// The cell as CSV field text: text neutralised and quoted as needed, numbers as they are.
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => csv_field(text),
            Cell::Data(text) => data_field(text),
            other => other.plain(),
        }
    }

    /// The cell as plain text (for tab-separated output, which is read by people and `cut`).
    fn plain(&self) -> String {
        match self {
            Cell::Text(text) | Cell::Data(text) => text.clone(),
            Cell::Number(x) => x.to_string(),
            Cell::Fixed(x, decimals) => format!("{x:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }
}

/// A header and rows of cells: the one model every tabular report is written from, as CSV (the one
/// CSV writer: RFC 4180 quoting, formulas neutralised) or as separated plain text.
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn csv(&self) -> String {
        self.write(",", csv_field, Cell::csv)
    }

    /// Fields joined by `separator`, unquoted.
    pub fn delimited(&self, separator: &str) -> String {
        self.write(separator, str::to_string, Cell::plain)
    }

    fn write(&self, separator: &str, header: impl Fn(&str) -> String, cell: impl Fn(&Cell) -> String) -> String {
        let mut text = self.header.iter().map(|h| header(h)).collect::<Vec<_>>().join(separator);
        text.push('\n');
        for row in &self.rows {
            text.push_str(&row.iter().map(&cell).collect::<Vec<_>>().join(separator));
            text.push('\n');
        }
        text
    }
}

fn vendor_rows(report: &ScoreReport) -> Vec<Vec<Cell>> {
    report
        .vendors
        .iter()
        .map(|v| {
            let mut row = vec![
                Cell::Text(v.vendor_id.clone()),
                Cell::Text(v.name.clone()),
                Cell::Number(v.rank as f64),
                Cell::Number(v.score),
                Cell::Text(v.band.as_str().into()),
                Cell::Text(v.prohibited.to_string()),
                Cell::Text(v.designations.join("; ")),
                Cell::Number(v.mitigation),
            ];
            row.extend(v.factors.values().map(|x| Cell::Number(*x)));
            match &v.contributions {
                Some(c) => row.extend(c.values().map(|x| Cell::Number(*x))),
                None => row.extend((0..8).map(|_| Cell::Empty)),
            }
            row.push(Cell::Text(v.missing.iter().map(|f| f.key()).collect::<Vec<_>>().join("; ")));
            row
        })
        .collect()
}

fn scenario_rows(report: &ScoreReport) -> Vec<(String, Cell)> {
    let mut rows = vec![
        ("scenario".to_string(), Cell::Text(report.scenario.clone())),
        ("method".into(), Cell::Text(report.method.as_str().into())),
        ("as_of".into(), Cell::Text(report.as_of.clone())),
        ("dataset_sha256".into(), Cell::Text(report.dataset_sha256.clone())),
    ];
    rows.extend(report.weights.iter().map(|(f, w)| (format!("weight_{f}"), Cell::Number(*w))));
    rows.extend(report.params.to_pairs().into_iter().map(|(name, value)| (name.to_string(), Cell::Text(value))));
    rows
}

/// Writes the report as `.csv` (the vendors table) or `.xlsx` (a vendors sheet and a scenario
/// sheet). The file appears whole or not at all: it is written beside its target and renamed.
pub fn write_report(report: &ScoreReport, path: &Path) -> Result<()> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let partial = path.with_extension(format!("{extension}.partial"));
    let written = match extension.as_str() {
        "csv" => write_csv(report, &partial),
        "xlsx" => write_xlsx(report, &partial),
        _ => return Err(Error::Invalid(format!("{}: export to .xlsx or .csv", path.display()))),
    };
    match written.and_then(|()| std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            Err(error)
        }
    }
}

/// Writes `bytes` to `path` whole or not at all: into a side file, then renamed over the target.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Error::io(path, e)
    })
}

/// An import report as CSV (`file,location,code,message`), every cell neutralised: the messages
/// quote published text.
pub fn notes_csv(notes: &[crate::ingest::Note]) -> String {
    let mut text = String::from("file,location,code,message\r\n");
    for note in notes {
        let cells = [&note.file, &note.location, &note.code, &note.message].map(|c| csv_field(c));
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    text
}

/// The vendors table as CSV text, every text cell neutralised.
pub fn report_csv(report: &ScoreReport) -> String {
    Sheet { header: vendor_header(), rows: vendor_rows(report) }.csv()
}

fn write_csv(report: &ScoreReport, path: &Path) -> Result<()> {
    std::fs::write(path, report_csv(report)).map_err(|e| Error::io(path, e))
}

fn write_xlsx(report: &ScoreReport, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::io(path, std::io::Error::other(e));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("vendors").map_err(xlsx)?;
    for (col, name) in vendor_header().iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name, &bold).map_err(xlsx)?;
    }
    for (r, row) in vendor_rows(report).iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, col as u16);
            match cell {
                Cell::Text(t) => sheet.write_string(r, col, neutralise(t)).map(|_| ()),
                Cell::Data(t) => sheet.write_string(r, col, t).map(|_| ()),
                Cell::Number(x) | Cell::Fixed(x, _) => sheet.write_number(r, col, *x).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(1, 2).map_err(xlsx)?;
    let sheet = book.add_worksheet().set_name("scenario").map_err(xlsx)?;
    sheet.write_string_with_format(0, 0, "name", &bold).map_err(xlsx)?;
    sheet.write_string_with_format(0, 1, "value", &bold).map_err(xlsx)?;
    for (r, (name, cell)) in scenario_rows(report).iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, name).map_err(xlsx)?;
        match cell {
            Cell::Text(t) => sheet.write_string(r, 1, neutralise(t)).map(|_| ()),
            Cell::Data(t) => sheet.write_string(r, 1, t).map(|_| ()),
            Cell::Number(x) | Cell::Fixed(x, _) => sheet.write_number(r, 1, *x).map(|_| ()),
            Cell::Empty => Ok(()),
        }
        .map_err(xlsx)?;
    }
    book.save(path).map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
