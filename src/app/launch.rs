//! Starting the window on the renderer that starts fastest on the platform, and on the
//! other one when that cannot start.

use super::JourneyApp;
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
        None => default_renderer(),
        Some(Ok(renderer)) => renderer,
        Some(Err(err)) => {
            let err = crate::model::escape::Escaped(&err.to_string()).to_string();
            eprintln!("error: --renderer: {err} (use wgpu or glow)");
            return ExitCode::from(2);
        }
    };
    let mut result = start(first, file.clone(), first_frame_timer);
    if let Some(other) = fallback(&result).filter(|_| requested.is_none()) {
        eprintln!(
            "note: {first} could not start ({}); trying {other}",
            describe(&result)
        );
        result = start(other, file, first_frame_timer);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: the window could not be opened: {err}");
            ExitCode::from(1)
        }
    }
}

/// OpenGL (glow) on Linux, where it reaches the first painted frame in well under half
/// the time of wgpu (README, "Performance"); eframe's default, wgpu, elsewhere, where
/// it was not measured.
pub fn default_renderer() -> eframe::Renderer {
    if cfg!(target_os = "linux") {
        eframe::Renderer::Glow
    } else {
        eframe::Renderer::default()
    }
}

/// The renderer to try when `result` is the other one failing to start.
fn fallback(result: &eframe::Result) -> Option<eframe::Renderer> {
    match result {
        Err(eframe::Error::Wgpu(_)) => Some(eframe::Renderer::Glow),
        Err(
            eframe::Error::Glutin(_)
            | eframe::Error::NoGlutinConfigs(..)
            | eframe::Error::OpenGL(_),
        ) => Some(eframe::Renderer::Wgpu),
        _ => None,
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
    file: Option<PathBuf>,
    first_frame_timer: Option<Instant>,
) -> eframe::Result {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("journeymap")
        .with_app_id("journeymap")
        .with_inner_size([1400.0, 900.0])
        .with_min_inner_size([640.0, 420.0]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        renderer,
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "journeymap",
        options,
        Box::new(move |cc| {
            theme::install_fonts(&cc.egui_ctx);
            let app = editor(cc, file);
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

/// The app icon (`assets/icons`), for the window and the task bar.
pub fn window_icon() -> Option<egui::IconData> {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/journeymap-256.png")).ok()
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
/// the platform's file dialogs, on `file` when given: a file that cannot be opened is
/// named with the reason in the window, over the template gallery.
fn editor(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> JourneyApp {
    let stored = cc
        .storage
        .and_then(|storage| storage.get_string(super::settings::STORAGE_KEY));
    let settings = super::Settings::from(stored);
    let clipboard = super::png_clipboard::SystemClipboard::of_this_app();
    let app = JourneyApp::new(None)
        .with_settings(settings)
        .with_png_clipboard(std::sync::Arc::new(clipboard));
    let mut app = match crate::storage::drafts::Drafts::standard() {
        Some(drafts) => app.with_drafts(drafts, super::recovery::DRAFT_DELAY),
        None => app,
    };
    if let Some(path) = file {
        app.open_path(path);
    }
    app
}
