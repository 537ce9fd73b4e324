//! How console-server proves itself to a secured Prometheus: a file read at each query.

use std::path::PathBuf;

/// A secret in a file, read at each query so a rotated one is used at once.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A bearer token.
    Token(PathBuf),
    /// `user:password`.
    Basic(PathBuf),
}

impl Credentials {
    /// The Authorization header's value.
    pub fn header(&self) -> Result<String, String> {
        use base64::Engine;
        match self {
            Credentials::Token(path) => {
                crate::secret_file::read(path, "a Prometheus token").map(|t| format!("Bearer {t}"))
            }
            Credentials::Basic(path) => {
                let pair = crate::secret_file::read(path, "a Prometheus user:password")?;
                if !pair.contains(':') {
                    return Err("it holds no `user:password`".into());
                }
                Ok(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
        }
    }
}
