//! The keyboard shortcut sheet (`?`): every shortcut and gesture of the editor, grouped.

use super::export_dialog::{COPY_PNG, EXPORT};
use super::{CLOSE, NEW, OPEN, QUIT, REDO, REDO_Y, SAVE, SAVE_AS, UNDO};
use egui::{
    Align2, Context, Grid, Id, Key, KeyboardShortcut, ModifierNames, Modifiers, RichText, Ui,
};

/// Shows or hides the sheet. On most layouts `?` is Shift+/: egui reports the logical
/// key `?` with Shift held, and `consume_shortcut` ignores an extra Shift, so no
/// modifier is asked for here and a layout with a plain `?` key works too.
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Questionmark);

/// Whether keys reach the map's shortcuts (editing, selection, undo, `?`): not while
/// another widget has the keyboard (a text field, a drag value, a combo box, a colour
/// picker, a menu) or a modal is open. `canvas` is the canvas's own widget id, which
/// may have the keyboard.
pub fn keys_reach_map(ctx: &Context, canvas: Option<Id>) -> bool {
    let (focused, modal) = ctx.memory(|m| (m.focused(), m.top_modal_layer()));
    let other_widget = focused.is_some_and(|id| Some(id) != canvas);
    !other_widget && modal.is_none() && !egui::Popup::is_any_open(ctx)
}

/// One way to give a command.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Input {
    Key(KeyboardShortcut),
    /// A pointer gesture, with the modifiers held during it.
    Gesture(Modifiers, &'static str),
}

const fn key(modifiers: Modifiers, key: Key) -> Input {
    Input::Key(KeyboardShortcut::new(modifiers, key))
}

const fn gesture(text: &'static str) -> Input {
    Input::Gesture(Modifiers::NONE, text)
}

const fn held(modifiers: Modifiers, text: &'static str) -> Input {
    Input::Gesture(modifiers, text)
}

struct Command {
    action: &'static str,
    /// Alternatives: any of them does it.
    inputs: &'static [Input],
}

struct Group {
    name: &'static str,
    commands: &'static [Command],
}

const fn command(action: &'static str, inputs: &'static [Input]) -> Command {
    Command { action, inputs }
}

const CMD: Modifiers = Modifiers::COMMAND;
const NONE: Modifiers = Modifiers::NONE;

const GROUPS: [Group; 5] = [
    Group {
        name: "Canvas",
        commands: &[
            command(
                "Pan",
                &[
                    held(NONE, "Space+drag"),
                    gesture("middle or right drag"),
                    gesture("scroll"),
                ],
            ),
            command("Select a card", &[gesture("click")]),
            command(
                "Add to the selection",
                &[held(Modifiers::SHIFT, "click"), held(CMD, "click")],
            ),
            command("Select many", &[gesture("drag on empty space")]),
            command("Select the neighbouring card", &[gesture("arrow keys")]),
            command("Go to the next card", &[key(NONE, Key::Tab)]),
            command(
                "New card",
                &[gesture("double-click an empty cell"), key(NONE, Key::N)],
            ),
        ],
    },
    Group {
        name: "Cards",
        commands: &[
            command("Move", &[gesture("drag")]),
            command(
                "Move to the next cell",
                &[held(Modifiers::ALT, "arrow keys")],
            ),
            command(
                "Edit text",
                &[gesture("double-click"), key(NONE, Key::Enter)],
            ),
            command("Finish editing", &[key(NONE, Key::Escape)]),
            command(
                "Delete",
                &[key(NONE, Key::Delete), key(NONE, Key::Backspace)],
            ),
            command("Duplicate", &[key(CMD, Key::D)]),
        ],
    },
    Group {
        name: "Edit",
        commands: &[
            command("Undo", &[Input::Key(UNDO)]),
            command("Redo", &[Input::Key(REDO), Input::Key(REDO_Y)]),
            command("Copy", &[key(CMD, Key::C)]),
            command("Paste", &[key(CMD, Key::V)]),
        ],
    },
    Group {
        name: "File",
        commands: &[
            command("New from a template", &[Input::Key(NEW)]),
            command(
                "Open",
                &[Input::Key(OPEN), gesture("drop a file on the window")],
            ),
            command("Save", &[Input::Key(SAVE)]),
            command("Save as", &[Input::Key(SAVE_AS)]),
            command("Export PNG, SVG, PDF or PowerPoint", &[Input::Key(EXPORT)]),
            command("Copy as PNG", &[Input::Key(COPY_PNG)]),
            command("Close the map", &[Input::Key(CLOSE)]),
            command("Quit", &[Input::Key(QUIT)]),
        ],
    },
    Group {
        name: "View",
        commands: &[
            command("Zoom", &[held(CMD, "scroll"), gesture("pinch")]),
            command("Zoom in", &[key(CMD, Key::Equals)]),
            command("Zoom out", &[key(CMD, Key::Minus)]),
            command("Zoom to 100 %", &[key(CMD, Key::Num0)]),
            command("Zoom to fit", &[key(Modifiers::SHIFT, Key::Num1)]),
            command("Keyboard shortcuts", &[Input::Key(HELP)]),
        ],
    },
];

/// The sheet, while `open`; Esc or its close button closes it.
pub fn sheet_ui(ctx: &Context, open: &mut bool) {
    if !*open {
        return;
    }
    let names = KeyNames::of(ctx);
    let shown = egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .pivot(Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                groups_ui(ui, "shortcuts_left", &GROUPS[..2], names);
                ui.add_space(24.0);
                groups_ui(ui, "shortcuts_right", &GROUPS[2..], names);
            });
            ui.add_space(8.0);
            ui.weak(format!(
                "Press {} or Esc to close.",
                names.format(Input::Key(HELP))
            ));
        });
    // Its first frames measure the grids and the window in passes of their own: until
    // the size settles, draw again rather than wait for the mouse to move.
    if let Some(rect) = shown.map(|shown| shown.response.rect) {
        let id = Id::unique("shortcut sheet rect");
        let last = ctx.data_mut(|d| d.get_temp::<egui::Rect>(id));
        ctx.data_mut(|d| d.insert_temp(id, rect));
        if last != Some(rect) {
            ctx.request_repaint();
        }
    }
    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        *open = false;
    }
}

/// A column of groups, in one grid so that their keys line up.
fn groups_ui(ui: &mut Ui, id: &str, groups: &[Group], names: KeyNames) {
    ui.vertical(|ui| {
        Grid::new(id)
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for (index, group) in groups.iter().enumerate() {
                    if index > 0 {
                        // A short empty row: a grid has no add_space.
                        ui.allocate_exact_size(egui::vec2(0.0, 4.0), egui::Sense::hover());
                        ui.end_row();
                    }
                    ui.label(RichText::new(group.name).strong().size(15.0));
                    ui.end_row();
                    for command in group.commands {
                        ui.label(command.action);
                        inputs_ui(ui, command.inputs, names);
                        ui.end_row();
                    }
                }
            });
    });
}

fn inputs_ui(ui: &mut Ui, inputs: &[Input], names: KeyNames) {
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (index, input) in inputs.iter().enumerate() {
            if index > 0 {
                ui.weak("or");
            }
            match input {
                Input::Key(_) => ui.label(RichText::new(names.format(*input)).code()),
                Input::Gesture(..) => ui.label(names.format(*input)),
            };
        }
    });
}

/// Names modifiers as egui's `format_shortcut` does: Ctrl on Linux and Windows, ⌘ on a
/// Mac (when the font has the symbols); keys get their symbol where they have one.
#[derive(Clone, Copy)]
struct KeyNames {
    names: ModifierNames<'static>,
    is_mac: bool,
}

impl KeyNames {
    fn of(ctx: &Context) -> Self {
        let is_mac = ctx.os().is_mac();
        // `format_modifiers` picks the symbols only when the font can show them.
        let symbols = ctx.format_modifiers(Modifiers::COMMAND) == ModifierNames::SYMBOLS.mac_cmd;
        Self {
            names: if is_mac && symbols {
                ModifierNames::SYMBOLS
            } else {
                ModifierNames::NAMES
            },
            is_mac,
        }
    }

    fn format(&self, input: Input) -> String {
        let (modifiers, last, concat) = match input {
            Input::Key(shortcut) => (
                shortcut.modifiers,
                key_name(shortcut.logical_key),
                self.names.concat,
            ),
            // "⌘ scroll" reads better than "⌘scroll".
            Input::Gesture(modifiers, text) => (
                modifiers,
                text,
                if self.names.concat.is_empty() {
                    " "
                } else {
                    self.names.concat
                },
            ),
        };
        let modifiers = self.names.format(&modifiers, self.is_mac);
        if modifiers.is_empty() {
            last.to_owned()
        } else {
            format!("{modifiers}{concat}{last}")
        }
    }
}

fn key_name(key: Key) -> &'static str {
    match key {
        Key::Escape => "Esc",
        Key::Minus => "-",
        // egui's arrow symbols are missing from many fonts.
        Key::ArrowUp | Key::ArrowDown | Key::ArrowLeft | Key::ArrowRight => key.name(),
        _ => key.symbol_or_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Event, RawInput};

    const LINUX: KeyNames = KeyNames {
        names: ModifierNames::NAMES,
        is_mac: false,
    };
    const MAC: KeyNames = KeyNames {
        names: ModifierNames::SYMBOLS,
        is_mac: true,
    };

    fn press(key: Key, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    /// Runs one frame with `events` and tells whether HELP was consumed.
    fn help_consumed(events: Vec<Event>) -> bool {
        let ctx = Context::default();
        let mut consumed = false;
        let input = RawInput {
            events,
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| {
            consumed = ui.input_mut(|i| i.consume_shortcut(&HELP));
        });
        output.textures_delta.clear();
        consumed
    }

    #[test]
    fn help_matches_question_mark_typed_with_shift() {
        assert!(help_consumed(vec![press(
            Key::Questionmark,
            Modifiers::SHIFT
        )]));
    }

    #[test]
    fn help_matches_a_plain_question_mark_key() {
        assert!(help_consumed(vec![press(
            Key::Questionmark,
            Modifiers::NONE
        )]));
    }

    #[test]
    fn help_ignores_slash_and_command_question_mark() {
        assert!(!help_consumed(vec![press(Key::Slash, Modifiers::NONE)]));
        assert!(!help_consumed(vec![press(
            Key::Questionmark,
            Modifiers::COMMAND
        )]));
    }

    #[test]
    fn shortcuts_are_named_like_egui_on_linux_and_windows() {
        assert_eq!(LINUX.format(Input::Key(REDO)), "Ctrl+Shift+Z");
        assert_eq!(LINUX.format(Input::Key(REDO_Y)), "Ctrl+Y");
        assert_eq!(LINUX.format(Input::Key(HELP)), "?");
        assert_eq!(LINUX.format(key(CMD, Key::Equals)), "Ctrl+=");
        assert_eq!(LINUX.format(key(CMD, Key::Minus)), "Ctrl+-");
        assert_eq!(LINUX.format(key(Modifiers::SHIFT, Key::Num1)), "Shift+1");
        assert_eq!(LINUX.format(key(NONE, Key::Escape)), "Esc");
        assert_eq!(LINUX.format(held(CMD, "scroll")), "Ctrl+scroll");
        assert_eq!(
            LINUX.format(held(Modifiers::ALT, "arrow keys")),
            "Alt+arrow keys"
        );
    }

    #[test]
    fn shortcuts_use_mac_symbols_on_a_mac() {
        assert_eq!(MAC.format(Input::Key(SAVE_AS)), "⇧⌘S");
        assert_eq!(MAC.format(Input::Key(REDO_Y)), "⌃Y");
        assert_eq!(MAC.format(held(CMD, "click")), "⌘ click");
    }

    #[test]
    fn sheet_lists_every_shortcut_of_the_product() {
        let listed: Vec<String> = GROUPS
            .iter()
            .flat_map(|group| group.commands)
            .flat_map(|command| command.inputs)
            .map(|input| LINUX.format(*input))
            .collect();
        for expected in [
            "Space+drag",
            "middle or right drag",
            "scroll",
            "Ctrl+scroll",
            "Ctrl+=",
            "Ctrl+-",
            "Ctrl+0",
            "Shift+1",
            "click",
            "Shift+click",
            "Ctrl+click",
            "drag on empty space",
            "drag",
            "Alt+arrow keys",
            "double-click",
            "Enter",
            "Esc",
            "double-click an empty cell",
            "N",
            "Delete",
            "Backspace",
            "Ctrl+D",
            "Ctrl+C",
            "Ctrl+V",
            "Ctrl+Z",
            "Ctrl+Shift+Z",
            "Ctrl+Y",
            "Ctrl+S",
            "Ctrl+Shift+S",
            "Ctrl+O",
            "Ctrl+N",
            "Ctrl+W",
            "Ctrl+Q",
            "Ctrl+Shift+E",
            "Alt+Shift+C",
            "arrow keys",
            "Tab",
            "?",
        ] {
            assert!(
                listed.iter().any(|l| l == expected),
                "{expected} is not listed"
            );
        }
        let names: Vec<&str> = GROUPS.iter().map(|group| group.name).collect();
        assert_eq!(names, ["Canvas", "Cards", "Edit", "File", "View"]);
    }

    fn sheet_frame(open: &mut bool, events: Vec<Event>) {
        let ctx = Context::default();
        let input = RawInput {
            events,
            ..Default::default()
        };
        let mut output = ctx.run_ui(input, |ui| sheet_ui(ui.ctx(), open));
        output.textures_delta.clear();
    }

    #[test]
    fn sheet_stays_open_until_esc() {
        let mut open = true;
        sheet_frame(&mut open, Vec::new());
        assert!(open);
        sheet_frame(&mut open, vec![press(Key::Escape, Modifiers::NONE)]);
        assert!(!open);
    }
}
