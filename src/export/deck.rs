//! The deck pack: the presentation's steps as slides, to send ahead of a meeting or to
//! show from a machine without journeymap. A PNG per step, named `01-title.png`,
//! `02-overview.png`, `03-aware.png` …, or one PDF with a page per step. Each slide is
//! drawn by [`paint_step`] with the step's own camera, exactly as the presentation
//! shows it once the camera has landed.

use super::{ExportError, Plan, chunk, encode_in_tiles, frame_of, run_offscreen, vector};
use crate::model::{Map, ThemeMode, format};
use crate::render::layout::{LayoutOptions, MapLayout};
use crate::render::paint::present::{StepPaint, paint_step, photo_image};
use crate::render::present::{self, SLIDE, SlideText, Step};
use crate::render::text::Measure;
use crate::render::theme::Theme;
use egui::emath::TSTransform;
use egui::{Vec2, vec2};

/// The screen a deck slide is painted on, in points: a 1080p projector's. The slide
/// (designed on [`SLIDE`]) fills it, and the map shows the detail that screen shows.
pub const SCREEN: Vec2 = vec2(1920.0, 1080.0);
/// Vector slides are painted at this many pixels a point, as the vector export's maps.
const VECTOR_PIXELS_PER_POINT: f32 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeckOptions {
    /// Pixels per screen point for the PNG files: 2 gives 3840×2160, 1 gives 1920×1080.
    pub scale: f32,
    /// Light or dark, whatever the map says.
    pub mode: Option<ThemeMode>,
}

impl Default for DeckOptions {
    fn default() -> Self {
        Self {
            scale: 2.0,
            mode: None,
        }
    }
}

/// One file of a PNG deck.
pub struct DeckFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The map as the presentation shows it: the editor's layout, the slides' text.
struct Deck<'a> {
    map: &'a Map,
    layout: MapLayout,
    theme: Theme,
    text: SlideText,
    steps: Vec<Step>,
    /// The personas' photos, loaded into each pass that draws the title.
    photos: Vec<Option<egui::ColorImage>>,
}

impl<'a> Deck<'a> {
    fn new(map: &'a Map, options: &DeckOptions) -> Self {
        let mut measure = Measure::new();
        Deck {
            map,
            layout: MapLayout::compute(map, &mut measure, LayoutOptions::default()),
            theme: Theme::for_map(&map.theme, options.mode),
            text: SlideText::new(map, &mut measure),
            steps: present::storyboard(map),
            photos: (map.personas.iter())
                .map(|persona| photo_image(persona.photo.as_deref()?))
                .collect(),
        }
    }

    /// Paints `step` on a screen of [`SCREEN`] points. Returns the photos' textures,
    /// to be kept until the pass is drawn.
    fn paint(&self, painter: &egui::Painter, step: Step) -> Vec<egui::TextureHandle> {
        let slide = TSTransform::from_scaling(SCREEN.x / SLIDE.x);
        let camera = slide * present::camera(&self.layout, step).unwrap_or_default();
        let handles: Vec<Option<egui::TextureHandle>> = match step {
            Step::Title => (self.photos.iter())
                .map(|photo| {
                    let options = egui::TextureOptions::LINEAR;
                    Some(
                        painter
                            .ctx()
                            .load_texture("persona photo", photo.clone()?, options),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let photos: Vec<Option<egui::TextureId>> =
            handles.iter().map(|h| h.as_ref().map(|h| h.id())).collect();
        paint_step(
            painter,
            &StepPaint {
                layout: &self.layout,
                map: self.map,
                theme: &self.theme,
                text: &self.text,
                step,
                slide,
                camera,
                photos: &photos,
            },
        );
        handles.into_iter().flatten().collect()
    }

    /// One step painted and tessellated at `plan`'s scale, ready to rasterize.
    fn frame(&self, step: Step, plan: Plan) -> super::Frame {
        let mut kept = Vec::new();
        let (ctx, output) = run_offscreen(SCREEN, plan.pixels_per_point, self.theme.mode, |p| {
            kept = self.paint(p, step)
        });
        let frame = frame_of(&ctx, output, plan, self.theme.page);
        drop(kept);
        frame
    }

    /// One step's shapes, for vectors, with the images its meshes show.
    fn shapes(
        &self,
        step: Step,
        pixels_per_point: f32,
    ) -> (Vec<egui::epaint::ClippedShape>, vector::Images) {
        let mut kept = Vec::new();
        let (_, mut output) = run_offscreen(SCREEN, pixels_per_point, self.theme.mode, |p| {
            kept = self.paint(p, step)
        });
        output.textures_delta.clear();
        let photos = self.photos.iter().flatten();
        let images = kept.iter().map(|h| h.id()).zip(photos.cloned()).collect();
        (output.shapes, images)
    }
}

/// The file names of `map`'s deck, in step order: `01-title.png` ….
pub fn file_names(map: &Map) -> Vec<String> {
    let steps = present::storyboard(map);
    let digits = steps.len().to_string().len().max(2);
    (steps.iter().enumerate())
        .map(|(index, &step)| {
            let slug = present::step_slug(map, step);
            format!("{:0digits$}-{slug}.png", index + 1)
        })
        .collect()
}

/// The plan of one deck image: the screen at `scale` pixels a point.
pub fn plan(scale: f32) -> Plan {
    Plan {
        width: (SCREEN.x * scale).round() as u32,
        height: (SCREEN.y * scale).round() as u32,
        pixels_per_point: scale,
        points: SCREEN,
        origin: Vec2::ZERO,
        dpi: 72.0 * scale,
    }
}

/// Every step as a PNG file, the first one carrying the map.
pub fn render_pngs(map: &Map, options: &DeckOptions) -> Result<Vec<DeckFile>, ExportError> {
    let deck = Deck::new(map, options);
    let json = format::to_json(map);
    let names = file_names(map);
    let plan = plan(options.scale);
    (deck.steps.iter().zip(names).enumerate())
        .map(|(index, (&step, name))| {
            let frame = deck.frame(step, plan);
            let text = chunk::Text {
                title: &map.title,
                description: &map.description,
                map_json: (index == 0).then_some(json.as_str()),
            };
            let bytes = encode_in_tiles(&frame, &text, frame.tile_rows())?;
            Ok(DeckFile { name, bytes })
        })
        .collect()
}

/// One step's image, unencoded (for the dialog's preview and the tests).
pub fn render_step(
    map: &Map,
    options: &DeckOptions,
    index: usize,
) -> Option<super::raster::Pixels> {
    let deck = Deck::new(map, options);
    let step = *deck.steps.get(index)?;
    let plan = plan(options.scale);
    let mut pixels = deck.frame(step, plan).image();
    pixels.unpremultiply();
    Some(pixels)
}

/// The deck as one PDF: a page per step, each bookmarked with its step's name, text
/// real and selectable, and the map embedded.
pub fn render_pdf(map: &Map, options: &DeckOptions) -> Result<Vec<u8>, ExportError> {
    let deck = Deck::new(map, options);
    let slides = (deck.steps.iter())
        .map(|&step| {
            let (shapes, images) = deck.shapes(step, VECTOR_PIXELS_PER_POINT);
            // Pages of the slide's own size (PowerPoint's 13.33 × 7.5 in).
            let unit = SLIDE.x / SCREEN.x;
            let page = (SCREEN, unit);
            let scene =
                vector::scene_of_shapes(&shapes, &images, page, deck.theme.page, &map.title)?;
            Ok((scene, bookmark(map, step)))
        })
        .collect::<Result<Vec<_>, ExportError>>()?;
    let json = format::to_json(map);
    Ok(vector::pdf::write_deck(
        &slides,
        &map.title,
        &map.description,
        Some(&json),
    )?)
}

/// A page's bookmark: the step's name, and for a lane reveal the lane it adds.
fn bookmark(map: &Map, step: Step) -> String {
    let name = present::step_name(map, step);
    match step {
        Step::Stage {
            lanes: Some(lane), ..
        } => match map.lanes.get(lane) {
            Some(lane) if !lane.name.is_empty() => format!("{name}: {}", lane.name),
            _ => name,
        },
        _ => name,
    }
}

/// Every slide of a deck, small, in rows: what the export dialog shows.
pub struct ContactSheet {
    pub sheet: super::raster::Pixels,
    pub slides: usize,
    /// One of the slides (the first stage's, or the first), for the size estimate.
    pub thumbnail: super::raster::Pixels,
}

/// The space between slides on a contact sheet, in pixels.
const SHEET_GAP: u32 = 8;

/// The deck's slides in as few rows as keep the sheet within `max_side` pixels.
pub fn contact_sheet(map: &Map, options: &DeckOptions, max_side: u32) -> ContactSheet {
    let deck = Deck::new(map, options);
    let count = deck.steps.len();
    // The fewest columns whose rows still fit under the width.
    let columns = (2..=8u32)
        .find(|&columns| {
            let width = (max_side - (columns - 1) * SHEET_GAP) / columns;
            let height = (width as f32 * SCREEN.y / SCREEN.x).round() as u32;
            let rows = (count as u32).div_ceil(columns);
            rows * (height + SHEET_GAP) <= max_side * 3 / 4
        })
        .unwrap_or(8);
    let width = (max_side - (columns - 1) * SHEET_GAP) / columns;
    let scale = width as f32 / SCREEN.x;
    let thumbs: Vec<super::raster::Pixels> = (deck.steps.iter())
        .map(|&step| deck.frame(step, plan(scale)).image())
        .collect();
    let height = thumbs.first().map_or(1, |t| t.height);
    let rows = (count as u32).div_ceil(columns);
    let mut sheet = super::raster::Pixels::new(
        columns * width + (columns - 1) * SHEET_GAP,
        rows * height + rows.saturating_sub(1) * SHEET_GAP,
        egui::Color32::TRANSPARENT,
    );
    for (index, thumb) in thumbs.iter().enumerate() {
        let (column, row) = (index as u32 % columns, index as u32 / columns);
        let (x, y) = (column * (width + SHEET_GAP), row * (height + SHEET_GAP));
        for line in 0..thumb.height.min(sheet.height - y) {
            let source = (line * thumb.width) as usize * 4;
            let target = (((y + line) * sheet.width) + x) as usize * 4;
            let span = thumb.width.min(sheet.width - x) as usize * 4;
            sheet.rgba[target..target + span].copy_from_slice(&thumb.rgba[source..source + span]);
        }
    }
    let first_stage = (deck.steps.iter()).position(|s| matches!(s, Step::Stage { .. }));
    let thumbnail = thumbs
        .into_iter()
        .nth(first_stage.unwrap_or(0))
        .unwrap_or_else(|| super::raster::Pixels::new(1, 1, deck.theme.page));
    ContactSheet {
        sheet,
        slides: count,
        thumbnail,
    }
}
