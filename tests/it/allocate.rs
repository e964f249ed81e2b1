//! `wijkbudget allocate`: municipality files, allocation keys, the shared
//! pool, determinism, and the binary end to end.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use wijkbudget::allocation::{self, Allocation, Key, Municipality};
use wijkbudget::engine::{Evaluator, NoProgress, RunConfig, simulate};
use wijkbudget::metrics::col;
use wijkbudget::scenario::{self, Diagnostic, Diagnostics};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses a municipality file, loading scenario files relative to `dir`.
fn parse_in(text: &str, file: &str, dir: &Path) -> Result<Municipality, Diagnostics> {
    let mut load = |rel: &str| -> Result<(String, Vec<u8>), String> {
        let p = dir.join(rel);
        std::fs::read(&p)
            .map(|b| (p.display().to_string(), b))
            .map_err(|e| format!("cannot read the file: {e}"))
    };
    scenario::parse_municipality(text, file, &mut load)
}

fn example() -> Municipality {
    let path = root().join("scenarios/gemeente-voorbeeld.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    parse_in(&text, "gemeente-voorbeeld.toml", &root().join("scenarios"))
        .unwrap_or_else(|d| panic!("the shipped municipality is invalid:\n{d}"))
}

fn run(m: &Municipality, reps: u32, seed: u64) -> Allocation {
    let cfg = RunConfig {
        replications: reps,
        seed,
    };
    allocation::allocate(m, &cfg, &NoProgress)
}

/// Three identical inline areas (only their names differ).
fn identical(process: bool) -> Municipality {
    let area = |n: &str| {
        format!(
            "[[area]]\nname = \"{n}\"\ninhabitants = 2000\nhouseholds = {{ gezin = 600, oudere = 300 }}\n\
             last_year_spend = 400000\ncounts = {{ eenouder = 50 }}\n"
        )
    };
    let text = format!(
        "[meta]\nname = \"gelijk\"\nhorizon_years = 3\nreplications = 10\nseed = 1\n\n\
         [budget]\ntotal = 1200000\nindexation = {{ dist = \"uniform\", min = 0.0, max = 0.04 }}\n\n\
         [needs]\nweights = {{ eenouder = 2.0, households = 1.0 }}\n\n\
         [uncertainty]\nprocess = {process}\n\n\
         [[stratum]]\nname = \"gezin\"\n\n[[stratum]]\nname = \"oudere\"\n\n\
         [[stream]]\nname = \"wmo\"\nincidence = {{ dist = \"pert\", min = 0.015, mode = 0.02, max = 0.03 }}\n\
         risk = {{ gezin = 0.5, oudere = 2.0 }}\n\
           [[stream.level]]\n  name = \"maatwerk\"\n  cost_per_month = 700\n  mean_duration_months = 12\n  escalation = 0.01\n\
           [[stream.level]]\n  name = \"zwaar\"\n  cost_per_month = 2500\n  mean_duration_months = 12\n\n{}\n{}\n{}",
        area("a"),
        area("b"),
        area("c")
    );
    parse_in(&text, "gelijk.toml", &root())
        .unwrap_or_else(|d| panic!("the identical-areas file is invalid:\n{d}"))
}

#[test]
fn every_shipped_scenario_and_municipality_validates() {
    let dir = root().join("scenarios");
    let mut n_muni = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if text.lines().any(|l| l.trim() == "[[area]]") {
            let m = parse_in(&text, &name, &dir).unwrap_or_else(|d| panic!("{name}:\n{d}"));
            assert!(m.areas.len() >= 2, "{name}");
            n_muni += 1;
        } else {
            scenario::parse(&text, &name).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        }
    }
    assert!(n_muni >= 1, "no municipality file shipped");
    let m = example();
    let names: Vec<&str> = m.areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["kinderrijk", "grijsveld", "krachtwijk", "villapark"],
        "four contrasting wijken"
    );
}

#[test]
fn every_key_adds_up_to_the_total_and_a_larger_pool_never_raises_a_probability() {
    let m = example();
    let a = run(&m, 200, 11);
    let keys: Vec<Key> = a.keys.iter().map(|k| k.key).collect();
    assert_eq!(
        keys,
        [
            Key::PerInhabitant,
            Key::PerHousehold,
            Key::Historical,
            Key::NeedsWeighted,
            Key::NeedsModel,
            Key::RiskEqualising
        ]
    );
    for k in &a.keys {
        let sum: f64 = k.areas.iter().map(|o| o.budget).sum();
        assert!(
            (sum - m.total).abs() <= 1e-9 * m.total,
            "{:?}: {sum} != {}",
            k.key,
            m.total
        );
        let shares: f64 = k.areas.iter().map(|o| o.share).sum();
        assert!((shares - 1.0).abs() < 1e-9);
        assert!(k.areas.iter().all(|o| o.budget > 0.0));
        // Pools ascending: no probability and no uncovered amount rises.
        assert!(k.pool.len() >= 3);
        assert_eq!(k.pool[0].size, 0.0);
        for w in k.pool.windows(2) {
            let (s, l) = (&w[0], &w[1]);
            assert!(l.size > s.size);
            assert!(
                l.p_any_area_overrun.p <= s.p_any_area_overrun.p,
                "{:?}",
                k.key
            );
            assert!(l.p_municipality_overrun.p <= s.p_municipality_overrun.p);
            for (x, y) in l.p_area_overrun.iter().zip(&s.p_area_overrun) {
                assert!(x.p <= y.p);
            }
            assert!(l.uncovered.mean <= s.uncovered.mean);
        }
        // Without a pool, P(any area) is at least every area's own P, and
        // the municipality nets surpluses against deficits.
        let p0 = &k.pool[0];
        for (o, pa) in k.areas.iter().zip(&p0.p_area_overrun) {
            assert_eq!(o.p_overrun.p, pa.p);
            assert!(p0.p_any_area_overrun.p >= o.p_overrun.p);
        }
        assert!(p0.p_municipality_overrun.p <= p0.p_any_area_overrun.p);
        // The sum of the areas' overruns is at least the municipal one.
        assert!(k.total.overrun_areas.mean >= p0.uncovered.mean - 1e-6);
    }
    // Under overspend the costs are the same whatever the key (paired).
    for k in &a.keys[1..] {
        for (x, y) in k.areas.iter().zip(&a.keys[0].areas) {
            assert_eq!(x.cost, y.cost);
        }
    }
}

#[test]
fn identical_areas_get_equal_shares_under_every_key() {
    // Without process noise identical areas are identical replication by
    // replication (their parameters are drawn from the municipality's seed),
    // so every key, the risk-equalising one included, must split exactly.
    let m = identical(false);
    let a = run(&m, 300, 4);
    assert_eq!(a.keys.len(), 6, "every key, including history and needs");
    for k in &a.keys {
        for o in &k.areas {
            assert!(
                (o.share - 1.0 / 3.0).abs() < 1e-12,
                "{:?}: {:?}",
                k.key,
                k.areas.iter().map(|o| o.share).collect::<Vec<_>>()
            );
        }
    }
    // With process noise the areas' clients differ by chance only: the
    // risk-equalising budgets may differ by no more than the Monte Carlo
    // error of a quantile. The tolerance is the spread of the pooled
    // break-even budgets between P(overrun) = p ± 3 se.
    let m = identical(true);
    let a = run(&m, 400, 4);
    let key = a
        .keys
        .iter()
        .find(|k| k.key == Key::RiskEqualising)
        .unwrap();
    let p = key.target_p_overrun.unwrap();
    let se = (p * (1.0 - p) / 400.0).sqrt();
    let cfg = RunConfig {
        replications: 400,
        seed: 4,
    };
    let runs: Vec<_> = m
        .areas
        .iter()
        .map(|ar| {
            allocation::simulate_area(
                &ar.model,
                &cfg,
                allocation::area_seed(4, &ar.name),
                &NoProgress,
            )
        })
        .collect();
    let budgets: Vec<f64> = key.areas.iter().map(|o| o.budget).collect();
    let spread = budgets.iter().cloned().fold(f64::MIN, f64::max)
        - budgets.iter().cloned().fold(f64::MAX, f64::min);
    // Budget at p - 3se and p + 3se for the first area: the width of the
    // quantile's own uncertainty.
    let mut pooled: Vec<f64> = Vec::new();
    for r in &runs {
        let d = allocation::deficits(r, 0.0);
        for rep in 0..400 {
            let row = &d[rep * r.years..(rep + 1) * r.years];
            let mut g = 1.0;
            let mut mx: f64 = 0.0;
            for (y, s) in row.iter().enumerate() {
                if y > 0 {
                    g *= 1.0 + r.indexation[rep];
                }
                mx = mx.max(s / g);
            }
            pooled.push(mx);
        }
    }
    pooled.sort_by(f64::total_cmp);
    let q = |pp: f64| wijkbudget::stats::quantile_sorted(&pooled, (1.0 - pp).clamp(0.0, 1.0));
    let tol = q(p - 3.0 * se) - q(p + 3.0 * se);
    assert!(
        spread <= tol,
        "risk-equalising budgets of identical areas differ by {spread}, more than {tol}"
    );
    for k in &a.keys {
        if k.key != Key::RiskEqualising {
            for o in &k.areas {
                assert!((o.share - 1.0 / 3.0).abs() < 1e-12, "{:?}", k.key);
            }
        }
    }
}

#[test]
fn risk_equalising_gives_every_area_the_same_overrun_probability() {
    let m = example();
    let reps = 1000;
    let a = run(&m, reps, 21);
    let key = a
        .keys
        .iter()
        .find(|k| k.key == Key::RiskEqualising)
        .unwrap();
    let target = key.target_p_overrun.unwrap();
    assert!(target > 0.01 && target < 0.99, "{target}");
    // On the replications the split was found on: equal up to the
    // discreteness of a sample quantile.
    for o in &key.areas {
        assert!(
            (o.p_overrun.p - target).abs() <= 2.0 / f64::from(reps) + 1e-12,
            "{}: {} vs {target}",
            o.area,
            o.p_overrun.p
        );
    }
    // An independent check: fresh replications (another seed) run through
    // the engine's own budget settlement at each area's budget. Every area's
    // P(overrun) must agree with the target within 4 combined standard errors.
    let cfg = RunConfig {
        replications: reps,
        seed: 999,
    };
    for (o, area) in key.areas.iter().zip(&m.areas) {
        let model = allocation::with_ceiling(&area.model, o.budget);
        let vr = simulate(&model, &cfg, &NoProgress);
        let h = vr.horizon();
        let w = vr.layout.width();
        let p = (0..vr.replications)
            .filter(|&r| h[r * w + col::OVERRUN_FLAG] > 0.0)
            .count() as f64
            / f64::from(reps);
        let se = (target * (1.0 - target) / f64::from(reps)).sqrt();
        let se_new = (p * (1.0 - p) / f64::from(reps)).sqrt();
        let tol = 4.0 * (se * se + se_new * se_new).sqrt();
        assert!(
            (p - target).abs() <= tol,
            "{}: P(overrun) {p} on fresh replications, target {target} ± {tol}",
            o.area
        );
    }
    // The other keys leave the areas far apart (the contrast is real).
    let per_inh = &a.keys[0];
    let ps: Vec<f64> = per_inh.areas.iter().map(|o| o.p_overrun.p).collect();
    let spread = ps.iter().cloned().fold(0.0, f64::max) - ps.iter().cloned().fold(1.0, f64::min);
    assert!(spread > 0.5, "{ps:?}");
}

#[test]
fn replaying_ceilings_matches_the_engine_and_costs_do_not_depend_on_the_ceiling() {
    // The shared simulation under overspend rests on two facts: care spend
    // does not depend on the ceiling, and the overrun is spend above the
    // indexed ceiling. Both are checked against the engine itself.
    let m = example();
    let area = &m.areas[2];
    let cfg = RunConfig {
        replications: 64,
        seed: 8,
    };
    let budget = 5_000_000.0;
    let seed = allocation::area_seed(cfg.seed, &area.name);
    let run = allocation::simulate_area(&area.model, &cfg, seed, &NoProgress);
    let model = allocation::with_ceiling(&area.model, budget);
    let other = allocation::simulate_area(&model, &cfg, seed, &NoProgress);
    assert_eq!(run.spend, other.spend, "care spend depends on the ceiling");
    let d = allocation::deficits(&run, budget);
    let ev = Evaluator::new(&model);
    let w = ev.layout().width();
    let mut values = vec![0.0; model.params.len()];
    let mut row = vec![0.0; ev.row_len()];
    let mut overruns = 0;
    for r in 0..64 {
        ev.draw(cfg.seed, r, &mut values);
        ev.run(seed, r, &values, &mut row);
        for y in 0..run.years {
            let engine = row[y * w + col::OVERRUN];
            let ours = d[r as usize * run.years + y].max(0.0);
            assert!(
                (engine - ours).abs() <= 1e-6 * budget,
                "rep {r} year {y}: engine {engine}, replay {ours}"
            );
            assert_eq!(row[y * w + col::OVERRUN_FLAG] > 0.0, ours > 0.0);
            overruns += usize::from(ours > 0.0);
        }
    }
    assert!(overruns > 0, "the check never saw an overrun");
}

#[test]
fn model_expected_cost_matches_the_simulated_first_year() {
    // The needs key's costs per household type come from the steady state
    // in closed form; without any randomness, no growth and no prevention
    // change, the engine's first year must reproduce it.
    let m = identical(false);
    let mut model = m.areas[0].model.clone();
    model.parameter_uncertainty = false;
    model.process_uncertainty = false;
    let closed: f64 = allocation::expected_cost_by_stratum(&model)
        .iter()
        .map(|x| x.2)
        .sum();
    let vr = simulate(
        &model,
        &RunConfig {
            replications: 1,
            seed: 1,
        },
        &NoProgress,
    );
    let first = vr.column(0, col::CARE_SPEND)[0];
    assert!(
        (first - closed).abs() <= 1e-6 * closed,
        "simulated {first}, closed form {closed}"
    );
}

#[test]
fn results_are_bit_identical_for_one_and_two_threads() {
    let m = example();
    let go = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| serde_json::to_string(&run(&m, 48, 5)).unwrap())
    };
    let one = go(1);
    let again = go(1);
    let two = go(2);
    let first_diff = |a: &str, b: &str| {
        a.bytes().zip(b.bytes()).position(|(x, y)| x != y).map(|i| {
            let lo = i.saturating_sub(300);
            format!(
                "at byte {i}: …{}… vs …{}…",
                &a[lo..(i + 40).min(a.len())],
                &b[lo..(i + 40).min(b.len())]
            )
        })
    };
    assert_eq!(first_diff(&one, &again), None, "1 thread, run twice");
    assert_eq!(first_diff(&one, &two), None, "1 thread against 2");
    assert_eq!(one.len(), two.len());
    // And the JSON reads back into the same result (serde_json's default
    // float parsing may differ in the last bit, hence the tolerance).
    let back: Allocation = serde_json::from_str(&one).unwrap();
    let again: serde_json::Value = serde_json::to_value(&back).unwrap();
    let orig: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert!(close(&orig, &again), "allocation.json does not read back");
}

fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0)
        }
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| close(p, q))
        }
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn waitlist_simulates_each_key_and_still_adds_up() {
    let mut m = identical(true);
    m.policy = allocation::PoolPolicy::Waitlist;
    for a in &mut m.areas {
        // The parser gives waitlist areas their factor; here we switch an
        // overspend model, so add it the way the parser would.
        let p = a.model.params.push(wijkbudget::model::ParamSpec {
            path: "budget.wait_escalation_factor".into(),
            dist: wijkbudget::dist::Dist::Fixed { value: 1.5 },
            source: None,
            line: 0,
            draw_path: None,
        });
        a.model.budget.policy = wijkbudget::model::Policy::Waitlist {
            wait_escalation_factor: p,
        };
    }
    m.total = 700_000.0;
    let a = run(&m, 40, 2);
    assert_eq!(a.simulation, "per_key");
    for k in &a.keys {
        let sum: f64 = k.areas.iter().map(|o| o.budget).sum();
        assert!((sum - m.total).abs() <= 1e-9 * m.total);
    }
    // A tight budget makes people wait.
    assert!(a.keys[0].areas.iter().any(|o| o.waiting_months.mean > 0.0));
}

// ----- bad municipality files --------------------------------------------------

#[derive(Debug)]
struct Expect {
    line: usize,
    key: String,
    substring: String,
}

fn expectations(text: &str) -> Vec<Expect> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|rest| {
            let (line, rest) = rest.split_once(':').expect("<line>:");
            let (key, substring) = rest.split_once(": ").expect("<key>: <substring>");
            Expect {
                line: line.trim().parse().expect("a line number"),
                key: key.to_string(),
                substring: substring.to_string(),
            }
        })
        .collect()
}

fn matches(e: &Expect, d: &Diagnostic) -> bool {
    d.line == e.line && d.key == e.key && d.message.contains(&e.substring)
}

#[test]
fn bad_municipalities_report_exactly_the_expected_problems() {
    let dir = root().join("tests/bad_municipalities");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let mut failures = Vec::new();
    let mut most = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{name} has no `# expect:` lines");
        most = most.max(expected.len());
        let got = match parse_in(&text, &name, &dir) {
            Ok(_) => {
                failures.push(format!("{name}: accepted"));
                continue;
            }
            Err(d) => d,
        };
        let mut unmatched: Vec<&Diagnostic> = got.iter().collect();
        for e in &expected {
            match unmatched.iter().position(|d| matches(e, d)) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => failures.push(format!("{name}: no problem matches {e:?}; got:\n{got}")),
            }
        }
        for d in unmatched {
            failures.push(format!("{name}: unexpected problem: {d}"));
        }
    }
    assert!(most >= 5, "no bad file with 5 or more problems at once");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn problems_in_a_named_scenario_file_are_reported_with_that_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wijk.toml"),
        wijkbudget::EXAMPLE_SCENARIO.replace("name = \"voorbeeldwijk\"", "name = \"\""),
    )
    .unwrap();
    std::fs::write(dir.path().join("goed.toml"), wijkbudget::EXAMPLE_SCENARIO).unwrap();
    let text = "[meta]\nname = \"x\"\nhorizon_years = 2\n\n[budget]\ntotal = 8000000\n\n\
                [[area]]\nname = \"a\"\nscenario = \"wijk.toml\"\ninhabitants = 10000\n\n\
                [[area]]\nname = \"b\"\nscenario = \"goed.toml\"\ninhabitants = 10000\n";
    let d = parse_in(text, "gemeente.toml", dir.path()).unwrap_err();
    assert!(
        d.iter().any(|p| p.file == "gemeente.toml"
            && p.line == 10
            && p.key == "area.a.scenario"
            && p.message.contains("has problems")),
        "{d}"
    );
    assert!(
        d.iter()
            .any(|p| p.file.ends_with("wijk.toml") && p.key == "meta.name"),
        "{d}"
    );
    // Two areas from the same scenario file: valid, with the file's streams.
    let text = text.replace("\"wijk.toml\"", "\"goed.toml\"");
    let m = parse_in(&text, "gemeente.toml", dir.path()).unwrap();
    assert_eq!(m.areas.len(), 2);
    assert_eq!(m.areas[0].model.streams.len(), 4);
    assert!(m.areas[0].households > 4000.0);
}

// ----- the binary ------------------------------------------------------------------

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wijkbudget"));
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn allocate_writes_every_file_and_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("scenarios/gemeente-voorbeeld.toml");
    let go = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let a = bin()
            .arg("allocate")
            .arg(&file)
            .args(["-n", "40", "--seed", "3", "--quiet", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        (
            out,
            String::from_utf8_lossy(&a.get_output().stdout).to_string(),
        )
    };
    let (one, stdout) = go("one", &["--threads", "1"]);
    assert!(
        stdout.contains("gelijk risico") && stdout.contains("€ "),
        "{stdout}"
    );
    assert!(stdout.contains("Krachtwijk"), "{stdout}");
    for f in [
        "allocation.json",
        "allocation_areas.csv",
        "allocation_totals.csv",
        "allocation_pool.csv",
    ] {
        assert!(one.join(f).metadata().unwrap().len() > 0, "{f}");
    }
    let json = std::fs::read_to_string(one.join("allocation.json")).unwrap();
    let a: Allocation = serde_json::from_str(&json).unwrap();
    assert_eq!(a.replications, 40);
    assert_eq!(a.seed, 3);
    assert_eq!(a.areas.len(), 4);
    let areas_csv = std::fs::read_to_string(one.join("allocation_areas.csv")).unwrap();
    assert_eq!(areas_csv.lines().count(), 1 + 6 * 4, "key × area rows");
    let (two, _) = go("two", &["--threads", "2"]);
    for f in [
        "allocation.json",
        "allocation_areas.csv",
        "allocation_pool.csv",
    ] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    let (_, en) = go("en", &["--lang", "en"]);
    assert!(
        en.contains("equal risk") && en.contains("P(overrun)"),
        "{en}"
    );
}

#[test]
fn a_bad_municipality_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let bad = root().join("tests/bad_municipalities/many_problems.toml");
    let a = bin()
        .arg("allocate")
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        stderr.contains(
            "many_problems.toml:16:9: budget.total: must be in [1, 1000000000000], got -5"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("7 problems found"), "{stderr}");
    assert!(!out.exists(), "nothing may be written when the file is bad");
    bin()
        .arg("allocate")
        .arg(dir.path().join("missing.toml"))
        .assert()
        .code(2);
}

#[test]
fn no_prefix_or_mangled_value_of_the_example_makes_the_parser_panic() {
    let text = std::fs::read_to_string(root().join("scenarios/gemeente-voorbeeld.toml")).unwrap();
    let dir = root().join("scenarios");
    let mut rejected = 0;
    for cut in (0..text.len()).step_by(97) {
        let mut i = cut;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        if parse_in(&text[..i], "cut.toml", &dir).is_err() {
            rejected += 1;
        }
    }
    assert!(rejected > 0);
    for (from, to) in [
        ("total = { value = 13900000", "total = { value = nan"),
        (
            "inhabitants = { value = 9700",
            "inhabitants = { value = -inf",
        ),
        (
            "households = { alleenstaand = 700",
            "households = { alleenstaand = 1e300",
        ),
        ("sizes = [0, 100000", "sizes = [[0], 1e999"),
        (
            "weights = { households = 1.0",
            "weights = { households = \"x\"",
        ),
        (
            "[[area]]\nname = \"villapark\"",
            "[[area]]\nname = \"villapark\"\nscenario = \"gemeente-voorbeeld.toml\"",
        ),
        ("name = \"grijsveld\"", "name = \"GRIJS veld\""),
    ] {
        assert!(text.contains(from), "{from}");
        let bad = text.replacen(from, to, 1);
        let d = parse_in(&bad, "bad.toml", &dir).expect_err(to);
        assert!(d.iter().all(|p| p.line >= 1), "{d}");
    }
}

// ----- `wijkbudget validate` on municipality files ------------------------------------

#[test]
fn file_kind_tells_every_shipped_and_bad_file_apart() {
    use wijkbudget::scenario::{FileKind, file_kind};
    for dir in [
        "tests/bad_scenarios",
        "tests/bad_municipalities",
        "scenarios",
    ] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            // The second method: a municipality file is one that
            // `parse_municipality` reads (or, bad, one kept with them).
            let muni = dir == "tests/bad_municipalities"
                || (dir == "scenarios" && parse_in(&text, "x.toml", &root().join(dir)).is_ok());
            let kind = file_kind(&text);
            assert_eq!(
                matches!(kind, FileKind::Municipality { .. }),
                muni,
                "{}: {kind:?}",
                p.display()
            );
        }
    }
}

#[test]
fn validate_reads_the_shipped_municipality_and_says_what_it_found() {
    let m = example();
    let file = root().join("scenarios/gemeente-voorbeeld.toml");
    let a = bin().arg("validate").arg(&file).assert().success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let areas: Vec<&str> = m.areas.iter().map(|a| a.name.as_str()).collect();
    let expected = format!(
        "{}: ok — municipality '{}', budget {}, {} area(s): {}; {} stream(s): {}",
        file.display(),
        m.name,
        wijkbudget::locale::euro(m.total, wijkbudget::locale::Lang::Nl),
        areas.len(),
        areas.join(", "),
        m.streams.len(),
        m.streams.join(", ")
    );
    assert!(out.starts_with(&expected), "{out}\nexpected: {expected}");
    assert!(out.contains("needs weights: households, eenouder"), "{out}");
    assert!(
        out.contains(&format!("{} pool size(s)", m.pool_sizes.len())),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn validate_names_every_problem_of_every_bad_municipality_and_exits_2() {
    let dir = root().join("tests/bad_municipalities");
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = expectations(&text);
        let a = bin().arg("validate").arg(&path).assert().code(2);
        let out = a.get_output();
        assert!(out.stdout.is_empty(), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let shown = path.display().to_string();
        assert!(
            stderr.starts_with(&format!("{shown}: read as a municipality file")),
            "{stderr}"
        );
        for x in &expected {
            let prefix = format!("{shown}:{}:", x.line);
            assert!(
                stderr.lines().any(|l| l.starts_with(&prefix)
                    && l.contains(&format!(": {}: ", x.key))
                    && l.contains(&x.substring)),
                "{shown}: no line for {x:?} in\n{stderr}"
            );
        }
        let n = expected.len();
        let count = format!(
            "{n} problem{} found in {shown}",
            if n == 1 { "" } else { "s" }
        );
        assert!(stderr.contains(&count), "{stderr}");
        // Not mistaken for a scenario: no scenario-only advice.
        assert!(!stderr.contains("[[variant]]"), "{stderr}");
    }
}

#[test]
fn validate_still_reads_scenarios_as_scenarios_alongside_municipalities() {
    let good = root().join("scenarios/voorbeeldwijk.toml");
    let sc = scenario::parse(
        &std::fs::read_to_string(&good).unwrap(),
        "voorbeeldwijk.toml",
    )
    .unwrap();
    let names: Vec<&str> = sc.variants.iter().map(|v| v.variant.as_str()).collect();
    let muni = root().join("scenarios/gemeente-voorbeeld.toml");
    let a = bin()
        .arg("validate")
        .arg(&good)
        .arg(&muni)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[0],
        format!(
            "{}: ok — scenario '{}', {} variant(s): {}",
            good.display(),
            sc.name,
            names.len(),
            names.join(", ")
        )
    );
    assert!(lines[1].contains("ok — municipality"), "{out}");
    // A bad scenario is reported by the scenario parser, and a good file
    // beside it still gets its line.
    let bad = root().join("tests/bad_scenarios/many_problems.toml");
    let a = bin().arg("validate").arg(&bad).arg(&muni).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(!stderr.contains("municipality"), "{stderr}");
    assert!(stderr.contains("problems found in"), "{stderr}");
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(out.contains("ok — municipality"), "{out}");
}
