//! The CPU rasterizer as kittest's renderer.

mod support;

use support::CpuRenderer;

#[test]
fn cpu_renderer_renders_a_harness_at_its_size() {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(240.0, 120.0))
        .with_pixels_per_point(2.0)
        .with_theme(egui::Theme::Light)
        .with_render_cursor(false)
        .renderer(CpuRenderer::default())
        .build_ui(|ui| {
            let _ = ui.button("Add stage");
            ui.label("Journey map");
        });
    harness.run();

    let image = harness.render().expect("the CPU renderer renders");

    assert_eq!(image.dimensions(), (480, 240));
    let drawn = image.pixels().filter(|pixel| pixel.0[3] > 0).count();
    assert!(drawn > 1000, "only {drawn} pixels drawn");
    let dark_text = image
        .pixels()
        .filter(|pixel| pixel.0[3] > 200 && pixel.0[0] < 100)
        .count();
    assert!(dark_text > 100, "only {dark_text} pixels of dark text");
}
