//! A bare eframe window with the editor's window options and eframe features, for
//! comparing startup times: `--exit-after-first-frame` prints the time from the start
//! of `main` to the first painted frame and closes, as the editor's flag does.
//! It starts on the editor's default renderer (OpenGL on Linux, wgpu elsewhere);
//! `JOURNEYMAP_RENDERER=glow|wgpu` picks one, as for the editor.

use std::time::Instant;

struct Bare {
    started: Instant,
    exit_after_first_frame: bool,
    printed: bool,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if !self.exit_after_first_frame {
            ui.label("A bare eframe window");
        } else if ctx.cumulative_frame_nr() == 0 {
            ui.label("A bare eframe window");
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

fn main() -> eframe::Result {
    let started = Instant::now();
    let exit_after_first_frame = std::env::args().any(|a| a == "--exit-after-first-frame");
    // The same choice of renderer as the editor's, so both start on the same backend.
    let renderer = match std::env::var("JOURNEYMAP_RENDERER").ok().as_deref() {
        Some("glow") => eframe::Renderer::Glow,
        Some("wgpu") => eframe::Renderer::Wgpu,
        _ => journeymap::app::default_renderer(),
    };
    let options = eframe::NativeOptions {
        renderer,
        viewport: egui::ViewportBuilder::default()
            .with_title("bare window")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    eframe::run_native(
        "bare_window",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(Bare {
                started,
                exit_after_first_frame,
                printed: false,
            }))
        }),
    )
}
