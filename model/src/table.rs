//! The volumes table's filter and order, the same wherever the table is answered: by the
//! console's view service from its shared view, or in the browser from one SDK listing when
//! the endpoint has no view service.
//!
//! The order is total: the sorted column, then the name without regard to case, then the id.
//! Descending reverses the column only (ties stay in name order); by name it reverses all.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::proto::console::{VolumeColumn, VolumeFilter, VolumeSort};
use crate::words::{state_rank, status_rank};
use crate::VolumeRow;

/// A row's value in the sorted column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SortKey {
    /// By name: the name is the whole key (it breaks every other column's ties).
    None,
    Unsigned(u64),
    Signed(i64),
    Text(String),
}

/// How names compare: without regard to ASCII case. SDK volume names are ASCII in practice
/// (Kubernetes names, and the console's own form allows nothing else); other characters compare
/// as written, which spares the browser's app Unicode's case tables (about 12 KB).
pub fn name_key(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: VolumeColumn,
    pub descending: bool,
}

impl Sort {
    pub fn of(sort: Option<VolumeSort>) -> Sort {
        let sort = sort.unwrap_or_default();
        Sort {
            column: VolumeColumn::try_from(sort.column).unwrap_or(VolumeColumn::Name),
            descending: sort.descending,
        }
    }

    /// A row's key in this sort's column; `parent_name` is what the Parent column shows.
    pub fn key(self, row: &VolumeRow, parent_name: &str) -> SortKey {
        match self.column {
            VolumeColumn::Name => SortKey::None,
            VolumeColumn::Id => SortKey::Text(row.id.clone()),
            VolumeColumn::Size => SortKey::Unsigned(row.size),
            VolumeColumn::Usage => SortKey::Unsigned(row.usage),
            VolumeColumn::HaLevel => SortKey::Signed(row.ha_level),
            VolumeColumn::Status => SortKey::Unsigned(status_rank(row.status)),
            VolumeColumn::State => SortKey::Unsigned(state_rank(row.state)),
            VolumeColumn::AttachedOn => SortKey::Text(row.attached_on.clone()),
            VolumeColumn::Parent => SortKey::Text(if row.parent_id.is_empty() {
                String::new()
            } else {
                name_key(parent_name)
            }),
            VolumeColumn::Created => SortKey::Signed(row.created),
        }
    }

    /// The total order over (key, name key, id).
    pub fn order(self, a: (&SortKey, &str, &str), b: (&SortKey, &str, &str)) -> Ordering {
        // The tie-breakers only when needed: comparing names costs far more than numbers.
        let rest = || a.1.cmp(b.1).then_with(|| a.2.cmp(b.2));
        match (self.descending, self.column) {
            (false, _) => a.0.cmp(b.0).then_with(rest),
            (true, VolumeColumn::Name) => rest().reverse(),
            (true, _) => a.0.cmp(b.0).reverse().then_with(rest),
        }
    }
}

/// A filter ready to test rows against.
#[derive(Debug, Clone)]
pub struct Filter {
    filter: VolumeFilter,
    needle: String,
}

impl Filter {
    pub fn new(filter: VolumeFilter) -> Filter {
        let needle = name_key(filter.name.trim());
        Filter { filter, needle }
    }

    /// Whether a row passes, given its name key (kept with the row where rows are many).
    pub fn matches(&self, row: &VolumeRow, name_key: &str) -> bool {
        let f = &self.filter;
        (self.needle.is_empty() || name_key.contains(&self.needle))
            && f.labels.iter().all(|(k, v)| row.labels.get(k) == Some(v))
            && (f.states.is_empty() || f.states.contains(&row.state))
            && (f.statuses.is_empty() || f.statuses.contains(&row.status))
            && (f.node.is_empty() || crate::volume::on_node(row, &f.node))
    }
}

/// Indices of the rows that pass the filter, in the sort's order (rows carry their parent's
/// name, as `volume::rows` makes them).
pub fn select(rows: &[VolumeRow], filter: &VolumeFilter, sort: Sort) -> Vec<usize> {
    let filter = Filter::new(filter.clone());
    let picked: Vec<(SortKey, String, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let name = name_key(&row.name);
            filter
                .matches(row, &name)
                .then(|| (sort.key(row, &row.parent_name), name, i))
        })
        .collect();
    let id = |row: usize| rows.get(row).map_or("", |r| r.id.as_str());
    crate::order::sorted_index(picked.len(), &|a, b| {
        let ((ka, na, ia), (kb, nb, ib)) = (&picked[a], &picked[b]);
        sort.order((ka, na, id(*ia)), (kb, nb, id(*ib)))
    })
    .into_iter()
    .map(|p| picked[p].2)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{VolumeState, VolumeStatus};

    fn row(id: &str, name: &str, size: u64, parent: &str) -> VolumeRow {
        VolumeRow {
            id: id.into(),
            name: name.into(),
            size,
            parent_id: if parent.is_empty() { "" } else { "p" }.into(),
            parent_name: parent.into(),
            status: VolumeStatus::Up as i32,
            labels: [(
                "tier".to_string(),
                if size > 20 { "gold" } else { "bronze" }.to_string(),
            )]
            .into(),
            ..Default::default()
        }
    }

    fn names(
        rows: &[VolumeRow],
        filter: VolumeFilter,
        column: VolumeColumn,
        descending: bool,
    ) -> Vec<&str> {
        select(rows, &filter, Sort { column, descending })
            .into_iter()
            .map(|i| rows[i].name.as_str())
            .collect()
    }

    #[test]
    fn names_and_parents_sort_without_regard_to_case_and_ties_stay_in_name_order() {
        let rows = [
            row("1", "db-main", 100, "beta"),
            row("2", "Web", 10, "Alpha"),
            row("3", "DB-replica", 50, ""),
            row("4", "api", 10, "alpha"),
        ];
        let any = VolumeFilter::default;
        assert_eq!(
            names(&rows, any(), VolumeColumn::Name, false),
            ["api", "db-main", "DB-replica", "Web"]
        );
        assert_eq!(
            names(&rows, any(), VolumeColumn::Name, true),
            ["Web", "DB-replica", "db-main", "api"]
        );
        assert_eq!(
            names(&rows, any(), VolumeColumn::Parent, false),
            ["DB-replica", "api", "Web", "db-main"]
        );
        assert_eq!(
            names(&rows, any(), VolumeColumn::Size, true),
            ["db-main", "DB-replica", "api", "Web"]
        );
        let db = VolumeFilter {
            name: " DB ".into(),
            ..Default::default()
        };
        assert_eq!(
            names(&rows, db, VolumeColumn::Size, false),
            ["DB-replica", "db-main"]
        );
        let gold = VolumeFilter {
            labels: [("tier".to_string(), "gold".to_string())].into(),
            states: vec![VolumeState::None as i32],
            statuses: vec![VolumeStatus::Up as i32],
            ..Default::default()
        };
        assert_eq!(
            names(&rows, gold, VolumeColumn::Id, false),
            ["db-main", "DB-replica"]
        );
        let down = VolumeFilter {
            statuses: vec![VolumeStatus::Down as i32],
            ..Default::default()
        };
        assert!(names(&rows, down, VolumeColumn::Name, false).is_empty());
    }
}
