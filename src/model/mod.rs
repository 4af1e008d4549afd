//! The journey map: stages (columns), lanes (rows), cards in the cells, personas.
//!
//! Plain data with no knowledge of egui: it compiles and tests without a window.
//! Every change goes through [`crate::edit::Edit`]; the file format is in [`format`].

mod color;
pub mod escape;
pub mod format;
mod ids;
pub mod photo;

pub use color::Color;
pub use ids::{CardId, LaneId, PersonaId, StageId, fresh_id};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Fields this version does not know, kept and written back unchanged.
pub type Extra = serde_json::Map<String, Value>;

/// Lowest and highest emotion score.
pub const EMOTION_RANGE: std::ops::RangeInclusive<i8> = -2..=2;
/// Allowed stage widths, in points.
pub const STAGE_WIDTH_RANGE: std::ops::RangeInclusive<f32> = 80.0..=2000.0;
/// Allowed lane heights, in points.
pub const LANE_HEIGHT_RANGE: std::ops::RangeInclusive<f32> = 24.0..=4000.0;

/// One journey map: the whole content of a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Map {
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub kind: MapKind,
    pub theme: MapTheme,
    pub personas: Vec<Persona>,
    pub stages: Vec<Stage>,
    pub lanes: Vec<Lane>,
    pub cards: Vec<Card>,
    /// How the map is presented (View ▸ Present).
    #[serde(skip_serializing_if = "Presentation::is_default")]
    pub presentation: Presentation,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The presentation's choices, kept with the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Presentation {
    /// Each stage step reveals its lanes one by one, top to bottom.
    pub reveal_lanes: bool,
}

impl Presentation {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapKind {
    #[default]
    CurrentState,
    FutureState,
    DayInTheLife,
    ServiceBlueprint,
}

impl MapKind {
    pub const ALL: [MapKind; 4] = [
        MapKind::CurrentState,
        MapKind::FutureState,
        MapKind::DayInTheLife,
        MapKind::ServiceBlueprint,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MapKind::CurrentState => "Current state",
            MapKind::FutureState => "Future state",
            MapKind::DayInTheLife => "Day in the life",
            MapKind::ServiceBlueprint => "Service blueprint",
        }
    }
}

/// The map's own look, saved with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapTheme {
    pub palette: String,
    pub mode: ThemeMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<Color>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for MapTheme {
    fn default() -> Self {
        Self {
            palette: "default".to_owned(),
            mode: ThemeMode::Light,
            background: None,
            extra: Extra::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeMode {
    #[default]
    Light,
    Dark,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Persona {
    pub id: PersonaId,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub quote: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bio: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub motivations: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// A `data:image/png;base64,...` or `data:image/jpeg;base64,...` URL that decodes
    /// within [`photo::photo_limits`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A column of the map: one step of the journey.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stage {
    pub id: StageId,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// Column width in points; `None` lets the layout choose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<f32>,
    /// Visitors or customers reaching this stage, for the drop-off figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funnel: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Stage {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: StageId::new(id),
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A row of the map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lane {
    pub id: LaneId,
    pub name: String,
    pub kind: LaneKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// Row height in points; `None` lets the layout fit the content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<f32>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Lane {
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: LaneKind) -> Self {
        Self {
            id: LaneId::new(id),
            name: name.into(),
            kind,
            ..Self::default()
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// Touchpoint, action, thought, pain point, opportunity and KPI cards.
    #[default]
    Cards,
    /// The experience curve: each card is a point at its emotion score.
    Emotion,
    /// A thin named line, such as a service blueprint's line of visibility.
    Divider,
}

impl LaneKind {
    pub const ALL: [LaneKind; 3] = [LaneKind::Cards, LaneKind::Emotion, LaneKind::Divider];

    pub fn label(self) -> &'static str {
        match self {
            LaneKind::Cards => "Cards",
            LaneKind::Emotion => "Emotion curve",
            LaneKind::Divider => "Divider line",
        }
    }

    /// Whether cards may be placed in a lane of this kind.
    pub fn holds_cards(self) -> bool {
        self != LaneKind::Divider
    }
}

/// A touchpoint, action, thought, pain point, opportunity, KPI or emotion point.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Card {
    pub id: CardId,
    pub stage: StageId,
    pub lane: LaneId,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// -2 (very negative) to +2 (very positive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emotion: Option<i8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// An http, https or mailto URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<PersonaId>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Card {
    pub fn new(
        id: impl Into<String>,
        stage: StageId,
        lane: LaneId,
        title: impl Into<String>,
    ) -> Self {
        Self {
            id: CardId::new(id),
            stage,
            lane,
            title: title.into(),
            ..Self::default()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metric {
    pub label: String,
    pub value: String,
}

/// Where a touchpoint happens; each has an icon on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Website,
    Email,
    Sms,
    Push,
    Social,
    Search,
    Ads,
    Chat,
    Phone,
    Store,
    Marketplace,
    App,
    Reviews,
    Referral,
    Delivery,
    Support,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 17] = [
        Channel::Website,
        Channel::Email,
        Channel::Sms,
        Channel::Push,
        Channel::Social,
        Channel::Search,
        Channel::Ads,
        Channel::Chat,
        Channel::Phone,
        Channel::Store,
        Channel::Marketplace,
        Channel::App,
        Channel::Reviews,
        Channel::Referral,
        Channel::Delivery,
        Channel::Support,
        Channel::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Website => "Website",
            Channel::Email => "Email",
            Channel::Sms => "SMS",
            Channel::Push => "Push",
            Channel::Social => "Social",
            Channel::Search => "Search",
            Channel::Ads => "Ads",
            Channel::Chat => "Chat",
            Channel::Phone => "Phone",
            Channel::Store => "Store",
            Channel::Marketplace => "Marketplace",
            Channel::App => "App",
            Channel::Reviews => "Reviews",
            Channel::Referral => "Referral",
            Channel::Delivery => "Delivery",
            Channel::Support => "Support",
            Channel::Other => "Other",
        }
    }
}

/// When a card happens relative to the purchase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    During,
    After,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// How sure the team is that a card is true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Observed,
    Assumed,
    Proposed,
}

/// Whether `link` is a URL a card may carry: http, https or mailto only.
pub fn is_allowed_link(link: &str) -> bool {
    let lower = link.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

impl Map {
    /// How many of the cards are points of an emotion lane (the rest are cards proper,
    /// as the map's subtitle and the status bar count them).
    pub fn emotion_points(&self) -> usize {
        let emotion_lanes: Vec<&LaneId> = (self.lanes.iter())
            .filter(|l| l.kind == LaneKind::Emotion)
            .map(|l| &l.id)
            .collect();
        (self.cards.iter())
            .filter(|c| emotion_lanes.contains(&&c.lane))
            .count()
    }

    pub fn stage_index(&self, id: &StageId) -> Option<usize> {
        self.stages.iter().position(|stage| &stage.id == id)
    }

    pub fn lane_index(&self, id: &LaneId) -> Option<usize> {
        self.lanes.iter().position(|lane| &lane.id == id)
    }

    pub fn card_index(&self, id: &CardId) -> Option<usize> {
        self.cards.iter().position(|card| &card.id == id)
    }

    pub fn persona_index(&self, id: &PersonaId) -> Option<usize> {
        self.personas.iter().position(|persona| &persona.id == id)
    }

    pub fn stage(&self, id: &StageId) -> Option<&Stage> {
        self.stages.iter().find(|stage| &stage.id == id)
    }

    pub fn lane(&self, id: &LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|lane| &lane.id == id)
    }

    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|card| &card.id == id)
    }

    /// The cards of one cell, in their order in the file.
    pub fn cards_in<'a>(
        &'a self,
        stage: &'a StageId,
        lane: &'a LaneId,
    ) -> impl Iterator<Item = &'a Card> + 'a {
        self.cards
            .iter()
            .filter(move |card| &card.stage == stage && &card.lane == lane)
    }

    pub fn fresh_card_id(&self) -> CardId {
        CardId(fresh_id(
            CardId::PREFIX,
            self.cards.iter().map(|c| c.id.as_str()),
        ))
    }

    pub fn fresh_stage_id(&self) -> StageId {
        StageId(fresh_id(
            StageId::PREFIX,
            self.stages.iter().map(|s| s.id.as_str()),
        ))
    }

    pub fn fresh_lane_id(&self) -> LaneId {
        LaneId(fresh_id(
            LaneId::PREFIX,
            self.lanes.iter().map(|l| l.id.as_str()),
        ))
    }

    pub fn fresh_persona_id(&self) -> PersonaId {
        PersonaId(fresh_id(
            PersonaId::PREFIX,
            self.personas.iter().map(|p| p.id.as_str()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_limited_to_web_and_mail() {
        assert!(is_allowed_link("https://example.com/review"));
        assert!(is_allowed_link("mailto:cx@example.com"));
        assert!(!is_allowed_link("javascript:alert(1)"));
        assert!(!is_allowed_link("file:///etc/passwd"));
        assert!(!is_allowed_link("https://"));
    }

    #[test]
    fn cards_in_keeps_file_order() {
        let mut map = Map::default();
        map.stages.push(Stage::new("s1", "Aware"));
        map.lanes
            .push(Lane::new("l1", "Touchpoints", LaneKind::Cards));
        for (id, title) in [("c2", "second"), ("c1", "first")] {
            map.cards
                .push(Card::new(id, "s1".into(), "l1".into(), title));
        }
        let (stage, lane) = ("s1".into(), "l1".into());
        let titles: Vec<_> = map
            .cards_in(&stage, &lane)
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(titles, ["second", "first"]);
    }
}
