use super::*;
use crate::render::text::TOO_LONG_MARKER;
use crate::templates::TEMPLATES;

fn layout_of(id: &str) -> (Map, MapLayout) {
    let map = crate::templates::find(id).unwrap().map().unwrap();
    let layout = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
    (map, layout)
}

#[test]
fn every_card_sits_inside_its_cell_without_overlap() {
    let mut measure = Measure::new();
    for template in &TEMPLATES {
        let map = template.map().unwrap();
        let layout = MapLayout::compute(&map, &mut measure, LayoutOptions::default());
        let card_lane_cards = map
            .cards
            .iter()
            .filter(|c| map.lane(&c.lane).unwrap().kind == LaneKind::Cards)
            .count();
        assert_eq!(layout.cards.len(), card_lane_cards, "{}", template.id);
        for cell in &layout.cells {
            for pair in cell.cards.windows(2) {
                let (a, b) = (&layout.cards[pair[0]], &layout.cards[pair[1]]);
                assert!(a.rect.bottom() < b.rect.top(), "{}: overlap", template.id);
            }
            for &i in &cell.cards {
                let card = &layout.cards[i];
                assert!(
                    cell.rect.contains_rect(card.rect),
                    "{}: card {} leaves its cell",
                    template.id,
                    card.card
                );
                for chip in &card.chips {
                    assert!(
                        card.rect.contains_rect(chip.rect),
                        "{}: a chip leaves card {}",
                        template.id,
                        card.card
                    );
                }
                let text_bottom = card.notes_pos.y + card.notes.height();
                assert!(
                    text_bottom <= card.rect.bottom(),
                    "{}: notes overflow",
                    template.id
                );
            }
        }
        assert!(
            layout
                .board
                .contains_rect(layout.cells.last().unwrap().rect)
        );
    }
}

#[test]
fn rows_grow_to_fit_the_tallest_cell() {
    let (mut map, before) = layout_of("5a");
    let lane = map.lane_index(&"pains".into()).unwrap();
    let card = map
        .cards
        .iter_mut()
        .find(|c| c.lane.as_str() == "pains")
        .unwrap();
    card.notes = "A much longer note. ".repeat(60);
    let after = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
    assert!(after.lanes[lane].row.span() > before.lanes[lane].row.span() + 100.0);
    assert!(after.size.y > before.size.y + 100.0);
}

#[test]
fn hit_testing_finds_cards_cells_and_insertion_points() {
    let (map, layout) = layout_of("5a");
    let first = &layout.cards[0];
    assert_eq!(layout.card_at(first.rect.center()), Some(0));
    let (stage, lane) = layout.cell_at(first.rect.center()).unwrap();
    assert_eq!(map.stages[stage].id, map.cards[first.card].stage);
    assert_eq!(map.lanes[lane].id, map.cards[first.card].lane);
    assert_eq!(
        layout.insertion_index(stage, lane, first.rect.center_top() - vec2(0.0, 2.0)),
        0
    );
    assert_eq!(
        layout.insertion_index(stage, lane, first.rect.center_bottom() + vec2(0.0, 2.0)),
        1
    );
    assert_eq!(layout.card_at(pos2(-5.0, -5.0)), None);
    assert_eq!(layout.cell_at(layout.corner.center()), None);
}

#[test]
fn emotion_points_stand_at_their_score() {
    let (map, layout) = layout_of("5a");
    let emotion = &layout.emotions[0];
    assert_eq!(emotion.points.len(), 5);
    for point in &emotion.points {
        assert_eq!(Some(point.score), map.cards[point.card].emotion);
        assert_eq!(emotion.score_at(point.center.y), point.score);
        assert_eq!(layout.emotion_point_at(point.center), Some(point.card));
    }
    assert!(emotion.y_of(2.0) < emotion.y_of(-2.0));
    assert_eq!(emotion.curves.len(), 1);
}

#[test]
fn two_personas_get_two_curves() {
    let (_, layout) = layout_of("buyer-journey");
    assert_eq!(layout.emotions[0].curves.len(), 2);
}

#[test]
fn the_smooth_curve_never_leaves_the_scale() {
    let points = [
        pos2(0.0, 100.0),
        pos2(50.0, 0.0),
        pos2(100.0, 100.0),
        pos2(150.0, 90.0),
        pos2(200.0, 0.0),
    ];
    let path = smooth_path(&points, Rangef::new(-20.0, 220.0));
    assert!(path.iter().all(|p| (0.0..=100.0).contains(&p.y)));
    assert!(path.windows(2).all(|w| w[0].x <= w[1].x));
    for point in points {
        assert!(path.contains(&point));
    }
}

#[test]
fn funnel_figures_show_the_drop_off() {
    let (_, layout) = layout_of("5a");
    assert_eq!(
        *layout.stages[0].funnel.as_ref().unwrap().lines,
        ["120,000"]
    );
    assert_eq!(
        *layout.stages[1].funnel.as_ref().unwrap().lines,
        ["38,000 · −68%"]
    );
}

#[test]
fn owner_initials() {
    assert_eq!(initials("Growth team"), "GT");
    assert_eq!(initials("cx"), "CX");
    assert_eq!(initials("  "), "");
}

/// Everything a layout holds, to compare two layouts whole.
fn snapshot(layout: &MapLayout) -> String {
    format!("{layout:?}")
}

#[test]
fn a_layout_after_edits_equals_a_fresh_layout_of_the_same_map() {
    let mut map = crate::sample::generated_map(150);
    let options = LayoutOptions::default();
    let mut measure = Measure::new();
    MapLayout::compute(&map, &mut measure, options);
    let stage_ids: Vec<_> = map.stages.iter().map(|s| s.id.clone()).collect();
    for step in 0..24_usize {
        let k = (step * 37) % map.cards.len();
        let card = &mut map.cards[k];
        match step % 8 {
            0 => card.title.push_str(" and a few more words to wrap"),
            1 => card.notes = "Short.".to_owned(),
            2 => card.tags.push(format!("tag {step}")),
            3 => card.owner = "Growth team".to_owned(),
            4 => card.severity = None,
            5 => card.title.clear(),
            6 => map.stages[step % stage_ids.len()].width = Some(180.0 + step as f32),
            _ => {
                // The card moves to another stage of its lane (it keeps its content).
                card.stage = stage_ids[(step / 8) % stage_ids.len()].clone();
            }
        }
        let incremental = MapLayout::compute(&map, &mut measure, options);
        let fresh = MapLayout::compute(&map, &mut Measure::new(), options);
        assert_eq!(
            snapshot(&incremental),
            snapshot(&fresh),
            "after step {step}"
        );
    }
}

#[test]
fn an_edit_re_measures_only_the_card_it_changed() {
    let mut map = crate::sample::generated_map(400);
    let options = LayoutOptions::default();
    let mut measure = Measure::new();
    MapLayout::compute(&map, &mut measure, options);
    let measured_first = measure.cards.measured();
    assert!(measured_first > 100, "{measured_first}");
    MapLayout::compute(&map, &mut measure, options);
    assert_eq!(
        measure.cards.measured(),
        0,
        "an unchanged map measures nothing"
    );
    map.cards[7].title.push_str(" (edited)");
    MapLayout::compute(&map, &mut measure, options);
    assert_eq!(measure.cards.measured(), 1);
}

#[test]
fn card_of_finds_each_card_of_the_map() {
    let (map, layout) = layout_of("5a");
    for index in 0..map.cards.len() {
        let expected = layout.cards.iter().find(|c| c.card == index);
        assert_eq!(
            layout.card_of(index).map(|c| c.rect),
            expected.map(|c| c.rect)
        );
    }
    assert!(layout.card_of(map.cards.len()).is_none());
}

#[test]
fn a_note_over_the_cap_shows_the_marker_and_the_map_keeps_it_whole() {
    let mut map = crate::templates::find("blank").unwrap().map().unwrap();
    let notes = "A very long note. ".repeat(1_000);
    let index = (map.cards.iter())
        .position(|c| map.lane(&c.lane).unwrap().kind == LaneKind::Cards)
        .unwrap();
    map.cards[index].notes = notes.clone();
    let before = map.clone();
    let mut measure = Measure::new();
    for _ in 0..2 {
        // Measured afresh, then from the memo: the same lines.
        let layout = MapLayout::compute(&map, &mut measure, LayoutOptions::default());
        let card = layout.card_of(index).unwrap();
        assert_eq!(
            card.notes.lines.last().map(String::as_str),
            Some(TOO_LONG_MARKER)
        );
        assert!(card.notes.lines.len() < 200, "{}", card.notes.lines.len());
    }
    assert_eq!(map, before);
    assert_eq!(map.cards[index].notes, notes);
}

#[test]
fn a_card_with_many_tags_shows_a_few_and_how_many_more() {
    let mut map = crate::templates::find("blank").unwrap().map().unwrap();
    let index = (map.cards.iter())
        .position(|c| map.lane(&c.lane).unwrap().kind == LaneKind::Cards)
        .unwrap();
    map.cards[index].tags = (0..1_000).map(|i| format!("t{i}")).collect();
    let layout = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
    let card = layout.card_of(index).unwrap();
    let tags: Vec<&str> = card
        .chips
        .iter()
        .filter(|c| c.kind == ChipKind::Tag)
        .map(|c| c.text.lines[0].as_str())
        .collect();
    assert_eq!(tags.len(), MAX_TAG_CHIPS + 1);
    assert_eq!(tags.last(), Some(&"+992 more"));
}

#[test]
fn min_size_is_never_more_than_the_layout() {
    let mut measure = Measure::new();
    for template in &TEMPLATES {
        let map = template.map().unwrap();
        let layout = MapLayout::compute(&map, &mut measure, LayoutOptions::default());
        let min = MapLayout::min_size(&map);
        assert!(
            min.x <= layout.size.x && min.y <= layout.size.y,
            "{}: {min:?} > {:?}",
            template.id,
            layout.size
        );
    }
}

#[test]
fn the_title_personas_and_legend_sit_inside_the_board() {
    let map = crate::templates::find("5a").unwrap().map().unwrap();
    let options = LayoutOptions {
        title: true,
        personas: true,
        legend: true,
        first_stage: 0,
    };
    let layout = MapLayout::compute(&map, &mut Measure::new(), options);
    let title = layout.title.as_ref().unwrap();
    let legend = layout.legend.as_ref().unwrap();
    let mut inside = vec![title.rect, legend.rect];
    inside.extend(layout.personas.iter().map(|p| p.rect));
    for rect in inside {
        assert!(
            layout.board.contains_rect(rect),
            "{rect:?} in {:?}",
            layout.board
        );
    }
    // In order, without overlap: title, personas, stage headers; legend under the grid.
    let personas_bottom = layout
        .personas
        .iter()
        .map(|p| p.rect.bottom())
        .fold(0.0, f32::max);
    assert!(title.rect.bottom() < layout.personas[0].rect.top());
    assert!(personas_bottom < layout.corner.top());
    assert!(layout.cells.last().unwrap().rect.bottom() < legend.rect.top());
    assert_eq!(layout.size.y, layout.board.bottom());
}

#[test]
fn the_grid_ends_where_the_title_does_with_a_margin_to_the_board_edge() {
    let map = crate::templates::find("buyer-journey")
        .unwrap()
        .map()
        .unwrap();
    let options = LayoutOptions {
        title: true,
        personas: true,
        legend: false,
        first_stage: 0,
    };
    let layout = MapLayout::compute(&map, &mut Measure::new(), options);
    let last_stage = layout.stages.last().unwrap();
    let right_margin = layout.board.right() - last_stage.header.right();
    let title = layout.title.as_ref().unwrap();
    // The band, the cells and the emotion curve stop short of the board's right edge by
    // the title's left margin, so the board reads symmetric.
    assert_eq!(right_margin, title.rect.left() - layout.board.left());
    assert_eq!(last_stage.column.max, last_stage.header.right());
    for emotion in &layout.emotions {
        assert!(emotion.plot.right() <= last_stage.column.max);
    }
    let persona_right = layout
        .personas
        .iter()
        .map(|p| p.rect.right())
        .fold(0.0, f32::max);
    assert!(persona_right <= last_stage.header.right() + 0.5);
}
