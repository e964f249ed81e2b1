//! An owned TOML tree that keeps the byte span of every key and value, and
//! the merge of a variant's overrides into a copy of the base tree.
//!
//! `toml`'s own spanned tree borrows the text and cannot be edited, so it is
//! converted once into this one. Every node keeps the span where its text
//! was written, also after a merge: a value that a variant replaced points
//! at the variant's line, everything else at the base's.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::diag::{LineIndex, Sink, clip, unknown};

/// Deepest nesting of tables and arrays accepted; a scenario needs five.
pub const MAX_DEPTH: usize = 64;

/// A value with the byte span of its text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) val: Val,
    pub(crate) span: Range<usize>,
}

/// A TOML value. Integers beyond `i128` are saturated; messages echo the
/// text of a number as written, so saturation never shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Int(i128),
    Float(f64),
    Bool(bool),
    Datetime,
    Array(Vec<Node>),
    Table(Table),
}

impl Val {
    /// The kind of value, for "expected ..., got ..." messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Val::Str(_) => "a string",
            Val::Int(_) => "an integer",
            Val::Float(_) => "a float",
            Val::Bool(_) => "a boolean",
            Val::Datetime => "a date",
            Val::Array(_) => "an array",
            Val::Table(_) => "a table",
        }
    }
}

/// A key with its span and value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_span: Range<usize>,
    pub(crate) node: Node,
    /// Written in a variant (set by [`mark_from_variant`]), not inherited
    /// from the base.
    pub(crate) from_variant: bool,
}

/// A table, its entries in the order they were written.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Table {
    pub(crate) entries: Vec<Entry>,
}

impl Table {
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }

    /// Removes and returns an entry.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Entry> {
        let i = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(i))
    }
}

/// Parses TOML text into a tree. Reports every syntax error that `toml`'s
/// recovering parser finds, and refuses nesting deeper than [`MAX_DEPTH`];
/// returns `None` after any of these, as the rest of the tree is then
/// unreliable.
pub(crate) fn parse(text: &str, sink: &mut Sink<'_>) -> Option<Table> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let lines = sink.lines();
    for e in &errors {
        let at = e.span().map_or(0, |s| s.start);
        let message = match e.message() {
            "recursion limit" | "cannot recurse further; max recursion depth met" => {
                format!(
                    "tables, arrays or dotted keys are nested too deeply (at most {MAX_DEPTH} levels)"
                )
            }
            m => format!("TOML syntax error: {m}"),
        };
        sink.error(at, "", message);
    }
    if !errors.is_empty() {
        return None;
    }
    let mut converter = Converter {
        lines,
        sink,
        too_deep: false,
    };
    let root = converter.table(doc.get_ref(), 0);
    (!converter.too_deep).then_some(root)
}

/// Converts `toml`'s borrowed tree, recursing at most [`MAX_DEPTH`] deep.
struct Converter<'s, 'a> {
    lines: &'a LineIndex<'a>,
    sink: &'s mut Sink<'a>,
    too_deep: bool,
}

impl Converter<'_, '_> {
    fn table(&mut self, t: &DeTable<'_>, depth: usize) -> Table {
        let mut entries: Vec<Entry> = t
            .iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().to_string(),
                key_span: k.span(),
                node: self.node(v.get_ref(), v.span(), depth + 1),
                from_variant: false,
            })
            .collect();
        // `toml` may keep keys sorted; restore the order of the text.
        entries.sort_by_key(|e| e.key_span.start);
        Table { entries }
    }

    fn node(&mut self, v: &DeValue<'_>, span: Range<usize>, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.sink.error(
                    span.start,
                    "",
                    format!("tables and arrays are nested more than {MAX_DEPTH} levels deep"),
                );
            }
            return Node {
                val: Val::Bool(false),
                span,
            };
        }
        let val = match v {
            DeValue::String(s) => Val::Str(s.to_string()),
            DeValue::Integer(i) => Val::Int(i128::from_str_radix(i.as_str(), i.radix()).unwrap_or(
                // Only overflow can fail: saturate towards the sign.
                if i.as_str().starts_with('-') {
                    i128::MIN
                } else {
                    i128::MAX
                },
            )),
            DeValue::Float(f) => {
                // `toml` validated the syntax; Rust reads the same forms
                // (including inf and nan). Overflow reads as infinity.
                let text = self.lines.slice(&span);
                Val::Float(f.as_str().parse().unwrap_or_else(|_| {
                    if text.starts_with('-') {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    }
                }))
            }
            DeValue::Boolean(b) => Val::Bool(*b),
            DeValue::Datetime(_) => Val::Datetime,
            DeValue::Array(a) => Val::Array(
                a.iter()
                    .map(|e| self.node(e.get_ref(), e.span(), depth + 1))
                    .collect(),
            ),
            DeValue::Table(t) => Val::Table(self.table(t, depth)),
        };
        Node { val, span }
    }
}

/// Merges a variant's overrides into (a copy of) the base tree, following
/// the rules of the scenario format:
/// - a table deep-merges into a table, except that a whole parameter
///   (a table with `dist` or `value`) replaces a whole parameter;
/// - a table given where the base has an array of tables is matched by the
///   elements' `name`s: `stream.jeugdhulp.price_index = 0.05` changes the
///   stream named `jeugdhulp` (an unknown name is an error);
/// - any other value replaces the base's value, with the variant's span.
///
/// `path` is the dotted path of `base`, for messages.
pub(crate) fn merge(base: &mut Table, over: &Table, path: &str, sink: &mut Sink<'_>) {
    for e in &over.entries {
        let key_path = join(path, &e.key);
        let Some(target) = base.get_mut(&e.key) else {
            base.entries.push(e.clone());
            continue;
        };
        match (&mut target.node.val, &e.node.val) {
            (Val::Table(b), Val::Table(o)) if !(is_parameter(b) && is_parameter(o)) => {
                merge(b, o, &key_path, sink);
            }
            (Val::Array(elements), Val::Table(o)) if is_named_array(elements) => {
                merge_named(elements, o, &key_path, sink);
            }
            _ => {
                target.node = e.node.clone();
                target.key_span = e.key_span.clone();
                target.from_variant = e.from_variant;
            }
        }
    }
}

/// Marks every entry of a variant's overrides, at any depth, as written by
/// the variant. The tree is at most [`MAX_DEPTH`] deep.
pub(crate) fn mark_from_variant(table: &mut Table) {
    for e in &mut table.entries {
        e.from_variant = true;
        mark_node(&mut e.node);
    }
}

fn mark_node(node: &mut Node) {
    match &mut node.val {
        Val::Table(t) => mark_from_variant(t),
        Val::Array(items) => items.iter_mut().for_each(mark_node),
        _ => {}
    }
}

/// Whether a table is a whole parameter (`{ value = .. }` or
/// `{ dist = .. }`): a variant's whole parameter replaces the base's rather
/// than merging into it, while a table of some fields only (`{ max = 5 }`)
/// changes just those fields.
fn is_parameter(t: &Table) -> bool {
    t.get("dist").is_some() || t.get("value").is_some()
}

/// Whether every element of a non-empty array is a table.
fn is_named_array(elements: &[Node]) -> bool {
    !elements.is_empty() && elements.iter().all(|n| matches!(n.val, Val::Table(_)))
}

/// The `name` of an element of an array of tables, if it has one.
pub(crate) fn element_name(node: &Node) -> Option<&str> {
    match &node.val {
        Val::Table(t) => match &t.get("name")?.node.val {
            Val::Str(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Merges `{ <element name> = { overrides } }` into an array of tables.
fn merge_named(elements: &mut [Node], over: &Table, path: &str, sink: &mut Sink<'_>) {
    for e in &over.entries {
        let key_path = join(path, &e.key);
        let found = elements
            .iter()
            .position(|n| element_name(n) == Some(e.key.as_str()));
        let Some(i) = found else {
            let names: Vec<&str> = elements.iter().filter_map(element_name).collect();
            let what = path.rsplit('.').next().unwrap_or(path);
            sink.error(
                e.key_span.start,
                &key_path,
                unknown(
                    &format!("there is no {what} named '{}'", clip(&e.key)),
                    &e.key,
                    &names,
                    "names",
                ),
            );
            continue;
        };
        match (&mut elements[i].val, &e.node.val) {
            (Val::Table(b), Val::Table(o)) => merge(b, o, &key_path, sink),
            (_, other) => sink.error(
                e.node.span.start,
                &key_path,
                format!(
                    "expected a table of changes to `{}` (for example `{key_path}.<key> = ...`), got {}",
                    clip(&e.key),
                    other.kind()
                ),
            ),
        }
    }
}

/// `parent.key`, or `key` at the top.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Table {
        let idx = LineIndex::new(text);
        let mut sink = Sink::new("t.toml", &idx);
        let t = parse(text, &mut sink).expect("valid TOML");
        assert!(sink.is_empty());
        t
    }

    fn num(t: &Table, path: &[&str]) -> f64 {
        let mut cur = t;
        for (i, k) in path.iter().enumerate() {
            let node = &cur.get(k).expect("key present").node;
            if i + 1 == path.len() {
                return match node.val {
                    Val::Int(v) => v as f64,
                    Val::Float(v) => v,
                    _ => panic!("not a number"),
                };
            }
            cur = match &node.val {
                Val::Table(t) => t,
                _ => panic!("not a table"),
            };
        }
        unreachable!()
    }

    #[test]
    fn keeps_document_order_and_spans() {
        let text = "zeta = 1\nalpha = 2.5\n[t]\nb = \"x\"\n";
        let t = tree(text);
        let keys: Vec<&str> = t.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["zeta", "alpha", "t"]);
        let alpha = t.get("alpha").unwrap();
        assert_eq!(&text[alpha.node.span.clone()], "2.5");
        assert_eq!(&text[alpha.key_span.clone()], "alpha");
    }

    #[test]
    fn integers_saturate_and_floats_overflow_to_infinity() {
        let t = tree("a = 999999999999999999999999999999999999999999\nb = 1e400\nc = 0x10\n");
        assert_eq!(t.get("a").unwrap().node.val, Val::Int(i128::MAX));
        assert_eq!(t.get("b").unwrap().node.val, Val::Float(f64::INFINITY));
        assert_eq!(t.get("c").unwrap().node.val, Val::Int(16));
    }

    #[test]
    fn merge_deep_merges_matches_names_and_replaces() {
        let base_text = "[[s]]\nname = \"a\"\nx = 1\n[[s]]\nname = \"b\"\nx = 2\n[t]\ny = { v = 1, w = 2 }\nz = 3\n\
                         p = { value = 1, source = \"s\" }\nq = { dist = \"uniform\", min = 0, max = 1 }\n";
        let mut base = tree(base_text);
        let over_text = "s.b.x = 20\nt.y.v = 10\nt.z = { dist = \"fixed\" }\nnew = 5\n\
                         t.p = { dist = \"uniform\", min = 0, max = 2 }\nt.q.max = 3\n";
        let over = tree(over_text);
        let idx = LineIndex::new(over_text);
        let mut sink = Sink::new("t.toml", &idx);
        merge(&mut base, &over, "", &mut sink);
        assert!(sink.is_empty());
        let s = match &base.get("s").unwrap().node.val {
            Val::Array(a) => a.clone(),
            _ => panic!(),
        };
        let x = |n: &Node| match &n.val {
            Val::Table(t) => num(t, &["x"]),
            _ => panic!(),
        };
        assert_eq!((x(&s[0]), x(&s[1])), (1.0, 20.0));
        assert_eq!(num(&base, &["t", "y", "v"]), 10.0);
        assert_eq!(num(&base, &["t", "y", "w"]), 2.0);
        assert!(matches!(
            base.get("t").and_then(|t| match &t.node.val {
                Val::Table(t) => t.get("z").map(|z| &z.node.val),
                _ => None,
            }),
            Some(Val::Table(_))
        ));
        assert_eq!(num(&base, &["new"]), 5.0);
        // A whole parameter replaces: the base's `value` and `source` go.
        let t = match &base.get("t").unwrap().node.val {
            Val::Table(t) => t.clone(),
            _ => panic!(),
        };
        let p = match &t.get("p").unwrap().node.val {
            Val::Table(p) => p.clone(),
            _ => panic!(),
        };
        let keys: Vec<&str> = p.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["dist", "min", "max"]);
        // Some fields only: merged into the base's distribution.
        assert_eq!(num(&t, &["q", "min"]), 0.0);
        assert_eq!(num(&t, &["q", "max"]), 3.0);
    }

    #[test]
    fn merge_reports_unknown_element_names() {
        let mut base = tree("[[s]]\nname = \"jeugdhulp\"\n");
        let over_text = "s.jeugdhlp.x = 1\n";
        let over = tree(over_text);
        let idx = LineIndex::new(over_text);
        let mut sink = Sink::new("t.toml", &idx);
        merge(&mut base, &over, "", &mut sink);
        let d = sink.finish();
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].key, "s.jeugdhlp");
        assert!(
            d.0[0]
                .message
                .contains("there is no s named 'jeugdhlp'; did you mean `jeugdhulp`?"),
            "{}",
            d
        );
    }
}
