//! The cards as a table: the columns a card's fields make, search and filter, sorting,
//! and CSV in and out. Plain data like [`crate::model`]: the table view in
//! [`crate::app`] draws it, the CLI reads and writes it.

mod column;
pub mod csv;
pub mod filter;
#[cfg(test)]
mod tests;

pub use column::{Column, metric, phase_label, split_tags};
pub use filter::Filter;

use crate::model::Map;

/// How the rows are sorted: by a column, ascending or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Sort {
    /// A click on a column's header: ascending first, then descending, then ascending.
    pub fn clicked(current: Option<Sort>, column: Column) -> Sort {
        match current {
            Some(sort) if sort.column == column => Sort {
                column,
                ascending: !sort.ascending,
            },
            _ => Sort {
                column,
                ascending: true,
            },
        }
    }
}

/// The rows shown (positions in `map.cards`), sorted stably: equal cards keep the
/// map's order, so a second sort refines the first.
pub fn rows(map: &Map, filter: &Filter, sort: Option<Sort>) -> Vec<usize> {
    let mut rows = filter.shown(map);
    if let Some(sort) = sort {
        sort_rows(map, &mut rows, sort);
    }
    rows
}

/// Sorts rows (positions in `map.cards`) stably by a column; cards with the column
/// empty stay at the bottom either way, as in a spreadsheet.
pub fn sort_rows(map: &Map, rows: &mut [usize], Sort { column, ascending }: Sort) {
    rows.sort_by(|&a, &b| {
        let (a, b) = (&map.cards[a], &map.cards[b]);
        match (column.is_empty(map, a), column.is_empty(map, b)) {
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            (true, true) => std::cmp::Ordering::Equal,
            (false, false) if ascending => column.compare(map, a, b),
            (false, false) => column.compare(map, a, b).reverse(),
        }
    });
}
