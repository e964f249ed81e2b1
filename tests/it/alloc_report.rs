//! The charts and `rapport.html` of `wijkbudget allocate`: valid PNG and
//! SVG files with their titles and area names, a report holding every area,
//! key and key number, escaping of names, and the files from the binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use wijkbudget::allocation::{self, Allocation, Municipality};
use wijkbudget::charts;
use wijkbudget::engine::{NoProgress, RunConfig};
use wijkbudget::locale::{self, Lang};
use wijkbudget::report;
use wijkbudget::scenario;

use crate::common::{check_png, svg_text};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example_municipality() -> Municipality {
    let dir = root().join("scenarios");
    let text = std::fs::read_to_string(dir.join("gemeente-voorbeeld.toml")).unwrap();
    let mut load = |rel: &str| -> Result<(String, Vec<u8>), String> {
        let p = dir.join(rel);
        std::fs::read(&p)
            .map(|b| (p.display().to_string(), b))
            .map_err(|e| format!("cannot read the file: {e}"))
    };
    scenario::parse_municipality(&text, "gemeente-voorbeeld.toml", &mut load)
        .unwrap_or_else(|d| panic!("the shipped municipality is invalid:\n{d}"))
}

fn run(m: &Municipality, reps: u32) -> Allocation {
    let cfg = RunConfig {
        replications: reps,
        seed: 7,
    };
    allocation::allocate(m, &cfg, &NoProgress)
}

/// The example municipality, 40 replications.
fn example() -> &'static Allocation {
    static A: OnceLock<Allocation> = OnceLock::new();
    A.get_or_init(|| run(&example_municipality(), 40))
}

#[test]
fn every_allocation_chart_is_a_valid_png_and_svg_with_its_title_and_areas() {
    let a = example();
    for lang in [Lang::Nl, Lang::En] {
        let charts = charts::for_allocation(a, lang, Some("2026-11-25")).unwrap();
        let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["allocation-budget", "allocation-overrun", "allocation-pool"]
        );
        for c in &charts {
            check_png(c);
            let text = svg_text(&c.svg);
            assert!(
                text.contains(&c.title),
                "{}: title '{}' not in {text}",
                c.id,
                c.title
            );
            let source = match lang {
                Lang::Nl => "Bron: wijkbudget",
                Lang::En => "Source: wijkbudget",
            };
            assert!(text.contains(source), "{}: {text}", c.id);
            assert!(text.contains("seed 7"), "{}: {text}", c.id);
            for k in &a.keys {
                let label = match lang {
                    Lang::Nl => &k.label_nl,
                    Lang::En => &k.label_en,
                };
                assert!(text.contains(label.as_str()), "{}: {label} in {text}", c.id);
            }
            if c.id != "allocation-pool" {
                // Area names are drawn on up to two lines: every word shows.
                for area in &a.areas {
                    for word in area.label.split_whitespace() {
                        assert!(text.contains(word), "{}: {word} in {text}", c.id);
                    }
                }
            }
        }
        let (budget, overrun, pool) = (&charts[0], &charts[1], &charts[2]);
        match lang {
            Lang::Nl => {
                assert!(
                    budget.title.starts_with("Met sleutel ‘"),
                    "{}",
                    budget.title
                );
                assert!(budget.title.contains("€ "), "{}", budget.title);
                assert!(budget.title.contains(" mln"), "{}", budget.title);
                // The equal-risk level, as the title and the JSON give it.
                let level = a
                    .keys
                    .iter()
                    .find_map(|k| k.target_p_overrun)
                    .expect("the example has the equal-risk key");
                let pct = locale::percent(level, 0, Lang::Nl);
                assert!(
                    overrun.title.contains(&format!("elke wijk {pct}")),
                    "{} / {pct}",
                    overrun.title
                );
                assert!(pool.title.starts_with("Een pool van € "), "{}", pool.title);
            }
            Lang::En => {
                assert!(budget.title.starts_with("Under key"), "{}", budget.title);
                assert!(pool.title.starts_with("A pool of €"), "{}", pool.title);
            }
        }
    }
}

#[test]
fn ten_areas_render_and_names_from_the_file_are_escaped() {
    // Ten areas (the example's four, repeated under new names), one with a
    // label that is markup.
    let mut m = example_municipality();
    let base = m.areas.clone();
    m.areas = (0..10)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.name = format!("wijk_{i}");
            a.label = if i == 3 {
                "<script>&".into()
            } else {
                format!("Wijk nummer {i} met een lange naam")
            };
            a
        })
        .collect();
    let a = run(&m, 12);
    let charts = charts::for_allocation(&a, Lang::Nl, None).unwrap();
    assert_eq!(charts.len(), 3);
    for c in &charts {
        check_png(c);
        // The SVG is still well-formed XML with the label as text.
        let text = svg_text(&c.svg);
        if c.id != "allocation-pool" {
            // Names may be broken over lines: compare without spaces.
            let joined: String = text.split_whitespace().collect();
            assert!(joined.contains("<script>&"), "{}: {text}", c.id);
            assert!(joined.contains("Wijknummer0met"), "{}: {text}", c.id);
        }
        assert!(!c.svg.contains("<script>"), "{}", c.id);
    }
    let html = report::allocation::render(&a, &charts, Lang::Nl, None);
    assert!(html.contains("&lt;script&gt;&amp;"), "the label is escaped");
    assert!(!html.contains("<script"), "no raw markup from the file");
    for i in [0, 9] {
        assert!(html.contains(&format!("Wijk nummer {i} met een lange naam")));
    }
}

#[test]
fn the_report_holds_every_area_key_and_the_key_numbers() {
    let a = example();
    for lang in [Lang::Nl, Lang::En] {
        let charts = charts::for_allocation(a, lang, None).unwrap();
        let html = report::allocation::render(a, &charts, lang, Some("2026-11-25"));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        assert!(html.contains("<style>"), "the CSS is inline");
        assert!(!html.contains("<script"), "no scripts");
        for c in &charts {
            assert!(html.contains(&format!("<figure id=\"chart-{}\">", c.id)));
        }
        for area in &a.areas {
            assert!(
                html.contains(&report::escape(&area.label)),
                "{}",
                area.label
            );
        }
        for k in &a.keys {
            let label = match lang {
                Lang::Nl => &k.label_nl,
                Lang::En => &k.label_en,
            };
            assert!(html.contains(&report::escape(label)), "{label}");
            // Every area's budget and P(overrun) under every key.
            for o in &k.areas {
                let budget = locale::euro(o.budget, lang);
                let p = locale::percent(o.p_overrun.p, 1, lang);
                assert!(html.contains(&budget), "{label}: {budget}");
                assert!(html.contains(&p), "{label}: {p}");
            }
            assert!(html.contains(&locale::euro(k.total.budget, lang)));
        }
        // The plain-words first part: the equal-risk level and the pool.
        let level = a.keys.iter().find_map(|k| k.target_p_overrun).unwrap();
        assert!(html.contains(&format!(
            "<strong>{}</strong>",
            locale::percent(level, 0, lang)
        )));
        let largest = a.pool_sizes.iter().copied().fold(0.0, f64::max);
        assert!(html.contains(&locale::euro(largest, lang)), "{largest}");
        let (summary, method) = match lang {
            Lang::Nl => ("Samenvatting", "Methode"),
            Lang::En => ("Summary", "Method"),
        };
        let (s, m) = (html.find(summary).unwrap(), html.find(method).unwrap());
        let g = html.find("id=\"grafieken\"").unwrap();
        let t = html.find("id=\"tabellen\"").unwrap();
        assert!(s < g && g < t && t < m, "sections in order");
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn allocate_writes_the_charts_and_the_report_in_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("scenarios/gemeente-voorbeeld.toml");
    for (name, lang) in [("nl", "nl"), ("en", "en")] {
        let out = dir.path().join(name);
        Command::new(env!("CARGO_BIN_EXE_wijkbudget"))
            .arg("allocate")
            .arg(&file)
            .args([
                "-n", "20", "--seed", "5", "--quiet", "--lang", lang, "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let files = files_in(&out);
        for id in ["allocation-budget", "allocation-overrun", "allocation-pool"] {
            for ext in ["png", "svg"] {
                let f = format!("charts/{id}.{ext}");
                assert!(files.contains(&f), "{f} in {files:?}");
            }
        }
        assert!(files.contains(&"rapport.html".to_string()), "{files:?}");
        assert!(
            !files.iter().any(|f| f.contains(".wijkbudget-")),
            "no temporary file left: {files:?}"
        );
        let html = std::fs::read_to_string(out.join("rapport.html")).unwrap();
        let a: Allocation =
            serde_json::from_str(&std::fs::read_to_string(out.join("allocation.json")).unwrap())
                .unwrap();
        // The report and the JSON come from the same result.
        let eq = a.keys.iter().find_map(|k| k.target_p_overrun).unwrap();
        let l = if lang == "nl" { Lang::Nl } else { Lang::En };
        assert!(html.contains(&locale::percent(eq, 0, l)));
        let words = if lang == "nl" {
            "Verdeling van het gebiedsbudget"
        } else {
            "Dividing the area budget"
        };
        assert!(html.contains(words), "{lang}");
    }
}

#[test]
fn the_allocation_template_prints_a_script_value_escaped() {
    const SCRIPT: &str = "<script>&\"'";
    const SCRIPT_ESCAPED: &str = "&lt;script&gt;&amp;&quot;&#39;";
    let mut a = example().clone();
    let evil = |s: &str| format!("{s} {SCRIPT}");
    a.name = evil(&a.name);
    a.description = evil("beschrijving");
    for area in &mut a.areas {
        area.label = evil(&area.label);
    }
    for k in &mut a.keys {
        k.label_nl = evil(&k.label_nl);
    }
    a.tool.name = evil(&a.tool.name);
    a.tool.crates.push((evil("krat"), evil("1")));
    let mut charts = charts::for_allocation(&a, Lang::Nl, None).unwrap();
    charts[0].title = evil(&charts[0].title);
    let html = report::allocation::render(&a, &charts, Lang::Nl, Some(SCRIPT));
    assert!(!html.to_lowercase().contains("<script"), "unescaped script");
    for needle in [
        format!("<title>{}", report::escape(&a.name)),
        format!(
            "<p class=\"lead\">{}</p>",
            report::escape(&evil("beschrijving"))
        ),
        format!("berekend op {SCRIPT_ESCAPED}</p>"),
        format!(
            "<th scope=\"row\">{}</th>",
            report::escape(&a.areas[0].label)
        ),
        format!(
            "<li><strong>{}</strong>",
            report::escape(&a.keys[0].label_nl)
        ),
        format!(
            "<th class=\"num\">{}</th>",
            report::escape(&a.keys[0].label_nl)
        ),
        format!("aria-label=\"{}\"", report::escape(&charts[0].title)),
        format!(
            "{} {}",
            report::escape(&evil("krat")),
            report::escape(&evil("1"))
        ),
    ] {
        assert!(html.contains(&needle), "{needle}");
    }
}
