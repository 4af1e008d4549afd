//! One settable field of a card, stage, lane, persona or the map, with its new value.
//!
//! Setting a field swaps the value in: what comes back is the same variant holding the
//! old value, which is exactly the inverse edit.

use super::EditError;
use crate::model::{
    Card, Channel, Color, EMOTION_RANGE, Evidence, LANE_HEIGHT_RANGE, Lane, LaneKind, MapKind,
    MapTheme, Metric, Persona, PersonaId, Phase, STAGE_WIDTH_RANGE, Severity, Stage,
    is_allowed_link,
};
use serde::Serialize;
use std::mem::replace;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum CardField {
    Title(String),
    Notes(String),
    Channel(Option<Channel>),
    Emotion(Option<i8>),
    Phase(Option<Phase>),
    Severity(Option<Severity>),
    Evidence(Option<Evidence>),
    Tags(Vec<String>),
    Owner(String),
    Metric(Option<Metric>),
    Color(Option<Color>),
    Link(Option<String>),
    Persona(Option<PersonaId>),
}

impl CardField {
    pub fn name(&self) -> &'static str {
        match self {
            CardField::Title(_) => "title",
            CardField::Notes(_) => "notes",
            CardField::Channel(_) => "channel",
            CardField::Emotion(_) => "emotion",
            CardField::Phase(_) => "phase",
            CardField::Severity(_) => "severity",
            CardField::Evidence(_) => "evidence",
            CardField::Tags(_) => "tags",
            CardField::Owner(_) => "owner",
            CardField::Metric(_) => "metric",
            CardField::Color(_) => "colour",
            CardField::Link(_) => "link",
            CardField::Persona(_) => "persona",
        }
    }

    /// Checks the value alone; whether a persona exists is the map's business.
    pub(super) fn validate(&self) -> Result<(), EditError> {
        match self {
            CardField::Emotion(Some(score)) if !EMOTION_RANGE.contains(score) => Err(
                EditError::OutOfRange(format!("emotion {score} is outside -2..2")),
            ),
            CardField::Link(Some(link)) if !is_allowed_link(link) => Err(EditError::OutOfRange(
                format!("\"{link}\" is not an http, https or mailto link"),
            )),
            _ => Ok(()),
        }
    }

    /// Sets the field on a card that is not in a map yet (an imported row), checked as
    /// an edit would check it.
    pub fn set_on(self, card: &mut Card) -> Result<(), EditError> {
        self.validate()?;
        self.swap_into(card);
        Ok(())
    }

    pub(super) fn swap_into(self, card: &mut Card) -> CardField {
        match self {
            CardField::Title(v) => CardField::Title(replace(&mut card.title, v)),
            CardField::Notes(v) => CardField::Notes(replace(&mut card.notes, v)),
            CardField::Channel(v) => CardField::Channel(replace(&mut card.channel, v)),
            CardField::Emotion(v) => CardField::Emotion(replace(&mut card.emotion, v)),
            CardField::Phase(v) => CardField::Phase(replace(&mut card.phase, v)),
            CardField::Severity(v) => CardField::Severity(replace(&mut card.severity, v)),
            CardField::Evidence(v) => CardField::Evidence(replace(&mut card.evidence, v)),
            CardField::Tags(v) => CardField::Tags(replace(&mut card.tags, v)),
            CardField::Owner(v) => CardField::Owner(replace(&mut card.owner, v)),
            CardField::Metric(v) => CardField::Metric(replace(&mut card.metric, v)),
            CardField::Color(v) => CardField::Color(replace(&mut card.color, v)),
            CardField::Link(v) => CardField::Link(replace(&mut card.link, v)),
            CardField::Persona(v) => CardField::Persona(replace(&mut card.persona, v)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StageField {
    Name(String),
    Description(String),
    Color(Option<Color>),
    Width(Option<f32>),
    Funnel(Option<u64>),
}

impl StageField {
    pub fn name(&self) -> &'static str {
        match self {
            StageField::Name(_) => "name",
            StageField::Description(_) => "description",
            StageField::Color(_) => "colour",
            StageField::Width(_) => "width",
            StageField::Funnel(_) => "funnel figure",
        }
    }

    pub(super) fn validate(&self) -> Result<(), EditError> {
        match self {
            StageField::Width(Some(width)) if !STAGE_WIDTH_RANGE.contains(width) => Err(
                EditError::OutOfRange(format!("stage width {width} is outside 80..2000")),
            ),
            _ => Ok(()),
        }
    }

    pub(super) fn swap_into(self, stage: &mut Stage) -> StageField {
        match self {
            StageField::Name(v) => StageField::Name(replace(&mut stage.name, v)),
            StageField::Description(v) => {
                StageField::Description(replace(&mut stage.description, v))
            }
            StageField::Color(v) => StageField::Color(replace(&mut stage.color, v)),
            StageField::Width(v) => StageField::Width(replace(&mut stage.width, v)),
            StageField::Funnel(v) => StageField::Funnel(replace(&mut stage.funnel, v)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum LaneField {
    Name(String),
    Kind(LaneKind),
    Color(Option<Color>),
    Height(Option<f32>),
}

impl LaneField {
    pub fn name(&self) -> &'static str {
        match self {
            LaneField::Name(_) => "name",
            LaneField::Kind(_) => "kind",
            LaneField::Color(_) => "colour",
            LaneField::Height(_) => "height",
        }
    }

    pub(super) fn validate(&self) -> Result<(), EditError> {
        match self {
            LaneField::Height(Some(height)) if !LANE_HEIGHT_RANGE.contains(height) => Err(
                EditError::OutOfRange(format!("lane height {height} is outside 24..4000")),
            ),
            _ => Ok(()),
        }
    }

    pub(super) fn swap_into(self, lane: &mut Lane) -> LaneField {
        match self {
            LaneField::Name(v) => LaneField::Name(replace(&mut lane.name, v)),
            LaneField::Kind(v) => LaneField::Kind(replace(&mut lane.kind, v)),
            LaneField::Color(v) => LaneField::Color(replace(&mut lane.color, v)),
            LaneField::Height(v) => LaneField::Height(replace(&mut lane.height, v)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum PersonaField {
    Name(String),
    Role(String),
    Quote(String),
    Bio(String),
    Goals(Vec<String>),
    PainPoints(Vec<String>),
    Motivations(Vec<String>),
    Objections(Vec<String>),
    Channels(Vec<Channel>),
    Color(Option<Color>),
    Photo(Option<String>),
}

impl PersonaField {
    pub fn name(&self) -> &'static str {
        match self {
            PersonaField::Name(_) => "name",
            PersonaField::Role(_) => "role",
            PersonaField::Quote(_) => "quote",
            PersonaField::Bio(_) => "bio",
            PersonaField::Goals(_) => "goals",
            PersonaField::PainPoints(_) => "pain points",
            PersonaField::Motivations(_) => "motivations",
            PersonaField::Objections(_) => "objections",
            PersonaField::Channels(_) => "channels",
            PersonaField::Color(_) => "colour",
            PersonaField::Photo(_) => "photo",
        }
    }

    pub(super) fn validate(&self) -> Result<(), EditError> {
        match self {
            PersonaField::Photo(Some(photo))
                if !(photo.starts_with("data:image/png;base64,")
                    || photo.starts_with("data:image/jpeg;base64,")) =>
            {
                Err(EditError::OutOfRange(
                    "a persona photo must be a PNG or JPEG data URL".to_owned(),
                ))
            }
            _ => Ok(()),
        }
    }

    pub(super) fn swap_into(self, persona: &mut Persona) -> PersonaField {
        use PersonaField as F;
        match self {
            F::Name(v) => F::Name(replace(&mut persona.name, v)),
            F::Role(v) => F::Role(replace(&mut persona.role, v)),
            F::Quote(v) => F::Quote(replace(&mut persona.quote, v)),
            F::Bio(v) => F::Bio(replace(&mut persona.bio, v)),
            F::Goals(v) => F::Goals(replace(&mut persona.goals, v)),
            F::PainPoints(v) => F::PainPoints(replace(&mut persona.pain_points, v)),
            F::Motivations(v) => F::Motivations(replace(&mut persona.motivations, v)),
            F::Objections(v) => F::Objections(replace(&mut persona.objections, v)),
            F::Channels(v) => F::Channels(replace(&mut persona.channels, v)),
            F::Color(v) => F::Color(replace(&mut persona.color, v)),
            F::Photo(v) => F::Photo(replace(&mut persona.photo, v)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum MapField {
    Title(String),
    Description(String),
    Kind(MapKind),
    Theme(MapTheme),
    Presentation(crate::model::Presentation),
}

impl MapField {
    pub fn name(&self) -> &'static str {
        match self {
            MapField::Title(_) => "title",
            MapField::Description(_) => "description",
            MapField::Kind(_) => "kind",
            MapField::Theme(_) => "theme",
            MapField::Presentation(_) => "presentation",
        }
    }

    pub(super) fn swap_into(self, map: &mut crate::model::Map) -> MapField {
        match self {
            MapField::Title(v) => MapField::Title(replace(&mut map.title, v)),
            MapField::Description(v) => MapField::Description(replace(&mut map.description, v)),
            MapField::Kind(v) => MapField::Kind(replace(&mut map.kind, v)),
            MapField::Theme(v) => MapField::Theme(replace(&mut map.theme, v)),
            MapField::Presentation(v) => MapField::Presentation(replace(&mut map.presentation, v)),
        }
    }
}
