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

    pub fn zero() -> Self {
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

/// Replications up to which [`StatAcc`] keeps every value, so its quantiles
/// are exact (type 7); beyond, it switches to a [`Sketch`].
pub const EXACT_LIMIT: usize = 10_000;

/// Relative accuracy of the quantiles of a [`Sketch`].
pub const SKETCH_ALPHA: f64 = 1e-3;

/// Accumulates a sample one value at a time, in a fixed order, for a
/// [`Stat`] whose memory does not grow with the sample: mean, sd, min and
/// max are exact (Welford's update in order, as [`mean_sd`]); quantiles are
/// exact up to [`EXACT_LIMIT`] values and within a relative error of
/// [`SKETCH_ALPHA`] beyond.
#[derive(Debug, Clone, Default)]
pub struct StatAcc {
    n: usize,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    values: Vec<f64>,
    sketch: Option<Sketch>,
}

impl StatAcc {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        if self.n == 1 {
            (self.min, self.max) = (x, x);
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        match &mut self.sketch {
            Some(sk) => sk.push(x),
            None if self.values.len() < EXACT_LIMIT => self.values.push(x),
            None => {
                let mut sk = Sketch::new(SKETCH_ALPHA);
                for &v in &self.values {
                    sk.push(v);
                }
                sk.push(x);
                self.values = Vec::new();
                self.sketch = Some(sk);
            }
        }
    }

    /// Number of values pushed.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The mean so far (0 when empty).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample as (value, count) pairs: every value while exact, the
    /// buckets of the sketch beyond (each within its relative accuracy).
    pub fn points(&self) -> Vec<(f64, u64)> {
        match &self.sketch {
            None => self.values.iter().map(|&x| (x, 1)).collect(),
            Some(sk) => sk.points(),
        }
    }

    /// The sample standard deviation and the standard error of the mean
    /// (both 0 for fewer than two values), without the quantiles.
    pub fn sd_se(&self) -> (f64, f64) {
        let n = self.n;
        let var = if n > 1 { self.m2 / (n - 1) as f64 } else { 0.0 };
        let sd = var.max(0.0).sqrt();
        (sd, if n == 0 { 0.0 } else { sd / (n as f64).sqrt() })
    }

    pub fn finish(&self) -> Stat {
        let n = self.n;
        if n == 0 {
            return Stat::zero();
        }
        let (sd, se) = self.sd_se();
        let q: Box<dyn Fn(f64) -> f64> = match &self.sketch {
            Some(sk) => Box::new(move |p| sk.quantile(p).clamp(self.min, self.max)),
            None => {
                let mut sorted = self.values.clone();
                sorted.sort_unstable_by(f64::total_cmp);
                Box::new(move |p| quantile_sorted(&sorted, p))
            }
        };
        Stat {
            mean: self.mean,
            sd,
            se,
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p95: q(0.95),
            min: self.min,
            max: self.max,
        }
    }
}

/// A quantile sketch with relative accuracy α (after DDSketch: Masson, Rim
/// and Lee 2019): values fall in logarithmic buckets γ^(i−1) < |x| ≤ γ^i with
/// γ = (1 + α)/(1 − α), counted per sign, and |x| below 1e-9 counts as zero.
/// Counts are integers, so the sketch of a sample does not depend on the
/// order of its values.
#[derive(Debug, Clone)]
pub struct Sketch {
    ln_gamma: f64,
    gamma: f64,
    zero: u64,
    pos: Buckets,
    neg: Buckets,
}

/// Dense bucket counts from index `offset` on.
#[derive(Debug, Clone, Default)]
struct Buckets {
    offset: i32,
    counts: Vec<u64>,
}

impl Buckets {
    fn add(&mut self, i: i32) {
        if self.counts.is_empty() {
            self.offset = i;
        }
        if i < self.offset {
            let grow = (self.offset - i) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = i;
        }
        let at = (i - self.offset) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        self.counts[at] += 1;
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// ⌈x⌉ for |x| < 2³¹, without the library call that `f64::ceil` is on
/// baseline x86-64 (a sketch's bucket index is at most ln(f64::MAX)/ln γ,
/// about 355,000).
#[inline]
fn ceil_i32(x: f64) -> i32 {
    let t = x as i32;
    if f64::from(t) < x { t + 1 } else { t }
}

impl Sketch {
    pub fn new(alpha: f64) -> Self {
        let gamma = (1.0 + alpha) / (1.0 - alpha);
        Self {
            ln_gamma: gamma.ln(),
            gamma,
            zero: 0,
            pos: Buckets::default(),
            neg: Buckets::default(),
        }
    }

    pub fn push(&mut self, x: f64) {
        let a = x.abs();
        if a.is_nan() || a < 1e-9 || a.is_infinite() {
            self.zero += 1;
            return;
        }
        let i = ceil_i32(a.ln() / self.ln_gamma);
        if x > 0.0 {
            self.pos.add(i);
        } else {
            self.neg.add(i);
        }
    }

    fn count(&self) -> u64 {
        self.zero + self.pos.total() + self.neg.total()
    }

    /// The value of bucket `i`: within α of every value in it.
    fn value(&self, i: i32) -> f64 {
        2.0 * self.gamma.powi(i) / (self.gamma + 1.0)
    }

    /// The `k`-th smallest value (from 0), within the relative accuracy.
    fn order_statistic(&self, k: u64) -> f64 {
        let mut seen = 0;
        for (j, &c) in self.neg.counts.iter().enumerate().rev() {
            seen += c;
            if k < seen {
                return -self.value(self.neg.offset + j as i32);
            }
        }
        seen += self.zero;
        if k < seen {
            return 0.0;
        }
        for (j, &c) in self.pos.counts.iter().enumerate() {
            seen += c;
            if k < seen {
                return self.value(self.pos.offset + j as i32);
            }
        }
        f64::NAN
    }

    /// The non-empty buckets as (value, count), ascending.
    pub fn points(&self) -> Vec<(f64, u64)> {
        let neg = self
            .neg
            .counts
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, c)| **c > 0);
        let pos = self.pos.counts.iter().enumerate().filter(|(_, c)| **c > 0);
        neg.map(|(j, &c)| (-self.value(self.neg.offset + j as i32), c))
            .chain((self.zero > 0).then_some((0.0, self.zero)))
            .chain(pos.map(|(j, &c)| (self.value(self.pos.offset + j as i32), c)))
            .collect()
    }

    /// Type-7 quantile, interpolating between the approximate order statistics.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = h.floor() as u64;
        let a = self.order_statistic(lo);
        let b = self.order_statistic((lo + 1).min(n - 1));
        a + (h - lo as f64) * (b - a)
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
    /// `k` events in `n` trials.
    pub fn from_count(k: usize, n: usize) -> Self {
        if n == 0 {
            return Self { p: 0.0, se: 0.0 };
        }
        let p = k as f64 / n as f64;
        Self {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }

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
    fn ceil_i32_is_the_ceiling() {
        let mut xs = vec![0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 355_000.0];
        for k in -400_000..400_000 {
            let x = f64::from(k) / 7.0;
            xs.extend([x, x.next_up(), x.next_down()]);
        }
        for x in xs {
            assert_eq!(f64::from(ceil_i32(x)), x.ceil(), "{x:e}");
        }
    }

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
    fn the_accumulator_is_exact_up_to_its_limit() {
        let xs: Vec<f64> = (0..EXACT_LIMIT)
            .map(|i| ((i * 7919) % 1013) as f64 - 300.0)
            .collect();
        let mut acc = StatAcc::default();
        for &x in &xs {
            acc.push(x);
        }
        assert_eq!(acc.finish(), Stat::of(&xs));
        assert_eq!(StatAcc::default().finish(), Stat::of(&[]));
    }

    #[test]
    fn beyond_its_limit_quantiles_are_within_the_sketch_accuracy() {
        // Zeros, negatives and a long right tail, as overruns and differences have.
        let n = 3 * EXACT_LIMIT + 17;
        let mut rng = crate::rng::stream(3, 0, 0);
        let xs: Vec<f64> = (0..n)
            .map(|i| {
                let u = crate::rng::open01(&mut rng);
                match i % 5 {
                    0 => 0.0,
                    1 => -1e4 * u,
                    _ => 1e6 * (-u.ln()).powi(2),
                }
            })
            .collect();
        let mut acc = StatAcc::default();
        for &x in &xs {
            acc.push(x);
        }
        let got = acc.finish();
        let exact = Stat::of(&xs);
        assert_eq!(
            (got.mean, got.sd, got.min, got.max),
            (exact.mean, exact.sd, exact.min, exact.max)
        );
        let mut sorted = xs.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        for (q, v) in [
            (0.05, got.p5),
            (0.25, got.p25),
            (0.5, got.p50),
            (0.75, got.p75),
            (0.95, got.p95),
        ] {
            let h = (n - 1) as f64 * q;
            let bound = sorted[h.floor() as usize]
                .abs()
                .max(sorted[h.ceil() as usize].abs());
            let truth = quantile_sorted(&sorted, q);
            assert!(
                (v - truth).abs() <= SKETCH_ALPHA * bound * 1.0001,
                "q={q}: {v} vs {truth}"
            );
        }
        // A sketch does not depend on the order of its values.
        let mut a = Sketch::new(SKETCH_ALPHA);
        let mut b = Sketch::new(SKETCH_ALPHA);
        xs.iter().for_each(|&x| a.push(x));
        xs.iter().rev().for_each(|&x| b.push(x));
        for q in [0.01, 0.3, 0.99] {
            assert_eq!(a.quantile(q), b.quantile(q));
        }
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
