//! Settings kept in the store: theme and countries of concern.

use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// The app's colour scheme; `system` follows the desktop's.
#[derive(Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(word: &str) -> Theme {
        [Theme::Light, Theme::Dark].into_iter().find(|t| t.as_str() == word).unwrap_or(Theme::System)
    }
}

#[derive(Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    theme: Theme,
    concern_countries: Vec<String>,
    #[serde(default, skip_deserializing)]
    store_path: String,
}

#[tauri::command]
pub fn settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    let store = state.store();
    let theme = Theme::parse(store.setting("theme")?.as_deref().unwrap_or_default());
    let concern = store
        .setting("concern_countries")?
        .map_or_else(|| vetta::factors::DEFAULT_CONCERN_COUNTRIES.map(String::from).to_vec(), |c| c.split(',').map(String::from).collect());
    Ok(Settings { theme, concern_countries: concern, store_path: vetta::api::store_label(&state.location()) })
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> CommandResult<()> {
    let mut probe = vetta::factors::Params::defaults(vetta::engine::today());
    probe.set("concern_countries", &settings.concern_countries.join(",")).map_err(|e| vetta::Error::Invalid(e.to_string()))?;
    let mut store = state.store();
    store.set_setting("theme", settings.theme.as_str())?;
    Ok(store.set_setting("concern_countries", &settings.concern_countries.join(","))?)
}
