//! The eframe application: menu bar, canvas, inspector, status bar, template gallery.
//!
//! Every change to the map goes through [`Document::apply`] as an [`Edit`], so undo
//! is total; the UI keeps only view state (selection, zoom, what is being edited).

pub mod canvas;
pub mod clipboard;
pub mod document;
pub mod gallery;
pub mod inspector;
mod launch;
mod shortcuts;

pub use launch::run;

pub use canvas::{CanvasState, Selection};
pub use document::Document;

use crate::edit::Edit;
use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use std::path::PathBuf;

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
    show_shortcuts: bool,
    /// The path typed into the Save As box, while it is open.
    save_as: Option<String>,
    dark_ui: bool,
    window_title: String,
}

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::CTRL, Key::Y);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);

impl JourneyApp {
    pub fn new(doc: Option<Document>) -> Self {
        let mut app = Self {
            doc: None,
            canvas: CanvasState::default(),
            inspector: inspector::InspectorState::default(),
            gallery: gallery::GalleryState::default(),
            notice: None,
            show_shortcuts: false,
            save_as: None,
            dark_ui: false,
            window_title: String::new(),
        };
        if let Some(doc) = doc {
            app.set_document(doc);
        }
        app
    }

    /// Opens a document in the editor, replacing the current one.
    pub fn set_document(&mut self, doc: Document) {
        if !doc.warnings.is_empty() {
            self.notice = Some(Notice {
                text: format!("Repaired while opening: {}", doc.warnings.join("; ")),
                is_error: true,
            });
        }
        self.canvas = CanvasState::default();
        self.doc = Some(doc);
    }

    pub fn open_path(&mut self, path: PathBuf) {
        match Document::open(&path) {
            Ok(doc) => self.set_document(doc),
            // A failed open leaves the current map as it is.
            Err(err) => self.error(err.to_string()),
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
        ui.ctx().set_theme(if self.dark_ui {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        self.global_shortcuts(ui);
        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
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
                });
        }
        match &mut self.doc {
            Some(doc) => {
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    if let Some(notice) = self.canvas.ui(ui, doc) {
                        self.notice = Some(notice);
                    }
                });
            }
            None => {
                let choice = egui::CentralPanel::default_margins()
                    .show(ui, |ui| self.gallery.ui(ui))
                    .inner;
                if let Some(choice) = choice {
                    self.open_choice(choice);
                }
            }
        }
        self.save_as_ui(ui);
        if self.show_shortcuts {
            shortcuts::sheet_ui(ui.ctx(), &mut self.show_shortcuts);
        }
        self.update_title(ui.ctx());
    }

    fn open_choice(&mut self, choice: gallery::Choice) {
        match choice {
            gallery::Choice::Template(template) => match template.map() {
                Ok(map) => self.set_document(Document::new(map)),
                Err(err) => self.error(format!("template {}: {err}", template.id)),
            },
            gallery::Choice::File(path) => self.open_path(path),
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

    fn global_shortcuts(&mut self, ui: &mut Ui) {
        if !ui.ctx().text_edit_focused() && ui.input_mut(|i| i.consume_shortcut(&shortcuts::HELP)) {
            self.show_shortcuts = !self.show_shortcuts;
        }
        if ui.input_mut(|i| i.consume_shortcut(&SAVE_AS)) {
            self.start_save_as();
        }
        if ui.input_mut(|i| i.consume_shortcut(&SAVE)) {
            self.save();
        }
        if ui.ctx().text_edit_focused() {
            return; // a text field handles its own undo
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

    pub fn save(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        self.canvas.finish_editing(doc);
        if doc.path.is_none() {
            self.start_save_as();
            return;
        }
        match doc.save() {
            Ok(path) => self.info(format!("Saved {}", path.display())),
            Err(err) => self.error(format!("Could not save: {err}")),
        }
    }

    fn start_save_as(&mut self) {
        let Some(doc) = &self.doc else { return };
        let suggestion = doc.path.clone().unwrap_or_else(|| {
            let stem: String = doc
                .map()
                .title
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            let stem = stem.trim_matches('-').to_owned();
            PathBuf::from(format!(
                "{}.journey.json",
                if stem.is_empty() { "journey" } else { &stem }
            ))
        });
        self.save_as = Some(suggestion.display().to_string());
    }

    fn save_as_ui(&mut self, ui: &mut Ui) {
        let Some(path) = &mut self.save_as else {
            return;
        };
        let mut close = false;
        let mut chosen = None;
        egui::Modal::new(egui::Id::unique("save_as")).show(ui.ctx(), |ui| {
            ui.heading("Save map as");
            let label = ui.label("File path:");
            let field = ui
                .add(egui::TextEdit::singleline(path).desired_width(420.0))
                .labelled_by(label.id);
            field.request_focus();
            let enter = ui.input(|i| i.key_pressed(Key::Enter));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() || enter {
                    chosen = Some(PathBuf::from(path.trim()));
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if let Some(path) = chosen {
            close = true;
            if let Some(doc) = &mut self.doc {
                match doc.save_as(&path) {
                    Ok(()) => self.info(format!("Saved {}", path.display())),
                    Err(err) => self.error(format!("Could not save {}: {err}", path.display())),
                }
            }
        }
        if close {
            self.save_as = None;
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New from template…").clicked() {
                    self.doc = None;
                }
                let has_doc = self.doc.is_some();
                if ui
                    .add_enabled(
                        has_doc,
                        egui::Button::new("Save").shortcut_text(ui.ctx().format_shortcut(&SAVE)),
                    )
                    .clicked()
                {
                    self.save();
                }
                if ui
                    .add_enabled(
                        has_doc,
                        egui::Button::new("Save As…")
                            .shortcut_text(ui.ctx().format_shortcut(&SAVE_AS)),
                    )
                    .clicked()
                {
                    self.start_save_as();
                }
            });
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
                    self.canvas.view_menu_ui(ui, doc);
                    ui.separator();
                }
                if ui.checkbox(&mut self.dark_ui, "Dark interface").clicked() {
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
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts  ?").clicked() {
                    self.show_shortcuts = true;
                    ui.close();
                }
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(doc) = &self.doc {
                let map = doc.map();
                ui.label(format!("{:.0} %", self.canvas.zoom() * 100.0));
                ui.separator();
                ui.label(format!(
                    "{} stages · {} lanes · {} cards",
                    map.stages.len(),
                    map.lanes.len(),
                    map.cards.len()
                ));
                ui.separator();
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
}

/// Applies an edit and turns a refusal into a notice (edits from the UI are built to be
/// valid, so this is a safety net, never a panic).
pub(crate) fn apply(doc: &mut Document, edit: Edit) -> Option<Notice> {
    doc.apply(edit).err().map(|err| Notice {
        text: format!("That change was refused: {err}"),
        is_error: true,
    })
}
