//! The Excel workbook `resultaten.xlsx`, read back with calamine: its sheets,
//! its numbers (real numbers, equal to the summary's), its text (scenario
//! text stays text, never a formula) and its sheet names.

use std::io::{Cursor, Read};

use assert_cmd::Command;
use calamine::{Data, Range, Reader, Xlsx as XlsxReader, open_workbook_from_rs};
use wijkbudget::engine::{self, NoProgress, RunConfig};
use wijkbudget::export::xlsx::{FILE_NAME, Xlsx};
use wijkbudget::export::{Exporter, Run};
use wijkbudget::locale::Lang;
use wijkbudget::model::Model;
use wijkbudget::results::{self, Summary};
use wijkbudget::{EXAMPLE_SCENARIO, scenario};

fn summary_of(toml: &str, replications: u32) -> Summary {
    let sc = scenario::parse(toml, "t.toml").unwrap_or_else(|d| panic!("{d}"));
    let models: Vec<&Model> = sc.variants.iter().collect();
    let cfg = RunConfig {
        replications,
        seed: sc.seed,
    };
    let runs: Vec<_> = models
        .iter()
        .map(|m| engine::simulate(m, &cfg, &NoProgress))
        .collect();
    results::summarize(&sc, &models, &runs, Some("t.toml"))
}

fn workbook_bytes(summary: &Summary, lang: Lang) -> Vec<u8> {
    let files = Xlsx { lang }.export(&Run { summary, kept: &[] }).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, FILE_NAME);
    files[0].bytes.clone()
}

type Book = XlsxReader<Cursor<Vec<u8>>>;

fn open(bytes: &[u8]) -> Book {
    assert!(bytes.starts_with(b"PK\x03\x04"), "an xlsx file is a zip");
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

/// A table of a sheet: the header row (found by its first cell) and the rows
/// below it up to the first row without a first cell.
struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Data>>,
}

impl Table {
    fn read(range: &Range<Data>, first_header: &str) -> Table {
        let all: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let h = all
            .iter()
            .position(|r| r.first() == Some(&Data::String(first_header.into())))
            .unwrap_or_else(|| panic!("no header row starting with {first_header}"));
        let headers = all[h]
            .iter()
            .map(|d| match d {
                Data::String(s) => s.clone(),
                Data::Empty => String::new(),
                other => panic!("header {other:?} is not text"),
            })
            .collect();
        let rows = all[h + 1..]
            .iter()
            .take_while(|r| r.first().is_some_and(|d| *d != Data::Empty))
            .cloned()
            .collect();
        Table { headers, rows }
    }

    /// Index of the `n`-th column (from 0) with this header.
    fn col_n(&self, name: &str, n: usize) -> usize {
        self.headers
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == name)
            .nth(n)
            .unwrap_or_else(|| panic!("no column {name} #{n} in {:?}", self.headers))
            .0
    }

    fn col(&self, name: &str) -> usize {
        self.col_n(name, 0)
    }
}

/// The number in a cell; fails if it is anything else (text above all).
fn num(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?} is not a number"),
    }
}

fn text(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("{other:?} is not text"),
    }
}

/// Equal up to the last bit or two of the decimal round trip.
fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

fn sheet(book: &mut Book, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn the_example_workbook_holds_the_summarys_numbers_as_numbers() {
    let summary = summary_of(EXAMPLE_SCENARIO, 60);
    let bytes = workbook_bytes(&summary, Lang::Nl);
    let mut book = open(&bytes);
    let mut expected: Vec<String> = ["Overzicht", "Vergelijking", "Vergelijking per jaar"]
        .map(String::from)
        .to_vec();
    expected.extend(summary.variants.iter().map(|v| v.name.clone()));
    expected.extend(["Horizon", "Per jaar (alle)", "Aannames", "Gevoeligheid"].map(String::from));
    assert_eq!(book.sheet_names(), expected);

    // Overview: scenario facts and the headline of every variant.
    let ov = sheet(&mut book, "Overzicht");
    assert_eq!(ov.get_value((0, 0)), Some(&Data::String("scenario".into())));
    assert_eq!(
        ov.get_value((0, 1)),
        Some(&Data::String("voorbeeldwijk".into()))
    );
    let seed_row = (0..20)
        .find(|&r| ov.get_value((r, 0)) == Some(&Data::String("seed".into())))
        .unwrap();
    assert_eq!(
        num(ov.get_value((seed_row, 1)).unwrap()),
        summary.scenario.seed as f64
    );
    let t = Table::read(&ov, "variant");
    assert_eq!(t.rows.len(), summary.variants.len());
    for (row, v) in t.rows.iter().zip(&summary.variants) {
        let h = &v.headline;
        assert_eq!(text(&row[0]), v.name);
        let p = t.col("kans overschrijding enig jaar");
        assert_eq!(num(&row[p]), h.p_overrun_any_year.p);
        assert_eq!(num(&row[p + 1]), h.p_overrun_any_year.se);
        let p = t.col("kans overschrijding laatste jaar");
        assert_eq!(num(&row[p]), h.p_overrun_last_year.p);
        assert!(close(num(&row[t.col("verwacht tekort")]), h.overrun.mean));
        assert!(close(num(&row[t.col("P95 tekort")]), h.overrun.p95));
        let c = t.col("totale kosten gem.");
        assert!(close(num(&row[c]), h.total_cost.mean));
        assert!(close(num(&row[c + 1]), h.total_cost.se));
    }

    // The paired comparison.
    let t = Table::read(&sheet(&mut book, "Vergelijking"), "variant");
    assert_eq!(t.rows.len(), summary.comparisons.len());
    for (row, c) in t.rows.iter().zip(&summary.comparisons) {
        let d = &c.total_cost_difference;
        assert_eq!(text(&row[0]), c.variant);
        assert_eq!(text(&row[1]), c.baseline);
        let m = t.col("verschil totale kosten gem.");
        assert!(close(num(&row[m]), d.mean));
        assert!(close(num(&row[m + 1]), d.se));
        assert!(close(num(&row[t.col("90%-interval van")]), d.p5));
        assert!(close(num(&row[t.col("90%-interval tot")]), d.p95));
        assert_eq!(num(&row[t.col("kans besparing")]), c.p_saving.p);
        let be = &row[t.col("terugverdiend in")];
        match c.break_even_year {
            Some(y) => assert_eq!(num(be), f64::from(y)),
            None => assert_eq!(text(be), "niet binnen horizon"),
        }
    }
    let t = Table::read(&sheet(&mut book, "Vergelijking per jaar"), "variant");
    let years = summary.scenario.years.len();
    assert_eq!(t.rows.len(), summary.comparisons.len() * years);
    let c = &summary.comparisons[0];
    for (row, y) in t.rows.iter().zip(&c.years) {
        assert_eq!(num(&row[t.col("jaar")]), f64::from(y.year));
        let m = t.col("cumulatief verschil gem.");
        assert!(close(num(&row[m]), y.cumulative_difference.mean));
        let p = t.col("kans besparing cumulatief");
        assert_eq!(num(&row[p]), y.p_saving_cumulative.p);
    }

    // A sheet per variant with its years.
    for v in &summary.variants {
        let t = Table::read(&sheet(&mut book, &v.name), "jaar");
        assert_eq!(t.rows.len(), v.years.len());
        for (row, y) in t.rows.iter().zip(&v.years) {
            assert_eq!(num(&row[0]), f64::from(y.year));
            let m = &y.metrics;
            let tc = t.col("totale kosten gem.");
            assert!(close(num(&row[tc]), m["total_cost"].mean));
            assert!(close(num(&row[tc + 1]), m["total_cost"].se));
            assert!(close(
                num(&row[t.col("totale kosten P95")]),
                m["total_cost"].p95
            ));
            assert!(close(num(&row[t.col("plafond gem.")]), m["ceiling"].mean));
            assert_eq!(num(&row[t.col("kans overschrijding")]), y.p_overrun.p);
            assert!(close(num(&row[t.col("tekort gem.")]), m["overrun"].mean));
            assert!(close(
                num(&row[t.col("reserve eind jaar gem.")]),
                m["reserve_end"].mean
            ));
            assert!(close(
                num(&row[t.col("escalaties gem.")]),
                m["escalations"].mean
            ));
            for st in &summary.scenario.streams {
                let c = t.col(&format!("uitgaven {} gem.", st.label));
                assert!(close(num(&row[c]), m[&format!("spend.{}", st.name)].mean));
                for l in &st.levels {
                    let c = t.col(&format!("cliënten {} – {} gem.", st.label, l.label));
                    let key = format!("clients.{}.{}", st.name, l.name);
                    assert!(close(num(&row[c]), m[&key].mean));
                }
            }
        }
    }

    // Horizon and all yearly statistics: every metric of every variant.
    let t = Table::read(&sheet(&mut book, "Horizon"), "variant");
    let n_metrics = summary.scenario.metrics.len();
    assert_eq!(t.rows.len(), summary.variants.len() * n_metrics);
    for row in &t.rows {
        let v = summary
            .variants
            .iter()
            .find(|v| v.name == text(&row[0]))
            .unwrap();
        let s = &v.horizon[text(&row[t.col("sleutel")])];
        for (name, x) in [
            ("gem.", s.mean),
            ("se", s.se),
            ("P5", s.p5),
            ("P95", s.p95),
            ("max", s.max),
        ] {
            assert!(close(num(&row[t.col(name)]), x), "{name}");
        }
    }
    let t = Table::read(&sheet(&mut book, "Per jaar (alle)"), "variant");
    assert_eq!(t.rows.len(), summary.variants.len() * years * n_metrics);
    for row in t.rows.iter().step_by(7) {
        let v = summary
            .variants
            .iter()
            .find(|v| v.name == text(&row[0]))
            .unwrap();
        let y = v
            .years
            .iter()
            .find(|y| f64::from(y.year) == num(&row[1]))
            .unwrap();
        let s = &y.metrics[text(&row[t.col("sleutel")])];
        assert!(close(num(&row[t.col("gem.")]), s.mean));
        assert!(close(num(&row[t.col("P50")]), s.p50));
    }

    // Every assumption with its distribution, mean, source and line.
    let t = Table::read(&sheet(&mut book, "Aannames"), "variant");
    let all: Vec<_> = summary
        .variants
        .iter()
        .flat_map(|v| v.assumptions.iter().map(move |a| (v, a)))
        .collect();
    assert_eq!(t.rows.len(), all.len());
    for (row, (v, a)) in t.rows.iter().zip(&all) {
        assert_eq!(text(&row[0]), v.name);
        assert_eq!(text(&row[t.col("parameter")]), a.path);
        assert_eq!(text(&row[t.col("verdeling")]), a.dist.kind());
        assert!(close(num(&row[t.col("verwachting")]), a.mean));
        assert_eq!(num(&row[t.col("regel")]), a.line as f64);
        match &a.source {
            Some(s) => assert_eq!(text(&row[t.col("bron")]), s),
            None => assert_eq!(row[t.col("bron")], Data::Empty),
        }
        for (k, x) in wijkbudget::export::xlsx::dist_params(&a.dist) {
            assert!(close(num(&row[t.col(k)]), x), "{} {k}", a.path);
        }
    }

    let t = Table::read(&sheet(&mut book, "Gevoeligheid"), "variant");
    let drivers: Vec<_> = summary.variants.iter().flat_map(|v| &v.drivers).collect();
    assert!(!drivers.is_empty());
    assert_eq!(t.rows.len(), drivers.len());
    for (row, d) in t.rows.iter().zip(drivers) {
        assert_eq!(text(&row[1]), d.path);
        assert!(close(num(&row[2]), d.rank_correlation_total_cost));
        assert!(close(num(&row[3]), d.rank_correlation_overrun));
    }

    // Nowhere a number written as text, nowhere a formula.
    for name in book.sheet_names() {
        let r = sheet(&mut book, &name);
        for cell in r.used_cells() {
            if let Data::String(s) = cell.2 {
                assert!(
                    s.trim().parse::<f64>().is_err(),
                    "{name}: number as text {s:?}"
                );
            }
        }
        let f = book.worksheet_formula(&name).unwrap();
        assert!(f.used_cells().all(|c| c.2.is_empty()), "{name}: formulas");
    }

    // Number formats, frozen header rows and filters are in the file.
    let styles = zip_entry(&bytes, "xl/styles.xml");
    for f in [
        "&quot;€ &quot;#,##0;[Red]&quot;€ &quot;-#,##0",
        "0.0%",
        "#,##0",
    ] {
        assert!(styles.contains(f), "format {f} missing from styles.xml");
    }
    for i in 1..=expected.len() {
        let ws = zip_entry(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(ws.contains("state=\"frozen\""), "sheet {i} not frozen");
        assert!(ws.contains("<autoFilter"), "sheet {i} without a filter");
    }

    // The same summary gives the same bytes.
    assert_eq!(bytes, workbook_bytes(&summary, Lang::Nl));
}

#[test]
fn english_workbook_has_english_sheets_and_headers() {
    let summary = summary_of(EXAMPLE_SCENARIO, 20);
    let mut book = open(&workbook_bytes(&summary, Lang::En));
    let names = book.sheet_names();
    for n in [
        "Overview",
        "Comparison",
        "Comparison by year",
        "Assumptions",
        "Drivers",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    let t = Table::read(&sheet(&mut book, "Overview"), "variant");
    let c = t.col("P(overrun) any year");
    assert_eq!(
        num(&t.rows[0][c]),
        summary.variants[0].headline.p_overrun_any_year.p
    );
    let t = Table::read(&sheet(&mut book, &summary.variants[0].name), "year");
    t.col("total cost mean");
}

/// The example with hostile text in names, description and a source.
fn hostile() -> (String, [&'static str; 4]) {
    let long = "'extra/preventie: [fase 1] * ? \\\\ met een heel lange naam'";
    let twin = "'extra/preventie: [fase 1] * ? \\\\ met een heel lange tweeling'";
    let toml = EXAMPLE_SCENARIO
        .replacen(
            "name = \"voorbeeldwijk\"",
            "name = \"=1+2 <script>&\"",
            1,
        )
        .replacen(
            "description = \"Voorbeeldwijk",
            "description = \"=HYPERLINK(\\\"http://example.org\\\") <script>alert(1)</script> & Voorbeeldwijk",
            1,
        )
        .replacen(
            "source = \"[E] trend eenpersoonshuishoudens\"",
            "source = \"=SUM(A1:A9) <script>&\"",
            1,
        )
        .replacen("name = \"extra preventie\"", &format!("name = \"{long}\""), 1)
        .replacen("name = \"krap plafond\"", &format!("name = \"{twin}\""), 1)
        .replacen("name = \"wachtlijst\"", "name = \"overzicht\"", 1)
        .replacen("name = \"gescheiden budgetten\"", "name = \"History\"", 1);
    (
        toml,
        [
            "=1+2 <script>&",
            "=HYPERLINK(\"http://example.org\") <script>alert(1)</script> & Voorbeeldwijk",
            "=SUM(A1:A9) <script>&",
            "'extra/preventie: [fase 1] * ? \\ met een heel lange naam'",
        ],
    )
}

#[test]
fn scenario_text_stays_text_and_odd_variant_names_make_valid_sheets() {
    let (toml, [name, description, source, long]) = hostile();
    let summary = summary_of(&toml, 12);
    assert_eq!(
        summary.variants[1].name, long,
        "the test scenario parsed as meant"
    );
    let bytes = workbook_bytes(&summary, Lang::Nl);
    let mut book = open(&bytes);

    let ov = sheet(&mut book, "Overzicht");
    assert_eq!(ov.get_value((0, 1)), Some(&Data::String(name.into())));
    assert!(summary.scenario.description.starts_with(description));
    assert!(
        ov.used_cells()
            .any(|c| *c.2 == Data::String(summary.scenario.description.clone())),
        "the description as text"
    );
    let t = Table::read(&ov, "variant");
    assert_eq!(
        text(&t.rows[1][0]),
        long,
        "variant names are kept whole in cells"
    );
    let t = Table::read(&sheet(&mut book, "Aannames"), "variant");
    let bron = t.col("bron");
    assert!(
        t.rows
            .iter()
            .any(|r| r[bron] == Data::String(source.into())),
        "the source as text"
    );
    for name in book.sheet_names() {
        let f = book.worksheet_formula(&name).unwrap();
        assert!(f.used_cells().all(|c| c.2.is_empty()), "{name}: formulas");
    }
    // The raw XML: strings escaped, no formula elements.
    let shared = zip_entry(&bytes, "xl/sharedStrings.xml");
    assert!(shared.contains("=SUM(A1:A9) &lt;script&gt;&amp;"));
    assert!(!shared.contains("<script>"));
    for i in 1..=book.sheet_names().len() {
        assert!(!zip_entry(&bytes, &format!("xl/worksheets/sheet{i}.xml")).contains("<f>"));
    }

    let names = book.sheet_names();
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    for (i, n) in names.iter().enumerate() {
        assert!(!n.is_empty() && n.encode_utf16().count() <= 31, "{n:?}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n:?}");
        assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n:?}");
        assert_ne!(n.to_lowercase(), "history");
        assert!(!lower[..i].contains(&lower[i]), "{n:?} repeats");
    }
    assert_eq!(names.len(), 7 + summary.variants.len());
    // Each variant's sheet holds that variant's years.
    let variant_sheets = &names[3..3 + summary.variants.len()];
    assert_eq!(variant_sheets[0], "huidig beleid");
    assert_eq!(variant_sheets[1], "extra-preventie- -fase 1- - - -");
    assert_eq!(variant_sheets[2], "History (2)");
    assert_eq!(variant_sheets[3], "extra-preventie- -fase 1- - (2)");
    assert_eq!(variant_sheets[4], "overzicht (2)");
    for (sheet_name, v) in variant_sheets.iter().zip(&summary.variants) {
        let t = Table::read(&sheet(&mut book, sheet_name), "jaar");
        let c = t.col("totale kosten gem.");
        assert!(close(
            num(&t.rows[0][c]),
            v.years[0].metrics["total_cost"].mean
        ));
    }
}

#[test]
fn every_run_writes_the_workbook_in_its_language() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, first) in [("nl", "Overzicht"), ("en", "Overview")] {
        let out = dir.path().join(lang);
        Command::new(env!("CARGO_BIN_EXE_wijkbudget"))
            .args(["run", "-n", "16", "--quiet", "--lang", lang, "--out"])
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(out.join(FILE_NAME)).unwrap();
        let book = open(&bytes);
        assert_eq!(book.sheet_names()[0], first);
    }
}
