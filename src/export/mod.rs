//! Exporters: each turns a [`Summary`] (and, for per-replication tables, the
//! kept replications) into the bytes of one or more files. The caller writes them,
//! atomically; nothing here touches the file system.

pub mod console;
pub mod csv;
pub mod json;
#[cfg(feature = "render")]
pub mod xlsx;

use crate::locale::Lang;
use crate::results::{Kept, Summary};

/// One output file: its name inside the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Errors while encoding an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("encoding {file}: {source}")]
    Csv {
        file: &'static str,
        #[source]
        source: ::csv::Error,
    },
    #[error("encoding JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[cfg(feature = "render")]
    #[error("encoding resultaten.xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Turns the results of a run into files.
pub trait Exporter {
    fn export(&self, summary: &Summary, kept: &[Kept]) -> Result<Vec<OutputFile>, ExportError>;
}

/// The exporters every run uses; `lang` is the language of the files for
/// people (the workbook, with the feature `render`), not of the
/// machine-readable ones.
pub fn all(lang: Lang) -> Vec<Box<dyn Exporter>> {
    #[cfg(not(feature = "render"))]
    let _ = lang;
    vec![
        Box::new(json::Json),
        Box::new(csv::Csv),
        #[cfg(feature = "render")]
        Box::new(xlsx::Xlsx { lang }),
    ]
}
