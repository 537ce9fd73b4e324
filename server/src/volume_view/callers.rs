//! Who a browser is, on a cluster console-server reads with its own token: the cluster itself
//! says whether it accepts the browser's token and lets its roles make the call the browser
//! wants the console's answer to (list volumes, read stats, enumerate alerts), by answering
//! that call made with the token about something that does not exist (a listing of a name no
//! volume has, the stats of no volume). So every issuer the cluster
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
use crate::proto::open_storage_alerts_client::OpenStorageAlertsClient;
use crate::proto::open_storage_volume_client::OpenStorageVolumeClient;
use crate::proto::{
    sdk_alerts_query, ResourceType, SdkAlertsEnumerateWithFiltersRequest, SdkAlertsQuery,
    SdkAlertsResourceIdQuery, SdkVolumeInspectWithFiltersRequest, SdkVolumeStatsRequest,
};

/// Answers remembered at most; past this, expired ones are dropped, then all.
const REMEMBERED: usize = 10_000;
const ASK_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Default, Deserialize)]
struct Claims {
    #[serde(default)]
    sub: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    exp: Option<u64>,
}

/// What a caller wants to read, by the SDK call the cluster would need to let them make
/// (`access::permissions::sdk_equivalent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// Volumes: InspectWithFilters.
    Volumes,
    /// A volume's, a node's or the cluster's I/O: Stats.
    Stats,
    /// The alarm count: Alerts.EnumerateWithFilters.
    Alarms,
}

struct Answer {
    until: Instant,
    caller: Result<Caller, Status>,
}

/// The cluster's answers about tokens, each kept until `recheck` or the token's expiry.
pub struct Callers {
    upstream: Upstream,
    recheck: Duration,
    /// A name and id no volume has: the checks read nothing.
    probe_name: String,
    answers: Mutex<HashMap<(String, Need), Answer>>,
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

    /// Who the `authorization` header (None: a guest) says is calling, as the cluster sees it,
    /// if the cluster would let them make the call `need` stands for.
    pub async fn caller(&self, header: Option<&str>, need: Need) -> Result<Caller, Status> {
        let key = (header.unwrap_or_default().to_string(), need);
        let now = Instant::now();
        if let Some(answer) = self.lock().get(&key).filter(|a| a.until > now) {
            return answer.caller.clone();
        }
        let claims = header.map(claims_of);
        let refusal = match header.map(str::parse::<tonic::metadata::AsciiMetadataValue>) {
            Some(Err(_)) => Some(Status::unauthenticated(
                "Invalid or missing authentication token",
            )),
            header => self.ask(header.and_then(Result::ok), need).await.err(),
        };
        let caller = match (refusal, claims.clone()) {
            (Some(status), _) => Err(status),
            (None, None) => Ok(Caller::Guest),
            (None, Some(claims)) => Ok(Caller::User {
                subject: claims.sub,
                roles: claims.roles,
                groups: claims.groups,
            }),
        };
        // The cluster's verdict lasts; a cluster that did not answer is asked again next time.
        let lasting = caller.as_ref().map_or_else(|s| refused(s.code()), |_| true);
        let expiry = claims.and_then(|c| c.exp).map(|exp| {
            let left = exp.saturating_sub(crate::unix_time::now().max(0) as u64);
            now + Duration::from_secs(left)
        });
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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, Need), Answer>> {
        self.answers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes the call `need` stands for with the caller's token, about nothing that exists.
    /// Any answer but a refusal (or silence) means the cluster let the call through: NOT_FOUND
    /// and the like come from past its token and role checks.
    async fn ask(
        &self,
        header: Option<tonic::metadata::AsciiMetadataValue>,
        need: Need,
    ) -> Result<(), Status> {
        let (channel, origin) = self.upstream.caller_channel();
        let answer = match need {
            Need::Volumes => OpenStorageVolumeClient::with_origin(channel, origin)
                .inspect_with_filters(asking(
                    SdkVolumeInspectWithFiltersRequest {
                        name: self.probe_name.clone(),
                        ..Default::default()
                    },
                    header.as_ref(),
                ))
                .await
                .map(drop),
            Need::Stats => OpenStorageVolumeClient::with_origin(channel, origin)
                .stats(asking(
                    SdkVolumeStatsRequest {
                        volume_id: self.probe_name.clone(),
                        not_cumulative: false,
                    },
                    header.as_ref(),
                ))
                .await
                .map(drop),
            Need::Alarms => {
                let query = SdkAlertsQuery {
                    query: Some(sdk_alerts_query::Query::ResourceIdQuery(
                        SdkAlertsResourceIdQuery {
                            resource_type: ResourceType::Volume as i32,
                            alert_type: 0,
                            resource_id: self.probe_name.clone(),
                        },
                    )),
                    opts: Vec::new(),
                };
                match OpenStorageAlertsClient::with_origin(channel, origin)
                    .enumerate_with_filters(asking(
                        SdkAlertsEnumerateWithFiltersRequest {
                            queries: vec![query],
                        },
                        header.as_ref(),
                    ))
                    .await
                {
                    Ok(answer) => {
                        let mut stream = answer.into_inner();
                        loop {
                            match stream.message().await {
                                Ok(Some(_)) => continue,
                                Ok(None) => break Ok(()),
                                Err(status) => break Err(status),
                            }
                        }
                    }
                    Err(status) => Err(status),
                }
            }
        };
        match answer {
            // The cluster's handler says it has no such service (upstream's `osd` keeps no
            // alerts): that answer comes past its token and role checks, so the caller passed.
            Err(status)
                if status.code() == Code::Unavailable
                    && console_model::sdk_answers::not_initialized(status.message()) =>
            {
                Ok(())
            }
            Err(status) if refused(status.code()) || unanswered(status.code()) => Err(status),
            _ => Ok(()),
        }
    }
}

/// A call carrying the caller's token, with a deadline.
fn asking<T>(
    message: T,
    header: Option<&tonic::metadata::AsciiMetadataValue>,
) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(ASK_DEADLINE);
    if let Some(header) = header {
        request
            .metadata_mut()
            .insert("authorization", header.clone());
    }
    request
}

/// The cluster refused the token or its roles.
fn refused(code: Code) -> bool {
    matches!(code, Code::Unauthenticated | Code::PermissionDenied)
}

/// The cluster did not answer: nothing is known.
fn unanswered(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled
    )
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
