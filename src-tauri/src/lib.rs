//! Vetta's desktop shell: a thin Tauri layer over the `vetta` core. Each command is a few lines that
//! call the core's use cases; the shell holds the open store and knows no SQL.

mod commands;
mod error;
mod state;

pub use state::AppState;

/// Registers the state and every command on a builder: the real one in `run`, Tauri's mock builder in
/// the command tests.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::ranking::score,
        commands::ranking::explain,
        commands::ranking::vendors,
        commands::ranking::counts,
        commands::ranking::search_testimony,
        commands::whatif::sensitivity,
        commands::whatif::smaa,
        commands::whatif::cancel_smaa,
        commands::whatif::ahp,
        commands::whatif::scenarios,
        commands::whatif::save_scenario,
        commands::whatif::delete_scenario,
        commands::whatif::diff_scenarios,
        commands::data::check_import,
        commands::data::import_files,
        commands::data::batches,
        commands::data::undo,
        commands::exports::write_export,
        commands::briefs::chart,
        commands::briefs::write_brief,
        commands::settings::settings,
        commands::settings::save_settings,
    ])
}

/// Opens the store (seeding the demo dataset on first use) and runs the app.
pub fn run() {
    let path = vetta::api::default_store_path();
    let state = match AppState::open(&path) {
        Ok(state) => state,
        Err(error) => {
            eprintln!("vetta: cannot open the store at {}: {error}", path.display());
            std::process::exit(1);
        }
    };
    with_commands(tauri::Builder::default(), state)
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .expect("the Tauri runtime starts");
}
