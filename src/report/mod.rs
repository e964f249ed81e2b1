//! `rapport.html`: the council briefing, one self-contained HTML file made
//! from a [`Summary`] and its charts (inline SVG and CSS, no scripts, no
//! network requests), laid out to print on A4.
//!
//! The first page says in plain words what the run found; then come the
//! charts, the tables per variant, any extra [`Section`]s (sensitivity,
//! allocation, … added by other modules), every assumption with its source
//! and a methods note. The layout and the fixed words are the templates in
//! `templates/` (`run.html` on `page.html`); this module builds their view,
//! with every number already formatted, and the templates escape every
//! value they print.

pub mod allocation;
pub mod sensitivity;
mod templates;
mod text;

use serde::Serialize;

use crate::charts::Chart;
use crate::locale::{self, Lang};
use crate::results::{Assumption, Comparison, Summary, VariantSummary};
use crate::stats::Stat;

use templates::{render as render_template, safe};
use text::Words;

/// An extra section of the report, placed after the tables and before the
/// assumptions. Its `html` is inserted as is: whoever builds it must
/// escape every text that came from a scenario file (the sections made in
/// this crate are rendered from templates, which do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The `id` of the section element (letters, digits, `-`).
    pub id: String,
    /// The heading, plain text (escaped here).
    pub title: String,
    pub html: String,
}

/// What a report is made of.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub summary: &'a Summary,
    /// The charts to show, in order (their SVG is inlined).
    pub charts: &'a [Chart],
    pub lang: Lang,
    /// The day of the run (`YYYY-MM-DD`), if known.
    pub date: Option<&'a str>,
    pub sections: &'a [Section],
}

/// Escapes text for HTML element content and quoted attribute values. The
/// templates print every value through it; `text.rs` uses it for the
/// scenario texts inside its sentences.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A chart for `figure.html`: its id, its title (the SVG's label) and its
/// SVG after the opening `<svg` (our own markup), if it has one.
#[derive(Serialize)]
pub(crate) struct Figure {
    id: String,
    title: String,
    svg: Option<minijinja::Value>,
}

impl Figure {
    pub(crate) fn of(c: &Chart) -> Figure {
        let svg = c.svg.trim_start();
        let svg = svg
            .strip_prefix("<?xml")
            .and_then(|rest| rest.split_once("?>").map(|(_, s)| s.trim_start()))
            .unwrap_or(svg);
        Figure {
            id: c.id.clone(),
            title: c.title.clone(),
            svg: svg.strip_prefix("<svg").map(safe),
        }
    }
}

/// A text that is shown only when it is not blank, trimmed.
fn nonblank(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The whole HTML document.
pub fn render(r: &Report) -> String {
    let s = r.summary;
    let lang = r.lang;
    let base = s.variants.first();
    let view = RunView {
        lang: lang.code(),
        name: &s.scenario.name,
        lead: nonblank(&s.scenario.description),
        period: period(s),
        replications: locale::number(f64::from(s.scenario.replications), 0, lang),
        n_variants: s.variants.len(),
        seed: s.scenario.seed.to_string(),
        date: r.date,
        findings: base.map(|b| findings(s, b, lang)).unwrap_or_default(),
        headline: s.variants.iter().map(|v| headline_row(v, lang)).collect(),
        best: (s.variants.len() > 1).then(|| best(&s.variants, lang)),
        charts: r.charts.iter().map(Figure::of).collect(),
        tables: s.variants.iter().map(|v| variant_table(v, lang)).collect(),
        baseline: s.comparisons.first().map_or("", |c| c.baseline.as_str()),
        comparisons: s
            .comparisons
            .iter()
            .map(|c| comparison_row(c, lang))
            .collect(),
        sections: r
            .sections
            .iter()
            .map(|sec| SectionView {
                id: &sec.id,
                title: &sec.title,
                html: safe(sec.html.as_str()),
            })
            .collect(),
        assumptions: base.map(|b| assumptions(s, b, lang)),
        methods: safe(Words(lang).methods_text(s)),
        left_out: Words(lang).left_out().into_iter().map(safe).collect(),
        tool: ToolView::new(
            &s.tool.name,
            &s.tool.version,
            &s.tool.generator,
            &s.tool.crates,
        ),
    };
    render_template("run.html", view)
}

/// The view of `run.html`.
#[derive(Serialize)]
struct RunView<'a> {
    lang: &'static str,
    name: &'a str,
    lead: Option<String>,
    period: String,
    replications: String,
    n_variants: usize,
    seed: String,
    date: Option<&'a str>,
    /// The first page's sentences (markup from `text.rs`).
    findings: Vec<minijinja::Value>,
    headline: Vec<HeadlineRow<'a>>,
    best: Option<Best<'a>>,
    charts: Vec<Figure>,
    tables: Vec<VariantTable<'a>>,
    baseline: &'a str,
    comparisons: Vec<ComparisonRow<'a>>,
    sections: Vec<SectionView<'a>>,
    assumptions: Option<Assumptions<'a>>,
    /// The methods paragraphs and the list of what the model leaves out
    /// (markup from `text.rs`).
    methods: minijinja::Value,
    left_out: Vec<minijinja::Value>,
    tool: ToolView<'a>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    html: minijinja::Value,
}

/// The provenance line of `made_with.html`.
#[derive(Serialize)]
pub(crate) struct ToolView<'a> {
    name: &'a str,
    version: &'a str,
    generator: &'a str,
    crates: Vec<(&'a str, &'a str)>,
}

impl<'a> ToolView<'a> {
    pub(crate) fn new(
        name: &'a str,
        version: &'a str,
        generator: &'a str,
        crates: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> ToolView<'a> {
        ToolView {
            name,
            version,
            generator,
            crates: crates
                .into_iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        }
    }
}

fn period(s: &Summary) -> String {
    match (s.scenario.years.first(), s.scenario.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// The first page's sentences: the baseline's overrun, then each variant
/// against the baseline.
fn findings(s: &Summary, base: &VariantSummary, lang: Lang) -> Vec<minijinja::Value> {
    let w = Words(lang);
    let per = period(s);
    let mut out = vec![safe(w.overrun_sentence(base, &per))];
    for c in &s.comparisons {
        if let Some(v) = s.variants.iter().find(|v| v.name == c.variant) {
            out.push(safe(w.comparison_sentence(base, v, c, &per)));
        }
    }
    out
}

#[derive(Serialize)]
struct HeadlineRow<'a> {
    name: &'a str,
    p_any: String,
    p_any_se: String,
    p_last: String,
    overrun: String,
    overrun_p95: String,
    cost: String,
    cost_se: String,
}

fn headline_row(v: &VariantSummary, lang: Lang) -> HeadlineRow<'_> {
    let hl = &v.headline;
    HeadlineRow {
        name: &v.name,
        p_any: locale::percent(hl.p_overrun_any_year.p, 1, lang),
        p_any_se: locale::percent_se(hl.p_overrun_any_year.se, lang),
        p_last: locale::percent(hl.p_overrun_last_year.p, 1, lang),
        overrun: locale::euro(hl.overrun.mean, lang),
        overrun_p95: locale::euro(hl.overrun.p95, lang),
        cost: locale::euro(hl.total_cost.mean, lang),
        cost_se: locale::se(hl.total_cost.se, 0, lang),
    }
}

/// Which variant is best on each criterion (none where no variant has a
/// finite value).
#[derive(Serialize)]
struct Best<'a> {
    chance: Option<BestOn<'a>>,
    overrun: Option<BestOn<'a>>,
    cost: Option<BestOn<'a>>,
    escalations: Option<BestOn<'a>>,
    waiting: Option<BestOn<'a>>,
}

#[derive(Serialize)]
struct BestOn<'a> {
    name: &'a str,
    /// How many other variants have the same value.
    tied: usize,
    value: String,
}

fn best(vs: &[VariantSummary], lang: Lang) -> Best<'_> {
    let horizon = |v: &VariantSummary, k: &str| v.horizon.get(k).map_or(f64::NAN, |s| s.mean);
    let on = |f: &dyn Fn(&VariantSummary) -> f64, show: &dyn Fn(f64) -> String| {
        let vals: Vec<f64> = vs.iter().map(f).collect();
        let (i, x) = vals
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, x)| x.is_finite())
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        Some(BestOn {
            name: &vs[i].name,
            tied: vals.iter().filter(|&&y| y == x).count() - 1,
            value: show(x),
        })
    };
    let percent = |x| locale::percent(x, 1, lang);
    let euro = |x| locale::euro(x, lang);
    let count = |x| locale::number(x, 0, lang);
    Best {
        chance: on(&|v| v.headline.p_overrun_any_year.p, &percent),
        overrun: on(&|v| v.headline.overrun.mean, &euro),
        cost: on(&|v| v.headline.total_cost.mean, &euro),
        escalations: on(&|v| horizon(v, "escalations"), &count),
        waiting: on(&|v| horizon(v, "waiting_months"), &count),
    }
}

/// The cells of a row of a year table.
#[derive(Serialize)]
struct Cells {
    care: String,
    ceiling: String,
    p_overrun: String,
    overrun: String,
    overrun_p95: String,
    escalations: String,
    waiting: String,
}

impl Cells {
    fn of(lang: Lang, y: &std::collections::BTreeMap<String, Stat>, p_overrun: f64) -> Cells {
        let m = |k: &str| y.get(k).copied().unwrap_or_else(|| Stat::of(&[]));
        Cells {
            care: locale::euro(m("care_spend").mean, lang),
            ceiling: locale::euro(m("ceiling").mean, lang),
            p_overrun: locale::percent(p_overrun, 1, lang),
            overrun: locale::euro(m("overrun").mean, lang),
            overrun_p95: locale::euro(m("overrun").p95, lang),
            escalations: locale::number(m("escalations").mean, 0, lang),
            waiting: locale::number(m("waiting_end").mean, 0, lang),
        }
    }
}

#[derive(Serialize)]
struct VariantTable<'a> {
    name: &'a str,
    description: Option<String>,
    years: Vec<YearRow>,
    total: Cells,
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    cells: Cells,
}

fn variant_table(v: &VariantSummary, lang: Lang) -> VariantTable<'_> {
    VariantTable {
        name: &v.name,
        description: nonblank(&v.description),
        years: v
            .years
            .iter()
            .map(|y| YearRow {
                year: y.year,
                cells: Cells::of(lang, &y.metrics, y.p_overrun.p),
            })
            .collect(),
        total: Cells::of(lang, &v.horizon, v.headline.p_overrun_any_year.p),
    }
}

#[derive(Serialize)]
struct ComparisonRow<'a> {
    variant: &'a str,
    mean: String,
    se: String,
    p5: String,
    p95: String,
    p_saving: String,
    overrun: String,
    break_even: Option<i32>,
}

fn comparison_row(c: &Comparison, lang: Lang) -> ComparisonRow<'_> {
    let d = &c.total_cost_difference;
    ComparisonRow {
        variant: &c.variant,
        mean: locale::euro(d.mean, lang),
        se: locale::se(d.se, 0, lang),
        p5: locale::euro(d.p5, lang),
        p95: locale::euro(d.p95, lang),
        p_saving: locale::percent(c.p_saving.p, 1, lang),
        overrun: locale::euro(c.overrun_difference.mean, lang),
        break_even: c.break_even_year,
    }
}

/// A number with about three significant digits, without trailing zeros.
fn sig(x: f64, lang: Lang) -> String {
    if !x.is_finite() || x == 0.0 {
        return locale::number(x, 0, lang);
    }
    let mag = x.abs().log10().floor() as i64;
    let decimals = (2 - mag).clamp(0, 8) as usize;
    let s = locale::number(x, decimals, lang);
    if decimals == 0 {
        return s;
    }
    let dec = match lang {
        Lang::Nl => ',',
        Lang::En => '.',
    };
    s.trim_end_matches('0').trim_end_matches(dec).to_string()
}

/// The assumptions page: the baseline's, what each variant changes and the
/// drivers.
#[derive(Serialize)]
struct Assumptions<'a> {
    file: Option<&'a str>,
    baseline: &'a str,
    rows: Vec<AssumptionRow<'a>>,
    variants: Vec<VariantAssumptions<'a>>,
    drivers: Vec<DriverRow<'a>>,
}

#[derive(Serialize)]
struct VariantAssumptions<'a> {
    name: &'a str,
    /// The assumptions that differ from the baseline's.
    rows: Vec<AssumptionRow<'a>>,
}

#[derive(Serialize)]
struct AssumptionRow<'a> {
    path: &'a str,
    /// The value of a fixed distribution; else the distribution's text.
    fixed: Option<String>,
    description: &'a str,
    mean: String,
    source: Option<&'a str>,
    line: Option<usize>,
}

impl<'a> AssumptionRow<'a> {
    fn of(a: &'a Assumption, lang: Lang) -> AssumptionRow<'a> {
        AssumptionRow {
            path: &a.path,
            fixed: match a.dist {
                crate::dist::Dist::Fixed { value } => Some(sig(value, lang)),
                _ => None,
            },
            description: &a.description,
            mean: sig(a.mean, lang),
            source: a.source.as_deref(),
            line: (a.line != 0).then_some(a.line),
        }
    }
}

#[derive(Serialize)]
struct DriverRow<'a> {
    path: &'a str,
    total_cost: String,
    overrun: String,
}

fn assumptions<'a>(s: &'a Summary, base: &'a VariantSummary, lang: Lang) -> Assumptions<'a> {
    let variants = s.variants[1..]
        .iter()
        .map(|v| VariantAssumptions {
            name: &v.name,
            rows: v
                .assumptions
                .iter()
                .filter(|a| {
                    !base
                        .assumptions
                        .iter()
                        .any(|b| b.path == a.path && b.dist == a.dist && b.source == a.source)
                })
                .map(|a| AssumptionRow::of(a, lang))
                .collect(),
        })
        .collect();
    // The assumptions that move the baseline's result most.
    let mut ds: Vec<_> = base.drivers.iter().collect();
    ds.sort_by(|a, b| {
        b.rank_correlation_total_cost
            .abs()
            .total_cmp(&a.rank_correlation_total_cost.abs())
    });
    Assumptions {
        file: s.scenario.file.as_deref(),
        baseline: &base.name,
        rows: base
            .assumptions
            .iter()
            .map(|a| AssumptionRow::of(a, lang))
            .collect(),
        variants,
        drivers: ds
            .iter()
            .take(10)
            .map(|d| DriverRow {
                path: &d.path,
                total_cost: locale::number(d.rank_correlation_total_cost, 2, lang),
                overrun: locale::number(d.rank_correlation_overrun, 2, lang),
            })
            .collect(),
    }
}
