//! File text never reaches the terminal raw: a sweep of every C0 and C1 control, DEL,
//! the bidi controls and the line separators, placed in every kind of text a message
//! can quote, and in the file's name.

use super::{journeymap, text};
use std::fs;
use std::process::Output;

/// What must never be printed raw (the binary's own `\n` line ends aside).
fn is_forbidden(c: char) -> bool {
    let code = c as u32;
    (code < 0x20 && c != '\n')
        || (0x7f..=0x9f).contains(&code)
        || (0x202a..=0x202e).contains(&code)
        || (0x2066..=0x2069).contains(&code)
        || code == 0x2028
        || code == 0x2029
}

fn sweep() -> Vec<char> {
    (0u32..0x20)
        .chain(0x7f..=0x9f)
        .chain(0x202a..=0x202e)
        .chain(0x2066..=0x2069)
        .chain([0x2028, 0x2029])
        .filter_map(char::from_u32)
        .collect()
}

/// A map whose titles, ids, names, colours and links all hold `c` followed by a
/// would-be forged line, each where a warning or the summary quotes it.
fn hostile_map(c: char) -> String {
    let bad = format!("{c}error: forged{c}\u{1b}[2J");
    let bad = serde_json::to_string(&bad).unwrap();
    let bad = &bad[1..bad.len() - 1];
    format!(
        r##"{{"format": "journeymap", "version": 1, "title": "Title{bad}",
        "personas": [{{"id": "p{bad}", "name": "Pat{bad}"}}, {{"id": "p{bad}", "name": "Sam{bad}"}}],
        "stages": [{{"id": "s1", "name": "Ask{bad}"}}, {{"id": "s1", "name": "Act{bad}"}}],
        "lanes": [{{"id": "l1", "name": "Touch{bad}", "kind": "cards"}},
                  {{"id": "l1", "name": "Pains{bad}", "kind": "cards"}}],
        "cards": [
          {{"id": "c{bad}", "stage": "s1", "lane": "l1", "title": "Linked{bad}",
            "link": "javascript:{bad}", "persona": "nobody{bad}"}},
          {{"id": "c2", "stage": "gone{bad}", "lane": "lost{bad}", "title": "Homeless{bad}"}},
          {{"id": "c3{bad}", "stage": "s1", "lane": "l1", "title": "Painted{bad}", "color": "#{bad}"}},
          {{"id": "c4", "stage": "s1", "lane": "l1", "title": "Sent{bad}", "channel": "fax{bad}"}},
          {{"id": "c{bad}", "stage": "s1", "lane": "l1", "title": "Twin{bad}"}},
          {{"stage": "s1", "lane": "l1", "title": "Nameless{bad}"}}
        ]}}"##
    )
}

/// No forbidden character anywhere, every stderr line one of ours, `errors` lines
/// starting `error:`, and the expected exit code.
fn assert_clean(output: &Output, what: &str, code: i32, errors: usize) {
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    let all = format!("{stdout}{stderr}");
    if let Some(raw) = all.chars().find(|&c| is_forbidden(c)) {
        panic!("{what}: U+{:04X} printed raw in {all:?}", raw as u32);
    }
    assert_eq!(output.status.code(), Some(code), "{what}: {all}");
    for line in stderr.lines() {
        let ours = ["error: ", "warning: ", "note: "]
            .iter()
            .any(|prefix| line.starts_with(prefix));
        assert!(ours, "{what}: a line not ours: {line:?}");
    }
    let error_lines = all.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(error_lines, errors, "{what}: {all}");
    assert!(
        all.contains("\\u{") || all.contains("\\\""),
        "{what}: nothing was escaped: {all}"
    );
}

#[test]
fn file_text_with_any_control_character_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    for c in sweep() {
        let what = format!("U+{:04X}", c as u32);
        // A file name cannot hold NUL or '/'; every other control goes in the name too.
        let name = match c {
            '\0' => "nul.journey.json".to_owned(),
            c => format!("map{c}error: forged{c}.journey.json"),
        };
        let path = dir.path().join(&name);
        fs::write(&path, hostile_map(c)).unwrap();
        let path = path.to_str().unwrap();

        let check = journeymap(&["check", path]);
        assert_clean(&check, &format!("check {what}"), 1, 1);
        assert_eq!(text(&check.stdout).lines().count(), 1, "{what}");
        assert!(text(&check.stderr).contains("dropped"), "{what}");

        let out = dir.path().join("out.journey.json");
        let export = journeymap(&["export", path, "--output", out.to_str().unwrap()]);
        assert_clean(&export, &format!("export {what}"), 0, 0);

        // An argument cannot hold NUL.
        if c != '\0' {
            let lanes = format!("Touch{c}error: forged");
            let png = dir.path().join(format!("out{c}.png"));
            let png_str = png.to_str().unwrap();
            let refused = journeymap(&["export", path, "--output", png_str, "--lanes", &lanes]);
            assert_clean(&refused, &format!("--lanes {what}"), 1, 1);
            assert!(!png.exists(), "{what}");
        }
        fs::remove_file(path).unwrap();
    }
}

#[test]
fn a_newline_in_a_dropped_card_cannot_forge_an_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.journey.json");
    let map = r#"{"format": "journeymap", "version": 1,
        "stages": [{"id": "s1", "name": "Ask"}], "lanes": [{"id": "l1", "name": "Touch"}],
        "cards": [{"id": "c1", "stage": "s1", "lane": "l1", "emotion": "x",
                   "title": "ok\nerror: the disk is on fire\n"}]}"#;
    fs::write(&path, map).unwrap();
    let out = dir.path().join("out.png");
    let output = journeymap(&[
        "export",
        path.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--scale",
        "1",
    ]);
    assert_clean(&output, "forged", 0, 0);
    assert!(text(&output.stderr).contains(r"ok\u{a}error: the disk is on fire\u{a}"));
}

#[test]
fn a_bad_flag_naming_controls_is_printed_escaped() {
    for flag in [
        "--\u{1b}]0;pwned\u{7}",
        "--x\u{9b}31m\u{202e}\u{85}",
        "--a\rerror: forged",
    ] {
        let output = journeymap(&["check", "a", flag]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(!stderr.chars().any(is_forbidden), "{stderr:?}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.lines().filter(|l| l.starts_with("error")).count(), 1);
    }
}
