//! The claims upstream's SDK server reads from an OpenID token (`pkg/auth/claims.go` and
//! `oidc.go`): required claims, roles and groups (also under a custom claim namespace, as
//! `--oidc-custom-claim-namespace` reads them) and which claim names the user. Pure, so the
//! mock, the gateway's sign-in and the session all read a token the same way.

use serde_json::{Map, Value};

/// Claims every token must carry, as upstream requires them.
pub const REQUIRED: [&str; 6] = ["iss", "sub", "exp", "iat", "name", "email"];

/// Which claim is the user's unique name (upstream's `--username-claim`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum UsernameClaim {
    #[default]
    Sub,
    Email,
    Name,
}

/// Who a verified token says is calling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkClaims {
    /// The user's unique name, from the username claim.
    pub username: String,
    pub subject: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub groups: Vec<String>,
}

/// Reads `claims` as upstream does; the error is upstream's words.
pub fn sdk_claims(
    claims: &Map<String, Value>,
    namespace: Option<&str>,
    username: UsernameClaim,
) -> Result<SdkClaims, String> {
    if let Some(missing) = REQUIRED.iter().find(|c| !claims.contains_key(**c)) {
        return Err(format!("Required claim {missing} missing from token"));
    }
    let text = |name: &str| match claims.get(name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err("Unable to get claims from token".to_string()),
    };
    let list = |name: &str| match custom(claims, namespace, name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| "Unable to get claims from token".to_string()),
        Some(_) => Err("Unable to get claims from token".to_string()),
    };
    let read = SdkClaims {
        username: String::new(),
        subject: text("sub")?,
        name: text("name")?,
        email: text("email")?,
        roles: list("roles")?,
        groups: list("groups")?,
    };
    let (value, claim) = match username {
        UsernameClaim::Sub => (&read.subject, "sub"),
        UsernameClaim::Email => (&read.email, "email"),
        UsernameClaim::Name => (&read.name, "name"),
    };
    if value.is_empty() {
        return Err(format!(
            "System set to use the value of {claim} as the username, therefore the value of {claim} in the token cannot be empty"
        ));
    }
    Ok(SdkClaims {
        username: value.clone(),
        ..read
    })
}

/// A custom claim (upstream's `customClaims`: roles, groups): under the namespace when one is
/// set, where it replaces a top-level claim of the same name.
fn custom<'a>(
    claims: &'a Map<String, Value>,
    namespace: Option<&str>,
    name: &str,
) -> Option<&'a Value> {
    namespace
        .filter(|ns| !ns.is_empty())
        .and_then(|ns| claims.get(&format!("{ns}{name}")))
        .or_else(|| claims.get(name))
}

/// What a token says of its holder, read without upstream's requirements: to show who is
/// signed in even when the clusters will refuse the token (they say why on each call).
pub fn lenient(claims: &Map<String, Value>, namespace: Option<&str>) -> SdkClaims {
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let list = |name: &str| {
        custom(claims, namespace, name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    SdkClaims {
        username: text("sub"),
        subject: text("sub"),
        name: text("name"),
        email: text("email"),
        roles: list("roles"),
        groups: list("groups"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn alice() -> Value {
        json!({"iss": "http://idp", "sub": "alice", "exp": 2, "iat": 1, "name": "Alice",
               "email": "alice@example.com", "roles": ["system.user"], "groups": ["eng"]})
    }

    #[test]
    fn a_token_with_every_required_claim_names_its_user() {
        let claims = sdk_claims(&map(alice()), None, UsernameClaim::Sub).unwrap();
        assert_eq!(claims.username, "alice");
        assert_eq!(claims.roles, ["system.user"]);
        assert_eq!(claims.groups, ["eng"]);
        let by_email = sdk_claims(&map(alice()), None, UsernameClaim::Email).unwrap();
        assert_eq!(by_email.username, "alice@example.com");
    }

    #[test]
    fn missing_claims_are_refused_in_upstreams_words() {
        for claim in REQUIRED {
            let mut token = alice();
            token.as_object_mut().unwrap().remove(claim);
            assert_eq!(
                sdk_claims(&map(token), None, UsernameClaim::Sub).unwrap_err(),
                format!("Required claim {claim} missing from token")
            );
        }
        let mut nameless = alice();
        nameless["name"] = json!("");
        assert!(sdk_claims(&map(nameless), None, UsernameClaim::Name)
            .unwrap_err()
            .contains("value of name in the token cannot be empty"));
        let mut wrong = alice();
        wrong["roles"] = json!("system.admin");
        assert_eq!(
            sdk_claims(&map(wrong), None, UsernameClaim::Sub).unwrap_err(),
            "Unable to get claims from token"
        );
    }

    #[test]
    fn a_custom_namespace_holds_roles_and_groups() {
        let mut token = alice();
        let object = token.as_object_mut().unwrap();
        object.remove("roles");
        object.insert("https://px.example/roles".into(), json!(["system.admin"]));
        object.insert("https://px.example/groups".into(), json!(["*"]));
        let claims = sdk_claims(
            &map(token.clone()),
            Some("https://px.example/"),
            UsernameClaim::Sub,
        )
        .unwrap();
        assert_eq!(claims.roles, ["system.admin"]);
        assert_eq!(claims.groups, ["*"]);
        // Without the namespace they are not read: the top-level groups stay.
        let plain = sdk_claims(&map(token), None, UsernameClaim::Sub).unwrap();
        assert!(plain.roles.is_empty());
    }
}
