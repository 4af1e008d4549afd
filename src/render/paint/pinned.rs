//! The canvas's frozen panes: the stage header band pinned at the top and the lane
//! header column at the left while the map pans under them, drawn by the map's own
//! header code, at a legible size however far the map is zoomed out. Exports have none.

use super::{
    Ctx, LaneLayout, MapLayout, StageLayout, corner_ui, emotion_scale_ui, lane_header_ui,
    stage_header_ui, t,
};
use egui::emath::TSTransform;
use egui::{Pos2, Rangef, Rect, Stroke, Vec2, pos2, vec2};

/// Headers are drawn at least at this scale: a stage name 11 pt high, a lane name 10.
pub const MIN_HEADER_SCALE: f32 = 0.75;

/// Where the headers are on the screen, for a layout seen through the canvas's transform.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PinnedHeaders {
    /// Map points to screen points (the canvas's pan and zoom).
    transform: TSTransform,
    /// The scale of the headers' own content: the zoom, or more when zoomed far out.
    pub scale: f32,
    /// The canvas on the screen.
    view: Rect,
    /// Top and bottom of the stage band, on the screen.
    band: Rangef,
    /// Left and right of the lane column, on the screen.
    column: Rangef,
    /// Whether the band (the column) has left its place on the grid for the canvas edge.
    band_detached: bool,
    column_detached: bool,
}

/// A pinned header under a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderHit {
    Corner,
    Stage(usize),
    /// The right edge of a stage, where it is resized.
    StageEdge(usize),
    Lane(usize),
    /// The bottom edge of a lane.
    LaneEdge(usize),
}

impl PinnedHeaders {
    /// The scale headers are drawn at, at `zoom`.
    pub fn scale_at(zoom: f32) -> f32 {
        zoom.max(MIN_HEADER_SCALE)
    }

    /// How much more room (screen points) than the zoomed map the headers take at
    /// `zoom`: the lane column's extra width and the band's extra height.
    pub fn extra_at(layout: &MapLayout, zoom: f32) -> Vec2 {
        layout.corner.size() * (Self::scale_at(zoom) - zoom)
    }

    pub fn new(layout: &MapLayout, transform: TSTransform, view: Rect) -> Self {
        let scale = Self::scale_at(transform.scaling);
        let corner = transform.mul_rect(layout.corner);
        let size = layout.corner.size() * scale;
        let rows_end = layout
            .lanes
            .last()
            .map_or(corner.bottom(), |l| (transform * pos2(0.0, l.row.max)).y);
        let columns_end = layout
            .stages
            .last()
            .map_or(corner.right(), |s| (transform * pos2(s.column.max, 0.0)).x);
        // At rest each pane's inner edge is the grid's; once the grid passes the canvas
        // edge the pane stays there, until the grid's far end comes.
        let natural = pos2(corner.right() - size.x, corner.bottom() - size.y);
        let left = natural.x.max(view.left().min(columns_end - size.x));
        let top = natural.y.max(view.top().min(rows_end - size.y));
        Self {
            transform,
            scale,
            view,
            band: Rangef::new(top, top + size.y),
            column: Rangef::new(left, left + size.x),
            band_detached: top > natural.y + 0.5,
            column_detached: left > natural.x + 0.5,
        }
    }

    /// Where the map's title is drawn: above the band and left-aligned with the column
    /// however much bigger than the zoomed map the headers are.
    pub fn title_transform(&self) -> TSTransform {
        let extra = (self.column.span(), self.band.span());
        let zoom = self.transform.scaling;
        let scale_gap = vec2(extra.0, extra.1) * (1.0 - zoom / self.scale);
        TSTransform {
            scaling: zoom,
            translation: self.transform.translation - scale_gap,
        }
    }

    /// The corner above the lane column and left of the band.
    pub fn corner(&self) -> Rect {
        Rect::from_x_y_ranges(self.column, self.band)
    }

    /// The part of the canvas the panes leave to the cards.
    pub fn content(&self) -> Rect {
        Rect::from_min_max(pos2(self.column.max, self.band.max), self.view.max)
    }

    /// A stage's header on the screen.
    pub fn stage_header(&self, layout: &MapLayout, index: usize) -> Option<Rect> {
        let header = layout.stages.get(index)?.header;
        let x = self.transform.mul_rect(header).x_range();
        Some(Rect::from_x_y_ranges(x, self.band))
    }

    /// A lane's header on the screen.
    pub fn lane_header(&self, layout: &MapLayout, index: usize) -> Option<Rect> {
        let row = layout.lanes.get(index)?.row;
        let y = Rangef::new(
            (self.transform * pos2(0.0, row.min)).y,
            (self.transform * pos2(0.0, row.max)).y,
        );
        Some(Rect::from_x_y_ranges(self.column, y))
    }

    /// The header under a screen point; `grab` is how near an edge resizes.
    pub fn hit(&self, layout: &MapLayout, pos: Pos2, grab: f32) -> Option<HeaderHit> {
        if !self.view.contains(pos) {
            return None;
        }
        let in_band = self.band.contains(pos.y);
        let in_column = self.column.contains(pos.x);
        if in_band && in_column {
            return Some(HeaderHit::Corner);
        }
        if in_band && pos.x > self.column.max {
            for index in 0..layout.stages.len() {
                let header = self.stage_header(layout, index)?;
                if header.expand2(vec2(grab, 0.0)).contains(pos) {
                    if (pos.x - header.right()).abs() <= grab {
                        return Some(HeaderHit::StageEdge(index));
                    }
                    return Some(HeaderHit::Stage(index));
                }
            }
        }
        if in_column && pos.y > self.band.max {
            for index in 0..layout.lanes.len() {
                let header = self.lane_header(layout, index)?;
                if header.expand2(vec2(0.0, grab)).contains(pos) {
                    if (pos.y - header.bottom()).abs() <= grab {
                        return Some(HeaderHit::LaneEdge(index));
                    }
                    return Some(HeaderHit::Lane(index));
                }
            }
        }
        None
    }

    /// A screen rect in the space the headers are drawn in (scaled by `scale`).
    fn in_header_space(&self, rect: Rect) -> Rect {
        let s = self.scale;
        Rect::from_min_max(
            pos2(rect.min.x / s, rect.min.y / s),
            pos2(rect.max.x / s, rect.max.y / s),
        )
    }
}

/// The pinned panes, over the cards: the lane column, then the stage band, then the
/// corner above both. `ctx` is the map's (its transform, the canvas's clip).
pub(super) fn headers_ui(ctx: &Ctx, layout: &MapLayout, pinned: &PinnedHeaders) {
    let header_space = TSTransform::from_scaling(pinned.scale);
    let hairline = Stroke::new(1.0, ctx.theme.hairline);
    let frozen_edge = Stroke::new(1.0, ctx.theme.board_border);

    // The lane column, under the band.
    let column_area = Rect::from_x_y_ranges(
        pinned.column,
        Rangef::new(pinned.band.max, pinned.view.bottom()),
    )
    .intersect(ctx.visible);
    let painter = ctx.painter.with_clip_rect(column_area);
    if let (Some(first), Some(last)) = (
        pinned.lane_header(layout, 0),
        pinned.lane_header(layout, layout.lanes.len().saturating_sub(1)),
    ) {
        let rows = first.union(last);
        painter.rect_filled(rows, 0, ctx.theme.board);
        painter.rect_filled(rows, 0, ctx.theme.header_column);
        for (index, lane) in layout.lanes.iter().enumerate() {
            let Some(screen) = pinned.lane_header(layout, index) else {
                continue;
            };
            if !column_area.intersects(screen) {
                continue;
            }
            if index > 0 {
                painter.hline(pinned.column, screen.top(), hairline);
            }
            let clip = painter.with_clip_rect(screen.intersect(column_area));
            let header = pinned.in_header_space(screen);
            let lane_here = LaneLayout {
                header,
                row: header.y_range(),
                ..lane.clone()
            };
            let hctx = ctx.with(&clip, header_space);
            lane_header_ui(&hctx, index, &lane_here);
            if let Some(emotion) = layout.emotions.iter().find(|e| e.lane == index) {
                let plot = pinned.in_header_space(pinned.transform.mul_rect(emotion.plot));
                emotion_scale_ui(&hctx, &lane_here, plot, &emotion.curves, &emotion.keys);
            }
        }
        let edge = if pinned.column_detached {
            frozen_edge
        } else {
            hairline
        };
        painter.vline(pinned.column.max, rows.y_range(), edge);
    }

    // The stage band; stages pass under the corner.
    let band_area = Rect::from_x_y_ranges(
        Rangef::new(pinned.column.max, pinned.view.right()),
        pinned.band,
    )
    .intersect(ctx.visible);
    let painter = ctx.painter.with_clip_rect(band_area);
    let count = layout.stages.len();
    if let (Some(first), Some(last)) = (
        pinned.stage_header(layout, 0),
        pinned.stage_header(layout, count.saturating_sub(1)),
    ) {
        // Between the arrow tips the board shows, not the cards under the band.
        painter.rect_filled(first.union(last), 0, ctx.theme.board);
        let band_ctx = ctx.with(&painter, header_space);
        for (index, stage) in layout.stages.iter().enumerate().rev() {
            let Some(screen) = pinned.stage_header(layout, index) else {
                continue;
            };
            if !band_area
                .expand2(vec2(t::CARD_PADDING, 0.0))
                .intersects(screen)
            {
                continue;
            }
            let stage_here = StageLayout {
                header: pinned.in_header_space(screen),
                ..stage.clone()
            };
            let clip = painter.with_clip_rect(screen.intersect(band_area));
            let text_ctx = ctx.with(&clip, header_space);
            stage_header_ui(&band_ctx, &text_ctx, index, &stage_here, index + 1 == count);
        }
        if pinned.band_detached {
            painter.hline(first.union(last).x_range(), pinned.band.max, frozen_edge);
        }
    }

    // The corner, above both.
    let corner = pinned.corner().intersect(ctx.visible);
    let painter = ctx.painter.with_clip_rect(corner);
    painter.rect_filled(pinned.corner(), 0, ctx.theme.board);
    corner_ui(
        &ctx.with(&painter, header_space),
        pinned.in_header_space(pinned.corner()),
    );
}
