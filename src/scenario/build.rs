//! From the spanned tree to a validated [`Model`]: every key read, typed and
//! range-checked; unknown keys reported with a suggestion; parameters
//! registered in document order. Building goes on after a problem (with a
//! placeholder value), so one pass finds every problem.

use std::ops::Range;

use super::diag::{Diag, clip, did_you_mean};
use super::tree::{Entry, Node, Table, Val, join};
use crate::dist::{Dist, PERT_DEFAULT_LAMBDA};
use crate::model::*;

/// Limits on the size of a scenario.
pub const MAX_STRATA: usize = 32;
pub const MAX_STREAMS: usize = 32;
pub const MAX_LEVELS: usize = 8;
pub const MAX_NAME: usize = 40;
pub const MAX_LABEL: usize = 100;
pub const MAX_TEXT: usize = 2000;

/// Valid range of a parameter.
#[derive(Debug, Clone, Copy)]
pub struct Domain {
    pub lo: f64,
    pub hi: f64,
    /// Must be a fixed number (no distribution).
    pub fixed: bool,
}

const fn dom(lo: f64, hi: f64) -> Domain {
    Domain {
        lo,
        hi,
        fixed: false,
    }
}

pub const PROBABILITY: Domain = dom(0.0, 1.0);
const SHARE_FIXED: Domain = Domain {
    lo: 0.0,
    hi: 1.0,
    fixed: true,
};
const EUROS: Domain = dom(0.0, 1e11);
const RATE: Domain = dom(-0.5, 1.0);

/// A table being read: which keys were used, so the rest can be reported.
pub struct Obj<'t> {
    pub t: &'t Table,
    pub path: String,
    pub span: Range<usize>,
    used: Vec<bool>,
}

impl<'t> Obj<'t> {
    pub fn new(t: &'t Table, path: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            t,
            path: path.into(),
            span,
            used: vec![false; t.entries.len()],
        }
    }

    /// The entry for `key`, marked as read.
    pub fn take(&mut self, key: &str) -> Option<&'t Entry> {
        let i = self.t.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        Some(&self.t.entries[i])
    }

    pub fn key(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Reports every key not read, with a suggestion among `valid`.
    pub fn finish(self, d: &mut Diag, valid: &[&str]) {
        for (e, used) in self.t.entries.iter().zip(&self.used) {
            if !used {
                d.error(
                    e.key_span.clone(),
                    &join(&self.path, &e.key),
                    format!(
                        "unknown key `{}`{}; valid keys here: {}",
                        clip(&e.key),
                        did_you_mean(&e.key, valid.iter().copied()),
                        valid.join(", ")
                    ),
                );
            }
        }
    }
}

/// Reads a scenario's tables into models, registering parameters.
pub struct Builder<'d, 'a> {
    pub d: &'d mut Diag<'a>,
    pub params: ParamTable,
    /// The text, to turn spans into line numbers for parameters.
    text: &'a str,
}

impl<'d, 'a> Builder<'d, 'a> {
    pub fn new(d: &'d mut Diag<'a>, text: &'a str) -> Self {
        Self {
            d,
            params: ParamTable::default(),
            text,
        }
    }

    fn line(&self, span: &Range<usize>) -> usize {
        super::diag::line_col(self.text, span.start).0
    }

    // ---- plain values ----

    /// A table value; reports a wrong type.
    pub fn table<'t>(&mut self, e: &'t Entry, key: &str) -> Option<&'t Table> {
        match &e.node.val {
            Val::Table(t) => Some(t),
            other => {
                self.d.error(
                    e.node.span.clone(),
                    key,
                    format!("expected a table, got {}", other.type_name()),
                );
                None
            }
        }
    }

    /// An array of tables (`[[key]]`); reports a wrong type.
    pub fn tables<'t>(&mut self, e: &'t Entry, key: &str) -> Vec<(&'t Table, Range<usize>)> {
        match &e.node.val {
            Val::Array(items) => items
                .iter()
                .filter_map(|n| match &n.val {
                    Val::Table(t) => Some((t, n.span.clone())),
                    other => {
                        self.d.error(
                            n.span.clone(),
                            key,
                            format!("expected tables (`[[{key}]]`), got {}", other.type_name()),
                        );
                        None
                    }
                })
                .collect(),
            other => {
                self.d.error(
                    e.node.span.clone(),
                    key,
                    format!(
                        "expected an array of tables (`[[{key}]]`), got {}",
                        other.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// A string of at most `max` characters.
    pub fn string(&mut self, o: &mut Obj, key: &str, max: usize) -> Option<String> {
        let e = o.take(key)?;
        let k = o.key(key);
        match &e.node.val {
            Val::Str(s) if s.chars().count() > max => {
                self.d.error(
                    e.node.span.clone(),
                    &k,
                    format!(
                        "is {} characters long; at most {max} are allowed",
                        s.chars().count()
                    ),
                );
                None
            }
            Val::Str(s) => Some(s.clone()),
            other => {
                self.d.error(
                    e.node.span.clone(),
                    &k,
                    format!("expected a string, got {}", other.type_name()),
                );
                None
            }
        }
    }

    /// A required identifier: lower-case letters, digits and `_`.
    pub fn ident(&mut self, o: &mut Obj, key: &str, what: &str) -> Option<(String, Range<usize>)> {
        let span = o.take(key).map(|e| e.node.span.clone());
        let Some(span) = span else {
            self.d.error(
                o.span.clone(),
                &o.key(key),
                format!("missing: every {what} needs a `name`"),
            );
            return None;
        };
        // Re-read through `string` for the type and length checks.
        let s = match &o.t.get(key).map(|e| &e.node.val) {
            Some(Val::Str(s)) => s.clone(),
            Some(other) => {
                self.d.error(
                    span,
                    &o.key(key),
                    format!("expected a string, got {}", other.type_name()),
                );
                return None;
            }
            None => return None,
        };
        let ok = !s.is_empty()
            && s.len() <= MAX_NAME
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.d.error(
                span,
                &o.key(key),
                format!(
                    "'{}' is not a valid {what} name: use 1 to {MAX_NAME} lower-case letters, digits or `_` (e.g. `jeugdhulp`)",
                    clip(&s)
                ),
            );
            return None;
        }
        Some((s, span))
    }

    /// An optional boolean.
    pub fn boolean(&mut self, o: &mut Obj, key: &str, default: bool) -> bool {
        let Some(e) = o.take(key) else { return default };
        match e.node.val {
            Val::Bool(b) => b,
            ref other => {
                self.d.error(
                    e.node.span.clone(),
                    &o.key(key),
                    format!("expected true or false, got {}", other.type_name()),
                );
                default
            }
        }
    }

    /// An optional integer in [lo, hi].
    pub fn integer(
        &mut self,
        o: &mut Obj,
        key: &str,
        lo: i64,
        hi: i64,
        default: Option<i64>,
    ) -> Option<i64> {
        let Some(e) = o.take(key) else {
            if default.is_none() {
                self.d.error(
                    o.span.clone(),
                    &o.key(key),
                    format!("missing: give a whole number from {lo} to {hi}"),
                );
            }
            return default;
        };
        match e.node.val {
            Val::Int(x) if (lo..=hi).contains(&x) => Some(x),
            Val::Int(x) => {
                self.d.error(
                    e.node.span.clone(),
                    &o.key(key),
                    format!("must be a whole number from {lo} to {hi}, got {x}"),
                );
                default
            }
            Val::Float(x) => {
                self.d.error(
                    e.node.span.clone(),
                    &o.key(key),
                    format!("must be a whole number from {lo} to {hi}, got {x}"),
                );
                default
            }
            ref other => {
                self.d.error(
                    e.node.span.clone(),
                    &o.key(key),
                    format!("expected a whole number, got {}", other.type_name()),
                );
                default
            }
        }
    }

    /// One of a set of words.
    pub fn choice(
        &mut self,
        o: &mut Obj,
        key: &str,
        options: &[&'static str],
        default: &'static str,
    ) -> &'static str {
        let Some(e) = o.take(key) else { return default };
        match &e.node.val {
            Val::Str(s) => match options.iter().find(|x| **x == s) {
                Some(x) => x,
                None => {
                    self.d.error(
                        e.node.span.clone(),
                        &o.key(key),
                        format!(
                            "'{}' is not one of: {}{}",
                            clip(s),
                            options.join(", "),
                            did_you_mean(s, options.iter().copied())
                        ),
                    );
                    default
                }
            },
            other => {
                self.d.error(
                    e.node.span.clone(),
                    &o.key(key),
                    format!(
                        "expected one of {}, got {}",
                        options.join(", "),
                        other.type_name()
                    ),
                );
                default
            }
        }
    }

    // ---- parameters ----

    fn push(&mut self, path: &str, dist: Dist, source: Option<String>, line: usize) -> Param {
        self.params.push(ParamSpec {
            path: path.to_string(),
            dist,
            source,
            line,
            draw_path: None,
        })
    }

    /// A placeholder after an error, so building can go on.
    fn placeholder(&mut self, path: &str, domain: Domain) -> Param {
        let v = if domain.lo <= 0.0 && domain.hi >= 0.0 {
            0.0
        } else {
            domain.lo
        };
        self.push(
            path,
            Dist::fixed(v).unwrap_or(Dist::Fixed { value: 0.0 }),
            None,
            0,
        )
    }

    /// Reads parameter `key` of `o` (path `path`): a number, `{ value, source }`
    /// or a distribution table; checks it against `domain`.
    pub fn param(
        &mut self,
        o: &mut Obj,
        key: &str,
        path: &str,
        domain: Domain,
        default: Option<f64>,
    ) -> Param {
        let Some(e) = o.take(key) else {
            return match default {
                Some(v) => self.push(
                    path,
                    Dist::fixed(v).unwrap_or(Dist::Fixed { value: 0.0 }),
                    None,
                    0,
                ),
                None => {
                    self.d.error(
                        o.span.clone(),
                        path,
                        format!(
                            "missing: give a number in [{}, {}] or a distribution",
                            num(domain.lo),
                            num(domain.hi)
                        ),
                    );
                    self.placeholder(path, domain)
                }
            };
        };
        self.param_node(&e.node, path, domain)
    }

    /// A parameter from a value node.
    pub fn param_node(&mut self, node: &Node, path: &str, domain: Domain) -> Param {
        let line = self.line(&node.span);
        let Some((dist, source)) = self.dist(node, path) else {
            return self.placeholder(path, domain);
        };
        if domain.fixed && !dist.is_fixed() {
            self.d.error(
                node.span.clone(),
                path,
                format!("must be a fixed number, not a {} distribution", dist.kind()),
            );
            return self.placeholder(path, domain);
        }
        let (lo, hi) = dist.support();
        if lo < domain.lo || hi > domain.hi {
            let msg = if dist.is_fixed() {
                format!(
                    "must be in [{}, {}], got {}",
                    num(domain.lo),
                    num(domain.hi),
                    num(lo)
                )
            } else {
                format!(
                    "the {} distribution ranges over [{}, {}], outside the valid range [{}, {}]; {}",
                    dist.kind(),
                    num(lo),
                    num(hi),
                    num(domain.lo),
                    num(domain.hi),
                    match dist {
                        Dist::Normal { .. } => "truncate it with `min` and `max`",
                        _ => "choose bounds inside the range (e.g. pert or triangular)",
                    }
                )
            };
            self.d.error(node.span.clone(), path, msg);
            return self.placeholder(path, domain);
        }
        self.push(path, dist, source, line)
    }

    /// Reads a distribution: a number, `{ value, source }` or `{ dist, … }`.
    fn dist(&mut self, node: &Node, path: &str) -> Option<(Dist, Option<String>)> {
        match &node.val {
            Val::Int(x) => self.fixed(*x as f64, node, path).map(|d| (d, None)),
            Val::Float(x) => self.fixed(*x, node, path).map(|d| (d, None)),
            Val::Table(t) => self.dist_table(t, node.span.clone(), path),
            other => {
                self.d.error(
                    node.span.clone(),
                    path,
                    format!(
                        "expected a number or a distribution such as {{ dist = \"pert\", min = …, mode = …, max = … }}, got {}",
                        other.type_name()
                    ),
                );
                None
            }
        }
    }

    fn fixed(&mut self, x: f64, node: &Node, path: &str) -> Option<Dist> {
        if !x.is_finite() {
            self.d.error(
                node.span.clone(),
                path,
                format!("must be a finite number, got {x}"),
            );
            return None;
        }
        Dist::fixed(x).ok()
    }

    fn dist_table(
        &mut self,
        t: &Table,
        span: Range<usize>,
        path: &str,
    ) -> Option<(Dist, Option<String>)> {
        let mut o = Obj::new(t, path, span.clone());
        let source = self.string(&mut o, "source", MAX_TEXT);
        let kind = match o.take("dist").map(|e| &e.node) {
            None if t.get("value").is_some() => "fixed",
            None => {
                self.d.error(
                    span,
                    path,
                    "a parameter table needs `dist` (fixed, uniform, triangular, pert, normal, lognormal, beta, gamma) or `value`",
                );
                return None;
            }
            Some(Node {
                val: Val::Str(s),
                span: sspan,
            }) => match DISTS.iter().find(|(n, _)| n == s) {
                Some((n, _)) => n,
                None => {
                    self.d.error(
                        sspan.clone(),
                        &join(path, "dist"),
                        format!(
                            "unknown distribution '{}'{}; choose one of: {}",
                            clip(s),
                            did_you_mean(s, DISTS.iter().map(|(n, _)| *n)),
                            DISTS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                        ),
                    );
                    return None;
                }
            },
            Some(other) => {
                self.d.error(
                    other.span.clone(),
                    &join(path, "dist"),
                    format!(
                        "expected the name of a distribution, got {}",
                        other.val.type_name()
                    ),
                );
                return None;
            }
        };
        let fields = DISTS
            .iter()
            .find(|(n, _)| *n == kind)
            .map_or(&[][..], |(_, f)| *f);
        let mut ok = true;
        let mut get = |b: &mut Self, o: &mut Obj, name: &str, default: Option<f64>| -> f64 {
            match o.take(name) {
                None => default.unwrap_or_else(|| {
                    b.d.error(
                        o.span.clone(),
                        &o.key(name),
                        format!("missing: the {kind} distribution needs `{name}`"),
                    );
                    ok = false;
                    f64::NAN
                }),
                Some(e) => match e.node.val {
                    Val::Int(x) => x as f64,
                    Val::Float(x) if x.is_finite() => x,
                    Val::Float(x) => {
                        b.d.error(
                            e.node.span.clone(),
                            &o.key(name),
                            format!("must be a finite number, got {x}"),
                        );
                        ok = false;
                        f64::NAN
                    }
                    ref other => {
                        b.d.error(
                            e.node.span.clone(),
                            &o.key(name),
                            format!("expected a number, got {}", other.type_name()),
                        );
                        ok = false;
                        f64::NAN
                    }
                },
            }
        };
        let result = match kind {
            "fixed" => {
                let v = get(self, &mut o, "value", None);
                Dist::fixed(v)
            }
            "uniform" => {
                let (a, b) = (
                    get(self, &mut o, "min", None),
                    get(self, &mut o, "max", None),
                );
                Dist::uniform(a, b)
            }
            "triangular" => {
                let a = get(self, &mut o, "min", None);
                let c = get(self, &mut o, "mode", None);
                let b = get(self, &mut o, "max", None);
                Dist::triangular(a, c, b)
            }
            "pert" => {
                let a = get(self, &mut o, "min", None);
                let c = get(self, &mut o, "mode", None);
                let b = get(self, &mut o, "max", None);
                let l = get(self, &mut o, "lambda", Some(PERT_DEFAULT_LAMBDA));
                Dist::pert(a, c, b, l)
            }
            "normal" => {
                let m = get(self, &mut o, "mean", None);
                let s = get(self, &mut o, "sd", None);
                let a = get(self, &mut o, "min", Some(f64::NEG_INFINITY));
                let b = get(self, &mut o, "max", Some(f64::INFINITY));
                Dist::normal(m, s, a, b)
            }
            "lognormal" => {
                let m = get(self, &mut o, "mean", None);
                let s = get(self, &mut o, "sd", None);
                Dist::lognormal_mean_sd(m, s)
            }
            "beta" => {
                let al = get(self, &mut o, "alpha", None);
                let be = get(self, &mut o, "beta", None);
                let a = get(self, &mut o, "min", Some(0.0));
                let b = get(self, &mut o, "max", Some(1.0));
                Dist::beta(al, be, a, b)
            }
            _ => {
                let k = get(self, &mut o, "shape", None);
                let th = get(self, &mut o, "scale", None);
                Dist::gamma(k, th)
            }
        };
        let mut valid: Vec<&str> = vec!["dist", "source"];
        valid.extend(fields.iter().copied());
        o.finish(self.d, &valid);
        if !ok {
            return None;
        }
        match result {
            Ok(d) => Some((d, source)),
            Err(e) => {
                self.d.error(span, path, e.to_string());
                None
            }
        }
    }
}

/// Distribution names and their fields.
const DISTS: &[(&str, &[&str])] = &[
    ("fixed", &["value"]),
    ("uniform", &["min", "max"]),
    ("triangular", &["min", "mode", "max"]),
    ("pert", &["min", "mode", "max", "lambda"]),
    ("normal", &["mean", "sd", "min", "max"]),
    ("lognormal", &["mean", "sd"]),
    ("beta", &["alpha", "beta", "min", "max"]),
    ("gamma", &["shape", "scale"]),
];

/// A number for a message: integers without a fraction, large ones as such.
pub fn num(x: f64) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x != 0.0 && !(1e-4..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// What the base tells the variants.
pub struct BaseInfo {
    /// The base's prevention budget, the default of `budget_before`.
    pub prevention_budget: Dist,
    pub prevention_budget_source: Option<String>,
}

/// Reads the model part of a (merged) scenario tree: everything but `meta`,
/// `correlation` and `variant`.
pub fn model(
    b: &mut Builder,
    root: &Table,
    variant: &str,
    description: &str,
    meta: (i32, u32),
    base: Option<&BaseInfo>,
) -> Model {
    let mut o = Obj::new(root, "", 0..0);
    for k in ["meta", "correlation", "variant"] {
        o.take(k);
    }
    // Uncertainty switches.
    let (mut pu, mut proc_u) = (true, true);
    if let Some(e) = o.take("uncertainty")
        && let Some(t) = b.table(e, "uncertainty")
    {
        let mut u = Obj::new(t, "uncertainty", e.node.span.clone());
        pu = b.boolean(&mut u, "parameters", true);
        proc_u = b.boolean(&mut u, "process", true);
        u.finish(b.d, &["parameters", "process"]);
    }
    // Strata.
    let mut strata = Vec::new();
    match o.take("stratum") {
        None => b.d.error(0..0, "stratum", "missing: give at least one `[[stratum]]` (a household type with `name` and `households`)"),
        Some(e) => {
            let items = b.tables(e, "stratum");
            if items.len() > MAX_STRATA {
                b.d.error(e.node.span.clone(), "stratum", format!("{} strata; at most {MAX_STRATA} are allowed", items.len()));
            }
            for (i, (t, span)) in items.into_iter().take(MAX_STRATA).enumerate() {
                let mut s = Obj::new(t, format!("stratum[{}]", i + 1), span.clone());
                let name = b.ident(&mut s, "name", "stratum");
                let name_s = name.as_ref().map_or(format!("{}", i + 1), |n| n.0.clone());
                if let Some((n, nspan)) = &name
                    && strata.iter().any(|x: &Stratum| &x.name == n) {
                        b.d.error(nspan.clone(), &format!("stratum.{n}"), format!("a second stratum named '{n}'; names must be unique"));
                    }
                s.path = format!("stratum.{name_s}");
                let label = b.string(&mut s, "label", MAX_LABEL).unwrap_or_else(|| name_s.clone());
                let households = b.param(&mut s, "households", &format!("stratum.{name_s}.households"), dom(0.0, 1e8), None);
                let growth = b.param(&mut s, "growth", &format!("stratum.{name_s}.growth"), dom(-0.5, 0.5), Some(0.0));
                s.finish(b.d, &["name", "label", "households", "growth"]);
                strata.push(Stratum { name: name_s, label, households, growth });
            }
        }
    }
    let stratum_names: Vec<String> = strata.iter().map(|s| s.name.clone()).collect();
    // Streams.
    let mut streams: Vec<Stream> = Vec::new();
    match o.take("stream") {
        None => b.d.error(
            0..0,
            "stream",
            "missing: give at least one `[[stream]]` (a budget line with its `[[stream.level]]`s)",
        ),
        Some(e) => {
            let items = b.tables(e, "stream");
            if items.len() > MAX_STREAMS {
                b.d.error(
                    e.node.span.clone(),
                    "stream",
                    format!("{} streams; at most {MAX_STREAMS} are allowed", items.len()),
                );
            }
            for (i, (t, span)) in items.into_iter().take(MAX_STREAMS).enumerate() {
                let st = stream(b, t, span, i, &stratum_names, &streams);
                streams.push(st);
            }
        }
    }
    // Prevention.
    let empty = Table::default();
    let (pt, pspan) = match o.take("prevention") {
        Some(e) => (
            b.table(e, "prevention").unwrap_or(&empty),
            e.node.span.clone(),
        ),
        None => (&empty, 0..0),
    };
    let mut p = Obj::new(pt, "prevention", pspan);
    let budget_p = b.param(
        &mut p,
        "budget",
        "prevention.budget",
        dom(0.0, 1e10),
        Some(0.0),
    );
    let budget_before = match p.t.get("budget_before") {
        Some(_) => b.param(
            &mut p,
            "budget_before",
            "prevention.budget_before",
            dom(0.0, 1e10),
            None,
        ),
        None => {
            // Default: the base's budget, drawn from the base budget's stream.
            let (dist, source) = match base {
                Some(bi) => (
                    bi.prevention_budget.clone(),
                    bi.prevention_budget_source.clone(),
                ),
                None => {
                    let spec = b.params.get(budget_p);
                    (spec.dist.clone(), spec.source.clone())
                }
            };
            b.params.push(ParamSpec {
                path: "prevention.budget_before".into(),
                dist,
                source,
                line: 0,
                draw_path: Some("prevention.budget".into()),
            })
        }
    };
    let ramp = b.param(
        &mut p,
        "ramp_up_months",
        "prevention.ramp_up_months",
        dom(0.0, 600.0),
        Some(12.0),
    );
    p.finish(b.d, &["budget", "budget_before", "ramp_up_months"]);
    // Prevention shares must divide the budget.
    let share_sum: f64 = streams
        .iter()
        .map(|s| b.params.get(s.prevention.share).dist.mean())
        .sum();
    let spends = b.params.get(budget_p).dist.support().1 > 0.0
        || b.params.get(budget_before).dist.support().1 > 0.0;
    if (share_sum - 1.0).abs() > 1e-6 && (spends || share_sum.abs() > 1e-12) {
        b.d.error(
            pt.get("budget").map_or(0..0, |e| e.node.span.clone()),
            "prevention.budget",
            format!(
                "the streams' `prevention.share`s add up to {}, but must add up to 1 to divide the prevention budget",
                num((share_sum * 1e6).round() / 1e6)
            ),
        );
    }
    // Budget.
    let budget = match o.take("budget") {
        None => {
            b.d.error(
                0..0,
                "budget",
                "missing: give a `[budget]` table with at least `ceiling`",
            );
            budget_table(b, &empty, 0..0, &streams)
        }
        Some(e) => match b.table(e, "budget") {
            Some(t) => budget_table(b, t, e.node.span.clone(), &streams),
            None => budget_table(b, &empty, 0..0, &streams),
        },
    };
    let valid = if base.is_some() {
        &[
            "name",
            "description",
            "uncertainty",
            "stratum",
            "stream",
            "prevention",
            "budget",
        ][..]
    } else {
        &[
            "meta",
            "uncertainty",
            "stratum",
            "stream",
            "prevention",
            "budget",
            "correlation",
            "variant",
        ][..]
    };
    o.finish(b.d, valid);
    Model {
        variant: variant.to_string(),
        description: description.to_string(),
        start_year: meta.0,
        horizon_years: meta.1,
        parameter_uncertainty: pu,
        process_uncertainty: proc_u,
        strata,
        streams,
        prevention: Prevention {
            budget: budget_p,
            budget_before,
            ramp_up_months: ramp,
        },
        budget,
        params: std::mem::take(&mut b.params),
        correlations: Vec::new(),
    }
}

fn stream(
    b: &mut Builder,
    t: &Table,
    span: Range<usize>,
    i: usize,
    strata: &[String],
    earlier: &[Stream],
) -> Stream {
    let mut s = Obj::new(t, format!("stream[{}]", i + 1), span.clone());
    let name = b.ident(&mut s, "name", "stream");
    let n = name.as_ref().map_or(format!("{}", i + 1), |n| n.0.clone());
    if let Some((nm, nspan)) = &name
        && earlier.iter().any(|x| &x.name == nm)
    {
        b.d.error(
            nspan.clone(),
            &format!("stream.{nm}"),
            format!("a second stream named '{nm}'; names must be unique"),
        );
    }
    s.path = format!("stream.{n}");
    let label = b
        .string(&mut s, "label", MAX_LABEL)
        .unwrap_or_else(|| n.clone());
    let incidence = b.param(
        &mut s,
        "incidence",
        &format!("stream.{n}.incidence"),
        dom(0.0, 5.0),
        None,
    );
    let early = b.param(
        &mut s,
        "early_signal_share",
        &format!("stream.{n}.early_signal_share"),
        PROBABILITY,
        Some(0.0),
    );
    let price = b.param(
        &mut s,
        "price_index",
        &format!("stream.{n}.price_index"),
        RATE,
        Some(0.0),
    );
    // Risk multipliers per stratum.
    let risk_t = s.take("risk");
    let mut risk = Vec::with_capacity(strata.len());
    let risk_table = risk_t.and_then(|e| b.table(e, &format!("stream.{n}.risk")));
    for st in strata {
        let path = format!("stream.{n}.risk.{st}");
        match risk_table.and_then(|t| t.get(st)) {
            Some(e) => risk.push(b.param_node(&e.node, &path, dom(0.0, 100.0))),
            None => risk.push(b.push(&path, Dist::Fixed { value: 1.0 }, None, 0)),
        }
    }
    if let Some(t) = risk_table {
        for e in &t.entries {
            if !strata.contains(&e.key) {
                b.d.error(
                    e.key_span.clone(),
                    &format!("stream.{n}.risk.{}", clip(&e.key)),
                    format!(
                        "there is no stratum named '{}'{}; the strata are: {}",
                        clip(&e.key),
                        did_you_mean(&e.key, strata.iter().map(String::as_str)),
                        strata.join(", ")
                    ),
                );
            }
        }
    }
    // Relapse.
    let empty = Table::default();
    let (rt, rspan) = match s.take("relapse") {
        Some(e) => (
            b.table(e, &format!("stream.{n}.relapse")).unwrap_or(&empty),
            e.node.span.clone(),
        ),
        None => (&empty, span.clone()),
    };
    let mut r = Obj::new(rt, format!("stream.{n}.relapse"), rspan);
    let relapse = Relapse {
        rate: b.param(
            &mut r,
            "rate",
            &format!("stream.{n}.relapse.rate"),
            PROBABILITY,
            Some(0.0),
        ),
        window_months: b.param(
            &mut r,
            "window_months",
            &format!("stream.{n}.relapse.window_months"),
            dom(1.0, 600.0),
            Some(12.0),
        ),
    };
    r.finish(b.d, &["rate", "window_months"]);
    // Levels.
    let mut levels: Vec<Level> = Vec::new();
    match s.take("level") {
        None => b.d.error(
            span.clone(),
            &format!("stream.{n}.level"),
            "missing: give at least one `[[stream.level]]`",
        ),
        Some(e) => {
            let items = b.tables(e, &format!("stream.{n}.level"));
            if items.len() > MAX_LEVELS {
                b.d.error(
                    e.node.span.clone(),
                    &format!("stream.{n}.level"),
                    format!("{} levels; at most {MAX_LEVELS} are allowed", items.len()),
                );
            }
            let count = items.len().min(MAX_LEVELS);
            for (j, (lt, lspan)) in items.into_iter().take(MAX_LEVELS).enumerate() {
                let mut l = Obj::new(lt, format!("stream.{n}.level[{}]", j + 1), lspan);
                let lname = b.ident(&mut l, "name", "level");
                let ln = lname.as_ref().map_or(format!("{}", j + 1), |x| x.0.clone());
                if let Some((nm, nspan)) = &lname
                    && levels.iter().any(|x| &x.name == nm)
                {
                    b.d.error(
                        nspan.clone(),
                        &format!("stream.{n}.level.{nm}"),
                        format!("a second level named '{nm}' in stream '{n}'"),
                    );
                }
                l.path = format!("stream.{n}.level.{ln}");
                let label = b
                    .string(&mut l, "label", MAX_LABEL)
                    .unwrap_or_else(|| ln.clone());
                let paid_by = match b.choice(&mut l, "paid_by", &["stream", "team"], "stream") {
                    "team" => Payer::Team,
                    _ => Payer::Stream,
                };
                let base = format!("stream.{n}.level.{ln}");
                let cost = b.param(
                    &mut l,
                    "cost_per_month",
                    &format!("{base}.cost_per_month"),
                    dom(0.0, 1e6),
                    None,
                );
                let dur = b.param(
                    &mut l,
                    "mean_duration_months",
                    &format!("{base}.mean_duration_months"),
                    dom(1.0, 1200.0),
                    None,
                );
                let esc_node = lt.get("escalation").map(|e| e.node.span.clone());
                let esc = b.param(
                    &mut l,
                    "escalation",
                    &format!("{base}.escalation"),
                    PROBABILITY,
                    Some(0.0),
                );
                if j + 1 == count {
                    let d = &b.params.get(esc).dist;
                    if d.support() != (0.0, 0.0) {
                        b.d.error(
                            esc_node.unwrap_or(0..0),
                            &format!("{base}.escalation"),
                            "the top level of a ladder cannot escalate: set it to 0 or add a higher level",
                        );
                    }
                }
                l.finish(
                    b.d,
                    &[
                        "name",
                        "label",
                        "paid_by",
                        "cost_per_month",
                        "mean_duration_months",
                        "escalation",
                    ],
                );
                levels.push(Level {
                    name: ln,
                    label,
                    paid_by,
                    cost_per_month: cost,
                    mean_duration_months: dur,
                    escalation: esc,
                });
            }
        }
    }
    if levels.is_empty() {
        // A placeholder so the model stays well-formed while errors are reported.
        let p = |b: &mut Builder, k: &str, v: f64| {
            b.push(
                &format!("stream.{n}.level.1.{k}"),
                Dist::Fixed { value: v },
                None,
                0,
            )
        };
        levels.push(Level {
            name: "1".into(),
            label: "1".into(),
            paid_by: Payer::Stream,
            cost_per_month: p(b, "cost_per_month", 0.0),
            mean_duration_months: p(b, "mean_duration_months", 1.0),
            escalation: p(b, "escalation", 0.0),
        });
    }
    // Prevention effects.
    let (pt, pspan) = match s.take("prevention") {
        Some(e) => (
            b.table(e, &format!("stream.{n}.prevention"))
                .unwrap_or(&empty),
            e.node.span.clone(),
        ),
        None => (&empty, span),
    };
    let mut p = Obj::new(pt, format!("stream.{n}.prevention"), pspan);
    let pp = |k: &str| format!("stream.{n}.prevention.{k}");
    let prevention = StreamPrevention {
        share: b.param(&mut p, "share", &pp("share"), SHARE_FIXED, Some(0.0)),
        saturation: b.param(
            &mut p,
            "saturation",
            &pp("saturation"),
            dom(1e-9, 1e6),
            Some(50.0),
        ),
        case_finding: b.param(
            &mut p,
            "case_finding",
            &pp("case_finding"),
            dom(0.0, 10.0),
            Some(0.0),
        ),
        early_signal: b.param(
            &mut p,
            "early_signal",
            &pp("early_signal"),
            PROBABILITY,
            Some(0.0),
        ),
        escalation: b.param(
            &mut p,
            "escalation",
            &pp("escalation"),
            PROBABILITY,
            Some(0.0),
        ),
        relapse: b.param(&mut p, "relapse", &pp("relapse"), PROBABILITY, Some(0.0)),
    };
    p.finish(
        b.d,
        &[
            "share",
            "saturation",
            "case_finding",
            "early_signal",
            "escalation",
            "relapse",
        ],
    );
    s.finish(
        b.d,
        &[
            "name",
            "label",
            "incidence",
            "early_signal_share",
            "price_index",
            "risk",
            "relapse",
            "level",
            "prevention",
        ],
    );
    Stream {
        name: n,
        label,
        incidence,
        early_signal_share: early,
        risk,
        price_index: price,
        relapse,
        levels,
        prevention,
    }
}

fn budget_table(b: &mut Builder, t: &Table, span: Range<usize>, streams: &[Stream]) -> Budget {
    let mut o = Obj::new(t, "budget", span.clone());
    let ceiling = b.param(&mut o, "ceiling", "budget.ceiling", EUROS, None);
    let indexation = b.param(&mut o, "indexation", "budget.indexation", RATE, Some(0.0));
    let mode = b.choice(&mut o, "mode", &["pooled", "siloed"], "pooled");
    let shares_e = o.take("shares");
    let mut shares = Vec::new();
    if let Some(e) = shares_e {
        if let Some(st) = b.table(e, "budget.shares") {
            for s in streams {
                let path = format!("budget.shares.{}", s.name);
                match st.get(&s.name) {
                    Some(x) => shares.push(b.param_node(&x.node, &path, SHARE_FIXED)),
                    None => {
                        if mode == "siloed" {
                            b.d.error(e.node.span.clone(), &path, format!("missing: siloed budgets need a share for every stream, also '{}'", s.name));
                        }
                        shares.push(b.push(&path, Dist::Fixed { value: 0.0 }, None, 0));
                    }
                }
            }
            let names: Vec<&str> = streams.iter().map(|s| s.name.as_str()).collect();
            for x in &st.entries {
                if !names.contains(&x.key.as_str()) {
                    b.d.error(
                        x.key_span.clone(),
                        &format!("budget.shares.{}", clip(&x.key)),
                        format!(
                            "there is no stream named '{}'{}; the streams are: {}",
                            clip(&x.key),
                            did_you_mean(&x.key, names.iter().copied()),
                            names.join(", ")
                        ),
                    );
                }
            }
            let sum: f64 = shares.iter().map(|&p| b.params.get(p).dist.mean()).sum();
            if (sum - 1.0).abs() > 1e-6 && (mode == "siloed" || sum > 0.0) {
                b.d.error(
                    e.node.span.clone(),
                    "budget.shares",
                    format!(
                        "the shares add up to {}; they must add up to 1",
                        num((sum * 1e6).round() / 1e6)
                    ),
                );
            }
        }
    } else if mode == "siloed" {
        b.d.error(
            span.clone(),
            "budget.shares",
            "missing: siloed budgets need `shares = { <stream> = <share>, … }` adding up to 1",
        );
    }
    let policy = b.choice(&mut o, "policy", &["overspend", "waitlist"], "overspend");
    let factor = b.param(
        &mut o,
        "wait_escalation_factor",
        "budget.wait_escalation_factor",
        dom(1.0, 100.0),
        Some(1.5),
    );
    let reserve_initial = b.param(
        &mut o,
        "reserve_initial",
        "budget.reserve_initial",
        EUROS,
        Some(0.0),
    );
    let reserve_cap = b.param(
        &mut o,
        "reserve_cap",
        "budget.reserve_cap",
        EUROS,
        Some(0.0),
    );
    let reinvest = b.param(
        &mut o,
        "reinvest_share",
        "budget.reinvest_share",
        PROBABILITY,
        Some(0.0),
    );
    o.finish(
        b.d,
        &[
            "ceiling",
            "indexation",
            "mode",
            "shares",
            "policy",
            "wait_escalation_factor",
            "reserve_initial",
            "reserve_cap",
            "reinvest_share",
        ],
    );
    Budget {
        ceiling,
        indexation,
        mode: if mode == "siloed" {
            BudgetMode::Siloed { shares }
        } else {
            BudgetMode::Pooled
        },
        policy: if policy == "waitlist" {
            Policy::Waitlist {
                wait_escalation_factor: factor,
            }
        } else {
            Policy::Overspend
        },
        reserve_initial,
        reserve_cap,
        reinvest_share: reinvest,
    }
}
