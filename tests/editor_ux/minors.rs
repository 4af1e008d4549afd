//! What a new user hit, driven like a user through egui_kittest: the inspector follows
//! the selection, explains a card's emotion, picks colours from the map's swatches or a
//! hex field; a repaired map opens dirty with its repairs listed; a bad file shows its
//! error over the gallery; a recovered draft is one undo step over its file; the
//! shortcut sheet is whole from its first frame.

use crate::support::editor::{click_at, template};
use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::dialogs::{Answer, ScriptedDialogs};
use journeymap::app::{Document, JourneyApp};
use journeymap::model::{CardId, Color, Map};
use journeymap::render::theme;
use journeymap::storage::{self, drafts::Drafts};
use std::path::Path;

fn build(app: JourneyApp) -> Harness<'static, JourneyApp> {
    let app = app.with_dialogs(ScriptedDialogs::new([Answer::Unavailable]));
    let mut harness = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

fn harness(id: &str) -> Harness<'static, JourneyApp> {
    build(JourneyApp::new(Some(Document::new(template(id)))))
}

fn map<'h>(harness: &'h Harness<'_, JourneyApp>) -> &'h Map {
    harness.state().doc.as_ref().unwrap().map()
}

fn click_card(harness: &mut Harness<'_, JourneyApp>, id: &CardId) {
    let at = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        app.canvas.card_screen_rect(doc, id).unwrap().center()
    };
    click_at(harness, at);
}

fn click_stage(harness: &mut Harness<'_, JourneyApp>, index: usize) {
    let at = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        let rect = app.canvas.layout(doc).stages[index].header;
        app.canvas.to_screen(rect.center())
    };
    click_at(harness, at);
}

/// The inspector's Map tab (the menu bar has a Map menu too).
fn map_tab(harness: &mut Harness<'_, JourneyApp>) {
    harness
        .get_all_by_label("Map")
        .find(|node| node.rect().min.x > 1000.0) // in the inspector, not the menu bar
        .expect("the Map tab")
        .click();
    harness.run();
}

fn touchpoints(harness: &Harness<'_, JourneyApp>) -> Vec<CardId> {
    (map(harness).cards.iter())
        .filter(|c| c.lane.as_str() == "touchpoints")
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn the_inspector_follows_the_selection_from_another_tab() {
    let mut harness = harness("5a");
    map_tab(&mut harness);
    assert!(harness.query_by_label("Map title").is_some());
    let cards = touchpoints(&harness);
    click_card(&mut harness, &cards[0]);
    assert!(
        harness.query_by_label("Map title").is_none(),
        "left the Map tab"
    );
    let title = &map(&harness).card(&cards[0]).unwrap().title;
    assert_eq!(
        harness.get_by_label("Title").value().as_deref(),
        Some(title.as_str())
    );
}

#[test]
fn typing_in_a_field_then_selecting_another_card_keeps_the_typing_and_shows_the_other() {
    let mut harness = harness("5a");
    let cards = touchpoints(&harness);
    click_card(&mut harness, &cards[0]);
    harness.get_by_label("Owner").click();
    harness.run();
    harness.get_by_label("Owner").type_text("Growth team");
    harness.run();
    click_card(&mut harness, &cards[1]);
    assert_eq!(map(&harness).card(&cards[0]).unwrap().owner, "Growth team");
    let owner = map(&harness).card(&cards[1]).unwrap().owner.clone();
    assert_eq!(
        harness.get_by_label("Owner").value().unwrap_or_default(),
        owner
    );
    // The typing is one undo step.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(map(&harness).card(&cards[0]).unwrap().owner, "");
}

#[test]
fn the_inspector_says_what_a_cards_emotion_is_and_what_a_points_is() {
    let mut harness = harness("5a");
    let cards = touchpoints(&harness);
    click_card(&mut harness, &cards[0]);
    assert!(
        harness
            .query_by_label_contains("not from card scores")
            .is_some()
    );
    let point = (map(&harness).cards.iter())
        .find(|c| c.lane.as_str() == "emotion")
        .unwrap()
        .id
        .clone();
    // A map opens at 100 % on its top left: fit it, so the emotion lane is in view.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    harness.run();
    click_card(&mut harness, &point);
    assert_eq!(harness.state().canvas.selection.cards, [point]);
    assert!(
        harness
            .query_by_label_contains("height on the emotion curve")
            .is_some()
    );
}

#[test]
fn the_colour_picker_offers_the_maps_swatches_a_hex_field_and_recent_colours() {
    let mut harness = harness("5a");
    click_stage(&mut harness, 1);
    let stage = map(&harness).stages[1].id.clone();
    harness.get_by_label("Custom colour").click();
    harness.run();
    harness.get_by_label("Colour").click();
    harness.run();
    // A swatch of the theme's palette.
    harness.get_by_label("#0f766e").click();
    harness.run();
    assert_eq!(
        map(&harness).stage(&stage).unwrap().color,
        Some(Color::rgb(0x0f, 0x76, 0x6e))
    );
    // The hex field follows the pick; typing a colour sets it.
    let hex = harness.get_by_label("Hex");
    assert_eq!(hex.value().as_deref(), Some("#0f766e"));
    hex.click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Hex").type_text("#c0ffee");
    harness.run();
    assert_eq!(
        map(&harness).stage(&stage).unwrap().color,
        Some(Color::rgb(0xc0, 0xff, 0xee))
    );
    // The colours picked show as recent ones; each pick is one undo step.
    assert!(harness.query_by_label("Recent").is_some());
    assert!(harness.query_all_by_label("#c0ffee").count() >= 1);
    click_at(&mut harness, Pos2::new(700.0, 900.0)); // away: the picker closes
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        map(&harness).stage(&stage).unwrap().color,
        Some(Color::rgb(0x0f, 0x76, 0x6e))
    );
}

#[test]
fn the_palette_is_no_longer_a_free_text_field() {
    let mut harness = harness("5a");
    map_tab(&mut harness);
    assert!(harness.query_by_label("Palette").is_none());
}

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

#[test]
fn a_map_repaired_on_open_has_unsaved_changes_and_lists_the_repairs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken-card.journey.json");
    std::fs::copy(corpus("broken-card.journey.json"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut harness = build(JourneyApp::new(None));
    harness.state_mut().open_path(path.clone());
    harness.run();
    assert!(harness.state().doc.as_ref().unwrap().is_dirty());
    assert_eq!(harness.state().prompt_kind(), Some("error"));
    harness.get_by_label_contains("was repaired while opening");
    assert!(
        harness.query_by_label_contains("• ").is_some(),
        "the repairs are listed"
    );
    harness.get_by_label("OK").click();
    harness.run();
    assert_eq!(harness.state().prompt_kind(), None, "dismissed");
    assert!(harness.query_by_label("Saved").is_none());
    assert!(harness.query_by_label("Unsaved changes").is_some());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn a_bad_file_shows_its_error_over_the_gallery() {
    let mut harness = build(JourneyApp::new(None));
    harness
        .state_mut()
        .open_path(corpus("truncated.journey.json"));
    harness.run();
    assert!(harness.state().doc.is_none());
    assert_eq!(harness.state().prompt_kind(), Some("error"));
    harness.get_by_label("Could not open truncated.journey.json");
    harness.get_by_label("OK").click();
    harness.run();
    assert!(
        harness.query_by_label("5A customer path").is_some(),
        "the gallery"
    );
}

#[test]
fn a_recovered_draft_is_one_undo_step_over_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("drafts");
    let path = dir.path().join("brief.journey.json");
    storage::save_map(&path, &template("5a")).unwrap();
    let first = JourneyApp::new(Some(Document::open(&path).unwrap()))
        .with_drafts(Drafts::in_dir(&drafts), 0.0);
    let mut harness = build(first);
    let card = touchpoints(&harness)[0].clone();
    click_card(&mut harness, &card);
    harness.key_press(Key::Delete);
    harness.run();
    harness.run();
    let edited = map(&harness).clone();
    drop(harness); // killed

    let second = JourneyApp::new(None).with_drafts(Drafts::in_dir(&drafts), 0.0);
    let mut harness = build(second);
    harness.get_by_label("Recover").click();
    harness.run();
    assert_eq!(map(&harness), &edited);
    assert!(harness.state().doc.as_ref().unwrap().is_dirty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(map(&harness), &template("5a"), "back to the file on disk");
    assert!(
        !harness.state().doc.as_ref().unwrap().is_dirty(),
        "which is saved"
    );
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
    harness.run();
    assert_eq!(map(&harness), &edited, "redo recovers again");
}

#[test]
fn the_shortcut_sheet_is_whole_from_its_first_frames() {
    let mut harness = harness("5a");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Questionmark);
    // No pointer moves: only the frames the app asks for itself.
    harness.run();
    let window = harness
        .get_all_by_label("Keyboard shortcuts")
        .map(|node| node.rect())
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .expect("the sheet");
    for last in [
        "Press ? or Esc to close.",
        "Quit",
        "Keyboard shortcuts  ",
        "Duplicate",
    ] {
        let Some(node) = harness.query_by_label(last) else {
            continue;
        };
        let rect = node.rect();
        assert!(
            window.expand(1.0).contains_rect(rect),
            "{last} at {rect:?} is outside the sheet {window:?}"
        );
    }
    assert!(harness.query_by_label("Press ? or Esc to close.").is_some());
}
