//! Copy as PNG on a real X server (Xvfb), read back with xclip as any other program
//! would: the clipboard offers `image/png`, holds the exporter's file byte for byte (so
//! the paste reopens as the map), stays after the editor quits, and gives way when
//! something else is copied. Needs Xvfb, xclip and xdotool, which `.ci/run` installs.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/x11.rs"]
mod x11;
use x11::{Running, require, wait_for, xvfb};

/// `xclip -selection clipboard -t TARGET -o`: what a pasting program receives.
fn paste(display: &str, target: &str) -> Option<Vec<u8>> {
    let output = Command::new("xclip")
        .args(["-selection", "clipboard", "-t", target, "-o"])
        .env("DISPLAY", display)
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

fn exported_png() -> Vec<u8> {
    let map = journeymap::templates::find("aida").unwrap().map().unwrap();
    journeymap::export::render_png(&map, &journeymap::export::ExportOptions::default()).unwrap()
}

#[test]
fn the_clipboard_helper_serves_the_exporters_file_as_image_png_until_replaced() {
    require(&["Xvfb", "xclip"]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("clipboard-helper");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (_xvfb, display) = xvfb(500, "1400x900");
    let png = exported_png();
    // Large enough that it goes in pieces (INCR), as big exports do.
    assert!(png.len() > 512 * 1024, "{} bytes", png.len());

    let mut helper = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(["serve-clipboard", "--type", "image/png"])
        .env("DISPLAY", &display)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    helper.stdin.take().unwrap().write_all(&png).unwrap();
    let mut line = String::new();
    BufReader::new(helper.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    let mut helper = Running(helper);

    let targets = String::from_utf8(paste(&display, "TARGETS").unwrap()).unwrap();
    assert!(targets.lines().any(|t| t == "image/png"), "{targets}");
    let pasted = paste(&display, "image/png").unwrap();
    assert!(
        pasted == png,
        "the paste is the exported file byte for byte"
    );
    // Twice: a second paste (another slide) gets the same.
    assert!(paste(&display, "image/png").unwrap() == png);

    // The pasted file reopens as the map.
    let file = dir.join("pasted.png");
    std::fs::write(&file, &pasted).unwrap();
    let back = dir.join("back.journey.json");
    let status = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(["export"])
        .arg(&file)
        .arg("--output")
        .arg(&back)
        .status()
        .unwrap();
    assert!(status.success());
    let map = journeymap::storage::load_file(&back).unwrap().map;
    assert_eq!(
        map.title,
        journeymap::templates::find("aida")
            .unwrap()
            .map()
            .unwrap()
            .title
    );

    // Copying something else ends the helper.
    let mut other = Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .env("DISPLAY", &display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    other
        .stdin
        .take()
        .unwrap()
        .write_all(b"other text")
        .unwrap();
    let _ = other.wait();
    wait_for("the helper to give way", Duration::from_secs(10), || {
        helper.0.try_wait().ok().flatten()
    });
    assert_eq!(paste(&display, "UTF8_STRING").unwrap(), b"other text");
}

#[test]
fn copy_as_png_in_the_real_window_stays_on_the_clipboard_after_quitting() {
    require(&["Xvfb", "xclip", "xdotool"]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("clipboard-window");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (_xvfb, display) = xvfb(600, "1400x900");
    let file = dir.join("aida.journey.json");
    let map = journeymap::templates::find("aida").unwrap().map().unwrap();
    journeymap::storage::save_map(&file, &map).unwrap();
    let mut app = Running(
        Command::new(env!("CARGO_BIN_EXE_journeymap"))
            .arg(&file)
            .args(["--renderer", "glow"])
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env_remove("JOURNEYMAP_DATA_DIR")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("app.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    let window = wait_for("the window", Duration::from_secs(90), || {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "journeymap"])
            .env("DISPLAY", &display)
            .output()
            .ok()?;
        String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .map(str::to_owned)
    });
    // Keys sent to a window that has no focus are dropped: focus it, then type.
    let key = |keys: &str| {
        let _ = Command::new("xdotool")
            .args(["windowfocus", "--sync", &window])
            .env("DISPLAY", &display)
            .status();
        let _ = Command::new("xdotool")
            .args(["key", "--clearmodifiers", keys])
            .env("DISPLAY", &display)
            .status();
    };
    // A fresh X server can drop the first key: press again until the copy is there.
    let expected = journeymap::export::render_png(&map, &Default::default()).unwrap();
    let mut pressed: Option<Instant> = None;
    let pasted = wait_for("the copy", Duration::from_secs(60), || {
        if pressed.is_none_or(|at| at.elapsed() > Duration::from_secs(8)) {
            key("alt+shift+c");
            pressed = Some(Instant::now());
        }
        paste(&display, "image/png").filter(|p| !p.is_empty())
    });
    assert!(pasted == expected, "the window copied the exporter's file");

    key("ctrl+q");
    wait_for("the editor to quit", Duration::from_secs(30), || {
        app.0.try_wait().ok().flatten()
    });
    let after = paste(&display, "image/png").expect("still on the clipboard after quitting");
    assert!(after == expected);
    // Leave no helper behind: copy something else, which ends it.
    let mut other = Command::new("xclip")
        .args(["-selection", "clipboard", "-i"])
        .env("DISPLAY", &display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    other.stdin.take().unwrap().write_all(b"done").unwrap();
    let _ = other.wait();
}
