//! One full editor frame (egui pass with the canvas and inspector, plus tessellation;
//! no GPU) of maps of several sizes, next to the frame of an empty canvas measured in
//! the same run.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::app::{Document, JourneyApp};
use journeymap::model::Map;
use journeymap::render::theme;
use std::hint::black_box;

struct Frame {
    ctx: egui::Context,
    app: JourneyApp,
}

impl Frame {
    fn new(map: Map) -> Self {
        let ctx = egui::Context::default();
        theme::install_fonts(&ctx);
        let mut frame = Self {
            ctx,
            app: JourneyApp::new(Some(Document::new(map))),
        };
        // Warm up: fonts, the layout and the zoom-to-fit happen in the first frames.
        for _ in 0..3 {
            frame.run();
        }
        frame
    }

    fn input() -> egui::RawInput {
        egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 1000.0),
            )),
            ..Default::default()
        }
    }

    fn run(&mut self) -> usize {
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(Self::input(), |ui| app.ui(ui));
        output.textures_delta.clear();
        let primitives = self
            .ctx
            .tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        primitives.len()
    }
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    let maps = [
        ("empty_canvas", Map::default()),
        (
            "5a",
            journeymap::templates::find("5a").unwrap().map().unwrap(),
        ),
        ("cards_100", journeymap::sample::generated_map(100)),
        ("cards_1000", journeymap::sample::generated_map(1000)),
    ];
    for (name, map) in maps {
        let mut frame = Frame::new(map);
        group.bench_function(format!("{name}/fit"), |b| b.iter(|| black_box(frame.run())));
        let corner = frame.app.canvas.to_screen(egui::Pos2::ZERO);
        frame.app.canvas.set_zoom(1.0, corner);
        frame.run();
        group.bench_function(format!("{name}/100%"), |b| {
            b.iter(|| black_box(frame.run()))
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
