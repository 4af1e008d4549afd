//! File dialogs: native ones (rfd: the desktop portal, or zenity) run on a worker thread
//! and polled each frame, behind a trait so tests answer with paths of their own.
//!
//! When no dialog can be shown, the editor says so and asks for a path in a text field.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// What a file dialog is asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A map to open: `.journey.json` or an exported PNG.
    Open,
    /// Where to save the map.
    SaveMap {
        suggested: PathBuf,
    },
    /// An image or document file.
    Export {
        suggested: PathBuf,
        format: crate::export::Format,
    },
    ExportJson {
        suggested: PathBuf,
    },
    /// Where to write the cards as CSV.
    ExportCsv {
        suggested: PathBuf,
    },
    /// A CSV file of cards to import into the open map.
    ImportCsv,
    /// A folder for one PNG per slide.
    ExportSlides {
        suggested: PathBuf,
    },
    /// A picture for a persona.
    Photo,
}

impl Request {
    pub fn title(&self) -> &'static str {
        match self {
            Request::Open => "Open a journey map",
            Request::SaveMap { .. } => "Save the map as",
            Request::Export { format, .. } => match format {
                crate::export::Format::Png => "Export PNG",
                crate::export::Format::Svg => "Export SVG",
                crate::export::Format::Pdf => "Export PDF",
                crate::export::Format::Pptx => "Export PowerPoint",
            },
            Request::ExportJson { .. } => "Export JSON",
            Request::ExportCsv { .. } => "Export the cards as CSV",
            Request::ImportCsv => "Import cards from a CSV file",
            Request::ExportSlides { .. } => "Choose a folder for the slides",
            Request::Photo => "Choose a photo",
        }
    }

    /// The path the text field starts with when there is no dialog.
    pub fn suggested(&self) -> Option<&PathBuf> {
        match self {
            Request::SaveMap { suggested }
            | Request::Export { suggested, .. }
            | Request::ExportJson { suggested }
            | Request::ExportCsv { suggested }
            | Request::ExportSlides { suggested } => Some(suggested),
            Request::Open | Request::Photo | Request::ImportCsv => None,
        }
    }

    pub fn is_save(&self) -> bool {
        self.suggested().is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could be shown (no portal, no zenity).
    Unavailable,
}

/// Something that can ask the user for a path. `ask` blocks; it runs on a worker thread.
pub trait FileDialogs: Send + Sync {
    fn ask(&self, request: &Request) -> Answer;
}

/// The platform's dialogs through rfd.
pub struct NativeDialogs;

/// A dialog that answers "none" faster than this was never on screen: nobody cancels
/// a file dialog in a quarter of a second.
const NO_DIALOG: Duration = Duration::from_millis(250);

impl FileDialogs for NativeDialogs {
    fn ask(&self, request: &Request) -> Answer {
        if !dialogs_possible() {
            return Answer::Unavailable;
        }
        let mut dialog = rfd::FileDialog::new().set_title(request.title());
        dialog = match request {
            Request::Open => dialog
                .add_filter("Journey maps", &["json", "png", "svg", "pdf", "pptx"])
                .add_filter("All files", &["*"]),
            Request::SaveMap { .. } | Request::ExportJson { .. } => {
                dialog.add_filter("Journey map", &["json"])
            }
            Request::Export { format, .. } => {
                let kind = match format {
                    crate::export::Format::Png => "PNG image",
                    crate::export::Format::Svg => "SVG drawing",
                    crate::export::Format::Pdf => "PDF document",
                    crate::export::Format::Pptx => "PowerPoint deck",
                };
                dialog.add_filter(kind, &[format.extension()])
            }
            Request::ExportCsv { .. } => dialog.add_filter("CSV table", &["csv"]),
            Request::ImportCsv => dialog
                .add_filter("CSV or tab-separated", &["csv", "tsv", "txt"])
                .add_filter("All files", &["*"]),
            Request::ExportSlides { .. } => dialog,
            Request::Photo => dialog.add_filter("Images", &["png", "jpg", "jpeg"]),
        };
        if let Some(suggested) = request.suggested() {
            if let Some(folder) = suggested.parent().filter(|p| p.is_dir()) {
                dialog = dialog.set_directory(folder);
            }
            if let Some(name) = suggested.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
        }
        let started = Instant::now();
        let chosen = if matches!(request, Request::ExportSlides { .. }) {
            dialog.pick_folder()
        } else if request.is_save() {
            dialog.save_file()
        } else {
            dialog.pick_file()
        };
        match chosen {
            Some(path) => Answer::Chosen(path),
            None if started.elapsed() < NO_DIALOG => Answer::Unavailable,
            None => Answer::Cancelled,
        }
    }
}

/// On Linux and the BSDs a dialog needs a desktop portal (on the session bus) or zenity.
fn dialogs_possible() -> bool {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "dragonfly",
        target_os = "netbsd",
        target_os = "openbsd"
    )) {
        return true;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let zenity = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("zenity").is_file()));
    bus || zenity
}

/// The dialog in flight (at most one) and what its answer is for.
pub struct Dialogs<P> {
    backend: Arc<dyn FileDialogs>,
    pending: Option<(P, Request, Receiver<Answer>)>,
}

impl<P> Dialogs<P> {
    pub fn new(backend: Arc<dyn FileDialogs>) -> Self {
        Self {
            backend,
            pending: None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Opens a dialog on a worker thread; `false` when one is already open.
    pub fn ask(&mut self, ctx: &egui::Context, purpose: P, request: Request) -> bool {
        if self.pending.is_some() {
            return false;
        }
        let (sender, answer) = mpsc::channel();
        let backend = Arc::clone(&self.backend);
        let thread_request = request.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("file dialog".to_owned())
            .spawn(move || {
                let _ = sender.send(backend.ask(&thread_request));
                ctx.request_repaint();
            });
        if spawned.is_err() {
            return false;
        }
        self.pending = Some((purpose, request, answer));
        true
    }

    /// Forgets the dialog in flight: its answer, when it comes, is ignored.
    pub fn abandon(&mut self) {
        self.pending = None;
    }

    /// The answer, once the user has given it.
    pub fn poll(&mut self) -> Option<(P, Request, Answer)> {
        let (_, _, receiver) = self.pending.as_ref()?;
        let answer = match receiver.try_recv() {
            Ok(answer) => answer,
            Err(TryRecvError::Empty) => return None,
            // The worker died without answering: treat it as no dialog.
            Err(TryRecvError::Disconnected) => Answer::Unavailable,
        };
        let (purpose, request, _) = self.pending.take()?;
        Some((purpose, request, answer))
    }
}

/// Answers from a script, for tests: each request takes the next answer (or
/// `Cancelled` when the script is used up) and is recorded.
#[derive(Default)]
pub struct ScriptedDialogs {
    answers: std::sync::Mutex<std::collections::VecDeque<Answer>>,
    asked: std::sync::Mutex<Vec<Request>>,
}

impl ScriptedDialogs {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Arc<Self> {
        Arc::new(Self {
            answers: std::sync::Mutex::new(answers.into_iter().collect()),
            asked: std::sync::Mutex::default(),
        })
    }

    /// The requests made so far.
    pub fn asked(&self) -> Vec<Request> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn ask(&self, request: &Request) -> Answer {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(request.clone());
        }
        self.answers
            .lock()
            .ok()
            .and_then(|mut answers| answers.pop_front())
            .unwrap_or(Answer::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_arrives_through_poll_with_its_purpose() {
        let script = ScriptedDialogs::new([Answer::Chosen(PathBuf::from("/tmp/a.json"))]);
        let mut dialogs = Dialogs::new(script.clone());
        let ctx = egui::Context::default();
        assert!(dialogs.ask(&ctx, "open", Request::Open));
        assert!(!dialogs.ask(&ctx, "second", Request::Open), "one at a time");
        let answer = loop {
            if let Some(answer) = dialogs.poll() {
                break answer;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        assert_eq!(
            answer,
            (
                "open",
                Request::Open,
                Answer::Chosen(PathBuf::from("/tmp/a.json"))
            )
        );
        assert!(!dialogs.is_open());
        assert_eq!(script.asked(), [Request::Open]);
    }
}
