//! Persona photos: embedded PNG or JPEG data URLs, trusted only once they decode within
//! the image limits.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageDecoder as _, ImageError, ImageFormat, ImageReader};
use std::io::Cursor;

/// The widest or tallest photo decoded, in pixels.
pub const PHOTO_MAX_PIXELS: u32 = 8000;
/// The most memory decoding one photo may take.
pub const PHOTO_MAX_ALLOC: u64 = 64 * 1024 * 1024;

/// The accepted data URL prefixes and the image type each must hold.
const PHOTO_TYPES: [(&str, ImageFormat); 2] = [
    ("data:image/png;base64,", ImageFormat::Png),
    ("data:image/jpeg;base64,", ImageFormat::Jpeg),
];

pub fn photo_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(PHOTO_MAX_PIXELS);
    limits.max_image_height = Some(PHOTO_MAX_PIXELS);
    limits.max_alloc = Some(PHOTO_MAX_ALLOC);
    limits
}

/// Decodes a persona photo's data URL within the limits, or says what is wrong with it
/// (in words that follow "photo", e.g. "is not valid base64").
pub fn decode_photo(url: &str) -> Result<DynamicImage, String> {
    let (format, data) = PHOTO_TYPES
        .iter()
        .find_map(|(prefix, format)| Some((*format, url.strip_prefix(prefix)?)))
        .ok_or("is not an embedded PNG or JPEG image (a data:image/png or data:image/jpeg URL)")?;
    let bytes = STANDARD
        .decode(data)
        .map_err(|_| "is not valid base64".to_owned())?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(photo_limits());
    let decoder = reader.into_decoder().map_err(|err| describe(&err))?;
    if decoder.total_bytes() > PHOTO_MAX_ALLOC {
        return Err("is too large to decode (more than 64 MB of pixels)".to_owned());
    }
    DynamicImage::from_decoder(decoder).map_err(|err| describe(&err))
}

fn describe(err: &ImageError) -> String {
    match err {
        ImageError::Limits(_) => {
            format!("is too large (at most {PHOTO_MAX_PIXELS} × {PHOTO_MAX_PIXELS} pixels)")
        }
        other => format!("is damaged or not the image type it claims ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn data_url(image: &RgbImage, format: ImageFormat, mime: &str) -> String {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        format!("data:image/{mime};base64,{}", STANDARD.encode(bytes))
    }

    #[test]
    fn png_and_jpeg_data_urls_decode() {
        let image = RgbImage::from_pixel(4, 3, Rgb([200, 40, 40]));
        for (format, mime) in [(ImageFormat::Png, "png"), (ImageFormat::Jpeg, "jpeg")] {
            let decoded = decode_photo(&data_url(&image, format, mime)).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (4, 3));
        }
    }

    #[test]
    fn other_photos_are_refused_with_a_reason() {
        let png = data_url(&RgbImage::new(2, 2), ImageFormat::Png, "png");
        let cases = [
            (
                "http://example.com/maya.png",
                "is not an embedded PNG or JPEG",
            ),
            (
                "data:image/svg+xml;base64,PHN2Zy8+",
                "is not an embedded PNG or JPEG",
            ),
            ("data:image/png;base64,@@@", "is not valid base64"),
            ("data:image/png;base64,aGVsbG8=", "is damaged"),
            (&png.replace("image/png", "image/jpeg"), "is damaged"),
        ];
        for (url, reason) in cases {
            let err = decode_photo(url).expect_err(url);
            assert!(err.starts_with(reason), "{url}: {err}");
        }
    }

    #[test]
    fn a_photo_over_the_pixel_limit_is_refused() {
        let url = data_url(
            &RgbImage::new(PHOTO_MAX_PIXELS + 1, 1),
            ImageFormat::Png,
            "png",
        );
        assert!(decode_photo(&url).unwrap_err().contains("too large"));
    }
}
