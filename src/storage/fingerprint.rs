//! What a file on disk looked like, so that a save can tell whether someone else changed
//! it since the map was opened or last saved.

use super::read::{ReadError, read_input};
use serde::{Deserialize, Serialize};
use std::hash::Hasher;
use std::path::Path;
use std::time::SystemTime;

/// The length, modification time and a hash of the content of a file.
///
/// Two fingerprints are equal when length and content hash are equal: a file rewritten
/// with the same bytes (or only touched) is unchanged, and a file rewritten with other
/// bytes is changed even when its size and modification time are the same. The time is
/// kept to tell the user when the file changed, not to compare.
///
/// The hash is std's `DefaultHasher`, which may change between Rust releases: a
/// fingerprint stored by one build and compared by another can differ for the same file,
/// which errs on the side of asking.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fingerprint {
    pub len: u64,
    /// `None` where the platform does not record it (or it is before 1970).
    pub modified: Option<SystemTime>,
    pub hash: u64,
}

impl Fingerprint {
    /// Reads the whole file, up to the largest input journeymap opens.
    pub fn of(path: &Path) -> Result<Fingerprint, ReadError> {
        read_input(path, |_| super::MAX_INPUT_BYTES).map(|input| input.fingerprint)
    }

    /// The fingerprint of `bytes` just written to a file (no need to read them back).
    pub fn of_bytes(bytes: &[u8], modified: Option<SystemTime>) -> Fingerprint {
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write(bytes);
        Fingerprint {
            len: bytes.len() as u64,
            modified,
            hash: hasher.finish(),
        }
    }

    /// Whether the file at `path` no longer has this fingerprint; a file that is gone or
    /// cannot be read counts as changed.
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        !Fingerprint::of(path).is_ok_and(|now| now == *self)
    }
}

impl PartialEq for Fingerprint {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.hash == other.hash
    }
}

impl Eq for Fingerprint {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::Duration;
    use std::time::UNIX_EPOCH;

    fn write_with_time(path: &Path, bytes: &[u8], modified: SystemTime) {
        fs::write(path, bytes).unwrap();
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(modified).unwrap();
    }

    #[test]
    fn an_untouched_file_keeps_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journey.json");
        fs::write(&path, b"{\"title\": \"Checkout\"}").unwrap();
        let before = Fingerprint::of(&path).unwrap();
        assert_eq!(Fingerprint::of(&path).unwrap(), before);
        assert!(!before.changed_on_disk(&path));
    }

    #[test]
    fn other_bytes_of_the_same_length_and_time_are_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journey.json");
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        write_with_time(&path, b"{\"title\": \"Checkout\"}", time);
        let before = Fingerprint::of(&path).unwrap();
        write_with_time(&path, b"{\"title\": \"Checkin!\"}", time);
        let after = Fingerprint::of(&path).unwrap();
        assert_eq!((after.len, after.modified), (before.len, before.modified));
        assert_ne!(after, before);
        assert!(before.changed_on_disk(&path));
    }

    #[test]
    fn a_file_touched_or_rewritten_with_the_same_bytes_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journey.json");
        let bytes = b"{\"title\": \"Checkout\"}";
        write_with_time(
            &path,
            bytes,
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        );
        let before = Fingerprint::of(&path).unwrap();
        write_with_time(
            &path,
            bytes,
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        );
        let after = Fingerprint::of(&path).unwrap();
        assert_ne!(after.modified, before.modified);
        assert_eq!(after, before);
    }

    #[test]
    fn a_longer_or_missing_file_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journey.json");
        fs::write(&path, b"{}").unwrap();
        let before = Fingerprint::of(&path).unwrap();
        fs::write(&path, b"{} ").unwrap();
        assert!(before.changed_on_disk(&path));
        fs::remove_file(&path).unwrap();
        assert!(before.changed_on_disk(&path));
        assert!(Fingerprint::of(&path).is_err());
    }

    #[test]
    fn a_fingerprint_survives_a_round_trip_through_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.journey.json");
        fs::write(&path, b"{}").unwrap();
        let before = Fingerprint::of(&path).unwrap();
        let json = serde_json::to_string(&before).unwrap();
        let after: Fingerprint = serde_json::from_str(&json).unwrap();
        assert_eq!(after, before);
        assert_eq!(after.modified, before.modified);
    }
}
