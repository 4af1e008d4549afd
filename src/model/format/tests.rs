use super::*;
use crate::model::{CardId, LaneKind, StageId};
use crate::templates::TEMPLATES;

fn load(json: &str) -> Loaded {
    parse(json.as_bytes()).unwrap_or_else(|err| panic!("{err}"))
}

const SMALL: &str = r#"{
  "format": "journeymap",
  "version": 1,
  "title": "Small",
  "stages": [{"id": "s1", "name": "Aware"}, {"id": "s2", "name": "Act"}],
  "lanes": [
    {"id": "l1", "name": "Touchpoints", "kind": "cards"},
    {"id": "l2", "name": "Line of visibility", "kind": "divider"}
  ],
  "cards": [
    {"id": "c1", "stage": "s1", "lane": "l1", "title": "Sees an ad"},
    {"id": "c2", "stage": "s2", "lane": "l1", "title": "Pays"}
  ]
}"#;

#[test]
fn every_template_resaves_byte_identical() {
    for template in &TEMPLATES {
        let loaded = load(template.json);
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            template.id,
            loaded.warnings
        );
        assert_eq!(
            to_json(&loaded.map),
            template.json,
            "template {}",
            template.id
        );
    }
}

#[test]
fn saving_is_stable_and_ends_with_a_newline() {
    let map = load(SMALL).map;
    let first = to_json(&map);
    assert!(first.ends_with("}\n"));
    assert!(first.starts_with("{\n  \"format\": \"journeymap\",\n  \"version\": 1,"));
    assert_eq!(to_json(&load(&first).map), first);
}

#[test]
fn unknown_fields_are_kept_and_written_back() {
    let json = SMALL
        .replace(
            r#""title": "Small","#,
            r#""title": "Small", "x_board": {"zoom": 2},"#,
        )
        .replace(r#""title": "Pays"}"#, r#""title": "Pays", "x_votes": 3}"#)
        .replace(r#""name": "Act"}"#, r#""name": "Act", "x_note": "later"}"#);
    let map = load(&json).map;
    assert_eq!(map.extra["x_board"]["zoom"], 2);
    assert_eq!(map.cards[1].extra["x_votes"], 3);
    let saved = to_json(&map);
    assert!(saved.contains("\"x_votes\": 3"));
    assert!(saved.contains("\"x_note\": \"later\""));
    assert!(saved.contains("\"x_board\""));
    assert_eq!(load(&saved).map, map);
}

#[test]
fn version_0_files_are_migrated() {
    let v0 = r#"{
      "format": "journeymap", "version": 0, "title": "Prototype",
      "columns": [{"id": "s1", "name": "Aware"}],
      "rows": [{"id": "l1", "name": "Feelings", "kind": "emotion"}],
      "cards": [{"id": "c1", "column": "s1", "row": "l1", "text": "Curious", "emotion": 5}]
    }"#;
    let loaded = load(v0);
    assert_eq!(loaded.migrated_from, Some(0));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let map = loaded.map;
    assert_eq!(map.stages[0].name, "Aware");
    assert_eq!(map.lanes[0].kind, LaneKind::Emotion);
    let card = &map.cards[0];
    assert_eq!((card.title.as_str(), card.emotion), ("Curious", Some(2)));
    assert_eq!((card.stage.as_str(), card.lane.as_str()), ("s1", "l1"));
    assert!(to_json(&map).contains("\"version\": 1,"));
}

#[test]
fn a_newer_version_is_refused() {
    let err = parse(SMALL.replace("\"version\": 1", "\"version\": 3").as_bytes()).unwrap_err();
    assert_eq!(
        err,
        FormatError::NewerVersion {
            found: 3,
            supported: 1
        }
    );
    assert!(err.to_string().contains("newer journeymap"));
}

#[test]
fn invalid_json_reports_line_and_column() {
    let broken = "{\n  \"format\": \"journeymap\",\n  \"version\": 1,\n  \"title\": oops\n}";
    match parse(broken.as_bytes()).unwrap_err() {
        FormatError::Json { line, column, .. } => assert_eq!((line, column), (4, 12)),
        other => panic!("{other}"),
    }
}

#[test]
fn invalid_utf8_reports_where() {
    let mut bytes = b"{\n  \"title\": \"caf".to_vec();
    bytes.extend([0xff, b'"', b'}']);
    assert_eq!(
        parse(&bytes).unwrap_err(),
        FormatError::NotUtf8 {
            line: 2,
            column: 16
        }
    );
}

#[test]
fn empty_and_non_map_inputs_are_named() {
    assert_eq!(parse(b"").unwrap_err(), FormatError::Empty);
    assert_eq!(parse(b"  \n").unwrap_err(), FormatError::Empty);
    assert!(matches!(
        parse(b"[1, 2]").unwrap_err(),
        FormatError::NotJourneymap(_)
    ));
    assert!(matches!(
        parse(br#"{"format": "excalidraw", "version": 2}"#).unwrap_err(),
        FormatError::NotJourneymap(_)
    ));
    let no_version = parse(br#"{"format": "journeymap"}"#).unwrap_err();
    assert!(
        no_version.to_string().starts_with("version:"),
        "{no_version}"
    );
}

#[test]
fn wrong_types_name_the_path() {
    let json = SMALL.replace(r#""name": "Act""#, r#""name": ["Act"]"#);
    let err = parse(json.as_bytes()).unwrap_err();
    assert!(
        err.to_string().starts_with("stages[1].name: invalid type"),
        "{err}"
    );
}

#[test]
fn limits_stop_hostile_files() {
    let limits = Limits {
        max_string_chars: 10,
        max_items: 3,
        max_file_bytes: 10_000,
        ..Limits::default()
    };
    let long = SMALL.replace("Sees an ad", "Sees an advert on a bus");
    let err = parse_with_limits(long.as_bytes(), &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cards.0.title: a text of 23 characters over the limit of 10"
    );

    let cards: Vec<String> = (0..4)
        .map(|i| format!(r#"{{"id": "c{i}", "stage": "s1", "lane": "l1"}}"#))
        .collect();
    let many = format!(
        r#"{{"format": "journeymap", "version": 1, "stages": [{{"id": "s1"}}], "lanes": [{{"id": "l1"}}], "cards": [{}]}}"#,
        cards.join(",")
    );
    let err = parse_with_limits(many.as_bytes(), &limits).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cards: a list of 4 items over the limit of 3"
    );

    let big = " ".repeat(10_001);
    assert!(matches!(
        parse_with_limits(big.as_bytes(), &limits).unwrap_err(),
        FormatError::TooLarge { size: 10_001, .. }
    ));
}

#[test]
fn one_broken_card_is_dropped_and_named() {
    let json = SMALL.replace(
        r#""title": "Pays"}"#,
        r#""title": "Pays", "emotion": "happy"}"#,
    );
    let loaded = load(&json);
    assert_eq!(loaded.map.cards.len(), 1);
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0].starts_with("card c2 \"Pays\" dropped: emotion:"),
        "{}",
        loaded.warnings[0]
    );
}

#[test]
fn duplicate_ids_are_renamed() {
    let json = SMALL
        .replace(r#""id": "c2""#, r#""id": "c1""#)
        .replace(r#""id": "s2""#, r#""id": "s1""#);
    let loaded = load(&json);
    let card_ids: Vec<_> = loaded.map.cards.iter().map(|c| c.id.as_str()).collect();
    let stage_ids: Vec<_> = loaded.map.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(card_ids, ["c1", "c2"]);
    // Card c2 still names stage s2, now dangling: the renamed stage does not capture it.
    assert_eq!(stage_ids, ["s1", "s3"]);
    assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("stage id s1 (\"Act\") is used twice; this one is now s3"));
    assert!(loaded.warnings[2].contains("card c2: stage s2 does not exist; moved to stage s1"));
}

#[test]
fn cards_with_dangling_cells_are_moved_not_lost() {
    let json = SMALL
        .replace(r#""stage": "s2""#, r#""stage": "gone""#)
        .replace(
            r#""lane": "l1", "title": "Sees"#,
            r#""lane": "l2", "title": "Sees"#,
        );
    let loaded = load(&json);
    assert_eq!(loaded.map.cards.len(), 2);
    assert!(
        loaded
            .map
            .cards
            .iter()
            .all(|c| c.stage == StageId::from("s1"))
    );
    assert!(loaded.map.cards.iter().all(|c| c.lane.as_str() == "l1"));
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("lane l2 is a divider"))
    );
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("stage gone does not exist"))
    );
}

#[test]
fn a_map_without_stages_gets_one_for_its_cards() {
    let json = r#"{"format": "journeymap", "version": 1,
      "cards": [{"id": "c1", "stage": "s1", "lane": "l1", "title": "Orphan"}]}"#;
    let loaded = load(json);
    assert_eq!(loaded.map.stages.len(), 1);
    assert_eq!(loaded.map.lanes.len(), 1);
    assert_eq!(loaded.map.cards[0].stage, loaded.map.stages[0].id);
    assert_eq!(loaded.map.cards[0].lane, loaded.map.lanes[0].id);
}

#[test]
fn out_of_range_values_are_clamped_or_removed() {
    let json = SMALL
        .replace(
            r#""title": "Pays"}"#,
            r#""title": "Pays", "emotion": -9, "link": "javascript:alert(1)", "persona": "p9"}"#,
        )
        .replace(r#""name": "Aware"}"#, r#""name": "Aware", "width": 5}"#);
    let loaded = load(&json);
    let card = loaded.map.card(&CardId::from("c2")).unwrap();
    assert_eq!(card.emotion, Some(-2));
    assert_eq!(card.link, None);
    assert_eq!(card.persona, None);
    assert_eq!(loaded.map.stages[0].width, Some(80.0));
    assert_eq!(loaded.warnings.len(), 4, "{:?}", loaded.warnings);
}

/// Loads, re-saves and loads again: the re-save must load clean and save to itself.
fn assert_converges(json: &str) -> Loaded {
    let loaded = load(json);
    let saved = to_json(&loaded.map);
    let again = load(&saved);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert_eq!(to_json(&again.map), saved);
    loaded
}

#[test]
fn renamed_ids_never_take_an_id_the_file_already_uses() {
    let max = u64::MAX;
    let json = format!(
        r#"{{"format": "journeymap", "version": 1,
      "stages": [{{"id": "s1"}}, {{"id": ""}}],
      "lanes": [{{"id": "l1"}}],
      "cards": [
        {{"id": "", "stage": "s1", "lane": "l1"}},
        {{"id": "", "stage": "s2", "lane": "l1"}},
        {{"id": "c0", "stage": "s1", "lane": "l1"}},
        {{"id": "c{max}", "stage": "s1", "lane": "l1"}},
        {{"id": "c1", "stage": "s1", "lane": "l1", "persona": "c2"}}
      ]}}"#
    );
    let loaded = assert_converges(&json);
    let ids: Vec<_> = loaded.map.cards.iter().map(|c| c.id.as_str()).collect();
    // c2 is a (dangling) persona reference: a fresh card id must not take it either.
    assert_eq!(ids, ["c3", "c4", "c0", &format!("c{max}"), "c1"]);
    // s2 is a card's dangling stage: the stage without an id does not capture it.
    assert_eq!(loaded.map.stages[1].id.as_str(), "s3");
    assert_eq!(loaded.map.cards[1].stage.as_str(), "s1");
}

#[test]
fn a_byte_order_mark_is_accepted_and_not_written_back() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(SMALL.as_bytes());
    let loaded = parse(&bytes).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert!(to_json(&loaded.map).starts_with('{'));
}

#[test]
fn an_envelope_key_given_twice_is_refused() {
    for (key, twice) in [
        ("version", r#""version": 1, "version": 0,"#),
        (
            "format",
            r#""format": "journeymap", "format": "journeymap","#,
        ),
    ] {
        let json = SMALL.replacen(&format!("\"{key}\""), &format!("{twice} \"x_{key}\""), 1);
        let err = parse(json.as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("{key}: \"{key}\" is given twice")),
            "{err}"
        );
    }
}

#[test]
fn other_keys_given_twice_warn_with_their_path() {
    let json = SMALL.replace(
        r#""title": "Pays"}"#,
        r#""title": "Pays", "title": "Pays twice"}"#,
    );
    let loaded = assert_converges(&json);
    assert_eq!(loaded.map.cards[1].title, "Pays twice");
    assert_eq!(
        loaded.warnings,
        ["cards[1].title: the key is given twice; the last value is used"]
    );
}

#[test]
fn emotions_beyond_i8_are_clamped_and_keep_the_card() {
    for (raw, expected) in [
        ("128", 2),
        ("1000", 2),
        ("-129", -2),
        ("18446744073709551615", 2),
        ("-9223372036854775808", -2),
        ("1e308", 2),
        ("1.5", 2),
        ("-0.0", 0),
        ("2.0", 2),
    ] {
        let json = SMALL.replace(
            r#""title": "Pays"}"#,
            &format!(r#""title": "Pays", "emotion": {raw}}}"#),
        );
        let loaded = assert_converges(&json);
        assert_eq!(loaded.map.cards.len(), 2, "{raw}");
        assert_eq!(loaded.map.cards[1].emotion, Some(expected), "{raw}");
        let warned = !matches!(raw, "-0.0" | "2.0");
        assert_eq!(
            loaded.warnings.len(),
            usize::from(warned),
            "{raw}: {:?}",
            loaded.warnings
        );
    }
}

#[test]
fn a_version_0_emotion_of_i64_min_does_not_wrap() {
    let v0 = r#"{"format": "journeymap", "version": 0,
      "columns": [{"id": "s1"}], "rows": [{"id": "l1", "kind": "emotion"}],
      "cards": [{"id": "c1", "column": "s1", "row": "l1", "emotion": -9223372036854775808}]}"#;
    let loaded = load(v0);
    assert_eq!(loaded.map.cards[0].emotion, Some(-2));
    assert!(
        loaded.warnings[0].contains("emotion"),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn bad_funnel_figures_and_sizes_are_clamped_or_removed_not_fatal() {
    let json = SMALL
        .replace(
            r#""name": "Aware"}"#,
            r#""name": "Aware", "funnel": -5, "width": 1e308}"#,
        )
        .replace(
            r#""name": "Act"}"#,
            r#""name": "Act", "funnel": 1.5e30, "width": "wide"}"#,
        )
        .replace(r#""kind": "cards"}"#, r#""kind": "cards", "height": -0.0}"#);
    let loaded = assert_converges(&json);
    let stages = &loaded.map.stages;
    assert_eq!((stages[0].funnel, stages[0].width), (Some(0), Some(2000.0)));
    assert_eq!((stages[1].funnel, stages[1].width), (Some(u64::MAX), None));
    assert_eq!(loaded.map.lanes[0].height, Some(24.0));
    assert_eq!(loaded.warnings.len(), 5, "{:?}", loaded.warnings);
    assert!(
        loaded
            .warnings
            .contains(&"stage s2: width is a string, not a number; it was removed".to_owned()),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn photos_that_are_not_embedded_images_are_removed_naming_the_persona() {
    let json = SMALL.replace(
        r#""title": "Small","#,
        r#""title": "Small", "personas": [
          {"id": "p1", "name": "Maya", "photo": "http://example.com/maya.png"},
          {"id": "p2", "name": "Ade", "photo": "data:image/svg+xml;base64,PHN2Zy8+"}],"#,
    );
    let loaded = assert_converges(&json);
    assert!(loaded.map.personas.iter().all(|p| p.photo.is_none()));
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0].starts_with("persona p1 \"Maya\": photo is not an embedded PNG or JPEG"),
        "{}",
        loaded.warnings[0]
    );
}
