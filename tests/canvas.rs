//! The canvas as a new user meets it, driven through egui_kittest: a template opens
//! readable on its first stage, headers stay pinned while panning and legible zoomed
//! out, the title is edited in place, and a right-click on a card opens its menu.

use egui::{Key, Modifiers, Pos2, Rect, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::{Document, JourneyApp};
use journeymap::model::{CardId, Map};
use journeymap::render::paint::PinnedHeaders;
use journeymap::render::theme;
use support::editor::template;

mod support;

fn harness_sized(size: Vec2, doc: Option<Document>) -> Harness<'static, JourneyApp> {
    let no_dialog = journeymap::app::dialogs::ScriptedDialogs::new([
        journeymap::app::dialogs::Answer::Unavailable,
    ]);
    let app = JourneyApp::new(doc).with_dialogs(no_dialog);
    let mut harness = Harness::builder()
        .with_size(size)
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

fn map<'h>(harness: &'h Harness<'_, JourneyApp>) -> &'h Map {
    harness.state().doc.as_ref().unwrap().map()
}

fn pinned(harness: &mut Harness<'_, JourneyApp>) -> PinnedHeaders {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    app.canvas.pinned(doc)
}

fn stage_header(harness: &mut Harness<'_, JourneyApp>, index: usize) -> Rect {
    let pinned = pinned(harness);
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    pinned.stage_header(app.canvas.layout(doc), index).unwrap()
}

fn lane_header(harness: &mut Harness<'_, JourneyApp>, index: usize) -> Rect {
    let pinned = pinned(harness);
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    pinned.lane_header(app.canvas.layout(doc), index).unwrap()
}

fn card_rect(harness: &mut Harness<'_, JourneyApp>, id: &CardId) -> Rect {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    app.canvas.card_screen_rect(doc, id).unwrap()
}

fn canvas_rect(harness: &Harness<'_, JourneyApp>) -> Rect {
    harness.state().canvas.screen_rect()
}

fn press(harness: &mut Harness<'_, JourneyApp>, pos: Pos2, button: egui::PointerButton) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

fn double_click(harness: &mut Harness<'_, JourneyApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false, true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

/// Pans like a hand with the middle button: the map follows the pointer by `delta`.
fn pan(harness: &mut Harness<'_, JourneyApp>, delta: Vec2) {
    let from = canvas_rect(harness).center();
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Middle,
        pressed,
        modifiers: Modifiers::NONE,
    };
    harness.hover_at(from);
    harness.run();
    harness.event(button(from, true));
    harness.run();
    for step in 1..=8 {
        harness.hover_at(from + delta * (step as f32 / 8.0));
        harness.run();
    }
    harness.event(button(from + delta, false));
    harness.run();
}

/// Every text shape drawn on the canvas in a frame painted in full: its text and size
/// in points. (Drawn from its cache, the canvas hands egui the cards as meshes, not
/// text; `tests/canvas_cache.rs` checks that both give the same pixels.)
fn texts_on_canvas(harness: &mut Harness<'_, JourneyApp>) -> Vec<(String, f32, Rect)> {
    harness.state_mut().canvas.content.set_enabled(false);
    harness.step();
    harness.state_mut().canvas.content.set_enabled(true);
    let canvas = canvas_rect(harness);
    harness
        .output()
        .shapes
        .iter()
        .filter_map(|clipped| match &clipped.shape {
            egui::Shape::Text(text) => {
                let rect = text.visual_bounding_rect().intersect(clipped.clip_rect);
                let size = text.galley.job.sections.first()?.format.font_id.size;
                let visible = rect.is_positive() && canvas.contains_rect(rect);
                visible.then(|| (text.galley.text().to_owned(), size, rect))
            }
            _ => None,
        })
        .collect()
}

fn opens_readable_on_the_first_stage(size: Vec2) {
    let mut harness = harness_sized(size, None);
    harness.get_by_label("5A customer path").click();
    harness.run();
    harness.run();
    let zoom = harness.state().canvas.zoom();
    let title_size = theme::card_title().font.size * zoom;
    assert!(
        title_size >= 11.0,
        "card titles are {title_size} pt at {size:?}"
    );
    let canvas = canvas_rect(&harness);
    let aware = stage_header(&mut harness, 0);
    assert!(canvas.contains_rect(aware), "{aware:?} in {canvas:?}");
    assert!(canvas.contains_rect(lane_header(&mut harness, 0)));
    let first = map(&harness)
        .cards_in(&"aware".into(), &"goals".into())
        .next()
        .unwrap()
        .id
        .clone();
    assert!(canvas.contains_rect(card_rect(&mut harness, &first)));
    // The title above the board is in view too, and drawn.
    let texts = texts_on_canvas(&mut harness);
    assert!(
        texts.iter().any(|(text, _, _)| text == "Aware"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|(text, _, _)| text == &map(&harness).title)
    );
    // Shift+1 still fits the whole map.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    harness.run();
    let last = map(&harness).stages.len() - 1;
    let advocate = stage_header(&mut harness, last);
    assert!(canvas.contains_rect(advocate), "{advocate:?} in {canvas:?}");
    let lanes = map(&harness).lanes.len();
    assert!(canvas.contains_rect(lane_header(&mut harness, lanes - 1)));
}

#[test]
fn a_template_opens_readable_on_its_first_stage_at_1400x900() {
    opens_readable_on_the_first_stage(vec2(1400.0, 900.0));
}

#[test]
fn a_template_opens_readable_on_its_first_stage_at_1280x720() {
    opens_readable_on_the_first_stage(vec2(1280.0, 720.0));
}

#[test]
fn headers_stay_pinned_while_panning_and_a_click_there_hits_the_header() {
    let mut harness = harness_sized(vec2(1400.0, 900.0), Some(Document::new(template("5a"))));
    pan(&mut harness, vec2(-500.0, -420.0));
    let canvas = canvas_rect(&harness);
    let pinned = pinned(&mut harness);
    assert_eq!(pinned.corner().left_top(), canvas.left_top(), "panned away");
    // A stage in the middle of the screen: its header is at the top of the canvas.
    let (stage, header) = (0..5)
        .map(|i| (i, stage_header(&mut harness, i)))
        .find(|(_, r)| r.left() > pinned.corner().right() + 20.0)
        .expect("a stage in view");
    assert_eq!(header.top(), canvas.top());
    let lane = (0..8)
        .map(|i| (i, lane_header(&mut harness, i)))
        .find(|(_, r)| r.top() > pinned.corner().bottom() + 20.0)
        .expect("a lane in view");
    assert_eq!(lane.1.left(), canvas.left());
    // Cards pass under the pinned band: a click on the band selects the stage, not a card.
    let under_band = map(&harness)
        .cards
        .iter()
        .map(|c| c.id.clone())
        .collect::<Vec<_>>()
        .into_iter()
        .find_map(|id| {
            let rect = card_rect(&mut harness, &id);
            let over = rect.intersect(header);
            (over.is_positive() && over.width() > 20.0).then_some(over.center())
        })
        .expect("a card lies under the pinned band");
    press(&mut harness, under_band, egui::PointerButton::Primary);
    let selection = &harness.state().canvas.selection;
    assert!(selection.cards.is_empty(), "{selection:?}");
    assert_eq!(
        selection.stage.as_ref(),
        Some(&map(&harness).stages[stage].id)
    );
    // The same for the lane column, and rename in place works on the pinned header.
    double_click(&mut harness, lane.1.center());
    assert!(harness.state().canvas.is_editing());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text("Jobs to be done".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(map(&harness).lanes[lane.0].name, "Jobs to be done");
    // A right-click on the pinned stage header opens the stage's menu.
    press(
        &mut harness,
        header.center(),
        egui::PointerButton::Secondary,
    );
    harness.get_by_label("Insert stage after").click();
    harness.run();
    assert_eq!(map(&harness).stages.len(), 6);
    assert_eq!(map(&harness).stages[stage + 1].name, "New stage");
}

#[test]
fn zoomed_out_to_fit_at_1280x720_headers_and_card_titles_stay_legible() {
    let mut harness = harness_sized(vec2(1280.0, 720.0), Some(Document::new(template("5a"))));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    harness.run();
    harness.run();
    let zoom = harness.state().canvas.zoom();
    assert!(zoom < 0.35, "the whole 5a map fits only far out ({zoom})");
    let texts = texts_on_canvas(&mut harness);
    let drawn_at = |name: &str| {
        texts
            .iter()
            .filter(|(text, _, _)| text == name || text.starts_with(name))
            .map(|(_, size, _)| *size)
            .fold(0.0, f32::max)
    };
    let map = map(&harness).clone();
    for stage in &map.stages {
        let size = drawn_at(&stage.name);
        assert!(size >= 11.0, "stage {} drawn at {size} pt", stage.name);
    }
    for lane in &map.lanes {
        let first_word = lane.name.split(' ').next().unwrap();
        let size = drawn_at(&if lane.kind == journeymap::model::LaneKind::Divider {
            first_word.to_uppercase()
        } else {
            first_word.to_owned()
        });
        assert!(size >= 9.5, "lane {} drawn at {size} pt", lane.name);
    }
    // Cards show their titles at a readable size (title-only), not empty boxes.
    let titled = map
        .cards
        .iter()
        .filter(|card| {
            let start: String = card.title.chars().take(6).collect();
            texts
                .iter()
                .any(|(text, size, _)| *size >= 9.0 && text.starts_with(&start))
        })
        .count();
    assert!(
        titled * 2 > map.cards.len(),
        "{titled} of {} cards show a title",
        map.cards.len()
    );
}

#[test]
fn double_click_the_map_title_edits_it_and_undo_restores_it() {
    let mut harness = harness_sized(vec2(1400.0, 900.0), Some(Document::new(template("5a"))));
    let original = map(&harness).title.clone();
    let title = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        app.canvas.title_screen_rect(doc).unwrap()
    };
    double_click(&mut harness, title.left_center() + vec2(30.0, 0.0));
    assert!(harness.state().canvas.is_editing());
    harness.get_by_label("Map title");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text("Spring launch journey".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(!harness.state().canvas.is_editing());
    assert_eq!(map(&harness).title, "Spring launch journey");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(map(&harness).title, original, "one undo step");
}

#[test]
fn right_click_on_a_card_selects_it_and_opens_its_menu() {
    let mut harness = harness_sized(vec2(1400.0, 900.0), Some(Document::new(template("5a"))));
    let card = map(&harness)
        .cards_in(&"appeal".into(), &"touchpoints".into())
        .next()
        .unwrap()
        .id
        .clone();
    let count = map(&harness).cards.len();
    let rect = card_rect(&mut harness, &card);
    press(&mut harness, rect.center(), egui::PointerButton::Secondary);
    assert_eq!(harness.state().canvas.selection.cards, vec![card.clone()]);
    harness.get_by_label_contains("Duplicate").click();
    harness.run();
    assert_eq!(map(&harness).cards.len(), count + 1);
    let copy = &harness.state().canvas.selection.cards[0];
    assert_ne!(copy, &card, "the copy is selected");
}
