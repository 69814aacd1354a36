//! Vetta's core: the store, the importer and (as they land) the risk engine, charts and briefs.
//! The `vetta` command line and the desktop shell are thin layers over [`api`]. Nothing here knows
//! of Tauri.

pub mod api;
pub mod bindings;
pub mod brief;
pub mod briefing;
pub mod bundle;
pub mod changes;
pub mod charts;
pub mod demo;
pub mod engine;
pub mod error;
pub mod explain;
pub mod export;
pub mod factors;
pub mod ingest;
pub mod model;
pub mod published;
pub mod scenario;
pub mod scoring;
pub mod screening;
pub mod store;

pub use error::{Error, Result};
