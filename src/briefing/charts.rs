//! Chart inputs: what each chart draws, taken from one evaluation and its score report. The app's
//! `chart` command and the briefs' figures are drawn from here, so the screen and the PDF agree.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::brief::data::Chart;
use crate::charts::{self, Theme};
use crate::engine::{Evaluation, ScoreReport, VendorScore};
use crate::error::{Error, Result};
use crate::factors::{self, Evidence, Structure};
use crate::model::Factor;
use crate::scenario::ScenarioInput;
use crate::scoring::{self, Method, SmaaMode};
use crate::store::Store;

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
    chart_of(&evaluation, &evaluation.score(), kind, vendor_ids, dark)
}

/// [`chart`] from an evaluation already made (the app's cache) and its score report.
pub fn chart_of(evaluation: &Evaluation, report: &ScoreReport, kind: ChartKind, vendor_ids: &[String], dark: bool) -> Result<String> {
    for id in vendor_ids {
        evaluation.vendor(id)?;
    }
    let defaults = super::BriefOptions::default();
    let context = Charts { evaluation, report, theme: Theme::screen(dark), smaa: (defaults.smaa_samples, defaults.smaa_seed) };
    let first =
        || vendor_ids.first().map(String::as_str).ok_or_else(|| Error::Invalid(format!("the {} chart needs a vendor", kind.as_str())));
    let chart = match kind {
        ChartKind::Ranking => context.ranking_chart(vendor_ids),
        ChartKind::Radar => context.radar_chart(vendor_ids),
        ChartKind::Ownership => context.ownership_chart(first()?, &context.structure(first()?)?),
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

/// The chart inputs of one evaluation, drawn in one theme.
pub(super) struct Charts<'a> {
    pub(super) evaluation: &'a Evaluation,
    pub(super) report: &'a ScoreReport,
    pub(super) theme: Theme,
    /// SMAA samples and seed of the acceptability chart (seeded, so reproducible).
    pub(super) smaa: (usize, u64),
}

impl Charts<'_> {
    /// SMAA runs for weighted_sum and weighted_product; TOPSIS has no SMAA (risk-model.md).
    pub(super) fn smaa_method(&self) -> Option<Method> {
        Some(self.evaluation.scenario.method).filter(|m| *m != Method::Topsis)
    }

    pub(super) fn score_of(&self, vendor_id: &str) -> &VendorScore {
        self.report.vendors.iter().find(|v| v.vendor_id == vendor_id).expect("every vendor is scored")
    }

    pub(super) fn chart(&self, file: &str, caption: String, svg: String) -> Chart {
        Chart { file: file.to_string(), caption, svg }
    }

    pub(super) fn ranking_chart(&self, highlight: &[String]) -> Chart {
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

    pub(super) fn radar_chart(&self, vendor_ids: &[String]) -> Chart {
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

    pub(super) fn smaa_rows(&self) -> Option<scoring::SmaaResult> {
        let method = self.smaa_method()?;
        let evaluation = self.evaluation;
        scoring::smaa(&evaluation.matrix(), &evaluation.scenario.weights, method, self.smaa.0, self.smaa.1, SmaaMode::Uniform, None).ok()
    }

    /// The notes the testimony factor counted for vendor `i`.
    pub(super) fn counted_notes(&self, i: usize) -> Vec<String> {
        self.evaluation.factors.evidence[i][Factor::Testimony]
            .iter()
            .filter_map(|e| if let Evidence::NoteTerm { note_id, .. } = e { Some(note_id.clone()) } else { None })
            .collect()
    }

    pub(super) fn tornado_rows(&self, i: usize) -> Vec<scoring::TornadoRow> {
        let evaluation = self.evaluation;
        scoring::tornado(&evaluation.matrix(), &evaluation.scenario.weights, evaluation.scenario.method, i, 0.5).unwrap_or_default()
    }

    pub(super) fn ownership_chart(&self, vendor_id: &str, structure: &Structure) -> Chart {
        self.chart(
            "ownership.svg",
            {
                let facts = &self.evaluation.facts;
                let v13 = structure.equity.iter().any(|e| e.3.is_some())
                    || structure.ties.iter().any(|t| facts.edges[t.2].tie_kind.as_deref() == Some("control"));
                let what = if v13 {
                    "equity with shares, or bands where a source gives a range (solid), control ties (long dashes, arrow to the controlled), other ties (dashed)"
                } else {
                    "equity with shares (solid), ties (dashed)"
                };
                format!("Ownership and ties of {}: {what}, entities of concern marked.", self.score_of(vendor_id).name)
            },
            charts::ownership(&self.ownership_graph(structure), &self.theme),
        )
    }

    pub(super) fn sales_chart(&self, vendor_id: &str) -> Chart {
        self.chart(
            "sales.svg",
            "Sales by country and year (USD); countries of concern marked.".into(),
            charts::sales_by_region(&self.sales_points(vendor_id), &self.theme),
        )
    }

    pub(super) fn install_chart(&self, vendor_id: &str) -> Chart {
        self.chart(
            "install-base.svg",
            "Install base (users) by year.".into(),
            charts::install_base(&self.install_points(vendor_id), &self.theme),
        )
    }

    pub(super) fn testimony_chart(&self, note_ids: &[String]) -> Chart {
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

    pub(super) fn tornado_chart(&self, score: f64, rows: &[scoring::TornadoRow]) -> Chart {
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

    pub(super) fn smaa_chart(&self, result: &scoring::SmaaResult) -> Chart {
        self.chart(
            "smaa.svg",
            format!("Rank acceptability over {} sampled weightings (seed {}).", result.samples, result.seed),
            charts::smaa_heatmap(&self.smaa_chart_rows(result), &self.theme),
        )
    }

    pub(super) fn smaa_chart_rows(&self, result: &scoring::SmaaResult) -> Vec<charts::SmaaRow> {
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

    pub(super) fn sales_points(&self, vendor_id: &str) -> Vec<charts::SalesPoint> {
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

    pub(super) fn install_points(&self, vendor_id: &str) -> Vec<charts::InstallPoint> {
        let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
        for row in self.evaluation.facts.installs.iter().filter(|r| r.vendor_id == vendor_id) {
            *by_year.entry(row.year).or_default() += row.users as f64;
        }
        by_year.into_iter().map(|(year, users)| charts::InstallPoint { year, users }).collect()
    }

    /// The vendor's ownership walked on the factors' graph (shared by the diagram and the brief).
    pub(super) fn structure(&self, vendor_id: &str) -> Result<Structure> {
        let evaluation = self.evaluation;
        evaluation.vendor(vendor_id)?;
        factors::structure(&evaluation.facts, &evaluation.scenario.params, vendor_id, charts::OWNERSHIP_MAX_NODES)
            .ok_or_else(|| Error::Invalid(format!("no vendor {vendor_id:?}")))
    }

    /// The diagram of a structure: its entities with kind, country of concern and controller marks;
    /// equity with shares, ties dashed (alleged ones marked).
    fn ownership_graph(&self, structure: &Structure) -> charts::OwnershipGraph {
        let facts = &self.evaluation.facts;
        let params = &self.evaluation.scenario.params;
        let root = structure.entities[0].clone();
        let controllers: HashSet<&str> = structure.controllers.iter().map(|(c, _)| c.as_str()).collect();
        let mut edges: Vec<charts::OwnerEdge> = structure
            .equity
            .iter()
            .map(|(from, to, share, band)| charts::OwnerEdge {
                from: from.clone(),
                to: to.clone(),
                share: Some(*share),
                tie: false,
                alleged: false,
                range: *band,
                control: false,
            })
            .collect();
        edges.extend(structure.ties.iter().map(|(other, member, row, toward_member)| {
            let kind = facts.edges[*row].tie_kind.as_deref();
            let (alleged, control) = (kind == Some("alleged"), kind == Some("control"));
            // A control tie keeps its direction (the row's from_id controls its to_id); other ties have none.
            let (from, to) = if control && !toward_member { (member, other) } else { (other, member) };
            charts::OwnerEdge { from: from.clone(), to: to.clone(), share: None, tie: true, alleged, range: None, control }
        }));
        let entities: HashMap<&str, &crate::factors::Entity> = facts.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let names = crate::explain::Names::new(facts);
        let nodes = structure
            .entities
            .iter()
            .map(|id| {
                let (kind, country) = match entities.get(id.as_str()) {
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
                    controller: controllers.contains(id.as_str()),
                }
            })
            .collect();
        charts::OwnershipGraph { nodes, edges, root }
    }
}
