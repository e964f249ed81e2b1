//! Shared helpers: a small model builder, so engine tests do not depend on the
//! scenario parser, and runners.

use wijkbudget::copula::CorrelationMatrix;
use wijkbudget::dist::Dist;
use wijkbudget::engine::{self, NoProgress, RunConfig, VariantRun};
use wijkbudget::model::*;

/// A level: (name, paid_by, cost per month, mean duration, escalation).
pub type LevelSpec = (&'static str, Payer, f64, f64, f64);

/// Knobs of a small two-stratum, two-stream model. Every number is fixed
/// unless `uncertain` names its path.
#[derive(Clone)]
pub struct Spec {
    pub horizon_years: u32,
    pub households: [f64; 2],
    pub growth: [f64; 2],
    pub incidence: [f64; 2],
    pub risk: [[f64; 2]; 2],
    pub early_share: [f64; 2],
    pub price_index: [f64; 2],
    pub relapse: [(f64, f64); 2],
    pub levels: [Vec<LevelSpec>; 2],
    /// Per stream: share, saturation, case_finding, early, escalation, relapse.
    pub prevention_effects: [[f64; 6]; 2],
    pub prevention_budget: f64,
    pub prevention_before: f64,
    pub ramp_up_months: f64,
    pub ceiling: f64,
    pub indexation: f64,
    pub siloed: Option<[f64; 2]>,
    pub waitlist: Option<f64>,
    pub reserve_initial: f64,
    pub reserve_cap: f64,
    pub reinvest_share: f64,
    pub parameter_uncertainty: bool,
    pub process_uncertainty: bool,
    pub uncertain: Vec<(&'static str, Dist)>,
    pub correlations: Vec<(Vec<&'static str>, Vec<Vec<f64>>)>,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            horizon_years: 5,
            households: [3000.0, 1700.0],
            growth: [0.0, 0.0],
            incidence: [0.02, 0.04],
            risk: [[1.0, 0.5], [1.2, 2.0]],
            early_share: [0.2, 0.3],
            price_index: [0.03, 0.03],
            relapse: [(0.01, 24.0), (0.02, 12.0)],
            levels: [
                vec![
                    ("basis", Payer::Team, 150.0, 4.0, 0.05),
                    ("maatwerk", Payer::Stream, 500.0, 12.0, 0.02),
                    ("zwaar", Payer::Stream, 2500.0, 18.0, 0.0),
                ],
                vec![
                    ("basis", Payer::Team, 100.0, 3.0, 0.10),
                    ("maatwerk", Payer::Stream, 700.0, 6.0, 0.0),
                ],
            ],
            prevention_effects: [
                [0.5, 40.0, 0.0, 0.0, 0.0, 0.0],
                [0.5, 40.0, 0.0, 0.0, 0.0, 0.0],
            ],
            prevention_budget: 0.0,
            prevention_before: 0.0,
            ramp_up_months: 12.0,
            ceiling: 1e12,
            indexation: 0.0,
            siloed: None,
            waitlist: None,
            reserve_initial: 0.0,
            reserve_cap: 0.0,
            reinvest_share: 0.0,
            parameter_uncertainty: false,
            process_uncertainty: true,
            uncertain: Vec::new(),
            correlations: Vec::new(),
        }
    }
}

const STRATA: [&str; 2] = ["alleen", "gezin"];
const STREAMS: [&str; 2] = ["wmo", "jeugd"];

impl Spec {
    /// Builds the validated model (the test plays the parser's role).
    pub fn build(&self, variant: &str) -> Model {
        let mut t = ParamTable::default();
        let uncertain = self.uncertain.clone();
        let mut p = |path: String, v: f64| -> Param {
            let dist = uncertain
                .iter()
                .find(|(u, _)| *u == path)
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| Dist::fixed(v).expect("finite"));
            t.push(ParamSpec {
                path,
                dist,
                source: None,
                line: 0,
                draw_path: None,
            })
        };
        let strata = (0..2)
            .map(|s| Stratum {
                name: STRATA[s].into(),
                label: STRATA[s].into(),
                households: p(
                    format!("stratum.{}.households", STRATA[s]),
                    self.households[s],
                ),
                growth: p(format!("stratum.{}.growth", STRATA[s]), self.growth[s]),
            })
            .collect();
        let streams = (0..2)
            .map(|k| {
                let n = STREAMS[k];
                let incidence = p(format!("stream.{n}.incidence"), self.incidence[k]);
                let early = p(
                    format!("stream.{n}.early_signal_share"),
                    self.early_share[k],
                );
                let price = p(format!("stream.{n}.price_index"), self.price_index[k]);
                let risk = (0..2)
                    .map(|s| p(format!("stream.{n}.risk.{}", STRATA[s]), self.risk[k][s]))
                    .collect();
                let relapse = Relapse {
                    rate: p(format!("stream.{n}.relapse.rate"), self.relapse[k].0),
                    window_months: p(
                        format!("stream.{n}.relapse.window_months"),
                        self.relapse[k].1,
                    ),
                };
                let levels = self.levels[k]
                    .iter()
                    .map(|&(ln, paid_by, cost, dur, esc)| Level {
                        name: ln.into(),
                        label: ln.into(),
                        paid_by,
                        cost_per_month: p(format!("stream.{n}.level.{ln}.cost_per_month"), cost),
                        mean_duration_months: p(
                            format!("stream.{n}.level.{ln}.mean_duration_months"),
                            dur,
                        ),
                        escalation: p(format!("stream.{n}.level.{ln}.escalation"), esc),
                    })
                    .collect();
                let e = self.prevention_effects[k];
                let prevention = StreamPrevention {
                    share: p(format!("stream.{n}.prevention.share"), e[0]),
                    saturation: p(format!("stream.{n}.prevention.saturation"), e[1]),
                    case_finding: p(format!("stream.{n}.prevention.case_finding"), e[2]),
                    early_signal: p(format!("stream.{n}.prevention.early_signal"), e[3]),
                    escalation: p(format!("stream.{n}.prevention.escalation"), e[4]),
                    relapse: p(format!("stream.{n}.prevention.relapse"), e[5]),
                };
                Stream {
                    name: n.into(),
                    label: n.into(),
                    incidence,
                    early_signal_share: early,
                    risk,
                    price_index: price,
                    relapse,
                    levels,
                    prevention,
                }
            })
            .collect();
        let prevention = Prevention {
            budget: p("prevention.budget".into(), self.prevention_budget),
            budget_before: p("prevention.budget_before".into(), self.prevention_before),
            ramp_up_months: p("prevention.ramp_up_months".into(), self.ramp_up_months),
        };
        let mode = match self.siloed {
            None => BudgetMode::Pooled,
            Some(sh) => BudgetMode::Siloed {
                shares: (0..2)
                    .map(|k| p(format!("budget.shares.{}", STREAMS[k]), sh[k]))
                    .collect(),
            },
        };
        let budget = Budget {
            ceiling: p("budget.ceiling".into(), self.ceiling),
            indexation: p("budget.indexation".into(), self.indexation),
            mode,
            policy: match self.waitlist {
                None => Policy::Overspend,
                Some(f) => Policy::Waitlist {
                    wait_escalation_factor: p("budget.wait_escalation_factor".into(), f),
                },
            },
            reserve_initial: p("budget.reserve_initial".into(), self.reserve_initial),
            reserve_cap: p("budget.reserve_cap".into(), self.reserve_cap),
            reinvest_share: p("budget.reinvest_share".into(), self.reinvest_share),
        };
        let correlations = self
            .correlations
            .iter()
            .map(|(paths, m)| CorrelationGroup {
                params: paths
                    .iter()
                    .map(|q| t.find(q).expect("known path"))
                    .collect(),
                matrix: CorrelationMatrix::new(m).expect("valid matrix"),
            })
            .collect();
        Model {
            variant: variant.into(),
            description: String::new(),
            start_year: 2027,
            horizon_years: self.horizon_years,
            parameter_uncertainty: self.parameter_uncertainty,
            process_uncertainty: self.process_uncertainty,
            strata,
            streams,
            prevention,
            budget,
            params: t,
            correlations,
        }
    }
}

/// Simulates a model with the given replications and seed.
pub fn simulate(model: &Model, replications: u32, seed: u64) -> VariantRun {
    engine::simulate(model, &RunConfig { replications, seed }, &NoProgress)
}

/// A column of a run in a year, by key.
pub fn column(run: &VariantRun, year: usize, key: &str) -> Vec<f64> {
    let c = run
        .layout
        .find(key)
        .unwrap_or_else(|| panic!("no column {key}"));
    run.column(year, c)
}

/// Mean of a sample.
#[allow(dead_code)]
pub fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Every text node of an SVG, joined by spaces, with no-break spaces as spaces.
pub fn svg_text(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{a0}', " ")
}

/// PNG signature, decodes, 1600×900, has text-dark pixels.
pub fn check_png(c: &wijkbudget::charts::Chart) {
    assert!(c.png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", c.id);
    let mut reader = png::Decoder::new(std::io::Cursor::new(&c.png[..]))
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", c.id));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1600, 900), "{}", c.id);
    let px = &buf[..info.buffer_size()];
    let dark = px.chunks(3).filter(|p| p.iter().all(|&v| v < 100)).count();
    assert!(dark > 2_000, "{}: hardly any dark pixels (no text?)", c.id);
}
