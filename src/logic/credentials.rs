//! How a stored credential reads in the list (from the fields Inspect returns, none secret).

use crate::proto::sdk_credential_inspect_response::CredentialType as Shown;
use crate::proto::SdkCredentialInspectResponse;

pub fn provider_of(c: &SdkCredentialInspectResponse) -> &'static str {
    match c.credential_type {
        Some(Shown::AwsCredential(_)) => "S3",
        Some(Shown::AzureCredential(_)) => "Azure",
        Some(Shown::GoogleCredential(_)) => "Google",
        Some(Shown::NfsCredential(_)) => "NFS",
        None => "Unknown",
    }
}

/// Where the backups go, from the fields Inspect returns (none of them secret).
pub fn location_of(c: &SdkCredentialInspectResponse) -> String {
    match &c.credential_type {
        Some(Shown::AwsCredential(a)) => format!("{} ({})", a.endpoint, a.region),
        Some(Shown::AzureCredential(a)) => format!("account {}", a.account_name),
        Some(Shown::GoogleCredential(g)) => format!("project {}", g.project_id),
        Some(Shown::NfsCredential(n)) => format!(
            "{}:{}",
            n.server,
            if n.sub_path.is_empty() {
                "/"
            } else {
                &n.sub_path
            }
        ),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::{SdkAwsCredentialResponse, SdkNfsCredentialResponse};

    #[test]
    fn provider_and_location_read_from_the_shown_fields() {
        let aws = SdkCredentialInspectResponse {
            credential_type: Some(Shown::AwsCredential(SdkAwsCredentialResponse {
                endpoint: "s3.example".into(),
                region: "eu-1".into(),
                ..Default::default()
            })),
            ..Default::default()
        };
        assert_eq!(
            (provider_of(&aws), location_of(&aws).as_str()),
            ("S3", "s3.example (eu-1)")
        );
        let nfs = SdkCredentialInspectResponse {
            credential_type: Some(Shown::NfsCredential(SdkNfsCredentialResponse {
                server: "nfs.example".into(),
                ..Default::default()
            })),
            ..Default::default()
        };
        assert_eq!(
            (provider_of(&nfs), location_of(&nfs).as_str()),
            ("NFS", "nfs.example:/")
        );
        let none = SdkCredentialInspectResponse::default();
        assert_eq!(
            (provider_of(&none), location_of(&none).as_str()),
            ("Unknown", "")
        );
    }
}
