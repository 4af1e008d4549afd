//! File text made safe to show in a terminal or a message: the one place that decides
//! which characters are escaped and when text is quoted.
//!
//! A title, id or path from a file can hold ESC sequences, carriage returns, newlines
//! that forge an `error:` line, or bidi controls that reorder what is shown. Every
//! message that embeds such text goes through [`Escaped`], [`Quoted`] or [`Token`].

use std::fmt::{self, Write as _};

/// Text with every control character shown as a `\u{..}` escape, without quotes:
/// for paths and other text that stands alone.
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(pub &'a str);

/// Text in double quotes, escaped, with `"` and `\` escaped too, so that it can
/// neither leave its quotes nor pass for our own words.
#[derive(Clone, Copy, Debug)]
pub struct Quoted<'a>(pub &'a str);

/// An id or other short token: bare when it is plain (letters, digits, `-`, `_`,
/// `.`), [`Quoted`] otherwise (empty, spaces, punctuation, controls).
#[derive(Clone, Copy, Debug)]
pub struct Token<'a>(pub &'a str);

/// Whether `c` must not reach a terminal raw: C0 and C1 controls, DEL, the bidi
/// embeddings, overrides, isolates and marks, and the line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str, quoted: bool) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| is_unsafe(c) || (quoted && matches!(c, '"' | '\\'))) {
        f.write_str(&rest[..at])?;
        let c = rest[at..].chars().next().unwrap_or_default();
        match c {
            '"' | '\\' => {
                f.write_char('\\')?;
                f.write_char(c)?;
            }
            _ => write!(f, "\\u{{{:x}}}", c as u32)?,
        }
        rest = &rest[at + c.len_utf8()..];
    }
    f.write_str(rest)
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0, false)
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        write_escaped(f, self.0, true)?;
        f.write_char('"')
    }
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = !self.0.is_empty()
            && self
                .0
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if plain {
            f.write_str(self.0)
        } else {
            Quoted(self.0).fmt(f)
        }
    }
}

/// A path as a message shows it: lossy UTF-8, escaped.
pub fn path(path: &std::path::Path) -> String {
    Escaped(&path.to_string_lossy()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_are_escaped() {
        let text = "a\u{1b}[31mb\r\n\u{0}\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{2028}\u{2029}z";
        assert_eq!(
            Escaped(text).to_string(),
            r"a\u{1b}[31mb\u{d}\u{a}\u{0}\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{2028}\u{2029}z"
        );
    }

    #[test]
    fn quoted_text_cannot_leave_its_quotes() {
        assert_eq!(Quoted(r#"a" b\"#).to_string(), r#""a\" b\\""#);
        assert_eq!(Quoted("Café ☕").to_string(), "\"Café ☕\"");
    }

    #[test]
    fn plain_tokens_stay_bare_and_others_are_quoted() {
        assert_eq!(Token("c1").to_string(), "c1");
        assert_eq!(Token("étape-2.b_x").to_string(), "étape-2.b_x");
        assert_eq!(Token("").to_string(), "\"\"");
        assert_eq!(Token("c1: lane").to_string(), "\"c1: lane\"");
        assert_eq!(Token("c\u{1b}1").to_string(), r#""c\u{1b}1""#);
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        let text = "Ask – “why?” 😀 데이터 ‍👩‍💻 \u{ad}";
        assert_eq!(Escaped(text).to_string(), text);
    }

    #[test]
    fn no_unsafe_character_survives_any_input() {
        let every: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        for shown in [
            Escaped(&every).to_string(),
            Quoted(&every).to_string(),
            Token(&every).to_string(),
        ] {
            assert!(!shown.chars().any(is_unsafe));
        }
    }
}
