//! Text measured once, at a reference scale, into fixed lines.
//!
//! egui lays text out for one pixels-per-point, and a line break can move by a word
//! between scales. Layout wraps every text here, at 1 pixel per point and a little
//! narrower than its box, and keeps the lines; the painter then draws each line
//! unwrapped, so the canvas at any zoom and an export at any scale break lines alike.

use super::fonts;
use super::layout::CardMemo;
use super::theme::{self, TextStyle, WRAP_SLACK};
use egui::epaint::text::{Fonts, LayoutJob, TextOptions, ViewportKey};
use egui::{Color32, Galley};
use std::sync::Arc;

/// Lines of text in one style, broken at fixed places. Cheap to clone: layouts share
/// the lines of cards that did not change.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBlock {
    pub lines: Arc<[String]>,
    pub style: TextStyle,
    /// Width of the widest line at the reference scale, in points.
    pub width: f32,
}

impl TextBlock {
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.style.line_height
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Text measurement with the bundled fonts, independent of any window, and the cards
/// measured with it by the last layout (so the next layout re-measures only changes).
pub struct Measure {
    fonts: Fonts,
    pub(crate) cards: CardMemo,
}

impl Default for Measure {
    fn default() -> Self {
        Self::new()
    }
}

impl Measure {
    pub fn new() -> Self {
        Self {
            fonts: Fonts::new(TextOptions::default(), theme::font_definitions())
                .with_font_providers(fonts::font_providers()),
            cards: CardMemo::default(),
        }
    }

    /// Starts a layout pass: texts and cards not measured in the last pass leave the
    /// caches.
    pub fn begin_pass(&mut self) {
        self.fonts
            .begin_pass(TextOptions::default(), ViewportKey::default());
        self.cards.begin_pass();
    }

    /// Wraps `text` to `max_width` points; explicit newlines are kept.
    pub fn wrap(&mut self, text: &str, style: &TextStyle, max_width: f32) -> TextBlock {
        if text.is_empty() {
            return TextBlock {
                lines: Arc::new([]),
                style: style.clone(),
                width: 0.0,
            };
        }
        let job = LayoutJob::simple(
            text.to_owned(),
            style.font.clone(),
            Color32::WHITE,
            (max_width - WRAP_SLACK).max(1.0),
        );
        let galley = self.fonts.with_pixels_per_point(1.0).layout_job(job);
        TextBlock {
            lines: frozen_lines(&galley).into(),
            style: style.clone(),
            width: galley.size().x,
        }
    }

    /// Width of `text` on one line.
    pub fn width(&mut self, text: &str, style: &TextStyle) -> f32 {
        self.wrap(text, style, f32::INFINITY).width
    }

    pub fn has_glyphs(&mut self, text: &str, style: &TextStyle) -> bool {
        self.fonts
            .with_pixels_per_point(1.0)
            .has_glyphs(&style.font, text)
    }
}

/// The rows of a galley as strings: soft breaks become line ends, trailing spaces go.
fn frozen_lines(galley: &Galley) -> Vec<String> {
    let mut chars = galley.job.text.chars();
    let mut lines = Vec::with_capacity(galley.rows.len());
    for row in &galley.rows {
        let line: String = chars
            .by_ref()
            .take(row.char_count_excluding_newline().0)
            .collect();
        if row.ends_with_newline {
            chars.next();
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_into_lines_that_fit() {
        let mut measure = Measure::new();
        let style = theme::card_notes();
        let text =
            "Before-and-after carousel with a shop-now link and a promo code for first orders.";
        let block = measure.wrap(text, &style, 160.0);
        assert!(block.lines.len() >= 3, "{:?}", block.lines);
        assert!(block.width <= 158.0);
        assert_eq!(block.lines.join(" "), text);
        for line in block.lines.iter() {
            assert!(measure.width(line, &style) <= 158.0, "{line}");
        }
    }

    #[test]
    fn every_channel_icon_is_in_the_bundled_fonts() {
        let mut measure = Measure::new();
        for channel in crate::model::Channel::ALL {
            let icon = theme::channel_icon(channel);
            assert!(
                measure.has_glyphs(icon, &theme::label()),
                "{channel:?}: {icon}"
            );
        }
    }

    #[test]
    fn explicit_newlines_are_kept() {
        let mut measure = Measure::new();
        let block = measure.wrap("one\n\nthree", &theme::label(), 200.0);
        assert_eq!(*block.lines, ["one", "", "three"]);
    }
}
