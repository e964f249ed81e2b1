//! Integration tests, one binary split by area (as ripgrep's tests/tests.rs).

mod common;
mod engine;
