//! Sensitivity analysis: which assumptions drive the answer.
//!
//! The estimators are generic, functions of a point in the unit hypercube,
//! so they are tested on functions with known answers: [`tornado`] (one at a
//! time, P10 to P90), [`sobol`](mod@sobol) (first-order and total variance-based
//! indices with bootstrap intervals, also of groups) and [`morris`]
//! (elementary effects for screening). [`analysis`] maps a point of the
//! hypercube to a scenario's parameters and evaluates its outputs through
//! the engine; [`report`] holds the result (`sensitivity.json`) and
//! `crate::export::sensitivity` turns it into files and a console table.

pub mod analysis;
pub mod morris;
pub mod report;
pub mod sobol;
pub mod tornado;

pub use analysis::{Cost, Methods, Plan, PlanError, Request};
pub use report::Report;
pub use sobol::{SobolConfig, SobolIndex, latin_hypercube, runs_needed, sobol};
