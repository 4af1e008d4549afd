//! The 2x PNG export of the 5a template and of a generated 1,000-card map, each next to
//! a baseline measured in the same run: PNG-encoding the very same pixels alone; and the
//! SVG, PDF and PowerPoint exports of the same maps beside them, and the presentation's
//! deck as one PDF; the png crate's encoder on the same pixels (the encoder before the
//! parallel one); and `png_level`, each deflate level of the parallel encoder on one
//! thread and on all, its file size printed beside the png crate's.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::export::{self, ExportOptions, Format, chunk};
use journeymap::model::Map;
use journeymap::render::text::Measure;
use std::hint::black_box;
use std::time::Duration;

fn pair(c: &mut Criterion, name: &str, map: &Map) {
    let options = ExportOptions::default();
    // The baseline encodes what the export itself draws, so both write the same bytes.
    let frame = export::prepare(map, &options, &mut Measure::new()).expect("the map exports");
    let mut pixels = frame.image();
    pixels.unpremultiply();
    let (width, height, dpi) = (frame.plan.width, frame.plan.height, frame.plan.dpi);
    eprintln!("{name}: {width}×{height} px at 2x");
    let mut group = c.benchmark_group(format!("export/{name}_2x"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("render_png", |b| {
        b.iter(|| black_box(export::render_png(map, &options).expect("exports").len()))
    });
    group.bench_function("encode_only", |b| {
        b.iter(|| {
            black_box(
                chunk::encode(&pixels.rgba, width, height, dpi, &chunk::Text::default())
                    .expect("encodes")
                    .len(),
            )
        })
    });
    // The encoder before the parallel one: the png crate, one zlib stream on one
    // thread, its adaptive filter and level 6 (flate2's default).
    let previous = png_crate(&pixels.rgba, width, height);
    let ours = chunk::encode(&pixels.rgba, width, height, dpi, &chunk::Text::default()).unwrap();
    eprintln!(
        "{name}: {} bytes, {:+.1} % against the png crate's {} bytes",
        ours.len(),
        (ours.len() as f64 / previous.len() as f64 - 1.0) * 100.0,
        previous.len()
    );
    group.bench_function("encode_png_crate", |b| {
        b.iter(|| black_box(png_crate(&pixels.rgba, width, height).len()))
    });
    for format in [Format::Svg, Format::Pdf, Format::Pptx] {
        let options = ExportOptions {
            format,
            ..ExportOptions::default()
        };
        let size = export::render(map, &options).expect("exports").len();
        eprintln!("{name}: {} is {size} bytes", format.name());
        group.bench_function(format!("render_{}", format.extension()), |b| {
            b.iter(|| black_box(export::render(map, &options).expect("exports").len()))
        });
    }
    let deck = export::deck::DeckOptions {
        scale: 2.0,
        mode: None,
    };
    group.bench_function("render_deck_pdf", |b| {
        b.iter(|| black_box(export::deck::render_pdf(map, &deck).expect("exports").len()))
    });
    group.finish();
}

fn png_crate(rgba: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("encodes");
    writer.write_image_data(rgba).expect("encodes");
    writer.finish().expect("encodes");
    out
}

/// The deflate levels of the parallel encoder on one map's pixels, on one thread and on
/// all: the size of each is printed beside the png crate's.
fn levels(c: &mut Criterion, name: &str, map: &Map) {
    let options = ExportOptions::default();
    let frame = export::prepare(map, &options, &mut Measure::new()).expect("the map exports");
    let mut pixels = frame.image();
    pixels.unpremultiply();
    let (width, height, dpi) = (frame.plan.width, frame.plan.height, frame.plan.dpi);
    let previous = png_crate(&pixels.rgba, width, height).len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group(format!("png_level/{name}_2x"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for level in [1, 2, 3, 4, 6] {
        for threads in [1, cores] {
            let compression = chunk::Compression { level, threads };
            let encode = || {
                let text = chunk::Text::default();
                chunk::encode_rows_with(compression, width, height, dpi, &text, [&pixels.rgba])
                    .expect("encodes")
            };
            if threads == 1 {
                let size = encode().len();
                eprintln!(
                    "{name}: level {level}: {size} bytes, {:+.1} % against the png crate's {previous}",
                    (size as f64 / previous as f64 - 1.0) * 100.0
                );
            }
            group.bench_function(format!("level_{level}/threads_{threads}"), |b| {
                b.iter(|| black_box(encode().len()))
            });
        }
    }
    group.finish();
}

fn exports(c: &mut Criterion) {
    let five_a = journeymap::templates::find("5a").unwrap().map().unwrap();
    pair(c, "5a", &five_a);
    let thousand = journeymap::sample::generated_map(1000);
    pair(c, "cards_1000", &thousand);
    levels(c, "5a", &five_a);
    levels(c, "cards_1000", &thousand);
}

criterion_group!(benches, exports);
criterion_main!(benches);
