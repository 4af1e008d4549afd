//! Limits that protect the app from hostile or runaway files.

use super::FormatError;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Limits {
    pub max_file_bytes: u64,
    /// Characters in one string (title, notes, name...).
    pub max_string_chars: usize,
    /// Bytes of an embedded persona photo (a base64 data URL).
    pub max_photo_bytes: usize,
    /// Items in one list (cards, tags, goals...).
    pub max_items: usize,
    /// Cells of the grid, stages times lanes: each is laid out, even when empty.
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 32 * 1024 * 1024,
            max_string_chars: 100_000,
            max_photo_bytes: 6_000_000,
            max_items: 100_000,
            max_cells: 250_000,
        }
    }
}

impl Limits {
    /// Walks the whole document once; the first value over a limit is the error.
    pub(super) fn check(&self, object: &serde_json::Map<String, Value>) -> Result<(), FormatError> {
        let mut path = Vec::new();
        for (key, value) in object {
            path.push(Step::Key(key));
            self.check_value(key, value, &mut path)?;
            path.pop();
        }
        self.check_grid(object)
    }

    fn check_grid(&self, object: &serde_json::Map<String, Value>) -> Result<(), FormatError> {
        let count = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        let (stages, lanes) = (count("stages"), count("lanes"));
        let cells = stages.saturating_mul(lanes);
        if cells > self.max_cells {
            return Err(FormatError::Limit {
                path: "stages and lanes".to_owned(),
                what: format!("a grid of {stages} stages × {lanes} lanes ({cells} cells)"),
                limit: self.max_cells,
            });
        }
        Ok(())
    }

    fn check_value<'a>(
        &self,
        key: &str,
        value: &'a Value,
        path: &mut Vec<Step<'a>>,
    ) -> Result<(), FormatError> {
        let limit_error = |path: &[Step], what: String, limit: usize| FormatError::Limit {
            path: path
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("."),
            what,
            limit,
        };
        match value {
            Value::String(text) if key == "photo" => {
                if text.len() > self.max_photo_bytes {
                    let what = format!("a photo of {} bytes", text.len());
                    return Err(limit_error(path, what, self.max_photo_bytes));
                }
            }
            Value::String(text) => {
                // Bytes bound characters from above: count only when it matters.
                if text.len() > self.max_string_chars {
                    let chars = text.chars().count();
                    if chars > self.max_string_chars {
                        let what = format!("a text of {chars} characters");
                        return Err(limit_error(path, what, self.max_string_chars));
                    }
                }
            }
            Value::Array(items) => {
                if items.len() > self.max_items {
                    let what = format!("a list of {} items", items.len());
                    return Err(limit_error(path, what, self.max_items));
                }
                for (index, item) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    self.check_value(key, item, path)?;
                    path.pop();
                }
            }
            Value::Object(fields) => {
                for (field, item) in fields {
                    path.push(Step::Key(field));
                    self.check_value(field, item, path)?;
                    path.pop();
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
        Ok(())
    }
}

/// One step of the path to a value; spelled out only for an error, so the walk over a
/// large file allocates nothing.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl std::fmt::Display for Step<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Key(key) => f.write_str(key),
            Step::Index(index) => write!(f, "{index}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::format::{FormatError, parse};

    fn grid(stages: usize, lanes: usize) -> String {
        let ids = |prefix: &str, n: usize| {
            (0..n)
                .map(|i| format!(r#"{{"id": "{prefix}{i}"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        };
        format!(
            r#"{{"format": "journeymap", "version": 1, "stages": [{}], "lanes": [{}]}}"#,
            ids("s", stages),
            ids("l", lanes)
        )
    }

    #[test]
    fn a_grid_over_the_cell_limit_is_refused() {
        assert!(parse(grid(500, 500).as_bytes()).is_ok());
        let err = parse(grid(2_000, 2_000).as_bytes()).unwrap_err();
        assert!(matches!(err, FormatError::Limit { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "stages and lanes: a grid of 2000 stages × 2000 lanes (4000000 cells) over the limit of 250000"
        );
    }
}
