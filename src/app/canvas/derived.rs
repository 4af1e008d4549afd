//! What the canvas derives from the document (geometry, where each card is, colours),
//! computed once per change of the document and then only read, frame after frame.

use super::super::Document;
use crate::model::{CardId, LaneKind, Map};
use crate::render::layout::{LayoutOptions, MapLayout};
use crate::render::text::Measure;
use crate::render::theme::{self, Theme};
use egui::{Pos2, Rect, pos2};
use std::collections::HashMap;

pub struct Derived {
    /// The document revision this was derived from.
    pub revision: u64,
    pub layout: MapLayout,
    /// Index into `Map::cards` by id: selection and drag lookups without a scan.
    pub card_index: HashMap<CardId, usize>,
    pub theme: Theme,
}

/// Where dragged cards would land.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DropSlot {
    pub stage: usize,
    pub lane: usize,
    /// Position among the cell's cards that are not dragged.
    pub index: usize,
    /// The insertion marker, in map points.
    pub marker: [Pos2; 2],
}

impl Derived {
    pub fn new(doc: &Document, measure: &mut Measure) -> Self {
        let map = doc.map();
        Self {
            revision: doc.revision(),
            layout: MapLayout::compute(map, measure, LayoutOptions::default()),
            card_index: map
                .cards
                .iter()
                .enumerate()
                .map(|(index, card)| (card.id.clone(), index))
                .collect(),
            theme: Theme::for_map(&map.theme, None),
        }
    }

    /// Indices into `Map::cards` of these ids, sorted, without the ones that are gone.
    pub fn indices_of<'a>(&self, ids: impl IntoIterator<Item = &'a CardId>) -> Vec<usize> {
        let mut indices: Vec<usize> = ids
            .into_iter()
            .filter_map(|id| self.card_index.get(id).copied())
            .collect();
        indices.sort_unstable();
        indices
    }

    /// The card cell under `pos` and the place in it for the dragged cards (indices
    /// into `Map::cards`, sorted), walking the cell's cards once.
    pub fn drop_slot(&self, map: &Map, dragged: &[usize], pos: Pos2) -> Option<DropSlot> {
        let layout = &self.layout;
        let (stage, lane) = layout.cell_at(pos)?;
        if map.lanes[lane].kind != LaneKind::Cards {
            return None;
        }
        let cell = layout.cell(stage, lane)?;
        let others = cell
            .cards
            .iter()
            .map(|&i| &layout.cards[i])
            .filter(|c| dragged.binary_search(&c.card).is_err());
        let (mut index, mut above, mut below): (usize, Option<Rect>, Option<Rect>) =
            (0, None, None);
        for card in others {
            if card.rect.center().y < pos.y {
                index += 1;
                above = Some(card.rect);
            } else {
                below = Some(card.rect);
                break;
            }
        }
        let y = match (above, below) {
            (Some(above), _) => above.bottom() + theme::CARD_GAP / 2.0,
            (None, Some(below)) => below.top() - theme::CARD_GAP / 2.0,
            (None, None) => cell.rect.top() + theme::CELL_PADDING,
        };
        let inset = theme::CELL_PADDING;
        Some(DropSlot {
            stage,
            lane,
            index,
            marker: [
                pos2(cell.rect.left() + inset, y),
                pos2(cell.rect.right() - inset, y),
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::vec2;

    /// The drop place found by looking at every card of the cell, as the canvas did.
    fn full_scan(derived: &Derived, map: &Map, dragged: &[usize], pos: Pos2) -> Option<DropSlot> {
        let layout = &derived.layout;
        let (stage, lane) = layout.cell_at(pos)?;
        if map.lanes[lane].kind != LaneKind::Cards {
            return None;
        }
        let cell = layout.cell(stage, lane)?;
        let others: Vec<Rect> = cell
            .cards
            .iter()
            .map(|&i| &layout.cards[i])
            .filter(|c| !dragged.contains(&c.card))
            .map(|c| c.rect)
            .collect();
        let index = others.iter().take_while(|r| r.center().y < pos.y).count();
        let y = match (
            index.checked_sub(1).and_then(|i| others.get(i)),
            others.get(index),
        ) {
            (Some(above), _) => above.bottom() + theme::CARD_GAP / 2.0,
            (None, Some(below)) => below.top() - theme::CARD_GAP / 2.0,
            (None, None) => cell.rect.top() + theme::CELL_PADDING,
        };
        let inset = theme::CELL_PADDING;
        let marker = [
            pos2(cell.rect.left() + inset, y),
            pos2(cell.rect.right() - inset, y),
        ];
        Some(DropSlot {
            stage,
            lane,
            index,
            marker,
        })
    }

    #[test]
    fn drop_slot_matches_a_scan_of_every_card_of_the_cell() {
        let doc = Document::new(crate::sample::generated_map(400));
        let derived = Derived::new(&doc, &mut Measure::new());
        let map = doc.map();
        let size = derived.layout.size;
        let draggings: [Vec<usize>; 3] = [vec![], vec![3], vec![0, 1, 2, 40, 41, 200]];
        for dragged in &draggings {
            for step in 0..2_000 {
                let pos = pos2(
                    (step * 37 % 1000) as f32 / 1000.0 * size.x,
                    (step * 91 % 997) as f32 / 997.0 * size.y,
                );
                assert_eq!(
                    derived.drop_slot(map, dragged, pos),
                    full_scan(&derived, map, dragged, pos),
                    "at {pos:?} dragging {dragged:?}"
                );
            }
        }
        // Just above and below every card of a cell, where the index changes.
        let cell = &derived.layout.cells[0];
        for &i in &cell.cards {
            let rect = derived.layout.cards[i].rect;
            for pos in [
                rect.center_top() - vec2(0.0, 1.0),
                rect.center(),
                rect.center_bottom(),
            ] {
                assert_eq!(
                    derived.drop_slot(map, &[], pos),
                    full_scan(&derived, map, &[], pos)
                );
            }
        }
    }

    #[test]
    fn card_index_agrees_with_the_map() {
        let doc = Document::new(crate::sample::generated_map(300));
        let derived = Derived::new(&doc, &mut Measure::new());
        for (index, card) in doc.map().cards.iter().enumerate() {
            assert_eq!(derived.card_index.get(&card.id), Some(&index));
            assert_eq!(doc.map().card_index(&card.id), Some(index));
        }
        let ids: Vec<CardId> = ["c9", "nope", "c2"].map(CardId::new).into();
        assert_eq!(derived.indices_of(&ids), vec![1, 8]);
    }
}
