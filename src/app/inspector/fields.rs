//! What the inspector edits, as data: the text fields of each kind of item, the
//! choices of the combo boxes, and the parsing of typed text into field values.

use crate::edit::{CardField, LaneField, MapField, PersonaField, StageField};
use crate::model::{Card, Lane, Map, Metric, Persona, Phase, Stage, is_allowed_link};

/// A text field: label, rows (1 = single line), the text of an item, and the field to
/// set from typed text (`None` when the text is refused).
pub(super) type TextField<E, F> = (
    &'static str,
    usize,
    fn(&E) -> String,
    fn(&E, String) -> Option<F>,
);

pub(super) const CARD_TEXTS: [TextField<Card, CardField>; 7] = [
    (
        "Title",
        2,
        |c| c.title.clone(),
        |_, t| Some(CardField::Title(t)),
    ),
    (
        "Notes",
        4,
        |c| c.notes.clone(),
        |_, t| Some(CardField::Notes(t)),
    ),
    (
        "Tags",
        1,
        |c| c.tags.join(", "),
        |_, t| Some(CardField::Tags(parse_tags(&t))),
    ),
    (
        "Owner",
        1,
        |c| c.owner.clone(),
        |_, t| Some(CardField::Owner(t)),
    ),
    (
        "Metric label",
        1,
        |c| metric(c).label,
        |c, t| Some(metric_field(c, Some(t), None)),
    ),
    (
        "Metric value",
        1,
        |c| metric(c).value,
        |c, t| Some(metric_field(c, None, Some(t))),
    ),
    (
        "Link",
        1,
        |c| c.link.clone().unwrap_or_default(),
        |_, t| parse_link(&t).ok().map(CardField::Link),
    ),
];
pub(super) const STAGE_TEXTS: [TextField<Stage, StageField>; 3] = [
    (
        "Stage name",
        1,
        |s| s.name.clone(),
        |_, t| Some(StageField::Name(t)),
    ),
    (
        "Description",
        3,
        |s| s.description.clone(),
        |_, t| Some(StageField::Description(t)),
    ),
    (
        "Funnel",
        1,
        |s| s.funnel.map_or(String::new(), |n| n.to_string()),
        |_, t| parse_count(&t).ok().map(StageField::Funnel),
    ),
];
pub(super) const LANE_TEXTS: [TextField<Lane, LaneField>; 1] = [(
    "Lane name",
    1,
    |l| l.name.clone(),
    |_, t| Some(LaneField::Name(t)),
)];
pub(super) const MAP_TEXTS: [TextField<Map, MapField>; 2] = [
    (
        "Map title",
        1,
        |m| m.title.clone(),
        |_, t| Some(MapField::Title(t)),
    ),
    (
        "Map description",
        3,
        |m| m.description.clone(),
        |_, t| Some(MapField::Description(t)),
    ),
];
pub(super) const PERSONA_TEXTS: [TextField<Persona, PersonaField>; 8] = [
    (
        "Persona name",
        1,
        |p| p.name.clone(),
        |_, t| Some(PersonaField::Name(t)),
    ),
    (
        "Role",
        1,
        |p| p.role.clone(),
        |_, t| Some(PersonaField::Role(t)),
    ),
    (
        "Quote",
        2,
        |p| p.quote.clone(),
        |_, t| Some(PersonaField::Quote(t)),
    ),
    (
        "Bio",
        4,
        |p| p.bio.clone(),
        |_, t| Some(PersonaField::Bio(t)),
    ),
    (
        "Goals",
        3,
        |p| p.goals.join("\n"),
        |_, t| Some(PersonaField::Goals(parse_lines(&t))),
    ),
    (
        "Pain points",
        3,
        |p| p.pain_points.join("\n"),
        |_, t| Some(PersonaField::PainPoints(parse_lines(&t))),
    ),
    (
        "Motivations",
        3,
        |p| p.motivations.join("\n"),
        |_, t| Some(PersonaField::Motivations(parse_lines(&t))),
    ),
    (
        "Objections",
        3,
        |p| p.objections.join("\n"),
        |_, t| Some(PersonaField::Objections(parse_lines(&t))),
    ),
];

/// The value all `values` share, or `None` when they differ (or there are none).
pub(super) fn common<T: PartialEq>(mut values: impl Iterator<Item = T>) -> Option<T> {
    let first = values.next()?;
    values.all(|value| value == first).then_some(first)
}

/// "None" then every value, as the field they set, for an optional field's combo box.
pub(super) fn options<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    field: fn(Option<T>) -> CardField,
) -> Vec<(CardField, String)> {
    let none = std::iter::once((field(None), "None".to_owned()));
    none.chain(all.iter().map(|v| (field(Some(*v)), name(*v).to_owned())))
        .collect()
}

pub(super) fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Before => "Before purchase",
        Phase::During => "During purchase",
        Phase::After => "After purchase",
    }
}

pub(super) fn persona_name(persona: &Persona) -> String {
    if persona.name.trim().is_empty() {
        format!("Unnamed persona ({})", persona.id)
    } else {
        persona.name.clone()
    }
}

pub(super) fn metric(card: &Card) -> Metric {
    card.metric.clone().unwrap_or_default()
}

/// The card's metric with a new label or value; no metric when both are empty.
pub(super) fn metric_field(card: &Card, label: Option<String>, value: Option<String>) -> CardField {
    let old = metric(card);
    let label = label.unwrap_or(old.label);
    let value = value.unwrap_or(old.value);
    let empty = label.is_empty() && value.is_empty();
    CardField::Metric((!empty).then_some(Metric { label, value }))
}

/// The card's current value of the field `like` names, to skip edits that change nothing.
pub(super) fn card_value(card: &Card, like: &CardField) -> CardField {
    use CardField as F;
    match like {
        F::Title(_) => F::Title(card.title.clone()),
        F::Notes(_) => F::Notes(card.notes.clone()),
        F::Channel(_) => F::Channel(card.channel),
        F::Emotion(_) => F::Emotion(card.emotion),
        F::Phase(_) => F::Phase(card.phase),
        F::Severity(_) => F::Severity(card.severity),
        F::Evidence(_) => F::Evidence(card.evidence),
        F::Tags(_) => F::Tags(card.tags.clone()),
        F::Owner(_) => F::Owner(card.owner.clone()),
        F::Metric(_) => F::Metric(card.metric.clone()),
        F::Color(_) => F::Color(card.color),
        F::Link(_) => F::Link(card.link.clone()),
        F::Persona(_) => F::Persona(card.persona.clone()),
    }
}

/// Tags typed as comma-separated text: trimmed, empty ones and repeats dropped.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|tag| !tag.is_empty()) {
        if !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// A list typed one item per line: trimmed, empty lines dropped.
pub fn parse_lines(text: &str) -> Vec<String> {
    let lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    lines.map(str::to_owned).collect()
}

/// A card link: empty clears it; only http, https and mailto links are accepted.
pub fn parse_link(text: &str) -> Result<Option<String>, String> {
    let link = text.trim();
    if link.is_empty() {
        Ok(None)
    } else if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("Not applied: a link cannot contain spaces.".to_owned())
    } else if is_allowed_link(link) {
        Ok(Some(link.to_owned()))
    } else {
        Err("Not applied: only http://, https:// and mailto: links are allowed.".to_owned())
    }
}

/// A funnel figure: empty for none, or a whole number, thousands separators allowed.
pub fn parse_count(text: &str) -> Result<Option<u64>, String> {
    let separators = [' ', ',', '_', '\'', '\u{a0}', '\u{202f}'];
    let digits: String = text.chars().filter(|c| !separators.contains(c)).collect();
    if digits.is_empty() {
        Ok(None)
    } else if !digits.chars().all(|c| c.is_ascii_digit()) {
        Err("Not applied: the funnel figure is a whole number, such as 12000.".to_owned())
    } else {
        let too_large = |_| "Not applied: that number is too large.".to_owned();
        digits.parse().map(Some).map_err(too_large)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_tags_lists_links_and_counts_are_parsed() {
        assert_eq!(parse_tags(" vip, mobile,,vip ,  "), ["vip", "mobile"]);
        assert_eq!(
            parse_lines("Fast delivery\n\n  Free returns \r\n"),
            ["Fast delivery", "Free returns"]
        );
        assert_eq!(
            parse_link(" https://example.com/a "),
            Ok(Some("https://example.com/a".into()))
        );
        assert_eq!(
            parse_link("mailto:cx@example.com"),
            Ok(Some("mailto:cx@example.com".into()))
        );
        assert_eq!(parse_link("   "), Ok(None));
        assert_eq!(parse_count("1 250,000"), Ok(Some(1_250_000)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(common([Some(1), None].into_iter()), None);
    }

    #[test]
    fn links_other_than_web_and_mail_and_odd_counts_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "example.com",
            "https://",
            "https://a b",
        ] {
            assert!(parse_link(bad).is_err(), "{bad}");
        }
        for bad in ["12.5", "-3", "lots", "99999999999999999999999"] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
    }
}
