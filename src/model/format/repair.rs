//! Safe repairs after loading, each named in a warning: never a silent change.

use crate::model::escape::{Quoted, Token};
use crate::model::ids::FreshIds;
use crate::model::photo::decode_photo;
use crate::model::{
    Card, CardId, Lane, LaneId, LaneKind, Map, Persona, PersonaId, Stage, StageId, is_allowed_link,
};
use std::collections::HashSet;

pub(super) fn repair(map: &mut Map, warnings: &mut Vec<String>) {
    // Made once, and only when some repair has to invent an id.
    let mut fresh = None;
    repair_ids(map, &mut fresh, warnings);
    for card in &mut map.cards {
        repair_card_values(card, warnings);
    }
    rehome_cards(map, &mut fresh, warnings);
    for persona in &mut map.personas {
        let Some(photo) = &persona.photo else {
            continue;
        };
        if let Err(why) = decode_photo(photo) {
            let (id, name) = (&persona.id, &persona.name);
            warnings.push(format!(
                "persona {id} \"{name}\": photo {why}; it was removed"
            ));
            persona.photo = None;
        }
    }
    let personas: HashSet<_> = map.personas.iter().map(|p| p.id.clone()).collect();
    for card in &mut map.cards {
        if let Some(persona) = card.persona.take_if(|p| !personas.contains(p)) {
            warnings.push(format!(
                "card {}: persona {persona} does not exist; the card is no longer tied to a persona",
                card.id
            ));
        }
    }
}

/// Gives every item a non-empty id unique among its kind. A new id is never one the
/// file already uses anywhere, as an id of any kind or a reference, so a second load
/// finds nothing to repair.
fn repair_ids(map: &mut Map, fresh: &mut Option<FreshIds>, warnings: &mut Vec<String>) {
    let needs_renaming = renamed(&map.personas).len()
        + renamed(&map.stages).len()
        + renamed(&map.lanes).len()
        + renamed(&map.cards).len();
    if needs_renaming == 0 {
        return;
    }
    let fresh = fresh.get_or_insert_with(|| every_id_in(map));
    unique_ids(
        &mut map.personas,
        "persona",
        PersonaId::PREFIX,
        fresh,
        warnings,
    );
    unique_ids(&mut map.stages, "stage", StageId::PREFIX, fresh, warnings);
    unique_ids(&mut map.lanes, "lane", LaneId::PREFIX, fresh, warnings);
    unique_ids(&mut map.cards, "card", CardId::PREFIX, fresh, warnings);
}

/// Every id and reference in the map, as the ids a repair must not hand out.
fn every_id_in(map: &Map) -> FreshIds {
    let personas = map.personas.iter().map(|p| p.id.as_str());
    let stages = map.stages.iter().map(|s| s.id.as_str());
    let lanes = map.lanes.iter().map(|l| l.id.as_str());
    let cards = map.cards.iter().flat_map(|card| {
        let persona = card.persona.as_ref().map(PersonaId::as_str);
        [card.id.as_str(), card.stage.as_str(), card.lane.as_str()]
            .into_iter()
            .chain(persona)
    });
    FreshIds::new(personas.chain(stages).chain(lanes).chain(cards))
}

/// What id repair needs of a persona, stage, lane or card.
trait Identified {
    fn id(&self) -> &str;
    fn id_mut(&mut self) -> &mut String;
    fn name(&self) -> &str;
}

macro_rules! identified {
    ($type:ty, $name:ident) => {
        impl Identified for $type {
            fn id(&self) -> &str {
                &self.id.0
            }
            fn id_mut(&mut self) -> &mut String {
                &mut self.id.0
            }
            fn name(&self) -> &str {
                &self.$name
            }
        }
    };
}
identified!(Persona, name);
identified!(Stage, name);
identified!(Lane, name);
identified!(Card, title);

/// The items that need a new id: an empty one, or one an earlier item has.
fn renamed<T: Identified>(items: &[T]) -> Vec<usize> {
    let mut seen = HashSet::with_capacity(items.len());
    (0..items.len())
        .filter(|&i| {
            let id = items[i].id();
            id.is_empty() || !seen.insert(id)
        })
        .collect()
}

fn unique_ids<T: Identified>(
    items: &mut [T],
    what: &str,
    prefix: &'static str,
    fresh: &mut FreshIds,
    warnings: &mut Vec<String>,
) {
    for index in renamed(items) {
        let item = &mut items[index];
        let name = item.name().to_owned();
        let id = item.id_mut();
        let new_id = fresh.next(prefix);
        warnings.push(if id.is_empty() {
            format!("{what} {} had no id; it is now {new_id}", Quoted(&name))
        } else {
            format!(
                "{what} id {} ({}) is used twice; this one is now {new_id}",
                Token(id),
                Quoted(&name)
            )
        });
        *id = new_id;
    }
}

fn repair_card_values(card: &mut Card, warnings: &mut Vec<String>) {
    if let Some(link) = card.link.take_if(|link| !is_allowed_link(link)) {
        warnings.push(format!(
            "card {}: link {} is not an http, https or mailto URL; it was removed",
            card.id,
            Quoted(&link)
        ));
    }
}

/// Moves cards whose stage or lane is missing (or a divider) into the first cell that
/// can hold them, making a stage or lane for them if the map has none: never lose a card.
fn rehome_cards(map: &mut Map, fresh: &mut Option<FreshIds>, warnings: &mut Vec<String>) {
    let stages: HashSet<StageId> = map.stages.iter().map(|s| s.id.clone()).collect();
    let card_lanes: HashSet<LaneId> = map
        .lanes
        .iter()
        .filter(|lane| lane.kind.holds_cards())
        .map(|l| l.id.clone())
        .collect();
    let dividers: HashSet<LaneId> = map
        .lanes
        .iter()
        .filter(|lane| !lane.kind.holds_cards())
        .map(|l| l.id.clone())
        .collect();
    let homeless = |card: &Card| !stages.contains(&card.stage) || !card_lanes.contains(&card.lane);
    if !map.cards.iter().any(homeless) {
        return;
    }
    let first_stage = match map.stages.first() {
        Some(stage) => stage.id.clone(),
        None => {
            let id = fresh
                .get_or_insert_with(|| every_id_in(map))
                .next(StageId::PREFIX);
            let stage = Stage::new(id, "Recovered");
            warnings.push(format!(
                "the map has no stages; added stage {} for its cards",
                stage.id
            ));
            map.stages.push(stage);
            map.stages[0].id.clone()
        }
    };
    let first_lane = match map.lanes.iter().find(|lane| lane.kind == LaneKind::Cards) {
        Some(lane) => lane.id.clone(),
        None => {
            let id = fresh
                .get_or_insert_with(|| every_id_in(map))
                .next(LaneId::PREFIX);
            let lane = Lane::new(id, "Recovered cards", LaneKind::Cards);
            warnings.push(format!(
                "the map has no card lane; added lane {} for its cards",
                lane.id
            ));
            let id = lane.id.clone();
            map.lanes.push(lane);
            id
        }
    };
    for card in &mut map.cards {
        if !stages.contains(&card.stage) {
            warnings.push(format!(
                "card {}: stage {} does not exist; moved to stage {first_stage}",
                card.id, card.stage
            ));
            card.stage = first_stage.clone();
        }
        if !card_lanes.contains(&card.lane) {
            let why = if dividers.contains(&card.lane) {
                "is a divider"
            } else {
                "does not exist"
            };
            warnings.push(format!(
                "card {}: lane {} {why}; moved to lane {first_lane}",
                card.id, card.lane
            ));
            card.lane = first_lane.clone();
        }
    }
}
