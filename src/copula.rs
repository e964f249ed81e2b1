//! Validated correlation matrices and the Gaussian copula.
//!
//! Correlated parameters are drawn by correlating independent standard
//! normals with the lower Cholesky factor `L` of their correlation matrix
//! (`x = L z`, so `x ~ N(0, Σ)`), mapping each through Φ to a uniform and
//! each uniform through its parameter's quantile function
//! ([`crate::dist::Dist::quantile`]). The rank (Spearman) correlation of the
//! parameters is then `(6/π) asin(ρ/2)`, slightly below the `ρ` given.
//!
//! A [`CorrelationMatrix`] can only be built by [`CorrelationMatrix::new`]
//! (or [`CorrelationMatrix::identity`]) and exists only if its Cholesky
//! factor does: the matrix is square, symmetric, has a unit diagonal,
//! entries in `[-1, 1]` and is strictly positive definite.

use nalgebra::DMatrix;

/// Smallest share of a parameter's variance that must stay unexplained by
/// the parameters before it: the squared pivots of the Cholesky
/// factorisation must reach this. Below it the matrix is singular up to
/// rounding (for example a correlation of exactly 1).
pub const MIN_PIVOT: f64 = 1e-10;

/// Tolerance for symmetry and for the unit diagonal, absorbing rounding in
/// matrices computed elsewhere; within it the matrix is made exact.
pub const TOLERANCE: f64 = 1e-12;

/// A validated correlation matrix with its lower Cholesky factor.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatrix {
    n: usize,
    matrix: DMatrix<f64>,
    lower: DMatrix<f64>,
}

/// Why a correlation matrix was rejected. Rows and columns are counted
/// from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CorrelationError {
    /// No rows at all.
    #[error("the correlation matrix is empty")]
    Empty,
    /// A row has the wrong number of entries.
    #[error(
        "the correlation matrix must be square: row {row} has {len} entries, expected {expected}"
    )]
    NotSquare {
        row: usize,
        len: usize,
        expected: usize,
    },
    /// An entry is NaN or infinite.
    #[error("entry at row {row}, column {column} is {value}, not a finite number")]
    NotFinite {
        row: usize,
        column: usize,
        value: f64,
    },
    /// An entry lies outside `[-1, 1]`.
    #[error("entry at row {row}, column {column} is {value}, outside [-1, 1]")]
    OutOfRange {
        row: usize,
        column: usize,
        value: f64,
    },
    /// A diagonal entry is not 1.
    #[error(
        "diagonal entry {index} (row {index}, column {index}) is {value}, not 1: \
         a parameter is fully correlated with itself"
    )]
    DiagonalNotOne { index: usize, value: f64 },
    /// The matrix is not symmetric.
    #[error(
        "the correlation matrix must be symmetric: entry at row {row}, column {column} is \
         {value} but entry at row {column}, column {row} is {mirror}"
    )]
    NotSymmetric {
        row: usize,
        column: usize,
        value: f64,
        mirror: f64,
    },
    /// The correlations cannot hold together.
    #[error(
        "the correlations contradict each other: the matrix is not positive definite from \
         row {row} on, so no set of parameters can have all of them at once; lower the \
         strongest correlations (the strongest is {strongest} between rows {strongest_row} \
         and {strongest_column}), and use at most 0.99 instead of 1"
    )]
    NotPositiveDefinite {
        /// First row whose pivot failed.
        row: usize,
        /// The share of that row's variance left unexplained (at most
        /// [`MIN_PIVOT`], possibly negative).
        remaining: f64,
        /// The strongest off-diagonal correlation, and where.
        strongest: f64,
        strongest_row: usize,
        strongest_column: usize,
    },
}

impl CorrelationMatrix {
    /// Validates a correlation matrix given as rows and factorises it.
    ///
    /// Entries within [`TOLERANCE`] of symmetry or of a unit diagonal are
    /// accepted and made exact.
    pub fn new(rows: &[Vec<f64>]) -> Result<Self, CorrelationError> {
        let n = rows.len();
        if n == 0 {
            return Err(CorrelationError::Empty);
        }
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return Err(CorrelationError::NotSquare {
                    row: i + 1,
                    len: row.len(),
                    expected: n,
                });
            }
        }
        for (i, row) in rows.iter().enumerate() {
            for (j, &value) in row.iter().enumerate() {
                let (row, column) = (i + 1, j + 1);
                if !value.is_finite() {
                    return Err(CorrelationError::NotFinite { row, column, value });
                }
                if !(-1.0..=1.0).contains(&value) && (i != j || (value - 1.0).abs() > TOLERANCE) {
                    return Err(CorrelationError::OutOfRange { row, column, value });
                }
            }
        }
        for (i, row) in rows.iter().enumerate() {
            if (row[i] - 1.0).abs() > TOLERANCE {
                return Err(CorrelationError::DiagonalNotOne {
                    index: i + 1,
                    value: row[i],
                });
            }
        }
        for (i, row) in rows.iter().enumerate() {
            for (j, &mirror) in row.iter().enumerate().take(i) {
                let value = rows[j][i];
                if (value - mirror).abs() > TOLERANCE {
                    return Err(CorrelationError::NotSymmetric {
                        row: j + 1,
                        column: i + 1,
                        value,
                        mirror,
                    });
                }
            }
        }
        // Exactly symmetric, exactly unit diagonal.
        let matrix = DMatrix::from_fn(n, n, |i, j| {
            if i == j {
                1.0
            } else {
                0.5 * (rows[i][j] + rows[j][i])
            }
        });
        let lower = cholesky_lower(&matrix).map_err(|(row, remaining)| {
            let (mut strongest, mut at) = (0.0, (1, 2));
            for i in 0..n {
                for j in i + 1..n {
                    if matrix[(i, j)].abs() > f64::abs(strongest) {
                        strongest = matrix[(i, j)];
                        at = (i + 1, j + 1);
                    }
                }
            }
            CorrelationError::NotPositiveDefinite {
                row,
                remaining,
                strongest,
                strongest_row: at.0,
                strongest_column: at.1,
            }
        })?;
        Ok(Self { n, matrix, lower })
    }

    /// The identity: `n` uncorrelated parameters.
    pub fn identity(n: usize) -> Self {
        Self {
            n,
            matrix: DMatrix::identity(n, n),
            lower: DMatrix::identity(n, n),
        }
    }

    /// The number of correlated parameters.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// The correlation between parameters `i` and `j` (counted from 0).
    ///
    /// # Panics
    ///
    /// If `i` or `j` is not below [`CorrelationMatrix::dim`].
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.matrix[(i, j)]
    }

    /// The matrix itself (symmetric, unit diagonal).
    pub fn matrix(&self) -> &DMatrix<f64> {
        &self.matrix
    }

    /// The lower Cholesky factor `L` with `L Lᵀ = Σ` and a positive diagonal.
    pub fn cholesky_lower(&self) -> &DMatrix<f64> {
        &self.lower
    }

    /// Writes `L z` into `out`: independent standard normals `z` become
    /// standard normals with this correlation matrix. Does not allocate.
    ///
    /// # Panics
    ///
    /// If `z` or `out` does not have length [`CorrelationMatrix::dim`] (a
    /// programming error, not an input error).
    pub fn correlate(&self, z: &[f64], out: &mut [f64]) {
        assert_eq!(z.len(), self.n, "correlate: z has the wrong length");
        assert_eq!(out.len(), self.n, "correlate: out has the wrong length");
        for (i, o) in out.iter_mut().enumerate() {
            let mut sum = 0.0;
            for (j, zj) in z.iter().enumerate().take(i + 1) {
                sum += self.lower[(i, j)] * zj;
            }
            *o = sum;
        }
    }
}

/// The Cholesky–Banachiewicz factorisation `Σ = L Lᵀ`, or the 1-based row
/// whose squared pivot (the share of its variance not explained by the rows
/// before it) falls below [`MIN_PIVOT`], with that share.
fn cholesky_lower(sigma: &DMatrix<f64>) -> Result<DMatrix<f64>, (usize, f64)> {
    let n = sigma.nrows();
    let mut l = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        for j in 0..i {
            let mut sum = sigma[(i, j)];
            for k in 0..j {
                sum -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = sum / l[(j, j)];
        }
        let mut pivot = sigma[(i, i)];
        for k in 0..i {
            pivot -= l[(i, k)] * l[(i, k)];
        }
        if pivot.is_nan() || pivot < MIN_PIVOT {
            return Err((i + 1, pivot));
        }
        l[(i, i)] = pivot.sqrt();
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{std_normal_cdf, std_normal_quantile};
    use crate::rng::open01;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
        (0..m.nrows())
            .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
            .collect()
    }

    #[test]
    fn two_by_two_factor_has_its_closed_form() {
        let rho = -0.6;
        let c = CorrelationMatrix::new(&[vec![1.0, rho], vec![rho, 1.0]]).unwrap();
        let l = c.cholesky_lower();
        assert_eq!(c.dim(), 2);
        assert_eq!(c.get(0, 1), rho);
        assert_eq!(l[(0, 0)], 1.0);
        assert_eq!(l[(0, 1)], 0.0);
        assert_eq!(l[(1, 0)], rho);
        assert!((l[(1, 1)] - (1.0 - rho * rho).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn identity_leaves_draws_alone() {
        let c = CorrelationMatrix::identity(3);
        let z = [0.3, -1.2, 2.5];
        let mut out = [0.0; 3];
        c.correlate(&z, &mut out);
        assert_eq!(out, z);
        assert_eq!(
            c,
            CorrelationMatrix::new(&rows(&DMatrix::identity(3, 3))).unwrap()
        );
    }

    #[test]
    fn correlate_multiplies_by_the_factor() {
        let c = CorrelationMatrix::new(&[
            vec![1.0, 0.5, 0.2],
            vec![0.5, 1.0, -0.3],
            vec![0.2, -0.3, 1.0],
        ])
        .unwrap();
        let z = [0.7, -0.4, 1.9];
        let mut out = [0.0; 3];
        c.correlate(&z, &mut out);
        let want = c.cholesky_lower() * nalgebra::DVector::from_column_slice(&z);
        for i in 0..3 {
            assert!((out[i] - want[i]).abs() < 1e-15);
        }
    }

    #[test]
    fn near_symmetric_input_is_made_exact() {
        let c = CorrelationMatrix::new(&[vec![1.0, 0.3 + 1e-14], vec![0.3, 1.0 - 1e-14]]).unwrap();
        assert_eq!(c.get(0, 1), c.get(1, 0));
        assert_eq!(c.get(1, 1), 1.0);
    }

    #[test]
    fn every_error_is_reported_with_its_place() {
        let msg = |rows: &[Vec<f64>]| CorrelationMatrix::new(rows).unwrap_err().to_string();
        assert_eq!(msg(&[]), "the correlation matrix is empty");
        assert_eq!(
            msg(&[vec![1.0, 0.2], vec![0.2, 1.0, 0.0]]),
            "the correlation matrix must be square: row 2 has 3 entries, expected 2"
        );
        assert_eq!(
            msg(&[vec![1.0, f64::NAN], vec![0.2, 1.0]]),
            "entry at row 1, column 2 is NaN, not a finite number"
        );
        assert_eq!(
            msg(&[vec![1.0, 0.2], vec![1.5, 1.0]]),
            "entry at row 2, column 1 is 1.5, outside [-1, 1]"
        );
        assert_eq!(
            msg(&[vec![1.0, 0.2], vec![0.2, 0.9]]),
            "diagonal entry 2 (row 2, column 2) is 0.9, not 1: a parameter is fully correlated \
             with itself"
        );
        assert_eq!(
            msg(&[
                vec![1.0, 0.0, 0.0],
                vec![0.0, 1.0, 0.3],
                vec![0.0, 0.4, 1.0]
            ]),
            "the correlation matrix must be symmetric: entry at row 2, column 3 is 0.3 but entry \
             at row 3, column 2 is 0.4"
        );
        let inconsistent = [
            vec![1.0, 0.9, -0.9],
            vec![0.9, 1.0, 0.9],
            vec![-0.9, 0.9, 1.0],
        ];
        let err = CorrelationMatrix::new(&inconsistent).unwrap_err();
        assert!(
            matches!(
                err,
                CorrelationError::NotPositiveDefinite {
                    row: 3,
                    strongest,
                    strongest_row: 1,
                    strongest_column: 2,
                    ..
                } if strongest == 0.9
            ),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("not positive definite"), "{text}");
        assert!(text.contains("from row 3 on"), "{text}");
        assert!(text.contains("lower the strongest correlations"), "{text}");
        assert!(text.contains("0.9 between rows 1 and 2"), "{text}");
        // A correlation of exactly 1 is singular.
        let err = CorrelationMatrix::new(&[vec![1.0, 1.0], vec![1.0, 1.0]]).unwrap_err();
        assert!(
            matches!(err, CorrelationError::NotPositiveDefinite { row: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn checks_come_in_a_fixed_order() {
        // Shape before values, values before structure.
        let err = CorrelationMatrix::new(&[vec![2.0, 0.0], vec![0.0]]).unwrap_err();
        assert!(matches!(err, CorrelationError::NotSquare { row: 2, .. }));
        let err = CorrelationMatrix::new(&[vec![0.5, 3.0], vec![0.0, 1.0]]).unwrap_err();
        assert!(matches!(
            err,
            CorrelationError::OutOfRange {
                row: 1,
                column: 2,
                ..
            }
        ));
    }

    /// A random valid correlation matrix: A Aᵀ plus a ridge, scaled to a
    /// unit diagonal.
    fn random_correlation() -> impl Strategy<Value = DMatrix<f64>> {
        (1usize..7).prop_flat_map(|n| {
            proptest::collection::vec(-1.0..1.0f64, n * (n + 2)).prop_map(move |a| {
                let a = DMatrix::from_row_slice(n, n + 2, &a);
                let s = &a * a.transpose() + DMatrix::identity(n, n) * 0.05;
                let d = s.diagonal().map(|v| 1.0 / v.sqrt());
                DMatrix::from_fn(
                    n,
                    n,
                    |i, j| if i == j { 1.0 } else { s[(i, j)] * d[i] * d[j] },
                )
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn factor_reproduces_the_matrix(sigma in random_correlation()) {
            let c = CorrelationMatrix::new(&rows(&sigma)).unwrap();
            let l = c.cholesky_lower();
            let n = c.dim();
            for i in 0..n {
                prop_assert!(l[(i, i)] > 0.0);
                for j in i + 1..n {
                    prop_assert_eq!(l[(i, j)], 0.0);
                }
            }
            let back = l * l.transpose();
            for i in 0..n {
                for j in 0..n {
                    prop_assert!((back[(i, j)] - sigma[(i, j)]).abs() < 1e-12,
                        "({}, {}): {} vs {}", i, j, back[(i, j)], sigma[(i, j)]);
                }
            }
        }
    }

    /// Ranks 0..n of `x` (no ties in continuous data).
    fn ranks(x: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..x.len()).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        let mut r = vec![0.0; x.len()];
        for (rank, &i) in order.iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    }

    fn pearson(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (a, b) in x.iter().zip(y) {
            sxy += (a - mx) * (b - my);
            sxx += (a - mx) * (a - mx);
            syy += (b - my) * (b - my);
        }
        sxy / (sxx * syy).sqrt()
    }

    #[test]
    fn sampled_correlations_match_the_matrix() {
        let sigma = [
            vec![1.0, 0.7, -0.4],
            vec![0.7, 1.0, 0.1],
            vec![-0.4, 0.1, 1.0],
        ];
        let c = CorrelationMatrix::new(&sigma).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7_031_977);
        let n = 100_000;
        let mut x: Vec<Vec<f64>> = (0..3).map(|_| Vec::with_capacity(n)).collect();
        let (mut z, mut out) = ([0.0; 3], [0.0; 3]);
        for _ in 0..n {
            for zi in &mut z {
                *zi = std_normal_quantile(open01(&mut rng));
            }
            c.correlate(&z, &mut out);
            for k in 0..3 {
                x[k].push(out[k]);
            }
        }
        // Uniform margins through Φ, as the copula uses them.
        let u: Vec<Vec<f64>> = x
            .iter()
            .map(|v| v.iter().map(|&t| std_normal_cdf(t)).collect())
            .collect();
        let batches = 20;
        let size = n / batches;
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            let rho = sigma[i][j];
            // Pearson: standard error (1 - ρ²)/√n.
            let r = pearson(&x[i], &x[j]);
            let se = (1.0 - rho * rho) / (n as f64).sqrt();
            assert!(
                (r - rho).abs() < 5.0 * se,
                "Pearson ({i},{j}): {r} vs {rho}"
            );

            // Spearman of the uniform margins against (6/π) asin(ρ/2), its
            // standard error estimated from 20 batches.
            let spearman = |a: &[f64], b: &[f64]| pearson(&ranks(a), &ranks(b));
            let want = 6.0 / std::f64::consts::PI * (rho / 2.0).asin();
            let rs = spearman(&u[i], &u[j]);
            let per_batch: Vec<f64> = (0..batches)
                .map(|b| {
                    let s = b * size..(b + 1) * size;
                    spearman(&u[i][s.clone()], &u[j][s])
                })
                .collect();
            let mean = per_batch.iter().sum::<f64>() / batches as f64;
            let var =
                per_batch.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (batches - 1) as f64;
            let se = (var / batches as f64).sqrt();
            assert!(
                (rs - want).abs() < 5.0 * se,
                "Spearman ({i},{j}): {rs} vs {want} (se {se})"
            );
            // The sample is large enough to tell the rank correlation from ρ.
            if rho.abs() >= 0.4 {
                assert!(
                    (rs - rho).abs() > 5.0 * se,
                    "Spearman ({i},{j}): {rs} vs ρ {rho}"
                );
            }
        }
    }
}
