//! The rates of a replication: its parameter values resolved into monthly
//! rates once ([`Rates`]), and the rates of several replications side by
//! side for the lanes of the monthly loop ([`LaneRates`]).

use crate::model::{BudgetMode, Model, Payer, Policy};
use crate::simd::{F, Real};

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
        Effects::of(
            spend,
            self.prev_saturation[k],
            self.early_share[k],
            [
                self.prev_case_finding[k],
                self.prev_early[k],
                self.prev_escalation[k],
                self.prev_relapse[k],
            ],
        )
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

/// Prevention effects on one stream in one month (of one replication, or of
/// lanes of them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects<T = f64> {
    pub case_finding: T,
    pub early_share: T,
    pub escalation: T,
    pub relapse: T,
}

impl<T: Real> Effects<T> {
    /// The effects at an effective spend per household of `spend`, for a
    /// stream with this saturation and early-signal share and these maximum
    /// effects (case-finding, early signal, escalation, relapse): the
    /// saturating curve 1 − e^(−spend/saturation) times each maximum.
    #[inline(always)]
    pub fn of(spend: T, saturation: T, early: T, max: [T; 4]) -> Self {
        let [case_finding, early_signal, escalation, relapse] = max;
        let f = T::splat(1.0) - (-spend / saturation).exp();
        Effects {
            case_finding: case_finding * f,
            early_share: (early + (T::splat(1.0) - early) * early_signal * f).clamp01(),
            escalation: (T::splat(1.0) - escalation * f).clamp01(),
            relapse: (T::splat(1.0) - relapse * f).clamp01(),
        }
    }
}

/// Expected new needs per month from expected needs per year (before
/// prevention), given the case-finding effect: the one formula for a
/// household and for a stream's sum over strata.
#[inline(always)]
pub(super) fn needs_per_month<T: Real>(per_year: T, case_finding: T) -> T {
    per_year * (case_finding + 1.0) / 12.0
}

/// The rates of `N` replications of one model, lane `i` from the
/// [`Rates`] of replication `i`: what the monthly loop reads. The model's
/// structure (streams, levels, pools, who pays) is the same in every lane.
#[derive(Debug, Clone, Default)]
pub(super) struct LaneRates<const N: usize> {
    pub n_strata: usize,
    pub n_streams: usize,
    pub lvl_off: Vec<usize>,
    pub n_lvl: Vec<usize>,
    pub entry: Vec<usize>,
    pub stream_paid: Vec<bool>,
    pub pool_of: Vec<usize>,
    pub waitlist: bool,
    pub growth_factor: Vec<F<N>>,
    pub incidence: Vec<F<N>>,
    pub early_share: Vec<F<N>>,
    pub price_factor: Vec<F<N>>,
    pub relapse: Vec<F<N>>,
    pub relapse_exit: Vec<F<N>>,
    pub cost: Vec<F<N>>,
    pub outflow: Vec<F<N>>,
    pub escalation: Vec<F<N>>,
    pub prev_share: Vec<F<N>>,
    pub prev_saturation: Vec<F<N>>,
    pub prev_case_finding: Vec<F<N>>,
    pub prev_early: Vec<F<N>>,
    pub prev_escalation: Vec<F<N>>,
    pub prev_relapse: Vec<F<N>>,
    pub pool_share: Vec<F<N>>,
    pub prev_budget: F<N>,
    pub prev_before: F<N>,
    pub prev_alpha: F<N>,
    pub reserve0: F<N>,
    pub ceiling: F<N>,
    pub wait_factor: F<N>,
}

impl<const N: usize> LaneRates<N> {
    /// Lane `i` from `lanes[i]`, reusing the buffers.
    pub fn gather(&mut self, lanes: &[Rates; N]) {
        let first = &lanes[0];
        self.n_strata = first.n_strata;
        self.n_streams = first.n_streams;
        for (to, from) in [
            (&mut self.lvl_off, &first.lvl_off),
            (&mut self.n_lvl, &first.n_lvl),
            (&mut self.entry, &first.entry),
            (&mut self.pool_of, &first.pool_of),
        ] {
            to.clone_from(from);
        }
        self.stream_paid.clone_from(&first.stream_paid);
        self.waitlist = first.waitlist.is_some();
        macro_rules! lists {
            ($($field:ident),*) => {$(
                self.$field.clear();
                self.$field.resize(first.$field.len(), F::splat(0.0));
                for (i, r) in lanes.iter().enumerate() {
                    for (to, &x) in self.$field.iter_mut().zip(&r.$field) {
                        to.set(i, x);
                    }
                }
            )*};
        }
        lists!(
            growth_factor,
            incidence,
            early_share,
            price_factor,
            relapse,
            relapse_exit,
            cost,
            outflow,
            escalation,
            prev_share,
            prev_saturation,
            prev_case_finding,
            prev_early,
            prev_escalation,
            prev_relapse,
            pool_share
        );
        let lane = |f: &dyn Fn(&Rates) -> f64| F(std::array::from_fn(|i| f(&lanes[i])));
        self.prev_budget = lane(&|r| r.prev_budget);
        self.prev_before = lane(&|r| r.prev_before);
        self.prev_alpha = lane(&|r| r.prev_alpha);
        self.reserve0 = lane(&|r| r.reserve0);
        self.ceiling = lane(&|r| r.ceiling);
        self.wait_factor = lane(&|r| r.waitlist.unwrap_or(0.0));
    }

    /// The prevention effects of stream `k` in every lane (see
    /// [`Rates::effects`]).
    #[inline(always)]
    pub fn effects(&self, k: usize, spend: F<N>) -> Effects<F<N>> {
        Effects::of(
            spend,
            self.prev_saturation[k],
            self.early_share[k],
            [
                self.prev_case_finding[k],
                self.prev_early[k],
                self.prev_escalation[k],
                self.prev_relapse[k],
            ],
        )
    }
}
