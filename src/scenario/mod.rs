//! Scenario files: TOML text in, a validated [`Scenario`] out, or every
//! problem in the file at once, each with file, line, column and key.
//!
//! The text is parsed into a spanned tree ([`tree`]); each variant's
//! overrides are merged over a copy of the base tree; the base and every
//! merged variant are read into models ([`build`]), collecting
//! [`Diagnostics`] instead of stopping at the first. The format is
//! documented in `docs/scenario-format.md`.

mod build;
mod diag;
mod tree;

pub use diag::{Diagnostic, Diagnostics};

use build::{BaseInfo, Builder, Obj};
use diag::{Diag, clip, did_you_mean};
use tree::{Table, Val};

use crate::copula::CorrelationMatrix;
use crate::model::{CorrelationGroup, Model, Scenario};

/// Largest scenario file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Parses and validates a scenario file. `file` is the name used in messages.
pub fn parse(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
    let mut d = Diag::new(file, text);
    if text.len() > MAX_FILE_BYTES {
        d.error(
            0..0,
            "",
            format!(
                "the file is {} bytes; a scenario may be at most 1 MiB",
                text.len()
            ),
        );
        return Err(Diagnostics(d.into_list()));
    }
    let Some(root) = tree::parse(text, &mut d) else {
        return Err(Diagnostics(d.into_list()));
    };
    let scenario = scenario(&root, text, &mut d);
    if d.is_empty() {
        Ok(scenario.expect("a scenario exists when nothing was reported"))
    } else {
        Err(Diagnostics(d.into_list()))
    }
}

/// Same as [`parse`] for raw bytes: rejects non-UTF-8 and oversized files.
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Scenario, Diagnostics> {
    if bytes.len() > MAX_FILE_BYTES {
        return parse(&String::from_utf8_lossy(&bytes[..MAX_FILE_BYTES + 1]), file);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(good);
            let (line, column) = diag::line_col(&text, text.len());
            Err(Diagnostics(vec![Diagnostic {
                file: file.to_string(),
                line,
                column,
                key: String::new(),
                message: format!(
                    "not UTF-8 text (invalid byte at offset {}); a scenario file is TOML, saved as UTF-8",
                    e.valid_up_to()
                ),
            }]))
        }
    }
}

/// The settings in `[meta]`.
struct Meta {
    name: String,
    description: String,
    start_year: i32,
    horizon_years: u32,
    replications: u32,
    seed: u64,
    baseline: String,
}

fn meta(b: &mut Builder, root: &Table) -> Meta {
    let empty = Table::default();
    let (t, span) = match root.get("meta") {
        Some(e) => (b.table(e, "meta").unwrap_or(&empty), e.node.span.clone()),
        None => {
            b.d.error(
                0..0,
                "meta",
                "missing: give a `[meta]` table with at least `name` and `horizon_years`",
            );
            (&empty, 0..0)
        }
    };
    let mut o = Obj::new(t, "meta", span.clone());
    let name = b.string(&mut o, "name", 100);
    if name.is_none() && t.get("name").is_none() && root.get("meta").is_some() {
        b.d.error(span, "meta.name", "missing: give the scenario a `name`");
    }
    let description = b
        .string(&mut o, "description", build::MAX_TEXT)
        .unwrap_or_default();
    let start_year = b
        .integer(&mut o, "start_year", 2000, 2100, Some(2027))
        .unwrap_or(2027);
    let horizon = b.integer(
        &mut o,
        "horizon_years",
        1,
        50,
        if root.get("meta").is_some() {
            None
        } else {
            Some(5)
        },
    );
    let replications = b
        .integer(&mut o, "replications", 1, 10_000_000, Some(1000))
        .unwrap_or(1000);
    let seed = b.integer(&mut o, "seed", 0, i64::MAX, Some(1)).unwrap_or(1);
    let baseline = b
        .string(&mut o, "baseline", 100)
        .unwrap_or_else(|| "basis".into());
    o.finish(
        b.d,
        &[
            "name",
            "description",
            "start_year",
            "horizon_years",
            "replications",
            "seed",
            "baseline",
        ],
    );
    Meta {
        name: name.unwrap_or_default(),
        description,
        start_year: start_year as i32,
        horizon_years: horizon.unwrap_or(5) as u32,
        replications: replications as u32,
        seed: seed as u64,
        baseline,
    }
}

/// Reads `[[correlation]]` groups against the base model's parameters.
fn correlations(
    b: &mut Builder,
    root: &Table,
    base: &Model,
) -> Vec<(Vec<String>, CorrelationMatrix)> {
    let Some(e) = root.get("correlation") else {
        return Vec::new();
    };
    let mut out: Vec<(Vec<String>, CorrelationMatrix)> = Vec::new();
    for (i, (t, span)) in b.tables(e, "correlation").into_iter().enumerate() {
        let key = format!("correlation[{}]", i + 1);
        let mut o = Obj::new(t, key.clone(), span.clone());
        let mut paths = Vec::new();
        match o.take("parameters").map(|e| &e.node) {
            None => b.d.error(
                span.clone(),
                &format!("{key}.parameters"),
                "missing: list the paths of the correlated parameters",
            ),
            Some(n) => match &n.val {
                Val::Array(items) => {
                    for it in items {
                        let Val::Str(p) = &it.val else {
                            b.d.error(
                                it.span.clone(),
                                &format!("{key}.parameters"),
                                format!(
                                    "expected a parameter path (a string), got {}",
                                    it.val.type_name()
                                ),
                            );
                            continue;
                        };
                        match base.params.find(p) {
                            None => b.d.error(
                                it.span.clone(),
                                &format!("{key}.parameters"),
                                format!(
                                    "there is no parameter '{}'{}",
                                    clip(p),
                                    did_you_mean(p, base.params.specs.iter().map(|s| s.path.as_str()))
                                ),
                            ),
                            Some(q) if base.params.get(q).dist.is_fixed() => b.d.error(
                                it.span.clone(),
                                &format!("{key}.parameters"),
                                format!("'{}' is a fixed number; only uncertain parameters (distributions) can be correlated", clip(p)),
                            ),
                            Some(_) if paths.contains(p) || out.iter().any(|(g, _)| g.contains(p)) => b.d.error(
                                it.span.clone(),
                                &format!("{key}.parameters"),
                                format!("'{}' is in a correlation group already; each parameter may be in one", clip(p)),
                            ),
                            Some(_) => paths.push(p.clone()),
                        }
                    }
                    if items.len() < 2 {
                        b.d.error(
                            n.span.clone(),
                            &format!("{key}.parameters"),
                            "a correlation needs at least two parameters",
                        );
                    }
                }
                other => b.d.error(
                    n.span.clone(),
                    &format!("{key}.parameters"),
                    format!(
                        "expected an array of parameter paths, got {}",
                        other.type_name()
                    ),
                ),
            },
        }
        let n_listed = t.get("parameters").and_then(|e| match &e.node.val {
            Val::Array(a) => Some(a.len()),
            _ => None,
        });
        let mut rows: Option<Vec<Vec<f64>>> = None;
        match o.take("matrix").map(|e| &e.node) {
            None => b.d.error(
                span.clone(),
                &format!("{key}.matrix"),
                "missing: give the correlation matrix as an array of rows",
            ),
            Some(n) => {
                let mut ok = true;
                let mut m = Vec::new();
                if let Val::Array(rs) = &n.val {
                    for r in rs {
                        let mut row = Vec::new();
                        if let Val::Array(xs) = &r.val {
                            for x in xs {
                                match x.val {
                                    Val::Int(v) => row.push(v as f64),
                                    Val::Float(v) if v.is_finite() => row.push(v),
                                    _ => {
                                        ok = false;
                                        b.d.error(
                                            x.span.clone(),
                                            &format!("{key}.matrix"),
                                            "matrix entries must be finite numbers",
                                        );
                                    }
                                }
                            }
                        } else {
                            ok = false;
                            b.d.error(
                                r.span.clone(),
                                &format!("{key}.matrix"),
                                "each row of the matrix must be an array of numbers",
                            );
                        }
                        m.push(row);
                    }
                } else {
                    ok = false;
                    b.d.error(
                        n.span.clone(),
                        &format!("{key}.matrix"),
                        format!("expected an array of rows, got {}", n.val.type_name()),
                    );
                }
                if ok
                    && let Some(k) = n_listed
                    && m.len() != k
                {
                    ok = false;
                    b.d.error(
                        n.span.clone(),
                        &format!("{key}.matrix"),
                        format!(
                            "the matrix has {} rows but {k} parameters are listed",
                            m.len()
                        ),
                    );
                }
                if ok {
                    match CorrelationMatrix::new(&m) {
                        Ok(_) => rows = Some(m),
                        Err(e) => {
                            b.d.error(n.span.clone(), &format!("{key}.matrix"), e.to_string())
                        }
                    }
                }
            }
        }
        o.finish(b.d, &["parameters", "matrix"]);
        if let Some(m) = rows
            && Some(paths.len()) == n_listed
            && let Ok(cm) = CorrelationMatrix::new(&m)
        {
            out.push((paths, cm));
        }
    }
    out
}

/// Attaches the correlation groups to a model by path.
fn attach(model: &mut Model, groups: &[(Vec<String>, CorrelationMatrix)]) {
    model.correlations = groups
        .iter()
        .filter_map(|(paths, m)| {
            let params: Option<Vec<_>> = paths.iter().map(|p| model.params.find(p)).collect();
            params.map(|params| CorrelationGroup {
                params,
                matrix: m.clone(),
            })
        })
        .collect();
}

fn scenario<'a>(root: &Table, text: &'a str, d: &mut Diag<'a>) -> Option<Scenario> {
    let mut b = Builder::new(d, text);
    let meta = meta(&mut b, root);
    let mut base = build::model(
        &mut b,
        root,
        &meta.baseline,
        "",
        (meta.start_year, meta.horizon_years),
        None,
    );
    let groups = correlations(&mut b, root, &base);
    attach(&mut base, &groups);
    let budget_spec = base.params.get(base.prevention.budget).clone();
    let info = BaseInfo {
        prevention_budget: budget_spec.dist,
        prevention_budget_source: budget_spec.source,
    };
    let base_problems: Vec<Diagnostic> = b.d.list().to_vec();
    let mut variants = vec![base];
    if let Some(e) = root.get("variant") {
        for (i, (t, span)) in b.tables(e, "variant").into_iter().enumerate() {
            let mut o = Obj::new(t, format!("variant[{}]", i + 1), span.clone());
            let name = b.string(&mut o, "name", 100);
            let Some(name) = name else {
                if t.get("name").is_none() {
                    b.d.error(
                        span.clone(),
                        &format!("variant[{}].name", i + 1),
                        "missing: every variant needs a `name`",
                    );
                }
                continue;
            };
            let name_span = t.get("name").map_or(span.clone(), |e| e.node.span.clone());
            if name == meta.baseline || variants.iter().any(|v| v.variant == name) {
                b.d.error(
                    name_span,
                    &format!("variant[{}].name", i + 1),
                    format!(
                        "a second variant named '{}' (the base is '{}'); names must be unique",
                        clip(&name),
                        clip(&meta.baseline)
                    ),
                );
                continue;
            }
            let description = b
                .string(&mut o, "description", build::MAX_TEXT)
                .unwrap_or_default();
            let mut overrides = Table::default();
            for e in &t.entries {
                match e.key.as_str() {
                    "name" | "description" => {}
                    "meta" | "correlation" | "variant" => b.d.error(
                        e.key_span.clone(),
                        &format!("variant.{}", e.key),
                        format!(
                            "a variant cannot set `{}`: it belongs to the whole file",
                            e.key
                        ),
                    ),
                    _ => overrides.entries.push(e.clone()),
                }
            }
            // Problems of the variant: those of the base are reported once.
            let mark = b.d.len();
            let mut merged = root.clone();
            tree::merge(&mut merged, &overrides, "", b.d);
            let mut m = build::model(
                &mut b,
                &merged,
                &name,
                &description,
                (meta.start_year, meta.horizon_years),
                Some(&info),
            );
            attach(&mut m, &groups);
            let own: Vec<Diagnostic> =
                b.d.take_since(mark)
                    .into_iter()
                    .filter(|x| !base_problems.contains(x))
                    .map(|mut x| {
                        x.message = format!("in variant '{}': {}", clip(&name), x.message);
                        x
                    })
                    .collect();
            b.d.extend(own);
            variants.push(m);
        }
    }
    Some(Scenario {
        name: meta.name,
        description: meta.description,
        replications: meta.replications,
        seed: meta.seed,
        variants,
    })
}
