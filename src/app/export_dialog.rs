//! The export dialog (Mod+Shift+E): the options of an export, a live preview drawn by
//! the exporter itself, the image's size, and Export / Copy / Split into slides. It
//! keeps one size and place whatever the options, so nothing moves under the pointer.

use super::JourneyApp;
use super::dialogs::Request;
use super::export_jobs::human_bytes;
use super::files::{Purpose, suggested_path};
use crate::export::pptx::PptxSlides;
use crate::export::vector::pdf::{self, Paper, PdfOptions};
use crate::export::{self, Background, ExportOptions, Format, Slide, slides};
use crate::model::{CardId, Color, LaneId, Map, ThemeMode};
use egui::{
    Align, Color32, Key, KeyboardShortcut, Layout, Modifiers, Rect, TextureHandle, TextureOptions,
    Ui, Vec2, vec2,
};
use std::sync::mpsc::{self, Receiver, TryRecvError};

pub const EXPORT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
pub const COPY_PNG: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::SHIFT.plus(Modifiers::ALT), Key::C);

/// The preview's longest side, in pixels.
const PREVIEW_SIDE: u32 = 640;
/// The dialog's fixed parts, in points: the options column (it scrolls when taller),
/// the preview box, and the height of both columns.
const OPTIONS_WIDTH: f32 = 400.0;
const PREVIEW_BOX: Vec2 = vec2(480.0, 360.0);
const BODY_HEIGHT: f32 = 540.0;
const SCALES: [f32; 5] = [1.0, 1.5, 2.0, 3.0, 4.0];

pub struct ExportDialog {
    pub options: ExportOptions,
    /// Export only the selected cards (with their stages and lanes).
    pub selection_only: bool,
    /// Export only the cards the search and filter show.
    pub filtered_only: bool,
    /// The cards the search and filter show now, when they narrow the map (the app
    /// keeps it current).
    pub filtered: Option<Vec<CardId>>,
    /// What `filtered` was made from: the filter's result and the map's revision.
    filtered_from: Option<(std::sync::Arc<Vec<usize>>, u64)>,
    custom: Color,
    /// What the shown preview was drawn from: the map's revision and the options.
    shown: Option<(u64, ExportOptions)>,
    preview: Option<Result<Shown, String>>,
    /// The preview being drawn, for this revision and these options.
    job: Option<(u64, ExportOptions, PreviewReceiver)>,
}

type PreviewReceiver = Receiver<Result<export::Preview, String>>;

struct Shown {
    texture: TextureHandle,
    width: u32,
    height: u32,
    dpi: f32,
    estimated_bytes: u64,
    slide_text_points: Option<f32>,
    deck_slides: Option<usize>,
}

/// What the user asked the dialog for.
enum Choice {
    Export(ExportOptions),
    Copy(ExportOptions),
    Slides(ExportOptions),
    Close,
}

impl ExportDialog {
    pub fn new(options: ExportOptions) -> Self {
        let custom = match options.background {
            Background::Custom(color) => color,
            _ => Color::rgb(0xf4, 0xf1, 0xea),
        };
        Self {
            options,
            selection_only: false,
            filtered_only: false,
            filtered: None,
            filtered_from: None,
            custom,
            shown: None,
            preview: None,
            job: None,
        }
    }

    /// The options with the selection filled in when only it is exported.
    pub fn effective(&self, selection: &[CardId]) -> ExportOptions {
        let cards = if self.selection_only && !selection.is_empty() {
            Some(selection.to_vec())
        } else if self.filtered_only {
            self.filtered.clone()
        } else {
            None
        };
        ExportOptions {
            selection: cards,
            ..self.options.clone()
        }
    }

    /// Keeps the preview in step with the map and the options: one drawing at a time,
    /// the newest wins.
    fn update_preview(
        &mut self,
        ctx: &egui::Context,
        map: &Map,
        revision: u64,
        options: &ExportOptions,
    ) {
        if let Some((rev, opts, receiver)) = &self.job {
            match receiver.try_recv() {
                Ok(result) => {
                    let key = (*rev, opts.clone());
                    self.preview = Some(result.map(|preview| Shown::new(ctx, preview)));
                    self.shown = Some(key);
                    self.job = None;
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.preview = Some(Err("the preview could not be drawn".to_owned()));
                    self.shown = Some((*rev, opts.clone()));
                    self.job = None;
                }
            }
        }
        let current = self
            .shown
            .as_ref()
            .is_some_and(|(rev, opts)| *rev == revision && opts == options);
        if current {
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let (map, thread_options, ctx) = (map.clone(), options.clone(), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("export preview".to_owned())
            .spawn(move || {
                let result = export::preview(&map, &thread_options, PREVIEW_SIDE)
                    .map_err(|err| err.to_string());
                let _ = sender.send(result);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.job = Some((revision, options.clone(), receiver));
        }
    }

    fn ui(
        &mut self,
        ui: &mut Ui,
        map: &Map,
        revision: u64,
        selection: &[CardId],
        busy: Option<&str>,
    ) -> Option<Choice> {
        let options = self.effective(selection);
        self.update_preview(ui.ctx(), map, revision, &options);
        let mut choice = None;
        ui.heading(export_name(&self.options, "Export"));
        ui.add_space(4.0);
        ui.horizontal_top(|ui| {
            let column = |width| vec2(width, BODY_HEIGHT);
            ui.allocate_ui_with_layout(column(OPTIONS_WIDTH), Layout::top_down(Align::Min), |ui| {
                ui.set_min_size(column(OPTIONS_WIDTH));
                egui::ScrollArea::vertical()
                    .id_salt("export options")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.options_ui(ui, map, selection));
            });
            // (A separator here would stretch to the window's height.)
            ui.add_space(16.0);
            ui.allocate_ui_with_layout(column(PREVIEW_BOX.x), Layout::top_down(Align::Min), |ui| {
                ui.set_min_size(column(PREVIEW_BOX.x));
                if self.preview_ui(ui, &options) {
                    choice = Some(Choice::Slides(options.clone()));
                }
            });
        });
        ui.separator();
        ui.horizontal(|ui| {
            // One export or copy at a time: the buttons wait for the running one.
            let ready =
                (matches!(self.preview, Some(Ok(_))) || self.job.is_some()) && busy.is_none();
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(format!("{}…", export_name(&self.options, "Export"))),
                )
                .clicked()
            {
                choice = Some(Choice::Export(options.clone()));
            }
            if ui
                .add_enabled(
                    ready && !options.deck,
                    egui::Button::new("Copy to clipboard"),
                )
                .on_hover_text("As a PNG image, with these options")
                .on_disabled_hover_text("A deck is many slides: export it")
                .clicked()
            {
                choice = Some(Choice::Copy(options.clone()));
            }
            // Esc closes it through the modal, only when no prompt is above it.
            if ui.button("Close").clicked() {
                choice = Some(Choice::Close);
            }
            if let Some(what) = busy {
                ui.spinner();
                ui.label(what);
            }
        });
        choice
    }

    fn options_ui(&mut self, ui: &mut Ui, map: &Map, selection: &[CardId]) {
        let o = &mut self.options;
        egui::Grid::new("export options")
            .num_columns(2)
            .spacing(vec2(12.0, 8.0))
            .show(ui, |ui| {
                let label = ui.label("Format");
                ui.horizontal(|ui| {
                    for format in Format::ALL {
                        let chosen = !o.deck && o.format == format;
                        if ui
                            .selectable_label(chosen, format.name())
                            .on_hover_text(match format {
                                Format::Png => "Pixels, for slides, documents and chat",
                                Format::Svg => {
                                    "Vectors, for Figma, Keynote, PowerPoint and the web"
                                }
                                Format::Pdf => "Vectors with real text, for print and for sending",
                                Format::Pptx => {
                                    "Editable slides for PowerPoint, Keynote and Google Slides: \
                                     every card, band and lane a shape with real text"
                                }
                            })
                            .clicked()
                        {
                            o.format = format;
                            o.deck = false;
                        }
                    }
                    if ui
                        .selectable_label(o.deck, "Deck")
                        .on_hover_text(
                            "The presentation as slides: the title, the whole map, a slide per \
                             stage and the summary",
                        )
                        .clicked()
                    {
                        o.deck = true;
                        if matches!(o.format, Format::Svg | Format::Pptx) {
                            o.format = Format::Png;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
                ui.end_row();

                if o.deck {
                    deck_ui(ui, o, map);
                    return;
                }
                if o.format == Format::Pptx {
                    pptx_ui(ui, o, map);
                    return;
                }

                if o.format == Format::Pdf {
                    pdf_ui(ui, &mut o.pdf);
                }

                let label = ui.label("Scale");
                ui.add_enabled_ui(o.format.has_pixels(), |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for scale in SCALES {
                            ui.selectable_value(&mut o.scale, scale, format!("{scale}x"));
                        }
                    })
                })
                .response
                .on_disabled_hover_text("Vectors stay sharp at any size")
                .labelled_by(label.id);
                ui.end_row();

                let label = ui.label("Padding");
                ui.add(
                    egui::DragValue::new(&mut o.padding)
                        .range(0.0..=400.0)
                        .suffix(" pt"),
                )
                .labelled_by(label.id);
                ui.end_row();

                ui.label("Background");
                ui.horizontal_wrapped(|ui| {
                    ui.selectable_value(&mut o.background, Background::Theme, "Map's own");
                    ui.selectable_value(&mut o.background, Background::White, "White");
                    ui.selectable_value(&mut o.background, Background::Transparent, "Transparent");
                    let custom = Background::Custom(self.custom);
                    if ui
                        .selectable_label(matches!(o.background, Background::Custom(_)), "Custom")
                        .clicked()
                    {
                        o.background = custom;
                    }
                    if let Background::Custom(color) = &mut o.background {
                        let mut rgb = [color.r, color.g, color.b];
                        if ui.color_edit_button_srgb(&mut rgb).changed() {
                            *color = Color::rgb(rgb[0], rgb[1], rgb[2]);
                            self.custom = *color;
                        }
                    }
                });
                ui.end_row();

                ui.label("Theme");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut o.mode, None, "As saved");
                    ui.selectable_value(&mut o.mode, Some(ThemeMode::Light), "Light");
                    ui.selectable_value(&mut o.mode, Some(ThemeMode::Dark), "Dark");
                });
                ui.end_row();

                ui.label("Slide");
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut o.slide, None, "None");
                    ui.selectable_value(&mut o.slide, Some(Slide::Wide), "16:9");
                    ui.selectable_value(&mut o.slide, Some(Slide::Standard), "4:3");
                });
                ui.end_row();

                ui.label("Show");
                ui.vertical(|ui| {
                    ui.checkbox(&mut o.title, "Title");
                    ui.checkbox(&mut o.personas, "Personas");
                    ui.checkbox(&mut o.legend, "Channel legend");
                    ui.checkbox(
                        &mut o.embed_map,
                        format!("Editable map inside the {}", o.format.name()),
                    );
                });
                ui.end_row();

                ui.label("Stages");
                stages_ui(ui, &mut o.stages, map);
                ui.end_row();

                ui.label("Lanes");
                lanes_ui(ui, &mut o.lanes, map);
                ui.end_row();

                ui.label("Cards");
                let any = !selection.is_empty();
                let text = if any {
                    format!("Only the {} selected", selection.len())
                } else {
                    "Only the selected (select cards first)".to_owned()
                };
                ui.add_enabled(any, egui::Checkbox::new(&mut self.selection_only, text));
                ui.end_row();
                ui.label("");
                let text = match &self.filtered {
                    Some(cards) => format!("Only the {} shown by the filter", cards.len()),
                    None => {
                        "Only the cards shown by the filter (search or filter first)".to_owned()
                    }
                };
                let filtering = self.filtered.is_some();
                ui.add_enabled(
                    filtering,
                    egui::Checkbox::new(&mut self.filtered_only, text),
                );
                ui.end_row();
            });
    }

    /// The preview in its fixed box, the image's size, and what a slide will look like.
    /// Returns whether "Split into legible slides" was clicked.
    fn preview_ui(&self, ui: &mut Ui, options: &ExportOptions) -> bool {
        let area = Rect::from_min_size(ui.cursor().min, PREVIEW_BOX);
        ui.advance_cursor_after_rect(area);
        match &self.preview {
            Some(Ok(shown)) => {
                let size = shown.texture.size_vec2();
                let fit = (PREVIEW_BOX.x / size.x)
                    .min(PREVIEW_BOX.y / size.y)
                    .min(1.0);
                let rect = Rect::from_center_size(area.center(), size * fit);
                if options.background == Background::Transparent {
                    checkerboard(ui, rect);
                }
                let image = egui::Image::new(&shown.texture)
                    .fit_to_exact_size(rect.size())
                    .alt_text("Preview of the exported image");
                ui.put(rect, image);
            }
            Some(Err(err)) => {
                let error = egui::Label::new(
                    egui::RichText::new(format!("Cannot export: {err}"))
                        .color(ui.visuals().error_fg_color),
                )
                .wrap();
                ui.put(area, error);
            }
            None => {
                ui.put(area, egui::Spinner::new());
            }
        }
        ui.add_space(4.0);
        let Some(Ok(shown)) = &self.preview else {
            return false;
        };
        if let Some(slides) = shown.deck_slides {
            ui.label(match options.format {
                Format::Pptx => format!(
                    "{slides} slide{} of 13.33 × 7.5 in (16:9), every card, band and lane a \
                     shape with real text. The preview shows the map; PowerPoint sets the \
                     text in Inter where it is installed.",
                    if slides == 1 { "" } else { "s" }
                ),
                Format::Pdf => {
                    format!("{slides} pages of 960 × 540 pt (13.33 × 7.5 in, a 16:9 slide)")
                }
                _ => format!(
                    "{slides} PNG files of {} × {} pixels · {:.0} dpi · about {} in all",
                    shown.width,
                    shown.height,
                    shown.dpi,
                    human_bytes(shown.estimated_bytes)
                ),
            });
            if self.job.is_some() {
                ui.weak("Updating the preview…");
            }
            return false;
        }
        if !options.format.has_pixels() {
            ui.label(vector_size(shown, options));
            if self.job.is_some() {
                ui.weak("Updating the preview…");
            }
            return false;
        }
        ui.label(format!(
            "{} × {} pixels · {:.0} dpi · about {}",
            shown.width,
            shown.height,
            shown.dpi,
            human_bytes(shown.estimated_bytes)
        ));
        if self.job.is_some() {
            ui.weak("Updating the preview…");
        }
        let Some(slide) = options.slide else {
            let inches = |px: u32| px as f32 / shown.dpi;
            ui.weak(format!(
                "Lands at {:.1} × {:.1} in in a slide or document (72 dpi per 1x).",
                inches(shown.width),
                inches(shown.height)
            ));
            return false;
        };
        ui.weak(format!(
            "Fills a {} slide exactly when inserted: {}.",
            match slide {
                Slide::Wide => "16:9",
                Slide::Standard => "4:3",
            },
            slide.describe()
        ));
        let Some(points) = shown.slide_text_points else {
            return false;
        };
        if points >= slides::LEGIBLE_POINTS {
            ui.label(format!("Card text will be {points:.0} pt on the slide."));
            return false;
        }
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Card text will be {points:.0} pt on the slide: too small to read ({:.0} pt or more reads).",
                slides::LEGIBLE_POINTS
            ),
        );
        ui.button("Split into legible slides…")
            .on_hover_text("One PNG per group of stages and lanes that fits a slide at a legible size, into a folder")
            .clicked()
    }
}

/// "Export PNG", "Export deck".
fn export_name(options: &ExportOptions, verb: &str) -> String {
    match options.deck {
        true => format!("{verb} deck"),
        false => format!("{verb} {}", options.format.name()),
    }
}

/// A deck's few options: PNG files or a PDF, the scale, the theme, and what it holds.
fn deck_ui(ui: &mut Ui, o: &mut ExportOptions, map: &Map) {
    let label = ui.label("Deck as");
    ui.horizontal(|ui| {
        ui.selectable_value(&mut o.format, Format::Png, "PNG files")
            .on_hover_text("A PNG per slide, into a folder: 01-title.png, 02-overview.png …");
        ui.selectable_value(&mut o.format, Format::Pdf, "PDF")
            .on_hover_text("One PDF, a page per slide, with real text and a bookmark each");
    })
    .response
    .labelled_by(label.id);
    ui.end_row();

    let label = ui.label("Scale");
    ui.add_enabled_ui(o.format == Format::Png, |ui| {
        ui.horizontal_wrapped(|ui| {
            for scale in [1.0, 2.0] {
                let pixels = export::deck::plan(scale);
                ui.selectable_value(&mut o.scale, scale, format!("{scale}x"))
                    .on_hover_text(format!("{} × {} pixels", pixels.width, pixels.height));
            }
        })
    })
    .response
    .on_disabled_hover_text("Vectors stay sharp at any size")
    .labelled_by(label.id);
    ui.end_row();

    ui.label("Theme");
    ui.horizontal(|ui| {
        ui.selectable_value(&mut o.mode, None, "As saved");
        ui.selectable_value(&mut o.mode, Some(ThemeMode::Light), "Light");
        ui.selectable_value(&mut o.mode, Some(ThemeMode::Dark), "Dark");
    });
    ui.end_row();

    ui.label("Slides");
    ui.vertical(|ui| {
        let steps = crate::render::present::storyboard(map).len();
        ui.label(format!(
            "{steps}: the title, the whole map, {} and the summary",
            match map.presentation.reveal_lanes {
                true => "each stage lane by lane",
                false => "a slide per stage",
            }
        ));
        ui.weak("The same steps as Present (F5); Present > Reveal each stage's lanes one by one changes them.");
    });
    ui.end_row();
}

/// A PowerPoint deck's options: the storyboard or the map on one slide, and the theme.
fn pptx_ui(ui: &mut Ui, o: &mut ExportOptions, map: &Map) {
    let label = ui.label("Slides");
    ui.vertical(|ui| {
        let storyboard = export::pptx::PptxOptions {
            slides: PptxSlides::Storyboard,
            mode: o.mode,
        };
        let count = export::pptx::slide_count(map, &storyboard);
        ui.radio_value(
            &mut o.pptx_slides,
            PptxSlides::Storyboard,
            format!("The storyboard: {count} slides"),
        )
        .on_hover_text(
            "The title, the whole map, each stage with its lanes at a readable size \
             (a tall map's in parts), and the summary; stage descriptions as speaker notes",
        );
        ui.radio_value(
            &mut o.pptx_slides,
            PptxSlides::Map,
            "The whole map on one slide",
        );
    })
    .response
    .labelled_by(label.id);
    ui.end_row();

    ui.label("Theme");
    ui.horizontal(|ui| {
        ui.selectable_value(&mut o.mode, None, "As saved");
        ui.selectable_value(&mut o.mode, Some(ThemeMode::Light), "Light");
        ui.selectable_value(&mut o.mode, Some(ThemeMode::Dark), "Dark");
    });
    ui.end_row();
}

/// The paper sizes of the PDF, its orientation, and the deck of stage pages.
fn pdf_ui(ui: &mut Ui, pdf: &mut PdfOptions) {
    let label = ui.label("Page");
    ui.vertical(|ui| {
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut pdf.paper, None, "Map size")
                .on_hover_text("One page the size of the map, for screens and posters");
            for paper in Paper::ALL {
                ui.selectable_value(&mut pdf.paper, Some(paper), paper.label());
            }
        });
        ui.add_enabled(
            pdf.paper.is_some(),
            egui::Checkbox::new(&mut pdf.landscape, "Landscape"),
        );
        ui.checkbox(&mut pdf.stage_pages, "Then a page per stage")
            .on_hover_text("The whole map first, then each stage beside the lane names, larger");
    })
    .response
    .labelled_by(label.id);
    ui.end_row();
}

/// What a vector export's page is, in points and in inches or on paper.
fn vector_size(shown: &Shown, options: &ExportOptions) -> String {
    // The preview's plan is in pixels at the export's scale; the page is in points.
    let points = vec2(shown.width as f32, shown.height as f32) * 72.0 / shown.dpi;
    let inches = points / 72.0;
    let fit = format!(
        "{:.0} × {:.0} pt ({:.1} × {:.1} in)",
        points.x, points.y, inches.x, inches.y
    );
    if options.format == Format::Svg {
        return format!("{fit} · grows without blur");
    }
    let pages = match options.pdf.stage_pages {
        true => " · then a page per stage",
        false => "",
    };
    match options.pdf.paper {
        None => format!("One page of {fit}{pages}"),
        Some(paper) => {
            let page = pdf::paper_points(paper, options.pdf.landscape);
            let scale = pdf::paper_scale(page, points);
            let turn = if options.pdf.landscape {
                "landscape"
            } else {
                "portrait"
            };
            format!(
                "{} {turn}: the map at {:.0} % within half-inch margins{pages}",
                paper.label(),
                100.0 * scale
            )
        }
    }
}

/// Transparency shown as the usual grey and white squares.
fn checkerboard(ui: &Ui, rect: Rect) {
    const SQUARE: f32 = 8.0;
    let painter = ui.painter().with_clip_rect(rect);
    painter.rect_filled(rect, 0.0, Color32::from_gray(255));
    let (columns, rows) = (
        (rect.width() / SQUARE).ceil() as i32,
        (rect.height() / SQUARE).ceil() as i32,
    );
    for row in 0..rows {
        for column in (row % 2..columns).step_by(2) {
            let min = rect.min + vec2(column as f32, row as f32) * SQUARE;
            let square = Rect::from_min_size(min, Vec2::splat(SQUARE));
            painter.rect_filled(square, 0.0, Color32::from_gray(217));
        }
    }
}

impl Shown {
    fn new(ctx: &egui::Context, preview: export::Preview) -> Self {
        let color = preview.image.to_color_image();
        Self {
            texture: ctx.load_texture("export preview", color, TextureOptions::LINEAR),
            width: preview.plan.width,
            height: preview.plan.height,
            dpi: preview.plan.dpi,
            estimated_bytes: preview.estimated_bytes,
            slide_text_points: preview.slide_text_points,
            deck_slides: preview.deck_slides,
        }
    }
}

fn stages_ui(ui: &mut Ui, stages: &mut Option<(usize, usize)>, map: &Map) {
    let count = map.stages.len();
    ui.vertical(|ui| {
        let mut all = stages.is_none();
        if ui.checkbox(&mut all, "All stages").changed() {
            *stages = (!all && count > 0).then(|| (0, count - 1));
        }
        let Some((from, to)) = stages else { return };
        let name = |i: usize| {
            map.stages
                .get(i)
                .map_or_else(String::new, |s| format!("{}. {}", i + 1, s.name))
        };
        for (end, text) in [(&mut *from, "From"), (&mut *to, "To")] {
            ui.horizontal(|ui| {
                let label = ui.label(text);
                egui::ComboBox::from_id_salt(("export stages", text))
                    .selected_text(name(*end))
                    .show_ui(ui, |ui| {
                        for i in 0..count {
                            ui.selectable_value(end, i, name(i));
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
        if *from > *to {
            std::mem::swap(from, to);
        }
    });
}

fn lanes_ui(ui: &mut Ui, lanes: &mut Option<Vec<LaneId>>, map: &Map) {
    ui.vertical(|ui| {
        for lane in &map.lanes {
            let mut shown = lanes.as_ref().is_none_or(|l| l.contains(&lane.id));
            if ui.checkbox(&mut shown, &lane.name).changed() {
                let mut chosen: Vec<LaneId> = lanes
                    .take()
                    .unwrap_or_else(|| map.lanes.iter().map(|l| l.id.clone()).collect());
                chosen.retain(|id| *id != lane.id);
                if shown {
                    chosen.push(lane.id.clone());
                }
                // Keep the map's order; all lanes is no range at all.
                let ordered: Vec<LaneId> = map
                    .lanes
                    .iter()
                    .filter(|l| chosen.contains(&l.id))
                    .map(|l| l.id.clone())
                    .collect();
                *lanes = (ordered.len() < map.lanes.len()).then_some(ordered);
            }
        }
    });
}

impl JourneyApp {
    /// The export dialog, while it is open.
    pub fn export_dialog(&self) -> Option<&ExportDialog> {
        self.export_dialog.as_ref()
    }

    /// Opens the export dialog with this map's remembered options.
    pub fn open_export_dialog(&mut self) {
        let Some(doc) = &self.doc else { return };
        let options = self.settings.export_options(doc.path.as_deref());
        self.export_dialog = Some(ExportDialog::new(options));
    }

    pub(crate) fn export_dialog_ui(&mut self, ui: &mut Ui) {
        let (Some(dialog), Some(doc)) = (&mut self.export_dialog, &self.doc) else {
            return;
        };
        let selection = self.canvas.selection.cards.clone();
        // The ids of the cards the filter shows, looked up again only when the filter's
        // result or the map changes, not on every frame the dialog is open.
        let source = self
            .canvas
            .shown
            .clone()
            .map(|shown| (shown, doc.revision()));
        let same = match (&dialog.filtered_from, &source) {
            (Some((a, ra)), Some((b, rb))) => std::sync::Arc::ptr_eq(a, b) && ra == rb,
            (None, None) => true,
            _ => false,
        };
        if !same {
            dialog.filtered = source.as_ref().map(|(shown, _)| {
                shown
                    .iter()
                    .map(|&at| doc.map().cards[at].id.clone())
                    .collect()
            });
            dialog.filtered_from = source;
        }
        let busy = self.export_job.as_ref().map(|job| job.what.as_str());
        let modal = egui::Modal::new(egui::Id::unique("export dialog")).show(ui.ctx(), |ui| {
            dialog.ui(ui, doc.map(), doc.revision(), &selection, busy)
        });
        let choice = if modal.should_close() {
            Some(Choice::Close)
        } else {
            modal.inner
        };
        match choice {
            None => {}
            Some(Choice::Close) => self.export_dialog = None,
            Some(Choice::Export(options)) if options.deck && options.format == Format::Png => {
                let suggested = suggested_path(doc, "deck");
                self.remember_export(&options);
                self.ask_dialog(
                    Purpose::ExportDeck(Box::new(options)),
                    Request::ExportSlides { suggested },
                );
            }
            Some(Choice::Export(options)) => {
                let format = options.format;
                let suggested = suggested_path(doc, format.extension());
                self.remember_export(&options);
                self.ask_dialog(
                    Purpose::Export(Box::new(options)),
                    Request::Export { suggested, format },
                );
            }
            Some(Choice::Copy(options)) => {
                self.remember_export(&options);
                self.start_copy(options);
            }
            Some(Choice::Slides(options)) => {
                let suggested = suggested_path(doc, "slides");
                self.remember_export(&options);
                self.ask_dialog(
                    Purpose::ExportSlides(Box::new(options)),
                    Request::ExportSlides { suggested },
                );
            }
        }
    }

    fn remember_export(&mut self, options: &ExportOptions) {
        let path = self.doc.as_ref().and_then(|doc| doc.path.clone());
        self.settings.remember_export(path.as_deref(), options);
    }
}
