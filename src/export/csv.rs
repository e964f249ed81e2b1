//! Tidy CSV tables: one observation per row, for spreadsheets and R/pandas.
//!
//! - `yearly.csv`: variant, year, metric (with stream and level) and its statistics;
//! - `horizon.csv`: the same aggregated over the horizon;
//! - `comparison.csv`: each variant against the baseline, per year and in total;
//! - `assumptions.csv`: every parameter per variant with distribution and source;
//! - `drivers.csv`: rank correlations of the uncertain parameters with the outcome;
//! - `replications.csv`: per replication the horizon totals, for own analyses
//!   (the first `results::KEEP_LIMIT` replications).

use super::{ExportError, Exporter, OutputFile, Run};
use crate::results::{KEPT_COLUMNS, Kept, Summary};
use crate::stats::Stat;

/// Writes the CSV tables.
pub struct Csv;

const STAT_HEADER: [&str; 10] = [
    "mean", "sd", "se", "p5", "p25", "p50", "p75", "p95", "min", "max",
];

fn stat_fields(s: &Stat) -> [String; 10] {
    [
        s.mean, s.sd, s.se, s.p5, s.p25, s.p50, s.p75, s.p95, s.min, s.max,
    ]
    .map(num)
}

/// Numbers in a round-trippable, locale-free form.
pub(crate) fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// One CSV file: its header, then the rows `rows` writes.
pub(crate) fn table(
    file: &'static str,
    header: &[&str],
    rows: impl FnOnce(&mut ::csv::Writer<Vec<u8>>) -> Result<(), ::csv::Error>,
) -> Result<OutputFile, ExportError> {
    let wrap = |source| ExportError::Csv { file, source };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(wrap)?;
    rows(&mut w).map_err(wrap)?;
    let bytes = w.into_inner().map_err(|e| wrap(e.into_error().into()))?;
    Ok(OutputFile {
        name: file.into(),
        bytes,
    })
}

impl Exporter<Run<'_>> for Csv {
    fn export(&self, run: &Run<'_>) -> Result<Vec<OutputFile>, ExportError> {
        let Run { summary, kept } = *run;
        let metrics = &summary.scenario.metrics;
        let metric_cols = |key: &str| -> [String; 4] {
            let d = metrics.iter().find(|d| d.key == key);
            [
                d.map_or(key, |d| &*d.name).to_string(),
                d.and_then(|d| d.stream.clone()).unwrap_or_default(),
                d.and_then(|d| d.level.clone()).unwrap_or_default(),
                d.map(|d| format!("{:?}", d.unit).to_lowercase())
                    .unwrap_or_default(),
            ]
        };
        let mut header = vec![
            "variant", "year", "key", "metric", "stream", "level", "unit",
        ];
        header.extend(STAT_HEADER);
        let yearly = table("yearly.csv", &header, |w| {
            for v in &summary.variants {
                for y in &v.years {
                    for (key, s) in &y.metrics {
                        let mut rec = vec![v.name.clone(), y.year.to_string(), key.clone()];
                        rec.extend(metric_cols(key));
                        rec.extend(stat_fields(s));
                        w.write_record(&rec)?;
                    }
                }
            }
            Ok(())
        })?;
        let mut header = vec!["variant", "key", "metric", "stream", "level", "unit"];
        header.extend(STAT_HEADER);
        let horizon = table("horizon.csv", &header, |w| {
            for v in &summary.variants {
                for (key, s) in &v.horizon {
                    let mut rec = vec![v.name.clone(), key.clone()];
                    rec.extend(metric_cols(key));
                    rec.extend(stat_fields(s));
                    w.write_record(&rec)?;
                }
            }
            Ok(())
        })?;
        Ok(vec![
            yearly,
            horizon,
            comparison(summary)?,
            assumptions(summary)?,
            drivers(summary)?,
            replications(kept)?,
        ])
    }
}

/// `comparison.csv`: each variant against the baseline, per year and over the horizon.
fn comparison(summary: &Summary) -> Result<OutputFile, ExportError> {
    let mut header = vec![
        "variant",
        "baseline",
        "year",
        "measure",
        "p_saving",
        "p_saving_se",
    ];
    header.extend(STAT_HEADER);
    table("comparison.csv", &header, |w| {
        for c in &summary.comparisons {
            for y in &c.years {
                let rows = [
                    ("total_cost_difference", &y.difference, None),
                    (
                        "cumulative_difference",
                        &y.cumulative_difference,
                        Some(y.p_saving_cumulative),
                    ),
                    ("escalations_avoided", &y.escalations_avoided, None),
                ];
                for (measure, s, p) in rows {
                    let mut rec = vec![
                        c.variant.clone(),
                        c.baseline.clone(),
                        y.year.to_string(),
                        measure.to_string(),
                        p.map(|p| num(p.p)).unwrap_or_default(),
                        p.map(|p| num(p.se)).unwrap_or_default(),
                    ];
                    rec.extend(stat_fields(s));
                    w.write_record(&rec)?;
                }
            }
            let mut rec = vec![
                c.variant.clone(),
                c.baseline.clone(),
                "horizon".into(),
                "total_cost_difference".into(),
                num(c.p_saving.p),
                num(c.p_saving.se),
            ];
            rec.extend(stat_fields(&c.total_cost_difference));
            w.write_record(&rec)?;
        }
        Ok(())
    })
}

/// `assumptions.csv`: every parameter per variant.
fn assumptions(summary: &Summary) -> Result<OutputFile, ExportError> {
    table(
        "assumptions.csv",
        &[
            "variant",
            "path",
            "dist",
            "description",
            "mean",
            "source",
            "line",
        ],
        |w| {
            for v in &summary.variants {
                for a in &v.assumptions {
                    w.write_record([
                        v.name.as_str(),
                        &a.path,
                        a.dist.kind(),
                        &a.description,
                        &num(a.mean),
                        a.source.as_deref().unwrap_or(""),
                        &a.line.to_string(),
                    ])?;
                }
            }
            Ok(())
        },
    )
}

/// `drivers.csv`: the rank correlations per variant and parameter.
fn drivers(summary: &Summary) -> Result<OutputFile, ExportError> {
    table(
        "drivers.csv",
        &[
            "variant",
            "path",
            "rank_correlation_total_cost",
            "rank_correlation_overrun",
        ],
        |w| {
            for v in &summary.variants {
                for d in &v.drivers {
                    w.write_record([
                        v.name.as_str(),
                        &d.path,
                        &num(d.rank_correlation_total_cost),
                        &num(d.rank_correlation_overrun),
                    ])?;
                }
            }
            Ok(())
        },
    )
}

/// `replications.csv`: the kept replications' horizon totals.
fn replications(kept: &[Kept]) -> Result<OutputFile, ExportError> {
    let mut header = vec!["variant", "replication"];
    header.extend(KEPT_COLUMNS.map(|(name, _)| name));
    table("replications.csv", &header, |w| {
        for k in kept {
            for (r, row) in k.horizon.chunks_exact(KEPT_COLUMNS.len()).enumerate() {
                let mut rec = vec![k.variant.clone(), r.to_string()];
                rec.extend(row.iter().map(|&x| num(x)));
                w.write_record(&rec)?;
            }
        }
        Ok(())
    })
}
