//! Sealed cookies: encrypted and authenticated (AES-256-GCM, the `cookie` crate's private
//! jar, with the cookie's name bound in) under the session key, so a page script can neither
//! read nor forge them, and replicas with the same key read each other's. A value too long
//! for one cookie (ID tokens can be large) is split over `NAME`, `NAME.1`, `NAME.2`….

use cookie::{Cookie, CookieJar, Key, SameSite};
use http::{HeaderMap, HeaderValue};

/// Browsers keep cookies of up to 4096 bytes, name and attributes included.
const CHUNK: usize = 3800;
/// More chunks than this is not a session: refused rather than read.
const MOST_CHUNKS: usize = 5;

/// How the console's cookies are set: always HttpOnly and SameSite=Lax (sent on the
/// provider's redirect back, not on other sites' requests), Secure over TLS.
#[derive(Clone, Copy, Debug)]
pub struct Attributes {
    pub secure: bool,
}

/// The key sessions are sealed with.
#[derive(Clone)]
pub struct SessionKey(Key);

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

impl SessionKey {
    /// A key derived from `material` (at least 32 bytes, e.g. `openssl rand -base64 48`).
    pub fn derive(material: &[u8]) -> Result<SessionKey, String> {
        if material.len() < 32 {
            return Err(format!(
                "it holds {} bytes; a session key needs at least 32 (e.g. `openssl rand -base64 48`)",
                material.len()
            ));
        }
        Ok(SessionKey(Key::derive_from(material)))
    }

    /// A fresh random key: sessions end when the process does.
    pub fn random() -> SessionKey {
        SessionKey(Key::generate())
    }

    pub fn seal(&self, name: &str, plain: &str) -> String {
        let mut jar = CookieJar::new();
        jar.private_mut(&self.0)
            .add(Cookie::new(name.to_string(), plain.to_string()));
        jar.get(name)
            .map(|c| c.value().to_string())
            .expect("the jar holds what was added")
    }

    /// The plain text, or None for a value that was not sealed under this key and name.
    pub fn unseal(&self, name: &str, sealed: &str) -> Option<String> {
        let mut jar = CookieJar::new();
        jar.add_original(Cookie::new(name.to_string(), sealed.to_string()));
        jar.private(&self.0)
            .get(name)
            .map(|c| c.value().to_string())
    }
}

/// The whole value of cookie `name` (its chunks joined) as the request sent it.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut found = std::collections::HashMap::new();
    for header in headers.get_all(http::header::COOKIE) {
        let Ok(text) = header.to_str() else { continue };
        for cookie in Cookie::split_parse(text).flatten() {
            found.insert(cookie.name().to_string(), cookie.value().to_string());
        }
    }
    let mut value = found.remove(name)?;
    for n in 1..MOST_CHUNKS {
        match found.remove(&chunk_name(name, n)) {
            Some(more) => value.push_str(&more),
            None => return Some(value),
        }
    }
    Some(value)
}

/// `Set-Cookie` headers that store `value` as cookie `name` (in chunks), for `max_age`
/// (None: until the browser closes), and clear chunks a longer earlier value left.
pub fn set(
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<time::Duration>,
    attrs: Attributes,
) -> Vec<HeaderValue> {
    let chunks = split(value);
    let stored = chunks.iter().enumerate().map(|(n, chunk)| {
        header(&build(
            chunk_name(name, n),
            chunk.to_string(),
            path,
            max_age,
            attrs,
        ))
    });
    let cleared = (chunks.len()..MOST_CHUNKS).map(|n| expired(name, n, path, attrs));
    stored.chain(cleared).collect()
}

/// `Set-Cookie` headers that remove cookie `name` and its chunks.
pub fn clear(name: &str, path: &str, attrs: Attributes) -> Vec<HeaderValue> {
    (0..MOST_CHUNKS)
        .map(|n| expired(name, n, path, attrs))
        .collect()
}

/// Chunk `n` of cookie `name`: `name` itself, then `name.1`, `name.2`…
fn chunk_name(name: &str, n: usize) -> String {
    if n == 0 {
        name.to_string()
    } else {
        format!("{name}.{n}")
    }
}

fn expired(name: &str, n: usize, path: &str, attrs: Attributes) -> HeaderValue {
    header(&build(
        chunk_name(name, n),
        String::new(),
        path,
        Some(time::Duration::ZERO),
        attrs,
    ))
}

fn split(value: &str) -> Vec<&str> {
    if value.is_empty() {
        return vec![""];
    }
    // Sealed values are base64: every byte is one character, so any split is safe.
    value
        .as_bytes()
        .chunks(CHUNK)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect()
}

fn build(
    name: String,
    value: String,
    path: &str,
    max_age: Option<time::Duration>,
    attrs: Attributes,
) -> Cookie<'static> {
    let mut cookie = Cookie::build((name, value))
        .path(path.to_string())
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(attrs.secure)
        .build();
    if let Some(age) = max_age {
        cookie.set_max_age(age);
    }
    cookie
}

fn header(cookie: &Cookie<'_>) -> HeaderValue {
    HeaderValue::from_str(&cookie.to_string()).expect("a cookie is a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTRS: Attributes = Attributes { secure: false };

    fn request_with(set_cookies: &[HeaderValue]) -> HeaderMap {
        // What a browser sends back: name=value of each cookie that was not cleared.
        let pairs: Vec<String> = set_cookies
            .iter()
            .filter_map(|h| {
                let c = Cookie::parse(h.to_str().unwrap().to_string()).unwrap();
                (c.max_age() != Some(time::Duration::ZERO))
                    .then(|| format!("{}={}", c.name(), c.value()))
            })
            .collect();
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            HeaderValue::from_str(&pairs.join("; ")).unwrap(),
        );
        headers
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_name() {
        let key = SessionKey::derive(&[7; 40]).unwrap();
        let sealed = key.seal("osc_session", "the tokens");
        assert!(!sealed.contains("the tokens"));
        assert_eq!(
            key.unseal("osc_session", &sealed).as_deref(),
            Some("the tokens")
        );
        let same = SessionKey::derive(&[7; 40]).unwrap();
        assert_eq!(
            same.unseal("osc_session", &sealed).as_deref(),
            Some("the tokens"),
            "replicas share a key"
        );
        assert_eq!(
            SessionKey::derive(&[8; 40])
                .unwrap()
                .unseal("osc_session", &sealed),
            None,
            "a foreign key"
        );
        assert_eq!(
            key.unseal("osc_login", &sealed),
            None,
            "another cookie's value"
        );
        let mut tampered = sealed.into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            key.unseal("osc_session", &String::from_utf8(tampered).unwrap()),
            None
        );
        assert!(SessionKey::derive(b"short").is_err());
    }

    #[test]
    fn long_values_are_split_and_joined() {
        let long = "x".repeat(CHUNK * 2 + 10);
        let headers = set("osc_session", &long, "/", None, ATTRS);
        assert_eq!(headers.len(), MOST_CHUNKS);
        for h in &headers {
            assert!(h.len() < 4096);
            let text = h.to_str().unwrap();
            assert!(
                text.contains("HttpOnly") && text.contains("SameSite=Lax"),
                "{text}"
            );
        }
        assert_eq!(read(&request_with(&headers), "osc_session").unwrap(), long);
        // A shorter value later clears the chunks the longer one left.
        let short = set("osc_session", "short", "/", None, ATTRS);
        assert_eq!(read(&request_with(&short), "osc_session").unwrap(), "short");
        assert!(set("s", "v", "/", None, Attributes { secure: true })[0]
            .to_str()
            .unwrap()
            .contains("Secure"));
    }
}
