//! Charts for the screen and PDF briefs to a path the user chose in the save dialog.

use std::path::PathBuf;

use tauri::State;
use vetta::briefing::{self, BriefOptions};
use vetta::scenario::ScenarioInput;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

/// The charts the screen can ask for.
#[derive(Clone, Copy, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Ranking,
    Radar,
    Sales,
    InstallBase,
    Testimony,
    Tornado,
    Smaa,
    Ownership,
}

impl ChartKind {
    fn as_str(self) -> &'static str {
        match self {
            ChartKind::Ranking => "ranking",
            ChartKind::Radar => "radar",
            ChartKind::Sales => "sales",
            ChartKind::InstallBase => "install_base",
            ChartKind::Testimony => "testimony",
            ChartKind::Tornado => "tornado",
            ChartKind::Smaa => "smaa",
            ChartKind::Ownership => "ownership",
        }
    }
}

/// One chart as an SVG document, drawn by the code that draws the briefs' figures.
#[tauri::command]
pub fn chart(
    state: State<'_, AppState>,
    kind: ChartKind,
    vendor_ids: Vec<String>,
    scenario: ScenarioInput,
    dark: bool,
) -> CommandResult<String> {
    let store = state.store();
    Ok(briefing::chart(&store, kind.as_str(), &vendor_ids, &scenario_options(&store, &scenario), dark)?)
}

/// Typesets the brief off the UI thread (async command) and writes the PDF whole, or nothing.
#[tauri::command]
pub async fn write_brief(state: State<'_, AppState>, vendor_ids: Vec<String>, scenario: ScenarioInput, path: PathBuf) -> CommandResult<()> {
    let store = state.store();
    Ok(briefing::write_brief(&store, &vendor_ids, &path, &scenario_options(&store, &scenario), &BriefOptions::default())?)
}
