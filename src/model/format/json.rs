//! JSON text to a `serde_json::Value`, noticing keys given twice in one object, which
//! serde_json would resolve silently (the last one wins).

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::fmt;

/// How many duplicate keys are named one by one; the rest are counted.
const MAX_NAMED_DUPLICATES: usize = 20;

/// A document and the keys it gives twice.
pub(super) struct Parsed {
    pub value: Value,
    /// The path of each duplicate key (`cards[3].title`), in file order, at most
    /// [`MAX_NAMED_DUPLICATES`] of them.
    pub duplicates: Vec<String>,
    /// All duplicate keys, named or not.
    pub duplicate_count: usize,
    /// The first of `top_keys` given twice at the top level, however many came before.
    pub top_key_duplicate: Option<&'static str>,
}

/// Reads `text`, watching in particular for the top-level keys `top_keys`.
pub(super) fn parse(text: &str, top_keys: &[&'static str]) -> Result<Parsed, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let mut walk = Walk {
        top_keys: top_keys.to_vec(),
        ..Walk::default()
    };
    let value = ValueSeed(&mut walk).deserialize(&mut reader)?;
    reader.end()?;
    Ok(Parsed {
        value,
        duplicates: walk.duplicates,
        duplicate_count: walk.duplicate_count,
        top_key_duplicate: walk.top_key_duplicate,
    })
}

#[derive(Default)]
struct Walk {
    /// Where the value being read sits; spelled out only for a duplicate.
    path: Vec<Step>,
    duplicates: Vec<String>,
    duplicate_count: usize,
    top_keys: Vec<&'static str>,
    top_key_duplicate: Option<&'static str>,
}

enum Step {
    Key(String),
    Index(usize),
}

impl Walk {
    fn duplicate(&mut self, key: &str) {
        self.duplicate_count += 1;
        if self.path.is_empty() && self.top_key_duplicate.is_none() {
            self.top_key_duplicate = self.top_keys.iter().copied().find(|top| *top == key);
        }
        if self.duplicates.len() >= MAX_NAMED_DUPLICATES {
            return;
        }
        let mut path = String::new();
        for step in self.path.iter().chain([&Step::Key(key.to_owned())]) {
            match step {
                Step::Key(key) if path.is_empty() => path.push_str(key),
                Step::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Step::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        self.duplicates.push(path);
    }
}

/// Reads one value, whatever it is, recording duplicate keys on the way.
struct ValueSeed<'w>(&'w mut Walk);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.0.path.push(Step::Index(items.len()));
            let item = seq.next_element_seed(ValueSeed(self.0));
            self.0.path.pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // The key rides on the path while its value is read, and comes back after.
            self.0.path.push(Step::Key(key));
            let value = map.next_value_seed(ValueSeed(self.0));
            let key = match self.0.path.pop() {
                Some(Step::Key(key)) => key,
                _ => String::new(),
            };
            let value = value?;
            if object.contains_key(&key) {
                self.0.duplicate(&key);
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_serde_json_reads() {
        let text =
            r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}, "d": 18446744073709551615}"#;
        let ours = parse(text, &[]).unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours.value, theirs);
        assert_eq!(ours.duplicate_count, 0);
    }

    #[test]
    fn duplicate_keys_are_named_with_their_path_and_the_last_wins() {
        let text =
            r#"{"t": 1, "cards": [{}, {"id": "a", "x": {"k": 1, "k": 2}, "id": "b"}], "t": 2}"#;
        let parsed = parse(text, &["t"]).unwrap();
        assert_eq!(parsed.duplicates, ["cards[1].x.k", "cards[1].id", "t"]);
        assert_eq!(parsed.top_key_duplicate, Some("t"));
        assert_eq!(parsed.value["cards"][1]["id"], "b");
        assert_eq!(parsed.value["t"], 2);
    }

    #[test]
    fn only_the_first_duplicates_are_named() {
        let keys: Vec<String> = (0..50).map(|_| "\"k\": 1".to_owned()).collect();
        let parsed = parse(&format!("{{{},\"v\": 1,\"v\": 2}}", keys.join(",")), &["v"]).unwrap();
        assert_eq!(parsed.top_key_duplicate, Some("v"));
        assert_eq!(parsed.duplicate_count, 50);
        assert_eq!(parsed.duplicates.len(), MAX_NAMED_DUPLICATES);
    }

    #[test]
    fn errors_keep_their_line_and_column() {
        let err = parse("{\n  \"a\": [1,\n  }", &[]).err().unwrap();
        assert_eq!((err.line(), err.column()), (3, 3));
        let trailing = parse("{} x", &[]).err().unwrap();
        assert_eq!(trailing.column(), 4);
    }
}
