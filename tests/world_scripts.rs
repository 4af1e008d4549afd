//! Text in every bundled script is drawn with real glyphs in an export, never as tofu:
//! one card per script, as a golden image, and compared against the same text with
//! each character replaced by one no font has (what a missing font would draw).
//! `UPDATE_SNAPSHOTS=1 cargo test --test world_scripts` rewrites the images.

use egui_kittest::SnapshotOptions;
use journeymap::export::{self, ExportOptions};
use journeymap::model::Map;
use journeymap::render::text::Measure;
use journeymap::render::theme;

/// A private-use character of plane 16: in no bundled font (egui's icon fonts use the BMP's), so it is drawn as the tofu box.
const NO_GLYPH: char = '\u{10fffd}';

/// The map title (bold), the stage name and card title (semibold) and the notes
/// (regular) all in `text`, exported with only that card.
fn card_in(text: &str, notes: &str) -> (Map, ExportOptions) {
    let mut map = journeymap::templates::find("blank").unwrap().map().unwrap();
    let card = &mut map.cards[0];
    card.title = text.to_owned();
    card.notes = notes.to_owned();
    card.tags.clear();
    let (stage, lane, id) = (card.stage.clone(), card.lane.clone(), card.id.clone());
    map.title = text.to_owned();
    map.description.clear();
    map.stages.iter_mut().find(|s| s.id == stage).unwrap().name = text.to_owned();
    map.lanes.iter_mut().find(|l| l.id == lane).unwrap().name = text.to_owned();
    let options = ExportOptions {
        scale: 2.0,
        padding: 16.0,
        selection: Some(vec![id]),
        ..ExportOptions::default()
    };
    (map, options)
}

fn render(text: &str, notes: &str) -> image::RgbaImage {
    let (map, options) = card_in(text, notes);
    let frame = export::prepare(&map, &options, &mut Measure::new()).unwrap();
    let mut pixels = frame.image();
    pixels.unpremultiply();
    image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).unwrap()
}

fn as_tofu(text: &str) -> String {
    text.chars()
        .map(|c| if c == ' ' { c } else { NO_GLYPH })
        .collect()
}

/// The golden image of `text`, and proof that its glyphs are not the tofu boxes.
fn script(name: &str, text: &str, notes: &str) {
    assert!(!Measure::new().has_glyphs(&NO_GLYPH.to_string(), &theme::label()));
    let drawn = render(text, notes);
    let tofu = render(&as_tofu(text), &as_tofu(notes));
    let differing = if drawn.dimensions() == tofu.dimensions() {
        drawn
            .pixels()
            .zip(tofu.pixels())
            .filter(|(a, b)| a != b)
            .count()
    } else {
        usize::MAX
    };
    assert!(
        differing > 2_000,
        "{name} looks like tofu: {differing} pixels differ"
    );
    let tolerance = SnapshotOptions::new().threshold(1.0).max_failed_pixels(40);
    egui_kittest::image_snapshot_options(&drawn, format!("scripts/{name}"), &tolerance);
}

#[test]
fn greek_is_drawn() {
    script("greek", "Αγορά εισιτηρίων", "Ο πελάτης συγκρίνει τιμές.");
}

#[test]
fn cyrillic_is_drawn() {
    script("cyrillic", "Оформление заказа", "Клиент сравнивает цены.");
}

#[test]
fn hebrew_is_drawn() {
    script("hebrew", "תשלום", "הלקוח משווה מחירים");
}

#[test]
fn arabic_is_drawn() {
    script("arabic", "الدفع", "يقارن العميل الأسعار");
}

#[test]
fn devanagari_is_drawn() {
    script("devanagari", "भुगतान", "ग्राहक क्षेत्र में कीमतों की तुलना करता है");
}

#[test]
fn thai_is_drawn() {
    script("thai", "ชำระเงิน", "ลูกค้าเปรียบเทียบราคา");
}

#[test]
fn japanese_is_drawn() {
    script("japanese", "購入手続き", "お客様は価格を比較します。");
}

#[test]
fn chinese_is_drawn() {
    script("chinese", "结账付款", "顾客比较价格。");
}

#[test]
fn korean_is_drawn() {
    script("korean", "결제", "고객이 가격을 비교합니다.");
}

#[test]
fn emoji_are_drawn() {
    script("emoji", "😀 👍 ❤", "🚚 📦 ⭐");
}
