//! The image data of a PNG, filtered and compressed on every core: the rows are cut
//! into bands, each band is filtered and deflated on its own (its first row filtered
//! against the real row above it), and the bands are joined into one zlib stream under
//! one header with one Adler-32, as pigz and mtpng do.
//!
//! A band's rows depend only on the image's width, never on the number of threads, so
//! the file is the same bytes on every machine.

use flate2::Compression;
use flate2::write::DeflateEncoder;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc;

/// The deflate level, chosen by measurement on the 1,000-card map at 2x (README,
/// "Performance", `cargo bench --bench export -- png_level`).
pub const LEVEL: u32 = 3;
/// Pixel bytes per band. Each band starts with an empty dictionary, which costs a few
/// hundred bytes per band; 1 MiB keeps that under 0.1 % and gives a 4K-wide image
/// dozens of bands to share out.
const BAND_BYTES: usize = 1 << 20;
const BYTES_PER_PIXEL: usize = 4;

/// Rows of `row_bytes` bytes arriving in pieces, top to bottom, compressed on `threads`
/// threads; each compressed band goes to `write` in order, the first with the zlib
/// header and the last with the checksum. Returns how many pixel bytes came in.
pub fn compress_rows(
    row_bytes: usize,
    rows: usize,
    level: u32,
    threads: usize,
    tiles: impl IntoIterator<Item = impl AsRef<[u8]>>,
    mut write: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<usize> {
    let rows_per_band = (BAND_BYTES / row_bytes.max(1)).max(1);
    let bands = rows.div_ceil(rows_per_band).max(1);
    let threads = threads.clamp(1, bands);
    let (job_sender, jobs) = mpsc::sync_channel::<Band>(threads);
    let jobs = Mutex::new(jobs);
    let (done_sender, done) = mpsc::channel::<(usize, std::io::Result<Compressed>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_sender = done_sender.clone();
            let jobs = &jobs;
            scope.spawn(move || {
                while let Some(band) = jobs.lock().ok().and_then(|jobs| jobs.recv().ok()) {
                    let index = band.index;
                    if done_sender.send((index, band.compress(level))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_sender);
        let mut joined = Joined::new(level, bands);
        let mut send = |band: Band, joined: &mut Joined| -> std::io::Result<()> {
            // A worker only stops early when the receiving side is gone: that is an error below.
            let _ = job_sender.send(band);
            for (index, result) in done.try_iter() {
                joined.arrive(index, result?, &mut write)?;
            }
            Ok(())
        };
        let mut received = 0usize;
        let mut above: Vec<u8> = Vec::new();
        let mut pending: Vec<u8> = Vec::with_capacity(rows_per_band * row_bytes);
        let mut index = 0;
        for tile in tiles {
            let mut tile = tile.as_ref();
            received += tile.len();
            while !tile.is_empty() {
                let take = (rows_per_band * row_bytes - pending.len()).min(tile.len());
                if take == 0 {
                    // More bytes than the image has rows for: the caller names the error.
                    break;
                }
                pending.extend_from_slice(&tile[..take]);
                tile = &tile[take..];
                if pending.len() == rows_per_band * row_bytes && index + 1 < bands {
                    let next_above = pending[pending.len() - row_bytes..].to_vec();
                    let rows = std::mem::replace(
                        &mut pending,
                        Vec::with_capacity(rows_per_band * row_bytes),
                    );
                    let band = Band {
                        index,
                        above: std::mem::replace(&mut above, next_above),
                        rows,
                        row_bytes,
                        last: false,
                    };
                    send(band, &mut joined)?;
                    index += 1;
                }
            }
        }
        let band = Band {
            index,
            above,
            rows: pending,
            row_bytes,
            last: true,
        };
        send(band, &mut joined)?;
        drop(job_sender);
        for (index, result) in done.iter() {
            joined.arrive(index, result?, &mut write)?;
        }
        // Fewer bytes than the image has rows for leave the stream unfinished: the
        // caller compares `received` with the image's size and names the error.
        Ok(received)
    })
}

/// Consecutive whole rows, with the row above them (empty for the image's first row).
struct Band {
    index: usize,
    above: Vec<u8>,
    rows: Vec<u8>,
    row_bytes: usize,
    last: bool,
}

/// A band deflated and ending on a byte boundary (the last band ends the stream), with
/// the Adler-32 of its filtered bytes.
struct Compressed {
    deflate: Vec<u8>,
    adler: u32,
    filtered_len: u64,
}

impl Band {
    fn compress(self, level: u32) -> std::io::Result<Compressed> {
        let capacity = self.rows.len() / 4 + 64;
        let mut encoder =
            DeflateEncoder::new(Vec::with_capacity(capacity), Compression::new(level));
        let mut adler = adler2::Adler32::new();
        let row_bytes = self.row_bytes.max(1);
        let zeros = vec![0; row_bytes];
        let mut above: &[u8] = if self.above.len() == row_bytes {
            &self.above
        } else {
            &zeros
        };
        let mut filtered = vec![0; row_bytes + 1];
        let mut filtered_len = 0u64;
        for row in self.rows.chunks(row_bytes) {
            let filtered = &mut filtered[..row.len() + 1];
            let (kind, bytes) = filtered.split_at_mut(1);
            kind[0] = adaptive_filter(&above[..row.len()], row, bytes);
            adler.write_slice(filtered);
            encoder.write_all(filtered)?;
            filtered_len += filtered.len() as u64;
            above = row;
        }
        let deflate = if self.last {
            encoder.finish()?
        } else {
            encoder.flush_finish()?
        };
        Ok(Compressed {
            deflate,
            adler: adler.checksum(),
            filtered_len,
        })
    }
}

/// The compressed bands, written out in order as they arrive in any order.
struct Joined {
    level: u32,
    bands: usize,
    next: usize,
    waiting: BTreeMap<usize, Compressed>,
    adler: u32,
}

impl Joined {
    fn new(level: u32, bands: usize) -> Self {
        Joined {
            level,
            bands,
            next: 0,
            waiting: BTreeMap::new(),
            adler: 1,
        }
    }

    fn arrive(
        &mut self,
        index: usize,
        band: Compressed,
        write: &mut impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.waiting.insert(index, band);
        while let Some(mut band) = self.waiting.remove(&self.next) {
            self.adler = adler32_combine(self.adler, band.adler, band.filtered_len);
            if self.next == 0 {
                band.deflate.splice(0..0, zlib_header(self.level));
            }
            if self.next + 1 == self.bands {
                band.deflate.extend_from_slice(&self.adler.to_be_bytes());
            }
            write(&band.deflate)?;
            self.next += 1;
        }
        Ok(())
    }
}

/// The two bytes that start a zlib stream: deflate with a 32 KiB window, the level's
/// class, no preset dictionary, and the check bits that make it a multiple of 31.
fn zlib_header(level: u32) -> [u8; 2] {
    let class: u8 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let cmf = 0x78u8;
    let flg = class << 6;
    let check = 31 - ((u16::from(cmf) << 8 | u16::from(flg)) % 31) as u8;
    [cmf, flg | (check % 31)]
}

/// The Adler-32 of two pieces joined, from theirs and the second's length (zlib's
/// `adler32_combine`).
fn adler32_combine(first: u32, second: u32, second_len: u64) -> u32 {
    const BASE: u64 = 65521;
    let rem = second_len % BASE;
    let (first, second) = (u64::from(first), u64::from(second));
    let mut sum1 = first & 0xffff;
    let mut sum2 = (rem * sum1) % BASE;
    sum1 += (second & 0xffff) + BASE - 1;
    sum2 += (first >> 16) + (second >> 16) + BASE - rem;
    sum1 %= BASE;
    sum2 %= BASE;
    (sum1 | (sum2 << 16)) as u32
}

/// Filters `row` into `out` with the filter whose output has the smallest sum of
/// magnitudes (the PNG specification's suggested heuristic), tried in the png crate's
/// order (up, sub, average, Paeth; a later one wins a tie; a row that costs nothing
/// stops the search), so the rows are filtered as the png crate filtered them before.
/// Returns the filter's type byte.
fn adaptive_filter(above: &[u8], row: &[u8], out: &mut [u8]) -> u8 {
    const UP: u8 = 2;
    const PAETH: u8 = 4;
    let mut best = (u64::MAX, UP);
    for kind in [UP, 1, 3, PAETH] {
        filter(kind, above, row, out);
        let cost = magnitude(out);
        if cost <= best.0 {
            best = (cost, kind);
            if cost == 0 {
                return kind;
            }
        }
    }
    if best.1 != PAETH {
        filter(best.1, above, row, out);
    }
    best.1
}

/// The sum of the bytes read as signed, in blocks the compiler turns into vector code.
fn magnitude(bytes: &[u8]) -> u64 {
    let mut blocks = bytes.chunks_exact(64);
    let mut sum = 0u64;
    for block in &mut blocks {
        sum += block
            .iter()
            .map(|&byte| u32::from((byte as i8).unsigned_abs()))
            .sum::<u32>() as u64;
    }
    let rest = blocks.remainder();
    sum + rest
        .iter()
        .map(|&byte| u64::from((byte as i8).unsigned_abs()))
        .sum::<u64>()
}

/// One of PNG's five row filters (none, sub, up, average, Paeth) for 4 bytes a pixel,
/// written as zips of slices so they compile to vector code.
fn filter(kind: u8, above: &[u8], row: &[u8], out: &mut [u8]) {
    const BPP: usize = BYTES_PER_PIXEL;
    let first = BPP.min(row.len());
    let (out_first, out_rest) = out.split_at_mut(first);
    let (row_first, row_rest) = row.split_at(first);
    let (above_first, above_rest) = above.split_at(first);
    // For the bytes after the first pixel: the byte to the left and the one above-left.
    let left = &row[..row.len() - first];
    let upper_left = &above[..above.len() - first];
    match kind {
        0 => out.copy_from_slice(row),
        1 => {
            out_first.copy_from_slice(row_first);
            for ((out, &x), &a) in out_rest.iter_mut().zip(row_rest).zip(left) {
                *out = x.wrapping_sub(a);
            }
        }
        2 => {
            for ((out, &x), &b) in out.iter_mut().zip(row).zip(above) {
                *out = x.wrapping_sub(b);
            }
        }
        3 => {
            for ((out, &x), &b) in out_first.iter_mut().zip(row_first).zip(above_first) {
                *out = x.wrapping_sub(b / 2);
            }
            let rest = out_rest.iter_mut().zip(row_rest).zip(left).zip(above_rest);
            for (((out, &x), &a), &b) in rest {
                *out = x.wrapping_sub(((u16::from(a) + u16::from(b)) / 2) as u8);
            }
        }
        _ => {
            for ((out, &x), &b) in out_first.iter_mut().zip(row_first).zip(above_first) {
                *out = x.wrapping_sub(b);
            }
            let rest = (out_rest.iter_mut().zip(row_rest))
                .zip(left.iter().zip(above_rest))
                .zip(upper_left);
            for (((out, &x), (&a, &b)), &c) in rest {
                *out = x.wrapping_sub(paeth(a, b, c));
            }
        }
    }
}

/// The neighbour (left, above, upper left) closest to left + above - upper left, ties
/// going to left, then above; without branches, so it compiles to vector code.
fn paeth(left: u8, above: u8, upper_left: u8) -> u8 {
    let (a, b, c) = (i16::from(left), i16::from(above), i16::from(upper_left));
    let to_left = (b - c).abs();
    let to_above = (a - c).abs();
    let to_upper_left = (a + b - 2 * c).abs();
    let nearer_of_above = if to_above <= to_upper_left {
        above
    } else {
        upper_left
    };
    if to_left <= to_above && to_left <= to_upper_left {
        left
    } else {
        nearer_of_above
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn noisy_rows(row_bytes: usize, rows: usize) -> Vec<u8> {
        let mut state = 0x2545_f491_u32;
        (0..row_bytes * rows)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                // Mostly smooth with some noise, like anti-aliased edges on flat colour.
                ((i / 7) as u32 + (state % 5)) as u8
            })
            .collect()
    }

    fn compress(rgba: &[u8], row_bytes: usize, threads: usize, tile_rows: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let rows = rgba.len() / row_bytes;
        let tiles = rgba.chunks(tile_rows * row_bytes);
        compress_rows(row_bytes, rows, LEVEL, threads, tiles, |bytes| {
            out.extend_from_slice(bytes);
            Ok(())
        })
        .unwrap();
        out
    }

    /// The Paeth predictor as the PNG specification writes it.
    fn spec_paeth(a: u8, b: u8, c: u8) -> u8 {
        let p = i16::from(a) + i16::from(b) - i16::from(c);
        let (pa, pb, pc) = (
            (p - i16::from(a)).abs(),
            (p - i16::from(b)).abs(),
            (p - i16::from(c)).abs(),
        );
        if pa <= pb && pa <= pc {
            a
        } else if pb <= pc {
            b
        } else {
            c
        }
    }

    #[test]
    fn the_paeth_predictor_is_the_specifications() {
        for a in 0..=255u8 {
            for b in (0..=255u8).step_by(3) {
                for c in (0..=255u8).step_by(5) {
                    assert_eq!(paeth(a, b, c), spec_paeth(a, b, c), "{a} {b} {c}");
                }
            }
        }
    }

    /// Undoes the filters, as a decoder does.
    fn unfilter(filtered: &[u8], row_bytes: usize) -> Vec<u8> {
        let mut rows = Vec::new();
        let mut above = vec![0u8; row_bytes];
        for line in filtered.chunks(row_bytes + 1) {
            let (kind, bytes) = (line[0], &line[1..]);
            let mut row = vec![0u8; row_bytes];
            for i in 0..row_bytes {
                let left = if i >= 4 { row[i - 4] } else { 0 };
                let upper_left = if i >= 4 { above[i - 4] } else { 0 };
                let predictor = match kind {
                    0 => 0,
                    1 => left,
                    2 => above[i],
                    3 => ((u16::from(left) + u16::from(above[i])) / 2) as u8,
                    4 => spec_paeth(left, above[i], upper_left),
                    _ => panic!("filter type {kind}"),
                };
                row[i] = bytes[i].wrapping_add(predictor);
            }
            rows.extend_from_slice(&row);
            above = row;
        }
        rows
    }

    #[test]
    fn the_bands_join_into_one_zlib_stream_of_the_filtered_rows() {
        let row_bytes = 300 * 4;
        // Over three bands, the last one short.
        let rows = BAND_BYTES / row_bytes * 3 + 17;
        let rgba = noisy_rows(row_bytes, rows);
        let stream = compress(&rgba, row_bytes, 2, 50);
        // flate2's zlib decoder checks the header and the Adler-32.
        let mut filtered = Vec::new();
        flate2::read::ZlibDecoder::new(&stream[..])
            .read_to_end(&mut filtered)
            .unwrap();
        assert_eq!(filtered.len(), rows * (row_bytes + 1));
        assert_eq!(unfilter(&filtered, row_bytes), rgba);
    }

    #[test]
    fn the_bytes_do_not_depend_on_threads_or_tiles() {
        let row_bytes = 2000 * 4;
        let rgba = noisy_rows(row_bytes, BAND_BYTES / row_bytes * 4 + 3);
        let one = compress(&rgba, row_bytes, 1, 7);
        assert_eq!(compress(&rgba, row_bytes, 2, 7), one);
        assert_eq!(compress(&rgba, row_bytes, 5, 1000), one);
    }

    #[test]
    fn combined_checksums_equal_the_checksum_of_the_whole() {
        let bytes = noisy_rows(1, 200_000);
        for cut in [0, 1, 65_521, 100_000, 200_000] {
            let (a, b) = bytes.split_at(cut);
            let sum = |part: &[u8]| {
                let mut adler = adler2::Adler32::new();
                adler.write_slice(part);
                adler.checksum()
            };
            assert_eq!(adler32_combine(sum(a), sum(b), b.len() as u64), sum(&bytes));
        }
    }

    #[test]
    fn every_level_has_a_valid_header() {
        for level in 0..=9 {
            let [cmf, flg] = zlib_header(level);
            assert_eq!(
                (u16::from(cmf) << 8 | u16::from(flg)) % 31,
                0,
                "level {level}"
            );
        }
    }

    #[test]
    fn an_image_of_one_row_and_of_one_pixel_compresses() {
        for (row_bytes, rows) in [(4, 1), (40, 1), (4, 3)] {
            let rgba = noisy_rows(row_bytes, rows);
            let stream = compress(&rgba, row_bytes, 2, 1);
            let mut filtered = Vec::new();
            flate2::read::ZlibDecoder::new(&stream[..])
                .read_to_end(&mut filtered)
                .unwrap();
            assert_eq!(unfilter(&filtered, row_bytes), rgba);
        }
    }
}
