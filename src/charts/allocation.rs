//! The charts of `wijkbudget allocate`, made from an [`Allocation`] alone:
//! each area's first-year budget under every key against its expected cost,
//! the chance of an overrun per area per key (with the equal-risk level),
//! and what a shared pool of each size does to the chance that some area,
//! or the municipality as a whole, overruns.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rayon::prelude::*;

use super::style::{self, Mark};
use super::{Chart, ChartError, DrawError, Frame, OrDraw, Plot, render};
use crate::allocation::{Allocation, Key, KeyResult};
use crate::i18n;
use crate::locale::{self, Lang};

/// The chart ids, in the order [`for_allocation`] returns them.
pub const IDS: [&str; 3] = ["allocation-budget", "allocation-overrun", "allocation-pool"];

/// Every allocation chart, in the order the report shows them. `date` (the
/// day of the run, `YYYY-MM-DD`) goes into the source line.
pub fn for_allocation(
    a: &Allocation,
    lang: Lang,
    date: Option<&str>,
) -> Result<Vec<Chart>, ChartError> {
    if a.keys.is_empty() || a.areas.is_empty() {
        return Ok(Vec::new());
    }
    let source = source_line(a, lang, date);
    let frame = |title: String, legend| Frame::new(&title, legend, source.clone());
    let mut jobs: Vec<(&str, Frame, Job)> = Vec::new();
    let (title, legend, job) = budget(a, lang);
    jobs.push((IDS[0], frame(title, legend), job));
    let (title, legend, job) = overrun(a, lang);
    jobs.push((IDS[1], frame(title, legend), job));
    let (title, legend, job) = pool(a, lang);
    jobs.push((IDS[2], frame(title, legend), job));
    jobs.par_iter()
        .map(|(id, frame, job)| render(id, frame, job))
        .collect()
}

/// The source line: program, municipality, seed, replications and date.
pub fn source_line(a: &Allocation, lang: Lang, date: Option<&str>) -> String {
    style::source_text(
        lang,
        (&a.tool.name, &a.tool.version),
        &[
            format!(
                "{} {}",
                i18n::text(lang, "chart-municipality"),
                style::clip(&a.name, 60)
            ),
            format!("seed {}", a.seed),
            style::replications(a.replications, lang),
        ],
        date,
    )
}

/// A key's name in the chosen language.
pub fn key_label(k: &KeyResult, lang: Lang) -> &str {
    match lang {
        Lang::Nl => &k.label_nl,
        Lang::En => &k.label_en,
    }
}

/// An area's label (its name where the label is empty).
pub fn area_label(a: &Allocation, i: usize) -> &str {
    a.areas
        .get(i)
        .map(|x| {
            if x.label.trim().is_empty() {
                x.name.as_str()
            } else {
                x.label.as_str()
            }
        })
        .unwrap_or("")
}

fn area_labels(a: &Allocation) -> Vec<String> {
    (0..a.areas.len())
        .map(|i| area_label(a, i).to_string())
        .collect()
}

fn key_legend(a: &Allocation, lang: Lang) -> Vec<(String, Mark)> {
    a.keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                key_label(k, lang).to_string(),
                Mark::Block {
                    color: style::color(i),
                },
            )
        })
        .collect()
}

/// The equal-risk key and its common level, if it was computed.
pub fn equal_risk(a: &Allocation) -> Option<(usize, &KeyResult, f64)> {
    a.keys
        .iter()
        .enumerate()
        .find(|(_, k)| k.key == Key::RiskEqualising)
        .and_then(|(i, k)| k.target_p_overrun.map(|p| (i, k, p)))
}

enum Job {
    Grouped(GroupedPlot),
    Pool(PoolPlot),
}

impl Plot for Job {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        match self {
            Job::Grouped(p) => p.draw(area),
            Job::Pool(p) => p.draw(area),
        }
    }
}

type Made = (String, Vec<(String, Mark)>, Job);

fn budget(a: &Allocation, lang: Lang) -> Made {
    // The largest first-year shortfall (expected cost above budget).
    let mut worst: Option<(usize, usize, f64)> = None;
    for (k, kr) in a.keys.iter().enumerate() {
        for (i, o) in kr.areas.iter().enumerate() {
            let gap = o.cost_first_year.mean - o.budget;
            if gap.is_finite() && worst.is_none_or(|w| gap > w.2) {
                worst = Some((k, i, gap));
            }
        }
    }
    let title = match worst {
        Some((k, i, gap)) if gap > 0.0 => {
            let o = &a.keys[k].areas[i];
            format!(
                "{} ‘{}’ {} {} {} {} {} {} {}: {}",
                i18n::text(lang, "chart-under-key"),
                key_label(&a.keys[k], lang),
                i18n::text(lang, "chart-gives"),
                style::clip(area_label(a, i), 40),
                locale::euro_short(o.budget, lang),
                i18n::text(lang, "chart-for"),
                locale::euro_short(o.cost_first_year.mean, lang),
                i18n::text(lang, "chart-expected-cost-in"),
                a.start_year,
                i18n::text(lang, "chart-the-largest-gap-of-all"),
            )
        }
        _ => format!(
            "{} {}",
            i18n::text(lang, "chart-under-every-key-each-area"),
            a.start_year
        ),
    };
    let mut legend = key_legend(a, lang);
    legend.push((
        format!(
            "{} {} {}",
            i18n::text(lang, "chart-expected-cost"),
            a.start_year,
            i18n::text(lang, "chart-and-90-interval-p5-p95")
        ),
        Mark::Line {
            color: style::TEXT,
            dashed: false,
        },
    ));
    let values = a
        .keys
        .iter()
        .map(|k| {
            (0..a.areas.len())
                .map(|i| k.areas.get(i).map_or(f64::NAN, |o| o.budget))
                .collect()
        })
        .collect();
    // Costs do not depend on the key under `overspend`; under `waitlist`
    // they may, so the whisker shows the first key's (the report's tables
    // give every key's).
    let first = &a.keys[0];
    let whiskers = (0..a.areas.len())
        .map(|i| {
            first
                .areas
                .get(i)
                .map_or((f64::NAN, f64::NAN, f64::NAN), |o| {
                    (
                        o.cost_first_year.p5,
                        o.cost_first_year.mean,
                        o.cost_first_year.p95,
                    )
                })
        })
        .collect();
    let plot = GroupedPlot {
        groups: area_labels(a),
        values,
        whiskers,
        level: None,
        unit: Unit::Euro,
        lang,
        y_desc: format!(
            "{} {}",
            i18n::text(lang, "chart-budget-and-care-spend-in"),
            a.start_year
        ),
    };
    (title, legend, Job::Grouped(plot))
}

fn overrun(a: &Allocation, lang: Lang) -> Made {
    let mut worst: Option<(usize, usize, f64)> = None;
    for (k, kr) in a.keys.iter().enumerate() {
        for (i, o) in kr.areas.iter().enumerate() {
            let p = o.p_overrun.p;
            if p.is_finite() && worst.is_none_or(|w| p > w.2) {
                worst = Some((k, i, p));
            }
        }
    }
    let eq = equal_risk(a);
    let mut title = match worst {
        Some((k, i, p)) => format!(
            "{} ‘{}’ {} {} {} {}",
            i18n::text(lang, "chart-under-key"),
            key_label(&a.keys[k], lang),
            i18n::text(lang, "chart-gives-2"),
            style::clip(area_label(a, i), 40),
            i18n::text(lang, "chart-the-largest-chance-of-an"),
            locale::percent(p, 0, lang),
        ),
        None => i18n::text(lang, "chart-chance-of-an-overrun-per"),
    };
    if let Some((_, _, p)) = eq {
        title.push_str(&format!(
            "; {} {}",
            i18n::text(lang, "chart-under-equal-risk-every-area"),
            locale::percent(p, 0, lang)
        ));
    }
    let mut legend = key_legend(a, lang);
    if eq.is_some() {
        legend.push((
            i18n::text(lang, "chart-equal-risk-level"),
            Mark::Line {
                color: style::CEILING,
                dashed: true,
            },
        ));
    }
    let values = a
        .keys
        .iter()
        .map(|k| {
            (0..a.areas.len())
                .map(|i| k.areas.get(i).map_or(f64::NAN, |o| o.p_overrun.p))
                .collect()
        })
        .collect();
    let plot = GroupedPlot {
        groups: area_labels(a),
        values,
        whiskers: Vec::new(),
        level: eq.map(|e| e.2),
        unit: Unit::Share,
        lang,
        y_desc: format!(
            "{} {}–{}",
            i18n::text(lang, "chart-chance-of-an-overrun-in"),
            a.start_year,
            a.start_year + a.horizon_years.saturating_sub(1) as i32
        ),
    };
    (title, legend, Job::Grouped(plot))
}

fn pool(a: &Allocation, lang: Lang) -> Made {
    let (ki, key) = equal_risk(a)
        .map(|(i, k, _)| (i, k))
        .unwrap_or((0, &a.keys[0]));
    let first = key.pool.first();
    let last = key.pool.iter().max_by(|x, y| x.size.total_cmp(&y.size));
    let title = match (first, last) {
        (Some(f), Some(l)) if l.size > f.size => format!(
            "{} {} {} {} {} {} ({}); {} {} {} {}",
            i18n::text(lang, "chart-a-pool-of"),
            locale::euro_short(l.size, lang),
            i18n::text(lang, "chart-cuts-the-chance-that-some"),
            locale::percent(f.p_any_area_overrun.p, 0, lang),
            i18n::text(lang, "chart-to"),
            locale::percent(l.p_any_area_overrun.p, 0, lang),
            key_label(key, lang),
            i18n::text(lang, "chart-for-the-municipality-as-a"),
            locale::percent(f.p_municipality_overrun.p, 0, lang),
            i18n::text(lang, "chart-to"),
            locale::percent(l.p_municipality_overrun.p, 0, lang),
        ),
        _ => i18n::text(lang, "chart-chance-of-an-overrun-against"),
    };
    let mut series: Vec<Series> = Vec::new();
    for (i, k) in a.keys.iter().enumerate() {
        series.push(Series {
            label: key_label(k, lang).to_string(),
            color: style::color(i),
            dashed: false,
            width: if i == ki { 6 } else { 3 },
            points: k
                .pool
                .iter()
                .map(|p| (p.size, p.p_any_area_overrun.p))
                .collect(),
        });
    }
    // The municipality's chance: one line when every key gives the same
    // (one shared simulation), else one per key.
    let muni = |k: &KeyResult| -> Vec<(f64, f64)> {
        k.pool
            .iter()
            .map(|p| (p.size, p.p_municipality_overrun.p))
            .collect()
    };
    let same = a.keys.iter().all(|k| muni(k) == muni(&a.keys[0]));
    let mut legend: Vec<(String, Mark)> = vec![(
        i18n::text(lang, "chart-chance-that-some-area-overruns"),
        Mark::Block { color: WHITE },
    )];
    legend.extend(series.iter().map(|s| {
        (
            s.label.clone(),
            Mark::Line {
                color: s.color,
                dashed: false,
            },
        )
    }));
    if same {
        series.push(Series {
            label: String::new(),
            color: style::TEXT,
            dashed: true,
            width: 4,
            points: muni(&a.keys[0]),
        });
        legend.push((
            i18n::text(lang, "chart-chance-that-the-municipality-as"),
            Mark::Line {
                color: style::TEXT,
                dashed: true,
            },
        ));
    } else {
        for (i, k) in a.keys.iter().enumerate() {
            series.push(Series {
                label: String::new(),
                color: style::color(i),
                dashed: true,
                width: 3,
                points: muni(k),
            });
        }
        legend.push((
            i18n::text(lang, "chart-dashed-the-municipality-as-a"),
            Mark::Line {
                color: style::MUTED,
                dashed: true,
            },
        ));
    }
    let plot = PoolPlot {
        series,
        lang,
        x_desc: format!(
            "{} {}",
            i18n::text(lang, "chart-shared-reserve-pool-topped-up"),
            a.start_year
        ),
        y_desc: i18n::text(lang, "chart-chance-of-an-uncovered-overrun"),
    };
    (title, legend, Job::Pool(plot))
}

#[derive(Clone, Copy)]
enum Unit {
    Euro,
    Share,
}

/// Vertical bars grouped by area, one bar per key; optionally a whisker
/// per group (P5, mean, P95) and a horizontal level.
struct GroupedPlot {
    groups: Vec<String>,
    /// Per series (key), per group (area).
    values: Vec<Vec<f64>>,
    whiskers: Vec<(f64, f64, f64)>,
    level: Option<f64>,
    unit: Unit,
    lang: Lang,
    y_desc: String,
}

impl Plot for GroupedPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let n = self.groups.len().max(1);
        let k = self.values.len().max(1);
        let hi = self
            .values
            .iter()
            .flatten()
            .chain(self.whiskers.iter().map(|w| &w.2))
            .chain(self.level.iter())
            .copied()
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let y1 = match self.unit {
            Unit::Share => (hi * 1.12).clamp(0.05, 1.0),
            Unit::Euro => style::padded(0.0, hi.max(1.0), true).1,
        };
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(170)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y1)
            .or_draw()?;
        let lang = self.lang;
        let unit = self.unit;
        // Area names under their group on up to two lines, as wide as a
        // group allows (drawn below, not as tick labels, which cannot wrap).
        // With many areas the names get a smaller font and three lines.
        let (size, max_lines) = if n > 6 {
            (style::TICK - 4.0, 3)
        } else {
            (style::TICK, 2)
        };
        let tick = style::text(size, &style::TEXT).pos(Pos::new(HPos::Center, VPos::Top));
        let group_px =
            (f64::from(area.dim_in_pixel().0.saturating_sub(190)) / n as f64 * 0.94) as u32;
        let mut labels: Vec<Vec<String>> = Vec::with_capacity(n);
        for g in &self.groups {
            labels.push(wrap_label(area, g, &tick, group_px, max_lines)?);
        }
        let y_fmt = |y: &f64| match unit {
            Unit::Euro => style::euro_tick(*y, y1, lang),
            Unit::Share => locale::percent(*y, 0, lang),
        };
        style::mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(7)
            .y_label_formatter(&y_fmt)
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        // Each group spans 0.8 of a unit, shared by its k bars.
        let span = 0.8;
        let bar = span / k as f64;
        let gap = bar * 0.12;
        for (s, vals) in self.values.iter().enumerate() {
            let c = style::color(s);
            let bars = vals
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(g, &v)| {
                    let x0 = g as f64 - span / 2.0 + s as f64 * bar + gap / 2.0;
                    Rectangle::new([(x0, 0.0), (x0 + bar - gap, v)], c.filled())
                });
            chart.draw_series(bars).or_draw()?;
        }
        let line = style::TEXT.stroke_width(4);
        for (g, &(p5, mean, p95)) in self.whiskers.iter().enumerate() {
            if !(p5.is_finite() && mean.is_finite() && p95.is_finite()) {
                continue;
            }
            let x = g as f64;
            let cap = span / 2.0 + 0.04;
            chart
                .draw_series([
                    PathElement::new(vec![(x - cap, mean), (x + cap, mean)], line),
                    PathElement::new(vec![(x, p5), (x, p95)], line),
                    PathElement::new(vec![(x - 0.06, p5), (x + 0.06, p5)], line),
                    PathElement::new(vec![(x - 0.06, p95), (x + 0.06, p95)], line),
                ])
                .or_draw()?;
        }
        for (g, lines) in labels.iter().enumerate() {
            for (j, l) in lines.iter().enumerate() {
                let dy = 12 + j as i32 * (size * 1.15) as i32;
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((g as f64, 0.0))
                            + Text::new(l.clone(), (0, dy), tick.clone()),
                    ))
                    .or_draw()?;
            }
        }
        if let Some(level) = self.level {
            chart
                .draw_series(DashedLineSeries::new(
                    [(-0.5, level), (n as f64 - 0.5, level)],
                    16,
                    10,
                    style::CEILING.stroke_width(4),
                ))
                .or_draw()?;
        }
        Ok(())
    }
}

/// A label wrapped by words into at most `max_lines` lines no wider than
/// `width` pixels; a word too long for a line is broken between
/// characters, and what does not fit on the last line is cut with `…`.
fn wrap_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: &str,
    style: &TextStyle,
    width: u32,
    max_lines: usize,
) -> Result<Vec<String>, DrawError> {
    let fits = |s: &str| -> Result<bool, DrawError> {
        Ok(area.estimate_text_size(s, style).or_draw()?.0 <= width)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate)? {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: break it between characters where it is too long.
        for c in word.chars() {
            line.push(c);
            if !fits(&line)? && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let mut last = lines[max_lines - 1].clone();
        lines.truncate(max_lines - 1);
        last.push('…');
        while last.chars().count() > 1 && !fits(&last)? {
            last.pop();
            last.pop();
            last.push('…');
        }
        lines.push(last);
    }
    Ok(lines)
}

struct Series {
    label: String,
    color: RGBColor,
    dashed: bool,
    width: u32,
    points: Vec<(f64, f64)>,
}

/// Probabilities against the pool size, one line per series, dots at the
/// sizes compared.
struct PoolPlot {
    series: Vec<Series>,
    lang: Lang,
    x_desc: String,
    y_desc: String,
}

impl Plot for PoolPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let pts = || self.series.iter().flat_map(|s| s.points.iter());
        let x_hi = pts()
            .map(|p| p.0)
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max)
            .max(1.0);
        let y_hi = pts()
            .map(|p| p.1)
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        let y1 = (y_hi * 1.12).clamp(0.05, 1.0);
        let x1 = x_hi * 1.04;
        let x0 = -x_hi * 0.04;
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(90)
            .y_label_area_size(150)
            .build_cartesian_2d(x0..x1, 0.0..y1)
            .or_draw()?;
        let lang = self.lang;
        style::mesh(&mut chart)
            .x_labels(7)
            .y_labels(7)
            .x_label_formatter(&|x| style::euro_tick(*x, x_hi, lang))
            .y_label_formatter(&|y| locale::percent(*y, 0, lang))
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .draw()
            .or_draw()?;
        for s in &self.series {
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            let st = s.color.stroke_width(s.width);
            if s.dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts.clone(), 14, 10, st))
                    .or_draw()?;
            } else {
                chart
                    .draw_series(LineSeries::new(pts.clone(), st))
                    .or_draw()?;
            }
            chart
                .draw_series(
                    pts.iter()
                        .map(|&p| Circle::new(p, s.width as i32 + 3, s.color.filled())),
                )
                .or_draw()?;
        }
        Ok(())
    }
}
