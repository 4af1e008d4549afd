use super::*;
use crate::model::Stage;

fn map_titled(title: &str) -> Map {
    let mut map = Map {
        title: title.to_owned(),
        ..Map::default()
    };
    map.stages.push(Stage::new("s1", "Aware"));
    map
}

fn drafts() -> (tempfile::TempDir, Drafts) {
    let dir = tempfile::tempdir().unwrap();
    let drafts = Drafts::in_dir(dir.path().join("drafts"));
    (dir, drafts)
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_handle_in_the_same_process_cannot_take_a_held_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.lock");
    let first = File::create(&path).unwrap();
    first.try_lock().unwrap();
    let second = File::open(&path).unwrap();
    assert!(matches!(second.try_lock(), Err(TryLockError::WouldBlock)));
    drop(first);
    second.try_lock().unwrap();
}

#[test]
fn a_draft_of_a_running_editor_is_not_an_orphan() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    assert_eq!(drafts.orphans(), vec![]);
}

#[test]
fn a_dropped_slot_leaves_its_draft_as_an_orphan_with_title_and_original() {
    let (dir, drafts) = drafts();
    let original = dir.path().join("brief.journey.json");
    crate::storage::save_map(&original, &map_titled("Brief")).unwrap();
    let slot = drafts.claim().unwrap();
    let key = slot.key().to_owned();
    slot.write(Some(&original), None, &map_titled("Brief, edited"))
        .unwrap();
    drop(slot);

    let orphans = drafts.orphans();
    assert_eq!(orphans.len(), 1);
    let orphan = &orphans[0];
    assert_eq!(orphan.key, key);
    assert_eq!(orphan.title, "Brief, edited");
    assert_eq!(orphan.original.as_deref(), Some(original.as_path()));
    assert_eq!(
        orphan.original_fingerprint,
        Some(Fingerprint::of(&original).unwrap())
    );
    let age = SystemTime::now().duration_since(orphan.saved_at).unwrap();
    assert!(age < Duration::from_secs(60), "saved {age:?} ago");
    assert!(
        !drafts.file(&key, LOCK).exists(),
        "the lock file is removed"
    );
}

#[test]
fn a_crashed_editor_leaves_its_lock_file_and_its_draft_is_still_an_orphan() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    let key = slot.key().to_owned();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    drop(slot);
    // What a killed process leaves: the lock file, unlocked by the kernel.
    File::create(drafts.file(&key, LOCK)).unwrap();
    assert_eq!(drafts.orphans().len(), 1);
}

#[test]
fn an_orphan_loads_back_the_map_that_was_written() {
    let (_dir, drafts) = drafts();
    let map = crate::sample::generated_map(40);
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map).unwrap();
    drop(slot);

    let orphan = &drafts.orphans()[0];
    let loaded = drafts.load(orphan).unwrap();
    assert_eq!(loaded.map, map);
    assert_eq!(loaded.warnings, Vec::<String>::new());
}

#[test]
fn a_later_write_replaces_the_draft() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("first")).unwrap();
    slot.write(None, None, &map_titled("second")).unwrap();
    drop(slot);

    let orphans = drafts.orphans();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].title, "second");
    assert_eq!(drafts.load(&orphans[0]).unwrap().map.title, "second");
    let names = file_names(drafts.dir());
    assert!(
        names.iter().all(|name| !name.ends_with(".tmp")),
        "{names:?}"
    );
    assert!(
        names.iter().all(|name| !name.ends_with(".bak")),
        "{names:?}"
    );
}

#[test]
fn discard_removes_the_draft_and_keeps_the_slot_usable() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    slot.discard().unwrap();
    slot.discard().unwrap();
    assert_eq!(
        file_names(drafts.dir()),
        vec![format!("{}.lock", slot.key())]
    );

    slot.write(None, None, &map_titled("Again")).unwrap();
    drop(slot);
    assert_eq!(drafts.orphans()[0].title, "Again");
}

#[test]
fn a_discarded_draft_is_not_offered_after_exit() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    slot.discard().unwrap();
    drop(slot);
    assert_eq!(drafts.orphans(), vec![]);
    assert_eq!(file_names(drafts.dir()), Vec::<String>::new());
}

#[test]
fn removing_an_orphan_deletes_all_its_files() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    let key = slot.key().to_owned();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    drop(slot);
    File::create(drafts.file(&key, LOCK)).unwrap();
    fs::write(
        drafts.dir().join(format!(".{key}.journey.json.99.tmp")),
        "{",
    )
    .unwrap();

    let orphan = drafts.orphans().remove(0);
    drafts.remove(&orphan).unwrap();
    assert_eq!(drafts.orphans(), vec![]);
    assert_eq!(file_names(drafts.dir()), Vec::<String>::new());
}

#[test]
fn removing_the_draft_of_a_running_editor_is_refused() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("Checkout")).unwrap();
    let info = DraftInfo {
        key: slot.key().to_owned(),
        original: None,
        title: String::new(),
        saved_at: UNIX_EPOCH,
        original_fingerprint: None,
    };
    let err = drafts.remove(&info).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ResourceBusy);
    let escape = DraftInfo {
        key: "../x".to_owned(),
        ..info
    };
    assert_eq!(
        drafts.remove(&escape).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
}

#[test]
fn broken_drafts_are_skipped() {
    let (_dir, drafts) = drafts();
    let slot = drafts.claim().unwrap();
    slot.write(None, None, &map_titled("Good")).unwrap();
    drop(slot);
    let dir = drafts.dir();
    let meta = |title: &str, saved_at: &str| {
        format!(r#"{{"original": null, "title": "{title}", "saved_at": {saved_at}}}"#)
    };
    fs::write(dir.join("1-1-0.meta.json"), "{ not json").unwrap();
    fs::write(dir.join("1-1-0.journey.json"), "{}").unwrap();
    fs::write(dir.join("1-1-1.meta.json"), meta("no map", "1")).unwrap();
    fs::write(
        dir.join("1-1-2.meta.json"),
        meta("far future", "18446744073709551615"),
    )
    .unwrap();
    fs::write(dir.join("1-1-2.journey.json"), "{}").unwrap();
    fs::write(dir.join("1-1-3.meta.json"), vec![b' '; 100_000]).unwrap();
    fs::write(dir.join("1-1-3.journey.json"), "{}").unwrap();
    fs::write(dir.join("bad key.meta.json"), meta("bad key", "1")).unwrap();
    fs::write(dir.join("bad key.journey.json"), "{}").unwrap();
    fs::create_dir(dir.join("1-1-4.meta.json")).unwrap();

    let titles: Vec<String> = drafts.orphans().into_iter().map(|d| d.title).collect();
    assert_eq!(titles, vec!["Good"]);
}

#[test]
fn a_missing_folder_has_no_orphans() {
    let (_dir, drafts) = drafts();
    assert_eq!(drafts.orphans(), vec![]);
}

#[test]
fn two_slots_do_not_collide() {
    let (_dir, drafts) = drafts();
    let (a, b) = (drafts.claim().unwrap(), drafts.claim().unwrap());
    assert_ne!(a.key(), b.key());
    a.write(None, None, &map_titled("A")).unwrap();
    b.write(None, None, &map_titled("B")).unwrap();
    drop(a);
    let orphans = drafts.orphans();
    assert_eq!(orphans.len(), 1, "b is still running");
    assert_eq!(drafts.load(&orphans[0]).unwrap().map.title, "A");
    drop(b);
    let mut titles: Vec<String> = drafts.orphans().into_iter().map(|d| d.title).collect();
    titles.sort();
    assert_eq!(titles, vec!["A", "B"]);
}

#[test]
fn orphans_are_listed_newest_first() {
    let (_dir, drafts) = drafts();
    for title in ["old", "new", "middle"] {
        drafts
            .claim()
            .unwrap()
            .write(None, None, &map_titled(title))
            .unwrap();
    }
    for entry in fs::read_dir(drafts.dir()).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(META) {
            continue;
        }
        let mut meta: DraftMeta = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        meta.saved_at = match meta.title.as_str() {
            "old" => 1_000,
            "middle" => 2_000,
            _ => 3_000,
        };
        fs::write(&path, serde_json::to_vec(&meta).unwrap()).unwrap();
    }
    let titles: Vec<String> = drafts.orphans().into_iter().map(|d| d.title).collect();
    assert_eq!(titles, vec!["new", "middle", "old"]);
}

#[test]
fn claiming_removes_old_lock_files_without_a_draft() {
    let (_dir, drafts) = drafts();
    drop(drafts.claim().unwrap());
    let (old, fresh) = (drafts.file("1-1-0", LOCK), drafts.file("1-1-1", LOCK));
    let old_temp = drafts.dir().join(".1-1-0.journey.json.7.tmp");
    for path in [&old, &fresh, &old_temp] {
        File::create(path).unwrap();
    }
    let long_ago = SystemTime::now() - Duration::from_secs(3600);
    for path in [&old, &old_temp] {
        let file = File::options().write(true).open(path).unwrap();
        file.set_modified(long_ago).unwrap();
    }
    let slot = drafts.claim().unwrap();
    let mut expected = vec!["1-1-1.lock".to_owned(), format!("{}.lock", slot.key())];
    expected.sort();
    assert_eq!(file_names(drafts.dir()), expected);
}

#[test]
fn the_summary_names_the_file_and_how_long_ago() {
    let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
    let draft = |original: Option<&str>, title: &str, secs_ago: u64| DraftInfo {
        key: "1-1-0".to_owned(),
        original: original.map(PathBuf::from),
        title: title.to_owned(),
        saved_at: now - Duration::from_secs(secs_ago),
        original_fingerprint: None,
    };
    let cases = [
        (
            draft(Some("/home/a/brief.journey.json"), "Brief", 5),
            "Unsaved changes to brief.journey.json, just now",
        ),
        (
            draft(Some("/home/a/brief.journey.json"), "Brief", 61),
            "Unsaved changes to brief.journey.json, 1 minute ago",
        ),
        (
            draft(None, "Checkout", 3 * 3600 + 5),
            "Unsaved new map \u{201c}Checkout\u{201d}, 3 hours ago",
        ),
        (draft(None, " ", 2 * 86_400), "Unsaved new map, 2 days ago"),
    ];
    for (info, expected) in cases {
        assert_eq!(info.summary(now), expected);
    }
}

#[test]
fn a_recovered_draft_tells_whether_its_original_changed_since() {
    let (dir, drafts) = drafts();
    let original = dir.path().join("brief.journey.json");
    crate::storage::save_map(&original, &map_titled("Brief")).unwrap();
    let slot = drafts.claim().unwrap();
    slot.write(Some(&original), None, &map_titled("Brief, edited"))
        .unwrap();
    drop(slot);
    assert!(!drafts.orphans()[0].original_changed());
    crate::storage::save_map(&original, &map_titled("Brief, elsewhere")).unwrap();
    assert!(drafts.orphans()[0].original_changed());
    fs::remove_file(&original).unwrap();
    assert!(drafts.orphans()[0].original_changed());
}

#[test]
fn the_data_folder_can_be_overridden() {
    assert_eq!(
        data_dir_from(Some("/tmp/jm".into())),
        Some(PathBuf::from("/tmp/jm"))
    );
    assert_eq!(
        data_dir_from(Some("".into())),
        eframe::storage_dir("journeymap")
    );
    #[cfg(target_os = "linux")]
    if let Some(dir) = data_dir_from(None) {
        assert!(dir.ends_with("journeymap"), "{}", dir.display());
    }
}
