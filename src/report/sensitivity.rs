//! The "Gevoeligheid" / "Sensitivity" section of `rapport.html`, made from a
//! sensitivity analysis ([`Report`] of `sensitivity.json`) and its charts:
//! per output a plain sentence on the assumptions that matter most, a
//! table of the top drivers and the charts inline.

#![allow(clippy::write_with_newline)]

use std::fmt::Write as _;

use super::{Section, escape, figure};
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
/// line is escaped.
pub fn section(r: &Report, charts: &[Chart], lang: Lang) -> Section {
    let mut h = String::new();
    let _ = write!(
        h,
        "<p>{} <strong>{}</strong> {} {} {}. {}</p>\n",
        t(
            lang,
            "Welke aannames bepalen de uitkomst? Voor variant",
            "Which assumptions drive the outcome? For variant"
        ),
        escape(&r.scenario.variant),
        t(
            lang,
            "is elke onzekere aanname",
            "each uncertain assumption was"
        ),
        t(
            lang,
            "tussen haar P10 en P90 bewogen en is gemeten welk deel van de spreiding ze verklaart",
            "moved between its P10 and P90 and the share of the spread it explains was measured"
        ),
        format_args!(
            "({} {}, seed {})",
            r.parameters.len(),
            t(lang, "parameters", "parameters"),
            r.scenario.seed
        ),
        t(
            lang,
            "Wie de onzekerheid wil verkleinen, begint met betere gegevens over de eerste aannames in elke tabel.",
            "To narrow the uncertainty, start with better data on the first assumptions in each table."
        ),
    );
    if let Some(w) = &r.independence.warning {
        let _ = write!(h, "<p class=\"note\">{}</p>\n", escape(w));
    }
    for (i, o) in r.outputs.iter().enumerate() {
        output_part(&mut h, r, o, i, charts, lang);
    }
    Section {
        id: "gevoeligheid".into(),
        title: t(lang, "Gevoeligheid", "Sensitivity").into(),
        html: h,
    }
}

fn output_part(h: &mut String, r: &Report, o: &OutputInfo, i: usize, charts: &[Chart], lang: Lang) {
    let label = output_label(o, lang);
    let _ = write!(
        h,
        "<h3>{}</h3>\n",
        escape(&crate::charts::style::capitalized(&label))
    );
    let order = drivers(r, &o.key);
    let sobol = r.sobol.iter().find(|s| s.output == o.key);
    let tornado = r.tornado.iter().find(|s| s.output == o.key);
    let rank = r.rank.iter().find(|s| s.output == o.key);
    // The plain sentence.
    let top: Vec<&String> = order.iter().take(2).collect();
    if !top.is_empty() {
        let share = |name: &str| {
            sobol
                .and_then(|s| s.rows.iter().find(|x| x.input == name))
                .map(|x| {
                    format!(
                        " ({} {})",
                        locale::percent(x.total.clamp(0.0, 1.0), 0, lang),
                        t(lang, "van de spreiding", "of the spread")
                    )
                })
                .unwrap_or_default()
        };
        let names: Vec<String> = top
            .iter()
            .map(|n| format!("<code>{}</code>{}", escape(n), share(n)))
            .collect();
        let _ = write!(
            h,
            "<p>{} {} {} {}.</p>\n",
            escape(&crate::charts::style::capitalized(&label)),
            t(
                lang,
                "(bij alle aannames op de mediaan",
                "(with every assumption at its median"
            ),
            format_args!("{})", value(o.at_median, o.unit, lang)),
            format_args!(
                "{} {}",
                t(lang, "hangt het meest af van", "depends most on"),
                names.join(t(lang, " en ", " and "))
            ),
        );
    }
    // The table of top drivers.
    let _ = write!(
        h,
        "<table class=\"sensitivity\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        t(lang, "Aanname", "Assumption"),
        t(lang, "Bron", "Source"),
        t(lang, "Uitkomst bij P10 → P90", "Outcome at P10 → P90"),
        t(lang, "Totaal-index ST", "Total index ST"),
        t(lang, "Eerste orde S1", "First order S1"),
        t(lang, "Rang&shy;correlatie", "Rank correlation"),
    );
    for name in order.iter().take(TOP_DRIVERS) {
        let source = source_of(r, name, lang);
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
        let (st, s1) = sobol
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
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(name),
            escape(&source),
            escape(&swing),
            escape(&st),
            escape(&s1),
            escape(&rho),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    // Its charts.
    let stem = format!("-{}-{}", i + 1, crate::charts::slug(&o.key));
    for c in charts.iter().filter(|c| c.id.ends_with(&stem)) {
        figure(h, c);
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
