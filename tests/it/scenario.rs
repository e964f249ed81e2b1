//! The scenario parser: the shipped example, variant merging, error reports
//! with line and key, and inputs that must not make it panic.

use wijkbudget::dist::Dist;
use wijkbudget::model::{BudgetMode, Policy};
use wijkbudget::scenario::{self, Diagnostics};

fn example() -> wijkbudget::model::Scenario {
    scenario::parse(wijkbudget::EXAMPLE_SCENARIO, "voorbeeldwijk.toml").expect("example is valid")
}

fn errors(text: &str) -> Diagnostics {
    scenario::parse(text, "t.toml").expect_err("must be rejected")
}

/// A small valid scenario, to break one thing at a time.
const SMALL: &str = r#"
[meta]
name = "klein"
horizon_years = 3

[[stratum]]
name = "alle"
households = 1000

[[stream]]
name = "wmo"
incidence = 0.02

  [[stream.level]]
  name = "basis"
  paid_by = "team"
  cost_per_month = 100
  mean_duration_months = 3
  escalation = 0.1

  [[stream.level]]
  name = "maatwerk"
  cost_per_month = { dist = "pert", min = 400, mode = 500, max = 800, source = "test" }
  mean_duration_months = 12

[budget]
ceiling = 500000

[[variant]]
name = "duur"
stream.wmo.level.maatwerk.cost_per_month.mode = 600

[[variant]]
name = "apart"
budget.mode = "siloed"
budget.shares = { wmo = 1.0 }
budget.policy = "waitlist"
"#;

#[test]
fn the_example_has_the_promised_variants_and_sources() {
    let sc = example();
    let names: Vec<&str> = sc.variants.iter().map(|v| v.variant.as_str()).collect();
    assert_eq!(
        names,
        [
            "huidig beleid",
            "extra preventie",
            "gescheiden budgetten",
            "krap plafond",
            "wachtlijst"
        ]
    );
    let base = &sc.variants[0];
    assert_eq!(base.streams.len(), 4);
    assert_eq!(base.strata.len(), 5);
    let households: f64 = base
        .strata
        .iter()
        .map(|s| base.params.get(s.households).dist.mean())
        .sum();
    assert!((4600.0..=4800.0).contains(&households), "{households}");
    // Every number the file gives carries a source or a comment; uncertain ones a source.
    for p in base.params.uncertain() {
        let spec = base.params.get(p);
        assert!(spec.source.is_some(), "{} has no source", spec.path);
        assert!(spec.line > 0);
    }
    assert_eq!(base.correlations.len(), 1);
    assert!(matches!(
        sc.variants[2].budget.mode,
        BudgetMode::Siloed { .. }
    ));
    assert!(matches!(
        sc.variants[4].budget.policy,
        Policy::Waitlist { .. }
    ));
    let prev = |i: usize| {
        sc.variants[i]
            .params
            .get(sc.variants[i].prevention.budget)
            .dist
            .mean()
    };
    assert_eq!(prev(1) - prev(0), 250_000.0);
    // The variant's budget_before defaults to the base's budget, drawn alike.
    let before = sc.variants[1]
        .params
        .get(sc.variants[1].prevention.budget_before);
    assert_eq!(before.dist.mean(), prev(0));
    assert_eq!(before.draw_key(), "prevention.budget");
}

#[test]
fn variants_override_by_name_down_to_a_distribution_field() {
    let sc = scenario::parse(SMALL, "t.toml").expect("valid");
    let cost = |i: usize| {
        let m = &sc.variants[i];
        m.params.get(m.streams[0].levels[1].cost_per_month).clone()
    };
    assert_eq!(cost(0).dist, Dist::pert(400.0, 500.0, 800.0, 4.0).unwrap());
    assert_eq!(cost(1).dist, Dist::pert(400.0, 600.0, 800.0, 4.0).unwrap());
    assert_eq!(cost(1).source.as_deref(), Some("test"));
    assert_eq!(cost(0).path, "stream.wmo.level.maatwerk.cost_per_month");
    assert_eq!(cost(0).line, 23);
    assert!(matches!(
        sc.variants[2].budget.mode,
        BudgetMode::Siloed { .. }
    ));
    assert!(matches!(
        sc.variants[2].budget.policy,
        Policy::Waitlist { .. }
    ));
    assert_eq!(sc.variants[0].variant, "basis");
    assert_eq!(sc.replications, 1000);
}

#[test]
fn every_problem_is_reported_with_line_and_key() {
    let bad = SMALL
        .replace("households = 1000", "households = -5")
        .replace("incidence = 0.02", "incidance = 0.02")
        .replace("escalation = 0.1", "escalation = 1.5")
        .replace("min = 400, mode = 500", "min = 400, mode = 900")
        .replace("ceiling = 500000", "ceiling = nan");
    let d = errors(&bad);
    let got: Vec<(usize, &str)> = d.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    for want in [
        (8, "stratum.alle.households"),
        (10, "stream.wmo.incidence"),
        (12, "stream.wmo.incidance"),
        (19, "stream.wmo.level.basis.escalation"),
        (23, "stream.wmo.level.maatwerk.cost_per_month"),
        (27, "budget.ceiling"),
    ] {
        assert!(got.contains(&want), "missing {want:?} in {d}");
    }
    let text = d.to_string();
    assert!(text.contains("did you mean `incidence`?"), "{text}");
    assert!(text.contains("must be in [0, 100000000], got -5"), "{text}");
    assert!(
        text.contains("t.toml:8:14: stratum.alle.households"),
        "{text}"
    );
    // The base's problems are not repeated for every variant.
    assert_eq!(
        d.0.iter()
            .filter(|x| x.key == "stratum.alle.households")
            .count(),
        1
    );
}

#[test]
fn variant_problems_point_at_the_variant() {
    let bad = SMALL
        .replace("stream.wmo.level.maatwerk", "stream.wmo.level.maatwrk")
        .replace(
            "budget.mode = \"siloed\"",
            "budget.mode = \"silo\"\nmeta.name = \"x\"",
        );
    let d = errors(&bad);
    let text = d.to_string();
    assert!(text.contains("t.toml:31:18: stream.wmo.level.maatwrk: in variant 'duur': there is no level named 'maatwrk'; did you mean `maatwerk`?"), "{text}");
    assert!(
        text.contains(
            "in variant 'apart': 'silo' is not one of: pooled, siloed; did you mean `siloed`?"
        ),
        "{text}"
    );
    assert!(text.contains("a variant cannot set `meta`"), "{text}");
}

#[test]
fn hostile_inputs_give_diagnostics_not_panics() {
    let long = "x".repeat(100_000);
    let deep = format!("a = {}1{}", "[".repeat(50_000), "]".repeat(50_000));
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "meta"),
        ("\u{0}\u{1}\u{2}garbage = = =".into(), "TOML syntax"),
        (deep, "nest"),
        (
            format!("[meta]\nname = \"{long}\"\nhorizon_years = 1\n"),
            "at most 100",
        ),
        (
            SMALL.replace("households = 1000", "households = 1e300"),
            "got 1e300",
        ),
        (
            SMALL.replace("households = 1000", "households = 99999999999999999999999"),
            "households",
        ),
        (
            SMALL.replace("horizon_years = 3", "horizon_years = 100000"),
            "horizon_years",
        ),
        (
            SMALL.replace("horizon_years = 3", "horizon_years = -1"),
            "horizon_years",
        ),
        (
            SMALL.replace("incidence = 0.02", "incidence = inf"),
            "finite",
        ),
        (
            SMALL.replace(
                "incidence = 0.02",
                "incidence = { dist = \"normal\", mean = 0.02, sd = 0.01 }",
            ),
            "truncate",
        ),
        (
            SMALL.replace("incidence = 0.02", "incidence = \"veel\""),
            "expected a number",
        ),
        (
            SMALL.replace("name = \"wmo\"", "name = \"../../etc\""),
            "not a valid stream name",
        ),
        (
            format!(
                "{SMALL}\n[[correlation]]\nparameters = [\"stream.wmo.incidence\"]\nmatrix = [[1.0]]\n"
            ),
            "fixed number",
        ),
    ];
    for (text, needle) in cases {
        let d = errors(&text);
        assert!(
            d.to_string().contains(needle),
            "expected '{needle}' in:\n{d}"
        );
    }
    // Invalid UTF-8 and oversized files.
    let d = scenario::parse_bytes(&[b'a', b'=', 0xff, 0xfe], "b.toml").unwrap_err();
    assert!(d.to_string().contains("not UTF-8"));
    let big = vec![b'#'; 2 << 20];
    assert!(
        scenario::parse_bytes(&big, "big.toml")
            .unwrap_err()
            .to_string()
            .contains("1 MiB")
    );
}

#[test]
fn correlation_matrices_are_checked() {
    let base = SMALL.replace(
        "incidence = 0.02",
        "incidence = { dist = \"uniform\", min = 0.01, max = 0.03 }",
    );
    let base = base.replace(
        "mean_duration_months = 12",
        "mean_duration_months = { dist = \"uniform\", min = 10, max = 14 }",
    );
    let ok = format!(
        "{base}\n[[correlation]]\nparameters = [\"stream.wmo.incidence\", \"stream.wmo.level.maatwerk.mean_duration_months\"]\nmatrix = [[1.0, 0.5], [0.5, 1.0]]\n"
    );
    let sc = scenario::parse(&ok, "t.toml").expect("valid");
    assert!(sc.variants.iter().all(|v| v.correlations.len() == 1));
    for (matrix, needle) in [
        ("[[1.0, 0.5], [0.4, 1.0]]", "symmetric"),
        ("[[1.0, 1.0], [1.0, 1.0]]", "positive definite"),
        ("[[0.9, 0.5], [0.5, 1.0]]", "diagonal"),
        ("[[1.0, 0.5]]", "rows"),
    ] {
        let bad = ok.replace("[[1.0, 0.5], [0.5, 1.0]]", matrix);
        let d = errors(&bad);
        assert!(
            d.to_string().to_lowercase().contains(needle),
            "{needle}: {d}"
        );
    }
    let typo = ok.replace(
        "\"stream.wmo.incidence\", \"stream",
        "\"stream.wmo.incidense\", \"stream",
    );
    assert!(
        errors(&typo)
            .to_string()
            .contains("did you mean `stream.wmo.incidence`?")
    );
}
