//! From the engine to briefs: assembles the chart inputs and the brief data of one vendor or a
//! comparison from an [`Evaluation`], draws the charts and typesets the PDF.
//!
//! This is where the wording rules meet the data: controllers come only from the engine's computed
//! control paths, ties keep their `alleged` kind, and every testimony excerpt carries its grade and
//! source. User text goes into the brief data as strings; the templates print it as text.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use crate::brief::Typesetter;
use crate::brief::data::{
    Batch, Chart, ComparisonBrief, Controller, Difference, Excerpt, FactorLine, Meta, Paper, SmaaLine, StabilityLine, TieLine, VendorBrief,
    VendorHead,
};
use crate::charts::{self, Theme};
use crate::engine::{Evaluation, Explanation, ScoreReport, VendorScore};
use crate::error::{Error, Result};
use crate::factors::{Evidence, Relation};
use crate::model::Factor;
use crate::scenario::ScenarioInput;
use crate::scoring::{self, Method, SmaaMode};
use crate::store::Store;

/// Most vendors a comparison brief holds.
pub const MAX_COMPARED: usize = 10;

/// How a brief is made.
#[derive(Debug, Clone)]
pub struct BriefOptions {
    pub paper: Paper,
    /// The date printed and embedded; the as-of date when not given (so a brief is reproducible).
    pub document_date: Option<String>,
    /// SMAA samples for the acceptability section (seeded, so reproducible).
    pub smaa_samples: usize,
    pub smaa_seed: u64,
}

impl Default for BriefOptions {
    fn default() -> Self {
        BriefOptions { paper: Paper::A4, document_date: None, smaa_samples: 4_000, smaa_seed: 0 }
    }
}

/// Typesets one brief for `vendor_ids` (one vendor: a vendor brief; 2–10: a comparison) and writes
/// it to `output` whole, or writes nothing.
pub fn write_brief(store: &Store, vendor_ids: &[String], output: &Path, scenario: &ScenarioInput, options: &BriefOptions) -> Result<()> {
    let typesetter = Typesetter::new();
    let evaluation = Evaluation::new(store, crate::engine::resolve(store, scenario)?)?;
    let pdf = render(store, &typesetter, &evaluation, vendor_ids, options)?;
    crate::export::write_whole(output, &pdf)
}

/// The PDF bytes of one brief.
pub fn render(
    store: &Store,
    typesetter: &Typesetter,
    evaluation: &Evaluation,
    vendor_ids: &[String],
    options: &BriefOptions,
) -> Result<Vec<u8>> {
    for id in vendor_ids {
        evaluation.vendor(id)?;
    }
    let report = evaluation.score();
    let context = Context::new(store, evaluation, &report, options, Theme::print())?;
    let bytes = match vendor_ids {
        [] => return Err(Error::Invalid("name at least one vendor".into())),
        [one] => typesetter.render_vendor(&context.vendor_brief(one)?),
        many if many.len() > MAX_COMPARED => {
            return Err(Error::Invalid(format!("a comparison holds at most {MAX_COMPARED} vendors, not {}", many.len())));
        }
        many => {
            let unique: BTreeSet<&String> = many.iter().collect();
            if unique.len() != many.len() {
                return Err(Error::Invalid("a vendor is named twice".into()));
            }
            typesetter.render_comparison(&context.comparison_brief(many)?)
        }
    };
    bytes.map_err(|e| Error::Invalid(format!("typesetting failed: {e}")))
}

/// The charts the screen can ask for, each drawn by the code that draws the briefs' figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    Ranking,
    Radar,
    Sales,
    InstallBase,
    Testimony,
    Tornado,
    Smaa,
    Ownership,
}

impl ChartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Ranking => "ranking",
            ChartKind::Radar => "radar",
            ChartKind::Sales => "sales",
            ChartKind::InstallBase => "install_base",
            ChartKind::Testimony => "testimony",
            ChartKind::Tornado => "tornado",
            ChartKind::Smaa => "smaa",
            ChartKind::Ownership => "ownership",
        }
    }
}

/// One chart as an SVG document, for the screen (`dark` picks the theme), drawn by the same code
/// as the briefs' figures. `ranking` and `radar` take any vendors and `smaa` all of them; the others
/// (`sales`, `install_base`, `testimony`, `tornado`, `ownership`) are drawn for the first vendor named.
pub fn chart(store: &Store, kind: ChartKind, vendor_ids: &[String], scenario: &ScenarioInput, dark: bool) -> Result<String> {
    let evaluation = Evaluation::new(store, crate::engine::resolve(store, scenario)?)?;
    chart_of(store, &evaluation, &evaluation.score(), kind, vendor_ids, dark)
}

/// [`chart`] from an evaluation already made (the app's cache) and its score report.
pub fn chart_of(
    store: &Store,
    evaluation: &Evaluation,
    report: &ScoreReport,
    kind: ChartKind,
    vendor_ids: &[String],
    dark: bool,
) -> Result<String> {
    for id in vendor_ids {
        evaluation.vendor(id)?;
    }
    let options = BriefOptions::default();
    let context = Context::new(store, evaluation, report, &options, Theme::screen(dark))?;
    let first =
        || vendor_ids.first().map(String::as_str).ok_or_else(|| Error::Invalid(format!("the {} chart needs a vendor", kind.as_str())));
    let chart = match kind {
        ChartKind::Ranking => context.ranking_chart(vendor_ids),
        ChartKind::Radar => context.radar_chart(vendor_ids),
        ChartKind::Ownership => context.ownership_chart(first()?)?,
        ChartKind::Sales => context.sales_chart(first()?),
        ChartKind::InstallBase => context.install_chart(first()?),
        ChartKind::Testimony => context.testimony_chart(&context.counted_notes(evaluation.vendor(first()?)?)),
        ChartKind::Tornado => {
            let vendor = first()?;
            context.tornado_chart(context.score_of(vendor).score, &context.tornado_rows(evaluation.vendor(vendor)?))
        }
        ChartKind::Smaa => context
            .smaa_rows()
            .map(|result| context.smaa_chart(&result))
            .ok_or_else(|| Error::Invalid("SMAA needs two or more vendors and a weighted method".into()))?,
    };
    Ok(chart.svg)
}

/// What every brief of one evaluation shares.
struct Context<'a> {
    store: &'a Store,
    evaluation: &'a Evaluation,
    report: &'a ScoreReport,
    options: &'a BriefOptions,
    theme: Theme,
    categories: HashMap<String, Option<String>>,
    batches: Vec<Batch>,
}

impl<'a> Context<'a> {
    fn new(store: &'a Store, evaluation: &'a Evaluation, report: &'a ScoreReport, options: &'a BriefOptions, theme: Theme) -> Result<Self> {
        let categories = store.vendors()?.into_iter().map(|v| (v.vendor_id, v.category)).collect();
        let batches = store
            .batches()?
            .into_iter()
            .filter(|b| b.undone_at.is_none())
            .map(|b| Batch {
                batch_id: b.batch_id,
                created_at: b.created_at,
                label: b.label,
                files: b.files.into_iter().map(|f| (f.name, f.sha256)).collect(),
            })
            .collect();
        Ok(Context { store, evaluation, report, options, theme, categories, batches })
    }

    fn meta(&self, title: String) -> Meta {
        let scenario = &self.evaluation.scenario;
        Meta {
            title,
            scenario: scenario.name.clone(),
            method: scenario.method.as_str().to_string(),
            as_of: self.report.as_of.clone(),
            document_date: self.options.document_date.clone().unwrap_or_else(|| self.report.as_of.clone()),
            vetta_version: env!("CARGO_PKG_VERSION").to_string(),
            dataset_sha256: self.report.dataset_sha256.clone(),
            smaa_seed: self.smaa_method().map(|_| self.options.smaa_seed),
            paper: self.options.paper,
        }
    }

    /// SMAA runs for weighted_sum and weighted_product; TOPSIS has no SMAA (risk-model.md).
    fn smaa_method(&self) -> Option<Method> {
        Some(self.evaluation.scenario.method).filter(|m| *m != Method::Topsis)
    }

    fn score_of(&self, vendor_id: &str) -> &VendorScore {
        self.report.vendors.iter().find(|v| v.vendor_id == vendor_id).expect("every vendor is scored")
    }

    fn head(&self, vendor: &VendorScore) -> VendorHead {
        let facts = self.evaluation.facts.vendors.iter().find(|v| v.id == vendor.vendor_id);
        VendorHead {
            vendor_id: vendor.vendor_id.clone(),
            name: vendor.name.clone(),
            hq_country: facts.map(|v| v.hq_country.clone()).unwrap_or_default(),
            privilege: facts.map(|v| v.privilege.clone()).unwrap_or_default(),
            category: self.categories.get(&vendor.vendor_id).cloned().flatten(),
            score: vendor.score,
            band: vendor.band.as_str().to_string(),
            rank: vendor.rank,
            of: self.report.vendors.len(),
            prohibited: vendor.prohibited,
            lists: vendor.designations.clone(),
            mitigation: vendor.mitigation,
        }
    }

    fn factor_lines(explanation: &Explanation) -> Vec<FactorLine> {
        explanation
            .factors
            .iter()
            .map(|f| FactorLine {
                factor: f.factor.to_string(),
                label: f.factor.label().to_string(),
                value: f.value,
                weight: f.weight,
                contribution: f.contribution,
                missing: f.missing,
                evidence: f.sentences.clone(),
            })
            .collect()
    }

    fn weights(&self) -> Vec<(String, f64)> {
        self.evaluation.scenario.weights.to_map().iter().map(|(f, w)| (f.label().to_string(), *w)).collect()
    }

    fn params(&self) -> Vec<(String, String)> {
        self.evaluation.scenario.params.to_pairs().into_iter().map(|(n, v)| (n.to_string(), v)).collect()
    }

    fn chart(&self, file: &str, caption: String, svg: String) -> Chart {
        Chart { file: file.to_string(), caption, svg }
    }

    fn ranking_chart(&self, highlight: &[String]) -> Chart {
        let bars: Vec<charts::RankingBar> = self
            .report
            .vendors
            .iter()
            .map(|v| charts::RankingBar {
                vendor_id: v.vendor_id.clone(),
                name: v.name.clone(),
                score: v.score,
                band: v.band.as_str().to_string(),
                prohibited: v.prohibited,
                contributions: v.contributions.map(|c| c.to_array()),
            })
            .collect();
        let caption = if highlight.len() == 1 {
            format!(
                "Ranking of all {} vendors with each factor's contribution; {} is rank {}.",
                bars.len(),
                self.score_of(&highlight[0]).name,
                self.score_of(&highlight[0]).rank
            )
        } else {
            format!("Ranking of all {} vendors with each factor's contribution.", bars.len())
        };
        self.chart("ranking.svg", caption, charts::ranking(&bars, &self.theme))
    }

    fn radar_chart(&self, vendor_ids: &[String]) -> Chart {
        let profiles: Vec<charts::Profile> = vendor_ids
            .iter()
            .map(|id| {
                let i = self.evaluation.vendor(id).expect("checked");
                charts::Profile {
                    name: self.evaluation.names[i].clone(),
                    factors: self.evaluation.factors.row(i).try_into().expect("8 factors"),
                }
            })
            .collect();
        self.chart(
            "profile.svg",
            "Factor profile: each factor's value from 0 (no risk) to 1.".into(),
            charts::radar(&profiles, &self.theme),
        )
    }

    fn smaa_rows(&self) -> Option<scoring::SmaaResult> {
        let method = self.smaa_method()?;
        let evaluation = self.evaluation;
        scoring::smaa(
            &evaluation.matrix(),
            &evaluation.scenario.weights,
            method,
            self.options.smaa_samples,
            self.options.smaa_seed,
            SmaaMode::Uniform,
            None,
        )
        .ok()
    }

    fn vendor_brief(&self, vendor_id: &str) -> Result<VendorBrief> {
        let evaluation = self.evaluation;
        let i = evaluation.vendor(vendor_id)?;
        let explanation = evaluation.explain(self.report, vendor_id)?;
        let vendor = self.score_of(vendor_id);
        let names = crate::explain::Names::new(&evaluation.facts);
        let evidence = &evaluation.factors.evidence[i];

        let mut controllers = Vec::new();
        let mut controller_ids = HashSet::new();
        let mut ties = Vec::new();
        for item in evidence.values().flatten() {
            match item {
                Evidence::Controller { entity, path } if controller_ids.insert(entity.clone()) => controllers
                    .push(Controller { name: names.of(entity).to_string(), path: path.iter().map(|p| names.of(p).to_string()).collect() }),
                Evidence::Tie { other, tie_kind, strength, confidence, source, .. } => ties.push(TieLine {
                    other: names.of(other).to_string(),
                    kind: tie_kind.clone().unwrap_or_default(),
                    alleged: tie_kind.as_deref() == Some("alleged"),
                    strength: *strength,
                    confidence: *confidence,
                    source: source.clone(),
                }),
                _ => {}
            }
        }
        ties.dedup();

        // Testimony excerpts: the notes the testimony factor counted, newest first.
        let note_ids = self.counted_notes(i);
        let extras = self.store.testimony_extras(&note_ids)?;
        let mut testimony: Vec<Excerpt> = evaluation
            .facts
            .notes
            .iter()
            .filter(|n| note_ids.contains(&n.id))
            .map(|n| {
                let (venue, quote) = extras.get(&n.id).cloned().unwrap_or_default();
                Excerpt {
                    date: n.date.to_string(),
                    speaker: n.speaker.clone(),
                    venue,
                    stance: n.stance.clone(),
                    grade: format!("{}{}", n.reliability, n.credibility),
                    summary: n.summary.clone(),
                    quote,
                    source: n.source.clone(),
                }
            })
            .collect();
        testimony.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.speaker.cmp(&b.speaker)));

        let ownership_chain: Vec<String> = evidence[Factor::Ownership].iter().map(|e| crate::explain::sentence(e, &names)).collect();

        let matrix = evaluation.matrix();
        let weights = &evaluation.scenario.weights;
        let stability = scoring::stability(&matrix, weights, i)
            .into_iter()
            .map(|row| StabilityLine { factor_label: row.factor.label().to_string(), weight: row.weight, lo: row.lo, hi: row.hi })
            .collect();
        let tornado = self.tornado_rows(i);
        let tornado_note = tornado
            .iter()
            .max_by(|a, b| (a.high_score - a.low_score).abs().total_cmp(&(b.high_score - b.low_score).abs()))
            .filter(|row| (row.high_score - row.low_score).abs() > 0.0)
            .map(|row| {
                let label = row.factor.label();
                format!(
                    "The score moves most with the weight of {label}: {:.1} with half its weight and {:.1} with one and a half times it (ranks {} and {}).",
                    row.low_score, row.high_score, row.low_rank, row.high_rank
                )
            });
        let smaa = self.smaa_rows();
        let smaa_line = smaa.as_ref().and_then(|result| {
            result
                .vendors
                .iter()
                .find(|v| v.vendor_id == vendor_id)
                .map(|v| SmaaLine { acceptability: v.acceptability.clone(), holistic: v.holistic })
        });

        let mut charts_out = vec![
            self.ranking_chart(&[vendor_id.to_string()]),
            self.radar_chart(&[vendor_id.to_string()]),
            self.ownership_chart(vendor_id)?,
            self.sales_chart(vendor_id),
            self.install_chart(vendor_id),
            self.testimony_chart(&note_ids),
            self.tornado_chart(vendor.score, &tornado),
        ];
        charts_out.extend(smaa.as_ref().map(|result| self.smaa_chart(result)));

        let mut sources: BTreeSet<String> = BTreeSet::new();
        evidence_sources(evidence.values().flatten(), &mut sources);
        sources.extend(self.store.vendor_sources(vendor_id)?);

        Ok(VendorBrief {
            meta: self.meta(format!("Vendor risk brief: {}", vendor.name)),
            vendor: self.head(vendor),
            factors: Self::factor_lines(&explanation),
            controllers,
            ties,
            testimony,
            ownership_chain,
            stability,
            smaa: smaa_line,
            tornado_note,
            weights: self.weights(),
            params: self.params(),
            sources: sources.into_iter().filter(|s| !s.is_empty()).collect(),
            batches: self.batches.clone(),
            charts: charts_out,
        })
    }

    fn comparison_brief(&self, vendor_ids: &[String]) -> Result<ComparisonBrief> {
        let mut vendors = Vec::new();
        let mut sources = BTreeSet::new();
        for id in vendor_ids {
            let explanation = self.evaluation.explain(self.report, id)?;
            vendors.push((self.head(self.score_of(id)), Self::factor_lines(&explanation)));
            evidence_sources(explanation.factors.iter().flat_map(|f| &f.evidence), &mut sources);
            sources.extend(self.store.vendor_sources(id)?);
        }
        let mut differences: Vec<Difference> = Factor::ALL
            .into_iter()
            .map(|factor| {
                let values: Vec<(f64, &str)> =
                    vendors.iter().map(|(head, lines)| (lines[factor.index()].value, head.name.as_str())).collect();
                let highest = values.iter().max_by(|a, b| a.0.total_cmp(&b.0)).expect("two or more vendors");
                let lowest = values.iter().min_by(|a, b| a.0.total_cmp(&b.0)).expect("two or more vendors");
                Difference {
                    factor_label: factor.label().to_string(),
                    spread: highest.0 - lowest.0,
                    highest: highest.1.to_string(),
                    lowest: lowest.1.to_string(),
                }
            })
            .collect();
        differences.sort_by(|a, b| b.spread.total_cmp(&a.spread));
        let names: Vec<String> = vendors.iter().map(|(h, _)| h.name.clone()).collect();
        let charts_out = vec![self.radar_chart(vendor_ids), self.ranking_chart(vendor_ids)];
        Ok(ComparisonBrief {
            meta: self.meta(format!("Vendor comparison: {}", names.join(", "))),
            vendors,
            differences,
            weights: self.weights(),
            params: self.params(),
            sources: sources.into_iter().filter(|s| !s.is_empty()).collect(),
            batches: self.batches.clone(),
            charts: charts_out,
        })
    }

    /// The notes the testimony factor counted for vendor `i`.
    fn counted_notes(&self, i: usize) -> Vec<String> {
        self.evaluation.factors.evidence[i][Factor::Testimony]
            .iter()
            .filter_map(|e| if let Evidence::NoteTerm { note_id, .. } = e { Some(note_id.clone()) } else { None })
            .collect()
    }

    fn tornado_rows(&self, i: usize) -> Vec<scoring::TornadoRow> {
        let evaluation = self.evaluation;
        scoring::tornado(&evaluation.matrix(), &evaluation.scenario.weights, evaluation.scenario.method, i, 0.5).unwrap_or_default()
    }

    fn ownership_chart(&self, vendor_id: &str) -> Result<Chart> {
        let i = self.evaluation.vendor(vendor_id)?;
        Ok(self.chart(
            "ownership.svg",
            format!(
                "Ownership and ties of {}: equity with shares (solid), ties (dashed), entities of concern marked.",
                self.score_of(vendor_id).name
            ),
            charts::ownership(&self.ownership_graph(i), &self.theme),
        ))
    }

    fn sales_chart(&self, vendor_id: &str) -> Chart {
        self.chart(
            "sales.svg",
            "Sales by country and year (USD); countries of concern marked.".into(),
            charts::sales_by_region(&self.sales_points(vendor_id), &self.theme),
        )
    }

    fn install_chart(&self, vendor_id: &str) -> Chart {
        self.chart(
            "install-base.svg",
            "Install base (users) by year.".into(),
            charts::install_base(&self.install_points(vendor_id), &self.theme),
        )
    }

    fn testimony_chart(&self, note_ids: &[String]) -> Chart {
        let points: Vec<charts::TestimonyPoint> = self
            .evaluation
            .facts
            .notes
            .iter()
            .filter(|n| note_ids.contains(&n.id))
            .map(|n| charts::TestimonyPoint {
                date: n.date,
                severity: n.severity,
                stance: n.stance.clone(),
                grade: format!("{}{}", n.reliability, n.credibility),
                label: n.speaker.chars().take(24).collect(),
            })
            .collect();
        self.chart(
            "testimony.svg",
            "Testimony counted: date, severity and stance, labelled with the Admiralty grade.".into(),
            charts::testimony_timeline(&points, &self.theme),
        )
    }

    fn tornado_chart(&self, score: f64, rows: &[scoring::TornadoRow]) -> Chart {
        let bars: Vec<charts::TornadoBar> = rows
            .iter()
            .map(|row| charts::TornadoBar { factor: row.factor.label().to_string(), low_score: row.low_score, high_score: row.high_score })
            .collect();
        self.chart(
            "tornado.svg",
            "Tornado: the score with each factor's weight at half and at one and a half times its value.".into(),
            charts::tornado(score, &bars, &self.theme),
        )
    }

    fn smaa_chart(&self, result: &scoring::SmaaResult) -> Chart {
        self.chart(
            "smaa.svg",
            format!("Rank acceptability over {} sampled weightings (seed {}).", result.samples, result.seed),
            charts::smaa_heatmap(&self.smaa_chart_rows(result), &self.theme),
        )
    }

    fn smaa_chart_rows(&self, result: &scoring::SmaaResult) -> Vec<charts::SmaaRow> {
        let by_rank: HashMap<&str, usize> = self.report.vendors.iter().map(|v| (v.vendor_id.as_str(), v.rank)).collect();
        let mut rows: Vec<charts::SmaaRow> = result
            .vendors
            .iter()
            .map(|v| {
                let i = self.evaluation.vendor(&v.vendor_id).expect("scored");
                charts::SmaaRow {
                    vendor_id: v.vendor_id.clone(),
                    name: self.evaluation.names[i].clone(),
                    acceptability: v.acceptability.clone(),
                }
            })
            .collect();
        rows.sort_by_key(|r| by_rank.get(r.vendor_id.as_str()).copied().unwrap_or(usize::MAX));
        rows
    }

    fn sales_points(&self, vendor_id: &str) -> Vec<charts::SalesPoint> {
        let params = &self.evaluation.scenario.params;
        self.evaluation
            .facts
            .sales
            .iter()
            .filter(|s| s.vendor_id == vendor_id)
            .map(|s| charts::SalesPoint {
                year: s.year,
                country: s.country.clone(),
                revenue_usd: s.revenue_usd,
                concern: params.is_concern(&s.country),
            })
            .collect()
    }

    fn install_points(&self, vendor_id: &str) -> Vec<charts::InstallPoint> {
        let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
        for row in self.evaluation.facts.installs.iter().filter(|r| r.vendor_id == vendor_id) {
            *by_year.entry(row.year).or_default() += row.users as f64;
        }
        by_year.into_iter().map(|(year, users)| charts::InstallPoint { year, users }).collect()
    }

    /// The vendor's entity and everything above it along equity edges in force, plus the ties of the
    /// vendor and its controllers.
    fn ownership_graph(&self, i: usize) -> charts::OwnershipGraph {
        let facts = &self.evaluation.facts;
        let params = &self.evaluation.scenario.params;
        let as_of = params.as_of;
        let vendor = facts.vendors.iter().find(|v| v.id == self.evaluation.factors.vendor_ids[i]).expect("a scored vendor");
        let root = vendor.entity_id.clone();
        let controllers: HashSet<String> = self.evaluation.factors.evidence[i][Factor::Ties]
            .iter()
            .filter_map(|e| if let Evidence::Controller { entity, .. } = e { Some(entity.clone()) } else { None })
            .collect();
        let in_force: Vec<&crate::factors::Edge> = facts.edges.iter().filter(|e| e.in_force(as_of)).collect();
        let mut nodes: Vec<String> = vec![root.clone()];
        let mut seen: HashSet<String> = nodes.iter().cloned().collect();
        let mut shares: BTreeMap<(String, String), f64> = BTreeMap::new();
        let mut k = 0;
        while k < nodes.len() && nodes.len() < charts::OWNERSHIP_MAX_NODES {
            let current = nodes[k].clone();
            for edge in in_force.iter().filter(|e| e.relation == Relation::Equity && e.to == current) {
                *shares.entry((edge.from.clone(), edge.to.clone())).or_default() += edge.share.unwrap_or(0.0);
                if seen.insert(edge.from.clone()) {
                    nodes.push(edge.from.clone());
                }
            }
            k += 1;
        }
        let mut edges: Vec<charts::OwnerEdge> = shares
            .into_iter()
            .map(|((from, to), share)| charts::OwnerEdge { from, to, share: Some(share), tie: false, alleged: false })
            .collect();
        let members: HashSet<String> = controllers.iter().cloned().chain([root.clone()]).collect();
        for edge in in_force.iter().filter(|e| e.relation == Relation::Tie) {
            let (member, other) = if members.contains(&edge.from) {
                (&edge.from, &edge.to)
            } else if members.contains(&edge.to) {
                (&edge.to, &edge.from)
            } else {
                continue;
            };
            if seen.insert(other.clone()) {
                nodes.push(other.clone());
            }
            let alleged = edge.tie_kind.as_deref() == Some("alleged");
            edges.push(charts::OwnerEdge { from: other.clone(), to: member.clone(), share: None, tie: true, alleged });
        }
        let entities: HashMap<&str, &crate::factors::Entity> = facts.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let names = crate::explain::Names::new(facts);
        let graph_nodes = nodes
            .iter()
            .map(|id| {
                let entity = entities.get(id.as_str());
                let (kind, country) = match entity {
                    Some(e) => (e.kind.clone(), e.country.clone()),
                    None => (
                        "company".to_string(),
                        facts.vendors.iter().find(|v| &v.entity_id == id).map(|v| v.hq_country.clone()).unwrap_or_default(),
                    ),
                };
                let kind = if *id == root { "vendor".to_string() } else { kind };
                charts::OwnerNode {
                    id: id.clone(),
                    name: names.of(id).to_string(),
                    kind,
                    concern: params.is_concern(&country),
                    controller: controllers.contains(id),
                }
            })
            .collect();
        charts::OwnershipGraph { nodes: graph_nodes, edges, root }
    }
}

/// Adds the sources of the evidence items that carry one.
fn evidence_sources<'e>(items: impl Iterator<Item = &'e Evidence>, into: &mut BTreeSet<String>) {
    for item in items {
        if let Evidence::Stake { source, .. }
        | Evidence::Tie { source, .. }
        | Evidence::NoteTerm { source, .. }
        | Evidence::Listing { source, .. } = item
        {
            into.insert(source.clone());
        }
    }
}
