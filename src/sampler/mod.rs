//! The exact binomial and Poisson samplers of the engine's hot loop.
//!
//! The binomial, both methods exact:
//! - for a small mean (n·p < 30, with p ≤ ½ by symmetry): inversion by
//!   sequential search, walking the probabilities up from P(0) = (1 − p)^n
//!   with the ratio P(k)/P(k − 1) = (n − k + 1)p / (kq). At a small mean
//!   most draws are 0, and a Bonferroni lower bound of P(0) decides most of
//!   them before the power is computed;
//! - otherwise BTRS, the transformed rejection with squeeze of
//!   W. Hörmann (1993), "The generation of binomial random variates",
//!   *Journal of Statistical Computation and Simulation* 46, 101–110: about
//!   1.15 uniform pairs per draw with a set-up of a few operations, so the
//!   cost does not grow with n. Outside its squeeze box, bounds of
//!   ln f(k)/f(m) from its Taylor series (see `Squeeze`) decide nearly
//!   every candidate without a logarithm; the exact test is a product of
//!   probability ratios near the mode and Stirling's series further out.
//!
//! The Poisson: inversion from P(0) = e^(−mean) below a mean of 15, and
//! Hörmann's PTRS above.
//!
//! The samplers draw their uniforms from the generator in a fixed order, so a
//! seed gives the same variates on every platform.
//!
//! `lanes` draws for several replications side by side with the same
//! methods: each lane gives the draw of its own generator here.

mod lanes;

pub use lanes::{binomial_lanes, poisson_lanes};

use crate::simd::Real;

/// Below this mean the binomial is drawn by inversion, at or above it by
/// BTRS. The sequential search costs a few nanoseconds per step and BTRS
/// rejects often at moderate means: `cargo bench --bench sampler` puts the
/// crossing near a mean of 30.
const INVERSION_MAX_MEAN: f64 = 30.0;

/// The same for the Poisson: PTRS is cheaper than BTRS at moderate means,
/// so it takes over earlier.
const POISSON_INVERSION_MAX_MEAN: f64 = 15.0;

/// The sequential search restarts with a new uniform beyond this count.
const SEARCH_MAX: u64 = 400;

/// Draws from Binomial(n, p) exactly. `p` is clamped into [0, 1] (NaN gives 0).
#[inline(always)]
pub fn binomial<R: rand::Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let (k, flip) = draw_reduced(rng, n, to_f64(n), p);
    let k = count(k);
    if flip { n - k } else { k }
}

/// [`binomial`] for a count held as a float, as the engine holds its
/// states: `n` a whole number in [0, 2⁵³), the same draws. The count comes
/// back as a float without the conversions to and from an integer, which
/// would lie on the path from one draw to the next.
#[inline(always)]
pub fn binomial_f64<R: rand::Rng + ?Sized>(rng: &mut R, n: f64, p: f64) -> f64 {
    debug_assert!(
        n == n.trunc() && (0.0..9_007_199_254_740_992.0).contains(&n),
        "not a count: {n}"
    );
    // A NaN count (not a count: the debug assertion above) draws nothing,
    // as below 1, instead of looping for ever in BTRS.
    if n.is_nan() || n < 1.0 || p.is_nan() || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return n;
    }
    let (k, flip) = draw_reduced(rng, n as i64 as u64, n, p);
    if flip { n - k } else { k }
}

/// What [`binomial`] and [`binomial_f64`] share, for n ≥ 1 (`nf` = n) and
/// 0 < p < 1: the count of Binomial(n, p') with p' = min(p, 1 − p) by the
/// method for its mean, as a float, and whether p was flipped (the count of
/// Binomial(n, p) is then n minus it).
#[inline(always)]
fn draw_reduced<R: rand::Rng + ?Sized>(rng: &mut R, n: u64, nf: f64, p: f64) -> (f64, bool) {
    let (pp, flip) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
    let k = if nf * pp < INVERSION_MAX_MEAN {
        inversion(rng, n, nf, pp) as i64 as f64
    } else {
        btrs(rng, nf, pp)
    };
    (k, flip)
}

/// Draws from Poisson(`mean`) exactly: inversion below a mean of 15, PTRS
/// at or above. A negative or NaN mean gives 0.
#[inline(always)]
pub fn poisson<R: rand::Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    count(poisson_f64(rng, mean))
}

/// [`poisson`] with the count as a float, as the engine holds it (see
/// [`binomial_f64`]).
#[inline(always)]
pub fn poisson_f64<R: rand::Rng + ?Sized>(rng: &mut R, mean: f64) -> f64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0.0;
    }
    if mean < POISSON_INVERSION_MAX_MEAN {
        poisson_inversion(rng, mean) as i64 as f64
    } else {
        ptrs(rng, mean)
    }
}

/// Inversion by sequential search from P(0) = e^(−mean), mean < 15.
#[inline(always)]
fn poisson_inversion<R: rand::Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    let p0 = (-mean).exp();
    let u = uniform(rng);
    if u < p0 {
        return 0;
    }
    let ratio = |x: usize| mean * RECIPROCALS[x];
    match search(u, p0, ratio) {
        Some(x) => x,
        None => search_again(rng, p0, ratio),
    }
}

/// The sequential search of an inversion: the count x where the uniform `u`
/// falls, walking the probabilities up from P(0) = `p0` with
/// P(x) = P(x − 1)·`ratio(x)`; `None` beyond [`SEARCH_MAX`], where the
/// tail has probability below 1e-100 for the means searched (restarting
/// there keeps rounding from walking off the end).
#[inline(always)]
fn search(mut u: f64, p0: f64, ratio: impl Fn(usize) -> f64) -> Option<u64> {
    let mut r = p0;
    let mut x = 0u64;
    while x <= SEARCH_MAX {
        if u < r {
            return Some(x);
        }
        u -= r;
        x += 1;
        r *= ratio(x as usize);
    }
    None
}

/// The search again with new uniforms, after one walked beyond
/// [`SEARCH_MAX`] (never seen in practice; out of line).
#[inline(never)]
fn search_again<R: rand::Rng + ?Sized>(rng: &mut R, p0: f64, ratio: impl Fn(usize) -> f64) -> u64 {
    loop {
        if let Some(x) = search(uniform(rng), p0, &ratio) {
            return x;
        }
    }
}

/// PTRS (mean ≥ 15): the transformed rejection with squeeze of
/// W. Hörmann (1993), "The transformed rejection method for generating
/// Poisson random variables", *Insurance: Mathematics and Economics* 12,
/// 39–45. The exact test uses ln k! through Stirling's series. As in
/// [`btrs`], the squeeze box is decided here and the rest out of line.
fn ptrs<R: rand::Rng + ?Sized>(rng: &mut R, mean: f64) -> f64 {
    let hat = ptrs_hat(mean);
    let (first, inside) = hat.candidate(rng);
    if inside {
        return first.k;
    }
    ptrs_rest(rng, mean, &hat, first)
}

/// The hat of PTRS for Poisson(`mean`), mean ≥ 15.
#[inline(always)]
fn ptrs_hat<T: Real>(mean: T) -> Hat<T> {
    let sd = mean.sqrt();
    let b = sd * 2.53 + 0.931;
    Hat {
        sd,
        a: b * 0.02483 + -0.059,
        b,
        c: mean,
        c2: T::splat(0.43),
        v_r: T::splat(0.9277) - T::splat(3.6224) / (b - 2.0),
    }
}

/// PTRS from a candidate outside the squeeze box (see [`btrs_rest`]).
#[inline(never)]
fn ptrs_rest<R: rand::Rng + ?Sized>(rng: &mut R, mean: f64, hat: &Hat, first: Candidate) -> f64 {
    let Hat { a, b, .. } = *hat;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let log_mean = mean.ln();
    hat.accept_from(rng, first, |Candidate { k, us, v }| {
        if k < 0.0 || (us < 0.013 && v > us) {
            return false;
        }
        // ln k! = (k + ½) ln(k + 1) − (k + 1) + ½ ln 2π + correction(k).
        let ln_fact = (k + 0.5) * (k + 1.0).ln() - (k + 1.0)
            + 0.5 * (2.0 * std::f64::consts::PI).ln()
            + stirling_correction(k as u64);
        (v * inv_alpha / (a / (us * us) + b)).ln() <= -mean + k * log_mean - ln_fact
    })
}

/// `n` as a float; through i64 (one instruction on x86-64) when it fits.
#[inline(always)]
fn to_f64(n: u64) -> f64 {
    match i64::try_from(n) {
        Ok(i) => i as f64,
        Err(_) => n as f64,
    }
}

/// An accepted candidate, a whole number in [0, 2⁶³), as a count: through
/// i64, one instruction on x86-64 where the saturating conversion to u64
/// takes several.
#[inline(always)]
fn count(k: f64) -> u64 {
    k as i64 as u64
}

/// A uniform in [0, 1) with 53 random bits.
#[inline(always)]
fn uniform<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// 1/k for the steps of the inversion, so a step multiplies instead of divides.
const RECIPROCALS: [f64; SEARCH_MAX as usize + 2] = {
    let mut t = [0.0; SEARCH_MAX as usize + 2];
    let mut k = 1;
    while k < t.len() {
        t[k] = 1.0 / k as f64;
        k += 1;
    }
    t
};

/// Up to this n, P(0) = qⁿ comes from repeated squaring (relative error
/// below n·2⁻⁵³ ≤ 10⁻¹¹, far below anything a sample can show); beyond, from
/// exp(n·ln q).
const POWI_MAX_N: u64 = 1 << 16;

/// x^n by square-and-multiply two bits at a time, without branches on the bits.
#[inline(always)]
fn pow_u16(x: f64, n: u32) -> f64 {
    let mut acc = 1.0f64;
    let mut b1 = x;
    let mut e = n;
    while e > 0 {
        // Two bits at a time; the factor is picked by index, not by a
        // branch: the bits of n are as unpredictable as the counts.
        let b2 = b1 * b1;
        acc *= [1.0, b1, b2, b2 * b1][(e & 3) as usize];
        b1 = b2 * b2;
        e >>= 2;
    }
    acc
}

/// P(0) = (1 − p)ⁿ of Binomial(n, p). It is at least e^{−2·n·p} > e^{−60}
/// for p ≤ ½ and n·p < 30: no underflow.
#[inline(always)]
fn zero_probability(n: u64, nf: f64, p: f64) -> f64 {
    if n <= POWI_MAX_N {
        pow_u16(1.0 - p, n as u32)
    } else {
        zero_probability_large(nf, p)
    }
}

/// P(0) = (1 − p)ⁿ beyond [`POWI_MAX_N`].
#[inline]
fn zero_probability_large(nf: f64, p: f64) -> f64 {
    (nf * (-p).ln_1p()).exp()
}

/// A lower bound of P(0) = (1 − p)ⁿ for the cheap early zero: Bonferroni's
/// 1 − S₁ + S₂ − S₃ with S_j = C(n, j)·p^j (exact for n ≤ 2), less
/// [`ZERO_BOUND_SLACK`]. Useful for a mean below about 1.6, negative above.
#[inline(always)]
fn zero_lower_bound<T: Real>(nf: T, p: T) -> T {
    // S₂ = S₁(S₁ − p)/2 and S₃ = S₂(S₁ − 2p)/3, grouped so that few
    // operations wait on n (rounding moves the bound by far less than the
    // slack, and the bound only decides draws that are 0 anyway).
    let s1 = nf * p;
    let s2 = (s1 * 0.5) * (s1 - p);
    let s3 = s2 * ((s1 - p * 2.0) * (1.0 / 3.0));
    (T::splat(1.0 - ZERO_BOUND_SLACK) - s1) + (s2 - s3)
}

/// More than the rounding error of [`zero_probability`] (relative error
/// below 10⁻¹¹) and of the bound, so that a uniform below the bound is below
/// the computed P(0) too: the early zero decides as the full test would.
const ZERO_BOUND_SLACK: f64 = 2e-11;

/// Inversion by sequential search (p ≤ ½, n·p < 30), from P(0) = (1 − p)ⁿ.
#[inline(always)]
fn inversion<R: rand::Rng + ?Sized>(rng: &mut R, n: u64, nf: f64, p: f64) -> u64 {
    let u = uniform(rng);
    // Most draws of the monthly model are 0: decide that before the set-up,
    // and for a small mean even before computing P(0).
    if u < zero_lower_bound(nf, p) {
        return 0;
    }
    let p0 = zero_probability(n, nf, p);
    if u < p0 {
        return 0;
    }
    let q = 1.0 - p;
    let s = p / q;
    let a = (nf + 1.0) * s;
    let ratio = |x: usize| a * RECIPROCALS[x] - s;
    match search(u, p0, ratio) {
        Some(x) => x,
        None => search_again(rng, p0, ratio),
    }
    .min(n)
}

/// Stirling's series correction: ln k! − [(k + ½) ln(k + 1) − (k + 1) + ½ ln 2π].
#[inline]
fn stirling_correction(k: u64) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_19,
        0.013_876_128_823_070_75,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_09,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
    ];
    if k < 10 {
        return TABLE[k as usize];
    }
    let r = 1.0 / (k as f64 + 1.0);
    let r2 = r * r;
    (1.0 / 12.0 - (1.0 / 360.0 - r2 / 1260.0) * r2) * r
}

/// The hat of a transformed rejection (BTRS or PTRS) for one distribution:
/// what a candidate and the squeeze box need. A candidate is
/// ⌊2a·(u/u_s) + (b·u + c + c2)⌋, that is ⌊(2a/u_s + b)·u + c + c2⌋ in an
/// order that keeps the division off the path from the parameters.
#[derive(Clone, Copy)]
struct Hat<T = f64> {
    a: T,
    b: T,
    c: T,
    c2: T,
    v_r: T,
    /// The standard deviation the hat was made for: √(n·p·q) for BTRS,
    /// √mean for PTRS.
    sd: T,
}

/// One candidate of a transformed rejection: k, with its uniforms.
#[derive(Clone, Copy)]
struct Candidate<T = f64> {
    k: T,
    us: T,
    v: T,
}

impl<T: Real> Hat<T> {
    /// The candidate from the uniforms `u01` and `v`, and whether the
    /// squeeze box accepts it (inside the box the hat and the distribution
    /// agree).
    #[inline(always)]
    fn candidate_from(&self, u01: T, v: T) -> (Candidate<T>, T::Mask) {
        let u = u01 - 0.5;
        let us = T::splat(0.5) - u.abs();
        // (2a/u_s + b)·u as 2a·(u/u_s) + b·u: the division depends on the
        // uniforms only, so it is off the path from n to the count.
        let k = ((self.a * 2.0) * (u / us) + ((self.b * u + self.c) + self.c2)).floor();
        let inside = us.ge(T::splat(0.07)) & v.le(self.v_r);
        (Candidate { k, us, v }, inside)
    }
}

impl Hat {
    /// The next candidate, and whether the squeeze box accepts it.
    #[inline(always)]
    fn candidate<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> (Candidate, bool) {
        let u01 = uniform(rng);
        let v = uniform(rng);
        self.candidate_from(u01, v)
    }

    /// The rejection loop from `first`, a candidate outside the squeeze
    /// box: each candidate is accepted by the exact test `exact`, or, for
    /// each new one, by the box, in the order one loop would take them.
    #[inline(always)]
    fn accept_from<R: rand::Rng + ?Sized>(
        &self,
        rng: &mut R,
        first: Candidate,
        mut exact: impl FnMut(Candidate) -> bool,
    ) -> f64 {
        let mut cand = first;
        loop {
            if exact(cand) {
                return cand.k;
            }
            let (next, inside) = self.candidate(rng);
            if inside {
                return next.k;
            }
            cand = next;
        }
    }
}

/// BTRS (p ≤ ½, n·p ≥ 30): transformed rejection with a squeeze box. Most
/// draws end in the box, so this part is kept small; the exact test and the
/// candidates after a rejection are in [`btrs_rest`], out of line, so that
/// the logarithms it calls do not make this part save and restore its
/// values around them.
fn btrs<R: rand::Rng + ?Sized>(rng: &mut R, nf: f64, p: f64) -> f64 {
    let hat = btrs_hat(nf, p);
    let (first, inside) = hat.candidate(rng);
    if inside {
        return first.k;
    }
    btrs_rest(rng, nf, p, &hat, first)
}

/// The hat of BTRS for Binomial(n, p), p ≤ ½.
#[inline(always)]
fn btrs_hat<T: Real>(nf: T, p: T) -> Hat<T> {
    let spq = (nf * (p * (T::splat(1.0) - p))).sqrt();
    let b = spq * 2.53 + 1.15;
    Hat {
        sd: spq,
        a: (b * 0.0248 + -0.0873) + p * 0.01,
        b,
        c: nf * p + 0.5,
        c2: T::splat(0.0),
        v_r: T::splat(0.92) - T::splat(4.2) / b,
    }
}

/// BTRS from a candidate outside the squeeze box: the exact test, then new
/// candidates until one is accepted, in the same order as one loop would
/// take them.
#[inline(never)]
fn btrs_rest<R: rand::Rng + ?Sized>(
    rng: &mut R,
    nf: f64,
    p: f64,
    hat: &Hat,
    first: Candidate,
) -> f64 {
    let mut test = BtrsTest::new(p, Squeeze::new(nf, p, hat));
    hat.accept_from(rng, first, |c| test.accepts(c))
}

/// What the squeeze of BTRS needs of one distribution (p ≤ ½), or of lanes
/// of them: it decides nearly every candidate outside the box without a
/// logarithm or a division.
///
/// With μ = (n + 1)p, m = ⌊μ⌋ and φ = μ − m, the ratio of neighbouring
/// probabilities is f(i)/f(i − 1) = (μq − tp)/(μq + tq) at i = μ + t, so
///
/// - above the mode, ln f(m + d)/f(m) = Σⱼ [ln(1 − g·tⱼ) − ln(1 + h·tⱼ)],
///   tⱼ = j − φ;
/// - below it, ln f(m − d)/f(m) = Σⱼ [ln(1 − h·tⱼ) − ln(1 + g·tⱼ)],
///   tⱼ = j − (1 − φ);
///
/// for j = 1, …, d, with g = p/(μq) ≤ h = 1/μ. Both are
/// Σⱼ [ln(1 − A·tⱼ) − ln(1 + B·tⱼ)] with 0 ≤ tⱼ ≤ d, and
/// [`Squeeze::bounds`] bounds that sum by its Taylor series to the third
/// order, with remainders of the fourth, in closed form through the power
/// sums of the tⱼ: a band of width about d⁵h⁴/8 around the exact value,
/// valid while h·d ≤ ½ (d ≤ μ/2, half of the way from the mode to zero).
#[derive(Clone, Copy)]
struct Squeeze<T: Real = f64> {
    nf: T,
    a: T,
    b: T,
    /// The hat's scale.
    alpha: T,
    /// The mode m = ⌊(n + 1)p⌋.
    m: T,
    /// φ = (n + 1)p − m, in [0, 1).
    phi: T,
    /// g = p/(μq).
    g: T,
    /// h = 1/μ.
    h: T,
}

impl<T: Real> Squeeze<T> {
    #[inline(always)]
    fn new(nf: T, p: T, hat: &Hat<T>) -> Self {
        let q = T::splat(1.0) - p;
        let mu = (nf + 1.0) * p;
        let m = mu.floor();
        let h = T::splat(1.0) / mu;
        Squeeze {
            nf,
            a: hat.a,
            b: hat.b,
            // √(npq) as the hat took it.
            alpha: (T::splat(5.1) / hat.b + 2.83) * hat.sd,
            m,
            phi: mu - m,
            g: (p / q) * h,
            h,
        }
    }

    /// Whether the bounds reach distance `d` from the mode: h·d ≤ ½.
    #[inline(always)]
    fn near(&self, d: T) -> T::Mask {
        (self.h * d).le(T::splat(0.5))
    }

    /// The side of the mode that `k` is on, as the terms of the sum of
    /// the type's documentation: (d, A, B, ψ) with tⱼ = j − ψ.
    #[inline(always)]
    fn side(&self, k: T) -> (T, T, T, T) {
        let up = k.gt(self.m);
        let d = (k - self.m).abs();
        let a = T::select(up, self.g, self.h);
        let b = T::select(up, self.h, self.g);
        let psi = T::select(up, self.phi, T::splat(1.0) - self.phi);
        (d, a, b, psi)
    }

    /// Bounds lo ≤ Σⱼ [ln(1 − A·tⱼ) − ln(1 + B·tⱼ)] ≤ hi over
    /// tⱼ = j − ψ, j = 1, …, d, for 0 < A, B ≤ h and h·d ≤ ½ (the tests
    /// check them against the exact log-ratio).
    ///
    /// The series −Σ (A^r + (−B)^r)·t^r/r gives the centre
    /// (B² − A²)/2·S₂ − (A + B)·S₁ − (A³ + B³)/3·S₃ from the power sums
    /// S_r = Σⱼ tⱼ^r. What is left is between −Σ A⁴t⁴/(4(1 − At)) (the
    /// tail of ln(1 − x) ≥ −x − x²/2 − x³/3 − x⁴/(4(1 − x))) and
    /// +Σ B⁴t⁴/4 (the alternating tail of −ln(1 + y) for y ≤ 1), and
    /// Σ t⁴ ≤ d·S₃, 1/(1 − x) ≤ 1 + 2x for x ≤ ½.
    #[inline(always)]
    fn bounds(&self, d: T, a: T, b: T, psi: T) -> (T, T) {
        // Σ j, Σ j², Σ j³ for j = 1, …, d, then the sums of (j − ψ)^r.
        let p1 = d * (d + 1.0) * 0.5;
        let p2 = p1 * (d * 2.0 + 1.0) * (1.0 / 3.0);
        let p3 = p1 * p1;
        let psi_d = psi * d;
        let s1 = p1 - psi_d;
        let s2 = p2 - psi * (p1 * 2.0 - psi_d);
        let s3 = p3 - psi * (p2 * 3.0 - psi * (p1 * 3.0 - psi_d));
        let a_b = a + b;
        let centre =
            ((b - a) * a_b * 0.5) * s2 - a_b * s1 - ((a * a * a + b * b * b) * (1.0 / 3.0)) * s3;
        let s4 = d * s3 * 0.25;
        let (a2, b2) = (a * a, b * b);
        // What the bounds leave on each side for rounding: of φ (through
        // μ, up to (n + 1) ulps), of the exact test (below 10⁻¹⁰ at the n
        // the engine meets, a few ulps of n beyond), and of the terms
        // above, at most about d, by a relative 10⁻¹² of the largest.
        let slack = ((self.nf + 1.0) * (16.0 * f64::EPSILON) + 1e-8) + a_b * s1 * 1e-12;
        let lo = centre - (a2 * a2) * (a * d * 2.0 + 1.0) * s4 - slack;
        let hi = centre + (b2 * b2) * s4 + slack;
        (lo, hi)
    }

    /// The upper bound for a candidate beyond the reach of the bounds
    /// (h·d > ½): ln f is concave (the binomial is log-concave), so
    /// ln f(m ± d)/f(m) ≤ (d/d₀)·ln f(m ± d₀)/f(m) for d ≥ d₀, with
    /// d₀ = ⌊1/(2h)⌋ the largest whole distance the bounds reach.
    #[inline(always)]
    fn far(&self, d: T, a: T, b: T, psi: T) -> T {
        let d0 = (T::splat(0.5) / self.h).floor();
        let (_, hi0) = self.bounds(d0, a, b, psi);
        d * (hi0 / d0)
    }

    /// Decides the candidate where the squeeze can: (accept, reject), for
    /// v on the hat's scale num/den (den > 0). Within reach of the bounds,
    /// accept below a lower bound of e^lo; reject above an upper bound of
    /// e^hi, or of the far bound beyond reach. Neither where the exact test
    /// must decide.
    #[inline(always)]
    fn decide(&self, k: T, num: T, den: T) -> (T::Mask, T::Mask) {
        let (d, a, b, psi) = self.side(k);
        let near = self.near(d);
        let (lo, hi_near) = self.bounds(d, a, b, psi);
        let accept = near & num.le(exp_lower_bound(lo) * den);
        // The far bound only where a candidate is beyond reach (rarely).
        let hi = if T::any(!near) {
            T::select(near, hi_near, self.far(d, a, b, psi))
        } else {
            hi_near
        };
        // e^hi ≤ 1/L(−hi) for a lower bound L of e^(−hi).
        let over = (num * exp_lower_bound(-hi)).gt(den);
        (accept, !accept & over)
    }

    /// The candidate's position against the hat: whether k is a count of
    /// the distribution, and v on the hat's scale as num/den. (v·α/(a/u_s² + b)
    /// = v·α·u_s²/(a + b·u_s²), a ratio of positive terms that the squeeze
    /// compares without dividing.)
    #[inline(always)]
    fn place(&self, Candidate { k, us, v }: Candidate<T>) -> (T::Mask, T, T) {
        let us2 = us * us;
        let in_range = k.ge(T::splat(0.0)) & k.le(self.nf);
        (in_range, v * self.alpha * us2, self.a + self.b * us2)
    }

    /// The squeeze's verdict on a candidate: (accepted, rejected), a
    /// candidate out of range rejected; neither where the exact test must
    /// decide.
    #[inline(always)]
    fn judge(&self, c: Candidate<T>) -> (T::Mask, T::Mask) {
        let (in_range, num, den) = self.place(c);
        let (accept, reject) = self.decide(c.k, num, den);
        (in_range & accept, !in_range | reject)
    }
}

impl Squeeze {
    /// [`Squeeze::bounds`] of ln f(k)/f(m), `None` beyond their reach.
    #[cfg(test)]
    fn log_ratio_bounds(&self, k: f64) -> Option<(f64, f64)> {
        let (d, a, b, psi) = self.side(k);
        self.near(d).then(|| self.bounds(d, a, b, psi))
    }

    /// [`Squeeze::far`]: the upper bound of ln f(k)/f(m) beyond the reach
    /// of the bounds.
    #[cfg(test)]
    fn far_upper_bound(&self, k: f64) -> f64 {
        let (d, a, b, psi) = self.side(k);
        self.far(d, a, b, psi)
    }

    /// [`Squeeze::judge`] as `Some(accept)`, or `None` where the exact test
    /// must decide.
    fn verdict(&self, c: Candidate) -> Option<bool> {
        match self.judge(c) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

/// The acceptance test of BTRS for one distribution (p ≤ ½): whether v, on
/// the scale of the hat, is below f(k)/f(m), m the mode.
struct BtrsTest {
    sq: Squeeze,
    n: u64,
    /// The odds p/q.
    r: f64,
    /// The part of ln f(k)/f(m) that depends on the mode only, for the test
    /// far from the mode: computed when first needed (NaN until then).
    h: f64,
}

impl BtrsTest {
    fn new(p: f64, sq: Squeeze) -> Self {
        BtrsTest {
            n: sq.nf as i64 as u64,
            sq,
            r: p / (1.0 - p),
            h: f64::NAN,
        }
    }

    /// Accepts the candidate: by the squeeze when it decides, by the exact
    /// test otherwise.
    #[inline(always)]
    fn accepts(&mut self, c: Candidate) -> bool {
        match self.sq.verdict(c) {
            Some(accept) => accept,
            None => self.exact(c),
        }
    }

    /// The exact test for a candidate in range: near the mode f(k)/f(m) as
    /// a product of probability ratios, further out ln f(k)/f(m) by
    /// Stirling's series.
    fn exact(&mut self, Candidate { k, us, v }: Candidate) -> bool {
        let Squeeze {
            nf, a, b, alpha, m, ..
        } = self.sq;
        let (n, r) = (self.n, self.r);
        let vt = v * alpha / (a / (us * us) + b);
        if (k - m).abs() <= 15.0 {
            // Near the mode, f(k)/f(m) as a product of the ratios
            // f(i)/f(i − 1) = (n + 1)r/i − r, without logarithms
            // (Hörmann's step 3.3, as in BTPE).
            let nr = (nf + 1.0) * r;
            let mut vt = vt;
            let mut f = 1.0;
            let mut i = m.min(k) + 1.0;
            while i <= m.max(k) {
                let ratio = nr / i - r;
                if m < k {
                    f *= ratio;
                } else {
                    vt *= ratio;
                }
                i += 1.0;
            }
            return vt <= f;
        }
        if self.h.is_nan() {
            self.h = (m + 0.5) * ((m + 1.0) / (r * (nf - m + 1.0))).ln()
                + stirling_correction(m as u64)
                + stirling_correction(n - m as u64);
        }
        let nk = nf - k + 1.0;
        let bound = self.h
            + (nf + 1.0) * ((nf - m + 1.0) / nk).ln()
            + (k + 0.5) * (r * nk / (k + 1.0)).ln()
            - stirling_correction(k as u64)
            - stirling_correction(n - k as u64);
        vt.ln() <= bound
    }
}

/// A lower bound of eˣ for x ≥ −16, and 0 below: (T₅(x/16))¹⁶, T₅ the
/// Taylor polynomial of degree 5, which is below e^y for every y (the
/// remainder e^ξ·y⁶/720 is positive) and positive for y ≥ −1, less the
/// rounding of the polynomial and its four squarings. Within 10⁻⁵ of eˣ
/// (relative) for |x| ≤ 4, 10⁻⁴ for |x| ≤ 6 and 6 % for |x| ≤ 16.
#[inline(always)]
fn exp_lower_bound<T: Real>(x: T) -> T {
    let y = x * (1.0 / 16.0);
    let t = y * (y * (y * (y * (y * (1.0 / 120.0) + 1.0 / 24.0) + 1.0 / 6.0) + 0.5) + 1.0) + 1.0;
    let t2 = t * t;
    let t4 = t2 * t2;
    let t8 = t4 * t4;
    // A relative error δ of t becomes 16δ in t¹⁶, and each squaring adds
    // its own: together below 16 ulps where the two meet (near x = 0).
    let bound = t8 * t8 * (1.0 - 32.0 * f64::EPSILON);
    T::select(x.lt(T::splat(-16.0)), T::splat(0.0), bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    use statrs::function::factorial::ln_binomial;

    fn rng(seed: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(seed)
    }

    #[test]
    fn edge_cases() {
        let mut r = rng(1);
        assert_eq!(binomial(&mut r, 0, 0.3), 0);
        assert_eq!(binomial(&mut r, 10, 0.0), 0);
        assert_eq!(binomial(&mut r, 10, -1.0), 0);
        assert_eq!(binomial(&mut r, 10, f64::NAN), 0);
        assert_eq!(binomial(&mut r, 10, 1.0), 10);
        assert_eq!(binomial(&mut r, 10, 2.0), 10);
        for _ in 0..10_000 {
            assert!(binomial(&mut r, 7, 0.9) <= 7);
            assert!(binomial(&mut r, 1, 0.5) <= 1);
            assert!(binomial(&mut r, 40, 0.45) <= 40);
        }
    }

    #[test]
    fn mean_and_variance_match_within_5_se() {
        let grid: &[(u64, f64)] = &[
            (1, 0.3),
            (20, 0.1),
            (100, 0.099),
            (100, 0.101),
            (1000, 0.002),
            (50, 0.7),
            (200, 0.5),
            (10_000, 0.05),
            (299, 0.1),
            (301, 0.1),
            (1_000_000_000, 1e-8),
            (1_000_000_000, 3e-6),
            (10_000_000, 0.3),
            (1000, 1.0 - 1e-12),
            (1_000_000, 1e-12),
        ];
        for &(n, p) in grid {
            let mut r = rng(n ^ p.to_bits());
            let draws = 40_000;
            let xs: Vec<f64> = (0..draws).map(|_| binomial(&mut r, n, p) as f64).collect();
            let mean = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let (mu, s2) = (n as f64 * p, n as f64 * p * (1.0 - p));
            let se_mean = (s2 / draws as f64).sqrt();
            assert!(
                (mean - mu).abs() <= 5.0 * se_mean + 1e-12,
                "n={n} p={p}: mean {mean} vs {mu}"
            );
            // The sample variance has variance (μ₄ − σ⁴)/N, with the binomial
            // fourth central moment μ₄ = npq(1 + 3pq(n − 2)); 6 of its se.
            let (nf, pq) = (n as f64, p * (1.0 - p));
            let mu4 = nf * pq * (1.0 + 3.0 * pq * (nf - 2.0));
            let se_var = ((mu4 - s2 * s2).max(0.0) / draws as f64).sqrt();
            assert!(
                (var - s2).abs() <= 6.0 * se_var + 1e-12,
                "n={n} p={p}: var {var} vs {s2}"
            );
        }
    }

    /// Chi-square goodness of fit against the exact pmf.
    fn gof(n: u64, p: f64, draws: usize, seed: u64) -> f64 {
        gof_of(n, p, draws, seed, |r| binomial(r, n, p))
    }

    /// Chi-square goodness of fit of any sampler of Binomial(n, p).
    fn gof_of(
        n: u64,
        p: f64,
        draws: usize,
        seed: u64,
        mut sample: impl FnMut(&mut Xoshiro256PlusPlus) -> u64,
    ) -> f64 {
        let mut r = rng(seed);
        let mut counts = vec![0usize; n as usize + 1];
        for _ in 0..draws {
            counts[sample(&mut r) as usize] += 1;
        }
        let pmf =
            |k: u64| (ln_binomial(n, k) + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p()).exp();
        // Pool cells with expected count below 5.
        let (mut chi2, mut cells, mut obs, mut exp) = (0.0, 0usize, 0.0, 0.0);
        for k in 0..=n {
            obs += counts[k as usize] as f64;
            exp += pmf(k) * draws as f64;
            if exp >= 5.0 {
                chi2 += (obs - exp).powi(2) / exp;
                cells += 1;
                obs = 0.0;
                exp = 0.0;
            }
        }
        if exp > 0.0 {
            chi2 += (obs - exp).powi(2) / exp.max(1e-300);
            cells += 1;
        }
        1.0 - ChiSquared::new((cells - 1) as f64).unwrap().cdf(chi2)
    }

    #[test]
    fn distribution_matches_the_exact_pmf() {
        for (i, &(n, p)) in [
            (10u64, 0.3),
            (30, 0.2),
            (60, 0.15),
            (99, 0.101),
            (101, 0.099),
            (200, 0.5),
            (500, 0.04),
            (1500, 0.3),
            (290, 0.1),
            (310, 0.1),
            (60, 0.49),
            (4000, 0.75),
            (20_000, 0.01),
        ]
        .iter()
        .enumerate()
        {
            let pv = gof(n, p, 60_000, 100 + i as u64);
            assert!(pv > 1e-4, "n={n} p={p}: chi-square p-value {pv}");
        }
    }

    /// Chi-square goodness of fit of Poisson draws against the exact pmf.
    fn poisson_gof(mean: f64, draws: usize, seed: u64) -> f64 {
        let mut r = rng(seed);
        let mut counts = std::collections::BTreeMap::<u64, usize>::new();
        for _ in 0..draws {
            *counts.entry(poisson(&mut r, mean)).or_default() += 1;
        }
        let top = *counts.keys().last().unwrap();
        let pmf = |k: u64| {
            (k as f64 * mean.ln() - mean - statrs::function::factorial::ln_factorial(k)).exp()
        };
        // Pool cells with expected count below 5; the last cell holds the
        // whole upper tail.
        let (mut chi2, mut cells, mut obs, mut exp, mut below) = (0.0, 0usize, 0.0, 0.0, 0.0);
        for k in 0..=top {
            let pk = pmf(k);
            obs += *counts.get(&k).unwrap_or(&0) as f64;
            exp += pk * draws as f64;
            below += pk;
            if exp >= 5.0 && (1.0 - below) * draws as f64 >= 5.0 {
                chi2 += (obs - exp).powi(2) / exp;
                cells += 1;
                obs = 0.0;
                exp = 0.0;
            }
        }
        exp += (1.0 - below).max(0.0) * draws as f64;
        chi2 += (obs - exp).powi(2) / exp.max(1e-300);
        cells += 1;
        1.0 - ChiSquared::new((cells - 1) as f64).unwrap().cdf(chi2)
    }

    #[test]
    fn poisson_matches_the_exact_pmf() {
        // Both sides of the switch from inversion to PTRS, and far beyond.
        for (i, &mean) in [0.01, 0.4, 1.0, 3.7, 9.99, 14.9, 15.0, 35.0, 300.0, 20_000.0]
            .iter()
            .enumerate()
        {
            let pv = poisson_gof(mean, 60_000, 300 + i as u64);
            assert!(pv > 1e-4, "poisson mean={mean}: chi-square p-value {pv}");
        }
    }

    #[test]
    fn poisson_mean_and_variance_match_within_5_se() {
        for &mean in &[1e-9f64, 0.05, 2.5, 14.5, 15.5, 80.0, 1e4, 1e9] {
            let mut r = rng(mean.to_bits());
            let draws = 40_000;
            let xs: Vec<f64> = (0..draws).map(|_| poisson(&mut r, mean) as f64).collect();
            let m = xs.iter().sum::<f64>() / draws as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let se_mean = (mean / draws as f64).sqrt();
            assert!(
                (m - mean).abs() <= 5.0 * se_mean + 1e-12,
                "mean {mean}: {m}"
            );
            // Var of the sample variance: (μ₄ − σ⁴)/N with μ₄ = λ(1 + 3λ).
            let se_var = ((mean * (1.0 + 3.0 * mean) - mean * mean) / draws as f64).sqrt();
            assert!(
                (var - mean).abs() <= 6.0 * se_var + 1e-12,
                "mean {mean}: var {var}"
            );
        }
    }

    #[test]
    fn poisson_edge_cases() {
        let mut r = rng(5);
        assert_eq!(poisson(&mut r, 0.0), 0);
        assert_eq!(poisson(&mut r, -1.0), 0);
        assert_eq!(poisson(&mut r, f64::NAN), 0);
        let a: Vec<u64> = (0..50)
            .map(|i| poisson(&mut rng(7), i as f64 * 0.7))
            .collect();
        let b: Vec<u64> = (0..50)
            .map(|i| poisson(&mut rng(7), i as f64 * 0.7))
            .collect();
        assert_eq!(a, b, "the same seed gives the same draws");
    }

    #[test]
    fn square_and_multiply_matches_powi() {
        for n in [0u32, 1, 2, 3, 17, 1000, 65_535, 65_536] {
            for x in [0.999_9, 0.97, 0.5] {
                let (a, b) = (pow_u16(x, n), x.powi(n as i32));
                assert!((a - b).abs() <= 1e-12 * b.max(f64::MIN_POSITIVE), "{x}^{n}");
            }
        }
    }

    /// ln f(m ± d)/f(m) for d = 0, 1, …, `max_d` (fewer where m ± d leaves
    /// [0, n]), as sums of ln(1 + x) over the ratios f(i)/f(i − 1) =
    /// 1 + ((n + 1)p − i)/(iq): accurate to a few ulps per term.
    fn exact_log_ratios(n: u64, p: f64, max_d: u64) -> (Vec<f64>, Vec<f64>) {
        let (nf, q) = (n as f64, 1.0 - p);
        let m = ((nf + 1.0) * p).floor() as u64;
        let ln_ratio = |i: u64| (((nf + 1.0) * p - i as f64) / (i as f64 * q)).ln_1p();
        let (mut up, mut down) = (vec![0.0], vec![0.0]);
        for d in 1..=max_d {
            if m + d <= n {
                up.push(up[d as usize - 1] + ln_ratio(m + d));
            }
            if d <= m {
                down.push(down[d as usize - 1] - ln_ratio(m - d + 1));
            }
        }
        (up, down)
    }

    /// The (n, p) of the BTRS regime (p ≤ ½, n·p ≥ 30) the squeeze tests use:
    /// small and large n·p·q, p near ½ and near 0.
    fn btrs_grid() -> Vec<(u64, f64)> {
        let mut grid = vec![];
        for n in [
            60, 61, 100, 150, 299, 1000, 3_000, 10_000, 100_000, 1_000_000,
        ] {
            for p in [
                0.5, 0.499, 0.45, 0.3, 0.2, 0.1, 0.05, 0.03, 0.01, 1e-3, 1e-4,
            ] {
                if n as f64 * p >= INVERSION_MAX_MEAN {
                    grid.push((n, p));
                }
            }
        }
        grid
    }

    #[test]
    fn the_squeeze_bounds_hold_for_the_exact_log_ratio() {
        // lo ≤ ln f(m ± d)/f(m) ≤ hi wherever the bounds reach, and the
        // concave extension above it beyond. Rounding of the exact sums is
        // below 1e-12 here, the bounds' slack at least 1e-8: the bounds must
        // hold with 0.4e-8 of it to spare. Within two standard deviations of
        // the mode, where most candidates fall, the band must be narrow
        // enough to decide nearly all of them.
        let (mut near, mut far) = (0, 0);
        for (n, p) in btrs_grid() {
            let nf = n as f64;
            let sq = Squeeze::new(nf, p, &btrs_hat(nf, p));
            let sd = (nf * p * (1.0 - p)).sqrt();
            let max_d = (2.0 * nf * p * (1.0 - p)) as u64 + 20;
            let (up, down) = exact_log_ratios(n, p, max_d);
            for (side, sign) in [(&up, 1.0), (&down, -1.0)] {
                for (d, &exact) in side.iter().enumerate() {
                    let d = d as f64;
                    let k = sq.m + sign * d;
                    let room = 0.4e-8;
                    match sq.log_ratio_bounds(k) {
                        Some((lo, hi)) => {
                            assert!(
                                lo + room <= exact && exact <= hi - room,
                                "n={n} p={p} k={k}: {exact} outside [{lo}, {hi}]"
                            );
                            if d <= 2.0 * sd {
                                assert!(hi - lo < 0.02, "n={n} p={p} k={k}: [{lo}, {hi}]");
                            }
                            near += 1;
                        }
                        None => {
                            let hi = sq.far_upper_bound(k);
                            assert!(exact <= hi - room, "n={n} p={p} k={k}: {exact} > {hi}");
                            far += 1;
                        }
                    }
                }
            }
        }
        assert!(near > 100_000 && far > 1_000, "{near} near, {far} far");
    }

    #[test]
    fn the_exponential_lower_bound_is_below_and_near_the_exponential() {
        for i in -2000..=2000 {
            let x = i as f64 / 100.0;
            let (lb, e) = (exp_lower_bound(x), x.exp());
            assert!((0.0..=e).contains(&lb), "x={x}: {lb} vs {e}");
            let tol = match x.abs() {
                a if a <= 4.0 => 1e-5,
                a if a <= 6.0 => 1e-4,
                a if a <= 16.0 => 0.06,
                _ => 1.0,
            };
            assert!(lb >= (1.0 - tol) * e, "x={x}: {lb} vs {e}");
            if x < -16.0 {
                assert_eq!(lb, 0.0);
            }
        }
        // Where the polynomial meets the exponential, rounding decides.
        let mut x = -1e-300f64;
        for _ in 0..2000 {
            for x in [x, -x, x * 1e290, -x * 1e290] {
                assert!(exp_lower_bound(x) <= x.exp(), "x={x}");
            }
            x *= 0.7;
        }
        for i in 0..100_000 {
            let x = (i as f64 - 50_000.0) * f64::EPSILON;
            assert!(exp_lower_bound(x) <= x.exp(), "x={x}");
        }
    }

    #[test]
    fn the_squeeze_decides_as_the_exact_test() {
        // Candidates as BTRS draws them, outside the box and inside; wherever
        // the squeeze decides, the exact test must decide the same.
        let mut r = rng(11);
        let (mut decided, mut total) = (0u64, 0u64);
        for (n, p) in btrs_grid() {
            let nf = n as f64;
            let hat = btrs_hat(nf, p);
            let mut test = BtrsTest::new(p, Squeeze::new(nf, p, &hat));
            for _ in 0..4_000 {
                let (c, _) = hat.candidate(&mut r);
                let Candidate { k, us, v } = c;
                let (in_range, _, _) = test.sq.place(c);
                if !in_range {
                    continue;
                }
                total += 1;
                let squeeze = test.sq.verdict(c);
                let exact = test.exact(c);
                if let Some(accept) = squeeze {
                    decided += 1;
                    assert_eq!(accept, exact, "n={n} p={p} k={k} us={us} v={v}");
                }
            }
        }
        // The squeeze spares the exact test for nearly every candidate.
        assert!(decided * 100 > total * 99, "{decided} of {total} decided");
    }

    #[test]
    fn binomial_on_float_counts_gives_the_same_draws() {
        // (`poisson` is `poisson_f64` converted, so needs no such test.)
        let mut checked = 0;
        for n in [
            0u64,
            1,
            2,
            7,
            40,
            299,
            300,
            1000,
            65_536,
            65_537,
            1_000_000,
            1 << 40,
        ] {
            for p in [
                f64::NAN,
                -0.1,
                0.0,
                1e-9,
                1e-3,
                0.02,
                0.1,
                0.5,
                0.7,
                0.999,
                1.0,
                1.5,
            ] {
                let (mut a, mut b) = (rng(n ^ p.to_bits()), rng(n ^ p.to_bits()));
                for _ in 0..200 {
                    let (x, y) = (binomial(&mut a, n, p), binomial_f64(&mut b, n as f64, p));
                    assert_eq!(x as f64, y, "n={n} p={p}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 12 * 12 * 200);
    }

    #[test]
    fn the_early_zero_bound_is_below_the_zero_probability() {
        // The bound must never exceed the computed P(0), or the early zero
        // would return 0 where the sequential search would not.
        for n in 1..=400u64 {
            let nf = n as f64;
            for p in [
                1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5,
            ] {
                if nf * p >= INVERSION_MAX_MEAN {
                    continue;
                }
                let (bound, p0) = (zero_lower_bound(nf, p), zero_probability(n, nf, p));
                assert!(bound <= p0, "n={n} p={p}: bound {bound} > P(0) {p0}");
                // Below P(0) by the slack and at most the next Bonferroni
                // term S₄ ≤ mean⁴/24 (none for n ≤ 3), plus the rounding of
                // the power, n·2⁻⁵².
                let s4 = if n <= 3 { 0.0 } else { (nf * p).powi(4) / 24.0 };
                assert!(
                    p0 - bound <= ZERO_BOUND_SLACK + s4 + nf * f64::EPSILON,
                    "n={n} p={p}: bound {bound}, P(0) {p0}"
                );
            }
        }
    }

    #[test]
    fn stirling_correction_matches_log_factorials() {
        for k in [0u64, 5, 9, 10, 11, 30, 1000] {
            let exact = statrs::function::factorial::ln_factorial(k);
            let kf = k as f64;
            let stirling =
                (kf + 0.5) * (kf + 1.0).ln() - (kf + 1.0) + 0.5 * (2.0 * std::f64::consts::PI).ln();
            assert!(
                (exact - stirling - stirling_correction(k)).abs() < 1e-10,
                "k={k}"
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_draws() {
        let a: Vec<u64> = {
            let mut r = rng(9);
            (0..100).map(|i| binomial(&mut r, 1000 + i, 0.3)).collect()
        };
        let b: Vec<u64> = {
            let mut r = rng(9);
            (0..100).map(|i| binomial(&mut r, 1000 + i, 0.3)).collect()
        };
        assert_eq!(a, b);
    }
}
