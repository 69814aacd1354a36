//! `vetta`: the command line of cli.md over the same core as the desktop app.
//!
//! Option values are parsed here rather than by clap, so that a bad value exits 1 ("bad input")
//! while an unknown command or option exits 2 ("usage"), as cli.md requires.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use vetta::engine::{self, SmaaOptions};

use render::{Batches, Format, Sensitivity, TrustedKeys, Vendors, json, render};

#[path = "cli/render.rs"]
mod render;
use vetta::scenario::{CliScenario, ScenarioInput};
use vetta::scoring::SmaaMode;
use vetta::{Error, api, bundle, export};

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
    ///
    /// The tables, columns and rules, with a worked example each: docs/import.md in Vetta's
    /// repository.
    ///
    /// Published files (FollowTheMoney, BODS, GLEIF, OFAC SDN, the Consolidated Screening List,
    /// the FCC Covered List) are recognised by content and staged into tables first; what staging
    /// leaves out or changes is printed as `file:LOCATION: code: message`.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// table or json (the output), and/or ftm, bods, gleif, ofac-sdn, csl or fcc (read every
        /// file that is not a Vetta table as that format); repeatable.
        #[arg(long, default_value = "table")]
        format: Vec<String>,
        /// Write the import report (file, location, code, message) to this CSV file.
        #[arg(long, value_name = "FILE.csv")]
        report: Option<PathBuf>,
        #[command(flatten)]
        select: SelectArgs,
        /// Accept a bundle that is not signed, knowingly (a signed one is still checked).
        #[arg(long)]
        allow_unsigned: bool,
    },
    /// Validate files without importing them; prints the report of published files.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// ftm, bods, gleif, ofac-sdn, csl or fcc: read every file that is not a Vetta table as
        /// that format.
        #[arg(long)]
        format: Option<String>,
        /// Write the import report (file, location, code, message) to this CSV file.
        #[arg(long, value_name = "FILE.csv")]
        report: Option<PathBuf>,
        #[command(flatten)]
        select: SelectArgs,
        /// Accept a bundle that is not signed, knowingly (a signed one is still checked).
        #[arg(long)]
        allow_unsigned: bool,
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
        /// Adds "What changed" since BATCH (the store as it stood after it) or DATE (the current
        /// store as of then), to now, as `vetta changes --from` says it.
        #[arg(long, value_name = "BATCH|DATE")]
        changes_since: Option<String>,
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// The whole store as a dataset folder (one CSV per table) that imports back to the same facts.
    Dump {
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: PathBuf,
    },
    /// Candidate matches between the vendors' entities (and their owners and controllers) and
    /// entities from other sources, best first, with the reasons.
    Screen {
        /// Vendor ids (default: every vendor).
        vendors: Vec<String>,
        /// Show candidates scoring at least this (0–1).
        #[arg(long, default_value = "0.7", value_name = "S")]
        min_score: String,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Record that two entity ids name the same legal person, or not (a batch: undoable).
    Link {
        a: String,
        b: String,
        /// same or different.
        decision: String,
        /// Who decided.
        #[arg(long, value_name = "NAME")]
        by: String,
        /// Why: the document or evidence.
        #[arg(long, value_name = "TEXT")]
        basis: Option<String>,
    },
    /// What changed between two states of the store (batches) or two dates: per vendor, the
    /// numbers and the facts added, removed or replaced behind them.
    Changes {
        /// A batch number (the store as it stood after it) or a date (default: before the last batch).
        #[arg(long, value_name = "BATCH|DATE")]
        from: Option<String>,
        /// A batch number or a date (default: now).
        #[arg(long, value_name = "BATCH|DATE")]
        to: Option<String>,
        #[command(flatten)]
        scenario: ScenarioArgs,
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// List the recorded link decisions.
    Links {
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Scores, factors and contributions as a spreadsheet (.xlsx or .csv).
    Export {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
    /// Signed bundles: the store's facts in one file for exchange without a network.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Signing keys: make one, and the public keys this workspace trusts.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Move a whole workspace between a local file (--db) and a team database.
    Workspace {
        #[command(subcommand)]
        command: WorkspaceCommand,
    },
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Copy the local store (--db FILE) into an empty team database, keeping batch ids, authors and
    /// the undo journal; verified before it commits.
    Push {
        #[arg(value_name = "URL")]
        url: String,
    },
    /// Copy a team database into a new local store (--db FILE); verified before it commits.
    Pull {
        #[arg(value_name = "URL")]
        url: String,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Write the store (its dump and a manifest with each file's SHA-256) as one file, signed with
    /// KEY (a minisign secret key from `vetta key new`; its password from VETTA_KEY_PASSWORD or a
    /// prompt).
    Create {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Check a bundle: signed by a trusted key, unchanged, and its files give the manifest's
    /// dataset_sha256. Imports nothing.
    Verify {
        file: PathBuf,
        #[arg(long)]
        allow_unsigned: bool,
        #[arg(long, default_value = "table")]
        format: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Make a signing key: FILE (secret, readable by you only; keep it outside the store) and
    /// FILE.pub (the public key to give to those who will trust your bundles).
    New {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Leave the secret key unencrypted (otherwise its password comes from VETTA_KEY_PASSWORD
        /// or a prompt).
        #[arg(long)]
        no_password: bool,
    },
    /// Trust a public key (a .pub file or the key itself) to sign bundles imported here.
    Trust {
        #[arg(value_name = "FILE.pub|KEY")]
        key: String,
        /// Whose key it is.
        #[arg(long, value_name = "NAME")]
        label: String,
    },
    /// List the trusted keys.
    List {
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Stop trusting a key.
    Untrust {
        #[arg(value_name = "KEY_ID")]
        key_id: String,
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

/// Which part of big published files to import.
#[derive(Args, Debug, Default)]
struct SelectArgs {
    /// Keep only published entities within --hops of these vendors' ids, identifiers and names
    /// (every vendor's when none is named). Give it after the paths.
    #[arg(long, num_args = 0.., value_name = "VENDOR")]
    around: Option<Vec<String>>,
    /// Keep only published entities within --hops of the seeds in FILE: one SCHEME:VALUE
    /// (e.g. LEI:5493…) or entity id a line.
    #[arg(long, value_name = "FILE")]
    ids: Option<PathBuf>,
    /// Ownership or control hops from a seed (default 2).
    #[arg(long, value_name = "N")]
    hops: Option<String>,
}

impl SelectArgs {
    fn apply(self, options: &mut api::ImportOptions) -> Result<(), Error> {
        options.around = self.around;
        options.ids = self.ids;
        options.hops = self.hops.map(|h| number("--hops", &h)).transpose()?;
        Ok(())
    }
}

/// `import --format`: the output format (table, json) and/or a published format to read.
fn import_formats(values: &[String]) -> Result<(Format, api::ImportOptions), Error> {
    let mut output = Format::Table;
    let mut options = api::ImportOptions::default();
    for value in values {
        match value.as_str() {
            "table" => output = Format::Table,
            "json" => output = Format::Json,
            other => options.format = Some(published_format(other)?),
        }
    }
    Ok((output, options))
}

fn published_format(name: &str) -> Result<vetta::published::Format, Error> {
    vetta::published::Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = vetta::published::Format::ALL.iter().map(|f| f.name()).collect();
        Error::Invalid(format!("--format: {name:?} is not table, json or a published format ({})", names.join(", ")))
    })
}

/// The report's notes, one a line, and a count by code.
fn describe_notes(notes: &[vetta::ingest::Note]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut text: String = notes.iter().map(|n| format!("{n}\n")).collect();
    let mut by_code: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for note in notes {
        *by_code.entry(note.code.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = by_code.iter().map(|(code, n)| format!("{code} {n}")).collect();
    text.push_str(&format!(
        "report: {} record{} left out or changed ({})\n",
        notes.len(),
        if notes.len() == 1 { "" } else { "s" },
        counts.join(", ")
    ));
    text
}

/// A rejected import still prints (and, with `--report`, writes) what staging noted, before the
/// errors.
fn with_report(error: vetta::Error, report_path: Option<&Path>) -> vetta::Error {
    if let vetta::Error::Rejected(report) = &error {
        eprint!("{}", describe_notes(&report.notes));
        if let Some(path) = report_path
            && let Err(write) = export::write_whole(path, export::notes_csv(&report.notes).as_bytes())
        {
            return write;
        }
    }
    error
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

fn run(command: Command, path: &Path, out: &mut Vec<u8>) -> Result<(), Error> {
    let text = match command {
        Command::Init { empty } => {
            let store = api::init_store(path, empty)?;
            format!("created {} ({})\n", api::store_label(path), describe_counts(&store.counts()?))
        }
        Command::Import { paths, format: formats, report: report_path, select, allow_unsigned } => {
            let (f, mut options) = import_formats(&formats)?;
            select.apply(&mut options)?;
            options.allow_unsigned = allow_unsigned;
            let mut store = api::open_store(path)?;
            let outcome =
                api::import_watched(&mut store, &paths, &options, &|_, _| true).map_err(|e| with_report(e, report_path.as_deref()))?;
            for warning in &outcome.warnings {
                eprintln!("warning: {warning}");
            }
            if let Some(report_path) = &report_path {
                export::write_whole(report_path, export::notes_csv(&outcome.notes).as_bytes())?;
            }
            if f == Format::Json {
                json(&outcome)
            } else {
                let counts: Vec<(&str, u64)> = outcome.batch.counts.iter().map(|(t, n)| (t.as_str(), *n)).collect();
                let files = outcome.batch.files.len();
                format!(
                    "{}imported batch {} from {files} file{}: {}\n",
                    describe_notes(&outcome.notes),
                    outcome.batch.batch_id,
                    if files == 1 { "" } else { "s" },
                    describe_counts(&counts)
                )
            }
        }
        Command::Check { paths, format: forced, report: report_path, select, allow_unsigned } => {
            let mut options =
                api::ImportOptions { format: forced.as_deref().map(published_format).transpose()?, allow_unsigned, ..Default::default() };
            select.apply(&mut options)?;
            let store = api::open_store(path)?;
            let report = api::check_watched(&store, &paths, &options, &|_, _| true).map_err(|e| with_report(e, report_path.as_deref()))?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            if let Some(report_path) = &report_path {
                export::write_whole(report_path, export::notes_csv(&report.notes).as_bytes())?;
            }
            format!("{}ok: no errors\n", describe_notes(&report.notes))
        }
        Command::Batches { format: f } => render(&Batches(api::open_store(path)?.batches()?), format(&f)?),
        Command::Undo { batch } => {
            let batch: i64 = number("BATCH", &batch)?;
            let undone = api::open_store(path)?.undo(batch)?;
            format!("undid batch {} ({})\n", undone.batch_id, undone.label)
        }
        Command::Screen { vendors, min_score, format: f } => {
            let f = format(&f)?;
            let min_score: f64 = number("--min-score", &min_score)?;
            render(&api::screen(&api::open_store(path)?, &vendors, min_score)?, f)
        }
        Command::Link { a, b, decision, by, basis } => {
            if !matches!(decision.as_str(), "same" | "different") {
                return Err(Error::Invalid(format!("{decision:?} is not same or different")));
            }
            let mut store = api::open_store(path)?;
            let decisions =
                [api::LinkDecision { entity_id: a.clone(), other_id: b.clone(), decision: decision.clone(), decided_by: by, basis }];
            let outcome = api::link(&mut store, &decisions, engine::today()).map_err(|e| with_report(e, None))?;
            format!("recorded {a} {decision} {b} as batch {} (undo: vetta undo {})\n", outcome.batch.batch_id, outcome.batch.batch_id)
        }
        Command::Changes { from, to, scenario, format: f } => {
            let f = format(&f)?;
            let from = from.as_deref().map(|t| vetta::changes::End::parse("--from", t)).transpose()?;
            let to = to.as_deref().map(|t| vetta::changes::End::parse("--to", t)).transpose()?;
            let store = api::open_store(path)?;
            render(&vetta::changes::changes(&store, from, to, &scenario.options()?)?, f)
        }
        Command::Bundle { command } => bundle_command(command, path)?,
        Command::Key { command } => key_command(command, path)?,
        Command::Workspace { command } => {
            let (verb, copied) = match command {
                WorkspaceCommand::Push { url } => ("pushed", api::workspace_push(path, &url)?),
                WorkspaceCommand::Pull { url } => ("pulled", api::workspace_pull(path, &url)?),
            };
            format!(
                "{verb} {} batches, {} journal entries ({}); dataset {} verified\n",
                copied.batches,
                copied.journal,
                describe_counts(&copied.counts),
                copied.dataset_sha256
            )
        }
        Command::Links { format: f } => render(&api::links(&api::open_store(path)?)?, format(&f)?),
        Command::Vendors { format: f } => render(&Vendors(api::open_store(path)?.vendors()?), format(&f)?),
        Command::Score { scenario, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            render(&engine::score(&store, &scenario.options()?)?, f)
        }
        Command::Explain { vendor, scenario, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            render(&engine::explain(&store, &vendor, &scenario.options()?)?, f)
        }
        Command::Sensitivity { vendor, delta, scenario, format: f } => {
            let f = format(&f)?;
            let delta: f64 = number("--delta", &delta)?;
            let store = api::open_store(path)?;
            render(&Sensitivity { report: engine::sensitivity(&store, &vendor, delta, &scenario.options()?)?, delta }, f)
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
            render(&engine::smaa(&store, &options, &scenario.options()?, &|_| true)?, f)
        }
        Command::Weights { command: WeightsCommand::Ahp { file, format: f } } => {
            let f = format(&f)?;
            let result = engine::ahp_file(&file)?;
            if !result.consistent {
                eprintln!("warning: the comparisons are inconsistent (CR {:.3} > 0.1); revisit the pairs that disagree most", result.cr);
            }
            render(&result, f)
        }
        Command::Scenario { command } => scenario_command(command, path)?,
        Command::Brief { vendors, output, paper, date, changes_since, scenario } => {
            let paper = match paper.as_str() {
                "a4" => vetta::brief::data::Paper::A4,
                "us-letter" | "letter" => vetta::brief::data::Paper::UsLetter,
                other => return Err(Error::Invalid(format!("--paper: {other:?} is not a4 or us-letter"))),
            };
            if let Some(date) = &date {
                vetta::ingest::cells::date(date).map_err(|e| Error::Invalid(format!("--date: {e}")))?;
            }
            let store = api::open_store(path)?;
            let scenario = scenario.options()?;
            let changes = changes_since.map(|since| vetta::changes::since(&store, "--changes-since", &since, &scenario)).transpose()?;
            let options = vetta::briefing::BriefOptions { paper, document_date: date, changes, ..Default::default() };
            vetta::briefing::write_brief(&store, &vendors, &output, &scenario, &options)?;
            format!("wrote {}\n", output.display())
        }
        Command::Dump { output } => {
            let dumped = api::dump(&api::open_store(path)?, &output)?;
            let mut text = String::new();
            for (file, rows) in &dumped.files {
                text.push_str(&format!("wrote {} ({rows} rows)\n", output.join(file).display()));
            }
            text.push_str(&format!("dataset {}\n", dumped.dataset_sha256));
            text
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

fn bundle_command(command: BundleCommand, path: &Path) -> Result<String, Error> {
    Ok(match command {
        BundleCommand::Create { output, sign } => {
            let store = api::open_store(path)?;
            let signer = sign
                .map(|key| {
                    let encrypted = bundle::is_encrypted(&key).map_err(|error| Error::Bundle { path: key.clone(), error })?;
                    let password = if encrypted { Some(key_password(&key, false)?) } else { None };
                    bundle::load_signer(&key, password).map_err(|error| Error::Bundle { path: key.clone(), error })
                })
                .transpose()?;
            let manifest = api::create_bundle(&store, &output, signer.as_ref())?;
            let rows: u64 = manifest.files.iter().map(|f| f.rows).sum();
            let signed = match &signer {
                Some(signer) => format!("signed with key {}", signer.key_id()),
                None => "NOT signed (give --sign KEY to sign it)".to_string(),
            };
            format!(
                "wrote {} ({} files, {rows} rows, dataset {}), {signed}\n",
                output.display(),
                manifest.files.len(),
                manifest.dataset_sha256
            )
        }
        BundleCommand::Verify { file, allow_unsigned, format: f } => {
            let f = format(&f)?;
            render(&api::verify_bundle(&api::open_store(path)?, &file, allow_unsigned)?, f)
        }
    })
}

fn key_command(command: KeyCommand, path: &Path) -> Result<String, Error> {
    Ok(match command {
        KeyCommand::New { output, no_password } => {
            let password = if no_password { None } else { Some(key_password(&output, true)?) };
            let key = bundle::new_key(&output, password).map_err(|error| Error::Bundle { path: output.clone(), error })?;
            format!(
                "made key {}: secret key {} (keep it outside the store, readable by you only), public key {}\n\
                 those who will import your bundles trust it with: vetta key trust {} --label \"YOUR NAME\"\n",
                key.key_id,
                output.display(),
                bundle::public_path(&output).display(),
                bundle::public_path(&output).display()
            )
        }
        KeyCommand::Trust { key, label } => {
            // A path to a .pub file, or the key itself.
            let text = match std::fs::read_to_string(&key) {
                Ok(text) => text,
                Err(_) if !Path::new(&key).exists() => key.clone(),
                Err(e) => return Err(Error::io(&key, e)),
            };
            let trusted = api::trust_key(&mut api::open_store(path)?, &text, &label)?;
            format!("trusted key {} ({})\n", trusted.key_id, trusted.label)
        }
        KeyCommand::List { format: f } => render(&TrustedKeys { keys: api::trusted_keys(&api::open_store(path)?)? }, format(&f)?),
        KeyCommand::Untrust { key_id } => {
            let removed = api::untrust_key(&mut api::open_store(path)?, &key_id)?;
            format!(
                "no longer trusted: key {} ({}); trust it again with vetta key trust {} --label ...\n",
                removed.key_id, removed.label, removed.public_key
            )
        }
    })
}

/// A secret key's password: VETTA_KEY_PASSWORD, else asked at the terminal (twice for a new key).
fn key_password(key: &Path, new: bool) -> Result<String, Error> {
    use std::io::IsTerminal;
    if let Ok(password) = std::env::var(bundle::PASSWORD_VAR) {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Invalid(format!(
            "{}: the key needs a password: set {} or run in a terminal{}",
            key.display(),
            bundle::PASSWORD_VAR,
            if new { ", or make it with --no-password" } else { "" }
        )));
    }
    let asked = |prompt: &str| rpassword::prompt_password(prompt).map_err(|e| Error::io(key, e));
    let password = asked(&format!("Password for {}: ", key.display()))?;
    if new && asked("The same password again: ")? != password {
        return Err(Error::Invalid("the two passwords differ; nothing was written".into()));
    }
    Ok(password)
}

fn scenario_command(command: ScenarioCommand, path: &Path) -> Result<String, Error> {
    Ok(match command {
        ScenarioCommand::Save { name, scenario } => {
            let mut store = api::open_store(path)?;
            let spec = engine::save_scenario(&mut store, &name, &scenario.options()?)?;
            format!("saved scenario {name}: {}\n", spec.to_json())
        }
        ScenarioCommand::List { format: f } => render(&engine::scenario_list(&api::open_store(path)?)?, format(&f)?),
        ScenarioCommand::Show { name, format: f } => {
            let f = format(&f)?;
            render(&engine::scenario_view(&api::open_store(path)?, &name)?, f)
        }
        ScenarioCommand::Diff { a, b, format: f } => {
            let f = format(&f)?;
            let store = api::open_store(path)?;
            render(&engine::scenario_diff(&store, &a, &b)?, f)
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

fn describe_counts(counts: &[(&str, u64)]) -> String {
    counts.iter().map(|(table, n)| format!("{table} {n}")).collect::<Vec<_>>().join(", ")
}
