//! Municipality files (`wijkbudget allocate`): a total budget, the streams it
//! covers, the budget policy, a shared risk reserve and several areas, each
//! a reference to a scenario file or written inline over shared stream
//! definitions. Read with the scenario parser's tree, builder and
//! diagnostics, so every problem in the file (and in the scenario files it
//! names) is reported at once with file, line, column and key.
//!
//! An inline area is read like a variant: the shared sections
//! (`uncertainty`, `stratum`, `stream`, `prevention`, `correlation`) form a
//! base tree, the area's `households` and its overrides (`stream.<name>...`,
//! `prevention...`, `stratum.<name>...`) are merged into a copy of it, and
//! the result is read by the scenario builder. The format is documented in
//! `docs/allocation.md`.

use crate::dist::Dist;
use crate::model::municipality::{Area, AreaSource, Characteristic, Municipality, PoolPolicy};
use crate::model::{BudgetMode, Model, ParamSpec, Policy};

use super::diag::{Diagnostic, Diagnostics, LineIndex, Sink, clip, list};
use super::param::{Builder, Spec, dom};
use super::schema::resolve_groups;
use super::tree::{self, Entry, Node, Table, Val};
use super::walk::Obj;
use super::{MAX_FILE_BYTES, parse_bytes};

/// Most areas in one municipality file.
pub const MAX_AREAS: usize = 64;

/// The top-level keys of a municipality file.
const ROOT_KEYS: &[&str] = &[
    "meta",
    "budget",
    "pool",
    "needs",
    "area",
    "uncertainty",
    "stratum",
    "stream",
    "prevention",
    "correlation",
];
/// The sections inline areas share (a scenario without meta and budget).
const SHARED_KEYS: &[&str] = &[
    "uncertainty",
    "stratum",
    "stream",
    "prevention",
    "correlation",
];
const META_KEYS: &[&str] = &[
    "name",
    "description",
    "start_year",
    "horizon_years",
    "replications",
    "seed",
];
const BUDGET_KEYS: &[&str] = &[
    "total",
    "indexation",
    "streams",
    "policy",
    "wait_escalation_factor",
];
const POOL_KEYS: &[&str] = &["sizes"];
const NEEDS_KEYS: &[&str] = &["weights"];
const AREA_KEYS: &[&str] = &[
    "name",
    "label",
    "scenario",
    "inhabitants",
    "last_year_spend",
    "counts",
    "households",
    "stratum",
    "stream",
    "prevention",
];
/// Keys of an area that only an inline area may have.
const INLINE_ONLY: &[&str] = &["households", "stratum", "stream", "prevention"];
/// Characteristics every area has, usable as needs weights.
const BUILT_IN: &[&str] = &["inhabitants", "households"];

/// The ceiling every area's model is simulated with before a key sets it; any
/// positive amount would do (see `allocation`).
pub const REFERENCE_CEILING: f64 = 1_000_000.0;

/// Reads a scenario file named by an area: given the path as written
/// (relative to the municipality file), returns the name to use in messages
/// and the bytes, or a message saying why it cannot be read. The library
/// does no IO; the CLI supplies this.
pub type Loader<'l> = dyn FnMut(&str) -> Result<(String, Vec<u8>), String> + 'l;

/// What kind of input file a text is, told by its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// A scenario file (`wijkbudget run`): anything that is not recognisably
    /// a municipality file.
    Scenario,
    /// A municipality file (`wijkbudget allocate`); `marker` is the first key
    /// that shows it (`area`, `pool`, `needs` or `budget.total`), written
    /// on `line`.
    Municipality { marker: &'static str, line: usize },
}

/// Top-level sections that only a municipality file has.
const MUNICIPALITY_SECTIONS: &[&str] = &["area", "pool", "needs"];

/// Tells a municipality file from a scenario file by its content: a file is
/// a municipality file when it has a top-level `[[area]]`, `[pool]` or
/// `[needs]` (sections a scenario does not have), or, failing those, a
/// `[budget]` with `total` but without `ceiling` and no `[[variant]]` (a
/// municipality without areas yet). Everything else is a scenario file, so
/// that its own parser reports what is wrong with it.
///
/// Uses `toml`'s recovering parser, so a file with syntax errors is still
/// told apart by the sections it could read; when even that finds none, a
/// line that is exactly `[[area]]`, `[pool]` or `[needs]` decides.
/// Never panics.
pub fn file_kind(text: &str) -> FileKind {
    if text.len() > MAX_FILE_BYTES {
        return FileKind::Scenario;
    }
    let lines = LineIndex::new(text);
    let at = |offset: usize| lines.line_col(offset).0;
    let (doc, errors) = toml::de::DeTable::parse_recoverable(text);
    let root = doc.get_ref();
    let first = root
        .iter()
        .filter_map(|(k, _)| {
            MUNICIPALITY_SECTIONS
                .iter()
                .find(|&&m| m == k.get_ref().as_ref())
                .map(|&m| (k.span().start, m))
        })
        .min_by_key(|&(start, _)| start);
    if let Some((start, marker)) = first {
        return FileKind::Municipality {
            marker,
            line: at(start),
        };
    }
    let has = |key: &str| root.iter().any(|(k, _)| k.get_ref().as_ref() == key);
    if let Some((_, budget)) = root.iter().find(|(k, _)| k.get_ref().as_ref() == "budget")
        && let toml::de::DeValue::Table(b) = budget.get_ref()
        && !has("variant")
        && !b.iter().any(|(k, _)| k.get_ref().as_ref() == "ceiling")
        && let Some((k, _)) = b.iter().find(|(k, _)| k.get_ref().as_ref() == "total")
    {
        return FileKind::Municipality {
            marker: "budget.total",
            line: at(k.span().start),
        };
    }
    if !errors.is_empty() {
        for (i, l) in text.lines().enumerate() {
            let l = l.trim();
            if let Some(&m) = MUNICIPALITY_SECTIONS
                .iter()
                .find(|&&m| l == format!("[[{m}]]") || l == format!("[{m}]"))
            {
                return FileKind::Municipality {
                    marker: m,
                    line: i + 1,
                };
            }
        }
    }
    FileKind::Scenario
}

/// Parses and validates a municipality file and the scenario files its
/// areas name. `file` is the name used in messages.
pub fn parse_municipality(
    text: &str,
    file: &str,
    load: &mut Loader<'_>,
) -> Result<Municipality, Diagnostics> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostics(vec![Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            key: String::new(),
            message: format!(
                "the file is {} bytes; a municipality file may be at most {MAX_FILE_BYTES} bytes (1 MiB)",
                text.len()
            ),
        }]));
    }
    let lines = LineIndex::new(text);
    let mut sink = Sink::new(file, &lines);
    let Some(root) = tree::parse(text, &mut sink) else {
        return Err(sink.finish());
    };
    let mut others: Vec<Diagnostic> = Vec::new();
    let muni = read(&root, file, &lines, &mut sink, load, &mut others);
    if sink.is_empty() && others.is_empty() {
        Ok(muni)
    } else {
        let mut all = sink.finish().0;
        all.extend(others);
        Err(Diagnostics(all))
    }
}

/// An area as read, before its model is built.
struct AreaHead<'t> {
    name: String,
    label: String,
    obj: Obj<'t>,
    inhabitants: Option<f64>,
    last_year_spend: Option<f64>,
    counts: Vec<Characteristic>,
    scenario: Option<(String, usize)>,
}

/// The `[budget]` section as read.
struct BudgetHead {
    total: Option<f64>,
    indexation: ParamSpec,
    waitlist: bool,
    wait: ParamSpec,
    streams: Option<Vec<String>>,
}

fn read(
    root: &Table,
    file: &str,
    lines: &LineIndex<'_>,
    sink: &mut Sink<'_>,
    load: &mut Loader<'_>,
    others: &mut Vec<Diagnostic>,
) -> Municipality {
    let mut b = Builder::new(sink);
    let root_obj = Obj::new(root, 0, "");
    b.check_keys(&root_obj, ROOT_KEYS);
    let meta = b.meta(root);
    check_no_baseline(&mut b, root);
    let budget = read_budget(&mut b, &root_obj);
    let pool_sizes = read_pool_sizes(&mut b, &root_obj);
    let weights = read_needs_weights(&mut b, &root_obj);
    let heads: Vec<AreaHead<'_>> = b
        .elements(&root_obj, "area", ("area", "areas"), (1, MAX_AREAS))
        .into_iter()
        .map(|(name, o)| read_area_head(&mut b, name, o))
        .collect();
    drop(b);

    let base = SharedBase::of(root);
    let mut areas = Vec::with_capacity(heads.len());
    for head in heads {
        let (model, source) = match &head.scenario {
            Some((path, at)) => (
                scenario_model(&head, path, *at, sink, load, others),
                AreaSource::Scenario(path.clone()),
            ),
            None => (
                inline_model(&head, &base, &meta, file, lines, sink),
                AreaSource::Inline,
            ),
        };
        let Some(model) = model else { continue };
        if let Some(area) = finish_area(head, source, model, &meta, &budget, sink) {
            areas.push(area);
        }
    }

    // Cross-area checks: history given for all or none; weights name
    // characteristics every area has.
    check_history(root, &areas, sink);
    let needs_weights = weights.map(|w| check_needs_weights(w, &areas, sink));

    Municipality {
        name: meta.name,
        description: meta.description,
        start_year: meta.shared.start_year,
        horizon_years: meta.shared.horizon_years,
        replications: meta.replications,
        seed: meta.seed,
        total: budget.total.unwrap_or(1.0),
        policy: if budget.waitlist {
            PoolPolicy::Waitlist
        } else {
            PoolPolicy::Overspend
        },
        streams: budget.streams.unwrap_or_default(),
        pool_sizes,
        needs_weights,
        areas,
    }
}

/// `[meta]` of a municipality has no `baseline`.
fn check_no_baseline(b: &mut Builder<'_, '_>, root: &Table) {
    if let Some(Val::Table(m)) = root.get("meta").map(|e| &e.node.val)
        && let Some(e) = m.get("baseline")
    {
        b.error_at(
            e.key_span.start,
            "meta.baseline",
            format!(
                "a municipality file has no baseline (each area's scenario uses its own); valid keys here: {}",
                list(META_KEYS.iter().copied())
            ),
        );
    }
}

/// `[budget]`: the total, its indexation, the policy and the streams it covers.
fn read_budget(b: &mut Builder<'_, '_>, root_obj: &Obj<'_>) -> BudgetHead {
    let empty = Table::default();
    let budget_obj = b
        .table(
            root_obj,
            "budget",
            Some("the total budget: add a [budget] section with `total`"),
        )
        .unwrap_or_else(|| Obj::absent(&empty, 0, "budget"));
    b.check_keys(&budget_obj, BUDGET_KEYS);
    let total = fixed(b, &budget_obj, "total", dom(1.0, 1e12, None));
    let indexation = b.param(&budget_obj, "indexation", dom(-0.5, 1.0, Some(0.0)));
    let indexation = b.params().get(indexation).clone();
    let waitlist = b.choice(&budget_obj, "policy", &["overspend", "waitlist"]) == "waitlist";
    let wait = b.param(
        &budget_obj,
        "wait_escalation_factor",
        dom(1.0, 100.0, Some(1.5)),
    );
    let wait = b.params().get(wait).clone();
    let streams = string_list(b, &budget_obj, "streams");
    BudgetHead {
        total,
        indexation,
        waitlist,
        wait,
        streams,
    }
}

/// `[pool]`: the pool sizes to compare (empty when not given).
fn read_pool_sizes(b: &mut Builder<'_, '_>, root_obj: &Obj<'_>) -> Vec<f64> {
    let mut pool_sizes = Vec::new();
    let Some(pool_obj) = b.table(root_obj, "pool", None) else {
        return pool_sizes;
    };
    b.check_keys(&pool_obj, POOL_KEYS);
    if let Some(e) = pool_obj.entry("sizes") {
        match &e.node.val {
            Val::Array(items) if items.len() <= 32 => {
                for (i, n) in items.iter().enumerate() {
                    let key = format!("pool.sizes[{}]", i + 1);
                    if let Some(v) = number(b, n, &key, 0.0, 1e12) {
                        pool_sizes.push(v);
                    }
                }
            }
            Val::Array(items) => b.error_at(
                e.node.span.start,
                "pool.sizes",
                format!("at most 32 pool sizes, got {}", items.len()),
            ),
            other => b.error_at(
                e.node.span.start,
                "pool.sizes",
                format!(
                    "expected a list of amounts in euros (e.g. [0, 250000, 500000]), got {}",
                    other.kind()
                ),
            ),
        }
    }
    pool_sizes
}

/// `[needs]`: the weights by characteristic, each with the byte offset of
/// its key (checked against the areas later).
fn read_needs_weights(
    b: &mut Builder<'_, '_>,
    root_obj: &Obj<'_>,
) -> Option<Vec<(String, f64, usize)>> {
    let needs_obj = b.table(root_obj, "needs", None)?;
    b.check_keys(&needs_obj, NEEDS_KEYS);
    let weights_obj = b.table(
        &needs_obj,
        "weights",
        Some("the weight of each characteristic"),
    )?;
    let mut weights = Vec::new();
    for e in &weights_obj.table.entries {
        if let Some(v) = fixed(b, &weights_obj, &e.key, dom(0.0, 1e9, None)) {
            weights.push((e.key.clone(), v, e.key_span.start));
        }
    }
    if weights.is_empty() {
        b.error_at(
            weights_obj.at,
            "needs.weights",
            "give at least one weight, e.g. `weights = { eenouder = 1.0, laag_inkomen = 1.0 }`",
        );
    } else if weights.iter().all(|x| x.1 == 0.0) {
        b.error_at(
            weights_obj.at,
            "needs.weights",
            "at least one weight must be above 0",
        );
    }
    Some(weights)
}

/// One `[[area]]` as read: its name, label, characteristics and where its
/// model comes from.
fn read_area_head<'t>(
    b: &mut Builder<'_, '_>,
    name: Option<&str>,
    area_obj: Obj<'t>,
) -> AreaHead<'t> {
    b.check_keys(&area_obj, AREA_KEYS);
    // An area without a valid, unique name is named by its position.
    let name = name.map_or_else(|| area_obj.path.clone(), str::to_string);
    let label = b
        .text(&area_obj, "label", None, super::MAX_NAME_CHARS, false)
        .unwrap_or_else(|| name.clone());
    let inhabitants = fixed(b, &area_obj, "inhabitants", dom(1.0, 1e8, None));
    let last_year_spend = if area_obj.entry("last_year_spend").is_some() {
        fixed(b, &area_obj, "last_year_spend", dom(0.0, 1e11, None))
    } else {
        None
    };
    let counts = read_counts(b, &area_obj);
    let scenario = read_scenario_path(b, &area_obj);
    AreaHead {
        name,
        label,
        obj: area_obj,
        inhabitants,
        last_year_spend,
        counts,
        scenario,
    }
}

/// An area's `counts`: its named characteristics.
fn read_counts(b: &mut Builder<'_, '_>, area_obj: &Obj<'_>) -> Vec<Characteristic> {
    let mut counts = Vec::new();
    let Some(counts_obj) = b.table(area_obj, "counts", None) else {
        return counts;
    };
    for e in &counts_obj.table.entries {
        if !is_ident(&e.key) {
            b.error_at(
                e.key_span.start,
                &counts_obj.key(&e.key),
                format!(
                    "'{}' is not a valid characteristic name: use 1 to 40 characters of a-z, 0-9 and _",
                    clip(&e.key)
                ),
            );
            continue;
        }
        if BUILT_IN.contains(&e.key.as_str()) {
            b.error_at(
                e.key_span.start,
                &counts_obj.key(&e.key),
                format!("`{}` is given by the area itself, not in `counts`", e.key),
            );
            continue;
        }
        if let Some(v) = fixed(b, &counts_obj, &e.key, dom(0.0, 1e8, None)) {
            counts.push(Characteristic {
                name: e.key.clone(),
                value: v,
            });
        }
    }
    counts
}

/// An area's `scenario`: the path of its scenario file as written and the
/// byte offset of the value (`None` for an inline area or a bad value).
fn read_scenario_path(b: &mut Builder<'_, '_>, area_obj: &Obj<'_>) -> Option<(String, usize)> {
    let e = area_obj.entry("scenario")?;
    match &e.node.val {
        Val::Str(s) if !s.trim().is_empty() && s.len() <= 1000 => {
            for inline_entry in &area_obj.table.entries {
                if INLINE_ONLY.contains(&inline_entry.key.as_str()) {
                    b.error_at(
                        inline_entry.key_span.start,
                        &area_obj.key(&inline_entry.key),
                        format!(
                            "an area read from a scenario file takes `{}` from that file; \
                             change it there, or write the area inline (without `scenario`)",
                            inline_entry.key
                        ),
                    );
                }
            }
            Some((s.clone(), e.node.span.start))
        }
        Val::Str(_) => {
            b.error_at(
                e.node.span.start,
                &area_obj.key("scenario"),
                "expected the path of a scenario file (1 to 1000 characters), \
                 relative to this file, e.g. \"wijk-noord.toml\"",
            );
            None
        }
        other => {
            b.error_at(
                e.node.span.start,
                &area_obj.key("scenario"),
                format!(
                    "expected the path of a scenario file as a string, got {}",
                    other.kind()
                ),
            );
            None
        }
    }
}

/// What inline areas share: the shared sections as a base tree, and the
/// shared strata by name, each with whether it gives its own households.
struct SharedBase {
    template: Table,
    strata: Vec<(String, bool)>,
}

impl SharedBase {
    fn of(root: &Table) -> SharedBase {
        let mut template = Table::default();
        for e in &root.entries {
            if SHARED_KEYS.contains(&e.key.as_str()) {
                template.entries.push(e.clone());
            }
        }
        let strata = match root.get("stratum").map(|e| &e.node.val) {
            Some(Val::Array(items)) => items
                .iter()
                .filter_map(|n| match &n.val {
                    Val::Table(t) => Some((
                        tree::element_name(n)?.to_string(),
                        t.get("households").is_some(),
                    )),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        SharedBase { template, strata }
    }
}

/// The baseline model of the scenario file an area names (`at`: the byte
/// offset of the path in the municipality file); its problems go to `others`.
fn scenario_model(
    head: &AreaHead<'_>,
    path: &str,
    at: usize,
    sink: &mut Sink<'_>,
    load: &mut Loader<'_>,
    others: &mut Vec<Diagnostic>,
) -> Option<Model> {
    match load(path) {
        Ok((shown, bytes)) => match parse_bytes(&bytes, &shown) {
            Ok(mut scenario) => Some(scenario.variants.swap_remove(0)),
            Err(d) => {
                others.extend(d.0);
                sink.error(
                    at,
                    &head.obj.key("scenario"),
                    format!(
                        "in area '{}': the scenario file '{}' has problems (listed below)",
                        clip(&head.name),
                        clip(path)
                    ),
                );
                None
            }
        },
        Err(msg) => {
            sink.error(
                at,
                &head.obj.key("scenario"),
                format!(
                    "in area '{}': cannot read the scenario file '{}': {msg}",
                    clip(&head.name),
                    clip(path)
                ),
            );
            None
        }
    }
}

/// An area from its model: the municipality's horizon and budget rules
/// replace the area's own, and only the covered streams stay (`None`, with
/// an error, when the area lacks a covered stream).
fn finish_area(
    head: AreaHead<'_>,
    source: AreaSource,
    mut model: Model,
    meta: &super::schema::Meta,
    budget: &BudgetHead,
    sink: &mut Sink<'_>,
) -> Option<Area> {
    model.start_year = meta.shared.start_year;
    model.horizon_years = meta.shared.horizon_years;
    model.variant = head.name.clone();
    let covered = match &budget.streams {
        Some(names) => names.clone(),
        None => model.streams.iter().map(|s| s.name.clone()).collect(),
    };
    let own: Vec<&str> = model.streams.iter().map(|s| s.name.as_str()).collect();
    let missing: Vec<&String> = covered
        .iter()
        .filter(|c| !own.contains(&c.as_str()))
        .collect();
    if !missing.is_empty() {
        let at = head.scenario.as_ref().map_or(head.obj.at, |s| s.1);
        sink.error(
            at,
            &head.obj.path,
            format!(
                "in area '{}': the budget covers stream(s) {} that this area does not have; \
                 its streams are {}",
                clip(&head.name),
                list(missing.iter().map(|s| s.as_str())),
                list(own.iter().copied())
            ),
        );
        return None;
    }
    model.streams.retain(|s| covered.contains(&s.name));
    apply_budget(
        &mut model,
        &budget.indexation,
        budget.waitlist.then_some(&budget.wait),
    );
    let households: f64 = model
        .strata
        .iter()
        .map(|s| model.params.get(s.households).dist.mean())
        .sum();
    Some(Area {
        name: head.name,
        label: head.label,
        source,
        inhabitants: head.inhabitants.unwrap_or(1.0),
        households,
        last_year_spend: head.last_year_spend,
        counts: head.counts,
        model,
    })
}

/// `last_year_spend` is given for every area or for none.
fn check_history(root: &Table, areas: &[Area], sink: &mut Sink<'_>) {
    let with_history = areas.iter().filter(|a| a.last_year_spend.is_some()).count();
    if with_history == 0 || with_history == areas.len() {
        return;
    }
    for a in areas.iter().filter(|a| a.last_year_spend.is_none()) {
        let at = area_at(root, &a.name);
        sink.error(
            at,
            &format!("area.{}.last_year_spend", a.name),
            format!(
                "in area '{}': `last_year_spend` is given for {with_history} of {} areas; \
                 give it for every area (the historical key needs all) or for none",
                clip(&a.name),
                areas.len()
            ),
        );
    }
}

/// The needs weights whose characteristic every area has; an error for
/// each of the others.
fn check_needs_weights(
    weights: Vec<(String, f64, usize)>,
    areas: &[Area],
    sink: &mut Sink<'_>,
) -> Vec<(String, f64)> {
    let mut ok = Vec::new();
    for (name, v, at) in weights {
        let lacking: Vec<&str> = areas
            .iter()
            .filter(|a| a.count(&name).is_none())
            .map(|a| a.name.as_str())
            .collect();
        if lacking.is_empty() {
            ok.push((name, v));
            continue;
        }
        let mut known: Vec<&str> = areas
            .iter()
            .flat_map(|a| a.counts.iter().map(|c| c.name.as_str()))
            .chain(BUILT_IN.iter().copied())
            .collect();
        known.sort_unstable();
        known.dedup();
        let message = if known.contains(&name.as_str()) {
            format!(
                "the characteristic `{}` is missing from `counts` of area(s) {}; \
                 give it for every area",
                clip(&name),
                list(lacking.iter().copied())
            )
        } else {
            super::diag::unknown(
                &format!(
                    "no area has the characteristic `{}` in its `counts`",
                    clip(&name)
                ),
                &name,
                &known,
                "characteristics",
            )
        };
        sink.error(at, &format!("needs.weights.{name}"), message);
    }
    ok
}

/// The byte offset of an area's section (for messages after reading).
fn area_at(root: &Table, name: &str) -> usize {
    match root.get("area").map(|e| &e.node.val) {
        Some(Val::Array(items)) => items
            .iter()
            .find(|n| tree::element_name(n) == Some(name))
            .map_or(0, |n| n.span.start),
        _ => 0,
    }
}

/// Reads an inline area's model: the shared sections with the area's
/// households and overrides merged in. Problems inside the area's own text
/// are prefixed with `in area '<name>':`; problems of the shared sections
/// are reported once (repeats are dropped when the list is finished).
fn inline_model(
    head: &AreaHead<'_>,
    base: &SharedBase,
    meta: &super::schema::Meta,
    file: &str,
    lines: &LineIndex<'_>,
    sink: &mut Sink<'_>,
) -> Option<Model> {
    let area_table = head.obj.table;
    let at = head.obj.at;
    let mut asink = Sink::new(file, lines);
    let mut overrides = Table::default();
    for key in ["stratum", "stream", "prevention"] {
        if let Some(e) = area_table.get(key) {
            overrides.entries.push(e.clone());
        }
    }
    let hh = households_overrides(head, base, &mut asink);
    if !hh.entries.is_empty() {
        overrides.entries.push(Entry {
            key: "stratum".into(),
            key_span: at..at,
            node: Node {
                val: Val::Table(hh),
                span: at..at,
            },
            from_variant: false,
        });
    }
    let mut merged = base.template.clone();
    // Area overrides merged in order; `stratum` may appear twice (the area's
    // own `stratum` table, then its households), which merge one after the other.
    for e in overrides.entries {
        let one = Table { entries: vec![e] };
        tree::merge(&mut merged, &one, "", &mut asink);
    }
    merged.entries.push(Entry {
        key: "budget".into(),
        key_span: at..at,
        node: Node {
            val: Val::Table(Table {
                entries: vec![Entry {
                    key: "ceiling".into(),
                    key_span: at..at,
                    node: Node {
                        val: Val::Float(REFERENCE_CEILING),
                        span: at..at,
                    },
                    from_variant: false,
                }],
            }),
            span: at..at,
        },
        from_variant: false,
    });
    let mut ab = Builder::new(&mut asink);
    let mut model = ab.model(
        &merged,
        head.name.clone(),
        String::new(),
        &meta.shared,
        None,
    );
    let groups = ab.correlations(&merged, &model.params);
    drop(ab);
    model.correlations = resolve_groups(&groups, &model.params);
    // Problems inside the area's text are the area's; others are shared.
    let (lo, hi) = extent(area_table, at);
    let (lo, hi) = (lines.line_col(lo).0, lines.line_col(hi).0);
    let ok = asink.is_empty();
    for mut d in asink.finish().0 {
        if (lo..=hi).contains(&d.line) && !d.message.starts_with("in area") {
            d.message = format!("in area '{}': {}", clip(&head.name), d.message);
        }
        sink.error_diag(d);
    }
    ok.then_some(model)
}

/// An inline area's `households = { gezin = 900, ... }` as the overrides
/// `stratum.gezin.households`, with a zero stand-in (and an error) for each
/// shared stratum that has households neither in the area nor in the
/// `[[stratum]]`.
fn households_overrides(head: &AreaHead<'_>, base: &SharedBase, asink: &mut Sink<'_>) -> Table {
    let area_table = head.obj.table;
    let at = head.obj.at;
    let mut given: Vec<String> = Vec::new();
    let mut hh = Table::default();
    match area_table.get("households").map(|e| &e.node) {
        None => {}
        Some(Node {
            val: Val::Table(ht),
            ..
        }) => {
            let names: Vec<&str> = base.strata.iter().map(|s| s.0.as_str()).collect();
            for e in &ht.entries {
                let key = format!("{}.households.{}", head.obj.path, e.key);
                if !names.contains(&e.key.as_str()) {
                    asink.error(
                        e.key_span.start,
                        &key,
                        super::diag::unknown(
                            &format!("there is no stratum named '{}'", clip(&e.key)),
                            &e.key,
                            &names,
                            "strata (the [[stratum]] sections)",
                        ),
                    );
                    continue;
                }
                given.push(e.key.clone());
                hh.entries.push(Entry {
                    key: e.key.clone(),
                    key_span: e.key_span.clone(),
                    node: Node {
                        val: Val::Table(Table {
                            entries: vec![Entry {
                                key: "households".into(),
                                key_span: e.key_span.clone(),
                                node: e.node.clone(),
                                from_variant: false,
                            }],
                        }),
                        span: e.node.span.clone(),
                    },
                    from_variant: false,
                });
            }
        }
        Some(node) => asink.error(
            node.span.start,
            &format!("{}.households", head.obj.path),
            format!(
                "expected a table of households per stratum, e.g. \
                 `households = {{ alleenstaand = 1400, gezin = 1150 }}`, got {}",
                node.val.kind()
            ),
        ),
    }
    for (name, has) in &base.strata {
        if !has && !given.contains(name) {
            asink.error(
                at,
                &format!("{}.households.{name}", head.obj.path),
                format!(
                    "in area '{}': no households given for stratum '{name}': add \
                     `households.{name} = <number>` to the area (or `households` to the [[stratum]])",
                    clip(&head.name)
                ),
            );
            // A stand-in, so that the builder does not report it again.
            hh.entries
                .push(synthetic_entry(name, "households", 0.0, at));
        }
    }
    hh
}

fn synthetic_entry(name: &str, key: &str, value: f64, at: usize) -> Entry {
    Entry {
        key: name.into(),
        key_span: at..at,
        node: Node {
            val: Val::Table(Table {
                entries: vec![Entry {
                    key: key.into(),
                    key_span: at..at,
                    node: Node {
                        val: Val::Float(value),
                        span: at..at,
                    },
                    from_variant: false,
                }],
            }),
            span: at..at,
        },
        from_variant: false,
    }
}

/// The first and last byte an area's text covers.
fn extent(t: &Table, at: usize) -> (usize, usize) {
    fn walk(t: &Table, lo: &mut usize, hi: &mut usize) {
        for e in &t.entries {
            *lo = (*lo).min(e.key_span.start);
            *hi = (*hi).max(e.node.span.end.saturating_sub(1));
            if let Val::Table(s) = &e.node.val {
                walk(s, lo, hi);
            }
        }
    }
    let (mut lo, mut hi) = (at, at);
    walk(t, &mut lo, &mut hi);
    (lo, hi)
}

/// Gives an area's model the municipality's budget rules: a pooled ceiling
/// (set per key later), the municipality's indexation and policy, and no
/// reserve or reinvestment of its own (the shared pool is the reserve).
fn apply_budget(model: &mut Model, indexation: &ParamSpec, wait: Option<&ParamSpec>) {
    let fixed = |v: f64| Dist::Fixed { value: v };
    let budget = model.budget.clone();
    model.params.specs[budget.ceiling.idx()].dist = fixed(REFERENCE_CEILING);
    {
        let spec = &mut model.params.specs[budget.indexation.idx()];
        spec.dist = indexation.dist.clone();
        spec.source = indexation.source.clone();
        spec.line = indexation.line;
        spec.draw_path = None;
    }
    for param in [
        budget.reserve_initial,
        budget.reserve_cap,
        budget.reinvest_share,
    ] {
        model.params.specs[param.idx()].dist = fixed(0.0);
    }
    model.budget.mode = BudgetMode::Pooled;
    model.budget.policy = match wait {
        None => Policy::Overspend,
        Some(spec) => {
            let param = match budget.policy {
                Policy::Waitlist {
                    wait_escalation_factor,
                } => {
                    model.params.specs[wait_escalation_factor.idx()] = ParamSpec {
                        path: "budget.wait_escalation_factor".into(),
                        ..spec.clone()
                    };
                    wait_escalation_factor
                }
                Policy::Overspend => model.params.push(ParamSpec {
                    path: "budget.wait_escalation_factor".into(),
                    ..spec.clone()
                }),
            };
            Policy::Waitlist {
                wait_escalation_factor: param,
            }
        }
    };
}

/// A number that must be fixed (optionally `{ value = .., source = .. }`).
fn fixed(b: &mut Builder<'_, '_>, o: &Obj<'_>, key: &str, spec: Spec) -> Option<f64> {
    let spec = Spec {
        fixed_only: true,
        ..spec
    };
    let param = b.param(o, key, spec);
    b.fixed_value(param)
}

/// A plain number in `[lo, hi]`.
fn number(b: &mut Builder<'_, '_>, node: &Node, key: &str, lo: f64, hi: f64) -> Option<f64> {
    let value = match node.val {
        Val::Int(i) => i as f64,
        Val::Float(f) => f,
        ref other => {
            b.error_at(
                node.span.start,
                key,
                format!("expected an amount in euros, got {}", other.kind()),
            );
            return None;
        }
    };
    if !(value.is_finite() && (lo..=hi).contains(&value)) {
        b.error_at(
            node.span.start,
            key,
            format!("must be a number from {lo} to {hi}"),
        );
        return None;
    }
    Some(value)
}

/// `key = ["a", "b"]`: a list of stream names (`None` when absent).
fn string_list(b: &mut Builder<'_, '_>, o: &Obj<'_>, key: &str) -> Option<Vec<String>> {
    let entry = o.entry(key)?;
    let path = o.key(key);
    let Val::Array(items) = &entry.node.val else {
        b.error_at(
            entry.node.span.start,
            &path,
            format!(
                "expected a list of stream names, e.g. [\"wmo_begeleiding\", \"jeugdhulp\"], got {}",
                entry.node.val.kind()
            ),
        );
        return None;
    };
    let mut out: Vec<String> = Vec::new();
    for (i, node) in items.iter().enumerate() {
        match &node.val {
            Val::Str(s) if is_ident(s) => {
                if out.contains(s) {
                    b.error_at(
                        node.span.start,
                        &format!("{path}[{}]", i + 1),
                        format!("stream '{s}' is listed twice"),
                    );
                } else {
                    out.push(s.clone());
                }
            }
            _ => b.error_at(
                node.span.start,
                &format!("{path}[{}]", i + 1),
                "expected a stream name (1 to 40 characters of a-z, 0-9 and _)",
            ),
        }
    }
    if out.is_empty() && items.is_empty() {
        b.error_at(
            entry.node.span.start,
            &path,
            "name at least one stream, or leave `streams` out to cover every stream",
        );
    }
    Some(out)
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= super::MAX_IDENT_CHARS
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> FileKind {
        file_kind(text)
    }

    #[test]
    fn municipality_sections_decide_at_their_line() {
        let m = |marker, line| FileKind::Municipality { marker, line };
        assert_eq!(
            kind("[meta]\nname = \"x\"\n\n[[area]]\nname = \"a\"\n"),
            m("area", 4)
        );
        assert_eq!(kind("[pool]\nsizes = [0]\n[[area]]\n"), m("pool", 1));
        assert_eq!(kind("# c\n[needs]\nweights = { a = 1 }\n"), m("needs", 2));
        // Dotted and inline forms are the same keys.
        assert_eq!(kind("area = [{ name = \"a\" }]\n"), m("area", 1));
        // A municipality without areas yet: a budget with a total.
        assert_eq!(
            kind("[budget]\nindexation = 0\ntotal = 5\n"),
            m("budget.total", 3)
        );
    }

    #[test]
    fn scenarios_and_everything_else_are_scenarios() {
        assert_eq!(kind(crate::EXAMPLE_SCENARIO), FileKind::Scenario);
        assert_eq!(kind(""), FileKind::Scenario);
        assert_eq!(kind("[budget]\nceiling = 5\n"), FileKind::Scenario);
        // A scenario with a mistyped ceiling stays a scenario when it has
        // what only scenarios have.
        assert_eq!(
            kind("[budget]\nceiling = 5\ntotal = 3\n"),
            FileKind::Scenario
        );
        assert_eq!(
            kind("[budget]\ntotal = 3\n[[variant]]\nname = \"v\"\n"),
            FileKind::Scenario
        );
        // A key named like a section, deeper down, is not the section.
        assert_eq!(kind("[meta]\narea = 3\npool = 1\n"), FileKind::Scenario);
        assert_eq!(kind("budget = 3\n"), FileKind::Scenario);
        assert_eq!(kind(&"x".repeat(MAX_FILE_BYTES + 1)), FileKind::Scenario);
    }

    #[test]
    fn files_with_syntax_errors_are_still_told_apart() {
        let k = kind("[meta\nname = \"x\"\n\n  [[area]]  \nname = = 3\n");
        assert!(
            matches!(k, FileKind::Municipality { marker: "area", .. }),
            "{k:?}"
        );
        assert_eq!(kind("[meta\n[[stream]]\nname = = 1\n"), FileKind::Scenario);
        for text in [
            "[[[",
            "\u{0}[area]",
            "= = =",
            "[a]\n[a]\n",
            "x = \"\\u{D800}\"",
        ] {
            let _ = kind(text);
        }
    }
}
