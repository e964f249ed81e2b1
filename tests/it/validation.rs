//! Tests of the scenario parser and validator (`wijkbudget::scenario`):
//! a full valid scenario, variant merging, the self-documenting corpus of
//! bad files in `tests/bad_scenarios/`, and hostile inputs.

use std::path::Path;

use wijkbudget::dist::Dist;
use wijkbudget::model::{BudgetMode, Model, Param, Payer, Policy, Scenario};
use wijkbudget::scenario::{self, Diagnostic, Diagnostics, MAX_FILE_BYTES};

const FULL: &str = include_str!("../fixtures/full_scenario.toml");

/// A small valid scenario that tests extend.
const SMALL: &str = r#"[meta]
name = "klein"
horizon_years = 3

[[stratum]]
name = "alle"
households = 1000

[[stream]]
name = "wmo"
incidence = 0.01

  [[stream.level]]
  name = "basis"
  cost_per_month = 100
  mean_duration_months = 3
  escalation = 0.05

  [[stream.level]]
  name = "maatwerk"
  cost_per_month = 700
  mean_duration_months = 12

  [stream.prevention]
  share = 1.0

[prevention]
budget = 50000

[budget]
ceiling = 1000000
"#;

// ----- helpers ---------------------------------------------------------------

fn parse_ok(text: &str) -> Scenario {
    match scenario::parse(text, "test.toml") {
        Ok(s) => s,
        Err(d) => panic!("expected a valid scenario, got:\n{d}"),
    }
}

fn parse_err(text: &str) -> Diagnostics {
    match scenario::parse(text, "test.toml") {
        Ok(_) => panic!("expected problems, the scenario was accepted"),
        Err(d) => d,
    }
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

fn param(m: &Model, path: &str) -> Param {
    m.params
        .find(path)
        .unwrap_or_else(|| panic!("no parameter {path} in variant {}", m.variant))
}

fn dist(m: &Model, path: &str) -> Dist {
    m.params.get(param(m, path)).dist.clone()
}

fn fixed(v: f64) -> Dist {
    Dist::fixed(v).unwrap()
}

fn variant<'a>(s: &'a Scenario, name: &str) -> &'a Model {
    s.variants
        .iter()
        .find(|m| m.variant == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
}

// ----- a full valid scenario -------------------------------------------------

#[test]
fn full_scenario_parses_with_its_settings() {
    let s = parse_ok(FULL);
    assert_eq!(s.name, "Testwijk");
    assert_eq!(s.description, "Fixture for the parser tests");
    assert_eq!(s.replications, 500);
    assert_eq!(s.seed, 42);
    let names: Vec<&str> = s.variants.iter().map(|m| m.variant.as_str()).collect();
    assert_eq!(names, ["huidig beleid", "extra preventie", "ontschot"]);
    let base = &s.variants[0];
    assert_eq!(base.start_year, 2027, "default start year");
    assert_eq!(base.horizon_years, 5);
    assert!(base.parameter_uncertainty, "default: on");
    assert!(!base.process_uncertainty);
    assert_eq!(s.variants[1].description, "Twice the prevention budget");

    let strata: Vec<(&str, &str)> = base
        .strata
        .iter()
        .map(|s| (s.name.as_str(), s.label.as_str()))
        .collect();
    assert_eq!(
        strata,
        [
            ("alleenstaand", "Alleenstaand"),
            ("paar", "paar"),
            ("eenouder", "eenouder")
        ]
    );
    let wmo = &base.streams[0];
    assert_eq!(
        (wmo.name.as_str(), wmo.label.as_str()),
        ("wmo_begeleiding", "Wmo begeleiding")
    );
    let levels: Vec<(&str, Payer)> = wmo
        .levels
        .iter()
        .map(|l| (l.name.as_str(), l.paid_by))
        .collect();
    assert_eq!(
        levels,
        [
            ("basis", Payer::Team),
            ("maatwerk", Payer::Stream),
            ("zwaar", Payer::Stream)
        ]
    );
    assert_eq!(wmo.levels[0].label, "Basis (wijkteam)");
    assert_eq!(base.streams[1].levels.len(), 2);
    assert_eq!(
        base.budget.mode,
        BudgetMode::Pooled,
        "shares are unused when pooled"
    );
    assert!(base.params.find("budget.shares.wmo_begeleiding").is_none());
    match &base.budget.policy {
        Policy::Waitlist {
            wait_escalation_factor,
        } => assert_eq!(base.params.get(*wait_escalation_factor).dist, fixed(1.5)),
        other => panic!("expected a waitlist, got {other:?}"),
    }
}

#[test]
fn full_scenario_values_sources_and_lines() {
    let s = parse_ok(FULL);
    let base = &s.variants[0];

    // A distribution with a source, at its line.
    let inc = base.params.get(base.streams[0].incidence);
    assert_eq!(inc.path, "stream.wmo_begeleiding.incidence");
    assert_eq!(inc.dist, Dist::pert(0.008, 0.011, 0.016, 4.0).unwrap());
    assert_eq!(inc.source.as_deref(), Some("GMSD 2023"));
    assert_eq!(inc.line, line_of(FULL, "incidence = { dist = \"pert\""));

    // A fixed value with a source.
    let hh = base.params.get(base.strata[1].households);
    assert_eq!(hh.dist, fixed(2400.0));
    assert_eq!(
        hh.source.as_deref(),
        Some("CBS kerncijfers wijken en buurten 2024")
    );
    assert_eq!(hh.line, line_of(FULL, "households = { value = 2400"));

    // Plain numbers, integers accepted as floats.
    let hh0 = base.params.get(base.strata[0].households);
    assert_eq!(
        (hh0.dist.clone(), hh0.source.clone()),
        (fixed(1860.0), None)
    );
    assert_eq!(hh0.line, line_of(FULL, "households = 1860"));

    // The other families, built as the format describes.
    assert_eq!(
        dist(base, "stream.wmo_begeleiding.price_index"),
        Dist::normal(0.035, 0.01, 0.0, 0.08).unwrap()
    );
    assert_eq!(
        dist(base, "stream.jeugdhulp.level.zwaar.cost_per_month"),
        Dist::lognormal_mean_sd(3000.0, 500.0).unwrap()
    );
    assert_eq!(
        dist(base, "stream.wmo_begeleiding.prevention.early_signal"),
        Dist::beta(2.0, 5.0, 0.0, 1.0).unwrap()
    );
    assert_eq!(
        dist(base, "stream.wmo_begeleiding.level.maatwerk.cost_per_month"),
        Dist::triangular(600.0, 750.0, 1000.0).unwrap()
    );
    assert_eq!(
        dist(base, "stratum.eenouder.growth"),
        Dist::uniform(-0.01, 0.02).unwrap()
    );
    // Risk multipliers in stratum order, 1 where not given.
    let risk: Vec<Dist> = base.streams[0]
        .risk
        .iter()
        .map(|&p| base.params.get(p).dist.clone())
        .collect();
    assert_eq!(risk, [fixed(1.3), fixed(1.0), fixed(1.8)]);
}

#[test]
fn defaults_are_registered_as_fixed_at_line_zero() {
    let s = parse_ok(FULL);
    let base = &s.variants[0];
    let defaults = [
        ("stratum.paar.growth", 0.0),
        ("stream.wmo_begeleiding.risk.paar", 1.0),
        ("stream.wmo_begeleiding.level.zwaar.escalation", 0.0),
        ("stream.jeugdhulp.early_signal_share", 0.0),
        ("stream.jeugdhulp.relapse.rate", 0.0),
        ("stream.jeugdhulp.relapse.window_months", 12.0),
        ("stream.jeugdhulp.prevention.saturation", 50.0),
        ("stream.jeugdhulp.prevention.case_finding", 0.0),
        ("budget.wait_escalation_factor", 1.5),
        ("budget.reserve_initial", 0.0),
    ];
    for (path, value) in defaults {
        let spec = base.params.get(param(base, path));
        assert_eq!(spec.dist, fixed(value), "{path}");
        assert_eq!((spec.line, spec.source.as_deref()), (0, None), "{path}");
    }
}

#[test]
fn parameters_are_registered_in_the_order_of_the_format() {
    let s = parse_ok(FULL);
    let base = &s.variants[0];
    let strata = ["alleenstaand", "paar", "eenouder"];
    let mut expected: Vec<String> = Vec::new();
    for st in strata {
        expected.push(format!("stratum.{st}.households"));
        expected.push(format!("stratum.{st}.growth"));
    }
    let streams: [(&str, &[&str]); 2] = [
        ("wmo_begeleiding", &["basis", "maatwerk", "zwaar"]),
        ("jeugdhulp", &["licht", "zwaar"]),
    ];
    for (s, levels) in streams {
        for k in ["incidence", "early_signal_share", "price_index"] {
            expected.push(format!("stream.{s}.{k}"));
        }
        for st in strata {
            expected.push(format!("stream.{s}.risk.{st}"));
        }
        expected.push(format!("stream.{s}.relapse.rate"));
        expected.push(format!("stream.{s}.relapse.window_months"));
        for l in levels {
            for k in ["cost_per_month", "mean_duration_months", "escalation"] {
                expected.push(format!("stream.{s}.level.{l}.{k}"));
            }
        }
        for k in [
            "share",
            "saturation",
            "case_finding",
            "early_signal",
            "escalation",
            "relapse",
        ] {
            expected.push(format!("stream.{s}.prevention.{k}"));
        }
    }
    for k in ["budget", "budget_before", "ramp_up_months"] {
        expected.push(format!("prevention.{k}"));
    }
    // Pooled: no shares; waitlist: the factor.
    for k in [
        "ceiling",
        "indexation",
        "wait_escalation_factor",
        "reserve_initial",
        "reserve_cap",
        "reinvest_share",
    ] {
        expected.push(format!("budget.{k}"));
    }
    let got: Vec<&str> = base.params.specs.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(got, expected);
    // Handles in the model point at their own paths.
    assert_eq!(
        base.params
            .get(base.streams[1].levels[1].cost_per_month)
            .path,
        "stream.jeugdhulp.level.zwaar.cost_per_month"
    );
    assert_eq!(base.params.get(base.budget.ceiling).path, "budget.ceiling");
}

#[test]
fn correlation_groups_resolve_in_every_variant() {
    let s = parse_ok(FULL);
    for m in &s.variants {
        assert_eq!(m.correlations.len(), 1, "{}", m.variant);
        let g = &m.correlations[0];
        assert_eq!(
            g.params,
            [
                param(m, "stream.wmo_begeleiding.price_index"),
                param(m, "stream.jeugdhulp.price_index")
            ]
        );
        assert_eq!(g.matrix.get(0, 1), 0.7);
    }
}

// ----- variants ---------------------------------------------------------------

#[test]
fn variant_overrides_a_nested_parameter_of_a_named_level() {
    let s = parse_ok(FULL);
    let base = &s.variants[0];
    let v = variant(&s, "extra preventie");
    let path = "stream.jeugdhulp.level.zwaar.cost_per_month";
    let spec = v.params.get(param(v, path));
    assert_eq!(spec.dist, Dist::pert(2500.0, 3000.0, 4000.0, 4.0).unwrap());
    assert_eq!(
        spec.line,
        line_of(FULL, "stream.jeugdhulp.level.zwaar.cost_per_month =")
    );
    // The base is untouched, and so is the other stream's level of that name.
    assert_eq!(
        dist(base, path),
        Dist::lognormal_mean_sd(3000.0, 500.0).unwrap()
    );
    assert_eq!(
        dist(v, "stream.wmo_begeleiding.level.zwaar.cost_per_month"),
        fixed(2500.0)
    );
    assert_eq!(dist(v, "prevention.budget"), fixed(400000.0));
    assert_eq!(v.params.len(), base.params.len());
}

#[test]
fn variant_overrides_a_level_by_name() {
    let s = parse_ok(FULL);
    let v = variant(&s, "ontschot");
    let spec = v.params.get(v.streams[0].levels[1].mean_duration_months);
    assert_eq!(spec.dist, fixed(10.0));
    assert_eq!(
        spec.line,
        line_of(FULL, "level.maatwerk.mean_duration_months = 10")
    );
    // Its neighbours keep the base's values.
    assert_eq!(
        v.params.get(v.streams[0].levels[1].escalation).dist,
        fixed(0.01)
    );
    assert_eq!(
        v.params
            .get(v.streams[0].levels[2].mean_duration_months)
            .dist,
        fixed(9.0)
    );
    assert_eq!(dist(v, "stratum.paar.growth"), fixed(0.01));
}

#[test]
fn variant_replaces_a_plain_value_by_a_distribution_and_back() {
    let s = parse_ok(FULL);
    let v = variant(&s, "extra preventie");
    let ceiling = v.params.get(v.budget.ceiling);
    assert_eq!(ceiling.dist, Dist::uniform(6e6, 7e6).unwrap());
    assert_eq!(ceiling.source.as_deref(), Some("raming"));
    assert_eq!(ceiling.line, line_of(FULL, "budget.ceiling = { dist"));
    // A plain number replaces a distribution, source and all.
    let o = variant(&s, "ontschot");
    let pi = o.params.get(param(o, "stream.wmo_begeleiding.price_index"));
    assert_eq!((pi.dist.clone(), pi.source.clone()), (fixed(0.05), None));
}

#[test]
fn variant_switches_to_a_siloed_budget() {
    let s = parse_ok(FULL);
    let v = variant(&s, "ontschot");
    let BudgetMode::Siloed { shares } = &v.budget.mode else {
        panic!("expected siloed, got {:?}", v.budget.mode);
    };
    let values: Vec<Dist> = shares
        .iter()
        .map(|&p| v.params.get(p).dist.clone())
        .collect();
    assert_eq!(values, [fixed(0.45), fixed(0.55)]);
    assert_eq!(v.params.get(shares[1]).path, "budget.shares.jeugdhulp");
    // Registered right after the indexation.
    let idx = param(v, "budget.indexation").idx();
    assert_eq!(shares[0].idx(), idx + 1);
    assert_eq!(s.variants[0].budget.mode, BudgetMode::Pooled);
}

#[test]
fn budget_before_defaults_to_the_base_budget() {
    let s = parse_ok(FULL);
    let base_budget = Dist::uniform(100000.0, 200000.0).unwrap();
    for m in &s.variants {
        let before = m.params.get(m.prevention.budget_before);
        assert_eq!(before.path, "prevention.budget_before");
        assert_eq!(before.dist, base_budget, "{}", m.variant);
        // Drawn from the budget's stream: the same value as the base budget.
        assert_eq!(before.draw_key(), "prevention.budget");
    }
    // The variant that raises the budget ramps up from the old level.
    let v = variant(&s, "extra preventie");
    assert_eq!(v.params.get(v.prevention.budget).dist, fixed(400000.0));

    // Given explicitly, it is used as written, in base and variants.
    let text = SMALL.replace("budget = 50000", "budget = 50000\nbudget_before = 20000")
        + "\n[[variant]]\nname = \"meer\"\nprevention.budget = 90000\n";
    let s = parse_ok(&text);
    for m in &s.variants {
        let before = m.params.get(m.prevention.budget_before);
        assert_eq!(before.dist, fixed(20000.0));
        assert_eq!(before.line, line_of(&text, "budget_before"));
        assert_eq!(before.draw_key(), "prevention.budget_before");
    }
}

#[test]
fn variant_changes_single_fields_of_a_distribution() {
    let text = SMALL.replace(
        "incidence = 0.01",
        "incidence = { dist = \"pert\", min = 0.005, mode = 0.01, max = 0.02, source = \"CBS\" }",
    ) + "\n[[variant]]\nname = \"hoog\"\nstream.wmo.incidence.max = 0.04\n";
    let s = parse_ok(&text);
    let v = variant(&s, "hoog");
    let spec = v.params.get(v.streams[0].incidence);
    assert_eq!(spec.dist, Dist::pert(0.005, 0.01, 0.04, 4.0).unwrap());
    assert_eq!(spec.source.as_deref(), Some("CBS"));
    assert_eq!(
        spec.line,
        line_of(&text, "incidence.max"),
        "where the variant wrote it"
    );
    assert_eq!(
        s.variants[0]
            .params
            .get(s.variants[0].streams[0].incidence)
            .line,
        line_of(&text, "incidence = {")
    );
    // A change that breaks the distribution is reported at the variant's line.
    let bad = text.replace("incidence.max = 0.04", "incidence.max = 0.001");
    let d = parse_err(&bad);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].line, line_of(&bad, "incidence.max"));
    assert!(
        d.0[0]
            .message
            .starts_with("in variant 'hoog': invalid pert distribution"),
        "{d}"
    );
}

#[test]
fn the_example_in_the_format_reference_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md");
    let doc = std::fs::read_to_string(path).expect("docs/scenario-format.md");
    let start = doc.rfind("```toml\n").expect("a toml example") + "```toml\n".len();
    let len = doc[start..].find("```").expect("closed");
    let s = parse_ok(&doc[start..start + len]);
    assert_eq!(s.variants.len(), 3);
    let v = variant(&s, "duurder");
    assert_eq!(
        dist(v, "stream.jeugdhulp.level.zwaar.cost_per_month"),
        Dist::lognormal_mean_sd(7000.0, 1500.0).unwrap()
    );
}

#[test]
fn unknown_stream_in_a_variant_is_reported_at_the_variant_line() {
    let text = SMALL.to_string() + "\n[[variant]]\nname = \"x\"\nstream.wno.incidence = 0.02\n";
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    let p = &d.0[0];
    // At the element name in `stream.wno.incidence`.
    assert_eq!((p.line, p.column), (line_of(&text, "stream.wno"), 8));
    assert_eq!(p.key, "stream.wno");
    assert!(
        p.message
            .starts_with("in variant 'x': there is no stream named 'wno'"),
        "{d}"
    );
    assert!(p.message.contains("did you mean `wmo`?"), "{d}");
}

#[test]
fn unknown_level_in_a_variant_is_reported() {
    let text = SMALL.to_string()
        + "\n[[variant]]\nname = \"x\"\nstream.wmo.level.zwaar.cost_per_month = 1\n";
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].key, "stream.wmo.level.zwaar");
    assert_eq!(d.0[0].line, line_of(&text, "level.zwaar"));
    assert!(
        d.0[0].message.contains("valid names: `basis`, `maatwerk`"),
        "{d}"
    );
}

#[test]
fn a_variant_may_not_set_meta_correlation_or_variant() {
    let text = SMALL.to_string()
        + "\n[[variant]]\nname = \"x\"\nmeta.horizon_years = 10\n\
           correlation = []\nvariant.name = \"y\"\n";
    let d = parse_err(&text);
    let found: Vec<(usize, &str)> = d.iter().map(|p| (p.line, p.key.as_str())).collect();
    assert_eq!(
        found,
        [
            (line_of(&text, "meta.horizon_years"), "meta"),
            (line_of(&text, "correlation ="), "correlation"),
            (line_of(&text, "variant.name"), "variant"),
        ]
    );
    assert!(d.iter().all(|p| {
        p.message
            .starts_with("in variant 'x': a variant cannot set")
    }));
}

#[test]
fn a_problem_of_the_base_is_reported_once_not_per_variant() {
    let text = SMALL.replace("households = 1000", "households = -1")
        + "\n[[variant]]\nname = \"a\"\nbudget.ceiling = 5\n\n[[variant]]\nname = \"b\"\n";
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].key, "stratum.alle.households");
    assert!(!d.0[0].message.contains("variant"), "{d}");
}

#[test]
fn a_problem_caused_by_a_variant_names_the_variant() {
    // The variant sets escalation on the top level, which the base leaves at 0.
    let text = SMALL.to_string()
        + "\n[[variant]]\nname = \"escalerend\"\nstream.wmo.level.maatwerk.escalation = 0.1\n";
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    let p = &d.0[0];
    assert_eq!(p.line, line_of(&text, "maatwerk.escalation"));
    assert_eq!(p.key, "stream.wmo.level.maatwerk.escalation");
    assert!(
        p.message
            .starts_with("in variant 'escalerend': must be 0 on the top level"),
        "{d}"
    );
}

#[test]
fn a_variant_switching_to_siloed_without_shares_is_reported() {
    let text = SMALL.to_string() + "\n[[variant]]\nname = \"silo\"\nbudget.mode = \"siloed\"\n";
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].key, "budget.shares");
    assert!(
        d.0[0]
            .message
            .starts_with("in variant 'silo': missing required key `shares`"),
        "{d}"
    );
}

// ----- the corpus of bad files -----------------------------------------------

/// One `# expect: <line>:<key>: <substring>` line.
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
fn bad_scenarios_report_exactly_the_expected_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/bad_scenarios exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "only {} bad scenarios", files.len());
    let mut failures = Vec::new();
    let mut most = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{name} has no `# expect:` lines");
        most = most.max(expected.len());
        let got = match scenario::parse_bytes(&bytes, &name) {
            Ok(_) => {
                failures.push(format!("{name}: accepted, expected {expected:?}"));
                continue;
            }
            Err(d) => d,
        };
        assert!(got.iter().all(|d| d.file == name));
        // Each expectation matched by its own problem, and nothing else.
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
    assert!(most >= 5, "no bad scenario with 5 or more problems at once");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ----- output format ----------------------------------------------------------

#[test]
fn diagnostics_display_as_file_line_column_key_message() {
    let text = SMALL.replace("incidence = 0.01", "incidence = 7");
    let d = scenario::parse(&text, "voorbeeldwijk.toml").unwrap_err();
    let line = line_of(&text, "incidence = 7");
    assert_eq!(
        d.to_string(),
        format!(
            "voorbeeldwijk.toml:{line}:13: stream.wmo.incidence: must be in [0, 5], got 7\n\
             1 problem found in voorbeeldwijk.toml\n"
        )
    );
    let e: &dyn std::error::Error = &d;
    assert!(e.to_string().contains("problem found"));
}

#[test]
fn problems_are_sorted_by_line_and_column() {
    let text = SMALL
        .replace("ceiling = 1000000", "ceiling = -1")
        .replace("horizon_years = 3", "horizon_years = 0")
        .replace("households = 1000", "households = 1000\nwhatever = 1");
    let d = parse_err(&text);
    let positions: Vec<(usize, usize)> = d.iter().map(|p| (p.line, p.column)).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
    assert_eq!(d.len(), 3, "{d}");
}

// ----- robustness -------------------------------------------------------------

#[test]
fn empty_file_reports_the_missing_sections() {
    let d = parse_err("");
    let keys: Vec<&str> = d.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["meta", "stratum", "stream", "budget"]);
    assert!(d.iter().all(|p| (p.line, p.column) == (1, 1)));
}

#[test]
fn binary_junk_is_rejected() {
    // Not UTF-8.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let d = scenario::parse_bytes(&junk, "junk.bin").unwrap_err();
    assert_eq!(d.len(), 1);
    // UTF-8, but control characters and stray brackets.
    let text = "\u{0}\u{1}\u{7f} = ]] [[[ \"\n".repeat(50);
    let d = parse_err(&text);
    assert!(!d.is_empty());
    assert!(d.iter().all(|p| p.message.starts_with("TOML syntax error")));
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let bytes = b"[meta]\nname = \"a\xffb\"\n";
    let d = scenario::parse_bytes(bytes, "x.toml").unwrap_err();
    assert_eq!(d.len(), 1);
    let p = &d.0[0];
    // `name = "a` is 9 characters: the bad byte is in column 10 of line 2.
    assert_eq!((p.line, p.column), (2, 10));
    assert!(p.message.contains("offset 16"), "{}", p.message);
    // A truncated multi-byte character at the very end.
    let d = scenario::parse_bytes(b"a = \"\xc3", "x.toml").unwrap_err();
    assert_eq!((d.0[0].line, d.0[0].column), (1, 6));
}

#[test]
fn deeply_nested_arrays_are_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let text = format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let d = parse_err(&text);
    assert!(d.iter().any(|p| p.message.contains("nested")), "{d}");
    let text = format!("{} = 1\n", vec!["a"; depth].join("."));
    let d = parse_err(&text);
    assert!(d.iter().any(|p| p.message.contains("nested")), "{d}");
    let text = format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth));
    let d = parse_err(&text);
    assert!(d.iter().any(|p| p.message.contains("nested")), "{d}");
}

#[test]
fn nesting_limit_is_64() {
    let nested =
        |depth: usize| format!("{SMALL}deep = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    // The key `deep` is one level, each array one more.
    let d = parse_err(&nested(63));
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.0[0].message.starts_with("unknown key `deep`"), "{d}");
    let d = parse_err(&nested(64));
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.0[0].message.contains("nested more than 64 levels"), "{d}");
}

#[test]
fn very_long_strings_are_reported_without_being_echoed() {
    let long = "x".repeat(200_000);
    let text = SMALL.replace("name = \"klein\"", &format!("name = \"{long}\""));
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.0[0].message.contains("200000 characters"));
    assert!(d.0[0].message.len() < 300, "{}", d.0[0].message.len());
    // A long unknown key and a long unknown stream name, too.
    let text =
        SMALL.to_string() + &format!("\n[[variant]]\nname = \"v\"\nstream.{long}.incidence = 1\n");
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.to_string().len() < 400);
    let text = format!("{long} = 1\n{SMALL}");
    let d = parse_err(&text);
    assert!(d.to_string().len() < 600);
}

#[test]
fn negative_zero_reads_as_zero() {
    let text = SMALL.replace("households = 1000", "households = 1000\ngrowth = -0.0");
    let s = parse_ok(&text);
    let m = &s.variants[0];
    match m.params.get(m.strata[0].growth).dist {
        Dist::Fixed { value } => assert!(value == 0.0 && value.is_sign_positive()),
        ref d => panic!("{d:?}"),
    }
}

#[test]
fn special_floats_and_absurd_numbers_are_rejected() {
    for (value, needle) in [
        ("nan", "finite"),
        ("+inf", "finite"),
        ("-inf", "finite"),
        ("1e400", "finite"),
        ("1e300", "must be in [0, 100000000]"),
        ("-1", "must be in [0, 100000000]"),
        (
            "99999999999999999999999999999999999999999999",
            "must be in [0, 100000000]",
        ),
    ] {
        let text = SMALL.replace("households = 1000", &format!("households = {value}"));
        let d = parse_err(&text);
        assert_eq!(d.len(), 1, "{value}: {d}");
        assert!(d.0[0].message.contains(needle), "{value}: {d}");
        let echo: String = value.chars().take(40).collect();
        assert!(
            d.0[0].message.contains(&echo),
            "the value is echoed as written: {d}"
        );
    }
}

#[test]
fn seed_takes_the_whole_u64_range() {
    let text = SMALL.replace(
        "horizon_years = 3",
        "horizon_years = 3\nseed = 18446744073709551615",
    );
    assert_eq!(parse_ok(&text).seed, u64::MAX);
    for bad in ["18446744073709551616", "-1", "1.5", "\"42\""] {
        let text = SMALL.replace(
            "horizon_years = 3",
            &format!("horizon_years = 3\nseed = {bad}"),
        );
        let d = parse_err(&text);
        assert_eq!(
            (d.len(), d.0[0].key.as_str()),
            (1, "meta.seed"),
            "{bad}: {d}"
        );
    }
}

#[test]
fn files_over_one_mebibyte_are_refused() {
    let mut text = SMALL.to_string();
    text.push('#');
    text.push_str(&" ".repeat(MAX_FILE_BYTES - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), MAX_FILE_BYTES);
    parse_ok(&text);
    scenario::parse_bytes(text.as_bytes(), "big.toml").expect("exactly 1 MiB is accepted");
    text.push('\n');
    for d in [
        scenario::parse(&text, "big.toml").unwrap_err(),
        scenario::parse_bytes(text.as_bytes(), "big.toml").unwrap_err(),
    ] {
        assert_eq!(d.len(), 1);
        assert!(d.0[0].message.contains("at most 1048576 bytes"), "{d}");
    }
}

#[test]
fn a_variant_name_is_only_text() {
    let text =
        SMALL.to_string() + "\n[[variant]]\nname = \"../../etc/passwd\"\nbudget.ceiling = 5\n";
    let s = parse_ok(&text);
    assert_eq!(s.variants[1].variant, "../../etc/passwd");
    let text = SMALL.to_string() + "\n[[variant]]\nname = \"a\\nb\"\n";
    let d = parse_err(&text);
    assert!(d.0[0].message.contains("control characters"), "{d}");
}

#[test]
fn too_many_variants_are_refused_quickly() {
    let mut text = SMALL.to_string();
    for i in 0..300 {
        text.push_str(&format!(
            "\n[[variant]]\nname = \"v{i}\"\nbudget.ceiling = {i}\n"
        ));
    }
    let d = parse_err(&text);
    assert_eq!(d.len(), 1, "{d}");
    assert!(d.0[0].message.contains("at most 256 variants"), "{d}");
}

#[test]
fn many_problems_in_the_base_are_reported_once_despite_many_variants() {
    // SMALL ends in [budget]: these keys are unknown there.
    let mut text = SMALL.to_string();
    for i in 0..5000 {
        text.push_str(&format!("k{i} = {i}\n"));
    }
    for i in 0..50 {
        text.push_str(&format!(
            "\n[[variant]]\nname = \"v{i}\"\nstream.wmo.incidence = 0.02\n"
        ));
    }
    let d = parse_err(&text);
    assert_eq!(d.len(), 5000);
    assert!(
        d.iter()
            .all(|p| p.key.starts_with("budget.k") && !p.message.contains("variant"))
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Arbitrary text never panics.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            let _ = scenario::parse(&text, "fuzz.toml");
        }

        /// Arbitrary bytes never panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = scenario::parse_bytes(&bytes, "fuzz.toml");
        }

        /// Cutting a piece out of a valid scenario never panics, and every
        /// problem points inside the file.
        #[test]
        fn mutilated_scenarios_never_panic(a in 0..FULL.len(), len in 0usize..40) {
            let mut bytes = FULL.as_bytes().to_vec();
            let end = (a + len).min(bytes.len());
            bytes.drain(a..end);
            if let Err(d) = scenario::parse_bytes(&bytes, "fuzz.toml") {
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
                prop_assert!(!d.is_empty());
                for p in d.iter() {
                    prop_assert!(p.line >= 1 && p.line <= lines && p.column >= 1, "{}", p);
                }
            }
        }
    }
}
