//! Saves killed at random moments: the file on disk is always the old or the new map.
//!
//! The test binary runs itself again as the saving child: with `JOURNEYMAP_FAULT_CHILD`
//! set, `fault_child_saves_in_a_loop` saves two maps in turn into that file until killed.
#![cfg(unix)]

use journeymap::model::Map;
use journeymap::storage::{backup_path, load_file, save_map};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs};

const CHILD_VAR: &str = "JOURNEYMAP_FAULT_CHILD";
const SEED_VAR: &str = "JOURNEYMAP_FAULT_SEED";
const CHILD_TEST: &str = "fault_child_saves_in_a_loop";
const READY: &str = "fault child: saving";
const KILLS: usize = 220;
const CARDS: usize = 300;

fn map_a() -> Map {
    journeymap::sample::generated_map(CARDS)
}

/// The same map with every title changed, so that a mix of the two could not pass for
/// either.
fn map_b() -> Map {
    let mut map = map_a();
    map.title.push_str(", revised");
    for card in &mut map.cards {
        card.title = format!("Revised: {}", card.title);
    }
    map
}

/// Not a test by itself: the saving loop of the child process, which ends when its
/// parent does (should the parent fail before killing it).
#[test]
fn fault_child_saves_in_a_loop() {
    let Some(path) = env::var_os(CHILD_VAR) else {
        return;
    };
    let path = PathBuf::from(path);
    let parent = std::os::unix::process::parent_id();
    let maps = [map_a(), map_b()];
    println!("{READY}");
    for map in maps.iter().cycle() {
        if std::os::unix::process::parent_id() != parent {
            return;
        }
        save_map(&path, map).expect("the child's save failed");
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_map() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.journey.json");
    let (a, b) = (map_a(), map_b());
    save_map(&path, &a).unwrap();
    assert_eq!(
        load_file(&path).unwrap().map,
        a,
        "the sample map round-trips"
    );
    let save_time = time_one_save(dir.path(), &b);

    let seed = env::var(SEED_VAR)
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| clock_seed() | 1);
    println!("seed {seed} (set {SEED_VAR} to repeat), one save takes {save_time:?}");
    let mut random = XorShift(seed);
    let (mut seen_a, mut seen_b, mut mid_save, mut leftovers) = (0, 0, 0, 0);
    for kill in 0..KILLS {
        let mut child = spawn_saver(&path);
        std::thread::sleep(Duration::from_micros(random.below(15_000)));
        child.kill().unwrap();
        child.wait().unwrap();

        let loaded = load_file(&path)
            .unwrap_or_else(|err| panic!("kill {kill} (seed {seed}): {err}"))
            .map;
        assert!(
            loaded == a || loaded == b,
            "kill {kill} (seed {seed}): neither the old nor the new map"
        );
        if loaded == a {
            seen_a += 1;
        } else {
            seen_b += 1;
        }
        let backup = backup_path(&path);
        if backup.exists() {
            let backup = load_file(&backup)
                .unwrap_or_else(|err| panic!("kill {kill} (seed {seed}): backup: {err}"))
                .map;
            assert!(
                backup == a || backup == b,
                "kill {kill}: the backup is a mix"
            );
        }
        let temps = temp_files_of(dir.path(), child.id());
        mid_save += usize::from(!temps.is_empty());
        leftovers += temps.len();
        // What the app would do with a dead process's temporary files.
        for temp in temps {
            fs::remove_file(temp).unwrap();
        }
    }
    let stray: Vec<_> = file_names(dir.path())
        .into_iter()
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    println!(
        "{KILLS} kills in {:?}: {seen_a} times the first map, {seen_b} times the second; \
         {mid_save} kills landed mid-save and left {leftovers} temporary files",
        started.elapsed()
    );
    assert_eq!(
        stray,
        Vec::<String>::new(),
        "temporary files of unknown origin"
    );
    assert!(seen_a > 0 && seen_b > 0, "the kills never caught a save");
    assert!(mid_save > 0, "no kill landed while a save was in progress");
}

fn time_one_save(dir: &Path, map: &Map) -> Duration {
    let path = dir.join("timing.journey.json");
    let started = Instant::now();
    save_map(&path, map).unwrap();
    let elapsed = started.elapsed();
    fs::remove_file(&path).unwrap();
    elapsed
}

/// Starts the child and waits until it is about to save, so that the random delay
/// lands among its saves rather than in its start-up.
fn spawn_saver(path: &Path) -> Child {
    let mut child = Command::new(env::current_exe().unwrap())
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (ready, is_ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The harness prints "test NAME ... " before the child's own line.
        let seen = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains(READY));
        let _ = ready.send(seen);
    });
    if is_ready.recv_timeout(Duration::from_secs(20)) != Ok(true) {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the child did not start saving");
    }
    child
}

/// `save_atomic` names its temporary files after the saving process:
/// `.NAME.PID.tmp` and `.NAME.bak.PID.tmp`.
fn temp_files_of(dir: &Path, pid: u32) -> Vec<PathBuf> {
    let suffix = format!(".{pid}.tmp");
    file_names(dir)
        .into_iter()
        .filter(|name| name.ends_with(&suffix))
        .map(|name| dir.join(name))
        .collect()
}

fn file_names(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn clock_seed() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map_or(1, |now| now.as_secs() ^ u64::from(now.subsec_nanos()) << 20)
}

/// A tiny seeded generator: enough to scatter the kills, and repeatable.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}
