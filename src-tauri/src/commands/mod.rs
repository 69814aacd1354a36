//! The Tauri commands, by area. Each delegates to the core in a few lines.

pub mod briefs;
pub mod bundles;
pub mod data;
pub mod exports;
pub mod files;
pub mod ranking;
pub mod screening;
pub mod settings;
pub mod whatif;
pub mod workspace;
