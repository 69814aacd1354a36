//! The Screening and Changes views: candidates between the vendors' book and published entities,
//! the analyst's decisions on them, and what the last import (or any two states) changed.

use tauri::State;
use vetta::api::{self, ImportOutcome, LinkDecision, LinksReport, ScreenReview};
use vetta::changes::{ChangesReport, End};
use vetta::scenario::ScenarioInput;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

/// Every vendor's book against every other entity: candidates at or above `min_score`, best first,
/// with a card for each party they name.
#[tauri::command]
pub async fn screen(state: State<'_, AppState>, min_score: f64) -> CommandResult<ScreenReview> {
    crate::state::blocking(|| Ok(api::screen_review(&state.store(), min_score)?))
}

/// Records decisions (`same` or `different`, with who and why) as one undoable batch dated today.
/// A rejection is an error naming the rule it broke; nothing is written then.
#[tauri::command]
pub async fn decide_links(state: State<'_, AppState>, decisions: Vec<LinkDecision>) -> CommandResult<ImportOutcome> {
    crate::state::blocking(|| Ok(api::link(&mut state.store(), &decisions, vetta::engine::today())?))
}

#[tauri::command]
pub async fn links(state: State<'_, AppState>) -> CommandResult<LinksReport> {
    crate::state::blocking(|| Ok(api::links(&state.store())?))
}

/// What changed between two ends (a batch number or a date, as typed; `null`: before the last
/// applied batch, and now) under the scenario.
#[tauri::command]
pub async fn changes(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    scenario: ScenarioInput,
) -> CommandResult<ChangesReport> {
    crate::state::blocking(|| {
        let from = from.as_deref().map(|text| End::parse("from", text)).transpose()?;
        let to = to.as_deref().map(|text| End::parse("to", text)).transpose()?;
        let store = state.store();
        Ok(vetta::changes::changes(&store, from, to, &scenario_options(&store, &scenario))?)
    })
}
