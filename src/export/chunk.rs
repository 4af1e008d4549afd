//! PNG files that carry their map: pHYs for the physical size, the map's title and
//! description for file browsers and slide tools, and the map's JSON in a compressed
//! iTXt chunk with the keyword `journeymap`, written before the image data.

use std::io::Cursor;

/// Keyword of the text chunk that holds the map.
pub const KEYWORD: &str = "journeymap";
/// Bytes the decoder may allocate while reading a PNG's header and text chunks.
const DECODE_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The largest map text we inflate from a chunk (the same as the file-size limit).
const MAX_MAP_TEXT_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PngError {
    #[error("not a PNG image")]
    NotPng,
    #[error("a damaged PNG image: {0}")]
    Damaged(String),
    #[error("a PNG image with no journeymap map in it (export it from journeymap to embed one)")]
    NoMap,
    #[error("the map in this PNG is damaged: {0}")]
    BadChunk(String),
    #[error("cannot encode the PNG: {0}")]
    Encode(String),
}

/// The 8 bytes every PNG file starts with.
pub fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
}

/// The text a PNG carries: what a designer sees in a file's properties (Title,
/// Description, the standard PNG keywords), and the map itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Text<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub map_json: Option<&'a str>,
}

/// Encodes straight-alpha RGBA8 pixels as a PNG at `dpi`, with `text` in it.
pub fn encode(
    rgba: &[u8],
    width: u32,
    height: u32,
    dpi: f32,
    text: &Text,
) -> Result<Vec<u8>, PngError> {
    encode_rows(width, height, dpi, text, [rgba])
}

/// Like [`encode`], with the rows arriving in pieces (tiles of whole rows, top to
/// bottom), so an image never has to be in memory at once.
pub fn encode_rows(
    width: u32,
    height: u32,
    dpi: f32,
    text: &Text,
    tiles: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> Result<Vec<u8>, PngError> {
    let fail = |err: png::EncodingError| PngError::Encode(err.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let pixels_per_metre = (dpi / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: pixels_per_metre,
        yppu: pixels_per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(fail)?;
    for (keyword, value) in [("Title", text.title), ("Description", text.description)] {
        if !value.trim().is_empty() {
            let chunk = png::text_metadata::ITXtChunk::new(keyword, value);
            writer.write_text_chunk(&chunk).map_err(fail)?;
        }
    }
    if let Some(json) = text.map_json {
        let mut chunk = png::text_metadata::ITXtChunk::new(KEYWORD, json);
        chunk.compressed = true;
        writer.write_text_chunk(&chunk).map_err(fail)?;
    }
    let mut stream = writer.stream_writer().map_err(fail)?;
    let mut written = 0usize;
    for tile in tiles {
        let tile = tile.as_ref();
        written += tile.len();
        std::io::Write::write_all(&mut stream, tile)
            .map_err(|err| PngError::Encode(err.to_string()))?;
    }
    let expected = width as usize * height as usize * 4;
    if written != expected {
        return Err(PngError::Encode(format!(
            "{written} bytes of pixels for a {width}×{height} image"
        )));
    }
    stream.finish().map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

/// What a PNG's header says: its size and its pHYs resolution, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub dpi: Option<f32>,
}

pub fn read_info(bytes: &[u8]) -> Result<PngInfo, PngError> {
    let reader = open(bytes)?;
    let info = reader.info();
    let dpi = info
        .pixel_dims
        .filter(|dims| dims.unit == png::Unit::Meter)
        .map(|dims| dims.xppu as f32 * 0.0254);
    Ok(PngInfo {
        width: info.width,
        height: info.height,
        dpi,
    })
}

/// The map JSON embedded in a PNG: every text chunk before the image data is scanned
/// (iTXt, zTXt and tEXt), and the first with our keyword wins.
pub fn read_map_json(bytes: &[u8]) -> Result<String, PngError> {
    let reader = open(bytes)?;
    let info = reader.info();
    let ours = |keyword: &str| keyword == KEYWORD;
    let text = if let Some(chunk) = info.utf8_text.iter().find(|c| ours(&c.keyword)) {
        chunk.clone().inflate(MAX_MAP_TEXT_BYTES)
    } else if let Some(chunk) = info
        .compressed_latin1_text
        .iter()
        .find(|c| ours(&c.keyword))
    {
        chunk.clone().inflate(MAX_MAP_TEXT_BYTES)
    } else if let Some(chunk) = info
        .uncompressed_latin1_text
        .iter()
        .find(|c| ours(&c.keyword))
    {
        Ok(chunk.text.clone())
    } else {
        return Err(PngError::NoMap);
    };
    text.map_err(|err| PngError::BadChunk(err.to_string()))
}

/// Inflating the text of an iTXt or zTXt chunk, bounded (the png crate has no trait
/// for what the two share).
trait Inflate {
    fn inflate(self, limit: usize) -> Result<String, png::DecodingError>;
}

impl Inflate for png::text_metadata::ITXtChunk {
    fn inflate(mut self, limit: usize) -> Result<String, png::DecodingError> {
        self.decompress_text_with_limit(limit)?;
        self.get_text()
    }
}

impl Inflate for png::text_metadata::ZTXtChunk {
    fn inflate(mut self, limit: usize) -> Result<String, png::DecodingError> {
        self.decompress_text_with_limit(limit)?;
        self.get_text()
    }
}

fn open(bytes: &[u8]) -> Result<png::Reader<Cursor<&[u8]>>, PngError> {
    if !is_png(bytes) {
        return Err(PngError::NotPng);
    }
    let limits = png::Limits {
        bytes: DECODE_LIMIT_BYTES,
    };
    png::Decoder::new_with_limits(Cursor::new(bytes), limits)
        .read_info()
        .map_err(|err| PngError::Damaged(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixels(width: u32, height: u32) -> Vec<u8> {
        (0..width * height * 4).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn the_map_and_the_resolution_round_trip() {
        let json = "{\"title\": \"Café — 5A\"}\n";
        let text = Text {
            map_json: Some(json),
            ..Text::default()
        };
        let png = encode(&pixels(3, 2), 3, 2, 144.0, &text).unwrap();
        assert_eq!(read_map_json(&png).unwrap(), json);
        let info = read_info(&png).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert!((info.dpi.unwrap() - 144.0).abs() < 0.1, "{:?}", info.dpi);
    }

    #[test]
    fn title_and_description_are_the_only_text_besides_the_map() {
        let text = Text {
            title: "Café — 5A",
            description: "How a shopper finds us",
            map_json: Some("{}"),
        };
        let png = encode(&pixels(1, 1), 1, 1, 72.0, &text).unwrap();
        let reader = open(&png).unwrap();
        let chunks: Vec<(String, String)> = reader
            .info()
            .utf8_text
            .iter()
            .map(|c| (c.keyword.clone(), c.clone().inflate(1024).unwrap()))
            .collect();
        let expected = [
            ("Title", "Café — 5A"),
            ("Description", "How a shopper finds us"),
        ];
        let expected = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([(KEYWORD.to_owned(), "{}".to_owned())]);
        assert_eq!(chunks, expected.collect::<Vec<_>>());
        assert!(reader.info().uncompressed_latin1_text.is_empty());
        assert!(reader.info().compressed_latin1_text.is_empty());
    }

    #[test]
    fn other_text_chunks_before_ours_are_skipped() {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 1, 1);
        encoder.set_color(png::ColorType::Rgba);
        encoder
            .add_text_chunk("Software".into(), "Other".into())
            .unwrap();
        encoder
            .add_itxt_chunk("Comment".into(), "hello".into())
            .unwrap();
        encoder
            .add_ztxt_chunk(KEYWORD.into(), "{\"map\": 1}".into())
            .unwrap();
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[0, 0, 0, 0]).unwrap();
        writer.finish().unwrap();
        assert_eq!(read_map_json(&out).unwrap(), "{\"map\": 1}");
    }

    #[test]
    fn pngs_without_a_map_and_other_files_are_named() {
        let plain = encode(&pixels(1, 1), 1, 1, 72.0, &Text::default()).unwrap();
        assert_eq!(read_map_json(&plain), Err(PngError::NoMap));
        assert_eq!(read_map_json(b"{\"format\": 1}"), Err(PngError::NotPng));
        let truncated = &plain[..20];
        assert!(matches!(
            read_map_json(truncated),
            Err(PngError::Damaged(_))
        ));
    }
}
