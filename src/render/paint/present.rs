//! A presentation step, drawn by the map's own painter: the map through the step's
//! camera with a presentation overlay (neighbouring stages dimmed, the emotion curve up
//! to this stage with its point enlarged, lanes not yet revealed veiled, a caption with
//! the funnel figure), or the title and summary slides. The editor's presentation and
//! the deck draw through this one function.

use super::{Ctx, MapLayout, paint, t};
use crate::model::Map;
use crate::render::present::{
    CAPTION_HEIGHT, PERSONA_WIDTH, SLIDE, SLIDE_MARGIN, SUMMARY_COLUMN, SlideText, Step, SummaryRow,
};
use crate::render::theme::Theme;
use egui::emath::TSTransform;
use egui::{Align2, Color32, Painter, Rangef, Rect, Stroke, StrokeKind, pos2, vec2};

pub struct StepPaint<'a> {
    pub layout: &'a MapLayout,
    pub map: &'a Map,
    pub theme: &'a Theme,
    pub text: &'a SlideText,
    pub step: Step,
    /// Slide points to screen points.
    pub slide: TSTransform,
    /// Map points to screen points: the step's camera, or one on its way there.
    pub camera: TSTransform,
    /// The personas' photos as textures, by persona index (none: initials instead).
    pub photos: &'a [Option<egui::TextureId>],
}

/// A persona photo as a texture's image: decoded within the photo limits, small.
pub fn photo_image(url: &str) -> Option<egui::ColorImage> {
    let image = crate::model::photo::decode_photo(url).ok()?;
    let image = image.thumbnail(256, 256).to_rgba8();
    let size = [image.width() as usize, image.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        image.as_raw(),
    ))
}

/// A texture drawn in a circle, its middle square filling it (a photo as an avatar).
fn photo_circle(
    painter: &Painter,
    texture: egui::TextureId,
    size: [usize; 2],
    center: egui::Pos2,
    radius: f32,
) {
    let [w, h] = size.map(|s| s.max(1) as f32);
    // The largest centred square of the image, in texture coordinates.
    let side = w.min(h);
    let half_uv = vec2(side / w, side / h) / 2.0;
    let mut mesh = egui::Mesh::with_texture(texture);
    const STEPS: usize = 48;
    mesh.vertices.push(egui::epaint::Vertex {
        pos: center,
        uv: pos2(0.5, 0.5),
        color: Color32::WHITE,
    });
    for i in 0..=STEPS {
        let angle = i as f32 / STEPS as f32 * std::f32::consts::TAU;
        let (sin, cos) = angle.sin_cos();
        let pos = center + vec2(cos, sin) * radius;
        let uv = pos2(0.5 + cos * half_uv.x, 0.5 + sin * half_uv.y);
        mesh.vertices.push(egui::epaint::Vertex {
            pos,
            uv,
            color: Color32::WHITE,
        });
        if i > 0 {
            let n = mesh.vertices.len() as u32;
            mesh.add_triangle(0, n - 2, n - 1);
        }
    }
    painter.add(egui::Shape::mesh(mesh));
}

/// How much of a neighbouring stage shows through its veil.
const DIMMED: f32 = 0.62;
/// The veil over what is not shown yet: the curve ahead, lanes still to come.
const HIDDEN: f32 = 0.94;

pub fn paint_step(painter: &Painter, step: &StepPaint) {
    let theme = step.theme;
    painter.rect_filled(painter.clip_rect(), 0.0, theme.page);
    match step.step {
        Step::Title => title_slide(painter, step),
        Step::Summary => summary_slide(painter, step),
        Step::Overview => paint(painter, step.layout, step.map, theme, step.camera, None),
        Step::Stage { stage, lanes } => stage_step(painter, step, stage, lanes),
    }
}

fn stage_step(painter: &Painter, step: &StepPaint, stage: usize, revealed: Option<usize>) {
    let (layout, theme, camera) = (step.layout, step.theme, step.camera);
    paint(painter, layout, step.map, theme, camera, None);
    let ctx = Ctx::new(painter, step.map, theme, camera);
    let rows = Rangef::new(
        layout.corner.top(),
        layout
            .lanes
            .last()
            .map_or(layout.corner.bottom(), |l| l.row.max),
    );
    let veil = |rect: Rect, strength: f32| {
        let rect = ctx.rect(rect);
        painter.rect_filled(rect, 0.0, theme.page.gamma_multiply(strength));
    };
    for (index, other) in layout.stages.iter().enumerate() {
        if index != stage {
            veil(Rect::from_x_y_ranges(other.column, rows), DIMMED);
        }
    }
    if stage > 0 {
        // The lane names are drawn again beside this stage: their own place fades out.
        veil(Rect::from_x_y_ranges(layout.corner.x_range(), rows), HIDDEN);
    }
    // The curve up to this stage only, and the lanes not revealed yet.
    for (index, lane) in layout.lanes.iter().enumerate() {
        let hidden_here = revealed.is_some_and(|last| index > last);
        for (column_index, column) in layout.stages.iter().enumerate() {
            let ahead = column_index > stage && lane.kind == crate::model::LaneKind::Emotion;
            if ahead || (hidden_here && column_index == stage) {
                veil(Rect::from_x_y_ranges(column.column, lane.row), HIDDEN);
            }
        }
    }
    let stage_id = &step.map.stages[stage].id;
    for emotion in &layout.emotions {
        for point in &emotion.points {
            if step.map.cards[point.card].stage != *stage_id {
                continue;
            }
            let color = t::emotion_color(point.score as f32);
            let center = ctx.pos(point.center);
            let radius = 11.0 * camera.scaling.clamp(0.6, 2.0);
            painter.circle(center, radius, color, Stroke::new(3.0, theme.board));
        }
    }
    // The lane names beside the column, wherever the column is on the map.
    let target = crate::render::present::camera_target(layout, step.step);
    if let Some(target) = target {
        let room = Rect::from_x_y_ranges(
            Rangef::new(target.left(), target.left() + layout.corner.width()),
            Rangef::new(layout.corner.top(), rows.max),
        );
        let shift = vec2(target.left() - layout.corner.left(), 0.0) * camera.scaling;
        let moved = TSTransform::from_translation(shift) * camera;
        let clipped = painter.with_clip_rect(ctx.rect(room).intersect(painter.clip_rect()));
        clipped.rect_filled(ctx.rect(room), 0.0, theme.board);
        let headers = Ctx::new(&clipped, step.map, theme, moved);
        super::board_ui(&headers, layout, true);
        super::lanes_ui(&headers, layout);
        lane_labels(painter, step, ctx.rect(room), revealed);
    }
    caption_ui(painter, step, stage);
}

/// The slide's own size of the lane names, in slide points.
const LANE_LABEL: f32 = 11.0;

/// The lane names again at a size the room can read, in the slide's margin left of the
/// column, each level with its lane: a tall map's step shows its lanes small.
fn lane_labels(painter: &Painter, step: &StepPaint, room: Rect, revealed: Option<usize>) {
    let slide = step.slide.scaling;
    let size = LANE_LABEL * slide;
    let right = room.left() - 10.0 * slide;
    let width = right - step.slide.mul_pos(pos2(SLIDE_MARGIN, 0.0)).x;
    if width < 80.0 * slide {
        return;
    }
    let theme = step.theme;
    let font = t::style(LANE_LABEL, t::Weight::Semibold, 16.0).font.family;
    for (index, (lane, model)) in step.layout.lanes.iter().zip(&step.map.lanes).enumerate() {
        let row = step.camera.mul_pos(pos2(0.0, lane.row.min)).y
            ..step.camera.mul_pos(pos2(0.0, lane.row.max)).y;
        let hidden = revealed.is_some_and(|last| index > last);
        if hidden || model.name.is_empty() || row.end - row.start < size * 1.2 {
            continue;
        }
        let mut job = egui::text::LayoutJob::single_section(
            model.name.clone(),
            egui::TextFormat::simple(egui::FontId::new(size, font.clone()), theme.text),
        );
        job.wrap = egui::text::TextWrapping {
            max_width: width,
            max_rows: 1,
            break_anywhere: true,
            overflow_character: Some('…'),
        };
        let galley = painter.layout_job(job);
        let top = row.start + 6.0 * step.camera.scaling.min(1.0);
        let at = pos2(right - galley.size().x, top);
        let marker = Rect::from_min_size(
            pos2(right + 4.0 * slide, top),
            vec2(3.0 * slide, galley.size().y),
        );
        // On the page's colour: the dimmed stages to the left stay behind the name.
        let backing = Rect::from_min_max(at, marker.right_bottom()).expand2(vec2(6.0, 3.0) * slide);
        painter.rect_filled(backing, 4.0 * slide, theme.page.gamma_multiply(0.94));
        painter.rect_filled(marker, 1.5 * slide, theme.lane_color(index, model.color));
        painter.galley(at, galley, theme.text);
    }
}

/// The stage's name, funnel figure and drop-off large, and its description.
fn caption_ui(painter: &Painter, step: &StepPaint, stage: usize) {
    let Some(caption) = step.text.captions.get(stage) else {
        return;
    };
    let theme = step.theme;
    let slide = Ctx::new(painter, step.map, theme, step.slide);
    let band = Rect::from_min_max(
        pos2(SLIDE_MARGIN, SLIDE.y - CAPTION_HEIGHT),
        pos2(SLIDE.x - SLIDE_MARGIN, SLIDE.y - SLIDE_MARGIN / 2.0),
    );
    slide.raised(
        band,
        t::CARD_RADIUS,
        &theme.card_shadow,
        theme.card,
        theme.card_border,
    );
    let color = theme.stage_color(stage, step.map.stages[stage].color);
    let bar = Rect::from_min_size(band.min, vec2(6.0, band.height()));
    painter.rect_filled(slide.rect(bar), slide.radius(3), color);
    let left = band.min.x + 24.0;
    let mut y = band.min.y + 14.0;
    slide.text(&caption.name, pos2(left, y), theme.text);
    y += caption.name.height() + 2.0;
    slide.text(&caption.description, pos2(left, y), theme.text_muted);
    if let Some(funnel) = &caption.funnel {
        let right = band.max.x - 24.0;
        let top = band.min.y + 12.0;
        slide.text(funnel, pos2(right - funnel.width, top), color);
        if let Some(drop) = &caption.drop {
            let y = top + funnel.height() + 2.0;
            slide.text(drop, pos2(right - drop.width, y), theme.text_muted);
        }
    }
}

fn title_slide(painter: &Painter, step: &StepPaint) {
    let (theme, text) = (step.theme, step.text);
    let slide = Ctx::new(painter, step.map, theme, step.slide);
    let personas = text.personas.len() as f32;
    let title_top = if personas > 0.0 { 96.0 } else { 190.0 };
    let centered = |block: &crate::render::text::TextBlock, y: f32| {
        slide.text_centered(block, pos2((SLIDE.x - block.width) / 2.0, y), theme.text)
    };
    centered(&text.title, title_top);
    let subtitle_top = title_top + text.title.height() + 8.0;
    slide.text_centered(
        &text.subtitle,
        pos2((SLIDE.x - text.subtitle.width) / 2.0, subtitle_top),
        theme.text_muted,
    );
    let accent = Rect::from_center_size(
        pos2(SLIDE.x / 2.0, subtitle_top + text.subtitle.height() + 18.0),
        vec2(64.0, 4.0),
    );
    painter.rect_filled(slide.rect(accent), slide.radius(2), theme.accent);
    if personas == 0.0 {
        return;
    }
    let gap = 24.0;
    let width = personas * PERSONA_WIDTH + (personas - 1.0) * gap;
    let top = accent.bottom() + 36.0;
    for (i, persona) in text.personas.iter().enumerate() {
        let left = (SLIDE.x - width) / 2.0 + i as f32 * (PERSONA_WIDTH + gap);
        let height = 16.0 + 44.0 + persona.role.height() + 8.0 + persona.quote.height() + 16.0;
        let rect = Rect::from_min_size(pos2(left, top), vec2(PERSONA_WIDTH, height.max(120.0)));
        slide.raised(
            rect,
            t::CARD_RADIUS,
            &theme.card_shadow,
            theme.card,
            theme.card_border,
        );
        let model = &step.map.personas[persona.persona];
        let color = theme.persona_color(persona.persona, model.color);
        let avatar = pos2(rect.min.x + 36.0, rect.min.y + 36.0);
        let photo = step.photos.get(persona.persona).copied().flatten();
        let size = photo.and_then(|id| painter.ctx().tex_manager().read().meta(id).map(|m| m.size));
        match photo.zip(size) {
            Some((texture, size)) => {
                photo_circle(
                    painter,
                    texture,
                    size,
                    slide.pos(avatar),
                    20.0 * slide.zoom(),
                );
            }
            None => {
                painter.circle_filled(slide.pos(avatar), 20.0 * slide.zoom(), color);
                painter.text(
                    slide.pos(avatar),
                    Align2::CENTER_CENTER,
                    crate::render::layout::initials(&model.name),
                    slide.font(&t::style(15.0, t::Weight::Bold, 20.0).font),
                    t::text_on(color),
                );
            }
        }
        let x = rect.min.x + 64.0;
        slide.text(&persona.name, pos2(x, rect.min.y + 24.0), theme.text);
        let mut y = rect.min.y + 16.0 + 44.0;
        slide.text(&persona.role, pos2(rect.min.x + 16.0, y), theme.text_faint);
        y += persona.role.height() + 8.0;
        slide.text(&persona.quote, pos2(rect.min.x + 16.0, y), theme.text_muted);
    }
}

fn summary_slide(painter: &Painter, step: &StepPaint) {
    let (theme, text) = (step.theme, step.text);
    let slide = Ctx::new(painter, step.map, theme, step.slide);
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
        slide.text(heading, pos2(left, y), theme.text);
        y += heading.height() + 14.0;
        for row in rows {
            y += summary_row(&slide, step, row, left, y) + 8.0;
        }
    }
}

/// One listed card: a severity chip (or the stage's colour), its title and its stage.
fn summary_row(slide: &Ctx, step: &StepPaint, row: &SummaryRow, left: f32, top: f32) -> f32 {
    let theme = step.theme;
    let height = row.title.height().max(row.stage.height()) + 16.0;
    let rect = Rect::from_min_size(pos2(left, top), vec2(SUMMARY_COLUMN, height));
    slide.painter.rect(
        slide.rect(rect),
        slide.radius(8),
        theme.card,
        Stroke::new(1.0, theme.card_border),
        StrokeKind::Inside,
    );
    let card = &step.map.cards[row.card];
    let stage = step.map.stage_index(&card.stage).unwrap_or(0);
    let color = match row.severity {
        Some(severity) => t::severity_color(severity),
        None => theme.stage_color(stage, step.map.stages.get(stage).and_then(|s| s.color)),
    };
    let chip = Rect::from_min_size(pos2(left + 10.0, top + 8.0), vec2(82.0, height - 16.0));
    slide.painter.rect_filled(
        slide.rect(chip),
        slide.radius(6),
        color.gamma_multiply(0.16),
    );
    let label = match row.severity {
        Some(severity) => t::severity_label(severity),
        None => "Idea",
    };
    slide.painter.text(
        slide.pos(chip.center()),
        Align2::CENTER_CENTER,
        label,
        slide.font(&t::label_strong().font),
        darker(color),
    );
    slide.text(&row.title, pos2(left + 104.0, top + 8.0), theme.text);
    slide.text(
        &row.stage,
        pos2(rect.right() - 12.0 - row.stage.width, top + 8.0),
        theme.text_faint,
    );
    height
}

fn darker(color: Color32) -> Color32 {
    let [r, g, b, _] = color.to_array();
    Color32::from_rgb(
        (r as f32 * 0.7) as u8,
        (g as f32 * 0.7) as u8,
        (b as f32 * 0.7) as u8,
    )
}

/// The map points of the screen for a step with no map (none), for hit tests.
pub fn shows_map(step: Step) -> bool {
    matches!(step, Step::Overview | Step::Stage { .. })
}
