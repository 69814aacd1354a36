//! What the shell keeps between commands: the open store and the SMAA cancel flag.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

use vetta::engine::EvaluationCache;
use vetta::scenario::{ScenarioInput, ScenarioOptions};
use vetta::store::Store;

pub struct AppState {
    store: Mutex<Store>,
    /// The last evaluation, so that a weight change re-scores without reloading the facts.
    evaluations: Mutex<EvaluationCache>,
    pub store_path: PathBuf,
    /// Set by `cancel_smaa`; the running SMAA polls it through its progress callback.
    pub smaa_cancel: AtomicBool,
    /// Set by `cancel_import`; a running check or import polls it through its progress callback.
    pub import_cancel: AtomicBool,
}

impl AppState {
    pub fn open(path: &Path) -> vetta::Result<AppState> {
        let store = vetta::api::open_store(path)?;
        Ok(AppState {
            store: Mutex::new(store),
            evaluations: Mutex::default(),
            store_path: path.to_path_buf(),
            smaa_cancel: AtomicBool::new(false),
            import_cancel: AtomicBool::new(false),
        })
    }

    /// The store, for one command at a time (SQLite connections are not shared between threads).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn evaluations(&self) -> MutexGuard<'_, EvaluationCache> {
        self.evaluations.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A command's scenario options: the UI's input, with the Settings' countries of concern as the
/// default where neither the input nor its saved scenario names any.
pub fn scenario_options(store: &Store, input: &ScenarioInput) -> ScenarioOptions {
    ScenarioOptions { default_concern: store.setting("concern_countries").ok().flatten(), ..input.into() }
}
