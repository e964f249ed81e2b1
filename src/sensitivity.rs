//! Variance-based global sensitivity: first-order and total Sobol indices.
//!
//! Generic over the model: a function of a point in the unit hypercube
//! `[0, 1)^d` (the caller maps each coordinate to a parameter through its
//! quantile function). Saltelli's design evaluates the model on two
//! independent Latin hypercube samples A and B of N points and on the d
//! matrices A_B^(i) (A with column i from B), N·(d + 2) runs in all; the
//! Jansen estimators give, with V the variance of f over A and B,
//!
//! - first order S_i = (V − ½·mean((f(B) − f(A_B^(i)))²)) / V,
//! - total ST_i = ½·mean((f(A) − f(A_B^(i)))²) / V,
//!
//! and a bootstrap over the N rows gives their confidence intervals.
//! The indices assume independent inputs.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::Serialize;

use crate::rng::{self, EngineRng};
use crate::stats::quantile_sorted;

/// The Sobol indices of one input with their bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SobolIndex {
    pub first_order: f64,
    pub first_order_low: f64,
    pub first_order_high: f64,
    pub total: f64,
    pub total_low: f64,
    pub total_high: f64,
}

/// How to sample and how sure to be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolConfig {
    /// Base sample size N; the model runs N·(d + 2) times.
    pub samples: usize,
    /// Bootstrap resamples for the intervals.
    pub bootstrap: usize,
    /// Coverage of the intervals (0.95 for 95 %).
    pub confidence: f64,
    pub seed: u64,
}

/// Number of model runs the design needs for `dims` inputs.
pub fn runs_needed(samples: usize, dims: usize) -> usize {
    samples * (dims + 2)
}

/// A Latin hypercube sample of `n` points in `[0, 1)^d`, row-major.
pub fn latin_hypercube(n: usize, d: usize, rng: &mut EngineRng) -> Vec<f64> {
    let mut out = vec![0.0; n * d];
    let mut strata: Vec<usize> = (0..n).collect();
    for j in 0..d {
        strata.shuffle(rng);
        for (i, &s) in strata.iter().enumerate() {
            out[i * d + j] = (s as f64 + rng::open01(rng)) / n as f64;
        }
    }
    out
}

/// First-order and total Sobol indices of `f` over `dims` independent inputs.
/// `f` must be deterministic; it runs in parallel, and the result depends
/// only on the configuration.
pub fn sobol<F>(f: F, dims: usize, cfg: &SobolConfig) -> Vec<SobolIndex>
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    let n = cfg.samples.max(2);
    let mut rng_a = rng::stream(cfg.seed, 0, rng::purpose("sobol/A"));
    let mut rng_b = rng::stream(cfg.seed, 0, rng::purpose("sobol/B"));
    let a = latin_hypercube(n, dims, &mut rng_a);
    let b = latin_hypercube(n, dims, &mut rng_b);
    let eval = |m: &[f64]| -> Vec<f64> { m.par_chunks(dims).map(&f).collect() };
    let fa = eval(&a);
    let fb = eval(&b);
    let fab: Vec<Vec<f64>> = (0..dims)
        .map(|i| {
            let mut ab = a.clone();
            for r in 0..n {
                ab[r * dims + i] = b[r * dims + i];
            }
            eval(&ab)
        })
        .collect();
    let estimate = |rows: &[usize], i: usize| -> (f64, f64) {
        let m = rows.len() as f64;
        let mean = rows.iter().map(|&r| fa[r] + fb[r]).sum::<f64>() / (2.0 * m);
        let var = rows
            .iter()
            .map(|&r| (fa[r] - mean).powi(2) + (fb[r] - mean).powi(2))
            .sum::<f64>()
            / (2.0 * m - 1.0);
        if var <= 0.0 {
            return (0.0, 0.0);
        }
        let first = rows
            .iter()
            .map(|&r| (fb[r] - fab[i][r]).powi(2))
            .sum::<f64>()
            / (2.0 * m);
        let total = rows
            .iter()
            .map(|&r| (fa[r] - fab[i][r]).powi(2))
            .sum::<f64>()
            / (2.0 * m);
        ((var - first) / var, total / var)
    };
    let all: Vec<usize> = (0..n).collect();
    let mut boot_rng = EngineRng::seed_from_u64(rng::stream_seed(
        cfg.seed,
        1,
        rng::purpose("sobol/bootstrap"),
    ));
    let resamples: Vec<Vec<usize>> = (0..cfg.bootstrap)
        .map(|_| {
            (0..n)
                .map(|_| (rng::open01(&mut boot_rng) * n as f64) as usize)
                .collect()
        })
        .collect();
    let alpha = (1.0 - cfg.confidence.clamp(0.0, 1.0)) / 2.0;
    (0..dims)
        .map(|i| {
            let (s1, st) = estimate(&all, i);
            let (mut b1, mut bt): (Vec<f64>, Vec<f64>) =
                resamples.iter().map(|rows| estimate(rows, i)).unzip();
            b1.sort_unstable_by(f64::total_cmp);
            bt.sort_unstable_by(f64::total_cmp);
            let q = |v: &[f64], p: f64, fallback: f64| {
                if v.is_empty() {
                    fallback
                } else {
                    quantile_sorted(v, p)
                }
            };
            SobolIndex {
                first_order: s1,
                first_order_low: q(&b1, alpha, s1),
                first_order_high: q(&b1, 1.0 - alpha, s1),
                total: st,
                total_low: q(&bt, alpha, st),
                total_high: q(&bt, 1.0 - alpha, st),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Ishigami function on [-π, π]^3 with a = 7, b = 0.1.
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Analytic first-order and total indices of the Ishigami function.
    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let pi4 = PI.powi(4);
        let pi8 = PI.powi(8);
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    /// Sobol G-function with coefficients `a`.
    fn g_function(u: &[f64], a: &[f64]) -> f64 {
        u.iter()
            .zip(a)
            .map(|(x, ai)| ((4.0 * x - 2.0).abs() + ai) / (1.0 + ai))
            .product()
    }

    fn g_truth(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let vi: Vec<f64> = a
            .iter()
            .map(|ai| 1.0 / (3.0 * (1.0 + ai).powi(2)))
            .collect();
        let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
        let v = prod - 1.0;
        let s1 = vi.iter().map(|x| x / v).collect();
        let st = vi.iter().map(|x| x * prod / (1.0 + x) / v).collect();
        (s1, st)
    }

    fn cfg(samples: usize, seed: u64) -> SobolConfig {
        SobolConfig {
            samples,
            bootstrap: 300,
            confidence: 0.99,
            seed,
        }
    }

    #[test]
    fn ishigami_indices_lie_within_their_bootstrap_intervals() {
        let (s1, st) = ishigami_truth();
        let got = sobol(ishigami, 3, &cfg(20_000, 3));
        for i in 0..3 {
            let g = got[i];
            assert!(
                g.first_order_low <= s1[i] && s1[i] <= g.first_order_high,
                "S1[{i}] = {} not in [{}, {}]",
                s1[i],
                g.first_order_low,
                g.first_order_high
            );
            assert!(
                g.total_low <= st[i] && st[i] <= g.total_high,
                "ST[{i}] = {} not in [{}, {}]",
                st[i],
                g.total_low,
                g.total_high
            );
            // The intervals are informative, not trivially wide.
            assert!(g.first_order_high - g.first_order_low < 0.1);
            assert!(g.total_high - g.total_low < 0.1);
        }
    }

    #[test]
    fn g_function_indices_lie_within_their_bootstrap_intervals() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0];
        let (s1, st) = g_truth(&a);
        let got = sobol(|u| g_function(u, &a), a.len(), &cfg(20_000, 4));
        for i in 0..a.len() {
            let g = got[i];
            assert!(
                g.first_order_low <= s1[i] && s1[i] <= g.first_order_high,
                "S1[{i}] {} vs {g:?}",
                s1[i]
            );
            assert!(
                g.total_low <= st[i] && st[i] <= g.total_high,
                "ST[{i}] {} vs {g:?}",
                st[i]
            );
        }
        // The important input ranks first.
        assert!(got[0].total > got[1].total && got[1].total > got[4].total);
    }

    #[test]
    fn deterministic_for_a_seed_and_independent_of_threads() {
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| sobol(ishigami, 3, &cfg(500, 9)))
        };
        assert_eq!(run(1), run(2));
        assert_ne!(run(1), sobol(ishigami, 3, &cfg(500, 10)));
        assert_eq!(runs_needed(500, 3), 2500);
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_and_column() {
        let mut r = rng::stream(1, 0, 0);
        let (n, d) = (50, 4);
        let x = latin_hypercube(n, d, &mut r);
        for j in 0..d {
            let mut seen = vec![false; n];
            for i in 0..n {
                let v = x[i * d + j];
                assert!((0.0..1.0).contains(&v));
                seen[(v * n as f64) as usize] = true;
            }
            assert!(seen.iter().all(|&s| s));
        }
    }

    #[test]
    fn a_constant_model_has_zero_indices() {
        let got = sobol(|_| 3.0, 2, &cfg(100, 1));
        assert!(got.iter().all(|g| g.first_order == 0.0 && g.total == 0.0));
    }
}
