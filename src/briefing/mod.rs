//! From the engine to briefs, by job: [`charts`] turns an evaluation into chart inputs and draws them
//! (for the screen and for the briefs), [`brief`] assembles what a brief says, and this module
//! typesets it into a PDF.

mod brief;
mod charts;

pub use self::charts::{ChartKind, chart, chart_of};

use std::collections::BTreeSet;
use std::path::Path;

use self::brief::Briefs;
use crate::brief::Typesetter;
use crate::brief::data::Paper;
use crate::charts::Theme;
use crate::engine::Evaluation;
use crate::error::{Error, Result};
use crate::scenario::ScenarioInput;
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
    /// "Changes since …": what changed from an earlier end to now ([`crate::changes::changes`] under
    /// the brief's scenario, computed by the caller); the brief prints the briefed vendors' part.
    pub changes: Option<crate::changes::ChangesReport>,
}

impl Default for BriefOptions {
    fn default() -> Self {
        BriefOptions { paper: Paper::A4, document_date: None, smaa_samples: 4_000, smaa_seed: 0, changes: None }
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
    let context = Briefs::new(store, evaluation, &report, options, Theme::print())?;
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
