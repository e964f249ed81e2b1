//! Engine throughput: replications per second of the shipped example scenario
//! (all its variants), and of the same scenario with 100 times the households.
//!
//! Run with `cargo bench --bench engine`; the numbers are in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wijkbudget::dist::Dist;
use wijkbudget::engine::{self, NoProgress, RunConfig};
use wijkbudget::model::Model;

/// The example's variants.
fn example() -> Vec<Model> {
    wijkbudget::scenario::parse(wijkbudget::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
        .expect("the example is valid")
        .variants
}

/// Multiplies households, ceiling, reserve and prevention budgets by `f`, so
/// that the area behaves alike with `f` times the people.
fn scaled(models: &[Model], f: f64) -> Vec<Model> {
    models
        .iter()
        .map(|m| {
            let mut m = m.clone();
            for spec in &mut m.params.specs {
                let p = spec.path.as_str();
                let scale = p.ends_with(".households")
                    || p == "budget.ceiling"
                    || p.starts_with("budget.reserve")
                    || p.starts_with("prevention.budget");
                if scale {
                    spec.dist = Dist::fixed(spec.dist.mean() * f).expect("finite");
                }
            }
            m
        })
        .collect()
}

fn run_all(models: &[Model], replications: u32) -> f64 {
    let cfg = RunConfig {
        replications,
        seed: 1,
    };
    models
        .iter()
        .map(|m| engine::simulate(m, &cfg, &NoProgress).data[0])
        .sum()
}

fn throughput(c: &mut Criterion) {
    let base = example();
    let big = scaled(&base, 100.0);
    let reps = 256;
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    // One element = one replication of one variant.
    group.throughput(Throughput::Elements(u64::from(reps) * base.len() as u64));
    for (name, models) in [("example", &base), ("example_x100_households", &big)] {
        group.bench_with_input(BenchmarkId::new(name, reps), models, |b, m| {
            b.iter(|| run_all(m, reps));
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
