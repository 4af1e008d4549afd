//! CSV import of 10,000 cards (read, map the columns, build the one edit and apply it
//! to a blank map) beside reading the same file with the csv crate alone, and CSV
//! export of the same map.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::model::Map;
use journeymap::model::format::Limits;
use journeymap::table::csv::{self, Mapping};
use std::hint::black_box;

fn csv_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("csv");
    group.sample_size(20);
    let map = journeymap::sample::generated_map(10_000);
    let bytes = csv::write(&map, &map.cards);
    group.bench_function("cards_10000/csv_crate_alone", |b| {
        b.iter(|| {
            let mut reader = ::csv::ReaderBuilder::new().from_reader(bytes.as_slice());
            let mut record = ::csv::StringRecord::new();
            let mut fields = 0;
            while reader.read_record(&mut record).expect("reads") {
                fields += record.len();
            }
            black_box(fields)
        })
    });
    group.bench_function("cards_10000/import", |b| {
        b.iter(|| {
            let limits = Limits::default();
            let sheet = csv::read(&bytes, &limits).expect("reads");
            let mapping = Mapping::guess(&sheet.headers);
            let mut blank = Map::default();
            let (edit, _) = csv::import(&blank, &sheet, &mapping, &limits).expect("imports");
            edit.apply(&mut blank).expect("applies");
            black_box(blank.cards.len())
        })
    });
    group.bench_function("cards_10000/export", |b| {
        b.iter(|| black_box(csv::write(&map, &map.cards).len()))
    });
    group.finish();
}

criterion_group!(benches, csv_benches);
criterion_main!(benches);
