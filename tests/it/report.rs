//! Charts and rapport.html: valid PNG and SVG with their titles and labels,
//! the report's numbers, escaping, and `wijkbudget report DIR`.

use std::path::Path;
use std::sync::OnceLock;

use assert_cmd::Command;

use wijkbudget::charts::{self, Chart};
use wijkbudget::locale::{self, Lang};
use wijkbudget::model::Model;
use wijkbudget::report::{self, Report};
use wijkbudget::results::{self, Summary};
use wijkbudget::{EXAMPLE_SCENARIO, scenario};

use crate::common;

fn summary_of(text: &str, replications: u32) -> Summary {
    let sc = scenario::parse(text, "test.toml").expect("a valid scenario");
    let models: Vec<&Model> = sc.variants.iter().collect();
    let runs: Vec<_> = models
        .iter()
        .map(|m| common::simulate(m, replications, sc.seed))
        .collect();
    results::summarize(&sc, &models, &runs, Some("test.toml"))
}

/// The example's summary, read back from its JSON as `report DIR` does.
fn example() -> &'static Summary {
    static S: OnceLock<Summary> = OnceLock::new();
    S.get_or_init(|| {
        let s = summary_of(EXAMPLE_SCENARIO, 300);
        let json = serde_json::to_string(&s).unwrap();
        serde_json::from_str(&json).expect("summary.json reads back")
    })
}

fn example_charts() -> &'static [Chart] {
    static C: OnceLock<Vec<Chart>> = OnceLock::new();
    C.get_or_init(|| charts::for_summary(example(), Lang::Nl, Some("2026-11-25")).unwrap())
}

#[test]
fn summary_json_reads_back_unchanged() {
    let s = summary_of(EXAMPLE_SCENARIO, 50);
    let json = serde_json::to_string_pretty(&s).unwrap();
    let back: Summary = serde_json::from_str(&json).unwrap();
    let again = serde_json::to_string_pretty(&back).unwrap();
    let diff: Vec<_> = json
        .lines()
        .zip(again.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .take(5)
        .collect();
    assert!(diff.is_empty(), "first differences: {diff:?}");
    assert_eq!(json.lines().count(), again.lines().count());
    // The histogram of the paired difference counts every replication.
    for c in &s.comparisons {
        assert_eq!(c.total_cost_difference_histogram.total(), 50);
    }
}

#[test]
fn every_chart_of_the_example_is_a_valid_png_and_svg_with_its_title_and_labels() {
    let s = example();
    let charts = example_charts();
    let mut ids: Vec<String> = vec!["overrun-chance".into(), "total-cost".into()];
    ids.extend(
        s.comparisons
            .iter()
            .enumerate()
            .map(|(i, c)| format!("saving-{}-{}", i + 2, charts::slug(&c.variant))),
    );
    for kind in ["fan", "streams"] {
        ids.extend(
            s.variants
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{kind}-{}-{}", i + 1, charts::slug(&v.name))),
        );
    }
    ids.extend(["escalations".into(), "waiting-list".into()]);
    let mut got: Vec<String> = charts.iter().map(|c| c.id.clone()).collect();
    got.sort();
    ids.sort();
    assert_eq!(got, ids);
    for c in charts {
        // PNG: signature, decodes, 1600×900, not blank.
        common::check_png(c);
        // SVG: parses, holds the title, the source line and the axis labels.
        let text = common::svg_text(&c.svg);
        assert!(!c.title.is_empty());
        assert!(
            text.contains(&c.title),
            "{}: title '{}' not in {text}",
            c.id,
            c.title
        );
        assert!(text.contains("Bron: wijkbudget"), "{}: {text}", c.id);
        assert!(text.contains("seed 20261122"), "{}: {text}", c.id);
        let labels: &[&str] = match c.id.split('-').next().unwrap() {
            "fan" => &["Jaar", "Zorguitgaven per jaar", "mediaan", "plafond", "€"],
            "streams" => &[
                "Jaar",
                "Gemiddelde zorguitgaven per jaar",
                "Jeugdhulp",
                "mln",
            ],
            "overrun" => &[
                "Jaar",
                "Kans op een tekort in het jaar",
                "%",
                "huidig beleid",
            ],
            "total" => &["Totale kosten 2027–2031", "mediaan", "huidig beleid", "mln"],
            "saving" => &[
                "Besparing op de totale kosten",
                "Kans op besparing",
                "%",
                "€",
            ],
            "escalations" => &["Jaar", "Escalaties per jaar", "wachtlijst"],
            "waiting" => &["Jaar", "Wachtenden eind van het jaar", "wachtlijst"],
            other => panic!("unexpected chart kind {other}"),
        };
        for l in labels {
            assert!(text.contains(l), "{}: '{l}' not in {text}", c.id);
        }
    }
}

#[test]
fn chart_titles_state_the_finding_with_dutch_numbers() {
    let s = example();
    let charts = example_charts();
    let title = |id: &str| {
        charts
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.title.clone())
            .unwrap()
    };
    let base = &s.variants[0];
    let last = base.years.last().unwrap();
    assert!(
        title("fan-1-huidig-beleid").contains(&locale::percent(last.p_overrun.p, 1, Lang::Nl)),
        "{}",
        title("fan-1-huidig-beleid")
    );
    let c = &s.comparisons[0];
    let t = title(&format!("saving-2-{}", charts::slug(&c.variant)));
    assert!(
        t.contains(&locale::percent(c.p_saving.p, 1, Lang::Nl)),
        "{t}"
    );
    assert!(
        t.contains(&locale::euro_short(
            c.total_cost_difference.mean.abs(),
            Lang::Nl
        )),
        "{t}"
    );
    // English labels with --lang en.
    let en = charts::for_summary(s, Lang::En, None).unwrap();
    let t = common::svg_text(&en.iter().find(|c| c.id == "overrun-chance").unwrap().svg);
    assert!(
        t.contains("Year") && t.contains("Source: wijkbudget"),
        "{t}"
    );
}

#[test]
fn the_report_holds_every_variant_and_the_key_numbers() {
    let s = example();
    for lang in [Lang::Nl, Lang::En] {
        let html = report::render(&Report {
            summary: s,
            charts: example_charts(),
            lang,
            date: Some("2026-11-25"),
            sections: &[],
        });
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        for v in &s.variants {
            let hl = &v.headline;
            for needle in [
                report::escape(&v.name),
                locale::percent(hl.p_overrun_any_year.p, 1, lang),
                locale::percent(hl.p_overrun_last_year.p, 1, lang),
                locale::euro(hl.overrun.mean, lang),
                locale::euro(hl.overrun.p95, lang),
                locale::euro(hl.total_cost.mean, lang),
            ] {
                assert!(
                    html.contains(&needle),
                    "{lang:?}: {} lacks {needle}",
                    v.name
                );
            }
            for a in &v.assumptions {
                if let Some(src) = &a.source {
                    assert!(html.contains(&report::escape(src)), "source {src}");
                }
            }
        }
        for c in &s.comparisons {
            let d = &c.total_cost_difference;
            for needle in [
                locale::euro(d.mean, lang),
                locale::euro(d.p5, lang),
                locale::euro(d.p95, lang),
                locale::percent(c.p_saving.p, 1, lang),
            ] {
                assert!(
                    html.contains(&needle),
                    "{lang:?}: {} lacks {needle}",
                    c.variant
                );
            }
        }
        assert!(html.contains(&locale::number(f64::from(s.scenario.replications), 0, lang)));
        assert!(html.contains(&s.scenario.seed.to_string()));
        // Every chart inline.
        for c in example_charts() {
            assert!(html.contains(&format!("id=\"chart-{}\"", c.id)));
        }
        assert_eq!(html.matches("<svg").count(), example_charts().len());
        // Self-contained: no scripts, no external references.
        assert!(!html.to_lowercase().contains("<script"));
        for bad in ["src=", "href=", "url(", "@import", "https:"] {
            assert!(!html.contains(bad), "{bad}");
        }
        let http: Vec<_> = html
            .match_indices("http:")
            .map(|(i, _)| &html[i..i + 30])
            .collect();
        assert!(
            http.iter()
                .all(|h| h.starts_with("http://www.w3.org/2000/svg")),
            "{http:?}"
        );
    }
}

#[test]
fn extra_sections_appear_before_the_assumptions() {
    let s = example();
    let sections = [report::Section {
        id: "gevoeligheid".into(),
        title: "Gevoeligheid <&>".into(),
        html: "<p>Sobol-indices volgen.</p>".into(),
    }];
    let html = report::render(&Report {
        summary: s,
        charts: &[],
        lang: Lang::Nl,
        date: None,
        sections: &sections,
    });
    let at = html
        .find("Sobol-indices volgen.")
        .expect("the section is there");
    assert!(html.contains("<h2>Gevoeligheid &lt;&amp;&gt;</h2>"));
    assert!(at > html.find("id=\"tabellen\"").unwrap());
    assert!(at < html.find("id=\"aannames\"").unwrap());
}

const NASTY: &str = "<script>alert('x')</script> & \"co\"";

#[test]
fn names_and_labels_from_the_scenario_are_escaped() {
    let text = EXAMPLE_SCENARIO
        .replacen(
            "name = \"voorbeeldwijk\"",
            &format!("name = {:?}", format!("Wijk {NASTY}")),
            1,
        )
        .replacen(
            "name = \"extra preventie\"",
            &format!("name = {:?}", format!("preventie {NASTY}")),
            1,
        )
        .replacen(
            "label = \"Jeugdhulp\"",
            &format!("label = {:?}", format!("Jeugd {NASTY}")),
            1,
        );
    assert_ne!(text, EXAMPLE_SCENARIO);
    let mut s = summary_of(&text, 40);
    assert!(s.scenario.name.contains("<script>"));
    assert!(s.variants[1].name.contains("<script>"));
    assert!(
        s.scenario
            .streams
            .iter()
            .any(|st| st.label.contains("<script>"))
    );
    s.variants[0].description = format!("beschrijving {NASTY}");
    if let Some(a) = s.variants[0].assumptions.first_mut() {
        a.source = Some(format!("bron {NASTY}"));
    }
    let charts = charts::for_summary(&s, Lang::Nl, None).unwrap();
    for c in &charts {
        assert!(!c.svg.contains("<script"), "{}", c.id);
        assert!(!c.id.contains('<') && !c.id.contains('&'), "{}", c.id);
        common::svg_text(&c.svg);
    }
    let html = report::render(&Report {
        summary: &s,
        charts: &charts,
        lang: Lang::Nl,
        date: None,
        sections: &[],
    });
    assert!(!html.to_lowercase().contains("<script"), "unescaped script");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
    assert!(html.contains("<title>Wijk &lt;script&gt;"));
    assert!(html.contains("bron &lt;script&gt;"));
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wijkbudget"))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn run_writes_charts_and_report_and_report_renders_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    bin()
        .args(["run", "-n", "30", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    let charts = files_in(&out.join("charts"));
    assert_eq!(charts.len(), 2 * 18, "{charts:?}");
    assert!(
        charts
            .iter()
            .all(|f| f.ends_with(".png") || f.ends_with(".svg"))
    );
    assert!(!files_in(&out).iter().any(|f| f.starts_with('.')));
    assert!(!charts.iter().any(|f| f.starts_with('.')));
    // Rendered again, in English, without simulating.
    std::fs::remove_file(out.join("rapport.html")).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    let summary_before = std::fs::read(out.join("summary.json")).unwrap();
    bin()
        .args(["report", "--lang", "en"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Summary"));
    assert_eq!(files_in(&out.join("charts")), charts);
    assert_eq!(
        std::fs::read(out.join("summary.json")).unwrap(),
        summary_before
    );
}

#[test]
fn report_without_a_valid_summary_exits_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let a = bin().arg("report").arg(dir.path()).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("summary.json") && err.contains("wijkbudget run"),
        "{err}"
    );
    std::fs::write(dir.path().join("summary.json"), "{ not json").unwrap();
    let a = bin().arg("report").arg(dir.path()).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("not valid JSON") && err.contains("line 1"),
        "{err}"
    );
    std::fs::write(dir.path().join("summary.json"), r#"{"schema_version": 99}"#).unwrap();
    let a = bin().arg("report").arg(dir.path()).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("schema_version is 99"), "{err}");
    std::fs::write(dir.path().join("summary.json"), r#"{"schema_version": 1}"#).unwrap();
    let a = bin().arg("report").arg(dir.path()).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("not a wijkbudget summary"), "{err}");
    assert!(!dir.path().join("rapport.html").exists());
    assert!(!dir.path().join("charts").exists());
}

#[test]
fn the_report_has_a_sensitivity_section_only_when_the_analysis_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    bin()
        .args(["run", "-n", "30", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(!html.contains("id=\"gevoeligheid\""));
    // The analysis in its default place inside the run's folder also
    // writes the run's rapport.html again.
    let sens = out.join("sensitivity");
    let a = bin()
        .args([
            "sensitivity",
            "--params",
            "stream.jeugdhulp.incidence,stream.jeugdhulp.level.ambulant.cost_per_month,stream.wmo_begeleiding.incidence",
            "--samples",
            "8",
            "--process-reps",
            "2",
            "--trajectories",
            "3",
            "--bootstrap",
            "20",
            "-n",
            "40",
            "--out",
        ])
        .arg(&sens)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        stderr.contains("rapport.html with the sensitivity section"),
        "{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sens.join("sensitivity.json")).unwrap()).unwrap();
    let top = json["sobol"][0]["rows"][0]["input"]
        .as_str()
        .unwrap()
        .to_string();
    let charts = files_in(&sens.join("charts"));
    assert_eq!(charts.len(), 2 * 3 * 2, "{charts:?}");
    let check = |html: &str| {
        assert!(html.contains("<section class=\"page\" id=\"gevoeligheid\">"));
        assert!(html.contains(&format!("<code>{top}</code>")), "{top}");
        assert!(html.contains("id=\"chart-sens-tornado-1-p-overrun\""));
        // Before the assumptions.
        let (a, b) = (
            html.find("id=\"gevoeligheid\""),
            html.find("id=\"aannames\""),
        );
        assert!(a.unwrap() < b.unwrap());
    };
    check(&std::fs::read_to_string(out.join("rapport.html")).unwrap());
    // `report DIR` and `run` pick it up too.
    std::fs::remove_file(out.join("rapport.html")).unwrap();
    bin().arg("report").arg(&out).assert().success();
    check(&std::fs::read_to_string(out.join("rapport.html")).unwrap());
    bin()
        .args(["run", "-n", "30", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    check(&std::fs::read_to_string(out.join("rapport.html")).unwrap());
    // Gone again when the analysis is removed.
    std::fs::remove_dir_all(&sens).unwrap();
    bin().arg("report").arg(&out).assert().success();
    let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
    assert!(!html.contains("id=\"gevoeligheid\""));
}

/// Every standard error shown after "± " in a text (Dutch or English
/// separators), read back as a number.
fn shown_standard_errors(text: &str, lang: Lang) -> Vec<f64> {
    text.split("± ")
        .skip(1)
        .filter_map(|rest| {
            let token: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '€')
                .filter(|c| *c != '€')
                .collect();
            if token.is_empty() {
                return None;
            }
            let plain = match lang {
                Lang::Nl => token.replace('.', "").replace(',', "."),
                Lang::En => token.replace(',', ""),
            };
            plain.trim_end_matches('.').parse().ok()
        })
        .collect()
}

#[test]
fn standard_errors_of_a_million_replications_are_never_shown_as_zero() {
    // The example with the standard errors a run of 1,000,000 replications
    // has: sqrt(p(1-p)/n) and sd/sqrt(n), and a paired difference that is
    // almost exact (se below one euro).
    let n = 1e6_f64;
    let mut s = example().clone();
    let mut truth = Vec::new();
    for v in &mut s.variants {
        let hl = &mut v.headline;
        let p = hl.p_overrun_any_year.p.clamp(0.05, 0.95);
        hl.p_overrun_any_year.p = p;
        hl.p_overrun_any_year.se = (p * (1.0 - p) / n).sqrt();
        hl.total_cost.se = hl.total_cost.sd / n.sqrt();
        truth.push((100.0 * hl.p_overrun_any_year.se, hl.total_cost.se));
    }
    for c in &mut s.comparisons {
        c.total_cost_difference.se = 0.42;
    }
    for lang in [Lang::Nl, Lang::En] {
        let table = wijkbudget::export::console::render(&s, lang);
        for (v, &(p_se, cost_se)) in s.variants.iter().zip(&truth) {
            let row = table
                .lines()
                .find(|l| l.starts_with(&v.name))
                .unwrap_or_else(|| panic!("no row for {} in\n{table}", v.name));
            let shown = shown_standard_errors(row, lang);
            assert_eq!(shown.len(), 2, "{row}");
            // Two significant digits: within 5 % of the true value, not 0.
            for (got, want) in shown.iter().zip([p_se, cost_se]) {
                assert!(
                    *got > 0.0 && (got - want).abs() <= 0.05 * want,
                    "{row}: shown {got}, true {want}"
                );
            }
        }
        let diffs: Vec<f64> = table
            .lines()
            // The comparison rows: those with an interval.
            .filter(|l| l.contains(" … "))
            .flat_map(|l| shown_standard_errors(l, lang))
            .collect();
        assert_eq!(diffs.len(), s.comparisons.len(), "{table}");
        assert!(diffs.iter().all(|&x| x == 0.42), "{diffs:?}\n{table}");

        let html = report::render(&Report {
            summary: &s,
            charts: &[],
            lang,
            date: None,
            sections: &[],
        });
        let shown = shown_standard_errors(&html, lang);
        // The headline sentence, the headline table (2 a variant) and the
        // comparison table.
        assert!(shown.len() > 2 * s.variants.len(), "{shown:?}");
        assert!(shown.iter().all(|&x| x > 0.0), "{shown:?}");
        let base = truth[0].0;
        assert!(
            shown.iter().any(|&x| (x - base).abs() <= 0.05 * base),
            "the baseline's se {base} is not shown: {shown:?}"
        );
        assert!(shown.contains(&0.42), "{shown:?}");
    }
}

/// A value with markup and quotes, and how every template must print it.
const SCRIPT: &str = "<script>&\"'";
const SCRIPT_ESCAPED: &str = "&lt;script&gt;&amp;&quot;&#39;";

#[test]
fn every_template_of_the_run_report_prints_a_script_value_escaped() {
    // A run and its sensitivity analysis, then every text the run report
    // (run.html on page.html, figure.html, made_with.html) and its
    // sensitivity section (sensitivity.html) print set to hold SCRIPT.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    bin()
        .args(["run", "-n", "30", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let sens = out.join("sensitivity");
    bin()
        .args([
            "sensitivity",
            "--params",
            "stream.jeugdhulp.incidence,stream.wmo_begeleiding.incidence",
            "--samples",
            "8",
            "--process-reps",
            "2",
            "--trajectories",
            "3",
            "--bootstrap",
            "20",
            "-n",
            "40",
            "--quiet",
            "--out",
        ])
        .arg(&sens)
        .assert()
        .success();
    let evil = |s: &str| format!("{s} {SCRIPT}");
    let mut s: Summary =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    s.scenario.name = evil(&s.scenario.name);
    s.scenario.description = evil("beschrijving");
    s.scenario.file = Some(evil("bestand.toml"));
    for v in &mut s.variants {
        v.name = evil(&v.name);
        v.description = evil("variant");
        for a in &mut v.assumptions {
            a.path = evil(&a.path);
            a.description = evil(&a.description);
            a.source = Some(evil("bron"));
        }
        for d in &mut v.drivers {
            d.path = evil(&d.path);
        }
    }
    for c in &mut s.comparisons {
        c.variant = evil(&c.variant);
        c.baseline = evil(&c.baseline);
    }
    s.tool.name = evil(&s.tool.name);
    s.tool.version = evil(&s.tool.version);
    s.tool.generator = evil(&s.tool.generator);
    s.tool.crates.insert(evil("krat"), evil("1"));
    let mut r: wijkbudget::sensitivity::Report =
        serde_json::from_slice(&std::fs::read(sens.join("sensitivity.json")).unwrap()).unwrap();
    r.scenario.variant = evil(&r.scenario.variant);
    r.independence.warning = Some(evil("waarschuwing"));
    for o in &mut r.outputs {
        o.label_nl = evil(&o.label_nl);
    }
    for p in &mut r.parameters {
        p.source = Some(evil("bron"));
    }
    let mut charts = charts::for_summary(&s, Lang::Nl, None).unwrap();
    charts[0].title = evil(&charts[0].title);
    let sens_charts = charts::for_sensitivity(&r, Lang::Nl, None).unwrap();
    let mut sections = vec![report::sensitivity::section(&r, &sens_charts, Lang::Nl)];
    sections[0].title = evil(&sections[0].title);
    let html = report::render(&Report {
        summary: &s,
        charts: &charts,
        lang: Lang::Nl,
        date: Some(SCRIPT),
        sections: &sections,
    });
    assert!(!html.to_lowercase().contains("<script"), "unescaped script");
    let a = &s.variants[0].assumptions[0];
    let wbr = |p: &str| {
        report::escape(p)
            .replace('.', ".<wbr>")
            .replace('_', "_<wbr>")
    };
    for needle in [
        format!("<title>{}", report::escape(&s.scenario.name)),
        format!(
            "<p class=\"lead\">{}</p>",
            report::escape(&evil("beschrijving"))
        ),
        format!("berekend op {SCRIPT_ESCAPED}</p>"),
        format!("({})", report::escape(&evil("bestand.toml"))),
        format!("<h3>{}</h3>", report::escape(&s.variants[1].name)),
        format!("<p>{}</p>", report::escape(&evil("variant"))),
        format!("<td class=\"path\">{}</td>", wbr(&a.path)),
        format!("<td>{}</td>", report::escape(&evil("bron"))),
        format!("aria-label=\"{}\"", report::escape(&charts[0].title)),
        format!("<h2>{}</h2>", report::escape(&sections[0].title)),
        format!("<strong>{}</strong>", report::escape(&r.scenario.variant)),
        format!(
            "<p class=\"note\">{}</p>",
            report::escape(&evil("waarschuwing"))
        ),
        format!(
            "{} {}",
            report::escape(&evil("krat")),
            report::escape(&evil("1"))
        ),
        format!(
            "{} {}",
            report::escape(&s.tool.name),
            report::escape(&s.tool.version)
        ),
    ] {
        assert!(html.contains(&needle), "{needle}");
    }
    assert!(html.matches(SCRIPT_ESCAPED).count() > 30);
}
