use super::parts;
use super::*;
use crate::model::LaneKind;
use crate::templates::TEMPLATES;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};

fn template(id: &str) -> Map {
    crate::templates::find(id).unwrap().map().unwrap()
}

/// Every part of a package, by name.
fn unzipped(bytes: &[u8]) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (entry.name().unwrap().into_owned(), text)
        })
        .collect()
}

/// Fails unless `xml` is well-formed (tags nest and close, attributes parse).
fn well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(start)) => {
                depth += 1;
                for attribute in start.attributes() {
                    attribute.unwrap_or_else(|err| panic!("{name}: {err}"));
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(err) => panic!("{name} is not well-formed: {err}"),
        }
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
}

/// The values of `attribute="…"` in `xml`.
fn values<'a>(xml: &'a str, attribute: &str) -> Vec<&'a str> {
    let key = format!(" {attribute}=\"");
    xml.match_indices(&key)
        .map(|(at, _)| {
            let rest = &xml[at + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The folder of a part, for resolving its relationships' targets.
fn resolve(part: &str, target: &str) -> String {
    let mut path: Vec<&str> = part.split('/').collect();
    path.pop();
    for piece in target.split('/') {
        match piece {
            ".." => {
                path.pop();
            }
            piece => path.push(piece),
        }
    }
    path.join("/")
}

#[test]
fn every_templates_package_is_whole_well_formed_and_resolves() {
    for template in TEMPLATES {
        let map = template.map().unwrap();
        for slides in [PptxSlides::Storyboard, PptxSlides::Map] {
            let options = PptxOptions { slides, mode: None };
            let bytes = render(&map, &options).unwrap();
            let parts = unzipped(&bytes);
            let id = template.id;
            let types = &parts["[Content_Types].xml"];
            for (name, text) in &parts {
                well_formed(name, text);
                let listed = types.contains(&format!("PartName=\"/{name}\""))
                    || name
                        .rsplit_once('.')
                        .is_some_and(|(_, ext)| types.contains(&format!("Extension=\"{ext}\"")));
                assert!(listed, "{id}: {name} is not in [Content_Types].xml");
            }
            for overridden in values(types, "PartName") {
                assert!(
                    parts.contains_key(&overridden[1..]),
                    "{id}: no part {overridden}"
                );
            }
            // Every relationship's target is a part; every r:id a part uses is its own.
            for (name, rels) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
                let source = name
                    .replace("_rels/", "")
                    .trim_end_matches(".rels")
                    .to_owned();
                let ids: HashSet<&str> = values(rels, "Id").into_iter().collect();
                for target in values(rels, "Target") {
                    let part = resolve(&source, target);
                    assert!(parts.contains_key(&part), "{id}: {name} points to {part}");
                }
                if let Some(xml) = parts.get(&source) {
                    for used in values(xml, "r:id") {
                        assert!(ids.contains(used), "{id}: {source} uses {used}");
                    }
                }
            }
            let slide_count = (parts.keys())
                .filter(|n| n.starts_with("ppt/slides/slide"))
                .count();
            let layout = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
            let parts_of = |stage| stage_parts(&layout, stage).1.len();
            let expected = match slides {
                PptxSlides::Map => 1,
                PptxSlides::Storyboard => 3 + (0..map.stages.len()).map(parts_of).sum::<usize>(),
            };
            assert_eq!(slide_count, expected, "{id}");
            for n in 1..=slide_count {
                let xml = &parts[&format!("ppt/slides/slide{n}.xml")];
                let ids = values(xml, "id");
                let unique: HashSet<&&str> = ids.iter().collect();
                assert_eq!(unique.len(), ids.len(), "{id} slide {n}: shape ids repeat");
            }
        }
    }
}

#[test]
fn a_map_gives_the_same_bytes_and_carries_itself() {
    let map = template("5a");
    let options = PptxOptions::default();
    let first = render(&map, &options).unwrap();
    assert_eq!(first, render(&map, &options).unwrap());
    let json = read_map_json(&first).unwrap();
    assert_eq!(json, format::to_json(&map));
}

#[test]
fn the_overview_names_its_shapes_after_the_map_and_holds_every_card() {
    let map = template("ecommerce");
    let options = PptxOptions {
        slides: PptxSlides::Map,
        mode: None,
    };
    let slide = &slides(&map, &options)[0];
    let names = slide.xml.names();
    for stage in &map.stages {
        assert!(
            names.contains(&format!("Stage: {}", stage.name)),
            "{}",
            stage.name
        );
    }
    let xml = slide.xml.xml(egui::Color32::WHITE);
    let emotion = map.emotion_points();
    let cards = names.iter().filter(|n| n.starts_with("Card")).count();
    // A card's group and its rectangle both carry its name.
    assert_eq!(cards, 2 * (map.cards.len() - emotion));
    for card in &map.cards {
        for word in card.title.split_whitespace() {
            assert!(xml.contains(&slide::escape(word)), "{word}");
        }
    }
}

/// A zip of the given entries (name, bytes).
fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn a_hostile_package_is_refused_with_a_reason() {
    let refused = |bytes: &[u8]| read_map_json(bytes).unwrap_err().0;
    assert!(refused(b"not a zip").contains("not a PowerPoint file"));
    let without = zipped(&[("ppt/presentation.xml", b"<p/>")]);
    assert!(refused(&without).contains("holds no journeymap map"));
    // 40 MB of spaces packs into a few kilobytes: it is refused at the limit.
    let bomb = vec![b' '; 40 * 1024 * 1024];
    let bomb = zipped(&[(MAP_PART, &bomb)]);
    assert!(bomb.len() < 1_000_000);
    let bomb = refused(&bomb);
    assert!(
        bomb.contains("over the limit") || bomb.contains("more than"),
        "{bomb}"
    );
    // A name that climbs out of the package, or starts at the root, refuses it whole.
    for name in [
        "../../etc/evil",
        "/etc/evil",
        "ppt/../../evil",
        "C:\\evil",
        "ppt\\..\\x",
    ] {
        let traversal = zipped(&[(name, b"x"), (MAP_PART, b"{}")]);
        let why = refused(&traversal);
        assert!(why.contains("points outside the package"), "{name}: {why}");
    }
    let _ = parts::MAP_RELATIONSHIP;
}

#[test]
fn a_tall_stage_is_split_into_readable_runs_of_lanes_and_a_short_one_is_not() {
    for template in TEMPLATES {
        let map = template.map().unwrap();
        let layout = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
        let area = present::map_area(Step::Stage {
            stage: 0,
            lanes: None,
        });
        for stage in 0..map.stages.len() {
            let (scale, slides) = stage_parts(&layout, stage);
            assert!(slides.iter().all(|runs| !runs.is_empty()));
            let parts: Vec<_> = slides.concat();
            let id = template.id;
            // In order, without a gap, every lane once.
            assert_eq!(parts.first().map(|p| p.start), Some(0), "{id}");
            assert_eq!(parts.last().map(|p| p.end), Some(map.lanes.len()), "{id}");
            for pair in parts.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "{id}");
            }
            assert!(scale <= present::MAX_SCALE, "{id}");
            if parts.len() == 1 {
                continue;
            }
            // Side by side, the runs of a slide fit across it.
            for runs in &slides {
                let width = layout.corner.width() + layout.stages[stage].column.span();
                let count = runs.len() as f32;
                let across = count * width * scale + (count - 1.0) * 24.0;
                assert!(across <= area.width() + 0.01, "{id}: {across} pt across");
            }
            assert!(scale >= present::READABLE_SCALE, "{id}: {scale}");
            for part in &parts {
                let rows = layout.lanes[part.end - 1].row.max - layout.lanes[part.start].row.min;
                let height = (layout.corner.height() + rows) * scale;
                assert!(
                    part.len() == 1 || height <= area.height() + 0.01,
                    "{id}: lanes {part:?} are {height} pt tall"
                );
                let last = &map.lanes[part.end - 1];
                assert!(
                    part.end == map.lanes.len() || last.kind != LaneKind::Divider,
                    "{id}: a slide ends on the divider {}",
                    last.name
                );
            }
        }
    }
    // A map of two lanes shows each stage on one slide.
    let mut map = template("5a");
    map.lanes.truncate(2);
    map.cards
        .retain(|card| map.lanes.iter().any(|lane| lane.id == card.lane));
    let layout = MapLayout::compute(&map, &mut Measure::new(), LayoutOptions::default());
    assert_eq!(stage_parts(&layout, 0).1, vec![vec![0..2]]);
}
