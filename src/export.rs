//! Spreadsheet-safe text for exports. A cell that a spreadsheet would read as a formula (starting
//! with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with an apostrophe, so text from
//! imports stays text.

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
