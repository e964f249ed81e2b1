//! The charts of a sensitivity analysis, made from its [`Report`] alone (so
//! they can be drawn again from `sensitivity.json`): per output a tornado
//! (the output with one input at its P10 and at its P90, the rest at the
//! median), the Sobol indices (S1 and ST with their bootstrap intervals)
//! and the Morris screening (mu* against sigma).

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use super::style::{self, Mark};
use super::{Chart, ChartError, DrawError, Frame, OrDraw, Plot, render, slug};
use crate::i18n;
use crate::locale::{self, Lang};
use crate::sensitivity::report::{
    MorrisTable, OutputInfo, OutputUnit, Report, SobolTable, TornadoTable,
};

/// Inputs shown per chart, most influential first.
pub const TOP: usize = 12;

/// The output's label in the language.
pub fn output_label(o: &OutputInfo, lang: Lang) -> String {
    let l = match lang {
        Lang::Nl => &o.label_nl,
        Lang::En => &o.label_en,
    };
    if l.trim().is_empty() {
        o.key.clone()
    } else {
        l.clone()
    }
}

/// An output value as text in the output's unit.
pub fn value(x: f64, unit: OutputUnit, lang: Lang) -> String {
    match unit {
        OutputUnit::Euro => locale::euro_short(x, lang),
        OutputUnit::Probability => locale::percent(x, 1, lang),
        OutputUnit::Count => locale::number(x, if x.abs() < 10.0 { 1 } else { 0 }, lang),
    }
}

/// An input's name as drawn: at most 38 characters, the middle left out
/// when longer (the start names the stream, the end the quantity).
pub fn input_label(s: &str) -> String {
    let n = s.chars().count();
    if n <= 38 {
        return s.to_string();
    }
    let head: String = s.chars().take(14).collect();
    let tail: String = s.chars().skip(n - 23).collect();
    format!("{head}…{tail}")
}

/// The source line of a sensitivity chart.
fn source_line(r: &Report, method: &str, lang: Lang, date: Option<&str>) -> String {
    style::source_text(
        lang,
        (&r.tool.name, &r.tool.version),
        &[
            format!("scenario {}", style::clip(&r.scenario.name, 40)),
            format!("variant {}", style::clip(&r.scenario.variant, 30)),
            format!("seed {}", r.scenario.seed),
            method.to_string(),
            format!(
                "{} {} {}",
                locale::number(f64::from(r.settings.process_reps), 0, lang),
                i18n::text(lang, "chart-replications-per-point"),
                i18n::text(lang, "chart-common"),
            ),
        ],
        date,
    )
}

/// Every chart of a sensitivity analysis, per output: tornado, Sobol,
/// Morris (those whose method ran). `date` goes into the source line.
pub fn for_sensitivity(
    r: &Report,
    lang: Lang,
    date: Option<&str>,
) -> Result<Vec<Chart>, ChartError> {
    let mut jobs: Vec<(String, Frame, Job)> = Vec::new();
    for (i, o) in r.outputs.iter().enumerate() {
        let stem = format!("{}-{}", i + 1, slug(&o.key));
        if let Some(tab) = r.tornado.iter().find(|t| t.output == o.key)
            && !tab.rows.is_empty()
        {
            let (title, legend, job) = tornado(tab, o, lang);
            let source = source_line(
                r,
                &format!(
                    "{} P{:.0}–P{:.0}",
                    i18n::text(lang, "chart-tornado"),
                    r.settings.tornado_low * 100.0,
                    r.settings.tornado_high * 100.0
                ),
                lang,
                date,
            );
            jobs.push((
                format!("sens-tornado-{stem}"),
                frame(title, legend, source),
                job,
            ));
        }
        if let Some(tab) = r.sobol.iter().find(|t| t.output == o.key)
            && !tab.rows.is_empty()
        {
            let (title, legend, job) = sobol(tab, o, r.settings.confidence, lang);
            let source = source_line(
                r,
                &format!(
                    "Sobol N = {}, bootstrap {}",
                    r.settings.samples, r.settings.bootstrap
                ),
                lang,
                date,
            );
            jobs.push((
                format!("sens-sobol-{stem}"),
                frame(title, legend, source),
                job,
            ));
        }
        if let Some(tab) = r.morris.iter().find(|t| t.output == o.key)
            && !tab.rows.is_empty()
        {
            let (title, legend, job) = morris(tab, o, lang);
            let source = source_line(
                r,
                &format!(
                    "Morris {} {}, {} {}",
                    r.settings.morris_trajectories,
                    i18n::text(lang, "chart-trajectories"),
                    r.settings.morris_levels,
                    i18n::text(lang, "chart-levels"),
                ),
                lang,
                date,
            );
            jobs.push((
                format!("sens-morris-{stem}"),
                frame(title, legend, source),
                job,
            ));
        }
    }
    jobs.par_iter()
        .map(|(id, frame, job)| render(id, frame, job))
        .collect()
}

fn frame(title: String, legend: Vec<(String, Mark)>, source: String) -> Frame {
    Frame::new(&title, legend, source)
}

enum Job {
    Tornado(TornadoPlot),
    Sobol(SobolPlot),
    Morris(MorrisPlot),
}

impl Plot for Job {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        match self {
            Job::Tornado(p) => p.draw(area),
            Job::Sobol(p) => p.draw(area),
            Job::Morris(p) => p.draw(area),
        }
    }
}

type Made = (String, Vec<(String, Mark)>, Job);

/// Colour of the bar with the input at its P10 (low) and at its P90 (high).
const LOW: RGBColor = style::PALETTE[0];
const HIGH: RGBColor = style::PALETTE[1];

fn tornado(tab: &TornadoTable, o: &OutputInfo, lang: Lang) -> Made {
    let label = output_label(o, lang);
    let rows: Vec<(String, f64, f64)> = tab
        .rows
        .iter()
        .filter(|r| r.swing.is_finite())
        .take(TOP)
        .map(|r| (input_label(&r.input), r.output_low, r.output_high))
        .collect();
    let title = match tab.rows.first() {
        Some(top) => format!(
            "{label} {} {}: {} {} {} {} {} P10 {} P90",
            i18n::text(lang, "chart-depends-most-on"),
            input_label(&top.input),
            i18n::text(lang, "chart-from"),
            value(top.output_low, o.unit, lang),
            i18n::text(lang, "chart-to-2"),
            value(top.output_high, o.unit, lang),
            i18n::text(lang, "chart-between"),
            i18n::text(lang, "chart-and"),
        ),
        None => label.clone(),
    };
    let legend = vec![
        (
            i18n::text(lang, "chart-input-at-its-p10"),
            Mark::Block { color: LOW },
        ),
        (
            i18n::text(lang, "chart-input-at-its-p90"),
            Mark::Block { color: HIGH },
        ),
        (
            format!(
                "{} {}",
                i18n::text(lang, "chart-all-at-the-median"),
                value(tab.base, o.unit, lang)
            ),
            Mark::Line {
                color: style::TEXT,
                dashed: true,
            },
        ),
    ];
    let plot = TornadoPlot {
        rows,
        base: tab.base,
        unit: o.unit,
        lang,
        x_desc: format!(
            "{label} ({})",
            i18n::text(lang, "chart-one-input-from-p10-to")
        ),
    };
    (title, legend, Job::Tornado(plot))
}

fn sobol(tab: &SobolTable, o: &OutputInfo, confidence: f64, lang: Lang) -> Made {
    let label = output_label(o, lang);
    let rows: Vec<SobolBar> = tab
        .rows
        .iter()
        .take(TOP)
        .map(|r| SobolBar {
            label: input_label(&r.input),
            s1: r.first_order,
            s1_ci: (r.first_order_low, r.first_order_high),
            st: r.total,
            st_ci: (r.total_low, r.total_high),
        })
        .collect();
    let title = match tab.rows.first() {
        Some(top) => format!(
            "{label} {} {}: {} {}",
            i18n::text(lang, "chart-depends-most-on"),
            input_label(&top.input),
            i18n::text(lang, "chart-explains"),
            format_args!(
                "{} {}",
                locale::percent(top.total.clamp(0.0, 1.0), 0, lang),
                i18n::text(lang, "chart-of-the-variance-with-interactions")
            ),
        ),
        None => label.clone(),
    };
    let legend = vec![
        (
            i18n::text(lang, "chart-this-input-alone-s1"),
            Mark::Block {
                color: style::PALETTE[4],
            },
        ),
        (
            i18n::text(lang, "chart-with-interactions-st"),
            Mark::Block {
                color: style::PALETTE[0],
            },
        ),
        (
            format!(
                "{}{} {}",
                locale::percent(confidence, 0, lang),
                i18n::text(lang, "chart-interval"),
                i18n::text(lang, "chart-bootstrap")
            ),
            Mark::Line {
                color: style::TEXT,
                dashed: false,
            },
        ),
    ];
    let plot = SobolPlot {
        rows,
        lang,
        x_desc: format!(
            "{} {label}",
            i18n::text(lang, "chart-share-of-the-variance-of")
        ),
    };
    (title, legend, Job::Sobol(plot))
}

fn morris(tab: &MorrisTable, o: &OutputInfo, lang: Lang) -> Made {
    let label = output_label(o, lang);
    let points: Vec<(String, f64, f64)> = tab
        .rows
        .iter()
        .filter(|r| r.mu_star.is_finite() && r.sigma.is_finite())
        .take(TOP)
        .map(|r| (input_label(&r.input), r.mu_star, r.sigma))
        .collect();
    let title = match tab.rows.first() {
        Some(top) => format!(
            "{label}: {} {} ({} {})",
            input_label(&top.input),
            i18n::text(lang, "chart-has-the-largest-effect"),
            i18n::text(lang, "chart-on-average"),
            value(top.mu_star, o.unit, lang),
        ),
        None => label.clone(),
    };
    let legend = vec![
        (
            i18n::text(lang, "chart-input-right-large-effect"),
            Mark::Block {
                color: style::PALETTE[0],
            },
        ),
        (
            i18n::text(lang, "chart-sigma-mu-above-non-linear"),
            Mark::Line {
                color: style::MUTED,
                dashed: true,
            },
        ),
    ];
    let plot = MorrisPlot {
        points,
        unit: o.unit,
        lang,
        x_desc: format!(
            "mu*: {} ({label}, P1→P99)",
            i18n::text(lang, "chart-mean-absolute-effect")
        ),
        y_desc: format!("sigma: {}", i18n::text(lang, "chart-spread-of-the-effect")),
    };
    (title, legend, Job::Morris(plot))
}

fn bounds(xs: impl IntoIterator<Item = f64>) -> (f64, f64) {
    xs.into_iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        })
}

/// A tick label in the output's unit.
fn tick(x: f64, unit: OutputUnit, max_abs: f64, lang: Lang) -> String {
    match unit {
        OutputUnit::Euro => style::euro_tick(x, max_abs, lang),
        OutputUnit::Probability => locale::percent(x, if max_abs < 0.05 { 1 } else { 0 }, lang),
        OutputUnit::Count => locale::number(x, if max_abs < 10.0 { 1 } else { 0 }, lang),
    }
}

/// The width of the label column for these labels.
fn label_width(labels: impl Iterator<Item = usize>) -> u32 {
    let longest = labels.max().unwrap_or(0);
    ((longest as f64 * style::TICK * 0.58) as u32 + 30).clamp(120, 560)
}

struct TornadoPlot {
    /// (input, output at P10, output at P90), largest swing first.
    rows: Vec<(String, f64, f64)>,
    base: f64,
    unit: OutputUnit,
    lang: Lang,
    x_desc: String,
}

impl Plot for TornadoPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let n = self.rows.len().max(1);
        let (lo, hi) = bounds(self.rows.iter().flat_map(|r| [r.1, r.2]).chain([self.base]));
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let span = match self.unit {
            OutputUnit::Probability => (hi - lo).max(0.01),
            _ => (hi - lo).max(hi.abs() * 0.02).max(1.0),
        };
        let (mut x0, mut x1) = (lo - span * 0.12, hi + span * 0.12);
        if self.unit == OutputUnit::Probability {
            (x0, x1) = (x0.max(0.0), x1.min(1.0));
            if x1 <= x0 {
                (x0, x1) = (0.0, 1.0);
            }
        }
        let labels: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let y_fmt = |y: &f64| style::row_label(&labels, *y);
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(label_width(labels.iter().map(|l| l.chars().count())))
            .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))
            .or_draw()?;
        let (unit, lang) = (self.unit, self.lang);
        let max_abs = x0.abs().max(x1.abs());
        style::mesh(&mut chart)
            .disable_y_mesh()
            .x_labels(7)
            .y_labels(n)
            .x_label_formatter(&|x| tick(*x, unit, max_abs, lang))
            .y_label_formatter(&y_fmt)
            .x_desc(self.x_desc.as_str())
            .draw()
            .or_draw()?;
        let half = 0.34;
        for (i, &(_, low, high)) in self.rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            for (v, c) in [(low, LOW), (high, HIGH)] {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(self.base, y - half), (v, y + half)],
                        c.filled(),
                    )))
                    .or_draw()?;
            }
        }
        chart
            .draw_series(DashedLineSeries::new(
                [(self.base, -0.6), (self.base, n as f64 - 0.4)],
                12,
                8,
                style::TEXT.stroke_width(3),
            ))
            .or_draw()?;
        Ok(())
    }
}

struct SobolBar {
    label: String,
    s1: f64,
    s1_ci: (f64, f64),
    st: f64,
    st_ci: (f64, f64),
}

struct SobolPlot {
    rows: Vec<SobolBar>,
    lang: Lang,
    x_desc: String,
}

impl Plot for SobolPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let n = self.rows.len().max(1);
        let (lo, hi) = bounds(
            self.rows
                .iter()
                .flat_map(|r| [r.s1, r.st, r.s1_ci.0, r.s1_ci.1, r.st_ci.0, r.st_ci.1]),
        );
        // Negative estimates are noise around zero: the axis starts just
        // left of 0 so an interval reaching below it stays visible.
        let x0 = if lo.is_finite() && lo < 0.0 {
            -0.05
        } else {
            0.0
        };
        let x1 = if hi.is_finite() {
            (hi * 1.08).clamp(0.1, 1.2)
        } else {
            1.0
        };
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let y_fmt = |y: &f64| style::row_label(&labels, *y);
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(label_width(labels.iter().map(|l| l.chars().count())))
            .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))
            .or_draw()?;
        let lang = self.lang;
        style::mesh(&mut chart)
            .disable_y_mesh()
            .x_labels(7)
            .y_labels(n)
            .x_label_formatter(&|x| locale::percent(*x, 0, lang))
            .y_label_formatter(&y_fmt)
            .x_desc(self.x_desc.as_str())
            .draw()
            .or_draw()?;
        let clamp = |x: f64| x.clamp(x0, x1);
        let h = 0.17;
        for (i, r) in self.rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            // ST above, S1 below the row's centre.
            for (v, ci, yc, c) in [
                (r.st, r.st_ci, y + h + 0.02, style::PALETTE[0]),
                (r.s1, r.s1_ci, y - h - 0.02, style::PALETTE[4]),
            ] {
                if !v.is_finite() {
                    continue;
                }
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, yc - h), (clamp(v.max(0.0)), yc + h)],
                        c.filled(),
                    )))
                    .or_draw()?;
                if ci.0.is_finite() && ci.1.is_finite() {
                    let st = style::TEXT.stroke_width(3);
                    let (a, b) = (clamp(ci.0), clamp(ci.1));
                    chart
                        .draw_series([
                            PathElement::new(vec![(a, yc), (b, yc)], st),
                            PathElement::new(vec![(a, yc - h * 0.6), (a, yc + h * 0.6)], st),
                            PathElement::new(vec![(b, yc - h * 0.6), (b, yc + h * 0.6)], st),
                        ])
                        .or_draw()?;
                }
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.6), (0.0, n as f64 - 0.4)],
                style::TEXT.stroke_width(2),
            )))
            .or_draw()?;
        Ok(())
    }
}

struct MorrisPlot {
    /// (input, mu*, sigma), largest mu* first.
    points: Vec<(String, f64, f64)>,
    unit: OutputUnit,
    lang: Lang,
    x_desc: String,
    y_desc: String,
}

impl Plot for MorrisPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let (_, xm) = bounds(self.points.iter().map(|p| p.1));
        let (_, ym) = bounds(self.points.iter().map(|p| p.2));
        let top = |m: f64| {
            if m.is_finite() && m > 0.0 {
                m * 1.15
            } else {
                1.0
            }
        };
        // Room on the right for the labels of the largest effects.
        let (x1, y1) = (top(xm) * 1.25, top(ym));
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(200)
            .build_cartesian_2d(0.0..x1, 0.0..y1)
            .or_draw()?;
        let (unit, lang) = (self.unit, self.lang);
        let (mx, my) = (x1, y1);
        style::mesh(&mut chart)
            .x_labels(7)
            .y_labels(7)
            .x_label_formatter(&|x| tick(*x, unit, mx, lang))
            .y_label_formatter(&|y| tick(*y, unit, my, lang))
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        let d = x1.min(y1);
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 0.0), (d, d)],
                12,
                8,
                style::MUTED.stroke_width(2),
            ))
            .or_draw()?;
        for (_, x, y) in &self.points {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (*x, *y),
                    9,
                    style::PALETTE[0].filled(),
                )))
                .or_draw()?;
        }
        // Labels, largest effect first, each at the first free place of a
        // few around its point inside the plot; a label that finds none is
        // left out (the table has every input).
        let label_style = style::text(style::TICK, &style::TEXT);
        let (px0, py0) = chart.backend_coord(&(0.0, y1));
        let (px1, py1) = chart.backend_coord(&(x1, 0.0));
        let base = area.get_base_pixel();
        let mut boxes: Vec<(i32, i32, i32, i32)> = self
            .points
            .iter()
            .map(|(_, x, y)| {
                let (cx, cy) = chart.backend_coord(&(*x, *y));
                (cx - 10, cy - 10, cx + 10, cy + 10)
            })
            .collect();
        let overlaps = |a: &(i32, i32, i32, i32), b: &(i32, i32, i32, i32)| {
            a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
        };
        for (label, x, y) in &self.points {
            let (cx, cy) = chart.backend_coord(&(*x, *y));
            let (w, h) = area.estimate_text_size(label, &label_style).or_draw()?;
            let (w, h) = (w as i32, h as i32);
            let candidates = [
                (cx + 14, cy - h / 2),
                (cx + 14, cy - h - 4),
                (cx + 14, cy + 4),
                (cx - 14 - w, cy - h / 2),
                (cx - 14 - w, cy - h - 4),
                (cx - 14 - w, cy + 4),
                (cx - w / 2, cy - h - 14),
                (cx - w / 2, cy + 14),
            ];
            let free = candidates.iter().find(|&&(lx, ly)| {
                let b = (lx, ly, lx + w, ly + h);
                lx >= px0
                    && ly >= py0
                    && lx + w <= px1
                    && ly + h <= py1
                    && !boxes.iter().any(|o| overlaps(&b, o))
            });
            if let Some(&(lx, ly)) = free {
                boxes.push((lx, ly, lx + w, ly + h));
                area.draw_text(label, &label_style, (lx - base.0, ly - base.1))
                    .or_draw()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_labels_keep_start_and_end() {
        assert_eq!(input_label("stream.wmo.incidence"), "stream.wmo.incidence");
        let l = input_label("stream.jeugdhulp.level.ambulant.cost_per_month");
        assert!(
            l.starts_with("stream.jeugdh") && l.ends_with("cost_per_month"),
            "{l}"
        );
        assert!(l.chars().count() <= 38);
    }
}
