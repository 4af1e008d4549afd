//! `MapLayout` of the 10,000-card map after one card's title changed, with the text
//! measurement kept from the previous layout (as the editor keeps it between edits).
//! Measured in the same run: the layout of the unchanged map with the same warm
//! measurement, and a full layout with a fresh measurement.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use journeymap::render::layout::{LayoutOptions, MapLayout};
use journeymap::render::text::Measure;
use journeymap::render::theme;
use std::hint::black_box;
use std::time::Duration;

fn layout(c: &mut Criterion) {
    let mut map = journeymap::sample::generated_map(10_000);
    let options = LayoutOptions::default();
    let mut measure = Measure::new();
    black_box(MapLayout::compute(&map, &mut measure, options));
    let edited = map.cards.len() / 2;
    let original = map.cards[edited].title.clone();

    let mut group = c.benchmark_group("layout/cards_10000");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    let mut edits = 0_u64;
    group.bench_function("after_one_card_edit", |b| {
        b.iter(|| {
            edits += 1;
            map.cards[edited].title = format!("{original} (edit {edits})");
            black_box(MapLayout::compute(&map, &mut measure, options).cards.len())
        })
    });
    group.bench_function("unchanged_map", |b| {
        b.iter(|| black_box(MapLayout::compute(&map, &mut measure, options).cards.len()))
    });
    group.bench_function("fresh_measure", |b| {
        b.iter_batched(
            || {
                // Font loading is not layout: it happens once per process.
                let mut fresh = Measure::new();
                fresh.wrap("warm", &theme::label(), 100.0);
                fresh
            },
            |mut fresh| black_box(MapLayout::compute(&map, &mut fresh, options).cards.len()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
