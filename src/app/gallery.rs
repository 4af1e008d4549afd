//! The start screen: template cards with thumbnails drawn by the exporter, recent files,
//! and a path to open.

use crate::export::raster::Pixels;
use crate::export::{self, ExportOptions};
use crate::render::text::Measure;
use crate::templates::{TEMPLATES, Template};
use egui::{
    Button, ColorImage, Context, CursorIcon, FontId, Galley, Image, Key, Rect, Response, RichText,
    Role, Sense, Shadow, StrokeKind, TextEdit, TextureHandle, TextureOptions, Ui, Vec2, WidgetInfo,
    pos2, vec2,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// What the user picked on the start screen.
#[derive(Debug)]
pub enum Choice {
    Template(&'static Template),
    File(PathBuf),
    /// Open a file through the file dialog.
    Browse,
}

/// The start screen's state: recent files, thumbnails drawn so far, the path being typed.
#[derive(Default)]
pub struct GalleryState {
    pub recent: Vec<PathBuf>,
    thumbnails: HashMap<&'static str, Thumbnail>,
    job: Option<ThumbnailJob>,
    /// "Aware → Appeal → …" per template id.
    stage_lines: HashMap<&'static str, String>,
    open_path: String,
}

const MAX_WIDTH: f32 = 1100.0;
const PAGE_MARGIN: f32 = 24.0;
const GAP: f32 = 16.0;
const MIN_CARD_WIDTH: f32 = 240.0;
const MAX_CARD_WIDTH: f32 = 360.0;
const CARD_PADDING: f32 = 10.0;
const CARD_RADIUS: u8 = 8;
const THUMBNAIL_RADIUS: u8 = 4;
/// Width over height of a thumbnail: the top of the map, cropped.
const THUMBNAIL_ASPECT: f32 = 1.6;
const THUMBNAIL_MAX_WIDTH: f32 = MAX_CARD_WIDTH - 2.0 * CARD_PADDING;

impl GalleryState {
    /// The whole start screen; returns what the user chose, the frame they chose it.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<Choice> {
        self.receive_thumbnails(ui.ctx());
        let mut choice = None;
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                let available = ui.available_width();
                let width = (available - 2.0 * PAGE_MARGIN).clamp(0.0, MAX_WIDTH);
                ui.horizontal_top(|ui| {
                    ui.add_space(((available - width) / 2.0).floor());
                    ui.vertical(|ui| {
                        ui.set_width(width);
                        choice = self.page_ui(ui);
                    });
                });
            });
        choice
    }

    /// True once every template has its thumbnail (or has failed to get one).
    pub fn thumbnails_ready(&self) -> bool {
        TEMPLATES
            .iter()
            .all(|template| self.thumbnails.contains_key(template.id))
    }

    fn page_ui(&mut self, ui: &mut Ui) -> Option<Choice> {
        ui.add_space(40.0);
        ui.label(RichText::new("Start a journey map").size(28.0).strong());
        ui.add_space(4.0);
        ui.label(
            "Pick a template: each comes with example cards and a persona, so you can see \
             what a good map looks like. Change anything afterwards.",
        );
        ui.add_space(24.0);
        let mut choice = self.templates_ui(ui).map(Choice::Template);
        if let Some(path) = self.recent_ui(ui) {
            choice = Some(Choice::File(path));
        }
        if let Some(open) = self.open_ui(ui) {
            choice = Some(open);
        }
        ui.add_space(40.0);
        choice
    }

    /// The cards, as many to a row as fit.
    fn templates_ui(&mut self, ui: &mut Ui) -> Option<&'static Template> {
        for template in &TEMPLATES {
            self.stage_lines
                .entry(template.id)
                .or_insert_with(|| stage_line(template));
        }
        let width = ui.available_width();
        let columns = (((width + GAP) / (MIN_CARD_WIDTH + GAP)).floor() as usize).max(1);
        let card_width = ((width - GAP * (columns - 1) as f32) / columns as f32)
            .min(MAX_CARD_WIDTH)
            .floor();
        let inner_width = card_width - 2.0 * CARD_PADDING;
        let mut chosen = None;
        for row in TEMPLATES.chunks(columns) {
            let texts: Vec<CardText> = row
                .iter()
                .map(|template| {
                    let stages = self.stage_lines.get(template.id).map_or("", String::as_str);
                    CardText::layout(ui, template, stages, inner_width)
                })
                .collect();
            // Cards of a row share their height.
            let text_height = texts.iter().map(CardText::height).fold(0.0, f32::max);
            let size = vec2(
                card_width,
                2.0 * CARD_PADDING + inner_width / THUMBNAIL_ASPECT + 10.0 + text_height,
            );
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = GAP;
                for (template, text) in row.iter().zip(texts) {
                    let thumbnail = self.thumbnails.get(template.id);
                    if card_ui(ui, template, text, thumbnail, size).clicked() {
                        chosen = Some(template);
                    }
                }
            });
            ui.add_space((GAP - ui.spacing().item_spacing.y).max(0.0));
        }
        chosen
    }

    /// Recent files, hidden while there are none.
    fn recent_ui(&self, ui: &mut Ui) -> Option<PathBuf> {
        if self.recent.is_empty() {
            return None;
        }
        ui.add_space(24.0);
        ui.label(RichText::new("Recent files").size(18.0).strong());
        ui.add_space(4.0);
        let mut chosen = None;
        for path in &self.recent {
            ui.horizontal(|ui| {
                let button = ui
                    .button(super::files::file_name(path))
                    .on_hover_text(path.display().to_string());
                if button.clicked() {
                    chosen = Some(path.clone());
                }
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    ui.weak(folder.display().to_string());
                }
            });
        }
        chosen
    }

    /// The file dialog, or a path typed or pasted in.
    fn open_ui(&mut self, ui: &mut Ui) -> Option<Choice> {
        ui.add_space(24.0);
        ui.label(RichText::new("Open a file").size(18.0).strong());
        ui.add_space(4.0);
        let mut chosen = None;
        if ui.button("Open a map or an exported file…").clicked() {
            chosen = Some(Choice::Browse);
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Path");
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.open_path)
                        .hint_text("a .journey.json map or an exported .png")
                        .desired_width((ui.available_width() - 80.0).clamp(120.0, 520.0)),
                )
                .labelled_by(label.id);
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let path = typed_path(&self.open_path);
            let open = ui.add_enabled(path.is_some(), Button::new("Open"));
            if open.clicked() || entered {
                chosen = path.map(Choice::File);
            }
        });
        chosen
    }

    /// Takes thumbnails the worker has drawn; starts it, again if the display scale changed.
    fn receive_thumbnails(&mut self, ctx: &Context) {
        let pixels_per_point = ctx.pixels_per_point();
        if self
            .job
            .as_ref()
            .is_some_and(|job| job.pixels_per_point != pixels_per_point)
        {
            self.job = None;
            self.thumbnails.clear();
        }
        let job = self
            .job
            .get_or_insert_with(|| ThumbnailJob::spawn(ctx, pixels_per_point));
        loop {
            match job.receiver.try_recv() {
                Ok((id, Ok(image))) => {
                    let texture = ctx.load_texture(
                        format!("template thumbnail {id}"),
                        image,
                        TextureOptions::LINEAR,
                    );
                    self.thumbnails.insert(id, Thumbnail::Ready(texture));
                }
                Ok((id, Err(err))) => {
                    self.thumbnails.insert(id, Thumbnail::Failed(err));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    for template in &TEMPLATES {
                        self.thumbnails.entry(template.id).or_insert_with(|| {
                            Thumbnail::Failed("the preview could not be drawn".to_owned())
                        });
                    }
                    break;
                }
            }
        }
    }
}

enum Thumbnail {
    Ready(TextureHandle),
    Failed(String),
}

type Rendered = (&'static str, Result<ColorImage, String>);

/// Thumbnails drawn on a worker thread, so the start screen shows at once and stays
/// responsive; the worker asks for a repaint after each one.
struct ThumbnailJob {
    pixels_per_point: f32,
    receiver: Receiver<Rendered>,
}

impl ThumbnailJob {
    fn spawn(ctx: &Context, pixels_per_point: f32) -> Self {
        let (sender, receiver) = mpsc::channel::<Rendered>();
        let ctx = ctx.clone();
        let width = (THUMBNAIL_MAX_WIDTH * pixels_per_point).round() as u32;
        // If no thread can be started the sender is dropped with the closure, and the
        // cards show without thumbnails.
        let _ = std::thread::Builder::new()
            .name("template thumbnails".to_owned())
            .spawn(move || {
                let mut measure = Measure::new();
                for template in &TEMPLATES {
                    let image = render_thumbnail(template, &mut measure, width);
                    if sender.send((template.id, image)).is_err() {
                        return; // the gallery is gone or wants another scale
                    }
                    ctx.request_repaint();
                }
            });
        Self {
            pixels_per_point,
            receiver,
        }
    }
}

/// The top of a template's map as the exporter draws it, `width` pixels wide (or the
/// map's width at 1x if narrower), cropped to `THUMBNAIL_ASPECT`.
fn render_thumbnail(
    template: &Template,
    measure: &mut Measure,
    width: u32,
) -> Result<ColorImage, String> {
    let map = template.map().map_err(|err| err.to_string())?;
    let mut options = ExportOptions {
        scale: 1.0,
        padding: 8.0,
        title: false,
        embed_map: false,
        ..ExportOptions::default()
    };
    let mut frame = export::prepare(&map, &options, measure).map_err(|err| err.to_string())?;
    if frame.plan.width < width {
        // A narrow map is drawn larger, so that it is only ever shrunk.
        options.scale = (width as f32 / frame.plan.width.max(1) as f32)
            .ceil()
            .min(4.0);
        frame = export::prepare(&map, &options, measure).map_err(|err| err.to_string())?;
    }
    let source_width = frame.plan.width;
    let width = width.clamp(1, source_width.max(1));
    let height = ((width as f32 / THUMBNAIL_ASPECT).round() as u32).max(1);
    let source_rows = ((height as f32 * source_width as f32 / width as f32).round() as u32).max(1);
    // Rows below the map come out as its background.
    let source = frame.tile(0, source_rows);
    let rgba = shrink(&source, width, height);
    Ok(ColorImage::from_rgba_premultiplied(
        [width as usize, height as usize],
        &rgba,
    ))
}

/// Resizes premultiplied RGBA down to `width`×`height` by averaging the area each new
/// pixel covers (a box filter: sharp text stays legible, no moiré).
fn shrink(source: &Pixels, width: u32, height: u32) -> Vec<u8> {
    let (source_width, width, height) = (source.width as usize, width as usize, height as usize);
    let columns = area_weights(source_width, width);
    let rows = area_weights(source.height as usize, height);
    // Across first, into floats: source rows × new columns.
    let mut across = vec![0.0f32; source.height as usize * width * 4];
    for (source_row, out_row) in source
        .rgba
        .chunks_exact(source_width * 4)
        .zip(across.chunks_exact_mut(width * 4))
    {
        for ((first, weights), out) in columns.iter().zip(out_row.chunks_exact_mut(4)) {
            for (offset, weight) in weights.iter().enumerate() {
                let pixel = &source_row[(first + offset) * 4..][..4];
                for (sum, &channel) in out.iter_mut().zip(pixel) {
                    *sum += channel as f32 * weight;
                }
            }
        }
    }
    let mut rgba = vec![0u8; width * height * 4];
    for ((first, weights), out_row) in rows.iter().zip(rgba.chunks_exact_mut(width * 4)) {
        for (index, out) in out_row.iter_mut().enumerate() {
            let sum: f32 = weights
                .iter()
                .enumerate()
                .map(|(offset, weight)| across[(first + offset) * width * 4 + index] * weight)
                .sum();
            *out = (sum + 0.5).clamp(0.0, 255.0) as u8;
        }
    }
    rgba
}

/// For each of `to` cells spread over `from` cells: the first cell it covers, and the
/// share each covered cell has in it (the shares add up to 1).
fn area_weights(from: usize, to: usize) -> Vec<(usize, Vec<f32>)> {
    let ratio = from as f32 / to as f32;
    (0..to)
        .map(|index| {
            let (start, end) = (index as f32 * ratio, (index + 1) as f32 * ratio);
            let first = (start.floor() as usize).min(from.saturating_sub(1));
            let last = (end.ceil() as usize).clamp(first + 1, from);
            let weights = (first..last)
                .map(|cell| {
                    let covered = end.min(cell as f32 + 1.0) - start.max(cell as f32);
                    covered.max(0.0) / ratio
                })
                .collect();
            (first, weights)
        })
        .collect()
}

/// "Aware → Appeal → Ask → Act → Advocate".
fn stage_line(template: &Template) -> String {
    template.map().map_or_else(
        |_| String::new(),
        |map| {
            map.stages
                .iter()
                .map(|stage| stage.name.as_str())
                .collect::<Vec<_>>()
                .join(" → ")
        },
    )
}

/// The stage line in the font at hand: the app's font has arrows, egui's default not.
fn stages_text(ui: &Ui, line: &str) -> String {
    let has_arrow = ui
        .ctx()
        .fonts_mut(|fonts| fonts.has_glyphs(&FontId::proportional(STAGES_SIZE), "→"));
    if has_arrow {
        line.to_owned()
    } else {
        line.replace('→', "·")
    }
}

/// A path as typed or pasted: trimmed, and without the quotes a file manager adds.
fn typed_path(text: &str) -> Option<PathBuf> {
    let text = text.trim();
    let text = ['"', '\'']
        .iter()
        .find_map(|&quote| text.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(text)
        .trim();
    (!text.is_empty()).then(|| PathBuf::from(text))
}

/// The text of a card, laid out to its width.
struct CardText {
    name: Arc<Galley>,
    summary: Arc<Galley>,
    stages: Arc<Galley>,
}

const NAME_GAP: f32 = 4.0;
const SUMMARY_GAP: f32 = 6.0;
const STAGES_SIZE: f32 = 11.5;

impl CardText {
    fn layout(ui: &Ui, template: &Template, stages: &str, width: f32) -> Self {
        let visuals = ui.visuals();
        let painter = ui.painter();
        Self {
            name: painter.layout(
                template.name.to_owned(),
                FontId::proportional(16.0),
                visuals.strong_text_color(),
                width,
            ),
            summary: painter.layout(
                template.summary.to_owned(),
                FontId::proportional(13.0),
                visuals.text_color(),
                width,
            ),
            stages: painter.layout(
                stages_text(ui, stages),
                FontId::proportional(STAGES_SIZE),
                visuals.weak_text_color(),
                width,
            ),
        }
    }

    fn height(&self) -> f32 {
        self.name.size().y + NAME_GAP + self.summary.size().y + SUMMARY_GAP + self.stages.size().y
    }
}

/// One template card: a focusable button named after the template, showing its
/// thumbnail, name, summary and stages.
fn card_ui(
    ui: &mut Ui,
    template: &Template,
    text: CardText,
    thumbnail: Option<&Thumbnail>,
    size: Vec2,
) -> Response {
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let enabled = ui.is_enabled();
    response.widget_info(|| WidgetInfo::labeled(Role::Button, enabled, template.name));
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_description(template.summary);
    });
    if response.gained_focus() {
        response.scroll_to_me(None);
    }
    if ui.is_rect_visible(rect) {
        paint_card(ui, &response, rect, text, thumbnail);
    }
    if let Some(Thumbnail::Failed(err)) = thumbnail {
        return response
            .on_hover_text(format!("No preview: {err}"))
            .on_hover_cursor(CursorIcon::PointingHand);
    }
    response.on_hover_cursor(CursorIcon::PointingHand)
}

fn paint_card(
    ui: &Ui,
    response: &Response,
    rect: Rect,
    text: CardText,
    thumbnail: Option<&Thumbnail>,
) {
    let visuals = ui.visuals();
    let painter = ui.painter();
    let hovered = response.hovered();
    if hovered {
        let shadow = Shadow {
            offset: [0, 3],
            blur: 12,
            spread: 0,
            color: visuals.window_shadow.color,
        };
        painter.add(shadow.as_shape(rect, CARD_RADIUS));
    }
    let stroke = if response.has_focus() {
        visuals.selection.stroke
    } else if hovered {
        visuals.widgets.hovered.bg_stroke
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    painter.rect(
        rect,
        CARD_RADIUS,
        visuals.extreme_bg_color,
        stroke,
        StrokeKind::Inside,
    );

    let inner = rect.shrink(CARD_PADDING);
    let frame = Rect::from_min_size(
        inner.min,
        vec2(inner.width(), inner.width() / THUMBNAIL_ASPECT),
    );
    match thumbnail {
        Some(Thumbnail::Ready(texture)) => {
            Image::new((texture.id(), frame.size()))
                .corner_radius(THUMBNAIL_RADIUS)
                .paint_at(ui, frame);
        }
        // Until it is drawn (or if it cannot be), a plain neutral box.
        _ => {
            painter.rect_filled(frame, THUMBNAIL_RADIUS, visuals.code_bg_color);
        }
    }
    painter.rect_stroke(
        frame,
        THUMBNAIL_RADIUS,
        visuals.widgets.noninteractive.bg_stroke,
        StrokeKind::Inside,
    );

    let mut top = frame.bottom() + 10.0;
    for (galley, gap) in [
        (text.name, NAME_GAP),
        (text.summary, SUMMARY_GAP),
        (text.stages, 0.0),
    ] {
        let height = galley.size().y;
        painter.galley(pos2(inner.left(), top), galley, visuals.text_color());
        top += height + gap;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn template(id: &str) -> &'static Template {
        templates::find(id).expect("the template exists")
    }

    #[test]
    fn area_weights_share_each_cell_fairly() {
        for (from, to) in [(10, 5), (1300, 560), (7, 3), (5, 5)] {
            let weights = area_weights(from, to);
            assert_eq!(weights.len(), to);
            for (first, shares) in &weights {
                assert!(first + shares.len() <= from);
                let total: f32 = shares.iter().sum();
                assert!((total - 1.0).abs() < 1e-3, "{from}→{to}: {total}");
            }
        }
    }

    #[test]
    fn shrink_averages_the_area_each_pixel_covers() {
        // Two columns, black and white, become one grey pixel.
        let source = Pixels {
            width: 2,
            height: 2,
            rgba: [[0, 0, 0, 255], [255, 255, 255, 255]].concat().repeat(2),
        };
        assert_eq!(shrink(&source, 1, 1), vec![128, 128, 128, 255]);
    }

    #[test]
    fn thumbnail_is_the_top_of_the_map_at_the_asked_width() {
        let mut measure = Measure::new();
        let image = render_thumbnail(template("5a"), &mut measure, 340).expect("renders");
        assert_eq!(image.size, [340, 213]);
        // The stage bands are coloured: many pixels are neither white nor grey.
        let coloured = image
            .pixels
            .iter()
            .filter(|p| {
                let (r, g, b) = (p.r() as i32, p.g() as i32, p.b() as i32);
                (r - g).abs().max((g - b).abs()).max((r - b).abs()) > 40
            })
            .count();
        assert!(coloured > 2000, "only {coloured} coloured pixels");
    }

    #[test]
    fn every_template_gets_a_thumbnail() {
        let mut measure = Measure::new();
        for template in &TEMPLATES {
            let image = render_thumbnail(template, &mut measure, 200)
                .unwrap_or_else(|err| panic!("{}: {err}", template.id));
            assert_eq!(image.size, [200, 125], "{}", template.id);
        }
    }

    #[test]
    fn stage_line_joins_the_stage_names() {
        assert_eq!(
            stage_line(template("5a")),
            "Aware → Appeal → Ask → Act → Advocate"
        );
    }

    #[test]
    fn typed_path_is_trimmed_and_unquoted() {
        assert_eq!(typed_path("  "), None);
        assert_eq!(typed_path("''"), None);
        assert_eq!(
            typed_path(" '/tmp/my map.journey.json'\n"),
            Some(PathBuf::from("/tmp/my map.journey.json"))
        );
        assert_eq!(typed_path("\"a.png\""), Some(PathBuf::from("a.png")));
        assert_eq!(typed_path("a.png"), Some(PathBuf::from("a.png")));
    }

    struct Screen {
        gallery: GalleryState,
        chosen: Option<Choice>,
    }

    fn harness(recent: Vec<PathBuf>) -> Harness<'static, Screen> {
        let screen = Screen {
            gallery: GalleryState {
                recent,
                ..Default::default()
            },
            chosen: None,
        };
        let mut harness = Harness::builder()
            .with_size(vec2(1200.0, 900.0))
            .build_ui_state(
                |ui, screen: &mut Screen| {
                    if let Some(choice) = screen.gallery.ui(ui) {
                        screen.chosen = Some(choice);
                    }
                },
                screen,
            );
        harness.run();
        harness
    }

    fn chosen_template(harness: &Harness<'_, Screen>) -> Option<&'static str> {
        match &harness.state().chosen {
            Some(Choice::Template(template)) => Some(template.id),
            _ => None,
        }
    }

    #[test]
    fn clicking_a_card_chooses_its_template() {
        let mut harness = harness(Vec::new());
        harness.get_by_label("5A customer path").click();
        harness.run();
        assert_eq!(chosen_template(&harness), Some("5a"));
    }

    #[test]
    fn enter_on_a_focused_card_chooses_its_template() {
        let mut harness = harness(Vec::new());
        harness.get_by_label("Service blueprint").focus();
        harness.run();
        harness.key_press(Key::Enter);
        harness.run();
        assert_eq!(chosen_template(&harness), Some("service-blueprint"));
    }

    #[test]
    fn every_template_has_a_card() {
        let harness = harness(Vec::new());
        for template in &TEMPLATES {
            let _ = harness.get_by_label(template.name);
        }
    }

    #[test]
    fn cards_work_in_the_app_fonts_too() {
        let mut harness = harness(Vec::new());
        crate::render::theme::install_fonts(&harness.ctx);
        harness.run();
        harness.get_by_label("AIDA").click();
        harness.run();
        assert_eq!(chosen_template(&harness), Some("aida"));
    }

    #[test]
    fn recent_files_show_only_when_there_are_some() {
        let harness_without = harness(Vec::new());
        assert!(harness_without.query_by_label("Recent files").is_none());

        let path = PathBuf::from("/maps/launch.journey.json");
        let mut harness = harness(vec![path.clone()]);
        let _ = harness.get_by_label("Recent files");
        harness.get_by_label("launch.journey.json").click();
        harness.run();
        assert!(matches!(&harness.state().chosen, Some(Choice::File(p)) if *p == path));
    }

    #[test]
    fn a_typed_path_is_opened() {
        let mut harness = harness(Vec::new());
        harness.get_by_label("Path").focus();
        harness.run();
        harness
            .get_by_label("Path")
            .type_text("/maps/plan.journey.json");
        harness.run();
        harness.get_by_label("Open").click();
        harness.run();
        assert!(matches!(
            &harness.state().chosen,
            Some(Choice::File(p)) if p.as_path() == std::path::Path::new("/maps/plan.journey.json")
        ));
    }

    #[test]
    fn thumbnails_arrive_from_the_worker() {
        let mut harness = harness(Vec::new());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !harness.state().gallery.thumbnails_ready() {
            assert!(
                std::time::Instant::now() < deadline,
                "thumbnails never came"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
            harness.step();
        }
        let ready = TEMPLATES
            .iter()
            .filter(|t| {
                matches!(
                    harness.state().gallery.thumbnails.get(t.id),
                    Some(Thumbnail::Ready(_))
                )
            })
            .count();
        assert_eq!(ready, TEMPLATES.len());
    }
}
