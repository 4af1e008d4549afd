use super::svg::{self, num};
use super::*;
use crate::model::ThemeMode;
use crate::templates::TEMPLATES;

fn template(id: &str) -> Map {
    crate::templates::find(id)
        .expect("a built-in template")
        .map()
        .expect("a template loads")
}

#[test]
fn every_template_in_both_modes_has_a_vector_form_for_every_shape() {
    for template in TEMPLATES {
        for mode in [ThemeMode::Light, ThemeMode::Dark] {
            let options = ExportOptions {
                mode: Some(mode),
                personas: true,
                legend: true,
                ..Default::default()
            };
            let map = template.map().expect("a template loads");
            let scene = scene(&map, &options, &mut Measure::new())
                .unwrap_or_else(|err| panic!("{} {mode:?}: {err}", template.id));
            assert!(
                scene.items.len() > 50,
                "{}: {} items",
                template.id,
                scene.items.len()
            );
        }
    }
}

#[test]
fn text_is_drawn_as_glyphs_of_the_bundled_fonts() {
    let map = template("5a");
    let scene = scene(&map, &ExportOptions::default(), &mut Measure::new()).expect("scene");
    let mut texts = scene.items.iter().filter_map(|item| match &item.kind {
        ItemKind::Glyphs { text, runs, .. } => Some((text, runs)),
        _ => None,
    });
    let (_, runs) = texts
        .find(|(text, _)| text.as_str() == map.title)
        .expect("the map title is one line of glyphs");
    let glyphs = &runs[0].glyphs;
    assert_eq!(glyphs.len(), map.title.chars().count());
    let face = &scene.glyphs.faces[glyphs[0].key.face];
    assert!(face.name.starts_with("Inter"), "{}", face.name);
    assert!(
        glyphs
            .windows(2)
            .all(|pair| pair[0].origin.x < pair[1].origin.x)
    );
    let shown: String = glyphs.iter().map(|g| &map.title[g.text.clone()]).collect();
    assert_eq!(shown, map.title);
    for glyph in glyphs.iter().filter(|g| g.visible) {
        let outline = scene
            .glyphs
            .outline(glyph.key, runs[0].size)
            .expect("an outline");
        assert!(!outline.is_empty());
    }
}

#[test]
fn every_card_is_a_titled_group() {
    let map = template("ecommerce");
    let scene = scene(&map, &ExportOptions::default(), &mut Measure::new()).expect("scene");
    let carded: std::collections::BTreeSet<usize> =
        scene.items.iter().filter_map(|item| item.card).collect();
    assert_eq!(carded.len(), scene.cards.len());
    let text = svg::write(&scene, None);
    for card in &scene.cards {
        let tag = format!("<g><title>{}</title>", svg::escape(&card.title));
        assert!(text.contains(&tag), "no group titled {}", card.title);
    }
}

#[test]
fn the_emotion_curve_is_one_vertical_gradient_stroke() {
    let map = template("5a");
    let scene = scene(&map, &ExportOptions::default(), &mut Measure::new()).expect("scene");
    let gradients: Vec<&Paint> = scene
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Stroke { paint, .. } if matches!(paint, Paint::Vertical { .. }) => {
                Some(paint)
            }
            _ => None,
        })
        .collect();
    assert_eq!(gradients.len(), 1);
    let Paint::Vertical { stops, .. } = gradients[0] else {
        unreachable!()
    };
    let (first, last) = (stops[0].1, stops[stops.len() - 1].1);
    assert!(
        first.g() > first.r(),
        "the top of the curve is green: {first:?}"
    );
    assert!(
        last.r() > last.g(),
        "the bottom of the curve is red: {last:?}"
    );
}

#[test]
fn an_svg_is_the_same_bytes_every_time_and_carries_its_map() {
    let map = template("service-blueprint");
    let options = ExportOptions::default();
    let first = crate::export::render_svg(&map, &options).expect("svg");
    let second = crate::export::render_svg(&map, &options).expect("svg");
    assert!(first == second, "two exports of one map differ");
    assert!(svg::is_svg(&first));
    let json = svg::read_map_json(&first).expect("the map is embedded");
    assert_eq!(json, crate::model::format::to_json(&map));
}

#[test]
fn an_svg_without_a_map_or_with_a_damaged_one_is_refused() {
    let plain = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>"#;
    assert_eq!(svg::read_map_json(plain), Err(svg::SvgError::NoMap));
    let map = template("blank");
    let good =
        String::from_utf8(crate::export::render_svg(&map, &ExportOptions::default()).expect("svg"))
            .expect("utf-8");
    let start = good.find("encoding=\"zlib-base64\">").expect("map element") + 23;
    let mut damaged = good.clone();
    damaged.replace_range(start..start + 8, "!!!!!!!!");
    assert!(matches!(
        svg::read_map_json(damaged.as_bytes()),
        Err(svg::SvgError::BadMap(_))
    ));
    let unclosed = &good[..start + 10];
    assert!(matches!(
        svg::read_map_json(unclosed.as_bytes()),
        Err(svg::SvgError::BadMap(_))
    ));
}

#[test]
fn hostile_text_cannot_break_out_of_the_markup() {
    let mut map = template("blank");
    map.title = "</title><script>alert(1)</script>\u{1}\u{ffff}&\"".to_owned();
    let text =
        String::from_utf8(crate::export::render_svg(&map, &ExportOptions::default()).expect("svg"))
            .expect("utf-8");
    assert!(!text.contains("<script>"));
    assert!(!text.contains('\u{1}'));
    assert!(!text.contains('\u{ffff}'));
    assert!(text.contains("&lt;/title&gt;&lt;script&gt;"));
}

#[test]
fn numbers_are_written_with_at_most_two_decimals() {
    assert_eq!(num(0.0), "0");
    assert_eq!(num(-0.001), "0");
    assert_eq!(num(1.5), "1.5");
    assert_eq!(num(12.3456), "12.35");
    assert_eq!(num(100.0), "100");
    assert_eq!(num(-3.1), "-3.1");
    assert_eq!(num(f32::NAN), "0");
}

#[test]
fn a_slide_page_is_the_slide_and_the_map_is_scaled_into_it() {
    let map = template("5a");
    let options = ExportOptions {
        slide: Some(crate::export::Slide::Wide),
        ..Default::default()
    };
    let scene = scene(&map, &options, &mut Measure::new()).expect("scene");
    let slide = crate::export::Slide::Wide.points();
    assert_eq!(scene.page, slide);
    assert!(
        scene.unit < 1.0,
        "a large map is scaled down: {}",
        scene.unit
    );
}

#[test]
fn a_shape_without_a_vector_form_is_an_error_not_a_gap() {
    let mut scene = scene(
        &template("blank"),
        &ExportOptions::default(),
        &mut Measure::new(),
    )
    .expect("scene");
    let mesh = Shape::Mesh(std::sync::Arc::new(egui::epaint::Mesh::default()));
    assert_eq!(scene.add(&mesh), Err(Unsupported("a mesh (an image)")));
}

#[test]
fn a_wrapped_galley_gives_one_run_per_row_each_on_its_own_baseline() {
    // Zoomed-out cards draw their title as one galley wrapped over rows.
    let ctx = egui::Context::default();
    crate::render::theme::install_fonts(&ctx);
    let mut shapes = Vec::new();
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        let mut job = egui::text::LayoutJob::single_section(
            "Shortlist products for her skin".to_owned(),
            egui::TextFormat::simple(egui::FontId::proportional(12.0), Color32::BLACK),
        );
        job.wrap.max_width = 60.0;
        let galley = ui.painter().layout_job(job);
        assert!(galley.rows.len() >= 3, "the text wraps");
        shapes.push(Shape::galley(Pos2::new(10.0, 20.0), galley, Color32::BLACK));
    });
    output.textures_delta.clear();
    let page = (egui::vec2(200.0, 200.0), 1.0);
    let mut scene =
        scene_of_shapes(&[], &Vec::new(), page, Color32::WHITE, "").expect("an empty scene");
    scene.add(&shapes[0]).expect("text has a vector form");
    let [
        Item {
            kind: ItemKind::Glyphs { runs, .. },
            ..
        },
    ] = scene.items.as_slice()
    else {
        panic!("one text item");
    };
    assert!(runs.len() >= 3);
    let baselines: Vec<f32> = runs.iter().map(|run| run.glyphs[0].origin.y).collect();
    assert!(
        baselines.windows(2).all(|pair| pair[0] < pair[1]),
        "{baselines:?}"
    );
    for run in runs {
        assert!(
            run.glyphs
                .iter()
                .all(|g| g.origin.y == run.glyphs[0].origin.y)
        );
    }
}
