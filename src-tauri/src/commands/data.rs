//! The data view: validate before writing, import, batch history and undo; rows entered by hand in
//! the vendor view.

use std::collections::BTreeMap;
use std::path::PathBuf;

use std::sync::atomic::Ordering;

use tauri::State;
use tauri::ipc::Channel;
use vetta::api::{self, EntryResult, ImportOutcome, TableSchema};
use vetta::ingest::Report;
use vetta::store::Batch;

use crate::error::CommandResult;
use crate::state::AppState;

/// Bytes of the chosen files read so far.
#[derive(Clone, serde::Serialize, ts_rs::TS)]
pub struct ReadProgress {
    read: u64,
    total: u64,
}

/// Sends each progress report through the channel; answers whether to go on (`cancel_import` says no).
fn watcher<'a>(state: &'a AppState, channel: &'a Channel<ReadProgress>) -> impl Fn(u64, u64) -> bool + Sync + 'a {
    state.import_cancel.store(false, Ordering::SeqCst);
    move |read, total| {
        let _ = channel.send(ReadProgress { read, total });
        !state.import_cancel.load(Ordering::SeqCst)
    }
}

/// The validation report of files, whether they pass or not (a failing check is not an error here:
/// the view shows its lines). Off the UI thread, with progress, cancelled by `cancel_import`.
#[tauri::command]
pub async fn check_import(
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
    allow_unsigned: Option<bool>,
    on_progress: Channel<ReadProgress>,
) -> CommandResult<Report> {
    crate::state::blocking(|| {
        state.require_readable(&paths)?;
        match api::check_watched(&state.store(), &paths, &options(allow_unsigned), &watcher(&state, &on_progress)) {
            Ok(report) | Err(vetta::Error::Rejected(report)) => Ok(report),
            Err(other) => Err(other.into()),
        }
    })
}

/// Imports as one batch, off the UI thread, with progress; a cancelled import writes nothing. A
/// bundle must be signed by a trusted key unless `allow_unsigned` (the user's "Accept unsigned",
/// asked after an `unsigned` refusal).
#[tauri::command]
pub async fn import_files(
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
    allow_unsigned: Option<bool>,
    on_progress: Channel<ReadProgress>,
) -> CommandResult<ImportOutcome> {
    crate::state::blocking(|| {
        state.require_readable(&paths)?;
        Ok(api::import_watched(&mut state.store(), &paths, &options(allow_unsigned), &watcher(&state, &on_progress))?)
    })
}

fn options(allow_unsigned: Option<bool>) -> api::ImportOptions {
    api::ImportOptions { allow_unsigned: allow_unsigned.unwrap_or(false), ..api::ImportOptions::default() }
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.import_cancel.store(true, Ordering::SeqCst);
}

#[tauri::command]
pub fn batches(state: State<'_, AppState>) -> CommandResult<Vec<Batch>> {
    Ok(state.store().batches()?)
}

#[tauri::command]
pub async fn undo(state: State<'_, AppState>, batch_id: i64) -> CommandResult<Batch> {
    crate::state::blocking(|| Ok(state.store().undo(batch_id)?))
}

/// Every table's columns for the vendor view's form.
#[tauri::command]
pub fn table_schemas() -> Vec<TableSchema> {
    api::table_schemas()
}

/// A vendor's rows of one table, as cells the form can edit and enter again.
#[tauri::command]
pub async fn vendor_rows(state: State<'_, AppState>, vendor_id: String, table: String) -> CommandResult<Vec<BTreeMap<String, String>>> {
    crate::state::blocking(|| Ok(api::vendor_rows(&state.store(), &table, &vendor_id)?))
}

/// Enters rows as one batch; a rejection is answered with its report (the form shows its lines).
#[tauri::command]
pub async fn enter_rows(state: State<'_, AppState>, table: String, rows: Vec<BTreeMap<String, String>>) -> CommandResult<EntryResult> {
    crate::state::blocking(|| Ok(EntryResult::of(api::enter_rows(&mut state.store(), &table, &rows))?))
}
