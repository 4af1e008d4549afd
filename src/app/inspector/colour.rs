//! The colour picker of the inspector: the map's own colours and the theme's palette
//! as swatches, the colours picked lately, and a `#rrggbb` field. Each pick is one
//! undo step.

use super::InspectorState;
use crate::model::{Color, Map};
use crate::render::theme::{Theme, color32};
use egui::{Color32, Id, Popup, PopupCloseBehavior, Response, Sense, Stroke, TextEdit, Ui, vec2};

/// How many swatches of each kind the picker offers.
const MAX_SWATCHES: usize = 16;
const MAX_RECENT: usize = 8;

/// The swatches of `map`: the colours it uses itself first (its brand), then the
/// theme's stage palette.
pub(super) fn map_swatches(map: &Map) -> Vec<Color> {
    let used = (map.stages.iter().filter_map(|s| s.color))
        .chain(map.lanes.iter().filter_map(|l| l.color))
        .chain(map.personas.iter().filter_map(|p| p.color))
        .chain(map.cards.iter().filter_map(|c| c.color));
    let palette = Theme::light()
        .stage_palette
        .into_iter()
        .map(|c| Color::rgb(c.r(), c.g(), c.b()));
    let mut swatches: Vec<Color> = Vec::new();
    for color in used.chain(palette) {
        if !swatches.contains(&color) {
            swatches.push(color);
        }
        if swatches.len() == MAX_SWATCHES {
            break;
        }
    }
    swatches
}

impl InspectorState {
    /// A colour button named `name` that opens the picker. Returns the colour picked.
    pub(super) fn colour_button_ui(
        &mut self,
        ui: &mut Ui,
        key: Id,
        name: &str,
        color: Color,
    ) -> Option<Color> {
        let popup = key.with("colour popup");
        let open = Popup::is_id_open(ui.ctx(), popup);
        let button = swatch_ui(ui, color, open, name);
        if button.clicked() {
            ui.ctx().request_repaint(); // the swatches are taken from the map next frame
        }
        let mut picked = None;
        Popup::menu(&button)
            .id(popup)
            .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                ui.set_max_width(236.0);
                picked = self.picker_ui(ui, popup, color);
            });
        if let Some(color) = picked {
            self.recent_colours.retain(|c| *c != color);
            self.recent_colours.insert(0, color);
            self.recent_colours.truncate(MAX_RECENT);
        }
        picked.filter(|new| *new != color)
    }

    fn picker_ui(&mut self, ui: &mut Ui, popup: Id, color: Color) -> Option<Color> {
        let mut picked = None;
        let rows = [
            ("Map colours", self.swatches.clone()),
            ("Recent", self.recent_colours.clone()),
        ];
        for (heading, colours) in rows {
            if colours.is_empty() {
                continue;
            }
            ui.weak(heading);
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing = vec2(4.0, 4.0);
                for swatch in colours {
                    if swatch_ui(ui, swatch, swatch == color, &swatch.to_string()).clicked() {
                        picked = Some(swatch);
                    }
                }
            });
            ui.add_space(4.0);
        }
        // The typed text follows the colour unless it is being typed.
        let hex_id = popup.with("hex");
        let typing = ui.memory(|m| m.has_focus(hex_id));
        match &mut self.hex {
            Some((id, text)) if *id == popup => {
                if !typing && text.parse::<Color>().ok() != Some(color) {
                    *text = color.to_string();
                }
            }
            hex => *hex = Some((popup, color.to_string())),
        }
        let Some((_, text)) = &mut self.hex else {
            return picked;
        };
        ui.horizontal(|ui| {
            let label = ui.label("Hex");
            let field = TextEdit::singleline(text)
                .id(hex_id)
                .desired_width(80.0)
                .hint_text("#rrggbb");
            let response = ui.add(field).labelled_by(label.id);
            let typed = text.trim();
            let typed = if typed.starts_with('#') {
                typed.to_owned()
            } else {
                format!("#{typed}")
            };
            match typed.parse::<Color>() {
                Ok(new) if response.changed() => picked = Some(new),
                Ok(_) => {}
                Err(_) if !response.has_focus() => {
                    ui.colored_label(ui.visuals().error_fg_color, "use #rrggbb");
                }
                Err(_) => {}
            }
        });
        picked
    }
}

/// A square of `color`, as a button with an accessible `name`.
fn swatch_ui(ui: &mut Ui, color: Color, selected: bool, name: &str) -> Response {
    let size = vec2(22.0, 22.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let name = name.to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact_selectable(&response, selected);
        let stroke = if selected {
            Stroke::new(2.0, ui.visuals().selection.stroke.color)
        } else {
            Stroke::new(1.0, visuals.bg_stroke.color.gamma_multiply(0.6))
        };
        let fill: Color32 = color32(color);
        ui.painter()
            .rect(rect, 4.0, fill, stroke, egui::StrokeKind::Inside);
    }
    response.on_hover_text(color.to_string())
}
