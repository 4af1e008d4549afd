//! PNG export: the map painted by the same painter as the canvas, in an offscreen egui
//! context at the export scale, rasterized on the CPU, and written with its pHYs
//! resolution and the map itself embedded.

pub mod chunk;
pub mod deck;
mod idat;
mod options;
pub mod pptx;
mod preview;
pub mod raster;
pub mod slides;
pub mod vector;

pub use options::{Background, ExportOptions, Format, Slide};
pub use preview::{Preview, preview};

use crate::model::{Map, format};
use crate::render::layout::MapLayout;
use crate::render::paint::paint;
use crate::render::text::Measure;
use crate::render::theme::{self, Theme};
use egui::emath::TSTransform;
use egui::epaint::{ClippedPrimitive, Mesh, Primitive};
use egui::{Color32, Pos2, Rect, Vec2, ViewportId, vec2};
use raster::{Pixels, TextureStore};

/// The largest export, in pixels: about 1 GB of memory while it is drawn in tiles,
/// and a file any slide tool can still open.
pub const MAX_PIXELS: u64 = 250_000_000;
pub const MAX_SIDE: u32 = 32_768;
/// Points kept clear on every side of a slide, whatever the map's shape (1/3 in).
pub const SLIDE_MARGIN: f32 = 24.0;
/// Rows drawn at a time: each tile is at most this many pixels (8 MB). Small, so the
/// encoder gets its first tile early and drawing and encoding overlap; large enough that
/// a tile of the widest export (64 rows) still splits into a raster band per core.
const TILE_PIXELS: usize = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "the image would be {width}×{height} pixels, over the limit of {MAX_SIDE} pixels a side and {MAX_PIXELS} in all{}",
        suggest(*suggested_scale, *cause)
    )]
    TooLarge {
        width: u64,
        height: u64,
        suggested_scale: Option<f32>,
        cause: Oversize,
    },
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Png(#[from] chunk::PngError),
    #[error(transparent)]
    Vector(#[from] vector::Unsupported),
    #[error(transparent)]
    Pdf(#[from] vector::pdf::PdfError),
}

/// What makes an export too large, for a remedy that helps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Oversize {
    /// The stages and lanes themselves.
    Grid,
    /// The persona strip above the grid: fewer stages would make it taller, not shorter.
    Personas,
}

fn suggest(scale: Option<f32>, cause: Oversize) -> String {
    match (scale, cause) {
        (Some(scale), _) => format!("; try --scale {scale}"),
        (None, Oversize::Grid) => "; export a range of stages or fewer lanes".to_owned(),
        (None, Oversize::Personas) => {
            "; the persona strip makes it so tall: export without the personas".to_owned()
        }
    }
}

/// How an export is laid out on its pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub width: u32,
    pub height: u32,
    /// Pixels per map point.
    pub pixels_per_point: f32,
    /// The drawing's size in points (the offscreen screen).
    pub points: Vec2,
    /// Where the map's (0, 0) goes, in points.
    pub origin: Vec2,
    pub dpi: f32,
}

impl Plan {
    pub fn new(layout_size: Vec2, options: &ExportOptions) -> Result<Self, ExportError> {
        let padding = options.padding.round().max(0.0);
        let content = vec2(layout_size.x.ceil(), layout_size.y.ceil()) + Vec2::splat(2.0 * padding);
        let scale = options.scale;
        let plan = match options.slide {
            None => Plan {
                width: (content.x * scale).round() as u32,
                height: (content.y * scale).round() as u32,
                pixels_per_point: scale,
                points: content,
                origin: Vec2::splat(padding),
                dpi: 72.0 * scale,
            },
            Some(slide) => {
                let slide_points = slide.points();
                let safe = slide_points - Vec2::splat(2.0 * SLIDE_MARGIN);
                let fit = (safe.x / content.x).min(safe.y / content.y);
                let points = slide_points / fit;
                Plan {
                    width: (slide_points.x * scale).round() as u32,
                    height: (slide_points.y * scale).round() as u32,
                    pixels_per_point: scale * fit,
                    points,
                    origin: (points - layout_size) / 2.0,
                    dpi: 72.0 * scale,
                }
            }
        };
        plan.check(options)?;
        Ok(plan)
    }

    fn check(&self, options: &ExportOptions) -> Result<(), ExportError> {
        let fits = |w: f64, h: f64| {
            w <= MAX_SIDE as f64 && h <= MAX_SIDE as f64 && w * h <= MAX_PIXELS as f64
        };
        let (w, h) = (self.width as f64, self.height as f64);
        if self.width == 0 || self.height == 0 {
            return Err(ExportError::Options("the image would be empty".to_owned()));
        }
        if fits(w, h) {
            return Ok(());
        }
        // The largest allowed quarter step of scale (1..4) at which the same export fits;
        // none when even 1x is too large (then a smaller range is the way out).
        let per_scale = (w / options.scale as f64, h / options.scale as f64);
        let suggested_scale = (4..=16)
            .rev()
            .map(|quarters| quarters as f32 / 4.0)
            .find(|&s| fits(per_scale.0 * s as f64, per_scale.1 * s as f64));
        Err(ExportError::TooLarge {
            width: self.width as u64,
            height: self.height as u64,
            suggested_scale,
            cause: Oversize::Grid,
        })
    }
}

/// A map painted and tessellated, ready to be rasterized in any number of tiles.
pub struct Frame {
    pub plan: Plan,
    pub primitives: Vec<egui::ClippedPrimitive>,
    pub textures: TextureStore,
    pub background: Color32,
}

/// Lays out, paints and tessellates `map` for export; nothing is rasterized yet.
pub fn prepare(
    map: &Map,
    options: &ExportOptions,
    measure: &mut Measure,
) -> Result<Frame, ExportError> {
    let (view, layout, plan) = lay_out(map, options, measure)?;
    let theme = page_theme(map, options);
    let background = options.background.color(&theme);
    let (primitives, textures) = paint_offscreen(&view, &layout, &theme, &plan);
    Ok(Frame {
        plan,
        primitives,
        textures,
        background,
    })
}

/// The part of `map` the export shows, laid out, and its plan: refused before any text
/// is measured when even the bare grid is too large.
fn lay_out(
    map: &Map,
    options: &ExportOptions,
    measure: &mut Measure,
) -> Result<(Map, MapLayout, Plan), ExportError> {
    let view = options.view_of(map)?;
    Plan::new(MapLayout::min_size(&view), options)?;
    let layout = MapLayout::compute(&view, measure, options.layout_options());
    let plan =
        Plan::new(layout.size, options).map_err(|err| blame_personas(err, &layout, options))?;
    Ok((view, layout, plan))
}

/// A refusal with no scale to suggest names the persona strip when the map without it
/// would fit: the remedy is then to leave the strip out, not to export fewer stages.
fn blame_personas(err: ExportError, layout: &MapLayout, options: &ExportOptions) -> ExportError {
    let ExportError::TooLarge {
        suggested_scale: None,
        ..
    } = err
    else {
        return err;
    };
    let strip = layout
        .personas
        .iter()
        .map(|p| p.rect.y_range())
        .reduce(|a, b| a.union(b));
    let Some(strip) = strip else { return err };
    let without = egui::vec2(layout.size.x, layout.size.y - strip.span());
    match (err, Plan::new(without, options)) {
        (ExportError::TooLarge { width, height, .. }, Ok(_)) => ExportError::TooLarge {
            width,
            height,
            suggested_scale: None,
            cause: Oversize::Personas,
        },
        (err, _) => err,
    }
}

/// The map's theme for this export: the chosen light or dark, on the chosen page, and
/// no board shadow when the padding has no room for it.
fn page_theme(map: &Map, options: &ExportOptions) -> Theme {
    let mut theme = Theme::for_map(&map.theme, options.mode);
    let background = options.background.color(&theme);
    if background.is_opaque() {
        theme.page = background;
    }
    let shadow = theme.board_shadow;
    let reach = shadow.blur as f32 + shadow.spread as f32 + shadow.offset[1].unsigned_abs() as f32;
    if options.slide.is_none() && options.padding < reach {
        theme.board_shadow = egui::epaint::Shadow::NONE;
    }
    theme
}

/// Runs the painter in a headless egui context at the plan's pixels per point, and
/// tessellates what it drew.
fn paint_offscreen(
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    plan: &Plan,
) -> (Vec<egui::ClippedPrimitive>, TextureStore) {
    let (ctx, output) = run_painter(map, layout, theme, plan);
    let frame = frame_of(&ctx, output, *plan, Color32::TRANSPARENT);
    (frame.primitives, frame.textures)
}

/// The painter's one pass in a headless egui context at the plan's pixels per point.
fn run_painter(
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    plan: &Plan,
) -> (egui::Context, egui::FullOutput) {
    let transform = TSTransform::from_translation(plan.origin);
    run_offscreen(plan.points, plan.pixels_per_point, theme.mode, |painter| {
        paint(painter, layout, map, theme, transform, None);
    })
}

/// One pass of `draw` on a headless screen of `points` at `pixels_per_point`.
fn run_offscreen(
    points: Vec2,
    pixels_per_point: f32,
    mode: crate::model::ThemeMode,
    mut draw: impl FnMut(&egui::Painter),
) -> (egui::Context, egui::FullOutput) {
    let ctx = egui::Context::default();
    theme::install_fonts(&ctx);
    ctx.set_visuals(match mode {
        crate::model::ThemeMode::Light => egui::Visuals::light(),
        crate::model::ThemeMode::Dark => egui::Visuals::dark(),
    });
    let mut input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, points)),
        max_texture_side: Some(8192),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(pixels_per_point);
    }
    let output = ctx.run_ui(input, |ui| draw(ui.painter()));
    (ctx, output)
}

/// Tessellates an offscreen pass into a frame to rasterize.
fn frame_of(
    ctx: &egui::Context,
    mut output: egui::FullOutput,
    plan: Plan,
    background: Color32,
) -> Frame {
    let mut textures = TextureStore::default();
    textures.apply(&mut output.textures_delta);
    let shapes = std::mem::take(&mut output.shapes);
    let primitives = ctx.tessellate(shapes, output.pixels_per_point);
    Frame {
        plan,
        primitives,
        textures,
        background,
    }
}

/// The shapes the painter emits for an export, before tessellation (for vector output).
fn painted_shapes(
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    plan: &Plan,
) -> Vec<egui::epaint::ClippedShape> {
    let (_, mut output) = run_painter(map, layout, theme, plan);
    // Glyphs are read from the fonts, not the atlas: its updates are not needed.
    output.textures_delta.clear();
    output.shapes
}

impl Frame {
    /// Rasterizes rows `top..top + height` of the image.
    pub fn tile(&self, top: u32, height: u32) -> Pixels {
        let mut pixels = Pixels::new(self.plan.width, height, self.background);
        let ppp = self.plan.pixels_per_point;
        let culled;
        let primitives = if top == 0 && height >= self.plan.height {
            &self.primitives
        } else {
            culled = primitives_in_rows(&self.primitives, top as f32..(top + height) as f32, ppp);
            &culled
        };
        raster::draw_region(
            &mut pixels,
            (0, top as i64),
            primitives,
            &self.textures,
            ppp,
        );
        pixels
    }

    /// The whole image at once (for previews, tests and the clipboard).
    pub fn image(&self) -> Pixels {
        self.tile(0, self.plan.height)
    }

    fn tile_rows(&self) -> u32 {
        (TILE_PIXELS / self.plan.width.max(1) as usize).max(1) as u32
    }
}

/// The PNG file of a map: rendered tile by tile, so memory stays bounded however large.
pub fn render_png(map: &Map, options: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let frame = prepare(map, options, &mut Measure::new())?;
    let json = options.embed_map.then(|| format::to_json(map));
    let text = chunk::Text {
        title: &map.title,
        description: &map.description,
        map_json: json.as_deref(),
    };
    encode_in_tiles(&frame, &text, frame.tile_rows())
}

/// The file of a map in the options' format.
pub fn render(map: &Map, options: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    if options.deck {
        return match options.format {
            Format::Pdf => deck::render_pdf(map, &options.deck_options()),
            Format::Png | Format::Svg | Format::Pptx => Err(ExportError::Options(
                "a deck is a folder of PNG files or one PDF; give a folder or a .pdf name"
                    .to_owned(),
            )),
        };
    }
    match options.format {
        Format::Png => render_png(map, options),
        Format::Svg => render_svg(map, options),
        Format::Pdf => render_pdf(map, options),
        Format::Pptx => pptx::render(map, &options.pptx_options()),
    }
}

/// The SVG file of a map: the painter's shapes as vectors, text as glyph outlines.
pub fn render_svg(map: &Map, options: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let scene = vector::scene(map, options, &mut Measure::new())?;
    let json = options.embed_map.then(|| format::to_json(map));
    Ok(vector::svg::write(&scene, json.as_deref()).into_bytes())
}

/// The PDF file of a map: the painter's shapes as vectors, text as real text.
/// Paged as `options.pdf` says.
pub fn render_pdf(map: &Map, options: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let scene = vector::scene(map, options, &mut Measure::new())?;
    let json = options.embed_map.then(|| format::to_json(map));
    Ok(vector::pdf::write(&scene, &options.pdf, json.as_deref())?)
}

/// Draws `frame` `rows` rows at a time into a PNG. The encoder compresses on its own
/// thread while the next tile is drawn; at most three tiles are in memory (being drawn,
/// waiting, being encoded).
fn encode_in_tiles(frame: &Frame, text: &chunk::Text, rows: u32) -> Result<Vec<u8>, ExportError> {
    let plan = frame.plan;
    let (sender, drawn) = std::sync::mpsc::sync_channel::<Pixels>(1);
    std::thread::scope(|scope| {
        let encoder = scope.spawn(move || {
            let tiles = drawn.into_iter().map(|mut tile| {
                tile.unpremultiply();
                tile.rgba
            });
            chunk::encode_rows(plan.width, plan.height, plan.dpi, text, tiles)
        });
        for top in (0..plan.height).step_by(rows.max(1) as usize) {
            // A closed channel means the encoder stopped with an error: that is the result.
            if sender
                .send(frame.tile(top, rows.min(plan.height - top)))
                .is_err()
            {
                break;
            }
        }
        drop(sender);
        match encoder.join() {
            Ok(png) => Ok(png?),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The part of each mesh that can touch pixel rows `rows`, triangles in their order:
/// drawing a tile with it gives the same pixels as drawing everything, without every
/// band of every tile setting up every triangle of the map.
fn primitives_in_rows(
    primitives: &[ClippedPrimitive],
    rows: std::ops::Range<f32>,
    pixels_per_point: f32,
) -> Vec<ClippedPrimitive> {
    // A pixel of margin covers vertex snapping and clip-rect rounding; NaN is never
    // above or below, so it is kept.
    let touches = |ys: &[f32]| {
        let px = ys.iter().map(|y| y * pixels_per_point);
        let above = px.clone().all(|y| y < rows.start - 1.0);
        let below = px.into_iter().all(|y| y > rows.end + 1.0);
        !above && !below
    };
    let mut kept = Vec::new();
    for primitive in primitives {
        let clip = primitive.clip_rect;
        let Primitive::Mesh(mesh) = &primitive.primitive else {
            continue;
        };
        if !touches(&[clip.min.y, clip.max.y]) {
            continue;
        }
        let mut part = Mesh::with_texture(mesh.texture_id);
        for triangle in mesh.indices.chunks_exact(3) {
            let vertex = |k: usize| mesh.vertices.get(triangle[k] as usize);
            let (Some(a), Some(b), Some(c)) = (vertex(0), vertex(1), vertex(2)) else {
                continue;
            };
            if touches(&[a.pos.y, b.pos.y, c.pos.y]) {
                let first = part.vertices.len() as u32;
                part.vertices.extend([*a, *b, *c]);
                part.indices.extend([first, first + 1, first + 2]);
            }
        }
        if !part.indices.is_empty() {
            kept.push(ClippedPrimitive {
                clip_rect: clip,
                primitive: Primitive::Mesh(part),
            });
        }
    }
    kept
}

#[cfg(test)]
mod tests;
