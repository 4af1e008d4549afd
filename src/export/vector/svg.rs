//! SVG: a scene written as text. Glyphs are outlines from the bundled fonts, one
//! `<symbol>` per glyph and size placed with `<use>`, so the file looks the same in every
//! viewer; numbers have a fixed format, so one map always gives the same bytes. The map
//! itself rides along, compressed, in `<metadata>`.

use super::glyphs::GlyphKey;
use super::path::{Path, Segment};
use super::{ItemKind, Paint, Scene};
use base64::Engine;
use egui::{Color32, Pos2, Rect};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The element that carries the map: its start tag is searched for as written here.
const MAP_START: &str =
    "<journeymap:map xmlns:journeymap=\"urn:journeymap:map\" encoding=\"zlib-base64\">";
const MAP_END: &str = "</journeymap:map>";
/// The largest map text inflated from an SVG (the same as the file-size limit).
const MAX_MAP_TEXT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SvgError {
    #[error("an SVG image with no journeymap map in it (export it from journeymap to embed one)")]
    NoMap,
    #[error("the map in this SVG is damaged: {0}")]
    BadMap(String),
}

/// Whether `bytes` look like an SVG file (an XML declaration or an `<svg` element first).
pub fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<?xml") && text.contains("<svg") || text.starts_with("<svg")
}

/// Writes the scene as an SVG document, with `map_json` embedded when given.
pub fn write(scene: &Scene, map_json: Option<&str>) -> String {
    let mut out = String::new();
    let (w, h) = (num(scene.page.x), num(scene.page.y));
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">"#
    );
    if !scene.title.is_empty() {
        let _ = writeln!(out, "<title>{}</title>", escape(&scene.title));
    }
    if !scene.description.is_empty() {
        let _ = writeln!(out, "<desc>{}</desc>", escape(&scene.description));
    }
    if let Some(json) = map_json {
        let _ = writeln!(
            out,
            "<metadata>{MAP_START}{}{MAP_END}</metadata>",
            pack(json)
        );
    }
    let defs = Defs::of(scene);
    out.push_str(&defs.text);
    if scene.background.a() > 0 {
        let _ = writeln!(
            out,
            r#"<rect width="{w}" height="{h}"{}/>"#,
            paint_attr("fill", &Paint::Solid(scene.background), None)
        );
    }
    let scaled = scene.unit != 1.0;
    if scaled {
        let _ = writeln!(out, r#"<g transform="scale({})">"#, num(scene.unit));
    }
    let mut open_card = None;
    let mut open_clip = None;
    for (index, item) in scene.items.iter().enumerate() {
        if item.card != open_card || item.clip != open_clip {
            if open_clip.is_some() {
                out.push_str("</g>\n");
            }
            if item.card != open_card {
                if open_card.is_some() {
                    out.push_str("</g>\n");
                }
                if let Some(card) = item.card {
                    let title = scene.cards.get(card).map_or("", |c| c.title.as_str());
                    let _ = writeln!(out, "<g><title>{}</title>", escape(title));
                }
            }
            if let Some(clip) = item.clip {
                let _ = writeln!(
                    out,
                    r#"<g clip-path="url(#{})">"#,
                    defs.clips[&rect_key(clip)]
                );
            }
            open_card = item.card;
            open_clip = item.clip;
        }
        write_item(&mut out, scene, index, &defs);
    }
    if open_clip.is_some() {
        out.push_str("</g>\n");
    }
    if open_card.is_some() {
        out.push_str("</g>\n");
    }
    if scaled {
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

fn write_item(out: &mut String, scene: &Scene, index: usize, defs: &Defs) {
    let gradient = defs.gradients.get(&index);
    match &scene.items[index].kind {
        ItemKind::Fill { path, paint } => {
            let _ = writeln!(
                out,
                r#"<path d="{}"{}/>"#,
                path_data(path),
                paint_attr("fill", paint, gradient)
            );
        }
        ItemKind::Stroke { path, width, paint } => {
            let _ = writeln!(
                out,
                r#"<path d="{}" fill="none" stroke-width="{}"{}/>"#,
                path_data(path),
                num(*width),
                paint_attr("stroke", paint, gradient)
            );
        }
        ItemKind::Image {
            center,
            radius,
            image,
        } => {
            use base64::Engine as _;
            let [w, h] = image.size;
            let rgba: Vec<u8> = (image.pixels.iter())
                .flat_map(|c| c.to_srgba_unmultiplied())
                .collect();
            let png =
                crate::export::chunk::encode(&rgba, w as u32, h as u32, 72.0, &Default::default())
                    .unwrap_or_default();
            let data = base64::engine::general_purpose::STANDARD.encode(png);
            let (x, y, side) = (center.x - radius, center.y - radius, 2.0 * radius);
            let _ = writeln!(
                out,
                r#"<clipPath id="im{index}"><circle cx="{}" cy="{}" r="{}"/></clipPath><image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" clip-path="url(#im{index})" href="data:image/png;base64,{data}"/>"#,
                num(center.x),
                num(center.y),
                num(*radius),
                num(x),
                num(y),
                num(side),
                num(side)
            );
        }
        ItemKind::Glyphs { color, runs, text } => {
            let _ = writeln!(
                out,
                r#"<g aria-label="{}"{}>"#,
                escape(text),
                paint_attr("fill", &Paint::Solid(*color), None)
            );
            for run in runs {
                for glyph in run.glyphs.iter().filter(|g| g.visible) {
                    if let Some(id) = defs.glyphs.get(&glyph_key(glyph.key, run.size)) {
                        let _ = writeln!(
                            out,
                            r##"<use xlink:href="#{id}" x="{}" y="{}"/>"##,
                            num(glyph.origin.x),
                            num(glyph.origin.y)
                        );
                    }
                }
            }
            out.push_str("</g>\n");
        }
    }
}

/// What the items refer to: glyph symbols, clip paths and gradients, each written once.
struct Defs {
    text: String,
    glyphs: BTreeMap<(GlyphKey, u32), String>,
    clips: BTreeMap<[u32; 4], String>,
    gradients: BTreeMap<usize, String>,
}

impl Defs {
    fn of(scene: &Scene) -> Self {
        let mut defs = Defs {
            text: String::new(),
            glyphs: BTreeMap::new(),
            clips: BTreeMap::new(),
            gradients: BTreeMap::new(),
        };
        let mut body = String::new();
        for (index, item) in scene.items.iter().enumerate() {
            if let Some(clip) = item.clip {
                let count = defs.clips.len();
                defs.clips.entry(rect_key(clip)).or_insert_with(|| {
                    let id = format!("c{count}");
                    let _ = writeln!(
                        body,
                        r#"<clipPath id="{id}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
                        num(clip.min.x),
                        num(clip.min.y),
                        num(clip.width()),
                        num(clip.height())
                    );
                    id
                });
            }
            match &item.kind {
                ItemKind::Fill { paint, .. } | ItemKind::Stroke { paint, .. } => {
                    if let Paint::Vertical { top, bottom, stops } = paint {
                        let id = format!("gr{}", defs.gradients.len());
                        let _ = write!(
                            body,
                            r#"<linearGradient id="{id}" gradientUnits="userSpaceOnUse" x1="0" y1="{}" x2="0" y2="{}">"#,
                            num(*top),
                            num(*bottom)
                        );
                        for (offset, color) in stops {
                            let (hex, alpha) = color_parts(*color);
                            let _ = write!(
                                body,
                                r#"<stop offset="{}" stop-color="{hex}""#,
                                num(*offset)
                            );
                            if alpha < 1.0 {
                                let _ = write!(body, r#" stop-opacity="{}""#, num(alpha));
                            }
                            body.push_str("/>");
                        }
                        body.push_str("</linearGradient>\n");
                        defs.gradients.insert(index, id);
                    }
                }
                ItemKind::Image { .. } => {}
                ItemKind::Glyphs { runs, .. } => {
                    for run in runs {
                        for glyph in run.glyphs.iter().filter(|g| g.visible) {
                            let slot = glyph_key(glyph.key, run.size);
                            if defs.glyphs.contains_key(&slot) {
                                continue;
                            }
                            let id = format!("g{}", defs.glyphs.len());
                            let outline = scene
                                .glyphs
                                .outline(glyph.key, run.size)
                                .unwrap_or_default();
                            let _ = writeln!(
                                body,
                                r#"<symbol id="{id}" overflow="visible"><path d="{}"/></symbol>"#,
                                path_data(&outline)
                            );
                            defs.glyphs.insert(slot, id);
                        }
                    }
                }
            }
        }
        if !body.is_empty() {
            defs.text = format!("<defs>\n{body}</defs>\n");
        }
        defs
    }
}

/// A fill or stroke attribute; a gradient is the one written for the item (`gradient`).
fn paint_attr(attribute: &str, paint: &Paint, gradient: Option<&String>) -> String {
    match paint {
        Paint::Solid(color) => {
            let (hex, alpha) = color_parts(*color);
            if alpha < 1.0 {
                format!(
                    r#" {attribute}="{hex}" {attribute}-opacity="{}""#,
                    num(alpha)
                )
            } else {
                format!(r#" {attribute}="{hex}""#)
            }
        }
        Paint::Vertical { .. } => match gradient {
            Some(id) => format!(r#" {attribute}="url(#{id})""#),
            None => String::new(),
        },
    }
}

fn glyph_key(key: GlyphKey, size: f32) -> (GlyphKey, u32) {
    (key, (size * 100.0).round() as u32)
}

fn rect_key(rect: Rect) -> [u32; 4] {
    [rect.min.x, rect.min.y, rect.max.x, rect.max.y].map(f32::to_bits)
}

/// `#rrggbb` and the opacity of an egui colour (which is premultiplied).
fn color_parts(color: Color32) -> (String, f32) {
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    (format!("#{r:02x}{g:02x}{b:02x}"), a as f32 / 255.0)
}

fn path_data(path: &Path) -> String {
    let mut d = String::new();
    let p = |d: &mut String, point: Pos2| {
        let _ = write!(d, "{} {}", num(point.x), num(point.y));
    };
    for segment in &path.segments {
        if !d.is_empty() {
            d.push(' ');
        }
        match *segment {
            Segment::Move(to) => {
                d.push('M');
                p(&mut d, to);
            }
            Segment::Line(to) => {
                d.push('L');
                p(&mut d, to);
            }
            Segment::Quad(c, to) => {
                d.push('Q');
                p(&mut d, c);
                d.push(' ');
                p(&mut d, to);
            }
            Segment::Cubic(c0, c1, to) => {
                d.push('C');
                p(&mut d, c0);
                d.push(' ');
                p(&mut d, c1);
                d.push(' ');
                p(&mut d, to);
            }
            Segment::Close => d.push('Z'),
        }
    }
    d
}

/// A number with at most two decimals and no trailing zeros: deterministic, and a
/// hundredth of a point is far below what any printer shows.
pub fn num(value: f32) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let rounded = (value as f64 * 100.0).round() / 100.0;
    let mut text = format!("{rounded:.2}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text == "-0" {
        text = "0".to_owned();
    }
    text
}

/// Text as XML character data or attribute value; characters XML cannot hold at all
/// (C0 controls but tab and newline, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn pack(json: &str) -> String {
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write as _;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(json.as_bytes());
    let packed = encoder.finish().unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(packed)
}

/// The map JSON embedded in an SVG exported by journeymap.
pub fn read_map_json(bytes: &[u8]) -> Result<String, SvgError> {
    use std::io::Read;
    let text = std::str::from_utf8(bytes).map_err(|_| SvgError::NoMap)?;
    let start = text.find(MAP_START).ok_or(SvgError::NoMap)? + MAP_START.len();
    let length = text[start..]
        .find(MAP_END)
        .ok_or_else(|| SvgError::BadMap("the map element is not closed".to_owned()))?;
    let packed = base64::engine::general_purpose::STANDARD
        .decode(text[start..start + length].trim())
        .map_err(|err| SvgError::BadMap(format!("not base64: {err}")))?;
    let mut json = String::new();
    flate2::read::ZlibDecoder::new(packed.as_slice())
        .take(MAX_MAP_TEXT_BYTES + 1)
        .read_to_string(&mut json)
        .map_err(|err| SvgError::BadMap(format!("cannot inflate it: {err}")))?;
    if json.len() as u64 > MAX_MAP_TEXT_BYTES {
        return Err(SvgError::BadMap(format!(
            "it inflates to more than {} MB",
            MAX_MAP_TEXT_BYTES / (1024 * 1024)
        )));
    }
    Ok(json)
}
