//! The summary of a run: what `summary.json` holds and every exporter reads.
//!
//! Built from the raw [`VariantRun`]s of a scenario: statistics per variant,
//! per year and over the horizon; headline figures with their Monte Carlo
//! standard errors; paired comparisons of every variant with the first
//! (the baseline); the assumptions and how strongly each drives the result.
//! The schema is documented in `docs/output.md`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dist::Dist;
use crate::engine::VariantRun;
use crate::metrics::col;
use crate::model::{Model, Payer, Scenario};
use crate::stats::{Proportion, Stat, spearman};

/// Version of the `summary.json` schema; raised on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a run produced, in summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub scenario: ScenarioInfo,
    pub variants: Vec<VariantSummary>,
    /// Each variant after the first against the first.
    pub comparisons: Vec<Comparison>,
}

/// The program that made the summary, so a result can be reproduced.
#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
    pub generator: &'static str,
    /// Versions of the crates that shape the numbers.
    pub crates: BTreeMap<&'static str, &'static str>,
}

impl ToolInfo {
    pub fn current() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
            generator: "Xoshiro256++ per (seed, replication, purpose)",
            crates: BTreeMap::from([
                ("rand", "0.10"),
                ("rand_distr", "0.6"),
                ("rand_xoshiro", "0.8"),
                ("nalgebra", "0.35"),
                ("statrs", "0.19"),
            ]),
        }
    }
}

/// The scenario as run.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub file: Option<String>,
    pub seed: u64,
    pub replications: u32,
    pub start_year: i32,
    pub horizon_years: u32,
    pub years: Vec<i32>,
    pub parameter_uncertainty: bool,
    pub process_uncertainty: bool,
    pub strata: Vec<Named>,
    pub streams: Vec<StreamInfo>,
    /// Every column: its key, unit and how it is aggregated over the horizon.
    pub metrics: Vec<crate::metrics::MetricDef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StreamInfo {
    pub name: String,
    pub label: String,
    pub levels: Vec<LevelInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelInfo {
    pub name: String,
    pub label: String,
    /// `team` or `stream`.
    pub paid_by: &'static str,
}

/// One variant's results.
#[derive(Debug, Clone, Serialize)]
pub struct VariantSummary {
    pub name: String,
    pub description: String,
    pub headline: Headline,
    pub years: Vec<YearSummary>,
    /// Every metric aggregated over the horizon per replication, then summarised.
    pub horizon: BTreeMap<String, Stat>,
    pub assumptions: Vec<Assumption>,
    /// Spearman rank correlation of each uncertain parameter with the
    /// horizon's total cost and overrun (empty without parameter uncertainty).
    pub drivers: Vec<Driver>,
}

/// The numbers a council asks for first.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// P(an overrun in at least one year of the horizon).
    pub p_overrun_any_year: Proportion,
    /// P(an overrun in the last year).
    pub p_overrun_last_year: Proportion,
    /// Overrun summed over the horizon (beyond what the reserve covers).
    pub overrun: Stat,
    /// Total cost over the horizon: care, team and prevention.
    pub total_cost: Stat,
}

/// One year of one variant.
#[derive(Debug, Clone, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub p_overrun: Proportion,
    pub metrics: BTreeMap<String, Stat>,
}

/// One parameter as the variant used it.
#[derive(Debug, Clone, Serialize)]
pub struct Assumption {
    pub path: String,
    #[serde(flatten)]
    pub dist: Dist,
    pub description: String,
    pub mean: f64,
    pub source: Option<String>,
    pub line: usize,
}

/// How strongly one uncertain parameter moves the outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    pub path: String,
    pub rank_correlation_total_cost: f64,
    pub rank_correlation_overrun: f64,
}

/// A variant against the baseline, replication by replication.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub variant: String,
    pub baseline: String,
    /// Total cost over the horizon, variant minus baseline (negative = saving).
    /// Its p5 and p95 bound the 90 % interval.
    pub total_cost_difference: Stat,
    /// The standard error the difference would have without common random
    /// numbers: how much pairing gains.
    pub unpaired_se: f64,
    /// P(the variant costs less than the baseline over the horizon).
    pub p_saving: Proportion,
    /// First year from which the mean cumulative difference stays at or
    /// below zero: when the variant has paid back.
    pub break_even_year: Option<i32>,
    /// Overrun over the horizon, variant minus baseline.
    pub overrun_difference: Stat,
    pub years: Vec<ComparisonYear>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonYear {
    pub year: i32,
    /// Total cost in the year, variant minus baseline.
    pub difference: Stat,
    /// Total cost up to and including the year, variant minus baseline.
    pub cumulative_difference: Stat,
    pub p_saving_cumulative: Proportion,
    /// Escalations in the year, baseline minus variant.
    pub escalations_avoided: Stat,
}

/// Summarises the runs of a scenario's variants; `runs[0]` is the baseline.
pub fn summarize(
    scenario: &Scenario,
    models: &[&Model],
    runs: &[VariantRun],
    file: Option<&str>,
) -> Summary {
    let first = models[0];
    let layout = &runs[0].layout;
    let info = ScenarioInfo {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        file: file.map(str::to_string),
        seed: scenario.seed,
        replications: runs[0].replications as u32,
        start_year: first.start_year,
        horizon_years: first.horizon_years,
        years: (0..first.horizon_years as i32)
            .map(|y| first.start_year + y)
            .collect(),
        parameter_uncertainty: first.parameter_uncertainty,
        process_uncertainty: first.process_uncertainty,
        strata: first
            .strata
            .iter()
            .map(|s| Named {
                name: s.name.clone(),
                label: s.label.clone(),
            })
            .collect(),
        streams: first
            .streams
            .iter()
            .map(|s| StreamInfo {
                name: s.name.clone(),
                label: s.label.clone(),
                levels: s
                    .levels
                    .iter()
                    .map(|l| LevelInfo {
                        name: l.name.clone(),
                        label: l.label.clone(),
                        paid_by: match l.paid_by {
                            Payer::Team => "team",
                            Payer::Stream => "stream",
                        },
                    })
                    .collect(),
            })
            .collect(),
        metrics: layout.defs.clone(),
    };
    let variants = models
        .iter()
        .zip(runs)
        .map(|(m, run)| summarize_variant(m, run))
        .collect();
    let comparisons = runs[1..].iter().map(|run| compare(&runs[0], run)).collect();
    Summary {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo::current(),
        scenario: info,
        variants,
        comparisons,
    }
}

fn summarize_variant(model: &Model, run: &VariantRun) -> VariantSummary {
    let w = run.layout.width();
    let years = (0..run.years)
        .map(|y| {
            let metrics = run
                .layout
                .defs
                .iter()
                .enumerate()
                .map(|(c, d)| (d.key.clone(), Stat::of(&run.column(y, c))))
                .collect();
            YearSummary {
                year: run.start_year + y as i32,
                p_overrun: Proportion::of(&run.column(y, col::OVERRUN_FLAG), |x| x > 0.0),
                metrics,
            }
        })
        .collect();
    let horizon_rows = run.horizon();
    let horizon_col =
        |c: usize| -> Vec<f64> { horizon_rows.chunks_exact(w).map(|r| r[c]).collect() };
    let horizon: BTreeMap<String, Stat> = run
        .layout
        .defs
        .iter()
        .enumerate()
        .map(|(c, d)| (d.key.clone(), Stat::of(&horizon_col(c))))
        .collect();
    let last = run.years.saturating_sub(1);
    let total_cost = horizon_col(col::TOTAL_COST);
    let overrun = horizon_col(col::OVERRUN);
    let headline = Headline {
        p_overrun_any_year: Proportion::of(&horizon_col(col::OVERRUN_FLAG), |x| x > 0.0),
        p_overrun_last_year: Proportion::of(&run.column(last, col::OVERRUN_FLAG), |x| x > 0.0),
        overrun: Stat::of(&overrun),
        total_cost: Stat::of(&total_cost),
    };
    let assumptions = model
        .params
        .specs
        .iter()
        .map(|s| Assumption {
            path: s.path.clone(),
            dist: s.dist.clone(),
            description: s.dist.describe(),
            mean: s.dist.mean(),
            source: s.source.clone(),
            line: s.line,
        })
        .collect();
    let drivers = if model.parameter_uncertainty {
        model
            .params
            .uncertain()
            .map(|p| {
                let values: Vec<f64> = (0..run.replications)
                    .map(|r| run.params[r * run.n_params + p.idx()])
                    .collect();
                Driver {
                    path: model.params.get(p).path.clone(),
                    rank_correlation_total_cost: spearman(&values, &total_cost),
                    rank_correlation_overrun: spearman(&values, &overrun),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    VariantSummary {
        name: model.variant.clone(),
        description: model.description.clone(),
        headline,
        years,
        horizon,
        assumptions,
        drivers,
    }
}

/// Paired comparison of `run` with `base`, replication by replication.
pub fn compare(base: &VariantRun, run: &VariantRun) -> Comparison {
    let n = base.replications.min(run.replications);
    let diff = |a: &[f64], b: &[f64]| -> Vec<f64> {
        a.iter().zip(b).map(|(x, y)| x - y).take(n).collect()
    };
    let years_n = base.years.min(run.years);
    let mut years = Vec::with_capacity(years_n);
    let mut mean_cum = Vec::with_capacity(years_n);
    for y in 0..years_n {
        let d = diff(
            &run.column(y, col::TOTAL_COST),
            &base.column(y, col::TOTAL_COST),
        );
        let cum = diff(
            &run.cumulative(y, col::TOTAL_COST),
            &base.cumulative(y, col::TOTAL_COST),
        );
        let esc = diff(
            &base.column(y, col::ESCALATIONS),
            &run.column(y, col::ESCALATIONS),
        );
        let cum_stat = Stat::of(&cum);
        mean_cum.push(cum_stat.mean);
        years.push(ComparisonYear {
            year: base.start_year + y as i32,
            difference: Stat::of(&d),
            cumulative_difference: cum_stat,
            p_saving_cumulative: Proportion::of(&cum, |x| x < 0.0),
            escalations_avoided: Stat::of(&esc),
        });
    }
    let total_b = base.cumulative(years_n.saturating_sub(1), col::TOTAL_COST);
    let total_v = run.cumulative(years_n.saturating_sub(1), col::TOTAL_COST);
    let total = diff(&total_v, &total_b);
    let unpaired_se = {
        let sb = Stat::of(&total_b[..n]);
        let sv = Stat::of(&total_v[..n]);
        (sb.se * sb.se + sv.se * sv.se).sqrt()
    };
    let overrun = diff(
        &run.cumulative(years_n.saturating_sub(1), col::OVERRUN),
        &base.cumulative(years_n.saturating_sub(1), col::OVERRUN),
    );
    Comparison {
        variant: run.name.clone(),
        baseline: base.name.clone(),
        total_cost_difference: Stat::of(&total),
        unpaired_se,
        p_saving: Proportion::of(&total, |x| x < 0.0),
        break_even_year: break_even(&mean_cum).map(|y| base.start_year + y as i32),
        overrun_difference: Stat::of(&overrun),
        years,
    }
}

/// First index from which every value is at or below zero.
fn break_even(cumulative: &[f64]) -> Option<usize> {
    let mut from = None;
    for (i, &x) in cumulative.iter().enumerate() {
        if x <= 0.0 {
            from.get_or_insert(i);
        } else {
            from = None;
        }
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_needs_the_difference_to_stay_down() {
        assert_eq!(break_even(&[5.0, -1.0, 2.0, -3.0, -4.0]), Some(3));
        assert_eq!(break_even(&[-1.0, -2.0]), Some(0));
        assert_eq!(break_even(&[1.0, 2.0, -0.5, 0.1]), None);
        assert_eq!(break_even(&[]), None);
    }
}
