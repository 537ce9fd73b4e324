//! Who may call what, as upstream's SDK server decides it, in one place for the mock and the view
//! (whose callers the metrics share): tokens (`token`), roles and their rules (`roles`, upstream's
//! `pkg/role`), the permission each method needs (`permissions`), and who may use a volume or
//! a credential (`ownership`, upstream's `api/ownership.go`).

pub mod ownership;
pub mod permissions;
pub mod roles;
pub mod token;

pub use token::{enforce, Auth, OidcTrust, DEFAULT_ISSUER, TOKEN_REJECTED};

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
