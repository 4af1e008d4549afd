//! Drafts: a few seconds after a change, the map with unsaved changes is written to the
//! app's data folder; a clean save, a discard or undoing back to the saved state removes
//! it. After a crash or a kill, the next start offers to recover what it left.

use super::files::Action;
use super::{Document, JourneyApp};
use crate::edit::Edit;
use crate::storage::drafts::{DraftInfo, DraftSlot, Drafts};
use egui::Ui;
use std::time::SystemTime;

/// Seconds from a change to its draft.
pub const DRAFT_DELAY: f64 = 3.0;

pub struct Autosave {
    drafts: Drafts,
    /// This editor's draft, claimed at the first write.
    slot: Option<DraftSlot>,
    /// The document revision the draft on disk holds; `None` when there is none.
    written: Option<u64>,
    /// When the pending change is written (in `egui` input time).
    due: Option<f64>,
    delay: f64,
    /// Drafts left by earlier runs, offered until the user decides.
    pub offered: Vec<DraftInfo>,
    /// Whether the recovery prompt is shown.
    asking: bool,
    /// The last write failed with this (said once, not every few seconds).
    failed: Option<String>,
}

impl Autosave {
    pub fn new(drafts: Drafts, delay: f64) -> Self {
        let offered = drafts.orphans();
        Self {
            asking: !offered.is_empty(),
            offered,
            drafts,
            slot: None,
            written: None,
            due: None,
            delay,
            failed: None,
        }
    }

    fn write(&mut self, doc: &Document) -> Result<(), String> {
        if self.slot.is_none() {
            self.slot = Some(self.drafts.claim().map_err(|err| err.to_string())?);
        }
        let slot = self.slot.as_ref().ok_or("no draft slot")?;
        slot.write(doc.path.as_deref(), doc.disk(), doc.map())
            .map_err(|err| err.to_string())?;
        self.written = Some(doc.revision());
        self.due = None;
        Ok(())
    }

    fn discard(&mut self) {
        if let Some(slot) = &self.slot
            && self.written.is_some()
        {
            let _ = slot.discard();
        }
        self.written = None;
        self.due = None;
    }
}

/// The recovered map, on top of its file as one undo step when that file still opens
/// (undo goes back to what is on disk); a map that never had a file starts fresh.
fn recovered_document(draft: &DraftInfo, map: crate::model::Map) -> Document {
    let on_disk = draft.original.as_deref().and_then(|path| {
        Document::open(path)
            .ok()
            .filter(|doc| doc.path.is_some() && doc.warnings.is_empty())
    });
    let Some(mut doc) = on_disk else {
        return Document::recovered(
            map,
            draft.original.clone(),
            draft.original_fingerprint.clone(),
        );
    };
    // Saving asks first when the file changed since the draft's run opened it.
    doc.keep_disk(draft.original_fingerprint.clone());
    if doc.apply(Edit::ReplaceMap(Box::new(map.clone()))).is_err() {
        return Document::recovered(
            map,
            draft.original.clone(),
            draft.original_fingerprint.clone(),
        );
    }
    doc
}

impl JourneyApp {
    /// Writes a draft when a change is a few seconds old; removes it once the map is clean.
    pub(crate) fn autosave(&mut self, ctx: &egui::Context) {
        let Some(autosave) = &mut self.autosave else {
            return;
        };
        let doc = match &self.doc {
            Some(doc) if doc.is_dirty() => doc,
            _ => return autosave.discard(),
        };
        if autosave.written == Some(doc.revision()) {
            autosave.due = None;
            return;
        }
        let now = ctx.input(|i| i.time);
        let due = *autosave.due.get_or_insert(now + autosave.delay);
        if now < due {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(due - now));
            return;
        }
        match autosave.write(doc) {
            Ok(()) => autosave.failed = None,
            Err(err) => {
                // Try again after another delay; tell the user once.
                autosave.due = Some(now + autosave.delay);
                if autosave.failed.as_ref() != Some(&err) {
                    autosave.failed = Some(err.clone());
                    self.error(format!("Could not write the recovery draft: {err}"));
                }
            }
        }
    }

    /// Removes this editor's draft (after a save, or when the changes are given up).
    pub(crate) fn discard_draft(&mut self) {
        if let Some(autosave) = &mut self.autosave {
            autosave.discard();
        }
    }

    /// Replaces the map with a draft of an earlier run; the draft file goes once this
    /// editor's own draft holds the recovered map.
    pub(crate) fn recover(&mut self, draft: &DraftInfo) {
        let Some(autosave) = &mut self.autosave else {
            return;
        };
        let loaded = match autosave.drafts.load(draft) {
            Ok(loaded) => loaded,
            Err(err) => return self.alert("Could not recover the draft", err.to_string()),
        };
        autosave.offered.retain(|d| d != draft);
        let doc = recovered_document(draft, loaded.map);
        self.discard_draft();
        self.set_document(doc);
        let Some(autosave) = &mut self.autosave else {
            return;
        };
        let kept = self.doc.as_ref().map(|doc| autosave.write(doc));
        if let Some(Err(err)) = kept {
            return self.error(format!(
                "Recovered, but the recovery draft could not be written again: {err}"
            ));
        }
        let _ = autosave.drafts.remove(draft);
        let changed = draft.original_changed();
        self.info(match (&draft.original, changed) {
            (Some(path), true) => format!(
                "Recovered your unsaved changes to {} (the file itself changed since: saving will ask first)",
                path.display()
            ),
            (Some(path), false) => format!(
                "Recovered your unsaved changes to {}: save to keep them",
                path.display()
            ),
            (None, _) => "Recovered your unsaved new map: save it to keep it".to_owned(),
        });
    }

    /// Whether drafts of an earlier run are waiting for a decision.
    pub fn drafts_offered(&self) -> bool {
        self.autosave
            .as_ref()
            .is_some_and(|a| !a.offered.is_empty())
    }

    /// Shows the recovery prompt again (after "Decide later").
    pub fn show_recovery(&mut self) {
        if let Some(autosave) = &mut self.autosave {
            autosave.asking = !autosave.offered.is_empty();
        }
    }

    /// The prompt that offers the drafts of an earlier run.
    pub(crate) fn recovery_ui(&mut self, ui: &mut Ui) {
        let Some(autosave) = &mut self.autosave else {
            return;
        };
        if !autosave.asking || autosave.offered.is_empty() || self.prompt.is_some() {
            return;
        }
        let now = SystemTime::now();
        let mut recover = None;
        let mut discard = None;
        let mut later = false;
        egui::Modal::new(egui::Id::unique("recovery prompt")).show(ui.ctx(), |ui| {
            ui.set_max_width(560.0);
            ui.heading("Recover unsaved work?");
            ui.label(
                "journeymap closed without saving these changes (a crash, a power cut or a \
                 forced quit). Recover one to keep working on it.",
            );
            ui.add_space(8.0);
            for draft in &autosave.offered {
                ui.horizontal(|ui| {
                    ui.label(draft.summary(now));
                    if ui.button("Recover").clicked() {
                        recover = Some(draft.clone());
                    }
                    if ui.button("Discard").clicked() {
                        discard = Some(draft.clone());
                    }
                });
                if let Some(path) = &draft.original {
                    ui.weak(path.display().to_string());
                }
            }
            ui.add_space(8.0);
            if ui.button("Decide later").clicked() {
                later = true;
            }
        });
        if later {
            autosave.asking = false;
        }
        if let Some(draft) = discard {
            let _ = autosave.drafts.remove(&draft);
            autosave.offered.retain(|d| *d != draft);
        }
        if let Some(draft) = recover {
            autosave.asking = false;
            self.request(Action::Recover(draft));
        }
    }
}
