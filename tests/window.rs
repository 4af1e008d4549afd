//! The real window under Xvfb: open the 5a map, drag a card with the X server's own
//! pointer (xdotool), save with Ctrl+S, and check the file on disk. Runs with both
//! renderers (glow, and wgpu on lavapipe). Needs Xvfb and xdotool, which `.ci/run`
//! installs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "export_vector/compare.rs"]
mod compare;
#[path = "support/x11.rs"]
mod x11;
use x11::{Running, require, wait_for, xvfb};

fn xdotool(display: &str, args: &[&str]) -> String {
    let output = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn rect_center(value: &serde_json::Value) -> (f64, f64) {
    let r: Vec<f64> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    ((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0)
}

fn drag_and_save(renderer: &str, first_display: u32, dir: &Path) {
    let (_xvfb, display) = xvfb(first_display, "1600x1000");
    let file = dir.join(format!("{renderer}.journey.json"));
    std::fs::write(&file, journeymap::templates::find("5a").unwrap().json).unwrap();
    let dump = dir.join(format!("{renderer}-layout.json"));
    let _app = Running(
        Command::new(env!("CARGO_BIN_EXE_journeymap"))
            .arg(&file)
            .args(["--renderer", renderer])
            .env("DISPLAY", &display)
            .env("JOURNEYMAP_LAYOUT_DUMP", &dump)
            // Settings and drafts of its own: no recovery prompt from another run.
            .env("XDG_DATA_HOME", dir.join(format!("{renderer}-data")))
            .env_remove("JOURNEYMAP_DATA_DIR")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join(format!("{renderer}.log"))).expect("log file"))
            .spawn()
            .expect("journeymap starts"),
    );
    let geometry: serde_json::Value = wait_for("the first frame", Duration::from_secs(90), || {
        serde_json::from_str(&std::fs::read_to_string(&dump).ok()?).ok()
    });
    let window = wait_for("the window", Duration::from_secs(30), || {
        let id = xdotool(
            &display,
            &["search", "--onlyvisible", "--name", "journeymap"],
        );
        id.lines().next().map(str::to_owned)
    });
    let origin = xdotool(&display, &["getwindowgeometry", "--shell", &window]);
    let field = |name: &str| -> f64 {
        origin
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let (wx, wy) = (field("X"), field("Y"));

    let map = journeymap::templates::find("5a").unwrap().map().unwrap();
    let card = map
        .cards
        .iter()
        .find(|c| c.stage.as_str() == "aware" && c.lane.as_str() == "touchpoints")
        .unwrap();
    let cell = geometry["cells"]
        .as_array()
        .unwrap()
        .iter()
        // A map opens at 100 % on its top left: the target is a cell in that first view.
        .find(|c| c["stage"] == "appeal" && c["lane"] == "actions")
        .unwrap();
    let target_rect: Vec<f64> = cell["rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let (tx, ty) = (
        (target_rect[0] + target_rect[2]) / 2.0,
        target_rect[3] - 6.0,
    );

    let at = |x: f64, y: f64| {
        [
            format!("{}", (wx + x).round()),
            format!("{}", (wy + y).round()),
        ]
    };
    xdotool(&display, &["windowfocus", "--sync", &window]);
    let inside_target = |geometry: &serde_json::Value| {
        let (x, y) = rect_center(&geometry["cards"][card.id.as_str()]);
        x > target_rect[0] && x < target_rect[2] && y > target_rect[1]
    };
    let read_dump = || {
        std::fs::read_to_string(&dump)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    };
    // Let a software renderer settle after its first frame, and retry a drag that its
    // first frames did not take (each try starts from where the card is now).
    std::thread::sleep(Duration::from_secs(2));
    for attempt in 1..=3 {
        let now = read_dump().unwrap_or_else(|| geometry.clone());
        if inside_target(&now) {
            break;
        }
        let (cx, cy) = rect_center(&now["cards"][card.id.as_str()]);
        let [x, y] = at(cx, cy);
        xdotool(&display, &["mousemove", "--sync", &x, &y]);
        std::thread::sleep(Duration::from_millis(300 * attempt));
        xdotool(&display, &["mousedown", "1"]);
        std::thread::sleep(Duration::from_millis(200 * attempt));
        for step in 1..=10 {
            let t = step as f64 / 10.0;
            let [x, y] = at(cx + (tx - cx) * t, cy + (ty - cy) * t);
            xdotool(&display, &["mousemove", "--sync", &x, &y]);
            std::thread::sleep(Duration::from_millis(60 * attempt));
        }
        std::thread::sleep(Duration::from_millis(200 * attempt));
        xdotool(&display, &["mouseup", "1"]);
        let start = Instant::now();
        let mut moved = false;
        while start.elapsed() < Duration::from_secs(5) && !moved {
            std::thread::sleep(Duration::from_millis(100));
            moved = read_dump().is_some_and(|geometry| inside_target(&geometry));
        }
        if moved {
            eprintln!("{renderer}: the card landed (attempt {attempt})");
            break;
        }
        eprintln!("{renderer}: the drag did not land (attempt {attempt})");
    }
    // A picture to look at, where ImageMagick is installed (it is not needed to pass).
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("window-{renderer}.png"));
    let taken = Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .env("DISPLAY", &display)
        .status();
    if taken.is_ok_and(|status| status.success()) {
        eprintln!("screenshot: {}", shot.display());
    }

    // A fresh X server can drop the very first key event: press Ctrl+S again until saved.
    let backup = journeymap::storage::backup_path(&file);
    let mut saved = None;
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(500));
        xdotool(&display, &["key", "--clearmodifiers", "ctrl+s"]);
        let start = Instant::now();
        while saved.is_none() && start.elapsed() < Duration::from_secs(4) {
            std::thread::sleep(Duration::from_millis(100));
            if backup.exists() {
                saved = journeymap::storage::load_file(&file)
                    .ok()
                    .map(|loaded| loaded.map);
            }
        }
        if saved.is_some() {
            break;
        }
    }
    let Some(saved) = saved else {
        let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("window-{renderer}-unsaved.png"));
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(&shot)
            .env("DISPLAY", &display)
            .status();
        panic!(
            "{renderer}: Ctrl+S never saved the map (screen: {})",
            shot.display()
        );
    };
    let moved = saved.card(&card.id).unwrap();
    assert_eq!(
        (moved.stage.as_str(), moved.lane.as_str()),
        ("appeal", "actions"),
        "{renderer}"
    );
}

#[test]
fn drag_a_card_and_save_in_the_real_window() {
    require(&["Xvfb", "xdotool"]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    drag_and_save("glow", 90, &dir);
    drag_and_save("wgpu", 200, &dir);
}

#[test]
fn a_bad_file_on_the_command_line_opens_the_window_anyway() {
    require(&["Xvfb", "xdotool"]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window-bad-file");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("broken.journey.json");
    std::fs::write(&bad, "{\"format\": \"journeymap\", \"version\": 1,").unwrap();
    let (_xvfb, display) = xvfb(400, "1400x900");
    // The first frame is painted (the gallery with the error over it), then it closes.
    let output = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .arg("--exit-after-first-frame")
        .arg(&bad)
        .args(["--renderer", "glow"])
        .env("DISPLAY", &display)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("JOURNEYMAP_DATA_DIR")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("journeymap runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("first frame painted"), "{stdout}{stderr}");
}

/// F5 in the real window: the window goes full screen (a window manager does that, so
/// openbox runs on the X server, as on any desktop), PageDown steps three times, and the
/// screen then shows that step exactly as the deck draws it.
#[test]
fn f5_presents_full_screen_and_page_down_steps_through_the_storyboard() {
    require(&["Xvfb", "xdotool", "openbox", "import"]);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window-present");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (_xvfb, display) = xvfb(500, "1920x1080");
    let _wm = Running(
        Command::new("openbox")
            .env("DISPLAY", &display)
            .env("HOME", &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox starts"),
    );
    let file = dir.join("5a.journey.json");
    let map = journeymap::templates::find("5a").unwrap().map().unwrap();
    std::fs::write(&file, journeymap::model::format::to_json(&map)).unwrap();
    let dump = dir.join("dump.json");
    let _app = Running(
        Command::new(env!("CARGO_BIN_EXE_journeymap"))
            .arg(&file)
            .args(["--renderer", "glow"])
            .env("DISPLAY", &display)
            .env("JOURNEYMAP_LAYOUT_DUMP", &dump)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env_remove("JOURNEYMAP_DATA_DIR")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("app.log")).expect("log file"))
            .spawn()
            .expect("journeymap starts"),
    );
    let read_dump = || {
        std::fs::read_to_string(&dump)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    };
    wait_for("the first frame", Duration::from_secs(90), read_dump);
    let window = wait_for("the window", Duration::from_secs(30), || {
        let id = xdotool(
            &display,
            &["search", "--onlyvisible", "--name", "journeymap"],
        );
        id.lines().next().map(str::to_owned)
    });
    xdotool(&display, &["windowfocus", "--sync", &window]);
    std::thread::sleep(Duration::from_secs(1));
    // A key the fresh server drops is pressed again; each press is seen before the next.
    let press_until = |key: &str, step: u64| {
        for _ in 0..5 {
            xdotool(&display, &["key", key]);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(3) {
                std::thread::sleep(Duration::from_millis(100));
                if read_dump().is_some_and(|d| d["present"]["step"] == step) {
                    return;
                }
            }
        }
        panic!("{key} never reached step {}: {:?}", step + 1, read_dump());
    };
    press_until("F5", 0);
    let geometry = xdotool(&display, &["getwindowgeometry", "--shell", &window]);
    wait_for("the full screen", Duration::from_secs(10), || {
        read_dump()
            .filter(|d| d["present"]["screen"] == serde_json::json!([1920.0, 1080.0]))
            .map(|_| ())
    });
    for step in 1..=3 {
        press_until("Next", step);
    }
    let present = read_dump().unwrap()["present"].clone();
    assert_eq!(present["name"], map.stages[1].name.as_str(), "{present}");
    // The camera has landed and the step counter has faded once the keys are still.
    std::thread::sleep(Duration::from_secs(4));
    let shot = dir.join("presenting.png");
    let taken = Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .env("DISPLAY", &display)
        .status()
        .expect("import runs");
    assert!(taken.success());
    eprintln!("screenshot: {} ({geometry})", shot.display());
    let screen = image::open(&shot).expect("the screenshot").to_rgba8();
    let options = journeymap::export::deck::DeckOptions {
        scale: 1.0,
        mode: None,
    };
    let pixels = journeymap::export::deck::render_step(&map, &options, 3).expect("step 4");
    let slide = image::RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba).unwrap();
    let difference = compare::compare(&slide, &screen);
    assert!(
        difference.is_close(1.0),
        "the screen is not the deck's slide 4: {difference} (screenshot {})",
        shot.display()
    );
}
