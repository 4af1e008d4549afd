//! The export dialog and Copy as PNG, driven like a user through egui_kittest: the
//! dialog keeps its place while options change its content, the stage dropdowns open
//! above it and a choice lands on the option (not on what lies beneath), Copy puts the
//! exporter's own file on the clipboard with the options shown, and a slide export too
//! small to read offers legible slides, the Format row exports a PDF deck, and the PowerPoint
//! choice writes the deck of the options shown.

use egui::accesskit::Role;
use egui::{Key, Modifiers, PointerButton, Pos2, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::dialogs::{Answer, Request, ScriptedDialogs};
use journeymap::app::png_clipboard::RecordingClipboard;
use journeymap::app::{Document, JourneyApp};
use journeymap::export::{self, ExportOptions};
use journeymap::render::theme;
use journeymap::storage;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::editor::template;

mod support;

struct Opened {
    harness: Harness<'static, JourneyApp>,
    clipboard: Arc<RecordingClipboard>,
    dialogs: Arc<ScriptedDialogs>,
}

/// A template saved in `dir` and opened in the editor, with a recording clipboard.
fn opened(dir: &Path, id: &str, answers: Vec<Answer>) -> Opened {
    let path = dir.join(format!("{id}.journey.json"));
    storage::save_map(&path, &template(id)).unwrap();
    let clipboard = RecordingClipboard::new();
    let dialogs = ScriptedDialogs::new(answers);
    let app = JourneyApp::new(Some(Document::open(&path).unwrap()))
        .with_dialogs(dialogs.clone())
        .with_png_clipboard(clipboard.clone());
    let mut harness = Harness::builder()
        .renderer(support::CpuRenderer::default())
        .with_size(vec2(1400.0, 900.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    Opened {
        harness,
        clipboard,
        dialogs,
    }
}

/// Steps until `done` (previews, exports and copies run on other threads).
fn wait_until(
    harness: &mut Harness<'_, JourneyApp>,
    mut done: impl FnMut(&mut Harness<'_, JourneyApp>) -> bool,
) {
    for _ in 0..20_000 {
        if done(harness) {
            return;
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting; notice {:?}", harness.state().notice);
}

fn open_dialog(harness: &mut Harness<'_, JourneyApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
    wait_for_preview(harness);
}

fn wait_for_preview(harness: &mut Harness<'_, JourneyApp>) {
    harness.run_steps(2);
    wait_until(harness, |h| {
        h.query_by_label_contains(" pixels · ").is_some()
            && h.query_by_label("Updating the preview…").is_none()
    });
    harness.run_steps(2);
}

fn dialog_options(harness: &Harness<'_, JourneyApp>) -> ExportOptions {
    harness.state().export_dialog().unwrap().options.clone()
}

/// A press and, frames later, a release: as a hand clicks, not in one event burst.
fn click_slowly(harness: &mut Harness<'_, JourneyApp>, at: Pos2) {
    harness.hover_at(at);
    harness.run_steps(2);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run_steps(2);
    }
}

/// Where the dialog's fixed landmarks are: its heading and its Close button.
fn landmarks(harness: &Harness<'_, JourneyApp>) -> (Rect, Rect) {
    (
        harness
            .get_by_role_and_label(Role::Label, "Export PNG")
            .rect(),
        harness.get_by_label("Close").rect(),
    )
}

#[test]
fn the_dialog_keeps_its_place_when_options_change_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let Opened { mut harness, .. } = opened(dir.path(), "5a", vec![]);
    open_dialog(&mut harness);
    let before = landmarks(&harness);
    // Each of these adds or removes rows: stage pickers, slide notes, a warning.
    for option in ["All stages", "16:9", "Transparent", "None"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_for_preview(&mut harness);
        assert_eq!(landmarks(&harness), before, "after clicking {option}");
    }
    assert_eq!(dialog_options(&harness).stages, Some((0, 4)));
}

#[test]
fn a_stage_dropdown_opens_above_the_dialog_and_the_choice_lands_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let Opened { mut harness, .. } = opened(dir.path(), "5a", vec![]);
    open_dialog(&mut harness);
    let at = harness.get_by_label("All stages").rect().center();
    click_slowly(&mut harness, at);
    wait_for_preview(&mut harness);
    let before = dialog_options(&harness);
    assert_eq!(before.stages, Some((0, 4)));

    let from = harness.get_by_role_and_label(Role::ComboBox, "From").rect();
    click_slowly(&mut harness, from.center());
    // The list is open, on top: its third stage is where the pointer can reach it.
    let choice = harness.get_by_label("3. Ask").rect();
    assert!(
        choice.top() >= from.bottom() - 1.0,
        "{choice:?} below {from:?}"
    );
    click_slowly(&mut harness, choice.center());
    wait_for_preview(&mut harness);

    let after = dialog_options(&harness);
    assert_eq!(after.stages, Some((2, 4)), "the choice changed From");
    // Nothing beneath the list changed: lanes, the To picker, the other options.
    assert_eq!(
        ExportOptions {
            stages: before.stages,
            ..after.clone()
        },
        before
    );
    // The To picker opens too, and the choice lands.
    let to = harness.get_by_role_and_label(Role::ComboBox, "To").rect();
    click_slowly(&mut harness, to.center());
    let choice = harness.get_by_label("4. Act").rect();
    click_slowly(&mut harness, choice.center());
    wait_for_preview(&mut harness);
    assert_eq!(dialog_options(&harness).stages, Some((2, 3)));
}

#[test]
fn copy_puts_the_exporters_own_file_on_the_clipboard_with_the_shown_options() {
    let dir = tempfile::tempdir().unwrap();
    let Opened {
        mut harness,
        clipboard,
        ..
    } = opened(dir.path(), "aida", vec![]);
    open_dialog(&mut harness);
    for option in ["1x", "All stages"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_for_preview(&mut harness);
    }
    let from = harness.get_by_role_and_label(Role::ComboBox, "From").rect();
    click_slowly(&mut harness, from.center());
    let choice = harness.get_by_label("2. Interest").rect();
    click_slowly(&mut harness, choice.center());
    wait_for_preview(&mut harness);
    let shown = dialog_options(&harness);
    harness.get_by_label("Copy to clipboard").click();
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none() && !clipboard.copied().is_empty()
    });
    let copied = clipboard.copied();
    let file = export::render_png(&template("aida"), &shown).unwrap();
    assert!(copied[0] == file, "the clipboard holds the exporter's file");
    let info = export::chunk::read_info(&copied[0]).unwrap();
    assert!((info.dpi.unwrap() - 72.0).abs() < 0.1);
    assert!(export::chunk::read_map_json(&copied[0]).is_ok());
    let notice = harness.state().notice.clone().unwrap().text;
    assert!(
        notice.starts_with("Copied stages 2–4 of 4, 1x, "),
        "the status says what was copied: {notice}"
    );
}

#[test]
fn copy_without_the_dialog_copies_the_whole_map_not_the_last_exports_options() {
    let dir = tempfile::tempdir().unwrap();
    let Opened {
        mut harness,
        clipboard,
        ..
    } = opened(dir.path(), "5a", vec![]);
    // A two-stage export is remembered for this map...
    open_dialog(&mut harness);
    let at = harness.get_by_label("All stages").rect().center();
    click_slowly(&mut harness, at);
    wait_for_preview(&mut harness);
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    // ...and Copy as PNG from the keyboard copies what nothing hides: the whole map.
    harness.key_press_modifiers(Modifiers::SHIFT.plus(Modifiers::ALT), Key::C);
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none() && !clipboard.copied().is_empty()
    });
    let file = export::render_png(&template("5a"), &ExportOptions::default()).unwrap();
    assert!(clipboard.copied()[0] == file);
    let notice = harness.state().notice.clone().unwrap().text;
    assert!(notice.starts_with("Copied all 5 stages, 2x, "), "{notice}");
}

#[test]
fn a_slide_too_small_to_read_warns_and_splits_into_legible_slides() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("slides");
    let Opened {
        mut harness,
        dialogs,
        ..
    } = opened(dir.path(), "5a", vec![Answer::Chosen(folder.clone())]);
    open_dialog(&mut harness);
    for option in ["1x", "16:9"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_for_preview(&mut harness);
    }
    harness.get_by_label_contains("Fills a 16:9 slide exactly when inserted");
    harness.get_by_label_contains("too small to read");
    if let Ok(shots) = std::env::var("JOURNEYMAP_SCREENSHOTS") {
        let shot = harness.render().unwrap();
        shot.save(Path::new(&shots).join("export-dialog.png"))
            .unwrap();
    }
    harness.get_by_label("Split into legible slides…").click();
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none()
            && h.state()
                .notice
                .as_ref()
                .is_some_and(|n| n.text.contains("slides"))
    });
    assert!(matches!(
        dialogs.asked().as_slice(),
        [Request::ExportSlides { .. }]
    ));
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 1, "{files:?}");
    for file in &files {
        let png = std::fs::read(file).unwrap();
        let info = export::chunk::read_info(&png).unwrap();
        assert_eq!((info.width, info.height), (960, 540), "{file:?}");
    }
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("skincare-brand-first-order-5a-01-aware"),
        "{name}"
    );
}

#[test]
fn the_format_row_exports_an_a4_pdf_deck_through_the_save_dialog() {
    use journeymap::export::Format;
    use journeymap::export::vector::pdf::{Paper, PdfOptions};
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("deck.pdf");
    let Opened {
        mut harness,
        dialogs,
        ..
    } = opened(dir.path(), "5a", vec![Answer::Chosen(target.clone())]);
    open_dialog(&mut harness);
    for option in ["PDF", "A4", "Landscape", "Then a page per stage"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_until(&mut harness, |h| {
            h.query_by_label("Updating the preview…").is_none()
        });
    }
    let shown = dialog_options(&harness);
    assert_eq!(shown.format, Format::Pdf);
    assert_eq!(
        shown.pdf,
        PdfOptions {
            paper: Some(Paper::A4),
            landscape: true,
            stage_pages: true,
        }
    );
    harness.get_by_label_contains("A4 landscape: the map at");
    harness.get_by_label("Export PDF…").click();
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none()
            && h.state()
                .notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("Exported"))
    });
    assert!(matches!(
        dialogs.asked().as_slice(),
        [Request::Export {
            format: Format::Pdf,
            ..
        }]
    ));
    let written = std::fs::read(&target).unwrap();
    let expected = export::render(&template("5a"), &shown).unwrap();
    assert!(
        written == expected,
        "the file is the PDF of the shown options"
    );
    let notice = harness.state().notice.clone().unwrap().text;
    assert!(notice.contains("A4 landscape pages"), "{notice}");
}

#[test]
fn the_deck_choice_shows_every_slide_and_writes_a_png_per_step_into_the_chosen_folder() {
    use journeymap::export::Format;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("client deck");
    let Opened {
        mut harness,
        dialogs,
        ..
    } = opened(dir.path(), "5a", vec![Answer::Chosen(folder.clone())]);
    open_dialog(&mut harness);
    for option in ["Deck", "1x"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_until(&mut harness, |h| {
            h.query_by_label("Updating the preview…").is_none()
        });
    }
    let shown = dialog_options(&harness);
    assert!(shown.deck);
    assert_eq!((shown.format, shown.scale), (Format::Png, 1.0));
    let map = template("5a");
    let slides = journeymap::render::present::storyboard(&map).len();
    harness.get_by_label_contains(&format!("{slides} PNG files of 1920 × 1080 pixels"));
    // Copying a deck makes no sense (one image is not a deck): the button does nothing.
    harness.get_by_label("Copy to clipboard").click();
    harness.run();
    assert!(harness.state().export_running().is_none());
    harness.get_by_label("Export deck…").click();
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none()
            && h.state()
                .notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("Exported"))
    });
    assert!(matches!(
        dialogs.asked().as_slice(),
        [Request::ExportSlides { .. }]
    ));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, journeymap::export::deck::file_names(&map));
    let notice = harness.state().notice.clone().unwrap().text;
    assert!(
        notice.contains(&format!("a deck of {slides} slides")) && notice.contains("1920 × 1080"),
        "{notice}"
    );
}

#[test]
fn the_powerpoint_choice_counts_the_slides_and_writes_the_deck_of_the_shown_options() {
    use journeymap::export::Format;
    use journeymap::export::pptx::PptxSlides;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("client.pptx");
    let Opened {
        mut harness,
        dialogs,
        ..
    } = opened(dir.path(), "5a", vec![Answer::Chosen(target.clone())]);
    open_dialog(&mut harness);
    let map = template("5a");
    let count = journeymap::export::pptx::slide_count(&map, &Default::default());
    for option in ["PowerPoint", "Dark"] {
        let at = harness.get_by_label(option).rect().center();
        click_slowly(&mut harness, at);
        wait_until(&mut harness, |h| {
            h.query_by_label("Updating the preview…").is_none()
        });
    }
    harness.get_by_label(&format!("The storyboard: {count} slides"));
    harness.get_by_label_contains(&format!("{count} slides of 13.33 × 7.5 in"));
    let shown = dialog_options(&harness);
    assert_eq!(shown.format, Format::Pptx);
    assert_eq!(shown.pptx_slides, PptxSlides::Storyboard);
    assert_eq!(shown.mode, Some(journeymap::model::ThemeMode::Dark));
    harness.get_by_label("Export PowerPoint…").click();
    wait_until(&mut harness, |h| {
        h.state().export_running().is_none()
            && h.state()
                .notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("Exported"))
    });
    assert!(matches!(
        dialogs.asked().as_slice(),
        [Request::Export {
            format: Format::Pptx,
            ..
        }]
    ));
    let written = std::fs::read(&target).unwrap();
    let expected = export::render(&map, &shown).unwrap();
    assert!(
        written == expected,
        "the file is the deck of the shown options"
    );
    let notice = harness.state().notice.clone().unwrap().text;
    assert!(notice.contains(&format!("{count} slides")), "{notice}");
}
