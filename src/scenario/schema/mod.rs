//! The scenario schema: which sections and keys a scenario file has, and
//! how each is read into the validated [`Model`] with its domain and
//! default. A section first reports the keys it does not know, then reads
//! its keys one by one, in the order of the scenario format (which is the
//! order in which parameters are registered). The sections: the model's
//! `uncertainty` and `[meta]` here, strata and streams in `streams`,
//! prevention and budget in `budget`, correlation groups in `correlations`.

mod budget;
mod correlations;
mod streams;

pub(crate) use correlations::resolve_groups;

use crate::model::{Model, ParamSpec};

use super::param::Builder;
use super::tree::Table;
use super::walk::{MAX_NAME_CHARS, MAX_TEXT_CHARS, Obj};

/// Most strata (household types) a scenario may have.
pub const MAX_STRATA: usize = 32;
/// Most streams (budget lines) a scenario may have.
pub const MAX_STREAMS: usize = 32;
/// Most levels of one stream's care ladder.
pub const MAX_LEVELS: usize = 8;

/// Keys of the top level of a scenario.
pub(crate) const ROOT_KEYS: &[&str] = &[
    "meta",
    "uncertainty",
    "stratum",
    "stream",
    "prevention",
    "budget",
    "correlation",
    "variant",
];
const META_KEYS: &[&str] = &[
    "name",
    "description",
    "start_year",
    "horizon_years",
    "replications",
    "seed",
    "baseline",
];
const UNCERTAINTY_KEYS: &[&str] = &["parameters", "process"];

/// The settings of the base that every variant shares.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) start_year: i32,
    pub(crate) horizon_years: u32,
}

/// The scenario-wide settings from `[meta]`.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) shared: Shared,
    pub(crate) replications: u32,
    pub(crate) seed: u64,
    pub(crate) baseline: String,
}

impl Builder<'_, '_> {
    /// Reads the model sections of `root` (everything except `meta`,
    /// `correlation` and `variant`, which belong to the whole file).
    /// `base_budget` is the base's `prevention.budget`, the default of
    /// `budget_before` (`None` while reading the base itself).
    pub(crate) fn model(
        &mut self,
        root: &Table,
        variant: String,
        description: String,
        shared: &Shared,
        base_budget: Option<&ParamSpec>,
    ) -> Model {
        let root = Obj::new(root, 0, "");
        self.check_keys(&root, ROOT_KEYS);

        let (parameter_uncertainty, process_uncertainty) =
            match self.table(&root, "uncertainty", None) {
                Some(u) => {
                    self.check_keys(&u, UNCERTAINTY_KEYS);
                    (
                        self.boolean(&u, "parameters", true),
                        self.boolean(&u, "process", true),
                    )
                }
                None => (true, true),
            };

        let strata = self.strata(&root);
        let streams = self.streams(&root, &strata);
        let prevention = self.prevention(&root, base_budget);
        let budget = self.budget(&root, &streams);
        self.check_prevention_shares(&root, &streams, &prevention, &budget);

        Model {
            variant,
            description,
            start_year: shared.start_year,
            horizon_years: shared.horizon_years,
            parameter_uncertainty,
            process_uncertainty,
            strata,
            streams,
            prevention,
            budget,
            params: std::mem::take(&mut self.params),
            correlations: Vec::new(),
        }
    }

    /// Reads `[meta]`.
    pub(crate) fn meta(&mut self, root: &Table) -> Meta {
        let root = Obj::new(root, 0, "");
        let empty = Table::default();
        let m = self
            .table(
                &root,
                "meta",
                Some("the scenario's name and horizon: add a [meta] section"),
            )
            .unwrap_or_else(|| Obj::absent(&empty, 0, "meta"));
        self.check_keys(&m, META_KEYS);
        let name = self
            .text(
                &m,
                "name",
                Some("the scenario's name"),
                MAX_NAME_CHARS,
                false,
            )
            .unwrap_or_default();
        let description = self
            .text(&m, "description", None, MAX_TEXT_CHARS, true)
            .unwrap_or_default();
        let start_year = self.integer(&m, "start_year", 2000, 2100, Some(2027), "the first year");
        let horizon = self.integer(
            &m,
            "horizon_years",
            1,
            50,
            None,
            "the number of years simulated",
        );
        let replications = self.integer(
            &m,
            "replications",
            1,
            10_000_000,
            Some(1000),
            "the number of Monte Carlo replications",
        );
        let seed = self.integer(
            &m,
            "seed",
            0,
            i128::from(u64::MAX),
            Some(1),
            "the random seed",
        );
        let baseline = self
            .text(&m, "baseline", None, MAX_NAME_CHARS, false)
            .unwrap_or_else(|| "basis".to_string());
        Meta {
            name,
            description,
            shared: Shared {
                start_year: start_year
                    .and_then(|v| i32::try_from(v).ok())
                    .unwrap_or(2027),
                horizon_years: horizon.and_then(|v| u32::try_from(v).ok()).unwrap_or(1),
            },
            replications: replications
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(1000),
            seed: seed.and_then(|v| u64::try_from(v).ok()).unwrap_or(1),
            baseline,
        }
    }
}
