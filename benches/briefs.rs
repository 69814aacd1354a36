//! Rendering cost of briefs (release): one brief on a fresh typesetter, then 50 briefs in one run
//! with one typesetter, as the desktop app would. Targets: one brief ≤ 0.5 s, 50 briefs ≤ 15 s.

use std::time::{Duration, Instant};

use vetta::brief::Typesetter;

fn main() {
    let vendor = vetta::brief::demo::vendor_brief();
    let comparison = vetta::brief::demo::comparison_brief();

    let start = Instant::now();
    let ts = Typesetter::new();
    let fonts = start.elapsed();
    println!("Typesetter::new (embedded fonts parsed once): {fonts:.2?}");

    let start = Instant::now();
    let pdf = ts.render_vendor(&vendor).expect("vendor brief");
    let first = start.elapsed();
    println!("first vendor brief (cold caches): {first:.2?}, {} bytes", pdf.len());

    let start = Instant::now();
    let pdf = ts.render_comparison(&comparison).expect("comparison brief");
    println!("first comparison brief: {:.2?}, {} bytes", start.elapsed(), pdf.len());

    // 50 distinct briefs: each has another vendor name and date, so typst's caches cannot replay a
    // whole document and every brief is laid out anew (the fonts and library stay shared).
    let start = Instant::now();
    let mut slowest = Duration::ZERO;
    for i in 0..50 {
        let one = Instant::now();
        if i % 5 == 4 {
            let mut c = comparison.clone();
            c.meta.title = format!("Procurement risk comparison #{i}");
            ts.render_comparison(&c).expect("comparison brief");
        } else {
            let mut v = vendor.clone();
            v.vendor.name = format!("Kaspersky Lab (run {i})");
            v.meta.document_date = format!("2026-12-{:02}", 1 + i % 28);
            ts.render_vendor(&v).expect("vendor brief");
        }
        slowest = slowest.max(one.elapsed());
    }
    let total = start.elapsed();
    println!("50 briefs (40 vendor, 10 comparison), one typesetter: {total:.2?} total, {:.2?} mean, {slowest:.2?} slowest", total / 50);

    let one_ok = first <= Duration::from_millis(500);
    let fifty_ok = total <= Duration::from_secs(15);
    println!("target one brief ≤ 0.5 s: {}", if one_ok { "met" } else { "MISSED" });
    println!("target 50 briefs ≤ 15 s: {}", if fifty_ok { "met" } else { "MISSED" });
}
