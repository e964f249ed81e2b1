//! Deterministic random streams: one generator per (seed, replication, purpose).
//!
//! A replication's randomness comes only from these three numbers, never from
//! the thread that runs it or from the other variants in the run, so results
//! are bit-identical for any number of threads and common random numbers hold
//! across variants (STYLE.md §8).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used everywhere in the engine.
pub type EngineRng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective 64-bit mixer with good avalanche.
#[inline]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Stable 64-bit identifier of a purpose name (FNV-1a, then mixed), the same
/// on every platform and in every version of Rust.
pub fn purpose(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The seed of the stream for (seed, replication, purpose).
pub fn stream_seed(seed: u64, replication: u64, purpose: u64) -> u64 {
    let a = mix64(seed ^ 0x9e37_79b9_7f4a_7c15);
    let b = mix64(a ^ replication.wrapping_mul(0xd1b5_4a32_d192_ed03));
    mix64(b ^ purpose)
}

/// A fresh generator for (seed, replication, purpose).
pub fn stream(seed: u64, replication: u64, purpose: u64) -> EngineRng {
    EngineRng::seed_from_u64(stream_seed(seed, replication, purpose))
}

/// A uniform draw in the open interval (0, 1), never exactly 0 or 1.
#[inline]
pub fn open01<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_each_coordinate() {
        let base = stream(1, 2, purpose("x")).next_u64();
        assert_ne!(base, stream(2, 2, purpose("x")).next_u64());
        assert_ne!(base, stream(1, 3, purpose("x")).next_u64());
        assert_ne!(base, stream(1, 2, purpose("y")).next_u64());
        assert_eq!(base, stream(1, 2, purpose("x")).next_u64());
    }

    #[test]
    fn purpose_is_stable_across_versions() {
        // FNV-1a of "" is the offset basis; pin the mixed value so that a change
        // of the hash (which would change every published result) fails here.
        assert_eq!(purpose(""), mix64(0xcbf2_9ce4_8422_2325));
        assert_ne!(purpose("process/a/b"), purpose("process/b/a"));
    }

    #[test]
    fn open01_stays_inside() {
        let mut r = stream(7, 0, 0);
        for _ in 0..10_000 {
            let u = open01(&mut r);
            assert!(u > 0.0 && u < 1.0);
        }
    }
}
