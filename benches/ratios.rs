//! The throughput targets that are ratios, measured by alternation: the
//! example and the example with 100 times the households, on one thread and
//! on two, run in turn in one process. This machine's speed drifts by ±20 %
//! from hour to hour, more than a criterion run of one case and then the
//! other can separate from a change; in turns, the drift falls on both
//! sides of each ratio alike.
//!
//! Run with `cargo bench --bench ratios` (`RATIO_ROUNDS`, default 7,
//! `RATIO_REPLICATIONS`, default 1,024, per case and round, and
//! `RATIO_SCALE`, the factor on the households, default 100).

mod common;

use std::time::Instant;

use common::{example, run_all, scaled};
use wijkbudget::model::Model;

fn env_or(key: &str, default: u32) -> u32 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The median of a non-empty list.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn main() {
    let rounds = env_or("RATIO_ROUNDS", 7).max(1) as usize;
    let reps = env_or("RATIO_REPLICATIONS", 1024).max(1);
    let base = example();
    let scale = env_or("RATIO_SCALE", 100).max(1);
    let x100 = scaled(&base, f64::from(scale));
    let big = format!("× {scale} households");
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    };
    let pools = [pool(1), pool(2)];
    let cases: [(String, &[Model], usize); 4] = [
        ("example, 2 threads".into(), &base, 1),
        (format!("{big}, 2 threads"), &x100, 1),
        ("example, 1 thread".into(), &base, 0),
        (format!("{big}, 1 thread"), &x100, 0),
    ];
    let elements = f64::from(reps) * base.len() as f64;
    // Seconds per case and round.
    let mut secs = vec![vec![]; cases.len()];
    for _ in 0..rounds {
        for (i, (_, models, p)) in cases.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(pools[*p].install(|| run_all(models, reps)));
            secs[i].push(t.elapsed().as_secs_f64());
        }
    }
    println!(
        "{rounds} rounds of {reps} replications of {} variants",
        base.len()
    );
    println!("{:<30} {:>12} {:>12}", "case", "best /s", "median /s");
    for ((name, ..), s) in cases.iter().zip(&secs) {
        let best = s.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{name:<30} {:>12.0} {:>12.0}",
            elements / best,
            elements / median(s.clone())
        );
    }
    // Ratios within each round, then their median.
    let ratio =
        |a: usize, b: usize| median(secs[a].iter().zip(&secs[b]).map(|(x, y)| x / y).collect());
    println!(
        "{big} / example (time), 2 threads: {:.2}{}",
        ratio(1, 0),
        if scale == 100 {
            " (target ≤ 1.5)"
        } else {
            ""
        }
    );
    println!("{big} / example (time), 1 thread:  {:.2}", ratio(3, 2));
    println!(
        "2 threads / 1 thread (speed), example:        {:.2} (target ≥ 1.8)",
        ratio(2, 0)
    );
}
