//! Whether a slide export can be read, and slides that can: the size card text gets
//! on the slide once the map is fitted, and a split of the map into groups of stages
//! and lanes that each fit a slide at a legible size.

use super::{ExportError, ExportOptions, Plan};
use crate::model::{LaneId, Map};
use crate::render::layout::MapLayout;
use crate::render::text::Measure;
use crate::render::theme;

/// The smallest card text, in points on the slide, that still reads on a laptop screen
/// or a projector (slide tools' own smallest default is 10–12 pt).
pub const LEGIBLE_POINTS: f32 = 9.0;

/// The size of a card's notes on the slide, in slide points, when `plan` is a slide
/// export at `options.scale`.
pub fn card_text_on_slide(plan: &Plan, options: &ExportOptions) -> Option<f32> {
    options.slide?;
    Some(theme::card_notes().font.size * plan.pixels_per_point / options.scale)
}

/// [`card_text_on_slide`] for `map` exported with `options`; `None` when not a slide.
pub fn slide_text_points(
    map: &Map,
    options: &ExportOptions,
    measure: &mut Measure,
) -> Result<Option<f32>, ExportError> {
    if options.slide.is_none() {
        return Ok(None);
    }
    let layout = MapLayout::compute(&options.view_of(map)?, measure, options.layout_options());
    Ok(card_text_on_slide(
        &Plan::new(layout.size, options)?,
        options,
    ))
}

/// One slide of a split: the options that export it, and a name for its file.
#[derive(Clone, Debug, PartialEq)]
pub struct SlidePart {
    pub options: ExportOptions,
    pub name: String,
    pub text_points: f32,
}

/// Splits a slide export into slides whose card text is at least [`LEGIBLE_POINTS`]:
/// consecutive stages side by side while they fit, then consecutive lanes of those
/// stages while they fit. A single stage and lane that is still too small is a slide
/// of its own, the largest it can be.
pub fn legible_slides(
    map: &Map,
    options: &ExportOptions,
    measure: &mut Measure,
) -> Result<Vec<SlidePart>, ExportError> {
    if options.slide.is_none() {
        return Err(ExportError::Options(
            "choose a slide shape first".to_owned(),
        ));
    }
    let view = options.view_of(map)?;
    let positions: Vec<usize> = view
        .stages
        .iter()
        .filter_map(|s| map.stages.iter().position(|m| m.id == s.id))
        .collect();
    let lanes: Vec<LaneId> = view.lanes.iter().map(|l| l.id.clone()).collect();
    let mut stage_groups: Vec<Vec<usize>> = Vec::new();
    for &stage in &positions {
        let fits_beside = match stage_groups.last() {
            Some(group) => {
                let wider: Vec<usize> = group.iter().copied().chain([stage]).collect();
                width_points(map, &part_options(options, &wider, &lanes[..1]), measure)?
                    >= LEGIBLE_POINTS
            }
            None => false,
        };
        match stage_groups.last_mut() {
            Some(group) if fits_beside => group.push(stage),
            _ => stage_groups.push(vec![stage]),
        }
    }
    let mut text_points = |stages: &[usize], lanes: &[LaneId]| -> Result<f32, ExportError> {
        let part = part_options(options, stages, lanes);
        Ok(slide_text_points(map, &part, measure)?.unwrap_or(0.0))
    };
    let mut parts = Vec::new();
    for stages in &stage_groups {
        let mut group: Vec<LaneId> = Vec::new();
        for lane in &lanes {
            let taller: Vec<LaneId> = group.iter().cloned().chain([lane.clone()]).collect();
            if group.is_empty() || text_points(stages, &taller)? >= LEGIBLE_POINTS {
                group = taller;
            } else {
                parts.push((stages.clone(), std::mem::take(&mut group)));
                group.push(lane.clone());
            }
        }
        parts.push((stages.clone(), group));
    }
    // A lane too tall for its group of stages gets a slide per stage.
    let mut split = Vec::with_capacity(parts.len());
    for (stages, lanes) in parts {
        if lanes.len() == 1 && stages.len() > 1 && text_points(&stages, &lanes)? < LEGIBLE_POINTS {
            split.extend(stages.iter().map(|&stage| (vec![stage], lanes.clone())));
        } else {
            split.push((stages, lanes));
        }
    }
    let parts = split;
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(index, (stages, lanes))| {
            let points = text_points(&stages, &lanes)?;
            let name = part_name(map, index, count, &stages, &lanes);
            Ok(SlidePart {
                options: part_options(options, &stages, &lanes),
                name,
                text_points: points,
            })
        })
        .collect()
}

/// Card text size on the slide if only the width had to fit (heights are split by lane).
fn width_points(
    map: &Map,
    part: &ExportOptions,
    measure: &mut Measure,
) -> Result<f32, ExportError> {
    let Some(slide) = part.slide else {
        return Ok(0.0);
    };
    let layout = MapLayout::compute(&part.view_of(map)?, measure, part.layout_options());
    let content = layout.size.x.ceil() + 2.0 * part.padding.round().max(0.0);
    let safe = slide.points().x - 2.0 * super::SLIDE_MARGIN;
    Ok(theme::card_notes().font.size * safe / content)
}

fn part_options(options: &ExportOptions, stages: &[usize], lanes: &[LaneId]) -> ExportOptions {
    ExportOptions {
        stages: stages.first().zip(stages.last()).map(|(a, b)| (*a, *b)),
        lanes: Some(lanes.to_vec()),
        ..options.clone()
    }
}

/// "03-ask-act.png", or "03-ask-act-lanes-1-4.png" when the lanes are split too.
fn part_name(map: &Map, index: usize, count: usize, stages: &[usize], lanes: &[LaneId]) -> String {
    let digits = count.to_string().len().max(2);
    let stage_name = |i: &usize| map.stages.get(*i).map_or(String::new(), |s| slug(&s.name));
    let mut name = format!("{:0digits$}", index + 1);
    let (first, last) = (
        stages.first().map(stage_name),
        stages.last().map(stage_name),
    );
    for part in [
        first.clone(),
        last.filter(|last| Some(last) != first.as_ref()),
    ] {
        if let Some(part) = part.filter(|p| !p.is_empty()) {
            name.push('-');
            name.push_str(&part);
        }
    }
    if lanes.len() < map.lanes.len() {
        let position = |id: &LaneId| map.lanes.iter().position(|l| l.id == *id).unwrap_or(0) + 1;
        if let (Some(a), Some(b)) = (lanes.first(), lanes.last()) {
            let (a, b) = (position(a), position(b));
            if a == b {
                name.push_str(&format!("-lane-{a}"));
            } else {
                name.push_str(&format!("-lanes-{a}-{b}"));
            }
        }
    }
    name + ".png"
}

/// Lower-case letters and digits, one hyphen for anything else.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Slide, prepare};

    fn five_a() -> Map {
        crate::templates::find("5a").unwrap().map().unwrap()
    }

    fn wide() -> ExportOptions {
        ExportOptions {
            slide: Some(Slide::Wide),
            ..ExportOptions::default()
        }
    }

    #[test]
    fn the_whole_5a_map_on_one_slide_is_too_small_to_read() {
        let plan = prepare(&five_a(), &wide(), &mut Measure::new())
            .unwrap()
            .plan;
        let points = card_text_on_slide(&plan, &wide()).unwrap();
        assert!(points < LEGIBLE_POINTS, "{points} pt");
        assert!(points > 1.0, "{points} pt");
    }

    #[test]
    fn text_size_on_a_slide_does_not_depend_on_the_scale() {
        let at = |scale| {
            let options = ExportOptions { scale, ..wide() };
            let plan = prepare(&five_a(), &options, &mut Measure::new())
                .unwrap()
                .plan;
            card_text_on_slide(&plan, &options).unwrap()
        };
        assert!((at(1.0) - at(4.0)).abs() < 0.01);
    }

    #[test]
    fn the_split_covers_every_stage_and_lane_once_and_each_slide_is_legible() {
        let map = five_a();
        let parts = legible_slides(&map, &wide(), &mut Measure::new()).unwrap();
        assert!(parts.len() > 1);
        let mut cells = Vec::new();
        for part in &parts {
            let (from, to) = part.options.stages.unwrap();
            let single = from == to && part.options.lanes.as_ref().unwrap().len() == 1;
            assert!(single || part.text_points >= LEGIBLE_POINTS, "{part:?}");
            for stage in from..=to {
                for lane in part.options.lanes.as_ref().unwrap() {
                    cells.push((stage, lane.as_str().to_owned()));
                }
            }
        }
        let expected = map.stages.len() * map.lanes.len();
        cells.sort();
        cells.dedup();
        assert_eq!(cells.len(), expected);
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert!(names[0].starts_with("01-aware"), "{names:?}");
        assert!(names.iter().all(|n| n.ends_with(".png")));
    }

    #[test]
    fn a_title_gives_a_file_name_with_single_hyphens() {
        assert_eq!(slug("5A — Customer path"), "5a-customer-path");
        assert_eq!(slug("  Café: Über-Checkout!! "), "café-über-checkout");
        assert_eq!(slug("— —"), "");
    }

    #[test]
    fn a_view_that_fits_is_one_slide() {
        let map = crate::templates::find("aida").unwrap().map().unwrap();
        let mut measure = Measure::new();
        let mut legible = 0;
        for lane in &map.lanes {
            let options = ExportOptions {
                stages: Some((0, 1)),
                lanes: Some(vec![lane.id.clone()]),
                ..wide()
            };
            let whole = slide_text_points(&map, &options, &mut measure)
                .unwrap()
                .unwrap();
            if whole >= LEGIBLE_POINTS {
                legible += 1;
                let parts = legible_slides(&map, &options, &mut measure).unwrap();
                assert_eq!(parts.len(), 1, "{parts:?}");
            }
        }
        assert!(legible > 0);
    }
}
