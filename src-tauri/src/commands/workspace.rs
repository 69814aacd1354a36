//! Settings → Workspace: which store the app works on — the local file, or a team store on
//! PostgreSQL — and what this login may do there.

use std::path::PathBuf;

use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The open workspace, as the app shows it.
#[derive(Serialize, ts_rs::TS)]
pub struct Workspace {
    pub info: vetta::api::WorkspaceInfo,
    /// Why the app is not on the workspace it was asked to open (see `AppState::launch`).
    pub notice: Option<String>,
}

fn describe(state: &AppState) -> CommandResult<Workspace> {
    let store = state.store();
    Ok(Workspace { info: vetta::api::workspace_info(&store, &state.location())?, notice: state.notice() })
}

/// The open workspace; the app polls it (its change counter) to tell when someone else wrote.
#[tauri::command]
pub async fn workspace(state: State<'_, AppState>) -> CommandResult<Workspace> {
    crate::state::blocking(|| describe(&state))
}

/// Connects to the team store at `url` and works on it from now on (and at the next launch). The
/// password, when given, serves this connection only: it is not kept anywhere. On failure the open
/// workspace stays as it was.
#[tauri::command]
pub async fn connect_workspace(state: State<'_, AppState>, url: String, password: Option<String>) -> CommandResult<Workspace> {
    crate::state::blocking(|| {
        let url = url.trim().to_string();
        let store = vetta::api::open_team_workspace(&url, password.as_deref())?;
        state.switch(store, PathBuf::from(&url)).map_err(|e| CommandError::denied(format!("cannot remember the workspace: {e}")))?;
        describe(&state)
    })
}

/// Goes back to the local store (the file `VETTA_DB` or the platform's data folder names).
#[tauri::command]
pub async fn use_local_workspace(state: State<'_, AppState>) -> CommandResult<Workspace> {
    crate::state::blocking(|| {
        let store = vetta::api::open_store(&state.local)?;
        state.switch(store, state.local.clone()).map_err(|e| CommandError::denied(format!("cannot forget the team workspace: {e}")))?;
        describe(&state)
    })
}
