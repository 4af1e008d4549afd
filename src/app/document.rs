//! The open map with its file, its undo history and whether it is saved.

use crate::edit::{Edit, EditError, History};
use crate::model::Map;
use crate::storage;
use crate::storage::fingerprint::Fingerprint;
use std::io;
use std::path::{Path, PathBuf};

pub struct Document {
    map: Map,
    pub path: Option<PathBuf>,
    history: History,
    /// Bumped by every change; the layout cache and the dirty flag key on it.
    revision: u64,
    /// The history state last saved (or opened): the map is clean when it is current.
    saved_state: Option<(u64, bool)>,
    /// What loading repaired, shown once to the user.
    pub warnings: Vec<String>,
    /// The file as it was when opened or last saved: saving over a file that has
    /// changed since asks first.
    disk: Option<Fingerprint>,
}

impl Document {
    /// A map that is not on disk yet (from a template or pasted).
    pub fn new(map: Map) -> Self {
        Self {
            map,
            path: None,
            history: History::default(),
            revision: 0,
            saved_state: None,
            warnings: Vec::new(),
            disk: None,
        }
    }

    pub fn open(path: &Path) -> Result<Self, storage::LoadError> {
        storage::open_file(path).map(|opened| Self::from_opened(path, opened))
    }

    /// The document of a file already read by [`storage::open_file`].
    pub fn from_opened(path: &Path, opened: storage::Opened) -> Self {
        let loaded = opened.loaded;
        // An exported PNG opens as a new map: saving must not write JSON over the image
        // (known by its bytes: the name may not say so). Nor over a device or a pipe.
        if opened.is_export || !opened.is_regular {
            return Self {
                warnings: loaded.warnings,
                ..Self::new(loaded.map)
            };
        }
        // A map that loading repaired differs from its file: it starts with unsaved changes.
        Self {
            disk: Some(opened.fingerprint),
            path: Some(path.to_owned()),
            saved_state: loaded.warnings.is_empty().then_some((0, false)),
            warnings: loaded.warnings,
            ..Self::new(loaded.map)
        }
    }

    /// A map recovered from a draft: unsaved, and saved to `original` (when it had a
    /// file) only after asking if that file changed since `disk` was taken.
    pub fn recovered(map: Map, original: Option<PathBuf>, disk: Option<Fingerprint>) -> Self {
        Self {
            path: original,
            disk,
            ..Self::new(map)
        }
    }

    pub fn map(&self) -> &Map {
        &self.map
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.history.state())
    }

    /// Applies an edit as its own undo step, or as part of the open gesture.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.history.apply(&mut self.map, edit)?;
        self.revision += 1;
        Ok(())
    }

    pub fn begin_gesture(&mut self, label: impl Into<String>) {
        self.history.begin_gesture(label);
    }

    pub fn end_gesture(&mut self) {
        self.history.end_gesture();
    }

    pub fn in_gesture(&self) -> bool {
        self.history.in_gesture()
    }

    pub fn undo(&mut self) -> Result<Option<String>, EditError> {
        let label = self.history.undo(&mut self.map)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    pub fn redo(&mut self) -> Result<Option<String>, EditError> {
        let label = self.history.redo(&mut self.map)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    /// Saves to the document's file (atomically, keeping a `.bak`).
    pub fn save(&mut self) -> io::Result<PathBuf> {
        let path = self.path.clone().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "the map has no file yet: use Save As",
            )
        })?;
        self.save_as(&path)?;
        Ok(path)
    }

    pub fn save_as(&mut self, path: &Path) -> io::Result<()> {
        self.history.end_gesture();
        let json = crate::model::format::to_json(&self.map);
        storage::save_atomic(path, json.as_bytes())?;
        self.path = Some(path.to_owned());
        self.saved_state = Some(self.history.state());
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        self.disk = Some(Fingerprint::of_bytes(json.as_bytes(), modified));
        Ok(())
    }

    /// Takes `disk` as the file's state to compare with before saving over it (a
    /// recovered draft keeps the state its own run opened).
    pub fn keep_disk(&mut self, disk: Option<Fingerprint>) {
        if disk.is_some() {
            self.disk = disk;
        }
    }

    /// The document's file as it was when opened or last saved.
    pub fn disk(&self) -> Option<&Fingerprint> {
        self.disk.as_ref()
    }

    /// Whether the document's file was changed by someone else since it was opened or
    /// last saved (a file that is gone does not count: saving recreates it).
    pub fn changed_on_disk(&self) -> bool {
        match (&self.path, &self.disk) {
            (Some(path), Some(disk)) => path.exists() && disk.changed_on_disk(path),
            (Some(path), None) => path.exists(),
            (None, _) => false,
        }
    }

    /// The name for the window title: the file name, or the map's title when unsaved.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => super::files::file_name(path),
            None if self.map.title.is_empty() => "Untitled journey".to_owned(),
            None => self.map.title.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::MapField;

    #[test]
    fn undoing_back_to_the_saved_state_is_clean_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.journey.json");
        let mut doc = Document::new(crate::templates::find("blank").unwrap().map().unwrap());
        assert!(doc.is_dirty(), "a map from a template is not on disk yet");
        doc.save_as(&path).unwrap();
        assert!(!doc.is_dirty());
        doc.apply(Edit::SetMap(MapField::Title("Changed".to_owned())))
            .unwrap();
        assert!(doc.is_dirty());
        doc.undo().unwrap();
        assert!(!doc.is_dirty());
        doc.redo().unwrap();
        assert!(doc.is_dirty());
        doc.begin_gesture("typing");
        doc.undo().unwrap();
        assert!(!doc.is_dirty());
    }
}
