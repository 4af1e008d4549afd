//! Persona photos: loaded from a file within decode limits, downscaled and embedded
//! in the map as a data URL.

use crate::model::escape;
use crate::storage::{self, ReadError};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageDecoder as _, ImageError, ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::Path;

const PHOTO_MAX_SIDE: u32 = 512;
const PHOTO_MAX_PIXELS: u32 = 8000;
const PHOTO_MAX_ALLOC: u64 = 64 * 1024 * 1024;
/// A photo file is read whole before decoding, so its size is bounded too.
const PHOTO_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Above this a photo is stored as JPEG: a photograph compresses badly as PNG.
const PHOTO_MAX_PNG_BYTES: usize = 300 * 1024;

fn photo_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(PHOTO_MAX_PIXELS);
    limits.max_image_height = Some(PHOTO_MAX_PIXELS);
    limits.max_alloc = Some(PHOTO_MAX_ALLOC);
    limits
}

/// Loads a persona photo: decoded within limits, turned upright, downscaled to at most
/// 512 px on the long side and re-encoded (PNG, or JPEG when the PNG would be large) as
/// a data URL. The error names the file and the problem.
pub fn photo_data_url(path: &Path) -> Result<String, String> {
    let fail = |problem: &str| format!("{}: {problem}", escape::path(path));
    let bytes = storage::read_bounded(path, PHOTO_MAX_FILE_BYTES).map_err(|err| match err {
        ReadError::TooLarge { .. } | ReadError::EndlessInput { .. } => {
            fail("is too large (more than 64 MB)")
        }
        other => fail(&format!("cannot be read ({other})")),
    })?;
    let unreadable = |err: std::io::Error| fail(&format!("cannot be read ({err})"));
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(unreadable)?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(fail("is not a PNG or JPEG image"));
    }
    reader.limits(photo_limits());
    let mut decoder = reader.into_decoder().map_err(|err| fail(&describe(&err)))?;
    if decoder.total_bytes() > PHOTO_MAX_ALLOC {
        return Err(fail("is too large to decode (more than 64 MB of pixels)"));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|err| fail(&describe(&err)))?;
    image.apply_orientation(orientation);
    if image.width().max(image.height()) > PHOTO_MAX_SIDE {
        let filter = image::imageops::FilterType::Triangle;
        image = image.resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, filter);
    }
    let image = match image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.to_rgba8()),
        false => DynamicImage::ImageRgb8(image.to_rgb8()),
    };
    let encode_failed = |err: ImageError| fail(&format!("could not be re-encoded ({err})"));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .map_err(encode_failed)?;
    let mut mime = "png";
    if bytes.len() > PHOTO_MAX_PNG_BYTES {
        bytes.clear();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        rgb.write_with_encoder(encoder).map_err(encode_failed)?;
        mime = "jpeg";
    }
    Ok(format!(
        "data:image/{mime};base64,{}",
        STANDARD.encode(bytes)
    ))
}

fn describe(err: &ImageError) -> String {
    match err {
        ImageError::Limits(_) => {
            format!("is too large (at most {PHOTO_MAX_PIXELS} × {PHOTO_MAX_PIXELS} pixels)")
        }
        ImageError::Unsupported(_) => "is not a PNG or JPEG image".to_owned(),
        ImageError::IoError(err) => format!("cannot be read ({err})"),
        other => format!("is damaged or not an image ({other})"),
    }
}

/// Decodes a persona photo's data URL for display, within the same limits as loading.
pub(super) fn decode_photo(url: &str) -> Option<egui::ColorImage> {
    let (_, data) = url.split_once(";base64,")?;
    let bytes = STANDARD.decode(data).ok()?;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.limits(photo_limits());
    let image = reader.decode().ok()?.thumbnail(256, 256).to_rgba8();
    let size = [image.width() as usize, image.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        image.as_raw(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, PersonaField};
    use crate::model::{Map, Persona};
    use image::{GenericImageView as _, Rgb, RgbImage};

    fn decoded(url: &str) -> DynamicImage {
        let (_, data) = url.split_once(";base64,").expect("a base64 data URL");
        image::load_from_memory(&STANDARD.decode(data).expect("base64")).expect("an image")
    }

    fn saved(name: &str, image: RgbImage) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        image.save(&path).expect("save");
        (dir, path)
    }

    #[test]
    fn tiny_png_photo_becomes_a_png_data_url_the_map_accepts() {
        let (_dir, path) = saved("tiny.png", RgbImage::from_pixel(3, 2, Rgb([200, 40, 40])));
        let url = photo_data_url(&path).expect("a small PNG loads");
        assert!(url.starts_with("data:image/png;base64,"), "{url}");
        assert_eq!(decoded(&url).dimensions(), (3, 2));
        let mut map = Map::default();
        map.personas.push(Persona {
            id: "p1".into(),
            ..Persona::default()
        });
        let field = PersonaField::Photo(Some(url));
        assert!(
            Edit::SetPersona {
                id: "p1".into(),
                field
            }
            .apply(&mut map)
            .is_ok()
        );
    }

    #[test]
    fn large_photo_is_downscaled_to_512_on_the_long_side() {
        let (_dir, path) = saved(
            "wide.png",
            RgbImage::from_pixel(2000, 1000, Rgb([10, 120, 200])),
        );
        let url = photo_data_url(&path).expect("loads");
        assert_eq!(decoded(&url).dimensions(), (512, 256));
    }

    #[test]
    fn noisy_photo_is_stored_as_jpeg() {
        let mut seed = 0x2545_f491_u32;
        let noise = RgbImage::from_fn(600, 600, |_, _| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let [r, g, b, _] = seed.to_le_bytes();
            Rgb([r, g, b])
        });
        let (_dir, path) = saved("noise.png", noise);
        let url = photo_data_url(&path).expect("loads");
        assert!(url.starts_with("data:image/jpeg;base64,"));
        assert_eq!(decoded(&url).dimensions(), (512, 512));
    }

    #[test]
    fn text_file_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (text, fake) = (dir.path().join("notes.txt"), dir.path().join("fake.png"));
        std::fs::write(&text, "not a picture").expect("write");
        std::fs::write(&fake, "not a picture either").expect("write");
        let err = photo_data_url(&text).expect_err("text is not a photo");
        assert!(
            err.contains("notes.txt") && err.contains("is not a PNG or JPEG image"),
            "{err}"
        );
        let err = photo_data_url(&fake).expect_err("text named .png is not a photo");
        assert!(
            err.contains("fake.png") && err.contains("not an image"),
            "{err}"
        );
    }

    #[test]
    fn oversized_photo_is_refused_by_the_decode_limits() {
        let (_dir, path) = saved("strip.png", RgbImage::new(8001, 1));
        let err = photo_data_url(&path).expect_err("wider than 8000 px");
        assert!(
            err.contains("strip.png") && err.contains("too large"),
            "{err}"
        );
    }
}
