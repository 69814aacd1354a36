//! What the shell keeps between commands: the open store, the evaluation every view reads, the
//! typesetter and the cancel flags.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard, OnceLock};

use vetta::brief::Typesetter;

use vetta::engine::EvaluationCache;
use vetta::scenario::ScenarioInput;
use vetta::store::Store;

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    store: Mutex<Store>,
    /// The last evaluation, shared by every view, so that a weight change re-scores without reloading
    /// the facts and a vendor's page computes the factors at most once.
    evaluations: Mutex<EvaluationCache>,
    /// Fonts loaded once, on the first brief.
    typesetter: OnceLock<Typesetter>,
    /// Where the open store is: its file, or the team store's URL (as given, password included
    /// when the URL carried one; shown only through `store_label`).
    location: Mutex<PathBuf>,
    /// What the user should know of how the workspace was opened (a team store that could not be
    /// reached at launch, so the local store is open instead).
    notice: Mutex<Option<String>>,
    /// The local store: where "use the local store" goes back to.
    pub local: PathBuf,
    /// The file remembering the team workspace the app opens at launch (its URL without password);
    /// `None` in tests, which must not touch the user's configuration.
    remembered: Option<PathBuf>,
    /// Set by `cancel_smaa`; the running SMAA polls it through its progress callback.
    pub smaa_cancel: AtomicBool,
    /// Set by `cancel_import`; a running check or import polls it through its progress callback.
    pub import_cancel: AtomicBool,
    /// The paths native dialogs returned in this session: the only ones file commands accept.
    grants: Mutex<Grants>,
    /// `VETTA_DIALOG_ANSWERS`: where automation keeps the dialogs' answers (see `commands::files`).
    dialog_answers: Option<PathBuf>,
}

/// Paths the user chose: to read (import) and to write (briefs, exports).
#[derive(Default)]
struct Grants {
    readable: HashSet<PathBuf>,
    writable: HashSet<PathBuf>,
}

impl AppState {
    pub fn open(path: &Path) -> vetta::Result<AppState> {
        let mut state = AppState::with_store(vetta::api::open_store(path)?, path.to_path_buf());
        // Opened on a team store (`VETTA_DB=postgres://…`): the local store is the platform's.
        if path.to_str().is_some_and(vetta::store::is_postgres_url) {
            state.local = vetta::api::local_store_path();
        }
        Ok(state)
    }

    /// Opens the workspace the app starts on: `VETTA_DB` when set; else the team workspace
    /// remembered in `remembered` (a file holding its URL) when it can be reached; else the local
    /// store — with a notice saying why, when a remembered team store could not be reached.
    pub fn launch(remembered: PathBuf) -> vetta::Result<AppState> {
        let local = vetta::api::default_store_path();
        let team = std::env::var_os("VETTA_DB")
            .is_none()
            .then(|| std::fs::read_to_string(&remembered).ok())
            .flatten()
            .map(|url| url.trim().to_string())
            .filter(|url| vetta::store::is_postgres_url(url));
        let mut notice = None;
        if let Some(url) = team {
            match vetta::api::open_team_workspace(&url, None) {
                Ok(store) => {
                    let mut state = AppState::with_store(store, PathBuf::from(&url));
                    state.local = local;
                    state.remembered = Some(remembered);
                    return Ok(state);
                }
                Err(error) => {
                    notice = Some(format!(
                        "The team workspace {} could not be opened ({error}); the local store is open instead. Connect again in Settings → Workspace.",
                        vetta::api::store_label(Path::new(&url))
                    ))
                }
            }
        }
        let mut state = AppState::open(&local)?;
        state.remembered = Some(remembered);
        *state.notice.get_mut().unwrap_or_else(|p| p.into_inner()) = notice;
        Ok(state)
    }

    fn with_store(store: Store, location: PathBuf) -> AppState {
        AppState {
            store: Mutex::new(store),
            evaluations: Mutex::default(),
            typesetter: OnceLock::new(),
            local: location.clone(),
            location: Mutex::new(location),
            notice: Mutex::new(None),
            remembered: None,
            smaa_cancel: AtomicBool::new(false),
            import_cancel: AtomicBool::new(false),
            grants: Mutex::default(),
            dialog_answers: std::env::var_os("VETTA_DIALOG_ANSWERS").map(PathBuf::from),
        }
    }

    /// Where the open store is.
    pub fn location(&self) -> PathBuf {
        self.location.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The notice of [`AppState::launch`], if any (cleared by a switch).
    pub fn notice(&self) -> Option<String> {
        self.notice.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Puts `store`, opened from `location`, in place of the open store; the evaluations of the
    /// old one are dropped. Remembers a team store's URL (without its password) for the next launch,
    /// or forgets it when `location` is a file.
    pub fn switch(&self, store: Store, location: PathBuf) -> std::io::Result<()> {
        let mut current = self.store();
        *current = store;
        *self.evaluations() = EvaluationCache::default();
        *self.location.lock().unwrap_or_else(|p| p.into_inner()) = location.clone();
        *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = None;
        drop(current);
        let Some(file) = &self.remembered else { return Ok(()) };
        match location.to_str().filter(|l| vetta::store::is_postgres_url(l)) {
            Some(url) => {
                if let Some(folder) = file.parent() {
                    std::fs::create_dir_all(folder)?;
                }
                std::fs::write(file, vetta::api::url_without_password(url) + "\n")
            }
            None => match std::fs::remove_file(file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }

    /// Answers dialogs from `file` instead of opening them (tests and automation; see
    /// `commands::files`).
    pub fn with_dialog_answers(mut self, file: PathBuf) -> AppState {
        self.dialog_answers = Some(file);
        self
    }

    /// The automation's answer to the next dialog of `kind` (`open` or `save`): `None` when there is
    /// no answer file or it says nothing of that kind; `Some(None)` for "cancelled".
    pub fn automation_answer<T: serde::de::DeserializeOwned>(&self, kind: &str) -> CommandResult<Option<Option<T>>> {
        let Some(file) = &self.dialog_answers else { return Ok(None) };
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(CommandError::denied(format!("{}: {e}", file.display()))),
        };
        let mut answers: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).map_err(|e| CommandError::denied(format!("{}: {e}", file.display())))?;
        answers
            .remove(kind)
            .map(|answer| serde_json::from_value(answer).map_err(|e| CommandError::denied(format!("{}: {kind}: {e}", file.display()))))
            .transpose()
    }

    pub fn grant_readable(&self, paths: &[PathBuf]) {
        self.grants().readable.extend(paths.iter().cloned());
    }

    pub fn grant_writable(&self, path: &Path) {
        self.grants().writable.insert(path.to_path_buf());
    }

    /// Refuses unless every path was returned by an open dialog in this session.
    pub fn require_readable(&self, paths: &[PathBuf]) -> CommandResult<()> {
        let grants = self.grants();
        match paths.iter().find(|path| !grants.readable.contains(*path)) {
            Some(path) => Err(not_chosen(path)),
            None => Ok(()),
        }
    }

    /// Refuses unless the path was returned by a save dialog in this session.
    pub fn require_writable(&self, path: &Path) -> CommandResult<()> {
        if self.grants().writable.contains(path) { Ok(()) } else { Err(not_chosen(path)) }
    }

    fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The store, for one command at a time (SQLite connections are not shared between threads).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The evaluation cache; take it after the store (the one lock order every command keeps).
    pub fn evaluations(&self) -> MutexGuard<'_, EvaluationCache> {
        self.evaluations.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Evaluates the default scenario into the cache, so that the first ranking finds the factors
    /// computed: run on a thread at launch, while the webview starts (a few hundred milliseconds at
    /// 10,000 vendors that the first paint no longer waits for). A failure is left for the page's own
    /// request to report.
    pub fn prewarm(&self) {
        let store = self.store();
        let _ = self.evaluations().evaluation(&store, &scenario_options(&store, &ScenarioInput::default()));
    }

    pub fn typesetter(&self) -> &Typesetter {
        self.typesetter.get_or_init(Typesetter::new)
    }
}

/// A command's scenario options: the UI's input, with the Settings' countries of concern as the
/// default where neither the input nor its saved scenario names any.
pub fn scenario_options(store: &Store, input: &ScenarioInput) -> ScenarioInput {
    let default_concern = store.setting("concern_countries").ok().flatten().map(|list| list.split(',').map(String::from).collect());
    ScenarioInput { default_concern, ..input.clone() }
}

/// Runs a command's work where it may block: async commands run on Tauri's (tokio) workers, and the
/// team store's client (the synchronous `postgres` crate) runs its own runtime for each call, which
/// tokio forbids inside a worker unless the worker is handed over first. A local store needs it
/// only for the long work; a team store for every call.
pub fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(work),
        _ => work(),
    }
}

fn not_chosen(path: &Path) -> CommandError {
    CommandError::denied(format!("{} was not chosen in a file dialog of this session; choose it with Import or Save first", path.display()))
}
