//! The ordered chain of migrations: step `n` turns a version-`n` document into `n + 1`.

use super::{CURRENT_VERSION, FormatError};
use serde_json::{Map, Value};

type Object = Map<String, Value>;
type Step = fn(&mut Object) -> Result<(), String>;

/// `STEPS[n]` migrates version `n` to `n + 1`.
const STEPS: [Step; CURRENT_VERSION as usize] = [v0_to_v1];

pub(super) fn to_current(object: &mut Object, version: u64) -> Result<(), FormatError> {
    for from in version..CURRENT_VERSION {
        STEPS[from as usize](object).map_err(|message| FormatError::Migration { from, message })?;
        object.insert("version".to_owned(), Value::from(from + 1));
    }
    Ok(())
}

/// Version 0, the prototype: `columns`/`rows` instead of `stages`/`lanes`, cards with
/// `text`, `column` and `row`, and emotion on a 1..5 scale.
fn v0_to_v1(object: &mut Object) -> Result<(), String> {
    rename(object, "columns", "stages");
    rename(object, "rows", "lanes");
    if let Some(cards) = object.get_mut("cards") {
        let Value::Array(cards) = cards else {
            return Err("\"cards\" is not a list".to_owned());
        };
        for card in cards.iter_mut().filter_map(Value::as_object_mut) {
            rename(card, "text", "title");
            rename(card, "column", "stage");
            rename(card, "row", "lane");
            if let Some(score) = card.get("emotion").and_then(shift_emotion) {
                card.insert("emotion".to_owned(), score);
            }
        }
    }
    Ok(())
}

/// A 1..5 score on the -2..2 scale, read wide so that no number wraps (the range
/// check after migration clamps what is outside); a non-number is left for it to report.
fn shift_emotion(score: &Value) -> Option<Value> {
    match score.as_i64().and_then(|score| score.checked_sub(3)) {
        Some(shifted) => Some(Value::from(shifted)),
        None => score.as_f64().map(|score| Value::from(score - 3.0)),
    }
}

fn rename(object: &mut Object, from: &str, to: &str) {
    if let Some(value) = object.remove(from) {
        object.entry(to.to_owned()).or_insert(value);
    }
}
