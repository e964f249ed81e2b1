//! Diagnostics: the problems found in a scenario file, each with file, line,
//! column, key and message, collected so that all of them are reported at
//! once; plus the helpers that word them (did-you-mean, clipped echoes).

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

/// Longest part of a user's text echoed back in a message, in characters.
pub const ECHO_CHARS: usize = 40;

/// Longest key shown in a diagnostic, in characters.
pub const MAX_KEY_CHARS: usize = 120;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// The file name given to [`crate::scenario::parse`].
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Dotted path of the key the problem is about, e.g.
    /// `stream.jeugdhulp.incidence` (empty for TOML syntax errors).
    pub key: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one file, sorted by line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (never the case for an `Err` of the parser).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

/// One problem per line, then a count; every line ends with a newline.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        let plural = if n == 1 { "" } else { "s" };
        match self.0.first() {
            Some(d) => writeln!(f, "{n} problem{plural} found in {}", d.file),
            None => writeln!(f, "{n} problem{plural} found"),
        }
    }
}

impl std::error::Error for Diagnostics {}

/// Turns byte offsets into 1-based lines and character columns.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, starts }
    }

    /// Line and column (both from 1) of a byte offset; offsets past the end
    /// or inside a character are moved back to the nearest character.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// The source text of a byte range (empty if the range is not valid).
    pub(crate) fn slice(&self, span: &std::ops::Range<usize>) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

/// Collects the diagnostics of one file (or of one variant of it).
#[derive(Debug)]
pub(crate) struct Sink<'a> {
    file: &'a str,
    lines: &'a LineIndex<'a>,
    list: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(file: &'a str, lines: &'a LineIndex<'a>) -> Self {
        Self {
            file,
            lines,
            list: Vec::new(),
        }
    }

    /// Records a problem about `key` at byte offset `at`.
    /// Keys longer than [`MAX_KEY_CHARS`] (they hold a user's text) are cut.
    pub(crate) fn error(&mut self, at: usize, key: &str, message: impl Into<String>) {
        let (line, column) = self.lines.line_col(at);
        let key = if key.chars().count() > MAX_KEY_CHARS {
            let cut: String = key.chars().take(MAX_KEY_CHARS).collect();
            format!("{cut}…")
        } else {
            key.to_string()
        };
        self.list.push(Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            key,
            message: message.into(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Records a problem found with another sink of the same file.
    pub(crate) fn error_diag(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub(crate) fn lines(&self) -> &'a LineIndex<'a> {
        self.lines
    }

    /// The problems recorded so far, for [`Sink::absorb_variant`].
    pub(crate) fn snapshot(&self) -> HashSet<Diagnostic> {
        self.list.iter().cloned().collect()
    }

    /// Adds the problems of a variant that are not in `base` (a problem of
    /// the base shows up again, at the same place, in every variant that
    /// inherits it), prefixing them with `label` ("variant 'krap plafond'").
    pub(crate) fn absorb_variant(
        &mut self,
        label: &str,
        other: Sink<'_>,
        base: &HashSet<Diagnostic>,
    ) {
        let prefix = format!("{label}: ");
        for mut d in other.list {
            if !base.contains(&d) {
                d.message.insert_str(0, &prefix);
                self.list.push(d);
            }
        }
    }

    /// The problems sorted by position (stably, so problems at one place
    /// keep the order in which they were found), without repeats.
    pub(crate) fn finish(self) -> Diagnostics {
        let mut list = self.list;
        list.sort_by_key(|d| (d.line, d.column));
        let mut seen = HashSet::new();
        list.retain(|d| seen.insert(d.clone()));
        Diagnostics(list)
    }
}

/// A user's text for echoing in a message: control characters escaped and
/// cut to [`ECHO_CHARS`] characters, saying how long it really was.
pub(crate) fn clip(s: &str) -> String {
    let mut out = String::new();
    for (shown, c) in s.chars().enumerate() {
        if shown >= ECHO_CHARS {
            let n = s.chars().count();
            out.push_str(&format!("… ({n} characters)"));
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The Jaro-Winkler similarity above which a key or name in a file is a
/// likely typo of a valid one.
pub(crate) const KEY_SIMILARITY: f64 = 0.85;

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo: at most two edits away (and fewer than the length of either), or with a
/// Jaro-Winkler similarity above `similarity`, or equal but for letter case.
/// The one did-you-mean of the crate.
pub(crate) fn did_you_mean<'c, I>(word: &str, candidates: I, similarity: f64) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lev = strsim::levenshtein(&lower, &c.to_lowercase());
            let jw = strsim::jaro_winkler(&lower, &c.to_lowercase());
            let len = c.chars().count().min(word.chars().count());
            let close = lev == 0 || (lev <= 2 && lev < len) || jw > similarity;
            close.then_some((lev, -jw, c))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, c)| c)
}

/// "; did you mean `x`?" or nothing.
pub(crate) fn suggestion<'c, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'c str>,
{
    match did_you_mean(word, candidates, KEY_SIMILARITY) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

/// `problem` about the unknown `word`, with a did-you-mean and the valid
/// choices: "unknown key `seeed`; did you mean `seed`? Valid keys here:
/// `name`, ...".
pub(crate) fn unknown(problem: &str, word: &str, valid: &[&str], what: &str) -> String {
    match did_you_mean(word, valid.iter().copied(), KEY_SIMILARITY) {
        Some(c) => format!(
            "{problem}; did you mean `{c}`? Valid {what}: {}",
            list(valid.iter().copied())
        ),
        None => format!("{problem}; valid {what}: {}", list(valid.iter().copied())),
    }
}

/// The candidates as "`a`, `b`, `c`" (at most 40 of them).
pub(crate) fn list<'c, I>(candidates: I) -> String
where
    I: IntoIterator<Item = &'c str>,
{
    let all: Vec<&str> = candidates.into_iter().collect();
    let mut s = all
        .iter()
        .take(40)
        .map(|c| format!("`{}`", clip(c)))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > 40 {
        s.push_str(&format!(" and {} more", all.len() - 40));
    }
    if s.is_empty() {
        s.push_str("none");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "ab\né = 1\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(1), (1, 2));
        assert_eq!(idx.line_col(3), (2, 1));
        // `=` follows a two-byte character and a space: column 3.
        assert_eq!(idx.line_col(text.find('=').unwrap()), (2, 3));
        assert_eq!(idx.line_col(text.find('x').unwrap()), (4, 1));
        // Inside a character and past the end: no panic.
        assert_eq!(idx.line_col(4), (2, 1));
        assert_eq!(idx.line_col(1000), (4, 2));
    }

    #[test]
    fn clip_cuts_long_text_and_escapes_controls() {
        assert_eq!(clip("kort"), "kort");
        let long = "x".repeat(500);
        let c = clip(&long);
        assert!(c.starts_with(&"x".repeat(ECHO_CHARS)));
        assert!(c.ends_with("… (500 characters)"), "{c}");
        assert_eq!(clip("a\nb"), "a\\nb");
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["incidence", "price_index", "risk", "name"];
        assert_eq!(
            did_you_mean("incidense", keys, KEY_SIMILARITY),
            Some("incidence")
        );
        assert_eq!(
            did_you_mean("price-index", keys, KEY_SIMILARITY),
            Some("price_index")
        );
        assert_eq!(did_you_mean("Name", keys, KEY_SIMILARITY), Some("name"));
        assert_eq!(did_you_mean("budget", keys, KEY_SIMILARITY), None);
        assert_eq!(did_you_mean("x", keys, KEY_SIMILARITY), None);
        assert_eq!(
            did_you_mean("maks", ["min", "max"], KEY_SIMILARITY),
            Some("max")
        );
        assert_eq!(
            unknown("unknown key `risc`", "risc", &keys, "keys here"),
            "unknown key `risc`; did you mean `risk`? Valid keys here: `incidence`, \
             `price_index`, `risk`, `name`"
        );
        assert_eq!(
            unknown("no `zz`", "zz", &["a"], "names"),
            "no `zz`; valid names: `a`"
        );
    }

    #[test]
    fn display_sorts_and_counts() {
        let text = "a\nb\nc\n";
        let idx = LineIndex::new(text);
        let mut sink = Sink::new("f.toml", &idx);
        sink.error(4, "c", "third");
        sink.error(0, "a", "first");
        sink.error(0, "a", "first");
        sink.error(2, "", "second");
        let d = sink.finish();
        assert_eq!(
            d.to_string(),
            "f.toml:1:1: a: first\nf.toml:2:1: second\nf.toml:3:1: c: third\n\
             3 problems found in f.toml\n"
        );
    }
}
