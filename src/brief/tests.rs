//! Rendering tests: the demo briefs, reproducibility, the hostile corpus, the closed world, paper
//! sizes and error reporting. Text-layer checks use poppler's `pdftotext`/`pdfinfo` as subprocesses
//! and are skipped, with a message, only when those binaries are missing.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::data::*;
use super::*;

/// One typesetter for the whole test binary, as the app would hold one.
fn ts() -> &'static Typesetter {
    static TS: OnceLock<Typesetter> = OnceLock::new();
    TS.get_or_init(Typesetter::new)
}

fn tool(name: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found {
        eprintln!("SKIPPED text-layer check: `{name}` is not installed (Debian package poppler-utils)");
    }
    found
}

fn temp_pdf(pdf: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!("vetta-brief-test-{}-{}.pdf", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::write(&path, pdf).expect("write temp pdf");
    path
}

/// The PDF's text layer, or `None` when pdftotext is missing.
fn text_of(pdf: &[u8]) -> Option<String> {
    pdftotext(pdf, &[])
}

/// The text of the A4 page bodies only, without running header and footer, so that text flowing
/// over a page break reads on without them.
fn a4_body_text_of(pdf: &[u8]) -> Option<String> {
    pdftotext(pdf, &["-x", "0", "-y", "72", "-W", "596", "-H", "706"])
}

fn pdftotext(pdf: &[u8], crop: &[&str]) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let path = temp_pdf(pdf);
    // -raw keeps content-stream order and, unlike the default mode, does not join a word broken
    // after a hyphen at a line end ("US-NDAA-" / "FY2018") into "US-NDAAFY2018".
    let out = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).args(crop).arg(&path).arg("-").output().expect("run pdftotext");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).expect("utf-8 text"))
}

/// `pdfinfo`'s "Page size" line and page count, or `None` when pdfinfo is missing.
fn info_of(pdf: &[u8]) -> Option<(String, usize)> {
    if !tool("pdfinfo") {
        return None;
    }
    let path = temp_pdf(pdf);
    let out = Command::new("pdfinfo").arg(&path).output().expect("run pdfinfo");
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let size = text.lines().find(|l| l.starts_with("Page size:")).expect("page size").to_string();
    let pages = text.lines().find_map(|l| l.strip_prefix("Pages:")).expect("pages").trim().parse().expect("page count");
    Some((size, pages))
}

/// Writes a PDF to `$BRIEF_TEST_DUMP/name` when that variable is set, for looking at it.
fn dump(name: &str, pdf: &[u8]) {
    if let Ok(dir) = std::env::var("BRIEF_TEST_DUMP") {
        std::fs::write(PathBuf::from(dir).join(name), pdf).expect("dump");
    }
}

/// Every word's right edge, from `pdftotext -bbox`, must lie within the page width minus a small
/// part of the right margin: nothing runs off the text area.
fn assert_no_overflow(pdf: &[u8]) {
    if !tool("pdftotext") {
        return;
    }
    let path = temp_pdf(pdf);
    let out = Command::new("pdftotext").arg("-bbox").arg(&path).arg("-").output().expect("run pdftotext -bbox");
    let _ = std::fs::remove_file(&path);
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut page_width = 0.0;
    let mut words = 0;
    for tag in html.split('<') {
        if tag.starts_with("page ") {
            page_width = attr(tag, "width");
        } else if tag.starts_with("word ") {
            words += 1;
            let x_max = attr(tag, "xMax");
            // The right margin is 2.3 cm (65.2 pt); typst hangs punctuation a little into it.
            assert!(
                x_max <= page_width - 61.0,
                "a word ends at x = {x_max} pt on a page {page_width} pt wide: {}",
                tag.split('>').nth(1).unwrap_or("")
            );
        }
    }
    assert!(words > 100, "the bbox output holds the words");
}

/// Whitespace carries no meaning in these checks: lines wrap wherever the layout puts them.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}' | '\u{2068}' | '\u{2069}')).collect()
}

fn assert_contains(text: &str, needle: &str) {
    assert!(squash(text).contains(&squash(needle)), "text layer lacks {needle:?}");
}

#[test]
fn vendor_demo_renders_with_name_score_band_and_sources() {
    let brief = demo::vendor_brief();
    let pdf = ts().render_vendor(&brief).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_no_overflow(&pdf);
    let Some(text) = text_of(&pdf) else { return };
    assert_contains(&text, "Kaspersky Lab");
    assert_contains(&text, "55.6");
    assert_contains(&text, "HIGH");
    assert_contains(&text, "Kaspersky Lab scores 55.6 of 100 (high) and ranks 2 of 9 under the default scenario as of 2026-11-27.");
    assert_contains(&text, "It is prohibited: it is designated on US-BIS-ICTS-2024, US-BOD-17-01, US-FCC-COVERED and US-NDAA-FY2018-1634.");
    assert_contains(&text, "The data records an alleged tie to FSB");
    assert_contains(&text, "graded B2");
    for source in &brief.sources {
        assert_contains(&text, source);
    }
    assert_contains(&text, &brief.meta.dataset_sha256);
    assert_contains(&text, "Vetta brief · Kaspersky Lab · as of 2026-11-27");
    assert_contains(&text, "page 1 of");
    assert!(!text.contains("It is controlled by") && !text.contains("control path:"), "no controllers in the data, so no control claim");
}

#[test]
fn comparison_demo_renders() {
    let brief = demo::comparison_brief();
    let pdf = ts().render_comparison(&brief).expect("render");
    assert_no_overflow(&pdf);
    let Some(text) = text_of(&pdf) else { return };
    for (head, _) in &brief.vendors {
        assert_contains(&text, &head.name);
        assert_contains(&text, &summary::fixed(head.score, 1));
    }
    assert_contains(&text, "Aurelian Cyberworks (fictional) ranks highest");
    assert_contains(&text, "They differ most on");
    assert_contains(&text, "Where they differ most");
    for source in &brief.sources {
        assert_contains(&text, source);
    }
}

#[test]
fn regeneration_is_byte_identical() {
    let vendor = demo::vendor_brief();
    let a = ts().render_vendor(&vendor).expect("render");
    let b = ts().render_vendor(&vendor).expect("render again");
    assert!(a == b, "same data, same typesetter: same bytes");
    // A fresh typesetter (a new app start) gives the same bytes too.
    let c = Typesetter::new().render_vendor(&vendor).expect("render with a new typesetter");
    assert!(a == c, "same data, new typesetter: same bytes");
    let cmp = demo::comparison_brief();
    assert!(ts().render_comparison(&cmp).unwrap() == ts().render_comparison(&cmp).unwrap());
    // And the date in the PDF is the document date, not the clock.
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("D:20261128"), "creation date is meta.document_date");
}

#[test]
fn a_different_document_date_changes_only_what_it_should() {
    let mut vendor = demo::vendor_brief();
    let a = ts().render_vendor(&vendor).unwrap();
    vendor.meta.document_date = "2027-01-02".into();
    let b = ts().render_vendor(&vendor).unwrap();
    assert!(a != b);
    assert!(String::from_utf8_lossy(&b).contains("D:20270102"));
}

const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#import \"/etc/passwd\"",
    "#include \"/etc/passwd\"",
    "]",
    "$x$",
    "<script>alert(1)</script>",
    "*b*",
    "= h",
    "@ref",
    "_under_ `raw` \\ // comment /* c */ #{1+1} #let x = 1",
    "#eval(\"read('/etc/passwd')\")",
];

fn hostile_brief() -> VendorBrief {
    let mut b = demo::vendor_brief();
    let all = HOSTILE.join(" ");
    b.vendor.name = format!("Evil ] Corp $x$ *b* {}", HOSTILE[0]);
    b.vendor.category = Some(all.clone());
    b.factors[0].label = HOSTILE[0].into();
    b.factors[0].evidence = HOSTILE.iter().map(|s| s.to_string()).collect();
    b.factors[1].evidence = vec!["before \u{202E}drow desrever\u{202C} after".into(), "LINE-AFTER-OVERRIDE stays in order".into()];
    b.factors[2].evidence = vec!["nul here:\u{0}:end".into()];
    b.ties[0].other = HOSTILE[5].into();
    b.ties[0].source = all.clone();
    b.testimony[0].speaker = HOSTILE[6].into();
    b.testimony[0].quote = Some(all.clone());
    // A 100 kB analyst summary of ordinary words.
    let word_salad: String = (0..12_500).map(|i| format!("word{:03} ", i % 1000)).collect();
    assert!(word_salad.len() >= 100_000);
    b.testimony[1].summary = format!("START-OF-LONG {word_salad}END-OF-LONG");
    b.ownership_chain = HOSTILE.iter().map(|s| s.to_string()).collect();
    b.params.push(("note".into(), all.clone()));
    b.sources.push(all.clone());
    b.batches[0].label = all;
    b.meta.scenario = "$x$ *b*".into();
    // Unbroken runs: a long name, a pasted blob in evidence and in a table cell.
    b.factors[3].label = format!("Market{}", "M".repeat(120));
    b.factors[3].evidence.push(format!("blob:{}:end", "0123456789abcdef".repeat(600)));
    b.ties[0].kind = "x".repeat(300);
    b.testimony[2].speaker = "S".repeat(400);
    b
}

#[test]
fn hostile_text_prints_verbatim_and_nothing_leaks() {
    let b = hostile_brief();
    let pdf = ts().render_vendor(&b).expect("hostile data renders");
    dump("hostile.pdf", &pdf);
    assert_no_overflow(&pdf);
    let raw = String::from_utf8_lossy(&pdf);
    assert!(!raw.contains("root:x:0:0"), "no /etc/passwd line in the PDF bytes");
    let Some(text) = text_of(&pdf) else { return };
    for s in HOSTILE {
        assert_contains(&text, s);
    }
    assert_contains(&text, "Evil ] Corp $x$ *b* #read(\"/etc/passwd\")");
    assert!(!text.contains("root:x:0:0") && !text.contains("root:"), "no /etc/passwd content in the text layer");
    // The long summary is all there, start to end.
    let long = &b.testimony[1].summary;
    let body = a4_body_text_of(&pdf).unwrap();
    assert_contains(&body, &long[..2_000]);
    assert_contains(&body, &long[long.len() - 2_000..]);
    assert!(squash(&body).contains(&squash(long)), "the 100 kB summary prints in full");
    // A right-to-left override cannot reorder the line after it.
    assert_contains(&text, "LINE-AFTER-OVERRIDE stays in order");
    assert_contains(&text, "before");
    assert_contains(&text, "after");
    // NUL is accepted and the text around it prints.
    assert_contains(&text, "nul here:");
    assert_contains(&text, ":end");
}

#[test]
fn hostile_names_in_a_comparison() {
    let mut c = demo::comparison_brief();
    c.vendors[1].0.name = HOSTILE.join(" ");
    c.differences[0].highest = HOSTILE[0].into();
    c.vendors[2].0.name = "N".repeat(200);
    let pdf = ts().render_comparison(&c).expect("render");
    dump("hostile-comparison.pdf", &pdf);
    assert_no_overflow(&pdf);
    let Some(text) = text_of(&pdf) else { return };
    for s in HOSTILE {
        assert_contains(&text, s);
    }
    assert!(!text.contains("root:"));
}

#[test]
fn the_world_serves_only_its_virtual_files() {
    let chart = Chart { file: "ranking.svg".into(), caption: "c".into(), svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into() };
    let date = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let world = BriefWorld::new(ts(), VENDOR_TYP, "{}".into(), &[chart], date).unwrap();
    for known in ["/data.json", "/main.typ", "/common.typ", "/charts/ranking.svg"] {
        assert!(world.file(file_id(known)).is_ok(), "{known} is served");
    }
    assert!(world.source(file_id("/main.typ")).is_ok());
    for unknown in ["/etc/passwd", "/charts/other.svg", "/data.json.bak", "/vendor.typ", "/Cargo.toml", "/src/lib.rs"] {
        assert!(matches!(world.file(file_id(unknown)), Err(FileError::NotFound(_))), "{unknown} must be NotFound");
        assert!(matches!(world.source(file_id(unknown)), Err(FileError::NotFound(_))));
    }
    // A path in a package root is not served either, even where a project path of that name is.
    let spec: typst::syntax::package::PackageSpec = "@preview/evil:0.1.0".parse().unwrap();
    let pkg = RootedPath::new(VirtualRoot::Package(spec), VirtualPath::new("/data.json").unwrap()).intern();
    assert!(matches!(world.file(pkg), Err(FileError::NotFound(_))));
    assert_eq!(world.today(None), Datetime::from_ymd(2026, 11, 28));
    assert_eq!(world.font(usize::MAX), None);
}

#[test]
fn a_chart_cannot_pull_in_a_local_file() {
    let mut b = demo::vendor_brief();
    for href in ["/etc/passwd", "file:///etc/passwd", "../../../../etc/passwd"] {
        b.charts[0].svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50"><image href="{href}" xlink:href="{href}" width="100" height="50"/></svg>"#
        );
        // typst either refuses the linked image (an error naming it) or renders without it; the
        // file never reaches the PDF.
        match ts().render_vendor(&b) {
            Ok(pdf) => {
                assert!(!String::from_utf8_lossy(&pdf).contains("root:x:0:0"));
                if let Some(text) = text_of(&pdf) {
                    assert!(!text.contains("root:"));
                }
            }
            Err(e) => assert!(e.to_string().contains("passwd") || e.to_string().contains("image"), "{e}"),
        }
    }
}

#[test]
fn us_letter_differs_from_a4() {
    let mut b = demo::vendor_brief();
    let a4 = ts().render_vendor(&b).unwrap();
    b.meta.paper = Paper::UsLetter;
    let letter = ts().render_vendor(&b).unwrap();
    let mut c = demo::comparison_brief();
    c.meta.paper = Paper::UsLetter;
    let letter_cmp = ts().render_comparison(&c).unwrap();
    let Some((a4_size, a4_pages)) = info_of(&a4) else { return };
    let (letter_size, _) = info_of(&letter).unwrap();
    let (letter_cmp_size, _) = info_of(&letter_cmp).unwrap();
    assert!(a4_size.contains("595.276 x 841.89"), "{a4_size}");
    assert!(letter_size.contains("612 x 792"), "{letter_size}");
    assert!(letter_cmp_size.contains("612 x 792"), "{letter_cmp_size}");
    assert!(a4_pages >= 5, "cover, body and two appendices: {a4_pages} pages");
    // Every page says which page of how many it is.
    let text = text_of(&a4).unwrap();
    for p in 1..=a4_pages {
        assert_contains(&text, &format!("page {p} of {a4_pages}"));
    }
}

#[test]
fn ten_vendors_and_other_methods_render() {
    let base = demo::comparison_brief();
    let mut c = base.clone();
    while c.vendors.len() < MAX_COMPARED {
        let (mut h, f) = base.vendors[c.vendors.len() % base.vendors.len()].clone();
        h.vendor_id = format!("{}-{}", h.vendor_id, c.vendors.len());
        h.name = format!("{} copy {} with a rather long name that must wrap in a narrow column", h.name, c.vendors.len());
        c.vendors.push((h, f));
    }
    c.differences = demo::differences(&c.vendors);
    let pdf = ts().render_comparison(&c).expect("ten vendors");
    dump("ten.pdf", &pdf);
    assert_no_overflow(&pdf);
    if let Some(text) = text_of(&pdf) {
        assert_contains(&text, "This brief compares 10 vendors");
    }
    let mut v = demo::vendor_brief();
    v.meta.method = "topsis".into();
    v.factors.iter_mut().for_each(|f| f.contribution = None);
    v.smaa = None;
    v.stability.clear();
    v.testimony.clear();
    v.ties.clear();
    v.charts.clear();
    v.batches.clear();
    v.sources.clear();
    v.meta.smaa_seed = Some(u64::MAX);
    v.vendor.mitigation = 0.1;
    v.controllers = vec![Controller { name: "Holding A".into(), path: vec!["Holding A".into(), "Sub B".into(), "Kaspersky Lab".into()] }];
    let pdf = ts().render_vendor(&v).expect("sparse brief");
    if let Some(text) = text_of(&pdf) {
        assert_contains(&text, "The topsis method gives no per-factor contributions");
        assert_contains(&text, "It is controlled by Holding A (control path: Holding A → Sub B → Kaspersky Lab).");
        assert_contains(&text, "Holding A — control path: Holding A → Sub B → Kaspersky Lab");
        assert_contains(&text, "Includes a recorded mitigation of 10.0%.");
        assert_contains(&text, "A recorded mitigation of 10% is applied to the score");
        assert_contains(&text, &u64::MAX.to_string());
        assert_contains(&text, "No testimony about this vendor");
    }
}

#[test]
fn invalid_data_is_refused_with_a_reason() {
    let mut c = demo::comparison_brief();
    c.vendors.truncate(1);
    assert!(matches!(ts().render_comparison(&c), Err(BriefError::InvalidData(m)) if m.contains("2 to 10")));
    let mut c = demo::comparison_brief();
    while c.vendors.len() <= MAX_COMPARED {
        c.vendors.push(c.vendors[0].clone());
    }
    assert!(matches!(ts().render_comparison(&c), Err(BriefError::InvalidData(_))));

    let mut v = demo::vendor_brief();
    v.meta.document_date = "28/11/2026".into();
    assert!(matches!(ts().render_vendor(&v), Err(BriefError::InvalidData(m)) if m.contains("document_date")));
    let mut v = demo::vendor_brief();
    v.meta.as_of = "2026-02-30".into();
    assert!(matches!(ts().render_vendor(&v), Err(BriefError::InvalidData(m)) if m.contains("as_of")));
    let mut v = demo::vendor_brief();
    v.vendor.score = f64::NAN;
    assert!(matches!(ts().render_vendor(&v), Err(BriefError::InvalidData(m)) if m.contains("finite")));
    for name in ["../data.json", "/etc/passwd.svg", ".hidden.svg", "chart.png", "a b.svg"] {
        let mut v = demo::vendor_brief();
        v.charts[0].file = name.into();
        assert!(matches!(ts().render_vendor(&v), Err(BriefError::InvalidData(m)) if m.contains("chart file name")), "{name}");
    }
    let mut v = demo::vendor_brief();
    v.charts[1].file = v.charts[0].file.clone();
    assert!(matches!(ts().render_vendor(&v), Err(BriefError::InvalidData(m)) if m.contains("twice")));
}

#[test]
fn typst_errors_come_back_readable() {
    let mut v = demo::vendor_brief();
    v.charts[0].svg = "this is not an svg".into();
    let err = ts().render_vendor(&v).expect_err("a broken chart fails");
    let msg = err.to_string();
    assert!(matches!(err, BriefError::Typeset(_)), "{msg}");
    assert!(msg.starts_with("typesetting failed:\nerror"), "{msg}");
    assert!(msg.contains("/charts/contributions.svg") && msg.contains("failed to parse SVG"), "the message names the file: {msg}");
}
