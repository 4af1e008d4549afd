//! In-place text editing of a card title, a stage name or a lane name, right on the
//! canvas. Every keystroke is applied (the map re-lays out live); the whole session is
//! one undo step.

use crate::app::{Document, Notice, apply};
use crate::edit::{CardField, Edit, LaneField, StageField};
use crate::model::{CardId, LaneId, Map, StageId};
use crate::render::layout::MapLayout;
use crate::render::theme::{self, Theme};
use egui::emath::TSTransform;
use egui::{FontId, Key, Modifiers, Rect, TextEdit, Ui, vec2};

enum Field {
    CardTitle(CardId),
    StageName(StageId),
    LaneName(LaneId),
}

pub struct Editing {
    field: Field,
    text: String,
    gesture_open: bool,
    focused: bool,
}

impl Editing {
    fn new(field: Field, text: String) -> Self {
        Self {
            field,
            text,
            gesture_open: false,
            focused: false,
        }
    }

    pub fn card_title(map: &Map, id: CardId) -> Self {
        let text = map.card(&id).map(|c| c.title.clone()).unwrap_or_default();
        Self::new(Field::CardTitle(id), text)
    }

    pub fn stage_name(map: &Map, index: usize) -> Self {
        let stage = &map.stages[index];
        Self::new(Field::StageName(stage.id.clone()), stage.name.clone())
    }

    pub fn lane_name(map: &Map, index: usize) -> Self {
        let lane = &map.lanes[index];
        Self::new(Field::LaneName(lane.id.clone()), lane.name.clone())
    }

    /// Where the editor goes on the screen: over the text it edits.
    pub fn screen_rect(
        &self,
        transform: &TSTransform,
        layout: &MapLayout,
        map: &Map,
    ) -> Option<Rect> {
        let rect = match &self.field {
            Field::CardTitle(id) => {
                let index = map.card_index(id)?;
                match layout.card_of(index) {
                    Some(card) => {
                        let width = card.rect.width() - 2.0 * theme::CARD_PADDING;
                        let height = card.title.height().max(theme::card_title().line_height);
                        Rect::from_min_size(card.title_pos, vec2(width, height))
                    }
                    None => {
                        let point = layout
                            .emotions
                            .iter()
                            .flat_map(|e| &e.points)
                            .find(|p| p.card == index)?;
                        let width = point.label.width.max(120.0);
                        let height = point.label.height().max(theme::label_strong().line_height);
                        Rect::from_min_size(point.label_pos, vec2(width, height))
                    }
                }
            }
            Field::StageName(id) => {
                let stage = &layout.stages[map.stage_index(id)?];
                let left = stage.header.left() + 36.0;
                Rect::from_min_size(
                    egui::pos2(left, stage.header.top() + 14.0),
                    vec2(
                        stage.header.right() - left - 12.0,
                        stage.name.height().max(20.0),
                    ),
                )
            }
            Field::LaneName(id) => {
                let lane = &layout.lanes[map.lane_index(id)?];
                let left = lane.header.left() + theme::CELL_PADDING + 11.0;
                Rect::from_min_size(
                    egui::pos2(left, lane.row.min + theme::CELL_PADDING),
                    vec2(
                        lane.header.right() - left - 8.0,
                        lane.name.height().max(18.0),
                    ),
                )
            }
        };
        Some(transform.mul_rect(rect))
    }

    fn font(&self, zoom: f32) -> FontId {
        let style = match self.field {
            Field::CardTitle(_) => theme::card_title(),
            Field::StageName(_) => theme::stage_name(),
            Field::LaneName(_) => theme::lane_name(),
        };
        FontId::new(style.font.size * zoom, style.font.family)
    }

    /// Draws the editor; returns whether editing is over, and any refusal.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &mut Document,
        rect: Rect,
        zoom: f32,
    ) -> (bool, Option<Notice>) {
        if !crate::render::text::is_drawn_whole(&self.text) {
            // An edit field would lay out every character of it, and freeze the window.
            let text = "This text is too long to edit; the map keeps it whole.".to_owned();
            return (
                true,
                Some(Notice {
                    text,
                    is_error: true,
                }),
            );
        }
        // Enter ends the edit (Shift+Enter makes a new line in a card title).
        let enter = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        let map_theme = Theme::for_map(&doc.map().theme, None);
        let (fill, ink) = match self.field {
            Field::CardTitle(_) | Field::LaneName(_) => (map_theme.card, map_theme.text),
            Field::StageName(_) => (egui::Color32::WHITE, map_theme.text),
        };
        ui.painter().rect_filled(rect.expand(3.0), 3, fill);
        ui.painter().rect_stroke(
            rect.expand(3.0),
            3,
            (1.5, map_theme.accent),
            egui::StrokeKind::Outside,
        );
        let id = ui.scope_id().with("in_place_editor");
        let font = self.font(zoom);
        let editor = TextEdit::multiline(&mut self.text)
            .id(id)
            .font(font)
            .text_color(ink)
            .frame(egui::Frame::NONE)
            .margin(egui::Margin::ZERO)
            .desired_width(rect.width())
            .desired_rows(1);
        let response = ui.put(rect, editor);
        let name = match self.field {
            Field::CardTitle(_) => "Card title",
            Field::StageName(_) => "Stage name",
            Field::LaneName(_) => "Lane name",
        };
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, name));
        if !self.focused {
            response.request_focus();
            self.focused = true;
        }
        let mut notice = None;
        if response.changed() {
            notice = self.apply_text(doc);
        }
        let done = enter || (self.focused && response.lost_focus());
        (done, notice)
    }

    fn apply_text(&mut self, doc: &mut Document) -> Option<Notice> {
        let text = self.text.clone();
        let (label, edit) = match &self.field {
            Field::CardTitle(id) => (
                "edit card title",
                Edit::SetCard {
                    id: id.clone(),
                    field: CardField::Title(text),
                },
            ),
            Field::StageName(id) => (
                "rename stage",
                Edit::SetStage {
                    id: id.clone(),
                    field: StageField::Name(text),
                },
            ),
            Field::LaneName(id) => (
                "rename lane",
                Edit::SetLane {
                    id: id.clone(),
                    field: LaneField::Name(text),
                },
            ),
        };
        if !self.gesture_open {
            doc.begin_gesture(label);
            self.gesture_open = true;
        }
        apply(doc, edit)
    }

    /// Closes the undo step of this edit session.
    pub fn finish(self, doc: &mut Document) {
        if self.gesture_open {
            doc.end_gesture();
        }
    }
}
