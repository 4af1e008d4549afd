//! One slide's shapes as PresentationML: rounded rects, chevrons, lines, freeforms and
//! text boxes at absolute positions (EMU), each named after what it is, and the
//! presentation's steps drawn with them from the map's layout.

use super::Slide;
use crate::model::{LaneKind, Map};
use crate::render::layout::MapLayout;
use crate::render::present::{
    self, CAPTION_HEIGHT, PERSONA_WIDTH, SLIDE, SLIDE_MARGIN, SUMMARY_COLUMN, SlideText, Step,
};
use crate::render::text::TextBlock;
use crate::render::theme::{self as t, Theme};
use egui::emath::TSTransform;
use egui::{Color32, FontFamily, Pos2, Rect, pos2, vec2};
use std::fmt::Write as _;

/// A 16:9 slide, in EMU (PowerPoint's widescreen, 13.33 × 7.5 in).
pub const SLIDE_EMU: (i64, i64) = (12_192_000, 6_858_000);
/// EMU per point.
const EMU: f32 = 12_700.0;
/// The typeface the shapes name (PowerPoint substitutes its own sans where it lacks it).
pub const FONT: &str = "Inter";

fn emu(points: f32) -> i64 {
    (points * EMU).round() as i64
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `<a:srgbClr>` of a colour, with its alpha when it has one.
fn color(color: Color32) -> String {
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    match a {
        255 => format!(r#"<a:srgbClr val="{r:02X}{g:02X}{b:02X}"/>"#),
        a => format!(
            r#"<a:srgbClr val="{r:02X}{g:02X}{b:02X}"><a:alpha val="{}"/></a:srgbClr>"#,
            a as u32 * 100_000 / 255
        ),
    }
}

fn solid(fill: Color32) -> String {
    format!("<a:solidFill>{}</a:solidFill>", color(fill))
}

/// A run of text of one style.
pub struct Run {
    pub text: String,
    pub size: f32,
    pub bold: bool,
    pub color: Color32,
}

/// One line of a text body, at exact line spacing.
pub struct Para {
    pub runs: Vec<Run>,
    pub line: f32,
    pub align: &'static str,
}

/// The lines of a laid-out block, one paragraph each, so nothing re-wraps.
fn paras(block: &TextBlock, color: Color32, scale: f32, align: &'static str) -> Vec<Para> {
    let bold = matches!(&block.style.font.family, FontFamily::Name(_));
    (block.lines.iter())
        .map(|line| Para {
            runs: vec![Run {
                text: line.clone(),
                size: block.style.font.size * scale,
                bold,
                color,
            }],
            line: block.style.line_height * scale,
            align,
        })
        .collect()
}

pub struct Outline {
    pub width: f32,
    pub color: Color32,
    pub dashed: bool,
}

/// A shape's geometry: a preset with its adjustment, or a freeform path.
enum Geometry<'a> {
    Preset(&'static str, Option<i64>),
    Path(&'a [Pos2]),
}

pub struct SlideXml {
    pub name: String,
    body: String,
    next_id: u32,
    names: Vec<String>,
    /// Open groups: where each one's shapes start in `body`, its name and bounds.
    groups: Vec<(usize, String, Rect)>,
}

impl SlideXml {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            body: String::new(),
            // Id 1 is the slide's shape tree.
            next_id: 2,
            names: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// The shapes' names, in order (for the tests).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn id(&mut self, name: &str) -> u32 {
        self.names.push(name.to_owned());
        self.next_id += 1;
        self.next_id - 1
    }

    fn grow_groups(&mut self, rect: Rect) {
        for (_, _, bounds) in &mut self.groups {
            *bounds = bounds.union(rect);
        }
    }

    pub fn begin_group(&mut self, name: &str) {
        self.groups
            .push((self.body.len(), name.to_owned(), Rect::NOTHING));
    }

    pub fn end_group(&mut self) {
        let Some((start, name, bounds)) = self.groups.pop() else {
            return;
        };
        if !bounds.is_positive() {
            return;
        }
        let id = self.id(&name);
        let (x, y, w, h) = (
            emu(bounds.min.x),
            emu(bounds.min.y),
            emu(bounds.width()),
            emu(bounds.height()),
        );
        let head = format!(
            r#"<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{id}" name="{}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/><a:chOff x="{x}" y="{y}"/><a:chExt cx="{w}" cy="{h}"/></a:xfrm></p:grpSpPr>"#,
            escape(&name)
        );
        self.body.insert_str(start, &head);
        self.body.push_str("</p:grpSp>");
    }

    #[allow(clippy::too_many_arguments)]
    fn shape(
        &mut self,
        name: &str,
        rect: Rect,
        geometry: Geometry,
        fill: Option<Color32>,
        outline: Option<&Outline>,
        shadow: bool,
        text: &[Para],
        anchor: &str,
    ) {
        if !rect.is_finite() || rect.width() < 0.0 || rect.height() < 0.0 {
            return;
        }
        self.grow_groups(rect);
        let id = self.id(name);
        let (x, y) = (emu(rect.min.x), emu(rect.min.y));
        let (w, h) = (emu(rect.width()).max(1), emu(rect.height()).max(1));
        let body = &mut self.body;
        let text_box = match (fill, outline) {
            (None, None) if !text.is_empty() => r#" txBox="1""#,
            _ => "",
        };
        let _ = write!(
            body,
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{}"/><p:cNvSpPr{text_box}/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>"#,
            escape(name)
        );
        match geometry {
            Geometry::Preset(preset, adj) => {
                let _ = write!(body, r#"<a:prstGeom prst="{preset}"><a:avLst>"#);
                if let Some(adj) = adj {
                    let _ = write!(body, r#"<a:gd name="adj" fmla="val {adj}"/>"#);
                }
                body.push_str("</a:avLst></a:prstGeom>");
            }
            Geometry::Path(points) => {
                let _ = write!(
                    body,
                    r#"<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="l" t="t" r="r" b="b"/><a:pathLst><a:path w="{w}" h="{h}" fill="none">"#
                );
                for (i, point) in points.iter().enumerate() {
                    let (px, py) = (emu(point.x - rect.min.x), emu(point.y - rect.min.y));
                    let tag = if i == 0 { "moveTo" } else { "lnTo" };
                    let _ = write!(body, r#"<a:{tag}><a:pt x="{px}" y="{py}"/></a:{tag}>"#);
                }
                body.push_str("</a:path></a:pathLst></a:custGeom>");
            }
        }
        match fill {
            Some(fill) => body.push_str(&solid(fill)),
            None => body.push_str("<a:noFill/>"),
        }
        match outline {
            Some(line) => {
                let _ = write!(
                    body,
                    r#"<a:ln w="{}">{}"#,
                    emu(line.width),
                    solid(line.color)
                );
                if line.dashed {
                    body.push_str(r#"<a:prstDash val="dash"/>"#);
                }
                body.push_str("</a:ln>");
            }
            None => body.push_str("<a:ln><a:noFill/></a:ln>"),
        }
        if shadow {
            body.push_str(r#"<a:effectLst><a:outerShdw blurRad="76200" dist="19050" dir="5400000" algn="t" rotWithShape="0"><a:srgbClr val="101828"><a:alpha val="12000"/></a:srgbClr></a:outerShdw></a:effectLst>"#);
        }
        body.push_str("</p:spPr>");
        if !text.is_empty() {
            let _ = write!(
                body,
                r#"<p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>"#
            );
            for para in text {
                let _ = write!(
                    body,
                    r#"<a:p><a:pPr algn="{}"><a:lnSpc><a:spcPts val="{}"/></a:lnSpc></a:pPr>"#,
                    para.align,
                    (para.line * 100.0).round() as i64
                );
                for run in &para.runs {
                    let _ = write!(
                        body,
                        r#"<a:r><a:rPr lang="en-US" sz="{}" b="{}" dirty="0">{}<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:rPr><a:t>{}</a:t></a:r>"#,
                        (run.size * 100.0).round() as i64,
                        u8::from(run.bold),
                        solid(run.color),
                        escape(&run.text)
                    );
                }
                body.push_str("</a:p>");
            }
            body.push_str("</p:txBody>");
        }
        body.push_str("</p:sp>");
    }

    pub fn rect(&mut self, name: &str, rect: Rect, fill: Color32, radius: f32) {
        let geometry = rounded(rect, radius);
        self.shape(name, rect, geometry, Some(fill), None, false, &[], "t");
    }

    pub fn text(&mut self, name: &str, rect: Rect, text: &[Para]) {
        let geometry = Geometry::Preset("rect", None);
        self.shape(name, rect, geometry, None, None, false, text, "t");
    }

    pub fn line(&mut self, name: &str, points: &[Pos2], outline: &Outline) {
        let mut bounds = Rect::NOTHING;
        for point in points {
            bounds.extend_with(*point);
        }
        let geometry = Geometry::Path(points);
        self.shape(name, bounds, geometry, None, Some(outline), false, &[], "t");
    }

    pub fn ellipse(
        &mut self,
        name: &str,
        center: Pos2,
        radius: f32,
        fill: Color32,
        ring: &Outline,
    ) {
        let rect = Rect::from_center_size(center, vec2(2.0, 2.0) * radius);
        let geometry = Geometry::Preset("ellipse", None);
        self.shape(
            name,
            rect,
            geometry,
            Some(fill),
            Some(ring),
            false,
            &[],
            "t",
        );
    }

    /// The whole slide's XML, its shapes over a background of `page`.
    pub fn xml(&self, page: Color32) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld name="{}"><p:bg><p:bgPr>{}<a:effectLst/></p:bgPr></p:bg><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#,
            escape(&self.name),
            solid(page),
            self.body
        )
    }
}

/// A rounded rect's preset, its corner as PowerPoint's share of the shorter side.
fn rounded(rect: Rect, radius: f32) -> Geometry<'static> {
    let short = rect.width().min(rect.height()).max(1.0);
    match radius > 0.0 {
        true => Geometry::Preset(
            "roundRect",
            Some(((radius / short) * 100_000.0).round().min(50_000.0) as i64),
        ),
        false => Geometry::Preset("rect", None),
    }
}

/// Map points to slide points.
struct Place {
    transform: TSTransform,
    /// Only what lies across this part of the map (a stage's slide), in map points.
    across: Option<egui::Rangef>,
}

impl Place {
    fn rect(&self, rect: Rect) -> Rect {
        self.transform.mul_rect(rect)
    }

    fn pos(&self, pos: Pos2) -> Pos2 {
        self.transform * pos
    }

    fn shows(&self, rect: Rect) -> bool {
        self.across
            .is_none_or(|across| across.contains(rect.center().x))
    }
}

/// The slide of one step of the presentation.
pub fn step(map: &Map, layout: &MapLayout, theme: &Theme, text: &SlideText, step: Step) -> Slide {
    let name = present::step_name(map, step);
    let mut slide = SlideXml::new(&name);
    let mut notes = String::new();
    match step {
        Step::Title => title_slide(&mut slide, map, theme, text),
        Step::Summary => summary_slide(&mut slide, map, theme, text),
        Step::Overview => {
            let area = Rect::from_min_max(
                pos2(SLIDE_MARGIN, SLIDE_MARGIN),
                pos2(SLIDE.x - SLIDE_MARGIN, SLIDE.y - SLIDE_MARGIN),
            );
            let scale = (area.width() / layout.size.x).min(area.height() / layout.size.y);
            let offset = area.center().to_vec2() - layout.size * scale / 2.0;
            let place = Place {
                transform: TSTransform::new(offset, scale),
                across: None,
            };
            map_shapes(&mut slide, map, layout, theme, &place);
            notes = map.description.clone();
        }
        Step::Stage { stage, .. } => {
            stage_slide(&mut slide, map, layout, theme, text, stage);
            notes = map.stages[stage].description.clone();
        }
    }
    Slide { xml: slide, notes }
}

fn title_slide(slide: &mut SlideXml, map: &Map, theme: &Theme, text: &SlideText) {
    let width = SLIDE.x - 2.0 * SLIDE_MARGIN;
    let mut y = 120.0;
    for (block, color, name) in [
        (&text.title, theme.text, "Title"),
        (&text.subtitle, theme.text_muted, "Subtitle"),
    ] {
        let rect = Rect::from_min_size(pos2(SLIDE_MARGIN, y), vec2(width, block.height()));
        slide.text(name, rect, &paras(block, color, 1.0, "ctr"));
        y += block.height() + 8.0;
    }
    let count = text.personas.len() as f32;
    let gap = 24.0;
    let row = count * PERSONA_WIDTH + (count - 1.0).max(0.0) * gap;
    let top = y + 40.0;
    for (i, persona) in text.personas.iter().enumerate() {
        let model = &map.personas[persona.persona];
        let left = (SLIDE.x - row) / 2.0 + i as f32 * (PERSONA_WIDTH + gap);
        let height = 16.0 + 44.0 + persona.role.height() + 8.0 + persona.quote.height() + 16.0;
        let rect = Rect::from_min_size(pos2(left, top), vec2(PERSONA_WIDTH, height.max(120.0)));
        slide.begin_group(&format!("Persona: {}", model.name));
        let card = Outline {
            width: 1.0,
            color: theme.card_border,
            dashed: false,
        };
        let geometry = rounded(rect, t::CARD_RADIUS as f32);
        slide.shape(
            "Persona card",
            rect,
            geometry,
            Some(theme.card),
            Some(&card),
            true,
            &[],
            "t",
        );
        let color = theme.persona_color(persona.persona, model.color);
        let avatar = pos2(rect.min.x + 36.0, rect.min.y + 36.0);
        let ring = Outline {
            width: 0.0,
            color,
            dashed: false,
        };
        slide.ellipse("Avatar", avatar, 20.0, color, &ring);
        let x = rect.min.x + 64.0;
        let at = |x: f32, y: f32, block: &TextBlock| {
            Rect::from_min_size(pos2(x, y), vec2(block.width + 4.0, block.height()))
        };
        slide.text(
            "Name",
            at(x, rect.min.y + 24.0, &persona.name),
            &paras(&persona.name, theme.text, 1.0, "l"),
        );
        let y = rect.min.y + 60.0;
        slide.text(
            "Role",
            at(rect.min.x + 16.0, y, &persona.role),
            &paras(&persona.role, theme.text_faint, 1.0, "l"),
        );
        let y = y + persona.role.height() + 8.0;
        slide.text(
            "Quote",
            at(rect.min.x + 16.0, y, &persona.quote),
            &paras(&persona.quote, theme.text_muted, 1.0, "l"),
        );
        slide.end_group();
    }
}

fn summary_slide(slide: &mut SlideXml, map: &Map, theme: &Theme, text: &SlideText) {
    let columns = [
        (&text.pains_heading, &text.pains, SLIDE_MARGIN),
        (
            &text.opportunities_heading,
            &text.opportunities,
            SLIDE_MARGIN + SUMMARY_COLUMN + 32.0,
        ),
    ];
    for (heading, rows, left) in columns {
        let mut y = SLIDE_MARGIN + 8.0;
        let rect = Rect::from_min_size(pos2(left, y), vec2(SUMMARY_COLUMN, heading.height()));
        slide.text("Heading", rect, &paras(heading, theme.text, 1.0, "l"));
        y += heading.height() + 14.0;
        for row in rows {
            let card = &map.cards[row.card];
            let height = row.title.height().max(row.stage.height()) + 16.0;
            let rect = Rect::from_min_size(pos2(left, y), vec2(SUMMARY_COLUMN, height));
            slide.begin_group(&format!("Card: {}", card.title));
            let border = Outline {
                width: 1.0,
                color: theme.card_border,
                dashed: false,
            };
            let geometry = rounded(rect, 8.0);
            slide.shape(
                "Row",
                rect,
                geometry,
                Some(theme.card),
                Some(&border),
                false,
                &[],
                "t",
            );
            let stage = map.stage_index(&card.stage).unwrap_or(0);
            let color = match row.severity {
                Some(severity) => t::severity_color(severity),
                None => theme.stage_color(stage, map.stages.get(stage).and_then(|s| s.color)),
            };
            let label = match row.severity {
                Some(severity) => t::severity_label(severity),
                None => "Idea",
            };
            let chip = Rect::from_min_size(pos2(left + 10.0, y + 8.0), vec2(82.0, height - 16.0));
            let style = t::label_strong();
            let chip_text = [Para {
                runs: vec![Run {
                    text: label.to_owned(),
                    size: style.font.size,
                    bold: true,
                    color: theme.text,
                }],
                line: style.line_height,
                align: "ctr",
            }];
            let geometry = rounded(chip, 6.0);
            let tint = color.gamma_multiply(0.16);
            slide.shape(
                "Severity",
                chip,
                geometry,
                Some(tint),
                None,
                false,
                &chip_text,
                "ctr",
            );
            let title = Rect::from_min_size(
                pos2(left + 104.0, y + 8.0),
                vec2(row.title.width + 4.0, row.title.height()),
            );
            slide.text("Title", title, &paras(&row.title, theme.text, 1.0, "l"));
            let stage_rect = Rect::from_min_size(
                pos2(rect.right() - 12.0 - row.stage.width - 4.0, y + 8.0),
                vec2(row.stage.width + 4.0, row.stage.height()),
            );
            slide.text(
                "Stage",
                stage_rect,
                &paras(&row.stage, theme.text_faint, 1.0, "r"),
            );
            slide.end_group();
            y += height + 8.0;
        }
    }
}

/// A stage's slide: its column beside the lane headers, at the scale the presentation
/// frames it, and its caption.
fn stage_slide(
    slide: &mut SlideXml,
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    text: &SlideText,
    stage: usize,
) {
    let Some(column) = layout.stages.get(stage).map(|s| s.column) else {
        return;
    };
    let bottom = layout
        .lanes
        .last()
        .map_or(layout.board.bottom(), |l| l.row.max);
    // The lane headers, then the column right beside them.
    let width = layout.corner.width() + column.span();
    let height = bottom - layout.corner.top();
    let area = Rect::from_min_max(
        pos2(SLIDE_MARGIN, SLIDE_MARGIN),
        pos2(SLIDE.x - SLIDE_MARGIN, SLIDE.y - CAPTION_HEIGHT - 8.0),
    );
    let scale = (area.width() / width)
        .min(area.height() / height)
        .min(present::MAX_SCALE);
    let left = area.center().x - width * scale / 2.0;
    let headers = Place {
        transform: TSTransform::new(
            vec2(
                left - layout.corner.left() * scale,
                area.top() - layout.corner.top() * scale,
            ),
            scale,
        ),
        across: Some(layout.corner.x_range()),
    };
    let cells = Place {
        transform: TSTransform::new(
            vec2(
                left + layout.corner.width() * scale - column.min * scale,
                area.top() - layout.corner.top() * scale,
            ),
            scale,
        ),
        across: Some(column),
    };
    let board = Rect::from_min_size(pos2(left, area.top()), vec2(width, height) * scale);
    slide.rect("Board", board, theme.board, 8.0);
    lane_shapes(slide, map, layout, theme, &headers, board.x_range());
    stage_shapes(slide, map, layout, theme, &cells, Some(stage));
    card_shapes(slide, map, layout, theme, &cells);
    emotion_shapes(slide, map, layout, &cells);
    if let Some(caption) = text.captions.get(stage) {
        let band = Rect::from_min_max(
            pos2(SLIDE_MARGIN, SLIDE.y - CAPTION_HEIGHT),
            pos2(SLIDE.x - SLIDE_MARGIN, SLIDE.y - SLIDE_MARGIN / 2.0),
        );
        let color = theme.stage_color(stage, map.stages[stage].color);
        slide.begin_group("Caption");
        let border = Outline {
            width: 1.0,
            color: theme.card_border,
            dashed: false,
        };
        let geometry = rounded(band, t::CARD_RADIUS as f32);
        slide.shape(
            "Caption card",
            band,
            geometry,
            Some(theme.card),
            Some(&border),
            true,
            &[],
            "t",
        );
        slide.rect(
            "Caption bar",
            Rect::from_min_size(band.min, vec2(6.0, band.height())),
            color,
            0.0,
        );
        let left = band.min.x + 24.0;
        let mut y = band.min.y + 14.0;
        let block_rect = |x: f32, y: f32, block: &TextBlock| {
            Rect::from_min_size(pos2(x, y), vec2(block.width + 4.0, block.height()))
        };
        slide.text(
            "Stage name",
            block_rect(left, y, &caption.name),
            &paras(&caption.name, theme.text, 1.0, "l"),
        );
        y += caption.name.height() + 2.0;
        slide.text(
            "Description",
            block_rect(left, y, &caption.description),
            &paras(&caption.description, theme.text_muted, 1.0, "l"),
        );
        if let Some(funnel) = &caption.funnel {
            let right = band.max.x - 24.0;
            let top = band.min.y + 12.0;
            let rect = block_rect(right - funnel.width - 4.0, top, funnel);
            slide.text("Funnel", rect, &paras(funnel, color, 1.0, "r"));
            if let Some(drop) = &caption.drop {
                let rect = block_rect(right - drop.width - 4.0, top + funnel.height() + 2.0, drop);
                slide.text("Drop-off", rect, &paras(drop, theme.text_muted, 1.0, "r"));
            }
        }
        slide.end_group();
    }
}

/// The whole map: title, board, stage bands, lane headers, cards and curves.
fn map_shapes(slide: &mut SlideXml, map: &Map, layout: &MapLayout, theme: &Theme, place: &Place) {
    let scale = place.transform.scaling;
    if let Some(title) = &layout.title {
        let at = |pos: Pos2, block: &TextBlock| {
            Rect::from_min_size(
                place.pos(pos),
                vec2(block.width + 4.0, block.height()) * scale,
            )
        };
        let pos = title.rect.min;
        slide.text(
            "Map title",
            at(pos, &title.title),
            &paras(&title.title, theme.text, scale, "l"),
        );
        let below = pos + vec2(0.0, title.title.height() + 4.0);
        slide.text(
            "Map subtitle",
            at(below, &title.subtitle),
            &paras(&title.subtitle, theme.text_muted, scale, "l"),
        );
    }
    slide.rect("Board", place.rect(layout.board), theme.board, 12.0 * scale);
    let across = place.rect(layout.board).x_range();
    lane_shapes(slide, map, layout, theme, place, across);
    stage_shapes(slide, map, layout, theme, place, None);
    card_shapes(slide, map, layout, theme, place);
    emotion_shapes(slide, map, layout, place);
}

fn stage_shapes(
    slide: &mut SlideXml,
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    place: &Place,
    only: Option<usize>,
) {
    let scale = place.transform.scaling;
    for (index, stage) in layout.stages.iter().enumerate() {
        if only.is_some_and(|only| only != index) || !place.shows(stage.header) {
            continue;
        }
        let model = &map.stages[index];
        let color = theme.stage_color(index, model.color);
        let on = t::text_on(color);
        let mut text = vec![Para {
            runs: vec![
                Run {
                    text: format!("{}  ", stage.number),
                    size: t::stage_number().font.size * scale,
                    bold: true,
                    color: on,
                },
                Run {
                    text: stage.name.lines.join(" "),
                    size: t::stage_name().font.size * scale,
                    bold: true,
                    color: on,
                },
            ],
            line: t::stage_name().line_height * scale,
            align: "l",
        }];
        if let Some(funnel) = &stage.funnel {
            text.extend(paras(funnel, on, scale, "l"));
        }
        let preset = if index == 0 || only.is_some() {
            "homePlate"
        } else {
            "chevron"
        };
        let rect = place.rect(stage.header);
        let name = format!("Stage: {}", model.name);
        let adj = Some(((12.0 * scale / rect.height().max(1.0)) * 100_000.0) as i64);
        slide.begin_group(&name);
        slide.shape(
            "Stage band",
            rect,
            Geometry::Preset(preset, adj),
            Some(color),
            None,
            false,
            &[],
            "t",
        );
        let inner = rect.shrink2(vec2(14.0 * scale, 8.0 * scale));
        slide.shape(
            &name,
            inner,
            Geometry::Preset("rect", None),
            None,
            None,
            false,
            &text,
            "ctr",
        );
        slide.end_group();
    }
}

fn lane_shapes(
    slide: &mut SlideXml,
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    place: &Place,
    across: egui::Rangef,
) {
    let scale = place.transform.scaling;
    for (index, lane) in layout.lanes.iter().enumerate() {
        let model = &map.lanes[index];
        let header = place.rect(lane.header);
        if lane.kind == LaneKind::Divider {
            let y = place.pos(pos2(0.0, lane.row.center())).y;
            let line = Outline {
                width: 1.0,
                color: theme.text_faint,
                dashed: true,
            };
            slide.begin_group(&format!("Divider: {}", model.name));
            slide.line("Line", &[pos2(across.min, y), pos2(across.max, y)], &line);
            let rect = Rect::from_min_size(
                header.min,
                vec2(lane.name.width + 4.0, lane.name.height()) * scale,
            );
            slide.text(
                "Label",
                rect,
                &paras(&lane.name, theme.text_faint, scale, "l"),
            );
            slide.end_group();
            continue;
        }
        slide.begin_group(&format!("Lane: {}", model.name));
        let bar = Rect::from_min_size(
            header.min + vec2(12.0, 14.0) * scale,
            vec2(3.0, 24.0) * scale,
        );
        slide.rect(
            "Lane colour",
            bar,
            theme.lane_color(index, model.color),
            0.0,
        );
        let rect = Rect::from_min_size(
            header.min + vec2(22.0, 12.0) * scale,
            vec2(lane.name.width + 4.0, lane.name.height()) * scale,
        );
        slide.text(
            &format!("Lane: {}", model.name),
            rect,
            &paras(&lane.name, theme.text, scale, "l"),
        );
        if let Some(detail) = &lane.detail {
            let rect = Rect::from_min_size(
                rect.left_bottom() + vec2(0.0, 2.0 * scale),
                vec2(detail.width + 4.0, detail.height()) * scale,
            );
            slide.text(
                "Lane detail",
                rect,
                &paras(detail, theme.text_faint, scale, "l"),
            );
        }
        slide.end_group();
    }
}

fn card_shapes(slide: &mut SlideXml, map: &Map, layout: &MapLayout, theme: &Theme, place: &Place) {
    let scale = place.transform.scaling;
    for card in &layout.cards {
        if !place.shows(card.rect) {
            continue;
        }
        let model = &map.cards[card.card];
        let rect = place.rect(card.rect);
        let name = match model.title.as_str() {
            "" => "Card".to_owned(),
            title => format!("Card: {title}"),
        };
        slide.begin_group(&name);
        let border = Outline {
            width: 0.75,
            color: theme.card_border,
            dashed: false,
        };
        let mut text = paras(&card.title, theme.text, scale, "l");
        text.extend(paras(&card.notes, theme.text_muted, scale, "l"));
        let radius = t::CARD_RADIUS as f32 * scale;
        slide.shape(
            &name,
            rect,
            rounded(rect, radius),
            Some(theme.card),
            Some(&border),
            true,
            &[],
            "t",
        );
        let stripe = model
            .severity
            .map(t::severity_color)
            .or(model.color.map(t::color32));
        if let Some(stripe) = stripe {
            let band = Rect::from_min_size(rect.min, vec2(t::CARD_STRIPE * scale, rect.height()));
            slide.rect("Stripe", band, stripe, 0.0);
        }
        let body = Rect::from_min_max(place.pos(card.title_pos), rect.max);
        slide.text("Text", body, &text);
        for chip in &card.chips {
            let chip_rect = place.rect(chip.rect);
            let label = chip.text.lines.join(" ");
            let style = &chip.text.style;
            let chip_text = [Para {
                runs: vec![Run {
                    text: label.clone(),
                    size: style.font.size * scale,
                    bold: false,
                    color: theme.chip_text,
                }],
                line: style.line_height * scale,
                align: "ctr",
            }];
            let geometry = rounded(chip_rect, chip_rect.height() / 2.0);
            slide.shape(
                &format!("Chip: {label}"),
                chip_rect,
                geometry,
                Some(theme.chip),
                None,
                false,
                &chip_text,
                "ctr",
            );
        }
        slide.end_group();
    }
}

fn emotion_shapes(slide: &mut SlideXml, map: &Map, layout: &MapLayout, place: &Place) {
    let scale = place.transform.scaling;
    for emotion in &layout.emotions {
        let lane = &map.lanes[emotion.lane];
        for curve in &emotion.curves {
            let points: Vec<Pos2> = (curve.path.iter())
                .filter(|p| place.across.is_none_or(|a| a.contains(p.x)))
                .map(|p| place.pos(*p))
                .collect();
            if points.len() >= 2 {
                let line = Outline {
                    width: 3.0 * scale.min(1.5),
                    color: t::emotion_color(0.5),
                    dashed: false,
                };
                slide.line(&format!("Emotion curve: {}", lane.name), &points, &line);
            }
        }
        for point in &emotion.points {
            if place.across.is_some_and(|a| !a.contains(point.center.x)) {
                continue;
            }
            let card = &map.cards[point.card];
            let color = t::emotion_color(point.score as f32);
            let ring = Outline {
                width: 2.0 * scale.min(1.5),
                color: Color32::WHITE,
                dashed: false,
            };
            let name = format!("Emotion point: {}", card.title);
            slide.begin_group(&name);
            slide.ellipse(
                &name,
                place.pos(point.center),
                6.0 * scale.clamp(0.6, 2.0),
                color,
                &ring,
            );
            let label = Rect::from_min_size(
                place.pos(point.label_pos),
                vec2(point.label.width + 4.0, point.label.height()) * scale,
            );
            slide.text(
                "Label",
                label,
                &paras(&point.label, Color32::from_gray(40), scale, "l"),
            );
            slide.end_group();
        }
    }
}
