//! `MapLayout`: where everything of a map goes, in map points with (0, 0) at the top
//! left. A pure function of the map, the layout options and text measurement; the
//! painter, hit-testing, drop targets, the exporter and the tests all ask it.

use super::text::{Measure, TextBlock};
use super::theme::{self as t, TextStyle};
use crate::model::{Card, Channel, Evidence, LaneKind, Map, Severity};
use egui::{Pos2, Rangef, Rect, Vec2, pos2, vec2};

/// What besides the grid a layout holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutOptions {
    pub title: bool,
    pub personas: bool,
    pub legend: bool,
    /// Position in the whole map of the first stage shown (a range export numbers
    /// its stages as the whole map does).
    pub first_stage: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            title: true,
            personas: false,
            legend: false,
            first_stage: 0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct MapLayout {
    /// The whole drawing, from (0, 0).
    pub size: Vec2,
    pub title: Option<TitleLayout>,
    pub personas: Vec<PersonaLayout>,
    pub legend: Option<LegendLayout>,
    /// The rounded panel that holds the grid.
    pub board: Rect,
    /// The top-left corner cell ("Lanes / stages").
    pub corner: Rect,
    pub stages: Vec<StageLayout>,
    pub lanes: Vec<LaneLayout>,
    /// One per lane and stage: `cells[lane * stages + stage]`.
    pub cells: Vec<CellLayout>,
    pub cards: Vec<CardLayout>,
    pub emotions: Vec<EmotionLayout>,
    /// For each card of the map, its index in `cards` (emotion points have none).
    card_slots: Vec<Option<usize>>,
}

#[derive(Clone, Debug)]
pub struct TitleLayout {
    pub rect: Rect,
    pub title: TextBlock,
    pub subtitle: TextBlock,
}

#[derive(Clone, Debug)]
pub struct PersonaLayout {
    pub persona: usize,
    pub rect: Rect,
    pub name: TextBlock,
    pub role: TextBlock,
    pub quote: TextBlock,
}

#[derive(Clone, Debug)]
pub struct LegendLayout {
    pub rect: Rect,
    pub heading: TextBlock,
    pub items: Vec<(Channel, Chip)>,
}

#[derive(Clone, Debug)]
pub struct StageLayout {
    /// The coloured header band.
    pub header: Rect,
    /// The column below it.
    pub column: Rangef,
    pub number: String,
    pub name: TextBlock,
    /// Funnel figure and drop-off from the previous stage, when the stage has one.
    pub funnel: Option<TextBlock>,
}

#[derive(Clone, Debug)]
pub struct LaneLayout {
    pub header: Rect,
    pub row: Rangef,
    pub kind: LaneKind,
    pub name: TextBlock,
    pub detail: Option<TextBlock>,
}

#[derive(Clone, Debug)]
pub struct CellLayout {
    pub stage: usize,
    pub lane: usize,
    pub rect: Rect,
    /// Indices into [`MapLayout::cards`], top to bottom.
    pub cards: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct CardLayout {
    /// Index into `Map::cards`.
    pub card: usize,
    pub cell: usize,
    pub rect: Rect,
    pub title: TextBlock,
    pub title_pos: Pos2,
    pub notes: TextBlock,
    pub notes_pos: Pos2,
    pub chips: Vec<Chip>,
}

/// A small labelled pill in a card's footer or the legend.
#[derive(Clone, Debug)]
pub struct Chip {
    pub kind: ChipKind,
    pub rect: Rect,
    pub text: TextBlock,
    pub text_pos: Pos2,
    /// A metric's value, drawn stronger after its label (`text`).
    pub value: Option<(TextBlock, Pos2)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChipKind {
    Channel(Channel),
    Metric,
    Tag,
    Severity(Severity),
    Evidence(Evidence),
    Emotion(i8),
    Owner,
}

#[derive(Clone, Debug)]
pub struct EmotionLayout {
    pub lane: usize,
    /// Where scores -2..+2 are drawn: top is +2, bottom is -2.
    pub plot: Rect,
    pub points: Vec<EmotionPoint>,
    /// One smooth line per persona (or for cards with none), in map points.
    pub curves: Vec<EmotionCurve>,
    /// Names of the curves' personas, for the key in the lane header (two or more curves).
    pub keys: Vec<TextBlock>,
}

impl EmotionLayout {
    pub fn y_of(&self, score: f32) -> f32 {
        self.plot.bottom() - (score + 2.0) / 4.0 * self.plot.height()
    }

    /// The score under a height, snapped to a whole -2..+2.
    pub fn score_at(&self, y: f32) -> i8 {
        let score = (self.plot.bottom() - y) / self.plot.height() * 4.0 - 2.0;
        score.round().clamp(-2.0, 2.0) as i8
    }
}

#[derive(Clone, Debug)]
pub struct EmotionPoint {
    pub card: usize,
    pub center: Pos2,
    pub score: i8,
    pub label: TextBlock,
    pub label_pos: Pos2,
}

#[derive(Clone, Debug)]
pub struct EmotionCurve {
    /// Index into `Map::personas`, or `None` for points tied to no persona.
    pub persona: Option<usize>,
    pub path: Vec<Pos2>,
    pub points: Vec<Pos2>,
}

pub const POINT_RADIUS: f32 = 7.0;
const BOARD_INSET: f32 = 8.0;
/// The margin inside the board around the title, the personas and the legend.
const HEADER_INSET: f32 = BOARD_INSET + t::CELL_PADDING + 8.0;
/// The board's margin right of the last stage: the lane column is the left side's margin,
/// so the grid ends where the title and personas do, not flush with the board's edge.
const GRID_RIGHT_INSET: f32 = HEADER_INSET;

impl MapLayout {
    pub fn compute(map: &Map, measure: &mut Measure, options: LayoutOptions) -> Self {
        measure.begin_pass(text_lengths(map));
        let widths: Vec<f32> = map
            .stages
            .iter()
            .map(|s| s.width.unwrap_or(t::DEFAULT_STAGE_WIDTH))
            .collect();
        let grid_width =
            BOARD_INSET + t::LANE_HEADER_WIDTH + widths.iter().sum::<f32>() + GRID_RIGHT_INSET;
        // The title, personas and legend sit inside the board, so they read on any
        // background (a transparent export on a dark slide included).
        let inner_width = grid_width - 2.0 * HEADER_INSET;
        let mut y = HEADER_INSET;
        let title = options.title.then(|| {
            let mut block = title_layout(map, measure, inner_width);
            block.rect = block.rect.translate(vec2(HEADER_INSET, y));
            y = block.rect.bottom() + t::TITLE_GAP;
            block
        });
        let mut personas = Vec::new();
        if options.personas && !map.personas.is_empty() {
            personas = persona_strip(map, measure, inner_width, pos2(HEADER_INSET, y));
            let bottom = personas.iter().map(|p| p.rect.bottom()).fold(y, f32::max);
            y = bottom + t::TITLE_GAP;
        }
        let has_header = title.is_some() || !personas.is_empty();

        let board_top = 0.0;
        let mut x = BOARD_INSET + t::LANE_HEADER_WIDTH;
        let mut stages = Vec::with_capacity(map.stages.len());
        for (index, &width) in widths.iter().enumerate() {
            stages.push(stage_layout(
                map,
                index,
                options.first_stage,
                measure,
                x,
                width,
            ));
            x += width;
        }
        let header_height = stages
            .iter()
            .map(|s| s.header.height())
            .fold(t::STAGE_HEADER_HEIGHT, f32::max);
        let header_top = if has_header {
            y
        } else {
            board_top + BOARD_INSET
        };
        for stage in &mut stages {
            stage.header = Rect::from_min_size(
                pos2(stage.header.left(), header_top),
                vec2(stage.header.width(), header_height),
            );
        }
        let corner = Rect::from_min_size(
            pos2(BOARD_INSET, header_top),
            vec2(t::LANE_HEADER_WIDTH, header_height),
        );

        // Cards are measured first (their width is the column's), then placed by row.
        let mut cards: Vec<CardLayout> = Vec::new();
        let mut cells = Vec::with_capacity(map.lanes.len() * map.stages.len());
        let mut lanes = Vec::with_capacity(map.lanes.len());
        let mut emotions = Vec::new();
        let mut cards_by_cell = cards_by_cell(map);
        let mut row_top = header_top + header_height + BOARD_INSET;
        for (lane_index, lane) in map.lanes.iter().enumerate() {
            let mut name_width = t::LANE_HEADER_WIDTH - 2.0 * t::CELL_PADDING - 8.0;
            if lane.kind == LaneKind::Emotion {
                name_width -= 24.0; // the faces of the scale sit at the right edge
            }
            let name = match lane.kind {
                // A divider's name sits on its line, in small capitals.
                LaneKind::Divider => {
                    measure.wrap(&lane.name.to_uppercase(), &t::caps(), grid_width / 2.0)
                }
                LaneKind::Cards | LaneKind::Emotion => {
                    measure.wrap(&lane.name, &t::lane_name(), name_width)
                }
            };
            let card_count = cards_by_cell[lane_index]
                .iter()
                .map(Vec::len)
                .sum::<usize>();
            let detail = match lane.kind {
                LaneKind::Cards => Some(plural(card_count, "card")),
                LaneKind::Emotion => Some("Emotion curve".to_owned()),
                LaneKind::Divider => None,
            }
            .map(|text| measure.wrap(&text, &t::label(), name_width));
            let header_content = 2.0 * t::CELL_PADDING
                + name.height()
                + detail.as_ref().map_or(0.0, |d| d.height() + 2.0);

            // Only card lanes hold cards; emotion points are laid out by `emotion_layout`.
            let lane_cards: Vec<Vec<CardLayout>> = (0..map.stages.len())
                .map(|stage| match lane.kind {
                    LaneKind::Cards => std::mem::take(&mut cards_by_cell[lane_index][stage])
                        .into_iter()
                        .map(|card| measured_card(map, card, measure, widths[stage]))
                        .collect(),
                    LaneKind::Emotion | LaneKind::Divider => Vec::new(),
                })
                .collect();
            let height = match lane.kind {
                LaneKind::Cards => {
                    let tallest = lane_cards
                        .iter()
                        .map(|cell| stack_height(cell) + 2.0 * t::CELL_PADDING)
                        .fold(t::MIN_CARD_LANE_HEIGHT, f32::max);
                    tallest.max(lane.height.unwrap_or(0.0)).max(header_content)
                }
                LaneKind::Emotion => {
                    let in_cells = &cards_by_cell[lane_index];
                    let (emotion, height) =
                        emotion_layout(map, lane_index, in_cells, &stages, row_top, measure);
                    emotions.push(emotion);
                    height.max(header_content)
                }
                LaneKind::Divider => t::DIVIDER_LANE_HEIGHT,
            };
            let row = Rangef::new(row_top, row_top + height);
            for (stage_index, stage_cards) in lane_cards.into_iter().enumerate() {
                let column = stages[stage_index].column;
                let rect = Rect::from_x_y_ranges(column, row);
                let mut card_y = row.min + t::CELL_PADDING;
                let mut indices = Vec::with_capacity(stage_cards.len());
                for mut card in stage_cards {
                    let offset = vec2(column.min + t::CELL_PADDING, card_y);
                    translate_card(&mut card, offset);
                    card.cell = cells.len();
                    card_y = card.rect.bottom() + t::CARD_GAP;
                    indices.push(cards.len());
                    cards.push(card);
                }
                cells.push(CellLayout {
                    stage: stage_index,
                    lane: lane_index,
                    rect,
                    cards: indices,
                });
            }
            lanes.push(LaneLayout {
                header: Rect::from_x_y_ranges(
                    Rangef::new(BOARD_INSET, BOARD_INSET + t::LANE_HEADER_WIDTH),
                    row,
                ),
                row,
                kind: lane.kind,
                name,
                detail,
            });
            row_top += height;
        }

        let legend = options.legend.then(|| {
            let top = row_top + HEADER_INSET;
            legend_layout(map, measure, inner_width, pos2(HEADER_INSET, top))
        });
        let bottom = match &legend {
            Some(legend) => legend.rect.bottom() + HEADER_INSET,
            None => row_top + BOARD_INSET,
        };
        let board = Rect::from_min_max(pos2(0.0, board_top), pos2(grid_width, bottom));
        let mut card_slots = vec![None; map.cards.len()];
        for (slot, card) in cards.iter().enumerate() {
            card_slots[card.card] = Some(slot);
        }
        MapLayout {
            card_slots,
            size: vec2(grid_width, bottom),
            title,
            personas,
            legend,
            board,
            corner,
            stages,
            lanes,
            cells,
            cards,
            emotions,
        }
    }

    /// A lower bound of [`Self::size`] that reads only stage widths and lane kinds and
    /// heights: cheap, so an export can refuse a map too large before laying it out.
    pub fn min_size(map: &Map) -> Vec2 {
        let widths = map
            .stages
            .iter()
            .map(|s| s.width.unwrap_or(t::DEFAULT_STAGE_WIDTH));
        let width = BOARD_INSET + t::LANE_HEADER_WIDTH + widths.sum::<f32>() + GRID_RIGHT_INSET;
        let heights = map.lanes.iter().map(|lane| match lane.kind {
            LaneKind::Cards => lane.height.unwrap_or(0.0).max(t::MIN_CARD_LANE_HEIGHT),
            // The plot of an emotion lane is never lower than 64 points.
            LaneKind::Emotion => 64.0,
            LaneKind::Divider => t::DIVIDER_LANE_HEIGHT,
        });
        let height = t::STAGE_HEADER_HEIGHT + heights.sum::<f32>() + 3.0 * BOARD_INSET;
        vec2(width, height)
    }

    /// The top part of a lane's row that one stage's cell needs: its cards and the lane
    /// header's text, at least a card lane's least height. An emotion or divider lane
    /// keeps its whole row, which its line crosses.
    pub fn cell_content_row(&self, stage: usize, lane: usize) -> Rangef {
        let Some(lane_layout) = self.lanes.get(lane) else {
            return Rangef::NOTHING;
        };
        let row = lane_layout.row;
        if lane_layout.kind != LaneKind::Cards {
            return row;
        }
        let header = 2.0 * t::CELL_PADDING
            + lane_layout.name.height()
            + lane_layout
                .detail
                .as_ref()
                .map_or(0.0, |d| d.height() + 2.0);
        let cards = (self.cells.iter())
            .find(|cell| cell.stage == stage && cell.lane == lane)
            .and_then(|cell| cell.cards.last())
            .map_or(0.0, |&last| {
                self.cards[last].rect.bottom() + t::CELL_PADDING - row.min
            });
        let height = header.max(cards).max(t::MIN_CARD_LANE_HEIGHT);
        Rangef::new(row.min, (row.min + height).min(row.max))
    }

    /// The cell (stage, lane) under a point of the grid.
    pub fn cell_at(&self, pos: Pos2) -> Option<(usize, usize)> {
        let stage = self.stages.iter().position(|s| s.column.contains(pos.x))?;
        let lane = self.lanes.iter().position(|l| l.row.contains(pos.y))?;
        Some((stage, lane))
    }

    pub fn cell(&self, stage: usize, lane: usize) -> Option<&CellLayout> {
        self.cells.get(lane * self.stages.len() + stage)
    }

    /// The card (index into [`Self::cards`]) under a point; emotion points count too.
    pub fn card_at(&self, pos: Pos2) -> Option<usize> {
        let (stage, lane) = self.cell_at(pos)?;
        let cell = self.cell(stage, lane)?;
        if let Some(&hit) = cell
            .cards
            .iter()
            .find(|&&i| self.cards[i].rect.contains(pos))
        {
            return Some(hit);
        }
        None
    }

    /// The emotion point (index into `Map::cards`) under a point.
    pub fn emotion_point_at(&self, pos: Pos2) -> Option<usize> {
        self.emotions
            .iter()
            .flat_map(|e| &e.points)
            .filter(|p| p.center.distance(pos) <= POINT_RADIUS + 4.0)
            .min_by(|a, b| a.center.distance(pos).total_cmp(&b.center.distance(pos)))
            .map(|p| p.card)
    }

    /// Where a card dropped at `pos` lands among the cards of a cell.
    pub fn insertion_index(&self, stage: usize, lane: usize, pos: Pos2) -> usize {
        self.cell(stage, lane).map_or(0, |cell| {
            cell.cards
                .iter()
                .take_while(|&&i| self.cards[i].rect.center().y < pos.y)
                .count()
        })
    }

    /// The layout of a card of the map, by its index in `Map::cards`.
    pub fn card_of(&self, map_index: usize) -> Option<&CardLayout> {
        let slot = (*self.card_slots.get(map_index)?)?;
        self.cards.get(slot)
    }
}

/// `count` and `what`, in the plural unless it is one: "1 card", "3 cards".
pub fn plural(count: usize, what: &str) -> String {
    format!("{count} {what}{}", if count == 1 { "" } else { "s" })
}

/// Indices of the map's cards per lane and stage, in file order.
fn cards_by_cell(map: &Map) -> Vec<Vec<Vec<usize>>> {
    let mut cells = vec![vec![Vec::new(); map.stages.len()]; map.lanes.len()];
    let stage_of: std::collections::HashMap<_, _> = map
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (&s.id, i))
        .collect();
    let lane_of: std::collections::HashMap<_, _> = map
        .lanes
        .iter()
        .enumerate()
        .map(|(i, l)| (&l.id, i))
        .collect();
    for (index, card) in map.cards.iter().enumerate() {
        if let (Some(&stage), Some(&lane)) = (stage_of.get(&card.stage), lane_of.get(&card.lane)) {
            cells[lane][stage].push(index);
        }
    }
    cells
}

fn stack_height(cards: &[CardLayout]) -> f32 {
    let heights: f32 = cards.iter().map(|c| c.rect.height()).sum();
    heights + t::CARD_GAP * cards.len().saturating_sub(1) as f32
}

fn title_layout(map: &Map, measure: &mut Measure, width: f32) -> TitleLayout {
    let title_text = if map.title.is_empty() {
        "Untitled journey"
    } else {
        &map.title
    };
    let title = measure.wrap(title_text, &t::map_title(), width);
    let mut parts = vec![
        map.kind.label().to_owned(),
        plural(map.stages.len(), "stage"),
        plural(map.lanes.len(), "lane"),
    ];
    let emotion_points = map.emotion_points();
    parts.push(plural(map.cards.len() - emotion_points, "card"));
    if emotion_points > 0 {
        parts.push(plural(emotion_points, "emotion point"));
    }
    let names: Vec<&str> = map.personas.iter().map(|p| p.name.as_str()).collect();
    if !names.is_empty() {
        let label = if names.len() == 1 {
            "Persona"
        } else {
            "Personas"
        };
        parts.push(format!("{label}: {}", names.join(", ")));
    }
    let subtitle = measure.wrap(&parts.join("  ·  "), &t::map_subtitle(), width);
    let height = title.height() + 4.0 + subtitle.height();
    TitleLayout {
        rect: Rect::from_min_size(Pos2::ZERO, vec2(width, height)),
        title,
        subtitle,
    }
}

fn persona_strip(map: &Map, measure: &mut Measure, width: f32, at: Pos2) -> Vec<PersonaLayout> {
    const CARD_WIDTH: f32 = 300.0;
    let inner = CARD_WIDTH - 2.0 * t::CARD_PADDING - 40.0;
    let mut x = 0.0;
    let mut y = at.y;
    let mut row_height: f32 = 0.0;
    let mut strip = Vec::new();
    for (index, persona) in map.personas.iter().enumerate() {
        let name = measure.wrap(&persona.name, &t::card_title(), inner);
        let role = measure.wrap(&persona.role, &t::label(), inner);
        let quote_text = if persona.quote.is_empty() {
            String::new()
        } else {
            format!("“{}”", persona.quote)
        };
        let quote = measure.wrap(&quote_text, &t::card_notes(), inner);
        let height = 2.0 * t::CARD_PADDING
            + name.height()
            + role.height()
            + if quote.is_empty() {
                0.0
            } else {
                6.0 + quote.height()
            };
        if x > 0.0 && x + CARD_WIDTH > width {
            x = 0.0;
            y += row_height + t::CARD_GAP;
            row_height = 0.0;
        }
        strip.push(PersonaLayout {
            persona: index,
            rect: Rect::from_min_size(pos2(at.x + x, y), vec2(CARD_WIDTH, height.max(64.0))),
            name,
            role,
            quote,
        });
        row_height = row_height.max(height.max(64.0));
        x += CARD_WIDTH + t::CARD_GAP;
    }
    strip
}

fn legend_layout(map: &Map, measure: &mut Measure, width: f32, at: Pos2) -> LegendLayout {
    let top = at.y;
    let heading = measure.wrap("CHANNELS", &t::caps(), width);
    let mut items = Vec::new();
    let mut x = 0.0;
    let mut y = top + heading.height() + 6.0;
    for channel in Channel::ALL {
        if !map.cards.iter().any(|c| c.channel == Some(channel)) {
            continue;
        }
        let mut chip = make_chip(measure, ChipKind::Channel(channel), channel.label(), width);
        if x > 0.0 && x + chip.rect.width() > width {
            x = 0.0;
            y += t::CHIP_HEIGHT + t::CHIP_GAP;
        }
        translate_chip(&mut chip, vec2(at.x + x, y));
        x += chip.rect.width() + t::CHIP_GAP;
        items.push((channel, chip));
    }
    let bottom = items.iter().map(|(_, c)| c.rect.bottom()).fold(y, f32::max);
    LegendLayout {
        rect: Rect::from_min_max(pos2(at.x, top), pos2(at.x + width, bottom)),
        heading,
        items,
    }
}

fn stage_layout(
    map: &Map,
    index: usize,
    first_stage: usize,
    measure: &mut Measure,
    x: f32,
    width: f32,
) -> StageLayout {
    let stage = &map.stages[index];
    let text_width = width - 2.0 * t::CELL_PADDING - 28.0; // room for the step number and the arrow tip
    let name = measure.wrap(&stage.name, &t::stage_name(), text_width);
    let funnel = stage.funnel.map(|reached| {
        let previous = map.stages[..index].iter().rev().find_map(|s| s.funnel);
        let text = match previous {
            Some(before) if before > 0 => {
                let change = (reached as f64 / before as f64 - 1.0) * 100.0;
                format!("{} · {}", thousands(reached), signed_percent(change))
            }
            _ => thousands(reached),
        };
        measure.wrap(&text, &t::label(), text_width)
    });
    let content = 16.0 + name.height() + funnel.as_ref().map_or(0.0, |f| f.height() + 2.0) + 16.0;
    StageLayout {
        header: Rect::from_min_size(pos2(x, 0.0), vec2(width, content)),
        column: Rangef::new(x, x + width),
        number: format!("{:02}", first_stage + index + 1),
        name,
        funnel,
    }
}

pub(crate) fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn signed_percent(change: f64) -> String {
    let rounded = change.round();
    if rounded < 0.0 {
        format!("−{}%", -rounded)
    } else {
        format!("+{rounded}%")
    }
}

/// A card measured at the origin, from the memo when it did not change since the last
/// layout; `compute` moves it into its cell.
fn measured_card(map: &Map, index: usize, measure: &mut Measure, column_width: f32) -> CardLayout {
    let card = &map.cards[index];
    // A card the rest of the budget may cut short is measured afresh, never remembered.
    let budget = measure.budget();
    let whole = card_texts(card)
        .map(|bytes| measure.cost_bound(bytes))
        .sum::<usize>()
        <= budget;
    if whole && let Some((mut layout, spent)) = measure.cards.get(card, column_width) {
        layout.card = index;
        measure.charge(spent);
        return layout;
    }
    let layout = card_layout(map, index, measure, column_width);
    if whole {
        let spent = budget - measure.budget();
        measure.cards.insert(card, column_width, &layout, spent);
    }
    layout
}

/// Tags shown on a card; more are summed up in one last chip.
pub const MAX_TAG_CHIPS: usize = 8;

/// The bytes of each text a card lays out (chip labels of a few characters included).
fn card_texts(card: &Card) -> impl Iterator<Item = usize> + Clone + '_ {
    let metric = card
        .metric
        .iter()
        .flat_map(|m| [m.label.len(), m.value.len()]);
    let tags = card.tags.iter().take(MAX_TAG_CHIPS).map(String::len);
    // Channel, severity, evidence, more tags and the owner's initials.
    let chips = [16; 5];
    [card.title.len(), card.notes.len()]
        .into_iter()
        .chain(metric)
        .chain(tags)
        .chain(chips)
}

/// The bytes of every text a layout of `map` can lay out, as
/// [`Measure::begin_pass`] wants them.
fn text_lengths(map: &Map) -> impl Iterator<Item = usize> + Clone + '_ {
    let names: usize = map.personas.iter().map(|p| p.name.len() + 2).sum();
    let personas = map
        .personas
        .iter()
        .flat_map(|p| [p.name.len(), p.role.len(), p.quote.len() + 6]);
    // The title, its subtitle (which names every persona) and the legend's heading.
    [map.title.len(), names + 80, 16]
        .into_iter()
        .chain(personas)
        .chain(map.stages.iter().flat_map(|s| [s.name.len(), 32]))
        .chain(map.lanes.iter().flat_map(|l| [l.name.len(), 16]))
        .chain(map.cards.iter().flat_map(card_texts))
}

/// A card measured at the origin; `compute` moves it into its cell.
fn card_layout(map: &Map, index: usize, measure: &mut Measure, column_width: f32) -> CardLayout {
    let card = &map.cards[index];
    let width = column_width - 2.0 * t::CELL_PADDING;
    let inner = width - 2.0 * t::CARD_PADDING;
    let left = t::CARD_PADDING;
    let mut y = t::CARD_PADDING - 1.0;
    let title = measure.wrap(&card.title, &t::card_title(), inner);
    let title_pos = pos2(left, y);
    y += title.height().max(t::card_title().line_height);
    let notes = measure.wrap(&card.notes, &t::card_notes(), inner);
    let notes_pos = pos2(left, y + 3.0);
    if !notes.is_empty() {
        y += 3.0 + notes.height();
    }
    let chips = footer_chips(card, measure, inner);
    let mut chips = flow(chips, inner);
    if !chips.is_empty() {
        y += 10.0;
        for chip in &mut chips {
            translate_chip(chip, vec2(left, y));
        }
        y = chips.iter().map(|c| c.rect.bottom()).fold(y, f32::max);
    }
    let height = y + t::CARD_PADDING;
    CardLayout {
        card: index,
        cell: 0,
        rect: Rect::from_min_size(Pos2::ZERO, vec2(width, height)),
        title,
        title_pos,
        notes,
        notes_pos,
        chips,
    }
}

fn footer_chips(card: &Card, measure: &mut Measure, inner: f32) -> Vec<Chip> {
    let mut chips = Vec::new();
    if let Some(channel) = card.channel {
        chips.push(make_chip(
            measure,
            ChipKind::Channel(channel),
            channel.label(),
            inner,
        ));
    }
    if let Some(metric) = &card.metric {
        chips.push(metric_chip(measure, &metric.label, &metric.value, inner));
    }
    if let Some(severity) = card.severity {
        chips.push(make_chip(
            measure,
            ChipKind::Severity(severity),
            t::severity_label(severity),
            inner,
        ));
    }
    for tag in card.tags.iter().take(MAX_TAG_CHIPS) {
        chips.push(make_chip(measure, ChipKind::Tag, tag, inner));
    }
    if card.tags.len() > MAX_TAG_CHIPS {
        let more = format!("+{} more", card.tags.len() - MAX_TAG_CHIPS);
        chips.push(make_chip(measure, ChipKind::Tag, &more, inner));
    }
    if let Some(evidence) = card.evidence {
        chips.push(make_chip(
            measure,
            ChipKind::Evidence(evidence),
            t::evidence_label(evidence),
            inner,
        ));
    }
    if let Some(score) = card.emotion {
        chips.push(make_chip(measure, ChipKind::Emotion(score), "", inner));
    }
    let initials = initials(&card.owner);
    if !initials.is_empty() {
        chips.push(make_chip(measure, ChipKind::Owner, &initials, inner));
    }
    chips
}

/// "Growth team" -> "GT", "CX" -> "CX".
pub fn initials(owner: &str) -> String {
    let words: Vec<&str> = owner.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.chars().take(2).collect::<String>().to_uppercase(),
        [first, .., last] => [first, last]
            .iter()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase(),
    }
}

/// Width of the leading mark of a chip (icon, bars, dot), in points.
pub fn chip_mark_width(kind: ChipKind) -> f32 {
    match kind {
        ChipKind::Channel(_) => 16.0,
        ChipKind::Severity(_) => 14.0,
        ChipKind::Evidence(_) => 12.0,
        ChipKind::Metric | ChipKind::Tag | ChipKind::Owner | ChipKind::Emotion(_) => 0.0,
    }
}

fn chip_style(kind: ChipKind) -> TextStyle {
    match kind {
        ChipKind::Owner => t::label_strong(),
        _ => t::label(),
    }
}

fn make_chip(measure: &mut Measure, kind: ChipKind, text: &str, max_width: f32) -> Chip {
    const PAD: f32 = 7.0;
    if let ChipKind::Emotion(_) | ChipKind::Owner = kind {
        let side = t::CHIP_HEIGHT;
        let block = measure.wrap(text, &t::label_strong(), side + 20.0);
        let width = if matches!(kind, ChipKind::Owner) {
            side.max(block.width + 8.0)
        } else {
            side
        };
        let text_pos = pos2((width - block.width) / 2.0, (side - block.height()) / 2.0);
        return Chip {
            kind,
            rect: Rect::from_min_size(Pos2::ZERO, vec2(width, side)),
            text: block,
            text_pos,
            value: None,
        };
    }
    let mark = chip_mark_width(kind);
    let block = measure.wrap(text, &chip_style(kind), max_width - 2.0 * PAD - mark);
    let height = (block.height() + 6.0).max(t::CHIP_HEIGHT);
    let width = (2.0 * PAD + mark + block.width).ceil();
    Chip {
        kind,
        rect: Rect::from_min_size(Pos2::ZERO, vec2(width, height)),
        text_pos: pos2(PAD + mark, (height - block.height()) / 2.0),
        text: block,
        value: None,
    }
}

/// A metric reads "label value" as plain text, not as a pill: it is data, not a tag.
fn metric_chip(measure: &mut Measure, label: &str, value: &str, max_width: f32) -> Chip {
    let value = measure.wrap(value.trim(), &t::label_strong(), max_width);
    let gap = if value.is_empty() { 0.0 } else { 4.0 };
    let label = measure.wrap(
        label.trim(),
        &t::label(),
        (max_width - value.width - gap).max(40.0),
    );
    let gap = if label.is_empty() { 0.0 } else { gap };
    let height = label.height().max(value.height()).max(t::CHIP_HEIGHT);
    let width = (label.width + gap + value.width).ceil();
    let value_pos = pos2(label.width + gap, (height - value.height()) / 2.0);
    Chip {
        kind: ChipKind::Metric,
        rect: Rect::from_min_size(Pos2::ZERO, vec2(width, height)),
        text_pos: pos2(0.0, (height - label.height()) / 2.0),
        text: label,
        value: Some((value, value_pos)),
    }
}

fn translate_chip(chip: &mut Chip, offset: Vec2) {
    chip.rect = chip.rect.translate(offset);
    chip.text_pos += offset;
    if let Some((_, pos)) = &mut chip.value {
        *pos += offset;
    }
}

/// Lays chips out left to right from (0, 0), wrapping at `width`.
fn flow(mut chips: Vec<Chip>, width: f32) -> Vec<Chip> {
    let (mut x, mut y, mut row_height) = (0.0, 0.0, 0.0_f32);
    for chip in &mut chips {
        if x > 0.0 && x + chip.rect.width() > width {
            x = 0.0;
            y += row_height + t::CHIP_GAP;
            row_height = 0.0;
        }
        translate_chip(chip, vec2(x, y));
        x += chip.rect.width() + t::CHIP_GAP;
        row_height = row_height.max(chip.rect.height());
    }
    chips
}

fn translate_card(card: &mut CardLayout, offset: Vec2) {
    card.rect = card.rect.translate(offset);
    card.title_pos += offset;
    card.notes_pos += offset;
    for chip in &mut card.chips {
        translate_chip(chip, offset);
    }
}

/// The experience curve of an emotion lane whose row starts at `top`, and the row's height.
fn emotion_layout(
    map: &Map,
    lane_index: usize,
    in_cells: &[Vec<usize>],
    stages: &[StageLayout],
    top: f32,
    measure: &mut Measure,
) -> (EmotionLayout, f32) {
    const TOP_ROOM: f32 = 22.0;
    const PLOT_HEIGHT: f32 = 112.0;
    let lane = &map.lanes[lane_index];
    // Points first, at the origin: their labels decide how much room the row needs.
    let mut points = Vec::new();
    for (stage_index, in_cell) in in_cells.iter().enumerate() {
        let column = stages[stage_index].column;
        let slot = column.span() / (in_cell.len() + 1) as f32;
        // One point has the column to itself; several share it slot by slot.
        let label_width = if in_cell.len() == 1 {
            column.span() * 0.85
        } else {
            slot.max(110.0).min(column.span() - 8.0)
        };
        for (k, &card_index) in in_cell.iter().enumerate() {
            let card = &map.cards[card_index];
            let label = measure.wrap(&card.title, &t::label_strong(), label_width);
            points.push(EmotionPoint {
                card: card_index,
                center: pos2(column.min + slot * (k + 1) as f32, 0.0),
                score: card.emotion.unwrap_or(0),
                label_pos: Pos2::ZERO,
                label,
            });
        }
    }
    let label_room = points
        .iter()
        .map(|p| p.label.height())
        .fold(t::label_strong().line_height, f32::max)
        + POINT_RADIUS
        + 12.0;
    let plot_height = lane
        .height
        .map_or(PLOT_HEIGHT, |h| (h - TOP_ROOM - label_room).max(64.0));
    let left = stages
        .first()
        .map_or(t::LANE_HEADER_WIDTH, |s| s.column.min);
    let right = stages.last().map_or(left, |s| s.column.max);
    let plot = Rect::from_min_max(
        pos2(left, top + TOP_ROOM),
        pos2(right, top + TOP_ROOM + plot_height),
    );
    let mut layout = EmotionLayout {
        lane: lane_index,
        plot,
        points,
        curves: Vec::new(),
        keys: Vec::new(),
    };
    for i in 0..layout.points.len() {
        let y = layout.y_of(layout.points[i].score as f32);
        let point = &mut layout.points[i];
        point.center.y = y;
        point.label_pos = pos2(
            point.center.x - point.label.width / 2.0,
            y + POINT_RADIUS + 4.0,
        );
    }
    let mut groups: Vec<Option<usize>> = layout
        .points
        .iter()
        .map(|p| persona_index(map, &map.cards[p.card]))
        .collect();
    groups.sort();
    groups.dedup();
    for persona in groups {
        let mut centers: Vec<Pos2> = layout
            .points
            .iter()
            .filter(|p| persona_index(map, &map.cards[p.card]) == persona)
            .map(|p| p.center)
            .collect();
        centers.sort_by(|a, b| a.x.total_cmp(&b.x));
        let path = smooth_path(&centers, plot.x_range());
        layout.curves.push(EmotionCurve {
            persona,
            path,
            points: centers,
        });
    }
    if layout.curves.len() > 1 {
        let key_width = t::LANE_HEADER_WIDTH - 2.0 * t::CELL_PADDING - 56.0;
        layout.keys = layout
            .curves
            .iter()
            .map(|curve| {
                let name = curve
                    .persona
                    .map_or("No persona", |p| map.personas[p].name.as_str());
                measure.wrap(name, &t::label(), key_width)
            })
            .collect();
    }
    let height = TOP_ROOM + plot_height + label_room;
    (layout, height)
}

fn persona_index(map: &Map, card: &Card) -> Option<usize> {
    card.persona.as_ref().and_then(|id| map.persona_index(id))
}

/// A smooth line through points sorted by x (monotone cubic, so it never overshoots
/// the -2..+2 scale), running flat to the edges of the plot.
pub fn smooth_path(points: &[Pos2], span: Rangef) -> Vec<Pos2> {
    let Some((&first, &last)) = points.first().zip(points.last()) else {
        return Vec::new();
    };
    let mut path = vec![pos2(span.min, first.y)];
    let n = points.len();
    let slopes: Vec<f32> = points
        .windows(2)
        .map(|w| (w[1].y - w[0].y) / (w[1].x - w[0].x).max(1e-3))
        .collect();
    let tangent = |i: usize| -> f32 {
        if i == 0 || i == n - 1 {
            return 0.0;
        }
        let (a, b) = (slopes[i - 1], slopes[i]);
        if a * b <= 0.0 {
            0.0
        } else {
            2.0 / (1.0 / a + 1.0 / b)
        }
    };
    for i in 0..n {
        path.push(points[i]);
        if i + 1 == n {
            break;
        }
        let (p0, p1) = (points[i], points[i + 1]);
        let h = p1.x - p0.x;
        let (m0, m1) = (tangent(i), tangent(i + 1));
        const STEPS: usize = 24;
        for step in 1..STEPS {
            let s = step as f32 / STEPS as f32;
            let (s2, s3) = (s * s, s * s * s);
            let y = (2.0 * s3 - 3.0 * s2 + 1.0) * p0.y
                + (s3 - 2.0 * s2 + s) * h * m0
                + (-2.0 * s3 + 3.0 * s2) * p1.y
                + (s3 - s2) * h * m1;
            path.push(pos2(p0.x + s * h, y));
        }
    }
    path.push(pos2(span.max, last.y));
    path
}

mod memo;
pub(crate) use memo::CardMemo;

#[cfg(test)]
mod tests;
