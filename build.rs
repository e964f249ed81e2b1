//! Build script: records the versions of the crates that shape the numbers
//! (read from `Cargo.lock`, the versions actually built), so that
//! `summary.json` says what made it without a hand-kept list.

use std::path::{Path, PathBuf};

/// The crates whose versions `summary.json` records.
const CRATES: [&str; 4] = ["rand", "rand_xoshiro", "nalgebra", "statrs"];

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // The lock file of this package, or of a workspace above it.
    let lock = dir
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file());
    if let Some(lock) = &lock {
        println!("cargo:rerun-if-changed={}", lock.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    let text = lock
        .as_deref()
        .and_then(|p: &Path| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let list: Vec<String> = CRATES
        .iter()
        .map(|name| format!("{name}={}", locked_version(&text, name)))
        .collect();
    println!(
        "cargo:rustc-env=WIJKBUDGET_CRATE_VERSIONS={}",
        list.join(",")
    );
}

/// The version of `name` that this package depends on, from a
/// `Cargo.lock`: the version its dependency entry names when several are
/// locked, else the one locked ("unknown" without a lock file, as when
/// built as a dependency).
fn locked_version(lock: &str, name: &str) -> String {
    let ours = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"wijkbudget\""))
        .unwrap_or_default();
    let pinned = ours
        .lines()
        .filter_map(|l| {
            l.trim()
                .trim_end_matches(',')
                .strip_prefix('"')?
                .strip_suffix('"')
        })
        .find_map(|dep| {
            dep.strip_prefix(name)?
                .strip_prefix(' ')
                .map(str::to_string)
        });
    if let Some(v) = pinned {
        return v;
    }
    lock.split("[[package]]")
        .find(|p| p.lines().any(|l| l.trim() == format!("name = \"{name}\"")))
        .and_then(|p| {
            p.lines()
                .find_map(|l| l.trim().strip_prefix("version = "))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
