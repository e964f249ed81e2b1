//! The monthly loop of the engine, on lanes: `N` replications of one model
//! month by month side by side, lane `i` the replication the scalar loop
//! would simulate alone, bit for bit.
//!
//! Every count and rate is an [`F`] of `N` lanes; the draws come from
//! [`binomial_lanes`] and [`poisson_lanes`], lane `i` from replication `i`'s
//! random streams. What is the same in every lane (the model's streams,
//! levels and pools) drives the loops; what differs between lanes and
//! branches (the waitlist's admissions, the settlement of a year) runs lane
//! by lane on the same numbers.
//!
//! On x86-64 processors with AVX2 the loop is compiled a second time for
//! AVX2 and chosen at run time: the lane-wise arithmetic is the same, so the
//! results are too.

use super::Prepared;
use super::rates::{LaneRates, Rates, needs_per_month};
use crate::metrics::{Layout, col, stream_col};
use crate::model::Model;
use crate::rng::RngLanes;
use crate::sampler::{binomial, binomial_lanes, poisson_lanes};
use crate::simd::F;

/// Moves between states: binomial draws, or their expectations.
pub(super) trait Draw {
    /// Whether counts are whole numbers moved by random draws.
    const PROCESS: bool;
    fn draw<const N: usize>(rng: &mut RngLanes<N>, n: F<N>, p: F<N>) -> F<N>;
    /// A count of events with the given mean (Poisson).
    fn arrivals<const N: usize>(rng: &mut RngLanes<N>, mean: F<N>) -> F<N>;
    /// The starting count of a state with this mean, out of `households`.
    fn start<R: rand::Rng + ?Sized>(rng: &mut R, households: f64, mean: f64) -> f64;
}

pub(super) struct Process;
pub(super) struct Expected;

impl Draw for Process {
    const PROCESS: bool = true;
    #[inline(always)]
    fn draw<const N: usize>(rng: &mut RngLanes<N>, n: F<N>, p: F<N>) -> F<N> {
        binomial_lanes(rng, n, p)
    }
    #[inline(always)]
    fn arrivals<const N: usize>(rng: &mut RngLanes<N>, mean: F<N>) -> F<N> {
        poisson_lanes(rng, mean)
    }
    fn start<R: rand::Rng + ?Sized>(rng: &mut R, households: f64, mean: f64) -> f64 {
        if households < 1.0 {
            return 0.0;
        }
        binomial(rng, households as u64, (mean / households).min(1.0)) as f64
    }
}

impl Draw for Expected {
    const PROCESS: bool = false;
    #[inline(always)]
    fn draw<const N: usize>(_: &mut RngLanes<N>, n: F<N>, p: F<N>) -> F<N> {
        n * p
    }
    #[inline(always)]
    fn arrivals<const N: usize>(_: &mut RngLanes<N>, mean: F<N>) -> F<N> {
        mean
    }
    fn start<R: rand::Rng + ?Sized>(_: &mut R, _: f64, mean: f64) -> f64 {
        mean
    }
}

/// Which build of the monthly loop runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Build {
    /// The AVX2 build where the processor has AVX2, else the portable one.
    Best,
    /// The portable build (for tests that compare the two).
    #[cfg_attr(not(test), allow(dead_code))]
    Portable,
}

/// Reusable buffers for simulating `N` replications of one model at a time.
pub(super) struct Simulator<'a, const N: usize> {
    model: &'a Model,
    prepared: &'a Prepared,
    layout: &'a Layout,
    rngs: Vec<RngLanes<N>>,
    rates: [Rates; N],
    lanes: LaneRates<N>,
    state: State<N>,
}

/// The state of `N` replications, kept between runs so that the monthly
/// loop allocates nothing.
#[derive(Default)]
struct State<const N: usize> {
    /// Per level slot (`lvl_off[k] + l`).
    clients: Vec<F<N>>,
    waiting: Vec<F<N>>,
    cost_now: Vec<F<N>>,
    /// Per stream.
    leavers: Vec<F<N>>,
    eff: Vec<F<N>>,
    stream_spend: Vec<F<N>>,
    /// Per stratum.
    h: Vec<F<N>>,
    h_real: Vec<F<N>>,
    /// Per pool.
    reserve: Vec<F<N>>,
    spent: Vec<F<N>>,
    available: Vec<F<N>>,
    ceiling_pool: Vec<F<N>>,
    /// The current year's row, per column.
    year: Vec<F<N>>,
    pending: Pending<N>,
    /// One lane's scratch: clients per level of one stream in the steady
    /// state; per pool, the waitlist's run rates and room.
    mean_clients: Vec<f64>,
    run_rate: Vec<f64>,
    run_rate_next: Vec<f64>,
    room: Vec<f64>,
    room_next: Vec<f64>,
}

/// Admission demand of the waitlist policy, per level slot.
#[derive(Default)]
struct Pending<const N: usize> {
    queue: Vec<F<N>>,
    escalate: Vec<F<N>>,
    enter: Vec<F<N>>,
}

/// `v` as `n` zeros, keeping its allocation.
fn zeros<T: Clone + Default>(v: &mut Vec<T>, n: usize) {
    v.clear();
    v.resize(n, T::default());
}

impl<'a, const N: usize> Simulator<'a, N> {
    pub fn new(model: &'a Model, prepared: &'a Prepared, layout: &'a Layout) -> Self {
        Self {
            model,
            prepared,
            layout,
            rngs: Vec::new(),
            rates: std::array::from_fn(|_| Rates::default()),
            lanes: LaneRates::default(),
            state: State::default(),
        }
    }

    /// Simulates replication `reps[i]` with parameter values `values[i]`
    /// for every lane `i`, and writes their year rows one after the other
    /// into `out` (lane 0's rows first).
    pub fn run(&mut self, seed: u64, reps: [u64; N], values: [&[f64]; N], out: &mut [f64]) {
        self.run_on(Build::Best, seed, reps, values, out);
    }

    /// [`Self::run`] on the given build of the monthly loop.
    pub fn run_on(
        &mut self,
        build: Build,
        seed: u64,
        reps: [u64; N],
        values: [&[f64]; N],
        out: &mut [f64],
    ) {
        let row_len = out.len() / N;
        let mut rows = out.chunks_exact_mut(row_len.max(1));
        let mut outs: [&mut [f64]; N] = std::array::from_fn(|_| rows.next().unwrap_or_default());
        for (r, v) in self.rates.iter_mut().zip(values) {
            r.fill(self.model, v);
        }
        self.lanes.gather(&self.rates);
        self.rngs.clear();
        self.rngs.extend(
            self.prepared
                .stream_purpose
                .iter()
                .map(|&p| RngLanes::streams(seed, reps, p)),
        );
        let mut job = Months {
            rates: &self.rates,
            r: &self.lanes,
            layout: self.layout,
            rngs: &mut self.rngs,
            st: &mut self.state,
            outs: &mut outs,
        };
        if self.model.process_uncertainty {
            job.run::<Process>(build);
        } else {
            job.run::<Expected>(build);
        }
    }
}

/// One run of the monthly loop: what it reads and writes.
struct Months<'s, 'o, const N: usize> {
    /// Each lane's rates, for what runs lane by lane.
    rates: &'s [Rates; N],
    r: &'s LaneRates<N>,
    layout: &'s Layout,
    rngs: &'s mut [RngLanes<N>],
    st: &'s mut State<N>,
    outs: &'s mut [&'o mut [f64]; N],
}

impl<const N: usize> Months<'_, '_, N> {
    /// Runs the loop on the best build the processor supports (or on the
    /// portable one, as asked).
    fn run<D: Draw>(&mut self, build: Build) {
        #[cfg(target_arch = "x86_64")]
        if N > 1 && build == Build::Best && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (checked just above).
            unsafe { self.run_avx2::<D>() };
            return;
        }
        let _ = build;
        self.months::<D>();
    }

    /// The loop compiled for AVX2: the same lane-wise arithmetic in 256-bit
    /// vectors.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn run_avx2<D: Draw>(&mut self) {
        self.months::<D>();
    }

    /// Runs all months of the lanes' replications and writes their year rows.
    ///
    /// The state is held per stream and level, not per stratum: strata
    /// differ only in their incidence, and once a need has arisen its care
    /// path does not depend on the household type, so the sum over strata of
    /// binomial moves with one probability is one binomial move of the summed
    /// count. New needs are Poisson counts, so the needs of all strata of a
    /// stream are one draw too.
    #[inline(always)]
    #[allow(clippy::too_many_lines)]
    fn months<D: Draw>(&mut self) {
        let Months {
            rates,
            r,
            layout,
            rngs,
            st,
            outs,
        } = self;
        let (rates, r, layout) = (*rates, *r, *layout);
        let ns = r.n_strata;
        let nk = r.n_streams;
        let nl = r.cost.len();
        let w = layout.width();
        let years = outs[0].len() / w;
        let n_pools = r.pool_share.len();
        let waitlist = r.waitlist;
        let zero = F::splat(0.0);
        let lanes = |f: &dyn Fn(&Rates) -> f64| F(std::array::from_fn(|i| f(&rates[i])));

        for v in [&mut st.clients, &mut st.waiting, &mut st.cost_now] {
            zeros(v, nl);
        }
        for v in [&mut st.leavers, &mut st.stream_spend] {
            zeros(v, nk);
        }
        zeros(&mut st.year, w);
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
            year,
            pending,
            mean_clients,
            run_rate,
            run_rate_next,
            room,
            room_next,
        } = &mut **st;
        if waitlist {
            zeros(&mut pending.queue, nl);
            zeros(&mut pending.escalate, nl);
            zeros(&mut pending.enter, nl);
        }

        // Prevention: effective spend per household follows the actual spend.
        let per_household =
            |budget: F<N>, k: usize, h: F<N>| h.gt(0.0).select(budget * r.prev_share[k] / h, 0.0);
        let h_total0 = lanes(&|ri| (0..ns).map(|s| ri.households(s, 0)).sum());
        eff.clear();
        eff.extend((0..nk).map(|k| per_household(r.prev_before, k, h_total0)));

        // Start in the expected steady state of the rates before the start.
        h_real.clear();
        h_real.extend((0..ns).map(|s| lanes(&|ri| ri.households(s, 0))));
        h.clear();
        h.extend(
            h_real
                .iter()
                .map(|&real| if D::PROCESS { real.round_count() } else { real }),
        );
        for (i, ri) in rates.iter().enumerate() {
            let h_sum: f64 = h.iter().map(|hs| hs.get(i)).sum();
            for k in 0..nk {
                let e = ri.effects(k, eff[k].get(i));
                let off = r.lvl_off[k];
                let n_lvl = r.n_lvl[k];
                zeros(mean_clients, 2 * n_lvl);
                let (mean_clients, c) = mean_clients.split_at_mut(n_lvl);
                let mut mean_leavers = 0.0;
                for (s, hs) in h.iter().enumerate() {
                    mean_leavers += ri.steady_state_into(s, k, hs.get(i), &e, c);
                    for (m, c) in mean_clients.iter_mut().zip(c.iter()) {
                        *m += c;
                    }
                }
                let rng = &mut rngs[k].lane(i);
                for (l, &mean) in mean_clients.iter().enumerate() {
                    clients[off + l].set(i, D::start(rng, h_sum, mean));
                }
                leavers[k].set(i, D::start(rng, h_sum, mean_leavers));
            }
        }

        // Budget pools.
        reserve.clear();
        reserve.extend(r.pool_share.iter().map(|&sh| r.reserve0 * sh));
        for v in [&mut *spent, &mut *available, &mut *ceiling_pool] {
            zeros(v, n_pools);
        }
        let mut ceiling = r.ceiling;
        let mut prevention_budget = r.prev_budget;
        let max_levels = r.n_lvl.iter().copied().max().unwrap_or(0);

        for m in 0..years * 12 {
            let y = m / 12;
            let month = m % 12;
            if month == 0 {
                year.fill(zero);
                let year_factor = y as i32;
                for k in 0..nk {
                    let f = F(std::array::from_fn(|i| {
                        r.price_factor[k].get(i).powi(year_factor)
                    }));
                    let off = r.lvl_off[k];
                    for l in 0..r.n_lvl[k] {
                        cost_now[off + l] = r.cost[off + l] * f;
                    }
                }
                for p in 0..n_pools {
                    ceiling_pool[p] = ceiling * r.pool_share[p];
                    spent[p] = zero;
                    available[p] = ceiling_pool[p] + reserve[p];
                }
                year[col::CEILING] = ceiling;
                year[col::PREVENTION_SPEND] = prevention_budget;
            }
            let months_left = (12 - month) as f64;

            // Households this month: the trend by one multiplication a
            // month, not an exponential.
            let mut h_total = zero;
            for ((hs, real), &g) in h.iter_mut().zip(h_real.iter_mut()).zip(&r.growth_factor) {
                *hs = if D::PROCESS {
                    real.round_count()
                } else {
                    *real
                };
                h_total += *real;
                *real *= g;
            }

            // Phase 1: draws per stream; ungated moves applied, gated ones
            // pending.
            for k in 0..nk {
                // The prevention effect follows the spend with the ramp-up lag.
                let target = per_household(prevention_budget, k, h_total);
                let gap = target - eff[k];
                eff[k] += r.prev_alpha * gap;
                let e = r.effects(k, eff[k]);
                let rng = &mut rngs[k];
                let off = r.lvl_off[k];
                let n_lvl = r.n_lvl[k];
                // Needs arrive as a Poisson count per stratum; their sum over
                // strata is one Poisson count with the summed mean.
                // (The stratum sum first, then the monthly factor: one
                // division per stream and month, not one per stratum.)
                let mut per_year = zero;
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
                year[layout.stream(k, stream_col::NEW_NEEDS)] += new;
                year[layout.stream(k, stream_col::RELAPSES)] += rel;

                // Transitions from the state at the start of the month.
                let mut out_total = zero;
                let mut esc_in = zero;
                let mut escalations = zero;
                for l in 0..n_lvl {
                    let j = off + l;
                    let n = clients[j];
                    let out_l = D::draw(rng, n, r.outflow[j]);
                    let stay = n - out_l;
                    let esc_l = if l + 1 < n_lvl {
                        D::draw(rng, stay, r.escalation[j] * e.escalation)
                    } else {
                        zero
                    };
                    out_total += out_l;
                    escalations += esc_l;
                    let mut entries = zero;
                    if l == 0 {
                        entries += early;
                    }
                    if l == r.entry[k] {
                        entries += regular;
                    }
                    if waitlist && r.stream_paid[j] {
                        // Escalations into l wait at l - 1; entries wait outside.
                        clients[j] = n - out_l - esc_l;
                        if l > 0 {
                            clients[j - 1] += esc_in;
                            pending.escalate[j] = esc_in;
                        }
                        pending.enter[j] = entries;
                    } else {
                        clients[j] = n - out_l - esc_l + esc_in + entries;
                    }
                    esc_in = esc_l;
                }
                leavers[k] = lv - rel - exit + out_total;

                // Waiting clients escalate faster while they wait.
                if waitlist {
                    for j in off..off + n_lvl - 1 {
                        let wt = waiting[j];
                        let waits = wt.gt(0.0);
                        if !waits.any() {
                            continue;
                        }
                        let p = (r.escalation[j] * e.escalation * r.wait_factor).min(1.0);
                        // A lane with nobody waiting draws nothing (n = 0).
                        let up = D::draw(rng, waits.select(wt, 0.0), p);
                        waiting[j] = waits.select(wt - up, wt);
                        waiting[j + 1] = waits.select(waiting[j + 1] + up, waiting[j + 1]);
                        escalations = waits.select(escalations + up, escalations);
                    }
                    pending.queue[off..off + n_lvl].copy_from_slice(&waiting[off..off + n_lvl]);
                    waiting[off..off + n_lvl].fill(zero);
                }
                year[layout.stream(k, stream_col::ESCALATIONS)] += escalations;
            }

            // Phase 2 (waitlist): admit by priority while the budget has
            // room, lane by lane.
            if waitlist {
                for (i, ri) in rates.iter().enumerate() {
                    zeros(run_rate, n_pools);
                    zeros(run_rate_next, n_pools);
                    for k in 0..nk {
                        let p = r.pool_of[k];
                        for j in r.lvl_off[k]..r.lvl_off[k] + r.n_lvl[k] {
                            if r.stream_paid[j] {
                                let c = clients[j].get(i) * cost_now[j].get(i);
                                run_rate[p] += c;
                                run_rate_next[p] += c * ri.price_factor[k];
                            }
                        }
                    }
                    room.clear();
                    room_next.clear();
                    for p in 0..n_pools {
                        room.push(
                            available[p].get(i) - spent[p].get(i) - run_rate[p] * months_left,
                        );
                        room_next.push(
                            ceiling_pool[p].get(i) * (1.0 + ri.indexation)
                                - run_rate_next[p] * 12.0,
                        );
                    }
                    // Highest level first; within a level the queue, then
                    // waiting escalations, then new entries; streams in a
                    // rotating order.
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
                                let demand = demands[j].get(i);
                                if demand <= 0.0 {
                                    continue;
                                }
                                // Extra cost per month of one admission to
                                // this pool.
                                let paid = |j: usize| {
                                    if r.stream_paid[j] {
                                        cost_now[j].get(i)
                                    } else {
                                        0.0
                                    }
                                };
                                let below = if group == 1 { paid(j - 1) } else { 0.0 };
                                let delta = paid(j) - below;
                                let p = r.pool_of[k];
                                let price = ri.price_factor[k];
                                let admit = if delta <= 0.0 {
                                    demand
                                } else {
                                    let a1 = room[p] / (delta * months_left);
                                    let a2 = room_next[p] / (delta * price * 12.0);
                                    let a = a1.min(a2).max(0.0);
                                    let a = if D::PROCESS { a.floor() } else { a };
                                    a.min(demand)
                                };
                                room[p] -= admit * delta * months_left;
                                room_next[p] -= admit * delta * price * 12.0;
                                let rest = demand - admit;
                                match group {
                                    1 => {
                                        clients[j - 1].0[i] -= admit;
                                        clients[j].0[i] += admit;
                                    }
                                    _ => {
                                        clients[j].0[i] += admit;
                                        waiting[j].0[i] += rest;
                                    }
                                }
                            }
                        }
                    }
                }
            }

            // Costs of the month.
            for k in 0..nk {
                let off = r.lvl_off[k];
                let mut care = zero;
                let mut team = zero;
                for l in 0..r.n_lvl[k] {
                    let j = off + l;
                    let n = clients[j];
                    // Summed over the year, averaged at its end.
                    year[layout.clients(k, l)] += n;
                    if r.stream_paid[j] {
                        care += n * cost_now[j];
                    } else {
                        team += n * cost_now[j];
                    }
                }
                stream_spend[k] = care;
                year[layout.stream(k, stream_col::TEAM_SPEND)] += team;
                if waitlist {
                    let wsum: F<N> = waiting[off..off + r.n_lvl[k]].iter().sum();
                    year[layout.stream(k, stream_col::WAITING_MONTHS)] += wsum;
                    if month == 11 {
                        year[layout.stream(k, stream_col::WAITING_END)] += wsum;
                    }
                }
            }
            for k in 0..nk {
                year[layout.stream(k, stream_col::SPEND)] += stream_spend[k];
                spent[r.pool_of[k]] += stream_spend[k];
            }
            year[col::HOUSEHOLDS] += h_total;

            // Year end: the year's rows, then settle the budget pools lane
            // by lane.
            if month == 11 {
                year[col::HOUSEHOLDS] /= 12.0;
                for k in 0..nk {
                    for l in 0..r.n_lvl[k] {
                        year[layout.clients(k, l)] /= 12.0;
                    }
                }
                for (i, ri) in rates.iter().enumerate() {
                    let row = &mut outs[i][y * w..(y + 1) * w];
                    for (to, from) in row.iter_mut().zip(year.iter()) {
                        *to = from.get(i);
                    }
                    let mut deficit_total = 0.0;
                    let mut draw_total = 0.0;
                    let mut overrun_total = 0.0;
                    let mut reinvest_total = 0.0;
                    for p in 0..n_pools {
                        let reserve = &mut reserve[p].0[i];
                        let cap = ri.reserve_cap * ri.pool_share[p];
                        let deficit = spent[p].get(i) - ceiling_pool[p].get(i);
                        deficit_total += deficit;
                        let mut overrun = 0.0;
                        if deficit > 0.0 {
                            let draw = deficit.min(*reserve);
                            *reserve -= draw;
                            draw_total += draw;
                            overrun = deficit - draw;
                        } else {
                            let surplus = -deficit;
                            let reinvest = ri.reinvest * surplus;
                            reinvest_total += reinvest;
                            let keep = (surplus - reinvest).min((cap - *reserve).max(0.0));
                            *reserve += keep;
                        }
                        overrun_total += overrun;
                        if n_pools > 1 {
                            row[layout.stream(p, stream_col::CEILING)] = ceiling_pool[p].get(i);
                            row[layout.stream(p, stream_col::OVERRUN)] = overrun;
                        }
                    }
                    let care: f64 = spent.iter().map(|s| s.get(i)).sum();
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
                    row[col::RESERVE_END] = reserve.iter().map(|s| s.get(i)).sum();
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
                    ceiling.0[i] *= 1.0 + ri.indexation;
                    prevention_budget.0[i] = ri.prev_budget + reinvest_total;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Prepared, draw_params};

    /// The example's variants and a waitlist model with siloed budgets and
    /// process randomness (the full fixture, which has it off).
    fn models() -> Vec<Model> {
        let mut models = crate::scenario::parse(crate::EXAMPLE_SCENARIO, "voorbeeldwijk.toml")
            .expect("the example is valid")
            .variants;
        let full = include_str!("../../tests/fixtures/full_scenario.toml");
        for mut m in crate::scenario::parse(full, "full_scenario.toml")
            .expect("the fixture is valid")
            .variants
        {
            m.process_uncertainty = true;
            models.push(m);
        }
        models
    }

    #[test]
    fn a_replication_is_the_same_in_any_lane_and_any_build() {
        for (v, model) in models().iter().enumerate() {
            let prepared = Prepared::new(model);
            let layout = Layout::of(model);
            let len = model.horizon_years as usize * layout.width();
            let reps = [3u64, 4, 9, 1000];
            let values: Vec<Vec<f64>> = reps
                .iter()
                .map(|&r| {
                    let mut x = vec![0.0; model.params.len()];
                    draw_params(model, &prepared, 17, r, &mut x);
                    x
                })
                .collect();
            let lanes = |build: Build| {
                let mut out = vec![0.0; 4 * len];
                Simulator::<4>::new(model, &prepared, &layout).run_on(
                    build,
                    17,
                    reps,
                    std::array::from_fn(|i| values[i].as_slice()),
                    &mut out,
                );
                out
            };
            let best = lanes(Build::Best);
            let portable = lanes(Build::Portable);
            let mut alone = vec![0.0; 4 * len];
            let mut one = Simulator::<1>::new(model, &prepared, &layout);
            for (i, row) in alone.chunks_exact_mut(len).enumerate() {
                one.run(17, [reps[i]], [&values[i]], row);
            }
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&best),
                bits(&alone),
                "model {v}: four lanes against one"
            );
            assert_eq!(bits(&portable), bits(&alone), "model {v}: portable build");
            // The lanes are different replications, not copies.
            assert_ne!(best[..len], best[len..2 * len], "model {v}");
        }
    }
}
