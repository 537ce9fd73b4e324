//! Who a browser is, on a cluster console-server reads with its own token: the cluster itself
//! says whether it accepts the browser's token and lets its roles list volumes, by answering
//! one tiny listing (a name no volume has) made with that token. So every issuer the cluster
//! trusts (shared secret, RSA or ECDSA keys, OIDC) works without configuring it twice, a
//! refused token gets the cluster's own error, and a role removed from the cluster stops
//! working here within `--token-recheck`. Once the cluster has accepted a token its claims
//! (subject, roles, groups) decide, with upstream's ownership rules, which rows it sees.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tonic::{Code, Status};

use crate::access::Caller;
use crate::gateway::Upstream;
use crate::proto::open_storage_volume_client::OpenStorageVolumeClient;
use crate::proto::SdkVolumeInspectWithFiltersRequest;

/// Answers remembered at most; past this, expired ones are dropped, then all.
const REMEMBERED: usize = 10_000;
const ASK_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Debug, Default, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    exp: Option<u64>,
}

struct Answer {
    until: Instant,
    caller: Result<Caller, Status>,
}

/// The cluster's answers about tokens, each kept until `recheck` or the token's expiry.
pub struct Callers {
    upstream: Upstream,
    recheck: Duration,
    /// A name no volume has: the check lists nothing.
    probe_name: String,
    answers: Mutex<HashMap<String, Answer>>,
}

impl std::fmt::Debug for Callers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callers")
            .field("recheck", &self.recheck)
            .finish_non_exhaustive()
    }
}

impl Callers {
    pub fn new(upstream: Upstream, recheck: Duration) -> Callers {
        Callers {
            upstream,
            recheck,
            probe_name: format!("console-access-check-{}", uuid::Uuid::new_v4()),
            answers: Mutex::default(),
        }
    }

    /// Who the `authorization` header (None: a guest) says is calling, as the cluster sees it.
    pub async fn caller(&self, header: Option<&str>) -> Result<Caller, Status> {
        let key = header.unwrap_or_default().to_string();
        let now = Instant::now();
        if let Some(answer) = self.lock().get(&key).filter(|a| a.until > now) {
            return answer.caller.clone();
        }
        let (caller, expiry) = self.ask(header).await;
        let lasting = caller.is_ok()
            || caller
                .as_ref()
                .is_err_and(|s| matches!(s.code(), Code::Unauthenticated | Code::PermissionDenied));
        let until = expiry.map_or(now + self.recheck, |e| e.min(now + self.recheck));
        if lasting && until > now {
            let mut answers = self.lock();
            if answers.len() >= REMEMBERED {
                answers.retain(|_, a| a.until > now);
                if answers.len() >= REMEMBERED {
                    answers.clear();
                }
            }
            answers.insert(
                key,
                Answer {
                    until,
                    caller: caller.clone(),
                },
            );
        }
        caller
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Answer>> {
        self.answers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks the cluster; the caller, and when the token expires.
    async fn ask(&self, header: Option<&str>) -> (Result<Caller, Status>, Option<Instant>) {
        let (channel, origin) = self.upstream.caller_channel();
        let mut client = OpenStorageVolumeClient::with_origin(channel, origin);
        let mut request = tonic::Request::new(SdkVolumeInspectWithFiltersRequest {
            name: self.probe_name.clone(),
            ..Default::default()
        });
        request.set_timeout(ASK_DEADLINE);
        if let Some(header) = header {
            match header.parse() {
                Ok(value) => {
                    request.metadata_mut().insert("authorization", value);
                }
                Err(_) => {
                    return (
                        Err(Status::unauthenticated(
                            "Invalid or missing authentication token",
                        )),
                        None,
                    )
                }
            }
        }
        let claims = header.map(claims_of);
        let expiry = claims.as_ref().and_then(|c| c.exp).map(|exp| {
            let left = exp.saturating_sub(crate::view::unix_now().max(0) as u64);
            Instant::now() + Duration::from_secs(left)
        });
        let answer = match client.inspect_with_filters(request).await {
            Err(status) => Err(status),
            Ok(_) => Ok(match claims {
                None => Caller::Guest,
                Some(claims) => Caller::User {
                    subject: claims.sub,
                    roles: claims.roles,
                    groups: claims.groups,
                },
            }),
        };
        (answer, expiry)
    }
}

/// The claims of a token the cluster is asked about; read without checking the signature,
/// which is the cluster's to check (a token it refuses is never used).
fn claims_of(header: &str) -> Claims {
    let token = header
        .split_once(' ')
        .map_or(header, |(_, token)| token)
        .trim();
    jsonwebtoken::dangerous::insecure_decode_claims::<Claims>(token).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_from_the_bearer_token() {
        let key = jsonwebtoken::EncodingKey::from_secret(b"s");
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &serde_json::json!({"sub": "alice", "roles": ["system.user"], "groups": ["a"], "exp": 42}),
            &key,
        )
        .unwrap();
        let claims = claims_of(&format!("bearer {token}"));
        assert_eq!(claims.sub, "alice");
        assert_eq!(claims.roles, ["system.user"]);
        assert_eq!(claims.groups, ["a"]);
        assert_eq!(claims.exp, Some(42));
        assert_eq!(claims_of("bearer not-a-jwt").sub, "");
    }
}
