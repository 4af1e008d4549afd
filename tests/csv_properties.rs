//! CSV out and back in gives the same cards, for random maps: titles, notes, every
//! field, and the order of the cards within each stage and lane.

use journeymap::model::format::Limits;
use journeymap::model::{
    Card, Channel, Color, Evidence, Lane, LaneKind, Map, Metric, Persona, PersonaId, Phase,
    Severity, Stage,
};
use journeymap::table::Column;
use journeymap::table::csv::{self, Mapping};
use proptest::prelude::*;

/// Text a user types into a card: any characters a spreadsheet keeps, quotes, commas,
/// line breaks, and leading characters a spreadsheet takes for a formula.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,;\"'\\n=+@-]{0,24}",
        "[=+@'-][a-z ]{0,6}",
        "\\PC{0,12}",
    ]
    .prop_map(|text| text.trim().to_owned())
}

fn tag() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9 ]{0,8}[a-zA-Z0-9]".prop_map(|t| t.to_owned())
}

#[derive(Debug, Clone)]
struct CardSpec {
    stage: usize,
    lane: usize,
    title: String,
    notes: String,
    channel: Option<usize>,
    emotion: Option<i8>,
    severity: Option<usize>,
    phase: Option<usize>,
    evidence: Option<usize>,
    owner: String,
    metric: Option<(String, String)>,
    tags: Vec<String>,
    persona: Option<usize>,
    link: Option<String>,
    colour: Option<(u8, u8, u8)>,
}

fn card_spec() -> impl Strategy<Value = CardSpec> {
    (
        (0..4usize, 0..3usize, cell_text(), cell_text()),
        (
            proptest::option::of(0..Channel::ALL.len()),
            proptest::option::of(-2i8..=2),
            proptest::option::of(0..3usize),
            proptest::option::of(0..3usize),
            proptest::option::of(0..3usize),
        ),
        (
            cell_text(),
            proptest::option::of(("[a-z]{1,6}", "[0-9.%]{1,5}")),
            proptest::collection::vec(tag(), 0..3),
            proptest::option::of(0..2usize),
            proptest::option::of("https://[a-z]{1,8}\\.example/[a-z]{0,5}"),
            proptest::option::of(any::<(u8, u8, u8)>()),
        ),
    )
        .prop_map(
            |((stage, lane, title, notes), (channel, emotion, severity, phase, evidence), rest)| {
                let (owner, metric, tags, persona, link, colour) = rest;
                CardSpec {
                    stage,
                    lane,
                    title,
                    notes,
                    channel,
                    emotion,
                    severity,
                    phase,
                    evidence,
                    owner,
                    metric,
                    tags,
                    persona,
                    link,
                    colour,
                }
            },
        )
}

fn map_of(specs: &[CardSpec]) -> Map {
    let mut map = Map::default();
    map.stages = ["Aware", "Appeal", "Ask", "Act"]
        .iter()
        .enumerate()
        .map(|(i, name)| Stage::new(format!("s{i}"), *name))
        .collect();
    map.lanes = ["Touchpoints", "Pain points", "Ideas"]
        .iter()
        .enumerate()
        .map(|(i, name)| Lane::new(format!("l{i}"), *name, LaneKind::Cards))
        .collect();
    map.personas = ["Maya", "Omar"]
        .iter()
        .enumerate()
        .map(|(i, name)| Persona {
            id: PersonaId::new(format!("p{i}")),
            name: (*name).into(),
            ..Persona::default()
        })
        .collect();
    for (i, spec) in specs.iter().enumerate() {
        let mut card = Card::new(
            format!("c{i}"),
            map.stages[spec.stage].id.clone(),
            map.lanes[spec.lane].id.clone(),
            spec.title.clone(),
        );
        card.notes = spec.notes.clone();
        card.channel = spec.channel.map(|c| Channel::ALL[c]);
        card.emotion = spec.emotion;
        card.severity = spec
            .severity
            .map(|s| [Severity::Low, Severity::Medium, Severity::High][s]);
        card.phase = spec
            .phase
            .map(|p| [Phase::Before, Phase::During, Phase::After][p]);
        card.evidence = spec
            .evidence
            .map(|e| [Evidence::Observed, Evidence::Assumed, Evidence::Proposed][e]);
        card.owner = spec.owner.clone();
        card.metric = spec
            .metric
            .clone()
            .map(|(label, value)| Metric { label, value });
        card.tags = spec.tags.clone();
        card.persona = spec.persona.map(|p| map.personas[p].id.clone());
        card.link = spec.link.clone();
        card.color = spec.colour.map(|(r, g, b)| Color::rgb(r, g, b));
        map.cards.push(card);
    }
    map
}

/// Each cell's cards, by stage and lane name, with every column's text, in order.
fn cells(map: &Map) -> Vec<(String, String, Vec<Vec<String>>)> {
    let mut cells = Vec::new();
    for stage in &map.stages {
        for lane in &map.lanes {
            let cards: Vec<Vec<String>> = (map.cards_in(&stage.id, &lane.id))
                .map(|card| Column::ALL.iter().map(|c| c.text(map, card)).collect())
                .collect();
            if !cards.is_empty() {
                cells.push((stage.name.clone(), lane.name.clone(), cards));
            }
        }
    }
    cells.sort();
    cells
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn csv_out_and_back_in_gives_the_same_cards(specs in proptest::collection::vec(card_spec(), 0..24)) {
        let map = map_of(&specs);
        let bytes = csv::write(&map, &map.cards);
        let limits = Limits::default();
        let sheet = csv::read(&bytes, &limits).expect("our own CSV reads");
        let mapping = Mapping::guess(&sheet.headers);
        prop_assert!(mapping.0.iter().all(Option::is_some), "every column is known");
        let mut back = Map::default();
        let (edit, imported) = csv::import(&back, &sheet, &mapping, &limits).expect("imports");
        prop_assert_eq!(imported.cards, map.cards.len());
        edit.apply(&mut back).expect("applies");
        prop_assert_eq!(cells(&back), cells(&map));
    }
}
