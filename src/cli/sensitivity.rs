//! The `sensitivity` command: which assumptions drive the answer.
//!
//! Resolves the request against the scenario (every bad name reported at
//! once, exit 2, nothing written), prints what the analysis will cost, runs
//! it with a progress bar and writes `sensitivity.json` and the CSV tables
//! atomically, then prints a short table of the top drivers.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use wijkbudget::charts;
use wijkbudget::export::OutputFile;
use wijkbudget::export::sensitivity as export;
use wijkbudget::locale::{self, Lang};
use wijkbudget::sensitivity::{Methods, Plan, PlanError, Request};

use super::{CommonArgs, load_all, progress, safe_name, write};

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML); none analyses the built-in example.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// The variant whose outputs are analysed [default: the baseline].
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,
    /// Outputs to analyse (repeatable or comma-separated): `p_overrun`, a
    /// metric key such as `total_cost`, `overrun` or `spend.jeugdhulp`, or
    /// `saving:<variant>` (the baseline's total cost minus the variant's)
    /// [default: p_overrun,total_cost].
    #[arg(long = "output", value_name = "KEY", value_delimiter = ',')]
    outputs: Vec<String>,
    /// Parameters to analyse by path (repeatable or comma-separated)
    /// [default: every parameter given as a distribution].
    #[arg(long = "params", value_name = "PATH", value_delimiter = ',')]
    params: Vec<String>,
    /// A group of parameters analysed as one input, e.g.
    /// `kosten=*.cost_per_month` (`*` any text, `?` one character); repeatable.
    #[arg(long = "group", value_name = "NAME=GLOB", value_parser = parse_group)]
    groups: Vec<(String, String)>,
    /// Also group the parameters by their first N path segments
    /// (2: one group per stream, e.g. `stream.jeugdhulp`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=16))]
    group_by_prefix: Option<u16>,
    /// Methods to run (repeatable); rank correlations always run.
    #[arg(
        long = "method",
        value_enum,
        default_value = "all",
        value_delimiter = ','
    )]
    methods: Vec<MethodArg>,
    /// Base sample N of the Sobol design: N·(inputs + 2) evaluations.
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(2..=1_000_000))]
    samples: u32,
    /// Replications of process randomness averaged per evaluation (the same
    /// replications at every point).
    #[arg(long, value_name = "R", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    process_reps: u32,
    /// Morris trajectories: trajectories·(parameters + 1) evaluations.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    trajectories: u32,
    /// Levels of the Morris grid (even).
    #[arg(long, value_name = "P", default_value_t = 4, value_parser = parse_levels)]
    levels: u32,
    /// Bootstrap resamples for the Sobol intervals.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    bootstrap: u32,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodArg {
    Tornado,
    Sobol,
    Morris,
    All,
}

fn parse_group(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, glob)) if !name.trim().is_empty() && !glob.is_empty() => {
            Ok((name.trim().to_string(), glob.to_string()))
        }
        _ => Err(format!(
            "`{s}` is not NAME=GLOB; write e.g. --group kosten=*.cost_per_month"
        )),
    }
}

fn parse_levels(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(p) if (2..=100).contains(&p) && p % 2 == 0 => Ok(p),
        _ => Err(format!(
            "`{s}`: the Morris grid needs an even number of levels from 2 to 100"
        )),
    }
}

pub fn command(args: &SensitivityArgs) -> Result<ExitCode> {
    let common = &args.common;
    let files: Vec<PathBuf> = args.file.iter().cloned().collect();
    let Some(loaded) = load_all(&files)? else {
        return Ok(ExitCode::from(2));
    };
    let l = &loaded[0];
    let scenario = &l.scenario;
    let mut request = Request::defaults(scenario);
    request.variant = args.variant.clone();
    request.outputs = args.outputs.clone();
    request.params = args.params.clone();
    request.groups = args.groups.clone();
    request.group_by_prefix = args.group_by_prefix.map(usize::from);
    let all = args.methods.contains(&MethodArg::All);
    request.methods = Methods {
        tornado: all || args.methods.contains(&MethodArg::Tornado),
        sobol: all || args.methods.contains(&MethodArg::Sobol),
        morris: all || args.methods.contains(&MethodArg::Morris),
        rank: true,
    };
    request.samples = args.samples as usize;
    request.process_reps = args.process_reps;
    request.morris_trajectories = args.trajectories as usize;
    request.morris_levels = args.levels as usize;
    request.bootstrap = args.bootstrap as usize;
    if let Some(n) = common.replications {
        request.rank_replications = n;
    }
    if let Some(s) = common.seed {
        request.seed = s;
    }
    let plan = match Plan::new(scenario, Some(&l.file), &request) {
        Ok(p) => p,
        Err(PlanError::Invalid(problems)) => {
            for p in problems {
                eprintln!("{}: error: {p}", l.file);
            }
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e).with_context(|| l.file.clone()),
    };
    let dir = match &common.out {
        Some(d) => d.clone(),
        None => Path::new("output")
            .join(safe_name(&scenario.name))
            .join("sensitivity"),
    };
    let lang = common.lang();
    let cost = plan.cost();
    let total = cost.replications();
    if !common.quiet {
        let n = |x: u64| locale::number(x as f64, 0, Lang::En);
        eprintln!(
            "{}: {} parameters, outputs {}; this analysis will simulate {} replications \
             ({} per evaluation; tornado {} + Sobol {} + Morris {} evaluations, rank correlations {} replications)",
            l.file,
            plan.n_params(),
            plan.output_keys().join(", "),
            n(total),
            n(cost.reps_per_point),
            n(cost.tornado_points),
            n(cost.sobol_points),
            n(cost.morris_points),
            n(cost.rank_replications),
        );
        for w in plan.warnings() {
            eprintln!("{}: warning: {w}", l.file);
        }
    }
    let bar = progress::bar(
        total,
        &format!("{} · gevoeligheid", scenario.name),
        common.quiet,
    );
    let threads = common.threads.map(usize::from);
    let report = wijkbudget::with_threads(threads, || plan.run(&|n| bar.inc(n)))?;
    bar.finish_and_clear();
    let mut files = export::files(&report)?;
    let today = super::report::today();
    for c in charts::for_sensitivity(&report, lang, Some(&today))? {
        files.push(OutputFile {
            name: format!("charts/{}.png", c.id),
            bytes: c.png,
        });
        files.push(OutputFile {
            name: format!("charts/{}.svg", c.id),
            bytes: c.svg.into_bytes(),
        });
    }
    write::all(&dir, &files)?;
    let table = export::console(&report, lang);
    std::io::stdout().lock().write_all(table.as_bytes())?;
    if !common.quiet {
        eprintln!("wrote {} files to {}", files.len(), dir.display());
    }
    update_run_report(&dir, &report, lang, common.quiet)?;
    Ok(ExitCode::SUCCESS)
}

/// When the output folder lies in a run's output folder (the default:
/// `output/<scenario>/sensitivity/` in `output/<scenario>/`) whose
/// `summary.json` is of the same scenario, that run's `rapport.html` is
/// written again with the sensitivity section, so the briefing a user opens
/// is up to date. Its charts are left as they are. A summary that cannot be
/// read is noted on stderr and skipped: the analysis itself was written.
fn update_run_report(
    dir: &Path,
    report: &wijkbudget::sensitivity::Report,
    lang: Lang,
    quiet: bool,
) -> Result<()> {
    let Some(parent) = dir.parent() else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let path = parent.join("summary.json");
    if !path.is_file() {
        return Ok(());
    }
    let summary = match super::report::read_summary(&path) {
        Ok(s) => s,
        Err(e) => {
            if !quiet {
                eprintln!("note: {e:#}; its rapport.html is left as it is");
            }
            return Ok(());
        }
    };
    if summary.scenario.name != report.scenario.name {
        if !quiet {
            eprintln!(
                "note: {} is of scenario '{}', not '{}'; its rapport.html is left as it is",
                path.display(),
                summary.scenario.name,
                report.scenario.name
            );
        }
        return Ok(());
    }
    let date = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .map(super::report::date_of);
    let file = super::report::html_only(&summary, report, lang, date.as_deref())?;
    write::all(parent, &[file])?;
    if !quiet {
        eprintln!(
            "wrote {} with the sensitivity section",
            parent.join(super::report::REPORT_FILE).display()
        );
    }
    Ok(())
}
