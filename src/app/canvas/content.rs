//! The cards and emotion curves, tessellated once and drawn again as meshes while
//! nothing they depend on changes: a hover, a drag or a pan then costs a copy of the
//! meshes instead of painting and tessellating every card again.
//!
//! A pan moves the meshes by whole physical pixels (the canvas snaps its translation
//! to them), after egui has snapped them to the pixel grid, so the pixels are the same
//! as a full repaint's. A change of zoom paints and lays the text out again: text is
//! never scaled as a bitmap.

use egui::epaint::{ClippedShape, Mesh, Primitive};
use egui::{Context, LayerId, Painter, Rect, Shape, Vec2, emath::TSTransform};
use std::sync::Arc;

/// What the cached meshes depend on besides the translation.
#[derive(Clone, Debug)]
pub struct Key {
    /// The document revision the canvas's layout and theme were derived from.
    pub revision: u64,
    pub zoom: f32,
    pub pixels_per_point: f32,
    /// The canvas on the screen (its clip).
    pub canvas: Rect,
    /// The cards being dragged, drawn faint in their place (indices, sorted).
    pub lifted: Vec<usize>,
    /// The filter's cards, compared by pointer: a new search is a new `Arc`.
    pub shown: Option<Arc<Vec<usize>>>,
    /// The font atlas the text's texture coordinates point into.
    pub atlas_size: [usize; 2],
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        let same_shown = match (&self.shown, &other.shown) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        self.revision == other.revision
            && self.zoom == other.zoom
            && self.pixels_per_point == other.pixels_per_point
            && self.canvas == other.canvas
            && self.lifted == other.lifted
            && self.atlas_size == other.atlas_size
            && same_shown
    }
}

/// The meshes of the last paint and what they were painted for.
pub struct ContentCache {
    enabled: bool,
    cached: Option<Cached>,
    /// Full paints so far (for tests).
    misses: u64,
    /// Where this frame's meshes went in the paint list, if it drew from the cache.
    emitted: Option<(LayerId, Vec<egui::layers::ShapeIdx>)>,
    /// The zoom of the last frame: while it changes from frame to frame (a zoom
    /// gliding), the content is painted as shapes and not kept.
    last_zoom: Option<f32>,
}

struct Cached {
    key: Key,
    /// The canvas translation the meshes were tessellated at.
    translation: Vec2,
    /// The screen area (at that translation) whose content the meshes hold.
    covered: Rect,
    /// How full the font atlas was: egui empties it when it fills, and the meshes'
    /// text then points at glyphs that are gone.
    atlas_fill: f32,
    meshes: Vec<(Rect, Arc<Mesh>)>,
}

impl Default for ContentCache {
    fn default() -> Self {
        Self {
            enabled: true,
            cached: None,
            misses: 0,
            emitted: None,
            last_zoom: None,
        }
    }
}

impl ContentCache {
    /// With `false`, every frame paints the content in full (for tests comparing both).
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        self.cached = None;
    }

    pub fn misses(&self) -> u64 {
        self.misses
    }

    /// Paints the content through `painter` (whose clip rect is the canvas): from the
    /// cache when `key` and the zoom match and the cached area covers what is visible
    /// of `bounds` (the content's extent on the screen now); else `draw` paints it
    /// into a recording painter whose clip rect it must honour, and it is tessellated
    /// and kept.
    pub fn paint(
        &mut self,
        painter: &Painter,
        key: Key,
        transform: TSTransform,
        bounds: Rect,
        draw: impl FnOnce(&Painter),
    ) {
        let ctx = painter.ctx();
        let canvas = painter.clip_rect();
        let gliding = self.last_zoom.is_some_and(|zoom| zoom != key.zoom);
        self.last_zoom = Some(key.zoom);
        if !self.enabled || gliding {
            // Tessellating for the cache would cost a second tessellation each frame.
            self.cached = None;
            draw(painter);
            return;
        }
        let atlas_fill = ctx.fonts(|fonts| fonts.font_atlas_fill_ratio());
        let hit = self.cached.as_ref().is_some_and(|cached| {
            let shift = transform.translation - cached.translation;
            // What must be drawn, where it was when the meshes were made.
            let needed = canvas.intersect(bounds).translate(-shift);
            cached.key == key
                && atlas_fill >= cached.atlas_fill
                && (!needed.is_positive() || cached.covered.contains_rect(needed))
        });
        if hit {
            let Some(cached) = &self.cached else { return };
            let shift = TSTransform::from_translation(transform.translation - cached.translation);
            let layer = painter.layer_id();
            let indices = ctx.graphics_mut(|graphics| {
                let list = graphics.entry(layer);
                let mut indices = Vec::with_capacity(cached.meshes.len());
                for (clip, mesh) in &cached.meshes {
                    let clip = (shift * *clip).intersect(canvas);
                    let index = list.add(clip, Shape::Mesh(mesh.clone()));
                    list.mutate_shape(index, |shape| shape.transform_after_tessellation = shift);
                    indices.push(index);
                }
                indices
            });
            self.emitted = Some((layer, indices));
            return;
        }
        // Past the covered area with nothing else changed, a pan: cover half a screen
        // more each way, so the next frames of the pan are copies too. Anything else
        // (the first frame, a zoom gliding, an edit) covers only the screen, as a full
        // paint would.
        let panned = self.cached.as_ref().is_some_and(|c| c.key == key);
        let margin = if panned {
            canvas.size() / 2.0
        } else {
            Vec2::ZERO
        };
        let covered = canvas.expand2(margin);
        let shapes = record(ctx, painter.layer_id(), covered, draw);
        // This frame draws the shapes themselves: text later in the frame may still
        // grow the font atlas, which moves the texture coordinates of every glyph. The
        // meshes serve the next frames, whose key then says which atlas they are for.
        ctx.graphics_mut(|graphics| {
            let list = graphics.entry(painter.layer_id());
            for shape in &shapes {
                list.add(shape.clip_rect.intersect(canvas), shape.shape.clone());
            }
        });
        let meshes = ctx
            .tessellate(shapes, key.pixels_per_point)
            .into_iter()
            .filter_map(|primitive| match primitive.primitive {
                Primitive::Mesh(mesh) => Some((primitive.clip_rect, Arc::new(mesh))),
                Primitive::Callback(_) => None,
            })
            .collect();
        self.misses += 1;
        self.cached = Some(Cached {
            key,
            translation: transform.translation,
            covered,
            atlas_fill: ctx.fonts(|fonts| fonts.font_atlas_fill_ratio()),
            meshes,
        });
    }
}

impl ContentCache {
    /// Call when the frame's last text has been laid out: if that grew the font atlas,
    /// the texture coordinates of the meshes drawn this frame are scaled to the new
    /// size (egui keeps glyphs where they were when it grows the atlas).
    pub fn end_frame(&mut self, ctx: &Context) {
        let Some((layer, indices)) = self.emitted.take() else {
            return;
        };
        let Some(cached) = &mut self.cached else {
            return;
        };
        let size = ctx.fonts(|fonts| fonts.font_image_size());
        let old = cached.key.atlas_size;
        if size == old {
            return;
        }
        let scale = egui::vec2(
            old[0] as f32 / size[0] as f32,
            old[1] as f32 / size[1] as f32,
        );
        for (_, mesh) in &mut cached.meshes {
            if mesh.texture_id == egui::TextureId::default() {
                for vertex in &mut Arc::make_mut(mesh).vertices {
                    vertex.uv = egui::pos2(vertex.uv.x * scale.x, vertex.uv.y * scale.y);
                }
            }
        }
        cached.key.atlas_size = size;
        ctx.graphics_mut(|graphics| {
            let list = graphics.entry(layer);
            for (index, (_, mesh)) in indices.into_iter().zip(&cached.meshes) {
                list.mutate_shape(index, |shape| shape.shape = Shape::Mesh(mesh.clone()));
            }
        });
    }
}

/// Paints `draw` into a layer of its own, culled to `covered`, and takes the shapes out
/// before egui sees them.
fn record(
    ctx: &Context,
    layer: LayerId,
    covered: Rect,
    draw: impl FnOnce(&Painter),
) -> Vec<ClippedShape> {
    let recording = LayerId::new(layer.order, layer.id.with("content recording"));
    draw(&Painter::new(ctx.clone(), recording, covered));
    let mut list = ctx.graphics_mut(|graphics| std::mem::take(graphics.entry(recording)));
    // Moved out one by one: `PaintList` hands out its shapes only by reference.
    let nothing = || ClippedShape::new(Rect::NOTHING, Shape::Noop);
    (0..list.next_idx().0)
        .map(|index| {
            let mut shape = nothing();
            let index = egui::layers::ShapeIdx(index);
            list.mutate_shape(index, |taken| std::mem::swap(taken, &mut shape));
            shape
        })
        .collect()
}
