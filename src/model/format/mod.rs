//! The file format: a `{"format": "journeymap", "version": N, ...}` JSON envelope.
//!
//! Loading is strict where guessing would lose data (invalid JSON, a newer version,
//! a limit) and tolerant where it is safe (one broken card is dropped, duplicate ids
//! are renamed, dangling references are re-homed), each repair named in a warning.

mod json;
mod limits;
mod migrate;
mod numbers;
mod repair;

pub use limits::Limits;

use super::escape::{Escaped, Quoted, Token};
use super::{Card, Map};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The value of the envelope's `format` key.
pub const FORMAT_NAME: &str = "journeymap";
/// The version this build writes; older ones are migrated on load.
pub const CURRENT_VERSION: u64 = 1;
/// The UTF-8 byte-order mark, accepted at the start of a file.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Why bytes could not be read as a map. The caller adds the file name.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("not UTF-8 text: invalid byte at line {line}, column {column}")]
    NotUtf8 { line: usize, column: usize },
    #[error("invalid JSON at line {line}, column {column}: {}", Escaped(message))]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a journeymap file: {}", Escaped(.0))]
    NotJourneymap(String),
    #[error(
        "written by a newer journeymap (format version {found}); this build reads versions up to {supported}: update journeymap to open it"
    )]
    NewerVersion { found: u64, supported: u64 },
    #[error("cannot upgrade from format version {from}: {}", Escaped(message))]
    Migration { from: u64, message: String },
    #[error("{}: {}", Escaped(path), Escaped(message))]
    Invalid { path: String, message: String },
    #[error("{}: {} over the limit of {limit}", Escaped(path), Escaped(what))]
    Limit {
        path: String,
        what: String,
        limit: usize,
    },
}

/// A map read from a file, with what was repaired on the way.
#[derive(Debug)]
pub struct Loaded {
    pub map: Map,
    /// One line per repair, naming what was changed and why.
    pub warnings: Vec<String>,
    /// The version the file had, when it was older than [`CURRENT_VERSION`].
    pub migrated_from: Option<u64>,
}

/// Reads a map from the bytes of a file, with the default [`Limits`].
pub fn parse(bytes: &[u8]) -> Result<Loaded, FormatError> {
    parse_with_limits(bytes, &Limits::default())
}

pub fn parse_with_limits(bytes: &[u8], limits: &Limits) -> Result<Loaded, FormatError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(FormatError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    // Editors on Windows start files with a byte-order mark; it is not written back.
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_column(&bytes[..err.valid_up_to()]);
        FormatError::NotUtf8 { line, column }
    })?;
    if text.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    let parsed = json::parse(text, &["format", "version"]).map_err(|err| FormatError::Json {
        line: err.line(),
        column: err.column(),
        message: json_message(&err),
    })?;
    if let Some(key) = parsed.top_key_duplicate {
        return Err(FormatError::Invalid {
            path: key.to_owned(),
            message: format!(
                "\"{key}\" is given twice at the top level; which one holds is unclear"
            ),
        });
    }
    let mut warnings = duplicate_warnings(&parsed);
    let Value::Object(mut object) = parsed.value else {
        return Err(FormatError::NotJourneymap(
            "the top level is not a JSON object".to_owned(),
        ));
    };
    let version = read_envelope(&object)?;
    let migrated_from = (version < CURRENT_VERSION).then_some(version);
    migrate::to_current(&mut object, version)?;
    object.remove("format");
    object.remove("version");
    limits.check(&object)?;
    numbers::stages_and_lanes(&mut object, &mut warnings);

    let raw_cards = match object.remove("cards") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(cards)) => cards,
        Some(other) => {
            return Err(FormatError::Invalid {
                path: "cards".to_owned(),
                message: format!("expected a list of cards, found {}", kind_of(&other)),
            });
        }
    };
    let mut map: Map = from_value(Value::Object(object))?;
    map.cards.reserve(raw_cards.len());
    let mut card_warnings = Vec::new();
    for (index, mut raw) in raw_cards.into_iter().enumerate() {
        numbers::card(&mut raw, index, &mut card_warnings);
        // Read plainly first; only a broken card pays for naming it and for the path
        // of its error.
        let card = match Card::deserialize(&raw) {
            Ok(card) => card,
            Err(_) => {
                let name = card_name(index, &raw);
                match from_value::<Card>(raw) {
                    Ok(card) => card,
                    Err(err) => {
                        // What was fixed in a dropped card no longer matters.
                        card_warnings.clear();
                        warnings.push(format!("{name} dropped: {err}"));
                        continue;
                    }
                }
            }
        };
        map.cards.push(card);
        warnings.append(&mut card_warnings);
    }
    repair::repair(&mut map, &mut warnings);
    Ok(Loaded {
        map,
        warnings,
        migrated_from,
    })
}

/// Warnings for keys given twice, where the last one was used.
fn duplicate_warnings(parsed: &json::Parsed) -> Vec<String> {
    let mut warnings: Vec<String> = (parsed.duplicates.iter())
        .map(|path| format!("{path}: the key is given twice; the last value is used"))
        .collect();
    match parsed.duplicate_count - parsed.duplicates.len() {
        0 => {}
        1 => warnings.push("1 more key is given twice; the last value is used".to_owned()),
        more => warnings.push(format!(
            "{more} more keys are given twice; the last value of each is used"
        )),
    }
    warnings
}

/// The file text of a map: pretty JSON, stable key order, trailing newline.
pub fn to_json(map: &Map) -> String {
    #[derive(Serialize)]
    struct Envelope<'a> {
        format: &'static str,
        version: u64,
        #[serde(flatten)]
        map: &'a Map,
    }
    let envelope = Envelope {
        format: FORMAT_NAME,
        version: CURRENT_VERSION,
        map,
    };
    // Serialising plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&envelope).unwrap_or_default();
    text.push('\n');
    text
}

fn read_envelope(object: &serde_json::Map<String, Value>) -> Result<u64, FormatError> {
    match object.get("format") {
        Some(Value::String(name)) if name == FORMAT_NAME => {}
        Some(other) => {
            return Err(FormatError::NotJourneymap(format!(
                "\"format\" is {other}, expected \"{FORMAT_NAME}\""
            )));
        }
        None => {
            return Err(FormatError::NotJourneymap(format!(
                "no \"format\": \"{FORMAT_NAME}\" key at the top level"
            )));
        }
    }
    let version = object
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| FormatError::Invalid {
            path: "version".to_owned(),
            message: "missing or not a whole number".to_owned(),
        })?;
    if version > CURRENT_VERSION {
        return Err(FormatError::NewerVersion {
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    Ok(version)
}

fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, FormatError> {
    serde_path_to_error::deserialize(value).map_err(|err| FormatError::Invalid {
        path: err.path().to_string(),
        message: err.into_inner().to_string(),
    })
}

/// How a warning names a card: its id and title when the raw value has them.
fn card_name(index: usize, raw: &Value) -> String {
    let field = |key: &str| raw.get(key).and_then(Value::as_str);
    match (field("id").map(Token), field("title").map(Quoted)) {
        (Some(id), Some(title)) => format!("card {id} {title}"),
        (Some(id), None) => format!("card {id}"),
        (None, Some(title)) => format!("card #{} {title}", index + 1),
        (None, None) => format!("card #{}", index + 1),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its trailing " at line L column C".
fn json_message(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// 1-based line and column (in characters) of the end of `prefix`.
fn line_column(prefix: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
