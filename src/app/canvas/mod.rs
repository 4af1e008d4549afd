//! The canvas: the map drawn by the one painter, with our own pan/zoom transform,
//! selection, dragging and in-place editing. Geometry comes from [`MapLayout`], never
//! from where a widget happened to land; every change is an [`Edit`] on the document.

mod commands;
pub mod content;
mod derived;
mod editing;
mod menus;
mod view;

use super::{Document, Notice};
use crate::edit::{CardField, Edit, LaneField, StageField};
use crate::model::{CardId, LaneId, LaneKind, Map, StageId};
use crate::render::layout::MapLayout;
use crate::render::paint::{self, HeaderHit, Overlay, PinnedHeaders};
use crate::render::text::Measure;
use derived::Derived;
use editing::Editing;
use egui::emath::TSTransform;
use egui::{CursorIcon, PointerButton, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2};
use view::ViewRequest;

pub const MIN_ZOOM: f32 = 0.1;
pub const MAX_ZOOM: f32 = 4.0;
/// How close to a header's edge the pointer must be to resize.
const EDGE_GRAB: f32 = 5.0;

/// What is selected on the canvas: cards, or one stage, or one lane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub cards: Vec<CardId>,
    pub stage: Option<StageId>,
    pub lane: Option<LaneId>,
}

impl Selection {
    pub fn cards(cards: Vec<CardId>) -> Self {
        Self {
            cards,
            ..Self::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.cards.is_empty() && self.stage.is_none() && self.lane.is_none()
    }
}

/// What is under a point of the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Index into `Map::cards`.
    Card(usize),
    EmotionPoint(usize),
    Stage(usize),
    StageEdge(usize),
    Lane(usize),
    LaneEdge(usize),
    /// An empty place in a cell (stage, lane).
    Cell(usize, usize),
    /// The map's title, above the board.
    Title,
    Nothing,
}

enum Drag {
    Pan,
    Cards { ids: Vec<CardId>, grab: Pos2 },
    Marquee { from: Pos2, additive: bool },
    Emotion { card: CardId },
    Stage { index: usize },
    Lane { index: usize },
    StageWidth { index: usize },
    LaneHeight { index: usize },
}

pub struct CanvasState {
    pub selection: Selection,
    /// Map points to screen points.
    transform: TSTransform,
    view_pending: Option<ViewRequest>,
    measure: Measure,
    derived: Option<Derived>,
    /// The card under the pointer (index into `Map::cards`) and the revision it is of.
    hovered: Option<(u64, usize)>,
    drag: Option<Drag>,
    editing: Option<Editing>,
    /// What the open context menu is about.
    context: Target,
    /// The canvas's screen rectangle, as of the last frame.
    rect: Rect,
    /// Where the pointer was last seen: a release can come without a position.
    last_pointer: Option<Pos2>,
    /// `JOURNEYMAP_LAYOUT_DUMP`: where to write the geometry for real-window tests.
    dump_path: Option<std::path::PathBuf>,
    /// The last geometry written there.
    last_dump: String,
    /// The canvas widget's id, once drawn: it is the one widget whose keys are the map's.
    id: Option<egui::Id>,
    /// Space went down while the keys were the map's: a drag now pans.
    space_pan: bool,
    /// Whether this frame's keys are the map's, as the frame began: keys typed into
    /// another widget (a text field, a picker, a menu, a modal) are not, even when
    /// that widget lets go of the keyboard during the frame (Enter, Esc).
    pub(crate) keys_reach_map: bool,
    /// The cards the search and filter show (positions in `Map::cards`, ascending);
    /// the rest are dimmed. `None` shows every card.
    pub shown: Option<std::sync::Arc<Vec<usize>>>,
    /// A card to bring into view on the next frame (a search's match, a table row).
    pub reveal: Option<CardId>,
    /// Cells with a header row pasted onto the canvas, for the import's mapping step,
    /// with the cell they go to when they name no stage or lane.
    pub pasted_sheet: Option<(crate::table::csv::Sheet, (StageId, LaneId))>,
    /// The cards and emotion curves as meshes, drawn again while they do not change.
    pub content: content::ContentCache,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            selection: Selection::default(),
            transform: TSTransform::IDENTITY,
            view_pending: Some(ViewRequest::Open),
            measure: Measure::new(),
            derived: None,
            hovered: None,
            drag: None,
            editing: None,
            context: Target::Nothing,
            rect: Rect::NOTHING,
            last_pointer: None,
            dump_path: std::env::var_os("JOURNEYMAP_LAYOUT_DUMP").map(Into::into),
            last_dump: String::new(),
            id: None,
            space_pan: false,
            keys_reach_map: true,
            shown: None,
            reveal: None,
            pasted_sheet: None,
            content: content::ContentCache::default(),
        }
    }
}

impl CanvasState {
    /// Whether a title or name is being edited in place.
    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    /// Whether a pointer drag (cards, marquee, pan, header...) is under way.
    pub fn is_dragging(&self) -> bool {
        self.drag.is_some()
    }

    /// The canvas widget's id (`None` before its first frame).
    pub fn id(&self) -> Option<egui::Id> {
        self.id
    }

    pub fn zoom(&self) -> f32 {
        self.transform.scaling
    }

    /// The canvas on the screen, as of the last frame.
    pub fn screen_rect(&self) -> Rect {
        self.rect
    }

    /// The layout of the document's map, recomputed only after a change.
    /// The stage the editor is on: the first selected card's, the selected stage, or the
    /// one in the middle of the view.
    pub fn current_stage(&mut self, doc: &Document) -> Option<usize> {
        let map = doc.map();
        let selected = (self.selection.cards.first())
            .and_then(|id| map.cards.iter().find(|card| card.id == *id))
            .map(|card| &card.stage)
            .or(self.selection.stage.as_ref());
        if let Some(stage) = selected {
            return map.stage_index(stage);
        }
        let center = self.transform.inverse() * self.rect.center();
        let layout = self.layout(doc);
        layout
            .stages
            .iter()
            .position(|s| s.column.contains(center.x))
    }

    pub fn layout(&mut self, doc: &Document) -> &MapLayout {
        &self.derived(doc).layout
    }

    /// Layout, card index and theme of the document, recomputed only after a change.
    fn derived(&mut self, doc: &Document) -> &Derived {
        let stale = self
            .derived
            .as_ref()
            .is_none_or(|d| d.revision != doc.revision());
        if stale {
            self.derived = Some(Derived::new(doc, &mut self.measure));
        }
        self.derived.as_ref().expect("derived above")
    }

    /// Where a card is on the screen (for tests and for placing editors).
    pub fn card_screen_rect(&mut self, doc: &Document, id: &CardId) -> Option<Rect> {
        let transform = self.transform;
        let derived = self.derived(doc);
        let index = *derived.card_index.get(id)?;
        let layout = &derived.layout;
        if let Some(card) = layout.card_of(index) {
            return Some(transform.mul_rect(card.rect));
        }
        let point = layout
            .emotions
            .iter()
            .flat_map(|e| &e.points)
            .find(|p| p.card == index)?;
        Some(transform.mul_rect(Rect::from_center_size(point.center, Vec2::splat(14.0))))
    }

    /// A map point on the screen.
    pub fn to_screen(&self, pos: Pos2) -> Pos2 {
        self.transform * pos
    }

    /// Ends an in-place edit, keeping what was typed (one undo step).
    pub fn finish_editing(&mut self, doc: &mut Document) {
        if let Some(editing) = self.editing.take() {
            editing.finish(doc);
        }
    }

    /// The canvas. Returns a message for the status bar when something needs saying.
    pub fn ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        ui.ctx().options_mut(|o| o.zoom_with_keyboard = false);
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Journey map canvas")
        });
        self.rect = rect;
        self.id = Some(response.id);
        let keys_reach_map = self.keys_reach_map;
        self.track_space(ui, keys_reach_map);
        self.selection_cleanup(doc);
        self.apply_view(doc);
        if let Some(id) = self.reveal.take() {
            self.reveal_card(doc, &id);
        }
        let mut notice = self.pointer_input(ui, &response, doc);
        // The canvas takes the keyboard whenever no other widget has it; while it has it,
        // Tab and the arrows are its own (next card, neighbours), not focus moves.
        let focused = ui.memory(|m| m.focused());
        let idle = focused.is_none() && self.editing.is_none() && keys_reach_map;
        if response.clicked() || response.drag_started() || idle {
            response.request_focus();
        }
        if response.has_focus() {
            let filter = egui::EventFilter {
                tab: true,
                horizontal_arrows: true,
                vertical_arrows: true,
                escape: true,
            };
            ui.memory_mut(|m| m.set_focus_lock_filter(response.id, filter));
        }
        // No keys during a drag: deleting what is being dragged must wait for the drop.
        // No keys under a modal prompt either: its Enter and Esc are its own.
        if self.editing.is_none() && self.drag.is_none() && keys_reach_map {
            notice = notice.or(self.keyboard_input(ui, doc));
        }
        self.paint_ui(ui, rect, doc);
        if let Some(message) = self.editing_ui(ui, doc) {
            notice = Some(message);
        }
        if response.secondary_clicked() {
            let at = response.interact_pointer_pos().unwrap_or(rect.center());
            self.context = self.target_at(doc, at);
        }
        response.context_menu(|ui| {
            if let Some(message) = self.context_menu_ui(ui, doc) {
                notice = Some(message);
            }
        });
        if let Some(path) = self.dump_path.clone() {
            self.dump_geometry(ui.ctx().pixels_per_point(), doc, &path);
        }
        notice
    }

    /// Space held for panning: pressed while the keys were the map's, not typed in a field.
    fn track_space(&mut self, ui: &Ui, keys_reach_map: bool) {
        let (pressed, down) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Space),
                i.key_down(egui::Key::Space),
            )
        });
        if pressed && keys_reach_map {
            self.space_pan = true;
        }
        if !down {
            self.space_pan = false;
        }
    }

    /// For tests of the real window: where every card and cell is, in window pixels,
    /// written to a JSON file whenever it changes.
    fn dump_geometry(&mut self, pixels_per_point: f32, doc: &Document, path: &std::path::Path) {
        let transform = self.transform;
        let map = doc.map();
        let layout = self.layout(doc);
        let rect = |r: Rect| {
            let r = transform.mul_rect(r);
            [r.min.x, r.min.y, r.max.x, r.max.y].map(|v| (v * pixels_per_point).round())
        };
        let cards: serde_json::Map<String, serde_json::Value> = layout
            .cards
            .iter()
            .map(|c| {
                (
                    map.cards[c.card].id.0.clone(),
                    serde_json::json!(rect(c.rect)),
                )
            })
            .collect();
        let cells: Vec<serde_json::Value> = layout
            .cells
            .iter()
            .map(|c| {
                serde_json::json!({
                    "stage": map.stages[c.stage].id.0,
                    "lane": map.lanes[c.lane].id.0,
                    "rect": rect(c.rect),
                })
            })
            .collect();
        let dump = serde_json::json!({ "cards": cards, "cells": cells }).to_string();
        if dump != self.last_dump && std::fs::write(path, &dump).is_ok() {
            self.last_dump = dump;
        }
    }

    /// For tests of the real window: the presentation's step, in the same file as the
    /// geometry (which is written again once the editor is back).
    pub fn dump_presentation(&mut self, step: usize, steps: usize, name: &str, screen: Rect) {
        let Some(path) = &self.dump_path else { return };
        let dump = serde_json::json!({ "present": {
            "step": step,
            "steps": steps,
            "name": name,
            "screen": [screen.width(), screen.height()],
        }})
        .to_string();
        if dump != self.last_dump && std::fs::write(path, &dump).is_ok() {
            self.last_dump = dump;
        }
    }

    /// Drops selected ids that no longer exist (after undo, delete...).
    fn selection_cleanup(&mut self, doc: &Document) {
        self.derived(doc);
        if let Some(derived) = &self.derived {
            let cards = &derived.card_index;
            self.selection.cards.retain(|id| cards.contains_key(id));
        }
        let map = doc.map();
        if self
            .selection
            .stage
            .as_ref()
            .is_some_and(|s| map.stage(s).is_none())
        {
            self.selection.stage = None;
        }
        if self
            .selection
            .lane
            .as_ref()
            .is_some_and(|l| map.lane(l).is_none())
        {
            self.selection.lane = None;
        }
    }

    /// What is under a screen point: the pinned headers first, as they are on top.
    pub fn target_at(&mut self, doc: &Document, screen: Pos2) -> Target {
        let pos = self.transform.inverse() * screen;
        let pinned = self.pinned(doc);
        let title = self.title_screen_rect(doc);
        let layout = self.layout(doc);
        match pinned.hit(layout, screen, EDGE_GRAB) {
            Some(HeaderHit::Stage(index)) => return Target::Stage(index),
            Some(HeaderHit::StageEdge(index)) => return Target::StageEdge(index),
            Some(HeaderHit::Lane(index)) => return Target::Lane(index),
            Some(HeaderHit::LaneEdge(index)) => return Target::LaneEdge(index),
            Some(HeaderHit::Corner) => return Target::Nothing,
            None => {}
        }
        if let Some(point) = layout.emotion_point_at(pos) {
            return Target::EmotionPoint(point);
        }
        if let Some(card) = layout.card_at(pos) {
            return Target::Card(layout.cards[card].card);
        }
        if let Some((stage, lane)) = layout.cell_at(pos) {
            return Target::Cell(stage, lane);
        }
        if title.is_some_and(|t| t.contains(screen)) {
            return Target::Title;
        }
        Target::Nothing
    }

    fn pointer_input(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        doc: &mut Document,
    ) -> Option<Notice> {
        let mut notice = None;
        self.hovered = None;
        if let Some(pos) = ui.input(|i| i.pointer.latest_pos()) {
            self.last_pointer = Some(pos);
        }
        if response.hovered() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
            if zoom != 1.0 {
                let around = response.hover_pos().unwrap_or(self.rect.center());
                self.set_zoom(self.zoom() * zoom, around);
            } else if scroll != Vec2::ZERO {
                self.transform.translation += scroll;
            }
            if let Some(pos) = response.hover_pos() {
                let target = self.target_at(doc, pos);
                if let Target::Card(index) = target {
                    self.hovered = Some((doc.revision(), index));
                }
                let cursor = match target {
                    Target::StageEdge(_) => Some(CursorIcon::ResizeHorizontal),
                    Target::LaneEdge(_) => Some(CursorIcon::ResizeVertical),
                    Target::EmotionPoint(_) => Some(CursorIcon::ResizeVertical),
                    Target::Stage(_) | Target::Lane(_) => Some(CursorIcon::Grab),
                    _ => None,
                };
                if let Some(cursor) = cursor {
                    ui.ctx().set_cursor_icon(cursor);
                }
            }
        }
        if response.dragged_by(PointerButton::Middle)
            || response.dragged_by(PointerButton::Secondary)
        {
            self.transform.translation += response.drag_delta();
        }
        if response.drag_started_by(PointerButton::Primary) {
            let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or_default();
            let space = self.space_pan;
            let additive = ui.input(|i| i.modifiers.shift || i.modifiers.command);
            self.finish_editing(doc);
            self.drag = Some(if space {
                Drag::Pan
            } else {
                self.start_drag(doc, origin, additive)
            });
        }
        if response.dragged_by(PointerButton::Primary)
            && let Some(pointer) = response.interact_pointer_pos()
        {
            notice = self.continue_drag(doc, response.drag_delta(), pointer);
        }
        if response.drag_stopped_by(PointerButton::Primary) {
            let pointer = response.interact_pointer_pos().or(self.last_pointer);
            notice = notice.or(self.end_drag(doc, pointer));
        }
        if let Some(pos) = response.interact_pointer_pos() {
            if response.double_clicked() {
                notice = notice.or(self.double_click(doc, pos));
            } else if response.clicked() {
                let modifiers = ui.input(|i| i.modifiers);
                self.click(doc, pos, modifiers.shift || modifiers.command);
            }
        }
        notice
    }

    fn start_drag(&mut self, doc: &mut Document, origin: Pos2, additive: bool) -> Drag {
        let map_pos = self.transform.inverse() * origin;
        match self.target_at(doc, origin) {
            Target::Card(index) => {
                let id = doc.map().cards[index].id.clone();
                if !self.selection.cards.contains(&id) {
                    self.selection = Selection::cards(vec![id]);
                }
                // Dragged cards keep their order in the file; selected emotion points
                // stay on their curve (they move up and down, not between cells).
                let map = doc.map();
                let ids = map
                    .cards
                    .iter()
                    .filter(|c| self.selection.cards.contains(&c.id))
                    .filter(|c| map.lane(&c.lane).is_some_and(|l| l.kind == LaneKind::Cards))
                    .map(|c| c.id.clone())
                    .collect();
                Drag::Cards { ids, grab: map_pos }
            }
            Target::EmotionPoint(index) => {
                let id = doc.map().cards[index].id.clone();
                self.selection = Selection::cards(vec![id.clone()]);
                doc.begin_gesture("move emotion point");
                Drag::Emotion { card: id }
            }
            Target::Stage(index) => {
                self.selection = Selection {
                    stage: Some(doc.map().stages[index].id.clone()),
                    ..Selection::default()
                };
                Drag::Stage { index }
            }
            Target::Lane(index) => {
                self.selection = Selection {
                    lane: Some(doc.map().lanes[index].id.clone()),
                    ..Selection::default()
                };
                Drag::Lane { index }
            }
            Target::StageEdge(index) => {
                doc.begin_gesture("resize stage");
                Drag::StageWidth { index }
            }
            Target::LaneEdge(index) => {
                doc.begin_gesture("resize lane");
                Drag::LaneHeight { index }
            }
            Target::Cell(..) | Target::Title | Target::Nothing => {
                if !additive {
                    self.selection = Selection::default();
                }
                Drag::Marquee {
                    from: map_pos,
                    additive,
                }
            }
        }
    }

    fn continue_drag(&mut self, doc: &mut Document, delta: Vec2, pointer: Pos2) -> Option<Notice> {
        let map_pos = self.transform.inverse() * pointer;
        match self.drag {
            Some(Drag::Pan) => {
                self.transform.translation += delta;
                None
            }
            Some(Drag::Emotion { ref card }) => {
                let card = card.clone();
                let index = doc.map().card_index(&card)?;
                let layout = self.layout(doc);
                let lane = doc.map().lane_index(&doc.map().cards[index].lane)?;
                let score = layout
                    .emotions
                    .iter()
                    .find(|e| e.lane == lane)?
                    .score_at(map_pos.y);
                if doc.map().cards[index].emotion == Some(score) {
                    return None;
                }
                super::apply(
                    doc,
                    Edit::SetCard {
                        id: card,
                        field: CardField::Emotion(Some(score)),
                    },
                )
            }
            Some(Drag::StageWidth { index }) => {
                let left = self.layout(doc).stages.get(index)?.column.min;
                let width = (map_pos.x - left).clamp(80.0, 2000.0).round();
                let id = doc.map().stages.get(index)?.id.clone();
                if doc.map().stages[index].width == Some(width) {
                    return None;
                }
                super::apply(
                    doc,
                    Edit::SetStage {
                        id,
                        field: StageField::Width(Some(width)),
                    },
                )
            }
            Some(Drag::LaneHeight { index }) => {
                let top = self.layout(doc).lanes.get(index)?.row.min;
                let height = (map_pos.y - top).clamp(24.0, 4000.0).round();
                let id = doc.map().lanes.get(index)?.id.clone();
                if doc.map().lanes[index].height == Some(height) {
                    return None;
                }
                super::apply(
                    doc,
                    Edit::SetLane {
                        id,
                        field: LaneField::Height(Some(height)),
                    },
                )
            }
            _ => None,
        }
    }

    fn end_drag(&mut self, doc: &mut Document, pointer: Option<Pos2>) -> Option<Notice> {
        let drag = self.drag.take()?;
        let map_pos = self.transform.inverse() * pointer?;
        match drag {
            Drag::Pan => None,
            Drag::Emotion { .. } | Drag::StageWidth { .. } | Drag::LaneHeight { .. } => {
                doc.end_gesture();
                None
            }
            Drag::Cards { ids, .. } => {
                let derived = self.derived(doc);
                let dragged = derived.indices_of(&ids);
                let slot = derived.drop_slot(doc.map(), &dragged, map_pos)?;
                let (stage, lane, index) = (slot.stage, slot.lane, slot.index);
                let map = doc.map();
                let unchanged = ids.len() == 1
                    && map.card(&ids[0]).is_some_and(|c| {
                        c.stage == map.stages[stage].id && c.lane == map.lanes[lane].id
                    })
                    && self.index_in_cell(doc, &ids[0]) == Some(index);
                if unchanged {
                    return None;
                }
                let map = doc.map();
                let edit = Edit::MoveCards {
                    ids,
                    stage: map.stages[stage].id.clone(),
                    lane: map.lanes[lane].id.clone(),
                    index,
                };
                super::apply(doc, edit)
            }
            Drag::Marquee { from, additive } => {
                let area = Rect::from_two_pos(from, map_pos);
                let layout = self.layout(doc);
                let hits: Vec<usize> = layout
                    .cards
                    .iter()
                    .filter(|c| c.rect.intersects(area))
                    .map(|c| c.card)
                    .collect();
                let ids: Vec<CardId> = hits
                    .iter()
                    .map(|&i| doc.map().cards[i].id.clone())
                    .collect();
                if !additive {
                    self.selection = Selection::default();
                }
                for id in ids {
                    if !self.selection.cards.contains(&id) {
                        self.selection.cards.push(id);
                    }
                }
                None
            }
            Drag::Stage { index } => {
                let spans = self.layout(doc).stages.iter().map(|s| s.column);
                let (to, _) = reorder_slot(spans, index, map_pos.x);
                if to == index {
                    return None;
                }
                let id = doc.map().stages.get(index)?.id.clone();
                super::apply(doc, Edit::MoveStage { id, index: to })
            }
            Drag::Lane { index } => {
                let spans = self.layout(doc).lanes.iter().map(|l| l.row);
                let (to, _) = reorder_slot(spans, index, map_pos.y);
                if to == index {
                    return None;
                }
                let id = doc.map().lanes.get(index)?.id.clone();
                super::apply(doc, Edit::MoveLane { id, index: to })
            }
        }
    }

    fn index_in_cell(&self, doc: &Document, id: &CardId) -> Option<usize> {
        let card = doc.map().card(id)?;
        doc.map()
            .cards_in(&card.stage, &card.lane)
            .position(|c| &c.id == id)
    }

    fn click(&mut self, doc: &mut Document, pos: Pos2, additive: bool) {
        self.finish_editing(doc);
        let map = doc.map();
        match self.target_at(doc, pos) {
            Target::Card(index) | Target::EmotionPoint(index) => {
                let id = map.cards[index].id.clone();
                if additive {
                    self.selection.stage = None;
                    self.selection.lane = None;
                    match self.selection.cards.iter().position(|c| *c == id) {
                        Some(at) => {
                            self.selection.cards.remove(at);
                        }
                        None => self.selection.cards.push(id),
                    }
                } else {
                    self.selection = Selection::cards(vec![id]);
                }
            }
            Target::Stage(index) | Target::StageEdge(index) => {
                self.selection = Selection {
                    stage: Some(map.stages[index].id.clone()),
                    ..Selection::default()
                };
            }
            Target::Lane(index) | Target::LaneEdge(index) => {
                self.selection = Selection {
                    lane: Some(map.lanes[index].id.clone()),
                    ..Selection::default()
                };
            }
            Target::Cell(..) | Target::Title | Target::Nothing => {
                if !additive {
                    self.selection = Selection::default();
                }
            }
        }
    }

    fn double_click(&mut self, doc: &mut Document, pos: Pos2) -> Option<Notice> {
        let map_pos = self.transform.inverse() * pos;
        match self.target_at(doc, pos) {
            Target::Card(index) | Target::EmotionPoint(index) => {
                let id = doc.map().cards[index].id.clone();
                self.selection = Selection::cards(vec![id.clone()]);
                self.editing = Some(Editing::card_title(doc.map(), id));
                None
            }
            Target::Stage(index) => {
                self.editing = Some(Editing::stage_name(doc.map(), index));
                None
            }
            Target::Lane(index) => {
                self.editing = Some(Editing::lane_name(doc.map(), index));
                None
            }
            Target::Title => {
                self.selection = Selection::default();
                self.editing = Some(Editing::map_title(doc.map()));
                None
            }
            Target::Cell(stage, lane) => {
                let score = match doc.map().lanes[lane].kind {
                    LaneKind::Divider => return None,
                    LaneKind::Cards => None,
                    LaneKind::Emotion => {
                        let layout = self.layout(doc);
                        layout
                            .emotions
                            .iter()
                            .find(|e| e.lane == lane)
                            .map(|e| e.score_at(map_pos.y))
                    }
                };
                self.new_card(doc, stage, lane, score)
            }
            _ => None,
        }
    }

    /// The transform the map is painted with: the canvas's, its translation on whole
    /// physical pixels, so a pan moves every pixel by whole pixels and the content's
    /// meshes can be moved instead of painted again.
    fn paint_transform(&self, pixels_per_point: f32) -> TSTransform {
        let translation =
            (self.transform.translation * pixels_per_point).round() / pixels_per_point;
        TSTransform::new(translation, self.transform.scaling)
    }

    fn paint_ui(&mut self, ui: &Ui, rect: Rect, doc: &Document) {
        let pinned = self.pinned(doc);
        let Some(derived) = &self.derived else { return };
        let theme = &derived.theme;
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0, theme.page);
        let pointer = ui
            .input(|i| i.pointer.latest_pos())
            .map(|p| self.transform.inverse() * p);
        let mut overlay = Overlay {
            selected: derived.indices_of(&self.selection.cards),
            pinned: Some(pinned),
            shown: self.shown.clone(),
            ..Overlay::default()
        };
        match (&self.drag, pointer) {
            (Some(Drag::Cards { ids, grab }), Some(pointer)) => {
                let dragged = derived.indices_of(ids);
                overlay.insertion = derived
                    .drop_slot(doc.map(), &dragged, pointer)
                    .map(|slot| slot.marker);
                overlay.dragging = Some((dragged, pointer - *grab));
            }
            (None, Some(_)) => {
                overlay.hovered = self
                    .hovered
                    .filter(|(revision, _)| *revision == derived.revision)
                    .map(|(_, index)| index);
            }
            _ => {}
        }
        let ppp = ui.ctx().pixels_per_point();
        let transform = self.paint_transform(ppp);
        let (layout, map) = (&derived.layout, doc.map());
        paint::paint_under(&painter, layout, map, theme, transform, Some(&overlay));
        let key = content::Key {
            revision: derived.revision,
            zoom: transform.scaling,
            pixels_per_point: ppp,
            canvas: painter.clip_rect(),
            lifted: overlay
                .dragging
                .as_ref()
                .map_or_else(Vec::new, |(cards, _)| cards.clone()),
            shown: overlay.shown.clone(),
            atlas_size: ui.ctx().fonts(|fonts| fonts.font_image_size()),
        };
        // Shadows, outlines and emotion labels reach a little past the board.
        let bounds = transform.mul_rect(layout.board.expand(48.0));
        self.content
            .paint(&painter, key, transform, bounds, |recording| {
                paint::paint_cards(recording, layout, map, theme, transform, Some(&overlay));
            });
        paint::paint_over(&painter, layout, map, theme, transform, Some(&overlay));
        self.selection_marks_ui(&painter, doc.map(), derived, &overlay.selected, &pinned);
        if let (Some(Drag::Marquee { from, .. }), Some(pointer)) = (&self.drag, pointer) {
            let area = self.transform.mul_rect(Rect::from_two_pos(*from, pointer));
            painter.rect(
                area,
                2,
                theme.accent.gamma_multiply(0.08),
                Stroke::new(1.0, theme.accent),
                egui::StrokeKind::Inside,
            );
        }
        let accent = theme.accent;
        self.reorder_marker_ui(&painter, doc, accent, pointer);
    }

    /// Outlines of a selected stage or lane header, and of selected emotion points
    /// (`selected`: indices into `Map::cards`, sorted).
    fn selection_marks_ui(
        &self,
        painter: &egui::Painter,
        map: &Map,
        derived: &Derived,
        selected: &[usize],
        pinned: &PinnedHeaders,
    ) {
        let transform = self.paint_transform(painter.ctx().pixels_per_point());
        let stroke = Stroke::new(2.0, derived.theme.accent);
        let stage = self
            .selection
            .stage
            .as_ref()
            .and_then(|s| map.stage_index(s));
        let lane = self.selection.lane.as_ref().and_then(|l| map.lane_index(l));
        let layout = &derived.layout;
        if let Some(header) = stage.and_then(|i| pinned.stage_header(layout, i)) {
            let band =
                painter.with_clip_rect(painter.clip_rect().with_min_x(pinned.corner().right()));
            band.rect_stroke(header.shrink(2.0), 4, stroke, egui::StrokeKind::Inside);
        }
        if let Some(header) = lane.and_then(|i| pinned.lane_header(layout, i)) {
            let column =
                painter.with_clip_rect(painter.clip_rect().with_min_y(pinned.corner().bottom()));
            column.rect_stroke(header.shrink(2.0), 4, stroke, egui::StrokeKind::Inside);
        }
        let painter = painter.with_clip_rect(pinned.content().intersect(painter.clip_rect()));
        for point in layout
            .emotions
            .iter()
            .flat_map(|e| &e.points)
            .filter(|p| selected.binary_search(&p.card).is_ok())
        {
            let radius = (crate::render::layout::POINT_RADIUS + 4.0) * transform.scaling;
            painter.circle_stroke(transform * point.center, radius, stroke);
        }
    }

    fn reorder_marker_ui(
        &mut self,
        painter: &egui::Painter,
        doc: &Document,
        accent: egui::Color32,
        pointer: Option<Pos2>,
    ) {
        let Some(pointer) = pointer else { return };
        let transform = self.paint_transform(painter.ctx().pixels_per_point());
        let stroke = Stroke::new(3.0, accent);
        match self.drag {
            Some(Drag::Stage { index }) => {
                let layout = self.layout(doc);
                let spans = layout.stages.iter().map(|s| s.column);
                let (_, x) = reorder_slot(spans, index, pointer.x);
                let (top, bottom) = (layout.board.top(), layout.board.bottom());
                let line = [transform * pos2(x, top), transform * pos2(x, bottom)];
                painter.line_segment(line, stroke);
            }
            Some(Drag::Lane { index }) => {
                let layout = self.layout(doc);
                let spans = layout.lanes.iter().map(|l| l.row);
                let (_, y) = reorder_slot(spans, index, pointer.y);
                let (left, right) = (layout.board.left(), layout.board.right());
                let line = [transform * pos2(left, y), transform * pos2(right, y)];
                painter.line_segment(line, stroke);
            }
            _ => {}
        }
    }

    fn editing_ui(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        self.editing.as_ref()?;
        let pinned = self.pinned(doc);
        let editing = self.editing.as_mut()?;
        let layout = self.derived.as_ref().map(|d| &d.layout)?;
        let (rect, scale) = editing.screen_rect(&self.transform, &pinned, layout, doc.map())?;
        let (done, notice) = editing.ui(ui, doc, rect, scale);
        if done {
            self.finish_editing(doc);
        }
        notice
    }
}

/// Where a stage (or lane) being dragged lands among the others, given the spans of all
/// of them along the drag axis: its new index, and the boundary to mark.
fn reorder_slot(spans: impl Iterator<Item = egui::Rangef>, moving: usize, at: f32) -> (usize, f32) {
    let others: Vec<egui::Rangef> = spans
        .enumerate()
        .filter(|(i, _)| *i != moving)
        .map(|(_, s)| s)
        .collect();
    let to = others.iter().filter(|s| s.center() < at).count();
    let boundary = others
        .get(to)
        .map_or_else(|| others.last().map_or(0.0, |s| s.max), |s| s.min);
    (to, boundary)
}
