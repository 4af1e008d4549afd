//! Undo and redo: the inverses of applied edits, grouped into one step per gesture.

use super::{Edit, EditError};
use crate::model::Map;

/// One undo (or redo) step: the edits that take it back, applied last to first.
#[derive(Clone, Debug)]
pub struct Step {
    pub label: String,
    /// Which change this is: a step and the step that takes it back share it.
    id: u64,
    edits: Vec<Edit>,
    bytes: usize,
}

impl Step {
    fn new(label: String, id: u64) -> Self {
        Self {
            label,
            id,
            edits: Vec::new(),
            bytes: 0,
        }
    }

    fn push(&mut self, edit: Edit) {
        self.bytes += approximate_bytes(&edit);
        self.edits.push(edit);
    }

    /// Applies the step's edits last to first; returns the step that takes them back.
    /// On error the map is restored and the error returned.
    fn apply(self, map: &mut Map) -> Result<Step, EditError> {
        let mut back = Step::new(self.label, self.id);
        for edit in self.edits.into_iter().rev() {
            match edit.apply(map) {
                Ok(inverse) => back.push(inverse),
                Err(err) => {
                    for inverse in back.edits.into_iter().rev() {
                        let _ = inverse.apply(map);
                    }
                    return Err(err);
                }
            }
        }
        Ok(back)
    }
}

/// Undo/redo stacks with gesture grouping and a memory cap.
///
/// Selection and other non-edits never touch it, so they do not clear redo.
#[derive(Debug)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    gesture: Option<Step>,
    max_bytes: usize,
    max_steps: usize,
    /// The id of the next step.
    next_id: u64,
}

impl Default for History {
    fn default() -> Self {
        Self::with_caps(64 * 1024 * 1024, 1000)
    }
}

impl History {
    /// A history that forgets its oldest steps past `max_bytes` (approximate) or
    /// `max_steps`; the newest step is always kept.
    pub fn with_caps(max_bytes: usize, max_steps: usize) -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            gesture: None,
            max_bytes,
            max_steps: max_steps.max(1),
            next_id: 1,
        }
    }

    /// Applies `edit` and records its inverse: in the open gesture, or as a step of its own.
    pub fn apply(&mut self, map: &mut Map, edit: Edit) -> Result<(), EditError> {
        let label = edit.label();
        let inverse = edit.apply(map)?;
        self.redo.clear();
        match &mut self.gesture {
            Some(gesture) => gesture.push(inverse),
            None => {
                let mut step = self.new_step(label);
                step.push(inverse);
                self.push_undo(step);
            }
        }
        Ok(())
    }

    /// Starts grouping edits into one step (a drag, a text edit), until [`Self::end_gesture`].
    pub fn begin_gesture(&mut self, label: impl Into<String>) {
        self.end_gesture();
        self.gesture = Some(self.new_step(label.into()));
    }

    pub fn end_gesture(&mut self) {
        if let Some(step) = self.gesture.take().filter(|step| !step.edits.is_empty()) {
            self.push_undo(step);
        }
    }

    pub fn in_gesture(&self) -> bool {
        self.gesture.is_some()
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, map: &mut Map) -> Result<Option<String>, EditError> {
        self.end_gesture();
        transfer(&mut self.undo, &mut self.redo, map)
    }

    /// Redoes the last undone step; returns its label, or `None` when there is none.
    pub fn redo(&mut self, map: &mut Map) -> Result<Option<String>, EditError> {
        self.end_gesture();
        transfer(&mut self.redo, &mut self.undo, map)
    }

    /// Names the state the map is in: equal ids mean equal maps (as far as this history
    /// knows), so undoing back to a saved state makes it clean again.
    pub fn state(&self) -> (u64, bool) {
        let open = self.gesture.as_ref().is_some_and(|g| !g.edits.is_empty());
        (self.undo.last().map_or(0, |step| step.id), open)
    }

    fn new_step(&mut self, label: String) -> Step {
        self.next_id += 1;
        Step::new(label, self.next_id)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|step| step.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|step| step.label.as_str())
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    fn push_undo(&mut self, step: Step) {
        self.undo.push(step);
        let mut bytes: usize = self.undo.iter().map(|step| step.bytes).sum();
        let mut forget = 0;
        while self.undo.len() - forget > 1
            && (bytes > self.max_bytes || self.undo.len() - forget > self.max_steps)
        {
            bytes -= self.undo[forget].bytes;
            forget += 1;
        }
        self.undo.drain(..forget);
    }
}

/// Applies the last step of `from` and pushes what takes it back onto `to`. On error
/// the step stays where it was.
fn transfer(
    from: &mut Vec<Step>,
    to: &mut Vec<Step>,
    map: &mut Map,
) -> Result<Option<String>, EditError> {
    let Some(step) = from.pop() else {
        return Ok(None);
    };
    let label = step.label.clone();
    match step.clone().apply(map) {
        Ok(back) => {
            to.push(back);
            Ok(Some(label))
        }
        Err(err) => {
            from.push(step);
            Err(err)
        }
    }
}

/// Size of an edit as compact JSON: a fair measure of the memory it holds.
fn approximate_bytes(edit: &Edit) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, edit);
    counter.0
}
