//! `wijkbudget allocate`: read a municipality file (and the scenario files
//! its areas name), divide the budget by every key, write `allocation.json`
//! and CSV tables, the charts (`charts/<id>.png` and `.svg`) and
//! `rapport.html`, print the table.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use wijkbudget::allocation::{self, Allocation, Municipality};
use wijkbudget::engine::{self, RunConfig};
use wijkbudget::export::OutputFile;
use wijkbudget::export::allocation as export;
use wijkbudget::locale::Lang;
use wijkbudget::scenario;
use wijkbudget::{charts, report};

use super::{LangArg, progress, read_limited, safe_name, write};

#[derive(Debug, Args)]
pub(super) struct AllocateArgs {
    /// Municipality file (TOML): total budget, areas, pool sizes.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output folder [default: output/<name>/].
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Number of replications (overrides meta.replications).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    replications: Option<u32>,
    /// Random seed (overrides meta.seed); the same seed gives the same results.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Language of the console table, the charts and the report.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    lang: LangArg,
    /// Worker threads [default: all cores]; results do not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar and no messages on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// Runs `wijkbudget allocate`.
pub(super) fn command(args: &AllocateArgs) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting the worker threads")?;
    }
    let name = args.file.display().to_string();
    let Some(mut muni) = read_municipality(&args.file) else {
        return Ok(ExitCode::from(2));
    };
    if let Some(n) = args.replications {
        muni.replications = n;
    }
    if let Some(s) = args.seed {
        muni.seed = s;
    }
    let cfg = RunConfig {
        replications: muni.replications,
        seed: muni.seed,
    };
    let models: Vec<&wijkbudget::model::Model> = muni.areas.iter().map(|a| &a.model).collect();
    engine::check_size(&models, cfg.replications).with_context(|| name.clone())?;
    let out_dir = match &args.out {
        Some(d) => d.clone(),
        None => Path::new("output").join(safe_name(&muni.name)),
    };
    let bar = progress::bar(
        allocation::work(&muni, &cfg),
        &format!("{} · verdeling", muni.name),
        args.quiet,
    );
    let result = allocation::allocate(&muni, &cfg, &|n| bar.inc(n));
    bar.finish_and_clear();
    let lang: Lang = args.lang.into();
    let mut files = export::files(&result)?;
    files.extend(report_files(&result, lang, Some(&super::report::today()))?);
    write::all(&out_dir, &files)?;
    let mut out = std::io::stdout().lock();
    out.write_all(export::render(&result, lang).as_bytes())?;
    if !args.quiet {
        eprintln!("wrote {} files to {}", files.len(), out_dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and validates a municipality file and the scenario files its areas
/// name (relative to its folder); prints every problem to stderr and returns
/// `None` when there is any.
pub(super) fn read_municipality(file: &Path) -> Option<Municipality> {
    let problems = match read_limited(file) {
        Ok(bytes) => match municipality_from(file, bytes) {
            Ok(m) => return Some(m),
            Err(problems) => problems,
        },
        Err(e) => format!("{}: {e:#}\n", file.display()),
    };
    eprint!("{problems}");
    None
}

/// Validates the bytes of the municipality file `file`, already read;
/// on failure, the text that reports every problem (one per line).
pub(super) fn municipality_from(
    file: &Path,
    bytes: Vec<u8>,
) -> std::result::Result<Municipality, String> {
    let name = file.display().to_string();
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(format!(
            "{name}: the file is not UTF-8 text; save it as UTF-8\n"
        ));
    };
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut load = |rel: &str| -> std::result::Result<(String, Vec<u8>), String> {
        let path = dir.join(rel);
        let shown = path.display().to_string();
        read_limited(&path)
            .map(|b| (shown, b))
            .map_err(|e| format!("{e:#}"))
    };
    scenario::parse_municipality(&text, &name, &mut load).map_err(|d| d.to_string())
}

/// The allocation charts (`charts/<id>.png` and `.svg`) and `rapport.html`.
pub(super) fn report_files(
    a: &Allocation,
    lang: Lang,
    date: Option<&str>,
) -> Result<Vec<OutputFile>> {
    let charts = charts::for_allocation(a, lang, date)?;
    let html = report::allocation::render(a, &charts, lang, date);
    Ok(super::report::files_of(charts, html))
}
