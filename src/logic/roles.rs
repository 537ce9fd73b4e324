//! Roles as an admin reads and writes them: one rule per line, `services: apis`, each a comma
//! list of patterns (`*`, `inspect*`, `*enumerate*`, `!delete`). Checked before anything is
//! sent, against the SDK's own service names, so a typo does not become a role that silently
//! allows nothing.

use crate::proto::{SdkRole, SdkRule};

/// The SDK's services as upstream's role rules name them: the gRPC service without
/// `openstorage.api.OpenStorage`, in lower case.
pub const SERVICES: [&str; 25] = [
    "alerts",
    "bucket",
    "cloudbackup",
    "cluster",
    "clusterdomains",
    "clusterpair",
    "credentials",
    "diags",
    "filesystemcheck",
    "filesystemdefrag",
    "filesystemtrim",
    "identity",
    "job",
    "migrate",
    "mountattach",
    "node",
    "objectstore",
    "policy",
    "pool",
    "role",
    "schedule",
    "schedulepolicy",
    "verifychecksum",
    "volume",
    "watch",
];

/// Upstream's system roles; all but the guest's are fixed.
pub fn is_system(name: &str) -> bool {
    matches!(
        name,
        "system.admin" | "system.view" | "system.user" | "system.guest"
    )
}

/// Whether the cluster lets the role be changed (custom roles, and the guest role).
pub fn editable(name: &str) -> bool {
    !is_system(name) || name == "system.guest"
}

/// The rules as the form shows them, one per line.
pub fn rules_text(rules: &[SdkRule]) -> String {
    rules
        .iter()
        .map(|r| format!("{}: {}", r.services.join(", "), r.apis.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A role name the cluster accepts: not empty, no `/` or space, not a system role's.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Enter a name, such as volume.reader.".into());
    }
    if name.contains(['/', ' ']) {
        return Err("The name cannot contain \"/\" or spaces.".into());
    }
    if is_system(name) {
        return Err(format!("{name} is a system role: choose another name."));
    }
    Ok(())
}

/// One pattern: an optional `!` (deny), then letters, digits, `.` or `_`, with `*` only at
/// either end.
fn check_pattern(pattern: &str) -> Result<&str, String> {
    let bare = pattern.strip_prefix('!').unwrap_or(pattern);
    let core = bare.trim_start_matches('*').trim_end_matches('*');
    if bare.is_empty() {
        return Err(format!("\"{pattern}\" names nothing"));
    }
    if let Some(bad) = core
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_')))
    {
        let why = if bad == '*' {
            "* may only start or end a pattern".to_string()
        } else {
            format!("\"{bad}\" is not allowed")
        };
        return Err(format!("in \"{pattern}\", {why}"));
    }
    Ok(bare)
}

/// The rules typed in the form, or what is wrong, by line.
pub fn parse_rules(text: &str) -> Result<Vec<SdkRule>, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |why: String| format!("Line {}: {why}.", n + 1);
        let Some((services, apis)) = line.split_once(':') else {
            return Err(at(
                "write services, a colon, then APIs, such as volume: inspect*".into(),
            ));
        };
        let list = |part: &str| -> Vec<String> {
            part.split(',')
                .map(|p| p.trim().to_lowercase())
                .filter(|p| !p.is_empty())
                .collect()
        };
        let rule = SdkRule {
            services: list(services),
            apis: list(apis),
        };
        if rule.services.is_empty() {
            return Err(at("name at least one service, or *".into()));
        }
        if rule.apis.is_empty() {
            return Err(at("name at least one API, or *".into()));
        }
        for service in &rule.services {
            let bare = check_pattern(service).map_err(at)?;
            if !bare.contains('*') && !SERVICES.contains(&bare) {
                return Err(at(format!(
                    "\"{bare}\" is not an SDK service (such as volume, cloudbackup, mountattach)"
                )));
            }
        }
        for api in &rule.apis {
            check_pattern(api).map_err(at)?;
        }
        rules.push(rule);
    }
    if rules.is_empty() {
        return Err("Enter at least one rule, such as volume: inspect*, enumerate*".into());
    }
    Ok(rules)
}

/// The role the form describes, or what is wrong with each field (name, rules).
pub fn plan(name: &str, rules: &str, editing: bool) -> Result<SdkRole, [Option<String>; 2]> {
    let name = name.trim();
    let name_check = if editing { Ok(()) } else { check_name(name) };
    match (name_check, parse_rules(rules)) {
        (Ok(()), Ok(rules)) => Ok(SdkRole {
            name: name.to_string(),
            rules,
        }),
        (name, rules) => Err([name.err(), rules.err()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_back_as_typed() {
        let rules =
            parse_rules("Volume, cloudbackup: inspect*, *enumerate*\n\n*: !delete, *").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].services, ["volume", "cloudbackup"]);
        assert_eq!(rules[0].apis, ["inspect*", "*enumerate*"]);
        assert_eq!(rules[1].apis, ["!delete", "*"]);
        assert_eq!(
            rules_text(&rules),
            "volume, cloudbackup: inspect*, *enumerate*\n*: !delete, *"
        );
    }

    #[test]
    fn mistakes_are_named_by_line() {
        assert!(parse_rules("").unwrap_err().contains("at least one rule"));
        assert!(parse_rules("volume inspect")
            .unwrap_err()
            .starts_with("Line 1: write services, a colon"));
        assert!(parse_rules("volume: *\n: inspect")
            .unwrap_err()
            .starts_with("Line 2: name at least one service"));
        assert!(parse_rules("volume:")
            .unwrap_err()
            .contains("at least one API"));
        assert!(parse_rules("volumes: *")
            .unwrap_err()
            .contains("\"volumes\" is not an SDK service"));
        assert!(
            parse_rules("vol*: *").is_ok(),
            "patterns are not checked against the list"
        );
        assert!(parse_rules("volume: in*spect")
            .unwrap_err()
            .contains("* may only start or end"));
        assert!(parse_rules("volume: del-ete")
            .unwrap_err()
            .contains("\"-\" is not allowed"));
        assert!(parse_rules("volume: !")
            .unwrap_err()
            .contains("names nothing"));
        assert!(parse_rules("!role: *").is_ok());
    }

    #[test]
    fn names_and_system_roles() {
        assert!(check_name("volume.reader").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a b").unwrap_err().contains("spaces"));
        assert!(check_name("a/b").is_err());
        assert!(check_name("system.admin")
            .unwrap_err()
            .contains("system role"));
        assert!(editable("system.guest") && editable("ops") && !editable("system.view"));
        let [name, rules] = plan("", "x", false).unwrap_err();
        assert!(name.is_some() && rules.is_some());
        assert_eq!(
            plan("system.guest", "volume: *", true).unwrap().name,
            "system.guest"
        );
    }
}
