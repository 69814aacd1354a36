//! The data view: validate before writing, import, batch history and undo; rows entered by hand in
//! the vendor view.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tauri::State;
use vetta::api::{self, EntryResult, ImportOutcome, TableSchema};
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

/// Every table's columns for the vendor view's form.
#[tauri::command]
pub fn table_schemas() -> Vec<TableSchema> {
    api::table_schemas()
}

/// A vendor's rows of one table, as cells the form can edit and enter again.
#[tauri::command]
pub fn vendor_rows(state: State<'_, AppState>, vendor_id: String, table: String) -> CommandResult<Vec<BTreeMap<String, String>>> {
    Ok(api::vendor_rows(&state.store(), &table, &vendor_id)?)
}

/// Enters rows as one batch; a rejection is answered with its report (the form shows its lines).
#[tauri::command]
pub fn enter_rows(state: State<'_, AppState>, table: String, rows: Vec<BTreeMap<String, String>>) -> CommandResult<EntryResult> {
    Ok(EntryResult::of(api::enter_rows(&mut state.store(), &table, &rows))?)
}
