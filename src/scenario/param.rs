//! Uncertain numbers: a parameter is written as a plain number or as a
//! distribution table (`{ dist = "pert", min = 1, mode = 2, max = 3 }`,
//! optionally with a `source`), checked against its domain and registered
//! in the model's [`ParamTable`] in the order it is read. A rejected value
//! is registered as a placeholder, so that reading goes on; the model built
//! around placeholders is thrown away. [`Builder`] is a [`Walker`] with the
//! parameters it has registered; the schema's readers are its methods too.

use std::ops::{Deref, DerefMut};

use crate::dist::{Dist, U_MAX, U_MIN};
use crate::model::{Param, ParamSpec, ParamTable};

use super::diag::{Sink, clip, unknown};
use super::tree::{Node, Val};
use super::walk::{MAX_TEXT_CHARS, Obj, Walker};

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
pub(super) fn bound(x: f64) -> String {
    crate::dist::Num(x).to_string()
}

/// A number rounded to 4 significant digits, for messages.
pub(super) fn rounded(x: f64) -> String {
    let r: f64 = format!("{x:.3e}").parse().unwrap_or(x);
    crate::dist::Num(r).to_string()
}

/// Reads the tables of a scenario into parameters and model parts,
/// reporting into a [`Sink`]: a [`Walker`] and the parameters registered so
/// far.
pub(crate) struct Builder<'s, 'a> {
    walk: Walker<'s, 'a>,
    pub(super) params: ParamTable,
    /// Per parameter: its value was rejected and a placeholder stands in.
    pub(super) bad: Vec<bool>,
}

impl<'s, 'a> Deref for Builder<'s, 'a> {
    type Target = Walker<'s, 'a>;

    fn deref(&self) -> &Self::Target {
        &self.walk
    }
}

impl DerefMut for Builder<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.walk
    }
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(crate) fn new(sink: &'s mut Sink<'a>) -> Self {
        Self {
            walk: Walker::new(sink, false),
            params: ParamTable::default(),
            bad: Vec::new(),
        }
    }

    /// A builder for a merged variant.
    pub(crate) fn for_variant(sink: &'s mut Sink<'a>) -> Self {
        Self {
            walk: Walker::new(sink, true),
            params: ParamTable::default(),
            bad: Vec::new(),
        }
    }

    /// The parameters registered so far.
    pub(crate) fn params(&self) -> &ParamTable {
        &self.params
    }

    pub(super) fn register(&mut self, spec: ParamSpec, bad: bool) -> Param {
        self.bad.push(bad);
        self.params.push(spec)
    }

    /// Registers a placeholder for a parameter whose value was rejected.
    pub(super) fn placeholder(&mut self, path: String, spec: Spec) -> Param {
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
    pub(super) fn in_domain(&mut self, dist: &Dist, node: &Node, path: &str, spec: Spec) -> bool {
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
    pub(super) fn dist<'t>(
        &mut self,
        node: &'t Node,
        path: &str,
    ) -> Option<(Dist, Option<String>, &'t Node)> {
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
    pub(super) fn number(&mut self, node: &Node, path: &str, field: Option<&str>) -> Option<f64> {
        self.field_number_inner(node, path, field, false)
    }

    pub(super) fn field_number(
        &mut self,
        node: &Node,
        path: &str,
        field: &str,
        infinite_ok: bool,
    ) -> Option<f64> {
        self.field_number_inner(node, path, Some(field), infinite_ok)
    }

    pub(super) fn field_number_inner(
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
}

/// Where a parameter's value was written: the first field a variant changed
/// in a distribution it inherits (`stream.x.incidence.max = ...`), else
/// the value itself.
pub(super) fn origin(node: &Node) -> usize {
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
pub(super) fn drawn_range(dist: &Dist) -> (f64, f64) {
    let (mut lo, mut hi) = dist.support();
    if !lo.is_finite() {
        lo = dist.quantile(U_MIN);
    }
    if !hi.is_finite() {
        hi = dist.quantile(U_MAX);
    }
    (lo, hi)
}
