//! The command line against hostile input, through the real binary: devices and pipes
//! that never end, files at the size limit, and file text full of terminal controls.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const LIMIT: usize = 32 * 1024 * 1024;
const GIB: u64 = 1024 * 1024 * 1024;

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The binary with its address space capped at 1 GiB, when `prlimit` is there: running
/// out of memory would then abort it instead of exiting 1.
fn journeymap_within_1_gib(args: &[&str]) -> Output {
    let prlimit = Path::new("/usr/bin/prlimit");
    if !prlimit.exists() {
        eprintln!("prlimit is missing: running without a memory cap");
        return journeymap(args);
    }
    Command::new(prlimit)
        .arg(format!("--as={GIB}"))
        .arg(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("prlimit runs the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn template(id: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(format!("{id}.journey.json"));
    fs::read_to_string(path).expect("the template is there")
}

/// Exit 1 (not a signal), one `error:` line containing `problem`, and no panic.
fn assert_refused(output: &Output, what: &str, problem: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    let errors: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{what}: {stderr}");
    assert!(
        errors[0].contains(problem),
        "{what}: expected «{problem}» in {stderr}"
    );
}

/// The commands that read an input: check, and both kinds of export into `dir`.
fn reading_commands(input: &str, dir: &Path) -> Vec<Vec<String>> {
    let out = |name: &str| dir.join(name).to_string_lossy().into_owned();
    vec![
        vec!["check".into(), input.into()],
        vec![
            "export".into(),
            input.into(),
            "--output".into(),
            out("x.png"),
        ],
        vec![
            "export".into(),
            input.into(),
            "--output".into(),
            out("x.journey.json"),
        ],
    ]
}

fn run(args: &[String]) -> Output {
    journeymap_within_1_gib(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[cfg(unix)]
#[test]
fn endless_devices_are_read_only_up_to_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    for device in ["/dev/zero", "/dev/urandom"] {
        for args in reading_commands(device, dir.path()) {
            let output = run(&args);
            assert_refused(&output, &format!("{args:?}"), "over the limit");
            assert_eq!(
                fs::read_dir(dir.path()).unwrap().count(),
                0,
                "{args:?} wrote"
            );
        }
    }
    let output = run(&["check".into(), "/dev/null".into()]);
    assert_refused(&output, "/dev/null", "the file is empty");
}

#[test]
fn a_folder_is_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("maps");
    fs::create_dir(&input).unwrap();
    for args in reading_commands(input.to_str().unwrap(), dir.path()) {
        assert_refused(&journeymap_args(&args), &format!("{args:?}"), "is a folder");
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn journeymap_args(args: &[String]) -> Output {
    journeymap(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A valid map padded with spaces to exactly `size` bytes.
fn map_of_size(size: usize) -> Vec<u8> {
    let mut bytes = template("blank").into_bytes();
    assert!(bytes.len() < size);
    let closing = bytes.iter().rposition(|&b| b == b'}').unwrap();
    bytes.truncate(closing);
    bytes.resize(size - 2, b' ');
    bytes.extend(b"}\n");
    assert_eq!(bytes.len(), size);
    bytes
}

#[test]
fn files_one_byte_under_at_and_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.journey.json");
    let path_str = path.to_str().unwrap();
    for (size, loads) in [(LIMIT - 1, true), (LIMIT, true), (LIMIT + 1, false)] {
        fs::write(&path, map_of_size(size)).unwrap();
        let output = journeymap_within_1_gib(&["check", path_str]);
        if loads {
            assert_eq!(
                output.status.code(),
                Some(0),
                "{size}: {}",
                text(&output.stderr)
            );
        } else {
            assert_refused(
                &output,
                &size.to_string(),
                "over the limit of 33554432 bytes",
            );
        }
    }
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

/// Opens the pipe for writing (waiting for the reader) and writes `chunk` `times` times
/// or until the reader goes away.
#[cfg(unix)]
fn feed(path: PathBuf, chunk: Vec<u8>, times: usize) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let Ok(mut pipe) = fs::OpenOptions::new().write(true).open(&path) else {
            return 0;
        };
        (0..times)
            .take_while(|_| pipe.write_all(&chunk).is_ok())
            .count()
    })
}

#[cfg(unix)]
#[test]
fn a_pipe_that_never_ends_is_refused_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("endless.journey.json");
    make_fifo(&fifo);
    for (args, filler) in [
        (vec!["check".to_owned()], b'{'),
        (vec!["check".to_owned()], b' '),
        (
            vec![
                "export".to_owned(),
                "--output".to_owned(),
                dir.path().join("x.png").to_string_lossy().into_owned(),
            ],
            b'a',
        ),
    ] {
        // "Forever": far more than the limit; the binary stops reading long before.
        let writer = feed(fifo.clone(), vec![filler; 64 * 1024], 1 << 20);
        let mut args = args;
        args.insert(1, fifo.to_string_lossy().into_owned());
        let output = run(&args);
        assert_refused(&output, &format!("{args:?}"), "not a regular file");
        let written = writer.join().unwrap() * 64 * 1024;
        assert!(
            written <= LIMIT + 2 * 1024 * 1024,
            "{written} bytes were taken"
        );
    }
    assert!(!dir.path().join("x.png").exists());
}

#[cfg(unix)]
#[test]
fn a_pipe_that_gives_a_valid_map_is_read_like_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("piped.journey.json");
    make_fifo(&fifo);
    let map = template("aida").into_bytes();

    let writer = feed(fifo.clone(), map.clone(), 1);
    let output = journeymap(&["check", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("4 stages"),
        "{}",
        text(&output.stdout)
    );

    let out = dir.path().join("copy.journey.json");
    let writer = feed(fifo.clone(), map.clone(), 1);
    let output = journeymap(&[
        "export",
        fifo.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        fs::read(&out).unwrap(),
        map,
        "the normalised copy of a template"
    );

    // Through the shell's own kind of pipe too: `check /dev/stdin < map`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(["check", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&map).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_pipe_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.journey.json");
    make_fifo(&fifo);
    let source = dir.path().join("in.journey.json");
    fs::write(&source, template("blank")).unwrap();
    for out in ["out.journey.json", "out.png"] {
        let out = dir.path().join(out);
        if !out.exists() {
            make_fifo(&out);
        }
        let output = journeymap(&[
            "export",
            source.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_refused(&output, &out.to_string_lossy(), "not a regular file");
        let kind = fs::symlink_metadata(&out).unwrap().file_type();
        assert!(
            std::os::unix::fs::FileTypeExt::is_fifo(&kind),
            "the pipe was replaced"
        );
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[path = "cli_hostile/escape.rs"]
mod escape;

/// A zip of `entries`, deflated, as a hostile `.pptx` would be made.
fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).expect("a zip entry");
        writer.write_all(bytes).expect("zip bytes");
    }
    writer.finish().expect("a zip").into_inner()
}

#[test]
fn a_deck_opens_as_its_map_and_a_hostile_package_is_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("5a.journey.json");
    fs::write(&map, template("5a")).unwrap();
    let deck = dir.path().join("deck.pptx");
    let (map_arg, deck_arg) = (map.to_str().unwrap(), deck.to_str().unwrap());
    let made = journeymap(&["export", map_arg, "--output", deck_arg]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    // The deck carries its map: checked, and exported back to the same JSON.
    let back = dir.path().join("back.journey.json");
    let out = journeymap(&["export", deck_arg, "--output", back.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let normalised = dir.path().join("normalised.journey.json");
    let out = journeymap(&["export", map_arg, "--output", normalised.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(fs::read(&back).unwrap(), fs::read(&normalised).unwrap());
    assert!(journeymap(&["check", deck_arg]).status.success());

    let map_part = "journeymap/map.json";
    let spaces = vec![b' '; 40 * 1024 * 1024];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.pptx", zipped(&[(map_part, &spaces)]), "MB"),
        (
            "climbs.pptx",
            zipped(&[("../../evil.sh", b"x"), (map_part, b"{}")]),
            "points outside the package",
        ),
        (
            "rooted.pptx",
            zipped(&[("/etc/evil", b"x"), (map_part, b"{}")]),
            "points outside the package",
        ),
        (
            "other.pptx",
            zipped(&[("ppt/presentation.xml", b"<p/>")]),
            "holds no journeymap map",
        ),
        (
            "broken.pptx",
            b"PK\x03\x04 not really a zip".to_vec(),
            "not a PowerPoint file",
        ),
        ("notamap.pptx", zipped(&[(map_part, b"{\"map\": ")]), "deck"),
    ];
    for (name, bytes, problem) in cases {
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        let out_dir = dir.path().join(format!("{name}.out"));
        fs::create_dir(&out_dir).unwrap();
        for args in reading_commands(path.to_str().unwrap(), &out_dir) {
            let output = run(&args);
            // The map part that is not JSON names the file; every other reason is its own.
            let problem = if problem == "deck" { name } else { problem };
            assert_refused(&output, &format!("{name}: {}", args[0]), problem);
        }
        assert_eq!(
            fs::read_dir(&out_dir).unwrap().count(),
            0,
            "{name}: something was written"
        );
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name} was changed");
    }
}
