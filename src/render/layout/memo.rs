//! Cards measured by earlier layouts, so that the layout after an edit measures only
//! the cards the edit changed (typing in a card of a 10,000-card map re-wraps one card).
//!
//! Keyed by a 64-bit hash of what a card's measurement reads, as egui keys its galley
//! cache: comparing the texts themselves would touch every card's strings again.

use super::CardLayout;
use crate::model::{Card, Channel, Evidence, Severity};
use std::collections::HashMap;

/// Everything of a card that its measured layout depends on, besides the column width.
#[derive(Hash)]
struct Measured<'a> {
    title: &'a str,
    notes: &'a str,
    channel: Option<Channel>,
    metric: Option<(&'a str, &'a str)>,
    severity: Option<Severity>,
    tags: &'a [String],
    evidence: Option<Evidence>,
    emotion: Option<i8>,
    owner: &'a str,
}

impl<'a> Measured<'a> {
    fn of(card: &'a Card) -> Self {
        Self {
            title: &card.title,
            notes: &card.notes,
            channel: card.channel,
            metric: card
                .metric
                .as_ref()
                .map(|m| (m.label.as_str(), m.value.as_str())),
            severity: card.severity,
            tags: &card.tags,
            evidence: card.evidence,
            emotion: card.emotion,
            owner: &card.owner,
        }
    }
}

struct Entry {
    /// Laid out at the origin, as `card_layout` returns it.
    layout: CardLayout,
    /// Characters of the text budget it laid out.
    spent: usize,
    pass: u64,
}

#[derive(Default)]
pub struct CardMemo {
    entries: HashMap<u64, Entry>,
    pass: u64,
    /// The cap of each text the entries were measured with.
    cap: usize,
    /// Cards measured (not found) in this pass.
    measured: usize,
}

impl CardMemo {
    /// Starts a layout pass: cards not laid out in the previous pass are forgotten,
    /// and all of them when texts are capped differently.
    pub fn begin_pass(&mut self, cap: usize) {
        let previous = self.pass;
        if cap != self.cap {
            self.entries.clear();
            self.cap = cap;
        }
        self.entries.retain(|_, entry| entry.pass >= previous);
        self.pass += 1;
        self.measured = 0;
    }

    /// The card measured for `width` before, if its text and chips are unchanged.
    /// With the characters of the text budget it laid out.
    pub fn get(&mut self, card: &Card, width: f32) -> Option<(CardLayout, usize)> {
        let entry = self.entries.get_mut(&key(card, width))?;
        entry.pass = self.pass;
        Some((entry.layout.clone(), entry.spent))
    }

    pub fn insert(&mut self, card: &Card, width: f32, layout: &CardLayout, spent: usize) {
        let entry = Entry {
            layout: layout.clone(),
            spent,
            pass: self.pass,
        };
        self.entries.insert(key(card, width), entry);
        self.measured += 1;
    }

    /// How many cards this pass had to measure.
    #[cfg(test)]
    pub fn measured(&self) -> usize {
        self.measured
    }
}

fn key(card: &Card, width: f32) -> u64 {
    egui::epaint::util::hash((Measured::of(card), width.to_bits()))
}
