//! The inspector panel: the selected cards, stage or lane, the map itself, and its
//! personas. Every change is an [`Edit`] applied through the document; one typing
//! session, one drag and one colour-picker session are each one undo step.

mod colour;
mod fields;
mod photo;
mod widgets;

pub use fields::{parse_count, parse_lines, parse_link, parse_tags};
pub use photo::photo_data_url;

use super::{Document, Notice, Selection};
use crate::edit::{CardField, Edit, LaneField, MapField, PersonaField, StageField};
use crate::model::{
    Card, CardId, Channel, Color, Evidence, LANE_HEIGHT_RANGE, LaneId, LaneKind, Map, MapKind,
    MapTheme, Persona, PersonaId, Phase, STAGE_WIDTH_RANGE, Severity, StageId, ThemeMode,
};
use crate::render::theme as t;
use egui::{Id, TextEdit, Ui};
use fields::{
    CARD_TEXTS, LANE_TEXTS, MAP_TEXTS, PERSONA_TEXTS, STAGE_TEXTS, card_value, common, options,
    persona_name, phase_label,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::slice::from_ref;
use widgets::{choice_ui, emotion_ui, error_hint};

/// Shown in place of a value that differs between the selected cards.
const MIXED: &str = "— mixed —";
/// The colour a "Custom colour" box starts from when nothing selected has one.
const DEFAULT_CUSTOM: Color = Color::rgb(0x4f, 0x7c, 0xac);
const COLOUR_NAMES: [&str; 2] = ["Custom colour", "Colour"];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Selection,
    Map,
    Personas,
}

#[derive(Default)]
pub struct InspectorState {
    tab: Tab,
    /// What is typed in each text field, kept while it has focus (or was refused).
    buffers: HashMap<Id, TextBuffer>,
    /// The widget whose edits the open undo gesture collects.
    gesture: Option<Id>,
    /// The widget typed in, dragged or open this frame.
    active: Option<Id>,
    /// What to tell the user after this frame.
    notice: Option<Notice>,
    /// The persona shown in the Personas tab.
    persona: Option<PersonaId>,
    photo_path: String,
    /// The shown photo's hash and texture (`None` when it cannot be decoded).
    photo: Option<(u64, Option<egui::TextureHandle>)>,
    /// Why the last change of a lane to a divider was refused.
    lane_refusal: Option<(LaneId, String)>,
    /// The persona whose photo the user asked to choose in a file dialog.
    photo_dialog: Option<PersonaId>,
    /// The colour picker's swatches: the map's own colours, then the theme's palette.
    swatches: Vec<Color>,
    /// Colours picked lately, the latest first.
    recent_colours: Vec<Color>,
    /// The hex field of the open colour picker (its popup id) and what is typed there.
    hex: Option<(Id, String)>,
    /// The selection shown last frame: a new one brings the Selection tab forward.
    followed: Selection,
    /// The document revision and selection last checked for cards that are gone: the
    /// check walks every card, so it runs only when either changes.
    pruned: Option<(u64, Selection)>,
}

struct TextBuffer {
    text: String,
    /// The model's value when `text` was last taken from it; `None` when mixed.
    model: Option<String>,
    seen: bool,
}

impl InspectorState {
    /// The colours picked lately, the latest first (kept in the settings between runs).
    pub fn recent_colours(&self) -> &[Color] {
        &self.recent_colours
    }

    pub fn set_recent_colours(&mut self, colours: Vec<Color>) {
        self.recent_colours = colours;
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &mut Document,
        selection: &mut Selection,
    ) -> Option<Notice> {
        let checked = (self.pruned.as_ref())
            .is_some_and(|(revision, pruned)| *revision == doc.revision() && pruned == selection);
        if !checked {
            prune_selection(doc.map(), selection);
            self.pruned = Some((doc.revision(), selection.clone()));
        }
        if *selection != self.followed {
            if !selection.is_empty() {
                self.tab = Tab::Selection;
            }
            self.followed = selection.clone();
        }
        // Only a picker shows them: no walk of every card while none is open.
        self.swatches = if egui::Popup::is_any_open(ui.ctx()) {
            colour::map_swatches(doc.map())
        } else {
            Vec::new()
        };
        self.active = None;
        self.buffers
            .values_mut()
            .for_each(|buffer| buffer.seen = false);
        ui.horizontal(|ui| {
            for tab in [Tab::Selection, Tab::Map, Tab::Personas] {
                ui.selectable_value(&mut self.tab, tab, format!("{tab:?}"));
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match self.tab {
                Tab::Selection => self.selection_ui(ui, doc, selection),
                Tab::Map => self.map_ui(ui, doc),
                Tab::Personas => self.personas_ui(ui, doc),
            });
        // The widget that owned the gesture is no longer typed in, dragged or open.
        if self.gesture.is_some() && self.gesture != self.active {
            self.gesture = None;
            doc.end_gesture();
        }
        self.buffers.retain(|_, buffer| buffer.seen);
        self.notice.take()
    }

    /// The persona whose photo is to be chosen in a file dialog, once asked for.
    pub fn take_photo_dialog(&mut self) -> Option<PersonaId> {
        self.photo_dialog.take()
    }

    /// The persona whose fields are shown, when the Personas tab is open.
    pub fn shown_persona(&self) -> Option<PersonaId> {
        (self.tab == Tab::Personas)
            .then(|| self.persona.clone())
            .flatten()
    }

    /// Applies `edit` inside the gesture of widget `gesture`, or as a step of its own.
    fn apply(&mut self, doc: &mut Document, gesture: Option<Id>, edit: Edit) {
        if gesture.is_some() && (self.gesture != gesture || !doc.in_gesture()) {
            doc.begin_gesture(edit.label());
        } else if gesture.is_none() && self.gesture.is_some() {
            doc.end_gesture();
        }
        self.gesture = gesture;
        if let Some(notice) = super::apply(doc, edit) {
            self.notice = Some(notice);
        }
    }

    /// Applies `edit(new)` unless `new` is the value already there: no empty undo steps.
    fn set<T: PartialEq>(
        &mut self,
        doc: &mut Document,
        gesture: Option<Id>,
        old: &T,
        new: T,
        edit: impl FnOnce(T) -> Edit,
    ) {
        if *old != new {
            self.apply(doc, gesture, edit(new));
        }
    }

    /// Sets `field` on every selected card whose value differs, as one edit.
    fn set_cards(
        &mut self,
        doc: &mut Document,
        cards: &[Card],
        gesture: Option<Id>,
        field: CardField,
    ) {
        let ids: Vec<CardId> = (cards.iter())
            .filter(|card| card_value(card, &field) != field)
            .map(|card| card.id.clone())
            .collect();
        if !ids.is_empty() {
            self.apply(doc, gesture, Edit::set_cards(&ids, field));
        }
    }

    fn selection_ui(&mut self, ui: &mut Ui, doc: &mut Document, selection: &Selection) {
        if !selection.cards.is_empty() {
            self.cards_ui(ui, doc, &selection.cards);
        } else if let Some(id) = &selection.stage {
            self.stage_ui(ui, doc, id);
        } else if let Some(id) = &selection.lane {
            self.lane_ui(ui, doc, id);
        } else {
            ui.weak("Click a card, a stage header or a lane header");
        }
    }

    fn cards_ui(&mut self, ui: &mut Ui, doc: &mut Document, ids: &[CardId]) {
        let map = doc.map();
        // In the map's order. A few ids are compared as they are; a set of them would
        // hash every card's id, every frame.
        let cards: Vec<Card> = if ids.len() <= 8 {
            (map.cards.iter())
                .filter(|card| ids.contains(&card.id))
                .cloned()
                .collect()
        } else {
            let wanted: HashSet<&CardId> = ids.iter().collect();
            (map.cards.iter())
                .filter(|card| wanted.contains(&card.id))
                .cloned()
                .collect()
        };
        let personas = std::iter::once((CardField::Persona(None), "None".to_owned())).chain(
            map.personas
                .iter()
                .map(|p| (CardField::Persona(Some(p.id.clone())), persona_name(p))),
        );
        let combos = [
            (
                "Channel",
                options(&Channel::ALL, Channel::label, CardField::Channel),
            ),
            (
                "Phase",
                options(
                    &[Phase::Before, Phase::During, Phase::After],
                    phase_label,
                    CardField::Phase,
                ),
            ),
            (
                "Severity",
                options(
                    &[Severity::Low, Severity::Medium, Severity::High],
                    t::severity_label,
                    CardField::Severity,
                ),
            ),
            (
                "Evidence",
                options(
                    &[Evidence::Observed, Evidence::Assumed, Evidence::Proposed],
                    t::evidence_label,
                    CardField::Evidence,
                ),
            ),
            ("Persona", personas.collect()),
        ];
        let base = Id::unique(("inspector cards", ids));
        let edit = |card: &Card, field| Edit::SetCard {
            id: card.id.clone(),
            field,
        };
        ui.heading(match cards.len() {
            1 => "Card".to_owned(),
            n => format!("{n} cards"),
        });
        self.texts_ui(ui, doc, base, &cards, &CARD_TEXTS[..2], edit);
        if let Some(emotion) = emotion_ui(ui, common(cards.iter().map(|c| c.emotion))) {
            self.set_cards(doc, &cards, None, CardField::Emotion(emotion));
        }
        let points = (cards.iter())
            .filter(|c| doc.map().lane(&c.lane).map(|l| l.kind) == Some(LaneKind::Emotion))
            .count();
        ui.weak(emotion_hint(points, cards.len()));
        for (label, choices) in combos {
            let current = common(cards.iter().map(|card| card_value(card, &choices[0].0)));
            if let Some(field) = choice_ui(ui, label, current.as_ref(), &choices) {
                self.set_cards(doc, &cards, None, field);
            }
        }
        self.texts_ui(ui, doc, base, &cards, &CARD_TEXTS[2..], edit);
        error_hint(ui, parse_link(self.buffer_text(base.with("Link"))));
        let current = common(cards.iter().map(|c| c.color));
        let fallback = cards.iter().find_map(|c| c.color).unwrap_or(DEFAULT_CUSTOM);
        if let Some((color, gesture)) = self.color_ui(ui, base, COLOUR_NAMES, current, fallback) {
            self.set_cards(doc, &cards, gesture, CardField::Color(color));
        }
    }

    fn stage_ui(&mut self, ui: &mut Ui, doc: &mut Document, id: &StageId) {
        let Some(stage) = doc.map().stage(id).cloned() else {
            return;
        };
        let base = Id::unique(("inspector stage", id));
        let edit = |field| Edit::SetStage {
            id: stage.id.clone(),
            field,
        };
        ui.heading("Stage");
        self.texts_ui(
            ui,
            doc,
            base,
            from_ref(&stage),
            &STAGE_TEXTS[..2],
            |_, f| edit(f),
        );
        let colour = self.color_ui(ui, base, COLOUR_NAMES, Some(stage.color), DEFAULT_CUSTOM);
        if let Some((color, gesture)) = colour {
            self.set(doc, gesture, &stage.color, color, |c| {
                edit(StageField::Color(c))
            });
        }
        let sizes = (
            "Width",
            "Auto width",
            STAGE_WIDTH_RANGE,
            t::DEFAULT_STAGE_WIDTH,
        );
        if let Some((width, gesture)) = self.size_ui(ui, sizes, stage.width) {
            self.set(doc, gesture, &stage.width, width, |w| {
                edit(StageField::Width(w))
            });
        }
        self.texts_ui(
            ui,
            doc,
            base,
            from_ref(&stage),
            &STAGE_TEXTS[2..],
            |_, f| edit(f),
        );
        error_hint(ui, parse_count(self.buffer_text(base.with("Funnel"))));
    }

    fn lane_ui(&mut self, ui: &mut Ui, doc: &mut Document, id: &LaneId) {
        let Some(lane) = doc.map().lane(id).cloned() else {
            return;
        };
        let cards = doc.map().cards.iter().filter(|c| c.lane == lane.id).count();
        let base = Id::unique(("inspector lane", id));
        let edit = |field| Edit::SetLane {
            id: lane.id.clone(),
            field,
        };
        ui.heading("Lane");
        self.texts_ui(ui, doc, base, from_ref(&lane), &LANE_TEXTS, |_, f| edit(f));
        let kinds = LaneKind::ALL.map(|kind| (kind, kind.label()));
        if let Some(kind) = choice_ui(ui, "Kind", Some(&lane.kind), &kinds) {
            self.lane_refusal = None;
            if kind == LaneKind::Divider && cards > 0 {
                let why = format!(
                    "Not applied: a divider holds no cards; move or delete this lane's {cards} card(s) first."
                );
                self.notice = Some(Notice {
                    text: why.clone(),
                    is_error: true,
                });
                self.lane_refusal = Some((lane.id.clone(), why));
            } else {
                self.apply(doc, None, edit(LaneField::Kind(kind)));
            }
        }
        if let Some((refused, why)) = &self.lane_refusal
            && *refused == lane.id
            && cards > 0
        {
            ui.colored_label(ui.visuals().error_fg_color, why);
        }
        let colour = self.color_ui(ui, base, COLOUR_NAMES, Some(lane.color), DEFAULT_CUSTOM);
        if let Some((color, gesture)) = colour {
            self.set(doc, gesture, &lane.color, color, |c| {
                edit(LaneField::Color(c))
            });
        }
        let auto = match lane.kind {
            LaneKind::Cards => t::MIN_CARD_LANE_HEIGHT,
            LaneKind::Emotion => t::EMOTION_LANE_HEIGHT,
            LaneKind::Divider => t::DIVIDER_LANE_HEIGHT,
        };
        let sizes = ("Height", "Auto height", LANE_HEIGHT_RANGE, auto);
        if let Some((height, gesture)) = self.size_ui(ui, sizes, lane.height) {
            self.set(doc, gesture, &lane.height, height, |h| {
                edit(LaneField::Height(h))
            });
        }
    }

    fn map_ui(&mut self, ui: &mut Ui, doc: &mut Document) {
        let whole = doc.map();
        let map = Map {
            title: whole.title.clone(),
            description: whole.description.clone(),
            kind: whole.kind,
            theme: whole.theme.clone(),
            ..Map::default()
        };
        let (base, theme) = (Id::unique("inspector map"), &map.theme);
        let edit_theme = |theme| Edit::SetMap(MapField::Theme(theme));
        self.texts_ui(ui, doc, base, from_ref(&map), &MAP_TEXTS, |_, f| {
            Edit::SetMap(f)
        });
        let kinds = MapKind::ALL.map(|kind| (kind, kind.label()));
        if let Some(kind) = choice_ui(ui, "Map kind", Some(&map.kind), &kinds) {
            self.apply(doc, None, Edit::SetMap(MapField::Kind(kind)));
        }
        let modes = [(ThemeMode::Light, "Light"), (ThemeMode::Dark, "Dark")];
        if let Some(mode) = choice_ui(ui, "Map theme", Some(&theme.mode), &modes) {
            self.apply(
                doc,
                None,
                edit_theme(MapTheme {
                    mode,
                    ..theme.clone()
                }),
            );
        }
        let names = ["Custom background", "Background colour"];
        let light = Color::rgb(0xf6, 0xf7, 0xf9);
        if let Some((background, gesture)) =
            self.color_ui(ui, base, names, Some(theme.background), light)
        {
            let new = MapTheme {
                background,
                ..theme.clone()
            };
            self.set(doc, gesture, theme, new, edit_theme);
        }
    }

    fn personas_ui(&mut self, ui: &mut Ui, doc: &mut Document) {
        let map = doc.map();
        if self
            .persona
            .as_ref()
            .is_none_or(|id| map.persona_index(id).is_none())
        {
            self.persona = map.personas.first().map(|p| p.id.clone());
        }
        let chosen = self.persona.as_ref().and_then(|id| map.persona_index(id));
        let (count, fresh) = (map.personas.len(), map.fresh_persona_id());
        for persona in &map.personas {
            let selected = self.persona.as_ref() == Some(&persona.id);
            if ui
                .selectable_label(selected, persona_name(persona))
                .clicked()
            {
                self.persona = Some(persona.id.clone());
            }
        }
        if count == 0 {
            ui.weak("No personas yet: add one to tie cards and emotion curves to a person.");
        }
        let mut edit = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button("Add persona").clicked() {
                let name = format!("Persona {}", count + 1);
                let persona = Persona {
                    id: fresh.clone(),
                    name,
                    ..Persona::default()
                };
                edit = Some(Edit::InsertPersona {
                    index: count,
                    persona,
                });
            }
            let (Some(at), Some(id)) = (chosen, self.persona.clone()) else {
                return;
            };
            if ui
                .add_enabled(at > 0, egui::Button::new("Move up"))
                .clicked()
            {
                edit = Some(Edit::MovePersona {
                    id: id.clone(),
                    index: at - 1,
                });
            }
            if ui
                .add_enabled(at + 1 < count, egui::Button::new("Move down"))
                .clicked()
            {
                edit = Some(Edit::MovePersona {
                    id: id.clone(),
                    index: at + 1,
                });
            }
            if ui.button("Remove persona").clicked() {
                edit = Some(Edit::RemovePersona { id });
            }
        });
        if let Some(edit) = edit {
            if matches!(edit, Edit::InsertPersona { .. }) {
                self.persona = Some(fresh);
            }
            self.apply(doc, None, edit);
        }
        ui.separator();
        let map = doc.map();
        let at = self.persona.as_ref().and_then(|id| map.persona_index(id));
        if let Some(persona) = at.map(|at| map.personas[at].clone()) {
            self.persona_ui(ui, doc, &persona);
        }
    }

    fn persona_ui(&mut self, ui: &mut Ui, doc: &mut Document, persona: &Persona) {
        let base = Id::unique(("inspector persona", &persona.id));
        let edit = |field| Edit::SetPersona {
            id: persona.id.clone(),
            field,
        };
        self.texts_ui(ui, doc, base, from_ref(persona), &PERSONA_TEXTS, |_, f| {
            edit(f)
        });
        ui.label("Channels");
        let mut channels = persona.channels.clone();
        ui.horizontal_wrapped(|ui| {
            for channel in Channel::ALL {
                let mut on = channels.contains(&channel);
                if ui.checkbox(&mut on, channel.label()).changed() {
                    channels.retain(|c| *c != channel);
                    channels.extend(on.then_some(channel));
                }
            }
        });
        self.set(doc, None, &persona.channels, channels, |c| {
            edit(PersonaField::Channels(c))
        });
        let colour = self.color_ui(ui, base, COLOUR_NAMES, Some(persona.color), DEFAULT_CUSTOM);
        if let Some((color, gesture)) = colour {
            self.set(doc, gesture, &persona.color, color, |c| {
                edit(PersonaField::Color(c))
            });
        }
        if ui.button("Choose a photo…").clicked() {
            self.photo_dialog = Some(persona.id.clone());
        }
        if let Some(photo) = self.photo_ui(ui, persona.photo.as_deref()) {
            self.set(doc, None, &persona.photo, photo, |p| {
                edit(PersonaField::Photo(p))
            });
        }
    }

    /// The photo, a button to remove it and a path field to load one (or drop a
    /// picture on the window). Returns the new photo.
    fn photo_ui(&mut self, ui: &mut Ui, photo: Option<&str>) -> Option<Option<String>> {
        ui.label("Photo");
        let mut result = None;
        if let Some(photo) = photo {
            self.photo_preview_ui(ui, photo);
            if ui.button("Remove photo").clicked() {
                result = Some(None);
            }
        }
        let label = ui.label("Photo file path");
        let mut load = false;
        ui.horizontal(|ui| {
            let width = (ui.available_width() - 60.0).max(80.0);
            let field = TextEdit::singleline(&mut self.photo_path)
                .hint_text("/path/to/photo.jpg")
                .desired_width(width);
            let field = ui.add(field).labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            load = ui.button("Load").clicked() || enter;
        });
        let path = self.photo_path.trim();
        if load && path.is_empty() {
            self.notice = Some(Notice {
                text: "Type the path of a PNG or JPEG photo first".to_owned(),
                is_error: true,
            });
        } else if load {
            match photo_data_url(Path::new(path)) {
                Ok(url) => result = Some(Some(url)),
                Err(err) => {
                    let text = format!("Photo not loaded: {err}");
                    self.notice = Some(Notice {
                        text,
                        is_error: true,
                    });
                }
            }
        }
        result
    }
}

/// What a card's emotion score means, for `points` emotion points among `cards`.
fn emotion_hint(points: usize, cards: usize) -> &'static str {
    if points == cards {
        "The point's height on the emotion curve, from -2 (very negative) to +2 (very \
         positive). Dragging the point up or down on the canvas sets it too."
    } else if points == 0 {
        "How the customer feels here, shown as a face on the card. The emotion curve is \
         drawn from the points of an Emotion lane, not from card scores."
    } else {
        "For a card, a face on the card; for a point of an Emotion lane, its height on \
         the curve."
    }
}

/// Drops what no longer exists (deleted, undone) from the selection.
fn prune_selection(map: &Map, selection: &mut Selection) {
    if !selection.cards.is_empty() {
        let present: HashSet<&CardId> = map.cards.iter().map(|card| &card.id).collect();
        if selection.cards.iter().any(|id| !present.contains(id)) {
            selection.cards.retain(|id| present.contains(id));
        }
    }
    if selection
        .stage
        .as_ref()
        .is_some_and(|id| map.stage(id).is_none())
    {
        selection.stage = None;
    }
    if selection
        .lane
        .as_ref()
        .is_some_and(|id| map.lane(id).is_none())
    {
        selection.lane = None;
    }
}
