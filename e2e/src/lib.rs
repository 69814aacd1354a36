//! Drives the real desktop app: `tauri-driver` starts WebKitWebDriver, which launches the built
//! `vetta-desktop` on a store of the test's choosing; the test talks WebDriver to it.
//!
//! Needs a display (Xvfb is enough), `tauri-driver` and `WebKitWebDriver`; `cargo xtask test`
//! provides all three. Native dialogs cannot be driven by WebDriver, so a test answers them the way a
//! user would have — with the path the user would have chosen (see [`App::answer_dialogs`]).

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

pub type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("e2e sits in the workspace").to_path_buf()
}

/// The app binary: `VETTA_APP`, else the debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("VETTA_APP").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target/debug/vetta-desktop"))
}

/// Runs the `vetta` command line (`VETTA_CLI`, else the debug build) and fails on a non-zero exit.
pub fn vetta(args: &[&std::ffi::OsStr]) -> Result<()> {
    let cli = std::env::var_os("VETTA_CLI").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target/debug/vetta"));
    let out = Command::new(&cli).args(args).output().map_err(|e| format!("cannot run {}: {e} (cargo build --bin vetta)", cli.display()))?;
    if !out.status.success() {
        return Err(format!("vetta {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(())
}

/// A running app with its WebDriver session.
pub struct App {
    pub client: Client,
    driver: Child,
    /// From asking for the session (which launches the app) to the first ranking painted, as seen
    /// from outside: process start, WebKit, the first IPC round trips and WebDriver's own overhead.
    pub launch_to_first_paint: Duration,
    /// The same moment as the page measures it, from its navigation start (User Timing mark).
    pub page_first_paint_ms: f64,
    /// Where the app reads its dialogs' answers (`VETTA_DIALOG_ANSWERS`).
    dialog_answers: PathBuf,
}

impl App {
    /// Launches the app on the store at `store` (created and seeded with the demo when missing),
    /// with `config_home` as its settings folder, and waits for the first painted ranking.
    pub async fn launch(store: &Path, config_home: &Path) -> Result<App> {
        let binary = app_binary();
        if !binary.exists() {
            return Err(format!("no app at {} (build it first: cargo build -p vetta-desktop)", binary.display()).into());
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let dialog_answers = config_home.join("dialog-answers.json");
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("VETTA_DB", store)
            .env("VETTA_DIALOG_ANSWERS", &dialog_answers)
            .env("XDG_CONFIG_HOME", config_home)
            .env("XDG_DATA_HOME", config_home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver: {e} (cargo install tauri-driver --locked)"))?;
        let mut guard = DriverGuard(Some(driver));
        wait_for_port(port, Duration::from_secs(20))?;

        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert("tauri:options".into(), json!({ "application": binary }));
        let started = Instant::now();
        let client = ClientBuilder::native().capabilities(capabilities).connect(&format!("http://127.0.0.1:{port}")).await?;
        let deadline = started + Duration::from_secs(30);
        let page_first_paint_ms = loop {
            let mark = client
                .execute("const m = performance.getEntriesByName('vetta:first-paint')[0]; return m ? m.startTime : null;", vec![])
                .await?;
            if let Some(ms) = mark.as_f64() {
                break ms;
            }
            if Instant::now() > deadline {
                return Err("the ranking was not painted within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let launch_to_first_paint = started.elapsed();
        Ok(App { client, driver: guard.0.take().expect("held"), launch_to_first_paint, page_first_paint_ms, dialog_answers })
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Runs a script that calls its last argument with the result (for promises and frames).
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute_async(script, args).await?)
    }

    /// Polls `condition` (a script returning a truthy value when done) until it holds; returns the
    /// value.
    pub async fn wait_for(&self, what: &str, condition: &str) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.js(condition, vec![]).await?;
            let done = match &value {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if done {
                return Ok(value);
            }
            if Instant::now() > deadline {
                let shot = workspace_root().join("target/e2e-failure.png");
                if let Ok(png) = self.client.screenshot().await {
                    let _ = std::fs::write(&shot, png);
                }
                return Err(format!("timed out waiting for {what} (the screen then: {})", shot.display()).into());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Goes to a view through the navigation rail, like a user, and waits for its heading.
    pub async fn open_view(&self, href: &str) -> Result<()> {
        self.js("document.querySelector(`nav.rail a[href=\"${arguments[0]}\"]`).click();", vec![json!(href)]).await?;
        self.arrive(href).await
    }

    /// Follows an in-app link to `path` (with its query), as a click on a link there would.
    pub async fn go(&self, path: &str) -> Result<()> {
        let script = "const a = document.createElement('a'); a.href = arguments[0]; document.body.append(a); a.click(); a.remove();";
        self.js(script, vec![json!(path)]).await?;
        self.arrive(path).await
    }

    /// Waits until the app shows the view at `path` (its query aside) and that view is painted.
    async fn arrive(&self, path: &str) -> Result<()> {
        let route = path.split('?').next().unwrap_or(path);
        self.wait_for(&format!("the view {path}"), &format!("return location.pathname === {route:?};")).await?;
        self.settle().await
    }

    /// Switches the theme through the app's own settings command and reloads, as the Settings view
    /// would.
    pub async fn use_theme(&self, theme: &str) -> Result<()> {
        let script = r#"
            const [theme, done] = arguments;
            const invoke = window.__TAURI_INTERNALS__.invoke;
            invoke('settings', {})
                .then((s) => invoke('save_settings', { settings: { ...s, theme } }))
                .then(() => done(true), (e) => done(String(e)));
        "#;
        let answer = self.js_async(script, vec![json!(theme)]).await?;
        if answer != json!(true) {
            return Err(format!("could not set the theme: {answer}").into());
        }
        self.js("location.reload();", vec![]).await?;
        self.wait_for("the reloaded ranking", "return document.querySelectorAll('tbody tr').length > 0;").await?;
        self.settle().await
    }

    /// Waits two animation frames, so the screen shows the last DOM change.
    pub async fn settle(&self) -> Result<()> {
        self.js_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
        Ok(())
    }

    /// Answers the next open and save dialogs with the given paths, as the user would have picked
    /// them: native dialogs are outside WebDriver's reach, so the shell reads the answers from the
    /// file `VETTA_DIALOG_ANSWERS` names (see `src-tauri/src/commands/files.rs`) and grants them as
    /// it grants a user's choice.
    pub async fn answer_dialogs(&self, open: Option<&Path>, save: Option<&Path>) -> Result<()> {
        let answers = json!({ "open": open.map(|p| vec![p]), "save": save });
        std::fs::write(&self.dialog_answers, answers.to_string())?;
        Ok(())
    }

    /// Checks the page as it is now with axe-core against [`WCAG_AA`] and returns one line per
    /// violated rule: its id, impact and summary, and the first elements that fail it with axe's
    /// reason. Empty when the page passes.
    ///
    /// axe-core is the UI's pinned dev dependency, read from `ui/node_modules` (`npm ci` in `ui/`).
    /// The app's CSP runs no injected `<script>`, so its source goes in through WebDriver's script
    /// execution, once per page load. axe skips whatever an `overflow: hidden` ancestor clips, and
    /// the app's `<body>` clips all that is scrolled out of `<main>`: for the check the page is laid
    /// out at full length, and put back afterwards. An `aria-label` on an element whose role may not
    /// be named (a plain `div` or `span`) counts too: axe only asks for a review when the element has
    /// text, but no screen reader reads that label.
    pub async fn axe_violations(&self) -> Result<Vec<String>> {
        if self.js("return typeof window.axe === 'object';", vec![]).await? != json!(true) {
            let path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e} (npm ci in ui/)", path.display()))?;
            let loaded = self.js(&format!("{source}\n;return typeof window.axe === 'object';"), vec![]).await?;
            if loaded != json!(true) {
                return Err(format!("axe-core from {} did not load: {loaded}", path.display()).into());
            }
        }
        let script = r#"
            const [tags, done] = arguments;
            const main = document.querySelector('main');
            const clipping = [document.documentElement, document.body, main?.parentElement, main].filter(Boolean);
            for (const el of clipping) {
                el.style.setProperty('overflow', 'visible', 'important');
                el.style.setProperty('height', 'auto', 'important');
            }
            const restore = () => clipping.forEach((el) => { el.style.removeProperty('overflow'); el.style.removeProperty('height'); });
            const found = (n) => [...n.any, ...n.all, ...n.none].map((c) => c.message).find(Boolean) ?? '';
            const failing = (results) => [...results.violations, ...results.incomplete.filter((r) => r.id === 'aria-prohibited-attr')];
            axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] })
                .then((results) => failing(results).map((v) => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), message: found(n) })),
                })))
                .then((violations) => { restore(); done(violations); }, (e) => { restore(); done(String(e)); });
        "#;
        let answer = self.js_async(script, vec![json!(WCAG_AA)]).await?;
        let Some(violations) = answer.as_array() else {
            return Err(format!("axe did not run: {answer}").into());
        };
        Ok(violations.iter().map(describe_violation).collect())
    }

    /// A PNG of the window as it is on screen.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        self.settle().await?;
        Ok(self.client.screenshot().await?)
    }

    /// Ends the session (which closes the app) and stops the driver.
    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        stop(&mut self.driver);
        closed?;
        Ok(())
    }
}

/// Stops a driver that never became an [`App`].
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            stop(child);
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

/// The axe-core tags of the rules of WCAG 2.0 and 2.1 at levels A and AA, the level Section 508 asks
/// for.
pub const WCAG_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// One violated axe rule as one line: its id, impact and summary, then the first three elements that
/// fail it, each with axe's reason (for contrast: the two colours and the ratio).
fn describe_violation(violation: &Value) -> String {
    let text = |value: &Value| value.as_str().unwrap_or("?").to_string();
    let nodes = violation["nodes"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut places: Vec<String> = nodes.iter().take(3).map(|n| format!("`{}` ({})", text(&n["target"]), text(&n["message"]))).collect();
    if nodes.len() > 3 {
        places.push(format!("and {} more", nodes.len() - 3));
    }
    format!("{} ({}): {} — {}", text(&violation["id"]), text(&violation["impact"]), text(&violation["help"]), places.join("; "))
}

/// SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver, which would otherwise be orphaned
/// and keep the test's output pipe open.
fn stop(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn tauri_driver() -> PathBuf {
    let in_cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"));
    in_cargo_bin.filter(|p| p.exists()).unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("tauri-driver did not listen on port {port}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A dataset of `n` fictional vendors (with owners, ties, sales, notes and listings spread over
/// them), written as CSV files into `dir`: the size the speed targets name.
pub fn write_large_dataset(dir: &Path, n: usize) -> Result<()> {
    use std::fmt::Write;
    let countries = ["US", "DE", "CN", "RU", "IL", "IN", "GB", "FR", "JP", "KR"];
    let privileges = ["kernel", "admin", "user", "none"];
    let mut vendors = String::from("vendor_id,name,hq_country,privilege,source\n");
    let mut entities = String::from("entity_id,name,kind,country,state_affiliated,source\n");
    let mut ownership = String::from("from_id,to_id,relation,share,tie_kind,strength,confidence,source\n");
    let mut sales = String::from("vendor_id,year,country,segment,revenue_usd,source\n");
    let mut testimony = String::from("note_id,subject_id,date,speaker,stance,severity,reliability,credibility,summary,source\n");
    for g in 0..n / 10 {
        let country = countries[g % countries.len()];
        writeln!(entities, "owner-{g},Owner {g},company,{country},{},generated", g % 3 == 0)?;
    }
    for i in 0..n {
        let country = countries[(i * 7) % countries.len()];
        let privilege = privileges[i % privileges.len()];
        writeln!(vendors, "v{i:04},Vendor {i:04},{country},{privilege},generated")?;
        let owner = i % (n / 10).max(1);
        let share = 0.05 + ((i * 37) % 90) as f64 / 100.0;
        writeln!(ownership, "owner-{owner},v{i:04},equity,{share:.2},,,,generated")?;
        if i % 4 == 0 {
            writeln!(
                ownership,
                "owner-{},v{i:04},tie,,contract,{:.2},0.8,generated",
                (owner + 1) % (n / 10).max(1),
                ((i * 13) % 100) as f64 / 100.0
            )?;
        }
        for year in [2023, 2024, 2025] {
            writeln!(
                sales,
                "v{i:04},{year},{},other,{},generated",
                countries[(i + year as usize) % countries.len()],
                1000 + (i * 7919 + year as usize) % 100_000
            )?;
        }
        if i % 3 == 0 {
            writeln!(
                testimony,
                "n{i:04},v{i:04},2024-0{}-15,Analyst {i},concern,{},B,{},Generated note {i},generated",
                1 + i % 9,
                1 + i % 3,
                1 + i % 5
            )?;
        }
    }
    for (name, text) in [
        ("vendors.csv", vendors),
        ("entities.csv", entities),
        ("ownership.csv", ownership),
        ("sales.csv", sales),
        ("testimony.csv", testimony),
    ] {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The order of the what-if view's live ranking, as vendor names.
pub const LIVE_ORDER: &str = "return [...document.querySelectorAll('ol.list li a.name')].map(a => a.textContent.trim());";

/// Every view of the app, as the screenshots and the accessibility test open them: a name, the in-app
/// path, and a script that is true once its content is shown (it may click its way there, returning
/// false until it has arrived).
pub const VIEWS: &[(&str, &str, &str)] = &[
    ("ranking", "/", "return document.querySelectorAll('tbody tr').length > 0 && document.querySelectorAll('img').length > 0;"),
    (
        "vendor-kaspersky",
        "/vendor/kaspersky",
        "return document.body.innerText.includes('Kaspersky Lab') && document.querySelectorAll('img').length > 0;",
    ),
    (
        "vendor-facts-dialog",
        "/vendor/kaspersky",
        "if (document.querySelector('dialog[open]')) return true; [...document.querySelectorAll('button')].find(b => b.textContent.includes('Add or edit facts'))?.click(); return false;",
    ),
    ("compare", "/compare?ids=kaspersky,jadeport,lotusgate", "return document.querySelectorAll('img').length > 0;"),
    ("what-if", "/what-if", "return document.querySelectorAll('ol.list li').length > 0;"),
    ("data", "/data", "return document.body.innerText.includes('Import history');"),
    ("screening", "/screening", "return document.body.innerText.includes('Candidate 1 of');"),
    ("briefs", "/briefs", "return document.querySelectorAll('label.pick').length > 0;"),
    ("settings", "/settings", "return document.body.innerText.includes('Countries of concern');"),
];
