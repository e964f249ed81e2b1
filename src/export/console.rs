//! The compact table printed after a run: headline figures per variant and the
//! paired comparison with the baseline, Dutch by default.

use crate::locale::{self, Lang, euro, percent, percent_se};
use crate::results::Summary;

/// Words of the table in one language.
struct Words {
    replications: &'static str,
    variant: &'static str,
    p_any: &'static str,
    p_last: &'static str,
    overrun_mean: &'static str,
    overrun_p95: &'static str,
    total: &'static str,
    against: &'static str,
    difference: &'static str,
    interval: &'static str,
    p_saving: &'static str,
    break_even: &'static str,
    never: &'static str,
    se_note: &'static str,
}

const NL: Words = Words {
    replications: "replicaties",
    variant: "variant",
    p_any: "kans overschr.",
    p_last: "in laatste jaar",
    overrun_mean: "verwacht tekort",
    overrun_p95: "P95 tekort",
    total: "totale kosten ± se",
    against: "Gepaard verschil met",
    difference: "verschil kosten ± se",
    interval: "90%-interval",
    p_saving: "kans besparing",
    break_even: "terugverdiend",
    never: "niet binnen horizon",
    se_note: "kans overschr. = kans op een tekort in enig jaar; tekort = uitgaven boven plafond en reserve, opgeteld\nover de horizon; se = Monte Carlo-standaardfout; verschil en interval: variant min basis, per replicatie",
};

const EN: Words = Words {
    replications: "replications",
    variant: "variant",
    p_any: "P(overrun)",
    p_last: "in last year",
    overrun_mean: "expected overrun",
    overrun_p95: "P95 overrun",
    total: "total cost ± se",
    against: "Paired difference with",
    difference: "cost difference ± se",
    interval: "90% interval",
    p_saving: "P(saving)",
    break_even: "break-even",
    never: "not within horizon",
    se_note: "P(overrun) = probability of an overrun in any year; overrun = spend beyond ceiling and reserve, summed\nover the horizon; se = Monte Carlo standard error; difference and interval: variant minus baseline, paired",
};

/// Renders the table as text lines.
pub fn render(summary: &Summary, lang: Lang) -> String {
    let t = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let sc = &summary.scenario;
    let years = match (sc.years.first(), sc.years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    };
    let mut out = format!(
        "{} — {} {}, seed {}, {}\n\n",
        sc.name, sc.replications, t.replications, sc.seed, years
    );
    let mut rows = vec![vec![
        t.variant.to_string(),
        t.p_any.to_string(),
        t.p_last.to_string(),
        t.overrun_mean.to_string(),
        t.overrun_p95.to_string(),
        t.total.to_string(),
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
        out.push_str(&format!("\n{} {}:\n", t.against, first.baseline));
        let mut rows = vec![vec![
            t.variant.to_string(),
            t.difference.to_string(),
            t.interval.to_string(),
            t.p_saving.to_string(),
            t.break_even.to_string(),
        ]];
        for c in &summary.comparisons {
            let d = &c.total_cost_difference;
            rows.push(vec![
                c.variant.clone(),
                format!("{} ± {}", euro(d.mean, lang), locale::se(d.se, 0, lang)),
                format!("{} … {}", euro(d.p5, lang), euro(d.p95, lang)),
                percent(c.p_saving.p, 1, lang),
                c.break_even_year
                    .map_or_else(|| t.never.to_string(), |y| y.to_string()),
            ]);
        }
        out.push_str(&grid(&rows));
    }
    out.push('\n');
    out.push_str(t.se_note);
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
