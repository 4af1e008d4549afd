use super::*;
use crate::model::{Stage, format};

fn map_titled(title: &str) -> Map {
    let mut map = Map {
        title: title.to_owned(),
        ..Map::default()
    };
    map.stages.push(Stage::new("s1", "Aware"));
    map
}

#[test]
fn save_writes_the_map_and_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.journey.json");
    save_map(&path, &map_titled("first")).unwrap();
    assert!(
        !backup_path(&path).exists(),
        "nothing to back up on the first save"
    );
    save_map(&path, &map_titled("second")).unwrap();

    let saved = load_file(&path).unwrap().map;
    let backup = load_file(&backup_path(&path)).unwrap().map;
    assert_eq!(saved.title, "second");
    assert_eq!(backup.title, "first");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn saving_twice_gives_byte_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        dir.path().join("a.journey.json"),
        dir.path().join("b.journey.json"),
    );
    let map = map_titled("same");
    save_map(&a, &map).unwrap();
    save_map(&b, &map).unwrap();
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    assert_eq!(fs::read_to_string(&a).unwrap(), format::to_json(&map));
}

#[test]
fn a_failed_save_leaves_the_old_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("x.journey.json");
    assert!(save_map(&path, &map_titled("x")).is_err());

    let path = dir.path().join("kept.journey.json");
    save_map(&path, &map_titled("kept")).unwrap();
    let before = fs::read(&path).unwrap();
    // A folder where the backup belongs makes the save fail before the rename.
    fs::create_dir(backup_path(&path)).unwrap();
    assert!(save_map(&path, &map_titled("new")).is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn load_names_the_file_and_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.journey.json");
    let err = load_file(&missing).unwrap_err();
    assert!(
        err.to_string().ends_with("nope.journey.json: no such file"),
        "{err}"
    );
    let err = load_file(dir.path()).unwrap_err();
    assert!(
        err.to_string().ends_with("is a folder, not a file"),
        "{err}"
    );
}

#[test]
fn a_save_removes_old_temporary_files_of_killed_saves_of_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.journey.json");
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let leftover = |name: &str, old: bool| {
        let file = dir.path().join(name);
        let handle = fs::File::create(&file).unwrap();
        if old {
            handle.set_modified(long_ago).unwrap();
        }
        file
    };
    let abandoned = leftover(".m.journey.json.4242.tmp", true);
    let abandoned_backup = leftover("m.journey.json.bak.4242.tmp", true);
    let in_progress = leftover(".m.journey.json.4343.tmp", false);
    let another_file = leftover(".other.journey.json.4242.tmp", true);
    let not_a_temp = leftover(".m.journey.json.notes.tmp", true);
    save_map(&path, &map_titled("m")).unwrap();
    assert!(!abandoned.exists() && !abandoned_backup.exists());
    assert!(
        in_progress.exists(),
        "a save of another process may be under way"
    );
    assert!(another_file.exists() && not_a_temp.exists());
}
