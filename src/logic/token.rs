//! What an SDK token says about its holder, decoded locally to show who is signed in and when
//! the token expires. Nothing here is trusted for access: the server checks the signature.
//! The payload's JSON is read by the browser (`browser::token`, with `atob` and `JSON.parse`),
//! so the app carries no base64 or JSON code of its own; the checks before that are here.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub name: String,
    pub email: String,
    pub iss: String,
    /// Expiry, Unix seconds.
    pub exp: Option<i64>,
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

/// The payload of a JWT (`header.payload.signature`) in standard, padded base64, as the
/// browser's `atob` takes it. The signature is not checked.
pub fn payload(token: &str) -> Result<String, TokenError> {
    let token = bare(token);
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::NotThreeParts);
    };
    if [header, payload, signature].iter().any(|p| p.is_empty()) {
        return Err(TokenError::NotThreeParts);
    }
    // Some issuers pad base64url; the standard says not to. Accept both.
    let unpadded = payload.trim_end_matches('=');
    let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    // A length of 1 more than a multiple of 4 cannot be base64 of whole bytes.
    if !unpadded.bytes().all(url_safe) || unpadded.len() % 4 == 1 {
        return Err(TokenError::NotBase64);
    }
    let mut standard: String = unpadded
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    Ok(standard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_taken_from_a_pasted_token() {
        assert_eq!(
            payload("  Bearer aGVhZGVy.eyJzdWIiOiJhPyJ9.c2ln "),
            Ok("eyJzdWIiOiJhPyJ9".into())
        );
        // {"a":"???"} in base64url has a '_' (standard '/') and needs padding.
        assert_eq!(
            payload("h.eyJhIjoiPz8_In0.s"),
            Ok("eyJhIjoiPz8/In0=".into())
        );
        assert_eq!(payload("h.-_8.s"), Ok("+/8=".into()));
        assert_eq!(
            payload("h.YQ==.s"),
            Ok("YQ==".into()),
            "padding is accepted"
        );
        assert_eq!(payload("h.YWI.s"), Ok("YWI=".into()));
        assert_eq!(super::bare("  Bearer abc.def.ghi "), "abc.def.ghi");
        assert_eq!(super::bare("bearer abc.def.ghi"), "abc.def.ghi");
        assert_eq!(super::bare("abc.def.ghi"), "abc.def.ghi");
    }

    #[test]
    fn malformed_tokens_say_what_is_wrong() {
        assert_eq!(payload(""), Err(TokenError::NotThreeParts));
        assert_eq!(payload("abc"), Err(TokenError::NotThreeParts));
        assert_eq!(payload("a..c"), Err(TokenError::NotThreeParts));
        assert_eq!(payload("a.b.c.d"), Err(TokenError::NotThreeParts));
        assert_eq!(payload("a.!!!.c"), Err(TokenError::NotBase64));
        assert_eq!(
            payload("a.ab+c.c"),
            Err(TokenError::NotBase64),
            "not url-safe"
        );
        assert_eq!(
            payload("a.abcde.c"),
            Err(TokenError::NotBase64),
            "a stray character"
        );
    }

    #[test]
    fn who_and_expiry() {
        let claims = Claims {
            sub: "ada@example.com".into(),
            name: "Ada".into(),
            exp: Some(2_000_000_000),
            ..Claims::default()
        };
        assert_eq!(claims.who(), "Ada");
        assert!(!claims.expired(1_999_999_999));
        assert!(claims.expired(2_000_000_000));
        let bare = Claims {
            sub: "svc".into(),
            ..Claims::default()
        };
        assert_eq!(bare.who(), "svc");
        assert!(!bare.expired(i64::MAX), "no exp: never expires locally");
        assert_eq!(Claims::default().who(), "unknown user");
    }
}
