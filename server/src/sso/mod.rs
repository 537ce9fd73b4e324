//! Single sign-on for the console: console-server is the OpenID Connect relying party for the
//! app (the backend-for-frontend of "OAuth 2.0 for Browser-Based Apps"). It signs users in at
//! the provider (authorization code with PKCE, `state` and `nonce`), keeps their ID and refresh
//! tokens in a sealed HttpOnly cookie that page scripts never see, and sends the ID token to
//! the clusters that trust the provider as `authorization: bearer`, refreshing it before it
//! runs out. `routes` answers `/auth/*`, `attach` puts the session on SDK calls.

pub mod attach;
pub mod cookies;
mod refresh;
pub mod routes;
pub mod session;

use std::path::PathBuf;
use std::sync::Arc;

use openidconnect::core::{CoreClient, CoreErrorResponseType};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, RedirectUrl,
    RequestTokenError, StandardErrorResponse,
};

use crate::error::StartupError;
use crate::oidc::{self, Provider, UsernameClaim};
use crate::unix_time;
use cookies::{Attributes, SessionKey};
use session::Session;

/// Every path the sign-in answers begins with this.
pub const AUTH_PREFIX: &str = "/auth/";

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How console-server signs users in, set from the `--oidc-*`, `--public-url` and
/// `--session-key-file` flags.
pub struct SsoOptions {
    pub provider: Arc<Provider>,
    pub client_secret_file: Option<PathBuf>,
    pub scopes: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub public_url: Option<String>,
    pub session_key_file: Option<PathBuf>,
    /// The clusters the session is sent to (resolved: every cluster when none was named),
    /// and the cluster calls naming none reach.
    pub clusters: Vec<String>,
    pub default_cluster: String,
    pub tls: bool,
}

pub struct Sso {
    provider: Arc<Provider>,
    client_secret_file: Option<PathBuf>,
    scopes: Vec<String>,
    namespace: Option<String>,
    name: String,
    public_url: Option<String>,
    key: SessionKey,
    attrs: Attributes,
    clusters: Vec<String>,
    default_cluster: String,
    refresher: refresh::Refresher,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.provider.issuer())
            .finish_non_exhaustive()
    }
}

/// Why a session cannot go on; the user signs in again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended(pub String);

impl Ended {
    /// What the user is told, on a call (UNAUTHENTICATED) and on the sign-in screen alike;
    /// the app recognises its beginning.
    pub fn words(&self) -> String {
        format!(
            "{}: {}. Sign in again.",
            console_model::session::SESSION_ENDED,
            self.0
        )
    }
}

impl Sso {
    /// Checks the secret files now (a bad file stops start-up with why); the provider itself
    /// may still be down, which only makes sign-in wait for it.
    pub fn new(options: SsoOptions) -> Result<Sso, StartupError> {
        if let Some(path) = &options.client_secret_file {
            crate::secret_file::read(path, "the client secret").map_err(|reason| {
                StartupError::SecretFile {
                    flag: "--oidc-client-secret-file",
                    path: path.display().to_string(),
                    reason,
                }
            })?;
        }
        let key = match &options.session_key_file {
            Some(path) => {
                let bad = |reason| StartupError::SecretFile {
                    flag: "--session-key-file",
                    path: path.display().to_string(),
                    reason,
                };
                let material = crate::secret_file::read(path, "a session key").map_err(bad)?;
                SessionKey::derive(material.as_bytes()).map_err(bad)?
            }
            None => SessionKey::random(),
        };
        let secure = options.tls
            || options
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"));
        let name = options.name.clone().unwrap_or_else(|| {
            url_host(options.provider.issuer()).unwrap_or_else(|| options.provider.issuer().into())
        });
        Ok(Sso {
            provider: options.provider,
            client_secret_file: options.client_secret_file,
            scopes: options
                .scopes
                .split_whitespace()
                .filter(|s| *s != "openid")
                .map(str::to_string)
                .collect(),
            namespace: options.namespace,
            name,
            public_url: options.public_url,
            key,
            attrs: Attributes { secure },
            clusters: options.clusters,
            default_cluster: options.default_cluster,
            refresher: refresh::Refresher::default(),
        })
    }

    /// Whether calls for `cluster` (None: the default one) carry the session.
    pub fn covers(&self, cluster: Option<&str>) -> bool {
        let cluster = cluster.unwrap_or(&self.default_cluster);
        self.clusters.iter().any(|c| c == cluster)
    }

    /// The console's address as users reach it: `--public-url`, or the request's host.
    pub fn base_url(&self, host: &str) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => {
                let scheme = if self.attrs.secure { "https" } else { "http" };
                format!("{scheme}://{host}")
            }
        }
    }

    /// Whether a browser request with this `Origin` comes from the console's own pages.
    pub fn same_origin(&self, origin: &str, host: &str) -> bool {
        let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        match &self.public_url {
            Some(url) => origin == url.to_ascii_lowercase(),
            None => origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        }
    }

    /// An OpenID client for the provider as now discovered, answering at `redirect_uri`.
    fn client(&self, redirect_uri: Option<&str>) -> Result<Client, String> {
        let metadata = self.provider.metadata()?;
        let secret = match &self.client_secret_file {
            Some(path) => Some(ClientSecret::new(
                crate::secret_file::read(path, "the client secret")
                    .map_err(|why| format!("the client secret cannot be read: {why}"))?,
            )),
            None => None,
        };
        let client = CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(self.provider.client_id().to_string()),
            secret,
        );
        match redirect_uri {
            Some(uri) => {
                let redirect = RedirectUrl::new(uri.to_string())
                    .map_err(|e| format!("the redirect URI {uri} is not a URL: {e}"))?;
                Ok(client.set_redirect_uri(redirect))
            }
            None => Ok(client),
        }
    }

    /// `Set-Cookie` headers storing `plain` sealed as cookie `name` (see `cookies::set`).
    fn set_sealed(
        &self,
        name: &str,
        plain: &str,
        path: &str,
        max_age: Option<time::Duration>,
    ) -> Vec<http::HeaderValue> {
        cookies::set(name, &self.key.seal(name, plain), path, max_age, self.attrs)
    }

    /// What cookie `name` holds, when it was sealed with this key under that name.
    fn read_sealed(&self, headers: &http::HeaderMap, name: &str) -> Option<String> {
        self.key.unseal(name, &cookies::read(headers, name)?)
    }

    /// The session a request's cookie holds: None without one, or one that does not open
    /// with this key (tampered, or another deployment's).
    pub fn session(&self, headers: &http::HeaderMap) -> Option<Session> {
        serde_json::from_str(&self.read_sealed(headers, session::SESSION_COOKIE)?).ok()
    }

    /// Whether a request carries a session cookie at all (to clear one that did not open).
    pub fn has_session_cookie(&self, headers: &http::HeaderMap) -> bool {
        cookies::read(headers, session::SESSION_COOKIE).is_some()
    }

    /// `Set-Cookie` headers storing `session`.
    pub fn store(&self, session: &Session) -> Vec<http::HeaderValue> {
        let json = serde_json::to_string(session).expect("a session serializes");
        self.set_sealed(session::SESSION_COOKIE, &json, "/", None)
    }

    pub fn forget(&self) -> Vec<http::HeaderValue> {
        cookies::clear(session::SESSION_COOKIE, "/", self.attrs)
    }

    /// `Set-Cookie` headers keeping `notice` for the sign-in screen, read once.
    pub fn notice(&self, notice: &str) -> Vec<http::HeaderValue> {
        self.set_sealed(
            session::NOTICE_COOKIE,
            notice,
            "/",
            Some(time::Duration::seconds(120)),
        )
    }

    /// The notice a request carries for the sign-in screen, if any.
    fn read_notice(&self, headers: &http::HeaderMap) -> Option<String> {
        self.read_sealed(headers, session::NOTICE_COOKIE)
    }

    /// Whether a browser request comes from the console's own pages (its `Origin`): only those
    /// may spend the session or end it.
    pub fn from_console(&self, headers: &http::HeaderMap) -> bool {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        headers
            .get(http::header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .is_some_and(|origin| self.same_origin(origin, host))
    }

    /// The session, refreshed when its ID token is late in its life: `Ok((session, true))`
    /// when it was (the cookie must be stored again), `Err` when it cannot go on.
    pub async fn current(&self, session: Session) -> Result<(Session, bool), Ended> {
        if !session.needs_refresh(unix_time::now()) {
            return Ok((session, false));
        }
        let Some(refresh_token) = session.refresh_token.clone() else {
            if session.expires_at > unix_time::now() {
                return Ok((session, false));
            }
            let why = "the ID token expired and the provider gave no refresh token (ask for the offline_access scope)";
            tracing::warn!("single sign-on: a session ended: {why}");
            return Err(Ended(why.into()));
        };
        // Calls carrying this very session share one refresh; the session it makes is
        // another key, refreshed in its turn.
        let shared_by = format!("{refresh_token}\n{}", session.id_token);
        let fresh = self
            .refresher
            .refresh(&shared_by, || {
                self.refresh(session.clone(), refresh_token.clone())
            })
            .await
            .map_err(|why| {
                tracing::warn!("single sign-on: a session could not be refreshed: {why}");
                Ended(why)
            })?;
        Ok((fresh, true))
    }

    /// One refresh at the provider: a new ID token (verified, and for the same user).
    async fn refresh(&self, old: Session, refresh_token: String) -> Result<Session, String> {
        let client = self.client(None)?;
        let response = client
            .exchange_refresh_token(&openidconnect::RefreshToken::new(refresh_token.clone()))
            .map_err(|e| e.to_string())?
            .request_async(self.provider.http())
            .await
            .map_err(|e| describe_token_error(&e))?;
        use openidconnect::{OAuth2TokenResponse, TokenResponse};
        let Some(id_token) = response.id_token() else {
            return Err("the provider's refresh gave no new ID token".into());
        };
        let raw = id_token.to_string();
        let verified = self.provider.verify(&raw, None).await?;
        // The old token was verified when it was stored, and the cookie is authenticated.
        let old_claims = oidc::unverified_claims(&old.id_token).unwrap_or_default();
        let old_sub = old_claims
            .get("sub")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let new_sub = verified
            .claims
            .get("sub")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if old_sub != new_sub {
            return Err("the refreshed ID token is for another user".into());
        }
        tracing::debug!(
            lasts = verified.expires_at - unix_time::now(),
            "single sign-on: refreshed a session"
        );
        Ok(Session {
            id_token: raw,
            refresh_token: response
                .refresh_token()
                .map(|t| t.secret().clone())
                .or(Some(refresh_token)),
            issued_at: verified.issued_at,
            expires_at: verified.expires_at,
        })
    }

    /// Who the session's ID token names, for the app: name, email, roles and groups (under
    /// the custom claim namespace when one is set).
    pub fn user(&self, session: &Session) -> serde_json::Value {
        let claims = oidc::unverified_claims(&session.id_token).unwrap_or_default();
        let read = oidc::claims::sdk_claims(&claims, self.namespace.as_deref(), UsernameClaim::Sub)
            .unwrap_or_else(|_| oidc::claims::lenient(&claims, self.namespace.as_deref()));
        serde_json::json!({
            "subject": read.subject,
            "name": read.name,
            "email": read.email,
            "roles": read.roles,
            "groups": read.groups,
            "expires_at": session.expires_at,
        })
    }
}

fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| authority.to_string())
}

/// A token endpoint's refusal in words: the provider's error code and description.
fn describe_token_error<E: std::error::Error>(
    err: &RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
) -> String {
    match err {
        RequestTokenError::ServerResponse(response) => {
            let code = response.error().to_string();
            match response.error_description() {
                Some(why) => format!("the provider refused it ({code}: {why})"),
                None => format!("the provider refused it ({code})"),
            }
        }
        RequestTokenError::Request(e) => {
            format!(
                "the provider cannot be reached ({})",
                crate::error::with_causes(e)
            )
        }
        RequestTokenError::Parse(e, _) => format!("the provider's answer cannot be read ({e})"),
        RequestTokenError::Other(why) => why.clone(),
    }
}
