//! PowerPoint export: the map as native, editable slides. Every card, stage band, lane
//! header, divider and the emotion curve is a shape with real text, placed from the
//! `MapLayout` (not from pixels), each text line one paragraph with exact spacing, so
//! PowerPoint never re-wraps it. The OOXML parts are written here (`parts`) into a zip
//! with fixed timestamps: one map gives the same bytes every time. The map travels
//! inside the package as its own part.

mod parts;
mod slide;

use super::ExportError;
use crate::model::{Map, ThemeMode, format};
use crate::render::layout::{LayoutOptions, MapLayout};
use crate::render::present::{self, Step};
use crate::render::text::Measure;
use crate::render::theme::Theme;
pub use slide::{SLIDE_EMU, SlideXml, stage_parts};

/// Where the map sits inside a package.
pub const MAP_PART: &str = "journeymap/map.json";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PptxSlides {
    /// The presentation's steps: title, overview, a slide per stage, summary.
    #[default]
    Storyboard,
    /// One slide holding the whole map.
    Map,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PptxOptions {
    pub slides: PptxSlides,
    pub mode: Option<ThemeMode>,
}

/// One slide's shapes, its name (for the package's titles) and its speaker notes.
pub struct Slide {
    pub xml: SlideXml,
    pub notes: String,
}

/// The slides of `map`, as `options` asks.
pub fn slides(map: &Map, options: &PptxOptions) -> Vec<Slide> {
    let mut measure = Measure::new();
    let layout = MapLayout::compute(map, &mut measure, LayoutOptions::default());
    let theme = Theme::for_map(&map.theme, options.mode);
    let steps = match options.slides {
        PptxSlides::Map => vec![Step::Overview],
        PptxSlides::Storyboard => present::storyboard_without_reveals(map),
    };
    let text = present::SlideText::new(map, &mut measure);
    (steps.into_iter())
        .flat_map(|step| slide::step(map, &layout, &theme, &text, step))
        .collect()
}

/// How many slides [`slides`] gives, without writing them.
pub fn slide_count(map: &Map, options: &PptxOptions) -> usize {
    match options.slides {
        PptxSlides::Map => 1,
        PptxSlides::Storyboard => {
            let layout = MapLayout::compute(map, &mut Measure::new(), LayoutOptions::default());
            let stages: usize = (0..map.stages.len())
                .map(|stage| stage_parts(&layout, stage).1.len())
                .sum();
            3 + stages
        }
    }
}

/// The `.pptx` file of `map`.
pub fn render(map: &Map, options: &PptxOptions) -> Result<Vec<u8>, ExportError> {
    let slides = slides(map, options);
    let theme = Theme::for_map(&map.theme, options.mode);
    parts::package(map, &slides, &theme, &format::to_json(map))
        .map_err(|err| ExportError::Options(format!("the PowerPoint file: {err}")))
}

/// Why a `.pptx` gave no map.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PptxError(pub String);

/// Whether `bytes` start as a zip file does (a `.pptx` is one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The map inside a `.pptx` journeymap wrote, read within limits: a package that is
/// not a zip, holds no map, has a part named outside it, or would unpack to too much
/// is refused.
pub fn read_map_json(bytes: &[u8]) -> Result<String, PptxError> {
    parts::read_map(bytes).map_err(PptxError)
}

#[cfg(test)]
mod tests;
