//! SDK authorization, as OpenStorage clusters do it: an optional `authorization: bearer <JWT>`
//! header, HS256 tokens signed with a shared secret and an issuer. No token is the guest role.
//!
//! Roles (the `roles` claim): `system.admin` and `system.user` may call everything,
//! `system.view` may call every read, and a guest may read the cluster, nodes, volumes and
//! schedule policies, but not credentials or backups.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use tonic::Status;

pub const DEFAULT_ISSUER: &str = "openstorage.io";

#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
}

/// Who is calling, as far as authorization cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Guest,
    User {
        subject: String,
        roles: Vec<String>,
        /// The token's `groups` claim; `*` makes a user an administrator of every resource,
        /// as upstream decides ownership (a role alone does not).
        groups: Vec<String>,
    },
}

/// What a method needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Guests may call it.
    GuestRead,
    /// Any read role (system.view and up).
    Read,
    /// system.user or system.admin.
    Write,
}

/// Sorts a gRPC path (`/openstorage.api.OpenStorageVolume/Create`) by what it needs.
fn need(path: &str) -> Need {
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let service = parts
        .next()
        .unwrap_or("")
        .trim_start_matches("openstorage.api.");
    let method = parts.next().unwrap_or("");
    let read = method.starts_with("Inspect")
        || method.starts_with("Enumerate")
        || method.starts_with("SnapshotEnumerate")
        || matches!(
            method,
            "Stats"
                | "CapacityUsage"
                | "Status"
                | "History"
                | "Catalog"
                | "SchedEnumerate"
                | "Version"
                | "Capabilities"
        );
    let guest_service = matches!(
        service,
        "OpenStorageIdentity"
            | "OpenStorageCluster"
            | "OpenStorageNode"
            | "OpenStorageVolume"
            | "OpenStorageSchedulePolicy"
    );
    match (read, guest_service) {
        (true, true) => Need::GuestRead,
        (true, false) => Need::Read,
        (false, _) => Need::Write,
    }
}

/// Short method name for messages: `OpenStorageVolume.Create`.
fn method_name(path: &str) -> String {
    path.trim_start_matches('/')
        .trim_start_matches("openstorage.api.")
        .replace('/', ".")
}

#[derive(Clone)]
pub struct Auth {
    key: DecodingKey,
    validation: Validation,
    issuer: String,
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
        validation.set_required_spec_claims(&["exp", "iss"]);
        // Expired means expired: the console warns before, the server is exact.
        validation.leeway = 0;
        Auth {
            key: DecodingKey::from_secret(shared_secret.as_bytes()),
            validation,
            issuer: issuer.to_string(),
        }
    }

    /// Who the `authorization` header says is calling; UNAUTHENTICATED for a bad token.
    pub fn caller(&self, header: Option<&str>) -> Result<Caller, Status> {
        let Some(header) = header else {
            return Ok(Caller::Guest);
        };
        let token = header
            .strip_prefix("bearer ")
            .or_else(|| header.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Status::unauthenticated(
                    "the token was rejected: send it as `authorization: bearer <token>`",
                )
            })?;
        let claims = decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|err| {
                let why = match err.kind() {
                    ErrorKind::ExpiredSignature => "it has expired".to_string(),
                    ErrorKind::InvalidIssuer => format!("its issuer is not {}", self.issuer),
                    ErrorKind::InvalidSignature => {
                        "its signature does not match this cluster's shared secret".to_string()
                    }
                    ErrorKind::MissingRequiredClaim(claim) => format!("it has no `{claim}` claim"),
                    ErrorKind::InvalidAlgorithm => "it is not signed with HS256".to_string(),
                    _ => "it is not a valid JWT".to_string(),
                };
                Status::unauthenticated(format!("the token was rejected: {why}"))
            })?
            .claims;
        let subject = if claims.sub.is_empty() {
            claims.name
        } else {
            claims.sub
        };
        Ok(Caller::User {
            subject,
            roles: claims.roles,
            groups: claims.groups,
        })
    }

    /// Whether the caller may call the method at `path`; PERMISSION_DENIED says what is needed.
    pub fn authorize(&self, path: &str, header: Option<&str>) -> Result<Caller, Status> {
        let caller = self.caller(header)?;
        let need = need(path);
        let allowed = match &caller {
            Caller::Guest => need == Need::GuestRead,
            Caller::User { roles, .. } => {
                let has = |r: &str| roles.iter().any(|x| x == r);
                has("system.admin")
                    || has("system.user")
                    || (need != Need::Write && has("system.view"))
                    || need == Need::GuestRead
            }
        };
        if allowed {
            return Ok(caller);
        }
        let method = method_name(path);
        let roles_needed = match need {
            Need::Write => "the system.user or system.admin role",
            _ => "the system.view, system.user or system.admin role",
        };
        Err(match &caller {
            Caller::Guest => Status::permission_denied(format!(
                "{method} needs a token with {roles_needed}; without a token (guest) you may only read the cluster, nodes, volumes and schedule policies"
            )),
            Caller::User { subject, roles, .. } => Status::permission_denied(format!(
                "{method} needs {roles_needed}; the token for {subject} has {}",
                if roles.is_empty() { "no roles".to_string() } else { roles.join(", ") }
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

    const CREATE_CRED: &str = "/openstorage.api.OpenStorageCredentials/Create";
    const LIST_VOLUMES: &str = "/openstorage.api.OpenStorageVolume/InspectWithFilters";
    const LIST_CREDS: &str = "/openstorage.api.OpenStorageCredentials/Enumerate";

    #[test]
    fn methods_are_sorted_by_what_they_need() {
        assert_eq!(need(LIST_VOLUMES), Need::GuestRead);
        assert_eq!(
            need("/openstorage.api.OpenStorageIdentity/Version"),
            Need::GuestRead
        );
        assert_eq!(need(LIST_CREDS), Need::Read);
        assert_eq!(
            need("/openstorage.api.OpenStorageCloudBackup/Status"),
            Need::Read
        );
        assert_eq!(
            need("/openstorage.api.OpenStorageVolume/Create"),
            Need::Write
        );
        assert_eq!(need(CREATE_CRED), Need::Write);
    }

    #[test]
    fn guests_read_volumes_but_not_credentials() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        assert_eq!(auth.authorize(LIST_VOLUMES, None).unwrap(), Caller::Guest);
        let denied = auth.authorize(LIST_CREDS, None).unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
        assert!(
            denied.message().contains("needs a token"),
            "{}",
            denied.message()
        );
    }

    #[test]
    fn roles_decide_what_a_token_may_do() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let admin = token(
            json!({"iss": DEFAULT_ISSUER, "sub": "ada", "roles": ["system.admin"], "exp": exp(600)}),
            SECRET,
        );
        assert!(auth.authorize(CREATE_CRED, Some(&admin)).is_ok());
        let viewer = token(
            json!({"iss": DEFAULT_ISSUER, "sub": "vic", "roles": ["system.view"], "exp": exp(600)}),
            SECRET,
        );
        assert!(auth.authorize(LIST_CREDS, Some(&viewer)).is_ok());
        let err = auth.authorize(CREATE_CRED, Some(&viewer)).unwrap_err();
        assert!(
            err.message().contains("the token for vic has system.view"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn bad_tokens_are_unauthenticated_with_the_reason() {
        let auth = Auth::new(SECRET, DEFAULT_ISSUER);
        let reason = |h: &str| {
            let e = auth.authorize(LIST_VOLUMES, Some(h)).unwrap_err();
            assert_eq!(e.code(), tonic::Code::Unauthenticated);
            e.message().to_string()
        };
        let claims = |iss: &str, e: i64| json!({"iss": iss, "sub": "x", "roles": ["system.admin"], "exp": exp(e)});
        assert!(reason(&token(claims(DEFAULT_ISSUER, -10), SECRET)).contains("expired"));
        assert!(reason(&token(claims(DEFAULT_ISSUER, 600), "other")).contains("signature"));
        assert!(reason(&token(claims("someone.else", 600), SECRET)).contains("issuer"));
        assert!(reason("bearer not.a.jwt").contains("not a valid JWT"));
        assert!(reason("Basic dXNlcg==").contains("bearer"));
    }
}
