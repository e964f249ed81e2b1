//! `rapport.html` of `wijkbudget allocate`: one self-contained page for the
//! municipality, made from an [`Allocation`] and its charts, in the run
//! report's layout and CSS. First the findings in plain words (which key
//! gives which wijk the most overrun risk, what the equal-risk split
//! changes, what a pool buys), then the charts, the tables per key, the
//! pool table and a methods note. Every text from the input is escaped.

// HTML is written line by line with explicit `\n`s.
#![allow(clippy::write_with_newline)]

use std::fmt::Write as _;

use super::{CSS, escape};
use crate::allocation::{Allocation, Key, KeyResult, PoolPolicy};
use crate::charts::Chart;
use crate::charts::allocation::{area_label, equal_risk, key_label};
use crate::locale::{self, Lang};

fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

fn period(a: &Allocation) -> String {
    let last = a.start_year + a.horizon_years.saturating_sub(1) as i32;
    if last > a.start_year {
        format!("{}–{}", a.start_year, last)
    } else {
        a.start_year.to_string()
    }
}

fn pct_se(p: f64, se: f64, lang: Lang) -> String {
    format!(
        "{} <span class=\"se\">± {}</span>",
        locale::percent(p, 1, lang),
        locale::percent_se(se, lang)
    )
}

/// The whole HTML document of an allocation. `date` is the day of the run.
pub fn render(a: &Allocation, charts: &[Chart], lang: Lang, date: Option<&str>) -> String {
    let mut h =
        String::with_capacity(48 * 1024 + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        escape(&a.name),
        t(lang, "verdeling wijkbudget", "wijkbudget allocation"),
    );
    cover(&mut h, a, lang, date);
    findings(&mut h, a, lang);
    figures(&mut h, charts, lang);
    tables(&mut h, a, lang);
    pool_table(&mut h, a, lang);
    methods(&mut h, a, lang);
    h.push_str("</body>\n</html>\n");
    h
}

fn cover(h: &mut String, a: &Allocation, lang: Lang, date: Option<&str>) {
    super::cover_title(
        h,
        t(
            lang,
            "Verdeling van het gebiedsbudget over de wijken",
            "Dividing the area budget over the wijken",
        ),
        &a.name,
        &a.description,
    );
    let _ = write!(
        h,
        "<p class=\"meta\">{} {} · {} {} {} · {} {} · {} {} · seed {}{}</p>\n</header>\n",
        t(lang, "Periode", "Period"),
        period(a),
        t(lang, "budget", "budget"),
        locale::euro(a.total_budget, lang),
        format_args!("({} {})", t(lang, "in", "in"), a.start_year),
        a.areas.len(),
        t(lang, "wijken", "wijken"),
        locale::number(f64::from(a.replications), 0, lang),
        t(lang, "gesimuleerde toekomsten", "simulated futures"),
        a.seed,
        date.map(|d| format!(" · {} {}", t(lang, "berekend op", "computed on"), escape(d)))
            .unwrap_or_default()
    );
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

fn findings(h: &mut String, a: &Allocation, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"samenvatting\">\n<h2>{}</h2>\n<div class=\"findings\">\n",
        t(lang, "Samenvatting", "Summary")
    );
    let per = period(a);
    // Which key gives which wijk the most overrun risk.
    let _ = write!(
        h,
        "<p>{}</p>\n<ul>\n",
        t(
            lang,
            "Welke wijk loopt onder elke verdeelsleutel het meeste risico op een tekort (uitgaven boven het wijkbudget in minstens één jaar)?",
            "Which wijk runs the largest risk of an overrun (spend above its budget in at least one year) under each key?"
        )
    );
    for k in &a.keys {
        let Some(i) = riskiest(k) else { continue };
        let o = &k.areas[i];
        let _ = write!(
            h,
            "<li><strong>{}</strong>: {} — {} <strong>{}</strong> {} {per} ({} {} {} {} {} {}).</li>\n",
            escape(key_label(k, lang)),
            escape(area_label(a, i)),
            t(lang, "kans op een tekort", "chance of an overrun"),
            locale::percent(o.p_overrun.p, 0, lang),
            t(lang, "in", "in"),
            t(lang, "budget", "budget"),
            locale::euro_short(o.budget, lang),
            t(lang, "tegen verwachte kosten", "against expected cost"),
            locale::euro_short(o.cost_first_year.mean, lang),
            t(lang, "in", "in"),
            a.start_year,
        );
    }
    h.push_str("</ul>\n");
    // What the equal-risk split changes.
    if let Some((_, eq, level)) = equal_risk(a) {
        let base = a
            .keys
            .iter()
            .find(|k| k.key == Key::PerInhabitant)
            .or_else(|| a.keys.first());
        let mut s = format!(
            "{} <strong>{}</strong> {} {per}.",
            t(
                lang,
                "De verdeling naar gelijk risico geeft elke wijk dezelfde kans op een tekort: ongeveer",
                "The equal-risk split gives every wijk the same chance of an overrun: about"
            ),
            locale::percent(level, 0, lang),
            t(lang, "in", "in"),
        );
        if let Some(base) = base.filter(|b| b.key != Key::RiskEqualising) {
            let diffs: Vec<(usize, f64)> = eq
                .areas
                .iter()
                .zip(&base.areas)
                .enumerate()
                .map(|(i, (e, b))| (i, e.budget - b.budget))
                .collect();
            let up = diffs.iter().max_by(|x, y| x.1.total_cmp(&y.1));
            let down = diffs.iter().min_by(|x, y| x.1.total_cmp(&y.1));
            if let (Some(&(iu, du)), Some(&(id, dd))) = (up, down)
                && du > 0.0
                && dd < 0.0
            {
                s.push_str(&format!(
                    " {} {}: {} {} {} {}, {} {} {}.",
                    t(lang, "Vergeleken met", "Compared with"),
                    escape(key_label(base, lang)),
                    escape(area_label(a, iu)),
                    t(lang, "krijgt", "gets"),
                    locale::euro_short(du, lang),
                    t(lang, "meer", "more"),
                    escape(area_label(a, id)),
                    locale::euro_short(-dd, lang),
                    t(lang, "minder", "less"),
                ));
            }
        }
        let _ = write!(h, "<p>{s}</p>\n");
    }
    // What a pool buys.
    let key = equal_risk(a).map(|e| e.1).or_else(|| a.keys.first());
    if let Some(k) = key
        && let (Some(f), Some(l)) = (
            k.pool.first(),
            k.pool.iter().max_by(|x, y| x.size.total_cmp(&y.size)),
        )
        && l.size > f.size
    {
        let _ = write!(
            h,
            "<p>{} {} {} ({}) {} <strong>{}</strong> {} <strong>{}</strong>; {} {} {} {}. {} {} {per}; {} {}.</p>\n",
            t(
                lang,
                "Een gedeelde reservepot (pool) van",
                "A shared reserve (pool) of"
            ),
            locale::euro(l.size, lang),
            t(
                lang,
                "per jaar verlaagt de kans dat minstens één wijk een tekort niet gedekt krijgt",
                "a year cuts the chance that some wijk has an overrun the pool does not cover"
            ),
            escape(key_label(k, lang)),
            t(lang, "van", "from"),
            locale::percent(f.p_any_area_overrun.p, 0, lang),
            t(lang, "naar", "to"),
            locale::percent(l.p_any_area_overrun.p, 0, lang),
            t(
                lang,
                "de kans dat de gemeente als geheel tekortkomt gaat van",
                "the chance that the municipality as a whole overruns goes from"
            ),
            locale::percent(f.p_municipality_overrun.p, 0, lang),
            t(lang, "naar", "to"),
            locale::percent(l.p_municipality_overrun.p, 0, lang),
            t(lang, "Gemiddeld wordt", "On average"),
            locale::euro_short(l.used.mean, lang),
            t(
                lang,
                "uit de pot gebruikt; ongedekt blijft gemiddeld",
                "of the pool is used; uncovered on average"
            ),
            locale::euro_short(l.uncovered.mean, lang),
        );
    }
    h.push_str("</div>\n");
    let _ = write!(
        h,
        "<p class=\"note\">{}</p>\n</section>\n",
        t(
            lang,
            "Budget en verwachte kosten gelden voor het eerste jaar; latere jaren volgen de indexatie. \
             ± is de Monte Carlo-standaardfout: verschillen kleiner dan twee standaardfouten zijn niet betrouwbaar.",
            "Budget and expected cost are for the first year; later years follow the indexation. \
             ± is the Monte Carlo standard error: differences smaller than two standard errors are not reliable."
        )
    );
}

fn figures(h: &mut String, charts: &[Chart], lang: Lang) {
    if charts.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section class=\"page\" id=\"grafieken\">\n<h2>{}</h2>\n",
        t(lang, "Grafieken", "Charts")
    );
    for c in charts {
        super::figure(h, c);
    }
    h.push_str("</section>\n");
}

fn tables(h: &mut String, a: &Allocation, lang: Lang) {
    let _ = write!(
        h,
        "<section class=\"page\" id=\"tabellen\">\n<h2>{}</h2>\n<p class=\"note\">{} {per}.</p>\n",
        t(lang, "Tabellen per verdeelsleutel", "Tables per key"),
        t(
            lang,
            "Budget en kosten in het eerste jaar (kosten: gemiddelde en 90%-interval P5–P95); \
             kans op een tekort in minstens één jaar en verwacht tekort opgeteld over",
            "Budget and cost in the first year (cost: mean and 90% interval P5–P95); \
             chance of an overrun in at least one year and expected overrun summed over"
        ),
        per = period(a),
    );
    for k in &a.keys {
        let _ = write!(
            h,
            "<div class=\"variant\">\n<h3>{}</h3>\n<p>{}</p>\n",
            escape(key_label(k, lang)),
            escape(&key_description(k.key, lang)),
        );
        let _ = write!(
            h,
            "<table>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            t(lang, "Wijk", "Wijk"),
            t(lang, "Budget", "Budget"),
            t(lang, "Aandeel", "Share"),
            t(lang, "Verwachte kosten", "Expected cost"),
            t(lang, "P5–P95", "P5–P95"),
            t(lang, "Kans op tekort", "Chance of overrun"),
            t(lang, "Verwacht tekort", "Expected overrun"),
        );
        for (i, o) in k.areas.iter().enumerate() {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{} – {}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>\n",
                escape(area_label(a, i)),
                locale::euro(o.budget, lang),
                locale::percent(o.share, 1, lang),
                locale::euro(o.cost_first_year.mean, lang),
                locale::euro(o.cost_first_year.p5, lang),
                locale::euro(o.cost_first_year.p95, lang),
                pct_se(o.p_overrun.p, o.p_overrun.se, lang),
                locale::euro(o.overrun.mean, lang),
            );
        }
        let tt = &k.total;
        let _ = write!(
            h,
            "<tr class=\"total\"><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{} – {}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>\n</tbody>\n</table>\n",
            t(lang, "gemeente", "municipality"),
            locale::euro(tt.budget, lang),
            locale::percent(1.0, 1, lang),
            locale::euro(tt.cost_first_year.mean, lang),
            locale::euro(tt.cost_first_year.p5, lang),
            locale::euro(tt.cost_first_year.p95, lang),
            pct_se(
                tt.p_municipality_overrun.p,
                tt.p_municipality_overrun.se,
                lang
            ),
            locale::euro(tt.overrun_areas.mean, lang),
        );
        let _ = write!(
            h,
            "<p class=\"note\">{} {}.</p>\n</div>\n",
            t(
                lang,
                "Kans dat minstens één wijk tekortkomt (zonder pool):",
                "Chance that some wijk overruns (no pool):"
            ),
            pct_se(tt.p_any_area_overrun.p, tt.p_any_area_overrun.se, lang),
        );
    }
    h.push_str("</section>\n");
}

fn pool_table(h: &mut String, a: &Allocation, lang: Lang) {
    let Some(first) = a.keys.first() else { return };
    if first.pool.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"pool\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n<thead><tr><th class=\"num\">{}</th>",
        t(lang, "Gedeelde reservepot", "Shared pool"),
        t(
            lang,
            "Kans dat minstens één wijk een tekort heeft dat de pool niet dekt, per sleutel, \
             en de kans dat de gemeente als geheel tekortkomt (uitgaven boven budget plus pool).",
            "Chance that some wijk has an overrun the pool does not cover, per key, and the chance \
             that the municipality as a whole overruns (spend above budget plus pool)."
        ),
        t(lang, "Pool", "Pool"),
    );
    for k in &a.keys {
        let _ = write!(h, "<th class=\"num\">{}</th>", escape(key_label(k, lang)));
    }
    let _ = write!(
        h,
        "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        t(lang, "Gemeente", "Municipality")
    );
    for (j, p) in first.pool.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><th class=\"num\" scope=\"row\">{}</th>",
            locale::euro(p.size, lang)
        );
        for k in &a.keys {
            let cell = k
                .pool
                .get(j)
                .map(|q| pct_se(q.p_any_area_overrun.p, q.p_any_area_overrun.se, lang))
                .unwrap_or_default();
            let _ = write!(h, "<td class=\"num\">{cell}</td>");
        }
        let _ = write!(
            h,
            "<td class=\"num\">{}</td></tr>\n",
            pct_se(
                p.p_municipality_overrun.p,
                p.p_municipality_overrun.se,
                lang
            )
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
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

fn methods(h: &mut String, a: &Allocation, lang: Lang) {
    let policy = match (a.policy, lang) {
        (PoolPolicy::Overspend, Lang::Nl) => {
            "Als het budget op is, gaat de zorg door en ontstaat een tekort (overspend). \
             Elke wijk is één keer gesimuleerd en elke sleutel legt zijn budgetten op dezelfde uitkomsten."
        }
        (PoolPolicy::Overspend, Lang::En) => {
            "When the budget runs out, care goes on and an overrun arises (overspend). \
             Each wijk was simulated once and every key sets its budgets against the same outcomes."
        }
        (_, Lang::Nl) => {
            "Als het budget op is, komen nieuwe cliënten op een wachtlijst (waitlist); \
             daarom is elke sleutel apart gesimuleerd, met dezelfde toevalsgetallen."
        }
        (_, Lang::En) => {
            "When the budget runs out, new clients join a waiting list (waitlist); \
             so every key was simulated on its own, with the same random numbers."
        }
    };
    let _ = write!(
        h,
        "<section class=\"page\" id=\"methode\">\n<h2>{}</h2>\n<p>{} {} {}</p>\n<p>{}</p>\n<p>{}</p>\n",
        t(lang, "Methode", "Method"),
        t(lang, "Voor elke wijk zijn", "For every wijk,"),
        locale::number(f64::from(a.replications), 0, lang),
        t(
            lang,
            "toekomsten maand voor maand gesimuleerd (Monte Carlo), met onzekere parameters en toeval in instroom en duur. \
             Alle wijken en sleutels gebruiken dezelfde toevalsgetallen (common random numbers), zodat verschillen tussen sleutels \
             niet door toeval ontstaan.",
            "futures were simulated month by month (Monte Carlo), with uncertain parameters and chance in inflow and duration. \
             Every wijk and key uses the same random numbers (common random numbers), so differences between keys do not come from chance."
        ),
        policy,
        t(
            lang,
            "De pool wordt aan het begin van elk jaar aangevuld tot zijn omvang (geïndexeerd als het budget) en dekt tekorten van wijken \
             zolang er geld in zit. Kansen zijn aandelen van de gesimuleerde toekomsten, met hun binomiale standaardfout.",
            "The pool is topped up to its size at the start of every year (indexed like the budget) and covers wijken's overruns \
             while money is left. Probabilities are shares of the simulated futures, with their binomial standard error."
        ),
    );
    let _ = write!(h, "<h3>{}</h3>\n<ul>\n", t(lang, "Verdeelsleutels", "Keys"));
    for k in &a.keys {
        let _ = write!(
            h,
            "<li><strong>{}</strong>: {}</li>\n",
            escape(key_label(k, lang)),
            escape(&key_description(k.key, lang))
        );
    }
    let crates: Vec<String> = a
        .tool
        .crates
        .iter()
        .map(|(k, v)| format!("{} {}", escape(k), escape(v)))
        .collect();
    let _ = write!(
        h,
        "</ul>\n<p class=\"note\">{} {} {} · {} · {}</p>\n</section>\n",
        t(lang, "Gemaakt met", "Made with"),
        escape(&a.tool.name),
        escape(&a.tool.version),
        escape(&a.tool.generator),
        crates.join(", ")
    );
}
