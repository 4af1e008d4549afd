//! CSV in and out through the real binary: `export --output cards.csv` and `import`,
//! and hostile CSV files, each refused with one clear error and nothing written.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn journeymap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn template_path(id: &str) -> String {
    (Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"))
        .join(format!("{id}.journey.json"))
        .to_string_lossy()
        .into_owned()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// Exit 1, one `error:` line naming the problem, no panic.
fn assert_refused(output: &Output, what: &str, problem: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    let errors: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{what}: {stderr}");
    assert!(
        errors[0].contains(problem),
        "{what}: expected «{problem}» in {stderr}"
    );
}

#[test]
fn a_map_exported_as_csv_imports_back_into_its_template_with_the_same_cards() {
    let dir = tempfile::tempdir().unwrap();
    let csv = path(dir.path(), "cards.csv");
    let out = journeymap(&["export", &template_path("5a"), "--output", &csv]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = fs::read_to_string(&csv).unwrap();
    assert!(written.starts_with("\u{feff}stage,lane,title,notes,channel,emotion"));
    let map_path = path(dir.path(), "back.journey.json");
    let out = journeymap(&["import", &csv, "--output", &map_path, "--template", "5a"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Imported "),
        "{}",
        text(&out.stdout)
    );
    let original: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(template_path("5a")).unwrap()).unwrap();
    let back: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&map_path).unwrap()).unwrap();
    let titles = |map: &serde_json::Value| -> Vec<(String, String, String)> {
        (map["cards"].as_array().unwrap().iter())
            .map(|c| {
                let s = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
                (s("stage"), s("lane"), s("title"))
            })
            .collect()
    };
    assert_eq!(titles(&back), titles(&original));
    assert_eq!(back["stages"], original["stages"], "no stage was added");
}

#[test]
fn an_import_without_a_template_makes_the_stages_and_lanes_the_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = path(dir.path(), "interviews.csv");
    fs::write(
        &csv,
        "Stage;Lane;Title;Priority\nDiscover;Pain points;Shipping cost shown late;High\nBuy;Pain points;Coupon field distracts;medium\n",
    )
    .unwrap();
    let map_path = path(dir.path(), "interviews.journey.json");
    let out = journeymap(&["import", &csv, "--output", &map_path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let map: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&map_path).unwrap()).unwrap();
    assert_eq!(map["title"], "interviews");
    let names: Vec<_> = (map["stages"].as_array().unwrap().iter())
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Discover", "Buy"]);
    assert_eq!(map["cards"][1]["severity"], "medium");
    let check = journeymap(&["check", &map_path]);
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[test]
fn hostile_csv_files_are_refused_whole_with_their_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let million = "stage,title\n".to_owned() + &"Ask,a\n".repeat(1_000_000);
    let ten_mb_field = format!("stage,notes\nAsk,\"{}\"\n", "x".repeat(10 * 1024 * 1024));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "latin-1",
            b"stage,title\nAsk,Caf\xe9 au lait\n".to_vec(),
            "row 2, column \"title\": the text is not UTF-8",
        ),
        (
            "ragged",
            b"stage,lane,title\nAsk,Touchpoints,a\nAct,b\n".to_vec(),
            "row 3: has 2 fields, but the header has 3",
        ),
        (
            "channel",
            b"stage,title,channel\nAsk,a,fax\n".to_vec(),
            "row 2, column \"channel\": \"fax\" is not a channel",
        ),
        (
            "emotion",
            b"stage,title,emotion\nAsk,a,7\n".to_vec(),
            "row 2, column \"emotion\": 7 is not an emotion score",
        ),
        (
            "million rows",
            million.into_bytes(),
            "more than 100000 rows",
        ),
        (
            "10 MB field",
            ten_mb_field.into_bytes(),
            "row 2, column \"notes\": a field of 10485760 characters",
        ),
        (
            "open quote",
            b"stage,title\nAsk,\"never closed\nAct,b\n".to_vec(),
            "row 2: a quoted field never closes",
        ),
        (
            "no stage",
            b"title,notes\na,b\n".to_vec(),
            "no column names the stage",
        ),
    ];
    for (what, bytes, problem) in cases {
        let csv = path(dir.path(), "hostile.csv");
        fs::write(&csv, &bytes).unwrap();
        let output = path(dir.path(), "out.journey.json");
        let out = journeymap(&["import", &csv, "--output", &output]);
        assert_refused(&out, what, problem);
        assert!(!Path::new(&output).exists(), "{what}: nothing is written");
    }
}

#[test]
fn an_import_never_overwrites_a_map_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let csv = path(dir.path(), "cards.csv");
    fs::write(&csv, "stage,title\nAsk,a\n").unwrap();
    let map_path = path(dir.path(), "map.journey.json");
    fs::write(&map_path, "precious").unwrap();
    let out = journeymap(&["import", &csv, "--output", &map_path]);
    assert_refused(&out, "existing output", "already exists");
    assert_eq!(fs::read_to_string(&map_path).unwrap(), "precious");
    let out = journeymap(&["import", &csv, "--output", &path(dir.path(), "x.csv")]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a map is JSON: {}",
        text(&out.stderr)
    );
    let out = journeymap(&[
        "export",
        &template_path("5a"),
        "--output",
        &csv,
        "--scale",
        "3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a CSV takes no flags: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("--scale is not for CSV output"));
}
