//! What an SDK token says about its holder, decoded locally to show who is signed in and when
//! the token expires. Nothing here is trusted for access: the server checks the signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub sub: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub iss: String,
    /// Expiry, Unix seconds.
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Claims {
    /// The name to show: name, else email, else subject.
    pub fn who(&self) -> &str {
        [&self.name, &self.email, &self.sub]
            .into_iter()
            .find(|s| !s.is_empty())
            .map_or("unknown user", String::as_str)
    }

    pub fn expired(&self, now: i64) -> bool {
        self.exp.is_some_and(|exp| exp <= now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("A token is three parts separated by dots (header.payload.signature).")]
    NotThreeParts,
    #[error("The token's payload is not valid base64url.")]
    NotBase64,
    #[error("The token's payload is not a JSON object of claims.")]
    NotJson,
}

/// The token itself, from what a person pasted (with or without a `bearer ` prefix).
pub fn bare(pasted: &str) -> &str {
    let text = pasted.trim();
    text.strip_prefix("bearer ")
        .or_else(|| text.strip_prefix("Bearer "))
        .unwrap_or(text)
        .trim()
}

/// Decodes the claims of a JWT (`header.payload.signature`), ignoring the signature.
pub fn decode(token: &str) -> Result<Claims, TokenError> {
    let token = bare(token);
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(TokenError::NotThreeParts);
    }
    // Some issuers pad base64url; the standard says not to. Accept both.
    let payload = URL_SAFE_NO_PAD
        .decode(parts[1].trim_end_matches('='))
        .map_err(|_| TokenError::NotBase64)?;
    serde_json::from_slice(&payload).map_err(|_| TokenError::NotJson)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
        format!("{header}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn claims_are_read_without_checking_the_signature() {
        let claims = decode(&jwt(r#"{"sub":"ada@example.com","name":"Ada","iss":"openstorage.io","exp":2000000000,"roles":["system.admin"]}"#)).unwrap();
        assert_eq!(claims.who(), "Ada");
        assert_eq!(claims.roles, vec!["system.admin".to_string()]);
        assert!(!claims.expired(1_999_999_999));
        assert!(claims.expired(2_000_000_000));
        let bare = decode(&jwt(r#"{"sub":"svc"}"#)).unwrap();
        assert_eq!(bare.who(), "svc");
        assert!(!bare.expired(i64::MAX), "no exp: never expires locally");
        assert!(decode(&format!("bearer {}", jwt("{}"))).is_ok());
        assert_eq!(super::bare("  Bearer abc.def.ghi "), "abc.def.ghi");
        assert_eq!(super::bare("abc.def.ghi"), "abc.def.ghi");
    }

    #[test]
    fn malformed_tokens_say_what_is_wrong() {
        assert_eq!(decode(""), Err(TokenError::NotThreeParts));
        assert_eq!(decode("abc"), Err(TokenError::NotThreeParts));
        assert_eq!(decode("a..c"), Err(TokenError::NotThreeParts));
        assert_eq!(decode("a.b.c.d"), Err(TokenError::NotThreeParts));
        assert_eq!(decode("a.!!!.c"), Err(TokenError::NotBase64));
        assert_eq!(decode(&jwt("not json")), Err(TokenError::NotJson));
        assert_eq!(decode(&jwt("[1,2]")), Err(TokenError::NotJson));
        assert!(
            decode(&jwt(r#"{"exp":"soon"}"#)).is_err(),
            "a non-numeric exp is refused"
        );
    }
}
