//! The Excel workbook `resultaten.xlsx`: a sheet per table of the summary and
//! one with the assumptions, with real numbers in euro, percentage and count
//! formats, so a finance officer can work on from there.
//!
//! Built from the [`Summary`] alone (never the raw runs), so it can be made
//! again from `summary.json`. The sheets are first laid out in memory as
//! [`Sheet`]s of typed [`Cell`]s, then written with `rust_xlsxwriter` into a
//! buffer: no file is touched. Every text from the scenario file is written
//! as a string, never as a formula, and every number as a number. The
//! workbook's creation date is fixed, so the same summary gives the same
//! bytes.

use std::sync::LazyLock;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::{ExportError, Exporter, OutputFile, Run};
use crate::dist::Dist;
use crate::i18n;
use crate::locale::{self, Lang};
use crate::metrics::{Agg, MetricDef, Unit};
use crate::results::{ScenarioInfo, Summary, VariantSummary};
use crate::stats::{Proportion, Stat};

/// The file this exporter writes.
pub const FILE_NAME: &str = "resultaten.xlsx";

/// Writes `resultaten.xlsx` in the given language (sheet names, headers).
#[derive(Debug, Clone, Copy, Default)]
pub struct Xlsx {
    pub lang: Lang,
}

impl Exporter<Run<'_>> for Xlsx {
    fn export(&self, run: &Run<'_>) -> Result<Vec<OutputFile>, ExportError> {
        Ok(vec![OutputFile {
            name: FILE_NAME.into(),
            bytes: workbook(run.summary, self.lang)?,
        }])
    }
}

/// The workbook's bytes.
pub fn workbook(summary: &Summary, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let sheets = sheets(summary, lang);
    let styles = Styles::new(lang);
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(clip(&format!("wijkbudget — {}", summary.scenario.name)))
        .set_subject(clip(&summary.scenario.description))
        .set_author("wijkbudget")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    for sheet in &sheets {
        write_sheet(&mut wb, sheet, &styles, lang)?;
    }
    wb.save_to_buffer()
}

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `€ 1.234` with negatives in red.
    Euro,
    /// `12.3%`.
    Percent,
    /// `1,234`: households, clients, escalations.
    Count,
    /// A whole number without separators: years, seeds, line numbers.
    Integer,
    /// `0.00`: correlations.
    Ratio,
    /// Excel's General: distribution parameters in their own units.
    Plain,
}

impl Kind {
    fn of(unit: Unit) -> Self {
        match unit {
            Unit::Euro => Kind::Euro,
            Unit::Count => Kind::Count,
            Unit::Probability => Kind::Percent,
        }
    }
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Written as a string, whatever it starts with.
    Text(String),
    /// Written as a number in the kind's format; blank when not finite.
    Num(f64, Kind),
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A sheet: an optional block of label–value lines above one table, and
/// notes below it.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub preamble: Vec<(String, Cell)>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub notes: Vec<String>,
}

impl Sheet {
    fn new(name: String, header: Vec<String>) -> Self {
        Self {
            name,
            preamble: Vec::new(),
            header,
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Row of the table's header.
    fn header_row(&self) -> u32 {
        if self.preamble.is_empty() {
            0
        } else {
            self.preamble.len() as u32 + 1
        }
    }
}

/// Words of the workbook in one language, from the catalogue ([`crate::i18n`]),
/// looked up once per language and kept for the life of the program.
struct Words {
    overview: &'static str,
    comparison: &'static str,
    comparison_years: &'static str,
    horizon: &'static str,
    yearly: &'static str,
    assumptions: &'static str,
    drivers: &'static str,
    variant: &'static str,
    description: &'static str,
    baseline: &'static str,
    year: &'static str,
    key: &'static str,
    metric: &'static str,
    unit: &'static str,
    over_horizon: &'static str,
    mean: &'static str,
    scenario: &'static str,
    file: &'static str,
    seed: &'static str,
    replications: &'static str,
    horizon_years: &'static str,
    first_year: &'static str,
    last_year: &'static str,
    parameter_uncertainty: &'static str,
    process_uncertainty: &'static str,
    program: &'static str,
    generator: &'static str,
    yes: &'static str,
    no: &'static str,
    p_any: &'static str,
    p_last: &'static str,
    overrun_mean: &'static str,
    overrun_p95: &'static str,
    total_cost: &'static str,
    difference: &'static str,
    unpaired_se: &'static str,
    interval_low: &'static str,
    interval_high: &'static str,
    p_saving: &'static str,
    break_even: &'static str,
    never: &'static str,
    overrun_difference: &'static str,
    cumulative: &'static str,
    p_saving_cumulative: &'static str,
    escalations_avoided: &'static str,
    p_overrun: &'static str,
    parameter: &'static str,
    distribution: &'static str,
    expected: &'static str,
    source: &'static str,
    line: &'static str,
    rank_total_cost: &'static str,
    rank_overrun: &'static str,
    units: [&'static str; 3],
    aggs: [&'static str; 4],
    notes: [&'static str; 4],
}

impl Words {
    fn new(lang: Lang) -> Self {
        // Once per language: the texts live as long as the program.
        let w = |id: &str| -> &'static str { i18n::text(lang, id).leak() };
        Words {
            overview: w("xlsx-overview"),
            comparison: w("xlsx-comparison"),
            comparison_years: w("xlsx-comparison-years"),
            horizon: w("xlsx-horizon"),
            yearly: w("xlsx-yearly"),
            assumptions: w("xlsx-assumptions"),
            drivers: w("xlsx-drivers"),
            variant: w("xlsx-variant"),
            description: w("xlsx-description"),
            baseline: w("xlsx-baseline"),
            year: w("xlsx-year"),
            key: w("xlsx-key"),
            metric: w("xlsx-metric"),
            unit: w("xlsx-unit"),
            over_horizon: w("xlsx-over-horizon"),
            mean: w("xlsx-mean"),
            scenario: w("xlsx-scenario"),
            file: w("xlsx-file"),
            seed: w("xlsx-seed"),
            replications: w("xlsx-replications"),
            horizon_years: w("xlsx-horizon-years"),
            first_year: w("xlsx-first-year"),
            last_year: w("xlsx-last-year"),
            parameter_uncertainty: w("xlsx-parameter-uncertainty"),
            process_uncertainty: w("xlsx-process-uncertainty"),
            program: w("xlsx-program"),
            generator: w("xlsx-generator"),
            yes: w("xlsx-yes"),
            no: w("xlsx-no"),
            p_any: w("xlsx-p-any"),
            p_last: w("xlsx-p-last"),
            overrun_mean: w("xlsx-overrun-mean"),
            overrun_p95: w("xlsx-overrun-p95"),
            total_cost: w("xlsx-total-cost"),
            difference: w("xlsx-difference"),
            unpaired_se: w("xlsx-unpaired-se"),
            interval_low: w("xlsx-interval-low"),
            interval_high: w("xlsx-interval-high"),
            p_saving: w("xlsx-p-saving"),
            break_even: w("xlsx-break-even"),
            never: w("xlsx-never"),
            overrun_difference: w("xlsx-overrun-difference"),
            cumulative: w("xlsx-cumulative"),
            p_saving_cumulative: w("xlsx-p-saving-cumulative"),
            escalations_avoided: w("xlsx-escalations-avoided"),
            p_overrun: w("xlsx-p-overrun"),
            parameter: w("xlsx-parameter"),
            distribution: w("xlsx-distribution"),
            expected: w("xlsx-expected"),
            source: w("xlsx-source"),
            line: w("xlsx-line"),
            rank_total_cost: w("xlsx-rank-total-cost"),
            rank_overrun: w("xlsx-rank-overrun"),
            units: [
                w("xlsx-unit-euro"),
                w("xlsx-unit-count"),
                w("xlsx-unit-probability"),
            ],
            aggs: [
                w("xlsx-agg-sum"),
                w("xlsx-agg-mean"),
                w("xlsx-agg-last"),
                w("xlsx-agg-max"),
            ],
            notes: [
                w("xlsx-note-1"),
                w("xlsx-note-2"),
                w("xlsx-note-3"),
                w("xlsx-note-4"),
            ],
        }
    }
}

static NL: LazyLock<Words> = LazyLock::new(|| Words::new(Lang::Nl));
static EN: LazyLock<Words> = LazyLock::new(|| Words::new(Lang::En));

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// All sheets of the workbook, in order, with valid and distinct names.
pub fn sheets(summary: &Summary, lang: Lang) -> Vec<Sheet> {
    let w = words(lang);
    let fixed = [
        w.overview,
        w.comparison,
        w.comparison_years,
        w.horizon,
        w.yearly,
        w.assumptions,
        w.drivers,
    ];
    let mut taken: Vec<String> = fixed.iter().map(|s| s.to_lowercase()).collect();
    let variant_names: Vec<String> = summary
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let name = sheet_name(&v.name, i + 1, &taken);
            taken.push(name.to_lowercase());
            name
        })
        .collect();
    let mut out = vec![
        overview(summary, w),
        comparison(summary, w),
        comparison_years(summary, w),
    ];
    for (v, name) in summary.variants.iter().zip(variant_names) {
        out.push(variant_years(summary, v, name, lang));
    }
    out.push(horizon(summary, w, lang));
    out.push(yearly(summary, w, lang));
    out.push(assumptions(summary, w));
    out.push(drivers(summary, w));
    for sheet in &mut out {
        cap_rows(sheet, MAX_TABLE_ROWS, lang);
    }
    out
}

/// The most rows a table gets: a scenario with hundreds of variants and
/// streams could make the long tables exceed Excel's 1,048,576 rows (and
/// this program's memory); the CSV files always hold every row.
pub const MAX_TABLE_ROWS: usize = 100_000;

/// Cuts a table after `max` rows and says so below it.
fn cap_rows(sheet: &mut Sheet, max: usize, lang: Lang) {
    let n = sheet.rows.len();
    if n <= max {
        return;
    }
    sheet.rows.truncate(max);
    sheet.notes.insert(
        0,
        i18n::text_args(
            lang,
            "xlsx-cut",
            &[
                ("max", &locale::number(max as f64, 0, lang)),
                ("n", &locale::number(n as f64, 0, lang)),
            ],
        ),
    );
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn overview(summary: &Summary, w: &Words) -> Sheet {
    let sc = &summary.scenario;
    let mut s = Sheet::new(
        w.overview.into(),
        strings(&[
            w.variant,
            w.p_any,
            "se",
            w.p_last,
            "se",
            w.overrun_mean,
            w.overrun_p95,
            &format!("{} {}", w.total_cost, w.mean),
            "se",
            "P5",
            "P95",
            w.description,
        ]),
    );
    let yes_no = |b: bool| text(if b { w.yes } else { w.no });
    // Excel keeps 15 significant digits: a larger seed is written as text so
    // that it stays exact.
    let seed = if sc.seed < 1_000_000_000_000_000 {
        Cell::Num(sc.seed as f64, Kind::Integer)
    } else {
        text(sc.seed.to_string())
    };
    let tool = &summary.tool;
    s.preamble = vec![
        (w.scenario.into(), text(&sc.name)),
        (w.description.into(), text(&sc.description)),
        (w.file.into(), sc.file.as_deref().map_or(Cell::Empty, text)),
        (w.seed.into(), seed),
        (
            w.replications.into(),
            Cell::Num(f64::from(sc.replications), Kind::Count),
        ),
        (
            w.first_year.into(),
            sc.years
                .first()
                .map_or(Cell::Empty, |&y| Cell::Num(f64::from(y), Kind::Integer)),
        ),
        (
            w.last_year.into(),
            sc.years
                .last()
                .map_or(Cell::Empty, |&y| Cell::Num(f64::from(y), Kind::Integer)),
        ),
        (
            w.horizon_years.into(),
            Cell::Num(f64::from(sc.horizon_years), Kind::Count),
        ),
        (
            w.parameter_uncertainty.into(),
            yes_no(sc.parameter_uncertainty),
        ),
        (w.process_uncertainty.into(), yes_no(sc.process_uncertainty)),
        (
            w.program.into(),
            text(format!("{} {}", tool.name, tool.version)),
        ),
        (w.generator.into(), text(tool.generator.as_str())),
    ];
    for v in &summary.variants {
        let h = &v.headline;
        let mut row = vec![text(&v.name)];
        row.extend(proportion(&h.p_overrun_any_year));
        row.extend(proportion(&h.p_overrun_last_year));
        row.push(Cell::Num(h.overrun.mean, Kind::Euro));
        row.push(Cell::Num(h.overrun.p95, Kind::Euro));
        row.extend(stat4(&h.total_cost, Kind::Euro));
        row.push(text(&v.description));
        s.rows.push(row);
    }
    s.notes = strings(&w.notes);
    s
}

/// p and its standard error.
fn proportion(p: &Proportion) -> [Cell; 2] {
    [
        Cell::Num(p.p, Kind::Percent),
        Cell::Num(p.se, Kind::Percent),
    ]
}

/// Mean, standard error, P5 and P95.
fn stat4(s: &Stat, kind: Kind) -> [Cell; 4] {
    [s.mean, s.se, s.p5, s.p95].map(|x| Cell::Num(x, kind))
}

fn comparison(summary: &Summary, w: &Words) -> Sheet {
    let mut s = Sheet::new(
        w.comparison.into(),
        strings(&[
            w.variant,
            w.baseline,
            &format!("{} {}", w.difference, w.mean),
            "se",
            w.unpaired_se,
            w.interval_low,
            w.interval_high,
            w.p_saving,
            "se",
            w.break_even,
            &format!("{} {}", w.overrun_difference, w.mean),
            "se",
        ]),
    );
    for c in &summary.comparisons {
        let d = &c.total_cost_difference;
        let mut row = vec![
            text(&c.variant),
            text(&c.baseline),
            Cell::Num(d.mean, Kind::Euro),
            Cell::Num(d.se, Kind::Euro),
            Cell::Num(c.unpaired_se, Kind::Euro),
            Cell::Num(d.p5, Kind::Euro),
            Cell::Num(d.p95, Kind::Euro),
        ];
        row.extend(proportion(&c.p_saving));
        row.push(
            c.break_even_year
                .map_or_else(|| text(w.never), |y| Cell::Num(f64::from(y), Kind::Integer)),
        );
        row.push(Cell::Num(c.overrun_difference.mean, Kind::Euro));
        row.push(Cell::Num(c.overrun_difference.se, Kind::Euro));
        s.rows.push(row);
    }
    s
}

fn comparison_years(summary: &Summary, w: &Words) -> Sheet {
    let mut header = strings(&[w.variant, w.baseline, w.year]);
    for what in [w.difference, w.cumulative] {
        header.push(format!("{what} {}", w.mean));
        header.extend(strings(&["se", "P5", "P95"]));
    }
    header.extend(strings(&[w.p_saving_cumulative, "se"]));
    header.push(format!("{} {}", w.escalations_avoided, w.mean));
    header.push("se".into());
    let mut s = Sheet::new(w.comparison_years.into(), header);
    for c in &summary.comparisons {
        for y in &c.years {
            let mut row = vec![
                text(&c.variant),
                text(&c.baseline),
                Cell::Num(f64::from(y.year), Kind::Integer),
            ];
            row.extend(stat4(&y.difference, Kind::Euro));
            row.extend(stat4(&y.cumulative_difference, Kind::Euro));
            row.extend(proportion(&y.p_saving_cumulative));
            row.push(Cell::Num(y.escalations_avoided.mean, Kind::Count));
            row.push(Cell::Num(y.escalations_avoided.se, Kind::Count));
            s.rows.push(row);
        }
    }
    s
}

/// Which statistic of a metric a column of a variant's sheet shows.
#[derive(Clone, Copy)]
enum Pick {
    Mean,
    Se,
    P5,
    P95,
}

/// The per-year table of one variant: rows are years, columns the figures a
/// finance officer follows (means unless the header says otherwise).
fn variant_years(summary: &Summary, v: &VariantSummary, name: String, lang: Lang) -> Sheet {
    let w = words(lang);
    let sc = &summary.scenario;
    // (metric key, statistics shown)
    const ALL: &[Pick] = &[Pick::Mean, Pick::Se, Pick::P5, Pick::P95];
    const MEAN: &[Pick] = &[Pick::Mean];
    let mut specs: Vec<(String, &[Pick])> = Vec::new();
    for (key, picks) in [
        ("total_cost", ALL),
        ("ceiling", MEAN),
        ("care_spend", MEAN),
        ("deficit", MEAN),
        ("overrun", &[Pick::Mean, Pick::P95][..]),
        ("reserve_draw", MEAN),
        ("reserve_end", MEAN),
        ("reinvested", MEAN),
        ("team_spend", MEAN),
        ("prevention_spend", MEAN),
    ] {
        specs.push((key.into(), picks));
    }
    for st in &sc.streams {
        specs.push((format!("spend.{}", st.name), MEAN));
    }
    // A stream's own ceiling and overrun only where budgets are siloed.
    let any_nonzero = |key: &str| {
        v.years.iter().any(|y| {
            y.metrics
                .get(key)
                .is_some_and(|s| s.max != 0.0 || s.min != 0.0)
        })
    };
    for st in &sc.streams {
        for m in ["ceiling", "overrun"] {
            let key = format!("{m}.{}", st.name);
            if any_nonzero(&key) {
                specs.push((key, MEAN));
            }
        }
    }
    for st in &sc.streams {
        for l in &st.levels {
            specs.push((format!("clients.{}.{}", st.name, l.name), MEAN));
        }
    }
    for key in [
        "households",
        "new_needs",
        "escalations",
        "waiting_end",
        "waiting_months",
    ] {
        specs.push((key.into(), MEAN));
    }
    // (header, metric key, statistic)
    let mut cols: Vec<(String, String, Pick)> = Vec::new();
    let mut before_overrun = 0;
    for (key, picks) in &specs {
        if key == "overrun" {
            before_overrun = cols.len();
        }
        let label = metric_label_of(sc, key, lang);
        for &p in *picks {
            let suffix = match p {
                Pick::Mean => w.mean,
                Pick::Se => "se",
                Pick::P5 => "P5",
                Pick::P95 => "P95",
            };
            cols.push((format!("{label} {suffix}"), key.clone(), p));
        }
    }
    let mut header = vec![w.year.to_string()];
    for (i, (h, _, _)) in cols.iter().enumerate() {
        if i == before_overrun {
            header.push(w.p_overrun.into());
            header.push("se".into());
        }
        header.push(h.clone());
    }
    let mut s = Sheet::new(name, header);
    for y in &v.years {
        let mut row = vec![Cell::Num(f64::from(y.year), Kind::Integer)];
        for (i, (_, key, pick)) in cols.iter().enumerate() {
            if i == before_overrun {
                row.extend(proportion(&y.p_overrun));
            }
            let kind = unit_of(sc, key).map_or(Kind::Plain, Kind::of);
            row.push(y.metrics.get(key).map_or(Cell::Empty, |st| {
                let x = match pick {
                    Pick::Mean => st.mean,
                    Pick::Se => st.se,
                    Pick::P5 => st.p5,
                    Pick::P95 => st.p95,
                };
                Cell::Num(x, kind)
            }));
        }
        s.rows.push(row);
    }
    s
}

fn stat_header() -> [&'static str; 10] {
    [
        "", "sd", "se", "P5", "P25", "P50", "P75", "P95", "min", "max",
    ]
}

fn stat_cells(s: &Stat, kind: Kind) -> [Cell; 10] {
    [
        s.mean, s.sd, s.se, s.p5, s.p25, s.p50, s.p75, s.p95, s.min, s.max,
    ]
    .map(|x| Cell::Num(x, kind))
}

/// Columns describing a metric: key, name, unit, aggregation.
fn metric_cells(sc: &ScenarioInfo, key: &str, lang: Lang, with_agg: bool) -> Vec<Cell> {
    let w = words(lang);
    let def = sc.metrics.iter().find(|d| d.key == key);
    let mut cells = vec![text(key), text(metric_label_of(sc, key, lang))];
    cells.push(def.map_or(Cell::Empty, |d| {
        text(match d.unit {
            Unit::Euro => w.units[0],
            Unit::Count => w.units[1],
            Unit::Probability => w.units[2],
        })
    }));
    if with_agg {
        cells.push(def.map_or(Cell::Empty, |d| {
            text(match d.horizon {
                Agg::Sum => w.aggs[0],
                Agg::Mean => w.aggs[1],
                Agg::Last => w.aggs[2],
                Agg::Max => w.aggs[3],
            })
        }));
    }
    cells
}

fn stats_header(w: &Words, lead: &[&str]) -> Vec<String> {
    let mut h = strings(lead);
    for x in stat_header() {
        h.push(if x.is_empty() {
            w.mean.into()
        } else {
            x.into()
        });
    }
    h
}

fn horizon(summary: &Summary, w: &Words, lang: Lang) -> Sheet {
    let sc = &summary.scenario;
    let mut s = Sheet::new(
        w.horizon.into(),
        stats_header(w, &[w.variant, w.key, w.metric, w.unit, w.over_horizon]),
    );
    for v in &summary.variants {
        for (key, st) in ordered(sc, &v.horizon) {
            let mut row = vec![text(&v.name)];
            row.extend(metric_cells(sc, key, lang, true));
            row.extend(stat_cells(
                st,
                unit_of(sc, key).map_or(Kind::Plain, Kind::of),
            ));
            s.rows.push(row);
        }
    }
    s
}

fn yearly(summary: &Summary, w: &Words, lang: Lang) -> Sheet {
    let sc = &summary.scenario;
    let mut s = Sheet::new(
        w.yearly.into(),
        stats_header(w, &[w.variant, w.year, w.key, w.metric, w.unit]),
    );
    for v in &summary.variants {
        for y in &v.years {
            for (key, st) in ordered(sc, &y.metrics) {
                let mut row = vec![text(&v.name), Cell::Num(f64::from(y.year), Kind::Integer)];
                row.extend(metric_cells(sc, key, lang, false));
                row.extend(stat_cells(
                    st,
                    unit_of(sc, key).map_or(Kind::Plain, Kind::of),
                ));
                s.rows.push(row);
            }
        }
    }
    s
}

/// A map's metrics in the scenario's column order (then any others by key).
fn ordered<'a>(
    sc: &ScenarioInfo,
    map: &'a std::collections::BTreeMap<String, Stat>,
) -> Vec<(&'a String, &'a Stat)> {
    let pos = |k: &str| {
        sc.metrics
            .iter()
            .position(|d| d.key == k)
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by_key(|(k, _)| pos(k));
    v
}

/// The parameters of a distribution by their names in the scenario file;
/// infinite bounds are left out.
pub fn dist_params(d: &Dist) -> Vec<(&'static str, f64)> {
    let mut p = match *d {
        Dist::Fixed { value } => vec![("value", value)],
        Dist::Uniform { min, max } => vec![("min", min), ("max", max)],
        Dist::Triangular { min, mode, max } => vec![("min", min), ("mode", mode), ("max", max)],
        Dist::Pert {
            min,
            mode,
            max,
            lambda,
        } => vec![
            ("min", min),
            ("mode", mode),
            ("max", max),
            ("lambda", lambda),
        ],
        Dist::Normal { mean, sd, min, max } => {
            vec![("mean", mean), ("sd", sd), ("min", min), ("max", max)]
        }
        Dist::LogNormal { mu, sigma } => vec![("mu", mu), ("sigma", sigma)],
        Dist::Beta {
            alpha,
            beta,
            min,
            max,
        } => vec![("alpha", alpha), ("beta", beta), ("min", min), ("max", max)],
        Dist::Gamma { shape, scale } => vec![("shape", shape), ("scale", scale)],
    };
    p.retain(|(_, x)| x.is_finite());
    p
}

/// Every parameter name in a fixed order.
const PARAM_NAMES: [&str; 13] = [
    "value", "min", "mode", "max", "lambda", "mean", "sd", "mu", "sigma", "alpha", "beta", "shape",
    "scale",
];

fn assumptions(summary: &Summary, w: &Words) -> Sheet {
    // Only the parameter columns some distribution uses.
    let used: Vec<&str> = PARAM_NAMES
        .into_iter()
        .filter(|n| {
            summary.variants.iter().any(|v| {
                v.assumptions
                    .iter()
                    .any(|a| dist_params(&a.dist).iter().any(|(k, _)| k == n))
            })
        })
        .collect();
    let mut header = strings(&[w.variant, w.parameter, w.distribution, w.description]);
    header.extend(used.iter().map(|s| s.to_string()));
    header.extend(strings(&[w.expected, w.source, w.line]));
    let mut s = Sheet::new(w.assumptions.into(), header);
    for v in &summary.variants {
        for a in &v.assumptions {
            let params = dist_params(&a.dist);
            let mut row = vec![
                text(&v.name),
                text(&a.path),
                text(a.dist.kind()),
                text(&a.description),
            ];
            for n in &used {
                row.push(
                    params
                        .iter()
                        .find(|(k, _)| k == n)
                        .map_or(Cell::Empty, |&(_, x)| Cell::Num(x, Kind::Plain)),
                );
            }
            row.push(Cell::Num(a.mean, Kind::Plain));
            row.push(a.source.as_deref().map_or(Cell::Empty, text));
            row.push(Cell::Num(a.line as f64, Kind::Integer));
            s.rows.push(row);
        }
    }
    s
}

fn drivers(summary: &Summary, w: &Words) -> Sheet {
    let mut s = Sheet::new(
        w.drivers.into(),
        strings(&[w.variant, w.parameter, w.rank_total_cost, w.rank_overrun]),
    );
    for v in &summary.variants {
        for d in &v.drivers {
            s.rows.push(vec![
                text(&v.name),
                text(&d.path),
                Cell::Num(d.rank_correlation_total_cost, Kind::Ratio),
                Cell::Num(d.rank_correlation_overrun, Kind::Ratio),
            ]);
        }
    }
    s
}

fn unit_of(sc: &ScenarioInfo, key: &str) -> Option<Unit> {
    sc.metrics.iter().find(|d| d.key == key).map(|d| d.unit)
}

fn metric_label_of(sc: &ScenarioInfo, key: &str, lang: Lang) -> String {
    match sc.metrics.iter().find(|d| d.key == key) {
        Some(d) => metric_label(d, sc, lang),
        None => key.to_string(),
    }
}

/// A metric's name for people, with the stream's and level's labels.
pub fn metric_label(d: &MetricDef, sc: &ScenarioInfo, lang: Lang) -> String {
    let base = i18n::lookup(lang, &format!("metric-{}", d.name), &[]);
    let base = base.as_deref().unwrap_or(&d.name);
    let stream = d
        .stream
        .as_ref()
        .map(|s| sc.streams.iter().find(|x| &x.name == s));
    match (&d.stream, &d.level) {
        (Some(s), Some(l)) => {
            let st = stream.flatten();
            let sl = st.map_or(s.as_str(), |x| x.label.as_str());
            let ll = st
                .and_then(|x| x.levels.iter().find(|y| &y.name == l))
                .map_or(l.as_str(), |y| y.label.as_str());
            format!("{base} {sl} – {ll}")
        }
        (Some(s), None) => {
            let sl = stream.flatten().map_or(s.as_str(), |x| x.label.as_str());
            format!("{base} {sl}")
        }
        _ => base.to_string(),
    }
}

/// A valid, distinct sheet name made from a variant name: at most 31
/// characters (UTF-16 units, as Excel counts), none of `[]:*?/\`, no
/// control characters, no apostrophe at either end, not `History`, and not
/// (case-insensitively) in `taken`.
pub fn sheet_name(raw: &str, index: usize, taken: &[String]) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let tidy = |s: &str| s.trim().trim_matches('\'').trim().to_string();
    let mut base = tidy(&cleaned);
    if base.is_empty() {
        base = format!("variant {index}");
    }
    let free = |n: &str| {
        let l = n.to_lowercase();
        l != "history" && !taken.contains(&l)
    };
    let first = tidy(&truncate_utf16(&base, 31));
    if !first.is_empty() && free(&first) {
        return first;
    }
    for n in 2.. {
        let suffix = format!(" ({n})");
        let stem = tidy(&truncate_utf16(&base, 31 - suffix.len()));
        let candidate = format!("{stem}{suffix}");
        if free(&candidate) {
            return candidate;
        }
    }
    unreachable!("some numbered name is always free")
}

/// The longest prefix of `s` of at most `max` UTF-16 units.
fn truncate_utf16(s: &str, max: usize) -> String {
    let mut n = 0;
    let mut out = String::new();
    for c in s.chars() {
        n += c.len_utf16();
        if n > max {
            break;
        }
        out.push(c);
    }
    out
}

/// Excel's cell limit is 32,767 characters; longer text is cut with `…`.
fn clip(s: &str) -> String {
    const MAX: usize = 32_767;
    if s.encode_utf16().count() <= MAX {
        s.to_string()
    } else {
        let mut t = truncate_utf16(s, MAX - 1);
        t.push('…');
        t
    }
}

/// The formats of the workbook.
struct Styles {
    header: Format,
    label: Format,
    note: Format,
    euro: Format,
    percent: Format,
    count: Format,
    integer: Format,
    ratio: Format,
    plain: Format,
    text: Format,
    wrapped: Format,
}

impl Styles {
    fn new(lang: Lang) -> Self {
        // Excel shows the separators of the reader's locale; the sign goes
        // where each language puts it (`€ -1.234`, `-€1,234`).
        let euro = match lang {
            Lang::Nl => "\"€ \"#,##0;[Red]\"€ \"-#,##0",
            Lang::En => "\"€\"#,##0;[Red]-\"€\"#,##0",
        };
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDD_E6_F0))
                .set_border_bottom(FormatBorder::Thin),
            label: Format::new().set_bold(),
            note: Format::new().set_italic(),
            euro: Format::new().set_num_format(euro),
            percent: Format::new().set_num_format("0.0%"),
            count: Format::new().set_num_format("#,##0"),
            integer: Format::new().set_num_format("0"),
            ratio: Format::new().set_num_format("0.00"),
            plain: Format::new(),
            text: Format::new().set_align(FormatAlign::Left),
            wrapped: Format::new()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
        }
    }

    fn number(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Euro => &self.euro,
            Kind::Percent => &self.percent,
            Kind::Count => &self.count,
            Kind::Integer => &self.integer,
            Kind::Ratio => &self.ratio,
            Kind::Plain => &self.plain,
        }
    }
}

/// How wide a cell's content shows, in characters.
fn shown_width(cell: &Cell, lang: Lang) -> usize {
    match cell {
        Cell::Text(s) => s.chars().count(),
        Cell::Num(x, kind) if x.is_finite() => match kind {
            Kind::Euro => locale::euro(*x, lang).chars().count(),
            Kind::Percent => locale::percent(*x, 1, lang).chars().count(),
            Kind::Count => locale::number(*x, 0, lang).chars().count(),
            Kind::Integer => format!("{x:.0}").len(),
            Kind::Ratio => 5,
            Kind::Plain => format!("{x}").len().min(12),
        },
        _ => 0,
    }
}

/// Text longer than this wraps in its cell (in a table) instead of running
/// over the next columns.
const WRAP_CHARS: usize = 60;

fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    styles: &Styles,
    in_table: bool,
) -> Result<(), XlsxError> {
    match cell {
        // write_string never makes a formula, whatever the text starts with.
        Cell::Text(s) => {
            let format = if in_table && s.chars().count() > WRAP_CHARS {
                &styles.wrapped
            } else {
                &styles.text
            };
            ws.write_string_with_format(row, col, clip(s), format)?;
        }
        Cell::Num(x, kind) if x.is_finite() => {
            ws.write_number_with_format(row, col, *x, styles.number(*kind))?;
        }
        _ => {}
    }
    Ok(())
}

fn write_sheet(
    wb: &mut Workbook,
    sheet: &Sheet,
    styles: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(&sheet.name)?;
    let ncols = sheet.header.len().max(2);
    let mut widths = vec![0usize; ncols];
    for (r, (label, value)) in sheet.preamble.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, clip(label), &styles.label)?;
        // A label's value reads left-aligned, numbers too; text may run
        // into the empty cells to its right, so only numbers widen.
        match value {
            Cell::Num(x, kind) if x.is_finite() => {
                let f = styles.number(*kind).clone().set_align(FormatAlign::Left);
                ws.write_number_with_format(r as u32, 1, *x, &f)?;
                widths[1] = widths[1].max(shown_width(value, lang));
            }
            _ => write_cell(ws, r as u32, 1, value, styles, false)?,
        }
        widths[0] = widths[0].max(label.chars().count());
    }
    let top = sheet.header_row();
    // Long headers wrap onto up to three lines rather than widen the column.
    let mut lines = 1;
    for (c, h) in sheet.header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &styles.header)?;
        let hw = h.chars().count();
        let n = hw.div_ceil(16).clamp(1, 3);
        lines = lines.max(n);
        widths[c] = widths[c].max(hw.div_ceil(n) + 1);
    }
    if lines > 1 {
        ws.set_row_height(top, 15 * lines as u32)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = top + 1 + r as u32;
        // Not every reader fits a row to wrapped text: give it the height.
        let lines = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) if s.chars().count() > WRAP_CHARS => {
                    s.chars().count().div_ceil(WRAP_CHARS - 8).min(20)
                }
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, 15 * lines as u32)?;
        }
        for (c, cell) in row.iter().enumerate() {
            write_cell(ws, r, c as u16, cell, styles, true)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown_width(cell, lang).min(WRAP_CHARS));
            }
        }
    }
    let last = top + sheet.rows.len() as u32;
    for (i, note) in sheet.notes.iter().enumerate() {
        ws.write_string_with_format(last + 2 + i as u32, 0, clip(note), &styles.note)?;
    }
    for (c, w) in widths.iter().enumerate() {
        // Room for the filter button; never narrower than a number.
        ws.set_column_width(
            c as u16,
            (*w as f64 + 3.0).clamp(8.0, WRAP_CHARS as f64 + 3.0),
        )?;
    }
    // The header row and the first column (variant or year) stay in view.
    ws.set_freeze_panes(top + 1, 1)?;
    // Printed: A4 landscape, header repeated; one page wide unless that
    // would make the text too small to read.
    ws.set_paper_size(9)
        .set_landscape()
        .set_repeat_rows(top, top)?;
    if sheet.header.len() <= 16 {
        ws.set_print_fit_to_pages(1, 0);
    }
    if !sheet.header.is_empty() {
        ws.autofilter(top, 0, last, sheet.header.len() as u16 - 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> usize {
        s.encode_utf16().count()
    }

    fn valid(name: &str) -> bool {
        !name.is_empty()
            && utf16(name) <= 31
            && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            && !name.starts_with('\'')
            && !name.ends_with('\'')
            && !name.chars().any(char::is_control)
            && name.to_lowercase() != "history"
    }

    #[test]
    fn sheet_names_are_valid_and_distinct() {
        let odd = [
            "huidig beleid".to_string(),
            "x".repeat(200),
            "x".repeat(200),
            "a/b\\c[d]e:f*g?h".into(),
            "'quoted'".into(),
            "''".into(),
            "   ".into(),
            "History".into(),
            "overzicht".into(),
            "tab\there\nnewline".into(),
            "😀".repeat(20),
            format!("{}'", "y".repeat(30)),
        ];
        let mut taken = vec!["overzicht".to_string()];
        let mut names = Vec::new();
        for (i, raw) in odd.iter().enumerate() {
            let n = sheet_name(raw, i + 1, &taken);
            assert!(valid(&n), "{raw:?} gave invalid {n:?}");
            assert!(!taken.contains(&n.to_lowercase()), "{n:?} repeats");
            taken.push(n.to_lowercase());
            names.push(n);
        }
        assert_eq!(names[0], "huidig beleid", "a plain name stays as it is");
        assert_eq!(names[1], "x".repeat(31));
        assert_eq!(names[2], format!("{} (2)", "x".repeat(27)));
        assert_eq!(names[3], "a-b-c-d-e-f-g-h");
        assert_eq!(names[4], "quoted");
        assert_eq!(names[5], "variant 6");
        assert_eq!(names[7], "History (2)");
        assert_eq!(names[8], "overzicht (2)");
        // Emoji count double in UTF-16: 15 fit.
        assert_eq!(names[10], "😀".repeat(15));
    }

    #[test]
    fn tables_beyond_the_row_limit_are_cut_with_a_note() {
        let mut sheet = Sheet::new("t".into(), vec!["a".into()]);
        sheet.rows = (0..12)
            .map(|i| vec![Cell::Num(f64::from(i), Kind::Count)])
            .collect();
        sheet.notes = vec!["other".into()];
        cap_rows(&mut sheet, 12, Lang::Nl);
        assert_eq!((sheet.rows.len(), sheet.notes.len()), (12, 1));
        cap_rows(&mut sheet, 10, Lang::Nl);
        assert_eq!(sheet.rows.len(), 10);
        assert_eq!(sheet.rows[9], vec![Cell::Num(9.0, Kind::Count)]);
        assert_eq!(
            sheet.notes,
            [
                "Afgekapt na 10 van 12 rijen; alle rijen staan in de CSV-bestanden.",
                "other"
            ]
        );
    }

    #[test]
    fn long_text_is_clipped_to_excels_limit() {
        let long = "é".repeat(40_000);
        let c = clip(&long);
        assert_eq!(utf16(&c), 32_767);
        assert!(c.ends_with('…'));
        assert_eq!(clip("kort"), "kort");
    }

    #[test]
    fn distribution_parameters_by_their_file_names() {
        let d = Dist::pert(1.0, 2.0, 4.0, 4.0).unwrap();
        assert_eq!(
            dist_params(&d),
            vec![("min", 1.0), ("mode", 2.0), ("max", 4.0), ("lambda", 4.0)]
        );
        // Untruncated normal: infinite bounds are left out.
        let n = Dist::Normal {
            mean: 5.0,
            sd: 1.0,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
        };
        assert_eq!(dist_params(&n), vec![("mean", 5.0), ("sd", 1.0)]);
        for (k, _) in dist_params(&d).iter().chain(&dist_params(&n)) {
            assert!(PARAM_NAMES.contains(k));
        }
    }

    #[test]
    fn units_map_to_their_formats() {
        assert_eq!(Kind::of(Unit::Euro), Kind::Euro);
        assert_eq!(Kind::of(Unit::Count), Kind::Count);
        assert_eq!(Kind::of(Unit::Probability), Kind::Percent);
        let s = Styles::new(Lang::Nl);
        assert_eq!(
            s.number(Kind::Euro),
            &Format::new().set_num_format("\"€ \"#,##0;[Red]\"€ \"-#,##0")
        );
        assert_eq!(
            s.number(Kind::Percent),
            &Format::new().set_num_format("0.0%")
        );
        assert_eq!(
            s.number(Kind::Count),
            &Format::new().set_num_format("#,##0")
        );
    }
}
