//! Drawing a map: theme, layout and the one painter shared by the canvas and the PNG export.

pub mod fonts;
pub mod layout;
pub mod paint;
pub mod present;
pub mod text;
pub mod theme;
