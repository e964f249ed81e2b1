//! The "Gevoeligheid" / "Sensitivity" section of `rapport.html`, made from a
//! sensitivity analysis ([`Report`] of `sensitivity.json`) and its charts:
//! per output a plain sentence on the assumptions that matter most, a
//! table of the top drivers and the charts inline. The layout and the
//! fixed words are `templates/sensitivity.html`; this module builds its view.

use serde::Serialize;

use super::templates::render as render_template;
use super::{Figure, Section};
use crate::charts::Chart;
use crate::charts::sensitivity::{output_label, value};
use crate::locale::{self, Lang};
use crate::sensitivity::report::{InputKind, OutputInfo, Report};

/// Drivers shown in each output's table.
pub const TOP_DRIVERS: usize = 5;

fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    crate::charts::style::t(lang, nl, en)
}

/// The inputs of an output, most influential first: by Sobol total index
/// when Sobol ran, else by tornado swing, else Morris mu*, else |rank
/// correlation|.
pub fn drivers(r: &Report, output: &str) -> Vec<String> {
    if let Some(s) = r.sobol.iter().find(|s| s.output == output)
        && !s.rows.is_empty()
    {
        return s.rows.iter().map(|x| x.input.clone()).collect();
    }
    if let Some(s) = r.tornado.iter().find(|s| s.output == output)
        && !s.rows.is_empty()
    {
        return s.rows.iter().map(|x| x.input.clone()).collect();
    }
    if let Some(s) = r.morris.iter().find(|s| s.output == output)
        && !s.rows.is_empty()
    {
        return s.rows.iter().map(|x| x.input.clone()).collect();
    }
    r.rank
        .iter()
        .find(|s| s.output == output)
        .map(|s| s.rows.iter().map(|x| x.input.clone()).collect())
        .unwrap_or_default()
}

/// The section; `charts` are those of [`crate::charts::for_sensitivity`]
/// (matched to outputs by id). Every text from the scenario or the command
/// line is escaped by the template.
pub fn section(r: &Report, charts: &[Chart], lang: Lang) -> Section {
    let view = SectionView {
        lang: lang.code(),
        variant: &r.scenario.variant,
        n_parameters: r.parameters.len(),
        seed: r.scenario.seed.to_string(),
        warning: r.independence.warning.as_deref(),
        outputs: r
            .outputs
            .iter()
            .enumerate()
            .map(|(i, o)| output_view(r, o, i, charts, lang))
            .collect(),
    };
    Section {
        id: "gevoeligheid".into(),
        title: t(lang, "Gevoeligheid", "Sensitivity").into(),
        html: render_template("sensitivity.html", view),
    }
}

/// The view of `sensitivity.html`.
#[derive(Serialize)]
struct SectionView<'a> {
    lang: &'static str,
    variant: &'a str,
    n_parameters: usize,
    seed: String,
    warning: Option<&'a str>,
    outputs: Vec<OutputView>,
}

/// One output: its label, the plain sentence's top two inputs, the table
/// of top drivers and its charts.
#[derive(Serialize)]
struct OutputView {
    label: String,
    at_median: String,
    top: Vec<TopInput>,
    drivers: Vec<DriverRow>,
    charts: Vec<Figure>,
}

#[derive(Serialize)]
struct TopInput {
    name: String,
    /// Its share of the spread (Sobol total index), when Sobol ran.
    share: Option<String>,
}

#[derive(Serialize)]
struct DriverRow {
    name: String,
    source: String,
    swing: String,
    total: String,
    first_order: String,
    rho: String,
}

fn output_view(r: &Report, o: &OutputInfo, i: usize, charts: &[Chart], lang: Lang) -> OutputView {
    let order = drivers(r, &o.key);
    let sobol = r.sobol.iter().find(|s| s.output == o.key);
    let tornado = r.tornado.iter().find(|s| s.output == o.key);
    let rank = r.rank.iter().find(|s| s.output == o.key);
    let top = order
        .iter()
        .take(2)
        .map(|name| TopInput {
            name: name.clone(),
            share: sobol
                .and_then(|s| s.rows.iter().find(|x| &x.input == name))
                .map(|x| locale::percent(x.total.clamp(0.0, 1.0), 0, lang)),
        })
        .collect();
    let drivers = order
        .iter()
        .take(TOP_DRIVERS)
        .map(|name| {
            let swing = tornado
                .and_then(|s| s.rows.iter().find(|x| &x.input == name))
                .map(|x| {
                    format!(
                        "{} → {}",
                        value(x.output_low, o.unit, lang),
                        value(x.output_high, o.unit, lang)
                    )
                })
                .unwrap_or_else(|| "–".into());
            let (total, first_order) = sobol
                .and_then(|s| s.rows.iter().find(|x| &x.input == name))
                .map(|x| {
                    (
                        format!(
                            "{} [{}; {}]",
                            locale::percent(x.total, 0, lang),
                            locale::percent(x.total_low, 0, lang),
                            locale::percent(x.total_high, 0, lang)
                        ),
                        locale::percent(x.first_order, 0, lang),
                    )
                })
                .unwrap_or_else(|| ("–".into(), "–".into()));
            let rho = rank
                .and_then(|s| s.rows.iter().find(|x| &x.input == name))
                .map(|x| x.spearman)
                .or_else(|| {
                    tornado
                        .and_then(|s| s.rows.iter().find(|x| &x.input == name))
                        .and_then(|x| x.rank_correlation)
                })
                .map_or_else(|| "–".into(), |v| locale::number(v, 2, lang));
            DriverRow {
                name: name.clone(),
                source: source_of(r, name, lang),
                swing,
                total,
                first_order,
                rho,
            }
        })
        .collect();
    let stem = format!("-{}-{}", i + 1, crate::charts::slug(&o.key));
    OutputView {
        label: crate::charts::style::capitalized(&output_label(o, lang)),
        at_median: value(o.at_median, o.unit, lang),
        top,
        drivers,
        charts: charts
            .iter()
            .filter(|c| c.id.ends_with(&stem))
            .map(Figure::of)
            .collect(),
    }
}

/// Where an input's numbers come from: the parameter's source, or a
/// group's members.
fn source_of(r: &Report, name: &str, lang: Lang) -> String {
    if let Some(p) = r.parameters.iter().find(|p| p.path == name) {
        return p
            .source
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| t(lang, "geen bron opgegeven", "no source given").into());
    }
    match r.groups.iter().find(|g| g.name == name) {
        Some(g) => {
            let kind = match g.kind {
                InputKind::Correlated => t(lang, "gecorreleerde groep", "correlated group"),
                _ => t(lang, "groep", "group"),
            };
            let members = g.members.join(", ");
            format!("{kind}: {}", crate::charts::style::clip(&members, 120))
        }
        None => String::new(),
    }
}
