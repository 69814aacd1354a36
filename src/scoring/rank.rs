//! Ranks and bands. The spec compares scores rounded to 9 decimals so that two vendors whose scores
//! differ only by floating-point noise tie, and breaks ties by `vendor_id` in byte order so that every
//! run — and every SMAA sample — orders vendors the same way.

use std::cmp::Reverse;

use serde::Serialize;

/// `x` rounded to 9 decimals (half away from zero), the precision at which ranks and bands compare.
pub fn round9(x: f64) -> f64 {
    round_half_away(x * 1e9) / 1e9
}

/// Rank of each vendor, 1 = riskiest: higher rounded score first, equal rounded scores by `vendor_id`
/// in byte order (the smaller id gets the lower number), so every vendor gets a distinct rank.
///
/// Duplicate ids (which a store never holds) fall back to input order, so the result stays a
/// permutation of 1..=n.
pub fn ranks(ids: &[String], scores: &[f64]) -> Vec<usize> {
    let order = risk_order(ids, scores);
    let mut ranks = vec![0; order.len()];
    for (position, &vendor) in order.iter().enumerate() {
        ranks[vendor] = position + 1;
    }
    ranks
}

/// The four bands, decided on the rounded score: low < 25 ≤ moderate < 50 ≤ high < 75 ≤ severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Low,
    Moderate,
    High,
    Severe,
}

impl Band {
    /// Band of a final score; rounds to 9 decimals first, as the spec says bands do.
    pub fn of(score: f64) -> Band {
        let score = round9(score);
        if score < 25.0 {
            Band::Low
        } else if score < 50.0 {
            Band::Moderate
        } else if score < 75.0 {
            Band::High
        } else {
            Band::Severe
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Moderate => "moderate",
            Band::High => "high",
            Band::Severe => "severe",
        }
    }
}

/// Exactly `f64::round`, without its libm call (on the baseline x86-64 target `round` is one),
/// because ranking calls it once per vendor on every re-score. Below 2^52 the integer part converts
/// exactly and `v − trunc(v)` is exact, so the comparison with 0.5 decides as `round` does.
#[inline]
fn round_half_away(v: f64) -> f64 {
    if v.is_nan() || v.abs() >= TWO_POW_52 {
        return v; // already an integer, ±∞ or NaN
    }
    let truncated = v as i64 as f64;
    let fraction = v - truncated;
    // Branch-free, as the fraction is a coin flip for real scores; `copysign` keeps round(−0.3) = −0.0.
    (truncated + f64::from(i8::from(fraction >= 0.5) - i8::from(fraction <= -0.5))).copysign(v)
}

const TWO_POW_52: f64 = 4_503_599_627_370_496.0;

/// [`round_half_away`] for `0 ≤ v < 2^52` as an integer, in a handful of instructions: the ranker
/// calls it once per vendor per SMAA sample.
#[inline]
fn round_packed(v: f64) -> u64 {
    let truncated = v as i64;
    // Wrapping only matters outside [0, 2^52), where the caller throws the result away.
    truncated.wrapping_add(i64::from(v - truncated as f64 >= 0.5)) as u64
}

/// Vendor indices riskiest first, by the rank rule. Each rounded score is packed with the vendor's
/// index into one integer and sorted as such; only runs of tied rounded scores (rare) are then
/// re-sorted by id, so one-shot ranking never sorts the ids of every vendor.
pub fn risk_order(ids: &[String], scores: &[f64]) -> Vec<usize> {
    assert_eq!(ids.len(), scores.len(), "one score per vendor id");
    let n = scores.len();
    let index_bits = bits_for(n);
    let mut packed = Vec::with_capacity(n);
    // `tie_keys[p]` is equal for neighbours exactly when their rounded scores are equal.
    let (mut order, tie_keys): (Vec<usize>, Vec<u64>) = if let Some((lo, hi)) = pack_keys(scores, 0..n as u64, index_bits, &mut packed) {
        BucketSort::default().sort_within(&mut packed, lo, hi);
        let mask = (1u64 << index_bits) - 1;
        packed.iter().map(|key| ((key & mask) as usize, key >> index_bits)).unzip()
    } else {
        let mut keyed: Vec<(Reverse<u64>, usize)> = scores.iter().enumerate().map(|(i, &score)| (Reverse(score_key(score)), i)).collect();
        keyed.sort_unstable();
        keyed.iter().map(|&(Reverse(key), i)| (i, key)).unzip()
    };
    let mut start = 0;
    while start < n {
        let end = start + tie_keys[start..].iter().take_while(|&&key| key == tie_keys[start]).count();
        if end - start > 1 {
            order[start..end].sort_unstable_by(|&a, &b| ids[a].as_bytes().cmp(ids[b].as_bytes()).then(a.cmp(&b)));
        }
        start = end;
    }
    order
}

/// Rank (1-based) of vendor `v` alone: one pass counting the vendors ahead of it, the same rule as
/// [`risk_order`] without sorting everyone.
pub(super) fn rank_of(ids: &[String], scores: &[f64], v: usize) -> usize {
    let keys: Vec<u64> = scores.iter().map(|&s| score_key(s)).collect();
    1 + (0..scores.len()).filter(|&u| u != v && precedes(ids, &keys, u, v)).count()
}

/// Whether vendor `a` is ranked ahead of vendor `b`, given [`score_key`]s.
pub(super) fn precedes(ids: &[String], keys: &[u64], a: usize, b: usize) -> bool {
    keys[a].cmp(&keys[b]).reverse().then_with(|| ids[a].as_bytes().cmp(ids[b].as_bytes())).then(a.cmp(&b)).is_lt()
}

/// An integer that orders like the rounded score (`f64::total_cmp` order of `round9(score)`), so
/// equal keys are exactly equal rounded scores.
pub(super) fn score_key(score: f64) -> u64 {
    // `+ 0.0` turns -0.0 into 0.0, which compare equal as numbers and so must tie.
    let bits = (round9(score) + 0.0).to_bits();
    // Flip negatives entirely and set the sign bit of positives: the usual total-order trick.
    if bits >> 63 == 1 { !bits } else { bits | 1 << 63 }
}

/// Ranking reused across many score vectors over the same vendors (SMAA's samples). The vendors are
/// taken in `vendor_id` byte order once, and each score vector is given in that order, so a vendor's
/// position is its tie-break: each ranking is a single integer sort with no string comparison, no
/// lookup and no allocation.
#[derive(Clone)]
pub(super) struct Ranker {
    /// `by_id[p]` = vendor index of the p-th id in byte order.
    by_id: Vec<u32>,
    id_bits: u32,
    packed: Vec<u64>,
    sorter: BucketSort,
    keyed: Vec<(Reverse<u64>, u32)>,
    order: Vec<u32>,
}

/// Scores are packed as `round(score * 1e9)`, which for [0, 128] needs 37 bits; the other 27 hold a
/// tag (index or id position). Outside that range, or with more than 2^27 vendors, callers fall
/// back to sorting `(score_key, tag)` pairs, with the same result.
const PACKED_SCORE_BITS: u32 = 37;
const PACKED_MAX_SCORE: f64 = 128.0;

/// Fills `out` with one key per score such that ascending keys mean descending rounded score, then
/// ascending tag, and returns the smallest and largest key; `None` (leaving `out` unspecified) when
/// the packed form does not apply. One pass: the range check, the packing and the bounds together.
fn pack_keys(scores: &[f64], tags: impl Iterator<Item = u64>, tag_bits: u32, out: &mut Vec<u64>) -> Option<(u64, u64)> {
    if tag_bits + PACKED_SCORE_BITS > 64 {
        return None;
    }
    let top = (1u64 << PACKED_SCORE_BITS) - 1;
    out.clear();
    let (mut in_range, mut lo, mut hi) = (true, u64::MAX, 0);
    // `round_packed` is `round9`'s rounding, and dividing distinct integers below 2^37 by 1e9 gives
    // distinct doubles, so equal packed scores ⇔ equal rounded scores. Out-of-range scores (NaN
    // included) pack to garbage, which is thrown away.
    out.extend(scores.iter().zip(tags).map(|(&score, tag)| {
        in_range &= (0.0..=PACKED_MAX_SCORE).contains(&score);
        let key = (top.wrapping_sub(round_packed(score * 1e9)) << tag_bits) | tag;
        lo = lo.min(key);
        hi = hi.max(key);
        key
    }));
    in_range.then_some((lo, hi))
}

/// Bits needed to tell `n` items apart.
fn bits_for(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

impl Ranker {
    pub(super) fn new(ids: &[String]) -> Ranker {
        assert!(ids.len() <= u32::MAX as usize, "more vendors than a ranker can index");
        let mut by_id: Vec<u32> = (0..ids.len() as u32).collect();
        by_id.sort_by(|&a, &b| ids[a as usize].as_bytes().cmp(ids[b as usize].as_bytes()).then(a.cmp(&b)));
        Ranker {
            by_id,
            id_bits: bits_for(ids.len()),
            packed: Vec::with_capacity(ids.len()),
            sorter: BucketSort::default(),
            keyed: Vec::new(),
            order: Vec::with_capacity(ids.len()),
        }
    }

    /// Vendor indices in `vendor_id` byte order: the order [`Ranker::positions`] takes scores in.
    pub(super) fn id_order(&self) -> &[u32] {
        &self.by_id
    }

    /// Id positions riskiest first, for scores given in id order (`scores[p]` is the score of the
    /// vendor `id_order()[p]`): the rank rule, exactly as [`risk_order`] applies it.
    pub(super) fn positions(&mut self, scores: &[f64]) -> &[u32] {
        debug_assert_eq!(scores.len(), self.by_id.len());
        self.order.clear();
        if let Some((lo, hi)) = pack_keys(scores, 0..scores.len() as u64, self.id_bits, &mut self.packed) {
            self.sorter.sort_within(&mut self.packed, lo, hi);
            let mask = (1u64 << self.id_bits) - 1;
            self.order.extend(self.packed.iter().map(|key| (key & mask) as u32));
        } else {
            self.keyed.clear();
            self.keyed.extend(scores.iter().enumerate().map(|(p, &score)| (Reverse(score_key(score)), p as u32)));
            self.keyed.sort_unstable();
            self.order.extend(self.keyed.iter().map(|&(_, p)| p));
        }
        &self.order
    }

    /// Vendor indices riskiest first for scores given by vendor index; the same order as
    /// [`risk_order`]. (For tests: SMAA works in id order throughout.)
    #[cfg(test)]
    fn order(&mut self, scores: &[f64]) -> Vec<u32> {
        let in_id_order: Vec<f64> = self.by_id.iter().map(|&v| scores[v as usize]).collect();
        let by_id = self.by_id.clone();
        self.positions(&in_id_order).iter().map(|&p| by_id[p as usize]).collect()
    }
}

/// Sorts u64 keys by a counting pass on their leading bits, then one insertion-sort pass: for SMAA's
/// per-sample ranking of 1,000 packed scores it is a few microseconds, a fraction of `sort_unstable`.
///
/// The scatter is stable, so keys of one bucket keep their input order; ranking keys carry their tag
/// (position or index, rising with input order) in the low bits, so a bucket of equal scores — many
/// vendors with identical factors, common in real stores — comes out already sorted. A bucket larger
/// than [`MAX_BUCKET`] that is not in order is sorted on its own, so the insertion pass stays linear
/// whatever the distribution.
#[derive(Clone, Default)]
struct BucketSort {
    scratch: Vec<u64>,
    /// Per bucket: its size, then its end, then (after the scatter) its start.
    ends: Vec<u32>,
    /// `(start, len)` of the buckets above [`MAX_BUCKET`].
    large: Vec<(u32, u32)>,
}

impl BucketSort {
    #[cfg(test)]
    fn sort(&mut self, keys: &mut Vec<u64>) {
        let (lo, hi) = keys.iter().fold((u64::MAX, 0), |(lo, hi), &key| (lo.min(key), hi.max(key)));
        self.sort_within(keys, lo, hi);
    }

    /// [`BucketSort::sort`] for keys known to lie in `[lo, hi]`.
    fn sort_within(&mut self, keys: &mut Vec<u64>, lo: u64, hi: u64) {
        let n = keys.len();
        if n < 64 || n > u32::MAX as usize {
            keys.sort_unstable();
            return;
        }
        debug_assert!(keys.iter().all(|key| (lo..=hi).contains(key)));
        // About BUCKETS_PER_KEY·n buckets, so most hold 0 or 1 key, indexed by the top bits of the
        // offset from the smallest key, so the bucket index is monotone in the key.
        let bucket_bits = (BUCKETS_PER_KEY * n).next_power_of_two().trailing_zeros();
        let shift = (u64::BITS - (hi - lo).leading_zeros()).saturating_sub(bucket_bits);
        let bucket = |key: u64| ((key - lo) >> shift) as usize;
        self.ends.clear();
        self.ends.resize(1 << bucket_bits, 0);
        for &key in keys.iter() {
            self.ends[bucket(key)] += 1;
        }
        self.large.clear();
        let mut end = 0;
        for slot in self.ends.iter_mut() {
            if *slot > MAX_BUCKET {
                self.large.push((end, *slot));
            }
            end += *slot;
            *slot = end;
        }
        self.scratch.clear();
        self.scratch.resize(n, 0);
        let (scratch, ends) = (&mut self.scratch[..], &mut self.ends[..]);
        // Backwards with falling slots: stable.
        for &key in keys.iter().rev() {
            let slot = &mut ends[bucket(key)];
            *slot -= 1;
            scratch[*slot as usize] = key;
        }
        for &(start, len) in &self.large {
            let run = &mut scratch[start as usize..(start + len) as usize];
            if !run.is_sorted() {
                run.sort_unstable();
            }
        }
        // Keys are now out of order only within their (small) bucket: one insertion-sort pass over
        // the whole array finishes the job with predictable branches, cheaper than a sort per bucket.
        for i in 1..n {
            let key = scratch[i];
            let mut j = i;
            while j > 0 && scratch[j - 1] > key {
                scratch[j] = scratch[j - 1];
                j -= 1;
            }
            scratch[j] = key;
        }
        std::mem::swap(keys, &mut self.scratch);
    }
}

/// Buckets per key (rounded up to a power of two): fewer make the insertion pass longer, more make
/// the counting and prefix passes longer; 2 is fastest for SMAA's 1,000 keys.
const BUCKETS_PER_KEY: usize = 2;

/// Above this many keys, a bucket out of order is sorted on its own before the insertion pass.
const MAX_BUCKET: u32 = 16;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn round9_rounds_half_away_from_zero_at_the_ninth_decimal() {
        assert_eq!(round9(1.0000000004), 1.0, "the tenth decimal 4 rounds down");
        assert_eq!(round9(1.0000000006), 1.000000001, "the tenth decimal 6 rounds up");
        assert_eq!(round9(24.9999999999), 25.0, "a score 1e-10 under 25 rounds to 25");
    }

    #[test]
    fn fast_rounding_agrees_with_f64_round_on_every_edge() {
        let edges = [
            0.0,
            -0.0,
            0.3,
            -0.3,
            0.5,
            -0.5,
            0.49999999999999994,
            1.5,
            2.5,
            -2.5,
            24_999_999_999.5,
            99_999_999_999.499_98,
            127_999_999_999.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            1e300,
            f64::INFINITY,
        ];
        for v in edges {
            assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "round_half_away({v}) must be f64::round");
            if (0.0..TWO_POW_52).contains(&v) {
                assert_eq!(round_packed(v), v.round() as u64, "round_packed({v}) must be f64::round");
            }
        }
        assert!(round_half_away(f64::NAN).is_nan(), "NaN stays NaN");
    }

    #[test]
    fn bands_change_exactly_at_25_50_75_on_the_rounded_score() {
        let cases = [
            (0.0, Band::Low),
            (24.999999999, Band::Low),
            (24.9999999994, Band::Low),
            (24.9999999999, Band::Moderate),
            (25.0, Band::Moderate),
            (49.999999999, Band::Moderate),
            (49.9999999999, Band::High),
            (50.0, Band::High),
            (74.999999999, Band::High),
            (75.0, Band::Severe),
            (100.0, Band::Severe),
        ];
        for (score, band) in cases {
            assert_eq!(Band::of(score), band, "score {score} rounds to {} and so is {band:?}", round9(score));
        }
        assert_eq!(Band::Moderate.as_str(), "moderate");
    }

    #[test]
    fn ranks_put_the_highest_score_first() {
        let ids = ids(&["a", "b", "c"]);
        assert_eq!(ranks(&ids, &[10.0, 30.0, 20.0]), vec![3, 1, 2], "rank 1 is the riskiest vendor");
    }

    #[test]
    fn rank_ties_on_the_rounded_score_go_to_the_smaller_id() {
        let ids = ids(&["zeta", "alpha", "Mid", "beta"]);
        // 50.0000000001 and 50 round to the same 9-decimal score, so they tie; "alpha" < "zeta".
        let scores = [50.0000000001, 50.0, 10.0, 50.0];
        assert_eq!(ranks(&ids, &scores), vec![3, 1, 4, 2], "tied rounded scores are ordered by vendor_id byte order: alpha, beta, zeta");
        let ids = self::ids(&["b", "B"]);
        assert_eq!(ranks(&ids, &[1.0, 1.0]), vec![2, 1], "byte order puts upper case 'B' before 'b'");
    }

    #[test]
    fn ranks_are_distinct_even_with_duplicate_ids() {
        let ids = ids(&["x", "x"]);
        assert_eq!(ranks(&ids, &[5.0, 5.0]), vec![1, 2], "duplicate ids still get distinct ranks");
    }

    #[test]
    fn ranker_falls_back_outside_the_packed_range_with_the_same_order() {
        let ids = ids(&["c", "a", "b", "d"]);
        let scores = [200.0, -1.0, 200.0, 3.0];
        let mut ranker = Ranker::new(&ids);
        let order: Vec<usize> = ranker.order(&scores).into_iter().map(|i| i as usize).collect();
        assert_eq!(order, risk_order(&ids, &scores), "both paths implement the same rank rule");
        assert_eq!(order, vec![2, 0, 3, 1], "b and c tie at 200 and b's id is smaller");
    }

    /// The rank rule written as plainly as possible, to check the packed and bucketed versions.
    fn naive_order(ids: &[String], scores: &[f64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| {
            round9(scores[b])
                .partial_cmp(&round9(scores[a]))
                .unwrap()
                .then_with(|| ids[a].as_bytes().cmp(ids[b].as_bytes()))
                .then(a.cmp(&b))
        });
        order
    }

    #[test]
    fn thousands_of_tied_scores_rank_by_id_on_every_path() {
        // Real stores hold many vendors with identical factors: big buckets of equal scores.
        let n = 3000;
        let ids: Vec<String> = (0..n).map(|i| format!("v{}", (i * 7919) % n)).collect();
        let scores: Vec<f64> = (0..n).map(|i| [12.5, 40.0, 40.0000000001, 77.25][i % 4 * (i % 3) % 4]).collect();
        let expected = naive_order(&ids, &scores);
        assert_eq!(risk_order(&ids, &scores), expected, "one-shot ranking");
        let fast: Vec<usize> = Ranker::new(&ids).order(&scores).into_iter().map(|i| i as usize).collect();
        assert_eq!(fast, expected, "SMAA's ranker");
    }

    proptest! {
        #[test]
        fn risk_order_is_the_rank_rule(
            scores in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![0.0, 25.0, 25.0000000004, 24.9999999996, 100.0]),
                    0.0..=100.0,
                    -5.0..300.0,
                ],
                0..300,
            ),
            id_seed in 0usize..1000,
        ) {
            // Ids repeat (97 values) and their byte order ("10" < "9") differs from index order.
            let ids: Vec<String> = (0..scores.len()).map(|i| format!("{}", (i * 31 + id_seed) % 97)).collect();
            prop_assert_eq!(risk_order(&ids, &scores), naive_order(&ids, &scores), "packed ranking must follow the rule");
            let mut ranker = Ranker::new(&ids);
            let fast: Vec<usize> = ranker.order(&scores).into_iter().map(|i| i as usize).collect();
            prop_assert_eq!(fast, naive_order(&ids, &scores), "SMAA's ranker must follow the rule too");
        }

        #[test]
        fn fast_rounding_agrees_with_f64_round(v in prop_oneof![-1e12..1e12f64, 0.0..128e9f64, any::<f64>()]) {
            prop_assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "round_half_away is f64::round");
            if (0.0..TWO_POW_52).contains(&v) {
                prop_assert_eq!(round_packed(v), v.round() as u64, "round_packed is f64::round");
            }
        }

        #[test]
        fn bucket_sort_sorts_like_sort_unstable(
            keys in prop_oneof![
                prop::collection::vec(any::<u64>(), 0..400),
                prop::collection::vec(0u64..50, 0..400),
                prop::collection::vec(0u64..5_000, 0..400),
                prop::collection::vec(prop_oneof![1_000u64..1_100, Just(u64::MAX), Just(0)], 0..400),
            ],
        ) {
            let mut expected = keys.clone();
            expected.sort_unstable();
            let mut got = keys;
            BucketSort::default().sort(&mut got);
            prop_assert_eq!(got, expected, "a sort must sort, whatever the key distribution");
        }
    }
}
