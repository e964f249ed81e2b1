//! The samplers alone: nanoseconds per draw of the binomial and the Poisson
//! for small and large means, against `rand_distr` constructed per draw (as
//! the engine would have to, since n, p and the mean change with every call),
//! and in chains where each draw's n depends on the draw before, as in the
//! engine's monthly loop. The same on four lanes (`*_lanes`, one element per
//! lane), as the engine draws them, built for AVX2 where the processor has it.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_distr::Distribution;
use rand_xoshiro::Xoshiro256PlusPlus;
use wijkbudget::rng::RngLanes;
use wijkbudget::sampler::{binomial, binomial_f64, binomial_lanes, poisson, poisson_lanes};
use wijkbudget::simd::F;

/// (n, p): means from 0.1 to 5,000,000, with several around the switch from
/// inversion to BTRS.
const BINOMIAL: [(u64, f64); 9] = [
    (10, 0.01),
    (1000, 0.001),
    (100, 0.05),
    (200, 0.1),
    (50, 0.3),
    (500, 0.1),
    (10_000, 0.05),
    (1_000_000, 0.02),
    (10_000_000, 0.5),
];

/// Means from 0.5 to 10,000.
const POISSON: [f64; 7] = [0.5, 5.0, 15.0, 30.0, 50.0, 100.0, 10_000.0];

fn binomial_draws(c: &mut Criterion) {
    let mut group = c.benchmark_group("binomial");
    for (n, p) in BINOMIAL {
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

fn poisson_draws(c: &mut Criterion) {
    let mut group = c.benchmark_group("poisson");
    for mean in POISSON {
        let id = format!("mean{mean}");
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function(BenchmarkId::new("wijkbudget", &id), |b| {
            b.iter(|| poisson(&mut rng, black_box(mean)));
        });
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        group.bench_function(BenchmarkId::new("rand_distr", &id), |b| {
            b.iter(|| {
                rand_distr::Poisson::new(black_box(mean))
                    .map(|d| d.sample(&mut rng))
                    .unwrap_or(0.0)
            });
        });
    }
    group.finish();
}

/// Pairs of dependent draws as the engine makes them for a level: those who
/// leave, Binomial(n, 0.05), then those who escalate among who stay,
/// Binomial(n − out, 0.02); the next pair waits on both. Nanoseconds per
/// draw: the latency of a draw, where the other benches measure its
/// throughput. n = 200 draws by inversion (means 10 and 4), 2,000 by BTRS
/// (100 and 38), 100,000 by BTRS with a large mean.
fn dependent_draws(c: &mut Criterion) {
    let mut group = c.benchmark_group("binomial_chain");
    group.throughput(Throughput::Elements(2));
    for n0 in [200.0, 2_000.0, 100_000.0] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut n: f64 = n0;
        group.bench_function(BenchmarkId::new("wijkbudget", n0), |b| {
            b.iter(|| {
                let out = binomial_f64(&mut rng, n, 0.05);
                let esc = binomial_f64(&mut rng, n - out, 0.02);
                // Back to n, through both draws.
                n = n - out - esc + (out + esc);
                n
            });
        });
    }
    group.finish();
}

/// Proof that the processor has AVX2: only [`avx2`] makes one, after
/// checking.
#[derive(Clone, Copy)]
struct Avx2(());

/// Whether the lane benches run the AVX2 build, as the engine does where it can.
fn avx2() -> Option<Avx2> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        return Some(Avx2(()));
    }
    None
}

/// The lane samplers on the build the engine takes: compiled for AVX2
/// (called only where the processor has it) or portable.
macro_rules! on_best_build {
    ($name:ident, $avx2:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty, $body:expr) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        fn $avx2($($arg: $ty),*) -> $ret {
            $body
        }

        #[inline(always)]
        fn $name(avx2: Option<Avx2>, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            if avx2.is_some() {
                // SAFETY: an `Avx2` exists only where the processor has AVX2.
                return unsafe { $avx2($($arg),*) };
            }
            let _ = avx2;
            $body
        }
    };
}

on_best_build!(binomial4, binomial4_avx2, (rng: &mut RngLanes<4>, n: F<4>, p: F<4>) -> F<4>,
    binomial_lanes(rng, n, p));
on_best_build!(poisson4, poisson4_avx2, (rng: &mut RngLanes<4>, mean: F<4>) -> F<4>,
    poisson_lanes(rng, mean));
on_best_build!(chain4, chain4_avx2, (rng: &mut RngLanes<4>, n: F<4>) -> F<4>, {
    let out = binomial_lanes(rng, n, F::splat(0.05));
    let esc = binomial_lanes(rng, n - out, F::splat(0.02));
    // Back to n, through both draws.
    n - out - esc + (out + esc)
});

/// Four lanes at a time, each lane its own (n, p) and generator as in the
/// engine (the example's replications differ a little in their counts).
fn lane_draws(c: &mut Criterion) {
    let avx2 = avx2();
    let mut group = c.benchmark_group("binomial_lanes");
    group.throughput(Throughput::Elements(4));
    for (n, p) in BINOMIAL {
        let nf = n as f64;
        let ns = F([nf, nf + 3.0, (nf - 1.0).max(1.0), nf + 7.0]);
        let mut rng = RngLanes::streams(1, [0, 1, 2, 3], 0);
        group.bench_function(BenchmarkId::new("wijkbudget", format!("n{n}_p{p}")), |b| {
            b.iter(|| binomial4(avx2, &mut rng, black_box(ns), black_box(F::splat(p))));
        });
    }
    group.finish();
    let mut group = c.benchmark_group("poisson_lanes");
    group.throughput(Throughput::Elements(4));
    for mean in POISSON {
        let means = F([mean, mean * 1.01, mean * 0.99, mean * 1.02]);
        let mut rng = RngLanes::streams(1, [0, 1, 2, 3], 0);
        group.bench_function(BenchmarkId::new("wijkbudget", format!("mean{mean}")), |b| {
            b.iter(|| poisson4(avx2, &mut rng, black_box(means)));
        });
    }
    group.finish();
    let mut group = c.benchmark_group("binomial_chain_lanes");
    group.throughput(Throughput::Elements(8));
    for n0 in [200.0, 2_000.0, 100_000.0] {
        let mut rng = RngLanes::streams(1, [0, 1, 2, 3], 0);
        let mut n = F::splat(n0);
        group.bench_function(BenchmarkId::new("wijkbudget", n0), |b| {
            b.iter(|| {
                n = chain4(avx2, &mut rng, n);
                n
            });
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    binomial_draws,
    poisson_draws,
    dependent_draws,
    lane_draws
);
criterion_main!(benches);
