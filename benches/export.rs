//! The 2x PNG export of the 5a template and of a generated 1,000-card map, each next to
//! a baseline measured in the same run: PNG-encoding the very same pixels alone; and the
//! SVG, PDF and PowerPoint exports of the same maps beside them, and the presentation's
//! deck as one PDF.

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

fn exports(c: &mut Criterion) {
    let five_a = journeymap::templates::find("5a").unwrap().map().unwrap();
    pair(c, "5a", &five_a);
    pair(c, "cards_1000", &journeymap::sample::generated_map(1000));
}

criterion_group!(benches, exports);
criterion_main!(benches);
