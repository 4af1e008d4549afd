use super::*;
use crate::model::format;
use crate::templates;

fn five_a() -> Map {
    templates::find("5a").unwrap().map().unwrap()
}

fn small_options(scale: f32) -> ExportOptions {
    ExportOptions {
        scale,
        stages: Some((0, 1)),
        ..ExportOptions::default()
    }
}

#[test]
fn the_png_gives_back_the_map() {
    let map = five_a();
    let png = render_png(&map, &small_options(1.0)).unwrap();
    let json = chunk::read_map_json(&png).unwrap();
    let back = format::parse(json.as_bytes()).unwrap();
    assert!(back.warnings.is_empty());
    assert_eq!(
        back.map, map,
        "the whole map is embedded, not just the exported stages"
    );
}

#[test]
fn a_2x_export_is_exactly_twice_the_1x_one_at_144_dpi() {
    let map = five_a();
    let one = chunk::read_info(&render_png(&map, &small_options(1.0)).unwrap()).unwrap();
    let two = chunk::read_info(&render_png(&map, &small_options(2.0)).unwrap()).unwrap();
    assert_eq!((two.width, two.height), (2 * one.width, 2 * one.height));
    assert!((one.dpi.unwrap() - 72.0).abs() < 0.05, "{:?}", one.dpi);
    assert!((two.dpi.unwrap() - 144.0).abs() < 0.05, "{:?}", two.dpi);
}

#[test]
fn slides_have_the_slide_size() {
    let options = ExportOptions {
        slide: Some(Slide::Wide),
        scale: 1.0,
        ..ExportOptions::default()
    };
    let plan = prepare(&five_a(), &options, &mut Measure::new())
        .unwrap()
        .plan;
    assert_eq!((plan.width, plan.height), (960, 540));
    let options = ExportOptions {
        slide: Some(Slide::Standard),
        scale: 2.0,
        ..ExportOptions::default()
    };
    let plan = prepare(&five_a(), &options, &mut Measure::new())
        .unwrap()
        .plan;
    assert_eq!((plan.width, plan.height), (1440, 1080));
}

#[test]
fn a_2x_slide_is_1920_by_1080_and_lands_at_13_33_by_7_5_inches() {
    let options = ExportOptions {
        slide: Some(Slide::Wide),
        ..ExportOptions::default()
    };
    let png = render_png(&five_a(), &options).unwrap();
    let info = chunk::read_info(&png).unwrap();
    assert_eq!((info.width, info.height), (1920, 1080));
    let dpi = info.dpi.unwrap();
    let inches = (info.width as f32 / dpi, info.height as f32 / dpi);
    assert!((inches.0 - 13.333).abs() < 0.01, "{inches:?}");
    assert!((inches.1 - 7.5).abs() < 0.01, "{inches:?}");
}

#[test]
fn a_slide_keeps_a_safe_margin_on_every_side() {
    for (slide, padding) in [
        (Slide::Wide, 0.0),
        (Slide::Standard, 0.0),
        (Slide::Wide, 32.0),
    ] {
        let options = ExportOptions {
            slide: Some(slide),
            padding,
            scale: 1.0,
            ..ExportOptions::default()
        };
        let map = five_a();
        let layout = MapLayout::compute(&map, &mut Measure::new(), options.layout_options());
        let plan = prepare(&map, &options, &mut Measure::new()).unwrap().plan;
        // In slide points: the map's box scaled by pixels per point.
        let ppp = plan.pixels_per_point;
        let min = plan.origin * ppp;
        let max = (plan.origin + layout.size) * ppp;
        let slide_size = slide.points();
        for gap in [min.x, min.y, slide_size.x - max.x, slide_size.y - max.y] {
            assert!(gap >= SLIDE_MARGIN - 0.5, "{slide:?}: margin {gap}");
        }
    }
}

/// Every string the painter draws, in order.
fn painted_lines(map: &Map, scale: f32) -> Vec<String> {
    let options = ExportOptions {
        scale,
        ..ExportOptions::default()
    };
    let view = options.view_of(map).unwrap();
    let layout = MapLayout::compute(&view, &mut Measure::new(), options.layout_options());
    let plan = Plan::new(layout.size, &options).unwrap();
    let theme = Theme::for_map(&map.theme, None);
    let ctx = egui::Context::default();
    theme::install_fonts(&ctx);
    let mut input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, plan.points)),
        ..Default::default()
    };
    input
        .viewports
        .get_mut(&ViewportId::ROOT)
        .unwrap()
        .native_pixels_per_point = Some(scale);
    let mut output = ctx.run_ui(input, |ui| {
        paint(
            ui.painter(),
            &layout,
            &view,
            &theme,
            TSTransform::IDENTITY,
            None,
        );
    });
    output.textures_delta.clear();
    let mut lines = Vec::new();
    for clipped in &output.shapes {
        if let egui::Shape::Text(text) = &clipped.shape {
            assert_eq!(
                text.galley.rows.len(),
                1,
                "a painted line was wrapped again"
            );
            lines.push(text.galley.text().to_owned());
        }
    }
    lines
}

#[test]
fn line_breaks_are_identical_at_1x_2x_and_3x() {
    for id in ["5a", "service-blueprint"] {
        let map = templates::find(id).unwrap().map().unwrap();
        let one = painted_lines(&map, 1.0);
        assert!(one.len() > 100);
        assert_eq!(one, painted_lines(&map, 2.0), "{id} at 2x");
        assert_eq!(one, painted_lines(&map, 3.0), "{id} at 3x");
    }
}

#[test]
fn a_too_large_export_is_refused_before_any_work_with_a_scale_that_fits() {
    let mut map = five_a();
    for i in 0..60 {
        let mut stage = map.stages[0].clone();
        stage.id = format!("extra{i}").as_str().into();
        map.stages.push(stage);
    }
    let err = Plan::new(
        vec2(60.0 * 240.0, 9000.0),
        &ExportOptions {
            scale: 4.0,
            ..Default::default()
        },
    )
    .unwrap_err();
    match err {
        ExportError::TooLarge {
            suggested_scale: Some(scale),
            ..
        } => assert!((1.0..4.0).contains(&scale)),
        other => panic!("{other}"),
    }
    let message = render_png(
        &map,
        &ExportOptions {
            scale: 4.0,
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("over the limit") && message.contains("try --scale"),
        "{message}"
    );
}

#[test]
fn tiles_put_together_equal_one_drawing() {
    let map = five_a();
    let frame = prepare(&map, &small_options(1.0), &mut Measure::new()).unwrap();
    let whole = frame.image();
    let height = frame.plan.height;
    let mut stitched = Vec::new();
    for top in (0..height).step_by(97) {
        stitched.extend(frame.tile(top, 97.min(height - top)).rgba);
    }
    assert!(whole.rgba == stitched, "tiles differ from the whole image");
}

#[test]
fn backgrounds_fill_the_padding() {
    let map = five_a();
    for (background, expected) in [
        (Background::White, [255, 255, 255, 255]),
        (Background::Transparent, [0, 0, 0, 0]),
        (
            Background::Custom("#102030".parse().unwrap()),
            [16, 32, 48, 255],
        ),
    ] {
        let options = ExportOptions {
            background,
            ..small_options(1.0)
        };
        let frame = prepare(&map, &options, &mut Measure::new()).unwrap();
        let corner = frame.tile(0, 1);
        assert_eq!(corner.rgba[..4], expected, "{background:?}");
    }
}

#[test]
fn a_png_encoded_tile_by_tile_holds_the_whole_drawing() {
    let frame = prepare(&five_a(), &small_options(1.0), &mut Measure::new()).unwrap();
    let mut whole = frame.image();
    whole.unpremultiply();
    let png = encode_in_tiles(&frame, &chunk::Text::default(), 97).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut decoded).unwrap();
    assert!(decoded == whole.rgba, "the PNG differs from the drawing");
}

#[test]
fn no_scale_below_1_is_suggested() {
    // 40,000 points wide does not fit even at 1x: the way out is a smaller range.
    let options = ExportOptions {
        scale: 2.0,
        ..Default::default()
    };
    let err = Plan::new(vec2(40_000.0, 9000.0), &options).unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::TooLarge {
                suggested_scale: None,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("export a range of stages"),
        "{err}"
    );
}

#[test]
fn a_persona_strip_too_tall_to_export_is_named_as_the_cause() {
    let mut map = five_a();
    let persona = map.personas[0].clone();
    for n in 0..1500 {
        let mut copy = persona.clone();
        copy.id = crate::model::PersonaId(format!("copy-{n}"));
        map.personas.push(copy);
    }
    let options = ExportOptions {
        scale: 1.0,
        stages: Some((0, 0)),
        personas: true,
        ..ExportOptions::default()
    };
    let err = prepare(&map, &options, &mut Measure::new()).err().unwrap();
    assert!(
        matches!(
            err,
            ExportError::TooLarge {
                suggested_scale: None,
                cause: super::Oversize::Personas,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("without the personas"), "{err}");
    assert!(!err.to_string().contains("range of stages"), "{err}");
    // Without the strip, the same stage exports.
    let without = ExportOptions {
        personas: false,
        ..options
    };
    assert!(prepare(&map, &without, &mut Measure::new()).is_ok());
}
