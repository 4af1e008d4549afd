//! What part of the map the canvas shows: the view a map opens at, zoom to fit, and the
//! pinned headers (frozen panes) of the current view.

use super::{CanvasState, MAX_ZOOM, MIN_ZOOM};
use crate::app::Document;
use crate::render::layout::MapLayout;
use crate::render::paint::{MIN_HEADER_SCALE, PinnedHeaders};
use egui::emath::TSTransform;
use egui::{Pos2, Rect, Vec2};

/// A change of view waiting for the canvas's size (known only when it is drawn).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ViewRequest {
    /// A map just opened: readable, at its top left (title, first stage, first lanes).
    Open,
    /// The whole map (Shift+1).
    Fit,
}

/// Room kept free around the map by zoom to fit, and before its top left when it opens.
const MARGIN: f32 = 24.0;

impl CanvasState {
    pub fn set_zoom(&mut self, zoom: f32, around: Pos2) {
        let zoom = zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        let factor = zoom / self.transform.scaling;
        self.transform.translation =
            around.to_vec2() + (self.transform.translation - around.to_vec2()) * factor;
        self.transform.scaling = zoom;
    }

    pub fn zoom_by(&mut self, factor: f32) {
        let center = self.rect.center();
        self.set_zoom(self.zoom() * factor, center);
    }

    /// Zooms out (never in past 100 %) so the whole map fits the canvas.
    pub fn fit(&mut self) {
        self.view_pending = Some(ViewRequest::Fit);
    }

    /// Brings a card into view (the camera follows a search to its match): the view
    /// moves only when the card is not already on the canvas, and zooms in to a
    /// readable size when it is too far out.
    pub fn reveal_card(&mut self, doc: &Document, id: &crate::model::CardId) {
        if self.transform.scaling < READABLE_ZOOM {
            let center = self.rect.center();
            self.set_zoom(1.0, center);
        }
        let pinned = self.pinned(doc);
        let Some(card) = self.card_screen_rect(doc, id) else {
            return;
        };
        let content = pinned.content();
        if !content.contains_rect(card) {
            self.transform.translation += content.center() - card.center();
        }
    }

    /// The headers as pinned in the current view.
    pub fn pinned(&mut self, doc: &Document) -> PinnedHeaders {
        let (transform, rect) = (self.transform, self.rect);
        PinnedHeaders::new(self.layout(doc), transform, rect)
    }

    pub(super) fn apply_view(&mut self, doc: &Document) {
        let Some(request) = self.view_pending else {
            return;
        };
        let area = self.rect.shrink(MARGIN);
        if area.width() <= 0.0 || area.height() <= 0.0 {
            return;
        }
        let layout = self.layout(doc);
        let fit = fit_zoom(layout, area.size());
        let size = layout.size;
        // A map that fits at a readable zoom is shown whole, centred; a bigger one opens
        // at 100 % on its top left.
        let (zoom, centred) = match request {
            ViewRequest::Open if fit < READABLE_ZOOM => (1.0, false),
            ViewRequest::Open | ViewRequest::Fit => (fit, true),
        };
        let extra = PinnedHeaders::extra_at(layout, zoom);
        let spare = (area.size() - size * zoom - extra).max(Vec2::ZERO);
        let centring = if centred { spare / 2.0 } else { Vec2::ZERO };
        self.transform = TSTransform {
            scaling: zoom,
            translation: area.min.to_vec2() + extra + centring,
        };
        self.view_pending = None;
    }

    /// The screen rectangle of the map's title, if it has one.
    pub fn title_screen_rect(&mut self, doc: &Document) -> Option<Rect> {
        let pinned = self.pinned(doc);
        let title = self.layout(doc).title.as_ref()?.rect;
        Some(pinned.title_transform().mul_rect(title))
    }
}

/// Below this zoom a map opens at 100 % on its top left rather than whole: card titles
/// stay at least 11 points high.
const READABLE_ZOOM: f32 = 0.85;

/// The largest zoom (at most 100 %) at which the map and its pinned headers fit in
/// `area`: the headers stop shrinking at their minimum scale, so they take more room
/// than the zoomed map would give them.
fn fit_zoom(layout: &MapLayout, area: Vec2) -> f32 {
    let size = layout.size;
    if size.x <= 0.0 || size.y <= 0.0 {
        return 1.0;
    }
    let headers = layout.corner.size();
    let min_scale = MIN_HEADER_SCALE;
    let axis = |size: f32, header: f32, area: f32| {
        let plain = area / size;
        if plain >= min_scale || size <= header {
            return plain;
        }
        // size·z + header·(min_scale − z) = area
        (area - header * min_scale) / (size - header)
    };
    let zoom = axis(size.x, headers.x, area.x).min(axis(size.y, headers.y, area.y));
    zoom.clamp(MIN_ZOOM, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::layout::LayoutOptions;
    use crate::render::text::Measure;
    use egui::vec2;

    fn layout(template: &str) -> MapLayout {
        let map = crate::templates::find(template).unwrap().map().unwrap();
        MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default())
    }

    #[test]
    fn fit_leaves_room_for_headers_at_their_minimum_scale() {
        let layout = layout("5a");
        for area in [vec2(900.0, 560.0), vec2(1200.0, 700.0), vec2(500.0, 400.0)] {
            let zoom = fit_zoom(&layout, area);
            let extent = layout.size * zoom + PinnedHeaders::extra_at(&layout, zoom);
            assert!(
                extent.x <= area.x + 0.5 && extent.y <= area.y + 0.5,
                "{area:?}"
            );
            // and it is the largest such zoom: a bit more would not fit
            let more = zoom * 1.02;
            let extent = layout.size * more + PinnedHeaders::extra_at(&layout, more);
            assert!(extent.x > area.x || extent.y > area.y, "{area:?} at {zoom}");
        }
    }

    #[test]
    fn fit_never_zooms_in_past_100_percent() {
        let layout = layout("blank");
        assert_eq!(fit_zoom(&layout, vec2(5000.0, 5000.0)), 1.0);
    }
}
