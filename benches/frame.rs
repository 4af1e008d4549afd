//! One full editor frame (egui pass with the canvas and inspector, plus tessellation;
//! no GPU) of maps of several sizes, zoomed to fit and at 100 %, with the pointer
//! resting on the canvas (idle), panning, and while a card is dragged, next to the frame of an
//! empty canvas measured in the same run; and presenting (a stage step at rest, and
//! stepping back and forth while the camera glides); and the table view of 10,000
//! cards, sorted and filtered.

use criterion::{Criterion, criterion_group, criterion_main};
use journeymap::app::{Document, JourneyApp};
use journeymap::model::Map;
use journeymap::render::theme;
use std::hint::black_box;

const SCREEN: egui::Vec2 = egui::vec2(1600.0, 1000.0);

struct Frame {
    ctx: egui::Context,
    app: JourneyApp,
    /// Pointer events for the next frame.
    events: Vec<egui::Event>,
}

impl Frame {
    fn new(map: Map) -> Self {
        let ctx = egui::Context::default();
        theme::install_fonts(&ctx);
        let mut frame = Self {
            ctx,
            app: JourneyApp::new(Some(Document::new(map))),
            events: Vec::new(),
        };
        // Warm up: fonts, the layout and the zoom-to-fit happen in the first frames.
        for _ in 0..3 {
            frame.run();
        }
        frame
    }

    fn run(&mut self) -> usize {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            events: std::mem::take(&mut self.events),
            ..Default::default()
        };
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| app.ui(ui));
        output.textures_delta.clear();
        let primitives = self
            .ctx
            .tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        primitives.len()
    }

    fn move_to(&mut self, pos: egui::Pos2) {
        self.events.push(egui::Event::PointerMoved(pos));
    }

    fn button(&mut self, pos: egui::Pos2, pressed: bool) {
        self.events.push(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }

    /// The centre of the first card of the map that is on the screen, if any.
    fn visible_card(&mut self) -> Option<egui::Pos2> {
        let doc = self.app.doc.as_ref()?;
        let screen = egui::Rect::from_min_size(egui::pos2(40.0, 60.0), egui::vec2(900.0, 800.0));
        let ids: Vec<_> = doc.map().cards.iter().map(|c| c.id.clone()).collect();
        ids.iter()
            .filter_map(|id| self.app.canvas.card_screen_rect(doc, id))
            .map(|rect| rect.center())
            .find(|&center| screen.contains(center))
    }

    /// Rests the pointer over a card (hover, no drag).
    fn hover(&mut self) {
        let pos = self.visible_card().unwrap_or(egui::pos2(500.0, 400.0));
        self.move_to(pos);
        self.run();
    }

    /// Presses on a visible card and moves past the drag threshold; returns the two
    /// pointer positions the benchmark then alternates between, one per frame.
    fn start_drag(&mut self) -> Option<[egui::Pos2; 2]> {
        let from = self.visible_card()?;
        self.move_to(from);
        self.run();
        self.button(from, true);
        self.run();
        let over = from + egui::vec2(40.0, 30.0);
        self.move_to(over);
        self.run();
        assert!(self.app.canvas.is_dragging(), "the drag started");
        Some([over, over + egui::vec2(20.0, 25.0)])
    }

    fn end_drag(&mut self, at: egui::Pos2) {
        self.button(at, false);
        self.run();
    }
}

fn bench_view(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    frame: &mut Frame,
) {
    frame.hover();
    c.bench_function(format!("{name}/idle"), |b| {
        b.iter(|| black_box(frame.run()))
    });
    // Panning with a trackpad, a few points each frame, back and forth.
    let mut step = 0;
    c.bench_function(format!("{name}/pan"), |b| {
        b.iter(|| {
            step += 1;
            let sign = if step % 2 == 0 { 1.0 } else { -1.0 };
            frame.events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(7.0, 5.0) * sign,
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Trackpad,
            });
            black_box(frame.run())
        })
    });
    if let Some(positions) = frame.start_drag() {
        let mut step = 0;
        c.bench_function(format!("{name}/drag"), |b| {
            b.iter(|| {
                step += 1;
                frame.move_to(positions[step % 2]);
                black_box(frame.run())
            })
        });
        frame.end_drag(positions[step % 2]);
        // The drop is an edit: undo it so the next view starts from the same map.
        frame.app.undo();
        frame.run();
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
        ("cards_10000", journeymap::sample::generated_map(10_000)),
    ];
    for (name, map) in maps {
        let mut frame = Frame::new(map);
        // A big map opens at 100 % on its top left: zoom out to the whole map first.
        frame.app.canvas.fit();
        frame.run();
        bench_view(&mut group, &format!("{name}/fit"), &mut frame);
        if name == "cards_10000" {
            // The same view painted in full every frame, as before the content cache.
            frame.app.canvas.content.set_enabled(false);
            bench_view(&mut group, &format!("{name}/fit_uncached"), &mut frame);
            frame.app.canvas.content.set_enabled(true);
        }
        let corner = frame.app.canvas.to_screen(egui::Pos2::ZERO);
        frame.app.canvas.set_zoom(1.0, corner);
        frame.run();
        bench_view(&mut group, &format!("{name}/100%"), &mut frame);
    }
    group.finish();
}

impl Frame {
    fn key(&mut self, key: egui::Key) {
        for pressed in [true, false] {
            self.events.push(egui::Event::Key {
                key,
                physical_key: None,
                pressed,
                repeat: false,
                modifiers: egui::Modifiers::NONE,
            });
        }
    }
}

fn presenting(c: &mut Criterion) {
    let mut group = c.benchmark_group("present");
    group.sample_size(20);
    let maps = [
        (
            "5a",
            journeymap::templates::find("5a").unwrap().map().unwrap(),
        ),
        ("cards_1000", journeymap::sample::generated_map(1000)),
    ];
    for (name, map) in maps {
        let mut frame = Frame::new(map);
        let ctx = frame.ctx.clone();
        frame.app.start_presenting(&ctx, false);
        frame.run();
        // Title, overview, then the first stage.
        for _ in 0..2 {
            frame.key(egui::Key::ArrowRight);
            frame.run();
        }
        group.bench_function(format!("{name}/stage"), |b| {
            b.iter(|| black_box(frame.run()))
        });
        let mut forward = true;
        group.bench_function(format!("{name}/stepping"), |b| {
            b.iter(|| {
                forward = !forward;
                frame.key(match forward {
                    true => egui::Key::ArrowRight,
                    false => egui::Key::ArrowLeft,
                });
                black_box(frame.run())
            })
        });
    }
    group.finish();
}

/// View ▸ Table with 10,000 cards, every card and then sorted by severity and
/// filtered by two channels, at rest and while the rows scroll, beside the empty
/// canvas of the same run.
fn table(c: &mut Criterion) {
    use journeymap::model::Channel;
    use journeymap::table::{Column, Sort};
    let mut group = c.benchmark_group("table");
    group.sample_size(20);
    let mut empty = Frame::new(Map::default());
    group.bench_function("empty_canvas/idle", |b| b.iter(|| black_box(empty.run())));
    let mut frame = Frame::new(journeymap::sample::generated_map(10_000));
    frame.app.showing_table = true;
    frame.run();
    group.bench_function("cards_10000/all/idle", |b| {
        b.iter(|| black_box(frame.run()))
    });
    frame.app.table.sort = Some(Sort {
        column: Column::Severity,
        ascending: false,
    });
    frame.app.search.open();
    frame.app.search.filter.channels = vec![Channel::Website, Channel::Email];
    frame.run();
    let shown = frame.app.canvas.shown.as_ref().map_or(0, |s| s.len());
    assert!(shown > 0 && shown < 10_000, "the filter narrows: {shown}");
    group.bench_function("cards_10000/sorted_filtered/idle", |b| {
        b.iter(|| black_box(frame.run()))
    });
    frame.move_to(egui::pos2(600.0, 500.0));
    let mut down = true;
    group.bench_function("cards_10000/sorted_filtered/scroll", |b| {
        b.iter(|| {
            down = !down;
            frame.events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, if down { -240.0 } else { 200.0 }),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            black_box(frame.run())
        })
    });
    group.finish();
}

criterion_group!(benches, frames, presenting, table);
criterion_main!(benches);
