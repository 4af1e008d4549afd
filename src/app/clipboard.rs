//! Cards on the clipboard as JSON, so they paste into this map, another map, or a
//! text editor.

use crate::edit::Edit;
use crate::model::{Card, CardId, LaneId, Map, StageId};
use serde::{Deserialize, Serialize};

const KIND: &str = "journeymap-cards";

#[derive(Serialize, Deserialize)]
struct Clip {
    format: String,
    cards: Vec<Card>,
}

/// The JSON of the cards with these ids, in map order.
pub fn copy(map: &Map, ids: &[CardId]) -> Option<String> {
    let cards: Vec<Card> = map
        .cards
        .iter()
        .filter(|card| ids.contains(&card.id))
        .cloned()
        .collect();
    if cards.is_empty() {
        return None;
    }
    let clip = Clip {
        format: KIND.to_owned(),
        cards,
    };
    serde_json::to_string_pretty(&clip).ok()
}

/// The edit that pastes clipboard text into `map`: fresh ids, into `cell` when given,
/// otherwise into the cards' own cells when this map has them (else the first cell).
/// Returns the new ids too, to select them.
pub fn paste(
    map: &Map,
    text: &str,
    cell: Option<(StageId, LaneId)>,
) -> Result<(Edit, Vec<CardId>), String> {
    let clip: Clip = serde_json::from_str(text)
        .map_err(|_| "the clipboard holds no journeymap cards".to_owned())?;
    if clip.format != KIND || clip.cards.is_empty() {
        return Err("the clipboard holds no journeymap cards".to_owned());
    }
    let first_cell = map.stages.first().map(|s| s.id.clone()).zip(
        map.lanes
            .iter()
            .find(|l| l.kind.holds_cards())
            .map(|l| l.id.clone()),
    );
    let mut taken: Vec<String> = map.cards.iter().map(|c| c.id.0.clone()).collect();
    let mut inserts = Vec::new();
    let mut ids = Vec::new();
    for mut card in clip.cards {
        let own_cell = map.stage(&card.stage).is_some()
            && map.lane(&card.lane).is_some_and(|l| l.kind.holds_cards());
        let (stage, lane) = match (&cell, own_cell) {
            (Some(cell), _) => cell.clone(),
            (None, true) => (card.stage.clone(), card.lane.clone()),
            (None, false) => first_cell
                .clone()
                .ok_or_else(|| "this map has no card lane to paste into".to_owned())?,
        };
        let id = crate::model::fresh_id(CardId::PREFIX, taken.iter().map(String::as_str));
        taken.push(id.clone());
        card.id = CardId(id);
        card.stage = stage;
        card.lane = lane;
        if card
            .persona
            .as_ref()
            .is_some_and(|p| map.persona_index(p).is_none())
        {
            card.persona = None;
        }
        ids.push(card.id.clone());
        inserts.push((map.cards.len() + inserts.len(), card));
    }
    Ok((Edit::InsertCards { cards: inserts }, ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    #[test]
    fn cards_copied_from_one_map_paste_into_another() {
        let source = templates::find("5a").unwrap().map().unwrap();
        let mut target = templates::find("aida").unwrap().map().unwrap();
        let ids = vec![source.cards[5].id.clone(), source.cards[6].id.clone()];
        let text = copy(&source, &ids).unwrap();
        let before = target.cards.len();
        let (edit, new_ids) = paste(&target, &text, None).unwrap();
        edit.apply(&mut target).unwrap();
        assert_eq!(target.cards.len(), before + 2);
        for (id, original) in new_ids.iter().zip(&ids) {
            let pasted = target.card(id).unwrap();
            assert_eq!(pasted.title, source.card(original).unwrap().title);
            assert!(target.stage(&pasted.stage).is_some());
        }
    }

    #[test]
    fn pasting_into_a_cell_gives_fresh_ids() {
        let mut map = templates::find("5a").unwrap().map().unwrap();
        let text = copy(&map, &[map.cards[0].id.clone()]).unwrap();
        let cell = (StageId::from("act"), LaneId::from("pains"));
        let (edit, ids) = paste(&map, &text, Some(cell)).unwrap();
        edit.apply(&mut map).unwrap();
        let pasted = map.card(&ids[0]).unwrap();
        assert_ne!(pasted.id, map.cards[0].id);
        assert_eq!(
            (pasted.stage.as_str(), pasted.lane.as_str()),
            ("act", "pains")
        );
    }

    #[test]
    fn other_text_is_refused() {
        let map = templates::find("blank").unwrap().map().unwrap();
        assert!(paste(&map, "hello", None).is_err());
        assert!(
            paste(
                &map,
                "{\"format\": \"journeymap-cards\", \"cards\": []}",
                None
            )
            .is_err()
        );
    }
}
