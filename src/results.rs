//! The summary of a run: what `summary.json` holds and every exporter reads.
//!
//! Built from the raw [`VariantRun`]s of a scenario: statistics per variant,
//! per year and over the horizon; headline figures with their Monte Carlo
//! standard errors; paired comparisons of every variant with the first
//! (the baseline); the assumptions and how strongly each drives the result.
//! The schema is documented in `docs/output.md`.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::engine::{Block, VariantRun};
use crate::metrics::{Layout, col};
use crate::model::{Model, Payer, Scenario};
use crate::stats::{Proportion, Stat, StatAcc, spearman};

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
    /// Versions of the crates that shape the numbers, as built (from
    /// `Cargo.lock`, by the build script).
    pub crates: BTreeMap<String, String>,
}

impl ToolInfo {
    pub fn current() -> Self {
        Self {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            generator: "Xoshiro256++ per (seed, replication, purpose)".into(),
            crates: env!("WIJKBUDGET_CRATE_VERSIONS")
                .split(',')
                .filter_map(|kv| kv.split_once('='))
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
        let points: Vec<(f64, u64)> = xs.iter().map(|&x| (x, 1)).collect();
        Self::of_points(&points)
    }

    /// [`Histogram::of`] for a sample given as (value, count) pairs, as a
    /// [`StatAcc`] holds it (exactly, or as the buckets of its sketch).
    pub fn of_points(points: &[(f64, u64)]) -> Self {
        let finite = || points.iter().filter(|(x, _)| x.is_finite());
        let (mut lo, mut hi, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0u64);
        for &(x, c) in finite() {
            lo = lo.min(x);
            hi = hi.max(x);
            n += c;
        }
        if n == 0 {
            return Self::default();
        }
        if lo == hi {
            return Self {
                edges: vec![lo, hi],
                counts: vec![n],
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
        for &(x, c) in finite() {
            let pos = x / width - first;
            let mut i = pos.floor().max(0.0) as usize;
            // Rounding must not move a value across an edge it lies on.
            while i > 0 && x < edges[i] {
                i -= 1;
            }
            while i + 1 < bins && x >= edges[i + 1] {
                i += 1;
            }
            counts[i.min(bins - 1)] += c;
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

/// Replications whose horizon values and parameters are kept whole, for the
/// rank correlations (`drivers`) and `replications.csv`; beyond them a run
/// keeps only its statistics, so its memory does not grow.
pub const KEEP_LIMIT: usize = 100_000;

/// The horizon columns kept per replication, as named in `replications.csv`.
pub const KEPT_COLUMNS: [(&str, usize); 8] = [
    ("total_cost", col::TOTAL_COST),
    ("care_spend", col::CARE_SPEND),
    ("team_spend", col::TEAM_SPEND),
    ("prevention_spend", col::PREVENTION_SPEND),
    ("overrun", col::OVERRUN),
    ("overrun_any_year", col::OVERRUN_FLAG),
    ("escalations", col::ESCALATIONS),
    ("reserve_end", col::RESERVE_END),
];

/// The first [`KEEP_LIMIT`] replications of one variant, whole.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kept {
    pub variant: String,
    /// `replications × KEPT_COLUMNS.len()` horizon values, replication-major.
    pub horizon: Vec<f64>,
    /// `replications × n_params` parameter values, replication-major.
    pub params: Vec<f64>,
    pub n_params: usize,
}

impl Kept {
    /// Number of replications kept.
    pub fn len(&self) -> usize {
        self.horizon.len() / KEPT_COLUMNS.len()
    }

    pub fn is_empty(&self) -> bool {
        self.horizon.is_empty()
    }

    /// A kept horizon column by its name in [`KEPT_COLUMNS`] (e.g.
    /// `"total_cost"`) over the replications; `None` for a column not kept.
    pub fn column(&self, key: &str) -> Option<Vec<f64>> {
        let c = KEPT_COLUMNS.iter().position(|(k, _)| *k == key)?;
        Some(
            self.horizon
                .chunks_exact(KEPT_COLUMNS.len())
                .map(|r| r[c])
                .collect(),
        )
    }
}

/// The statistics of one variant, accumulated replication by replication.
struct VariantAcc {
    layout: Layout,
    years: usize,
    start_year: i32,
    /// `years × width`.
    year_stats: Vec<StatAcc>,
    year_overruns: Vec<usize>,
    horizon: Vec<StatAcc>,
    any_overrun: usize,
    kept: Kept,
    scratch: Vec<f64>,
}

impl VariantAcc {
    fn new(model: &Model) -> Self {
        let layout = Layout::of(model);
        let years = model.horizon_years as usize;
        let w = layout.width();
        Self {
            years,
            start_year: model.start_year,
            year_stats: vec![StatAcc::default(); years * w],
            year_overruns: vec![0; years],
            horizon: vec![StatAcc::default(); w],
            any_overrun: 0,
            kept: Kept {
                variant: model.variant.clone(),
                n_params: model.params.len(),
                ..Kept::default()
            },
            scratch: vec![0.0; w],
            layout,
        }
    }

    /// Replications `first..first + n` in order: `rows(i)` and `params(i)`
    /// are those of replication `first + i`.
    fn push<'r>(
        &mut self,
        first: usize,
        n: usize,
        rows: impl Fn(usize) -> &'r [f64],
        params: impl Fn(usize) -> &'r [f64],
    ) {
        let w = self.layout.width();
        push_tiled(&mut self.year_stats, n, &rows);
        for i in 0..n {
            let r = rows(i);
            for (y, count) in self.year_overruns.iter_mut().enumerate() {
                if r[y * w + col::OVERRUN_FLAG] > 0.0 {
                    *count += 1;
                }
            }
        }
        // The horizon values of every replication, then their statistics.
        self.scratch.resize(n * w, 0.0);
        for (i, out) in self.scratch.chunks_exact_mut(w).enumerate() {
            self.layout.aggregate(rows(i), out);
        }
        let scratch = &self.scratch;
        push_tiled(&mut self.horizon, n, |i| &scratch[i * w..(i + 1) * w]);
        for (i, h) in scratch.chunks_exact(w).enumerate() {
            if h[col::OVERRUN_FLAG] > 0.0 {
                self.any_overrun += 1;
            }
            if first + i < KEEP_LIMIT {
                for (_, c) in KEPT_COLUMNS {
                    self.kept.horizon.push(h[c]);
                }
                self.kept.params.extend_from_slice(params(i));
            }
        }
    }
}

/// Pushes value `j` of `values(i)` into `accs[j]` for the replications
/// `i` in `0..n`, in order, a few statistics at a time: each statistic's
/// kept values or sketch stay in cache over the replications, where one
/// replication at a time would touch every statistic's in turn (for a
/// sketch, a random bucket of a few kilobytes each). Every statistic takes
/// the same values in the same order either way.
fn push_tiled<'r>(accs: &mut [StatAcc], n: usize, values: impl Fn(usize) -> &'r [f64]) {
    const TILE: usize = 8;
    for (t, tile) in accs.chunks_mut(TILE).enumerate() {
        for i in 0..n {
            for (acc, &x) in tile.iter_mut().zip(&values(i)[t * TILE..]) {
                acc.push(x);
            }
        }
    }
}

/// A paired comparison, accumulated replication by replication.
struct ComparisonAcc {
    years: usize,
    /// The statistics of the columns of a comparison row: per year the
    /// difference, the cumulative difference and the escalations avoided
    /// ([`DIFFERENCE`], [`CUMULATIVE`], [`ESCALATIONS_AVOIDED`] after
    /// `3 × year`), then the total and the overrun difference.
    stats: Vec<StatAcc>,
    /// Per year, the replications whose cumulative difference is a saving.
    savings_cumulative: Vec<usize>,
    savings: usize,
    /// The comparison rows of a block of replications, one after the other.
    scratch: Vec<f64>,
}

const DIFFERENCE: usize = 0;
const CUMULATIVE: usize = 1;
const ESCALATIONS_AVOIDED: usize = 2;

impl ComparisonAcc {
    fn new(years: usize) -> Self {
        Self {
            years,
            stats: vec![StatAcc::default(); 3 * years + 2],
            savings_cumulative: vec![0; years],
            savings: 0,
            scratch: Vec::new(),
        }
    }

    fn year(&self, y: usize, column: usize) -> &StatAcc {
        &self.stats[3 * y + column]
    }

    fn total(&self) -> &StatAcc {
        &self.stats[3 * self.years]
    }

    fn overrun(&self) -> &StatAcc {
        &self.stats[3 * self.years + 1]
    }

    /// Replications `0..n` in order: `base(i)` and `run(i)` are the year
    /// rows of the baseline and of the variant.
    fn push<'r>(
        &mut self,
        n: usize,
        base: impl Fn(usize) -> &'r [f64],
        base_w: usize,
        run: impl Fn(usize) -> &'r [f64],
        run_w: usize,
    ) {
        let years = self.years;
        let w = self.stats.len();
        self.scratch.resize(n * w, 0.0);
        for (i, out) in self.scratch.chunks_exact_mut(w).enumerate() {
            let (base, run) = (base(i), run(i));
            let mut cum = 0.0;
            let mut overrun = 0.0;
            for (y, savings) in self.savings_cumulative.iter_mut().enumerate() {
                let b = &base[y * base_w..];
                let v = &run[y * run_w..];
                let d = v[col::TOTAL_COST] - b[col::TOTAL_COST];
                cum += d;
                overrun += v[col::OVERRUN] - b[col::OVERRUN];
                out[3 * y + DIFFERENCE] = d;
                out[3 * y + CUMULATIVE] = cum;
                out[3 * y + ESCALATIONS_AVOIDED] = b[col::ESCALATIONS] - v[col::ESCALATIONS];
                if cum < 0.0 {
                    *savings += 1;
                }
            }
            out[3 * years] = cum;
            out[3 * years + 1] = overrun;
            if cum < 0.0 {
                self.savings += 1;
            }
        }
        let scratch = &self.scratch;
        push_tiled(&mut self.stats, n, |i| &scratch[i * w..(i + 1) * w]);
    }

    fn finish(
        &self,
        start_year: i32,
        unpaired_se: f64,
        variant: &str,
        baseline: &str,
    ) -> Comparison {
        let n = self.total().len();
        let mean_cum: Vec<f64> = (0..self.years)
            .map(|y| self.year(y, CUMULATIVE).mean())
            .collect();
        Comparison {
            variant: variant.to_string(),
            baseline: baseline.to_string(),
            total_cost_difference: self.total().finish(),
            unpaired_se,
            p_saving: Proportion::from_count(self.savings, n),
            break_even_year: break_even(&mean_cum).map(|y| start_year + y as i32),
            overrun_difference: self.overrun().finish(),
            total_cost_difference_histogram: Histogram::of_points(&self.total().points()),
            years: (0..self.years)
                .map(|y| ComparisonYear {
                    year: start_year + y as i32,
                    difference: self.year(y, DIFFERENCE).finish(),
                    cumulative_difference: self.year(y, CUMULATIVE).finish(),
                    p_saving_cumulative: Proportion::from_count(self.savings_cumulative[y], n),
                    escalations_avoided: self.year(y, ESCALATIONS_AVOIDED).finish(),
                })
                .collect(),
        }
    }
}

/// The standard error a difference of two independent samples' means would have.
fn unpaired_se(a: &StatAcc, b: &StatAcc) -> f64 {
    (a.sd_se().1.powi(2) + b.sd_se().1.powi(2)).sqrt()
}

/// Builds the [`Summary`] of a run replication by replication, so a run
/// keeps its statistics rather than its rows: memory does not grow with the
/// number of replications beyond [`KEEP_LIMIT`] (and the sketches of
/// [`StatAcc`]). Replications must be pushed in order; the summary is then
/// the same whatever the number of threads that produced them.
pub struct Collector<'a> {
    scenario: &'a Scenario,
    models: Vec<&'a Model>,
    seed: u64,
    file: Option<String>,
    n: usize,
    variants: Vec<VariantAcc>,
    comparisons: Vec<ComparisonAcc>,
}

impl<'a> Collector<'a> {
    /// A collector for these variants of the scenario; `models[0]` is the baseline.
    /// `seed` is the seed the engine ran with, recorded in the summary.
    pub fn new(
        scenario: &'a Scenario,
        models: &[&'a Model],
        seed: u64,
        file: Option<&str>,
    ) -> Self {
        let variants: Vec<VariantAcc> = models.iter().map(|m| VariantAcc::new(m)).collect();
        let base_years = variants.first().map_or(0, |v| v.years);
        let comparisons = variants
            .iter()
            .skip(1)
            .map(|v| ComparisonAcc::new(base_years.min(v.years)))
            .collect();
        Self {
            scenario,
            models: models.to_vec(),
            seed,
            file: file.map(str::to_string),
            n: 0,
            variants,
            comparisons,
        }
    }

    /// One replication of every variant: its year rows and parameter values.
    pub fn push(&mut self, rows: &[&[f64]], params: &[&[f64]]) {
        for ((acc, &r), &p) in self.variants.iter_mut().zip(rows).zip(params) {
            acc.push(self.n, 1, |_| r, |_| p);
        }
        let base_w = self.variants[0].layout.width();
        for (i, cmp) in self.comparisons.iter_mut().enumerate() {
            let run_w = self.variants[i + 1].layout.width();
            cmp.push(1, |_| rows[0], base_w, |_| rows[i + 1], run_w);
        }
        self.n += 1;
    }

    /// A block of replications from [`simulate_variants`](crate::engine::simulate_variants).
    ///
    /// Every variant and every comparison accumulates on its own, so they run
    /// in parallel; each still takes the replications in order, so the
    /// result is the same as pushing them one by one.
    pub fn push_block(&mut self, block: &Block) {
        let n0 = self.n;
        let variants = &mut self.variants;
        let comparisons = &mut self.comparisons;
        let base_w = variants[0].layout.width();
        let widths: Vec<usize> = variants.iter().map(|v| v.layout.width()).collect();
        rayon::join(
            || {
                variants.par_iter_mut().enumerate().for_each(|(v, acc)| {
                    acc.push(n0, block.len, |i| block.rows(v, i), |i| block.params(v, i));
                });
            },
            || {
                comparisons.par_iter_mut().enumerate().for_each(|(c, cmp)| {
                    cmp.push(
                        block.len,
                        |i| block.rows(0, i),
                        base_w,
                        |i| block.rows(c + 1, i),
                        widths[c + 1],
                    );
                });
            },
        );
        self.n += block.len;
    }

    /// The summary, and the kept replications of each variant.
    pub fn finish(self) -> (Summary, Vec<Kept>) {
        let first = self.models[0];
        let info = scenario_info(
            self.scenario,
            first,
            &self.variants[0].layout,
            self.seed,
            self.n,
            self.file,
        );
        // Each variant and each comparison is summarised on its own, in
        // parallel; `collect` keeps their order.
        let variants = self
            .models
            .par_iter()
            .zip(&self.variants)
            .map(|(m, acc)| summarize_variant(m, acc))
            .collect();
        let comparisons = self
            .comparisons
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let (base, run) = (&self.variants[0], &self.variants[i + 1]);
                c.finish(
                    base.start_year,
                    unpaired_se(
                        &base.horizon[col::TOTAL_COST],
                        &run.horizon[col::TOTAL_COST],
                    ),
                    &self.models[i + 1].variant,
                    &first.variant,
                )
            })
            .collect();
        let summary = Summary {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo::current(),
            scenario: info,
            variants,
            comparisons,
        };
        (summary, self.variants.into_iter().map(|v| v.kept).collect())
    }
}

/// Summarises runs kept whole; `runs[0]` is the baseline. The same as
/// pushing their replications through a [`Collector`].
pub fn summarize(
    scenario: &Scenario,
    models: &[&Model],
    runs: &[VariantRun],
    file: Option<&str>,
) -> Summary {
    let seed = runs.first().map_or(scenario.seed, |r| r.seed);
    let mut c = Collector::new(scenario, models, seed, file);
    let n = runs.iter().map(|r| r.replications).min().unwrap_or(0);
    for r in 0..n {
        let rows: Vec<&[f64]> = runs.iter().map(|run| run.replication(r)).collect();
        let params: Vec<&[f64]> = runs
            .iter()
            .map(|run| &run.params[r * run.n_params..(r + 1) * run.n_params])
            .collect();
        c.push(&rows, &params);
    }
    c.finish().0
}

fn scenario_info(
    scenario: &Scenario,
    first: &Model,
    layout: &Layout,
    seed: u64,
    replications: usize,
    file: Option<String>,
) -> ScenarioInfo {
    ScenarioInfo {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        file,
        seed,
        replications: replications as u32,
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
    }
}

fn summarize_variant(model: &Model, acc: &VariantAcc) -> VariantSummary {
    let w = acc.layout.width();
    let n = acc.horizon[0].len();
    let years = (0..acc.years)
        .map(|y| YearSummary {
            year: acc.start_year + y as i32,
            p_overrun: Proportion::from_count(acc.year_overruns[y], n),
            metrics: acc
                .layout
                .defs
                .iter()
                .enumerate()
                .map(|(c, d)| (d.key.clone(), acc.year_stats[y * w + c].finish()))
                .collect(),
        })
        .collect();
    let horizon: BTreeMap<String, Stat> = acc
        .layout
        .defs
        .iter()
        .enumerate()
        .map(|(c, d)| (d.key.clone(), acc.horizon[c].finish()))
        .collect();
    let last = acc.years.saturating_sub(1);
    let headline = Headline {
        p_overrun_any_year: Proportion::from_count(acc.any_overrun, n),
        p_overrun_last_year: Proportion::from_count(
            acc.year_overruns.get(last).copied().unwrap_or(0),
            n,
        ),
        // Already summarised with the other horizon statistics.
        overrun: horizon[&acc.layout.defs[col::OVERRUN].key],
        total_cost: horizon[&acc.layout.defs[col::TOTAL_COST].key],
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
    let kept = &acc.kept;
    let drivers = if model.parameter_uncertainty && !kept.is_empty() {
        let total_cost = kept.column("total_cost").unwrap_or_default();
        let overrun = kept.column("overrun").unwrap_or_default();
        model
            .params
            .uncertain()
            .map(|p| {
                let values: Vec<f64> = kept
                    .params
                    .chunks_exact(kept.n_params.max(1))
                    .map(|r| r[p.idx()])
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
    let years = base.years.min(run.years);
    let (bw, rw) = (base.layout.width(), run.layout.width());
    let mut acc = ComparisonAcc::new(years);
    let mut total_b = StatAcc::default();
    let mut total_v = StatAcc::default();
    acc.push(n, |r| base.replication(r), bw, |r| run.replication(r), rw);
    for r in 0..n {
        let (b, v) = (base.replication(r), run.replication(r));
        total_b.push((0..years).map(|y| b[y * bw + col::TOTAL_COST]).sum());
        total_v.push((0..years).map(|y| v[y * rw + col::TOTAL_COST]).sum());
    }
    acc.finish(
        base.start_year,
        unpaired_se(&total_b, &total_v),
        &run.name,
        &base.name,
    )
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
    fn statistics_in_tiles_are_statistics_one_value_at_a_time() {
        // Past the exact limit, so the sketches take the values too; 11
        // statistics, so the last tile is short; blocks of 256 values as
        // the engine hands them on, and a short last block.
        let (stats, n) = (11, crate::stats::EXACT_LIMIT + 600);
        let value = |i: usize, j: usize| {
            let x = ((i * 7919 + j * 104_729) % 10_007) as f64;
            (x - 2_000.0) * 10f64.powi((j % 5) as i32)
        };
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..stats).map(|j| value(i, j)).collect())
            .collect();
        let mut tiled = vec![StatAcc::default(); stats];
        for first in (0..n).step_by(256) {
            let len = 256.min(n - first);
            push_tiled(&mut tiled, len, |i| &rows[first + i]);
        }
        let mut single = vec![StatAcc::default(); stats];
        for row in &rows {
            for (acc, &x) in single.iter_mut().zip(row) {
                acc.push(x);
            }
        }
        for (j, (a, b)) in tiled.iter().zip(&single).enumerate() {
            assert_eq!(a.len(), n);
            let json = |s: &StatAcc| serde_json::to_string(&s.finish()).expect("encodes");
            assert_eq!(json(a), json(b), "statistic {j}");
            assert_eq!(a.points(), b.points(), "statistic {j}");
        }
    }

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
