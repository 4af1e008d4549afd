//! Numbers read wide: every numeric field is taken as the JSON number it is, then
//! rounded or clamped into its range with a warning, never wrapped and never a reason
//! to drop a card or refuse a map.

use crate::model::{EMOTION_RANGE, LANE_HEIGHT_RANGE, STAGE_WIDTH_RANGE};
use serde_json::{Number, Value};

/// The range of one numeric field.
#[derive(Clone, Copy)]
enum Range {
    /// A whole number; a fraction is rounded to the nearest one (half away from zero).
    Whole(i128, i128),
    /// Any number in the range.
    Real(f64, f64),
}

struct Field {
    key: &'static str,
    range: Range,
}

const STAGE_FIELDS: [Field; 2] = [
    Field {
        key: "width",
        range: Range::Real(
            *STAGE_WIDTH_RANGE.start() as f64,
            *STAGE_WIDTH_RANGE.end() as f64,
        ),
    },
    Field {
        key: "funnel",
        range: Range::Whole(0, u64::MAX as i128),
    },
];

const LANE_FIELDS: [Field; 1] = [Field {
    key: "height",
    range: Range::Real(
        *LANE_HEIGHT_RANGE.start() as f64,
        *LANE_HEIGHT_RANGE.end() as f64,
    ),
}];

const CARD_FIELDS: [Field; 1] = [Field {
    key: "emotion",
    range: Range::Whole(*EMOTION_RANGE.start() as i128, *EMOTION_RANGE.end() as i128),
}];

/// Brings the numbers of every stage and lane into range. A value that is not a number
/// at all is removed (the size becomes automatic): refusing the map or dropping the
/// stage with its cards would lose far more.
pub(super) fn stages_and_lanes(
    object: &mut serde_json::Map<String, Value>,
    warnings: &mut Vec<String>,
) {
    for (list, what, fields) in [
        ("stages", "stage", &STAGE_FIELDS[..]),
        ("lanes", "lane", &LANE_FIELDS[..]),
    ] {
        let Some(Value::Array(items)) = object.get_mut(list) else {
            continue;
        };
        for (index, item) in items.iter_mut().enumerate() {
            read_fields(
                item,
                fields,
                &|item| item_name(what, index, item),
                true,
                warnings,
            );
        }
    }
}

/// Brings the numbers of one raw card into range. A value that is not a number is left
/// for reading the card to report: the card is dropped with a warning naming it.
pub(super) fn card(raw: &mut Value, index: usize, warnings: &mut Vec<String>) {
    read_fields(
        raw,
        &CARD_FIELDS,
        &|raw| item_name("card", index, raw),
        false,
        warnings,
    );
}

/// How a numeric warning names its item: by id, or by place when it has none.
fn item_name(what: &str, index: usize, raw: &Value) -> String {
    match raw.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => format!("{what} {id}"),
        _ => format!("{what} #{}", index + 1),
    }
}

fn read_fields(
    item: &mut Value,
    fields: &[Field],
    name: &dyn Fn(&Value) -> String,
    remove_non_numbers: bool,
    warnings: &mut Vec<String>,
) {
    for field in fields {
        let Some(value) = item.get(field.key) else {
            continue;
        };
        let (fixed, problem) = match value {
            Value::Null => continue,
            Value::Number(number) => {
                let (fixed, why) = field.range.read(number);
                (Some(fixed), why.map(|why| format!("{number} {why}")))
            }
            _ if !remove_non_numbers => continue,
            other => {
                let what = super::kind_of(other);
                (
                    None,
                    Some(format!("is {what}, not a number; it was removed")),
                )
            }
        };
        if let Some(problem) = problem {
            warnings.push(format!("{}: {} {problem}", name(item), field.key));
        }
        if let Some(object) = item.as_object_mut() {
            match fixed {
                Some(fixed) => object.insert(field.key.to_owned(), fixed),
                None => object.remove(field.key),
            };
        }
    }
}

impl Range {
    /// The number as the field holds it, and what was wrong with it if anything (with
    /// the value it now has).
    fn read(self, number: &Number) -> (Value, Option<String>) {
        match self {
            Range::Whole(min, max) => {
                let exact = (number.as_i64().map(i128::from)).or(number.as_u64().map(i128::from));
                let (value, whole) = match exact {
                    Some(value) => (value, true),
                    None => {
                        let real = number.as_f64().unwrap_or(0.0);
                        // `as` saturates: 1e308 becomes i128::MAX, then the clamp applies.
                        (real.round() as i128, real.fract() == 0.0)
                    }
                };
                let clamped = value.clamp(min, max);
                let problem = if clamped != value {
                    Some(format!("is outside {min}..{max}; now {clamped}"))
                } else if !whole {
                    Some(format!("is not a whole number; now {clamped}"))
                } else {
                    None
                };
                (whole_value(clamped), problem)
            }
            Range::Real(min, max) => {
                let real = number.as_f64().unwrap_or(min);
                if (min..=max).contains(&real) {
                    return (Value::Number(number.clone()), None);
                }
                let clamped = real.clamp(min, max);
                let value = Number::from_f64(clamped).map_or(Value::Null, Value::Number);
                (
                    value,
                    Some(format!("is outside {min}..{max}; now {clamped}")),
                )
            }
        }
    }
}

/// A whole number already clamped to a field's range, which fits in an i64 or a u64.
fn whole_value(value: i128) -> Value {
    match i64::try_from(value) {
        Ok(small) => Value::from(small),
        Err(_) => Value::from(u64::try_from(value).unwrap_or(u64::MAX)),
    }
}
