//! The errors a use case can end in, and the exit status each maps to (cli.md: 1 bad input, 2 usage).

use crate::ingest::Report;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The dataset broke rules of data-formats.md; nothing was written.
    #[error("{}", render_rejection(.0))]
    Rejected(Report),
    /// A bad value from the user: an unknown vendor, a parameter out of its domain, …
    #[error("{0}")]
    Invalid(String),
    /// A name the program does not know: a factor or parameter name (cli.md: exit 2).
    #[error("{0}")]
    Usage(String),
    /// Long work was cancelled by the user.
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn render_rejection(report: &Report) -> String {
    let mut text = String::new();
    for warning in &report.warnings {
        text.push_str(&format!("warning: {warning}\n"));
    }
    for error in &report.errors {
        text.push_str(&error.to_string());
        text.push('\n');
    }
    let shown = report.errors.len();
    if report.error_count > shown {
        text.push_str(&format!("… and {} more errors\n", report.error_count - shown));
    }
    text.push_str(&format!(
        "rejected: {} error{} found; nothing was imported",
        report.error_count,
        if report.error_count == 1 { "" } else { "s" }
    ));
    text
}
