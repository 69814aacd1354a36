//! Spreadsheet exports to a path the user chose in the save dialog.

use std::path::PathBuf;

use tauri::State;
use vetta::scenario::ScenarioInput;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

#[tauri::command]
pub async fn write_export(state: State<'_, AppState>, path: PathBuf, scenario: ScenarioInput) -> CommandResult<()> {
    state.require_writable(&path)?;
    let store = state.store();
    let report = state.evaluations().score(&store, &scenario_options(&store, &scenario))?;
    Ok(vetta::export::write_report(&report, &path)?)
}
