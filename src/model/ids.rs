//! Stable ids of personas, stages, lanes and cards.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
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

/// The next id `PREFIXn` that is not among `existing`: one past the highest number in use,
/// or the lowest unused number when that would overflow (an id like `c18446744073709551615`).
pub fn fresh_id<'a, I>(prefix: &str, existing: I) -> String
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let numbers = existing
        .into_iter()
        .filter_map(move |id| id_number(prefix, id));
    let next = match numbers.clone().max() {
        None => 1,
        Some(highest) => highest
            .checked_add(1)
            .unwrap_or_else(|| lowest_unused(numbers)),
    };
    format!("{prefix}{next}")
}

/// The number `n` of an id written exactly as `PREFIXn` would print it (no sign, no
/// leading zero), so that a number in use always means its id is taken.
pub(crate) fn id_number(prefix: &str, id: &str) -> Option<u64> {
    let digits = id.strip_prefix(prefix)?;
    let canonical = digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.is_empty()
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

/// The smallest number from 1 up that is not in `numbers`: there is always one, as
/// fewer than `u64::MAX` ids fit in memory.
fn lowest_unused(numbers: impl Iterator<Item = u64>) -> u64 {
    let used: HashSet<u64> = numbers.collect();
    (1..=u64::MAX).find(|n| !used.contains(n)).unwrap_or(0)
}

/// Hands out fresh ids that are not among a set of taken ones, however many are asked
/// for: each id costs one set lookup or a few, never a scan of the map.
pub(crate) struct FreshIds {
    taken: HashSet<String>,
    next: HashMap<&'static str, u64>,
}

impl FreshIds {
    pub(crate) fn new<'a>(taken: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: taken.into_iter().map(str::to_owned).collect(),
            next: HashMap::new(),
        }
    }

    /// `PREFIXn`, one past the highest number of that prefix taken at first, then counting up.
    pub(crate) fn next(&mut self, prefix: &'static str) -> String {
        let taken = &self.taken;
        let number = self.next.entry(prefix).or_insert_with(|| {
            let highest = taken.iter().filter_map(|id| id_number(prefix, id)).max();
            highest.map_or(1, |n| n.checked_add(1).unwrap_or(1))
        });
        loop {
            let id = format!("{prefix}{number}");
            *number = number.checked_add(1).unwrap_or(1);
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
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

    #[test]
    fn fresh_id_never_overflows_and_never_repeats_an_id() {
        let max = format!("c{}", u64::MAX);
        assert_eq!(fresh_id("c", [max.as_str(), "c1", "c2"]), "c3");
        assert_eq!(fresh_id("c", [max.as_str()]), "c1");
    }

    #[test]
    fn fresh_ids_skip_every_taken_id_and_wrap_past_the_largest() {
        let max = format!("s{}", u64::MAX);
        let mut fresh = FreshIds::new(["c1", "c3", "c2x", max.as_str(), "s1", "s2"]);
        assert_eq!(fresh.next("c"), "c4");
        assert_eq!(fresh.next("c"), "c5");
        assert_eq!(fresh.next("s"), "s3");
        assert_eq!(fresh.next("p"), "p1");
    }

    #[test]
    fn only_ids_spelled_as_fresh_ids_count() {
        assert_eq!(fresh_id("c", ["c+9", "c09", "c-3", "c 4", "c1"]), "c2");
        assert_eq!(id_number("c", "c0"), Some(0));
        assert_eq!(id_number("c", "c007"), None);
        assert_eq!(id_number("c", "c99999999999999999999"), None);
    }
}
