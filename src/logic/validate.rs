//! Checks on what a person types, before anything is sent: volume names and labels. Messages
//! are written for the error shown next to the field.

use std::collections::BTreeMap;

pub use console_model::limits::MAX_NAME;
const MAX_LABEL_KEY: usize = 63;
const MAX_LABEL_VALUE: usize = 255;

/// Volume and snapshot names: letters, digits, `.`, `_` and `-`, starting with a letter or
/// digit, at most 255 characters (what OpenStorage drivers accept everywhere).
pub fn volume_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Enter a name.".into());
    }
    if name.len() > MAX_NAME {
        return Err(format!("The name can be at most {MAX_NAME} characters."));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("The name must start with a letter or a digit.".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        let shown = if bad == ' ' {
            "a space".to_string()
        } else {
            format!("\"{bad}\"")
        };
        return Err(format!(
            "The name cannot contain {shown}: use letters, digits, \".\", \"_\" and \"-\"."
        ));
    }
    Ok(())
}

/// A label key: letters, digits, `.`, `_`, `-` and `/`, starting and ending with a letter or
/// digit, at most 63 characters (Kubernetes-style, as volume labels usually come from there).
pub fn label_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("Enter a label key.".into());
    }
    if key.len() > MAX_LABEL_KEY {
        return Err(format!(
            "A label key can be at most {MAX_LABEL_KEY} characters."
        ));
    }
    let ok = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    let ends_ok = key.starts_with(|c: char| c.is_ascii_alphanumeric())
        && key.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !ok || !ends_ok {
        return Err(format!(
            "Label key \"{key}\": use letters, digits, \".\", \"_\", \"-\" and \"/\", starting and ending with a letter or digit."
        ));
    }
    Ok(())
}

pub fn label_value(key: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("Enter a value for label \"{key}\"."));
    }
    if value.len() > MAX_LABEL_VALUE || value.chars().any(char::is_control) {
        return Err(format!(
            "The value of label \"{key}\" must be at most {MAX_LABEL_VALUE} characters, without control characters."
        ));
    }
    Ok(())
}

/// Rows of a labels editor to a map; the first bad row's problem otherwise. Rows with both
/// fields empty are ignored (an editor's blank last row).
pub fn labels(rows: &[(String, String)]) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for (key, value) in rows {
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() && value.is_empty() {
            continue;
        }
        label_key(key)?;
        label_value(key, value)?;
        if map.insert(key.to_string(), value.to_string()).is_some() {
            return Err(format!("Label \"{key}\" appears twice."));
        }
    }
    Ok(map)
}

/// A `key=value` label filter as typed in a search box. Empty means no filter.
pub fn label_filter(text: &str) -> Result<Option<(String, String)>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let Some((key, value)) = text.split_once('=') else {
        return Err("Write a label filter as key=value, e.g. tier=gold.".into());
    };
    let (key, value) = (key.trim(), value.trim());
    label_key(key)?;
    Ok(Some((key.to_string(), value.to_string())))
}

/// An SDK endpoint for gRPC-Web: an http(s) URL with a host and nothing after the port.
pub fn endpoint(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err("Enter an http:// or https:// URL, e.g. https://px.example.com:9021.".into());
    };
    let host = rest.split(':').next().unwrap_or("");
    if host.is_empty() || rest.contains('/') || rest.contains(char::is_whitespace) {
        return Err(
            "Enter the endpoint's scheme, host and port only, e.g. http://10.0.0.5:9100.".into(),
        );
    }
    if let Some(port) = rest.split(':').nth(1) {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(format!("\"{port}\" is not a port number."));
        }
    }
    Ok(url.to_string())
}

/// A request timeout in whole seconds, 1 to 300.
pub fn timeout_seconds(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=300).contains(&n) => Ok(n),
        _ => Err("Enter a timeout from 1 to 300 seconds.".into()),
    }
}

/// A path to mount a volume at on its node: absolute, without spaces or `..`, so what is
/// mounted is where the admin meant.
pub fn mount_path(path: &str) -> Result<String, String> {
    let path = path.trim();
    if path.is_empty() {
        return Err("Enter the path to mount at, such as /mnt/data.".into());
    }
    if !path.starts_with('/') {
        return Err("Enter an absolute path: it starts with /.".into());
    }
    if path.contains(char::is_whitespace) || path.contains('\0') {
        return Err("The path cannot contain spaces.".into());
    }
    if path.split('/').any(|part| part == "..") {
        return Err("The path cannot contain \"..\".".into());
    }
    if path.len() > 4096 {
        return Err("The path can be at most 4096 characters.".into());
    }
    Ok(path.to_string())
}

/// The typed confirmation for a destructive action matches exactly.
pub fn confirmed(typed: &str, expected: &str) -> bool {
    !expected.is_empty() && typed == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(volume_name("pvc-db_01.data").is_ok());
        assert!(volume_name("9lives").is_ok());
        assert!(volume_name("").unwrap_err().contains("Enter a name"));
        assert!(volume_name("-lead").unwrap_err().contains("start with"));
        assert!(volume_name("has space").unwrap_err().contains("a space"));
        assert!(volume_name("a<script>").unwrap_err().contains("\"<\""));
        assert!(volume_name(&"a".repeat(256)).unwrap_err().contains("255"));
        assert!(volume_name(&"a".repeat(255)).is_ok());
    }

    #[test]
    fn label_rows() {
        let rows = |r: &[(&str, &str)]| -> Vec<(String, String)> {
            r.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let ok = labels(&rows(&[
            ("app", "db"),
            ("", ""),
            ("example.com/tier", " gold "),
        ]))
        .unwrap();
        assert_eq!(ok.get("example.com/tier").map(String::as_str), Some("gold"));
        assert_eq!(ok.len(), 2);
        assert!(labels(&rows(&[("app", "")])).unwrap_err().contains("value"));
        assert!(labels(&rows(&[("", "db")])).unwrap_err().contains("key"));
        assert!(labels(&rows(&[("a b", "x")])).is_err());
        assert!(labels(&rows(&[("app", "x"), ("app", "y")]))
            .unwrap_err()
            .contains("twice"));
    }

    #[test]
    fn endpoints_and_timeouts() {
        assert_eq!(
            endpoint(" http://10.0.0.5:9100/ "),
            Ok("http://10.0.0.5:9100".into())
        );
        assert_eq!(
            endpoint("https://px.example.com"),
            Ok("https://px.example.com".into())
        );
        assert!(endpoint("px.example.com:9100")
            .unwrap_err()
            .contains("http://"));
        assert!(endpoint("http://host:99999").unwrap_err().contains("port"));
        assert!(endpoint("http://host:9100/api").is_err());
        assert!(endpoint("http://").is_err());
        assert_eq!(timeout_seconds("30"), Ok(30));
        assert!(timeout_seconds("0").is_err());
        assert!(timeout_seconds("soon").is_err());
    }

    #[test]
    fn mount_paths() {
        assert_eq!(mount_path(" /mnt/data "), Ok("/mnt/data".into()));
        assert!(mount_path("").unwrap_err().contains("Enter the path"));
        assert!(mount_path("mnt/data").unwrap_err().contains("absolute"));
        assert!(mount_path("/mnt/my data").unwrap_err().contains("spaces"));
        assert!(mount_path("/mnt/../etc").unwrap_err().contains(".."));
        assert!(mount_path("/mnt/a..b").is_ok());
        assert!(mount_path(&format!("/{}", "a".repeat(4096))).is_err());
    }

    #[test]
    fn filters_and_confirmation() {
        assert_eq!(label_filter(""), Ok(None));
        assert_eq!(
            label_filter(" tier = gold "),
            Ok(Some(("tier".into(), "gold".into())))
        );
        assert!(label_filter("tier").unwrap_err().contains("key=value"));
        assert!(label_filter("=gold").is_err());
        assert!(confirmed("myvol", "myvol"));
        assert!(!confirmed("myvo", "myvol"));
        assert!(!confirmed("", ""));
    }
}
