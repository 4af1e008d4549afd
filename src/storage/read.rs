//! Reading input files within a byte limit, whatever they are: a regular file, a
//! device such as `/dev/zero`, or a pipe that never ends.
//!
//! The size a file's metadata reports is only a hint (devices and pipes report 0), so
//! every read goes through a reader that stops one byte past the limit.

use super::fingerprint::Fingerprint;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Bytes read from a file, with what kind of file it was.
#[derive(Debug)]
pub struct Input {
    pub bytes: Vec<u8>,
    /// A plain file on disk (not a device, pipe or socket): one that can be saved over.
    pub is_regular: bool,
    pub fingerprint: Fingerprint,
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("is a folder, not a file")]
    IsDirectory,
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("it is not a regular file and gives more than {limit} bytes, over the limit")]
    EndlessInput { limit: u64 },
    #[error("there is not enough memory to read it")]
    OutOfMemory,
    #[error("cannot read it: {0}")]
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            io::ErrorKind::IsADirectory => ReadError::IsDirectory,
            io::ErrorKind::OutOfMemory => ReadError::OutOfMemory,
            _ => ReadError::Io(err),
        }
    }
}

/// Reads all of `path`, refusing it when it holds more than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_input(path, |_| limit).map(|input| input.bytes)
}

/// Reads all of `path` with a limit chosen from its first 8 bytes (a PNG may be larger
/// than a map). Never reads more than the limit plus one byte; the file is opened once,
/// so a pipe is read once.
pub fn read_input(path: &Path, limit_for: impl Fn(&[u8]) -> u64) -> Result<Input, ReadError> {
    let mut file = File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    let is_regular = metadata.is_file();
    let mut bytes = Vec::new();
    (&mut file).take(8).read_to_end(&mut bytes)?;
    let limit = limit_for(&bytes);
    if is_regular && metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    if is_regular {
        // The size is known: one allocation of the right size, or a clear error.
        let expected = metadata.len().saturating_sub(bytes.len() as u64);
        bytes
            .try_reserve_exact(usize::try_from(expected).unwrap_or(usize::MAX))
            .map_err(|_| ReadError::OutOfMemory)?;
    }
    let rest = (limit + 1).saturating_sub(bytes.len() as u64);
    file.take(rest).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        // A regular file that grew while it was read, or a device or pipe.
        return Err(match is_regular {
            true => ReadError::TooLarge { size: read, limit },
            false => ReadError::EndlessInput { limit },
        });
    }
    let modified = metadata
        .modified()
        .ok()
        .filter(|time| *time >= std::time::UNIX_EPOCH);
    let fingerprint = Fingerprint::of_bytes(&bytes, modified);
    Ok(Input {
        bytes,
        is_regular,
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        for (size, fits) in [(99, true), (100, true), (101, false)] {
            fs::write(&path, vec![b'x'; size]).unwrap();
            match read_bounded(&path, 100) {
                Ok(bytes) => assert!(fits && bytes.len() == size, "{size}"),
                Err(ReadError::TooLarge { size: s, limit }) => {
                    assert!(!fits && s == size as u64 && limit == 100, "{size}")
                }
                Err(other) => panic!("{size}: {other}"),
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_read_only_up_to_the_limit() {
        let err = read_bounded(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(
            matches!(err, ReadError::EndlessInput { limit: 1000 }),
            "{err}"
        );
        let empty = read_input(Path::new("/dev/null"), |_| 1000).unwrap();
        assert!(empty.bytes.is_empty() && !empty.is_regular);
    }

    #[test]
    fn the_limit_can_depend_on_the_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, b"BIG:0123456789").unwrap();
        let limit = |head: &[u8]| if head.starts_with(b"BIG:") { 100 } else { 10 };
        assert_eq!(read_input(&path, limit).unwrap().bytes.len(), 14);
        fs::write(&path, b"small:0123456789").unwrap();
        assert!(matches!(
            read_input(&path, limit),
            Err(ReadError::TooLarge {
                size: 16,
                limit: 10
            })
        ));
    }

    #[test]
    fn a_folder_or_a_missing_file_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_bounded(dir.path(), 10),
            Err(ReadError::IsDirectory)
        ));
        assert!(matches!(
            read_bounded(&dir.path().join("gone"), 10),
            Err(ReadError::NotFound)
        ));
    }
}
