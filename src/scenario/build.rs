//! Reading a (merged) tree into a validated [`Model`].
//!
//! A small reader walks the tree section by section. Each section first
//! reports the keys it does not know (with a did-you-mean and the list of
//! valid keys), then reads its keys one by one. A bad value is reported and
//! replaced by a placeholder, so that reading goes on and every problem in
//! the file is found in one pass; the model built around placeholders is
//! thrown away. Parameters are registered in the model's [`ParamTable`] in
//! the order they are read, which is the order of the scenario format.

use std::collections::HashMap;

use crate::copula::CorrelationMatrix;
use crate::dist::{Dist, U_MAX, U_MIN};
use crate::model::{
    Budget, BudgetMode, CorrelationGroup, Level, Model, Param, ParamSpec, ParamTable, Payer,
    Policy, Prevention, Relapse, Stratum, Stream, StreamPrevention,
};

use super::diag::{LineIndex, Sink, clip, did_you_mean, suggestion, unknown};
use super::tree::{Entry, Node, Table, Val, join};

/// Most strata (household types) a scenario may have.
pub const MAX_STRATA: usize = 32;
/// Most streams (budget lines) a scenario may have.
pub const MAX_STREAMS: usize = 32;
/// Most levels of one stream's care ladder.
pub const MAX_LEVELS: usize = 8;
/// Longest identifier (stratum, stream and level names).
pub const MAX_IDENT_CHARS: usize = 40;
/// Longest free text (scenario and variant names, labels).
pub const MAX_NAME_CHARS: usize = 100;
/// Longest `source` of a parameter and `description`.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Keys of the top level of a scenario.
pub(crate) const ROOT_KEYS: &[&str] = &[
    "meta",
    "uncertainty",
    "stratum",
    "stream",
    "prevention",
    "budget",
    "correlation",
    "variant",
];
const META_KEYS: &[&str] = &[
    "name",
    "description",
    "start_year",
    "horizon_years",
    "replications",
    "seed",
    "baseline",
];
const UNCERTAINTY_KEYS: &[&str] = &["parameters", "process"];
const STRATUM_KEYS: &[&str] = &["name", "label", "households", "growth"];
const STREAM_KEYS: &[&str] = &[
    "name",
    "label",
    "incidence",
    "early_signal_share",
    "price_index",
    "risk",
    "relapse",
    "level",
    "prevention",
];
const RELAPSE_KEYS: &[&str] = &["rate", "window_months"];
const LEVEL_KEYS: &[&str] = &[
    "name",
    "label",
    "paid_by",
    "cost_per_month",
    "mean_duration_months",
    "escalation",
];
const STREAM_PREVENTION_KEYS: &[&str] = &[
    "share",
    "saturation",
    "case_finding",
    "early_signal",
    "escalation",
    "relapse",
];
const PREVENTION_KEYS: &[&str] = &["budget", "budget_before", "ramp_up_months"];
const BUDGET_KEYS: &[&str] = &[
    "ceiling",
    "indexation",
    "mode",
    "shares",
    "policy",
    "wait_escalation_factor",
    "reserve_initial",
    "reserve_cap",
    "reinvest_share",
];
const CORRELATION_KEYS: &[&str] = &["parameters", "matrix"];

/// A distribution's field and its default (`None`: required).
type Field = (&'static str, Option<f64>);

/// The fields of each distribution family, with their defaults.
const DISTS: &[(&str, &[Field])] = &[
    ("fixed", &[("value", None)]),
    ("uniform", &[("min", None), ("max", None)]),
    (
        "triangular",
        &[("min", None), ("mode", None), ("max", None)],
    ),
    (
        "pert",
        &[
            ("min", None),
            ("mode", None),
            ("max", None),
            ("lambda", Some(crate::dist::PERT_DEFAULT_LAMBDA)),
        ],
    ),
    (
        "normal",
        &[
            ("mean", None),
            ("sd", None),
            ("min", Some(f64::NEG_INFINITY)),
            ("max", Some(f64::INFINITY)),
        ],
    ),
    ("lognormal", &[("mean", None), ("sd", None)]),
    (
        "beta",
        &[
            ("alpha", None),
            ("beta", None),
            ("min", Some(0.0)),
            ("max", Some(1.0)),
        ],
    ),
    ("gamma", &[("shape", None), ("scale", None)]),
];

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

/// The domain of a parameter and how to fill it in when it is left out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    /// `None`: required.
    pub(crate) default: Option<f64>,
    /// The parameter may not be uncertain (shares).
    pub(crate) fixed_only: bool,
}

pub(crate) const fn dom(lo: f64, hi: f64, default: Option<f64>) -> Spec {
    Spec {
        lo,
        hi,
        default,
        fixed_only: false,
    }
}

/// A bound of a domain, for messages.
fn bound(x: f64) -> String {
    crate::dist::Num(x).to_string()
}

/// A number rounded to 4 significant digits, for messages.
fn rounded(x: f64) -> String {
    let r: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    crate::dist::Num(r).to_string()
}

/// The settings of the base that every variant shares.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) start_year: i32,
    pub(crate) horizon_years: u32,
}

/// The scenario-wide settings from `[meta]`.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) shared: Shared,
    pub(crate) replications: u32,
    pub(crate) seed: u64,
    pub(crate) baseline: String,
}

/// A correlation group as written, checked against the base.
#[derive(Debug, Clone)]
pub(crate) struct GroupSpec {
    paths: Vec<String>,
    rows: Vec<Vec<f64>>,
}

/// Reads tables of a scenario, reporting into a [`Sink`].
pub(crate) struct Builder<'s, 'a> {
    sink: &'s mut Sink<'a>,
    lines: &'a LineIndex<'a>,
    params: ParamTable,
    /// Per parameter: its value was rejected and a placeholder stands in.
    bad: Vec<bool>,
    /// Reading a variant: names and keys inherited from the base are not
    /// checked again (the base's reading reported them already).
    variant: bool,
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(crate) fn new(sink: &'s mut Sink<'a>) -> Self {
        let lines = sink.lines();
        Self {
            sink,
            lines,
            params: ParamTable::default(),
            bad: Vec::new(),
            variant: false,
        }
    }

    /// A builder for a merged variant.
    pub(crate) fn for_variant(sink: &'s mut Sink<'a>) -> Self {
        Self {
            variant: true,
            ..Self::new(sink)
        }
    }

    /// Whether the key of `e` is to be checked: not when a variant merely
    /// inherits it from the base.
    fn checks(&self, e: &Entry) -> bool {
        !self.variant || e.from_variant
    }

    fn error(&mut self, at: usize, key: &str, message: impl Into<String>) {
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

    /// The parameters registered so far.
    pub(crate) fn params(&self) -> &ParamTable {
        &self.params
    }

    /// The text of a value as written, clipped, for "got ..." messages.
    fn lit(&self, node: &Node) -> String {
        clip(self.lines.slice(&node.span))
    }

    fn line(&self, at: usize) -> usize {
        self.lines.line_col(at).0
    }

    // ----- generic readers -------------------------------------------------

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

    fn missing(&mut self, o: &Obj<'_>, key: &str, what: &str) {
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

    fn wrong_type(&mut self, node: &Node, key: &str, expected: &str) {
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
    fn string<'t>(
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
    fn ident<'t>(&mut self, o: &Obj<'t>, key: &str, one: &str) -> Option<(&'t str, &'t Node)> {
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

    // ----- parameters ------------------------------------------------------

    fn register(&mut self, spec: ParamSpec, bad: bool) -> Param {
        self.bad.push(bad);
        self.params.push(spec)
    }

    /// Registers a placeholder for a parameter whose value was rejected.
    fn placeholder(&mut self, path: String, spec: Spec) -> Param {
        let value = spec.default.unwrap_or(spec.lo);
        self.register(
            ParamSpec {
                path,
                dist: Dist::Fixed { value },
                source: None,
                line: 0,
                draw_path: None,
            },
            true,
        )
    }

    /// The value of a parameter that is fixed and was accepted.
    pub(crate) fn fixed_value(&self, p: Param) -> Option<f64> {
        if self.bad[p.idx()] {
            return None;
        }
        match self.params.get(p).dist {
            Dist::Fixed { value } => Some(value),
            _ => None,
        }
    }

    /// Reads, checks and registers parameter `key` of `o`.
    pub(crate) fn param(&mut self, o: &Obj<'_>, key: &str, spec: Spec) -> Param {
        let path = o.key(key);
        let Some(e) = o.entry(key) else {
            return match spec.default {
                Some(value) => self.register(
                    ParamSpec {
                        path,
                        dist: Dist::Fixed { value },
                        source: None,
                        line: 0,
                        draw_path: None,
                    },
                    false,
                ),
                None => {
                    self.missing(
                        o,
                        key,
                        &format!("a number in [{}, {}]", bound(spec.lo), bound(spec.hi)),
                    );
                    self.placeholder(path, spec)
                }
            };
        };
        let node = &e.node;
        let Some((dist, source, value_node)) = self.dist(node, &path) else {
            return self.placeholder(path, spec);
        };
        if !self.in_domain(&dist, value_node, &path, spec) {
            return self.placeholder(path, spec);
        }
        let line = self.line(origin(node));
        self.register(
            ParamSpec {
                path,
                dist,
                source,
                line,
                draw_path: None,
            },
            false,
        )
    }

    /// Checks that a parameter's values lie in its domain and that it is
    /// fixed where it must be; reports and returns `false` if not.
    fn in_domain(&mut self, dist: &Dist, node: &Node, path: &str, spec: Spec) -> bool {
        let domain = format!("[{}, {}]", bound(spec.lo), bound(spec.hi));
        if let Dist::Fixed { value } = *dist {
            if value < spec.lo || value > spec.hi {
                let message = format!("must be in {domain}, got {}", self.lit(node));
                self.error(node.span.start, path, message);
                return false;
            }
            return true;
        }
        if spec.fixed_only {
            let message = format!(
                "must be a fixed number, not a {} distribution: shares are set by policy, not drawn",
                dist.kind()
            );
            self.error(node.span.start, path, message);
            return false;
        }
        let (lo, hi) = drawn_range(dist);
        if lo < spec.lo || hi > spec.hi {
            let hint = match dist {
                Dist::Normal { .. } => {
                    let mut cut = Vec::new();
                    if lo < spec.lo {
                        cut.push(format!("min = {}", bound(spec.lo)));
                    }
                    if hi > spec.hi {
                        cut.push(format!("max = {}", bound(spec.hi)));
                    }
                    format!("truncate it to the domain with {}", cut.join(" and "))
                }
                Dist::LogNormal { .. } | Dist::Gamma { .. } => format!(
                    "use a bounded distribution (pert, triangular, uniform, beta with min and max) \
                     or a normal with `min` and `max` inside {domain}"
                ),
                _ => format!("keep `min` and `max` inside {domain}"),
            };
            let message = format!(
                "a {} distribution here takes values from {} to {}, outside the domain {domain}; {hint}",
                dist.kind(),
                rounded(lo),
                rounded(hi)
            );
            self.error(node.span.start, path, message);
            return false;
        }
        true
    }

    /// Reads a parameter's value: a number, `{ value, source }` or a
    /// distribution table. Returns the distribution, its source and the node
    /// to point at for a value outside the domain.
    fn dist<'t>(&mut self, node: &'t Node, path: &str) -> Option<(Dist, Option<String>, &'t Node)> {
        let table = match &node.val {
            Val::Int(_) | Val::Float(_) => {
                let v = self.number(node, path, None)?;
                return Some((Dist::Fixed { value: v }, None, node));
            }
            Val::Table(t) => t,
            other => {
                let message = format!(
                    "expected a number or a distribution table such as \
                     {{ dist = \"pert\", min = 1, mode = 2, max = 4 }}, got {}",
                    other.kind()
                );
                self.error(node.span.start, path, message);
                return None;
            }
        };
        let o = Obj::new(table, node.span.start, path);
        let source = self.text(&o, "source", None, MAX_TEXT_CHARS, true);
        let Some(kind_entry) = o.entry("dist") else {
            if o.entry("value").is_some() {
                self.check_keys(&o, &["value", "source"]);
                let value_node = &o.entry("value")?.node;
                let v = self.number(value_node, path, Some("value"))?;
                return Some((Dist::Fixed { value: v }, source, value_node));
            }
            let message = if ["min", "max", "mode", "mean", "sd"]
                .iter()
                .any(|k| o.entry(k).is_some())
            {
                "missing `dist`: name the distribution, e.g. dist = \"pert\"".to_string()
            } else {
                "a parameter table needs `value` (a fixed number) or `dist` (a distribution)"
                    .to_string()
            };
            self.error(node.span.start, path, message);
            return None;
        };
        let Val::Str(kind) = &kind_entry.node.val else {
            self.wrong_type(
                &kind_entry.node,
                &o.key("dist"),
                "a string naming a distribution",
            );
            return None;
        };
        let names: Vec<&str> = DISTS.iter().map(|(n, _)| *n).collect();
        let Some((kind, fields)) = DISTS.iter().find(|(n, _)| n == kind) else {
            let message = unknown(
                &format!("unknown distribution '{}'", clip(kind)),
                kind,
                &names,
                "distributions",
            );
            self.error(kind_entry.node.span.start, &o.key("dist"), message);
            return None;
        };
        let mut known: Vec<&str> = vec!["dist", "source"];
        known.extend(fields.iter().map(|(f, _)| *f));
        self.check_keys(&o, &known);
        let mut values = Vec::with_capacity(fields.len());
        let mut ok = true;
        for &(field, default) in fields.iter() {
            match o.entry(field) {
                None => match default {
                    Some(v) => values.push(v),
                    None => {
                        let message = format!("a {kind} distribution needs `{field}`");
                        self.error(node.span.start, &o.key(field), message);
                        ok = false;
                    }
                },
                Some(e) => {
                    // Only a normal's truncation bounds may be infinite.
                    let infinite_ok = *kind == "normal" && (field == "min" || field == "max");
                    match self.field_number(&e.node, path, field, infinite_ok) {
                        Some(v) => values.push(v),
                        None => ok = false,
                    }
                }
            }
        }
        if !ok {
            return None;
        }
        let built = match (*kind, values.as_slice()) {
            ("fixed", &[v]) => Dist::fixed(v),
            ("uniform", &[min, max]) => Dist::uniform(min, max),
            ("triangular", &[min, mode, max]) => Dist::triangular(min, mode, max),
            ("pert", &[min, mode, max, lambda]) => Dist::pert(min, mode, max, lambda),
            ("normal", &[mean, sd, min, max]) => Dist::normal(mean, sd, min, max),
            ("lognormal", &[mean, sd]) => Dist::lognormal_mean_sd(mean, sd),
            ("beta", &[a, b, min, max]) => Dist::beta(a, b, min, max),
            ("gamma", &[shape, scale]) => Dist::gamma(shape, scale),
            _ => unreachable!("DISTS and this match list the same fields"),
        };
        match built {
            Ok(d) => {
                let value_node = match *kind {
                    "fixed" => o.entry("value").map_or(node, |e| &e.node),
                    _ => node,
                };
                Some((d, source, value_node))
            }
            Err(err) => {
                let message = format!("invalid {kind} distribution: {err}");
                self.error(origin(node), path, message);
                None
            }
        }
    }

    /// A finite number (integers accepted); `-0` reads as 0.
    fn number(&mut self, node: &Node, path: &str, field: Option<&str>) -> Option<f64> {
        self.field_number_inner(node, path, field, false)
    }

    fn field_number(
        &mut self,
        node: &Node,
        path: &str,
        field: &str,
        infinite_ok: bool,
    ) -> Option<f64> {
        self.field_number_inner(node, path, Some(field), infinite_ok)
    }

    fn field_number_inner(
        &mut self,
        node: &Node,
        path: &str,
        field: Option<&str>,
        infinite_ok: bool,
    ) -> Option<f64> {
        let what = field.map_or(String::new(), |f| format!("`{f}` "));
        let v = match node.val {
            Val::Int(i) => i as f64,
            Val::Float(f) => f + 0.0,
            ref other => {
                let message = format!("{what}expected a number, got {}", other.kind());
                self.error(node.span.start, path, message.trim_start().to_string());
                return None;
            }
        };
        if v.is_nan() || (v.is_infinite() && !infinite_ok) {
            let message = format!("{what}must be a finite number, got {}", self.lit(node));
            self.error(node.span.start, path, message);
            return None;
        }
        Some(v)
    }

    // ----- the model -------------------------------------------------------

    /// Reads the model sections of `root` (everything except `meta`,
    /// `correlation` and `variant`, which belong to the whole file).
    /// `base_budget` is the base's `prevention.budget`, the default of
    /// `budget_before` (`None` while reading the base itself).
    pub(crate) fn model(
        &mut self,
        root: &Table,
        variant: String,
        description: String,
        shared: &Shared,
        base_budget: Option<&ParamSpec>,
    ) -> Model {
        let root = Obj::new(root, 0, "");
        self.check_keys(&root, ROOT_KEYS);

        let (parameter_uncertainty, process_uncertainty) =
            match self.table(&root, "uncertainty", None) {
                Some(u) => {
                    self.check_keys(&u, UNCERTAINTY_KEYS);
                    (
                        self.boolean(&u, "parameters", true),
                        self.boolean(&u, "process", true),
                    )
                }
                None => (true, true),
            };

        let strata = self.strata(&root);
        let streams = self.streams(&root, &strata);
        let prevention = self.prevention(&root, base_budget);
        let budget = self.budget(&root, &streams);
        self.check_prevention_shares(&root, &streams, &prevention, &budget);

        Model {
            variant,
            description,
            start_year: shared.start_year,
            horizon_years: shared.horizon_years,
            parameter_uncertainty,
            process_uncertainty,
            strata,
            streams,
            prevention,
            budget,
            params: std::mem::take(&mut self.params),
            correlations: Vec::new(),
        }
    }

    fn strata(&mut self, root: &Obj<'_>) -> Vec<Stratum> {
        let elements = self.elements(root, "stratum", ("stratum", "strata"), (1, MAX_STRATA));
        let mut strata = Vec::with_capacity(elements.len());
        for (name, o) in elements {
            self.check_keys(&o, STRATUM_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&o, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let households = self.param(&o, "households", dom(0.0, 1e8, None));
            let growth = self.param(&o, "growth", dom(-0.5, 0.5, Some(0.0)));
            strata.push(Stratum {
                name,
                label,
                households,
                growth,
            });
        }
        strata
    }

    fn streams(&mut self, root: &Obj<'_>, strata: &[Stratum]) -> Vec<Stream> {
        let elements = self.elements(root, "stream", ("stream", "streams"), (1, MAX_STREAMS));
        let mut streams = Vec::with_capacity(elements.len());
        for (name, o) in elements {
            self.check_keys(&o, STREAM_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&o, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let incidence = self.param(&o, "incidence", dom(0.0, 5.0, None));
            let early_signal_share = self.param(&o, "early_signal_share", dom(0.0, 1.0, Some(0.0)));
            let price_index = self.param(&o, "price_index", dom(-0.5, 1.0, Some(0.0)));
            let risk = self.risk(&o, strata);
            let relapse = self.relapse(&o);
            let levels = self.levels(&o);
            let prevention = self.stream_prevention(&o);
            streams.push(Stream {
                name,
                label,
                incidence,
                early_signal_share,
                risk,
                price_index,
                relapse,
                levels,
                prevention,
            });
        }
        streams
    }

    /// One multiplier per stratum, in stratum order; 1 where not given.
    fn risk(&mut self, o: &Obj<'_>, strata: &[Stratum]) -> Vec<Param> {
        let spec = dom(0.0, 100.0, Some(1.0));
        let names: Vec<&str> = strata
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        let table = self.table(o, "risk", None);
        if let Some(t) = &table {
            for e in &t.table.entries {
                if self.checks(e) && !names.contains(&e.key.as_str()) {
                    let message = unknown(
                        &format!("there is no stratum named '{}'", clip(&e.key)),
                        &e.key,
                        &names,
                        "strata",
                    );
                    self.error(e.key_span.start, &t.key(&e.key), message);
                }
            }
        }
        let empty = Table::default();
        let risk = table.unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("risk")));
        strata
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.name.is_empty() {
                    // A stratum without a valid name: keep the slot.
                    self.placeholder(risk.key(&format!("[{}]", i + 1)), spec)
                } else {
                    self.param(&risk, &s.name, spec)
                }
            })
            .collect()
    }

    fn relapse(&mut self, o: &Obj<'_>) -> Relapse {
        let empty = Table::default();
        let r = self
            .table(o, "relapse", None)
            .unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("relapse")));
        self.check_keys(&r, RELAPSE_KEYS);
        Relapse {
            rate: self.param(&r, "rate", dom(0.0, 1.0, Some(0.0))),
            window_months: self.param(&r, "window_months", dom(1.0, 600.0, Some(12.0))),
        }
    }

    fn levels(&mut self, o: &Obj<'_>) -> Vec<Level> {
        let elements = self.elements(o, "level", ("level", "levels"), (1, MAX_LEVELS));
        let n = elements.len();
        let mut levels = Vec::with_capacity(n);
        for (i, (name, l)) in elements.into_iter().enumerate() {
            self.check_keys(&l, LEVEL_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&l, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let paid_by = match self.choice(&l, "paid_by", &["stream", "team"]) {
                "team" => Payer::Team,
                _ => Payer::Stream,
            };
            let cost_per_month = self.param(&l, "cost_per_month", dom(0.0, 1e6, None));
            let mean_duration_months =
                self.param(&l, "mean_duration_months", dom(1.0, 1200.0, None));
            let escalation = self.param(&l, "escalation", dom(0.0, 1.0, Some(0.0)));
            if i + 1 == n
                && !self.bad[escalation.idx()]
                && self.fixed_value(escalation) != Some(0.0)
                && let Some(e) = l.entry("escalation")
            {
                let message = format!(
                    "must be 0 on the top level ('{}'): there is no higher level to escalate to",
                    clip(&name)
                );
                self.error(e.node.span.start, &l.key("escalation"), message);
                self.bad[escalation.idx()] = true;
            }
            levels.push(Level {
                name,
                label,
                paid_by,
                cost_per_month,
                mean_duration_months,
                escalation,
            });
        }
        levels
    }

    fn stream_prevention(&mut self, o: &Obj<'_>) -> StreamPrevention {
        let empty = Table::default();
        let p = self
            .table(o, "prevention", None)
            .unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("prevention")));
        self.check_keys(&p, STREAM_PREVENTION_KEYS);
        let share = Spec {
            fixed_only: true,
            ..dom(0.0, 1.0, Some(0.0))
        };
        StreamPrevention {
            share: self.param(&p, "share", share),
            saturation: self.param(&p, "saturation", dom(1e-9, 1e6, Some(50.0))),
            case_finding: self.param(&p, "case_finding", dom(0.0, 10.0, Some(0.0))),
            early_signal: self.param(&p, "early_signal", dom(0.0, 1.0, Some(0.0))),
            escalation: self.param(&p, "escalation", dom(0.0, 1.0, Some(0.0))),
            relapse: self.param(&p, "relapse", dom(0.0, 1.0, Some(0.0))),
        }
    }

    fn prevention(&mut self, root: &Obj<'_>, base_budget: Option<&ParamSpec>) -> Prevention {
        let empty = Table::default();
        let p = self
            .table(root, "prevention", None)
            .unwrap_or_else(|| Obj::absent(&empty, 0, "prevention"));
        self.check_keys(&p, PREVENTION_KEYS);
        let money = dom(0.0, 1e10, Some(0.0));
        let budget = self.param(&p, "budget", money);
        let budget_before = if p.entry("budget_before").is_some() {
            self.param(&p, "budget_before", money)
        } else {
            // The spend in place before the start: the base's budget, drawn
            // from the same random stream.
            let own = self.params.get(budget).clone();
            let bad = self.bad[budget.idx()];
            let from = base_budget.unwrap_or(&own);
            self.register(
                ParamSpec {
                    path: p.key("budget_before"),
                    dist: from.dist.clone(),
                    source: from.source.clone(),
                    line: 0,
                    draw_path: Some(from.draw_key().to_string()),
                },
                bad && base_budget.is_none(),
            )
        };
        let ramp_up_months = self.param(&p, "ramp_up_months", dom(0.0, 600.0, Some(12.0)));
        Prevention {
            budget,
            budget_before,
            ramp_up_months,
        }
    }

    fn budget(&mut self, root: &Obj<'_>, streams: &[Stream]) -> Budget {
        let empty = Table::default();
        let b = self
            .table(
                root,
                "budget",
                Some("the ceiling: add a [budget] section with `ceiling`"),
            )
            .unwrap_or_else(|| Obj::absent(&empty, 0, "budget"));
        self.check_keys(&b, BUDGET_KEYS);
        let money = dom(0.0, 1e11, Some(0.0));
        let ceiling = self.param(&b, "ceiling", dom(0.0, 1e11, None));
        let indexation = self.param(&b, "indexation", dom(-0.5, 1.0, Some(0.0)));
        let siloed = self.choice(&b, "mode", &["pooled", "siloed"]) == "siloed";
        let shares = self.shares(&b, streams, siloed);
        let mode = match shares {
            Some(shares) if siloed => BudgetMode::Siloed { shares },
            _ => BudgetMode::Pooled,
        };
        let waitlist = self.choice(&b, "policy", &["overspend", "waitlist"]) == "waitlist";
        let factor = dom(1.0, 100.0, Some(1.5));
        let policy = if waitlist {
            Policy::Waitlist {
                wait_escalation_factor: self.param(&b, "wait_escalation_factor", factor),
            }
        } else {
            // Unused: checked, but not registered.
            self.check_unused(&b, "wait_escalation_factor", factor);
            Policy::Overspend
        };
        Budget {
            ceiling,
            indexation,
            mode,
            policy,
            reserve_initial: self.param(&b, "reserve_initial", money),
            reserve_cap: self.param(&b, "reserve_cap", money),
            reinvest_share: self.param(&b, "reinvest_share", dom(0.0, 1.0, Some(0.0))),
        }
    }

    /// The streams' prevention shares divide the prevention budget: when
    /// anything can be spent on prevention (a budget, the spend before the
    /// start, reinvested surpluses), they must add up to 1. Skipped when a
    /// share was rejected already.
    fn check_prevention_shares(
        &mut self,
        root: &Obj<'_>,
        streams: &[Stream],
        prevention: &Prevention,
        budget: &Budget,
    ) {
        let mut sum = 0.0;
        for s in streams {
            match self.fixed_value(s.prevention.share) {
                Some(v) => sum += v,
                None => return,
            }
        }
        let may_spend = [
            prevention.budget,
            prevention.budget_before,
            budget.reinvest_share,
        ]
        .iter()
        .any(|&p| self.params.get(p).dist.support().1 > 0.0);
        if (sum - 1.0).abs() <= 1e-6 || (!may_spend && sum == 0.0) {
            return;
        }
        let shares = streams
            .iter()
            .filter_map(|s| {
                let v = self.fixed_value(s.prevention.share)?;
                Some(format!("{} {}", s.name, crate::dist::Num(v)))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let at = root
            .entry("prevention")
            .map(|e| match &e.node.val {
                Val::Table(t) => t
                    .get("budget")
                    .map_or(e.node.span.start, |b| b.node.span.start),
                _ => e.node.span.start,
            })
            .unwrap_or(0);
        let message = format!(
            "the streams' prevention shares (`stream.<name>.prevention.share`) add up to {}, \
             they must add up to 1 to divide the prevention budget ({shares})",
            rounded(sum)
        );
        self.error(at, "prevention.budget", message);
    }

    /// Checks a parameter that the model does not use, without registering it.
    fn check_unused(&mut self, o: &Obj<'_>, key: &str, spec: Spec) {
        let saved = self.params.len();
        self.param(o, key, spec);
        self.params.specs.truncate(saved);
        self.bad.truncate(saved);
    }

    /// The shares of a siloed budget, one per stream in stream order
    /// (registered only when `siloed`). `None` when unusable.
    fn shares(&mut self, b: &Obj<'_>, streams: &[Stream], siloed: bool) -> Option<Vec<Param>> {
        let table = self.table(b, "shares", None);
        let Some(t) = table else {
            if siloed && b.entry("shares").is_none() {
                self.missing(
                    b,
                    "shares",
                    "mode = \"siloed\" needs a share of the ceiling for every stream, \
                     e.g. shares = { wmo = 0.4, jeugdhulp = 0.6 }",
                );
            }
            return None;
        };
        let names: Vec<&str> = streams
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        for e in &t.table.entries {
            if self.checks(e) && !names.contains(&e.key.as_str()) {
                let message = unknown(
                    &format!("there is no stream named '{}'", clip(&e.key)),
                    &e.key,
                    &names,
                    "streams",
                );
                self.error(e.key_span.start, &t.key(&e.key), message);
            }
        }
        let saved = self.params.len();
        let spec = Spec {
            fixed_only: true,
            ..dom(0.0, 1.0, None)
        };
        let mut shares = Vec::with_capacity(streams.len());
        let mut sum = 0.0;
        let mut complete = true;
        for s in streams {
            if s.name.is_empty() {
                complete = false;
                continue;
            }
            if t.entry(&s.name).is_none() {
                if siloed {
                    let message = format!(
                        "stream '{}' has no share: with mode = \"siloed\" every stream needs one",
                        s.name
                    );
                    self.error(t.at, &t.key(&s.name), message);
                }
                complete = false;
                continue;
            }
            let p = self.param(&t, &s.name, spec);
            match self.fixed_value(p) {
                Some(v) => sum += v,
                None => complete = false,
            }
            shares.push(p);
        }
        if siloed && complete && (sum - 1.0).abs() > 1e-6 {
            let message = format!(
                "the shares add up to {}, they must add up to 1",
                crate::dist::Num(sum)
            );
            self.error(t.at, &t.path, message);
        }
        if !siloed {
            // Allowed but unused with a pooled budget: checked, not registered.
            self.params.specs.truncate(saved);
            self.bad.truncate(saved);
            return None;
        }
        Some(shares)
    }

    // ----- file-wide sections ------------------------------------------------

    /// Reads `[meta]`.
    pub(crate) fn meta(&mut self, root: &Table) -> Meta {
        let root = Obj::new(root, 0, "");
        let empty = Table::default();
        let m = self
            .table(
                &root,
                "meta",
                Some("the scenario's name and horizon: add a [meta] section"),
            )
            .unwrap_or_else(|| Obj::absent(&empty, 0, "meta"));
        self.check_keys(&m, META_KEYS);
        let name = self
            .text(
                &m,
                "name",
                Some("the scenario's name"),
                MAX_NAME_CHARS,
                false,
            )
            .unwrap_or_default();
        let description = self
            .text(&m, "description", None, MAX_TEXT_CHARS, true)
            .unwrap_or_default();
        let start_year = self.integer(&m, "start_year", 2000, 2100, Some(2027), "the first year");
        let horizon = self.integer(
            &m,
            "horizon_years",
            1,
            50,
            None,
            "the number of years simulated",
        );
        let replications = self.integer(
            &m,
            "replications",
            1,
            10_000_000,
            Some(1000),
            "the number of Monte Carlo replications",
        );
        let seed = self.integer(
            &m,
            "seed",
            0,
            i128::from(u64::MAX),
            Some(1),
            "the random seed",
        );
        let baseline = self
            .text(&m, "baseline", None, MAX_NAME_CHARS, false)
            .unwrap_or_else(|| "basis".to_string());
        Meta {
            name,
            description,
            shared: Shared {
                start_year: start_year
                    .and_then(|v| i32::try_from(v).ok())
                    .unwrap_or(2027),
                horizon_years: horizon.and_then(|v| u32::try_from(v).ok()).unwrap_or(1),
            },
            replications: replications
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(1000),
            seed: seed.and_then(|v| u64::try_from(v).ok()).unwrap_or(1),
            baseline,
        }
    }

    /// Reads the `[[correlation]]` groups and checks them against the base's
    /// parameters.
    pub(crate) fn correlations(&mut self, root: &Table, base: &ParamTable) -> Vec<GroupSpec> {
        let root = Obj::new(root, 0, "");
        let Some(e) = root.entry("correlation") else {
            return Vec::new();
        };
        let Val::Array(items) = &e.node.val else {
            self.wrong_type(&e.node, "correlation", "a list of [[correlation]] sections");
            return Vec::new();
        };
        let paths: Vec<&str> = base.specs.iter().map(|s| s.path.as_str()).collect();
        // Parameter path -> (group number, line) of its first group.
        let mut used: HashMap<String, (usize, usize)> = HashMap::new();
        let mut groups = Vec::new();
        for (gi, item) in items.iter().enumerate() {
            let gpath = format!("correlation[{}]", gi + 1);
            let Val::Table(t) = &item.val else {
                self.wrong_type(item, &gpath, "a table (a [[correlation]] section)");
                continue;
            };
            let o = Obj::new(t, item.span.start, gpath.clone());
            self.check_keys(&o, CORRELATION_KEYS);
            let names = self.correlation_parameters(&o, gi + 1, &paths, base, &mut used);
            let rows = self.matrix(&o);
            let (Some(names), Some(rows)) = (names, rows) else {
                continue;
            };
            let Some(m) = o.entry("matrix") else { continue };
            if rows.len() != names.len() || rows.iter().any(|r| r.len() != names.len()) {
                let message = format!(
                    "the matrix must have {n} rows of {n} numbers, one per parameter, \
                     got {} row(s)",
                    rows.len(),
                    n = names.len()
                );
                self.error(m.node.span.start, &o.key("matrix"), message);
                continue;
            }
            if let Err(err) = CorrelationMatrix::new(&rows) {
                self.error(m.node.span.start, &o.key("matrix"), err.to_string());
                continue;
            }
            groups.push(GroupSpec { paths: names, rows });
        }
        groups
    }

    fn correlation_parameters(
        &mut self,
        o: &Obj<'_>,
        group: usize,
        paths: &[&str],
        base: &ParamTable,
        used: &mut HashMap<String, (usize, usize)>,
    ) -> Option<Vec<String>> {
        let key = o.key("parameters");
        let Some(e) = o.entry("parameters") else {
            self.missing(o, "parameters", "the paths of the correlated parameters");
            return None;
        };
        let Val::Array(items) = &e.node.val else {
            self.wrong_type(&e.node, &key, "a list of parameter paths");
            return None;
        };
        let mut ok = true;
        if items.len() < 2 {
            let message = format!(
                "a correlation group needs at least 2 parameters, got {}",
                items.len()
            );
            self.error(e.node.span.start, &key, message);
            ok = false;
        }
        let mut names = Vec::with_capacity(items.len());
        for item in items {
            let Val::Str(p) = &item.val else {
                self.wrong_type(item, &key, "a parameter path (a string)");
                ok = false;
                continue;
            };
            let problem = match base.find(p) {
                None => Some(match did_you_mean(p, paths.iter().copied()) {
                    Some(c) => format!("there is no parameter '{}'; did you mean `{c}`?", clip(p)),
                    None => format!(
                        "there is no parameter '{}'; parameter paths look like \
                         `stream.<name>.incidence` (see docs/scenario-format.md)",
                        clip(p)
                    ),
                }),
                Some(param) if base.get(param).dist.is_fixed() => Some(format!(
                    "'{}' is a fixed number; only uncertain parameters (given as a \
                     distribution) can be correlated",
                    clip(p)
                )),
                Some(_) => match used.get(p.as_str()) {
                    Some(&(g, line)) if g == group => Some(format!(
                        "'{}' is listed twice in this group (first on line {line})",
                        clip(p)
                    )),
                    Some(&(g, line)) => Some(format!(
                        "'{}' is already in correlation group {g} (line {line}); \
                         a parameter can be in one group only",
                        clip(p)
                    )),
                    None => None,
                },
            };
            match problem {
                Some(message) => {
                    self.error(item.span.start, &key, message);
                    ok = false;
                }
                None => {
                    used.insert(p.clone(), (group, self.line(item.span.start)));
                    names.push(p.clone());
                }
            }
        }
        ok.then_some(names)
    }

    fn matrix(&mut self, o: &Obj<'_>) -> Option<Vec<Vec<f64>>> {
        let key = o.key("matrix");
        let Some(e) = o.entry("matrix") else {
            self.missing(o, "matrix", "the correlation matrix, one row per parameter");
            return None;
        };
        let Val::Array(rows) = &e.node.val else {
            self.wrong_type(
                &e.node,
                &key,
                "a list of rows such as [[1.0, 0.5], [0.5, 1.0]]",
            );
            return None;
        };
        let mut ok = true;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Val::Array(cells) = &row.val else {
                self.wrong_type(row, &key, "a row of numbers such as [1.0, 0.5]");
                ok = false;
                continue;
            };
            let mut r = Vec::with_capacity(cells.len());
            for c in cells {
                match self.number(c, &key, None) {
                    Some(v) => r.push(v),
                    None => ok = false,
                }
            }
            out.push(r);
        }
        ok.then_some(out)
    }
}

/// The correlation groups of one model: each group's parameters looked up
/// in the model by path. A parameter that a variant does not have (e.g. a
/// waitlist factor after switching to overspend) leaves its group, keeping
/// the rest of the matrix; groups left with fewer than 2 are dropped.
pub(crate) fn resolve_groups(groups: &[GroupSpec], params: &ParamTable) -> Vec<CorrelationGroup> {
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let keep: Vec<(usize, Param)> = g
            .paths
            .iter()
            .enumerate()
            .filter_map(|(i, p)| params.find(p).map(|param| (i, param)))
            .collect();
        if keep.len() < 2 {
            continue;
        }
        let rows: Vec<Vec<f64>> = keep
            .iter()
            .map(|&(i, _)| keep.iter().map(|&(j, _)| g.rows[i][j]).collect())
            .collect();
        // A principal submatrix of a valid matrix is valid.
        if let Ok(matrix) = CorrelationMatrix::new(&rows) {
            out.push(CorrelationGroup {
                params: keep.into_iter().map(|(_, p)| p).collect(),
                matrix,
            });
        }
    }
    out
}

/// Where a parameter's value was written: the first field a variant changed
/// in a distribution it inherits (`stream.x.incidence.max = ...`), else
/// the value itself.
fn origin(node: &Node) -> usize {
    match &node.val {
        Val::Table(t) => t
            .entries
            .iter()
            .find(|e| e.from_variant)
            .map_or(node.span.start, |e| e.key_span.start),
        _ => node.span.start,
    }
}

/// The range of values that can be drawn from `dist`: its support where
/// bounded, else its quantiles at [`U_MIN`] and [`U_MAX`] (the engine never
/// draws further out).
fn drawn_range(dist: &Dist) -> (f64, f64) {
    let (mut lo, mut hi) = dist.support();
    if !lo.is_finite() {
        lo = dist.quantile(U_MIN);
    }
    if !hi.is_finite() {
        hi = dist.quantile(U_MAX);
    }
    (lo, hi)
}
