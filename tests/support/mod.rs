//! Test support shared by integration tests: a kittest renderer that draws with
//! journeymap's CPU rasterizer, so UI snapshots need no GPU, and the editor driven as a
//! hand drives it (`editor`).

// Each test file uses its own part of this.
#![allow(dead_code)]

pub mod editor;

use journeymap::export::raster::{self, Pixels, TextureStore};

/// An `egui_kittest::TestRenderer` that rasterizes on the CPU what egui-wgpu draws on a GPU.
#[derive(Default)]
pub struct CpuRenderer {
    textures: TextureStore,
}

impl egui_kittest::TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut egui::TexturesDelta) {
        self.textures.apply(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let ppp = ctx.pixels_per_point();
        let size = (ctx.content_rect().size() * ppp).round();
        let (width, height) = (size.x as u32, size.y as u32);
        let primitives = ctx.tessellate(output.shapes.clone(), ppp);
        // Transparent, as kittest's wgpu renderer clears.
        let mut pixels = Pixels::new(width, height, egui::Color32::TRANSPARENT);
        raster::draw(&mut pixels, &primitives, &self.textures, ppp);
        image::RgbaImage::from_raw(width, height, pixels.rgba)
            .ok_or_else(|| format!("no {width}×{height} image from the rasterizer"))
    }
}
