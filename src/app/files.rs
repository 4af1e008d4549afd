//! The File menu's work: opening, saving, closing and quitting without losing anything.
//!
//! Whatever would replace or close a map with unsaved changes goes through
//! [`JourneyApp::request`], which asks Save / Don't save / Cancel first. Saving over a
//! file that changed on disk since it was opened asks too. A failed open or save
//! leaves the open map as it was and says which file and why.

use super::dialogs::{Answer, Request};
use super::settings::canonical;
use super::{Document, JourneyApp};
use crate::export::chunk::PngError;
use crate::model::{PersonaId, format};
use crate::storage::drafts::DraftInfo;
use crate::storage::{self, LoadCause};
use egui::{Key, Ui};
use std::path::{Path, PathBuf};

/// Something that replaces or closes the open map.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Back to the template gallery.
    New,
    /// Ask for a file, then open it.
    Open,
    OpenPath(PathBuf),
    /// Close the map (back to the gallery).
    Close,
    /// Close the window.
    Quit,
    /// Replace the map with a recovered draft.
    Recover(DraftInfo),
}

/// What a file dialog's answer is for.
#[derive(Clone, Debug)]
pub enum Purpose {
    Open,
    /// Save the map there, then carry on with the action that needed it saved.
    SaveAs {
        then: Option<Action>,
    },
    /// An image or document, in the options' format.
    Export(Box<crate::export::ExportOptions>),
    ExportSlides(Box<crate::export::ExportOptions>),
    /// The deck's PNG files, into a folder.
    ExportDeck(Box<crate::export::ExportOptions>),
    ExportJson,
    /// The cards as CSV: all of them, or the ones the filter shows.
    ExportCsv(Option<Vec<usize>>),
    ImportCsv,
    Photo(PersonaId),
}

/// A modal question about the user's files.
pub enum Prompt {
    /// The map has unsaved changes and `Action` would lose them.
    Unsaved(Action),
    /// The map's file changed on disk since it was opened.
    ChangedOnDisk { then: Option<Action> },
    /// No dialog could be shown: a path is typed instead.
    Path {
        purpose: Purpose,
        request: Request,
        text: String,
        /// The existing file the user was warned about: OK again replaces it.
        replace: Option<PathBuf>,
    },
    /// Something failed; the title names the file operation, the text the cause.
    Error { title: String, text: String },
}

impl JourneyApp {
    /// Carries out `action`, asking first when the open map has unsaved changes.
    pub fn request(&mut self, action: Action) {
        let dirty = self.doc.as_ref().is_some_and(Document::is_dirty);
        let harmless = matches!(action, Action::Open);
        if dirty && !harmless {
            self.prompt = Some(Prompt::Unsaved(action));
        } else {
            self.perform(action);
        }
    }

    /// Carries out `action` now: the map's unsaved changes are saved or given up.
    fn perform(&mut self, action: Action) {
        match action {
            Action::New | Action::Close => self.close_document(),
            Action::Open => self.ask_dialog(Purpose::Open, Request::Open),
            Action::OpenPath(path) => self.open_path(path),
            Action::Quit => {
                self.close_document();
                self.quitting = true;
            }
            Action::Recover(draft) => self.recover(&draft),
        }
    }

    /// Opens the map at `path`, asking first when the open one has unsaved changes
    /// (a file that cannot be opened is reported without asking).
    /// The file is read once, before asking.
    pub fn open(&mut self, path: PathBuf) {
        match storage::open_file(&path) {
            Ok(opened) => self.open_read(path, opened),
            Err(err) => {
                let title = format!("Could not open {}", file_name(&err.path));
                self.alert(title, err.cause.to_string());
            }
        }
    }

    /// Opens a file already read, asking first when the open map has unsaved changes.
    fn open_read(&mut self, path: PathBuf, opened: storage::Opened) {
        self.read_ahead = Some((path.clone(), opened));
        self.request(Action::OpenPath(path));
    }

    /// Loads `path` and replaces the open map with it; on failure the open map stays.
    pub fn open_path(&mut self, path: PathBuf) {
        let is_open = self
            .doc
            .as_ref()
            .is_some_and(|doc| doc.path.as_deref() == Some(path.as_path()));
        // The open map's own file is read again: "Save" may just have written it.
        let read_ahead = self
            .read_ahead
            .take()
            .filter(|(read, _)| *read == path && !is_open);
        if let Some(doc) = &self.doc
            && is_open
            && !doc.is_dirty()
        {
            return self.info(format!("{} is already open", doc.display_name()));
        }
        let opened = match read_ahead {
            Some((_, opened)) => Ok(Document::from_opened(&path, opened)),
            None => Document::open(&path),
        };
        match opened {
            Ok(doc) => {
                self.discard_draft();
                self.settings.add_recent(&path);
                self.set_document(doc);
                self.info(format!("Opened {}", path.display()));
            }
            Err(err) => {
                let title = format!("Could not open {}", file_name(&err.path));
                self.alert(title, err.cause.to_string());
            }
        }
    }

    fn close_document(&mut self) {
        self.discard_draft();
        self.export_dialog = None;
        self.doc = None;
        self.canvas = super::CanvasState::default();
    }

    /// Saves the map to its file (asking for one when it has none).
    pub fn save(&mut self) {
        self.save_then(None);
    }

    /// Asks where to save the map, then saves it there.
    pub fn save_as(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        self.canvas.finish_editing(doc);
        let suggested = suggested_path(doc, "journey.json");
        self.ask_dialog(
            Purpose::SaveAs { then: None },
            Request::SaveMap { suggested },
        );
    }

    /// Saves, then carries on with `then` once the map is safely on disk.
    fn save_then(&mut self, then: Option<Action>) {
        let Some(doc) = &mut self.doc else { return };
        self.canvas.finish_editing(doc);
        if doc.path.is_none() {
            let suggested = suggested_path(doc, "journey.json");
            return self.ask_dialog(Purpose::SaveAs { then }, Request::SaveMap { suggested });
        }
        if doc.changed_on_disk() {
            self.prompt = Some(Prompt::ChangedOnDisk { then });
            return;
        }
        self.write_then(None, then);
    }

    /// Writes the map to `to` (its own file when `None`) and carries on with `then`.
    fn write_then(&mut self, to: Option<PathBuf>, then: Option<Action>) {
        let Some(doc) = &mut self.doc else { return };
        let Some(path) = to.or_else(|| doc.path.clone()) else {
            return;
        };
        match doc.save_as(&path) {
            Ok(()) => {
                self.discard_draft();
                self.settings.add_recent(&path);
                self.info(format!("Saved {}", path.display()));
                if let Some(action) = then {
                    self.perform(action);
                }
            }
            Err(err) => {
                let title = format!("Could not save {}", file_name(&path));
                self.alert(title, format!("{err}. The map is still open, unsaved."));
            }
        }
    }

    /// Writes the map as JSON to another file; the document keeps its own file.
    fn export_json(&mut self, path: &Path) {
        let Some(doc) = &self.doc else { return };
        if doc.path.as_deref().map(canonical) == Some(canonical(path)) {
            return self.alert(
                format!("{} is this map's own file", file_name(path)),
                "Use Save to write the map there (it keeps the previous version as .bak).",
            );
        }
        match storage::write_output(path, format::to_json(doc.map()).as_bytes()) {
            Ok(()) => self.info(format!("Exported {}", path.display())),
            Err(err) => self.alert(
                format!("Could not export {}", file_name(path)),
                err.to_string(),
            ),
        }
    }

    /// File ▸ Export CSV: every card, or only the ones the filter shows.
    pub fn start_export_csv(&mut self, only_shown: bool) {
        let Some(doc) = &self.doc else { return };
        let suggested = suggested_path(doc, "cards.csv");
        let only = only_shown
            .then(|| self.canvas.shown.as_deref().cloned())
            .flatten();
        self.ask_dialog(Purpose::ExportCsv(only), Request::ExportCsv { suggested });
    }

    fn export_csv(&mut self, path: &Path, only: Option<&[usize]>) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let bytes = match only {
            Some(only) => {
                crate::table::csv::write(map, only.iter().filter_map(|&at| map.cards.get(at)))
            }
            None => crate::table::csv::write(map, &map.cards),
        };
        match storage::write_output(path, &bytes) {
            Ok(()) => self.info(format!("Exported {}", path.display())),
            Err(err) => self.alert(
                format!("Could not export {}", file_name(path)),
                err.to_string(),
            ),
        }
    }

    /// File ▸ Import CSV: a file of cards, read and shown with its column mapping.
    pub fn start_import_csv(&mut self) {
        if self.doc.is_some() {
            self.ask_dialog(Purpose::ImportCsv, Request::ImportCsv);
        }
    }

    fn read_csv(&mut self, path: &Path) {
        match crate::table::csv::read_file(path, &format::Limits::default()) {
            Ok(sheet) => self.csv_import = Some(super::csv_import::CsvImport::new(path, sheet)),
            Err(problem) => self.alert(format!("Could not import {}", file_name(path)), problem),
        }
    }

    pub fn start_export_json(&mut self) {
        let Some(doc) = &self.doc else { return };
        let suggested = suggested_path(doc, "copy.journey.json");
        self.ask_dialog(Purpose::ExportJson, Request::ExportJson { suggested });
    }

    /// Shows a native dialog, or the path field when none can be shown.
    pub(crate) fn ask_dialog(&mut self, purpose: Purpose, request: Request) {
        if self.no_native_dialogs {
            return self.ask_path(purpose, request, None);
        }
        if !self.dialogs.ask(&self.ctx, purpose, request) {
            self.info("A file dialog is already open");
        }
    }

    fn ask_path(&mut self, purpose: Purpose, request: Request, reason: Option<&str>) {
        let text = request
            .suggested()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if let Some(reason) = reason {
            self.info(reason);
        }
        self.prompt = Some(Prompt::Path {
            purpose,
            request,
            text,
            replace: None,
        });
    }

    /// Takes a dialog's answer, once there is one.
    pub(crate) fn poll_dialogs(&mut self) {
        let Some((purpose, request, answer)) = self.dialogs.poll() else {
            return;
        };
        match answer {
            Answer::Chosen(path) => self.chosen(purpose, path),
            Answer::Cancelled => {}
            Answer::Unavailable => {
                self.no_native_dialogs = true;
                self.ask_path(
                    purpose,
                    request,
                    Some("No file dialog is available here (no desktop portal or zenity): type the path instead"),
                );
            }
        }
    }

    /// Does what the dialog (or the path field) was for.
    fn chosen(&mut self, purpose: Purpose, path: PathBuf) {
        match purpose {
            Purpose::Open => self.open(path),
            Purpose::SaveAs { then } => self.write_then(Some(path), then),
            Purpose::Export(options) => self.start_export(*options, path),
            Purpose::ExportSlides(options) => self.start_slides_export(*options, path),
            Purpose::ExportDeck(options) => self.start_deck_export(*options, path),
            Purpose::ExportJson => self.export_json(&path),
            Purpose::ExportCsv(only) => self.export_csv(&path, only.as_deref()),
            Purpose::ImportCsv => self.read_csv(&path),
            Purpose::Photo(persona) => self.set_photo(&persona, &path),
        }
    }

    pub(crate) fn set_photo(&mut self, persona: &PersonaId, path: &Path) {
        let Some(doc) = &mut self.doc else { return };
        match super::inspector::photo_data_url(path) {
            Ok(url) => {
                let edit = crate::edit::Edit::SetPersona {
                    id: persona.clone(),
                    field: crate::edit::PersonaField::Photo(Some(url)),
                };
                if let Some(notice) = super::apply(doc, edit) {
                    self.notice = Some(notice);
                } else {
                    self.info(format!("Photo set from {}", file_name(path)));
                }
            }
            Err(err) => self.alert(format!("Could not use {}", file_name(path)), err),
        }
    }

    pub fn alert(&mut self, title: impl Into<String>, text: impl Into<String>) {
        let (title, text) = (title.into(), text.into());
        self.error(format!("{title}: {text}"));
        self.prompt = Some(Prompt::Error { title, text });
    }

    /// Files dropped on the window: a map opens, a picture becomes the shown persona's
    /// photo, anything else is refused with the reason.
    pub(crate) fn dropped_files(&mut self, ui: &Ui) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_owned())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let busy = self.prompt.is_some()
            || self.export_dialog.is_some()
            || self.dialogs.is_open()
            || ui.memory(|m| m.top_modal_layer().is_some());
        if busy {
            return self.info("Finish the open dialog first, then drop the file again");
        }
        for path in dropped {
            self.dropped(path);
        }
    }

    fn dropped(&mut self, path: PathBuf) {
        let jpeg = has_extension(&path, &["jpg", "jpeg"]);
        let opened = if jpeg {
            None
        } else {
            Some(storage::open_file(&path))
        };
        match opened {
            Some(Ok(opened)) => self.open_read(path, opened),
            // A PNG without a map in it, or a JPEG: a persona's photo.
            Some(Err(err)) if !matches!(err.cause, LoadCause::Png(PngError::NoMap)) => {
                let text = if has_extension(&path, &["json", "png"]) {
                    err.cause.to_string()
                } else {
                    "it is not a journey map (.journey.json) or an image (PNG, JPEG)".to_owned()
                };
                self.alert(format!("Could not open {}", file_name(&path)), text);
            }
            Some(Err(_)) | None => self.drop_photo(&path),
        }
    }

    fn drop_photo(&mut self, path: &Path) {
        let title = format!("{} has no map in it", file_name(path));
        match (&self.doc, self.inspector.shown_persona()) {
            (Some(_), Some(persona)) => self.set_photo(&persona, path),
            (Some(_), None) => self.alert(
                title,
                "To make it a persona's photo, open the Personas tab, pick the persona and \
                 drop the picture again.",
            ),
            (None, _) => self.alert(
                title,
                "Only PNG, SVG, PDF and PowerPoint files exported by journeymap carry a map.",
            ),
        }
    }

    /// While a native file dialog is open, the editor waits for it: nothing may change
    /// the map its answer is for.
    pub(crate) fn waiting_ui(&mut self, ui: &mut Ui) {
        if !self.dialogs.is_open() {
            return;
        }
        let mut abandon = false;
        egui::Modal::new(egui::Id::unique("waiting for a file dialog")).show(ui.ctx(), |ui| {
            ui.heading("Waiting for the file dialog…");
            ui.label("Choose a file in the dialog window (it may be behind this one).");
            ui.add_space(8.0);
            abandon = ui.button("Cancel").clicked();
        });
        if abandon {
            self.dialogs.abandon();
        }
    }

    /// The modal questions and messages, one at a time.
    pub(crate) fn prompt_ui(&mut self, ui: &mut Ui) {
        let Some(prompt) = self.prompt.take() else {
            return;
        };
        let name = self
            .doc
            .as_ref()
            .map_or_else(String::new, Document::display_name);
        let mut next = None;
        let escape = ui.input(|i| i.key_pressed(Key::Escape));
        let modal = egui::Modal::new(egui::Id::unique("file prompt")).show(ui.ctx(), |ui| {
            ui.set_max_width(520.0);
            match prompt {
                Prompt::Unsaved(action) => {
                    ui.heading(format!("Save changes to {name}?"));
                    ui.label(format!(
                        "Your changes will be lost if you {} without saving.",
                        verb(&action)
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            next = Some(Next::Save(Some(action.clone())));
                        }
                        if ui.button("Don't save").clicked() {
                            next = Some(Next::Perform(action.clone()));
                        }
                        if ui.button("Cancel").clicked() || escape {
                            next = Some(Next::Close);
                        }
                    });
                    next.is_none().then_some(Prompt::Unsaved(action))
                }
                Prompt::ChangedOnDisk { then } => {
                    ui.heading(format!("{name} changed on disk"));
                    ui.label(
                        "Another program changed the file since you opened it. Saving now \
                         replaces its version with yours (the old one is kept as a .bak file).",
                    );
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Save anyway").clicked() {
                            next = Some(Next::Overwrite(then.clone()));
                        }
                        if ui.button("Save As…").clicked() {
                            next = Some(Next::SaveAs(then.clone()));
                        }
                        if ui.button("Cancel").clicked() || escape {
                            next = Some(Next::Close);
                        }
                    });
                    next.is_none().then_some(Prompt::ChangedOnDisk { then })
                }
                Prompt::Path {
                    purpose,
                    request,
                    mut text,
                    mut replace,
                } => {
                    ui.heading(request.title());
                    let label = ui.label("File path:");
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut text).desired_width(460.0))
                        .labelled_by(label.id);
                    field.request_focus();
                    let typed = PathBuf::from(text.trim());
                    // Writing over a file the user did not pick in a dialog asks once more.
                    let exists = request.is_save() && typed.is_file();
                    if exists && replace.as_ref() == Some(&typed) {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!("{} exists: OK replaces it", file_name(&typed)),
                        );
                    }
                    let enter = ui.input(|i| i.key_pressed(Key::Enter));
                    ui.horizontal(|ui| {
                        let empty = text.trim().is_empty();
                        let ok = ui.add_enabled(!empty, egui::Button::new("OK"));
                        if (ok.clicked() || enter) && !empty {
                            if exists && replace.as_ref() != Some(&typed) {
                                replace = Some(typed.clone());
                            } else {
                                next = Some(Next::Chosen(purpose.clone(), typed.clone()));
                            }
                        }
                        if ui.button("Cancel").clicked() || escape {
                            next = Some(Next::Close);
                        }
                    });
                    next.is_none().then_some(Prompt::Path {
                        purpose,
                        request,
                        text,
                        replace,
                    })
                }
                Prompt::Error { title, text } => {
                    ui.heading(&title);
                    ui.label(&text);
                    ui.add_space(8.0);
                    let enter = ui.input(|i| i.key_pressed(Key::Enter));
                    if ui.button("OK").clicked() || escape || enter {
                        next = Some(Next::Close);
                    }
                    next.is_none().then_some(Prompt::Error { title, text })
                }
            }
        });
        self.prompt = modal.inner;
        match next {
            None => {}
            Some(Next::Close) => self.read_ahead = None,
            Some(Next::Save(then)) => self.save_then(then),
            Some(Next::Perform(action)) => self.perform(action),
            Some(Next::Overwrite(then)) => self.write_then(None, then),
            Some(Next::SaveAs(then)) => {
                if let Some(doc) = &self.doc {
                    let suggested = suggested_path(doc, "journey.json");
                    self.ask_dialog(Purpose::SaveAs { then }, Request::SaveMap { suggested });
                }
            }
            Some(Next::Chosen(purpose, path)) => self.chosen(purpose, path),
        }
    }
}

/// What the user answered in a prompt.
enum Next {
    Close,
    Save(Option<Action>),
    Perform(Action),
    Overwrite(Option<Action>),
    SaveAs(Option<Action>),
    Chosen(Purpose, PathBuf),
}

fn verb(action: &Action) -> &'static str {
    match action {
        Action::New => "start a new map",
        Action::Open | Action::OpenPath(_) => "open another map",
        Action::Close => "close the map",
        Action::Quit => "quit",
        Action::Recover(_) => "recover the draft",
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Where a dialog starts: beside the map's file with a new extension, or the map's
/// title as a file name.
pub(crate) fn suggested_path(doc: &Document, extension: &str) -> PathBuf {
    if let Some(path) = &doc.path {
        let name = file_name(path);
        let stem = name.strip_suffix(".journey.json").unwrap_or(&name);
        let stem = stem.strip_suffix(".json").unwrap_or(stem);
        return path.with_file_name(format!("{stem}.{extension}"));
    }
    let stem = crate::export::slides::slug(&doc.map().title);
    let stem = if stem.is_empty() { "journey" } else { &stem };
    PathBuf::from(format!("{stem}.{extension}"))
}
