//! Shared test helpers and the tests that hold for every chart: empty input, determinism, escaping,
//! fonts, themes and extreme values (run in debug builds, where plotters' integer overflows would panic).

use chrono::NaiveDate;

use super::*;

/// Asserts the SVG is a complete document with balanced text elements and no non-finite number in it.
pub(super) fn assert_svg(svg: &str, what: &str) {
    assert!(svg.starts_with("<svg"), "{what}: starts with <svg: {}", &svg[..svg.len().min(80)]);
    assert!(svg.trim_end().ends_with("</svg>"), "{what}: ends with </svg>");
    assert_eq!(count(svg, "<text"), count(svg, "</text>"), "{what}: every <text> is closed");
    assert!(count(svg, "<text") > 0, "{what}: has text");
    for bad in ["NaN", "inf\"", "\"-inf", "\"inf"] {
        assert!(!svg.contains(bad), "{what}: no non-finite number ({bad}) reaches the SVG");
    }
}

pub(super) fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// Text contents in document order.
pub(super) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")))
        .map(|(s, _)| s.trim().to_owned())
        .collect()
}

/// The `y` attribute of the first text element whose content is exactly `label`.
pub(super) fn text_y(svg: &str, label: &str) -> Option<i32> {
    svg.split("<text").skip(1).find_map(|t| {
        let (attrs, rest) = t.split_once('>')?;
        let (content, _) = rest.split_once("</text>")?;
        if content.trim() != label {
            return None;
        }
        let y = attrs.split(" y=\"").nth(1)?.split('"').next()?;
        y.parse().ok()
    })
}

/// The SVG's declared height.
pub(super) fn svg_height(svg: &str) -> u32 {
    svg.split(" height=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|h| h.parse().ok()).unwrap_or(0)
}

pub(super) fn bar(name: &str, score: f64, contributions: Option<[f64; 8]>) -> RankingBar {
    RankingBar { vendor_id: name.to_lowercase(), name: name.to_owned(), score, band: "high".to_owned(), prohibited: false, contributions }
}

pub(super) fn date(s: &str) -> NaiveDate {
    s.parse().expect("test dates are valid")
}

pub(super) fn note(d: &str, severity: i64, stance: &str, grade: &str, label: &str) -> TestimonyPoint {
    TestimonyPoint { date: date(d), severity, stance: stance.to_owned(), grade: grade.to_owned(), label: label.to_owned() }
}

pub(super) fn node(id: &str, kind: &str, concern: bool) -> OwnerNode {
    OwnerNode { id: id.to_owned(), name: format!("Entity {id}"), kind: kind.to_owned(), concern, controller: false }
}

pub(super) fn owns(from: &str, to: &str, share: f64) -> OwnerEdge {
    OwnerEdge { from: from.to_owned(), to: to.to_owned(), share: Some(share), tie: false, alleged: false, range: None, control: false }
}

/// One input of each chart, built around `name` (used for vendors, countries, speakers, entities, factors).
fn every_chart(name: &str, theme: &Theme) -> Vec<(&'static str, String)> {
    let contributions = Some([10.0, 5.0, 10.0, 2.0, 8.0, 0.0, 3.0, 4.0]);
    let graph = OwnershipGraph {
        nodes: vec![OwnerNode { name: name.to_owned(), ..node("v", "vendor", false) }, node("o", "company", true)],
        edges: vec![owns("o", "v", 0.6)],
        root: "v".to_owned(),
    };
    vec![
        ("ranking", ranking(&[bar(name, 42.0, contributions)], theme)),
        ("radar", radar(&[Profile { name: name.to_owned(), factors: [0.5; 8] }], theme)),
        ("sales", sales_by_region(&[SalesPoint { year: 2024, country: name.to_owned(), revenue_usd: 1e6, concern: true }], theme)),
        ("install", install_base(&[InstallPoint { year: 2024, users: 1e6 }], theme)),
        ("testimony", testimony_timeline(&[note("2024-01-01", 2, "concern", "B2", name)], theme)),
        ("tornado", tornado(50.0, &[TornadoBar { factor: name.to_owned(), low_score: 45.0, high_score: 55.0 }], theme)),
        ("heatmap", smaa_heatmap(&[SmaaRow { vendor_id: "v".to_owned(), name: name.to_owned(), acceptability: vec![0.7, 0.3] }], theme)),
        ("ownership", ownership(&graph, theme)),
    ]
}

#[test]
fn every_chart_renders_a_framed_no_data_message_for_empty_input() {
    let t = Theme::print();
    let empty_graph = OwnershipGraph { nodes: vec![], edges: vec![], root: "v".to_owned() };
    let charts = [
        ("ranking", ranking(&[], &t)),
        ("radar", radar(&[], &t)),
        ("sales", sales_by_region(&[], &t)),
        ("install", install_base(&[], &t)),
        ("testimony", testimony_timeline(&[], &t)),
        ("tornado", tornado(50.0, &[], &t)),
        ("heatmap", smaa_heatmap(&[], &t)),
        ("heatmap with empty rows", smaa_heatmap(&[SmaaRow { vendor_id: "v".into(), name: "V".into(), acceptability: vec![] }], &t)),
        ("ownership", ownership(&empty_graph, &t)),
    ];
    for (what, svg) in charts {
        assert_svg(&svg, what);
        assert!(texts(&svg).iter().any(|s| s == "No data"), "{what}: says No data");
        assert!(count(&svg, "<rect") >= 2, "{what}: background and frame");
    }
}

#[test]
fn every_chart_renders_one_item_as_a_complete_svg_of_the_theme_width() {
    let t = Theme::print();
    for (what, svg) in every_chart("Acme", &t) {
        assert_svg(&svg, what);
        assert!(svg.contains("width=\"680\""), "{what}: 680 units wide");
        assert!(!texts(&svg).iter().any(|s| s == "No data"), "{what}: one item is data, not an empty state");
        assert!(count(&svg, "<text") >= 3 && count(&svg, "<text") < 200, "{what}: plausible number of labels: {}", count(&svg, "<text"));
    }
}

#[test]
fn same_input_gives_the_identical_svg_twice() {
    for theme in [Theme::print(), Theme::screen(true)] {
        let a = every_chart("Acme Corp", &theme);
        let b = every_chart("Acme Corp", &theme);
        for ((what, x), (_, y)) in a.iter().zip(&b) {
            assert_eq!(x, y, "{what}: deterministic output");
        }
    }
}

#[test]
fn hostile_names_are_escaped_in_every_chart() {
    let hostile = "<script>&\"'";
    for (what, svg) in every_chart(hostile, &Theme::print()).into_iter().filter(|(what, _)| *what != "install") {
        assert_svg(&svg, what);
        assert!(!svg.contains("<script>"), "{what}: raw <script> must not appear");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos;"), "{what}: the name appears escaped");
    }
}

#[test]
fn theme_font_family_is_written_into_every_text_and_escaped() {
    let print = ranking(&[bar("A", 10.0, None)], &Theme::print());
    assert!(print.contains("font-family=\"Libertinus Serif\""), "print uses typst's embedded Libertinus Serif");
    let screen = ranking(&[bar("A", 10.0, None)], &Theme::screen(false));
    assert!(screen.contains("font-family=\"sans-serif\""), "screen uses the webview's sans-serif");
    let odd = Theme { font_family: "Evil\" onload=\"x".to_owned(), ..Theme::print() };
    let svg = ranking(&[bar("A", 10.0, None)], &odd);
    assert!(!svg.contains("onload=\"x\""), "a family name cannot inject attributes");
    assert_eq!(count(&svg, "font-family=\"Evil&quot; onload=&quot;x\""), count(&svg, "<text"), "every text names the family");
}

#[test]
fn dark_theme_draws_a_dark_background_and_grey_privilege() {
    let svg = ranking(&[bar("A", 80.0, Some([10.0; 8]))], &Theme::screen(true));
    assert!(svg.contains("fill=\"#1B1E23\""), "dark background");
    assert!(svg.contains(&factor_colour_on(Factor::Privilege, true).hex()), "privilege is grey on dark");
    assert!(!svg.contains("fill=\"#000000\""), "no black bars on a dark background");
}

#[test]
fn absurd_theme_sizes_are_clamped_to_something_drawable() {
    for (w, h) in [(0, 0), (1, 1), (u32::MAX, u32::MAX)] {
        let t = Theme { width: w, height: h, ..Theme::print() };
        for (what, svg) in every_chart("A", &t) {
            assert_svg(&svg, what);
            assert!(svg_height(&svg) <= 4000, "{what}: height bounded for {w}×{h}");
        }
    }
}

#[test]
fn non_finite_and_huge_values_never_reach_plotters_in_any_chart() {
    let t = Theme::print();
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300, f64::MIN_POSITIVE, 0.0, -0.0] {
        let graph = OwnershipGraph {
            nodes: vec![node("v", "vendor", false), node("o", "company", true)],
            edges: vec![owns("o", "v", v)],
            root: "v".to_owned(),
        };
        let charts = [
            ("ranking", ranking(&[bar("A", v, Some([v; 8])), bar("B", v, None)], &t)),
            ("radar", radar(&[Profile { name: "A".into(), factors: [v; 8] }], &t)),
            ("sales", sales_by_region(&[SalesPoint { year: 2024, country: "CN".into(), revenue_usd: v, concern: true }], &t)),
            ("install", install_base(&[InstallPoint { year: 2024, users: v }], &t)),
            ("tornado", tornado(50.0, &[TornadoBar { factor: "ties".into(), low_score: v, high_score: -v }], &t)),
            ("tornado base", tornado(v, &[TornadoBar { factor: "ties".into(), low_score: 1.0, high_score: 2.0 }], &t)),
            ("heatmap", smaa_heatmap(&[SmaaRow { vendor_id: "a".into(), name: "A".into(), acceptability: vec![v, v] }], &t)),
            ("ownership", ownership(&graph, &t)),
        ];
        for (what, svg) in charts {
            assert_svg(&svg, &format!("{what} with {v}"));
        }
    }
}

#[test]
fn extreme_years_and_dates_do_not_overflow_in_debug_builds() {
    let t = Theme::print();
    let sales: Vec<SalesPoint> = [i32::MIN, -1, 0, i32::MAX]
        .into_iter()
        .map(|year| SalesPoint { year, country: "US".into(), revenue_usd: 1e12, concern: false })
        .collect();
    assert_svg(&sales_by_region(&sales, &t), "sales over extreme years");
    let installs: Vec<InstallPoint> = [i32::MIN, i32::MAX].into_iter().map(|year| InstallPoint { year, users: 1e12 }).collect();
    assert_svg(&install_base(&installs, &t), "install base over extreme years");
    let notes = [
        TestimonyPoint { date: NaiveDate::MIN, ..note("2020-01-01", 3, "concern", "A1", "x") },
        TestimonyPoint { date: NaiveDate::MAX, ..note("2020-01-01", 0, "neutral", "F6", "y") },
    ];
    assert_svg(&testimony_timeline(&notes, &t), "testimony over the whole calendar");
}

mod properties {
    use proptest::prelude::*;

    use super::super::*;
    use super::assert_svg;

    /// Any f64 at all, weighted towards the awkward ones.
    fn wild() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(0.0),
            Just(100.0),
            Just(1e12),
            -1e300..1e300,
            -1.0..2.0,
            any::<f64>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn ranking_never_panics_and_is_well_formed(scores in prop::collection::vec((wild(), prop::array::uniform8(wild()), any::<bool>(), ".{0,40}"), 0..60)) {
            let bars: Vec<RankingBar> = scores.into_iter().map(|(score, c, prohibited, name)| RankingBar {
                vendor_id: name.clone(), name, score, band: String::new(), prohibited, contributions: prohibited.then_some(c),
            }).collect();
            assert_svg(&ranking(&bars, &Theme::print()), "ranking");
        }

        #[test]
        fn sales_and_install_never_panic(rows in prop::collection::vec((any::<i32>(), "[A-Z]{2}", wild(), any::<bool>()), 0..80)) {
            let sales: Vec<SalesPoint> = rows.iter().map(|(year, country, revenue_usd, concern)| SalesPoint {
                year: *year, country: country.clone(), revenue_usd: *revenue_usd, concern: *concern,
            }).collect();
            assert_svg(&sales_by_region(&sales, &Theme::print()), "sales");
            let installs: Vec<InstallPoint> = rows.iter().map(|(year, _, users, _)| InstallPoint { year: *year, users: *users }).collect();
            assert_svg(&install_base(&installs, &Theme::screen(true)), "install");
        }

        #[test]
        fn heatmap_tornado_and_radar_never_panic(
            rows in prop::collection::vec(prop::collection::vec(wild(), 0..30), 0..50),
            base in wild(),
            ends in prop::collection::vec((wild(), wild()), 0..12),
        ) {
            let smaa: Vec<SmaaRow> = rows.iter().enumerate().map(|(i, a)| SmaaRow { vendor_id: i.to_string(), name: i.to_string(), acceptability: a.clone() }).collect();
            assert_svg(&smaa_heatmap(&smaa, &Theme::print()), "heatmap");
            let bars: Vec<TornadoBar> = ends.iter().enumerate().map(|(i, (l, h))| TornadoBar { factor: Factor::ALL[i % 8].key().to_owned(), low_score: *l, high_score: *h }).collect();
            assert_svg(&tornado(base, &bars, &Theme::print()), "tornado");
            let profiles: Vec<Profile> = rows.iter().map(|a| Profile { name: "p".into(), factors: std::array::from_fn(|k| a.get(k).copied().unwrap_or(base)) }).collect();
            assert_svg(&radar(&profiles, &Theme::print()), "radar");
        }

        #[test]
        fn ownership_never_panics_on_random_graphs(
            n in 1usize..40,
            edges in prop::collection::vec((0usize..45, 0usize..45, prop::option::of(wild()), any::<bool>(), any::<bool>()), 0..120),
            root in 0usize..45,
        ) {
            let kinds = ["company", "person", "state_body", "vendor", "other"];
            let nodes = (0..n).map(|i| OwnerNode { id: format!("n{i}"), name: format!("Node {i}"), kind: kinds[i % 5].to_owned(), concern: i % 3 == 0, controller: i % 4 == 0 }).collect();
            let edges = edges.into_iter().map(|(a, b, share, tie, alleged)| OwnerEdge { from: format!("n{a}"), to: format!("n{b}"), share, tie, alleged, range: None, control: false }).collect();
            let g = OwnershipGraph { nodes, edges, root: format!("n{root}") };
            assert_svg(&ownership(&g, &Theme::print()), "ownership");
        }

        #[test]
        fn testimony_never_panics(points in prop::collection::vec((-400_000i32..400_000, any::<i64>(), 0usize..4, ".{0,6}"), 0..60)) {
            let stances = ["concern", "neutral", "exculpatory", "??"];
            let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid");
            let notes: Vec<TestimonyPoint> = points.into_iter().map(|(d, severity, s, grade)| TestimonyPoint {
                date: epoch + chrono::TimeDelta::days(i64::from(d)), severity, stance: stances[s].to_owned(), grade, label: "x".into(),
            }).collect();
            assert_svg(&testimony_timeline(&notes, &Theme::print()), "testimony");
        }
    }
}
