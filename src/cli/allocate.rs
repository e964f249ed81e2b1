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
use wijkbudget::engine::RunConfig;
use wijkbudget::export::OutputFile;
use wijkbudget::export::allocation as export;
use wijkbudget::locale::Lang;
use wijkbudget::resources;
use wijkbudget::scenario;
use wijkbudget::{charts, report};

use super::{CommonArgs, progress, read_limited, safe_name, write};

#[derive(Debug, Args)]
pub(super) struct AllocateArgs {
    /// Municipality file (TOML): total budget, areas, pool sizes.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

/// Runs `wijkbudget allocate`.
pub(super) fn command(args: &AllocateArgs) -> Result<ExitCode> {
    let common = &args.common;
    let name = args.file.display().to_string();
    let Some(mut muni) = read_municipality(&args.file) else {
        return Ok(ExitCode::from(2));
    };
    if let Some(n) = common.replications {
        muni.replications = n;
    }
    if let Some(s) = common.seed {
        muni.seed = s;
    }
    let cfg = RunConfig {
        replications: muni.replications,
        seed: muni.seed,
    };
    let models: Vec<&wijkbudget::model::Model> = muni.areas.iter().map(|a| &a.model).collect();
    resources::check_run(&models, cfg.replications).with_context(|| name.clone())?;
    let out_dir = match &common.out {
        Some(d) => d.clone(),
        None => Path::new("output").join(safe_name(&muni.name)),
    };
    let bar = progress::bar(
        allocation::work(&muni, &cfg),
        &format!("{} · verdeling", muni.name),
        common.quiet,
    );
    let threads = common.threads.map(usize::from);
    let result = wijkbudget::with_threads(threads, || {
        allocation::allocate(&muni, &cfg, &|n| bar.inc(n))
    })?;
    bar.finish_and_clear();
    let lang = common.lang();
    let mut files = export::files(&result)?;
    files.extend(report_files(&result, lang, Some(&super::report::today()))?);
    write::all(&out_dir, &files)?;
    let mut out = std::io::stdout().lock();
    out.write_all(export::render(&result, lang).as_bytes())?;
    if !common.quiet {
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
