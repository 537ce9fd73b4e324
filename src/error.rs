//! One error type for every SDK call, mapping gRPC status codes to messages a person can act on.

use tonic::Code;

/// What went wrong with an SDK call, in the terms the console shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The endpoint did not answer at all (network down, server stopped, wrong URL).
    #[error("Cannot reach the SDK endpoint: {0}")]
    Unreachable(String),
    /// The call ran past its deadline.
    #[error("The server is slow to answer (the request timed out): {0}")]
    Timeout(String),
    #[error("Your token was rejected: {0}")]
    Unauthenticated(String),
    #[error("Permission denied: {0}")]
    PermissionDenied(String),
    #[error("{0}")]
    InvalidArgument(String),
    #[error("Not found: {0}")]
    NotFound(String),
    #[error("Already exists: {0}")]
    AlreadyExists(String),
    #[error("This server does not implement that call: {0}")]
    Unimplemented(String),
    #[error("The server refused the request ({code}): {message}")]
    Server { code: String, message: String },
}

impl AppError {
    /// A stable name for the kind of error (for styling and tests).
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Unreachable(_) => "unreachable",
            AppError::Timeout(_) => "timeout",
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::PermissionDenied(_) => "permission-denied",
            AppError::InvalidArgument(_) => "invalid",
            AppError::NotFound(_) => "not-found",
            AppError::AlreadyExists(_) => "already-exists",
            AppError::Unimplemented(_) => "unimplemented",
            AppError::Server { .. } => "server",
        }
    }

    /// True when the failure is about reaching the server rather than the request itself;
    /// the connection indicator and polling backoff react only to these.
    pub fn is_connectivity(&self) -> bool {
        matches!(self, AppError::Unreachable(_) | AppError::Timeout(_))
    }
}

/// Whether a failure says the server has no such service (not implemented, or not set up on
/// this cluster: upstream's UNAVAILABLE "not initialized", `console_model::sdk_answers`)
/// rather than that the call failed: the screen says so instead of an error.
pub fn service_absent(status: &tonic::Status) -> bool {
    match status.code() {
        Code::Unimplemented => true,
        Code::Unavailable => console_model::sdk_answers::not_initialized(status.message()),
        _ => false,
    }
}

/// Whether a call was refused because the cluster does not offer it: the service is absent,
/// or its driver answers as upstream's do for what they lack (UNKNOWN "Not Supported",
/// "Operation not supported").
pub fn not_offered(status: &tonic::Status) -> bool {
    service_absent(status)
        || (status.code() == Code::Unknown
            && status
                .message()
                .to_ascii_lowercase()
                .contains("not supported"))
}

/// What upstream's SDK says for a token it cannot authenticate.
const UPSTREAM_TOKEN_REJECTED: &str = "Unable to authenticate token";

impl From<tonic::Status> for AppError {
    fn from(status: tonic::Status) -> Self {
        let message = status.message().to_string();
        match status.code() {
            Code::Unavailable => AppError::Unreachable(message),
            Code::DeadlineExceeded => AppError::Timeout(message),
            Code::Unauthenticated => AppError::Unauthenticated(message),
            // Upstream's SDK answers a token it cannot verify (expired, badly signed, missing
            // claims) with PERMISSION_DENIED and this text: it is a rejected token all the same.
            Code::PermissionDenied if message.starts_with(UPSTREAM_TOKEN_REJECTED) => {
                let why = message[UPSTREAM_TOKEN_REJECTED.len()..].trim_start_matches(": ");
                AppError::Unauthenticated(if why.is_empty() {
                    "the cluster could not verify it (expired, signed with another secret, or missing claims)"
                        .into()
                } else {
                    why.to_string()
                })
            }
            Code::PermissionDenied => AppError::PermissionDenied(message),
            Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
                AppError::InvalidArgument(message)
            }
            Code::NotFound => AppError::NotFound(message),
            Code::AlreadyExists => AppError::AlreadyExists(message),
            Code::Unimplemented => AppError::Unimplemented(message),
            // Upstream's storage policy check answers a plain error (UNKNOWN): it is the
            // request that is refused.
            Code::Unknown if message.starts_with("Storage Policy Violation") => {
                AppError::InvalidArgument(message)
            }
            other => AppError::Server {
                code: format!("{other:?}"),
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_services_are_told_from_failed_calls() {
        let osd = tonic::Status::unavailable("Resource has not been initialized");
        assert!(service_absent(&osd));
        assert!(service_absent(&tonic::Status::unimplemented(
            "unknown service"
        )));
        assert!(!service_absent(&tonic::Status::unavailable(
            "connection refused"
        )));
        assert!(!service_absent(&tonic::Status::internal(
            "Resource has not been initialized"
        )));
        assert!(not_offered(&tonic::Status::unknown("Not Supported")));
        assert!(not_offered(&tonic::Status::unknown(
            "Operation not supported"
        )));
        assert!(not_offered(&tonic::Status::unimplemented("")));
        assert!(!not_offered(&tonic::Status::unknown("disk on fire")));
        let violation =
            tonic::Status::unknown("Storage Policy Violation, valid specs are : size:1");
        assert_eq!(AppError::from(violation).kind(), "invalid");
    }

    #[test]
    fn upstreams_token_refusal_is_a_rejected_token_not_a_missing_role() {
        let e = AppError::from(tonic::Status::permission_denied(
            "Unable to authenticate token",
        ));
        assert_eq!(e.kind(), "unauthenticated");
        let e = AppError::from(tonic::Status::permission_denied(
            "Access denied without authentication token",
        ));
        assert_eq!(e.kind(), "permission-denied");
    }

    #[test]
    fn unavailable_is_a_connectivity_problem() {
        let err = AppError::from(tonic::Status::unavailable("connection refused"));
        assert_eq!(err, AppError::Unreachable("connection refused".into()));
        assert!(err.is_connectivity());
        assert!(err.to_string().starts_with("Cannot reach"));
    }

    #[test]
    fn request_errors_keep_the_server_message() {
        let err = AppError::from(tonic::Status::already_exists(
            "volume myvol exists with size 10",
        ));
        assert_eq!(
            err.to_string(),
            "Already exists: volume myvol exists with size 10"
        );
        assert!(!err.is_connectivity());
        let err = AppError::from(tonic::Status::invalid_argument("name must not be empty"));
        assert_eq!(err.to_string(), "name must not be empty");
    }

    #[test]
    fn deadline_is_reported_as_slow_server() {
        let err = AppError::from(tonic::Status::deadline_exceeded("timeout"));
        assert!(matches!(err, AppError::Timeout(_)));
        assert!(err.is_connectivity());
    }

    #[test]
    fn other_codes_name_the_code() {
        let err = AppError::from(tonic::Status::internal("disk on fire"));
        assert_eq!(
            err.to_string(),
            "The server refused the request (Internal): disk on fire"
        );
    }
}
