//! `rapport.html`: the council briefing, one self-contained HTML file made
//! from a [`Summary`] and its charts (inline SVG and CSS, no scripts, no
//! network requests), laid out to print on A4.
//!
//! The first page says in plain words what the run found; then come the
//! charts, the tables per variant, any extra [`Section`]s (sensitivity,
//! allocation, … added by other modules), every assumption with its source
//! and a methods note. Every text that comes from a scenario file is
//! escaped with [`escape`].

// HTML is written line by line with explicit `\n`s.
#![allow(clippy::write_with_newline)]

pub mod allocation;
pub mod sensitivity;
mod text;

use std::fmt::Write as _;

use crate::charts::Chart;
use crate::locale::{self, Lang};
use crate::results::{Assumption, Comparison, Summary, VariantSummary};
use crate::stats::Stat;

use text::Words;

/// An extra section of the report, placed after the tables and before the
/// assumptions. Its `html` is inserted as is: whoever builds it must
/// [`escape`] every text that came from a scenario file.
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

/// The opening of a report's cover: a kicker line, the (escaped) name as the
/// title and the description, if any, as the lead; the caller adds the
/// meta line and closes the `<header>`.
fn cover_title(h: &mut String, kicker: &str, name: &str, description: &str) {
    let _ = write!(
        h,
        "<header class=\"cover\">\n<p class=\"kicker\">{kicker}</p>\n<h1>{}</h1>\n",
        escape(name)
    );
    if !description.trim().is_empty() {
        let _ = write!(h, "<p class=\"lead\">{}</p>\n", escape(description.trim()));
    }
}

/// Escapes text for HTML element content and quoted attribute values.
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

const CSS: &str = include_str!("report.css");

/// The whole HTML document.
pub fn render(r: &Report) -> String {
    let w = Words(r.lang);
    let s = r.summary;
    let mut h =
        String::with_capacity(64 * 1024 + r.charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        r.lang.code(),
        escape(&s.scenario.name),
        w.t("risicoanalyse wijkbudget", "wijkbudget risk analysis"),
    );
    cover(&mut h, r);
    summary_page(&mut h, r);
    charts(&mut h, r);
    tables(&mut h, r);
    for sec in r.sections {
        let _ = write!(
            h,
            "<section class=\"page\" id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
            escape(&sec.id),
            escape(&sec.title),
            sec.html
        );
    }
    assumptions(&mut h, r);
    methods(&mut h, r);
    h.push_str("</body>\n</html>\n");
    h
}

fn period(s: &Summary) -> String {
    match (s.scenario.years.first(), s.scenario.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn cover(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let s = r.summary;
    let sc = &s.scenario;
    cover_title(
        h,
        w.t(
            "Risicoanalyse gebiedsgerichte financiering",
            "Risk analysis of area-based financing",
        ),
        &sc.name,
        &sc.description,
    );
    let _ = write!(
        h,
        "<p class=\"meta\">{} {} · {} {} {} · seed {}{}</p>\n</header>\n",
        w.t("Periode", "Period"),
        period(s),
        locale::number(f64::from(sc.replications), 0, r.lang),
        w.t(
            "gesimuleerde toekomsten per variant",
            "simulated futures per variant"
        ),
        format_args!("({} {})", s.variants.len(), w.t("varianten", "variants")),
        sc.seed,
        r.date
            .map(|d| format!(" · {} {}", w.t("berekend op", "computed on"), escape(d)))
            .unwrap_or_default()
    );
}

/// The first page: the findings in plain words.
fn summary_page(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let s = r.summary;
    let lang = r.lang;
    let _ = write!(
        h,
        "<section id=\"samenvatting\">\n<h2>{}</h2>\n",
        w.t("Samenvatting", "Summary")
    );
    let Some(base) = s.variants.first() else {
        h.push_str("</section>\n");
        return;
    };
    h.push_str("<div class=\"findings\">\n");
    let _ = write!(h, "<p>{}</p>\n", w.overrun_sentence(base, &period(s)));
    for c in &s.comparisons {
        let Some(v) = s.variants.iter().find(|v| v.name == c.variant) else {
            continue;
        };
        let _ = write!(
            h,
            "<p>{}</p>\n",
            w.comparison_sentence(base, v, c, &period(s))
        );
    }
    h.push_str("</div>\n");
    headline_table(h, r);
    if s.variants.len() > 1 {
        best_table(h, r);
    }
    let _ = write!(
        h,
        "<p class=\"note\">{}</p>\n</section>\n",
        w.t(
            "Tekort: zorguitgaven boven het plafond voor zover de reserve ze niet dekt, opgeteld over de periode. \
             ± is de Monte Carlo-standaardfout: verschillen kleiner dan twee standaardfouten zijn niet betrouwbaar. \
             Bedragen in euro's van het jaar waarin ze worden uitgegeven.",
            "Overrun: care spend above the ceiling as far as the reserve does not cover it, summed over the period. \
             ± is the Monte Carlo standard error: differences smaller than two standard errors are not reliable. \
             Amounts in euros of the year in which they are spent."
        )
    );
    let _ = lang;
}

fn headline_table(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let _ = write!(
        h,
        "<table class=\"headline\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.t("Variant", "Variant"),
        w.t(
            "Kans op een tekort (enig jaar)",
            "Chance of an overrun (any year)"
        ),
        w.t("In het laatste jaar", "In the last year"),
        w.t("Verwacht tekort", "Expected overrun"),
        w.t("Tekort in de slechtste 5%", "Overrun in the worst 5%"),
        w.t("Totale kosten", "Total cost"),
    );
    for v in &r.summary.variants {
        let hl = &v.headline;
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}<span class=\"se\">± {}</span></td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}<span class=\"se\">± {}</span></td></tr>\n",
            escape(&v.name),
            locale::percent(hl.p_overrun_any_year.p, 1, lang),
            locale::percent_se(hl.p_overrun_any_year.se, lang),
            locale::percent(hl.p_overrun_last_year.p, 1, lang),
            locale::euro(hl.overrun.mean, lang),
            locale::euro(hl.overrun.p95, lang),
            locale::euro(hl.total_cost.mean, lang),
            locale::se(hl.total_cost.se, 0, lang),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

/// Which variant is best on each criterion.
fn best_table(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let vs = &r.summary.variants;
    let horizon = |v: &VariantSummary, k: &str| v.horizon.get(k).map_or(f64::NAN, |s| s.mean);
    type Crit<'a> = (&'static str, Box<dyn Fn(&VariantSummary) -> f64 + 'a>, Fmt);
    let criteria: Vec<Crit> = vec![
        (
            w.t(
                "Kleinste kans op een tekort",
                "Smallest chance of an overrun",
            ),
            Box::new(|v: &VariantSummary| v.headline.p_overrun_any_year.p),
            Fmt::Percent,
        ),
        (
            w.t("Kleinste verwachte tekort", "Smallest expected overrun"),
            Box::new(|v: &VariantSummary| v.headline.overrun.mean),
            Fmt::Euro,
        ),
        (
            w.t("Laagste totale kosten", "Lowest total cost"),
            Box::new(|v: &VariantSummary| v.headline.total_cost.mean),
            Fmt::Euro,
        ),
        (
            w.t("Minste escalaties", "Fewest escalations"),
            Box::new(move |v: &VariantSummary| horizon(v, "escalations")),
            Fmt::Count,
        ),
        (
            w.t("Minste wachtmaanden", "Fewest months waiting"),
            Box::new(move |v: &VariantSummary| horizon(v, "waiting_months")),
            Fmt::Count,
        ),
    ];
    let _ = write!(
        h,
        "<h3>{}</h3>\n<table class=\"best\">\n<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.t(
            "Welke variant is het best waarop",
            "Which variant is best on what"
        ),
        w.t("Criterium", "Criterion"),
        w.t("Beste variant", "Best variant"),
        w.t("Waarde (gemiddeld)", "Value (mean)"),
    );
    for (label, f, kind) in &criteria {
        let vals: Vec<f64> = vs.iter().map(f).collect();
        let Some((i, x)) = vals
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, x)| x.is_finite())
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        let ties = vals.iter().filter(|&&y| y == x).count();
        let who = if ties > 1 {
            format!(
                "{} ({} {})",
                escape(&vs[i].name),
                w.t("gelijk met", "tied with"),
                ties - 1
            )
        } else {
            escape(&vs[i].name)
        };
        let _ = write!(
            h,
            "<tr><td>{label}</td><td>{who}</td><td class=\"num\">{}</td></tr>\n",
            kind.show(x, lang)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

#[derive(Clone, Copy)]
enum Fmt {
    Percent,
    Euro,
    Count,
}

impl Fmt {
    fn show(self, x: f64, lang: Lang) -> String {
        match self {
            Fmt::Percent => locale::percent(x, 1, lang),
            Fmt::Euro => locale::euro(x, lang),
            Fmt::Count => locale::number(x, 0, lang),
        }
    }
}

fn charts(h: &mut String, r: &Report) {
    if r.charts.is_empty() {
        return;
    }
    let w = Words(r.lang);
    let _ = write!(
        h,
        "<section class=\"page\" id=\"grafieken\">\n<h2>{}</h2>\n",
        w.t("Grafieken", "Charts")
    );
    for c in r.charts {
        figure(h, c);
    }
    h.push_str("</section>\n");
}

/// A chart as a `<figure>` with its SVG inline, labelled by its title.
pub(crate) fn figure(h: &mut String, c: &Chart) {
    let title = escape(&c.title);
    let svg = c.svg.trim_start();
    let svg = svg
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>").map(|(_, s)| s.trim_start()))
        .unwrap_or(svg);
    let svg = match svg.strip_prefix("<svg") {
        Some(rest) => format!("<svg role=\"img\" aria-label=\"{title}\"{rest}"),
        None => String::new(),
    };
    let _ = write!(
        h,
        "<figure id=\"chart-{}\">\n{svg}\n</figure>\n",
        escape(&c.id)
    );
}

/// A row of a year table: label and cells.
fn stat_cells(lang: Lang, y: &std::collections::BTreeMap<String, Stat>, p_overrun: f64) -> String {
    let m = |k: &str| y.get(k).copied().unwrap_or_else(|| Stat::of(&[]));
    format!(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        locale::euro(m("care_spend").mean, lang),
        locale::euro(m("ceiling").mean, lang),
        locale::percent(p_overrun, 1, lang),
        locale::euro(m("overrun").mean, lang),
        locale::euro(m("overrun").p95, lang),
        locale::number(m("escalations").mean, 0, lang),
        locale::number(m("waiting_end").mean, 0, lang),
    )
}

fn tables(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let s = r.summary;
    let _ = write!(
        h,
        "<section class=\"page\" id=\"tabellen\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        w.t("Tabellen per variant", "Tables per variant"),
        w.t(
            "Gemiddelden over de gesimuleerde toekomsten, behalve waar P95 staat (de grens van de slechtste 5%). \
             Zorguitgaven: wat meetelt voor het plafond. De regel ‘periode’ telt jaren op, \
             behalve wachtenden (eind van de periode) en de kans op een tekort (in enig jaar).",
            "Means over the simulated futures, except where P95 is shown (the edge of the worst 5%). \
             Care spend: what counts against the ceiling. The ‘period’ row adds up the years, \
             except waiting (end of the period) and the chance of an overrun (in any year)."
        )
    );
    for v in &s.variants {
        let _ = write!(h, "<div class=\"variant\">\n<h3>{}</h3>\n", escape(&v.name));
        if !v.description.trim().is_empty() {
            let _ = write!(h, "<p>{}</p>\n", escape(v.description.trim()));
        }
        let _ = write!(
            h,
            "<table class=\"years\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            w.t("Jaar", "Year"),
            w.t("Zorguitgaven", "Care spend"),
            w.t("Plafond", "Ceiling"),
            w.t("Kans op tekort", "Chance of overrun"),
            w.t("Tekort", "Overrun"),
            w.t("Tekort P95", "Overrun P95"),
            w.t("Escalaties", "Escalations"),
            w.t("Wachtenden (eind)", "Waiting (end)"),
        );
        for y in &v.years {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th>{}</tr>\n",
                y.year,
                stat_cells(lang, &y.metrics, y.p_overrun.p)
            );
        }
        let _ = write!(
            h,
            "<tr class=\"total\"><th scope=\"row\">{} {}</th>{}</tr>\n</tbody>\n</table>\n</div>\n",
            w.t("periode", "period"),
            period(s),
            stat_cells(lang, &v.horizon, v.headline.p_overrun_any_year.p)
        );
    }
    if !s.comparisons.is_empty() {
        comparison_table(h, r);
    }
    h.push_str("</section>\n");
}

fn comparison_table(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let s = r.summary;
    let base = s
        .comparisons
        .first()
        .map(|c| c.baseline.as_str())
        .unwrap_or("");
    let _ = write!(
        h,
        "<h3>{} {}</h3>\n<p class=\"note\">{}</p>\n\
         <table class=\"comparison\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.t("Gepaard verschil met", "Paired difference with"),
        escape(base),
        w.t(
            "Variant min basis over de hele periode, per gesimuleerde toekomst vergeleken (negatief: goedkoper).",
            "Variant minus baseline over the whole period, compared future by future (negative: cheaper)."
        ),
        w.t("Variant", "Variant"),
        w.t("Verschil totale kosten", "Difference in total cost"),
        w.t("90%-interval", "90% interval"),
        w.t("Kans op besparing", "Chance of a saving"),
        w.t("Verschil tekort", "Difference in overrun"),
        w.t("Terugverdiend", "Break-even"),
    );
    for c in &s.comparisons {
        let d = &c.total_cost_difference;
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}<span class=\"se\">± {}</span></td><td class=\"num\">{} … {}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&c.variant),
            locale::euro(d.mean, lang),
            locale::se(d.se, 0, lang),
            locale::euro(d.p5, lang),
            locale::euro(d.p95, lang),
            locale::percent(c.p_saving.p, 1, lang),
            locale::euro(c.overrun_difference.mean, lang),
            break_even(c, lang),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn break_even(c: &Comparison, lang: Lang) -> String {
    match c.break_even_year {
        Some(y) => y.to_string(),
        None => Words(lang)
            .t("niet binnen de periode", "not within the period")
            .to_string(),
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

/// A parameter path that may break after its dots and underscores.
fn breakable(path: &str) -> String {
    escape(path).replace('.', ".<wbr>").replace('_', "_<wbr>")
}

/// A distribution in words: a fixed value as the number, else its text.
fn distribution(a: &Assumption, lang: Lang) -> String {
    match a.dist {
        crate::dist::Dist::Fixed { value } => format!(
            "{} {}",
            match lang {
                Lang::Nl => "vast",
                Lang::En => "fixed",
            },
            sig(value, lang)
        ),
        _ => escape(&a.description),
    }
}

fn assumption_rows(h: &mut String, list: &[&Assumption], lang: Lang) {
    for a in list {
        let _ = write!(
            h,
            "<tr><td class=\"path\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
            breakable(&a.path),
            distribution(a, lang),
            sig(a.mean, lang),
            a.source
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "—".to_string()),
            if a.line == 0 {
                "—".to_string()
            } else {
                a.line.to_string()
            }
        );
    }
}

fn assumptions(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let s = r.summary;
    let Some(base) = s.variants.first() else {
        return;
    };
    let head = format!(
        "<thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead>\n",
        w.t("Parameter", "Parameter"),
        w.t("Verdeling", "Distribution"),
        w.t("Gemiddelde", "Mean"),
        w.t("Bron", "Source"),
        w.t("Regel", "Line"),
    );
    let _ = write!(
        h,
        "<section class=\"page\" id=\"aannames\">\n<h2>{}</h2>\n<p class=\"note\">{} {}{}</p>\n\
         <h3>{}: {}</h3>\n<table class=\"assumptions\">\n{head}<tbody>\n",
        w.t("Aannames", "Assumptions"),
        w.t(
            "Elke aanname van het scenario met haar kansverdeling, het gemiddelde daarvan, de bron en de regel in het scenariobestand",
            "Every assumption of the scenario with its probability distribution, its mean, the source and the line in the scenario file"
        ),
        s.scenario
            .file
            .as_deref()
            .map(|f| format!("({})", escape(f)))
            .unwrap_or_default(),
        w.t(
            ". Bronnen: [D] data, [L] literatuur, [E] schatting van deskundigen.",
            ". Sources: [D] data, [L] literature, [E] expert estimate."
        ),
        w.t("Basis", "Baseline"),
        escape(&base.name),
    );
    let all: Vec<&Assumption> = base.assumptions.iter().collect();
    assumption_rows(h, &all, lang);
    h.push_str("</tbody>\n</table>\n");
    for v in &s.variants[1..] {
        let differ: Vec<&Assumption> = v
            .assumptions
            .iter()
            .filter(|a| {
                !base
                    .assumptions
                    .iter()
                    .any(|b| b.path == a.path && b.dist == a.dist && b.source == a.source)
            })
            .collect();
        let _ = write!(
            h,
            "<h3>{}: {}</h3>\n",
            escape(&v.name),
            w.t("wat afwijkt van de basis", "what differs from the baseline")
        );
        if differ.is_empty() {
            let _ = write!(
                h,
                "<p>{}</p>\n",
                w.t(
                    "Geen onzekere aanname wijkt af; de variant verschilt in vaste instellingen (beleid, budget).",
                    "No uncertain assumption differs; the variant differs in fixed settings (policy, budget)."
                )
            );
            continue;
        }
        let _ = write!(h, "<table class=\"assumptions\">\n{head}<tbody>\n");
        assumption_rows(h, &differ, lang);
        h.push_str("</tbody>\n</table>\n");
    }
    drivers(h, r);
    h.push_str("</section>\n");
}

/// The assumptions that move the baseline's result most.
fn drivers(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let lang = r.lang;
    let Some(base) = r.summary.variants.first() else {
        return;
    };
    if base.drivers.is_empty() {
        return;
    }
    let mut ds: Vec<_> = base.drivers.iter().collect();
    ds.sort_by(|a, b| {
        b.rank_correlation_total_cost
            .abs()
            .total_cmp(&a.rank_correlation_total_cost.abs())
    });
    let _ = write!(
        h,
        "<h3>{}</h3>\n<p class=\"note\">{}</p>\n<table class=\"drivers\">\n<thead><tr><th>{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.t(
            "Welke aannames het meest uitmaken (basis)",
            "Which assumptions matter most (baseline)"
        ),
        w.t(
            "Rangcorrelatie (Spearman) van elke onzekere aanname met de totale kosten en het tekort over de periode: \
             dicht bij 0 maakt weinig uit, dicht bij ±1 veel. De tien sterkste.",
            "Rank correlation (Spearman) of each uncertain assumption with total cost and overrun over the period: \
             near 0 matters little, near ±1 a lot. The ten strongest."
        ),
        w.t("Parameter", "Parameter"),
        w.t("Met totale kosten", "With total cost"),
        w.t("Met tekort", "With overrun"),
    );
    for d in ds.iter().take(10) {
        let _ = write!(
            h,
            "<tr><td class=\"path\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            breakable(&d.path),
            locale::number(d.rank_correlation_total_cost, 2, lang),
            locale::number(d.rank_correlation_overrun, 2, lang),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn methods(h: &mut String, r: &Report) {
    let w = Words(r.lang);
    let s = r.summary;
    let _ = write!(
        h,
        "<section class=\"page\" id=\"methode\">\n<h2>{}</h2>\n{}\n<h3>{}</h3>\n<ul>\n",
        w.t("Methode", "Method"),
        w.methods_text(s),
        w.t("Wat het model weglaat", "What the model leaves out"),
    );
    for item in w.left_out() {
        let _ = write!(h, "<li>{item}</li>\n");
    }
    let crates: Vec<String> = s
        .tool
        .crates
        .iter()
        .map(|(k, v)| format!("{} {}", escape(k), escape(v)))
        .collect();
    let _ = write!(
        h,
        "</ul>\n<p class=\"note\">{} {} {} · {} · {}</p>\n</section>\n",
        w.t("Gemaakt met", "Made with"),
        escape(&s.tool.name),
        escape(&s.tool.version),
        escape(&s.tool.generator),
        crates.join(", ")
    );
}
