//! The `[prevention]` and `[budget]` sections: the prevention budget and
//! its ramp-up, the ceiling, mode and policy, reserve and shares.

use crate::model::{Budget, BudgetMode, Param, ParamSpec, Policy, Prevention, Stream};

use crate::scenario::diag::{clip, unknown};
use crate::scenario::param::{Builder, Spec, dom, rounded};
use crate::scenario::tree::{Table, Val};
use crate::scenario::walk::Obj;

const PREVENTION_KEYS: &[&str] = &["budget", "budget_before", "ramp_up_months"];
const BUDGET_KEYS: &[&str] = &[
    "ceiling",
    "indexation",
    "mode",
    "shares",
    "policy",
    "wait_escalation_factor",
    "reserve_initial",
    "reserve_cap",
    "reinvest_share",
];

impl Builder<'_, '_> {
    pub(super) fn prevention(
        &mut self,
        root: &Obj<'_>,
        base_budget: Option<&ParamSpec>,
    ) -> Prevention {
        let empty = Table::default();
        let p = self
            .table(root, "prevention", None)
            .unwrap_or_else(|| Obj::absent(&empty, 0, "prevention"));
        self.check_keys(&p, PREVENTION_KEYS);
        let money = dom(0.0, 1e10, Some(0.0));
        let budget = self.param(&p, "budget", money);
        let budget_before = if p.entry("budget_before").is_some() {
            self.param(&p, "budget_before", money)
        } else {
            // The spend in place before the start: the base's budget, drawn
            // from the same random stream.
            let own = self.params.get(budget).clone();
            let bad = self.bad[budget.idx()];
            let from = base_budget.unwrap_or(&own);
            self.register(
                ParamSpec {
                    path: p.key("budget_before"),
                    dist: from.dist.clone(),
                    source: from.source.clone(),
                    line: 0,
                    draw_path: Some(from.draw_key().to_string()),
                },
                bad && base_budget.is_none(),
            )
        };
        let ramp_up_months = self.param(&p, "ramp_up_months", dom(0.0, 600.0, Some(12.0)));
        Prevention {
            budget,
            budget_before,
            ramp_up_months,
        }
    }

    pub(super) fn budget(&mut self, root: &Obj<'_>, streams: &[Stream]) -> Budget {
        let empty = Table::default();
        let b = self
            .table(
                root,
                "budget",
                Some("the ceiling: add a [budget] section with `ceiling`"),
            )
            .unwrap_or_else(|| Obj::absent(&empty, 0, "budget"));
        self.check_keys(&b, BUDGET_KEYS);
        let money = dom(0.0, 1e11, Some(0.0));
        let ceiling = self.param(&b, "ceiling", dom(0.0, 1e11, None));
        let indexation = self.param(&b, "indexation", dom(-0.5, 1.0, Some(0.0)));
        let siloed = self.choice(&b, "mode", &["pooled", "siloed"]) == "siloed";
        let shares = self.shares(&b, streams, siloed);
        let mode = match shares {
            Some(shares) if siloed => BudgetMode::Siloed { shares },
            _ => BudgetMode::Pooled,
        };
        let waitlist = self.choice(&b, "policy", &["overspend", "waitlist"]) == "waitlist";
        let factor = dom(1.0, 100.0, Some(1.5));
        let policy = if waitlist {
            Policy::Waitlist {
                wait_escalation_factor: self.param(&b, "wait_escalation_factor", factor),
            }
        } else {
            // Unused: checked, but not registered.
            self.check_unused(&b, "wait_escalation_factor", factor);
            Policy::Overspend
        };
        Budget {
            ceiling,
            indexation,
            mode,
            policy,
            reserve_initial: self.param(&b, "reserve_initial", money),
            reserve_cap: self.param(&b, "reserve_cap", money),
            reinvest_share: self.param(&b, "reinvest_share", dom(0.0, 1.0, Some(0.0))),
        }
    }

    /// The streams' prevention shares divide the prevention budget: when
    /// anything can be spent on prevention (a budget, the spend before the
    /// start, reinvested surpluses), they must add up to 1. Skipped when a
    /// share was rejected already.
    pub(super) fn check_prevention_shares(
        &mut self,
        root: &Obj<'_>,
        streams: &[Stream],
        prevention: &Prevention,
        budget: &Budget,
    ) {
        let mut sum = 0.0;
        for s in streams {
            match self.fixed_value(s.prevention.share) {
                Some(v) => sum += v,
                None => return,
            }
        }
        let may_spend = [
            prevention.budget,
            prevention.budget_before,
            budget.reinvest_share,
        ]
        .iter()
        .any(|&p| self.params.get(p).dist.support().1 > 0.0);
        if (sum - 1.0).abs() <= 1e-6 || (!may_spend && sum == 0.0) {
            return;
        }
        let shares = streams
            .iter()
            .filter_map(|s| {
                let v = self.fixed_value(s.prevention.share)?;
                Some(format!("{} {}", s.name, crate::dist::Num(v)))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let at = root
            .entry("prevention")
            .map(|e| match &e.node.val {
                Val::Table(t) => t
                    .get("budget")
                    .map_or(e.node.span.start, |b| b.node.span.start),
                _ => e.node.span.start,
            })
            .unwrap_or(0);
        let message = format!(
            "the streams' prevention shares (`stream.<name>.prevention.share`) add up to {}, \
             they must add up to 1 to divide the prevention budget ({shares})",
            rounded(sum)
        );
        self.error(at, "prevention.budget", message);
    }

    /// Checks a parameter that the model does not use, without registering it.
    pub(super) fn check_unused(&mut self, o: &Obj<'_>, key: &str, spec: Spec) {
        let saved = self.params.len();
        self.param(o, key, spec);
        self.params.specs.truncate(saved);
        self.bad.truncate(saved);
    }

    /// The shares of a siloed budget, one per stream in stream order
    /// (registered only when `siloed`). `None` when unusable.
    pub(super) fn shares(
        &mut self,
        b: &Obj<'_>,
        streams: &[Stream],
        siloed: bool,
    ) -> Option<Vec<Param>> {
        let table = self.table(b, "shares", None);
        let Some(t) = table else {
            if siloed && b.entry("shares").is_none() {
                self.missing(
                    b,
                    "shares",
                    "mode = \"siloed\" needs a share of the ceiling for every stream, \
                     e.g. shares = { wmo = 0.4, jeugdhulp = 0.6 }",
                );
            }
            return None;
        };
        let names: Vec<&str> = streams
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        for e in &t.table.entries {
            if self.checks(e) && !names.contains(&e.key.as_str()) {
                let message = unknown(
                    &format!("there is no stream named '{}'", clip(&e.key)),
                    &e.key,
                    &names,
                    "streams",
                );
                self.error(e.key_span.start, &t.key(&e.key), message);
            }
        }
        let saved = self.params.len();
        let spec = Spec {
            fixed_only: true,
            ..dom(0.0, 1.0, None)
        };
        let mut shares = Vec::with_capacity(streams.len());
        let mut sum = 0.0;
        let mut complete = true;
        for s in streams {
            if s.name.is_empty() {
                complete = false;
                continue;
            }
            if t.entry(&s.name).is_none() {
                if siloed {
                    let message = format!(
                        "stream '{}' has no share: with mode = \"siloed\" every stream needs one",
                        s.name
                    );
                    self.error(t.at, &t.key(&s.name), message);
                }
                complete = false;
                continue;
            }
            let p = self.param(&t, &s.name, spec);
            match self.fixed_value(p) {
                Some(v) => sum += v,
                None => complete = false,
            }
            shares.push(p);
        }
        if siloed && complete && (sum - 1.0).abs() > 1e-6 {
            let message = format!(
                "the shares add up to {}, they must add up to 1",
                crate::dist::Num(sum)
            );
            self.error(t.at, &t.path, message);
        }
        if !siloed {
            // Allowed but unused with a pooled budget: checked, not registered.
            self.params.specs.truncate(saved);
            self.bad.truncate(saved);
            return None;
        }
        Some(shares)
    }
}
