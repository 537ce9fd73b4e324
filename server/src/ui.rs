//! Serves the built console: files from the build's output (dist/) with their content types
//! (`application/wasm` included), and `index.html` for client-side routes such as `/volumes/x`.
//! Each file is sent in the best encoding the browser accepts among the build's precompressed
//! copies (brotli, gzip); content-hashed files are cached for good, the page is revalidated.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, VARY};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::StartupError;

/// A folder known to contain `index.html`.
#[derive(Debug, Clone)]
pub struct UiDir {
    path: PathBuf,
    /// The page's Content-Security-Policy, pinned to its inline loader, and the modification
    /// time of the index.html it was computed from: a rebuild (new loader) gets a new policy
    /// without restarting the server.
    policy: Arc<Mutex<Option<(SystemTime, HeaderValue)>>>,
}

impl UiDir {
    /// `--ui DIR` must hold an index.html; without the flag, `dist/` is used when it has one.
    pub fn resolve(explicit: Option<&Path>) -> Result<Option<UiDir>, StartupError> {
        let dir = match explicit {
            Some(dir) if dir.join("index.html").is_file() => dir,
            Some(dir) => return Err(StartupError::UiWithoutIndex { dir: dir.into() }),
            None if Path::new("dist/index.html").is_file() => Path::new("dist"),
            None => return Ok(None),
        };
        Ok(Some(UiDir {
            path: dir.into(),
            policy: Arc::default(),
        }))
    }

    /// The policy for the current index.html, recomputed when the file changes.
    fn page_policy(&self) -> Option<HeaderValue> {
        let index = self.path.join("index.html");
        let modified = std::fs::metadata(&index).and_then(|m| m.modified()).ok()?;
        let mut cached = self.policy.lock().ok()?;
        if let Some((when, policy)) = cached.as_ref() {
            if *when == modified {
                return Some(policy.clone());
            }
        }
        let page = std::fs::read_to_string(&index).ok()?;
        let scripts = crate::web::headers::inline_scripts(&page);
        let policy =
            HeaderValue::from_str(&crate::web::headers::content_security_policy(&scripts)).ok()?;
        *cached = Some((modified, policy.clone()));
        Some(policy)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn serve(&self, req: Request) -> Response {
        let index = self.path.join("index.html");
        let wants_file = is_asset_path(req.uri().path());
        let immutable = wants_file && is_content_hashed(req.uri().path());
        let mut response = if wants_file {
            // A missing asset is a real 404, not the app shell.
            ServeDir::new(&self.path)
                .precompressed_br()
                .precompressed_gzip()
                .oneshot(req)
                .await
                .into_response()
        } else {
            let mut page = ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip()
                .oneshot(req)
                .await
                .into_response();
            if let Some(policy) = self.page_policy() {
                page.headers_mut().insert(CONTENT_SECURITY_POLICY, policy);
            }
            page
        };
        if response.status().is_success() || response.status() == http::StatusCode::NOT_MODIFIED {
            let headers = response.headers_mut();
            // A hashed file never changes under its name. Everything else (the shell names the
            // hashed files of the current build) is revalidated, so no visit runs a stale build.
            headers.insert(
                CACHE_CONTROL,
                HeaderValue::from_static(if immutable {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                }),
            );
            headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        }
        response
    }
}

/// Paths whose last segment has an extension are files; everything else is a client-side route.
pub fn is_asset_path(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Built files carry their content's hash in their name: trunk names the CSS `name-<hash>.ext`
/// (the hash a 64-bit number in hex without leading zeros: usually 16 digits, one in sixteen
/// builds 15, rarely fewer), and scripts/build-wasm.mjs puts one build's JS and wasm in a folder
/// `app-<hash>/` (16 digits), whose files name each other relatively.
pub fn is_content_hashed(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    let file = segments.next_back().unwrap_or_default();
    let in_hashed_folder = segments.any(|folder| {
        folder
            .strip_prefix("app-")
            .is_some_and(|hash| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
    });
    let stem = file.split('.').next().unwrap_or_default();
    in_hashed_folder
        || stem.split('-').skip(1).any(|hash| {
            (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_content_hashed("/main-4a40f70c649e19d4.css"));
        // A hash with a leading zero loses it (seen in CI: 15 digits).
        assert!(is_content_hashed("/main-dc01b906e45c909.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/style/main.css"));
        assert!(!is_content_hashed("/openstorage-console.js"));
    }

    #[test]
    fn files_in_a_build_folder_are_hashed() {
        assert!(is_content_hashed("/app-1f2d7973d7774635/app_bg.wasm"));
        assert!(is_content_hashed("/app-1f2d7973d7774635/chunk_12.wasm"));
        assert!(is_content_hashed("/app-1f2d7973d7774635/__wasm_split.js"));
        assert!(!is_content_hashed("/app-1f2d79/chunk_12.wasm"));
        assert!(!is_content_hashed("/app-notahexnumber00/app.js"));
        assert!(!is_content_hashed("/style/chunk_12.wasm"));
    }

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
