//! A volume's ownership for people: who owns it and whom its ACL lets in.

use crate::proto::ownership::AccessType;
use crate::proto::Ownership;
use console_model::order;

fn access(t: i32) -> &'static str {
    match AccessType::try_from(t) {
        Ok(AccessType::Read) => "read",
        Ok(AccessType::Write) => "write",
        Ok(AccessType::Admin) => "admin",
        Err(_) => "unknown access",
    }
}

/// (owner, shared with). A volume without an owner is open to everyone (a cluster without
/// auth, or one a guest created), and says so.
pub fn describe(ownership: Option<&Ownership>) -> (String, String) {
    let Some(o) = ownership.filter(|o| !o.owner.is_empty()) else {
        return ("none (anyone may use it)".into(), "—".into());
    };
    let acls = o.acls.clone().unwrap_or_default();
    let mut shared: Vec<String> = Vec::new();
    let mut named = |kind: &str, map: &std::collections::HashMap<String, i32>| {
        let mut entries: Vec<_> = map.iter().collect();
        order::sort_by(&mut entries, Ord::cmp);
        for (who, t) in entries {
            let who = if who == "*" {
                format!("every {kind}")
            } else {
                format!("{kind} {who}")
            };
            shared.push(format!("{who} ({})", access(*t)));
        }
    };
    named("user", &acls.collaborators);
    named("group", &acls.groups);
    if let Some(public) = &acls.public {
        shared.push(format!("everyone ({})", access(public.r#type)));
    }
    let shared = if shared.is_empty() {
        "only the owner".to_string()
    } else {
        shared.join(", ")
    };
    (o.owner.clone(), shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::ownership::{AccessControl, PublicAccessControl};

    #[test]
    fn owners_and_acls_read_as_sentences() {
        assert_eq!(describe(None).0, "none (anyone may use it)");
        let o = Ownership {
            owner: "ada".into(),
            acls: Some(AccessControl {
                collaborators: [
                    ("bob".to_string(), AccessType::Read as i32),
                    ("*".to_string(), AccessType::Write as i32),
                ]
                .into(),
                groups: [("ops".to_string(), AccessType::Admin as i32)].into(),
                public: Some(PublicAccessControl {
                    r#type: AccessType::Read as i32,
                }),
            }),
        };
        assert_eq!(
            describe(Some(&o)),
            (
                "ada".to_string(),
                "every user (write), user bob (read), group ops (admin), everyone (read)"
                    .to_string()
            )
        );
        let private = Ownership {
            owner: "ada".into(),
            acls: None,
        };
        assert_eq!(describe(Some(&private)).1, "only the owner");
    }
}
