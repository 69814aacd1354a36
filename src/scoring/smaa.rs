//! SMAA-2 rank acceptability: how often each vendor takes each rank when the weights are drawn at
//! random, uniformly over all weightings or around the scenario's.
//!
//! Reproducible for a seed whatever the thread count: samples are cut into fixed chunks of 1,024
//! (`CHUNK`), chunk c draws from ChaCha8 seeded with the seed on stream c, and the chunks' tallies
//! are merged in chunk order. Rayon only decides which thread runs a chunk, never what it computes.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::methods::{Method, product_logs};
use super::rank::Ranker;
use super::{Factor, FactorValues, Matrix, ScoringError, Weights};

/// How the weight vectors are drawn. Serialises as `{"mode": "uniform"}` or
/// `{"mode": "around", "kappa": 50.0}`, flattened into [`SmaaResult`] as `cli.md` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum SmaaMode {
    /// Uniform over the simplex, Dirichlet(1, …, 1): "any weighting at all".
    Uniform,
    /// Dirichlet with `α_j = κ·w_j + 1e-9` around the scenario's weights `w`: mean `w`, spread
    /// shrinking as κ grows. The 1e-9 keeps α positive for zero weights, which then stay ~0.
    Around { kappa: f64 },
}

impl SmaaMode {
    /// The spec's default κ for `around`.
    pub const DEFAULT_KAPPA: f64 = 50.0;

    pub fn as_str(&self) -> &'static str {
        match self {
            SmaaMode::Uniform => "uniform",
            SmaaMode::Around { .. } => "around",
        }
    }
}

/// A run's result, vendors in `vendor_id` byte order. Serialises as `cli.md`'s `smaa --format json`
/// (`samples`, `seed`, `mode`, `vendors`) plus `kappa` (for `around`), `method` and `ranks` (= K).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SmaaResult {
    pub samples: usize,
    pub seed: u64,
    #[serde(flatten)]
    pub mode: SmaaMode,
    pub method: Method,
    /// K: how many ranks each vendor's `acceptability` lists.
    pub ranks: usize,
    pub vendors: Vec<SmaaVendor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SmaaVendor {
    pub vendor_id: String,
    /// `b[r]` for r = 1..=K: the share of samples in which the vendor had rank r.
    pub acceptability: Vec<f64>,
    /// Mean weights of the samples that made the vendor rank 1, in factor order; `None` when it
    /// never was. "What you would have to believe for this vendor to be the riskiest."
    pub central_weights: Option<FactorValues>,
    /// `Σ_r b[r]·(n − r)/(n − 1)` over all ranks, 1 when n = 1: 1 = always riskiest, 0 = never ahead
    /// of anyone.
    pub holistic: f64,
}

/// SMAA-2 over the vendors of `m`, `samples` weight draws, scored by `method` (weighted_sum or
/// weighted_product) on final (mitigated) scores and ranked by the rank rule.
///
/// `ranks_k` is K, the number of ranks reported: by default n when n ≤ 100, else 10; capped at n.
///
/// # Errors
/// [`ScoringError::ZeroSamples`], [`ScoringError::TopsisSmaa`], [`ScoringError::BadKappa`] (κ must
/// be finite and above 0), [`ScoringError::ZeroRanks`] for `Some(0)`.
pub fn smaa(
    m: &Matrix,
    w: &Weights,
    method: Method,
    samples: usize,
    seed: u64,
    mode: SmaaMode,
    ranks_k: Option<usize>,
) -> Result<SmaaResult, ScoringError> {
    smaa_with_progress(m, w, method, samples, seed, mode, ranks_k, &|_| true)
}

/// [`smaa`] with a progress hook, for the app's progress bar and Cancel button.
///
/// `progress(done)` is called every few dozen samples with the number of samples finished so far.
/// It runs on rayon's worker threads — possibly at the same time, so two calls may arrive out of
/// order; show the largest `done` seen. Returning `false` cancels the run: the workers stop at their
/// next sample and the result is [`ScoringError::Cancelled`]. Cancelling cannot produce a partial
/// result, so a seeded run either completes with its reproducible numbers or reports nothing.
#[expect(clippy::too_many_arguments, reason = "smaa()'s arguments plus the hook; a struct would hide the mirror")]
pub fn smaa_with_progress(
    m: &Matrix,
    w: &Weights,
    method: Method,
    samples: usize,
    seed: u64,
    mode: SmaaMode,
    ranks_k: Option<usize>,
    progress: &(dyn Fn(usize) -> bool + Sync),
) -> Result<SmaaResult, ScoringError> {
    m.assert_shape();
    let sampler = match mode {
        SmaaMode::Uniform => WeightSampler::Uniform,
        SmaaMode::Around { kappa } => {
            if !(kappa.is_finite() && kappa > 0.0) {
                return Err(ScoringError::BadKappa(kappa));
            }
            WeightSampler::dirichlet(w.as_array().iter().map(|w| kappa * w + 1e-9))
        }
    };
    let criteria = Criteria { ids: m.ids, x: m.x, mitigation: m.mitigation, criteria: Factor::COUNT };
    let run = Run { method, samples, seed, ranks_k };
    let (ranks, vendors) = run_smaa(&criteria, &sampler, &run, progress)?;
    let vendors = vendors
        .into_iter()
        .map(|v| SmaaVendor {
            vendor_id: v.vendor_id,
            acceptability: v.acceptability,
            central_weights: v.central_weights.map(|c| FactorValues::from_fn(|factor| c[factor.index()])),
            holistic: v.holistic,
        })
        .collect();
    Ok(SmaaResult { samples, seed, mode, method, ranks, vendors })
}

/// The matrix SMAA works on, with any number of criteria (`criteria` values per vendor), so
/// tests can run the real code on two criteria where the answers are known in closed form.
struct Criteria<'a> {
    ids: &'a [String],
    x: &'a [f64],
    mitigation: &'a [f64],
    criteria: usize,
}

/// One vendor's result over any number of criteria: central weights in criteria order.
#[derive(Debug, Clone, PartialEq)]
struct Acceptability {
    vendor_id: String,
    acceptability: Vec<f64>,
    central_weights: Option<Vec<f64>>,
    holistic: f64,
}

struct Run {
    method: Method,
    samples: usize,
    seed: u64,
    ranks_k: Option<usize>,
}

enum WeightSampler {
    Uniform,
    Dirichlet { shapes: Vec<LogGamma> },
}

impl WeightSampler {
    fn dirichlet(alpha: impl IntoIterator<Item = f64>) -> WeightSampler {
        WeightSampler::Dirichlet { shapes: alpha.into_iter().map(LogGamma::new).collect() }
    }

    /// Fills `w` with one weight vector on the simplex.
    fn sample<R: Rng>(&self, rng: &mut R, w: &mut [f64]) {
        match self {
            // Normalised Exp(1) draws are Dirichlet(1, …, 1); Exp1's ziggurat is the fast path.
            WeightSampler::Uniform => {
                for value in w.iter_mut() {
                    *value = Exp1.sample(rng);
                }
            }
            // Gammas in log space: α = 1e-9 makes Gamma(α) underflow to 0 directly, and with a tiny κ
            // all of them could; the log keeps the ratios exact and the sum never zero.
            WeightSampler::Dirichlet { shapes } => {
                for (value, shape) in w.iter_mut().zip(shapes) {
                    *value = shape.sample(rng);
                }
                let top = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                for value in w.iter_mut() {
                    *value = (*value - top).exp();
                }
            }
        }
        let sum: f64 = w.iter().sum();
        for value in w.iter_mut() {
            *value /= sum;
        }
    }
}

/// Draws `ln X` for `X ~ Gamma(alpha, 1)`: Marsaglia–Tsang (2000) for α ≥ 1, and for α < 1 the
/// boost `Gamma(α) = Gamma(α + 1)·U^{1/α}`, taken in logs so it cannot underflow. The constants are
/// computed once per shape, not per draw.
struct LogGamma {
    /// `1/α` when α < 1 (the boost applies), else `None`.
    boost: Option<f64>,
    /// Marsaglia–Tsang's `d = α' − 1/3`, `c = 1/√(9d)` and `ln d`, for `α' = α` or `α + 1`.
    d: f64,
    c: f64,
    ln_d: f64,
}

impl LogGamma {
    fn new(alpha: f64) -> LogGamma {
        let (boost, shape) = if alpha < 1.0 { (Some(1.0 / alpha), alpha + 1.0) } else { (None, alpha) };
        let d = shape - 1.0 / 3.0;
        LogGamma { boost, d, c: 1.0 / (9.0 * d).sqrt(), ln_d: d.ln() }
    }

    fn sample<R: Rng>(&self, rng: &mut R) -> f64 {
        let boost = self.boost.map_or(0.0, |inverse_alpha| {
            let u = 1.0 - rng.random::<f64>(); // (0, 1]: ln is finite
            u.ln() * inverse_alpha
        });
        loop {
            let z: f64 = StandardNormal.sample(rng);
            let v = 1.0 + self.c * z;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = 1.0 - rng.random::<f64>();
            let z2 = z * z;
            if u < 1.0 - 0.0331 * z2 * z2 || u.ln() < 0.5 * z2 + self.d * (1.0 - v + v.ln()) {
                return self.ln_d + v.ln() + boost;
            }
        }
    }
}

/// One chunk's counts. Integers add in any order; `central` (a float sum) is why chunks are merged
/// in chunk order.
struct Tally {
    /// `counts[i * k + r]`: samples with vendor i at rank r + 1, for r < k.
    counts: Vec<u64>,
    /// `Σ (n − rank)` over samples, per vendor: the holistic index's numerator over all ranks.
    rank_sum: Vec<u64>,
    /// Sum of the weight vectors of the samples where vendor i was rank 1 (`d` per vendor).
    central: Vec<f64>,
}

impl Tally {
    fn new(vendors: usize, k: usize, d: usize) -> Tally {
        Tally { counts: vec![0; vendors * k], rank_sum: vec![0; vendors], central: vec![0.0; vendors * d] }
    }

    fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.rank_sum.iter_mut().zip(&other.rank_sum) {
            *a += b;
        }
        for (a, b) in self.central.iter_mut().zip(&other.central) {
            *a += b;
        }
    }

    fn bytes(vendors: usize, k: usize, d: usize) -> usize {
        8 * (vendors * k + vendors + vendors * d)
    }
}

/// Samples per chunk: the unit of parallel work and of the per-chunk RNG stream. Part of the
/// reproducibility contract — changing it changes every seeded result.
const CHUNK: usize = 1024;
/// How often a worker checks the cancel flag and reports progress, in samples.
const PROGRESS_STEP: usize = 64;
/// Tallies held at once before merging; bounds memory when K·n is large. Any value gives the same
/// result, since merging is in chunk order regardless.
const WINDOW_BYTES: usize = 64 << 20;

/// The SMAA core over any number of criteria. Returns K and the vendors in id order.
fn run_smaa(
    criteria: &Criteria,
    sampler: &WeightSampler,
    run: &Run,
    progress: &(dyn Fn(usize) -> bool + Sync),
) -> Result<(usize, Vec<Acceptability>), ScoringError> {
    if run.samples == 0 {
        return Err(ScoringError::ZeroSamples);
    }
    if run.method == Method::Topsis {
        return Err(ScoringError::TopsisSmaa);
    }
    if run.ranks_k == Some(0) {
        return Err(ScoringError::ZeroRanks);
    }
    let n = criteria.ids.len();
    let d = criteria.criteria;
    if n == 0 {
        return Ok((0, Vec::new()));
    }
    let k = run.ranks_k.unwrap_or(if n <= 100 { n } else { 10 }).min(n);
    let id_order = Ranker::new(criteria.ids);
    let columns = Columns::new(criteria, id_order.id_order(), run.method);
    let chunks = run.samples.div_ceil(CHUNK);
    let window = (WINDOW_BYTES / Tally::bytes(n, k, d)).clamp(1, 64);
    let done = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);
    let report = |step: usize| {
        let now = done.fetch_add(step, Ordering::Relaxed) + step;
        if !progress(now) {
            cancelled.store(true, Ordering::Relaxed);
        }
    };

    let run_chunk = |chunk: usize| -> Option<Tally> {
        let mut rng = ChaCha8Rng::seed_from_u64(run.seed);
        rng.set_stream(chunk as u64);
        let first = chunk * CHUNK;
        let count = CHUNK.min(run.samples - first);
        let mut tally = Tally::new(n, k, d);
        let mut ranker = id_order.clone();
        let mut w = vec![0.0; d];
        let mut scores = vec![0.0; n];
        for s in 0..count {
            if s % PROGRESS_STEP == 0 {
                if cancelled.load(Ordering::Relaxed) {
                    return None;
                }
                if s > 0 {
                    report(PROGRESS_STEP);
                }
            }
            sampler.sample(&mut rng, &mut w);
            columns.scores_into(&w, &mut scores);
            // Tallies are kept by id position, the order the ranker hands vendors back in.
            let order = ranker.positions(&scores);
            for (rank, &p) in order.iter().enumerate() {
                tally.rank_sum[p as usize] += (n - 1 - rank) as u64;
            }
            for (rank, &p) in order[..k].iter().enumerate() {
                tally.counts[p as usize * k + rank] += 1;
            }
            let first = order[0] as usize;
            for (sum, value) in tally.central[first * d..(first + 1) * d].iter_mut().zip(&w) {
                *sum += value;
            }
        }
        report(count - (count - 1) / PROGRESS_STEP * PROGRESS_STEP);
        Some(tally)
    };

    let mut total = Tally::new(n, k, d);
    for start in (0..chunks).step_by(window) {
        let tallies: Vec<Option<Tally>> = (start..chunks.min(start + window)).into_par_iter().map(run_chunk).collect();
        if cancelled.load(Ordering::Relaxed) {
            return Err(ScoringError::Cancelled);
        }
        for tally in tallies.iter().flatten() {
            total.merge(tally);
        }
    }

    let samples = run.samples as f64;
    let vendors = id_order
        .id_order()
        .iter()
        .enumerate()
        .map(|(p, &vendor)| {
            let counts = &total.counts[p * k..(p + 1) * k];
            let central = &total.central[p * d..(p + 1) * d];
            Acceptability {
                vendor_id: criteria.ids[vendor as usize].clone(),
                acceptability: counts.iter().map(|&c| c as f64 / samples).collect(),
                central_weights: (counts[0] > 0).then(|| central.iter().map(|sum| sum / counts[0] as f64).collect()),
                holistic: if n == 1 { 1.0 } else { total.rank_sum[p] as f64 / (samples * (n - 1) as f64) },
            }
        })
        .collect();
    Ok((k, vendors))
}

/// The criteria laid out for scoring many weight vectors: vendors in id order (the ranker's order),
/// criterion-major (`values[j * n + p]`, so each criterion is one contiguous column and a sample's
/// scores are d vectorised passes), logs for weighted_product, and `keep[p] = 1 − mitigation`.
///
/// Each score is computed with exactly the operations of `methods::scores`, in the same order —
/// `Σ_j w_j·x_j` from 0 in criterion order, then `100·Σ·(1 − m)` (or `100·exp(Σ)·(1 − m)`) — so
/// SMAA ranks exactly as the ranking does.
struct Columns {
    n: usize,
    d: usize,
    values: Vec<f64>,
    keep: Vec<f64>,
    product: bool,
}

impl Columns {
    fn new(criteria: &Criteria, id_order: &[u32], method: Method) -> Columns {
        let (n, d) = (criteria.ids.len(), criteria.criteria);
        let product = method == Method::WeightedProduct;
        let source = if product { product_logs(criteria.x) } else { criteria.x.to_vec() };
        let mut values = vec![0.0; n * d];
        for (p, &vendor) in id_order.iter().enumerate() {
            for (j, &value) in source[vendor as usize * d..(vendor as usize + 1) * d].iter().enumerate() {
                values[j * n + p] = value;
            }
        }
        let keep = id_order.iter().map(|&vendor| 1.0 - criteria.mitigation[vendor as usize]).collect();
        Columns { n, d, values, keep, product }
    }

    fn scores_into(&self, w: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (j, &weight) in w.iter().enumerate().take(self.d) {
            for (score, value) in out.iter_mut().zip(&self.values[j * self.n..(j + 1) * self.n]) {
                *score += weight * value;
            }
        }
        if self.product {
            for (score, keep) in out.iter_mut().zip(&self.keep) {
                *score = 100.0 * score.exp() * keep;
            }
        } else {
            for (score, keep) in out.iter_mut().zip(&self.keep) {
                *score = 100.0 * *score * keep;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i:02}")).collect()
    }

    /// A fixed, irregular 8-factor matrix with no ties by construction.
    fn sample_matrix(n: usize) -> (Vec<String>, Vec<f64>, Vec<f64>) {
        let x = (0..n * 8).map(|i| ((i * 7919 + 13) % 997) as f64 / 996.0).collect();
        let mitigation = (0..n).map(|i| [0.0, 0.1, 0.2, 0.3][i % 4]).collect();
        (ids(n), x, mitigation)
    }

    fn two_criteria_run(samples: usize, seed: u64) -> Vec<Acceptability> {
        let ids = vec!["first".to_string(), "second".to_string()];
        let criteria = Criteria { ids: &ids, x: &[1.0, 0.0, 0.0, 1.0], mitigation: &[0.0, 0.0], criteria: 2 };
        let run = Run { method: Method::WeightedSum, samples, seed, ranks_k: None };
        run_smaa(&criteria, &WeightSampler::Uniform, &run, &|_| true).unwrap().1
    }

    #[test]
    fn two_opposite_vendors_split_rank_one_evenly_with_known_central_weights() {
        // x = (1, 0) and (0, 1) under Dirichlet(1, 1): w_a ~ U(0, 1), the first vendor leads iff
        // w_a > 1/2, so b1 = 1/2 each and its central weights are E[w | w_a > 1/2] = (3/4, 1/4).
        let vendors = two_criteria_run(100_000, 0);
        let expected = [("first", [0.75, 0.25]), ("second", [0.25, 0.75])];
        for (vendor, (id, central)) in vendors.iter().zip(expected) {
            assert_eq!(vendor.vendor_id, id, "vendors are listed by id");
            assert!((vendor.acceptability[0] - 0.5).abs() < 0.01, "{id}: b1 should be 0.5 ± 0.01");
            let got = vendor.central_weights.as_ref().expect("each vendor leads in about half the samples");
            for ((name, value), want) in ["a", "b"].iter().zip(got).zip(central) {
                assert!((value - want).abs() < 0.01, "{id}: central weight {name} should be {want} ± 0.01, got {value}");
            }
            assert!((vendor.holistic - 0.5).abs() < 0.01, "{id}: holistic = b1·1 + b2·0 ≈ 0.5");
        }
    }

    #[test]
    fn the_same_seed_gives_identical_results() {
        let (ids, x, mitigation) = sample_matrix(12);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised(super::super::preset("default").unwrap().to_array()).unwrap();
        for method in [Method::WeightedSum, Method::WeightedProduct] {
            for mode in [SmaaMode::Uniform, SmaaMode::Around { kappa: 50.0 }] {
                let a = smaa(&m, &w, method, 3000, 42, mode, None).unwrap();
                let b = smaa(&m, &w, method, 3000, 42, mode, None).unwrap();
                assert_eq!(a, b, "{} {}: a seed makes a run reproducible", method.as_str(), mode.as_str());
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let (ids, x, mitigation) = sample_matrix(9);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        let run = || smaa(&m, &w, Method::WeightedProduct, 5 * CHUNK + 7, 3, SmaaMode::Around { kappa: 20.0 }, None);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(run).unwrap();
        let three = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap().install(run).unwrap();
        assert_eq!(one, three, "chunks have their own RNG streams and merge in chunk order");
    }

    #[test]
    fn different_seeds_agree_within_the_spec_tolerance() {
        let (ids, x, mitigation) = sample_matrix(6);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised(super::super::preset("default").unwrap().to_array()).unwrap();
        for mode in [SmaaMode::Uniform, SmaaMode::Around { kappa: 5.0 }] {
            let a = smaa(&m, &w, Method::WeightedSum, 100_000, 1, mode, None).unwrap();
            let b = smaa(&m, &w, Method::WeightedSum, 100_000, 2, mode, None).unwrap();
            assert_ne!(a, b, "different seeds draw different samples");
            for (va, vb) in a.vendors.iter().zip(&b.vendors) {
                for (ba, bb) in va.acceptability.iter().zip(&vb.acceptability) {
                    assert!((ba - bb).abs() <= 0.01, "{}: b differs by more than 0.01 across seeds", va.vendor_id);
                }
                assert!((va.holistic - vb.holistic).abs() <= 0.01, "{}: holistic within 0.01", va.vendor_id);
                if va.acceptability[0] >= 0.05 {
                    for (ca, cb) in va.central_weights.as_ref().unwrap().values().zip(vb.central_weights.as_ref().unwrap().values()) {
                        assert!((ca - cb).abs() <= 0.01, "{}: central weights within 0.01 when b1 ≥ 0.05", va.vendor_id);
                    }
                }
            }
        }
    }

    #[test]
    fn every_vendor_row_and_every_rank_column_sums_to_one() {
        let (ids, x, mitigation) = sample_matrix(7);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        let result = smaa(&m, &w, Method::WeightedSum, 2000, 9, SmaaMode::Uniform, Some(7)).unwrap();
        for vendor in &result.vendors {
            let total: f64 = vendor.acceptability.iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "{}: every sample gives it exactly one rank", vendor.vendor_id);
        }
        for r in 0..7 {
            let total: f64 = result.vendors.iter().map(|v| v.acceptability[r]).sum();
            assert!((total - 1.0).abs() < 1e-12, "rank {} is held by exactly one vendor per sample", r + 1);
        }
        let mean_holistic = result.vendors.iter().map(|v| v.holistic).sum::<f64>() / 7.0;
        assert!((mean_holistic - 0.5).abs() < 1e-12, "holistic averages (n − r)/(n − 1) over all ranks: 1/2");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn every_smaa_row_sums_to_one_over_all_ranks(
            n in 1usize..7,
            seed in any::<u64>(),
            product in any::<bool>(),
            kappa in prop::option::of(0.5..200.0f64),
            grid in prop::collection::vec(prop::sample::select(vec![0.0, 0.5, 1.0]), 48),
        ) {
            // A coarse grid of factor values makes exact ties (broken by id) common.
            let ids = ids(n);
            let x = &grid[..n * 8];
            let mitigation = vec![0.0; n];
            let m = Matrix::new(&ids, x, &mitigation).unwrap();
            let w = Weights::normalised(super::super::preset("default").unwrap().to_array()).unwrap();
            let method = if product { Method::WeightedProduct } else { Method::WeightedSum };
            let mode = kappa.map_or(SmaaMode::Uniform, |kappa| SmaaMode::Around { kappa });
            let result = smaa(&m, &w, method, 200, seed, mode, Some(n)).unwrap();
            for vendor in &result.vendors {
                let total: f64 = vendor.acceptability.iter().sum();
                prop_assert!((total - 1.0).abs() < 1e-12, "{}: shares over all ranks sum to {total}", vendor.vendor_id);
                prop_assert!((0.0..=1.0).contains(&vendor.holistic), "holistic is a weighted mean of values in [0, 1]");
            }
        }
    }

    #[test]
    fn k_defaults_to_n_up_to_100_vendors_then_10_and_is_capped_at_n() {
        let w = Weights::normalised([1.0; 8]).unwrap();
        for (n, asked, expected) in [(3, None, 3), (100, None, 100), (101, None, 10), (5, Some(50), 5), (101, Some(2), 2)] {
            let (ids, x, mitigation) = sample_matrix(n);
            let m = Matrix::new(&ids, &x, &mitigation).unwrap();
            let result = smaa(&m, &w, Method::WeightedSum, 10, 0, SmaaMode::Uniform, asked).unwrap();
            assert_eq!(result.ranks, expected, "n = {n}, --ranks {asked:?}");
            assert!(result.vendors.iter().all(|v| v.acceptability.len() == expected), "every row lists K ranks");
        }
    }

    #[test]
    fn a_lone_vendor_is_always_first_with_holistic_one() {
        let (ids, x, mitigation) = sample_matrix(1);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        let result = smaa(&m, &w, Method::WeightedSum, 100, 0, SmaaMode::Uniform, None).unwrap();
        assert_eq!(result.vendors[0].acceptability, vec![1.0], "the only vendor always has rank 1");
        assert_eq!(result.vendors[0].holistic, 1.0, "the spec defines holistic as 1 when n = 1");
    }

    #[test]
    fn around_mode_keeps_zero_weights_at_zero_and_centres_on_the_scenario() {
        // bod-17-01 weighs ties, jurisdiction and privilege only: α = 1e-9 elsewhere, so those
        // weights are ~0 in every sample, and the leader's central weights stay on the three grounds.
        let (ids, x, mitigation) = sample_matrix(5);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised(super::super::preset("bod-17-01").unwrap().to_array()).unwrap();
        let result = smaa(&m, &w, Method::WeightedSum, 4000, 5, SmaaMode::Around { kappa: 50.0 }, None).unwrap();
        for vendor in &result.vendors {
            if let Some(central) = &vendor.central_weights {
                let grounds = [Factor::Ties, Factor::Jurisdiction, Factor::Privilege];
                let off_grounds: f64 = central.iter().filter(|(factor, _)| !grounds.contains(factor)).map(|(_, v)| v).sum();
                assert!(off_grounds < 1e-6, "{}: unweighted factors get (almost) no weight", vendor.vendor_id);
                let sum: f64 = central.values().sum();
                assert!((sum - 1.0).abs() < 1e-9, "central weights are a mean of points on the simplex");
            }
        }
    }

    #[test]
    fn a_tiny_kappa_still_draws_valid_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let sampler = WeightSampler::dirichlet([1e-7, 1e-7, 1e-9]);
        let mut w = [0.0; 3];
        for _ in 0..1000 {
            sampler.sample(&mut rng, &mut w);
            let sum: f64 = w.iter().sum();
            assert!(w.iter().all(|v| v.is_finite() && *v >= 0.0) && (sum - 1.0).abs() < 1e-12, "weights {w:?} must be on the simplex");
        }
    }

    #[test]
    fn dirichlet_draws_have_the_right_mean() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let sampler = WeightSampler::dirichlet([0.5, 1.5, 3.0]);
        let mut w = [0.0; 3];
        let mut mean = [0.0; 3];
        let draws = 200_000;
        for _ in 0..draws {
            sampler.sample(&mut rng, &mut w);
            for (m, v) in mean.iter_mut().zip(w) {
                *m += v / draws as f64;
            }
        }
        for (got, want) in mean.iter().zip([0.1, 0.3, 0.6]) {
            assert!((got - want).abs() < 0.005, "Dirichlet mean is α/Σα = {want}, sampled {got}");
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        let (ids, x, mitigation) = sample_matrix(3);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        let run = |method, samples, mode, k| smaa(&m, &w, method, samples, 0, mode, k);
        assert_eq!(run(Method::Topsis, 10, SmaaMode::Uniform, None), Err(ScoringError::TopsisSmaa), "topsis is relative");
        assert_eq!(run(Method::WeightedSum, 0, SmaaMode::Uniform, None), Err(ScoringError::ZeroSamples));
        assert_eq!(run(Method::WeightedSum, 10, SmaaMode::Uniform, Some(0)), Err(ScoringError::ZeroRanks), "--ranks 0");
        for kappa in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(run(Method::WeightedSum, 10, SmaaMode::Around { kappa }, None), Err(ScoringError::BadKappa(_))),
                "kappa {kappa} is not > 0 and finite"
            );
        }
    }

    #[test]
    fn a_cancelled_run_reports_cancelled_and_progress_reaches_the_sample_count() {
        let (ids, x, mitigation) = sample_matrix(4);
        let m = Matrix::new(&ids, &x, &mitigation).unwrap();
        let w = Weights::normalised([1.0; 8]).unwrap();
        let seen = AtomicUsize::new(0);
        let samples = 3 * CHUNK + 5;
        let full = smaa_with_progress(&m, &w, Method::WeightedSum, samples, 0, SmaaMode::Uniform, None, &|done| {
            seen.fetch_max(done, Ordering::Relaxed);
            true
        });
        assert!(full.is_ok(), "a hook that never says stop lets the run finish");
        assert_eq!(seen.load(Ordering::Relaxed), samples, "progress ends at the number of samples");
        let cancelled = smaa_with_progress(&m, &w, Method::WeightedSum, samples, 0, SmaaMode::Uniform, None, &|done| done < 100);
        assert_eq!(cancelled, Err(ScoringError::Cancelled), "returning false from the hook cancels the run");
    }
}
