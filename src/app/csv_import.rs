//! File ▸ Import CSV's mapping step: which field of a card each column of the file
//! fills (guessed from the headers, changeable), a preview of the first rows, and the
//! import itself, as one undo step and all or nothing.

use super::{Document, JourneyApp};
use crate::model::format::Limits;
use crate::model::{LaneId, StageId};
use crate::table::Column;
use crate::table::csv::{self, Mapping, Sheet};
use egui::Ui;
use std::path::{Path, PathBuf};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 5;

pub struct CsvImport {
    /// The file, or `None` for cells pasted onto the canvas.
    pub path: Option<PathBuf>,
    /// Where rows go when no column names their stage or lane.
    pub into: Option<(StageId, LaneId)>,
    pub sheet: Sheet,
    pub mapping: Mapping,
    /// Why the last attempt was refused, shown until the mapping changes.
    problem: Option<String>,
}

enum Choice {
    Import,
    Cancel,
}

impl CsvImport {
    pub fn new(path: &Path, sheet: Sheet) -> Self {
        let mapping = Mapping::guess(&sheet.headers);
        Self {
            path: Some(path.to_owned()),
            into: None,
            sheet,
            mapping,
            problem: None,
        }
    }

    /// Cells pasted with a header row, going to `into` unless they name a stage or lane.
    pub fn pasted(sheet: Sheet, into: (StageId, LaneId)) -> Self {
        let mapping = Mapping::guess(&sheet.headers);
        Self {
            path: None,
            into: Some(into),
            sheet,
            mapping,
            problem: None,
        }
    }

    /// Adds the rows to the map as one undo step; on error the map is untouched.
    pub fn import(&self, doc: &mut Document) -> Result<String, String> {
        let (edit, imported) =
            csv::import(doc.map(), &self.sheet, &self.mapping, &Limits::default())
                .map_err(|err| err.to_string())?;
        doc.begin_gesture(format!(
            "import of {}",
            crate::render::layout::plural(imported.cards, "card")
        ));
        let result = doc.apply(edit);
        doc.end_gesture();
        result.map_err(|err| err.to_string())?;
        Ok(imported.summary())
    }

    fn ui(&mut self, ui: &mut Ui) -> Option<Choice> {
        let name = match self.path.as_ref().and_then(|p| p.file_name()) {
            Some(name) => name.to_string_lossy().into_owned(),
            None => "the pasted cells".to_owned(),
        };
        ui.heading(format!("Import {name}"));
        ui.label(format!(
            "{} rows. Choose the card field each column fills; stages, lanes and personas the map lacks are added by name.",
            self.sheet.rows.len()
        ));
        ui.add_space(6.0);
        let before = self.mapping.clone();
        egui::ScrollArea::both()
            .max_height(320.0)
            .max_width(900.0)
            .show(ui, |ui| {
                egui::Grid::new("csv mapping").striped(true).show(ui, |ui| {
                    for (at, header) in self.sheet.headers.iter().enumerate() {
                        let header = if header.is_empty() {
                            format!("(column {})", at + 1)
                        } else {
                            header.clone()
                        };
                        ui.vertical(|ui| {
                            ui.strong(&header);
                            let chosen = &mut self.mapping.0[at];
                            let text = chosen.map_or("Leave out", Column::label);
                            egui::ComboBox::from_id_salt(("csv column", at))
                                .selected_text(text)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(chosen, None, "Leave out");
                                    for column in Column::ALL {
                                        ui.selectable_value(chosen, Some(column), column.label());
                                    }
                                })
                                .response
                                .widget_info(|| {
                                    let name = format!("Card field for the column {header}");
                                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name)
                                });
                        });
                    }
                    ui.end_row();
                    for (_, cells) in self.sheet.rows.iter().take(PREVIEW_ROWS) {
                        for cell in cells {
                            let short: String = cell.chars().take(40).collect();
                            ui.label(short.replace('\n', " ¶ "));
                        }
                        ui.end_row();
                    }
                });
            });
        if self.mapping != before {
            // A column chosen twice keeps its newest header only.
            for (at, column) in self.mapping.0.clone().iter().enumerate() {
                if column.is_some() && before.0[at] != *column {
                    for (other, other_column) in self.mapping.0.iter_mut().enumerate() {
                        if other != at && other_column == column {
                            *other_column = None;
                        }
                    }
                }
            }
            self.problem = None;
        }
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.add_space(6.0);
        let mut choice = None;
        ui.horizontal(|ui| {
            let rows = crate::render::layout::plural(self.sheet.rows.len(), "card");
            if ui.button(format!("Import {rows}")).clicked() {
                choice = Some(Choice::Import);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(Choice::Cancel);
            }
        });
        choice
    }
}

impl JourneyApp {
    pub(crate) fn csv_import_ui(&mut self, ui: &mut Ui) {
        let Some(import) = &mut self.csv_import else {
            return;
        };
        let modal =
            egui::Modal::new(egui::Id::unique("csv import")).show(ui.ctx(), |ui| import.ui(ui));
        let choice = if modal.should_close() {
            Some(Choice::Cancel)
        } else {
            modal.inner
        };
        match choice {
            None => {}
            Some(Choice::Cancel) => self.csv_import = None,
            Some(Choice::Import) => {
                let (Some(import), Some(doc)) = (&mut self.csv_import, &mut self.doc) else {
                    return;
                };
                match import.import(doc) {
                    Ok(summary) => {
                        self.csv_import = None;
                        self.info(summary);
                    }
                    Err(problem) => import.problem = Some(problem),
                }
            }
        }
    }
}
