//! Copy as PNG: the exporter's own PNG file on the system clipboard as `image/png`,
//! so a paste lands at its size (pHYs), in sRGB, and can be opened again as a map.
//! Behind a trait, so tests see the bytes that would reach the clipboard.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How the image reached the clipboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed {
    /// The PNG file itself, byte for byte.
    File,
    /// Only the pixels (the platform's clipboard encodes them again): the reason why.
    PixelsOnly(String),
}

/// Something that can hold a PNG for pasting. `put` may block briefly; it runs on the
/// export worker thread.
pub trait PngClipboard: Send + Sync {
    fn put(&self, ctx: &egui::Context, png: &[u8]) -> Result<Placed, String>;
}

/// The desktop's clipboard: on X11 (and XWayland) the file itself, served by a helper
/// process (`journeymap serve-clipboard`) that outlives the editor; otherwise the pixels
/// through egui.
pub struct SystemClipboard {
    helper: Option<PathBuf>,
}

impl SystemClipboard {
    /// With this program as the helper (the app; a test binary must not start itself).
    pub fn of_this_app() -> Self {
        Self {
            helper: std::env::current_exe().ok(),
        }
    }

    /// Pixels through egui only.
    pub fn pixels_only() -> Self {
        Self { helper: None }
    }
}

impl PngClipboard for SystemClipboard {
    fn put(&self, ctx: &egui::Context, png: &[u8]) -> Result<Placed, String> {
        let served = match &self.helper {
            Some(helper) => serve_file(helper, png),
            None => Err("the clipboard helper is not available".to_owned()),
        };
        let why = match served {
            Ok(()) => return Ok(Placed::File),
            Err(why) => why,
        };
        let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .map_err(|err| format!("cannot read the image back: {err}"))?
            .to_rgba8();
        let size = [image.width() as usize, image.height() as usize];
        ctx.copy_image(egui::ColorImage::from_rgba_unmultiplied(
            size,
            image.as_raw(),
        ));
        Ok(Placed::PixelsOnly(why))
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn serve_file(helper: &Path, png: &[u8]) -> Result<(), String> {
    use std::io::{BufRead, Write};
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
        return Err("no X11 display (DISPLAY is not set)".to_owned());
    }
    let mut child = Command::new(helper)
        .args(["serve-clipboard", "--type", "image/png"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // Its own process group: Ctrl+C in the editor's terminal leaves the clipboard.
        .process_group(0)
        .spawn()
        .map_err(|err| format!("cannot start the clipboard helper: {err}"))?;
    let wrote = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(png))
        .unwrap_or(Ok(()));
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
    }
    if wrote.is_ok() && line.trim() == "ready" {
        // Reap it when it exits (once something else is copied), so it leaves no zombie.
        let _ = std::thread::Builder::new()
            .name("clipboard helper".to_owned())
            .spawn(move || child.wait());
        return Ok(());
    }
    let _ = child.kill();
    let _ = child.wait();
    let why = line.trim().strip_prefix("error: ").unwrap_or("it stopped");
    Err(format!("the clipboard helper failed: {why}"))
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn serve_file(_helper: &Path, _png: &[u8]) -> Result<(), String> {
    Err("this platform's clipboard takes only pixels here".to_owned())
}

/// A clipboard that keeps what it was given (tests).
#[derive(Default)]
pub struct RecordingClipboard {
    pub copied: Mutex<Vec<Vec<u8>>>,
}

impl RecordingClipboard {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The PNG files put on the clipboard so far.
    pub fn copied(&self) -> Vec<Vec<u8>> {
        self.copied.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl PngClipboard for RecordingClipboard {
    fn put(&self, _ctx: &egui::Context, png: &[u8]) -> Result<Placed, String> {
        self.copied
            .lock()
            .map_err(|_| "the clipboard recorder is poisoned".to_owned())?
            .push(png.to_vec());
        Ok(Placed::File)
    }
}
