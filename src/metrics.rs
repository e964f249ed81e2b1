//! The catalogue of per-year outputs of one replication, laid out as one flat row.
//!
//! The engine writes, for every replication and year, one row of `f64` in the
//! order given by a [`Layout`]; statistics, exports and sensitivity analysis
//! address the columns by name, so adding an output is adding a column here.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// What a column measures, for formatting and for reading the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Euro,
    Count,
    /// An indicator (0 or 1) whose mean is a probability.
    Probability,
}

/// How a column is aggregated from years to the whole horizon, per replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Agg {
    /// Sum over the years (spend, counts of events).
    Sum,
    /// Mean over the years (stocks such as clients in care).
    Mean,
    /// The value in the last year (balances).
    Last,
    /// The maximum over the years (indicators: "in any year").
    Max,
}

/// One column of a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDef {
    /// Column key, unique in the layout, e.g. `spend.jeugdhulp` or
    /// `clients.jeugdhulp.verblijf`.
    pub key: String,
    /// The metric's name without stream or level, e.g. `clients`.
    pub name: Cow<'static, str>,
    pub stream: Option<String>,
    pub level: Option<String>,
    pub unit: Unit,
    pub horizon: Agg,
}

/// Names and units of the totals, in column order.
const TOTALS: &[(&str, Unit, Agg)] = &[
    ("total_cost", Unit::Euro, Agg::Sum),
    ("care_spend", Unit::Euro, Agg::Sum),
    ("team_spend", Unit::Euro, Agg::Sum),
    ("prevention_spend", Unit::Euro, Agg::Sum),
    ("ceiling", Unit::Euro, Agg::Sum),
    ("deficit", Unit::Euro, Agg::Sum),
    ("reserve_draw", Unit::Euro, Agg::Sum),
    ("overrun", Unit::Euro, Agg::Sum),
    ("overrun_flag", Unit::Probability, Agg::Max),
    ("reserve_end", Unit::Euro, Agg::Last),
    ("reinvested", Unit::Euro, Agg::Sum),
    ("households", Unit::Count, Agg::Mean),
    ("new_needs", Unit::Count, Agg::Sum),
    ("escalations", Unit::Count, Agg::Sum),
    ("waiting_end", Unit::Count, Agg::Last),
    ("waiting_months", Unit::Count, Agg::Sum),
];

/// Per-stream metrics, in column order within a stream.
const PER_STREAM: &[(&str, Unit, Agg)] = &[
    ("spend", Unit::Euro, Agg::Sum),
    ("team_spend", Unit::Euro, Agg::Sum),
    ("ceiling", Unit::Euro, Agg::Sum),
    ("overrun", Unit::Euro, Agg::Sum),
    ("new_needs", Unit::Count, Agg::Sum),
    ("relapses", Unit::Count, Agg::Sum),
    ("escalations", Unit::Count, Agg::Sum),
    ("waiting_end", Unit::Count, Agg::Last),
    ("waiting_months", Unit::Count, Agg::Sum),
];

/// Column indices of the totals.
pub mod col {
    pub const TOTAL_COST: usize = 0;
    pub const CARE_SPEND: usize = 1;
    pub const TEAM_SPEND: usize = 2;
    pub const PREVENTION_SPEND: usize = 3;
    pub const CEILING: usize = 4;
    pub const DEFICIT: usize = 5;
    pub const RESERVE_DRAW: usize = 6;
    pub const OVERRUN: usize = 7;
    pub const OVERRUN_FLAG: usize = 8;
    pub const RESERVE_END: usize = 9;
    pub const REINVESTED: usize = 10;
    pub const HOUSEHOLDS: usize = 11;
    pub const NEW_NEEDS: usize = 12;
    pub const ESCALATIONS: usize = 13;
    pub const WAITING_END: usize = 14;
    pub const WAITING_MONTHS: usize = 15;
}

/// Offsets of the per-stream metrics within a stream's block.
pub mod stream_col {
    pub const SPEND: usize = 0;
    pub const TEAM_SPEND: usize = 1;
    pub const CEILING: usize = 2;
    pub const OVERRUN: usize = 3;
    pub const NEW_NEEDS: usize = 4;
    pub const RELAPSES: usize = 5;
    pub const ESCALATIONS: usize = 6;
    pub const WAITING_END: usize = 7;
    pub const WAITING_MONTHS: usize = 8;
}

/// The columns of one replication-year row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub defs: Vec<MetricDef>,
    /// First column of each stream's block.
    stream_base: Vec<usize>,
    /// First `clients` column of each stream (one per level).
    clients_base: Vec<usize>,
}

impl Layout {
    /// The layout for streams given as (name, level names).
    pub fn new(streams: &[(String, Vec<String>)]) -> Self {
        let mut defs: Vec<MetricDef> = TOTALS
            .iter()
            .map(|&(name, unit, horizon)| MetricDef {
                key: name.to_string(),
                name: Cow::Borrowed(name),
                stream: None,
                level: None,
                unit,
                horizon,
            })
            .collect();
        let mut stream_base = Vec::with_capacity(streams.len());
        for (s, _) in streams {
            stream_base.push(defs.len());
            for &(name, unit, horizon) in PER_STREAM {
                defs.push(MetricDef {
                    key: format!("{name}.{s}"),
                    name: Cow::Borrowed(name),
                    stream: Some(s.clone()),
                    level: None,
                    unit,
                    horizon,
                });
            }
        }
        let mut clients_base = Vec::with_capacity(streams.len());
        for (s, levels) in streams {
            clients_base.push(defs.len());
            for l in levels {
                defs.push(MetricDef {
                    key: format!("clients.{s}.{l}"),
                    name: Cow::Borrowed("clients"),
                    stream: Some(s.clone()),
                    level: Some(l.clone()),
                    unit: Unit::Count,
                    horizon: Agg::Mean,
                });
            }
        }
        Self {
            defs,
            stream_base,
            clients_base,
        }
    }

    /// The layout of a model.
    pub fn of(model: &crate::model::Model) -> Self {
        let streams: Vec<(String, Vec<String>)> = model
            .streams
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.levels.iter().map(|l| l.name.clone()).collect(),
                )
            })
            .collect();
        Self::new(&streams)
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.defs.len()
    }

    /// Column of per-stream metric `offset` (see [`stream_col`]) of stream `k`.
    #[inline]
    pub fn stream(&self, k: usize, offset: usize) -> usize {
        self.stream_base[k] + offset
    }

    /// Column of the mean number of clients of stream `k` at level `l`.
    #[inline]
    pub fn clients(&self, k: usize, l: usize) -> usize {
        self.clients_base[k] + l
    }

    /// Column of a key, if present.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.defs.iter().position(|d| d.key == key)
    }

    /// Aggregates the year rows of one replication into one horizon row.
    pub fn aggregate(&self, years: &[f64], out: &mut [f64]) {
        let w = self.width();
        let n_years = years.len() / w;
        for (c, def) in self.defs.iter().enumerate() {
            let column = (0..n_years).map(|y| years[y * w + c]);
            out[c] = match def.horizon {
                Agg::Sum => column.sum(),
                Agg::Mean => column.sum::<f64>() / n_years.max(1) as f64,
                Agg::Last => n_years.checked_sub(1).map_or(0.0, |y| years[y * w + c]),
                Agg::Max => column.fold(f64::NEG_INFINITY, f64::max).max(0.0),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::new(&[
            ("wmo".into(), vec!["basis".into(), "maatwerk".into()]),
            (
                "jeugd".into(),
                vec!["basis".into(), "ambulant".into(), "verblijf".into()],
            ),
        ])
    }

    #[test]
    fn keys_are_unique_and_indices_agree() {
        let l = layout();
        let mut keys: Vec<&str> = l.defs.iter().map(|d| d.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), l.width());
        assert_eq!(l.defs[col::OVERRUN].key, "overrun");
        assert_eq!(l.defs[col::WAITING_MONTHS].key, "waiting_months");
        assert_eq!(l.defs[l.stream(1, stream_col::SPEND)].key, "spend.jeugd");
        assert_eq!(
            l.defs[l.stream(0, stream_col::WAITING_MONTHS)].key,
            "waiting_months.wmo"
        );
        assert_eq!(l.defs[l.clients(1, 2)].key, "clients.jeugd.verblijf");
        assert_eq!(l.find("clients.wmo.maatwerk"), Some(l.clients(0, 1)));
    }

    #[test]
    fn aggregation_follows_each_columns_rule() {
        let l = layout();
        let w = l.width();
        let mut years = vec![0.0; 3 * w];
        for y in 0..3 {
            years[y * w + col::TOTAL_COST] = (y + 1) as f64;
            years[y * w + col::OVERRUN_FLAG] = if y == 1 { 1.0 } else { 0.0 };
            years[y * w + col::RESERVE_END] = 10.0 * (y + 1) as f64;
            years[y * w + l.clients(0, 1)] = 3.0 * y as f64;
        }
        let mut out = vec![0.0; w];
        l.aggregate(&years, &mut out);
        assert_eq!(out[col::TOTAL_COST], 6.0);
        assert_eq!(out[col::OVERRUN_FLAG], 1.0);
        assert_eq!(out[col::RESERVE_END], 30.0);
        assert_eq!(out[l.clients(0, 1)], 3.0);
    }
}
