//! What an export shows and how: scale, padding, background, theme, range, slide.

use super::ExportError;
use super::vector::pdf::PdfOptions;
use crate::model::{CardId, Color, LaneId, Map, ThemeMode};
use crate::render::layout::LayoutOptions;
use crate::render::theme::{self, Theme};
use egui::{Color32, Vec2, vec2};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportOptions {
    /// Pixels per point: 1..=4.
    pub scale: f32,
    /// Space around the map, in points.
    pub padding: f32,
    pub background: Background,
    /// Light or dark map whatever the file says; `None` keeps the map's own.
    pub mode: Option<ThemeMode>,
    /// Stages to show, by position, both ends included.
    pub stages: Option<(usize, usize)>,
    /// Lanes to show; `None` shows all.
    pub lanes: Option<Vec<LaneId>>,
    /// Only these cards (and their stages and lanes).
    pub selection: Option<Vec<CardId>>,
    pub title: bool,
    pub personas: bool,
    pub legend: bool,
    pub slide: Option<Slide>,
    /// Embed the map in the file, so opening the export gives back the editable map.
    pub embed_map: bool,
    /// The file written: PNG, SVG, PDF or PowerPoint.
    pub format: Format,
    /// Which slides a PowerPoint deck holds (the other formats ignore it).
    pub pptx_slides: super::pptx::PptxSlides,
    /// How a PDF is paged (the other formats ignore it).
    pub pdf: PdfOptions,
    /// The presentation's steps as slides instead of the map: a PNG per step (into a
    /// folder) or a PDF page per step. Only the scale, theme and format apply.
    pub deck: bool,
}

/// The kind of file an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Pixels, for slides and chat.
    #[default]
    Png,
    /// Vectors with text as outlines, for design tools and the web.
    Svg,
    /// Vectors with real text, for print and for sending.
    Pdf,
    /// Editable slides: every card a shape with real text.
    Pptx,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Png, Format::Svg, Format::Pdf, Format::Pptx];

    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Svg => "SVG",
            Format::Pdf => "PDF",
            Format::Pptx => "PowerPoint",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Pptx => "pptx",
        }
    }

    /// The format a file name asks for, by its extension (any case).
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?;
        Format::ALL
            .into_iter()
            .find(|format| format.extension().eq_ignore_ascii_case(extension))
    }

    /// Whether the export is drawn at a pixel scale (vectors have none).
    pub fn has_pixels(self) -> bool {
        self == Format::Png
    }
}

impl ExportOptions {
    /// The PowerPoint export's options within these.
    pub fn pptx_options(&self) -> super::pptx::PptxOptions {
        super::pptx::PptxOptions {
            slides: self.pptx_slides,
            mode: self.mode,
        }
    }

    /// The deck's options within these.
    pub fn deck_options(&self) -> super::deck::DeckOptions {
        super::deck::DeckOptions {
            scale: self.scale,
            mode: self.mode,
        }
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            scale: 2.0,
            padding: 32.0,
            background: Background::Theme,
            mode: None,
            stages: None,
            lanes: None,
            selection: None,
            title: true,
            personas: false,
            legend: false,
            slide: None,
            embed_map: true,
            format: Format::Png,
            pdf: PdfOptions::default(),
            pptx_slides: super::pptx::PptxSlides::default(),
            deck: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    /// The map theme's page colour.
    Theme,
    White,
    Transparent,
    Custom(Color),
}

impl Background {
    pub fn color(self, theme: &Theme) -> Color32 {
        match self {
            Background::Theme => theme.page,
            Background::White => Color32::WHITE,
            Background::Transparent => Color32::TRANSPARENT,
            Background::Custom(color) => theme::color32(color),
        }
    }
}

impl std::str::FromStr for Background {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "theme" => Ok(Background::Theme),
            "white" => Ok(Background::White),
            "transparent" => Ok(Background::Transparent),
            other => other.parse().map(Background::Custom).map_err(|_| {
                format!("'{other}' is not a background: use theme, white, transparent or #rrggbb")
            }),
        }
    }
}

/// A slide the map is letterboxed into, at the size slide tools use: PowerPoint's and
/// Keynote's 16:9 slide is 13.333 × 7.5 in (960 × 540 pt), the 4:3 one 10 × 7.5 in.
/// With pHYs at 72 × scale dpi the image fills the slide exactly when inserted: 1920 ×
/// 1080 pixels at 2x, 3840 × 2160 at 4x.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slide {
    Wide,
    Standard,
}

impl Slide {
    /// The slide's size in points (1/72 in).
    pub fn points(self) -> Vec2 {
        match self {
            Slide::Wide => vec2(960.0, 540.0),
            Slide::Standard => vec2(720.0, 540.0),
        }
    }

    /// The slide's size as a person would say it, for the dialog.
    pub fn describe(self) -> &'static str {
        match self {
            Slide::Wide => {
                "13.33 × 7.5 in (960 × 540 pt), as PowerPoint, Keynote and Google Slides"
            }
            Slide::Standard => "10 × 7.5 in (720 × 540 pt), as PowerPoint and Keynote",
        }
    }
}

impl std::str::FromStr for Slide {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "16:9" => Ok(Slide::Wide),
            "4:3" => Ok(Slide::Standard),
            other => Err(format!("'{other}' is not a slide shape: use 16:9 or 4:3")),
        }
    }
}

impl ExportOptions {
    pub fn layout_options(&self) -> LayoutOptions {
        LayoutOptions {
            title: self.title,
            personas: self.personas,
            legend: self.legend,
            first_stage: self.stages.map_or(0, |(from, _)| from),
        }
    }

    pub fn validate(&self) -> Result<(), ExportError> {
        if !(1.0..=4.0).contains(&self.scale) {
            return Err(ExportError::Options(format!(
                "scale {} is outside 1..4",
                self.scale
            )));
        }
        if !(0.0..=1000.0).contains(&self.padding) {
            return Err(ExportError::Options(format!(
                "padding {} is outside 0..1000",
                self.padding
            )));
        }
        Ok(())
    }

    /// The part of the map this export shows: a copy with the other stages, lanes and
    /// cards left out.
    pub fn view_of(&self, map: &Map) -> Result<Map, ExportError> {
        self.validate()?;
        let mut view = map.clone();
        // Stages and lanes keep the colours they have in the whole map.
        let palette = Theme::light();
        for (index, stage) in view.stages.iter_mut().enumerate() {
            stage.color = stage
                .color
                .or(Some(model_color(palette.stage_color(index, None))));
        }
        for (index, lane) in view.lanes.iter_mut().enumerate() {
            lane.color = lane
                .color
                .or(Some(model_color(palette.lane_color(index, None))));
        }
        if let Some((from, to)) = self.stages {
            if from > to || to >= map.stages.len() {
                return Err(ExportError::Options(format!(
                    "stages {}..{} are not within 1..{}",
                    from + 1,
                    to + 1,
                    map.stages.len()
                )));
            }
            view.stages = view.stages[from..=to].to_vec();
        }
        if let Some(lanes) = &self.lanes {
            if let Some(missing) = lanes.iter().find(|id| map.lane(id).is_none()) {
                return Err(ExportError::Options(format!("there is no lane {missing}")));
            }
            view.lanes.retain(|lane| lanes.contains(&lane.id));
        }
        if let Some(selection) = &self.selection {
            let selection: HashSet<&CardId> = selection.iter().collect();
            view.cards.retain(|card| selection.contains(&card.id));
            let stages: HashSet<_> = view.cards.iter().map(|c| c.stage.clone()).collect();
            let lanes: HashSet<_> = view.cards.iter().map(|c| c.lane.clone()).collect();
            view.stages.retain(|s| stages.contains(&s.id));
            view.lanes.retain(|l| lanes.contains(&l.id));
        }
        // Sets, not scans: a map may have 100,000 cards and as many stages.
        let stages: HashSet<_> = view.stages.iter().map(|s| s.id.clone()).collect();
        let lanes: HashSet<_> = view.lanes.iter().map(|l| l.id.clone()).collect();
        view.cards
            .retain(|card| stages.contains(&card.stage) && lanes.contains(&card.lane));
        if view.stages.is_empty() || view.lanes.is_empty() {
            return Err(ExportError::Options(
                "nothing to export: no stage or no lane is left".to_owned(),
            ));
        }
        Ok(view)
    }
}

fn model_color(color: Color32) -> Color {
    Color::rgb(color.r(), color.g(), color.b())
}
