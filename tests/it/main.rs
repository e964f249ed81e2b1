//! Integration tests, one binary split by area (as ripgrep's tests/tests.rs).

mod budget;
mod cli;
mod common;
mod engine;
mod prevention;
mod scenario;
mod validation;
mod xlsx;
