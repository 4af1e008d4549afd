//! Golden images of the PNG export, compared with a small per-pixel tolerance.
//! `UPDATE_SNAPSHOTS=1 cargo test --test export_golden` rewrites them after a change
//! that is meant to change how maps look (look at every one before committing).

use egui_kittest::SnapshotOptions;
use journeymap::export::{self, Background, ExportOptions, Slide};
use journeymap::model::{Map, ThemeMode};
use journeymap::render::text::Measure;

fn template(id: &str) -> Map {
    journeymap::templates::find(id).unwrap().map().unwrap()
}

fn golden(name: &str, map: &Map, options: &ExportOptions) {
    let frame = export::prepare(map, options, &mut Measure::new()).unwrap();
    let mut pixels = frame.image();
    pixels.unpremultiply();
    let image = image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).unwrap();
    // Tolerance for rounding, never for a moved line or a missing glyph.
    let tolerance = SnapshotOptions::new().threshold(1.0).max_failed_pixels(40);
    egui_kittest::image_snapshot_options(&image, format!("export/{name}"), &tolerance);
}

#[test]
fn golden_5a_light_1x() {
    let options = ExportOptions {
        scale: 1.0,
        ..ExportOptions::default()
    };
    golden("5a-light-1x", &template("5a"), &options);
}

#[test]
fn golden_service_blueprint_dark_1x_without_title() {
    let options = ExportOptions {
        scale: 1.0,
        mode: Some(ThemeMode::Dark),
        title: false,
        ..ExportOptions::default()
    };
    golden(
        "service-blueprint-dark-1x",
        &template("service-blueprint"),
        &options,
    );
}

#[test]
fn golden_buyer_journey_stages_2x_transparent_with_personas_and_legend() {
    let options = ExportOptions {
        scale: 2.0,
        stages: Some((2, 3)),
        background: Background::Transparent,
        personas: true,
        legend: true,
        padding: 0.0,
        ..ExportOptions::default()
    };
    golden(
        "buyer-journey-stages-3-4-2x-transparent",
        &template("buyer-journey"),
        &options,
    );
}

#[test]
fn golden_aida_slide_16_9() {
    let options = ExportOptions {
        scale: 1.0,
        slide: Some(Slide::Wide),
        background: Background::White,
        ..ExportOptions::default()
    };
    golden("aida-slide-16-9", &template("aida"), &options);
}
