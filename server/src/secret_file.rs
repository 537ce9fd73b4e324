//! Files that hold a secret (a service token, an OpenID client secret, the session key): read
//! only when no other user may read them, trimmed, never logged. Shared so that every secret
//! flag refuses the same things in the same words.

use std::path::Path;
use std::time::SystemTime;

/// The file's text, trimmed; refused when others may read it, when it is not a file, or empty.
/// `what` names the secret in the reasons ("a service token", "the client secret").
pub fn read(path: &Path, what: &str) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "other users may read it (mode {mode:03o}); {what} is a password: \
                 run `chmod 600 {}`",
                path.display()
            ));
        }
    }
    if !metadata.is_file() {
        return Err("not a file".into());
    }
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("it is empty; put {what} in it"));
    }
    Ok(text.to_string())
}

/// When the file last changed, to re-read it only then.
pub fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
