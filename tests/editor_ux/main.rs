//! The editor as a new user met it, driven through egui_kittest: keys stay in the
//! widget that has them (`focus`), and the inspector, opening, recovery and the
//! shortcut sheet behave (`minors`). One test binary for both.

mod focus;
mod minors;
#[path = "../support/mod.rs"]
mod support;
