//! The deck pack through the real binary: `export --deck` writes a PNG per step of the
//! presentation into a folder, or a PDF with a page per step; each file is read back by
//! the `image` crate, poppler and qpdf, and compared with the exporter's own render.

#[path = "export_vector/compare.rs"]
mod compare;

use journeymap::export::deck::{self, DeckOptions};
use journeymap::model::{Map, format};
use journeymap::render::present;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn journeymap(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn run(program: &str, args: &[&std::ffi::OsStr]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{program} runs (.ci/run installs it): {err}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn template(id: &str) -> Map {
    journeymap::templates::find(id)
        .expect("a template")
        .map()
        .expect("a template loads")
}

/// `map` saved in `dir`, for the binary to read.
fn saved(map: &Map, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format::to_json(map)).expect("write the map");
    path
}

fn export_deck(map: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "export".as_ref(),
        map.as_ref(),
        "--deck".as_ref(),
        "--output".as_ref(),
    ];
    args.push(output.as_ref());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    journeymap(&args)
}

/// The pixels per metre a PNG's pHYs chunk gives, across and down.
fn phys(png: &[u8]) -> Option<(u32, u32)> {
    let at = png.windows(4).position(|w| w == b"pHYs")? + 4;
    let word = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    Some((word(at), word(at + 4)))
}

#[test]
fn a_png_deck_is_a_file_per_step_in_order_at_2x_and_the_first_carries_the_map() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = template("5a");
    let file = saved(&map, dir.path(), "5a.journey.json");
    let folder = dir.path().join("deck");
    let output = export_deck(&file, &folder, &[]);
    assert!(output.status.success(), "{output:?}");

    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("the deck folder")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let stages: Vec<String> = (map.stages.iter().enumerate())
        .map(|(i, stage)| format!("{:02}-{}.png", i + 3, stage.name.to_lowercase()))
        .collect();
    let mut expected = vec!["01-title.png".to_owned(), "02-overview.png".to_owned()];
    expected.extend(stages);
    expected.push(format!("{:02}-summary.png", map.stages.len() + 3));
    assert_eq!(names, expected);

    for (index, name) in names.iter().enumerate() {
        let bytes = std::fs::read(folder.join(name)).expect("a slide");
        let image = image::load_from_memory(&bytes).expect("a PNG");
        assert_eq!((image.width(), image.height()), (3840, 2160), "{name}");
        // 144 dpi: the slide lands at 26.7 × 15 in, a 16:9 slide at 2x.
        assert_eq!(phys(&bytes), Some((5669, 5669)), "{name}");
        let carries_map = journeymap::export::chunk::read_map_json(&bytes).is_ok();
        assert_eq!(carries_map, index == 0, "{name}");
    }
    // The first slide opens as the map itself.
    let back = dir.path().join("back.journey.json");
    let output = journeymap(&[
        "export".as_ref(),
        folder.join("01-title.png").as_os_str(),
        "--output".as_ref(),
        back.as_ref(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let back = std::fs::read_to_string(back).expect("the map back");
    assert_eq!(back, format::to_json(&map));
}

#[test]
fn each_deck_png_is_the_exporters_render_of_its_step_and_reveals_add_a_slide_per_lane() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut map = template("service-blueprint");
    map.presentation.reveal_lanes = true;
    let file = saved(&map, dir.path(), "blueprint.journey.json");
    let folder = dir.path().join("deck");
    let output = export_deck(&file, &folder, &["--scale", "1", "--theme", "dark"]);
    assert!(output.status.success(), "{output:?}");

    let steps = present::storyboard(&map);
    let lanes_shown = steps
        .iter()
        .filter(|s| matches!(s, present::Step::Stage { stage: 0, .. }))
        .count();
    assert!(lanes_shown > 1, "the first stage reveals its lanes");
    let names = deck::file_names(&map);
    assert_eq!(names.len(), steps.len());
    let options = DeckOptions {
        scale: 1.0,
        mode: Some(journeymap::model::ThemeMode::Dark),
    };
    for (index, name) in names.iter().enumerate() {
        let written = image::open(folder.join(name)).expect("a slide").to_rgba8();
        let pixels = deck::render_step(&map, &options, index).expect("a step");
        let render =
            image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).expect("pixels");
        assert_eq!(written.dimensions(), (1920, 1080), "{name}");
        let difference = compare::compare(&written, &render);
        assert!(difference.is_close(1.0), "{name}: {difference}");
    }
}

#[test]
fn a_pdf_deck_has_a_page_per_step_each_bookmarked_and_looks_like_the_png_deck() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = template("5a");
    let file = saved(&map, dir.path(), "5a.journey.json");
    let pdf = dir.path().join("deck.pdf");
    let output = export_deck(&file, &pdf, &[]);
    assert!(output.status.success(), "{output:?}");

    let info = String::from_utf8_lossy(&run("pdfinfo", &[pdf.as_ref()]).stdout).into_owned();
    let steps = present::storyboard(&map);
    assert!(
        info.contains(&format!("Pages:           {}", steps.len())),
        "{info}"
    );
    assert!(info.contains("Page size:       960 x 540 pts"), "{info}");
    assert!(info.contains(&map.title), "{info}");
    run("qpdf", &["--check".as_ref(), pdf.as_ref()]);

    let json = run(
        "qpdf",
        &[
            "--json".as_ref(),
            "--json-key=outlines".as_ref(),
            pdf.as_ref(),
        ],
    )
    .stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).expect("qpdf's JSON");
    let titles: Vec<&str> = (json["outlines"].as_array().expect("an outline").iter())
        .filter_map(|node| node["title"].as_str())
        .collect();
    let mut expected = vec!["Title", "Overview"];
    expected.extend(map.stages.iter().map(|s| s.name.as_str()));
    expected.push("Summary");
    assert_eq!(titles, expected);

    // Real text: the third page is the first stage, its caption and its funnel figure.
    let text = run(
        "pdftotext",
        &[
            "-f".as_ref(),
            "3".as_ref(),
            "-l".as_ref(),
            "3".as_ref(),
            pdf.as_ref(),
            "-".as_ref(),
        ],
    )
    .stdout;
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains(&map.stages[0].name), "{text}");
    assert!(text.contains("120,000"), "{text}");

    // Each page drawn back by cairo looks like the PNG deck's slide, both drawn at 2x
    // and compared at a quarter of that: egui snaps each glyph to a pixel of the
    // painting, so along a slide title's line (80 pixels high at 1x) the PNG's letters
    // drift a few pixels from the PDF's, which was painted at 4 pixels a point. Shrunk
    // to the size of a map export's text, the comparison bounds are the map's.
    let options = DeckOptions::default();
    for page in 1..=steps.len() {
        let out = dir.path().join(format!("page-{page}"));
        let page_arg = page.to_string();
        run(
            "pdftocairo",
            &[
                "-png".as_ref(),
                "-singlefile".as_ref(),
                "-f".as_ref(),
                page_arg.as_ref(),
                "-l".as_ref(),
                page_arg.as_ref(),
                "-scale-to-x".as_ref(),
                "3840".as_ref(),
                "-scale-to-y".as_ref(),
                "2160".as_ref(),
                pdf.as_ref(),
                out.as_ref(),
            ],
        );
        let back = image::open(out.with_extension("png"))
            .expect("a page")
            .to_rgba8();
        let pixels = deck::render_step(&map, &options, page - 1).expect("a step");
        let png =
            image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).expect("pixels");
        let quarter = |image: &image::RgbaImage| {
            image::imageops::resize(image, 960, 540, image::imageops::FilterType::Triangle)
        };
        let difference = compare::compare(&quarter(&png), &quarter(&back));
        assert!(difference.is_close(1.0), "page {page}: {difference}");
    }
}

#[test]
fn deck_flags_and_outputs_that_do_not_fit_are_refused_and_old_slides_are_named() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = template("aida");
    let file = saved(&map, dir.path(), "aida.journey.json");
    for (output, extra) in [
        ("deck", &["--padding", "10"][..]),
        ("deck", &["--stages", "1..2"][..]),
        ("deck", &["--page", "a4"][..]),
        ("deck.svg", &[][..]),
        ("deck.journey.json", &[][..]),
    ] {
        let out = export_deck(&file, &dir.path().join(output), extra);
        assert_eq!(out.status.code(), Some(2), "{output} {extra:?}: {out:?}");
        assert!(!dir.path().join(output).exists(), "{output} was written");
    }
    // A file where the folder should be is bad input, and it is left alone.
    let taken = dir.path().join("notes.txt");
    std::fs::write(&taken, "mine").unwrap();
    let out = export_deck(&file, &taken, &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");

    // Exporting again over an older deck names the slides that are not in this one.
    let folder = dir.path().join("deck");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("04-old-stage.png"), b"old").unwrap();
    std::fs::write(folder.join("agenda.png"), b"mine").unwrap();
    let out = export_deck(&file, &folder, &[]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("04-old-stage.png"), "{stderr}");
    assert!(!stderr.contains("agenda.png"), "{stderr}");
    assert_eq!(
        std::fs::read(folder.join("04-old-stage.png")).unwrap(),
        b"old"
    );
}

/// A persona photo: the left half red, the right half blue, as a PNG data URL.
fn two_colour_photo() -> String {
    use base64::Engine as _;
    let image = image::RgbImage::from_fn(64, 48, |x, _| match x < 32 {
        true => image::Rgb([220, 30, 30]),
        false => image::Rgb([30, 30, 220]),
    });
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

#[test]
fn the_title_slide_shows_a_personas_photo_in_the_png_and_the_pdf_deck() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut map = template("5a");
    map.personas[0].photo = Some(two_colour_photo());
    let options = DeckOptions {
        scale: 1.0,
        mode: None,
    };
    let png = deck::render_step(&map, &options, 0).expect("the title");
    let png = image::RgbaImage::from_raw(png.width, png.height, png.rgba).expect("pixels");
    // The avatar's circle, left and right of its centre: the photo's two halves.
    let without = deck::render_step(&template("5a"), &options, 0).expect("the title");
    let without =
        image::RgbaImage::from_raw(without.width, without.height, without.rgba).expect("pixels");
    let (reds, blues) = count_photo_pixels(&png);
    assert!(reds > 200 && blues > 200, "{reds} red, {blues} blue pixels");
    assert_eq!(count_photo_pixels(&without), (0, 0));

    let pdf = dir.path().join("deck.pdf");
    std::fs::write(&pdf, deck::render_pdf(&map, &options).expect("a PDF")).unwrap();
    let out = dir.path().join("title");
    run(
        "pdftocairo",
        &[
            "-png".as_ref(),
            "-singlefile".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            "-scale-to-x".as_ref(),
            "1920".as_ref(),
            "-scale-to-y".as_ref(),
            "1080".as_ref(),
            pdf.as_ref(),
            out.as_ref(),
        ],
    );
    let back = image::open(out.with_extension("png"))
        .expect("a page")
        .to_rgba8();
    let (reds, blues) = count_photo_pixels(&back);
    assert!(
        reds > 200 && blues > 200,
        "PDF: {reds} red, {blues} blue pixels"
    );
    let difference = compare::compare(&png, &back);
    assert!(difference.mean < compare::MAX_MEAN, "{difference}");
}

/// Pixels of the test photo's red and of its blue.
fn count_photo_pixels(image: &image::RgbaImage) -> (usize, usize) {
    let near = |p: &image::Rgba<u8>, [r, g, b]: [i32; 3]| {
        (p[0] as i32 - r).abs() + (p[1] as i32 - g).abs() + (p[2] as i32 - b).abs() < 40
    };
    let reds = image.pixels().filter(|p| near(p, [220, 30, 30])).count();
    let blues = image.pixels().filter(|p| near(p, [30, 30, 220])).count();
    (reds, blues)
}
