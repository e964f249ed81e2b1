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
//! The indices assume independent inputs; [`sobol_blocks`] treats a block of
//! coordinates (a group, or parameters that are correlated with one another)
//! as one input.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::rng::{self, EngineRng};
use crate::stats::quantile_sorted;

/// The Sobol indices of one input with their bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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

/// Number of model runs the design needs for `dims` inputs (or blocks).
pub fn runs_needed(samples: usize, dims: usize) -> usize {
    samples.max(2).saturating_mul(dims.saturating_add(2))
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
    let blocks: Vec<Vec<usize>> = (0..dims).map(|i| vec![i]).collect();
    sobol_blocks(|u| vec![f(u)], dims, &blocks, 1, cfg)
        .pop()
        .map(|o| o.indices)
        .unwrap_or_default()
}

/// The indices of every block for one output, with the output's mean and
/// variance over the A and B samples (the variance the indices divide).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputIndices {
    pub mean: f64,
    pub variance: f64,
    pub indices: Vec<SobolIndex>,
}

/// Sobol indices of blocks of inputs (groups) for a function with `n_out`
/// outputs: `result[output].indices[block]`.
///
/// Each block is a set of coordinates of the unit hypercube that is treated
/// as one input: the matrix A_B^(b) takes all of the block's columns from B,
/// so the first-order index is the closed index of the block (the share of
/// the variance explained by the block alone) and the total index its total
/// effect. Blocks may overlap (a group and its members); each costs N runs,
/// so the design runs `f` N·(blocks + 2) times. The coordinates of one block
/// may be dependent if `f` makes them so (a copula inside `f`); the blocks
/// must be independent of one another.
pub fn sobol_blocks<F>(
    f: F,
    dims: usize,
    blocks: &[Vec<usize>],
    n_out: usize,
    cfg: &SobolConfig,
) -> Vec<OutputIndices>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    let n = cfg.samples.max(2);
    let mut rng_a = rng::stream(cfg.seed, 0, rng::purpose("sobol/A"));
    let mut rng_b = rng::stream(cfg.seed, 0, rng::purpose("sobol/B"));
    let a = latin_hypercube(n, dims, &mut rng_a);
    let b = latin_hypercube(n, dims, &mut rng_b);
    // One evaluation per row, in row order; output `o` of row `r` at `r * n_out + o`.
    let eval = |m: &[f64]| -> Vec<f64> {
        let rows: Vec<Vec<f64>> = if dims == 0 {
            (0..n).map(|_| f(&[])).collect()
        } else {
            m.par_chunks(dims).map(&f).collect()
        };
        let mut out = Vec::with_capacity(n * n_out);
        for row in rows {
            out.extend((0..n_out).map(|o| row.get(o).copied().unwrap_or(f64::NAN)));
        }
        out
    };
    let fa = eval(&a);
    let fb = eval(&b);
    let fab: Vec<Vec<f64>> = blocks
        .iter()
        .map(|block| {
            let mut ab = a.clone();
            for r in 0..n {
                for &i in block {
                    ab[r * dims + i] = b[r * dims + i];
                }
            }
            eval(&ab)
        })
        .collect();
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
    (0..n_out)
        .map(|o| {
            let at = |v: &[f64], r: usize| v[r * n_out + o];
            let estimate = |rows: &[usize], i: usize| -> (f64, f64) {
                let m = rows.len() as f64;
                let mean = rows.iter().map(|&r| at(&fa, r) + at(&fb, r)).sum::<f64>() / (2.0 * m);
                let var = rows
                    .iter()
                    .map(|&r| (at(&fa, r) - mean).powi(2) + (at(&fb, r) - mean).powi(2))
                    .sum::<f64>()
                    / (2.0 * m - 1.0);
                if var.is_nan() || var <= 0.0 {
                    return (0.0, 0.0);
                }
                let first = rows
                    .iter()
                    .map(|&r| (at(&fb, r) - at(&fab[i], r)).powi(2))
                    .sum::<f64>()
                    / (2.0 * m);
                let total = rows
                    .iter()
                    .map(|&r| (at(&fa, r) - at(&fab[i], r)).powi(2))
                    .sum::<f64>()
                    / (2.0 * m);
                ((var - first) / var, total / var)
            };
            let both: Vec<f64> = (0..n).flat_map(|r| [at(&fa, r), at(&fb, r)]).collect();
            let (mean, variance) = mean_variance(&both);
            let indices = (0..blocks.len())
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
                .collect();
            OutputIndices {
                mean,
                variance,
                indices,
            }
        })
        .collect()
}

/// The mean and the sample variance of `values`.
fn mean_variance(values: &[f64]) -> (f64, f64) {
    let m = values.len() as f64;
    if values.len() < 2 {
        return (values.first().copied().unwrap_or(f64::NAN), 0.0);
    }
    let mean = values.iter().sum::<f64>() / m;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0);
    (mean, var)
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
    fn a_group_gets_its_closed_index_and_its_members_their_own() {
        // f = x1·x2 + x3 on U(0,1)^3: V(x1 x2) = 1/9 - 1/16 = 7/144,
        // V(x3) = 12/144, V = 19/144; V(E[f|x1]) = V(x1/2) = 3/144.
        let f = |u: &[f64]| vec![u[0] * u[1] + u[2], u[2]];
        let blocks = vec![vec![0], vec![1], vec![2], vec![0, 1]];
        let got = sobol_blocks(f, 3, &blocks, 2, &cfg(20_000, 5));
        let truth_s1 = [3.0 / 19.0, 3.0 / 19.0, 12.0 / 19.0, 7.0 / 19.0];
        let truth_st = [4.0 / 19.0, 4.0 / 19.0, 12.0 / 19.0, 7.0 / 19.0];
        for (b, g) in got[0].indices.iter().enumerate() {
            assert!(
                g.first_order_low <= truth_s1[b] && truth_s1[b] <= g.first_order_high,
                "S1 of block {b}: {} vs {g:?}",
                truth_s1[b]
            );
            assert!(
                g.total_low <= truth_st[b] && truth_st[b] <= g.total_high,
                "ST of block {b}: {} vs {g:?}",
                truth_st[b]
            );
        }
        // The group explains more than its members alone (their interaction).
        assert!(
            got[0].indices[3].first_order
                > got[0].indices[0].first_order + got[0].indices[1].first_order
        );
        assert!((got[0].mean - 0.75).abs() < 0.01);
        assert!((got[0].variance - 19.0 / 144.0).abs() < 0.01);
        // The second output depends on x3 only: exactly zero for the others.
        let second = &got[1].indices;
        for b in [0, 1, 3] {
            assert_eq!(second[b].total, 0.0);
        }
        assert!((second[2].first_order - 1.0).abs() < 0.02);
    }

    #[test]
    fn a_constant_model_has_zero_indices() {
        let got = sobol(|_| 3.0, 2, &cfg(100, 1));
        assert!(got.iter().all(|g| g.first_order == 0.0 && g.total == 0.0));
    }
}
