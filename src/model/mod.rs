//! The validated scenario model: the types the engine runs on.
//!
//! A [`Model`] can only be built by the scenario parser, which checks every
//! range and cross-reference, so the engine trusts it.
//! Every number that a scenario may make uncertain is a [`Param`]: a handle
//! into the model's [`ParamTable`], resolved to a value once per replication.

pub mod municipality;

use crate::copula::CorrelationMatrix;
use crate::dist::Dist;

/// Handle of one scalar parameter in a [`ParamTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Param(pub u32);

impl Param {
    /// Index into a parameter vector.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// One scalar parameter: where it lives in the scenario, how it is distributed
/// and where its value comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpec {
    /// Dotted path, also the key a variant uses to override it,
    /// e.g. `stream.jeugdhulp.level.zwaar.cost_per_month`.
    pub path: String,
    pub dist: Dist,
    /// Free text naming the source of the value (shown in the report).
    pub source: Option<String>,
    /// 1-based line in the scenario file where the value was given (0: default).
    pub line: usize,
    /// The path whose random stream this parameter draws from, when not its
    /// own: a default that copies another parameter (`budget_before` copies
    /// the base's `budget`) draws the same value as the parameter it copies.
    pub draw_path: Option<String>,
}

impl ParamSpec {
    /// The key of the random stream of this parameter.
    pub fn draw_key(&self) -> &str {
        self.draw_path.as_deref().unwrap_or(&self.path)
    }
}

/// All parameters of one model, in the order they were registered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamTable {
    pub specs: Vec<ParamSpec>,
}

impl ParamTable {
    /// Registers a parameter and returns its handle.
    pub fn push(&mut self, spec: ParamSpec) -> Param {
        let id = u32::try_from(self.specs.len()).expect("fewer than 2^32 parameters");
        self.specs.push(spec);
        Param(id)
    }

    pub fn len(&self) -> usize {
        self.specs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    pub fn get(&self, p: Param) -> &ParamSpec {
        &self.specs[p.idx()]
    }

    /// Looks a parameter up by its dotted path.
    pub fn find(&self, path: &str) -> Option<Param> {
        self.specs
            .iter()
            .position(|s| s.path == path)
            .map(|i| Param(i as u32))
    }

    /// The parameters that are not fixed.
    pub fn uncertain(&self) -> impl Iterator<Item = Param> + '_ {
        self.specs
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.dist.is_fixed())
            .map(|(i, _)| Param(i as u32))
    }
}

/// Named parameters whose draws are correlated through a Gaussian copula.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationGroup {
    pub params: Vec<Param>,
    pub matrix: CorrelationMatrix,
}

/// A household type (*huishoudtype*) with its own risk profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    pub name: String,
    pub label: String,
    /// Number of households at the start.
    pub households: Param,
    /// Yearly growth rate of the number of households (0.01 = +1 % a year).
    pub growth: Param,
}

/// Who pays for care at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// The wijkteam itself (light support, *basis*): outside the ceiling.
    Team,
    /// The stream's budget line: counts against the ceiling.
    Stream,
}

/// One rung of a stream's care ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub name: String,
    pub label: String,
    pub paid_by: Payer,
    /// Cost per client-month in the first year, in euros.
    pub cost_per_month: Param,
    /// Mean time in care at this level, in months (>= 1); the monthly
    /// outflow probability is its inverse.
    pub mean_duration_months: Param,
    /// Monthly probability that a client who stays in care moves up one
    /// level. Ignored (must be 0) on the top level.
    pub escalation: Param,
}

/// Raised risk of returning after leaving care.
#[derive(Debug, Clone, PartialEq)]
pub struct Relapse {
    /// Monthly probability that a recent leaver returns.
    pub rate: Param,
    /// Mean time a leaver carries the raised risk, in months (>= 1).
    pub window_months: Param,
}

/// The effects of prevention spending on one stream. Each effect is its
/// maximum, reached at full saturation and after the ramp-up.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamPrevention {
    /// Share of the prevention budget spent on this stream.
    pub share: Param,
    /// Spend per household per year (euros) at which 63 % of the maximum
    /// effect is reached: `effect = max * (1 - exp(-spend / saturation))`.
    pub saturation: Param,
    /// Maximum relative rise in detected incidence (case-finding), >= 0.
    pub case_finding: Param,
    /// Maximum share of the non-early entries that early signalling moves
    /// to the lowest level, in [0, 1].
    pub early_signal: Param,
    /// Maximum relative fall in escalation rates, in [0, 1].
    pub escalation: Param,
    /// Maximum relative fall in relapse through aftercare, in [0, 1].
    pub relapse: Param,
}

/// A budget line (*geldstroom*) with its care ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub name: String,
    pub label: String,
    /// New needs per household per year, before stratum multipliers and
    /// prevention.
    pub incidence: Param,
    /// Share of new needs caught early, entering at the lowest level.
    pub early_signal_share: Param,
    /// Risk multiplier per stratum, in the order of [`Model::strata`].
    pub risk: Vec<Param>,
    /// Yearly rise of the cost per client-month (tariff indexation).
    pub price_index: Param,
    pub relapse: Relapse,
    /// Ordered levels of intensity, lowest first (at least one).
    /// Entries caught early enter at level 0, others at level
    /// `min(1, levels.len() - 1)`.
    pub levels: Vec<Level>,
    pub prevention: StreamPrevention,
}

impl Stream {
    /// The level at which needs not caught early enter.
    pub fn regular_entry_level(&self) -> usize {
        1.min(self.levels.len() - 1)
    }
}

/// The yearly prevention budget (outreach, early signalling, aftercare).
#[derive(Debug, Clone, PartialEq)]
pub struct Prevention {
    /// Prevention spend per year in euros, before reinvested surpluses.
    pub budget: Param,
    /// Spend per year already in place before the start: the effect starts
    /// from this level and follows changes with the ramp-up lag.
    pub budget_before: Param,
    /// Time constant (months) with which the effect follows the spend.
    pub ramp_up_months: Param,
}

/// Pooled or siloed ceiling.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetMode {
    /// One ceiling for all streams.
    Pooled,
    /// A share of the ceiling per stream, in the order of [`Model::streams`];
    /// one stream's surplus cannot cover another's overrun.
    Siloed { shares: Vec<Param> },
}

/// What happens when money runs out.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Care is given, the deficit is recorded.
    Overspend,
    /// New admissions to stream-paid levels wait for room in the budget.
    Waitlist {
        /// Multiplier on the escalation rate while waiting (>= 1).
        wait_escalation_factor: Param,
    },
}

/// The ceiling and what happens around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Ceiling in the first year, in euros.
    pub ceiling: Param,
    /// Yearly indexation of the ceiling.
    pub indexation: Param,
    pub mode: BudgetMode,
    pub policy: Policy,
    /// Reserve balance at the start, in euros.
    pub reserve_initial: Param,
    /// Maximum reserve balance, in euros.
    pub reserve_cap: Param,
    /// Share of a year's surplus added to next year's prevention budget.
    pub reinvest_share: Param,
}

/// One fully validated scenario (the base, or a variant merged over it).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Name of the variant (the base's name is `meta.baseline`).
    pub variant: String,
    pub description: String,
    pub start_year: i32,
    pub horizon_years: u32,
    pub parameter_uncertainty: bool,
    pub process_uncertainty: bool,
    pub strata: Vec<Stratum>,
    pub streams: Vec<Stream>,
    pub prevention: Prevention,
    pub budget: Budget,
    pub params: ParamTable,
    pub correlations: Vec<CorrelationGroup>,
}

impl Model {
    pub fn months(&self) -> usize {
        self.horizon_years as usize * 12
    }
}

/// A whole scenario file: the shared settings and its variants, the first
/// being the baseline against which the others are compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub replications: u32,
    pub seed: u64,
    /// Variants in file order; `variants[0]` is the base (baseline).
    pub variants: Vec<Model>,
}
