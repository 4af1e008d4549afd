//! The columns of the card table: one per field a card carries, written and read as
//! text the same way by the table view and by CSV.

use crate::edit::CardField;
use crate::model::{
    Card, Channel, Color, EMOTION_RANGE, Evidence, Map, Metric, Phase, Severity, is_allowed_link,
};
use crate::render::theme::{evidence_label, severity_label};
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Stage,
    Lane,
    Title,
    Notes,
    Channel,
    Emotion,
    Phase,
    Severity,
    Evidence,
    Owner,
    Metric,
    MetricValue,
    Tags,
    Persona,
    Link,
    Colour,
}

impl Column {
    /// In the order of the table and of a CSV file's header.
    pub const ALL: [Column; 16] = [
        Column::Stage,
        Column::Lane,
        Column::Title,
        Column::Notes,
        Column::Channel,
        Column::Emotion,
        Column::Phase,
        Column::Severity,
        Column::Evidence,
        Column::Owner,
        Column::Metric,
        Column::MetricValue,
        Column::Tags,
        Column::Persona,
        Column::Link,
        Column::Colour,
    ];

    /// The column's name in a CSV header.
    pub fn header(self) -> &'static str {
        match self {
            Column::Stage => "stage",
            Column::Lane => "lane",
            Column::Title => "title",
            Column::Notes => "notes",
            Column::Channel => "channel",
            Column::Emotion => "emotion",
            Column::Phase => "phase",
            Column::Severity => "severity",
            Column::Evidence => "evidence",
            Column::Owner => "owner",
            Column::Metric => "metric",
            Column::MetricValue => "metric value",
            Column::Tags => "tags",
            Column::Persona => "persona",
            Column::Link => "link",
            Column::Colour => "colour",
        }
    }

    /// The column's name in the table view.
    pub fn label(self) -> &'static str {
        match self {
            Column::Stage => "Stage",
            Column::Lane => "Lane",
            Column::Title => "Title",
            Column::Notes => "Notes",
            Column::Channel => "Channel",
            Column::Emotion => "Emotion",
            Column::Phase => "Phase",
            Column::Severity => "Severity",
            Column::Evidence => "Evidence",
            Column::Owner => "Owner",
            Column::Metric => "Metric",
            Column::MetricValue => "Metric value",
            Column::Tags => "Tags",
            Column::Persona => "Persona",
            Column::Link => "Link",
            Column::Colour => "Colour",
        }
    }

    /// Other names a spreadsheet may give the column, lower case.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Column::Stage => &[
                "stages",
                "step",
                "journey stage",
                "phase of journey",
                "column",
            ],
            Column::Lane => &["lanes", "row", "swimlane", "swim lane", "layer", "category"],
            Column::Title => &["name", "card", "touchpoint", "summary", "headline", "label"],
            Column::Notes => &[
                "note",
                "description",
                "details",
                "detail",
                "comment",
                "quote",
                "text",
            ],
            Column::Channel => &["channels", "medium", "touchpoint channel", "via"],
            Column::Emotion => &[
                "emotions",
                "feeling",
                "sentiment",
                "score",
                "mood",
                "emotion score",
            ],
            Column::Phase => &["timing", "when"],
            Column::Severity => &["priority", "impact", "importance"],
            Column::Evidence => &["source", "confidence", "validation"],
            Column::Owner => &["owners", "assignee", "responsible", "team"],
            Column::Metric => &["kpi", "metric label", "measure"],
            Column::MetricValue => &["value", "kpi value", "metric_value", "measure value"],
            Column::Tags => &["tag", "labels", "keywords"],
            Column::Persona => &["personas", "user", "segment", "audience"],
            Column::Link => &["url", "links", "href", "reference"],
            Column::Colour => &["color", "fill"],
        }
    }

    /// The column a CSV header names: its own name or a common synonym, in any case.
    pub fn from_header(header: &str) -> Option<Column> {
        let header = header.trim().to_lowercase().replace(['_', '-'], " ");
        let header = header.split_whitespace().collect::<Vec<_>>().join(" ");
        (Column::ALL.into_iter())
            .find(|column| column.header() == header || column.synonyms().contains(&&*header))
    }

    /// The card's value in this column, as the table shows it and CSV writes it.
    pub fn text(self, map: &Map, card: &Card) -> String {
        match self {
            Column::Stage => map.stage(&card.stage).map(|s| s.name.clone()),
            Column::Lane => map.lane(&card.lane).map(|l| l.name.clone()),
            Column::Title => Some(card.title.clone()),
            Column::Notes => Some(card.notes.clone()),
            Column::Channel => card.channel.map(|c| c.label().to_owned()),
            Column::Emotion => card.emotion.map(|e| e.to_string()),
            Column::Phase => card.phase.map(|p| phase_label(p).to_owned()),
            Column::Severity => card.severity.map(|s| severity_label(s).to_owned()),
            Column::Evidence => card.evidence.map(|e| evidence_label(e).to_owned()),
            Column::Owner => Some(card.owner.clone()),
            Column::Metric => card.metric.as_ref().map(|m| m.label.clone()),
            Column::MetricValue => card.metric.as_ref().map(|m| m.value.clone()),
            Column::Tags => Some(card.tags.join(", ")),
            Column::Persona => (card.persona.as_ref())
                .and_then(|id| map.personas.iter().find(|p| &p.id == id))
                .map(|p| p.name.clone()),
            Column::Link => card.link.clone(),
            Column::Colour => card.color.map(|c| c.to_string()),
        }
        .unwrap_or_default()
    }

    /// Whether the card has nothing in this column.
    pub fn is_empty(self, map: &Map, card: &Card) -> bool {
        match self {
            Column::Emotion => card.emotion.is_none(),
            Column::Severity => card.severity.is_none(),
            Column::Phase => card.phase.is_none(),
            _ => self.text(map, card).trim().is_empty(),
        }
    }

    /// Orders two cards by this column: by the map's order for stage, lane and persona,
    /// by rank for severity and emotion, by text otherwise (empty cells last).
    pub fn compare(self, map: &Map, a: &Card, b: &Card) -> Ordering {
        let by_key = |key: &dyn Fn(&Card) -> Option<i64>| match (key(a), key(b)) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        match self {
            Column::Stage => by_key(&|c| map.stage_index(&c.stage).map(|i| i as i64)),
            Column::Lane => by_key(&|c| map.lane_index(&c.lane).map(|i| i as i64)),
            Column::Emotion => by_key(&|c| c.emotion.map(i64::from)),
            Column::Severity => by_key(&|c| c.severity.map(|s| s as i64)),
            Column::Phase => by_key(&|c| c.phase.map(|p| p as i64)),
            Column::Persona => by_key(&|c| {
                (c.persona.as_ref())
                    .and_then(|p| map.persona_index(p))
                    .map(|i| i as i64)
            }),
            _ => {
                let (a, b) = (self.text(map, a), self.text(map, b));
                match (a.is_empty(), b.is_empty()) {
                    (false, true) => Ordering::Less,
                    (true, false) => Ordering::Greater,
                    _ => a.to_lowercase().cmp(&b.to_lowercase()),
                }
            }
        }
    }

    /// Reads a cell of this column into the card field it sets. Stage, lane and persona
    /// name things of the map and are resolved by the caller: they give `None`.
    pub fn parse(self, text: &str) -> Result<Option<CardField>, String> {
        let text = text.trim();
        let some = |field| Ok(Some(field));
        match self {
            Column::Stage
            | Column::Lane
            | Column::Persona
            | Column::Metric
            | Column::MetricValue => Ok(None),
            Column::Title => some(CardField::Title(text.to_owned())),
            Column::Notes => some(CardField::Notes(text.to_owned())),
            Column::Owner => some(CardField::Owner(text.to_owned())),
            Column::Tags => some(CardField::Tags(split_tags(text))),
            Column::Channel => some(CardField::Channel(optional(text, parse_channel)?)),
            Column::Emotion => some(CardField::Emotion(optional(text, parse_emotion)?)),
            Column::Phase => some(CardField::Phase(optional(text, parse_phase)?)),
            Column::Severity => some(CardField::Severity(optional(text, parse_severity)?)),
            Column::Evidence => some(CardField::Evidence(optional(text, parse_evidence)?)),
            Column::Link => some(CardField::Link(optional(text, parse_link)?)),
            Column::Colour => some(CardField::Color(optional(text, parse_colour)?)),
        }
    }
}

/// A metric from its label and value cells; both empty is no metric.
pub fn metric(label: &str, value: &str) -> Option<Metric> {
    let (label, value) = (label.trim(), value.trim());
    (!label.is_empty() || !value.is_empty()).then(|| Metric {
        label: label.to_owned(),
        value: value.to_owned(),
    })
}

/// Tags from one cell: separated by commas (or semicolons), trimmed, empty ones dropped.
pub fn split_tags(text: &str) -> Vec<String> {
    (text.split([',', ';']).map(str::trim))
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

fn optional<T>(text: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match text {
        "" => Ok(None),
        text => parse(text).map(Some),
    }
}

fn parse_channel(text: &str) -> Result<Channel, String> {
    let lower = text.to_lowercase();
    (Channel::ALL.into_iter())
        .find(|c| c.label().to_lowercase() == lower)
        .or(match lower.as_str() {
            "web" | "site" | "online" => Some(Channel::Website),
            "e-mail" | "mail" | "newsletter" => Some(Channel::Email),
            "text" | "text message" => Some(Channel::Sms),
            "push notification" | "notification" => Some(Channel::Push),
            "social media" => Some(Channel::Social),
            "mobile app" => Some(Channel::App),
            "call" | "call centre" | "call center" => Some(Channel::Phone),
            "shop" | "in store" | "in-store" | "retail" => Some(Channel::Store),
            "live chat" => Some(Channel::Chat),
            _ => None,
        })
        .ok_or_else(|| {
            let names: Vec<_> = Channel::ALL.iter().map(|c| c.label()).collect();
            format!("\"{text}\" is not a channel ({})", names.join(", "))
        })
}

fn parse_emotion(text: &str) -> Result<i8, String> {
    let score: i64 = (text.strip_prefix('+').unwrap_or(text).parse())
        .map_err(|_| format!("\"{text}\" is not an emotion score: a whole number from -2 to 2"))?;
    (i8::try_from(score).ok())
        .filter(|score| EMOTION_RANGE.contains(score))
        .ok_or_else(|| format!("{score} is not an emotion score: a whole number from -2 to 2"))
}

fn parse_phase(text: &str) -> Result<Phase, String> {
    match text.to_lowercase().as_str() {
        "before" | "before purchase" | "pre-purchase" => Ok(Phase::Before),
        "during" | "during purchase" | "purchase" => Ok(Phase::During),
        "after" | "after purchase" | "post-purchase" => Ok(Phase::After),
        _ => Err(format!("\"{text}\" is not a phase (Before, During, After)")),
    }
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    match text.to_lowercase().as_str() {
        "low" | "1" => Ok(Severity::Low),
        "medium" | "med" | "2" => Ok(Severity::Medium),
        "high" | "3" => Ok(Severity::High),
        _ => Err(format!("\"{text}\" is not a severity (Low, Medium, High)")),
    }
}

fn parse_evidence(text: &str) -> Result<Evidence, String> {
    match text.to_lowercase().as_str() {
        "observed" => Ok(Evidence::Observed),
        "assumed" | "assumption" => Ok(Evidence::Assumed),
        "proposed" | "idea" => Ok(Evidence::Proposed),
        _ => Err(format!(
            "\"{text}\" is not evidence (Observed, Assumed, Proposed)"
        )),
    }
}

fn parse_link(text: &str) -> Result<String, String> {
    match is_allowed_link(text) {
        true => Ok(text.to_owned()),
        false => Err(format!("\"{text}\" is not an http, https or mailto link")),
    }
}

fn parse_colour(text: &str) -> Result<Color, String> {
    text.parse()
}

pub fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Before => "Before",
        Phase::During => "During",
        Phase::After => "After",
    }
}
