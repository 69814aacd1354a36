//! Errors cross IPC as `{code, message}`. A code exists only where the UI branches on it.

use serde::Serialize;

/// What every failed command rejects with.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(rename = "BackendErrorPayload")]
pub struct CommandError {
    /// `invalid` (bad input), `usage` (an unknown name), `cancelled`, or `internal`.
    #[ts(type = "\"invalid\" | \"usage\" | \"cancelled\" | \"internal\"")]
    pub code: &'static str,
    pub message: String,
}

impl From<vetta::Error> for CommandError {
    fn from(error: vetta::Error) -> Self {
        let code = match &error {
            vetta::Error::Rejected(_) | vetta::Error::Invalid(_) => "invalid",
            vetta::Error::Usage(_) => "usage",
            vetta::Error::Cancelled => "cancelled",
            vetta::Error::Store(vetta::store::StoreError::Conflict(_) | vetta::store::StoreError::ReplacedLater { .. }) => "invalid",
            vetta::Error::Store(_) | vetta::Error::Io(_) => "internal",
        };
        CommandError { code, message: error.to_string() }
    }
}

impl From<vetta::store::StoreError> for CommandError {
    fn from(error: vetta::store::StoreError) -> Self {
        vetta::Error::from(error).into()
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
