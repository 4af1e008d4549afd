//! What the editor remembers between runs: recent files, the interface theme, the
//! colours picked lately, and the export options (the last used, and those of each map
//! file).
//!
//! eframe keeps the window size itself; these settings ride along in its storage as one
//! JSON string, read tolerantly: a damaged or older value gives the defaults.

use crate::export::ExportOptions;
use crate::model::Color;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The key of the settings in eframe's storage.
pub const STORAGE_KEY: &str = "journeymap.settings";
/// How many recent files the File menu and the start screen list.
pub const MAX_RECENT: usize = 10;
/// How many maps keep their own export options.
const MAX_EXPORT_MAPS: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    pub dark_ui: bool,
    /// The colour picker's recent colours as `#rrggbb`, latest first. Text, so that one
    /// damaged entry is skipped rather than costing the other settings.
    recent_colours: Vec<String>,
    /// The options of the last export, the start for maps that have none of their own.
    pub export: ExportOptions,
    /// Export options per map file (by path), oldest first.
    export_by_map: Vec<(PathBuf, ExportOptions)>,
}

impl Settings {
    pub fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Puts `path` first in the recent files.
    pub fn add_recent(&mut self, path: &Path) {
        let path = canonical(path);
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    pub fn recent_colours(&self) -> Vec<Color> {
        self.recent_colours
            .iter()
            .filter_map(|c| c.parse().ok())
            .collect()
    }

    pub fn set_recent_colours(&mut self, colours: &[Color]) {
        self.recent_colours = colours.iter().map(Color::to_string).collect();
    }

    /// The export options for the map at `path` (or the last used for a new map).
    /// A selection is never remembered: it belongs to the moment of the export.
    pub fn export_options(&self, path: Option<&Path>) -> ExportOptions {
        let path = path.map(canonical);
        let own = path.and_then(|path| {
            self.export_by_map
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, options)| options.clone())
        });
        let mut options = own.unwrap_or_else(|| ExportOptions {
            // Ranges name this map's stages and lanes: they do not carry over.
            stages: None,
            lanes: None,
            ..self.export.clone()
        });
        options.selection = None;
        options
    }

    pub fn remember_export(&mut self, path: Option<&Path>, options: &ExportOptions) {
        let options = ExportOptions {
            selection: None,
            ..options.clone()
        };
        if let Some(path) = path.map(canonical) {
            self.export_by_map.retain(|(p, _)| *p != path);
            self.export_by_map.push((path, options.clone()));
            let extra = self.export_by_map.len().saturating_sub(MAX_EXPORT_MAPS);
            self.export_by_map.drain(..extra);
        }
        self.export = options;
    }
}

/// Old or damaged settings never stop the editor from starting.
impl From<Option<String>> for Settings {
    fn from(text: Option<String>) -> Self {
        text.as_deref().map(Settings::from_json).unwrap_or_default()
    }
}

/// One name for one file, however it was reached (a path that cannot be resolved
/// stays as it is).
pub(crate) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// A recent file as the menu shows it: its name, then its folder.
pub fn recent_label(path: &Path) -> String {
    let name = super::files::file_name(path);
    match path.parent().and_then(Path::file_name) {
        Some(folder) => format!("{name}  —  {}", folder.to_string_lossy()),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Background, Slide};
    use crate::model::{CardId, ThemeMode};

    #[test]
    fn settings_survive_a_round_trip() {
        let mut settings = Settings {
            dark_ui: true,
            ..Settings::default()
        };
        settings.add_recent(Path::new("/maps/a.journey.json"));
        settings.add_recent(Path::new("/maps/b.journey.json"));
        settings.add_recent(Path::new("/maps/a.journey.json"));
        let options = ExportOptions {
            scale: 3.0,
            padding: 0.0,
            background: Background::Transparent,
            mode: Some(ThemeMode::Dark),
            stages: Some((1, 2)),
            slide: Some(Slide::Wide),
            legend: true,
            ..ExportOptions::default()
        };
        settings.remember_export(Some(Path::new("/maps/a.journey.json")), &options);
        let back = Settings::from_json(&settings.to_json());
        assert_eq!(back, settings);
        assert_eq!(
            back.recent,
            [
                PathBuf::from("/maps/a.journey.json"),
                PathBuf::from("/maps/b.journey.json")
            ]
        );
    }

    #[test]
    fn export_options_are_remembered_per_map_without_the_selection() {
        let mut settings = Settings::default();
        let a = Path::new("/maps/a.journey.json");
        let options = ExportOptions {
            scale: 4.0,
            stages: Some((0, 1)),
            selection: Some(vec![CardId::from("c1")]),
            ..ExportOptions::default()
        };
        settings.remember_export(Some(a), &options);
        let for_a = settings.export_options(Some(a));
        assert_eq!(for_a.scale, 4.0);
        assert_eq!(for_a.stages, Some((0, 1)));
        assert_eq!(for_a.selection, None);
        // Another map starts from the last options, but not from a's stage range.
        let for_b = settings.export_options(Some(Path::new("/maps/b.journey.json")));
        assert_eq!(for_b.scale, 4.0);
        assert_eq!(for_b.stages, None);
    }

    #[test]
    fn damaged_settings_give_the_defaults() {
        assert_eq!(Settings::from_json("{not json"), Settings::default());
        assert_eq!(Settings::from(None), Settings::default());
        let partial = Settings::from_json(r#"{"dark_ui": true, "future": 1}"#);
        assert!(partial.dark_ui);
        assert!(partial.recent.is_empty());
    }

    #[test]
    fn recent_files_are_capped() {
        let mut settings = Settings::default();
        for n in 0..(MAX_RECENT + 5) {
            settings.add_recent(Path::new(&format!("/maps/{n}.journey.json")));
        }
        assert_eq!(settings.recent.len(), MAX_RECENT);
        assert_eq!(settings.recent[0], PathBuf::from("/maps/14.journey.json"));
    }

    #[test]
    fn recent_colours_survive_and_a_damaged_one_is_skipped() {
        let mut settings = Settings::default();
        let colours = [Color::rgb(0x12, 0x34, 0x56), Color::rgb(0xff, 0x00, 0x80)];
        settings.set_recent_colours(&colours);
        let back = Settings::from_json(&settings.to_json());
        assert_eq!(back.recent_colours(), colours);
        let damaged = Settings::from_json(
            r##"{"dark_ui": true, "recent_colours": ["#123456", "not a colour", "#ff0080"]}"##,
        );
        assert!(damaged.dark_ui);
        assert_eq!(damaged.recent_colours(), colours);
    }
}
