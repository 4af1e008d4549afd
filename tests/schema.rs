//! The JSON Schema shipped in `schema/` agrees with what the program reads and writes.

use journeymap::model::{
    Card, Channel, Color, Evidence, Lane, LaneKind, Map, Metric, Persona, Phase, Severity, Stage,
    format,
};
use serde_json::Value;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/journeymap.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is valid")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|err| format!("{}: {err}", err.instance_path()))
        .collect()
}

#[test]
fn every_template_matches_the_schema() {
    let validator = validator();
    for template in &journeymap::templates::TEMPLATES {
        let instance: Value = serde_json::from_str(template.json).unwrap();
        let problems = errors(&validator, &instance);
        assert!(problems.is_empty(), "{}: {problems:#?}", template.id);
    }
}

#[test]
fn a_map_with_every_field_set_matches_the_schema() {
    let mut map = Map {
        title: "All fields".to_owned(),
        description: "Every optional key".to_owned(),
        ..Map::default()
    };
    map.theme.background = Some(Color::rgb(250, 250, 250));
    map.personas.push(Persona {
        id: "p1".into(),
        name: "Maya".to_owned(),
        role: "Founder".to_owned(),
        quote: "Fast, please.".to_owned(),
        bio: "Runs a shop.".to_owned(),
        goals: vec!["Grow".to_owned()],
        pain_points: vec!["Time".to_owned()],
        motivations: vec!["Freedom".to_owned()],
        objections: vec!["Price".to_owned()],
        channels: vec![Channel::Email, Channel::Social],
        color: Some(Color::rgb(1, 2, 3)),
        photo: Some("data:image/png;base64,iVBORw0KGgo=".to_owned()),
        ..Persona::default()
    });
    let mut stage = Stage::new("s1", "Aware");
    stage.description = "First contact".to_owned();
    stage.color = Some(Color::rgb(10, 20, 30));
    stage.width = Some(320.0);
    stage.funnel = Some(12_000);
    map.stages.push(stage);
    let mut lane = Lane::new("l1", "Touchpoints", LaneKind::Cards);
    lane.color = Some(Color::rgb(9, 9, 9));
    lane.height = Some(120.5);
    map.lanes.push(lane);
    map.lanes
        .push(Lane::new("l2", "Emotion", LaneKind::Emotion));
    map.lanes
        .push(Lane::new("l3", "Line of visibility", LaneKind::Divider));
    map.cards.push(Card {
        notes: "Saw it twice".to_owned(),
        channel: Some(Channel::Ads),
        emotion: Some(-2),
        phase: Some(Phase::Before),
        severity: Some(Severity::High),
        evidence: Some(Evidence::Observed),
        tags: vec!["paid".to_owned()],
        owner: "Growth".to_owned(),
        metric: Some(Metric {
            label: "CTR".to_owned(),
            value: "1.2%".to_owned(),
        }),
        color: Some(Color::rgb(200, 0, 0)),
        link: Some("https://example.com".to_owned()),
        persona: Some("p1".into()),
        ..Card::new("c1", "s1".into(), "l1".into(), "Instagram ad")
    });
    map.extra.insert("x_future".to_owned(), Value::from(true));

    let instance: Value = serde_json::from_str(&format::to_json(&map)).unwrap();
    let problems = errors(&validator(), &instance);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_schema_rejects_what_the_loader_rejects_or_repairs() {
    let validator = validator();
    for name in [
        "wrong-types",
        "future-version",
        "bad-emotion",
        "broken-card",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(format!("{name}.journey.json"));
        let instance: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(
            !errors(&validator, &instance).is_empty(),
            "{name} passed the schema"
        );
    }
}
