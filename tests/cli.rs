//! The command line, through the real binary: exit codes, messages, files on disk.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// Exit 1, exactly one `error:` line naming the file, and no panic.
fn assert_bad_input(output: &Output, file: &str, problem: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
    assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    let errors: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{file}: {stderr}");
    assert!(errors[0].contains(file), "{file}: {stderr}");
    assert!(
        stderr.contains(problem),
        "{file}: expected «{problem}» in {stderr}"
    );
}

#[test]
fn templates_lists_the_seven_templates() {
    let output = journeymap(&["templates"]);
    assert!(output.status.success());
    let listed: Vec<String> = text(&output.stdout)
        .lines()
        .map(|line| line.split_whitespace().next().unwrap_or("").to_owned())
        .collect();
    let expected = [
        "5a",
        "ecommerce",
        "lifecycle",
        "aida",
        "buyer-journey",
        "service-blueprint",
        "blank",
    ];
    assert_eq!(listed, expected);
}

#[test]
fn new_from_5a_writes_a_map_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.journey.json");
    let path_str = path.to_str().unwrap();
    let output = journeymap(&["new", "--template", "5a", "--output", path_str]);
    assert!(output.status.success(), "{}", text(&output.stderr));

    let map = journeymap::storage::load_file(&path).unwrap().map;
    let stages: Vec<_> = map.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stages, ["Aware", "Appeal", "Ask", "Act", "Advocate"]);

    let output = journeymap(&["check", path_str]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("5 stages, 8 lanes"));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.journey.json");
    fs::write(&path, "my precious work").unwrap();
    let output = journeymap(&[
        "new",
        "--template",
        "blank",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_bad_input(&output, "mine.journey.json", "already exists");
    assert_eq!(fs::read_to_string(&path).unwrap(), "my precious work");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.journey.json");
    for args in [
        vec![
            "new",
            "--template",
            "nope",
            "--output",
            out.to_str().unwrap(),
        ],
        vec!["check"],
        vec!["check", "a", "--frobnicate"],
        vec!["export", "in.journey.json"],
        vec!["export", "in.journey.json", "--output", "out.docx"],
        vec!["wibble", "extra"],
    ] {
        let output = journeymap(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(!text(&output.stderr).contains("panicked"));
    }
    assert!(!out.exists());
    assert!(journeymap(&["--help"]).status.success());
}

#[test]
fn every_template_checks_clean_and_exports_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for template in &journeymap::templates::TEMPLATES {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(format!("{}.journey.json", template.id));
        let check = journeymap(&["check", source.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}: {}",
            template.id,
            text(&check.stderr)
        );
        assert!(
            check.stderr.is_empty(),
            "{}: {}",
            template.id,
            text(&check.stderr)
        );

        let out = dir.path().join(format!("{}.journey.json", template.id));
        let export = journeymap(&[
            "export",
            source.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(export.status.success(), "{}", text(&export.stderr));
        assert_eq!(
            fs::read(&out).unwrap(),
            fs::read(&source).unwrap(),
            "{}",
            template.id
        );
    }
}

#[test]
fn the_bad_input_corpus_fails_cleanly() {
    let cases = [
        (
            "truncated.journey.json",
            "invalid JSON at line 14, column 58",
        ),
        ("wrong-types.journey.json", "stages: invalid type: string"),
        (
            "future-version.journey.json",
            "newer journeymap (format version 99)",
        ),
        (
            "duplicate-ids.journey.json",
            "card id c1 (\"Pays at checkout\") is used twice",
        ),
        (
            "dangling-refs.journey.json",
            "card c2: stage nowhere does not exist",
        ),
        ("not-journeymap.json", "not a journeymap file"),
        ("deeply-nested.journey.json", "recursion limit exceeded"),
        (
            "invalid-utf8.journey.json",
            "not UTF-8 text: invalid byte at line 4",
        ),
        ("empty.journey.json", "the file is empty"),
        ("bad-emotion.journey.json", "emotion 7 is outside -2..2"),
        (
            "broken-card.journey.json",
            "card c2 \"Broken\" dropped: tags",
        ),
    ];
    for (name, problem) in cases {
        let path = corpus(name);
        let before = fs::read(&path).unwrap();
        let output = journeymap(&["check", path.to_str().unwrap()]);
        assert_bad_input(&output, name, problem);
        assert_eq!(fs::read(&path).unwrap(), before, "{name} was changed");
    }
}

#[test]
fn files_that_cannot_be_read_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let output = journeymap(&["check", dir.path().to_str().unwrap()]);
    assert_bad_input(
        &output,
        dir.path().to_str().unwrap(),
        "is a folder, not a file",
    );

    let missing = dir.path().join("missing.journey.json");
    let output = journeymap(&["check", missing.to_str().unwrap()]);
    assert_bad_input(&output, "missing.journey.json", "no such file");
}

#[test]
fn a_100_mb_string_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.journey.json");
    let mut bytes = br#"{"format": "journeymap", "version": 1, "title": ""#.to_vec();
    bytes.resize(bytes.len() + 100 * 1024 * 1024, b'a');
    bytes.extend(b"\"}\n");
    fs::write(&path, &bytes).unwrap();
    let output = journeymap(&["check", path.to_str().unwrap()]);
    assert_bad_input(
        &output,
        "huge.journey.json",
        "over the limit of 33554432 bytes",
    );
}

#[test]
fn a_string_over_the_length_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.journey.json");
    let notes = "é".repeat(150_000);
    let json = format!(
        r#"{{"format": "journeymap", "version": 1, "stages": [{{"id": "s1"}}], "lanes": [{{"id": "l1"}}],
        "cards": [{{"id": "c1", "stage": "s1", "lane": "l1", "notes": "{notes}"}}]}}"#
    );
    fs::write(&path, json).unwrap();
    let output = journeymap(&["check", path.to_str().unwrap()]);
    assert_bad_input(
        &output,
        "long.journey.json",
        "cards.0.notes: a text of 150000 characters",
    );
}

#[test]
fn a_failed_export_writes_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.journey.json");
    let fresh = journeymap(&[
        "export",
        corpus("truncated.journey.json").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_bad_input(&fresh, "truncated.journey.json", "invalid JSON");
    assert!(!out.exists());

    fs::write(&out, "older work").unwrap();
    let over = journeymap(&[
        "export",
        corpus("future-version.journey.json").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_bad_input(&over, "future-version.journey.json", "newer journeymap");
    assert_eq!(fs::read_to_string(&out).unwrap(), "older work");
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "temporary or backup files were left behind");
}

#[test]
fn export_repairs_what_it_can_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fixed.journey.json");
    let output = journeymap(&[
        "export",
        corpus("duplicate-ids.journey.json").to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("warning: "));
    let check = journeymap(&["check", out.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn an_older_version_is_migrated_on_export() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.journey.json");
    fs::write(
        &old,
        r#"{"format": "journeymap", "version": 0, "title": "Old",
            "columns": [{"id": "s1", "name": "Aware"}], "rows": [{"id": "l1", "name": "Touchpoints"}],
            "cards": [{"id": "c1", "column": "s1", "row": "l1", "text": "Ad"}]}"#,
    )
    .unwrap();
    let out = dir.path().join("new.journey.json");
    let output = journeymap(&["export", old.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let saved = fs::read_to_string(&out).unwrap();
    assert!(
        saved.contains("\"version\": 1") && saved.contains("\"title\": \"Ad\""),
        "{saved}"
    );
}

fn template_path(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(format!("{id}.journey.json"))
}

#[test]
fn png_export_round_trips_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("map.png");
    let source = template_path("5a");
    let output = journeymap(&[
        "export",
        source.to_str().unwrap(),
        "--output",
        png.to_str().unwrap(),
        "--scale",
        "1",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let bytes = fs::read(&png).unwrap();
    let info = journeymap::export::chunk::read_info(&bytes).unwrap();
    assert!((info.dpi.unwrap() - 72.0).abs() < 0.05);
    assert!(!dir.path().join("map.png.bak").exists());

    let check = journeymap(&["check", png.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("5 stages, 8 lanes, 51 cards, 5 emotion points"));

    let back = dir.path().join("back.journey.json");
    let output = journeymap(&[
        "export",
        png.to_str().unwrap(),
        "--output",
        back.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(fs::read(&back).unwrap(), fs::read(&source).unwrap());
}

/// A PNG export is the same bytes however many threads draw and compress it, and run
/// after run; pngcheck (an independent reader) checks its chunks, zlib stream and filters.
#[test]
fn png_exports_are_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    // The 5a template at 2x is about twenty compressed bands of rows.
    let source = template_path("5a");
    let export = |threads: &str, name: &str| {
        let png = dir.path().join(name);
        let output = Command::new(env!("CARGO_BIN_EXE_journeymap"))
            .env("JOURNEYMAP_THREADS", threads)
            .args(["export", source.to_str().unwrap(), "--output"])
            .arg(&png)
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        png
    };
    let one = fs::read(export("1", "one.png")).unwrap();
    let two = export("2", "two.png");
    assert!(
        fs::read(&two).unwrap() == one,
        "{}: 1 and 2 threads differ",
        source.display()
    );
    let again = fs::read(export("2", "again.png")).unwrap();
    assert!(again == one, "{}: two runs differ", source.display());
    let check = Command::new("pngcheck")
        .arg(&two)
        .output()
        .expect("pngcheck runs (.ci/run installs it)");
    assert!(
        check.status.success(),
        "{}: {}",
        source.display(),
        text(&check.stdout)
    );
}

#[test]
fn png_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.png");
    let source = template_path("aida");
    for flags in [
        vec!["--scale", "9"],
        vec!["--scale", "two"],
        vec!["--padding", "-4"],
        vec!["--background", "purple"],
        vec!["--theme", "sepia"],
        vec!["--slide", "21:9"],
        vec!["--stages", "4..2"],
    ] {
        let mut args = vec![
            "export",
            source.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend(&flags);
        let output = journeymap(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{flags:?}: {}",
            text(&output.stderr)
        );
        assert!(!out.exists(), "{flags:?} wrote a file");
    }
    let ok = journeymap(&[
        "export",
        source.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--stages",
        "Interest..desire",
        "--lanes",
        "touchpoints,Emotion",
        "--theme",
        "dark",
        "--background",
        "#202020",
        "--slide",
        "4:3",
        "--scale",
        "1",
        "--padding",
        "0",
        "--legend",
    ]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let info = journeymap::export::chunk::read_info(&fs::read(&out).unwrap()).unwrap();
    assert_eq!((info.width, info.height), (720, 540));
}

fn png_with_text_chunks(chunks: &[(&str, &str, bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 2, 2);
    encoder.set_color(png::ColorType::Rgba);
    let mut writer = encoder.write_header().unwrap();
    for (keyword, value, compressed) in chunks {
        let mut chunk = png::text_metadata::ITXtChunk::new(*keyword, *value);
        chunk.compressed = *compressed;
        writer.write_text_chunk(&chunk).unwrap();
    }
    writer.write_image_data(&[90; 16]).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn bad_pngs_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let map_json = fs::read_to_string(template_path("blank")).unwrap();

    let other_chunks_first = dir.path().join("others.png");
    let bytes = png_with_text_chunks(&[
        ("Software", "Paint", false),
        ("Comment", "hi", true),
        ("journeymap", &map_json, true),
    ]);
    fs::write(&other_chunks_first, bytes).unwrap();
    let output = journeymap(&["check", other_chunks_first.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "plain.png",
            png_with_text_chunks(&[("Software", "Paint", false)]),
            "no journeymap map in it",
        ),
        (
            "truncated.png",
            png_with_text_chunks(&[])[..30].to_vec(),
            "damaged PNG",
        ),
        (
            "bomb.png",
            png_with_text_chunks(&[("journeymap", &" ".repeat(64 * 1024 * 1024), true)]),
            "map in this PNG is damaged",
        ),
        (
            "garbage.png",
            vec![0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3],
            "not UTF-8",
        ),
        (
            "broken-map.png",
            png_with_text_chunks(&[(
                "journeymap",
                "{\"format\": \"journeymap\", \"version\": 1, \"stages\": 3}",
                true,
            )]),
            "stages: invalid type",
        ),
    ];
    for (name, bytes, problem) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let output = journeymap(&["check", path.to_str().unwrap()]);
        assert_bad_input(&output, name, problem);
        let out = dir.path().join(format!("{name}.journey.json"));
        let export = journeymap(&[
            "export",
            path.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_bad_input(&export, name, problem);
        assert!(!out.exists());
    }
}

#[test]
fn a_huge_png_header_is_not_decoded() {
    // A PNG that claims 60000×60000 pixels: only its header and text chunks are read.
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = png_with_text_chunks(&[]);
    bytes[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = png_crc(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    let path = dir.path().join("huge.png");
    fs::write(&path, bytes).unwrap();
    let output = journeymap(&["check", path.to_str().unwrap()]);
    assert_bad_input(&output, "huge.png", "no journeymap map in it");
}

fn png_crc(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_bad_file_given_to_the_editor_goes_on_to_open_the_window() {
    // With no display the window cannot open: that it tried shows the bad file did not
    // stop the editor first (tests/window.rs sees the window open under Xvfb).
    let broken = corpus("truncated.journey.json");
    let output = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .arg(&broken)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("JOURNEYMAP_DATA_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .expect("the binary runs");
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("the window could not be opened"),
        "{stderr}"
    );
    let output = journeymap(&["--renderer", "vulkan9"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[test]
fn a_16_9_slide_fills_powerpoints_slide_and_warns_when_text_is_too_small() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("5a.journey.json");
    let out = dir.path().join("slide.png");
    let made = journeymap(&[
        "new",
        "--template",
        "5a",
        "--output",
        source.to_str().unwrap(),
    ]);
    assert!(made.status.success());
    let args = [
        "export",
        source.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    let output = journeymap(&[&args[..], &["--slide", "16:9"]].concat());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("warning: ") && stderr.contains("pt on the slide, too small to read"),
        "{stderr}"
    );
    let info = journeymap::export::chunk::read_info(&fs::read(&out).unwrap()).unwrap();
    assert_eq!((info.width, info.height), (1920, 1080));
    let inches = info.width as f32 / info.dpi.unwrap();
    assert!((inches - 13.333).abs() < 0.01, "{inches} in wide");
    // Two stages of one lane read well: no warning.
    let few = [
        "--slide",
        "16:9",
        "--stages",
        "1..2",
        "--lanes",
        "touchpoints",
    ];
    let output = journeymap(&[&args[..], &few].concat());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        !text(&output.stderr).contains("warning"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_powerpoint_export_takes_slides_and_theme_and_refuses_other_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deck.pptx");
    let source = template_path("5a");
    let export = |flags: &[&str]| {
        let mut args = vec![
            "export",
            source.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend(flags);
        journeymap(&args)
    };
    for (flags, named) in [
        (&["--scale", "3"][..], "--scale"),
        (&["--slide", "16:9"], "--slide"),
        (&["--page", "a4"], "--page"),
        (&["--slides", "map", "--legend"], "--legend"),
        (&["--deck"], "--deck"),
    ] {
        let output = export(flags);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(named), "{flags:?}: {stderr}");
        assert!(!out.exists(), "{flags:?} wrote a file");
    }
    let map = journeymap::storage::load_file(&source).unwrap().map;
    for (flags, slides) in [
        (&[][..], journeymap::export::pptx::PptxSlides::Storyboard),
        (
            &["--slides", "map", "--theme", "dark"],
            journeymap::export::pptx::PptxSlides::Map,
        ),
    ] {
        let output = export(flags);
        assert!(
            output.status.success(),
            "{flags:?}: {}",
            text(&output.stderr)
        );
        let options = journeymap::export::pptx::PptxOptions {
            slides,
            mode: flags
                .contains(&"dark")
                .then_some(journeymap::model::ThemeMode::Dark),
        };
        let expected = journeymap::export::pptx::render(&map, &options).unwrap();
        assert!(
            fs::read(&out).unwrap() == expected,
            "{flags:?}: the deck of its flags"
        );
        fs::remove_file(&out).unwrap();
    }
    let png = dir.path().join("map.png");
    let output = journeymap(&[
        "export",
        source.to_str().unwrap(),
        "--output",
        png.to_str().unwrap(),
        "--slides",
        "map",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(!png.exists());
}
