//! Scenario files: TOML text in, a validated [`Scenario`] out, or every
//! problem in the file at once, each with file, line, column, key and what
//! would be valid.
//!
//! Reading goes in three steps:
//! 1. `tree`: the text is parsed with `toml`'s recovering parser (all
//!    syntax errors are reported) into an owned tree that keeps the byte
//!    span of every key and value;
//! 2. `build`: the base is read into a [`Model`]: unknown keys (with a
//!    did-you-mean), wrong types, missing keys, values outside their domain,
//!    invalid distributions and cross-references are all reported, reading
//!    on past each problem;
//! 3. each `[[variant]]`'s overrides are merged into a copy of the base tree
//!    (`tree::merge`) and the result is read like the base. Its problems
//!    are reported as `in variant '<name>': ...`, at the line the variant wrote
//!    when the bad value came from the variant; problems it only inherits
//!    from the base are reported once, for the base.
//!
//! The format itself is documented in `docs/scenario-format.md`. The parser
//! never panics and allocates at most a small multiple of the input, whose
//! size is limited to [`MAX_FILE_BYTES`].

mod diag;
mod municipality;
mod param;
mod schema;
mod tree;
mod walk;

pub(crate) use diag::did_you_mean;
pub use diag::{Diagnostic, Diagnostics};
pub use municipality::{
    FileKind, Loader, MAX_AREAS, REFERENCE_CEILING, file_kind, parse_municipality,
};
pub use schema::{MAX_LEVELS, MAX_STRATA, MAX_STREAMS};
pub use tree::MAX_DEPTH;
pub use walk::{MAX_IDENT_CHARS, MAX_NAME_CHARS};

use diag::{LineIndex, Sink, clip};
use param::Builder;
use schema::{ROOT_KEYS, resolve_groups};
use tree::{Table, Val};
use walk::Obj;

use crate::model::{Model, Scenario};

/// Largest scenario file accepted, in bytes (1 MiB).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Most variants in one file.
pub const MAX_VARIANTS: usize = 256;

/// Keys of a `[[variant]]` that are not overrides.
const VARIANT_OWN_KEYS: &[&str] = &["name", "description"];

/// Sections that a variant may not change.
const VARIANT_FORBIDDEN: &[&str] = &["meta", "correlation", "variant"];

/// Parses and validates a scenario file. `file` is the name used in messages.
///
/// On failure every problem found is returned, sorted by line and column.
pub fn parse(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
    if text.len() > MAX_FILE_BYTES {
        return Err(too_large(file, text.len()));
    }
    let lines = LineIndex::new(text);
    let mut sink = Sink::new(file, &lines);
    let Some(root) = tree::parse(text, &mut sink) else {
        return Err(sink.finish());
    };
    let scenario = read(&root, file, &lines, &mut sink);
    if sink.is_empty() {
        Ok(scenario)
    } else {
        Err(sink.finish())
    }
}

/// Same as [`parse`] for raw bytes: rejects text that is not UTF-8 (saying
/// at which byte, line and column) and files over [`MAX_FILE_BYTES`].
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Scenario, Diagnostics> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(file, bytes.len()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(e) => {
            let at = e.valid_up_to();
            let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let (line, column) = LineIndex::new(good).line_col(at);
            Err(Diagnostics(vec![Diagnostic {
                file: file.to_string(),
                line,
                column,
                key: String::new(),
                message: format!(
                    "the file is not UTF-8 text: the byte at offset {at} (line {line}, \
                     column {column}) is not valid UTF-8; save the file as UTF-8"
                ),
            }]))
        }
    }
}

fn too_large(file: &str, len: usize) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: file.to_string(),
        line: 1,
        column: 1,
        key: String::new(),
        message: format!(
            "the file is {len} bytes; a scenario file may be at most {MAX_FILE_BYTES} bytes (1 MiB)"
        ),
    }])
}

/// A `[[variant]]` as written: its name, description and overrides.
struct VariantSpec {
    /// How messages name it: `in variant 'krap plafond'` or `in variant #3`.
    label: String,
    name: String,
    description: String,
    overrides: Table,
    /// Forbidden keys it set, with the byte offset of each.
    forbidden: Vec<(&'static str, usize)>,
}

/// Reads the whole scenario; the result is meaningful only if nothing was
/// reported.
fn read(root: &Table, file: &str, lines: &LineIndex<'_>, sink: &mut Sink<'_>) -> Scenario {
    let mut b = Builder::new(sink);
    let meta = b.meta(root);
    let mut base = b.model(
        root,
        meta.baseline.clone(),
        meta.description.clone(),
        &meta.shared,
        None,
    );
    let groups = b.correlations(root, &base.params);
    base.correlations = resolve_groups(&groups, &base.params);
    let specs = variant_specs(&mut b, root, &meta.baseline);
    drop(b);
    let base_problems = sink.snapshot();

    let base_budget = base.params.get(base.prevention.budget).clone();
    let mut template = root.clone();
    template.remove("variant");
    let mut variants: Vec<Model> = Vec::with_capacity(specs.len() + 1);
    variants.push(base);
    for v in specs {
        let mut vsink = Sink::new(file, lines);
        for &(key, at) in &v.forbidden {
            vsink.error(
                at,
                key,
                format!(
                    "a variant cannot set `{key}`: it holds what all variants share; \
                     a variant may change {}",
                    diag::list(
                        ROOT_KEYS
                            .iter()
                            .copied()
                            .filter(|k| !VARIANT_FORBIDDEN.contains(k))
                    )
                ),
            );
        }
        let mut merged = template.clone();
        tree::merge(&mut merged, &v.overrides, "", &mut vsink);
        let mut vb = Builder::for_variant(&mut vsink);
        let mut model = vb.model(
            &merged,
            v.name,
            v.description,
            &meta.shared,
            Some(&base_budget),
        );
        drop(vb);
        model.correlations = resolve_groups(&groups, &model.params);
        variants.push(model);
        sink.absorb_variant(&v.label, vsink, &base_problems);
    }
    Scenario {
        name: meta.name,
        description: meta.description,
        replications: meta.replications,
        seed: meta.seed,
        variants,
    }
}

/// Reads the `[[variant]]` headers: names (unique, not the baseline's),
/// descriptions and the overrides to merge.
fn variant_specs(b: &mut Builder<'_, '_>, root: &Table, baseline: &str) -> Vec<VariantSpec> {
    let Some(entry) = root.get("variant") else {
        return Vec::new();
    };
    let root_obj = Obj::new(root, 0, "");
    let Val::Array(items) = &entry.node.val else {
        // Reported through the builder's type check of the section.
        b.table(&root_obj, "variant", None);
        return Vec::new();
    };
    if items.len() > MAX_VARIANTS {
        b.error_at(
            entry.node.span.start,
            "variant",
            format!(
                "at most {MAX_VARIANTS} variants are allowed, got {}; split the file",
                items.len()
            ),
        );
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, item) in items.iter().take(MAX_VARIANTS).enumerate() {
        let path = format!("variant[{}]", i + 1);
        let Val::Table(t) = &item.val else {
            b.error_at(
                item.span.start,
                &path,
                format!(
                    "expected a table (a [[variant]] section), got {}",
                    item.val.kind()
                ),
            );
            continue;
        };
        let o = Obj::new(t, item.span.start, path);
        let name = b.text(
            &o,
            "name",
            Some("the variant's name"),
            walk::MAX_NAME_CHARS,
            false,
        );
        let description = b
            .text(&o, "description", None, walk::MAX_TEXT_CHARS, true)
            .unwrap_or_default();
        if let (Some(n), Some(e)) = (&name, t.get("name")) {
            let at = e.node.span.start;
            let line = b.line_of(at);
            if n == baseline {
                b.error_at(
                    at,
                    &o.key("name"),
                    format!(
                        "'{}' is the name of the base scenario (meta.baseline); \
                         give the variant another name",
                        clip(n)
                    ),
                );
            } else if let Some((_, first)) = seen.iter().find(|(s, _)| s == n) {
                b.error_at(
                    at,
                    &o.key("name"),
                    format!(
                        "duplicate variant name '{}': already used on line {first}",
                        clip(n)
                    ),
                );
            } else {
                seen.push((n.clone(), line));
            }
        }
        let mut overrides = Table::default();
        let mut forbidden = Vec::new();
        for e in &t.entries {
            if VARIANT_OWN_KEYS.contains(&e.key.as_str()) {
                continue;
            }
            if let Some(&k) = VARIANT_FORBIDDEN.iter().find(|&&k| k == e.key) {
                forbidden.push((k, e.key_span.start));
                continue;
            }
            overrides.entries.push(e.clone());
        }
        tree::mark_from_variant(&mut overrides);
        let label = match &name {
            Some(n) => format!("in variant '{}'", clip(n)),
            None => format!("in variant #{}", i + 1),
        };
        out.push(VariantSpec {
            label,
            name: name.unwrap_or_else(|| format!("#{}", i + 1)),
            description,
            overrides,
            forbidden,
        });
    }
    out
}
