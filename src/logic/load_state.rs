//! The four states a screen's data can be in, and the rule that a refresh returning what is
//! already shown changes nothing (so rows, open confirmations and focus survive it).

/// What a list or panel shows. Each is visibly different on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing has arrived and nothing has failed yet.
    Loading,
    /// Nothing has arrived, and the last call failed: the error is all there is to show.
    Failed,
    /// Data arrived and there is nothing in it.
    Empty,
    /// Data arrived. A later failure keeps it on screen, with the error beside it.
    Loaded,
}

/// The phase for what is held: `data_empty` is `None` before any data arrived, otherwise
/// whether the data is empty; `failed` is whether the last call failed.
pub fn phase(data_empty: Option<bool>, failed: bool) -> Phase {
    match (data_empty, failed) {
        (None, false) => Phase::Loading,
        (None, true) => Phase::Failed,
        (Some(true), _) => Phase::Empty,
        (Some(false), _) => Phase::Loaded,
    }
}

/// Puts `new` into `slot` unless it already holds an equal value; true when it changed, so the
/// caller notifies only then.
pub fn replace_if_changed<T: PartialEq>(slot: &mut Option<T>, new: T) -> bool {
    if slot.as_ref() == Some(&new) {
        return false;
    }
    *slot = Some(new);
    true
}

/// Same, for a value that may be absent (an error that clears).
pub fn set_if_changed<T: PartialEq>(slot: &mut Option<T>, new: Option<T>) -> bool {
    if *slot == new {
        return false;
    }
    *slot = new;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_yet_is_loading() {
        assert_eq!(phase(None, false), Phase::Loading);
    }

    #[test]
    fn a_first_call_that_fails_is_failed_not_loading() {
        assert_eq!(phase(None, true), Phase::Failed);
    }

    #[test]
    fn empty_and_loaded_differ() {
        assert_eq!(phase(Some(true), false), Phase::Empty);
        assert_eq!(phase(Some(false), false), Phase::Loaded);
    }

    #[test]
    fn an_error_after_data_keeps_the_data() {
        assert_eq!(phase(Some(false), true), Phase::Loaded);
        assert_eq!(phase(Some(true), true), Phase::Empty);
    }

    #[test]
    fn equal_data_changes_nothing() {
        let mut slot = Some(vec![1, 2, 3]);
        assert!(!replace_if_changed(&mut slot, vec![1, 2, 3]));
        assert_eq!(slot, Some(vec![1, 2, 3]));
    }

    #[test]
    fn different_data_replaces() {
        let mut slot = Some(vec![1]);
        assert!(replace_if_changed(&mut slot, vec![1, 2]));
        assert_eq!(slot, Some(vec![1, 2]));
        let mut empty: Option<Vec<i32>> = None;
        assert!(replace_if_changed(&mut empty, vec![]));
        assert_eq!(empty, Some(vec![]));
    }

    #[test]
    fn an_error_is_set_and_cleared_once() {
        let mut error = None;
        assert!(set_if_changed(&mut error, Some("down")));
        assert!(!set_if_changed(&mut error, Some("down")));
        assert!(set_if_changed(&mut error, Some("slow")));
        assert!(set_if_changed(&mut error, None));
        assert!(!set_if_changed(&mut error, None));
    }
}
