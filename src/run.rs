//! The library's entry point: from a validated scenario to its results in
//! one call ([`run`]), with every choice that shapes the numbers (seed,
//! replications, variants, threads) taken from [`RunOptions`] alone, so
//! that `summary.json` records what ran.

use crate::engine::{self, Progress, RunConfig};
use crate::model::{Model, Scenario};
use crate::resources::{self, SizeError};
use crate::results::{Collector, Kept, Summary};

/// Most worker threads a run may ask for: more only costs start-up time.
pub const MAX_THREADS: usize = 256;

/// How to run a scenario. [`RunOptions::new`] takes the scenario's own
/// `meta.seed` and `meta.replications`; every field may then be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// The seed of every random stream; the same seed gives the same results.
    pub seed: u64,
    /// Replications of every variant (at least 1).
    pub replications: u32,
    /// The variants to run by name, in that order, the first being the
    /// baseline; empty runs all in file order.
    pub variants: Vec<String>,
    /// Worker threads (1 to [`MAX_THREADS`]); `None` uses the global pool
    /// (all cores unless the caller set it up otherwise). Results never
    /// depend on it.
    pub threads: Option<usize>,
    /// The scenario's file name, recorded in `summary.json`.
    pub file: Option<String>,
}

impl RunOptions {
    /// The scenario's own seed and replications, all variants, all cores.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            seed: scenario.seed,
            replications: scenario.replications,
            variants: Vec::new(),
            threads: None,
            file: None,
        }
    }
}

/// What a run produced: the summary behind `summary.json` and every other
/// output, and the first replications of each variant kept whole (for
/// `replications.csv`).
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub summary: Summary,
    pub kept: Vec<Kept>,
}

/// Why a run did not start. Nothing was simulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error("no variant named '{name}'; the scenario has: {known}")]
    UnknownVariant { name: String, known: String },
    #[error("variant '{0}' is named twice; name each variant once")]
    DuplicateVariant(String),
    #[error("the number of replications must be at least 1")]
    NoReplications,
    #[error("{0} worker threads asked for; use 1 to {MAX_THREADS}")]
    Threads(usize),
    #[error("cannot start the worker threads: {0}")]
    ThreadPool(String),
    #[error(transparent)]
    TooLarge(#[from] SizeError),
}

/// Simulates the scenario's variants (all, or those the options name) on
/// common random numbers and summarises them.
///
/// The work and memory are estimated first and a run that would not fit is
/// refused ([`RunError::TooLarge`]) before anything is simulated. Progress
/// is reported in replications (of all variants together).
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunOutput, RunError> {
    let models = select_variants(scenario, &options.variants)?;
    if options.replications == 0 {
        return Err(RunError::NoReplications);
    }
    resources::check_run(&models, options.replications)?;
    with_threads(options.threads, || {
        let cfg = RunConfig {
            replications: options.replications,
            seed: options.seed,
        };
        let mut collector =
            Collector::new(scenario, &models, options.seed, options.file.as_deref());
        engine::simulate_variants(&models, &cfg, progress, |block| collector.push_block(block));
        let (summary, kept) = collector.finish();
        RunOutput { summary, kept }
    })
}

/// The variants to run: all, or those named (in the order named).
pub fn select_variants<'a>(
    scenario: &'a Scenario,
    names: &[String],
) -> Result<Vec<&'a Model>, RunError> {
    if names.is_empty() {
        return Ok(scenario.variants.iter().collect());
    }
    let mut models: Vec<&Model> = Vec::with_capacity(names.len());
    for name in names {
        let Some(m) = scenario.variants.iter().find(|v| &v.variant == name) else {
            let known: Vec<&str> = scenario
                .variants
                .iter()
                .map(|v| v.variant.as_str())
                .collect();
            return Err(RunError::UnknownVariant {
                name: name.clone(),
                known: known.join(", "),
            });
        };
        if models.iter().any(|v| v.variant == m.variant) {
            return Err(RunError::DuplicateVariant(name.clone()));
        }
        models.push(m);
    }
    Ok(models)
}

/// Runs `work` on `threads` worker threads (a pool of its own), or on the
/// global pool when `None`.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, RunError> {
    let Some(n) = threads else {
        return Ok(work());
    };
    if !(1..=MAX_THREADS).contains(&n) {
        return Err(RunError::Threads(n));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| RunError::ThreadPool(e.to_string()))?;
    Ok(pool.install(work))
}
