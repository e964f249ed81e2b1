//! Pinned numbers, in the spirit of rand_distr's `value_stability` tests:
//! the stream seeds, the first draws of the binomial and Poisson samplers
//! (scalar and lanes) on each of their code paths, and hashes of the
//! example's `summary.json` and `yearly.csv`. Every published result depends
//! on these bits, so a change that moves one must fail here.
//!
//! Updating a pinned value: run the failing test, which prints the values it
//! got, and paste them over the old ones, only when the change is meant
//! (a new method, a fixed bug). The commit that does so must say why the
//! numbers moved.

use wijkbudget::engine;
use wijkbudget::export::{Exporter, Run, csv::Csv, json::Json};
use wijkbudget::rng::{EngineRng, RngLanes, open01, purpose, stream, stream_seed};
use wijkbudget::sampler::{binomial_f64, binomial_lanes, poisson_f64, poisson_lanes};
use wijkbudget::simd::F;

use rand::Rng;

/// Draws pinned per sampler case.
const DRAWS: usize = 20;

/// The generator of a sampler case: its own replication of one purpose.
fn case_stream(sampler: &str, case: usize) -> EngineRng {
    stream(2026, case as u64, purpose(sampler))
}

// ---------------------------------------------------------------- streams

/// (seed, replication, purpose name) → the derived stream seed and the
/// first two words of its generator.
/// To update: see the file's header; the commit must say why they moved
/// (a changed seed derivation reseeds every published result).
const STREAMS: [(u64, u64, &str, u64, [u64; 2]); 4] = [
    (
        0,
        0,
        "",
        0x59ec68ef19c10e6c,
        [0x3950771d12a65b43, 0x3dd2cd4e0bc0744d],
    ),
    (
        20261122,
        0,
        "stream.jeugd.incidence",
        0x4f0d794f0eee74cf,
        [0x9c81b90e6f498420, 0xc2f34e1dba1583c1],
    ),
    (
        20261122,
        199,
        "process/wmo_begeleiding/basis",
        0x0e2f446e3cce343b,
        [0x89ed52cac67fcc46, 0x256059e008494a28],
    ),
    (
        18446744073709551615,
        12345,
        "prevention.budget",
        0x01f72eaa0a60bdd9,
        [0x87b23fa5c2b41d27, 0x26ce5d6489751c28],
    ),
];

#[test]
fn stream_seeds_and_first_words_are_pinned() {
    let mut got = Vec::new();
    for &(seed, replication, name, _, _) in &STREAMS {
        let derived = stream_seed(seed, replication, purpose(name));
        let mut g = stream(seed, replication, purpose(name));
        got.push((
            seed,
            replication,
            name,
            derived,
            [g.next_u64(), g.next_u64()],
        ));
    }
    assert!(
        got == STREAMS,
        "stream seeds moved; got (paste only if meant, and say why in the commit):\n{}",
        got.iter()
            .map(|(s, r, n, d, w)| format!(
                "    ({s}, {r}, {n:?}, {d:#018x}, [{:#018x}, {:#018x}]),",
                w[0], w[1]
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The first uniforms of one stream in the open interval, as the parameter
/// draws take them, as bits.
/// To update: see the file's header; the commit must say why they moved.
const OPEN01: [u64; 4] = [
    0x3fefaec673e32cd4,
    0x3fe7330f6ca70268,
    0x3fec3c6aa4b62e94,
    0x3fd27b0748af2975,
];

#[test]
fn open_uniforms_are_pinned() {
    let mut g = stream(20261122, 3, purpose("stream.wmo_begeleiding.incidence"));
    let got: Vec<u64> = (0..OPEN01.len())
        .map(|_| open01(&mut g).to_bits())
        .collect();
    assert!(
        got == OPEN01,
        "open uniforms moved; got (paste only if meant, and say why in the commit):\n{}",
        hex_list(&got)
    );
}

// ---------------------------------------------------------------- samplers

/// A sampler case: what it exercises, its parameters and its first draws.
struct Case {
    path: &'static str,
    /// Binomial: (n, p); Poisson: (mean, unused).
    params: (f64, f64),
    draws: [u32; DRAWS],
}

/// The binomial's paths: inversion (decided by the early-zero bound, by
/// P(0), by the search), P(0) for n beyond 2¹⁶, p > ½ (drawn as n minus a
/// draw at 1 − p) by inversion and by BTRS, BTRS near its switch and far
/// beyond, and the certain end p = 1.
/// To update: see the file's header; the commit must say why they moved.
const BINOMIAL: [Case; 10] = [
    Case {
        path: "inversion, early zero",
        params: (40.0, 0.002),
        draws: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
    Case {
        path: "inversion, small mean",
        params: (12.0, 0.1),
        draws: [0, 2, 3, 1, 0, 2, 0, 1, 1, 2, 2, 1, 1, 0, 2, 4, 2, 0, 0, 1],
    },
    Case {
        path: "inversion, mean 18",
        params: (60.0, 0.3),
        draws: [
            11, 16, 18, 24, 23, 22, 18, 19, 12, 22, 16, 16, 20, 15, 24, 21, 21, 13, 17, 14,
        ],
    },
    Case {
        path: "inversion, n > 2^16",
        params: (200000.0, 0.0001),
        draws: [
            21, 18, 21, 16, 13, 17, 26, 29, 16, 21, 23, 22, 17, 19, 16, 20, 14, 13, 25, 19,
        ],
    },
    Case {
        path: "p > 1/2 by inversion",
        params: (30.0, 0.85),
        draws: [
            25, 26, 22, 24, 26, 25, 24, 25, 26, 23, 29, 27, 25, 21, 27, 28, 29, 28, 25, 25,
        ],
    },
    Case {
        path: "BTRS near the switch",
        params: (100.0, 0.31),
        draws: [
            36, 29, 34, 25, 36, 44, 35, 33, 25, 27, 28, 24, 37, 28, 28, 23, 31, 29, 27, 31,
        ],
    },
    Case {
        path: "BTRS",
        params: (1000.0, 0.45),
        draws: [
            450, 431, 449, 449, 429, 451, 469, 427, 461, 424, 455, 458, 456, 452, 471, 450, 451,
            455, 462, 466,
        ],
    },
    Case {
        path: "p > 1/2 by BTRS",
        params: (500.0, 0.8),
        draws: [
            414, 413, 398, 407, 383, 415, 392, 399, 404, 395, 395, 419, 389, 404, 413, 381, 400,
            412, 395, 405,
        ],
    },
    Case {
        path: "BTRS, large n",
        params: (1000000000.0, 0.3),
        draws: [
            300005127, 300009309, 300002891, 299991410, 299990771, 300016103, 299991436, 300005440,
            299975742, 300011182, 300002873, 300000885, 299998916, 299993925, 300001019, 300003565,
            300008450, 300018034, 299993615, 300002212,
        ],
    },
    Case {
        path: "p = 1",
        params: (17.0, 1.0),
        draws: [
            17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17,
        ],
    },
];

/// The Poisson's paths: inversion at small and moderate means, PTRS at its
/// switch, at a moderate and a large mean; a zero mean.
/// To update: see the file's header; the commit must say why they moved.
const POISSON: [Case; 7] = [
    Case {
        path: "inversion, u below P(0)",
        params: (0.05, 0.0),
        draws: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
    Case {
        path: "inversion",
        params: (3.5, 0.0),
        draws: [2, 1, 1, 2, 3, 8, 6, 3, 3, 2, 3, 2, 6, 3, 3, 2, 4, 4, 1, 3],
    },
    Case {
        path: "inversion below the switch",
        params: (14.9, 0.0),
        draws: [
            13, 11, 14, 16, 14, 21, 20, 18, 18, 15, 13, 16, 20, 18, 17, 13, 15, 15, 19, 19,
        ],
    },
    Case {
        path: "PTRS at the switch",
        params: (15.0, 0.0),
        draws: [
            14, 9, 8, 12, 15, 15, 22, 11, 11, 17, 20, 8, 11, 12, 11, 16, 21, 14, 20, 20,
        ],
    },
    Case {
        path: "PTRS",
        params: (80.0, 0.0),
        draws: [
            111, 89, 85, 77, 93, 85, 73, 64, 80, 76, 64, 74, 70, 69, 77, 72, 72, 72, 93, 95,
        ],
    },
    Case {
        path: "PTRS, large mean",
        params: (1000000.0, 0.0),
        draws: [
            998125, 998978, 999910, 999971, 999658, 999762, 1000347, 999881, 999497, 998853,
            999575, 1001008, 1000095, 1000451, 998528, 998102, 998661, 999460, 999110, 1001846,
        ],
    },
    Case {
        path: "zero mean",
        params: (0.0, 0.0),
        draws: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
];

fn binomial_scalar(case: usize) -> Vec<f64> {
    let (n, p) = BINOMIAL[case].params;
    let mut g = case_stream("binomial", case);
    (0..DRAWS).map(|_| binomial_f64(&mut g, n, p)).collect()
}

fn poisson_scalar(case: usize) -> Vec<f64> {
    let mean = POISSON[case].params.0;
    let mut g = case_stream("poisson", case);
    (0..DRAWS).map(|_| poisson_f64(&mut g, mean)).collect()
}

/// The draws of every case on lanes: cases in groups of four lanes (the
/// last group filled up from the first cases), each lane on its case's own
/// generator, so each lane must give its case's pinned draws. The groups
/// are taken twice, the second time with the lanes in reverse order.
fn on_lanes(
    sampler: &str,
    cases: &[Case],
    draw: impl Fn(&mut RngLanes<4>, F<4>, F<4>) -> F<4>,
) -> Vec<Vec<f64>> {
    let mut got = vec![Vec::new(); cases.len()];
    for reversed in [false, true] {
        for group in (0..cases.len()).step_by(4) {
            let mut idx: [usize; 4] = std::array::from_fn(|i| (group + i) % cases.len());
            if reversed {
                idx.reverse();
            }
            let mut rng = RngLanes::new(idx.map(|c| case_stream(sampler, c)));
            let a = F(idx.map(|c| cases[c].params.0));
            let b = F(idx.map(|c| cases[c].params.1));
            let mut draws = vec![[0.0; 4]; DRAWS];
            for d in &mut draws {
                *d = draw(&mut rng, a, b).0;
            }
            for (lane, &c) in idx.iter().enumerate() {
                let lane_draws: Vec<f64> = draws.iter().map(|d| d[lane]).collect();
                if got[c].is_empty() {
                    got[c] = lane_draws;
                } else {
                    assert_eq!(
                        got[c], lane_draws,
                        "{sampler} case {c} differs between lanes"
                    );
                }
            }
        }
    }
    got
}

/// Checks draws against the pinned ones; on a difference, prints them all
/// ready to paste.
fn check(what: &str, cases: &[Case], got: &[Vec<f64>]) {
    let pinned: Vec<Vec<f64>> = cases
        .iter()
        .map(|c| c.draws.iter().map(|&k| f64::from(k)).collect())
        .collect();
    assert!(
        got == pinned,
        "{what} draws moved; got (paste only if meant, and say why in the commit):\n{}",
        cases
            .iter()
            .zip(got)
            .map(|(c, d)| format!(
                "    Case {{ path: {:?}, params: ({:?}, {:?}), draws: {:?} }},",
                c.path,
                c.params.0,
                c.params.1,
                d.iter().map(|&k| k as u32).collect::<Vec<_>>()
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn binomial_draws_are_pinned() {
    let got: Vec<Vec<f64>> = (0..BINOMIAL.len()).map(binomial_scalar).collect();
    check("binomial (scalar)", &BINOMIAL, &got);
}

#[test]
fn binomial_lane_draws_are_pinned() {
    let got = on_lanes("binomial", &BINOMIAL, binomial_lanes);
    check("binomial (lanes)", &BINOMIAL, &got);
}

#[test]
fn poisson_draws_are_pinned() {
    let got: Vec<Vec<f64>> = (0..POISSON.len()).map(poisson_scalar).collect();
    check("Poisson (scalar)", &POISSON, &got);
}

#[test]
fn poisson_lane_draws_are_pinned() {
    let got = on_lanes("poisson", &POISSON, |rng, mean, _| poisson_lanes(rng, mean));
    check("Poisson (lanes)", &POISSON, &got);
}

// ---------------------------------------------------------------- outputs

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `summary.json` with the value of its top-level `"tool"` block replaced by
/// `null`: the provenance (crate versions) is not a number of the model.
fn without_tool(json: &str) -> String {
    let start = json.find("\n  \"tool\": ").expect("a tool block") + "\n  \"tool\": ".len();
    let end = start + json[start..].find("\n  },").expect("the tool block's end") + "\n  }".len();
    format!("{}null{}", &json[..start], &json[end..])
}

/// FNV-1a of `summary.json` (without its tool block) and of `yearly.csv` of
/// the shipped example at 200 replications, its own seed, every variant: the
/// files of `wijkbudget run -n 200`.
/// To update: see the file's header; the commit must say why they moved.
const EXAMPLE_SUMMARY_JSON: u64 = 0x409dd27da6282eba;
const EXAMPLE_YEARLY_CSV: u64 = 0x5880eaec56978d74;

#[test]
fn example_outputs_are_pinned() {
    let sc =
        wijkbudget::scenario::parse(wijkbudget::EXAMPLE_SCENARIO, wijkbudget::EXAMPLE_FILE_NAME)
            .expect("the example parses");
    let mut options = wijkbudget::RunOptions::new(&sc);
    options.replications = 200;
    options.file = Some(wijkbudget::EXAMPLE_FILE_NAME.into());
    let out = wijkbudget::run(&sc, &options, &engine::NoProgress).expect("the run fits");
    let run = Run {
        summary: &out.summary,
        kept: &out.kept,
    };
    let mut files = Json.export(&run).expect("encodes");
    files.extend(Csv.export(&run).expect("encodes"));
    let file = |name: &str| {
        let f = files.iter().find(|f| f.name == name);
        String::from_utf8(f.unwrap_or_else(|| panic!("no {name}")).bytes.clone()).expect("UTF-8")
    };
    let got = (
        fnv1a(without_tool(&file("summary.json")).as_bytes()),
        fnv1a(file("yearly.csv").as_bytes()),
    );
    assert!(
        got == (EXAMPLE_SUMMARY_JSON, EXAMPLE_YEARLY_CSV),
        "the example's outputs moved; got (paste only if meant, and say why in the commit):\n\
         const EXAMPLE_SUMMARY_JSON: u64 = {:#018x};\nconst EXAMPLE_YEARLY_CSV: u64 = {:#018x};",
        got.0,
        got.1
    );
}

fn hex_list(xs: &[u64]) -> String {
    format!(
        "[{}]",
        xs.iter()
            .map(|x| format!("{x:#018x}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
