//! `summary.json`: the whole [`Summary`](crate::results::Summary), for machines (schema in docs/output.md).

use super::{ExportError, Exporter, OutputFile, Run};

/// Writes `summary.json`.
pub struct Json;

impl Exporter<Run<'_>> for Json {
    fn export(&self, run: &Run<'_>) -> Result<Vec<OutputFile>, ExportError> {
        let mut bytes = serde_json::to_vec_pretty(run.summary)?;
        bytes.push(b'\n');
        Ok(vec![OutputFile {
            name: "summary.json".into(),
            bytes,
        }])
    }
}
