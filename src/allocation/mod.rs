//! Dividing one municipal budget over several areas (`wijkbudget allocate`):
//! the allocation keys, the simulation of every area on common random
//! numbers, each key's outcomes and the effect of a shared risk reserve.
//!
//! Every area is simulated with the engine's [`Evaluator`]: replication `r`
//! draws its parameters from the municipality's seed (so a parameter with
//! the same path, e.g. a shared tariff, takes the same value in every area)
//! and its process randomness from a seed of its own per area (so areas'
//! clients come and go independently). Every key sees the same
//! replications, so differences between keys are paired.
//!
//! Under `overspend` the care given does not depend on the ceiling (areas
//! keep no reserve and reinvest nothing here), so each area is simulated
//! once and every key's ceilings are applied to the same replications:
//! exact and cheap. Under `waitlist` the ceiling decides who waits, so each
//! key's ceilings are simulated separately (still on the same seeds). The
//! library does no IO; the format is in `docs/allocation.md`.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::engine::{Evaluator, Progress, Rates, RunConfig};
use crate::metrics::col;
pub use crate::model::municipality::{Area, AreaSource, Characteristic, Municipality, PoolPolicy};
use crate::model::{Model, Payer};
use crate::rng;
use crate::stats::{mean_sd, quantile_sorted};

/// An allocation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Key {
    PerInhabitant,
    PerHousehold,
    Historical,
    NeedsWeighted,
    NeedsModel,
    RiskEqualising,
}

impl Key {
    /// The key's short name in Dutch and English.
    pub fn label(self, lang: crate::locale::Lang) -> &'static str {
        use crate::locale::Lang::{En, Nl};
        match (self, lang) {
            (Key::PerInhabitant, Nl) => "per inwoner",
            (Key::PerInhabitant, En) => "per inhabitant",
            (Key::PerHousehold, Nl) => "per huishouden",
            (Key::PerHousehold, En) => "per household",
            (Key::Historical, Nl) => "historisch",
            (Key::Historical, En) => "historical spend",
            (Key::NeedsWeighted, Nl) => "behoefte (gewichten)",
            (Key::NeedsWeighted, En) => "needs (given weights)",
            (Key::NeedsModel, Nl) => "behoefte (model)",
            (Key::NeedsModel, En) => "needs (model costs)",
            (Key::RiskEqualising, Nl) => "gelijk risico",
            (Key::RiskEqualising, En) => "equal risk",
        }
    }

    /// What the key divides by, in English.
    pub fn description(self) -> &'static str {
        match self {
            Key::PerInhabitant => "in proportion to inhabitants",
            Key::PerHousehold => "in proportion to households",
            Key::Historical => "in proportion to last year's spend (given per area)",
            Key::NeedsWeighted => {
                "in proportion to a weighted sum of area characteristics, weights as given"
            }
            Key::NeedsModel => {
                "in proportion to households per type times the model's expected yearly care \
                 cost per household of that type (averaged over the areas)"
            }
            Key::RiskEqualising => {
                "the split under which every area has the same probability of an overrun, \
                 found by bisection on the common probability"
            }
        }
    }
}

/// Mean with Monte Carlo standard error and a 90 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    /// Standard error of the mean (sd / √n).
    pub se: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Estimate {
    pub fn of(xs: &[f64]) -> Self {
        if xs.is_empty() {
            return Self {
                mean: 0.0,
                se: 0.0,
                p5: 0.0,
                p50: 0.0,
                p95: 0.0,
            };
        }
        let (mean, sd) = mean_sd(xs);
        let mut s = xs.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        Self {
            mean,
            se: sd / (xs.len() as f64).sqrt(),
            p5: quantile_sorted(&s, 0.05),
            p50: quantile_sorted(&s, 0.5),
            p95: quantile_sorted(&s, 0.95),
        }
    }
}

/// A probability with its binomial standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prob {
    pub p: f64,
    pub se: f64,
}

impl Prob {
    /// The share of `flags` that are true.
    pub fn of(flags: &[bool]) -> Self {
        let n = flags.len();
        if n == 0 {
            return Self { p: 0.0, se: 0.0 };
        }
        let p = flags.iter().filter(|&&f| f).count() as f64 / n as f64;
        Self {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// One area under one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaOutcome {
    pub area: String,
    /// Budget in the first year, EUR.
    pub budget: f64,
    /// Share of the total budget.
    pub share: f64,
    /// Budget summed over the horizon (indexed), mean over replications, EUR.
    pub budget_horizon: f64,
    /// Care spend on the covered streams over the horizon, EUR.
    pub cost: Estimate,
    /// Care spend in the first year, EUR (to set against `budget`).
    pub cost_first_year: Estimate,
    /// P(the area's spend exceeds its budget in any year).
    pub p_overrun: Prob,
    /// Overrun over the horizon (spend above budget, summed over years), EUR.
    pub overrun: Estimate,
    /// Client-months spent waiting over the horizon (`waitlist` only).
    pub waiting_months: Estimate,
}

/// The municipality as a whole under one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalOutcome {
    pub budget: f64,
    pub budget_horizon: f64,
    pub cost: Estimate,
    pub cost_first_year: Estimate,
    /// P(at least one area overruns in some year), no pool.
    pub p_any_area_overrun: Prob,
    /// P(total spend exceeds the total budget in some year), no pool.
    pub p_municipality_overrun: Prob,
    /// Sum of the areas' overruns over the horizon, EUR.
    pub overrun_areas: Estimate,
}

/// The effect of a shared risk reserve of one size under one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolEffect {
    /// Pool in the first year, EUR; topped up to this amount (indexed like
    /// the budget) at the start of every year.
    pub size: f64,
    /// P(some area's overrun is not fully covered in some year).
    pub p_any_area_overrun: Prob,
    /// P(total spend exceeds total budget plus pool in some year).
    pub p_municipality_overrun: Prob,
    /// Per area (in area order): P(its overrun is not fully covered).
    pub p_area_overrun: Vec<Prob>,
    /// Area overruns the pool does not cover, over the horizon, EUR.
    pub uncovered: Estimate,
    /// Pool money used over the horizon, EUR.
    pub used: Estimate,
}

/// The outcome of one key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResult {
    pub key: Key,
    pub label_nl: String,
    pub label_en: String,
    pub description: String,
    /// The weight of each area (in area order) the budget is divided by.
    pub weights: Vec<f64>,
    /// For the risk-equalising key: the common P(overrun) aimed at.
    pub target_p_overrun: Option<f64>,
    pub areas: Vec<AreaOutcome>,
    pub total: TotalOutcome,
    pub pool: Vec<PoolEffect>,
}

/// An area as described in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaInfo {
    pub name: String,
    pub label: String,
    pub source: AreaSource,
    pub inhabitants: f64,
    pub households: f64,
    pub last_year_spend: Option<f64>,
    pub counts: Vec<Characteristic>,
    /// Model-expected yearly care cost at mean parameters (steady state), EUR.
    pub model_expected_cost: f64,
}

/// Everything `allocation.json` holds: enough to draw charts and write a
/// report without the inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// `wijkbudget.allocation/1`.
    pub schema: String,
    /// The program that made it (name, version, generator, crate versions),
    /// so a result can be reproduced.
    pub tool: Tool,
    pub name: String,
    pub description: String,
    pub start_year: i32,
    pub horizon_years: u32,
    pub replications: u32,
    pub seed: u64,
    pub currency: String,
    /// First-year municipal budget, EUR.
    pub total_budget: f64,
    pub policy: PoolPolicy,
    /// `shared`: one simulation per area, every key's ceilings applied to it
    /// (overspend); `per_key`: every key simulated on its own (waitlist).
    pub simulation: String,
    pub streams: Vec<String>,
    pub areas: Vec<AreaInfo>,
    pub keys: Vec<KeyResult>,
    /// Pool sizes compared, EUR (first year).
    pub pool_sizes: Vec<f64>,
    /// What the fields mean: unit and definition per field name.
    pub fields: Vec<(String, String)>,
}

pub const SCHEMA: &str = "wijkbudget.allocation/1";

/// The program that made an [`Allocation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    pub generator: String,
    pub crates: Vec<(String, String)>,
}

impl Tool {
    /// This program, as `summary.json` describes it.
    pub fn current() -> Self {
        let t = crate::results::ToolInfo::current();
        Self {
            name: t.name.to_string(),
            version: t.version.to_string(),
            generator: t.generator.to_string(),
            crates: t
                .crates
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

/// The default ladder of pool sizes, as shares of the total budget.
pub const DEFAULT_POOL_SHARES: &[f64] = &[0.0, 0.005, 0.01, 0.02, 0.05];

/// One area's simulated care spend: `replications × years`, and the
/// indexation of each replication.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRun {
    pub years: usize,
    pub spend: Vec<f64>,
    pub indexation: Vec<f64>,
    /// Client-months spent waiting over the horizon, per replication
    /// (zero under `overspend`).
    pub waiting: Vec<f64>,
}

impl AreaRun {
    fn row(&self, r: usize) -> &[f64] {
        &self.spend[r * self.years..(r + 1) * self.years]
    }

    fn reps(&self) -> usize {
        self.indexation.len()
    }
}

/// The seed of an area's process randomness.
pub fn area_seed(seed: u64, area: &str) -> u64 {
    rng::stream_seed(seed, 0, rng::purpose(&format!("area/{area}")))
}

/// `model` with its first-year ceiling set to `ceiling`.
pub fn with_ceiling(model: &Model, ceiling: f64) -> Model {
    let mut m = model.clone();
    m.params.specs[m.budget.ceiling.idx()].dist = Dist::Fixed { value: ceiling };
    m
}

/// Simulates all replications of one area: parameters from `seed`, process
/// randomness from `process_seed`. Deterministic whatever the number of
/// threads: each replication fills its own slot.
pub fn simulate_area(
    model: &Model,
    cfg: &RunConfig,
    process_seed: u64,
    progress: &dyn Progress,
) -> AreaRun {
    const CHUNK: usize = 16;
    let ev = Evaluator::new(model);
    let years = model.horizon_years as usize;
    let w = ev.layout().width();
    let reps = cfg.replications as usize;
    let np = model.params.len();
    let ix = model.budget.indexation.idx();
    let mut spend = vec![0.0; reps * years];
    let mut indexation = vec![0.0; reps];
    let mut waiting = vec![0.0; reps];
    spend
        .par_chunks_mut(years * CHUNK)
        .zip(indexation.par_chunks_mut(CHUNK))
        .zip(waiting.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(chunk, ((out, iout), wout))| {
            // The chunk's parameter draws, then its replications at once
            // (in the engine's lanes).
            let n = iout.len();
            let first = (chunk * CHUNK) as u64;
            let mut values = vec![0.0; n * np];
            for (i, v) in values.chunks_exact_mut(np.max(1)).enumerate() {
                ev.draw(cfg.seed, first + i as u64, v);
            }
            let len = ev.row_len();
            let mut rows = vec![0.0; n * len];
            ev.run_many(
                process_seed,
                first,
                n,
                |i| &values[i * np..(i + 1) * np],
                &mut rows,
            );
            for (i, row) in rows.chunks_exact(len.max(1)).enumerate() {
                for y in 0..years {
                    out[i * years + y] = row[y * w + col::CARE_SPEND];
                }
                iout[i] = values[i * np + ix];
                wout[i] = (0..years).map(|y| row[y * w + col::WAITING_MONTHS]).sum();
            }
            progress.advance(n as u64);
        });
    AreaRun {
        years,
        spend,
        indexation,
        waiting,
    }
}

/// The ceilings of a budget `b` over the years for indexation `i`, computed
/// as the engine does (start at `b`, multiply by `1 + i` each year).
fn ceilings(b: f64, i: f64, years: usize, out: &mut [f64]) {
    let mut c = b;
    for o in out.iter_mut().take(years) {
        *o = c;
        c *= 1.0 + i;
    }
}

/// Yearly deficits (spend − ceiling) of an area with first-year budget `b`,
/// `replications × years`.
pub fn deficits(run: &AreaRun, b: f64) -> Vec<f64> {
    let y = run.years;
    let mut out = vec![0.0; run.spend.len()];
    let mut c = vec![0.0; y];
    for r in 0..run.reps() {
        ceilings(b, run.indexation[r], y, &mut c);
        for (k, s) in run.row(r).iter().enumerate() {
            out[r * y + k] = s - c[k];
        }
    }
    out
}

/// Per replication: the smallest first-year budget under which the area
/// never overruns (`max_y spend_y / Π(1 + i)`).
fn break_even_budgets(run: &AreaRun) -> Vec<f64> {
    let mut c = vec![0.0; run.years];
    (0..run.reps())
        .map(|r| {
            ceilings(1.0, run.indexation[r], run.years, &mut c);
            run.row(r)
                .iter()
                .zip(&c)
                .map(|(s, g)| s / g)
                .fold(0.0, f64::max)
        })
        .collect()
}

/// The risk-equalising split of `total`: budgets `B_a` with the same
/// P(overrun) `p` in every area and `Σ B_a = total`, found by bisection on
/// `p`. `B_a(p)` is the (1 − p) quantile of the area's break-even budgets,
/// so P(overrun) = p up to Monte Carlo error. Returns (budgets, p).
pub fn risk_equalising(runs: &[AreaRun], total: f64) -> (Vec<f64>, f64) {
    let sorted: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| {
            let mut m = break_even_budgets(r);
            m.sort_unstable_by(f64::total_cmp);
            m
        })
        .collect();
    let at = |p: f64| -> Vec<f64> { sorted.iter().map(|m| quantile_sorted(m, 1.0 - p)).collect() };
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let scale = |v: Vec<f64>, p: f64| -> (Vec<f64>, f64) {
        let s = sum(&v);
        if s > 0.0 {
            (v.iter().map(|x| x * total / s).collect(), p)
        } else {
            let n = v.len().max(1) as f64;
            (vec![total / n; v.len()], p)
        }
    };
    let hi_budgets = at(0.0);
    if sum(&hi_budgets) <= total {
        return scale(hi_budgets, 0.0);
    }
    let lo_budgets = at(1.0);
    if sum(&lo_budgets) >= total {
        return scale(lo_budgets, 1.0);
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if sum(&at(mid)) > total {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    let p = 0.5 * (lo + hi);
    scale(at(p), p)
}

/// Each area's expected yearly care cost on the covered streams at the
/// parameters' means in the steady state, per stratum name.
pub fn expected_cost_by_stratum(model: &Model) -> Vec<(String, f64, f64)> {
    let values: Vec<f64> = model.params.specs.iter().map(|s| s.dist.mean()).collect();
    let rates = Rates::new(model, &values);
    let h: f64 = rates.households0.iter().sum::<f64>().max(1.0);
    let mut out: Vec<(String, f64, f64)> = model
        .strata
        .iter()
        .zip(&rates.households0)
        .map(|(s, &hh)| (s.name.clone(), hh, 0.0))
        .collect();
    for (k, sm) in model.streams.iter().enumerate() {
        let e = rates.effects(k, rates.prev_before * rates.prev_share[k] / h);
        let off = rates.lvl_off[k];
        for (s, o) in out.iter_mut().enumerate() {
            let (clients, _) = rates.steady_state(s, k, rates.households0[s], &e);
            for (l, lv) in sm.levels.iter().enumerate() {
                if lv.paid_by == Payer::Stream {
                    o.2 += clients[l] * rates.cost[off + l] * 12.0;
                }
            }
        }
    }
    out
}

/// The weights of the model-derived needs key: per area, households per
/// type times the municipality's average expected cost per household of
/// that type (pooled over the areas by stratum name).
pub fn needs_model_weights(areas: &[Area]) -> (Vec<f64>, Vec<f64>) {
    let per: Vec<Vec<(String, f64, f64)>> = areas
        .iter()
        .map(|a| expected_cost_by_stratum(&a.model))
        .collect();
    let mut types: Vec<(String, f64, f64)> = Vec::new();
    for a in &per {
        for (name, hh, cost) in a {
            match types.iter_mut().find(|t| &t.0 == name) {
                Some(t) => {
                    t.1 += hh;
                    t.2 += cost;
                }
                None => types.push((name.clone(), *hh, *cost)),
            }
        }
    }
    let weights = per
        .iter()
        .map(|a| {
            a.iter()
                .map(|(name, hh, _)| {
                    let t = types.iter().find(|t| &t.0 == name);
                    t.map_or(0.0, |t| if t.1 > 0.0 { hh * t.2 / t.1 } else { 0.0 })
                })
                .sum()
        })
        .collect();
    let own = per.iter().map(|a| a.iter().map(|x| x.2).sum()).collect();
    (weights, own)
}

/// Budgets in proportion to `weights` (equal shares if they sum to zero).
pub fn proportional(total: f64, weights: &[f64]) -> Vec<f64> {
    let s: f64 = weights.iter().sum();
    if s > 0.0 && s.is_finite() {
        weights.iter().map(|w| total * w / s).collect()
    } else {
        let n = weights.len().max(1) as f64;
        vec![total / n; weights.len()]
    }
}

/// The pool sizes to compare: those given, or the default ladder; always
/// with 0, ascending, without repeats.
pub fn pool_sizes(m: &Municipality) -> Vec<f64> {
    let mut v: Vec<f64> = if m.pool_sizes.is_empty() {
        DEFAULT_POOL_SHARES
            .iter()
            .map(|s| (m.total * s / 1000.0).round() * 1000.0)
            .collect()
    } else {
        m.pool_sizes.clone()
    };
    v.push(0.0);
    v.sort_unstable_by(f64::total_cmp);
    v.dedup();
    v
}

/// Outcomes of one key from the areas' runs and first-year budgets.
pub fn evaluate(
    key: Key,
    weights: Vec<f64>,
    target: Option<f64>,
    budgets: &[f64],
    runs: &[AreaRun],
    pools: &[f64],
) -> KeyResult {
    let total: f64 = budgets.iter().sum();
    let reps = runs.first().map_or(0, AreaRun::reps);
    let years = runs.first().map_or(0, |r| r.years);
    let defs: Vec<Vec<f64>> = runs
        .iter()
        .zip(budgets)
        .map(|(run, &b)| deficits(run, b))
        .collect();
    let mut areas = Vec::with_capacity(runs.len());
    let mut c = vec![0.0; years];
    for ((run, d), &b) in runs.iter().zip(&defs).zip(budgets) {
        let mut cost = Vec::with_capacity(reps);
        let mut first = Vec::with_capacity(reps);
        let mut over = Vec::with_capacity(reps);
        let mut flag = Vec::with_capacity(reps);
        let mut bh = 0.0;
        for r in 0..reps {
            ceilings(b, run.indexation[r], years, &mut c);
            bh += c.iter().sum::<f64>();
            cost.push(run.row(r).iter().sum::<f64>());
            first.push(run.row(r).first().copied().unwrap_or(0.0));
            let dr = &d[r * years..(r + 1) * years];
            over.push(dr.iter().map(|x| x.max(0.0)).sum::<f64>());
            flag.push(dr.iter().any(|&x| x > 0.0));
        }
        areas.push(AreaOutcome {
            area: String::new(),
            budget: b,
            share: if total > 0.0 { b / total } else { 0.0 },
            budget_horizon: bh / reps.max(1) as f64,
            cost: Estimate::of(&cost),
            cost_first_year: Estimate::of(&first),
            p_overrun: Prob::of(&flag),
            overrun: Estimate::of(&over),
            waiting_months: Estimate::of(&run.waiting),
        });
    }
    // Totals and pools, replication by replication, in order.
    let index0: Vec<f64> = runs.first().map_or(Vec::new(), |r| r.indexation.clone());
    let mut tcost = Vec::with_capacity(reps);
    let mut tfirst = Vec::with_capacity(reps);
    let mut tover = Vec::with_capacity(reps);
    let mut tbh = 0.0;
    for r in 0..reps {
        tcost.push(runs.iter().map(|run| run.row(r).iter().sum::<f64>()).sum());
        tfirst.push(
            runs.iter()
                .map(|run| run.row(r).first().copied().unwrap_or(0.0))
                .sum(),
        );
        tover.push(
            defs.iter()
                .map(|d| {
                    d[r * years..(r + 1) * years]
                        .iter()
                        .map(|x| x.max(0.0))
                        .sum::<f64>()
                })
                .sum(),
        );
        ceilings(total, index0[r], years, &mut c);
        tbh += c.iter().sum::<f64>();
    }
    let mut pool = Vec::with_capacity(pools.len());
    for &size in pools {
        let mut any = Vec::with_capacity(reps);
        let mut muni = Vec::with_capacity(reps);
        let mut per_area = vec![Vec::with_capacity(reps); runs.len()];
        let mut uncovered = Vec::with_capacity(reps);
        let mut used = Vec::with_capacity(reps);
        let mut rp = vec![0.0; years];
        for r in 0..reps {
            ceilings(size, index0[r], years, &mut rp);
            let (mut a_any, mut a_muni) = (false, false);
            let mut a_flags = vec![false; runs.len()];
            let (mut unc, mut use_) = (0.0, 0.0);
            for y in 0..years {
                let mut pos = 0.0;
                let mut net = 0.0;
                for d in &defs {
                    let x = d[r * years + y];
                    pos += x.max(0.0);
                    net += x;
                }
                let short = pos > rp[y];
                if short {
                    a_any = true;
                    for (a, d) in defs.iter().enumerate() {
                        if d[r * years + y] > 0.0 {
                            a_flags[a] = true;
                        }
                    }
                }
                if net > rp[y] {
                    a_muni = true;
                }
                unc += (pos - rp[y]).max(0.0);
                use_ += pos.min(rp[y]);
            }
            any.push(a_any);
            muni.push(a_muni);
            for (a, f) in a_flags.into_iter().enumerate() {
                per_area[a].push(f);
            }
            uncovered.push(unc);
            used.push(use_);
        }
        pool.push(PoolEffect {
            size,
            p_any_area_overrun: Prob::of(&any),
            p_municipality_overrun: Prob::of(&muni),
            p_area_overrun: per_area.iter().map(|f| Prob::of(f)).collect(),
            uncovered: Estimate::of(&uncovered),
            used: Estimate::of(&used),
        });
    }
    let no_pool = pools
        .iter()
        .position(|&s| s == 0.0)
        .map(|i| (pool[i].p_any_area_overrun, pool[i].p_municipality_overrun));
    let (p_any, p_muni) = no_pool.unwrap_or((Prob { p: 0.0, se: 0.0 }, Prob { p: 0.0, se: 0.0 }));
    KeyResult {
        key,
        label_nl: key.label(crate::locale::Lang::Nl).to_string(),
        label_en: key.label(crate::locale::Lang::En).to_string(),
        description: key.description().to_string(),
        weights,
        target_p_overrun: target,
        areas,
        total: TotalOutcome {
            budget: total,
            budget_horizon: tbh / reps.max(1) as f64,
            cost: Estimate::of(&tcost),
            cost_first_year: Estimate::of(&tfirst),
            p_any_area_overrun: p_any,
            p_municipality_overrun: p_muni,
            overrun_areas: Estimate::of(&tover),
        },
        pool,
    }
}

/// The number of area-replications [`allocate`] simulates (for a progress bar).
pub fn work(m: &Municipality, cfg: &RunConfig) -> u64 {
    let per_key = match m.policy {
        PoolPolicy::Overspend => 0,
        PoolPolicy::Waitlist => keys(m).len() as u64,
    };
    m.areas.len() as u64 * u64::from(cfg.replications) * (1 + per_key)
}

/// The keys compared for this municipality, in order.
pub fn keys(m: &Municipality) -> Vec<Key> {
    let mut k = vec![Key::PerInhabitant, Key::PerHousehold];
    if m.areas.iter().all(|a| a.last_year_spend.is_some()) {
        k.push(Key::Historical);
    }
    if m.needs_weights.as_ref().is_some_and(|w| !w.is_empty()) {
        k.push(Key::NeedsWeighted);
    }
    k.push(Key::NeedsModel);
    k.push(Key::RiskEqualising);
    k
}

/// Divides the budget by every key and reports each key's outcomes.
///
/// The areas' demand (their care spend with the ceiling not binding) is
/// simulated once per area; under `overspend` it is every key's spend, and
/// the risk-equalising key is found on it. Under `waitlist` every key's
/// budgets are simulated again (the risk-equalising split is the one that
/// equalises the probability that demand exceeds the budget).
pub fn allocate(m: &Municipality, cfg: &RunConfig, progress: &dyn Progress) -> Allocation {
    let pools = pool_sizes(m);
    // Demand: simulated without a binding ceiling (overspend).
    let demand: Vec<AreaRun> = m
        .areas
        .iter()
        .map(|a| {
            let mut model = a.model.clone();
            model.budget.policy = crate::model::Policy::Overspend;
            simulate_area(&model, cfg, area_seed(cfg.seed, &a.name), progress)
        })
        .collect();
    let (needs_model, own_cost) = needs_model_weights(&m.areas);
    let mut results = Vec::new();
    for key in keys(m) {
        let (weights, target, budgets) = match key {
            Key::RiskEqualising => {
                let (b, p) = risk_equalising(&demand, m.total);
                (b.clone(), Some(p), b)
            }
            _ => {
                let w: Vec<f64> = m
                    .areas
                    .iter()
                    .zip(&needs_model)
                    .map(|(a, &nm)| match key {
                        Key::PerInhabitant => a.inhabitants,
                        Key::PerHousehold => a.households,
                        Key::Historical => a.last_year_spend.unwrap_or(0.0),
                        Key::NeedsWeighted => m
                            .needs_weights
                            .iter()
                            .flatten()
                            .map(|(c, wt)| wt * a.count(c).unwrap_or(0.0))
                            .sum(),
                        Key::NeedsModel => nm,
                        Key::RiskEqualising => unreachable!("handled above"),
                    })
                    .collect();
                let b = proportional(m.total, &w);
                (w, None, b)
            }
        };
        let runs_key;
        let runs: &[AreaRun] = match m.policy {
            PoolPolicy::Overspend => &demand,
            PoolPolicy::Waitlist => {
                runs_key = m
                    .areas
                    .iter()
                    .zip(&budgets)
                    .map(|(a, &b)| {
                        simulate_area(
                            &with_ceiling(&a.model, b),
                            cfg,
                            area_seed(cfg.seed, &a.name),
                            progress,
                        )
                    })
                    .collect::<Vec<_>>();
                &runs_key
            }
        };
        let mut kr = evaluate(key, weights, target, &budgets, runs, &pools);
        for (o, a) in kr.areas.iter_mut().zip(&m.areas) {
            o.area = a.name.clone();
        }
        results.push(kr);
    }
    Allocation {
        schema: SCHEMA.to_string(),
        tool: Tool::current(),
        name: m.name.clone(),
        description: m.description.clone(),
        start_year: m.start_year,
        horizon_years: m.horizon_years,
        replications: cfg.replications,
        seed: cfg.seed,
        currency: "EUR".into(),
        total_budget: m.total,
        policy: m.policy,
        simulation: match m.policy {
            PoolPolicy::Overspend => "shared".into(),
            PoolPolicy::Waitlist => "per_key".into(),
        },
        streams: if m.streams.is_empty() {
            m.areas
                .first()
                .map(|a| a.model.streams.iter().map(|s| s.name.clone()).collect())
                .unwrap_or_default()
        } else {
            m.streams.clone()
        },
        areas: m
            .areas
            .iter()
            .zip(own_cost)
            .map(|(a, c)| AreaInfo {
                name: a.name.clone(),
                label: a.label.clone(),
                source: a.source.clone(),
                inhabitants: a.inhabitants,
                households: a.households,
                last_year_spend: a.last_year_spend,
                counts: a.counts.clone(),
                model_expected_cost: c,
            })
            .collect(),
        keys: results,
        pool_sizes: pools,
        fields: field_docs(),
    }
}

fn field_docs() -> Vec<(String, String)> {
    [
        ("budget", "EUR, first year; later years are indexed with budget.indexation"),
        ("share", "share of the total budget, 0..1"),
        ("budget_horizon", "EUR, budget summed over the horizon (mean over replications)"),
        ("cost", "EUR, care spend on the covered streams over the horizon: mean, se (Monte Carlo standard error), p5, p50, p95"),
        ("cost_first_year", "EUR, care spend on the covered streams in the first year: mean, se, p5, p50, p95"),
        ("p_overrun", "probability that spend exceeds the budget in at least one year, with its binomial se"),
        ("overrun", "EUR, spend above the budget summed over the years"),
        ("p_any_area_overrun", "probability that at least one area has an overrun the pool does not cover, in some year"),
        ("p_municipality_overrun", "probability that total spend exceeds the total budget plus the pool in some year"),
        ("pool.size", "EUR, the shared risk reserve available in the first year; topped up to this amount, indexed, every year; it covers area overruns, pro rata when short"),
        ("waiting_months", "client-months on a waiting list over the horizon (policy waitlist; 0 under overspend)"),
        ("uncovered", "EUR, area overruns the pool does not cover, over the horizon"),
        ("used", "EUR, pool money used over the horizon"),
        ("weights", "what each area's budget is proportional to (unit depends on the key)"),
        ("target_p_overrun", "risk-equalising key: the common P(overrun) the bisection found"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(spend: Vec<f64>, years: usize, i: f64) -> AreaRun {
        let reps = spend.len() / years;
        AreaRun {
            years,
            spend,
            indexation: vec![i; reps],
            waiting: vec![0.0; reps],
        }
    }

    #[test]
    fn proportional_sums_to_total_and_handles_zero() {
        let b = proportional(1000.0, &[1.0, 3.0]);
        assert_eq!(b, vec![250.0, 750.0]);
        assert_eq!(proportional(10.0, &[0.0, 0.0]), vec![5.0, 5.0]);
    }

    #[test]
    fn pool_effects_match_a_hand_count() {
        // Two areas, one year, four replications; budgets 100 each.
        // Deficits (spend − 100): rep 0: (+30, −50), rep 1: (+30, +20),
        // rep 2: (−10, −10), rep 3: (+80, −90).
        let a = run(vec![130.0, 130.0, 90.0, 180.0], 1, 0.0);
        let b = run(vec![50.0, 120.0, 90.0, 10.0], 1, 0.0);
        let k = evaluate(
            Key::PerHousehold,
            vec![1.0, 1.0],
            None,
            &[100.0, 100.0],
            &[a, b],
            &[0.0, 40.0, 60.0],
        );
        assert_eq!(k.areas[0].p_overrun.p, 0.75);
        assert_eq!(k.areas[1].p_overrun.p, 0.25);
        assert_eq!(k.areas[0].overrun.mean, (30.0 + 30.0 + 80.0) / 4.0);
        let p = |i: usize| {
            (
                k.pool[i].p_any_area_overrun.p,
                k.pool[i].p_municipality_overrun.p,
            )
        };
        // No pool: some area overruns in reps 0, 1, 3; the municipality nets
        // (−20, +50, −20, −10): only rep 1.
        assert_eq!(p(0), (0.75, 0.25));
        // Pool 40 covers rep 0 (30), not rep 1 (50) or rep 3 (80); the
        // municipality's 50 in rep 1 exceeds 40.
        assert_eq!(p(1), (0.5, 0.25));
        // Pool 60 covers reps 0 and 1; the municipality never exceeds 60.
        assert_eq!(p(2), (0.25, 0.0));
        // Uncovered with pool 40: (0 + 10 + 0 + 40) / 4; used: (30 + 40 + 0 + 40) / 4.
        assert_eq!(k.pool[1].uncovered.mean, 12.5);
        assert_eq!(k.pool[1].used.mean, 27.5);
        // Pro rata: in rep 1 both areas keep part of their deficit.
        assert_eq!(k.pool[1].p_area_overrun[1].p, 0.25);
        assert_eq!(k.pool[2].p_area_overrun[1].p, 0.0);
        assert_eq!(k.total.p_any_area_overrun.p, 0.75);
    }

    #[test]
    fn deficits_follow_the_indexed_ceiling() {
        let r = run(vec![100.0, 120.0], 2, 0.1);
        let d = deficits(&r, 105.0);
        assert_eq!(d[0], -5.0);
        assert!((d[1] - (120.0 - 115.5)).abs() < 1e-9);
    }

    #[test]
    fn risk_equalising_hits_the_total_and_equal_probabilities() {
        // Two areas, one year: area 2's demand is twice area 1's.
        let a: Vec<f64> = (1..=1000).map(|x| x as f64).collect();
        let b: Vec<f64> = a.iter().map(|x| 2.0 * x).collect();
        let runs = [run(a, 1, 0.0), run(b, 1, 0.0)];
        let (budgets, p) = risk_equalising(&runs, 2400.0);
        assert!((budgets.iter().sum::<f64>() - 2400.0).abs() < 1e-9);
        // The split is 1 : 2 and the common level is P(x > 800) = 0.2.
        assert!((budgets[1] / budgets[0] - 2.0).abs() < 1e-9, "{budgets:?}");
        assert!((p - 0.2).abs() < 0.002, "{p}");
    }
}
