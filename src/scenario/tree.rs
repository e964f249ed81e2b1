//! An owned TOML tree that keeps the byte span of every key and value, so
//! variants can be merged over the base and every error can still point at
//! the line where its value was written.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::diag::Diag;

/// Deepest nesting of arrays and tables a scenario may have.
pub const MAX_DEPTH: usize = 32;

/// A value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub val: Val,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime(String),
    Array(Vec<Node>),
    Table(Table),
}

impl Val {
    /// The TOML type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Str(_) => "a string",
            Val::Int(_) => "an integer",
            Val::Float(_) => "a float",
            Val::Bool(_) => "a boolean",
            Val::Datetime(_) => "a date",
            Val::Array(_) => "an array",
            Val::Table(_) => "a table",
        }
    }
}

/// A table entry: key, span of the key, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

/// Table entries in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }

    /// The `name` of a table, if it is a string.
    pub fn name(&self) -> Option<&str> {
        match self.get("name").map(|e| &e.node.val) {
            Some(Val::Str(s)) => Some(s),
            _ => None,
        }
    }
}

/// Parses TOML text into a tree, reporting every syntax error.
pub fn parse(text: &str, d: &mut Diag) -> Option<Table> {
    if let Some((offset, depth)) = too_deep(text) {
        d.error(
            offset..offset + 1,
            "",
            format!("arrays or tables nest {depth} levels deep here; a scenario needs at most {MAX_DEPTH}"),
        );
        return None;
    }
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            d.error(
                span,
                "",
                format!("TOML syntax: {}", e.message().trim_end_matches('.')),
            );
        }
        return None;
    }
    let span = doc.span();
    Some(convert_table(doc.get_ref(), span, d))
}

/// Finds where brackets or braces nest deeper than [`MAX_DEPTH`], ignoring
/// those inside strings and comments, before the parser sees the text.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let triple = bytes.get(i..i + 3) == Some(&[q, q, q][..]);
                if triple {
                    i += 3;
                    while i < bytes.len() && bytes.get(i..i + 3) != Some(&[q, q, q][..]) {
                        i += if q == b'"' && bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 2;
                } else {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                        i += if q == b'"' && bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((i, depth));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {}
            _ => {}
        }
        i += 1;
    }
    None
}

fn convert_table(t: &DeTable<'_>, span: Range<usize>, d: &mut Diag) -> Table {
    let entries = t
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_span: k.span(),
            node: convert(v.get_ref(), v.span(), d),
        })
        .collect();
    let _ = span;
    Table { entries }
}

fn convert(v: &DeValue<'_>, span: Range<usize>, d: &mut Diag) -> Node {
    let val = match v {
        DeValue::String(s) => Val::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let (neg, body) = match digits.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, digits.strip_prefix('+').unwrap_or(&digits)),
            };
            let body = body
                .strip_prefix("0x")
                .or_else(|| body.strip_prefix("0o"))
                .or_else(|| body.strip_prefix("0b"))
                .unwrap_or(body);
            match i64::from_str_radix(body, i.radix()) {
                Ok(x) => Val::Int(if neg { -x } else { x }),
                Err(_) => match digits.parse::<f64>() {
                    // Too large for a 64-bit integer: keep the magnitude so
                    // range checks can say what is wrong.
                    Ok(f) if i.radix() == 10 => Val::Float(f),
                    _ => {
                        d.error(span.clone(), "", "integer out of range");
                        Val::Int(0)
                    }
                },
            }
        }
        DeValue::Float(f) => {
            let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
            let x = match text.trim_start_matches('+') {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                t => t.parse::<f64>().unwrap_or(f64::NAN),
            };
            Val::Float(x)
        }
        DeValue::Boolean(b) => Val::Bool(*b),
        DeValue::Datetime(dt) => Val::Datetime(dt.to_string()),
        DeValue::Array(a) => Val::Array(
            a.iter()
                .map(|x| convert(x.get_ref(), x.span(), d))
                .collect(),
        ),
        DeValue::Table(t) => Val::Table(convert_table(t, span.clone(), d)),
    };
    Node { val, span }
}

/// Keys of the base that are arrays of named tables, addressed by name in a
/// variant: `stream.jeugdhulp.level.zwaar.cost_per_month`.
fn named_array(base: &Node) -> bool {
    match &base.val {
        Val::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|n| matches!(&n.val, Val::Table(t) if t.name().is_some()))
        }
        _ => false,
    }
}

/// Merges a variant's overrides into (a copy of) the base.
pub fn merge(base: &mut Table, over: &Table, path: &str, d: &mut Diag) {
    for e in &over.entries {
        let key_path = join(path, &e.key);
        let Some(target) = base.get_mut(&e.key) else {
            base.entries.push(e.clone());
            continue;
        };
        let by_name = named_array(&target.node);
        match (&mut target.node.val, &e.node.val) {
            (Val::Table(bt), Val::Table(ot)) => merge(bt, ot, &key_path, d),
            (Val::Array(_), Val::Table(ot)) if by_name => {
                let Val::Array(items) = &mut target.node.val else {
                    unreachable!("checked by named_array")
                };
                for oe in &ot.entries {
                    let names: Vec<String> = items
                        .iter()
                        .filter_map(|n| match &n.val {
                            Val::Table(t) => t.name().map(str::to_string),
                            _ => None,
                        })
                        .collect();
                    let found = items.iter_mut().find(
                        |n| matches!(&n.val, Val::Table(t) if t.name() == Some(oe.key.as_str())),
                    );
                    match (found, &oe.node.val) {
                        (Some(item), Val::Table(sub)) => {
                            let Val::Table(it) = &mut item.val else {
                                unreachable!("named arrays hold tables")
                            };
                            merge(it, sub, &join(&key_path, &oe.key), d);
                        }
                        (Some(_), other) => d.error(
                            oe.node.span.clone(),
                            &join(&key_path, &oe.key),
                            format!(
                                "expected a table of overrides (e.g. `{}.{}.<key> = …`), got {}",
                                key_path,
                                oe.key,
                                other.type_name()
                            ),
                        ),
                        (None, _) => d.error(
                            oe.key_span.clone(),
                            &join(&key_path, &oe.key),
                            format!(
                                "there is no {} named '{}'{}; the names are: {}",
                                e.key,
                                super::diag::clip(&oe.key),
                                super::diag::did_you_mean(
                                    &oe.key,
                                    names.iter().map(String::as_str)
                                ),
                                names.join(", ")
                            ),
                        ),
                    }
                }
            }
            _ => {
                target.node = e.node.clone();
                target.key_span = e.key_span.clone();
            }
        }
    }
}

/// `a.b` from `a` and `b` (or `b` alone).
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Table {
        let mut d = Diag::new("t.toml", text);
        let t = parse(text, &mut d).expect("parses");
        assert!(d.is_empty(), "{:?}", d.into_list());
        t
    }

    #[test]
    fn keeps_spans_of_values() {
        let text = "a = 1\n[b]\nc = \"x\"\n";
        let t = tree(text);
        let Val::Table(b) = &t.get("b").unwrap().node.val else {
            panic!()
        };
        let c = b.get("c").unwrap();
        assert_eq!(&text[c.node.span.clone()], "\"x\"");
        assert_eq!(c.node.val, Val::Str("x".into()));
    }

    #[test]
    fn merges_named_arrays_by_name_and_reports_unknown_names() {
        let base = "[[s]]\nname = \"a\"\nx = 1\n[[s]]\nname = \"b\"\nx = 2\n";
        let mut t = tree(base);
        let over_text = "s.b.x = 5\ns.c.x = 1\n";
        let over = tree(over_text);
        let mut d = Diag::new("t.toml", over_text);
        merge(&mut t, &over, "", &mut d);
        let Val::Array(items) = &t.get("s").unwrap().node.val else {
            panic!()
        };
        let Val::Table(b) = &items[1].val else {
            panic!()
        };
        assert_eq!(b.get("x").unwrap().node.val, Val::Int(5));
        let list = d.into_list();
        assert_eq!(list.len(), 1);
        assert!(
            list[0].message.contains("no s named 'c'"),
            "{}",
            list[0].message
        );
    }

    #[test]
    fn refuses_deep_nesting_before_parsing() {
        let text = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut d = Diag::new("t.toml", &text);
        assert!(parse(&text, &mut d).is_none());
        assert!(d.into_list()[0].message.contains("nest"));
        // Brackets in strings and comments do not count.
        let ok = format!("a = \"{}\" # {}\n", "[".repeat(100), "{".repeat(100));
        tree(&ok);
    }

    #[test]
    fn integers_beyond_i64_become_large_floats() {
        let t = tree("a = 99999999999999999999\nb = 0x10\nc = -5\n");
        assert_eq!(t.get("a").unwrap().node.val, Val::Float(1e20));
        assert_eq!(t.get("b").unwrap().node.val, Val::Int(16));
        assert_eq!(t.get("c").unwrap().node.val, Val::Int(-5));
    }
}
