//! The catalogues parse, hold the same message ids, and hold every id the
//! code asks for.

use std::collections::BTreeSet;
use std::path::Path;

use fluent_bundle::FluentResource;

use super::{EN, NL, lookup, text, text_args};
use crate::locale::Lang;

/// The message ids of a catalogue's source, in order.
fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// The prefixes of the catalogues' message ids, by where they are used.
const PREFIXES: [&str; 7] = [
    "console", "sens", "alloc", "xlsx", "chart", "report", "metric",
];

/// Every string literal in the `.rs` files under `dir` that is a message id:
/// one of [`PREFIXES`], a dash, then lower-case letters, digits, `-` or `_`
/// up to the closing quote. Ids made at run time (`metric-…`) are checked
/// by their own tests.
fn used_ids(dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            used_ids(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs")
            && let Ok(src) = std::fs::read_to_string(&path)
        {
            for p in PREFIXES {
                let open = format!("\"{p}-");
                for (i, _) in src.match_indices(&open) {
                    let rest = &src[i + 1..];
                    let end = rest
                        .find(|c: char| {
                            !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                        })
                        .unwrap_or(rest.len());
                    if end > p.len() + 1 && rest[end..].starts_with('"') {
                        out.insert(rest[..end].to_string());
                    }
                }
            }
        }
    }
}

#[test]
fn catalogues_parse_without_errors() {
    for source in [NL, EN] {
        if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
            panic!("{errors:?}");
        }
    }
}

#[test]
fn catalogues_have_the_same_ids() {
    let nl = ids(NL);
    let en = ids(EN);
    let nl_set: BTreeSet<_> = nl.iter().collect();
    let en_set: BTreeSet<_> = en.iter().collect();
    assert_eq!(nl.len(), nl_set.len(), "an id twice in nl.ftl");
    assert_eq!(en.len(), en_set.len(), "an id twice in en.ftl");
    let only_nl: Vec<_> = nl_set.difference(&en_set).collect();
    let only_en: Vec<_> = en_set.difference(&nl_set).collect();
    assert!(only_nl.is_empty(), "only in nl.ftl: {only_nl:?}");
    assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    for id in &nl {
        for lang in [Lang::Nl, Lang::En] {
            assert!(lookup(lang, id, &[]).is_some(), "{id} has no value");
        }
    }
}

#[test]
fn every_id_in_the_code_is_in_the_catalogues() {
    let mut used = BTreeSet::new();
    used_ids(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut used,
    );
    assert!(used.len() > 40, "the scan found only {used:?}");
    let known: BTreeSet<_> = ids(NL).into_iter().collect();
    let missing: Vec<_> = used.iter().filter(|id| !known.contains(*id)).collect();
    assert!(missing.is_empty(), "not in the catalogues: {missing:?}");
}

#[test]
fn every_metric_has_a_name() {
    let layout = crate::metrics::Layout::new(&[("s".into(), vec!["l".into()])]);
    for d in &layout.defs {
        for lang in [Lang::Nl, Lang::En] {
            let id = format!("metric-{}", d.name);
            assert!(lookup(lang, &id, &[]).is_some(), "{id}");
        }
    }
}

#[test]
fn arguments_are_not_isolated_and_missing_ids_fall_back() {
    let s = text_args(Lang::En, "console-against", &[("baseline", "basis")]);
    assert_eq!(s, "Paired difference with basis:");
    assert_eq!(text(Lang::Nl, "no-such-id"), "no-such-id");
}
