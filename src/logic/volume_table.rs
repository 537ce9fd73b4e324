//! The volumes table as the page drives it: columns with their titles, the sort a click
//! toggles, pages. Rows, their filter and their order are console-model's, so the table reads
//! and sorts the same whether console-server's view answers it or the browser lists volumes
//! itself.

use console_model::proto::console::VolumeColumn;
use console_model::table;
use console_model::words;

use super::status::Tone;
use crate::proto::VolumeStatus;

pub use console_model::VolumeRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Id,
    Size,
    HaLevel,
    Status,
    State,
    AttachedOn,
    Parent,
    Created,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Name,
        Column::Id,
        Column::Size,
        Column::HaLevel,
        Column::Status,
        Column::State,
        Column::AttachedOn,
        Column::Parent,
        Column::Created,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Name => "Name",
            Column::Id => "ID",
            Column::Size => "Size",
            Column::HaLevel => "HA",
            Column::Status => "Status",
            Column::State => "State",
            Column::AttachedOn => "Attached on",
            Column::Parent => "Parent",
            Column::Created => "Created",
        }
    }

    /// The column as the view service and console-model name it.
    pub fn in_view(self) -> VolumeColumn {
        match self {
            Column::Name => VolumeColumn::Name,
            Column::Id => VolumeColumn::Id,
            Column::Size => VolumeColumn::Size,
            Column::HaLevel => VolumeColumn::HaLevel,
            Column::Status => VolumeColumn::Status,
            Column::State => VolumeColumn::State,
            Column::AttachedOn => VolumeColumn::AttachedOn,
            Column::Parent => VolumeColumn::Parent,
            Column::Created => VolumeColumn::Created,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub ascending: bool,
}

impl Sort {
    /// Clicking a column: sort by it, or flip the direction if it is already the sort.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                column,
                ascending: true,
            }
        }
    }

    /// The order console-model (and the view service) sorts by.
    pub fn in_view(self) -> table::Sort {
        table::Sort {
            column: self.column.in_view(),
            descending: !self.ascending,
        }
    }
}

/// Page `page` (0-based, clamped) of `total` items: the index range and the number of pages.
pub fn page_range(total: usize, page: usize, per_page: usize) -> (std::ops::Range<usize>, usize) {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    let page = page.min(pages - 1);
    let start = page * per_page;
    (start..(start + per_page).min(total), pages)
}

/// A volume's health for people, and its tone.
pub fn volume_status(status: i32) -> (&'static str, Tone) {
    let tone = match VolumeStatus::try_from(status) {
        Ok(VolumeStatus::Up) => Tone::Good,
        Ok(VolumeStatus::Degraded) => Tone::Warning,
        Ok(VolumeStatus::Down | VolumeStatus::NotPresent) => Tone::Bad,
        _ => Tone::Unknown,
    };
    (words::status_word(status), tone)
}

/// A volume's runtime state for people.
pub use console_model::words::state_word as volume_state;

#[cfg(test)]
mod tests {
    use super::*;
    use console_model::proto::console::VolumeFilter;

    #[test]
    fn a_click_sorts_by_a_column_then_flips_it() {
        let by_name = Sort {
            column: Column::Name,
            ascending: true,
        };
        let created = by_name.toggled(Column::Created);
        assert_eq!(created.in_view().column, VolumeColumn::Created);
        assert!(!created.in_view().descending);
        assert!(created.toggled(Column::Created).in_view().descending);
        for column in Column::ALL {
            assert!(!column.title().is_empty());
        }
    }

    #[test]
    fn ten_thousand_rows_filter_and_page() {
        let rows: Vec<VolumeRow> = (0..10_000u64)
            .map(|i| VolumeRow {
                id: format!("id-{i}"),
                name: format!("vol-{i:05}"),
                size: i,
                labels: [(
                    "shard".to_string(),
                    if i % 2 == 0 { "even" } else { "odd" }.to_string(),
                )]
                .into(),
                ..Default::default()
            })
            .collect();
        let filter = VolumeFilter {
            name: "vol-0".into(),
            labels: [("shard".to_string(), "even".to_string())].into(),
            ..Default::default()
        };
        let sort = Sort {
            column: Column::Size,
            ascending: false,
        };
        let picked = table::select(&rows, &filter, sort.in_view());
        assert_eq!(picked.len(), 5_000);
        assert_eq!(rows[picked[0]].name, "vol-09998");
        let (range, pages) = page_range(picked.len(), 2, 50);
        assert_eq!((range, pages), (100..150, 100));
        let (last, _) = page_range(picked.len(), 999, 50);
        assert_eq!(last, 4950..5000, "a page past the end shows the last page");
        assert_eq!(page_range(0, 0, 50), (0..0, 1));
    }

    #[test]
    fn health_has_a_tone() {
        assert_eq!(volume_status(VolumeStatus::Up as i32), ("Up", Tone::Good));
        assert_eq!(volume_status(99), ("Unknown", Tone::Unknown));
    }
}
