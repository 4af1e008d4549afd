//! Property: repairs converge. Over generated files with colliding, empty, dangling and
//! overflowing ids of every kind, numbers at the edges of every integer type, bad photos,
//! keys given twice and a byte-order mark, a file that loads re-saves to one that loads
//! without a warning, and saving that again gives the same bytes: through the library,
//! and through the real binary (`export --output n.journey.json`, then `check`).

use journeymap::model::format::{self, FormatError, Limits};
use journeymap::model::{EMOTION_RANGE, LANE_HEIGHT_RANGE, Map, STAGE_WIDTH_RANGE};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;
use std::collections::HashSet;
use std::process::Command;

const BOM: &str = "\u{feff}";

/// One JSON object as written: its keys in order, each with the raw JSON of its value.
/// A key may come twice; the last one holds.
#[derive(Clone, Debug)]
struct Object(Vec<(&'static str, String)>);

impl Object {
    fn text(&self) -> String {
        let fields: Vec<String> = (self.0.iter())
            .map(|(key, value)| format!("\"{key}\": {value}"))
            .collect();
        format!("{{{}}}", fields.join(", "))
    }

    /// The value that holds for `key` (the last one given), parsed.
    fn get(&self, key: &str) -> Option<Value> {
        let (_, raw) = self.0.iter().rev().find(|(k, _)| *k == key)?;
        serde_json::from_str(raw).ok()
    }
}

#[derive(Clone, Debug)]
struct Doc {
    bom: bool,
    personas: Vec<Object>,
    stages: Vec<Object>,
    lanes: Vec<Object>,
    cards: Vec<Object>,
}

impl Doc {
    fn text(&self) -> String {
        let list = |items: &[Object]| {
            let items: Vec<String> = items.iter().map(Object::text).collect();
            format!("[{}]", items.join(",\n    "))
        };
        format!(
            "{}{{\"format\": \"journeymap\", \"version\": 1, \"title\": \"Generated\",\n  \"personas\": {},\n  \"stages\": {},\n  \"lanes\": {},\n  \"cards\": {}}}\n",
            if self.bom { BOM } else { "" },
            list(&self.personas),
            list(&self.stages),
            list(&self.lanes),
            list(&self.cards),
        )
    }

    fn objects(&self) -> impl Iterator<Item = &Object> {
        (self.personas.iter())
            .chain(&self.stages)
            .chain(&self.lanes)
            .chain(&self.cards)
    }

    /// Whether some text that holds (a key given twice holds only once) is over the
    /// string limit: then the file is refused, not repaired.
    fn over_the_limit(&self) -> bool {
        let limit = Limits::default().max_string_chars;
        self.objects().any(|object| {
            object.0.iter().any(|(key, _)| {
                matches!(object.get(key), Some(Value::String(text)) if text.chars().count() > limit)
            })
        })
    }
}

fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// Ids of every kind that collide, are empty, overflow a number or a length, or dangle.
fn id() -> impl Strategy<Value = String> {
    let limit = Limits::default().max_string_chars;
    prop_oneof![
        8 => prop::sample::select(vec![
            "", "", "c1", "c2", "c3", "s1", "s2", "l1", "l2", "p1", "p2", "c0", "s0", "x", "c01",
            "c+4", "c 5", "nowhere",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            format!("c{}", u64::MAX),
            format!("s{}", u64::MAX),
            format!("l{}", u64::MAX),
            format!("p{}", u64::MAX),
            format!("c{}", u64::MAX as u128 + 1),
            format!("c{}", "9".repeat(300)),
        ]),
        1 => Just("c".repeat(limit)),
        1 => Just("s".repeat(limit + 1)),
    ]
    .prop_map(|id| json(&id))
}

/// A number at the edge of every integer type, floats where integers belong, and things
/// that only look like numbers.
fn number() -> impl Strategy<Value = String> {
    let edges = vec![
        "-128",
        "127",
        "128",
        "-129",
        "255",
        "256",
        "-32768",
        "32767",
        "32768",
        "65535",
        "65536",
        "-2147483648",
        "2147483647",
        "2147483648",
        "4294967295",
        "4294967296",
        "-9223372036854775808",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "100000000000000000000000",
        "1e308",
        "-1e308",
        "-0.0",
        "-0",
        "0",
        "1.5",
        "-1.5",
        "2.5",
        "-2.5",
        "0.5",
        "2.0",
        "1e-320",
        "7",
        "-3",
        "80",
        "2000",
        "79.999",
        "2000.0001",
        "24",
        "4000",
        "\"NaN\"",
        "\"Infinity\"",
        "\"1e999\"",
        "\"2\"",
        "true",
        "null",
        "[]",
        "{}",
    ];
    prop_oneof![
        6 => prop::sample::select(edges).prop_map(str::to_owned),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => (proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL)
            .prop_map(|f| serde_json::to_string(&f).expect("a finite float serialises")),
    ]
}

fn photo() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        json("http://example.com/maya.png"),
        json("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="),
        json("data:image/png;base64,bm90IGEgcG5n"),
        json(&tiny_png_url()),
    ])
}

fn tiny_png_url() -> String {
    use base64::Engine as _;
    let mut bytes = Vec::new();
    let image = image::RgbImage::from_pixel(2, 2, image::Rgb([30, 90, 200]));
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a tiny PNG encodes");
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:image/png;base64,{data}")
}

/// An object with an id, a name and maybe some of `optional`, sometimes with one of its
/// keys given twice.
fn object(optional: Vec<(&'static str, BoxedStrategy<String>)>) -> impl Strategy<Value = Object> {
    let fields: Vec<_> = optional
        .into_iter()
        .map(|(key, value)| proptest::option::of(value).prop_map(move |v| v.map(|v| (key, v))))
        .collect();
    (
        id(),
        "[A-Za-zé ]{0,6}",
        fields,
        any::<Option<prop::sample::Index>>(),
        id(),
    )
        .prop_map(|(id, name, optional, twice, other_id)| {
            let mut fields = vec![("id", id), ("name", json(&name))];
            fields.extend(optional.into_iter().flatten());
            if let Some(index) = twice {
                // The same key again: an id, or another copy of some field.
                let (key, value) = fields[index.index(fields.len())].clone();
                fields.push((key, if key == "id" { other_id } else { value }));
            }
            Object(fields)
        })
}

fn doc() -> impl Strategy<Value = Doc> {
    let reference = || id().boxed();
    let persona = object(vec![("photo", photo().boxed())]);
    let stage = object(vec![
        ("width", number().boxed()),
        ("funnel", number().boxed()),
    ]);
    let kind = prop::sample::select(vec!["\"cards\"", "\"emotion\"", "\"divider\""])
        .prop_map(str::to_owned);
    let lane = object(vec![("kind", kind.boxed()), ("height", number().boxed())]);
    let card = object(vec![
        ("stage", reference()),
        ("lane", reference()),
        ("emotion", number().boxed()),
        ("persona", reference()),
    ]);
    (
        any::<bool>(),
        prop::collection::vec(persona, 0..3),
        prop::collection::vec(stage, 0..4),
        prop::collection::vec(lane, 0..4),
        prop::collection::vec(card, 0..8),
    )
        .prop_map(|(bom, personas, stages, lanes, cards)| Doc {
            bom,
            personas,
            stages,
            lanes,
            cards,
        })
}

/// Whether a card with this raw emotion cannot be read (not a number, not absent).
fn unreadable_emotion(value: &Option<Value>) -> bool {
    matches!(value, Some(v) if !v.is_number() && !v.is_null())
}

/// What a whole-number field holds for a raw number: rounded, then clamped.
fn whole(value: &Value, min: i128, max: i128) -> Option<i128> {
    let number = value.as_number()?;
    let exact = number
        .as_i64()
        .map(i128::from)
        .or(number.as_u64().map(i128::from));
    let wide = exact.unwrap_or_else(|| number.as_f64().unwrap_or(0.0).round() as i128);
    Some(wide.clamp(min, max))
}

fn real(value: &Value, range: &std::ops::RangeInclusive<f32>) -> Option<f32> {
    let wide = value.as_f64()?;
    Some(wide.clamp(*range.start() as f64, *range.end() as f64) as f32)
}

fn assert_ids_unique(map: &Map) {
    let kinds: [Vec<&str>; 4] = [
        map.personas.iter().map(|p| p.id.as_str()).collect(),
        map.stages.iter().map(|s| s.id.as_str()).collect(),
        map.lanes.iter().map(|l| l.id.as_str()).collect(),
        map.cards.iter().map(|c| c.id.as_str()).collect(),
    ];
    for ids in kinds {
        let distinct: HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
        assert!(ids.iter().all(|id| !id.is_empty()), "{ids:?}");
    }
}

/// Every number the file gave landed in its field as the format document says.
fn assert_numbers_read_wide(doc: &Doc, map: &Map) {
    let readable: Vec<&Object> = (doc.cards.iter())
        .filter(|card| !unreadable_emotion(&card.get("emotion")))
        .collect();
    assert_eq!(map.cards.len(), readable.len(), "a number dropped a card");
    let emotion = (*EMOTION_RANGE.start() as i128, *EMOTION_RANGE.end() as i128);
    for (raw, card) in readable.iter().zip(&map.cards) {
        let expected = raw
            .get("emotion")
            .and_then(|v| whole(&v, emotion.0, emotion.1));
        assert_eq!(card.emotion.map(i128::from), expected, "{raw:?}");
    }
    for (raw, stage) in doc.stages.iter().zip(&map.stages) {
        let width = raw.get("width").and_then(|v| real(&v, &STAGE_WIDTH_RANGE));
        assert_eq!(stage.width, width, "{raw:?}");
        let funnel = raw
            .get("funnel")
            .and_then(|v| whole(&v, 0, u64::MAX as i128));
        assert_eq!(stage.funnel.map(i128::from), funnel, "{raw:?}");
    }
    for (raw, lane) in doc.lanes.iter().zip(&map.lanes) {
        let height = raw.get("height").and_then(|v| real(&v, &LANE_HEIGHT_RANGE));
        assert_eq!(lane.height, height, "{raw:?}");
    }
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]

    #[test]
    fn repair_converges_and_resaving_is_byte_identical(doc in doc()) {
        let text = doc.text();
        let loaded = match format::parse(text.as_bytes()) {
            Err(FormatError::Limit { .. }) if doc.over_the_limit() => return Ok(()),
            Err(err) => panic!("refused: {err}\n{text}"),
            Ok(loaded) => loaded,
        };
        prop_assert!(!doc.over_the_limit(), "a text over the limit loaded");
        assert_ids_unique(&loaded.map);
        assert_numbers_read_wide(&doc, &loaded.map);
        for persona in &loaded.map.personas {
            let photo = persona.photo.as_deref();
            prop_assert!(photo.is_none_or(|p| p == tiny_png_url()), "{photo:?}");
        }

        let saved = format::to_json(&loaded.map);
        prop_assert!(!saved.starts_with(BOM), "the byte-order mark was written back");
        let reloaded = format::parse(saved.as_bytes()).expect("the re-save loads");
        prop_assert!(reloaded.warnings.is_empty(), "{:?}\n{saved}", reloaded.warnings);
        prop_assert_eq!(&reloaded.map, &loaded.map);
        prop_assert_eq!(format::to_json(&reloaded.map), saved);
    }
}

fn journeymap(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

proptest! {
    #![proptest_config(Config { cases: 40, ..Config::default() })]

    #[test]
    fn the_binary_resaves_every_generated_file_to_one_that_checks_clean(doc in doc()) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (input, first, second) = (
            dir.path().join("in.journey.json"),
            dir.path().join("n.journey.json"),
            dir.path().join("n2.journey.json"),
        );
        std::fs::write(&input, doc.text()).expect("write the input");
        let export = |from: &std::path::Path, to: &std::path::Path| {
            journeymap(&["export".as_ref(), from.as_os_str(), "--output".as_ref(), to.as_os_str()])
        };
        let resave = export(&input, &first);
        let stderr = String::from_utf8_lossy(&resave.stderr).into_owned();
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        if doc.over_the_limit() {
            prop_assert_eq!(resave.status.code(), Some(1), "{}", stderr);
            prop_assert!(!first.exists());
            return Ok(());
        }
        prop_assert_eq!(resave.status.code(), Some(0), "{}", stderr);

        let check = journeymap(&["check".as_ref(), first.as_os_str()]);
        let problems = String::from_utf8_lossy(&check.stderr).into_owned();
        prop_assert_eq!(check.status.code(), Some(0), "{}", problems);
        prop_assert!(problems.is_empty(), "{problems}");

        let again = export(&first, &second);
        prop_assert_eq!(again.status.code(), Some(0));
        let (first, second) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
        prop_assert!(first == second, "the second re-save differs");
    }
}
