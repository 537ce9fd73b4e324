//! `--upstream-token-file`: the token console-server reads the cluster with (its listing,
//! watch, samples and alarm count), so one shared view serves signed-in users on a cluster
//! with auth. It is read from a file only its owner may read, re-read when the file changes
//! (tokens are rotated), never logged and never sent anywhere but to the upstream.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use http::HeaderValue;

use crate::error::StartupError;

/// How often the file is looked at for a new token.
const REREAD: Duration = Duration::from_secs(5);

/// The current service token, as an `authorization` header value.
#[derive(Clone)]
pub struct ServiceToken {
    path: PathBuf,
    header: Arc<RwLock<HeaderValue>>,
}

impl std::fmt::Debug for ServiceToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceToken")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ServiceToken {
    /// Reads the token; refuses a file others may read, an empty file, or anything that is
    /// not one token.
    pub fn load(path: &Path) -> Result<ServiceToken, StartupError> {
        let header = read(path).map_err(|reason| StartupError::ServiceToken {
            path: path.display().to_string(),
            reason,
        })?;
        Ok(ServiceToken {
            path: path.to_path_buf(),
            header: Arc::new(RwLock::new(header)),
        })
    }

    pub fn header(&self) -> HeaderValue {
        self.header
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Re-reads the file whenever it changes; a file that turns bad keeps the last good token
    /// (and says so in the log, without the token).
    pub fn follow(&self) {
        let token = self.clone();
        tokio::spawn(async move {
            let mut seen = modified(&token.path);
            loop {
                tokio::time::sleep(REREAD).await;
                let now = modified(&token.path);
                if now == seen {
                    continue;
                }
                seen = now;
                match read(&token.path) {
                    Ok(header) => {
                        *token.header.write().unwrap_or_else(|p| p.into_inner()) = header;
                        tracing::info!(file = %token.path.display(), "read the new service token");
                    }
                    Err(reason) => tracing::warn!(
                        file = %token.path.display(),
                        "kept the previous service token: {reason}"
                    ),
                }
            }
        });
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    crate::secret_file::modified(path)
}

fn read(path: &Path) -> Result<HeaderValue, String> {
    let text = crate::secret_file::read(path, "a service token")?;
    let token = text.as_str();
    if token.split_whitespace().count() != 1 || !token.is_ascii() {
        return Err("it must hold one token (a JWT) and nothing else".into());
    }
    let mut header = HeaderValue::from_str(&format!("bearer {token}"))
        .map_err(|_| "the token has characters a header cannot carry".to_string())?;
    // Kept out of any debug output of the request.
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn file(name: &str, text: &str, mode: u32) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("service-token-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn a_private_file_with_one_token_is_read_and_anything_else_refused() {
        let good = file("token", "eyJ.abc.def\n", 0o600);
        let token = ServiceToken::load(&good).unwrap();
        assert_eq!(token.header(), "bearer eyJ.abc.def");
        assert!(token.header().is_sensitive());
        assert!(!format!("{token:?}").contains("eyJ"));
        let open = ServiceToken::load(&file("open", "eyJ.abc.def", 0o644)).unwrap_err();
        assert!(open.to_string().contains("chmod 600"), "{open}");
        assert!(open.to_string().contains("644"), "{open}");
        for bad in ["", "  \n", "two tokens", "tök"] {
            let err = ServiceToken::load(&file("bad", bad, 0o600)).unwrap_err();
            assert!(!err.to_string().is_empty());
        }
        assert!(ServiceToken::load(Path::new("/nonexistent/token")).is_err());
    }
}
