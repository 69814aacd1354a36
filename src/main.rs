//! `vetta`: the command line of cli.md over the same core as the desktop app.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use vetta::{Error, api};

#[derive(Parser)]
#[command(name = "vetta", version, about = "Score technology vendors for procurement risk, offline.")]
struct Cli {
    /// The store (default: $VETTA_DB, else the platform data directory's vetta/vetta.db).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the store, with the demo dataset unless --empty.
    Init {
        #[arg(long)]
        empty: bool,
    },
    /// Import a dataset folder, CSV files or an .xlsx workbook as one batch (all or nothing).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Validate files without importing them.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List import batches.
    Batches {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Undo an import batch, restoring exactly what it replaced.
    Undo { batch: i64 },
    /// List vendors.
    Vendors {
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let path = cli.db.clone().unwrap_or_else(api::default_store_path);
    match run(cli.command, &path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vetta: {error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

fn run(command: Command, path: &std::path::Path) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let write_err = |e: std::io::Error| Error::Io(e.to_string());
    match command {
        Command::Init { empty } => {
            let store = api::init_store(path, empty)?;
            let counts = store.counts()?;
            writeln!(out, "created {} ({})", path.display(), describe_counts(&counts)).map_err(write_err)?;
        }
        Command::Import { paths, format } => {
            let mut store = api::open_store(path)?;
            let outcome = api::import(&mut store, &paths)?;
            for warning in &outcome.warnings {
                eprintln!("warning: {warning}");
            }
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&outcome).unwrap()),
                _ => {
                    let counts: Vec<(&str, u64)> = outcome.batch.counts.iter().map(|(t, n)| (t.as_str(), *n)).collect();
                    writeln!(
                        out,
                        "imported batch {} from {} file{}: {}",
                        outcome.batch.batch_id,
                        outcome.batch.files.len(),
                        if outcome.batch.files.len() == 1 { "" } else { "s" },
                        describe_counts(&counts)
                    )
                }
            }
            .map_err(write_err)?;
        }
        Command::Check { paths } => {
            let store = api::open_store(path)?;
            let report = api::check(&store, &paths)?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            writeln!(out, "ok: no errors").map_err(write_err)?;
        }
        Command::Batches { format } => {
            let store = api::open_store(path)?;
            let batches = store.batches()?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&batches).unwrap()),
                _ => {
                    let mut text =
                        format!("{:>5}  {:<20}  {:<8}  {:<28}  {:>5}  {:>9}\n", "batch", "created", "label", "state", "files", "rows");
                    for b in &batches {
                        let rows: u64 = b.counts.values().sum();
                        let state = b.undone_at.as_ref().map_or("applied".to_string(), |t| format!("undone {t}"));
                        text.push_str(&format!(
                            "{:>5}  {:<20}  {:<8}  {:<28}  {:>5}  {:>9}\n",
                            b.batch_id,
                            b.created_at,
                            b.label,
                            state,
                            b.files.len(),
                            rows
                        ));
                    }
                    write!(out, "{text}")
                }
            }
            .map_err(write_err)?;
        }
        Command::Undo { batch } => {
            let mut store = api::open_store(path)?;
            let undone = store.undo(batch)?;
            writeln!(out, "undid batch {} ({})", undone.batch_id, undone.label).map_err(write_err)?;
        }
        Command::Vendors { format } => {
            let store = api::open_store(path)?;
            let vendors = store.vendors()?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&vendors).unwrap()),
                Format::Csv => {
                    let mut text = String::from("vendor_id,name,hq_country,privilege,category,mitigation\n");
                    for v in &vendors {
                        let fields = [
                            v.vendor_id.clone(),
                            v.name.clone(),
                            v.hq_country.clone(),
                            v.privilege.clone(),
                            v.category.clone().unwrap_or_default(),
                            v.mitigation.to_string(),
                        ];
                        text.push_str(&fields.iter().map(|f| vetta::export::csv_field(f)).collect::<Vec<_>>().join(","));
                        text.push('\n');
                    }
                    write!(out, "{text}")
                }
                Format::Table => {
                    let mut text = format!("{:<16} {:<32} {:<3} {:<7} {}\n", "vendor_id", "name", "hq", "privilege", "mitigation");
                    for v in &vendors {
                        text.push_str(&format!(
                            "{:<16} {:<32} {:<3} {:<7} {}\n",
                            v.vendor_id, v.name, v.hq_country, v.privilege, v.mitigation
                        ));
                    }
                    write!(out, "{text}")
                }
            }
            .map_err(write_err)?;
        }
    }
    Ok(())
}

fn describe_counts(counts: &[(&str, u64)]) -> String {
    counts.iter().map(|(table, n)| format!("{table} {n}")).collect::<Vec<_>>().join(", ")
}
