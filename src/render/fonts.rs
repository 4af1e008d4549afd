//! The bundled fonts: Inter for Latin, Greek and Cyrillic, egui's emoji fonts for icons,
//! and Noto Sans for the other scripts, parsed only once a text needs them.
//!
//! No system font is ever used, so an export looks the same on every machine. Each
//! Noto font is cut to its own script's characters (`assets/fonts/subset.py`), so no
//! two fonts share a character and the font that draws it never depends on the order
//! in which texts asked for them.

use egui::{FallbackRequest, FontData, FontDefinitions, FontFamily, FontInsert, FontProvider};
use std::sync::Arc;

pub const SEMIBOLD: &str = "semibold";
pub const BOLD: &str = "bold";

/// Inter in three weights, then egui's emoji fonts for icons.
pub fn font_definitions() -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    let fallbacks: Vec<String> = definitions.families[&FontFamily::Proportional]
        .iter()
        .filter(|name| name.as_str() != "Ubuntu-Light")
        .cloned()
        .collect();
    let faces: [(&str, &'static [u8], FontFamily); 3] = [
        (
            "Inter-Regular",
            include_bytes!("../../assets/fonts/Inter-Regular.otf"),
            FontFamily::Proportional,
        ),
        (
            "Inter-SemiBold",
            include_bytes!("../../assets/fonts/Inter-SemiBold.otf"),
            FontFamily::Name(SEMIBOLD.into()),
        ),
        (
            "Inter-Bold",
            include_bytes!("../../assets/fonts/Inter-Bold.otf"),
            FontFamily::Name(BOLD.into()),
        ),
    ];
    for (name, bytes, family) in faces {
        definitions
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
        let mut chain = vec![name.to_owned()];
        chain.extend(fallbacks.iter().cloned());
        definitions.families.insert(family, chain);
    }
    definitions
}

/// The bundled fonts and, for the characters they lack, the script fonts.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
    ctx.set_font_providers(font_providers());
}

pub fn font_providers() -> Vec<Arc<dyn FontProvider>> {
    vec![Arc::new(ScriptFonts)]
}

/// One bundled script font in its two weights, and the characters it has.
pub struct ScriptFont {
    pub name: &'static str,
    regular: &'static [u8],
    bold: &'static [u8],
    /// Inclusive ranges of code points, the ones `subset.py` keeps.
    blocks: &'static [(u32, u32)],
}

impl ScriptFont {
    fn covers(&self, c: char) -> bool {
        let c = c as u32;
        self.blocks
            .iter()
            .any(|&(low, high)| (low..=high).contains(&c))
    }
}

pub const SCRIPT_FONTS: [ScriptFont; 5] = [
    ScriptFont {
        name: "NotoSansHebrew",
        regular: include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf"),
        bold: include_bytes!("../../assets/fonts/NotoSansHebrew-Bold.ttf"),
        blocks: &[(0x0590, 0x05FF), (0xFB1D, 0xFB4F)],
    },
    ScriptFont {
        name: "NotoSansArabic",
        regular: include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
        bold: include_bytes!("../../assets/fonts/NotoSansArabic-Bold.ttf"),
        blocks: &[
            (0x0600, 0x06FF),
            (0x0750, 0x077F),
            (0x08A0, 0x08FF),
            (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFF),
        ],
    },
    ScriptFont {
        name: "NotoSansDevanagari",
        regular: include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf"),
        bold: include_bytes!("../../assets/fonts/NotoSansDevanagari-Bold.ttf"),
        blocks: &[(0x0900, 0x097F), (0xA8E0, 0xA8FF)],
    },
    ScriptFont {
        name: "NotoSansThai",
        regular: include_bytes!("../../assets/fonts/NotoSansThai-Regular.ttf"),
        bold: include_bytes!("../../assets/fonts/NotoSansThai-Bold.ttf"),
        blocks: &[(0x0E00, 0x0E7F)],
    },
    ScriptFont {
        name: "NotoSansCJKjp",
        regular: include_bytes!("../../assets/fonts/NotoSansCJKjp-Regular-subset.otf"),
        bold: include_bytes!("../../assets/fonts/NotoSansCJKjp-Bold-subset.otf"),
        blocks: &[
            (0x1100, 0x11FF),
            (0x3000, 0x30FF),
            (0x3130, 0x318F),
            (0x31F0, 0x31FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xAC00, 0xD7A3),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ],
    },
];

/// Hands egui the script font of a character no configured font has: the bold cut for
/// the semibold and bold families, the regular one otherwise.
struct ScriptFonts;

impl FontProvider for ScriptFonts {
    fn font_for(&self, request: &FallbackRequest<'_>) -> Option<FontInsert> {
        let c = request.cluster.chars().next()?;
        let font = SCRIPT_FONTS.iter().find(|font| font.covers(c))?;
        let bold = matches!(request.family, FontFamily::Name(name)
            if name.as_ref() == SEMIBOLD || name.as_ref() == BOLD);
        let (weight, bytes) = if bold {
            ("Bold", font.bold)
        } else {
            ("Regular", font.regular)
        };
        Some(FontInsert::new(
            &format!("{}-{weight}", font.name),
            FontData::from_static(bytes),
            Vec::new(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::Measure;
    use crate::render::theme;
    use egui::epaint::text::{Fonts, TextOptions};

    /// A phrase in each bundled script, with the features that need shaping.
    const SAMPLES: [(&str, &str); 9] = [
        ("Greek", "Καλημέρα κόσμε"),
        ("Cyrillic", "Привет, мир"),
        ("Hebrew", "שלום עולם"),
        ("Arabic", "مرحبا بالعالم"),
        ("Devanagari", "नमस्ते क्षत्रिय"),
        ("Thai", "สวัสดีชาวโลก"),
        ("Japanese", "こんにちは、購入手続き"),
        ("Chinese", "你好世界，购买"),
        ("Korean", "안녕하세요"),
    ];

    #[test]
    fn every_script_sample_has_glyphs_in_every_weight() {
        let mut measure = Measure::new();
        for style in [theme::card_notes(), theme::card_title(), theme::map_title()] {
            for (script, text) in SAMPLES {
                assert!(
                    measure.has_glyphs(text, &style),
                    "{script} in {:?}",
                    style.font.family
                );
            }
        }
    }

    #[test]
    fn without_the_script_fonts_the_samples_have_no_glyphs() {
        let mut fonts = Fonts::new(TextOptions::default(), font_definitions());
        let mut fonts = fonts.with_pixels_per_point(1.0);
        for (script, text) in &SAMPLES[2..] {
            assert!(!fonts.has_glyphs(&theme::label().font, text), "{script}");
        }
    }

    #[test]
    fn each_script_font_has_only_its_own_characters() {
        for font in &SCRIPT_FONTS {
            for bytes in [font.regular, font.bold] {
                let mut definitions = FontDefinitions::empty();
                definitions
                    .font_data
                    .insert(font.name.into(), Arc::new(FontData::from_static(bytes)));
                definitions
                    .families
                    .insert(FontFamily::Proportional, vec![font.name.into()]);
                let mut fonts = Fonts::new(TextOptions::default(), definitions);
                let mut fonts = fonts.with_pixels_per_point(1.0);
                let characters = fonts.characters(&FontFamily::Proportional);
                assert!(characters.len() > 50, "{}", font.name);
                for c in characters.keys() {
                    // Characters the base fonts also have (the Thai baht, fullwidth Latin
                    // in CJK) are drawn by them, first in every chain: only blocks matter.
                    assert!(font.covers(*c), "{}: U+{:04X}", font.name, *c as u32);
                }
            }
        }
        let blocks: Vec<(u32, u32)> = SCRIPT_FONTS
            .iter()
            .flat_map(|f| f.blocks)
            .copied()
            .collect();
        for (i, a) in blocks.iter().enumerate() {
            for b in &blocks[i + 1..] {
                assert!(a.1 < b.0 || b.1 < a.0, "{a:X?} overlaps {b:X?}");
            }
        }
    }
}
