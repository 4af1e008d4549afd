//! Glyph outlines from the bundled fonts, for vector exports: the face egui chose for a
//! character is found the way egui finds it (the family's fallback chain, in order), and
//! its outline is read with skrifa.

use super::path::Path;
use egui::epaint::text::{FontDefinitions, FontTweak};
use egui::{FontFamily, Pos2, pos2};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use std::collections::HashMap;
use std::sync::Arc;

/// One face of one font file, as egui uses it.
pub struct Face {
    pub name: String,
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    index: u32,
    pub tweak: FontTweak,
}

impl Face {
    pub fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// The font file, shared.
    pub fn data(&self) -> Arc<dyn AsRef<[u8]> + Send + Sync> {
        self.data.clone()
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    fn font(&self) -> Option<FontRef<'_>> {
        FontRef::from_index(self.bytes(), self.index).ok()
    }
}

/// A glyph of a face: what vector backends draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlyphKey {
    pub face: usize,
    pub glyph: u32,
}

/// The faces of the app's font definitions, and which face draws a character of a family.
pub struct Glyphs {
    pub faces: Vec<Face>,
    families: HashMap<FontFamily, Vec<usize>>,
    resolved: HashMap<(FontFamily, char), Option<GlyphKey>>,
}

impl Glyphs {
    pub fn new(definitions: &FontDefinitions) -> Self {
        let mut names: Vec<&String> = definitions.font_data.keys().collect();
        names.sort();
        let faces: Vec<Face> = names
            .iter()
            .map(|name| {
                let data = &definitions.font_data[*name];
                Face {
                    name: (*name).clone(),
                    data: data.font.clone(),
                    index: data.index,
                    tweak: data.tweak.clone(),
                }
            })
            .collect();
        let families = definitions
            .families
            .iter()
            .map(|(family, chain)| {
                let indices = chain
                    .iter()
                    .filter_map(|name| faces.iter().position(|f| &f.name == name))
                    .collect();
                (family.clone(), indices)
            })
            .collect();
        Self {
            faces,
            families,
            resolved: HashMap::new(),
        }
    }

    /// The face and glyph egui draws `chr` of `family` with: the first face of the
    /// chain that has it, else the first face's missing-glyph box (as egui draws it).
    pub fn resolve(&mut self, family: &FontFamily, chr: char) -> Option<GlyphKey> {
        if let Some(found) = self.resolved.get(&(family.clone(), chr)) {
            return *found;
        }
        let chain = self.families.get(family).map_or(&[][..], |c| c.as_slice());
        let found = chain
            .iter()
            .find_map(|&face| {
                let glyph = self.faces[face].font()?.charmap().map(chr)?;
                Some(GlyphKey {
                    face,
                    glyph: glyph.to_u32(),
                })
            })
            .or_else(|| chain.first().map(|&face| GlyphKey { face, glyph: 0 }));
        self.resolved.insert((family.clone(), chr), found);
        found
    }

    /// The outline of a glyph at `size` points per em, in points, with the origin on the
    /// baseline and y pointing down; `None` when the face has no outline for it.
    pub fn outline(&self, key: GlyphKey, size: f32) -> Option<Path> {
        let face = self.faces.get(key.face)?;
        let font = face.font()?;
        let glyph = font.outline_glyphs().get(GlyphId::new(key.glyph))?;
        let mut pen = FlipPen(Path::default());
        glyph
            .draw(
                DrawSettings::unhinted(Size::new(size), LocationRef::default()),
                &mut pen,
            )
            .ok()?;
        Some(pen.0)
    }

    /// The size egui renders a face at for a font size (emoji faces are scaled down).
    pub fn face_size(&self, face: usize, font_size: f32) -> f32 {
        font_size * self.faces.get(face).map_or(1.0, |f| f.tweak.scale)
    }

    /// How far egui moves a face's glyphs down, in points (rounded as egui rounds it).
    pub fn face_y_offset(&self, face: usize, font_size: f32) -> f32 {
        self.faces.get(face).map_or(0.0, |f| {
            let offset = font_size * f.tweak.scale * f.tweak.y_offset_factor + f.tweak.y_offset;
            egui::emath::GuiRounding::round_ui(offset)
        })
    }
}

/// Font outlines are y-up; the page is y-down.
struct FlipPen(Path);

impl OutlinePen for FlipPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(flip(x, y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(flip(x, y));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(flip(cx0, cy0), flip(x, y));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(flip(cx0, cy0), flip(cx1, cy1), flip(x, y));
    }
    fn close(&mut self) {
        self.0.close();
    }
}

fn flip(x: f32, y: f32) -> Pos2 {
    pos2(x, -y)
}
