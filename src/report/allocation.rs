//! `rapport.html` of `wijkbudget allocate`: one self-contained page for the
//! municipality, made from an [`Allocation`] and its charts, on the run
//! report's page skeleton and CSS. First the findings in plain words (which
//! key gives which wijk the most overrun risk, what the equal-risk split
//! changes, what a pool buys), then the charts, the tables per key, the
//! pool table and a methods note. The layout and the fixed words are
//! `templates/allocation.html`; this module builds its view, and the
//! template escapes every text from the input.

use serde::Serialize;

use super::templates::render as render_template;
use super::{Figure, ToolView, nonblank};
use crate::allocation::{Allocation, Key, KeyResult, PoolPolicy};
use crate::charts::Chart;
use crate::charts::allocation::{area_label, equal_risk, key_label};
use crate::locale::{self, Lang};

fn period(a: &Allocation) -> String {
    let last = a.start_year + a.horizon_years.saturating_sub(1) as i32;
    if last > a.start_year {
        format!("{}–{}", a.start_year, last)
    } else {
        a.start_year.to_string()
    }
}

/// A chance and its standard error, formatted.
#[derive(Serialize)]
struct PctSe {
    p: String,
    se: String,
}

fn pct_se(p: f64, se: f64, lang: Lang) -> PctSe {
    PctSe {
        p: locale::percent(p, 1, lang),
        se: locale::percent_se(se, lang),
    }
}

/// The whole HTML document of an allocation. `date` is the day of the run.
pub fn render(a: &Allocation, charts: &[Chart], lang: Lang, date: Option<&str>) -> String {
    let first_pool = a.keys.first().map(|k| k.pool.as_slice()).unwrap_or(&[]);
    let view = AllocationView {
        lang: lang.code(),
        name: &a.name,
        lead: nonblank(&a.description),
        period: period(a),
        budget: locale::euro(a.total_budget, lang),
        start_year: a.start_year,
        n_areas: a.areas.len(),
        replications: locale::number(f64::from(a.replications), 0, lang),
        seed: a.seed.to_string(),
        date,
        riskiest: a
            .keys
            .iter()
            .filter_map(|k| riskiest_view(a, k, lang))
            .collect(),
        equal: equal_view(a, lang),
        pool: pool_view(a, lang),
        charts: charts.iter().map(Figure::of).collect(),
        keys: a.keys.iter().map(|k| key_view(a, k, lang)).collect(),
        pool_rows: first_pool
            .iter()
            .enumerate()
            .map(|(j, p)| PoolRow {
                size: locale::euro(p.size, lang),
                keys: a
                    .keys
                    .iter()
                    .map(|k| {
                        k.pool
                            .get(j)
                            .map(|q| pct_se(q.p_any_area_overrun.p, q.p_any_area_overrun.se, lang))
                    })
                    .collect(),
                municipality: pct_se(
                    p.p_municipality_overrun.p,
                    p.p_municipality_overrun.se,
                    lang,
                ),
            })
            .collect(),
        overspend: a.policy == PoolPolicy::Overspend,
        tool: ToolView::new(
            &a.tool.name,
            &a.tool.version,
            &a.tool.generator,
            a.tool.crates.iter().map(|(k, v)| (k, v)),
        ),
    };
    render_template("allocation.html", view)
}

/// The view of `allocation.html`.
#[derive(Serialize)]
struct AllocationView<'a> {
    lang: &'static str,
    name: &'a str,
    lead: Option<String>,
    period: String,
    budget: String,
    start_year: i32,
    n_areas: usize,
    replications: String,
    seed: String,
    date: Option<&'a str>,
    riskiest: Vec<Riskiest<'a>>,
    equal: Option<Equal<'a>>,
    pool: Option<PoolFinding<'a>>,
    charts: Vec<Figure>,
    keys: Vec<KeyView<'a>>,
    pool_rows: Vec<PoolRow>,
    overspend: bool,
    tool: ToolView<'a>,
}

/// The area with the highest chance of an overrun under a key.
fn riskiest(k: &KeyResult) -> Option<usize> {
    k.areas
        .iter()
        .enumerate()
        .filter(|(_, o)| o.p_overrun.p.is_finite())
        .max_by(|x, y| x.1.p_overrun.p.total_cmp(&y.1.p_overrun.p))
        .map(|(i, _)| i)
}

/// Which wijk runs the most risk under a key.
#[derive(Serialize)]
struct Riskiest<'a> {
    key: &'a str,
    area: &'a str,
    p: String,
    budget: String,
    cost: String,
}

fn riskiest_view<'a>(a: &'a Allocation, k: &'a KeyResult, lang: Lang) -> Option<Riskiest<'a>> {
    let i = riskiest(k)?;
    let o = &k.areas[i];
    Some(Riskiest {
        key: key_label(k, lang),
        area: area_label(a, i),
        p: locale::percent(o.p_overrun.p, 0, lang),
        budget: locale::euro_short(o.budget, lang),
        cost: locale::euro_short(o.cost_first_year.mean, lang),
    })
}

/// What the equal-risk split changes: its common level and, against the
/// per-inhabitant key (or the first), who gains and who loses most.
#[derive(Serialize)]
struct Equal<'a> {
    level: String,
    shift: Option<Shift<'a>>,
}

#[derive(Serialize)]
struct Shift<'a> {
    key: &'a str,
    up: &'a str,
    more: String,
    down: &'a str,
    less: String,
}

fn equal_view(a: &Allocation, lang: Lang) -> Option<Equal<'_>> {
    let (_, eq, level) = equal_risk(a)?;
    let base = a
        .keys
        .iter()
        .find(|k| k.key == Key::PerInhabitant)
        .or_else(|| a.keys.first())
        .filter(|b| b.key != Key::RiskEqualising);
    let shift = base.and_then(|base| {
        let diffs: Vec<(usize, f64)> = eq
            .areas
            .iter()
            .zip(&base.areas)
            .enumerate()
            .map(|(i, (e, b))| (i, e.budget - b.budget))
            .collect();
        let &(iu, du) = diffs.iter().max_by(|x, y| x.1.total_cmp(&y.1))?;
        let &(id, dd) = diffs.iter().min_by(|x, y| x.1.total_cmp(&y.1))?;
        (du > 0.0 && dd < 0.0).then(|| Shift {
            key: key_label(base, lang),
            up: area_label(a, iu),
            more: locale::euro_short(du, lang),
            down: area_label(a, id),
            less: locale::euro_short(-dd, lang),
        })
    });
    Some(Equal {
        level: locale::percent(level, 0, lang),
        shift,
    })
}

/// What the largest pool buys against no pool, under the equal-risk key
/// (or the first).
#[derive(Serialize)]
struct PoolFinding<'a> {
    size: String,
    key: &'a str,
    any_from: String,
    any_to: String,
    all_from: String,
    all_to: String,
    used: String,
    uncovered: String,
}

fn pool_view(a: &Allocation, lang: Lang) -> Option<PoolFinding<'_>> {
    let k = equal_risk(a).map(|e| e.1).or_else(|| a.keys.first())?;
    let f = k.pool.first()?;
    let l = k.pool.iter().max_by(|x, y| x.size.total_cmp(&y.size))?;
    (l.size > f.size).then(|| PoolFinding {
        size: locale::euro(l.size, lang),
        key: key_label(k, lang),
        any_from: locale::percent(f.p_any_area_overrun.p, 0, lang),
        any_to: locale::percent(l.p_any_area_overrun.p, 0, lang),
        all_from: locale::percent(f.p_municipality_overrun.p, 0, lang),
        all_to: locale::percent(l.p_municipality_overrun.p, 0, lang),
        used: locale::euro_short(l.used.mean, lang),
        uncovered: locale::euro_short(l.uncovered.mean, lang),
    })
}

/// A key's table.
#[derive(Serialize)]
struct KeyView<'a> {
    label: &'a str,
    description: String,
    areas: Vec<AreaRow<'a>>,
    total: AreaRow<'a>,
    p_any_area: PctSe,
}

#[derive(Serialize)]
struct AreaRow<'a> {
    name: &'a str,
    budget: String,
    share: String,
    cost: String,
    p5: String,
    p95: String,
    p_overrun: PctSe,
    overrun: String,
}

fn key_view<'a>(a: &'a Allocation, k: &'a KeyResult, lang: Lang) -> KeyView<'a> {
    let tt = &k.total;
    KeyView {
        label: key_label(k, lang),
        description: key_description(k.key, lang),
        areas: k
            .areas
            .iter()
            .enumerate()
            .map(|(i, o)| AreaRow {
                name: area_label(a, i),
                budget: locale::euro(o.budget, lang),
                share: locale::percent(o.share, 1, lang),
                cost: locale::euro(o.cost_first_year.mean, lang),
                p5: locale::euro(o.cost_first_year.p5, lang),
                p95: locale::euro(o.cost_first_year.p95, lang),
                p_overrun: pct_se(o.p_overrun.p, o.p_overrun.se, lang),
                overrun: locale::euro(o.overrun.mean, lang),
            })
            .collect(),
        total: AreaRow {
            name: "",
            budget: locale::euro(tt.budget, lang),
            share: locale::percent(1.0, 1, lang),
            cost: locale::euro(tt.cost_first_year.mean, lang),
            p5: locale::euro(tt.cost_first_year.p5, lang),
            p95: locale::euro(tt.cost_first_year.p95, lang),
            p_overrun: pct_se(
                tt.p_municipality_overrun.p,
                tt.p_municipality_overrun.se,
                lang,
            ),
            overrun: locale::euro(tt.overrun_areas.mean, lang),
        },
        p_any_area: pct_se(tt.p_any_area_overrun.p, tt.p_any_area_overrun.se, lang),
    }
}

/// One pool size: per key the chance that some wijk is not covered, and the
/// municipality's chance of an overrun.
#[derive(Serialize)]
struct PoolRow {
    size: String,
    keys: Vec<Option<PctSe>>,
    municipality: PctSe,
}

/// What a key divides by.
pub fn key_description(k: Key, lang: Lang) -> String {
    match lang {
        Lang::En => k.description().to_string(),
        Lang::Nl => match k {
            Key::PerInhabitant => "naar rato van het aantal inwoners",
            Key::PerHousehold => "naar rato van het aantal huishoudens",
            Key::Historical => "naar rato van de uitgaven van vorig jaar (per wijk opgegeven)",
            Key::NeedsWeighted => {
                "naar rato van een gewogen som van wijkkenmerken, met de opgegeven gewichten"
            }
            Key::NeedsModel => {
                "naar rato van huishoudens per type maal de verwachte jaarlijkse zorgkosten per \
                 huishouden van dat type volgens het model (gemiddeld over de wijken)"
            }
            Key::RiskEqualising => {
                "de verdeling waarbij elke wijk dezelfde kans op een tekort heeft, gevonden door \
                 bisectie op die gemeenschappelijke kans"
            }
        }
        .to_string(),
    }
}
