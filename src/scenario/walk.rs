//! The generic reader of a spanned TOML tree: a table as an [`Obj`] with
//! its dotted path, and a [`Walker`] with typed getters (sub-tables, text,
//! identifiers, integers, booleans, choices, arrays of named tables) that
//! report a wrong type, a missing key or a value out of range at the
//! value's line and column, and unknown keys with a did-you-mean and the
//! valid keys. It knows nothing of a scenario: the schema (`schema`) says
//! which keys each section has. A bad value is reported and left out, so
//! that reading goes on and every problem in a file is found in one pass.

use std::collections::HashMap;

use super::diag::{LineIndex, Sink, clip, suggestion, unknown};
use super::tree::{Entry, Node, Table, Val, join};

/// Longest identifier (stratum, stream and level names).
pub const MAX_IDENT_CHARS: usize = 40;
/// Longest free text (scenario and variant names, labels).
pub const MAX_NAME_CHARS: usize = 100;
/// Longest `source` of a parameter and `description`.
pub const MAX_TEXT_CHARS: usize = 2000;

/// A table being read, with the dotted path used in messages and the byte
/// offset at which problems about the table as a whole are reported.
#[derive(Debug, Clone)]
pub(crate) struct Obj<'t> {
    pub(crate) table: &'t Table,
    pub(crate) at: usize,
    pub(crate) path: String,
    /// The table is not in the file (an empty stand-in): its required keys
    /// are not reported again.
    absent: bool,
}

impl<'t> Obj<'t> {
    pub(crate) fn new(table: &'t Table, at: usize, path: impl Into<String>) -> Self {
        Self {
            table,
            at,
            path: path.into(),
            absent: false,
        }
    }

    /// An empty stand-in for a table that is not in the file.
    pub(crate) fn absent(empty: &'t Table, at: usize, path: impl Into<String>) -> Self {
        Self {
            absent: true,
            ..Self::new(empty, at, path)
        }
    }

    pub(crate) fn entry(&self, key: &str) -> Option<&'t Entry> {
        self.table.get(key)
    }

    pub(crate) fn key(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// Walks the tables of one file, reporting into a [`Sink`].
pub(crate) struct Walker<'s, 'a> {
    pub(super) sink: &'s mut Sink<'a>,
    pub(super) lines: &'a LineIndex<'a>,
    /// Reading a variant: names and keys inherited from the base are not
    /// checked again (the base's reading reported them already).
    pub(super) variant: bool,
}

impl<'s, 'a> Walker<'s, 'a> {
    /// A walker reporting into `sink`; `variant`: reading a merged variant.
    pub(super) fn new(sink: &'s mut Sink<'a>, variant: bool) -> Self {
        let lines = sink.lines();
        Self {
            sink,
            lines,
            variant,
        }
    }

    /// Whether the key of `e` is to be checked: not when a variant merely
    /// inherits it from the base.
    pub(super) fn checks(&self, e: &Entry) -> bool {
        !self.variant || e.from_variant
    }

    pub(super) fn error(&mut self, at: usize, key: &str, message: impl Into<String>) {
        self.sink.error(at, key, message);
    }

    /// Reports a problem found outside the builder's own readers.
    pub(crate) fn error_at(&mut self, at: usize, key: &str, message: impl Into<String>) {
        self.sink.error(at, key, message);
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, at: usize) -> usize {
        self.line(at)
    }

    /// The text of a value as written, clipped, for "got ..." messages.
    pub(super) fn lit(&self, node: &Node) -> String {
        clip(self.lines.slice(&node.span))
    }

    pub(super) fn line(&self, at: usize) -> usize {
        self.lines.line_col(at).0
    }

    /// Reports every key of `o` that is not in `known`.
    pub(crate) fn check_keys(&mut self, o: &Obj<'_>, known: &[&str]) {
        for e in &o.table.entries {
            if self.checks(e) && !known.contains(&e.key.as_str()) {
                let message = unknown(
                    &format!("unknown key `{}`", clip(&e.key)),
                    &e.key,
                    known,
                    "keys here",
                );
                self.error(e.key_span.start, &o.key(&e.key), message);
            }
        }
    }

    pub(super) fn missing(&mut self, o: &Obj<'_>, key: &str, what: &str) {
        if o.absent {
            return;
        }
        let where_ = if o.path.is_empty() {
            "the file".to_string()
        } else {
            format!("`{}`", clip(&o.path))
        };
        let message = format!("missing required key `{key}` in {where_} ({what})");
        self.error(o.at, &o.key(key), message);
    }

    pub(super) fn wrong_type(&mut self, node: &Node, key: &str, expected: &str) {
        let message = format!("expected {expected}, got {}", node.val.kind());
        self.error(node.span.start, key, message);
    }

    /// A sub-table; `None` if absent (reported if `required`) or not a table.
    pub(crate) fn table<'t>(
        &mut self,
        o: &Obj<'t>,
        key: &str,
        required: Option<&str>,
    ) -> Option<Obj<'t>> {
        let Some(e) = o.entry(key) else {
            if let Some(what) = required {
                self.missing(o, key, what);
            }
            return None;
        };
        match &e.node.val {
            Val::Table(t) => Some(Obj::new(t, e.node.span.start, o.key(key))),
            _ => {
                self.wrong_type(&e.node, &o.key(key), "a table");
                None
            }
        }
    }

    /// A string value; `None` if absent (reported if `required`) or bad.
    pub(super) fn string<'t>(
        &mut self,
        o: &Obj<'t>,
        key: &str,
        required: Option<&str>,
    ) -> Option<(&'t str, &'t Node)> {
        let Some(e) = o.entry(key) else {
            if let Some(what) = required {
                self.missing(o, key, what);
            }
            return None;
        };
        match &e.node.val {
            Val::Str(s) => Some((s, &e.node)),
            _ => {
                self.wrong_type(&e.node, &o.key(key), "a string");
                None
            }
        }
    }

    /// Free text of 1 to `max` characters without control characters
    /// (or up to `max` if `allow_empty`).
    pub(crate) fn text(
        &mut self,
        o: &Obj<'_>,
        key: &str,
        required: Option<&str>,
        max: usize,
        allow_empty: bool,
    ) -> Option<String> {
        let (s, node) = self.string(o, key, required)?;
        let n = s.chars().count();
        let problem = if n > max {
            Some(format!(
                "must be at most {max} characters, got {n} characters ('{}')",
                clip(s)
            ))
        } else if !allow_empty && s.trim().is_empty() {
            Some("must not be empty".to_string())
        } else if max <= MAX_NAME_CHARS && s.chars().any(char::is_control) {
            Some(format!(
                "must not contain control characters such as newlines or tabs, got '{}'",
                clip(s)
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                self.error(node.span.start, &o.key(key), message);
                None
            }
            None => Some(s.to_string()),
        }
    }

    /// An identifier: 1 to [`MAX_IDENT_CHARS`] characters of `a-z`, `0-9`
    /// and `_`.
    pub(super) fn ident<'t>(
        &mut self,
        o: &Obj<'t>,
        key: &str,
        one: &str,
    ) -> Option<(&'t str, &'t Node)> {
        let (s, node) = self.string(o, key, Some(&format!("the {one}'s identifier")))?;
        let ok = !s.is_empty()
            && s.chars().count() <= MAX_IDENT_CHARS
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            return Some((s, node));
        }
        let hint = if s.chars().any(|c| c.is_uppercase() || c == ' ' || c == '-') {
            "; use `label` for a display name with capitals or spaces"
        } else {
            ""
        };
        let message = format!(
            "'{}' is not a valid {one} name: use 1 to {MAX_IDENT_CHARS} characters of \
             a-z, 0-9 and _{hint}",
            clip(s)
        );
        self.error(node.span.start, &o.key(key), message);
        None
    }

    /// A whole number in `[lo, hi]`, or `default` when absent.
    pub(crate) fn integer(
        &mut self,
        o: &Obj<'_>,
        key: &str,
        lo: i128,
        hi: i128,
        default: Option<i128>,
        what: &str,
    ) -> Option<i128> {
        let Some(e) = o.entry(key) else {
            if default.is_none() {
                self.missing(o, key, what);
            }
            return default;
        };
        let path = o.key(key);
        match e.node.val {
            Val::Int(v) if (lo..=hi).contains(&v) => Some(v),
            Val::Int(_) => {
                let message = format!(
                    "must be a whole number from {lo} to {hi}, got {}",
                    self.lit(&e.node)
                );
                self.error(e.node.span.start, &path, message);
                None
            }
            Val::Float(_) => {
                let message = format!(
                    "expected a whole number (an integer, written without a decimal point), got {}",
                    self.lit(&e.node)
                );
                self.error(e.node.span.start, &path, message);
                None
            }
            _ => {
                self.wrong_type(&e.node, &path, "an integer");
                None
            }
        }
    }

    /// `true` or `false`, or `default` when absent.
    pub(crate) fn boolean(&mut self, o: &Obj<'_>, key: &str, default: bool) -> bool {
        match o.entry(key) {
            None => default,
            Some(Entry {
                node: Node {
                    val: Val::Bool(b), ..
                },
                ..
            }) => *b,
            Some(e) => {
                self.wrong_type(&e.node, &o.key(key), "true or false");
                default
            }
        }
    }

    /// One of `options`, or `options[0]` (the default) when absent or bad.
    pub(crate) fn choice(
        &mut self,
        o: &Obj<'_>,
        key: &str,
        options: &[&'static str],
    ) -> &'static str {
        let Some((s, node)) = self.string(o, key, None) else {
            return options[0];
        };
        if let Some(opt) = options.iter().find(|&&opt| opt == s) {
            return opt;
        }
        let message = format!(
            "'{}' is not one of: {}{}",
            clip(s),
            options.join(", "),
            suggestion(s, options.iter().copied())
        );
        self.error(node.span.start, &o.key(key), message);
        options[0]
    }

    /// The array of tables at `key`, each element with its name (`None` if
    /// it has no valid, unique name) and its dotted path.
    pub(crate) fn elements<'t>(
        &mut self,
        o: &Obj<'t>,
        key: &str,
        what: (&str, &str),
        count: (usize, usize),
    ) -> Vec<(Option<&'t str>, Obj<'t>)> {
        let (one, many) = what;
        let path = o.key(key);
        // The section header as written in TOML: [[stream.level]], not
        // [[stream.wmo.level]].
        let header = if o.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", o.path.split('.').next().unwrap_or_default())
        };
        let Some(e) = o.entry(key) else {
            if count.0 > 0 {
                let message = format!(
                    "at least {} {} needed: add a [[{header}]] section",
                    count.0,
                    if count.0 == 1 { one } else { many }
                );
                self.missing(o, key, &message);
            }
            return Vec::new();
        };
        let Val::Array(items) = &e.node.val else {
            self.wrong_type(
                &e.node,
                &path,
                &format!("a list of {many} ([[{header}]] sections)"),
            );
            return Vec::new();
        };
        if items.len() < count.0 || items.len() > count.1 {
            let message = format!(
                "there must be {} to {} {many}, got {}",
                count.0,
                count.1,
                items.len()
            );
            self.error(e.node.span.start, &path, message);
        }
        let mut seen: HashMap<&'t str, usize> = HashMap::new();
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Val::Table(t) = &item.val else {
                self.wrong_type(
                    item,
                    &format!("{path}[{}]", i + 1),
                    &format!("a table (a [[{header}]] section)"),
                );
                continue;
            };
            let at = item.span.start;
            let positional = Obj::new(t, at, format!("{path}[{}]", i + 1));
            let name = match self.ident(&positional, "name", one) {
                Some((name, node)) => match seen.get(name) {
                    Some(&first) => {
                        let message =
                            format!("duplicate {one} name '{name}': already used on line {first}");
                        self.error(node.span.start, &positional.key("name"), message);
                        None
                    }
                    None => {
                        seen.insert(name, self.line(node.span.start));
                        Some(name)
                    }
                },
                None => None,
            };
            let obj = match name {
                Some(n) => Obj::new(t, at, format!("{path}.{n}")),
                None => positional,
            };
            out.push((name, obj));
        }
        out
    }
}
