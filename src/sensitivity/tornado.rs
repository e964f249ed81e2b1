//! One-at-a-time sensitivity (the tornado): each input, or block of inputs,
//! to a low and a high point of the unit hypercube, the others at a base
//! point; the swing is the difference of the outputs.
//!
//! Generic over the model: a function of a point in `[0, 1]^d` with any
//! number of outputs. For parameters the caller maps a coordinate through
//! the parameter's quantile function, so `low = 0.1` and `high = 0.9` move a
//! parameter to its P10 and P90 with the others at their median (0.5).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The effect of one block on one output.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Swing {
    /// The output with the block at the low point.
    pub at_low: f64,
    /// The output with the block at the high point.
    pub at_high: f64,
    /// `|at_high − at_low|`.
    pub swing: f64,
}

/// The tornado of one output: the value at the base point and one swing per
/// block, in block order.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoOutput {
    pub base: f64,
    pub swings: Vec<Swing>,
}

impl TornadoOutput {
    /// Block indices sorted by swing, largest first (ties in block order).
    pub fn order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.swings.len()).collect();
        idx.sort_by(|&a, &b| self.swings[b].swing.total_cmp(&self.swings[a].swing));
        idx
    }
}

/// Number of model runs: the base point and two per block.
pub fn runs_needed(blocks: usize) -> usize {
    blocks.saturating_mul(2).saturating_add(1)
}

/// Evaluates `f` at `base` and with each block's coordinates set to `low`
/// and to `high`; `result[output]`. `f` must be deterministic (use common
/// random numbers inside it); it runs in parallel and the result does not
/// depend on the number of threads.
pub fn tornado<F>(
    f: F,
    base: &[f64],
    blocks: &[Vec<usize>],
    low: f64,
    high: f64,
    n_out: usize,
) -> Vec<TornadoOutput>
where
    F: Fn(&[f64]) -> Vec<f64> + Sync,
{
    // Point 0 is the base; then (block, low) and (block, high) in turn.
    let points: Vec<Vec<f64>> = std::iter::once(base.to_vec())
        .chain(blocks.iter().flat_map(|block| {
            [low, high].map(|u| {
                let mut x = base.to_vec();
                for &i in block {
                    x[i] = u;
                }
                x
            })
        }))
        .collect();
    let values: Vec<Vec<f64>> = points.par_iter().map(|x| f(x)).collect();
    let get = |p: usize, o: usize| values[p].get(o).copied().unwrap_or(f64::NAN);
    (0..n_out)
        .map(|o| TornadoOutput {
            base: get(0, o),
            swings: (0..blocks.len())
                .map(|b| {
                    let (at_low, at_high) = (get(1 + 2 * b, o), get(2 + 2 * b, o));
                    Swing {
                        at_low,
                        at_high,
                        swing: (at_high - at_low).abs(),
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linear model of inputs uniform on `[lo, hi]`: y = Σ c_i x_i.
    fn linear(u: &[f64], c: &[f64], lo: &[f64], hi: &[f64]) -> f64 {
        (0..u.len())
            .map(|i| c[i] * (lo[i] + u[i] * (hi[i] - lo[i])))
            .sum()
    }

    #[test]
    fn a_linear_model_gives_its_known_swings() {
        let c = [2.0, -5.0, 0.5, 0.0];
        let lo = [0.0, 10.0, -4.0, 1.0];
        let hi = [1.0, 12.0, 4.0, 3.0];
        let f = |u: &[f64]| vec![linear(u, &c, &lo, &hi), 7.0];
        let blocks: Vec<Vec<usize>> = vec![vec![0], vec![1], vec![2], vec![3], vec![0, 1]];
        let got = tornado(f, &[0.5; 4], &blocks, 0.1, 0.9, 2);
        // P10 and P90 of U(lo, hi) are 0.8·(hi − lo) apart.
        let expected = [
            2.0 * 0.8 * 1.0,
            5.0 * 0.8 * 2.0,
            0.5 * 0.8 * 8.0,
            0.0,
            (2.0 * 1.0 - 5.0 * 2.0f64).abs() * 0.8,
        ];
        let base = linear(&[0.5; 4], &c, &lo, &hi);
        assert_eq!(got[0].base, base);
        for (b, e) in expected.iter().enumerate() {
            let s = got[0].swings[b];
            assert!(
                (s.swing - e).abs() <= 1e-12 * e.max(1.0),
                "block {b}: swing {} expected {e}",
                s.swing
            );
        }
        // The direction: a negative coefficient gives a lower output at P90.
        assert!(got[0].swings[1].at_high < got[0].swings[1].at_low);
        // Sorted by swing: input 1 (8), then the group (6.4), 2 (3.2), 0 (1.6), 3.
        assert_eq!(got[0].order(), vec![1, 4, 2, 0, 3]);
        // A constant output has no swing at all.
        assert!(got[1].swings.iter().all(|s| s.swing == 0.0));
        assert_eq!(runs_needed(blocks.len()), 11);
    }

    #[test]
    fn independent_of_the_number_of_threads() {
        let f = |u: &[f64]| vec![u.iter().map(|x| x.sin()).product::<f64>()];
        let blocks: Vec<Vec<usize>> = (0..6).map(|i| vec![i]).collect();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| tornado(f, &[0.3; 6], &blocks, 0.1, 0.9, 1))
        };
        assert_eq!(run(1), run(2));
    }
}
