//! PNG export: the offscreen painter, the CPU rasterizer, the map chunk.

pub mod chunk;
pub mod raster;
