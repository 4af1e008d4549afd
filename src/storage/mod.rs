//! Files on disk: loading with clear errors, and atomic saves that keep a `.bak`.

pub mod drafts;
pub mod fingerprint;

use crate::model::Map;
use crate::model::format::{self, FormatError, Limits, Loaded};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file that could not be opened as a map: which file, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {cause}", path.display())]
pub struct LoadError {
    pub path: PathBuf,
    pub cause: LoadCause,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadCause {
    #[error("no such file")]
    NotFound,
    #[error("is a folder, not a file")]
    IsDirectory,
    #[error("cannot read it: {0}")]
    Io(io::Error),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Png(#[from] crate::export::chunk::PngError),
}

/// Exported PNGs can be much larger than map files: the file is read whole, but only
/// its header and text chunks are decoded.
const MAX_PNG_BYTES: u64 = 512 * 1024 * 1024;

/// Reads and parses a map file; the size limit is checked before reading.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let fail = |cause| LoadError {
        path: path.to_owned(),
        cause,
    };
    let limits = Limits::default();
    let metadata = fs::metadata(path).map_err(|err| fail(io_cause(err)))?;
    if metadata.is_dir() {
        return Err(fail(LoadCause::IsDirectory));
    }
    if looks_like_png(path) {
        if metadata.len() > MAX_PNG_BYTES {
            return Err(fail(LoadCause::Format(FormatError::TooLarge {
                size: metadata.len(),
                limit: MAX_PNG_BYTES,
            })));
        }
        let bytes = fs::read(path).map_err(|err| fail(io_cause(err)))?;
        let json =
            crate::export::chunk::read_map_json(&bytes).map_err(|err| fail(LoadCause::Png(err)))?;
        return format::parse_with_limits(json.as_bytes(), &limits)
            .map_err(|err| fail(LoadCause::Format(err)));
    }
    if metadata.len() > limits.max_file_bytes {
        return Err(fail(LoadCause::Format(FormatError::TooLarge {
            size: metadata.len(),
            limit: limits.max_file_bytes,
        })));
    }
    let bytes = fs::read(path).map_err(|err| fail(io_cause(err)))?;
    format::parse_with_limits(&bytes, &limits).map_err(|err| fail(LoadCause::Format(err)))
}

/// A PNG by its first bytes (whatever its name says).
pub fn looks_like_png(path: &Path) -> bool {
    let mut head = [0u8; 8];
    fs::File::open(path)
        .and_then(|mut file| io::Read::read_exact(&mut file, &mut head))
        .is_ok_and(|()| crate::export::chunk::is_png(&head))
}

fn io_cause(err: io::Error) -> LoadCause {
    match err.kind() {
        io::ErrorKind::NotFound => LoadCause::NotFound,
        io::ErrorKind::IsADirectory => LoadCause::IsDirectory,
        _ => LoadCause::Io(err),
    }
}

/// Saves a map as pretty JSON, atomically, keeping the previous file as `.bak`.
pub fn save_map(path: &Path, map: &Map) -> io::Result<()> {
    save_atomic(path, format::to_json(map).as_bytes())
}

/// The path of the backup kept beside `path`: `NAME.journey.json.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `contents` to `path` so that a crash at any moment leaves either the old or
/// the new file, never a mix: a temporary file in the same folder is written, synced and
/// renamed over the target. The previous version is kept as `.bak`.
pub fn save_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic(path, contents, true)
}

/// [`save_atomic`] for files that are made, not edited (exported images): no `.bak`.
pub fn write_output(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic(path, contents, false)
}

fn write_atomic(path: &Path, contents: &[u8], keep_previous: bool) -> io::Result<()> {
    // Saving through a symlink replaces the file it points to, not the link.
    let path = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_owned(),
    };
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let previous = fs::metadata(&path).ok().filter(|meta| meta.is_file());
    if let Err(err) = write_synced(&temp, contents, previous.as_ref()) {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    if keep_previous
        && previous.is_some()
        && let Err(err) = keep_backup(&path)
    {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    if let Err(err) = fs::rename(&temp, &path) {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    sync_dir(&dir);
    remove_abandoned_temps(&dir, &name.to_string_lossy());
    Ok(())
}

/// A temporary file this old was left by a save that was killed (a save takes
/// milliseconds): it is removed by the next save of the same file.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Removes the temporary files of killed saves of `name` (`.NAME.PID.tmp` and
/// `NAME.bak.PID.tmp`), whichever process left them, once they are old.
fn remove_abandoned_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let ours = |file: &str| {
        let middle = file
            .strip_prefix(&format!(".{name}."))
            .or_else(|| file.strip_prefix(&format!("{name}.bak.")))
            .and_then(|rest| rest.strip_suffix(".tmp"));
        middle.is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|time| time.elapsed().is_ok_and(|age| age > ABANDONED));
        if old && ours(&entry.file_name().to_string_lossy()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_synced(temp: &Path, contents: &[u8], previous: Option<&fs::Metadata>) -> io::Result<()> {
    let _ = fs::remove_file(temp); // a leftover of a crashed save by a process with our pid
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?;
    file.write_all(contents)?;
    if let Some(previous) = previous {
        file.set_permissions(previous.permissions())?;
    }
    file.sync_all()
}

/// Replaces `NAME.bak` with the current file, atomically too (via a hard link or copy).
fn keep_backup(path: &Path) -> io::Result<()> {
    let backup = backup_path(path);
    let mut staged_name = backup.file_name().unwrap_or_default().to_owned();
    staged_name.push(format!(".{}.tmp", std::process::id()));
    let staged = backup.with_file_name(staged_name);
    let _ = fs::remove_file(&staged);
    if fs::hard_link(path, &staged).is_err() {
        fs::copy(path, &staged)?;
    }
    fs::rename(&staged, &backup).inspect_err(|_| {
        let _ = fs::remove_file(&staged);
    })
}

/// Makes the rename itself durable; not possible (nor needed) on every platform.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests;
