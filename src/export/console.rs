//! The compact table printed after a run: headline figures per variant and the
//! paired comparison with the baseline, Dutch by default (words from
//! [`crate::i18n`]).

use crate::i18n::{text, text_args};
use crate::locale::{self, Lang, euro, percent, percent_se};
use crate::results::Summary;

/// Renders the table as text lines.
pub fn render(summary: &Summary, lang: Lang) -> String {
    let sc = &summary.scenario;
    let years = match (sc.years.first(), sc.years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    };
    let mut out = text_args(
        lang,
        "console-head",
        &[
            ("name", &sc.name),
            ("n", &sc.replications.to_string()),
            ("seed", &sc.seed.to_string()),
            ("years", &years),
        ],
    );
    out.push_str("\n\n");
    let mut rows = vec![vec![
        text(lang, "console-variant"),
        text(lang, "console-p-any"),
        text(lang, "console-p-last"),
        text(lang, "console-overrun-mean"),
        text(lang, "console-overrun-p95"),
        text(lang, "console-total"),
    ]];
    for v in &summary.variants {
        let h = &v.headline;
        rows.push(vec![
            v.name.clone(),
            format!(
                "{} ± {}",
                percent(h.p_overrun_any_year.p, 1, lang),
                percent_se(h.p_overrun_any_year.se, lang)
            ),
            percent(h.p_overrun_last_year.p, 1, lang),
            euro(h.overrun.mean, lang),
            euro(h.overrun.p95, lang),
            format!(
                "{} ± {}",
                euro(h.total_cost.mean, lang),
                locale::se(h.total_cost.se, 0, lang)
            ),
        ]);
    }
    out.push_str(&grid(&rows));
    if let Some(first) = summary.comparisons.first() {
        out.push('\n');
        out.push_str(&text_args(
            lang,
            "console-against",
            &[("baseline", &first.baseline)],
        ));
        out.push('\n');
        let mut rows = vec![vec![
            text(lang, "console-variant"),
            text(lang, "console-difference"),
            text(lang, "console-interval"),
            text(lang, "console-p-saving"),
            text(lang, "console-break-even"),
        ]];
        for c in &summary.comparisons {
            let d = &c.total_cost_difference;
            rows.push(vec![
                c.variant.clone(),
                format!("{} ± {}", euro(d.mean, lang), locale::se(d.se, 0, lang)),
                format!("{} … {}", euro(d.p5, lang), euro(d.p95, lang)),
                percent(c.p_saving.p, 1, lang),
                c.break_even_year
                    .map_or_else(|| text(lang, "console-never"), |y| y.to_string()),
            ]);
        }
        out.push_str(&grid(&rows));
    }
    out.push('\n');
    out.push_str(&text(lang, "console-se-note"));
    out.push('\n');
    out
}

/// Lays rows out in columns: the first left-aligned, the others right-aligned.
fn grid(rows: &[Vec<String>]) -> String {
    columns(rows, &[false])
}

/// Lays rows out in columns two spaces apart, column `c` right-aligned when
/// `right[c]` (or when `right` does not reach it), measured in characters;
/// no line ends in spaces.
pub(crate) fn columns(rows: &[Vec<String>], right: &[bool]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let fill = " ".repeat(widths[c] - cell.chars().count());
            if right.get(c).copied().unwrap_or(true) {
                line.push_str(&fill);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&fill);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_aligns_by_characters_not_bytes() {
        let rows = vec![
            vec!["a".to_string(), "€ 1".to_string()],
            vec!["bbb".to_string(), "€ 100".to_string()],
        ];
        let g = grid(&rows);
        let lines: Vec<&str> = g.lines().collect();
        assert_eq!(lines[0], "a      € 1");
        assert_eq!(lines[1], "bbb  € 100");
    }
}
