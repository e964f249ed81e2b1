//! The dependency rules of `ARCHITECTURE.md`, checked on the source: which
//! module may use which, no cycles between the library's modules, no IO in
//! the core, the rendering and command-line crates only where their
//! features put them, and no function longer than 150 lines. A rule that
//! breaks fails the suite.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("src/ is readable") {
            let p = entry.expect("a directory entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The source without comments, string literals' contents and
/// `#[cfg(test)]` items, so that only code that builds into the library is
/// judged (tests may use anything).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("#[cfg(test)]") {
            // Skip the attribute and the item it guards: up to the end of
            // its first balanced `{ … }` (or the `;` of a `mod x;`).
            let mut depth = 0usize;
            let mut j = i + "#[cfg(test)]".len();
            while j < bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
        } else if bytes[i] == b'"' && !rest.starts_with("\"\\\"") {
            // A string literal: keep the quotes, drop the contents.
            out.push('"');
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push('"');
            i = j + 1;
        } else if bytes[i] == b'\'' && rest.len() > 2 && rest.as_bytes()[2] == b'\'' {
            // A character literal such as '{' or '"'.
            out.push_str("' '");
            i += 3;
        } else if let Some(escaped) = rest.strip_prefix("'\\") {
            // An escaped character literal: '\n', '\'', '\\', '\u{..}'.
            let end = escaped
                .char_indices()
                .skip(1)
                .find(|&(_, c)| c == '\'')
                .map_or(rest.len(), |(e, _)| e + 3);
            out.push_str("' '");
            i += end;
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The library's top-level module a file belongs to (`src/engine/months.rs`
/// → `engine`), or `None` for the binary (`main.rs`, `cli/`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).expect("under src/");
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let top = first.trim_end_matches(".rs").to_string();
    (top != "main" && top != "cli").then_some(top)
}

/// The crate's modules that a piece of code names (`crate::x`, `use
/// crate::{x, y::z}`).
fn modules_used(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(p) = rest.find("crate::") {
        let after = &rest[p + "crate::".len()..];
        if let Some(list) = after.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            for item in list[..end].split(',') {
                let name = item.trim().split("::").next().unwrap_or("");
                if !name.is_empty() && name != "self" {
                    used.insert(name.to_string());
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
        }
        rest = after;
    }
    used
}

struct Source {
    src: PathBuf,
    /// (file, its code without comments and tests).
    files: Vec<(PathBuf, String)>,
}

fn source() -> Source {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // A module's tests in a file of their own (`#[cfg(test)] mod tests;`)
    // are test code too.
    let files = rust_files(&src)
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("a readable source file");
            let code = code_of(&text);
            (f, code)
        })
        .collect();
    Source { src, files }
}

/// The library's files (not the binary's): (file, its module, its code).
fn core_files(s: &Source) -> impl Iterator<Item = (&Path, String, &str)> {
    s.files
        .iter()
        .filter_map(|(f, code)| Some((f.as_path(), module_of(&s.src, f)?, code.as_str())))
}

/// Fails with every problem found, one per line.
fn assert_none(found: &[String], what: &str) {
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
}

/// Module → the crate's modules it uses (the library only).
fn graph(s: &Source) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, m, code) in core_files(s) {
        let mut used = modules_used(code);
        used.remove(&m);
        g.entry(m).or_default().extend(used);
    }
    g
}

/// The rules of `ARCHITECTURE.md`: (module, modules it must not use, why).
const FORBIDDEN: &[(&str, &[&str], &str)] = &[
    (
        "engine",
        &[
            "results",
            "resources",
            "run",
            "scenario",
            "sensitivity",
            "allocation",
            "export",
            "charts",
            "report",
            "locale",
            "i18n",
        ],
        "the engine turns a model into rows and knows nothing of what is made of them",
    ),
    ("simd", &["*"], "lane arithmetic is the bottom layer"),
    (
        "sampler",
        &["*except simd rng"],
        "the samplers need only lanes and generators",
    ),
    ("rng", &["*except simd"], "generators need only lanes"),
    (
        "model",
        &[
            "scenario",
            "engine",
            "results",
            "resources",
            "run",
            "sensitivity",
            "allocation",
            "export",
            "charts",
            "report",
        ],
        "the model is plain validated data",
    ),
    (
        "results",
        &[
            "scenario",
            "sensitivity",
            "allocation",
            "export",
            "charts",
            "report",
            "run",
        ],
        "results summarise the engine's rows only",
    ),
    (
        "export",
        &[
            "engine", "sampler", "simd", "rng", "scenario", "run", "charts", "report",
        ],
        "exporters read results, never run anything",
    ),
    (
        "charts",
        &[
            "engine", "sampler", "simd", "rng", "scenario", "run", "report",
        ],
        "charts read results, never run anything",
    ),
    (
        "report",
        &["engine", "sampler", "simd", "rng", "scenario", "run"],
        "the report reads results and charts, never runs anything",
    ),
];

#[test]
fn modules_use_only_what_the_layers_allow() {
    let s = source();
    let g = graph(&s);
    let mut broken = Vec::new();
    for (module, forbidden, why) in FORBIDDEN {
        let Some(used) = g.get(*module) else {
            continue;
        };
        for u in used {
            let bad = match forbidden.first() {
                Some(&"*") => true,
                Some(rule) if rule.starts_with("*except") => {
                    !rule.split_whitespace().skip(1).any(|ok| ok == u)
                }
                _ => forbidden.contains(&u.as_str()),
            };
            if bad {
                broken.push(format!("{module} uses {u}: {why}"));
            }
        }
    }
    assert_none(&broken, "layer rules broken");
}

#[test]
fn the_library_has_no_cycles_between_modules() {
    let g = graph(&source());
    // Depth-first search; a back edge is a cycle.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let at = path.iter().position(|p| p == m).unwrap_or(0);
                let mut cycle = path[at..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for n in g.get(m).into_iter().flatten() {
            if g.contains_key(n)
                && let Some(c) = visit(n, g, state, path)
            {
                return Some(c);
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in g.keys() {
        let cycle = visit(m, &g, &mut state, &mut Vec::new());
        assert!(
            cycle.is_none(),
            "a cycle of modules: {}",
            cycle.unwrap().join(" → ")
        );
    }
}

#[test]
fn the_core_does_no_io() {
    let s = source();
    let io = [
        "std::fs",
        "std::io::stdin",
        "std::io::stdout",
        "std::io::stderr",
        "std::process",
        "std::net",
        "std::env::",
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "File::",
    ];
    let mut found = Vec::new();
    for (f, _, code) in core_files(&s) {
        for pat in io {
            if code.contains(pat) {
                found.push(format!("{}: {pat}", f.display()));
            }
        }
    }
    assert_none(&found, "IO in the library's core");
}

#[test]
fn heavy_crates_stay_behind_their_features() {
    let s = source();
    // (crate, the modules where it may appear)
    let rules: &[(&str, &[&str])] = &[
        ("clap", &[]),
        ("indicatif", &[]),
        ("anyhow", &[]),
        ("tempfile", &[]),
        ("plotters", &["charts"]),
        ("dejavu", &["charts"]),
        ("png", &["charts"]),
        ("rust_xlsxwriter", &["export"]),
    ];
    let mut found = Vec::new();
    for (f, m, code) in core_files(&s) {
        for (krate, allowed) in rules {
            let used =
                code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}"));
            if used && !allowed.contains(&m.as_str()) {
                found.push(format!("{}: {krate}", f.display()));
            }
        }
    }
    assert_none(&found, "feature-gated crates in the core");
}

#[test]
fn the_checks_see_what_they_check() {
    // The checks above must be able to fail: the parser finds a use, a
    // cycle's edge and an IO call in code written for it, and ignores
    // comments and tests.
    let code = code_of(
        "use crate::{results, stats::Stat};\n// crate::report\nfn f() { crate::engine::x(); \
         let s = \"crate::charts\"; }\n#[cfg(test)]\nmod tests { use crate::scenario; }\n",
    );
    let used = modules_used(&code);
    let want: BTreeSet<String> = ["results", "stats", "engine"].map(String::from).into();
    assert_eq!(used, want);
    let g = graph(&source());
    assert!(
        g["engine"].contains("sampler"),
        "the engine's use of the sampler is seen"
    );
    assert!(
        g.len() > 10,
        "the library's modules are found: {:?}",
        g.keys()
    );
}

/// Functions still over the limit, each with the reason; the test fails
/// when one of them is cut (so the list cannot go stale) and when any other
/// function grows past it.
const LONG_FUNCTIONS: &[(&str, &str, &str)] = &[(
    "src/engine/months.rs",
    "months",
    "the engine's monthly step: to be cut at its phases with the ratios bench before and after",
)];

#[test]
fn no_function_is_longer_than_150_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for f in rust_files(&root.join("src")) {
        let text = std::fs::read_to_string(&f).expect("a readable source file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let head = trimmed
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub(super) ")
                .trim_start_matches("const ")
                .trim_start_matches("unsafe ");
            let Some(rest) = head.strip_prefix("fn ") else {
                continue;
            };
            if line.trim_end().ends_with(';') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let close = format!("{indent}}}");
            if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
                let n = end + 2;
                if n > 150 {
                    let rel = f.strip_prefix(root).expect("under the root");
                    long.push((rel.to_string_lossy().into_owned(), name, n));
                }
            }
        }
    }
    let unexpected: Vec<_> = long
        .iter()
        .filter(|(f, n, _)| !LONG_FUNCTIONS.iter().any(|(lf, ln, _)| lf == f && ln == n))
        .collect();
    assert!(
        unexpected.is_empty(),
        "functions over 150 lines: {unexpected:?}"
    );
    for (f, n, _) in LONG_FUNCTIONS {
        assert!(
            long.iter().any(|(lf, ln, _)| lf == f && ln == n),
            "{f} {n} is no longer over 150 lines: take it off LONG_FUNCTIONS"
        );
    }
}
