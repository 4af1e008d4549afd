//! Opening a 10,000-card map file as the app does (bytes to `Map` through the format's
//! parser: JSON, envelope, limits, cards, repairs), next to parsing the same bytes into
//! a plain `serde_json::Value`, measured in the same run.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::model::format;
use std::hint::black_box;

fn load(c: &mut Criterion) {
    let map = journeymap::sample::generated_map(10_000);
    let bytes = format::to_json(&map).into_bytes();
    eprintln!("cards_10000: {} bytes", bytes.len());
    let mut group = c.benchmark_group("load/cards_10000");
    group.sample_size(20);
    group.bench_function("parse_map", |b| {
        b.iter(|| {
            let loaded = format::parse(black_box(&bytes)).expect("the map loads");
            black_box(loaded.map.cards.len())
        })
    });
    group.bench_function("json_value_only", |b| {
        b.iter(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&bytes)).expect("valid JSON");
            black_box(value.is_object())
        })
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
