//! Files and safety, driven like a user through egui_kittest: the unsaved-changes prompt
//! on close, Save As through a (scripted) file dialog, failed opens, drafts and their
//! recovery, files changed on disk, the export dialog against the CLI, Copy as PNG and
//! dropped files. File dialogs are answered by a script: no real dialog ever opens.

use egui::{Key, Modifiers, ViewportEvent, ViewportId, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::app::dialogs::{Answer, ScriptedDialogs};
use journeymap::app::{Document, JourneyApp};
use journeymap::model::Map;
use journeymap::render::theme;
use journeymap::storage::{self, drafts::Drafts};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use support::editor::template;

mod support;

fn build(app: JourneyApp) -> Harness<'static, JourneyApp> {
    let mut harness = Harness::builder()
        .renderer(support::CpuRenderer::default())
        .with_size(vec2(1600.0, 1000.0))
        .with_theme(egui::Theme::Light)
        .with_max_steps(12)
        .with_step_dt(0.05)
        .with_context_setup(theme::install_fonts)
        .build_ui_state(|ui, app: &mut JourneyApp| app.ui(ui), app);
    harness.run();
    harness
}

/// A map saved in a fresh folder, opened in the editor with scripted dialogs.
fn opened(
    dir: &Path,
    id: &str,
    answers: Vec<Answer>,
) -> (Harness<'static, JourneyApp>, PathBuf, Arc<ScriptedDialogs>) {
    let path = dir.join(format!("{id}.journey.json"));
    storage::save_map(&path, &template(id)).unwrap();
    let script = ScriptedDialogs::new(answers);
    let app = JourneyApp::new(Some(Document::open(&path).unwrap())).with_dialogs(script.clone());
    (build(app), path, script)
}

fn map(harness: &Harness<'_, JourneyApp>) -> Map {
    harness.state().doc.as_ref().unwrap().map().clone()
}

fn is_dirty(harness: &Harness<'_, JourneyApp>) -> bool {
    harness.state().doc.as_ref().unwrap().is_dirty()
}

/// Selects the first card by clicking it and deletes it with the Delete key.
fn delete_a_card(harness: &mut Harness<'_, JourneyApp>) {
    let app = harness.state_mut();
    let doc = app.doc.as_ref().unwrap();
    let id = doc.map().cards[0].id.clone();
    let rect = app.canvas.card_screen_rect(doc, &id).unwrap();
    harness.hover_at(rect.center());
    harness.run();
    harness.drag_at(rect.center());
    harness.drop_at(rect.center());
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert!(
        map(harness).card(&id).is_none(),
        "the card was deleted by the user"
    );
}

/// The window's close button.
fn close_window(harness: &mut Harness<'_, JourneyApp>) {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    harness.run();
}

/// Steps until `done` (work runs on other threads: dialogs, exports).
fn wait_until(
    harness: &mut Harness<'_, JourneyApp>,
    mut done: impl FnMut(&mut Harness<'_, JourneyApp>) -> bool,
) {
    for _ in 0..2000 {
        if done(harness) {
            return;
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    let app = harness.state();
    panic!(
        "timed out waiting; prompt {:?}, notice {:?}",
        app.prompt_kind(),
        app.notice
    );
}

#[test]
fn closing_with_unsaved_changes_asks_and_only_closes_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path, _) = opened(dir.path(), "5a", vec![]);
    let on_disk = std::fs::read(&path).unwrap();
    assert!(!is_dirty(&harness));
    assert_eq!(
        harness.state().window_title(),
        "5a.journey.json — journeymap"
    );

    delete_a_card(&mut harness);
    assert!(is_dirty(&harness));
    assert_eq!(
        harness.state().window_title(),
        "● 5a.journey.json — journeymap"
    );

    close_window(&mut harness);
    assert_eq!(harness.state().prompt_kind(), Some("unsaved"));
    harness.get_by_label("Save changes to 5a.journey.json?");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().prompt_kind(), None);
    assert!(
        !harness.state().is_quitting(),
        "Cancel keeps the window open"
    );
    assert!(is_dirty(&harness), "and the changes");

    close_window(&mut harness);
    eprintln!(
        "{:?} {:?}",
        harness.state().prompt_kind(),
        harness.state().notice
    );
    harness.get_by_label("Don't save").click();
    harness.run();
    assert!(harness.state().is_quitting());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        on_disk,
        "the file was not touched"
    );
}

#[test]
fn save_in_the_close_prompt_saves_then_closes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path, _) = opened(dir.path(), "aida", vec![]);
    delete_a_card(&mut harness);
    let edited = map(&harness);
    close_window(&mut harness);
    harness.get_by_label("Save").click();
    harness.run();
    assert!(harness.state().is_quitting());
    assert_eq!(storage::load_file(&path).unwrap().map, edited);
}

#[test]
fn save_as_goes_through_the_file_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("chosen.journey.json");
    let script = ScriptedDialogs::new([Answer::Chosen(target.clone())]);
    let app = JourneyApp::new(Some(Document::new(template("5a")))).with_dialogs(script.clone());
    let mut harness = build(app);
    assert!(
        is_dirty(&harness),
        "a map from a template is not on disk yet"
    );
    // Ctrl+S on a map without a file asks where to save it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_until(&mut harness, |h| {
        h.state().doc.as_ref().unwrap().path.as_deref() == Some(target.as_path())
    });
    harness.run();
    assert!(!is_dirty(&harness));
    assert_eq!(storage::load_file(&target).unwrap().map, map(&harness));
    assert!(matches!(
        script.asked().as_slice(),
        [journeymap::app::dialogs::Request::SaveMap { suggested }] if suggested.ends_with("the-5a-customer-path.journey.json")
            || suggested.extension().is_some()
    ));
    assert_eq!(
        harness.state().settings.recent.len(),
        1,
        "saved files are recent files"
    );
}

#[test]
fn without_a_dialog_the_path_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.journey.json");
    let script = ScriptedDialogs::new([Answer::Unavailable]);
    let app = JourneyApp::new(Some(Document::new(template("aida")))).with_dialogs(script);
    let mut harness = build(app);
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
    wait_until(&mut harness, |h| h.state().prompt_kind() == Some("path"));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(path.display().to_string()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(storage::load_file(&path).unwrap().map, map(&harness));
    assert!(!is_dirty(&harness));
}

#[test]
fn a_failed_open_leaves_the_map_untouched_and_names_file_and_cause() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.journey.json");
    std::fs::write(
        &broken,
        "{\n  \"format\": \"journeymap\",\n  \"version\": 1,\n  oops\n}\n",
    )
    .unwrap();
    let (mut harness, path, _) = opened(dir.path(), "5a", vec![Answer::Chosen(broken.clone())]);
    delete_a_card(&mut harness);
    let before = map(&harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    wait_until(&mut harness, |h| h.state().prompt_kind() == Some("error"));
    harness.run();
    harness.get_by_label("Could not open broken.journey.json");
    let cause = harness
        .query_all_by_label_contains("line 4")
        .next()
        .is_some();
    assert!(cause, "the error gives the line of the problem");
    assert_eq!(map(&harness), before);
    assert!(is_dirty(&harness));
    assert_eq!(
        harness.state().doc.as_ref().unwrap().path.as_deref(),
        Some(path.as_path())
    );
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().prompt_kind(), None);
}

fn draft_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".journey.json"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_draft_is_written_after_an_edit_offered_at_the_next_start_and_removed_after_saving() {
    let dir = tempfile::tempdir().unwrap();
    let drafts_dir = dir.path().join("drafts");
    let path = dir.path().join("brief.journey.json");
    storage::save_map(&path, &template("5a")).unwrap();

    let first = JourneyApp::new(Some(Document::open(&path).unwrap()))
        .with_dialogs(ScriptedDialogs::new([]))
        .with_drafts(Drafts::in_dir(&drafts_dir), 0.0);
    let mut harness = build(first);
    assert!(
        draft_files(&drafts_dir).is_empty(),
        "nothing unsaved, no draft"
    );
    delete_a_card(&mut harness);
    harness.run();
    let edited = map(&harness);
    assert_eq!(
        draft_files(&drafts_dir).len(),
        1,
        "a draft follows the change"
    );
    assert!(
        Drafts::in_dir(&drafts_dir).orphans().is_empty(),
        "a running editor's draft is not offered to others"
    );
    // The editor dies without a word (as a killed process would).
    drop(harness);

    let second = JourneyApp::new(None)
        .with_dialogs(ScriptedDialogs::new([]))
        .with_drafts(Drafts::in_dir(&drafts_dir), 0.0);
    let mut harness = build(second);
    harness.get_by_label("Recover unsaved work?");
    assert!(
        harness
            .query_by_label_contains("Unsaved changes to brief.journey.json")
            .is_some()
    );
    // "Decide later" puts the question away; the File menu brings it back.
    harness.get_by_label("Decide later").click();
    harness.run();
    assert!(harness.query_by_label("Recover unsaved work?").is_none());
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Recover unsaved work…").click();
    harness.run();
    harness.get_by_label("Recover").click();
    harness.run();
    assert_eq!(map(&harness), edited);
    assert!(is_dirty(&harness), "recovered changes are not saved yet");
    assert_eq!(
        harness.state().doc.as_ref().unwrap().path.as_deref(),
        Some(path.as_path())
    );
    assert_eq!(
        draft_files(&drafts_dir).len(),
        1,
        "the recovered map keeps one draft"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert_eq!(
        harness.state().prompt_kind(),
        None,
        "the file did not change meanwhile"
    );
    assert_eq!(storage::load_file(&path).unwrap().map, edited);
    assert!(
        draft_files(&drafts_dir).is_empty(),
        "a clean save removes the draft"
    );
    drop(harness);
    assert!(Drafts::in_dir(&drafts_dir).orphans().is_empty());
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, path, _) = opened(dir.path(), "5a", vec![]);
    delete_a_card(&mut harness);
    let theirs = journeymap::model::format::to_json(&template("aida"));
    std::fs::write(&path, &theirs).unwrap();

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert_eq!(harness.state().prompt_kind(), Some("changed on disk"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their version stays"
    );
    assert!(is_dirty(&harness));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.get_by_label("Save anyway").click();
    harness.run();
    assert_eq!(storage::load_file(&path).unwrap().map, map(&harness));
    assert!(!is_dirty(&harness));
    // Saved now: a second save does not ask again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    assert_eq!(harness.state().prompt_kind(), None);
}

#[test]
fn the_export_dialog_writes_the_same_png_as_the_cli_with_the_same_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("from-dialog.png");
    let (mut harness, path, script) = opened(dir.path(), "aida", vec![Answer::Chosen(out.clone())]);
    // The preview's spinner keeps repainting: step rather than run until settled.
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
    harness.run_steps(3);
    harness.get_by_label("Export PNG");
    for option in ["1x", "Dark", "Transparent", "Title", "Channel legend"] {
        harness.get_by_label(option).click();
        harness.run_steps(3);
    }
    wait_until(&mut harness, |h| {
        if let Some(node) = h.query_by_label_contains("Cannot export") {
            panic!("{node:?}");
        }
        h.query_by_label_contains("pixels · 72 dpi").is_some()
            && h.query_by_label("Updating the preview…").is_none()
    });
    harness.run();
    harness.get_by_label("Export PNG…").click();
    wait_until(&mut harness, |h| {
        out.exists() && h.state().export_running().is_none()
    });
    assert!(matches!(
        script.asked().as_slice(),
        [journeymap::app::dialogs::Request::Export { suggested, .. }] if suggested.ends_with("aida.png")
    ));

    let cli_out = dir.path().join("from-cli.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .arg("export")
        .arg(&path)
        .arg("--output")
        .arg(&cli_out)
        .args([
            "--scale",
            "1",
            "--theme",
            "dark",
            "--background",
            "transparent",
        ])
        .args(["--no-title", "--legend"])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        std::fs::read(&out).unwrap() == std::fs::read(&cli_out).unwrap(),
        "the dialog and the CLI give the same file"
    );

    // The options are remembered for this map.
    let remembered = harness.state().settings.export_options(Some(&path));
    assert_eq!(remembered.scale, 1.0);
    assert!(!remembered.title && remembered.legend);
}

#[test]
fn copy_as_png_without_the_clipboard_helper_puts_the_pixels_on_the_clipboard() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = opened(dir.path(), "aida", vec![]);
    harness.key_press_modifiers(Modifiers::SHIFT.plus(Modifiers::ALT), Key::C);
    let mut copied = None;
    wait_until(&mut harness, |h| {
        copied = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyImage(image) => Some(image.size),
                _ => None,
            });
        copied.is_some()
    });
    let [width, height] = copied.unwrap();
    // The default export: 2x with 32 pt of padding.
    assert!(width > 1000 && height > 1000, "{width}×{height}");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut Harness<'_, JourneyApp>, path: &Path) {
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_owned())));
    harness.run();
}

#[test]
fn dropped_files_open_maps_set_photos_and_refuse_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = opened(dir.path(), "5a", vec![]);

    // A text file: refused, with the reason.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a map").unwrap();
    drop_file(&mut harness, &notes);
    harness.get_by_label("Could not open notes.txt");
    harness.key_press(Key::Enter);
    harness.run();

    // An exported PNG: opens the map inside it (as a new, unsaved map).
    let png = dir.path().join("aida.png");
    let options = journeymap::export::ExportOptions {
        scale: 1.0,
        ..Default::default()
    };
    std::fs::write(
        &png,
        journeymap::export::render_png(&template("aida"), &options).unwrap(),
    )
    .unwrap();
    drop_file(&mut harness, &png);
    assert_eq!(map(&harness), template("aida"));
    assert_eq!(harness.state().doc.as_ref().unwrap().path, None);

    // A PowerPoint deck journeymap wrote: the same, and a hostile one is refused.
    let deck = dir.path().join("deck.pptx");
    let pptx = journeymap::export::pptx::render(&template("5a"), &Default::default()).unwrap();
    std::fs::write(&deck, pptx).unwrap();
    drop_file(&mut harness, &deck);
    // Over the unsaved map from the PNG: asked first, then not saved.
    assert_eq!(harness.state().prompt_kind(), Some("unsaved"));
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(map(&harness), template("5a"));
    assert_eq!(harness.state().doc.as_ref().unwrap().path, None);
    let foreign = dir.path().join("foreign.pptx");
    std::fs::write(&foreign, b"PK\x03\x04 not a deck").unwrap();
    drop_file(&mut harness, &foreign);
    harness.get_by_label("Could not open foreign.pptx");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(map(&harness), template("5a"), "the open map is untouched");

    // An ordinary picture on the Personas tab: the shown persona's photo.
    let picture = dir.path().join("face.png");
    image::RgbaImage::from_pixel(40, 40, image::Rgba([200, 120, 80, 255]))
        .save(&picture)
        .unwrap();
    harness.get_by_label("Personas").click();
    harness.run();
    drop_file(&mut harness, &picture);
    let app = harness.state();
    assert_eq!(app.prompt_kind(), None, "{:?}", app.notice);
    let photo = map(&harness).personas[0].photo.clone();
    assert!(photo.is_some_and(|p| p.starts_with("data:image/")));
}

#[test]
fn a_persona_photo_is_chosen_in_the_file_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let picture = dir.path().join("leila.jpg");
    image::RgbImage::from_pixel(64, 48, image::Rgb([90, 140, 200]))
        .save(&picture)
        .unwrap();
    let (mut harness, _, script) = opened(dir.path(), "5a", vec![Answer::Chosen(picture)]);
    harness.get_by_label("Personas").click();
    harness.run();
    harness.get_by_label("Choose a photo…").click();
    wait_until(&mut harness, |h| {
        h.state().doc.as_ref().unwrap().map().personas[0]
            .photo
            .as_deref()
            .is_some_and(|p| p.starts_with("data:image/"))
    });
    assert_eq!(script.asked(), [journeymap::app::dialogs::Request::Photo]);
    assert!(is_dirty(&harness));
}

#[test]
fn escape_closes_the_export_dialog_and_leaves_the_map_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = opened(dir.path(), "aida", vec![]);
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E);
    harness.run_steps(3);
    harness.get_by_label("Export PNG");
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(harness.query_by_label("Export PNG").is_none());
    assert!(!is_dirty(&harness));
}

/// Replaces the text of the focused path field.
fn type_path(harness: &mut Harness<'_, JourneyApp>, path: &Path) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(egui::Event::Text(path.display().to_string()));
    harness.run();
}

#[test]
fn typed_paths_never_replace_a_file_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = opened(dir.path(), "5a", vec![Answer::Unavailable]);
    delete_a_card(&mut harness);
    let other = dir.path().join("other.journey.json");
    storage::save_map(&other, &template("aida")).unwrap();
    let theirs = std::fs::read(&other).unwrap();

    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
    wait_until(&mut harness, |h| h.state().prompt_kind() == Some("path"));
    harness.run();
    type_path(&mut harness, &other);
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("other.journey.json exists: OK replaces it");
    assert_eq!(std::fs::read(&other).unwrap(), theirs, "not replaced yet");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(storage::load_file(&other).unwrap().map, map(&harness));
    assert!(!is_dirty(&harness));

    // Export JSON onto the map's own file is refused: that is what Save is for.
    let before = std::fs::read(&other).unwrap();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Export JSON…").click();
    harness.run();
    assert_eq!(harness.state().prompt_kind(), Some("path"));
    type_path(&mut harness, &other);
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("other.journey.json is this map's own file");
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_map_dropped_over_unsaved_changes_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _, _) = opened(dir.path(), "5a", vec![]);
    delete_a_card(&mut harness);
    assert!(is_dirty(&harness));

    // A pipe gives its bytes once: a second read would get what the writer sends next.
    let fifo = dir.path().join("piped.journey.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return eprintln!("SKIPPED: no mkfifo");
    }
    let json = journeymap::model::format::to_json(&template("aida"));
    let writer = fifo.clone();
    let (dropped, was_dropped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        std::fs::write(&writer, json).unwrap();
        was_dropped.recv().unwrap();
        std::fs::write(&writer, "not a map").unwrap();
    });
    drop_file(&mut harness, &fifo);
    dropped.send(()).unwrap();
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(
        harness.state().prompt_kind(),
        None,
        "{:?}",
        harness.state().notice
    );
    assert_eq!(map(&harness), template("aida"));
}
