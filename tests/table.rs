//! The table view and the search and filter bar, driven like a user through
//! egui_kittest: sort by severity, filter by channel, edit an owner in place and undo
//! it, a row selected is the card selected on the canvas, and search steps through
//! its matches.

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::{Document, JourneyApp};
use journeymap::model::{Channel, Severity};
use journeymap::render::theme;
use support::editor::template;

mod support;

fn harness(id: &str) -> Harness<'static, JourneyApp> {
    let app = JourneyApp::new(Some(Document::new(template(id))));
    let mut harness = Harness::builder()
        .renderer(support::CpuRenderer::default())
        .with_size(vec2(1500.0, 900.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

/// The table's rows as shown, as the titles of their cards.
fn shown_titles(harness: &mut Harness<'_, JourneyApp>) -> Vec<String> {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    let shown = app.search.shown(doc);
    let rows = app.table.rows(doc, shown);
    rows.iter()
        .map(|&at| doc.map().cards[at].title.clone())
        .collect()
}

fn open_table(harness: &mut Harness<'_, JourneyApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::T);
    harness.run();
    assert!(harness.state().showing_table);
}

#[test]
fn a_click_on_severity_sorts_high_first_after_a_second_click() {
    let mut harness = harness("5a");
    open_table(&mut harness);
    harness.get_by_label("Severity").click();
    harness.run();
    let severities = |harness: &mut Harness<'_, JourneyApp>| -> Vec<Option<Severity>> {
        let titles = shown_titles(harness);
        let map = harness.state().doc.as_ref().unwrap().map().clone();
        (titles.iter())
            .map(|t| map.cards.iter().find(|c| &c.title == t).unwrap().severity)
            .collect()
    };
    let ascending = severities(&mut harness);
    assert_eq!(
        ascending[..7].iter().flatten().count(),
        7,
        "cards with a severity come first"
    );
    assert_eq!(ascending[0], Some(Severity::Low));
    harness.get_by_label("Severity ↑").click();
    harness.run();
    let descending = severities(&mut harness);
    assert_eq!(descending[0], Some(Severity::High), "{descending:?}");
    assert_eq!(
        descending[7..].iter().flatten().count(),
        0,
        "empty cells stay last"
    );
    assert!(harness.query_by_label("Severity ↓").is_some());
}

#[test]
fn a_channel_chip_narrows_the_table_and_the_status_bar_counts_what_is_shown() {
    let mut harness = harness("5a");
    open_table(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Channel: any").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, "Chat")
        .click();
    harness.run();
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    let chat: Vec<_> = (map.cards.iter())
        .filter(|c| c.channel == Some(Channel::Chat))
        .map(|c| c.title.clone())
        .collect();
    assert_eq!(chat.len(), 2);
    harness.key_press(Key::Escape); // closes the chip's menu
    harness.run();
    assert_eq!(shown_titles(&mut harness), chat);
    assert!(
        harness
            .query_by_label_contains("2 of 56 cards shown")
            .is_some(),
        "the status bar counts"
    );
    assert_eq!(
        harness.state().doc.as_ref().unwrap().map(),
        &map,
        "a filter changes nothing"
    );
    harness.get_by_label("Clear").click();
    harness.run();
    assert_eq!(shown_titles(&mut harness).len(), 56);
}

#[test]
fn an_owner_edited_in_place_on_two_rows_is_one_undo_step() {
    let mut harness = harness("5a");
    open_table(&mut harness);
    let (first, second) = {
        let map = harness.state().doc.as_ref().unwrap().map();
        (map.cards[0].clone(), map.cards[1].clone())
    };
    harness.get_by_label(&first.title).click();
    harness.run();
    harness
        .get_by_label(&second.title)
        .click_modifiers(Modifiers::COMMAND);
    harness.run();
    assert_eq!(
        harness.state().canvas.selection.cards,
        [first.id.clone(), second.id.clone()]
    );
    // From the title column, seven to the right is the owner; Enter edits it on the
    // row selected last, and the value goes to every selected row.
    for _ in 0..7 {
        harness.key_press(Key::ArrowRight);
    }
    harness.key_press(Key::Enter);
    harness.run();
    harness
        .get_by_label(&format!("Owner of {}", second.title))
        .type_text("Growth team");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let owners = |harness: &Harness<'_, JourneyApp>| {
        let map = harness.state().doc.as_ref().unwrap().map();
        (
            map.card(&first.id).unwrap().owner.clone(),
            map.card(&second.id).unwrap().owner.clone(),
        )
    };
    assert_eq!(
        owners(&harness),
        ("Growth team".into(), "Growth team".into())
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        owners(&harness),
        (String::new(), String::new()),
        "one step undoes both"
    );
}

#[test]
fn a_row_selected_is_the_card_selected_on_the_canvas_and_a_double_click_goes_there() {
    let mut harness = harness("5a");
    open_table(&mut harness);
    let card = harness.state().doc.as_ref().unwrap().map().cards[3].clone();
    harness.get_by_label(&card.title).click();
    harness.run();
    assert_eq!(harness.state().canvas.selection.cards, [card.id]);
    harness.key_press(Key::ArrowDown);
    harness.run();
    let below = shown_titles(&mut harness)[4].clone();
    let selected = harness.state().canvas.selection.cards.clone();
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    assert_eq!(
        map.card(&selected[0]).unwrap().title,
        below,
        "Down selects the next row"
    );
    harness.get_by_label(&below).click();
    harness.step();
    harness.get_by_label(&below).click();
    harness.run();
    assert!(
        !harness.state().showing_table,
        "a double click shows the canvas"
    );
    assert_eq!(harness.state().canvas.selection.cards, selected);
}

#[test]
fn search_highlights_and_enter_steps_to_the_next_match_with_the_camera() {
    let mut harness = harness("5a");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Search cards").type_text("skin");
    harness.run();
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    let matches: Vec<_> = (map.cards.iter())
        .filter(|c| {
            format!("{} {} {}", c.title, c.notes, c.tags.join(" "))
                .to_lowercase()
                .contains("skin")
        })
        .map(|c| c.id.clone())
        .collect();
    assert!(matches.len() >= 2, "{matches:?}");
    let shown = harness
        .state()
        .canvas
        .shown
        .clone()
        .expect("a search narrows");
    assert_eq!(shown.len(), matches.len());
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().canvas.selection.cards, [matches[0].clone()]);
    harness.key_press(Key::F3);
    harness.run();
    assert_eq!(harness.state().canvas.selection.cards, [matches[1].clone()]);
    // The camera followed: the match is on the canvas.
    let screen = harness.state().canvas.screen_rect();
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    let rect = app.canvas.card_screen_rect(doc, &matches[1]).unwrap();
    assert!(screen.intersects(rect), "{rect:?} in {screen:?}");
    assert!(harness.query_by_label_contains("Match 2 of").is_some());
}

#[test]
fn cells_pasted_from_a_spreadsheet_become_cards_in_the_cell_under_the_pointer() {
    let mut harness = harness("5a");
    let (card, before) = {
        let map = harness.state().doc.as_ref().unwrap().map();
        (map.cards[2].clone(), map.cards.len())
    };
    let at = {
        let app = harness.state_mut();
        let doc = app.doc.as_ref().unwrap();
        app.canvas.card_screen_rect(doc, &card.id).unwrap().center()
    };
    harness.hover_at(at);
    harness.run();
    harness.event(egui::Event::Paste(
        "Free samples\tAsked for twice in interviews\nShade finder\t\n".into(),
    ));
    harness.run();
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    assert_eq!(map.cards.len(), before + 2);
    let new = &map.cards[before..];
    assert_eq!(new[0].title, "Free samples");
    assert_eq!(new[0].notes, "Asked for twice in interviews");
    assert_eq!(new[1].title, "Shade finder");
    for pasted in new {
        assert_eq!((&pasted.stage, &pasted.lane), (&card.stage, &card.lane));
    }
    assert_eq!(
        harness.state().canvas.selection.cards.len(),
        2,
        "the new cards are selected"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().doc.as_ref().unwrap().map().cards.len(),
        before,
        "one undo step"
    );

    // With a header row, the cells go through the column-mapping step.
    harness.hover_at(at);
    harness.event(egui::Event::Paste(
        "Stage\tTitle\tSeverity\nAct\tCoupon box distracts\thigh\n".into(),
    ));
    harness.run();
    assert!(harness.state().csv_import.is_some());
    harness.get_by_label("Import 1 card").click();
    harness.run();
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    let last = map.cards.last().unwrap();
    assert_eq!(last.title, "Coupon box distracts");
    assert_eq!(last.severity, Some(Severity::High));
    assert_eq!(map.stage(&last.stage).unwrap().name, "Act");
    assert!(harness.state().csv_import.is_none());
}

#[test]
fn the_export_dialog_offers_only_the_cards_the_search_shows() {
    let mut harness = harness("5a");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Search cards").type_text("skin");
    harness.run();
    let shown = harness
        .state()
        .canvas
        .shown
        .clone()
        .expect("a search narrows");
    let map = harness.state().doc.as_ref().unwrap().map().clone();
    let expected: Vec<_> = shown.iter().map(|&at| map.cards[at].id.clone()).collect();
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
    harness.run_steps(4);
    let label = format!("Only the {} shown by the filter", expected.len());
    harness.get_by_label(&label).click();
    harness.run_steps(2);
    let dialog = harness.state().export_dialog().expect("the dialog is open");
    assert!(dialog.filtered_only);
    assert_eq!(dialog.effective(&[]).selection, Some(expected));
}
