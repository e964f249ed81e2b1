//! The house style of every chart: palette, text sizes, the frame (title,
//! legend, source line), axis number formats and Dutch/English labels (from
//! the catalogue, [`crate::i18n`]).

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawError, Frame, OrDraw};
use crate::i18n;
use crate::locale::{self, Lang};
use crate::results::Summary;

/// The font family every text is drawn in (registered by `init_fonts`).
pub const FONT: &str = "sans-serif";

/// Text sizes in pixels on the 1600×900 canvas.
pub const TITLE: f64 = 38.0;
pub const AXIS_DESC: f64 = 28.0;
pub const TICK: f64 = 24.0;
pub const LEGEND: f64 = 24.0;
pub const NOTE: f64 = 28.0;
pub const SOURCE: f64 = 20.0;

/// Width of the legend column right of the plot.
pub const LEGEND_WIDTH: u32 = 400;

/// Series colours: the Okabe–Ito palette, safe for colour-blind readers.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 120, 120),
];

/// The ceiling, and anything that is a limit or a loss.
pub const CEILING: RGBColor = RGBColor(192, 0, 0);
/// Gains (a saving).
pub const GAIN: RGBColor = RGBColor(0, 140, 90);
/// Losses (extra cost).
pub const LOSS: RGBColor = RGBColor(200, 60, 40);
pub const TEXT: RGBColor = RGBColor(30, 30, 30);
pub const MUTED: RGBColor = RGBColor(110, 110, 110);
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// The colour of series `i`.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The Dutch or the English text. The charts take their words from the
/// catalogue ([`crate::i18n`]); this stays only for `report::sensitivity`,
/// until the report's texts move there too.
pub fn t(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Line {
        color: RGBColor,
        dashed: bool,
    },
    /// A filled band with this opacity.
    Band {
        color: RGBColor,
        alpha: f64,
    },
    /// A filled box.
    Block {
        color: RGBColor,
    },
}

/// A text style of the house font.
pub fn text<'a>(size: f64, color: &'a RGBColor) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font()).color(color)
}

/// A bold text style of the house font.
pub fn bold<'a>(size: f64, color: &'a RGBColor) -> TextStyle<'a> {
    TextStyle::from((FONT, size, FontStyle::Bold).into_font()).color(color)
}

/// The source line: program, scenario, seed, replications and date.
pub fn source_line(summary: &Summary, lang: Lang, date: Option<&str>) -> String {
    let sc = &summary.scenario;
    source_text(
        lang,
        (&summary.tool.name, &summary.tool.version),
        &[
            format!(
                "{} {}",
                i18n::text(lang, "chart-scenario"),
                clip(&sc.name, 60)
            ),
            format!("seed {}", sc.seed),
            replications(sc.replications, lang),
        ],
        date,
    )
}

/// A chart's source line: `Bron: <program> <version> · <part> · … · <date>`.
pub fn source_text(
    lang: Lang,
    (program, version): (&str, &str),
    parts: &[String],
    date: Option<&str>,
) -> String {
    let mut s = format!("{}: {program} {version}", i18n::text(lang, "chart-source"));
    for p in parts.iter().map(String::as_str).chain(date) {
        s.push_str(" · ");
        s.push_str(p);
    }
    s
}

/// `2.000 replicaties` / `2,000 replications`.
pub fn replications(n: u32, lang: Lang) -> String {
    format!(
        "{} {}",
        locale::number(f64::from(n), 0, lang),
        i18n::text(lang, "chart-replications")
    )
}

/// The text with its first letter in upper case (a title may start with a
/// variant's name written in lower case).
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// At most `max` characters, with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Splits `text` into lines no wider than `width` pixels (greedily by word).
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Result<Vec<String>, DrawError> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // An amount stays on one line: `€ 1,2 mln` (and `1,2 mln`).
    let text = text
        .replace("€ ", "€\u{a0}")
        .replace(" mln", "\u{a0}mln")
        .replace(" mld", "\u{a0}mld");
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        let (w, _) = area.estimate_text_size(&candidate, style).or_draw()?;
        if w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Draws the frame onto `root` (white background, title, legend, source
/// line) and returns the area left for the plot.
pub fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    root.fill(&WHITE).or_draw()?;
    let (w, h) = root.dim_in_pixel();
    let margin = 32;
    // Title: one or two lines; shrink the font if it still does not fit.
    let mut size = TITLE;
    let mut lines;
    loop {
        let style = bold(size, &TEXT);
        lines = wrap(root, &frame.title, &style, w - 2 * margin)?;
        if lines.len() <= 2 || size <= 26.0 {
            break;
        }
        size -= 2.0;
    }
    lines.truncate(3);
    let style = bold(size, &TEXT);
    let line_h = (size * 1.25) as i32;
    let mut y = 24;
    for l in &lines {
        root.draw_text(l, &style, (margin as i32, y)).or_draw()?;
        y += line_h;
    }
    let top = (y + 16) as u32;
    // Source line at the bottom.
    let source_h = 46;
    root.draw_text(
        &frame.source,
        &text(SOURCE, &MUTED),
        (margin as i32, (h - source_h + 12) as i32),
    )
    .or_draw()?;
    let body = root.margin(top, source_h, 8, 16);
    if frame.legend.is_empty() {
        return Ok(body);
    }
    let (plot, legend) = body.split_horizontally(body.dim_in_pixel().0 - LEGEND_WIDTH);
    draw_legend(&legend, &frame.legend)?;
    Ok(plot)
}

/// The legend: one row per entry, a mark and a label (wrapped to two lines).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Mark)],
) -> Result<(), DrawError> {
    let style = text(LEGEND, &TEXT);
    let mark_w = 46;
    let x_text = 24 + mark_w + 14;
    let width = LEGEND_WIDTH - x_text as u32 - 8;
    let line_h = (LEGEND * 1.25) as i32;
    let mut y = 30;
    for (label, mark) in entries {
        let mut lines = wrap(area, label, &style, width)?;
        if lines.len() > 2 {
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.push(clip(&rest, 22));
        }
        let cy = y + line_h / 2;
        let (x0, x1) = (24, 24 + mark_w);
        match *mark {
            Mark::Line { color, dashed } => {
                let st = color.stroke_width(4);
                if dashed {
                    let mut x = x0;
                    while x < x1 {
                        area.draw(&PathElement::new(vec![(x, cy), ((x + 10).min(x1), cy)], st))
                            .or_draw()?;
                        x += 16;
                    }
                } else {
                    area.draw(&PathElement::new(vec![(x0, cy), (x1, cy)], st))
                        .or_draw()?;
                }
            }
            Mark::Band { color, alpha } => {
                area.draw(&Rectangle::new(
                    [(x0, cy - 12), (x1, cy + 12)],
                    color.mix(alpha).filled(),
                ))
                .or_draw()?;
            }
            Mark::Block { color } => {
                area.draw(&Rectangle::new(
                    [(x0, cy - 12), (x1, cy + 12)],
                    color.filled(),
                ))
                .or_draw()?;
            }
        }
        for (i, l) in lines.iter().enumerate() {
            area.draw_text(l, &style, (x_text, y + i as i32 * line_h))
                .or_draw()?;
        }
        y += line_h * lines.len() as i32 + 18;
    }
    Ok(())
}

/// The house mesh of a chart: white minor grid lines, grey major ones, tick
/// labels and axis descriptions in the house font. The caller adds which
/// grid lines, how many labels, their formatters and the axis descriptions,
/// then draws it.
pub fn mesh<'a, 'b, DB, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut m = chart.configure_mesh();
    m.light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style(text(TICK, &TEXT))
        .axis_desc_style(text(AXIS_DESC, &TEXT));
    m
}

/// The label of a category axis whose rows run top to bottom (row `i` at
/// `y = n − 1 − i`): the row's label at a whole `y`, nothing between rows
/// or beyond them.
pub fn row_label(labels: &[String], y: f64) -> String {
    let n = labels.len();
    let r = y.round();
    if (y - r).abs() > 1e-6 || r < 0.0 || r >= n as f64 {
        return String::new();
    }
    labels.get(n - 1 - r as usize).cloned().unwrap_or_default()
}

/// Tick labels of a euro axis whose values reach `max_abs`: whole euros
/// (`€ 850.000`) below two million, else millions (`€ 4 mln`,
/// `€ 4,5 mln`) with as few decimals (at most two) as the tick needs.
pub fn euro_tick(x: f64, max_abs: f64, lang: Lang) -> String {
    if max_abs < 2e6 {
        return locale::euro(x, lang);
    }
    let m = x / 1e6;
    let decimals = (0..=2)
        .find(|&d| {
            let scaled = m * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(2);
    locale::euro_mln(x, decimals as usize, lang)
}

/// The step between `n` nice ticks over `[lo, hi]` (1, 2 or 5 times a
/// power of ten), as plotters chooses them approximately.
pub fn nice_step(lo: f64, hi: f64, n: usize) -> f64 {
    let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
    let raw = span / n.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

/// A year axis label: the year at whole numbers, nothing between.
pub fn year_tick(x: f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{}", x.round() as i64)
    } else {
        String::new()
    }
}

/// Anchor for text left of a point, vertically centred.
pub fn right_aligned() -> Pos {
    Pos::new(HPos::Right, VPos::Center)
}

/// Anchor for text right of a point, vertically centred.
pub fn left_aligned() -> Pos {
    Pos::new(HPos::Left, VPos::Center)
}

/// A y range for values in `[lo, hi]` with a margin, from zero when `zero`.
pub fn padded(lo: f64, hi: f64, zero: bool) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let lo = if zero { lo.min(0.0) } else { lo };
    let span = (hi - lo).max(hi.abs() * 0.05).max(1.0);
    let lo = if zero && lo >= 0.0 {
        0.0
    } else {
        lo - span * 0.06
    };
    (lo, hi + span * 0.08)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_ticks_are_distinct_and_dutch() {
        let ticks: Vec<String> = (0..8)
            .map(|i| euro_tick(17e6 + 0.5e6 * f64::from(i), 21e6, Lang::Nl))
            .collect();
        assert_eq!(ticks[0], "€ 17 mln");
        assert_eq!(ticks[1], "€ 17,5 mln");
        let mut unique = ticks.clone();
        unique.dedup();
        assert_eq!(unique.len(), ticks.len(), "{ticks:?}");
        assert_eq!(euro_tick(850_000.0, 1.5e6, Lang::Nl), "€ 850.000");
        assert_eq!(euro_tick(-250_000.0, 3e6, Lang::Nl), "€ -0,25 mln");
        assert_eq!(euro_tick(0.0, 3e6, Lang::En), "€0");
        assert_eq!(euro_tick(4.5e6, 5e6, Lang::En), "€4.5m");
    }

    #[test]
    fn titles_start_with_a_capital_and_labels_are_clipped() {
        assert_eq!(capitalized("huidig beleid: x"), "Huidig beleid: x");
        assert_eq!(capitalized("éé"), "Éé");
        assert_eq!(capitalized(""), "");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(year_tick(2027.0), "2027");
        assert_eq!(year_tick(2027.5), "");
    }
}
