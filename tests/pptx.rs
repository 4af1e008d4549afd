//! The PowerPoint export read by others: python-pptx reads the deck back (every card's
//! text on the slide of its stage and lane, the shapes where the layout put them), and
//! LibreOffice Impress converts it to PDF, whose pages poppler draws: the cards' edges
//! land where the layout put them, the stage bands and cards have their colours. A card
//! edited with python-pptx shows its new text in the next conversion.
//!
//! python-pptx lives in a virtual environment, `target/pptx-venv` (`.ci/run` makes it;
//! `JOURNEYMAP_PPTX_PYTHON` names another python); LibreOffice is `soffice`.

use journeymap::export::pptx::stage_parts;
use journeymap::model::{Map, format};
use journeymap::render::layout::{LayoutOptions, MapLayout};
use journeymap::render::present;
use journeymap::render::text::Measure;
use journeymap::render::theme::Theme;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How far (in slide points) a card's edge in LibreOffice's render may lie from where
/// the layout put it. Calibrated on the 5a and service-blueprint decks drawn at 144 dpi:
/// the worst edge seen was 0.8 pt off (the 0.75 pt border's anti-aliasing, and the
/// corners' rounding); a card moved by one grid step (8 pt) is far outside.
const EDGE_TOLERANCE: f32 = 1.0;
/// Pixels per slide point of the renders (144 dpi).
const PX: f32 = 2.0;

fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pptx-venv/bin/python");
    let python = std::env::var_os("JOURNEYMAP_PPTX_PYTHON").map_or(venv, PathBuf::from);
    assert!(
        python.exists(),
        "{} is missing: python-pptx lives in a virtual environment that .ci/run makes \
         (python3 -m venv target/pptx-venv && target/pptx-venv/bin/pip install python-pptx)",
        python.display()
    );
    python
}

fn run(program: &Path, args: &[&std::ffi::OsStr]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{} runs (.ci/run installs it): {err}", program.display()));
    assert!(
        output.status.success(),
        "{} failed: {}",
        program.display(),
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

/// `map` exported by the binary as `name` in `dir`, with `extra` flags.
fn exported(map: &Map, dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let source = dir.join("map.journey.json");
    std::fs::write(&source, format::to_json(map)).expect("write the map");
    let output = dir.join(name);
    let mut args: Vec<&std::ffi::OsStr> = vec!["export".as_ref(), source.as_ref()];
    args.extend(["--output".as_ref(), output.as_os_str()]);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(Path::new(env!("CARGO_BIN_EXE_journeymap")), &args);
    output
}

/// The deck as python-pptx reads it (tests/pptx/read.py).
fn read_back(deck: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pptx/read.py");
    let output = run(&python(), &[script.as_os_str(), deck.as_os_str()]);
    serde_json::from_slice(&output.stdout).expect("read.py prints JSON")
}

/// The deck converted by LibreOffice into a PDF beside it.
fn converted(deck: &Path) -> PathBuf {
    let dir = deck.parent().expect("a folder");
    // A profile of its own: two soffice at once on one profile wait for each other.
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let soffice = Path::new("soffice");
    let args: [&std::ffi::OsStr; 7] = [
        profile.as_ref(),
        "--headless".as_ref(),
        "--norestore".as_ref(),
        "--convert-to".as_ref(),
        "pdf".as_ref(),
        "--outdir".as_ref(),
        dir.as_os_str(),
    ];
    let mut all: Vec<&std::ffi::OsStr> = args.to_vec();
    all.push(deck.as_os_str());
    run(soffice, &all);
    let pdf = deck.with_extension("pdf");
    assert!(pdf.exists(), "soffice wrote no {}", pdf.display());
    pdf
}

fn pages(pdf: &Path) -> usize {
    let output = run(Path::new("pdfinfo"), &[pdf.as_os_str()]);
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    (info.lines())
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives a page count")
}

/// Page `page` (from 1) drawn by pdftoppm at 144 dpi.
fn drawn(pdf: &Path, page: usize) -> image::RgbImage {
    let stem = pdf.with_extension("");
    let stem = format!("{}-page{page}", stem.display());
    let page = page.to_string();
    let args: [&std::ffi::OsStr; 9] = [
        "-r".as_ref(),
        "144".as_ref(),
        "-png".as_ref(),
        "-singlefile".as_ref(),
        "-f".as_ref(),
        page.as_ref(),
        "-l".as_ref(),
        page.as_ref(),
        pdf.as_os_str(),
    ];
    let mut all: Vec<&std::ffi::OsStr> = args.to_vec();
    all.push(stem.as_ref());
    run(Path::new("pdftoppm"), &all);
    image::open(format!("{stem}.png"))
        .expect("pdftoppm wrote a PNG")
        .to_rgb8()
}

/// A stage's slide: its index in the deck, the stage, and the runs of lanes it shows.
struct StageSlide {
    slide: usize,
    stage: usize,
    runs: Vec<std::ops::Range<usize>>,
}

/// The stages' slides, in order after the title and the overview.
fn stage_slides(map: &Map, layout: &MapLayout) -> Vec<StageSlide> {
    let mut slides = Vec::new();
    for stage in 0..map.stages.len() {
        for runs in stage_parts(layout, stage).1 {
            let slide = 2 + slides.len();
            slides.push(StageSlide { slide, stage, runs });
        }
    }
    slides
}

fn layout_of(map: &Map) -> MapLayout {
    MapLayout::compute(map, &mut Measure::new(), LayoutOptions::default())
}

/// Words of a text, whitespace and line breaks aside.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The groups named after cards on a slide, in order: their box and their text.
fn card_groups(slide: &Value) -> Vec<(Vec<f32>, String)> {
    let shapes = slide["shapes"].as_array().expect("shapes");
    (shapes.iter())
        .filter(|s| s["name"].as_str().is_some_and(|n| n.starts_with("Card")))
        .map(|s| {
            let first = s["first"].as_array().expect("a card group's first shape");
            let first = first.iter().map(|v| v.as_f64().unwrap() as f32).collect();
            (first, words(s["text"].as_str().unwrap_or("")))
        })
        .collect()
}

#[test]
fn python_pptx_reads_every_card_back_on_the_slide_of_its_stage() {
    for id in ["5a", "service-blueprint"] {
        let map = template(id);
        let layout = layout_of(&map);
        let dir = tempfile::tempdir().expect("a temp folder");
        let deck = read_back(&exported(&map, dir.path(), "deck.pptx", &[]));
        assert_eq!(deck["size"], serde_json::json!([960.0, 540.0]), "{id}");
        let slides = deck["slides"].as_array().expect("slides");
        let stages = stage_slides(&map, &layout);
        assert_eq!(
            slides.len(),
            3 + stages.len(),
            "{id}: title, overview, stages, summary"
        );
        for StageSlide { slide, stage, runs } in &stages {
            let cards = card_groups(&slides[*slide]);
            let expected: Vec<_> = (layout.cards.iter())
                .filter(|c| {
                    let card = &map.cards[c.card];
                    let lane = map.lane_index(&card.lane).unwrap();
                    map.stage_index(&card.stage) == Some(*stage)
                        && runs.iter().any(|run| run.contains(&lane))
                })
                .collect();
            assert_eq!(cards.len(), expected.len(), "{id} slide {}", slide + 1);
            for ((_, text), card) in cards.iter().zip(&expected) {
                let model = &map.cards[card.card];
                for part in [&model.title, &model.notes] {
                    assert!(
                        text.contains(&words(part)),
                        "{id} slide {}: {text:?} lacks {part:?}",
                        slide + 1
                    );
                }
            }
            let notes = slides[*slide]["notes"].as_str().unwrap_or("");
            assert_eq!(
                notes,
                map.stages[*stage].description,
                "{id} slide {}",
                slide + 1
            );
        }
        // Every card of the map (emotion points aside) is on some stage slide.
        let total: usize = stages
            .iter()
            .map(|s| card_groups(&slides[s.slide]).len())
            .sum();
        assert_eq!(total, layout.cards.len(), "{id}");
    }
}

/// Card boxes (slide points) against the layout's (map points): one scale and offset
/// takes every layout box onto its shape, within rounding to EMU.
fn assert_placed_alike(what: &str, placed: &[Vec<f32>], laid: &[egui::Rect]) {
    assert_eq!(placed.len(), laid.len(), "{what}");
    let (Some(first), Some(from)) = (placed.first(), laid.first()) else {
        return;
    };
    let scale = first[2] / from.width();
    for (shape, rect) in placed.iter().zip(laid) {
        let want = [
            first[0] + (rect.min.x - from.min.x) * scale,
            first[1] + (rect.min.y - from.min.y) * scale,
            rect.width() * scale,
            rect.height() * scale,
        ];
        for (got, want) in shape.iter().zip(want) {
            assert!(
                (got - want).abs() < 0.05,
                "{what}: {shape:?}, want {want:?}"
            );
        }
    }
}

#[test]
fn the_map_slide_places_every_card_where_the_layout_put_it_scaled_to_fit() {
    for id in ["5a", "service-blueprint"] {
        let map = template(id);
        let layout = layout_of(&map);
        let dir = tempfile::tempdir().expect("a temp folder");
        let deck = read_back(&exported(
            &map,
            dir.path(),
            "map.pptx",
            &["--slides", "map"],
        ));
        let slides = deck["slides"].as_array().expect("slides");
        assert_eq!(slides.len(), 1, "{id}");
        let cards = card_groups(&slides[0]);
        let placed: Vec<Vec<f32>> = cards.iter().map(|(b, _)| b.clone()).collect();
        let laid: Vec<egui::Rect> = layout.cards.iter().map(|c| c.rect).collect();
        assert_placed_alike(id, &placed, &laid);
        // The whole map fits inside the slide's margins, touching two of them.
        let scale = placed[0][2] / laid[0].width();
        let fit = ((960.0 - 2.0 * present::SLIDE_MARGIN) / layout.size.x)
            .min((540.0 - 2.0 * present::SLIDE_MARGIN) / layout.size.y);
        assert!((scale - fit).abs() < 1e-3, "{id}: scale {scale}, fit {fit}");
    }
}

/// Where a card's edges are in a render: scanning out from inside its white body along
/// bands free of text (the padding above the title, right of the text, under the
/// chips), the first pixel that is not the card's white. `None` for an edge that cannot
/// be scanned (the left one of a card with a stripe).
fn edges_in(image: &image::RgbImage, rect: [f32; 4], striped: bool) -> [Option<f32>; 4] {
    let [x, y, w, h] = rect.map(|v| v * PX);
    let white = |px: i64, py: i64| {
        let (px, py) = (
            px.clamp(0, image.width() as i64 - 1),
            py.clamp(0, image.height() as i64 - 1),
        );
        let p = image.get_pixel(px as u32, py as u32).0;
        p.iter().all(|&c| c >= 250)
    };
    let scan = |from: (f32, f32), step: (i64, i64)| {
        let (mut px, mut py) = (from.0 as i64, from.1 as i64);
        for _ in 0..40 {
            if !white(px, py) {
                return Some(if step.0 != 0 { px as f32 } else { py as f32 });
            }
            px += step.0;
            py += step.1;
        }
        None
    };
    let band = y + 6.0 * PX;
    let left = (!striped)
        .then(|| scan((x + 8.0 * PX, band), (-1, 0)))
        .flatten();
    let right = scan((x + w - 8.0 * PX, band), (1, 0));
    let top = scan((x + w - 8.0 * PX, y + 6.0 * PX), (0, -1));
    let bottom = scan((x + w - 5.0 * PX, y + h - 4.0 * PX), (0, 1));
    // The first dark pixel past an edge is the border's: it lies on the edge's outer
    // side for the right and bottom edges, on its inner pixel for the left and top.
    [
        left.map(|v| (v + 1.0) / PX),
        top.map(|v| (v + 1.0) / PX),
        right.map(|v| v / PX),
        bottom.map(|v| v / PX),
    ]
}

#[test]
fn libreoffice_converts_each_deck_to_its_pages_and_draws_cards_and_bands_in_place() {
    let mut worst: f32 = 0.0;
    for id in ["5a", "service-blueprint"] {
        let map = template(id);
        let layout = layout_of(&map);
        let theme = Theme::for_map(&map.theme, None);
        let dir = tempfile::tempdir().expect("a temp folder");
        let pptx = exported(&map, dir.path(), "deck.pptx", &[]);
        let deck = read_back(&pptx);
        let slides = deck["slides"].as_array().expect("slides");
        let pdf = converted(&pptx);
        assert_eq!(pages(&pdf), slides.len(), "{id}: a page per slide");
        let map_pptx = exported(&map, dir.path(), "map.pptx", &["--slides", "map"]);
        assert_eq!(pages(&converted(&map_pptx)), 1, "{id}: the map on one page");
        for StageSlide { slide, .. } in stage_slides(&map, &layout) {
            let image = drawn(&pdf, slide + 1);
            // LibreOffice writes the page 960.009 pt wide.
            let (width, height) = image.dimensions();
            assert!(
                (1920..=1921).contains(&width) && height == 1080,
                "{id} slide {}",
                slide + 1
            );
            let shapes = slides[slide]["shapes"].as_array().expect("shapes");
            let cards = (shapes.iter())
                .filter(|s| s["name"].as_str().is_some_and(|n| n.starts_with("Card")));
            for card in cards {
                let name = card["name"].as_str().unwrap();
                let rect: Vec<f32> = (card["first"].as_array().unwrap().iter())
                    .map(|v| v.as_f64().unwrap() as f32)
                    .collect();
                let rect = [rect[0], rect[1], rect[2], rect[3]];
                let striped =
                    (card["shapes"].as_array().unwrap().iter()).any(|s| s["name"] == "Stripe");
                let want = [rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]];
                for (side, (got, want)) in
                    edges_in(&image, rect, striped).iter().zip(want).enumerate()
                {
                    if side == 0 && striped {
                        continue;
                    }
                    let got = got.unwrap_or_else(|| {
                        panic!("{id} slide {}: no edge {side} of {name}", slide + 1)
                    });
                    let off = (got - want).abs();
                    worst = worst.max(off);
                    assert!(
                        off <= EDGE_TOLERANCE,
                        "{id} slide {}: {name}'s edge {side} at {got} pt, the layout's at {want}",
                        slide + 1
                    );
                }
                // The card's body is the theme's card colour.
                let [r, g, b, _] = theme.card.to_array();
                let body = image
                    .get_pixel(
                        ((rect[0] + rect[2] - 8.0) * PX) as u32,
                        ((rect[1] + 6.0) * PX) as u32,
                    )
                    .0;
                for (got, want) in body.iter().zip([r, g, b]) {
                    assert!(got.abs_diff(want) <= 4, "{id}: {name}'s body is {body:?}");
                }
            }
            // The stage band, in the stage's colour.
            let band = shapes
                .iter()
                .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with("Stage: ")));
            let band = band.expect("a stage band");
            let stage = (map.stages.iter())
                .position(|s| band["name"].as_str() == Some(&format!("Stage: {}", s.name)))
                .expect("the band names its stage");
            let b = band["first"].as_array().unwrap();
            let at = |i: usize| b[i].as_f64().unwrap() as f32;
            let pixel = image
                .get_pixel(((at(0) + 4.0) * PX) as u32, ((at(1) + 4.0) * PX) as u32)
                .0;
            let [r, g, bl, _] = theme.stage_color(stage, map.stages[stage].color).to_array();
            for (got, want) in pixel.iter().zip([r, g, bl]) {
                assert!(
                    got.abs_diff(want) <= 4,
                    "{id} slide {}: the band is {pixel:?}",
                    slide + 1
                );
            }
        }
    }
    println!("the worst card edge was {worst:.2} pt from the layout's");
}

#[test]
fn a_card_edited_with_python_pptx_shows_its_new_text_after_conversion() {
    let map = template("5a");
    let dir = tempfile::tempdir().expect("a temp folder");
    let deck = exported(&map, dir.path(), "deck.pptx", &["--slides", "map"]);
    let title = &map.cards[0].title;
    let edit = format!(
        r#"
import sys
from pptx import Presentation
deck = Presentation(sys.argv[1])
group = next(s for s in deck.slides[0].shapes if s.name == "Card: {title}")
text = next(s for s in group.shapes if s.name == "Text")
text.text_frame.paragraphs[0].runs[0].text = "Calm her skin by spring"
deck.save(sys.argv[1])
"#
    );
    run(&python(), &["-c".as_ref(), edit.as_ref(), deck.as_os_str()]);
    let pdf = converted(&deck);
    let text = run(Path::new("pdftotext"), &[pdf.as_os_str(), "-".as_ref()]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Calm her skin by spring"), "{text}");
    assert!(
        !text.contains(title.as_str()),
        "the old title is still there: {text}"
    );
    // The deck still opens as its map (the edit is PowerPoint's, not the map's).
    let json = journeymap::export::pptx::read_map_json(&std::fs::read(&deck).unwrap()).unwrap();
    assert_eq!(
        format::parse(json.as_bytes()).unwrap().map.cards[0].title,
        *title
    );
}

#[test]
fn every_stage_slide_frames_its_lanes_at_a_readable_scale() {
    for id in ["5a", "service-blueprint"] {
        let map = template(id);
        let layout = layout_of(&map);
        let dir = tempfile::tempdir().expect("a temp folder");
        let deck = read_back(&exported(&map, dir.path(), "deck.pptx", &[]));
        let slides = deck["slides"].as_array().expect("slides");
        for StageSlide { slide, .. } in stage_slides(&map, &layout) {
            let cards = card_groups(&slides[slide]);
            let scale = cards[0].0[2] / layout.cards[0].rect.width();
            assert!(
                scale >= present::READABLE_SCALE - 1e-3,
                "{id} slide {}: cards at {scale}",
                slide + 1
            );
        }
    }
}
