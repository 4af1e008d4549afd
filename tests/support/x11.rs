//! A real X server for tests: Xvfb on a free display, the programs run on it, and
//! waiting for what they do. The X tools are required, as `.ci/run` installs them: a
//! test that cannot run fails and says what to install, rather than passing unseen.

// Each test file uses its own part of this.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Fails the test unless every program is on the PATH.
pub fn require(programs: &[&str]) {
    for program in programs {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "this test needs {program}: apt-get install xvfb xdotool xclip (.ci/run installs them)"
        );
    }
}

/// A process killed when the test ends, however it ends.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An X server of its own, `size` ("1400x900"), on the first display from `first` that
/// no other server holds. Tests that run at once start from different numbers.
pub fn xvfb(first: u32, size: &str) -> (Running, String) {
    let number = (first..first + 100)
        .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .expect("a free display");
    let display = format!(":{number}");
    let screen = format!("{size}x24");
    let server = Command::new("Xvfb")
        .args([&display, "-screen", "0", &screen, "-nolisten", "tcp"])
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let running = Running(server);
    wait_for("the X server", Duration::from_secs(10), || {
        Path::new(&format!("/tmp/.X11-unix/X{number}"))
            .exists()
            .then_some(())
    });
    (running, display)
}
