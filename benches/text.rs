//! Wrapping one long run of each class of Unicode default-ignorable and filler
//! character (the soft hyphen, joiners, bidi controls, fillers, variation selectors,
//! tags...) beside the baseline in the same run: plain Latin text of the same length.
//! A run is laid out as drawn, so each should cost about the baseline or less.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::render::text::Measure;
use journeymap::render::theme;
use std::hint::black_box;
use std::time::Duration;

/// As long as a text of a file may be.
const RUN: usize = 100_000;

const CLASSES: &[(&str, char)] = &[
    ("soft_hyphen_00AD", '\u{AD}'),
    ("grapheme_joiner_034F", '\u{34F}'),
    ("arabic_letter_mark_061C", '\u{61C}'),
    ("hangul_choseong_filler_115F", '\u{115F}'),
    ("hangul_jungseong_filler_1160", '\u{1160}'),
    ("khmer_inherent_17B4", '\u{17B4}'),
    ("mongolian_selector_180B", '\u{180B}'),
    ("zero_width_space_200B", '\u{200B}'),
    ("zero_width_joiner_200D", '\u{200D}'),
    ("bidi_override_202E", '\u{202E}'),
    ("word_joiner_2060", '\u{2060}'),
    ("hangul_filler_3164", '\u{3164}'),
    ("variation_selector_FE0F", '\u{FE0F}'),
    ("byte_order_mark_FEFF", '\u{FEFF}'),
    ("halfwidth_hangul_filler_FFA0", '\u{FFA0}'),
    ("shorthand_format_1BCA0", '\u{1BCA0}'),
    ("musical_format_1D173", '\u{1D173}'),
    ("language_tag_E0001", '\u{E0001}'),
    ("tag_letter_E0067", '\u{E0067}'),
    ("variation_selector_E0100", '\u{E0100}'),
];

fn text(c: &mut Criterion) {
    let mut measure = Measure::new();
    let style = theme::card_notes();
    measure.wrap("warm", &style, 200.0);
    let mut group = c.benchmark_group("text/run_100000");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let latin = "Lorem ipsum dolor sit amet ".repeat(RUN / 27 + 1)[..RUN].to_owned();
    group.bench_function("baseline_latin", |b| {
        b.iter(|| black_box(measure.wrap(&latin, &style, 200.0).lines.len()))
    });
    for &(name, c) in CLASSES {
        let run: String = std::iter::repeat_n(c, RUN).collect();
        group.bench_function(name, |b| {
            b.iter(|| black_box(measure.wrap(&run, &style, 200.0).lines.len()))
        });
        // Interleaved with letters, so no run is longer than one.
        let mixed: String = (0..RUN).map(|i| if i % 2 == 0 { 'a' } else { c }).collect();
        group.bench_function(format!("{name}_between_letters"), |b| {
            b.iter(|| black_box(measure.wrap(&mixed, &style, 200.0).lines.len()))
        });
    }
    let marks = format!("a{}", "\u{301}".repeat(RUN - 1));
    group.bench_function("combining_marks_0301", |b| {
        b.iter(|| black_box(measure.wrap(&marks, &style, 200.0).lines.len()))
    });
    group.finish();
}

criterion_group!(benches, text);
criterion_main!(benches);
