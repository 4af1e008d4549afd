//! Design tokens: the one place for fonts, colours, spacing and radii of a map.
//!
//! The canvas and the PNG exporter install the same fonts and read the same theme, so
//! an export looks exactly like the screen.

use crate::model::{Channel, Color, Evidence, MapTheme, Severity, ThemeMode};
use egui::epaint::Shadow;
use egui::{Color32, FontFamily, FontId};

// Grid, in points (an 8 pt unit).
pub const LANE_HEADER_WIDTH: f32 = 176.0;
pub const STAGE_HEADER_HEIGHT: f32 = 56.0;
pub const DEFAULT_STAGE_WIDTH: f32 = 240.0;
pub const CELL_PADDING: f32 = 12.0;
pub const CARD_GAP: f32 = 8.0;
pub const CARD_PADDING: f32 = 12.0;
pub const CARD_RADIUS: u8 = 8;
pub const CARD_STRIPE: f32 = 4.0;
pub const BOARD_RADIUS: u8 = 12;
pub const MIN_CARD_LANE_HEIGHT: f32 = 88.0;
pub const EMOTION_LANE_HEIGHT: f32 = 176.0;
pub const DIVIDER_LANE_HEIGHT: f32 = 36.0;
pub const CHIP_HEIGHT: f32 = 20.0;
pub const CHIP_GAP: f32 = 6.0;
pub const TITLE_GAP: f32 = 24.0;
/// Text is wrapped this much narrower than its box, so that pixel snapping at any
/// scale can never push a line past the edge.
pub const WRAP_SLACK: f32 = 2.0;

/// A font and the distance between the baselines of two lines of it.
#[derive(Clone, Debug, PartialEq)]
pub struct TextStyle {
    pub font: FontId,
    pub line_height: f32,
}

pub fn style(size: f32, weight: Weight, line_height: f32) -> TextStyle {
    TextStyle {
        font: FontId::new(size, weight.family()),
        line_height,
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Weight {
    Regular,
    Semibold,
    Bold,
}

impl Weight {
    pub fn family(self) -> FontFamily {
        match self {
            Weight::Regular => FontFamily::Proportional,
            Weight::Semibold => FontFamily::Name(SEMIBOLD.into()),
            Weight::Bold => FontFamily::Name(BOLD.into()),
        }
    }
}

use super::fonts::{BOLD, SEMIBOLD};
pub use super::fonts::{font_definitions, install_fonts};

pub fn map_title() -> TextStyle {
    style(26.0, Weight::Bold, 32.0)
}
pub fn map_subtitle() -> TextStyle {
    style(13.0, Weight::Regular, 18.0)
}
pub fn stage_name() -> TextStyle {
    style(15.0, Weight::Semibold, 20.0)
}
pub fn stage_number() -> TextStyle {
    style(11.0, Weight::Semibold, 14.0)
}
pub fn lane_name() -> TextStyle {
    style(13.0, Weight::Semibold, 18.0)
}
pub fn card_title() -> TextStyle {
    style(13.0, Weight::Semibold, 18.0)
}
pub fn card_notes() -> TextStyle {
    style(11.5, Weight::Regular, 16.0)
}
pub fn label() -> TextStyle {
    style(11.0, Weight::Regular, 14.0)
}
pub fn label_strong() -> TextStyle {
    style(11.0, Weight::Semibold, 14.0)
}
pub fn caps() -> TextStyle {
    style(10.5, Weight::Semibold, 14.0)
}

/// Colours of one map in one mode.
#[derive(Clone, Debug)]
pub struct Theme {
    pub mode: ThemeMode,
    /// Behind everything (the page); an export may replace it.
    pub page: Color32,
    pub board: Color32,
    pub board_border: Color32,
    pub header_column: Color32,
    pub hairline: Color32,
    pub text: Color32,
    pub text_muted: Color32,
    pub text_faint: Color32,
    pub card: Color32,
    pub card_border: Color32,
    pub card_shadow: Shadow,
    /// Under the board; none in dark mode, and none when an export leaves it no room.
    pub board_shadow: Shadow,
    pub chip: Color32,
    pub chip_text: Color32,
    pub stage_palette: Vec<Color32>,
    pub lane_palette: Vec<Color32>,
    /// Persona lines and avatars: blues and violets, clear of the red–green emotion scale.
    pub persona_palette: Vec<Color32>,
    /// Column tint: how much of the stage colour shows behind its cells.
    pub column_tint: f32,
    pub accent: Color32,
    /// The ring around cards a search or filter shows, apart from the selection's.
    pub search_match: Color32,
}

impl Theme {
    pub fn light() -> Self {
        Self {
            mode: ThemeMode::Light,
            page: hex(0xf4f5f8),
            board: Color32::WHITE,
            board_border: hex(0xe3e6ec),
            header_column: hex(0xfafbfc),
            hairline: hex(0xe8eaef),
            text: hex(0x111827),
            text_muted: hex(0x4b5563),
            text_faint: hex(0x5f6673),
            card: Color32::WHITE,
            card_border: hex(0xe5e7eb),
            card_shadow: Shadow {
                offset: [0, 2],
                blur: 8,
                spread: 0,
                color: Color32::from_black_alpha(22),
            },
            board_shadow: Shadow {
                offset: [0, 2],
                blur: 8,
                spread: 0,
                color: Color32::from_black_alpha(22),
            },
            chip: hex(0xf1f3f6),
            chip_text: hex(0x374151),
            stage_palette: stage_palette(),
            lane_palette: lane_palette(),
            persona_palette: persona_palette(),
            column_tint: 0.045,
            accent: hex(0x2563eb),
            search_match: hex(0xf59e0b),
        }
    }

    pub fn dark() -> Self {
        Self {
            mode: ThemeMode::Dark,
            page: hex(0x0d0f14),
            board: hex(0x161a21),
            board_border: hex(0x2a303a),
            header_column: hex(0x1a1e26),
            hairline: hex(0x262b34),
            text: hex(0xf3f4f6),
            text_muted: hex(0xc0c6d0),
            text_faint: hex(0x9aa3b0),
            card: hex(0x232833),
            card_border: hex(0x313846),
            card_shadow: Shadow {
                offset: [0, 2],
                blur: 10,
                spread: 0,
                color: Color32::from_black_alpha(90),
            },
            board_shadow: Shadow::NONE,
            chip: hex(0x2e3440),
            chip_text: hex(0xdde1e7),
            stage_palette: stage_palette(),
            lane_palette: lane_palette(),
            persona_palette: persona_palette(),
            column_tint: 0.07,
            accent: hex(0x60a5fa),
            search_match: hex(0xfbbf24),
        }
    }

    /// The theme a map asks for, optionally forced to light or dark.
    pub fn for_map(theme: &MapTheme, mode: Option<ThemeMode>) -> Self {
        let mut resolved = match mode.unwrap_or(theme.mode) {
            ThemeMode::Light => Self::light(),
            ThemeMode::Dark => Self::dark(),
        };
        if let Some(background) = theme.background {
            resolved.page = color32(background);
        }
        resolved
    }

    pub fn stage_color(&self, index: usize, custom: Option<Color>) -> Color32 {
        custom.map_or(
            self.stage_palette[index % self.stage_palette.len()],
            color32,
        )
    }

    pub fn lane_color(&self, index: usize, custom: Option<Color>) -> Color32 {
        custom.map_or(self.lane_palette[index % self.lane_palette.len()], color32)
    }

    /// A persona's colour: its own, else one of the palette by its position.
    pub fn persona_color(&self, index: usize, custom: Option<Color>) -> Color32 {
        custom.map_or(
            self.persona_palette[index % self.persona_palette.len()],
            color32,
        )
    }

    /// The light stage colour behind a column's cells.
    pub fn column_fill(&self, stage: Color32) -> Color32 {
        mix(self.board, stage, self.column_tint)
    }

    pub fn chip_for(&self, tint: Color32) -> Color32 {
        match self.mode {
            ThemeMode::Light => mix(Color32::WHITE, tint, 0.12),
            ThemeMode::Dark => mix(self.card, tint, 0.28),
        }
    }

    pub fn chip_text_for(&self, tint: Color32) -> Color32 {
        match self.mode {
            ThemeMode::Light => mix(tint, Color32::BLACK, 0.35),
            ThemeMode::Dark => mix(tint, Color32::WHITE, 0.55),
        }
    }
}

/// Emotion -2..+2 from red through amber to green; the face drawn with it carries the
/// meaning too, for colour-blind readers.
pub fn emotion_color(score: f32) -> Color32 {
    const STOPS: [u32; 5] = [0xd62839, 0xf0702a, 0xe8b020, 0x7cb82f, 0x1f9d55];
    let t = (score.clamp(-2.0, 2.0) + 2.0).min(3.999);
    let (index, frac) = (t.floor() as usize, t.fract());
    mix(hex(STOPS[index]), hex(STOPS[index + 1]), frac)
}

pub fn severity_color(severity: Severity) -> Color32 {
    match severity {
        Severity::Low => hex(0xd4a106),
        Severity::Medium => hex(0xea6a0c),
        Severity::High => hex(0xd62839),
    }
}

pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
    }
}

/// A mark that tells severity apart without colour: one to three bars.
pub fn severity_bars(severity: Severity) -> usize {
    match severity {
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
    }
}

pub fn evidence_label(evidence: Evidence) -> &'static str {
    match evidence {
        Evidence::Observed => "Observed",
        Evidence::Assumed => "Assumed",
        Evidence::Proposed => "Proposed",
    }
}

/// A channel's icon: a glyph of the bundled emoji font.
pub fn channel_icon(channel: Channel) -> &'static str {
    match channel {
        Channel::Website => "🌐",
        Channel::Email => "✉",
        Channel::Sms => "📱",
        Channel::Push => "🔔",
        Channel::Social => "👥",
        Channel::Search => "🔍",
        Channel::Ads => "📣",
        Channel::Chat => "💬",
        Channel::Phone => "📞",
        Channel::Store => "🏬",
        Channel::Marketplace => "🏪",
        Channel::App => "📲",
        Channel::Reviews => "⭐",
        Channel::Referral => "🎁",
        Channel::Delivery => "🚚",
        Channel::Support => "🎧",
        Channel::Other => "✳",
    }
}

/// A hue per channel, for its chip.
pub fn channel_color(channel: Channel) -> Color32 {
    let palette = [
        0x2563eb, 0x7c3aed, 0x0891b2, 0xdb2777, 0xe11d48, 0x4f46e5, 0xea580c, 0x059669, 0x0d9488,
        0x9333ea, 0xca8a04, 0x2563eb, 0xd97706, 0x16a34a, 0x0284c7, 0x64748b, 0x6b7280,
    ];
    let index = Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0);
    hex(palette[index % palette.len()])
}

/// Stage headers step from cool to warm; every one carries white text at 4.5:1 or more.
fn stage_palette() -> Vec<Color32> {
    [
        0x4f46e5, 0x0369a1, 0x0f766e, 0x15803d, 0xb45309, 0xc2410c, 0xbe123c, 0x9333ea,
    ]
    .into_iter()
    .map(hex)
    .collect()
}

fn persona_palette() -> Vec<Color32> {
    [0x2563eb, 0x7c3aed, 0x0891b2, 0x475569]
        .into_iter()
        .map(hex)
        .collect()
}

fn lane_palette() -> Vec<Color32> {
    [
        0x2563eb, 0xea580c, 0xdb2777, 0x7c3aed, 0x16a34a, 0xdc2626, 0x475569, 0x0d9488,
    ]
    .into_iter()
    .map(hex)
    .collect()
}

pub const fn hex(rgb: u32) -> Color32 {
    Color32::from_rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
}

pub fn color32(color: Color) -> Color32 {
    Color32::from_rgb(color.r, color.g, color.b)
}

/// `a` blended towards `b` by `t` (0..1), in sRGB; both opaque.
pub fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let lerp = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(lerp(a.r(), b.r()), lerp(a.g(), b.g()), lerp(a.b(), b.b()))
}

/// WCAG relative luminance of an opaque colour.
pub fn luminance(color: Color32) -> f32 {
    let channel = |c: u8| {
        let c = c as f32 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.r()) + 0.7152 * channel(color.g()) + 0.0722 * channel(color.b())
}

pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// White or near-black, whichever reads better on `background`.
pub fn text_on(background: Color32) -> Color32 {
    let dark = hex(0x111827);
    if contrast(Color32::WHITE, background) >= contrast(dark, background) {
        Color32::WHITE
    } else {
        dark
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_meets_wcag_aa_in_both_themes() {
        for theme in [Theme::light(), Theme::dark()] {
            for background in [theme.board, theme.card, theme.header_column, theme.page] {
                for text in [theme.text, theme.text_muted, theme.text_faint] {
                    let ratio = contrast(text, background);
                    assert!(
                        ratio >= 4.5,
                        "{:?}: {text:?} on {background:?} is {ratio:.2}",
                        theme.mode
                    );
                }
            }
            for stage in &theme.stage_palette {
                let cell = theme.column_fill(*stage);
                assert!(
                    contrast(theme.text_muted, cell) >= 4.5,
                    "{:?} muted on {cell:?}",
                    theme.mode
                );
                let ratio = contrast(text_on(*stage), *stage);
                assert!(ratio >= 4.5, "stage header {stage:?}: {ratio:.2}");
            }
            for channel in Channel::ALL {
                let tint = channel_color(channel);
                let ratio = contrast(theme.chip_text_for(tint), theme.chip_for(tint));
                assert!(
                    ratio >= 4.5,
                    "{:?} chip {channel:?}: {ratio:.2}",
                    theme.mode
                );
            }
        }
    }

    #[test]
    fn persona_colours_stay_clear_of_the_emotion_scale() {
        let theme = Theme::light();
        for color in &theme.persona_palette {
            let hue = egui::ecolor::Hsva::from(*color).h * 360.0;
            assert!((180.0..=290.0).contains(&hue), "{color:?} has hue {hue:.0}");
        }
    }

    #[test]
    fn emotion_colours_run_from_red_to_green() {
        assert_eq!(emotion_color(-2.0), hex(0xd62839));
        assert_eq!(emotion_color(2.0), hex(0x1f9d55));
        assert_eq!(emotion_color(0.0), hex(0xe8b020));
    }
}
