//! What the sealed cookies hold: a signed-in session (the provider's tokens) and a sign-in in
//! progress (PKCE verifier, `state`, `nonce`, where to return). Pure rules about them live here:
//! when a session's ID token is refreshed, and which return addresses are followed.

use serde::{Deserialize, Serialize};

/// The session cookie's name (chunks add `.1`, `.2`…).
pub const SESSION_COOKIE: &str = "osc_session";
/// A sign-in in progress: set when it starts, removed when the provider sends the user back.
pub const LOGIN_COOKIE: &str = "osc_login";
/// One message for the sign-in screen (why a sign-in failed), read once.
pub const NOTICE_COOKIE: &str = "osc_notice";
/// A sign-in not finished within this many seconds is refused.
pub const LOGIN_LIFETIME: i64 = 600;

#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    /// The ID token the clusters verify (sent as `authorization: bearer`).
    pub id_token: String,
    pub refresh_token: Option<String>,
    /// Unix seconds: the ID token's `iat` and `exp`.
    pub issued_at: i64,
    pub expires_at: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Whether the ID token should be replaced now: within the last half of its life or the
    /// last minute of it, whichever is shorter, so short-lived tokens are not refreshed on
    /// every call and long-lived ones are well before they run out.
    pub fn needs_refresh(&self, now: i64) -> bool {
        let lifetime = (self.expires_at - self.issued_at).max(0);
        let margin = (lifetime / 2).min(60);
        now >= self.expires_at - margin
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Login {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub redirect_uri: String,
    pub return_to: String,
    /// Unix seconds.
    pub started: i64,
}

/// A path on this console to return to after signing in, or `/`: never another site
/// (`//evil.example`, `/\evil.example`, `https://…`), so the sign-in cannot be made an open
/// redirect.
pub fn return_path(wanted: Option<&str>) -> String {
    let Some(path) = wanted.map(str::trim) else {
        return "/".into();
    };
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 2048
        && !path.chars().any(|c| c.is_control() || c == '\\');
    if local && !path.starts_with(crate::sso::AUTH_PREFIX) {
        path.to_string()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(issued_at: i64, expires_at: i64) -> Session {
        Session {
            id_token: "t".into(),
            refresh_token: None,
            issued_at,
            expires_at,
        }
    }

    #[test]
    fn tokens_are_refreshed_late_in_their_life() {
        // 30 s tokens: refreshed in their last 15 s.
        let short = session(1000, 1030);
        assert!(!short.needs_refresh(1014));
        assert!(short.needs_refresh(1015));
        assert!(short.needs_refresh(2000), "expired");
        // An hour: in the last minute.
        let long = session(0, 3600);
        assert!(!long.needs_refresh(3539));
        assert!(long.needs_refresh(3540));
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(return_path(Some("/volumes?q=db#x")), "/volumes?q=db#x");
        assert_eq!(return_path(Some("/c/prod/volumes")), "/c/prod/volumes");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "volumes",
            "/auth/login",
            "/a\nb",
            "",
        ] {
            assert_eq!(return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(return_path(None), "/");
    }
}
