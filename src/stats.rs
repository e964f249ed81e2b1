//! Summary statistics of Monte Carlo samples, with their standard errors.
//!
//! Quantiles use linear interpolation between order statistics (Hyndman and
//! Fan type 7, as R's default and NumPy's `linear`). Sums run sequentially in
//! replication order, so a summary is bit-identical whatever the number of
//! threads that produced the sample.

use serde::Serialize;

/// Summary of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    pub sd: f64,
    /// Monte Carlo standard error of the mean: sd / √n.
    pub se: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

impl Stat {
    /// Summarises a sample (empty samples give all zeros).
    pub fn of(xs: &[f64]) -> Self {
        let n = xs.len();
        if n == 0 {
            return Self::zero();
        }
        let (mean, sd) = mean_sd(xs);
        let mut sorted = xs.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        Self {
            mean,
            sd,
            se: sd / (n as f64).sqrt(),
            p5: quantile_sorted(&sorted, 0.05),
            p25: quantile_sorted(&sorted, 0.25),
            p50: quantile_sorted(&sorted, 0.50),
            p75: quantile_sorted(&sorted, 0.75),
            p95: quantile_sorted(&sorted, 0.95),
            min: sorted[0],
            max: sorted[n - 1],
        }
    }

    fn zero() -> Self {
        Self {
            mean: 0.0,
            sd: 0.0,
            se: 0.0,
            p5: 0.0,
            p25: 0.0,
            p50: 0.0,
            p75: 0.0,
            p95: 0.0,
            min: 0.0,
            max: 0.0,
        }
    }
}

/// A probability estimated as the share of replications where an event
/// happened, with its binomial standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Proportion {
    pub p: f64,
    pub se: f64,
}

impl Proportion {
    /// The share of `xs` for which `event` holds.
    pub fn of(xs: &[f64], event: impl Fn(f64) -> bool) -> Self {
        let n = xs.len();
        if n == 0 {
            return Self { p: 0.0, se: 0.0 };
        }
        let k = xs.iter().filter(|&&x| event(x)).count();
        let p = k as f64 / n as f64;
        Self {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// Mean and sample standard deviation (n - 1), by Welford's update in order.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let mut mean = 0.0;
    let mut m2 = 0.0;
    for (i, &x) in xs.iter().enumerate() {
        let d = x - mean;
        mean += d / (i + 1) as f64;
        m2 += d * (x - mean);
    }
    let n = xs.len();
    let var = if n > 1 { m2 / (n - 1) as f64 } else { 0.0 };
    (mean, var.max(0.0).sqrt())
}

/// Type-7 quantile of an ascending sample.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Spearman rank correlation of two samples of equal length (ties get
/// their mean rank); 0 when either sample is constant.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let ra = ranks(a);
    let rb = ranks(b);
    pearson(&ra, &rb)
}

/// Pearson correlation; 0 when either sample is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (ma, sa) = mean_sd(a);
    let (mb, sb) = mean_sd(b);
    if sa == 0.0 || sb == 0.0 || a.len() < 2 {
        return 0.0;
    }
    let cov: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (a.len() - 1) as f64;
    cov / (sa * sb)
}

/// Ranks from 1, ties averaged.
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&i, &j| xs[i].total_cmp(&xs[j]));
    let mut out = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_of_a_known_sample() {
        let xs: Vec<f64> = (1..=101).map(f64::from).collect();
        let s = Stat::of(&xs);
        assert_eq!(s.mean, 51.0);
        assert_eq!(s.p50, 51.0);
        assert_eq!(s.p5, 6.0);
        assert_eq!(s.p95, 96.0);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 101.0);
        // Variance of 1..=n with n - 1 denominator is n(n+1)/12.
        assert!((s.sd - (101.0f64 * 102.0 / 12.0).sqrt()).abs() < 1e-12);
        assert!((s.se - s.sd / 101f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn quantile_interpolates() {
        let xs = [0.0, 10.0];
        assert_eq!(quantile_sorted(&xs, 0.25), 2.5);
        assert_eq!(quantile_sorted(&[3.0], 0.9), 3.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn empty_sample_does_not_panic() {
        assert_eq!(Stat::of(&[]).mean, 0.0);
        assert_eq!(Proportion::of(&[], |x| x > 0.0).p, 0.0);
    }

    #[test]
    fn proportion_and_its_se() {
        let xs = [1.0, 0.0, 2.0, 0.0];
        let p = Proportion::of(&xs, |x| x > 0.0);
        assert_eq!(p.p, 0.5);
        assert!((p.se - 0.25f64.sqrt() / 2.0).abs() < 1e-15);
    }

    #[test]
    fn ranks_average_ties_and_spearman_is_monotone_invariant() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        let a: Vec<f64> = (0..50).map(f64::from).collect();
        let b: Vec<f64> = a.iter().map(|x| x.powi(3) + 1.0).collect();
        assert!((spearman(&a, &b) - 1.0).abs() < 1e-12);
        let c: Vec<f64> = a.iter().map(|x| -x.exp()).collect();
        assert!((spearman(&a, &c) + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&a, &[1.0; 50]), 0.0);
    }
}
