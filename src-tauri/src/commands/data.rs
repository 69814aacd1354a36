//! The data view: validate before writing, import, batch history and undo.

use std::path::PathBuf;

use tauri::State;
use vetta::api::{self, ImportOutcome};
use vetta::ingest::Report;
use vetta::store::Batch;

use crate::error::CommandResult;
use crate::state::AppState;

/// The validation report of files, whether they pass or not (a failing check is not an error here:
/// the view shows its lines).
#[tauri::command]
pub async fn check_import(state: State<'_, AppState>, paths: Vec<PathBuf>) -> CommandResult<Report> {
    match api::check(&state.store(), &paths) {
        Ok(report) | Err(vetta::Error::Rejected(report)) => Ok(report),
        Err(other) => Err(other.into()),
    }
}

#[tauri::command]
pub async fn import_files(state: State<'_, AppState>, paths: Vec<PathBuf>) -> CommandResult<ImportOutcome> {
    Ok(api::import(&mut state.store(), &paths)?)
}

#[tauri::command]
pub fn batches(state: State<'_, AppState>) -> CommandResult<Vec<Batch>> {
    Ok(state.store().batches()?)
}

#[tauri::command]
pub fn undo(state: State<'_, AppState>, batch_id: i64) -> CommandResult<Batch> {
    Ok(state.store().undo(batch_id)?)
}
