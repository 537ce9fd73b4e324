//! Serves the built console: files from trunk's output with their content types
//! (`application/wasm` included), and `index.html` for client-side routes such as `/volumes/x`.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderValue, CACHE_CONTROL};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::StartupError;

/// A folder known to contain `index.html`.
#[derive(Debug, Clone)]
pub struct UiDir {
    path: PathBuf,
}

impl UiDir {
    /// `--ui DIR` must hold an index.html; without the flag, `dist/` is used when it has one.
    pub fn resolve(explicit: Option<&Path>) -> Result<Option<UiDir>, StartupError> {
        match explicit {
            Some(dir) if dir.join("index.html").is_file() => Ok(Some(UiDir { path: dir.into() })),
            Some(dir) => Err(StartupError::UiWithoutIndex { dir: dir.into() }),
            None => {
                let default = Path::new("dist");
                Ok(default.join("index.html").is_file().then(|| UiDir {
                    path: default.into(),
                }))
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn serve(&self, req: Request) -> Response {
        let index = self.path.join("index.html");
        let wants_file = is_asset_path(req.uri().path());
        let response = if wants_file {
            // A missing asset is a real 404, not the app shell.
            ServeDir::new(&self.path).oneshot(req).await.into_response()
        } else {
            let mut res = ServeFile::new(index).oneshot(req).await.into_response();
            // The shell names the hashed wasm/JS of the current build: never serve a stale one.
            res.headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        };
        response
    }
}

/// Paths whose last segment has an extension are files; everything else is a client-side route.
pub fn is_asset_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_routes_are_not_assets() {
        assert!(!is_asset_path("/"));
        assert!(!is_asset_path("/volumes"));
        assert!(!is_asset_path("/volumes/3f2a-b1"));
        assert!(is_asset_path("/openstorage-console-1a2b.wasm"));
        assert!(is_asset_path("/style/main.css"));
    }

    #[test]
    fn explicit_folder_without_index_is_refused() {
        let dir = std::env::temp_dir().join(format!("ui-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = UiDir::resolve(Some(&dir)).unwrap_err();
        assert!(err.to_string().contains("has no index.html"), "{err}");
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        assert!(UiDir::resolve(Some(&dir)).unwrap().is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
