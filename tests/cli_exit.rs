//! Every error path of the command line, through the real binary: bad input exits 1,
//! wrong flags exit 2, each with exactly one `error:` line, and a failure never writes
//! or touches an output file.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn template(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(format!("{id}.journey.json"))
}

/// What a folder holds: names, bytes and modification times.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            let bytes = if meta.is_file() {
                fs::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, bytes, meta.modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A folder with an older output already in it, for checking that nothing changes.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("old.journey.json");
    let png = dir.path().join("old.png");
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for path in [&json, &png] {
        fs::write(path, "older work").unwrap();
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
    (dir, json, png)
}

/// Fails with `code`, one `error:` line containing `problem`, nothing else on stdout,
/// and the folder exactly as it was.
fn assert_fails(dir: &Path, args: &[&str], code: i32, problem: &str) {
    let before = snapshot(dir);
    let output = journeymap(args);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    let errors: Vec<_> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{args:?}: {stderr}");
    assert!(errors[0].starts_with("error: "), "{args:?}: {stderr}");
    assert!(
        errors[0].contains(problem),
        "{args:?}: expected «{problem}» in {stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "{args:?}: {}",
        text(&output.stdout)
    );
    assert_eq!(snapshot(dir), before, "{args:?} changed the folder");
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| text(&out.stdout).trim() == "0")
}

#[test]
fn inputs_that_cannot_be_read_exit_1() {
    let (dir, json, png) = workspace();
    let (json, png) = (json.to_str().unwrap(), png.to_str().unwrap());
    let missing = dir.path().join("missing.journey.json");
    // Opening fails whoever runs it: a path through a file, as if it were a folder.
    let through_a_file = dir.path().join("old.png/map.journey.json");
    for (input, problem) in [
        (
            missing.to_str().unwrap(),
            "missing.journey.json: no such file",
        ),
        (through_a_file.to_str().unwrap(), "cannot read it"),
        (dir.path().to_str().unwrap(), "is a folder"),
    ] {
        assert_fails(dir.path(), &["check", input], 1, problem);
        assert_fails(dir.path(), &["export", input, "--output", json], 1, problem);
        assert_fails(dir.path(), &["export", input, "--output", png], 1, problem);
    }
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_exits_1() {
    use std::os::unix::fs::PermissionsExt;
    if running_as_root() {
        eprintln!("skipped: running as root, chmod 000 does not stop reading");
        return;
    }
    let (dir, json, _) = workspace();
    let locked = dir.path().join("locked.journey.json");
    fs::copy(template("blank"), &locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let locked = locked.to_str().unwrap();
    assert_fails(dir.path(), &["check", locked], 1, "permission denied");
    assert_fails(
        dir.path(),
        &["export", locked, "--output", json.to_str().unwrap()],
        1,
        "locked.journey.json",
    );
}

#[test]
fn outputs_that_cannot_be_written_exit_1() {
    let (dir, _, _) = workspace();
    let source = template("aida");
    let source = source.to_str().unwrap();
    let folder = dir.path().join("exports.png");
    fs::create_dir(&folder).unwrap();
    let missing = dir.path().join("no/such/folder/out.png");
    for (out, problem) in [
        (folder.to_str().unwrap(), "is a folder"),
        (missing.to_str().unwrap(), "does not exist"),
    ] {
        assert_fails(dir.path(), &["export", source, "--output", out], 1, problem);
        let json = out.replace(".png", ".journey.json");
        if Path::new(out).is_dir() {
            fs::create_dir(&json).unwrap();
        }
        assert_fails(
            dir.path(),
            &["export", source, "--output", &json],
            1,
            problem,
        );
        assert_fails(
            dir.path(),
            &["new", "--output", &json, "--force"],
            1,
            problem,
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_folder_exits_1() {
    let source = template("aida");
    let source = source.to_str().unwrap();
    // No one, root included, can make files in /proc.
    for out in [
        "/proc/journeymap-out.png",
        "/proc/journeymap-out.journey.json",
    ] {
        let output = journeymap(&["export", source, "--output", out]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{out}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {out}: cannot write it")),
            "{stderr}"
        );
        assert!(!Path::new(out).exists());
    }
    if running_as_root() {
        eprintln!("skipped the chmod 555 half: running as root, it does not stop writing");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let (dir, _, _) = workspace();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let out = locked.join("out.png");
    assert_fails(
        dir.path(),
        &["export", source, "--output", out.to_str().unwrap()],
        1,
        "cannot write it",
    );
}

#[test]
fn ranges_this_map_does_not_have_exit_1() {
    let (dir, _, png) = workspace();
    let png = png.to_str().unwrap();
    let source = template("aida");
    let source = source.to_str().unwrap();
    for (flag, value, problem) in [
        ("--stages", "3..9", "there is no stage 9 (the map has 4)"),
        ("--stages", "5", "there is no stage 5"),
        (
            "--stages",
            "Nowhere..Action",
            "there is no stage \"Nowhere\"",
        ),
        (
            "--stages",
            "Action..Interest",
            "\"Action\" comes after \"Interest\"",
        ),
        ("--lanes", "Touchpoints,Nope", "there is no lane \"Nope\""),
    ] {
        let args = ["export", source, "--output", png, flag, value];
        assert_fails(dir.path(), &args, 1, problem);
        assert_fails(dir.path(), &args, 1, "aida.journey.json: ");
    }
}

#[test]
fn a_map_with_nothing_to_draw_exits_1() {
    let (dir, _, png) = workspace();
    let png = png.to_str().unwrap();
    let empty = dir.path().join("empty.journey.json");
    for body in [
        r#""stages": [], "lanes": [{"id": "l1", "name": "Touch"}]"#,
        r#""stages": [{"id": "s1", "name": "Ask"}], "lanes": []"#,
        r#""title": "Nothing""#,
    ] {
        fs::write(
            &empty,
            format!(r#"{{"format": "journeymap", "version": 1, {body}}}"#),
        )
        .unwrap();
        let args = ["export", empty.to_str().unwrap(), "--output", png];
        assert_fails(dir.path(), &args, 1, "nothing to export");
    }
}

#[test]
fn wrong_flags_exit_2() {
    let (dir, json, png) = workspace();
    let (json, png) = (json.to_str().unwrap(), png.to_str().unwrap());
    let source = template("aida");
    let source = source.to_str().unwrap();
    for args in [
        vec!["new", "--template", "nope", "--output", json],
        vec!["new", "--template", "nope", "--output", json, "--force"],
        vec!["check"],
        vec!["check", source, "--frobnicate"],
        vec!["export", source],
        vec!["export", source, "--output", "out.docx"],
        vec!["export", source, "--output", png, "--scale", "9"],
        vec!["export", source, "--output", png, "--stages", "4..2"],
        vec!["export", source, "--output", png, "--stages", "0..2"],
        vec!["export", source, "--output", png, "--stages", "..3"],
        vec!["wibble", "extra"],
    ] {
        let before = snapshot(dir.path());
        let output = journeymap(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        let errors = stderr.lines().filter(|l| l.starts_with("error")).count();
        assert_eq!(errors, 1, "{args:?}: {stderr}");
        assert_eq!(snapshot(dir.path()), before, "{args:?} changed the folder");
    }
}

#[test]
fn new_never_replaces_a_file_without_force() {
    let (dir, json, _) = workspace();
    let json = json.to_str().unwrap();
    assert_fails(
        dir.path(),
        &["new", "--template", "blank", "--output", json],
        1,
        "already exists",
    );
    let output = journeymap(&["new", "--template", "blank", "--output", json, "--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn a_bad_map_leaves_an_existing_output_untouched() {
    let (dir, json, png) = workspace();
    let broken = dir.path().join("broken.journey.json");
    fs::write(&broken, "{\"format\": \"journeymap\", \"version\": 1,").unwrap();
    let broken = broken.to_str().unwrap();
    for out in [json.to_str().unwrap(), png.to_str().unwrap()] {
        assert_fails(
            dir.path(),
            &["export", broken, "--output", out],
            1,
            "invalid JSON",
        );
    }
    assert_fails(
        dir.path(),
        &["check", broken],
        1,
        "broken.journey.json: invalid JSON",
    );
}
