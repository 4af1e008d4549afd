//! Text measured once, at a reference scale, into fixed lines.
//!
//! egui lays text out for one pixels-per-point, and a line break can move by a word
//! between scales. Layout wraps every text here, at 1 pixel per point and a little
//! narrower than its box, and keeps the lines; the painter then draws each line
//! unwrapped, so the canvas at any zoom and an export at any scale break lines alike.
//!
//! What is laid out is the text as displayed, never more than a cap: invisible
//! characters beyond a few in a row are left out (the shaper spends quadratic time on
//! long runs of them), a grapheme keeps only its first characters, and a text over the
//! cap ends with [`TOO_LONG_MARKER`]. The model keeps every character.

use super::fonts;
use super::layout::CardMemo;
use super::theme::{self, TextStyle, WRAP_SLACK};
use egui::epaint::text::{Fonts, LayoutJob, TextOptions, ViewportKey};
use egui::{Color32, Galley};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// Characters of one text laid out, at most (a long card note is about 600).
pub const TEXT_CAP: usize = 2_000;
/// Characters laid out in one layout of a map, at most (plus a marker per text).
pub const MAP_TEXT_BUDGET: usize = 1_000_000;
/// Each text costs at least this much of the budget, however short.
const TEXT_OVERHEAD: usize = 8;
/// The cap of each text when a map's texts share a budget too small for all of them.
const TEXT_CAP_FLOOR: usize = 24;
/// Drawn after the part of a text that fits the cap.
pub const TOO_LONG_MARKER: &str = "… (text too long to draw)";
/// Invisible characters kept in a row: enough for an emoji tag sequence (a flag).
const INVISIBLE_RUN: usize = 8;
/// Characters kept of one grapheme: a letter with a few accents, an emoji sequence.
const GRAPHEME_CHARS: usize = 16;

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
    /// Characters one text may lay out in this pass.
    cap: usize,
    /// Characters the rest of this pass may lay out.
    budget: usize,
    /// The marker alone, by font and width: what texts past the budget show.
    markers: HashMap<u64, TextBlock>,
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
            cap: TEXT_CAP,
            budget: MAP_TEXT_BUDGET,
            markers: HashMap::new(),
        }
    }

    /// Starts a layout pass whose texts are `lengths` bytes long: texts and cards not
    /// measured in the last pass leave the caches, and each text gets its share of
    /// the map's budget.
    pub fn begin_pass(&mut self, lengths: impl Iterator<Item = usize> + Clone) {
        self.fonts
            .begin_pass(TextOptions::default(), ViewportKey::default());
        self.cap = text_cap(lengths);
        self.budget = MAP_TEXT_BUDGET;
        self.cards.begin_pass(self.cap);
    }

    /// What is left of this pass's budget, and what a text of `bytes` may cost of it.
    pub(crate) fn budget(&self) -> usize {
        self.budget
    }

    /// The most a text of `bytes` bytes can cost of the budget.
    pub(crate) fn cost_bound(&self, bytes: usize) -> usize {
        cost(bytes, self.cap)
    }

    /// Charges what a card measured in an earlier pass laid out.
    pub(crate) fn charge(&mut self, spent: usize) {
        self.budget = self.budget.saturating_sub(spent);
    }

    /// Wraps `text` to `max_width` points; explicit newlines are kept. Over the cap
    /// (or the pass's budget), the lines end with [`TOO_LONG_MARKER`].
    pub fn wrap(&mut self, text: &str, style: &TextStyle, max_width: f32) -> TextBlock {
        if text.is_empty() {
            return TextBlock {
                lines: Arc::new([]),
                style: style.clone(),
                width: 0.0,
            };
        }
        let allowance = self.cap.min(self.budget.saturating_sub(TEXT_OVERHEAD));
        if allowance == 0 {
            let key = egui::epaint::util::hash((&style.font, max_width.to_bits()));
            if let Some(marker) = self.markers.get(&key) {
                return marker.clone();
            }
            let marker = self.lay_out(TOO_LONG_MARKER.to_owned(), style, max_width);
            self.markers.insert(key, marker.clone());
            return marker;
        }
        let shown = display_text(text, allowance);
        self.charge(shown.chars + TEXT_OVERHEAD);
        self.lay_out(shown.text.into_owned(), style, max_width)
    }

    fn lay_out(&mut self, text: String, style: &TextStyle, max_width: f32) -> TextBlock {
        let job = LayoutJob::simple(
            text,
            style.font.clone(),
            Color32::WHITE,
            (max_width - WRAP_SLACK).max(1.0),
        );
        // Not kept in egui's cache: the lines are all a layout needs of the galley.
        let galley = self.fonts.layout_uncached(1.0, Arc::new(job));
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

/// What a text of `bytes` bytes costs of a map's budget at most, with `cap`.
fn cost(bytes: usize, cap: usize) -> usize {
    if bytes == 0 {
        return 0;
    }
    let marker = if bytes > cap {
        TOO_LONG_MARKER.chars().count()
    } else {
        0
    };
    bytes.min(cap) + marker + TEXT_OVERHEAD
}

/// The cap of each text of a map whose texts are `lengths` bytes long: [`TEXT_CAP`]
/// when they all fit the map's budget, else the largest cap at which they do (at
/// least [`TEXT_CAP_FLOOR`]), so a huge map shows the start of every text.
pub fn text_cap(lengths: impl Iterator<Item = usize> + Clone) -> usize {
    let total = |cap: usize| -> usize { lengths.clone().map(|bytes| cost(bytes, cap)).sum() };
    if total(TEXT_CAP) <= MAP_TEXT_BUDGET {
        return TEXT_CAP;
    }
    let (mut fits, mut over) = (TEXT_CAP_FLOOR, TEXT_CAP);
    while over - fits > 1 {
        let middle = (fits + over) / 2;
        if total(middle) <= MAP_TEXT_BUDGET {
            fits = middle;
        } else {
            over = middle;
        }
    }
    fits
}

/// A text as it is laid out, and how many characters that is.
pub struct Shown<'a> {
    pub text: Cow<'a, str>,
    pub chars: usize,
}

/// `text` as it is drawn: at most [`INVISIBLE_RUN`] invisible characters in a row,
/// at most [`GRAPHEME_CHARS`] characters of a grapheme, and at most `cap` characters,
/// followed by [`TOO_LONG_MARKER`] on its own line when some were left out.
pub fn display_text(text: &str, cap: usize) -> Shown<'_> {
    // Below U+0300 there are no combining marks and only one invisible character.
    let plain =
        text.bytes().all(|b| b < 0x80) || text.chars().all(|c| c < '\u{300}' && c != '\u{AD}');
    if plain {
        let end = text.char_indices().nth(cap).map(|(at, _)| at);
        return match end {
            None => Shown {
                chars: if text.is_ascii() {
                    text.len()
                } else {
                    text.chars().count()
                },
                text: Cow::Borrowed(text),
            },
            Some(end) => with_marker(text[..end].to_owned(), cap),
        };
    }
    let mut shown = String::with_capacity(text.len().min(4 * cap + 4));
    let (mut chars, mut invisible_run) = (0, 0);
    for grapheme in text.graphemes(true) {
        if chars >= cap {
            return with_marker(shown, chars);
        }
        for c in grapheme.chars().take(GRAPHEME_CHARS) {
            if is_default_ignorable(c) {
                invisible_run += 1;
                if invisible_run > INVISIBLE_RUN {
                    continue;
                }
            } else {
                invisible_run = 0;
            }
            shown.push(c);
            chars += 1;
        }
    }
    Shown {
        text: Cow::Owned(shown),
        chars,
    }
}

/// Whether `text` is drawn exactly as it is: nothing collapsed, nothing over the cap.
pub fn is_drawn_whole(text: &str) -> bool {
    match display_text(text, TEXT_CAP).text {
        Cow::Borrowed(_) => true,
        Cow::Owned(shown) => shown == text,
    }
}

fn with_marker(mut shown: String, chars: usize) -> Shown<'static> {
    if !shown.is_empty() {
        shown.push('\n');
    }
    shown.push_str(TOO_LONG_MARKER);
    Shown {
        chars: chars + 1 + TOO_LONG_MARKER.chars().count(),
        text: Cow::Owned(shown),
    }
}

/// Unicode's `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt): characters
/// drawn as nothing, such as the soft hyphen, joiners, bidi controls, variation
/// selectors, tags and the Hangul fillers.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
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
    fn long_runs_of_invisible_characters_are_drawn_as_a_few() {
        for c in [
            '\u{AD}',
            '\u{115F}',
            '\u{200B}',
            '\u{FE0F}',
            '\u{E0067}',
            '\u{3164}',
        ] {
            let text = format!("a{}b", c.to_string().repeat(100_000));
            let shown = display_text(&text, TEXT_CAP);
            let expected = format!("a{}b", c.to_string().repeat(INVISIBLE_RUN));
            assert_eq!(shown.text, expected, "U+{:04X}", c as u32);
            assert!(!is_drawn_whole(&text));
        }
        // Single joiners and selectors between letters are kept: they shape emoji and scripts.
        let family = "👩\u{200D}👩\u{200D}👧 ❤\u{FE0F}";
        assert_eq!(display_text(family, TEXT_CAP).text, family);
        assert!(is_drawn_whole(family));
    }

    #[test]
    fn a_grapheme_keeps_its_first_characters() {
        let text = format!("a{}b", "\u{301}".repeat(1_000));
        let shown = display_text(&text, TEXT_CAP);
        assert_eq!(shown.text.chars().count(), GRAPHEME_CHARS + 1);
        assert!(shown.text.ends_with('b'));
    }

    #[test]
    fn a_text_over_the_cap_ends_with_the_marker() {
        let text = "word ".repeat(1_000);
        let block = Measure::new().wrap(&text, &theme::card_notes(), 200.0);
        assert_eq!(
            block.lines.last().map(String::as_str),
            Some(TOO_LONG_MARKER)
        );
        let drawn: usize = block.lines.iter().map(|l| l.chars().count()).sum();
        assert!(
            drawn <= TEXT_CAP + TOO_LONG_MARKER.chars().count(),
            "{drawn}"
        );
        assert!(block.lines.join(" ").starts_with("word word"));
        // Under the cap, no marker.
        let short = Measure::new().wrap("word ", &theme::card_notes(), 200.0);
        assert_eq!(*short.lines, ["word"]);
    }

    #[test]
    fn a_map_of_many_long_texts_shares_the_budget() {
        let few = [500; 100];
        assert_eq!(text_cap(few.iter().copied()), TEXT_CAP);
        let many = [5_000; 10_000];
        let cap = text_cap(many.iter().copied());
        assert!((TEXT_CAP_FLOOR..TEXT_CAP).contains(&cap), "{cap}");
        let total: usize = many.iter().map(|&bytes| cost(bytes, cap)).sum();
        assert!(total <= MAP_TEXT_BUDGET, "{total}");
    }

    #[test]
    fn a_pass_never_lays_out_more_than_the_budget() {
        let mut measure = Measure::new();
        let text = "x".repeat(TEXT_CAP);
        measure.begin_pass(std::iter::repeat_n(text.len(), 10));
        let style = theme::card_notes();
        let (mut drawn, texts) = (0, 2 * MAP_TEXT_BUDGET / TEXT_CAP);
        for _ in 0..texts {
            let block = measure.wrap(&text, &style, 400.0);
            drawn += block.lines.iter().map(|l| l.chars().count()).sum::<usize>();
        }
        let last = measure.wrap(&text, &style, 400.0);
        assert_eq!(*last.lines, [TOO_LONG_MARKER]);
        // Texts past the budget show the marker alone.
        let markers = texts * TOO_LONG_MARKER.chars().count();
        assert!(drawn <= MAP_TEXT_BUDGET + markers, "{drawn}");
    }

    #[test]
    fn explicit_newlines_are_kept() {
        let mut measure = Measure::new();
        let block = measure.wrap("one\n\nthree", &theme::label(), 200.0);
        assert_eq!(*block.lines, ["one", "", "three"]);
    }
}
