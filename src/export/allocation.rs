//! The files and the console table of an allocation: `allocation.json`,
//! `allocation_areas.csv` (key × area), `allocation_totals.csv` (per key)
//! and `allocation_pool.csv` (key × pool size). Bytes only; the CLI writes
//! them atomically.

use super::console::columns;
use super::csv::num;
use super::{ExportError, Exporter, OutputFile};
use crate::allocation::{Allocation, Estimate, KeyResult, PoolPolicy, Prob};
use crate::i18n::{text, text_args};
use crate::locale::{Lang, euro, euro_se, percent, percent_se};

/// The files of an allocation, as an [`Exporter`] of its [`Allocation`].
pub struct Files;

impl Exporter<Allocation> for Files {
    fn export(&self, a: &Allocation) -> Result<Vec<OutputFile>, ExportError> {
        files(a)
    }
}

/// All output files of an allocation, encoded in memory.
pub fn files(a: &Allocation) -> Result<Vec<OutputFile>, ExportError> {
    let mut out = vec![OutputFile {
        name: "allocation.json".into(),
        bytes: {
            let mut b = serde_json::to_vec_pretty(a)?;
            b.push(b'\n');
            b
        },
    }];
    out.push(areas_csv(a)?);
    out.push(totals_csv(a)?);
    out.push(pool_csv(a)?);
    Ok(out)
}

fn est(e: &Estimate) -> [String; 5] {
    [e.mean, e.se, e.p5, e.p50, e.p95].map(num)
}

fn prob(p: &Prob) -> [String; 2] {
    [num(p.p), num(p.se)]
}

fn csv_file(
    file: &'static str,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<OutputFile, ExportError> {
    super::csv::table(file, header, |w| {
        rows.iter().try_for_each(|r| w.write_record(r))
    })
}

fn areas_csv(a: &Allocation) -> Result<OutputFile, ExportError> {
    let header = [
        "key",
        "area",
        "budget",
        "share",
        "budget_horizon",
        "cost_mean",
        "cost_se",
        "cost_p5",
        "cost_p50",
        "cost_p95",
        "cost_first_year_mean",
        "cost_first_year_se",
        "cost_first_year_p5",
        "cost_first_year_p50",
        "cost_first_year_p95",
        "p_overrun",
        "p_overrun_se",
        "overrun_mean",
        "overrun_se",
        "overrun_p5",
        "overrun_p50",
        "overrun_p95",
        "waiting_months_mean",
        "waiting_months_se",
    ];
    let mut rows = Vec::new();
    for k in &a.keys {
        let key = serde_json::to_value(k.key)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        for o in &k.areas {
            let mut r = vec![
                key.clone(),
                o.area.clone(),
                num(o.budget),
                num(o.share),
                num(o.budget_horizon),
            ];
            r.extend(est(&o.cost));
            r.extend(est(&o.cost_first_year));
            r.extend(prob(&o.p_overrun));
            r.extend(est(&o.overrun));
            r.push(num(o.waiting_months.mean));
            r.push(num(o.waiting_months.se));
            rows.push(r);
        }
    }
    csv_file("allocation_areas.csv", &header, rows)
}

fn totals_csv(a: &Allocation) -> Result<OutputFile, ExportError> {
    let header = [
        "key",
        "budget",
        "budget_horizon",
        "cost_mean",
        "cost_se",
        "cost_p5",
        "cost_p50",
        "cost_p95",
        "p_any_area_overrun",
        "p_any_area_overrun_se",
        "p_municipality_overrun",
        "p_municipality_overrun_se",
        "overrun_areas_mean",
        "overrun_areas_se",
        "target_p_overrun",
    ];
    let mut rows = Vec::new();
    for k in &a.keys {
        let t = &k.total;
        let mut r = vec![
            serde_json::to_value(k.key)?
                .as_str()
                .unwrap_or_default()
                .to_string(),
            num(t.budget),
            num(t.budget_horizon),
        ];
        r.extend(est(&t.cost));
        r.extend(prob(&t.p_any_area_overrun));
        r.extend(prob(&t.p_municipality_overrun));
        r.push(num(t.overrun_areas.mean));
        r.push(num(t.overrun_areas.se));
        r.push(k.target_p_overrun.map(num).unwrap_or_default());
        rows.push(r);
    }
    csv_file("allocation_totals.csv", &header, rows)
}

fn pool_csv(a: &Allocation) -> Result<OutputFile, ExportError> {
    let header = [
        "key",
        "pool_size",
        "p_any_area_overrun",
        "p_any_area_overrun_se",
        "p_municipality_overrun",
        "p_municipality_overrun_se",
        "uncovered_mean",
        "uncovered_se",
        "used_mean",
        "used_se",
    ];
    let mut rows = Vec::new();
    for k in &a.keys {
        let key = serde_json::to_value(k.key)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        for p in &k.pool {
            let mut r = vec![key.clone(), num(p.size)];
            r.extend(prob(&p.p_any_area_overrun));
            r.extend(prob(&p.p_municipality_overrun));
            r.extend([p.uncovered.mean, p.uncovered.se, p.used.mean, p.used.se].map(num));
            rows.push(r);
        }
    }
    csv_file("allocation_pool.csv", &header, rows)
}

/// The console table: per key each area's budget, expected cost, P(overrun)
/// and expected overrun with the municipal total; then the pool effects.
pub fn render(a: &Allocation, lang: Lang) -> String {
    let last = a.start_year + a.horizon_years as i32 - 1;
    let policy = match a.policy {
        PoolPolicy::Overspend => "alloc-console-policy-overspend",
        PoolPolicy::Waitlist => "alloc-console-policy-waitlist",
    };
    let mut out = text_args(
        lang,
        "alloc-console-head",
        &[
            ("name", &a.name),
            ("areas", &a.areas.len().to_string()),
            ("n", &a.replications.to_string()),
            ("seed", &a.seed.to_string()),
            ("first", &a.start_year.to_string()),
            ("last", &last.to_string()),
            ("budget", &euro(a.total_budget, lang)),
            ("policy", &text(lang, policy)),
        ],
    );
    out.push('\n');
    for k in &a.keys {
        out.push('\n');
        out.push_str(&key_table(a, k, lang));
    }
    out.push('\n');
    out.push_str(&text(lang, "alloc-console-pool-title"));
    out.push('\n');
    out.push_str(&pool_table(a, lang));
    out.push('\n');
    out.push_str(&text(lang, "alloc-console-legend"));
    out.push('\n');
    out
}

/// A key's table: its title line, then a row per area and the municipality.
fn key_table(a: &Allocation, k: &KeyResult, lang: Lang) -> String {
    let pm = |p: &Prob| format!("{} ± {}", percent(p.p, 1, lang), percent_se(p.se, lang));
    let label = match lang {
        Lang::Nl => &k.label_nl,
        Lang::En => &k.label_en,
    };
    let mut out = match k.target_p_overrun {
        Some(p) => text_args(
            lang,
            "alloc-console-key-target",
            &[("key", label), ("p", &percent(p, 1, lang))],
        ),
        None => text_args(lang, "alloc-console-key", &[("key", label)]),
    };
    out.push('\n');
    let waitlist = a.policy == PoolPolicy::Waitlist;
    let mut head: Vec<String> = [
        "alloc-console-area",
        "alloc-console-budget",
        "alloc-console-share",
        "alloc-console-cost",
        "alloc-console-interval",
        "alloc-console-p-overrun",
        "alloc-console-overrun",
    ]
    .iter()
    .map(|id| text(lang, id))
    .collect();
    if waitlist {
        head.push(text(lang, "alloc-console-waited"));
    }
    let right = [false, true, true, true, true, true, true, true];
    let mut rows = vec![head];
    for (o, info) in k.areas.iter().zip(&a.areas) {
        rows.push(vec![
            info.label.clone(),
            euro(o.budget, lang),
            percent(o.share, 1, lang),
            format!("{} ± {}", euro(o.cost.mean, lang), euro_se(o.cost.se, lang)),
            format!("{} … {}", euro(o.cost.p5, lang), euro(o.cost.p95, lang)),
            pm(&o.p_overrun),
            euro(o.overrun.mean, lang),
        ]);
        if waitlist && let Some(r) = rows.last_mut() {
            r.push(crate::locale::number(o.waiting_months.mean, 0, lang));
        }
    }
    let t = &k.total;
    rows.push(vec![
        text(lang, "alloc-console-municipality"),
        euro(t.budget, lang),
        percent(1.0, 1, lang),
        format!("{} ± {}", euro(t.cost.mean, lang), euro_se(t.cost.se, lang)),
        format!("{} … {}", euro(t.cost.p5, lang), euro(t.cost.p95, lang)),
        pm(&t.p_municipality_overrun),
        euro(t.overrun_areas.mean, lang),
    ]);
    out.push_str(&columns(&rows, &right));
    out
}

/// The pool table: per key and pool size the chance of an overrun in any
/// area and in the municipality.
fn pool_table(a: &Allocation, lang: Lang) -> String {
    let mut head = vec![text(lang, "alloc-console-key-column")];
    for &s in &a.pool_sizes {
        head.push(text_args(
            lang,
            "alloc-console-pool",
            &[("size", &euro(s, lang))],
        ));
    }
    let mut rows = vec![head];
    for k in &a.keys {
        let label = match lang {
            Lang::Nl => &k.label_nl,
            Lang::En => &k.label_en,
        };
        let mut r1 = vec![format!("{label}: {}", text(lang, "alloc-console-any-area"))];
        let mut r2 = vec![format!(
            "{label}: {}",
            text(lang, "alloc-console-municipality")
        )];
        for p in &k.pool {
            r1.push(percent(p.p_any_area_overrun.p, 1, lang));
            r2.push(percent(p.p_municipality_overrun.p, 1, lang));
        }
        rows.push(r1);
        rows.push(r2);
    }
    let mut right = vec![false];
    right.extend(std::iter::repeat_n(true, a.pool_sizes.len()));
    columns(&rows, &right)
}
