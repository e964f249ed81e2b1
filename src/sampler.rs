//! Binomial sampler (temporary stub: replaced by the fast exact sampler).
use rand_distr::Distribution;
#[inline]
pub fn binomial<R: rand::Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    rand_distr::Binomial::new(n, p)
        .map(|b| b.sample(rng))
        .unwrap_or(0)
}
