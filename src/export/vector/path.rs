//! Outlines as vector backends take them: moves, lines, quadratic and cubic curves.

use egui::epaint::CornerRadiusF32;
use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// How far a cubic's control points sit along the tangents to draw a quarter circle.
const KAPPA: f32 = 0.552_284_8;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Segment {
    Move(Pos2),
    Line(Pos2),
    Quad(Pos2, Pos2),
    Cubic(Pos2, Pos2, Pos2),
    Close,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Path {
    pub segments: Vec<Segment>,
}

impl Path {
    pub fn move_to(&mut self, p: Pos2) {
        self.segments.push(Segment::Move(p));
    }
    pub fn line_to(&mut self, p: Pos2) {
        self.segments.push(Segment::Line(p));
    }
    pub fn quad_to(&mut self, c: Pos2, p: Pos2) {
        self.segments.push(Segment::Quad(c, p));
    }
    pub fn cubic_to(&mut self, c0: Pos2, c1: Pos2, p: Pos2) {
        self.segments.push(Segment::Cubic(c0, c1, p));
    }
    pub fn close(&mut self) {
        self.segments.push(Segment::Close);
    }

    pub fn is_empty(&self) -> bool {
        !self
            .segments
            .iter()
            .any(|s| !matches!(s, Segment::Move(_) | Segment::Close))
    }

    /// Points through `points`, closed or open.
    pub fn polyline(points: &[Pos2], closed: bool) -> Self {
        let mut path = Path::default();
        for (i, &p) in points.iter().enumerate() {
            if i == 0 {
                path.move_to(p);
            } else {
                path.line_to(p);
            }
        }
        if closed && points.len() > 2 {
            path.close();
        }
        path
    }

    /// A rectangle with its own radius at each corner (clamped to half the shorter side).
    pub fn rounded_rect(rect: Rect, radius: CornerRadiusF32) -> Self {
        let limit = 0.5 * rect.width().min(rect.height()).max(0.0);
        let r = |v: f32| v.clamp(0.0, limit);
        let (nw, ne, se, sw) = (r(radius.nw), r(radius.ne), r(radius.se), r(radius.sw));
        let (min, max) = (rect.min, rect.max);
        let mut path = Path::default();
        path.move_to(pos2(min.x + nw, min.y));
        path.line_to(pos2(max.x - ne, min.y));
        path.corner(
            pos2(max.x - ne, min.y),
            pos2(max.x, min.y + ne),
            vec2(1.0, 0.0),
        );
        path.line_to(pos2(max.x, max.y - se));
        path.corner(
            pos2(max.x, max.y - se),
            pos2(max.x - se, max.y),
            vec2(0.0, 1.0),
        );
        path.line_to(pos2(min.x + sw, max.y));
        path.corner(
            pos2(min.x + sw, max.y),
            pos2(min.x, max.y - sw),
            vec2(-1.0, 0.0),
        );
        path.line_to(pos2(min.x, min.y + nw));
        path.corner(
            pos2(min.x, min.y + nw),
            pos2(min.x + nw, min.y),
            vec2(0.0, -1.0),
        );
        path.close();
        path
    }

    /// A quarter circle from `from` to `to`, leaving `from` along `direction`.
    fn corner(&mut self, from: Pos2, to: Pos2, direction: Vec2) {
        if from == to {
            return;
        }
        let radius = (to - from).abs().max_elem();
        let turned = vec2(-direction.y, direction.x);
        let c0 = from + direction * radius * KAPPA;
        let c1 = to - turned * radius * KAPPA;
        self.cubic_to(c0, c1, to);
    }

    pub fn circle(center: Pos2, radius: f32) -> Self {
        let k = radius * KAPPA;
        let (x, y, r) = (center.x, center.y, radius);
        let mut path = Path::default();
        path.move_to(pos2(x + r, y));
        path.cubic_to(pos2(x + r, y + k), pos2(x + k, y + r), pos2(x, y + r));
        path.cubic_to(pos2(x - k, y + r), pos2(x - r, y + k), pos2(x - r, y));
        path.cubic_to(pos2(x - r, y - k), pos2(x - k, y - r), pos2(x, y - r));
        path.cubic_to(pos2(x + k, y - r), pos2(x + r, y - k), pos2(x + r, y));
        path.close();
        path
    }

    pub fn ellipse(center: Pos2, radius: Vec2) -> Self {
        let mut path = Path::circle(Pos2::ZERO, 1.0);
        path.map_points(|p| center + vec2(p.x * radius.x, p.y * radius.y));
        path
    }

    pub fn translated(mut self, by: Vec2) -> Self {
        self.map_points(|p| p + by);
        self
    }

    fn map_points(&mut self, f: impl Fn(Pos2) -> Pos2) {
        for segment in &mut self.segments {
            *segment = match *segment {
                Segment::Move(p) => Segment::Move(f(p)),
                Segment::Line(p) => Segment::Line(f(p)),
                Segment::Quad(c, p) => Segment::Quad(f(c), f(p)),
                Segment::Cubic(a, b, p) => Segment::Cubic(f(a), f(b), f(p)),
                Segment::Close => Segment::Close,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_cornered_rect_is_four_lines() {
        let path = Path::rounded_rect(
            Rect::from_min_size(pos2(1.0, 2.0), vec2(10.0, 5.0)),
            CornerRadiusF32::ZERO,
        );
        let lines = path
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Line(_)))
            .count();
        assert_eq!(lines, 4);
        assert!(
            !path
                .segments
                .iter()
                .any(|s| matches!(s, Segment::Cubic(..)))
        );
    }

    #[test]
    fn corner_radii_are_clamped_to_half_the_short_side() {
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(10.0, 4.0));
        let path = Path::rounded_rect(rect, CornerRadiusF32::same(50.0));
        let Segment::Move(start) = path.segments[0] else {
            panic!("a path starts with a move");
        };
        assert_eq!(start, pos2(2.0, 0.0));
    }
}
