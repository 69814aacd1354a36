//! The share-sum rule: on every date, the active incoming equity shares of an entity sum to at most
//! 1 + 1e-6. Used by the importer (to find the row where the running sum first exceeds it) and by
//! the store's integrity check (after an import or an undo).

/// Tolerance of the share-sum rule (risk-model.md, "The entity graph").
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// One incoming equity stake with its validity window (`None` = open-ended).
#[derive(Debug, Clone, Copy)]
pub struct Stake<'a> {
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub share: f64,
}

impl Stake<'_> {
    /// Whether the stake is in force on `date`; `None` stands for a date before every other.
    pub fn active_on(&self, date: Option<&str>) -> bool {
        let started = match (self.since, date) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(since), Some(date)) => since <= date,
        };
        let not_ended = match (self.until, date) {
            (None, _) | (_, None) => true,
            (Some(until), Some(date)) => until >= date,
        };
        started && not_ended
    }
}

/// The largest total of stakes in force on one date, and that date (`None`: from the beginning),
/// considering only dates on which `within` is in force. Sums change only where a stake starts,
/// so those dates are the only candidates.
pub fn peak_within(stakes: &[Stake<'_>], within: &Stake<'_>) -> (f64, Option<String>) {
    let candidates =
        std::iter::once(within.since).chain(stakes.iter().filter_map(|s| s.since).map(Some)).filter(|date| within.active_on(*date));
    let mut best = (f64::NEG_INFINITY, None);
    for date in candidates {
        let total: f64 = stakes.iter().filter(|s| s.active_on(date)).map(|s| s.share).sum();
        if total > best.0 {
            best = (total, date.map(str::to_string));
        }
    }
    best
}

/// The largest total of stakes in force on any one date, and that date.
pub fn peak(stakes: &[Stake<'_>]) -> (f64, Option<String>) {
    let always = Stake { since: None, until: None, share: 0.0 };
    peak_within(stakes, &always)
}

pub fn exceeds(total: f64) -> bool {
    total > 1.0 + SHARE_SUM_TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stake(since: Option<&'static str>, until: Option<&'static str>, share: f64) -> Stake<'static> {
        Stake { since, until, share }
    }

    #[test]
    fn a_handover_on_consecutive_days_never_overlaps() {
        let stakes = [stake(None, Some("2020-06-30"), 0.8), stake(Some("2020-07-01"), None, 0.8)];
        let (total, _) = peak(&stakes);
        assert!(!exceeds(total), "the two stakes are never in force together: {total}");
    }

    #[test]
    fn an_overlap_of_one_day_is_found_on_that_day() {
        let stakes = [stake(None, Some("2020-07-01"), 0.8), stake(Some("2020-07-01"), None, 0.8)];
        let (total, date) = peak(&stakes);
        assert!(exceeds(total));
        assert_eq!(date.as_deref(), Some("2020-07-01"));
    }

    #[test]
    fn rounding_within_the_tolerance_is_accepted() {
        let stakes = [stake(None, None, 0.1); 10];
        assert!(!exceeds(peak(&stakes).0), "ten tenths sum to 1 within the tolerance");
        let stakes = [stake(None, None, 0.5), stake(None, None, 0.500002)];
        assert!(exceeds(peak(&stakes).0));
    }
}
