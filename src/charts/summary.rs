//! The charts of a run, made from its [`Summary`] alone: per variant a fan
//! chart of the yearly care spend against the ceiling and the spend per
//! stream; across variants the chance of an overrun per year, the total
//! cost over the horizon, escalations and the waiting list; per comparison
//! the distribution of the paired saving against the baseline.

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use super::style::{self, Mark};
use super::{Chart, ChartError, DrawError, Frame, OrDraw, Plot, render, slug};
use crate::i18n;
use crate::locale::{self, Lang};
use crate::results::{Comparison, Summary, VariantSummary};
use crate::stats::Stat;

/// Every chart of a run, in the order the report shows them. `date` (the
/// day of the run, `YYYY-MM-DD`) goes into the source line.
pub fn for_summary(
    summary: &Summary,
    lang: Lang,
    date: Option<&str>,
) -> Result<Vec<Chart>, ChartError> {
    let source = style::source_line(summary, lang, date);
    let mut jobs: Vec<(String, Frame, Job)> = Vec::new();
    let frame = |title: String, legend| Frame::new(&title, legend, source.clone());
    if summary.variants.is_empty() {
        return Ok(Vec::new());
    }
    let (title, legend, job) = overrun_chance(summary, lang);
    jobs.push(("overrun-chance".into(), frame(title, legend), job));
    let (title, legend, job) = total_cost(summary, lang);
    jobs.push(("total-cost".into(), frame(title, legend), job));
    for (i, c) in summary.comparisons.iter().enumerate() {
        let (title, legend, job) = saving(c, lang);
        jobs.push((
            format!("saving-{}-{}", i + 2, slug(&c.variant)),
            frame(title, legend),
            job,
        ));
    }
    for (i, v) in summary.variants.iter().enumerate() {
        let (title, legend, job) = fan(summary, v, i, lang);
        jobs.push((
            format!("fan-{}-{}", i + 1, slug(&v.name)),
            frame(title, legend),
            job,
        ));
    }
    for (i, v) in summary.variants.iter().enumerate() {
        let (title, legend, job) = streams(summary, v, lang);
        jobs.push((
            format!("streams-{}-{}", i + 1, slug(&v.name)),
            frame(title, legend),
            job,
        ));
    }
    let (title, legend, job) = escalations(summary, lang);
    jobs.push(("escalations".into(), frame(title, legend), job));
    let (title, legend, job) = waiting(summary, lang);
    jobs.push(("waiting-list".into(), frame(title, legend), job));
    // Each chart is independent; collected in order.
    jobs.par_iter()
        .map(|(id, frame, job)| render(id, frame, job))
        .collect()
}

/// One chart's plot.
enum Job {
    Bands(BandsPlot),
    Lines(LinesPlot),
    Boxes(BoxesPlot),
    Stacked(StackedPlot),
    Histogram(HistogramPlot),
}

impl Plot for Job {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        match self {
            Job::Bands(p) => p.draw(area),
            Job::Lines(p) => p.draw(area),
            Job::Boxes(p) => p.draw(area),
            Job::Stacked(p) => p.draw(area),
            Job::Histogram(p) => p.draw(area),
        }
    }
}

type Made = (String, Vec<(String, Mark)>, Job);

/// The yearly statistic `key` of a variant (zeros where it is missing).
fn yearly(v: &VariantSummary, key: &str) -> Vec<Stat> {
    v.years
        .iter()
        .map(|y| y.metrics.get(key).copied().unwrap_or_else(|| Stat::of(&[])))
        .collect()
}

fn years(summary: &Summary) -> Vec<f64> {
    summary
        .variants
        .first()
        .map(|v| v.years.iter().map(|y| f64::from(y.year)).collect())
        .unwrap_or_default()
}

fn period(summary: &Summary) -> String {
    let y = &summary.scenario.years;
    match (y.first(), y.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn name(s: &str) -> String {
    style::clip(s, 48)
}

/// Index and value of the smallest finite value.
fn argmin(xs: impl Iterator<Item = f64>) -> Option<(usize, f64)> {
    xs.enumerate()
        .filter(|(_, x)| x.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

fn fan(summary: &Summary, v: &VariantSummary, i: usize, lang: Lang) -> Made {
    let spend = yearly(v, "care_spend");
    let ceiling: Vec<f64> = yearly(v, "ceiling").iter().map(|s| s.mean).collect();
    let last = v.years.last();
    let title = match last {
        Some(y) => format!(
            "{}: {} {}: {}",
            name(&v.name),
            i18n::text(lang, "chart-care-spend-per-year-against"),
            y.year,
            locale::percent(y.p_overrun.p, 1, lang)
        ),
        None => name(&v.name),
    };
    let color = style::color(i);
    let legend = vec![
        (
            i18n::text(lang, "chart-90-of-outcomes-p5-p95"),
            Mark::Band { color, alpha: 0.18 },
        ),
        (
            i18n::text(lang, "chart-50-of-outcomes-p25-p75"),
            Mark::Band { color, alpha: 0.4 },
        ),
        (
            i18n::text(lang, "chart-median"),
            Mark::Line {
                color,
                dashed: false,
            },
        ),
        (
            i18n::text(lang, "chart-ceiling"),
            Mark::Line {
                color: style::CEILING,
                dashed: true,
            },
        ),
    ];
    let plot = BandsPlot {
        years: years(summary),
        p5: spend.iter().map(|s| s.p5).collect(),
        p25: spend.iter().map(|s| s.p25).collect(),
        p50: spend.iter().map(|s| s.p50).collect(),
        p75: spend.iter().map(|s| s.p75).collect(),
        p95: spend.iter().map(|s| s.p95).collect(),
        ceiling,
        color,
        lang,
        y_desc: i18n::text(lang, "chart-care-spend-per-year-counts"),
    };
    (title, legend, Job::Bands(plot))
}

fn overrun_chance(summary: &Summary, lang: Lang) -> Made {
    let p_any: Vec<f64> = summary
        .variants
        .iter()
        .map(|v| v.headline.p_overrun_any_year.p)
        .collect();
    let base = &summary.variants[0];
    let title = match argmin(p_any.iter().copied()) {
        Some((b, p)) if b != 0 => format!(
            "{} {}: {} {}, {} {} {}",
            name(&summary.variants[b].name),
            i18n::text(lang, "chart-has-the-smallest-chance-of"),
            locale::percent(p, 1, lang),
            i18n::text(lang, "chart-in-at-least-one-year"),
            i18n::text(lang, "chart-against"),
            locale::percent(p_any[0], 1, lang),
            format_args!("{} {}", i18n::text(lang, "chart-for-2"), name(&base.name)),
        ),
        _ => format!(
            "{}: {} {} {}",
            name(&base.name),
            i18n::text(lang, "chart-chance-of-an-overrun"),
            locale::percent(p_any[0], 1, lang),
            i18n::text(lang, "chart-in-at-least-one-year"),
        ),
    };
    let series: Vec<(String, Vec<f64>)> = summary
        .variants
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                v.years.iter().map(|y| y.p_overrun.p).collect(),
            )
        })
        .collect();
    let legend = variant_legend(summary);
    let plot = LinesPlot {
        years: years(summary),
        series,
        unit: LineUnit::Share,
        lang,
        y_desc: i18n::text(lang, "chart-chance-of-an-overrun-in-2"),
    };
    (title, legend, Job::Lines(plot))
}

/// The variant legend, noting the series that are zero throughout (they
/// lie on the axis, under each other).
fn legend_noting_zeros(
    summary: &Summary,
    series: &[(String, Vec<f64>)],
    lang: Lang,
) -> Vec<(String, Mark)> {
    let mut legend = variant_legend(summary);
    for ((label, _), (_, ys)) in legend.iter_mut().zip(series) {
        if ys.iter().all(|y| y.abs() < 0.5) {
            label.push_str(&i18n::text(lang, "chart-always-0"));
        }
    }
    legend
}

fn variant_legend(summary: &Summary) -> Vec<(String, Mark)> {
    summary
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                name(&v.name),
                Mark::Line {
                    color: style::color(i),
                    dashed: false,
                },
            )
        })
        .collect()
}

fn total_cost(summary: &Summary, lang: Lang) -> Made {
    let rows: Vec<(String, Stat)> = summary
        .variants
        .iter()
        .map(|v| (v.name.clone(), v.headline.total_cost))
        .collect();
    let cheapest = argmin(rows.iter().map(|r| r.1.mean));
    let title = match cheapest {
        Some((i, m)) if rows.len() > 1 => format!(
            "{} {}: {} {} ({})",
            i18n::text(lang, "chart-total-cost"),
            period(summary),
            name(&rows[i].0),
            i18n::text(lang, "chart-is-the-cheapest-on-average"),
            locale::euro_short(m, lang)
        ),
        _ => format!(
            "{} {}: {} {}",
            i18n::text(lang, "chart-total-cost"),
            period(summary),
            i18n::text(lang, "chart-on-average"),
            locale::euro_short(rows[0].1.mean, lang)
        ),
    };
    let legend = vec![
        (
            i18n::text(lang, "chart-middle-50-p25-p75"),
            Mark::Band {
                color: style::color(0),
                alpha: 0.35,
            },
        ),
        (
            i18n::text(lang, "chart-90-of-outcomes-p5-p95"),
            Mark::Line {
                color: style::TEXT,
                dashed: false,
            },
        ),
        (
            i18n::text(lang, "chart-median"),
            Mark::Block { color: style::TEXT },
        ),
        (
            format!(
                "{} {}",
                i18n::text(lang, "chart-median-of-the-baseline"),
                name(&rows[0].0)
            ),
            Mark::Line {
                color: style::MUTED,
                dashed: true,
            },
        ),
    ];
    let plot = BoxesPlot {
        rows,
        lang,
        x_desc: format!(
            "{} {} ({})",
            i18n::text(lang, "chart-total-cost"),
            period(summary),
            i18n::text(lang, "chart-care-team-and-prevention")
        ),
    };
    (title, legend, Job::Boxes(plot))
}

fn streams(summary: &Summary, v: &VariantSummary, lang: Lang) -> Made {
    let streams: Vec<(String, Vec<f64>)> = summary
        .scenario
        .streams
        .iter()
        .map(|s| {
            let label = if s.label.is_empty() {
                &s.name
            } else {
                &s.label
            };
            (
                label.clone(),
                yearly(v, &format!("spend.{}", s.name))
                    .iter()
                    .map(|x| x.mean)
                    .collect(),
            )
        })
        .collect();
    let ceiling: Vec<f64> = yearly(v, "ceiling").iter().map(|s| s.mean).collect();
    let last = v.years.len().saturating_sub(1);
    let total: f64 = streams
        .iter()
        .map(|s| s.1.get(last).copied().unwrap_or(0.0))
        .sum();
    let largest = streams
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.1.get(last).map(|x| (i, *x)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let title = match (largest, v.years.last()) {
        (Some((i, x)), Some(y)) if total > 0.0 => format!(
            "{}: {} {} ({} {} {})",
            name(&v.name),
            name(&streams[i].0),
            i18n::text(lang, "chart-is-the-largest-stream"),
            locale::percent(x / total, 0, lang),
            i18n::text(lang, "chart-of-care-spend-in"),
            y.year
        ),
        _ => format!(
            "{}: {}",
            name(&v.name),
            i18n::text(lang, "chart-care-spend-per-stream")
        ),
    };
    let mut legend: Vec<(String, Mark)> = streams
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                name(&s.0),
                Mark::Block {
                    color: style::color(i),
                },
            )
        })
        .collect();
    // Top of the legend = top of the stack.
    legend.reverse();
    legend.push((
        i18n::text(lang, "chart-ceiling-mean"),
        Mark::Line {
            color: style::CEILING,
            dashed: true,
        },
    ));
    let plot = StackedPlot {
        years: years(summary),
        streams,
        ceiling,
        lang,
        y_desc: i18n::text(lang, "chart-mean-care-spend-per-year"),
    };
    (title, legend, Job::Stacked(plot))
}

fn escalations(summary: &Summary, lang: Lang) -> Made {
    let series: Vec<(String, Vec<f64>)> = summary
        .variants
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                yearly(v, "escalations").iter().map(|s| s.mean).collect(),
            )
        })
        .collect();
    let totals: Vec<f64> = series.iter().map(|s| s.1.iter().sum()).collect();
    let title = match argmin(totals.iter().copied()) {
        Some((i, n)) if series.len() > 1 => format!(
            "{}: {} {} ({} {} {})",
            i18n::text(lang, "chart-escalations-per-year"),
            i18n::text(lang, "chart-fewest-with"),
            name(&series[i].0),
            locale::number(n, 0, lang),
            i18n::text(lang, "chart-in"),
            period(summary)
        ),
        _ => format!(
            "{}: {} {} {}",
            i18n::text(lang, "chart-escalations-per-year"),
            locale::number(totals[0], 0, lang),
            i18n::text(lang, "chart-in"),
            period(summary)
        ),
    };
    let plot = LinesPlot {
        years: years(summary),
        series,
        unit: LineUnit::Count,
        lang,
        y_desc: i18n::text(lang, "chart-escalations-per-year-mean-households"),
    };
    let legend = legend_noting_zeros(summary, &plot.series, lang);
    (title, legend, Job::Lines(plot))
}

fn waiting(summary: &Summary, lang: Lang) -> Made {
    let series: Vec<(String, Vec<f64>)> = summary
        .variants
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                yearly(v, "waiting_end").iter().map(|s| s.mean).collect(),
            )
        })
        .collect();
    let most = series
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.1.iter().enumerate().map(move |(y, x)| (i, y, *x)))
        .filter(|c| c.2.is_finite())
        .max_by(|a, b| a.2.total_cmp(&b.2));
    let title = match most {
        Some((i, y, n)) if n >= 0.5 => format!(
            "{}: {} {} ({} {} {})",
            i18n::text(lang, "chart-households-waiting-at-year-end"),
            i18n::text(lang, "chart-most-with"),
            name(&series[i].0),
            locale::number(n, 0, lang),
            i18n::text(lang, "chart-in"),
            summary.scenario.years.get(y).copied().unwrap_or_default()
        ),
        _ => i18n::text(lang, "chart-no-variant-builds-up-a"),
    };
    let plot = LinesPlot {
        years: years(summary),
        series,
        unit: LineUnit::Count,
        lang,
        y_desc: i18n::text(lang, "chart-waiting-at-year-end-mean"),
    };
    let legend = legend_noting_zeros(summary, &plot.series, lang);
    (title, legend, Job::Lines(plot))
}

fn saving(c: &Comparison, lang: Lang) -> Made {
    let d = &c.total_cost_difference;
    let mean_saving = -d.mean;
    let title = format!(
        "{} {} {}: {} {}; {} {} {}",
        name(&c.variant),
        i18n::text(lang, "chart-against-2"),
        name(&c.baseline),
        i18n::text(lang, "chart-chance-of-a-saving"),
        locale::percent(c.p_saving.p, 1, lang),
        i18n::text(lang, "chart-on-average"),
        locale::euro_short(mean_saving.abs(), lang),
        if mean_saving >= 0.0 {
            i18n::text(lang, "chart-cheaper")
        } else {
            i18n::text(lang, "chart-more-expensive")
        }
    );
    // Saving = baseline − variant: the difference's bins mirrored.
    let h = &c.total_cost_difference_histogram;
    let total = h.total().max(1) as f64;
    let bins: Vec<(f64, f64, f64)> = h
        .counts
        .iter()
        .enumerate()
        .filter_map(|(i, &n)| {
            let (a, b) = (h.edges.get(i)?, h.edges.get(i + 1)?);
            Some((-b, -a, n as f64 / total))
        })
        .collect();
    let legend = vec![
        (
            i18n::text(lang, "chart-saving-cheaper"),
            Mark::Block { color: style::GAIN },
        ),
        (
            i18n::text(lang, "chart-no-saving-same-cost-or"),
            Mark::Block { color: style::LOSS },
        ),
        (
            i18n::text(lang, "chart-90-interval-p5-p95"),
            Mark::Line {
                color: style::TEXT,
                dashed: false,
            },
        ),
    ];
    let plot = HistogramPlot {
        bins,
        p_saving: c.p_saving.p,
        mean: mean_saving,
        interval: (-d.p95, -d.p5),
        lang,
        x_desc: format!(
            "{} {} {} ({})",
            i18n::text(lang, "chart-saving-on-total-cost"),
            i18n::text(lang, "chart-against-2"),
            name(&c.baseline),
            i18n::text(lang, "chart-whole-period-negative-dearer")
        ),
    };
    (title, legend, Job::Histogram(plot))
}

/// Finite minimum and maximum of some values.
fn bounds<'a>(xs: impl IntoIterator<Item = &'a f64>) -> (f64, f64) {
    xs.into_iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn year_range(years: &[f64]) -> (f64, f64) {
    let (lo, hi) = bounds(years);
    if lo.is_finite() {
        (lo - 0.5, hi + 0.5)
    } else {
        (0.0, 1.0)
    }
}

/// Fan chart: bands of quantiles, a median line and the ceiling.
struct BandsPlot {
    years: Vec<f64>,
    p5: Vec<f64>,
    p25: Vec<f64>,
    p50: Vec<f64>,
    p75: Vec<f64>,
    p95: Vec<f64>,
    ceiling: Vec<f64>,
    color: RGBColor,
    lang: Lang,
    y_desc: String,
}

fn band(years: &[f64], lo: &[f64], hi: &[f64]) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = years.iter().copied().zip(lo.iter().copied()).collect();
    pts.extend(years.iter().copied().zip(hi.iter().copied()).rev());
    pts
}

impl Plot for BandsPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (x0, x1) = year_range(&self.years);
        let (lo, hi) = bounds(self.p5.iter().chain(&self.p95).chain(&self.ceiling));
        let (y0, y1) = style::padded(lo, hi, false);
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(80)
            .y_label_area_size(200)
            .build_cartesian_2d(x0..x1, y0..y1)
            .or_draw()?;
        let max_abs = y0.abs().max(y1.abs());
        let lang = self.lang;
        let n_years = self.years.len().clamp(1, 12);
        style::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(n_years)
            .y_labels(8)
            .x_label_formatter(&|x| style::year_tick(*x))
            .y_label_formatter(&|y| style::euro_tick(*y, max_abs, lang))
            .x_desc(i18n::text(lang, "chart-year"))
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(&self.years, &self.p5, &self.p95),
                self.color.mix(0.18).filled(),
            )))
            .or_draw()?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(&self.years, &self.p25, &self.p75),
                self.color.mix(0.4).filled(),
            )))
            .or_draw()?;
        let median: Vec<(f64, f64)> = self.years.iter().copied().zip(self.p50.clone()).collect();
        chart
            .draw_series(LineSeries::new(
                median.iter().copied(),
                self.color.stroke_width(5),
            ))
            .or_draw()?;
        chart
            .draw_series(
                median
                    .iter()
                    .map(|&p| Circle::new(p, 7, self.color.filled())),
            )
            .or_draw()?;
        let ceiling: Vec<(f64, f64)> = self
            .years
            .iter()
            .copied()
            .zip(self.ceiling.clone())
            .collect();
        chart
            .draw_series(DashedLineSeries::new(
                ceiling,
                16,
                10,
                style::CEILING.stroke_width(4),
            ))
            .or_draw()?;
        Ok(())
    }
}

enum LineUnit {
    /// A probability, shown as a percentage.
    Share,
    Count,
}

/// One line per variant over the years.
struct LinesPlot {
    years: Vec<f64>,
    series: Vec<(String, Vec<f64>)>,
    unit: LineUnit,
    lang: Lang,
    y_desc: String,
}

impl Plot for LinesPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (x0, x1) = year_range(&self.years);
        let (_, hi) = bounds(self.series.iter().flat_map(|s| &s.1));
        let hi = if hi.is_finite() { hi } else { 0.0 };
        let y1 = match self.unit {
            LineUnit::Share => (hi * 1.15).clamp(0.05, 1.0),
            LineUnit::Count => (hi * 1.15).max(1.0),
        };
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(80)
            .y_label_area_size(170)
            .build_cartesian_2d(x0..x1, 0.0..y1)
            .or_draw()?;
        let lang = self.lang;
        let step = style::nice_step(0.0, y1, 8);
        let decimals = if step >= 0.01 { 0 } else { 1 };
        let n_years = self.years.len().clamp(1, 12);
        let y_fmt = |y: &f64| match self.unit {
            LineUnit::Share => locale::percent(*y, decimals, lang),
            LineUnit::Count => locale::number(*y, if step >= 1.0 { 0 } else { 1 }, lang),
        };
        style::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(n_years)
            .y_labels(8)
            .x_label_formatter(&|x| style::year_tick(*x))
            .y_label_formatter(&y_fmt)
            .x_desc(i18n::text(lang, "chart-year"))
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        for (i, (_, ys)) in self.series.iter().enumerate() {
            let c = style::color(i);
            let pts: Vec<(f64, f64)> = self.years.iter().copied().zip(ys.clone()).collect();
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(4)))
                .or_draw()?;
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 7, c.filled())))
                .or_draw()?;
        }
        Ok(())
    }
}

/// Horizontal box plots, one row per variant, the first the baseline.
struct BoxesPlot {
    rows: Vec<(String, Stat)>,
    lang: Lang,
    x_desc: String,
}

impl Plot for BoxesPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let n = self.rows.len().max(1);
        let (lo, hi) = bounds(self.rows.iter().flat_map(|r| [&r.1.p5, &r.1.p95]));
        let (x0, x1) = style::padded(lo, hi, false);
        let labels: Vec<String> = self.rows.iter().map(|r| style::clip(&r.0, 24)).collect();
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let label_w = (longest as f64 * style::TICK * 0.62) as u32 + 40;
        // Rows top to bottom: row i at y = n - 1 - i.
        let y_of = |i: usize| (n - 1 - i) as f64;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(label_w.clamp(120, 420))
            .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))
            .or_draw()?;
        let lang = self.lang;
        let max_abs = x0.abs().max(x1.abs());
        let y_fmt = |y: &f64| style::row_label(&labels, *y);
        style::mesh(&mut chart)
            .disable_y_mesh()
            .x_labels(7)
            .y_labels(n)
            .x_label_formatter(&|x| style::euro_tick(*x, max_abs, lang))
            .y_label_formatter(&y_fmt)
            .x_desc(self.x_desc.as_str())
            .draw()
            .or_draw()?;
        let half = 0.28;
        if let Some((_, base)) = self.rows.first() {
            chart
                .draw_series(DashedLineSeries::new(
                    [(base.p50, -0.6), (base.p50, n as f64 - 0.4)],
                    12,
                    8,
                    style::MUTED.stroke_width(3),
                ))
                .or_draw()?;
        }
        for (i, (_, s)) in self.rows.iter().enumerate() {
            let y = y_of(i);
            let c = style::color(i);
            let line = style::TEXT.stroke_width(3);
            chart
                .draw_series([
                    PathElement::new(vec![(s.p5, y), (s.p25, y)], line),
                    PathElement::new(vec![(s.p75, y), (s.p95, y)], line),
                    PathElement::new(vec![(s.p5, y - half / 2.0), (s.p5, y + half / 2.0)], line),
                    PathElement::new(vec![(s.p95, y - half / 2.0), (s.p95, y + half / 2.0)], line),
                ])
                .or_draw()?;
            chart
                .draw_series([
                    Rectangle::new([(s.p25, y - half), (s.p75, y + half)], c.mix(0.35).filled()),
                    Rectangle::new([(s.p25, y - half), (s.p75, y + half)], c.stroke_width(3)),
                ])
                .or_draw()?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(s.p50, y - half), (s.p50, y + half)],
                    style::TEXT.stroke_width(6),
                )))
                .or_draw()?;
        }
        Ok(())
    }
}

/// Stacked bars per year, one layer per stream, and the ceiling.
struct StackedPlot {
    years: Vec<f64>,
    streams: Vec<(String, Vec<f64>)>,
    ceiling: Vec<f64>,
    lang: Lang,
    y_desc: String,
}

impl Plot for StackedPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (x0, x1) = year_range(&self.years);
        let totals: Vec<f64> = (0..self.years.len())
            .map(|y| {
                self.streams
                    .iter()
                    .map(|s| s.1.get(y).copied().unwrap_or(0.0).max(0.0))
                    .sum()
            })
            .collect();
        let (_, hi) = bounds(totals.iter().chain(&self.ceiling));
        let (y0, y1) = style::padded(0.0, if hi.is_finite() { hi } else { 1.0 }, true);
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(80)
            .y_label_area_size(200)
            .build_cartesian_2d(x0..x1, y0..y1)
            .or_draw()?;
        let lang = self.lang;
        let max_abs = y1.abs();
        let n_years = self.years.len().clamp(1, 12);
        style::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(n_years)
            .y_labels(8)
            .x_label_formatter(&|x| style::year_tick(*x))
            .y_label_formatter(&|y| style::euro_tick(*y, max_abs, lang))
            .x_desc(i18n::text(lang, "chart-year"))
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        for (yi, &x) in self.years.iter().enumerate() {
            let mut bottom = 0.0;
            for (si, (_, vals)) in self.streams.iter().enumerate() {
                let v = vals.get(yi).copied().unwrap_or(0.0).max(0.0);
                let c = style::color(si);
                chart
                    .draw_series([
                        Rectangle::new([(x - 0.34, bottom), (x + 0.34, bottom + v)], c.filled()),
                        Rectangle::new(
                            [(x - 0.34, bottom), (x + 0.34, bottom + v)],
                            WHITE.stroke_width(2),
                        ),
                    ])
                    .or_draw()?;
                bottom += v;
            }
        }
        // The ceiling as a dashed mark over each bar.
        for (&x, &c) in self.years.iter().zip(&self.ceiling) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x - 0.45, c), (x + 0.45, c)],
                    14,
                    8,
                    style::CEILING.stroke_width(5),
                ))
                .or_draw()?;
        }
        Ok(())
    }
}

/// The distribution of the paired saving, with the chance of a saving.
struct HistogramPlot {
    /// (from, to, share of replications), in saving terms.
    bins: Vec<(f64, f64, f64)>,
    p_saving: f64,
    mean: f64,
    interval: (f64, f64),
    lang: Lang,
    x_desc: String,
}

impl Plot for HistogramPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let lang = self.lang;
        let (lo, hi) = bounds(self.bins.iter().flat_map(|b| [&b.0, &b.1]));
        let (lo, hi) = if lo.is_finite() {
            (lo.min(0.0), hi.max(0.0))
        } else {
            (-1.0, 1.0)
        };
        let span = (hi - lo).max(1.0);
        let (x0, x1) = (lo - span * 0.04, hi + span * 0.04);
        let top = self.bins.iter().map(|b| b.2).fold(0.0, f64::max).max(0.01);
        // Room above the bars for the interval and the note.
        let y1 = top * 1.45;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(150)
            .build_cartesian_2d(x0..x1, 0.0..y1)
            .or_draw()?;
        let max_abs = x0.abs().max(x1.abs());
        let y_step = style::nice_step(0.0, y1, 6);
        style::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(7)
            .y_labels(6)
            .x_label_formatter(&|x| style::euro_tick(*x, max_abs, lang))
            .y_label_formatter(&|y| locale::percent(*y, if y_step >= 0.01 { 0 } else { 1 }, lang))
            .x_desc(self.x_desc.as_str())
            .y_desc(i18n::text(lang, "chart-share-of-simulated-futures"))
            .draw()
            .or_draw()?;
        for &(a, b, share) in &self.bins {
            let c = if (a + b) / 2.0 >= 0.0 {
                style::GAIN
            } else {
                style::LOSS
            };
            chart
                .draw_series([
                    Rectangle::new([(a, 0.0), (b, share)], c.mix(0.8).filled()),
                    Rectangle::new([(a, 0.0), (b, share)], WHITE.stroke_width(1)),
                ])
                .or_draw()?;
        }
        // Zero: no saving.
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, top * 1.12)],
                style::TEXT.stroke_width(3),
            )))
            .or_draw()?;
        // The 90 % interval as a bracket above the bars.
        let yi = top * 1.12;
        let (a, b) = self.interval;
        let line = style::TEXT.stroke_width(3);
        chart
            .draw_series([
                PathElement::new(vec![(a, yi), (b, yi)], line),
                PathElement::new(vec![(a, yi - top * 0.03), (a, yi + top * 0.03)], line),
                PathElement::new(vec![(b, yi - top * 0.03), (b, yi + top * 0.03)], line),
            ])
            .or_draw()?;
        // The chance of a saving, large, in the upper corner away from the mass.
        let note = format!(
            "{} {}",
            i18n::text(lang, "chart-chance-of-a-saving-2"),
            locale::percent(self.p_saving, 1, lang)
        );
        let sub = format!(
            "{} {} {}",
            i18n::text(lang, "chart-on-average-2"),
            locale::euro_short(self.mean.abs(), lang),
            if self.mean >= 0.0 {
                i18n::text(lang, "chart-cheaper")
            } else {
                i18n::text(lang, "chart-more-expensive")
            }
        );
        let left_side = self.mean >= (x0 + x1) / 2.0;
        let (nx, pos) = if left_side {
            (x0 + (x1 - x0) * 0.02, style::left_aligned())
        } else {
            (x1 - (x1 - x0) * 0.02, style::right_aligned())
        };
        chart
            .draw_series([
                Text::new(
                    note,
                    (nx, y1 * 0.94),
                    style::bold(style::NOTE + 4.0, &style::TEXT).pos(pos),
                ),
                Text::new(
                    sub,
                    (nx, y1 * 0.86),
                    style::text(style::NOTE, &style::TEXT).pos(pos),
                ),
            ])
            .or_draw()?;
        Ok(())
    }
}
