//! The credential form's rules: which fields each provider needs, checked before sending, with
//! the message for the field. Secrets are only ever held in the form's fields.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    S3,
    Azure,
    Google,
    Nfs,
}

impl Provider {
    pub const ALL: [Provider; 4] = [
        Provider::S3,
        Provider::Azure,
        Provider::Google,
        Provider::Nfs,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Provider::S3 => "AWS S3 / S3-compatible",
            Provider::Azure => "Azure Blob Storage",
            Provider::Google => "Google Cloud Storage",
            Provider::Nfs => "NFS",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Provider::S3 => "s3",
            Provider::Azure => "azure",
            Provider::Google => "google",
            Provider::Nfs => "nfs",
        }
    }

    pub fn from_key(key: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Everything typed into the form (only the chosen provider's fields matter). In the browser it
/// is the form's store, each field bound to its input.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(target_arch = "wasm32", derive(reactive_stores::Store))]
pub struct CredentialInput {
    pub name: String,
    pub bucket: String,
    pub encryption_key: String,
    pub access_key: String,
    pub secret_key: String,
    pub endpoint: String,
    pub region: String,
    pub account_name: String,
    pub account_key: String,
    pub project_id: String,
    pub json_key: String,
    pub nfs_server: String,
    pub nfs_sub_path: String,
    pub nfs_mount_options: String,
}

/// Field id → message, for every field that is wrong. Empty when the form may be sent.
pub fn check(provider: Provider, input: &CredentialInput) -> BTreeMap<&'static str, String> {
    let mut errors = BTreeMap::new();
    let mut need = |field: &'static str, value: &str, what: &str| {
        if value.trim().is_empty() {
            errors.insert(field, format!("Enter the {what}."));
        }
    };
    need("name", &input.name, "credential's name");
    match provider {
        Provider::S3 => {
            need("access_key", &input.access_key, "access key");
            need("secret_key", &input.secret_key, "secret key");
            need(
                "endpoint",
                &input.endpoint,
                "endpoint (e.g. s3.amazonaws.com)",
            );
            need("region", &input.region, "region (e.g. us-east-1)");
        }
        Provider::Azure => {
            need("account_name", &input.account_name, "storage account name");
            need("account_key", &input.account_key, "storage account key");
        }
        Provider::Google => {
            need("project_id", &input.project_id, "project id");
            need("json_key", &input.json_key, "service account JSON key");
        }
        Provider::Nfs => {
            need("nfs_server", &input.nfs_server, "NFS server");
        }
    }
    if provider == Provider::Google
        && !input.json_key.trim().is_empty()
        && !(input.json_key.trim().starts_with('{') && input.json_key.trim().ends_with('}'))
    {
        errors.insert(
            "json_key",
            "Paste the whole JSON key file, from { to }.".into(),
        );
    }
    if provider == Provider::Nfs
        && !input.nfs_sub_path.is_empty()
        && !input.nfs_sub_path.starts_with('/')
    {
        errors.insert("nfs_sub_path", "The sub path must start with /.".into());
    }
    if provider == Provider::S3 && input.endpoint.trim().contains(char::is_whitespace) {
        errors.insert("endpoint", "The endpoint cannot contain spaces.".into());
    }
    let bucket = input.bucket.trim();
    let bucket_ok = bucket
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if !bucket.is_empty() && (!bucket_ok || !(3..=63).contains(&bucket.len())) {
        errors.insert(
            "bucket",
            "A bucket name has 3 to 63 lowercase letters, digits, dots or hyphens.".into(),
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3() -> CredentialInput {
        CredentialInput {
            name: "aws".into(),
            access_key: "AKIA".into(),
            secret_key: "secret".into(),
            endpoint: "s3.amazonaws.com".into(),
            region: "us-east-1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn each_provider_needs_its_own_fields() {
        assert!(check(Provider::S3, &s3()).is_empty());
        let missing = CredentialInput {
            secret_key: String::new(),
            region: " ".into(),
            ..s3()
        };
        let errors = check(Provider::S3, &missing);
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            ["region", "secret_key"]
        );
        // Another provider's fields do not count.
        let azure = check(Provider::Azure, &s3());
        assert_eq!(
            azure.keys().copied().collect::<Vec<_>>(),
            ["account_key", "account_name"]
        );
        let nfs = CredentialInput {
            name: "n".into(),
            nfs_server: "nfs.local".into(),
            nfs_sub_path: "exports".into(),
            ..Default::default()
        };
        assert!(check(Provider::Nfs, &nfs).contains_key("nfs_sub_path"));
    }

    #[test]
    fn google_keys_and_buckets_are_checked() {
        let google = CredentialInput {
            name: "g".into(),
            project_id: "p".into(),
            json_key: "not json".into(),
            ..Default::default()
        };
        assert!(check(Provider::Google, &google)["json_key"].contains("JSON"));
        let bucket = CredentialInput {
            bucket: "My_Bucket".into(),
            ..s3()
        };
        assert!(check(Provider::S3, &bucket).contains_key("bucket"));
        assert_eq!(Provider::from_key("azure"), Some(Provider::Azure));
    }
}
