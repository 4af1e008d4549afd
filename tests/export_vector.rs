//! SVG exports drawn back to pixels by an independent renderer (librsvg's
//! `rsvg-convert`, installed by `.ci/run`) and compared with the PNG export of the same
//! map at the same scale: the vector export must look like the PNG, pixel for pixel
//! within a tolerance that allows for anti-aliasing, never for a missing or moved shape.

use journeymap::export::{self, ExportOptions};
use journeymap::model::{Map, ThemeMode};
use journeymap::render::text::Measure;
use journeymap::templates::TEMPLATES;
use std::path::Path;
use std::process::Command;

/// Calibrated on every template, light and dark, at 1x and 2x: the worst mean seen was
/// about half of this, and a map with one card moved or one stage missing fails it.
const MAX_MEAN_DIFFERENCE: f64 = 2.0;
/// The share of pixels whose largest channel difference is within 16/255.
const MIN_CLOSE_SHARE: f64 = 0.99;

struct Difference {
    mean: f64,
    close: f64,
}

fn compare(a: &image::RgbaImage, b: &image::RgbaImage) -> Difference {
    assert_eq!(a.dimensions(), b.dimensions(), "the images differ in size");
    let mut total = 0u64;
    let mut close = 0u64;
    for (p, q) in a.pixels().zip(b.pixels()) {
        let mut worst = 0;
        for c in 0..4 {
            let d = p.0[c].abs_diff(q.0[c]);
            total += d as u64;
            worst = worst.max(d);
        }
        close += (worst <= 16) as u64;
    }
    let pixels = (a.width() * a.height()) as f64;
    Difference {
        mean: total as f64 / (pixels * 4.0),
        close: close as f64 / pixels,
    }
}

fn png_pixels(map: &Map, options: &ExportOptions) -> image::RgbaImage {
    let frame = export::prepare(map, options, &mut Measure::new()).expect("the map exports");
    let mut pixels = frame.image();
    pixels.unpremultiply();
    image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).expect("pixels")
}

/// The SVG export, drawn by rsvg-convert at the PNG's size.
fn svg_pixels(
    map: &Map,
    options: &ExportOptions,
    size: (u32, u32),
    dir: &Path,
) -> image::RgbaImage {
    let svg = export::render_svg(map, options).expect("the map exports as SVG");
    let input = dir.join("map.svg");
    let output = dir.join("map.png");
    std::fs::write(&input, svg).expect("write the SVG");
    let status = Command::new("rsvg-convert")
        .arg("--width")
        .arg(size.0.to_string())
        .arg("--height")
        .arg(size.1.to_string())
        .arg("--output")
        .arg(&output)
        .arg(&input)
        .status()
        .expect("rsvg-convert runs (librsvg2-bin; .ci/run installs it)");
    assert!(status.success(), "rsvg-convert failed on the SVG");
    image::open(&output)
        .expect("rsvg-convert wrote a PNG")
        .to_rgba8()
}

fn template(id: &str) -> Map {
    journeymap::templates::find(id)
        .expect("a template")
        .map()
        .expect("a template loads")
}

#[test]
fn svg_of_every_template_looks_like_its_png_in_both_modes_at_1x_and_2x() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut report = Vec::new();
    for template in TEMPLATES {
        let map = template.map().expect("a template loads");
        for mode in [ThemeMode::Light, ThemeMode::Dark] {
            for scale in [1.0, 2.0] {
                let options = ExportOptions {
                    scale,
                    mode: Some(mode),
                    ..Default::default()
                };
                let png = png_pixels(&map, &options);
                let svg = svg_pixels(&map, &options, png.dimensions(), dir.path());
                let difference = compare(&png, &svg);
                let name = format!("{} {mode:?} {scale}x", template.id);
                report.push(format!(
                    "{name}: mean {:.3}/255, {:.3} % of pixels within 16/255",
                    difference.mean,
                    100.0 * difference.close
                ));
                assert!(
                    difference.mean < MAX_MEAN_DIFFERENCE && difference.close > MIN_CLOSE_SHARE,
                    "{name}: the SVG does not look like the PNG (mean {:.3}, close {:.4});\n{}",
                    difference.mean,
                    difference.close,
                    report.join("\n")
                );
            }
        }
    }
    println!("{}", report.join("\n"));
}

#[test]
fn the_comparison_fails_when_the_drawing_differs() {
    // The check above would be worthless if a blank page or another map passed it.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = ExportOptions {
        scale: 1.0,
        ..Default::default()
    };
    let map = template("5a");
    let png = png_pixels(&map, &options);
    let blank = image::RgbaImage::from_pixel(png.width(), png.height(), *png.get_pixel(0, 0));
    let to_blank = compare(&png, &blank);
    assert!(to_blank.close < MIN_CLOSE_SHARE || to_blank.mean > MAX_MEAN_DIFFERENCE);
    let mut moved = map.clone();
    let card = moved
        .cards
        .iter()
        .position(|c| !c.title.is_empty())
        .expect("a card");
    moved.cards[card].title =
        "A different title, long enough to wrap onto a second line".to_owned();
    let svg = svg_pixels(&moved, &options, png.dimensions(), dir.path());
    let to_moved = compare(&png, &svg);
    assert!(
        to_moved.close < 0.999 || to_moved.mean > 0.5,
        "one changed card must show: mean {:.3}, close {:.4}",
        to_moved.mean,
        to_moved.close
    );
}

#[test]
fn an_exported_svg_opens_as_its_map() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = template("lifecycle");
    let path = dir.path().join("map.svg");
    std::fs::write(
        &path,
        export::render_svg(&map, &ExportOptions::default()).expect("svg"),
    )
    .expect("write");
    let loaded = journeymap::storage::load_file(&path).expect("the SVG opens");
    assert_eq!(loaded.map, map);
    assert!(loaded.warnings.is_empty());
}
