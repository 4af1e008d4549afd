//! journeymap: a native desktop editor for customer journey maps.
//!
//! `model` is the map and its file format, `edit` every change to it (with undo),
//! `templates` the starter maps, `storage` files on disk, `cli` the window-less commands.

pub mod app;
pub mod cli;
pub mod edit;
pub mod export;
pub mod model;
pub mod render;
pub mod sample;
pub mod storage;
pub mod table;
pub mod templates;
