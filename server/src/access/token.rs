//! SDK authorization, as upstream's SDK server does it: an optional `authorization: bearer
//! <JWT>` header; the token's issuer picks who verifies it (HS256 tokens signed with a shared
//! secret, or ID tokens of a trusted OpenID provider, `--oidc-issuer`); roles from the token's
//! `roles` claim checked against the cluster's role rules (`access::roles`). No token is the
//! guest role. Codes and words are upstream's; a rejected token also says why.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tonic::Status;

use super::permissions::sdk_equivalent;
use super::roles::{Roles, GUEST};
use super::Caller;
use crate::oidc::{self, UsernameClaim};

pub const DEFAULT_ISSUER: &str = "openstorage.io";

/// What upstream answers for a token it cannot verify; the console recognises it.
pub const TOKEN_REJECTED: &str = "Unable to authenticate token";

#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    // Upstream requires these to be present (`pkg/auth/claims.go`).
    iat: Option<serde_json::Value>,
    name: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Issuer {
    #[serde(default)]
    iss: String,
}

/// Tokens signed with the cluster's shared secret.
#[derive(Clone)]
struct SharedSecret {
    key: DecodingKey,
    validation: Validation,
    issuer: String,
}

/// ID tokens of an OpenID provider the cluster trusts (upstream's `--oidc-issuer`,
/// `--oidc-client-id`, `--oidc-custom-claim-namespace` and `--username-claim`).
#[derive(Clone, Debug)]
pub struct OidcTrust {
    pub provider: Arc<oidc::Provider>,
    pub namespace: Option<String>,
    pub username: UsernameClaim,
}

#[derive(Clone)]
pub struct Auth {
    shared: Option<SharedSecret>,
    oidc: Option<OidcTrust>,
    roles: Arc<Roles>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("issuer", &self.shared.as_ref().map(|s| &s.issuer))
            .field("oidc", &self.oidc.as_ref().map(|o| o.provider.issuer()))
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// Auth with tokens signed with `shared_secret` by `issuer`.
    pub fn new(shared_secret: &str, issuer: &str) -> Auth {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // Expired means expired: the console warns before, the server is exact.
        validation.leeway = 0;
        Auth {
            shared: Some(SharedSecret {
                key: DecodingKey::from_secret(shared_secret.as_bytes()),
                validation,
                issuer: issuer.to_string(),
            }),
            oidc: None,
            roles: Arc::new(Roles::default()),
        }
    }

    /// Auth trusting only an OpenID provider's ID tokens.
    pub fn oidc(trust: OidcTrust) -> Auth {
        Auth {
            shared: None,
            oidc: Some(trust),
            roles: Arc::new(Roles::default()),
        }
    }

    /// Also trusts an OpenID provider's ID tokens, beside the shared secret's.
    pub fn with_oidc(mut self, trust: OidcTrust) -> Auth {
        self.oidc = Some(trust);
        self
    }

    /// Checks calls against these roles (the cluster's, which its Role service changes).
    pub fn with_roles(mut self, roles: Arc<Roles>) -> Auth {
        self.roles = roles;
        self
    }

    /// The issuer a token claims, read before its signature is checked (as upstream picks the
    /// authenticator by issuer).
    fn issuer_of(token: &str) -> Option<String> {
        jsonwebtoken::dangerous::insecure_decode_claims::<Issuer>(token)
            .ok()
            .map(|claims| claims.iss)
            .filter(|iss| !iss.is_empty())
    }

    /// Who the `authorization` header says is calling: UNAUTHENTICATED for a malformed header
    /// or an untrusted issuer, PERMISSION_DENIED for a token that does not verify.
    pub async fn caller(&self, header: Option<&str>) -> Result<Caller, Status> {
        let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(Caller::Guest);
        };
        let token = match header.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(Status::unauthenticated(
                    "Invalid or missing authentication token",
                ))
            }
        };
        let issuer = Self::issuer_of(token).ok_or_else(|| {
            Status::unauthenticated("Unable to obtain token issuer from authorization token")
        })?;
        let rejected = |why: String| Status::permission_denied(format!("{TOKEN_REJECTED}: {why}"));
        if let Some(shared) = self.shared.as_ref().filter(|s| s.issuer == issuer) {
            return shared.caller(token).map_err(rejected);
        }
        if let Some(trust) = self.oidc.as_ref().filter(|o| o.provider.is_issuer(&issuer)) {
            let verified = trust.provider.verify(token, None).await.map_err(rejected)?;
            let claims = oidc::claims::sdk_claims(
                &verified.claims,
                trust.namespace.as_deref(),
                trust.username,
            )
            .map_err(rejected)?;
            return Ok(Caller::User {
                subject: claims.username,
                roles: claims.roles,
                groups: claims.groups,
            });
        }
        Err(Status::unauthenticated(format!(
            "{issuer} is not a trusted issuer"
        )))
    }

    /// Whether the caller's roles let it call the method at `path`; PERMISSION_DENIED in
    /// upstream's words when not.
    pub async fn authorize(&self, path: &str, header: Option<&str>) -> Result<Caller, Status> {
        let path = sdk_equivalent(path).unwrap_or(path);
        let caller = self.caller(header).await?;
        let roles = match &caller {
            Caller::Guest => vec![GUEST.to_string()],
            Caller::User { roles, .. } => roles.clone(),
        };
        if self.roles.allow(&roles, path) {
            return Ok(caller);
        }
        Err(match &caller {
            Caller::Guest => Status::permission_denied("Access denied without authentication token"),
            Caller::User { .. } => Status::permission_denied(format!(
                "Access to {path} denied: rpc error: code = PermissionDenied desc = Access denied to roles: [{}]",
                roles.join(" ")
            )),
        })
    }
}

impl SharedSecret {
    /// The caller an HS256 token names; the error says why it is refused.
    fn caller(&self, token: &str) -> Result<Caller, String> {
        let claims = decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => "it has expired".to_string(),
                ErrorKind::InvalidSignature => {
                    "its signature does not match this cluster's shared secret".to_string()
                }
                ErrorKind::MissingRequiredClaim(claim) => format!("it has no `{claim}` claim"),
                ErrorKind::InvalidAlgorithm => "it is not signed with HS256".to_string(),
                _ => "it is not a valid JWT".to_string(),
            })?
            .claims;
        for (claim, present) in [
            ("iat", claims.iat.is_some()),
            ("name", claims.name.is_some()),
            ("email", claims.email.is_some()),
            ("sub", !claims.sub.is_empty()),
        ] {
            if !present {
                return Err(format!("it has no `{claim}` claim"));
            }
        }
        Ok(Caller::User {
            subject: claims.sub,
            roles: claims.roles,
            groups: claims.groups,
        })
    }
}

/// Axum middleware: rejects calls the caller may not make, with a gRPC status.
pub async fn enforce(State(auth): State<Arc<Auth>>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match auth.authorize(request.uri().path(), header).await {
        Ok(caller) => {
            // The services read who is calling from here (ownership of volumes).
            let mut request = request;
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(status) => status.into_http::<tonic::body::Body>().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{encode, EncodingKey, Header};
    use serde_json::json;

    const SECRET: &str = "s3cret";

    fn token(claims: serde_json::Value, secret: &str) -> String {
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap();
        format!("bearer {t}")
    }

    fn exp(offset: i64) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + offset
    }

    fn claims(sub: &str, roles: &[&str], expires_in: i64) -> serde_json::Value {
        json!({"iss": DEFAULT_ISSUER, "sub": sub, "name": sub, "email": format!("{sub}@example.com"),
               "roles": roles, "iat": exp(0), "exp": exp(expires_in)})
    }

    const CREATE_CRED: &str = "/openstorage.api.OpenStorageCredentials/Create";
    const LIST_VOLUMES: &str = "/openstorage.api.OpenStorageVolume/InspectWithFilters";
    const LIST_CREDS: &str = "/openstorage.api.OpenStorageCredentials/Enumerate";

    #[tokio::test]
    async fn guests_use_volumes_but_not_credentials() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        assert_eq!(
            auth.authorize(LIST_VOLUMES, None).await.unwrap(),
            Caller::Guest
        );
        let denied = auth.authorize(LIST_CREDS, None).await.unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            denied.message(),
            "Access denied without authentication token"
        );
    }

    #[tokio::test]
    async fn roles_decide_what_a_token_may_do() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let admin = token(claims("ada", &["system.admin"], 600), SECRET);
        assert!(auth.authorize(CREATE_CRED, Some(&admin)).await.is_ok());
        let viewer = token(claims("vic", &["system.view"], 600), SECRET);
        assert!(auth.authorize(LIST_CREDS, Some(&viewer)).await.is_ok());
        let err = auth
            .authorize(CREATE_CRED, Some(&viewer))
            .await
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Access to /openstorage.api.OpenStorageCredentials/Create denied: rpc error: code = PermissionDenied desc = Access denied to roles: [system.view]"
        );
    }

    #[tokio::test]
    async fn bad_tokens_get_upstreams_codes_with_the_reason() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let refused = |h: &str| {
            let (auth, h) = (auth.clone(), h.to_string());
            async move { auth.authorize(LIST_VOLUMES, Some(&h)).await.unwrap_err() }
        };
        let expired = refused(&token(claims("x", &["system.admin"], -10), SECRET)).await;
        assert_eq!(expired.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            expired.message(),
            "Unable to authenticate token: it has expired"
        );
        let forged = refused(&token(claims("x", &["system.admin"], 600), "other")).await;
        assert!(forged.message().starts_with(TOKEN_REJECTED));
        assert!(forged.message().contains("signature"));
        let mut no_email = claims("x", &[], 600);
        no_email.as_object_mut().unwrap().remove("email");
        assert!(refused(&token(no_email, SECRET))
            .await
            .message()
            .contains("`email`"));
        let mut other = claims("x", &[], 600);
        other["iss"] = json!("someone.else");
        let untrusted = refused(&token(other, SECRET)).await;
        assert_eq!(untrusted.code(), tonic::Code::Unauthenticated);
        assert_eq!(untrusted.message(), "someone.else is not a trusted issuer");
        assert_eq!(
            refused("bearer not.a.jwt").await.message(),
            "Unable to obtain token issuer from authorization token"
        );
        assert_eq!(
            refused("Basic dXNlcg==").await.message(),
            "Invalid or missing authentication token"
        );
    }
}
