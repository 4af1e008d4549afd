//! Files on disk: loading with clear errors, and atomic saves that keep a `.bak`.

pub mod drafts;
pub mod fingerprint;
pub mod read;

use crate::model::format::{self, FormatError, Limits, Loaded};
use crate::model::{Map, escape};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use read::{ReadError, read_bounded};

/// A file that could not be opened as a map: which file, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}: {cause}", escape::path(path))]
pub struct LoadError {
    pub path: PathBuf,
    pub cause: LoadCause,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadCause {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Png(#[from] crate::export::chunk::PngError),
    #[error(transparent)]
    Svg(#[from] crate::export::vector::svg::SvgError),
    #[error(transparent)]
    Pdf(#[from] crate::export::vector::pdf::PdfError),
    #[error(transparent)]
    Pptx(#[from] crate::export::pptx::PptxError),
}

/// Exported PNGs (and SVGs, PDFs and decks) can be much larger than map files: the file is read
/// whole, but only the part that carries the map is decoded.
const MAX_PNG_BYTES: u64 = 512 * 1024 * 1024;
/// The largest file journeymap reads as a map or PNG.
const MAX_INPUT_BYTES: u64 = MAX_PNG_BYTES;

/// A map read from a file, and what the file was.
#[derive(Debug)]
pub struct Opened {
    pub loaded: Loaded,
    /// The map came out of an exported PNG, SVG, PDF or PowerPoint deck (known by its bytes, whatever
    /// the name): saving must never write JSON over it.
    pub is_export: bool,
    /// A plain file, not a device or pipe: one the map can be saved back to.
    pub is_regular: bool,
    /// Of the bytes that were read.
    pub fingerprint: fingerprint::Fingerprint,
}

/// Reads and parses a map file (or an exported PNG), never reading past the size limit.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    open_file(path).map(|opened| opened.loaded)
}

/// [`load_file`], telling also what kind of file it was. The file is read once.
pub fn open_file(path: &Path) -> Result<Opened, LoadError> {
    let fail = |cause| LoadError {
        path: path.to_owned(),
        cause,
    };
    let limits = Limits::default();
    // Exported images (PNG, PDF, SVG) may be much larger than the map they carry.
    let limit_for = |head: &[u8]| {
        let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        let is_export = crate::export::chunk::is_png(head)
            || crate::export::vector::pdf::is_pdf(head)
            || crate::export::pptx::is_zip(head)
            || head.starts_with(b"<");
        match is_export {
            true => MAX_PNG_BYTES,
            false => limits.max_file_bytes,
        }
    };
    let input = read::read_input(path, limit_for).map_err(|err| fail(err.into()))?;
    let bytes = &input.bytes;
    let embedded = if crate::export::chunk::is_png(bytes) {
        Some(crate::export::chunk::read_map_json(bytes).map_err(|err| fail(LoadCause::Png(err)))?)
    } else if crate::export::vector::pdf::is_pdf(bytes) {
        Some(
            crate::export::vector::pdf::read_map_json(bytes)
                .map_err(|err| fail(LoadCause::Pdf(err)))?,
        )
    } else if crate::export::pptx::is_zip(bytes) {
        Some(crate::export::pptx::read_map_json(bytes).map_err(|err| fail(LoadCause::Pptx(err)))?)
    } else if crate::export::vector::svg::is_svg(bytes) {
        Some(
            crate::export::vector::svg::read_map_json(bytes)
                .map_err(|err| fail(LoadCause::Svg(err)))?,
        )
    } else {
        None
    };
    let loaded = match &embedded {
        Some(json) => format::parse_with_limits(json.as_bytes(), &limits),
        None => format::parse_with_limits(bytes, &limits),
    };
    Ok(Opened {
        loaded: loaded.map_err(|err| fail(LoadCause::Format(err)))?,
        is_export: embedded.is_some(),
        is_regular: input.is_regular,
        fingerprint: input.fingerprint,
    })
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
    let previous = fs::metadata(&path).ok();
    // Renaming over a device (`/dev/null`), a pipe or a folder would replace it.
    if previous.as_ref().is_some_and(|meta| !meta.is_file()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is a folder, device or pipe, not a regular file",
        ));
    }
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
