//! `summary.json`: the whole [`Summary`], for machines (schema in docs/output.md).

use super::{ExportError, Exporter, OutputFile};
use crate::results::{Kept, Summary};

/// Writes `summary.json`.
pub struct Json;

impl Exporter for Json {
    fn export(&self, summary: &Summary, _: &[Kept]) -> Result<Vec<OutputFile>, ExportError> {
        let mut bytes = serde_json::to_vec_pretty(summary)?;
        bytes.push(b'\n');
        Ok(vec![OutputFile {
            name: "summary.json".into(),
            bytes,
        }])
    }
}
