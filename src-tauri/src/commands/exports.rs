//! Spreadsheet exports to a path the user chose in the save dialog.

use std::path::PathBuf;

use tauri::State;
use vetta::scenario::ScenarioInput;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

#[tauri::command]
pub async fn write_export(state: State<'_, AppState>, path: PathBuf, scenario: ScenarioInput) -> CommandResult<()> {
    crate::state::blocking(|| {
        state.require_writable(&path)?;
        let store = state.store();
        let report = state.evaluations().score(&store, &scenario_options(&store, &scenario))?;
        Ok(vetta::export::write_report(&report, &path)?)
    })
}

/// Writes the whole store as a dataset folder (`vetta dump`) into a folder a dialog returned; the
/// folder must be new or empty.
#[tauri::command]
pub async fn write_dump(state: State<'_, AppState>, path: PathBuf) -> CommandResult<vetta::api::Dumped> {
    crate::state::blocking(|| {
        state.require_writable(&path)?;
        Ok(vetta::api::dump(&state.store(), &path)?)
    })
}

/// The OS user's name: who a link made in the app was decided by, unless the user types another.
#[tauri::command]
pub fn user_name() -> String {
    vetta::store::os_user().unwrap_or_default()
}
