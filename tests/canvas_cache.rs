//! The canvas keeps its cards as meshes while they do not change (`canvas::content`):
//! the same hands on two editors, one with the cache and one painting every frame in
//! full, must give the same pixels, through pans, zooms, hovers, a drag and an edit.

use egui::{Modifiers, Pos2, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::{Document, JourneyApp};
use journeymap::render::theme;
use support::CpuRenderer;
use support::editor::template;

mod support;

fn editor(map: journeymap::model::Map, cached: bool, ppp: f32) -> Harness<'static, JourneyApp> {
    let no_dialog = journeymap::app::dialogs::ScriptedDialogs::new([
        journeymap::app::dialogs::Answer::Unavailable,
    ]);
    let mut app = JourneyApp::new(Some(Document::new(map))).with_dialogs(no_dialog);
    app.canvas.content.set_enabled(cached);
    let mut harness = Harness::builder()
        .with_size(vec2(1100.0, 720.0))
        .with_pixels_per_point(ppp)
        .with_theme(egui::Theme::Light)
        .with_render_cursor(false)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .renderer(CpuRenderer::default())
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

/// Both editors, driven alike and compared after every step.
struct Pair {
    cached: Harness<'static, JourneyApp>,
    full: Harness<'static, JourneyApp>,
    steps: usize,
}

impl Pair {
    fn new(map: journeymap::model::Map, ppp: f32) -> Self {
        Self {
            cached: editor(map.clone(), true, ppp),
            full: editor(map, false, ppp),
            steps: 0,
        }
    }

    fn each(&mut self, mut act: impl FnMut(&mut Harness<'static, JourneyApp>)) {
        act(&mut self.cached);
        act(&mut self.full);
    }

    fn event(&mut self, event: egui::Event) {
        self.each(|h| h.event(event.clone()));
    }

    fn hover(&mut self, pos: Pos2) {
        self.each(|h| h.hover_at(pos));
    }

    fn step(&mut self) {
        // One frame each, as a screen shows them: no settling between events.
        self.each(|h| h.step());
    }

    /// The pixels of both agree: exactly but for glyph edges, which may differ by 1/255
    /// on a few pixels. The two editors have laid out different texts since they
    /// started (the cached one skips the cards' text while it draws from the cache), so
    /// their font atlases hold the same glyphs in different places, and sampling at
    /// other texture coordinates rounds differently. A card out of place, missing or
    /// stale differs by far more, on far more pixels (see `the_comparison_sees_a_one_pixel_shift`).
    fn same_pixels(&mut self, what: &str) {
        self.steps += 1;
        let cached = self.cached.render().expect("renders");
        let full = self.full.render().expect("renders");
        let (differing, largest) = difference(&cached, &full);
        let allowed = (cached.width() * cached.height()) as usize / 1000;
        if differing > allowed || largest > 1 {
            let dir = std::env::temp_dir();
            cached.save(dir.join("canvas_cache_cached.png")).ok();
            full.save(dir.join("canvas_cache_full.png")).ok();
            panic!(
                "{what}: {differing} pixels differ, by up to {largest}/255 (saved in {})",
                dir.display()
            );
        }
    }

    fn misses(&self) -> u64 {
        self.cached.state().canvas.content.misses()
    }

    fn scroll(&mut self, at: Pos2, delta: Vec2) {
        self.hover(at);
        self.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta,
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Trackpad,
        });
        self.step();
    }

    fn revisions(&self) -> (u64, u64) {
        let revision = |h: &Harness<'_, JourneyApp>| h.state().doc.as_ref().unwrap().revision();
        (revision(&self.cached), revision(&self.full))
    }

    fn canvas_center(&self) -> Pos2 {
        self.cached.state().canvas.screen_rect().center()
    }

    fn card_center(&mut self, index: usize) -> Pos2 {
        let app = self.cached.state_mut();
        let doc = app.doc.as_ref().unwrap();
        let id = doc.map().cards[index].id.clone();
        app.canvas.card_screen_rect(doc, &id).unwrap().center()
    }
}

/// How many pixels differ, and the largest difference of a channel.
fn difference(a: &image::RgbaImage, b: &image::RgbaImage) -> (usize, u8) {
    assert_eq!(a.dimensions(), b.dimensions());
    let mut differing = 0;
    let mut largest = 0;
    for (a, b) in a.pixels().zip(b.pixels()) {
        if a != b {
            differing += 1;
            for (x, y) in a.0.iter().zip(b.0) {
                largest = largest.max(x.abs_diff(y));
            }
        }
    }
    (differing, largest)
}

fn mouse_button(pos: Pos2, pressed: bool) -> egui::Event {
    egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

fn pans_zooms_hovers_and_a_drag(pair: &mut Pair) {
    pair.same_pixels("as opened");
    let center = pair.canvas_center();
    // Pans by whole and by fractional points, each frame alone.
    for (i, delta) in [vec2(-37.0, -12.0), vec2(-51.3, 20.7), vec2(12.25, -33.6)]
        .into_iter()
        .enumerate()
    {
        pair.scroll(center, delta);
        pair.same_pixels(&format!("pan {i}"));
    }
    let misses = pair.misses();
    pair.scroll(center, vec2(-8.4, -6.2));
    pair.same_pixels("a small pan");
    assert_eq!(pair.misses(), misses, "a small pan redraws from the cache");

    // Hovering a card changes the overlay only.
    let card = pair.card_center(0);
    pair.hover(card);
    pair.step();
    pair.same_pixels("hovering a card");
    assert_eq!(pair.misses(), misses, "a hover redraws from the cache");

    // Zoomed out and in: the text is laid out again at each zoom.
    for (zoom, around) in [(0.45, center), (0.8, center + vec2(-120.0, 60.0))] {
        pair.each(|h| h.state_mut().canvas.set_zoom(zoom, around));
        pair.step();
        pair.same_pixels(&format!("zoomed to {zoom}"));
        pair.scroll(center, vec2(-64.5, -41.0));
        pair.same_pixels(&format!("panned at {zoom}"));
    }

    // A drag, compared while the card is in the air, then dropped: an edit.
    let from = pair.card_center(1);
    pair.hover(from);
    pair.step();
    let before = pair.revisions();
    pair.event(mouse_button(from, true));
    pair.step();
    let mut lifted_misses = 0;
    for step in 1..=5 {
        pair.hover(from + vec2(30.0, 22.0) * step as f32);
        pair.step();
        pair.same_pixels(&format!("dragging, step {step}"));
        assert!(pair.cached.state().canvas.is_dragging());
        if step == 2 {
            lifted_misses = pair.misses();
        }
    }
    assert_eq!(
        pair.misses(),
        lifted_misses,
        "once the card is lifted, moving it draws the cards from the cache"
    );
    let to = from + vec2(120.0, 88.0);
    pair.event(mouse_button(to, false));
    pair.step();
    pair.step();
    pair.same_pixels("dropped");
    let after = pair.revisions();
    assert!(
        after.0 > before.0 && after.1 > before.1,
        "the drop is an edit"
    );
    let json = |h: &Harness<'_, JourneyApp>| {
        journeymap::model::format::to_json(h.state().doc.as_ref().unwrap().map())
    };
    assert_eq!(
        json(&pair.cached),
        json(&pair.full),
        "both took the same edit"
    );
    pair.scroll(center, vec2(25.0, 25.0));
    pair.same_pixels("panned after the edit");
}

#[test]
fn the_cached_canvas_paints_what_a_full_repaint_paints() {
    let mut pair = Pair::new(template("5a"), 1.0);
    pans_zooms_hovers_and_a_drag(&mut pair);
    assert!(pair.steps > 10);
}

#[test]
fn the_cached_canvas_paints_what_a_full_repaint_paints_at_2x() {
    let mut pair = Pair::new(template("5a"), 2.0);
    pans_zooms_hovers_and_a_drag(&mut pair);
}

#[test]
fn the_comparison_sees_a_one_pixel_shift() {
    let mut pair = Pair::new(template("5a"), 1.0);
    let before = pair.cached.render().unwrap();
    let center = pair.canvas_center();
    pair.scroll(center, vec2(-1.0, 0.0));
    let after = pair.cached.render().unwrap();
    let (differing, largest) = difference(&before, &after);
    let allowed = (before.width() * before.height()) as usize / 1000;
    assert!(
        differing > allowed * 10 && largest > 100,
        "{differing} pixels, up to {largest}"
    );
}

#[test]
fn a_search_repaints_the_cards_it_dims() {
    let mut pair = Pair::new(template("5a"), 1.0);
    let misses = pair.misses();
    pair.each(|h| {
        h.key_press_modifiers(Modifiers::COMMAND, egui::Key::F);
        h.run();
        h.get_by_label("Search cards").type_text("skin");
        h.run();
    });
    assert!(
        pair.cached.state().canvas.shown.is_some(),
        "the search narrows"
    );
    pair.same_pixels("searching for skin");
    assert!(
        pair.misses() > misses,
        "a new filter paints the cards again"
    );
    pair.each(|h| {
        h.state_mut().search.filter = Default::default();
        h.run();
    });
    assert!(pair.cached.state().canvas.shown.is_none());
    pair.same_pixels("the filter cleared");
}
