//! Charts: drawn once with plotters onto an SVG string and a 1600×900 PNG,
//! in memory, with text from a font embedded in the binary.
//!
//! The infrastructure here is shared by every chart: [`init_fonts`], the
//! house style ([`style`]), the frame (a title that states the finding, a
//! legend beside the plot so it never covers data, a source line) and
//! [`render`], which draws a [`Plot`] onto both backends and returns a
//! [`Chart`]. [`for_summary`] makes the charts of a run from its
//! [`Summary`](crate::results::Summary) alone, so they can be drawn again from `summary.json`;
//! [`for_allocation`] those of `allocate` from its `Allocation`.

pub mod allocation;
pub mod sensitivity;
pub mod style;
mod summary;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;

pub use allocation::for_allocation;
pub use sensitivity::for_sensitivity;
pub use summary::for_summary;

use style::{FONT, Mark};

/// Width and height of the PNG, in pixels (the SVG has the same view box).
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

/// One chart, drawn twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File-name stem: lower-case letters, digits and `-` (`fan-1-huidig-beleid`).
    pub id: String,
    /// The title as drawn: the chart's finding in one sentence.
    pub title: String,
    /// The SVG document (for the report).
    pub svg: String,
    /// The PNG file, 1600×900 (for slides).
    pub png: Vec<u8>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("the embedded font could not be loaded")]
    Font,
    #[error("drawing chart {chart}: {message}")]
    Draw { chart: String, message: String },
    #[error("encoding chart {chart} as PNG: {message}")]
    Png { chart: String, message: String },
}

/// A drawing error without the chart's name yet (added by [`render`]).
#[derive(Debug, Clone)]
pub struct DrawError(pub String);

/// Turns any plotters error into a [`DrawError`] with `?`.
pub trait OrDraw<T> {
    fn or_draw(self) -> Result<T, DrawError>;
}

impl<T, E: std::fmt::Display> OrDraw<T> for Result<T, E> {
    fn or_draw(self) -> Result<T, DrawError> {
        self.map_err(|e| DrawError(e.to_string()))
    }
}

/// Registers the embedded DejaVu Sans (regular and bold) as plotters'
/// `sans-serif`, once; every chart calls it, so callers need not.
pub fn init_fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// The inside of a chart: draws onto the plot area the frame leaves.
pub trait Plot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), DrawError>;
}

/// What surrounds the plot: title, legend and source line.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub title: String,
    /// Shown right of the plot; none leaves the plot the full width.
    pub legend: Vec<(String, Mark)>,
    /// The source line at the bottom (see [`style::source_line`]).
    pub source: String,
}

impl Frame {
    /// A frame whose title starts with a capital (a title may start with a
    /// variant's name written in lower case).
    pub fn new(title: &str, legend: Vec<(String, Mark)>, source: String) -> Self {
        Self {
            title: style::capitalized(title),
            legend,
            source,
        }
    }
}

/// Draws `plot` in `frame` onto an SVG and a 1600×900 bitmap.
pub fn render<P: Plot>(id: &str, frame: &Frame, plot: &P) -> Result<Chart, ChartError> {
    init_fonts()?;
    let draw_err = |e: DrawError| ChartError::Draw {
        chart: id.to_string(),
        message: e.0,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_all(&root, frame, plot).map_err(draw_err)?;
        root.present().or_draw().map_err(draw_err)?;
    }
    let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        draw_all(&root, frame, plot).map_err(draw_err)?;
        root.present().or_draw().map_err(draw_err)?;
    }
    let png = encode_png(&rgb, WIDTH, HEIGHT).map_err(|e| ChartError::Png {
        chart: id.to_string(),
        message: e.to_string(),
    })?;
    Ok(Chart {
        id: id.to_string(),
        title: frame.title.clone(),
        svg,
        png,
    })
}

fn draw_all<DB: DrawingBackend, P: Plot>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    plot: &P,
) -> Result<(), DrawError> {
    let area = style::draw_frame(root, frame)?;
    plot.draw(&area)
}

/// PNG bytes of an RGB buffer.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// A file-name stem from a name: lower-case ASCII letters, digits and `-`,
/// at most 40 characters, never empty.
pub fn slug(name: &str) -> String {
    crate::locale::file_stem(&name.replace('_', " "), 40).unwrap_or_else(|| "x".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Huidig beleid"), "huidig-beleid");
        assert_eq!(slug("<script>&"), "script");
        assert_eq!(slug("../.."), "x");
        assert!(slug(&"é".repeat(100)).len() <= 40);
    }
}
