//! Starting the window: wgpu by default, OpenGL (glow) when wgpu cannot start.

use super::{Document, JourneyApp};
use crate::render::theme;
use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the editor window (on `file` when given) and runs until it closes.
pub fn run(file: Option<PathBuf>, renderer: Option<String>) -> ExitCode {
    let requested = renderer.or_else(|| std::env::var("JOURNEYMAP_RENDERER").ok());
    let first = match requested.as_deref().map(str::parse::<eframe::Renderer>) {
        None => eframe::Renderer::default(),
        Some(Ok(renderer)) => renderer,
        Some(Err(err)) => {
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
    let mut result = start(first, document);
    if matches!(result, Err(eframe::Error::Wgpu(_))) && requested.is_none() {
        eprintln!(
            "note: wgpu could not start ({}); trying OpenGL",
            describe(&result)
        );
        let reopened = file.as_deref().and_then(|path| Document::open(path).ok());
        result = start(eframe::Renderer::Glow, reopened);
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

fn start(renderer: eframe::Renderer, document: Option<Document>) -> eframe::Result {
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
            Ok(Box::new(JourneyApp::new(document)))
        }),
    )
}
