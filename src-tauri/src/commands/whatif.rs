//! The what-if view: sensitivity, SMAA with progress and cancel, AHP, scenarios.

use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::Channel;
use vetta::engine::{self, ScenarioDiff, ScenarioList, SensitivityReport, SmaaOptions};
use vetta::model::Factor;
use vetta::scenario::{ScenarioInput, ScenarioSpec};
use vetta::scoring::{AhpResult, SmaaResult};

use crate::error::CommandResult;
use crate::state::{AppState, scenario_options};

#[tauri::command]
pub async fn sensitivity(
    state: State<'_, AppState>,
    vendor_id: String,
    delta: f64,
    scenario: ScenarioInput,
) -> CommandResult<SensitivityReport> {
    crate::state::blocking(|| {
        let store = state.store();
        Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.sensitivity(&vendor_id, delta)?)
    })
}

/// How far a long run is.
#[derive(Clone, Serialize, ts_rs::TS)]
#[ts(rename = "SmaaProgress")]
pub struct Progress {
    done: usize,
    total: usize,
}

/// Runs off the UI thread (async command); progress goes through the channel, and `cancel_smaa`
/// stops it between chunks.
#[tauri::command]
pub async fn smaa(
    state: State<'_, AppState>,
    scenario: ScenarioInput,
    options: SmaaOptions,
    on_progress: Channel<Progress>,
) -> CommandResult<SmaaResult> {
    crate::state::blocking(|| {
        state.smaa_cancel.store(false, Ordering::SeqCst);
        let progress = |done: usize| {
            let _ = on_progress.send(Progress { done, total: options.samples });
            !state.smaa_cancel.load(Ordering::SeqCst)
        };
        let store = state.store();
        Ok(state.evaluations().evaluation(&store, &scenario_options(&store, &scenario))?.smaa(&options, &progress)?)
    })
}

#[tauri::command]
pub fn cancel_smaa(state: State<'_, AppState>) {
    state.smaa_cancel.store(true, Ordering::SeqCst);
}

/// `value` in [1/9, 9]: how much more `a` matters than `b`.
#[derive(Deserialize, ts_rs::TS)]
#[ts(rename = "AhpPair")]
pub struct Pair {
    a: Factor,
    b: Factor,
    value: f64,
}

#[tauri::command]
pub fn ahp(pairs: Vec<Pair>) -> CommandResult<AhpResult> {
    let pairs: Vec<(String, String, f64)> = pairs.into_iter().map(|p| (p.a.key().to_string(), p.b.key().to_string(), p.value)).collect();
    Ok(engine::ahp(&pairs)?)
}

#[tauri::command]
pub fn scenarios(state: State<'_, AppState>) -> CommandResult<ScenarioList> {
    Ok(engine::scenario_list(&state.store())?)
}

#[tauri::command]
pub fn save_scenario(state: State<'_, AppState>, name: String, scenario: ScenarioInput) -> CommandResult<ScenarioSpec> {
    let mut store = state.store();
    let options = scenario_options(&store, &scenario);
    Ok(engine::save_scenario(&mut store, &name, &options)?)
}

#[tauri::command]
pub fn delete_scenario(state: State<'_, AppState>, name: String) -> CommandResult<bool> {
    Ok(state.store().delete_scenario(&name)?)
}

#[tauri::command]
pub async fn diff_scenarios(state: State<'_, AppState>, a: String, b: String) -> CommandResult<ScenarioDiff> {
    crate::state::blocking(|| Ok(engine::scenario_diff(&state.store(), &a, &b)?))
}
