//! PDF: a scene on krilla pages. Text stays real text (selectable, searchable) in subsets
//! of the bundled fonts; links on cards are clickable; each stage has a bookmark; the
//! map rides along as an embedded file, so the PDF opens again as the editable map.

use super::path::{Path, Segment};
use super::{ItemKind, Paint, Scene};
use egui::{Color32, Rangef, Rect, Vec2, pos2, vec2};
use krilla::color::rgb;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::paint::{Fill, FillRule, LinearGradient, SpreadMethod, Stop, Stroke};
use krilla::text::{Font, KrillaGlyph};
use krilla::{Document, page::PageSettings};
use std::io::Read;

/// Kept clear on every side of a paper page (half an inch).
const PAPER_MARGIN: f32 = 36.0;
/// The largest page side a PDF reader must accept: 200 inches.
const MAX_PAGE_SIDE: f32 = 14_400.0;
/// Name of the embedded map file.
pub const MAP_FILE_NAME: &str = "map.journey.json";
/// The largest map text inflated from a PDF (the same as the file-size limit).
const MAX_MAP_TEXT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    A4,
    A3,
    A2,
    A1,
    A0,
    Letter,
    Tabloid,
}

impl Paper {
    pub const ALL: [Paper; 7] = [
        Paper::A4,
        Paper::A3,
        Paper::A2,
        Paper::A1,
        Paper::A0,
        Paper::Letter,
        Paper::Tabloid,
    ];

    /// Portrait size in points.
    pub fn points(self) -> Vec2 {
        let mm = |w: f32, h: f32| vec2(w, h) * (72.0 / 25.4);
        match self {
            Paper::A4 => mm(210.0, 297.0),
            Paper::A3 => mm(297.0, 420.0),
            Paper::A2 => mm(420.0, 594.0),
            Paper::A1 => mm(594.0, 841.0),
            Paper::A0 => mm(841.0, 1189.0),
            Paper::Letter => vec2(612.0, 792.0),
            Paper::Tabloid => vec2(792.0, 1224.0),
        }
    }

    /// As a person writes it: "A4", "Letter".
    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A3 => "A3",
            Paper::A2 => "A2",
            Paper::A1 => "A1",
            Paper::A0 => "A0",
            Paper::Letter => "Letter",
            Paper::Tabloid => "Tabloid",
        }
    }

    /// As the command line takes it: "a4", "letter".
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
            Paper::A2 => "a2",
            Paper::A1 => "a1",
            Paper::A0 => "a0",
            Paper::Letter => "letter",
            Paper::Tabloid => "tabloid",
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Paper::ALL
            .into_iter()
            .find(|paper| paper.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                format!(
                    "'{text}' is not a page size: use fit, a4, a3, a2, a1, a0, letter or tabloid"
                )
            })
    }
}

/// How the PDF is paged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PdfOptions {
    /// `None`: each page is the size of what it shows.
    pub paper: Option<Paper>,
    pub landscape: bool,
    /// The whole map on page 1, then a page per stage with the lane headers.
    pub stage_pages: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PdfError {
    #[error("cannot write the PDF: {0}")]
    Write(String),
    #[error("a PDF with no journeymap map in it (export it from journeymap to embed one)")]
    NoMap,
    #[error("the map in this PDF is damaged: {0}")]
    BadMap(String),
}

/// A part of the drawing placed on a page: `source` (drawing points) at `at` (content
/// points, before the page's scale).
struct Strip {
    source: Rect,
    at: Vec2,
}

/// What one page shows.
struct View {
    strips: Vec<Strip>,
    /// The content's size in drawing points.
    size: Vec2,
    /// The most the page's paper may enlarge the content.
    max_scale: f32,
    /// The bookmarks on this page: a name and where across it points (content).
    bookmarks: Vec<(String, f32)>,
}

pub fn write(
    scene: &Scene,
    options: &PdfOptions,
    map_json: Option<&str>,
) -> Result<Vec<u8>, PdfError> {
    let pages: Vec<(&Scene, View)> = (views(scene, options).into_iter())
        .map(|view| (scene, view))
        .collect();
    write_pages(&pages, options, &scene.title, &scene.description, map_json)
}

/// A deck: each scene one page of its own size, bookmarked with its name.
pub fn write_deck(
    slides: &[(Scene, String)],
    title: &str,
    description: &str,
    map_json: Option<&str>,
) -> Result<Vec<u8>, PdfError> {
    let pages: Vec<(&Scene, View)> = (slides.iter())
        .map(|(scene, name)| {
            let mut view = whole_view(scene);
            view.bookmarks = vec![(name.clone(), 0.0)];
            (scene, view)
        })
        .collect();
    write_pages(&pages, &PdfOptions::default(), title, description, map_json)
}

fn write_pages(
    pages: &[(&Scene, View)],
    options: &PdfOptions,
    title: &str,
    description: &str,
    map_json: Option<&str>,
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    let mut outline = Outline::new();
    // Fonts and item bounds once per scene, however many pages show it.
    #[allow(clippy::type_complexity)]
    let mut prepared: Option<(*const Scene, Vec<Option<Font>>, Vec<Rect>)> = None;
    for (page_index, (scene, view)) in pages.iter().enumerate() {
        let scene: &Scene = scene;
        if prepared
            .as_ref()
            .is_none_or(|(of, ..)| !std::ptr::eq(*of, scene))
        {
            let fonts: Vec<Option<Font>> = (scene.glyphs.faces.iter())
                .map(|face| Font::new(face.data().into(), face.index()))
                .collect();
            let bounds: Vec<Rect> = scene.items.iter().map(super::Item::bounds).collect();
            prepared = Some((scene, fonts, bounds));
        }
        let (_, fonts, bounds) = prepared.as_ref().expect("prepared above");
        let (page_size, transform) = page_geometry(scene, view, options);
        let settings = PageSettings::from_wh(page_size.x, page_size.y)
            .ok_or_else(|| PdfError::Write(format!("a page of {page_size:?} points")))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        if scene.background.a() > 0 {
            let all = Rect::from_min_size(egui::Pos2::ZERO, page_size);
            fill(
                &mut surface,
                &rect_path(all),
                &Paint::Solid(scene.background),
            );
        }
        surface.push_transform(&transform);
        for strip in &view.strips {
            let place = Transform::from_translate(
                strip.at.x - strip.source.min.x,
                strip.at.y - strip.source.min.y,
            );
            surface.push_transform(&place);
            surface.push_clip_path(
                &krilla_path(&rect_path(strip.source)).ok_or(PdfError::Write("a strip".into()))?,
                &FillRule::NonZero,
            );
            draw_items(&mut surface, scene, bounds, fonts, strip.source);
            surface.pop();
            surface.pop();
        }
        surface.pop();
        surface.finish();
        add_links(&mut page, scene, view, &transform);
        page.finish();
        for (name, x) in &view.bookmarks {
            let point = transform_point(&transform, pos2(*x, 0.0));
            let destination =
                krilla::destination::XyzDestination::new(page_index, Point::from_xy(point.x, 0.0));
            outline.push_child(OutlineNode::new(name.clone(), destination));
        }
    }
    document.set_outline(outline);
    let mut metadata = Metadata::new().creator("journeymap".to_owned());
    if !title.is_empty() {
        metadata = metadata.title(title.to_owned());
    }
    if !description.is_empty() {
        metadata = metadata.description(description.to_owned());
    }
    document.set_metadata(metadata);
    if let Some(json) = map_json {
        document.embed_file(EmbeddedFile {
            path: MAP_FILE_NAME.to_owned(),
            mime_type: MimeType::new("application/json"),
            description: Some("The editable map: open this PDF in journeymap".to_owned()),
            association_kind: AssociationKind::Source,
            data: json.as_bytes().to_vec().into(),
            modification_date: None,
            compress: Some(true),
            location: None,
        });
    }
    document
        .finish()
        .map_err(|err| PdfError::Write(format!("{err:?}")))
}

/// One page showing the whole scene.
fn whole_view(scene: &Scene) -> View {
    View {
        strips: vec![Strip {
            source: Rect::from_min_size(egui::Pos2::ZERO, scene.page / scene.unit),
            at: Vec2::ZERO,
        }],
        size: scene.page / scene.unit,
        max_scale: f32::INFINITY,
        bookmarks: Vec::new(),
    }
}

fn rect_path(rect: Rect) -> Path {
    Path::polyline(
        &[
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
        ],
        true,
    )
}

/// The pages: the whole drawing, then (for a deck) each stage beside the lane headers.
fn views(scene: &Scene, options: &PdfOptions) -> Vec<View> {
    let whole = View {
        bookmarks: (scene.stages.iter())
            .map(|s| (s.name.clone(), s.column.min))
            .collect(),
        ..whole_view(scene)
    };
    if !options.stage_pages {
        return vec![whole];
    }
    let mut views = vec![View {
        bookmarks: Vec::new(),
        ..whole
    }];
    for stage in &scene.stages {
        let room = (options.paper)
            .map(|paper| paper_points(paper, options.landscape) - Vec2::splat(2.0 * PAPER_MARGIN));
        for (page, mut view) in stage_views(scene, stage, room).into_iter().enumerate() {
            if page == 0 {
                view.bookmarks
                    .push((stage.name.clone(), view.strips[1].at.x));
            }
            views.push(view);
        }
    }
    views
}

/// The most a stage page enlarges the map: at full size its text is the size it has on
/// screen, and more would only spread a stage over more pages.
const STAGE_PAGE_MAX_SCALE: f32 = 1.0;
/// The least a stage page shrinks it: card titles stay near 9 pt, notes near 8 pt.
const STAGE_PAGE_MIN_SCALE: f32 = 0.7;
/// The white space around and between the panels of a stage page, in drawing points.
const STAGE_PAGE_MARGIN: f32 = 16.0;

/// The pages of one stage. On paper of `room` points (within its margins), the stage's
/// lanes are cut into panels of whole lanes, each under the stage's header band, laid
/// side by side and then onto further pages, at the largest scale between the least
/// and the most that needs the fewest pages. Without paper, one page shows every lane
/// at full size.
fn stage_views(scene: &Scene, stage: &super::SceneStage, room: Option<Vec2>) -> Vec<View> {
    let margin = STAGE_PAGE_MARGIN;
    let panel_width = scene.lane_headers.span() + stage_gutter(scene) + stage.column.span();
    let furniture = scene.band.span() + band_gap(scene);
    let Some(room) = room else {
        let rows = stage.rows.clone();
        let height = furniture + rows.iter().map(|r| r.span()).sum::<f32>();
        return vec![stage_view(
            scene,
            stage,
            &[rows],
            vec2(panel_width, height) + Vec2::splat(2.0 * margin),
            f32::INFINITY,
        )];
    };
    let layout_at = |scale: f32| {
        let usable = room / scale;
        let across = ((usable.x - margin) / (panel_width + margin))
            .floor()
            .max(1.0) as usize;
        let panels = lane_groups(&stage.rows, usable.y - 2.0 * margin - furniture);
        (across, panels, usable)
    };
    let steps = ((STAGE_PAGE_MAX_SCALE - STAGE_PAGE_MIN_SCALE) / 0.05).round() as usize;
    let (scale, (across, panels, usable)) = (0..=steps)
        .map(|step| STAGE_PAGE_MAX_SCALE - step as f32 * 0.05)
        .map(|scale| (scale, layout_at(scale)))
        .min_by_key(|(_, (across, panels, _))| panels.len().div_ceil(*across))
        .expect("at least one scale");
    let width = margin + across as f32 * (panel_width + margin);
    (panels.chunks(across))
        .map(|page| {
            let tallest = (page.iter())
                .map(|rows| furniture + rows.iter().map(|r| r.span()).sum::<f32>())
                .fold(0.0, f32::max);
            let size = vec2(width, usable.y.max(tallest + 2.0 * margin));
            stage_view(scene, stage, page, size, scale)
        })
        .collect()
}

/// The space between the lane headers and the first stage column.
fn stage_gutter(scene: &Scene) -> f32 {
    (scene.stages.first())
        .map_or(0.0, |first| first.column.min - scene.lane_headers.max)
        .max(0.0)
}

/// The space between the header band and the first lane row.
fn band_gap(scene: &Scene) -> f32 {
    (scene.stages.first())
        .and_then(|stage| stage.rows.first())
        .map_or(0.0, |first| (first.min - scene.band.max).max(0.0))
}

/// The lane rows in runs, each at most `room` points tall in all (a taller row is a run
/// of its own, and its page shrinks to fit it).
fn lane_groups(rows: &[Rangef], room: f32) -> Vec<Vec<Rangef>> {
    let mut groups: Vec<(f32, Vec<Rangef>)> = Vec::new();
    for &row in rows {
        match groups.last_mut() {
            Some((height, group)) if *height + row.span() <= room => {
                *height += row.span();
                group.push(row);
            }
            _ => groups.push((row.span(), vec![row])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// A stage page of `size` drawing points holding `panels` side by side: each is the
/// header band above its lanes' rows, lane header beside the stage's cell. Each part is
/// cut exactly at its edges (the margins are the page's own), so nothing of a
/// neighbouring stage shows.
fn stage_view(
    scene: &Scene,
    stage: &super::SceneStage,
    panels: &[Vec<Rangef>],
    size: Vec2,
    max_scale: f32,
) -> View {
    let margin = STAGE_PAGE_MARGIN;
    let column_offset = scene.lane_headers.span() + stage_gutter(scene);
    let panel_width = column_offset + stage.column.span();
    let mut strips = Vec::new();
    let mut part = |x: Rangef, y: Rangef, at: Vec2| {
        strips.push(Strip {
            source: Rect::from_x_y_ranges(x, y),
            at,
        })
    };
    for (index, rows) in panels.iter().enumerate() {
        let left = margin + index as f32 * (panel_width + margin);
        part(scene.lane_headers, scene.band, vec2(left, margin));
        part(stage.column, scene.band, vec2(left + column_offset, margin));
        let mut top = margin + scene.band.span() + band_gap(scene);
        for &row in rows {
            part(scene.lane_headers, row, vec2(left, top));
            part(stage.column, row, vec2(left + column_offset, top));
            top += row.span();
        }
    }
    View {
        strips,
        size,
        max_scale,
        bookmarks: Vec::new(),
    }
}

/// The page size in points and the transform from content points to the page.
fn page_geometry(scene: &Scene, view: &View, options: &PdfOptions) -> (Vec2, Transform) {
    let content = view.size;
    match options.paper {
        None => {
            // One point of content is `unit` points of page, within the PDF's page limit.
            let scale = scene.unit.min(MAX_PAGE_SIDE / content.max_elem().max(1.0));
            (content * scale, Transform::from_scale(scale, scale))
        }
        Some(paper) => {
            let size = paper_points(paper, options.landscape);
            let scale = paper_scale(size, content).min(view.max_scale);
            let offset = (size - content * scale) / 2.0;
            (
                size,
                Transform::from_row(scale, 0.0, 0.0, scale, offset.x, offset.y),
            )
        }
    }
}

/// A paper's size in points, turned sideways for landscape.
pub fn paper_points(paper: Paper, landscape: bool) -> Vec2 {
    let size = paper.points();
    match landscape {
        true => vec2(size.y, size.x),
        false => size,
    }
}

/// The scale that fits `content` (points) into a `page` within the print margins.
pub fn paper_scale(page: Vec2, content: Vec2) -> f32 {
    let room = page - Vec2::splat(2.0 * PAPER_MARGIN);
    (room.x / content.x).min(room.y / content.y)
}

fn transform_point(transform: &Transform, p: egui::Pos2) -> egui::Pos2 {
    pos2(
        transform.sx() * p.x + transform.kx() * p.y + transform.tx(),
        transform.ky() * p.x + transform.sy() * p.y + transform.ty(),
    )
}

fn add_links(page: &mut krilla::page::Page, scene: &Scene, view: &View, transform: &Transform) {
    use krilla::action::LinkAction;
    use krilla::annotation::{Annotation, LinkAnnotation, Target};
    for card in &scene.cards {
        let Some(link) = card.link.as_deref() else {
            continue;
        };
        if !["http://", "https://", "mailto:"]
            .iter()
            .any(|scheme| link.starts_with(scheme))
        {
            continue;
        }
        for strip in &view.strips {
            let shown = card.rect.intersect(strip.source);
            if !shown.is_positive() {
                continue;
            }
            let offset = strip.at - strip.source.min.to_vec2();
            let min = transform_point(transform, shown.min + offset);
            let max = transform_point(transform, shown.max + offset);
            let Some(rect) = krilla::geom::Rect::from_ltrb(min.x, min.y, max.x, max.y) else {
                continue;
            };
            let target = Target::Action(LinkAction::new(link.to_owned()).into());
            page.add_annotation(Annotation::new_link(
                LinkAnnotation::new(rect, target),
                Some(card.title.clone()),
            ));
        }
    }
}

/// Draws the items that show in `shown`: shapes that reach into it (the clip cuts them),
/// and lines of text centred in it, so that a page's text is only what it shows.
fn draw_items(
    surface: &mut krilla::surface::Surface,
    scene: &Scene,
    bounds: &[Rect],
    fonts: &[Option<Font>],
    shown: Rect,
) {
    for (item, &bounds) in scene.items.iter().zip(bounds) {
        let visible = match item.kind {
            ItemKind::Glyphs { .. } => shown.contains(bounds.center()),
            _ => shown.intersects(bounds),
        };
        if !visible {
            continue;
        }
        let clipped = match item.clip.and_then(|clip| krilla_path(&rect_path(clip))) {
            Some(clip) => {
                surface.push_clip_path(&clip, &FillRule::NonZero);
                true
            }
            None => false,
        };
        match &item.kind {
            ItemKind::Fill { path, paint } => fill(surface, path, paint),
            ItemKind::Image {
                center,
                radius,
                image,
            } => photo(surface, *center, *radius, image),
            ItemKind::Stroke { path, width, paint } => stroke(surface, path, *width, paint),
            ItemKind::Glyphs { color, runs, text } => {
                surface.set_stroke(None);
                surface.set_fill(Some(solid_fill(*color)));
                for run in runs {
                    let Some(first) = run.glyphs.first() else {
                        continue;
                    };
                    let Some(Some(font)) = fonts.get(first.key.face) else {
                        continue;
                    };
                    let glyphs: Vec<KrillaGlyph> = run
                        .glyphs
                        .iter()
                        .enumerate()
                        .map(|(i, glyph)| {
                            let next = run.glyphs.get(i + 1).map_or(glyph.origin.x, |g| g.origin.x);
                            KrillaGlyph {
                                glyph_id: krilla::text::GlyphId::new(glyph.key.glyph),
                                text_range: glyph.text.clone(),
                                x_advance: (next - glyph.origin.x) / run.size,
                                x_offset: 0.0,
                                y_offset: (glyph.origin.y - first.origin.y) / run.size,
                                y_advance: 0.0,
                                location: None,
                            }
                        })
                        .collect();
                    let start = Point::from_xy(first.origin.x, first.origin.y);
                    surface.draw_glyphs(start, &glyphs, font.clone(), text, run.size, false);
                }
            }
        }
        if clipped {
            surface.pop();
        }
    }
}

fn krilla_path(path: &Path) -> Option<krilla::geom::Path> {
    let mut builder = PathBuilder::new();
    for segment in &path.segments {
        match *segment {
            Segment::Move(p) => builder.move_to(p.x, p.y),
            Segment::Line(p) => builder.line_to(p.x, p.y),
            Segment::Quad(c, p) => builder.quad_to(c.x, c.y, p.x, p.y),
            Segment::Cubic(a, b, p) => builder.cubic_to(a.x, a.y, b.x, b.y, p.x, p.y),
            Segment::Close => builder.close(),
        }
    }
    builder.finish()
}

fn rgb_of(color: Color32) -> (rgb::Color, NormalizedF32) {
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    (
        rgb::Color::new(r, g, b),
        NormalizedF32::new(a as f32 / 255.0).unwrap_or(NormalizedF32::ONE),
    )
}

fn solid_fill(color: Color32) -> Fill {
    let (color, opacity) = rgb_of(color);
    Fill {
        paint: color.into(),
        opacity,
        rule: FillRule::NonZero,
    }
}

fn paint_of(paint: &Paint) -> (krilla::paint::Paint, NormalizedF32) {
    match paint {
        Paint::Solid(color) => {
            let (color, opacity) = rgb_of(*color);
            (color.into(), opacity)
        }
        Paint::Vertical { top, bottom, stops } => {
            let gradient = LinearGradient {
                x1: 0.0,
                y1: *top,
                x2: 0.0,
                y2: *bottom,
                transform: Transform::identity(),
                spread_method: SpreadMethod::Pad,
                stops: stops
                    .iter()
                    .map(|(offset, color)| {
                        let (color, opacity) = rgb_of(*color);
                        Stop {
                            offset: NormalizedF32::new(*offset).unwrap_or(NormalizedF32::ZERO),
                            color: color.into(),
                            opacity,
                        }
                    })
                    .collect(),
                anti_alias: true,
            };
            (gradient.into(), NormalizedF32::ONE)
        }
    }
}

fn fill(surface: &mut krilla::surface::Surface, path: &Path, paint: &Paint) {
    let Some(path) = krilla_path(path) else {
        return;
    };
    let (paint, opacity) = paint_of(paint);
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint,
        opacity,
        rule: FillRule::NonZero,
    }));
    surface.draw_path(&path);
}

fn stroke(surface: &mut krilla::surface::Surface, path: &Path, width: f32, paint: &Paint) {
    let Some(path) = krilla_path(path) else {
        return;
    };
    let (paint, opacity) = paint_of(paint);
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint,
        width,
        opacity,
        ..Default::default()
    }));
    surface.draw_path(&path);
}

/// Whether `bytes` are a PDF file.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// The map JSON embedded in a PDF exported by journeymap: the first embedded-file
/// stream, inflated within the map size limit. Only our own writer's layout is read (a
/// dictionary with `/Type /EmbeddedFile`, a `/Length` and a Flate filter).
pub fn read_map_json(bytes: &[u8]) -> Result<String, PdfError> {
    let at = embedded_file_type(bytes).ok_or(PdfError::NoMap)?;
    let dict_start = rfind(&bytes[..at], b"<<").ok_or(PdfError::NoMap)?;
    let stream_at =
        find(bytes, b"stream", at).ok_or_else(|| PdfError::BadMap("no stream".into()))?;
    let dict = &bytes[dict_start..stream_at];
    let length = number_after(dict, b"/Length")
        .ok_or_else(|| PdfError::BadMap("the stream has no length".into()))?;
    let mut data_start = stream_at + b"stream".len();
    if bytes.get(data_start) == Some(&b'\r') {
        data_start += 1;
    }
    if bytes.get(data_start) == Some(&b'\n') {
        data_start += 1;
    }
    let data = bytes
        .get(data_start..data_start.saturating_add(length))
        .ok_or_else(|| PdfError::BadMap("the stream is cut short".into()))?;
    let mut json = String::new();
    let read = if find(dict, b"/FlateDecode", 0).is_some() {
        flate2::read::ZlibDecoder::new(data)
            .take(MAX_MAP_TEXT_BYTES + 1)
            .read_to_string(&mut json)
    } else {
        data.take(MAX_MAP_TEXT_BYTES + 1).read_to_string(&mut json)
    };
    read.map_err(|err| PdfError::BadMap(format!("cannot read it: {err}")))?;
    if json.len() as u64 > MAX_MAP_TEXT_BYTES {
        return Err(PdfError::BadMap(
            "it is larger than the map size limit".into(),
        ));
    }
    Ok(json)
}

/// Where the first `/Type /EmbeddedFile` is (with or without the space; not the
/// catalogue's `/EmbeddedFiles`).
fn embedded_file_type(bytes: &[u8]) -> Option<usize> {
    let name = b"/EmbeddedFile";
    let mut from = 0;
    while let Some(at) = find(bytes, name, from) {
        let ends = bytes
            .get(at + name.len())
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        let typed = bytes[..at].trim_ascii_end().ends_with(b"/Type");
        if ends && typed {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn number_after(dict: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(dict, key, 0)? + key.len();
    let digits: String = dict[at..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    digits.parse().ok()
}

/// A picture filling the square of a circle, cut to the circle.
fn photo(
    surface: &mut krilla::surface::Surface,
    center: egui::Pos2,
    radius: f32,
    image: &egui::ColorImage,
) {
    let [w, h] = image.size;
    let (Some(circle), Some(size)) = (
        krilla_path(&Path::circle(center, radius)),
        krilla::geom::Size::from_wh(2.0 * radius, 2.0 * radius),
    ) else {
        return;
    };
    let rgba: Vec<u8> = (image.pixels.iter())
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let picture = krilla::image::Image::from_rgba8(rgba, w as u32, h as u32);
    surface.push_clip_path(&circle, &FillRule::NonZero);
    surface.push_transform(&Transform::from_translate(
        center.x - radius,
        center.y - radius,
    ));
    surface.draw_image(picture, size);
    surface.pop();
    surface.pop();
}
