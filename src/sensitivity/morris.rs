//! Morris elementary effects: a cheap screening of many inputs.
//!
//! Generic over the model: a function of a point in `[0, 1]^d` with any
//! number of outputs. Each of `r` trajectories starts at a random point of a
//! `p`-level grid and moves one input at a time by Δ = p / (2(p − 1)) of the
//! grid's span, so every input gets one elementary effect
//! EE = (f(x') − f(x)) / ±Δ per trajectory, at r·(d + 1) runs in all.
//! Per input: mu* = mean |EE| (overall influence), mu = mean EE (direction)
//! and sigma = sd EE (non-linearity or interactions). The grid spans
//! `[span_low, span_high]` of each coordinate, so an EE is the change of the
//! output per whole span: for a linear f = Σ c_i·x_i with x_i running over a
//! range R_i across the span, EE_i = c_i·R_i in every trajectory.

use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rng;

/// How to screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisConfig {
    /// Number of trajectories r.
    pub trajectories: usize,
    /// Number of grid levels p (even, at least 2).
    pub levels: usize,
    /// The grid runs from `span_low` to `span_high` in every coordinate.
    pub span_low: f64,
    pub span_high: f64,
    pub seed: u64,
}

/// The elementary-effect statistics of one input for one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MorrisIndex {
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// Mean elementary effect (its sign is the direction of the effect).
    pub mu: f64,
    /// Standard deviation of the elementary effects.
    pub sigma: f64,
}

/// Number of model runs: r·(d + 1).
pub fn runs_needed(trajectories: usize, dims: usize) -> usize {
    trajectories.saturating_mul(dims.saturating_add(1))
}

/// The grid levels (even, at least 2) for a requested number.
fn even_levels(p: usize) -> usize {
    let p = p.max(2);
    p + p % 2
}

/// Elementary effects of `f` over `dims` inputs; `result[output][input]`.
/// `f` must be deterministic; it runs in parallel, and the result depends
/// only on the configuration.
pub fn morris<F>(f: F, dims: usize, n_out: usize, cfg: &MorrisConfig) -> Vec<Vec<MorrisIndex>>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    let p = even_levels(cfg.levels);
    let jump = p / 2;
    let delta = jump as f64 / (p - 1) as f64;
    let (lo, hi) = (cfg.span_low, cfg.span_high);
    let at = |level: usize| lo + (hi - lo) * level as f64 / (p - 1) as f64;
    let r = cfg.trajectories.max(1);
    // Per trajectory: the order in which inputs move and the signed step of
    // each input (+Δ from the lower half of the grid, −Δ from the upper).
    let mut points = Vec::with_capacity(r * (dims + 1));
    let mut plans = Vec::with_capacity(r);
    for t in 0..r {
        let mut g = rng::stream(cfg.seed, t as u64, rng::purpose("morris/trajectory"));
        let levels: Vec<usize> = (0..dims)
            .map(|_| ((rng::open01(&mut g) * p as f64) as usize).min(p - 1))
            .collect();
        let mut order: Vec<usize> = (0..dims).collect();
        order.shuffle(&mut g);
        let mut x: Vec<f64> = levels.iter().map(|&l| at(l)).collect();
        points.push(x.clone());
        let mut signs = vec![0.0; dims];
        for &i in &order {
            let (to, sign) = if levels[i] < jump {
                (levels[i] + jump, 1.0)
            } else {
                (levels[i] - jump, -1.0)
            };
            x[i] = at(to);
            signs[i] = sign;
            points.push(x.clone());
        }
        plans.push((order, signs));
    }
    let values: Vec<Vec<f64>> = points.par_iter().map(|x| f(x)).collect();
    let get = |pt: usize, o: usize| values[pt].get(o).copied().unwrap_or(f64::NAN);
    (0..n_out)
        .map(|o| {
            // effects[i][t]: the EE of input i in trajectory t.
            let mut effects = vec![Vec::with_capacity(r); dims];
            for (t, (order, signs)) in plans.iter().enumerate() {
                let first = t * (dims + 1);
                for (step, &i) in order.iter().enumerate() {
                    let d = get(first + step + 1, o) - get(first + step, o);
                    effects[i].push(d / (signs[i] * delta));
                }
            }
            effects
                .iter()
                .map(|ee| {
                    let n = ee.len() as f64;
                    let mu = ee.iter().sum::<f64>() / n;
                    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n;
                    let sigma = if ee.len() < 2 {
                        0.0
                    } else {
                        (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                    };
                    MorrisIndex { mu_star, mu, sigma }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn cfg(trajectories: usize, levels: usize, seed: u64) -> MorrisConfig {
        MorrisConfig {
            trajectories,
            levels,
            span_low: 0.0,
            span_high: 1.0,
            seed,
        }
    }

    #[test]
    fn a_linear_function_has_mu_star_coefficient_times_range_and_no_sigma() {
        // x_i uniform on [lo_i, hi_i]: f = Σ c_i x_i.
        let c = [3.0, -2.0, 0.0, 10.0];
        let lo = [0.0, 5.0, 1.0, -1.0];
        let hi = [1.0, 9.0, 2.0, 1.0];
        let f = |u: &[f64]| {
            vec![
                (0..4)
                    .map(|i| c[i] * (lo[i] + u[i] * (hi[i] - lo[i])))
                    .sum::<f64>(),
            ]
        };
        let got = morris(f, 4, 1, &cfg(12, 4, 1));
        for i in 0..4 {
            let expected = c[i] * (hi[i] - lo[i]);
            let m = got[0][i];
            let tol = 1e-12 * expected.abs().max(1.0);
            assert!((m.mu_star - expected.abs()).abs() <= tol, "{i}: {m:?}");
            assert!((m.mu - expected).abs() <= tol, "{i}: {m:?}");
            assert!(m.sigma <= tol, "{i}: {m:?}");
        }
        assert_eq!(runs_needed(12, 4), 60);
    }

    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// The exact expected |EE| of each Ishigami input on the p-level grid:
    /// the moving input runs over its p start levels, the others over all
    /// p² level pairs (each coordinate of a trajectory point is uniform on
    /// the grid).
    fn ishigami_grid_mu_star(p: usize) -> [f64; 3] {
        let lv = |j: usize| j as f64 / (p - 1) as f64;
        let mut out = [0.0; 3];
        for (i, o) in out.iter_mut().enumerate() {
            let others: Vec<usize> = (0..3).filter(|&k| k != i).collect();
            let mut sum = 0.0;
            for a in 0..p {
                let b = if a < p / 2 { a + p / 2 } else { a - p / 2 };
                for l1 in 0..p {
                    for l2 in 0..p {
                        let mut u = [0.0; 3];
                        u[others[0]] = lv(l1);
                        u[others[1]] = lv(l2);
                        let mut v = u;
                        u[i] = lv(a);
                        v[i] = lv(b);
                        sum += ((ishigami(&v) - ishigami(&u)) / (lv(b) - lv(a))).abs();
                    }
                }
            }
            *o = sum / (p * p * p) as f64;
        }
        out
    }

    #[test]
    fn ishigami_inputs_are_screened_and_ranked_as_on_the_grid() {
        let r = 2000;
        let got = morris(|u| vec![ishigami(u)], 3, 1, &cfg(r, 4, 7));
        let truth = ishigami_grid_mu_star(4);
        for i in 0..3 {
            let m = got[0][i];
            // Monte Carlo error of the mean |EE| over r trajectories.
            let se = m.sigma / (r as f64).sqrt();
            assert!(
                (m.mu_star - truth[i]).abs() < 4.0 * se + 1e-9,
                "x{}: mu* {} vs {} (se {se})",
                i + 1,
                m.mu_star,
                truth[i]
            );
        }
        // Every input matters; x3 least (as its total Sobol index says), and
        // through an interaction only: its mean effect is ~0, its sigma large.
        let mu_star: Vec<f64> = got[0].iter().map(|m| m.mu_star).collect();
        assert!(mu_star[0] > mu_star[2] && mu_star[1] > mu_star[2] && mu_star[2] > 1.0);
        assert!(got[0][2].sigma > got[0][2].mu.abs() * 3.0);
    }

    #[test]
    fn deterministic_and_independent_of_threads() {
        let run = |threads, seed| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| morris(|u| vec![ishigami(u), u[0]], 3, 2, &cfg(30, 6, seed)))
        };
        assert_eq!(run(1, 3), run(2, 3));
        assert_ne!(run(1, 3), run(1, 4));
    }
}
