//! Project automation, run as `cargo xtask <task>`:
//!
//! - `run`   — the main job: the desktop app on the demo store; where there is no display, the same
//!   engine through the `vetta` command line.
//! - `test`  — every check CI runs: the UI's type check and tests, formatting, clippy, every Rust test.
//! - `bench` — the benchmarks, in release.
//! - `screenshots [DIR]` — a PNG of every view, light and dark, into `target/screenshots/`.
//! - `dist` — an installable `.deb` of the desktop app (release build, Tauri's bundler).
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
    // features into Tauri's and compile Tauri twice.
    cargo(&[&["test"][..], TEST_SELECTION].concat())?;
    codegen(&["--check".to_string()])?;
    end_to_end()
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
/// the UI's devDependencies). The CLI treats the folder holding `tauri.conf.json` as the app crate, so
/// it is pointed at `src-tauri/`, where a symlink leads to the root configuration.
fn dist() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(&["file", "dpkg-dev"])?;
    build_ui()?;
    status(
        Command::new("npx")
            .args(["--no-install", "tauri", "build", "--bundles", "deb", "--ci"])
            .env("TAURI_APP_PATH", workspace_root().join("src-tauri"))
            .current_dir(workspace_root().join("ui")),
    )?;
    let debs = workspace_root().join("target/release/bundle/deb");
    let found: Vec<String> = std::fs::read_dir(&debs)
        .map_err(|e| format!("{}: {e}", debs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .map(|p| p.display().to_string())
        .collect();
    if found.is_empty() {
        return Err(format!("no .deb in {}", debs.display()));
    }
    println!("{}", found.join("\n"));
    Ok(())
}

/// Where the generated bindings live in the UI.
const BINDINGS: &str = "ui/src/lib/api/bindings";

/// Generates the TypeScript bindings of the IPC types (ts-rs, through the ignored
/// `export_typescript_bindings` tests of the core and the shell) into a scratch folder, then either
/// replaces the UI's bindings with them or, with `--check`, fails naming every file that differs.
fn codegen(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    let root = workspace_root();
    let scratch = root.join("target/bindings");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    // The same package selection as `cargo xtask test` uses, so the test binaries built there are
    // reused: selecting one package alone resolves other features and rebuilds half the tree.
    status(
        cargo_command()
            .args(["test", "--quiet", "--workspace", "--exclude", "vetta-e2e", "--exclude", "xtask", "--lib"])
            .args(["export_typescript_bindings", "--", "--ignored"])
            .env("TS_RS_EXPORT_DIR", &scratch),
    )?;
    let generated = ts_files(&scratch)?;
    let committed = ts_files(&root.join(BINDINGS))?;
    if check {
        let mut drift: Vec<String> = Vec::new();
        for (name, text) in &generated {
            match committed.get(name) {
                Some(old) if old == text => {}
                Some(_) => drift.push(format!("{name} differs")),
                None => drift.push(format!("{name} is missing")),
            }
        }
        drift.extend(
            committed.keys().filter(|name| !generated.contains_key(*name)).map(|name| format!("{name} is not generated by any Rust type")),
        );
        return if drift.is_empty() {
            println!("bindings: {} files match the Rust types", generated.len());
            Ok(())
        } else {
            Err(format!("{BINDINGS} drifted from the Rust types (run `cargo xtask codegen`):\n  {}", drift.join("\n  ")))
        };
    }
    let target = root.join(BINDINGS);
    for name in committed.keys().filter(|name| !generated.contains_key(*name)) {
        std::fs::remove_file(target.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    for (name, text) in &generated {
        if committed.get(name) != Some(text) {
            std::fs::write(target.join(name), text).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    println!("bindings: {} files written to {BINDINGS}", generated.len());
    Ok(())
}

/// The `.ts` files of a folder by name.
fn ts_files(dir: &std::path::Path) -> Result<std::collections::BTreeMap<String, String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = std::collections::BTreeMap::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "ts") {
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
    cargo(&command)
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
