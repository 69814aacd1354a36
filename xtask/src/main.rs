//! Project automation, run as `cargo xtask <task>`:
//!
//! - `run`   — the main job: the desktop app on the demo store; where there is no display, the same
//!   engine through the `vetta` command line.
//! - `test`  — every check CI runs: the UI's type check and tests, formatting, clippy, every Rust test.
//! - `bench` — the benchmarks, in release.
//!
//! Each task first installs what a fresh machine lacks (Debian packages and the UI's npm packages,
//! only when missing).

use std::process::{Command, ExitCode};

/// Debian packages each task needs beyond the Rust toolchain: WebKitGTK and friends to build the
/// desktop shell, poppler for the PDF tests. Node.js and npm are checked as commands instead (they are
/// often installed from outside Debian), and installed from Debian only when missing.
const BUILD_PACKAGES: &[&str] =
    &["gcc", "pkg-config", "libwebkit2gtk-4.1-dev", "libxdo-dev", "libssl-dev", "libayatana-appindicator3-dev", "librsvg2-dev"];
const TEST_PACKAGES: &[&str] = &["poppler-utils"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "run" => run(rest),
        "test" => test(),
        "bench" => bench(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|bench> [args]\n  run   show the demo store through `vetta`\n  test  formatting, clippy and every test\n  bench the benchmarks (release)"
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
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        cargo(&["run", "--quiet", "-p", "vetta-desktop"])
    } else {
        cargo(&["build", "--quiet", "--bin", "vetta"])?;
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
    cargo(&["test", "--workspace"])
}

/// Installs the UI's npm packages when missing and builds it into `ui/build` (which the desktop
/// shell embeds).
fn build_ui() -> Result<(), String> {
    let have_npm = Command::new("npm").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !have_npm {
        ensure_packages(&["nodejs", "npm"])?;
    }
    if !workspace_root().join("ui/node_modules/.package-lock.json").exists() {
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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    status(Command::new(cargo).args(args).current_dir(workspace_root()))
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
