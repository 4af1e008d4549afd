//! Search and filter: which cards are shown. A view of the map, never a change to it.
//!
//! The words of the search must all appear in a card's title, notes, tags or owner (in
//! any case). Each chip narrows by one field: its values are ORed, the chips ANDed.

use crate::model::{Card, Channel, Evidence, Map, PersonaId, Phase, Severity, StageId};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub query: String,
    pub channels: Vec<Channel>,
    pub severities: Vec<Severity>,
    pub evidence: Vec<Evidence>,
    pub phases: Vec<Phase>,
    pub personas: Vec<PersonaId>,
    pub tags: Vec<String>,
    pub stages: Vec<StageId>,
}

impl Filter {
    /// Whether anything narrows the cards: a search or a chip.
    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty() || self.has_chips()
    }

    pub fn has_chips(&self) -> bool {
        !(self.channels.is_empty()
            && self.severities.is_empty()
            && self.evidence.is_empty()
            && self.phases.is_empty()
            && self.personas.is_empty()
            && self.tags.is_empty()
            && self.stages.is_empty())
    }

    /// Whether a card passes every chip and the search.
    pub fn matches(&self, card: &Card) -> bool {
        self.passes_chips(card) && self.matches_query(card)
    }

    fn passes_chips(&self, card: &Card) -> bool {
        fn chip<T: PartialEq>(values: &[T], value: Option<&T>) -> bool {
            values.is_empty() || value.is_some_and(|value| values.contains(value))
        }
        chip(&self.channels, card.channel.as_ref())
            && chip(&self.severities, card.severity.as_ref())
            && chip(&self.evidence, card.evidence.as_ref())
            && chip(&self.phases, card.phase.as_ref())
            && chip(&self.personas, card.persona.as_ref())
            && chip(&self.stages, Some(&card.stage))
            && (self.tags.is_empty()
                || (card.tags.iter())
                    .any(|tag| self.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))))
    }

    /// Whether every word of the search is in the card's title, notes, tags or owner.
    pub fn matches_query(&self, card: &Card) -> bool {
        let words: Vec<String> = self
            .query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return true;
        }
        let mut text = format!("{}\n{}\n{}", card.title, card.notes, card.owner);
        for tag in &card.tags {
            text.push('\n');
            text.push_str(tag);
        }
        let text = text.to_lowercase();
        words.iter().all(|word| text.contains(word.as_str()))
    }

    /// The positions in `map.cards` of the cards shown, in the map's order.
    pub fn shown(&self, map: &Map) -> Vec<usize> {
        (map.cards.iter().enumerate())
            .filter(|(_, card)| self.matches(card))
            .map(|(at, _)| at)
            .collect()
    }

    /// Every tag of the map, once each, in order of first use (the tag chip's choices).
    pub fn tags_of(map: &Map) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in map.cards.iter().flat_map(|card| &card.tags) {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.clone());
            }
        }
        tags
    }
}

/// Adds the value to a chip, or takes it off when it is there.
pub fn toggle<T: PartialEq>(values: &mut Vec<T>, value: T) {
    match values.iter().position(|v| *v == value) {
        Some(at) => {
            values.remove(at);
        }
        None => values.push(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lane, LaneKind, Stage};

    fn map() -> Map {
        let mut map = Map {
            stages: vec![Stage::new("s1", "Ask"), Stage::new("s2", "Act")],
            lanes: vec![Lane::new("l1", "Pain points", LaneKind::Cards)],
            ..Map::default()
        };
        let mut chat = Card::new("c1", "s1".into(), "l1".into(), "Chat bot loops");
        chat.channel = Some(Channel::Chat);
        chat.severity = Some(Severity::High);
        chat.tags = vec!["Support".into()];
        let mut mail = Card::new("c2", "s2".into(), "l1".into(), "Receipt email late");
        mail.channel = Some(Channel::Email);
        mail.severity = Some(Severity::High);
        mail.owner = "Ops team".into();
        let mut low = Card::new("c3", "s2".into(), "l1".into(), "Chat hours unclear");
        low.channel = Some(Channel::Chat);
        low.severity = Some(Severity::Low);
        map.cards = vec![chat, mail, low];
        map
    }

    #[test]
    fn values_of_one_chip_are_ored_and_chips_are_anded() {
        let map = map();
        let mut filter = Filter {
            channels: vec![Channel::Chat, Channel::Email],
            ..Filter::default()
        };
        assert_eq!(filter.shown(&map), [0, 1, 2]);
        filter.severities = vec![Severity::High];
        assert_eq!(filter.shown(&map), [0, 1]);
        filter.stages = vec!["s2".into()];
        assert_eq!(filter.shown(&map), [1]);
    }

    #[test]
    fn every_word_of_the_search_must_appear_in_any_case() {
        let map = map();
        let search = |query: &str| {
            let filter = Filter {
                query: query.into(),
                ..Filter::default()
            };
            filter.shown(&map)
        };
        assert_eq!(search("chat"), [0, 2]);
        assert_eq!(search("CHAT hours"), [2]);
        assert_eq!(search("ops team"), [1], "owners are searched");
        assert_eq!(search("support"), [0], "tags are searched");
        assert_eq!(search("  "), [0, 1, 2]);
        assert!(search("nowhere").is_empty());
    }

    #[test]
    fn a_card_without_the_field_fails_a_chip_on_it() {
        let mut map = map();
        map.cards[0].channel = None;
        let filter = Filter {
            channels: vec![Channel::Chat],
            ..Filter::default()
        };
        assert_eq!(filter.shown(&map), [2]);
    }

    #[test]
    fn toggling_twice_clears_the_value() {
        let mut values = vec![Channel::Chat];
        toggle(&mut values, Channel::Email);
        toggle(&mut values, Channel::Chat);
        assert_eq!(values, [Channel::Email]);
    }
}
