//! Engine throughput: replications per second of the shipped example scenario
//! (all its variants) on one core and on all cores, and of the same scenario
//! with 100 times the households, a 20-year horizon and 12 streams.
//!
//! Run with `cargo bench --bench engine`; the numbers are in docs/performance.md.

mod common;

use common::{example, run_all, scaled};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wijkbudget::engine::{self, NoProgress, RunConfig};
use wijkbudget::model::Model;

/// The example with a longer horizon.
fn horizon(models: &[Model], years: u32) -> Vec<Model> {
    models
        .iter()
        .map(|m| Model {
            horizon_years: years,
            ..m.clone()
        })
        .collect()
}

/// The example with its streams repeated to `n` streams (sharing parameters).
fn streams(models: &[Model], n: usize) -> Vec<Model> {
    models
        .iter()
        .map(|m| {
            let mut m = m.clone();
            let base = m.streams.clone();
            m.streams = (0..n)
                .map(|i| {
                    let mut s = base[i % base.len()].clone();
                    s.name = format!("{}_{i}", s.name);
                    s
                })
                .collect();
            if let wijkbudget::model::BudgetMode::Siloed { shares } = &mut m.budget.mode {
                *shares = (0..n).map(|i| shares[i % shares.len()]).collect();
            }
            m
        })
        .collect()
}

fn throughput(c: &mut Criterion) {
    let base = example();
    let reps = 256;
    let cases = [
        ("example", base.clone()),
        ("example_x100_households", scaled(&base, 100.0)),
        ("example_20_years", horizon(&base, 20)),
        ("example_12_streams", streams(&base, 12)),
    ];
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    // One element = one replication of one variant.
    group.throughput(Throughput::Elements(u64::from(reps) * base.len() as u64));
    for (name, models) in &cases {
        group.bench_with_input(BenchmarkId::new(*name, reps), models, |b, m| {
            b.iter(|| run_all(m, reps));
        });
    }
    // The whole of `wijkbudget run` but the files: simulation and the
    // streaming statistics of every variant, over enough blocks for the
    // statistics of one block to overlap the simulation of the next.
    let sc = wijkbudget::scenario::parse(wijkbudget::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
        .expect("the example is valid");
    let stats_reps = 8 * engine::BLOCK as u32;
    group.throughput(Throughput::Elements(
        u64::from(stats_reps) * base.len() as u64,
    ));
    group.bench_with_input(
        BenchmarkId::new("example_with_statistics", stats_reps),
        &sc,
        |b, sc| {
            b.iter(|| {
                let models: Vec<&Model> = sc.variants.iter().collect();
                let cfg = RunConfig {
                    replications: stats_reps,
                    seed: 1,
                };
                let mut c = wijkbudget::results::Collector::new(sc, &models, cfg.seed, None);
                engine::simulate_variants(&models, &cfg, &NoProgress, |block| c.push_block(block));
                c.finish().0.variants[0].headline.total_cost.mean
            });
        },
    );
    // The same example on one core.
    group.throughput(Throughput::Elements(u64::from(reps) * base.len() as u64));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    group.bench_with_input(BenchmarkId::new("example_1_thread", reps), &base, |b, m| {
        b.iter(|| one.install(|| run_all(m, reps)));
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
