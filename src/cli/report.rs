//! The charts and `rapport.html` of a run, and the `report` command that
//! renders them again from a run's `summary.json` without simulating.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::Args;

use wijkbudget::export::OutputFile;
use wijkbudget::locale::Lang;
use wijkbudget::results::{SCHEMA_VERSION, Summary};
use wijkbudget::sensitivity::report::{Report as SensReport, SCHEMA_VERSION as SENS_SCHEMA};
use wijkbudget::{charts, report};

use super::{LangArg, write};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output folder of a run (holds summary.json); the charts and
    /// rapport.html are written into it.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Language of the charts and the report.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    lang: LangArg,
}

/// The report file's name in the output folder.
pub const REPORT_FILE: &str = "rapport.html";

/// Where a run's output folder holds the sensitivity analysis of the
/// default `wijkbudget sensitivity` output folder.
pub const SENSITIVITY_FILE: &str = "sensitivity/sensitivity.json";

/// The charts (`charts/<id>.png` and `.svg`) and `rapport.html` of a
/// summary; with a sensitivity analysis, the report gets its section.
pub fn outputs(
    summary: &Summary,
    sensitivity: Option<&SensReport>,
    lang: Lang,
    date: Option<&str>,
) -> Result<Vec<OutputFile>> {
    let charts = charts::for_summary(summary, lang, date)?;
    let html = render_html(summary, &charts, sensitivity, lang, date)?;
    Ok(files_of(charts, html))
}

/// The files of a report: each chart as `charts/<id>.png` and `.svg`, and
/// the HTML as `rapport.html`.
pub fn files_of(charts: Vec<charts::Chart>, html: String) -> Vec<OutputFile> {
    let mut files = Vec::with_capacity(2 * charts.len() + 1);
    for c in charts {
        files.push(OutputFile {
            name: format!("charts/{}.png", c.id),
            bytes: c.png,
        });
        files.push(OutputFile {
            name: format!("charts/{}.svg", c.id),
            bytes: c.svg.into_bytes(),
        });
    }
    files.push(OutputFile {
        name: REPORT_FILE.into(),
        bytes: html.into_bytes(),
    });
    files
}

/// `rapport.html` from a summary, its charts and an optional sensitivity
/// analysis (its charts are drawn again from the report).
fn render_html(
    summary: &Summary,
    charts: &[charts::Chart],
    sensitivity: Option<&SensReport>,
    lang: Lang,
    date: Option<&str>,
) -> Result<String> {
    let sections = match sensitivity {
        Some(s) => {
            let sc = charts::for_sensitivity(s, lang, date)?;
            vec![report::sensitivity::section(s, &sc, lang)]
        }
        None => Vec::new(),
    };
    Ok(report::render(&report::Report {
        summary,
        charts,
        lang,
        date,
        sections: &sections,
    }))
}

/// Only `rapport.html` of a summary, with the sensitivity section (for the
/// `sensitivity` command, which leaves the run's charts as they are).
pub fn html_only(
    summary: &Summary,
    sensitivity: &SensReport,
    lang: Lang,
    date: Option<&str>,
) -> Result<OutputFile> {
    // The report inlines the run's charts, so they are drawn again.
    let charts = charts::for_summary(summary, lang, date)?;
    let html = render_html(summary, &charts, Some(sensitivity), lang, date)?;
    Ok(OutputFile {
        name: REPORT_FILE.into(),
        bytes: html.into_bytes(),
    })
}

/// The sensitivity analysis in `dir/sensitivity/sensitivity.json`, when
/// there is one of the summary's scenario. One that cannot be read, of
/// another schema or of another scenario is left out with a warning on
/// stderr (unless `quiet`): the run's report does not depend on it.
pub fn sensitivity_in(dir: &Path, summary: &Summary, quiet: bool) -> Option<SensReport> {
    let path = dir.join(SENSITIVITY_FILE);
    if !path.exists() {
        return None;
    }
    let warn = |msg: String| {
        if !quiet {
            eprintln!(
                "{}: warning: {msg}; the report is written without the sensitivity section",
                path.display()
            );
        }
    };
    let bytes = match std::fs::metadata(&path) {
        Ok(m) if m.len() > 256 << 20 => {
            warn(format!("{} bytes is too large (at most 256 MiB)", m.len()));
            return None;
        }
        _ => match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                warn(format!("cannot read it ({e})"));
                return None;
            }
        },
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            warn(format!("not valid JSON ({e})"));
            return None;
        }
    };
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(SENS_SCHEMA) => {}
        Some(v) => {
            warn(format!(
                "schema_version is {v}, this wijkbudget reads {SENS_SCHEMA}: run `wijkbudget sensitivity` again"
            ));
            return None;
        }
        None => {
            warn("no schema_version; is this a wijkbudget sensitivity.json?".into());
            return None;
        }
    }
    let report: SensReport = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            warn(format!("not a wijkbudget sensitivity analysis ({e})"));
            return None;
        }
    };
    if report.scenario.name != summary.scenario.name {
        warn(format!(
            "it analyses scenario '{}', the run is of '{}'",
            report.scenario.name, summary.scenario.name
        ));
        return None;
    }
    Some(report)
}

/// `wijkbudget report DIR`: reads `DIR/summary.json`, writes the charts and
/// the report again.
pub fn command(args: &ReportArgs) -> Result<ExitCode> {
    let path = args.dir.join("summary.json");
    let summary = read_summary(&path)?;
    let date = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .map(date_of);
    let sens = sensitivity_in(&args.dir, &summary, false);
    let files = outputs(&summary, sens.as_ref(), args.lang.into(), date.as_deref())?;
    write::all(&args.dir, &files)?;
    eprintln!(
        "wrote {}{} and {} charts to {}",
        REPORT_FILE,
        if sens.is_some() {
            " (with the sensitivity section)"
        } else {
            ""
        },
        (files.len() - 1) / 2,
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn read_summary(path: &Path) -> Result<Summary> {
    const LIMIT: u64 = 256 << 20;
    let meta = std::fs::metadata(path).with_context(|| {
        format!(
            "{}: cannot read it; give the output folder of a `wijkbudget run` (it holds summary.json)",
            path.display()
        )
    })?;
    if meta.len() > LIMIT {
        bail!(
            "{}: {} bytes is too large for a summary (at most 256 MiB)",
            path.display(),
            meta.len()
        );
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("{}: cannot read it", path.display()))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not valid JSON", path.display()))?;
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => bail!(
            "{}: schema_version is {v}; this wijkbudget reads version {SCHEMA_VERSION}: run the scenario again",
            path.display()
        ),
        None => bail!(
            "{}: no schema_version; is this a wijkbudget summary.json?",
            path.display()
        ),
    }
    serde_json::from_value(value)
        .with_context(|| format!("{}: not a wijkbudget summary", path.display()))
}

/// Today's date, `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    date_of(SystemTime::now())
}

/// A moment's date, `YYYY-MM-DD` (UTC).
pub fn date_of(t: SystemTime) -> String {
    let days = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_782), (2026, 11, 25));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
