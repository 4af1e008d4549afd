//! Context menus of the canvas and the Edit, View and Map menus of the menu bar.

use super::commands::{DUPLICATE, SELECT_ALL, ZOOM_FIT, ZOOM_IN, ZOOM_OUT, ZOOM_RESET};
use super::{CanvasState, Editing, Selection, Target};
use crate::app::{Document, Notice, apply};
use crate::edit::Edit;
use crate::model::{Lane, LaneKind, Stage};
use egui::{Button, Ui};

impl CanvasState {
    pub(super) fn context_menu_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        let mut notice = None;
        match self.context {
            Target::Card(index) | Target::EmotionPoint(index) => {
                let id = doc.map().cards.get(index)?.id.clone();
                if !self.selection.cards.contains(&id) {
                    self.selection = Selection::cards(vec![id]);
                }
                notice = self.card_items_ui(ui, doc);
            }
            Target::Stage(index) | Target::StageEdge(index) => {
                notice = self.stage_items_ui(ui, doc, index)
            }
            Target::Lane(index) | Target::LaneEdge(index) => {
                notice = self.lane_items_ui(ui, doc, index)
            }
            Target::Cell(stage, lane) => {
                let kind = doc.map().lanes.get(lane)?.kind;
                if kind.holds_cards() && ui.button("New card here").clicked() {
                    notice = self.new_card(doc, stage, lane, None);
                    ui.close();
                }
                notice = notice.or(self.map_items_ui(ui, doc));
            }
            Target::Title => {
                if ui.button("Rename map").clicked() {
                    self.editing = Some(Editing::map_title(doc.map()));
                    ui.close();
                }
                notice = self.map_items_ui(ui, doc);
            }
            Target::Nothing => notice = self.map_items_ui(ui, doc),
        }
        notice
    }

    fn card_items_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        let mut notice = None;
        if ui.button("Edit title").clicked() {
            self.edit_selected(doc);
            ui.close();
        }
        if ui
            .add(Button::new("Duplicate").shortcut_text(ui.ctx().format_shortcut(&DUPLICATE)))
            .clicked()
        {
            notice = self.duplicate(doc);
            ui.close();
        }
        if ui.button("Copy").clicked() {
            if let Some(text) = crate::app::clipboard::copy(doc.map(), &self.selection.cards) {
                ui.ctx().copy_text(text);
            }
            ui.close();
        }
        if ui.add(Button::new("Delete").shortcut_text("Del")).clicked() {
            notice = self.delete(doc);
            ui.close();
        }
        notice
    }

    fn stage_items_ui(&mut self, ui: &mut Ui, doc: &mut Document, index: usize) -> Option<Notice> {
        let map = doc.map();
        let stage = map.stages.get(index)?;
        let id = stage.id.clone();
        self.selection = Selection {
            stage: Some(id.clone()),
            ..Selection::default()
        };
        let mut edit = None;
        if ui.button("Rename").clicked() {
            self.editing = Some(Editing::stage_name(map, index));
            ui.close();
        }
        if ui.button("Insert stage before").clicked() {
            edit = Some(new_stage(doc, index));
        }
        if ui.button("Insert stage after").clicked() {
            edit = Some(new_stage(doc, index + 1));
        }
        if ui
            .add_enabled(index > 0, Button::new("Move left"))
            .clicked()
        {
            edit = Some(Edit::MoveStage {
                id: id.clone(),
                index: index - 1,
            });
        }
        if ui
            .add_enabled(index + 1 < map.stages.len(), Button::new("Move right"))
            .clicked()
        {
            edit = Some(Edit::MoveStage {
                id: id.clone(),
                index: index + 1,
            });
        }
        ui.separator();
        if ui.button("Delete stage and its cards").clicked() {
            edit = Some(Edit::RemoveStage { id });
        }
        let edit = edit?;
        ui.close();
        apply(doc, edit)
    }

    fn lane_items_ui(&mut self, ui: &mut Ui, doc: &mut Document, index: usize) -> Option<Notice> {
        let map = doc.map();
        let lane = map.lanes.get(index)?;
        let id = lane.id.clone();
        self.selection = Selection {
            lane: Some(id.clone()),
            ..Selection::default()
        };
        let mut edit = None;
        if ui.button("Rename").clicked() {
            self.editing = Some(Editing::lane_name(map, index));
            ui.close();
        }
        ui.menu_button("Insert lane above", |ui| {
            edit = lane_kind_items_ui(ui, doc, index)
        });
        ui.menu_button("Insert lane below", |ui| {
            edit = edit.take().or(lane_kind_items_ui(ui, doc, index + 1))
        });
        let map = doc.map();
        if ui.add_enabled(index > 0, Button::new("Move up")).clicked() {
            edit = Some(Edit::MoveLane {
                id: id.clone(),
                index: index - 1,
            });
        }
        if ui
            .add_enabled(index + 1 < map.lanes.len(), Button::new("Move down"))
            .clicked()
        {
            edit = Some(Edit::MoveLane {
                id: id.clone(),
                index: index + 1,
            });
        }
        ui.separator();
        if ui.button("Delete lane and its cards").clicked() {
            edit = Some(Edit::RemoveLane { id });
        }
        let edit = edit?;
        ui.close();
        apply(doc, edit)
    }

    fn map_items_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        let mut edit = None;
        if ui.button("Add stage").clicked() {
            edit = Some(new_stage(doc, doc.map().stages.len()));
        }
        ui.menu_button("Add lane", |ui| {
            edit = lane_kind_items_ui(ui, doc, doc.map().lanes.len())
        });
        if ui
            .add(Button::new("Zoom to fit").shortcut_text(ui.ctx().format_shortcut(&ZOOM_FIT)))
            .clicked()
        {
            self.fit();
            ui.close();
        }
        let edit = edit?;
        ui.close();
        apply(doc, edit)
    }

    /// The canvas part of the Edit menu.
    pub fn edit_menu_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        let has_cards = !self.selection.cards.is_empty();
        let mut notice = None;
        if ui.add(Button::new("New card").shortcut_text("N")).clicked() {
            let (stage, lane) = (
                0,
                doc.map()
                    .lanes
                    .iter()
                    .position(|l| l.kind == LaneKind::Cards)
                    .unwrap_or(0),
            );
            notice = self.new_card(doc, stage, lane, None);
            ui.close();
        }
        if ui
            .add_enabled(
                has_cards,
                Button::new("Duplicate").shortcut_text(ui.ctx().format_shortcut(&DUPLICATE)),
            )
            .clicked()
        {
            notice = self.duplicate(doc);
            ui.close();
        }
        if ui
            .add_enabled(
                !self.selection.is_empty(),
                Button::new("Delete").shortcut_text("Del"),
            )
            .clicked()
        {
            notice = self.delete(doc);
            ui.close();
        }
        if ui
            .add(
                Button::new("Select all cards")
                    .shortcut_text(ui.ctx().format_shortcut(&SELECT_ALL)),
            )
            .clicked()
        {
            self.selection =
                Selection::cards(doc.map().cards.iter().map(|c| c.id.clone()).collect());
            ui.close();
        }
        notice
    }

    pub fn view_menu_ui(&mut self, ui: &mut Ui, _doc: &Document) {
        let ctx = ui.ctx().clone();
        let format = |s| ctx.format_shortcut(s);
        if ui
            .add(Button::new("Zoom in").shortcut_text(format(&ZOOM_IN)))
            .clicked()
        {
            self.zoom_by(1.25);
        }
        if ui
            .add(Button::new("Zoom out").shortcut_text(format(&ZOOM_OUT)))
            .clicked()
        {
            self.zoom_by(0.8);
        }
        if ui
            .add(Button::new("Actual size (100 %)").shortcut_text(format(&ZOOM_RESET)))
            .clicked()
        {
            let center = self.rect.center();
            self.set_zoom(1.0, center);
        }
        if ui
            .add(Button::new("Zoom to fit").shortcut_text(format(&ZOOM_FIT)))
            .clicked()
        {
            self.fit();
        }
    }

    pub fn map_menu_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        self.map_items_ui(ui, doc)
    }
}

fn new_stage(doc: &Document, index: usize) -> Edit {
    let map = doc.map();
    let stage = Stage::new(map.fresh_stage_id().0, "New stage");
    Edit::InsertStage {
        index: index.min(map.stages.len()),
        stage,
    }
}

fn lane_kind_items_ui(ui: &mut Ui, doc: &Document, index: usize) -> Option<Edit> {
    let map = doc.map();
    for (kind, name) in [
        (LaneKind::Cards, "Cards lane"),
        (LaneKind::Emotion, "Emotion curve"),
        (LaneKind::Divider, "Divider line"),
    ] {
        if ui.button(name).clicked() {
            let lane_name = match kind {
                LaneKind::Cards => "New lane",
                LaneKind::Emotion => "Emotion",
                LaneKind::Divider => "Line of visibility",
            };
            let lane = Lane::new(map.fresh_lane_id().0, lane_name, kind);
            return Some(Edit::InsertLane {
                index: index.min(map.lanes.len()),
                lane,
            });
        }
    }
    None
}
