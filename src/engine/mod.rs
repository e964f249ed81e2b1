//! The Monte Carlo engine: simulates replications of one model, month by month.
//!
//! The population is held as counts per (stream, level), moved each month
//! with binomial draws (or their expectations when process uncertainty is
//! off). A replication draws its parameters once ([`draw_params`]), turns
//! them into monthly rates ([`Rates`]) and runs the months with one random
//! stream per budget stream, so its result depends only on
//! (seed, replication, model) and replication `r` of every variant shares
//! parameter draws and random streams (common random numbers). Replications
//! run [`LANES`] at a time in lockstep (`months`), each in its own lane,
//! with the same result as alone. The engine does no IO: progress goes out
//! through the [`Progress`] trait.

mod months;
mod rates;

use rayon::prelude::*;

use crate::dist::{Quantile, std_normal_cdf, std_normal_quantile};
use crate::metrics::Layout;
use crate::model::Model;
use crate::rng;

use months::Simulator;
pub use rates::{Effects, Rates};

/// Replications simulated side by side in the lanes of the monthly loop:
/// four `f64` fill an AVX2 vector. Results never depend on it.
pub const LANES: usize = 4;

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
    /// The seed the replications were simulated with.
    pub seed: u64,
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
}

/// Replications per parallel work item: small enough to balance two cores,
/// large enough to keep progress reporting cheap, a multiple of [`LANES`].
/// Results never depend on it.
const CHUNK: usize = 2 * LANES;

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
        let simulators = || -> Vec<Simulators> {
            (0..nv)
                .map(|v| Simulators::new(models[v], &plan.prepared[v], &plan.layouts[v]))
                .collect()
        };
        chunks[..used]
            .par_iter_mut()
            .enumerate()
            .for_each_init(simulators, |sims, (c, buf)| {
                let start = first + c * CHUNK;
                let n = CHUNK.min(first + len - start);
                for v in 0..nv {
                    let np = n_params[v];
                    let (done, rest) = buf.params.split_at_mut(v);
                    let params = &mut rest[0][..n * np];
                    for (i, values) in params.chunks_exact_mut(np.max(1)).enumerate() {
                        let base = done
                            .first()
                            .map(|b| &b[i * n_params[0]..(i + 1) * n_params[0]]);
                        draw_params_sharing(
                            models[v],
                            &plan.prepared[v],
                            cfg.seed,
                            (start + i) as u64,
                            values,
                            &plan.reuse[v],
                            base.unwrap_or(&[]),
                        );
                    }
                    let params = &rest[0][..n * np];
                    let rows = &mut buf.rows[v][..n * row_len[v]];
                    let values = |i: usize| &params[i * np..(i + 1) * np];
                    sims[v].run(cfg.seed, start as u64, n, values, rows);
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
                seed: cfg.seed,
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
        let mut sim = Simulator::<1>::new(self.model, &self.prepared, &self.layout);
        sim.run(seed, [rep], [values], out);
    }

    /// Simulates replications `first..first + n`, replication `first + i`
    /// with the parameter values `values(i)`, and writes their year rows one
    /// after the other into `out` (length `n ×` [`Evaluator::row_len`]):
    /// the same rows as [`Evaluator::run`] gives each, [`LANES`] at a time.
    pub fn run_many<'v>(
        &self,
        seed: u64,
        first: u64,
        n: usize,
        values: impl Fn(usize) -> &'v [f64],
        out: &mut [f64],
    ) {
        Simulators::new(self.model, &self.prepared, &self.layout).run(seed, first, n, values, out);
    }
}

/// The simulators of one model: [`LANES`] replications at a time, and one
/// at a time for what is left over.
struct Simulators<'a> {
    lanes: Simulator<'a, LANES>,
    one: Simulator<'a, 1>,
    row_len: usize,
}

impl<'a> Simulators<'a> {
    fn new(model: &'a Model, prepared: &'a Prepared, layout: &'a Layout) -> Self {
        Self {
            lanes: Simulator::new(model, prepared, layout),
            one: Simulator::new(model, prepared, layout),
            row_len: model.horizon_years as usize * layout.width(),
        }
    }

    /// Replications `first..first + n` with parameter values `values(i)`,
    /// their rows one after the other into `out`.
    fn run<'v>(
        &mut self,
        seed: u64,
        first: u64,
        n: usize,
        values: impl Fn(usize) -> &'v [f64],
        out: &mut [f64],
    ) {
        let len = self.row_len;
        let groups = n / LANES;
        let (grouped, rest) = out[..n * len].split_at_mut(groups * LANES * len);
        for (g, rows) in grouped.chunks_exact_mut(LANES * len).enumerate() {
            let i0 = g * LANES;
            let reps = std::array::from_fn(|i| first + (i0 + i) as u64);
            self.lanes
                .run(seed, reps, std::array::from_fn(|i| values(i0 + i)), rows);
        }
        for (j, row) in rest.chunks_exact_mut(len.max(1)).enumerate() {
            let i = groups * LANES + j;
            self.one.run(seed, [first + i as u64], [values(i)], row);
        }
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

/// The work and memory of simulating replications, before it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Bytes the engine holds while it runs (its two blocks in flight).
    pub bytes: f64,
    /// Binomial draws the run will make, roughly.
    pub draws: f64,
}

/// Largest number of draws a run may make (about a day on two cores).
pub const MAX_DRAWS: f64 = 5e12;

/// The engine's memory and work for `replications` of these models, run
/// together by [`simulate_variants`]; what a caller keeps of the results is
/// its own to add.
pub fn estimate(models: &[&Model], replications: u32) -> Estimate {
    let mut bytes = 0.0;
    let mut draws = 0.0;
    for m in models {
        let width = Layout::of(m).width() as f64;
        let years = f64::from(m.horizon_years);
        let reps = f64::from(replications);
        bytes += BLOCK as f64 * (years * width + m.params.len() as f64) * 8.0;
        let slots: usize = m.streams.iter().map(|s| s.levels.len()).sum();
        // Per stream: new needs per stratum, relapse, exit, early entry; per
        // level: outflow, escalation and (waitlist) waiting escalation.
        let per_month = m.streams.len() as f64 * (m.strata.len() as f64 + 3.0) + 3.0 * slots as f64;
        draws += reps * years * 12.0 * per_month;
    }
    Estimate { bytes, draws }
}

#[cfg(test)]
mod tests {
    use super::{Prepared, Rates, draw_params};

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
}
