//! The Monte Carlo engine: simulates replications of one model, month by month.
//!
//! The population is held as counts per (stratum, stream, level), moved each
//! month with binomial draws (or their expectations when process uncertainty
//! is off). A replication draws its parameters once ([`draw_params`]), turns
//! them into monthly rates ([`Rates`]) and runs the months with one random
//! stream per (stratum, stream) cell, so its result depends only on
//! (seed, replication, model) and replication `r` of every variant shares
//! parameter draws and random streams (common random numbers). The engine does
//! no IO: progress goes out through the [`Progress`] trait.

use rayon::prelude::*;

use crate::dist::{Quantile, std_normal_cdf, std_normal_quantile};
use crate::metrics::{Layout, col, stream_col};
use crate::model::{BudgetMode, Model, Payer, Policy};
use crate::rng::{self, EngineRng};
use crate::sampler::{binomial, binomial_f64, poisson_f64};

/// How many replications to run and with which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    pub replications: u32,
    pub seed: u64,
}

/// Receives progress from the engine; the CLI fills it with a progress bar.
pub trait Progress: Sync {
    /// `n` more replications are done.
    fn advance(&self, n: u64);
}

impl<F: Fn(u64) + Sync> Progress for F {
    fn advance(&self, n: u64) {
        self(n)
    }
}

/// A [`Progress`] that reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _: u64) {}
}

/// The raw outcome of simulating one variant: one row per replication and year.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantRun {
    pub name: String,
    pub layout: Layout,
    pub start_year: i32,
    pub years: usize,
    pub replications: usize,
    /// `replications × years × layout.width()` values, replication-major.
    pub data: Vec<f64>,
    /// `replications × n_params` parameter values drawn, replication-major,
    /// in the order of the model's parameter table.
    pub params: Vec<f64>,
    pub n_params: usize,
}

impl VariantRun {
    /// The rows of one replication (`years × width`).
    pub fn replication(&self, r: usize) -> &[f64] {
        let n = self.years * self.layout.width();
        &self.data[r * n..(r + 1) * n]
    }

    /// One column in one year, over all replications.
    pub fn column(&self, year: usize, c: usize) -> Vec<f64> {
        let w = self.layout.width();
        (0..self.replications)
            .map(|r| self.replication(r)[year * w + c])
            .collect()
    }

    /// Rows aggregated over the horizon per replication (`replications × width`).
    pub fn horizon(&self) -> Vec<f64> {
        let w = self.layout.width();
        let mut out = vec![0.0; self.replications * w];
        for (r, row) in out.chunks_exact_mut(w).enumerate() {
            self.layout.aggregate(self.replication(r), row);
        }
        out
    }

    /// A column summed cumulatively over the years up to and including
    /// `year`, over all replications.
    pub fn cumulative(&self, year: usize, c: usize) -> Vec<f64> {
        let w = self.layout.width();
        (0..self.replications)
            .map(|r| {
                let rows = self.replication(r);
                (0..=year).map(|y| rows[y * w + c]).sum()
            })
            .collect()
    }
}

/// Replications per parallel work item: small enough to balance two cores,
/// large enough to keep progress reporting cheap. Results never depend on it.
const CHUNK: usize = 4;

/// Replications handed to a sink at once: bounds the memory of a run by the
/// block, not by the number of replications. Results never depend on it.
pub const BLOCK: usize = 256;

/// The results of consecutive replications of every variant, handed to the
/// sink of [`simulate_variants`] in replication order.
pub struct Block<'a> {
    /// Index of the block's first replication.
    pub first: usize,
    /// Number of replications in the block.
    pub len: usize,
    chunks: &'a [ChunkBuf],
    row_len: &'a [usize],
    n_params: &'a [usize],
}

impl Block<'_> {
    /// The year rows (`years × width`) of replication `first + i` of variant `v`.
    pub fn rows(&self, v: usize, i: usize) -> &[f64] {
        let n = self.row_len[v];
        let o = (i % CHUNK) * n;
        &self.chunks[i / CHUNK].rows[v][o..o + n]
    }

    /// The parameter values replication `first + i` of variant `v` drew.
    pub fn params(&self, v: usize, i: usize) -> &[f64] {
        let n = self.n_params[v];
        let o = (i % CHUNK) * n;
        &self.chunks[i / CHUNK].params[v][o..o + n]
    }
}

/// The output of one chunk of replications, per variant.
#[derive(Default)]
struct ChunkBuf {
    rows: Vec<Vec<f64>>,
    params: Vec<Vec<f64>>,
}

/// What is derived once per run of several variants.
struct Plan<'m> {
    models: Vec<&'m Model>,
    prepared: Vec<Prepared>,
    layouts: Vec<Layout>,
    /// Per variant and parameter: the baseline parameter whose value it
    /// shares (same random stream, same distribution, no copula), so each
    /// quantile is computed once per replication.
    reuse: Vec<Vec<Option<usize>>>,
}

impl<'m> Plan<'m> {
    fn new(models: &[&'m Model]) -> Self {
        let correlated = |m: &Model, i: usize| {
            m.correlations
                .iter()
                .any(|g| g.params.iter().any(|p| p.idx() == i))
        };
        let base = models[0];
        let reuse = models
            .iter()
            .enumerate()
            .map(|(v, m)| {
                m.params
                    .specs
                    .iter()
                    .enumerate()
                    .map(|(i, spec)| {
                        if v == 0
                            || correlated(m, i)
                            || m.parameter_uncertainty != base.parameter_uncertainty
                        {
                            return None;
                        }
                        let j =
                            base.params.specs.iter().position(|b| {
                                b.draw_key() == spec.draw_key() && b.dist == spec.dist
                            })?;
                        (!correlated(base, j)).then_some(j)
                    })
                    .collect()
            })
            .collect();
        Self {
            models: models.to_vec(),
            prepared: models.iter().map(|m| Prepared::new(m)).collect(),
            layouts: models.iter().map(|m| Layout::of(m)).collect(),
            reuse,
        }
    }

    fn row_len(&self, v: usize) -> usize {
        self.models[v].horizon_years as usize * self.layouts[v].width()
    }
}

/// Simulates every variant for every replication, replication `r` of all
/// variants together, and hands the results to `sink` block by block in
/// replication order. Memory is bounded by two blocks of [`BLOCK`]
/// replications, whatever their number: while the sink reads one block, the
/// next is simulated into the other buffer, so the sink's work overlaps the
/// simulation. The results depend on the models, the seed and the number of
/// replications only, never on the number of threads; a variant's results do
/// not depend on which other variants run with it.
pub fn simulate_variants(
    models: &[&Model],
    cfg: &RunConfig,
    progress: &dyn Progress,
    mut sink: impl FnMut(&Block) + Send,
) {
    if models.is_empty() {
        return;
    }
    let plan = Plan::new(models);
    let nv = models.len();
    let row_len: Vec<usize> = (0..nv).map(|v| plan.row_len(v)).collect();
    let n_params: Vec<usize> = models.iter().map(|m| m.params.len()).collect();
    let reps = cfg.replications as usize;
    let n_chunks = BLOCK.min(reps).div_ceil(CHUNK);
    let buffer = || -> Vec<ChunkBuf> {
        (0..n_chunks)
            .map(|_| ChunkBuf {
                rows: row_len.iter().map(|&n| vec![0.0; n * CHUNK]).collect(),
                params: n_params.iter().map(|&n| vec![0.0; n * CHUNK]).collect(),
            })
            .collect()
    };
    let mut buffers = [buffer(), Vec::new()];
    if reps > BLOCK {
        buffers[1] = buffer();
    }
    let job = Job {
        models,
        plan: &plan,
        cfg,
        progress,
        row_len: &row_len,
        n_params: &n_params,
    };
    // The block simulated last, waiting for the sink: (first, len, buffer).
    let mut ready: Option<(usize, usize, usize)> = None;
    let mut first = 0;
    while first < reps || ready.is_some() {
        let next = (first < reps).then(|| (first, BLOCK.min(reps - first)));
        // The block for the sink lives in one buffer, the next block is
        // written into the other.
        let fill = ready.map_or(0, |(_, _, b)| 1 - b);
        let (a, b) = buffers.split_at_mut(1);
        let (to_fill, to_read) = if fill == 0 {
            (&mut a[0], &b[0])
        } else {
            (&mut b[0], &a[0])
        };
        rayon::join(
            || {
                if let Some((first, len, _)) = ready {
                    sink(&Block {
                        first,
                        len,
                        chunks: to_read,
                        row_len: &row_len,
                        n_params: &n_params,
                    });
                }
            },
            || {
                if let Some((first, len)) = next {
                    job.block(to_fill, first, len);
                }
            },
        );
        ready = next.map(|(first, len)| (first, len, fill));
        first += next.map_or(0, |(_, len)| len);
    }
}

/// What every block of [`simulate_variants`] shares.
struct Job<'a, 'm> {
    models: &'a [&'m Model],
    plan: &'a Plan<'m>,
    cfg: &'a RunConfig,
    progress: &'a dyn Progress,
    row_len: &'a [usize],
    n_params: &'a [usize],
}

impl Job<'_, '_> {
    /// Simulates replications `first..first + len` of every variant into
    /// `chunks`, in parallel over chunks of [`CHUNK`] replications.
    fn block(&self, chunks: &mut [ChunkBuf], first: usize, len: usize) {
        let (models, plan, cfg) = (self.models, self.plan, self.cfg);
        let (row_len, n_params) = (self.row_len, self.n_params);
        let nv = models.len();
        let used = len.div_ceil(CHUNK);
        chunks[..used]
            .par_iter_mut()
            .enumerate()
            .for_each(|(c, buf)| {
                let mut sims: Vec<Simulator> = (0..nv)
                    .map(|v| Simulator::new(models[v], &plan.prepared[v], &plan.layouts[v]))
                    .collect();
                let start = first + c * CHUNK;
                let n = CHUNK.min(first + len - start);
                for i in 0..n {
                    let r = (start + i) as u64;
                    for v in 0..nv {
                        let np = n_params[v];
                        let (done, rest) = buf.params.split_at_mut(v);
                        let values = &mut rest[0][i * np..(i + 1) * np];
                        let base = done
                            .first()
                            .map(|b| &b[i * n_params[0]..(i + 1) * n_params[0]]);
                        draw_params_sharing(
                            models[v],
                            &plan.prepared[v],
                            cfg.seed,
                            r,
                            values,
                            &plan.reuse[v],
                            base.unwrap_or(&[]),
                        );
                        let n_row = row_len[v];
                        sims[v].run(
                            cfg.seed,
                            r,
                            values,
                            &mut buf.rows[v][i * n_row..(i + 1) * n_row],
                        );
                    }
                }
                self.progress.advance(n as u64);
            });
    }
}

/// Simulates every variant (see [`simulate_variants`]) and keeps every year
/// row of each: memory grows with replications × years × metrics.
pub fn simulate_all(
    models: &[&Model],
    cfg: &RunConfig,
    progress: &dyn Progress,
) -> Vec<VariantRun> {
    let reps = cfg.replications as usize;
    let mut runs: Vec<VariantRun> = models
        .iter()
        .map(|m| {
            let layout = Layout::of(m);
            let years = m.horizon_years as usize;
            VariantRun {
                name: m.variant.clone(),
                data: Vec::with_capacity(reps * years * layout.width()),
                layout,
                start_year: m.start_year,
                years,
                replications: reps,
                params: Vec::with_capacity(reps * m.params.len()),
                n_params: m.params.len(),
            }
        })
        .collect();
    simulate_variants(models, cfg, progress, |block| {
        for (v, run) in runs.iter_mut().enumerate() {
            for i in 0..block.len {
                run.data.extend_from_slice(block.rows(v, i));
                run.params.extend_from_slice(block.params(v, i));
            }
        }
    });
    runs
}

/// Simulates all replications of one model in parallel and keeps every
/// year row. The result depends on the model, the seed and the number of
/// replications only.
pub fn simulate(model: &Model, cfg: &RunConfig, progress: &dyn Progress) -> VariantRun {
    simulate_all(&[model], cfg, progress)
        .pop()
        .expect("one run per model")
}

/// Runs single replications of one model at parameter values the caller
/// chooses: the entry point of sensitivity analysis and of any other caller
/// that sets the parameters itself. Process randomness still comes from
/// (seed, replication), so two calls with the same arguments agree bit for bit.
#[derive(Debug, Clone)]
pub struct Evaluator<'a> {
    model: &'a Model,
    prepared: Prepared,
    layout: Layout,
}

impl<'a> Evaluator<'a> {
    pub fn new(model: &'a Model) -> Self {
        Self {
            model,
            prepared: Prepared::new(model),
            layout: Layout::of(model),
        }
    }

    /// The columns of the rows [`Evaluator::run`] writes.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Length of the `out` slice of [`Evaluator::run`]: years × columns.
    pub fn row_len(&self) -> usize {
        self.model.horizon_years as usize * self.layout.width()
    }

    /// The parameter values replication `rep` draws (the model's parameter
    /// table order), as [`simulate`] uses them.
    pub fn draw(&self, seed: u64, rep: u64, values: &mut [f64]) {
        draw_params(self.model, &self.prepared, seed, rep, values);
    }

    /// Simulates replication `rep` with the parameter `values` (one per entry
    /// of the model's parameter table) and writes its year rows into `out`
    /// (length [`Evaluator::row_len`]).
    pub fn run(&self, seed: u64, rep: u64, values: &[f64], out: &mut [f64]) {
        let mut sim = Simulator::new(self.model, &self.prepared, &self.layout);
        sim.run(seed, rep, values, out);
    }
}

/// What is derived once per model: stream purposes and copula groups.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Purpose of each parameter's stream (from its path).
    param_purpose: Vec<u64>,
    /// Each parameter's quantile function, prepared once per run.
    quantiles: Vec<Quantile>,
    /// Purpose of each stream's process randomness.
    stream_purpose: Vec<u64>,
    /// For each correlation group, the parameter indices.
    groups: Vec<Vec<usize>>,
}

impl Prepared {
    pub fn new(model: &Model) -> Self {
        let param_purpose = model
            .params
            .specs
            .iter()
            .map(|s| rng::purpose(&format!("param/{}", s.draw_key())))
            .collect();
        let quantiles = model
            .params
            .specs
            .iter()
            .map(|s| s.dist.prepare())
            .collect();
        let stream_purpose = model
            .streams
            .iter()
            .map(|sm| rng::purpose(&format!("process/{}", sm.name)))
            .collect();
        let groups = model
            .correlations
            .iter()
            .map(|g| g.params.iter().map(|p| p.idx()).collect())
            .collect();
        Self {
            param_purpose,
            quantiles,
            stream_purpose,
            groups,
        }
    }
}

/// Draws the parameter values of replication `rep` into `out`.
///
/// Each uncertain parameter's uniform comes from its own stream, keyed by its
/// path, so a parameter draws the same value in every variant that leaves its
/// distribution alone. Correlated groups pass their normal scores through the
/// Cholesky factor of their correlation matrix (Gaussian copula). With
/// parameter uncertainty off, every parameter takes its mean.
pub fn draw_params(model: &Model, prepared: &Prepared, seed: u64, rep: u64, out: &mut [f64]) {
    draw_params_sharing(model, prepared, seed, rep, out, &[], &[]);
}

/// [`draw_params`], taking the value of parameter `i` from `base[j]` where
/// `reuse[i]` is `Some(j)`: a value another variant drew from the same stream
/// and distribution, so the result is the same, computed once.
fn draw_params_sharing(
    model: &Model,
    prepared: &Prepared,
    seed: u64,
    rep: u64,
    out: &mut [f64],
    reuse: &[Option<usize>],
    base: &[f64],
) {
    let specs = &model.params.specs;
    if !model.parameter_uncertainty {
        for (o, s) in out.iter_mut().zip(specs) {
            *o = s.dist.mean();
        }
        return;
    }
    let shared = |i: usize| reuse.get(i).copied().flatten().and_then(|j| base.get(j));
    // Uniforms first (stored in `out`), then the copula, then the quantiles.
    for (i, s) in specs.iter().enumerate() {
        out[i] = if s.dist.is_fixed() || shared(i).is_some() {
            0.5
        } else {
            rng::open01(&mut rng::stream(seed, rep, prepared.param_purpose[i]))
        };
    }
    for (g, group) in prepared.groups.iter().enumerate() {
        let z: Vec<f64> = group.iter().map(|&i| std_normal_quantile(out[i])).collect();
        let mut x = vec![0.0; z.len()];
        model.correlations[g].matrix.correlate(&z, &mut x);
        for (&i, xi) in group.iter().zip(x) {
            out[i] = std_normal_cdf(xi).clamp(1e-15, 1.0 - 1e-15);
        }
    }
    for (i, (o, q)) in out.iter_mut().zip(&prepared.quantiles).enumerate() {
        *o = match shared(i) {
            Some(&v) => v,
            None => q.quantile(*o),
        };
    }
}

/// The monthly rates of one replication, computed once from its parameter
/// values, flat and indexed by stream `k`, stratum `s` and level slot
/// `lvl_off[k] + l`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    pub n_strata: usize,
    pub n_streams: usize,
    pub households0: Vec<f64>,
    /// ln(1 + yearly growth) / 12, per stratum.
    pub growth_month: Vec<f64>,
    /// The monthly growth factor e^growth_month, per stratum.
    pub growth_factor: Vec<f64>,
    /// Yearly incidence per household × stratum multiplier, `s * K + k`.
    pub incidence: Vec<f64>,
    pub early_share: Vec<f64>,
    pub price_factor: Vec<f64>,
    pub relapse: Vec<f64>,
    pub relapse_exit: Vec<f64>,
    pub lvl_off: Vec<usize>,
    pub n_lvl: Vec<usize>,
    pub entry: Vec<usize>,
    pub cost: Vec<f64>,
    pub outflow: Vec<f64>,
    pub escalation: Vec<f64>,
    pub stream_paid: Vec<bool>,
    pub prev_share: Vec<f64>,
    pub prev_saturation: Vec<f64>,
    pub prev_case_finding: Vec<f64>,
    pub prev_early: Vec<f64>,
    pub prev_escalation: Vec<f64>,
    pub prev_relapse: Vec<f64>,
    pub prev_budget: f64,
    pub prev_before: f64,
    /// Share of the gap to the target effect closed each month.
    pub prev_alpha: f64,
    pub ceiling: f64,
    pub indexation: f64,
    /// Share of the ceiling per pool and the pool of each stream.
    pub pool_share: Vec<f64>,
    pub pool_of: Vec<usize>,
    /// `Some(factor)` with the waitlist policy.
    pub waitlist: Option<f64>,
    pub reserve0: f64,
    pub reserve_cap: f64,
    pub reinvest: f64,
}

impl Rates {
    /// Resolves the model's parameters to the values of one replication.
    pub fn new(model: &Model, v: &[f64]) -> Self {
        let mut r = Rates::default();
        r.fill(model, v);
        r
    }

    /// [`Rates::new`] into `self`, reusing its buffers: the engine resolves
    /// the rates of every replication without allocating.
    pub fn fill(&mut self, model: &Model, v: &[f64]) {
        let g = |p: crate::model::Param| v[p.idx()];
        let ns = model.strata.len();
        let nk = model.streams.len();
        let r = self;
        r.n_strata = ns;
        r.n_streams = nk;
        for list in [
            &mut r.households0,
            &mut r.growth_month,
            &mut r.growth_factor,
            &mut r.incidence,
            &mut r.early_share,
            &mut r.price_factor,
            &mut r.relapse,
            &mut r.relapse_exit,
            &mut r.cost,
            &mut r.outflow,
            &mut r.escalation,
            &mut r.prev_share,
            &mut r.prev_saturation,
            &mut r.prev_case_finding,
            &mut r.prev_early,
            &mut r.prev_escalation,
            &mut r.prev_relapse,
            &mut r.pool_share,
        ] {
            list.clear();
        }
        for list in [&mut r.lvl_off, &mut r.n_lvl, &mut r.entry, &mut r.pool_of] {
            list.clear();
        }
        r.stream_paid.clear();
        for st in &model.strata {
            r.households0.push(g(st.households).max(0.0));
            let month = (1.0 + g(st.growth)).max(1e-9).ln() / 12.0;
            r.growth_month.push(month);
            r.growth_factor.push(month.exp());
        }
        r.incidence.resize(ns * nk, 0.0);
        for (k, sm) in model.streams.iter().enumerate() {
            for s in 0..ns {
                r.incidence[s * nk + k] = g(sm.incidence) * g(sm.risk[s]);
            }
            r.early_share.push(g(sm.early_signal_share));
            r.price_factor.push(1.0 + g(sm.price_index));
            r.relapse.push(g(sm.relapse.rate));
            r.relapse_exit
                .push(1.0 / g(sm.relapse.window_months).max(1.0));
            r.lvl_off.push(r.cost.len());
            r.n_lvl.push(sm.levels.len());
            r.entry.push(sm.regular_entry_level());
            let top = sm.levels.len() - 1;
            for (l, lv) in sm.levels.iter().enumerate() {
                r.cost.push(g(lv.cost_per_month));
                r.outflow.push(1.0 / g(lv.mean_duration_months).max(1.0));
                r.escalation
                    .push(if l == top { 0.0 } else { g(lv.escalation) });
                r.stream_paid.push(lv.paid_by == Payer::Stream);
            }
            let p = &sm.prevention;
            r.prev_share.push(g(p.share));
            r.prev_saturation.push(g(p.saturation).max(1e-9));
            r.prev_case_finding.push(g(p.case_finding));
            r.prev_early.push(g(p.early_signal));
            r.prev_escalation.push(g(p.escalation));
            r.prev_relapse.push(g(p.relapse));
        }
        r.prev_budget = g(model.prevention.budget);
        r.prev_before = g(model.prevention.budget_before);
        let tau = g(model.prevention.ramp_up_months);
        r.prev_alpha = if tau < 1e-9 {
            1.0
        } else {
            1.0 - (-1.0 / tau).exp()
        };
        let b = &model.budget;
        r.ceiling = g(b.ceiling);
        r.indexation = g(b.indexation);
        match &b.mode {
            BudgetMode::Pooled => {
                r.pool_share.push(1.0);
                r.pool_of.resize(nk, 0);
            }
            BudgetMode::Siloed { shares } => {
                r.pool_share.extend(shares.iter().map(|&p| g(p)));
                r.pool_of.extend(0..nk);
            }
        }
        r.waitlist = match &b.policy {
            Policy::Overspend => None,
            Policy::Waitlist {
                wait_escalation_factor,
            } => Some(g(*wait_escalation_factor)),
        };
        r.reserve0 = g(b.reserve_initial);
        r.reserve_cap = g(b.reserve_cap);
        r.reinvest = g(b.reinvest_share);
    }

    /// Total number of level slots over all streams.
    pub fn slots(&self) -> usize {
        self.cost.len()
    }

    /// Households of stratum `s` after `m` months (real-valued).
    #[inline]
    pub fn households(&self, s: usize, m: usize) -> f64 {
        self.households0[s] * (self.growth_month[s] * m as f64).exp()
    }

    /// The prevention effects of stream `k` at an effective spend per
    /// household of `spend`: (case-finding, early share, escalation
    /// multiplier, relapse multiplier).
    #[inline]
    pub fn effects(&self, k: usize, spend: f64) -> Effects {
        let f = 1.0 - (-spend / self.prev_saturation[k]).exp();
        let early = self.early_share[k];
        Effects {
            case_finding: self.prev_case_finding[k] * f,
            early_share: (early + (1.0 - early) * self.prev_early[k] * f).clamp(0.0, 1.0),
            escalation: (1.0 - self.prev_escalation[k] * f).clamp(0.0, 1.0),
            relapse: (1.0 - self.prev_relapse[k] * f).clamp(0.0, 1.0),
        }
    }

    /// Expected new needs per month in stream `k` from one household of
    /// stratum `s`, given the case-finding effect.
    #[inline]
    pub fn incidence_monthly(&self, s: usize, k: usize, case_finding: f64) -> f64 {
        needs_per_month(self.incidence[s * self.n_streams + k], case_finding)
    }

    /// Expected steady state of one cell under constant rates: (clients per
    /// level, recent leavers), for `households` households.
    pub fn steady_state(
        &self,
        s: usize,
        k: usize,
        households: f64,
        e: &Effects,
    ) -> (Vec<f64>, f64) {
        let mut clients = vec![0.0; self.n_lvl[k]];
        let leavers = self.steady_state_into(s, k, households, e, &mut clients);
        (clients, leavers)
    }

    /// [`Rates::steady_state`], writing the clients per level into `clients`
    /// (one per level of stream `k`) and returning the recent leavers.
    pub fn steady_state_into(
        &self,
        s: usize,
        k: usize,
        households: f64,
        e: &Effects,
        clients: &mut [f64],
    ) -> f64 {
        let off = self.lvl_off[k];
        let n = self.n_lvl[k];
        let arrivals = households * self.incidence_monthly(s, k, e.case_finding);
        // Clients per level per unit of monthly entries (needs).
        let per_need = &mut clients[..n];
        let mut inflow_from_below = 0.0;
        for l in 0..n {
            let mut entries = 0.0;
            if l == 0 {
                entries += e.early_share;
            }
            if l == self.entry[k] {
                entries += 1.0 - e.early_share;
            }
            let po = self.outflow[off + l];
            let pe = self.escalation[off + l] * e.escalation;
            let leave_level = po + (1.0 - po) * pe;
            per_need[l] = (entries + inflow_from_below) / leave_level;
            inflow_from_below = (1.0 - po) * pe * per_need[l];
        }
        // Every client eventually leaves, so leavers arrive at the rate of
        // needs; a share of them relapses, which raises the needs in turn.
        let p_rel = (self.relapse[k] * e.relapse).min(1.0);
        let d = p_rel + (1.0 - p_rel) * self.relapse_exit[k];
        let relapse_share = if d > 0.0 { (p_rel / d).min(0.999) } else { 0.0 };
        let needs = arrivals / (1.0 - relapse_share);
        for x in per_need.iter_mut() {
            *x *= needs;
        }
        if d > 0.0 { needs / d } else { 0.0 }
    }
}

/// Prevention effects on one stream in one month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects {
    pub case_finding: f64,
    pub early_share: f64,
    pub escalation: f64,
    pub relapse: f64,
}

/// Moves between states: binomial draws, or their expectations.
trait Draw {
    /// Whether counts are whole numbers moved by random draws.
    const PROCESS: bool;
    fn draw(rng: &mut EngineRng, n: f64, p: f64) -> f64;
    /// A count of events with the given mean (Poisson).
    fn arrivals(rng: &mut EngineRng, mean: f64) -> f64;
    fn start(rng: &mut EngineRng, households: f64, mean: f64) -> f64;
}

struct Process;
struct Expected;

impl Draw for Process {
    const PROCESS: bool = true;
    #[inline(always)]
    fn draw(rng: &mut EngineRng, n: f64, p: f64) -> f64 {
        binomial_f64(rng, n, p)
    }
    #[inline(always)]
    fn arrivals(rng: &mut EngineRng, mean: f64) -> f64 {
        poisson_f64(rng, mean)
    }
    fn start(rng: &mut EngineRng, households: f64, mean: f64) -> f64 {
        if households < 1.0 {
            return 0.0;
        }
        binomial(rng, households as u64, (mean / households).min(1.0)) as f64
    }
}

impl Draw for Expected {
    const PROCESS: bool = false;
    #[inline(always)]
    fn draw(_: &mut EngineRng, n: f64, p: f64) -> f64 {
        n * p
    }
    #[inline(always)]
    fn arrivals(_: &mut EngineRng, mean: f64) -> f64 {
        mean
    }
    fn start(_: &mut EngineRng, _: f64, mean: f64) -> f64 {
        mean
    }
}

/// Reusable buffers for simulating replications of one model.
struct Simulator<'a> {
    model: &'a Model,
    prepared: &'a Prepared,
    layout: &'a Layout,
    rngs: Vec<EngineRng>,
    rates: Rates,
    state: State,
}

/// The state of one replication, kept between replications so that the
/// monthly loop allocates nothing.
#[derive(Default)]
struct State {
    /// Per level slot (`lvl_off[k] + l`).
    clients: Vec<f64>,
    waiting: Vec<f64>,
    cost_now: Vec<f64>,
    /// Per stream.
    leavers: Vec<f64>,
    eff: Vec<f64>,
    stream_spend: Vec<f64>,
    /// Per stratum.
    h: Vec<f64>,
    h_real: Vec<f64>,
    /// Per pool.
    reserve: Vec<f64>,
    spent: Vec<f64>,
    available: Vec<f64>,
    ceiling_pool: Vec<f64>,
    run_rate: Vec<f64>,
    run_rate_next: Vec<f64>,
    room: Vec<f64>,
    room_next: Vec<f64>,
    /// Clients per level of one stream in the steady state.
    mean_clients: Vec<f64>,
    pending: Pending,
}

/// `v` as `n` zeros, keeping its allocation.
fn zeros(v: &mut Vec<f64>, n: usize) {
    v.clear();
    v.resize(n, 0.0);
}

/// Admission demand of the waitlist policy, per level slot.
#[derive(Default)]
struct Pending {
    queue: Vec<f64>,
    escalate: Vec<f64>,
    enter: Vec<f64>,
}

impl<'a> Simulator<'a> {
    fn new(model: &'a Model, prepared: &'a Prepared, layout: &'a Layout) -> Self {
        Self {
            model,
            prepared,
            layout,
            rngs: Vec::new(),
            rates: Rates::default(),
            state: State::default(),
        }
    }

    fn run(&mut self, seed: u64, rep: u64, values: &[f64], out: &mut [f64]) {
        self.rates.fill(self.model, values);
        let rates = &self.rates;
        let st = &mut self.state;
        self.rngs.clear();
        self.rngs.extend(
            self.prepared
                .stream_purpose
                .iter()
                .map(|&p| rng::stream(seed, rep, p)),
        );
        if self.model.process_uncertainty {
            months::<Process>(rates, self.layout, &mut self.rngs, st, out);
        } else {
            months::<Expected>(rates, self.layout, &mut self.rngs, st, out);
        }
    }
}

/// Runs all months of one replication and writes its year rows into `out`.
///
/// The state is held per stream and level, not per stratum: strata differ
/// only in their incidence, and once a need has arisen its care path does not
/// depend on the household type, so the sum over strata of binomial moves with
/// one probability is one binomial move of the summed count. New needs are
/// Poisson counts, so the needs of all strata of a stream are one draw too.
#[allow(clippy::too_many_lines)]
fn months<D: Draw>(
    r: &Rates,
    layout: &Layout,
    rngs: &mut [EngineRng],
    st: &mut State,
    out: &mut [f64],
) {
    let ns = r.n_strata;
    let nk = r.n_streams;
    let nl = r.slots();
    let w = layout.width();
    let years = out.len() / w;
    let n_pools = r.pool_share.len();
    let waitlist = r.waitlist;

    // State per level slot (`lvl_off[k] + l`) and per stream.
    for v in [&mut st.clients, &mut st.waiting, &mut st.cost_now] {
        zeros(v, nl);
    }
    for v in [&mut st.leavers, &mut st.stream_spend] {
        zeros(v, nk);
    }
    let State {
        clients,
        waiting,
        cost_now,
        leavers,
        eff,
        stream_spend,
        h,
        h_real,
        reserve,
        spent,
        available,
        ceiling_pool,
        run_rate,
        run_rate_next,
        room,
        room_next,
        mean_clients,
        pending,
    } = st;
    if waitlist.is_some() {
        zeros(&mut pending.queue, nl);
        zeros(&mut pending.escalate, nl);
        zeros(&mut pending.enter, nl);
    }

    // Prevention: effective spend per household follows the actual spend.
    let h_total0: f64 = (0..ns).map(|s| r.households(s, 0)).sum();
    let per_household = |budget: f64, k: usize, h: f64| {
        if h > 0.0 {
            budget * r.prev_share[k] / h
        } else {
            0.0
        }
    };
    eff.clear();
    eff.extend((0..nk).map(|k| per_household(r.prev_before, k, h_total0)));

    // Start in the expected steady state of the rates before the start.
    h_real.clear();
    h_real.extend((0..ns).map(|s| r.households(s, 0)));
    h.clear();
    h.extend(
        h_real
            .iter()
            .map(|&real| if D::PROCESS { round_count(real) } else { real }),
    );
    let h_sum: f64 = h.iter().sum();
    for k in 0..nk {
        let e = r.effects(k, eff[k]);
        let off = r.lvl_off[k];
        let n_lvl = r.n_lvl[k];
        zeros(mean_clients, 2 * n_lvl);
        let (mean_clients, c) = mean_clients.split_at_mut(n_lvl);
        let mut mean_leavers = 0.0;
        for (s, &hs) in h.iter().enumerate() {
            mean_leavers += r.steady_state_into(s, k, hs, &e, c);
            for (m, c) in mean_clients.iter_mut().zip(c.iter()) {
                *m += c;
            }
        }
        let rng = &mut rngs[k];
        for (l, &mean) in mean_clients.iter().enumerate() {
            clients[off + l] = D::start(rng, h_sum, mean);
        }
        leavers[k] = D::start(rng, h_sum, mean_leavers);
    }

    // Budget pools.
    reserve.clear();
    reserve.extend(r.pool_share.iter().map(|sh| r.reserve0 * sh));
    for v in [
        &mut *spent,
        &mut *available,
        &mut *ceiling_pool,
        &mut *run_rate,
        &mut *run_rate_next,
        &mut *room,
        &mut *room_next,
    ] {
        zeros(v, n_pools);
    }
    let mut ceiling = r.ceiling;
    let mut prevention_budget = r.prev_budget;
    let max_levels = r.n_lvl.iter().copied().max().unwrap_or(0);

    for m in 0..years * 12 {
        let y = m / 12;
        let month = m % 12;
        let row = &mut out[y * w..(y + 1) * w];
        if month == 0 {
            row.fill(0.0);
            let year_factor = y as i32;
            for k in 0..nk {
                let f = r.price_factor[k].powi(year_factor);
                let off = r.lvl_off[k];
                for l in 0..r.n_lvl[k] {
                    cost_now[off + l] = r.cost[off + l] * f;
                }
            }
            for p in 0..n_pools {
                ceiling_pool[p] = ceiling * r.pool_share[p];
                spent[p] = 0.0;
                available[p] = ceiling_pool[p] + reserve[p];
            }
            row[col::CEILING] = ceiling;
            row[col::PREVENTION_SPEND] = prevention_budget;
        }
        let months_left = (12 - month) as f64;

        // Households this month: the trend by one multiplication a month,
        // not an exponential.
        let mut h_total = 0.0;
        for ((hs, real), g) in h.iter_mut().zip(h_real.iter_mut()).zip(&r.growth_factor) {
            *hs = if D::PROCESS {
                round_count(*real)
            } else {
                *real
            };
            h_total += *real;
            *real *= g;
        }

        // Phase 1: draws per stream; ungated moves applied, gated ones pending.
        for k in 0..nk {
            // The prevention effect follows the spend with the ramp-up lag.
            let target = per_household(prevention_budget, k, h_total);
            eff[k] += r.prev_alpha * (target - eff[k]);
            let e = r.effects(k, eff[k]);
            let rng = &mut rngs[k];
            let off = r.lvl_off[k];
            let n_lvl = r.n_lvl[k];
            // Needs arrive as a Poisson count per stratum; their sum over
            // strata is one Poisson count with the summed mean.
            // (The stratum sum first, then the monthly factor: one division
            // per stream and month, not one per stratum.)
            let mut per_year = 0.0;
            for (s, &hs) in h.iter().enumerate() {
                per_year += hs * r.incidence[s * nk + k];
            }
            let expected = needs_per_month(per_year, e.case_finding);
            let new = D::arrivals(rng, expected);
            let lv = leavers[k];
            let rel = D::draw(rng, lv, (r.relapse[k] * e.relapse).min(1.0));
            let exit = D::draw(rng, lv - rel, r.relapse_exit[k]);
            let needs = new + rel;
            let early = D::draw(rng, needs, e.early_share);
            let regular = needs - early;
            row[layout.stream(k, stream_col::NEW_NEEDS)] += new;
            row[layout.stream(k, stream_col::RELAPSES)] += rel;

            // Transitions from the state at the start of the month.
            let cl = &mut clients[off..off + n_lvl];
            let outflow = &r.outflow[off..off + n_lvl];
            let esc_rate = &r.escalation[off..off + n_lvl];
            let stream_paid = &r.stream_paid[off..off + n_lvl];
            let mut out_total = 0.0;
            let mut esc_in = 0.0;
            let mut escalations = 0.0;
            for l in 0..n_lvl {
                let n = cl[l];
                let out_l = D::draw(rng, n, outflow[l]);
                let stay = n - out_l;
                let esc_l = if l + 1 < n_lvl {
                    D::draw(rng, stay, esc_rate[l] * e.escalation)
                } else {
                    0.0
                };
                out_total += out_l;
                escalations += esc_l;
                let mut entries = 0.0;
                if l == 0 {
                    entries += early;
                }
                if l == r.entry[k] {
                    entries += regular;
                }
                if waitlist.is_some() && stream_paid[l] {
                    // Escalations into l wait at l - 1; entries wait outside.
                    cl[l] = n - out_l - esc_l;
                    if l > 0 {
                        cl[l - 1] += esc_in;
                        pending.escalate[off + l] = esc_in;
                    }
                    pending.enter[off + l] = entries;
                } else {
                    cl[l] = n - out_l - esc_l + esc_in + entries;
                }
                esc_in = esc_l;
            }
            leavers[k] = lv - rel - exit + out_total;

            // Waiting clients escalate faster while they wait.
            if let Some(factor) = waitlist {
                let wt = &mut waiting[off..off + n_lvl];
                for l in 0..n_lvl - 1 {
                    if wt[l] > 0.0 {
                        let p = (esc_rate[l] * e.escalation * factor).min(1.0);
                        let up = D::draw(rng, wt[l], p);
                        wt[l] -= up;
                        wt[l + 1] += up;
                        escalations += up;
                    }
                }
                pending.queue[off..off + n_lvl].copy_from_slice(wt);
                wt.fill(0.0);
            }
            row[layout.stream(k, stream_col::ESCALATIONS)] += escalations;
        }

        // Phase 2 (waitlist): admit by priority while the budget has room.
        if waitlist.is_some() {
            run_rate.fill(0.0);
            run_rate_next.fill(0.0);
            for k in 0..nk {
                let p = r.pool_of[k];
                for j in r.lvl_off[k]..r.lvl_off[k] + r.n_lvl[k] {
                    if r.stream_paid[j] {
                        let c = clients[j] * cost_now[j];
                        run_rate[p] += c;
                        run_rate_next[p] += c * r.price_factor[k];
                    }
                }
            }
            for p in 0..n_pools {
                room[p] = available[p] - spent[p] - run_rate[p] * months_left;
                room_next[p] = ceiling_pool[p] * (1.0 + r.indexation) - run_rate_next[p] * 12.0;
            }
            // Highest level first; within a level the queue, then waiting
            // escalations, then new entries; streams in a rotating order.
            let first_stream = m % nk;
            for l in (0..max_levels).rev() {
                for group in 0..3 {
                    let demands = match group {
                        0 => &pending.queue,
                        1 => &pending.escalate,
                        _ => &pending.enter,
                    };
                    for c in 0..nk {
                        let k = first_stream + c;
                        let k = k - nk * usize::from(k >= nk);
                        if l >= r.n_lvl[k] {
                            continue;
                        }
                        let j = r.lvl_off[k] + l;
                        let demand = demands[j];
                        if demand <= 0.0 {
                            continue;
                        }
                        // Extra cost per month of one admission to this pool.
                        let paid = |j: usize| if r.stream_paid[j] { cost_now[j] } else { 0.0 };
                        let below = if group == 1 { paid(j - 1) } else { 0.0 };
                        let delta = paid(j) - below;
                        let p = r.pool_of[k];
                        let admit = if delta <= 0.0 {
                            demand
                        } else {
                            let a1 = room[p] / (delta * months_left);
                            let a2 = room_next[p] / (delta * r.price_factor[k] * 12.0);
                            let a = a1.min(a2).max(0.0);
                            let a = if D::PROCESS { a.floor() } else { a };
                            a.min(demand)
                        };
                        room[p] -= admit * delta * months_left;
                        room_next[p] -= admit * delta * r.price_factor[k] * 12.0;
                        let rest = demand - admit;
                        match group {
                            1 => {
                                clients[j - 1] -= admit;
                                clients[j] += admit;
                            }
                            _ => {
                                clients[j] += admit;
                                waiting[j] += rest;
                            }
                        }
                    }
                }
            }
        }

        // Costs of the month.
        for k in 0..nk {
            let off = r.lvl_off[k];
            let mut care = 0.0;
            let mut team = 0.0;
            for l in 0..r.n_lvl[k] {
                let j = off + l;
                let n = clients[j];
                // Summed over the year, averaged at its end.
                row[layout.clients(k, l)] += n;
                if r.stream_paid[j] {
                    care += n * cost_now[j];
                } else {
                    team += n * cost_now[j];
                }
            }
            stream_spend[k] = care;
            row[layout.stream(k, stream_col::TEAM_SPEND)] += team;
            if waitlist.is_some() {
                let wsum: f64 = waiting[off..off + r.n_lvl[k]].iter().sum();
                row[layout.stream(k, stream_col::WAITING_MONTHS)] += wsum;
                if month == 11 {
                    row[layout.stream(k, stream_col::WAITING_END)] += wsum;
                }
            }
        }
        for k in 0..nk {
            row[layout.stream(k, stream_col::SPEND)] += stream_spend[k];
            spent[r.pool_of[k]] += stream_spend[k];
        }
        row[col::HOUSEHOLDS] += h_total;

        // Year end: settle the budget pools.
        if month == 11 {
            row[col::HOUSEHOLDS] /= 12.0;
            for k in 0..nk {
                for l in 0..r.n_lvl[k] {
                    row[layout.clients(k, l)] /= 12.0;
                }
            }
            let mut deficit_total = 0.0;
            let mut draw_total = 0.0;
            let mut overrun_total = 0.0;
            let mut reinvest_total = 0.0;
            for p in 0..n_pools {
                let cap = r.reserve_cap * r.pool_share[p];
                let deficit = spent[p] - ceiling_pool[p];
                deficit_total += deficit;
                let mut overrun = 0.0;
                if deficit > 0.0 {
                    let draw = deficit.min(reserve[p]);
                    reserve[p] -= draw;
                    draw_total += draw;
                    overrun = deficit - draw;
                } else {
                    let surplus = -deficit;
                    let reinvest = r.reinvest * surplus;
                    reinvest_total += reinvest;
                    let keep = (surplus - reinvest).min((cap - reserve[p]).max(0.0));
                    reserve[p] += keep;
                }
                overrun_total += overrun;
                if n_pools > 1 {
                    row[layout.stream(p, stream_col::CEILING)] = ceiling_pool[p];
                    row[layout.stream(p, stream_col::OVERRUN)] = overrun;
                }
            }
            let care: f64 = spent.iter().sum();
            let team: f64 = (0..nk)
                .map(|k| row[layout.stream(k, stream_col::TEAM_SPEND)])
                .sum();
            row[col::CARE_SPEND] = care;
            row[col::TEAM_SPEND] = team;
            row[col::TOTAL_COST] = care + team + row[col::PREVENTION_SPEND];
            row[col::DEFICIT] = deficit_total;
            row[col::RESERVE_DRAW] = draw_total;
            row[col::OVERRUN] = overrun_total;
            row[col::OVERRUN_FLAG] = if overrun_total > 0.0 { 1.0 } else { 0.0 };
            row[col::RESERVE_END] = reserve.iter().sum();
            row[col::REINVESTED] = reinvest_total;
            let mut needs = 0.0;
            let mut esc = 0.0;
            let mut wend = 0.0;
            let mut wmonths = 0.0;
            for k in 0..nk {
                needs += row[layout.stream(k, stream_col::NEW_NEEDS)];
                esc += row[layout.stream(k, stream_col::ESCALATIONS)];
                wend += row[layout.stream(k, stream_col::WAITING_END)];
                wmonths += row[layout.stream(k, stream_col::WAITING_MONTHS)];
            }
            row[col::NEW_NEEDS] = needs;
            row[col::ESCALATIONS] = esc;
            row[col::WAITING_END] = wend;
            row[col::WAITING_MONTHS] = wmonths;
            ceiling *= 1.0 + r.indexation;
            prevention_budget = r.prev_budget + reinvest_total;
        }
    }
}

/// Expected new needs per month from expected needs per year (before
/// prevention), given the case-finding effect: the one formula for a
/// household and for a stream's sum over strata.
#[inline]
fn needs_per_month(per_year: f64, case_finding: f64) -> f64 {
    per_year * (1.0 + case_finding) / 12.0
}

/// A non-negative count rounded half away from zero, as `f64::round`, without
/// the library call.
#[inline]
fn round_count(x: f64) -> f64 {
    if (0.0..4_503_599_627_370_496.0).contains(&x) {
        let t = x as i64 as f64;
        if x - t >= 0.5 { t + 1.0 } else { t }
    } else {
        x.round()
    }
}

/// What a run will cost before it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Bytes of raw results kept in memory.
    pub bytes: f64,
    /// Binomial draws the run will make, roughly.
    pub draws: f64,
}

/// Largest raw result a run may keep in memory.
pub const MAX_BYTES: f64 = 8.0 * (1u64 << 30) as f64;
/// Largest number of draws a run may make (about a day on two cores).
pub const MAX_DRAWS: f64 = 5e12;

/// The memory and work a run of `replications` of these models will take
/// (memory as `wijkbudget run` keeps it: statistics, not rows).
pub fn estimate(models: &[&Model], replications: u32) -> Estimate {
    let mut bytes = 0.0;
    let mut draws = 0.0;
    for m in models {
        let width = Layout::of(m).width() as f64;
        let years = f64::from(m.horizon_years);
        let reps = f64::from(replications);
        // Statistics per (year or horizon, column): exact values up to a
        // limit, a sketch of comparable size beyond; the kept replications;
        // the block in flight.
        let per_stat = reps.min(crate::stats::EXACT_LIMIT as f64) * 8.0;
        let kept = reps.min(crate::results::KEEP_LIMIT as f64)
            * (crate::results::KEPT_COLUMNS.len() + m.params.len()) as f64
            * 8.0;
        let block = BLOCK as f64 * (years * width + m.params.len() as f64) * 8.0;
        bytes += (years + 1.0) * width * per_stat + kept + block;
        let slots: usize = m.streams.iter().map(|s| s.levels.len()).sum();
        // Per stream: new needs per stratum, relapse, exit, early entry; per
        // level: outflow, escalation and (waitlist) waiting escalation.
        let per_month = m.streams.len() as f64 * (m.strata.len() as f64 + 3.0) + 3.0 * slots as f64;
        draws += reps * years * 12.0 * per_month;
    }
    Estimate { bytes, draws }
}

/// Why a run was refused before it started.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SizeError {
    #[error(
        "this run would keep {gib:.1} GiB of results in memory (limit {limit:.0} GiB); use fewer replications (at most about {max_reps}) or variants"
    )]
    Memory { gib: f64, limit: f64, max_reps: u64 },
    #[error(
        "this run would make about {draws:.1e} random draws, more than a day of computing; use fewer replications (at most about {max_reps})"
    )]
    Time { draws: f64, max_reps: u64 },
}

/// Refuses runs that cannot fit in memory or would take days.
pub fn check_size(models: &[&Model], replications: u32) -> Result<Estimate, SizeError> {
    let e = estimate(models, replications);
    let per_rep = |x: f64| (x / f64::from(replications.max(1))).max(1e-9);
    if e.bytes > MAX_BYTES {
        return Err(SizeError::Memory {
            gib: e.bytes / (1u64 << 30) as f64,
            limit: MAX_BYTES / (1u64 << 30) as f64,
            max_reps: (MAX_BYTES / per_rep(e.bytes)) as u64,
        });
    }
    if e.draws > MAX_DRAWS {
        return Err(SizeError::Time {
            draws: e.draws,
            max_reps: (MAX_DRAWS / per_rep(e.draws)) as u64,
        });
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::{Prepared, Rates, draw_params, round_count};

    #[test]
    fn filling_used_rates_gives_the_rates_of_a_fresh_fill() {
        // Every buffer must be reset by `fill`: rates left over from another
        // model (here a siloed budget and a waitlist) must not leak.
        let sc = crate::scenario::parse(crate::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
            .expect("the example is valid");
        let values: Vec<Vec<f64>> = sc
            .variants
            .iter()
            .map(|m| {
                let mut v = vec![0.0; m.params.len()];
                draw_params(m, &Prepared::new(m), 1, 3, &mut v);
                v
            })
            .collect();
        for (i, (a, va)) in sc.variants.iter().zip(&values).enumerate() {
            for (j, (b, vb)) in sc.variants.iter().zip(&values).enumerate() {
                let mut used = Rates::new(b, vb);
                used.fill(a, va);
                assert_eq!(used, Rates::new(a, va), "variant {i} after variant {j}");
            }
        }
    }

    #[test]
    fn round_count_matches_the_library() {
        for x in [
            0.0,
            0.49,
            0.5,
            0.500_000_1,
            1.5,
            2.5,
            1_234.499_999,
            1_234.5,
            4.5e15,
            1e300,
        ] {
            assert_eq!(round_count(x), x.round(), "round({x})");
        }
        assert_eq!(round_count(0.499_999_999_999_999_94), 0.0);
    }
}
