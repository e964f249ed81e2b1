//! The quantile functions alone: nanoseconds per quantile for the PERT
//! shapes a scenario uses, a beta with a shape below one and a gamma, at a
//! few fixed probabilities from the lower tail to the upper; through
//! `Dist::quantile` (which prepares the distribution on every call) and
//! through a `Quantile` prepared once (as the engine would keep it).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use wijkbudget::dist::Dist;

/// Probabilities from the lower tail through the centre to the upper tail.
const US: [f64; 4] = [0.001, 0.3, 0.5, 0.97];

/// (name, distribution): PERT with a = b = 3, a skewed PERT, a PERT with its
/// mode near the lower bound, a beta with a shape below one, and a gamma.
fn dists() -> Vec<(&'static str, Dist)> {
    vec![
        ("pert_0_0.1_0.2", Dist::pert(0.0, 0.1, 0.2, 4.0).unwrap()),
        (
            "pert_0_0.08_0.25",
            Dist::pert(0.0, 0.08, 0.25, 4.0).unwrap(),
        ),
        ("pert_0_0.02_1", Dist::pert(0.0, 0.02, 1.0, 4.0).unwrap()),
        ("beta_0.5_3", Dist::beta(0.5, 3.0, 0.0, 1.0).unwrap()),
        ("gamma_2.5_1", Dist::gamma(2.5, 1.0).unwrap()),
    ]
}

fn quantiles(c: &mut Criterion) {
    let mut group = c.benchmark_group("quantile");
    for (name, d) in dists() {
        for u in US {
            let id = format!("{name}_u{u}");
            group.bench_function(BenchmarkId::new("dist", &id), |b| {
                b.iter(|| black_box(&d).quantile(black_box(u)));
            });
            let q = d.prepare();
            group.bench_function(BenchmarkId::new("prepared", &id), |b| {
                b.iter(|| black_box(&q).quantile(black_box(u)));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, quantiles);
criterion_main!(benches);
