//! The export dialog (Mod+Shift+E): the options of an export, a live preview drawn by
//! the exporter itself, the image's size, and Export / Copy. Exports and copies run on a
//! worker thread, so a big map never freezes the window.

use super::JourneyApp;
use super::dialogs::Request;
use super::files::{Purpose, file_name, suggested_path};
use crate::export::{self, Background, ExportOptions, Slide};
use crate::model::{CardId, Color, LaneId, Map, ThemeMode};
use crate::storage;
use egui::{ColorImage, Key, KeyboardShortcut, Modifiers, TextureHandle, TextureOptions, Ui, vec2};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};

pub const EXPORT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
pub const COPY_PNG: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::SHIFT.plus(Modifiers::ALT), Key::C);

/// The preview's longest side, in pixels.
const PREVIEW_SIDE: u32 = 640;
const SCALES: [f32; 5] = [1.0, 1.5, 2.0, 3.0, 4.0];

pub struct ExportDialog {
    pub options: ExportOptions,
    /// Export only the selected cards (with their stages and lanes).
    pub selection_only: bool,
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
}

/// What the user asked the dialog for.
enum Choice {
    Export(ExportOptions),
    Copy(ExportOptions),
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
            custom,
            shown: None,
            preview: None,
            job: None,
        }
    }

    /// The options with the selection filled in when only it is exported.
    pub fn effective(&self, selection: &[CardId]) -> ExportOptions {
        ExportOptions {
            selection: (self.selection_only && !selection.is_empty()).then(|| selection.to_vec()),
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
        ui.heading("Export PNG");
        ui.add_space(4.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(400.0);
                self.options_ui(ui, map, selection);
            });
            // (A separator here would stretch to the window's height.)
            ui.add_space(16.0);
            ui.vertical(|ui| {
                ui.set_min_width(PREVIEW_SIDE as f32 * 0.75);
                self.preview_ui(ui);
            });
        });
        ui.separator();
        ui.horizontal(|ui| {
            // One export or copy at a time: the buttons wait for the running one.
            let ready =
                (matches!(self.preview, Some(Ok(_))) || self.job.is_some()) && busy.is_none();
            if ui
                .add_enabled(ready, egui::Button::new("Export PNG…"))
                .clicked()
            {
                choice = Some(Choice::Export(options.clone()));
            }
            if ui
                .add_enabled(ready, egui::Button::new("Copy to clipboard"))
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
                let label = ui.label("Scale");
                ui.horizontal_wrapped(|ui| {
                    for scale in SCALES {
                        ui.selectable_value(&mut o.scale, scale, format!("{scale}x"));
                    }
                })
                .response
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
                    ui.checkbox(&mut o.embed_map, "Editable map inside the PNG");
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
            });
    }

    fn preview_ui(&self, ui: &mut Ui) {
        let size = vec2(PREVIEW_SIDE as f32 * 0.75, PREVIEW_SIDE as f32 * 0.6);
        match &self.preview {
            Some(Ok(shown)) => {
                let image = egui::Image::new(&shown.texture)
                    .max_size(size)
                    .maintain_aspect_ratio(true)
                    .alt_text("Preview of the exported image");
                ui.add(image);
                ui.add_space(4.0);
                ui.label(format!(
                    "{} × {} pixels · {:.0} dpi · about {}",
                    shown.width,
                    shown.height,
                    shown.dpi,
                    human_bytes(shown.estimated_bytes)
                ));
            }
            Some(Err(err)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Cannot export: {err}"));
            }
            None => {
                ui.spinner();
            }
        }
        if self.job.is_some() && self.preview.is_some() {
            ui.weak("Updating the preview…");
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
        for (end, label) in [(&mut *from, "From"), (&mut *to, "To")] {
            ui.horizontal(|ui| {
                let label = ui.label(label);
                egui::ComboBox::from_id_salt(("export stages", label.id))
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

/// The width and height in a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    let word = |at: usize| {
        png.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_be_bytes)
    };
    (word(16), word(20))
}

pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// An export or a copy running on a worker thread.
pub struct ExportJob {
    what: String,
    receiver: Receiver<Result<Done, (String, String)>>,
}

enum Done {
    Written {
        path: PathBuf,
        width: u32,
        height: u32,
        bytes: usize,
    },
    Copied {
        image: ColorImage,
    },
}

impl JourneyApp {
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
            Some(Choice::Export(options)) => {
                let suggested = suggested_path(doc, "png");
                self.remember_export(&options);
                self.ask_dialog(
                    Purpose::ExportPng(Box::new(options)),
                    Request::ExportPng { suggested },
                );
            }
            Some(Choice::Copy(options)) => {
                self.remember_export(&options);
                self.start_copy(options);
            }
        }
    }

    fn remember_export(&mut self, options: &ExportOptions) {
        let path = self.doc.as_ref().and_then(|doc| doc.path.clone());
        self.settings.remember_export(path.as_deref(), options);
    }

    /// Copies the map as a PNG image with its remembered export options (Alt+Shift+C).
    pub fn copy_png(&mut self) {
        let Some(doc) = &self.doc else { return };
        let options = match &self.export_dialog {
            Some(dialog) => dialog.effective(&self.canvas.selection.cards),
            None => self.settings.export_options(doc.path.as_deref()),
        };
        self.start_copy(options);
    }

    fn start_copy(&mut self, options: ExportOptions) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map().clone();
        self.start_job("Copying the image…", move || {
            let frame = export::prepare(&map, &options, &mut crate::render::text::Measure::new())
                .map_err(|err| ("Could not copy the image".to_owned(), err.to_string()))?;
            let image = frame.image().to_color_image();
            Ok(Done::Copied { image })
        });
    }

    /// Renders and writes a PNG to `path` on a worker thread.
    pub(crate) fn start_png_export(&mut self, options: ExportOptions, path: PathBuf) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map().clone();
        // The choice is made: the dialog gives way to the progress in the status bar.
        self.export_dialog = None;
        let what = format!("Exporting {}…", file_name(&path));
        self.start_job(&what, move || {
            let fail = |cause: String| (format!("Could not export {}", file_name(&path)), cause);
            let png = export::render_png(&map, &options).map_err(|err| fail(err.to_string()))?;
            let (width, height) = png_size(&png);
            storage::write_output(&path, &png).map_err(|err| fail(err.to_string()))?;
            Ok(Done::Written {
                path,
                width,
                height,
                bytes: png.len(),
            })
        });
    }

    fn start_job(
        &mut self,
        what: &str,
        work: impl FnOnce() -> Result<Done, (String, String)> + Send + 'static,
    ) {
        if let Some(job) = &self.export_job {
            return self.info(format!("Wait: {}", job.what));
        }
        let (sender, receiver) = mpsc::channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export".to_owned())
            .spawn(move || {
                let _ = sender.send(work());
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.info(what);
                self.export_job = Some(ExportJob {
                    what: what.to_owned(),
                    receiver,
                });
            }
            Err(err) => self.alert("Could not start the export", err.to_string()),
        }
    }

    /// Takes the result of the running export or copy, once there is one.
    pub(crate) fn poll_export_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.export_job else { return };
        let result = match job.receiver.try_recv() {
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err((
                "The export stopped".to_owned(),
                "it failed without a reason; nothing was written".to_owned(),
            )),
            Ok(result) => result,
        };
        self.export_job = None;
        match result {
            Ok(Done::Written {
                path,
                width,
                height,
                bytes,
            }) => self.info(format!(
                "Exported {} ({width} × {height} pixels, {})",
                path.display(),
                human_bytes(bytes as u64)
            )),
            Ok(Done::Copied { image }) => {
                let [width, height] = image.size;
                ctx.copy_image(image);
                self.info(format!(
                    "Copied the map as an image ({width} × {height} pixels): paste it into a slide"
                ));
            }
            Err((title, text)) => self.alert(title, text),
        }
    }

    pub fn export_running(&self) -> Option<&str> {
        self.export_job.as_ref().map(|job| job.what.as_str())
    }
}
