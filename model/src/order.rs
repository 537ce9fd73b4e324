//! One sort for every list the console orders: an index sorted by one type-erased comparator,
//! then the items moved into that order. In the browser's wasm each `sort_by` over another
//! element type or closure is another copy of the whole sort algorithm; here the algorithm is
//! compiled once (over `usize` with a `dyn` comparator) and only the small moves are per type.
//! Stable: items that compare equal keep their order.

use std::cmp::Ordering;

/// Positions `0..len` in the order `compare` gives them.
pub fn sorted_index(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut index: Vec<usize> = (0..len).collect();
    index.sort_by(|a, b| compare(*a, *b));
    index
}

/// Sorts `items` by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let index = sorted_index(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        index
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `items` by a key (computed per comparison: keep keys cheap).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_ties_in_order() {
        let mut words = vec!["pear", "Fig", "apple", "fig", "kiwi"];
        sort_by_key(&mut words, |w| w.to_ascii_lowercase());
        assert_eq!(words, ["apple", "Fig", "fig", "kiwi", "pear"]);
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "kiwi", "pear", "Fig", "fig"]);
        let mut none: Vec<String> = Vec::new();
        sort_by_key(&mut none, String::len);
        assert!(none.is_empty());
        let index = sorted_index(4, &|a, b| b.cmp(&a));
        assert_eq!(index, [3, 2, 1, 0]);
    }

    #[test]
    fn owned_items_are_moved_not_copied() {
        let mut rows: Vec<(u32, String)> =
            (0..100).map(|i| ((i * 37) % 100, i.to_string())).collect();
        sort_by_key(&mut rows, |r| r.0);
        assert_eq!(rows.len(), 100);
        assert!(rows.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(rows[0], (0, "0".to_string()));
    }
}
