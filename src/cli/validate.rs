//! `wijkbudget validate`: tells scenario files from municipality files by
//! their content, checks each with its own parser, and prints what it found
//! or every problem with file, line and key.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use wijkbudget::allocation::{AreaSource, Municipality};
use wijkbudget::locale::{self, Lang};
use wijkbudget::model::Scenario;
use wijkbudget::scenario::{self, FileKind};

use super::allocate::municipality_from;
use super::read_reported;

/// Runs `wijkbudget validate`: exit code 2 when any file has a problem.
pub(super) fn command(files: &[PathBuf]) -> Result<ExitCode> {
    let mut failed = false;
    for path in files {
        let name = path.display().to_string();
        let Some(bytes) = read_reported(path) else {
            failed = true;
            continue;
        };
        let line = match scenario::file_kind(&String::from_utf8_lossy(&bytes)) {
            FileKind::Scenario => match scenario::parse_bytes(&bytes, &name) {
                Ok(sc) => Some(scenario_line(&name, &sc)),
                Err(d) => {
                    eprint!("{d}");
                    None
                }
            },
            FileKind::Municipality { marker, line } => match municipality_from(path, bytes) {
                Ok(m) => Some(municipality_line(&name, &m)),
                Err(problems) => {
                    eprint!(
                        "{name}: read as a municipality file (for `wijkbudget allocate`) \
                         because of `{marker}` on line {line}\n{problems}"
                    );
                    None
                }
            },
        };
        match line {
            Some(l) => writeln!(std::io::stdout().lock(), "{l}")?,
            None => failed = true,
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `wijk.toml: ok — scenario 'x', 2 variant(s): a, b`.
fn scenario_line(file: &str, sc: &Scenario) -> String {
    format!(
        "{file}: ok — scenario '{}', {} variant(s): {}",
        sc.name,
        sc.variants.len(),
        sc.variants
            .iter()
            .map(|v| v.variant.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `gemeente.toml: ok — municipality 'x', budget € 1.000.000, 2 area(s): ...`.
fn municipality_line(file: &str, m: &Municipality) -> String {
    let areas: Vec<String> = m
        .areas
        .iter()
        .map(|a| match &a.source {
            AreaSource::Inline => a.name.clone(),
            AreaSource::Scenario(p) => format!("{} (from {p})", a.name),
        })
        .collect();
    let streams: Vec<&str> = if m.streams.is_empty() {
        m.areas
            .first()
            .map(|a| a.model.streams.iter().map(|s| s.name.as_str()).collect())
            .unwrap_or_default()
    } else {
        m.streams.iter().map(String::as_str).collect()
    };
    let mut line = format!(
        "{file}: ok — municipality '{}', budget {}, {} area(s): {}; {} stream(s): {}",
        m.name,
        locale::euro(m.total, Lang::Nl),
        areas.len(),
        areas.join(", "),
        streams.len(),
        streams.join(", "),
    );
    if let Some(w) = &m.needs_weights {
        let names: Vec<&str> = w.iter().map(|(n, _)| n.as_str()).collect();
        line.push_str(&format!("; needs weights: {}", names.join(", ")));
    }
    if !m.pool_sizes.is_empty() {
        line.push_str(&format!("; {} pool size(s)", m.pool_sizes.len()));
    }
    line
}
