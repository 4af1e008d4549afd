//! The search and filter bar over the canvas and the table (Ctrl+F): a view of the map,
//! never a change to it. Matching cards are highlighted, the rest dimmed (the canvas)
//! or left out (the table).

use super::document::Document;
use crate::model::{Channel, Evidence, Map, Phase, Severity};
use crate::render::theme::{evidence_label, severity_label};
use crate::table::filter::{Filter, toggle};
use crate::table::phase_label;
use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use std::sync::Arc;

pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
pub const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F3);
pub const PREVIOUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F3);

#[derive(Default)]
pub struct SearchState {
    /// Whether the bar is shown.
    pub open: bool,
    pub filter: Filter,
    focus_search: bool,
    /// The cards shown, for the map's revision and the filter it was worked out for.
    cache: Option<(u64, Filter, Arc<Vec<usize>>)>,
}

/// What the bar asks of the view around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Next,
    Previous,
}

impl SearchState {
    /// Opens the bar with the search field focused.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_search = true;
    }

    /// Closes the bar and shows every card again.
    pub fn close(&mut self) {
        self.open = false;
        self.filter = Filter::default();
    }

    /// The positions in `Map::cards` of the cards the filter shows, in the map's order,
    /// or `None` when nothing is filtered.
    pub fn shown(&mut self, doc: &Document) -> Option<Arc<Vec<usize>>> {
        if !self.filter.is_active() {
            return None;
        }
        match &self.cache {
            Some((revision, filter, shown))
                if *revision == doc.revision() && *filter == self.filter =>
            {
                Some(shown.clone())
            }
            _ => {
                let shown = Arc::new(self.filter.shown(doc.map()));
                self.cache = Some((doc.revision(), self.filter.clone(), shown.clone()));
                Some(shown)
            }
        }
    }

    /// The bar: the search field, a chip per field, and Clear. Returns a step through
    /// the matches when Enter, F3 or Shift+F3 asked for one.
    pub fn bar_ui(&mut self, ui: &mut Ui, map: &Map) -> Option<Step> {
        let mut step = None;
        ui.horizontal_wrapped(|ui| {
            ui.label("🔍");
            let field = egui::TextEdit::singleline(&mut self.filter.query)
                .hint_text("Search titles, notes, tags, owners")
                .desired_width(240.0);
            let response = ui
                .add(field)
                .on_hover_text("Enter or F3: next match · Shift+F3: previous");
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Search cards")
            });
            if std::mem::take(&mut self.focus_search) {
                response.request_focus();
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                step = Some(if ui.input(|i| i.modifiers.shift) {
                    Step::Previous
                } else {
                    Step::Next
                });
                response.request_focus();
            }
            if response.has_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
                self.close();
                return;
            }
            self.chips_ui(ui, map);
            if ui
                .add_enabled(self.filter.is_active(), egui::Button::new("Clear"))
                .on_hover_text("Show every card again")
                .clicked()
            {
                self.filter = Filter::default();
            }
            if ui
                .button("×")
                .on_hover_text("Close the search (Esc)")
                .clicked()
            {
                self.close();
            }
        });
        if ui.input_mut(|i| i.consume_shortcut(&PREVIOUS)) {
            step = Some(Step::Previous);
        } else if ui.input_mut(|i| i.consume_shortcut(&NEXT)) {
            step = Some(Step::Next);
        }
        step
    }

    fn chips_ui(&mut self, ui: &mut Ui, map: &Map) {
        let filter = &mut self.filter;
        chip_ui(ui, "Channel", &mut filter.channels, &Channel::ALL, |c| {
            c.label().to_owned()
        });
        let severities = [Severity::High, Severity::Medium, Severity::Low];
        chip_ui(ui, "Severity", &mut filter.severities, &severities, |s| {
            severity_label(*s).to_owned()
        });
        let evidence = [Evidence::Observed, Evidence::Assumed, Evidence::Proposed];
        chip_ui(ui, "Evidence", &mut filter.evidence, &evidence, |e| {
            evidence_label(*e).to_owned()
        });
        let phases = [Phase::Before, Phase::During, Phase::After];
        chip_ui(ui, "Phase", &mut filter.phases, &phases, |p| {
            phase_label(*p).to_owned()
        });
        let personas: Vec<_> = map.personas.iter().map(|p| p.id.clone()).collect();
        chip_ui(ui, "Persona", &mut filter.personas, &personas, |id| {
            (map.personas.iter().find(|p| &p.id == id)).map_or(id.to_string(), |p| p.name.clone())
        });
        let tags = Filter::tags_of(map);
        chip_ui(ui, "Tag", &mut filter.tags, &tags, Clone::clone);
        let stages: Vec<_> = map.stages.iter().map(|s| s.id.clone()).collect();
        chip_ui(ui, "Stage", &mut filter.stages, &stages, |id| {
            map.stage(id).map_or(id.to_string(), |s| s.name.clone())
        });
    }
}

/// One chip: a menu of the field's values with a check each; its button names what is
/// chosen ("Channel: Chat, Email").
fn chip_ui<T: Clone + PartialEq>(
    ui: &mut Ui,
    name: &str,
    chosen: &mut Vec<T>,
    all: &[T],
    label: impl Fn(&T) -> String,
) {
    let title = match chosen.len() {
        0 => format!("{name}: any"),
        1..=2 => format!(
            "{name}: {}",
            chosen.iter().map(&label).collect::<Vec<_>>().join(", ")
        ),
        n => format!("{name}: {n}"),
    };
    let button = egui::Button::new(title).selected(!chosen.is_empty());
    egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        if all.is_empty() {
            ui.label("None in this map");
        }
        for value in all {
            let mut on = chosen.contains(value);
            if ui.checkbox(&mut on, label(value)).clicked() {
                toggle(chosen, value.clone());
            }
        }
        if !chosen.is_empty() && ui.button("Any").clicked() {
            chosen.clear();
            ui.close();
        }
    });
}
