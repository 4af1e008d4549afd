//! The starter templates, embedded in the binary from `templates/*.journey.json`.

use crate::model::Map;
use crate::model::format::{self, FormatError};

/// A built-in starter map.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    pub id: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub json: &'static str,
}

macro_rules! template {
    ($id:literal, $name:literal, $summary:literal) => {
        Template {
            id: $id,
            name: $name,
            summary: $summary,
            json: include_str!(concat!("../templates/", $id, ".journey.json")),
        }
    };
}

/// Every template, in the order the gallery shows them.
pub const TEMPLATES: [Template; 7] = [
    template!(
        "5a",
        "5A customer path",
        "Kotler's Aware, Appeal, Ask, Act, Advocate"
    ),
    template!(
        "ecommerce",
        "E-commerce funnel",
        "Awareness to loyalty in five stages"
    ),
    template!(
        "lifecycle",
        "Customer lifecycle",
        "Customer and brand goals side by side"
    ),
    template!("aida", "AIDA", "Attention, Interest, Desire, Action"),
    template!(
        "buyer-journey",
        "Buyer's journey",
        "The questions a buyer asks on the way to a decision"
    ),
    template!(
        "service-blueprint",
        "Service blueprint",
        "Frontstage, backstage and the lines between them"
    ),
    template!(
        "blank",
        "Blank map",
        "Three stages, three lanes and an emotion curve"
    ),
];

/// The template with this id.
///
/// ```
/// let map = journeymap::templates::find("5a").unwrap().map().unwrap();
/// let stages: Vec<_> = map.stages.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(stages, ["Aware", "Appeal", "Ask", "Act", "Advocate"]);
/// assert!(journeymap::templates::find("nope").is_none());
/// ```
pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.id == id)
}

impl Template {
    /// The template as a fresh map.
    pub fn map(&self) -> Result<Map, FormatError> {
        format::parse(self.json.as_bytes()).map(|loaded| loaded.map)
    }
}
