//! SDK authorization, as upstream's SDK server does it: an optional `authorization: bearer
//! <JWT>` header, HS256 tokens signed with a shared secret and an issuer, roles from the token's
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

#[derive(Clone)]
pub struct Auth {
    key: DecodingKey,
    validation: Validation,
    issuer: String,
    roles: Arc<Roles>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl Auth {
    pub fn new(shared_secret: &str, issuer: &str) -> Auth {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // Expired means expired: the console warns before, the server is exact.
        validation.leeway = 0;
        Auth {
            key: DecodingKey::from_secret(shared_secret.as_bytes()),
            validation,
            issuer: issuer.to_string(),
            roles: Arc::new(Roles::default()),
        }
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
    pub fn caller(&self, header: Option<&str>) -> Result<Caller, Status> {
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
        if issuer != self.issuer {
            return Err(Status::unauthenticated(format!(
                "{issuer} is not a trusted issuer"
            )));
        }
        let rejected = |why: String| Status::permission_denied(format!("{TOKEN_REJECTED}: {why}"));
        let claims = decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|err| {
                rejected(match err.kind() {
                    ErrorKind::ExpiredSignature => "it has expired".to_string(),
                    ErrorKind::InvalidSignature => {
                        "its signature does not match this cluster's shared secret".to_string()
                    }
                    ErrorKind::MissingRequiredClaim(claim) => format!("it has no `{claim}` claim"),
                    ErrorKind::InvalidAlgorithm => "it is not signed with HS256".to_string(),
                    _ => "it is not a valid JWT".to_string(),
                })
            })?
            .claims;
        for (claim, present) in [
            ("iat", claims.iat.is_some()),
            ("name", claims.name.is_some()),
            ("email", claims.email.is_some()),
            ("sub", !claims.sub.is_empty()),
        ] {
            if !present {
                return Err(rejected(format!("it has no `{claim}` claim")));
            }
        }
        Ok(Caller::User {
            subject: claims.sub,
            roles: claims.roles,
            groups: claims.groups,
        })
    }

    /// Whether the caller's roles let it call the method at `path`; PERMISSION_DENIED in
    /// upstream's words when not.
    pub fn authorize(&self, path: &str, header: Option<&str>) -> Result<Caller, Status> {
        let path = sdk_equivalent(path).unwrap_or(path);
        let caller = self.caller(header)?;
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

/// Axum middleware: rejects calls the caller may not make, with a gRPC status.
pub async fn enforce(State(auth): State<Arc<Auth>>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match auth.authorize(request.uri().path(), header) {
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

    #[test]
    fn guests_use_volumes_but_not_credentials() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        assert_eq!(auth.authorize(LIST_VOLUMES, None).unwrap(), Caller::Guest);
        let denied = auth.authorize(LIST_CREDS, None).unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            denied.message(),
            "Access denied without authentication token"
        );
    }

    #[test]
    fn roles_decide_what_a_token_may_do() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let admin = token(claims("ada", &["system.admin"], 600), SECRET);
        assert!(auth.authorize(CREATE_CRED, Some(&admin)).is_ok());
        let viewer = token(claims("vic", &["system.view"], 600), SECRET);
        assert!(auth.authorize(LIST_CREDS, Some(&viewer)).is_ok());
        let err = auth.authorize(CREATE_CRED, Some(&viewer)).unwrap_err();
        assert_eq!(
            err.message(),
            "Access to /openstorage.api.OpenStorageCredentials/Create denied: rpc error: code = PermissionDenied desc = Access denied to roles: [system.view]"
        );
    }

    #[test]
    fn bad_tokens_get_upstreams_codes_with_the_reason() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let refused = |h: &str| auth.authorize(LIST_VOLUMES, Some(h)).unwrap_err();
        let expired = refused(&token(claims("x", &["system.admin"], -10), SECRET));
        assert_eq!(expired.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            expired.message(),
            "Unable to authenticate token: it has expired"
        );
        let forged = refused(&token(claims("x", &["system.admin"], 600), "other"));
        assert!(forged.message().starts_with(TOKEN_REJECTED));
        assert!(forged.message().contains("signature"));
        let mut no_email = claims("x", &[], 600);
        no_email.as_object_mut().unwrap().remove("email");
        assert!(refused(&token(no_email, SECRET))
            .message()
            .contains("`email`"));
        let mut other = claims("x", &[], 600);
        other["iss"] = json!("someone.else");
        let untrusted = refused(&token(other, SECRET));
        assert_eq!(untrusted.code(), tonic::Code::Unauthenticated);
        assert_eq!(untrusted.message(), "someone.else is not a trusted issuer");
        assert_eq!(
            refused("bearer not.a.jwt").message(),
            "Unable to obtain token issuer from authorization token"
        );
        assert_eq!(
            refused("Basic dXNlcg==").message(),
            "Invalid or missing authentication token"
        );
    }
}
