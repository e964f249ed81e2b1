//! The `wijkbudget` binary end to end.

use std::path::Path;

use assert_cmd::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wijkbudget"));
    c.env_remove("NO_COLOR");
    c
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const BAD: &str =
    "[meta]\nname = \"stuk\"\nhorizon_years = 2\n\n[[stratum]]\nname = \"a\"\nhouseholds = -1\n";

#[test]
fn run_on_the_example_writes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    let a = bin()
        .args(["run", "-n", "40", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(
        stdout.contains("huidig beleid") && stdout.contains("extra preventie"),
        "{stdout}"
    );
    assert!(stdout.contains("€ "), "Dutch euro amounts: {stdout}");
    for f in [
        "summary.json",
        "yearly.csv",
        "horizon.csv",
        "comparison.csv",
        "assumptions.csv",
        "drivers.csv",
        "replications.csv",
    ] {
        let meta = out.join(f).metadata().unwrap();
        assert!(meta.len() > 0, "{f}");
        // Ordinary files others may read, not private temporary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(meta.permissions().mode() & 0o777, 0o644, "{f}");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["scenario"]["replications"], 40);
    assert_eq!(summary["variants"].as_array().unwrap().len(), 5);
    assert_eq!(summary["comparisons"].as_array().unwrap().len(), 4);
    assert_eq!(summary["variants"][0]["years"].as_array().unwrap().len(), 5);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
    let en = bin()
        .args(["run", "-n", "20", "--quiet", "--lang", "en", "--out"])
        .arg(dir.path().join("en"))
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&en.get_output().stdout).contains("P(overrun)"));
}

#[test]
fn a_bad_file_exits_2_names_line_and_key_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("stuk.toml");
    std::fs::write(&bad, BAD).unwrap();
    let good = dir.path().join("goed.toml");
    std::fs::write(&good, wijkbudget::EXAMPLE_SCENARIO).unwrap();
    let out = dir.path().join("out");
    let a = bin()
        .arg("run")
        .arg(&good)
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        stderr.contains("stuk.toml:7:14: stratum.a.households: must be in [0, 100000000], got -1"),
        "{stderr}"
    );
    assert!(stderr.contains("stream: missing"), "{stderr}");
    assert!(!out.exists(), "nothing may be written when a file is bad");
    bin().arg("validate").arg(&bad).assert().code(2);
    bin().arg("validate").arg(&good).assert().success();
    bin()
        .arg("validate")
        .arg(dir.path().join("missing.toml"))
        .assert()
        .code(2);
    bin().arg("validate").arg(dir.path()).assert().code(2);
}

#[test]
fn same_seed_same_files_for_any_thread_count_and_variant_selection() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        bin()
            .args(["run", "-n", "64", "--seed", "5", "--quiet"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out
    };
    let one = run("one", &["--threads", "1"]);
    let two = run("two", &["--threads", "2"]);
    assert_eq!(read(&one.join("yearly.csv")), read(&two.join("yearly.csv")));
    assert_eq!(
        read(&one.join("replications.csv")),
        read(&two.join("replications.csv"))
    );
    // A variant run alone (as its own baseline) gives the same numbers.
    let alone = run("alone", &["--variant", "wachtlijst"]);
    let rows = |p: &Path, v: &str| -> Vec<String> {
        read(&p.join("yearly.csv"))
            .lines()
            .filter(|l| l.starts_with(&format!("{v},")))
            .map(str::to_string)
            .collect()
    };
    let with_others = rows(&one, "wachtlijst");
    assert!(!with_others.is_empty());
    assert_eq!(with_others, rows(&alone, "wachtlijst"));
}

#[test]
fn init_writes_the_example_once() {
    let dir = tempfile::tempdir().unwrap();
    bin().arg("init").arg(dir.path()).assert().success();
    let written = dir.path().join("voorbeeldwijk.toml");
    assert_eq!(read(&written), wijkbudget::EXAMPLE_SCENARIO);
    bin().arg("init").arg(dir.path()).assert().code(2);
    bin()
        .arg("init")
        .arg(dir.path())
        .arg("--force")
        .assert()
        .success();
}

#[test]
fn impossible_runs_and_unknown_variants_are_refused_before_starting() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    // More replications than meta.replications allows: refused by the
    // argument parser, with the range.
    let a = bin()
        .args(["run", "-n", "100000000", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("10000000"));
    // Memory no longer grows with replications, but time does: 10^7
    // replications of twenty variants over 50 years would take days.
    let long = dir.path().join("lang.toml");
    let mut text = wijkbudget::EXAMPLE_SCENARIO.replace("horizon_years = 5", "horizon_years = 50");
    for i in 0..15 {
        text.push_str(&format!("\n[[variant]]\nname = \"kopie {i}\"\n"));
    }
    std::fs::write(&long, text).unwrap();
    let a = bin()
        .args(["run", "-n", "10000000", "--out"])
        .arg(&out)
        .arg(&long)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("more than a day"));
    assert!(!out.exists());
    let a = bin()
        .args(["run", "--variant", "extra preventi", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("no variant named"));
    assert!(!out.exists());
}

#[test]
fn scenario_names_never_escape_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let text = wijkbudget::EXAMPLE_SCENARIO
        .replace("name = \"voorbeeldwijk\"", "name = \"../../boos/../x\"");
    let file = dir.path().join("s.toml");
    std::fs::write(&file, text).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    bin()
        .current_dir(&work)
        .arg("run")
        .arg(&file)
        .args(["-n", "8", "--quiet"])
        .assert()
        .success();
    assert!(work.join("output/boos-x/summary.json").exists());
    assert!(!dir.path().join("boos").exists());
}
