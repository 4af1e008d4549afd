//! The editor driven like a user: clicks, drags and keys through egui_kittest, then
//! assertions on the map. Card positions come from the canvas's layout, as a user's
//! eyes would find them.

use egui::{Key, Modifiers, Pos2, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::{Document, JourneyApp};
use journeymap::model::{CardId, LaneId, Map, StageId};
use journeymap::render::theme;
use support::editor::{drag, template};

mod support;

fn harness_with(doc: Option<Document>) -> Harness<'static, JourneyApp> {
    let mut harness = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), editor(doc));
    harness.run();
    harness
}

/// The editor with no file dialog (as on a desktop without a portal or zenity): paths
/// are typed.
fn editor(doc: Option<Document>) -> JourneyApp {
    let no_dialog = journeymap::app::dialogs::ScriptedDialogs::new([
        journeymap::app::dialogs::Answer::Unavailable,
    ]);
    JourneyApp::new(doc).with_dialogs(no_dialog)
}

fn harness(id: &str) -> Harness<'static, JourneyApp> {
    harness_with(Some(Document::new(template(id))))
}

fn map<'h>(harness: &'h Harness<'_, JourneyApp>) -> &'h Map {
    harness.state().doc.as_ref().unwrap().map()
}

fn card_rect(harness: &mut Harness<'_, JourneyApp>, id: &CardId) -> Rect {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    app.canvas
        .card_screen_rect(doc, id)
        .expect("the card is on the canvas")
}

fn cell_center(harness: &mut Harness<'_, JourneyApp>, stage: &str, lane: &str) -> Pos2 {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    let (stage, lane) = (
        doc.map().stage_index(&stage.into()).unwrap(),
        doc.map().lane_index(&lane.into()).unwrap(),
    );
    let rect = app.canvas.layout(doc).cell(stage, lane).unwrap().rect;
    app.canvas.to_screen(rect.center())
}

fn cards_in(harness: &Harness<'_, JourneyApp>, stage: &str, lane: &str) -> Vec<CardId> {
    let (stage, lane) = (StageId::from(stage), LaneId::from(lane));
    map(harness)
        .cards_in(&stage, &lane)
        .map(|c| c.id.clone())
        .collect()
}

fn first_in(harness: &Harness<'_, JourneyApp>, stage: &str, lane: &str) -> CardId {
    cards_in(harness, stage, lane)[0].clone()
}

fn click(harness: &mut Harness<'_, JourneyApp>, pos: Pos2, modifiers: Modifiers) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run();
}

fn double_click(harness: &mut Harness<'_, JourneyApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.run();
    // kittest plays one event per frame, 50 ms apart: well inside the double-click time.
    for pressed in [true, false, true, false] {
        let modifiers = Modifiers::NONE;
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run();
}

fn set_zoom(harness: &mut Harness<'_, JourneyApp>, zoom: f32) {
    let app = harness.state_mut();
    let origin = Pos2::new(20.0, 40.0);
    app.canvas.set_zoom(zoom, origin);
    harness.run();
}

fn drag_card_across_stages_at_zoom(zoom: f32) {
    let mut harness = harness("5a");
    set_zoom(&mut harness, zoom);
    let card = first_in(&harness, "aware", "touchpoints");
    let from = card_rect(&mut harness, &card).center();
    let before = cards_in(&harness, "act", "pains").len();
    let target = cell_center(&mut harness, "act", "pains");
    let (stage, lane) = (StageId::from("act"), LaneId::from("pains"));
    // Below every card of the cell: it lands last.
    let last = cards_in(&harness, "act", "pains").last().cloned().unwrap();
    let below = card_rect(&mut harness, &last).center_bottom() + vec2(0.0, 6.0);
    drag(
        &mut harness,
        from,
        if below.y < target.y { target } else { below },
    );
    let moved = map(&harness).card(&card).unwrap();
    assert_eq!(
        (&moved.stage, &moved.lane),
        (&stage, &lane),
        "at zoom {zoom}"
    );
    assert_eq!(cards_in(&harness, "act", "pains").len(), before + 1);
}

#[test]
fn drag_a_card_from_aware_touchpoints_to_act_pain_points_at_100_percent() {
    drag_card_across_stages_at_zoom(1.0);
}

#[test]
fn drag_a_card_from_aware_touchpoints_to_act_pain_points_at_50_percent() {
    drag_card_across_stages_at_zoom(0.5);
}

#[test]
fn dropping_between_two_cards_lands_at_that_index() {
    let mut harness = harness("5a");
    set_zoom(&mut harness, 0.6);
    let card = first_in(&harness, "aware", "goals");
    let targets = cards_in(&harness, "act", "touchpoints");
    assert!(targets.len() >= 2);
    let gap = {
        let above = card_rect(&mut harness, &targets[0]);
        let below = card_rect(&mut harness, &targets[1]);
        Pos2::new(above.center().x, (above.bottom() + below.top()) / 2.0)
    };
    let from = card_rect(&mut harness, &card).center();
    drag(&mut harness, from, gap);
    let after = cards_in(&harness, "act", "touchpoints");
    assert_eq!(after[1], card, "the card lands between the first two");
    assert_eq!(after[0], targets[0]);
}

#[test]
fn marquee_select_three_cards_and_drag_them_together() {
    let mut harness = harness("5a");
    set_zoom(&mut harness, 0.6);
    // The three stacked cards of Act / Touchpoints.
    let cards = cards_in(&harness, "act", "touchpoints");
    assert_eq!(cards.len(), 3);
    let top = card_rect(&mut harness, &cards[0]);
    let bottom = card_rect(&mut harness, &cards[2]);
    drag(
        &mut harness,
        top.left_top() - vec2(5.0, 5.0),
        bottom.right_bottom() + vec2(5.0, 5.0),
    );
    let selected = &harness.state().canvas.selection.cards;
    assert_eq!(selected.len(), 3, "{selected:?}");
    let from = card_rect(&mut harness, &cards[1]).center();
    let to = cell_center(&mut harness, "advocate", "kpis");
    let last = cards_in(&harness, "advocate", "kpis")
        .last()
        .cloned()
        .unwrap();
    let below = card_rect(&mut harness, &last).center_bottom() + vec2(0.0, 6.0);
    drag(&mut harness, from, if below.y < to.y { to } else { below });
    let after = cards_in(&harness, "advocate", "kpis");
    assert_eq!(
        after[after.len() - 3..],
        cards[..],
        "moved together, in order"
    );
}

#[test]
fn edit_a_title_in_place_and_undo_it_in_one_step() {
    let mut harness = harness("5a");
    let card = first_in(&harness, "ask", "goals");
    let original = map(&harness).card(&card).unwrap().title.clone();
    let rect = card_rect(&mut harness, &card);
    double_click(&mut harness, rect.center());
    assert!(
        harness.state().canvas.is_editing(),
        "a double-click starts editing"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text("Trust the ingredients".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        map(&harness).card(&card).unwrap().title,
        "Trust the ingredients"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(map(&harness).card(&card).unwrap().title, original);
}

#[test]
fn delete_a_stage_and_undo_restores_its_cards_in_place() {
    let mut harness = harness("5a");
    let original = map(&harness).clone();
    let header = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        let rect = app.canvas.layout(doc).stages[2].header;
        app.canvas.to_screen(rect.center())
    };
    click(&mut harness, header, Modifiers::NONE);
    assert_eq!(
        harness.state().canvas.selection.stage,
        Some(StageId::from("ask"))
    );
    harness.key_press(Key::Delete);
    harness.run();
    assert!(map(&harness).stage(&"ask".into()).is_none());
    assert!(
        map(&harness)
            .cards
            .iter()
            .all(|c| c.stage.as_str() != "ask")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(map(&harness), &original);
}

#[test]
fn reorder_lanes_by_dragging_a_header() {
    let mut harness = harness("5a");
    set_zoom(&mut harness, 0.3);
    let (from, to) = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        let layout = app.canvas.layout(doc);
        let kpis = layout.lanes.last().unwrap().header;
        let goals = layout.lanes[0].header;
        (
            app.canvas.to_screen(kpis.center()),
            app.canvas.to_screen(goals.center_top() + vec2(0.0, 4.0)),
        )
    };
    drag(&mut harness, from, to);
    let names: Vec<&str> = map(&harness).lanes.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(names[0], "kpis", "{names:?}");
    assert_eq!(names[1], "goals");
}

#[test]
fn drag_an_emotion_point_from_0_to_plus_2() {
    let mut harness = harness("5a");
    // A map opens at 100 % on its top left: fit it, so the emotion lane is in view.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    harness.run();
    let point = map(&harness)
        .cards
        .iter()
        .find(|c| c.lane.as_str() == "emotion" && c.emotion == Some(0))
        .map(|c| c.id.clone())
        .expect("5a has a neutral point");
    let from = card_rect(&mut harness, &point).center();
    let top = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        let y = app.canvas.layout(doc).emotions[0].y_of(2.0);
        app.canvas.to_screen(Pos2::new(0.0, y)).y
    };
    drag(&mut harness, from, Pos2::new(from.x, top - 3.0));
    assert_eq!(map(&harness).card(&point).unwrap().emotion, Some(2));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        map(&harness).card(&point).unwrap().emotion,
        Some(0),
        "the whole drag is one step"
    );
}

#[test]
fn copy_a_card_from_one_map_and_paste_into_another() {
    let mut source = harness("5a");
    let card = first_in(&source, "aware", "touchpoints");
    let title = map(&source).card(&card).unwrap().title.clone();
    let rect = card_rect(&mut source, &card);
    click(&mut source, rect.center(), Modifiers::NONE);
    source.event(egui::Event::Copy);
    source.step();
    let copied = source
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .expect("the card went to the clipboard");

    let mut target = harness("aida");
    let before = map(&target).cards.len();
    let first = map(&target).cards[0].id.clone();
    let rect = card_rect(&mut target, &first);
    click(&mut target, rect.center(), Modifiers::NONE);
    target.event(egui::Event::Paste(copied));
    target.run();
    assert_eq!(map(&target).cards.len(), before + 1);
    assert!(map(&target).cards.iter().any(|c| c.title == title));
}

#[test]
fn keyboard_only_create_edit_move_and_delete_a_card() {
    let mut harness = harness("blank");
    // Focus the canvas the way a keyboard user does: Tab selects the first card.
    harness.key_press(Key::Tab);
    harness.run();
    let before = map(&harness).cards.len();
    harness.key_press(Key::N);
    harness.run();
    assert_eq!(map(&harness).cards.len(), before + 1);
    harness.event(egui::Event::Text("Opens the newsletter".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let card = map(&harness)
        .cards
        .iter()
        .find(|c| c.title == "Opens the newsletter")
        .map(|c| c.id.clone());
    let card = card.expect("typed title");
    let stage_before = map(&harness).card(&card).unwrap().stage.clone();
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    harness.run();
    let moved = map(&harness).card(&card).unwrap();
    assert_ne!(
        moved.stage, stage_before,
        "Alt+Right moved it to the next stage"
    );
    harness.key_press(Key::Delete);
    harness.run();
    assert!(map(&harness).card(&card).is_none());
}

#[test]
fn the_gallery_opens_a_template() {
    let mut harness = harness_with(None);
    harness.run();
    harness.get_by_label("5A customer path").click();
    harness.run();
    let stages: Vec<String> = map(&harness)
        .stages
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(stages, ["Aware", "Appeal", "Ask", "Act", "Advocate"]);
}
