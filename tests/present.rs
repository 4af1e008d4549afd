//! Presentation mode driven like a presenter through egui_kittest: the keys clickers
//! send step through the storyboard, each stage step frames its column with the lane
//! names, Esc gives the editor back as it was, no editing key reaches the map, and
//! sub-steps reveal a stage's lanes in order.

use egui::{Key, Modifiers, Rect, vec2};
use egui_kittest::Harness;
use journeymap::app::{Document, JourneyApp};
use journeymap::model::Map;
use journeymap::render::layout::MapLayout;
use journeymap::render::present::{self, Step};
use journeymap::render::text::Measure;
use journeymap::render::theme;
use support::editor::{click_at, template};

mod support;

const SCREEN: egui::Vec2 = vec2(1600.0, 900.0);

fn harness(map: Map) -> Harness<'static, JourneyApp> {
    let app = JourneyApp::new(Some(Document::new(map)));
    let mut harness = Harness::builder()
        .with_size(SCREEN)
        .with_theme(egui::Theme::Light)
        .with_max_steps(40)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

fn key(harness: &mut Harness<'_, JourneyApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn current(harness: &Harness<'_, JourneyApp>) -> Option<Step> {
    harness.state().presenter().map(|p| p.step())
}

fn map_of(harness: &Harness<'_, JourneyApp>) -> Map {
    harness.state().doc.as_ref().unwrap().map().clone()
}

#[test]
fn clicker_keys_step_through_and_each_stage_step_frames_its_column_and_the_lane_names() {
    let map = template("5a");
    let layout = MapLayout::compute(&map, &mut Measure::new(), Default::default());
    let mut harness = harness(map.clone());
    key(&mut harness, Key::F5);
    assert_eq!(current(&harness), Some(Step::Title));
    let steps = harness.state().presenter().unwrap().steps().to_vec();
    assert_eq!(steps.len(), 2 + map.stages.len() + 1);
    let screen = Rect::from_min_size(egui::Pos2::ZERO, SCREEN);
    // Each key that goes forward, in turn, then each that goes back.
    let forward = [
        Key::PageDown,
        Key::ArrowRight,
        Key::ArrowDown,
        Key::Space,
        Key::N,
        Key::Enter,
    ];
    for (index, step) in steps.iter().enumerate().skip(1) {
        key(&mut harness, forward[index % forward.len()]);
        assert_eq!(current(&harness), Some(*step), "step {index}");
        if let Step::Stage { stage, .. } = step {
            let camera = harness
                .state()
                .presenter()
                .unwrap()
                .camera_on(&layout, screen)
                .unwrap();
            let column = layout.stages[*stage].column;
            let grid = egui::Rangef::new(layout.corner.top(), layout.lanes.last().unwrap().row.max);
            let shown = camera.mul_rect(Rect::from_x_y_ranges(column, grid));
            assert!(screen.contains_rect(shown), "stage {stage}: {shown:?}");
            // Room for the lane names at the column's left, on the screen.
            let names = layout.corner.width() * camera.scaling;
            assert!(shown.left() - names >= -0.5, "stage {stage}");
        }
    }
    // At the end, forward stays on the last step.
    key(&mut harness, Key::PageDown);
    assert_eq!(current(&harness), Some(Step::Summary));
    for back in [
        Key::PageUp,
        Key::ArrowLeft,
        Key::ArrowUp,
        Key::Backspace,
        Key::P,
    ] {
        let before = harness.state().presenter().unwrap().current();
        key(&mut harness, back);
        assert_eq!(harness.state().presenter().unwrap().current(), before - 1);
    }
    key(&mut harness, Key::Home);
    assert_eq!(current(&harness), Some(Step::Title));
    key(&mut harness, Key::End);
    assert_eq!(current(&harness), Some(Step::Summary));
    // A number and Enter jump to that step.
    key(&mut harness, Key::Num4);
    key(&mut harness, Key::Enter);
    assert_eq!(current(&harness), Some(steps[3]));
    // B blanks to black, W to white, either again (or a step) brings the slide back.
    key(&mut harness, Key::B);
    assert_eq!(
        harness.state().presenter().unwrap().blank(),
        Some(egui::Color32::BLACK)
    );
    key(&mut harness, Key::W);
    assert_eq!(
        harness.state().presenter().unwrap().blank(),
        Some(egui::Color32::WHITE)
    );
    key(&mut harness, Key::W);
    assert_eq!(harness.state().presenter().unwrap().blank(), None);
    // A click goes forward too.
    click_at(&mut harness, egui::pos2(800.0, 450.0));
    assert_eq!(current(&harness), Some(steps[4]));
}

#[test]
fn esc_gives_back_the_editors_camera_and_selection_and_no_key_edits_the_map() {
    let map = template("5a");
    let mut harness = harness(map.clone());
    // Select a card and zoom, as an editor would have left things.
    harness.state_mut().canvas.selection.cards = vec![map.cards[7].id.clone()];
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    let zoom = harness.state().canvas.zoom();
    let revision = harness.state().doc.as_ref().unwrap().revision();
    let selection = harness.state().canvas.selection.clone();
    // Shift+F5 starts from the current stage: the selected card's.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    harness.run();
    let stage = map.stage_index(&map.cards[7].stage).unwrap();
    assert!(matches!(current(&harness), Some(Step::Stage { stage: s, .. }) if s == stage));
    // Editing keys do nothing to the map while presenting.
    let edits = [
        (Modifiers::NONE, Key::Delete),
        (Modifiers::COMMAND, Key::Z),
        (Modifiers::COMMAND, Key::A),
        (Modifiers::COMMAND, Key::D),
        (Modifiers::COMMAND, Key::V),
        (Modifiers::NONE, Key::F2),
        (Modifiers::NONE, Key::Tab),
        (Modifiers::COMMAND, Key::S),
    ];
    for (modifiers, edit) in edits {
        harness.key_press_modifiers(modifiers, edit);
        harness.run();
    }
    harness.event(egui::Event::Text("typed".into()));
    harness.run();
    assert_eq!(map_of(&harness), map);
    assert_eq!(harness.state().doc.as_ref().unwrap().revision(), revision);
    assert!(harness.state().presenter().is_some());
    key(&mut harness, Key::Escape);
    assert!(harness.state().presenter().is_none());
    assert_eq!(harness.state().canvas.zoom(), zoom);
    assert_eq!(harness.state().canvas.selection, selection);
}

#[test]
fn sub_steps_reveal_a_stages_lanes_top_to_bottom() {
    let mut map = template("service-blueprint");
    map.presentation.reveal_lanes = true;
    let mut harness = harness(map.clone());
    key(&mut harness, Key::F5);
    key(&mut harness, Key::PageDown); // the overview
    let mut revealed = Vec::new();
    loop {
        key(&mut harness, Key::PageDown);
        match current(&harness) {
            Some(Step::Stage { stage: 0, lanes }) => revealed.push(lanes.unwrap()),
            _ => break,
        }
    }
    let shown: Vec<usize> = (0..map.lanes.len())
        .filter(|&i| {
            map.lanes[i].kind != journeymap::model::LaneKind::Divider || i == map.lanes.len() - 1
        })
        .collect();
    assert_eq!(revealed, shown, "one step per lane, top to bottom");
    assert_eq!(
        present::storyboard(&map).len(),
        2 + map.stages.len() * shown.len() + 1
    );
}

#[test]
fn the_present_menu_turns_the_reveal_on_as_one_undoable_edit() {
    use egui_kittest::kittest::Queryable;
    let mut harness = harness(template("5a"));
    harness.get_by_label("Present").click();
    harness.run();
    harness
        .get_by_label("Reveal each stage's lanes one by one")
        .click();
    harness.run();
    assert!(map_of(&harness).presentation.reveal_lanes);
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(!map_of(&harness).presentation.reveal_lanes);
}
