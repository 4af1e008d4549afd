//! How far two drawings of one map are apart, in three numbers that anti-aliasing moves
//! little and a missing, moved or changed shape moves a lot.

/// Calibrated on every template, light and dark, at 1x and 2x, drawn back by
/// rsvg-convert and pdftocairo. The worst seen: mean 1.93/255; 95.2 % of pixels close;
/// worst square 11.0/255 at 1x and 30.0/255 at 2x (bold text placed a quarter point
/// apart: the PNG snaps text to its own pixels, the vectors to a quarter point). One
/// retitled card gives a square of 21/255 at 1x, one moved card 49/255, a blank page 132.
pub const MAX_MEAN: f64 = 2.25;
pub const MIN_CLOSE_SHARE: f64 = 0.94;
/// The worst square allowed at 1x, and at 2x (text edges are sharper, so they differ more).
pub const MAX_TILE_MEAN: [f64; 2] = [16.0, 40.0];
/// The side of the squares whose mean difference is bounded.
const TILE: u32 = 32;

pub struct Difference {
    /// Mean absolute difference per channel, in 1/255.
    pub mean: f64,
    /// The share of pixels within 16/255 in every channel, once both images are
    /// blurred over 3 × 3 pixels (anti-aliasing that one renderer puts on one side of an
    /// edge and the other on the next pixel evens out; a shape that is not there stays).
    pub close: f64,
    /// The largest mean difference of a 32 × 32 square of the blurred images: a changed
    /// card shows here even when the whole image's figures hardly move.
    pub worst_tile: f64,
}

impl Difference {
    /// Whether the drawings are the same within anti-aliasing, at export `scale` 1 or 2.
    pub fn is_close(&self, scale: f32) -> bool {
        let tile = MAX_TILE_MEAN[usize::from(scale > 1.0)];
        self.mean < MAX_MEAN && self.close > MIN_CLOSE_SHARE && self.worst_tile < tile
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "mean {:.3}/255, {:.2} % within 16/255 (3×3 blur), worst 32 px square (blurred) {:.2}/255",
            self.mean,
            100.0 * self.close,
            self.worst_tile
        )
    }
}

/// Each pixel the mean of its 3 × 3 neighbourhood (as many neighbours as there are at
/// the edges).
fn blurred(image: &image::RgbaImage) -> Vec<[u8; 4]> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    let mut out = vec![[0u8; 4]; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut sum = [0u32; 4];
            let mut n = 0;
            for yy in y.saturating_sub(1)..(y + 2).min(h) {
                for xx in x.saturating_sub(1)..(x + 2).min(w) {
                    let at = 4 * (yy * w + xx);
                    for c in 0..4 {
                        sum[c] += raw[at + c] as u32;
                    }
                    n += 1;
                }
            }
            out[y * w + x] = sum.map(|s| (s / n) as u8);
        }
    }
    out
}

pub fn compare(a: &image::RgbaImage, b: &image::RgbaImage) -> Difference {
    assert_eq!(a.dimensions(), b.dimensions(), "the images differ in size");
    let (w, h) = a.dimensions();
    let (ra, rb) = (a.as_raw(), b.as_raw());
    let total: u64 = ra.iter().zip(rb).map(|(p, q)| p.abs_diff(*q) as u64).sum();
    let (ba, bb) = (blurred(a), blurred(b));
    let close = ba
        .iter()
        .zip(&bb)
        .filter(|(p, q)| (0..4).all(|c| p[c].abs_diff(q[c]) <= 16))
        .count();
    let mut worst_tile = 0.0f64;
    for ty in (0..h).step_by(TILE as usize) {
        for tx in (0..w).step_by(TILE as usize) {
            let mut sum = 0u64;
            let mut n = 0u64;
            for y in ty..(ty + TILE).min(h) {
                let row = (y * w) as usize;
                let (from, to) = (row + tx as usize, row + (tx + TILE).min(w) as usize);
                for (p, q) in ba[from..to].iter().zip(&bb[from..to]) {
                    sum += (0..4).map(|c| p[c].abs_diff(q[c]) as u64).sum::<u64>();
                    n += 4;
                }
            }
            worst_tile = worst_tile.max(sum as f64 / n as f64);
        }
    }
    let pixels = (w as f64) * (h as f64);
    Difference {
        mean: total as f64 / (pixels * 4.0),
        close: close as f64 / pixels,
        worst_tile,
    }
}
