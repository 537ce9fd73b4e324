//! The words a person reads for a volume's health (status) and state, and the order those
//! columns sort in: alphabetical by these words, as the table shows them.

use crate::proto::{VolumeState, VolumeStatus};

/// A volume's health in words.
pub fn status_word(status: i32) -> &'static str {
    match VolumeStatus::try_from(status) {
        Ok(VolumeStatus::Up) => "Up",
        Ok(VolumeStatus::Degraded) => "Degraded",
        Ok(VolumeStatus::Down) => "Down",
        Ok(VolumeStatus::NotPresent) => "Not present",
        _ => "Unknown",
    }
}

/// A volume's runtime state in words.
pub fn state_word(state: i32) -> &'static str {
    match VolumeState::try_from(state) {
        Ok(VolumeState::Pending) => "Pending",
        Ok(VolumeState::Available) => "Available",
        Ok(VolumeState::Attached) => "Attached",
        Ok(VolumeState::Detached) => "Detached",
        Ok(VolumeState::Detatching) => "Detaching",
        Ok(VolumeState::Error) => "Error",
        Ok(VolumeState::Deleted) => "Deleted",
        Ok(VolumeState::TryDetaching) => "Trying to detach",
        Ok(VolumeState::Restore) => "Restoring",
        _ => "Unknown",
    }
}

/// Every status word, alphabetically.
const STATUS_WORDS: [&str; 5] = ["Degraded", "Down", "Not present", "Unknown", "Up"];
/// Every state word, alphabetically.
const STATE_WORDS: [&str; 10] = [
    "Attached",
    "Available",
    "Deleted",
    "Detached",
    "Detaching",
    "Error",
    "Pending",
    "Restoring",
    "Trying to detach",
    "Unknown",
];

/// A status's place in the Status column's order (numbers compare faster than words).
pub fn status_rank(status: i32) -> u64 {
    rank(status_word(status), &STATUS_WORDS)
}

/// A state's place in the State column's order.
pub fn state_rank(state: i32) -> u64 {
    rank(state_word(state), &STATE_WORDS)
}

fn rank(word: &str, words: &[&str]) -> u64 {
    words.iter().position(|w| *w == word).unwrap_or(words.len()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_words_alphabetically_for_every_value() {
        let mut statuses: Vec<i32> = (-1..8).collect();
        statuses.sort_by_key(|s| status_rank(*s));
        let words: Vec<&str> = statuses.iter().map(|s| status_word(*s)).collect();
        assert!(words.windows(2).all(|w| w[0] <= w[1]), "{words:?}");
        let mut states: Vec<i32> = (-1..12).collect();
        states.sort_by_key(|s| state_rank(*s));
        let words: Vec<&str> = states.iter().map(|s| state_word(*s)).collect();
        assert!(words.windows(2).all(|w| w[0] <= w[1]), "{words:?}");
        assert_eq!(state_word(VolumeState::Restore as i32), "Restoring");
        assert_eq!(status_word(99), "Unknown");
    }
}
