//! The report's sentences in Dutch and English, filled in from the summary
//! (every scenario text escaped).

use super::escape;
use crate::locale::{self, Lang};
use crate::results::{Comparison, Summary, VariantSummary};

/// Sentences in one language.
#[derive(Debug, Clone, Copy)]
pub struct Words(pub Lang);

impl Words {
    pub fn t(self, nl: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// The baseline's chance and size of an overrun.
    pub fn overrun_sentence(self, v: &VariantSummary, period: &str) -> String {
        let lang = self.0;
        let hl = &v.headline;
        let p = locale::percent(hl.p_overrun_any_year.p, 1, lang);
        let se = locale::percent_se(hl.p_overrun_any_year.se, lang);
        let worst = if hl.overrun.p95 > 0.5 {
            match lang {
                Lang::Nl => format!(
                    "in de slechtste 5% van de toekomsten is het tekort <strong>{}</strong> of meer",
                    locale::euro(hl.overrun.p95, lang)
                ),
                Lang::En => format!(
                    "in the worst 5% of futures the overrun is <strong>{}</strong> or more",
                    locale::euro(hl.overrun.p95, lang)
                ),
            }
        } else {
            self.t(
                "in minstens 95% van de toekomsten is er geen tekort",
                "in at least 95% of futures there is no overrun",
            )
            .to_string()
        };
        match lang {
            Lang::Nl => format!(
                "Bij <strong>{}</strong> is de kans dat de zorguitgaven in minstens één jaar van {period} \
                 boven het plafond uitkomen en de reserve dat niet opvangt <strong>{p}</strong> (± {se}). \
                 Het verwachte tekort over de hele periode is <strong>{}</strong>; {worst}.",
                escape(&v.name),
                locale::euro(hl.overrun.mean, lang),
            ),
            Lang::En => format!(
                "With <strong>{}</strong> the chance that care spend exceeds the ceiling, beyond what the reserve \
                 absorbs, in at least one year of {period} is <strong>{p}</strong> (± {se}). \
                 The expected overrun over the whole period is <strong>{}</strong>; {worst}.",
                escape(&v.name),
                locale::euro(hl.overrun.mean, lang),
            ),
        }
    }

    /// A variant against the baseline: cost difference, interval, chance of
    /// a saving, break-even, chance of an overrun, and prevention's balance.
    pub fn comparison_sentence(
        self,
        base: &VariantSummary,
        v: &VariantSummary,
        c: &Comparison,
        period: &str,
    ) -> String {
        let lang = self.0;
        let d = &c.total_cost_difference;
        let amount = locale::euro(d.mean.abs(), lang);
        let (more, cheaper_word) = if d.mean > 0.0 {
            (self.t("meer", "more"), false)
        } else {
            (self.t("minder", "less"), true)
        };
        let _ = cheaper_word;
        let interval = format!(
            "{} … {}",
            locale::euro(d.p5, lang),
            locale::euro(d.p95, lang)
        );
        let p_saving = locale::percent(c.p_saving.p, 1, lang);
        let paid_back = match c.break_even_year {
            Some(y) => match lang {
                Lang::Nl => format!("vanaf {y} is de variant cumulatief goedkoper"),
                Lang::En => format!("from {y} on it is cumulatively cheaper"),
            },
            None => self
                .t(
                    "binnen de periode verdient de variant zich niet terug",
                    "it does not pay back within the period",
                )
                .to_string(),
        };
        let p_v = locale::percent(v.headline.p_overrun_any_year.p, 1, lang);
        let p_b = locale::percent(base.headline.p_overrun_any_year.p, 1, lang);
        let mut s = match lang {
            Lang::Nl => format!(
                "<strong>{}</strong> kost over {period} gemiddeld <strong>{amount} {more}</strong> dan {} \
                 (90%-interval van het verschil: {interval}); de kans dat deze variant goedkoper is, is \
                 <strong>{p_saving}</strong>, en {paid_back}. De kans op een tekort is {p_v}, tegen {p_b}.",
                escape(&c.variant),
                escape(&c.baseline),
            ),
            Lang::En => format!(
                "<strong>{}</strong> costs on average <strong>{amount} {more}</strong> than {} over {period} \
                 (90% interval of the difference: {interval}); the chance that it is cheaper is \
                 <strong>{p_saving}</strong>, and {paid_back}. Its chance of an overrun is {p_v}, against {p_b}.",
                escape(&c.variant),
                escape(&c.baseline),
            ),
        };
        // What prevention buys, where the variant spends clearly more on it
        // (not merely reinvested surpluses: at least a quarter more).
        let mean = |x: &VariantSummary, k: &str| x.horizon.get(k).map_or(0.0, |s| s.mean);
        let base_prev = mean(base, "prevention_spend");
        let extra = mean(v, "prevention_spend") - base_prev;
        if extra > 0.5 && extra >= 0.25 * base_prev {
            let care = |x: &VariantSummary| mean(x, "care_spend") + mean(x, "team_spend");
            let saved = care(base) - care(v);
            let esc = mean(base, "escalations") - mean(v, "escalations");
            let esc_text = match (lang, esc >= 0.0) {
                (Lang::Nl, true) => format!("{} escalaties minder", locale::number(esc, 0, lang)),
                (Lang::Nl, false) => format!("{} escalaties meer", locale::number(-esc, 0, lang)),
                (Lang::En, true) => format!("{} fewer escalations", locale::number(esc, 0, lang)),
                (Lang::En, false) => format!("{} more escalations", locale::number(-esc, 0, lang)),
            };
            s.push(' ');
            s.push_str(&match lang {
                Lang::Nl => format!(
                    "De extra preventie kost {} en bespaart gemiddeld {} aan zorg en wijkteam ({esc_text}){}.",
                    locale::euro(extra, lang),
                    locale::euro(saved, lang),
                    if saved < extra {
                        ": binnen deze periode verdient zij zich niet terug"
                    } else {
                        ": zij verdient zich terug"
                    }
                ),
                Lang::En => format!(
                    "The extra prevention costs {} and saves {} in care and team spend on average ({esc_text}){}.",
                    locale::euro(extra, lang),
                    locale::euro(saved, lang),
                    if saved < extra {
                        ": it does not pay back within this period"
                    } else {
                        ": it pays back"
                    }
                ),
            });
        }
        s
    }

    /// The methods paragraph.
    pub fn methods_text(self, s: &Summary) -> String {
        let lang = self.0;
        let sc = &s.scenario;
        let n = locale::number(f64::from(sc.replications), 0, lang);
        let yes_no = |b: bool| {
            if b {
                self.t("ja", "yes")
            } else {
                self.t("nee", "no")
            }
        };
        match lang {
            Lang::Nl => format!(
                "<p>Monte Carlo-simulatie: voor elke variant zijn <strong>{n}</strong> mogelijke toekomsten \
                 doorgerekend, maand voor maand over {} jaar vanaf {}, met seed <strong>{}</strong> \
                 (dezelfde seed geeft precies dezelfde uitkomsten). In elke toekomst worden de onzekere \
                 aannames uit hun kansverdeling getrokken (parameteronzekerheid: {}) en wordt het toeval \
                 van wie zorg nodig heeft, escaleert of herstelt gesimuleerd (procesonzekerheid: {}).</p>\n\
                 <p>Alle varianten gebruiken dezelfde toevalsgetallen: toekomst <em>r</em> is voor elke variant \
                 dezelfde wereld, zodat een verschil tussen varianten per toekomst wordt gemeten (gepaard) en veel \
                 nauwkeuriger is dan het verschil van twee losse gemiddelden.</p>\n\
                 <p>Bij elk gemiddelde hoort een Monte Carlo-standaardfout (sd/√n) en bij elke kans \
                 √(p(1−p)/n): de onzekerheid door het eindige aantal toekomsten, niet de onzekerheid over \
                 de toekomst zelf (die staat in de intervallen P5–P95). Percentielen zijn type 7 \
                 (lineaire interpolatie). Bedragen zijn nominaal.</p>",
                sc.horizon_years,
                sc.start_year,
                sc.seed,
                yes_no(sc.parameter_uncertainty),
                yes_no(sc.process_uncertainty),
            ),
            Lang::En => format!(
                "<p>Monte Carlo simulation: for each variant <strong>{n}</strong> possible futures were \
                 computed, month by month over {} years from {}, with seed <strong>{}</strong> (the same \
                 seed gives exactly the same results). In each future the uncertain assumptions are drawn \
                 from their distributions (parameter uncertainty: {}) and the chance of who needs care, \
                 escalates or recovers is simulated (process uncertainty: {}).</p>\n\
                 <p>All variants use the same random numbers: future <em>r</em> is the same world for every \
                 variant, so a difference between variants is measured future by future (paired) and is much \
                 more precise than the difference of two separate means.</p>\n\
                 <p>Every mean has a Monte Carlo standard error (sd/√n) and every probability \
                 √(p(1−p)/n): the uncertainty from the finite number of futures, not the uncertainty about \
                 the future itself (shown by the P5–P95 intervals). Percentiles are type 7 (linear \
                 interpolation). Amounts are nominal.</p>",
                sc.horizon_years,
                sc.start_year,
                sc.seed,
                yes_no(sc.parameter_uncertainty),
                yes_no(sc.process_uncertainty),
            ),
        }
    }

    /// What the model leaves out (docs/model.md), as list items.
    pub fn left_out(self) -> [&'static str; 6] {
        match self.0 {
            Lang::Nl => [
                "Huishoudens met hulpvragen in meer budgetstromen worden per stroom apart geteld: de stromen \
                 zijn onafhankelijk gegeven de aannames (gecorreleerde aannames kunnen ze wel samen laten bewegen).",
                "De instroom geldt voor alle huishoudens van een groep, ook wie al zorg krijgt in die stroom \
                 (een kleine overschatting als veel huishoudens al zorg hebben).",
                "Wachtenden herstellen niet en verhuizen niet; niemand verlaat de wijk tijdens de zorg.",
                "Prijzen veranderen eens per jaar; het plafond is aan het begin van elk jaar bekend.",
                "Het preventiebudget wordt altijd volledig besteed, en het effect hangt af van de besteding per \
                 huishouden in de hele wijk, niet van wie ermee bereikt wordt.",
                "Zorg wordt nooit gestopt om binnen het plafond te blijven.",
            ],
            Lang::En => [
                "Households with needs in several streams are counted once per stream: the streams are \
                 independent given the assumptions (correlated assumptions can still tie them together).",
                "Incidence applies to all households of a stratum, including those already in care in that \
                 stream (a small overstatement when prevalence is high).",
                "Waiting clients do not recover or leave the area; nobody moves out of care to another area.",
                "Prices change once a year; the ceiling is known at the start of each year.",
                "Prevention spend is always spent in full, and its effect depends on spend per household in \
                 the whole area, not on whom it reaches.",
                "Care is never stopped to meet the ceiling.",
            ],
        }
    }
}
