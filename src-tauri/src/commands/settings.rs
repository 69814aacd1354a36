//! Settings kept in the store: theme and countries of concern.

use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    theme: String,
    concern_countries: Vec<String>,
    #[serde(default, skip_deserializing)]
    store_path: String,
}

#[tauri::command]
pub fn settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    let store = state.store();
    let theme = store.setting("theme")?.unwrap_or_else(|| "system".into());
    let concern = store
        .setting("concern_countries")?
        .map_or_else(|| vetta::factors::DEFAULT_CONCERN_COUNTRIES.map(String::from).to_vec(), |c| c.split(',').map(String::from).collect());
    Ok(Settings { theme, concern_countries: concern, store_path: state.store_path.display().to_string() })
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> CommandResult<()> {
    let mut probe = vetta::factors::Params::defaults(vetta::engine::today());
    probe.set("concern_countries", &settings.concern_countries.join(",")).map_err(|e| vetta::Error::Invalid(e.to_string()))?;
    let mut store = state.store();
    store.set_setting("theme", &settings.theme)?;
    Ok(store.set_setting("concern_countries", &settings.concern_countries.join(","))?)
}
