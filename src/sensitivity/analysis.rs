//! Sensitivity analysis of a scenario: the model-facing part.
//!
//! A [`Plan`] resolves what to analyse (variant, outputs, parameters, groups)
//! against a validated scenario, reporting every bad name at once with a
//! did-you-mean; [`Plan::run`] then runs the generic estimators on a function
//! of the unit hypercube that maps each coordinate to a parameter value
//! through the parameter's quantile function ([`crate::dist::Dist::quantile`]),
//! holds every other parameter at its median, runs R replications of process
//! randomness through [`crate::engine::Evaluator`] (the same replication
//! indices at every point: common random numbers) and averages the outputs.
//! Parameters with the same path get the same quantile in every variant
//! evaluated, so a `saving:` output is a paired difference.

use serde::Serialize;

use crate::copula::CorrelationMatrix;
use crate::dist::{std_normal_cdf, std_normal_quantile};
use crate::engine::{self, Evaluator, Progress, RunConfig};
use crate::metrics::{Layout, Unit, col};
use crate::model::{Model, Scenario};
use crate::scenario::did_you_mean;
use crate::stats::spearman;

use super::morris::{self, MorrisConfig};
use super::report::*;
use super::sobol::{self, SobolConfig};
use super::tornado;

/// The quantiles a tornado moves an input to.
pub const TORNADO_LOW: f64 = 0.1;
pub const TORNADO_HIGH: f64 = 0.9;
/// The quantiles the Morris grid spans.
pub const MORRIS_SPAN: [f64; 2] = [0.01, 0.99];
/// Largest number of replications an analysis may simulate (about a day on
/// two cores for a small wijk is far less; this guards against typos).
pub const MAX_REPLICATIONS: f64 = 2e9;
/// Largest memory the Sobol design may hold.
pub const MAX_DESIGN_BYTES: f64 = 2.0 * (1u64 << 30) as f64;
/// Replications of a point simulated together (a multiple of the engine's
/// lanes), so that an evaluation holds the year rows of this many only.
const SIM_GROUP: usize = 16 * engine::LANES;

/// Which methods to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Methods {
    pub tornado: bool,
    pub sobol: bool,
    pub morris: bool,
    pub rank: bool,
}

impl Methods {
    pub const ALL: Methods = Methods {
        tornado: true,
        sobol: true,
        morris: true,
        rank: true,
    };
}

/// What to analyse and how, as the user asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The variant whose outputs are analysed (default: the baseline).
    pub variant: Option<String>,
    /// Output keys (default: `p_overrun` and `total_cost`).
    pub outputs: Vec<String>,
    /// Parameter paths (default: every parameter given as a distribution).
    pub params: Vec<String>,
    /// Named groups: (name, glob over parameter paths; `*` any text, `?` one
    /// character).
    pub groups: Vec<(String, String)>,
    /// Also group parameters by their first `n` path segments
    /// (2: `stream.jeugdhulp`).
    pub group_by_prefix: Option<usize>,
    pub methods: Methods,
    pub samples: usize,
    pub process_reps: u32,
    pub bootstrap: usize,
    pub confidence: f64,
    pub morris_trajectories: usize,
    pub morris_levels: usize,
    pub rank_replications: u32,
    pub seed: u64,
}

impl Request {
    /// The defaults for a scenario: N = 256, R = 16, 20 Morris trajectories
    /// on 4 levels, 500 bootstrap resamples for 95 % intervals.
    pub fn defaults(scenario: &Scenario) -> Self {
        Self {
            variant: None,
            outputs: Vec::new(),
            params: Vec::new(),
            groups: Vec::new(),
            group_by_prefix: None,
            methods: Methods::ALL,
            samples: 256,
            process_reps: 16,
            bootstrap: 500,
            confidence: 0.95,
            morris_trajectories: 20,
            morris_levels: 4,
            rank_replications: scenario.replications,
            seed: scenario.seed,
        }
    }
}

/// Why a request cannot be analysed; each names what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    #[error(
        "this analysis would simulate {replications:.2e} replications (limit {limit:.0e}); use a smaller --samples, --process-reps or --trajectories"
    )]
    TooLarge { replications: f64, limit: f64 },
    #[error(
        "this analysis would make about {draws:.1e} random draws, more than a day of computing; use a smaller --samples, --process-reps or --trajectories"
    )]
    TooSlow { draws: f64 },
    #[error(
        "the Sobol design would hold {gib:.1} GiB in memory (limit {limit:.0} GiB); use a smaller --samples or fewer parameters"
    )]
    TooMuchMemory { gib: f64, limit: f64 },
}

/// How an output is computed from the horizon rows of the models evaluated.
#[derive(Debug, Clone, PartialEq)]
enum OutputRule {
    /// Mean of a horizon column of model `m` (P(overrun) is the mean of the
    /// any-year overrun indicator).
    Column { model: usize, col: usize },
    /// Total cost of model `base` minus that of model `variant`.
    Saving { variant: usize, base: usize },
}

#[derive(Debug, Clone, PartialEq)]
struct Output {
    info: OutputInfo,
    rule: OutputRule,
}

/// One input: a parameter path and where it sits in each model's table.
#[derive(Debug, Clone, PartialEq)]
struct Input {
    path: String,
    /// (model, parameter index) of every parameter drawn from this path.
    bindings: Vec<(usize, usize)>,
    info: ParameterInfo,
}

/// Parameters analysed as one input.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    name: String,
    kind: InputKind,
    members: Vec<usize>,
}

/// A correlation group among the inputs: its members and their copula.
#[derive(Debug, Clone)]
struct Copula {
    members: Vec<usize>,
    matrix: CorrelationMatrix,
}

/// Number of evaluations (points) and replications each method will cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub tornado_points: u64,
    pub sobol_points: u64,
    pub morris_points: u64,
    /// Replications per point (R × variants evaluated).
    pub reps_per_point: u64,
    pub rank_replications: u64,
}

impl Cost {
    /// Replications simulated in all, with the one evaluation at the median
    /// point that every analysis makes.
    pub fn replications(&self) -> u64 {
        (self.tornado_points + self.sobol_points + self.morris_points + 1)
            .saturating_mul(self.reps_per_point)
            .saturating_add(self.rank_replications)
    }
}

/// A validated analysis, ready to run.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    scenario: &'a Scenario,
    file: Option<String>,
    request: Request,
    /// Models evaluated at every point; `models[0]` is the variant analysed.
    models: Vec<&'a Model>,
    outputs: Vec<Output>,
    inputs: Vec<Input>,
    /// Sobol inputs: the independent parameters and the correlated groups.
    partition: Vec<Block>,
    copulas: Vec<Copula>,
    /// The user's groups (`--group`, `--group-by-prefix`).
    groups: Vec<Block>,
    process_reps: u32,
    warnings: Vec<String>,
}

impl<'a> Plan<'a> {
    /// Resolves `request` against `scenario`; every bad name is reported.
    pub fn new(
        scenario: &'a Scenario,
        file: Option<&str>,
        request: &Request,
    ) -> Result<Self, PlanError> {
        if scenario.variants.is_empty() {
            return Err(PlanError::Invalid(vec![
                "the scenario has no variant to analyse".into(),
            ]));
        }
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let names: Vec<&str> = scenario
            .variants
            .iter()
            .map(|m| m.variant.as_str())
            .collect();
        let analysed = match &request.variant {
            None => 0,
            Some(v) => match variant_index(scenario, v) {
                Some(i) => i,
                None => {
                    errors.push(unknown("variant", v, &names));
                    0
                }
            },
        };
        let mut models: Vec<&Model> = vec![&scenario.variants[analysed]];
        let outputs = resolve_outputs(scenario, request, &mut models, &mut errors);

        let (candidates, fixed) = candidate_params(&models);
        let mut bad_param = false;
        let selected = select_params(request, &candidates, &fixed, &mut errors, &mut bad_param);
        if selected.is_empty() && errors.is_empty() {
            errors.push(format!(
                "the variant `{}` has no parameter given as a distribution, so there is nothing to analyse; write an uncertain number as e.g. {{ dist = \"pert\", min = 1, mode = 2, max = 3 }}",
                models[0].variant
            ));
        }
        let mut inputs: Vec<Input> = selected
            .iter()
            .map(|path| input_of(path, &models))
            .collect();
        let (copulas, partition) = correlation_blocks(&models, &mut inputs, &mut warnings);
        let groups = user_groups(request, &inputs, &mut errors, &mut bad_param);

        if bad_param {
            errors.push(format!(
                "parameters that can be analysed (given as a distribution): {}",
                quoted(&candidates)
            ));
        }
        if let Some(valid_outputs) = outputs.invalid {
            errors.push(format!("valid outputs: {}", quoted(&valid_outputs)));
        }
        if request.samples < 2 {
            errors.push(format!("--samples {}: must be at least 2", request.samples));
        }
        if !errors.is_empty() {
            return Err(PlanError::Invalid(errors));
        }
        let process = models.iter().any(|m| m.process_uncertainty);
        let process_reps = if process {
            request.process_reps.max(1)
        } else {
            if request.process_reps > 1 {
                warnings.push(
                    "process uncertainty is off in the scenario: every model evaluation is one replication"
                        .into(),
                );
            }
            1
        };
        let plan = Plan {
            scenario,
            file: file.map(str::to_string),
            request: request.clone(),
            models,
            outputs: outputs.valid,
            inputs,
            partition,
            copulas,
            groups,
            process_reps,
            warnings,
        };
        plan.check_size()?;
        Ok(plan)
    }

    /// The Sobol inputs: the partition, then the user's groups widened to
    /// whole correlation groups.
    fn sobol_blocks(&self) -> Vec<Block> {
        let mut blocks = self.partition.clone();
        for g in &self.groups {
            let mut members: Vec<usize> = Vec::new();
            for b in &self.partition {
                if b.members.iter().any(|m| g.members.contains(m)) {
                    members.extend(&b.members);
                }
            }
            members.sort_unstable();
            blocks.push(Block {
                name: g.name.clone(),
                kind: InputKind::Group,
                members,
            });
        }
        blocks
    }

    /// The tornado's inputs: every parameter, every correlation group and
    /// every user group.
    fn tornado_blocks(&self) -> Vec<Block> {
        let mut blocks: Vec<Block> = self
            .inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| Block {
                name: inp.path.clone(),
                kind: InputKind::Parameter,
                members: vec![i],
            })
            .collect();
        blocks.extend(
            self.partition
                .iter()
                .filter(|b| b.kind == InputKind::Correlated)
                .cloned(),
        );
        blocks.extend(self.groups.iter().cloned());
        blocks
    }

    /// What the analysis will cost.
    pub fn cost(&self) -> Cost {
        let m = &self.request.methods;
        let d = self.inputs.len();
        let reps_per_point = u64::from(self.process_reps) * self.models.len() as u64;
        Cost {
            tornado_points: if m.tornado {
                tornado::runs_needed(self.tornado_blocks().len()) as u64
            } else {
                0
            },
            sobol_points: if m.sobol {
                sobol::runs_needed(self.request.samples, self.sobol_blocks().len()) as u64
            } else {
                0
            },
            morris_points: if m.morris {
                morris::runs_needed(self.request.morris_trajectories, d) as u64
            } else {
                0
            },
            reps_per_point,
            rank_replications: if m.rank {
                u64::from(self.request.rank_replications) * self.models.len() as u64
            } else {
                0
            },
        }
    }

    /// Refuses analyses that cannot finish or fit in memory.
    fn check_size(&self) -> Result<(), PlanError> {
        let cost = self.cost();
        let points = (cost.tornado_points + cost.sobol_points + cost.morris_points) as f64;
        let reps = points * cost.reps_per_point as f64 + cost.rank_replications as f64;
        if reps > MAX_REPLICATIONS {
            return Err(PlanError::TooLarge {
                replications: reps,
                limit: MAX_REPLICATIONS,
            });
        }
        let per_rep: f64 = self
            .models
            .iter()
            .map(|m| engine::estimate(&[*m], 1).draws)
            .sum::<f64>()
            / self.models.len() as f64;
        if reps * per_rep > engine::MAX_DRAWS {
            return Err(PlanError::TooSlow {
                draws: reps * per_rep,
            });
        }
        if self.request.methods.sobol {
            let n = self.request.samples as f64;
            let blocks = self.sobol_blocks().len() as f64;
            let d = self.inputs.len() as f64;
            let k = self.outputs.len() as f64;
            let bytes = 8.0 * n * (3.0 * d + (blocks + 2.0) * (k + 1.0))
                + 8.0 * self.request.bootstrap as f64 * n;
            if bytes > MAX_DESIGN_BYTES {
                return Err(PlanError::TooMuchMemory {
                    gib: bytes / (1u64 << 30) as f64,
                    limit: MAX_DESIGN_BYTES / (1u64 << 30) as f64,
                });
            }
        }
        Ok(())
    }

    /// Warnings found while planning (shown before the run starts); the
    /// independence warning only when the Sobol indices are computed.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = self.warnings.clone();
        if self.request.methods.sobol
            && let Some(text) = self.independence().warning
        {
            w.push(text);
        }
        w
    }

    /// Number of parameters analysed.
    pub fn n_params(&self) -> usize {
        self.inputs.len()
    }

    /// The outputs' keys.
    pub fn output_keys(&self) -> Vec<String> {
        self.outputs.iter().map(|o| o.info.key.clone()).collect()
    }

    fn independence(&self) -> Independence {
        let correlated: Vec<String> = self
            .partition
            .iter()
            .filter(|b| b.kind == InputKind::Correlated)
            .map(|b| b.name.clone())
            .collect();
        let warning = (!correlated.is_empty()).then(|| {
            let parts: Vec<String> = self
                .partition
                .iter()
                .filter(|b| b.kind == InputKind::Correlated)
                .map(|b| {
                    let members: Vec<&str> =
                        b.members.iter().map(|&i| self.inputs[i].path.as_str()).collect();
                    format!("{} ({})", b.name, members.join(", "))
                })
                .collect();
            format!(
                "Sobol indices assume independent inputs, but the scenario correlates some of the analysed parameters: {}. Each correlation group is reported as one input, sampled jointly; its members get no indices of their own",
                parts.join("; ")
            )
        });
        Independence {
            independent: correlated.is_empty(),
            correlated_groups: correlated,
            warning,
        }
    }

    /// Writes the parameter values of point `u` (one coordinate per input)
    /// for every model into `values`: the inputs at their quantiles (after
    /// the copula of correlation groups when `copula`), all else at the median.
    fn values_at(&self, u: &[f64], copula: bool, values: &mut [Vec<f64>]) {
        for (m, v) in self.models.iter().zip(values.iter_mut()) {
            v.clear();
            v.extend(m.params.specs.iter().map(|s| s.dist.median()));
        }
        let mut q = u.to_vec();
        if copula {
            for c in &self.copulas {
                let z: Vec<f64> = c
                    .members
                    .iter()
                    .map(|&i| std_normal_quantile(u[i]))
                    .collect();
                let mut x = vec![0.0; z.len()];
                c.matrix.correlate(&z, &mut x);
                for (&i, xi) in c.members.iter().zip(x) {
                    q[i] = std_normal_cdf(xi).clamp(1e-15, 1.0 - 1e-15);
                }
            }
        }
        for (inp, &qi) in self.inputs.iter().zip(&q) {
            for &(m, p) in &inp.bindings {
                values[m][p] = self.models[m].params.specs[p].dist.quantile(qi);
            }
        }
    }

    /// The outputs of one replication from the horizon rows of each model.
    fn outputs_of(&self, horizon: &[Vec<f64>], out: &mut [f64]) {
        for (o, output) in out.iter_mut().zip(&self.outputs) {
            *o = match output.rule {
                OutputRule::Column { model, col } => horizon[model][col],
                OutputRule::Saving { variant, base } => {
                    horizon[base][col::TOTAL_COST] - horizon[variant][col::TOTAL_COST]
                }
            };
        }
    }

    /// Runs the analysis; `progress` advances by one per replication
    /// simulated ([`Plan::cost`] tells how many).
    pub fn run(&self, progress: &dyn Progress) -> Report {
        let points = Points {
            plan: self,
            evaluators: self.models.iter().map(|m| Evaluator::new(m)).collect(),
            progress,
        };
        let n_out = self.outputs.len();

        // The median point: every output's value and its process noise.
        let at_median_reps = points.replications_at(None, false);
        let noise: Vec<f64> = (0..n_out)
            .map(|o| {
                let xs: Vec<f64> = at_median_reps.iter().map(|r| r[o]).collect();
                crate::stats::mean_sd(&xs).1.powi(2) / xs.len().max(1) as f64
            })
            .collect();
        let at_median = mean_of(at_median_reps, n_out);
        let methods = self.request.methods;

        let rank = if methods.rank {
            self.rank(progress)
        } else {
            Vec::new()
        };
        let tornado = if methods.tornado {
            self.tornado_tables(&points, &rank)
        } else {
            Vec::new()
        };
        let sobol = if methods.sobol {
            self.sobol_tables(&points, &rank, &noise)
        } else {
            Vec::new()
        };
        let morris = if methods.morris {
            self.morris_tables(&points, &rank)
        } else {
            Vec::new()
        };

        let mut outputs: Vec<OutputInfo> = self.outputs.iter().map(|o| o.info.clone()).collect();
        for (o, v) in outputs.iter_mut().zip(&at_median) {
            o.at_median = *v;
        }
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            scenario: self.scenario_ref(),
            settings: self.settings(),
            model_runs: self.model_runs(),
            outputs,
            parameters: self.inputs.iter().map(|i| i.info.clone()).collect(),
            groups: self.group_infos(),
            independence: self.independence(),
            tornado,
            sobol,
            morris,
            rank,
            warnings: self.warnings(),
        }
    }

    /// The tornado of every output: swings from P10 to P90 of each
    /// parameter, correlation group and user group, the rest at the median.
    fn tornado_tables(&self, points: &Points<'_>, rank: &[RankTable]) -> Vec<TornadoTable> {
        let blocks = self.tornado_blocks();
        let members: Vec<Vec<usize>> = blocks.iter().map(|b| b.members.clone()).collect();
        let res = tornado::tornado(
            |u: &[f64]| points.mean_at(u, false),
            &vec![0.5; self.inputs.len()],
            &members,
            TORNADO_LOW,
            TORNADO_HIGH,
            self.outputs.len(),
        );
        res.iter()
            .enumerate()
            .map(|(o, t)| TornadoTable {
                output: self.outputs[o].info.key.clone(),
                base: t.base,
                rows: t
                    .order()
                    .into_iter()
                    .map(|b| {
                        let block = &blocks[b];
                        let single = (block.kind == InputKind::Parameter)
                            .then(|| &self.inputs[block.members[0]].info);
                        TornadoRow {
                            input: block.name.clone(),
                            kind: block.kind,
                            input_low: single.map(|p| p.p10),
                            input_high: single.map(|p| p.p90),
                            output_low: t.swings[b].at_low,
                            output_high: t.swings[b].at_high,
                            swing: t.swings[b].swing,
                            rank_correlation: single
                                .and_then(|_| rank_correlation(rank, o, &block.name)),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    /// The Sobol indices of every output, the correlation groups sampled
    /// jointly; `noise`: each output's process noise at the median point.
    fn sobol_tables(
        &self,
        points: &Points<'_>,
        rank: &[RankTable],
        noise: &[f64],
    ) -> Vec<SobolTable> {
        let blocks = self.sobol_blocks();
        let members: Vec<Vec<usize>> = blocks.iter().map(|b| b.members.clone()).collect();
        let cfg = SobolConfig {
            samples: self.request.samples,
            bootstrap: self.request.bootstrap,
            confidence: self.request.confidence,
            seed: self.request.seed,
        };
        let res = sobol::sobol_blocks(
            |u: &[f64]| points.mean_at(u, true),
            self.inputs.len(),
            &members,
            self.outputs.len(),
            &cfg,
        );
        res.iter()
            .enumerate()
            .map(|(o, t)| {
                let mut rows: Vec<SobolRow> = blocks
                    .iter()
                    .zip(&t.indices)
                    .map(|(b, s)| SobolRow {
                        input: b.name.clone(),
                        kind: b.kind,
                        members: b
                            .members
                            .iter()
                            .map(|&i| self.inputs[i].path.clone())
                            .collect(),
                        first_order: s.first_order,
                        first_order_low: s.first_order_low,
                        first_order_high: s.first_order_high,
                        total: s.total,
                        total_low: s.total_low,
                        total_high: s.total_high,
                        rank_correlation: if b.kind == InputKind::Parameter {
                            rank_correlation(rank, o, &b.name)
                        } else {
                            None
                        },
                    })
                    .collect();
                rows.sort_by(|a, b| b.total.total_cmp(&a.total));
                SobolTable {
                    output: self.outputs[o].info.key.clone(),
                    mean: t.mean,
                    variance: t.variance,
                    noise_share: (t.variance > 0.0).then(|| noise[o] / t.variance),
                    rows,
                }
            })
            .collect()
    }

    /// The Morris elementary effects of every parameter on every output.
    fn morris_tables(&self, points: &Points<'_>, rank: &[RankTable]) -> Vec<MorrisTable> {
        let cfg = MorrisConfig {
            trajectories: self.request.morris_trajectories,
            levels: self.request.morris_levels,
            span_low: MORRIS_SPAN[0],
            span_high: MORRIS_SPAN[1],
            seed: self.request.seed,
        };
        let res = morris::morris(
            |u: &[f64]| points.mean_at(u, false),
            self.inputs.len(),
            self.outputs.len(),
            &cfg,
        );
        res.iter()
            .enumerate()
            .map(|(o, t)| {
                let mut rows: Vec<MorrisRow> = t
                    .iter()
                    .enumerate()
                    .map(|(i, m)| MorrisRow {
                        input: self.inputs[i].path.clone(),
                        kind: InputKind::Parameter,
                        mu_star: m.mu_star,
                        mu: m.mu,
                        sigma: m.sigma,
                        rank_correlation: rank_correlation(rank, o, &self.inputs[i].path),
                    })
                    .collect();
                rows.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star));
                MorrisTable {
                    output: self.outputs[o].info.key.clone(),
                    rows,
                }
            })
            .collect()
    }

    /// The correlation groups and the user's groups, by name and members.
    fn group_infos(&self) -> Vec<GroupInfo> {
        let mut groups: Vec<GroupInfo> = self
            .partition
            .iter()
            .filter(|b| b.kind == InputKind::Correlated)
            .chain(&self.groups)
            .map(|b| GroupInfo {
                name: b.name.clone(),
                kind: b.kind,
                members: b
                    .members
                    .iter()
                    .map(|&i| self.inputs[i].path.clone())
                    .collect(),
            })
            .collect();
        groups.dedup();
        groups
    }

    /// Replications simulated per method.
    fn model_runs(&self) -> ModelRuns {
        let cost = self.cost();
        let per_point = cost.reps_per_point;
        ModelRuns {
            tornado: cost.tornado_points * per_point,
            sobol: cost.sobol_points * per_point,
            morris: cost.morris_points * per_point,
            rank: cost.rank_replications,
            total: cost.replications(),
        }
    }

    /// The scenario and variant analysed.
    fn scenario_ref(&self) -> ScenarioRef {
        let first = self.models[0];
        ScenarioRef {
            name: self.scenario.name.clone(),
            file: self.file.clone(),
            variant: first.variant.clone(),
            baseline: self.scenario.variants[0].variant.clone(),
            seed: self.request.seed,
            start_year: first.start_year,
            horizon_years: first.horizon_years,
            years: (0..first.horizon_years as i32)
                .map(|y| first.start_year + y)
                .collect(),
        }
    }

    /// The settings the analysis ran with.
    fn settings(&self) -> Settings {
        let methods = self.request.methods;
        let method_names: Vec<String> = [
            (methods.tornado, "tornado"),
            (methods.sobol, "sobol"),
            (methods.morris, "morris"),
            (methods.rank, "rank"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| n.to_string())
        .collect();
        Settings {
            methods: method_names,
            samples: self.request.samples,
            process_reps: self.process_reps,
            bootstrap: self.request.bootstrap,
            confidence: self.request.confidence,
            tornado_low: TORNADO_LOW,
            tornado_high: TORNADO_HIGH,
            morris_trajectories: self.request.morris_trajectories,
            morris_levels: self.request.morris_levels,
            morris_span: MORRIS_SPAN,
            rank_replications: self.request.rank_replications,
        }
    }

    /// Spearman correlations of each input with each output over a plain
    /// Monte Carlo run of every model evaluated (common random numbers).
    fn rank(&self, progress: &dyn Progress) -> Vec<RankTable> {
        let cfg = RunConfig {
            replications: self.request.rank_replications,
            seed: self.request.seed,
        };
        let runs: Vec<engine::VariantRun> = self
            .models
            .iter()
            .map(|m| engine::simulate(m, &cfg, progress))
            .collect();
        let n = runs.iter().map(|r| r.replications).min().unwrap_or(0);
        let horizons: Vec<Vec<f64>> = runs.iter().map(|r| r.horizon()).collect();
        let mut outs = vec![Vec::with_capacity(n); self.outputs.len()];
        let mut o = vec![0.0; self.outputs.len()];
        for r in 0..n {
            let rows: Vec<Vec<f64>> = runs
                .iter()
                .zip(&horizons)
                .map(|(run, h)| {
                    let w = run.layout.width();
                    h[r * w..(r + 1) * w].to_vec()
                })
                .collect();
            self.outputs_of(&rows, &mut o);
            for (k, v) in o.iter().enumerate() {
                outs[k].push(*v);
            }
        }
        self.outputs
            .iter()
            .enumerate()
            .map(|(k, output)| {
                let mut rows: Vec<RankRow> = self
                    .inputs
                    .iter()
                    .map(|inp| {
                        let (m, p) = inp.bindings[0];
                        let run = &runs[m];
                        let xs: Vec<f64> =
                            (0..n).map(|r| run.params[r * run.n_params + p]).collect();
                        RankRow {
                            input: inp.path.clone(),
                            spearman: spearman(&xs, &outs[k]),
                        }
                    })
                    .collect();
                rows.sort_by(|a, b| b.spearman.abs().total_cmp(&a.spearman.abs()));
                RankTable {
                    output: output.info.key.clone(),
                    rows,
                }
            })
            .collect()
    }
}

/// The index of the variant named `name` in the scenario.
fn variant_index(scenario: &Scenario, name: &str) -> Option<usize> {
    scenario.variants.iter().position(|m| m.variant == name)
}

/// The position of variant `i` among the models evaluated, added when new.
fn model_index<'a>(scenario: &'a Scenario, i: usize, models: &mut Vec<&'a Model>) -> usize {
    let m = &scenario.variants[i];
    match models.iter().position(|x| x.variant == m.variant) {
        Some(p) => p,
        None => {
            models.push(m);
            models.len() - 1
        }
    }
}

/// The outputs resolved from the request, and the valid output keys when
/// some key named no output.
struct ResolvedOutputs {
    valid: Vec<Output>,
    invalid: Option<Vec<String>>,
}

/// Resolves the requested outputs (default: `p_overrun` and `total_cost`)
/// against the analysed variant `models[0]`; a `saving:` output adds the
/// variants it compares to `models`.
fn resolve_outputs<'a>(
    scenario: &'a Scenario,
    request: &Request,
    models: &mut Vec<&'a Model>,
    errors: &mut Vec<String>,
) -> ResolvedOutputs {
    let base = &scenario.variants[0];
    let layout = Layout::of(models[0]);
    let keys: Vec<String> = if request.outputs.is_empty() {
        vec!["p_overrun".into(), "total_cost".into()]
    } else {
        request.outputs.clone()
    };
    let mut valid_outputs: Vec<String> = vec!["p_overrun".into()];
    valid_outputs.extend(layout.defs.iter().map(|d| d.key.clone()));
    valid_outputs.extend(
        scenario.variants[1..]
            .iter()
            .map(|m| format!("saving:{}", m.variant)),
    );
    let mut outputs = Vec::new();
    let mut bad_output = false;
    for key in &keys {
        if outputs.iter().any(|o: &Output| &o.info.key == key) {
            continue;
        }
        let variant = models[0].variant.clone();
        if let Some(name) = key.strip_prefix("saving:") {
            match variant_index(scenario, name) {
                Some(0) => errors.push(format!(
                    "output `{key}`: `{name}` is the baseline; a saving compares another variant with it"
                )),
                Some(i) => {
                    let v = model_index(scenario, i, models);
                    let b = model_index(scenario, 0, models);
                    outputs.push(Output {
                        info: OutputInfo {
                            key: key.clone(),
                            label_nl: format!("besparing {name} t.o.v. {}", base.variant),
                            label_en: format!("saving of {name} against {}", base.variant),
                            unit: OutputUnit::Euro,
                            variant: name.to_string(),
                            baseline: Some(base.variant.clone()),
                            at_median: f64::NAN,
                        },
                        rule: OutputRule::Saving { variant: v, base: b },
                    });
                }
                None => {
                    bad_output = true;
                    errors.push(unknown_output(key, &valid_outputs));
                }
            }
            continue;
        }
        let column = if key == "p_overrun" {
            Some(col::OVERRUN_FLAG)
        } else {
            layout.find(key)
        };
        let Some(column) = column else {
            bad_output = true;
            errors.push(unknown_output(key, &valid_outputs));
            continue;
        };
        outputs.push(column_output(key, column, &layout, variant));
    }
    ResolvedOutputs {
        valid: outputs,
        invalid: bad_output.then_some(valid_outputs),
    }
}

/// The output that is the mean of horizon column `column` of the analysed
/// variant.
fn column_output(key: &str, column: usize, layout: &Layout, variant: String) -> Output {
    let def = &layout.defs[column];
    let (label_nl, label_en) = match key {
        "p_overrun" | "overrun_flag" => (
            "kans op overschrijding (enig jaar)".to_string(),
            "probability of an overrun (any year)".to_string(),
        ),
        "total_cost" => (
            "verwachte totale kosten over de horizon".to_string(),
            "expected total cost over the horizon".to_string(),
        ),
        "overrun" => (
            "verwacht tekort over de horizon".to_string(),
            "expected overrun over the horizon".to_string(),
        ),
        _ => (
            format!("verwacht: {key} (over de horizon)"),
            format!("expected {key} (over the horizon)"),
        ),
    };
    Output {
        info: OutputInfo {
            key: key.to_string(),
            label_nl,
            label_en,
            unit: match def.unit {
                Unit::Euro => OutputUnit::Euro,
                Unit::Count => OutputUnit::Count,
                Unit::Probability => OutputUnit::Probability,
            },
            variant,
            baseline: None,
            at_median: f64::NAN,
        },
        rule: OutputRule::Column {
            model: 0,
            col: column,
        },
    }
}

/// Candidate inputs: every parameter given as a distribution, in the order
/// of the analysed variant, then of the other models evaluated; and the
/// paths of the fixed ones.
fn candidate_params(models: &[&Model]) -> (Vec<String>, Vec<String>) {
    let mut candidates: Vec<String> = Vec::new();
    let mut fixed: Vec<String> = Vec::new();
    for m in models {
        for s in &m.params.specs {
            if s.draw_path.is_some() {
                continue;
            }
            if s.dist.is_fixed() {
                fixed.push(s.path.clone());
            } else if !candidates.contains(&s.path) {
                candidates.push(s.path.clone());
            }
        }
    }
    (candidates, fixed)
}

/// The parameters the request selects (default: every candidate); sets
/// `bad_param` when one cannot be analysed.
fn select_params(
    request: &Request,
    candidates: &[String],
    fixed: &[String],
    errors: &mut Vec<String>,
    bad_param: &mut bool,
) -> Vec<String> {
    if request.params.is_empty() {
        return candidates.to_vec();
    }
    let mut selected = Vec::new();
    for p in &request.params {
        if candidates.contains(p) {
            if !selected.contains(p) {
                selected.push(p.clone());
            }
        } else if fixed.contains(p) {
            *bad_param = true;
            errors.push(format!(
                "--params: `{p}` is a fixed number in the scenario, not a distribution"
            ));
        } else {
            *bad_param = true;
            errors.push(format!(
                "--params: no uncertain parameter `{p}`{}",
                suggestion(p, candidates)
            ));
        }
    }
    selected
}

/// The input of parameter `path`: every uncertain parameter of the models
/// that draws from it, described by the first.
fn input_of(path: &str, models: &[&Model]) -> Input {
    let mut bindings = Vec::new();
    for (mi, m) in models.iter().enumerate() {
        for (pi, s) in m.params.specs.iter().enumerate() {
            if s.draw_key() == path && !s.dist.is_fixed() {
                bindings.push((mi, pi));
            }
        }
    }
    let (mi, pi) = bindings[0];
    let spec = &models[mi].params.specs[pi];
    Input {
        path: path.to_string(),
        bindings,
        info: ParameterInfo {
            path: path.to_string(),
            distribution: spec.dist.describe(),
            median: spec.dist.median(),
            p10: spec.dist.quantile(TORNADO_LOW),
            p90: spec.dist.quantile(TORNADO_HIGH),
            source: spec.source.clone(),
            line: spec.line,
            correlation_group: None,
        },
    }
}

/// Correlation groups among the inputs: each one Sobol input, sampled
/// jointly through the copula of its members' correlations. Returns the
/// copulas and the Sobol partition (the independent inputs, then the
/// groups), and names each grouped input's group.
fn correlation_blocks(
    models: &[&Model],
    inputs: &mut [Input],
    warnings: &mut Vec<String>,
) -> (Vec<Copula>, Vec<Block>) {
    let mut copulas: Vec<Copula> = Vec::new();
    let mut in_copula = vec![false; inputs.len()];
    for m in models {
        for g in &m.correlations {
            let pos: Vec<(usize, usize)> = g
                .params
                .iter()
                .enumerate()
                .filter_map(|(k, p)| {
                    let path = &m.params.get(*p).path;
                    inputs.iter().position(|i| &i.path == path).map(|i| (k, i))
                })
                .filter(|&(_, i)| !in_copula[i])
                .collect();
            if pos.len() < 2 {
                continue;
            }
            let rows: Vec<Vec<f64>> = pos
                .iter()
                .map(|&(a, _)| pos.iter().map(|&(b, _)| g.matrix.get(a, b)).collect())
                .collect();
            match CorrelationMatrix::new(&rows) {
                Ok(matrix) => {
                    let members: Vec<usize> = pos.iter().map(|&(_, i)| i).collect();
                    for &i in &members {
                        in_copula[i] = true;
                    }
                    copulas.push(Copula { members, matrix });
                }
                Err(e) => warnings.push(format!(
                    "a correlation group could not be restricted to the analysed parameters ({e}); its members are sampled independently"
                )),
            }
        }
    }
    let mut partition: Vec<Block> = Vec::new();
    for (i, inp) in inputs.iter().enumerate() {
        if !in_copula[i] {
            partition.push(Block {
                name: inp.path.clone(),
                kind: InputKind::Parameter,
                members: vec![i],
            });
        }
    }
    for (g, c) in copulas.iter().enumerate() {
        let name = format!("correlatie {}", g + 1);
        for &i in &c.members {
            inputs[i].info.correlation_group = Some(name.clone());
        }
        partition.push(Block {
            name,
            kind: InputKind::Correlated,
            members: c.members.clone(),
        });
    }
    (copulas, partition)
}

/// The user's groups: `--group name=glob`, then `--group-by-prefix`; sets
/// `bad_param` when a pattern matches no input.
fn user_groups(
    request: &Request,
    inputs: &[Input],
    errors: &mut Vec<String>,
    bad_param: &mut bool,
) -> Vec<Block> {
    let mut groups: Vec<Block> = Vec::new();
    for (name, pattern) in &request.groups {
        if name.trim().is_empty() {
            errors.push(format!(
                "--group `{name}={pattern}`: the group needs a name, as in --group kosten=*.cost_per_month"
            ));
            continue;
        }
        let members: Vec<usize> = (0..inputs.len())
            .filter(|&i| glob(pattern, &inputs[i].path))
            .collect();
        if members.is_empty() {
            errors.push(format!(
                "--group {name}: the pattern `{pattern}` matches no analysed parameter (`*` matches any text, `?` one character)"
            ));
            *bad_param = true;
        } else if groups.iter().any(|g| &g.name == name) {
            errors.push(format!("--group {name}: the name is used twice"));
        } else {
            groups.push(Block {
                name: name.clone(),
                kind: InputKind::Group,
                members,
            });
        }
    }
    if let Some(n) = request.group_by_prefix {
        let mut by_prefix: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, inp) in inputs.iter().enumerate() {
            let prefix: String = inp
                .path
                .split('.')
                .take(n.max(1))
                .collect::<Vec<_>>()
                .join(".");
            match by_prefix.iter_mut().find(|(p, _)| *p == prefix) {
                Some((_, m)) => m.push(i),
                None => by_prefix.push((prefix, vec![i])),
            }
        }
        for (name, members) in by_prefix {
            if members.len() >= 2 && !groups.iter().any(|g| g.name == name) {
                groups.push(Block {
                    name,
                    kind: InputKind::Group,
                    members,
                });
            }
        }
    }
    groups
}

/// Evaluates a plan's outputs at points of the unit hypercube: R
/// replications of every model evaluated, on the same replication indices
/// at every point (common random numbers).
struct Points<'p> {
    plan: &'p Plan<'p>,
    evaluators: Vec<Evaluator<'p>>,
    progress: &'p dyn Progress,
}

impl Points<'_> {
    /// The outputs of each replication at point `u` (`None`: every
    /// parameter at its median), the correlation groups through their
    /// copula when `copula`.
    fn replications_at(&self, u: Option<&[f64]>, copula: bool) -> Vec<Vec<f64>> {
        let plan = self.plan;
        let mut values = vec![Vec::new(); plan.models.len()];
        match u {
            Some(u) => plan.values_at(u, copula, &mut values),
            None => {
                for (m, v) in plan.models.iter().zip(values.iter_mut()) {
                    v.extend(m.params.specs.iter().map(|s| s.dist.median()));
                }
            }
        }
        // A group of replications of each model at a time (in the engine's
        // lanes), then their outputs replication by replication: the rows of
        // one group in memory, however many replications.
        let reps = plan.process_reps;
        let n = reps as usize;
        let group = SIM_GROUP.min(n).max(1);
        let mut rows: Vec<Vec<f64>> = self
            .evaluators
            .iter()
            .map(|e| vec![0.0; group * e.row_len()])
            .collect();
        let mut horizon: Vec<Vec<f64>> = self
            .evaluators
            .iter()
            .map(|e| vec![0.0; e.layout().width()])
            .collect();
        let mut out = Vec::with_capacity(n);
        for start in (0..n).step_by(group) {
            let len = group.min(n - start);
            for ((e, v), rows) in self.evaluators.iter().zip(&values).zip(&mut rows) {
                let rows = &mut rows[..len * e.row_len()];
                e.run_many(plan.request.seed, start as u64, len, |_| v, rows);
            }
            for r in 0..len {
                for (m, e) in self.evaluators.iter().enumerate() {
                    let row_len = e.row_len();
                    e.layout()
                        .aggregate(&rows[m][r * row_len..(r + 1) * row_len], &mut horizon[m]);
                }
                let mut o = vec![0.0; plan.outputs.len()];
                plan.outputs_of(&horizon, &mut o);
                out.push(o);
            }
        }
        self.progress
            .advance(u64::from(reps) * plan.models.len() as u64);
        out
    }

    /// The outputs at point `u`, averaged over the replications.
    fn mean_at(&self, u: &[f64], copula: bool) -> Vec<f64> {
        mean_of(
            self.replications_at(Some(u), copula),
            self.plan.outputs.len(),
        )
    }
}

/// The mean of each of `n_out` outputs over replications.
fn mean_of(per_replication: Vec<Vec<f64>>, n_out: usize) -> Vec<f64> {
    (0..n_out)
        .map(|o| {
            per_replication.iter().map(|r| r[o]).sum::<f64>() / per_replication.len().max(1) as f64
        })
        .collect()
}

/// The Spearman correlation of `input` with output `o` in the rank table,
/// when there is one.
fn rank_correlation(rank: &[RankTable], o: usize, input: &str) -> Option<f64> {
    rank.get(o)
        .and_then(|t| t.rows.iter().find(|r| r.input == input))
        .map(|r| r.spearman)
}

/// Whether `text` matches `pattern` (`*` any text, `?` one character).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last star.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    while i < p.len() && p[i] == '*' {
        i += 1;
    }
    i == p.len()
}

/// The Jaro-Winkler similarity above which a name on the command line is a
/// likely typo of a parameter path or output (stricter than for a file's
/// keys: paths are long and share most of their text).
const NAME_SIMILARITY: f64 = 0.9;

fn suggestion(word: &str, candidates: &[String]) -> String {
    match did_you_mean(word, candidates.iter().map(String::as_str), NAME_SIMILARITY) {
        Some(c) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown(what: &str, word: &str, valid: &[&str]) -> String {
    let owned: Vec<String> = valid.iter().map(|s| s.to_string()).collect();
    format!(
        "--{what}: no {what} named `{word}`{}; the scenario has {}",
        suggestion(word, &owned),
        quoted(&owned)
    )
}

fn unknown_output(key: &str, valid: &[String]) -> String {
    format!("--output: no output `{key}`{}", suggestion(key, valid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_stars_and_question_marks() {
        assert!(glob(
            "stream.jeugdhulp.*",
            "stream.jeugdhulp.level.ambulant.cost_per_month"
        ));
        assert!(glob(
            "*.cost_per_month",
            "stream.wmo.level.zwaar.cost_per_month"
        ));
        assert!(!glob("*.cost_per_month", "stream.wmo.incidence"));
        assert!(glob("stream.?mo.*", "stream.wmo.incidence"));
        assert!(glob("*", ""));
        assert!(!glob("a", "ab"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
    }

    #[test]
    fn typos_get_a_suggestion() {
        let c = [
            "stream.jeugdhulp.incidence".to_string(),
            "budget.ceiling".to_string(),
        ];
        let did_you_mean = |word| did_you_mean(word, c.iter().map(String::as_str), NAME_SIMILARITY);
        assert_eq!(
            did_you_mean("stream.jeugdhulp.incidense"),
            Some("stream.jeugdhulp.incidence")
        );
        assert_eq!(did_you_mean("budget.celing"), Some("budget.ceiling"));
        assert_eq!(did_you_mean("xyz"), None);
    }
}
