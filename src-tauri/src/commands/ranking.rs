//! The ranking and vendor views. Commands that compute (score, rescore, explain, …) are async: they run
//! off the main thread, which WebKit needs for painting.

use tauri::State;
use vetta::engine::{Explanation, LiveTable, ScoreReport, VendorPage};
use vetta::scenario::ScenarioInput;
use vetta::store::VendorListing;

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

#[tauri::command]
pub async fn score(state: State<'_, AppState>, scenario: ScenarioInput) -> CommandResult<ScoreReport> {
    crate::state::blocking(|| {
        // The store first, then the cache: the one lock order every command keeps.
        let store = state.store();
        Ok(state.evaluations().score(&store, &scenario_options(&store, &scenario))?)
    })
}

/// A weight move's answer for the live list, as bytes (`engine::LiveScores::to_bytes`): scores,
/// bands and rank order from the cached factor matrix, for the vendors of `live_table`.
#[tauri::command]
pub async fn rescore(state: State<'_, AppState>, scenario: ScenarioInput) -> CommandResult<tauri::ipc::Response> {
    crate::state::blocking(|| {
        let store = state.store();
        let live = state.evaluations().live(&store, &scenario_options(&store, &scenario))?;
        Ok(tauri::ipc::Response::new(live.to_bytes()))
    })
}

/// The live list's vendors (fetched again when `rescore` reports another generation).
#[tauri::command]
pub async fn live_table(state: State<'_, AppState>, scenario: ScenarioInput) -> CommandResult<LiveTable> {
    crate::state::blocking(|| {
        let store = state.store();
        Ok(state.evaluations().live_table(&store, &scenario_options(&store, &scenario))?)
    })
}

#[tauri::command]
pub async fn explain(state: State<'_, AppState>, vendor_id: String, scenario: ScenarioInput) -> CommandResult<Explanation> {
    crate::state::blocking(|| {
        let store = state.store();
        Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.explain_vendor(&vendor_id)?)
    })
}

/// The vendors whose band differs between the low and the high ends of ownership ranges (v1.3).
#[tauri::command]
pub async fn basis_spread(state: State<'_, AppState>, scenario: ScenarioInput) -> CommandResult<vetta::engine::BasisSpread> {
    crate::state::blocking(|| {
        let store = state.store();
        Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.basis_spread())
    })
}

/// A vendor's page in one answer, from the cached evaluation: no whole ranking crosses for it.
#[tauri::command]
pub async fn vendor_page(state: State<'_, AppState>, vendor_id: String, scenario: ScenarioInput) -> CommandResult<VendorPage> {
    crate::state::blocking(|| {
        let store = state.store();
        Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.vendor_page(&store, &vendor_id)?)
    })
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
