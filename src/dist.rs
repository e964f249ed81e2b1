//! Probability distributions (temporary stub: replaced by the full module).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Dist {
    Fixed { value: f64 },
    Uniform { min: f64, max: f64 },
}
impl Dist {
    pub fn fixed(value: f64) -> Result<Self, String> {
        Ok(Dist::Fixed { value })
    }
    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        Ok(Dist::Uniform { min, max })
    }
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { min, max } => min + u * (max - min),
        }
    }
    pub fn mean(&self) -> f64 {
        self.quantile(0.5)
    }
    pub fn is_fixed(&self) -> bool {
        matches!(self, Dist::Fixed { .. })
    }
    pub fn kind(&self) -> &'static str {
        if self.is_fixed() { "fixed" } else { "uniform" }
    }
    pub fn describe(&self) -> String {
        format!("{self:?}")
    }
}
pub fn std_normal_cdf(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}
pub fn std_normal_quantile(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}
