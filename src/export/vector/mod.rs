//! Vector exports: the shapes the one painter emits for a PNG export, read before
//! tessellation and turned into outlines, paints and glyph runs that the SVG (and any
//! other vector) writer draws. Nothing here draws a map by itself.

pub mod glyphs;
pub mod path;
pub mod pdf;
pub mod svg;

use super::{ExportError, ExportOptions, Plan, lay_out, page_theme, painted_shapes};
use crate::model::Map;
use crate::render::text::Measure;
use egui::epaint::{
    CircleShape, ColorMode, CornerRadiusF32, PathShape, PathStroke, RectShape, Shape, StrokeKind,
    TextShape,
};
use egui::{Color32, Pos2, Rangef, Rect, Vec2, pos2};
use glyphs::{GlyphKey, Glyphs};
use path::Path;

/// Glyphs are placed at egui's positions, which it snaps to physical pixels: painting
/// at 4 pixels a point keeps that error under a quarter of a point.
const PIXELS_PER_POINT: f32 = 4.0;
/// A shadow's linear fade, drawn as this many rounded rects of falling alpha.
const SHADOW_STEPS: usize = 4;
/// Colour stops sampled down a gradient stroke (the emotion curve's).
const GRADIENT_STOPS: usize = 17;

/// A shape the painter drew that has no vector form here.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("the export cannot draw {0} as vector shapes")]
pub struct Unsupported(pub &'static str);

/// What a vector page shows, in drawing points; `unit` page points make one drawing point.
pub struct Scene {
    /// The page, in points.
    pub page: Vec2,
    pub unit: f32,
    pub background: Color32,
    pub items: Vec<Item>,
    pub glyphs: Glyphs,
    pub title: String,
    pub description: String,
    /// The cards, for the items that belong to them (`Item::card`), in drawing points.
    pub cards: Vec<SceneCard>,
    pub stages: Vec<SceneStage>,
    /// The lane header column, across.
    pub lane_headers: Rangef,
    /// From the top of the stage headers to the bottom of the board.
    pub grid: Rangef,
    /// The stage header band, down.
    pub band: Rangef,
    /// The pictures the painting's meshes show (persona photos), by texture.
    pub images: Images,
}

/// Pictures by the texture a mesh draws them with.
pub type Images = Vec<(egui::TextureId, egui::ColorImage)>;

pub struct SceneCard {
    pub title: String,
    pub rect: Rect,
    pub link: Option<String>,
}

pub struct SceneStage {
    pub name: String,
    /// The column with its header, across.
    pub column: Rangef,
    pub top: f32,
    /// For each lane, the part of its row this stage's cell needs, down.
    pub rows: Vec<Rangef>,
}

pub struct Item {
    /// `None` when the clip is the whole page.
    pub clip: Option<Rect>,
    /// Index into `Scene::cards` of the card this item is part of.
    pub card: Option<usize>,
    pub kind: ItemKind,
}

pub enum ItemKind {
    Fill {
        path: Path,
        paint: Paint,
    },
    Stroke {
        path: Path,
        width: f32,
        paint: Paint,
    },
    /// A picture in a circle (a persona photo), filling the circle's square.
    Image {
        center: Pos2,
        radius: f32,
        image: std::sync::Arc<egui::ColorImage>,
    },
    /// One line of text: glyphs with their baseline origins, at `size` points per em.
    Glyphs {
        color: Color32,
        runs: Vec<GlyphRun>,
        text: String,
    },
}

/// Glyphs of one face at one size.
pub struct GlyphRun {
    pub size: f32,
    pub glyphs: Vec<PlacedGlyph>,
}

pub struct PlacedGlyph {
    pub key: GlyphKey,
    /// On the baseline.
    pub origin: Pos2,
    /// The bytes of the line's text this glyph shows.
    pub text: std::ops::Range<usize>,
    /// Spaces have no ink but keep their place (PDF text extraction needs them).
    pub visible: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Paint {
    Solid(Color32),
    /// A colour that changes with height only: stops from `top` (0) to `bottom` (1).
    Vertical {
        top: f32,
        bottom: f32,
        stops: Vec<(f32, Color32)>,
    },
}

/// Lays out and paints `map` as the PNG export would, and reads the shapes as vectors.
pub fn scene(
    map: &Map,
    options: &ExportOptions,
    measure: &mut Measure,
) -> Result<Scene, ExportError> {
    // Sized at one pixel a point, a plan's pixels are the page's points.
    let page_options = ExportOptions {
        scale: 1.0,
        ..options.clone()
    };
    let (view, layout, plan) = lay_out(map, &page_options, measure)?;
    let theme = page_theme(map, options);
    let drawing = Plan {
        pixels_per_point: plan.pixels_per_point * PIXELS_PER_POINT,
        ..plan
    };
    let shapes = painted_shapes(&view, &layout, &theme, &drawing);
    let mut scene = Scene {
        page: egui::vec2(plan.width as f32, plan.height as f32),
        unit: plan.pixels_per_point,
        background: options.background.color(&theme),
        items: Vec::new(),
        glyphs: Glyphs::new(&crate::render::theme::font_definitions()),
        title: map.title.clone(),
        description: map.description.clone(),
        cards: layout
            .cards
            .iter()
            .map(|card| {
                let model = &view.cards[card.card];
                SceneCard {
                    title: model.title.clone(),
                    rect: card.rect.translate(plan.origin),
                    link: model.link.clone(),
                }
            })
            .collect(),
        stages: (layout.stages.iter().zip(&view.stages).enumerate())
            .map(|(index, (stage, model))| SceneStage {
                name: model.name.clone(),
                column: shift(stage.column, plan.origin.x),
                top: stage.header.top() + plan.origin.y,
                rows: (0..layout.lanes.len())
                    .map(|lane| shift(layout.cell_content_row(index, lane), plan.origin.y))
                    .collect(),
            })
            .collect(),
        lane_headers: shift(layout.corner.x_range(), plan.origin.x),
        grid: shift(
            Rangef::new(layout.corner.top(), layout.board.bottom()),
            plan.origin.y,
        ),
        band: shift(layout.corner.y_range(), plan.origin.y),
        images: Vec::new(),
    };
    scene.add_all(&shapes, plan.points)?;
    let cards: Vec<Rect> = scene.cards.iter().map(|card| card.rect).collect();
    assign_cards(&mut scene.items, &cards);
    Ok(scene)
}

/// The vector form of shapes painted on a screen of `screen` points (a slide of the
/// deck), on a page `unit` times its size: no cards or stages to link or bookmark.
pub fn scene_of_shapes(
    shapes: &[egui::epaint::ClippedShape],
    images: &Images,
    (screen, unit): (egui::Vec2, f32),
    background: Color32,
    title: &str,
) -> Result<Scene, Unsupported> {
    let mut scene = Scene {
        images: images.clone(),
        page: screen * unit,
        unit,
        background,
        items: Vec::new(),
        glyphs: Glyphs::new(&crate::render::theme::font_definitions()),
        title: title.to_owned(),
        description: String::new(),
        cards: Vec::new(),
        stages: Vec::new(),
        lane_headers: Rangef::NOTHING,
        grid: Rangef::NOTHING,
        band: Rangef::NOTHING,
    };
    scene.add_all(shapes, screen)?;
    Ok(scene)
}

impl Scene {
    /// Adds the vector form of every shape of a painting on a page of `page` points.
    fn add_all(
        &mut self,
        shapes: &[egui::epaint::ClippedShape],
        page: egui::Vec2,
    ) -> Result<(), Unsupported> {
        let page = Rect::from_min_size(Pos2::ZERO, page);
        for clipped in shapes {
            let clip_rect = clipped.clip_rect;
            let clip = (!clip_rect.contains_rect(page)).then_some(clip_rect);
            let first = self.items.len();
            // A transform meant for the tessellated mesh moves the vector shape just the same.
            let transform = clipped.transform_after_tessellation;
            if transform == egui::emath::TSTransform::IDENTITY {
                self.add(&clipped.shape)?;
            } else {
                let mut shape = clipped.shape.clone();
                shape.transform(transform);
                self.add(&shape)?;
            }
            for item in &mut self.items[first..] {
                item.clip = clip;
            }
        }
        Ok(())
    }

    /// Adds the vector form of one shape.
    fn add(&mut self, shape: &Shape) -> Result<(), Unsupported> {
        match shape {
            Shape::Noop => {}
            Shape::Vec(shapes) => {
                for shape in shapes {
                    self.add(shape)?;
                }
            }
            Shape::Circle(circle) => self.circle(circle),
            Shape::Ellipse(ellipse) => {
                let path = Path::ellipse(ellipse.center, ellipse.radius);
                self.fill(path.clone(), ellipse.fill);
                self.stroke(
                    path,
                    ellipse.stroke.width,
                    Paint::Solid(ellipse.stroke.color),
                );
            }
            Shape::LineSegment { points, stroke } => {
                self.stroke(
                    Path::polyline(points, false),
                    stroke.width,
                    Paint::Solid(stroke.color),
                );
            }
            Shape::Path(path) => self.path(path)?,
            Shape::Rect(rect) => self.rect(rect)?,
            Shape::Text(text) => self.text(text)?,
            Shape::QuadraticBezier(curve) => {
                let [from, control, to] = curve.points;
                let mut path = Path::default();
                path.move_to(from);
                path.quad_to(control, to);
                self.curve(path, curve.closed, curve.fill, &curve.stroke)?;
            }
            Shape::CubicBezier(curve) => {
                let [from, c0, c1, to] = curve.points;
                let mut path = Path::default();
                path.move_to(from);
                path.cubic_to(c0, c1, to);
                self.curve(path, curve.closed, curve.fill, &curve.stroke)?;
            }
            Shape::Band(_) => return Err(Unsupported("a band")),
            Shape::Mesh(mesh) => self.image(mesh)?,
            Shape::Callback(_) => return Err(Unsupported("a paint callback")),
        }
        Ok(())
    }

    /// A picture the painter drew as a fan of triangles round its centre (a photo in a
    /// circle), cut to the square its texture coordinates span.
    fn image(&mut self, mesh: &egui::Mesh) -> Result<(), Unsupported> {
        let picture = (self.images.iter()).find(|(id, _)| *id == mesh.texture_id);
        let (Some((_, picture)), [center, edge, ..]) = (picture, mesh.vertices.as_slice()) else {
            return Err(Unsupported("a mesh (an image)"));
        };
        let mut uv = Rect::NOTHING;
        for vertex in &mesh.vertices {
            uv.extend_with(vertex.uv);
        }
        let [w, h] = picture.size;
        let (x0, y0) = (
            (uv.min.x * w as f32) as usize,
            (uv.min.y * h as f32) as usize,
        );
        let (x1, y1) = (
            ((uv.max.x * w as f32).ceil() as usize).clamp(x0 + 1, w.max(1)),
            ((uv.max.y * h as f32).ceil() as usize).clamp(y0 + 1, h.max(1)),
        );
        let pixels = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .map(|(x, y)| picture.pixels.get(y * w + x).copied().unwrap_or_default())
            .collect();
        let image = egui::ColorImage::new([x1 - x0, y1 - y0], pixels);
        self.push(ItemKind::Image {
            center: center.pos,
            radius: center.pos.distance(edge.pos),
            image: std::sync::Arc::new(image),
        });
        Ok(())
    }

    fn push(&mut self, kind: ItemKind) {
        self.items.push(Item {
            clip: None,
            card: None,
            kind,
        });
    }

    fn fill(&mut self, path: Path, color: Color32) {
        if color.a() > 0 && !path.is_empty() {
            self.push(ItemKind::Fill {
                path,
                paint: Paint::Solid(color),
            });
        }
    }

    fn stroke(&mut self, path: Path, width: f32, paint: Paint) {
        let visible = match &paint {
            Paint::Solid(color) => color.a() > 0,
            Paint::Vertical { .. } => true,
        };
        if width > 0.0 && visible && !path.is_empty() {
            self.push(ItemKind::Stroke { path, width, paint });
        }
    }

    fn circle(&mut self, circle: &CircleShape) {
        let path = Path::circle(circle.center, circle.radius);
        self.fill(path.clone(), circle.fill);
        self.stroke(path, circle.stroke.width, Paint::Solid(circle.stroke.color));
    }

    fn path(&mut self, shape: &PathShape) -> Result<(), Unsupported> {
        let path = Path::polyline(&shape.points, shape.closed);
        if shape.closed {
            self.fill(path.clone(), shape.fill);
        } else if shape.fill.a() > 0 {
            return Err(Unsupported("a filled open path"));
        }
        let bounds = Rect::from_points(&shape.points);
        self.path_stroke(path, &shape.stroke, bounds)
    }

    fn curve(
        &mut self,
        mut path: Path,
        closed: bool,
        fill: Color32,
        stroke: &PathStroke,
    ) -> Result<(), Unsupported> {
        if closed {
            path.close();
            self.fill(path.clone(), fill);
        }
        let bounds = bounds_of(&path);
        self.path_stroke(path, stroke, bounds)
    }

    fn path_stroke(
        &mut self,
        path: Path,
        stroke: &PathStroke,
        bounds: Rect,
    ) -> Result<(), Unsupported> {
        if stroke.width <= 0.0 {
            return Ok(());
        }
        if stroke.kind != StrokeKind::Middle {
            return Err(Unsupported("a path stroked inside or outside its outline"));
        }
        let paint = match &stroke.color {
            ColorMode::Solid(color) => Paint::Solid(*color),
            ColorMode::UV(color_at) => vertical_paint(bounds, |p| color_at(bounds, p))?,
        };
        self.stroke(path, stroke.width, paint);
        Ok(())
    }

    fn rect(&mut self, shape: &RectShape) -> Result<(), Unsupported> {
        if shape.brush.is_some() {
            return Err(Unsupported("a textured rectangle"));
        }
        if shape.angle != 0.0 {
            return Err(Unsupported("a rotated rectangle"));
        }
        let radius = CornerRadiusF32::from(shape.corner_radius);
        if shape.blur_width > 0.0 {
            self.shadow(shape.rect, radius, shape.blur_width, shape.fill);
        } else {
            self.fill(Path::rounded_rect(shape.rect, radius), shape.fill);
        }
        let width = shape.stroke.width;
        let outward = match shape.stroke_kind {
            StrokeKind::Inside => -0.5 * width,
            StrokeKind::Middle => 0.0,
            StrokeKind::Outside => 0.5 * width,
        };
        let outline = Path::rounded_rect(shape.rect.expand(outward), grow(radius, outward));
        self.stroke(outline, width, Paint::Solid(shape.stroke.color));
        Ok(())
    }

    /// egui fades a shadow linearly across `blur` centred on the rect's edge (its corners
    /// grown by half the blur); a few stacked rects of falling alpha draw the same ramp.
    fn shadow(&mut self, rect: Rect, radius: CornerRadiusF32, blur: f32, color: Color32) {
        let blur = blur.min(rect.size().min_elem() - 0.1).max(0.0);
        let step_color = color.gamma_multiply(1.0 / SHADOW_STEPS as f32);
        for step in 0..SHADOW_STEPS {
            let outward = blur * ((step as f32 + 0.5) / SHADOW_STEPS as f32 - 0.5);
            let corner = grow(radius, 0.5 * blur + outward);
            self.fill(Path::rounded_rect(rect.expand(outward), corner), step_color);
        }
    }

    fn text(&mut self, shape: &TextShape) -> Result<(), Unsupported> {
        if shape.angle != 0.0 {
            return Err(Unsupported("rotated text"));
        }
        if !shape.underline.is_empty() {
            return Err(Unsupported("underlined text"));
        }
        let galley = &shape.galley;
        let [section] = galley.job.sections.as_slice() else {
            return Err(Unsupported("text of several styles in one galley"));
        };
        let format = &section.format;
        let color = shape
            .override_text_color
            .unwrap_or(if format.color == Color32::PLACEHOLDER {
                shape.fallback_color
            } else {
                format.color
            });
        let color = color.gamma_multiply(shape.opacity_factor);
        let family = &format.font_id.family;
        let font_size = format.font_id.size;
        let mut runs: Vec<GlyphRun> = Vec::new();
        let text = &galley.job.text;
        // Each character of a line has one glyph (clusters are padded with empty ones).
        let mut chars = text.char_indices().filter(|(_, c)| *c != '\n');
        for row in &galley.rows {
            // A run is written along one baseline: each row starts its own.
            let mut row_start = true;
            for glyph in &row.row.glyphs {
                let range = chars.next().map_or(0..0, |(at, c)| at..at + c.len_utf8());
                let visible = !glyph.uv_rect.is_nothing();
                if !visible && !glyph.chr.is_whitespace() {
                    continue;
                }
                let Some(key) = self.glyphs.resolve(family, glyph.chr) else {
                    return Err(Unsupported("a character of a font family it does not know"));
                };
                let size = self.glyphs.face_size(key.face, font_size);
                let y_offset = self.glyphs.face_y_offset(key.face, font_size);
                let origin =
                    shape.pos + row.pos.to_vec2() + glyph.pos.to_vec2() + egui::vec2(0.0, y_offset);
                let placed = PlacedGlyph {
                    key,
                    origin,
                    text: range,
                    visible,
                };
                match runs.last_mut() {
                    Some(run)
                        if !row_start && run.size == size && run.glyphs[0].key.face == key.face =>
                    {
                        run.glyphs.push(placed)
                    }
                    _ => runs.push(GlyphRun {
                        size,
                        glyphs: vec![placed],
                    }),
                }
                row_start = false;
            }
        }
        if !runs.iter().flat_map(|r| &r.glyphs).any(|g| g.visible) {
            return Ok(());
        }
        if !runs.is_empty() && color.a() > 0 {
            self.push(ItemKind::Glyphs {
                color,
                runs,
                text: galley.job.text.clone(),
            });
        }
        Ok(())
    }
}

fn shift(range: Rangef, by: f32) -> Rangef {
    Rangef::new(range.min + by, range.max + by)
}

/// A corner radius moved by `by` (an outline offset outward), never below zero.
fn grow(radius: CornerRadiusF32, by: f32) -> CornerRadiusF32 {
    let g = |r: f32| if r > 0.0 { (r + by).max(0.0) } else { 0.0 };
    CornerRadiusF32 {
        nw: g(radius.nw),
        ne: g(radius.ne),
        sw: g(radius.sw),
        se: g(radius.se),
    }
}

/// A per-point colour as a vertical gradient, if it really depends on height alone.
fn vertical_paint(bounds: Rect, color_at: impl Fn(Pos2) -> Color32) -> Result<Paint, Unsupported> {
    let (top, bottom) = (bounds.top(), bounds.bottom());
    let stops: Vec<(f32, Color32)> = (0..GRADIENT_STOPS)
        .map(|i| {
            let t = i as f32 / (GRADIENT_STOPS - 1) as f32;
            let y = top + t * (bottom - top);
            (t, color_at(pos2(bounds.left(), y)))
        })
        .collect();
    let varies_across = (0..GRADIENT_STOPS).any(|i| {
        let (t, left) = stops[i];
        let y = top + t * (bottom - top);
        let right = color_at(pos2(bounds.right(), y));
        left != right
    });
    if varies_across {
        return Err(Unsupported(
            "a stroke colour that varies across, not only down",
        ));
    }
    Ok(Paint::Vertical { top, bottom, stops })
}

impl Item {
    /// What the item covers, roughly for text (from its glyphs' origins up by a line).
    pub fn bounds(&self) -> Rect {
        match &self.kind {
            ItemKind::Fill { path, .. } | ItemKind::Stroke { path, .. } => bounds_of(path),
            ItemKind::Image { center, radius, .. } => {
                Rect::from_center_size(*center, egui::Vec2::splat(2.0 * radius))
            }
            ItemKind::Glyphs { runs, .. } => {
                let mut bounds = Rect::NOTHING;
                for run in runs {
                    for glyph in &run.glyphs {
                        bounds.extend_with(glyph.origin);
                        bounds.extend_with(glyph.origin - egui::vec2(0.0, 0.7 * run.size));
                    }
                }
                bounds
            }
        }
    }
}

fn bounds_of(path: &Path) -> Rect {
    use path::Segment;
    let mut bounds = Rect::NOTHING;
    for segment in &path.segments {
        match *segment {
            Segment::Move(p) | Segment::Line(p) => bounds.extend_with(p),
            Segment::Quad(c, p) => {
                bounds.extend_with(c);
                bounds.extend_with(p);
            }
            Segment::Cubic(a, b, p) => {
                bounds.extend_with(a);
                bounds.extend_with(b);
                bounds.extend_with(p);
            }
            Segment::Close => {}
        }
    }
    bounds
}

/// Marks the items that draw a card (painted in the layout's card order, each within
/// its rect and shadow) with that card, so writers can group and title them.
fn assign_cards(items: &mut [Item], cards: &[Rect]) {
    const SHADOW_REACH: f32 = 16.0;
    let within = |item: &Item, rect: Rect| {
        let area = rect.expand(SHADOW_REACH);
        match &item.kind {
            ItemKind::Fill { path, .. } | ItemKind::Stroke { path, .. } => {
                area.contains_rect(bounds_of(path))
            }
            ItemKind::Image { .. } => area.contains_rect(item.bounds()),
            ItemKind::Glyphs { runs, .. } => runs
                .iter()
                .flat_map(|run| &run.glyphs)
                .all(|glyph| area.contains(glyph.origin)),
        }
    };
    let mut next: usize = 0;
    for item in items {
        let candidates = [next.checked_sub(1), Some(next)];
        if let Some(card) = candidates
            .into_iter()
            .flatten()
            .find(|&c| c < cards.len() && within(item, cards[c]))
        {
            item.card = Some(card);
            next = card + 1;
        }
    }
}

#[cfg(test)]
mod tests;
