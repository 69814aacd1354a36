//! Charts for the screen and PDF briefs to a path the user chose in the save dialog.

use std::path::PathBuf;

use tauri::State;
use vetta::briefing::{self, BriefOptions, ChartKind};
use vetta::scenario::ScenarioInput;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

/// One chart as an SVG document, drawn by the code that draws the briefs' figures, from the cached
/// evaluation.
#[tauri::command]
pub async fn chart(
    state: State<'_, AppState>,
    kind: ChartKind,
    vendor_ids: Vec<String>,
    scenario: ScenarioInput,
    dark: bool,
) -> CommandResult<String> {
    crate::state::blocking(|| {
        let store = state.store();
        let mut evaluations = state.evaluations();
        let evaluation = evaluations.evaluation(&store, &scenario_options(&store, &scenario))?;
        Ok(briefing::chart_of(evaluation, &evaluation.score(), kind, &vendor_ids, dark)?)
    })
}

/// Typesets the brief off the UI thread (async command) and writes the PDF whole, or nothing.
/// `changes_since` (a batch number or a date, as typed) adds "What changed" from then to now.
#[tauri::command]
pub async fn write_brief(
    state: State<'_, AppState>,
    vendor_ids: Vec<String>,
    scenario: ScenarioInput,
    path: PathBuf,
    changes_since: Option<String>,
) -> CommandResult<()> {
    crate::state::blocking(|| {
        state.require_writable(&path)?;
        let store = state.store();
        let options = scenario_options(&store, &scenario);
        let changes = changes_since
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|since| vetta::changes::since(&store, "changes since", since, &options))
            .transpose()?;
        let mut evaluations = state.evaluations();
        let evaluation = evaluations.evaluation(&store, &options)?;
        let pdf =
            briefing::render(&store, state.typesetter(), evaluation, &vendor_ids, &BriefOptions { changes, ..BriefOptions::default() })?;
        Ok(vetta::export::write_whole(&path, &pdf)?)
    })
}
