//! The types of a validated municipality file (`wijkbudget allocate`): the
//! municipal budget, the pool rule, the pool sizes and needs weights to
//! compare, and the areas with their models and characteristics. The
//! municipality reader builds them; the allocation reads them.

use serde::{Deserialize, Serialize};

use super::Model;

/// A named characteristic of an area (a count such as single-parent
/// households), used by the needs-weighted key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Characteristic {
    pub name: String,
    pub value: f64,
}

/// Where an area's model comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaSource {
    /// Written in the municipality file over the shared stream definitions.
    Inline,
    /// The baseline of a scenario file (path as written).
    Scenario(String),
}

/// What happens when an area's budget runs out (the municipality's rule for
/// every area).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolPolicy {
    Overspend,
    Waitlist,
}

/// One area: its model (with the municipality's budget rules applied) and
/// its characteristics for the keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Identifier (a-z, 0-9, _).
    pub name: String,
    pub label: String,
    pub source: AreaSource,
    pub inhabitants: f64,
    /// Households at the start (the sum of the strata's mean households).
    pub households: f64,
    /// Last year's spend on the covered streams, in euros.
    pub last_year_spend: Option<f64>,
    pub counts: Vec<Characteristic>,
    pub model: Model,
}

impl Area {
    /// A characteristic's value: `inhabitants`, `households` or a count.
    pub fn count(&self, name: &str) -> Option<f64> {
        match name {
            "inhabitants" => Some(self.inhabitants),
            "households" => Some(self.households),
            _ => self.counts.iter().find(|c| c.name == name).map(|c| c.value),
        }
    }
}

/// A validated municipality file.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    pub name: String,
    pub description: String,
    pub start_year: i32,
    pub horizon_years: u32,
    pub replications: u32,
    pub seed: u64,
    /// The municipal budget for the covered streams in the first year, in
    /// euros; later years follow the indexation.
    pub total: f64,
    pub policy: PoolPolicy,
    /// The streams the budget covers (empty: all streams of the areas).
    pub streams: Vec<String>,
    /// Pool sizes to compare (empty: the default ladder).
    pub pool_sizes: Vec<f64>,
    /// Weights of the needs-weighted key, by characteristic.
    pub needs_weights: Option<Vec<(String, f64)>>,
    pub areas: Vec<Area>,
}
