//! Now, in Unix seconds: when the view last listed, when a cluster's health was checked.

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
