//! The inspector's form widgets: labelled text fields over buffers, combo boxes,
//! colour and size pickers, each reporting which gesture a change belongs to.

use super::{InspectorState, MIXED, TextBuffer, fields::TextField, fields::common, photo};
use crate::app::Document;
use crate::edit::Edit;
use crate::model::Color;
use crate::render::text;
use egui::{Id, TextEdit, Ui};
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::ops::RangeInclusive;

impl InspectorState {
    pub(super) fn photo_preview_ui(&mut self, ui: &mut Ui, photo: &str) {
        let mut hasher = DefaultHasher::new();
        photo.hash(&mut hasher);
        let hash = hasher.finish();
        if self.photo.as_ref().is_none_or(|(shown, _)| *shown != hash) {
            let texture = photo::decode_photo(photo).map(|image| {
                ui.ctx()
                    .load_texture("persona photo", image, egui::TextureOptions::LINEAR)
            });
            self.photo = Some((hash, texture));
        }
        match self
            .photo
            .as_ref()
            .and_then(|(_, texture)| texture.as_ref())
        {
            Some(texture) => {
                ui.add(egui::Image::from_texture(texture).max_size(egui::vec2(128.0, 128.0)));
            }
            None => {
                ui.weak("This photo cannot be shown.");
            }
        }
    }

    /// Text fields of one or more items; a change is set on every item it changes, as
    /// one edit within the field's typing gesture.
    pub(super) fn texts_ui<E, F: PartialEq>(
        &mut self,
        ui: &mut Ui,
        doc: &mut Document,
        base: Id,
        items: &[E],
        fields: &[TextField<E, F>],
        edit: impl Fn(&E, F) -> Edit,
    ) {
        for (label, rows, get, set) in fields {
            let current = common(items.iter().map(get));
            let key = base.with(label);
            let Some(text) = self.text_ui(ui, key, label, current.as_deref(), *rows) else {
                continue;
            };
            let edits: Vec<Edit> = (items.iter())
                .filter_map(|item| {
                    let new = set(item, text.clone())?;
                    (set(item, get(item)).as_ref() != Some(&new)).then(|| edit(item, new))
                })
                .collect();
            if !edits.is_empty() {
                self.apply(doc, Some(key), Edit::Batch(edits));
            }
        }
    }

    /// A labelled text field over a buffer that follows the model whenever the model
    /// changes. Returns the text when the user changed it, trimmed unless it is long.
    pub(super) fn text_ui(
        &mut self,
        ui: &mut Ui,
        key: Id,
        label: &str,
        current: Option<&str>,
        rows: usize,
    ) -> Option<String> {
        if let Some(text) = current
            && !text::is_drawn_whole(text)
        {
            // An edit field would lay out every character: show what the map draws.
            let name = ui.label(label);
            let shown = text::display_text(text, text::TEXT_CAP);
            ui.label(shown.text).labelled_by(name.id);
            ui.weak(format!(
                "{} characters: too long to edit here. The file keeps them all.",
                text.chars().count()
            ));
            return None;
        }
        let focused = ui.memory(|memory| memory.has_focus(key));
        let buffer = self.buffers.entry(key).or_insert_with(|| TextBuffer {
            text: current.unwrap_or_default().to_owned(),
            model: current.map(str::to_owned),
            seen: false,
        });
        buffer.seen = true;
        if !focused && buffer.model.as_deref() != current {
            buffer.text = current.unwrap_or_default().to_owned();
            buffer.model = current.map(str::to_owned);
        }
        let name = ui.label(label);
        // One-line values wrap instead of scrolling out of sight; Enter still finishes.
        let field = match rows {
            1 => TextEdit::multiline(&mut buffer.text)
                .desired_rows(1)
                .return_key(None),
            _ => TextEdit::multiline(&mut buffer.text).desired_rows(rows),
        };
        let hint = if current.is_none() {
            MIXED
        } else {
            hint(label)
        };
        let field = field.id(key).desired_width(f32::INFINITY).hint_text(hint);
        let response = ui.add(field).labelled_by(name.id);
        if response.has_focus() {
            self.active = Some(key);
            if rows == 1 && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                ui.memory_mut(|m| m.surrender_focus(key));
            }
        }
        if rows == 1 && buffer.text.contains(['\n', '\r']) {
            buffer.text = buffer.text.replace(['\n', '\r'], " "); // pasted lines
        }
        let text = if rows < 3 {
            buffer.text.trim()
        } else {
            &buffer.text
        };
        response.changed().then(|| text.to_owned())
    }

    pub(super) fn buffer_text(&self, key: Id) -> &str {
        self.buffers
            .get(&key)
            .map_or("", |buffer| buffer.text.as_str())
    }

    /// A "custom colour" box and, when ticked, a colour button; `current` is `None` when
    /// mixed. Returns the new colour (each pick is a step of its own, so no gesture).
    pub(super) fn color_ui(
        &mut self,
        ui: &mut Ui,
        base: Id,
        [check_name, button_name]: [&str; 2],
        current: Option<Option<Color>>,
        fallback: Color,
    ) -> Option<(Option<Color>, Option<Id>)> {
        let key = base.with(check_name);
        let mut result = None;
        ui.horizontal(|ui| {
            let mut custom = matches!(current, Some(Some(_)));
            let checkbox = egui::Checkbox::new(&mut custom, check_name);
            if ui.add(checkbox.indeterminate(current.is_none())).changed() {
                result = Some((
                    custom.then_some(current.flatten().unwrap_or(fallback)),
                    None,
                ));
            }
            match current {
                Some(Some(color)) => {
                    if let Some(picked) = self.colour_button_ui(ui, key, button_name, color) {
                        result = Some((Some(picked), None));
                    }
                }
                Some(None) => {}
                None => {
                    ui.weak(MIXED);
                }
            }
        });
        result
    }

    /// An optional size: "Auto", or points dragged or typed within `range`.
    pub(super) fn size_ui(
        &mut self,
        ui: &mut Ui,
        (label, auto_label, range, fallback): (&str, &str, RangeInclusive<f32>, f32),
        current: Option<f32>,
    ) -> Option<(Option<f32>, Option<Id>)> {
        let name = ui.label(label);
        let mut result = None;
        ui.horizontal(|ui| {
            let mut auto = current.is_none();
            if ui.checkbox(&mut auto, auto_label).changed() {
                let size = fallback.clamp(*range.start(), *range.end());
                result = Some(((!auto).then_some(size), None));
            }
            let Some(mut value) = current else { return };
            let drag = egui::DragValue::new(&mut value)
                .range(range)
                .max_decimals(0);
            let response = ui.add(drag.suffix(" pt")).labelled_by(name.id);
            if response.dragged() || response.has_focus() {
                self.active = Some(response.id);
            }
            if response.changed() && Some(value) != current {
                result = Some((Some(value), Some(response.id)));
            }
        });
        result
    }
}

/// A labelled combo box; `current` is `None` when mixed. Returns a newly picked value.
pub(super) fn choice_ui<T: PartialEq + Clone, S: AsRef<str>>(
    ui: &mut Ui,
    label: &str,
    current: Option<&T>,
    choices: &[(T, S)],
) -> Option<T> {
    let name = ui.label(label);
    let shown = match current {
        None => MIXED,
        Some(value) => (choices.iter().find(|(choice, _)| choice == value))
            .map_or("?", |(_, text)| text.as_ref()),
    };
    let mut picked = None;
    let combo = egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .width(ui.available_width());
    let response = combo.show_ui(ui, |ui| {
        for (value, text) in choices {
            if ui
                .selectable_label(current == Some(value), text.as_ref())
                .clicked()
            {
                picked = Some(value.clone());
            }
        }
    });
    let _ = response.response.labelled_by(name.id);
    picked.filter(|value| current != Some(value))
}

/// One button per score; `current` is `None` when mixed.
pub(super) fn emotion_ui(ui: &mut Ui, current: Option<Option<i8>>) -> Option<Option<i8>> {
    ui.label("Emotion");
    let scores = [
        (None, "none", "No emotion score"),
        (Some(-2), "-2", "Very negative"),
        (Some(-1), "-1", "Negative"),
        (Some(0), "0", "Neutral"),
        (Some(1), "+1", "Positive"),
        (Some(2), "+2", "Very positive"),
    ];
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        for (score, text, meaning) in scores {
            let selected = current == Some(score);
            if ui
                .selectable_label(selected, text)
                .on_hover_text(meaning)
                .clicked()
                && !selected
            {
                picked = Some(score);
            }
        }
        if current.is_none() {
            ui.weak(MIXED);
        }
    });
    picked
}

pub(super) fn error_hint<T>(ui: &mut Ui, result: Result<T, String>) {
    if let Err(why) = result {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
}

fn hint(label: &str) -> &'static str {
    match label {
        "Tags" => "comma, separated",
        "Link" => "https://…",
        "Funnel" => "people reaching this stage",
        "Goals" | "Pain points" | "Motivations" | "Objections" => "one per line",
        _ => "",
    }
}
