//! Single sign-on as the app sees it: what console-server's `/auth/session` says (the
//! provider, the signed-in user, a message for the sign-in screen), which clusters the session
//! serves, and the words shown for it. Nothing here is a token: the tokens stay in an
//! HttpOnly cookie the app cannot read.

use super::token::Claims;
use console_model::session::SESSION_ENDED;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsoProvider {
    /// Shown as "Sign in with NAME".
    pub name: String,
    pub issuer: String,
    pub available: bool,
    /// Why sign-in is unavailable now (the provider cannot be reached).
    pub why: Option<String>,
    pub clusters: Vec<String>,
    pub default_cluster: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsoUser {
    pub subject: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
    /// Unix seconds: when the current ID token ends (console-server refreshes it before).
    pub expires_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsoState {
    pub provider: SsoProvider,
    pub user: Option<SsoUser>,
    /// Why the last sign-in failed or the session ended, shown once.
    pub notice: Option<String>,
}

impl SsoState {
    /// Whether calls for `cluster` (None: the console's first) go with the session.
    pub fn covers(&self, cluster: Option<&str>) -> bool {
        let cluster = cluster.unwrap_or(&self.provider.default_cluster);
        self.provider.clusters.iter().any(|c| c == cluster)
    }

    /// The signed-in user, when the session serves `cluster`.
    pub fn user_for(&self, cluster: Option<&str>) -> Option<&SsoUser> {
        self.user.as_ref().filter(|_| self.covers(cluster))
    }
}

impl SsoUser {
    /// As a token's claims, for the places that show who is signed in.
    pub fn claims(&self) -> Claims {
        Claims {
            sub: self.subject.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            iss: String::new(),
            // The session outlives its ID tokens: console-server refreshes them.
            exp: None,
            roles: self.roles.clone(),
        }
    }
}

/// Roles as the header shows them: "system.user, ops", or "no roles".
pub fn roles_text(roles: &[String]) -> String {
    if roles.is_empty() {
        "no roles".into()
    } else {
        roles.join(", ")
    }
}

/// Whether an UNAUTHENTICATED answer means the single sign-on session has ended (the app
/// then sends the user back to sign in).
pub fn is_session_end(message: &str) -> bool {
    message.starts_with(SESSION_ENDED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(clusters: &[&str]) -> SsoState {
        SsoState {
            provider: SsoProvider {
                name: "Example".into(),
                clusters: clusters.iter().map(|c| c.to_string()).collect(),
                default_cluster: "prod".into(),
                available: true,
                ..SsoProvider::default()
            },
            user: Some(SsoUser {
                subject: "alice".into(),
                name: "Alice".into(),
                roles: vec!["system.user".into()],
                ..SsoUser::default()
            }),
            notice: None,
        }
    }

    #[test]
    fn the_session_serves_only_its_clusters() {
        let sso = state(&["prod", "lab"]);
        assert!(sso.covers(None), "the default cluster");
        assert!(sso.covers(Some("lab")));
        assert!(!sso.covers(Some("other")));
        assert_eq!(sso.user_for(Some("lab")).unwrap().name, "Alice");
        assert!(sso.user_for(Some("other")).is_none());
        assert!(state(&["lab"]).user_for(None).is_none());
    }

    #[test]
    fn a_session_user_reads_as_claims() {
        let user = state(&["prod"]).user.unwrap();
        let claims = user.claims();
        assert_eq!(claims.who(), "Alice");
        assert!(!claims.expired(i64::MAX));
        assert_eq!(roles_text(&claims.roles), "system.user");
        assert_eq!(roles_text(&[]), "no roles");
    }

    #[test]
    fn the_end_of_a_session_is_recognised() {
        assert!(is_session_end(&format!(
            "{SESSION_ENDED}: the provider refused it (invalid_grant). Sign in again."
        )));
        assert!(!is_session_end("Invalid or missing authentication token"));
    }
}
