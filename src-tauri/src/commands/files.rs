//! Native open and save dialogs, run by the shell. A path reaches a file command only if a dialog
//! returned it in this session: the webview names files by handing back what a dialog gave it, and
//! anything else is refused ([`AppState::require_readable`], [`AppState::require_writable`]).
//!
//! Automation: WebDriver cannot reach GTK's dialogs, so when the app is started with
//! `VETTA_DIALOG_ANSWERS=FILE` (an environment variable, which the webview cannot set), each dialog
//! returns the answer in that JSON file instead of opening — `{"open": [paths] | null, "save": path |
//! null}`, a missing key opening the real dialog. The answer is granted exactly as a user's choice
//! would be.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// What the import dialog picks.
#[derive(Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OpenKind {
    /// A dataset folder.
    Folder,
    /// CSV files (plain or gzipped), a workbook, published files or a bundle.
    Files,
    /// A public key (`.pub`) to trust.
    PublicKey,
    /// A secret key to sign a bundle with.
    SecretKey,
}

/// What a save dialog saves.
#[derive(Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum SaveKind {
    Pdf,
    Xlsx,
    Csv,
    /// A new or empty folder for a dataset dump.
    Folder,
    /// A signed bundle.
    Bundle,
}

impl SaveKind {
    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            SaveKind::Pdf => ("PDF brief", &["pdf"]),
            SaveKind::Xlsx => ("Excel workbook", &["xlsx"]),
            SaveKind::Csv => ("CSV file", &["csv"]),
            SaveKind::Folder => ("Folder", &[]),
            SaveKind::Bundle => ("Vetta bundle", &["vetta-bundle"]),
        }
    }
}

/// Asks for files to import; `None` when the user cancelled. The paths returned may then be checked
/// and imported.
#[tauri::command]
pub async fn choose_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: OpenKind,
) -> CommandResult<Option<Vec<PathBuf>>> {
    crate::state::blocking(|| {
        let picked = match state.automation_answer("open")? {
            Some(answer) => answer.map(|paths: Vec<PathBuf>| paths),
            None => {
                let dialog = app.dialog().file();
                let picked = match kind {
                    OpenKind::Folder => dialog.set_title("Choose a dataset folder").blocking_pick_folder().map(|p| vec![p]),
                    OpenKind::Files => dialog
                        .set_title("Choose data files: Vetta tables, a workbook or published lists and registers")
                        .add_filter(
                            "Vetta tables, bundles and published data",
                            &["csv", "gz", "xlsx", "json", "jsonl", "ndjson", "xml", "vetta-bundle"],
                        )
                        .add_filter("All files", &["*"])
                        .blocking_pick_files(),
                    OpenKind::PublicKey => dialog
                        .set_title("Choose a public key to trust (.pub)")
                        .add_filter("minisign public key", &["pub"])
                        .add_filter("All files", &["*"])
                        .blocking_pick_file()
                        .map(|p| vec![p]),
                    OpenKind::SecretKey => {
                        dialog.set_title("Choose your signing key (from vetta key new)").blocking_pick_file().map(|p| vec![p])
                    }
                };
                picked.map(|paths| paths.into_iter().map(local_path).collect::<CommandResult<Vec<_>>>()).transpose()?
            }
        };
        if let Some(paths) = &picked {
            state.grant_readable(paths);
        }
        Ok(picked)
    })
}

/// Asks where to save; `None` when the user cancelled. The path returned may then be written.
#[tauri::command]
pub async fn choose_save<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: SaveKind,
    default_name: String,
) -> CommandResult<Option<PathBuf>> {
    crate::state::blocking(|| {
        let picked = match state.automation_answer("save")? {
            Some(answer) => answer,
            None => {
                let dialog = app.dialog().file();
                let picked = match kind {
                    SaveKind::Folder => dialog.set_title("Choose a new or empty folder for the dataset").blocking_pick_folder(),
                    _ => {
                        let (name, extensions) = kind.filter();
                        dialog.set_file_name(default_name).add_filter(name, extensions).blocking_save_file()
                    }
                };
                picked.map(local_path).transpose()?
            }
        };
        if let Some(path) = &picked {
            state.grant_writable(path);
        }
        Ok(picked)
    })
}

fn local_path(path: FilePath) -> CommandResult<PathBuf> {
    path.into_path().map_err(|e| CommandError::denied(format!("the dialog returned something that is not a local file: {e}")))
}
