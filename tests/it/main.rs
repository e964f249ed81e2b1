//! Integration tests, one binary split by area (as ripgrep's tests/tests.rs).

mod alloc_report;
mod allocate;
mod browser;
mod budget;
mod cli;
mod common;
mod engine;
mod layers;
mod library;
mod prevention;
mod report;
mod scenario;
mod sensitivity;
mod validation;
mod value_stability;
mod xlsx;
