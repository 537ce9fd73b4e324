//! Answers to the view's queries: filter, a total order on any column, keyset pages, and
//! names for pickers. The filter and the order are console-model's, as the browser's when it
//! lists volumes without the view. Sorted matches are cached per (filter, sort, viewer) while the revision
//! holds, so paging and other tabs reuse one sort.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use base64::Engine;
use serde::{Deserialize, Serialize};
use tonic::Status;

use super::{Entry, VolumeView};
use crate::proto::console::{
    VolumeColumn, VolumeFilter, VolumeName, VolumeNamesRequest, VolumeNamesResponse,
    VolumeQueryRequest, VolumeQueryResponse, VolumeRow,
};
use console_model::table::{Filter, Sort, SortKey};
use console_model::volume;

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;
const DEFAULT_NAMES: u32 = 100;
const MAX_NAMES: u32 = 1000;
/// Sorted results kept for reuse.
const CACHED_QUERIES: usize = 16;

/// Who is asking: `key` tells viewers apart in the cache, `may_read` says which volumes they
/// may see (everything without auth).
pub struct Viewer {
    pub key: String,
    pub may_read: Box<dyn Fn(&Entry) -> bool + Send + Sync>,
}

impl Viewer {
    pub fn everyone() -> Viewer {
        Viewer {
            key: String::new(),
            may_read: Box::new(|_| true),
        }
    }
}

/// Where a page token points: just after (or just before) the row with this key.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    column: i32,
    descending: bool,
    before: bool,
    primary: SortKey,
    name: String,
    id: String,
}

/// Matches in order: each with its sort value and its place in name order.
type Sorted = Arc<Vec<(SortKey, u32, Arc<Entry>)>>;

/// Sorted matches and the number of rows the viewer may see at all.
type Answer = (Sorted, u64);

#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheKey {
    filter: String,
    column: VolumeColumn,
    descending: bool,
    viewer: String,
    revision: u64,
}

/// Recently sorted matches.
#[derive(Default)]
pub struct Cache {
    recent: Vec<(CacheKey, Answer)>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} queries)", self.recent.len())
    }
}

/// A filter in one canonical form (label order does not matter).
fn canonical(filter: &VolumeFilter) -> String {
    let labels: BTreeMap<_, _> = filter.labels.iter().collect();
    let mut states = filter.states.clone();
    states.sort_unstable();
    let mut statuses = filter.statuses.clone();
    statuses.sort_unstable();
    format!(
        "{:?}|{labels:?}|{states:?}|{statuses:?}|{:?}",
        filter.name.trim().to_lowercase(),
        filter.node
    )
}

impl VolumeView {
    /// The matches of a filter in a sort's order and the viewer's total, from the cache when
    /// the view has not changed.
    fn sorted(&self, filter: &VolumeFilter, sort: Sort, viewer: &Viewer) -> (Sorted, u64, u64) {
        let state = self.read();
        let key = CacheKey {
            filter: canonical(filter),
            column: sort.column,
            descending: sort.descending,
            viewer: viewer.key.clone(),
            revision: state.revision,
        };
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((_, (sorted, total))) = cache.recent.iter().find(|(k, _)| *k == key) {
                return (sorted.clone(), *total, state.revision);
            }
        }
        let matcher = Filter::new(filter.clone());
        let mut total = 0u64;
        // Walked in name order, so each match's rank there breaks ties without comparing names.
        let mut picked: Vec<(SortKey, u32, Arc<Entry>)> = state
            .by_name
            .values()
            .filter(|e| e.listed && (viewer.may_read)(e))
            .enumerate()
            .inspect(|_| total += 1)
            .filter(|(_, e)| matcher.matches(&e.row, &e.name_key))
            .map(|(rank, e)| (sort_key(sort, e, &state.entries), rank as u32, e.clone()))
            .collect();
        let revision = state.revision;
        // Sorted outside the lock: the mock's writes (every SDK call) need not wait for it.
        drop(state);
        match (sort.column, sort.descending) {
            (VolumeColumn::Name, false) => {}
            (VolumeColumn::Name, true) => picked.reverse(),
            (_, descending) => picked.sort_unstable_by(|(pa, ra, _), (pb, rb, _)| {
                let primary = pa.cmp(pb);
                let primary = if descending {
                    primary.reverse()
                } else {
                    primary
                };
                primary.then(ra.cmp(rb))
            }),
        }
        let sorted = Arc::new(picked);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.recent.retain(|(k, _)| k.revision == revision);
        if cache.recent.len() >= CACHED_QUERIES {
            cache.recent.remove(0);
        }
        cache.recent.push((key, (sorted.clone(), total)));
        (sorted, total, revision)
    }

    /// One page of the volumes table.
    pub fn query(
        &self,
        request: &VolumeQueryRequest,
        viewer: &Viewer,
    ) -> Result<VolumeQueryResponse, Status> {
        let size = match request.page_size {
            0 => DEFAULT_PAGE_SIZE,
            n if n > MAX_PAGE_SIZE => {
                return Err(Status::invalid_argument(format!(
                    "page_size {n} is more than {MAX_PAGE_SIZE}"
                )))
            }
            n => n,
        } as usize;
        let sort = Sort::of(request.sort);
        let filter = request.filter.clone().unwrap_or_default();
        let (sorted, total, revision) = self.sorted(&filter, sort, viewer);
        let n = sorted.len();
        let last_page = || (n.saturating_sub(1) / size * size, n);
        let (start, end) = if request.last_page {
            last_page()
        } else if request.page_token.is_empty() {
            (0, n.min(size))
        } else {
            let cursor = decode(&request.page_token)?;
            if cursor.column != sort.column as i32 || cursor.descending != sort.descending {
                return Err(Status::invalid_argument(
                    "the page token belongs to another sort order; ask for the first page",
                ));
            }
            let at = (&cursor.primary, cursor.name.as_str(), cursor.id.as_str());
            if cursor.before {
                let end = sorted.partition_point(|(p, _, e)| {
                    sort.order((p, &e.name_key, &e.row.id), at) == Ordering::Less
                });
                if end <= size {
                    (0, n.min(size))
                } else {
                    (end - size, end)
                }
            } else {
                let start = sorted.partition_point(|(p, _, e)| {
                    sort.order((p, &e.name_key, &e.row.id), at) != Ordering::Greater
                });
                if start >= n && n > 0 {
                    // Everything after it left: the last page there is.
                    last_page()
                } else {
                    (start, n.min(start + size))
                }
            }
        };
        let token = |i: usize, before: bool| {
            let (p, _, e) = &sorted[i];
            encode(&Cursor {
                column: sort.column as i32,
                descending: sort.descending,
                before,
                primary: p.clone(),
                name: e.name_key.clone(),
                id: e.row.id.clone(),
            })
        };
        let state = self.read();
        let rows = sorted[start..end]
            .iter()
            .map(|(_, _, e)| with_parent_name(e, &state.entries))
            .collect();
        Ok(VolumeQueryResponse {
            rows,
            matched: n as u64,
            total,
            offset: start as u64,
            next_page_token: if end < n {
                token(end - 1, false)
            } else {
                String::new()
            },
            previous_page_token: if start > 0 {
                token(start, true)
            } else {
                String::new()
            },
            revision,
            view_id: self.id.clone(),
            listed_at: state.listed_at,
            stale_reason: state.stale_reason.clone().unwrap_or_default(),
        })
    }

    /// Names for a picker: those containing a text (by name, up to a limit), then the named ids.
    pub fn names(
        &self,
        request: &VolumeNamesRequest,
        viewer: &Viewer,
    ) -> Result<VolumeNamesResponse, Status> {
        let limit = match request.limit {
            0 => DEFAULT_NAMES,
            n if n > MAX_NAMES => {
                return Err(Status::invalid_argument(format!(
                    "limit {n} is more than {MAX_NAMES}"
                )))
            }
            n => n,
        } as usize;
        let needle = request.contains.trim().to_lowercase();
        let state = self.read();
        let mut found: Vec<&Arc<Entry>> = state
            .entries
            .values()
            .filter(|e| e.listed && e.name_key.contains(&needle) && (viewer.may_read)(e))
            .collect();
        let matched = found.len() as u64;
        if found.len() > limit {
            found.select_nth_unstable_by(limit, |a, b| by_name(a, b));
            found.truncate(limit);
        }
        found.sort_unstable_by(|a, b| by_name(a, b));
        let mut names: Vec<VolumeName> = found.iter().map(|e| name_of(e)).collect();
        for id in &request.ids {
            if names.iter().any(|n| n.id == *id) {
                continue;
            }
            if let Some(e) = state.entries.get(id).filter(|e| (viewer.may_read)(e)) {
                names.push(name_of(e));
            }
        }
        Ok(VolumeNamesResponse { names, matched })
    }
}

fn by_name(a: &Entry, b: &Entry) -> Ordering {
    a.name_key
        .cmp(&b.name_key)
        .then_with(|| a.row.id.cmp(&b.row.id))
}

fn name_of(entry: &Entry) -> VolumeName {
    VolumeName {
        id: entry.row.id.clone(),
        name: entry.row.name.clone(),
    }
}

/// A row as answered: with its parent's current name.
pub fn with_parent_name(entry: &Entry, entries: &HashMap<String, Arc<Entry>>) -> VolumeRow {
    let mut row = entry.row.clone();
    if !row.parent_id.is_empty() {
        row.parent_name = parent_name(entries, &row.parent_id);
    }
    row
}

pub fn parent_name(entries: &HashMap<String, Arc<Entry>>, parent_id: &str) -> String {
    volume::parent_name(|id| entries.get(id).map(|p| p.row.name.as_str()), parent_id)
}

/// A row's key in the sorted column, its parent named as it is now.
fn sort_key(sort: Sort, entry: &Entry, entries: &HashMap<String, Arc<Entry>>) -> SortKey {
    let parent = if sort.column == VolumeColumn::Parent && !entry.row.parent_id.is_empty() {
        parent_name(entries, &entry.row.parent_id)
    } else {
        String::new()
    };
    sort.key(&entry.row, &parent)
}

fn encode(cursor: &Cursor) -> String {
    let json = serde_json::to_vec(cursor).expect("a cursor serializes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode(token: &str) -> Result<Cursor, Status> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or_else(|| Status::invalid_argument("page_token is not one this server gave out"))
}
