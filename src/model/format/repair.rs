//! Safe repairs after loading, each named in a warning: never a silent change.

use crate::model::escape::{Quoted, Token};
use crate::model::{
    Card, EMOTION_RANGE, LANE_HEIGHT_RANGE, Lane, LaneId, LaneKind, Map, Persona,
    STAGE_WIDTH_RANGE, Stage, StageId, fresh_id, is_allowed_link,
};
use std::collections::HashSet;

const STAGE_WIDTH: std::ops::RangeInclusive<f32> = STAGE_WIDTH_RANGE;
const LANE_HEIGHT: std::ops::RangeInclusive<f32> = LANE_HEIGHT_RANGE;

pub(super) fn repair(map: &mut Map, warnings: &mut Vec<String>) {
    repair_ids(map, warnings);
    repair_sizes(map, warnings);
    for card in &mut map.cards {
        repair_card_values(card, warnings);
    }
    rehome_cards(map, warnings);
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

/// Gives every item a non-empty id unique among its kind.
fn repair_ids(map: &mut Map, warnings: &mut Vec<String>) {
    unique_ids(&mut map.personas, "persona", "p", warnings);
    unique_ids(&mut map.stages, "stage", "s", warnings);
    unique_ids(&mut map.lanes, "lane", "l", warnings);
    unique_ids(&mut map.cards, "card", "c", warnings);
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

fn unique_ids<T: Identified>(
    items: &mut [T],
    what: &str,
    prefix: &str,
    warnings: &mut Vec<String>,
) {
    // First, without copying a single id: which items need a new one (empty, or an id
    // an earlier item has)? Almost always none.
    let renamed: Vec<usize> = {
        let mut seen = HashSet::with_capacity(items.len());
        (0..items.len())
            .filter(|&i| {
                let id = items[i].id();
                id.is_empty() || !seen.insert(id)
            })
            .collect()
    };
    if renamed.is_empty() {
        return;
    }
    let mut taken: HashSet<String> = items.iter().map(|item| item.id().to_owned()).collect();
    for index in renamed {
        let item = &mut items[index];
        let name = item.name().to_owned();
        let id = item.id_mut();
        let new_id = fresh_id(prefix, taken.iter().map(String::as_str));
        warnings.push(if id.is_empty() {
            format!("{what} {} had no id; it is now {new_id}", Quoted(&name))
        } else {
            format!(
                "{what} id {} ({}) is used twice; this one is now {new_id}",
                Token(id),
                Quoted(&name)
            )
        });
        taken.insert(new_id.clone());
        *id = new_id;
    }
}

fn repair_sizes(map: &mut Map, warnings: &mut Vec<String>) {
    for stage in &mut map.stages {
        if let Some(width) = stage.width.filter(|w| !STAGE_WIDTH.contains(w)) {
            let fixed = clamp_or_none(width, &STAGE_WIDTH);
            warnings.push(format!(
                "stage {}: width {width} is outside 80..2000; now {}",
                stage.id,
                describe(fixed)
            ));
            stage.width = fixed;
        }
    }
    for lane in &mut map.lanes {
        if let Some(height) = lane.height.filter(|h| !LANE_HEIGHT.contains(h)) {
            let fixed = clamp_or_none(height, &LANE_HEIGHT);
            warnings.push(format!(
                "lane {}: height {height} is outside 24..4000; now {}",
                lane.id,
                describe(fixed)
            ));
            lane.height = fixed;
        }
    }
}

fn clamp_or_none(value: f32, range: &std::ops::RangeInclusive<f32>) -> Option<f32> {
    value
        .is_finite()
        .then(|| value.clamp(*range.start(), *range.end()))
}

fn describe(size: Option<f32>) -> String {
    size.map_or_else(|| "automatic".to_owned(), |size| size.to_string())
}

fn repair_card_values(card: &mut Card, warnings: &mut Vec<String>) {
    if let Some(emotion) = card.emotion.filter(|e| !EMOTION_RANGE.contains(e)) {
        let clamped = emotion.clamp(*EMOTION_RANGE.start(), *EMOTION_RANGE.end());
        warnings.push(format!(
            "card {}: emotion {emotion} is outside -2..2; now {clamped}",
            card.id
        ));
        card.emotion = Some(clamped);
    }
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
fn rehome_cards(map: &mut Map, warnings: &mut Vec<String>) {
    let stages: HashSet<StageId> = map.stages.iter().map(|s| s.id.clone()).collect();
    let card_lanes: HashSet<LaneId> = map
        .lanes
        .iter()
        .filter(|lane| lane.kind.holds_cards())
        .map(|l| l.id.clone())
        .collect();
    let homeless = |card: &Card| !stages.contains(&card.stage) || !card_lanes.contains(&card.lane);
    if !map.cards.iter().any(homeless) {
        return;
    }
    let first_stage = match map.stages.first() {
        Some(stage) => stage.id.clone(),
        None => {
            let stage = Stage::new(map.fresh_stage_id().0, "Recovered");
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
            let lane = Lane::new(map.fresh_lane_id().0, "Recovered cards", LaneKind::Cards);
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
            let why = if map.lanes.iter().any(|lane| lane.id == card.lane) {
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
