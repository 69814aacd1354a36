//! `vetta`: the command line of cli.md over the same core as the desktop app.
//!
//! Option values are parsed here rather than by clap, so that a bad value exits 1 ("bad input")
//! while an unknown command or option exits 2 ("usage"), as cli.md requires.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use vetta::engine::{self, ScoreReport, SmaaOptions};
use vetta::scenario::{CliScenario, ScenarioInput};
use vetta::scoring::SmaaMode;
use vetta::{Error, api, export};

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
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Validate files without importing them.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List import batches.
    Batches {
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Undo an import batch, restoring exactly what it replaced.
    Undo { batch: String },
    /// List vendors.
    Vendors {
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Score and rank every vendor.
    Score {
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Why a vendor scores as it does: each factor with its evidence.
    Explain {
        vendor: String,
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Tornado and stability intervals for one vendor.
    Sensitivity {
        vendor: String,
        #[arg(long, default_value = "0.5")]
        delta: String,
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// SMAA-2 rank acceptability under sampled weights.
    Smaa {
        #[arg(long, default_value = "10000")]
        samples: String,
        #[arg(long, default_value = "0")]
        seed: String,
        #[arg(long, default_value = "uniform")]
        mode: String,
        #[arg(long, default_value = "50")]
        kappa: String,
        #[arg(long)]
        ranks: Option<String>,
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Weights from pairwise comparisons.
    Weights {
        #[command(subcommand)]
        command: WeightsCommand,
    },
    /// Named what-if scenarios.
    Scenario {
        #[command(subcommand)]
        command: ScenarioCommand,
    },
    /// A typeset PDF brief: one vendor, or a comparison of 2–10.
    Brief {
        #[arg(required = true)]
        vendors: Vec<String>,
        #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
        output: PathBuf,
        /// a4 or us-letter.
        #[arg(long, default_value = "a4")]
        paper: String,
        /// The document date YYYY-MM-DD (default: the as-of date, so a brief is reproducible).
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// Scores, factors and contributions as a spreadsheet (.xlsx or .csv).
    Export {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
}

#[derive(Subcommand)]
enum WeightsCommand {
    /// AHP: weights and consistency ratio from a CSV of comparisons `a,b,value`.
    Ahp {
        file: PathBuf,
        #[arg(long, default_value = "table")]
        format: String,
    },
}

#[derive(Subcommand)]
enum ScenarioCommand {
    /// Save the scenario the options describe under NAME.
    Save {
        name: String,
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// List saved scenarios (and the presets).
    List {
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Show a scenario's weights, method and parameters.
    Show {
        name: String,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Weight, parameter, rank and score changes from A to B.
    Diff {
        a: String,
        b: String,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Delete a saved scenario.
    Delete { name: String },
}

/// The scenario options of cli.md.
#[derive(Args, Clone, Default)]
struct ScenarioArgs {
    /// A saved scenario or a preset (default, equal, bod-17-01, …).
    #[arg(long)]
    scenario: Option<String>,
    /// Weights such as ownership=20,ties=15 (the rest keep theirs; then normalised).
    #[arg(long)]
    weights: Option<String>,
    /// weighted_sum, weighted_product or topsis.
    #[arg(long)]
    method: Option<String>,
    /// Evaluation date YYYY-MM-DD (default: today, UTC).
    #[arg(long = "as-of")]
    as_of: Option<String>,
    /// Countries of concern, e.g. CN,RU.
    #[arg(long)]
    concern: Option<String>,
    /// Value of market / install_base without data: zero, neutral or worst.
    #[arg(long)]
    missing: Option<String>,
    /// Any parameter of the risk model, name=value (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
}

impl ScenarioArgs {
    fn options(&self) -> Result<ScenarioInput, Error> {
        ScenarioInput::from_cli(&CliScenario {
            scenario: self.scenario.as_deref(),
            weights: self.weights.as_deref(),
            method: self.method.as_deref(),
            as_of: self.as_of.as_deref(),
            concern: self.concern.as_deref(),
            missing: self.missing.as_deref(),
            params: &self.params,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Table,
    Json,
    Csv,
}

fn format(text: &str) -> Result<Format, Error> {
    match text {
        "table" => Ok(Format::Table),
        "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        other => Err(Error::Invalid(format!("--format: {other:?} is not table, json or csv"))),
    }
}

fn number<T: std::str::FromStr>(option: &str, text: &str) -> Result<T, Error> {
    text.trim().parse().map_err(|_| Error::Invalid(format!("{option}: {text:?} is not a valid number")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let path = cli.db.clone().unwrap_or_else(api::default_store_path);
    let mut out = Vec::new();
    match run(cli.command, &path, &mut out) {
        Ok(()) => {
            // Output is written only once the command succeeded, so an error leaves stdout empty.
            let _ = std::io::stdout().lock().write_all(&out);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("vetta: {error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("reports serialise") + "\n"
}

fn run(command: Command, path: &Path, out: &mut Vec<u8>) -> Result<(), Error> {
    let text = match command {
        Command::Init { empty } => {
            let store = api::init_store(path, empty)?;
            format!("created {} ({})\n", path.display(), describe_counts(&store.counts()?))
        }
        Command::Import { paths, format: f } => {
            let f = format(&f)?;
            let mut store = api::open_store(path)?;
            let outcome = api::import(&mut store, &paths)?;
            for warning in &outcome.warnings {
                eprintln!("warning: {warning}");
            }
            if f == Format::Json {
                json(&outcome)
            } else {
                let counts: Vec<(&str, u64)> = outcome.batch.counts.iter().map(|(t, n)| (t.as_str(), *n)).collect();
                let files = outcome.batch.files.len();
                format!(
                    "imported batch {} from {files} file{}: {}\n",
                    outcome.batch.batch_id,
                    if files == 1 { "" } else { "s" },
                    describe_counts(&counts)
                )
            }
        }
        Command::Check { paths } => {
            let store = api::open_store(path)?;
            let report = api::check(&store, &paths)?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            "ok: no errors\n".to_string()
        }
        Command::Batches { format: f } => {
            let f = format(&f)?;
            let batches = api::open_store(path)?.batches()?;
            if f == Format::Json {
                json(&batches)
            } else {
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
                text
            }
        }
        Command::Undo { batch } => {
            let batch: i64 = number("BATCH", &batch)?;
            let undone = api::open_store(path)?.undo(batch)?;
            format!("undid batch {} ({})\n", undone.batch_id, undone.label)
        }
        Command::Vendors { format: f } => {
            let f = format(&f)?;
            let vendors = api::open_store(path)?.vendors()?;
            match f {
                Format::Json => json(&vendors),
                Format::Csv => {
                    let mut text = String::from("vendor_id,name,hq_country,privilege,category,mitigation\n");
                    for v in &vendors {
                        let fields = [
                            &v.vendor_id,
                            &v.name,
                            &v.hq_country,
                            &v.privilege,
                            v.category.as_deref().unwrap_or_default(),
                            &v.mitigation.to_string(),
                        ];
                        text.push_str(&fields.iter().map(|f| export::csv_field(f)).collect::<Vec<_>>().join(","));
                        text.push('\n');
                    }
                    text
                }
                Format::Table => {
                    let mut text = format!("{:<16} {:<32} {:<3} {:<9} {}\n", "vendor_id", "name", "hq", "privilege", "mitigation");
                    for v in &vendors {
                        text.push_str(&format!(
                            "{:<16} {:<32} {:<3} {:<9} {}\n",
                            v.vendor_id, v.name, v.hq_country, v.privilege, v.mitigation
                        ));
                    }
                    text
                }
            }
        }
        Command::Score { scenario, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            let report = engine::score(&store, &scenario.options()?)?;
            match f {
                Format::Json => json(&report),
                Format::Csv => export::report_csv(&report),
                Format::Table => score_table(&report),
            }
        }
        Command::Explain { vendor, scenario, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            let explanation = engine::explain(&store, &vendor, &scenario.options()?)?;
            if f == Format::Json {
                json(&explanation)
            } else {
                let v = &explanation.vendor;
                let mut text = format!("{} ({}) — score {:.2}, {}, rank {}\n", v.name, v.vendor_id, v.score, v.band.as_str(), v.rank);
                if v.prohibited {
                    text.push_str(&format!("prohibited: {}\n", v.designations.join(", ")));
                }
                for factor in &explanation.factors {
                    let contribution = factor.contribution.map(|c| format!(", contributes {c:.2}")).unwrap_or_default();
                    let missing = if factor.missing { " (missing data)" } else { "" };
                    text.push_str(&format!(
                        "\n{} = {:.4} (weight {:.3}{contribution}){missing}\n",
                        factor.factor, factor.value, factor.weight
                    ));
                    for sentence in &factor.sentences {
                        text.push_str(&format!("  · {sentence}\n"));
                    }
                }
                text
            }
        }
        Command::Sensitivity { vendor, delta, scenario, format: f } => {
            let f = format(&f)?;
            let delta: f64 = number("--delta", &delta)?;
            let store = api::open_store(path)?;
            let report = engine::sensitivity(&store, &vendor, delta, &scenario.options()?)?;
            match f {
                Format::Json => json(&report),
                _ => {
                    let sep = if f == Format::Csv { "," } else { "\t" };
                    let mut text =
                        format!("tornado (delta {delta})\n{}\n", ["factor", "low_score", "high_score", "low_rank", "high_rank"].join(sep));
                    for row in &report.tornado {
                        text.push_str(&format!(
                            "{}{sep}{}{sep}{}{sep}{}{sep}{}\n",
                            row.factor, row.low_score, row.high_score, row.low_rank, row.high_rank
                        ));
                    }
                    text.push_str(&format!("\nstability (weighted_sum)\n{}\n", ["factor", "weight", "lo", "hi"].join(sep)));
                    for row in &report.stability {
                        text.push_str(&format!("{}{sep}{}{sep}{}{sep}{}\n", row.factor, row.weight, row.lo, row.hi));
                    }
                    text
                }
            }
        }
        Command::Smaa { samples, seed, mode, kappa, ranks, scenario, format: f } => {
            let f = format(&f)?;
            let around = match mode.as_str() {
                "uniform" => false,
                "around" => true,
                other => return Err(Error::Invalid(format!("--mode: {other:?} is not uniform or around"))),
            };
            let options = SmaaOptions {
                samples: number("--samples", &samples)?,
                seed: number("--seed", &seed)?,
                // --kappa is checked whatever the mode.
                mode: match number("--kappa", &kappa)? {
                    kappa if around => SmaaMode::Around { kappa },
                    _ => SmaaMode::Uniform,
                },
                ranks: ranks.as_deref().map(|r| number("--ranks", r)).transpose()?,
            };
            let store = api::open_store(path)?;
            let result = engine::smaa(&store, &options, &scenario.options()?, &|_| true)?;
            match f {
                Format::Json => json(&result),
                _ => {
                    let sep = if f == Format::Csv { "," } else { "\t" };
                    let ranks: Vec<String> = (1..=result.ranks).map(|r| format!("b{r}")).collect();
                    let mut text = format!("vendor_id{sep}{}{sep}holistic\n", ranks.join(sep));
                    for v in &result.vendors {
                        let b: Vec<String> = v.acceptability.iter().map(|x| format!("{x:.4}")).collect();
                        text.push_str(&format!("{}{sep}{}{sep}{:.4}\n", v.vendor_id, b.join(sep), v.holistic));
                    }
                    text
                }
            }
        }
        Command::Weights { command: WeightsCommand::Ahp { file, format: f } } => {
            let f = format(&f)?;
            let result = engine::ahp_file(&file)?;
            if !result.consistent {
                eprintln!("warning: the comparisons are inconsistent (CR {:.3} > 0.1); revisit the pairs that disagree most", result.cr);
            }
            match f {
                Format::Json => json(&result),
                _ => {
                    let mut text = String::new();
                    for (factor, weight) in result.weights.iter() {
                        text.push_str(&format!("{factor}\t{weight}\n"));
                    }
                    text.push_str(&format!(
                        "lambda_max\t{}\nci\t{}\ncr\t{}\nconsistent\t{}\n",
                        result.lambda_max, result.ci, result.cr, result.consistent
                    ));
                    text
                }
            }
        }
        Command::Scenario { command } => scenario_command(command, path)?,
        Command::Brief { vendors, output, paper, date, scenario } => {
            let paper = match paper.as_str() {
                "a4" => vetta::brief::data::Paper::A4,
                "us-letter" | "letter" => vetta::brief::data::Paper::UsLetter,
                other => return Err(Error::Invalid(format!("--paper: {other:?} is not a4 or us-letter"))),
            };
            if let Some(date) = &date {
                vetta::ingest::cells::date(date).map_err(|e| Error::Invalid(format!("--date: {e}")))?;
            }
            let store = api::open_store(path)?;
            let options = vetta::briefing::BriefOptions { paper, document_date: date, ..Default::default() };
            vetta::briefing::write_brief(&store, &vendors, &output, &scenario.options()?, &options)?;
            format!("wrote {}\n", output.display())
        }
        Command::Export { output, scenario } => {
            let store = api::open_store(path)?;
            let report = engine::score(&store, &scenario.options()?)?;
            export::write_report(&report, &output)?;
            format!("wrote {} ({} vendors)\n", output.display(), report.vendors.len())
        }
    };
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

fn scenario_command(command: ScenarioCommand, path: &Path) -> Result<String, Error> {
    Ok(match command {
        ScenarioCommand::Save { name, scenario } => {
            let mut store = api::open_store(path)?;
            let spec = engine::save_scenario(&mut store, &name, &scenario.options()?)?;
            format!("saved scenario {name}: {}\n", spec.to_json())
        }
        ScenarioCommand::List { format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            let saved = store.scenarios()?;
            if f == Format::Json {
                let list: Vec<serde_json::Value> = saved
                    .iter()
                    .map(|(name, spec, updated)| serde_json::json!({"name": name, "spec": serde_json::from_str::<serde_json::Value>(spec).unwrap_or_default(), "updated_at": updated}))
                    .collect();
                json(&serde_json::json!({"scenarios": list, "presets": vetta::scoring::preset_names()}))
            } else {
                let mut text = String::from("saved:\n");
                for (name, _, updated) in &saved {
                    text.push_str(&format!("  {name}\t(updated {updated})\n"));
                }
                text.push_str(&format!("presets: {}\n", vetta::scoring::preset_names().join(", ")));
                text
            }
        }
        ScenarioCommand::Show { name, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            let spec = engine::scenario_spec(&store, &name)?;
            let resolved = spec.resolve(&name, engine::today())?;
            if f == Format::Json {
                json(
                    &serde_json::json!({"name": name, "spec": spec, "weights": resolved.weights.to_map(), "method": resolved.method, "params": resolved.params}),
                )
            } else {
                let mut text = format!("scenario {name}\nmethod\t{}\n", resolved.method.as_str());
                for (factor, w) in resolved.weights.to_map().iter() {
                    text.push_str(&format!("weight {factor}\t{w}\n"));
                }
                for (param, value) in resolved.params.to_pairs() {
                    let set = if spec.params.contains_key(param) { "" } else { " (default)" };
                    text.push_str(&format!("{param}\t{value}{set}\n"));
                }
                text
            }
        }
        ScenarioCommand::Diff { a, b, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            let diff = engine::scenario_diff(&store, &a, &b)?;
            if f == Format::Json {
                json(&diff)
            } else {
                let mut text = format!("{a} → {b}\n");
                for (factor, (wa, wb)) in &diff.weights {
                    text.push_str(&format!("weight {factor}\t{wa:.4} → {wb:.4}\n"));
                }
                if let Some((ma, mb)) = diff.method {
                    text.push_str(&format!("method\t{ma} → {mb}\n"));
                }
                for (param, (va, vb)) in &diff.params {
                    text.push_str(&format!("{param}\t{va} → {vb}\n"));
                }
                text.push_str("\nrank  change  vendor            score\n");
                for v in &diff.vendors {
                    let arrow = match v.rank_change {
                        0 => "   =".to_string(),
                        c if c > 0 => format!("↑{c:>3}"),
                        c => format!("↓{:>3}", -c),
                    };
                    text.push_str(&format!("{:>4}  {arrow}    {:<16}  {:.2} → {:.2}\n", v.rank_b, v.vendor_id, v.score_a, v.score_b));
                }
                text
            }
        }
        ScenarioCommand::Delete { name } => {
            let mut store = api::open_store(path)?;
            if !store.delete_scenario(&name)? {
                return Err(Error::Invalid(format!("no saved scenario named {name:?}")));
            }
            format!("deleted scenario {name}\n")
        }
    })
}

fn score_table(report: &ScoreReport) -> String {
    let mut text = format!(
        "as of {} · {} · scenario {} · dataset {}\n\n{:>4}  {:<14} {:<34} {:>6}  {:<8}  {}\n",
        report.as_of,
        report.method,
        report.scenario,
        &report.dataset_sha256[..12],
        "rank",
        "vendor",
        "name",
        "score",
        "band",
        "prohibited"
    );
    for v in &report.vendors {
        let prohibited = if v.prohibited { format!("yes ({})", v.designations.join(", ")) } else { String::new() };
        let name: String = v.name.chars().take(34).collect();
        text.push_str(&format!(
            "{:>4}  {:<14} {:<34} {:>6.2}  {:<8}  {}\n",
            v.rank,
            v.vendor_id,
            name,
            v.score,
            v.band.as_str(),
            prohibited
        ));
    }
    text
}

fn describe_counts(counts: &[(&str, u64)]) -> String {
    counts.iter().map(|(table, n)| format!("{table} {n}")).collect::<Vec<_>>().join(", ")
}
