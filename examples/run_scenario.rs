//! Runs the shipped example scenario from code and prints its headline:
//! `cargo run --release --example run_scenario [FILE] [REPLICATIONS]`.
//!
//! This is what a consultant's own program does with the library (added
//! with `default-features = false` when it needs no charts or workbook):
//! parse and validate a scenario, run it, read the summary.

use std::process::ExitCode;

use wijkbudget::engine::NoProgress;
use wijkbudget::{RunOptions, scenario};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (text, file) = match args.next() {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => (text, path),
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        },
        None => (
            wijkbudget::EXAMPLE_SCENARIO.to_string(),
            wijkbudget::EXAMPLE_FILE_NAME.to_string(),
        ),
    };
    let sc = match scenario::parse(&text, &file) {
        Ok(sc) => sc,
        Err(problems) => {
            eprint!("{problems}");
            return ExitCode::from(2);
        }
    };
    let mut options = RunOptions::new(&sc);
    options.file = Some(file);
    if let Some(n) = args.next() {
        match n.parse() {
            Ok(n) => options.replications = n,
            Err(_) => {
                eprintln!("replications must be a whole number, not `{n}`");
                return ExitCode::from(2);
            }
        }
    }
    let out = match wijkbudget::run(&sc, &options, &NoProgress) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let s = &out.summary;
    println!(
        "{} — {} replications, seed {}, {}–{}",
        s.scenario.name,
        s.scenario.replications,
        s.scenario.seed,
        s.scenario.years.first().copied().unwrap_or_default(),
        s.scenario.years.last().copied().unwrap_or_default(),
    );
    println!(
        "{:<22} {:>16} {:>18} {:>20}",
        "variant", "P(overrun)", "expected overrun", "total cost"
    );
    for v in &s.variants {
        let h = &v.headline;
        println!(
            "{:<22} {:>9.1} % ± {:.1} {:>18.0} {:>20.0}",
            v.name,
            100.0 * h.p_overrun_any_year.p,
            100.0 * h.p_overrun_any_year.se,
            h.overrun.mean,
            h.total_cost.mean,
        );
    }
    ExitCode::SUCCESS
}
