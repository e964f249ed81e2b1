//! Scenario parsing (temporary stub: replaced by the real parser).
use crate::model::Scenario;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<String>);
impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.0.join("\n"))
    }
}
pub fn parse(_text: &str, file: &str) -> Result<Scenario, Diagnostics> {
    Err(Diagnostics(vec![format!("{file}: parser not built yet")]))
}
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Scenario, Diagnostics> {
    parse(std::str::from_utf8(bytes).unwrap_or(""), file)
}
