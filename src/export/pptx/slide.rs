//! One slide's shapes as PresentationML: rounded rects, chevrons, lines, freeforms and
//! text boxes at absolute positions (EMU), each named after what it is, and the
//! presentation's steps drawn with them from the map's layout.

use super::Slide;
use crate::model::{Evidence, LaneKind, Map};
use crate::render::layout::{self, Chip, ChipKind, EmotionCurve, MapLayout};
use crate::render::present::{
    self, CAPTION_HEIGHT, PERSONA_WIDTH, SLIDE, SLIDE_MARGIN, SUMMARY_COLUMN, SlideText, Step,
};
use crate::render::text::TextBlock;
use crate::render::theme::{self as t, Theme};
use egui::emath::TSTransform;
use egui::{Color32, FontFamily, Pos2, Rangef, Rect, pos2, vec2};
use std::fmt::Write as _;
use std::ops::Range;

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
    /// A gradient from the shape's top to its bottom, as (share of the height, colour),
    /// instead of `color`.
    pub stops: Vec<(f32, Color32)>,
}

impl Outline {
    pub fn solid(width: f32, color: Color32) -> Self {
        Self {
            width,
            color,
            dashed: false,
            stops: Vec::new(),
        }
    }

    pub fn dashed(width: f32, color: Color32) -> Self {
        Self {
            dashed: true,
            ..Self::solid(width, color)
        }
    }
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
                let _ = write!(body, r#"<a:ln w="{}">"#, emu(line.width));
                match line.stops.as_slice() {
                    [] => body.push_str(&solid(line.color)),
                    stops => {
                        body.push_str("<a:gradFill><a:gsLst>");
                        for (at, stop) in stops {
                            let at = (at.clamp(0.0, 1.0) * 100_000.0).round() as i64;
                            let _ = write!(body, r#"<a:gs pos="{at}">{}</a:gs>"#, color(*stop));
                        }
                        body.push_str(
                            r#"</a:gsLst><a:lin ang="5400000" scaled="0"/></a:gradFill>"#,
                        );
                    }
                }
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
#[derive(Clone)]
struct Place {
    transform: TSTransform,
    /// Only what lies across this part of the map (a stage's slide), in map points.
    across: Option<Rangef>,
    /// Only what lies within these rows (a part of a stage's lanes), in map points.
    rows: Option<Rangef>,
}

impl Place {
    fn whole(transform: TSTransform) -> Self {
        Self {
            transform,
            across: None,
            rows: None,
        }
    }

    fn rect(&self, rect: Rect) -> Rect {
        self.transform.mul_rect(rect)
    }

    fn pos(&self, pos: Pos2) -> Pos2 {
        self.transform * pos
    }

    fn shows(&self, rect: Rect) -> bool {
        self.shows_at(rect.center())
    }

    fn shows_at(&self, pos: Pos2) -> bool {
        self.across.is_none_or(|across| across.contains(pos.x))
            && self.rows.is_none_or(|rows| rows.contains(pos.y))
    }
}

/// Where the parts of the map go on a slide: the lane header column and the stages'
/// cells, each for the band of stage headers and for the lanes' rows. The whole map's
/// slide places all four alike; a stage's slide puts its column beside the header
/// column, and a part of its lanes right under the band.
struct Frame {
    header_band: Place,
    header_rows: Place,
    cell_band: Place,
    cell_rows: Place,
}

impl Frame {
    fn whole(place: Place) -> Self {
        Self {
            header_band: place.clone(),
            header_rows: place.clone(),
            cell_band: place.clone(),
            cell_rows: place,
        }
    }
}

/// The lanes each of a stage's slides shows, and the scale they share: every lane on
/// one slide, or, when the whole column would be too small to read (a tall map), runs
/// of lanes that each fit at a readable scale, side by side on as few slides as hold
/// them.
pub fn stage_parts(layout: &MapLayout, stage: usize) -> (f32, Vec<Vec<Range<usize>>>) {
    let (Some(column), false) = (layout.stages.get(stage), layout.lanes.is_empty()) else {
        return (1.0, vec![vec![0..layout.lanes.len()]]);
    };
    let area = present::map_area(Step::Stage { stage, lanes: None });
    let width = layout.corner.width() + column.column.span();
    let band = layout.corner.height();
    let rows = |lanes: &Range<usize>| {
        layout.lanes[lanes.end - 1].row.max - layout.lanes[lanes.start].row.min
    };
    let all = 0..layout.lanes.len();
    let fit = |height: f32| (area.width() / width).min(area.height() / (band + height));
    let whole = fit(rows(&all));
    let scale = whole.clamp(present::READABLE_SCALE, present::MAX_SCALE);
    if whole >= present::READABLE_SCALE {
        return (scale, vec![vec![all]]);
    }
    let room = area.height() / scale - band;
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for end in 1..=layout.lanes.len() {
        let next = start..end + 1;
        if end == layout.lanes.len() || rows(&next) > room {
            let mut part = start..end;
            // A divider heads the lanes after it, never ends a slide.
            if part.len() > 1
                && end < layout.lanes.len()
                && layout.lanes[end - 1].kind == LaneKind::Divider
            {
                part.end -= 1;
            }
            start = part.end;
            parts.push(part);
        }
    }
    // As many runs side by side as the slide is wide for, spread evenly over the slides.
    let across = ((area.width() + RUN_GAP) / (width * scale + RUN_GAP))
        .floor()
        .max(1.0) as usize;
    let slides = parts.len().div_ceil(across);
    let per_slide = parts.len().div_ceil(slides);
    (scale, parts.chunks(per_slide).map(<[_]>::to_vec).collect())
}

/// The slides of one step of the presentation: one, or a stage's parts.
pub fn step(
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    text: &SlideText,
    step: Step,
) -> Vec<Slide> {
    let name = present::step_name(map, step);
    if let Step::Stage { stage, .. } = step {
        let (scale, parts) = stage_parts(layout, stage);
        let count = parts.len();
        return (parts.into_iter().enumerate())
            .map(|(i, runs)| {
                let name = match count {
                    1 => name.clone(),
                    _ => format!("{name} ({} of {count})", i + 1),
                };
                let mut slide = SlideXml::new(&name);
                let part = Part { runs, scale };
                stage_slide(&mut slide, map, layout, theme, text, stage, &part);
                let notes = map.stages[stage].description.clone();
                Slide { xml: slide, notes }
            })
            .collect();
    }
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
            let place = Place::whole(TSTransform::new(offset, scale));
            map_shapes(&mut slide, map, layout, theme, &place);
            notes = map.description.clone();
        }
        Step::Stage { .. } => unreachable!("a stage's slides are made above"),
    }
    vec![Slide { xml: slide, notes }]
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
        let card = Outline::solid(1.0, theme.card_border);
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
        let ring = Outline::solid(0.0, color);
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
            let border = Outline::solid(1.0, theme.card_border);
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
/// The runs of lanes one slide of a stage shows side by side, and the scale of all.
struct Part {
    runs: Vec<Range<usize>>,
    scale: f32,
}

/// The room between runs of lanes side by side.
const RUN_GAP: f32 = 24.0;

fn stage_slide(
    slide: &mut SlideXml,
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    text: &SlideText,
    stage: usize,
    part: &Part,
) {
    let Some(column) = layout.stages.get(stage).map(|s| s.column) else {
        return;
    };
    let height_of = |run: &Range<usize>| match (layout.lanes.get(run.start), run.end.checked_sub(1))
    {
        (Some(first), Some(last)) => layout.lanes[last].row.max - first.row.min,
        _ => 0.0,
    };
    // The lane headers, then the column right beside them; the band, then the lanes.
    let width = layout.corner.width() + column.span();
    let band = layout.corner.height();
    let tallest = part.runs.iter().map(height_of).fold(0.0, f32::max);
    let count = part.runs.len() as f32;
    let area = present::map_area(Step::Stage { stage, lanes: None });
    // One lane taller than the slide is shrunk to fit it.
    let scale = (part.scale)
        .min((area.width() - (count - 1.0) * RUN_GAP) / (width * count))
        .min(area.height() / (band + tallest));
    let across = count * width * scale + (count - 1.0) * RUN_GAP;
    for (i, run) in part.runs.iter().enumerate() {
        let Some(first) = layout.lanes.get(run.start) else {
            continue;
        };
        let rows = Rangef::new(first.row.min, first.row.min + height_of(run));
        let left = area.center().x - across / 2.0 + i as f32 * (width * scale + RUN_GAP);
        let place = |x: f32, y: f32, across: Rangef, rows: Option<Rangef>| Place {
            transform: TSTransform::new(vec2(x, y), scale),
            across: Some(across),
            rows,
        };
        let header_x = left - layout.corner.left() * scale;
        let cell_x = left + layout.corner.width() * scale - column.min * scale;
        let band_y = area.top() - layout.corner.top() * scale;
        let rows_y = area.top() + band * scale - rows.min * scale;
        let frame = Frame {
            header_band: place(header_x, band_y, layout.corner.x_range(), None),
            header_rows: place(header_x, rows_y, layout.corner.x_range(), Some(rows)),
            cell_band: place(cell_x, band_y, column, None),
            cell_rows: place(cell_x, rows_y, column, Some(rows)),
        };
        let size = vec2(width, band + rows.span()) * scale;
        let board = Rect::from_min_size(pos2(left, area.top()), size);
        slide.rect("Board", board, theme.board, 8.0);
        grid_shapes(slide, map, layout, theme, &frame);
        let headers = &frame.header_rows;
        lane_shapes(slide, map, layout, theme, headers, board.x_range());
        stage_shapes(slide, map, layout, theme, &frame.cell_band, Some(stage));
        card_shapes(slide, map, layout, theme, &frame.cell_rows);
        emotion_shapes(slide, map, layout, theme, &frame.cell_rows);
    }
    if let Some(caption) = text.captions.get(stage) {
        let band = Rect::from_min_max(
            pos2(SLIDE_MARGIN, SLIDE.y - CAPTION_HEIGHT),
            pos2(SLIDE.x - SLIDE_MARGIN, SLIDE.y - SLIDE_MARGIN / 2.0),
        );
        let color = theme.stage_color(stage, map.stages[stage].color);
        slide.begin_group("Caption");
        let border = Outline::solid(1.0, theme.card_border);
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
    grid_shapes(slide, map, layout, theme, &Frame::whole(place.clone()));
    let across = place.rect(layout.board).x_range();
    lane_shapes(slide, map, layout, theme, place, across);
    stage_shapes(slide, map, layout, theme, place, None);
    card_shapes(slide, map, layout, theme, place);
    emotion_shapes(slide, map, layout, theme, place);
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
    across: Rangef,
) {
    let scale = place.transform.scaling;
    for (index, lane) in layout.lanes.iter().enumerate() {
        if place
            .rows
            .is_some_and(|rows| !rows.contains(lane.row.center()))
        {
            continue;
        }
        let model = &map.lanes[index];
        let header = place.rect(lane.header);
        if lane.kind == LaneKind::Divider {
            let y = place.pos(pos2(0.0, lane.row.center())).y;
            let line = Outline::dashed(1.0, theme.text_faint);
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
        let border = Outline::solid(0.75, theme.card_border);
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
            chip_shapes(slide, chip, theme, place);
        }
        slide.end_group();
    }
}

/// A footer chip as the canvas draws it: a tinted pill with its mark (a channel's icon,
/// severity bars, an evidence dot) and its label; a metric is bare text, an emotion a dot.
fn chip_shapes(slide: &mut SlideXml, chip: &Chip, theme: &Theme, place: &Place) {
    let scale = place.transform.scaling;
    let rect = place.rect(chip.rect);
    let label = chip.text.lines.join(" ");
    let text_rect = |block: &TextBlock, pos: Pos2| {
        Rect::from_min_size(
            place.pos(pos),
            vec2(block.width + 4.0, block.height()) * scale,
        )
    };
    let (fill, ink) = match chip.kind {
        ChipKind::Channel(channel) => {
            let tint = t::channel_color(channel);
            (theme.chip_for(tint), theme.chip_text_for(tint))
        }
        ChipKind::Severity(severity) => {
            let tint = t::severity_color(severity);
            (theme.chip_for(tint), theme.chip_text_for(tint))
        }
        ChipKind::Owner => (
            theme.chip_for(theme.accent),
            theme.chip_text_for(theme.accent),
        ),
        ChipKind::Emotion(score) => {
            let ring = Outline::solid(0.75 * scale, theme.card);
            let color = t::emotion_color(score as f32);
            let name = format!("Emotion: {score:+}");
            slide.ellipse(&name, rect.center(), rect.height() / 2.0, color, &ring);
            return;
        }
        ChipKind::Metric => {
            slide.begin_group(&format!("Metric: {label}"));
            let at = text_rect(&chip.text, chip.text_pos);
            slide.text(
                "Label",
                at,
                &paras(&chip.text, theme.text_muted, scale, "l"),
            );
            if let Some((value, pos)) = &chip.value {
                let at = text_rect(value, *pos);
                slide.text("Value", at, &paras(value, theme.text, scale, "l"));
            }
            slide.end_group();
            return;
        }
        ChipKind::Tag | ChipKind::Evidence(_) => (theme.chip, theme.chip_text),
    };
    let name = match chip.kind {
        ChipKind::Channel(_) => format!("Channel: {label}"),
        ChipKind::Severity(_) => format!("Severity: {label}"),
        ChipKind::Evidence(_) => format!("Evidence: {label}"),
        ChipKind::Owner => format!("Owner: {label}"),
        _ => format!("Tag: {label}"),
    };
    slide.begin_group(&name);
    let pill = (rect.height() / 2.0).min(10.0 * scale);
    slide.rect("Chip", rect, fill, pill);
    let mark = place.pos(pos2(
        chip.rect.left() + 7.0 + layout::chip_mark_width(chip.kind) / 2.0 - 1.0,
        chip.rect.center().y,
    ));
    match chip.kind {
        ChipKind::Channel(channel) => {
            let size = 10.5 * scale;
            let icon = [Para {
                runs: vec![Run {
                    text: t::channel_icon(channel).to_owned(),
                    size,
                    bold: false,
                    color: ink,
                }],
                line: size * 1.2,
                align: "ctr",
            }];
            let at = Rect::from_center_size(mark, vec2(2.0, 1.2) * size);
            slide.text("Icon", at, &icon);
        }
        ChipKind::Severity(severity) => {
            for i in 0..3 {
                let height = (4.0 + 2.5 * i as f32) * scale;
                let bar = Rect::from_min_size(
                    mark + vec2(-5.0 + i as f32 * 3.5, 5.0) * scale - vec2(0.0, height),
                    vec2(2.5 * scale, height),
                );
                let color = match i < t::severity_bars(severity) {
                    true => t::severity_color(severity),
                    false => ink.gamma_multiply(0.25),
                };
                slide.rect("Bar", bar, color, 0.0);
            }
        }
        ChipKind::Evidence(evidence) => {
            let ring = Outline::solid(1.2 * scale, ink);
            let fill = match evidence {
                Evidence::Observed => ink,
                Evidence::Assumed => ink.gamma_multiply(0.5),
                Evidence::Proposed => Color32::TRANSPARENT,
            };
            slide.ellipse("Mark", mark, 3.5 * scale, fill, &ring);
        }
        _ => {}
    }
    let at = text_rect(&chip.text, chip.text_pos);
    slide.text("Label", at, &paras(&chip.text, ink, scale, "l"));
    slide.end_group();
}

/// The board's grid: a tint behind each stage's column, the lane header column, and
/// hairlines between lanes. `headers` places the header column, `cells` the stages.
fn grid_shapes(slide: &mut SlideXml, map: &Map, layout: &MapLayout, theme: &Theme, frame: &Frame) {
    let (Some(first), Some(last)) = (layout.lanes.first(), layout.lanes.last()) else {
        return;
    };
    let cells = &frame.cell_rows;
    let rows = (cells.rows).unwrap_or(Rangef::new(first.row.min, last.row.max));
    slide.begin_group("Grid");
    let mut right = None;
    for (index, stage) in layout.stages.iter().enumerate() {
        let column = Rect::from_x_y_ranges(stage.column, rows);
        if !cells.shows(column) {
            continue;
        }
        let color = theme.stage_color(index, map.stages[index].color);
        let name = format!("Column: {}", map.stages[index].name);
        slide.rect(&name, cells.rect(column), theme.column_fill(color), 0.0);
        right = Some(cells.pos(pos2(stage.column.max, 0.0)).x);
    }
    let headers = &frame.header_rows;
    let header = headers.rect(Rect::from_x_y_ranges(layout.corner.x_range(), rows));
    slide.rect("Lane header column", header, theme.header_column, 0.0);
    let right = right.unwrap_or(header.right());
    let hairline = Outline::solid(1.0, theme.hairline);
    for pair in layout.lanes.windows(2) {
        let [above, lane] = pair else { continue };
        let divider = above.kind == LaneKind::Divider || lane.kind == LaneKind::Divider;
        if divider || !rows.contains(lane.row.min) || lane.row.min == rows.min {
            continue;
        }
        let y = cells.pos(pos2(0.0, lane.row.min)).y;
        let line = [pos2(header.left(), y), pos2(right, y)];
        slide.line("Lane line", &line, &hairline);
    }
    let edge = [header.right_top(), header.right_bottom()];
    slide.line("Header line", &edge, &hairline);
    let headers = &frame.header_band;
    let corner = headers.rect(layout.corner);
    let caps = t::caps();
    let label = [Para {
        runs: vec![Run {
            text: "LANES / STAGES".to_owned(),
            size: caps.font.size * headers.transform.scaling,
            bold: true,
            color: theme.text_faint,
        }],
        line: caps.line_height * headers.transform.scaling,
        align: "l",
    }];
    let scale = headers.transform.scaling;
    let at = Rect::from_min_size(
        pos2(
            corner.min.x + (t::CELL_PADDING + 4.0) * scale,
            corner.center().y - 7.0 * scale,
        ),
        vec2(120.0, caps.line_height) * scale,
    );
    slide.text("Corner", at, &label);
    slide.end_group();
}

/// An emotion lane: its guides at -2..+2 (the neutral one dashed), a curve per persona
/// (one persona's takes the colour of the feeling at each height, as a gradient), and
/// each point with its label on a plate of its column's colour.
fn emotion_shapes(
    slide: &mut SlideXml,
    map: &Map,
    layout: &MapLayout,
    theme: &Theme,
    place: &Place,
) {
    let scale = place.transform.scaling;
    let shown = |x: f32| place.across.is_none_or(|a| a.contains(x));
    for emotion in &layout.emotions {
        if place
            .rows
            .is_some_and(|rows| !rows.contains(emotion.plot.center().y))
        {
            continue;
        }
        let lane = &map.lanes[emotion.lane];
        let plot = match place.across {
            Some(across) => emotion
                .plot
                .intersect(Rect::from_x_y_ranges(across, emotion.plot.y_range())),
            None => emotion.plot,
        };
        slide.begin_group(&format!("Emotion guides: {}", lane.name));
        for score in -2..=2 {
            let y = emotion.y_of(score as f32);
            let line = [
                place.pos(pos2(plot.left(), y)),
                place.pos(pos2(plot.right(), y)),
            ];
            let guide = match score {
                0 => Outline::dashed(1.0, theme.text_faint.gamma_multiply(0.45)),
                _ => Outline::solid(1.0, theme.hairline),
            };
            slide.line(&format!("Guide {score:+}"), &line, &guide);
        }
        slide.end_group();
        let single = emotion.curves.len() == 1;
        let curve_color = |curve: &EmotionCurve| match curve.persona {
            Some(p) => theme.persona_color(p, map.personas[p].color),
            None => theme.text_faint,
        };
        for curve in &emotion.curves {
            let points: Vec<Pos2> = (curve.path.iter())
                .filter(|p| shown(p.x))
                .map(|p| place.pos(*p))
                .collect();
            if points.len() < 2 {
                continue;
            }
            let mut line = Outline::solid(3.0 * scale.clamp(0.5, 2.0), curve_color(curve));
            if single {
                // The gradient spans the line's own box: the feeling at each height of it.
                let (top, bottom) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
                    (lo.min(p.y), hi.max(p.y))
                });
                let plot_top = place.pos(pos2(0.0, emotion.y_of(2.0))).y;
                let plot_bottom = place.pos(pos2(0.0, emotion.y_of(-2.0))).y;
                line.stops = (0..=8)
                    .map(|i| {
                        let at = i as f32 / 8.0;
                        let y = top + at * (bottom - top);
                        let score = 2.0 - 4.0 * (y - plot_top) / (plot_bottom - plot_top).max(1.0);
                        (at, t::emotion_color(score))
                    })
                    .collect();
            }
            let name = match curve.persona {
                Some(p) => format!("Emotion curve: {} ({})", lane.name, map.personas[p].name),
                None => format!("Emotion curve: {}", lane.name),
            };
            slide.line(&name, &points, &line);
        }
        for point in &emotion.points {
            if !shown(point.center.x) {
                continue;
            }
            let card = &map.cards[point.card];
            let persona = card.persona.as_ref().and_then(|id| map.persona_index(id));
            let ring_color = match single {
                true => theme.board,
                false => (emotion.curves.iter())
                    .find(|c| c.persona == persona)
                    .map_or(theme.board, curve_color),
            };
            let column = (layout.stages.iter())
                .position(|s| s.column.contains(point.center.x))
                .map_or(theme.board, |i| {
                    theme.column_fill(theme.stage_color(i, map.stages[i].color))
                });
            let name = format!("Emotion point: {}", card.title);
            slide.begin_group(&name);
            let plate = Rect::from_min_size(
                point.label_pos,
                vec2(point.label.width, point.label.height()),
            )
            .expand2(vec2(4.0, 1.0));
            slide.rect("Plate", place.rect(plate), column, 4.0 * scale);
            let label = Rect::from_min_size(
                place.pos(point.label_pos),
                vec2(point.label.width, point.label.height()) * scale,
            );
            slide.text(
                "Label",
                label,
                &paras(&point.label, theme.text, scale, "ctr"),
            );
            let ring = Outline::solid(2.5 * scale.min(1.5), ring_color);
            let color = t::emotion_color(point.score as f32);
            slide.ellipse(
                &name,
                place.pos(point.center),
                layout::POINT_RADIUS * scale,
                color,
                &ring,
            );
            slide.end_group();
        }
    }
}
