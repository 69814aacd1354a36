//! The errors a use case can end in, and the exit status each maps to (cli.md: 1 bad input, 2 usage).

use std::path::PathBuf;

use crate::ingest::Report;
use crate::scoring::ScoringError;
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
    /// Weights, scores or an analysis the risk model refuses, with the values at fault.
    #[error(transparent)]
    Scoring(ScoringError),
    /// Long work was cancelled by the user.
    #[error("cancelled")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bundle refused: unsigned, signed by an unknown key, changed, or not a bundle.
    #[error("{}: {error}", path.display())]
    Bundle { path: PathBuf, error: crate::bundle::BundleError },
    /// Reading or writing a file failed; the OS's error is kept as the source.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

impl Error {
    /// The one mapping from an error to the command line's exit status (cli.md): 2 for usage, 1 for
    /// everything else (bad input, refused changes, failed files).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Rejected(_)
            | Error::Invalid(_)
            | Error::Scoring(_)
            | Error::Cancelled
            | Error::Store(_)
            | Error::Bundle { .. }
            | Error::Io { .. } => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

impl From<ScoringError> for Error {
    /// A cancelled run is [`Error::Cancelled`], like every cancelled use case.
    fn from(error: ScoringError) -> Error {
        match error {
            ScoringError::Cancelled => Error::Cancelled,
            other => Error::Scoring(other),
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
