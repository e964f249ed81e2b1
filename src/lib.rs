//! wijkbudget: a Monte Carlo stress test of area-based financing
//! (*gebiedsgerichte financiering*) of social care.
//!
//! The library is the pure core: scenario parsing and validation
//! ([`scenario`]), the validated model ([`model`]), the engine ([`engine`]),
//! statistics ([`stats`], [`results`]) and exporters ([`export`]). It does no
//! file or terminal IO; the `wijkbudget` binary does that.

// Numeric kernels index several parallel arrays with one loop variable;
// iterator chains would hide which array is which.
#![allow(clippy::needless_range_loop)]

pub mod allocation;
pub mod charts;
pub mod copula;
pub mod dist;
pub mod engine;
pub mod export;
pub mod i18n;
pub mod locale;
pub mod metrics;
pub mod model;
pub mod report;
pub mod results;
pub mod rng;
pub mod sampler;
pub mod scenario;
pub mod sensitivity;
pub mod simd;
pub mod stats;

/// The example scenario shipped with the program (`wijkbudget init` writes it,
/// `wijkbudget run` without a file runs it).
pub const EXAMPLE_SCENARIO: &str = include_str!("../scenarios/voorbeeldwijk.toml");

/// The file name of the example scenario.
pub const EXAMPLE_FILE_NAME: &str = "voorbeeldwijk.toml";
