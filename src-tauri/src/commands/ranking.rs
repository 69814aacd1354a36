//! The ranking and vendor views.

use tauri::State;
use vetta::engine::{Explanation, ScoreReport};
use vetta::scenario::ScenarioInput;
use vetta::store::VendorListing;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

#[tauri::command]
pub fn score(state: State<'_, AppState>, scenario: ScenarioInput) -> CommandResult<ScoreReport> {
    // The store first, then the cache: the one lock order every command keeps.
    let store = state.store();
    Ok(state.evaluations().score(&store, &scenario_options(&store, &scenario))?)
}

#[tauri::command]
pub fn explain(state: State<'_, AppState>, vendor_id: String, scenario: ScenarioInput) -> CommandResult<Explanation> {
    let store = state.store();
    Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.explain_vendor(&vendor_id)?)
}

#[tauri::command]
pub fn vendors(state: State<'_, AppState>) -> CommandResult<Vec<VendorListing>> {
    Ok(state.store().vendors()?)
}

/// Rows in one table of the store.
#[derive(serde::Serialize, ts_rs::TS)]
#[ts(rename = "TableCount")]
pub struct Count {
    table: &'static str,
    rows: u64,
}

#[tauri::command]
pub fn counts(state: State<'_, AppState>) -> CommandResult<Vec<Count>> {
    Ok(state.store().counts()?.into_iter().map(|(table, rows)| Count { table, rows }).collect())
}

#[tauri::command]
pub fn search_testimony(state: State<'_, AppState>, query: String) -> CommandResult<Vec<String>> {
    Ok(state.store().search_testimony(&query).map_err(vetta::Error::from)?)
}
