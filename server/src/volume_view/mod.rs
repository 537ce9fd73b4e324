//! The console's view of the cluster's volumes: one shared, cached copy in console-server,
//! fed from the mock's store or from an upstream (`upstream.rs`), queried a page at a time
//! (`query.rs`) and watched for changes (`service.rs`). Every browser reads this one copy,
//! so the cluster's load does not grow with the number of open tabs.

pub mod callers;
pub mod entry;
pub mod query;
pub mod service;
pub mod upstream;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::watch;

pub use self::entry::Entry;
use crate::proto::console::VolumeRow;

/// Changes remembered for watchers that fall behind; further back they resync.
const LOG_CAPACITY: usize = 50_000;

/// A change to the view. Built in batches and applied at once, so boxing the entry would
/// only add an allocation per change.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Change {
    Upsert(Entry),
    Remove(String),
}

/// One remembered change: at `revision`, volume `id` changed or left; `previous` is what the
/// view held before (who could see it then, whether it was a row).
#[derive(Debug, Clone)]
struct Logged {
    revision: u64,
    id: String,
    previous: Option<Arc<Entry>>,
}

/// A volume that changed after a watcher's revision.
#[derive(Debug, Clone)]
pub struct Changed {
    pub id: String,
    /// What the view held before its first change since that revision (None: it is new).
    pub previous: Option<Arc<Entry>>,
}

/// An entry and its row as answered (with its parent's name).
pub type Answered = (Arc<Entry>, VolumeRow);

/// What a watcher gets: the volumes that changed after its revision, up to `revision`.
#[derive(Debug, Default)]
pub struct Delta {
    pub revision: u64,
    /// In the order they first changed, each once.
    pub changed: Vec<Changed>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<String, Arc<Entry>>,
    /// The same entries in name order (lower-case name, then id): queries walk this, so every
    /// sort starts from the tie-breaking order and never compares names.
    by_name: BTreeMap<(String, String), Arc<Entry>>,
    revision: u64,
    log: VecDeque<Logged>,
    /// The newest revision some of whose changes were dropped from the log: watchers behind
    /// it must resync.
    trimmed_through: u64,
    /// Whether the view holds the cluster's volumes (the first listing arrived).
    ready: bool,
    /// When the whole cluster was last listed (Unix seconds), and why it could not be since.
    listed_at: i64,
    stale_reason: Option<String>,
    /// The listing was refused (the cluster wants a token): trying again will not help.
    refused: bool,
}

/// The shared view. Readers take a snapshot of what they need under a read lock.
#[derive(Debug)]
pub struct VolumeView {
    /// New for each process: revisions of another life mean nothing.
    id: String,
    state: RwLock<State>,
    revisions: watch::Sender<u64>,
    /// Sorted matches of recent queries, reused while the revision holds (paging, other tabs).
    cache: Mutex<query::Cache>,
}

impl Default for VolumeView {
    fn default() -> Self {
        VolumeView {
            id: uuid::Uuid::new_v4().to_string(),
            state: RwLock::default(),
            revisions: watch::Sender::new(0),
            cache: Mutex::default(),
        }
    }
}

impl VolumeView {
    pub fn new() -> Arc<VolumeView> {
        Arc::new(VolumeView::default())
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    pub fn revision(&self) -> u64 {
        self.read().revision
    }

    /// How many volumes the view holds.
    pub fn volumes(&self) -> usize {
        self.read().entries.len()
    }

    /// Wakes on every new revision.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.revisions.subscribe()
    }

    /// Applies changes; those that change nothing are dropped. One new revision for all.
    pub fn apply(&self, changes: impl IntoIterator<Item = Change>) {
        let next = apply_locked(&mut self.write(), changes);
        if let Some(next) = next {
            self.revisions.send_replace(next);
        }
    }

    /// Makes the view hold exactly `entries`, a full listing of the cluster begun at revision
    /// `begun`. Volumes the view heard about since (a watch event, looked at after the listing
    /// began) are fresher than the listing, so they keep what the view has. Worked out and
    /// applied under one lock, so nothing lands in between.
    pub fn replace_all(&self, entries: Vec<Entry>, begun: u64, listed_at: i64) {
        let mut state = self.write();
        let changes: Vec<Change> = {
            let fresher = changed_after(&state, begun);
            let keep: std::collections::HashSet<&str> = entries.iter().map(Entry::id).collect();
            let gone: Vec<Change> = state
                .entries
                .keys()
                .filter(|id| !keep.contains(id.as_str()) && !fresher.contains(id.as_str()))
                .map(|id| Change::Remove(id.clone()))
                .collect();
            entries
                .into_iter()
                .filter(|e| !fresher.contains(e.id()))
                .map(Change::Upsert)
                .chain(gone)
                .collect()
        };
        let next = apply_locked(&mut state, changes);
        drop(state);
        if let Some(next) = next {
            self.revisions.send_replace(next);
        }
        self.mark_listed(listed_at);
    }

    /// Against the cluster's volume ids, asked for at revision `begun`: the ids the view does
    /// not hold, and those it holds that the cluster no longer has (unless the view heard of
    /// them after `begun`: they are fresher than the ids).
    pub fn differences(
        &self,
        ids: &std::collections::HashSet<String>,
        begun: u64,
    ) -> (Vec<String>, Vec<String>) {
        let state = self.read();
        let fresher = changed_after(&state, begun);
        let new = ids
            .iter()
            .filter(|id| !state.entries.contains_key(*id))
            .cloned()
            .collect();
        let gone = state
            .entries
            .keys()
            .filter(|id| !ids.contains(*id) && !fresher.contains(id.as_str()))
            .cloned()
            .collect();
        (new, gone)
    }

    /// The view now holds the whole cluster, as of `listed_at` (Unix seconds).
    pub fn mark_listed(&self, listed_at: i64) {
        let mut state = self.write();
        state.listed_at = listed_at;
        state.stale_reason = None;
        state.refused = false;
        let first = !state.ready;
        state.ready = true;
        drop(state);
        if first {
            // Wakes queries waiting for the first listing.
            self.revisions.send_modify(|_| {});
        }
    }

    /// The last listing failed (`refused`: the cluster will not let the view list): answers
    /// keep coming from what the view holds, saying why.
    pub fn mark_stale(&self, reason: String, refused: bool) {
        let mut state = self.write();
        state.stale_reason = Some(reason);
        state.refused = refused;
        drop(state);
        self.revisions.send_modify(|_| {});
    }

    /// Whether the view holds the cluster, or why it does not and whether that lasts (None
    /// while the first listing is under way).
    pub fn readiness(&self) -> Option<Result<(), (String, bool)>> {
        let state = self.read();
        if state.ready {
            Some(Ok(()))
        } else {
            state
                .stale_reason
                .clone()
                .map(|reason| Err((reason, state.refused)))
        }
    }

    /// Volumes changed after `after` (each once, with what the view held before), or None when
    /// the log no longer reaches back that far.
    pub fn changes_since(&self, after: u64) -> Option<Delta> {
        let state = self.read();
        if after > state.revision || after < state.trimmed_through {
            return None;
        }
        let start = state.log.partition_point(|l| l.revision <= after);
        let mut seen = std::collections::HashSet::new();
        let changed = state
            .log
            .range(start..)
            .filter(|logged| seen.insert(logged.id.as_str()))
            .map(|logged| Changed {
                id: logged.id.clone(),
                previous: logged.previous.clone(),
            })
            .collect();
        Some(Delta {
            revision: state.revision,
            changed,
        })
    }

    /// The current entries for `ids` and their rows as answered (None for those that left).
    pub fn rows(&self, ids: &[String]) -> Vec<(String, Option<Answered>)> {
        let state = self.read();
        ids.iter()
            .map(|id| {
                let found = state
                    .entries
                    .get(id)
                    .map(|e| (e.clone(), query::with_parent_name(e, &state.entries)));
                (id.clone(), found)
            })
            .collect()
    }

    /// The entry for `id`.
    pub fn get(&self, id: &str) -> Option<Arc<Entry>> {
        self.read().entries.get(id).cloned()
    }

    /// Attached volumes and the node each is attached on, for the performance sampler.
    pub fn attached(&self) -> Vec<(String, String)> {
        self.read()
            .entries
            .values()
            .filter(|e| !e.row.attached_on.is_empty())
            .map(|e| (e.row.id.clone(), e.row.attached_on.clone()))
            .collect()
    }

    /// How many volumes the viewer may see in each state (listed volumes only, as the table).
    pub fn state_counts(&self, may_read: &dyn Fn(&Entry) -> bool) -> (Vec<(i32, u64)>, u64) {
        let state = self.read();
        let mut counts: std::collections::BTreeMap<i32, u64> = Default::default();
        let mut total = 0;
        for entry in state.entries.values().filter(|e| e.listed && may_read(e)) {
            *counts.entry(entry.row.state).or_default() += 1;
            total += 1;
        }
        (counts.into_iter().collect(), total)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.read().entries.contains_key(id)
    }
}

/// Volumes the view heard of after revision `begun`.
fn changed_after(state: &State, begun: u64) -> std::collections::HashSet<&str> {
    state
        .log
        .range(state.log.partition_point(|l| l.revision <= begun)..)
        .map(|l| l.id.as_str())
        .collect()
}

/// Applies changes to the state; the new revision, if anything changed.
fn apply_locked(state: &mut State, changes: impl IntoIterator<Item = Change>) -> Option<u64> {
    let next = state.revision + 1;
    let mut logged = Vec::new();
    for change in changes {
        match change {
            Change::Upsert(entry) => {
                if state.entries.get(entry.id()).is_some_and(|e| **e == entry) {
                    continue;
                }
                let entry = Arc::new(entry);
                let old = state.entries.insert(entry.id().to_string(), entry.clone());
                if let Some(old) = &old {
                    state.by_name.remove(&old.name_order());
                }
                state.by_name.insert(entry.name_order(), entry.clone());
                logged.push(Logged {
                    revision: next,
                    id: entry.id().to_string(),
                    previous: old,
                });
            }
            Change::Remove(id) => {
                if let Some(old) = state.entries.remove(&id) {
                    state.by_name.remove(&old.name_order());
                    logged.push(Logged {
                        revision: next,
                        id,
                        previous: Some(old),
                    });
                }
            }
        }
    }
    if logged.is_empty() {
        return None;
    }
    state.revision = next;
    state.log.extend(logged);
    let excess = state.log.len().saturating_sub(LOG_CAPACITY);
    let dropped = state.log.drain(..excess).next_back().map(|l| l.revision);
    if let Some(revision) = dropped {
        state.trimmed_through = revision;
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{Volume, VolumeLocator};

    fn entry(id: &str, name: &str, size: u64) -> Entry {
        let volume = Volume {
            id: id.into(),
            locator: Some(VolumeLocator {
                name: name.into(),
                ..Default::default()
            }),
            spec: Some(crate::proto::VolumeSpec {
                size,
                ..Default::default()
            }),
            ..Default::default()
        };
        Entry::new(&volume, name, &HashMap::new()).expect("an id")
    }

    fn ids(delta: &Delta) -> Vec<&str> {
        delta.changed.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn equal_changes_make_no_revision_and_deltas_name_each_change_once() {
        let view = VolumeView::default();
        view.apply([
            Change::Upsert(entry("a", "a", 1)),
            Change::Upsert(entry("b", "b", 1)),
        ]);
        assert_eq!(view.revision(), 1);
        view.apply([Change::Upsert(entry("a", "a", 1))]);
        assert_eq!(view.revision(), 1, "an equal entry is no change");
        view.apply([Change::Upsert(entry("a", "a", 2))]);
        view.apply([Change::Remove("b".into()), Change::Remove("never".into())]);
        view.apply([Change::Upsert(entry("a", "a", 3))]);
        assert_eq!(view.revision(), 4);
        let since_1 = view.changes_since(1).unwrap();
        assert_eq!(ids(&since_1), ["a", "b"]);
        // What the watcher saw before: a of size 1, and b.
        assert_eq!(since_1.changed[0].previous.as_ref().unwrap().row.size, 1);
        assert!(since_1.changed[1].previous.is_some());
        assert_eq!(ids(&view.changes_since(0).unwrap()), ["a", "b"]);
        assert!(view.changes_since(0).unwrap().changed[0].previous.is_none());
        assert!(view.changes_since(4).unwrap().changed.is_empty());
        assert!(
            view.changes_since(5).is_none(),
            "a revision from the future"
        );
        assert!(!view.contains("b"));
    }

    #[test]
    fn a_watcher_behind_the_trimmed_log_must_resync() {
        let view = VolumeView::default();
        for i in 0..LOG_CAPACITY + 10 {
            view.apply([Change::Upsert(entry(&format!("v{i}"), "v", 1))]);
        }
        let revision = view.revision();
        assert!(view.changes_since(1).is_none());
        assert_eq!(view.changes_since(revision - 5).unwrap().changed.len(), 5);
    }

    #[test]
    fn a_listing_does_not_undo_what_the_view_heard_after_it_began() {
        let view = VolumeView::default();
        view.replace_all(vec![entry("a", "a", 1), entry("b", "b", 1)], 0, 1);
        let begun = view.revision();
        // While the listing is under way a watch event says "c" appeared and "a" grew.
        view.apply([
            Change::Upsert(entry("c", "c", 1)),
            Change::Upsert(entry("a", "a", 9)),
        ]);
        // The listing, older than both, has neither "c" nor the new size of "a", nor "b".
        view.replace_all(vec![entry("a", "a", 1)], begun, 2);
        assert!(view.contains("c"));
        assert_eq!(view.get("a").unwrap().row.size, 9);
        assert!(
            !view.contains("b"),
            "b is gone: nothing newer said otherwise"
        );
        assert_eq!(view.readiness(), Some(Ok(())));
    }

    #[test]
    fn an_id_check_finds_new_and_gone_volumes_but_not_over_fresher_news() {
        let view = VolumeView::default();
        view.replace_all(vec![entry("a", "a", 1), entry("b", "b", 1)], 0, 1);
        let begun = view.revision();
        // After the ids were asked for, the gateway saw "c" created.
        view.apply([Change::Upsert(entry("c", "c", 1))]);
        let ids: std::collections::HashSet<String> = ["a", "d"].map(String::from).into();
        let (new, gone) = view.differences(&ids, begun);
        assert_eq!(new, ["d"]);
        assert_eq!(gone, ["b"], "c is fresher than the ids; b is gone");
    }
}
