//! Exporters: each turns a result (a run's [`Summary`] with its kept
//! replications, a sensitivity analysis's `Report`, an `Allocation`) into the
//! bytes of one or more files, behind one [`Exporter`] trait; and the console
//! tables. The caller writes them, atomically; nothing here touches the file
//! system.

pub mod allocation;
pub mod console;
pub mod csv;
pub mod json;
pub mod sensitivity;
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

/// Turns a result of kind `R` into files: [`Run`] for a run,
/// `sensitivity::Report`, `allocation::Allocation`.
pub trait Exporter<R: ?Sized> {
    fn export(&self, result: &R) -> Result<Vec<OutputFile>, ExportError>;
}

/// What a run's exporters read: its summary and the kept replications (for
/// the per-replication tables).
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub summary: &'a Summary,
    pub kept: &'a [Kept],
}

/// An exporter of a run's results.
pub type RunExporter = dyn for<'a> Exporter<Run<'a>>;

/// The exporters every run uses; `lang` is the language of the files for
/// people (the workbook, with the feature `render`), not of the
/// machine-readable ones.
pub fn all(lang: Lang) -> Vec<Box<RunExporter>> {
    #[cfg(not(feature = "render"))]
    let _ = lang;
    vec![
        Box::new(json::Json),
        Box::new(csv::Csv),
        #[cfg(feature = "render")]
        Box::new(xlsx::Xlsx { lang }),
    ]
}
