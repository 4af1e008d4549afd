//! Property: any sequence of edits, undone in full, gives back the original map exactly;
//! redone in full, gives the final map exactly.

use journeymap::edit::{CardField, Edit, History, LaneField, MapField, PersonaField, StageField};
use journeymap::model::{Card, Channel, LaneKind, Map, MapKind, Persona, Severity, Stage};
use journeymap::templates;
use proptest::prelude::*;

/// One random choice, turned into an edit that fits the map as it is at that moment.
#[derive(Clone, Debug)]
struct Op {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
    text: String,
    /// Group this edit and the next into one gesture.
    gesture: bool,
}

fn op() -> impl Strategy<Value = Op> {
    (
        0u8..24,
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        "[a-zé ]{0,8}",
        any::<bool>(),
    )
        .prop_map(|(kind, a, b, c, text, gesture)| Op {
            kind,
            a,
            b,
            c,
            text,
            gesture,
        })
}

fn pick<T>(items: &[T], n: usize) -> Option<&T> {
    (!items.is_empty()).then(|| &items[n % items.len()])
}

fn card_cell(
    map: &Map,
    a: usize,
    b: usize,
) -> Option<(journeymap::model::StageId, journeymap::model::LaneId)> {
    let lanes: Vec<_> = map.lanes.iter().filter(|l| l.kind.holds_cards()).collect();
    Some((
        pick(&map.stages, a)?.id.clone(),
        pick(&lanes, b)?.id.clone(),
    ))
}

fn some_cards(map: &Map, a: usize, count: usize) -> Vec<journeymap::model::CardId> {
    let mut ids = Vec::new();
    for i in 0..count.min(map.cards.len()) {
        let id = map.cards[(a + i * 7) % map.cards.len()].id.clone();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn make_edit(map: &Map, op: &Op) -> Option<Edit> {
    let Op { a, b, c, .. } = *op;
    let card = pick(&map.cards, a).map(|card| card.id.clone());
    let stage = pick(&map.stages, a).map(|s| s.id.clone());
    let lane = pick(&map.lanes, a).map(|l| l.id.clone());
    let persona = pick(&map.personas, a).map(|p| p.id.clone());
    let text = op.text.clone();
    Some(match op.kind {
        0 => {
            let (stage, lane) = card_cell(map, a, b)?;
            let card = Card::new(map.fresh_card_id().0, stage, lane, text);
            Edit::InsertCards {
                cards: vec![(c % (map.cards.len() + 1), card)],
            }
        }
        1 => Edit::RemoveCards {
            ids: some_cards(map, a, 1 + b % 3),
        },
        2 | 3 => {
            let (stage, lane) = card_cell(map, b, c)?;
            Edit::MoveCards {
                ids: some_cards(map, a, 1 + c % 3),
                stage,
                lane,
                index: c % 4,
            }
        }
        4 => Edit::SetCard {
            id: card?,
            field: CardField::Title(text),
        },
        5 => Edit::SetCard {
            id: card?,
            field: CardField::Emotion((b % 6 < 5).then(|| (b % 5) as i8 - 2)),
        },
        6 => Edit::SetCard {
            id: card?,
            field: CardField::Tags(vec![text; b % 3]),
        },
        7 => Edit::SetCard {
            id: card?,
            field: CardField::Channel(pick(&Channel::ALL, b).copied()),
        },
        8 => Edit::set_cards(
            &some_cards(map, a, 1 + b % 4),
            CardField::Severity(Some(Severity::High)),
        ),
        9 => Edit::SetCard {
            id: card?,
            field: CardField::Persona(persona),
        },
        10 => Edit::InsertStage {
            index: b % (map.stages.len() + 1),
            stage: Stage::new(map.fresh_stage_id().0, text),
        },
        11 => Edit::RemoveStage { id: stage? },
        12 => Edit::MoveStage {
            id: stage?,
            index: b % map.stages.len(),
        },
        13 => Edit::SetStage {
            id: stage?,
            field: StageField::Name(text),
        },
        14 => Edit::SetStage {
            id: stage?,
            field: StageField::Width((b % 2 == 0).then_some(80.0 + (c % 400) as f32)),
        },
        15 => Edit::SetStage {
            id: stage?,
            field: StageField::Funnel(Some(c as u64 % 100_000)),
        },
        16 => Edit::InsertLane {
            index: b % (map.lanes.len() + 1),
            lane: journeymap::model::Lane::new(map.fresh_lane_id().0, text, LaneKind::ALL[c % 3]),
        },
        17 => Edit::RemoveLane { id: lane? },
        18 => Edit::MoveLane {
            id: lane?,
            index: b % map.lanes.len(),
        },
        19 => Edit::SetLane {
            id: lane?,
            field: LaneField::Kind(LaneKind::ALL[b % 3]),
        },
        20 => Edit::InsertPersona {
            index: b % (map.personas.len() + 1),
            persona: Persona {
                id: map.fresh_persona_id(),
                name: text,
                ..Persona::default()
            },
        },
        21 => Edit::RemovePersona { id: persona? },
        22 => Edit::SetPersona {
            id: persona?,
            field: PersonaField::Goals(vec![text]),
        },
        _ => match b % 2 {
            0 => Edit::SetMap(MapField::Title(text)),
            _ => Edit::SetMap(MapField::Kind(MapKind::ALL[c % 4])),
        },
    })
}

fn template_map(index: usize) -> Map {
    let template = &templates::TEMPLATES[index % templates::TEMPLATES.len()];
    template.map().expect("templates load")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn undo_all_restores_the_original_and_redo_all_the_final(
        template in 0usize..7,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let original = template_map(template);
        let mut map = original.clone();
        let mut history = History::with_caps(usize::MAX, usize::MAX);
        // The map after each recorded step, to check every undo along the way.
        let mut states = vec![original.clone()];
        let mut ops = ops.into_iter().peekable();
        while let Some(op) = ops.next() {
            let mut edits = vec![op.clone()];
            if op.gesture {
                history.begin_gesture("gesture");
                edits.extend(ops.next());
            }
            let before_step = history.undo_len();
            for op in &edits {
                let Some(edit) = make_edit(&map, op) else { continue };
                let before = map.clone();
                if history.apply(&mut map, edit).is_err() {
                    prop_assert_eq!(&map, &before, "a failed edit changed the map");
                }
            }
            history.end_gesture();
            if history.undo_len() > before_step {
                states.push(map.clone());
            }
        }
        let final_map = map.clone();
        prop_assert_eq!(history.undo_len() + 1, states.len());

        for expected in states.iter().rev().skip(1) {
            prop_assert!(history.undo(&mut map).unwrap().is_some());
            prop_assert_eq!(&map, expected);
        }
        prop_assert!(history.undo(&mut map).unwrap().is_none());
        prop_assert_eq!(&map, &original);

        while history.redo(&mut map).unwrap().is_some() {}
        prop_assert_eq!(&map, &final_map);
    }
}
