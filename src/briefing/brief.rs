//! Brief data: what a vendor brief or a comparison says, assembled from one evaluation, its score
//! report and the store's provenance (batches, sources, categories), with the figures from
//! [`Charts`].
//!
//! This is where the wording rules meet the data: controllers come only from the engine's computed
//! control paths, ties keep their `alleged` kind, and every testimony excerpt carries its grade and
//! source. User text goes into the brief data as strings; the templates print it as text.

use std::collections::{BTreeSet, HashMap};

use super::BriefOptions;
use super::charts::Charts;
use crate::brief::data::{
    Batch, ChangesSection, ComparisonBrief, Controller, Difference, Excerpt, FactorLine, Meta, SmaaLine, StabilityLine, TieLine,
    VendorBrief, VendorHead,
};
use crate::charts::Theme;
use crate::engine::{Evaluation, Explanation, ScoreReport, VendorScore};
use crate::error::Result;
use crate::factors::Evidence;
use crate::model::Factor;
use crate::scoring;
use crate::store::Store;

/// What every brief of one evaluation shares.
pub(super) struct Briefs<'a> {
    pub(super) charts: Charts<'a>,
    store: &'a Store,
    options: &'a BriefOptions,
    categories: HashMap<String, Option<String>>,
    batches: Vec<Batch>,
}

impl<'a> Briefs<'a> {
    pub(super) fn new(
        store: &'a Store,
        evaluation: &'a Evaluation,
        report: &'a ScoreReport,
        options: &'a BriefOptions,
        theme: Theme,
    ) -> Result<Self> {
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
        let charts = Charts { evaluation, report, theme, smaa: (options.smaa_samples, options.smaa_seed) };
        Ok(Briefs { charts, store, options, categories, batches })
    }

    fn meta(&self, title: String) -> Meta {
        let scenario = &self.charts.evaluation.scenario;
        Meta {
            title,
            scenario: scenario.name.clone(),
            method: scenario.method.as_str().to_string(),
            as_of: self.charts.report.as_of.clone(),
            document_date: self.options.document_date.clone().unwrap_or_else(|| self.charts.report.as_of.clone()),
            vetta_version: env!("CARGO_PKG_VERSION").to_string(),
            dataset_sha256: self.charts.report.dataset_sha256.clone(),
            smaa_seed: self.charts.smaa_method().map(|_| self.options.smaa_seed),
            paper: self.options.paper,
        }
    }

    fn head(&self, vendor: &VendorScore) -> VendorHead {
        let facts = self.charts.evaluation.facts.vendors.iter().find(|v| v.id == vendor.vendor_id);
        VendorHead {
            vendor_id: vendor.vendor_id.clone(),
            name: vendor.name.clone(),
            hq_country: facts.map(|v| v.hq_country.clone()).unwrap_or_default(),
            privilege: facts.map(|v| v.privilege.clone()).unwrap_or_default(),
            category: self.categories.get(&vendor.vendor_id).cloned().flatten(),
            score: vendor.score,
            band: vendor.band.as_str().to_string(),
            rank: vendor.rank,
            of: self.charts.report.vendors.len(),
            prohibited: vendor.prohibited,
            lists: vendor.designations.clone(),
            possibly_prohibited: vendor.possibly_prohibited,
            possible_lists: vendor.possible_designations.clone(),
            range_holdings: if vendor.possibly_prohibited { self.range_holdings(&vendor.vendor_id) } else { Vec::new() },
            mitigation: vendor.mitigation,
        }
    }

    /// The vendor's holdings given as ranges, as "Holder: 25 %–50 %" (what the upper bounds of
    /// "possibly prohibited" are about).
    fn range_holdings(&self, vendor_id: &str) -> Vec<String> {
        let evaluation = self.charts.evaluation;
        let Ok(i) = evaluation.vendor(vendor_id) else { return Vec::new() };
        let names = crate::explain::Names::new(&evaluation.facts);
        evaluation.factors.evidence[i][Factor::Ownership]
            .iter()
            .filter_map(|e| match e {
                Evidence::Stake { from, range: Some([low, high]), .. } => {
                    Some(format!("{}: between {} and {}", names.of(from), crate::explain::percent(*low), crate::explain::percent(*high)))
                }
                _ => None,
            })
            .collect()
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
        self.charts.evaluation.scenario.weights.to_map().iter().map(|(f, w)| (f.label().to_string(), *w)).collect()
    }

    fn params(&self) -> Vec<(String, String)> {
        self.charts.evaluation.scenario.params.to_pairs().into_iter().map(|(n, v)| (n.to_string(), v)).collect()
    }

    pub(super) fn vendor_brief(&self, vendor_id: &str) -> Result<VendorBrief> {
        let evaluation = self.charts.evaluation;
        let i = evaluation.vendor(vendor_id)?;
        let explanation = evaluation.explain(self.charts.report, vendor_id)?;
        let vendor = self.charts.score_of(vendor_id);
        let names = crate::explain::Names::new(&evaluation.facts);
        let evidence = &evaluation.factors.evidence[i];

        // Controllers from the ownership walk the diagram draws; ties as the ties factor counted them.
        let structure = self.charts.structure(vendor_id)?;
        let controllers = structure
            .controllers
            .iter()
            .map(|(entity, path)| Controller {
                name: names.of(entity).to_string(),
                path: path.iter().map(|p| names.of(p).to_string()).collect(),
            })
            .collect();
        let mut ties = Vec::new();
        for item in evidence.values().flatten() {
            if let Evidence::Tie { other, tie_kind, strength, confidence, source, .. } = item {
                ties.push(TieLine {
                    other: names.of(other).to_string(),
                    kind: tie_kind.clone().unwrap_or_default(),
                    alleged: tie_kind.as_deref() == Some("alleged"),
                    strength: *strength,
                    confidence: *confidence,
                    source: source.clone(),
                });
            }
        }
        ties.dedup();

        // Testimony excerpts: the notes the testimony factor counted, newest first.
        let note_ids = self.charts.counted_notes(i);
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
        let tornado = self.charts.tornado_rows(i);
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
        let smaa = self.charts.smaa_rows();
        let smaa_line = smaa.as_ref().and_then(|result| {
            result
                .vendors
                .iter()
                .find(|v| v.vendor_id == vendor_id)
                .map(|v| SmaaLine { acceptability: v.acceptability.clone(), holistic: v.holistic })
        });

        let mut charts_out = vec![
            self.charts.ranking_chart(&[vendor_id.to_string()]),
            self.charts.radar_chart(&[vendor_id.to_string()]),
            self.charts.ownership_chart(vendor_id, &structure),
            self.charts.sales_chart(vendor_id),
            self.charts.install_chart(vendor_id),
            self.charts.testimony_chart(&note_ids),
            self.charts.tornado_chart(vendor.score, &tornado),
        ];
        charts_out.extend(smaa.as_ref().map(|result| self.charts.smaa_chart(result)));

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
            identity: identity_lines(&self.store.identity(vendor_id)?.unwrap_or_default(), &names),
            batches: self.batches.clone(),
            charts: charts_out,
            changes: self.changes(&[vendor_id.to_string()]),
        })
    }

    /// The briefed vendors' part of the caller's "changes since" report, in the brief's order.
    fn changes(&self, vendor_ids: &[String]) -> Option<ChangesSection> {
        let report = self.options.changes.as_ref()?;
        let vendors = vendor_ids
            .iter()
            .filter_map(|id| report.vendors.iter().find(|v| &v.vendor_id == id))
            .map(|v| (v.name.clone(), v.lines()))
            .filter(|(_, lines)| !lines.is_empty())
            .collect();
        Some(ChangesSection { from: report.from.clone(), to: report.to.clone(), vendors })
    }

    pub(super) fn comparison_brief(&self, vendor_ids: &[String]) -> Result<ComparisonBrief> {
        let mut vendors = Vec::new();
        let mut sources = BTreeSet::new();
        for id in vendor_ids {
            let explanation = self.charts.evaluation.explain(self.charts.report, id)?;
            vendors.push((self.head(self.charts.score_of(id)), Self::factor_lines(&explanation)));
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
        let charts_out = vec![self.charts.radar_chart(vendor_ids), self.charts.ranking_chart(vendor_ids)];
        Ok(ComparisonBrief {
            meta: self.meta(format!("Vendor comparison: {}", names.join(", "))),
            vendors,
            differences,
            weights: self.weights(),
            params: self.params(),
            sources: sources.into_iter().filter(|s| !s.is_empty()).collect(),
            batches: self.batches.clone(),
            charts: charts_out,
            changes: self.changes(vendor_ids),
        })
    }
}

/// The identity of a vendor as provenance lines: each link with who decided it, when and why; the
/// aliases and identifiers of the ids in its group.
fn identity_lines(identity: &crate::store::Identity, names: &crate::explain::Names) -> Vec<String> {
    let cite = |source: &Option<String>| source.as_deref().map(|s| format!(" Source: {s}.")).unwrap_or_default();
    let mut lines: Vec<String> = identity
        .links
        .iter()
        .map(|l| {
            let verdict = if l.decision == "same" { "the same legal person" } else { "different legal persons" };
            let basis = l.basis.as_deref().map(|b| format!(" Basis: {b}.")).unwrap_or_default();
            format!(
                "{} ({}) and {} ({}): {verdict}, decided by {} on {}.{basis}{}",
                names.of(&l.entity_id),
                l.entity_id,
                names.of(&l.other_id),
                l.other_id,
                l.decided_by,
                l.decided_on,
                cite(&l.source)
            )
        })
        .collect();
    lines.extend(identity.aliases.iter().map(|a| format!("Also named {} ({}, {}). Source: {}.", a.name, a.kind, a.entity_id, a.source)));
    lines.extend(
        identity.identifiers.iter().map(|i| format!("Identifier {} {} ({}). Source: {}.", i.scheme, i.value, i.entity_id, i.source)),
    );
    lines
}

/// Adds the sources of the evidence items that carry one.
fn evidence_sources<'e>(items: impl Iterator<Item = &'e Evidence>, into: &mut BTreeSet<String>) {
    for item in items {
        if let Evidence::Stake { source, .. }
        | Evidence::Tie { source, .. }
        | Evidence::NoteTerm { source, .. }
        | Evidence::Listing { source, .. }
        | Evidence::ControlStep { source, .. } = item
        {
            into.insert(source.clone());
        }
    }
}
