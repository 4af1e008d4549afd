use super::*;
use crate::model::{LaneKind, MapKind};
use crate::templates;

fn five_a() -> Map {
    templates::find("5a").unwrap().map().unwrap()
}

fn cell_titles(map: &Map, stage: &str, lane: &str) -> Vec<String> {
    let (stage, lane) = (StageId::from(stage), LaneId::from(lane));
    map.cards_in(&stage, &lane)
        .map(|c| c.title.clone())
        .collect()
}

fn first_card_in(map: &Map, stage: &str, lane: &str) -> CardId {
    let (stage, lane) = (StageId::from(stage), LaneId::from(lane));
    map.cards_in(&stage, &lane).next().unwrap().id.clone()
}

#[test]
fn undo_restores_card_moved_across_stages() {
    let original = five_a();
    let mut map = original.clone();
    let mut history = History::default();
    let card = first_card_in(&map, "aware", "touchpoints");
    let move_it = Edit::MoveCards {
        ids: vec![card.clone()],
        stage: "act".into(),
        lane: "pains".into(),
        index: 0,
    };
    history.apply(&mut map, move_it).unwrap();
    assert_eq!(map.card(&card).unwrap().stage.as_str(), "act");
    assert_eq!(first_card_in(&map, "act", "pains"), card);
    assert_eq!(history.undo_label(), Some("move card"));

    history.undo(&mut map).unwrap();
    assert_eq!(map, original);
}

#[test]
fn moving_several_cards_keeps_their_order_and_lands_at_the_index() {
    let mut map = five_a();
    let target_before = cell_titles(&map, "ask", "actions");
    assert!(
        target_before.len() >= 2,
        "the fixture needs two cards in Ask/Customer actions"
    );
    let ids = vec![
        first_card_in(&map, "aware", "touchpoints"),
        first_card_in(&map, "appeal", "touchpoints"),
    ];
    let titles: Vec<_> = ids
        .iter()
        .map(|id| map.card(id).unwrap().title.clone())
        .collect();
    Edit::MoveCards {
        ids,
        stage: "ask".into(),
        lane: "actions".into(),
        index: 1,
    }
    .apply(&mut map)
    .unwrap();
    let after = cell_titles(&map, "ask", "actions");
    let mut expected = target_before.clone();
    expected.splice(1..1, titles);
    assert_eq!(after, expected);
}

#[test]
fn moving_past_the_end_appends_to_the_cell() {
    let mut map = five_a();
    let card = first_card_in(&map, "aware", "touchpoints");
    Edit::MoveCards {
        ids: vec![card.clone()],
        stage: "advocate".into(),
        lane: "kpis".into(),
        index: 99,
    }
    .apply(&mut map)
    .unwrap();
    let (stage, lane) = (StageId::from("advocate"), LaneId::from("kpis"));
    assert_eq!(map.cards_in(&stage, &lane).last().unwrap().id, card);
}

#[test]
fn delete_stage_takes_its_cards_and_undo_puts_them_back_in_place() {
    let original = five_a();
    let mut map = original.clone();
    let mut history = History::default();
    let in_ask = original
        .cards
        .iter()
        .filter(|c| c.stage.as_str() == "ask")
        .count();
    assert!(in_ask > 0);
    history
        .apply(&mut map, Edit::RemoveStage { id: "ask".into() })
        .unwrap();
    assert_eq!(map.stages.len(), original.stages.len() - 1);
    assert_eq!(map.cards.len(), original.cards.len() - in_ask);
    history.undo(&mut map).unwrap();
    assert_eq!(map, original);
}

#[test]
fn setting_a_field_on_many_cards_is_one_step() {
    let mut map = five_a();
    let mut history = History::default();
    let ids: Vec<CardId> = map.cards.iter().take(3).map(|c| c.id.clone()).collect();
    let edit = Edit::set_cards(&ids, CardField::Owner("CX".to_owned()));
    assert_eq!(edit.label(), "edit 3 cards owner");
    history.apply(&mut map, edit).unwrap();
    assert!(ids.iter().all(|id| map.card(id).unwrap().owner == "CX"));
    assert_eq!(history.undo_len(), 1);
}

#[test]
fn a_failing_batch_changes_nothing() {
    let original = five_a();
    let mut map = original.clone();
    let card = map.cards[0].id.clone();
    let batch = Edit::Batch(vec![
        Edit::SetCard {
            id: card,
            field: CardField::Title("changed".to_owned()),
        },
        Edit::SetCard {
            id: "nope".into(),
            field: CardField::Title("x".to_owned()),
        },
    ]);
    assert_eq!(batch.apply(&mut map), Err(EditError::NoCard("nope".into())));
    assert_eq!(map, original);
}

#[test]
fn invalid_values_are_refused() {
    let mut map = five_a();
    let card = map.cards[0].id.clone();
    let bad = [
        Edit::SetCard {
            id: card.clone(),
            field: CardField::Emotion(Some(3)),
        },
        Edit::SetCard {
            id: card.clone(),
            field: CardField::Link(Some("javascript:x".to_owned())),
        },
        Edit::SetCard {
            id: card.clone(),
            field: CardField::Persona(Some("ghost".into())),
        },
        Edit::MoveCards {
            ids: vec![card.clone()],
            stage: "aware".into(),
            lane: "ghost".into(),
            index: 0,
        },
        Edit::InsertStage {
            index: 0,
            stage: Stage::new("aware", "Again"),
        },
        Edit::InsertStage {
            index: 99,
            stage: Stage::new("s99", "Far"),
        },
        Edit::SetLane {
            id: "touchpoints".into(),
            field: LaneField::Kind(LaneKind::Divider),
        },
    ];
    for edit in bad {
        let label = edit.label();
        assert!(edit.apply(&mut map).is_err(), "{label} was accepted");
    }
    assert_eq!(map, five_a());
}

#[test]
fn removing_a_persona_unties_its_cards_and_undo_ties_them_again() {
    let original = five_a();
    let mut map = original.clone();
    let persona = map.personas[0].id.clone();
    assert!(
        map.cards
            .iter()
            .any(|c| c.persona.as_ref() == Some(&persona))
    );
    let undo = Edit::RemovePersona {
        id: persona.clone(),
    }
    .apply(&mut map)
    .unwrap();
    assert!(
        map.cards
            .iter()
            .all(|c| c.persona.as_ref() != Some(&persona))
    );
    undo.apply(&mut map).unwrap();
    assert_eq!(map, original);
}

#[test]
fn a_gesture_is_one_undo_step() {
    let original = five_a();
    let mut map = original.clone();
    let mut history = History::default();
    let card = map.cards[0].id.clone();
    history.begin_gesture("edit title");
    for title in ["S", "Sh", "Sho", "Shop"] {
        let field = CardField::Title(title.to_owned());
        history
            .apply(
                &mut map,
                Edit::SetCard {
                    id: card.clone(),
                    field,
                },
            )
            .unwrap();
    }
    history.end_gesture();
    assert_eq!(history.undo_len(), 1);
    assert_eq!(history.undo_label(), Some("edit title"));
    history.undo(&mut map).unwrap();
    assert_eq!(map, original);
    history.redo(&mut map).unwrap();
    assert_eq!(map.card(&card).unwrap().title, "Shop");
}

#[test]
fn redo_survives_non_edits_and_is_cleared_by_a_new_edit() {
    let mut map = five_a();
    let mut history = History::default();
    history
        .apply(&mut map, Edit::SetMap(MapField::Kind(MapKind::FutureState)))
        .unwrap();
    history.undo(&mut map).unwrap();
    // Selecting, hovering or scrolling never reaches the history; a gesture with no edit
    // is not a step either.
    history.begin_gesture("select");
    history.end_gesture();
    assert!(history.can_redo());
    history
        .apply(&mut map, Edit::SetMap(MapField::Title("New".to_owned())))
        .unwrap();
    assert!(!history.can_redo());
}

#[test]
fn the_memory_cap_forgets_the_oldest_steps() {
    let mut map = five_a();
    let mut history = History::with_caps(2_000, 1000);
    let card = map.cards[0].id.clone();
    for i in 0..50 {
        let field = CardField::Notes(format!("{i} {}", "x".repeat(100)));
        history
            .apply(
                &mut map,
                Edit::SetCard {
                    id: card.clone(),
                    field,
                },
            )
            .unwrap();
    }
    assert!(
        history.undo_len() < 50 && history.undo_len() >= 10,
        "{}",
        history.undo_len()
    );
    let mut steps_cap = History::with_caps(usize::MAX, 5);
    for i in 0..20 {
        let field = CardField::Title(i.to_string());
        steps_cap
            .apply(
                &mut map,
                Edit::SetCard {
                    id: card.clone(),
                    field,
                },
            )
            .unwrap();
    }
    assert_eq!(steps_cap.undo_len(), 5);
}
