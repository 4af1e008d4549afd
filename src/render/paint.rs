//! The one painter: the canvas and the PNG export both draw a map with [`paint`].
//!
//! Everything is drawn from a [`MapLayout`] through a pan/zoom transform; text is laid
//! out at the zoomed size, never scaled as a bitmap, so it stays crisp at any zoom.

mod pinned;
pub mod present;

pub use pinned::{HeaderHit, MIN_HEADER_SCALE, PinnedHeaders};

use super::layout::{
    CardLayout, Chip, ChipKind, EmotionCurve, EmotionLayout, LaneLayout, MapLayout, POINT_RADIUS,
    StageLayout,
};
use super::text::TextBlock;
use super::theme::{self as t, Theme};
use crate::model::{Evidence, LaneKind, Map};
use egui::emath::TSTransform;
use egui::epaint::{ColorMode, CornerRadius, PathShape, PathStroke, Shape, StrokeKind};
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, Vec2, pos2, vec2};
use std::sync::Arc;

/// What only the canvas draws on top of the map: selection, hover, drag feedback.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    /// Indices into `Map::cards`.
    pub selected: Vec<usize>,
    pub hovered: Option<usize>,
    /// Cards being dragged (indices into `Map::cards`, sorted) and how far, in map points.
    pub dragging: Option<(Vec<usize>, Vec2)>,
    /// Where the dragged cards would land: a line in map points.
    pub insertion: Option<[Pos2; 2]>,
    /// Headers pinned to the canvas's edges (the canvas's frozen panes); exports have none.
    pub pinned: Option<PinnedHeaders>,
    /// The cards a search or filter shows (indices into `Map::cards`, ascending): they
    /// are ringed, the others faded. `None` when nothing is filtered.
    pub shown: Option<std::sync::Arc<Vec<usize>>>,
}

/// How much of a card that the filter hides still shows.
const FILTERED_OUT_OPACITY: f32 = 0.22;

/// How much of a card is drawn, chosen by the size its title has on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// Plain blocks without text, shadow or rounding.
    Blocks,
    /// Titles only, at [`READABLE_TITLE`] size, without notes or footer.
    Titles,
    /// Everything, as laid out.
    Full,
}

/// The smallest size (in screen points) a card title is drawn at; below it, cards show
/// their title only, at this size.
pub const READABLE_TITLE: f32 = 9.0;
/// Below this on-screen title size a card is too small to hold a readable title.
const BLOCKS_BELOW: f32 = 3.0;
/// Text smaller than this on the screen is not drawn: it would be noise, and slow.
const SMALLEST_TEXT: f32 = 4.0;

impl Detail {
    /// The detail for cards whose title is `title_size` points high on the screen.
    pub fn for_title_size(title_size: f32) -> Self {
        if title_size >= READABLE_TITLE {
            Detail::Full
        } else if title_size >= BLOCKS_BELOW {
            Detail::Titles
        } else {
            Detail::Blocks
        }
    }

    /// The detail of cards drawn at `zoom`.
    pub fn at_zoom(zoom: f32) -> Self {
        Self::for_title_size(t::card_title().font.size * zoom)
    }
}

struct Ctx<'a> {
    painter: &'a Painter,
    map: &'a Map,
    theme: &'a Theme,
    transform: TSTransform,
    visible: Rect,
    detail: Detail,
}

impl<'a> Ctx<'a> {
    fn new(painter: &'a Painter, map: &'a Map, theme: &'a Theme, transform: TSTransform) -> Self {
        Self {
            painter,
            map,
            theme,
            transform,
            visible: painter.clip_rect(),
            detail: Detail::at_zoom(transform.scaling),
        }
    }

    /// The same drawing through another painter (a clip) and transform.
    fn with<'b>(&self, painter: &'b Painter, transform: TSTransform) -> Ctx<'b>
    where
        'a: 'b,
    {
        Ctx::new(painter, self.map, self.theme, transform)
    }

    fn zoom(&self) -> f32 {
        self.transform.scaling
    }

    fn rect(&self, rect: Rect) -> Rect {
        self.transform.mul_rect(rect)
    }

    fn pos(&self, pos: Pos2) -> Pos2 {
        self.transform * pos
    }

    fn shows(&self, rect: Rect) -> bool {
        self.visible.intersects(self.rect(rect))
    }

    fn radius(&self, radius: u8) -> CornerRadius {
        CornerRadius::from((radius as f32 * self.zoom()).min(255.0))
    }

    fn font(&self, font: &FontId) -> FontId {
        FontId::new(font.size * self.zoom(), font.family.clone())
    }

    /// A rounded panel with a shadow and a hairline border (a persona card, the board).
    fn raised(
        &self,
        rect: Rect,
        radius: u8,
        shadow: &egui::epaint::Shadow,
        fill: Color32,
        border: Color32,
    ) {
        let (rect, radius) = (self.rect(rect), self.radius(radius));
        self.painter.add(shadow.as_shape(rect, radius));
        self.painter.rect(
            rect,
            radius,
            fill,
            Stroke::new(1.0, border),
            StrokeKind::Inside,
        );
    }

    /// Whether text of this size would be legible on the screen.
    fn legible(&self, font: &FontId) -> bool {
        font.size * self.zoom() >= SMALLEST_TEXT
    }

    /// Draws each fixed line of a block; `pos` is its top left in map points.
    fn text(&self, block: &TextBlock, pos: Pos2, color: Color32) {
        self.text_aligned(block, pos, color, Align2::LEFT_CENTER);
    }

    /// Each line centred on the block's middle (`pos` is the block's top left).
    fn text_centered(&self, block: &TextBlock, pos: Pos2, color: Color32) {
        self.text_aligned(block, pos, color, Align2::CENTER_CENTER);
    }

    fn text_aligned(&self, block: &TextBlock, pos: Pos2, color: Color32, align: Align2) {
        if !self.legible(&block.style.font) {
            return;
        }
        let font = self.font(&block.style.font);
        let line_height = block.style.line_height;
        for (i, line) in block.lines.iter().enumerate() {
            let x = match align.x() {
                egui::Align::Min => pos.x,
                egui::Align::Center => pos.x + block.width / 2.0,
                egui::Align::Max => pos.x + block.width,
            };
            let anchor = pos2(x, pos.y + (i as f32 + 0.5) * line_height);
            if line.is_empty() {
                continue;
            }
            self.painter.text(
                self.pos(anchor),
                Align2([align.x(), egui::Align::Center]),
                line,
                font.clone(),
                color,
            );
        }
    }
}

/// Paints the map. `transform` maps map points to screen points (the canvas pans and
/// zooms with it; the exporter passes the identity). `overlay` is the canvas's only.
///
/// In three layers, the same for every output: what lies under the cards, the cards and
/// emotion curves (all that grows with the map, which the canvas draws once and keeps
/// as a mesh, `app::canvas::content`), and what lies over them.
pub fn paint(
    painter: &Painter,
    layout: &MapLayout,
    map: &Map,
    theme: &Theme,
    transform: TSTransform,
    overlay: Option<&Overlay>,
) {
    paint_under(painter, layout, map, theme, transform, overlay);
    paint_cards(painter, layout, map, theme, transform, overlay);
    paint_over(painter, layout, map, theme, transform, overlay);
}

/// The board, the title, personas, dividers, and the headers unless they are pinned.
pub fn paint_under(
    painter: &Painter,
    layout: &MapLayout,
    map: &Map,
    theme: &Theme,
    transform: TSTransform,
    overlay: Option<&Overlay>,
) {
    let ctx = Ctx::new(painter, map, theme, transform);
    let pinned = overlay.and_then(|o| o.pinned);
    // The board first: the title and personas sit on it.
    board_ui(&ctx, layout, pinned.is_none());
    match &pinned {
        Some(pinned) => title_ui(&ctx.with(painter, pinned.title_transform()), layout),
        None => title_ui(&ctx, layout),
    }
    personas_ui(&ctx, layout);
    divider_lines_ui(&ctx, layout);
    if pinned.is_none() {
        stages_ui(&ctx, layout);
        lanes_ui(&ctx, layout);
    }
}

/// The cards within the painter's clip rect and the emotion curves. Of the overlay,
/// only the dragged cards (drawn faint where they were) and the filter (the cards it
/// hides drawn faint) change them.
pub fn paint_cards(
    painter: &Painter,
    layout: &MapLayout,
    map: &Map,
    theme: &Theme,
    transform: TSTransform,
    overlay: Option<&Overlay>,
) {
    let ctx = Ctx::new(painter, map, theme, transform);
    let dragged: &[usize] = overlay
        .and_then(|o| o.dragging.as_ref())
        .map_or(&[], |(cards, _)| cards.as_slice());
    let shown = overlay.and_then(|o| o.shown.as_deref());
    for card in &layout.cards {
        if ctx.shows(card.rect.expand(12.0)) {
            let lifted = dragged.binary_search(&card.card).is_ok();
            let filtered_out = shown.is_some_and(|shown| shown.binary_search(&card.card).is_err());
            let opacity = match (lifted, filtered_out) {
                (true, _) => 0.35,
                (false, true) => FILTERED_OUT_OPACITY,
                (false, false) => 1.0,
            };
            card_ui(&ctx, card, Vec2::ZERO, opacity);
        }
    }
    for emotion in &layout.emotions {
        emotion_ui(&ctx, layout, emotion);
    }
}

/// The legend, pinned headers and the overlay (hover, selection, the cards being
/// dragged, the filter's rings).
pub fn paint_over(
    painter: &Painter,
    layout: &MapLayout,
    map: &Map,
    theme: &Theme,
    transform: TSTransform,
    overlay: Option<&Overlay>,
) {
    let ctx = Ctx::new(painter, map, theme, transform);
    legend_ui(&ctx, layout);
    if let Some(pinned) = overlay.and_then(|o| o.pinned.as_ref()) {
        pinned::headers_ui(&ctx, layout, pinned);
    }
    if let Some(overlay) = overlay {
        overlay_ui(&ctx, layout, overlay);
    }
}

fn title_ui(ctx: &Ctx, layout: &MapLayout) {
    if let Some(title) = &layout.title {
        // On the board: the board's own inks, whatever the page behind it.
        let theme = ctx.theme;
        ctx.text(&title.title, title.rect.min, theme.text);
        let subtitle_top = title.rect.min.y + title.title.height() + 4.0;
        ctx.text(
            &title.subtitle,
            pos2(title.rect.min.x, subtitle_top),
            theme.text_muted,
        );
    }
}

fn personas_ui(ctx: &Ctx, layout: &MapLayout) {
    let theme = ctx.theme;
    for strip in &layout.personas {
        let persona = &ctx.map.personas[strip.persona];
        let rect = strip.rect;
        ctx.raised(
            rect,
            t::CARD_RADIUS,
            &theme.card_shadow,
            theme.card,
            theme.card_border,
        );
        let color = theme.persona_color(strip.persona, persona.color);
        let avatar = pos2(
            rect.min.x + t::CARD_PADDING + 14.0,
            rect.min.y + t::CARD_PADDING + 14.0,
        );
        ctx.painter
            .circle_filled(ctx.pos(avatar), 14.0 * ctx.zoom(), color);
        let initials = super::layout::initials(&persona.name);
        if ctx.legible(&t::label_strong().font) {
            ctx.painter.text(
                ctx.pos(avatar),
                Align2::CENTER_CENTER,
                initials,
                ctx.font(&t::label_strong().font),
                t::text_on(color),
            );
        }
        let x = rect.min.x + t::CARD_PADDING + 40.0;
        let mut y = rect.min.y + t::CARD_PADDING;
        ctx.text(&strip.name, pos2(x, y), theme.text);
        y += strip.name.height();
        ctx.text(&strip.role, pos2(x, y), theme.text_faint);
        y += strip.role.height() + 6.0;
        ctx.text(&strip.quote, pos2(x, y), theme.text_muted);
    }
}

/// The board and its grid; `corner` says whether to label the corner (the canvas's
/// pinned headers draw their own).
fn board_ui(ctx: &Ctx, layout: &MapLayout, corner: bool) {
    let theme = ctx.theme;
    let board = layout.board;
    ctx.raised(
        board,
        t::BOARD_RADIUS,
        &theme.board_shadow,
        theme.board,
        theme.board_border,
    );
    let Some(first) = layout.lanes.first() else {
        return;
    };
    let rows = egui::Rangef::new(
        first.row.min,
        layout.lanes.last().map_or(first.row.max, |l| l.row.max),
    );
    // Column tints, then the lane header column, then hairlines between lanes.
    for (index, stage) in layout.stages.iter().enumerate() {
        let color = theme.stage_color(index, ctx.map.stages[index].color);
        let rect = Rect::from_x_y_ranges(stage.column, rows);
        ctx.painter
            .rect_filled(ctx.rect(rect), 0, theme.column_fill(color));
    }
    let header_column = Rect::from_x_y_ranges(layout.corner.x_range(), rows);
    ctx.painter
        .rect_filled(ctx.rect(header_column), 0, theme.header_column);
    let hairline = Stroke::new(1.0, theme.hairline);
    // Hairlines span the tinted grid, not the board's margin; dividers draw their own.
    let x_range = egui::Rangef::new(
        header_column.left(),
        layout
            .stages
            .last()
            .map_or(header_column.right(), |s| s.column.max),
    );
    for pair in layout.lanes.windows(2) {
        let [above, lane] = pair else { continue };
        if above.kind == LaneKind::Divider || lane.kind == LaneKind::Divider {
            continue;
        }
        let left = ctx.pos(pos2(x_range.min, lane.row.min));
        let right = ctx.pos(pos2(x_range.max, lane.row.min));
        ctx.painter.line_segment([left, right], hairline);
    }
    let top = ctx.pos(pos2(header_column.right(), rows.min));
    let bottom = ctx.pos(pos2(header_column.right(), rows.max));
    ctx.painter.line_segment([top, bottom], hairline);
    if corner {
        corner_ui(ctx, layout.corner);
    }
}

fn corner_ui(ctx: &Ctx, corner: Rect) {
    let block = TextBlock {
        lines: vec!["LANES / STAGES".to_owned()].into(),
        style: t::caps(),
        width: 0.0,
    };
    let pos = pos2(
        corner.min.x + t::CELL_PADDING + 4.0,
        corner.center().y - 7.0,
    );
    ctx.text(&block, pos, ctx.theme.text_faint);
}

fn stages_ui(ctx: &Ctx, layout: &MapLayout) {
    let count = layout.stages.len();
    // Right to left: each band's arrow tip lies over the start of the next one.
    for (index, stage) in layout.stages.iter().enumerate().rev() {
        stage_header_ui(ctx, ctx, index, stage, index + 1 == count);
    }
}

/// Width of the arrow tip of a stage band, over the start of the next band.
const STAGE_TIP: f32 = 12.0;

/// One stage's band; its text goes through `text` (a clip to the band, when pinned).
fn stage_header_ui(ctx: &Ctx, text: &Ctx, index: usize, stage: &StageLayout, last: bool) {
    let color = ctx.theme.stage_color(index, ctx.map.stages[index].color);
    let r = stage.header;
    let mut points = vec![r.left_top(), r.right_top()];
    if !last {
        points.push(pos2(r.right() + STAGE_TIP, r.center().y));
    }
    points.extend([r.right_bottom(), r.left_bottom()]);
    let points: Vec<Pos2> = points.into_iter().map(|p| ctx.pos(p)).collect();
    let outline = Stroke::new(2.0 * ctx.zoom().min(1.0), ctx.theme.board);
    ctx.painter
        .add(PathShape::convex_polygon(points, color, outline));

    let ink = t::text_on(color);
    let x = r.left() + if index == 0 { 14.0 } else { STAGE_TIP + 12.0 };
    let mut y = r.top() + 16.0;
    let number = TextBlock {
        lines: vec![stage.number.clone()].into(),
        style: t::stage_number(),
        width: 18.0,
    };
    text.text(&number, pos2(x, y + 3.0), ink);
    text.text(&stage.name, pos2(x + 22.0, y), ink);
    y += stage.name.height() + 2.0;
    if let Some(funnel) = &stage.funnel {
        text.text(funnel, pos2(x + 22.0, y), ink);
    }
}

fn lanes_ui(ctx: &Ctx, layout: &MapLayout) {
    for (index, lane) in layout.lanes.iter().enumerate() {
        if ctx.shows(Rect::from_x_y_ranges(layout.board.x_range(), lane.row)) {
            lane_header_ui(ctx, index, lane);
        }
    }
    for emotion in &layout.emotions {
        let lane = &layout.lanes[emotion.lane];
        emotion_scale_ui(ctx, lane, emotion.plot, &emotion.curves, &emotion.keys);
    }
}

/// One lane's header (a divider's is its label).
fn lane_header_ui(ctx: &Ctx, index: usize, lane: &LaneLayout) {
    let theme = ctx.theme;
    let color = theme.lane_color(index, ctx.map.lanes[index].color);
    let x = lane.header.left() + t::CELL_PADDING;
    if lane.kind == LaneKind::Divider {
        divider_ui(ctx, lane, x);
        return;
    }
    let top = lane.row.min + t::CELL_PADDING;
    let detail_height = lane.detail.as_ref().map_or(0.0, |d| d.height() + 2.0);
    let bar = Rect::from_min_size(
        pos2(x, top + 2.0),
        vec2(3.0, lane.name.height() + detail_height - 4.0),
    );
    ctx.painter.rect_filled(ctx.rect(bar), ctx.radius(2), color);
    ctx.text(&lane.name, pos2(x + 11.0, top), theme.text);
    if let Some(detail) = &lane.detail {
        let y = top + lane.name.height() + 2.0;
        kind_icon_ui(ctx, lane.kind, pos2(x + 11.0, y + 2.0), theme.text_faint);
        ctx.text(detail, pos2(x + 26.0, y), theme.text_faint);
    }
}

/// A 10 pt mark of a lane's kind next to its card count: stacked cards, or a wave.
fn kind_icon_ui(ctx: &Ctx, kind: LaneKind, top_left: Pos2, color: Color32) {
    match kind {
        LaneKind::Cards => {
            for dy in [0.0, 5.0] {
                let card = Rect::from_min_size(top_left + vec2(0.0, dy + 0.5), vec2(11.0, 4.0));
                ctx.painter
                    .rect_filled(ctx.rect(card), ctx.radius(1), color);
            }
        }
        LaneKind::Emotion => {
            let wave: Vec<Pos2> = (0..=12)
                .map(|i| {
                    let t = i as f32 / 12.0;
                    let y = 5.0 - 3.5 * (t * std::f32::consts::TAU).sin();
                    ctx.pos(top_left + vec2(11.0 * t, y))
                })
                .collect();
            ctx.painter
                .add(PathShape::line(wave, Stroke::new(1.5 * ctx.zoom(), color)));
        }
        LaneKind::Divider => {}
    }
}

/// A divider's label, in the lane header.
fn divider_ui(ctx: &Ctx, lane: &LaneLayout, x: f32) {
    let label = &lane.name;
    let y = lane.row.center();
    ctx.text(
        label,
        pos2(x, y - label.height() / 2.0),
        ctx.theme.text_muted,
    );
}

/// A divider's dashed line, from after its label to `end`, the right of the grid.
fn divider_line_ui(ctx: &Ctx, lane: &LaneLayout, end: f32) {
    let y = lane.row.center();
    let line_color = ctx.theme.text_faint.gamma_multiply(0.7);
    // The line starts after the label, so no dash peeks out on its left.
    let x = lane.header.left() + t::CELL_PADDING + lane.name.width + 10.0;
    let zoom = ctx.zoom();
    ctx.painter.extend(Shape::dashed_line(
        &[ctx.pos(pos2(x, y)), ctx.pos(pos2(end, y))],
        Stroke::new(1.5 * zoom.min(1.5), line_color),
        6.0 * zoom,
        5.0 * zoom,
    ));
}

/// The dashed lines of the dividers across the grid.
fn divider_lines_ui(ctx: &Ctx, layout: &MapLayout) {
    let end = layout
        .stages
        .last()
        .map_or(layout.corner.right(), |s| s.column.max);
    for lane in layout.lanes.iter().filter(|l| l.kind == LaneKind::Divider) {
        if ctx.shows(Rect::from_x_y_ranges(layout.board.x_range(), lane.row)) {
            divider_line_ui(ctx, lane, end);
        }
    }
}

fn card_ui(ctx: &Ctx, card: &CardLayout, offset: Vec2, opacity: f32) {
    let theme = ctx.theme;
    let model = &ctx.map.cards[card.card];
    let rect = ctx.rect(card.rect.translate(offset));
    let fade = |c: Color32| c.gamma_multiply(opacity);
    // Zoomed far out a card is a plain block (level of detail): square corners, no
    // shadow, a fraction of the triangles.
    let rounded = ctx.detail > Detail::Blocks;
    let radius = if rounded {
        ctx.radius(t::CARD_RADIUS)
    } else {
        CornerRadius::ZERO
    };
    if opacity >= 1.0 && ctx.detail == Detail::Full {
        ctx.painter.add(theme.card_shadow.as_shape(rect, radius));
    }
    ctx.painter.rect(
        rect,
        radius,
        fade(theme.card),
        Stroke::new(1.0, fade(theme.card_border)),
        StrokeKind::Inside,
    );
    let stripe = model
        .severity
        .map(t::severity_color)
        .or(model.color.map(t::color32));
    if let Some(stripe) = stripe {
        let width = t::CARD_STRIPE * ctx.zoom();
        if rounded {
            let outline = stripe_outline(rect, radius.nw as f32, width);
            ctx.painter.add(PathShape::convex_polygon(
                outline,
                fade(stripe),
                Stroke::NONE,
            ));
        } else {
            let band = Rect::from_min_size(rect.min, vec2(width, rect.height()));
            ctx.painter.rect_filled(band, 0, fade(stripe));
        }
    }
    match ctx.detail {
        Detail::Blocks => {}
        Detail::Titles => card_title_only_ui(ctx, &model.title, rect, fade),
        Detail::Full => {
            let shift = |p: Pos2| p + offset;
            if card.title.is_empty() {
                let placeholder = TextBlock {
                    lines: vec![UNTITLED.to_owned()].into(),
                    style: t::card_title(),
                    width: 0.0,
                };
                ctx.text(&placeholder, shift(card.title_pos), fade(theme.text_faint));
            } else {
                ctx.text(&card.title, shift(card.title_pos), fade(theme.text));
            }
            ctx.text(&card.notes, shift(card.notes_pos), fade(theme.text_muted));
            for chip in &card.chips {
                chip_ui(ctx, chip, offset, opacity);
            }
        }
    }
}

const UNTITLED: &str = "Untitled card";

/// Zoomed out, a card's title alone, at a readable size, wrapped to the card on the
/// screen and cut with an ellipsis where the card ends (`rect` is on the screen).
fn card_title_only_ui(ctx: &Ctx, title: &str, rect: Rect, fade: impl Fn(Color32) -> Color32) {
    let style = t::card_title();
    let size = READABLE_TITLE.max(style.font.size * ctx.zoom());
    let row_height = size * style.line_height / style.font.size;
    let pad = (t::CARD_PADDING * ctx.zoom()).max(3.0);
    let inner = rect.shrink2(vec2(pad + t::CARD_STRIPE * ctx.zoom(), pad));
    let rows = (inner.height() / row_height).floor() as usize;
    if rows == 0 || inner.width() < size * 2.0 {
        return;
    }
    let (text, color) = match title {
        "" => (UNTITLED, ctx.theme.text_faint),
        title => (title, ctx.theme.text),
    };
    let mut job = egui::text::LayoutJob::single_section(
        text.to_owned(),
        egui::TextFormat {
            font_id: FontId::new(size, style.font.family),
            line_height: Some(row_height),
            color: fade(color),
            ..Default::default()
        },
    );
    job.wrap = egui::text::TextWrapping {
        max_width: inner.width(),
        max_rows: rows,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    let galley = ctx.painter.layout_job(job);
    ctx.painter.galley(inner.min, galley, fade(color));
}

/// The left `width` of a rounded rect: its left corners follow the card's rounding.
fn stripe_outline(rect: Rect, radius: f32, width: f32) -> Vec<Pos2> {
    let radius = radius.min(rect.height() / 2.0).min(rect.width() / 2.0);
    // How far the rounded edge sits inside the rect, `dx` points from its left side.
    let inset = |dx: f32| {
        let from_center = (radius - dx).max(0.0);
        radius
            - (radius * radius - from_center * from_center)
                .max(0.0)
                .sqrt()
    };
    const STEPS: usize = 8;
    let xs: Vec<f32> = (0..=STEPS)
        .map(|i| width * i as f32 / STEPS as f32)
        .collect();
    // Clockwise on screen, as the tessellator expects.
    let top = xs
        .iter()
        .map(|&dx| pos2(rect.left() + dx, rect.top() + inset(dx)));
    let bottom = xs
        .iter()
        .rev()
        .map(|&dx| pos2(rect.left() + dx, rect.bottom() - inset(dx)));
    top.chain(bottom).collect()
}

fn chip_ui(ctx: &Ctx, chip: &Chip, offset: Vec2, opacity: f32) {
    let theme = ctx.theme;
    let rect = chip.rect.translate(offset);
    let screen = ctx.rect(rect);
    let fade = |c: Color32| c.gamma_multiply(opacity);
    let pill = ctx.radius((rect.height() / 2.0).min(10.0) as u8);
    let mark_center = pos2(
        rect.left() + 7.0 + super::layout::chip_mark_width(chip.kind) / 2.0 - 1.0,
        rect.center().y,
    );
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
            face_ui(ctx, rect.center(), rect.height() / 2.0, score, opacity);
            return;
        }
        ChipKind::Metric => {
            ctx.text(&chip.text, chip.text_pos + offset, fade(theme.text_muted));
            if let Some((value, pos)) = &chip.value {
                ctx.text(value, *pos + offset, fade(theme.text));
            }
            return;
        }
        ChipKind::Tag | ChipKind::Evidence(_) => (theme.chip, theme.chip_text),
    };
    let rounding = if chip.kind == ChipKind::Owner {
        ctx.radius(255)
    } else {
        pill
    };
    ctx.painter.rect_filled(screen, rounding, fade(fill));
    match chip.kind {
        ChipKind::Channel(channel) => {
            ctx.painter.text(
                ctx.pos(mark_center),
                Align2::CENTER_CENTER,
                t::channel_icon(channel),
                ctx.font(&FontId::proportional(10.5)),
                fade(ink),
            );
        }
        ChipKind::Severity(severity) => {
            let bars = t::severity_bars(severity);
            for i in 0..3 {
                let height = 4.0 + 2.5 * i as f32;
                let bar = Rect::from_min_size(
                    pos2(
                        mark_center.x - 5.0 + i as f32 * 3.5,
                        mark_center.y + 5.0 - height,
                    ),
                    vec2(2.5, height),
                );
                let color = if i < bars {
                    t::severity_color(severity)
                } else {
                    ink.gamma_multiply(0.25)
                };
                ctx.painter.rect_filled(ctx.rect(bar), 0, fade(color));
            }
        }
        ChipKind::Evidence(evidence) => evidence_mark(ctx, mark_center, evidence, fade(ink)),
        _ => {}
    }
    ctx.text(&chip.text, chip.text_pos + offset, fade(ink));
}

/// Observed: a filled dot; assumed: a half-filled dot; proposed: a ring.
fn evidence_mark(ctx: &Ctx, center: Pos2, evidence: Evidence, color: Color32) {
    let c = ctx.pos(center);
    let r = 3.5 * ctx.zoom();
    let ring = Stroke::new(1.2 * ctx.zoom(), color);
    match evidence {
        Evidence::Observed => {
            ctx.painter.circle_filled(c, r, color);
        }
        Evidence::Assumed => {
            ctx.painter.circle_stroke(c, r, ring);
            let half: Vec<Pos2> = (0..=12)
                .map(|i| {
                    let a = std::f32::consts::PI * (0.5 + i as f32 / 12.0);
                    c + r * vec2(a.cos(), a.sin())
                })
                .collect();
            ctx.painter
                .add(PathShape::convex_polygon(half, color, Stroke::NONE));
        }
        Evidence::Proposed => {
            ctx.painter.circle_stroke(c, r, ring);
        }
    }
}

/// An emotion face: the colour and the mouth both say how the customer feels.
pub fn face(painter: &Painter, center: Pos2, radius: f32, score: i8, fill: Color32, ink: Color32) {
    painter.circle_filled(center, radius, fill);
    let eye = radius * 0.13;
    for side in [-1.0, 1.0] {
        painter.circle_filled(
            center + vec2(side * radius * 0.33, -radius * 0.22),
            eye.max(0.8),
            ink,
        );
    }
    let curve = score as f32 * 0.16 * radius;
    let mouth_y = center.y + radius * 0.3 - curve * 0.5;
    let half = radius * 0.42;
    let points: Vec<Pos2> = (0..=8)
        .map(|i| {
            let s = i as f32 / 8.0 * 2.0 - 1.0;
            pos2(center.x + s * half, mouth_y + curve * (1.0 - s * s))
        })
        .collect();
    painter.add(PathShape::line(
        points,
        Stroke::new((radius * 0.14).max(1.0), ink),
    ));
}

fn face_ui(ctx: &Ctx, center: Pos2, radius: f32, score: i8, opacity: f32) {
    let fill = t::emotion_color(score as f32).gamma_multiply(opacity);
    let ink = Color32::from_rgb(0x1f, 0x21, 0x27).gamma_multiply(opacity);
    face(
        ctx.painter,
        ctx.pos(center),
        radius * ctx.zoom(),
        score,
        fill,
        ink,
    );
}

fn emotion_ui(ctx: &Ctx, layout: &MapLayout, emotion: &EmotionLayout) {
    let theme = ctx.theme;
    let plot = emotion.plot;
    if !ctx.shows(plot.expand(40.0)) {
        return;
    }
    // Guides at -2..+2, the neutral one dashed (the faces are the header's).
    for score in -2..=2 {
        let y = emotion.y_of(score as f32);
        let from = ctx.pos(pos2(plot.left(), y));
        let to = ctx.pos(pos2(plot.right(), y));
        let guide = Stroke::new(1.0, theme.hairline);
        if score == 0 {
            let dash = Stroke::new(1.0, theme.text_faint.gamma_multiply(0.45));
            ctx.painter.extend(Shape::dashed_line(
                &[from, to],
                dash,
                5.0 * ctx.zoom(),
                4.0 * ctx.zoom(),
            ));
        } else {
            ctx.painter.line_segment([from, to], guide);
        }
    }
    let single = emotion.curves.len() == 1;
    let curve_color = |curve: &EmotionCurve| curve_color(ctx, curve);
    for curve in &emotion.curves {
        let path: Vec<Pos2> = curve.path.iter().map(|p| ctx.pos(*p)).collect();
        let width = 3.0 * ctx.zoom().clamp(0.5, 2.0);
        let stroke = if single {
            // One persona: the line takes the colour of the feeling at each height.
            let top = ctx.pos(pos2(0.0, emotion.y_of(2.0))).y;
            let bottom = ctx.pos(pos2(0.0, emotion.y_of(-2.0))).y;
            let gradient = move |_: Rect, p: Pos2| {
                let score = 2.0 - 4.0 * (p.y - top) / (bottom - top).max(1.0);
                t::emotion_color(score)
            };
            PathStroke {
                width,
                color: ColorMode::UV(Arc::new(gradient)),
                kind: StrokeKind::Middle,
            }
        } else {
            PathStroke::new(width, curve_color(curve))
        };
        ctx.painter.add(PathShape::line(path, stroke));
    }
    // Labels sit on opaque plates of the column's own colour, above every curve.
    for point in &emotion.points {
        let fill = layout
            .stages
            .iter()
            .position(|s| s.column.contains(point.center.x))
            .map_or(theme.board, |i| {
                theme.column_fill(theme.stage_color(i, ctx.map.stages[i].color))
            });
        let plate = Rect::from_min_size(
            point.label_pos,
            vec2(point.label.width, point.label.height()),
        )
        .expand2(vec2(4.0, 1.0));
        ctx.painter
            .rect_filled(ctx.rect(plate), ctx.radius(4), fill);
        ctx.text_centered(&point.label, point.label_pos, theme.text);
    }
    // With several personas, each point's ring says whose it is.
    for point in &emotion.points {
        let persona = ctx.map.cards[point.card]
            .persona
            .as_ref()
            .and_then(|id| ctx.map.persona_index(id));
        let ring_color = if single {
            theme.board
        } else {
            emotion
                .curves
                .iter()
                .find(|c| c.persona == persona)
                .map_or(theme.board, curve_color)
        };
        let ring = Stroke::new(2.5 * ctx.zoom().min(1.5), ring_color);
        ctx.painter.circle(
            ctx.pos(point.center),
            POINT_RADIUS * ctx.zoom(),
            t::emotion_color(point.score as f32),
            ring,
        );
    }
}

fn curve_color(ctx: &Ctx, curve: &EmotionCurve) -> Color32 {
    match curve.persona {
        Some(p) => ctx.theme.persona_color(p, ctx.map.personas[p].color),
        None => ctx.theme.text_faint,
    }
}

/// The header part of an emotion lane: faces of the -2..+2 scale at its right edge, at
/// the heights of `plot`, and the key of the curves under the lane's name.
fn emotion_scale_ui(
    ctx: &Ctx,
    lane: &LaneLayout,
    plot: Rect,
    curves: &[EmotionCurve],
    keys: &[TextBlock],
) {
    let y_of = |score: f32| plot.bottom() - (score + 2.0) / 4.0 * plot.height();
    // Faces never overlap, however short the plot is on the screen.
    let radius = 7.0_f32.min(plot.height() / 4.0 * 0.45);
    for score in -2..=2 {
        let center = pos2(lane.header.right() - 16.0, y_of(score as f32));
        face_ui(ctx, center, radius, score, 1.0);
    }
    let mut key_y = lane.row.min
        + t::CELL_PADDING
        + lane.name.height()
        + 8.0
        + lane.detail.as_ref().map_or(0.0, |d| d.height() + 2.0);
    for (curve, name) in curves.iter().zip(keys) {
        let x = lane.header.left() + t::CELL_PADDING + 11.0;
        let swatch = [pos2(x, key_y + 7.0), pos2(x + 14.0, key_y + 7.0)].map(|p| ctx.pos(p));
        ctx.painter.line_segment(
            swatch,
            Stroke::new(3.0 * ctx.zoom().min(1.5), curve_color(ctx, curve)),
        );
        ctx.text(name, pos2(x + 20.0, key_y), ctx.theme.text_muted);
        key_y += name.height() + 2.0;
    }
}

fn legend_ui(ctx: &Ctx, layout: &MapLayout) {
    let Some(legend) = &layout.legend else {
        return;
    };
    ctx.text(&legend.heading, legend.rect.min, ctx.theme.text_faint);
    for (_, chip) in &legend.items {
        chip_ui(ctx, chip, Vec2::ZERO, 1.0);
    }
}

fn overlay_ui(ctx: &Ctx, layout: &MapLayout, overlay: &Overlay) {
    let accent = ctx.theme.accent;
    // Marks of cards scrolled under the pinned headers stay under them.
    let content = overlay.pinned.map_or(ctx.visible, |p| p.content());
    let marks = ctx.painter.with_clip_rect(content.intersect(ctx.visible));
    let outline = |card: &CardLayout, width: f32, color: Color32| {
        let rect = ctx.rect(card.rect.expand(2.0));
        marks.rect_stroke(
            rect,
            ctx.radius(t::CARD_RADIUS + 2),
            Stroke::new(width, color),
            StrokeKind::Outside,
        );
    };
    if let Some(shown) = &overlay.shown {
        let ring = ctx.theme.search_match;
        for card in shown.iter().filter_map(|&i| layout.card_of(i)) {
            if ctx.shows(card.rect.expand(4.0)) {
                outline(card, 2.0, ring);
            }
        }
    }
    if let Some(card) = overlay.hovered.and_then(|i| layout.card_of(i)) {
        outline(card, 1.0, accent.gamma_multiply(0.6));
    }
    for card in overlay.selected.iter().filter_map(|&i| layout.card_of(i)) {
        outline(card, 2.0, accent);
    }
    if let Some([from, to]) = overlay.insertion {
        marks.line_segment([ctx.pos(from), ctx.pos(to)], Stroke::new(3.0, accent));
    }
    if let Some((cards, offset)) = &overlay.dragging {
        for card in cards.iter().filter_map(|&i| layout.card_of(i)) {
            card_ui(ctx, card, *offset, 1.0);
            outline_at(ctx, card, *offset, accent);
        }
    }
}

fn outline_at(ctx: &Ctx, card: &CardLayout, offset: Vec2, color: Color32) {
    let rect = ctx.rect(card.rect.translate(offset).expand(2.0));
    ctx.painter.rect_stroke(
        rect,
        ctx.radius(t::CARD_RADIUS + 2),
        Stroke::new(2.0, color),
        StrokeKind::Outside,
    );
}
