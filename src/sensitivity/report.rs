//! The result of a sensitivity analysis: what `sensitivity.json` holds.
//!
//! Self-describing, so that tables, charts and a report section can be made
//! from the file alone: every output carries its labels (Dutch and English)
//! and unit, every input its path, distribution and the values it was moved
//! to, and every table its output's key. Rows are sorted, most influential
//! first. The schema is documented in `docs/sensitivity.md`.

use serde::{Deserialize, Serialize};

/// Version of the `sensitivity.json` schema; raised on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a sensitivity analysis produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub scenario: ScenarioRef,
    pub settings: Settings,
    /// Replications simulated per method, to judge the cost of a rerun.
    pub model_runs: ModelRuns,
    pub outputs: Vec<OutputInfo>,
    /// The inputs analysed (parameters given as a distribution).
    pub parameters: Vec<ParameterInfo>,
    /// Groups of parameters analysed as one input: the user's groups and the
    /// correlation groups of the scenario.
    pub groups: Vec<GroupInfo>,
    pub independence: Independence,
    /// One table per output (empty when the method did not run).
    pub tornado: Vec<TornadoTable>,
    pub sobol: Vec<SobolTable>,
    pub morris: Vec<MorrisTable>,
    pub rank: Vec<RankTable>,
    pub warnings: Vec<String>,
}

/// The program that made the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The scenario and variant analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRef {
    pub name: String,
    pub file: Option<String>,
    /// The variant whose outputs are analysed.
    pub variant: String,
    /// The scenario's baseline (for `saving:` outputs).
    pub baseline: String,
    pub seed: u64,
    pub start_year: i32,
    pub horizon_years: u32,
    pub years: Vec<i32>,
}

/// How the analysis was run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// `tornado`, `sobol`, `morris`, `rank`: the methods that ran.
    pub methods: Vec<String>,
    /// Base sample N of the Sobol design.
    pub samples: usize,
    /// Replications of process randomness averaged per model evaluation
    /// (replications 0..R at every point: common random numbers).
    pub process_reps: u32,
    pub bootstrap: usize,
    /// Coverage of the Sobol intervals (0.95 for 95 %).
    pub confidence: f64,
    /// The quantiles a tornado moves each input to (0.1 and 0.9).
    pub tornado_low: f64,
    pub tornado_high: f64,
    pub morris_trajectories: usize,
    pub morris_levels: usize,
    /// The quantiles the Morris grid spans (0.01 to 0.99).
    pub morris_span: [f64; 2],
    /// Replications of the plain Monte Carlo run behind the rank correlations.
    pub rank_replications: u32,
}

/// Replications simulated (a model evaluation of R process replications of
/// M variants counts R·M).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelRuns {
    pub tornado: u64,
    pub sobol: u64,
    pub morris: u64,
    pub rank: u64,
    pub total: u64,
}

/// The unit of an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputUnit {
    Euro,
    Count,
    Probability,
}

/// One output analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputInfo {
    /// As given to `--output`: `p_overrun`, `total_cost`, a metric key such as
    /// `spend.jeugdhulp`, or `saving:<variant>`.
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
    pub unit: OutputUnit,
    /// The variant whose output it is (for a saving: the variant compared).
    pub variant: String,
    /// For a saving: the baseline it is compared with (saving = baseline's
    /// total cost minus the variant's, positive when the variant saves).
    pub baseline: Option<String>,
    /// The output with every parameter at its median.
    pub at_median: f64,
}

/// One input parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterInfo {
    pub path: String,
    /// The distribution as written, e.g. `pert(min 500, mode 760, max 1300)`.
    pub distribution: String,
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    pub source: Option<String>,
    /// Line in the scenario file (0: a default).
    pub line: usize,
    /// The correlation group it belongs to, if any.
    pub correlation_group: Option<String>,
}

/// What an input of a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// One parameter.
    Parameter,
    /// A correlation group of the scenario, sampled jointly.
    Correlated,
    /// A group given with `--group` or `--group-by-prefix`.
    Group,
}

/// A group of parameters analysed as one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub name: String,
    pub kind: InputKind,
    /// Parameter paths.
    pub members: Vec<String>,
}

/// Whether the Sobol indices' assumption of independent inputs holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Independence {
    /// True when no two analysed parameters are correlated.
    pub independent: bool,
    /// The correlation groups among the analysed parameters (each reported
    /// as one input in the Sobol table).
    pub correlated_groups: Vec<String>,
    pub warning: Option<String>,
}

/// The tornado of one output, largest swing first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoTable {
    pub output: String,
    /// The output with every parameter at its median.
    pub base: f64,
    pub rows: Vec<TornadoRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoRow {
    pub input: String,
    pub kind: InputKind,
    /// The parameter's value at its P10 and P90 (none for a group).
    pub input_low: Option<f64>,
    pub input_high: Option<f64>,
    /// The output with the input at its P10 and at its P90.
    pub output_low: f64,
    pub output_high: f64,
    /// `|output_high − output_low|`.
    pub swing: f64,
    pub rank_correlation: Option<f64>,
}

/// Sobol indices for one output, largest total index first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolTable {
    pub output: String,
    /// Mean and variance of the output over the design's A and B samples.
    pub mean: f64,
    pub variance: f64,
    /// Variance of one replication's output at the median point divided by
    /// R, as a share of `variance`: how much of what is explained is process
    /// noise left over after averaging (small is good).
    pub noise_share: Option<f64>,
    pub rows: Vec<SobolRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolRow {
    pub input: String,
    pub kind: InputKind,
    pub members: Vec<String>,
    pub first_order: f64,
    pub first_order_low: f64,
    pub first_order_high: f64,
    pub total: f64,
    pub total_low: f64,
    pub total_high: f64,
    pub rank_correlation: Option<f64>,
}

/// Morris elementary effects for one output, largest mu* first. Effects are
/// in output units per move across the Morris span (P1 to P99).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MorrisTable {
    pub output: String,
    pub rows: Vec<MorrisRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MorrisRow {
    pub input: String,
    pub kind: InputKind,
    pub mu_star: f64,
    pub mu: f64,
    pub sigma: f64,
    pub rank_correlation: Option<f64>,
}

/// Spearman rank correlations of each parameter with one output over a
/// plain Monte Carlo run, strongest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankTable {
    pub output: String,
    pub rows: Vec<RankRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankRow {
    pub input: String,
    pub spearman: f64,
}
