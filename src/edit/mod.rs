//! Every change to a map is an [`Edit`]: the canvas, the inspector, paste, templates and
//! the CLI all change a map by applying one. Applying returns the exact inverse, which
//! is what [`History`] keeps for undo.

mod fields;
mod history;

pub use fields::{CardField, LaneField, MapField, PersonaField, StageField};
pub use history::{History, Step};

use crate::model::{Card, CardId, Lane, LaneId, Map, Persona, PersonaId, Stage, StageId};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Edit {
    /// Insert cards at positions of the card list, in ascending order of position.
    InsertCards {
        cards: Vec<(usize, Card)>,
    },
    RemoveCards {
        ids: Vec<CardId>,
    },
    /// Move cards, in the given order, into one cell at `index` among the cell's other cards.
    MoveCards {
        ids: Vec<CardId>,
        stage: StageId,
        lane: LaneId,
        index: usize,
    },
    /// Put every card of the map in this order and these cells (the inverse of a move).
    ArrangeCards {
        placements: Vec<(CardId, StageId, LaneId)>,
    },
    SetCard {
        id: CardId,
        field: CardField,
    },
    InsertStage {
        index: usize,
        stage: Stage,
    },
    /// Remove a stage together with its cards.
    RemoveStage {
        id: StageId,
    },
    MoveStage {
        id: StageId,
        index: usize,
    },
    SetStage {
        id: StageId,
        field: StageField,
    },
    InsertLane {
        index: usize,
        lane: Lane,
    },
    /// Remove a lane together with its cards.
    RemoveLane {
        id: LaneId,
    },
    MoveLane {
        id: LaneId,
        index: usize,
    },
    SetLane {
        id: LaneId,
        field: LaneField,
    },
    InsertPersona {
        index: usize,
        persona: Persona,
    },
    /// Remove a persona; cards tied to it are untied.
    RemovePersona {
        id: PersonaId,
    },
    MovePersona {
        id: PersonaId,
        index: usize,
    },
    SetPersona {
        id: PersonaId,
        field: PersonaField,
    },
    SetMap(MapField),
    /// Put a whole other map in place (a recovered draft over the file it was made from).
    ReplaceMap(Box<Map>),
    /// Several edits as one, applied in order, all or nothing.
    Batch(Vec<Edit>),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("there is no card {0}")]
    NoCard(CardId),
    #[error("there is no stage {0}")]
    NoStage(StageId),
    #[error("there is no lane {0}")]
    NoLane(LaneId),
    #[error("there is no persona {0}")]
    NoPersona(PersonaId),
    #[error("the id {0} is already in use")]
    DuplicateId(String),
    #[error("position {index} is past the end ({len})")]
    BadIndex { index: usize, len: usize },
    #[error("lane {0} is a divider and holds no cards")]
    NotACardLane(LaneId),
    #[error("{0}")]
    OutOfRange(String),
    #[error("the placement does not list every card of the map exactly once")]
    BadPlacement,
}

impl Edit {
    /// Changes `map` and returns the edit that undoes it; on error `map` is unchanged.
    pub fn apply(self, map: &mut Map) -> Result<Edit, EditError> {
        match self {
            Edit::InsertCards { cards } => insert_cards(map, cards),
            Edit::RemoveCards { ids } => remove_cards(map, &ids),
            Edit::MoveCards {
                ids,
                stage,
                lane,
                index,
            } => move_cards(map, &ids, &stage, &lane, index),
            Edit::ArrangeCards { placements } => arrange_cards(map, placements),
            Edit::SetCard { id, field } => {
                field.validate()?;
                if let crate::edit::CardField::Persona(Some(persona)) = &field {
                    map.persona_index(persona)
                        .ok_or_else(|| EditError::NoPersona(persona.clone()))?;
                }
                let at = map
                    .card_index(&id)
                    .ok_or_else(|| EditError::NoCard(id.clone()))?;
                let old = field.swap_into(&mut map.cards[at]);
                Ok(Edit::SetCard { id, field: old })
            }
            Edit::InsertStage { index, stage } => {
                check_new_id(map.stage_index(&stage.id).is_some(), &stage.id.0)?;
                check_index(index, map.stages.len())?;
                let id = stage.id.clone();
                map.stages.insert(index, stage);
                Ok(Edit::RemoveStage { id })
            }
            Edit::RemoveStage { id } => {
                let at = map
                    .stage_index(&id)
                    .ok_or_else(|| EditError::NoStage(id.clone()))?;
                let cards = take_cards(map, |card| card.stage == id);
                let stage = map.stages.remove(at);
                Ok(Edit::Batch(vec![
                    Edit::InsertStage { index: at, stage },
                    Edit::InsertCards { cards },
                ]))
            }
            Edit::MoveStage { id, index } => {
                let at = map
                    .stage_index(&id)
                    .ok_or_else(|| EditError::NoStage(id.clone()))?;
                check_index(index, map.stages.len() - 1)?;
                let stage = map.stages.remove(at);
                map.stages.insert(index, stage);
                Ok(Edit::MoveStage { id, index: at })
            }
            Edit::SetStage { id, field } => {
                field.validate()?;
                let at = map
                    .stage_index(&id)
                    .ok_or_else(|| EditError::NoStage(id.clone()))?;
                let old = field.swap_into(&mut map.stages[at]);
                Ok(Edit::SetStage { id, field: old })
            }
            Edit::InsertLane { index, lane } => {
                check_new_id(map.lane_index(&lane.id).is_some(), &lane.id.0)?;
                check_index(index, map.lanes.len())?;
                let id = lane.id.clone();
                map.lanes.insert(index, lane);
                Ok(Edit::RemoveLane { id })
            }
            Edit::RemoveLane { id } => {
                let at = map
                    .lane_index(&id)
                    .ok_or_else(|| EditError::NoLane(id.clone()))?;
                let cards = take_cards(map, |card| card.lane == id);
                let lane = map.lanes.remove(at);
                Ok(Edit::Batch(vec![
                    Edit::InsertLane { index: at, lane },
                    Edit::InsertCards { cards },
                ]))
            }
            Edit::MoveLane { id, index } => {
                let at = map
                    .lane_index(&id)
                    .ok_or_else(|| EditError::NoLane(id.clone()))?;
                check_index(index, map.lanes.len() - 1)?;
                let lane = map.lanes.remove(at);
                map.lanes.insert(index, lane);
                Ok(Edit::MoveLane { id, index: at })
            }
            Edit::SetLane { id, field } => {
                field.validate()?;
                let at = map
                    .lane_index(&id)
                    .ok_or_else(|| EditError::NoLane(id.clone()))?;
                if field == LaneField::Kind(crate::model::LaneKind::Divider)
                    && map.cards.iter().any(|card| card.lane == id)
                {
                    return Err(EditError::NotACardLane(id));
                }
                let old = field.swap_into(&mut map.lanes[at]);
                Ok(Edit::SetLane { id, field: old })
            }
            Edit::InsertPersona { index, persona } => {
                check_new_id(map.persona_index(&persona.id).is_some(), &persona.id.0)?;
                check_index(index, map.personas.len())?;
                let id = persona.id.clone();
                map.personas.insert(index, persona);
                Ok(Edit::RemovePersona { id })
            }
            Edit::RemovePersona { id } => remove_persona(map, id),
            Edit::MovePersona { id, index } => {
                let at = map
                    .persona_index(&id)
                    .ok_or_else(|| EditError::NoPersona(id.clone()))?;
                check_index(index, map.personas.len() - 1)?;
                let persona = map.personas.remove(at);
                map.personas.insert(index, persona);
                Ok(Edit::MovePersona { id, index: at })
            }
            Edit::SetPersona { id, field } => {
                field.validate()?;
                let at = map
                    .persona_index(&id)
                    .ok_or_else(|| EditError::NoPersona(id.clone()))?;
                let old = field.swap_into(&mut map.personas[at]);
                Ok(Edit::SetPersona { id, field: old })
            }
            Edit::SetMap(field) => Ok(Edit::SetMap(field.swap_into(map))),
            Edit::ReplaceMap(mut other) => {
                std::mem::swap(map, &mut other);
                Ok(Edit::ReplaceMap(other))
            }
            Edit::Batch(edits) => apply_batch(map, edits),
        }
    }

    /// Sets one field on several cards at once (the inspector with a multi-selection).
    pub fn set_cards(ids: &[CardId], field: CardField) -> Edit {
        Edit::Batch(
            ids.iter()
                .map(|id| Edit::SetCard {
                    id: id.clone(),
                    field: field.clone(),
                })
                .collect(),
        )
    }

    /// What the edit does, for menus ("Undo move 3 cards").
    pub fn label(&self) -> String {
        let cards = |n: usize| {
            if n == 1 {
                "card".to_owned()
            } else {
                format!("{n} cards")
            }
        };
        match self {
            Edit::InsertCards { cards: c } => format!("add {}", cards(c.len())),
            Edit::RemoveCards { ids } => format!("delete {}", cards(ids.len())),
            Edit::MoveCards { ids, .. } => format!("move {}", cards(ids.len())),
            Edit::ArrangeCards { .. } => "arrange cards".to_owned(),
            Edit::SetCard { field, .. } => format!("edit card {}", field.name()),
            Edit::InsertStage { .. } => "add stage".to_owned(),
            Edit::RemoveStage { .. } => "delete stage".to_owned(),
            Edit::MoveStage { .. } => "reorder stages".to_owned(),
            Edit::SetStage { field, .. } => format!("edit stage {}", field.name()),
            Edit::InsertLane { .. } => "add lane".to_owned(),
            Edit::RemoveLane { .. } => "delete lane".to_owned(),
            Edit::MoveLane { .. } => "reorder lanes".to_owned(),
            Edit::SetLane { field, .. } => format!("edit lane {}", field.name()),
            Edit::InsertPersona { .. } => "add persona".to_owned(),
            Edit::RemovePersona { .. } => "delete persona".to_owned(),
            Edit::MovePersona { .. } => "reorder personas".to_owned(),
            Edit::SetPersona { field, .. } => format!("edit persona {}", field.name()),
            Edit::SetMap(field) => format!("edit map {}", field.name()),
            Edit::ReplaceMap(_) => "the recovered changes".to_owned(),
            Edit::Batch(edits) => match edits.as_slice() {
                [] => "nothing".to_owned(),
                [only] => only.label(),
                [Edit::SetCard { field, .. }, rest @ ..]
                    if rest.iter().all(|e| matches!(e, Edit::SetCard { .. })) =>
                {
                    format!("edit {} {}", cards(edits.len()), field.name())
                }
                [first, ..] => first.label(),
            },
        }
    }
}

fn check_index(index: usize, len: usize) -> Result<(), EditError> {
    if index > len {
        return Err(EditError::BadIndex { index, len });
    }
    Ok(())
}

fn check_new_id(taken: bool, id: &str) -> Result<(), EditError> {
    if taken || id.is_empty() {
        return Err(EditError::DuplicateId(id.to_owned()));
    }
    Ok(())
}

/// Removes the cards matching `pick`, returning them with their positions (ascending).
fn take_cards(map: &mut Map, pick: impl Fn(&Card) -> bool) -> Vec<(usize, Card)> {
    let mut taken = Vec::new();
    let mut kept = Vec::with_capacity(map.cards.len());
    for (index, card) in std::mem::take(&mut map.cards).into_iter().enumerate() {
        if pick(&card) {
            taken.push((index, card));
        } else {
            kept.push(card);
        }
    }
    map.cards = kept;
    taken
}

fn check_cell(map: &Map, stage: &StageId, lane: &LaneId) -> Result<(), EditError> {
    map.stage_index(stage)
        .ok_or_else(|| EditError::NoStage(stage.clone()))?;
    let lane_at = map
        .lane_index(lane)
        .ok_or_else(|| EditError::NoLane(lane.clone()))?;
    if !map.lanes[lane_at].kind.holds_cards() {
        return Err(EditError::NotACardLane(lane.clone()));
    }
    Ok(())
}

fn insert_cards(map: &mut Map, cards: Vec<(usize, Card)>) -> Result<Edit, EditError> {
    // Sets of ids, so an import of thousands of cards is not quadratic.
    let existing: std::collections::HashSet<&CardId> = map.cards.iter().map(|c| &c.id).collect();
    let mut ids = std::collections::HashSet::new();
    for (len, (index, card)) in (map.cards.len()..).zip(&cards) {
        check_new_id(
            existing.contains(&card.id) || !ids.insert(&card.id),
            &card.id.0,
        )?;
        check_cell(map, &card.stage, &card.lane)?;
        check_index(*index, len)?;
    }
    if cards.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
        return Err(EditError::OutOfRange(
            "card positions must be in ascending order".to_owned(),
        ));
    }
    let ids = cards.iter().map(|(_, card)| card.id.clone()).collect();
    for (index, card) in cards {
        map.cards.insert(index, card);
    }
    Ok(Edit::RemoveCards { ids })
}

fn remove_cards(map: &mut Map, ids: &[CardId]) -> Result<Edit, EditError> {
    let existing: std::collections::HashSet<&CardId> = map.cards.iter().map(|c| &c.id).collect();
    if let Some(missing) = ids.iter().find(|id| !existing.contains(id)) {
        return Err(EditError::NoCard(missing.clone()));
    }
    let ids: std::collections::HashSet<&CardId> = ids.iter().collect();
    let cards = take_cards(map, |card| ids.contains(&card.id));
    Ok(Edit::InsertCards { cards })
}

fn placements(map: &Map) -> Vec<(CardId, StageId, LaneId)> {
    map.cards
        .iter()
        .map(|card| (card.id.clone(), card.stage.clone(), card.lane.clone()))
        .collect()
}

fn move_cards(
    map: &mut Map,
    ids: &[CardId],
    stage: &StageId,
    lane: &LaneId,
    index: usize,
) -> Result<Edit, EditError> {
    check_cell(map, stage, lane)?;
    let mut moving = Vec::with_capacity(ids.len());
    for id in ids {
        if moving.iter().any(|card: &Card| &card.id == id) {
            return Err(EditError::DuplicateId(id.0.clone()));
        }
        let card = map.card(id).ok_or_else(|| EditError::NoCard(id.clone()))?;
        moving.push(card.clone());
    }
    let before = placements(map);
    map.cards.retain(|card| !ids.contains(&card.id));
    // The position in the whole list of the `index`-th remaining card of the cell.
    let in_cell: Vec<usize> = (0..map.cards.len())
        .filter(|&i| &map.cards[i].stage == stage && &map.cards[i].lane == lane)
        .collect();
    let at = match in_cell.get(index) {
        Some(&at) => at,
        None => in_cell.last().map_or(map.cards.len(), |&last| last + 1),
    };
    for (offset, mut card) in moving.into_iter().enumerate() {
        card.stage = stage.clone();
        card.lane = lane.clone();
        map.cards.insert(at + offset, card);
    }
    Ok(Edit::ArrangeCards { placements: before })
}

fn arrange_cards(
    map: &mut Map,
    placements_wanted: Vec<(CardId, StageId, LaneId)>,
) -> Result<Edit, EditError> {
    if placements_wanted.len() != map.cards.len() {
        return Err(EditError::BadPlacement);
    }
    let mut by_id: std::collections::HashMap<CardId, Card> = map
        .cards
        .iter()
        .map(|card| (card.id.clone(), card.clone()))
        .collect();
    let mut arranged = Vec::with_capacity(placements_wanted.len());
    for (id, stage, lane) in &placements_wanted {
        check_cell(map, stage, lane)?;
        let mut card = by_id.remove(id).ok_or(EditError::BadPlacement)?;
        card.stage = stage.clone();
        card.lane = lane.clone();
        arranged.push(card);
    }
    let before = placements(map);
    map.cards = arranged;
    Ok(Edit::ArrangeCards { placements: before })
}

fn remove_persona(map: &mut Map, id: PersonaId) -> Result<Edit, EditError> {
    let at = map
        .persona_index(&id)
        .ok_or_else(|| EditError::NoPersona(id.clone()))?;
    let persona = map.personas.remove(at);
    let mut undo = vec![Edit::InsertPersona { index: at, persona }];
    for card in map
        .cards
        .iter_mut()
        .filter(|c| c.persona.as_ref() == Some(&id))
    {
        card.persona = None;
        undo.push(Edit::SetCard {
            id: card.id.clone(),
            field: CardField::Persona(Some(id.clone())),
        });
    }
    Ok(Edit::Batch(undo))
}

fn apply_batch(map: &mut Map, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(map) {
            Ok(inverse) => inverses.push(inverse),
            Err(err) => {
                // All or nothing: take back what this batch already did.
                for inverse in inverses.into_iter().rev() {
                    let _ = inverse.apply(map);
                }
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch(inverses))
}

#[cfg(test)]
mod tests;
