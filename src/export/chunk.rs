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
    let compression = Compression {
        level: super::idat::LEVEL,
        threads: super::raster::available_threads(),
    };
    encode_rows_with(compression, width, height, dpi, text, tiles)
}

/// How the image data is compressed: the deflate level (0 to 9) and the number of
/// threads, which changes the speed and never the bytes.
#[derive(Clone, Copy, Debug)]
pub struct Compression {
    pub level: u32,
    pub threads: usize,
}

/// [`encode_rows`] with a chosen compression (for measuring the levels).
pub fn encode_rows_with(
    compression: Compression,
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
    let row_bytes = width as usize * 4;
    let Compression { level, threads } = compression;
    let written =
        super::idat::compress_rows(row_bytes, height as usize, level, threads, tiles, |data| {
            writer
                .write_chunk(png::chunk::IDAT, data)
                .map_err(std::io::Error::other)
        })
        .map_err(|err| PngError::Encode(err.to_string()))?;
    let expected = width as usize * height as usize * 4;
    if written != expected {
        return Err(PngError::Encode(format!(
            "{written} bytes of pixels for a {width}×{height} image"
        )));
    }
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
/// (iTXt, zTXt and tEXt), and the first with our keyword wins, whatever its type.
pub fn read_map_json(bytes: &[u8]) -> Result<String, PngError> {
    let reader = open(bytes)?;
    let info = reader.info();
    let Some(first) = first_map_chunk(bytes) else {
        return Err(PngError::NoMap);
    };
    let ours = |keyword: &str| keyword == KEYWORD;
    // The decoder keeps each type of text chunk in its own list, in file order, and skips
    // one it cannot read: ours is the first of its list only if none of its type was skipped.
    let damaged = || PngError::BadChunk("a journeymap text chunk cannot be read".to_owned());
    let text = match &first.kind {
        b"iTXt" => {
            let mut chunks = info.utf8_text.iter().filter(|c| ours(&c.keyword));
            match chunks.next() {
                Some(chunk) if chunks.count() + 1 == first.of_its_kind => {
                    chunk.clone().inflate(MAX_MAP_TEXT_BYTES)
                }
                _ => return Err(damaged()),
            }
        }
        b"zTXt" => {
            let mut chunks = (info.compressed_latin1_text.iter()).filter(|c| ours(&c.keyword));
            match chunks.next() {
                Some(chunk) if chunks.count() + 1 == first.of_its_kind => {
                    chunk.clone().inflate(MAX_MAP_TEXT_BYTES)
                }
                _ => return Err(damaged()),
            }
        }
        _ => {
            let mut chunks = (info.uncompressed_latin1_text.iter()).filter(|c| ours(&c.keyword));
            match chunks.next() {
                Some(chunk) if chunks.count() + 1 == first.of_its_kind => Ok(chunk.text.clone()),
                _ => return Err(damaged()),
            }
        }
    };
    text.map_err(|err| PngError::BadChunk(err.to_string()))
}

/// The first text chunk carrying our keyword, found by walking the chunk headers.
struct FirstMapChunk {
    kind: [u8; 4],
    /// How many chunks of that type before the image data carry our keyword.
    of_its_kind: usize,
}

/// Walks the chunks before the image data (the decoder has checked their layout and
/// CRCs) for the first text chunk whose keyword is ours.
fn first_map_chunk(bytes: &[u8]) -> Option<FirstMapChunk> {
    let mut first: Option<FirstMapChunk> = None;
    let mut at = 8usize;
    while let Some(header) = bytes.get(at..at.checked_add(8)?) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        if &kind == b"IDAT" {
            break;
        }
        let start = at + 8;
        let data = bytes.get(start..start.checked_add(length)?)?;
        let text_chunk = matches!(&kind, b"iTXt" | b"zTXt" | b"tEXt");
        let keyword_is_ours = data
            .strip_prefix(KEYWORD.as_bytes())
            .is_some_and(|rest| rest.first() == Some(&0));
        if text_chunk && keyword_is_ours {
            match &mut first {
                None => {
                    first = Some(FirstMapChunk {
                        kind,
                        of_its_kind: 1,
                    })
                }
                Some(first) if first.kind == kind => first.of_its_kind += 1,
                Some(_) => {}
            }
        }
        at = start.checked_add(length)?.checked_add(4)?;
    }
    first
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
    fn the_png_crate_decodes_the_pixels_that_went_in() {
        // Wide and tall enough for several compressed bands, on one thread and on three.
        let (width, height) = (700, 1200);
        let rgba: Vec<u8> = (0..width * height * 4)
            .map(|i| ((i / 4 % width) / 9 + (i / 4 / width) / 13 + i % 4 * 60) as u8)
            .collect();
        for threads in [1, 3] {
            let compression = Compression { level: 3, threads };
            let text = Text::default();
            let png = encode_rows_with(
                compression,
                width as u32,
                height as u32,
                72.0,
                &text,
                rgba.chunks(width * 4 * 37),
            )
            .unwrap();
            let mut reader = png::Decoder::new(Cursor::new(&png[..]))
                .read_info()
                .unwrap();
            let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
            reader.next_frame(&mut decoded).unwrap();
            assert!(decoded == rgba, "{threads} threads");
        }
    }

    #[test]
    fn too_few_or_too_many_pixels_are_an_error() {
        let text = Text::default();
        for len in [4 * 4 * 3 - 4, 4 * 4 * 3 + 4] {
            let rgba = vec![7u8; len];
            assert!(
                matches!(encode(&rgba, 4, 3, 72.0, &text), Err(PngError::Encode(_))),
                "{len}"
            );
        }
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

    /// A 1×1 PNG with the given text chunks written in this order before the image data.
    fn png_with_chunks(write: impl FnOnce(&mut png::Writer<&mut Vec<u8>>)) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 1, 1);
        encoder.set_color(png::ColorType::Rgba);
        let mut writer = encoder.write_header().unwrap();
        write(&mut writer);
        writer.write_image_data(&[0, 0, 0, 0]).unwrap();
        writer.finish().unwrap();
        out
    }

    fn ztxt(text: &str) -> png::text_metadata::ZTXtChunk {
        png::text_metadata::ZTXtChunk::new(KEYWORD, text)
    }

    fn itxt(text: &str) -> png::text_metadata::ITXtChunk {
        let mut chunk = png::text_metadata::ITXtChunk::new(KEYWORD, text);
        chunk.compressed = true;
        chunk
    }

    #[test]
    fn the_first_map_chunk_wins_whatever_its_type() {
        let ztxt_first = png_with_chunks(|w| {
            w.write_text_chunk(&ztxt("{\"from\": \"zTXt\"}")).unwrap();
            w.write_text_chunk(&itxt("{\"from\": \"iTXt\"}")).unwrap();
        });
        assert_eq!(read_map_json(&ztxt_first).unwrap(), "{\"from\": \"zTXt\"}");

        let itxt_first = png_with_chunks(|w| {
            w.write_text_chunk(&itxt("{\"from\": \"iTXt\"}")).unwrap();
            w.write_text_chunk(&ztxt("{\"from\": \"zTXt\"}")).unwrap();
        });
        assert_eq!(read_map_json(&itxt_first).unwrap(), "{\"from\": \"iTXt\"}");

        let text_first = png_with_chunks(|w| {
            let text = png::text_metadata::TEXtChunk::new(KEYWORD, "{\"from\": \"tEXt\"}");
            w.write_text_chunk(&text).unwrap();
            w.write_text_chunk(&itxt("{\"from\": \"iTXt\"}")).unwrap();
            w.write_text_chunk(&ztxt("{\"from\": \"zTXt\"}")).unwrap();
        });
        assert_eq!(read_map_json(&text_first).unwrap(), "{\"from\": \"tEXt\"}");
    }

    #[test]
    fn a_first_map_chunk_the_decoder_skips_is_damage_not_a_later_map() {
        let mut png = png_with_chunks(|w| {
            w.write_text_chunk(&ztxt("{\"first\": 1}")).unwrap();
            w.write_text_chunk(&ztxt("{\"second\": 2}")).unwrap();
        });
        // Break the compression method byte of the first zTXt (after "journeymap\0").
        let at = png.windows(4).position(|w| w == b"zTXt").unwrap() + 4 + KEYWORD.len() + 1;
        png[at] = 7;
        let crc_at = at + 1 + ztxt_payload_len(&png, at);
        let crc = crc32(&png[at - KEYWORD.len() - 1 - 4..crc_at]);
        png[crc_at..crc_at + 4].copy_from_slice(&crc.to_be_bytes());
        assert!(
            matches!(read_map_json(&png), Err(PngError::BadChunk(_))),
            "{:?}",
            read_map_json(&png)
        );
    }

    /// Bytes of the first zTXt chunk after its compression method byte at `method_at`.
    fn ztxt_payload_len(png: &[u8], method_at: usize) -> usize {
        let type_at = method_at - KEYWORD.len() - 1 - 4;
        let length = u32::from_be_bytes(png[type_at - 4..type_at].try_into().unwrap()) as usize;
        length - KEYWORD.len() - 2
    }

    /// The PNG chunk CRC (ISO 3309), for a test that edits a chunk.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
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
