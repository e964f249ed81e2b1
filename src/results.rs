//! The summary of a run: what `summary.json` holds and every exporter reads.
//!
//! Built from the raw [`VariantRun`]s of a scenario: statistics per variant,
//! per year and over the horizon; headline figures with their Monte Carlo
//! standard errors; paired comparisons of every variant with the first
//! (the baseline); the assumptions and how strongly each drives the result.
//! The schema is documented in `docs/output.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::engine::VariantRun;
use crate::metrics::col;
use crate::model::{Model, Payer, Scenario};
use crate::stats::{Proportion, Stat, spearman};

/// Version of the `summary.json` schema; raised on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a run produced, in summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub scenario: ScenarioInfo,
    pub variants: Vec<VariantSummary>,
    /// Each variant after the first against the first.
    pub comparisons: Vec<Comparison>,
}

/// The program that made the summary, so a result can be reproduced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    pub generator: String,
    /// Versions of the crates that shape the numbers.
    pub crates: BTreeMap<String, String>,
}

impl ToolInfo {
    pub fn current() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            generator: "Xoshiro256++ per (seed, replication, purpose)".into(),
            crates: [
                ("rand", "0.10"),
                ("rand_distr", "0.6"),
                ("rand_xoshiro", "0.8"),
                ("nalgebra", "0.35"),
                ("statrs", "0.19"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        }
    }
}

/// The scenario as run.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamInfo {
    pub name: String,
    pub label: String,
    pub levels: Vec<LevelInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelInfo {
    pub name: String,
    pub label: String,
    /// `team` or `stream`.
    pub paid_by: String,
}

/// One variant's results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantSummary {
    pub name: String,
    pub description: String,
    pub headline: Headline,
    pub years: Vec<YearSummary>,
    /// Every metric aggregated over the horizon per replication, then summarised.
    #[serde(deserialize_with = "de::stat_map")]
    pub horizon: BTreeMap<String, Stat>,
    pub assumptions: Vec<Assumption>,
    /// Spearman rank correlation of each uncertain parameter with the
    /// horizon's total cost and overrun (empty without parameter uncertainty).
    pub drivers: Vec<Driver>,
}

/// The numbers a council asks for first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Headline {
    /// P(an overrun in at least one year of the horizon).
    #[serde(deserialize_with = "de::proportion")]
    pub p_overrun_any_year: Proportion,
    /// P(an overrun in the last year).
    #[serde(deserialize_with = "de::proportion")]
    pub p_overrun_last_year: Proportion,
    /// Overrun summed over the horizon (beyond what the reserve covers).
    #[serde(deserialize_with = "de::stat")]
    pub overrun: Stat,
    /// Total cost over the horizon: care, team and prevention.
    #[serde(deserialize_with = "de::stat")]
    pub total_cost: Stat,
}

/// One year of one variant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YearSummary {
    pub year: i32,
    #[serde(deserialize_with = "de::proportion")]
    pub p_overrun: Proportion,
    #[serde(deserialize_with = "de::stat_map")]
    pub metrics: BTreeMap<String, Stat>,
}

/// One parameter as the variant used it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Assumption {
    pub path: String,
    #[serde(flatten)]
    pub dist: Dist,
    pub description: String,
    #[serde(deserialize_with = "de::f64_or_nan")]
    pub mean: f64,
    pub source: Option<String>,
    pub line: usize,
}

/// How strongly one uncertain parameter moves the outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Driver {
    pub path: String,
    #[serde(deserialize_with = "de::f64_or_nan")]
    pub rank_correlation_total_cost: f64,
    #[serde(deserialize_with = "de::f64_or_nan")]
    pub rank_correlation_overrun: f64,
}

/// A variant against the baseline, replication by replication.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    pub variant: String,
    pub baseline: String,
    /// Total cost over the horizon, variant minus baseline (negative = saving).
    /// Its p5 and p95 bound the 90 % interval.
    #[serde(deserialize_with = "de::stat")]
    pub total_cost_difference: Stat,
    /// The standard error the difference would have without common random
    /// numbers: how much pairing gains.
    #[serde(deserialize_with = "de::f64_or_nan")]
    pub unpaired_se: f64,
    /// P(the variant costs less than the baseline over the horizon).
    #[serde(deserialize_with = "de::proportion")]
    pub p_saving: Proportion,
    /// First year from which the mean cumulative difference stays at or
    /// below zero: when the variant has paid back.
    pub break_even_year: Option<i32>,
    /// Overrun over the horizon, variant minus baseline.
    #[serde(deserialize_with = "de::stat")]
    pub overrun_difference: Stat,
    pub years: Vec<ComparisonYear>,
    /// Histogram of the total cost difference over the replications (for
    /// the chart of the paired saving); empty in summaries from before it.
    #[serde(default)]
    pub total_cost_difference_histogram: Histogram,
}

/// Counts of a sample in equal-width bins: bin `i` holds the values in
/// `[edges[i], edges[i + 1])`, the last bin also its upper edge.
/// Non-finite values are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

impl Histogram {
    /// The histogram of `xs` in about √n bins (at least 5, at most 40)
    /// between the sample's minimum and maximum; empty for an empty sample,
    /// one bin of zero width when every value is the same.
    pub fn of(xs: &[f64]) -> Self {
        let (mut lo, mut hi, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0usize);
        for &x in xs.iter().filter(|x| x.is_finite()) {
            lo = lo.min(x);
            hi = hi.max(x);
            n += 1;
        }
        if n == 0 {
            return Self::default();
        }
        if lo == hi {
            return Self {
                edges: vec![lo, hi],
                counts: vec![n as u64],
            };
        }
        let bins = ((n as f64).sqrt().round() as usize).clamp(5, 40);
        let width = (hi - lo) / bins as f64;
        // Bins are counted from `first` widths off zero, so that when the
        // sample has both signs zero is an edge and no bin mixes them.
        let first = if lo < 0.0 && hi > 0.0 {
            -(-lo / width).ceil()
        } else {
            lo / width
        };
        let bins = ((hi / width - first).ceil() as usize).max(1);
        let edges: Vec<f64> = (0..=bins).map(|i| (first + i as f64) * width).collect();
        let mut counts = vec![0u64; bins];
        for &x in xs.iter().filter(|x| x.is_finite()) {
            let pos = x / width - first;
            let mut i = pos.floor().max(0.0) as usize;
            // Rounding must not move a value across an edge it lies on.
            while i > 0 && x < edges[i] {
                i -= 1;
            }
            while i + 1 < bins && x >= edges[i + 1] {
                i += 1;
            }
            counts[i.min(bins - 1)] += 1;
        }
        Self { edges, counts }
    }

    /// Number of values counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComparisonYear {
    pub year: i32,
    /// Total cost in the year, variant minus baseline.
    #[serde(deserialize_with = "de::stat")]
    pub difference: Stat,
    /// Total cost up to and including the year, variant minus baseline.
    #[serde(deserialize_with = "de::stat")]
    pub cumulative_difference: Stat,
    #[serde(deserialize_with = "de::proportion")]
    pub p_saving_cumulative: Proportion,
    /// Escalations in the year, baseline minus variant.
    #[serde(deserialize_with = "de::stat")]
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
                            Payer::Team => "team".into(),
                            Payer::Stream => "stream".into(),
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
        total_cost_difference_histogram: Histogram::of(&total),
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

/// Reading `summary.json` back: statistics, and `null` where a number was
/// not finite (JSON has no NaN or infinity; serde_json writes `null`).
mod de {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer};

    use crate::stats::{Proportion, Stat};

    pub fn f64_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }

    /// The fields of a [`Stat`], in the order written.
    #[derive(Deserialize)]
    struct StatDe {
        #[serde(deserialize_with = "f64_or_nan")]
        mean: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        sd: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        se: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        p5: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        p25: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        p50: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        p75: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        p95: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        min: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        max: f64,
    }

    impl From<StatDe> for Stat {
        fn from(s: StatDe) -> Self {
            Stat {
                mean: s.mean,
                sd: s.sd,
                se: s.se,
                p5: s.p5,
                p25: s.p25,
                p50: s.p50,
                p75: s.p75,
                p95: s.p95,
                min: s.min,
                max: s.max,
            }
        }
    }

    pub fn stat<'de, D: Deserializer<'de>>(d: D) -> Result<Stat, D::Error> {
        StatDe::deserialize(d).map(Stat::from)
    }

    pub fn stat_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Stat>, D::Error> {
        let map = BTreeMap::<String, StatDe>::deserialize(d)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.into())).collect())
    }

    #[derive(Deserialize)]
    struct ProportionDe {
        #[serde(deserialize_with = "f64_or_nan")]
        p: f64,
        #[serde(deserialize_with = "f64_or_nan")]
        se: f64,
    }

    pub fn proportion<'de, D: Deserializer<'de>>(d: D) -> Result<Proportion, D::Error> {
        let p = ProportionDe::deserialize(d)?;
        Ok(Proportion { p: p.p, se: p.se })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_every_finite_value_once() {
        let xs: Vec<f64> = (0..100).map(|i| i as f64).chain([f64::NAN]).collect();
        let h = Histogram::of(&xs);
        assert_eq!(h.counts.len(), 10);
        assert_eq!(h.edges.len(), 11);
        assert_eq!(h.total(), 100);
        assert_eq!((h.edges[0], h.edges[10]), (0.0, 99.0));
        // Bin i holds [9.9 i, 9.9 (i + 1)): 0..=9 in the first, 99 in the last.
        assert_eq!(h.counts[0], 10);
        assert_eq!(h.counts[9], 10);
        assert_eq!(Histogram::of(&[]), Histogram::default());
        let same = Histogram::of(&[3.0; 7]);
        assert_eq!((same.edges, same.counts), (vec![3.0, 3.0], vec![7]));
    }

    #[test]
    fn histograms_of_both_signs_have_an_edge_at_zero() {
        // 25 values from -1.2 to 3.6: 5 bins of width 0.96 would put zero
        // inside one; aligned, zero is an edge and 0.0 counts on its right.
        let xs: Vec<f64> = (0..25).map(|i| -1.2 + 0.2 * i as f64).collect();
        let h = Histogram::of(&xs);
        let k = h
            .edges
            .iter()
            .position(|&e| e == 0.0)
            .expect("an edge at zero");
        assert_eq!(h.total(), 25);
        assert!(h.edges[0] <= -1.2 && *h.edges.last().unwrap() >= 3.6);
        let below: u64 = h.counts[..k].iter().sum();
        let negatives = xs.iter().filter(|&&x| x < 0.0).count() as u64;
        assert_eq!(below, negatives);
        // Every value lies in its bin.
        for &x in &xs {
            let i = h.edges.windows(2).position(|w| w[0] <= x && x < w[1]);
            assert!(i.is_some() || x == *h.edges.last().unwrap(), "{x}");
        }
    }

    #[test]
    fn break_even_needs_the_difference_to_stay_down() {
        assert_eq!(break_even(&[5.0, -1.0, 2.0, -3.0, -4.0]), Some(3));
        assert_eq!(break_even(&[-1.0, -2.0]), Some(0));
        assert_eq!(break_even(&[1.0, 2.0, -0.5, 0.1]), None);
        assert_eq!(break_even(&[]), None);
    }
}
