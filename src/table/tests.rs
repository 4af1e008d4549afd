use super::csv::{self, Mapping};
use super::{Column, Filter, Sort, rows};
use crate::model::format::Limits;
use crate::model::{Channel, LaneKind, Map, Severity};

fn template(id: &str) -> Map {
    (crate::templates::TEMPLATES.iter())
        .find(|t| t.id == id)
        .expect("template")
        .map()
        .expect("template loads")
}

fn read(text: &str) -> Result<csv::Sheet, csv::CsvError> {
    csv::read(text.as_bytes(), &Limits::default())
}

fn import_into(map: &mut Map, text: &str) -> Result<csv::Imported, String> {
    let sheet = read(text).map_err(|e| e.to_string())?;
    let mapping = Mapping::guess(&sheet.headers);
    let (edit, imported) =
        csv::import(map, &sheet, &mapping, &Limits::default()).map_err(|e| e.to_string())?;
    edit.apply(map).map_err(|e| e.to_string())?;
    Ok(imported)
}

#[test]
fn headers_match_in_any_case_and_by_synonym() {
    let headers: Vec<String> = [
        "Journey Stage",
        "SWIMLANE",
        "Name",
        "Description",
        "priority",
        "KPI",
        "kpi_value",
        "Whatever",
    ]
    .map(String::from)
    .into();
    let Mapping(columns) = Mapping::guess(&headers);
    assert_eq!(
        columns,
        [
            Some(Column::Stage),
            Some(Column::Lane),
            Some(Column::Title),
            Some(Column::Notes),
            Some(Column::Severity),
            Some(Column::Metric),
            Some(Column::MetricValue),
            None
        ]
    );
}

#[test]
fn an_import_creates_missing_stages_and_lanes_in_order_of_first_appearance() {
    let mut map = template("5a");
    let before = map.clone();
    let imported = import_into(
        &mut map,
        "stage,lane,title,channel,severity,emotion,tags,persona\r\n\
         Ask,Touchpoints,Chat answers in a minute,chat,High,-1,\"support, speed\",Maya\r\n\
         Repurchase,Loyalty,Points expire quietly,Email,low,+2,,\r\n\
         aware,Loyalty,Seen on a podcast,,,,,\r\n",
    )
    .unwrap();
    assert_eq!(imported.cards, 3);
    assert_eq!(imported.new_stages, ["Repurchase"]);
    assert_eq!(imported.new_lanes, ["Loyalty"]);
    let new = &map.cards[before.cards.len()..];
    assert_eq!(new[0].title, "Chat answers in a minute");
    assert_eq!(new[0].channel, Some(Channel::Chat));
    assert_eq!(new[0].severity, Some(Severity::High));
    assert_eq!(new[0].emotion, Some(-1));
    assert_eq!(new[0].tags, ["support", "speed"]);
    assert_eq!(map.stage(&new[0].stage).unwrap().name, "Ask");
    assert_eq!(map.stages.last().unwrap().name, "Repurchase");
    assert_eq!(map.lanes.last().unwrap().kind, LaneKind::Cards);
    assert_eq!(
        map.stage(&new[2].stage).unwrap().name,
        "Aware",
        "stage names match in any case"
    );
    assert_eq!(new[1].emotion, Some(2));
}

#[test]
fn bad_cells_name_their_row_and_column_and_change_nothing() {
    let cases = [
        (
            "stage,title,emotion\nAsk,ok,1\nAsk,bad,7\n",
            "row 3, column \"emotion\": 7 is not an emotion score",
        ),
        (
            "stage,title,channel\nAsk,bad,carrier pigeon\n",
            "row 2, column \"channel\": \"carrier pigeon\" is not a channel",
        ),
        (
            "stage,title\nAsk,a\nAct\n",
            "row 3: has 1 fields, but the header has 2",
        ),
        (
            "stage,title\nAsk,\"never closed\nAct,b\n",
            "row 2: a quoted field never closes",
        ),
        (
            "stage,title\n,untitled stage\n",
            "row 2, column \"stage\": the stage is empty",
        ),
        ("title\nNo stage\n", "no column names the stage"),
        (
            "stage,title,link\nAsk,a,javascript:alert(1)\n",
            "is not an http, https or mailto link",
        ),
        ("", "the file is empty"),
    ];
    for (text, expected) in cases {
        let mut map = template("5a");
        let before = map.clone();
        let err = import_into(&mut map, text).unwrap_err();
        assert!(err.contains(expected), "{text:?}: {err}");
        assert_eq!(map, before);
    }
}

#[test]
fn text_that_is_not_utf8_is_named_with_its_row_and_column() {
    let err = csv::read(b"stage,title\nAsk,Caf\xe9\n", &Limits::default()).unwrap_err();
    assert_eq!(err.row, Some(2));
    assert_eq!(err.column.as_deref(), Some("title"));
    assert!(err.problem.contains("not UTF-8"), "{err}");
    let utf16 = csv::read(&[0xff, 0xfe, b's', 0], &Limits::default()).unwrap_err();
    assert!(utf16.problem.contains("UTF-16"), "{utf16}");
}

#[test]
fn rows_and_fields_over_the_limits_are_refused() {
    let limits = Limits {
        max_items: 3,
        max_string_chars: 10,
        ..Limits::default()
    };
    let many = "stage,title\n".to_owned() + &"Ask,a\n".repeat(4);
    let err = csv::read(many.as_bytes(), &limits).unwrap_err();
    assert!(err.problem.contains("more than 3 rows"), "{err}");
    let long = format!("stage,title\nAsk,{}\n", "x".repeat(11));
    let err = csv::read(long.as_bytes(), &limits).unwrap_err();
    assert_eq!((err.row, err.column.as_deref()), (Some(2), Some("title")));
    assert!(
        err.problem.contains("11 characters, over the limit of 10"),
        "{err}"
    );
}

#[test]
fn tabs_and_semicolons_separate_as_well_as_commas() {
    for text in [
        "stage\ttitle\nAsk\tA, with comma\n",
        "stage;title\nAsk;A, with comma\n",
    ] {
        let sheet = read(text).unwrap();
        assert_eq!(sheet.headers, ["stage", "title"]);
        assert_eq!(
            sheet.rows,
            [(2, vec!["Ask".to_owned(), "A, with comma".to_owned()])]
        );
    }
}

#[test]
fn written_csv_quotes_by_rfc_4180_and_guards_formulas() {
    let mut map = template("5a");
    map.cards.truncate(1);
    map.cards[0].title = "Say \"hi\", then\nwait".into();
    map.cards[0].notes = "=HYPERLINK(\"x\")".into();
    let bytes = csv::write(&map, &map.cards);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("\u{feff}stage,lane,title,notes,"),
        "{text}"
    );
    assert!(text.contains("\"Say \"\"hi\"\", then\nwait\""), "{text}");
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    assert!(text.ends_with("\r\n"));
    let mut blank = Map::default();
    import_into(&mut blank, &text).unwrap();
    assert_eq!(blank.cards[0].title, map.cards[0].title);
    assert_eq!(
        blank.cards[0].notes, map.cards[0].notes,
        "the guard comes off"
    );
}

#[test]
fn every_template_round_trips_through_csv() {
    for template in crate::templates::TEMPLATES {
        let map = template.map().unwrap();
        let bytes = csv::write(&map, &map.cards);
        let mut blank = Map::default();
        import_into(&mut blank, std::str::from_utf8(&bytes).unwrap()).unwrap();
        assert_eq!(blank.cards.len(), map.cards.len(), "{}", template.id);
        for (back, card) in blank.cards.iter().zip(&map.cards) {
            for column in Column::ALL {
                assert_eq!(
                    column.text(&blank, back),
                    column.text(&map, card),
                    "{} {column:?}",
                    template.id
                );
            }
        }
    }
}

#[test]
fn sorting_is_stable_ascending_then_descending() {
    let map = template("5a");
    let by = |sort| rows(&map, &Filter::default(), Some(sort));
    let first = Sort::clicked(None, Column::Severity);
    assert!(first.ascending);
    let ascending = by(first);
    let ranks: Vec<_> = ascending.iter().map(|&at| map.cards[at].severity).collect();
    let with: Vec<_> = ranks.iter().flatten().collect();
    assert!(with.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert!(
        ranks
            .iter()
            .skip_while(|r| r.is_some())
            .all(Option::is_none),
        "empty cells last"
    );
    // Equal severities keep the map's order.
    for pair in ascending.windows(2) {
        if map.cards[pair[0]].severity == map.cards[pair[1]].severity {
            assert!(pair[0] < pair[1]);
        }
    }
    let second = Sort::clicked(Some(first), Column::Severity);
    assert!(!second.ascending);
    assert_ne!(by(second), ascending);
}
