//! Time to draw each chart's SVG for a realistic input (target: ≤ 10 ms each in release).
//! Run: `cargo bench --bench charts`. Prints the median and worst of repeated runs.

#[path = "charts_demo.rs"]
mod demo;

use std::hint::black_box;
use std::time::{Duration, Instant};

use vetta::charts::Theme;

/// One chart drawn from prepared input.
type Chart<'a> = Box<dyn FnMut() -> String + 'a>;

/// Runs `f` for a warm-up and then `runs` times; returns (median, worst, output size).
fn time(runs: usize, mut f: impl FnMut() -> String) -> (Duration, Duration, usize) {
    let size = black_box(f()).len();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    samples.sort();
    (samples[runs / 2], samples[runs - 1], size)
}

fn main() {
    let theme = Theme::print();
    let ranking = demo::ranking(40);
    let profiles = demo::profiles(5);
    let sales = demo::sales(8, 10);
    let installs = demo::installs();
    let testimony = demo::testimony();
    let (base, tornado) = demo::tornado();
    let smaa = demo::smaa(40, 10);
    let graph = demo::ownership_generated(30);
    let ranking_300 = demo::ranking(300);

    let cases: Vec<(&str, Chart)> = vec![
        ("ranking (40 vendors)", Box::new(|| vetta::charts::ranking(&ranking, &theme))),
        ("ranking (300 vendors, top 40 drawn)", Box::new(|| vetta::charts::ranking(&ranking_300, &theme))),
        ("radar (5 vendors)", Box::new(|| vetta::charts::radar(&profiles, &theme))),
        ("sales_by_region (8 years × 10 countries)", Box::new(|| vetta::charts::sales_by_region(&sales, &theme))),
        ("install_base (10 years)", Box::new(|| vetta::charts::install_base(&installs, &theme))),
        ("testimony_timeline (12 notes)", Box::new(|| vetta::charts::testimony_timeline(&testimony, &theme))),
        ("tornado (8 factors)", Box::new(|| vetta::charts::tornado(base, &tornado, &theme))),
        ("smaa_heatmap (40 × 10)", Box::new(|| vetta::charts::smaa_heatmap(&smaa, &theme))),
        ("ownership (30 nodes)", Box::new(|| vetta::charts::ownership(&graph, &theme))),
    ];
    println!("{:<44} {:>10} {:>10} {:>10}", "chart", "median ms", "worst ms", "SVG bytes");
    let mut over = Vec::new();
    for (name, mut f) in cases {
        let (median, worst, size) = time(200, &mut f);
        println!("{name:<44} {:>10.3} {:>10.3} {size:>10}", median.as_secs_f64() * 1e3, worst.as_secs_f64() * 1e3);
        if median > Duration::from_millis(10) {
            over.push(name);
        }
    }
    if over.is_empty() {
        println!("all charts within the 10 ms target");
    } else {
        println!("over the 10 ms target: {over:?}");
    }
}
