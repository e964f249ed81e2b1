//! The engine against closed-form Markov expectations, determinism and
//! common random numbers.

use nalgebra::{DMatrix, DVector};
use wijkbudget::engine::{self, NoProgress, RunConfig};
use wijkbudget::stats::Stat;

use crate::common::{Spec, column, simulate};

/// Expected end-of-month state of one (stratum, stream) cell, by the
/// linear recursion E[x(t+1)] = A E[x(t)] + b(t) over (levels…, leavers),
/// started from the fixed point of the rates at t = 0, solved with nalgebra.
/// Returns per month the expected clients per level.
fn markov_cell(spec: &Spec, s: usize, k: usize, rounded: bool) -> Vec<Vec<f64>> {
    let levels = &spec.levels[k];
    let n = levels.len();
    let dim = n + 1;
    let (rel_rate, window) = spec.relapse[k];
    let p_exit = 1.0 / window;
    let es = spec.early_share[k];
    let entry = 1.min(n - 1);
    let mut a = DMatrix::<f64>::zeros(dim, dim);
    // Needs per unit of leavers (relapse) enter like new needs.
    let mut entry_vec = DVector::<f64>::zeros(dim);
    entry_vec[0] += es;
    entry_vec[entry] += 1.0 - es;
    for l in 0..n {
        let (_, _, _, dur, esc) = levels[l];
        let po = 1.0 / dur;
        let pe = if l + 1 < n { esc } else { 0.0 };
        a[(l, l)] = (1.0 - po) * (1.0 - pe);
        if l + 1 < n {
            a[(l + 1, l)] = (1.0 - po) * pe;
        }
        a[(n, l)] = po;
    }
    a[(n, n)] = (1.0 - rel_rate) * (1.0 - p_exit);
    for i in 0..dim {
        a[(i, n)] += rel_rate * entry_vec[i];
    }
    let rate = spec.incidence[k] * spec.risk[k][s];
    let p_inc = rate / 12.0;
    let households = |m: usize| {
        let h = spec.households[s] * ((1.0 + spec.growth[s]).ln() / 12.0 * m as f64).exp();
        if rounded { h.round() } else { h }
    };
    let b = |m: usize| &entry_vec * (households(m) * p_inc);
    // Steady state at the start: (I - A) x = b(0), with households(0).
    let eye = DMatrix::<f64>::identity(dim, dim);
    let mut x = (eye - &a).lu().solve(&b(0)).expect("non-singular");
    let mut out = Vec::new();
    for m in 0..spec.horizon_years as usize * 12 {
        x = &a * &x + b(m);
        out.push(x.iter().take(n).copied().collect());
    }
    out
}

/// Expected yearly mean clients per (stream, level), summed over strata.
fn markov_yearly(spec: &Spec, rounded: bool) -> Vec<Vec<Vec<f64>>> {
    let years = spec.horizon_years as usize;
    let mut out: Vec<Vec<Vec<f64>>> = (0..2)
        .map(|k| vec![vec![0.0; spec.levels[k].len()]; years])
        .collect();
    for s in 0..2 {
        for (k, per_stream) in out.iter_mut().enumerate() {
            for (m, state) in markov_cell(spec, s, k, rounded).into_iter().enumerate() {
                for (l, x) in state.into_iter().enumerate() {
                    per_stream[m / 12][l] += x / 12.0;
                }
            }
        }
    }
    out
}

fn growing() -> Spec {
    Spec {
        growth: [0.06, -0.03],
        ..Spec::default()
    }
}

#[test]
fn expected_values_match_the_markov_recursion_exactly() {
    let spec = Spec {
        process_uncertainty: false,
        ..growing()
    };
    let run = simulate(&spec.build("x"), 3, 1);
    let expected = markov_yearly(&spec, false);
    for (k, stream) in ["wmo", "jeugd"].iter().enumerate() {
        for (l, (level, ..)) in spec.levels[k].iter().enumerate() {
            for (y, e) in expected[k].iter().enumerate() {
                let got = column(&run, y, &format!("clients.{stream}.{level}"))[0];
                assert!(
                    (got - e[l]).abs() <= 1e-9 * e[l].max(1.0),
                    "{stream}.{level} year {y}: engine {got}, Markov {}",
                    e[l]
                );
            }
        }
    }
}

#[test]
fn mean_caseload_matches_the_markov_expectation_within_4_se() {
    let spec = growing();
    let run = simulate(&spec.build("x"), 1500, 20261122);
    let expected = markov_yearly(&spec, true);
    let mut checked = 0;
    for (k, stream) in ["wmo", "jeugd"].iter().enumerate() {
        for (l, (level, ..)) in spec.levels[k].iter().enumerate() {
            for (y, e) in expected[k].iter().enumerate() {
                let s = Stat::of(&column(&run, y, &format!("clients.{stream}.{level}")));
                assert!(s.se > 0.0, "process uncertainty gives spread");
                let z = (s.mean - e[l]) / s.se;
                assert!(
                    z.abs() < 4.0,
                    "{stream}.{level} year {y}: mean {} ± {}, Markov {} (z = {z:.2})",
                    s.mean,
                    s.se,
                    e[l]
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * 5);
}

#[test]
fn spend_is_clients_times_indexed_cost() {
    let spec = Spec {
        process_uncertainty: false,
        ..Spec::default()
    };
    let run = simulate(&spec.build("x"), 1, 3);
    for y in 0..5 {
        let f = 1.03f64.powi(y as i32);
        let want = (column(&run, y, "clients.wmo.maatwerk")[0] * 500.0
            + column(&run, y, "clients.wmo.zwaar")[0] * 2500.0)
            * 12.0
            * f;
        let got = column(&run, y, "spend.wmo")[0];
        assert!(
            (got - want).abs() < 1e-6 * want,
            "year {y}: {got} vs {want}"
        );
        let team = column(&run, y, "team_spend.wmo")[0];
        let want_team = column(&run, y, "clients.wmo.basis")[0] * 150.0 * 12.0 * f;
        assert!((team - want_team).abs() < 1e-6 * want_team);
    }
}

fn uncertain_spec() -> Spec {
    use wijkbudget::dist::Dist;
    Spec {
        parameter_uncertainty: true,
        uncertain: vec![
            ("stream.wmo.incidence", Dist::uniform(0.015, 0.025).unwrap()),
            (
                "stream.jeugd.price_index",
                Dist::uniform(0.01, 0.06).unwrap(),
            ),
            ("stream.wmo.price_index", Dist::uniform(0.01, 0.06).unwrap()),
        ],
        correlations: vec![(
            vec!["stream.wmo.price_index", "stream.jeugd.price_index"],
            vec![vec![1.0, 0.8], vec![0.8, 1.0]],
        )],
        ceiling: 2.0e6,
        reserve_cap: 2e5,
        reinvest_share: 0.3,
        waitlist: None,
        ..Spec::default()
    }
}

#[test]
fn results_are_bit_identical_for_one_and_two_threads() {
    let model = uncertain_spec().build("x");
    let cfg = RunConfig {
        replications: 97,
        seed: 42,
    };
    let run_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| engine::simulate(&model, &cfg, &NoProgress))
    };
    let one = run_with(1);
    let two = run_with(2);
    assert_eq!(one.data.len(), two.data.len());
    assert!(
        one.data
            .iter()
            .zip(&two.data)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    assert!(
        one.params
            .iter()
            .zip(&two.params)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    // And a different seed gives different results.
    let other = engine::simulate(&model, &RunConfig { seed: 43, ..cfg }, &NoProgress);
    assert_ne!(one.data, other.data);
}

#[test]
fn a_replication_does_not_depend_on_how_many_run() {
    let model = uncertain_spec().build("x");
    let few = simulate(&model, 10, 7);
    let many = simulate(&model, 50, 7);
    assert_eq!(few.data[..], many.data[..few.data.len()]);
}

#[test]
fn the_evaluator_reproduces_a_replication_of_the_run() {
    let model = uncertain_spec().build("x");
    let run = simulate(&model, 6, 11);
    let ev = wijkbudget::engine::Evaluator::new(&model);
    let mut values = vec![0.0; model.params.len()];
    let mut out = vec![0.0; ev.row_len()];
    for r in [0usize, 5] {
        ev.draw(11, r as u64, &mut values);
        assert_eq!(
            values[..],
            run.params[r * run.n_params..(r + 1) * run.n_params]
        );
        ev.run(11, r as u64, &values, &mut out);
        assert_eq!(out[..], run.replication(r)[..]);
    }
    // Other parameter values give another result.
    values[0] *= 1.5;
    ev.run(11, 5, &values, &mut out);
    assert_ne!(out[..], run.replication(5)[..]);
}

#[test]
fn many_replications_at_once_are_each_replication_alone() {
    // Seven replications: a group of four lanes and three alone, each with
    // its own parameter values; every row must be the one `run` gives.
    let model = uncertain_spec().build("x");
    let ev = wijkbudget::engine::Evaluator::new(&model);
    let np = model.params.len();
    let len = ev.row_len();
    let first = 20;
    let mut values = vec![0.0; 7 * np];
    for (i, v) in values.chunks_exact_mut(np).enumerate() {
        ev.draw(5, first + i as u64, v);
    }
    let mut many = vec![0.0; 7 * len];
    ev.run_many(5, first, 7, |i| &values[i * np..(i + 1) * np], &mut many);
    let mut alone = vec![0.0; len];
    for (i, row) in many.chunks_exact(len).enumerate() {
        ev.run(
            5,
            first + i as u64,
            &values[i * np..(i + 1) * np],
            &mut alone,
        );
        assert_eq!(row, &alone[..], "replication {}", first + i as u64);
    }
    assert_ne!(many[..len], many[len..2 * len], "replications differ");
}

#[test]
fn variants_share_parameter_draws_they_leave_alone() {
    let base = uncertain_spec();
    let mut variant = base.clone();
    variant.uncertain[1].1 = wijkbudget::dist::Dist::uniform(0.0, 0.1).unwrap();
    variant.prevention_budget = 100_000.0;
    let (mb, mv) = (base.build("a"), variant.build("b"));
    let (rb, rv) = (simulate(&mb, 40, 9), simulate(&mv, 40, 9));
    let inc = mb.params.find("stream.wmo.incidence").unwrap().idx();
    let price = mb.params.find("stream.jeugd.price_index").unwrap().idx();
    for r in 0..40 {
        let (b, v) = (&rb.params[r * rb.n_params..], &rv.params[r * rv.n_params..]);
        assert_eq!(b[inc].to_bits(), v[inc].to_bits(), "same incidence draw");
        // The changed distribution is sampled at the same uniform: the
        // quantiles are ordered alike (0.01 + 0.05u vs 0.1u).
        let u_b = (b[price] - 0.01) / 0.05;
        let u_v = v[price] / 0.1;
        assert!((u_b - u_v).abs() < 1e-9);
    }
}

#[test]
fn correlated_parameters_are_drawn_correlated() {
    let model = uncertain_spec().build("x");
    let run = simulate(&model, 400, 5);
    let a = model.params.find("stream.wmo.price_index").unwrap().idx();
    let b = model.params.find("stream.jeugd.price_index").unwrap().idx();
    let xs: Vec<f64> = (0..400).map(|r| run.params[r * run.n_params + a]).collect();
    let ys: Vec<f64> = (0..400).map(|r| run.params[r * run.n_params + b]).collect();
    // Spearman correlation of a Gaussian copula: (6/π) asin(ρ/2).
    let want = 6.0 / std::f64::consts::PI * (0.8f64 / 2.0).asin();
    let got = wijkbudget::stats::spearman(&xs, &ys);
    // Standard error of Spearman's rho is about (1 - ρ²)/√n; allow 5 of them.
    assert!(
        (got - want).abs() < 5.0 * (1.0 - want * want) / 400f64.sqrt(),
        "{got} vs {want}"
    );
}

#[test]
fn common_random_numbers_make_paired_differences_precise() {
    let base = Spec::default();
    let mut variant = base.clone();
    variant.levels[0][1].2 = 505.0; // maatwerk 1 % dearer
    let (rb, rv) = (
        simulate(&base.build("a"), 400, 11),
        simulate(&variant.build("b"), 400, 11),
    );
    let cmp = wijkbudget::results::compare(&rb, &rv);
    assert!(cmp.total_cost_difference.mean > 0.0);
    assert!(
        cmp.total_cost_difference.se < cmp.unpaired_se / 10.0,
        "paired se {} vs unpaired {}",
        cmp.total_cost_difference.se,
        cmp.unpaired_se
    );
    // Without common random numbers (another seed) the pairing gains nothing.
    let rv_other = simulate(&variant.build("b"), 400, 12);
    let cmp_other = wijkbudget::results::compare(&rb, &rv_other);
    assert!(cmp_other.total_cost_difference.se > cmp_other.unpaired_se / 2.0);
}

/// The shipped example scenario.
fn example() -> wijkbudget::model::Scenario {
    wijkbudget::scenario::parse(wijkbudget::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
        .expect("example is valid")
}

#[test]
fn variants_run_together_equal_each_variant_run_alone() {
    let sc = example();
    let models: Vec<&wijkbudget::model::Model> = sc.variants.iter().collect();
    // More than one block, and not a whole number of chunks.
    let cfg = RunConfig {
        replications: engine::BLOCK as u32 + 37,
        seed: 99,
    };
    let together = engine::simulate_all(&models, &cfg, &NoProgress);
    for (m, run) in models.iter().zip(&together) {
        let alone = engine::simulate(m, &cfg, &NoProgress);
        assert_eq!(alone.params, run.params, "{}", m.variant);
        assert_eq!(alone.data, run.data, "{}", m.variant);
    }
    // The variants do differ, so the comparison above is not vacuous.
    assert_ne!(together[0].data, together[1].data);
}

#[test]
fn streamed_statistics_equal_statistics_of_the_kept_runs() {
    // The run streams blocks to the collector while the next block is
    // simulated, and the collector takes each variant in parallel; the
    // summary must be the one of pushing every replication in order.
    let sc = example();
    let models: Vec<&wijkbudget::model::Model> = sc.variants.iter().collect();
    let cfg = RunConfig {
        replications: 3 * engine::BLOCK as u32 + 17,
        seed: 5,
    };
    let runs = engine::simulate_all(&models, &cfg, &NoProgress);
    let kept = wijkbudget::results::summarize(&sc, &models, &runs, None);
    let mut collector = wijkbudget::results::Collector::new(&sc, &models, cfg.seed, None);
    let mut blocks = Vec::new();
    engine::simulate_variants(&models, &cfg, &NoProgress, |block| {
        blocks.push((block.first, block.len));
        collector.push_block(block);
    });
    let (streamed, _) = collector.finish();
    let json = |s: &wijkbudget::results::Summary| serde_json::to_string(s).expect("encodes");
    assert_eq!(json(&streamed), json(&kept));
    // Four blocks in order, the last one short.
    let b = engine::BLOCK;
    assert_eq!(blocks, vec![(0, b), (b, b), (2 * b, b), (3 * b, 17)]);
}
