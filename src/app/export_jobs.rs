//! Exports, copies and slide splits on a worker thread, so a big map never freezes the
//! window; the status bar says what each one made.

use super::JourneyApp;
use super::files::file_name;
use super::png_clipboard::Placed;
use crate::export::{self, ExportOptions, Format, Slide, slides};
use crate::model::Map;
use crate::render::text::Measure;
use crate::storage;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// The width and height in a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    let word = |at: usize| {
        png.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_be_bytes)
    };
    (word(16), word(20))
}

/// What a copy holds, in the words of the dialog: "stages 2–3, 2x, 1.4 MB".
pub fn copy_summary(map: &Map, options: &ExportOptions, bytes: usize) -> String {
    let count = map.stages.len();
    let mut parts = vec![match options.stages {
        _ if options.selection.is_some() => {
            let n = options.selection.as_ref().map_or(0, Vec::len);
            format!("the {n} selected cards")
        }
        Some((from, to)) if from == to => format!("stage {} of {count}", from + 1),
        Some((from, to)) if (from, to) != (0, count.saturating_sub(1)) => {
            format!("stages {}–{} of {count}", from + 1, to + 1)
        }
        _ => format!("all {count} stages"),
    }];
    if let Some(lanes) = &options.lanes {
        parts.push(format!("{} of {} lanes", lanes.len(), map.lanes.len()));
    }
    parts.push(format!("{}x", options.scale));
    if let Some(slide) = options.slide {
        parts.push(match slide {
            Slide::Wide => "16:9 slide".to_owned(),
            Slide::Standard => "4:3 slide".to_owned(),
        });
    }
    parts.push(human_bytes(bytes as u64));
    parts.join(", ")
}

/// The pages of a vector export, in the words of the status line: "1 page of 1092 ×
/// 1649 pt", "6 A4 landscape pages".
fn vector_summary(map: &Map, options: &ExportOptions) -> String {
    let pages = match (options.format, options.pdf.stage_pages) {
        (Format::Pdf, true) => 1 + options.view_of(map).map_or(0, |view| view.stages.len()),
        _ => 1,
    };
    let plural = if pages == 1 { "" } else { "s" };
    match (options.format, options.pdf.paper) {
        (Format::Pdf, Some(paper)) => {
            let turn = if options.pdf.landscape {
                " landscape"
            } else {
                ""
            };
            format!("{pages} {}{turn} page{plural}", paper.label())
        }
        _ => format!("{pages} page{plural}"),
    }
}

pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} KB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

fn write_slides(map: &Map, options: &ExportOptions, folder: &Path) -> Result<Done, String> {
    let parts =
        slides::legible_slides(map, options, &mut Measure::new()).map_err(|err| err.to_string())?;
    let stem = slides::slug(&map.title);
    let stem = if stem.is_empty() {
        "journey".to_owned()
    } else {
        stem
    };
    let paths: Vec<PathBuf> = parts
        .iter()
        .map(|part| folder.join(format!("{stem}-{}", part.name)))
        .collect();
    if let Some(taken) = paths.iter().find(|path| path.exists()) {
        return Err(format!(
            "{} is already there; choose an empty folder",
            file_name(taken)
        ));
    }
    std::fs::create_dir_all(folder).map_err(|err| err.to_string())?;
    for (part, path) in parts.iter().zip(&paths) {
        let png = export::render_png(map, &part.options).map_err(|err| err.to_string())?;
        storage::write_output(path, &png).map_err(|err| format!("{}: {err}", file_name(path)))?;
    }
    let smallest_text = parts
        .iter()
        .map(|p| p.text_points)
        .fold(f32::INFINITY, f32::min);
    Ok(Done::Slides {
        folder: folder.to_owned(),
        count: parts.len(),
        smallest_text,
    })
}

/// The deck's PNG files into `folder` (made if need be); files already there are never
/// replaced.
fn write_deck(map: &Map, options: &ExportOptions, folder: &Path) -> Result<Done, String> {
    let names = export::deck::file_names(map);
    if let Some(taken) = names.iter().find(|name| folder.join(name).exists()) {
        return Err(format!("{taken} is already there; choose an empty folder"));
    }
    let files =
        export::deck::render_pngs(map, &options.deck_options()).map_err(|err| err.to_string())?;
    std::fs::create_dir_all(folder).map_err(|err| err.to_string())?;
    for file in &files {
        let path = folder.join(&file.name);
        storage::write_output(&path, &file.bytes).map_err(|err| format!("{}: {err}", file.name))?;
    }
    let plan = export::deck::plan(options.scale);
    Ok(Done::Deck {
        folder: folder.to_owned(),
        count: files.len(),
        size: format!("{} × {} pixels", plan.width, plan.height),
    })
}

/// An export or a copy running on a worker thread.
pub struct ExportJob {
    pub(crate) what: String,
    receiver: Receiver<Result<Done, (String, String)>>,
}

enum Done {
    Written {
        path: PathBuf,
        /// "1456 × 2199 pixels", "6 A4 pages".
        size: String,
        bytes: usize,
    },
    Copied {
        what: String,
        placed: Placed,
    },
    Slides {
        folder: PathBuf,
        count: usize,
        smallest_text: f32,
    },
    Deck {
        folder: PathBuf,
        count: usize,
        /// "3840 × 2160 pixels".
        size: String,
    },
}

impl JourneyApp {
    /// Copies the map as a PNG image (Alt+Shift+C): with the options the export dialog
    /// shows when it is open, otherwise the whole map with the default options.
    pub fn copy_png(&mut self) {
        let options = match &self.export_dialog {
            Some(dialog) => dialog.effective(&self.canvas.selection.cards),
            None => ExportOptions::default(),
        };
        self.start_copy(options);
    }

    /// Puts the exporter's PNG file, byte for byte, on the clipboard.
    pub(crate) fn start_copy(&mut self, options: ExportOptions) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map().clone();
        let (clipboard, ctx) = (self.png_clipboard.clone(), self.ctx.clone());
        self.start_job("Copying the image…", move || {
            let fail = |cause: String| ("Could not copy the image".to_owned(), cause);
            let png = export::render_png(&map, &options).map_err(|err| fail(err.to_string()))?;
            let placed = clipboard.put(&ctx, &png).map_err(fail)?;
            Ok(Done::Copied {
                what: copy_summary(&map, &options, png.len()),
                placed,
            })
        });
    }

    /// Renders and writes the export (PNG, SVG, PDF or PowerPoint) to `path` on a worker thread.
    /// A name that asks for another format ("map.pdf" chosen for an SVG) gets that one.
    pub(crate) fn start_export(&mut self, options: ExportOptions, path: PathBuf) {
        let Some(doc) = &self.doc else { return };
        let options = ExportOptions {
            format: Format::of_path(&path).unwrap_or(options.format),
            ..options
        };
        let map = doc.map().clone();
        // The choice is made: the dialog gives way to the progress in the status bar.
        self.export_dialog = None;
        let what = format!("Exporting {}…", file_name(&path));
        self.start_job(&what, move || {
            let fail = |cause: String| (format!("Could not export {}", file_name(&path)), cause);
            let bytes = export::render(&map, &options).map_err(|err| fail(err.to_string()))?;
            let size = match options.format {
                Format::Png => {
                    let (width, height) = png_size(&bytes);
                    format!("{width} × {height} pixels")
                }
                Format::Svg | Format::Pdf if options.deck => {
                    let pages = crate::render::present::storyboard(&map).len();
                    format!("a deck of {pages} pages")
                }
                Format::Svg | Format::Pdf => vector_summary(&map, &options),
                Format::Pptx => {
                    let slides = export::pptx::slide_count(&map, &options.pptx_options());
                    format!("{slides} slide{}", if slides == 1 { "" } else { "s" })
                }
            };
            storage::write_output(&path, &bytes).map_err(|err| fail(err.to_string()))?;
            Ok(Done::Written {
                path,
                size,
                bytes: bytes.len(),
            })
        });
    }

    /// Splits the slide export into slides whose text is legible and writes one PNG per
    /// slide into `folder`; files already there are never replaced.
    pub(crate) fn start_slides_export(&mut self, options: ExportOptions, folder: PathBuf) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map().clone();
        self.export_dialog = None;
        let what = format!("Exporting slides into {}…", file_name(&folder));
        self.start_job(&what, move || {
            let fail = |cause: String| {
                (
                    format!("Could not export slides into {}", folder.display()),
                    cause,
                )
            };
            write_slides(&map, &options, &folder).map_err(fail)
        });
    }

    /// Writes the deck's PNG files, a slide per step, into `folder`.
    pub(crate) fn start_deck_export(&mut self, options: ExportOptions, folder: PathBuf) {
        let Some(doc) = &self.doc else { return };
        let map = doc.map().clone();
        self.export_dialog = None;
        let what = format!("Exporting the deck into {}…", file_name(&folder));
        self.start_job(&what, move || {
            let fail = |cause: String| {
                (
                    format!("Could not export the deck into {}", folder.display()),
                    cause,
                )
            };
            write_deck(&map, &options, &folder).map_err(fail)
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
    pub(crate) fn poll_export_job(&mut self) {
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
            Ok(Done::Written { path, size, bytes }) => self.info(format!(
                "Exported {} ({size}, {})",
                path.display(),
                human_bytes(bytes as u64)
            )),
            Ok(Done::Copied { what, placed }) => match placed {
                Placed::File => self.info(format!("Copied {what}: paste it into a slide")),
                Placed::PixelsOnly(why) => self.info(format!(
                    "Copied {what} as plain pixels ({why}): it pastes without its size or the editable map"
                )),
            },
            Ok(Done::Slides {
                folder,
                count,
                smallest_text,
            }) => self.info(format!(
                "Exported {count} slides into {} (card text {smallest_text:.0} pt or more)",
                folder.display()
            )),
            Ok(Done::Deck {
                folder,
                count,
                size,
            }) => self.info(format!(
                "Exported a deck of {count} slides into {} ({size} each)",
                folder.display()
            )),
            Err((title, text)) => self.alert(title, text),
        }
    }

    pub fn export_running(&self) -> Option<&str> {
        self.export_job.as_ref().map(|job| job.what.as_str())
    }
}
