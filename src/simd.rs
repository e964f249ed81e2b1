//! Lanes: `N` numbers computed side by side, one replication per lane.
//!
//! The engine simulates several replications in lockstep: every state and
//! rate is an [`F`] of `N` lanes, and every operation acts on each lane
//! alone with plain IEEE arithmetic (no fused multiply-add, no
//! reassociation, no approximate functions). A lane's result therefore does
//! not depend on `N`, on which replications share its vector, or on whether
//! the code was compiled for AVX2 or for baseline x86-64: the engine's
//! results are the same bit for bit on one lane and on four.
//!
//! Branches become masks ([`Mask`]): both sides are computed and each lane
//! selects its own. The processor then mispredicts one branch per group of
//! lanes where the scalar code mispredicted one per lane, and the compiler
//! turns the lane loops into vector instructions.
//!
//! [`Real`] is what the scalar `f64` and [`F`] share, so that a formula
//! written once (a sampler's hat, a bound) computes the same numbers on one
//! value and on lanes.

use std::ops::{
    Add, AddAssign, BitAnd, BitOr, Div, DivAssign, Mul, MulAssign, Neg, Not, Sub, SubAssign,
};

/// `N` lanes of `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(transparent)]
pub struct F<const N: usize>(pub [f64; N]);

/// `N` lane flags: each lane all ones (true) or all zeros (false), the form a
/// vector comparison gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct Mask<const N: usize>([u64; N]);

/// 2⁵²: from here on every `f64` is a whole number.
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// Lane-wise `f(a[i])`.
#[inline(always)]
fn map<const N: usize>(a: [f64; N], f: impl Fn(f64) -> f64) -> F<N> {
    let mut out = [0.0; N];
    for i in 0..N {
        out[i] = f(a[i]);
    }
    F(out)
}

/// Lane-wise `f(a[i], b[i])`.
#[inline(always)]
fn zip<const N: usize>(a: [f64; N], b: [f64; N], f: impl Fn(f64, f64) -> f64) -> F<N> {
    let mut out = [0.0; N];
    for i in 0..N {
        out[i] = f(a[i], b[i]);
    }
    F(out)
}

/// Lane-wise comparison.
#[inline(always)]
fn cmp<const N: usize>(a: [f64; N], b: [f64; N], f: impl Fn(f64, f64) -> bool) -> Mask<N> {
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = u64::from(f(a[i], b[i])).wrapping_neg();
    }
    Mask(out)
}

impl<const N: usize> F<N> {
    /// Every lane `x`.
    #[inline(always)]
    pub const fn splat(x: f64) -> Self {
        F([x; N])
    }

    /// Lane `i`.
    #[inline(always)]
    pub fn get(self, i: usize) -> f64 {
        self.0[i]
    }

    /// Sets lane `i`.
    #[inline(always)]
    pub fn set(&mut self, i: usize, x: f64) {
        self.0[i] = x;
    }

    /// Lane-wise [`f64::abs`].
    #[inline(always)]
    pub fn abs(self) -> Self {
        map(self.0, f64::abs)
    }

    /// Lane-wise [`f64::min`].
    #[inline(always)]
    pub fn min(self, o: impl Into<Self>) -> Self {
        zip(self.0, o.into().0, f64::min)
    }

    /// Lane-wise [`f64::max`].
    #[inline(always)]
    pub fn max(self, o: impl Into<Self>) -> Self {
        zip(self.0, o.into().0, f64::max)
    }

    /// Lane-wise `self < o`.
    #[inline(always)]
    pub fn lt(self, o: impl Into<Self>) -> Mask<N> {
        cmp(self.0, o.into().0, |a, b| a < b)
    }

    /// Lane-wise `self <= o`.
    #[inline(always)]
    pub fn le(self, o: impl Into<Self>) -> Mask<N> {
        cmp(self.0, o.into().0, |a, b| a <= b)
    }

    /// Lane-wise `self > o`.
    #[inline(always)]
    pub fn gt(self, o: impl Into<Self>) -> Mask<N> {
        cmp(self.0, o.into().0, |a, b| a > b)
    }

    /// Lane-wise `self >= o`.
    #[inline(always)]
    pub fn ge(self, o: impl Into<Self>) -> Mask<N> {
        cmp(self.0, o.into().0, |a, b| a >= b)
    }

    /// A non-negative number below 2⁵² rounded half away from zero,
    /// as [`f64::round`] (exactly: the magic-number rounding below is
    /// exact in this range and vectorises; other lanes take `f64::round`).
    #[inline(always)]
    pub fn round_count(self) -> Self {
        let fl = self.floor();
        let up = (self - fl).ge(0.5);
        let r = up.select(fl + 1.0, fl);
        let inside = self.ge(0.0) & self.lt(TWO_52);
        if inside.all() {
            r
        } else {
            inside.select(r, map(self.0, f64::round))
        }
    }

    /// Lane-wise exact floor: for |x| < 2⁵², x ± 2⁵² ∓ 2⁵² rounds to the
    /// nearest whole number exactly, and one step down corrects a rounding
    /// up; from 2⁵² on every number is whole (and NaN stays NaN).
    #[inline(always)]
    pub fn floor(self) -> Self {
        let mut out = [0.0; N];
        for i in 0..N {
            let x = self.0[i];
            let m = TWO_52.copysign(x);
            let t = (x + m) - m;
            let t = if t > x { t - 1.0 } else { t };
            out[i] = if x.abs() < TWO_52 { t } else { x };
        }
        F(out)
    }
}

impl<const N: usize> Default for F<N> {
    fn default() -> Self {
        F([0.0; N])
    }
}

/// Lane-wise sums as [`f64`]'s `Sum` takes them: from −0, in order.
impl<'a, const N: usize> std::iter::Sum<&'a F<N>> for F<N> {
    fn sum<I: Iterator<Item = &'a F<N>>>(iter: I) -> Self {
        iter.fold(F::splat(-0.0), |a, &b| a + b)
    }
}

impl<const N: usize> From<f64> for F<N> {
    #[inline(always)]
    fn from(x: f64) -> Self {
        F([x; N])
    }
}

macro_rules! lane_op {
    ($trait:ident, $method:ident, $assign:ident, $assign_method:ident, $op:tt) => {
        impl<const N: usize> $trait for F<N> {
            type Output = F<N>;
            #[inline(always)]
            fn $method(self, o: F<N>) -> F<N> {
                zip(self.0, o.0, |a, b| a $op b)
            }
        }
        impl<const N: usize> $trait<f64> for F<N> {
            type Output = F<N>;
            #[inline(always)]
            fn $method(self, o: f64) -> F<N> {
                map(self.0, |a| a $op o)
            }
        }
        impl<const N: usize> $trait<F<N>> for f64 {
            type Output = F<N>;
            #[inline(always)]
            fn $method(self, o: F<N>) -> F<N> {
                map(o.0, |b| self $op b)
            }
        }
        impl<const N: usize> $assign for F<N> {
            #[inline(always)]
            fn $assign_method(&mut self, o: F<N>) {
                *self = *self $op o;
            }
        }
        impl<const N: usize> $assign<f64> for F<N> {
            #[inline(always)]
            fn $assign_method(&mut self, o: f64) {
                *self = *self $op o;
            }
        }
    };
}

lane_op!(Add, add, AddAssign, add_assign, +);
lane_op!(Sub, sub, SubAssign, sub_assign, -);
lane_op!(Mul, mul, MulAssign, mul_assign, *);
lane_op!(Div, div, DivAssign, div_assign, /);

impl<const N: usize> Neg for F<N> {
    type Output = F<N>;
    #[inline(always)]
    fn neg(self) -> F<N> {
        map(self.0, |a| -a)
    }
}

impl<const N: usize> Mask<N> {
    /// Every lane `b`.
    #[inline(always)]
    pub const fn splat(b: bool) -> Self {
        Mask([(b as u64).wrapping_neg(); N])
    }

    /// The lanes `f(0), …, f(N − 1)`.
    #[inline(always)]
    pub fn from_fn(f: impl Fn(usize) -> bool) -> Self {
        let mut out = [0u64; N];
        for (i, w) in out.iter_mut().enumerate() {
            *w = u64::from(f(i)).wrapping_neg();
        }
        Mask(out)
    }

    /// Whether lane `i` is set.
    #[inline(always)]
    pub fn test(self, i: usize) -> bool {
        self.0[i] != 0
    }

    /// Whether any lane is set.
    #[inline(always)]
    pub fn any(self) -> bool {
        let mut a = 0;
        for i in 0..N {
            a |= self.0[i];
        }
        a != 0
    }

    /// Whether every lane is set.
    #[inline(always)]
    pub fn all(self) -> bool {
        let mut a = !0;
        for i in 0..N {
            a &= self.0[i];
        }
        a != 0
    }

    /// Lane-wise `if self { a } else { b }`.
    #[inline(always)]
    pub fn select(self, a: impl Into<F<N>>, b: impl Into<F<N>>) -> F<N> {
        let (a, b) = (a.into().0, b.into().0);
        let mut out = [0.0; N];
        for i in 0..N {
            let m = self.0[i];
            out[i] = f64::from_bits((a[i].to_bits() & m) | (b[i].to_bits() & !m));
        }
        F(out)
    }

    /// Lane-wise `if self { a } else { b }` of words.
    #[inline(always)]
    pub fn select_u64(self, a: [u64; N], b: [u64; N]) -> [u64; N] {
        let mut out = [0; N];
        for i in 0..N {
            out[i] = (a[i] & self.0[i]) | (b[i] & !self.0[i]);
        }
        out
    }

    /// The set lanes, in order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..N).filter(move |&i| self.test(i))
    }
}

impl<const N: usize> BitAnd for Mask<N> {
    type Output = Mask<N>;
    #[inline(always)]
    fn bitand(self, o: Mask<N>) -> Mask<N> {
        let mut out = self.0;
        for i in 0..N {
            out[i] &= o.0[i];
        }
        Mask(out)
    }
}

impl<const N: usize> BitOr for Mask<N> {
    type Output = Mask<N>;
    #[inline(always)]
    fn bitor(self, o: Mask<N>) -> Mask<N> {
        let mut out = self.0;
        for i in 0..N {
            out[i] |= o.0[i];
        }
        Mask(out)
    }
}

impl<const N: usize> Not for Mask<N> {
    type Output = Mask<N>;
    #[inline(always)]
    fn not(self) -> Mask<N> {
        let mut out = self.0;
        for w in &mut out {
            *w = !*w;
        }
        Mask(out)
    }
}

/// What a formula needs of its numbers, for the scalar `f64` and for lanes
/// alike: a formula written once over `Real` computes the same bits on one
/// value and on every lane.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
    + Neg<Output = Self>
{
    /// The result of a comparison: `bool`, or a [`Mask`].
    type Mask: Copy
        + BitAnd<Output = Self::Mask>
        + BitOr<Output = Self::Mask>
        + Not<Output = Self::Mask>;
    fn splat(x: f64) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    /// [`f64::exp`] (the library's, in every lane).
    fn exp(self) -> Self;
    /// [`f64::clamp`] into [0, 1].
    fn clamp01(self) -> Self;
    /// The exact floor.
    fn floor(self) -> Self;
    fn ge(self, o: Self) -> Self::Mask;
    fn le(self, o: Self) -> Self::Mask;
    fn gt(self, o: Self) -> Self::Mask;
    fn lt(self, o: Self) -> Self::Mask;
    /// `if m { a } else { b }`, lane by lane.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// Whether any lane of `m` is set.
    fn any(m: Self::Mask) -> bool;
}

impl Real for f64 {
    type Mask = bool;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn exp(self) -> Self {
        f64::exp(self)
    }

    #[inline(always)]
    fn clamp01(self) -> Self {
        self.clamp(0.0, 1.0)
    }
    #[inline(always)]
    fn floor(self) -> Self {
        floor_f64(self)
    }
    #[inline(always)]
    fn ge(self, o: Self) -> bool {
        self >= o
    }
    #[inline(always)]
    fn le(self, o: Self) -> bool {
        self <= o
    }
    #[inline(always)]
    fn gt(self, o: Self) -> bool {
        self > o
    }
    #[inline(always)]
    fn lt(self, o: Self) -> bool {
        self < o
    }
    #[inline(always)]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m { a } else { b }
    }
    #[inline(always)]
    fn any(m: bool) -> bool {
        m
    }
}

impl<const N: usize> Real for F<N> {
    type Mask = Mask<N>;
    #[inline(always)]
    fn splat(x: f64) -> Self {
        F([x; N])
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        map(self.0, f64::sqrt)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        F::abs(self)
    }
    #[inline(always)]
    fn exp(self) -> Self {
        map(self.0, f64::exp)
    }

    #[inline(always)]
    fn clamp01(self) -> Self {
        map(self.0, |x| x.clamp(0.0, 1.0))
    }
    #[inline(always)]
    fn floor(self) -> Self {
        F::floor(self)
    }
    #[inline(always)]
    fn ge(self, o: Self) -> Mask<N> {
        F::ge(self, o)
    }
    #[inline(always)]
    fn le(self, o: Self) -> Mask<N> {
        F::le(self, o)
    }
    #[inline(always)]
    fn gt(self, o: Self) -> Mask<N> {
        F::gt(self, o)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> Mask<N> {
        F::lt(self, o)
    }
    #[inline(always)]
    fn select(m: Mask<N>, a: Self, b: Self) -> Self {
        m.select(a, b)
    }
    #[inline(always)]
    fn any(m: Mask<N>) -> bool {
        m.any()
    }
}

/// Whole numbers in [0, 2⁵²) as words, exactly: x + 2⁵² has x in its
/// mantissa bits (one vector addition, where the conversion has no vector
/// instruction before AVX-512).
#[inline(always)]
pub fn whole_to_u64<const N: usize>(x: F<N>) -> [u64; N] {
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = (x.0[i] + TWO_52).to_bits() - TWO_52.to_bits();
    }
    out
}

/// ⌊x⌋ without a library call (baseline x86-64 has no rounding
/// instruction): truncate through i64 and step down for negative fractions.
/// Exact for |x| < 2⁵² (−0 gives +0); beyond that, or for NaN, `f64::floor`.
#[inline(always)]
pub(crate) fn floor_f64(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64 as f64;
        if t > x { t - 1.0 } else { t }
    } else {
        x.floor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn awkward() -> Vec<f64> {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            -1.5,
            0.499_999_999_999_999_94,
            1.0 - f64::EPSILON,
            -1.0 + f64::EPSILON / 2.0,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            -4_503_599_627_370_495.5,
            9.1e15,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ];
        let mut g = crate::rng::stream(1, 2, 3);
        for _ in 0..20_000 {
            let u = crate::rng::open01(&mut g);
            let scale = 10f64.powi((u * 40.0) as i32 - 20);
            xs.push((u - 0.5) * scale);
            xs.push(((u * 1e6).floor() + 0.5) * if u < 0.5 { -1.0 } else { 1.0 });
        }
        xs
    }

    #[test]
    fn floor_is_the_exact_floor() {
        for x in awkward() {
            let got = F::<1>([x]).floor().0[0];
            assert_eq!(got, x.floor(), "floor({x:e})");
            // −0 and +0 may differ in sign only where the library keeps −0.
            assert!(got.to_bits() == x.floor().to_bits() || x == 0.0 || got == 0.0);
            assert_eq!(got.to_bits(), floor_f64(x).to_bits(), "{x:e}");
        }
        assert!(F::<1>([f64::NAN]).floor().0[0].is_nan());
    }

    #[test]
    fn round_count_matches_the_library() {
        for x in awkward() {
            let x = x.abs();
            assert_eq!(
                F::<1>([x]).round_count().0[0].to_bits(),
                x.round().to_bits(),
                "round({x:e})"
            );
        }
    }

    #[test]
    fn whole_numbers_convert_exactly() {
        for x in [0.0, 1.0, 2.0, 65_535.0, 65_536.0, 4_503_599_627_370_495.0] {
            assert_eq!(whole_to_u64(F::<1>([x]))[0], x as u64);
        }
    }

    #[test]
    fn lanes_compute_what_one_value_computes() {
        // Every operation, on four lanes and on each value alone.
        let xs = awkward();
        for w in xs.chunks_exact(8) {
            let a = F([w[0], w[1], w[2], w[3]]);
            let b = F([w[4], w[5], w[6], w[7]]);
            let m = a.lt(b);
            let c = m.select(a * b - 0.25, (a + b) / b).min(a).max(-b);
            for i in 0..4 {
                let (x, y) = (a.0[i], b.0[i]);
                let one = if x < y { x * y - 0.25 } else { (x + y) / y };
                let one = one.min(x).max(-y);
                assert_eq!(c.0[i].to_bits(), one.to_bits(), "lane {i}: {x:e}, {y:e}");
            }
        }
    }

    #[test]
    fn sums_are_the_sums_of_f64() {
        let cases: [&[f64]; 4] = [&[], &[-0.0], &[-0.0, 0.0], &[0.1, 0.2, 0.3, -0.6]];
        for xs in cases {
            let lanes: Vec<F<2>> = xs.iter().map(|&x| F([x, -x])).collect();
            let sum: F<2> = lanes.iter().sum();
            let want: f64 = xs.iter().sum();
            let want_neg: f64 = xs.iter().map(|x| -x).sum();
            assert_eq!(sum.0[0].to_bits(), want.to_bits(), "{xs:?}");
            assert_eq!(sum.0[1].to_bits(), want_neg.to_bits(), "{xs:?}");
        }
    }

    #[test]
    fn masks_combine_lane_by_lane() {
        let a = F([1.0, 2.0, 3.0, 4.0]);
        let m = a.gt(1.5) & a.lt(3.5);
        assert_eq!(m.iter().collect::<Vec<_>>(), vec![1, 2]);
        assert!(m.any() && !m.all());
        assert!((m | !m).all());
        assert!(!(m & !m).any());
        assert_eq!(m.select(a, 0.0).0, [0.0, 2.0, 3.0, 0.0]);
        assert_eq!(m.select_u64([1; 4], [7; 4]), [7, 1, 1, 7]);
    }

    #[test]
    fn scalar_floor_matches_the_library() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.999_999,
            -2.000_001,
            1e15 + 0.5,
            -1e15 - 0.5,
            4.5e15,
            -4.6e15,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(floor_f64(x), x.floor(), "floor({x})");
        }
        assert!(floor_f64(f64::NAN).is_nan());
    }
}
