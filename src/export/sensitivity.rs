//! The files and console table of a sensitivity analysis.
//!
//! - `sensitivity.json`: the whole [`Report`];
//! - `sensitivity_tornado.csv`, `sensitivity_sobol.csv`,
//!   `sensitivity_morris.csv`, `sensitivity_rank.csv`: one tidy table per
//!   method, one row per (output, input), most influential first;
//! - [`console`]: a short table of the top drivers, Dutch or English.
//!
//! Encoding only: the caller writes the files atomically.

use std::fmt::Write as _;

use super::csv::{num, table};
use super::{ExportError, Exporter, OutputFile};
use crate::i18n::{text, text_args};
use crate::locale::{self, Lang};
use crate::sensitivity::report::{InputKind, OutputUnit, Report};

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn kind(k: InputKind) -> &'static str {
    match k {
        InputKind::Parameter => "parameter",
        InputKind::Correlated => "correlated",
        InputKind::Group => "group",
    }
}

/// The files of a sensitivity analysis, as an [`Exporter`] of its [`Report`].
pub struct Files;

impl Exporter<Report> for Files {
    fn export(&self, report: &Report) -> Result<Vec<OutputFile>, ExportError> {
        files(report)
    }
}

/// `sensitivity.json` and the CSV tables of the methods that ran.
pub fn files(report: &Report) -> Result<Vec<OutputFile>, ExportError> {
    let mut json = serde_json::to_vec_pretty(report)?;
    json.push(b'\n');
    let mut out = vec![OutputFile {
        name: "sensitivity.json".into(),
        bytes: json,
    }];
    let ran = |m: &str| report.settings.methods.iter().any(|x| x == m);
    if ran("tornado") {
        out.push(table(
            "sensitivity_tornado.csv",
            &[
                "output",
                "rank",
                "input",
                "kind",
                "input_low",
                "input_high",
                "output_base",
                "output_low",
                "output_high",
                "swing",
                "rank_correlation",
            ],
            |w| {
                for t in &report.tornado {
                    for (i, r) in t.rows.iter().enumerate() {
                        w.write_record([
                            t.output.clone(),
                            (i + 1).to_string(),
                            r.input.clone(),
                            kind(r.kind).into(),
                            opt(r.input_low),
                            opt(r.input_high),
                            num(t.base),
                            num(r.output_low),
                            num(r.output_high),
                            num(r.swing),
                            opt(r.rank_correlation),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
    }
    if ran("sobol") {
        out.push(table(
            "sensitivity_sobol.csv",
            &[
                "output",
                "rank",
                "input",
                "kind",
                "members",
                "first_order",
                "first_order_low",
                "first_order_high",
                "total",
                "total_low",
                "total_high",
                "rank_correlation",
            ],
            |w| {
                for t in &report.sobol {
                    for (i, r) in t.rows.iter().enumerate() {
                        w.write_record([
                            t.output.clone(),
                            (i + 1).to_string(),
                            r.input.clone(),
                            kind(r.kind).into(),
                            r.members.join(" "),
                            num(r.first_order),
                            num(r.first_order_low),
                            num(r.first_order_high),
                            num(r.total),
                            num(r.total_low),
                            num(r.total_high),
                            opt(r.rank_correlation),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
    }
    if ran("morris") {
        out.push(table(
            "sensitivity_morris.csv",
            &[
                "output",
                "rank",
                "input",
                "mu_star",
                "mu",
                "sigma",
                "rank_correlation",
            ],
            |w| {
                for t in &report.morris {
                    for (i, r) in t.rows.iter().enumerate() {
                        w.write_record([
                            t.output.clone(),
                            (i + 1).to_string(),
                            r.input.clone(),
                            num(r.mu_star),
                            num(r.mu),
                            num(r.sigma),
                            opt(r.rank_correlation),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
    }
    if ran("rank") {
        out.push(table(
            "sensitivity_rank.csv",
            &["output", "rank", "input", "spearman"],
            |w| {
                for t in &report.rank {
                    for (i, r) in t.rows.iter().enumerate() {
                        w.write_record([
                            t.output.clone(),
                            (i + 1).to_string(),
                            r.input.clone(),
                            num(r.spearman),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
    }
    Ok(out)
}

/// A value of an output in its unit.
fn value(x: f64, unit: OutputUnit, lang: Lang) -> String {
    match unit {
        OutputUnit::Euro => locale::euro(x, lang),
        OutputUnit::Probability => locale::percent(x, 1, lang),
        OutputUnit::Count => locale::number(x, 0, lang),
    }
}

/// Cuts text to `n` characters with an ellipsis.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Rows shown per output in the console.
pub const TOP: usize = 10;

/// The console table: per output, the top drivers by total Sobol index
/// (else tornado swing, Morris mu*, rank correlation) with every method's
/// figure side by side.
pub fn console(report: &Report, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let mut s = String::new();
    let sc = &report.scenario;
    let _ = writeln!(
        s,
        "{}",
        text_args(
            lang,
            "sens-console-head",
            &[
                ("name", &sc.name),
                ("variant", &sc.variant),
                (
                    "n",
                    &locale::number(report.model_runs.total as f64, 0, lang)
                ),
                ("seed", &sc.seed.to_string()),
            ],
        )
    );
    let independence = &report.independence;
    if !independence.independent && !report.sobol.is_empty() {
        let groups = independence.correlated_groups.join(", ");
        let _ = writeln!(
            s,
            "{}",
            text_args(lang, "sens-console-correlated", &[("groups", &groups)])
        );
    }
    for w in &report.warnings {
        if Some(w) != independence.warning.as_ref() {
            let _ = writeln!(s, "{}: {w}", text(lang, "sens-console-note"));
        }
    }
    for out in &report.outputs {
        let key = &out.key;
        let tornado = report.tornado.iter().find(|t| &t.output == key);
        let sobol = report.sobol.iter().find(|t| &t.output == key);
        let morris = report.morris.iter().find(|t| &t.output == key);
        let rank = report.rank.iter().find(|t| &t.output == key);
        let order: Vec<String> = if let Some(t) = sobol {
            t.rows.iter().map(|r| r.input.clone()).collect()
        } else if let Some(t) = tornado {
            t.rows.iter().map(|r| r.input.clone()).collect()
        } else if let Some(t) = morris {
            t.rows.iter().map(|r| r.input.clone()).collect()
        } else if let Some(t) = rank {
            t.rows.iter().map(|r| r.input.clone()).collect()
        } else {
            Vec::new()
        };
        let label = if nl { &out.label_nl } else { &out.label_en };
        let _ = writeln!(
            s,
            "\n{label}: {} {}",
            value(out.at_median, out.unit, lang),
            text(lang, "sens-console-at-medians")
        );
        let dec = |x: f64| locale::number(x, 2, lang);
        let header = [
            text(lang, "sens-console-input"),
            text(lang, "sens-console-swing"),
            "S1".to_string(),
            "ST".to_string(),
            "mu*".to_string(),
            text(lang, "sens-console-rank"),
        ];
        let widths = [16, 18, 18, 14, 7];
        let shown = [
            tornado.is_some(),
            sobol.is_some(),
            sobol.is_some(),
            morris.is_some(),
            rank.is_some(),
        ];
        let line = |first: &str, cells: [String; 5]| -> String {
            let mut l = format!("{first:<44}");
            for ((c, w), on) in cells.iter().zip(widths).zip(shown) {
                if on {
                    let _ = write!(l, " {c:>w$}");
                }
            }
            l
        };
        let _ = writeln!(
            s,
            "{}",
            line(&header[0], [1, 2, 3, 4, 5].map(|i| header[i].clone()))
        );
        for input in order.iter().take(TOP) {
            let swing = tornado
                .and_then(|t| t.rows.iter().find(|r| &r.input == input))
                .map(|r| value(r.swing, out.unit, lang))
                .unwrap_or_default();
            let (s1, st) = sobol
                .and_then(|t| t.rows.iter().find(|r| &r.input == input))
                .map(|r| {
                    (
                        format!(
                            "{} [{}–{}]",
                            dec(r.first_order),
                            dec(r.first_order_low),
                            dec(r.first_order_high)
                        ),
                        format!(
                            "{} [{}–{}]",
                            dec(r.total),
                            dec(r.total_low),
                            dec(r.total_high)
                        ),
                    )
                })
                .unwrap_or_default();
            let mu = morris
                .and_then(|t| t.rows.iter().find(|r| &r.input == input))
                .map(|r| value(r.mu_star, out.unit, lang))
                .unwrap_or_default();
            let rho = rank
                .and_then(|t| t.rows.iter().find(|r| &r.input == input))
                .map(|r| dec(r.spearman))
                .unwrap_or_default();
            let _ = writeln!(s, "{}", line(&cut(input, 44), [swing, s1, st, mu, rho]));
        }
    }
    let conf = locale::percent(report.settings.confidence, 0, lang);
    let _ = writeln!(
        s,
        "\n{}",
        text_args(lang, "sens-console-legend", &[("conf", &conf)])
    );
    s
}
