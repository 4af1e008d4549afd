//! The eframe application: menu bar, canvas, inspector, status bar, template gallery.
//!
//! Every change to the map goes through [`Document::apply`] as an [`Edit`], so undo
//! is total; the UI keeps only view state (selection, zoom, what is being edited).

pub mod canvas;
pub mod clipboard;
pub mod csv_import;
pub mod dialogs;
pub mod document;
pub mod export_dialog;
pub mod export_jobs;
pub mod files;
pub mod gallery;
pub mod inspector;
mod launch;
pub mod png_clipboard;
pub mod present;
pub mod recovery;
pub mod search;
pub mod settings;
mod shortcuts;
pub mod table_view;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod x11_clipboard;

pub use launch::{default_renderer, run};

pub use canvas::{CanvasState, Selection};
pub use document::Document;

use crate::edit::Edit;
use dialogs::{Dialogs, FileDialogs, NativeDialogs};
use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use export_dialog::ExportDialog;
use export_jobs::ExportJob;
use files::{Action, Prompt, Purpose};
use recovery::Autosave;
use settings::Settings;
use std::sync::Arc;

/// A message shown in the status bar until the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct JourneyApp {
    /// The open map; `None` shows the template gallery.
    pub doc: Option<Document>,
    pub canvas: CanvasState,
    pub inspector: inspector::InspectorState,
    pub gallery: gallery::GalleryState,
    pub notice: Option<Notice>,
    /// The search and filter bar (Ctrl+F), over the canvas and the table.
    pub search: search::SearchState,
    /// The table view (View ▸ Table, Ctrl+T) and whether it is shown instead of the canvas.
    pub table: table_view::TableState,
    pub showing_table: bool,
    /// File ▸ Import CSV's mapping step, while it is shown.
    pub csv_import: Option<csv_import::CsvImport>,
    show_shortcuts: bool,
    /// The presentation, while one is shown.
    presenter: Option<present::Presenter>,
    window_title: String,
    /// Recent files, the interface theme and export options, kept between runs.
    pub settings: Settings,
    /// The modal question or message shown now.
    prompt: Option<Prompt>,
    /// A file read (and found to load) before asking about unsaved changes, so opening
    /// it after the answer does not read it again.
    read_ahead: Option<(std::path::PathBuf, crate::storage::Opened)>,
    dialogs: Dialogs<Purpose>,
    /// Set once a native dialog could not be shown: paths are typed from then on.
    no_native_dialogs: bool,
    autosave: Option<Autosave>,
    export_dialog: Option<ExportDialog>,
    export_job: Option<ExportJob>,
    /// Where Copy as PNG puts the exported file.
    png_clipboard: Arc<dyn png_clipboard::PngClipboard>,
    /// The user chose to quit and nothing is left unsaved: the window closes.
    quitting: bool,
    close_sent: bool,
    /// Whether keys reached the map as the last frame ended.
    keys_reached_map: bool,
    /// The frame whose keys were decided, and the decision.
    keys_decided: (Option<u64>, bool),
    /// For work that finishes between frames (dialogs, exports) to ask for a repaint.
    ctx: egui::Context,
}

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::CTRL, Key::Y);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const CLOSE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::W);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Presenting from the start, and from the current stage (PowerPoint's keys).
pub const PRESENT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
pub const PRESENT_HERE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F5);

impl JourneyApp {
    pub fn new(doc: Option<Document>) -> Self {
        let mut app = Self {
            doc: None,
            canvas: CanvasState::default(),
            inspector: inspector::InspectorState::default(),
            gallery: gallery::GalleryState::default(),
            notice: None,
            search: search::SearchState::default(),
            table: table_view::TableState::default(),
            showing_table: false,
            csv_import: None,
            show_shortcuts: false,
            presenter: None,
            window_title: String::new(),
            settings: Settings::default(),
            prompt: None,
            read_ahead: None,
            dialogs: Dialogs::new(Arc::new(NativeDialogs)),
            no_native_dialogs: false,
            autosave: None,
            export_dialog: None,
            export_job: None,
            png_clipboard: Arc::new(png_clipboard::SystemClipboard::pixels_only()),
            quitting: false,
            close_sent: false,
            keys_reached_map: true,
            keys_decided: (None, true),
            ctx: egui::Context::default(),
        };
        if let Some(doc) = doc {
            app.set_document(doc);
        }
        app
    }

    /// File dialogs from `backend` instead of the platform's (tests script them).
    pub fn with_dialogs(mut self, backend: Arc<dyn FileDialogs>) -> Self {
        self.dialogs = Dialogs::new(backend);
        self
    }

    /// Copy as PNG into `clipboard` instead of the system's (tests record the bytes).
    pub fn with_png_clipboard(mut self, clipboard: Arc<dyn png_clipboard::PngClipboard>) -> Self {
        self.png_clipboard = clipboard;
        self
    }

    /// Writes drafts of unsaved changes to `drafts`, `delay` seconds after a change, and
    /// offers the drafts an earlier run left behind.
    pub fn with_drafts(mut self, drafts: crate::storage::drafts::Drafts, delay: f64) -> Self {
        self.autosave = Some(Autosave::new(drafts, delay));
        self
    }

    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.inspector.set_recent_colours(settings.recent_colours());
        self.settings = settings;
        self
    }

    /// The window's title as last set.
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    /// Whether the keyboard shortcut sheet is shown.
    /// The presentation, while one is shown.
    pub fn presenter(&self) -> Option<&present::Presenter> {
        self.presenter.as_ref()
    }

    /// Presents the map full screen, from its first step or from the current stage.
    pub fn start_presenting(&mut self, ctx: &egui::Context, from_current_stage: bool) {
        let Some(doc) = &self.doc else {
            return;
        };
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
        let stage = if from_current_stage {
            self.canvas.current_stage(doc)
        } else {
            None
        };
        let presenter = match stage {
            Some(stage) => present::Presenter::from_stage(doc.map(), stage, was_fullscreen),
            None => present::Presenter::new(doc.map(), 0, was_fullscreen),
        };
        ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        self.presenter = Some(presenter);
    }

    fn stop_presenting(&mut self, ctx: &egui::Context) {
        if let Some(presenter) = self.presenter.take()
            && !presenter.was_fullscreen
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
    }

    /// The presentation over the whole window, while there is one. Returns whether it
    /// took the frame: then nothing else is drawn and no key reaches the editor.
    fn presenting_ui(&mut self, ui: &mut Ui) -> bool {
        if self.presenter.is_none() {
            return false;
        }
        let closing = ui.ctx().input(|i| i.viewport().close_requested());
        let (Some(presenter), Some(doc)) = (&mut self.presenter, &self.doc) else {
            self.stop_presenting(ui.ctx());
            return false;
        };
        let layout = self.canvas.layout(doc);
        let keep = egui::CentralPanel::no_frame()
            .show(ui, |ui| presenter.ui(ui, doc, layout))
            .inner;
        let name = crate::render::present::step_name(doc.map(), presenter.step());
        let (step, steps) = (presenter.current(), presenter.steps().len());
        self.canvas
            .dump_presentation(step, steps, &name, ui.ctx().content_rect());
        if !keep || closing {
            self.stop_presenting(ui.ctx());
            // The editor comes back next frame (the Esc that left is not its), or at
            // once when the window is closing and a prompt may have to ask.
            ui.ctx().request_repaint();
            return !closing;
        }
        true
    }

    /// The widget whose keys are the map's: the canvas, or the table when it is shown.
    fn keys_owner(&self) -> Option<egui::Id> {
        match self.showing_table {
            true => Some(table_view::TableState::focus_id()),
            false => self.canvas.id(),
        }
    }

    pub fn shortcuts_shown(&self) -> bool {
        self.show_shortcuts
    }

    /// Whether the window may close now (nothing unsaved, or the user said so).
    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// The modal prompt shown now, if any, as its kind's name (for tests and logs).
    pub fn prompt_kind(&self) -> Option<&'static str> {
        self.prompt.as_ref().map(|prompt| match prompt {
            Prompt::Unsaved(_) => "unsaved",
            Prompt::ChangedOnDisk { .. } => "changed on disk",
            Prompt::Path { .. } => "path",
            Prompt::Error { .. } => "error",
        })
    }

    /// Opens a document in the editor, replacing the current one.
    pub fn set_document(&mut self, doc: Document) {
        let repairs = (!doc.warnings.is_empty()).then(|| repairs_text(&doc.warnings));
        let count = doc.warnings.len();
        let name = doc.display_name();
        self.canvas = CanvasState::default();
        self.search = search::SearchState::default();
        self.table = table_view::TableState::default();
        self.csv_import = None;
        // The export dialog's preview and ranges belong to the map it was opened for.
        self.export_dialog = None;
        self.doc = Some(doc);
        if let Some(text) = repairs {
            self.alert(format!("{name} was repaired while opening"), text);
            self.error(format!(
                "{count} repair(s) while opening: save to keep them"
            ));
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
        });
    }

    /// The whole window.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.ctx = ui.ctx().clone();
        // Decided as the last frame ended and before any widget runs: a field that lets
        // go of the keyboard on Enter or Esc still had it when the key was pressed. A
        // second pass of the same frame replays its keys: it keeps the first's answer.
        let frame = ui.ctx().cumulative_frame_nr();
        if self.keys_decided.0 != Some(frame) {
            let now = shortcuts::keys_reach_map(ui.ctx(), self.keys_owner());
            self.keys_decided = (Some(frame), self.keys_reached_map && now);
        }
        let keys_reach_map = self.keys_decided.1;
        self.canvas.keys_reach_map = keys_reach_map;
        ui.ctx().set_theme(if self.settings.dark_ui {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.close_requested(ui.ctx());
        self.poll_dialogs();
        self.poll_export_job();
        if self.presenting_ui(ui) {
            self.autosave(ui.ctx());
            self.update_title(ui.ctx());
            return;
        }
        self.dropped_files(ui);
        self.global_shortcuts(ui, keys_reach_map);
        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        if let Some(doc) = &self.doc {
            self.canvas.shown = self.search.shown(doc);
        }
        if self.doc.is_some() {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    if let Some(doc) = &mut self.doc {
                        let notice = self.inspector.ui(ui, doc, &mut self.canvas.selection);
                        if let Some(notice) = notice {
                            self.notice = Some(notice);
                        }
                    }
                    if let Some(persona) = self.inspector.take_photo_dialog() {
                        self.ask_dialog(Purpose::Photo(persona), dialogs::Request::Photo);
                    }
                });
        }
        // After the inspector, so the bar spans the map's side only and the inspector
        // keeps the window's full height.
        if self.doc.is_some() {
            egui::Panel::top("view_bar").show(ui, |ui| self.view_bar_ui(ui));
        }
        match &mut self.doc {
            Some(doc) if self.showing_table => {
                let shown = self.canvas.shown.clone();
                let keys = keys_reach_map && !self.table.is_editing();
                let outcome = egui::CentralPanel::default_margins()
                    .show(ui, |ui| {
                        (self.table).ui(ui, doc, &mut self.canvas.selection, shown, keys)
                    })
                    .inner;
                if let Some(notice) = outcome.notice {
                    self.notice = Some(notice);
                }
                if let Some(id) = outcome.jump_to {
                    self.show_on_canvas(id);
                }
            }
            Some(doc) => {
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    if let Some(notice) = self.canvas.ui(ui, doc) {
                        self.notice = Some(notice);
                    }
                });
                if let Some((sheet, into)) = self.canvas.pasted_sheet.take() {
                    self.csv_import = Some(csv_import::CsvImport::pasted(sheet, into));
                }
            }
            None => {
                if self.gallery.recent != self.settings.recent {
                    self.gallery.recent = self.settings.recent.clone();
                }
                let choice = egui::CentralPanel::default_margins()
                    .show(ui, |ui| self.gallery.ui(ui))
                    .inner;
                if let Some(choice) = choice {
                    self.open_choice(choice);
                }
            }
        }
        self.export_dialog_ui(ui);
        self.csv_import_ui(ui);
        self.recovery_ui(ui);
        self.prompt_ui(ui);
        self.waiting_ui(ui);
        if self.show_shortcuts {
            shortcuts::sheet_ui(ui.ctx(), &mut self.show_shortcuts);
        }
        self.canvas.content.end_frame(ui.ctx());
        self.autosave(ui.ctx());
        self.update_title(ui.ctx());
        self.keys_reached_map = shortcuts::keys_reach_map(ui.ctx(), self.keys_owner());
        if self.quitting && !self.close_sent {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            self.close_sent = true;
        }
    }

    /// The window's close button: closing waits until nothing unsaved would be lost.
    fn close_requested(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.request(Action::Quit);
        }
    }

    fn open_choice(&mut self, choice: gallery::Choice) {
        match choice {
            gallery::Choice::Template(template) => match template.map() {
                Ok(map) => self.set_document(Document::new(map)),
                Err(err) => self.error(format!("template {}: {err}", template.id)),
            },
            gallery::Choice::File(path) => self.open(path),
            gallery::Choice::Browse => self.request(Action::Open),
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.doc {
            Some(doc) => format!(
                "{}{} — journeymap",
                if doc.is_dirty() { "● " } else { "" },
                doc.display_name()
            ),
            None => "journeymap".to_owned(),
        };
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    fn global_shortcuts(&mut self, ui: &mut Ui, keys_reach_map: bool) {
        if ui.memory(|m| m.top_modal_layer().is_some()) {
            return; // a prompt or the export dialog is answered first
        }
        if keys_reach_map && ui.input_mut(|i| i.consume_shortcut(&shortcuts::HELP)) {
            self.show_shortcuts = !self.show_shortcuts;
        }
        if self.doc.is_some() {
            if ui.input_mut(|i| i.consume_shortcut(&PRESENT_HERE)) {
                self.start_presenting(ui.ctx(), true);
                return;
            }
            if ui.input_mut(|i| i.consume_shortcut(&PRESENT)) {
                self.start_presenting(ui.ctx(), false);
                return;
            }
        }
        let pressed = |shortcut| ui.input_mut(|i| i.consume_shortcut(shortcut));
        if pressed(&SAVE_AS) {
            self.save_as();
        }
        if pressed(&SAVE) {
            self.save();
        }
        if pressed(&OPEN) {
            self.request(Action::Open);
        }
        if pressed(&NEW) {
            self.request(Action::New);
        }
        if pressed(&CLOSE) && self.doc.is_some() {
            self.request(Action::Close);
        }
        if pressed(&QUIT) {
            self.request(Action::Quit);
        }
        if pressed(&export_dialog::EXPORT) {
            self.open_export_dialog();
        }
        if pressed(&export_dialog::COPY_PNG) {
            self.copy_png();
        }
        if self.doc.is_some() {
            if pressed(&search::FIND) {
                self.search.open();
            }
            if pressed(&table_view::TOGGLE) {
                self.showing_table = !self.showing_table;
            }
        }
        if !keys_reach_map {
            return; // a text field handles its own undo; a menu or a picker is not the map
        }
        if ui.input_mut(|i| i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y)) {
            self.redo();
        }
        if ui.input_mut(|i| i.consume_shortcut(&UNDO)) {
            self.undo();
        }
    }

    pub fn undo(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        self.canvas.finish_editing(doc);
        match doc.undo() {
            Ok(Some(label)) => self.info(format!("Undid {label}")),
            Ok(None) => self.info("Nothing to undo"),
            Err(err) => self.error(format!("Could not undo: {err}")),
        }
    }

    pub fn redo(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        self.canvas.finish_editing(doc);
        match doc.redo() {
            Ok(Some(label)) => self.info(format!("Redid {label}")),
            Ok(None) => self.info("Nothing to redo"),
            Err(err) => self.error(format!("Could not redo: {err}")),
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu_ui(ui));
            ui.menu_button("Edit", |ui| {
                let (undo, redo) = self.doc.as_ref().map_or((None, None), |doc| {
                    (
                        doc.history().undo_label().map(str::to_owned),
                        doc.history().redo_label().map(str::to_owned),
                    )
                });
                let undo_text = undo
                    .as_ref()
                    .map_or("Undo".to_owned(), |l| format!("Undo {l}"));
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(undo_text).shortcut_text(ui.ctx().format_shortcut(&UNDO)),
                    )
                    .clicked()
                {
                    self.undo();
                }
                let redo_text = redo
                    .as_ref()
                    .map_or("Redo".to_owned(), |l| format!("Redo {l}"));
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(redo_text).shortcut_text(ui.ctx().format_shortcut(&REDO)),
                    )
                    .clicked()
                {
                    self.redo();
                }
                ui.separator();
                if let Some(doc) = &mut self.doc
                    && let Some(notice) = self.canvas.edit_menu_ui(ui, doc)
                {
                    self.notice = Some(notice);
                }
            });
            ui.menu_button("View", |ui| {
                if let Some(doc) = &self.doc {
                    let toggle = ui.ctx().format_shortcut(&table_view::TOGGLE);
                    let table =
                        egui::Button::selectable(self.showing_table, "Table").shortcut_text(toggle);
                    if ui.add(table).clicked() {
                        self.showing_table = !self.showing_table;
                        ui.close();
                    }
                    let find = ui.ctx().format_shortcut(&search::FIND);
                    if ui
                        .add(egui::Button::new("Search and filter…").shortcut_text(find))
                        .clicked()
                    {
                        self.search.open();
                        ui.close();
                    }
                    ui.separator();
                    self.canvas.view_menu_ui(ui, doc);
                    ui.separator();
                }
                if ui
                    .checkbox(&mut self.settings.dark_ui, "Dark interface")
                    .clicked()
                {
                    ui.close();
                }
            });
            ui.menu_button("Map", |ui| {
                if let Some(doc) = &mut self.doc {
                    if let Some(notice) = self.canvas.map_menu_ui(ui, doc) {
                        self.notice = Some(notice);
                    }
                } else {
                    ui.label("Open a map first");
                }
            });
            ui.menu_button("Present", |ui| self.present_menu_ui(ui));
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  ?").clicked() {
                    self.show_shortcuts = true;
                    ui.close();
                }
            });
        });
    }

    fn present_menu_ui(&mut self, ui: &mut Ui) {
        let Some(doc) = &mut self.doc else {
            ui.label("Open a map first");
            return;
        };
        let item = |ui: &mut Ui, text: &str, shortcut: &KeyboardShortcut| {
            let button = egui::Button::new(text).shortcut_text(ui.ctx().format_shortcut(shortcut));
            ui.add(button).clicked()
        };
        let mut start = None;
        if item(ui, "From the beginning", &PRESENT) {
            start = Some(false);
        }
        if item(ui, "From the current stage", &PRESENT_HERE) {
            start = Some(true);
        }
        ui.separator();
        let mut presentation = doc.map().presentation;
        if ui
            .checkbox(
                &mut presentation.reveal_lanes,
                "Reveal each stage's lanes one by one",
            )
            .on_hover_text("Each stage step shows its lanes from top to bottom, a step each")
            .clicked()
        {
            let edit = Edit::SetMap(crate::edit::MapField::Presentation(presentation));
            if let Err(err) = doc.apply(edit) {
                self.error(err.to_string());
            }
        }
        ui.label(egui::RichText::new("Esc leaves · B blanks · a number and Enter jumps").weak());
        ui.separator();
        let export_deck = ui
            .button("Export as a deck…")
            .on_hover_text("These steps as slides: a PNG per step, or a PDF page per step")
            .clicked();
        let export_pptx = ui
            .button("Export as PowerPoint…")
            .on_hover_text("Editable slides: every card, band and lane a shape with real text")
            .clicked();
        if export_deck || export_pptx {
            ui.close();
            self.open_export_dialog();
            if let Some(dialog) = &mut self.export_dialog {
                use crate::export::Format;
                let options = &mut dialog.options;
                options.deck = export_deck;
                if export_pptx {
                    options.format = Format::Pptx;
                    options.pptx_slides = crate::export::pptx::PptxSlides::Storyboard;
                } else if matches!(options.format, Format::Svg | Format::Pptx) {
                    options.format = Format::Png;
                }
            }
        }
        if let Some(from_current_stage) = start {
            ui.close();
            self.start_presenting(ui.ctx(), from_current_stage);
        }
    }

    fn file_menu_ui(&mut self, ui: &mut Ui) {
        let has_doc = self.doc.is_some();
        let item = |ui: &mut Ui, enabled: bool, text: &str, shortcut: Option<&KeyboardShortcut>| {
            let mut button = egui::Button::new(text);
            if let Some(shortcut) = shortcut {
                button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
            }
            ui.add_enabled(enabled, button).clicked()
        };
        if item(ui, true, "New from template…", Some(&NEW)) {
            self.request(Action::New);
        }
        if item(ui, true, "Open…", Some(&OPEN)) {
            self.request(Action::Open);
        }
        let recent = self.settings.recent.clone();
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            ui.menu_button("Open Recent", |ui| {
                for path in recent {
                    let label = settings::recent_label(&path);
                    let button = ui.button(label).on_hover_text(path.display().to_string());
                    if button.clicked() {
                        self.open(path);
                    }
                }
            });
        });
        if self.drafts_offered() && item(ui, true, "Recover unsaved work…", None) {
            self.show_recovery();
        }
        ui.separator();
        if item(ui, has_doc, "Save", Some(&SAVE)) {
            self.save();
        }
        if item(ui, has_doc, "Save As…", Some(&SAVE_AS)) {
            self.save_as();
        }
        ui.separator();
        if item(
            ui,
            has_doc,
            "Export PNG, SVG, PDF or PowerPoint…",
            Some(&export_dialog::EXPORT),
        ) {
            self.open_export_dialog();
        }
        if item(ui, has_doc, "Copy as PNG", Some(&export_dialog::COPY_PNG)) {
            self.copy_png();
        }
        if item(ui, has_doc, "Export JSON…", None) {
            self.start_export_json();
        }
        if item(ui, has_doc, "Export CSV…", None) {
            self.start_export_csv(false);
        }
        if let Some(shown) = &self.canvas.shown {
            let text = format!("Export CSV of the {} shown…", shown.len());
            if item(ui, has_doc, &text, None) {
                self.start_export_csv(true);
            }
        }
        if item(ui, has_doc, "Import CSV…", None) {
            self.start_import_csv();
        }
        ui.separator();
        if item(ui, has_doc, "Close", Some(&CLOSE)) {
            self.request(Action::Close);
        }
        if item(ui, true, "Quit", Some(&QUIT)) {
            self.request(Action::Quit);
        }
    }

    /// The tabs between the canvas and the table, the search button, and the search and
    /// filter bar when it is open.
    fn view_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let tab = |ui: &mut Ui, on: bool, text: &str, hint: String| {
                ui.selectable_label(on, text).on_hover_text(hint).clicked()
            };
            let toggle = ui.ctx().format_shortcut(&table_view::TOGGLE);
            if tab(
                ui,
                !self.showing_table,
                "🗺 Canvas",
                format!("The map ({toggle})"),
            ) {
                self.showing_table = false;
            }
            if tab(
                ui,
                self.showing_table,
                "📋 Table",
                format!("Every card as a row ({toggle})"),
            ) {
                self.showing_table = true;
            }
            ui.separator();
            let find = ui.ctx().format_shortcut(&search::FIND);
            if !self.search.open && ui.button(format!("🔍 Search and filter  {find}")).clicked() {
                self.search.open();
            }
        });
        if !self.search.open {
            return;
        }
        let Some(doc) = &self.doc else { return };
        if let Some(step) = self.search.bar_ui(ui, doc.map()) {
            self.step_through_matches(step);
        }
    }

    /// Enter and F3 in the search: the next (or previous) card shown, selected, with the
    /// canvas's camera or the table's scroll following it.
    fn step_through_matches(&mut self, step: search::Step) {
        let Some(doc) = &self.doc else { return };
        let Some(shown) = self.search.shown(doc) else {
            return;
        };
        let order = match self.showing_table {
            true => self.table.rows(doc, Some(shown)),
            false => shown,
        };
        if order.is_empty() {
            self.info("No card matches");
            return;
        }
        let map = doc.map();
        let current = (self.canvas.selection.cards.last())
            .and_then(|id| map.card_index(id))
            .and_then(|index| order.iter().position(|&at| at == index));
        let next = match (current, step) {
            (Some(at), search::Step::Next) => (at + 1) % order.len(),
            (Some(at), search::Step::Previous) => (at + order.len() - 1) % order.len(),
            (None, search::Step::Next) => 0,
            (None, search::Step::Previous) => order.len() - 1,
        };
        let id = map.cards[order[next]].id.clone();
        let count = order.len();
        self.canvas.selection = Selection::cards(vec![id.clone()]);
        if self.showing_table {
            self.table.scroll_to_row(next);
        } else {
            self.canvas.reveal = Some(id);
        }
        self.info(format!("Match {} of {count}", next + 1));
    }

    /// A table row double-clicked: the canvas, with its card selected and in view.
    pub fn show_on_canvas(&mut self, id: crate::model::CardId) {
        self.showing_table = false;
        self.canvas.selection = Selection::cards(vec![id.clone()]);
        self.canvas.reveal = Some(id);
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(doc) = &self.doc {
                use crate::render::layout::plural;
                let map = doc.map();
                ui.label(format!("{:.0} %", self.canvas.zoom() * 100.0));
                ui.separator();
                let points = map.emotion_points();
                let mut counts = format!(
                    "{} · {} · {}",
                    plural(map.stages.len(), "stage"),
                    plural(map.lanes.len(), "lane"),
                    plural(map.cards.len() - points, "card")
                );
                if points > 0 {
                    counts.push_str(&format!(" · {}", plural(points, "emotion point")));
                }
                ui.label(counts);
                ui.separator();
                if let Some(shown) = &self.canvas.shown {
                    ui.label(format!(
                        "{} of {} shown",
                        shown.len(),
                        plural(map.cards.len(), "card")
                    ));
                    ui.separator();
                }
                let selected = self.canvas.selection.cards.len();
                if selected > 0 {
                    ui.label(format!("{selected} selected"));
                    ui.separator();
                }
                ui.label(match (&doc.path, doc.is_dirty()) {
                    (None, _) => "Not saved yet".to_owned(),
                    (Some(_), true) => "Unsaved changes".to_owned(),
                    (Some(_), false) => "Saved".to_owned(),
                });
                ui.separator();
            }
            if let Some(what) = self.export_running() {
                ui.spinner();
                ui.label(what);
                ui.separator();
            }
            if let Some(notice) = &self.notice {
                let color = if notice.is_error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().weak_text_color()
                };
                ui.colored_label(color, &notice.text);
            }
        });
    }
}

impl eframe::App for JourneyApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        JourneyApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        (self.settings).set_recent_colours(self.inspector.recent_colours());
        storage.set_string(settings::STORAGE_KEY, self.settings.to_json());
    }
}

/// The repairs made while opening a map, one per line, and what they mean for its file.
fn repairs_text(warnings: &[String]) -> String {
    let mut text: String = warnings.iter().map(|w| format!("• {w}\n")).collect();
    text.push_str("\nThe file itself is unchanged until you save; the map has unsaved changes.");
    text
}

/// Applies an edit and turns a refusal into a notice (edits from the UI are built to be
/// valid, so this is a safety net, never a panic).
pub(crate) fn apply(doc: &mut Document, edit: Edit) -> Option<Notice> {
    doc.apply(edit).err().map(|err| Notice {
        text: format!("That change was refused: {err}"),
        is_error: true,
    })
}
