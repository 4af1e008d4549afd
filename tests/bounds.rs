//! Hostile maps through the real binary under a 1 GiB address-space limit: whatever
//! the size, an export or a check ends with exit 0 or 1 (one `error:` line), never a
//! signal or an abort, and within a generous time.
//!
//! Each class is a sweep of generated files, from ordinary to hostile sizes.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ONE_GIB: &str = "--as=1073741824";
/// A guard against a hang, not a benchmark: debug builds are slow.
const TIMEOUT: Duration = Duration::from_secs(240);

fn map(personas: Vec<Value>, stages: usize, lanes: usize, cards: Vec<Value>) -> Value {
    json!({
        "format": "journeymap",
        "version": 1,
        "title": "Hostile",
        "personas": personas,
        "stages": (0..stages).map(|i| json!({"id": format!("s{i}"), "name": format!("S{i}")})).collect::<Vec<_>>(),
        "lanes": (0..lanes).map(|i| json!({"id": format!("l{i}"), "name": format!("L{i}")})).collect::<Vec<_>>(),
        "cards": cards,
    })
}

fn card(index: usize, stages: usize, title: &str, notes: &str) -> Value {
    json!({"id": format!("c{index}"), "stage": format!("s{}", index % stages), "lane": "l0",
           "title": title, "notes": notes})
}

/// Runs the binary under `prlimit` and a timeout; the output, or a failure naming the case.
fn run_bounded(case: &str, args: &[&str]) -> Output {
    let started = Instant::now();
    let mut child = Command::new("prlimit")
        .arg(ONE_GIB)
        .arg(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs");
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("{case}: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

/// Exit 0, or exit 1 with exactly one `error:` line naming the file; never a signal.
fn assert_bounded(case: &str, file: &Path, output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{case}: ended with {:?}: {stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    assert!(!stderr.contains("memory allocation"), "{case}: {stderr}");
    if code == Some(1) {
        let errors: Vec<_> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 1, "{case}: {stderr}");
        assert!(
            errors[0].contains(&*file.to_string_lossy()),
            "{case}: {stderr}"
        );
    }
}

/// Writes `map`, then checks it and exports it as a PNG (with personas) and back as JSON.
fn sweep_case(case: &str, map: &Value) -> Vec<Output> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.journey.json");
    std::fs::write(&file, serde_json::to_vec(map).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    let png = dir.path().join("x.png");
    let png = png.to_str().unwrap();
    let json = dir.path().join("x.journey.json");
    let json = json.to_str().unwrap();
    let runs: [&[&str]; 3] = [
        &["check", path],
        &[
            "export",
            path,
            "--output",
            png,
            "--scale",
            "1",
            "--personas",
        ],
        &["export", path, "--output", json],
    ];
    runs.iter()
        .map(|args| {
            let output = run_bounded(case, args);
            assert_bounded(&format!("{case} {}", args[0]), &file, &output);
            output
        })
        .collect()
}

#[test]
fn personas_with_long_names_export_or_refuse_within_bounds() {
    for (count, chars) in [(3, 1_000), (50, 20_000), (200, 100_000)] {
        let name = "Name ".repeat(chars / 5);
        let personas = (0..count)
            .map(|i| json!({"id": format!("p{i}"), "name": name, "role": "Buyer"}))
            .collect();
        let map = map(personas, 3, 2, vec![card(0, 3, "A card", "")]);
        sweep_case(&format!("{count} personas of {chars} characters"), &map);
    }
}

#[test]
fn grids_of_every_size_export_or_refuse_within_bounds() {
    for (stages, lanes) in [
        (20, 20),
        (300, 300),
        (500, 500),
        (2_000, 2_000),
        (20_000, 20_000),
    ] {
        let map = map(
            Vec::new(),
            stages,
            lanes,
            vec![card(0, stages, "A card", "")],
        );
        let outputs = sweep_case(&format!("{stages}×{lanes} grid"), &map);
        if stages * lanes > 250_000 {
            let stderr = String::from_utf8_lossy(&outputs[0].stderr);
            assert!(stderr.contains("cells"), "{stages}×{lanes}: {stderr}");
        }
    }
}

#[test]
fn many_cards_with_long_text_export_or_refuse_within_bounds() {
    for (count, chars) in [(100, 2_000), (2_000, 5_000), (12_000, 2_400), (90_000, 200)] {
        let text = "Lorem ipsum dolor sit amet ".repeat(chars / 27 + 1);
        let stages = 40;
        let cards = (0..count)
            .map(|i| card(i, stages, &text[..chars / 4], &text[..chars]))
            .collect();
        sweep_case(
            &format!("{count} cards of {chars} characters"),
            &map(Vec::new(), stages, 1, cards),
        );
    }
}

#[test]
fn cards_with_many_tags_export_or_refuse_within_bounds() {
    for (cards, tags) in [(10, 100), (1_000, 1_000), (50, 90_000)] {
        let tags: Vec<String> = (0..tags).map(|i| format!("t{i}")).collect();
        let cards = (0..cards)
            .map(|i| {
                let mut card = card(i, 5, "Tagged", "");
                card["tags"] = json!(tags);
                card
            })
            .collect();
        sweep_case(
            &format!("{} tags", tags.len()),
            &map(Vec::new(), 5, 1, cards),
        );
    }
}

/// Runs of every class of invisible character, and other text that is costly to
/// shape, each as long as a text may be.
#[test]
fn text_that_is_costly_to_shape_exports_within_bounds() {
    let runs: Vec<(String, String)> = [
        '\u{AD}',
        '\u{34F}',
        '\u{61C}',
        '\u{115F}',
        '\u{1160}',
        '\u{17B4}',
        '\u{180B}',
        '\u{200B}',
        '\u{200D}',
        '\u{202E}',
        '\u{2060}',
        '\u{3164}',
        '\u{FE0F}',
        '\u{FEFF}',
        '\u{FFA0}',
        '\u{1BCA0}',
        '\u{1D173}',
        '\u{E0001}',
        '\u{E0067}',
    ]
    .into_iter()
    .map(|c| (format!("U+{:04X}", c as u32), c.to_string().repeat(99_999)))
    .chain([
        (
            "combining marks".to_owned(),
            format!("a{}", "\u{301}".repeat(99_998)),
        ),
        ("newlines".to_owned(), "\n".repeat(99_999)),
        (
            "Hangul syllable run".to_owned(),
            "\u{1100}\u{1161}".repeat(49_999),
        ),
    ])
    .collect();
    for (name, text) in runs {
        let map = map(Vec::new(), 2, 1, vec![card(0, 2, &text, &text)]);
        let outputs = sweep_case(&name, &map);
        // 2,000 drawn newlines make a card too tall to export: refused, which is bounded too.
        if name != "newlines" {
            assert_eq!(outputs[1].status.code(), Some(0), "{name}: the PNG export");
        }
    }
}

#[test]
fn a_text_over_the_cap_is_kept_whole_in_the_file() {
    let notes = "Long note ".repeat(3_000);
    let map = map(Vec::new(), 2, 1, vec![card(0, 2, "Title", &notes)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.journey.json");
    std::fs::write(&file, serde_json::to_vec(&map).unwrap()).unwrap();
    let png = dir.path().join("long.png");
    let back = dir.path().join("back.journey.json");
    let output = run_bounded(
        "long note",
        &[
            "export",
            file.to_str().unwrap(),
            "--output",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    // The PNG carries the map: read back, the note has every character.
    let output = run_bounded(
        "long note back",
        &[
            "export",
            png.to_str().unwrap(),
            "--output",
            back.to_str().unwrap(),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let loaded = journeymap::storage::load_file(&back).unwrap().map;
    assert_eq!(loaded.cards[0].notes, notes);
}
