//! Opening map files as the app does (bytes to `Map` through the format's parser: JSON,
//! envelope, limits, numbers, cards, repairs), next to parsing the same bytes into a plain
//! `serde_json::Value`, measured in the same run: a clean 10,000-card map, and 100,000
//! cards clean, with every card id the same, and with every card id empty (repair must
//! stay O(n log n): the repaired files cost about what the clean one does).

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::model::{CardId, format};
use std::hint::black_box;
use std::time::Duration;

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

/// The 100,000-card map with every card id replaced by `id`.
fn every_card_id(id: &str) -> Vec<u8> {
    let mut map = journeymap::sample::generated_map(100_000);
    for card in &mut map.cards {
        card.id = CardId::new(id);
    }
    format::to_json(&map).into_bytes()
}

fn repair(c: &mut Criterion) {
    let clean = format::to_json(&journeymap::sample::generated_map(100_000)).into_bytes();
    let cases = [
        ("clean", clean),
        ("every_id_duplicated", every_card_id("c1")),
        ("every_id_empty", every_card_id("")),
    ];
    let mut group = c.benchmark_group("load/cards_100000");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    for (name, bytes) in &cases {
        eprintln!("cards_100000/{name}: {} bytes", bytes.len());
        group.bench_function(*name, |b| {
            b.iter(|| {
                let loaded = format::parse(black_box(bytes)).expect("the map loads");
                black_box(loaded.warnings.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load, repair);
criterion_main!(benches);
