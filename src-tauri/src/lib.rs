//! Vetta's desktop shell: a thin Tauri layer over the `vetta` core. Each command is a few lines that
//! call the core's use cases; the shell holds the open store and knows no SQL.

mod commands;
mod error;
mod state;

pub use state::AppState;
use tauri::Manager;

/// Registers the state and every command on a builder: the real one in `run`, Tauri's mock builder in
/// the command tests.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::ranking::score,
        commands::ranking::rescore,
        commands::ranking::live_table,
        commands::ranking::explain,
        commands::ranking::vendor_page,
        commands::ranking::basis_spread,
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
        commands::data::cancel_import,
        commands::data::batches,
        commands::data::undo,
        commands::data::table_schemas,
        commands::data::vendor_rows,
        commands::data::enter_rows,
        commands::exports::write_export,
        commands::exports::write_dump,
        commands::exports::user_name,
        commands::files::choose_import,
        commands::files::choose_save,
        commands::briefs::chart,
        commands::briefs::write_brief,
        commands::settings::settings,
        commands::settings::save_settings,
        commands::screening::screen,
        commands::screening::decide_links,
        commands::screening::links,
        commands::screening::changes,
        commands::bundles::trusted_keys,
        commands::bundles::trust_key,
        commands::bundles::trust_key_file,
        commands::bundles::untrust_key,
        commands::bundles::write_bundle,
        commands::bundles::verify_bundle,
        commands::workspace::workspace,
        commands::workspace::connect_workspace,
        commands::workspace::use_local_workspace,
    ])
}

/// Opens the store (seeding the demo dataset on first use) and runs the app.
pub fn run() {
    let remembered = dirs::config_dir().unwrap_or_else(|| std::path::PathBuf::from(".")).join("vetta").join("workspace");
    let state = match AppState::launch(remembered) {
        Ok(state) => state,
        Err(error) => {
            eprintln!("vetta: cannot open the store at {}: {error}", vetta::api::default_store_path().display());
            std::process::exit(1);
        }
    };
    with_commands(tauri::Builder::default(), state)
        .setup(|app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || handle.state::<AppState>().prewarm());
            Ok(())
        })
        .plugin(tauri_plugin_dialog::init())
        // Size, position and maximised state are saved on close and restored at start.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .run(tauri::generate_context!())
        .expect("the Tauri runtime starts");
}

#[cfg(test)]
mod bindings {
    use ts_rs::TS;

    /// The shell's own IPC types; run by `cargo xtask codegen` with the core's.
    #[test]
    #[ignore = "writes files; run by `cargo xtask codegen`"]
    fn export_typescript_bindings() {
        let cfg = vetta::bindings::config();
        crate::error::CommandError::export_all(&cfg).unwrap();
        crate::commands::whatif::Progress::export_all(&cfg).unwrap();
        crate::commands::whatif::Pair::export_all(&cfg).unwrap();
        crate::commands::ranking::Count::export_all(&cfg).unwrap();
        crate::commands::settings::Settings::export_all(&cfg).unwrap();
        vetta::briefing::ChartKind::export_all(&cfg).unwrap();
        crate::commands::data::ReadProgress::export_all(&cfg).unwrap();
        crate::commands::files::OpenKind::export_all(&cfg).unwrap();
        crate::commands::files::SaveKind::export_all(&cfg).unwrap();
        vetta::api::Dumped::export_all(&cfg).unwrap();
        vetta::api::BundleCheck::export_all(&cfg).unwrap();
        vetta::bundle::TrustedKey::export_all(&cfg).unwrap();
        crate::commands::workspace::Workspace::export_all(&cfg).unwrap();
    }
}
