//! The library's entry point, `wijkbudget::run`: what it records is what
//! ran, the options alone decide the numbers, bad options are refused
//! before anything runs, and the command line gives the same summary.

use wijkbudget::engine::NoProgress;
use wijkbudget::model::Scenario;
use wijkbudget::{RunError, RunOptions, scenario};

fn example() -> Scenario {
    scenario::parse(wijkbudget::EXAMPLE_SCENARIO, wijkbudget::EXAMPLE_FILE_NAME).unwrap()
}

fn json(s: &wijkbudget::results::Summary) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn the_summary_records_the_seed_and_replications_that_ran() {
    let sc = example();
    let mut o = RunOptions::new(&sc);
    o.replications = 64;
    o.seed = sc.seed + 1;
    let out = wijkbudget::run(&sc, &o, &NoProgress).unwrap();
    assert_eq!(out.summary.scenario.seed, sc.seed + 1);
    assert_eq!(out.summary.scenario.replications, 64);
    // And the numbers are those of that seed: a run of the scenario with
    // its meta.seed set to it gives the same summary.
    let mut other = sc.clone();
    other.seed = sc.seed + 1;
    let mut o2 = RunOptions::new(&other);
    o2.replications = 64;
    let again = wijkbudget::run(&other, &o2, &NoProgress).unwrap();
    assert_eq!(json(&out.summary), json(&again.summary));
    let base = wijkbudget::run(
        &sc,
        &RunOptions {
            seed: sc.seed,
            ..o.clone()
        },
        &NoProgress,
    )
    .unwrap();
    assert_ne!(
        json(&out.summary),
        json(&base.summary),
        "another seed, other numbers"
    );
}

#[test]
fn threads_do_not_change_the_results() {
    let sc = example();
    let mut o = RunOptions::new(&sc);
    o.replications = 300;
    o.threads = Some(1);
    let one = wijkbudget::run(&sc, &o, &NoProgress).unwrap();
    o.threads = Some(2);
    let two = wijkbudget::run(&sc, &o, &NoProgress).unwrap();
    assert_eq!(json(&one.summary), json(&two.summary));
    assert_eq!(one.kept, two.kept);
}

#[test]
fn variants_are_chosen_by_the_options() {
    let sc = example();
    let mut o = RunOptions::new(&sc);
    o.replications = 40;
    let last = sc.variants.last().unwrap().variant.clone();
    o.variants = vec![last.clone(), sc.variants[0].variant.clone()];
    let out = wijkbudget::run(&sc, &o, &NoProgress).unwrap();
    let names: Vec<&str> = out
        .summary
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, [last.as_str(), sc.variants[0].variant.as_str()]);
    assert_eq!(out.summary.comparisons.len(), 1);
}

#[test]
fn bad_options_are_refused_before_anything_runs() {
    let sc = example();
    let o = RunOptions::new(&sc);
    let err = |o: RunOptions| wijkbudget::run(&sc, &o, &NoProgress).unwrap_err();
    assert!(matches!(
        err(RunOptions {
            variants: vec!["geen".into()],
            ..o.clone()
        }),
        RunError::UnknownVariant { .. }
    ));
    let twice = vec![
        sc.variants[0].variant.clone(),
        sc.variants[0].variant.clone(),
    ];
    assert!(matches!(
        err(RunOptions {
            variants: twice,
            ..o.clone()
        }),
        RunError::DuplicateVariant(_)
    ));
    assert_eq!(
        err(RunOptions {
            replications: 0,
            ..o.clone()
        }),
        RunError::NoReplications
    );
    assert_eq!(
        err(RunOptions {
            threads: Some(0),
            ..o.clone()
        }),
        RunError::Threads(0)
    );
    assert_eq!(
        err(RunOptions {
            threads: Some(100_000),
            ..o.clone()
        }),
        RunError::Threads(100_000)
    );
    // Too large: refused by the estimate, at once (not by running out of
    // memory or time).
    let start = std::time::Instant::now();
    assert!(matches!(
        err(RunOptions {
            replications: 4_000_000_000,
            ..o.clone()
        }),
        RunError::TooLarge(_)
    ));
    assert!(start.elapsed().as_secs_f64() < 1.0);
}

#[test]
fn the_command_line_writes_what_the_library_returns() {
    let sc = example();
    let mut o = RunOptions::new(&sc);
    o.replications = 120;
    o.seed = 99;
    o.file = Some(wijkbudget::EXAMPLE_FILE_NAME.into());
    let out = wijkbudget::run(&sc, &o, &NoProgress).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("wijkbudget")
        .unwrap()
        .args(["run", "--quiet", "-n", "120", "--seed", "99", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let written = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    let files = wijkbudget::export::Exporter::export(
        &wijkbudget::export::json::Json,
        &wijkbudget::export::Run {
            summary: &out.summary,
            kept: &out.kept,
        },
    )
    .unwrap();
    let ours = files.iter().find(|f| f.name == "summary.json").unwrap();
    assert_eq!(written.as_bytes(), ours.bytes.as_slice());
}
