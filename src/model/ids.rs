//! Stable ids of personas, stages, lanes and cards.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Prefix of ids made by [`fresh_id`].
            pub const PREFIX: &'static str = $prefix;

            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// As messages show it: escaped, and quoted unless it is a plain token.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                super::escape::Token(&self.0).fmt(f)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }
    };
}

id_type!(
    /// Id of a [`super::Persona`].
    PersonaId,
    "p"
);
id_type!(
    /// Id of a [`super::Stage`] (a column).
    StageId,
    "s"
);
id_type!(
    /// Id of a [`super::Lane`] (a row).
    LaneId,
    "l"
);
id_type!(
    /// Id of a [`super::Card`].
    CardId,
    "c"
);

/// The next id `PREFIXn` that is not among `existing`: one past the highest number in use.
pub fn fresh_id<'a>(prefix: &str, existing: impl IntoIterator<Item = &'a str>) -> String {
    let highest = existing
        .into_iter()
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{}", highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_id_is_one_past_the_highest_number() {
        assert_eq!(fresh_id("c", ["c1", "c7", "aware", "c3"]), "c8");
        assert_eq!(fresh_id("c", []), "c1");
        assert_eq!(fresh_id("s", ["stage", "s"]), "s1");
    }
}
