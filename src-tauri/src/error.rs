//! Errors cross IPC as `{code, message}`. A code exists only where the UI branches on it.

use serde::Serialize;

/// What every failed command rejects with.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(rename = "BackendErrorPayload")]
pub struct CommandError {
    /// `invalid` (bad input), `usage` (an unknown name), `cancelled`, `denied` (a path no dialog
    /// returned), `unsigned` (a bundle without a signature: the import may be retried accepting it
    /// knowingly), `read-only` (a write refused to a viewer of a team workspace), or `internal`.
    #[ts(type = "\"invalid\" | \"usage\" | \"cancelled\" | \"denied\" | \"unsigned\" | \"read-only\" | \"internal\"")]
    pub code: &'static str,
    pub message: String,
    /// For a refusal of the risk model (weights, scores, an analysis): what it refused, with the
    /// factor or value at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scoring: Option<vetta::scoring::ScoringError>,
}

impl CommandError {
    /// A refused path or file access.
    pub fn denied(message: String) -> CommandError {
        CommandError { code: "denied", message, scoring: None }
    }
}

impl From<vetta::Error> for CommandError {
    fn from(error: vetta::Error) -> Self {
        let code = match &error {
            vetta::Error::Rejected(_) | vetta::Error::Invalid(_) | vetta::Error::Scoring(_) => "invalid",
            vetta::Error::Usage(_) => "usage",
            vetta::Error::Cancelled => "cancelled",
            vetta::Error::Store(vetta::store::StoreError::Conflict(_) | vetta::store::StoreError::ReplacedLater { .. }) => "invalid",
            vetta::Error::Bundle { error: vetta::bundle::BundleError::Unsigned, .. } => "unsigned",
            vetta::Error::Bundle { .. } => "invalid",
            vetta::Error::Store(vetta::store::StoreError::ReadOnly(_)) => "read-only",
            vetta::Error::Store(_) | vetta::Error::Io { .. } => "internal",
        };
        let scoring = if let vetta::Error::Scoring(scoring) = &error { Some(scoring.clone()) } else { None };
        CommandError { code, message: error.to_string(), scoring }
    }
}

impl From<vetta::store::StoreError> for CommandError {
    fn from(error: vetta::store::StoreError) -> Self {
        vetta::Error::from(error).into()
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
