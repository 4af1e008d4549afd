//! Cards as CSV: one card per row, stage and lane by name, RFC 4180 quoting, UTF-8.
//!
//! Reading is all or nothing: the first problem is the error, naming its row (as a
//! spreadsheet numbers them, the header being row 1) and its column.

use super::column::{self, Column};
use crate::edit::Edit;
use crate::model::format::Limits;
use crate::model::{Card, CardId, Lane, LaneId, LaneKind, Map, Persona, PersonaId, Stage, StageId};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A problem of a CSV file, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// The spreadsheet's row number (the header is row 1).
    pub row: Option<usize>,
    /// The header of the column, as the file names it.
    pub column: Option<String>,
    pub problem: String,
}

impl CsvError {
    fn file(problem: impl Into<String>) -> Self {
        Self {
            row: None,
            column: None,
            problem: problem.into(),
        }
    }

    fn row(row: usize, problem: impl Into<String>) -> Self {
        Self {
            row: Some(row),
            column: None,
            problem: problem.into(),
        }
    }

    fn cell(row: usize, column: &str, problem: impl Into<String>) -> Self {
        Self {
            row: Some(row),
            column: Some(column.to_owned()),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::model::escape::Quoted;
        match (self.row, &self.column) {
            (Some(row), Some(column)) => write!(f, "row {row}, column {}: ", Quoted(column))?,
            (Some(row), None) => write!(f, "row {row}: ")?,
            _ => {}
        }
        f.write_str(&self.problem)
    }
}

impl std::error::Error for CsvError {}

/// A CSV file read into text cells: its header and its rows that are not empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    /// Each row with its spreadsheet row number.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Which column of the map each column of a sheet fills; `None` leaves it out.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping(pub Vec<Option<Column>>);

impl Mapping {
    /// Each header matched to a column by name or synonym, in any case; a column named
    /// twice is taken from its first header only.
    pub fn guess(headers: &[String]) -> Self {
        let mut taken = HashSet::new();
        Mapping(
            (headers.iter())
                .map(|header| Column::from_header(header).filter(|column| taken.insert(*column)))
                .collect(),
        )
    }

    fn position(&self, column: Column) -> Option<usize> {
        self.0.iter().position(|c| *c == Some(column))
    }
}

/// What an import adds, for the message that reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub cards: usize,
    pub new_stages: Vec<String>,
    pub new_lanes: Vec<String>,
    pub new_personas: Vec<String>,
}

impl Imported {
    pub fn summary(&self) -> String {
        use crate::render::layout::plural;
        let mut text = format!("Imported {}", plural(self.cards, "card"));
        let mut added = Vec::new();
        for (names, what) in [
            (&self.new_stages, "stage"),
            (&self.new_lanes, "lane"),
            (&self.new_personas, "persona"),
        ] {
            if !names.is_empty() {
                added.push(format!(
                    "{} ({})",
                    plural(names.len(), what),
                    names.join(", ")
                ));
            }
        }
        if !added.is_empty() {
            text.push_str(&format!(", with new {}", added.join(", ")));
        }
        text
    }
}

/// The map's cards as CSV, in the order given: a byte order mark (so spreadsheet
/// programs read the file as UTF-8), the header row, a row per card, CRLF line ends.
pub fn write<'a>(map: &Map, cards: impl IntoIterator<Item = &'a Card>) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(&mut bytes);
    let header = Column::ALL.map(Column::header);
    // Writing into memory cannot fail.
    let _ = writer.write_record(header);
    for card in cards {
        let row = Column::ALL.map(|column| guard_formula(column, column.text(map, card)));
        let _ = writer.write_record(&row);
    }
    let _ = writer.flush();
    drop(writer);
    bytes
}

/// A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a
/// leading apostrophe, which spreadsheets hide and [`unguard_formula`] takes off.
fn guard_formula(column: Column, text: String) -> String {
    match column != Column::Emotion && is_formula_like(&text) {
        true => format!("'{text}"),
        false => text,
    }
}

fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if is_formula_like(rest) => rest,
        _ => text,
    }
}

/// Whether the text, past any apostrophes, starts like a formula.
fn is_formula_like(text: &str) -> bool {
    (text.trim_start_matches('\'')).starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Cells copied from a spreadsheet (tab-separated rows) as a sheet: with their own
/// header row when the first row names card fields, else as rows of title and notes.
/// Says whether the header was the cells' own.
pub fn pasted_cells(text: &str, limits: &Limits) -> Option<Result<(Sheet, bool), CsvError>> {
    if !text.contains('\t') {
        return None;
    }
    let has_header = {
        let first = text.lines().next().unwrap_or_default();
        let cells: Vec<&str> = first.split('\t').collect();
        let known = cells
            .iter()
            .filter(|c| Column::from_header(c).is_some())
            .count();
        known * 2 >= cells.len()
    };
    if has_header {
        return Some(read(text.as_bytes(), limits).map(|sheet| (sheet, true)));
    }
    // No header: one is made up (title, notes, then columns left out), and row numbers
    // are the pasted rows' own.
    let width = text.lines().next().unwrap_or_default().split('\t').count();
    let mut header = vec!["title", "notes"];
    header.resize(width.max(2), "");
    let with_header = format!("{}\n{text}", header.join("\t"));
    let renumber = |row: usize| row - 1;
    Some(
        read(with_header.as_bytes(), limits)
            .map(|mut sheet| {
                for (row, _) in &mut sheet.rows {
                    *row = renumber(*row);
                }
                (sheet, false)
            })
            .map_err(|mut err| {
                err.row = err.row.map(renumber);
                err
            }),
    )
}

/// Reads a CSV file from disk: refuses what is not a regular file or is over the size
/// limit before reading it. The error names the file's problem (with its row and column).
pub fn read_file(path: &std::path::Path, limits: &Limits) -> Result<Sheet, String> {
    let meta = std::fs::metadata(path).map_err(|err| err.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file".to_owned());
    }
    if meta.len() > limits.max_file_bytes {
        return Err(format!(
            "the file is {} bytes, over the limit of {} bytes",
            meta.len(),
            limits.max_file_bytes
        ));
    }
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    read(&bytes, limits).map_err(|err| err.to_string())
}

/// Reads a CSV (or tab- or semicolon-separated) file into its cells, within the limits
/// of a map file: its size, the number of rows, the length of one field.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, CsvError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(CsvError::file(format!(
            "the file is {} bytes, over the limit of {} bytes",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(CsvError::file(
            "the file is UTF-16 text; save it as CSV UTF-8 and import that",
        ));
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let delimiter = delimiter(bytes);
    if let Some(row) = unclosed_quote(bytes, delimiter) {
        return Err(CsvError::row(
            row,
            "a quoted field never closes: its opening \" has no closing \"",
        ));
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut sheet = Sheet::default();
    let mut record = ::csv::ByteRecord::new();
    let mut row = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(CsvError::row(row + 1, err.to_string())),
        }
        row += 1;
        if row > limits.max_items + 1 {
            return Err(CsvError::file(format!(
                "the file has more than {} rows of cards, the limit of a map",
                limits.max_items
            )));
        }
        let cells = decode(&record, row, &sheet.headers, limits)?;
        if row == 1 {
            sheet.headers = cells.iter().map(|h| h.trim().to_owned()).collect();
            continue;
        }
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue; // a blank line, or a spreadsheet's empty row of commas
        }
        if cells.len() != sheet.headers.len() {
            return Err(CsvError::row(
                row,
                format!(
                    "has {} fields, but the header has {}",
                    cells.len(),
                    sheet.headers.len()
                ),
            ));
        }
        sheet.rows.push((row, cells));
    }
    if sheet.headers.iter().all(String::is_empty) {
        return Err(CsvError::file(
            "the file is empty: it needs a header row that names its columns",
        ));
    }
    Ok(sheet)
}

/// The cells of one record as text, or the cell that is not UTF-8 or too long.
fn decode(
    record: &::csv::ByteRecord,
    row: usize,
    headers: &[String],
    limits: &Limits,
) -> Result<Vec<String>, CsvError> {
    let column_name = |at: usize| match headers.get(at) {
        Some(name) if !name.is_empty() => name.clone(),
        _ => format!("{}", at + 1),
    };
    let mut cells = Vec::with_capacity(record.len());
    for (at, field) in record.iter().enumerate() {
        let text = std::str::from_utf8(field).map_err(|err| {
            let byte = field[err.valid_up_to()];
            CsvError::cell(
                row,
                &column_name(at),
                format!("the text is not UTF-8 (byte 0x{byte:02x}); save the file as CSV UTF-8"),
            )
        })?;
        let chars = text.chars().count();
        if chars > limits.max_string_chars {
            return Err(CsvError::cell(
                row,
                &column_name(at),
                format!(
                    "a field of {chars} characters, over the limit of {}",
                    limits.max_string_chars
                ),
            ));
        }
        cells.push(text.to_owned());
    }
    Ok(cells)
}

/// The separator of the header row: the most frequent of comma, tab and semicolon
/// outside quotes (tabs come from a spreadsheet's clipboard, semicolons from locales
/// that write decimal commas).
fn delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for &byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                for (separator, count) in &mut counts {
                    *count += usize::from(byte == *separator);
                }
            }
            _ => {}
        }
    }
    // The first of the most frequent: a comma when there is none.
    (counts.iter().rev())
        .max_by_key(|(_, count)| *count)
        .filter(|(_, count)| *count > 0)
        .map_or(b',', |(separator, _)| *separator)
}

/// The row where a quoted field opens and the file ends before it closes: readers take
/// the rest of the file as that one field, which would import as a wrong card.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut row = 1;
    let mut opened_at = None;
    let mut at_field_start = true;
    let mut iter = bytes.iter().peekable();
    while let Some(&byte) = iter.next() {
        match (opened_at, byte) {
            (Some(_), b'"') if iter.peek() == Some(&&b'"') => {
                iter.next();
            }
            (Some(_), b'"') => opened_at = None,
            (None, b'"') if at_field_start => opened_at = Some(row),
            _ => {}
        }
        if byte == b'\n' {
            row += usize::from(opened_at.is_none());
        }
        at_field_start = opened_at.is_none() && (byte == delimiter || byte == b'\n');
    }
    opened_at
}

/// The edit that adds a sheet's rows to `map` as cards, with the stages, lanes and
/// personas they name that the map lacks (in order of first appearance), as one step.
pub fn import(
    map: &Map,
    sheet: &Sheet,
    mapping: &Mapping,
    limits: &Limits,
) -> Result<(Edit, Imported), CsvError> {
    import_into(map, sheet, mapping, None, limits)
}

/// As [`import`], with the cell that rows go to when the sheet has no stage or lane
/// column (cells pasted onto the canvas land in the cell under the pointer).
pub fn import_into(
    map: &Map,
    sheet: &Sheet,
    mapping: &Mapping,
    into: Option<(StageId, LaneId)>,
    limits: &Limits,
) -> Result<(Edit, Imported), CsvError> {
    let stage_at = mapping.position(Column::Stage);
    if stage_at.is_none() && into.is_none() {
        return Err(CsvError::file(
            "no column names the stage; call one \"stage\" (or map one to Stage)",
        ));
    }
    if map.cards.len() + sheet.rows.len() > limits.max_items {
        return Err(CsvError::file(format!(
            "the map would hold {} cards, over the limit of {}",
            map.cards.len() + sheet.rows.len(),
            limits.max_items
        )));
    }
    let mut names = Names::new(map);
    let mut cards = Vec::with_capacity(sheet.rows.len());
    for (row, cells) in &sheet.rows {
        let cell = |column: Column| {
            mapping
                .position(column)
                .map(|at| unguard_formula(&cells[at]))
        };
        let header = |at: usize| sheet.headers[at].as_str();
        let stage = match (stage_at, &into) {
            (Some(at), _) => {
                let name = unguard_formula(&cells[at]).trim();
                if name.is_empty() {
                    return Err(CsvError::cell(*row, header(at), "the stage is empty"));
                }
                names.stage(name)
            }
            (None, Some((stage, _))) => stage.clone(),
            (None, None) => unreachable!("refused above"),
        };
        let lane = match mapping.position(Column::Lane) {
            Some(at) => {
                let name = unguard_formula(&cells[at]).trim();
                if name.is_empty() {
                    return Err(CsvError::cell(*row, header(at), "the lane is empty"));
                }
                names
                    .lane(name)
                    .map_err(|problem| CsvError::cell(*row, header(at), problem))?
            }
            None => match &into {
                Some((_, lane)) => lane.clone(),
                None => names.default_lane(),
            },
        };
        let mut card = Card::new(names.card_id().0, stage, lane, "");
        for (at, column) in mapping.0.iter().enumerate() {
            let Some(column) = column else { continue };
            let text = unguard_formula(&cells[at]);
            let field = column
                .parse(text)
                .map_err(|problem| CsvError::cell(*row, header(at), problem))?;
            if let Some(field) = field {
                (field.set_on(&mut card))
                    .map_err(|err| CsvError::cell(*row, header(at), err.to_string()))?;
            }
        }
        card.metric = column::metric(
            cell(Column::Metric).unwrap_or_default(),
            cell(Column::MetricValue).unwrap_or_default(),
        );
        let persona = cell(Column::Persona).unwrap_or_default().trim();
        card.persona = (!persona.is_empty()).then(|| names.persona(persona));
        cards.push(card);
    }
    let cells = (map.stages.len() + names.new_stages.len())
        .saturating_mul(map.lanes.len() + names.new_lanes.len());
    if cells > limits.max_cells {
        return Err(CsvError::file(format!(
            "the map would have a grid of {cells} cells, over the limit of {}",
            limits.max_cells
        )));
    }
    let imported = Imported {
        cards: cards.len(),
        new_stages: names.new_stages.iter().map(|s| s.name.clone()).collect(),
        new_lanes: names.new_lanes.iter().map(|l| l.name.clone()).collect(),
        new_personas: names.new_personas.iter().map(|p| p.name.clone()).collect(),
    };
    let mut edits = Vec::new();
    let stages = map.stages.len()..;
    edits.extend(
        (stages.zip(names.new_stages)).map(|(index, stage)| Edit::InsertStage { index, stage }),
    );
    let lanes = map.lanes.len()..;
    edits
        .extend((lanes.zip(names.new_lanes)).map(|(index, lane)| Edit::InsertLane { index, lane }));
    let personas = map.personas.len()..;
    edits.extend(
        (personas.zip(names.new_personas))
            .map(|(index, persona)| Edit::InsertPersona { index, persona }),
    );
    edits.push(Edit::InsertCards {
        cards: (map.cards.len()..).zip(cards).collect(),
    });
    Ok((Edit::Batch(edits), imported))
}

/// Stages, lanes and personas by name (trimmed, in any case): the map's own, then the
/// ones an import creates; and card ids that are not taken.
struct Names<'a> {
    map: &'a Map,
    stages: HashMap<String, StageId>,
    lanes: HashMap<String, (LaneId, LaneKind)>,
    personas: HashMap<String, PersonaId>,
    new_stages: Vec<Stage>,
    new_lanes: Vec<Lane>,
    new_personas: Vec<Persona>,
    card_ids: HashSet<String>,
    next_card: u64,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl<'a> Names<'a> {
    fn new(map: &'a Map) -> Self {
        // The map's first of each name wins, as a reader of the map would expect.
        let mut stages = HashMap::new();
        for stage in map.stages.iter().rev() {
            stages.insert(key(&stage.name), stage.id.clone());
        }
        let mut lanes = HashMap::new();
        for lane in map.lanes.iter().rev() {
            lanes.insert(key(&lane.name), (lane.id.clone(), lane.kind));
        }
        let mut personas = HashMap::new();
        for persona in map.personas.iter().rev() {
            personas.insert(key(&persona.name), persona.id.clone());
        }
        Self {
            map,
            stages,
            lanes,
            personas,
            new_stages: Vec::new(),
            new_lanes: Vec::new(),
            new_personas: Vec::new(),
            card_ids: map.cards.iter().map(|c| c.id.0.clone()).collect(),
            next_card: 1,
        }
    }

    fn stage(&mut self, name: &str) -> StageId {
        if let Some(id) = self.stages.get(&key(name)) {
            return id.clone();
        }
        let taken = (self.map.stages.iter().map(|s| s.id.as_str()))
            .chain(self.new_stages.iter().map(|s| s.id.as_str()));
        let id = StageId(crate::model::fresh_id(
            StageId::PREFIX,
            taken.collect::<Vec<_>>(),
        ));
        self.new_stages.push(Stage::new(id.0.clone(), name.trim()));
        self.stages.insert(key(name), id.clone());
        id
    }

    fn lane(&mut self, name: &str) -> Result<LaneId, String> {
        if let Some((id, kind)) = self.lanes.get(&key(name)) {
            return match kind.holds_cards() {
                true => Ok(id.clone()),
                false => Err(format!(
                    "the lane \"{}\" is a divider line and holds no cards",
                    name.trim()
                )),
            };
        }
        Ok(self.new_lane(name.trim()))
    }

    fn new_lane(&mut self, name: &str) -> LaneId {
        let taken = (self.map.lanes.iter().map(|l| l.id.as_str()))
            .chain(self.new_lanes.iter().map(|l| l.id.as_str()));
        let id = LaneId(crate::model::fresh_id(
            LaneId::PREFIX,
            taken.collect::<Vec<_>>(),
        ));
        self.new_lanes
            .push(Lane::new(id.0.clone(), name, LaneKind::Cards));
        self.lanes.insert(key(name), (id.clone(), LaneKind::Cards));
        id
    }

    /// Without a lane column: the map's first lane of cards, or a new "Touchpoints".
    fn default_lane(&mut self) -> LaneId {
        let first = (self.map.lanes.iter())
            .find(|lane| lane.kind == LaneKind::Cards)
            .map(|lane| lane.id.clone());
        match first {
            Some(id) => id,
            None => match self.lanes.get(&key("Touchpoints")) {
                Some((id, kind)) if kind.holds_cards() => id.clone(),
                _ => self.new_lane("Touchpoints"),
            },
        }
    }

    fn persona(&mut self, name: &str) -> PersonaId {
        if let Some(id) = self.personas.get(&key(name)) {
            return id.clone();
        }
        let taken = (self.map.personas.iter().map(|p| p.id.as_str()))
            .chain(self.new_personas.iter().map(|p| p.id.as_str()));
        let id = PersonaId(crate::model::fresh_id(
            PersonaId::PREFIX,
            taken.collect::<Vec<_>>(),
        ));
        self.new_personas.push(Persona {
            id: id.clone(),
            name: name.trim().to_owned(),
            ..Persona::default()
        });
        self.personas.insert(key(name), id.clone());
        id
    }

    fn card_id(&mut self) -> CardId {
        loop {
            let id = format!("{}{}", CardId::PREFIX, self.next_card);
            self.next_card += 1;
            if self.card_ids.insert(id.clone()) {
                return CardId(id);
            }
        }
    }
}
