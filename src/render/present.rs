//! The presentation: a storyboard derived from the map with no setup (a title, the
//! whole map, a step per stage, optionally revealing its lanes one by one, and a
//! summary), where each step's camera looks, and the text its slide carries. Steps are
//! drawn by the map's own painter (`paint::present`), on the screen and in the deck.
//!
//! A step is designed on a 16:9 slide of [`SLIDE`] points, which is fitted into the
//! screen (or the deck's page) whole, so every screen shows the same picture.

use super::layout::{MapLayout, signed_percent, thousands};
use super::text::{Measure, TextBlock};
use super::theme::{self as t, TextStyle, Weight};
use crate::model::{Card, Evidence, LaneKind, Map, Severity};
use egui::emath::TSTransform;
use egui::{Pos2, Rangef, Rect, Vec2, pos2, vec2};

/// The slide every step is designed on: PowerPoint's 13.33 × 7.5 in, in points.
pub const SLIDE: Vec2 = vec2(960.0, 540.0);
/// The white space at the slide's edges.
pub const SLIDE_MARGIN: f32 = 28.0;
/// The height of a stage step's caption, at the slide's foot.
pub const CAPTION_HEIGHT: f32 = 112.0;
/// How many pain points and opportunities the summary lists.
const SUMMARY_ROWS: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The map's title and kind, and its personas.
    Title,
    /// The whole map.
    Overview,
    /// One stage. `lanes`: when lanes are revealed one by one, the last lane shown.
    Stage { stage: usize, lanes: Option<usize> },
    /// The pain points ranked by severity, and the opportunities.
    Summary,
}

/// The steps of `map`, in order.
pub fn storyboard(map: &Map) -> Vec<Step> {
    let mut steps = vec![Step::Title, Step::Overview];
    for stage in 0..map.stages.len() {
        if map.presentation.reveal_lanes && !map.lanes.is_empty() {
            // A divider comes with the lane after it; the last step shows every lane.
            let last = map.lanes.len() - 1;
            let reveals = (map.lanes.iter().enumerate())
                .filter(|(i, lane)| lane.kind != LaneKind::Divider || *i == last)
                .map(|(i, _)| i);
            let mut shown: Vec<usize> = reveals.collect();
            if shown.last() != Some(&last) {
                shown.push(last);
            }
            steps.extend(shown.into_iter().map(|lanes| Step::Stage {
                stage,
                lanes: Some(lanes),
            }));
        } else {
            steps.push(Step::Stage { stage, lanes: None });
        }
    }
    steps.push(Step::Summary);
    steps
}

/// The steps with one per stage, whatever the map says of revealing lanes (slides
/// that cannot build up, as a PowerPoint deck's).
pub fn storyboard_without_reveals(map: &Map) -> Vec<Step> {
    let mut steps = vec![Step::Title, Step::Overview];
    steps.extend((0..map.stages.len()).map(|stage| Step::Stage { stage, lanes: None }));
    steps.push(Step::Summary);
    steps
}

/// The first step of stage `stage`, for starting from the current stage.
pub fn first_step_of(steps: &[Step], stage: usize) -> Option<usize> {
    steps
        .iter()
        .position(|step| matches!(step, Step::Stage { stage: s, .. } if *s == stage))
}

/// A step's name in a file name: `title`, `overview`, the stage's, `summary`.
pub fn step_slug(map: &Map, step: Step) -> String {
    match step {
        Step::Title => "title".to_owned(),
        Step::Overview => "overview".to_owned(),
        Step::Stage { stage, lanes } => {
            let name = crate::export::slides::slug(&map.stages[stage].name);
            let name = if name.is_empty() {
                format!("stage-{}", stage + 1)
            } else {
                name
            };
            match lanes {
                Some(lane) => format!("{name}-{}", lane + 1),
                None => name,
            }
        }
        Step::Summary => "summary".to_owned(),
    }
}

/// A step as the counter names it: "Ask", "Overview".
pub fn step_name(map: &Map, step: Step) -> String {
    match step {
        Step::Title => "Title".to_owned(),
        Step::Overview => "Overview".to_owned(),
        Step::Stage { stage, .. } => map.stages[stage].name.clone(),
        Step::Summary => "Summary".to_owned(),
    }
}

/// The slide's place on a screen (or page): as large as fits, centred.
pub fn slide_on(screen: Rect) -> TSTransform {
    let scale = (screen.width() / SLIDE.x).min(screen.height() / SLIDE.y);
    let offset = screen.center().to_vec2() - SLIDE * scale / 2.0;
    TSTransform::new(offset, scale)
}

/// The part of the map a step shows, in map points: the whole map, or a stage's column
/// from its header to the last lane, with room at its left for the lane names pinned
/// there. Title and summary show no map.
pub fn camera_target(layout: &MapLayout, step: Step) -> Option<Rect> {
    match step {
        Step::Overview => Some(Rect::from_min_size(Pos2::ZERO, layout.size)),
        Step::Stage { stage, lanes } => {
            let column = layout.stages.get(stage)?.column;
            let across = Rangef::new(column.min - layout.corner.width(), column.max);
            let bottom = layout
                .lanes
                .last()
                .map_or(layout.corner.bottom(), |l| l.row.max);
            let down = match lanes {
                None => Rangef::new(layout.corner.top(), bottom),
                Some(last) => revealed_rows(layout, last),
            };
            Some(Rect::from_x_y_ranges(across, down))
        }
        Step::Title | Step::Summary => None,
    }
}

/// The most a step enlarges the map (slide points per map point): a few lanes of a
/// stage would otherwise fill the screen with one card.
pub const MAX_SCALE: f32 = 1.25;

/// The least scale (slide points per map point) at which revealed lanes are framed:
/// card titles about 8 pt on the slide, 16 px on a 1080p screen.
pub const READABLE_SCALE: f32 = 0.6;

/// The rows a reveal step frames: from the header band down to the last lane shown,
/// or, when that is too tall to read on the slide, the lanes just above it.
fn revealed_rows(layout: &MapLayout, last: usize) -> Rangef {
    let Some(end) = layout.lanes.get(last).map(|lane| lane.row.max) else {
        return layout.corner.y_range();
    };
    let room = map_area(Step::Stage {
        stage: 0,
        lanes: None,
    })
    .height()
        / READABLE_SCALE;
    if end - layout.corner.top() <= room {
        return Rangef::new(layout.corner.top(), end);
    }
    let mut top = layout.lanes[last].row.min;
    for lane in layout.lanes[..last].iter().rev() {
        if end - lane.row.min > room {
            break;
        }
        top = lane.row.min;
    }
    Rangef::new(top, end)
}

/// Where on the slide a step's map is fitted: above the caption for a stage.
pub fn map_area(step: Step) -> Rect {
    let slide = Rect::from_min_size(Pos2::ZERO, SLIDE).shrink(SLIDE_MARGIN);
    match step {
        Step::Stage { .. } => Rect::from_min_max(
            slide.min,
            pos2(slide.max.x, SLIDE.y - CAPTION_HEIGHT - 12.0),
        ),
        _ => slide,
    }
}

/// Map points to slide points for a step: its target fitted into its area, centred.
pub fn camera(layout: &MapLayout, step: Step) -> Option<TSTransform> {
    let target = camera_target(layout, step)?;
    let area = map_area(step);
    let fit = |target: Rect| {
        (area.width() / target.width().max(1.0)).min(area.height() / target.height().max(1.0))
    };
    let scale = match step {
        // Every reveal step of a stage at one scale, so that the camera only pans down.
        Step::Stage {
            stage,
            lanes: Some(_),
        } => {
            let whole = camera_target(layout, Step::Stage { stage, lanes: None })?;
            fit(whole).max(READABLE_SCALE.min(fit(target)))
        }
        _ => fit(target),
    }
    .min(MAX_SCALE);
    let mut offset = area.center().to_vec2() - target.center().to_vec2() * scale;
    if let Step::Stage { .. } = step {
        // A stage hangs from the top of its area, however little of it there is.
        offset.y = area.top() - target.top() * scale;
    }
    Some(TSTransform::new(offset, scale))
}

/// The text of every slide, measured once per map.
#[derive(Clone, Debug)]
pub struct SlideText {
    pub title: TextBlock,
    pub subtitle: TextBlock,
    pub personas: Vec<PersonaText>,
    /// Per stage.
    pub captions: Vec<Caption>,
    pub pains_heading: TextBlock,
    pub pains: Vec<SummaryRow>,
    pub opportunities_heading: TextBlock,
    pub opportunities: Vec<SummaryRow>,
}

#[derive(Clone, Debug)]
pub struct PersonaText {
    pub persona: usize,
    pub name: TextBlock,
    pub role: TextBlock,
    pub quote: TextBlock,
}

#[derive(Clone, Debug)]
pub struct Caption {
    pub name: TextBlock,
    /// The funnel figure, large.
    pub funnel: Option<TextBlock>,
    /// The drop-off from the stage before, beside it.
    pub drop: Option<TextBlock>,
    pub description: TextBlock,
}

#[derive(Clone, Debug)]
pub struct SummaryRow {
    /// Index into `Map::cards`.
    pub card: usize,
    pub severity: Option<Severity>,
    pub title: TextBlock,
    pub stage: TextBlock,
}

/// The width of a persona card on the title slide.
pub const PERSONA_WIDTH: f32 = 260.0;
/// The width of a column of the summary.
pub const SUMMARY_COLUMN: f32 = (SLIDE.x - 2.0 * SLIDE_MARGIN - 32.0) / 2.0;
/// The width of a caption's description.
pub const CAPTION_TEXT: f32 = 600.0;

pub fn slide_title_style() -> TextStyle {
    t::style(40.0, Weight::Bold, 48.0)
}

pub fn slide_heading_style() -> TextStyle {
    t::style(20.0, Weight::Bold, 26.0)
}

pub fn funnel_style() -> TextStyle {
    t::style(34.0, Weight::Bold, 40.0)
}

impl SlideText {
    pub fn new(map: &Map, measure: &mut Measure) -> Self {
        let content = SLIDE.x - 2.0 * SLIDE_MARGIN;
        let title = if map.title.is_empty() {
            "Untitled journey"
        } else {
            &map.title
        };
        let subtitle = format!(
            "{}  ·  {}",
            map.kind.label(),
            super::layout::plural(map.stages.len(), "stage")
        );
        let personas = (map.personas.iter().enumerate().take(3))
            .map(|(persona, p)| PersonaText {
                persona,
                name: measure.wrap(
                    &p.name,
                    &t::style(18.0, Weight::Bold, 24.0),
                    PERSONA_WIDTH - 32.0,
                ),
                role: measure.wrap(&p.role, &t::card_notes(), PERSONA_WIDTH - 32.0),
                quote: measure.wrap(
                    &quoted(&p.quote),
                    &t::style(14.0, Weight::Regular, 20.0),
                    PERSONA_WIDTH - 32.0,
                ),
            })
            .collect();
        let captions = (map.stages.iter().enumerate())
            .map(|(index, stage)| {
                let previous = map.stages[..index].iter().rev().find_map(|s| s.funnel);
                let drop = match (stage.funnel, previous) {
                    (Some(reached), Some(before)) if before > 0 => {
                        let change = (reached as f64 / before as f64 - 1.0) * 100.0;
                        Some(format!(
                            "{} from {}",
                            signed_percent(change),
                            map.stages[..index]
                                .iter()
                                .rev()
                                .find(|s| s.funnel.is_some())
                                .map_or("", |s| s.name.as_str())
                        ))
                    }
                    _ => None,
                };
                Caption {
                    name: measure.wrap(
                        &format!("{:02}  {}", index + 1, stage.name),
                        &t::style(24.0, Weight::Bold, 30.0),
                        CAPTION_TEXT,
                    ),
                    funnel: stage
                        .funnel
                        .map(|n| measure.wrap(&thousands(n), &funnel_style(), 300.0)),
                    drop: drop
                        .map(|d| measure.wrap(&d, &t::style(15.0, Weight::Semibold, 20.0), 300.0)),
                    description: at_most_lines(
                        measure.wrap(
                            &stage.description,
                            &t::style(15.0, Weight::Regular, 21.0),
                            CAPTION_TEXT,
                        ),
                        2,
                    ),
                }
            })
            .collect();
        let stage_name = |card: &Card| {
            (map.stages.iter())
                .find(|s| s.id == card.stage)
                .map_or(String::new(), |s| s.name.clone())
        };
        let row = |measure: &mut Measure, index: usize| {
            let card = &map.cards[index];
            SummaryRow {
                card: index,
                severity: card.severity,
                title: measure.wrap(
                    &first_lines(&card.title, 1),
                    &t::card_title(),
                    SUMMARY_COLUMN - 150.0,
                ),
                stage: measure.wrap(&stage_name(card), &t::label(), 110.0),
            }
        };
        let (all_pains, all_opportunities) = (pain_points(map), opportunities(map));
        let pains: Vec<SummaryRow> = (all_pains.iter().copied())
            .take(SUMMARY_ROWS)
            .map(|i| row(measure, i))
            .collect();
        let opportunities: Vec<SummaryRow> = (all_opportunities.iter().copied())
            .take(SUMMARY_ROWS)
            .map(|i| row(measure, i))
            .collect();
        let heading = |measure: &mut Measure, text: &str, count: usize| {
            let text = match count {
                0 => format!("{text}: none on this map"),
                n if n > SUMMARY_ROWS => format!("{text} (top {SUMMARY_ROWS} of {n})"),
                _ => text.to_owned(),
            };
            measure.wrap(&text, &slide_heading_style(), SUMMARY_COLUMN)
        };
        Self {
            title: measure.wrap(title, &slide_title_style(), content),
            subtitle: measure.wrap(&subtitle, &t::style(18.0, Weight::Regular, 24.0), content),
            personas,
            captions,
            pains_heading: heading(measure, "Pain points, by severity", all_pains.len()),
            pains,
            opportunities_heading: heading(measure, "Opportunities", all_opportunities.len()),
            opportunities,
        }
    }
}

/// The map's pain points (cards with a severity), most severe first, then in stage order.
pub fn pain_points(map: &Map) -> Vec<usize> {
    let mut pains: Vec<usize> = (0..map.cards.len())
        .filter(|&i| map.cards[i].severity.is_some())
        .collect();
    let stage_of = |i: usize| map.stage_index(&map.cards[i].stage).unwrap_or(usize::MAX);
    pains.sort_by_key(|&i| (std::cmp::Reverse(map.cards[i].severity), stage_of(i)));
    pains
}

/// The map's opportunities: the cards of a lane named for them ("Opportunities",
/// "Ideas") and cards marked as proposed, in stage order.
pub fn opportunities(map: &Map) -> Vec<usize> {
    let lane_is_for_them = |card: &Card| {
        map.lanes.iter().any(|lane| {
            let name = lane.name.to_lowercase();
            lane.id == card.lane && (name.contains("opportunit") || name.contains("idea"))
        })
    };
    let mut found: Vec<usize> = (0..map.cards.len())
        .filter(|&i| {
            let card = &map.cards[i];
            card.severity.is_none()
                && (lane_is_for_them(card) || card.evidence == Some(Evidence::Proposed))
        })
        .collect();
    found.sort_by_key(|&i| map.stage_index(&map.cards[i].stage).unwrap_or(usize::MAX));
    found
}

/// The first `n` lines of a wrapped block, the last ending in "…" when more were cut.
fn at_most_lines(mut block: TextBlock, n: usize) -> TextBlock {
    if block.lines.len() > n {
        let mut lines: Vec<String> = block.lines[..n].to_vec();
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
        block.lines = lines.into();
    }
    block
}

fn quoted(quote: &str) -> String {
    let quote = first_lines(quote, 3);
    if quote.is_empty() {
        String::new()
    } else {
        format!("“{}”", quote.trim_matches(['"', '“', '”']))
    }
}

/// The first `n` lines of a text (a slide has room for a few).
fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(id: &str) -> Map {
        crate::templates::find(id).unwrap().map().unwrap()
    }

    #[test]
    fn the_storyboard_is_title_overview_each_stage_and_summary() {
        let map = template("5a");
        let steps = storyboard(&map);
        assert_eq!(steps.len(), 2 + map.stages.len() + 1);
        assert_eq!(steps[0], Step::Title);
        assert_eq!(steps[1], Step::Overview);
        assert_eq!(
            steps[2],
            Step::Stage {
                stage: 0,
                lanes: None
            }
        );
        assert_eq!(steps.last(), Some(&Step::Summary));
        assert_eq!(first_step_of(&steps, 3), Some(5));
        assert_eq!(step_slug(&map, steps[2]), "aware");
    }

    #[test]
    fn revealing_lanes_adds_a_step_per_lane_ending_with_every_lane() {
        let mut map = template("service-blueprint");
        map.presentation.reveal_lanes = true;
        let steps = storyboard(&map);
        let of_first: Vec<Option<usize>> = (steps.iter())
            .filter_map(|s| match s {
                Step::Stage { stage: 0, lanes } => Some(*lanes),
                _ => None,
            })
            .collect();
        let dividers = map
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Divider)
            .count();
        assert_eq!(of_first.len(), map.lanes.len() - dividers);
        assert_eq!(of_first.last(), Some(&Some(map.lanes.len() - 1)));
        assert!(of_first.is_sorted());
    }

    #[test]
    fn a_stage_camera_holds_the_column_and_the_lane_names_above_the_caption() {
        let map = template("5a");
        let layout = MapLayout::compute(&map, &mut Measure::new(), Default::default());
        for stage in 0..map.stages.len() {
            let step = Step::Stage { stage, lanes: None };
            let camera = camera(&layout, step).unwrap();
            let shown = camera.mul_rect(camera_target(&layout, step).unwrap());
            let area = map_area(step);
            assert!(
                area.expand(0.5).contains_rect(shown),
                "{shown:?} in {area:?}"
            );
            let column = layout.stages[stage].column;
            let column = camera.mul_rect(Rect::from_x_y_ranges(column, layout.corner.y_range()));
            assert!(shown.contains_rect(column));
            assert!(shown.left() + layout.corner.width() * camera.scaling <= column.left() + 0.5);
        }
    }

    #[test]
    fn revealed_lanes_of_a_tall_map_are_framed_at_a_readable_scale() {
        let mut map = template("5a");
        map.presentation.reveal_lanes = true;
        let layout = MapLayout::compute(&map, &mut Measure::new(), Default::default());
        let whole = camera(
            &layout,
            Step::Stage {
                stage: 1,
                lanes: None,
            },
        )
        .unwrap();
        assert!(
            whole.scaling < READABLE_SCALE,
            "5a is tall: {}",
            whole.scaling
        );
        for last in 0..map.lanes.len() {
            let step = Step::Stage {
                stage: 1,
                lanes: Some(last),
            };
            let camera = camera(&layout, step).unwrap();
            let target = camera_target(&layout, step).unwrap();
            assert!(
                camera.scaling >= READABLE_SCALE.min(1.0) - 0.01 || {
                    // A single lane taller than the slide is shown whole, smaller.
                    target.top() == layout.lanes[last].row.min
                }
            );
            assert!(target.bottom() >= layout.lanes[last].row.max - 0.5);
        }
    }

    #[test]
    fn the_summary_ranks_pains_by_severity() {
        let map = template("5a");
        let pains = pain_points(&map);
        assert!(!pains.is_empty());
        let severities: Vec<_> = pains.iter().map(|&i| map.cards[i].severity).collect();
        assert!(
            severities.windows(2).all(|w| w[0] >= w[1]),
            "{severities:?}"
        );
        assert!(!opportunities(&map).is_empty());
    }
}
