//! The `[[stratum]]` and `[[stream]]` sections: household types, and the
//! streams with their risk, relapse, care levels and prevention effects.

use crate::model::{Level, Param, Payer, Relapse, Stratum, Stream, StreamPrevention};

use super::{MAX_LEVELS, MAX_STRATA, MAX_STREAMS};
use crate::scenario::diag::{clip, unknown};
use crate::scenario::param::{Builder, Spec, dom};
use crate::scenario::tree::Table;
use crate::scenario::walk::{MAX_NAME_CHARS, Obj};

const STRATUM_KEYS: &[&str] = &["name", "label", "households", "growth"];
const STREAM_KEYS: &[&str] = &[
    "name",
    "label",
    "incidence",
    "early_signal_share",
    "price_index",
    "risk",
    "relapse",
    "level",
    "prevention",
];
const RELAPSE_KEYS: &[&str] = &["rate", "window_months"];
const LEVEL_KEYS: &[&str] = &[
    "name",
    "label",
    "paid_by",
    "cost_per_month",
    "mean_duration_months",
    "escalation",
];
const STREAM_PREVENTION_KEYS: &[&str] = &[
    "share",
    "saturation",
    "case_finding",
    "early_signal",
    "escalation",
    "relapse",
];

impl Builder<'_, '_> {
    pub(super) fn strata(&mut self, root: &Obj<'_>) -> Vec<Stratum> {
        let elements = self.elements(root, "stratum", ("stratum", "strata"), (1, MAX_STRATA));
        let mut strata = Vec::with_capacity(elements.len());
        for (name, o) in elements {
            self.check_keys(&o, STRATUM_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&o, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let households = self.param(&o, "households", dom(0.0, 1e8, None));
            let growth = self.param(&o, "growth", dom(-0.5, 0.5, Some(0.0)));
            strata.push(Stratum {
                name,
                label,
                households,
                growth,
            });
        }
        strata
    }

    pub(super) fn streams(&mut self, root: &Obj<'_>, strata: &[Stratum]) -> Vec<Stream> {
        let elements = self.elements(root, "stream", ("stream", "streams"), (1, MAX_STREAMS));
        let mut streams = Vec::with_capacity(elements.len());
        for (name, o) in elements {
            self.check_keys(&o, STREAM_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&o, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let incidence = self.param(&o, "incidence", dom(0.0, 5.0, None));
            let early_signal_share = self.param(&o, "early_signal_share", dom(0.0, 1.0, Some(0.0)));
            let price_index = self.param(&o, "price_index", dom(-0.5, 1.0, Some(0.0)));
            let risk = self.risk(&o, strata);
            let relapse = self.relapse(&o);
            let levels = self.levels(&o);
            let prevention = self.stream_prevention(&o);
            streams.push(Stream {
                name,
                label,
                incidence,
                early_signal_share,
                risk,
                price_index,
                relapse,
                levels,
                prevention,
            });
        }
        streams
    }

    /// One multiplier per stratum, in stratum order; 1 where not given.
    pub(super) fn risk(&mut self, o: &Obj<'_>, strata: &[Stratum]) -> Vec<Param> {
        let spec = dom(0.0, 100.0, Some(1.0));
        let names: Vec<&str> = strata
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        let table = self.table(o, "risk", None);
        if let Some(t) = &table {
            for e in &t.table.entries {
                if self.checks(e) && !names.contains(&e.key.as_str()) {
                    let message = unknown(
                        &format!("there is no stratum named '{}'", clip(&e.key)),
                        &e.key,
                        &names,
                        "strata",
                    );
                    self.error(e.key_span.start, &t.key(&e.key), message);
                }
            }
        }
        let empty = Table::default();
        let risk = table.unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("risk")));
        strata
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.name.is_empty() {
                    // A stratum without a valid name: keep the slot.
                    self.placeholder(risk.key(&format!("[{}]", i + 1)), spec)
                } else {
                    self.param(&risk, &s.name, spec)
                }
            })
            .collect()
    }

    pub(super) fn relapse(&mut self, o: &Obj<'_>) -> Relapse {
        let empty = Table::default();
        let r = self
            .table(o, "relapse", None)
            .unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("relapse")));
        self.check_keys(&r, RELAPSE_KEYS);
        Relapse {
            rate: self.param(&r, "rate", dom(0.0, 1.0, Some(0.0))),
            window_months: self.param(&r, "window_months", dom(1.0, 600.0, Some(12.0))),
        }
    }

    pub(super) fn levels(&mut self, o: &Obj<'_>) -> Vec<Level> {
        let elements = self.elements(o, "level", ("level", "levels"), (1, MAX_LEVELS));
        let n = elements.len();
        let mut levels = Vec::with_capacity(n);
        for (i, (name, l)) in elements.into_iter().enumerate() {
            self.check_keys(&l, LEVEL_KEYS);
            let name = name.unwrap_or_default().to_string();
            let label = self
                .text(&l, "label", None, MAX_NAME_CHARS, false)
                .unwrap_or_else(|| name.clone());
            let paid_by = match self.choice(&l, "paid_by", &["stream", "team"]) {
                "team" => Payer::Team,
                _ => Payer::Stream,
            };
            let cost_per_month = self.param(&l, "cost_per_month", dom(0.0, 1e6, None));
            let mean_duration_months =
                self.param(&l, "mean_duration_months", dom(1.0, 1200.0, None));
            let escalation = self.param(&l, "escalation", dom(0.0, 1.0, Some(0.0)));
            if i + 1 == n
                && !self.bad[escalation.idx()]
                && self.fixed_value(escalation) != Some(0.0)
                && let Some(e) = l.entry("escalation")
            {
                let message = format!(
                    "must be 0 on the top level ('{}'): there is no higher level to escalate to",
                    clip(&name)
                );
                self.error(e.node.span.start, &l.key("escalation"), message);
                self.bad[escalation.idx()] = true;
            }
            levels.push(Level {
                name,
                label,
                paid_by,
                cost_per_month,
                mean_duration_months,
                escalation,
            });
        }
        levels
    }

    pub(super) fn stream_prevention(&mut self, o: &Obj<'_>) -> StreamPrevention {
        let empty = Table::default();
        let p = self
            .table(o, "prevention", None)
            .unwrap_or_else(|| Obj::absent(&empty, o.at, o.key("prevention")));
        self.check_keys(&p, STREAM_PREVENTION_KEYS);
        let share = Spec {
            fixed_only: true,
            ..dom(0.0, 1.0, Some(0.0))
        };
        StreamPrevention {
            share: self.param(&p, "share", share),
            saturation: self.param(&p, "saturation", dom(1e-9, 1e6, Some(50.0))),
            case_finding: self.param(&p, "case_finding", dom(0.0, 10.0, Some(0.0))),
            early_signal: self.param(&p, "early_signal", dom(0.0, 1.0, Some(0.0))),
            escalation: self.param(&p, "escalation", dom(0.0, 1.0, Some(0.0))),
            relapse: self.param(&p, "relapse", dom(0.0, 1.0, Some(0.0))),
        }
    }
}
