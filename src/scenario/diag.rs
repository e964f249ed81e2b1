//! Diagnostics: every problem found in a scenario file, with file, line,
//! column and key, collected so they can all be reported at once.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Dotted key the problem is about (empty for syntax errors).
    pub key: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        write!(f, "{}", self.message)
    }
}

/// All problems in a file, sorted by position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        let file = self.0.first().map_or("", |d| d.file.as_str());
        writeln!(
            f,
            "{file}: {n} problem{} found",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one file.
pub struct Diag<'a> {
    file: &'a str,
    text: &'a str,
    list: Vec<Diagnostic>,
}

impl<'a> Diag<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            list: Vec::new(),
        }
    }

    /// Records a problem at a byte span.
    pub fn error(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.list.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        });
    }

    /// The problems recorded so far, in the order found.
    pub fn list(&self) -> &[Diagnostic] {
        &self.list
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The problems, sorted by position, without duplicates.
    pub fn into_list(mut self) -> Vec<Diagnostic> {
        self.list.sort_by(|a, b| {
            (a.line, a.column, &a.key, &a.message).cmp(&(b.line, b.column, &b.key, &b.message))
        });
        self.list.dedup();
        self.list
    }

    /// Takes the problems recorded since `mark` (a former `len()`).
    pub fn take_since(&mut self, mark: usize) -> Vec<Diagnostic> {
        self.list.split_off(mark)
    }

    /// Records problems taken earlier.
    pub fn extend(&mut self, list: Vec<Diagnostic>) {
        self.list.extend(list);
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A value for a message: at most 40 characters, control characters escaped.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).flat_map(char::escape_default).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// "; did you mean `x`?" when a candidate is close to `word`, else "".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(word, c),
                strsim::levenshtein(word, c),
                c,
            )
        })
        .filter(|&(jw, lev, _)| jw > 0.85 || lev <= 2)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, _, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("incidance", ["incidence", "label"]),
            "; did you mean `incidence`?"
        );
        assert_eq!(did_you_mean("zzz", ["incidence", "label"]), "");
    }

    #[test]
    fn clip_shortens_and_escapes() {
        assert_eq!(clip("a\nb"), "a\\nb");
        assert_eq!(clip(&"x".repeat(100)).chars().count(), 41);
    }

    #[test]
    fn display_names_file_line_column_and_key() {
        let d = Diagnostic {
            file: "w.toml".into(),
            line: 3,
            column: 1,
            key: "budget.ceiling".into(),
            message: "must be at least 0, got -1".into(),
        };
        assert_eq!(
            d.to_string(),
            "w.toml:3:1: budget.ceiling: must be at least 0, got -1"
        );
        let all = Diagnostics(vec![d]).to_string();
        assert!(all.ends_with("w.toml: 1 problem found\n"));
    }
}
