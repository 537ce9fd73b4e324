//! The rules that decide what a token's roles may call, as upstream's `pkg/role` does: four system roles (admin, view, user, and guest for calls without a
//! token), custom roles made of rules (services and APIs, with `*` patterns and `!` denials),
//! and any of a caller's roles allowing a method is enough.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::proto::{SdkRole, SdkRule};

pub const GUEST: &str = "system.guest";

fn rule(services: &[&str], apis: &[&str]) -> SdkRule {
    SdkRule {
        services: services.iter().map(|s| s.to_string()).collect(),
        apis: apis.iter().map(|s| s.to_string()).collect(),
    }
}

fn role(name: &str, rules: Vec<SdkRule>) -> SdkRole {
    SdkRole {
        name: name.into(),
        rules,
    }
}

/// Upstream's system roles, rule for rule.
pub fn system_roles() -> Vec<SdkRole> {
    vec![
        role("system.admin", vec![rule(&["*"], &["*"])]),
        role(
            "system.view",
            vec![
                rule(
                    &["*"],
                    &[
                        "*enumerate*",
                        "inspect*",
                        "stats",
                        "status",
                        "validate",
                        "capacityusage",
                        "watch",
                    ],
                ),
                rule(&["identity"], &["*"]),
            ],
        ),
        role(
            "system.user",
            vec![
                rule(
                    &[
                        "volume",
                        "cloudbackup",
                        "credentials",
                        "objectstore",
                        "schedulepolicy",
                        "mountattach",
                        "migrate",
                    ],
                    &["*"],
                ),
                rule(&["cluster", "node"], &["inspect*", "enumerate*"]),
                rule(&["identity"], &["*"]),
                rule(&["policy"], &["*enumerate*", "*inspect*"]),
            ],
        ),
        role(
            GUEST,
            vec![
                rule(&["mountattach", "volume", "cloudbackup", "migrate"], &["*"]),
                rule(&["identity"], &["version"]),
                rule(&["cluster", "node"], &["inspect*", "enumerate*"]),
            ],
        ),
    ]
}

/// System roles that can never change; the guest role may be edited (to lock guests out).
pub fn immutable(name: &str) -> bool {
    matches!(name, "system.admin" | "system.view" | "system.user")
}

/// `*`, `*x`, `x*`, `*x*` or an exact name, compared in lower case.
fn matches(pattern: &str, value: &str) -> bool {
    let pattern = pattern.to_lowercase();
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        _ if pattern == "*" => true,
        (Some(rest), _) if rest.ends_with('*') => value.contains(&rest[..rest.len() - 1]),
        (Some(rest), _) => value.ends_with(rest),
        (None, Some(rest)) => value.starts_with(rest),
        (None, None) => value == pattern,
    }
}

/// Whether one rule list lets a call through: denials (`!pattern`) first, then allows.
fn rules_allow(rules: &[SdkRule], service: &str, api: &str) -> bool {
    let hit = |patterns: &[String], value: &str, deny: bool| {
        patterns.iter().any(|p| match p.strip_prefix('!') {
            Some(p) if deny => matches(p, value),
            None if !deny => matches(p, value),
            _ => false,
        })
    };
    let denied = rules.iter().any(|r| {
        hit(&r.services, service, true)
            || (hit(&r.services, service, false) && hit(&r.apis, api, true))
    });
    !denied
        && rules
            .iter()
            .any(|r| hit(&r.services, service, false) && hit(&r.apis, api, false))
}

/// `/openstorage.api.OpenStorageCloudBackup/SchedCreate` → (`cloudbackup`, `schedcreate`).
fn service_and_api(path: &str) -> (String, String) {
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let service = parts.next().unwrap_or("").to_lowercase();
    let service = service
        .strip_prefix("openstorage.api.openstorage")
        .unwrap_or(&service)
        .to_string();
    (service, parts.next().unwrap_or("").to_lowercase())
}

/// Every role the cluster knows, shared by the Role service and the auth layer.
#[derive(Debug)]
pub struct Roles {
    roles: Mutex<BTreeMap<String, SdkRole>>,
}

impl Default for Roles {
    fn default() -> Self {
        Roles {
            roles: Mutex::new(
                system_roles()
                    .into_iter()
                    .map(|r| (r.name.clone(), r))
                    .collect(),
            ),
        }
    }
}

impl Roles {
    /// The roles by name, for the Role service to read and change.
    pub fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, SdkRole>> {
        self.roles.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether any of `names` (unknown ones are skipped) may call the method at `path`.
    pub fn allow(&self, names: &[String], path: &str) -> bool {
        let (service, api) = service_and_api(path);
        let roles = self.lock();
        names
            .iter()
            .filter_map(|n| roles.get(n))
            .any(|r| rules_allow(&r.rules, &service, &api))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(roles: &Roles, role: &str, path: &str) -> bool {
        roles.allow(&[role.to_string()], &format!("/openstorage.api.{path}"))
    }

    #[test]
    fn system_roles_allow_what_upstreams_do() {
        let r = Roles::default();
        // Guests may change volumes and run backups, but not see credentials or policies.
        assert!(allow(&r, GUEST, "OpenStorageVolume/Create"));
        assert!(allow(&r, GUEST, "OpenStorageCloudBackup/Create"));
        assert!(!allow(&r, GUEST, "OpenStorageCredentials/Enumerate"));
        assert!(!allow(&r, GUEST, "OpenStorageSchedulePolicy/Enumerate"));
        assert!(!allow(&r, GUEST, "OpenStorageIdentity/Capabilities"));
        assert!(allow(&r, GUEST, "OpenStorageIdentity/Version"));
        // Viewers read and validate, but do not read history or the catalog.
        assert!(allow(&r, "system.view", "OpenStorageCredentials/Validate"));
        assert!(allow(
            &r,
            "system.view",
            "OpenStorageCloudBackup/EnumerateWithFilters"
        ));
        assert!(!allow(&r, "system.view", "OpenStorageCloudBackup/History"));
        assert!(!allow(&r, "system.view", "OpenStorageVolume/Create"));
        // Users do everything with storage, nothing with roles.
        assert!(allow(&r, "system.user", "OpenStorageCredentials/Create"));
        assert!(!allow(&r, "system.user", "OpenStorageRole/Enumerate"));
        assert!(allow(&r, "system.admin", "OpenStorageRole/Create"));
        assert!(!allow(&r, "no.such.role", "OpenStorageVolume/Inspect"));
    }

    #[test]
    fn patterns_and_denials() {
        assert!(matches("*enumerate*", "snapshotenumeratewithfilters"));
        assert!(matches("inspect*", "inspectcurrent"));
        assert!(matches("*filters", "enumeratewithfilters"));
        assert!(!matches("stats", "statsx"));
        let rules = vec![
            rule(&["volume"], &["*", "!delete"]),
            rule(&["!credentials"], &["*"]),
        ];
        assert!(rules_allow(&rules, "volume", "create"));
        assert!(!rules_allow(&rules, "volume", "delete"));
        assert!(!rules_allow(&rules, "credentials", "enumerate"));
    }
}
