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
        let find_variant = |name: &str| scenario.variants.iter().position(|m| m.variant == name);
        let base = &scenario.variants[0];
        let analysed = match &request.variant {
            None => 0,
            Some(v) => match find_variant(v) {
                Some(i) => i,
                None => {
                    errors.push(unknown("variant", v, &names));
                    0
                }
            },
        };
        let mut models: Vec<&Model> = vec![&scenario.variants[analysed]];
        let model_of = |i: usize, models: &mut Vec<&'a Model>| -> usize {
            let m = &scenario.variants[i];
            match models.iter().position(|x| x.variant == m.variant) {
                Some(p) => p,
                None => {
                    models.push(m);
                    models.len() - 1
                }
            }
        };

        // Outputs.
        let layout = Layout::of(models[0]);
        let keys: Vec<String> = if request.outputs.is_empty() {
            vec!["p_overrun".into(), "total_cost".into()]
        } else {
            request.outputs.clone()
        };
        let mut valid_outputs: Vec<String> = vec!["p_overrun".into()];
        valid_outputs.extend(layout.defs.iter().map(|d| d.key.clone()));
        valid_outputs.extend(names[1..].iter().map(|n| format!("saving:{n}")));
        let mut outputs = Vec::new();
        let mut bad_output = false;
        for key in &keys {
            if outputs.iter().any(|o: &Output| &o.info.key == key) {
                continue;
            }
            let variant = models[0].variant.clone();
            if let Some(name) = key.strip_prefix("saving:") {
                match find_variant(name) {
                    Some(0) => errors.push(format!(
                        "output `{key}`: `{name}` is the baseline; a saving compares another variant with it"
                    )),
                    Some(i) => {
                        let v = model_of(i, &mut models);
                        let b = model_of(0, &mut models);
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
            let c = if key == "p_overrun" {
                Some(col::OVERRUN_FLAG)
            } else {
                layout.find(key)
            };
            let Some(c) = c else {
                bad_output = true;
                errors.push(unknown_output(key, &valid_outputs));
                continue;
            };
            let def = &layout.defs[c];
            let (label_nl, label_en) = match key.as_str() {
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
            outputs.push(Output {
                info: OutputInfo {
                    key: key.clone(),
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
                rule: OutputRule::Column { model: 0, col: c },
            });
        }

        // Candidate inputs: every parameter given as a distribution, in the
        // order of the analysed variant, then of the other models evaluated.
        let mut candidates: Vec<String> = Vec::new();
        let mut fixed: Vec<String> = Vec::new();
        for m in &models {
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
        let mut bad_param = false;
        let selected: Vec<String> = if request.params.is_empty() {
            candidates.clone()
        } else {
            let mut sel = Vec::new();
            for p in &request.params {
                if candidates.contains(p) {
                    if !sel.contains(p) {
                        sel.push(p.clone());
                    }
                } else if fixed.contains(p) {
                    bad_param = true;
                    errors.push(format!(
                        "--params: `{p}` is a fixed number in the scenario, not a distribution"
                    ));
                } else {
                    bad_param = true;
                    errors.push(format!(
                        "--params: no uncertain parameter `{p}`{}",
                        suggestion(p, &candidates)
                    ));
                }
            }
            sel
        };
        if selected.is_empty() && errors.is_empty() {
            errors.push(format!(
                "the variant `{}` has no parameter given as a distribution, so there is nothing to analyse; write an uncertain number as e.g. {{ dist = \"pert\", min = 1, mode = 2, max = 3 }}",
                models[0].variant
            ));
        }
        let inputs: Vec<Input> = selected
            .iter()
            .map(|path| {
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
                    path: path.clone(),
                    bindings,
                    info: ParameterInfo {
                        path: path.clone(),
                        distribution: spec.dist.describe(),
                        median: spec.dist.median(),
                        p10: spec.dist.quantile(TORNADO_LOW),
                        p90: spec.dist.quantile(TORNADO_HIGH),
                        source: spec.source.clone(),
                        line: spec.line,
                        correlation_group: None,
                    },
                }
            })
            .collect();
        let mut inputs = inputs;

        // Correlation groups among the inputs: each one Sobol input, sampled
        // jointly through the copula of its members' correlations.
        let mut copulas: Vec<Copula> = Vec::new();
        let mut in_copula = vec![false; inputs.len()];
        for m in &models {
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

        // The user's groups.
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
                bad_param = true;
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

        if bad_param {
            errors.push(format!(
                "parameters that can be analysed (given as a distribution): {}",
                quoted(&candidates)
            ));
        }
        if bad_output {
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
            outputs,
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
        let evaluators: Vec<Evaluator> = self.models.iter().map(|m| Evaluator::new(m)).collect();
        let seed = self.request.seed;
        let n_out = self.outputs.len();
        let reps = self.process_reps;
        // Per replication: the outputs at point `u`.
        let per_rep = |u: Option<&[f64]>, copula: bool| -> Vec<Vec<f64>> {
            let mut values = vec![Vec::new(); self.models.len()];
            match u {
                Some(u) => self.values_at(u, copula, &mut values),
                None => {
                    for (m, v) in self.models.iter().zip(values.iter_mut()) {
                        v.extend(m.params.specs.iter().map(|s| s.dist.median()));
                    }
                }
            }
            // A group of replications of each model at a time (in the
            // engine's lanes), then their outputs replication by replication:
            // the rows of one group in memory, however many replications.
            let n = reps as usize;
            let group = SIM_GROUP.min(n).max(1);
            let mut rows: Vec<Vec<f64>> = evaluators
                .iter()
                .map(|e| vec![0.0; group * e.row_len()])
                .collect();
            let mut horizon: Vec<Vec<f64>> = evaluators
                .iter()
                .map(|e| vec![0.0; e.layout().width()])
                .collect();
            let mut out = Vec::with_capacity(n);
            for start in (0..n).step_by(group) {
                let len = group.min(n - start);
                for ((e, v), rows) in evaluators.iter().zip(&values).zip(&mut rows) {
                    let rows = &mut rows[..len * e.row_len()];
                    e.run_many(seed, start as u64, len, |_| v, rows);
                }
                for r in 0..len {
                    for (m, e) in evaluators.iter().enumerate() {
                        let rl = e.row_len();
                        e.layout()
                            .aggregate(&rows[m][r * rl..(r + 1) * rl], &mut horizon[m]);
                    }
                    let mut o = vec![0.0; n_out];
                    self.outputs_of(&horizon, &mut o);
                    out.push(o);
                }
            }
            progress.advance(u64::from(reps) * self.models.len() as u64);
            out
        };
        let mean_of = |per: Vec<Vec<f64>>| -> Vec<f64> {
            (0..n_out)
                .map(|o| per.iter().map(|r| r[o]).sum::<f64>() / per.len().max(1) as f64)
                .collect()
        };
        let f_marginal = |u: &[f64]| mean_of(per_rep(Some(u), false));
        let f_joint = |u: &[f64]| mean_of(per_rep(Some(u), true));

        // The median point: every output's value and its process noise.
        let at_median_reps = per_rep(None, false);
        let noise: Vec<f64> = (0..n_out)
            .map(|o| {
                let xs: Vec<f64> = at_median_reps.iter().map(|r| r[o]).collect();
                crate::stats::mean_sd(&xs).1.powi(2) / xs.len().max(1) as f64
            })
            .collect();
        let at_median = mean_of(at_median_reps);
        let cost = self.cost();
        let d = self.inputs.len();
        let methods = self.request.methods;

        let rank = if methods.rank {
            self.rank(progress)
        } else {
            Vec::new()
        };
        let rho = |o: usize, input: &str| -> Option<f64> {
            rank.get(o)
                .and_then(|t: &RankTable| t.rows.iter().find(|r| r.input == input))
                .map(|r| r.spearman)
        };

        let tornado = if methods.tornado {
            let blocks = self.tornado_blocks();
            let members: Vec<Vec<usize>> = blocks.iter().map(|b| b.members.clone()).collect();
            let res = tornado::tornado(
                f_marginal,
                &vec![0.5; d],
                &members,
                TORNADO_LOW,
                TORNADO_HIGH,
                n_out,
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
                            let blk = &blocks[b];
                            let single = (blk.kind == InputKind::Parameter)
                                .then(|| &self.inputs[blk.members[0]].info);
                            TornadoRow {
                                input: blk.name.clone(),
                                kind: blk.kind,
                                input_low: single.map(|p| p.p10),
                                input_high: single.map(|p| p.p90),
                                output_low: t.swings[b].at_low,
                                output_high: t.swings[b].at_high,
                                swing: t.swings[b].swing,
                                rank_correlation: single.and_then(|_| rho(o, &blk.name)),
                            }
                        })
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };

        let sobol = if methods.sobol {
            let blocks = self.sobol_blocks();
            let members: Vec<Vec<usize>> = blocks.iter().map(|b| b.members.clone()).collect();
            let cfg = SobolConfig {
                samples: self.request.samples,
                bootstrap: self.request.bootstrap,
                confidence: self.request.confidence,
                seed,
            };
            let res = sobol::sobol_blocks(f_joint, d, &members, n_out, &cfg);
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
                                rho(o, &b.name)
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
        } else {
            Vec::new()
        };

        let morris = if methods.morris {
            let cfg = MorrisConfig {
                trajectories: self.request.morris_trajectories,
                levels: self.request.morris_levels,
                span_low: MORRIS_SPAN[0],
                span_high: MORRIS_SPAN[1],
                seed,
            };
            let res = morris::morris(f_marginal, d, n_out, &cfg);
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
                            rank_correlation: rho(o, &self.inputs[i].path),
                        })
                        .collect();
                    rows.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star));
                    MorrisTable {
                        output: self.outputs[o].info.key.clone(),
                        rows,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };

        let mut outputs: Vec<OutputInfo> = self.outputs.iter().map(|o| o.info.clone()).collect();
        for (o, v) in outputs.iter_mut().zip(&at_median) {
            o.at_median = *v;
        }
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
        let per_point = cost.reps_per_point;
        let model_runs = ModelRuns {
            tornado: cost.tornado_points * per_point,
            sobol: cost.sobol_points * per_point,
            morris: cost.morris_points * per_point,
            rank: cost.rank_replications,
            total: cost.replications(),
        };
        let first = self.models[0];
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
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            scenario: ScenarioRef {
                name: self.scenario.name.clone(),
                file: self.file.clone(),
                variant: first.variant.clone(),
                baseline: self.scenario.variants[0].variant.clone(),
                seed,
                start_year: first.start_year,
                horizon_years: first.horizon_years,
                years: (0..first.horizon_years as i32)
                    .map(|y| first.start_year + y)
                    .collect(),
            },
            settings: Settings {
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
            },
            model_runs,
            outputs,
            parameters: self.inputs.iter().map(|i| i.info.clone()).collect(),
            groups,
            independence: self.independence(),
            tornado,
            sobol,
            morris,
            rank,
            warnings: self.warnings(),
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

/// The candidate closest to `word`, if it is a likely typo.
fn did_you_mean<'c>(word: &str, candidates: &'c [String]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .filter_map(|c| {
            let cl = c.to_lowercase();
            let lev = strsim::levenshtein(&lower, &cl);
            let jw = strsim::jaro_winkler(&lower, &cl);
            let len = c.chars().count().min(word.chars().count());
            let close = lev == 0 || (lev <= 2 && lev < len) || jw > 0.9;
            close.then_some((lev, -jw, c.as_str()))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, c)| c)
}

fn suggestion(word: &str, candidates: &[String]) -> String {
    match did_you_mean(word, candidates) {
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
        let c = vec![
            "stream.jeugdhulp.incidence".to_string(),
            "budget.ceiling".to_string(),
        ];
        assert_eq!(
            did_you_mean("stream.jeugdhulp.incidense", &c),
            Some("stream.jeugdhulp.incidence")
        );
        assert_eq!(did_you_mean("budget.celing", &c), Some("budget.ceiling"));
        assert_eq!(did_you_mean("xyz", &c), None);
    }
}
