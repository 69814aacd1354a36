//! The risk engine's use cases: score, sensitivity, SMAA, AHP, scenarios and exports, as view data
//! for the command line and the desktop shell. Facts come from the store once per call; the factor
//! matrix is computed once and every what-if reuses it.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::factors::{self, FactorResult, Facts};
use crate::model::Factor;
use crate::scenario::{Resolved, ScenarioInput, ScenarioSpec};
use crate::scoring::{self, Band, FactorValues, Matrix, Method, SmaaMode};
use crate::store::Store;

/// Today in UTC: the default `as_of`.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The base of a scenario: a saved scenario, else a preset, else an error.
pub fn scenario_spec(store: &Store, name: &str) -> Result<ScenarioSpec> {
    if let Some(json) = store.scenario(name)? {
        return ScenarioSpec::from_json(&json);
    }
    ScenarioSpec::from_preset(name)
        .ok_or_else(|| Error::Invalid(format!("no scenario or preset named {name:?} (presets: {})", scoring::preset_names().join(", "))))
}

/// The scenario the options describe.
pub fn resolve(store: &Store, options: &ScenarioInput) -> Result<Resolved> {
    let name = options.scenario.clone().unwrap_or_else(|| "default".into());
    let mut spec = scenario_spec(store, &name)?;
    spec.apply(options)?;
    spec.resolve(&name, today())
}

/// The factors of every vendor under a scenario, with the names the reports print.
pub struct Evaluation {
    pub scenario: Resolved,
    /// The facts the factors came from: names, notes and sales for explanations and charts.
    pub facts: Facts,
    pub factors: FactorResult,
    pub names: Vec<String>,
    pub dataset_sha256: String,
}

impl Evaluation {
    pub fn new(store: &Store, scenario: Resolved) -> Result<Evaluation> {
        let facts: Facts = store.load_facts()?;
        let factors = factors::compute(&facts, &scenario.params);
        let names_by_id: BTreeMap<&str, &str> = facts.vendors.iter().map(|v| (v.id.as_str(), v.name.as_str())).collect();
        let names = factors.vendor_ids.iter().map(|id| names_by_id.get(id.as_str()).copied().unwrap_or_default().to_string()).collect();
        Ok(Evaluation { scenario, facts, factors, names, dataset_sha256: store.dataset_sha256()? })
    }

    pub fn matrix(&self) -> Matrix<'_> {
        Matrix { ids: &self.factors.vendor_ids, x: &self.factors.values, mitigation: &self.factors.mitigation }
    }

    /// The position of a vendor, or an error naming it.
    pub fn vendor(&self, vendor_id: &str) -> Result<usize> {
        self.factors.position(vendor_id).ok_or_else(|| Error::Invalid(format!("unknown vendor {vendor_id:?}")))
    }

    /// Scores, ranks and bands of every vendor, listed by rank.
    pub fn score(&self) -> ScoreReport {
        let matrix = self.matrix();
        let (weights, method) = (&self.scenario.weights, self.scenario.method);
        let scores = scoring::scores(&matrix, weights, method);
        let ranks = scoring::ranks(&self.factors.vendor_ids, &scores);
        let mut vendors: Vec<VendorScore> = (0..matrix.len()).map(|i| self.vendor_score(i, &scores, &ranks)).collect();
        vendors.sort_by_key(|v| v.rank);
        ScoreReport {
            as_of: self.scenario.params.as_of.format("%Y-%m-%d").to_string(),
            method,
            scenario: self.scenario.name.clone(),
            weights: weights.to_map(),
            params: self.scenario.params.clone(),
            dataset_sha256: self.dataset_sha256.clone(),
            vendors,
        }
    }
}

impl Evaluation {
    /// Vendor position `i`'s line of the score report, given every vendor's scores and ranks.
    fn vendor_score(&self, i: usize, scores: &[f64], ranks: &[usize]) -> VendorScore {
        let (weights, method) = (&self.scenario.weights, self.scenario.method);
        VendorScore {
            vendor_id: self.factors.vendor_ids[i].clone(),
            name: self.names[i].clone(),
            rank: ranks[i],
            score: scores[i],
            band: Band::of(scores[i]),
            prohibited: self.factors.designated[i],
            designations: self.factors.lists[i].clone(),
            possibly_prohibited: self.factors.possibly_designated[i],
            possible_designations: self.factors.possible_lists[i].clone(),
            mitigation: self.factors.mitigation[i],
            factors: self.factors.values_of(i),
            contributions: (method == Method::WeightedSum).then(|| scoring::contributions(&self.matrix(), weights, i)),
            missing: self.factors.missing[i].clone(),
        }
    }
}

/// What the what-if view's live list needs after a weight move, and nothing else: each vendor's score
/// and band and the rank order, for the vendors of [`LiveTable`] (same `generation`, vendors by their
/// position there). Sent as bytes ([`LiveScores::to_bytes`]): at 10,000 vendors about 130 kB against
/// several MB of JSON for the full report.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveScores {
    /// Which evaluation (facts and parameters) the vendor positions refer to.
    pub generation: u64,
    /// The normalised weights scored with.
    pub weights: FactorValues,
    /// Final scores, by vendor position.
    pub scores: Vec<f64>,
    /// Vendor positions, riskiest first.
    pub order: Vec<u32>,
    /// Bands by vendor position: 0 low, 1 moderate, 2 high, 3 severe.
    pub bands: Vec<u8>,
}

impl LiveScores {
    /// Little-endian: `u32` format version (1), `u32` n, `u64` generation, 8 × `f64` weights in
    /// factor order, n × `f64` scores, n × `u32` order, n × `u8` bands. Every array starts at a
    /// multiple of its width, so the UI reads them as typed arrays without copying.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.scores.len();
        let mut out = Vec::with_capacity(80 + 13 * n);
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&self.generation.to_le_bytes());
        for weight in self.weights.values() {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        for score in &self.scores {
            out.extend_from_slice(&score.to_le_bytes());
        }
        for position in &self.order {
            out.extend_from_slice(&position.to_le_bytes());
        }
        out.extend_from_slice(&self.bands);
        out
    }
}

/// The vendors of the live list in position order (by `vendor_id`), with what does not move when only
/// weights or the method change: names, prohibitions, factor values (for the contribution bars).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LiveTable {
    pub generation: u64,
    pub vendors: Vec<LiveVendor>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LiveVendor {
    pub vendor_id: String,
    pub name: String,
    pub prohibited: bool,
    pub designations: Vec<String>,
    /// Not designated on the low points of ownership ranges, but designated on their high points
    /// (risk-model.md v1.3): never `prohibited`, and the designations factor stays 0.
    pub possibly_prohibited: bool,
    /// The lists it would carry on the high points (empty unless possibly prohibited).
    pub possible_designations: Vec<String>,
    pub mitigation: f64,
    pub factors: FactorValues,
}

impl Evaluation {
    /// Scores, bands and the rank order under this evaluation's weights and method: a slider move's
    /// whole answer (no strings, no evidence).
    pub fn live(&self, generation: u64) -> LiveScores {
        let matrix = self.matrix();
        let scores = scoring::scores(&matrix, &self.scenario.weights, self.scenario.method);
        let order = scoring::risk_order(&self.factors.vendor_ids, &scores).into_iter().map(|i| i as u32).collect();
        let bands = scores.iter().map(|&s| Band::of(s) as u8).collect();
        LiveScores { generation, weights: self.scenario.weights.to_map(), scores, order, bands }
    }

    /// The live list's vendors, in position order.
    pub fn live_table(&self, generation: u64) -> LiveTable {
        let vendors = (0..self.factors.len())
            .map(|i| LiveVendor {
                vendor_id: self.factors.vendor_ids[i].clone(),
                name: self.names[i].clone(),
                prohibited: self.factors.designated[i],
                designations: self.factors.lists[i].clone(),
                possibly_prohibited: self.factors.possibly_designated[i],
                possible_designations: self.factors.possible_lists[i].clone(),
                mitigation: self.factors.mitigation[i],
                factors: self.factors.values_of(i),
            })
            .collect();
        LiveTable { generation, vendors }
    }
}

/// `vetta score --format json` (cli.md).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScoreReport {
    pub as_of: String,
    pub method: Method,
    pub scenario: String,
    pub weights: FactorValues,
    pub params: factors::Params,
    pub dataset_sha256: String,
    pub vendors: Vec<VendorScore>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VendorScore {
    pub vendor_id: String,
    pub name: String,
    pub rank: usize,
    pub score: f64,
    pub band: Band,
    pub prohibited: bool,
    pub designations: Vec<String>,
    /// Not designated on the low points of ownership ranges, but designated on their high points
    /// (risk-model.md v1.3): never `prohibited`, and the designations factor stays 0.
    pub possibly_prohibited: bool,
    /// The lists it would carry on the high points (empty unless possibly prohibited).
    pub possible_designations: Vec<String>,
    pub mitigation: f64,
    pub factors: FactorValues,
    pub contributions: Option<FactorValues>,
    pub missing: Vec<Factor>,
}

pub fn score(store: &Store, options: &ScenarioInput) -> Result<ScoreReport> {
    Ok(Evaluation::new(store, resolve(store, options)?)?.score())
}

/// The last evaluation, kept so that every view — score, explain, sensitivity, SMAA, charts, briefs —
/// and every re-scoring with new weights or another method (a slider move) skips loading the facts and
/// computing the factors. It is reused only while the dataset hash and the parameters are unchanged,
/// so a cached result is always the result a fresh evaluation would give: factors are computed at
/// most once per (dataset, parameters).
#[derive(Default)]
pub struct EvaluationCache {
    last: Option<Evaluation>,
    /// Counts the evaluations made, so a view can tell whether vendor positions it holds still apply.
    generation: u64,
}

impl EvaluationCache {
    /// The evaluation under these options: the cached one with the new weights and method when the
    /// facts and parameters are the same, else a new one.
    pub fn evaluation(&mut self, store: &Store, options: &ScenarioInput) -> Result<&Evaluation> {
        let scenario = resolve(store, options)?;
        let dataset_sha256 = store.dataset_sha256()?;
        match &mut self.last {
            Some(last) if last.dataset_sha256 == dataset_sha256 && last.scenario.params == scenario.params => last.scenario = scenario,
            _ => {
                self.last = Some(Evaluation::new(store, scenario)?);
                self.generation += 1;
            }
        }
        Ok(self.last.as_ref().expect("just set"))
    }

    /// The generation of the evaluation [`EvaluationCache::evaluation`] last returned.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The live list's answer to a weight move.
    pub fn live(&mut self, store: &Store, options: &ScenarioInput) -> Result<LiveScores> {
        self.evaluation(store, options)?;
        Ok(self.last.as_ref().expect("just evaluated").live(self.generation))
    }

    /// The live list's vendors under these options.
    pub fn live_table(&mut self, store: &Store, options: &ScenarioInput) -> Result<LiveTable> {
        self.evaluation(store, options)?;
        Ok(self.last.as_ref().expect("just evaluated").live_table(self.generation))
    }

    /// Same as [`score`].
    pub fn score(&mut self, store: &Store, options: &ScenarioInput) -> Result<ScoreReport> {
        Ok(self.evaluation(store, options)?.score())
    }

    /// Forgets the evaluation (after a write whose effect the dataset hash cannot show, or to free memory).
    pub fn clear(&mut self) {
        self.last = None;
    }
}

/// `vetta sensitivity --format json` (cli.md).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SensitivityReport {
    pub vendor_id: String,
    pub tornado: Vec<scoring::TornadoRow>,
    pub stability: Vec<scoring::StabilityRow>,
}

pub fn sensitivity(store: &Store, vendor_id: &str, delta: f64, options: &ScenarioInput) -> Result<SensitivityReport> {
    Evaluation::new(store, resolve(store, options)?)?.sensitivity(vendor_id, delta)
}

impl Evaluation {
    /// Tornado and stability intervals of one vendor.
    pub fn sensitivity(&self, vendor_id: &str, delta: f64) -> Result<SensitivityReport> {
        let vendor = self.vendor(vendor_id)?;
        let matrix = self.matrix();
        let weights = &self.scenario.weights;
        let tornado = scoring::tornado(&matrix, weights, self.scenario.method, vendor, delta)?;
        let stability = scoring::stability(&matrix, weights, vendor);
        Ok(SensitivityReport { vendor_id: vendor_id.to_string(), tornado, stability })
    }

    /// SMAA-2 over every vendor, with a progress hook that can cancel.
    pub fn smaa(&self, smaa: &SmaaOptions, progress: &(dyn Fn(usize) -> bool + Sync)) -> Result<scoring::SmaaResult> {
        scoring::smaa_with_progress(
            &self.matrix(),
            &self.scenario.weights,
            self.scenario.method,
            smaa.samples,
            smaa.seed,
            smaa.mode,
            smaa.ranks,
            progress,
        )
        .map_err(Error::from)
    }
}

/// SMAA-2 settings (cli.md defaults: 10,000 samples, seed 0, uniform; κ = 50 for `around`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct SmaaOptions {
    pub samples: usize,
    pub seed: u64,
    #[serde(flatten)]
    pub mode: SmaaMode,
    /// K, the ranks reported; `None` for the default (n up to 100 vendors, else 10).
    pub ranks: Option<usize>,
}

impl Default for SmaaOptions {
    fn default() -> Self {
        SmaaOptions { samples: 10_000, seed: 0, mode: SmaaMode::Uniform, ranks: None }
    }
}

pub fn smaa(
    store: &Store,
    smaa: &SmaaOptions,
    options: &ScenarioInput,
    progress: &(dyn Fn(usize) -> bool + Sync),
) -> Result<scoring::SmaaResult> {
    Evaluation::new(store, resolve(store, options)?)?.smaa(smaa, progress)
}

/// Weights from an AHP comparison file: CSV with the header `a,b,value`.
pub fn ahp_file(path: &Path) -> Result<scoring::AhpResult> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let text = std::fs::read(path).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    let mut reader = crate::ingest::csv::CsvReader::new(&text[..]);
    let mut pairs = Vec::new();
    let mut header: Option<Vec<String>> = None;
    while let Some(next) = reader.next_record() {
        let record = next.map_err(|(line, problem)| Error::Invalid(format!("{name}:{line}:: {problem}")))?;
        if record.is_blank() {
            continue;
        }
        let fields: Vec<&str> = (0..record.len()).map(|i| record.get(i)).collect();
        let Some(columns) = &header else {
            if fields != ["a", "b", "value"] {
                return Err(Error::Invalid(format!("{name}:{}:: the header must be a,b,value", record.line)));
            }
            header = Some(fields.iter().map(|f| f.to_string()).collect());
            continue;
        };
        if fields.len() != columns.len() {
            return Err(Error::Invalid(format!("{name}:{}:: row has {} fields, header has 3", record.line, fields.len())));
        }
        let value = crate::ingest::cells::decimal(fields[2]).map_err(|e| Error::Invalid(format!("{name}:{}:value: {e}", record.line)))?;
        pairs.push((fields[0].to_string(), fields[1].to_string(), value));
    }
    if header.is_none() {
        return Err(Error::Invalid(format!("{name}:1:: the file is empty (header a,b,value required)")));
    }
    Ok(scoring::ahp(&pairs)?)
}

/// AHP weights from comparisons given as data.
pub fn ahp(pairs: &[(String, String, f64)]) -> Result<scoring::AhpResult> {
    Ok(scoring::ahp(pairs)?)
}

/// What changes from scenario A to scenario B.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScenarioDiff {
    pub a: String,
    pub b: String,
    /// Normalised weights that differ: factor → (a, b), keyed by the factor's name in name order (the
    /// order `scenario diff` has always printed), hence the string key.
    #[ts(as = "BTreeMap<Factor, (f64, f64)>")]
    pub weights: BTreeMap<&'static str, (f64, f64)>,
    pub method: Option<(Method, Method)>,
    /// Parameters that differ, in their text form: name → (a, b).
    pub params: BTreeMap<&'static str, (String, String)>,
    /// Every vendor, by rank under B.
    pub vendors: Vec<VendorChange>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(rename = "ScenarioDiffVendor")]
pub struct VendorChange {
    pub vendor_id: String,
    pub rank_a: usize,
    pub rank_b: usize,
    pub score_a: f64,
    pub score_b: f64,
    /// rank_a − rank_b: positive when the vendor moves up (riskier) under B.
    pub rank_change: i64,
    pub score_change: f64,
}

/// How much the ranges in ownership matter under a scenario (v1.3): the vendors whose band differs
/// between the low and the high ends of every range (`share_basis` low and high, all else equal).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct BasisSpread {
    /// Whether the store holds any equity given as a range (without one, nothing can differ).
    pub ranged: bool,
    pub vendors: Vec<BandChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct BandChange {
    pub vendor_id: String,
    pub name: String,
    pub low: Band,
    pub high: Band,
}

pub fn basis_spread(store: &Store, options: &ScenarioInput) -> Result<BasisSpread> {
    Ok(Evaluation::new(store, resolve(store, options)?)?.basis_spread())
}

impl Evaluation {
    /// [`basis_spread`] from this evaluation's facts (the app's cache: no reload), its weights and
    /// method, with every range at its low and then its high end. Vendors listed by their rank on the
    /// low ends.
    pub fn basis_spread(&self) -> BasisSpread {
        if !self.facts.edges.iter().any(factors::Edge::is_range) {
            return BasisSpread { ranged: false, vendors: Vec::new() };
        }
        let scores_at = |basis: factors::ShareBasis| {
            let mut params = self.scenario.params.clone();
            params.share_basis = basis;
            let f = factors::compute(&self.facts, &params);
            let matrix = Matrix { ids: &f.vendor_ids, x: &f.values, mitigation: &f.mitigation };
            scoring::scores(&matrix, &self.scenario.weights, self.scenario.method)
        };
        // Same facts, so the same vendors in the same (id) order as this evaluation's.
        let (low, high) = (scores_at(factors::ShareBasis::Low), scores_at(factors::ShareBasis::High));
        let ranks = scoring::ranks(&self.factors.vendor_ids, &low);
        let mut changed: Vec<usize> = (0..low.len()).filter(|&i| Band::of(low[i]) != Band::of(high[i])).collect();
        changed.sort_by_key(|&i| ranks[i]);
        let vendors = changed
            .into_iter()
            .map(|i| BandChange {
                vendor_id: self.factors.vendor_ids[i].clone(),
                name: self.names[i].clone(),
                low: Band::of(low[i]),
                high: Band::of(high[i]),
            })
            .collect();
        BasisSpread { ranged: true, vendors }
    }
}

pub fn scenario_diff(store: &Store, a: &str, b: &str) -> Result<ScenarioDiff> {
    scenario_diff_as_of(store, a, b, today())
}

/// [`scenario_diff`] with `today` as the as-of date of whichever scenario names none.
pub fn scenario_diff_as_of(store: &Store, a: &str, b: &str, today: NaiveDate) -> Result<ScenarioDiff> {
    let scenario_a = scenario_spec(store, a)?.resolve(a, today)?;
    let scenario_b = scenario_spec(store, b)?.resolve(b, today)?;
    let report_a = Evaluation::new(store, scenario_a.clone())?.score();
    let report_b = Evaluation::new(store, scenario_b.clone())?.score();
    let mut weights = BTreeMap::new();
    for factor in Factor::ALL {
        let (wa, wb) = (scenario_a.weights.of(factor), scenario_b.weights.of(factor));
        if wa != wb {
            weights.insert(factor.key(), (wa, wb));
        }
    }
    let method = (scenario_a.method != scenario_b.method).then_some((scenario_a.method, scenario_b.method));
    let mut params = BTreeMap::new();
    for ((name, va), (_, vb)) in scenario_a.params.to_pairs().into_iter().zip(scenario_b.params.to_pairs()) {
        if va != vb {
            params.insert(name, (va, vb));
        }
    }
    let by_id: BTreeMap<&str, &VendorScore> = report_a.vendors.iter().map(|v| (v.vendor_id.as_str(), v)).collect();
    let vendors = report_b
        .vendors
        .iter()
        .map(|vb| {
            let va = by_id[vb.vendor_id.as_str()];
            VendorChange {
                vendor_id: vb.vendor_id.clone(),
                rank_a: va.rank,
                rank_b: vb.rank,
                score_a: va.score,
                score_b: vb.score,
                rank_change: va.rank as i64 - vb.rank as i64,
                score_change: vb.score - va.score,
            }
        })
        .collect();
    Ok(ScenarioDiff { a: a.into(), b: b.into(), weights, method, params, vendors })
}

/// The saved scenarios and the presets: `vetta scenario list --format json` and the app's library.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScenarioList {
    pub scenarios: Vec<SavedScenario>,
    pub presets: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SavedScenario {
    pub name: String,
    pub spec: ScenarioSpec,
    pub updated_at: String,
}

pub fn scenario_list(store: &Store) -> Result<ScenarioList> {
    let scenarios = store
        .scenarios()?
        .into_iter()
        .map(|(name, spec, updated_at)| Ok(SavedScenario { name, spec: ScenarioSpec::from_json(&spec)?, updated_at }))
        .collect::<Result<_>>()?;
    Ok(ScenarioList { scenarios, presets: scoring::preset_names().iter().map(|p| p.to_string()).collect() })
}

/// One scenario resolved: `vetta scenario show --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioView {
    pub name: String,
    /// As stored (or the preset): raw weights and the parameters it sets.
    pub spec: ScenarioSpec,
    /// Normalised.
    pub weights: FactorValues,
    pub method: Method,
    /// Every parameter, defaults included, on today's date.
    pub params: factors::Params,
}

pub fn scenario_view(store: &Store, name: &str) -> Result<ScenarioView> {
    let spec = scenario_spec(store, name)?;
    let resolved = spec.resolve(name, today())?;
    Ok(ScenarioView { name: name.to_string(), weights: resolved.weights.to_map(), method: resolved.method, params: resolved.params, spec })
}

/// Saves the scenario the options describe (on top of `--scenario`, if given) under `name`.
pub fn save_scenario(store: &mut Store, name: &str, options: &ScenarioInput) -> Result<ScenarioSpec> {
    crate::ingest::cells::id(name).map_err(|e| Error::Invalid(format!("scenario name: {e}")))?;
    if scoring::preset(name).is_some() {
        return Err(Error::Invalid(format!("{name:?} is a preset; choose another name")));
    }
    let base = options.scenario.clone().unwrap_or_else(|| "default".into());
    let mut spec = scenario_spec(store, &base)?;
    spec.apply(options)?;
    spec.resolve(name, today())?;
    store.save_scenario(name, &spec.to_json())?;
    Ok(spec)
}

/// Why a vendor's numbers are what they are: each factor with its value, weight, contribution and
/// evidence (as data and as sentences).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Explanation {
    pub vendor: VendorScore,
    pub factors: Vec<FactorExplanation>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FactorExplanation {
    pub factor: Factor,
    pub value: f64,
    pub weight: f64,
    pub contribution: Option<f64>,
    pub missing: bool,
    pub evidence: Vec<factors::Evidence>,
    pub sentences: Vec<String>,
}

impl Evaluation {
    /// The explanation of one vendor, given the scored report of this evaluation.
    pub fn explain(&self, report: &ScoreReport, vendor_id: &str) -> Result<Explanation> {
        let i = self.vendor(vendor_id)?;
        let vendor = report.vendors.iter().find(|v| v.vendor_id == vendor_id).expect("every vendor is scored").clone();
        Ok(self.explanation(i, vendor))
    }

    /// The explanation of vendor position `i`, scored as `vendor`.
    fn explanation(&self, i: usize, vendor: VendorScore) -> Explanation {
        let names = crate::explain::Names::new(&self.facts);
        let factors = Factor::ALL
            .into_iter()
            .map(|factor| {
                let evidence = self.factors.evidence[i][factor].clone();
                let sentences = evidence.iter().map(|e| crate::explain::sentence(e, &names)).collect();
                FactorExplanation {
                    factor,
                    value: self.factors.row(i)[factor.index()],
                    weight: self.scenario.weights.of(factor),
                    contribution: vendor.contributions.map(|c| c[factor]),
                    missing: vendor.missing.contains(&factor),
                    evidence,
                    sentences,
                }
            })
            .collect();
        Explanation { vendor, factors }
    }
}

pub fn explain(store: &Store, vendor_id: &str, options: &ScenarioInput) -> Result<Explanation> {
    Evaluation::new(store, resolve(store, options)?)?.explain_vendor(vendor_id)
}

impl Evaluation {
    /// The explanation of one vendor under this evaluation's scenario.
    pub fn explain_vendor(&self, vendor_id: &str) -> Result<Explanation> {
        let i = self.vendor(vendor_id)?;
        // Every vendor's score is needed for the rank, but only this vendor's line is built.
        let scores = scoring::scores(&self.matrix(), &self.scenario.weights, self.scenario.method);
        let ranks = scoring::ranks(&self.factors.vendor_ids, &scores);
        Ok(self.explanation(i, self.vendor_score(i, &scores, &ranks)))
    }

    /// Everything a vendor's page shows, and nothing of the other vendors but their count.
    pub fn vendor_page(&self, store: &Store, vendor_id: &str) -> Result<VendorPage> {
        Ok(VendorPage {
            explanation: self.explain_vendor(vendor_id)?,
            vendors: self.factors.len(),
            missing: self.scenario.params.missing,
            listing: store.vendor(vendor_id)?,
            identity: store.identity(vendor_id)?.unwrap_or_default(),
        })
    }
}

/// A vendor's page in one answer (the app's `vendor_page`): its explanation, how many vendors it is
/// ranked among, the scenario's missing-data policy and its listing; never the whole ranking.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VendorPage {
    pub explanation: Explanation,
    pub vendors: usize,
    pub missing: crate::factors::MissingPolicy,
    pub listing: Option<crate::store::VendorListing>,
    /// The other ids it is known under, the links that say so, its aliases and identifiers.
    pub identity: crate::store::Identity,
}
