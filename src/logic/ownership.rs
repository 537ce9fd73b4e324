//! A volume's ownership for people: who owns it and whom its ACL lets in.

use crate::proto::ownership::{AccessControl, AccessType, PublicAccessControl};
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

/// The ACL as the access editor shows it: one entry per line, `user NAME ACCESS`,
/// `group NAME ACCESS` or `everyone ACCESS`, users first, each kind sorted.
pub fn acl_text(acls: Option<&AccessControl>) -> String {
    let Some(acls) = acls else {
        return String::new();
    };
    let mut lines = Vec::new();
    for (kind, map) in [("user", &acls.collaborators), ("group", &acls.groups)] {
        let mut entries: Vec<_> = map.iter().collect();
        order::sort_by(&mut entries, Ord::cmp);
        for (who, t) in entries {
            lines.push(format!("{kind} {who} {}", access(*t)));
        }
    }
    if let Some(public) = &acls.public {
        lines.push(format!("everyone {}", access(public.r#type)));
    }
    lines.join("\n")
}

/// The ACL the editor's text describes, or the first line that cannot be read and why.
pub fn parse_acl(text: &str) -> Result<AccessControl, String> {
    let mut acls = AccessControl::default();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let level = |word: &str| match word {
            "read" => Ok(AccessType::Read as i32),
            "write" => Ok(AccessType::Write as i32),
            "admin" => Ok(AccessType::Admin as i32),
            _ => Err(format!(
                "Line {}: the access must be read, write or admin, not \"{word}\".",
                n + 1
            )),
        };
        match words[..] {
            ["user", who, access] => {
                acls.collaborators.insert(who.into(), level(access)?);
            }
            ["group", who, access] => {
                acls.groups.insert(who.into(), level(access)?);
            }
            ["everyone", access] => {
                acls.public = Some(PublicAccessControl {
                    r#type: level(access)?,
                });
            }
            _ => {
                return Err(format!(
                    "Line {}: write \"user NAME ACCESS\", \"group NAME ACCESS\" or \"everyone ACCESS\".",
                    n + 1
                ))
            }
        }
    }
    Ok(acls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acl_text_reads_back_and_bad_lines_are_named() {
        let text = "user bob read\ngroup ops admin\n\n  user * write \neveryone read";
        let acls = parse_acl(text).unwrap();
        assert_eq!(acls.collaborators["bob"], AccessType::Read as i32);
        assert_eq!(acls.collaborators["*"], AccessType::Write as i32);
        assert_eq!(acls.groups["ops"], AccessType::Admin as i32);
        assert_eq!(acls.public.unwrap().r#type, AccessType::Read as i32);
        let shown = acl_text(Some(&parse_acl(text).unwrap()));
        assert_eq!(
            shown,
            "user * write\nuser bob read\ngroup ops admin\neveryone read"
        );
        assert_eq!(parse_acl(&shown).unwrap(), parse_acl(text).unwrap());
        assert_eq!(
            parse_acl("user bob read\nuser eve owner").unwrap_err(),
            "Line 2: the access must be read, write or admin, not \"owner\"."
        );
        assert!(parse_acl("bob read")
            .unwrap_err()
            .starts_with("Line 1: write"));
        assert_eq!(parse_acl("").unwrap(), AccessControl::default());
    }

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
