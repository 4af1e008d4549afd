//! What the keyboard and the menus do to cards: create, delete, duplicate, move to a
//! neighbouring cell, copy and paste, and moving the selection between cards.

use super::{CanvasState, Editing, Selection, Target};
use crate::app::{Document, Notice, apply, clipboard};
use crate::edit::Edit;
use crate::model::{Card, CardId, LaneId, LaneKind, Map, StageId};
use egui::{Event, Key, KeyboardShortcut, Modifiers, Ui};

pub const DUPLICATE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::D);
pub const SELECT_ALL: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::A);
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
pub const ZOOM_IN_PLUS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
pub const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
pub const ZOOM_FIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::Num1);
/// Shift+1 as most keyboard layouts report it: the '!' key.
const ZOOM_FIT_BANG: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::SHIFT, Key::Exclamationmark);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

impl CanvasState {
    pub(super) fn keyboard_input(&mut self, ui: &mut Ui, doc: &mut Document) -> Option<Notice> {
        let mut notice = None;
        let shortcut = |ui: &mut Ui, s: &KeyboardShortcut| ui.input_mut(|i| i.consume_shortcut(s));
        if shortcut(ui, &ZOOM_IN) || shortcut(ui, &ZOOM_IN_PLUS) {
            self.zoom_by(1.25);
        }
        if shortcut(ui, &ZOOM_OUT) {
            self.zoom_by(0.8);
        }
        if shortcut(ui, &ZOOM_RESET) {
            let center = self.rect.center();
            self.set_zoom(1.0, center);
        }
        if shortcut(ui, &ZOOM_FIT) || shortcut(ui, &ZOOM_FIT_BANG) {
            self.fit();
        }
        if shortcut(ui, &SELECT_ALL) {
            self.selection =
                Selection::cards(doc.map().cards.iter().map(|c| c.id.clone()).collect());
        }
        if shortcut(ui, &DUPLICATE) {
            notice = self.duplicate(doc);
        }
        // Copy and paste arrive as events (the platform maps its own shortcuts).
        let events: Vec<Event> = ui.input(|i| {
            i.events
                .iter()
                .filter(|e| matches!(e, Event::Copy | Event::Cut | Event::Paste(_)))
                .cloned()
                .collect()
        });
        for event in events {
            match event {
                Event::Copy => self.copy(ui, doc),
                Event::Cut => {
                    self.copy(ui, doc);
                    notice = notice.or(self.delete(doc));
                }
                Event::Paste(text) => notice = notice.or(self.paste(doc, &text)),
                _ => {}
            }
        }
        for (key, direction) in [
            (Key::ArrowLeft, Direction::Left),
            (Key::ArrowRight, Direction::Right),
            (Key::ArrowUp, Direction::Up),
            (Key::ArrowDown, Direction::Down),
        ] {
            if ui.input_mut(|i| i.consume_key(Modifiers::ALT, key)) {
                notice = notice.or(self.move_to_neighbour(doc, direction));
            }
            if ui.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                self.select_neighbour(doc, direction);
            }
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab)) {
            self.select_next(doc, 1);
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::SHIFT, Key::Tab)) {
            self.select_next(doc, -1);
        }
        if ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Delete)
                || i.consume_key(Modifiers::NONE, Key::Backspace)
        }) {
            notice = notice.or(self.delete(doc));
        }
        if ui.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::F2)
        }) {
            self.edit_selected(doc);
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::N)) {
            let (stage, lane) = self.focus_cell(doc.map());
            notice = notice.or(self.new_card(doc, stage, lane, None));
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.selection = Selection::default();
        }
        notice
    }

    /// Starts editing the title of the (first) selected card, or a selected header.
    pub fn edit_selected(&mut self, doc: &Document) {
        let map = doc.map();
        if let Some(id) = self.selection.cards.first() {
            self.editing = Some(Editing::card_title(map, id.clone()));
        } else if let Some(index) = self
            .selection
            .stage
            .as_ref()
            .and_then(|s| map.stage_index(s))
        {
            self.editing = Some(Editing::stage_name(map, index));
        } else if let Some(index) = self.selection.lane.as_ref().and_then(|l| map.lane_index(l)) {
            self.editing = Some(Editing::lane_name(map, index));
        }
    }

    /// The cell a new card goes to: that of the selected card, else the first card cell.
    fn focus_cell(&self, map: &Map) -> (usize, usize) {
        let selected = self.selection.cards.first().and_then(|id| map.card(id));
        if let Some(card) = selected
            && let (Some(stage), Some(lane)) =
                (map.stage_index(&card.stage), map.lane_index(&card.lane))
            && map.lanes[lane].kind == LaneKind::Cards
        {
            return (stage, lane);
        }
        let stage = self
            .selection
            .stage
            .as_ref()
            .and_then(|s| map.stage_index(s))
            .unwrap_or(0);
        let lane = map
            .lanes
            .iter()
            .position(|l| l.kind == LaneKind::Cards)
            .unwrap_or(0);
        (stage, lane)
    }

    /// Adds a card (or an emotion point at `score`) at the end of a cell and starts
    /// editing its title.
    pub fn new_card(
        &mut self,
        doc: &mut Document,
        stage: usize,
        lane: usize,
        score: Option<i8>,
    ) -> Option<Notice> {
        let map = doc.map();
        let (stage, lane) = (map.stages.get(stage)?, map.lanes.get(lane)?);
        if !lane.kind.holds_cards() {
            return None;
        }
        let mut card = Card::new(map.fresh_card_id().0, stage.id.clone(), lane.id.clone(), "");
        if lane.kind == LaneKind::Emotion {
            card.emotion = Some(score.unwrap_or(0));
            card.persona = map.personas.first().map(|p| p.id.clone());
        }
        let at = map
            .cards
            .iter()
            .rposition(|c| c.stage == card.stage && c.lane == card.lane)
            .map_or(map.cards.len(), |last| last + 1);
        let id = card.id.clone();
        let notice = apply(
            doc,
            Edit::InsertCards {
                cards: vec![(at, card)],
            },
        );
        if notice.is_none() {
            self.selection = Selection::cards(vec![id.clone()]);
            self.editing = Some(Editing::card_title(doc.map(), id));
        }
        notice
    }

    pub fn delete(&mut self, doc: &mut Document) -> Option<Notice> {
        let map = doc.map();
        if !self.selection.cards.is_empty() {
            let ids = std::mem::take(&mut self.selection.cards);
            return apply(doc, Edit::RemoveCards { ids });
        }
        if let Some(id) = self
            .selection
            .stage
            .take()
            .filter(|s| map.stage(s).is_some())
        {
            return apply(doc, Edit::RemoveStage { id });
        }
        if let Some(id) = self.selection.lane.take().filter(|l| map.lane(l).is_some()) {
            return apply(doc, Edit::RemoveLane { id });
        }
        None
    }

    /// Copies of the selected cards, each right after its original.
    pub fn duplicate(&mut self, doc: &mut Document) -> Option<Notice> {
        let map = doc.map();
        let mut taken: Vec<String> = map.cards.iter().map(|c| c.id.0.clone()).collect();
        let mut inserts = Vec::new();
        let mut new_ids = Vec::new();
        for (index, card) in map.cards.iter().enumerate() {
            if !self.selection.cards.contains(&card.id) {
                continue;
            }
            let id = crate::model::fresh_id(CardId::PREFIX, taken.iter().map(String::as_str));
            taken.push(id.clone());
            let mut copy = card.clone();
            copy.id = CardId(id);
            new_ids.push(copy.id.clone());
            inserts.push((index + 1 + inserts.len(), copy));
        }
        if inserts.is_empty() {
            return None;
        }
        let notice = apply(doc, Edit::InsertCards { cards: inserts });
        self.selection = Selection::cards(new_ids);
        notice
    }

    fn copy(&mut self, ui: &Ui, doc: &Document) {
        if let Some(text) = clipboard::copy(doc.map(), &self.selection.cards) {
            ui.ctx().copy_text(text);
        }
    }

    pub fn paste(&mut self, doc: &mut Document, text: &str) -> Option<Notice> {
        if !text.trim_start().starts_with('{')
            && let Some(sheet) = crate::table::csv::pasted_cells(text, &Default::default())
        {
            return self.paste_cells(doc, sheet);
        }
        let map = doc.map();
        let cell = {
            let (stage, lane) = self.focus_cell(map);
            let has_selection = !self.selection.cards.is_empty() || self.selection.stage.is_some();
            (has_selection
                && map
                    .lanes
                    .get(lane)
                    .is_some_and(|l| l.kind == LaneKind::Cards))
            .then(|| (map.stages[stage].id.clone(), map.lanes[lane].id.clone()))
        };
        match clipboard::paste(map, text, cell) {
            Ok((edit, ids)) => {
                let notice = apply(doc, edit);
                self.selection = Selection::cards(ids);
                notice
            }
            Err(message) => Some(Notice {
                text: message,
                is_error: true,
            }),
        }
    }

    /// Cells copied from a spreadsheet: a card per row in the cell under the pointer,
    /// or, when the cells bring a header row, the import's column-mapping step.
    fn paste_cells(
        &mut self,
        doc: &mut Document,
        sheet: Result<(crate::table::csv::Sheet, bool), crate::table::csv::CsvError>,
    ) -> Option<Notice> {
        let error = |text: String| {
            Some(Notice {
                text,
                is_error: true,
            })
        };
        let (sheet, has_header) = match sheet {
            Ok(sheet) => sheet,
            Err(err) => return error(format!("Could not paste the cells: {err}")),
        };
        let Some(cell) = self.cell_under_pointer(doc) else {
            return error("Could not paste the cells: this map has no card lane".to_owned());
        };
        if has_header {
            self.pasted_sheet = Some((sheet, cell));
            return None;
        }
        let mapping = crate::table::csv::Mapping::guess(&sheet.headers);
        let limits = Default::default();
        let before = doc.map().cards.len();
        match crate::table::csv::import_into(doc.map(), &sheet, &mapping, Some(cell), &limits) {
            Ok((edit, imported)) => {
                let notice = apply(doc, edit);
                let ids = doc.map().cards[before..]
                    .iter()
                    .map(|c| c.id.clone())
                    .collect();
                self.selection = Selection::cards(ids);
                notice.or(Some(Notice {
                    text: format!(
                        "Pasted {}",
                        crate::render::layout::plural(imported.cards, "card")
                    ),
                    is_error: false,
                }))
            }
            Err(err) => error(format!("Could not paste the cells: {err}")),
        }
    }

    /// The card cell under the pointer (or of the card under it), else the cell of the
    /// selection or the map's first card cell.
    fn cell_under_pointer(&mut self, doc: &Document) -> Option<(StageId, LaneId)> {
        let map = doc.map();
        let at = match self.last_pointer.map(|pos| self.target_at(doc, pos)) {
            Some(Target::Cell(stage, lane)) => Some((stage, lane)),
            Some(Target::Card(index)) => {
                let card = &map.cards[index];
                map.stage_index(&card.stage).zip(map.lane_index(&card.lane))
            }
            _ => None,
        };
        let (stage, lane) = at
            .filter(|&(_, lane)| map.lanes[lane].kind.holds_cards())
            .unwrap_or_else(|| self.focus_cell(map));
        let lane = map.lanes.get(lane).filter(|l| l.kind.holds_cards())?;
        Some((map.stages.get(stage)?.id.clone(), lane.id.clone()))
    }

    /// Alt+arrows: the selected cards go to the neighbouring card cell.
    pub fn move_to_neighbour(
        &mut self,
        doc: &mut Document,
        direction: Direction,
    ) -> Option<Notice> {
        let map = doc.map();
        let first = map.card(self.selection.cards.first()?)?;
        let (mut stage, mut lane) = (map.stage_index(&first.stage)?, map.lane_index(&first.lane)?);
        let card_lanes: Vec<usize> = (0..map.lanes.len())
            .filter(|&i| map.lanes[i].kind == LaneKind::Cards)
            .collect();
        match direction {
            Direction::Left => stage = stage.checked_sub(1)?,
            Direction::Right => stage = (stage + 1 < map.stages.len()).then_some(stage + 1)?,
            Direction::Up => lane = *card_lanes.iter().rev().find(|&&l| l < lane)?,
            Direction::Down => lane = *card_lanes.iter().find(|&&l| l > lane)?,
        }
        if map.lanes[lane].kind != LaneKind::Cards {
            return None;
        }
        let ids: Vec<CardId> = map
            .cards
            .iter()
            .filter(|c| self.selection.cards.contains(&c.id))
            .map(|c| c.id.clone())
            .collect();
        let index = map
            .cards_in(&map.stages[stage].id, &map.lanes[lane].id)
            .count();
        let edit = Edit::MoveCards {
            ids,
            stage: map.stages[stage].id.clone(),
            lane: map.lanes[lane].id.clone(),
            index,
        };
        apply(doc, edit)
    }

    /// Arrows: select the card above, below, or in the next stage.
    pub fn select_neighbour(&mut self, doc: &Document, direction: Direction) {
        let Some(current) = self.selection.cards.last().cloned() else {
            self.select_next(doc, 1);
            return;
        };
        let map = doc.map();
        let Some(index) = map.card_index(&current) else {
            return;
        };
        let layout = self.layout(doc);
        let Some(card) = layout.card_of(index) else {
            return;
        };
        let cell = &layout.cells[card.cell];
        let position = cell
            .cards
            .iter()
            .position(|&i| layout.cards[i].card == index)
            .unwrap_or(0);
        let target = match direction {
            Direction::Up => position.checked_sub(1).map(|p| cell.cards[p]).or_else(|| {
                neighbour_cell_card(layout, cell.stage, cell.lane, -1, |cards| {
                    cards.last().copied()
                })
            }),
            Direction::Down => cell.cards.get(position + 1).copied().or_else(|| {
                neighbour_cell_card(layout, cell.stage, cell.lane, 1, |cards| {
                    cards.first().copied()
                })
            }),
            Direction::Left | Direction::Right => {
                let step: isize = if direction == Direction::Left { -1 } else { 1 };
                let mut stage = cell.stage as isize + step;
                let mut found = None;
                while (0..layout.stages.len() as isize).contains(&stage) && found.is_none() {
                    let cards = &layout
                        .cell(stage as usize, cell.lane)
                        .map(|c| c.cards.clone())
                        .unwrap_or_default();
                    found = cards.get(position).or(cards.last()).copied();
                    stage += step;
                }
                found
            }
        };
        if let Some(target) = target {
            let id = map.cards[layout.cards[target].card].id.clone();
            self.selection = Selection::cards(vec![id]);
        }
    }

    /// Tab: the next card in reading order (stage by stage, lane by lane).
    pub fn select_next(&mut self, doc: &Document, step: isize) {
        let map = doc.map();
        let current = self
            .selection
            .cards
            .last()
            .and_then(|id| map.card_index(id));
        let layout = self.layout(doc);
        let mut order: Vec<usize> = (0..layout.cards.len()).collect();
        order.sort_by_key(|&i| {
            let cell = &layout.cells[layout.cards[i].cell];
            (cell.stage, cell.lane, layout.cards[i].rect.top() as i64)
        });
        if order.is_empty() {
            return;
        }
        let current =
            current.and_then(|index| order.iter().position(|&i| layout.cards[i].card == index));
        let next = match current {
            Some(at) => (at as isize + step).rem_euclid(order.len() as isize) as usize,
            None if step < 0 => order.len() - 1,
            None => 0,
        };
        let id = map.cards[layout.cards[order[next]].card].id.clone();
        self.selection = Selection::cards(vec![id]);
    }
}

/// The first card cell above or below (`step` -1 or 1) with cards, and a card of it.
fn neighbour_cell_card(
    layout: &crate::render::layout::MapLayout,
    stage: usize,
    lane: usize,
    step: isize,
    pick: impl Fn(&[usize]) -> Option<usize>,
) -> Option<usize> {
    let mut lane = lane as isize + step;
    while (0..layout.lanes.len() as isize).contains(&lane) {
        if let Some(card) = layout
            .cell(stage, lane as usize)
            .and_then(|c| pick(&c.cards))
        {
            return Some(card);
        }
        lane += step;
    }
    None
}
