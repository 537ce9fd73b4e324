//! Answers of upstream's SDK layer that clients must read, not only show.

/// What upstream's SDK handlers answer, with UNAVAILABLE, for a service the cluster has not set
/// up (alerts on upstream's own `osd`, for one). It comes from the handler, past the token and
/// role checks: the caller was let through, the cluster is there, the service is not.
pub const NOT_INITIALIZED: &str = "Resource has not been initialized";

/// Whether an UNAVAILABLE answer's message is that one, rather than a cluster out of reach.
pub fn not_initialized(message: &str) -> bool {
    message.contains(NOT_INITIALIZED)
}

#[cfg(test)]
mod tests {
    #[test]
    fn upstreams_words_are_told_from_an_unreachable_cluster() {
        assert!(super::not_initialized("Resource has not been initialized"));
        assert!(!super::not_initialized("tcp connect error"));
    }
}
