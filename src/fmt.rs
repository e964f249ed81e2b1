//! Number formatting (temporary stub: replaced by the full module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}
pub fn euro(x: f64, _lang: Lang) -> String {
    format!("€ {x:.0}")
}
pub fn percent(p: f64, d: usize, _lang: Lang) -> String {
    format!("{:.*}%", d, p * 100.0)
}
