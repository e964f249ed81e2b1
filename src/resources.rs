//! What a run will cost before it starts: memory and work, from the
//! resolved inputs, and the refusal of runs that would not fit.
//!
//! This sits above the engine and the results: the engine knows its own
//! draws and buffers ([`engine::estimate`]), the [`results::Collector`]
//! knows what it keeps (statistics exact up to [`stats::EXACT_LIMIT`]
//! replications, the first [`results::KEEP_LIMIT`] replications whole); a
//! run needs both.

use crate::engine;
use crate::metrics::Layout;
use crate::model::Model;
use crate::{results, stats};

/// What a run will take, in memory and work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Footprint {
    /// Bytes held at the peak: the engine's blocks and the collector's
    /// statistics and kept replications.
    pub bytes: f64,
    /// Binomial draws the run will make, roughly.
    pub draws: f64,
}

/// Largest memory a run may hold.
pub const MAX_BYTES: f64 = 8.0 * (1u64 << 30) as f64;

/// The memory and work a run of `replications` of these models takes, as
/// [`crate::run`] collects it: statistics, not rows.
pub fn run_footprint(models: &[&Model], replications: u32) -> Footprint {
    let work = engine::estimate(models, replications);
    let reps = f64::from(replications);
    let collected: f64 = models
        .iter()
        .map(|m| {
            let width = Layout::of(m).width() as f64;
            let years = f64::from(m.horizon_years);
            // Statistics per (year or horizon, column): exact values up to a
            // limit, a sketch of comparable size beyond; the kept replications.
            let per_stat = reps.min(stats::EXACT_LIMIT as f64) * 8.0;
            let kept = reps.min(results::KEEP_LIMIT as f64)
                * (results::KEPT_COLUMNS.len() + m.params.len()) as f64
                * 8.0;
            (years + 1.0) * width * per_stat + kept
        })
        .sum();
    Footprint {
        bytes: work.bytes + collected,
        draws: work.draws,
    }
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
pub fn check_run(models: &[&Model], replications: u32) -> Result<Footprint, SizeError> {
    let e = run_footprint(models, replications);
    let per_rep = |x: f64| (x / f64::from(replications.max(1))).max(1e-9);
    if e.bytes > MAX_BYTES {
        return Err(SizeError::Memory {
            gib: e.bytes / (1u64 << 30) as f64,
            limit: MAX_BYTES / (1u64 << 30) as f64,
            max_reps: (MAX_BYTES / per_rep(e.bytes)) as u64,
        });
    }
    if e.draws > engine::MAX_DRAWS {
        return Err(SizeError::Time {
            draws: e.draws,
            max_reps: (engine::MAX_DRAWS / per_rep(e.draws)) as u64,
        });
    }
    Ok(e)
}
