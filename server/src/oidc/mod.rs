//! An OpenID provider as console-server knows it: its discovery document and signing keys,
//! learned in the background (a provider that is down at start-up does not stop the server),
//! and ID tokens verified against them with the `openidconnect` crate. The built-in mock's SDK
//! layer trusts tokens through this (as upstream's `pkg/auth/oidc.go` does) and so does the
//! console's own single sign-on (`sso/`).

pub mod claims;

use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    ClaimsVerificationError, ClientId, IssuerUrl, JsonWebKeySet, Nonce, ProviderMetadataWithLogout,
    SignatureVerificationError,
};

pub use claims::{SdkClaims, UsernameClaim};
pub use openidconnect::reqwest;

/// A provider that rotated its keys is asked for them again at most this often, so a flood
/// of tokens with unknown key ids cannot make console-server hammer it.
const KEYS_REFETCH: Duration = Duration::from_secs(10);
/// Every call to the provider gives up after this long.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

pub type Metadata = ProviderMetadataWithLogout;

/// One issuer, as one client (`aud`) sees it.
pub struct Provider {
    issuer: IssuerUrl,
    client_id: ClientId,
    http: reqwest::Client,
    known: RwLock<Known>,
    /// When the keys were last asked for again (None: never since discovery).
    keys_fetched: tokio::sync::Mutex<Option<Instant>>,
}

#[derive(Clone)]
enum Known {
    NotYet(String),
    Discovered(Arc<Metadata>),
}

/// What a verified ID token says, as JSON (for the claims upstream reads) and when it ends.
#[derive(Debug, Clone)]
pub struct Verified {
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Unix seconds.
    pub expires_at: i64,
    pub issued_at: i64,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .finish_non_exhaustive()
    }
}

/// An HTTP client for talking to providers: no redirects (the spec forbids following them
/// for these requests), a timeout, and the system's usual roots plus `ca` (PEM) for a provider
/// behind a private certificate authority.
fn http_client(ca: Option<&std::path::Path>) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(PROVIDER_TIMEOUT);
    if let Some(path) = ca {
        let pem = std::fs::read(path).map_err(|e| format!("--oidc-ca {}: {e}", path.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| format!("--oidc-ca {}: not PEM certificates ({e})", path.display()))?;
        if certs.is_empty() {
            return Err(format!(
                "--oidc-ca {}: no certificate in it",
                path.display()
            ));
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {e}"))
}

impl Provider {
    /// A provider for `issuer`, not yet asked anything; `discover` learns it. `ca` is a PEM
    /// file of extra roots for an https issuer.
    pub fn new(
        issuer: &str,
        client_id: &str,
        ca: Option<&std::path::Path>,
    ) -> Result<Arc<Provider>, String> {
        let issuer = IssuerUrl::new(issuer.trim_end_matches('/').to_string())
            .map_err(|e| format!("not a URL: {e}"))?;
        if !matches!(issuer.url().scheme(), "http" | "https") {
            return Err("an issuer is an http:// or https:// URL".into());
        }
        Ok(Arc::new(Provider {
            issuer,
            client_id: ClientId::new(client_id.to_string()),
            http: http_client(ca)?,
            known: RwLock::new(Known::NotYet("not asked yet".into())),
            keys_fetched: tokio::sync::Mutex::new(None),
        }))
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// Whether `iss` names this provider (URLs, with or without a trailing slash).
    pub fn is_issuer(&self, iss: &str) -> bool {
        iss.trim_end_matches('/') == self.issuer().trim_end_matches('/')
    }

    pub fn client_id(&self) -> &str {
        self.client_id.as_str()
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Asks the provider for its discovery document and keys until it answers (every try
    /// logged once it fails, with why), in the background.
    pub fn discover_in_background(self: &Arc<Self>) {
        let provider = self.clone();
        tokio::spawn(async move {
            let mut wait = Duration::from_secs(1);
            loop {
                match provider.discover().await {
                    Ok(()) => {
                        tracing::info!(issuer = %provider.issuer(), "OpenID provider discovered");
                        return;
                    }
                    Err(why) => {
                        tracing::warn!(issuer = %provider.issuer(), "OpenID provider unavailable, asking again in {}s: {why}", wait.as_secs());
                    }
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
            }
        });
    }

    /// One try at discovery; on failure, why is kept for `metadata`.
    pub async fn discover(&self) -> Result<(), String> {
        let found = Metadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| describe_discovery(&e));
        let mut known = self.known.write().unwrap_or_else(|p| p.into_inner());
        match found {
            Ok(metadata) => {
                *known = Known::Discovered(Arc::new(metadata));
                Ok(())
            }
            Err(why) => {
                if let Known::NotYet(_) = *known {
                    *known = Known::NotYet(why.clone());
                }
                Err(why)
            }
        }
    }

    /// The discovery document (with the keys), or why it is not known.
    pub fn metadata(&self) -> Result<Arc<Metadata>, String> {
        match &*self.known.read().unwrap_or_else(|p| p.into_inner()) {
            Known::Discovered(metadata) => Ok(metadata.clone()),
            Known::NotYet(why) => Err(format!(
                "the OpenID provider {} cannot be reached ({why})",
                self.issuer()
            )),
        }
    }

    /// Verifies an ID token: signature from the provider's keys (asked again once when the
    /// token names a key it does not know: the provider rotated them), `iss`, `aud`, `exp`
    /// and, when given, `nonce`. `alg: none` and symmetric algorithms are refused, as
    /// upstream's go-oidc does.
    pub async fn verify(&self, raw: &str, nonce: Option<&Nonce>) -> Result<Verified, String> {
        let token =
            CoreIdToken::from_str(raw).map_err(|_| "it is not a valid ID token".to_string())?;
        let metadata = self.metadata()?;
        let result = match self.check(&token, &metadata, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => match self.refetch_keys(&metadata).await {
                Some(fresh) => self.check(&token, &fresh, nonce),
                None => Err(ClaimsVerificationError::SignatureVerification(
                    SignatureVerificationError::NoMatchingKey,
                )),
            },
            other => other,
        };
        result.map_err(|e| describe_verification(&e))?;
        let claims = payload(raw).ok_or_else(|| "its claims are not a JSON object".to_string())?;
        let seconds = |name: &str| claims.get(name).and_then(serde_json::Value::as_i64);
        Ok(Verified {
            expires_at: seconds("exp").unwrap_or_default(),
            issued_at: seconds("iat").unwrap_or_default(),
            claims,
        })
    }

    fn check(
        &self,
        token: &CoreIdToken,
        metadata: &Metadata,
        nonce: Option<&Nonce>,
    ) -> Result<(), ClaimsVerificationError> {
        let algs: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| asymmetric(alg))
            .cloned()
            .collect();
        let verifier = CoreIdTokenVerifier::new_public_client(
            self.client_id.clone(),
            self.issuer.clone(),
            metadata.jwks().clone(),
        )
        .set_allowed_algs(algs);
        match nonce {
            Some(nonce) => token.claims(&verifier, nonce).map(|_| ()),
            None => token
                .claims(&verifier, |_: Option<&Nonce>| Ok(()))
                .map(|_| ()),
        }
    }

    /// The provider's keys asked for again (rotation), unless that was done moments ago.
    async fn refetch_keys(&self, current: &Metadata) -> Option<Arc<Metadata>> {
        let mut last = self.keys_fetched.lock().await;
        if last.is_some_and(|at| at.elapsed() < KEYS_REFETCH) {
            return None;
        }
        *last = Some(Instant::now());
        let keys: CoreJsonWebKeySet = JsonWebKeySet::fetch_async(current.jwks_uri(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(issuer = %self.issuer(), "could not fetch the provider's keys: {}", describe_discovery(&e));
            })
            .ok()?;
        let fresh = Arc::new(current.clone().set_jwks(keys));
        *self.known.write().unwrap_or_else(|p| p.into_inner()) = Known::Discovered(fresh.clone());
        tracing::info!(issuer = %self.issuer(), "fetched the provider's rotated keys");
        Some(fresh)
    }
}

fn asymmetric(alg: &CoreJwsSigningAlgorithm) -> bool {
    !matches!(
        alg,
        CoreJwsSigningAlgorithm::HmacSha256
            | CoreJwsSigningAlgorithm::HmacSha384
            | CoreJwsSigningAlgorithm::HmacSha512
            | CoreJwsSigningAlgorithm::None
    )
}

/// The JSON claims of a JWT, its signature not checked: only for a token verified before
/// (one kept in a sealed session).
pub fn unverified_claims(raw: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    payload(raw)
}

/// The JSON claims of a JWT whose signature was checked.
fn payload(raw: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    use base64::Engine;
    let part = raw.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

fn describe_discovery<E: std::error::Error>(err: &openidconnect::DiscoveryError<E>) -> String {
    use openidconnect::DiscoveryError;
    match err {
        DiscoveryError::Request(e) => crate::error::with_causes(e),
        DiscoveryError::Response(status, _, why) => format!("it answered {status}: {why}"),
        other => other.to_string(),
    }
}

fn describe_verification(err: &ClaimsVerificationError) -> String {
    match err {
        ClaimsVerificationError::Expired(_) => "it has expired".into(),
        ClaimsVerificationError::InvalidAudience(_) => {
            "it was issued to another client (aud)".into()
        }
        ClaimsVerificationError::InvalidIssuer(_) => "it was issued by another issuer".into(),
        ClaimsVerificationError::InvalidNonce(_) => {
            "its nonce does not match the sign-in it answers".into()
        }
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => "it is signed with a key the provider does not publish".into(),
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::DisallowedAlg(why)
            | SignatureVerificationError::UnsupportedAlg(why),
        ) => format!("its signing algorithm is refused ({why})"),
        ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoSignature) => {
            "it is not signed".into()
        }
        ClaimsVerificationError::SignatureVerification(_) => {
            "its signature does not verify against the provider's keys".into()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("oidc-ca-{}.pem", uuid::Uuid::new_v4()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_private_ca_is_trusted_and_a_bad_file_refused() {
        let ca = rcgen::generate_simple_self_signed(vec!["idp.example".into()]).unwrap();
        let good = file(&ca.cert.pem());
        assert!(Provider::new("https://idp.example/", "console", Some(&good)).is_ok());
        let bad = Provider::new(
            "https://idp.example",
            "console",
            Some(&file("not a certificate")),
        )
        .unwrap_err();
        assert!(bad.contains("no certificate"), "{bad}");
        let missing = Provider::new(
            "https://idp.example",
            "console",
            Some(std::path::Path::new("/nonexistent/ca.pem")),
        )
        .unwrap_err();
        assert!(
            missing.starts_with("--oidc-ca /nonexistent/ca.pem"),
            "{missing}"
        );
        assert!(Provider::new("ftp://idp.example", "console", None).is_err());
    }

    #[test]
    fn only_asymmetric_algorithms_sign_id_tokens() {
        assert!(asymmetric(&CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256));
        assert!(asymmetric(&CoreJwsSigningAlgorithm::EcdsaP256Sha256));
        assert!(!asymmetric(&CoreJwsSigningAlgorithm::HmacSha256));
        assert!(!asymmetric(&CoreJwsSigningAlgorithm::None));
    }
}
