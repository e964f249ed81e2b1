//! wijkbudget: a Monte Carlo stress test of area-based financing
//! (*gebiedsgerichte financiering*) of social care.
//!
//! A scenario file describes a wijk: its households, the budget streams
//! (Wmo begeleiding, jeugdhulp, bijzondere bijstand, schuldhulpverlening)
//! with their care ladders, prevention and the ceiling, and named variants.
//! [`scenario::parse`] validates it into a [`model::Scenario`]; [`run`]
//! simulates its variants on common random numbers and summarises them:
//!
//! ```
//! use wijkbudget::{RunOptions, engine::NoProgress, scenario};
//!
//! let sc = scenario::parse(wijkbudget::EXAMPLE_SCENARIO, wijkbudget::EXAMPLE_FILE_NAME)
//!     .expect("the example is valid");
//! let mut options = RunOptions::new(&sc);
//! options.replications = 200;
//! let out = wijkbudget::run(&sc, &options, &NoProgress).expect("the run fits");
//! let base = &out.summary.variants[0];
//! println!(
//!     "{}: P(overrun) {:.1} %",
//!     base.name,
//!     100.0 * base.headline.p_overrun_any_year.p
//! );
//! assert_eq!(out.summary.scenario.replications, 200);
//! ```
//!
//! The library is the pure core: it does no file, terminal or network IO.
//! Layers, from the bottom: numerics ([`dist`], [`copula`], [`rng`],
//! [`stats`], and the engine's internals `simd` and `sampler`), the model
//! ([`model`], [`metrics`]), parsing ([`scenario`]), the [`engine`], the
//! [`results`], the analyses ([`sensitivity`], [`allocation`]) with the
//! estimate of what a run takes ([`resources`]) and the entry point
//! ([`run()`]), and the exporters ([`export`]). With the default feature
//! `render`, the modules `charts` and `report` (charts, the HTML report) and
//! the Excel workbook exporter; with
//! `cli`, the `wijkbudget` binary. `default-features = false` gives the core
//! without plotting, workbook or command-line crates. `ARCHITECTURE.md` has
//! the map and the rules of which module may use which.

// Numeric kernels index several parallel arrays with one loop variable;
// iterator chains would hide which array is which.
#![allow(clippy::needless_range_loop)]

pub mod allocation;
#[cfg(feature = "render")]
pub mod charts;
pub mod copula;
pub mod dist;
pub mod engine;
pub mod export;
pub mod i18n;
pub mod locale;
pub mod metrics;
pub mod model;
#[cfg(feature = "render")]
pub mod report;
pub mod resources;
pub mod results;
pub mod rng;
mod run;
#[doc(hidden)]
pub mod sampler;
pub mod scenario;
pub mod sensitivity;
#[doc(hidden)]
pub mod simd;
pub mod stats;

pub use run::{MAX_THREADS, RunError, RunOptions, RunOutput, run, select_variants, with_threads};

/// The example scenario shipped with the program (`wijkbudget init` writes it,
/// `wijkbudget run` without a file runs it).
pub const EXAMPLE_SCENARIO: &str = include_str!("../scenarios/voorbeeldwijk.toml");

/// The file name of the example scenario.
pub const EXAMPLE_FILE_NAME: &str = "voorbeeldwijk.toml";
