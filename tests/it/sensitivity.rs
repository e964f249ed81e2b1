//! Sensitivity analysis of a small scenario through the engine.

use wijkbudget::dist::Dist;
use wijkbudget::export::sensitivity as export;
use wijkbudget::model::Scenario;
use wijkbudget::sensitivity::report::{InputKind, Report};
use wijkbudget::sensitivity::{Methods, Plan, PlanError, Request};

use crate::common::{Spec, check_png, svg_text};

/// A small wijk with four uncertain parameters: one strong (incidence), one
/// that cannot matter (case-finding without a prevention budget) and two
/// correlated price indices; and a variant that differs only in its ceiling.
fn spec() -> Spec {
    Spec {
        horizon_years: 2,
        households: [400.0, 200.0],
        parameter_uncertainty: true,
        uncertain: vec![
            ("stream.wmo.incidence", Dist::uniform(0.01, 0.04).unwrap()),
            (
                "stream.wmo.prevention.case_finding",
                Dist::uniform(0.0, 0.5).unwrap(),
            ),
            ("stream.wmo.price_index", Dist::uniform(0.0, 0.08).unwrap()),
            (
                "stream.jeugd.price_index",
                Dist::uniform(0.0, 0.08).unwrap(),
            ),
        ],
        correlations: vec![(
            vec!["stream.wmo.price_index", "stream.jeugd.price_index"],
            vec![vec![1.0, 0.8], vec![0.8, 1.0]],
        )],
        ceiling: 4.0e5,
        ..Spec::default()
    }
}

fn scenario() -> Scenario {
    let base = spec().build("basis");
    let tight = Spec {
        ceiling: 3.0e5,
        ..spec()
    }
    .build("krap");
    Scenario {
        name: "klein".into(),
        description: String::new(),
        replications: 200,
        seed: 5,
        variants: vec![base, tight],
    }
}

fn request(sc: &Scenario) -> Request {
    Request {
        samples: 48,
        process_reps: 4,
        morris_trajectories: 6,
        bootstrap: 200,
        rank_replications: 200,
        outputs: vec![
            "total_cost".into(),
            "p_overrun".into(),
            "saving:krap".into(),
        ],
        groups: vec![("prijzen".into(), "*.price_index".into())],
        ..Request::defaults(sc)
    }
}

fn run(sc: &Scenario, req: &Request) -> Report {
    Plan::new(sc, None, req)
        .unwrap()
        .run(&wijkbudget::engine::NoProgress)
}

#[test]
fn results_are_bit_identical_for_one_and_two_threads() {
    let sc = scenario();
    let req = request(&sc);
    let with = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run(&sc, &req))
    };
    let (one, two) = (with(1), with(2));
    // The JSON prints every number's shortest round-trip text: equal text is
    // equal bits.
    let json = |r: &Report| serde_json::to_string(r).unwrap();
    assert_eq!(json(&one), json(&two));
    let other = run(
        &sc,
        &Request {
            seed: 6,
            ..req.clone()
        },
    );
    assert_ne!(json(&one), json(&other));
}

#[test]
fn a_parameter_that_cannot_matter_gets_zero_and_the_strong_one_leads() {
    let sc = scenario();
    let r = run(&sc, &request(&sc));
    let null = "stream.wmo.prevention.case_finding";
    let strong = "stream.wmo.incidence";
    let cost = |t: &str| t == "total_cost";
    // Common random numbers: moving a parameter the model never reads leaves
    // every replication bit for bit the same.
    let tornado = r.tornado.iter().find(|t| cost(&t.output)).unwrap();
    let row = |input: &str| tornado.rows.iter().find(|x| x.input == input).unwrap();
    assert_eq!(row(null).swing, 0.0);
    assert_eq!(tornado.rows[0].input, strong);
    assert!(row(strong).output_high > row(strong).output_low);
    let sobol = r.sobol.iter().find(|t| cost(&t.output)).unwrap();
    let s = |input: &str| sobol.rows.iter().find(|x| x.input == input).unwrap();
    assert_eq!(s(null).total, 0.0);
    assert!(s(null).first_order_low <= 0.0 && 0.0 <= s(null).first_order_high);
    assert_eq!(sobol.rows[0].input, strong);
    assert!(s(strong).total_low > 0.5, "{:?}", s(strong));
    let morris = r.morris.iter().find(|t| cost(&t.output)).unwrap();
    let m = |input: &str| morris.rows.iter().find(|x| x.input == input).unwrap();
    assert_eq!(m(null).mu_star, 0.0);
    assert!(m(strong).mu > 0.0);
    // The rank correlation of the strong parameter is clearly positive.
    let rank = r.rank.iter().find(|t| cost(&t.output)).unwrap();
    assert_eq!(rank.rows[0].input, strong);
    assert!(rank.rows[0].spearman > 0.5);
}

#[test]
fn correlated_parameters_are_one_input_and_say_so() {
    let sc = scenario();
    let r = run(&sc, &request(&sc));
    assert!(!r.independence.independent);
    assert!(
        r.independence
            .warning
            .as_deref()
            .unwrap()
            .contains("independent")
    );
    let sobol = &r.sobol[0];
    let corr: Vec<_> = sobol
        .rows
        .iter()
        .filter(|x| x.kind == InputKind::Correlated)
        .collect();
    assert_eq!(corr.len(), 1);
    assert_eq!(
        corr[0].members,
        vec!["stream.wmo.price_index", "stream.jeugd.price_index"]
    );
    // Members of a correlation group get no Sobol index of their own.
    assert!(
        !sobol
            .rows
            .iter()
            .any(|x| x.input == "stream.wmo.price_index")
    );
    // The user's group covers the same two parameters.
    let group = sobol.rows.iter().find(|x| x.input == "prijzen").unwrap();
    assert_eq!(group.kind, InputKind::Group);
    assert_eq!(group.total, corr[0].total);
    // The tornado still moves each parameter on its own.
    assert!(
        r.tornado[0]
            .rows
            .iter()
            .any(|x| x.input == "stream.wmo.price_index" && x.kind == InputKind::Parameter)
    );
}

#[test]
fn the_saving_of_a_variant_that_costs_the_same_is_exactly_zero() {
    // The tight variant changes the ceiling only, which does not change the
    // cost: paired at the same parameter values and replications, the saving
    // is zero at every point, so no parameter explains any of it.
    let sc = scenario();
    let r = run(&sc, &request(&sc));
    let out = r.outputs.iter().find(|o| o.key == "saving:krap").unwrap();
    assert_eq!(out.at_median, 0.0);
    assert_eq!(out.baseline.as_deref(), Some("basis"));
    let t = r
        .tornado
        .iter()
        .find(|t| t.output == "saving:krap")
        .unwrap();
    assert!(t.rows.iter().all(|x| x.swing == 0.0));
    let s = r.sobol.iter().find(|t| t.output == "saving:krap").unwrap();
    assert_eq!(s.variance, 0.0);
    // Its overrun probability does differ from the baseline's.
    let p = r.outputs.iter().find(|o| o.key == "p_overrun").unwrap();
    assert!((0.0..=1.0).contains(&p.at_median));
    // P(overrun) at a point is a share of R replications.
    let t = r.tornado.iter().find(|t| t.output == "p_overrun").unwrap();
    for x in &t.rows {
        let k = x.output_low * 4.0;
        assert_eq!(k, k.round());
    }
}

#[test]
fn bad_names_are_all_reported_with_suggestions() {
    let sc = scenario();
    let req = Request {
        params: vec!["stream.wmo.incidense".into(), "budget.ceiling".into()],
        outputs: vec!["total_cots".into()],
        variant: Some("krapp".into()),
        ..request(&sc)
    };
    let Err(PlanError::Invalid(problems)) = Plan::new(&sc, None, &req) else {
        panic!("expected invalid");
    };
    let text = problems.join("\n");
    for want in [
        "did you mean `stream.wmo.incidence`",
        "`budget.ceiling` is a fixed number",
        "did you mean `total_cost`",
        "did you mean `krap`",
        "parameters that can be analysed",
    ] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
}

#[test]
fn absurd_sizes_are_refused_before_anything_runs() {
    let sc = scenario();
    let req = Request {
        samples: 50_000_000,
        process_reps: 1000,
        ..request(&sc)
    };
    let err = Plan::new(&sc, None, &req).unwrap_err();
    assert!(
        matches!(err, PlanError::TooLarge { .. } | PlanError::TooSlow { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("--samples"));
}

#[test]
fn the_files_describe_themselves_and_read_back() {
    let sc = scenario();
    let req = Request {
        methods: Methods {
            morris: false,
            ..Methods::ALL
        },
        ..request(&sc)
    };
    let plan = Plan::new(&sc, None, &req).unwrap();
    let cost = plan.cost();
    let counted = std::sync::atomic::AtomicU64::new(0);
    let r = plan.run(&|n| {
        counted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    });
    // The progress reports exactly the replications announced.
    assert_eq!(counted.into_inner(), cost.replications());
    assert_eq!(r.model_runs.total, cost.replications());
    let files = export::files(&r).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "sensitivity.json",
            "sensitivity_tornado.csv",
            "sensitivity_sobol.csv",
            "sensitivity_rank.csv"
        ]
    );
    let back: Report = serde_json::from_slice(&files[0].bytes).unwrap();
    assert_eq!(back.outputs.len(), 3);
    assert_eq!(back.outputs[0].label_nl, r.outputs[0].label_nl);
    assert_eq!(back.sobol.len(), 3);
    assert!(back.morris.is_empty());
    let nl = export::console(&r, wijkbudget::locale::Lang::Nl);
    assert!(
        nl.contains("verwachte totale kosten") && nl.contains("€ "),
        "{nl}"
    );
    let en = export::console(&r, wijkbudget::locale::Lang::En);
    assert!(en.contains("expected total cost"), "{en}");
}

#[test]
fn every_sensitivity_chart_is_a_valid_png_and_svg_with_its_title_and_top_input() {
    use wijkbudget::charts;
    use wijkbudget::locale::Lang;
    let sc = scenario();
    let r = run(&sc, &request(&sc));
    // Read back as `report DIR` does.
    let r: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    let made = charts::for_sensitivity(&r, Lang::Nl, Some("2026-11-25")).unwrap();
    let mut want = Vec::new();
    for (i, o) in r.outputs.iter().enumerate() {
        for m in ["tornado", "sobol", "morris"] {
            want.push(format!("sens-{m}-{}-{}", i + 1, charts::slug(&o.key)));
        }
    }
    let mut got: Vec<String> = made.iter().map(|c| c.id.clone()).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    for c in &made {
        check_png(c);
        let text = svg_text(&c.svg);
        assert!(
            text.contains(&c.title),
            "{}: title '{}' not in {text}",
            c.id,
            c.title
        );
        assert!(text.contains("Bron: wijkbudget"), "{}: {text}", c.id);
        // The output's most influential input by this method is named.
        let method = c.id.split('-').nth(1).unwrap();
        let key = &r.outputs[c.id.split('-').nth(2).unwrap().parse::<usize>().unwrap() - 1].key;
        let top = match method {
            "tornado" => &r.tornado.iter().find(|t| &t.output == key).unwrap().rows[0].input,
            "sobol" => &r.sobol.iter().find(|t| &t.output == key).unwrap().rows[0].input,
            _ => &r.morris.iter().find(|t| &t.output == key).unwrap().rows[0].input,
        };
        assert!(text.contains(top.as_str()), "{}: {top} not in {text}", c.id);
        assert!(c.title.contains(top.as_str()), "{}: {}", c.id, c.title);
    }
    // The tornado of the total cost: Dutch euro axis; P(overrun): percent.
    let t = |id: &str| svg_text(&made.iter().find(|c| c.id == id).unwrap().svg);
    assert!(t("sens-tornado-1-total-cost").contains("€"));
    assert!(t("sens-tornado-2-p-overrun").contains('%'));
    assert!(t("sens-sobol-1-total-cost").contains("95%-interval"));
    let en = charts::for_sensitivity(&r, Lang::En, None).unwrap();
    assert!(en[0].title.contains("depends most on"), "{}", en[0].title);
}

#[test]
fn the_report_section_names_the_top_driver_and_escapes_scenario_text() {
    use wijkbudget::charts;
    use wijkbudget::locale::Lang;
    use wijkbudget::report::sensitivity::section;
    let sc = scenario();
    let r = run(&sc, &request(&sc));
    let json = serde_json::to_string(&r)
        .unwrap()
        .replace("stream.wmo.incidence", "stream.<script>&.incidence");
    let mut r: Report = serde_json::from_str(&json).unwrap();
    r.parameters[0].source = Some("CBS <script>alert(1)</script> & co".into());
    r.outputs[0].label_nl = "kosten <b>&".into();
    let made = charts::for_sensitivity(&r, Lang::Nl, None).unwrap();
    for c in &made {
        assert!(!c.svg.contains("<script"), "{}", c.id);
        let text = svg_text(&c.svg);
        if !c.id.starts_with("sens-morris") {
            assert!(text.contains("stream.<script>&.incidence"), "{}", c.id);
        }
    }
    let sec = section(&r, &made, Lang::Nl);
    assert_eq!(sec.title, "Gevoeligheid");
    let h = &sec.html;
    assert!(!h.contains("<script") && !h.contains("<b>"), "unescaped");
    assert!(h.contains("<code>stream.&lt;script&gt;&amp;.incidence</code>"));
    assert!(h.contains("CBS &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(h.contains("kosten &lt;b&gt;&amp;"));
    assert!(h.contains("hangt het meest af van"));
    // Every chart is inline, once.
    assert_eq!(h.matches("<svg").count(), made.len());
}

mod cli {
    use assert_cmd::Command;

    fn bin() -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wijkbudget"));
        c.env_remove("NO_COLOR");
        c
    }

    const PARAMS: &str = "stream.jeugdhulp.incidence,stream.jeugdhulp.level.ambulant.cost_per_month,stream.wmo_begeleiding.price_index,stream.jeugdhulp.price_index";

    #[test]
    fn the_command_writes_its_files_and_a_dutch_table() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("gevoelig");
        let a = bin()
            .args([
                "sensitivity",
                "--params",
                PARAMS,
                "--samples",
                "8",
                "--process-reps",
                "2",
                "--trajectories",
                "3",
                "-n",
                "40",
                "--group",
                "jeugd=stream.jeugdhulp.*",
                "--output",
                "total_cost,saving:extra preventie",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(
            stdout.contains("€ ") && stdout.contains("zwaai"),
            "{stdout}"
        );
        assert!(stdout.contains("onafhankelijke invoer"), "{stdout}");
        // The cost is announced before the run.
        assert!(stderr.contains("will simulate"), "{stderr}");
        for f in [
            "sensitivity.json",
            "sensitivity_tornado.csv",
            "sensitivity_sobol.csv",
            "sensitivity_morris.csv",
            "sensitivity_rank.csv",
        ] {
            assert!(out.join(f).metadata().unwrap().len() > 0, "{f}");
        }
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("sensitivity.json")).unwrap()).unwrap();
        assert_eq!(json["parameters"].as_array().unwrap().len(), 4);
        assert_eq!(json["independence"]["independent"], false);
        assert_eq!(json["outputs"][1]["key"], "saving:extra preventie");
        let sobol = std::fs::read_to_string(out.join("sensitivity_sobol.csv")).unwrap();
        assert!(
            sobol.lines().any(|l| l.contains(",jeugd,group,")),
            "{sobol}"
        );
        let leftovers = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn a_bad_parameter_exits_2_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("niets");
        let a = bin()
            .args([
                "sensitivity",
                "--params",
                "stream.jeugdhulp.incidense",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(
            stderr.contains("did you mean `stream.jeugdhulp.incidence`"),
            "{stderr}"
        );
        assert!(
            stderr.contains("parameters that can be analysed"),
            "{stderr}"
        );
        assert!(!out.exists());
        bin()
            .args(["sensitivity", "--samples", "1"])
            .assert()
            .code(2);
    }
}
