//! Drafts of unsaved changes in the app's data folder, offered back after a crash.
//!
//! A running editor claims one slot, `KEY`: it holds `KEY.lock` locked for as long as
//! it runs and writes `KEY.journey.json` (an ordinary map file) and `KEY.meta.json`
//! (where the map came from). A draft whose lock nobody holds was left by an editor that
//! is gone: an orphan, to be offered for recovery.

use super::fingerprint::Fingerprint;
use super::{LoadError, load_file, write_output};
use crate::model::Map;
use crate::model::format::{self, Loaded};
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Overrides the app's data folder (tests and headless runs).
pub const DATA_DIR_VAR: &str = "JOURNEYMAP_DATA_DIR";

const LOCK: &str = ".lock";
const MAP: &str = ".journey.json";
const META: &str = ".meta.json";
const MAX_META_BYTES: u64 = 64 * 1024;
/// A lock file with no draft is left by an editor that crashed before its first draft;
/// younger ones may be a claim in progress.
const STALE_LOCK_AGE: Duration = Duration::from_secs(60);

/// The app's data folder: `$JOURNEYMAP_DATA_DIR` when set, else the platform's
/// (`$XDG_DATA_HOME/journeymap`, by default `~/.local/share/journeymap`, on Linux).
pub fn data_dir() -> Option<PathBuf> {
    data_dir_from(std::env::var_os(DATA_DIR_VAR))
}

fn data_dir_from(var: Option<OsString>) -> Option<PathBuf> {
    match var {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => eframe::storage_dir("journeymap"),
    }
}

/// The folder of drafts.
#[derive(Clone, Debug)]
pub struct Drafts {
    dir: PathBuf,
}

impl Drafts {
    pub fn in_dir(dir: impl Into<PathBuf>) -> Drafts {
        Drafts { dir: dir.into() }
    }

    /// `drafts/` in the [`data_dir`]; `None` where the platform has none.
    pub fn standard() -> Option<Drafts> {
        data_dir().map(|dir| Drafts::in_dir(dir.join("drafts")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A slot of its own for this editor, locked until the slot is dropped.
    pub fn claim(&self) -> io::Result<DraftSlot> {
        create_private_dir(&self.dir)?;
        self.remove_stale_locks();
        loop {
            let key = new_key();
            let path = self.file(&key, LOCK);
            let lock = match File::options().write(true).create_new(true).open(&path) {
                Ok(lock) => lock,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(err),
            };
            match lock.try_lock() {
                Ok(()) => {
                    return Ok(DraftSlot {
                        dir: self.dir.clone(),
                        key,
                        lock,
                    });
                }
                // Someone judged it stale in the instant between creating and locking.
                Err(TryLockError::WouldBlock) => {
                    let _ = fs::remove_file(&path);
                    continue;
                }
                Err(TryLockError::Error(err)) => {
                    let _ = fs::remove_file(&path);
                    return Err(err);
                }
            }
        }
    }

    /// Drafts left by editors that are no longer running, newest first. Drafts whose
    /// files are broken or half written are left out.
    pub fn orphans(&self) -> Vec<DraftInfo> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut orphans: Vec<DraftInfo> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name();
                let key = name.to_str()?.strip_suffix(META)?;
                self.orphan(key)
            })
            .collect();
        orphans.sort_by(|a, b| b.saved_at.cmp(&a.saved_at).then(a.key.cmp(&b.key)));
        orphans
    }

    /// The draft's map, read like any map file.
    pub fn load(&self, draft: &DraftInfo) -> Result<Loaded, LoadError> {
        load_file(&self.file(&draft.key, MAP))
    }

    /// Deletes an orphan's files; refused while its editor is still running.
    pub fn remove(&self, draft: &DraftInfo) -> io::Result<()> {
        if !valid_key(&draft.key) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not the name of a draft",
            ));
        }
        if self.is_live(&draft.key) {
            return Err(io::Error::new(
                io::ErrorKind::ResourceBusy,
                "the draft belongs to an editor that is still running",
            ));
        }
        remove_draft_files(&self.dir, &draft.key)?;
        remove_if_present(&self.file(&draft.key, LOCK))?;
        self.remove_temp_files(&draft.key);
        Ok(())
    }

    fn orphan(&self, key: &str) -> Option<DraftInfo> {
        if !valid_key(key) || self.is_live(key) || !self.file(key, MAP).is_file() {
            return None;
        }
        let meta = read_meta(&self.file(key, META))?;
        Some(DraftInfo {
            key: key.to_owned(),
            original: meta.original,
            title: meta.title,
            saved_at: UNIX_EPOCH.checked_add(Duration::from_secs(meta.saved_at))?,
            original_fingerprint: meta.original_fingerprint,
        })
    }

    /// Whether a running editor holds the slot's lock (a missing lock file: no).
    fn is_live(&self, key: &str) -> bool {
        File::open(self.file(key, LOCK))
            .is_ok_and(|lock| matches!(lock.try_lock(), Err(TryLockError::WouldBlock)))
    }

    /// Lock files of editors that crashed before writing any draft.
    fn remove_stale_locks(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(key) = name.to_str().and_then(|name| name.strip_suffix(LOCK)) else {
                continue;
            };
            let old = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .is_ok_and(|modified| modified.elapsed().unwrap_or_default() > STALE_LOCK_AGE);
            if valid_key(key) && old && !self.file(key, META).exists() && !self.is_live(key) {
                let _ = fs::remove_file(entry.path());
                self.remove_temp_files(key);
            }
        }
    }

    /// Temporary files of atomic writes that were interrupted: `.KEY.*.tmp`.
    fn remove_temp_files(&self, key: &str) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!(".{key}.");
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    fn file(&self, key: &str, suffix: &str) -> PathBuf {
        slot_file(&self.dir, key, suffix)
    }
}

/// This editor's draft: written after changes, discarded after a save or on a clean
/// exit. Dropping it releases the lock and leaves any draft behind for recovery.
#[derive(Debug)]
pub struct DraftSlot {
    dir: PathBuf,
    key: String,
    lock: File,
}

impl DraftSlot {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Writes `map` as the draft, with the path and fingerprint of the file it was
    /// opened from (`None` for a map never saved; the file as it is now when the
    /// fingerprint is not given). Each file is replaced atomically.
    pub fn write(
        &self,
        original: Option<&Path>,
        fingerprint: Option<&Fingerprint>,
        map: &Map,
    ) -> io::Result<()> {
        let original = original.map(std::path::absolute).transpose()?;
        let meta = DraftMeta {
            original_fingerprint: match fingerprint {
                Some(fingerprint) => Some(fingerprint.clone()),
                None => original
                    .as_deref()
                    .and_then(|path| Fingerprint::of(path).ok()),
            },
            original,
            title: map.title.clone(),
            saved_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs(),
        };
        // Fails for a path that is not UTF-8, before anything is written.
        let meta = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        // The map first: a draft is only listed once its metadata exists.
        write_output(
            &slot_file(&self.dir, &self.key, MAP),
            format::to_json(map).as_bytes(),
        )?;
        write_output(&slot_file(&self.dir, &self.key, META), &meta)
    }

    /// Removes the draft (after a save, or when the user discards the changes); the
    /// slot stays claimed and can be written again.
    pub fn discard(&self) -> io::Result<()> {
        remove_draft_files(&self.dir, &self.key)
    }
}

impl Drop for DraftSlot {
    fn drop(&mut self) {
        // Removed while still locked, so no one takes a lock on a file about to vanish.
        let _ = fs::remove_file(slot_file(&self.dir, &self.key, LOCK));
        let _ = self.lock.unlock();
    }
}

/// An orphaned draft, as listed by [`Drafts::orphans`].
#[derive(Clone, Debug, PartialEq)]
pub struct DraftInfo {
    pub key: String,
    /// The file the map was opened from or last saved to; `None` for a new map.
    pub original: Option<PathBuf>,
    pub title: String,
    pub saved_at: SystemTime,
    /// The original file as it was when the draft was written.
    pub original_fingerprint: Option<Fingerprint>,
}

impl DraftInfo {
    /// One line for the recovery prompt: "Unsaved changes to brief.journey.json,
    /// 5 minutes ago".
    pub fn summary(&self, now: SystemTime) -> String {
        let age = age_text(now.duration_since(self.saved_at).unwrap_or_default());
        match (&self.original, self.title.trim()) {
            (Some(path), _) => {
                let name = path.file_name().unwrap_or(path.as_os_str());
                format!("Unsaved changes to {}, {age}", name.to_string_lossy())
            }
            (None, "") => format!("Unsaved new map, {age}"),
            (None, title) => format!("Unsaved new map \u{201c}{title}\u{201d}, {age}"),
        }
    }

    /// Whether the original file changed (or went away) since the draft was written, so
    /// that saving the recovered map over it should ask first.
    pub fn original_changed(&self) -> bool {
        match (&self.original, &self.original_fingerprint) {
            (Some(path), Some(fingerprint)) => fingerprint.changed_on_disk(path),
            (Some(path), None) => path.exists(),
            (None, _) => false,
        }
    }
}

fn age_text(age: Duration) -> String {
    let plural = |n: u64, unit: &str| {
        let s = if n == 1 { "" } else { "s" };
        format!("{n} {unit}{s} ago")
    };
    match age.as_secs() {
        0..60 => "just now".to_owned(),
        secs @ 60..3600 => plural(secs / 60, "minute"),
        secs @ 3600..86_400 => plural(secs / 3600, "hour"),
        secs => plural(secs / 86_400, "day"),
    }
}

#[derive(Serialize, Deserialize)]
struct DraftMeta {
    original: Option<PathBuf>,
    title: String,
    /// Unix seconds.
    saved_at: u64,
    #[serde(default)]
    original_fingerprint: Option<Fingerprint>,
}

fn read_meta(path: &Path) -> Option<DraftMeta> {
    serde_json::from_slice(&super::read_bounded(path, MAX_META_BYTES).ok()?).ok()
}

/// Time, process and a counter: unique among running editors and their slots.
fn new_key() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{secs}-{}-{count}", std::process::id())
}

/// Keys are made by [`new_key`]; anything else could name a file outside the folder.
fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn slot_file(dir: &Path, key: &str, suffix: &str) -> PathBuf {
    dir.join(format!("{key}{suffix}"))
}

/// Metadata first: a draft without it is never listed.
fn remove_draft_files(dir: &Path, key: &str) -> io::Result<()> {
    remove_if_present(&slot_file(dir, key, META))?;
    remove_if_present(&slot_file(dir, key, MAP))
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// Drafts hold the user's work: readable by the user only where the platform allows.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests;
