//! The editor in egui_kittest, driven as a hand drives it.

use egui::{Modifiers, Pos2};
use egui_kittest::Harness;
use journeymap::app::JourneyApp;
use journeymap::model::Map;

/// A starter template's map.
pub fn template(id: &str) -> Map {
    journeymap::templates::find(id).unwrap().map().unwrap()
}

/// Hover, then press and release the primary button at `pos`.
pub fn click_at(harness: &mut Harness<'_, JourneyApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

/// Press at `from`, move in steps like a hand would, release at `to`.
pub fn drag(harness: &mut Harness<'_, JourneyApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=6 {
        harness.hover_at(from + (to - from) * (step as f32 / 6.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
}
