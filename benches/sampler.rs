//! The binomial sampler alone: nanoseconds per draw for small and large n·p,
//! against `rand_distr::Binomial` constructed per draw (as the engine would
//! have to, since n and p change with every call).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_distr::Distribution;
use rand_xoshiro::Xoshiro256PlusPlus;
use wijkbudget::sampler::binomial;

const CASES: [(u64, f64); 6] = [
    (10, 0.01),
    (1000, 0.001),
    (50, 0.3),
    (10_000, 0.05),
    (1_000_000, 0.02),
    (10_000_000, 0.5),
];

fn draws(c: &mut Criterion) {
    let mut group = c.benchmark_group("binomial");
    for (n, p) in CASES {
        let id = format!("n{n}_p{p}");
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function(BenchmarkId::new("wijkbudget", &id), |b| {
            b.iter(|| binomial(&mut rng, black_box(n), black_box(p)));
        });
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function(BenchmarkId::new("rand_distr", &id), |b| {
            b.iter(|| {
                rand_distr::Binomial::new(black_box(n), black_box(p))
                    .map(|d| d.sample(&mut rng))
                    .unwrap_or(0)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, draws);
criterion_main!(benches);
