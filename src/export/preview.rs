//! A small picture of an export for the export dialog: the same view, layout, painter
//! and rasterizer as the real export, at a scale that fits a box, plus the real size.

use super::raster::Pixels;
use super::{ExportError, ExportOptions, Frame, Plan, chunk, page_theme, paint_offscreen};
use crate::model::Map;
use crate::render::layout::MapLayout;
use crate::render::text::Measure;

pub struct Preview {
    /// The real export's pixels and resolution.
    pub plan: Plan,
    /// The picture, premultiplied, at most `max_side` pixels a side.
    pub image: Pixels,
    /// Roughly how large the PNG file will be, in bytes.
    pub estimated_bytes: u64,
    /// On a slide: how large card text will be on it, in points.
    pub slide_text_points: Option<f32>,
    /// For a deck: how many slides (the plan is one slide's).
    pub deck_slides: Option<usize>,
}

/// Draws `map` as `options` would export it, shrunk to fit `max_side` pixels.
pub fn preview(map: &Map, options: &ExportOptions, max_side: u32) -> Result<Preview, ExportError> {
    if options.deck {
        return Ok(deck_preview(map, options, max_side));
    }
    if options.format == super::Format::Pptx {
        // The whole map, as the slides show it; PowerPoint draws them itself.
        let whole = ExportOptions {
            format: super::Format::Png,
            stages: None,
            lanes: None,
            selection: None,
            slide: None,
            ..options.clone()
        };
        return Ok(Preview {
            deck_slides: Some(super::pptx::slide_count(map, &options.pptx_options())),
            ..preview(map, &whole, max_side)?
        });
    }
    let view = options.view_of(map)?;
    Plan::new(MapLayout::min_size(&view), options)?;
    let layout = MapLayout::compute(&view, &mut Measure::new(), options.layout_options());
    let plan = Plan::new(layout.size, options)?;
    let shrink = (max_side as f32 / plan.width.max(plan.height) as f32).min(1.0);
    let small = Plan::new(
        layout.size,
        &ExportOptions {
            scale: options.scale * shrink,
            ..options.clone()
        },
    )?;
    let theme = page_theme(map, options);
    let (primitives, textures) = paint_offscreen(&view, &layout, &theme, &small);
    let frame = Frame {
        plan: small,
        primitives,
        textures,
        background: options.background.color(&theme),
    };
    let image = frame.image();
    let estimated_bytes = estimate_bytes(&image, &plan, shrink, options.embed_map.then_some(map));
    Ok(Preview {
        plan,
        image,
        estimated_bytes,
        slide_text_points: super::slides::card_text_on_slide(&plan, options),
        deck_slides: None,
    })
}

/// A deck: every step's slide, small, in rows; the plan is one slide's.
fn deck_preview(map: &Map, options: &ExportOptions, max_side: u32) -> Preview {
    let deck = super::deck::contact_sheet(map, &options.deck_options(), max_side);
    let plan = super::deck::plan(options.scale);
    // One slide's estimate, from its thumbnail, times the slides.
    let shrink = deck.thumbnail.width as f32 / plan.width as f32;
    let one = estimate_bytes(&deck.thumbnail, &plan, shrink, None);
    let map_bytes = if options.embed_map {
        crate::model::format::to_json(map).len() as u64 / 6
    } else {
        0
    };
    Preview {
        plan,
        image: deck.sheet,
        estimated_bytes: one * deck.slides as u64 + map_bytes,
        slide_text_points: None,
        deck_slides: Some(deck.slides),
    }
}

/// The PNG's size from the preview's: a map image is flat colour with edges, so its
/// size grows with the edges' length (the scale) more than with the area (the scale
/// squared). Calibrated on the templates at 1x-4x (within about ±30 %).
fn estimate_bytes(image: &Pixels, plan: &Plan, shrink: f32, map: Option<&Map>) -> u64 {
    let mut straight = Pixels {
        width: image.width,
        height: image.height,
        rgba: image.rgba.clone(),
    };
    straight.unpremultiply();
    let small = chunk::encode(
        &straight.rgba,
        image.width,
        image.height,
        72.0,
        &chunk::Text::default(),
    )
    .map_or(0, |png| png.len()) as f64;
    let per_pixel = small / (image.width as f64 * image.height as f64).max(1.0);
    let pixels = plan.width as f64 * plan.height as f64;
    let map_bytes = map.map_or(0, |map| crate::model::format::to_json(map).len() / 6);
    (per_pixel * pixels * (shrink as f64).sqrt()) as u64 + map_bytes as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_fits_its_box_and_knows_the_real_size() {
        let map = crate::templates::find("aida").unwrap().map().unwrap();
        let options = ExportOptions {
            scale: 1.0,
            ..ExportOptions::default()
        };
        let preview = preview(&map, &options, 320).unwrap();
        assert!(preview.image.width.max(preview.image.height) <= 320);
        let png = super::super::render_png(&map, &options).unwrap();
        let real = image::load_from_memory(&png).unwrap();
        assert_eq!(
            (preview.plan.width, preview.plan.height),
            (real.width(), real.height())
        );
        let ratio = preview.estimated_bytes as f64 / png.len() as f64;
        assert!((0.5..2.0).contains(&ratio), "estimate off by {ratio}");
    }
}
