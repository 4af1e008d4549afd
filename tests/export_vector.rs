//! SVG and PDF exports read back by independent tools, installed by `.ci/run`: librsvg's
//! `rsvg-convert` and poppler's `pdftocairo` draw them back to pixels, to compare with the
//! PNG export of the same map at the same scale; `pdffonts`, `pdftotext`, `pdfinfo` and
//! `qpdf` check the PDF's fonts, text, pages and structure. The vector exports must look
//! like the PNG within a tolerance that allows for anti-aliasing, never for a missing or
//! moved shape.

mod export_vector {
    pub mod compare;
}

use export_vector::compare::{Difference, compare};
use journeymap::export::{self, ExportOptions, Format};
use journeymap::model::{Map, ThemeMode};
use journeymap::render::text::Measure;
use journeymap::templates::TEMPLATES;
use std::path::Path;
use std::process::{Command, Output};

fn png_pixels(map: &Map, options: &ExportOptions) -> image::RgbaImage {
    let frame = export::prepare(map, options, &mut Measure::new()).expect("the map exports");
    let mut pixels = frame.image();
    pixels.unpremultiply();
    image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).expect("pixels")
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

/// The export in `format`, drawn back to pixels at `size` by rsvg-convert or pdftoppm.
fn drawn_back(
    map: &Map,
    options: &ExportOptions,
    size: (u32, u32),
    dir: &Path,
) -> image::RgbaImage {
    let bytes = export::render(map, options).expect("the map exports");
    let input = dir.join(format!("map.{}", options.format.extension()));
    std::fs::write(&input, bytes).expect("write the export");
    let (w, h) = (size.0.to_string(), size.1.to_string());
    let output = dir.join("drawn");
    let png = match options.format {
        Format::Svg => {
            let png = output.with_extension("png");
            run(
                "rsvg-convert",
                &[
                    "--width".as_ref(),
                    w.as_ref(),
                    "--height".as_ref(),
                    h.as_ref(),
                    "--output".as_ref(),
                    png.as_ref(),
                    input.as_ref(),
                ],
            );
            png
        }
        // pdftocairo, not pdftoppm: poppler's own rasterizer snaps each glyph to whole
        // pixels, which moves letters by up to half a pixel; cairo places them as written.
        Format::Pdf => {
            run(
                "pdftocairo",
                &[
                    "-png".as_ref(),
                    "-singlefile".as_ref(),
                    "-scale-to-x".as_ref(),
                    w.as_ref(),
                    "-scale-to-y".as_ref(),
                    h.as_ref(),
                    input.as_ref(),
                    output.as_ref(),
                ],
            );
            output.with_extension("png")
        }
        Format::Png | Format::Pptx => unreachable!("only SVG and PDF are drawn back here"),
    };
    image::open(&png).expect("a PNG drawn back").to_rgba8()
}

fn template(id: &str) -> Map {
    journeymap::templates::find(id)
        .expect("a template")
        .map()
        .expect("a template loads")
}

/// Every template, light and dark, at 1x and 2x, drawn back and compared with its PNG.
fn every_template_looks_like_its_png(format: Format) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for template in TEMPLATES {
        let map = template.map().expect("a template loads");
        for mode in [ThemeMode::Light, ThemeMode::Dark] {
            for scale in [1.0, 2.0] {
                let options = ExportOptions {
                    scale,
                    mode: Some(mode),
                    format,
                    ..Default::default()
                };
                let png = png_pixels(&map, &options);
                let back = drawn_back(&map, &options, png.dimensions(), dir.path());
                let difference = compare(&png, &back);
                let line = format!("{} {mode:?} {scale}x: {difference}", template.id);
                if !difference.is_close(scale) {
                    failures.push(line.clone());
                }
                report.push(line);
            }
        }
    }
    println!("{}:\n{}", format.name(), report.join("\n"));
    assert!(
        failures.is_empty(),
        "the {} does not look like the PNG:\n{}\n(all: {})",
        format.name(),
        failures.join("\n"),
        report.join("\n")
    );
}

#[test]
fn svg_of_every_template_looks_like_its_png_in_both_modes_at_1x_and_2x() {
    every_template_looks_like_its_png(Format::Svg);
}

#[test]
fn pdf_of_every_template_looks_like_its_png_in_both_modes_at_1x_and_2x() {
    every_template_looks_like_its_png(Format::Pdf);
}

#[test]
fn the_comparison_fails_when_the_drawing_differs() {
    // The checks above would be worthless if a blank page or another map passed them.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = ExportOptions {
        scale: 1.0,
        format: Format::Svg,
        ..Default::default()
    };
    let map = template("5a");
    let png = png_pixels(&map, &options);
    let blank = image::RgbaImage::from_pixel(png.width(), png.height(), *png.get_pixel(0, 0));
    let to_blank = compare(&png, &blank);
    println!("blank: {to_blank}");
    assert!(!to_blank.is_close(1.0), "a blank page passed: {to_blank}");

    let mut retitled = map.clone();
    let card = retitled
        .cards
        .iter()
        .position(|c| !c.title.is_empty())
        .expect("a card");
    retitled.cards[card].title = "Another title, long enough to wrap onto a second line".into();
    let changed: Difference = compare(
        &png,
        &drawn_back(&retitled, &options, png.dimensions(), dir.path()),
    );
    println!("retitled: {changed}");
    assert!(
        !changed.is_close(1.0),
        "one retitled card passed: {changed}"
    );

    let mut moved = map.clone();
    let other_stage = moved
        .stages
        .iter()
        .find(|stage| stage.id != moved.cards[card].stage)
        .expect("another stage")
        .id
        .clone();
    moved.cards[card].stage = other_stage;
    let moved_back = drawn_back(&moved, &options, png.dimensions(), dir.path());
    let changed = compare(&png, &moved_back);
    println!("moved: {changed}");
    assert!(!changed.is_close(1.0), "one moved card passed: {changed}");
}

fn written(map: &Map, options: &ExportOptions, dir: &Path) -> std::path::PathBuf {
    let path = dir.join(format!("map.{}", options.format.extension()));
    std::fs::write(&path, export::render(map, options).expect("exports")).expect("write");
    path
}

fn pdf(options: ExportOptions) -> ExportOptions {
    ExportOptions {
        format: Format::Pdf,
        ..options
    }
}

#[test]
fn exported_svg_and_pdf_open_as_their_map_and_are_the_same_bytes_every_time() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for id in ["lifecycle", "5a"] {
        let map = template(id);
        for format in [Format::Svg, Format::Pdf] {
            let options = ExportOptions {
                format,
                ..Default::default()
            };
            let first = export::render(&map, &options).expect("exports");
            assert_eq!(
                first,
                export::render(&map, &options).expect("exports"),
                "{id} {format:?}"
            );
            let path = written(&map, &options, dir.path());
            let loaded = journeymap::storage::load_file(&path).expect("the export opens");
            assert_eq!(loaded.map, map, "{id} {format:?}");
            assert!(loaded.warnings.is_empty());
        }
    }
}

#[test]
fn a_pdf_embeds_its_fonts_as_subsets_and_passes_qpdf() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for id in ["5a", "service-blueprint"] {
        let path = written(&template(id), &pdf(ExportOptions::default()), dir.path());
        let fonts = String::from_utf8_lossy(&run("pdffonts", &[path.as_ref()]).stdout).into_owned();
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{id}: no fonts in the PDF:\n{fonts}");
        for row in rows {
            // name type encoding emb sub uni object ID: "yes yes yes".
            assert!(
                row.contains(" yes yes yes "),
                "{id}: a font not embedded as a subset: {row}"
            );
            assert!(
                row.split_whitespace()
                    .next()
                    .is_some_and(|name| name.contains('+'))
            );
        }
        run("qpdf", &["--check".as_ref(), path.as_ref()]);
    }
}

#[test]
fn pdftotext_gives_back_every_card_title_and_the_document_has_the_maps_title() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for template in TEMPLATES {
        let map = template.map().expect("a template loads");
        let path = written(&map, &pdf(ExportOptions::default()), dir.path());
        let out = run("pdftotext", &[path.as_ref(), "-".as_ref()]).stdout;
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = words(&String::from_utf8_lossy(&out));
        for card in &map.cards {
            let title = words(&card.title);
            assert!(
                text.contains(&title),
                "{}: the title {title:?} is not in the PDF's text",
                template.id
            );
        }
        let info = String::from_utf8_lossy(&run("pdfinfo", &[path.as_ref()]).stdout).into_owned();
        assert!(
            info.lines()
                .any(|line| line.starts_with("Title:") && line.ends_with(&map.title)),
            "{}: {info}",
            template.id
        );
    }
}

/// `(pages, [width, height] of the first page in points)` by pdfinfo.
fn pages_of(path: &Path) -> (usize, [f32; 2]) {
    let info = String::from_utf8_lossy(&run("pdfinfo", &[path.as_ref()]).stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .to_owned()
    };
    let pages = field("Pages:").parse().expect("a page count");
    let size = field("Page size:");
    let numbers: Vec<f32> = size
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (pages, [numbers[0], numbers[1]])
}

#[test]
fn paper_sizes_turn_landscape_and_a_deck_has_a_page_per_stage_with_a_bookmark_each() {
    use journeymap::export::vector::pdf::{Paper, PdfOptions};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = template("5a");
    let a4 = |landscape, stage_pages| {
        pdf(ExportOptions {
            pdf: PdfOptions {
                paper: Some(Paper::A4),
                landscape,
                stage_pages,
            },
            ..Default::default()
        })
    };
    let portrait = written(&map, &a4(false, false), dir.path());
    let (pages, [w, h]) = pages_of(&portrait);
    assert_eq!((pages, w.round(), h.round()), (1, 595.0, 842.0));
    let landscape = written(&map, &a4(true, false), dir.path());
    let (_, [w, h]) = pages_of(&landscape);
    assert_eq!((w.round(), h.round()), (842.0, 595.0));

    let deck = written(&map, &a4(true, true), dir.path());
    let (pages, _) = pages_of(&deck);
    let page_text = |page: usize, bbox: bool| {
        let page = page.to_string();
        let mut args = vec!["-f", page.as_str(), "-l", page.as_str()];
        if bbox {
            args.push("-bbox");
        }
        let args: Vec<&std::ffi::OsStr> = (args.iter().map(|a| a.as_ref()))
            .chain([deck.as_os_str(), "-".as_ref()])
            .collect();
        let out = run("pdftotext", &args).stdout;
        String::from_utf8_lossy(&out).into_owned()
    };
    // After the whole map, each stage's pages in turn, each under its own header band:
    // every card of the stage on one of them, and no card of another stage.
    let mut stage_of_page = Vec::new();
    for page in 2..=pages {
        let words = page_text(page, false)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let stages: Vec<usize> = (0..map.stages.len())
            .filter(|&i| words.contains(&format!("{:02} {}", i + 1, map.stages[i].name)))
            .collect();
        assert_eq!(stages.len(), 1, "page {page} heads {stages:?}: {words}");
        stage_of_page.push((stages[0], words));
    }
    let order: Vec<usize> = stage_of_page.iter().map(|(stage, _)| *stage).collect();
    assert!(order.is_sorted(), "stage pages out of order: {order:?}");
    for card in &map.cards {
        let title = card.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            continue;
        }
        let stage = map.stages.iter().position(|s| s.id == card.stage).unwrap();
        let on: Vec<usize> = (stage_of_page.iter())
            .filter(|(_, words)| words.contains(&title))
            .map(|(stage, _)| *stage)
            .collect();
        assert!(on.contains(&stage), "{title} is on no page of its stage");
        assert!(
            on.iter().all(|&s| s == stage),
            "{title} shows on a page of stages {on:?}"
        );
    }
    // At a readable size: the words on a stage page are most of them at least 8 pt
    // tall (their boxes; text shrunk to fit a whole stage on the page would be 3 pt).
    for page in 2..=pages {
        let text = page_text(page, true);
        let mut heights: Vec<f32> = (text.lines())
            .filter(|line| line.contains("<word"))
            .map(|line| attribute(line, "yMax") - attribute(line, "yMin"))
            .collect();
        heights.sort_by(f32::total_cmp);
        let median = heights[heights.len() / 2];
        assert!(median >= 8.0, "page {page}: words {median:.1} pt tall");
    }
    assert!(
        pages <= 1 + 2 * map.stages.len(),
        "{pages} pages for {} stages",
        map.stages.len()
    );
    // The outline: one bookmark per stage, on the whole map's page and on its own.
    let json = run(
        "qpdf",
        &[
            "--json".as_ref(),
            "--json-key=outlines".as_ref(),
            deck.as_ref(),
        ],
    )
    .stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).expect("qpdf's JSON");
    let titles: Vec<&str> = json["outlines"]
        .as_array()
        .expect("an outline")
        .iter()
        .filter_map(|node| node["title"].as_str())
        .collect();
    for stage in &map.stages {
        assert!(
            titles.contains(&stage.name.as_str()),
            "no bookmark for {}: {titles:?}",
            stage.name
        );
    }
}

#[test]
fn a_cards_link_is_a_clickable_link_in_the_pdf() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut map = template("5a");
    map.cards[0].link = Some("https://example.com/checkout-study".to_owned());
    let path = written(&map, &pdf(ExportOptions::default()), dir.path());
    let qdf = dir.path().join("qdf.pdf");
    run(
        "qpdf",
        &[
            "--qdf".as_ref(),
            "--object-streams=disable".as_ref(),
            path.as_ref(),
            qdf.as_ref(),
        ],
    );
    let raw = std::fs::read(&qdf).expect("qpdf wrote it");
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains("/URI (https://example.com/checkout-study)"),
        "the link is not in the PDF"
    );
    assert!(raw.contains("/Subtype /Link"));
}

#[test]
fn a_huge_map_stays_within_the_pdf_page_limit() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let map = journeymap::sample::generated_map(1000);
    let path = written(&map, &pdf(ExportOptions::default()), dir.path());
    let (_, [w, h]) = pages_of(&path);
    assert!(
        w <= 14_400.0 && h <= 14_400.0,
        "{w} × {h} pt is over 200 in"
    );
    run("qpdf", &["--check".as_ref(), path.as_ref()]);
}

#[test]
fn a_thousand_card_svg_stays_a_reasonable_size() {
    let map = journeymap::sample::generated_map(1000);
    let options = ExportOptions {
        format: Format::Svg,
        ..Default::default()
    };
    let svg = export::render(&map, &options).expect("exports");
    let text = String::from_utf8(svg).expect("SVG is text");
    // A title per card (the emotion points are not cards) and one for the document.
    let cards = map.cards.len() - map.emotion_points();
    assert_eq!(text.matches("<g><title>").count(), cards);
    assert_eq!(text.matches("<title>").count(), cards + 1);
    let megabytes = text.len() as f64 / 1e6;
    eprintln!("1,000-card SVG: {megabytes:.2} MB");
    assert!(megabytes < 12.0, "{megabytes:.1} MB");
}

/// A number attribute of a pdftotext `-bbox` line.
fn attribute(line: &str, name: &str) -> f32 {
    let start = line.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
    let end = start + line[start..].find('"').expect("its end");
    line[start..end].parse().expect("a number")
}
