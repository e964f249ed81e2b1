//! Command-line interface: argument parsing, the `run` and `init`
//! commands, and the dispatch to the other commands' modules.

mod allocate;
mod progress;
mod report;
mod sensitivity;
mod validate;
mod write;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use wijkbudget::export::{self, console};
use wijkbudget::locale::Lang;
use wijkbudget::model::Scenario;
use wijkbudget::{EXAMPLE_FILE_NAME, EXAMPLE_SCENARIO, RunOptions, resources, scenario};

/// Monte Carlo stress test of area-based financing of social care
/// (gebiedsgerichte financiering).
///
/// Give it a scenario file: a wijk's households, the budget streams (Wmo
/// begeleiding, jeugdhulp, bijzondere bijstand, schuldhulpverlening) with
/// their care ladders, prevention, and a ceiling. It simulates thousands of
/// possible futures and tells how likely an overrun is, what pooling and
/// prevention buy, and how sure that is.
#[derive(Debug, Parser)]
#[command(
    name = "wijkbudget",
    version,
    about,
    long_about,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate scenarios; write summary.json, CSV tables, an Excel workbook,
    /// charts, rapport.html and a console table.
    ///
    /// Without a FILE it runs the example scenario built into the program
    /// (the one `wijkbudget init` writes). All files are checked first: if any
    /// has a problem, nothing runs and nothing is written.
    Run(RunArgs),
    /// Check scenario and municipality files and report every problem with
    /// file, line and key.
    ///
    /// A file with a top-level [[area]], [pool] or [needs] (or a [budget]
    /// with `total` and no `ceiling`) is read as a municipality file for
    /// `allocate`, any other as a scenario file.
    Validate {
        /// Scenario or municipality files (TOML).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Which assumptions drive the answer: tornado, Sobol indices, Morris
    /// screening and rank correlations of a variant's outputs.
    ///
    /// Writes sensitivity.json and CSV tables; see docs/sensitivity.md.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Divide a municipal budget over areas by several keys and compare them.
    ///
    /// Reads a municipality file (see docs/allocation.md), simulates every
    /// area on common random numbers and writes allocation.json and CSV tables.
    Allocate(allocate::AllocateArgs),
    /// Write the example scenario to start from (DIR/voorbeeldwijk.toml).
    Init {
        /// Folder to write it to (created if needed).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Render the charts and rapport.html again from DIR/summary.json, without simulating.
    Report(report::ReportArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Scenario files (TOML); none runs the built-in example.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Run only these variants (repeatable); the first one named is the baseline.
    #[arg(long = "variant", value_name = "NAME")]
    variants: Vec<String>,
    #[command(flatten)]
    common: CommonArgs,
}

/// The options every simulating command shares.
#[derive(Debug, Args)]
pub(crate) struct CommonArgs {
    /// Output folder [default: output/<scenario name>/]. With several
    /// scenario files, each gets a subfolder named after its scenario.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Number of replications (overrides meta.replications; for
    /// `sensitivity`, those of the run behind the rank correlations).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    replications: Option<u32>,
    /// Random seed (overrides meta.seed); the same seed gives the same results.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads [default: all cores]; results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=wijkbudget::MAX_THREADS as i64))]
    threads: Option<u16>,
    /// Language of the console table, the charts, the workbook and the report.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    lang: LangArg,
    /// No progress bar and no messages on stderr.
    #[arg(long, short)]
    quiet: bool,
}

impl CommonArgs {
    /// The run options of a scenario with these arguments' overrides.
    fn run_options(&self, sc: &Scenario, file: &str, variants: &[String]) -> RunOptions {
        let mut o = RunOptions::new(sc);
        if let Some(n) = self.replications {
            o.replications = n;
        }
        if let Some(s) = self.seed {
            o.seed = s;
        }
        o.threads = self.threads.map(usize::from);
        o.variants = variants.to_vec();
        o.file = Some(file.to_string());
        o
    }

    fn lang(&self) -> Lang {
        self.lang.into()
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

/// Parses the arguments and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run_command(&args),
        Command::Validate { files } => validate::command(&files),
        Command::Init { dir, force } => init_command(&dir, force),
        Command::Sensitivity(args) => sensitivity::command(&args),
        Command::Allocate(args) => allocate::command(&args),
        Command::Report(args) => report::command(&args),
    }
}

/// Whether an error is a closed stdout (e.g. piped into `head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A scenario read from a file (or the built-in example).
struct Loaded {
    file: String,
    scenario: Scenario,
}

/// Reads and validates every file; prints every problem of every file.
fn load_all(files: &[PathBuf]) -> Result<Option<Vec<Loaded>>> {
    let mut loaded = Vec::new();
    let mut failed = false;
    if files.is_empty() {
        let sc = scenario::parse(EXAMPLE_SCENARIO, EXAMPLE_FILE_NAME)
            .map_err(|d| anyhow::anyhow!("the built-in example is invalid:\n{d}"))?;
        loaded.push(Loaded {
            file: EXAMPLE_FILE_NAME.to_string(),
            scenario: sc,
        });
        return Ok(Some(loaded));
    }
    for path in files {
        let name = path.display().to_string();
        let Some(bytes) = read_reported(path) else {
            failed = true;
            continue;
        };
        match scenario::parse_bytes(&bytes, &name) {
            Ok(sc) => loaded.push(Loaded {
                file: name,
                scenario: sc,
            }),
            Err(diags) => {
                eprint!("{diags}");
                if let scenario::FileKind::Municipality { marker, line } =
                    scenario::file_kind(&String::from_utf8_lossy(&bytes))
                {
                    eprintln!(
                        "{name}: this looks like a municipality file (`{marker}` on line {line}): \
                         divide its budget with `wijkbudget allocate {name}`"
                    );
                }
                failed = true;
            }
        }
    }
    Ok(if failed { None } else { Some(loaded) })
}

/// Reads a file with [`read_limited`]; prints why when it cannot.
fn read_reported(path: &Path) -> Option<Vec<u8>> {
    read_limited(path)
        .map_err(|e| eprintln!("{}: {e:#}", path.display()))
        .ok()
}

/// Reads a file, refusing anything larger than a scenario can sensibly be.
fn read_limited(path: &Path) -> Result<Vec<u8>> {
    const LIMIT: u64 = 1 << 20;
    let meta = std::fs::metadata(path).with_context(|| "cannot read the file")?;
    if meta.is_dir() {
        bail!("is a folder, not a scenario file");
    }
    if meta.len() > LIMIT {
        bail!(
            "the file is {} bytes; a scenario file may be at most 1 MiB",
            meta.len()
        );
    }
    std::fs::read(path).with_context(|| "cannot read the file")
}

fn init_command(dir: &Path, force: bool) -> Result<ExitCode> {
    let path = dir.join(EXAMPLE_FILE_NAME);
    if path.exists() && !force {
        bail!(
            "{} exists already; use --force to overwrite it",
            path.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    write::atomic(&path, EXAMPLE_SCENARIO.as_bytes())?;
    println!(
        "wrote {}; run it with: wijkbudget run {}",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_command(args: &RunArgs) -> Result<ExitCode> {
    let common = &args.common;
    let Some(loaded) = load_all(&args.files)? else {
        return Ok(ExitCode::from(2));
    };
    // Everything is checked before anything runs or is written.
    let mut plans = Vec::new();
    for l in &loaded {
        let options = common.run_options(&l.scenario, &l.file, &args.variants);
        let models = wijkbudget::select_variants(&l.scenario, &options.variants)
            .with_context(|| l.file.clone())?;
        resources::check_run(&models, options.replications).with_context(|| l.file.clone())?;
        let dir = output_dir(common.out.as_deref(), &l.scenario.name, loaded.len());
        plans.push((l, options, models.len(), dir));
    }
    let lang = common.lang();
    for (l, options, n_variants, dir) in plans {
        let bar = progress::bar(
            u64::from(options.replications),
            &format!("{} · {} varianten", l.scenario.name, n_variants),
            common.quiet,
        );
        let output = wijkbudget::run(&l.scenario, &options, &|n| bar.inc(n))
            .with_context(|| l.file.clone())?;
        bar.finish_and_clear();
        let (summary, kept) = (output.summary, output.kept);
        let mut files = Vec::new();
        for exporter in export::all(lang) {
            files.extend(exporter.export(&export::Run {
                summary: &summary,
                kept: &kept,
            })?);
        }
        let sens = report::sensitivity_in(&dir, &summary, common.quiet);
        files.extend(report::outputs(
            &summary,
            sens.as_ref(),
            lang,
            Some(&report::today()),
        )?);
        write::all(&dir, &files)?;
        let table = console::render(&summary, lang);
        let mut out = std::io::stdout().lock();
        out.write_all(table.as_bytes())?;
        if !common.quiet {
            eprintln!("wrote {} files to {}", files.len(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a scenario's outputs go.
fn output_dir(out: Option<&Path>, name: &str, n_files: usize) -> PathBuf {
    let safe = safe_name(name);
    match out {
        Some(dir) if n_files == 1 => dir.to_path_buf(),
        Some(dir) => dir.join(safe),
        None => Path::new("output").join(safe),
    }
}

/// A folder name made from a scenario name: lower-case letters, digits, `-`
/// and `_` only, never empty, never `.` or `..`, at most 64 characters.
pub fn safe_name(name: &str) -> String {
    wijkbudget::locale::file_stem(name, 64).unwrap_or_else(|| "scenario".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names_never_leave_the_output_folder() {
        assert_eq!(safe_name("Voorbeeldwijk Noord"), "voorbeeldwijk-noord");
        assert_eq!(safe_name("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_name("/abs/path"), "abs-path");
        assert_eq!(safe_name(".."), "scenario");
        assert_eq!(safe_name(""), "scenario");
        assert_eq!(safe_name("Café <script>&"), "cafe-script");
        assert!(safe_name(&"x".repeat(500)).len() <= 64);
        for n in ["a/b", "..", "C:\\x", "\u{0}", "a\nb"] {
            let s = safe_name(n);
            assert!(!s.contains('/') && !s.contains('\\') && !s.contains(".."));
        }
    }
}
