//! The use cases that the `vetta` command line and the desktop shell both call. Each takes plain
//! arguments and returns view data or an [`Error`]; none prints or exits.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::{self, Report};
use crate::store::{Batch, Store};

/// Where the store lives when no `--db` is given: `VETTA_DB`, else the platform data directory's
/// `vetta/vetta.db`.
pub fn default_store_path() -> PathBuf {
    if let Some(path) = std::env::var_os("VETTA_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("vetta").join("vetta.db")
}

/// Opens the store, creating it (seeded with the demo dataset) when the file does not exist.
pub fn open_store(path: &Path) -> Result<Store> {
    let existed = path.exists();
    let (mut store, created) = Store::open(path)?;
    if !existed || created {
        seed_demo(&mut store)?;
    }
    Ok(store)
}

/// Creates a new store; refuses to touch an existing one.
pub fn init_store(path: &Path, empty: bool) -> Result<Store> {
    if path.exists() {
        return Err(Error::Invalid(format!("a store already exists at {}", path.display())));
    }
    let (mut store, _) = Store::open(path)?;
    if !empty {
        seed_demo(&mut store)?;
    }
    Ok(store)
}

/// Imports the embedded demo dataset as a batch labelled `demo`.
pub fn seed_demo(store: &mut Store) -> Result<Batch> {
    let mut report = Report::default();
    let known = store.known_facts()?;
    let dataset = ingest::read(&crate::demo::inputs(), &known, &mut report).ok_or(Error::Rejected(report))?;
    Ok(store.apply(&dataset, "demo")?)
}

/// Validates files against the store without writing anything.
pub fn check(store: &Store, paths: &[PathBuf]) -> Result<Report> {
    let mut report = Report::default();
    let inputs = ingest::collect_inputs(paths, &mut report);
    if inputs.is_empty() && report.is_ok() {
        return Err(Error::Invalid("no Vetta table among the given paths".into()));
    }
    let known = store.known_facts()?;
    ingest::read(&inputs, &known, &mut report);
    if report.is_ok() { Ok(report) } else { Err(Error::Rejected(report)) }
}

/// What an import did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportOutcome {
    pub batch: Batch,
    pub warnings: Vec<String>,
}

/// Imports files as one batch: all or nothing.
pub fn import(store: &mut Store, paths: &[PathBuf]) -> Result<ImportOutcome> {
    let mut report = Report::default();
    let inputs = ingest::collect_inputs(paths, &mut report);
    if inputs.is_empty() && report.is_ok() {
        return Err(Error::Invalid("no Vetta table among the given paths".into()));
    }
    let known = store.known_facts()?;
    let dataset = ingest::read(&inputs, &known, &mut report).ok_or_else(|| Error::Rejected(report.clone()))?;
    let batch = store.apply(&dataset, "import")?;
    Ok(ImportOutcome { batch, warnings: report.warnings })
}
