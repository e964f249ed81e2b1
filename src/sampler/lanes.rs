//! The binomial and Poisson samplers on lanes: lane `i` of a draw is the
//! draw that [`super::binomial_f64`] or [`super::poisson_f64`] makes from
//! lane `i`'s generator, bit for bit, with the same methods and the same
//! uniforms in the same order.
//!
//! What differs is how the work is laid out. The inversion's sequential
//! search runs all lanes in one loop, which ends once every lane has found
//! its count, so the processor mispredicts one loop exit per group of lanes
//! instead of one per draw; P(0) = qⁿ is squared and multiplied in all lanes
//! at once. The transformed rejections (BTRS, PTRS) compute their first
//! candidate and squeeze box in all lanes. BTRS's rejection loop outside
//! the box runs in lanes too: the squeeze decides for all lanes at once,
//! and only a lane the squeeze cannot decide takes the exact test alone.
//! A PTRS lane outside its box continues alone in the scalar code
//! (`ptrs_rest`), as do the rare restarts of a search.

use super::{
    BtrsTest, Candidate, Hat, INVERSION_MAX_MEAN, POISSON_INVERSION_MAX_MEAN, POWI_MAX_N,
    RECIPROCALS, SEARCH_MAX, Squeeze, btrs_hat, ptrs_hat, ptrs_rest, search_again,
    zero_lower_bound, zero_probability_large,
};
use crate::rng::RngLanes;
use crate::simd::{F, Mask, whole_to_u64};

/// Binomial(n\[i\], p\[i\]) in every lane, as [`super::binomial_f64`] draws it
/// from lane `i`'s generator: `n` whole numbers in [0, 2⁵³), `p` clamped
/// into [0, 1] (NaN gives 0).
#[inline(always)]
pub fn binomial_lanes<const N: usize>(rng: &mut RngLanes<N>, n: F<N>, p: F<N>) -> F<N> {
    // A NaN count draws nothing, as below 1.
    let none = !n.ge(1.0) | !p.gt(0.0);
    let every = !none & p.ge(1.0);
    let active = !(none | every);
    let certain = every.select(n, 0.0);
    if !active.any() {
        return certain;
    }
    // p' = min(p, 1 − p); the count of Binomial(n, p) is n minus that of
    // Binomial(n, 1 − p) where p > ½.
    let flip = p.gt(0.5);
    let pp = flip.select(1.0 - p, p);
    let by_inversion = active & (n * pp).lt(INVERSION_MAX_MEAN);
    let by_btrs = active & !by_inversion;
    let u = rng.uniform(active);
    let mut k = F::splat(0.0);
    if by_inversion.any() {
        k = inversion(rng, by_inversion, n, pp, u);
    }
    if by_btrs.any() {
        k = by_btrs.select(btrs(rng, by_btrs, n, pp, u), k);
    }
    active.select(flip.select(n - k, k), certain)
}

/// Poisson(mean\[i\]) in every lane, as [`super::poisson_f64`] draws it from
/// lane `i`'s generator (a negative or NaN mean gives 0).
#[inline(always)]
pub fn poisson_lanes<const N: usize>(rng: &mut RngLanes<N>, mean: F<N>) -> F<N> {
    let active = mean.gt(0.0);
    let zero = F::splat(0.0);
    if !active.any() {
        return zero;
    }
    let by_inversion = active & mean.lt(POISSON_INVERSION_MAX_MEAN);
    let by_ptrs = active & !by_inversion;
    let u = rng.uniform(active);
    let mut k = zero;
    if by_inversion.any() {
        let mut p0 = zero;
        for i in by_inversion.iter() {
            p0.set(i, (-mean.get(i)).exp());
        }
        let going = by_inversion & !u.lt(p0);
        k = search(rng, going, u, p0, |r| mean * r);
    }
    if by_ptrs.any() {
        let hat = ptrs_hat(mean);
        let v = rng.uniform(by_ptrs);
        let (first, inside) = hat.candidate_from(u, v);
        let mut ptrs = first.k;
        for i in (by_ptrs & !inside).iter() {
            ptrs.set(
                i,
                ptrs_rest(&mut rng.lane(i), mean.get(i), &hat.lane(i), first.lane(i)),
            );
        }
        k = by_ptrs.select(ptrs, k);
    }
    k
}

/// The inversion of [`super::inversion`] in the lanes of `m` (p ≤ ½,
/// n·p < 30), from their first uniform `u`; 0 in the other lanes.
#[inline(always)]
fn inversion<const N: usize>(rng: &mut RngLanes<N>, m: Mask<N>, n: F<N>, p: F<N>, u: F<N>) -> F<N> {
    let zero = F::splat(0.0);
    // The early zero, then P(0) = qⁿ for the lanes it did not decide.
    let mut going = m & !u.lt(zero_lower_bound(n, p));
    if !going.any() {
        return zero;
    }
    let large = going & n.gt(POWI_MAX_N as f64);
    // Only the lanes that take the powers convert their n.
    let exponent = whole_to_u64((going & !large).select(n, 0.0));
    let mut p0 = pow(1.0 - p, exponent);
    for i in large.iter() {
        p0.set(i, zero_probability_large(n.get(i), p.get(i)));
    }
    going = going & !u.lt(p0);
    if !going.any() {
        return zero;
    }
    let q = 1.0 - p;
    let s = p / q;
    let a = (n + 1.0) * s;
    search(rng, going, u, p0, |r| a * r - s).min(n)
}

/// The sequential search of [`super::search`] in the lanes of `going`,
/// whose uniforms `u` are at least P(0) = `p0`: each step takes P(x) =
/// P(x − 1)·`ratio(1/x)` in every lane, and a lane stops at the first x
/// with u below it. Lanes that walk beyond [`SEARCH_MAX`] search again
/// alone with new uniforms, as the scalar search does. 0 in other lanes.
#[inline(always)]
fn search<const N: usize>(
    rng: &mut RngLanes<N>,
    mut going: Mask<N>,
    mut u: F<N>,
    p0: F<N>,
    ratio: impl Fn(f64) -> F<N>,
) -> F<N> {
    let mut r = p0;
    let mut x = F::splat(0.0);
    let mut step = 0;
    while going.any() {
        if step == SEARCH_MAX as usize {
            for i in going.iter() {
                let lane_ratio = |j: usize| ratio(RECIPROCALS[j]).get(i);
                let again = search_again(&mut rng.lane(i), p0.get(i), lane_ratio);
                x.set(i, again as f64);
            }
            break;
        }
        step += 1;
        u = going.select(u - r, u);
        x = going.select(step as f64, x);
        r *= ratio(RECIPROCALS[step]);
        going = going & !u.lt(r);
    }
    x
}

/// xᵉ in every lane, squared and multiplied two bits at a time exactly as
/// [`super::pow_u16`] does, so each lane gets its bits; a lane whose
/// exponent runs out first multiplies by 1 until the others are done.
#[inline(always)]
fn pow<const N: usize>(x: F<N>, mut e: [u64; N]) -> F<N> {
    let mut acc = F::splat(1.0);
    let mut b1 = x;
    while e.iter().any(|&w| w != 0) {
        let b2 = b1 * b1;
        let b3 = b2 * b1;
        let bits = |v: u64| Mask::from_fn(|i| e[i] & 3 == v);
        let f = bits(1).select(b1, bits(2).select(b2, bits(3).select(b3, 1.0)));
        acc *= f;
        b1 = b2 * b2;
        for w in &mut e {
            *w >>= 2;
        }
    }
    acc
}

/// BTRS in the lanes of `m` (p ≤ ½, n·p ≥ 30), from their first uniform
/// `u`: the first candidate and its box in every lane, then the lanes
/// outside the box in [`btrs_rest`].
#[inline(always)]
fn btrs<const N: usize>(rng: &mut RngLanes<N>, m: Mask<N>, n: F<N>, p: F<N>, u: F<N>) -> F<N> {
    let hat = btrs_hat(n, p);
    let v = rng.uniform(m);
    let (first, inside) = hat.candidate_from(u, v);
    let rest = m & !inside;
    if !rest.any() {
        return first.k;
    }
    rest.select(btrs_rest(rng, rest, n, p, &hat, first), first.k)
}

/// The rejection loop of [`super::btrs_rest`] in the lanes of `pending`,
/// whose candidates `first` fell outside the box: each lane tests its
/// candidate (by the squeeze in all lanes at once, by the exact test alone
/// where the squeeze cannot decide) and draws new candidates until one is
/// accepted, taking its uniforms in the order the scalar loop takes them.
#[inline(always)]
fn btrs_rest<const N: usize>(
    rng: &mut RngLanes<N>,
    mut pending: Mask<N>,
    n: F<N>,
    p: F<N>,
    hat: &Hat<F<N>>,
    first: Candidate<F<N>>,
) -> F<N> {
    let sq = Squeeze::new(n, p, hat);
    // A lane's exact test, made when the lane first needs it.
    let mut tests: [Option<BtrsTest>; N] = std::array::from_fn(|_| None);
    let mut cand = first;
    let mut k = F::splat(0.0);
    loop {
        let (squeezed_in, squeezed_out) = sq.judge(cand);
        let mut accept = pending & squeezed_in;
        let undecided = pending & !squeezed_in & !squeezed_out;
        if undecided.any() {
            let mut exact = [false; N];
            for i in undecided.iter() {
                let test = tests[i].get_or_insert_with(|| BtrsTest::new(p.get(i), sq.lane(i)));
                exact[i] = test.exact(cand.lane(i));
            }
            accept = accept | Mask::from_fn(|i| exact[i]);
        }
        k = accept.select(cand.k, k);
        pending = pending & !accept;
        if !pending.any() {
            return k;
        }
        let u = rng.uniform(pending);
        let v = rng.uniform(pending);
        let (next, inside) = hat.candidate_from(u, v);
        k = (pending & inside).select(next.k, k);
        pending = pending & !inside;
        if !pending.any() {
            return k;
        }
        cand = next;
    }
}

impl<const N: usize> Squeeze<F<N>> {
    /// Lane `i`'s squeeze.
    fn lane(&self, i: usize) -> Squeeze {
        Squeeze {
            nf: self.nf.get(i),
            a: self.a.get(i),
            b: self.b.get(i),
            alpha: self.alpha.get(i),
            m: self.m.get(i),
            phi: self.phi.get(i),
            g: self.g.get(i),
            h: self.h.get(i),
        }
    }
}

impl<const N: usize> Hat<F<N>> {
    /// Lane `i`'s hat.
    fn lane(&self, i: usize) -> Hat {
        Hat {
            a: self.a.get(i),
            b: self.b.get(i),
            c: self.c.get(i),
            c2: self.c2.get(i),
            v_r: self.v_r.get(i),
            sd: self.sd.get(i),
        }
    }
}

impl<const N: usize> Candidate<F<N>> {
    /// Lane `i`'s candidate.
    fn lane(&self, i: usize) -> Candidate {
        Candidate {
            k: self.k.get(i),
            us: self.us.get(i),
            v: self.v.get(i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{EngineRng, stream};

    /// (n, p) over every path: no draw, certain draws, inversion with the
    /// early zero, with P(0) by powers and by the exponential, BTRS in and
    /// out of its box, flipped p, NaN and out-of-range p.
    fn binomial_grid() -> Vec<(f64, f64)> {
        let ns = [
            0.0,
            1.0,
            2.0,
            5.0,
            17.0,
            100.0,
            399.0,
            1000.0,
            65_536.0,
            65_537.0,
            1e6,
            1_099_511_627_776.0,
        ];
        let ps = [
            f64::NAN,
            -0.1,
            0.0,
            1e-12,
            1e-4,
            0.003,
            0.05,
            0.29,
            0.5,
            0.51,
            0.9,
            1.0 - 1e-9,
            1.0,
            1.5,
        ];
        ns.iter()
            .flat_map(|&n| ps.iter().map(move |&p| (n, p)))
            .collect()
    }

    /// Draws `rounds` times from each lane group of `cases` (four at a
    /// time, so that methods mix within a group) with `draw`, and checks
    /// every lane against `scalar` on the lane's own generator.
    fn check_lanes<const N: usize>(
        cases: &[(f64, f64)],
        rounds: usize,
        draw: impl Fn(&mut RngLanes<N>, F<N>, F<N>) -> F<N>,
        scalar: impl Fn(&mut EngineRng, f64, f64) -> f64,
    ) {
        for (g, group) in cases.chunks(N).enumerate() {
            let mut n = F::splat(0.0);
            let mut p = F::splat(0.0);
            for i in 0..N {
                let (ni, pi) = group[i % group.len()];
                n.set(i, ni);
                p.set(i, pi);
            }
            let reps: [u64; N] = std::array::from_fn(|i| (g * N + i) as u64);
            let mut lanes = RngLanes::streams(7, reps, 11);
            let mut own: Vec<EngineRng> = reps.iter().map(|&r| stream(7, r, 11)).collect();
            for round in 0..rounds {
                let got = draw(&mut lanes, n, p);
                for i in 0..N {
                    let want = scalar(&mut own[i], n.get(i), p.get(i));
                    assert_eq!(
                        got.get(i).to_bits(),
                        want.to_bits(),
                        "lane {i} of {N}, n = {}, p = {}, round {round}",
                        n.get(i),
                        p.get(i)
                    );
                }
            }
        }
    }

    #[test]
    fn binomial_lanes_draw_what_each_lane_would_alone() {
        let mut grid = binomial_grid();
        check_lanes::<1>(&grid, 60, binomial_lanes, super::super::binomial_f64);
        check_lanes::<4>(&grid, 60, binomial_lanes, super::super::binomial_f64);
        // Neighbouring cases in other groupings.
        grid.rotate_left(3);
        check_lanes::<4>(&grid, 60, binomial_lanes, super::super::binomial_f64);
        check_lanes::<3>(&grid, 20, binomial_lanes, super::super::binomial_f64);
    }

    /// One BTRS draw as the scalar loop takes it from `rng` (p ≤ ½,
    /// n·p ≥ 30): the count, and how many of its candidates the squeeze left
    /// to the exact test.
    fn btrs_walk(rng: &mut EngineRng, n: f64, p: f64) -> (f64, usize) {
        let hat = btrs_hat(n, p);
        let mut test = BtrsTest::new(p, Squeeze::new(n, p, &hat));
        let mut exact_tests = 0;
        let (first, inside) = hat.candidate(rng);
        if inside {
            return (first.k, 0);
        }
        // `BtrsTest::accepts`, counting the exact tests.
        let k = hat.accept_from(rng, first, |c| {
            test.sq.verdict(c).unwrap_or_else(|| {
                exact_tests += 1;
                test.exact(c)
            })
        });
        (k, exact_tests)
    }

    #[test]
    fn binomial_lanes_agree_where_the_exact_test_decides() {
        // The squeeze leaves about 2 in 1,000 candidates outside the box to
        // the exact test, most often at n·p near 30: the grid above reaches
        // it a few times at most, so here BTRS draws at those means, often
        // enough that lanes take the exact test hundreds of times.
        let cases = [(61.0, 0.5), (100.0, 0.3), (300.0, 0.1), (3000.0, 0.01)];
        let rounds = 30_000;
        check_lanes::<4>(&cases, rounds, binomial_lanes, super::super::binomial_f64);
        // How often the exact test decided in those draws, by the scalar
        // loop on the same streams (the walk draws what `binomial_f64` draws).
        let mut exact_tests = 0;
        for (i, &(n, p)) in cases.iter().enumerate() {
            let (mut walk, mut own) = (stream(7, i as u64, 11), stream(7, i as u64, 11));
            for _ in 0..rounds {
                let (k, tests) = btrs_walk(&mut walk, n, p);
                assert_eq!(k, super::super::binomial_f64(&mut own, n, p));
                exact_tests += tests;
            }
        }
        assert!(
            exact_tests >= 400,
            "the exact test decided {exact_tests} times"
        );
    }

    #[test]
    fn a_lane_that_is_not_a_count_draws_nothing_and_leaves_the_others_alone() {
        // NaN and negative counts beside lanes that draw by inversion and
        // by BTRS: they give 0 without a uniform, and do not disturb the
        // conversion of the other lanes' n.
        let n = F([f64::NAN, 40.0, -3.0, 5000.0]);
        let p = F::splat(0.1);
        let reps = [0, 1, 2, 3];
        let mut lanes = RngLanes::<4>::streams(9, reps, 2);
        let mut own: Vec<EngineRng> = reps.iter().map(|&r| stream(9, r, 2)).collect();
        for _ in 0..50 {
            let got = binomial_lanes(&mut lanes, n, p);
            assert_eq!(got.get(0), 0.0);
            assert_eq!(got.get(2), 0.0);
            for i in [1, 3] {
                let want = super::super::binomial_f64(&mut own[i], n.get(i), p.get(i));
                assert_eq!(got.get(i), want, "lane {i}");
            }
        }
        // Lanes 0 and 2 took no uniform.
        for i in [0, 2] {
            use rand::Rng;
            assert_eq!(lanes.lane(i).next_u64(), own[i].next_u64(), "lane {i}");
        }
    }

    #[test]
    fn poisson_lanes_draw_what_each_lane_would_alone() {
        let means = [
            f64::NAN,
            -1.0,
            0.0,
            1e-9,
            0.5,
            3.0,
            14.999,
            15.0,
            40.0,
            1e4,
            1e9,
        ];
        let cases: Vec<(f64, f64)> = means.iter().map(|&m| (m, 0.0)).collect();
        let poisson = |r: &mut RngLanes<4>, m: F<4>, _: F<4>| poisson_lanes(r, m);
        let scalar = |r: &mut EngineRng, m: f64, _: f64| super::super::poisson_f64(r, m);
        check_lanes::<4>(&cases, 200, poisson, scalar);
        let poisson = |r: &mut RngLanes<1>, m: F<1>, _: F<1>| poisson_lanes(r, m);
        check_lanes::<1>(&cases, 200, poisson, scalar);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn binomial_avx2(r: &mut RngLanes<4>, n: F<4>, p: F<4>) -> F<4> {
        binomial_lanes(r, n, p)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn poisson_avx2(r: &mut RngLanes<4>, m: F<4>, _: F<4>) -> F<4> {
        poisson_lanes(r, m)
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn compiled_for_avx2_the_lanes_draw_the_same() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 here: the AVX2 build of the samplers is not checked");
            return;
        }
        // SAFETY: AVX2 is present (checked above).
        let bin = |r: &mut RngLanes<4>, n, p| unsafe { binomial_avx2(r, n, p) };
        check_lanes::<4>(&binomial_grid(), 60, bin, super::super::binomial_f64);
        let cases: Vec<(f64, f64)> = [0.5, 3.0, 15.0, 40.0].iter().map(|&m| (m, 0.0)).collect();
        // SAFETY: AVX2 is present (checked above).
        let poi = |r: &mut RngLanes<4>, m, p| unsafe { poisson_avx2(r, m, p) };
        let scalar = |r: &mut EngineRng, m: f64, _: f64| super::super::poisson_f64(r, m);
        check_lanes::<4>(&cases, 200, poi, scalar);
    }

    #[test]
    fn a_search_beyond_its_end_starts_again_as_the_scalar_search_does() {
        // P(x) = 0.002 for every x: a uniform above 0.802 walks beyond
        // SEARCH_MAX, a fifth of the time, and must search again with new
        // uniforms exactly as the scalar search does.
        let p0 = F::splat(0.002);
        let mut restarts = 0;
        for rep in 0..64u64 {
            let reps = [rep, rep + 100, rep + 200, rep + 300];
            let mut lanes = RngLanes::<4>::streams(3, reps, 5);
            let mut own: Vec<EngineRng> = reps.iter().map(|&r| stream(3, r, 5)).collect();
            let u = lanes.uniform(Mask::splat(true));
            let going = !u.lt(p0);
            let got = search(&mut lanes, going, u, p0, |_| F::splat(1.0));
            for (i, g) in own.iter_mut().enumerate() {
                let u = super::super::uniform(g);
                restarts += usize::from(u >= 0.802);
                let want = super::super::search(u, 0.002, |_| 1.0)
                    .unwrap_or_else(|| search_again(g, 0.002, |_| 1.0));
                assert_eq!(got.get(i), want as f64, "rep {rep} lane {i}");
            }
            // The generators agree afterwards too.
            for (i, g) in own.iter_mut().enumerate() {
                use rand::Rng;
                assert_eq!(lanes.lane(i).next_u64(), g.next_u64());
            }
        }
        assert!(
            restarts > 10,
            "the restart was hardly exercised: {restarts}"
        );
    }
}
