//! The `[[correlation]]` groups: parameters by path and their matrix,
//! checked against the base, then looked up in each model.

use std::collections::HashMap;

use crate::copula::CorrelationMatrix;
use crate::model::{CorrelationGroup, Param, ParamTable};

use crate::scenario::diag::{KEY_SIMILARITY, clip, did_you_mean};
use crate::scenario::param::Builder;
use crate::scenario::tree::{Table, Val};
use crate::scenario::walk::Obj;

const CORRELATION_KEYS: &[&str] = &["parameters", "matrix"];

/// A correlation group as written, checked against the base.
#[derive(Debug, Clone)]
pub(crate) struct GroupSpec {
    paths: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl Builder<'_, '_> {
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

    pub(super) fn correlation_parameters(
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
                None => Some(
                    match did_you_mean(p, paths.iter().copied(), KEY_SIMILARITY) {
                        Some(c) => {
                            format!("there is no parameter '{}'; did you mean `{c}`?", clip(p))
                        }
                        None => format!(
                            "there is no parameter '{}'; parameter paths look like \
                         `stream.<name>.incidence` (see docs/scenario-format.md)",
                            clip(p)
                        ),
                    },
                ),
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

    pub(super) fn matrix(&mut self, o: &Obj<'_>) -> Option<Vec<Vec<f64>>> {
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
