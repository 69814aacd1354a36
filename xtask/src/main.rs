//! Project automation, run as `cargo xtask <task>`:
//!
//! - `run`   — the main job: the desktop app on the demo store; where there is no display, the same
//!   engine through the `vetta` command line.
//! - `test`  — every check CI runs: the UI's type check and tests, formatting, clippy, every Rust test.
//! - `bench` — the benchmarks, in release.
//! - `screenshots [DIR]` — a PNG of every view, light and dark, into `target/screenshots/`.
//! - `dist` — an installable `.deb` of the desktop app and the `vetta` command line (release build,
//!   Tauri's bundler), checked by Debian's lintian.
//! - `codegen [--check]` — the UI's TypeScript bindings from the Rust types (ts-rs); `--check` fails
//!   when the committed files differ.
//!
//! Each task first installs what a fresh machine lacks (Debian packages and the UI's npm packages,
//! only when missing).

use std::process::{Command, ExitCode};

/// Debian packages each task needs beyond the Rust toolchain: WebKitGTK and friends to build the
/// desktop shell, poppler for the PDF tests. Node.js and npm are checked as commands instead (they are
/// often installed from outside Debian), and installed from Debian only when missing.
const BUILD_PACKAGES: &[&str] =
    &["gcc", "pkg-config", "libwebkit2gtk-4.1-dev", "libxdo-dev", "libssl-dev", "libayatana-appindicator3-dev", "librsvg2-dev"];
/// poppler for the PDF tests; Xvfb, WebKitWebDriver and ImageMagick for the end-to-end test and
/// the screenshots.
const TEST_PACKAGES: &[&str] = &["poppler-utils", "xvfb", "webkit2gtk-driver", "imagemagick", "x11-utils"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "run" => run(rest),
        "test" => test(),
        "bench" => bench(rest),
        "codegen" => codegen(rest),
        "screenshots" => screenshots(rest),
        "dist" => dist(),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench|codegen|screenshots|dist> [args]\n  run     the desktop app on the demo store (no display: `vetta`)\n  test    formatting, clippy, bindings and every test\n  bench   the benchmarks (release)\n  codegen [--check]  the UI's TypeScript bindings from the Rust types\n  screenshots [DIR]  every view, light and dark, as PNG\n  dist    an installable .deb"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    if !args.is_empty() {
        cargo(&["build", "--quiet", "--bin", "vetta"])?;
        return status(Command::new(workspace_root().join("target/debug/vetta")).args(args));
    }
    build_ui()?;
    // Exactly the build `cargo xtask test` makes (same packages, same targets, so the same features:
    // the shell's tests turn on Tauri's `test` feature, and any other selection would rebuild Tauri
    // and everything above it). After a test run this compiles nothing; before one, it builds the
    // test binaries too, which the test run then reuses.
    cargo(&[&["test", "--quiet", "--no-run"][..], TEST_SELECTION].concat())?;
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        status(&mut Command::new(workspace_root().join("target/debug/vetta-desktop")))
    } else {
        println!("No display: showing the demo store through the `vetta` command line (the desktop app needs a display).\n");
        let vetta = workspace_root().join("target/debug/vetta");
        for command in [&["score"][..], &["batches"][..]] {
            println!("$ vetta {}", command.join(" "));
            status(Command::new(&vetta).args(command))?;
            println!();
        }
        Ok(())
    }
}

fn test() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(TEST_PACKAGES)?;
    ensure_rust_component("rustfmt")?;
    ensure_rust_component("clippy")?;
    build_ui()?;
    npm(&["run", "check"])?;
    npm(&["test"])?;
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])?;
    // The end-to-end crate is built on its own: building it with the shell would unify tokio's
    // features into Tauri's and compile Tauri twice. A throwaway PostgreSQL cluster serves the
    // team-store tests, and then the store and engine suites again, on that engine.
    ensure_packages(POSTGRES_PACKAGES)?;
    with_postgres(|server| {
        status(server.pass(cargo_command().args([&["test"][..], TEST_SELECTION].concat())))?;
        eprintln!("the store and engine suites again, on PostgreSQL:");
        // The workspace's selection, as above, so that nothing is compiled again with other features.
        let suite = [&["test"][..], TEST_SELECTION, &["--test", "it"]].concat();
        status(server.pass(cargo_command().args(suite).env("VETTA_TEST_ENGINE", "postgres")))
    })?;
    codegen(&["--check".to_string()])?;
    end_to_end()
}

/// The throwaway cluster of [`with_postgres`]: its URL, and the server's binaries (for the tests
/// that start a cluster of their own: killing the server, TLS).
struct TestServer {
    url: String,
    bin: std::path::PathBuf,
}

impl TestServer {
    /// `command` told where the test server is.
    fn pass<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        command.env("VETTA_TEST_POSTGRES", &self.url).env("VETTA_TEST_PGBIN", &self.bin)
    }
}

/// The PostgreSQL server (Debian's) for the team-store tests.
const POSTGRES_PACKAGES: &[&str] = &["postgresql"];

/// Runs `work` with a throwaway PostgreSQL cluster on 127.0.0.1 (a free port, SCRAM passwords, a
/// temporary folder), given its URL as the cluster's owner, and stops and removes the cluster
/// afterwards, whatever `work` returned. As root, the server runs as the `postgres` user (initdb
/// refuses root).
fn with_postgres<T>(work: impl FnOnce(&TestServer) -> Result<T, String>) -> Result<T, String> {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("no PostgreSQL server under /usr/lib/postgresql: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .max_by_key(|bin| bin.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()))
        .ok_or("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")?;
    let dir = std::env::temp_dir().join(format!("vetta-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    if root {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).map_err(|e| e.to_string())?;
    }
    let as_server = |tool: &str| {
        let path = bin.join(tool);
        let mut command = if root { Command::new("runuser") } else { Command::new(&path) };
        if root {
            command.args(["-u", "postgres", "--"]).arg(&path);
        }
        command
    };
    let password = "vetta-test";
    std::fs::write(dir.join("pw"), password).map_err(|e| e.to_string())?;
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let data = dir.join("data");
    let started = status(
        as_server("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "owner", "-A", "scram-sha-256", "--no-sync", "--pwfile"])
            .arg(dir.join("pw"))
            .stdout(std::process::Stdio::null()),
    )
    .and_then(|()| {
        status(
            as_server("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-w", "-s", "-l"])
                .arg(dir.join("log"))
                .arg("-o")
                .arg(format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", dir.display()))
                .arg("start"),
        )
    });
    let server = TestServer { url: format!("postgresql://owner:{password}@127.0.0.1:{port}/postgres"), bin: bin.clone() };
    let result = started.and_then(|()| work(&server));
    let _ = as_server("pg_ctl").arg("-D").arg(&data).args(["-s", "-m", "immediate", "stop"]).status();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The packages `cargo xtask test` builds and tests; `run` builds the same selection so it reuses
/// that build.
const TEST_SELECTION: &[&str] = &["--workspace", "--exclude", "vetta-e2e"];

/// The WebDriver test of the real app (built by the tests above) under a private Xvfb display.
fn end_to_end() -> Result<(), String> {
    ensure_tauri_driver()?;
    // The shell's integration tests above have just built `target/debug/vetta-desktop`.
    with_display(|display| {
        status(cargo_command().args(["test", "-p", "vetta-e2e", "--", "--nocapture", "--test-threads=1"]).env("DISPLAY", display))
    })
}

/// Runs `work` with a fresh Xvfb server (on the first free display number from :90) and stops the
/// server afterwards, whatever `work` returned.
fn with_display<T>(work: impl FnOnce(&str) -> Result<T, String>) -> Result<T, String> {
    let number = (90..200).find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()).ok_or("no free X display")?;
    let display = format!(":{number}");
    let mut xvfb = Command::new("Xvfb")
        .args([display.as_str(), "-screen", "0", "1440x900x24", "-nolisten", "tcp"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let socket = format!("/tmp/.X11-unix/X{number}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::path::Path::new(&socket).exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let result = work(&display);
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    result
}

/// `tauri-driver` (the WebDriver front for Tauri apps), installed with cargo when missing.
fn ensure_tauri_driver() -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .ok_or("no CARGO_HOME or HOME")?;
    if home.join("bin/tauri-driver").exists() {
        return Ok(());
    }
    cargo(&["install", "tauri-driver", "--version", "^2", "--locked"])
}

/// Launches the app under a private Xvfb display and saves every view, light and dark.
fn screenshots(args: &[String]) -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(TEST_PACKAGES)?;
    ensure_tauri_driver()?;
    build_ui()?;
    cargo(&["build", "--quiet", "-p", "vetta-desktop"])?;
    cargo(&["build", "--quiet", "-p", "vetta-e2e", "--bin", "screenshots"])?;
    with_display(|display| status(Command::new(workspace_root().join("target/debug/screenshots")).args(args).env("DISPLAY", display)))
}

/// Builds the release app and bundles it as a `.deb` with Tauri's CLI (the npm package, pinned in
/// the UI's devDependencies), then checks the package with Debian's lintian. The CLI treats the
/// folder holding `tauri.conf.json` as the app crate, so it is pointed at `src-tauri/`, where a
/// symlink leads to the root configuration; the paths in that configuration are relative to
/// `src-tauri/`.
///
/// Tauri's bundler packages only the shell's own binary. The `vetta` command line, the copyright
/// file, the changelog and lintian's overrides enter through `bundle > linux > deb > files`, so the
/// command line and the compressed changelog are made here first.
fn dist() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(&["file", "dpkg-dev", "lintian"])?;
    let root = workspace_root();
    build_ui()?;
    // The shell is selected too (only `vetta` is built) so the dependencies' features resolve as in
    // the Tauri build below, which then reuses all of this; `-p vetta` alone resolves other features
    // and compiles most of the tree a second time.
    cargo(&["build", "--release", "-p", "vetta", "-p", "vetta-desktop", "--bin", "vetta"])?;
    let packaging = root.join("target/packaging");
    std::fs::create_dir_all(&packaging).map_err(|e| format!("{}: {e}", packaging.display()))?;
    let changelog = packaging.join("changelog.gz");
    let file = std::fs::File::create(&changelog).map_err(|e| format!("{}: {e}", changelog.display()))?;
    // Maximum compression, as Debian asks; `-n` leaves out the name and time stamp.
    status(Command::new("gzip").args(["-9n", "--stdout"]).arg(root.join(CHANGELOG)).stdout(file))?;
    let started = std::time::SystemTime::now();
    status(
        Command::new("npx")
            .args(["--no-install", "tauri", "build", "--bundles", "deb", "--ci"])
            .env("TAURI_APP_PATH", root.join("src-tauri"))
            .current_dir(root.join("ui")),
    )?;
    let debs = root.join("target/release/bundle/deb");
    let found: Vec<std::path::PathBuf> = std::fs::read_dir(&debs)
        .map_err(|e| format!("{}: {e}", debs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .filter(|p| std::fs::metadata(p).and_then(|m| m.modified()).is_ok_and(|t| t >= started))
        .collect();
    if found.is_empty() {
        return Err(format!("no new .deb in {}", debs.display()));
    }
    let logged = output(Command::new("dpkg-parsechangelog").arg("-l").arg(root.join(CHANGELOG)).args(["-S", "Version"]))?;
    for deb in &found {
        // lintian does not compare the changelog with the package, so a release without its entry
        // would pass.
        let version = output(Command::new("dpkg-deb").arg("--field").arg(deb).arg("Version"))?;
        if version != logged {
            return Err(format!("{} is version {version}, but {CHANGELOG} starts at {logged}: add an entry for {version}", deb.display()));
        }
        println!("$ lintian --fail-on error {}", deb.display());
        status(Command::new("lintian").args(["--fail-on", "error"]).arg(deb))?;
    }
    println!("{}", found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("\n"));
    Ok(())
}

/// The package's Debian changelog (installed as `/usr/share/doc/vetta/changelog.gz`); `dist` fails
/// when its latest entry is not the version being packaged.
const CHANGELOG: &str = "packaging/debian/changelog";

/// Runs a command and returns what it printed, trimmed; fails with its error output.
fn output(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let out = command.output().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{shown} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// What `codegen` generates into the UI: (folder, scratch folder, file extension, what it is).
const GENERATED: [(&str, &str, &str, &str); 2] = [
    ("ui/src/lib/api/bindings", "target/bindings", "ts", "the Rust types"),
    ("ui/src/lib/api/recorded", "target/recorded", "json", "the engine's answers on the demo store"),
];

/// Generates, into scratch folders, the TypeScript bindings of the IPC types (ts-rs, through the
/// ignored `export_typescript_bindings` tests of the core and the shell) and the engine's answers
/// that the browser preview replays (the core's ignored `record_preview_outputs`); then either
/// replaces the UI's copies with them or, with `--check`, fails naming every file that differs.
fn codegen(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    let root = workspace_root();
    for (_, scratch, _, _) in GENERATED {
        let scratch = root.join(scratch);
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    }
    // The same package selection as `cargo xtask test` uses, so the test binaries built there are
    // reused: selecting one package alone resolves other features and rebuilds half the tree.
    status(
        cargo_command()
            .args(["test", "--quiet", "--workspace", "--exclude", "vetta-e2e", "--exclude", "xtask", "--lib"])
            .args(["--", "--ignored", "export_typescript_bindings", "record_preview_outputs"])
            .env("TS_RS_EXPORT_DIR", root.join(GENERATED[0].1))
            .env("VETTA_RECORD_DIR", root.join(GENERATED[1].1)),
    )?;
    let mut drift: Vec<String> = Vec::new();
    for (folder, scratch, ext, source) in GENERATED {
        let generated = files_of(&root.join(scratch), ext)?;
        let committed = files_of(&root.join(folder), ext)?;
        if check {
            let mut wrong: Vec<String> = Vec::new();
            for (name, text) in &generated {
                match committed.get(name) {
                    Some(old) if old == text => {}
                    Some(_) => wrong.push(format!("{name} differs")),
                    None => wrong.push(format!("{name} is missing")),
                }
            }
            wrong.extend(committed.keys().filter(|name| !generated.contains_key(*name)).map(|name| format!("{name} is not generated")));
            if wrong.is_empty() {
                println!("{folder}: {} files match {source}", generated.len());
            } else {
                drift.push(format!("{folder} drifted from {source}:\n  {}", wrong.join("\n  ")));
            }
            continue;
        }
        let target = root.join(folder);
        std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        for name in committed.keys().filter(|name| !generated.contains_key(*name)) {
            std::fs::remove_file(target.join(name)).map_err(|e| format!("{name}: {e}"))?;
        }
        for (name, text) in &generated {
            if committed.get(name) != Some(text) {
                std::fs::write(target.join(name), text).map_err(|e| format!("{name}: {e}"))?;
            }
        }
        println!("{folder}: {} files written from {source}", generated.len());
    }
    if drift.is_empty() { Ok(()) } else { Err(format!("{}\n(run `cargo xtask codegen`)", drift.join("\n"))) }
}

/// The files of a folder with this extension, by name (none when the folder does not exist yet).
fn files_of(dir: &std::path::Path, ext: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut files = std::collections::BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == ext) {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.insert(path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text);
        }
    }
    Ok(files)
}

/// Installs the UI's npm packages when missing and builds it into `ui/build` (which the desktop
/// shell embeds).
fn build_ui() -> Result<(), String> {
    let have_npm = Command::new("npm").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !have_npm {
        ensure_packages(&["nodejs", "npm"])?;
    }
    // npm's own record of what it installed; a lockfile changed since (a pull that adds a package)
    // means the installed packages are stale.
    let modified = |path: &str| std::fs::metadata(workspace_root().join(path)).and_then(|m| m.modified()).ok();
    let installed = modified("ui/node_modules/.package-lock.json");
    if installed.is_none() || modified("ui/package-lock.json") > installed {
        npm(&["ci", "--no-audit", "--no-fund"])?;
    }
    npm(&["run", "build"])
}

fn npm(args: &[&str]) -> Result<(), String> {
    status(Command::new("npm").args(args).current_dir(workspace_root().join("ui")))
}

fn bench(args: &[String]) -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    let mut command = vec!["bench", "-p", "vetta"];
    command.extend(args.iter().map(String::as_str));
    if std::env::var_os("VETTA_BENCH_POSTGRES").is_some() {
        return cargo(&command);
    }
    // `team_store` compares the team store with the file: a throwaway cluster serves it.
    ensure_packages(POSTGRES_PACKAGES)?;
    with_postgres(|server| status(cargo_command().args(&command).env("VETTA_BENCH_POSTGRES", &server.url)))
}

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

fn cargo(args: &[&str]) -> Result<(), String> {
    status(cargo_command().args(args))
}

/// The cargo that runs this xtask, in the workspace root.
fn cargo_command() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

fn status(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
}

/// Installs the Debian packages that are missing, with sudo when not root. Does nothing when all
/// are present, so a machine that has them needs no network.
fn ensure_packages(packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing missing system packages: {}", missing.join(" "));
    let root = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut command = if root { Command::new("apt-get") } else { Command::new("sudo") };
        if !root {
            command.arg("apt-get");
        }
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        status(&mut command)
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

fn ensure_rust_component(component: &str) -> Result<(), String> {
    let probe = if component == "rustfmt" { "fmt" } else { "clippy" };
    let present = Command::new("cargo").args([probe, "--version"]).output().map(|o| o.status.success()).unwrap_or(false);
    if present { Ok(()) } else { status(Command::new("rustup").args(["component", "add", component])) }
}
