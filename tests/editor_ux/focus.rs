//! Keys typed into a widget stay in that widget: while a text field, a colour picker,
//! a combo box, a drag value, a menu or a modal has the keyboard, no canvas shortcut
//! fires. Each shortcut class is tried both ways: into a focused widget (nothing on the
//! map or the selection changes) and on the canvas (the shortcut works).

use crate::support::editor::{click_at, drag};
use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::{Document, JourneyApp};
use journeymap::model::{CardId, Map};
use journeymap::render::theme;
use std::slice::from_ref;

fn harness(id: &str) -> Harness<'static, JourneyApp> {
    let map = journeymap::templates::find(id).unwrap().map().unwrap();
    let no_dialog = journeymap::app::dialogs::ScriptedDialogs::new([
        journeymap::app::dialogs::Answer::Unavailable,
    ]);
    let app = JourneyApp::new(Some(Document::new(map))).with_dialogs(no_dialog);
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

fn map<'h>(harness: &'h Harness<'_, JourneyApp>) -> &'h Map {
    harness.state().doc.as_ref().unwrap().map()
}

fn card_center(harness: &mut Harness<'_, JourneyApp>, id: &CardId) -> Pos2 {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    app.canvas.card_screen_rect(doc, id).unwrap().center()
}

/// The 5a template with its first touchpoint card selected by a click.
fn with_card_selected() -> (Harness<'static, JourneyApp>, CardId) {
    let mut harness = harness("5a");
    let card = map(&harness)
        .cards
        .iter()
        .find(|c| c.lane.as_str() == "touchpoints")
        .unwrap()
        .id
        .clone();
    let at = card_center(&mut harness, &card);
    click_at(&mut harness, at);
    assert_eq!(harness.state().canvas.selection.cards, from_ref(&card));
    (harness, card)
}

fn focus_field(harness: &mut Harness<'_, JourneyApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
    assert!(
        harness.ctx.memory(|m| m.focused().is_some()),
        "{label} has the keyboard"
    );
}

#[test]
fn ctrl_a_in_a_text_field_selects_its_text_not_every_card() {
    let (mut harness, card) = with_card_selected();
    focus_field(&mut harness, "Notes");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    assert_eq!(harness.state().canvas.selection.cards, [card]);
}

/// What a leaked shortcut would change: where the cards are, the stages and lanes, the
/// selection, an in-place edit, the shortcut sheet.
#[derive(Debug, PartialEq)]
struct Seen {
    cards: Vec<(String, String, String)>,
    stages: Vec<String>,
    lanes: Vec<String>,
    selection: journeymap::app::Selection,
    editing: bool,
    sheet: bool,
}

fn seen(harness: &Harness<'_, JourneyApp>) -> Seen {
    let map = map(harness);
    let app = harness.state();
    Seen {
        cards: (map.cards.iter())
            .map(|c| (c.id.0.clone(), c.stage.0.clone(), c.lane.0.clone()))
            .collect(),
        stages: map.stages.iter().map(|s| s.id.0.clone()).collect(),
        lanes: map.lanes.iter().map(|l| l.id.0.clone()).collect(),
        selection: app.canvas.selection.clone(),
        editing: app.canvas.is_editing(),
        sheet: app.shortcuts_shown(),
    }
}

/// One class of canvas shortcut: its name and how to press it.
struct Class {
    name: &'static str,
    press: fn(&mut Harness<'static, JourneyApp>),
}

fn key(harness: &mut Harness<'static, JourneyApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

fn paste_card(harness: &mut Harness<'static, JourneyApp>) {
    let map = map(harness);
    let clip = journeymap::app::clipboard::copy(map, from_ref(&map.cards[0].id)).unwrap();
    harness.event(egui::Event::Paste(clip));
    harness.run();
}

const CLASSES: &[Class] = &[
    Class {
        name: "Enter (rename)",
        press: |h| key(h, Modifiers::NONE, Key::Enter),
    },
    Class {
        name: "F2 (rename)",
        press: |h| key(h, Modifiers::NONE, Key::F2),
    },
    Class {
        name: "Delete",
        press: |h| key(h, Modifiers::NONE, Key::Delete),
    },
    Class {
        name: "Backspace",
        press: |h| key(h, Modifiers::NONE, Key::Backspace),
    },
    Class {
        name: "Ctrl+A",
        press: |h| key(h, Modifiers::COMMAND, Key::A),
    },
    Class {
        name: "Ctrl+D",
        press: |h| key(h, Modifiers::COMMAND, Key::D),
    },
    Class {
        name: "Ctrl+V",
        press: paste_card,
    },
    Class {
        name: "Ctrl+X",
        press: |h| {
            h.event(egui::Event::Cut);
            h.run();
        },
    },
    Class {
        name: "arrow",
        press: |h| key(h, Modifiers::NONE, Key::ArrowDown),
    },
    Class {
        name: "Alt+arrow",
        press: |h| key(h, Modifiers::ALT, Key::ArrowRight),
    },
    Class {
        name: "N",
        press: |h| key(h, Modifiers::NONE, Key::N),
    },
    Class {
        name: "Esc",
        press: |h| key(h, Modifiers::NONE, Key::Escape),
    },
    Class {
        name: "?",
        press: |h| key(h, Modifiers::SHIFT, Key::Questionmark),
    },
];

fn assert_no_leak(harness: &mut Harness<'static, JourneyApp>, class: &Class, into: &str) {
    let before = seen(harness);
    (class.press)(harness);
    let after = seen(harness);
    assert!(
        after == before,
        "{} leaked out of {into}: selection {:?} -> {:?}, editing {} -> {}, sheet {} -> {}, cards {} -> {}",
        class.name,
        before.selection,
        after.selection,
        before.editing,
        after.editing,
        before.sheet,
        after.sheet,
        before.cards.len(),
        after.cards.len(),
    );
}

#[test]
fn canvas_shortcuts_do_not_fire_from_a_text_field() {
    for class in CLASSES {
        let (mut harness, _) = with_card_selected();
        focus_field(&mut harness, "Notes");
        assert_no_leak(&mut harness, class, "the Notes field");
    }
}

#[test]
fn canvas_shortcuts_do_not_fire_from_a_single_line_field_that_lets_go_on_enter() {
    for class in CLASSES {
        let (mut harness, _) = with_card_selected();
        focus_field(&mut harness, "Owner");
        assert_no_leak(&mut harness, class, "the Owner field");
    }
}

#[test]
fn canvas_shortcuts_still_work_on_the_canvas() {
    for class in CLASSES {
        let (mut harness, card) = with_card_selected();
        // A field had the keyboard; a click on the card gives it back to the canvas.
        focus_field(&mut harness, "Notes");
        let at = card_center(&mut harness, &card);
        click_at(&mut harness, at);
        let before = seen(&harness);
        (class.press)(&mut harness);
        assert_ne!(
            seen(&harness),
            before,
            "{} did nothing on the canvas",
            class.name
        );
    }
}

/// Runs every class against a harness made by `setup`, which gives some widget other
/// than the canvas the keyboard.
fn no_class_leaks(into: &str, setup: fn() -> Harness<'static, JourneyApp>) {
    for class in CLASSES {
        let mut harness = setup();
        assert_no_leak(&mut harness, class, into);
    }
}

fn popup_open(harness: &Harness<'_, JourneyApp>) -> bool {
    egui::Popup::is_any_open(&harness.ctx)
}

#[test]
fn canvas_shortcuts_do_not_fire_while_a_combo_box_is_open() {
    no_class_leaks("the Channel combo box", || {
        let (mut harness, _) = with_card_selected();
        harness.get_by_label("Channel").click();
        harness.run();
        assert!(popup_open(&harness), "the combo box is open");
        harness
    });
}

#[test]
fn canvas_shortcuts_do_not_fire_while_the_colour_picker_is_open() {
    no_class_leaks("the colour picker", || {
        let (mut harness, _) = with_card_selected();
        harness.get_by_label("Custom colour").click();
        harness.run();
        harness.get_by_label("Colour").click();
        harness.run();
        assert!(popup_open(&harness), "the colour picker is open");
        harness
    });
}

#[test]
fn canvas_shortcuts_do_not_fire_while_a_menu_is_open() {
    no_class_leaks("the Edit menu", || {
        let (mut harness, _) = with_card_selected();
        harness.get_by_label("Edit").click();
        harness.run();
        assert!(popup_open(&harness), "the menu is open");
        harness
    });
}

#[test]
fn canvas_shortcuts_do_not_fire_from_a_focused_drag_value() {
    no_class_leaks("the stage Width drag value", || {
        let mut harness = harness("5a");
        let header = {
            let app = harness.state_mut();
            let doc = app.doc.as_ref().unwrap();
            let rect = app.canvas.layout(doc).stages[1].header;
            app.canvas.to_screen(rect.center())
        };
        click_at(&mut harness, header);
        assert!(harness.state().canvas.selection.stage.is_some());
        harness.get_by_label("Auto width").click();
        harness.run();
        harness.get_by_label("Width").focus();
        harness.run();
        assert!(harness.get_by_label("Width").is_focused());
        harness
    });
}

#[test]
fn canvas_shortcuts_do_not_fire_under_a_modal_prompt() {
    no_class_leaks("the unsaved-changes prompt", || {
        let (mut harness, _) = with_card_selected();
        key(&mut harness, Modifiers::COMMAND, Key::W);
        assert_eq!(harness.state().prompt_kind(), Some("unsaved"));
        harness
    });
}

#[test]
fn ctrl_z_in_a_text_field_is_the_fields_own_and_undoes_the_map_on_the_canvas() {
    let (mut harness, card) = with_card_selected();
    let stage = map(&harness).card(&card).unwrap().stage.clone();
    key(&mut harness, Modifiers::ALT, Key::ArrowRight);
    assert_ne!(map(&harness).card(&card).unwrap().stage, stage, "moved");
    let moved = seen(&harness);
    focus_field(&mut harness, "Notes");
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    key(
        &mut harness,
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        Key::Z,
    );
    assert_eq!(
        seen(&harness),
        moved,
        "the field's Ctrl+Z left the map alone"
    );
    let at = card_center(&mut harness, &card);
    click_at(&mut harness, at);
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(map(&harness).card(&card).unwrap().stage, stage, "undone");
}

#[test]
fn copy_in_a_text_field_copies_its_text_not_the_cards() {
    let (mut harness, _) = with_card_selected();
    focus_field(&mut harness, "Notes");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.event(egui::Event::Copy);
    harness.step();
    let copied: Vec<String> = (harness.output().platform_output.commands.iter())
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        copied.iter().all(|text| !text.contains("journeymap-cards")),
        "{copied:?}"
    );
}

fn cell_center(harness: &mut Harness<'_, JourneyApp>, stage: usize, lane: usize) -> Pos2 {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    let rect = app.canvas.layout(doc).cell(stage, lane).unwrap().rect;
    app.canvas.to_screen(rect.center())
}

#[test]
fn space_typed_in_a_field_does_not_turn_a_drag_into_a_pan() {
    let (mut harness, card) = with_card_selected();
    let stage = map(&harness).card(&card).unwrap().stage.clone();
    focus_field(&mut harness, "Notes");
    harness.key_down(Key::Space);
    harness.run();
    let from = card_center(&mut harness, &card);
    let lane = map(&harness).lane_index(&"touchpoints".into()).unwrap();
    let to = cell_center(&mut harness, 2, lane);
    drag(&mut harness, from, to);
    assert_ne!(
        map(&harness).card(&card).unwrap().stage,
        stage,
        "the drag moved the card"
    );
}

#[test]
fn space_held_on_the_canvas_turns_a_drag_into_a_pan() {
    let (mut harness, card) = with_card_selected();
    let stage = map(&harness).card(&card).unwrap().stage.clone();
    harness.key_down(Key::Space);
    harness.run();
    let from = card_center(&mut harness, &card);
    drag(&mut harness, from, from + vec2(300.0, 0.0));
    harness.key_up(Key::Space);
    harness.run();
    assert_eq!(map(&harness).card(&card).unwrap().stage, stage, "not moved");
    let now = card_center(&mut harness, &card);
    assert!(
        (now.x - from.x - 300.0).abs() < 2.0,
        "panned: {from:?} -> {now:?}"
    );
}
