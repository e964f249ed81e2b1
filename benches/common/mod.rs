//! What the engine benches share: the example, scaled, and a run of all its
//! variants.

use wijkbudget::dist::Dist;
use wijkbudget::engine::{self, NoProgress, RunConfig};
use wijkbudget::model::Model;

/// The example's variants.
pub fn example() -> Vec<Model> {
    wijkbudget::scenario::parse(wijkbudget::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
        .expect("the example is valid")
        .variants
}

/// Multiplies households, ceiling, reserve and prevention budgets by `f`, so
/// that the area behaves alike with `f` times the people.
pub fn scaled(models: &[Model], f: f64) -> Vec<Model> {
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

/// All variants together, as `wijkbudget run` simulates them; the sink only
/// reads one value per replication, so this measures the simulation.
pub fn run_all(models: &[Model], replications: u32) -> f64 {
    let cfg = RunConfig {
        replications,
        seed: 1,
    };
    let refs: Vec<&Model> = models.iter().collect();
    let mut acc = 0.0;
    engine::simulate_variants(&refs, &cfg, &NoProgress, |block| {
        for i in 0..block.len {
            acc += block.rows(0, i)[0];
        }
    });
    acc
}
