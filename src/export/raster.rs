//! A CPU rasterizer of epaint meshes that draws what egui-wgpu draws with
//! `RendererOptions::PREDICTABLE` on an `Rgba8Unorm` target (`egui.wgsl`,
//! `fs_main_gamma_framebuffer`): premultiplied gamma-space vertex colour times a texel
//! fetched with manual bilinear filtering, blended `ONE, ONE_MINUS_SRC_ALPHA` and
//! quantised to 8 bits after every triangle.
//!
//! Vertices are snapped to 1/256 pixel as GPUs do, so coverage is decided by exact
//! integer edge functions at pixel centres with the top-left rule: triangles sharing
//! an edge cover every pixel along it exactly once, whatever their winding.

use std::collections::HashMap;
use std::sync::Mutex;

use egui::epaint::{
    ClippedPrimitive, Color32, ImageData, ImageDelta, Pos2, Primitive, Rect, Vertex,
};
use egui::{TextureFilter, TextureId, TextureOptions, TextureWrapMode, TexturesDelta};

/// Sub-pixel precision of snapped vertices: 1/256 pixel, like most GPUs.
const ONE: i64 = 1 << 8;
const HALF: i64 = ONE / 2;
/// Pixels further than this from the target origin are not drawn, so edge functions fit in `i64`.
const MAX_COORD_PX: i64 = 1 << 21;
/// More bands than threads, so a band full of text does not leave the other cores idle.
const BANDS_PER_THREAD: usize = 4;
/// A translucent fill this large blends through a table of its 4 × 256 possible results.
const BLEND_TABLE_MIN_PIXELS: i64 = 4096;
/// Fewer rows per band would cost more in per-band triangle setup than threads gain.
const MIN_BAND_ROWS: usize = 32;

/// Textures uploaded by egui (the font atlas is `TextureId::Managed(0)`).
#[derive(Default)]
pub struct TextureStore {
    textures: HashMap<TextureId, Texture>,
}

struct Texture {
    width: usize,
    height: usize,
    texels: Vec<Color32>,
    options: TextureOptions,
}

impl TextureStore {
    /// Applies and drains egui's texture changes: whole and partial uploads, then frees.
    pub fn apply(&mut self, delta: &mut TexturesDelta) {
        for (id, image_deltas) in delta.set.drain() {
            for image_delta in &image_deltas {
                self.set(id, image_delta);
            }
        }
        for id in delta.free.drain() {
            self.textures.remove(&id);
        }
    }

    fn set(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        let [width, height] = image.size;
        if image.pixels.len() != width * height {
            return;
        }
        let Some([x0, y0]) = delta.pos else {
            let texels = image.pixels.clone();
            let options = delta.options;
            self.textures.insert(
                id,
                Texture {
                    width,
                    height,
                    texels,
                    options,
                },
            );
            return;
        };
        // A patch of a texture never uploaded has nothing to patch (egui-wgpu would panic).
        let Some(texture) = self.textures.get_mut(&id) else {
            return;
        };
        texture.options = delta.options;
        let columns = width.min(texture.width.saturating_sub(x0));
        for y in 0..height.min(texture.height.saturating_sub(y0)) {
            let start = (y0 + y) * texture.width + x0;
            texture.texels[start..start + columns]
                .copy_from_slice(&image.pixels[y * width..y * width + columns]);
        }
    }
}

impl Texture {
    /// `sample_texture` of egui.wgsl with predictable filtering: wrapped texel loads,
    /// bilinear between texel centres unless magnification is `Nearest`; 0..=255 per channel.
    fn sample(&self, uv: Pos2) -> [f32; 4] {
        let (x, y) = (uv.x * self.width as f32, uv.y * self.height as f32);
        if self.options.magnification == TextureFilter::Nearest {
            return self.texel(self.row(floor(y)) + self.column(floor(x)));
        }
        let (x, y) = (x - 0.5, y - 0.5);
        let (x0, y0) = (floor(x), floor(y));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let (left, right) = (self.column(x0), self.column(x0 + 1));
        let (top, bottom) = (self.row(y0), self.row(y0 + 1));
        let upper = mix(self.texel(top + left), self.texel(top + right), fx);
        let lower = mix(self.texel(bottom + left), self.texel(bottom + right), fx);
        mix(upper, lower, fy)
    }

    fn column(&self, x: i64) -> usize {
        wrap(x, self.width, self.options.wrap_mode)
    }

    /// The index of the first texel of row `y`.
    fn row(&self, y: i64) -> usize {
        wrap(y, self.height, self.options.wrap_mode) * self.width
    }

    fn texel(&self, index: usize) -> [f32; 4] {
        self.texels[index].to_array().map(f32::from)
    }
}

fn wrap(coord: i64, size: usize, mode: TextureWrapMode) -> usize {
    let size = size as i64;
    let wrapped = match mode {
        TextureWrapMode::ClampToEdge => coord.clamp(0, size - 1),
        TextureWrapMode::Repeat => coord.rem_euclid(size),
        TextureWrapMode::MirroredRepeat => {
            let phase = coord.rem_euclid(2 * size);
            phase.min(2 * size - 1 - phase)
        }
    };
    wrapped as usize
}

/// `f32::floor` without the libm call that baseline x86-64 makes of it (NaN gives 0).
fn floor(v: f32) -> i64 {
    let truncated = v as i64;
    truncated - i64::from((truncated as f32) > v)
}

/// `f32::round` (half away from zero) without the libm call.
fn round(v: f32) -> i64 {
    if v >= 0.0 {
        (v + 0.5) as i64
    } else {
        -((0.5 - v) as i64)
    }
}

fn mix(a: [f32; 4], b: [f32; 4], t: f32) -> [f32; 4] {
    std::array::from_fn(|i| a[i] + (b[i] - a[i]) * t)
}

fn unorm(v: u8) -> f32 {
    f32::from(v) / 255.0
}

/// What a UNORM8 target stores of `v / 255`: round to nearest, saturate (NaN gives 0).
fn quantize(v: f32) -> u8 {
    (v + 0.5) as u8
}

/// An RGBA8 image with premultiplied alpha, row-major.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Pixels {
    /// The image as egui's texture and clipboard type (both premultiplied).
    pub fn to_color_image(&self) -> egui::ColorImage {
        egui::ColorImage::from_rgba_premultiplied(
            [self.width as usize, self.height as usize],
            &self.rgba,
        )
    }

    /// An image filled with `fill` (premultiplied).
    pub fn new(width: u32, height: u32, fill: Color32) -> Self {
        let count = width as usize * height as usize;
        let rgba = if fill == Color32::TRANSPARENT {
            vec![0; count * 4]
        } else {
            fill.to_array().repeat(count)
        };
        Self {
            width,
            height,
            rgba,
        }
    }

    /// Converts premultiplied to straight alpha in place (what PNG wants).
    pub fn unpremultiply(&mut self) {
        for pixel in self.rgba.as_chunks_mut::<4>().0 {
            *pixel = match pixel[3] {
                255 => continue,
                0 => [0; 4],
                _ => Color32::from_rgba_premultiplied(pixel[0], pixel[1], pixel[2], pixel[3])
                    .to_srgba_unmultiplied(),
            };
        }
    }
}

/// Draws the primitives onto `target`, splitting the rows into bands, one thread per available core.
pub fn draw(
    target: &mut Pixels,
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
) {
    draw_region(target, (0, 0), primitives, textures, pixels_per_point);
}

/// Like [`draw`], with `target` a window of a larger virtual image whose pixel
/// `origin_px` is the target's pixel (0, 0): tiles drawn this way and put side by side
/// are byte-identical to one big drawing.
pub fn draw_region(
    target: &mut Pixels,
    origin_px: (i64, i64),
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
) {
    let bands = (available_threads() * BANDS_PER_THREAD)
        .min((target.height as usize).div_ceil(MIN_BAND_ROWS));
    draw_with_bands(
        target,
        origin_px,
        primitives,
        textures,
        pixels_per_point,
        bands,
    );
}

/// [`draw_region`] with the rows split into `bands` bands (at least 1), drawn on up to
/// one thread per core; 1 band draws on the calling thread. The output does not depend on `bands`.
pub fn draw_with_bands(
    target: &mut Pixels,
    origin_px: (i64, i64),
    primitives: &[ClippedPrimitive],
    textures: &TextureStore,
    pixels_per_point: f32,
    bands: usize,
) {
    let row_bytes = target.width as usize * 4;
    let height = (target.height as usize).min(target.rgba.len() / row_bytes.max(1));
    if row_bytes == 0 || height == 0 {
        return;
    }
    let scene = Scene {
        primitives,
        textures,
        ppp: pixels_per_point,
        origin: origin_px,
        width: i64::from(target.width).min(MAX_COORD_PX),
    };
    let rows_per_band = height.div_ceil(bands.clamp(1, height));
    let bands = target.rgba[..height * row_bytes]
        .chunks_mut(rows_per_band * row_bytes)
        .enumerate()
        .map(|(index, rgba)| Band::new(rgba, (index * rows_per_band) as i64, row_bytes));
    let threads = available_threads().min(height.div_ceil(rows_per_band));
    if threads <= 1 {
        bands.for_each(|mut band| scene.draw_band(&mut band));
        return;
    }
    let queue = Mutex::new(bands);
    let next_band = || queue.lock().ok().and_then(|mut bands| bands.next());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(mut band) = next_band() {
                    scene.draw_band(&mut band);
                }
            });
        }
    });
}

/// Threads for drawing and compressing an export: one per core, or
/// `JOURNEYMAP_THREADS` when set (the output is the same bytes for any number).
pub fn available_threads() -> usize {
    let cores = || std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    std::env::var("JOURNEYMAP_THREADS")
        .ok()
        .and_then(|threads| threads.trim().parse::<usize>().ok())
        .filter(|&threads| threads > 0)
        .unwrap_or_else(cores)
}

/// Everything every band needs to draw.
struct Scene<'a> {
    primitives: &'a [ClippedPrimitive],
    textures: &'a TextureStore,
    ppp: f32,
    origin: (i64, i64),
    /// Target columns that can be drawn.
    width: i64,
}

/// Consecutive whole rows of the target, drawn by one thread.
struct Band<'a> {
    rgba: &'a mut [u8],
    y0: i64,
    y1: i64,
    row_bytes: usize,
}

impl<'a> Band<'a> {
    fn new(rgba: &'a mut [u8], y0: i64, row_bytes: usize) -> Self {
        let rows = (rgba.len() / row_bytes) as i64;
        let y1 = (y0 + rows).min(MAX_COORD_PX);
        Self {
            rgba,
            y0,
            y1,
            row_bytes,
        }
    }

    /// Pixels `x0..x1` of row `y`.
    fn span(&mut self, y: i64, x0: i64, x1: i64) -> &mut [[u8; 4]] {
        let row = (y - self.y0) as usize * self.row_bytes;
        self.rgba[row + x0 as usize * 4..row + x1 as usize * 4]
            .as_chunks_mut()
            .0
    }
}

impl Scene<'_> {
    fn draw_band(&self, band: &mut Band<'_>) {
        let band_rect = PixelRect {
            x0: 0,
            y0: band.y0,
            x1: self.width,
            y1: band.y1,
        };
        for primitive in self.primitives {
            // Paint callbacks cannot be rasterized.
            let Primitive::Mesh(mesh) = &primitive.primitive else {
                continue;
            };
            // egui-wgpu skips meshes whose texture it does not have, too.
            let Some(texture) = self.textures.textures.get(&mesh.texture_id) else {
                continue;
            };
            if texture.texels.is_empty() {
                continue;
            }
            let clip = scissor(primitive.clip_rect, self.ppp, self.origin).intersect(band_rect);
            if clip.is_empty() {
                continue;
            }
            for indices in mesh.indices.chunks_exact(3) {
                let vertex = |i: usize| mesh.vertices.get(indices[i] as usize);
                let (Some(a), Some(b), Some(c)) = (vertex(0), vertex(1), vertex(2)) else {
                    continue;
                };
                if let Some(triangle) = Triangle::new([a, b, c], clip, self.ppp, self.origin) {
                    triangle.draw(band, texture);
                }
            }
        }
    }
}

/// A half-open rectangle of target pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PixelRect {
    x0: i64,
    y0: i64,
    x1: i64,
    y1: i64,
}

impl PixelRect {
    fn intersect(self, other: Self) -> Self {
        let (x0, y0) = (self.x0.max(other.x0), self.y0.max(other.y0));
        let (x1, y1) = (self.x1.min(other.x1).max(x0), self.y1.min(other.y1).max(y0));
        Self { x0, y0, x1, y1 }
    }

    fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }
}

/// egui-wgpu's `ScissorRect::new`: the clip rect in pixels, each corner rounded, not below 0.
fn scissor(clip: Rect, ppp: f32, origin: (i64, i64)) -> PixelRect {
    let pixel = |v: f32| round(v * ppp).max(0);
    let (x0, y0) = (pixel(clip.min.x), pixel(clip.min.y));
    let (x1, y1) = (pixel(clip.max.x).max(x0), pixel(clip.max.y).max(y0));
    PixelRect {
        x0: x0.saturating_sub(origin.0),
        y0: y0.saturating_sub(origin.1),
        x1: x1.saturating_sub(origin.0),
        y1: y1.saturating_sub(origin.1),
    }
}

/// A vertex position in target pixels, fixed point, clamped so edge functions fit in `i64`.
fn snap(pos: Pos2, ppp: f32, origin: (i64, i64)) -> [i64; 2] {
    let limit = MAX_COORD_PX * ONE;
    let fixed = |v: f32, origin: i64| {
        round(v * ppp * ONE as f32)
            .saturating_sub(origin.saturating_mul(ONE))
            .clamp(-limit, limit)
    };
    [fixed(pos.x, origin.0), fixed(pos.y, origin.1)]
}

/// Twice the signed area of (a, b, p): positive when p is right of a→b on screen (y down).
fn edge_function(a: [i64; 2], b: [i64; 2], p: [i64; 2]) -> i64 {
    (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
}

/// One edge's function at the first pixel centre of the bounding box, and its steps.
#[derive(Clone, Copy)]
struct Edge {
    at_start: i64,
    step_x: i64,
    step_y: i64,
    /// 1 unless the edge is top or left: pixel centres exactly on it are outside.
    bias: i64,
}

impl Edge {
    fn new(a: [i64; 2], b: [i64; 2], start: [i64; 2]) -> Self {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let top_left = dy < 0 || (dy == 0 && dx > 0);
        Self {
            at_start: edge_function(a, b, start),
            step_x: -dy * ONE,
            step_y: dx * ONE,
            bias: i64::from(!top_left),
        }
    }
}

/// A triangle with positive area, clipped to a pixel rectangle, ready to scan.
struct Triangle<'a> {
    vertices: [&'a Vertex; 3],
    /// The edge opposite each vertex: its function is that vertex's barycentric weight × area.
    edges: [Edge; 3],
    bounds: PixelRect,
    inv_area: f32,
}

impl<'a> Triangle<'a> {
    fn new(
        vertices: [&'a Vertex; 3],
        clip: PixelRect,
        ppp: f32,
        origin: (i64, i64),
    ) -> Option<Self> {
        let mut p = vertices.map(|v| snap(v.pos, ppp, origin));
        let (x0, x1) = pixel_range(p.map(|p| p[0]));
        let (y0, y1) = pixel_range(p.map(|p| p[1]));
        let bounds = PixelRect { x0, y0, x1, y1 }.intersect(clip);
        if bounds.is_empty() {
            return None;
        }
        let mut vertices = vertices;
        let mut area = edge_function(p[0], p[1], p[2]);
        if area == 0 {
            return None;
        }
        // egui's winding is inconsistent, so there is no culling: flip to positive area.
        if area < 0 {
            vertices.swap(1, 2);
            p.swap(1, 2);
            area = -area;
        }
        let start = [bounds.x0 * ONE + HALF, bounds.y0 * ONE + HALF];
        let edges = [
            Edge::new(p[1], p[2], start),
            Edge::new(p[2], p[0], start),
            Edge::new(p[0], p[1], start),
        ];
        Some(Self {
            vertices,
            edges,
            bounds,
            inv_area: 1.0 / area as f32,
        })
    }
}

impl Triangle<'_> {
    fn draw(&self, band: &mut Band<'_>, texture: &Texture) {
        let [a, b, c] = self.vertices;
        let uniform_colour = a.color == b.color && b.color == c.color;
        let colours = self.vertices.map(|v| v.color.to_array().map(unorm));
        let colour = colours[0];
        if a.uv == b.uv && b.uv == c.uv {
            // Untextured shapes all sample WHITE_UV: one texel fetch per triangle.
            let texel = texture.sample(a.uv);
            if uniform_colour {
                self.fill(band, multiply(colour, texel));
            } else {
                self.shade(band, |weights| {
                    multiply(interpolate(&colours, weights), texel)
                });
            }
        } else {
            let uvs = self.vertices.map(|v| v.uv);
            let sample = |w: [f32; 3]| {
                let uv =
                    |axis: usize| w[0] * uvs[0][axis] + w[1] * uvs[1][axis] + w[2] * uvs[2][axis];
                texture.sample(Pos2::new(uv(0), uv(1)))
            };
            if uniform_colour {
                self.shade(band, |weights| multiply(colour, sample(weights)));
            } else {
                self.shade(band, |weights| {
                    multiply(interpolate(&colours, weights), sample(weights))
                });
            }
        }
    }

    /// Paints one colour everywhere: opaque overwrites, transparent black changes nothing.
    fn fill(&self, band: &mut Band<'_>, src: [f32; 4]) {
        if src == [0.0; 4] {
            return;
        }
        if src[3] >= 255.0 {
            let bytes = src.map(quantize);
            self.for_each_span(band, |pixels, _, _| pixels.fill(bytes));
            return;
        }
        let bounds = self.bounds;
        if (bounds.x1 - bounds.x0) * (bounds.y1 - bounds.y0) < BLEND_TABLE_MIN_PIXELS {
            self.for_each_span(band, |pixels, _, _| {
                pixels.iter_mut().for_each(|pixel| blend(pixel, src));
            });
            return;
        }
        // The same `blend`, computed once per channel and destination value.
        let table: [[u8; 256]; 4] = std::array::from_fn(|channel| {
            std::array::from_fn(|dst| {
                let mut pixel = [0; 4];
                pixel[channel] = dst as u8;
                blend(&mut pixel, src);
                pixel[channel]
            })
        });
        self.for_each_span(band, |pixels, _, _| {
            for pixel in pixels {
                *pixel = std::array::from_fn(|channel| table[channel][usize::from(pixel[channel])]);
            }
        });
    }

    /// Paints `src_at(barycentric weights)` at each covered pixel centre.
    fn shade(&self, band: &mut Band<'_>, mut src_at: impl FnMut([f32; 3]) -> [f32; 4]) {
        let inv_area = self.inv_area;
        self.for_each_span(band, |pixels, mut at_pixel, steps| {
            for pixel in pixels {
                let src = src_at(at_pixel.map(|value| value as f32 * inv_area));
                // Glyph quads are mostly empty texels, which change nothing.
                if src != [0.0; 4] {
                    blend(pixel, src);
                }
                for (value, step) in at_pixel.iter_mut().zip(steps) {
                    *value += step;
                }
            }
        });
    }

    /// Calls `paint` with each row's run of covered pixels, the edge functions at the
    /// run's first pixel centre and their steps per pixel.
    fn for_each_span(
        &self,
        band: &mut Band<'_>,
        mut paint: impl FnMut(&mut [[u8; 4]], [i64; 3], [i64; 3]),
    ) {
        let steps = self.edges.map(|edge| edge.step_x);
        let mut at_row = self.edges.map(|edge| edge.at_start);
        let (x0, width) = (self.bounds.x0, self.bounds.x1 - self.bounds.x0);
        for y in self.bounds.y0..self.bounds.y1 {
            if let Some((first, end)) = covered(&self.edges, at_row, width) {
                let at_first = std::array::from_fn(|i| at_row[i] + steps[i] * first);
                paint(band.span(y, x0 + first, x0 + end), at_first, steps);
            }
            for (value, edge) in at_row.iter_mut().zip(&self.edges) {
                *value += edge.step_y;
            }
        }
    }
}

/// The pixels `first..end` of a row of `width` whose centres are inside all three edges,
/// given the edge functions at the row's first pixel centre.
fn covered(edges: &[Edge; 3], at_row: [i64; 3], width: i64) -> Option<(i64, i64)> {
    let (mut first, mut end) = (0, width);
    for (edge, value) in edges.iter().zip(at_row) {
        // Pixel k is inside this edge iff value - bias + step_x * k >= 0.
        let value = value - edge.bias;
        if edge.step_x > 0 {
            if value < 0 {
                first = first.max((-value + edge.step_x - 1) / edge.step_x);
            }
        } else if value < 0 {
            return None;
        } else if edge.step_x < 0 {
            end = end.min(value / -edge.step_x + 1);
        }
    }
    (first < end).then_some((first, end))
}

fn interpolate(values: &[[f32; 4]; 3], weights: [f32; 3]) -> [f32; 4] {
    std::array::from_fn(|i| {
        weights[0] * values[0][i] + weights[1] * values[1][i] + weights[2] * values[2][i]
    })
}

fn multiply(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    std::array::from_fn(|i| a[i] * b[i])
}

/// egui-wgpu's blend state: colour `ONE, ONE_MINUS_SRC_ALPHA`; alpha `ONE_MINUS_DST_ALPHA, ONE`,
/// which is the same value and lets all four channels share one formula. `src` is in 0..=255.
fn blend(pixel: &mut [u8; 4], src: [f32; 4]) {
    let keep = 1.0 - src[3] * (1.0 / 255.0);
    *pixel = std::array::from_fn(|i| quantize(src[i] + f32::from(pixel[i]) * keep));
}

/// The pixels whose centres lie between the least and greatest of `fixed`: first, one past last.
fn pixel_range(fixed: [i64; 3]) -> (i64, i64) {
    let min = fixed[0].min(fixed[1]).min(fixed[2]);
    let max = fixed[0].max(fixed[1]).max(fixed[2]);
    (-((HALF - min) >> 8), ((max - HALF) >> 8) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{ColorImage, Mesh, WHITE_UV, pos2, vec2};
    use egui::{Align2, FontId};

    const HALF_RED: Color32 = Color32::from_rgba_premultiplied(100, 20, 0, 128);

    fn store_with(id: TextureId, image: ColorImage, options: TextureOptions) -> TextureStore {
        let mut delta = TexturesDelta::default();
        delta.push(id, ImageDelta::full(image, options));
        let mut store = TextureStore::default();
        store.apply(&mut delta);
        store
    }

    /// Texture 0 with an opaque white texel at WHITE_UV, like the font atlas.
    fn white_store() -> TextureStore {
        let image = ColorImage::new([1, 1], vec![Color32::WHITE]);
        store_with(TextureId::default(), image, TextureOptions::LINEAR)
    }

    fn quad(rect: Rect, color: Color32, diagonal: [u32; 6]) -> Mesh {
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
        ];
        let uvs = [
            pos2(0.0, 0.0),
            pos2(1.0, 0.0),
            pos2(1.0, 1.0),
            pos2(0.0, 1.0),
        ];
        let vertices = corners
            .iter()
            .zip(uvs)
            .map(|(&pos, uv)| Vertex { pos, uv, color });
        Mesh {
            indices: diagonal.to_vec(),
            vertices: vertices.collect(),
            ..Default::default()
        }
    }

    fn untextured_quad(rect: Rect, color: Color32, diagonal: [u32; 6]) -> Mesh {
        let mut mesh = quad(rect, color, diagonal);
        mesh.vertices.iter_mut().for_each(|v| v.uv = WHITE_UV);
        mesh
    }

    fn clipped(clip_rect: Rect, mesh: Mesh) -> ClippedPrimitive {
        ClippedPrimitive {
            clip_rect,
            primitive: Primitive::Mesh(mesh),
        }
    }

    fn pixel(pixels: &Pixels, x: u32, y: u32) -> [u8; 4] {
        let start = ((y * pixels.width + x) * 4) as usize;
        let mut rgba = [0; 4];
        rgba.copy_from_slice(&pixels.rgba[start..start + 4]);
        rgba
    }

    /// Asserts that exactly the pixels in `x0..x1` × `y0..y1` hold `inside`, the rest are transparent.
    fn assert_covers(pixels: &Pixels, [x0, y0, x1, y1]: [u32; 4], inside: Color32, case: &str) {
        for y in 0..pixels.height {
            for x in 0..pixels.width {
                let covered = (x0..x1).contains(&x) && (y0..y1).contains(&y);
                let expected = if covered { inside.to_array() } else { [0; 4] };
                assert_eq!(pixel(pixels, x, y), expected, "{case}: pixel ({x}, {y})");
            }
        }
    }

    #[test]
    fn two_triangles_cover_a_pixel_aligned_rect_exactly_once() {
        let textures = white_store();
        // Both diagonals, both windings: a pixel blended twice would not be HALF_RED.
        let triangulations = [
            [0, 1, 2, 0, 2, 3],
            [0, 2, 1, 0, 3, 2],
            [0, 1, 3, 1, 2, 3],
            [1, 0, 3, 3, 2, 1],
        ];
        for (ppp, rect) in [
            (1.0, Rect::from_min_max(pos2(2.0, 3.0), pos2(7.0, 9.0))),
            (1.0, Rect::from_min_max(pos2(2.5, 3.5), pos2(7.5, 9.5))),
            (2.0, Rect::from_min_max(pos2(1.0, 1.5), pos2(3.5, 4.5))),
        ] {
            for triangulation in triangulations {
                let mesh = untextured_quad(rect, HALF_RED, triangulation);
                let mut pixels = Pixels::new(12, 12, Color32::TRANSPARENT);
                draw(
                    &mut pixels,
                    &[clipped(Rect::EVERYTHING, mesh)],
                    &textures,
                    ppp,
                );
                let case = format!("{rect:?} at {ppp}x split {triangulation:?}");
                // Pixel centres on a left or top edge are inside, on a right or bottom edge outside.
                assert_covers(&pixels, [2, 3, 7, 9], HALF_RED, &case);
            }
        }
    }

    #[test]
    fn scissor_keeps_the_pixels_of_the_rounded_clip_rect() {
        let textures = white_store();
        let everything = Rect::from_min_max(pos2(-5.0, -5.0), pos2(50.0, 50.0));
        let clip = Rect::from_min_max(pos2(2.4, 3.6), pos2(5.5, 7.2));
        for (ppp, expected) in [(1.0, [2, 4, 6, 7]), (2.0, [5, 7, 11, 14])] {
            let mesh = untextured_quad(everything, HALF_RED, [0, 1, 2, 0, 2, 3]);
            let mut pixels = Pixels::new(16, 16, Color32::TRANSPARENT);
            draw(&mut pixels, &[clipped(clip, mesh)], &textures, ppp);
            assert_covers(&pixels, expected, HALF_RED, &format!("clip at {ppp}x"));
        }
    }

    #[test]
    fn large_translucent_fills_blend_like_small_ones() {
        let textures = white_store();
        let area = Rect::from_min_size(Pos2::ZERO, vec2(80.0, 80.0));
        let mut background = untextured_quad(area, Color32::RED, [0, 1, 2, 0, 2, 3]);
        background.vertices[2].color = Color32::from_rgba_premultiplied(0, 90, 200, 220);
        let mut pixels = Pixels::new(80, 80, Color32::TRANSPARENT);
        draw(&mut pixels, &[clipped(area, background)], &textures, 1.0);

        // Bigger than BLEND_TABLE_MIN_PIXELS: blended through the table.
        let mut expected = pixels.rgba.clone();
        let src = multiply(HALF_RED.to_array().map(unorm), [255.0; 4]);
        expected
            .as_chunks_mut()
            .0
            .iter_mut()
            .for_each(|pixel| blend(pixel, src));
        let cover = untextured_quad(area, HALF_RED, [0, 1, 2, 0, 2, 3]);
        draw(&mut pixels, &[clipped(area, cover)], &textures, 1.0);
        assert!(pixels.rgba == expected);
    }

    fn two_by_two(options: TextureOptions) -> Texture {
        let grey = |v: u8| Color32::from_rgba_premultiplied(v, v, v, 255);
        let texels = vec![grey(0), grey(200), grey(100), grey(40)];
        Texture {
            width: 2,
            height: 2,
            texels,
            options,
        }
    }

    #[test]
    fn bilinear_sampling_interpolates_between_texel_centres() {
        let linear = two_by_two(TextureOptions::LINEAR);
        let red = |uv: Pos2| linear.sample(uv)[0].round();
        assert_eq!(red(pos2(0.25, 0.25)), 0.0, "texel centre");
        assert_eq!(red(pos2(0.75, 0.75)), 40.0, "texel centre");
        assert_eq!(red(pos2(0.5, 0.25)), 100.0, "half-way along the top row");
        assert_eq!(red(pos2(0.25, 0.5)), 50.0, "half-way down the left column");
        assert_eq!(red(pos2(0.5, 0.5)), 85.0, "the middle of four texels");
        assert_eq!(red(pos2(0.0, 0.0)), 0.0, "clamped to the edge");

        let nearest = two_by_two(TextureOptions::NEAREST);
        assert_eq!(nearest.sample(pos2(0.6, 0.4))[0], 200.0);

        let wrapped = |wrap_mode| {
            let texture = two_by_two(TextureOptions {
                wrap_mode,
                ..TextureOptions::LINEAR
            });
            texture.sample(pos2(-0.25, 0.25))[0].round()
        };
        assert_eq!(wrapped(TextureWrapMode::ClampToEdge), 0.0);
        assert_eq!(wrapped(TextureWrapMode::Repeat), 200.0);
        assert_eq!(wrapped(TextureWrapMode::MirroredRepeat), 0.0);
    }

    #[test]
    fn textured_quad_samples_texel_centres_at_pixel_centres() {
        let id = TextureId::User(7);
        let grey = |v: u8| Color32::from_rgba_premultiplied(v, v, v, 255);
        let image = ColorImage::new([2, 2], vec![grey(0), grey(200), grey(100), grey(40)]);
        let textures = store_with(id, image, TextureOptions::LINEAR);
        let mut mesh = quad(
            Rect::from_min_size(Pos2::ZERO, vec2(2.0, 2.0)),
            Color32::WHITE,
            [0, 1, 2, 0, 2, 3],
        );
        mesh.texture_id = id;
        let mut pixels = Pixels::new(2, 2, Color32::TRANSPARENT);
        draw(
            &mut pixels,
            &[clipped(Rect::EVERYTHING, mesh)],
            &textures,
            1.0,
        );
        let reds: Vec<u8> = pixels.rgba.chunks_exact(4).map(|p| p[0]).collect();
        assert_eq!(reds, [0, 200, 100, 40]);
    }

    #[test]
    fn partial_texture_updates_patch_the_stored_texture() {
        let id = TextureId::Managed(0);
        let mut store = store_with(
            id,
            ColorImage::filled([4, 2], Color32::WHITE),
            TextureOptions::LINEAR,
        );
        let mut delta = TexturesDelta::default();
        let patch = ColorImage::filled([2, 1], Color32::RED);
        delta.push(
            id,
            ImageDelta::partial([1, 1], patch, TextureOptions::NEAREST),
        );
        store.apply(&mut delta);
        let texture = &store.textures[&id];
        let reds: Vec<u8> = texture.texels.iter().map(|c| c.g()).collect();
        assert_eq!(reds, [255, 255, 255, 255, 255, 0, 0, 255]);
        assert_eq!(texture.options, TextureOptions::NEAREST);

        delta.free(id);
        store.apply(&mut delta);
        assert!(store.textures.is_empty());
    }

    #[test]
    fn unpremultiply_divides_by_alpha() {
        let mut pixels = Pixels::new(3, 1, Color32::TRANSPARENT);
        pixels
            .rgba
            .copy_from_slice(&[100, 50, 0, 128, 9, 9, 9, 0, 10, 20, 30, 255]);
        pixels.unpremultiply();
        assert_eq!(pixels.rgba, [199, 100, 0, 128, 0, 0, 0, 0, 10, 20, 30, 255]);
    }

    const RECT: Rect = Rect {
        min: pos2(20.0, 60.0),
        max: pos2(100.0, 100.0),
    };
    const RECT_COLOUR: Color32 = Color32::from_rgb(30, 120, 200);
    const TEXT_RECT: Rect = Rect {
        min: pos2(10.0, 10.0),
        max: pos2(200.0, 40.0),
    };

    /// A headless egui frame like the PNG exporter's: a rect, a circle and text on light visuals.
    fn egui_frame(ppp: f32) -> (Vec<ClippedPrimitive>, TextureStore, Pixels) {
        let ctx = egui::Context::default();
        ctx.set_visuals(egui::Visuals::light());
        let mut input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(240.0, 120.0))),
            ..Default::default()
        };
        if let Some(viewport) = input.viewports.get_mut(&egui::ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(ppp);
        }
        let mut output = ctx.run_ui(input, |ui| {
            let painter = ui.painter();
            painter.rect_filled(RECT, 0.0, RECT_COLOUR);
            painter.circle_filled(pos2(180.0, 80.0), 20.0, HALF_RED);
            let font = FontId::proportional(20.0);
            painter.text(
                TEXT_RECT.min,
                Align2::LEFT_TOP,
                "Journey map",
                font,
                Color32::BLACK,
            );
        });
        let mut textures = TextureStore::default();
        textures.apply(&mut output.textures_delta);
        let primitives =
            ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        let size = (ctx.content_rect().size() * ppp).round();
        let pixels = Pixels::new(size.x as u32, size.y as u32, Color32::WHITE);
        (primitives, textures, pixels)
    }

    /// The pixels whose centres are inside `rect` (in points) at `ppp`.
    fn pixels_in(rect: Rect, ppp: f32) -> impl Iterator<Item = (u32, u32)> {
        let rect = rect.shrink(0.5 / ppp);
        let (x0, x1) = (
            (rect.min.x * ppp).ceil() as u32,
            (rect.max.x * ppp).floor() as u32,
        );
        let (y0, y1) = (
            (rect.min.y * ppp).ceil() as u32,
            (rect.max.y * ppp).floor() as u32,
        );
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| (x, y)))
    }

    #[test]
    fn headless_egui_frame_renders_text_and_exact_fills() {
        for ppp in [1.0, 2.0] {
            let (primitives, textures, mut pixels) = egui_frame(ppp);
            assert_eq!(
                [pixels.width, pixels.height],
                [(240.0 * ppp) as u32, (120.0 * ppp) as u32]
            );
            draw(&mut pixels, &primitives, &textures, ppp);

            for (x, y) in pixels_in(RECT.shrink(1.0), ppp) {
                assert_eq!(
                    pixel(&pixels, x, y),
                    RECT_COLOUR.to_array(),
                    "rect at {ppp}x: ({x}, {y})"
                );
            }
            assert_eq!(pixel(&pixels, 0, 0), [255; 4], "background at {ppp}x");
            let inked = pixels_in(TEXT_RECT, ppp)
                .filter(|&(x, y)| pixel(&pixels, x, y)[0] < 128)
                .count();
            let ink_per_point = inked as f32 / (ppp * ppp);
            assert!(
                ink_per_point > 200.0,
                "text at {ppp}x has {inked} dark pixels"
            );
        }
    }

    #[test]
    fn banded_drawing_is_identical_to_one_band() {
        let (primitives, textures, blank) = egui_frame(2.0);
        let drawn_with = |bands| {
            let mut pixels = Pixels {
                rgba: blank.rgba.clone(),
                ..blank
            };
            draw_with_bands(&mut pixels, (0, 0), &primitives, &textures, 2.0, bands);
            pixels.rgba
        };
        let one_band = drawn_with(1);
        for bands in [2, 3, 7, 64, 10_000] {
            assert!(
                drawn_with(bands) == one_band,
                "{bands} bands differ from one"
            );
        }
    }

    #[test]
    fn tiles_put_together_are_identical_to_one_drawing() {
        let ppp = 2.0;
        let (primitives, textures, mut whole) = egui_frame(ppp);
        let blank = Pixels {
            rgba: whole.rgba.clone(),
            ..whole
        };
        draw(&mut whole, &primitives, &textures, ppp);
        let (tile_w, tile_h) = (100, 70);
        for tile_y in (0..blank.height).step_by(tile_h as usize) {
            for tile_x in (0..blank.width).step_by(tile_w as usize) {
                let (w, h) = (
                    tile_w.min(blank.width - tile_x),
                    tile_h.min(blank.height - tile_y),
                );
                let mut tile = Pixels::new(w, h, Color32::WHITE);
                draw_region(
                    &mut tile,
                    (tile_x.into(), tile_y.into()),
                    &primitives,
                    &textures,
                    ppp,
                );
                for y in 0..h {
                    for x in 0..w {
                        let expected = pixel(&whole, tile_x + x, tile_y + y);
                        assert_eq!(
                            pixel(&tile, x, y),
                            expected,
                            "pixel ({}, {})",
                            tile_x + x,
                            tile_y + y
                        );
                    }
                }
            }
        }
    }
}
