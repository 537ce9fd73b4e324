//! Who may do what to a volume, as upstream's `api/ownership.go` decides it: with auth on, a
//! volume belongs to the token's subject that created it; the owner, collaborators and groups
//! its ACL names, and users whose `groups` claim holds `*`, may use it. Without auth (no caller
//! known) everything is allowed, as upstream.

use tonic::{Request, Status};

use super::Caller;
use crate::proto::ownership::AccessType;
use crate::proto::{Ownership, Volume};

/// Who is calling, when auth is on (the auth layer puts it on the request).
pub fn caller_of<T>(request: &Request<T>) -> Option<Caller> {
    request.extensions().get::<Caller>().cloned()
}

/// The ownership a new volume or credential gets: the token's subject as owner (the ACL as asked); none for a
/// guest, so the volume is public; as sent when auth is off.
pub fn for_new(caller: Option<&Caller>, requested: Option<Ownership>) -> Option<Ownership> {
    match caller {
        None => requested,
        Some(Caller::Guest) => None,
        Some(Caller::User { subject, .. }) => Some(Ownership {
            owner: subject.clone(),
            acls: requested.and_then(|o| o.acls),
        }),
    }
}

/// A clone belongs to whoever made it when that is not the parent's owner (ACL dropped), as
/// upstream's `GetCloneCreatorOwnership`.
pub fn for_clone(caller: Option<&Caller>, parent: Option<Ownership>) -> Option<Ownership> {
    match caller {
        Some(Caller::User { subject, .. })
            if parent.as_ref().is_none_or(|p| p.owner != *subject) =>
        {
            Some(Ownership {
                owner: subject.clone(),
                acls: None,
            })
        }
        _ => parent,
    }
}

/// Upstream's `IsPermitted` for a volume.
pub fn permitted(volume: &Volume, caller: Option<&Caller>, need: AccessType) -> bool {
    let ownership = volume.spec.as_ref().and_then(|s| s.ownership.as_ref());
    owner_permits(ownership, caller, need)
}

/// Upstream's `IsPermitted` for any owned resource (volumes, credentials).
pub fn owner_permits(
    ownership: Option<&Ownership>,
    caller: Option<&Caller>,
    need: AccessType,
) -> bool {
    let Some(caller) = caller else {
        return true;
    };
    let Some(ownership) = ownership.filter(|o| !o.owner.is_empty()) else {
        return true;
    };
    let acls = ownership.acls.clone().unwrap_or_default();
    let at_least = |t: i32| t >= need as i32;
    if acls.public.as_ref().is_some_and(|p| at_least(p.r#type)) {
        return true;
    }
    let Caller::User {
        subject, groups, ..
    } = caller
    else {
        return false;
    };
    if subject.is_empty() {
        return false;
    }
    if ownership.owner == *subject || groups.iter().any(|g| g == "*") {
        return true;
    }
    let group_ok = groups
        .iter()
        .map(String::as_str)
        .chain(["*"])
        .any(|g| acls.groups.get(g).is_some_and(|t| at_least(*t)));
    let collaborator_ok = [subject.as_str(), "*"]
        .into_iter()
        .any(|u| acls.collaborators.get(u).is_some_and(|t| at_least(*t)));
    group_ok || collaborator_ok
}

/// Upstream's `Ownership.Update`: with auth, only the owner, an administrator (groups `*`) or
/// someone with admin access may change the ACL, and only an administrator the owner.
pub fn update(
    mut current: Ownership,
    requested: Ownership,
    caller: Option<&Caller>,
) -> Result<Ownership, Status> {
    let Some(caller) = caller else {
        return Ok(requested);
    };
    let (subject, admin) = match caller {
        Caller::Guest => ("", false),
        Caller::User {
            subject, groups, ..
        } => (subject.as_str(), groups.iter().any(|g| g == "*")),
    };
    if subject != current.owner
        && !admin
        && !owner_permits(Some(&current), Some(caller), AccessType::Admin)
    {
        return Err(Status::permission_denied(
            "Only owner or those with admin access type can update volume acls",
        ));
    }
    if !requested.owner.is_empty() {
        if !admin {
            return Err(Status::permission_denied(
                "Only the administrator can change the owner of the resource",
            ));
        }
        current.owner = requested.owner;
    }
    current.acls = requested.acls;
    Ok(current)
}

/// Upstream's `IsAdminByUser` / `IsAdminByContext`: no auth, or a user whose groups hold `*`
/// (a role alone does not make an administrator of resources).
pub fn is_admin(caller: Option<&Caller>) -> bool {
    match caller {
        None => true,
        Some(Caller::Guest) => false,
        Some(Caller::User { groups, .. }) => groups.iter().any(|g| g == "*"),
    }
}

/// PERMISSION_DENIED in upstream's words unless `caller` may `need` the volume.
pub fn check(volume: &Volume, caller: Option<&Caller>, need: AccessType) -> Result<(), Status> {
    if permitted(volume, caller, need) {
        return Ok(());
    }
    Err(Status::permission_denied(match need {
        AccessType::Admin => format!("Cannot delete volume {}", volume.id),
        _ => format!("Access denied to volume {}", volume.id),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::ownership::{AccessControl, PublicAccessControl};
    use crate::proto::VolumeSpec;

    fn user(subject: &str, groups: &[&str]) -> Caller {
        Caller::User {
            subject: subject.into(),
            roles: vec!["system.user".into()],
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn owned(owner: &str, acls: Option<AccessControl>) -> Volume {
        Volume {
            id: "v1".into(),
            spec: Some(VolumeSpec {
                ownership: Some(Ownership {
                    owner: owner.into(),
                    acls,
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn owners_collaborators_groups_and_star_admins() {
        let acls = AccessControl {
            collaborators: [("bob".to_string(), AccessType::Read as i32)].into(),
            groups: [("ops".to_string(), AccessType::Write as i32)].into(),
            public: None,
        };
        let v = owned("ada", Some(acls));
        let (ada, bob, eve) = (user("ada", &[]), user("bob", &[]), user("eve", &[]));
        assert!(permitted(&v, Some(&ada), AccessType::Admin));
        assert!(permitted(&v, Some(&bob), AccessType::Read));
        assert!(!permitted(&v, Some(&bob), AccessType::Write));
        assert!(!permitted(&v, Some(&eve), AccessType::Read));
        assert!(permitted(
            &v,
            Some(&user("ops-person", &["ops"])),
            AccessType::Write
        ));
        assert!(permitted(
            &v,
            Some(&user("root", &["*"])),
            AccessType::Admin
        ));
        assert!(!permitted(&v, Some(&Caller::Guest), AccessType::Read));
        // Without auth nothing is checked; without an owner everything is public.
        assert!(permitted(&v, None, AccessType::Admin));
        assert!(permitted(
            &owned("", None),
            Some(&Caller::Guest),
            AccessType::Admin
        ));
        let public = owned(
            "ada",
            Some(AccessControl {
                public: Some(PublicAccessControl {
                    r#type: AccessType::Read as i32,
                }),
                ..Default::default()
            }),
        );
        assert!(permitted(&public, Some(&Caller::Guest), AccessType::Read));
        assert!(!permitted(&public, Some(&eve), AccessType::Write));
        assert_eq!(
            check(&v, Some(&eve), AccessType::Admin)
                .unwrap_err()
                .message(),
            "Cannot delete volume v1"
        );
    }

    #[test]
    fn new_volumes_belong_to_the_token_subject() {
        let asked = Some(Ownership {
            owner: "someone-else".into(),
            acls: None,
        });
        let made = for_new(Some(&user("ada", &[])), asked.clone()).unwrap();
        assert_eq!(made.owner, "ada");
        assert_eq!(for_new(Some(&Caller::Guest), asked.clone()), None);
        assert_eq!(for_new(None, asked.clone()), asked);
        let clone = for_clone(Some(&user("bob", &[])), Some(made)).unwrap();
        assert_eq!(clone.owner, "bob");
    }

    #[test]
    fn only_administrators_set_defaults() {
        let user = |groups: &[&str]| Caller::User {
            subject: "alice".into(),
            roles: vec!["system.admin".into()],
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        assert!(is_admin(None));
        assert!(is_admin(Some(&user(&["*"]))));
        // A role alone does not make an administrator of resources, as upstream.
        assert!(!is_admin(Some(&user(&["ops"]))));
        assert!(!is_admin(Some(&Caller::Guest)));
    }
}
