//! Timing of the scoring hot paths on a deterministic pseudo-random store: re-scoring and ranking
//! every vendor (what a weight slider does on each move) and SMAA at the CLI's default sample count.
//! Plain `Instant` and medians; run with `cargo bench` (release).

use std::hint::black_box;
use std::time::{Duration, Instant};

use vetta::scoring::{Matrix, Method, SmaaMode, Weights, preset, ranks, scores, smaa, stability, tornado};

/// SplitMix64: a fixed, dependency-free stream so every run benches the same matrix.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `n` vendors with shuffled ids, factors in [0, 1] (a quarter of them exactly 0, like real stores
/// where most vendors have no designation or ties), mitigation mostly 0.
fn store(n: usize) -> (Vec<String>, Vec<f64>, Vec<f64>) {
    let mut rng = SplitMix(0x5EED);
    let ids = (0..n).map(|_| format!("vendor-{:016x}", rng.next())).collect();
    let x = (0..n * 8).map(|_| if rng.next().is_multiple_of(4) { 0.0 } else { rng.unit() }).collect();
    let mitigation = (0..n).map(|_| if rng.next().is_multiple_of(5) { 0.3 * rng.unit() } else { 0.0 }).collect();
    (ids, x, mitigation)
}

/// Wall-clock median and mean CPU time (all threads) per run. The machine is shared, so the CPU
/// time says what the code costs when the wall clock is inflated by someone else's build.
fn median(runs: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    f(); // warm-up
    let cpu_before = cpu_time();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    let cpu = cpu_time().zip(cpu_before).map(|(after, before)| (after - before) / runs as u32);
    times.sort();
    (times[runs / 2], cpu)
}

/// CPU time of every thread of this process so far, from Linux's per-task schedstat (ns); `None`
/// elsewhere. Threads that already exited are not counted, which rayon's long-lived pool avoids.
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

fn report(what: &str, (wall, cpu): (Duration, Option<Duration>), target: Option<Duration>) {
    let verdict = match target {
        Some(target) if wall <= target => format!("  target ≤ {target:?}: ok"),
        Some(target) => format!("  target ≤ {target:?}: MISSED"),
        None => String::new(),
    };
    let cpu = cpu.map_or(String::new(), |cpu| format!("  (cpu {:>9.3} ms)", cpu.as_secs_f64() * 1e3));
    println!("{what:<58} {:>9.3} ms{cpu}{verdict}", wall.as_secs_f64() * 1e3);
}

fn main() {
    println!("rayon threads: {}; wall = median, cpu = mean over all threads per run", rayon::current_num_threads());
    let weights = Weights::normalised(preset("default").unwrap().to_array()).unwrap();

    let (ids, x, mitigation) = store(10_000);
    let m = Matrix::new(&ids, &x, &mitigation).unwrap();
    for method in Method::ALL {
        let time = median(201, || {
            let s = scores(black_box(&m), &weights, method);
            black_box(ranks(&ids, &s));
        });
        let target = (method == Method::WeightedSum).then(|| Duration::from_millis(1));
        report(&format!("score + rank 10,000 vendors, {}", method.as_str()), time, target);
    }
    let time = median(21, || {
        black_box(stability(&m, &weights, 17));
    });
    report("stability, 1 vendor of 10,000 (8 factors)", time, None);
    let time = median(21, || {
        black_box(tornado(&m, &weights, Method::WeightedSum, 17, 0.5).unwrap());
    });
    report("tornado, 1 vendor of 10,000 (16 rescorings)", time, None);

    let (ids, x, mitigation) = store(1_000);
    let m = Matrix::new(&ids, &x, &mitigation).unwrap();
    let cases = [
        (Method::WeightedSum, SmaaMode::Uniform),
        (Method::WeightedSum, SmaaMode::Around { kappa: 50.0 }),
        (Method::WeightedProduct, SmaaMode::Uniform),
        (Method::WeightedProduct, SmaaMode::Around { kappa: 50.0 }),
    ];
    for (method, mode) in cases {
        let time = median(7, || {
            black_box(smaa(&m, &weights, method, 10_000, 0, mode, None).unwrap());
        });
        report(
            &format!("SMAA 10,000 samples x 1,000 vendors, {} {}", method.as_str(), mode.as_str()),
            time,
            Some(Duration::from_millis(300)),
        );
    }
}
