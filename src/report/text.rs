//! The report's sentences in Dutch and English, filled in from the summary
//! (every scenario text escaped). The words are in the catalogue
//! ([`crate::i18n`], ids `report-…`); numbers come in formatted by
//! [`crate::locale`].

use std::sync::LazyLock;

use super::escape;
use crate::i18n::{text, text_args};
use crate::locale::{self, Lang};
use crate::results::{Comparison, Summary, VariantSummary};

/// Sentences in one language.
#[derive(Debug, Clone, Copy)]
pub struct Words(pub Lang);

/// The items of "what the model leaves out", per language, looked up once.
static LEFT_OUT_NL: LazyLock<[String; 6]> = LazyLock::new(|| left_out_items(Lang::Nl));
static LEFT_OUT_EN: LazyLock<[String; 6]> = LazyLock::new(|| left_out_items(Lang::En));

fn left_out_items(lang: Lang) -> [String; 6] {
    [
        "report-left-out-1",
        "report-left-out-2",
        "report-left-out-3",
        "report-left-out-4",
        "report-left-out-5",
        "report-left-out-6",
    ]
    .map(|id| text(lang, id))
}

impl Words {
    /// The baseline's chance and size of an overrun.
    pub fn overrun_sentence(self, v: &VariantSummary, period: &str) -> String {
        let lang = self.0;
        let hl = &v.headline;
        let p = locale::percent(hl.p_overrun_any_year.p, 1, lang);
        let se = locale::percent_se(hl.p_overrun_any_year.se, lang);
        let worst = if hl.overrun.p95 > 0.5 {
            text_args(
                lang,
                "report-overrun-worst",
                &[("p95", &locale::euro(hl.overrun.p95, lang))],
            )
        } else {
            text(lang, "report-overrun-none")
        };
        text_args(
            lang,
            "report-overrun",
            &[
                ("name", &escape(&v.name)),
                ("period", period),
                ("p", &p),
                ("se", &se),
                ("mean", &locale::euro(hl.overrun.mean, lang)),
                ("worst", &worst),
            ],
        )
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
        let more = if d.mean > 0.0 {
            text(lang, "report-more")
        } else {
            text(lang, "report-less")
        };
        let interval = format!(
            "{} … {}",
            locale::euro(d.p5, lang),
            locale::euro(d.p95, lang)
        );
        let paid_back = match c.break_even_year {
            Some(y) => text_args(lang, "report-paid-back", &[("year", &y.to_string())]),
            None => text(lang, "report-not-paid-back"),
        };
        let mut s = text_args(
            lang,
            "report-comparison",
            &[
                ("variant", &escape(&c.variant)),
                ("baseline", &escape(&c.baseline)),
                ("period", period),
                ("amount", &amount),
                ("more", &more),
                ("interval", &interval),
                ("p_saving", &locale::percent(c.p_saving.p, 1, lang)),
                ("paid_back", &paid_back),
                (
                    "p_variant",
                    &locale::percent(v.headline.p_overrun_any_year.p, 1, lang),
                ),
                (
                    "p_baseline",
                    &locale::percent(base.headline.p_overrun_any_year.p, 1, lang),
                ),
            ],
        );
        // What prevention buys, where the variant spends clearly more on it
        // (not merely reinvested surpluses: at least a quarter more).
        let mean = |x: &VariantSummary, k: &str| x.horizon.get(k).map_or(0.0, |s| s.mean);
        let base_prev = mean(base, "prevention_spend");
        let extra = mean(v, "prevention_spend") - base_prev;
        if extra > 0.5 && extra >= 0.25 * base_prev {
            let care = |x: &VariantSummary| mean(x, "care_spend") + mean(x, "team_spend");
            let saved = care(base) - care(v);
            let esc = mean(base, "escalations") - mean(v, "escalations");
            let escalations = if esc >= 0.0 {
                text_args(
                    lang,
                    "report-escalations-fewer",
                    &[("n", &locale::number(esc, 0, lang))],
                )
            } else {
                text_args(
                    lang,
                    "report-escalations-more",
                    &[("n", &locale::number(-esc, 0, lang))],
                )
            };
            let payback = if saved < extra {
                text(lang, "report-prevention-no-payback")
            } else {
                text(lang, "report-prevention-payback")
            };
            s.push(' ');
            s.push_str(&text_args(
                lang,
                "report-prevention",
                &[
                    ("extra", &locale::euro(extra, lang)),
                    ("saved", &locale::euro(saved, lang)),
                    ("escalations", &escalations),
                    ("payback", &payback),
                ],
            ));
        }
        s
    }

    /// The methods paragraph.
    pub fn methods_text(self, s: &Summary) -> String {
        let lang = self.0;
        let sc = &s.scenario;
        let yes_no = |b: bool| text(lang, if b { "report-yes" } else { "report-no" });
        text_args(
            lang,
            "report-methods",
            &[
                ("n", &locale::number(f64::from(sc.replications), 0, lang)),
                ("years", &sc.horizon_years.to_string()),
                ("start", &sc.start_year.to_string()),
                ("seed", &sc.seed.to_string()),
                ("parameter", &yes_no(sc.parameter_uncertainty)),
                ("process", &yes_no(sc.process_uncertainty)),
            ],
        )
    }

    /// What the model leaves out (docs/model.md), as list items.
    pub fn left_out(self) -> [&'static str; 6] {
        let items: &'static [String; 6] = match self.0 {
            Lang::Nl => &LEFT_OUT_NL,
            Lang::En => &LEFT_OUT_EN,
        };
        items.each_ref().map(String::as_str)
    }
}
