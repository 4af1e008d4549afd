//! View ▸ Table (Ctrl+T): every card as a row of an `egui_extras` table. Columns
//! resize and sort; cells are edited in place through the same `Edit` path as the
//! inspector (undo works, and a multi-row selection is edited at once); rows and the
//! canvas share one selection.

use super::canvas::Selection;
use super::document::Document;
use super::{Notice, apply};
use crate::edit::{CardField, Edit};
use crate::model::{CardId, Map};
use crate::table::{self, Column, Sort};
use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use std::sync::Arc;

pub const TOGGLE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::T);

const ROW_HEIGHT: f32 = 22.0;

#[derive(Default)]
pub struct TableState {
    pub sort: Option<Sort>,
    /// The column the keyboard is on (arrows left and right, Enter edits it).
    pub column: usize,
    editing: Option<CellEdit>,
    /// The row a Shift+click extends the selection from.
    anchor: Option<CardId>,
    scroll_to: Option<usize>,
    /// The rows, for the map's revision, the shown cards and the sort they were made for.
    cache: Option<RowsCache>,
}

/// Rows made for a revision of the map, the cards the filter showed, and a sort.
struct RowsCache {
    revision: u64,
    shown: Option<Arc<Vec<usize>>>,
    sort: Option<Sort>,
    rows: Arc<Vec<usize>>,
}

struct CellEdit {
    card: CardId,
    column: Column,
    text: String,
    focus: bool,
}

/// What the table asks of the app.
#[derive(Default)]
pub struct Outcome {
    pub notice: Option<Notice>,
    /// A row was double-clicked: show its card on the canvas.
    pub jump_to: Option<CardId>,
}

impl TableState {
    /// Whether a cell is being edited (the keys are its own).
    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    /// The widget that holds the keyboard for the table (arrows, Enter, Esc), as the
    /// canvas does for the map.
    pub fn focus_id() -> egui::Id {
        egui::Id::unique("card table keys")
    }

    /// The rows shown, sorted: positions in `Map::cards`.
    pub fn rows(&mut self, doc: &Document, shown: Option<Arc<Vec<usize>>>) -> Arc<Vec<usize>> {
        if let Some(RowsCache {
            revision,
            shown: for_shown,
            sort,
            rows,
        }) = &self.cache
            && *revision == doc.revision()
            && *sort == self.sort
            && match (for_shown, &shown) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
        {
            return rows.clone();
        }
        let map = doc.map();
        let mut rows: Vec<usize> = match &shown {
            Some(shown) => shown.to_vec(),
            None => (0..map.cards.len()).collect(),
        };
        if let Some(sort) = self.sort {
            table::sort_rows(map, &mut rows, sort);
        }
        let rows = Arc::new(rows);
        self.cache = Some(RowsCache {
            revision: doc.revision(),
            shown,
            sort: self.sort,
            rows: rows.clone(),
        });
        rows
    }

    /// Scrolls the table to this row (a position in [`TableState::rows`]).
    pub fn scroll_to_row(&mut self, row: usize) {
        self.scroll_to = Some(row);
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &mut Document,
        selection: &mut Selection,
        shown: Option<Arc<Vec<usize>>>,
        keys_reach_table: bool,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let rows = self.rows(doc, shown);
        let focus = Self::focus_id();
        ui.memory_mut(|m| {
            m.interested_in_focus(focus, ui.layer_id());
            if m.focused().is_none() && self.editing.is_none() {
                m.request_focus(focus);
            }
            if m.has_focus(focus) {
                let filter = egui::EventFilter {
                    tab: false,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: true,
                };
                m.set_focus_lock_filter(focus, filter);
            }
        });
        if keys_reach_table && self.editing.is_none() {
            self.keyboard_ui(ui, doc, selection, &rows);
        }
        let selected: std::collections::HashSet<&CardId> = selection.cards.iter().collect();
        let mut clicked: Option<(usize, usize, Modifiers)> = None;
        let mut header_clicked = None;
        let map = doc.map();
        let mut commit = None;
        egui::ScrollArea::horizontal()
            .id_salt("card table across")
            .show(ui, |ui| {
                let mut builder = egui_extras::TableBuilder::new(ui)
                    .id_salt("card table")
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
                for column in Column::ALL {
                    builder = builder.column(
                        egui_extras::Column::initial(initial_width(column))
                            .at_least(40.0)
                            .clip(true)
                            .resizable(true),
                    );
                }
                if let Some(row) = self.scroll_to.take() {
                    builder = builder.scroll_to_row(row, Some(egui::Align::Center));
                }
                let table = builder.header(ROW_HEIGHT + 4.0, |mut header| {
                    for (at, column) in Column::ALL.into_iter().enumerate() {
                        header.col(|ui| {
                            let arrow = match self.sort {
                                Some(sort) if sort.column == column => {
                                    if sort.ascending {
                                        " ↑"
                                    } else {
                                        " ↓"
                                    }
                                }
                                _ => "",
                            };
                            let text =
                                egui::RichText::new(format!("{}{arrow}", column.label())).strong();
                            let button = egui::Button::new(text).frame(false);
                            if ui
                                .add(button)
                                .on_hover_text("Sort by this column")
                                .clicked()
                            {
                                header_clicked = Some(at);
                            }
                        });
                    }
                });
                table.body(|body| {
                    body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                        let index = rows[row.index()];
                        let card = &map.cards[index];
                        row.set_selected(selected.contains(&card.id));
                        for (at, column) in Column::ALL.into_iter().enumerate() {
                            let editing = (self.editing.as_mut())
                                .filter(|edit| edit.card == card.id && edit.column == column);
                            let (_, response) = row.col(|ui| match editing {
                                Some(edit) => {
                                    let field = ui.add(
                                        egui::TextEdit::singleline(&mut edit.text)
                                            .desired_width(f32::INFINITY),
                                    );
                                    let name = format!("{} of {}", column.label(), card.title);
                                    field.widget_info(|| {
                                        egui::WidgetInfo::labeled(
                                            egui::Role::TextInput,
                                            true,
                                            &name,
                                        )
                                    });
                                    if std::mem::take(&mut edit.focus) {
                                        field.request_focus();
                                        field.scroll_to_me(None);
                                    }
                                    if field.lost_focus() {
                                        let escaped = ui.input(|i| i.key_pressed(Key::Escape));
                                        commit = Some(!escaped);
                                    }
                                }
                                None => {
                                    let text = column.text(map, card);
                                    ui.add(
                                        egui::Label::new(text.replace('\n', " ¶ "))
                                            .truncate()
                                            .selectable(false),
                                    );
                                }
                            });
                            if response.double_clicked() {
                                outcome.jump_to = Some(card.id.clone());
                            } else if response.clicked() {
                                clicked = Some((row.index(), at, ui_modifiers(&response)));
                            }
                        }
                    });
                });
            });
        if let Some(keep) = commit {
            let edit = self.editing.take();
            if let (true, Some(edit)) = (keep, edit) {
                outcome.notice = self.commit(doc, selection, edit);
            }
        }
        if let Some(at) = header_clicked {
            self.sort = Some(Sort::clicked(self.sort, Column::ALL[at]));
        }
        if let Some((row, column, modifiers)) = clicked {
            ui.memory_mut(|m| m.request_focus(focus));
            self.column = column;
            self.click_row(doc.map(), selection, &rows, row, modifiers);
        }
        outcome
    }

    fn click_row(
        &mut self,
        map: &Map,
        selection: &mut Selection,
        rows: &[usize],
        row: usize,
        modifiers: Modifiers,
    ) {
        let id = map.cards[rows[row]].id.clone();
        if modifiers.shift
            && let Some(from) = (self.anchor.as_ref())
                .and_then(|anchor| map.card_index(anchor))
                .and_then(|index| rows.iter().position(|&r| r == index))
        {
            let (a, b) = (from.min(row), from.max(row));
            *selection = Selection::cards(
                rows[a..=b]
                    .iter()
                    .map(|&r| map.cards[r].id.clone())
                    .collect(),
            );
            return;
        }
        if modifiers.command {
            let mut cards = selection.cards.clone();
            match cards.iter().position(|c| *c == id) {
                Some(at) => {
                    cards.remove(at);
                }
                None => cards.push(id.clone()),
            }
            *selection = Selection::cards(cards);
        } else {
            *selection = Selection::cards(vec![id.clone()]);
        }
        self.anchor = Some(id);
    }

    /// Up and Down move the selection, Left and Right the column, Enter or F2 edits the
    /// cell, Esc clears the selection.
    fn keyboard_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        selection: &mut Selection,
        rows: &[usize],
    ) {
        let map = doc.map();
        let current = (selection.cards.last())
            .and_then(|id| map.card_index(id))
            .and_then(|index| rows.iter().position(|&r| r == index));
        let (up, down, left, right, enter, escape) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowLeft),
                i.consume_key(Modifiers::NONE, Key::ArrowRight),
                i.consume_key(Modifiers::NONE, Key::Enter)
                    || i.consume_key(Modifiers::NONE, Key::F2),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        if rows.is_empty() {
            return;
        }
        let step = |by: isize| {
            let next = match current {
                Some(at) => (at as isize + by).clamp(0, rows.len() as isize - 1) as usize,
                None => 0,
            };
            Some(next)
        };
        let moved = if up {
            step(-1)
        } else if down {
            step(1)
        } else {
            None
        };
        if let Some(row) = moved {
            let id = map.cards[rows[row]].id.clone();
            *selection = Selection::cards(vec![id.clone()]);
            self.anchor = Some(id);
            self.scroll_to = Some(row);
        }
        if left {
            self.column = self.column.saturating_sub(1);
        }
        if right {
            self.column = (self.column + 1).min(Column::ALL.len() - 1);
        }
        if escape {
            *selection = Selection::default();
        }
        if enter && let Some(row) = current {
            self.edit_cell(map, rows[row], Column::ALL[self.column]);
        }
    }

    /// Starts editing a cell of the card at `index` in `Map::cards`.
    pub fn edit_cell(&mut self, map: &Map, index: usize, column: Column) {
        let card = &map.cards[index];
        self.editing = Some(CellEdit {
            card: card.id.clone(),
            column,
            text: column.text(map, card),
            focus: true,
        });
    }

    /// The edited value, set on the edited card and, when it is one of the selected,
    /// on every selected card, as one undo step.
    fn commit(
        &mut self,
        doc: &mut Document,
        selection: &Selection,
        edit: CellEdit,
    ) -> Option<Notice> {
        let map = doc.map();
        let targets: Vec<CardId> = match selection.cards.contains(&edit.card) {
            true => selection.cards.clone(),
            false => vec![edit.card.clone()],
        };
        let edits = match cell_edits(map, &targets, edit.column, &edit.text) {
            Ok(edits) => edits,
            Err(problem) => {
                return Some(Notice {
                    text: format!("{}: {problem}", edit.column.label()),
                    is_error: true,
                });
            }
        };
        if edits.is_empty() {
            return None;
        }
        doc.begin_gesture(format!(
            "{} of {}",
            edit.column.label().to_lowercase(),
            crate::render::layout::plural(targets.len(), "card")
        ));
        let mut notice = None;
        for edit in edits {
            notice = notice.or(apply(doc, edit));
        }
        doc.end_gesture();
        notice
    }
}

/// The edits that give each card `text` in `column`; cards that have it already are
/// left alone.
fn cell_edits(map: &Map, ids: &[CardId], column: Column, text: &str) -> Result<Vec<Edit>, String> {
    let cards = ids.iter().filter_map(|id| map.card(id));
    let mut edits = Vec::new();
    match column {
        Column::Stage | Column::Lane => {
            let name = text.trim().to_lowercase();
            let mut moved_in = 0;
            for card in cards {
                let (stage, lane) = if column == Column::Stage {
                    let stage = (map.stages.iter()).find(|s| s.name.trim().to_lowercase() == name);
                    let stage = stage
                        .ok_or_else(|| format!("there is no stage named \"{}\"", text.trim()))?;
                    (stage.id.clone(), card.lane.clone())
                } else {
                    let lane = (map.lanes.iter()).find(|l| l.name.trim().to_lowercase() == name);
                    let lane =
                        lane.ok_or_else(|| format!("there is no lane named \"{}\"", text.trim()))?;
                    if !lane.kind.holds_cards() {
                        return Err(format!(
                            "the lane \"{}\" is a divider line and holds no cards",
                            lane.name
                        ));
                    }
                    (card.stage.clone(), lane.id.clone())
                };
                if (&stage, &lane) == (&card.stage, &card.lane) {
                    continue;
                }
                let index = map.cards_in(&stage, &lane).count() + moved_in;
                moved_in += 1;
                edits.push(Edit::MoveCards {
                    ids: vec![card.id.clone()],
                    stage,
                    lane,
                    index,
                });
            }
        }
        Column::Persona => {
            let name = text.trim();
            let persona = match name {
                "" => None,
                name => Some(
                    (map.personas.iter())
                        .find(|p| p.name.trim().eq_ignore_ascii_case(name))
                        .map(|p| p.id.clone())
                        .ok_or_else(|| format!("there is no persona named \"{name}\""))?,
                ),
            };
            for card in cards.filter(|card| card.persona != persona) {
                edits.push(Edit::SetCard {
                    id: card.id.clone(),
                    field: CardField::Persona(persona.clone()),
                });
            }
        }
        Column::Metric | Column::MetricValue => {
            for card in cards {
                let old = card.metric.clone().unwrap_or_default();
                let (label, value) = match column {
                    Column::Metric => (text, old.value.as_str()),
                    _ => (old.label.as_str(), text),
                };
                let metric = table::metric(label, value);
                if metric != card.metric {
                    edits.push(Edit::SetCard {
                        id: card.id.clone(),
                        field: CardField::Metric(metric),
                    });
                }
            }
        }
        _ => {
            let Some(field) = column.parse(text)? else {
                return Ok(edits);
            };
            for card in cards {
                let mut changed = card.clone();
                field
                    .clone()
                    .set_on(&mut changed)
                    .map_err(|err| err.to_string())?;
                if changed != *card {
                    edits.push(Edit::SetCard {
                        id: card.id.clone(),
                        field: field.clone(),
                    });
                }
            }
        }
    }
    Ok(edits)
}

/// The modifiers held as the click was released (they may be let go in the same frame).
fn ui_modifiers(response: &egui::Response) -> Modifiers {
    response.ctx.input(|i| {
        (i.events.iter().rev())
            .find_map(|event| match event {
                egui::Event::PointerButton {
                    pressed: false,
                    modifiers,
                    ..
                } => Some(*modifiers),
                _ => None,
            })
            .unwrap_or(i.modifiers)
    })
}

fn initial_width(column: Column) -> f32 {
    match column {
        Column::Title => 220.0,
        Column::Notes => 260.0,
        Column::Stage | Column::Lane | Column::Tags | Column::Owner | Column::Link => 120.0,
        Column::Emotion | Column::Phase | Column::Severity => 70.0,
        _ => 90.0,
    }
}
