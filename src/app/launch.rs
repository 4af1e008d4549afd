//! Starting the window: wgpu by default, OpenGL (glow) when wgpu cannot start.

use super::{Document, JourneyApp};
use crate::render::theme;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Opens the editor window (on `file` when given) and runs until it closes; with
/// `first_frame_timer`, prints the time from it to the first painted frame and closes.
pub fn run(
    file: Option<PathBuf>,
    renderer: Option<String>,
    first_frame_timer: Option<Instant>,
) -> ExitCode {
    let requested = renderer.or_else(|| std::env::var("JOURNEYMAP_RENDERER").ok());
    let first = match requested.as_deref().map(str::parse::<eframe::Renderer>) {
        None => eframe::Renderer::default(),
        Some(Ok(renderer)) => renderer,
        Some(Err(err)) => {
            let err = crate::model::escape::Escaped(&err.to_string()).to_string();
            eprintln!("error: --renderer: {err} (use wgpu or glow)");
            return ExitCode::from(2);
        }
    };
    let document = match &file {
        None => None,
        Some(path) => match Document::open(path) {
            Ok(doc) => Some(doc),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(1);
            }
        },
    };
    let mut result = start(first, document, first_frame_timer);
    if matches!(result, Err(eframe::Error::Wgpu(_))) && requested.is_none() {
        eprintln!(
            "note: wgpu could not start ({}); trying OpenGL",
            describe(&result)
        );
        let reopened = file.as_deref().and_then(|path| Document::open(path).ok());
        result = start(eframe::Renderer::Glow, reopened, first_frame_timer);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: the window could not be opened: {err}");
            ExitCode::from(1)
        }
    }
}

fn describe(result: &eframe::Result) -> String {
    match result {
        Err(err) => err.to_string(),
        Ok(()) => String::new(),
    }
}

fn start(
    renderer: eframe::Renderer,
    document: Option<Document>,
    first_frame_timer: Option<Instant>,
) -> eframe::Result {
    let options = eframe::NativeOptions {
        renderer,
        viewport: egui::ViewportBuilder::default()
            .with_title("journeymap")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "journeymap",
        options,
        Box::new(move |cc| {
            theme::install_fonts(&cc.egui_ctx);
            let app = editor(cc, document);
            let app: Box<dyn eframe::App> = match first_frame_timer {
                Some(started) => Box::new(FirstFrameTimer {
                    app,
                    started,
                    printed: false,
                }),
                None => Box::new(app),
            };
            Ok(app)
        }),
    )
}

/// The editor for one painted frame: the next frame prints how long the first took
/// to reach the screen, then closes the window.
struct FirstFrameTimer {
    app: JourneyApp,
    started: Instant,
    /// Frames can still come while the window closes: the time is printed once.
    printed: bool,
}

impl eframe::App for FirstFrameTimer {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if ctx.cumulative_frame_nr() == 0 {
            self.app.ui(ui);
            ctx.request_repaint();
        } else if !self.printed {
            self.printed = true;
            let elapsed = self.started.elapsed();
            println!(
                "first frame painted after {:.1} ms",
                elapsed.as_secs_f64() * 1e3
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// The editor with the settings of the last run, drafts in the app's data folder and
/// the platform's file dialogs.
fn editor(cc: &eframe::CreationContext<'_>, document: Option<Document>) -> JourneyApp {
    let stored = cc
        .storage
        .and_then(|storage| storage.get_string(super::settings::STORAGE_KEY));
    let mut settings = super::Settings::from(stored);
    if let Some(path) = document.as_ref().and_then(|doc| doc.path.as_deref()) {
        settings.add_recent(path);
    }
    let app = JourneyApp::new(document).with_settings(settings);
    match crate::storage::drafts::Drafts::standard() {
        Some(drafts) => app.with_drafts(drafts, super::recovery::DRAFT_DELAY),
        None => app,
    }
}
