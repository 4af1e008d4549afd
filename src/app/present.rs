//! Presenting: the storyboard full screen, stepped with the keys presentation clickers
//! send. Nothing edits the map meanwhile, and the editor's camera and selection are
//! untouched: Esc gives the editor back exactly as it was.

use super::Document;
use crate::model::Map;
use crate::render::layout::MapLayout;
use crate::render::paint::present::{StepPaint, paint_step};
use crate::render::present::{self, SlideText, Step};
use crate::render::text::Measure;
use crate::render::theme::{self, Theme};
use egui::emath::TSTransform;
use egui::{Align2, Color32, CursorIcon, Event, Key, Rect, Ui, vec2};

/// The pointer hides after this long without moving, and the step counter fades.
const POINTER_IDLE: f64 = 2.0;

pub struct Presenter {
    steps: Vec<Step>,
    current: usize,
    /// Digits typed for a jump: a number, then Enter.
    typed: String,
    /// The screen blanked to black or white (B or `.`, W).
    blank: Option<Color32>,
    /// The slides' text and the theme, for the document revision they were made from.
    text: Option<(u64, SlideText, Theme)>,
    /// The personas' photos, loaded with the text.
    photos: Vec<Option<egui::TextureHandle>>,
    /// When the pointer last moved (egui's clock).
    moved_at: f64,
    measure: Measure,
    /// Whether the window was full screen before: leaving gives it back as it was.
    pub was_fullscreen: bool,
}

impl Presenter {
    /// Presenting `map` from step `start`.
    pub fn new(map: &Map, start: usize, was_fullscreen: bool) -> Self {
        let steps = present::storyboard(map);
        Self {
            current: start.min(steps.len() - 1),
            steps,
            typed: String::new(),
            blank: None,
            text: None,
            photos: Vec::new(),
            moved_at: 0.0,
            measure: Measure::new(),
            was_fullscreen,
        }
    }

    /// Presenting from the first step of `stage`.
    pub fn from_stage(map: &Map, stage: usize, was_fullscreen: bool) -> Self {
        let start = present::first_step_of(&present::storyboard(map), stage).unwrap_or(0);
        Self::new(map, start, was_fullscreen)
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn current(&self) -> usize {
        self.current
    }

    pub fn step(&self) -> Step {
        self.steps[self.current]
    }

    pub fn blank(&self) -> Option<Color32> {
        self.blank
    }

    /// Where the current step's camera looks, in screen points (for tests and the window
    /// dump): the step's map target as it lands on `screen`.
    pub fn camera_on(&self, layout: &MapLayout, screen: Rect) -> Option<TSTransform> {
        let camera = present::camera(layout, self.step())?;
        Some(present::slide_on(screen) * camera)
    }

    /// One frame of the presentation over the whole of `ui`. Returns false once the
    /// presenter leaves (Esc).
    pub fn ui(&mut self, ui: &mut Ui, doc: &Document, layout: &MapLayout) -> bool {
        let map = doc.map();
        // The map cannot change while presenting, but the storyboard follows it anyway.
        if self
            .text
            .as_ref()
            .is_none_or(|(revision, ..)| *revision != doc.revision())
        {
            self.steps = present::storyboard(map);
            self.current = self.current.min(self.steps.len() - 1);
            let theme = Theme::for_map(&map.theme, None);
            self.photos = (map.personas.iter())
                .map(|persona| {
                    let image =
                        crate::render::paint::present::photo_image(persona.photo.as_deref()?)?;
                    let options = egui::TextureOptions::LINEAR;
                    Some(
                        ui.ctx()
                            .load_texture("presented persona photo", image, options),
                    )
                })
                .collect();
            self.text = Some((
                doc.revision(),
                SlideText::new(map, &mut self.measure),
                theme,
            ));
        }
        if !self.keys(ui) {
            return false;
        }
        let screen = ui.max_rect();
        let response = ui.allocate_rect(screen, egui::Sense::click());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Presentation"));
        if response.clicked() {
            self.go(self.current + 1);
        }
        let now = ui.input(|i| i.time);
        if ui.input(|i| i.pointer.delta() != egui::Vec2::ZERO || i.pointer.any_pressed()) {
            self.moved_at = now;
        }
        let idle = now - self.moved_at > POINTER_IDLE;
        if idle {
            ui.ctx().set_cursor_icon(CursorIcon::None);
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(POINTER_IDLE));
        }
        let painter = ui.painter_at(screen);
        if let Some(color) = self.blank {
            painter.rect_filled(screen, 0.0, color);
            return true;
        }
        let (_, text, theme) = self.text.as_ref().expect("made above");
        let step = self.step();
        let slide = present::slide_on(screen);
        let camera = self.animated(ui, layout, step, slide);
        let photos: Vec<Option<egui::TextureId>> = self
            .photos
            .iter()
            .map(|p| p.as_ref().map(|p| p.id()))
            .collect();
        paint_step(
            &painter,
            &StepPaint {
                layout,
                map,
                theme,
                text,
                step,
                slide,
                camera,
                photos: &photos,
            },
        );
        self.counter_ui(ui, &painter, map, screen, idle, theme);
        true
    }

    /// The camera, eased towards the step's (egui's animation time; none when the
    /// system asks for reduced motion and egui's animations are off).
    fn animated(&self, ui: &Ui, layout: &MapLayout, step: Step, slide: TSTransform) -> TSTransform {
        let Some(target) = present::camera(layout, step).map(|camera| slide * camera) else {
            return TSTransform::IDENTITY;
        };
        let time = ui.style().animation_time * 3.0;
        let id = egui::Id::unique("presentation camera");
        let ctx = ui.ctx();
        let scaling = ctx.animate_value_with_time(id.with("zoom"), target.scaling, time);
        let x = ctx.animate_value_with_time(id.with("x"), target.translation.x, time);
        let y = ctx.animate_value_with_time(id.with("y"), target.translation.y, time);
        TSTransform::new(vec2(x, y), scaling)
    }

    /// The step counter at the foot, while the pointer moves or a number is typed.
    fn counter_ui(
        &self,
        ui: &Ui,
        painter: &egui::Painter,
        map: &Map,
        screen: Rect,
        idle: bool,
        theme: &Theme,
    ) {
        let shown = !idle || !self.typed.is_empty();
        let opacity =
            ui.ctx()
                .animate_bool_with_time(egui::Id::unique("presentation counter"), shown, 0.3);
        if opacity <= 0.0 {
            return;
        }
        let text = match self.typed.as_str() {
            "" => format!(
                "{} / {}  ·  {}",
                self.current + 1,
                self.steps.len(),
                present::step_name(map, self.step())
            ),
            typed => format!("Go to step {typed}…"),
        };
        let font = theme::label_strong().font;
        let galley = painter.layout_no_wrap(text, font, theme.text_muted.gamma_multiply(opacity));
        let at = screen.right_bottom() - vec2(16.0, 12.0);
        let rect = Align2::RIGHT_BOTTOM
            .anchor_size(at, galley.size())
            .expand2(vec2(10.0, 5.0));
        painter.rect_filled(rect, 6.0, theme.card.gamma_multiply(0.9 * opacity));
        painter.galley(rect.min + vec2(10.0, 5.0), galley, Color32::PLACEHOLDER);
    }

    /// The keys clickers send. Returns false on Esc.
    fn keys(&mut self, ui: &Ui) -> bool {
        let events = ui.input(|i| i.events.clone());
        for event in events {
            let Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            let digit = key.symbol_or_name().parse::<u32>().ok().filter(|d| *d < 10);
            match key {
                Key::Escape => return false,
                _ if digit.is_some() && modifiers.is_none() => {
                    self.typed.push_str(&digit.unwrap_or(0).to_string());
                }
                Key::Enter if !self.typed.is_empty() => {
                    let number: usize = self.typed.parse().unwrap_or(0);
                    self.typed.clear();
                    if number >= 1 {
                        self.go(number - 1);
                    }
                }
                Key::ArrowRight
                | Key::ArrowDown
                | Key::PageDown
                | Key::Space
                | Key::N
                | Key::Enter => self.go(self.current + 1),
                Key::ArrowLeft | Key::ArrowUp | Key::PageUp | Key::Backspace | Key::P => {
                    self.go(self.current.saturating_sub(1))
                }
                Key::Home => self.go(0),
                Key::End => self.go(self.steps.len() - 1),
                Key::B | Key::Period => self.toggle_blank(Color32::BLACK),
                Key::W | Key::Comma => self.toggle_blank(Color32::WHITE),
                _ => {}
            }
        }
        true
    }

    /// Goes to step `index` (kept within the storyboard); a blank screen comes back.
    fn go(&mut self, index: usize) {
        self.blank = None;
        self.typed.clear();
        self.current = index.min(self.steps.len() - 1);
    }

    fn toggle_blank(&mut self, color: Color32) {
        self.blank = (self.blank != Some(color)).then_some(color);
    }
}
