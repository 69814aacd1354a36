//! Behaviour tests of `compute` against risk-model.md v1.2, one behaviour each.

use super::testkit::{Case, date};
use super::{Evidence, Factor, MissingPolicy};

const EPS: f64 = 1e-12;

fn close(actual: f64, expected: f64, why: &str) {
    assert!((actual - expected).abs() <= EPS, "{why}: got {actual}, expected {expected}");
}

// ---------------------------------------------------------------- ownership

#[test]
fn ownership_multiplies_down_a_chain() {
    let r = Case::new().state("S", "CN").company("A", "US").vendor("v", "US").equity("S", "A", 0.6).equity("A", "v", 0.5).run();
    close(r.get("v", "ownership"), 0.3, "a state body (E = 1) holding 60% of a 50% holder gives 0.6 · 0.5");
    assert_eq!(r.get("v", "jurisdiction"), 0.0, "a US headquarters is not of concern");
}

#[test]
fn a_private_company_in_a_country_of_concern_weighs_private_concern() {
    let case = Case::new().company("P", "RU").vendor("v", "US").equity("P", "v", 0.4);
    close(case.run().get("v", "ownership"), 0.2, "a(P) = private_concern 0.5, times 40%");
    close(case.param("private_concern", "0.8").run().get("v", "ownership"), 0.32, "a(P) follows the parameter");
}

#[test]
fn an_intermediate_s_own_concern_weight_is_a_floor() {
    // E(M) = max(a(M) = 0.5, 0.3 · 1) = 0.5
    let r = Case::new().state("S", "CN").company("M", "HK").vendor("v", "US").equity("S", "M", 0.3).equity("M", "v", 1.0).run();
    close(r.get("v", "ownership"), 0.5, "E(M) is the larger of its own weight and what flows in");
}

#[test]
fn concern_is_only_what_the_concern_list_says() {
    let case = Case::new().state("S", "FR").vendor("v", "US").equity("S", "v", 0.9);
    assert_eq!(case.run().get("v", "ownership"), 0.0, "a French state body is not of concern by default");
    close(case.param("concern_countries", "FR").run().get("v", "ownership"), 0.9, "…unless France is on the list");
}

#[test]
fn a_cross_holding_matches_its_closed_form() {
    // R (E = 1) holds 40% of A; A holds 50% of B; B holds 60% of A.
    // E(A) = 0.4 + 0.6 E(B), E(B) = 0.5 E(A)  ⇒  E(A) = 0.4 / 0.7 = 4/7, E(B) = 2/7.
    let r = Case::new()
        .state("R", "CN")
        .vendor("A", "US")
        .vendor("B", "US")
        .equity("R", "A", 0.4)
        .equity("A", "B", 0.5)
        .equity("B", "A", 0.6)
        .run();
    assert!((r.get("A", "ownership") - 4.0 / 7.0).abs() <= 1e-11, "ownership(A) = 4/7 within 1e-11: {}", r.get("A", "ownership"));
    assert!((r.get("B", "ownership") - 2.0 / 7.0).abs() <= 1e-11, "ownership(B) = 2/7 within 1e-11: {}", r.get("B", "ownership"));
}

#[test]
fn a_vendor_s_own_concern_comes_back_through_a_cycle() {
    // A is a private RU company (a = 0.5): E(A) = max(0.5, 0.6 E(B)) = 0.5, E(B) = 0.5 E(A) = 0.25.
    let r = Case::new().vendor("A", "RU").vendor("B", "US").equity("A", "B", 0.5).equity("B", "A", 0.6).run();
    close(r.get("A", "ownership"), 0.15, "A's own weight is not its ownership, but 60% of B's 0.25 is");
    close(r.get("B", "ownership"), 0.25, "B is half owned by A (E = 0.5)");
    assert_eq!(r.get("A", "jurisdiction"), 1.0, "A's own weight shows as jurisdiction instead");
}

#[test]
fn a_slowly_contracting_cycle_is_still_within_1e_11() {
    // X → Y → Z → X each with s, s³ = 0.99 (the spec's worst case), fed 0.3% by a state body:
    // E(X) = 0.003 / (1 − s³), E(Y) = s E(X), E(Z) = s² E(X).
    let s = 0.99f64.powf(1.0 / 3.0);
    let r = Case::new()
        .state("R", "CN")
        .vendor("X", "US")
        .vendor("Y", "US")
        .vendor("Z", "US")
        .equity("R", "X", 0.003)
        .equity("X", "Y", s)
        .equity("Y", "Z", s)
        .equity("Z", "X", s)
        .run();
    let ex = 0.003 / (1.0 - s * s * s);
    for (v, expected) in [("X", ex), ("Y", s * ex), ("Z", s * s * ex)] {
        let got = r.get(v, "ownership");
        assert!((got - expected).abs() <= 1e-11, "ownership({v}) = {got}, closed form {expected}: the fixpoint contract is 1e-11");
    }
}

#[test]
fn parallel_equity_rows_are_added_into_one_edge() {
    let r = Case::new()
        .state("S", "CN")
        .vendor("v", "US")
        .equity("S", "v", 0.2)
        .equity("S", "v", 0.3)
        .note("S", "2025-06-30", "concern", 3, "A1")
        .run();
    close(r.get("v", "ownership"), 0.5, "two rows S → v of 20% and 30% are one 50% edge");
    assert!(r.get("v", "testimony") > 0.0, "the added 50% edge makes S a controller, so notes on S count");
    let stakes: Vec<f64> = r
        .evidence("v", "ownership")
        .iter()
        .filter_map(|e| match e {
            Evidence::Stake { contribution, .. } => Some(*contribution),
            _ => None,
        })
        .collect();
    assert_eq!(stakes.len(), 2, "each row is shown with its own source");
    close(stakes.iter().sum(), 0.5, "the rows' contributions add up to the ownership");
}

#[test]
fn ownership_changes_with_since_and_until() {
    // 40% until 2025-06-30 (inclusive), 80% from 2025-07-01.
    let case = Case::new().state("S", "CN").vendor("v", "US").equity_dated("S", "v", 0.4, None, Some("2025-06-30")).equity_dated(
        "S",
        "v",
        0.8,
        Some("2025-07-01"),
        None,
    );
    close(case.clone().on("2025-06-29").run().get("v", "ownership"), 0.4, "before the change the old holding counts");
    close(case.clone().on("2025-06-30").run().get("v", "ownership"), 0.4, "`until` is inclusive: the last day still counts");
    close(case.clone().on("2025-07-01").run().get("v", "ownership"), 0.8, "`since` is inclusive: the new holding counts on its first day");
    close(case.on("2026-01-01").run().get("v", "ownership"), 0.8, "after the change only the new holding counts");
}

#[test]
fn a_vendor_id_names_that_vendor_s_entity_in_edges() {
    let mut case = Case::new().state("S", "CN").equity("S", "acme", 0.7);
    case.facts.vendors.push(super::Vendor {
        id: "acme".into(),
        name: "Acme".into(),
        entity_id: "acme-holding".into(),
        hq_country: "US".into(),
        privilege: "user".into(),
        mitigation: 0.1,
    });
    let r = case.run();
    close(r.get("acme", "ownership"), 0.7, "an edge to the vendor_id reaches the vendor's entity");
    assert_eq!(r.0.mitigation, [0.1], "mitigation is passed through for the scorer");
}

#[test]
fn an_implicit_vendor_entity_is_a_private_company_in_its_hq_country() {
    let r = Case::new().vendor("p", "CN").vendor("q", "US").equity("p", "q", 1.0).run();
    close(r.get("q", "ownership"), 0.5, "p has no explicit entity: a private CN company, a = 0.5");
    let r = Case::new().state("p", "CN").vendor("p", "CN").vendor("q", "US").equity("p", "q", 1.0).run();
    close(r.get("q", "ownership"), 1.0, "an explicit state entity of the same id is used instead");
}

// ---------------------------------------------------------------- designations (OFAC FAQ 401)

#[test]
fn ofac_blocked_x_owns_half_of_a_which_owns_half_of_b() {
    let r = Case::new()
        .vendor("X", "US")
        .vendor("A", "US")
        .vendor("B", "US")
        .listing("X", "US-OFAC-SDN", "2020-01-01", None)
        .equity("X", "A", 0.5)
        .equity("A", "B", 0.5)
        .run();
    assert!(r.designated("A"), "A is 50% owned by blocked X, so A is blocked");
    assert!(r.designated("B"), "B is 50% owned by A, itself blocked by the rule: the rule is transitive");
    assert_eq!(r.get("B", "designations"), 1.0, "the factor follows the designation");
    assert_eq!(r.lists("B"), ["US-OFAC-SDN"], "B reports X's list through A");
    assert!(
        r.evidence("B", "designations").iter().any(|e| matches!(e,
            Evidence::Listing { entity, via: Some(via), .. } if entity == "X" && via == "A")),
        "the evidence traces B's list to X's listing via A: {:?}",
        r.evidence("B", "designations")
    );
}

#[test]
fn ofac_two_blocked_quarter_holdings_add_up() {
    let r = Case::new()
        .vendor("C", "US")
        .listing("A", "US-OFAC-SDN", "2020-01-01", None)
        .listing("B", "US-OFAC-SDN", "2020-01-01", None)
        .company("A", "US")
        .company("B", "US")
        .equity("A", "C", 0.25)
        .equity("B", "C", 0.25)
        .run();
    assert!(r.designated("C"), "25% + 25% held by blocked persons is 50% in the aggregate");
}

#[test]
fn ofac_forty_plus_ten_blocked_percent_block() {
    let r = Case::new()
        .company("A", "US")
        .company("B", "US")
        .vendor("C", "US")
        .listing("A", "US-BIS-ENTITY", "2020-01-01", None)
        .listing("B", "US-OFAC-SDN", "2020-01-01", None)
        .equity("A", "C", 0.4)
        .equity("B", "C", 0.1)
        .run();
    assert!(r.designated("C"), "40% + 10% by blocked holders reaches 50%");
    assert_eq!(r.lists("C"), ["US-BIS-ENTITY", "US-OFAC-SDN"], "both holders' lists, sorted by name");
}

#[test]
fn ofac_holdings_of_holders_that_are_not_blocked_are_disregarded() {
    // X (blocked) holds 40% of A and 40% of B; neither is blocked, so their 30% + 30% of C count for
    // nothing, though X's indirect interest in C would be 24%.
    let r = Case::new()
        .vendor("A", "US")
        .vendor("B", "US")
        .vendor("C", "US")
        .listing("X", "US-OFAC-SDN", "2020-01-01", None)
        .company("X", "US")
        .equity("X", "A", 0.4)
        .equity("X", "B", 0.4)
        .equity("A", "C", 0.3)
        .equity("B", "C", 0.3)
        .run();
    assert!(!r.designated("A") && !r.designated("B"), "40% is below the 50% rule");
    assert!(!r.designated("C"), "only holdings of blocked persons count, not of entities they partly own");
    assert!(r.lists("C").is_empty(), "an undesignated entity reports no list");
}

#[test]
fn the_threshold_tolerance_is_one_billionth() {
    let r = Case::new()
        .vendor("exact", "US")
        .vendor("just_under", "US")
        .vendor("under", "US")
        .listing("X", "US-OFAC-SDN", "2020-01-01", None)
        .company("X", "US")
        .equity("X", "exact", 0.5)
        .equity("X", "just_under", 0.4999999995)
        .equity("X", "under", 0.49999)
        .run();
    assert!(r.designated("exact"), "exactly 50% meets the rule");
    assert!(r.designated("just_under"), "0.4999999995 ≥ 0.5 − 1e-9 counts as 50%");
    assert!(!r.designated("under"), "0.49999 is a real shortfall");
}

#[test]
fn control_uses_the_same_tolerance() {
    let r = Case::new()
        .company("C", "US")
        .company("D", "US")
        .vendor("v", "US")
        .vendor("w", "US")
        .equity("C", "v", 0.4999999995)
        .equity("D", "w", 0.49999)
        .note("C", "2025-06-30", "concern", 3, "A1")
        .note("D", "2025-06-30", "concern", 3, "A1")
        .run();
    close(r.get("v", "testimony"), 1.0 - (-1.0f64).exp(), "C controls v within tolerance, so its note counts (x = 3 = scale)");
    assert_eq!(r.get("w", "testimony"), 0.0, "D's 49.999% is not control: its notes are about D, not w");
}

#[test]
fn lists_are_reported_via_designated_holders_with_positive_shares() {
    let r = Case::new()
        .vendor("A", "US")
        .vendor("B", "US")
        .company("X", "US")
        .company("Y", "US")
        .company("Z", "US")
        .listing("X", "L1", "2020-01-01", None)
        .listing("Y", "L2", "2020-01-01", None)
        .listing("Y", "L1", "2021-01-01", None)
        .listing("Z", "L3", "2020-01-01", None)
        .listing("A", "L0", "2020-01-01", None)
        .listing("B", "L5", "2020-01-01", None)
        .equity("X", "A", 0.3)
        .equity("Y", "A", 0.3)
        .equity("Z", "A", 0.0)
        .equity("X", "B", 0.3)
        .run();
    assert_eq!(r.lists("A"), ["L0", "L1", "L2"], "own list plus the holders' lists, sorted, L1 once; Z's 0% holding brings nothing");
    assert_eq!(r.lists("B"), ["L5"], "the rule does not apply to B (30% < 50%), so X's list is not reported for it");
}

#[test]
fn lists_travel_round_a_cycle() {
    // X (L1) holds 50% of A; A holds 60% of B; B holds 30% of A; Y (L2) holds 40% of B.
    let r = Case::new()
        .vendor("A", "US")
        .vendor("B", "US")
        .company("X", "US")
        .company("Y", "US")
        .listing("X", "L1", "2020-01-01", None)
        .listing("Y", "L2", "2020-01-01", None)
        .equity("X", "A", 0.5)
        .equity("A", "B", 0.6)
        .equity("B", "A", 0.3)
        .equity("Y", "B", 0.4)
        .run();
    assert_eq!(r.lists("B"), ["L1", "L2"], "B gets L1 through A and L2 from Y");
    assert_eq!(r.lists("A"), ["L1", "L2"], "A's designated holder B passes L2 back round the cycle");
}

// ---------------------------------------------------------------- ties

#[test]
fn a_tie_of_a_controller_counts_for_the_vendor() {
    let r = Case::new()
        .company("C", "US")
        .state("K", "CN")
        .company("K2", "RU")
        .company("N", "US")
        .vendor("v", "US")
        .equity("C", "v", 0.6)
        .tie("K", "C", 0.8, 0.5)
        .tie("v", "K2", 1.0, 1.0)
        .tie("v", "N", 1.0, 1.0)
        .run();
    // p(C–K) = 1 · 0.8 · 0.5 = 0.4; p(v–K2) = 0.5 · 1 · 1 = 0.5; N is not of concern.
    close(r.get("v", "ties"), 1.0 - 0.6 * 0.5, "noisy-OR over the controller's and the vendor's own ties");
    assert!(
        r.evidence("v", "ties").iter().any(|e| matches!(e, Evidence::Controller { entity, path } if entity == "C" && path == &["C", "v"])),
        "the controller and its path are part of the explanation"
    );
}

#[test]
fn a_tie_between_a_vendor_and_its_own_controller_does_not_count() {
    let r = Case::new().company("C", "CN").vendor("v", "US").equity("C", "v", 0.6).tie("v", "C", 1.0, 1.0).run();
    assert_eq!(r.get("v", "ties"), 0.0, "both ends are in {{v}} ∪ controllers(v): the tie is internal");
    close(r.get("v", "ownership"), 0.3, "the holding itself still shows as ownership");
}

#[test]
fn a_tie_of_a_mere_shareholder_does_not_count() {
    let r = Case::new().company("H", "US").state("K", "CN").vendor("v", "US").equity("H", "v", 0.3).tie("H", "K", 1.0, 1.0).run();
    assert_eq!(r.get("v", "ties"), 0.0, "a 30% holder does not control v, so its ties are its own");
}

// ---------------------------------------------------------------- testimony

#[test]
fn notes_on_a_controller_count_and_decay() {
    let half_life = 3.0;
    let r = Case::new()
        .company("C", "US")
        .company("H", "US")
        .vendor("v", "US")
        .equity("C", "v", 0.6)
        .equity("H", "v", 0.3)
        .note("C", "2022-06-30", "concern", 3, "B2")
        .note("v", "2025-06-30", "exculpatory", 1, "F6")
        .note("v", "2025-01-01", "neutral", 3, "A1")
        .note("H", "2025-06-30", "concern", 3, "A1")
        .run();
    let days = (date("2025-06-30") - date("2022-06-30")).num_days() as f64;
    let x = 3.0 * 0.8 * 0.8 * 0.5f64.powf(days / 365.25 / half_life) - 0.5 * 0.5;
    close(
        r.get("v", "testimony"),
        1.0 - (-x / 3.0).exp(),
        "the controller's decayed concern minus v's exculpatory note; neutral adds 0; H is no controller",
    );
    let terms = r.evidence("v", "testimony").iter().filter(|e| matches!(e, Evidence::NoteTerm { .. })).count();
    assert_eq!(terms, 3, "every counted note is shown, the neutral one too");
}

#[test]
fn control_passes_down_a_chain_of_majority_holdings() {
    let r = Case::new()
        .company("C", "US")
        .company("M", "US")
        .state("K", "RU")
        .vendor("v", "US")
        .equity("C", "M", 0.6)
        .equity("M", "v", 0.7)
        .tie("C", "K", 0.5, 1.0)
        .note("C", "2025-06-30", "concern", 3, "A1")
        .run();
    close(r.get("v", "ties"), 0.5, "C controls M which controls v, so C's tie to a state body counts");
    close(r.get("v", "testimony"), 1.0 - (-1.0f64).exp(), "and so do notes on C");
    assert!(
        r.evidence("v", "testimony")
            .iter()
            .any(|e| matches!(e, Evidence::Controller { entity, path } if entity == "C" && path == &["C", "M", "v"])),
        "the evidence shows the control path C → M → v: {:?}",
        r.evidence("v", "testimony")
    );
}

#[test]
fn a_control_cycle_through_the_vendor_counts_its_notes_once() {
    let r = Case::new()
        .company("A", "US")
        .vendor("v", "US")
        .equity("v", "A", 0.6)
        .equity("A", "v", 0.6)
        .note("v", "2025-06-30", "concern", 3, "A1")
        .run();
    close(r.get("v", "testimony"), 1.0 - (-1.0f64).exp(), "v is not its own controller: its note is counted once, x = 3");
    let controllers: Vec<&Evidence> = r.evidence("v", "testimony").iter().filter(|e| matches!(e, Evidence::Controller { .. })).collect();
    assert_eq!(controllers.len(), 1, "only A controls v: {controllers:?}");
}

#[test]
fn net_exculpatory_testimony_is_zero() {
    let r = Case::new().vendor("v", "US").note("v", "2025-01-01", "exculpatory", 3, "A1").run();
    assert_eq!(r.get("v", "testimony"), 0.0, "max(0, …): exculpation cannot make a vendor safer than silence");
}

// ---------------------------------------------------------------- market and install base

#[test]
fn the_market_window_skips_gap_years() {
    let r = Case::new()
        .param("market_window_years", "2")
        .vendor("v", "US")
        .sale("v", 2018, "CN", 100.0)
        .sale("v", 2020, "US", 100.0)
        .sale("v", 2020, "CN", 50.0)
        .sale("v", 2023, "US", 50.0)
        .sale("v", 2026, "CN", 1000.0)
        .run();
    close(r.get("v", "market"), 50.0 / 200.0, "the two latest years with rows are 2020 and 2023; 2018 falls out, 2026 is after as_of");
    assert!(
        matches!(&r.evidence("v", "market")[0], Evidence::MarketYears { years, .. } if years == &[2020, 2023]),
        "the evidence names the years used: {:?}",
        r.evidence("v", "market")
    );
    assert!(r.missing("v").contains(&"install_base") && !r.missing("v").contains(&"market"), "only install_base is missing");
}

#[test]
fn the_year_of_as_of_counts_in_full() {
    let r = Case::new()
        .on("2025-03-01")
        .param("market_window_years", "1")
        .vendor("v", "US")
        .sale("v", 2024, "US", 100.0)
        .sale("v", 2025, "CN", 30.0)
        .sale("v", 2025, "US", 70.0)
        .install("v", 2024, "US", 5)
        .install("v", 2025, "US", 999)
        .install("v", 2025, "DE", 1000)
        .install("v", 2026, "US", 1_000_000)
        .run();
    close(r.get("v", "market"), 0.3, "2025 is the latest year even on 1 March 2025");
    close(r.get("v", "install_base"), 2000f64.log10() / (1e9f64 + 1.0).log10(), "users of the latest year are summed");
}

#[test]
fn each_missing_policy_fills_market_and_install_base() {
    for (policy, value) in [("zero", 0.0), ("neutral", 0.5), ("worst", 1.0)] {
        let r = Case::new().param("missing", policy).vendor("v", "US").run();
        assert_eq!(r.get("v", "market"), value, "{policy}: no sales rows");
        assert_eq!(r.get("v", "install_base"), value, "{policy}: no install rows");
        assert_eq!(r.missing("v"), ["market", "install_base"], "{policy}: both listed, in factor order");
        assert!(
            matches!(r.evidence("v", "market")[0], Evidence::Missing { policy: p, value: x } if p == MissingPolicy::parse(policy).unwrap() && x == value),
            "{policy}: the evidence says the policy set it"
        );
    }
}

#[test]
fn zero_revenue_is_missing_market() {
    let r = Case::new().param("missing", "worst").vendor("v", "US").sale("v", 2024, "CN", 0.0).run();
    assert_eq!(r.get("v", "market"), 1.0, "a zero total has no share to speak of: the policy applies");
    assert_eq!(r.missing("v"), ["market", "install_base"], "and market is listed as missing");
}

#[test]
fn install_base_saturates_at_users_ref() {
    let r = Case::new()
        .param("users_ref", "1000")
        .vendor("v", "US")
        .vendor("w", "US")
        .install("v", 2024, "US", 10_000)
        .install("w", 2024, "US", 0)
        .run();
    assert_eq!(r.get("v", "install_base"), 1.0, "more users than users_ref is full reach");
    assert_eq!(r.get("w", "install_base"), 0.0, "zero users is no reach (and not missing)");
    assert_eq!(r.missing("w"), ["market"], "w has install rows");
}

// ---------------------------------------------------------------- as_of filtering, the rest

#[test]
fn nothing_dated_after_as_of_counts() {
    let base = Case::new().on("2024-12-31").state("S", "CN").vendor("v", "US").vendor("w", "US");
    let later = base
        .clone()
        .equity_dated("S", "v", 0.6, Some("2025-01-01"), None)
        .tie_dated("v", "S", 1.0, 1.0, Some("2025-01-01"), None)
        .note("v", "2025-01-01", "concern", 3, "A1")
        .listing("v", "L1", "2025-01-01", None)
        .listing("w", "L1", "2020-01-01", Some("2024-12-30"))
        .sale("v", 2025, "CN", 10.0)
        .install("v", 2025, "US", 1000);
    let (a, b) = (base.run(), later.run());
    assert_eq!(a.0.values, b.0.values, "edges, ties, notes, listings, sales and installs after as_of change nothing");
    assert_eq!(b.missing("v"), ["market", "install_base"], "next year's rows do not count as rows");
    let on_the_day = base.listing("w", "L1", "2020-01-01", Some("2024-12-31")).run();
    assert!(on_the_day.designated("w"), "a listing whose `ends` is as_of is still in force that day");
}

#[test]
fn jurisdiction_and_privilege_are_direct_readings() {
    let r = Case::new()
        .vendor_with("a", "VE", "none")
        .vendor_with("b", "US", "user")
        .vendor_with("c", "US", "admin")
        .vendor_with("d", "US", "kernel")
        .run();
    assert_eq!(r.get("a", "jurisdiction"), 1.0, "VE is on the default concern list");
    let levels: Vec<f64> = ["a", "b", "c", "d"].iter().map(|v| r.get(v, "privilege")).collect();
    assert_eq!(levels, [0.0, 0.25, 0.6, 1.0], "none, user, admin, kernel");
}

#[test]
fn vendors_come_in_byte_order_with_contiguous_rows() {
    let r = Case::new().vendor("b", "US").vendor("B", "CN").vendor("a", "US").run();
    assert_eq!(r.0.vendor_ids, ["B", "a", "b"], "byte order puts upper case first");
    assert_eq!(r.0.values.len(), 3 * Factor::COUNT, "n × 8 values");
    assert_eq!(r.0.row(0)[2], 1.0, "row 0 is B's, headquartered in CN");
    assert!(r.0.values.iter().all(|x| (0.0..=1.0).contains(x)), "every factor is in [0, 1]");
}

// ---------------------------------------------------------------- structure (the diagram's walk)

#[test]
fn the_structure_walks_owners_on_the_factors_graph() {
    let case = Case::new()
        .company("B", "US")
        .company("A", "US")
        .state("K", "CN")
        .company("T", "RU")
        .company("U", "US")
        .vendor("v", "US")
        .equity("B", "v", 0.2)
        .equity("A", "v", 0.3)
        .equity("A", "v", 0.3)
        .equity("K", "A", 1.0)
        .tie("T", "A", 1.0, 1.0)
        .tie("v", "U", 1.0, 1.0)
        .tie("T", "B", 1.0, 1.0);
    let s = super::structure(&case.facts, &case.params, "v", 60).expect("a vendor");
    assert_eq!(s.entities, ["v", "B", "A", "K", "T", "U"], "owners in the order of their first row, then the other ends of ties");
    assert_eq!(
        s.equity,
        [("A".to_string(), "v".to_string(), 0.6, None), ("B".into(), "v".into(), 0.2, None), ("K".into(), "A".into(), 1.0, None)],
        "parallel rows summed, sorted by owner"
    );
    let controllers: Vec<(&str, Vec<&str>)> =
        s.controllers.iter().map(|(c, p)| (c.as_str(), p.iter().map(String::as_str).collect())).collect();
    assert_eq!(controllers, [("A", vec!["A", "v"]), ("K", vec!["K", "A", "v"])], "A controls with 0.3 + 0.3");
    let ties: Vec<(&str, &str)> = s.ties.iter().map(|(o, m, _, _)| (o.as_str(), m.as_str())).collect();
    assert_eq!(ties, [("T", "A"), ("U", "v")], "ties of the vendor and its controllers, not of a mere owner");

    let capped = super::structure(&case.facts, &case.params, "v", 2).expect("a vendor");
    assert_eq!(capped.entities[..3], ["v", "B", "A"], "the walk stops taking owners at the cap, after the entity in hand");
    assert!(super::structure(&case.facts, &case.params, "nobody", 60).is_none());
}

// ---------------------------------------------------------------- v1.3 ranges

#[test]
fn a_range_counts_at_the_scenarios_basis_point() {
    let case = Case::new().state("S", "CN").vendor("v", "US").equity_range("S", "v", 0.25, 0.5);
    // a(S) = 1 (a state body in a country of concern): ownership is the point itself.
    close(case.clone().param("share_basis", "low").run().get("v", "ownership"), 0.25, "low = min");
    close(case.clone().run().get("v", "ownership"), 0.375, "mid (the default) = the middle");
    close(case.clone().param("share_basis", "high").run().get("v", "ownership"), 0.5, "high = max");
    let r = case.run();
    assert!(
        r.evidence("v", "ownership")
            .iter()
            .any(|e| matches!(e, Evidence::Stake { range: Some([a, b]), share, .. } if *a == 0.25 && *b == 0.5 && *share == 0.375)),
        "the stake carries its range and the point counted"
    );
}

#[test]
fn a_vendor_only_possibly_prohibited_keeps_designations_at_zero() {
    let case =
        Case::new().company("X", "CN").vendor("v", "US").equity_range("X", "v", 0.3, 0.6).listing("X", "US-OFAC-SDN", "2020-01-01", None);
    for basis in ["low", "mid", "high"] {
        let r = case.clone().param("share_basis", basis).run();
        assert!(!r.designated("v"), "the 50 % rule uses the low point 0.3 on every basis ({basis})");
        assert_eq!(r.get("v", "designations"), 0.0, "{basis}");
        let (possibly, lists) = r.possibly("v");
        assert!(possibly, "the high point 0.6 would designate v ({basis})");
        assert_eq!(lists, ["US-OFAC-SDN"]);
    }
    let exact =
        Case::new().company("X", "CN").vendor("v", "US").equity("X", "v", 0.6).listing("X", "US-OFAC-SDN", "2020-01-01", None).run();
    assert!(exact.designated("v") && !exact.possibly("v").0, "designated is never also possibly");
}

#[test]
fn controllers_stand_on_the_low_points() {
    // C holds 40–80 % of v; at the 0.5 threshold C controls v only on the high point, so C's tie to a
    // concern entity does not reach v, whatever the basis.
    let case = Case::new().company("C", "US").state("K", "CN").vendor("v", "US").equity_range("C", "v", 0.4, 0.8).tie("C", "K", 1.0, 1.0);
    for basis in ["low", "mid", "high"] {
        let r = case.clone().param("share_basis", basis).run();
        assert_eq!(r.get("v", "ties"), 0.0, "C is no controller on the low point ({basis})");
        assert!(!r.evidence("v", "ties").iter().any(|e| matches!(e, Evidence::Controller { .. })), "{basis}");
    }
    let exact =
        Case::new().company("C", "US").state("K", "CN").vendor("v", "US").equity_range("C", "v", 0.5, 0.8).tie("C", "K", 1.0, 1.0).run();
    assert!(exact.get("v", "ties") > 0.0, "a low point at the threshold is control");
}

// ---------------------------------------------------------------- v1.3 control ties

#[test]
fn a_control_chain_makes_controllers_and_carries_exposure_in_full() {
    let case = Case::new().state("K", "CN").company("C", "US").vendor("v", "US").control("K", "C", 1.0).control("C", "v", 0.9);
    let r = case.clone().run();
    close(r.get("v", "ownership"), 1.0, "v carries C's exposure, which carries K's (a state body of concern): 1");
    let controllers: Vec<(&str, Vec<&str>)> = r
        .evidence("v", "ties")
        .iter()
        .filter_map(|e| match e {
            Evidence::Controller { entity, path } => Some((entity.as_str(), path.iter().map(String::as_str).collect())),
            _ => None,
        })
        .collect();
    assert_eq!(controllers, [("C", vec!["C", "v"]), ("K", vec!["K", "C", "v"])], "control steps are steps of control paths");
    assert_eq!(r.get("v", "ties"), 0.0, "the control ties are inside {{v}} ∪ controllers: nothing foreign");
    assert!(
        r.evidence("v", "ownership")
            .iter()
            .any(|e| matches!(e, Evidence::ControlStep { controller, confidence, .. } if controller == "C" && *confidence == 0.9))
    );
    // Below control_confidence a control tie is a tie like the others, and no step.
    let weak = case.clone().param("control_confidence", "0.95").run();
    close(weak.get("v", "ownership"), 0.0, "C ⇒ v at 0.9 is no step at 0.95");
    assert!(
        !weak.evidence("v", "ties").iter().any(|e| matches!(e, Evidence::Controller { .. })),
        "raising control_confidence removes controllers"
    );
}

#[test]
fn a_control_cycle_and_a_mixed_cycle_take_their_inflow() {
    // K (a = 1) holds 40 % of A; A ⇒ B ⇒ A (a control cycle); v is held 50 % by B.
    let r = Case::new()
        .state("K", "CN")
        .company("A", "US")
        .company("B", "US")
        .vendor("v", "US")
        .equity("K", "A", 0.4)
        .control("A", "B", 1.0)
        .control("B", "A", 1.0)
        .equity("B", "v", 0.5)
        .run();
    close(r.get("v", "ownership"), 0.2, "E(A) = E(B) = 0.4; v gets 0.5 · 0.4");
    // A mixed cycle: A holds 100 % of B, B ⇒ A, fed 0.3 by K.
    let mixed = Case::new()
        .state("K", "CN")
        .company("A", "US")
        .company("B", "US")
        .vendor("v", "US")
        .equity("K", "A", 0.3)
        .equity("A", "B", 1.0)
        .control("B", "A", 1.0)
        .equity("B", "v", 1.0)
        .run();
    close(mixed.get("v", "ownership"), 0.3, "the cycle neither grows nor loses what flows in");
}

#[test]
fn the_fifty_percent_rule_counts_equity_only() {
    let r = Case::new().company("X", "CN").vendor("v", "US").control("X", "v", 1.0).listing("X", "US-OFAC-SDN", "2020-01-01", None).run();
    assert!(!r.designated("v"), "control is not ownership for OFAC's rule");
}

// ---------------------------------------------------------------- v1.3 same links

#[test]
fn a_same_group_brings_a_listing_and_an_equity_chain_onto_a_vendor() {
    let r = Case::new()
        .state("S", "CN")
        .company("v-reg", "US")
        .vendor("v", "US")
        .equity("S", "v-reg", 0.6)
        .listing("v-reg", "US-OFAC-SDN", "2020-01-01", None)
        .same("v-reg", "v")
        .run();
    assert!(r.designated("v"), "the register's id is the vendor: its listing is the vendor's");
    assert_eq!(r.lists("v"), ["US-OFAC-SDN"]);
    close(r.get("v", "ownership"), 0.6, "and so is its holder");
    assert!(
        r.evidence("v", "ownership").iter().any(|e| matches!(e, Evidence::Stake { to, .. } if to == "v")),
        "named by the representative, the vendor's entity"
    );
}

#[test]
fn one_holding_reported_under_two_ids_counts_once() {
    // H holds 30 % of v, and a second source reports 25 % of v's register id: one holding, two ids.
    let r = Case::new()
        .state("H", "CN")
        .company("v-reg", "US")
        .vendor("v", "US")
        .equity("H", "v", 0.3)
        .equity("H", "v-reg", 0.25)
        .same("v", "v-reg")
        .run();
    close(r.get("v", "ownership"), 0.3, "the largest member pair counts, not the sum 0.55");
    let inside = Case::new()
        .state("S", "CN")
        .company("v-reg", "US")
        .vendor("v", "US")
        .equity("v-reg", "v", 1.0)
        .equity("S", "v-reg", 0.2)
        .same("v", "v-reg")
        .run();
    close(inside.get("v", "ownership"), 0.2, "an edge inside the group says nothing");
}

#[test]
fn a_group_is_state_affiliated_if_any_member_is() {
    // G is a private company in CN (a = 0.5) linked to a state body id: the group counts a = 1.
    let r = Case::new().company("G", "CN").state("G-state", "CN").vendor("v", "US").equity("G", "v", 0.5).same("G", "G-state").run();
    close(r.get("v", "ownership"), 0.5, "0.5 · a(group) with a = 1");
}

// ---------------------------------------------------------------- v1.3 properties

mod v13_properties {
    use super::*;
    use proptest::prelude::*;

    const IDS: [&str; 5] = ["a", "b", "c", "d", "v"];

    /// A small world: entities a–d (some of concern, some state bodies), vendor v, equity rows as
    /// ranges or exact shares kept below 1 per target, control ties and listings.
    #[derive(Debug, Clone)]
    struct World {
        kinds: [u8; 4],
        equity: Vec<(usize, usize, f64, f64, bool)>,
        controls: Vec<(usize, usize, f64)>,
        listed: Vec<usize>,
    }

    fn world() -> impl Strategy<Value = World> {
        let equity = (0usize..5, 0usize..5, 0.0f64..0.2, 0.0f64..0.2, any::<bool>());
        let control = (0usize..5, 0usize..5, 0.5f64..=1.0);
        (
            prop::array::uniform4(0u8..3),
            prop::collection::vec(equity, 0..8),
            prop::collection::vec(control, 0..4),
            prop::collection::vec(0usize..4, 0..2),
        )
            .prop_map(|(kinds, equity, controls, listed)| World { kinds, equity, controls, listed })
    }

    impl World {
        fn case(&self) -> Case {
            let mut case = Case::new();
            for (i, kind) in self.kinds.iter().enumerate() {
                case = match kind {
                    0 => case.company(IDS[i], "US"),
                    1 => case.company(IDS[i], "CN"),
                    _ => case.state(IDS[i], "RU"),
                };
            }
            case = case.vendor("v", "US");
            for &(from, to, low, width, ranged) in &self.equity {
                if from == to {
                    continue;
                }
                // At most 8 rows of at most 0.4 each into one of five targets can exceed 1: scale to
                // 0.12 a row so every share sum stays below 1 (what the importer guarantees).
                let (low, high) = (low * 0.6, (low + width) * 0.6);
                case = if ranged { case.equity_range(IDS[from], IDS[to], low, high) } else { case.equity(IDS[from], IDS[to], low) };
            }
            for &(from, to, confidence) in &self.controls {
                if from != to {
                    case = case.control(IDS[from], IDS[to], confidence);
                }
            }
            for &i in &self.listed {
                case = case.listing(IDS[i], "US-OFAC-SDN", "2020-01-01", None);
            }
            case
        }
    }

    fn controllers(r: &crate::factors::testkit::Outcome) -> Vec<String> {
        r.evidence("v", "ties")
            .iter()
            .filter_map(|e| if let Evidence::Controller { entity, .. } = e { Some(entity.clone()) } else { None })
            .collect()
    }

    proptest! {
        #[test]
        fn ownership_rises_with_the_basis(w in world()) {
            let case = w.case();
            let at = |basis: &str| case.clone().param("share_basis", basis).run().get("v", "ownership");
            let (low, mid, high) = (at("low"), at("mid"), at("high"));
            prop_assert!(low <= mid + 1e-12 && mid <= high + 1e-12, "low {low} ≤ mid {mid} ≤ high {high}");
        }

        #[test]
        fn raising_control_confidence_never_adds_a_controller(w in world(), lower in 0.5f64..0.8, raise in 0.0f64..0.2) {
            let case = w.case();
            let before = controllers(&case.clone().param("control_confidence", &lower.to_string()).run());
            let after = controllers(&case.clone().param("control_confidence", &(lower + raise).to_string()).run());
            prop_assert!(after.iter().all(|c| before.contains(c)), "{after:?} ⊆ {before:?}");
        }

        #[test]
        fn a_same_link_never_lowers_designations(w in world(), link in (0usize..4, 0usize..4)) {
            prop_assume!(link.0 != link.1);
            let case = w.case();
            let before = case.clone().run().get("v", "designations");
            let after = case.clone().same(IDS[link.0], IDS[link.1]).run().get("v", "designations");
            prop_assert!(after >= before, "designations {before} → {after}");
        }
    }
}
